// Intercom: authorize on app.intercom.com/oauth (here /intercom/{workspace}/oauth) with
// client_id, state and an optional redirect_uri — response_type and scope are refused (the app's
// permissions are set in the Developer Hub). Token on api.intercom.io (here .../api/auth/eagle/token)
// with code and client credentials in the body: {token, access_token, token_type}, no expiry, no
// refresh token. Ending the grant: POST .../api/auth/uninstall with the access token. The API
// answers 429 with X-RateLimit-Reset (Unix seconds) and no Retry-After.
import { rfcError, json, SAMPLE, CREATED, unix } from './shared.mjs';
import { USER } from '../issue.mjs';

export const intercom = {
  id: 'intercom',
  name: 'Intercom',
  tenantWord: 'workspace',
  accountHost: () => 'app.intercom.com',
  layout: { authorize: 'oauth', token: 'api/auth/eagle/token', revoke: 'api/auth/uninstall', api: 'api' },
  authorize: { responseType: 'absent', scope: 'absent', redirectUri: 'optional', pkce: false },
  describeScope: () => undefined,
  token: { clientAuth: 'post', bodies: ['form', 'json'], params: ['grant_type', 'code', 'client_id', 'client_secret', 'redirect_uri'], defaultGrant: 'authorization_code' },
  refresh: 'none',
  lifetime: () => null,
  tokenBody: ({ accessToken }) => ({ token: accessToken, access_token: accessToken, token_type: 'Bearer' }),
  error: rfcError,
  apiError: (res, status, message) => json(res, status, { type: 'error.list', errors: [{ code: 'unauthorized', message }] }),
  revoke: { method: 'POST', style: 'bearer', answer: (res) => json(res, 200, {}) },
  api: {
    endpoints: {
      me: (entry) => ({ type: 'admin', id: String(USER.sub), email: USER.email, name: USER.name, app: { type: 'app', id_code: entry.account, name: `${entry.account} workspace`, region: 'US' } }),
      conversations: () => ({ type: 'conversation.list', conversations: SAMPLE.map((s, i) => ({ type: 'conversation', id: String(1001 + i), title: s.subject, state: 'open', created_at: Date.parse(CREATED) / 1000 })) }),
    },
    rateLimitHeaders: (retryAfter, now) => ({ 'X-RateLimit-Limit': '166', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(unix(now) + retryAfter) }),
    tooMany: { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }] },
  },
  providerConfig: (origin, { account = 'acme' } = {}) => {
    const base = `${origin}/intercom/${account}`;
    return { preset: 'intercom', authorizeUrl: `${base}/oauth`, tokenUrl: `${base}/api/auth/eagle/token`, revokeUrl: `${base}/api/auth/uninstall`, apiBaseUrl: `${base}/api` };
  },
};
