// The emulator as a library: one node:http server that dispatches to the endpoint modules and
// keeps every grant in memory. `state` is for tests: counters, the last requests, every value
// handed out, and one-shot faults (see index.d.ts for the fields).
import http from 'node:http';
import { PROVIDERS } from './providers.mjs';
import { resolveRoute, providerConfig } from './routing.mjs';
import { checkApp, checkSettings } from './config.mjs';
import { createLeakyBucket } from './rate-limit.mjs';
import { sendJson } from './http.mjs';
import { authorizeGet, authorizePost } from './authorize.mjs';
import { token } from './token.mjs';
import { revoke } from './revoke.mjs';
import { apiAccount } from './api.mjs';
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
    codeTtlSeconds: options.codeTtlSeconds ?? 60,
    autoApprove: options.autoApprove ?? false,
    limiters: limitersFor(options.rateLimit, now),
    kustomerApps: createKustomerApps(apps, options.kustomerApiKeys, routeOptions),
    flavours: createFlavours(options, now),
    findApp: (provider, clientId) => apps.find((a) => a.clientId === clientId && (!a.provider || a.provider === provider)),
  };

  const server = http.createServer((req, res) => {
    dispatch(ctx, req, res, routeOptions).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: `emulator bug: ${err.message}` });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  return {
    url,
    port,
    close,
    state: ctx.state,
    apps,
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

async function dispatch(ctx, req, res, routeOptions) {
  const url = new URL(req.url, 'http://emulator.invalid');
  if (await ctx.kustomerApps.handle(req, res, url)) return undefined;
  if (await ctx.flavours.handle(ctx, req, res, url)) return undefined;
  const r = resolveRoute(req.headers.host, url.pathname, routeOptions);
  if (!r) return sendJson(res, 404, { error: 'not_found' });
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
    case 'api/account':
      return method('GET', () => apiAccount(ctx, req, res, r));
    default:
      return sendJson(res, 404, { error: 'not_found' });
  }
}
