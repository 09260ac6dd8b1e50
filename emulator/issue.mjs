// Minting what the emulator hands out: opaque values, RS256-shaped JWTs (access tokens for
// Gorgias, id_tokens), and the token responses of both grants. Signatures are random bytes: the
// providers publish no JWKS, so clients check claims, not signatures (PROVIDERS.md).
import { createHash, randomBytes } from 'node:crypto';

export function randomToken(prefix) {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function b64url(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function jwt(claims) {
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.${randomBytes(64).toString('base64url')}`;
}

/** The user who approves every consent. */
export const USER = { sub: 10, name: 'Alice Agent', email: 'alice@example.com' };

/**
 * A new access token registered in `store.accessTokens`, as the token-response fields.
 * @param {object} ctx emulator context; @param {object} grant { provider, account, clientId, scopes }
 */
export function issueAccess(ctx, grant) {
  const { provider, account, clientId, scopes, grantId } = grant;
  const p = ctx.providers[provider];
  const nowMs = ctx.now();
  const t = Math.floor(nowMs / 1000);
  const token = p.jwtAccessTokens
    ? jwt({
        iss: p.issuer(account),
        aud: `${p.issuer(account)}/api`,
        azp: clientId,
        sub: USER.sub,
        scope: scopes.join(' '),
        iat: t,
        exp: t + ctx.expiresIn,
        jti: randomBytes(12).toString('base64url'),
      })
    : randomToken('at');
  ctx.store.accessTokens.set(token, { provider, account, clientId, scopes, grantId, expiresAt: nowMs + ctx.expiresIn * 1000 });
  ctx.state.issued.accessTokens.push(token);
  return { access_token: token, expires_in: ctx.expiresIn, scope: scopes.join(' '), token_type: p.tokenType };
}

/** A new active refresh token for the grant. */
export function issueRefresh(ctx, grant) {
  const token = randomToken('rt');
  const { provider, account, clientId, scopes, grantId } = grant;
  ctx.store.refreshTokens.set(token, { provider, account, clientId, scopes, grantId, active: true });
  ctx.state.issued.refreshTokens.push(token);
  return token;
}

/** Names the tokens that come from one code, so that reuse can revoke them together. */
export function newGrantId() {
  return randomBytes(12).toString('base64url');
}

/** Revokes every refresh and access token of a grant (reuse detection). */
export function revokeGrant(ctx, grantId) {
  if (!grantId) return;
  for (const entry of ctx.store.refreshTokens.values()) if (entry.grantId === grantId) entry.active = false;
  for (const [token, entry] of ctx.store.accessTokens) if (entry.grantId === grantId) ctx.store.accessTokens.delete(token);
}

/** OpenID Connect id_token for the code's nonce, with at_hash of the access token (OIDC §3.1.3.6). */
export function issueIdToken(ctx, { provider, account, clientId, nonce }, accessToken) {
  const p = ctx.providers[provider];
  const t = Math.floor(ctx.now() / 1000);
  const claims = {
    iss: p.issuer(account),
    aud: [clientId],
    sub: USER.sub,
    iat: t,
    auth_time: t,
    exp: t + 3600,
    name: USER.name,
    email: USER.email,
    at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
  };
  if (nonce !== undefined) claims.nonce = nonce;
  const token = jwt(claims);
  ctx.state.issued.idTokens.push(token);
  return token;
}
