// The token Durable Object's storage-facing parts in workerd (miniflare), against the emulator:
// its injectable clock (`now()`: tokens expire without anybody waiting), sealing at rest
// (`createSealer`, key rotation, an unknown key), garbage in its storage, `info()` without tokens,
// the used-state records behind durableObjectStateStore, and SealedTokenStore over KV.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';
import { startStoreWorker } from './support/store-harness.mjs';

const CLIENT_ID = 'do-stores-client';
const CLIENT_SECRET = 'do-stores-client-secret-value';
const SCOPES = ['openid', 'offline', 'account:read'];
const DAY_MS = 86_400_000;
const b64 = (fill) => Buffer.alloc(32, fill).toString('base64url');

let pkg;
let emulator;
let worker;
let clockOffsetMs = 0;

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], now: () => Date.now() + clockOffsetMs });
  worker = await startStoreWorker({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});

after(async () => {
  await worker?.dispose();
  await emulator?.close();
});

async function tokensFor(account) {
  const client = new pkg.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES, now: () => Date.now() + clockOffsetMs });
  const { url, pending } = client.authorize({ account });
  return client.exchangeCode(await followAuthorize(url), pending);
}

test("the object's clock is injectable: moved past the expiry, the next token request refreshes (no 401 needed)", async () => {
  const tokens = await tokensFor('clock');
  await worker.call('do-save', { account: 'clock', value: tokens.serialize() });
  const refreshes = emulator.state.refreshRequests;
  assert.equal((await worker.call('do-token', { account: 'clock' })).accessToken, tokens.accessToken);
  assert.equal((await worker.call('do-info', { account: 'clock' })).expired, false);
  clockOffsetMs = 2 * DAY_MS; // the emulator's clock too, so its new tokens are dated the same way
  await worker.call('do-clock', { account: 'clock', offsetMs: clockOffsetMs });
  const info = await worker.call('do-info', { account: 'clock' });
  assert.equal(info.expired, true);
  const { accessToken } = await worker.call('do-token', { account: 'clock' });
  assert.notEqual(accessToken, tokens.accessToken);
  assert.equal(emulator.state.refreshRequests - refreshes, 1);
});

test('info() tells what is installed without any token', async () => {
  const tokens = await tokensFor('info');
  assert.deepEqual(await worker.call('do-info', { account: 'info' }), { installed: false });
  await worker.call('do-save', { account: 'info', value: tokens.serialize() });
  const info = await worker.call('do-info', { account: 'info' });
  assert.deepEqual(
    { ...info, expiresAt: typeof info.expiresAt },
    { installed: true, provider: 'gorgias', account: 'info', expiresAt: 'number', expired: false, hasRefreshToken: true, scopes: SCOPES },
  );
  assert.ok(!JSON.stringify(info).includes(tokens.accessToken) && !JSON.stringify(info).includes(tokens.refreshToken));
});

test('sealed storage: no token at rest, keys rotate, an unknown key is a typed error and the value stays', async () => {
  const ns = { namespace: 'SEALED_TOKENS', account: 'sealed' };
  const tokens = await tokensFor('sealed');
  await worker.call('do-save', { ...ns, value: tokens.serialize() });
  const { raw } = await worker.call('do-raw', ns);
  assert.match(raw, /^hoa1\.k1\./);
  assert.ok(!raw.includes(tokens.accessToken) && !raw.includes(tokens.refreshToken));
  assert.equal((await worker.call('do-token', ns)).accessToken, tokens.accessToken);

  // Rotation: k2 seals from now on, k1 still opens what is stored.
  await worker.call('do-sealing', { ...ns, sealing: { keys: { k1: b64(49), k2: b64(50) }, currentKeyId: 'k2' } });
  assert.equal((await worker.call('do-token', ns)).accessToken, tokens.accessToken);
  await worker.call('do-clock', { ...ns, offsetMs: clockOffsetMs + 2 * DAY_MS });
  clockOffsetMs += 2 * DAY_MS;
  const { accessToken } = await worker.call('do-token', ns); // refreshed, written under k2
  assert.notEqual(accessToken, tokens.accessToken);
  const rotated = (await worker.call('do-raw', ns)).raw;
  assert.match(rotated, /^hoa1\.k2\./);

  // The operator dropped k2 too early: typed, not retryable, nothing deleted.
  await worker.call('do-sealing', { ...ns, sealing: { keys: { k3: b64(51) }, currentKeyId: 'k3' } });
  const err = (await worker.call('do-token', ns)).error;
  assert.equal(err.code, 'token_store_error');
  assert.equal(err.retryable, false);
  assert.match(err.message, /key id "k2"/);
  assert.equal((await worker.call('do-raw', ns)).raw, rotated);
});

