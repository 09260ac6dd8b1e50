// The example Worker (examples/cloudflare-worker) in workerd, against the provider emulator on
// 127.0.0.1: install → callback → API proxy, the cookie's failure modes, state mismatch, and 20
// concurrent API calls that need a refresh causing exactly one refresh at the provider.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, kustomerProvider, followAuthorize } from '../node/support/provider-server.mjs';
import { startWorker, cookiePair, WORKER_ORIGIN, REDIRECT_URI, COOKIE_SECRET, API_PROXY_TOKEN } from './support/worker.mjs';

const CLIENT_ID = 'worker-client';
const CLIENT_SECRET = 'worker-client-secret-value';
const JSON_ACCEPT = { accept: 'application/json' };

let pkg;
let emulator;
let clockOffsetMs = 0; // the emulator's clock runs ahead by this much: its access tokens expire
let gorgias; // worker with the Durable Object backend, Gorgias
let kustomer; // worker with the Durable Object backend, Kustomer (rotating refresh tokens)
let kvWorker; // worker without TOKENS: tokens in KV through a Session

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], now: () => Date.now() + clockOffsetMs, rateLimit: { gorgias: false } });
  const common = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };
  [gorgias, kustomer, kvWorker] = await Promise.all([
    startWorker({ ...common, provider: gorgiasProvider(emulator.url) }),
    startWorker({ ...common, provider: kustomerProvider(emulator.url) }),
    startWorker({ ...common, provider: gorgiasProvider(emulator.url), backend: 'kv' }),
  ]);
});

after(async () => {
  await Promise.all([gorgias, kustomer, kvWorker].map((w) => w?.dispose()));
  await emulator?.close();
});

