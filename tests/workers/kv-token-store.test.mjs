// KvTokenStore in workerd (miniflare KV): what it promises when a version check fails — a
// conflicting write or delete fails with token_store_conflict and changes nothing, versions are
// never reused — what it does not promise (KV has no compare-and-set: two writers that read the
// same version both pass the check, as its header says), and a Session over it during a refresh
// that races another writer (the newer stored grant wins; a deleted entry gets the refreshed
// grant back), against the provider emulator on 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';
import { startStoreWorker } from './support/store-harness.mjs';

const CLIENT_ID = 'kv-store-client';
const CLIENT_SECRET = 'kv-store-client-secret-value';
const SCOPES = ['openid', 'offline', 'account:read'];
const PREFIX = 'helpdesk-oauth:tokens:'; // KvTokenStore's default key prefix

let pkg;
let emulator;
let worker;

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], rateLimit: { gorgias: false } });
  worker = await startStoreWorker({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});

after(async () => {
  await worker?.dispose();
  await emulator?.close();
});

function assertConflict(res, secret) {
  assert.equal(res.error?.code, 'token_store_conflict', JSON.stringify(res));
  assert.equal(res.error.retryable, true);
  if (secret) assert.ok(!res.error.message.includes(secret), 'the message quotes the value');
}

async function stored(key) {
  return (await worker.call('kv-get', { key })).entry;
}

test('a write or delete naming a version that is no longer stored fails with token_store_conflict and changes nothing', async () => {
  const key = 'gorgias:conflict-shop';
  const { version: v1 } = await worker.call('kv-set', { key, value: 'grant-one' });
  const { version: v2 } = await worker.call('kv-set', { key, value: 'grant-two', options: { expectedVersion: v1 } });
  assert.equal(typeof v2, 'string');
  assert.notEqual(v2, v1);

  // A writer that read v1 before grant-two was written loses: nothing is written.
  assertConflict(await worker.call('kv-set', { key, value: 'stale-grant-secret', options: { expectedVersion: v1 } }), 'stale-grant-secret');
  // "Only if absent" while an entry exists.
  assertConflict(await worker.call('kv-set', { key, value: 'new-install', options: { expectedVersion: null } }));
  // A delete by someone who read v1 (say, after invalid_grant on the old refresh token).
  assertConflict(await worker.call('kv-delete', { key, options: { expectedVersion: v1 } }));
  assert.deepEqual(await stored(key), { value: 'grant-two', version: v2 });

  assert.deepEqual(await worker.call('kv-delete', { key, options: { expectedVersion: v2 } }), { deleted: true });
  assert.equal(await stored(key), null);
  assert.equal(await worker.call('kv-raw-get', { key: PREFIX + key }).then((r) => r.raw), null);
  // Absent: a delete naming a version conflicts, "only if absent" is fine and deletes nothing.
  assertConflict(await worker.call('kv-delete', { key, options: { expectedVersion: v2 } }));
  assert.deepEqual(await worker.call('kv-delete', { key, options: { expectedVersion: null } }), { deleted: false });

  // Versions are not reused after a delete: a writer still holding v1 or v2 conflicts with the new entry.
  const { version: v3 } = await worker.call('kv-set', { key, value: 'grant-three', options: { expectedVersion: null } });
  assert.ok(![v1, v2].includes(v3));
  assertConflict(await worker.call('kv-set', { key, value: 'stale', options: { expectedVersion: v2 } }));
  assertConflict(await worker.call('kv-set', { key, value: 'stale', options: { expectedVersion: v1 } }));
  assert.deepEqual(await stored(key), { value: 'grant-three', version: v3 });
});

test('KV has no compare-and-set: two writers that read the same version both pass the check, and the last write wins', async () => {
  // What the store's header documents (and why rotating providers belong in the Durable Object):
  // the version check narrows the race, it cannot close it.
  const key = 'gorgias:race-shop';
  const { version: v0 } = await worker.call('kv-set', { key, value: 'grant-zero' });
  const { results } = await worker.call('kv-set-twice', { key, expectedVersion: v0, values: ['writer-a', 'writer-b'] });
  assert.equal(results.length, 2);
  for (const r of results) assert.equal(typeof r.version, 'string', JSON.stringify(results));
  assert.notEqual(results[0].version, results[1].version);
  // The entry is one writer's value with that writer's version, never a mix.
  const entry = await stored(key);
  const winner = results.findIndex((r) => r.version === entry.version);
  assert.ok(winner >= 0, 'the stored version is one of the two written');
  assert.equal(entry.value, ['writer-a', 'writer-b'][winner]);
  // The loser's version is not the stored one: its next conditional write conflicts.
  assertConflict(await worker.call('kv-set', { key, value: 'loser-again', options: { expectedVersion: results[1 - winner].version } }));
});

test('an entry that KvTokenStore did not write is refused with token_store_error and not overwritten by a conditional write', async () => {
  const key = 'gorgias:foreign-shop';
  await worker.call('kv-raw-put', { key: PREFIX + key, raw: 'not a KvTokenStore entry' });
  const got = await worker.call('kv-get', { key });
  assert.equal(got.error?.code, 'token_store_error', JSON.stringify(got));
  assert.equal(got.error.retryable, false);
  const set = await worker.call('kv-set', { key, value: 'grant', options: { expectedVersion: 'some-version' } });
  assert.equal(set.error?.code, 'token_store_error', JSON.stringify(set));
  assert.equal((await worker.call('kv-raw-get', { key: PREFIX + key })).raw, 'not a KvTokenStore entry');
});

/** Two grants for `account` from the install flow in Node, the first with its access token already expired. */
async function twoGrants(account) {
  const client = new pkg.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const grant = async () => {
    const { url, pending } = client.authorize({ account });
    return client.exchangeCode(await followAuthorize(url), pending);
  };
  const first = await grant();
  const second = await grant();
  const expired = pkg.TokenSet.fromJSON({ ...JSON.parse(first.serialize()), expires_at: Date.now() - 1000 });
  return { expired, second };
}

test('Session over KV: another writer stores a newer grant during the refresh — the conflict keeps it, the refreshed one is not written over it', async () => {
  const { expired, second } = await twoGrants('race-save');
  const refreshesBefore = emulator.state.refreshRequests;
  const res = await worker.call('kv-session-race', { account: 'race-save', value: expired.serialize(), race: { mode: 'save', value: second.serialize() } });
  assert.equal(res.error, undefined, JSON.stringify(res));
  assert.equal(emulator.state.refreshRequests, refreshesBefore + 1, 'the refresh happened at the provider');
  assert.equal(res.stored.access_token, second.accessToken, 'the newer grant is still stored');
  assert.equal(res.accessToken, second.accessToken, 'and the session hands it out');
});

test('Session over KV: another writer deletes the entry during the refresh — the refreshed grant is put back', async () => {
  const { expired } = await twoGrants('race-delete');
  const refreshesBefore = emulator.state.refreshRequests;
  const res = await worker.call('kv-session-race', { account: 'race-delete', value: expired.serialize(), race: { mode: 'delete' } });
  assert.equal(res.error, undefined, JSON.stringify(res));
  assert.equal(emulator.state.refreshRequests, refreshesBefore + 1);
  assert.ok(res.stored, 'the refreshed grant is stored again');
  assert.notEqual(res.stored.access_token, expired.accessToken);
  assert.equal(res.stored.access_token, res.accessToken);
  assert.equal(res.stored.refresh_token, expired.refreshToken, 'Gorgias keeps the refresh token');
});
