// The example Worker (examples/cloudflare-worker) in workerd against an emulator that plays a
// strict Kustomer: refresh tokens rotate, a rotated one presented again revokes the grant, and
// access tokens live 30 s (below the 60 s refresh skew, so every request finds them expiring).
// Through the Durable Object and through the KV fallback: 20 concurrent requests after expiry
// make one refresh; a callback sent twice is exchanged once; GET /accounts lists the installed
// accounts without tokens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startProviderServer, kustomerProvider, followAuthorize } from '../node/support/provider-server.mjs';
import { startWorker, cookiePair, WORKER_ORIGIN, REDIRECT_URI, API_PROXY_TOKEN } from './support/worker.mjs';

const CLIENT_ID = 'example-stores-client';
const CLIENT_SECRET = 'example-stores-client-secret';

let emulator;
const workers = {};

before(async () => {
  emulator = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], expiresIn: 30, reuseDetection: true });
  const common = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, provider: kustomerProvider(emulator.url) };
  [workers['durable-object'], workers.kv] = await Promise.all([startWorker(common), startWorker({ ...common, backend: 'kv' })]);
});

after(async () => {
  await Promise.all(Object.values(workers).map((w) => w.dispose()));
  await emulator?.close();
});

async function install(worker, account) {
  const res = await worker.dispatchFetch(`${WORKER_ORIGIN}/install?account=${account}`, { redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  return { callbackUrl: await followAuthorize(res.headers.get('location')), cookie: cookiePair(res.headers.get('set-cookie')) };
}

const callback = (worker, { callbackUrl, cookie }) => worker.dispatchFetch(callbackUrl, { redirect: 'manual', headers: { cookie, accept: 'application/json' } });
const authorization = { authorization: `Bearer ${API_PROXY_TOKEN}` };

for (const backend of ['durable-object', 'kv']) {
  test(`${backend}: 20 concurrent requests after expiry make one refresh, twice in a row`, async () => {
    const worker = workers[backend];
    const account = `busy${backend === 'kv' ? 'kv' : 'do'}`;
    assert.equal((await callback(worker, await install(worker, account))).status, 303);
    for (const round of [1, 2]) {
      const refreshes = emulator.state.refreshRequests;
      const reuse = emulator.state.refreshReuse;
      const responses = await Promise.all(Array.from({ length: 20 }, () => worker.dispatchFetch(`${WORKER_ORIGIN}/api/${account}/account`, { headers: authorization })));
      const answers = await Promise.all(responses.map(async (r) => [r.status, (await r.json()).domain]));
      assert.deepEqual(answers, Array(20).fill([200, account]), `round ${round}`);
      assert.equal(emulator.state.refreshRequests - refreshes, 1, `round ${round}: one refresh at the provider`);
      assert.equal(emulator.state.refreshReuse, reuse, `round ${round}: no rotated refresh token was reused`);
    }
  });

  test(`${backend}: the same callback twice is exchanged once; the second answer is 409 state_reused`, async () => {
    const worker = workers[backend];
    const account = `twice${backend === 'kv' ? 'kv' : 'do'}`;
    const cb = await install(worker, account);
    const exchanges = emulator.state.codeRequests;
    const answers = await Promise.all([callback(worker, cb), callback(worker, cb)]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [303, 409]);
    const replay = answers.find((r) => r.status === 409);
    assert.equal((await replay.json()).error, 'state_reused');
    assert.equal(emulator.state.codeRequests - exchanges, 1);
    assert.equal(emulator.state.codeReuse, 0);
    const api = await worker.dispatchFetch(`${WORKER_ORIGIN}/api/${account}/account`, { headers: authorization });
    assert.equal(api.status, 200, 'the first install is alive');
    await api.arrayBuffer();
  });
}

test('GET /accounts lists the installed accounts and their expiry, without tokens', async () => {
  const worker = workers['durable-object'];
  for (const account of ['listed-b', 'listed-a']) assert.equal((await callback(worker, await install(worker, account))).status, 303);
  const anonymous = await worker.dispatchFetch(`${WORKER_ORIGIN}/accounts`);
  assert.equal(anonymous.status, 401);
  await anonymous.arrayBuffer();
  const res = await worker.dispatchFetch(`${WORKER_ORIGIN}/accounts`, { headers: authorization });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  for (const secret of [...emulator.state.issued.accessTokens, ...emulator.state.issued.refreshTokens]) assert.ok(!text.includes(secret), 'no token in the listing');
  const { accounts, next } = JSON.parse(text);
  assert.equal(next, null);
  const listed = accounts.filter((a) => a.account?.startsWith('listed-'));
  assert.deepEqual(listed.map((a) => a.key), ['kustomer:listed-a', 'kustomer:listed-b']);
  for (const a of listed) {
    assert.equal(a.provider, 'kustomer');
    assert.equal(a.hasRefreshToken, true);
    assert.equal(typeof a.expiresAt, 'number');
    assert.deepEqual(a.scopes, ['org.permission.customer', 'offline_access']);
  }
});
