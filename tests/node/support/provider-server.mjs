// A small, strict stand-in for the Gorgias and Kustomer authorization servers, for the Node tests.
//
// One `node:http` server on 127.0.0.1 (random port) routes by path prefix:
//   GET  /{provider}/{account}/oauth/authorize   (no consent page: answers 302 to the redirect_uri)
//   POST /{provider}/{account}/oauth/token       (authorization_code and refresh_token grants)
//   POST /{provider}/{account}/oauth/revoke      (Gorgias only, RFC 7009)
//   GET  /{provider}/{account}/api/account       (needs `Authorization: Bearer <access token>`)
// where provider is `gorgias` or `kustomer` and account is one DNS label.
//
// It behaves as /work/shared/PROVIDERS.md describes each provider:
//   Gorgias:  HTTP Basic client auth only (body credentials → 401 invalid_client); token_type "Bearer";
//             an id_token (unsigned but well-formed RS256-shaped JWT) when `openid` is granted;
//             refresh_token only with scope `offline`; refresh returns NO new refresh token (the old
//             one stays valid); /oauth/revoke with Basic auth, form `token=` → 200 `{}`.
//   Kustomer: client_id/client_secret in the form body only (Basic → 401 invalid_client);
//             token_type "bearer"; refresh_token only with scope `offline_access`; refresh ROTATES
//             (new access + refresh token, the old refresh token is dead → 400 invalid_grant); no revoke.
// Codes are single use, live 60 s, and are bound to client_id, redirect_uri, PKCE challenge (S256
// only), nonce, scopes and account. A code_verifier sent for a code issued without a challenge is
// refused (RFC 9700 §2.1.1, PKCE downgrade).
//
// Tests steer and observe it through the returned `state` object:
//   state.nextAuthorizeError = 'access_denied'        next authorize redirects with an OAuth error
//   state.nextTokenFault = 'html500' | 'html502' | 'malformed' | 'invalid_grant' | 'hang'
//                                                       applies to the next token request only
//   state.tokenRequests, state.refreshRequests, state.revokeRequests, state.authorizeRequests,
//   state.apiRequests                                   counters
//   state.lastTokenRequest = { provider, account, headers, params }   (params: plain object)
//   state.lastAuthorizeRequest = { provider, account, params }
//   state.lastRevokeRequest = { provider, account, headers, params }
//   state.issued = { accessTokens: [], refreshTokens: [], codes: [] }  every value handed out

import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';

const PROVIDERS = {
  gorgias: {
    clientAuth: 'basic',
    tokenType: 'Bearer',
    refreshScope: 'offline',
    rotates: false,
    revoke: true,
    idToken: true,
  },
  kustomer: {
    clientAuth: 'body',
    tokenType: 'bearer',
    refreshScope: 'offline_access',
    rotates: true,
    revoke: false,
    idToken: false,
  },
};

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const CODE_TTL_MS = 60_000;
const MAX_BODY = 64 * 1024;

