// The machinery the Zendesk, Front, Help Scout, Zoho Desk, HubSpot and Intercom flavours share:
// authorize with consent, the token endpoint's two grants, revocation and the API, each shaped
// by a flavour's data (emulator/flavours/*.mjs). A flavour says which authorize parameters it
// takes, how clients authenticate, what its token responses and errors look like, whether
// refresh tokens rotate, how a grant is revoked, what its API wants and how it says "too many
// requests". Anything a flavour does not take is refused, so that a client sending a parameter
// the real provider does not know is caught here.
//
// The real providers' hosts are path prefixes under /{provider}/{tenant}/ (the flavour's
// `layout`): e.g. Help Scout's token endpoint on api.helpscout.net is
// /helpscout/acme/api/v2/oauth2/token, its authorize page on secure.helpscout.net
// /helpscout/acme/authentication/authorizeClientApplication.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readBody, parseForm, sendJson, sendHtml, sendErrorPage, parseBasic, escapeHtml } from '../http.mjs';
import { randomToken, USER } from '../issue.mjs';
import { renderConsentPage } from '../consent-page.mjs';
import { createLeakyBucket } from '../rate-limit.mjs';

const CONSENT_TTL_MS = 10 * 60_000;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What the flavours keep per emulator besides the shared stores: consents, grants, limiters. */
export function createFlavourState(flavours, options, now) {
  const limiters = {};
  for (const [id, f] of Object.entries(flavours)) {
    const o = options.rateLimit?.[id];
    const limit = o === false ? null : o ?? f.rateLimit ?? null;
    if (limit) limiters[id] = createLeakyBucket(limit, now);
  }
  return {
    flavours,
    consents: new Map(),
    /** grant id -> { revoked } : revoking a grant kills every token made from it. */
    grants: new Map(),
    /** `${provider}:${clientId}:${account}` the user consented to with a refresh token (Zoho issues one per consent). */
    offlineConsents: new Set(),
    limiters,
    expiresIn: options.expiresIn,
    zohoDataCentre: options.zohoDataCentre ?? 'us',
  };
}

function redirectBack(res, redirectUri, pairs) {
  const query = new URLSearchParams(pairs).toString();
  const base = redirectUri.split('#')[0];
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  res.writeHead(302, { Location: `${base}${sep}${query}`, 'Cache-Control': 'no-store' });
  res.end();
}

