// The example helpdesk app: node:http and the public `helpdesk-oauth` API only. The routes a real
// Gorgias app needs, plus what the www/ page uses:
//   GET  /install?account=…[&provider=kustomer][&scope=…][&return=/www/]   the App URL
//   GET  /oauth/callback                                                   the redirect_uri
//   GET  /account?provider=…&account=…      calls the helpdesk API with the stored token
//   POST /refresh, POST /revoke (same query) refresh (store first) and uninstall
//   GET  /api/connection?provider=…&account=…   the token set with every token redacted, as JSON
//   GET  /demo-config.json                  what the www page needs to preview authorize URLs
//   GET  /www/…, /www/pkg/…                 the www page and, next to it, the package's browser build
//   GET  /assets/…                          the script that keeps the app's pages live (pages.mjs)
// Storage is in memory: pending authorizations by session cookie, token sets by provider+account.
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { OAuthClient, TokenSet, accountFromInstallUrl, HelpdeskOAuthError } from 'helpdesk-oauth';
import { serveFile } from './static.mjs';
import { homePage, accountPage, errorPage, refreshedFlash } from './pages.mjs';

const SESSION_COOKIE = 'demo_session';
// One read-only API call per provider, to show the stored token at work.
const API_PATH = { gorgias: '/account', kustomer: '/account', zendesk: '/users/me.json', front: '/me', helpscout: '/users/me', zoho: '/organizations', hubspot: '/account-info/v3/details', intercom: '/me' };
const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'assets');

/** A local path to go back to: starts with one slash, so never another origin. */
function safeReturn(value) {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : null;
}

function redact(value) {
  return value === undefined ? undefined : `[redacted, ${value.length} chars]`;
}

/**
 * @param {object} o
 * @param {(where: {appUrl: string, redirectUri: string}) => Promise<{
 *          providers: Record<string, {provider: object, clientId: string, clientSecret: string, scopes: string[]}>,
 *          publicConfig?: object}>} o.configure
 *        called once the app listens (the provider must know the redirect_uri): one OAuth client per
 *        provider name (`gorgias`, `kustomer`), and what /demo-config.json serves
 * @param {number} [o.port] default 0 @param {string} [o.wwwDir] @param {string} [o.pkgDir]
 * @param {(e: Error) => Error} [o.onListenError] tags the error when the port cannot be had
 */
