// accessToken(): refresh ahead of expiry, one refresh for many concurrent callers, the refreshed
// token set stored before anyone gets it; Gorgias keeps its refresh token, Kustomer rotates it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, gatedStore, settled, EXPIRES_IN } from './support/harness.mjs';

let w;
before(async () => {
  w = await startWorld();
});
after(() => w?.close());

const installed = (provider, account, sessionOptions = {}) => w.installed(provider, account, { sessionOptions });

const stored = async (store, key) => w.pkg.TokenSet.fromJSON((await store.get(key)).value);

for (const provider of ['gorgias', 'kustomer']) {
  test(`${provider}: a valid token is served from the store without a refresh`, async () => {
    const { tokens, session, store } = await installed(provider, `${provider}-fresh`);
    const before = w.server.state.refreshRequests;
    assert.equal(await session.accessToken(), tokens.accessToken);
    assert.equal(session.key, `${provider}:${provider}-fresh`);
    assert.equal(w.server.state.refreshRequests, before);
    assert.equal(store.size, 1);
  });

  test(`${provider}: 100 concurrent callers near expiry cause exactly one refresh, stored before use`, async () => {
    const { tokens, session, store } = await installed(provider, `${provider}-crowd`);
    w.clock.now += (EXPIRES_IN - 30) * 1000; // inside the default 60 s skew, not yet expired
    try {
      const before = w.server.state.refreshRequests;
      const results = await Promise.all(Array.from({ length: 100 }, () => session.accessToken()));
      assert.equal(w.server.state.refreshRequests - before, 1, 'exactly one refresh request');
      assert.equal(new Set(results).size, 1, 'every caller got the same token');
      assert.notEqual(results[0], tokens.accessToken, 'a new access token');
      const now = await stored(store, session.key);
      assert.equal(now.accessToken, results[0], 'the token handed out is the stored one');
      if (provider === 'gorgias') {
        assert.equal(now.refreshToken, tokens.refreshToken, 'Gorgias sends no new refresh token: the old one is kept');
      } else {
        assert.notEqual(now.refreshToken, tokens.refreshToken, 'Kustomer rotated the refresh token');
        assert.equal(now.refreshToken, w.server.state.issued.refreshTokens.at(-1));
      }
      // And a later call is served from the store.
      assert.equal(await session.accessToken(), results[0]);
      assert.equal(w.server.state.refreshRequests - before, 1);
    } finally {
      w.clock.now -= (EXPIRES_IN - 30) * 1000;
    }
  });

  test(`${provider}: sessions sharing one store object share the refresh`, async () => {
    const { client, tokens, store, session } = await installed(provider, `${provider}-shared`);
    const other = w.pkg.createSession({ client, store, account: `${provider}-shared`, now: () => w.clock.now });
    w.clock.now += (EXPIRES_IN + 10) * 1000;
    try {
      const before = w.server.state.refreshRequests;
      const [a, b] = await Promise.all([session.accessToken(), other.accessToken()]);
      assert.equal(a, b);
      assert.notEqual(a, tokens.accessToken);
      assert.equal(w.server.state.refreshRequests - before, 1);
    } finally {
      w.clock.now -= (EXPIRES_IN + 10) * 1000;
    }
  });
}

