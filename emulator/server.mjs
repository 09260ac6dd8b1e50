// The emulator as a library: one node:http server that dispatches to the endpoint modules and
// keeps every grant in memory. `state` is for tests: counters, the last requests, every value
// handed out, and one-shot faults (see index.d.ts for the fields).
import http from 'node:http';
import { PROVIDERS } from './providers.mjs';
import { resolveRoute, providerConfig } from './routing.mjs';
import { checkApp, checkSettings, EmulatorConfigError } from './config.mjs';
import { createLeakyBucket } from './rate-limit.mjs';
import { sendJson, refusalOf } from './http.mjs';
import { authorizeGet, authorizePost } from './authorize.mjs';
import { token } from './token.mjs';
import { revoke } from './revoke.mjs';
import { apiRequest } from './api.mjs';
import { createKustomerApps } from './kustomer-apps.mjs';
import { createFlavours } from './flavours/index.mjs';

function newState() {
  return {
    nextAuthorizeError: null,
    nextTokenFault: null,
    rotateNextRefresh: false,
    authorizeRequests: 0,
    consentPagesShown: 0,
    lastConsentDecision: null,
    tokenRequests: 0,
    refreshRequests: 0,
    codeRequests: 0,
    refreshReuse: 0,
    codeReuse: 0,
    held: 0,
    revokeRequests: 0,
    apiRequests: 0,
    rateLimited: 0,
    lastAuthorizeRequest: null,
    lastTokenRequest: null,
    lastRevokeRequest: null,
    issued: { codes: [], accessTokens: [], refreshTokens: [], idTokens: [] },
  };
}

function limitersFor(overrides, now) {
  const limiters = {};
  for (const [id, p] of Object.entries(PROVIDERS)) {
    const o = overrides?.[id];
    if (o === false) continue;
    const limit = o ?? p.rateLimit;
    if (!limit) continue;
    limiters[id] = {
      bucket: createLeakyBucket(limit, now),
      header: p.rateLimit?.header ?? 'X-RateLimit-Limit',
    };
  }
  return limiters;
}

/**
 * Starts the emulator. See index.d.ts for the options and the returned handle.
 */
export async function startEmulator(options = {}) {
  checkSettings(options, 'startEmulator');
  const apps = (options.apps ?? []).map((a, i) => checkApp(a, `apps[${i}]`));
  if (options.clientId) {
    apps.push(checkApp({ clientId: options.clientId, clientSecret: options.clientSecret, redirectUris: options.redirectUris ?? [] }, 'clientId/clientSecret/redirectUris'));
  }
  const now = options.now ?? (() => Date.now());
  const routeOptions = { routing: options.routing ?? 'auto', hostSuffix: options.hostSuffix ?? 'localhost' };
  const ctx = {
    providers: PROVIDERS,
    state: newState(),
    store: { codes: new Map(), consents: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
    now,
    expiresIn: options.expiresIn ?? 86400,
    reuseDetection: options.reuseDetection ?? false,
    held: [], // token requests parked by the `hold` fault: { resolve }
    /** Resolves true when released, false when the client goes away first (it is never served). */
    hold(req) {
      return new Promise((resolve) => {
        const entry = { resolve };
        const gone = () => {
          const i = ctx.held.indexOf(entry);
          if (i === -1) return;
          ctx.held.splice(i, 1);
          ctx.state.held -= 1;
          resolve(false);
        };
        entry.resolve = (go) => {
          req.socket.off('close', gone);
          resolve(go);
        };
        ctx.held.push(entry);
        ctx.state.held += 1;
        req.socket.once('close', gone);
      });
    },
    codeTtlSeconds: options.codeTtlSeconds ?? 60,
    autoApprove: options.autoApprove ?? false,
    limiters: limitersFor(options.rateLimit, now),
    kustomerApps: createKustomerApps(apps, options.kustomerApiKeys, routeOptions),
    flavours: createFlavours(options, now),
    findApp: (provider, clientId) => apps.find((a) => a.clientId === clientId && (!a.provider || a.provider === provider)),
    appsAt: (provider) => apps.filter((a) => !a.provider || a.provider === provider),
  };
  if (options.log !== undefined && typeof options.log !== 'function') throw new EmulatorConfigError('startEmulator: log must be a function (line: string) => void');
  const log = options.log ?? (() => {});

  const server = http.createServer((req, res) => {
    // One line per refused request, once it is answered: what was asked, the status and why.
    // The path only: a query may hold a state or PKCE challenge, and nothing here is a secret.
    res.once('finish', () => {
      const r = refusalOf(res);
      if (r) log(refusalLine(req, r));
    });
    dispatch(ctx, req, res, routeOptions).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: `emulator bug: ${err.message}` });
      else res.destroy();
    });
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const { port } = server.address();
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  /** Lets the parked token requests go on (those whose client went away were already dropped). */
  function releaseHeld() {
    const held = ctx.held.splice(0);
    ctx.state.held = 0;
    for (const { resolve } of held) resolve(true);
    return held.length;
  }

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    for (const { resolve } of ctx.held.splice(0)) resolve(false);
    ctx.state.held = 0;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  return {
    url,
    port,
    close,
    state: ctx.state,
    apps,
    releaseHeld,
    /** ProviderConfig for `new OAuthClient({ provider })`, pointing the preset at this emulator. */
    providerConfig: (provider, o = {}) => providerConfig(url, provider, { hostSuffix: routeOptions.hostSuffix, ...o }),
    set autoApprove(v) {
      ctx.autoApprove = Boolean(v);
    },
    get autoApprove() {
      return ctx.autoApprove;
    },
  };
}