/** The origin the client used to reach the emulator (for URLs the flavour hands out). */
export function originOf(req) {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

// ---- authorize -------------------------------------------------------------------------------

export function authorizeGet(ctx, fx, req, res, url, r) {
  const { flavour: f, provider, account } = r;
  const { state } = ctx;
  state.authorizeRequests += 1;
  const { params, duplicate } = parseForm(url.search);
  if (duplicate) return sendErrorPage(res, 400, 'Invalid request', `The parameter ${duplicate} is repeated.`);
  state.lastAuthorizeRequest = { provider, account, params };
  const app = params.client_id ? ctx.findApp(provider, params.client_id) : undefined;
  if (!app) return sendErrorPage(res, 400, 'Unknown client', `No app with this client_id is registered at the ${f.name} emulator.`);
  const a = f.authorize;
  // Where the user goes back: the registered URL when the provider takes no redirect_uri.
  let redirectUri;
  if (params.redirect_uri === undefined) {
    if (a.redirectUri === 'required') return sendErrorPage(res, 400, 'Invalid redirect_uri', 'redirect_uri is required.');
    redirectUri = app.redirectUris[0];
  } else {
    if (a.redirectUri === 'absent') return sendErrorPage(res, 400, 'Invalid request', `${f.name} takes no redirect_uri: it sends the user to the URL registered on the app.`);
    if (!app.redirectUris.includes(params.redirect_uri)) return sendErrorPage(res, 400, 'Invalid redirect_uri', 'The redirect_uri is not registered for this client.');
    redirectUri = params.redirect_uri;
  }
  const back = (pairs) => redirectBack(res, redirectUri, params.state !== undefined ? { ...pairs, state: params.state } : pairs);
  if (state.nextAuthorizeError) {
    const error = state.nextAuthorizeError;
    state.nextAuthorizeError = null;
    return back({ error, error_description: 'The user denied the request' });
  }
  if (a.responseType === 'absent' && params.response_type !== undefined) {
    return back({ error: 'invalid_request', error_description: `${f.name} takes no response_type` });
  }
  if (a.responseType === 'required' ? params.response_type !== 'code' : a.responseType === 'optional' && params.response_type !== undefined && params.response_type !== 'code') {
    return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
  }
  let scopes;
  if (a.scope === 'absent') {
    if (params.scope !== undefined) return back({ error: 'invalid_scope', error_description: `${f.name} takes no scope parameter: scopes are set on the app` });
    scopes = [...(f.appScopes ?? [])];
  } else {
    scopes = (params.scope ?? '').split(a.scopeSeparator ?? ' ').filter(Boolean);
    if (scopes.length === 0) return back({ error: 'invalid_scope', error_description: 'scope is required' });
    const unknown = scopes.find((s) => !f.describeScope(s));
    if (unknown) return back({ error: 'invalid_scope', error_description: `unknown scope ${unknown}${/[ ,]/.test(params.scope) && a.scopeSeparator !== ' ' ? ` (scopes are separated by "${a.scopeSeparator}")` : ''}` });
  }
  let challenge = null;
  if (params.code_challenge !== undefined || params.code_challenge_method !== undefined) {
    if (!a.pkce) return back({ error: 'invalid_request', error_description: `${f.name} does not take PKCE parameters here` });
    if (params.code_challenge_method !== 'S256') return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge ?? '')) return back({ error: 'invalid_request', error_description: 'code_challenge is malformed' });
    challenge = params.code_challenge;
  }
  const offline = f.offline ? f.offline(params, fx, `${provider}:${app.clientId}:${account}`) : true;
  if (offline === null) return back({ error: 'invalid_request', error_description: 'access_type must be offline or online' });
  const request = { provider, account, clientId: app.clientId, redirectUri, redirectUriSent: params.redirect_uri !== undefined, state: params.state, challenge, scopes, offline, origin: originOf(req) };
  if (ctx.autoApprove) return approve(ctx, fx, res, request);
  const consentId = randomBytes(24).toString('base64url');
  fx.consents.set(consentId, { request, expiresAt: ctx.now() + CONSENT_TTL_MS });
  state.consentPagesShown += 1;
  // Zoho: the user signs in to their own data centre, which the page names.
  const shown = f.callbackTenant ? f.callbackTenant(fx) : account;
  const html = renderConsentPage({
    providerName: f.name,
    account: shown,
    accountHost: f.accountHost(shown),
    appName: app.name ?? app.clientId,
    scopes: scopes.length ? scopes.map((s) => ({ scope: s, description: f.describeScope(s) ?? 'set on the app' })) : [{ scope: '(the app\'s permissions)', description: 'as configured for the app' }],
    offline: offline && f.refresh !== 'none',
    redirectOrigin: new URL(redirectUri).origin,
    consentId,
    action: url.pathname,
  });
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'",
  });
  return res.end(html);
}

export async function authorizePost(ctx, fx, req, res, r) {
  let raw;
  try {
    raw = await readBody(req);
  } catch {
    return sendErrorPage(res, 413, 'Invalid request', 'The form is too large.');
  }
  const { params } = parseForm(raw);
  const entry = params.consent ? fx.consents.get(params.consent) : undefined;
  if (entry) fx.consents.delete(params.consent);
  if (!entry || entry.expiresAt <= ctx.now() || entry.request.provider !== r.provider || entry.request.account !== r.account) {
    return sendErrorPage(res, 400, 'Consent expired', 'This consent page was already used or has expired. Start the connection again from the app.');
  }
  if (params.decision !== 'approve' && params.decision !== 'deny') return sendErrorPage(res, 400, 'Invalid request', 'decision must be approve or deny.');
  ctx.state.lastConsentDecision = params.decision;
  const { request } = entry;
  if (params.decision === 'deny') {
    const pairs = { error: 'access_denied', error_description: 'The user denied the request' };
    if (request.state !== undefined) pairs.state = request.state;
    return redirectBack(res, request.redirectUri, pairs);
  }
  return approve(ctx, fx, res, request);
}

