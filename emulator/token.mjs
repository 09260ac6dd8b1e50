// The token endpoint (RFC 6749 §3.2, §4.1.3, §6, §5.2): authorization_code and refresh_token
// grants, each provider's client authentication (the other method is refused as invalid_client),
// single-use codes, PKCE, refresh tokens only for the provider's offline scope, Gorgias refresh
// without a new refresh token, Kustomer rotation that kills the old one.
//
// Reuse detection (`reuseDetection: true`): a code redeemed twice revokes every token
// issued from it (RFC 6749 §4.1.2), and a rotated refresh token presented again revokes the whole
// grant (RFC 9700 §4.14.2), as a strict provider does; a client that refreshes twice with the same
// rotating token, or exchanges a code twice, loses the install here as it would there.
import { createHash } from 'node:crypto';
import { readBody, parseForm, sendJson, sendHtml, oauthError, parseBasic, explainRefusal } from './http.mjs';
import { issueAccess, issueRefresh, issueIdToken, newGrantId, revokeGrant } from './issue.mjs';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

export async function token(ctx, req, res, { provider, account }) {
  const { state } = ctx;
  state.tokenRequests += 1;
  let raw;
  try {
    raw = await readBody(req);
  } catch {
    return oauthError(res, 413, 'invalid_request', 'body too large');
  }
  const { params, duplicate } = parseForm(raw);
  state.lastTokenRequest = { provider, account, headers: { ...req.headers }, params, rawBody: raw };
  if (params.grant_type === 'refresh_token') state.refreshRequests += 1;
  if (params.grant_type === 'authorization_code') state.codeRequests += 1;

  const fault = state.nextTokenFault;
  state.nextTokenFault = null;
  if (fault === 'hold') {
    // Parked until the test calls releaseHeld(); a client that went away meanwhile is never served
    // (the provider never saw its request).
    const go = await ctx.hold(req);
    if (!go) return undefined;
  } else if (fault === 'drop_answer') {
    // The provider does the work (a refresh rotates) but the answer never arrives.
    return answerGrant(ctx, req, blackHole(), params, duplicate, provider, account);
  } else if (fault) {
    return tokenFault(res, fault);
  }
  return answerGrant(ctx, req, res, params, duplicate, provider, account);
}

/** A response that swallows what is written to it, for `drop_answer`. */
function blackHole() {
  return { writeHead: () => undefined, setHeader: () => undefined, end: () => undefined, headersSent: false };
}

function answerGrant(ctx, req, res, params, duplicate, provider, account) {
  const ctype = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (ctype !== 'application/x-www-form-urlencoded') {
    return oauthError(res, 400, 'invalid_request', 'content type must be application/x-www-form-urlencoded');
  }
  if (duplicate) return oauthError(res, 400, 'invalid_request', `parameter ${duplicate} repeated`);

  const p = ctx.providers[provider];
  const { app: client, why } = authenticateClient(ctx, req.headers.authorization, params, provider);
  if (!client) {
    explainRefusal(res, why);
    return oauthError(res, 401, 'invalid_client', 'client authentication failed', {
      'WWW-Authenticate': p.clientAuth === 'client_secret_basic' ? 'Basic realm="oauth"' : undefined,
    });
  }
  if (params.grant_type === 'authorization_code') return codeGrant(ctx, res, params, provider, account, client);
  if (params.grant_type === 'refresh_token') return refreshGrant(ctx, res, params, provider, account, client);
  return oauthError(res, 400, 'unsupported_grant_type', 'grant_type not supported');
}

/**
 * The registered app when the request authenticates the provider's way: { app }, else { why }
 * (for the emulator's log: names the client id and the method, never the secret).
 */
export function authenticateClient(ctx, header, params, provider) {
  const p = ctx.providers[provider];
  const known = (id, secret) => {
    const app = ctx.findApp(provider, id);
    if (!app) return { why: `no app with client_id ${JSON.stringify(id)} is registered at ${p.name}` };
    return app.clientSecret === secret ? { app } : { why: `wrong client secret for client_id ${JSON.stringify(id)}` };
  };
  if (p.clientAuth === 'client_secret_basic') {
    // Gorgias: HTTP Basic only; credentials in the body are refused.
    if (params.client_secret !== undefined) return { why: `${p.name} takes the client credentials as HTTP Basic (Authorization header); client_secret was sent in the form body` };
    const creds = parseBasic(header);
    if (!creds) return { why: `${p.name} takes the client credentials as HTTP Basic; ${header === undefined ? 'no Authorization header was sent' : 'the Authorization header is not Basic credentials'}` };
    if (params.client_id !== undefined && params.client_id !== creds.id) return { why: 'client_id in the form body differs from the HTTP Basic user' };
    return known(creds.id, creds.secret);
  }
  // Kustomer: form body only; an Authorization header is refused.
  if (header !== undefined) return { why: `${p.name} takes client_id and client_secret in the form body; an Authorization header was sent` };
  if (params.client_id === undefined || params.client_secret === undefined) return { why: `${p.name} takes client_id and client_secret in the form body; ${params.client_id === undefined ? 'client_id' : 'client_secret'} is missing` };
  return known(params.client_id, params.client_secret);
}

