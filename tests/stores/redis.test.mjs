// helpdesk-oauth/redis against a real redis-server started here, through each client an app may
// pass: node-redis 6, node-redis 5 (@redis/client 5) and ioredis. The TokenStore contract, the
// lease and single-use states (support/contract.mjs), the record format, entries it did not
// write, the scripts after a server restart, and bounded waits while the server is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRedis } from './support/servers.mjs';
import { redisClient, loadStores, REDIS_CLIENTS } from './support/clients.mjs';
import { contractTests, isCode } from './support/contract.mjs';

let server;
let mod;
let pkg;
const clients = {};

before(async () => {
  [server, { redis: mod, esm: pkg }] = await Promise.all([startRedis(), loadStores()]);
  for (const kind of REDIS_CLIENTS) clients[kind] = await redisClient(kind, server.url);
});

after(async () => {
  for (const c of Object.values(clients)) await c.close();
  await server?.close();
});

for (const kind of REDIS_CLIENTS) {
  contractTests(test, { name: `RedisTokenStore (${kind})`, open: (options) => new mod.RedisTokenStore(clients[kind].client, options) });
}

test('the three clients read and write the same records (documented format)', async () => {
  const [a, b, c] = REDIS_CLIENTS.map((kind) => new mod.RedisTokenStore(clients[kind].client));
  const v1 = await a.set('shared:key', 'one');
  const v2 = await b.set('shared:key', 'two', { expectedVersion: v1.version });
  assert.deepEqual(await c.get('shared:key'), { value: 'two', version: v2.version });
  const raw = clients.ioredis.client;
  assert.deepEqual(await raw.hgetall('helpdesk-oauth:tokens:shared:key'), { value: 'two', version: v2.version });
  const lease = await c.acquireLease('shared:key');
  assert.match(await raw.get('helpdesk-oauth:lease:shared:key'), /^[0-9a-f]{32}$/);
  assert.ok((await raw.pttl('helpdesk-oauth:lease:shared:key')) > 0, 'a lease key expires by itself');
  await lease.release();
  assert.equal(await raw.exists('helpdesk-oauth:lease:shared:key'), 0);
  assert.equal(await a.consumeState('f'.repeat(64), { expiresAt: Date.now() + 60_000 }), true);
  const ttl = await raw.pttl(`helpdesk-oauth:state:${'f'.repeat(64)}`);
  assert.ok(ttl > 0 && ttl <= 60_000, `state key expires (${ttl})`);
});

test('entries it did not write are non-retryable errors, left in place', async () => {
  const raw = clients.ioredis.client;
  await raw.set('helpdesk-oauth:tokens:wrong-type', 'plain string');
  await raw.hset('helpdesk-oauth:tokens:half', 'value', 'x');
  for (const kind of REDIS_CLIENTS) {
    const store = new mod.RedisTokenStore(clients[kind].client);
    for (const call of [() => store.get('wrong-type'), () => store.set('wrong-type', 'v', { expectedVersion: 'x' }), () => store.delete('wrong-type', { expectedVersion: 'x' }), () => store.get('half')]) {
      const err = await call().then(() => null, (e) => e);
      isCode('token_store_error', false)(err);
      assert.match(err.message, /not one this store wrote/, kind);
    }
  }
  assert.equal(await raw.get('helpdesk-oauth:tokens:wrong-type'), 'plain string');
  assert.deepEqual(await raw.hgetall('helpdesk-oauth:tokens:half'), { value: 'x' });
});

test('a session over a garbage value gets token_set_invalid; the value stays', async () => {
  const store = new mod.RedisTokenStore(clients['node-redis'].client);
  await store.set('kustomer:garbage', '{"not":"a token set"}');
  const client = new pkg.OAuthClient({ provider: 'kustomer', clientId: 'id', clientSecret: 'secret', redirectUri: 'https://app.example/cb', scopes: ['org.permission.customer', 'offline_access'] });
  const err = await pkg.createSession({ client, store, account: 'garbage' }).accessToken().then(() => null, (e) => e);
  isCode('token_set_invalid', false)(err);
  assert.equal((await store.get('kustomer:garbage')).value, '{"not":"a token set"}');
});

test('while the server is down every call fails within timeoutMs, retryably; after a restart the scripts load again', async () => {
  const stores = REDIS_CLIENTS.map((kind) => new mod.RedisTokenStore(clients[kind].client, { timeoutMs: 500, leaseWaitMs: 0 }));
  const { version } = await stores[0].set('restart:key', 'before');
  await server.stop();
  try {
    for (const [i, store] of stores.entries()) {
      for (const call of [() => store.get('restart:key'), () => store.set('restart:key', 'during', { expectedVersion: version }), () => store.acquireLease('restart:key')]) {
        const err = await call().then(() => null, (e) => e);
        isCode('token_store_error', true)(err);
        assert.match(err.message, /try again/, `${REDIS_CLIENTS[i]}`);
      }
    }
  } finally {
    await server.start();
  }
  // The restarted server knows no scripts (EVALSHA → NOSCRIPT → EVAL) and kept the data (AOF).
  // Commands queued while it was down may land now: they were compare-and-set, so `before` or a
  // write conditioned on it is all there can be.
  // A read on each client comes after whatever that client had queued (one connection, in order).
  for (const [i, store] of stores.entries()) {
    let entry;
    for (let tries = 0; ; tries += 1) {
      entry = await store.get('restart:key').catch((e) => e);
      if (!(entry instanceof Error) || tries > 100) break;
      await new Promise((r) => setTimeout(r, 100)); // the client is still reconnecting
    }
    assert.ok(!(entry instanceof Error), `${REDIS_CLIENTS[i]}: ${entry?.message}`);
  }
  const entry = await stores[0].get('restart:key');
  assert.ok(['before', 'during'].includes(entry.value));
  let version2 = entry.version;
  for (const [i, store] of stores.entries()) {
    version2 = (await store.set('restart:key', `after-${i}`, { expectedVersion: version2 })).version;
  }
  assert.equal((await stores[1].get('restart:key')).value, `after-${stores.length - 1}`);
});

test('a client object that is neither node-redis nor ioredis is invalid_config', () => {
  assert.throws(() => new mod.RedisTokenStore({ get() {} }), isCode('invalid_config'));
  assert.throws(() => new mod.RedisTokenStore(undefined), isCode('invalid_config'));
});