function approve(ctx, fx, res, request) {
  const f = fx.flavours[request.provider];
  const code = randomToken('code');
  // Zoho: the user's data centre, where the code must be redeemed.
  const tenant = f.callbackTenant ? f.callbackTenant(fx) : request.account;
  ctx.store.codes.set(code, { ...request, tenant, expiresAt: ctx.now() + ctx.codeTtlSeconds * 1000, used: false });
  ctx.state.issued.codes.push(code);
  const pairs = { code };
  if (request.state !== undefined) pairs.state = request.state;
  Object.assign(pairs, f.callbackExtras?.(request, tenant) ?? {});
  return redirectBack(res, request.redirectUri, pairs);
}

// ---- token -----------------------------------------------------------------------------------

/** The request's parameters: form body, JSON body or query string, as the flavour accepts them. */
async function tokenParams(req, url, f) {
  const raw = await readBody(req);
  const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const accepts = f.token.bodies;
  if (ctype === 'application/json' && accepts.includes('json')) {
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { error: 'the JSON body is not JSON', raw };
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'the JSON body is not an object', raw };
    return { params: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])), raw };
  }
  if (ctype === 'application/x-www-form-urlencoded' && accepts.includes('form')) {
    const { params, duplicate } = parseForm(raw);
    if (duplicate) return { error: `parameter ${duplicate} repeated`, raw };
    // Zoho documents its parameters in the query string of the POST; both are read.
    if (accepts.includes('query')) Object.assign(params, Object.fromEntries(url.searchParams));
    return { params, raw };
  }
  if (raw === '' && accepts.includes('query')) return { params: Object.fromEntries(url.searchParams), raw };
  return { error: `content type must be ${accepts.filter((b) => b !== 'query').map((b) => (b === 'json' ? 'application/json' : 'application/x-www-form-urlencoded')).join(' or ')}`, raw };
}

/** The registered app when the request authenticates the flavour's way, else null. */
function authenticate(ctx, f, provider, header, params) {
  if (f.token.clientAuth === 'basic') {
    if (params.client_secret !== undefined) return null;
    const creds = parseBasic(header);
    if (!creds || (params.client_id !== undefined && params.client_id !== creds.id)) return null;
    const app = ctx.findApp(provider, creds.id);
    return app && app.clientSecret === creds.secret ? app : null;
  }
  if (header !== undefined) return null;
  if (params.client_id === undefined || params.client_secret === undefined) return null;
  const app = ctx.findApp(provider, params.client_id);
  return app && app.clientSecret === params.client_secret ? app : null;
}

export async function token(ctx, fx, req, res, url, r) {
  const { flavour: f, provider, account } = r;
  const { state } = ctx;
  state.tokenRequests += 1;
  let read;
  try {
    read = await tokenParams(req, url, f);
  } catch {
    return f.error(res, 'invalid_request', 'body too large');
  }
  const params = read.params ?? {};
  state.lastTokenRequest = { provider, account, headers: { ...req.headers }, params, rawBody: read.raw };
  if (params.grant_type === 'refresh_token') state.refreshRequests += 1;
  if (read.error) return f.error(res, 'invalid_request', read.error);
  const app = authenticate(ctx, f, provider, req.headers.authorization, params);
  if (!app) return f.error(res, 'invalid_client', 'client authentication failed');
  const unknown = Object.keys(params).find((k) => !f.token.params.includes(k));
  if (unknown) return f.error(res, 'invalid_request', `${f.name} does not take the parameter ${unknown}`);
  const bad = f.token.check?.(params);
  if (bad) return f.error(res, 'invalid_request', bad);
  const grantType = params.grant_type ?? f.token.defaultGrant;
  if (grantType === 'authorization_code') return codeGrant(ctx, fx, res, params, r, app);
  if (grantType === 'refresh_token' && f.refresh !== 'none') return refreshGrant(ctx, fx, res, params, r, app);
  return f.error(res, 'unsupported_grant_type', 'grant_type not supported');
}

