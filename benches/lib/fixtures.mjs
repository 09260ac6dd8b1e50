// The inputs every library gets: one Gorgias app installed in account "acme", and the token
// responses the in-process responder hands back. Deterministic, so results can be compared.

export const ACCOUNT = "acme";
export const CLIENT_ID = "benchClient7f3a";
// Letters and digits only: libraries differ on whether Basic credentials are form-encoded first
// (RFC 6749 §2.3.1), and this keeps the Authorization header identical across them.
export const CLIENT_SECRET = "benchSecret0123456789abcdefABCDEF";
export const REDIRECT_URI = "https://app.example.com/oauth/callback";
export const SCOPES = ["openid", "email", "profile", "offline", "tickets:read"];
export const ISSUER = `https://${ACCOUNT}.gorgias.com`;
export const AUTHORIZE_ENDPOINT = `${ISSUER}/oauth/authorize`;
export const TOKEN_ENDPOINT = `${ISSUER}/oauth/token`;
export const CODE = "code_Zk3v9QmT2xWb7LrN4pYc8sHd";
export const ACCESS_TOKEN = "at_9YwZ2c4f8Hk1Lm3Np5Qr7St9Uv1Wx3Yz5Ab7Cd9Ef";
export const REFRESHED_ACCESS_TOKEN = "at_R2d4F6h8J0k2L4m6N8p0Q2r4S6t8U0v2W4x6Y8z0";
export const REFRESH_TOKEN = "rt_Lp0Ok9Ij8Uh7Yg6Tf5Rd4Es3Wa2Qz1Xc0Vb9Nm8";
export const EXPIRES_IN = 86400;
export const ID_TOKEN_RESPONSE_BYTES = 2048;

/** What the environment hands every adapter (plus its own `fetch`). */
export function adapterEnv(fetch) {
  return {
    fetch,
    account: ACCOUNT,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: SCOPES,
    issuer: ISSUER,
    authorizeEndpoint: AUTHORIZE_ENDPOINT,
    tokenEndpoint: TOKEN_ENDPOINT,
  };
}

export function callbackUrl(state) {
  return `${REDIRECT_URI}?code=${CODE}&state=${encodeURIComponent(state)}`;
}

/** Scenario 2: the code exchange answer without an id_token. */
export function tokenResponse() {
  return JSON.stringify({
    access_token: ACCESS_TOKEN,
    token_type: "Bearer",
    expires_in: EXPIRES_IN,
    refresh_token: REFRESH_TOKEN,
    scope: SCOPES.join(" "),
  });
}

/** Scenario 3: Gorgias refresh answer — a new access token and no refresh token. */
export function refreshResponse() {
  return JSON.stringify({
    access_token: REFRESHED_ACCESS_TOKEN,
    token_type: "Bearer",
    expires_in: EXPIRES_IN,
    scope: SCOPES.join(" "),
  });
}

const b64url = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
// A fixed stand-in for an RS256 signature (2048-bit key: 256 bytes), so sizes look real.
const SIGNATURE = Buffer.alloc(256, 0x5a).toString("base64url");

/**
 * The id_token claims Gorgias sends, for `nonce`, issued at `nowSec`. Gorgias's `sub` is an
 * integer; oauth4webapi and openid-client refuse that (OIDC says string), so the benchmark uses
 * the string form by default to give every library the same, acceptable input.
 */
export function idTokenClaims(nonce, nowSec, sub = "10") {
  return {
    iss: ISSUER,
    aud: [CLIENT_ID],
    sub,
    iat: nowSec,
    auth_time: nowSec,
    exp: nowSec + 3600,
    nonce,
    name: "Alice Agent",
    email: "alice@example.com",
    at_hash: "x4pZ0Kq1m7Yv2Lr8Nw3Tb6",
  };
}

/**
 * Scenario 4: a code exchange answer of exactly ID_TOKEN_RESPONSE_BYTES bytes, with a JWT access
 * token (as Gorgias sends) padded by a `jti` claim and an id_token bound to `nonce`.
 */
export function idTokenResponse(nonce, nowSec = Math.floor(Date.now() / 1000)) {
  const idToken = `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url(idTokenClaims(nonce, nowSec))}.${SIGNATURE}`;
  const build = (jti) => {
    const access = `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url({
      iss: ISSUER,
      aud: `${ISSUER}/api`,
      azp: CLIENT_ID,
      sub: 10,
      scope: SCOPES.join(" "),
      iat: nowSec,
      exp: nowSec + EXPIRES_IN,
      jti,
    })}.${SIGNATURE}`;
    return JSON.stringify({
      access_token: access,
      token_type: "Bearer",
      expires_in: EXPIRES_IN,
      id_token: idToken,
      refresh_token: REFRESH_TOKEN,
      scope: SCOPES.join(" "),
    });
  };
  const short = build("");
  const missing = ID_TOKEN_RESPONSE_BYTES - short.length;
  if (missing < 0) throw new Error(`id_token response is already ${short.length} bytes`);
  // Each 3 bytes of jti become 4 base64url characters in the access token.
  let body = build("j".repeat(Math.floor((missing * 3) / 4)));
  for (let n = Math.floor((missing * 3) / 4); body.length < ID_TOKEN_RESPONSE_BYTES; n++) body = build("j".repeat(n));
  return body.padEnd(ID_TOKEN_RESPONSE_BYTES, " ");
}
