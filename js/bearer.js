// The `Authorization` value of an API request (`Bearer`, or the preset's `apiAuthScheme` such as
// Zoho's `Zoho-oauthtoken`, checked by the core when the provider is built), for the Session
// (js/session.js) and the Workers' DurableObjectSession.
//
// A token set read back from storage can hold any string. An access token with CR, LF or NUL
// makes `Headers` throw a TypeError that quotes "Bearer <token>" (into logs and error pages);
// one with a trailing CR/LF or space is quietly trimmed into another token. RFC 6749 (A.12)
// allows visible ASCII and spaces in an access token, so anything else is refused here, typed,
// and without quoting the token.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

// 1*VSCHAR, and no space at either end (Headers would trim it).
const SENDABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/** `<scheme> <accessToken>`, or token_set_invalid when the token cannot be sent as it is. */
export function bearerAuthorization(accessToken, scheme = "Bearer") {
  if (typeof accessToken !== "string" || !SENDABLE.test(accessToken)) {
    throw new HelpdeskOAuthError(
      "token_set_invalid",
      "the stored access token cannot be sent in an Authorization header (it is empty, or has control characters, non-ASCII or spaces at its ends); send the user through the install flow again",
    );
  }
  return `${scheme} ${accessToken}`;
}
