// session.revoke(): revokes at the provider where there is an endpoint (Gorgias), always clears
// the store; a failed provider call keeps the tokens so it can be tried again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort } from '../node/support/provider-server.mjs';
import { startWorld, gatedStore, settled, EXPIRES_IN } from './support/harness.mjs';

let w;
before(async () => {
  w = await startWorld();
});
after(() => w?.close());

test('gorgias: revoke() revokes the refresh token at the provider and clears the store', async () => {
  const client = w.client('gorgias');
  const tokens = await w.install(client, 'leaving');
  const store = new w.pkg.MemoryTokenStore();
  const session = w.pkg.createSession({ client, store, account: 'leaving', now: () => w.clock.now });
  await session.save(tokens);
  const revokes = w.server.state.revokeRequests;
  assert.deepEqual(await session.revoke(), { revokedAtProvider: true });
  assert.equal(w.server.state.revokeRequests - revokes, 1);
  assert.equal(w.server.state.lastRevokeRequest.params.token, tokens.refreshToken);
  assert.equal(store.size, 0);
  await assert.rejects(client.refresh(tokens), (e) => e.code === 'invalid_grant', 'the grant is dead at the provider');
  await assert.rejects(session.accessToken(), (e) => e.code === 'reauthorization_required');
  // Nothing stored: a second revoke is a no-op.
  assert.deepEqual(await session.revoke(), { revokedAtProvider: false });
  assert.equal(w.server.state.revokeRequests - revokes, 1);
});

test('kustomer (no revocation endpoint): revoke() clears the store without a request', async () => {
  const client = w.client('kustomer');
  const tokens = await w.install(client, 'k-leaving');
  const store = new w.pkg.MemoryTokenStore();
  const session = w.pkg.createSession({ client, store, account: 'k-leaving', now: () => w.clock.now });
  await session.save(tokens);
  const revokes = w.server.state.revokeRequests;
  assert.deepEqual(await session.revoke(), { revokedAtProvider: false });
  assert.equal(w.server.state.revokeRequests, revokes);
  assert.equal(store.size, 0);
  await assert.rejects(session.fetch('/account'), (e) => e.code === 'reauthorization_required');
});

test('revoke() waits for a refresh in flight and forgets the grant it stored', async () => {
  const client = w.client('kustomer');
  const tokens = await w.install(client, 'k-busy');
  const inner = new w.pkg.MemoryTokenStore();
  const store = gatedStore(inner);
  const session = w.pkg.createSession({ client, store, account: 'k-busy', now: () => w.clock.now });
  await session.save(tokens);
  w.clock.now += (EXPIRES_IN + 1) * 1000;
  try {
    const reached = store.closeGate();
    const pendingToken = session.accessToken();
    await reached; // refreshed at the provider, write held
    const pendingRevoke = session.revoke();
    assert.equal(await settled(pendingRevoke), false, 'revoke waits for the refresh');
    store.openGate();
    const [token, result] = await Promise.all([pendingToken, pendingRevoke]);
    assert.notEqual(token, tokens.accessToken);
    assert.deepEqual(result, { revokedAtProvider: false });
    assert.equal(inner.size, 0, 'the refreshed set is forgotten too');
    assert.equal(store.calls.delete, 1);
  } finally {
    w.clock.now -= (EXPIRES_IN + 1) * 1000;
  }
});

test('a refresh that finishes after revoke() does not put the grant back', async () => {
  const client = w.client('kustomer');
  const tokens = await w.install(client, 'k-late');
  const store = new w.pkg.MemoryTokenStore();
  const session = w.pkg.createSession({ client, store, account: 'k-late', now: () => w.clock.now });
  await session.save(tokens);
  w.clock.now += (EXPIRES_IN + 1) * 1000;
  try {
    // revoke() starts before the refresh is in flight, so it does not wait for it; the refresh's
    // write then finds the key deleted and must not restore it.
    const refreshes = w.server.state.refreshRequests;
    const [token, result] = await Promise.allSettled([session.accessToken(), session.revoke()]);
    assert.equal(w.server.state.refreshRequests - refreshes, 1);
    assert.equal(token.status, 'rejected');
    assert.equal(token.reason.code, 'reauthorization_required');
    assert.deepEqual(result.value, { revokedAtProvider: false });
    assert.equal(store.size, 0);
  } finally {
    w.clock.now -= (EXPIRES_IN + 1) * 1000;
  }
});

test('gorgias: a failed revocation keeps the stored tokens and throws a typed error', async () => {
  const port = await closedPort();
  const good = w.client('gorgias');
  const tokens = await w.install(good, 'revoke-down');
  const client = w.client('gorgias', { overrides: { revokeUrl: `http://127.0.0.1:${port}/oauth/revoke` } });
  const store = new w.pkg.MemoryTokenStore();
  const session = w.pkg.createSession({ client, store, account: 'revoke-down', now: () => w.clock.now });
  await session.save(tokens);
  const before = await store.get(session.key);
  await assert.rejects(session.revoke(), (e) => e instanceof w.pkg.HelpdeskOAuthError && e.code === 'network_error' && e.retryable);
  assert.deepEqual(await store.get(session.key), before);
  assert.equal(await session.accessToken(), tokens.accessToken);
});
