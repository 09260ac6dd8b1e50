// Front: one global host per company (here /front/{company}/). HTTP Basic client authentication
// only; no scope parameter (scopes are set on the app); `expires_at` (Unix seconds) instead of
// `expires_in`, one-hour access tokens. A refresh answers with the same refresh token, or — when
// the test sets `state.rotateNextRefresh`, as Front does near the end of its six months — a new
// one that replaces it. No revocation endpoint. A 429 says `Retry-After` and `X-RateLimit-Reset`.
import { rfcError, json, SAMPLE, CREATED, unix } from './shared.mjs';
import { USER } from '../issue.mjs';

export const front = {
  id: 'front',
  name: 'Front',
  tenantWord: 'company',
  accountHost: () => 'app.frontapp.com',
  layout: { authorize: 'oauth/authorize', token: 'oauth/token', api: 'api2' },
  authorize: { responseType: 'required', scope: 'absent', redirectUri: 'required', pkce: false },
  describeScope: () => undefined,
  token: { clientAuth: 'basic', bodies: ['form'], params: ['grant_type', 'code', 'redirect_uri', 'refresh_token'] },
  refresh: 'lazy',
  lifetime: (params, fx) => fx.expiresIn ?? 3600,
  tokenBody: ({ accessToken, refreshToken, lifetime, now }) => {
    const body = { access_token: accessToken, expires_at: unix(now) + lifetime, token_type: 'Bearer' };
    if (refreshToken) body.refresh_token = refreshToken;
    return body;
  },
  error: rfcError,
  apiError: (res, status, message) => json(res, status, { _error: { status, title: 'Unauthorized', message } }),
  api: {
    endpoints: {
      me: (entry) => ({ _links: { self: 'https://api2.frontapp.com/me' }, name: `${entry.account} Inc.`, id: `cmp_${entry.account}` }),
      conversations: () => ({ _results: SAMPLE.map((s, i) => ({ id: `cnv_${1001 + i}`, subject: s.subject, status: 'unassigned', created_at: Date.parse(CREATED) / 1000, recipient: { handle: s.email } })), _pagination: { next: null } }),
      teammates: () => ({ _results: [{ id: 'tea_1', email: USER.email, first_name: 'Alice', last_name: 'Agent', is_admin: true }] }),
    },
    rateLimitHeaders: (retryAfter, now) => ({ 'Retry-After': String(retryAfter), 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(unix(now) + retryAfter) }),
    tooMany: { _error: { status: 429, title: 'Too Many Requests', message: 'Rate limit exceeded' } },
  },
  providerConfig: (origin, { account = 'acme' } = {}) => {
    const base = `${origin}/front/${account}`;
    return { preset: 'front', authorizeUrl: `${base}/oauth/authorize`, tokenUrl: `${base}/oauth/token`, apiBaseUrl: `${base}/api2` };
  },
};
