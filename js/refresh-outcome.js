// What a failed refresh means for the stored tokens, the same for the Session (js/session.js)
// and the token Durable Object (js/workers/token-durable-object.js).
//
// Only `invalid_grant` answered with HTTP 400 (RFC 6749 §5.2) says the grant is dead. Proxies and
// some providers put `{"error":"invalid_grant"}` in a 5xx, and a broken one in a 2xx beside an
// access token: deleting the stored tokens on those would throw away a live refresh token, so
// they are faults that may pass (retryable), whatever the core made of them.
// The one exception is a provider that answers every error with 200 (`errorsIn200`, Zoho): there
// the core reports `invalid_grant` on a 2xx only without an access token in the same answer, and
// that is the provider's word that the grant is dead.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

const isInvalidGrant = (err) => err instanceof HelpdeskOAuthError && err.code === "invalid_grant";

// The status of a provider's error response: 400, or (errorsIn200) any 2xx.
const errorStatus = (status, provider) => status === 400 || (provider?.errorsIn200 === true && status >= 200 && status < 300);

/**
 * Whether `err` from a refresh means the grant is revoked: the stored tokens may be deleted.
 * `provider` is the client's `ProviderInfo` (its `errorsIn200`).
 */
export function grantRevoked(err, provider) {
  return isInvalidGrant(err) && errorStatus(err.status, provider);
}

/**
 * The error a session reports for a refresh that failed without revoking the grant: `err` as it
 * is, except an `invalid_grant` on another status than 400, which becomes the retryable error of
 * that status (503 temporarily_unavailable, other 5xx server_error, 2xx response_invalid, else
 * http_error), with the original as `cause`.
 */
export function refreshFault(err, provider) {
  if (!isInvalidGrant(err) || errorStatus(err.status, provider)) return err;
  const status = err.status;
  let code = "http_error";
  if (status === 503) code = "temporarily_unavailable";
  else if (status >= 500) code = "server_error";
  else if (status >= 200 && status < 300) code = "response_invalid";
  const e = new HelpdeskOAuthError(code, `the token endpoint answered HTTP ${status ?? "?"} with invalid_grant, which only a 400 means; the stored tokens are kept`, {
    retryable: true,
    status,
    oauthError: "invalid_grant",
  });
  e.cause = err;
  return e;
}
