// helpdesk-oauth/postgres against a real PostgreSQL started here: the TokenStore contract, the
// refresh lease and single-use states (support/contract.mjs), migrate(), the documented schema,
// entries it did not write, and failures that must stay retryable and bounded (server gone,
// server that never answers).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPostgres, freePort } from './support/servers.mjs';
import { pgPool, loadStores } from './support/clients.mjs';
import { contractTests, isCode } from './support/contract.mjs';

let server;
let pool;
let mod;
let pkg;
const pools = [];

before(async () => {
  [server, { postgres: mod, esm: pkg }] = await Promise.all([startPostgres(), loadStores()]);
  pool = pgPool(server.config);
  await new mod.PostgresTokenStore(pool).migrate();
});

after(async () => {
  await Promise.all([pool, ...pools].map((p) => p?.end().catch(() => {})));
  await server?.close();
});

contractTests(test, { name: 'PostgresTokenStore', open: (options) => new mod.PostgresTokenStore(pool, options) });

test('migrate() is idempotent and safe to run concurrently; a custom prefix gets its own tables', async () => {
  const store = new mod.PostgresTokenStore(pool, { prefix: 'app_auth' });
  await Promise.all([store.migrate(), store.migrate(), new mod.PostgresTokenStore(pool, { prefix: 'app_auth' }).migrate()]);
  await store.migrate();
  await store.set('k', 'v');
  const { rows } = await pool.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'app_auth_%' ORDER BY 1");
  assert.deepEqual(rows.map((r) => r.table_name), ['app_auth_leases', 'app_auth_tokens', 'app_auth_used_states']);
  assert.equal(await new mod.PostgresTokenStore(pool).get('k'), undefined, 'the default tables are others');
  assert.throws(() => new mod.PostgresTokenStore(pool, { prefix: 'x; DROP TABLE y' }), isCode('invalid_config'));
});

test('the README prints the SQL migrate() runs, and the record format is as documented', async () => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  assert.ok(readme.includes(mod.postgresSchema()), 'README.md holds postgresSchema() verbatim');
  const store = new mod.PostgresTokenStore(pool);
  const { version } = await store.set('format:one', 'serialized');
  const { rows } = await pool.query('SELECT key, value, version::text AS version FROM helpdesk_oauth_tokens WHERE key = $1', ['format:one']);
  assert.deepEqual(rows, [{ key: 'format:one', value: 'serialized', version }]);
});

test('without migrate(): a non-retryable error that says to run it', async () => {
  const store = new mod.PostgresTokenStore(pool, { prefix: 'never_migrated' });
  const err = await store.get('k').then(() => null, (e) => e);
  isCode('token_store_error', false)(err);
  assert.match(err.message, /migrate\(\)/);
});

test('a server that is not there fails fast and retryably; one that never answers fails after timeoutMs', async () => {
  const gone = pgPool({ ...server.config, port: await freePort() });
  pools.push(gone);
  const err = await new mod.PostgresTokenStore(gone).get('k').then(() => null, (e) => e);
  isCode('token_store_error', true)(err);
  assert.ok(err.cause, 'the driver error is kept as cause');

  // Accepts connections and never says a word: pg would wait for ever.
  const sockets = new Set();
  const silent = net.createServer((s) => sockets.add(s));
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  const mute = pgPool({ ...server.config, port: silent.address().port });
  pools.push(mute);
  try {
    const store = new mod.PostgresTokenStore(mute, { timeoutMs: 300, leaseWaitMs: 0 });
    for (const call of [() => store.get('k'), () => store.set('k', 'v', { expectedVersion: '1' }), () => store.acquireLease('k'), () => store.consumeState('a'.repeat(64), { expiresAt: Date.now() + 1000 })]) {
      const e = await call().then(() => null, (x) => x);
      isCode('token_store_error', true)(e);
      assert.match(e.message, /did not answer within 300 ms/);
    }
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('an entry the session cannot read (garbage) is a typed error, and it is left in place', async () => {
  const store = new mod.PostgresTokenStore(pool);
  const client = new pkg.OAuthClient({ provider: 'gorgias', clientId: 'id', clientSecret: 'secret', redirectUri: 'https://app.example/cb', scopes: ['openid', 'offline'] });
  const session = pkg.createSession({ client, store, account: 'garbage' });
  await pool.query("INSERT INTO helpdesk_oauth_tokens (key, value) VALUES ('gorgias:garbage', 'not a token set {')");
  const err = await session.accessToken().then(() => null, (e) => e);
  isCode('token_set_invalid', false)(err);
  const { rows } = await pool.query("SELECT value FROM helpdesk_oauth_tokens WHERE key = 'gorgias:garbage'");
  assert.deepEqual(rows, [{ value: 'not a token set {' }]);
});

test("revoke() waits for another process's refresh lease; past leaseWaitMs it fails retryably and the tokens stay", async () => {
  const client = new pkg.OAuthClient({ provider: 'kustomer', clientId: 'id', clientSecret: 'secret', redirectUri: 'https://app.example/cb', scopes: ['org.permission.customer', 'offline_access'] });
  const value = JSON.stringify({ v: 1, provider: 'kustomer', account: 'leased', token_type: 'Bearer', access_token: 'at', refresh_token: 'rt', scope: [], expires_at: Date.now() + 3_600_000, obtained_at: Date.now() });
  const other = new mod.PostgresTokenStore(pool);
  await other.set('kustomer:leased', pkg.TokenSet.fromJSON(value).serialize());
  const held = await other.acquireLease('kustomer:leased'); // another process is refreshing
  const session = pkg.createSession({ client, store: new mod.PostgresTokenStore(pool, { leaseWaitMs: 300 }), account: 'leased' });
  const err = await session.revoke().then(() => null, (e) => e);
  isCode('token_store_error', true)(err);
  assert.ok(await other.get('kustomer:leased'), 'nothing was deleted');
  await held.release();
  assert.deepEqual(await session.revoke(), { revokedAtProvider: false });
  assert.equal(await other.get('kustomer:leased'), undefined);
});
