// The token Durable Object and DurableObjectSession in workerd (miniflare), against the provider
// emulator on 127.0.0.1: revoke (at the provider where it has an endpoint, then the stored
// tokens are gone; kept when the provider cannot be reached), delete (no provider call), and a
// 429's Retry-After through the session: waited out with an injected sleep that moves the
// emulator's clock instead of sleeping, bounded by `retries` and `maxRetryAfterSeconds`,
// cancelled by an AbortSignal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, kustomerProvider, followAuthorize, closedPort, REDIRECT_URI } from '../node/support/provider-server.mjs';
import { startStoreWorker } from './support/store-harness.mjs';

const CLIENT_ID = 'do-session-client';
const CLIENT_SECRET = 'do-session-client-secret-value';
const SCOPES = { gorgias: ['openid', 'offline', 'account:read'], kustomer: ['org.permission.customer', 'offline_access'] };
// Gorgias answers one API call per account per minute here: the second gets 429 with Retry-After.
const RATE_WINDOW_SECONDS = 60;

let pkg;
let emulator;
let clockServer;
let faultServer; // a token endpoint answering /{status}/token with that status and an invalid_grant body
let clockOffsetMs = 0; // the emulator's clock runs ahead by this much; the store worker's sleep moves it
let gorgias;
let kustomer;
const providers = {};

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    now: () => Date.now() + clockOffsetMs,
    rateLimit: { gorgias: { capacity: 1, windowSeconds: RATE_WINDOW_SECONDS } },
  });
  // POST /advance?ms=N from the Worker's injected sleep: the time it would have slept passes at the provider.
  clockServer = http.createServer((req, res) => {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms'));
    if (req.method === 'POST' && Number.isFinite(ms) && ms >= 0) clockOffsetMs += ms;
    res.writeHead(204).end();
  });
  await new Promise((r) => clockServer.listen(0, '127.0.0.1', r));
  faultServer = http.createServer((req, res) => {
    req.resume();
    const status = Number(new URL(req.url, 'http://x').pathname.split('/')[1]);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
  });
  await new Promise((r) => faultServer.listen(0, '127.0.0.1', r));
  providers.gorgias = gorgiasProvider(emulator.url);
  providers.kustomer = kustomerProvider(emulator.url);
  const common = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI };
  const deadUrl = `http://127.0.0.1:${await closedPort()}/oauth/revoke`;
  [gorgias, kustomer] = await Promise.all([
    startStoreWorker({ ...common, provider: providers.gorgias, scopes: SCOPES.gorgias, clockUrl: `http://127.0.0.1:${clockServer.address().port}`, deadUrl, faultUrl: `http://127.0.0.1:${faultServer.address().port}/503/token` }),
    startStoreWorker({ ...common, provider: providers.kustomer, scopes: SCOPES.kustomer }),
  ]);
});

after(async () => {
  await Promise.all([gorgias, kustomer].map((w) => w?.dispose()));
  await new Promise((r) => (clockServer ? clockServer.close(r) : r()));
  await new Promise((r) => (faultServer ? faultServer.close(r) : r()));
  await emulator?.close();
});

/** An OAuthClient in Node on the emulator's clock (for the install flow and checks at the provider). */
function nodeClient(provider) {
  return new pkg.OAuthClient({ provider: providers[provider], clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES[provider], now: () => Date.now() + clockOffsetMs });
}

/** Runs the install flow in Node and saves the token set in the account's Durable Object. */
async function installInto(worker, provider, account, namespace) {
  const client = nodeClient(provider);
  const { url, pending } = client.authorize({ account });
  const tokens = await client.exchangeCode(await followAuthorize(url), pending);
  assert.deepEqual(await worker.call('do-save', { account, namespace, value: tokens.serialize() }), { saved: true });
  assert.deepEqual(await worker.call('do-stored', { account, namespace }), { keys: 1 });
  return tokens;
}

async function assertNothingStored(worker, account, namespace) {
  assert.deepEqual(await worker.call('do-stored', { account, namespace }), { keys: 0 });
  const token = await worker.call('do-token', { account, namespace });
  assert.equal(token.error?.code, 'reauthorization_required', JSON.stringify(token));
}

async function assertRejectsCode(promise, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof pkg.HelpdeskOAuthError, `${err?.name}: ${err?.message}`);
    assert.equal(err.code, code, err.message);
    return true;
  });
}

// ---- revoke and delete ----