function codeGrant(ctx, fx, res, params, r, app) {
  const { flavour: f, provider, account } = r;
  const grant = params.code ? ctx.store.codes.get(params.code) : undefined;
  if (!grant || grant.provider !== provider) return f.error(res, 'bad_code', 'authorization code is unknown');
  if (grant.used) return f.error(res, 'bad_code', 'authorization code was already used');
  if (grant.clientId !== app.clientId) return f.error(res, 'bad_code', 'authorization code was issued to another client');
  grant.used = true;
  if (grant.expiresAt <= ctx.now()) return f.error(res, 'bad_code', 'authorization code expired');
  if (grant.tenant !== account) return f.error(res, 'bad_code', `authorization code was issued for another ${f.tenantWord ?? 'account'}`);
  // RFC 6749 §4.1.3: the same redirect_uri, when (and only when) the authorize request had one.
  if (grant.redirectUriSent ? params.redirect_uri !== grant.redirectUri : params.redirect_uri !== undefined && params.redirect_uri !== grant.redirectUri) {
    return f.error(res, 'bad_redirect', 'redirect_uri does not match');
  }
  if (grant.challenge) {
    const v = params.code_verifier;
    if (!v || !/^[A-Za-z0-9._~-]{43,128}$/.test(v)) return f.error(res, 'bad_code', 'code_verifier missing or malformed');
    if (createHash('sha256').update(v, 'ascii').digest('base64url') !== grant.challenge) return f.error(res, 'bad_code', 'code_verifier does not match');
  } else if (params.code_verifier !== undefined) {
    return f.error(res, 'bad_code', 'code_verifier sent but no code_challenge was');
  }
  const grantId = randomUUID();
  fx.grants.set(grantId, { revoked: false });
  const lifetime = f.lifetime(params, fx);
  const base = { provider, account, tenant: grant.tenant, clientId: app.clientId, scopes: grant.scopes, grantId };
  const accessToken = issueAccess(ctx, base, lifetime);
  let refreshToken;
  if (f.refresh !== 'none' && grant.offline && lifetime !== null) refreshToken = issueRefresh(ctx, base);
  const body = f.tokenBody({ accessToken, refreshToken, lifetime, scopes: grant.scopes, account, now: ctx.now(), grant: 'authorization_code' });
  return sendJson(res, 200, body, NO_STORE);
}

function refreshGrant(ctx, fx, res, params, r, app) {
  const { flavour: f, provider, account } = r;
  const entry = params.refresh_token ? ctx.store.refreshTokens.get(params.refresh_token) : undefined;
  const live = entry && entry.active && !fx.grants.get(entry.grantId)?.revoked;
  if (!live || entry.clientId !== app.clientId || entry.provider !== provider || entry.tenant !== account) {
    return f.error(res, 'bad_refresh', 'refresh token is invalid, expired or revoked');
  }
  const lifetime = f.lifetime(params, fx);
  const accessToken = issueAccess(ctx, entry, lifetime);
  let refreshToken;
  // `always`: a new one every time, the old one dead (Zendesk, Help Scout). `lazy`: the same one
  // back, unless the test asks for a rotation (Front renews it near its end). `same`: the same one
  // back (HubSpot). `keep`: none in the response (Zoho).
  const rotate = f.refresh === 'always' || (f.refresh === 'lazy' && ctx.state.rotateNextRefresh);
  ctx.state.rotateNextRefresh = false;
  if (rotate) {
    entry.active = false;
    refreshToken = issueRefresh(ctx, entry);
  } else if (f.refresh === 'lazy' || f.refresh === 'same') {
    refreshToken = params.refresh_token;
  }
  const body = f.tokenBody({ accessToken, refreshToken, lifetime, scopes: entry.scopes, account, now: ctx.now(), grant: 'refresh_token' });
  return sendJson(res, 200, body, NO_STORE);
}

function issueAccess(ctx, grant, lifetime) {
  const token = randomToken('at');
  const { provider, account, tenant, clientId, scopes, grantId } = grant;
  ctx.store.accessTokens.set(token, { provider, account, tenant, clientId, scopes, grantId, expiresAt: lifetime === null ? Infinity : ctx.now() + lifetime * 1000 });
  ctx.state.issued.accessTokens.push(token);
  return token;
}