/** GET /install on the worker; returns the 302's Location and the cookie pair. */
async function install(worker, account, query = '') {
  const res = await worker.dispatchFetch(`${WORKER_ORIGIN}/install?account=${account}${query}`, { redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  const setCookie = res.headers.get('set-cookie');
  return { location: res.headers.get('location'), setCookie, cookie: cookiePair(setCookie) };
}

function callback(worker, url, cookie, headers = {}) {
  return worker.dispatchFetch(url, { redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });
}

function apiCall(worker, account) {
  return worker.dispatchFetch(`${WORKER_ORIGIN}/api/${account}/account`, { headers: { authorization: `Bearer ${API_PROXY_TOKEN}` } });
}

/** Asserts a failed callback: status, JSON code, cleared cookie, security headers. */
async function assertCallbackError(res, status, code) {
  const body = await res.json();
  assert.equal(body.error, code, body.message);
  assert.equal(res.status, status);
  assert.match(res.headers.get('set-cookie') ?? '', /^__Host-helpdesk-oauth=; Max-Age=0; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  return body;
}

test('install → callback → API call through the Durable Object (Gorgias)', async () => {
  const { location, setCookie, cookie } = await install(gorgias, 'acme');
  assert.ok(location.startsWith(`${emulator.url}/gorgias/acme/oauth/authorize?`), location);
  assert.match(setCookie, /^__Host-helpdesk-oauth=v1\.[\w-]{16}\.[\w-]+; Max-Age=600; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
  // The sealed value shows nothing of the pending record (state, verifier) to the browser.
  const state = new URL(location).searchParams.get('state');
  assert.ok(!setCookie.includes(state));

  const tokensBefore = emulator.state.tokenRequests;
  const res = await callback(gorgias, await followAuthorize(location), cookie);
  assert.equal(res.status, 303, await res.text());
  assert.equal(res.headers.get('location'), '/installed');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(res.headers.get('set-cookie'), '__Host-helpdesk-oauth=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax');
  assert.equal(emulator.state.tokenRequests, tokensBefore + 1);

  const api = await apiCall(gorgias, 'acme');
  assert.equal(api.status, 200);
  assert.equal((await api.json()).domain, 'acme');
  // The proxy is not open to anyone.
  const anonymous = await gorgias.dispatchFetch(`${WORKER_ORIGIN}/api/acme/account`);
  assert.equal(anonymous.status, 401);
  await anonymous.arrayBuffer();
});

test('install → callback → API call with tokens in KV (Session over KvTokenStore)', async () => {
  const { location, cookie } = await install(kvWorker, 'kvshop', '&return_to=/app/tickets?x=1');
  const res = await callback(kvWorker, await followAuthorize(location), cookie);
  assert.equal(res.status, 303, await res.text());
  assert.equal(res.headers.get('location'), '/app/tickets?x=1');
  const api = await apiCall(kvWorker, 'kvshop');
  assert.equal(api.status, 200);
  assert.equal((await api.json()).domain, 'kvshop');
  // Stored where the KV store puts it, as a versioned entry holding the serialized token set.
  const kv = await kvWorker.getKVNamespace('TOKENS_KV');
  const entry = JSON.parse(await kv.get('helpdesk-oauth:tokens:gorgias:kvshop'));
  assert.equal(typeof entry.version, 'string');
  assert.equal(pkg.TokenSet.fromJSON(entry.value).account, 'kvshop');
});

test('install refuses a bad account and an open redirect, setting no cookie', async () => {
  for (const [query, code] of [
    ['account=evil.com%2F', 'invalid_account'],
    ['', 'invalid_install_request'],
    ['account=acme&return_to=https://evil.example/', 'invalid_return_to'],
    ['account=acme&return_to=//evil.example/app/', 'invalid_return_to'],
    ['account=acme&return_to=/admin', 'invalid_return_to'],
  ]) {
    const res = await gorgias.dispatchFetch(`${WORKER_ORIGIN}/install?${query}`, { redirect: 'manual', headers: JSON_ACCEPT });
    const body = await res.json();
    assert.equal(res.status, 400, query);
    assert.equal(body.error, code, query);
    assert.equal(res.headers.get('set-cookie'), null, query);
    assert.equal(res.headers.get('location'), null, query);
  }
});

test('a missing cookie fails with cookie_missing, before any token request', async () => {
  const { location } = await install(gorgias, 'acme');
  const cb = await followAuthorize(location);
  const before = emulator.state.tokenRequests;
  await assertCallbackError(await callback(gorgias, cb, undefined, JSON_ACCEPT), 400, 'cookie_missing');
  await assertCallbackError(await callback(gorgias, cb, 'other=1; __Host-helpdesk-oauth=', JSON_ACCEPT), 400, 'cookie_missing');
  assert.equal(emulator.state.tokenRequests, before);
});

test('tampered, doubled, foreign and malformed cookies fail with cookie_invalid', async () => {
  const { location, cookie } = await install(gorgias, 'acme');
  const cb = await followAuthorize(location);
  const value = cookie.slice(cookie.indexOf('=') + 1);
  const [v, iv, ct] = value.split('.');
  const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const foreign = await pkg.sealPendingCookie(
    new pkg.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: ['openid', 'offline'] }).authorize({ account: 'acme' }).pending,
    'another-app-secret-of-at-least-32-bytes!!',
  );
  const cases = {
    'ciphertext bit flipped': `__Host-helpdesk-oauth=${v}.${iv}.${flip(ct, 5)}`,
    'iv changed': `__Host-helpdesk-oauth=${v}.${flip(iv, 0)}.${ct}`,
    'truncated': `__Host-helpdesk-oauth=${v}.${iv}.${ct.slice(0, -4)}`,
    'other version': `__Host-helpdesk-oauth=v2.${iv}.${ct}`,
    'twice': `${cookie}; ${cookie}`,
    'sealed with another secret': cookiePair(foreign),
    'garbage': '__Host-helpdesk-oauth=%00%01',
  };
  const before = emulator.state.tokenRequests;
  for (const [name, header] of Object.entries(cases)) {
    const body = await assertCallbackError(await callback(gorgias, cb, header, JSON_ACCEPT), 400, 'cookie_invalid');
    assert.ok(!body.message.includes(ct.slice(0, 12)), `${name}: message quotes the cookie`);
  }
  assert.equal(emulator.state.tokenRequests, before);
  // The untouched cookie still works: the failures above were the tampering.
  assert.equal((await callback(gorgias, cb, cookie)).status, 303);
});

test('an expired cookie fails with cookie_expired', async () => {
  // Sealed by the package in Node with the worker's secret, dated 11 minutes ago (lifetime 10).
  const client = new pkg.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: ['openid', 'offline'] });
  const request = client.authorize({ account: 'acme' });
  const setCookie = await pkg.sealPendingCookie(request.pending, COOKIE_SECRET, { now: Date.now() - 11 * 60_000 });
  const cb = await followAuthorize(request.url);
  const before = emulator.state.tokenRequests;
  await assertCallbackError(await callback(gorgias, cb, cookiePair(setCookie), JSON_ACCEPT), 400, 'cookie_expired');
  assert.equal(emulator.state.tokenRequests, before);
  // The same record sealed now opens (the expiry, not the record, failed).
  const fresh = await pkg.sealPendingCookie(request.pending, COOKIE_SECRET);
  assert.equal((await callback(gorgias, cb, cookiePair(fresh))).status, 303);
});