function randomToken(prefix) {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Form-urlencoded component decoding (RFC 6749 §2.3.1 / Appendix B): `+` is a space. */
function formDecode(s) {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * Starts the provider server.
 * @param {object} [options]
 * @param {Array<{provider?: 'gorgias'|'kustomer', clientId: string, clientSecret: string, redirectUris: string[]}>} [options.apps]
 *        registered applications; an app without `provider` is registered at both providers.
 * @param {string} [options.clientId] @param {string} [options.clientSecret] @param {string[]} [options.redirectUris]
 *        shorthand for one app registered at both providers.
 * @param {number} [options.expiresIn] access-token lifetime in seconds (default 86400).
 * @param {() => number} [options.now] the server's clock in ms (default Date.now).
 */
export async function startProviderServer(options = {}) {
  const apps = [...(options.apps ?? [])];
  if (options.clientId) {
    apps.push({ clientId: options.clientId, clientSecret: options.clientSecret, redirectUris: options.redirectUris ?? [] });
  }
  const expiresIn = options.expiresIn ?? 86400;
  const now = options.now ?? (() => Date.now());

  const state = {
    nextAuthorizeError: null,
    nextTokenFault: null,
    authorizeRequests: 0,
    tokenRequests: 0,
    refreshRequests: 0,
    revokeRequests: 0,
    apiRequests: 0,
    lastAuthorizeRequest: null,
    lastTokenRequest: null,
    lastRevokeRequest: null,
    issued: { codes: [], accessTokens: [], refreshTokens: [], idTokens: [] },
  };

  const codes = new Map(); // code -> grant
  const accessTokens = new Map(); // token -> { provider, account, clientId, scopes, expiresAt }
  const refreshTokens = new Map(); // token -> { provider, account, clientId, scopes, active }

  function findApp(provider, clientId) {
    return apps.find((a) => a.clientId === clientId && (!a.provider || a.provider === provider));
  }

  let port = 0;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) {
        sendJson(res, 500, { error: 'server_error', error_description: `test server bug: ${err.message}` });
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req, res) {
    const url = new URL(req.url, `http://127.0.0.1:${port}`);
    const m = /^\/(gorgias|kustomer)\/([^/]+)\/(oauth\/authorize|oauth\/token|oauth\/revoke|api\/account)$/.exec(url.pathname);
    if (!m || !LABEL.test(m[2])) {
      return sendJson(res, 404, { error: 'not_found' });
    }
    const [, provider, account, route] = m;
    const p = PROVIDERS[provider];
    switch (route) {
      case 'oauth/authorize':
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
        return authorize(req, res, url, provider, account);
      case 'oauth/token':
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
        return token(req, res, provider, account, p);
      case 'oauth/revoke':
        if (!p.revoke) return sendJson(res, 404, { error: 'not_found' });
        if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'POST' });
        return revoke(req, res, provider, account);
      case 'api/account':
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
        return api(req, res, provider, account);
    }
  }

  // ---- authorize (RFC 6749 §4.1.1, §4.1.2, §4.1.2.1; RFC 7636 §4.3) ----
  function authorize(req, res, url, provider, account) {
    state.authorizeRequests += 1;
    const params = {};
    for (const [k, v] of url.searchParams) {
      if (Object.hasOwn(params, k)) {
        // Duplicate parameters: cannot trust redirect_uri either, so no redirect.
        return sendHtml(res, 400, `<html><body>Duplicate parameter ${escapeHtml(k)}</body></html>`);
      }
      params[k] = v;
    }
    state.lastAuthorizeRequest = { provider, account, params };
    const app = params.client_id ? findApp(provider, params.client_id) : undefined;
    if (!app) return sendHtml(res, 400, '<html><body>Unknown client</body></html>');
    // Exact string match of a registered redirect URI; never redirect to an unregistered one.
    if (!params.redirect_uri || !app.redirectUris.includes(params.redirect_uri)) {
      return sendHtml(res, 400, '<html><body>redirect_uri is not registered for this client</body></html>');
    }
    const back = (pairs) => {
      const query = new URLSearchParams(pairs).toString();
      const base = params.redirect_uri.split('#')[0];
      const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
      res.writeHead(302, { Location: `${base}${sep}${query}`, 'Cache-Control': 'no-store' });
      res.end();
    };
    const withState = (pairs) => (params.state !== undefined ? { ...pairs, state: params.state } : pairs);

    if (state.nextAuthorizeError) {
      const error = state.nextAuthorizeError;
      state.nextAuthorizeError = null;
      return back(withState({ error, error_description: 'The user denied the request' }));
    }
    if (params.response_type !== 'code') {
      return back(withState({ error: 'unsupported_response_type', error_description: 'response_type must be code' }));
    }
    const scopes = (params.scope ?? '').split(' ').filter(Boolean);
    if (scopes.length === 0) {
      return back(withState({ error: 'invalid_scope', error_description: 'scope is required' }));
    }
    let challenge = null;
    if (params.code_challenge !== undefined || params.code_challenge_method !== undefined) {
      if (params.code_challenge_method !== 'S256') {
        return back(withState({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' }));
      }
      if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge ?? '')) {
        return back(withState({ error: 'invalid_request', error_description: 'code_challenge is malformed' }));
      }
      challenge = params.code_challenge;
    }
    const code = randomToken('code');
    codes.set(code, {
      provider,
      account,
      clientId: app.clientId,
      redirectUri: params.redirect_uri,
      challenge,
      nonce: params.nonce,
      scopes,
      expiresAt: now() + CODE_TTL_MS,
      used: false,
    });
    state.issued.codes.push(code);
    return back(withState({ code }));
  }

  // ---- token (RFC 6749 §3.2, §4.1.3, §6, §5.2) ----
  async function token(req, res, provider, account, p) {
    state.tokenRequests += 1;
    let raw;
    try {
      raw = await readBody(req);
    } catch {
      return sendJson(res, 413, { error: 'invalid_request', error_description: 'body too large' });
    }
    const params = {};
    let duplicate = null;
    for (const [k, v] of new URLSearchParams(raw)) {
      if (Object.hasOwn(params, k)) duplicate = k;
      params[k] = v;
    }
    state.lastTokenRequest = { provider, account, headers: { ...req.headers }, params, rawBody: raw };
    if (params.grant_type === 'refresh_token') state.refreshRequests += 1;

    const fault = state.nextTokenFault;
    state.nextTokenFault = null;
    if (fault) return tokenFault(res, fault);

    const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (ctype !== 'application/x-www-form-urlencoded') {
      return oauthError(res, 400, 'invalid_request', 'content type must be application/x-www-form-urlencoded');
    }
    if (duplicate) return oauthError(res, 400, 'invalid_request', `parameter ${duplicate} repeated`);

    const client = authenticateClient(req, params, provider, p);
    if (!client) {
      return oauthError(res, 401, 'invalid_client', 'client authentication failed', {
        'WWW-Authenticate': p.clientAuth === 'basic' ? 'Basic realm="oauth"' : undefined,
      });
    }

    if (params.grant_type === 'authorization_code') return codeGrant(res, params, provider, account, p, client);
    if (params.grant_type === 'refresh_token') return refreshGrant(res, params, provider, account, p, client);
    return oauthError(res, 400, 'unsupported_grant_type', 'grant_type not supported');
  }

  function authenticateClient(req, params, provider, p) {
    const header = req.headers.authorization;
    if (p.clientAuth === 'basic') {
      // Gorgias: HTTP Basic only; credentials in the body are refused.
      if (params.client_secret !== undefined) return null;
      const creds = parseBasic(header);
      if (!creds) return null;
      if (params.client_id !== undefined && params.client_id !== creds.id) return null;
      const app = findApp(provider, creds.id);
      if (!app || app.clientSecret !== creds.secret) return null;
      return app;
    }
    // Kustomer: body only; an Authorization header is refused.
    if (header !== undefined) return null;
    if (params.client_id === undefined || params.client_secret === undefined) return null;
    const app = findApp(provider, params.client_id);
    if (!app || app.clientSecret !== params.client_secret) return null;
    return app;
  }

  function codeGrant(res, params, provider, account, p, client) {
    const grant = params.code ? codes.get(params.code) : undefined;
    if (!grant) return oauthError(res, 400, 'invalid_grant', 'authorization code is unknown');
    if (grant.used) return oauthError(res, 400, 'invalid_grant', 'authorization code was already used');
    if (grant.clientId !== client.clientId) return oauthError(res, 400, 'invalid_grant', 'authorization code was issued to another client');
    grant.used = true; // single use: any redemption attempt by its client consumes it
    if (grant.expiresAt <= now()) return oauthError(res, 400, 'invalid_grant', 'authorization code expired');
    if (grant.provider !== provider || grant.account !== account) {
      return oauthError(res, 400, 'invalid_grant', 'authorization code was issued for another account');
    }
    if (params.redirect_uri !== grant.redirectUri) return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
    if (grant.challenge) {
      const v = params.code_verifier;
      if (!v || !/^[A-Za-z0-9._~-]{43,128}$/.test(v)) return oauthError(res, 400, 'invalid_grant', 'code_verifier missing or malformed');
      const computed = createHash('sha256').update(v, 'ascii').digest('base64url');
      if (computed !== grant.challenge) return oauthError(res, 400, 'invalid_grant', 'code_verifier does not match');
    } else if (params.code_verifier !== undefined) {
      return oauthError(res, 400, 'invalid_grant', 'code_verifier sent but no code_challenge was');
    }

    const body = issueAccess(provider, account, client.clientId, grant.scopes, p);
    if (grant.scopes.includes(p.refreshScope)) {
      const rt = randomToken('rt');
      refreshTokens.set(rt, { provider, account, clientId: client.clientId, scopes: grant.scopes, active: true });
      state.issued.refreshTokens.push(rt);
      body.refresh_token = rt;
    }
    if (p.idToken && grant.scopes.includes('openid')) {
      const t = Math.floor(now() / 1000);
      const claims = {
        iss: `https://${account}.gorgias.com`,
        aud: [client.clientId],
        sub: 10,
        iat: t,
        auth_time: t,
        exp: t + 3600,
        name: 'Alice Agent',
        email: 'alice@example.com',
        at_hash: createHash('sha256').update(body.access_token).digest().subarray(0, 16).toString('base64url'),
      };
      if (grant.nonce !== undefined) claims.nonce = grant.nonce;
      const idToken = `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.${randomBytes(64).toString('base64url')}`;
      state.issued.idTokens.push(idToken);
      body.id_token = idToken;
    }
    return sendJson(res, 200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  }

  function refreshGrant(res, params, provider, account, p, client) {
    const entry = params.refresh_token ? refreshTokens.get(params.refresh_token) : undefined;
    if (!entry || !entry.active || entry.clientId !== client.clientId || entry.provider !== provider || entry.account !== account) {
      return oauthError(res, 400, 'invalid_grant', 'refresh token is invalid, expired or revoked');
    }
    let scopes = entry.scopes;
    if (params.scope !== undefined) {
      const asked = params.scope.split(' ').filter(Boolean);
      if (asked.some((s) => !entry.scopes.includes(s))) return oauthError(res, 400, 'invalid_scope', 'scope exceeds the original grant');
      scopes = asked;
    }
    const body = issueAccess(provider, account, client.clientId, scopes, p);
    if (p.rotates) {
      entry.active = false;
      const rt = randomToken('rt');
      refreshTokens.set(rt, { ...entry, active: true });
      state.issued.refreshTokens.push(rt);
      body.refresh_token = rt;
    }
    return sendJson(res, 200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  }

  function issueAccess(provider, account, clientId, scopes, p) {
    const at = randomToken('at');
    accessTokens.set(at, { provider, account, clientId, scopes, expiresAt: now() + expiresIn * 1000 });
    state.issued.accessTokens.push(at);
    return { access_token: at, expires_in: expiresIn, scope: scopes.join(' '), token_type: p.tokenType };
  }

  function tokenFault(res, fault) {
    switch (fault) {
      case 'html500':
        return sendHtml(res, 500, '<html><head><title>500</title></head><body><h1>Internal Server Error</h1></body></html>');
      case 'html502':
        return sendHtml(res, 502, '<html><head><title>502</title></head><body><h1>Bad Gateway</h1></body></html>');
      case 'malformed': {
        const body = '{"access_token":"at_truncated","token_type":"Bearer","expi';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        return res.end(body);
      }
      case 'invalid_grant':
        return oauthError(res, 400, 'invalid_grant', 'The provided authorization grant is invalid');
      case 'hang':
        return; // never answer; close() tears the socket down
      default:
        throw new Error(`unknown nextTokenFault ${fault}`);
    }
  }

  // ---- revoke (RFC 7009) ----
  async function revoke(req, res, provider, account) {
    state.revokeRequests += 1;
    const raw = await readBody(req);
    const params = Object.fromEntries(new URLSearchParams(raw));
    state.lastRevokeRequest = { provider, account, headers: { ...req.headers }, params };
    if (params.client_secret !== undefined) return oauthError(res, 401, 'invalid_client', 'client authentication failed');
    const creds = parseBasic(req.headers.authorization);
    const app = creds && findApp(provider, creds.id);
    if (!app || app.clientSecret !== creds.secret) {
      return oauthError(res, 401, 'invalid_client', 'client authentication failed', { 'WWW-Authenticate': 'Basic realm="oauth"' });
    }
    if (!params.token) return oauthError(res, 400, 'invalid_request', 'token is required');
    const rt = refreshTokens.get(params.token);
    if (rt && rt.clientId === app.clientId && rt.account === account) rt.active = false;
    const at = accessTokens.get(params.token);
    if (at && at.clientId === app.clientId && at.account === account) accessTokens.delete(params.token);
    // Unknown tokens also answer 200 (RFC 7009 §2.2).
    return sendJson(res, 200, {});
  }

  // ---- protected resource (RFC 6750) ----
  function api(req, res, provider, account) {
    state.apiRequests += 1;
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '');
    const entry = m ? accessTokens.get(m[1]) : undefined;
    if (!entry || entry.provider !== provider || entry.account !== account || entry.expiresAt <= now()) {
      return sendJson(res, 401, { error: 'invalid_token', error_description: 'access token missing, invalid or expired' }, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    return sendJson(res, 200, { domain: account, provider, name: `${account} support`, scopes: entry.scopes });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = server.address().port;
  const url = `http://127.0.0.1:${port}`;

  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(() => resolve()));
  }

  return { url, port, close, state };
}

function parseBasic(header) {
  const m = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  try {
    return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) };
  } catch {
    return null;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  const h = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) };
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
  res.writeHead(status, h);
  res.end(text);
}

