// helpdesk-oauth/sealed: token sets sealed at rest (AES-256-GCM, app keys with ids) over every
// Node store: MemoryTokenStore, PostgreSQL and Redis (real servers). What lands in the database
// holds no token; keys rotate (old ones read, the current one writes); a value that does not
// open (unknown key id, tampered, moved to another key, not sealed) is a typed error and stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, startRedis } from './support/servers.mjs';
import { pgPool, redisClient, loadStores } from './support/clients.mjs';
import { isCode } from './support/contract.mjs';
import { startProviderServer, gorgiasProvider, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';

const CLIENT_ID = 'sealed-client';
const CLIENT_SECRET = 'sealed-client-secret-value';
const key = (fill) => new Uint8Array(32).fill(fill);
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

let mods;
let pg;
let redis;
let pool;
let redisConn;
let emulator;
let clock = Date.now();

before(async () => {
  [mods, pg, redis, emulator] = await Promise.all([
    loadStores(),
    startPostgres(),
    startRedis(),
    startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], now: () => clock }),
  ]);
  pool = pgPool(pg.config);
  await new mods.postgres.PostgresTokenStore(pool).migrate();
  redisConn = await redisClient('node-redis', redis.url);
});

after(async () => {
  await redisConn?.close();
  await pool?.end();
  await Promise.all([pg?.close(), redis?.close(), emulator?.close()]);
});

const inner = {
  memory: () => new mods.esm.MemoryTokenStore(),
  postgres: () => new mods.postgres.PostgresTokenStore(pool),
  redis: () => new mods.redis.RedisTokenStore(redisConn.client),
};

async function installed(account) {
  const client = new mods.esm.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: ['openid', 'offline', 'account:read'], now: () => clock });
  const { url, pending } = client.authorize({ account });
  return { client, tokens: await client.exchangeCode(await followAuthorize(url), pending) };
}

