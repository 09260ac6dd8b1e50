// The README's store snippets, run as written (with the environment variables they read) against
// PostgreSQL and Redis started here; the "write your own TokenStore" example goes through the
// TokenStore contract tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, symlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startPostgres, startRedis } from './support/servers.mjs';
import { pgPool, loadStores } from './support/clients.mjs';
import { contractTests } from './support/contract.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The ```js blocks after each `<!-- tests/stores/readme.test.mjs ... -->` marker, in order. */
function snippets() {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const out = [];
  for (const part of readme.split('<!-- tests/stores/readme.test.mjs').slice(1)) {
    const section = part.split('\n## ')[0].split('\n### ')[0];
    for (const m of section.matchAll(/```js\n([\s\S]*?)```/g)) out.push(m[1]);
  }
  return out;
}

let pg;
let redis;
let dir;
let pool;
let custom;

before(async () => {
  let installed;
  [pg, redis, installed] = await Promise.all([startPostgres(), startRedis(), loadStores()]);
  // A project where the snippets' imports resolve: the installed package and the repository's clients.
  dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-oauth-readme-'));
  mkdirSync(path.join(dir, 'node_modules', '@redis'), { recursive: true });
  symlinkSync(realpathSync(path.join(installed.dir, 'node_modules', 'helpdesk-oauth')), path.join(dir, 'node_modules', 'helpdesk-oauth'));
  for (const name of ['pg', 'redis', 'ioredis', '@redis/client']) symlinkSync(realpathSync(path.join(root, 'node_modules', name)), path.join(dir, 'node_modules', name));
  pool = pgPool(pg.config);
  const blocks = snippets();
  assert.equal(blocks.length, 4, 'three snippets and the custom store');
  writeFileSync(path.join(dir, 'custom-store.mjs'), blocks[3]);
  custom = await import(pathToFileURL(path.join(dir, 'custom-store.mjs')).href);
  await pool.query('CREATE TABLE my_tokens (key text PRIMARY KEY, value text NOT NULL, version bigint NOT NULL); CREATE SEQUENCE my_token_versions;');
});

after(async () => {
  await pool?.end();
  await Promise.all([pg?.close(), redis?.close()]);
});

async function run(index, name, exported) {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(file, `${snippets()[index]}\nexport { ${exported} };\n`);
  return import(pathToFileURL(file).href);
}

test('README: the PostgreSQL snippet runs as written (store, migrate, client, callback handler, session)', async () => {
  process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${pg.port}/postgres`;
  process.env.KUSTOMER_CLIENT_ID = 'readme-client';
  process.env.KUSTOMER_CLIENT_SECRET = 'readme-secret';
  process.env.COOKIE_SECRET = 'readme-cookie-secret-0123456789abcdef';
  const m = await run(0, 'postgres-snippet', 'pool, store, callback, session');
  try {
    assert.equal(typeof m.callback, 'function');
    assert.equal(m.session.key, 'kustomer:acme');
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name LIKE 'helpdesk_oauth_%'");
    assert.equal(rows[0].n, 3, 'migrate() created the tables');
    await m.store.set('readme', 'v');
    assert.equal((await m.store.get('readme')).value, 'v');
  } finally {
    await m.pool.end();
  }
});

test('README: the Redis snippet runs as written', async () => {
  process.env.REDIS_URL = redis.url;
  const m = await run(1, 'redis-snippet', 'redis, store');
  try {
    const { version } = await m.store.set('readme', 'v');
    assert.deepEqual(await m.store.get('readme'), { value: 'v', version });
  } finally {
    m.redis.destroy();
  }
});

test('README: the sealing snippet runs as written', async () => {
  process.env.TOKEN_KEY_2026_11 = randomBytes(32).toString('base64url');
  process.env.TOKEN_KEY_2026_05 = randomBytes(32).toString('base64url');
  const m = await run(2, 'sealed-snippet', 'store');
  await m.store.set('readme', 'plain');
  assert.equal((await m.store.get('readme')).value, 'plain');
});

contractTests(test, { name: 'README SqlTokenStore', open: () => new custom.SqlTokenStore(pool), extensions: false });
