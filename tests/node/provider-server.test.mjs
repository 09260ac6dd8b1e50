// The test double itself: it must be as strict as the real providers, or the package tests
// that run against it would prove nothing. Plain fetch only; does not need the package.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startProviderServer, followAuthorize, jwtClaims, REDIRECT_URI } from './support/provider-server.mjs';

const CLIENT_ID = 'app-client-1';
const SECRET = 'sec+ret:with/odd%21chars';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let server;
before(async () => {
  server = await startProviderServer({ clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [REDIRECT_URI] });
});
after(() => server.close());

const basic = (id, secret) =>
  'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

function authorizeUrl(provider, account, extra = {}) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: provider === 'gorgias' ? 'openid email offline tickets:read' : 'org.permission.customer offline_access',
    state: 'st-123',
    ...extra,
  });
  return `${server.url}/${provider}/${account}/oauth/authorize?${q}`;
}

async function getCode(provider, account, extra) {
  const cb = new URL(await followAuthorize(authorizeUrl(provider, account, extra)));
  assert.equal(cb.searchParams.get('state'), 'st-123');
  return cb.searchParams.get('code');
}

function token(provider, account, params, headers = {}) {
  return fetch(`${server.url}/${provider}/${account}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

test('authorize redirects to the registered redirect_uri with code and state', async () => {
  const res = await fetch(authorizeUrl('gorgias', 'acme', { nonce: 'n-1' }), { redirect: 'manual' });
  assert.equal(res.status, 302);
  const loc = new URL(res.headers.get('location'));
  assert.equal(`${loc.origin}${loc.pathname}`, REDIRECT_URI);
  assert.match(loc.searchParams.get('code'), /^code_/);
  assert.equal(loc.searchParams.get('state'), 'st-123');
  assert.equal(server.state.lastAuthorizeRequest.params.nonce, 'n-1');
  assert.equal(server.state.lastAuthorizeRequest.account, 'acme');
});

test('authorize refuses unknown clients and unregistered redirect URIs without redirecting', async () => {
  for (const extra of [{ client_id: 'nope' }, { redirect_uri: 'http://127.0.0.1:8787/oauth/callback/' }, { redirect_uri: 'https://evil.example/cb' }]) {
    const res = await fetch(authorizeUrl('gorgias', 'acme', extra), { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    await res.text();
  }
});

test('authorize: plain PKCE method and wrong response_type come back as OAuth errors; access_denied on demand', async () => {
  let loc = new URL(await followAuthorize(authorizeUrl('kustomer', 'myorg', { code_challenge: CHALLENGE, code_challenge_method: 'plain' })));
  assert.equal(loc.searchParams.get('error'), 'invalid_request');
  loc = new URL(await followAuthorize(authorizeUrl('kustomer', 'myorg', { response_type: 'token' })));
  assert.equal(loc.searchParams.get('error'), 'unsupported_response_type');
  server.state.nextAuthorizeError = 'access_denied';
  loc = new URL(await followAuthorize(authorizeUrl('gorgias', 'acme')));
  assert.equal(loc.searchParams.get('error'), 'access_denied');
  assert.ok(loc.searchParams.get('error_description'));
  assert.equal(loc.searchParams.get('state'), 'st-123');
  assert.equal(loc.searchParams.get('code'), null);
  assert.equal(server.state.nextAuthorizeError, null, 'the injected error is used once');
});

test('Gorgias token: Basic auth (form-urlencoded then base64), single-use code, id_token, refresh without rotation, revoke', async () => {
  const code = await getCode('gorgias', 'acme', { nonce: 'nonce-xyz' });
  // Body credentials are refused even when correct.
  let res = await token('gorgias', 'acme', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: SECRET });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error, 'invalid_client');
  // Basic without the RFC 6749 §2.3.1 encoding of the secret is refused ('+' and '%21' decode differently).
  res = await token('gorgias', 'acme', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, {
    authorization: 'Basic ' + Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64'),
  });
  assert.equal(res.status, 401);
  await res.text();

  res = await token('gorgias', 'acme', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const t = await res.json();
  assert.equal(t.token_type, 'Bearer');
  assert.equal(t.expires_in, 86400);
  assert.equal(t.scope, 'openid email offline tickets:read');
  assert.ok(t.access_token && t.refresh_token && t.id_token);
  const [h] = t.id_token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url')), { alg: 'RS256', typ: 'JWT' });
  const claims = jwtClaims(t.id_token);
  assert.equal(claims.iss, 'https://acme.gorgias.com');
  assert.deepEqual(claims.aud, [CLIENT_ID]);
  assert.equal(claims.nonce, 'nonce-xyz');
  assert.equal(claims.sub, 10);
  assert.ok(claims.exp > claims.iat);

  // Single use.
  res = await token('gorgias', 'acme', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');

  // The API wants the bearer token of this account.
  res = await fetch(`${server.url}/gorgias/acme/api/account`, { headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).domain, 'acme');
  res = await fetch(`${server.url}/gorgias/other/api/account`, { headers: { authorization: `Bearer ${t.access_token}` } });
  assert.equal(res.status, 401);
  await res.text();
  res = await fetch(`${server.url}/gorgias/acme/api/account`);
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error, 'invalid_token');

  // Refresh: new access token, no refresh token, old refresh token still valid.
  const before = server.state.refreshRequests;
  res = await token('gorgias', 'acme', { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(CLIENT_ID, SECRET) });
  const r1 = await res.json();
  assert.equal(res.status, 200);
  assert.ok(r1.access_token && r1.access_token !== t.access_token);
  assert.equal(r1.refresh_token, undefined);
  res = await token('gorgias', 'acme', { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 200);
  await res.text();
  assert.equal(server.state.refreshRequests, before + 2);

  // Revoke then refresh fails.
  res = await fetch(`${server.url}/gorgias/acme/oauth/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(CLIENT_ID, SECRET) },
    body: new URLSearchParams({ token: t.refresh_token }).toString(),
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {});
  res = await token('gorgias', 'acme', { grant_type: 'refresh_token', refresh_token: t.refresh_token }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');
});