test('revoke (Gorgias): the grant is revoked at the provider, then the stored tokens are gone', async () => {
  const tokens = await installInto(gorgias, 'gorgias', 'revoke-shop');
  const before = { ...emulator.state };
  assert.deepEqual(await gorgias.call('do-revoke', { account: 'revoke-shop' }), { revokedAtProvider: true });
  assert.equal(emulator.state.revokeRequests, before.revokeRequests + 1);
  assert.equal(emulator.state.lastRevokeRequest.account, 'revoke-shop');
  assert.ok([tokens.refreshToken, tokens.accessToken].includes(emulator.state.lastRevokeRequest.params.token), 'revoked one of the stored tokens');
  await assertNothingStored(gorgias, 'revoke-shop');
  // Really revoked at the provider: the old refresh token no longer refreshes.
  await assertRejectsCode(nodeClient('gorgias').refresh(tokens), 'invalid_grant');
  // Nothing left to revoke: no second provider call.
  assert.deepEqual(await gorgias.call('do-revoke', { account: 'revoke-shop' }), { revokedAtProvider: false });
  assert.equal(emulator.state.revokeRequests, before.revokeRequests + 1);
});

test('revoke (Kustomer, no revocation endpoint): the stored tokens are deleted, the provider is not called', async () => {
  await installInto(kustomer, 'kustomer', 'revoke-org');
  const before = { ...emulator.state };
  assert.deepEqual(await kustomer.call('do-revoke', { account: 'revoke-org' }), { revokedAtProvider: false });
  assert.equal(emulator.state.revokeRequests, before.revokeRequests);
  assert.equal(emulator.state.tokenRequests, before.tokenRequests);
  await assertNothingStored(kustomer, 'revoke-org');
});

test('revoke when the provider cannot be reached: the error is raised and the tokens stay stored', async () => {
  const tokens = await installInto(gorgias, 'gorgias', 'revoke-down', 'DEAD_REVOKE_TOKENS');
  const res = await gorgias.call('do-revoke', { account: 'revoke-down', namespace: 'DEAD_REVOKE_TOKENS' });
  assert.equal(res.error?.code, 'network_error', JSON.stringify(res));
  assert.equal(res.error.retryable, true);
  assert.deepEqual(await gorgias.call('do-stored', { account: 'revoke-down', namespace: 'DEAD_REVOKE_TOKENS' }), { keys: 1 });
  assert.deepEqual(await gorgias.call('do-token', { account: 'revoke-down', namespace: 'DEAD_REVOKE_TOKENS' }), { accessToken: tokens.accessToken });
});

test('delete: the stored tokens are gone without a provider call; the grant still lives at the provider', async () => {
  const tokens = await installInto(gorgias, 'gorgias', 'delete-shop');
  const before = { ...emulator.state };
  assert.deepEqual(await gorgias.call('do-delete', { account: 'delete-shop' }), { deleted: true });
  assert.equal(emulator.state.revokeRequests, before.revokeRequests);
  assert.equal(emulator.state.tokenRequests, before.tokenRequests);
  await assertNothingStored(gorgias, 'delete-shop');
  assert.deepEqual(await gorgias.call('do-delete', { account: 'delete-shop' }), { deleted: false });
  // Not revoked: the refresh token still works at the provider.
  const refreshed = await nodeClient('gorgias').refresh(tokens);
  assert.equal(typeof refreshed.accessToken, 'string');
});

test('a 503 whose body says invalid_grant: the object keeps the stored tokens and the error is retryable', async () => {
  const tokens = await installInto(gorgias, 'gorgias', 'fault-shop', 'FAULTY_REFRESH_TOKENS');
  // Stored as expired, so that the object refreshes (at the faulty endpoint) on the next request.
  const expired = JSON.parse(tokens.serialize());
  expired.obtained_at = Date.now() - 7200_000;
  expired.expires_at = Date.now() - 3600_000;
  const value = JSON.stringify(expired);
  await gorgias.call('do-save', { account: 'fault-shop', namespace: 'FAULTY_REFRESH_TOKENS', value });
  const res = await gorgias.call('do-token', { account: 'fault-shop', namespace: 'FAULTY_REFRESH_TOKENS' });
  assert.notEqual(res.error?.code, 'reauthorization_required', JSON.stringify(res));
  assert.equal(res.error?.retryable, true, JSON.stringify(res));
  assert.deepEqual(await gorgias.call('do-stored', { account: 'fault-shop', namespace: 'FAULTY_REFRESH_TOKENS' }), { keys: 1 });
});

// ---- 429 through the DurableObjectSession ----

