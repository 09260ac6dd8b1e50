// The authorization endpoint (RFC 6749 §4.1.1–4.1.2.1, RFC 7636 §4.3).
// GET checks the request; problems with client_id or redirect_uri get an error page and never a
// redirect (the redirect target cannot be trusted); other problems go back to the app as OAuth
// errors. A valid request shows the consent page (or, with `autoApprove`, is approved at once).
// POST carries the user's decision on a one-time consent id: Approve issues a single-use code
// bound to client, redirect_uri, account, scopes, nonce and PKCE challenge; Deny sends access_denied.
import { randomBytes } from 'node:crypto';
import { readBody, parseForm, sendErrorPage, noteRefusal } from './http.mjs';
import { randomToken } from './issue.mjs';
import { renderConsentPage } from './consent-page.mjs';

const CONSENT_TTL_MS = 10 * 60_000;

function redirectBack(res, redirectUri, pairs) {
  if (pairs.error) noteRefusal(res, { status: 302, error: pairs.error, description: pairs.error_description });
  const query = new URLSearchParams(pairs).toString();
  const base = redirectUri.split('#')[0];
  const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  res.writeHead(302, { Location: `${base}${sep}${query}`, 'Cache-Control': 'no-store' });
  res.end();
}

export function authorizeGet(ctx, req, res, url, { provider, account }) {
  const { state } = ctx;
  state.authorizeRequests += 1;
  const { params, duplicate } = parseForm(url.search);
  if (duplicate) return sendErrorPage(res, 400, 'Invalid request', `The parameter ${duplicate} is repeated.`);
  state.lastAuthorizeRequest = { provider, account, params };
  const app = params.client_id ? ctx.findApp(provider, params.client_id) : undefined;
  const p = ctx.providers[provider];
  if (!app) {
    const known = ctx.appsAt(provider).map((a) => a.clientId);
    return sendErrorPage(res, 400, 'Unknown client', `No app with this client_id is registered at the ${p.name} emulator.`, {
      list: [
        ['client_id sent', params.client_id ?? '(none)'],
        [`client ids registered at ${p.name}`, known.length ? known.join(', ') : '(none)'],
      ],
    });
  }
  // Exact string match against the registered redirect URIs; never redirect anywhere else.
  if (!params.redirect_uri || !app.redirectUris.includes(params.redirect_uri)) {
    return sendErrorPage(res, 400, 'Invalid redirect_uri', `The redirect_uri is not registered for client ${app.clientId}: it must equal a registered one exactly (scheme, host, port and path).${portHint(params.redirect_uri, app.redirectUris)}`, {
      list: [
        ['redirect_uri sent', params.redirect_uri ?? '(none)'],
        ['registered', app.redirectUris.join(' ')],
      ],
    });
  }
  const back = (pairs) =>
    redirectBack(res, params.redirect_uri, params.state !== undefined ? { ...pairs, state: params.state } : pairs);

  if (state.nextAuthorizeError) {
    const error = state.nextAuthorizeError;
    state.nextAuthorizeError = null;
    return back({ error, error_description: 'The user denied the request' });
  }
  if (params.response_type !== 'code') {
    return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' });
  }
  const scopes = (params.scope ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0) return back({ error: 'invalid_scope', error_description: `scope is required; ${p.scopeHint}` });
  const unknown = scopes.find((s) => !p.describeScope(s));
  if (unknown) return back({ error: 'invalid_scope', error_description: `unknown scope ${unknown}; ${p.scopeHint}` });
  let challenge = null;
  if (params.code_challenge !== undefined || params.code_challenge_method !== undefined) {
    if (params.code_challenge_method !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge ?? '')) {
      return back({ error: 'invalid_request', error_description: 'code_challenge is malformed' });
    }
    challenge = params.code_challenge;
  }

  const request = {
    provider,
    account,
    clientId: app.clientId,
    redirectUri: params.redirect_uri,
    state: params.state,
    challenge,
    nonce: params.nonce,
    scopes,
  };
  if (ctx.autoApprove) return approve(ctx, res, request);

  const consentId = randomBytes(24).toString('base64url');
  ctx.store.consents.set(consentId, { request, expiresAt: ctx.now() + CONSENT_TTL_MS });
  state.consentPagesShown += 1;
  const html = renderConsentPage({
    providerName: p.name,
    account,
    accountHost: new URL(p.issuer(account)).host,
    appName: app.name ?? app.clientId,
    scopes: scopes.map((s) => ({ scope: s, description: p.describeScope(s) })),
    offline: scopes.includes(p.refreshScope),
    redirectOrigin: new URL(params.redirect_uri).origin,
    consentId,
    action: url.pathname,
  });
  return sendHtmlNoFrame(res, html);
}

/** When only the port differs (the usual loopback mix-up), say which port is registered. */
function portHint(sent, registered) {
  let u;
  try {
    u = new URL(sent);
  } catch {
    return '';
  }
  const samePath = registered.map((r) => new URL(r)).filter((r) => r.protocol === u.protocol && r.hostname === u.hostname && r.pathname === u.pathname && r.port !== u.port);
  if (samePath.length === 0) return '';
  const ports = samePath.map((r) => r.port || '(default)').join(' or ');
  const [first] = samePath;
  const cli = first.pathname === '/callback' ? `--port ${first.port || '80'}` : `--redirect-uri ${first.href}`;
  return ` Only the port differs: the app must listen on ${ports} (helpdesk-oauth login: ${cli}).`;
}

function sendHtmlNoFrame(res, html) {
  // The consent page must not be framed by the app (clickjacking, RFC 6819 §4.4.1.9).
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy': "frame-ancestors 'none'",
  });
  res.end(html);
}

export async function authorizePost(ctx, req, res, { provider, account }) {
  let raw;
  try {
    raw = await readBody(req);
  } catch {
    return sendErrorPage(res, 413, 'Invalid request', 'The form is too large.');
  }
  const { params } = parseForm(raw);
  const entry = params.consent ? ctx.store.consents.get(params.consent) : undefined;
  if (entry) ctx.store.consents.delete(params.consent); // one decision per consent page
  if (!entry || entry.expiresAt <= ctx.now() || entry.request.provider !== provider || entry.request.account !== account) {
    return sendErrorPage(res, 400, 'Consent expired', 'This consent page was already used or has expired. Start the connection again from the app.');
  }
  const decision = params.decision;
  if (decision !== 'approve' && decision !== 'deny') {
    return sendErrorPage(res, 400, 'Invalid request', 'decision must be approve or deny.');
  }
  ctx.state.lastConsentDecision = decision;
  const { request } = entry;
  if (decision === 'deny') {
    const pairs = { error: 'access_denied', error_description: 'The user denied the request' };
    if (request.state !== undefined) pairs.state = request.state;
    return redirectBack(res, request.redirectUri, pairs);
  }
  return approve(ctx, res, request);
}

function approve(ctx, res, request) {
  const code = randomToken('code');
  ctx.store.codes.set(code, {
    provider: request.provider,
    account: request.account,
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    challenge: request.challenge,
    nonce: request.nonce,
    scopes: request.scopes,
    expiresAt: ctx.now() + ctx.codeTtlSeconds * 1000,
    used: false,
  });
  ctx.state.issued.codes.push(code);
  const pairs = { code };
  if (request.state !== undefined) pairs.state = request.state;
  return redirectBack(res, request.redirectUri, pairs);
}