test('Kustomer token: body auth only, PKCE S256 checked, refresh rotates, no revoke endpoint', async () => {
  const code = await getCode('kustomer', 'myorg', { code_challenge: CHALLENGE, code_challenge_method: 'S256' });
  const good = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: SECRET };
  let res = await token('kustomer', 'myorg', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 401);
  assert.equal((await res.json()).error, 'invalid_client');
  // Wrong verifier burns the code.
  res = await token('kustomer', 'myorg', { ...good, code_verifier: 'x'.repeat(43) });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');
  res = await token('kustomer', 'myorg', { ...good, code_verifier: VERIFIER });
  assert.equal(res.status, 400, 'the code was consumed by the failed attempt');
  await res.text();

  const code2 = await getCode('kustomer', 'myorg', { code_challenge: CHALLENGE, code_challenge_method: 'S256' });
  res = await token('kustomer', 'myorg', { ...good, code: code2 }); // verifier missing
  assert.equal(res.status, 400);
  await res.text();
  const code3 = await getCode('kustomer', 'myorg', { code_challenge: CHALLENGE, code_challenge_method: 'S256' });
  res = await token('kustomer', 'myorg', { ...good, code: code3, code_verifier: VERIFIER });
  assert.equal(res.status, 200);
  const t = await res.json();
  assert.equal(t.token_type, 'bearer');
  assert.equal(t.id_token, undefined);
  assert.ok(t.refresh_token);
  assert.equal(createHash('sha256').update(VERIFIER).digest('base64url'), CHALLENGE);
  assert.equal(server.state.lastTokenRequest.params.code_verifier, VERIFIER);

  res = await token('kustomer', 'myorg', { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT_ID, client_secret: SECRET });
  const r = await res.json();
  assert.equal(res.status, 200);
  assert.ok(r.refresh_token && r.refresh_token !== t.refresh_token);
  res = await token('kustomer', 'myorg', { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: CLIENT_ID, client_secret: SECRET });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');

  res = await fetch(`${server.url}/kustomer/myorg/oauth/revoke`, { method: 'POST', body: 'token=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 404);
  await res.text();
});

test('PKCE downgrade: a verifier for a code issued without a challenge is refused', async () => {
  const code = await getCode('kustomer', 'myorg');
  const res = await token('kustomer', 'myorg', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: CLIENT_ID, client_secret: SECRET, code_verifier: VERIFIER });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');
});

test('a code is bound to its account and redirect_uri', async () => {
  let code = await getCode('gorgias', 'acme');
  let res = await token('gorgias', 'other', { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 400);
  await res.text();
  code = await getCode('gorgias', 'acme');
  res = await token('gorgias', 'acme', { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:8787/other' }, { authorization: basic(CLIENT_ID, SECRET) });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, 'invalid_grant');
});

test('token faults apply to the next request only', async () => {
  const cases = [
    ['html500', 500, 'text/html', /Internal Server Error/],
    ['html502', 502, 'text/html', /Bad Gateway/],
    ['malformed', 200, 'application/json', /^\{"access_token"/],
    ['invalid_grant', 400, 'application/json', /"error":"invalid_grant"/],
  ];
  for (const [fault, status, ctype, body] of cases) {
    server.state.nextTokenFault = fault;
    const res = await token('gorgias', 'acme', { grant_type: 'refresh_token', refresh_token: 'x' });
    assert.equal(res.status, status, fault);
    assert.ok(res.headers.get('content-type').startsWith(ctype), fault);
    const text = await res.text();
    assert.match(text, body);
    if (fault === 'malformed') assert.throws(() => JSON.parse(text));
    assert.equal(server.state.nextTokenFault, null);
  }
  const res = await token('gorgias', 'acme', { grant_type: 'refresh_token', refresh_token: 'x' });
  assert.equal(res.status, 401, 'back to normal behaviour');
  await res.text();

  server.state.nextTokenFault = 'hang';
  const started = Date.now();
  await assert.rejects(
    fetch(`${server.url}/gorgias/acme/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x',
      signal: AbortSignal.timeout(300),
    }),
    (e) => e.name === 'TimeoutError',
  );
  assert.ok(Date.now() - started >= 250, 'the server did not answer');
});