test('kustomer: the rotated refresh token is written before any caller gets the new access token', async () => {
  const client = w.client('kustomer');
  const tokens = await w.install(client, 'rotation');
  const store = gatedStore(new w.pkg.MemoryTokenStore());
  const session = w.pkg.createSession({ client, store, account: 'rotation', now: () => w.clock.now });
  await session.save(tokens);
  w.clock.now += (EXPIRES_IN + 1) * 1000;
  try {
    const reached = store.closeGate();
    const pending = session.accessToken();
    await reached; // the refresh is done and the write is waiting at the gate
    assert.equal(await settled(pending), false, 'no caller may have the token before it is stored');
    const stillOld = await w.pkg.TokenSet.fromJSON((await store.get(session.key)).value);
    assert.equal(stillOld.refreshToken, tokens.refreshToken);
    store.openGate();
    const accessToken = await pending;
    const now = w.pkg.TokenSet.fromJSON((await store.get(session.key)).value);
    assert.equal(now.accessToken, accessToken);
    assert.notEqual(now.refreshToken, tokens.refreshToken);
    // The provider really killed the old refresh token: had we kept it, the grant would be lost.
    await assert.rejects(client.refresh(tokens), (e) => e.code === 'invalid_grant');
    // The stored (rotated) one works.
    const again = await client.refresh(now);
    assert.ok(again.refreshToken);
  } finally {
    w.clock.now -= (EXPIRES_IN + 1) * 1000;
  }
});

test('skewSeconds is configurable: 0 means refresh only once expired', async () => {
  const { tokens, session } = await installed('gorgias', 'skew', { skewSeconds: 0 });
  const before = w.server.state.refreshRequests;
  w.clock.now += (EXPIRES_IN - 1) * 1000;
  try {
    assert.equal(await session.accessToken(), tokens.accessToken);
    assert.equal(w.server.state.refreshRequests, before);
    w.clock.now += 2000;
    assert.notEqual(await session.accessToken(), tokens.accessToken);
    assert.equal(w.server.state.refreshRequests, before + 1);
  } finally {
    w.clock.now -= (EXPIRES_IN + 1) * 1000;
  }
});

test('bad options and bad input are typed errors', async () => {
  const { HelpdeskOAuthError, createSession, MemoryTokenStore } = w.pkg;
  const client = w.client('gorgias');
  const store = new MemoryTokenStore();
  const code = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof HelpdeskOAuthError, `${e}`);
      return e.code;
    }
    assert.fail('no error');
  };
  assert.equal(code(() => createSession({ client, store })), 'invalid_config');
  assert.equal(code(() => createSession({ client, store: {}, account: 'a' })), 'invalid_config');
  assert.equal(code(() => createSession({ client: {}, store, account: 'a' })), 'invalid_config');
  assert.equal(code(() => createSession({ client, store, account: 'evil.com/' })), 'invalid_account');
  assert.equal(code(() => createSession({ client, store, account: 'a', skewSeconds: -1 })), 'invalid_config');
  assert.equal(code(() => createSession({ client, store, account: 'a', retries: 1.5 })), 'invalid_config');
  assert.equal(code(() => createSession({ client, store, account: 'a', sleep: 5 })), 'invalid_config');
  const session = createSession({ client, store, account: 'nothing-stored' });
  await assert.rejects(session.accessToken(), (e) => e instanceof HelpdeskOAuthError && e.code === 'reauthorization_required' && !e.retryable);
  // A token set of another account is refused, in save() and when read back.
  const kTokens = await w.install(client, 'someone-else');
  await assert.rejects(session.save(kTokens), (e) => e.code === 'invalid_config');
  await store.set(session.key, kTokens.serialize());
  await assert.rejects(session.accessToken(), (e) => e.code === 'invalid_config');
  // Garbage in the store.
  await store.set(session.key, '{"v":1}');
  await assert.rejects(session.accessToken(), (e) => e.code === 'token_set_invalid');
  // A store answering the wrong shape.
  const odd = createSession({ client, store: { get: async () => ({ value: 5 }), set: async () => ({ version: 1 }), delete: async () => true }, account: 'odd' });
  await assert.rejects(odd.accessToken(), (e) => e.code === 'token_store_error');
  // A store that throws: wrapped, original kept as cause.
  const boom = new Error('db down');
  const failing = createSession({ client, store: { get: async () => { throw boom; }, set: async () => ({ version: 1 }), delete: async () => true }, account: 'down' });
  await assert.rejects(failing.accessToken(), (e) => e.code === 'token_store_error' && e.retryable && e.cause === boom);
});