function sendHtml(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function oauthError(res, status, error, description, headers = {}) {
  return sendJson(res, status, { error, error_description: description }, { 'Cache-Control': 'no-store', ...headers });
}

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------
// Helpers for the tests that drive the package against this server.

export const REDIRECT_URI = 'http://127.0.0.1:8787/oauth/callback';

/** The Gorgias preset pointed at this server (issuer stays `https://{account}.gorgias.com`). */
export function gorgiasProvider(url) {
  return {
    preset: 'gorgias',
    authorizeUrl: `${url}/gorgias/{account}/oauth/authorize`,
    tokenUrl: `${url}/gorgias/{account}/oauth/token`,
    revokeUrl: `${url}/gorgias/{account}/oauth/revoke`,
    apiBaseUrl: `${url}/gorgias/{account}/api`,
  };
}

/** The Kustomer preset pointed at this server. */
export function kustomerProvider(url) {
  return {
    preset: 'kustomer',
    authorizeUrl: `${url}/kustomer/{account}/oauth/authorize`,
    tokenUrl: `${url}/kustomer/{account}/oauth/token`,
    apiBaseUrl: `${url}/kustomer/{account}/api`,
  };
}

/**
 * Plays the browser: GETs the authorize URL without following redirects and returns the
 * callback URL from `Location` (the server answers 302 instead of showing a consent page).
 */
export async function followAuthorize(authorizeUrl) {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  await res.arrayBuffer();
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}, expected 302`);
  const location = res.headers.get('location');
  if (!location) throw new Error('authorize answered 302 without Location');
  return location;
}

/** Decodes a JWT's payload without checking anything. */
export function jwtClaims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** Resolves to a 127.0.0.1 port that nothing listens on (a server was bound there and closed). */
export async function closedPort() {
  const s = http.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Asserts that `err` is the package's error with the given code, and that its message (and its
 * description) leaks none of `secrets` (client secret, codes, tokens, verifiers).
 */
export function assertOAuthError(err, HelpdeskOAuthError, code, secrets = []) {
  assert.equal(typeof HelpdeskOAuthError, 'function', 'the package does not export HelpdeskOAuthError');
  assert.ok(err instanceof HelpdeskOAuthError, `expected HelpdeskOAuthError, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof Error, 'HelpdeskOAuthError must extend Error');
  assert.equal(err.code, code, `wrong code; message: ${err.message}`);
  assert.equal(typeof err.message, 'string');
  assert.ok(err.message.length > 0, 'message is empty');
  for (const s of secrets.filter(Boolean)) {
    assert.ok(!err.message.includes(s), `error message leaks a secret value: ${err.message}`);
    if (err.description) assert.ok(!err.description.includes(s), 'error description leaks a secret value');
    assert.ok(!String(err.stack ?? '').includes(s), 'error stack leaks a secret value');
  }
  return err;
}

/** Every value the server handed out that must never appear in an error message or a log line. */
export function issuedSecrets(server, ...extra) {
  const i = server.state.issued;
  return [...i.codes, ...i.accessTokens, ...i.refreshTokens, ...i.idTokens, ...extra];
}
