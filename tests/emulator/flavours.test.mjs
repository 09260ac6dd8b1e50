// The provider flavours (emulator/flavours/) as strict as the real providers: each one refuses
// the client authentication, parameters and body shapes its provider does not take, answers
// errors in its provider's shape, rotates (or not) as documented, and says "too many requests"
// with its own headers. Raw HTTP here, no client library; the emulator runs on a test clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startEmulator, answerConsent, providerConfig } from '../../emulator/index.mjs';

const REDIRECT = 'http://127.0.0.1:9/cb';
const ID = 'app-1';
const SECRET = 'app-secret-1';
const basic = (id, s) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s)}`).toString('base64');
const form = (params) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString() });

async function withEmulator(options, fn) {
  let clock = 1_800_000_000_000;
  const em = await startEmulator({ apps: [{ clientId: ID, clientSecret: SECRET, redirectUris: [REDIRECT] }], autoApprove: true, now: () => clock, ...options });
  try {
    await fn(em, (ms) => (clock += ms));
  } finally {
    await em.close();
  }
}

/** GET the authorize URL (auto-approved) and return the callback's query. */
async function authorize(url) {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  assert.equal(res.status, 302, `authorize answered ${res.status}`);
  return new URL(res.headers.get('location')).searchParams;
}

async function post(url, { headers = {}, body = '', contentType = 'application/x-www-form-urlencoded', method = 'POST' } = {}) {
  const res = await fetch(url, { method, headers: { 'content-type': contentType, ...headers }, body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body: json, text };
}

test('zendesk: body auth only, form or JSON, expires_in bounds, PKCE, rotation, DELETE revocation, 429 Retry-After', async () => {
  await withEmulator({ rateLimit: { zendesk: { capacity: 2, windowSeconds: 60 } } }, async (em, tick) => {
    const cfg = providerConfig(em.url, 'zendesk');
    const base = `${em.url}/zendesk/acme`;
    const verifier = 'v'.repeat(43);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const q = new URLSearchParams({ response_type: 'code', client_id: ID, redirect_uri: REDIRECT, scope: 'read tickets:write', state: 's', code_challenge: challenge, code_challenge_method: 'S256' });
    assert.equal(cfg.authorizeUrl.replace('{account}', 'acme'), `${base}/oauth/authorizations/new`);
    // Unknown scopes and a missing response_type go back to the app as OAuth errors.
    assert.equal((await authorize(`${base}/oauth/authorizations/new?${new URLSearchParams({ ...Object.fromEntries(q), scope: 'read offline' })}`)).get('error'), 'invalid_scope');
    const code = (await authorize(`${base}/oauth/authorizations/new?${q}`)).get('code');
    const grant = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, expires_in: '1800' };
    // HTTP Basic is not Zendesk's client authentication.
    let r = await post(`${base}/oauth/tokens`, { headers: { authorization: basic(ID, SECRET) }, body: new URLSearchParams(grant).toString() });
    assert.deepEqual([r.status, r.body.error], [401, 'invalid_client']);
    r = await post(`${base}/oauth/tokens`, { body: new URLSearchParams({ ...grant, client_id: ID, client_secret: SECRET, expires_in: '100' }).toString() });
    assert.deepEqual([r.status, r.body.error], [400, 'invalid_request'], 'expires_in must be over 300 s');
    // Zendesk documents a JSON body.
    r = await post(`${base}/oauth/tokens`, { contentType: 'application/json', body: JSON.stringify({ ...grant, client_id: ID, client_secret: SECRET }) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.token_type, 'bearer');
    assert.equal(r.body.expires_in, 1800);
    assert.equal(r.body.refresh_token_expires_in, 2_592_000);
    const first = r.body;
    // Rotation: a new refresh token, the old one dead.
    const refresh = (rt) => post(`${base}/oauth/tokens`, { body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, client_id: ID, client_secret: SECRET, expires_in: '1800' }).toString() });
    r = await refresh(first.refresh_token);
    assert.equal(r.status, 200);
    assert.notEqual(r.body.refresh_token, first.refresh_token);
    assert.deepEqual([(await refresh(first.refresh_token)).body.error], ['invalid_grant']);
    const second = r.body;
    // API: Bearer, then 429 with Retry-After past the bucket.
    const api = (token) => fetch(`${base}/api/v2/users/me.json`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await api(second.access_token)).status, 200);
    assert.equal((await api(second.access_token)).status, 200);
    const limited = await api(second.access_token);
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('retry-after'), /^\d+$/);
    tick(60_000);
    // Revocation: DELETE with the bearer; POST is not the method; afterwards the grant is dead.
    assert.equal((await post(`${base}/api/v2/oauth/tokens/current.json`, { headers: { authorization: `Bearer ${second.access_token}` } })).status, 405);
    const del = await post(`${base}/api/v2/oauth/tokens/current.json`, { method: 'DELETE', headers: { authorization: `Bearer ${second.access_token}` } });
    assert.equal(del.status, 204);
    assert.equal((await api(second.access_token)).status, 401);
    assert.equal((await refresh(second.refresh_token)).body.error, 'invalid_grant');
  });
});

test('front: Basic only, no scope or PKCE at authorize, expires_at, lazy renewal, 429 with Retry-After and X-RateLimit-Reset', async () => {
  await withEmulator({ rateLimit: { front: { capacity: 1, windowSeconds: 60 } } }, async (em) => {
    const base = `${em.url}/front/acme`;
    const q = { response_type: 'code', client_id: ID, redirect_uri: REDIRECT, state: 's' };
    assert.equal((await authorize(`${base}/oauth/authorize?${new URLSearchParams({ ...q, scope: 'read' })}`)).get('error'), 'invalid_scope');
    assert.equal((await authorize(`${base}/oauth/authorize?${new URLSearchParams({ ...q, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`)).get('error'), 'invalid_request');
    const code = (await authorize(`${base}/oauth/authorize?${new URLSearchParams(q)}`)).get('code');
    const grant = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT };
    let r = await post(`${base}/oauth/token`, form({ ...grant, client_id: ID, client_secret: SECRET }));
    assert.deepEqual([r.status, r.body.error], [401, 'invalid_client'], 'credentials in the body are refused');
    r = await post(`${base}/oauth/token`, { headers: { authorization: basic(ID, SECRET) }, ...form(grant) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.expires_in, undefined);
    assert.equal(r.body.expires_at, Math.floor(1_800_000_000_000 / 1000) + 3600);
    const refresh = (rt) => post(`${base}/oauth/token`, { headers: { authorization: basic(ID, SECRET) }, ...form({ grant_type: 'refresh_token', refresh_token: rt }) });
    const same = await refresh(r.body.refresh_token);
    assert.equal(same.body.refresh_token, r.body.refresh_token, 'the same refresh token back');
    em.state.rotateNextRefresh = true;
    const renewed = await refresh(r.body.refresh_token);
    assert.notEqual(renewed.body.refresh_token, r.body.refresh_token);
    assert.equal((await refresh(r.body.refresh_token)).body.error, 'invalid_grant', 'the old one is dead once renewed');
    const api = () => fetch(`${base}/api2/me`, { headers: { authorization: `Bearer ${renewed.body.access_token}` } });
    assert.equal((await api()).status, 200);
    const limited = await api();
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('retry-after'), /^\d+$/);
    assert.equal(Number(limited.headers.get('x-ratelimit-reset')), Math.floor(1_800_000_000_000 / 1000) + Number(limited.headers.get('retry-after')));
    assert.equal((await post(`${base}/oauth/revoke`, form({ token: 'x' }))).status, 404, 'no revocation endpoint');
  });
});

test('helpscout: no response_type / scope / redirect_uri at authorize, no redirect_uri at the token endpoint, invalid_request for a dead refresh token, X-RateLimit-Retry-After', async () => {
  await withEmulator({ rateLimit: { helpscout: { capacity: 1, windowSeconds: 60 } } }, async (em) => {
    const base = `${em.url}/helpscout/acme`;
    const page = `${base}/authentication/authorizeClientApplication`;
    for (const extra of [{ response_type: 'code' }, { scope: 'read' }]) {
      assert.equal((await authorize(`${page}?${new URLSearchParams({ client_id: ID, state: 's', ...extra })}`)).get('error'), Object.hasOwn(extra, 'scope') ? 'invalid_scope' : 'invalid_request');
    }
    // A redirect_uri is not a parameter here: an error page, no redirect.
    const page400 = await fetch(`${page}?${new URLSearchParams({ client_id: ID, state: 's', redirect_uri: REDIRECT })}`, { redirect: 'manual' });
    assert.equal(page400.status, 400);
    await page400.text();
    const cb = await authorize(`${page}?${new URLSearchParams({ client_id: ID, state: 's' })}`);
    const token = `${base}/api/v2/oauth2/token`;
    let r = await post(token, form({ grant_type: 'authorization_code', code: cb.get('code'), client_id: ID, client_secret: SECRET, redirect_uri: REDIRECT }));
    assert.deepEqual([r.status, r.body.error], [400, 'invalid_request'], 'redirect_uri is not a parameter either');
    const code = (await authorize(`${page}?${new URLSearchParams({ client_id: ID, state: 's' })}`)).get('code');
    r = await post(token, { headers: { authorization: basic(ID, SECRET) }, ...form({ grant_type: 'authorization_code', code }) });
    assert.deepEqual([r.status, r.body.error], [401, 'invalid_client'], 'credentials go in the body');
    const code2 = (await authorize(`${page}?${new URLSearchParams({ client_id: ID, state: 's' })}`)).get('code');
    r = await post(token, { contentType: 'application/json', body: JSON.stringify({ grant_type: 'authorization_code', code: code2, client_id: ID, client_secret: SECRET }) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.expires_in, 172_800);
    const refresh = (rt) => post(token, form({ grant_type: 'refresh_token', refresh_token: rt, client_id: ID, client_secret: SECRET }));
    const next = await refresh(r.body.refresh_token);
    assert.notEqual(next.body.refresh_token, r.body.refresh_token);
    assert.deepEqual((await refresh(r.body.refresh_token)).body, { error: 'invalid_request', error_description: 'Invalid refresh_token' });
    const api = () => fetch(`${base}/api/v2/users/me`, { headers: { authorization: `Bearer ${next.body.access_token}` } });
    assert.equal((await api()).status, 200);
    const limited = await api();
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('x-ratelimit-retry-after'), /^\d+$/);
    assert.equal(limited.headers.get('retry-after'), null);
  });
});

test('zoho: the user\'s data centre in the callback, codes redeemed there only, comma scopes, offline on consent, errors with 200, POST ?token= revocation, Zoho-oauthtoken + orgId', async () => {
  await withEmulator({ zohoDataCentre: 'au' }, async (em) => {
    const start = `${em.url}/zoho/us/oauth/v2/auth`;
    const q = { response_type: 'code', client_id: ID, redirect_uri: REDIRECT, scope: 'Desk.tickets.READ,Desk.basic.READ', state: 's', access_type: 'offline' };
    assert.equal((await authorize(`${start}?${new URLSearchParams({ ...q, scope: 'Desk.tickets.READ Desk.basic.READ' })}`)).get('error'), 'invalid_scope', 'spaces are not Zoho\'s separator');
    const cb = await authorize(`${start}?${new URLSearchParams(q)}`);
    assert.equal(cb.get('location'), 'au');
    assert.equal(cb.get('accounts-server'), `${em.url}/zoho/au`);
    const grant = (code) => ({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: ID, client_secret: SECRET });
    // At the wrong data centre the code is unknown — answered with HTTP 200.
    let r = await post(`${em.url}/zoho/us/oauth/v2/token`, form(grant(cb.get('code'))));
    assert.deepEqual([r.status, r.body], [200, { error: 'invalid_code' }]);
    const cb2 = await authorize(`${start}?${new URLSearchParams(q)}`);
    r = await post(`${em.url}/zoho/au/oauth/v2/token`, form({ ...grant(cb2.get('code')), client_secret: 'wrong' }));
    assert.deepEqual([r.status, r.body], [200, { error: 'invalid_client' }]);
    // The parameters may come in the query string of the POST, as Zoho documents them.
    const cb3 = await authorize(`${start}?${new URLSearchParams(q)}`);
    r = await post(`${em.url}/zoho/au/oauth/v2/token?${new URLSearchParams(grant(cb3.get('code')))}`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.refresh_token, undefined, 'a second consent without prompt=consent gives no refresh token');
    const cb4 = await authorize(`${start}?${new URLSearchParams({ ...q, prompt: 'consent' })}`);
    r = await post(`${em.url}/zoho/au/oauth/v2/token`, form(grant(cb4.get('code'))));
    assert.ok(r.body.refresh_token, 'prompt=consent gives another');
    assert.equal(r.body.api_domain, 'https://www.zohoapis.com.au');
    const rt = r.body.refresh_token;
    const refreshed = await post(`${em.url}/zoho/au/oauth/v2/token`, form({ grant_type: 'refresh_token', refresh_token: rt, client_id: ID, client_secret: SECRET }));
    assert.equal(refreshed.body.refresh_token, undefined, 'no rotation: the old one stays');
    // Desk API: Zoho-oauthtoken, orgId.
    const api = (path, headers) => fetch(`${em.url}/zoho/au/desk/api/v1/${path}`, { headers });
    const auth = { authorization: `Zoho-oauthtoken ${refreshed.body.access_token}` };
    assert.equal((await api('organizations', { authorization: `Bearer ${refreshed.body.access_token}` })).status, 401);
    const org = (await (await api('organizations', auth)).json()).data[0].id;
    assert.equal((await api('tickets', auth)).status, 400, 'orgId is required');
    assert.equal((await api('tickets', { ...auth, orgId: org })).status, 200);
    // Revocation: the token in the query, nothing else.
    assert.equal((await post(`${em.url}/zoho/au/oauth/v2/token/revoke`, form({ token: rt }))).body.error, 'invalid_request');
    r = await post(`${em.url}/zoho/au/oauth/v2/token/revoke?token=${encodeURIComponent(rt)}`, {});
    assert.deepEqual([r.status, r.body], [200, { status: 'success' }]);
    assert.equal((await api('organizations', auth)).status, 401, 'access tokens made from it die with it');
    assert.equal((await post(`${em.url}/zoho/au/oauth/v2/token/revoke?token=${encodeURIComponent(rt)}`, {})).status, 400);
    assert.equal((await fetch(`${em.url}/zoho/xx/oauth/v2/token`, { method: 'POST' })).status, 404);
  });
});

test('hubspot: v3 token endpoint on the API host, hub_id and a scopes array, its own error body, 204 revocation, 429 without Retry-After', async () => {
  await withEmulator({ rateLimit: { hubspot: { capacity: 1, windowSeconds: 10 } } }, async (em) => {
    const base = `${em.url}/hubspot/acme`;
    const q = { client_id: ID, redirect_uri: REDIRECT, scope: 'oauth tickets', state: 's' };
    assert.equal((await authorize(`${base}/oauth/authorize?${new URLSearchParams({ ...q, scope: 'oauth offline' })}`)).get('error'), 'invalid_scope');
    const code = (await authorize(`${base}/oauth/authorize?${new URLSearchParams(q)}`)).get('code');
    const token = `${base}/api/oauth/v3/token`;
    let r = await post(token, { headers: { authorization: basic(ID, SECRET) }, ...form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.status, 'BAD_CLIENT_ID');
    assert.match(r.body.correlationId, /^[0-9a-f-]{36}$/);
    r = await post(token, form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: ID, client_secret: SECRET }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.scope, undefined);
    assert.deepEqual(r.body.scopes, ['oauth', 'tickets']);
    assert.equal(typeof r.body.hub_id, 'number');
    assert.equal(r.body.expires_in, 1800);
    const again = await post(token, form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: ID, client_secret: SECRET }));
    assert.deepEqual([again.status, again.body.status, again.body.category], [400, 'BAD_AUTH_CODE', 'VALIDATION_ERROR']);
    const refresh = await post(token, form({ grant_type: 'refresh_token', refresh_token: r.body.refresh_token, client_id: ID, client_secret: SECRET }));
    assert.equal(refresh.body.refresh_token, r.body.refresh_token, 'the same refresh token back');
    const api = () => fetch(`${base}/api/crm/v3/objects/tickets`, { headers: { authorization: `Bearer ${refresh.body.access_token}` } });
    assert.equal((await api()).status, 200);
    const limited = await api();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.equal(limited.headers.get('x-hubspot-ratelimit-remaining'), '0');
    const rv = await post(`${base}/api/oauth/v3/token/revoke`, form({ token: r.body.refresh_token, token_type_hint: 'refresh_token', client_id: ID, client_secret: SECRET }));
    assert.equal(rv.status, 204);
    const dead = await post(token, form({ grant_type: 'refresh_token', refresh_token: r.body.refresh_token, client_id: ID, client_secret: SECRET }));
    assert.deepEqual([dead.status, dead.body.status], [400, 'BAD_REFRESH_TOKEN']);
  });
});

test('intercom: no response_type or scope, optional redirect_uri, {token, access_token} without expiry or refresh token, uninstall by bearer, 429 with X-RateLimit-Reset', async () => {
  await withEmulator({ rateLimit: { intercom: { capacity: 1, windowSeconds: 10 } } }, async (em) => {
    const base = `${em.url}/intercom/acme`;
    assert.equal((await authorize(`${base}/oauth?${new URLSearchParams({ client_id: ID, state: 's', response_type: 'code' })}`)).get('error'), 'invalid_request');
    assert.equal((await authorize(`${base}/oauth?${new URLSearchParams({ client_id: ID, state: 's', scope: 'read' })}`)).get('error'), 'invalid_scope');
    const code = (await authorize(`${base}/oauth?${new URLSearchParams({ client_id: ID, state: 's' })}`)).get('code');
    const token = `${base}/api/auth/eagle/token`;
    let r = await post(token, form({ code, client_id: ID, client_secret: SECRET }));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.token, r.body.access_token);
    assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'token', 'token_type']);
    r = await post(token, form({ grant_type: 'refresh_token', client_id: ID, client_secret: SECRET }));
    assert.equal(r.body.error, 'unsupported_grant_type', 'there is no refresh');
    r = await post(token, form({ grant_type: 'authorization_code', code, refresh_token: 'x', client_id: ID, client_secret: SECRET }));
    assert.equal(r.body.error, 'invalid_request', 'nor a refresh_token parameter');
    const code2 = (await authorize(`${base}/oauth?${new URLSearchParams({ client_id: ID, state: 's', redirect_uri: REDIRECT })}`)).get('code');
    r = await post(token, form({ code: code2, client_id: ID, client_secret: SECRET }));
    assert.equal(r.body.error, 'invalid_grant', 'the redirect_uri of the authorization must come back');
    const api = () => fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${(r2.body.access_token)}` } });
    const code3 = (await authorize(`${base}/oauth?${new URLSearchParams({ client_id: ID, state: 's' })}`)).get('code');
    const r2 = await post(token, form({ code: code3, client_id: ID, client_secret: SECRET }));
    assert.equal((await api()).status, 200);
    const limited = await api();
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
    assert.equal(Number(limited.headers.get('x-ratelimit-reset')), Math.floor(1_800_000_000_000 / 1000) + 10);
    const un = await post(`${base}/api/auth/uninstall`, { headers: { authorization: `Bearer ${r2.body.access_token}` } });
    assert.equal(un.status, 200);
    assert.equal((await post(`${base}/api/auth/uninstall`, { headers: { authorization: `Bearer ${r2.body.access_token}` } })).status, 401);
  });
});
