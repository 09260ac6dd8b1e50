// The callback handler's single-use state with its default (this process's memory) and with a
// state store given: a callback sent twice reaches the provider once; the second answer is 409
// state_reused; a state store that fails stops the exchange with a retryable error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadStores } from './support/clients.mjs';
import { startProviderServer, kustomerProvider, gorgiasProvider, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';

const CLIENT_ID = 'state-client';
const CLIENT_SECRET = 'state-client-secret-value';
const COOKIE_SECRET = 'single-use-state-cookie-secret-0123456789';

let pkg;
let emulator;

before(async () => {
  pkg = (await loadStores()).esm;
  emulator = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], reuseDetection: true });
});

after(() => emulator?.close());

const clientFor = (provider) =>
  new pkg.OAuthClient({
    provider: provider === 'gorgias' ? gorgiasProvider(emulator.url) : kustomerProvider(emulator.url),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: provider === 'gorgias' ? ['openid', 'offline', 'account:read'] : ['org.permission.customer', 'offline_access'],
  });

/** A callback URL and its cookie, as the browser would send them. */
async function pendingCallback(client, account) {
  const { url, pending } = client.authorize({ account });
  const cookie = (await pkg.sealPendingCookie(pending, COOKIE_SECRET)).split(';')[0];
  return { url: await followAuthorize(url), cookie };
}

const send = (handler, { url, cookie }) => handler(new Request(url, { headers: { cookie, accept: 'application/json' } }));

for (const provider of ['gorgias', 'kustomer']) {
  test(`${provider}: the same callback twice, in turn and at once: one code exchange, then 409 state_reused`, async () => {
    const client = clientFor(provider);
    const saved = [];
    const handler = pkg.createCallbackHandler({ client, cookieSecret: COOKIE_SECRET, onTokens: (tokens) => void saved.push(tokens) });
    const exchanges = emulator.state.codeRequests;
    const cb = await pendingCallback(client, 'twice');
    const first = await send(handler, cb);
    assert.equal(first.status, 303);
    const second = await send(handler, cb);
    assert.equal(second.status, 409);
    const body = await second.json();
    assert.equal(body.error, 'state_reused');
    assert.equal(body.retryable, false);
    assert.match(second.headers.get('set-cookie'), /Max-Age=0/);
    assert.equal(emulator.state.codeRequests - exchanges, 1, 'the replay never reached the provider');
    assert.equal(emulator.state.codeReuse, 0);
    // The first install's grant is alive: a refresh with its token works.
    assert.ok((await client.refresh(saved[0])).accessToken);

    const cb2 = await pendingCallback(client, 'together');
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(handler, cb2)));
    assert.deepEqual(answers.map((r) => r.status).sort(), [303, 409, 409, 409, 409]);
    assert.equal(emulator.state.codeRequests - exchanges, 2);
  });
}

test('a state store is asked before the exchange; one that fails stops it with a retryable error', async () => {
  const client = clientFor('gorgias');
  const seen = [];
  const store = {
    async consumeState(id, options) {
      seen.push({ id, ...options });
      if (options.account === 'down') throw new Error('connection refused');
      return true;
    },
  };
  const handler = pkg.createCallbackHandler({ client, cookieSecret: COOKIE_SECRET, stateStore: store, onTokens: () => undefined });
  const exchanges = emulator.state.codeRequests;
  const down = await send(handler, await pendingCallback(client, 'down'));
  assert.equal(down.status, 502);
  const body = await down.json();
  assert.equal(body.error, 'token_store_error');
  assert.equal(body.retryable, true);
  assert.equal(emulator.state.codeRequests, exchanges, 'no code exchange without a recorded state');
  assert.equal((await send(handler, await pendingCallback(client, 'up'))).status, 303);
  // The store sees the state's SHA-256, never the state, and when it may forget it.
  assert.match(seen[1].id, /^[0-9a-f]{64}$/);
  assert.equal(seen[1].provider, 'gorgias');
  assert.equal(seen[1].account, 'up');
  assert.ok(seen[1].expiresAt > Date.now() + 3600_000 && seen[1].expiresAt < Date.now() + 2 * 3600_000);
  assert.throws(() => pkg.createCallbackHandler({ client, cookieSecret: COOKIE_SECRET, stateStore: {}, onTokens: () => undefined }), (e) => e.code === 'invalid_config');
});
