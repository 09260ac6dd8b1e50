// Help Scout (Mailbox API 2.0): authorize on secure.helpscout.net (here /helpscout/{account}/)
// with client_id and state only — response_type, redirect_uri and scope are refused; the user
// goes back to the app's registered URL. Token on api.helpscout.net (here .../api/v2/oauth2/token)
// with client credentials in the body, no redirect_uri. 48-hour access tokens; every refresh
// gives a new refresh token and kills the old one; a dead refresh token is answered
// 400 invalid_request "Invalid refresh_token". A 429 says X-RateLimit-Retry-After, not Retry-After.
import { rfcError, json, SAMPLE, CREATED } from './shared.mjs';
import { USER } from '../issue.mjs';

export const helpscout = {
  id: 'helpscout',
  name: 'Help Scout',
  accountHost: () => 'secure.helpscout.net',
  layout: { authorize: 'authentication/authorizeClientApplication', token: 'api/v2/oauth2/token', api: 'api/v2' },
  authorize: { responseType: 'absent', scope: 'absent', redirectUri: 'absent', pkce: false },
  describeScope: () => undefined,
  token: { clientAuth: 'post', bodies: ['form', 'json', 'query'], params: ['grant_type', 'code', 'client_id', 'client_secret', 'refresh_token'] },
  refresh: 'always',
  lifetime: (params, fx) => fx.expiresIn ?? 172_800,
  tokenBody: ({ accessToken, refreshToken, lifetime }) => {
    const body = { token_type: 'bearer', access_token: accessToken, expires_in: lifetime };
    if (refreshToken) body.refresh_token = refreshToken;
    return body;
  },
  error: (res, kind, description) => (kind === 'bad_refresh' ? json(res, 400, { error: 'invalid_request', error_description: 'Invalid refresh_token' }) : rfcError(res, kind, description)),
  apiError: (res, status, message) => json(res, status, { error: 'invalid_token', message }),
  api: {
    endpoints: {
      'users/me': () => ({ id: USER.sub, firstName: 'Alice', lastName: 'Agent', email: USER.email, role: 'owner' }),
      conversations: () => ({
        _embedded: { conversations: SAMPLE.map((s, i) => ({ id: 1001 + i, subject: s.subject, status: 'active', createdAt: CREATED, primaryCustomer: { email: s.email } })) },
        page: { size: 25, totalElements: SAMPLE.length, totalPages: 1, number: 1 },
      }),
    },
    rateLimitHeaders: (retryAfter) => ({ 'X-RateLimit-Retry-After': String(retryAfter), 'X-RateLimit-Limit-Minute': '200', 'X-RateLimit-Remaining-Minute': '0' }),
    tooMany: { message: 'Too many requests' },
  },
  providerConfig: (origin, { account = 'acme' } = {}) => {
    const base = `${origin}/helpscout/${account}`;
    return { preset: 'helpscout', authorizeUrl: `${base}/authentication/authorizeClientApplication`, tokenUrl: `${base}/api/v2/oauth2/token`, apiBaseUrl: `${base}/api/v2` };
  },
};
