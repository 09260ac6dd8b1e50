// Shared set-up for the session tests: the packed package, the provider server (with its own
// clock, so a test can make the server consider an access token dead), the API proxy in front of
// its API routes, and a real install flow per provider to get a first token set.
import { loadPackage } from '../../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, kustomerProvider, followAuthorize, REDIRECT_URI } from '../../node/support/provider-server.mjs';
import { startApiProxy } from './api-proxy.mjs';

export const EXPIRES_IN = 3600;
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export const PROVIDERS = {
  gorgias: {
    clientId: 'gorgias-session-client',
    clientSecret: 'gorgias-session-secret-0123456789',
    scopes: ['openid', 'offline', 'account:read'],
    config: (server, api) => ({ ...gorgiasProvider(server.url), apiBaseUrl: `${api.url}/gorgias/{account}/api` }),
  },
  kustomer: {
    clientId: 'kustomer-session-client',
    clientSecret: 'kustomer-session-secret-0123456789',
    scopes: ['org.permission.customer', 'offline_access'],
    config: (server, api) => ({ ...kustomerProvider(server.url), apiBaseUrl: `${api.url}/kustomer/{account}/api` }),
  },
};

/**
 * Starts a provider server and proxy; `clock.now` drives the client and session, `serverClock.now`
 * the server (both start at T0). Call `close()` in `after`.
 */
export async function startWorld() {
  const pkg = (await loadPackage()).esm;
  const clock = { now: T0 };
  const serverClock = { now: T0 };
  const apps = Object.entries(PROVIDERS).map(([provider, p]) => ({ provider, clientId: p.clientId, clientSecret: p.clientSecret, redirectUris: [REDIRECT_URI] }));
  const server = await startProviderServer({ apps, expiresIn: EXPIRES_IN, now: () => serverClock.now });
  const api = await startApiProxy(server.url);

  /** An OAuthClient for `provider`; `overrides` replace provider URLs, `options` client options. */
  function client(provider, { overrides = {}, options = {} } = {}) {
    const p = PROVIDERS[provider];
    return new pkg.OAuthClient({
      provider: { ...p.config(server, api), ...overrides },
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      redirectUri: REDIRECT_URI,
      scopes: p.scopes,
      now: () => clock.now,
      timeoutMs: 5000,
      ...options,
    });
  }

  /** Runs the install flow for `account` and returns the token set. */
  async function install(c, account) {
    const { url, pending } = c.authorize({ account });
    return c.exchangeCode(await followAuthorize(url), pending);
  }

  /**
   * A session over `store` (a fresh MemoryTokenStore by default) holding a freshly installed token
   * set for `account`, on the test clock, and that token set.
   */
  async function installed(provider, account, { client: c = client(provider), store = new pkg.MemoryTokenStore(), sessionOptions = {} } = {}) {
    const tokens = await install(c, account);
    const session = pkg.createSession({ client: c, store, account, now: () => clock.now, ...sessionOptions });
    await session.save(tokens);
    return { client: c, tokens, store, session };
  }

  /** Sleeps nothing; records what was asked. */
  function recordingSleep() {
    const calls = [];
    const sleep = async (ms, signal) => {
      calls.push({ ms, signal });
    };
    return { sleep, calls };
  }

  return {
    pkg,
    clock,
    serverClock,
    server,
    api,
    client,
    install,
    installed,
    recordingSleep,
    async close() {
      await api.close();
      await server.close();
    },
  };
}

/** A store that passes through to `inner` and can hold writes at a gate, and count calls. */
export function gatedStore(inner) {
  let release;
  let gate = null;
  let reached;
  const calls = { get: 0, set: 0, delete: 0 };
  const store = {
    calls,
    get: (k) => {
      calls.get += 1;
      return inner.get(k);
    },
    async set(k, v, o) {
      calls.set += 1;
      if (gate) {
        reached?.();
        await gate;
      }
      return inner.set(k, v, o);
    },
    delete: (k, o) => {
      calls.delete += 1;
      return inner.delete(k, o);
    },
    /** Holds the next writes; resolves `reachedP` when one arrives. */
    closeGate() {
      gate = new Promise((r) => (release = r));
      const reachedP = new Promise((r) => (reached = r));
      return reachedP;
    },
    openGate() {
      const r = release;
      gate = null;
      r?.();
    },
  };
  return store;
}

/** Whether `promise` has settled, looked at after the queued callbacks ran. */
export async function settled(promise) {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}
