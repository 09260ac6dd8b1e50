// The protected resource (RFC 6750): the few read endpoints the README and the examples call,
// under each provider's API base (`/{provider}/{account}/api/...`, or `/api/...` on an account
// host). Every one wants `Authorization: Bearer`: an absent, unknown, expired, revoked or
// other-account token gets 401 invalid_token; a token without the endpoint's scope gets 403
// insufficient_scope; past the provider's rate limit, 429 with Retry-After (Gorgias: leaky bucket
// 80 / 20 s per account, and the X-Gorgias-Account-Api-Call-Limit header on every answer).
// The data are fixed samples shaped like the real answers (Gorgias: `{ data, meta }` lists with
// cursors; Kustomer: JSON:API documents).
import { sendJson } from './http.mjs';
import { USER } from './issue.mjs';

const SAMPLE = [
  { subject: 'Where is my order #1001?', customer: 'Ada Lovelace', email: 'ada@example.com', channel: 'email' },
  { subject: 'Refund for a damaged mug', customer: 'Grace Hopper', email: 'grace@example.com', channel: 'chat' },
  { subject: 'Change my delivery address', customer: 'Alan Turing', email: 'alan@example.com', channel: 'email' },
];
const CREATED = '2026-01-05T09:30:00.000Z';

/** `?name=` as a whole number in [1, max]; `fallback` when absent; null when malformed. */
function limitParam(url, name, fallback, max) {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  return /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= max ? Number(v) : null;
}

function gorgiasList(kind, rows) {
  return (url, account) => {
    const limit = limitParam(url, 'limit', 30, 100);
    if (limit === null) return [400, { error: 'invalid_request', error_description: 'limit must be a whole number from 1 to 100' }];
    const data = rows(account).slice(0, limit);
    return [200, { object: 'list', uri: `/api/${kind}${url.search}`, data, meta: { prev_cursor: null, next_cursor: null } }];
  };
}

const gorgiasTickets = gorgiasList('tickets', (account) =>
  SAMPLE.map((s, i) => ({
    id: 1001 + i,
    uri: `/api/tickets/${1001 + i}`,
    subject: s.subject,
    status: i === 2 ? 'closed' : 'open',
    channel: s.channel,
    customer: { id: 501 + i, name: s.customer, email: s.email },
    created_datetime: CREATED,
    via: 'helpdesk',
    external_id: `${account}-${1001 + i}`,
  })),
);

const gorgiasCustomers = gorgiasList('customers', () =>
  SAMPLE.map((s, i) => ({ id: 501 + i, uri: `/api/customers/${501 + i}`, name: s.customer, email: s.email, created_datetime: CREATED })),
);

function kustomerList(type, attributes) {
  return (url) => {
    const pageSize = limitParam(url, 'pageSize', 100, 100);
    if (pageSize === null) return [400, { errors: [{ status: '400', title: 'Bad Request', detail: 'pageSize must be a whole number from 1 to 100' }] }];
    const data = SAMPLE.slice(0, pageSize).map((s, i) => ({ type, id: `${type.slice(0, 4)}${String(i + 1).padStart(20, '0')}`, attributes: attributes(s, i) }));
    return [200, { data, links: { self: `/v1/${type}s${url.search}`, first: `/v1/${type}s?page=1&pageSize=${pageSize}`, next: null, prev: null }, meta: { pageSize, page: 1 } }];
  };
}

const kustomerCustomers = kustomerList('customer', (s) => ({ name: s.customer, emails: [{ type: 'home', email: s.email }], createdAt: CREATED }));
const kustomerConversations = kustomerList('conversation', (s, i) => ({ name: s.subject, status: i === 2 ? 'done' : 'open', channels: [s.channel], createdAt: CREATED }));

const account = (url, accountName, entry, provider) => [
  200,
  { domain: accountName, provider, name: `${accountName} support`, scopes: entry.scopes, user: { id: USER.sub, name: USER.name, email: USER.email } },
];

// Kustomer grants roles: org.permission.customer covers customer reads, so does org.user.customer.read.
const kustomerRole = (resource) => (scope) => new RegExp(`^org\\.(?:permission|user)\\.${resource}(?:[.:]|$)`).test(scope);
const gorgiasScope = (resource) => (scope) => scope === `${resource}:read` || scope === `${resource}:write` || scope === 'write:all';

/** path under the API base → { needs: what the scope check says is missing, allows(scope), answer } */
const ENDPOINTS = {
  gorgias: {
    account: { answer: account },
    tickets: { needs: 'tickets:read', allows: gorgiasScope('tickets'), answer: gorgiasTickets },
    customers: { needs: 'customers:read', allows: gorgiasScope('customers'), answer: gorgiasCustomers },
  },
  kustomer: {
    account: { answer: account },
    'v1/customers': { needs: 'org.permission.customer', allows: kustomerRole('customer'), answer: kustomerCustomers },
    'v1/conversations': { needs: 'org.permission.conversation', allows: kustomerRole('conversation'), answer: kustomerConversations },
  },
};

/** The API paths the emulator serves for a provider (for messages and docs). */
export const apiPaths = (provider) => Object.keys(ENDPOINTS[provider] ?? {});

/**
 * GET {API base}/{path}. `path` is what follows `api/` in the route.
 */
export function apiRequest(ctx, req, res, url, { provider, account: accountName, path }) {
  const endpoint = Object.hasOwn(ENDPOINTS[provider], path) ? ENDPOINTS[provider][path] : undefined;
  if (!endpoint) {
    const list = apiPaths(provider).map((p) => `/api/${p}`).join(', ');
    return sendJson(res, 404, { error: 'not_found', error_description: `the ${ctx.providers[provider].name} emulator serves GET ${list}` });
  }
  if (req.method !== 'GET') {
    return sendJson(res, 405, { error: 'method_not_allowed', error_description: 'the emulator\'s API endpoints are read-only (GET)' }, { Allow: 'GET' });
  }
  ctx.state.apiRequests += 1;
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '');
  const entry = m ? ctx.store.accessTokens.get(m[1]) : undefined;
  if (!entry || entry.provider !== provider || entry.account !== accountName || entry.expiresAt <= ctx.now()) {
    return sendJson(res, 401, { error: 'invalid_token', error_description: 'access token missing, invalid or expired' }, {
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
  if (endpoint.allows && !entry.scopes.some(endpoint.allows)) {
    return sendJson(res, 403, { error: 'insufficient_scope', error_description: `this endpoint needs the ${endpoint.needs} scope; the token has ${entry.scopes.join(' ')}` }, {
      'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${endpoint.needs}"`,
    });
  }
  const limiter = ctx.limiters[provider];
  const headers = {};
  if (limiter) {
    const r = limiter.bucket.take(accountName);
    headers[limiter.header] = `${r.level}/${limiter.bucket.capacity}`;
    if (!r.ok) {
      ctx.state.rateLimited += 1;
      headers['Retry-After'] = String(r.retryAfter);
      return sendJson(res, 429, { error: 'rate_limited', error_description: 'too many requests: retry later' }, headers);
    }
  }
  const [status, body] = endpoint.answer(url, accountName, entry, provider);
  return sendJson(res, status, body, headers);
}
