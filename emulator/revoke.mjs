// Token revocation (RFC 7009), Gorgias only: form `token=`, HTTP Basic client auth, 200 `{}` even
// for unknown tokens. A revoked refresh token fails later refreshes with invalid_grant; access
// tokens already issued stay valid until they expire, as at Gorgias — unless the access token
// itself is revoked.
import { readBody, parseForm, oauthError, sendJson, explainRefusal } from './http.mjs';
import { authenticateClient } from './token.mjs';

export async function revoke(ctx, req, res, { provider, account }) {
  ctx.state.revokeRequests += 1;
  let raw;
  try {
    raw = await readBody(req);
  } catch {
    return oauthError(res, 413, 'invalid_request', 'body too large');
  }
  const { params } = parseForm(raw);
  ctx.state.lastRevokeRequest = { provider, account, headers: { ...req.headers }, params };
  const { app, why } = authenticateClient(ctx, req.headers.authorization, params, provider);
  if (!app) {
    explainRefusal(res, why);
    return oauthError(res, 401, 'invalid_client', 'client authentication failed', { 'WWW-Authenticate': 'Basic realm="oauth"' });
  }
  if (!params.token) return oauthError(res, 400, 'invalid_request', 'token is required');
  const rt = ctx.store.refreshTokens.get(params.token);
  if (rt && rt.clientId === app.clientId && rt.account === account) rt.active = false;
  const at = ctx.store.accessTokens.get(params.token);
  if (at && at.clientId === app.clientId && at.account === account) ctx.store.accessTokens.delete(params.token);
  return sendJson(res, 200, {});
}
