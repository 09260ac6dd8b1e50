// The one error class the package throws. It lives in JS (not wasm) so that it can extend Error:
// `instanceof Error`, stack traces and `cause` work as in any JS library. The wasm boundary
// constructs it through an import; the JS layer through `oauthError`.

export class HelpdeskOAuthError extends Error {
  /**
   * @param {string} code a stable code from ERRORS.md
   * @param {string} message for humans; never contains a secret, token or code
   * @param {{ retryable?: boolean, status?: number, description?: string, uri?: string, oauthError?: string, cause?: unknown }} [details]
   */
  constructor(code, message, details) {
    super(message, details && details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = "HelpdeskOAuthError";
    this.code = code;
    this.retryable = Boolean(details && details.retryable);
    if (details) {
      if (details.status !== undefined) this.status = details.status;
      if (details.description !== undefined) this.description = details.description;
      if (details.uri !== undefined) this.uri = details.uri;
      if (details.oauthError !== undefined) this.oauthError = details.oauthError;
    }
  }
}
