// The id_token claim checks (OpenID Connect Core §3.1.3.7 items 2, 3, 9, 11) that an app must
// write itself with libraries that only decode the token (arctic, @badgateway/oauth2-client).
export function checkIdTokenClaims(claims, { issuer, clientId, nonce, nowMs = Date.now() }) {
  if (claims.iss !== issuer) throw new Error("id_token iss mismatch");
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(clientId)) throw new Error("id_token aud mismatch");
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs) throw new Error("id_token expired");
  if (claims.nonce !== nonce) throw new Error("id_token nonce mismatch");
  return claims;
}