for (const [name, make] of Object.entries(inner)) {
  test(`${name}: a session over the sealed store; the stored value holds no token`, async () => {
    const raw = make();
    const store = new mods.sealed.SealedTokenStore(raw, { keys: { k1: key(1) }, currentKeyId: 'k1' });
    const account = `sealed-${name}`;
    const { client, tokens } = await installed(account);
    const session = mods.esm.createSession({ client, store, account, now: () => clock });
    await session.save(tokens);
    const stored = await raw.get(session.key);
    assert.match(stored.value, /^hoa1\.k1\.[\w-]{16}\.[\w-]+$/);
    for (const secret of [tokens.accessToken, tokens.refreshToken]) assert.ok(!stored.value.includes(secret));
    assert.equal(await session.accessToken(), tokens.accessToken);
    // A refresh goes through the seal too (and through the store's lease where it has one).
    assert.equal(typeof store.acquireLease, name === 'memory' ? 'undefined' : 'function');
    clock += 2 * 86_400_000;
    const fresh = await session.accessToken();
    assert.notEqual(fresh, tokens.accessToken);
    assert.equal(mods.esm.TokenSet.fromJSON((await store.get(session.key)).value).accessToken, fresh);
  });

  test(`${name}: keys rotate: values under the old key are read, new writes use the current one`, async () => {
    const raw = make();
    const old = new mods.sealed.SealedTokenStore(raw, { keys: { old: key(2) }, currentKeyId: 'old' });
    await old.set('rotate', 'plain value');
    const rotated = new mods.sealed.SealedTokenStore(raw, { keys: { old: key(2), new: b64url(key(3)) }, currentKeyId: 'new' });
    const entry = await rotated.get('rotate');
    assert.equal(entry.value, 'plain value');
    await rotated.set('rotate', 'rewritten', { expectedVersion: entry.version });
    assert.match((await raw.get('rotate')).value, /^hoa1\.new\./);
    const newOnly = new mods.sealed.SealedTokenStore(raw, { keys: { new: key(3) }, currentKeyId: 'new' });
    assert.equal((await newOnly.get('rotate')).value, 'rewritten');
  });

  test(`${name}: unknown key id, tampering, a value moved to another key, garbage: typed errors, the value left in place`, async () => {
    const raw = make();
    const sealer = { keys: { k1: key(4) }, currentKeyId: 'k1' };
    const store = new mods.sealed.SealedTokenStore(raw, sealer);
    await new mods.sealed.SealedTokenStore(raw, { keys: { gone: key(5) }, currentKeyId: 'gone' }).set('unknown', 'x');
    const sealed = await mods.sealed.createTokenSealer(sealer).seal('secret token set', 'a');
    const [f, id, iv, ct] = sealed.split('.');
    await raw.set('tampered', `${f}.${id}.${iv}.${ct.slice(0, -2)}${ct.at(-2) === 'A' ? 'B' : 'A'}${ct.at(-1)}`);
    await raw.set('moved', sealed); // sealed for store key "a"
    await raw.set('plain', '{"v":1}');
    await raw.set('garbage', 'hoa1.k1.%%%.***');
    for (const [k, pattern] of [['unknown', /key id "gone", which is not among the keys/], ['tampered', /does not open with key "k1"/], ['moved', /does not open/], ['plain', /not sealed/], ['garbage', /not a well-formed/]]) {
      const before = await raw.get(k);
      const err = await store.get(k).then(() => null, (e) => e);
      isCode('token_store_error', false)(err);
      assert.match(err.message, pattern, k);
      assert.ok(!err.message.includes('secret'), 'no plaintext in the message');
      assert.deepEqual(await raw.get(k), before, `${k} is left for the operator`);
    }
    // While migrating, unsealed values can be read (and are sealed at the next write).
    const migrating = new mods.sealed.SealedTokenStore(raw, { ...sealer, readUnsealed: true });
    const plain = await migrating.get('plain');
    assert.equal(plain.value, '{"v":1}');
    await migrating.set('plain', plain.value, { expectedVersion: plain.version });
    assert.match((await raw.get('plain')).value, /^hoa1\.k1\./);
  });
}

test('a session over a value sealed under an unknown key: token_store_error, not a crash, nothing deleted', async () => {
  const raw = new mods.postgres.PostgresTokenStore(pool);
  const account = 'sealed-unknown';
  const { client, tokens } = await installed(account);
  await mods.esm.createSession({ client, store: new mods.sealed.SealedTokenStore(raw, { keys: { retired: key(6) }, currentKeyId: 'retired' }), account }).save(tokens);
  const before = await raw.get(`gorgias:${account}`);
  const session = mods.esm.createSession({ client, store: new mods.sealed.SealedTokenStore(raw, { keys: { k2: key(7) }, currentKeyId: 'k2' }), account });
  const err = await session.accessToken().then(() => null, (e) => e);
  isCode('token_store_error', false)(err);
  assert.match(err.message, /"retired"/);
  assert.deepEqual(await raw.get(`gorgias:${account}`), before);
});

test('bad sealing options are invalid_config at construction', () => {
  const memory = new mods.esm.MemoryTokenStore();
  for (const options of [
    undefined,
    { keys: {}, currentKeyId: 'a' },
    { keys: { a: key(1) }, currentKeyId: 'b' },
    { keys: { a: new Uint8Array(16) }, currentKeyId: 'a' },
    { keys: { a: 'too-short' }, currentKeyId: 'a' },
    { keys: { 'bad id!': key(1) }, currentKeyId: 'bad id!' },
    { keys: { a: key(1) }, currentKeyId: 'a', readUnsealed: 'yes' },
  ]) {
    assert.throws(() => new mods.sealed.SealedTokenStore(memory, options), isCode('invalid_config'), JSON.stringify(options));
  }
  assert.throws(() => new mods.sealed.SealedTokenStore({}, { keys: { a: key(1) }, currentKeyId: 'a' }), isCode('invalid_config'));
});
