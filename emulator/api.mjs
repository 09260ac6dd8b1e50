// The protected resource (RFC 6750): GET /api/account with `Authorization: Bearer`. An absent,
// unknown, expired, revoked or other-account token gets 401 invalid_token; past the provider's
// rate limit, 429 with Retry-After (Gorgias: leaky bucket 80 / 20 s per account, and the
// X-Gorgias-Account-Api-Call-Limit header on every answer).
import { sendJson } from './http.mjs';
import { USER } from './issue.mjs';

export function apiAccount(ctx, req, res, { provider, account }) {
  ctx.state.apiRequests += 1;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '');
  const entry = m ? ctx.store.accessTokens.get(m[1]) : undefined;
  if (!entry || entry.provider !== provider || entry.account !== account || entry.expiresAt <= ctx.now()) {
    return sendJson(res, 401, { error: 'invalid_token', error_description: 'access token missing, invalid or expired' }, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
  const limiter = ctx.limiters[provider];
  const headers = {};
  if (limiter) {
    const r = limiter.bucket.take(account);
    headers[limiter.header] = `${r.level}/${limiter.bucket.capacity}`;
    if (!r.ok) {
      ctx.state.rateLimited += 1;
      headers['Retry-After'] = String(r.retryAfter);
      return sendJson(res, 429, { error: 'rate_limited', error_description: 'too many requests: retry later' }, headers);
    }
  }
  return sendJson(
    res,
    200,
    { domain: account, provider, name: `${account} support`, scopes: entry.scopes, user: { id: USER.sub, name: USER.name, email: USER.email } },
    headers,
  );
}