function refusalLine(req, { status, error, description, why }) {
  const path = String(req.url ?? '').split('?')[0].slice(0, 200);
  const detail = [description, why].filter(Boolean).join(' — ');
  return `emulator: refused ${req.method} ${path} → ${status} ${error}${detail ? `: ${detail}` : ''}`;
}

/**
 * Listens, or rejects with an error that says which address is taken (`code` EADDRINUSE or
 * EACCES, `port`, `host` kept), so that a command can name the flag that picks another port.
 */
function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why = err.code === 'EADDRINUSE' ? `port ${port} is already in use (${where})` : err.code === 'EACCES' ? `no permission to listen on ${where}` : `cannot listen on ${where}: ${err.message}`;
      reject(Object.assign(new Error(why), { code: err.code, port, host }));
    });
    server.listen(port, host, () => resolve());
  });
}

async function dispatch(ctx, req, res, routeOptions) {
  const url = new URL(req.url, 'http://emulator.invalid');
  if (await ctx.kustomerApps.handle(req, res, url)) return undefined;
  if (await ctx.flavours.handle(ctx, req, res, url)) return undefined;
  const r = resolveRoute(req.headers.host, url.pathname, routeOptions);
  if (!r) {
    return sendJson(res, 404, {
      error: 'not_found',
      error_description: 'the emulator serves /{gorgias|kustomer}/{account}/oauth/authorize, /oauth/token, /oauth/revoke (Gorgias) and /api/..., or the same paths on {account}.{provider} hosts',
    });
  }
  const method = (allowed, fn) =>
    req.method === allowed || (allowed === 'GET+POST' && (req.method === 'GET' || req.method === 'POST'))
      ? fn()
      : sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: allowed === 'GET+POST' ? 'GET, POST' : allowed });
  switch (r.route) {
    case 'oauth/authorize':
      return method('GET+POST', () => (req.method === 'GET' ? authorizeGet(ctx, req, res, url, r) : authorizePost(ctx, req, res, r)));
    case 'oauth/token':
      return method('POST', () => token(ctx, req, res, r));
    case 'oauth/revoke':
      if (!ctx.providers[r.provider].revoke) return sendJson(res, 404, { error: 'not_found' });
      return method('POST', () => revoke(ctx, req, res, r));
    default:
      if (r.route.startsWith('api/')) return apiRequest(ctx, req, res, url, { ...r, path: r.route.slice('api/'.length) });
      return sendJson(res, 404, { error: 'not_found' });
  }
}
