// Several app processes (support/agent.mjs) sharing one PostgreSQL or one Redis, against the
// provider emulator playing Kustomer: refresh tokens rotate on every refresh and a rotated one
// presented again revokes the whole grant (reuse detection), so a second refresh anywhere shows.
//
// - 4 processes x 25 concurrent callers after expiry: one refresh at the provider, one access
//   token for all, and the stored refresh token is the live one.
// - A process killed (SIGKILL) while it holds the lease: before the provider answered, another
//   process refreshes once the lease lapses; after the provider rotated (the answer was lost),
//   the next refresh is refused and the callers get reauthorization_required (README: why).
// - The database restarted while a refresh is at the provider: a retryable error, the stored
//   tokens untouched; the next call writes the refreshed set (still one refresh).
// - One callback sent to two processes: one code exchange, the other answers 409 state_reused.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, startRedis } from './support/servers.mjs';
import { pgPool, redisClient, loadStores } from './support/clients.mjs';
import { spawnAgent } from './support/agents.mjs';
import { startProviderServer, kustomerProvider, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';

const CLIENT_ID = 'stores-client';
const CLIENT_SECRET = 'stores-client-secret-value';
const COOKIE_SECRET = 'cross-process-cookie-secret-0123456789abcdef';
const SCOPES = ['org.permission.customer', 'offline_access'];
const DAY_MS = 86_400_000;
const LEASE_MS = 1_500; // the victims' lease: short, so that the others take over soon

let mods;
let emulator;
let clockOffsetMs = 0;
let pg;
let redis;
let inspector; // the test's own Redis client
let pool;

const now = () => Date.now() + clockOffsetMs;
const until = async (cond, what) => {
  for (let i = 0; !(await cond()); i += 1) {
    if (i > 3000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

before(async () => {
  [mods, emulator, pg, redis] = await Promise.all([
    loadStores(),
    startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI], now, reuseDetection: true }),
    startPostgres(),
    startRedis(),
  ]);
  pool = pgPool(pg.config);
  await new mods.postgres.PostgresTokenStore(pool).migrate();
  inspector = await redisClient('ioredis', redis.url);
});

after(async () => {
  await inspector?.close();
  await pool?.end();
  await Promise.all([pg?.close(), redis?.close(), emulator?.close()]);
});

const BACKENDS = {
  postgres: {
    kinds: ['postgres', 'postgres', 'postgres', 'postgres'],
    db: () => pg.config,
    server: () => pg,
    store: () => new mods.postgres.PostgresTokenStore(pool),
    leaseHeld: async (key) => (await pool.query('SELECT 1 FROM helpdesk_oauth_leases WHERE key = $1 AND expires_at > clock_timestamp()', [key])).rowCount === 1,
  },
  redis: {
    kinds: ['node-redis', 'ioredis', 'node-redis-v5', 'ioredis'],
    db: () => redis.url,
    server: () => redis,
    store: () => new mods.redis.RedisTokenStore(inspector.client),
    leaseHeld: async (key) => (await inspector.client.exists(`helpdesk-oauth:lease:${key}`)) === 1,
  },
};

for (const [backend, b] of Object.entries(BACKENDS)) {
  describe(`over ${backend === 'postgres' ? 'PostgreSQL' : 'Redis'}`, () => {
    let agents = [];
    let client;
    let store;

    const agentConfig = (kind, storeOptions = { timeoutMs: 1_500 }) => ({
      store: kind,
      db: b.db(),
      storeOptions,
      provider: kustomerProvider(emulator.url),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      scopes: SCOPES,
      cookieSecret: COOKIE_SECRET,
      clockOffsetMs,
    });

    /** Moves every clock (emulator, agents) ahead: the stored access tokens are now expired. */
    async function expireEverything() {
      clockOffsetMs += 2 * DAY_MS;
      await Promise.all(agents.map((a) => a.send({ op: 'clock', offsetMs: clockOffsetMs })));
    }

    async function install(account) {
      const { url, pending } = client.authorize({ account });
      const tokens = await client.exchangeCode(await followAuthorize(url), pending);
      await mods.esm.createSession({ client, store, account }).save(tokens);
      return tokens;
    }

    async function stored(account) {
      const entry = await store.get(`kustomer:${account}`);
      return entry && mods.esm.TokenSet.fromJSON(entry.value);
    }

    /** The stored refresh token is the provider's live one: a refresh with it succeeds. */
    async function assertLive(account) {
      const tokens = await stored(account);
      assert.ok(tokens, 'a token set is stored');
      const reuseBefore = emulator.state.refreshReuse;
      const next = await client.refresh(tokens);
      assert.ok(next.refreshToken);
      assert.equal(emulator.state.refreshReuse, reuseBefore);
    }

    before(async () => {
      client = new mods.esm.OAuthClient({ provider: kustomerProvider(emulator.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES, now });
      store = b.store();
      agents = await Promise.all(b.kinds.map((kind) => spawnAgent(agentConfig(kind))));
    });

    after(async () => {
      await Promise.all(agents.map((a) => a.close()));
    });

    test('4 processes x 25 concurrent callers after expiry: one refresh, one access token, the live refresh token stored', async () => {
      const before = await install('busy');
      await expireEverything();
      const refreshes = emulator.state.refreshRequests;
      const reuse = emulator.state.refreshReuse;
      const answers = await Promise.all(agents.map((a) => a.send({ op: 'tokens', account: 'busy', n: 25 })));
      const results = answers.flatMap((a) => a.results);
      assert.equal(results.length, 100);
      assert.deepEqual(results.filter((r) => r.error), [], 'every caller got a token');
      const tokens = new Set(results.map((r) => r.token));
      assert.equal(tokens.size, 1, 'every caller got the same access token');
      assert.notEqual([...tokens][0], before.accessToken);
      assert.equal(emulator.state.refreshRequests - refreshes, 1, 'exactly one refresh at the provider');
      assert.equal(emulator.state.refreshReuse, reuse);
      const now = await stored('busy');
      assert.equal(now.accessToken, [...tokens][0]);
      assert.notEqual(now.refreshToken, before.refreshToken);
      await assertLive('busy');
    });

    test('SIGKILL while holding the lease, before the provider answered: another process refreshes after the lease lapses', async () => {
      const before = await install('crash-early');
      await expireEverything();
      const victim = await spawnAgent({ ...agentConfig(b.kinds[0], { leaseMs: LEASE_MS }), clockOffsetMs });
      const refreshes = emulator.state.refreshRequests;
      const reuse = emulator.state.refreshReuse;
      emulator.state.nextTokenFault = 'hold'; // the victim's refresh waits at the provider
      victim.send({ op: 'tokens', account: 'crash-early', n: 5 }).catch(() => {});
      await until(() => emulator.state.held === 1, 'the victim to reach the provider');
      assert.ok(await b.leaseHeld('kustomer:crash-early'), 'the victim holds the lease');
      await victim.kill();
      await until(() => emulator.state.held === 0, 'the provider to see the victim go');
      // Its request was never served: the stored refresh token is still the live one.
      const answers = await Promise.all(agents.slice(1).map((a) => a.send({ op: 'tokens', account: 'crash-early', n: 10 })));
      const results = answers.flatMap((a) => a.results);
      assert.deepEqual(results.filter((r) => r.error), []);
      assert.equal(new Set(results.map((r) => r.token)).size, 1);
      assert.equal(emulator.state.refreshRequests - refreshes, 2, "the victim's (never served) and one more");
      assert.equal(emulator.state.refreshReuse, reuse);
      assert.notEqual((await stored('crash-early')).refreshToken, before.refreshToken);
      await assertLive('crash-early');
    });

    test('SIGKILL after the provider rotated (answer lost): the next refresh is refused, reauthorization_required, nothing half-written', async () => {
      await install('crash-late');
      await expireEverything();
      const victim = await spawnAgent({ ...agentConfig(b.kinds[0], { leaseMs: LEASE_MS }), clockOffsetMs });
      const issued = emulator.state.issued.refreshTokens.length;
      const reuse = emulator.state.refreshReuse;
      emulator.state.nextTokenFault = 'drop_answer'; // rotates, never answers
      victim.send({ op: 'tokens', account: 'crash-late', n: 5 }).catch(() => {});
      await until(() => emulator.state.issued.refreshTokens.length > issued, 'the provider to rotate');
      await victim.kill();
      const answers = await Promise.all(agents.slice(1).map((a) => a.send({ op: 'tokens', account: 'crash-late', n: 5 })));
      const codes = new Set(answers.flatMap((a) => a.results).map((r) => r.error?.code));
      assert.deepEqual([...codes], ['reauthorization_required']);
      assert.equal(emulator.state.refreshReuse - reuse, 1, 'the old refresh token was presented once more, and the provider revoked the grant');
      assert.equal(await stored('crash-late'), undefined, 'the dead grant was deleted; the next install stores a new one');
    });

    test('database restarted while the refresh is at the provider: retryable error, stored tokens untouched, then one refresh in all', async () => {
      const before = await install('restart');
      await expireEverything();
      const storedBefore = await store.get('kustomer:restart');
      const refreshes = emulator.state.refreshRequests;
      const reuse = emulator.state.refreshReuse;
      emulator.state.nextTokenFault = 'hold';
      const first = agents[0].send({ op: 'tokens', account: 'restart', n: 10 });
      await until(() => emulator.state.held === 1, 'the refresh to reach the provider');
      await b.server().stop();
      emulator.releaseHeld();
      const failed = (await first).results;
      assert.equal(failed.length, 10);
      for (const r of failed) {
        assert.equal(r.error?.code, 'token_store_error', JSON.stringify(r));
        assert.equal(r.error.retryable, true);
      }
      await b.server().start();
      let entry;
      await until(async () => (entry = await store.get('kustomer:restart').catch(() => undefined)) !== undefined, 'the store to answer again');
      assert.deepEqual(entry, storedBefore, 'the stored tokens are untouched');
      // The process that refreshed still has the new set and writes it at its next call, retried
      // as an app retries a retryable error (its client may still be reconnecting)...
      let written;
      await until(async () => {
        written = (await agents[0].send({ op: 'tokens', account: 'restart', n: 1 })).results[0];
        if (written.error) assert.equal(written.error.retryable, true, JSON.stringify(written));
        return !written.error;
      }, 'the refreshing process to write its tokens');
      // ...and every process then finds it (each once its client is back).
      const results = [];
      for (const agent of agents) {
        await until(async () => {
          const { results: got } = await agent.send({ op: 'tokens', account: 'restart', n: 5 });
          for (const r of got.filter((x) => x.error)) assert.equal(r.error.retryable, true, JSON.stringify(r));
          if (got.some((r) => r.error)) return false;
          results.push(...got);
          return true;
        }, 'every process to read the store again');
      }
      assert.deepEqual([...new Set(results.map((r) => r.token))], [written.token]);
      assert.equal(emulator.state.refreshRequests - refreshes, 1, 'one refresh at the provider');
      assert.equal(emulator.state.refreshReuse, reuse);
      assert.notEqual((await stored('restart')).refreshToken, before.refreshToken);
      await assertLive('restart');
    });

    test('the same callback sent to two processes: one code exchange, the other answers 409 state_reused', async () => {
      const { url, pending } = client.authorize({ account: 'replayed' });
      const cookie = (await mods.esm.sealPendingCookie(pending, COOKIE_SECRET, { now: now() })).split(';')[0];
      const callbackUrl = await followAuthorize(url);
      const exchanges = emulator.state.codeRequests;
      const codeReuse = emulator.state.codeReuse;
      const answers = await Promise.all([agents[0].send({ op: 'callback', url: callbackUrl, cookie }), agents[1].send({ op: 'callback', url: callbackUrl, cookie })]);
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [303, 409]);
      assert.equal(answers.find((a) => a.status === 409).body.error, 'state_reused');
      assert.equal(emulator.state.codeRequests - exchanges, 1, 'exactly one code exchange');
      assert.equal(emulator.state.codeReuse, codeReuse);
      await assertLive('replayed');
    });
  });
}