test('garbage in the object storage is a typed error, and it stays for the operator', async () => {
  const ns = { account: 'garbage' };
  await worker.call('do-raw', { ...ns, put: 'not a token set' });
  const err = (await worker.call('do-token', ns)).error;
  assert.equal(err.code, 'token_set_invalid');
  assert.equal((await worker.call('do-raw', ns)).raw, 'not a token set');
  await worker.call('do-raw', { ...ns, put: 42 });
  const err2 = (await worker.call('do-info', ns)).error;
  assert.equal(err2.code, 'token_store_error');
  assert.equal((await worker.call('do-raw', ns)).raw, 42);
});

test('durableObjectStateStore: a state is consumed once per account object; expired records are forgotten', async () => {
  const id = 'a'.repeat(64);
  const soon = Date.now() + clockOffsetMs + 60_000;
  assert.deepEqual(await worker.call('do-consume-state', { account: 'states', id, expiresAt: soon }), { first: true });
  const again = await Promise.all(Array.from({ length: 5 }, () => worker.call('do-consume-state', { account: 'states', id, expiresAt: soon })));
  assert.deepEqual(again, Array(5).fill({ first: false }));
  assert.deepEqual(await worker.call('do-consume-state', { account: 'states', id: 'b'.repeat(64), expiresAt: soon }), { first: true });
  // Past its expiry (on the object's clock) the record is pruned and the id is new again.
  await worker.call('do-clock', { account: 'states', offsetMs: clockOffsetMs + 120_000 });
  assert.deepEqual(await worker.call('do-consume-state', { account: 'states', id, expiresAt: soon + 3_600_000 }), { first: true });
  assert.equal((await worker.call('do-stored', { account: 'states' })).keys, 1, 'the expired records were deleted');
  const bad = await worker.call('do-consume-state', { account: 'states', id: 'not-a-hash', expiresAt: soon });
  assert.equal(bad.error.code, 'invalid_request');
});

test('SealedTokenStore over KV: sealed values in KV, rotation, an unknown key left in place', async () => {
  const v1 = { keys: { k1: b64(1) }, currentKeyId: 'k1' };
  const { version } = await worker.call('kv-sealed-set', { sealing: v1, key: 'gorgias:kv-sealed', value: 'token set text' });
  const raw = JSON.parse((await worker.call('kv-raw-get', { key: 'helpdesk-oauth:tokens:gorgias:kv-sealed' })).raw);
  assert.equal(raw.version, version);
  assert.match(raw.value, /^hoa1\.k1\./);
  assert.ok(!raw.value.includes('token set text'));
  assert.deepEqual((await worker.call('kv-sealed-get', { sealing: { keys: { k1: b64(1), k2: b64(2) }, currentKeyId: 'k2' }, key: 'gorgias:kv-sealed' })).entry, { value: 'token set text', version });
  const err = (await worker.call('kv-sealed-get', { sealing: { keys: { k2: b64(2) }, currentKeyId: 'k2' }, key: 'gorgias:kv-sealed' })).error;
  assert.equal(err.code, 'token_store_error');
  assert.match(err.message, /"k1"/);
  assert.equal(JSON.parse((await worker.call('kv-raw-get', { key: 'helpdesk-oauth:tokens:gorgias:kv-sealed' })).raw).value, raw.value);
});
