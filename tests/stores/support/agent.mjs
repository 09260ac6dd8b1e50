// One app process for the cross-process tests: the installed package with a PostgreSQL or Redis
// store, a Session per account and the callback handler, driven by JSON lines on stdin and
// answering on stdout. It knows nothing of the other agents: whatever they agree on, they agree
// on through the database.
//
//   argv[2]: { store: "postgres" | "node-redis" | "node-redis-v5" | "ioredis", db, storeOptions,
//              provider, clientId, clientSecret, redirectUri, scopes, cookieSecret, clockOffsetMs }
//   stdin:   { id, op: "tokens", account, n } | { id, op: "callback", url, cookie } | { id, op: "clock", offsetMs }
//   stdout:  { ready: true } first, then { id, ... } per command.
import readline from 'node:readline';
import { pgPool, redisClient, loadStores } from './clients.mjs';

const config = JSON.parse(process.argv[2]);
let offsetMs = config.clockOffsetMs ?? 0;
const now = () => Date.now() + offsetMs;

const { esm: pkg, postgres, redis } = await loadStores();
let store;
if (config.store === 'postgres') {
  store = new postgres.PostgresTokenStore(pgPool(config.db), config.storeOptions);
} else {
  const { client } = await redisClient(config.store, config.db);
  store = new redis.RedisTokenStore(client, config.storeOptions);
}

const client = new pkg.OAuthClient({ provider: config.provider, clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: config.redirectUri, scopes: config.scopes, now });
const sessions = new Map();
const sessionFor = (account) => {
  if (!sessions.has(account)) sessions.set(account, pkg.createSession({ client, store, account, now }));
  return sessions.get(account);
};
const callback = pkg.createCallbackHandler({
  client,
  cookieSecret: config.cookieSecret,
  stateStore: store,
  now,
  onTokens: async (tokens) => {
    await sessionFor(tokens.account).save(tokens);
    return undefined;
  },
});

const errorOf = (err) => ({ code: err?.code ?? 'not_ours', retryable: err?.retryable, message: String(err?.message).slice(0, 300) });

const ops = {
  async tokens({ account, n }) {
    const session = sessionFor(account);
    const results = await Promise.allSettled(Array.from({ length: n }, () => session.accessToken()));
    return { results: results.map((r) => (r.status === 'fulfilled' ? { token: r.value } : { error: errorOf(r.reason) })) };
  },
  async callback({ url, cookie }) {
    const res = await callback(new Request(url, { headers: { cookie, accept: 'application/json' } }));
    return { status: res.status, body: res.status === 303 ? null : await res.json() };
  },
  async clock({ offsetMs: ms }) {
    offsetMs = ms;
    return {};
  },
};

const out = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const cmd = JSON.parse(line);
  try {
    out({ id: cmd.id, ...(await ops[cmd.op](cmd)) });
  } catch (err) {
    out({ id: cmd.id, failed: errorOf(err) });
  }
});
process.stdin.on('end', () => process.exit(0));
out({ ready: true });