function issueRefresh(ctx, grant) {
  const token = randomToken('rt');
  const { provider, account, tenant, clientId, scopes, grantId } = grant;
  ctx.store.refreshTokens.set(token, { provider, account, tenant, clientId, scopes, grantId, active: true });
  ctx.state.issued.refreshTokens.push(token);
  return token;
}

// ---- bearer tokens (API, revocation by bearer) ------------------------------------------------

/** The live access token entry a request's Authorization header carries, with the flavour's scheme. */
export function bearer(ctx, fx, req, r) {
  const scheme = r.flavour.api.scheme ?? 'Bearer';
  const m = new RegExp(`^${scheme} ([A-Za-z0-9._~+/=-]+)$`).exec(req.headers.authorization ?? '');
  const entry = m ? ctx.store.accessTokens.get(m[1]) : undefined;
  const live = entry && entry.provider === r.provider && entry.tenant === r.account && entry.expiresAt > ctx.now() && !fx.grants.get(entry.grantId)?.revoked;
  return live ? { token: m[1], entry } : null;
}

// ---- revocation ------------------------------------------------------------------------------

export async function revoke(ctx, fx, req, res, url, r) {
  const { flavour: f, provider } = r;
  ctx.state.revokeRequests += 1;
  let raw;
  try {
    raw = await readBody(req);
  } catch {
    return f.error(res, 'invalid_request', 'body too large');
  }
  const params = f.revoke.style === 'form' ? parseForm(raw).params : Object.fromEntries(url.searchParams);
  ctx.state.lastRevokeRequest = { provider, account: r.account, headers: { ...req.headers }, params };
  const kill = (entry) => {
    const g = entry && fx.grants.get(entry.grantId);
    if (g && entry.provider === provider && entry.tenant === r.account) g.revoked = true;
  };
  if (f.revoke.style === 'bearer') {
    const found = bearer(ctx, fx, req, r);
    if (!found) return f.apiError(res, 401, 'the access token is missing, invalid or expired');
    kill(found.entry);
    return f.revoke.answer(res);
  }
  if (f.revoke.style === 'query') {
    if (raw !== '' || req.headers.authorization !== undefined) return f.error(res, 'invalid_request', 'the token goes in the query string, alone');
    const entry = params.token ? ctx.store.refreshTokens.get(params.token) : undefined;
    if (!entry || !entry.active || fx.grants.get(entry.grantId)?.revoked) return f.revoke.invalid(res);
    kill(entry);
    return f.revoke.answer(res);
  }
  const app = authenticate(ctx, f, provider, req.headers.authorization, params);
  if (!app) return f.error(res, 'invalid_client', 'client authentication failed');
  if (!params.token) return f.error(res, 'invalid_request', 'token is required');
  const entry = ctx.store.refreshTokens.get(params.token) ?? ctx.store.accessTokens.get(params.token);
  if (entry && entry.clientId === app.clientId) kill(entry);
  return f.revoke.answer(res);
}

// ---- API -------------------------------------------------------------------------------------

export function api(ctx, fx, req, res, url, r, path) {
  const { flavour: f, provider, account } = r;
  const endpoint = f.api.endpoints[path];
  if (!endpoint) return sendJson(res, 404, { error: 'not_found', error_description: `the ${f.name} emulator serves GET ${Object.keys(f.api.endpoints).join(', ')}` });
  if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
  ctx.state.apiRequests += 1;
  const found = bearer(ctx, fx, req, r);
  if (!found) return f.apiError(res, 401, `the access token is missing, invalid or expired (${f.api.scheme ?? 'Bearer'} scheme)`);
  const limiter = fx.limiters[provider];
  if (limiter) {
    const taken = limiter.take(account);
    if (!taken.ok) {
      ctx.state.rateLimited += 1;
      return sendJson(res, 429, f.api.tooMany ?? { message: 'Too Many Requests' }, f.api.rateLimitHeaders(taken.retryAfter, ctx.now()));
    }
  }
  const answer = endpoint(found.entry, req, url);
  if (answer.status) return sendJson(res, answer.status, answer.body);
  return sendJson(res, 200, answer);
}

export { USER, escapeHtml, sendHtml, LABEL };
