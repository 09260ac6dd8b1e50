// Token stores on this machine (make bench-stores → benches/stores-results.md): store round trips
// and refreshes per second for MemoryTokenStore, PostgresTokenStore, RedisTokenStore (node-redis
// and ioredis) and SealedTokenStore over PostgreSQL, beside the floor each database allows — a
// plain pg UPDATE by primary key, a plain Redis SET — on the same connections. PostgreSQL, Redis
// and the provider emulator are started here (the servers of tests/stores/support/servers.mjs).
//
// One call in flight at a time: a round trip's latency is what a session waits for. Each figure
// is the median of ROUNDS rounds of BATCH calls (p10/p90 beside it); a refresh is the whole
// session refresh: lease, read, the provider's token endpoint (HTTP to the emulator), a
// compare-and-set write, release.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { startPostgres, startRedis } from '../tests/stores/support/servers.mjs';
import { pgPool, redisClient, loadStores } from '../tests/stores/support/clients.mjs';
import { startEmulator, providerConfig } from '../emulator/index.mjs';
import { summary, fmt } from './lib/stats.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const BATCH = Number(process.env.BATCH ?? 200);
const REFRESH_BATCH = Number(process.env.REFRESH_BATCH ?? 40);
const root = fileURLToPath(new URL('..', import.meta.url));

function commit() {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  // The results file itself is being rewritten by this run: not a change to what is measured.
  const dirty = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!benches/stores-results.md') !== '';
  return `${git('rev-parse', '--short=12', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`;
}

/** ops/s per round of `n` sequential calls of `op(i)`. */
async function measure(op, n = BATCH) {
  for (let i = 0; i < Math.min(20, n); i += 1) await op(-1 - i); // warm-up
  const rates = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) await op(r * n + i);
    rates.push(n / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return summary(rates);
}

const [mods, pg, redis] = await Promise.all([loadStores(), startPostgres(), startRedis()]);
const emulator = await startEmulator({ clientId: 'bench', clientSecret: 'bench-secret', redirectUris: ['http://127.0.0.1:9/cb'], autoApprove: true });
const pool = pgPool(pg.config, { max: 4 });
const nodeRedis = await redisClient('node-redis', redis.url);
const ioredis = await redisClient('ioredis', redis.url);
const pkg = mods.esm;
const pgStore = new mods.postgres.PostgresTokenStore(pool);
await pgStore.migrate();
await pool.query('CREATE TABLE IF NOT EXISTS bench_floor (k text PRIMARY KEY, v text NOT NULL)');
await pool.query("INSERT INTO bench_floor VALUES ('k', '') ON CONFLICT DO NOTHING");

const sealing = { keys: { k1: new Uint8Array(32).fill(7) }, currentKeyId: 'k1' };
const stores = {
  MemoryTokenStore: new pkg.MemoryTokenStore(),
  PostgresTokenStore: pgStore,
  'RedisTokenStore (node-redis)': new mods.redis.RedisTokenStore(nodeRedis.client),
  'RedisTokenStore (ioredis)': new mods.redis.RedisTokenStore(ioredis.client),
  'SealedTokenStore over PostgreSQL': new mods.sealed.SealedTokenStore(pgStore, sealing),
};

const client = new pkg.OAuthClient({ provider: providerConfig(emulator.url, 'kustomer'), clientId: 'bench', clientSecret: 'bench-secret', redirectUri: 'http://127.0.0.1:9/cb', scopes: ['org.permission.customer', 'offline_access'] });
/** A fresh grant (each store's session rotates its own refresh token). */
async function install() {
  const { url, pending } = client.authorize({ account: 'bench' });
  const callbackUrl = (await fetch(url, { redirect: 'manual' })).headers.get('location');
  return client.exchangeCode(callbackUrl, pending);
}
const value = (await install()).serialize();

