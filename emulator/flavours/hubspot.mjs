// HubSpot: authorize on app.hubspot.com (here /hubspot/{account}/; the account stands for the one
// the user picks), the v3 token endpoint on api.hubapi.com (here .../api/oauth/v3/token) with
// client credentials in the body, PKCE. Token responses carry `hub_id` and a `scopes` array (no
// `scope`), 30-minute access tokens; a refresh returns the same refresh token. Errors have
// HubSpot's shape (`status` such as BAD_REFRESH_TOKEN, `message`, `correlationId`, `category`).
// Revocation: POST .../api/oauth/v3/token/revoke (form, client credentials). The API answers 429
// with X-HubSpot-RateLimit-* headers and no Retry-After.
import { json, correlationId, numberFor, SAMPLE, CREATED } from './shared.mjs';
import { USER } from '../issue.mjs';

const STATUS = {
  invalid_request: [400, undefined],
  invalid_client: [400, 'BAD_CLIENT_ID'],
  unsupported_grant_type: [400, 'BAD_GRANT_TYPE'],
  bad_code: [400, 'BAD_AUTH_CODE'],
  bad_refresh: [400, 'BAD_REFRESH_TOKEN'],
  bad_redirect: [400, 'BAD_REDIRECT_URI'],
};

export const hubId = (account) => numberFor(account);

export const hubspot = {
  id: 'hubspot',
  name: 'HubSpot',
  accountHost: () => 'app.hubspot.com',
  layout: { authorize: 'oauth/authorize', token: 'api/oauth/v3/token', revoke: 'api/oauth/v3/token/revoke', api: 'api' },
  authorize: { responseType: 'optional', scope: 'required', scopeSeparator: ' ', redirectUri: 'required', pkce: true },
  describeScope(s) {
    if (s === 'oauth') return 'Basic OAuth access';
    if (s === 'tickets') return 'Read and write tickets';
    const m = /^crm\.(objects|schemas)\.([a-z_]+)\.(read|write)$/.exec(s);
    return m ? `${m[3] === 'read' ? 'Read' : 'Write'} CRM ${m[2].replace(/_/g, ' ')}` : undefined;
  },
  token: { clientAuth: 'post', bodies: ['form'], params: ['grant_type', 'code', 'redirect_uri', 'client_id', 'client_secret', 'code_verifier', 'refresh_token', 'scope'] },
  refresh: 'same',
  lifetime: (params, fx) => fx.expiresIn ?? 1800,
  tokenBody: ({ accessToken, refreshToken, lifetime, scopes, account }) => ({
    token_type: 'bearer',
    refresh_token: refreshToken,
    access_token: accessToken,
    expires_in: lifetime,
    hub_id: hubId(account),
    user_id: USER.sub,
    scopes,
  }),
  error: (res, kind, message) => {
    const [status, name] = STATUS[kind];
    const body = { message, correlationId: correlationId(), category: 'VALIDATION_ERROR', links: { 'knowledge-base': 'https://developers.hubspot.com/docs/api/oauth' } };
    return json(res, status, name ? { status: name, ...body } : body);
  },
  apiError: (res, status, message) => json(res, status, { status: 'error', message, correlationId: correlationId(), category: 'INVALID_AUTHENTICATION' }),
  revoke: {
    method: 'POST',
    style: 'form',
    answer: (res) => {
      res.writeHead(204);
      return res.end();
    },
  },
  api: {
    endpoints: {
      'account-info/v3/details': (entry) => ({ portalId: hubId(entry.account), accountType: 'STANDARD', timeZone: 'Europe/Berlin', companyCurrency: 'EUR', uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' }),
      'crm/v3/objects/tickets': () => ({ results: SAMPLE.map((s, i) => ({ id: String(1001 + i), properties: { subject: s.subject, hs_pipeline_stage: '1', createdate: CREATED }, archived: false })) }),
    },
    rateLimitHeaders: () => ({ 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Max': '100', 'X-HubSpot-RateLimit-Remaining': '0' }),
    tooMany: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' },
  },
  providerConfig: (origin, { account = 'acme' } = {}) => {
    const base = `${origin}/hubspot/${account}`;
    return { preset: 'hubspot', authorizeUrl: `${base}/oauth/authorize`, tokenUrl: `${base}/api/oauth/v3/token`, revokeUrl: `${base}/api/oauth/v3/token/revoke`, apiBaseUrl: `${base}/api` };
  },
};
