// The emulator's API endpoints (the ones the README and the examples call): Bearer checked like
// /api/account, each endpoint's scope checked (403 insufficient_scope), list shapes as at the
// real providers (Gorgias `{ data, meta }`, Kustomer JSON:API), paging parameters validated, and
// an unknown path answered with the list of paths that exist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, answerConsent } from '../../emulator/index.mjs';

const REDIRECT = 'http://127.0.0.1:9/cb';
let em;
before(async () => {
  em = await startEmulator({
    apps: [
      { provider: 'gorgias', clientId: 'g', clientSecret: 'gs', redirectUris: [REDIRECT] },
      { provider: 'kustomer', clientId: 'k', clientSecret: 'ks', redirectUris: [REDIRECT] },
    ],
  });
});
after(() => em.close());

async function accessToken(provider, account, scope) {
  const gorgias = provider === 'gorgias';
  const q = new URLSearchParams({ response_type: 'code', client_id: gorgias ? 'g' : 'k', redirect_uri: REDIRECT, scope, state: 's' });
  const code = new URL(await answerConsent(`${em.url}/${provider}/${account}/oauth/authorize?${q}`)).searchParams.get('code');
  const params = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...(gorgias ? {} : { client_id: 'k', client_secret: 'ks' }) };
  const res = await fetch(`${em.url}/${provider}/${account}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(gorgias ? { authorization: `Basic ${Buffer.from('g:gs').toString('base64')}` } : {}) },
    body: new URLSearchParams(params).toString(),
  });
  return (await res.json()).access_token;
}

const get = async (path, token) => {
  const res = await fetch(`${em.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, body: await res.json() };
};

test('Gorgias /api/tickets and /api/customers: lists shaped { data, meta }, limit honoured, scopes checked', async () => {
  const token = await accessToken('gorgias', 'acme', 'openid offline tickets:read');
  const all = await get('/gorgias/acme/api/tickets', token);
  assert.equal(all.status, 200);
  assert.equal(all.body.object, 'list');
  assert.deepEqual(all.body.meta, { prev_cursor: null, next_cursor: null });
  assert.equal(all.body.data.length, 3);
  assert.equal(typeof all.body.data[0].subject, 'string');
  assert.equal(all.body.data[0].customer.email, 'ada@example.com');
  assert.match(all.headers.get('x-gorgias-account-api-call-limit'), /^\d+\/80$/);

  const two = await get('/gorgias/acme/api/tickets?limit=2', token);
  assert.equal(two.body.data.length, 2);
  assert.equal(two.body.uri, '/api/tickets?limit=2');
  for (const bad of ['0', '101', 'ten', '-1']) {
    const r = await get(`/gorgias/acme/api/tickets?limit=${bad}`, token);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error, 'invalid_request');
  }

  const customers = await get('/gorgias/acme/api/customers', token);
  assert.equal(customers.status, 403, 'tickets:read does not allow customers');
  assert.equal(customers.body.error, 'insufficient_scope');
  assert.equal(customers.headers.get('www-authenticate'), 'Bearer error="insufficient_scope", scope="customers:read"');
  const writer = await accessToken('gorgias', 'acme', 'openid customers:write');
  assert.equal((await get('/gorgias/acme/api/customers', writer)).status, 200, ':write covers reading');
  assert.equal((await get('/gorgias/acme/api/tickets', writer)).status, 403);
  assert.equal((await get('/gorgias/acme/api/account', writer)).status, 200, '/api/account answers any valid token');
});

test('every endpoint wants a valid Bearer token of that provider and account', async () => {
  const token = await accessToken('gorgias', 'acme', 'openid tickets:read');
  assert.equal((await get('/gorgias/acme/api/tickets')).status, 401);
  assert.equal((await get('/gorgias/acme/api/tickets', 'not-a-token')).status, 401);
  assert.equal((await get('/gorgias/other/api/tickets', token)).status, 401, 'another account');
  const k = await accessToken('kustomer', 'acme', 'org.permission.customer');
  assert.equal((await get('/gorgias/acme/api/tickets', k)).status, 401, 'another provider');
  const post = await fetch(`${em.url}/gorgias/acme/api/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET');
});

test('Kustomer /api/v1/customers and /api/v1/conversations: JSON:API documents, pageSize, roles checked', async () => {
  const token = await accessToken('kustomer', 'myorg', 'org.permission.customer offline_access');
  const customers = await get('/kustomer/myorg/api/v1/customers?pageSize=2', token);
  assert.equal(customers.status, 200);
  assert.equal(customers.body.data.length, 2);
  assert.equal(customers.body.data[0].type, 'customer');
  assert.equal(customers.body.data[0].attributes.emails[0].email, 'ada@example.com');
  assert.equal(customers.body.meta.pageSize, 2);
  assert.equal((await get('/kustomer/myorg/api/v1/customers?pageSize=0', token)).status, 400);

  const conversations = await get('/kustomer/myorg/api/v1/conversations', token);
  assert.equal(conversations.status, 403);
  assert.match(conversations.body.error_description, /needs the org\.permission\.conversation scope/);
  const both = await accessToken('kustomer', 'myorg', 'org.permission.customer.read org.user.conversation:read');
  assert.equal((await get('/kustomer/myorg/api/v1/customers', both)).status, 200);
  const c = await get('/kustomer/myorg/api/v1/conversations', both);
  assert.equal(c.status, 200);
  assert.equal(c.body.data[0].type, 'conversation');
});

test('an unknown API path is 404 with the paths the emulator serves', async () => {
  const token = await accessToken('gorgias', 'acme', 'openid');
  const r = await get('/gorgias/acme/api/nothing-here', token);
  assert.equal(r.status, 404);
  assert.equal(r.body.error_description, 'the Gorgias emulator serves GET /api/account, /api/tickets, /api/customers');
  const k = await get('/kustomer/acme/api/v1/nothing', token);
  assert.match(k.body.error_description, /Kustomer emulator serves GET \/api\/account, \/api\/v1\/customers, \/api\/v1\/conversations/);
  assert.equal((await get('/gorgias/acme/api/tickets/', token)).status, 404, 'no empty segment');
  assert.equal((await get('/gorgias/acme/api/Tickets', token)).status, 404);
});
