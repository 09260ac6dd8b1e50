// Refresh failures: faults (network, timeout, 5xx, malformed JSON) keep the stored tokens and
// raise a retryable error; invalid_grant becomes reauthorization_required and deletes the dead
// tokens unless someone replaced them; a rotated refresh token survives store failures and
// conflicts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { closedPort, assertOAuthError, issuedSecrets } from '../node/support/provider-server.mjs';
import { startWorld, gatedStore, EXPIRES_IN } from './support/harness.mjs';

let w;
// A token endpoint that answers every request with /{status}/... as its status and a body saying
// invalid_grant, as proxies and some providers do on a server error (and /200-with-token/ with
// an access token beside the error).
let faultServer;
let faultBase;
before(async () => {
  w = await startWorld();
  faultServer = http.createServer((req, res) => {
    req.resume();
    const [, first] = new URL(req.url, 'http://x').pathname.split('/');
    const body = { error: 'invalid_grant', error_description: 'upstream said so' };
    if (first === '200-with-token') Object.assign(body, { access_token: 'at-with-error', token_type: 'Bearer', expires_in: 3600 });
    const status = first === '200-with-token' ? 200 : Number(first);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise((r) => faultServer.listen(0, '127.0.0.1', r));
  faultBase = `http://127.0.0.1:${faultServer.address().port}`;
});
after(async () => {
  await new Promise((r) => (faultServer ? faultServer.close(r) : r()));
  await w?.close();
});

const NEAR_EXPIRY_MS = (EXPIRES_IN - 30) * 1000; // inside the skew; still valid at the server

const installed = (provider, account, client, store) => w.installed(provider, account, { client, store });

async function withClock(ms, fn) {
  w.clock.now += ms;
  try {
    return await fn();
  } finally {
    w.clock.now -= ms;
  }
}

const FAULTS = [
  ['a 500 HTML page', 'html500', {}],
  ['a 502 HTML page', 'html502', {}],
  ['malformed JSON', 'malformed', {}],
  ['a timeout', 'hang', { options: { timeoutMs: 150 } }],
];

for (const provider of ['gorgias', 'kustomer']) {
  for (const [what, fault, clientOptions] of FAULTS) {
    test(`${provider}: ${what} during a refresh keeps the stored tokens and is retryable`, async () => {
      const { tokens, store, session } = await installed(provider, `${provider}-${fault}`, w.client(provider, clientOptions));
      const before = await store.get(session.key);
      await withClock(NEAR_EXPIRY_MS, async () => {
        w.server.state.nextTokenFault = fault;
        const refreshes = w.server.state.refreshRequests;
        const err = await session.accessToken().then(() => assert.fail('resolved'), (e) => e);
        assertOAuthError(err, w.pkg.HelpdeskOAuthError, err.code, issuedSecrets(w.server));
        assert.equal(err.retryable, true, `${err.code} must be retryable`);
        assert.equal(w.server.state.refreshRequests, refreshes + 1);
        assert.deepEqual(await store.get(session.key), before, 'store untouched: same value and version');
        // The stored access token still works at the API.
        const res = await fetch(w.client(provider).apiUrl('/account', `${provider}-${fault}`), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        // The next call refreshes with the kept refresh token.
        const fresh = await session.accessToken();
        assert.notEqual(fresh, tokens.accessToken);
        assert.equal(w.pkg.TokenSet.fromJSON((await store.get(session.key)).value).accessToken, fresh);
      });
    });
  }

  test(`${provider}: an unreachable token endpoint keeps the stored tokens (network_error)`, async () => {
    const port = await closedPort();
    const good = w.client(provider);
    const tokens = await w.install(good, `${provider}-down`);
    const store = new w.pkg.MemoryTokenStore();
    const down = w.client(provider, { overrides: { tokenUrl: `http://127.0.0.1:${port}/oauth/token` } });
    const session = w.pkg.createSession({ client: down, store, account: `${provider}-down`, now: () => w.clock.now });
    await session.save(tokens);
    const before = await store.get(session.key);
    await withClock(NEAR_EXPIRY_MS, async () => {
      const err = await session.accessToken().then(() => assert.fail('resolved'), (e) => e);
      assertOAuthError(err, w.pkg.HelpdeskOAuthError, 'network_error', issuedSecrets(w.server));
      assert.equal(err.retryable, true);
      assert.deepEqual(await store.get(session.key), before);
    });
  });

  test(`${provider}: invalid_grant becomes reauthorization_required and the dead tokens are deleted`, async () => {
    const { store, session } = await installed(provider, `${provider}-gone`);
    await withClock(NEAR_EXPIRY_MS, async () => {
      w.server.state.nextTokenFault = 'invalid_grant';
      const err = await session.accessToken().then(() => assert.fail('resolved'), (e) => e);
      assertOAuthError(err, w.pkg.HelpdeskOAuthError, 'reauthorization_required', issuedSecrets(w.server));
      assert.equal(err.retryable, false);
      assert.equal(await store.get(session.key), undefined, 'store cleared');
      await assert.rejects(session.accessToken(), (e) => e.code === 'reauthorization_required');
    });
  });
}

// Only a 400 invalid_grant (RFC 6749 §5.2) means the grant is dead: the same body on a 5xx, or in
// a 2xx, is a fault, and deleting the stored tokens on it would lose a live grant.
for (const [what, path, status] of [
  ['a 500', '500', 500],
  ['a 502', '502', 502],
  ['a 503', '503', 503],
  ['a 200 with an access token', '200-with-token', 200],
]) {
  test(`${what} whose body says invalid_grant keeps the stored tokens and is retryable`, async () => {
    const good = w.client('gorgias');
    const account = `ig-${path}`;
    const tokens = await w.install(good, account);
    const store = new w.pkg.MemoryTokenStore();
    const faulty = w.client('gorgias', { overrides: { tokenUrl: `${faultBase}/${path}/oauth/token` } });
    const session = w.pkg.createSession({ client: faulty, store, account, now: () => w.clock.now });
    await session.save(tokens);
    const before = await store.get(session.key);
    await withClock(NEAR_EXPIRY_MS, async () => {
      const err = await session.accessToken().then(() => assert.fail('resolved'), (e) => e);
      assertOAuthError(err, w.pkg.HelpdeskOAuthError, err.code, issuedSecrets(w.server));
      assert.notEqual(err.code, 'reauthorization_required', err.message);
      assert.equal(err.retryable, true, `${err.code} must be retryable: ${err.message}`);
      assert.equal(err.status, status);
      assert.deepEqual(await store.get(session.key), before, 'store untouched: same value and version');
      // The kept refresh token is live: a session over a working endpoint refreshes with it.
      const healthy = w.pkg.createSession({ client: good, store, account, now: () => w.clock.now });
      assert.notEqual(await healthy.accessToken(), tokens.accessToken);
    });
  });
}

test('gorgias: a grant revoked at the provider (uninstall) → reauthorization_required, store cleared', async () => {
  const { client, tokens, store, session } = await installed('gorgias', 'uninstalled');
  await client.revoke(tokens); // what Gorgias does on uninstall
  await withClock((EXPIRES_IN + 5) * 1000, async () => {
    await assert.rejects(session.accessToken(), (e) => e.code === 'reauthorization_required');
    assert.equal(store.size, 0);
  });
});

test('invalid_grant after another writer replaced the tokens: the new tokens are used, not deleted', async () => {
  const store = new w.pkg.MemoryTokenStore();
  let interloper;
  // A client whose transport lets "another process" store a fresh grant while our refresh is on the wire.
  const client = w.client('gorgias', {
    options: {
      fetch: async (url, init) => {
        if (interloper && init.body?.includes('grant_type=refresh_token')) {
          const write = interloper;
          interloper = undefined;
          await write();
          w.server.state.nextTokenFault = 'invalid_grant';
        }
        return fetch(url, init);
      },
    },
  });
  const { session } = await installed('gorgias', 'replaced', client, store);
  const reinstall = await w.install(w.client('gorgias'), 'replaced');
  interloper = async () => {
    await store.set(session.key, reinstall.serialize());
  };
  await withClock(NEAR_EXPIRY_MS, async () => {
    // The reinstalled set is valid until T0 + EXPIRES_IN as well, so it is also within the skew:
    // the session refreshes it (a second refresh request) and stores the result.
    const before = w.server.state.refreshRequests;
    const token = await session.accessToken();
    const now = w.pkg.TokenSet.fromJSON((await store.get(session.key)).value);
    assert.equal(now.refreshToken, reinstall.refreshToken, 'the reinstalled grant is kept');
    assert.equal(now.accessToken, token);
    assert.equal(w.server.state.refreshRequests - before, 2);
  });
});

test('kustomer: a failed store write keeps the rotated token set in memory and writes it on the next call', async () => {
  const inner = new w.pkg.MemoryTokenStore();
  let failWrites = 0;
  const store = {
    get: (k) => inner.get(k),
    set: async (k, v, o) => {
      if (failWrites > 0) {
        failWrites -= 1;
        throw new Error('disk full');
      }
      return inner.set(k, v, o);
    },
    delete: (k, o) => inner.delete(k, o),
  };
  const { tokens, session, client } = await installed('kustomer', 'flaky-store', w.client('kustomer'), store);
  await withClock(NEAR_EXPIRY_MS, async () => {
    failWrites = 1;
    const before = w.server.state.refreshRequests;
    await assert.rejects(session.accessToken(), (e) => e.code === 'token_store_error' && e.retryable && e.cause?.message === 'disk full');
    assert.equal(w.server.state.refreshRequests - before, 1);
    const rotated = w.server.state.issued.refreshTokens.at(-1);
    // The old refresh token is dead at the provider now; only the in-memory set holds the grant.
    await assert.rejects(client.refresh(tokens), (e) => e.code === 'invalid_grant');
    const afterCheck = w.server.state.refreshRequests;
    const token = await session.accessToken();
    assert.equal(w.server.state.refreshRequests, afterCheck, 'the second call wrote the kept set without refreshing');
    const now = w.pkg.TokenSet.fromJSON((await inner.get(session.key)).value);
    assert.equal(now.refreshToken, rotated);
    assert.equal(now.accessToken, token);
  });
});

test('kustomer: two processes refreshing one key: the rotated refresh token is never lost', async () => {
  // Two store wrappers over one backing store play two processes (no shared single-flight).
  const inner = new w.pkg.MemoryTokenStore();
  const storeA = gatedStore(inner);
  const storeB = gatedStore(inner);
  const client = w.client('kustomer');
  const tokens = await w.install(client, 'two-procs');
  const a = w.pkg.createSession({ client, store: storeA, account: 'two-procs', now: () => w.clock.now });
  const b = w.pkg.createSession({ client, store: storeB, account: 'two-procs', now: () => w.clock.now });
  await a.save(tokens);
  await withClock((EXPIRES_IN + 1) * 1000, async () => {
    // A refreshes and is held just before its write; B then refreshes with the same (now dead)
    // refresh token, gets invalid_grant, sees the store unchanged and deletes it.
    const reached = storeA.closeGate();
    const pa = a.accessToken();
    await reached;
    await assert.rejects(b.accessToken(), (e) => e.code === 'reauthorization_required');
    assert.equal(await inner.get(a.key), undefined);
    storeA.openGate();
    // A's conditional write fails (the key is gone) and A puts its live grant back.
    const token = await pa;
    const now = w.pkg.TokenSet.fromJSON((await inner.get(a.key)).value);
    assert.equal(now.accessToken, token);
    assert.equal(now.refreshToken, w.server.state.issued.refreshTokens.at(-1));
    assert.ok(await client.refresh(now), 'the stored refresh token is live');
  });
});
