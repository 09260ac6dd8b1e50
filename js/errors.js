// The one error class the package throws. It lives in JS (not wasm) so that it can extend Error:
// `instanceof Error`, stack traces and `cause` work as in any JS library. The wasm boundary
// constructs it through an import.

/** @type {ReadonlySet<string>} codes for which trying again later may succeed */
export class HelpdeskOAuthError extends Error {
  constructor(code, message, details) {
    super(message);
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