const rows = [];
for (const [name, store] of Object.entries(stores)) {
  const key = `bench:${name}`;
  let { version } = await store.set(key, value);
  const get = await measure(() => store.get(key));
  const cas = await measure(async () => {
    ({ version } = await store.set(key, value, { expectedVersion: version }));
  });
  const lease = typeof store.acquireLease === 'function' ? await measure(async () => (await store.acquireLease(key)).release()) : undefined;
  // skewSeconds beyond the token's life: every accessToken() call is a refresh (Kustomer: rotating).
  const session = pkg.createSession({ client, store, account: 'bench', key: `kustomer:${name}`, skewSeconds: 10 * 86_400 });
  await session.save(await install());
  const before = emulator.state.refreshRequests;
  const refresh = await measure(() => session.accessToken(), REFRESH_BATCH);
  const refreshes = emulator.state.refreshRequests - before;
  if (refreshes !== (ROUNDS + 1) * REFRESH_BATCH - (REFRESH_BATCH - Math.min(20, REFRESH_BATCH))) throw new Error(`${name}: ${refreshes} refreshes at the provider`);
  rows.push({ name, get, cas, lease, refresh });
}

const floors = {
  'pg: UPDATE bench_floor SET v = $1 WHERE k = $2': await measure((i) => pool.query('UPDATE bench_floor SET v = $1 WHERE k = $2', [String(i), 'k'])),
  'node-redis: SET': await measure((i) => nodeRedis.client.set('bench:floor', String(i))),
  'ioredis: SET': await measure((i) => ioredis.client.set('bench:floor', String(i))),
};
const floorFor = (name) => (name.includes('Postgre') ? floors['pg: UPDATE bench_floor SET v = $1 WHERE k = $2'] : name.includes('ioredis') ? floors['ioredis: SET'] : name.includes('node-redis') ? floors['node-redis: SET'] : undefined);

const cell = (s) => (s ? `${fmt(s.median)} (${fmt(s.p10)}–${fmt(s.p90)})` : '–');
const ratio = (s, floor) => (s && floor ? `${fmt(s.median / floor.median, 2)}` : '–');
const out = [];
out.push('# Token stores: round trips and refreshes per second');
out.push('');
out.push(`Commit ${commit()}; ${new Date().toISOString().slice(0, 10)}; Node ${process.version}; ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} (shared, noisy);`);
out.push(`PostgreSQL and Redis from Debian on 127.0.0.1, started by the bench (PostgreSQL with fsync=off, Redis with appendfsync no: the disk is shared, so neither waits for it). One call in flight; median ops/s of ${ROUNDS} rounds (p10–p90).`);
out.push('');
out.push('## Store round trips (ops/s)');
out.push('');
out.push('| store | get | compare-and-set | lease take + release | CAS ÷ floor |');
out.push('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) out.push(`| ${r.name} | ${cell(r.get)} | ${cell(r.cas)} | ${cell(r.lease)} | ${ratio(r.cas, floorFor(r.name))} |`);
out.push('');
out.push('Floor on the same connections:');
out.push('');
out.push('| plain call | ops/s |');
out.push('| --- | ---: |');
for (const [name, s] of Object.entries(floors)) out.push(`| ${name} | ${cell(s)} |`);
out.push('');
out.push(`## Refreshes (refreshes/s, ${REFRESH_BATCH} per round): Session.accessToken() with an expired token, Kustomer (rotating) on the emulator`);
out.push('');
out.push('| store | refreshes/s | ÷ MemoryTokenStore |');
out.push('| --- | ---: | ---: |');
const memory = rows.find((r) => r.name === 'MemoryTokenStore').refresh;
for (const r of rows) out.push(`| ${r.name} | ${cell(r.refresh)} | ${ratio(r.refresh, memory)} |`);
out.push('');
process.stdout.write(`${out.join('\n')}\n`);

await Promise.all([pool.end(), nodeRedis.close(), ioredis.close()]);
await Promise.all([pg.close(), redis.close(), emulator.close()]);