test("a callback with another install's state fails with state_mismatch; a replay fails too", async () => {
  const a = await install(gorgias, 'acme');
  const b = await install(gorgias, 'acme');
  const cbB = await followAuthorize(b.location);
  const before = emulator.state.tokenRequests;
  await assertCallbackError(await callback(gorgias, cbB, a.cookie, JSON_ACCEPT), 400, 'state_mismatch');
  assert.equal(emulator.state.tokenRequests, before, 'no code was sent to the provider');
  // B completes; replaying B's callback with B's cookie (a double submit, or an attacker who kept
  // both) is stopped before the provider: the state was used (the account's Durable Object says so).
  assert.equal((await callback(gorgias, cbB, b.cookie)).status, 303);
  const exchanges = emulator.state.tokenRequests;
  const replay = await callback(gorgias, cbB, b.cookie, JSON_ACCEPT);
  await assertCallbackError(replay, 409, 'state_reused');
  assert.equal(emulator.state.tokenRequests, exchanges, 'the replayed code never reached the provider');
});

test('20 concurrent API calls that need a refresh cause exactly one refresh (Kustomer, rotation)', async () => {
  const { location, cookie } = await install(kustomer, 'myorg');
  assert.equal((await callback(kustomer, await followAuthorize(location), cookie)).status, 303);
  assert.equal((await apiCall(kustomer, 'myorg')).status, 200);

  for (const round of [1, 2]) {
    // The provider's clock jumps two days: every access token it issued is now expired (401).
    clockOffsetMs += 2 * 86_400_000;
    const refreshesBefore = emulator.state.refreshRequests;
    const responses = await Promise.all(Array.from({ length: 20 }, () => apiCall(kustomer, 'myorg')));
    const statuses = await Promise.all(responses.map(async (r) => [r.status, (await r.json()).domain]));
    assert.deepEqual(statuses, Array(20).fill([200, 'myorg']), `round ${round}`);
    // Round 2 needs the refresh token rotated in round 1: it was stored before anyone got the new access token.
    assert.equal(emulator.state.refreshRequests, refreshesBefore + 1, `round ${round}: refreshes at the provider`);
  }
});

test('a revoked grant answers reauthorization_required through the proxy', async () => {
  const { location, cookie } = await install(kustomer, 'goneorg');
  assert.equal((await callback(kustomer, await followAuthorize(location), cookie)).status, 303);
  clockOffsetMs += 2 * 86_400_000;
  emulator.state.nextTokenFault = 'invalid_grant';
  const res = await apiCall(kustomer, 'goneorg');
  const body = await res.json();
  assert.equal(res.status, 401);
  assert.equal(body.error, 'reauthorization_required');
});
