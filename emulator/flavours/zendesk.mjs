// Zendesk Support: every account its own host ({account}.zendesk.com, here /zendesk/{account}/).
// Client credentials in the body (form or JSON), PKCE S256, a new refresh token on every refresh
// that kills the old one, 30-minute access tokens — and, as for clients made before refresh tokens
// existed, no expiry and no refresh token unless the token request names `expires_in`.
// Revocation: DELETE /api/v2/oauth/tokens/current.json with the access token as bearer, 204.
import { rfcError, json, SAMPLE, CREATED } from './shared.mjs';
import { USER } from '../issue.mjs';

const RESOURCES = ['tickets', 'users', 'auditlogs', 'organizations', 'hc', 'apps', 'triggers', 'automations', 'targets', 'webhooks', 'zis'];
const SCOPES = new Map([
  ['read', 'Read everything you can see'],
  ['write', 'Change everything you can change'],
  ['impersonate', 'Act as other users'],
  ...RESOURCES.flatMap((r) => [
    [`${r}:read`, `Read ${r}`],
    [`${r}:write`, `Change ${r}`],
  ]),
]);

const seconds = (v) => (/^\d{1,6}$/.test(v ?? '') ? Number(v) : NaN);

export const zendesk = {
  id: 'zendesk',
  name: 'Zendesk',
  accountHost: (account) => `${account}.zendesk.com`,
  layout: { authorize: 'oauth/authorizations/new', token: 'oauth/tokens', revoke: 'api/v2/oauth/tokens/current.json', api: 'api/v2' },
  authorize: { responseType: 'required', scope: 'required', scopeSeparator: ' ', redirectUri: 'required', pkce: true },
  describeScope: (s) => SCOPES.get(s),
  token: {
    clientAuth: 'post',
    bodies: ['form', 'json'],
    params: ['grant_type', 'code', 'client_id', 'client_secret', 'redirect_uri', 'scope', 'code_verifier', 'refresh_token', 'expires_in', 'refresh_token_expires_in'],
    check(params) {
      const at = seconds(params.expires_in);
      if (params.expires_in !== undefined && !(at > 300 && at < 172_800)) return 'expires_in must be more than 300 and less than 172800 seconds';
      const rt = seconds(params.refresh_token_expires_in);
      if (params.refresh_token_expires_in !== undefined && !(rt >= 604_800 && rt <= 7_776_000 && rt > at)) return 'refresh_token_expires_in must be 7 to 90 days, and longer than expires_in';
      return undefined;
    },
  },
  refresh: 'always',
  // Without `expires_in` the token never expires and comes without a refresh token (legacy clients).
  lifetime: (params, fx) => (params.expires_in === undefined ? null : fx.expiresIn ?? Number(params.expires_in)),
  tokenBody: ({ accessToken, refreshToken, lifetime, scopes }) => {
    const body = { access_token: accessToken, token_type: 'bearer', scope: scopes.join(' ') };
    if (lifetime !== null) body.expires_in = lifetime;
    if (refreshToken) Object.assign(body, { refresh_token: refreshToken, refresh_token_expires_in: 2_592_000 });
    return body;
  },
  error: rfcError,
  apiError: (res, status, description) => json(res, status, { error: 'invalid_token', error_description: description }, { 'WWW-Authenticate': 'Bearer realm="Zendesk"' }),
  revoke: {
    method: 'DELETE',
    style: 'bearer',
    answer: (res) => {
      res.writeHead(204);
      return res.end();
    },
  },
  api: {
    endpoints: {
      'users/me.json': () => ({ user: { id: USER.sub, name: USER.name, email: USER.email, role: 'admin' } }),
      'tickets.json': () => ({ tickets: SAMPLE.map((s, i) => ({ id: 1001 + i, subject: s.subject, status: 'open', requester_id: 501 + i, created_at: CREATED })), count: SAMPLE.length, next_page: null }),
    },
    rateLimitHeaders: (retryAfter) => ({ 'Retry-After': String(retryAfter), 'X-Rate-Limit': '700', 'X-Rate-Limit-Remaining': '0' }),
    tooMany: { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' },
  },
  providerConfig: (origin) => {
    const base = `${origin}/zendesk/{account}`;
    return { preset: 'zendesk', authorizeUrl: `${base}/oauth/authorizations/new`, tokenUrl: `${base}/oauth/tokens`, revokeUrl: `${base}/api/v2/oauth/tokens/current.json`, apiBaseUrl: `${base}/api/v2` };
  },
};