/** Installs `account` and spends its one API call of the window, so that the next call gets 429. */
async function rateLimited(account) {
  await installInto(gorgias, 'gorgias', account);
  const first = await gorgias.call('do-fetch', { account, path: '/account' });
  assert.equal(first.status, 200, JSON.stringify(first));
  assert.deepEqual(first.sleeps, []);
}

test('429: Retry-After is waited out (injected sleep, given the signal) and the request tried again', async () => {
  await rateLimited('limited-shop');
  const before = { ...emulator.state };
  const res = await gorgias.call('do-fetch', { account: 'limited-shop', path: '/account', sleep: 'advance' });
  assert.equal(res.status, 200, JSON.stringify(res));
  assert.equal(res.body.domain, 'limited-shop');
  assert.equal(res.sleeps.length, 1);
  const { ms, gotSignal } = res.sleeps[0];
  assert.ok(Number.isInteger(ms / 1000) && ms >= 1000 && ms <= RATE_WINDOW_SECONDS * 1000, `slept ${ms} ms, the Retry-After in ms`);
  assert.equal(gotSignal, true, 'the sleep gets the request signal to stop its timer');
  assert.equal(emulator.state.rateLimited, before.rateLimited + 1);
  assert.equal(emulator.state.apiRequests, before.apiRequests + 2);
  assert.equal(emulator.state.tokenRequests, before.tokenRequests, 'a 429 is not a reason to refresh');
});

test('429: at most `retries` waits, then the last 429 is returned (never a loop)', async () => {
  await rateLimited('limited-often');
  let before = { ...emulator.state };
  // The sleep moves no clock: every retry is refused again.
  const twice = await gorgias.call('do-fetch', { account: 'limited-often', path: '/account', options: { retries: 2 } });
  assert.equal(twice.status, 429, JSON.stringify(twice));
  assert.equal(twice.sleeps.length, 2);
  assert.ok(Number(twice.retryAfter) >= 1);
  assert.equal(emulator.state.apiRequests, before.apiRequests + 3);

  before = { ...emulator.state };
  const never = await gorgias.call('do-fetch', { account: 'limited-often', path: '/account', options: { retries: 0 } });
  assert.equal(never.status, 429);
  assert.deepEqual(never.sleeps, []);
  assert.equal(emulator.state.apiRequests, before.apiRequests + 1);

  before = { ...emulator.state };
  const byDefault = await gorgias.call('do-fetch', { account: 'limited-often', path: '/account' });
  assert.equal(byDefault.status, 429);
  assert.equal(byDefault.sleeps.length, 1, 'one retry by default');
  assert.equal(emulator.state.apiRequests, before.apiRequests + 2);
});

test('429: a Retry-After longer than maxRetryAfterSeconds is returned without waiting', async () => {
  await rateLimited('limited-long');
  const before = { ...emulator.state };
  const res = await gorgias.call('do-fetch', { account: 'limited-long', path: '/account', options: { maxRetryAfterSeconds: 30 } });
  assert.equal(res.status, 429, JSON.stringify(res));
  assert.ok(Number(res.retryAfter) > 30, `Retry-After ${res.retryAfter}`);
  assert.deepEqual(res.sleeps, []);
  assert.equal(emulator.state.apiRequests, before.apiRequests + 1);
});

test('429: an AbortSignal cancels the Retry-After wait with `aborted`; no further request', async () => {
  await rateLimited('limited-abort');
  const before = { ...emulator.state };
  const res = await gorgias.call('do-fetch', { account: 'limited-abort', path: '/account', sleep: 'abort' });
  assert.equal(res.error?.code, 'aborted', JSON.stringify(res));
  assert.equal(res.sleeps.length, 1);
  // The abort ended the wait: the session did not wait for the sleep, which ignores the signal.
  assert.deepEqual(res.events, ['fetch settled', 'sleep ended']);
  assert.equal(emulator.state.apiRequests, before.apiRequests + 1);
});

test('bad retry options are refused with invalid_config when the session is made', async () => {
  for (const options of [{ retries: 1.5 }, { retries: -1 }, { maxRetryAfterSeconds: -1 }, { maxRetryAfterSeconds: 'soon' }, { sleep: 5 }, { now: 'now' }]) {
    const res = await gorgias.call('do-options', { account: 'options-shop', options });
    assert.equal(res.error?.code, 'invalid_config', JSON.stringify(options));
  }
  assert.deepEqual(await gorgias.call('do-options', { account: 'options-shop', options: { retries: 3, maxRetryAfterSeconds: 0.5 } }), { accepted: true });
});