function codeGrant(ctx, res, params, provider, account, client) {
  const p = ctx.providers[provider];
  const grant = params.code ? ctx.store.codes.get(params.code) : undefined;
  if (!grant) return oauthError(res, 400, 'invalid_grant', 'authorization code is unknown');
  if (grant.used) {
    if (ctx.reuseDetection && grant.grantId) {
      ctx.state.codeReuse += 1;
      revokeGrant(ctx, grant.grantId);
      return oauthError(res, 400, 'invalid_grant', 'authorization code was already used: the tokens issued for it are revoked');
    }
    return oauthError(res, 400, 'invalid_grant', 'authorization code was already used');
  }
  if (grant.clientId !== client.clientId) return oauthError(res, 400, 'invalid_grant', 'authorization code was issued to another client');
  grant.used = true; // single use: any redemption attempt by its client consumes it
  if (grant.expiresAt <= ctx.now()) return oauthError(res, 400, 'invalid_grant', 'authorization code expired');
  if (grant.provider !== provider || grant.account !== account) {
    return oauthError(res, 400, 'invalid_grant', 'authorization code was issued for another account');
  }
  if (params.redirect_uri !== grant.redirectUri) {
    explainRefusal(res, `sent ${params.redirect_uri ?? '(none)'}; the code was issued for ${grant.redirectUri}`);
    return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
  }
  if (grant.challenge) {
    const v = params.code_verifier;
    if (!v || !/^[A-Za-z0-9._~-]{43,128}$/.test(v)) return oauthError(res, 400, 'invalid_grant', 'code_verifier missing or malformed');
    const computed = createHash('sha256').update(v, 'ascii').digest('base64url');
    if (computed !== grant.challenge) return oauthError(res, 400, 'invalid_grant', 'code_verifier does not match');
  } else if (params.code_verifier !== undefined) {
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a downgrade attempt.
    return oauthError(res, 400, 'invalid_grant', 'code_verifier sent but no code_challenge was');
  }

  grant.grantId = newGrantId();
  const body = issueAccess(ctx, grant);
  if (grant.scopes.includes(p.refreshScope)) body.refresh_token = issueRefresh(ctx, grant);
  if (p.idToken && grant.scopes.includes('openid')) body.id_token = issueIdToken(ctx, grant, body.access_token);
  return sendJson(res, 200, body, NO_STORE);
}

function refreshGrant(ctx, res, params, provider, account, client) {
  const p = ctx.providers[provider];
  const entry = params.refresh_token ? ctx.store.refreshTokens.get(params.refresh_token) : undefined;
  const ours = entry && entry.clientId === client.clientId && entry.provider === provider && entry.account === account;
  if (ours && entry.rotated && ctx.reuseDetection) {
    ctx.state.refreshReuse += 1;
    revokeGrant(ctx, entry.grantId);
    return oauthError(res, 400, 'invalid_grant', 'refresh token was already used: the grant is revoked');
  }
  if (!ours || !entry.active) {
    return oauthError(res, 400, 'invalid_grant', 'refresh token is invalid, expired or revoked');
  }
  let scopes = entry.scopes;
  if (params.scope !== undefined) {
    const asked = params.scope.split(' ').filter(Boolean);
    if (asked.some((s) => !entry.scopes.includes(s))) return oauthError(res, 400, 'invalid_scope', 'scope exceeds the original grant');
    scopes = asked;
  }
  const body = issueAccess(ctx, { ...entry, scopes });
  if (p.rotates) {
    entry.active = false; // the old refresh token is dead from now on
    entry.rotated = true;
    body.refresh_token = issueRefresh(ctx, entry);
  }
  return sendJson(res, 200, body, NO_STORE);
}

/** Test steering: what a broken proxy or provider answers instead (state.nextTokenFault). */
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
      return undefined; // never answer (nothing is done either); close() tears the socket down
    default:
      throw new Error(`unknown nextTokenFault ${fault}`);
  }
}
