// Zoho Desk (Zoho Accounts OAuth). Data centres are /zoho/{dc}/ (us, eu, in, au, jp, cn, ca, sa,
// uk). The flow starts at /zoho/us/oauth/v2/auth; the user's data centre (`zohoDataCentre`,
// default us) is named in the callback (`location`, `accounts-server`) and the code must be
// redeemed there. Scopes are comma-separated `Desk.{resource}.{OPERATION}`. A refresh token comes
// only with access_type=offline, and only on a consent (the first, or prompt=consent). Every
// token-endpoint error is HTTP 200 with {"error": ...} (invalid_code for a bad code or refresh
// token). Refresh responses have no refresh token. Revocation: POST .../oauth/v2/token/revoke?token=
// with nothing else. The Desk API (.../desk/api/v1) wants `Authorization: Zoho-oauthtoken` and,
// except for /organizations, the `orgId` header.
import { json, numberFor, SAMPLE, CREATED } from './shared.mjs';

/** Emulated data centres: path segment, real accounts host, API domain. */
export const ZOHO_DATA_CENTRES = {
  us: 'zoho.com',
  eu: 'zoho.eu',
  in: 'zoho.in',
  au: 'zoho.com.au',
  jp: 'zoho.jp',
  cn: 'zoho.com.cn',
  ca: 'zohocloud.ca',
  sa: 'zoho.sa',
  uk: 'zoho.uk',
};

const ERRORS = { invalid_request: 'invalid_request', invalid_client: 'invalid_client', unsupported_grant_type: 'unsupported_grant_type', bad_code: 'invalid_code', bad_refresh: 'invalid_code', bad_redirect: 'invalid_redirect_uri' };
const OPERATIONS = ['READ', 'WRITE', 'CREATE', 'UPDATE', 'DELETE', 'ALL'];

const orgId = (dc) => String(numberFor(`zoho-${dc}`, 700_000_000));

export const zoho = {
  id: 'zoho',
  name: 'Zoho Desk',
  tenantWord: 'data centre',
  accountHost: (dc) => `accounts.${ZOHO_DATA_CENTRES[dc] ?? 'zoho.com'}`,
  layout: { authorize: 'oauth/v2/auth', token: 'oauth/v2/token', revoke: 'oauth/v2/token/revoke', api: 'desk/api/v1' },
  tenants: Object.keys(ZOHO_DATA_CENTRES),
  authorize: { responseType: 'required', scope: 'required', scopeSeparator: ',', redirectUri: 'required', pkce: false },
  describeScope(s) {
    const m = /^Desk\.([a-z]+)\.([A-Z]+)$/.exec(s);
    return m && OPERATIONS.includes(m[2]) ? `${m[2] === 'ALL' ? 'Full access to' : m[2].toLowerCase()} ${m[1]}` : undefined;
  },
  /** true: a refresh token; false: none; null: a bad access_type. */
  offline(params, fx, key) {
    if (params.access_type === undefined || params.access_type === 'online') return false;
    if (params.access_type !== 'offline') return null;
    const first = !fx.offlineConsents.has(key);
    fx.offlineConsents.add(key);
    return first || params.prompt === 'consent';
  },
  callbackTenant: (fx) => fx.zohoDataCentre,
  callbackExtras: (request, dc) => ({ location: dc, 'accounts-server': `${request.origin}/zoho/${dc}` }),
  token: { clientAuth: 'post', bodies: ['form', 'query'], params: ['grant_type', 'code', 'client_id', 'client_secret', 'redirect_uri', 'refresh_token'] },
  refresh: 'keep',
  lifetime: (params, fx) => fx.expiresIn ?? 3600,
  tokenBody: ({ accessToken, refreshToken, lifetime, account }) => {
    const body = { access_token: accessToken, api_domain: `https://www.zohoapis.${(ZOHO_DATA_CENTRES[account] ?? 'zoho.com').replace(/^zoho\./, '')}`, token_type: 'Bearer', expires_in: lifetime };
    if (refreshToken) body.refresh_token = refreshToken;
    return body;
  },
  // Zoho answers token errors with HTTP 200.
  error: (res, kind) => json(res, 200, { error: ERRORS[kind] }),
  apiError: (res, status, message) => json(res, status, { errorCode: 'INVALID_OAUTH', message }),
  revoke: {
    method: 'POST',
    style: 'query',
    answer: (res) => json(res, 200, { status: 'success' }),
    invalid: (res) => json(res, 400, { status: 'failure', error: 'invalid_token' }),
  },
  api: {
    scheme: 'Zoho-oauthtoken',
    endpoints: {
      organizations: (entry) => ({ data: [{ id: orgId(entry.tenant), companyName: 'Acme Support', portalName: 'acme', isDefault: true }] }),
      tickets: (entry, req) =>
        req.headers.orgid !== orgId(entry.tenant)
          ? { status: 400, body: { errorCode: 'INVALID_DATA', message: 'The orgId header is missing or is not an organization of this user' } }
          : { data: SAMPLE.map((s, i) => ({ id: String(1001 + i), subject: s.subject, status: 'Open', email: s.email, createdTime: CREATED })) },
    },
    rateLimitHeaders: () => ({}),
    tooMany: { errorCode: 'TOO_MANY_REQUESTS', message: 'Too many requests' },
  },
  providerConfig: (origin) => {
    const dc = (segment) => `${origin}/zoho/${segment}`;
    return {
      preset: 'zoho',
      authorizeUrl: `${dc('us')}/oauth/v2/auth`,
      tokenUrl: `${dc('{tenant}')}/oauth/v2/token`,
      revokeUrl: `${dc('{tenant}')}/oauth/v2/token/revoke`,
      apiBaseUrl: `${dc('{tenant}')}/desk/api/v1`,
      tenant: { from: 'callback', param: 'accounts-server', values: Object.fromEntries(Object.keys(ZOHO_DATA_CENTRES).map((s) => [dc(s), s])), default: 'us' },
    };
  },
  orgId,
};