export async function startDemoApp(o) {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', (e) => reject(o.onListenError?.(e) ?? e));
    server.listen(o.port ?? 0, '127.0.0.1', resolve);
  });
  const appUrl = `http://127.0.0.1:${server.address().port}`;
  const redirectUri = `${appUrl}/oauth/callback`;
  let configured;
  try {
    configured = await o.configure({ appUrl, redirectUri });
  } catch (e) {
    server.close(); // the provider could not start: do not keep the app's port
    throw e;
  }
  const { providers, publicConfig } = configured;
  const clients = Object.fromEntries(
    Object.entries(providers).map(([name, p]) => [name, new OAuthClient({ provider: p.provider, clientId: p.clientId, clientSecret: p.clientSecret, redirectUri, scopes: p.scopes })]),
  );
  const pendingBySession = new Map(); // session id -> { pending, provider, returnTo }
  const tokensByKey = new Map(); // `${provider}:${account}` -> serialized TokenSet
  const keyOf = (provider, account) => `${provider}:${account}`;

  function clientFor(name) {
    const client = clients[name ?? 'gorgias'];
    if (!client) throw new HelpdeskOAuthError('invalid_config', `this app is not registered with ${name}`);
    return client;
  }

  function storedTokens(url) {
    const provider = url.searchParams.get('provider') ?? 'gorgias';
    const account = url.searchParams.get('account') ?? '';
    const json = tokensByKey.get(keyOf(provider, account));
    return json ? { provider, account, tokens: TokenSet.fromJSON(json) } : { provider, account, tokens: null };
  }

  // The token set picks the API host where the provider's depends on its tenant (Zoho's data
  // centre); the provider says which Authorization scheme its API wants (Zoho: Zoho-oauthtoken).
  async function callApi(client, tokens) {
    const path = API_PATH[tokens.provider] ?? '/';
    const res = await fetch(client.apiUrl(path, tokens), { headers: { authorization: `${client.provider.apiAuthScheme} ${tokens.accessToken}` } });
    return { path, status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
  }

  // Refresh ahead of expiry and store the new set before using it (Kustomer has already killed the old refresh token).
  async function fresh(provider, tokens) {
    if (!tokens.isExpired(60)) return tokens;
    const refreshed = await clientFor(provider).refresh(tokens);
    tokensByKey.set(keyOf(provider, refreshed.account), refreshed.serialize());
    return refreshed;
  }

  const routes = {
    'GET /': async (req, res, url) => {
      const connections = [...tokensByKey.entries()].map(([k, json]) => ({ provider: k.split(':')[0], account: k.split(':')[1], expiresAt: TokenSet.fromJSON(json).expiresAt }));
      const revoked = url.searchParams.get('done') === 'revoked' ? `${url.searchParams.get('provider')} · ${url.searchParams.get('account')}` : null;
      const flash = revoked ? { kind: 'ok', text: `Revoked ${revoked}: the grant is ended at the provider (where it has a revocation endpoint) and the tokens are deleted here.` } : undefined;
      send(res, 200, 'text/html; charset=utf-8', homePage({ connections, flash }));
    },

    // The App URL: Gorgias sends the browser here with the account in the query.
    'GET /install': async (req, res, url) => {
      const provider = url.searchParams.get('provider') ?? 'gorgias';
      const returnTo = safeReturn(url.searchParams.get('return'));
      try {
        const client = clientFor(provider);
        const account = accountFromInstallUrl(url.href);
        const scope = url.searchParams.get('scope');
        const auth = client.authorize({ account, ...(scope ? { scopes: scope.split(/[ +]/).filter(Boolean) } : {}) });
        const sid = randomBytes(16).toString('hex');
        pendingBySession.set(sid, { pending: auth.pending.serialize(), provider, returnTo });
        res.writeHead(302, { location: auth.url, 'set-cookie': `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Lax; Path=/` }).end();
      } catch (e) {
        failed(res, e, returnTo, provider, url.searchParams.get('account'));
      }
    },

    // The redirect_uri: check state (and iss, nonce), exchange the code, store the token set.
    'GET /oauth/callback': async (req, res, url) => {
      const sid = new RegExp(`${SESSION_COOKIE}=([0-9a-f]+)`).exec(req.headers.cookie ?? '')?.[1];
      const entry = sid ? pendingBySession.get(sid) : undefined;
      pendingBySession.delete(sid);
      try {
        if (!entry) throw new HelpdeskOAuthError('pending_invalid', 'no authorization was started in this browser session');
        const tokens = await clientFor(entry.provider).exchangeCode(url.href, entry.pending);
        tokensByKey.set(keyOf(entry.provider, tokens.account), tokens.serialize());
        const where = entry.returnTo
          ? `${entry.returnTo}${entry.returnTo.includes('?') ? '&' : '?'}${new URLSearchParams({ provider: entry.provider, account: tokens.account, connected: '1' })}`
          : `/account?${new URLSearchParams({ provider: entry.provider, account: tokens.account })}`;
        res.writeHead(302, { location: where, 'set-cookie': `${SESSION_COOKIE}=; Max-Age=0; Path=/` }).end();
      } catch (e) {
        failed(res, e, entry?.returnTo, entry?.provider);
      }
    },

    'GET /account': async (req, res, url) => {
      const { provider, account, tokens } = storedTokens(url);
      if (!tokens) {
        const notConnected = { code: 'not_connected', message: `No tokens are stored for ${provider} · ${account}: connect the account first.` };
        return send(res, 404, 'text/html; charset=utf-8', errorPage(notConnected, { title: 'Not connected', status: 404 }));
      }
      try {
        const t = await fresh(provider, tokens);
        const api = await callApi(clientFor(provider), t);
        const record = JSON.parse(t.serialize());
        send(res, 200, 'text/html; charset=utf-8', accountPage({ provider, account, api, record, claims: t.idTokenClaims(), flash: flashFrom(url, t) }));
      } catch (e) {
        failed(res, e);
      }
    },

    'POST /refresh': async (req, res, url) => {
      const { provider, account, tokens } = storedTokens(url);
      if (!tokens) return sendJson(res, 404, { error: 'not_connected' });
      try {
        const refreshed = await clientFor(provider).refresh(tokens);
        tokensByKey.set(keyOf(provider, account), refreshed.serialize()); // store before anything else
        respond(req, res, url, { refreshed: true, refreshTokenRotated: refreshed.refreshToken !== tokens.refreshToken, connection: connection(provider, refreshed) });
      } catch (e) {
        failedAction(req, res, url, e);
      }
    },

    'POST /revoke': async (req, res, url) => {
      const { provider, account, tokens } = storedTokens(url);
      if (!tokens) return sendJson(res, 404, { error: 'not_connected' });
      try {
        // Where the provider has no revocation endpoint (Kustomer, Front, Help Scout) the app
        // forgets the tokens; the grant ends when the helpdesk uninstalls the app.
        const client = clientFor(provider);
        if (client.provider.revokeUrl !== undefined) await client.revoke(tokens);
        tokensByKey.delete(keyOf(provider, account));
        respond(req, res, url, { revoked: true, revokedAtProvider: client.provider.revokeUrl !== undefined });
      } catch (e) {
        failedAction(req, res, url, e);
      }
    },

    'GET /api/connection': async (req, res, url) => {
      const { provider, account, tokens } = storedTokens(url);
      if (!tokens) return sendJson(res, 404, { error: 'not_connected', message: `no tokens stored for ${provider}:${account}` });
      try {
        const t = await fresh(provider, tokens);
        sendJson(res, 200, { ...connection(provider, t), api: await callApi(clientFor(provider), t) });
      } catch (e) {
        failedJson(res, e);
      }
    },

    'GET /demo-config.json': async (req, res) => sendJson(res, 200, { ...(publicConfig ?? {}), redirectUri }),
  };

  function connection(provider, t) {
    const json = JSON.parse(t.serialize());
    return {
      provider,
      account: t.account,
      tenant: t.tenant ?? null,
      tokenSet: { ...json, access_token: redact(json.access_token), refresh_token: redact(json.refresh_token), id_token: redact(json.id_token) },
      idTokenClaims: t.idTokenClaims() ?? null,
      expiresAt: t.expiresAt ?? null,
      serverNow: Date.now(),
    };
  }

  const wantsHtml = (req) => (req.headers.accept ?? '').includes('text/html');
  const accountQuery = (url) => new URLSearchParams({ provider: url.searchParams.get('provider') ?? 'gorgias', account: url.searchParams.get('account') ?? '' });

  // Browsers posting the /account page's forms go back to a page that says what happened; scripts get JSON.
  function respond(req, res, url, body) {
    if (wantsHtml(req)) {
      const q = accountQuery(url);
      if (body.revoked) q.set('done', 'revoked');
      else q.set('done', body.refreshTokenRotated ? 'refreshed-rotated' : 'refreshed');
      return res.writeHead(303, { location: `${body.revoked ? '/' : '/account'}?${q}` }).end();
    }
    sendJson(res, 200, body);
  }

  function failedAction(req, res, url, e) {
    if (!(e instanceof HelpdeskOAuthError) || !wantsHtml(req)) return failedJson(res, e);
    const q = accountQuery(url);
    q.set('error', e.code);
    q.set('message', e.message);
    res.writeHead(303, { location: `/account?${q}` }).end();
  }

  /** The /account page's banner: what the last action did (the query says which), or its error. */
  function flashFrom(url, t) {
    const error = url.searchParams.get('error');
    if (error) return { kind: 'error', code: error, text: url.searchParams.get('message') ?? '' };
    const done = url.searchParams.get('done');
    if (done !== 'refreshed' && done !== 'refreshed-rotated') return undefined;
    return refreshedFlash(t.obtainedAt, done === 'refreshed-rotated');
  }

  function failed(res, e, returnTo, provider, account) {
    if (!(e instanceof HelpdeskOAuthError)) throw e;
    if (returnTo) {
      const q = new URLSearchParams({ error: e.code, message: e.message });
      if (provider) q.set('provider', provider);
      if (account) q.set('account', account);
      return res.writeHead(302, { location: `${returnTo}${returnTo.includes('?') ? '&' : '?'}${q}` }).end();
    }
    send(res, 400, 'text/html; charset=utf-8', errorPage(e));
  }

  function failedJson(res, e) {
    if (!(e instanceof HelpdeskOAuthError)) throw e;
    sendJson(res, e.code === 'invalid_grant' ? 409 : 400, { error: e.code, message: e.message });
  }

  server.on('request', async (req, res) => {
    const url = new URL(req.url, appUrl);
    try {
      const route = routes[`${req.method} ${url.pathname}`];
      if (route) return await route(req, res, url);
      if (req.method === 'GET' && url.pathname.startsWith('/assets/') && (await serveFile(res, ASSETS, url.pathname.slice('/assets/'.length)))) return;
      if (req.method === 'GET' && url.pathname.startsWith('/www/pkg/') && o.pkgDir && (await serveFile(res, o.pkgDir, url.pathname.slice('/www/pkg/'.length)))) return;
      if (req.method === 'GET' && url.pathname.startsWith('/www/') && o.wwwDir && (await serveFile(res, o.wwwDir, url.pathname.slice('/www/'.length)))) return;
      if (req.method === 'GET' && url.pathname === '/www') return res.writeHead(301, { location: '/www/' }).end();
      send(res, 404, 'text/plain; charset=utf-8', 'not found');
    } catch (e) {
      // A bug, not an OAuth outcome: say so without echoing anything that could hold a secret.
      console.error(`demo app: ${req.method} ${url.pathname}: ${e?.name ?? 'Error'}`);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.destroy();
    }
  });

  return {
    url: appUrl,
    redirectUri,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res, status, body) {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
