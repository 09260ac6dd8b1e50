// Error paths through the packed and installed package (ESM). Each asserts the error class,
// `instanceof Error`, the stable `code`, and that the message leaks no secret, code or token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import {
  startProviderServer,
  gorgiasProvider,
  kustomerProvider,
  followAuthorize,
  assertOAuthError,
  issuedSecrets,
  closedPort,
  jwtClaims,
  REDIRECT_URI,
} from './support/provider-server.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, validateAccount, accountFromInstallUrl } = esm;

const CLIENT_ID = 'gorgias-client-err';
const CLIENT_SECRET = 'gorgias-secret-never-print-me-42';
const K_SECRET = 'kustomer-secret-never-print-me-43';
const SCOPES = ['openid', 'email', 'profile', 'offline', 'tickets:read'];

let server;
let client;
before(async () => {
  server = await startProviderServer({
    apps: [
      { provider: 'gorgias', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] },
      { provider: 'kustomer', clientId: CLIENT_ID, clientSecret: K_SECRET, redirectUris: [REDIRECT_URI] },
    ],
  });
  client = makeClient();
});
after(() => server?.close());

function makeClient(extra = {}) {
  return new OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES, ...extra });
}

const secrets = (...extra) => issuedSecrets(server, CLIENT_SECRET, K_SECRET, ...extra);

async function rejection(promise) {
  return promise.then(
    (v) => assert.fail(`expected a rejection, got ${v}`),
    (e) => e,
  );
}

function thrown(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return assert.fail('expected a throw');
}

async function authorized(c = client, params = { account: 'acme' }) {
  const req = c.authorize(params);
  const callbackUrl = await followAuthorize(req.url);
  return { req, callbackUrl, code: new URL(callbackUrl).searchParams.get('code') };
}

test('state_mismatch: the callback belongs to another authorization', async () => {
  const a = await authorized();
  const b = client.authorize({ account: 'acme' });
  const count = server.state.tokenRequests;
  let err = await rejection(client.exchangeCode(a.callbackUrl, b.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'state_mismatch', secrets(a.code, a.req.state));
  assert.equal(server.state.tokenRequests, count, 'no code is sent for a callback that fails the state check');

  const tampered = new URL(a.callbackUrl);
  tampered.searchParams.set('state', `${a.req.state.slice(0, -1)}${a.req.state.endsWith('A') ? 'B' : 'A'}`);
  err = await rejection(client.exchangeCode(tampered.toString(), a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'state_mismatch', secrets(a.code));
  assert.equal(server.state.tokenRequests, count);

  const noState = new URL(a.callbackUrl);
  noState.searchParams.delete('state');
  err = await rejection(client.exchangeCode(noState.toString(), a.req.pending));
  assert.ok(err instanceof HelpdeskOAuthError);
  assert.ok(['state_missing', 'state_mismatch'].includes(err.code), err.code);
  assert.equal(server.state.tokenRequests, count);

  // The untouched callback still works afterwards: the failed attempts did not burn the code.
  const tokens = await client.exchangeCode(a.callbackUrl, a.req.pending);
  assert.ok(tokens.accessToken);
});

test('pending_expired: the callback arrives after the pending TTL (600 s default)', async () => {
  let clock = Date.now();
  const c = makeClient({ now: () => clock });
  const late = await authorized(c);
  const inTime = await authorized(c);
  assert.equal(late.req.pending.createdAt, clock);

  clock += 599_000;
  const tokens = await c.exchangeCode(inTime.callbackUrl, inTime.req.pending);
  assert.ok(tokens.accessToken, 'just under the TTL is accepted');
  assert.ok(Math.abs(tokens.obtainedAt - clock) < 1000, 'the injected clock is used for obtainedAt');
  assert.ok(Math.abs(tokens.expiresAt - (clock + 86_400_000)) < 1000, 'and for expiresAt');

  clock += 2_000; // 601 s after authorize()
  const count = server.state.tokenRequests;
  const err = await rejection(c.exchangeCode(late.callbackUrl, late.req.pending.serialize()));
  assertOAuthError(err, HelpdeskOAuthError, 'pending_expired', secrets(late.code));
  assert.equal(server.state.tokenRequests, count, 'nothing sent for an expired pending authorization');

  // pendingTtlSeconds shortens it.
  let clock2 = Date.now();
  const short = makeClient({ now: () => clock2, pendingTtlSeconds: 30 });
  const s = await authorized(short);
  clock2 += 31_000;
  assertOAuthError(await rejection(short.exchangeCode(s.callbackUrl, s.req.pending)), HelpdeskOAuthError, 'pending_expired', secrets(s.code));
});

test('access_denied: the provider returns an OAuth error to the callback', async () => {
  server.state.nextAuthorizeError = 'access_denied';
  const req = client.authorize({ account: 'acme' });
  const callbackUrl = await followAuthorize(req.url);
  assert.equal(new URL(callbackUrl).searchParams.get('error'), 'access_denied');
  const count = server.state.tokenRequests;
  const err = await rejection(client.exchangeCode(callbackUrl, req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'access_denied', secrets());
  assert.equal(err.description, 'The user denied the request');
  assert.equal(server.state.tokenRequests, count);
});

test('code_missing and issuer_mismatch on a doctored callback', async () => {
  const a = await authorized();
  const noCode = new URL(a.callbackUrl);
  noCode.searchParams.delete('code');
  assertOAuthError(await rejection(client.exchangeCode(noCode.toString(), a.req.pending)), HelpdeskOAuthError, 'code_missing', secrets());

  // RFC 9207: an `iss` that is present must be this account's issuer.
  const wrongIss = new URL(a.callbackUrl);
  wrongIss.searchParams.set('iss', 'https://evil.gorgias.com');
  const count = server.state.tokenRequests;
  assertOAuthError(await rejection(client.exchangeCode(wrongIss.toString(), a.req.pending)), HelpdeskOAuthError, 'issuer_mismatch', secrets(a.code));
  assert.equal(server.state.tokenRequests, count);

  const rightIss = new URL(a.callbackUrl);
  rightIss.searchParams.set('iss', 'https://acme.gorgias.com');
  const tokens = await client.exchangeCode(rightIss.toString(), a.req.pending);
  assert.ok(tokens.accessToken);
});

test('invalid_grant from the token endpoint: status 400, description kept', async () => {
  const a = await authorized();
  server.state.nextTokenFault = 'invalid_grant';
  const err = await rejection(client.exchangeCode(a.callbackUrl, a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'invalid_grant', secrets(a.code));
  assert.equal(err.status, 400);
  assert.equal(err.description, 'The provided authorization grant is invalid');
  assert.equal(err.retryable, false);

  // A real one: the code was already redeemed.
  const b = await authorized();
  const stored = b.req.pending.serialize();
  await client.exchangeCode(b.callbackUrl, stored);
  const again = await rejection(client.exchangeCode(b.callbackUrl, stored));
  assertOAuthError(again, HelpdeskOAuthError, 'invalid_grant', secrets(b.code));
  assert.equal(again.status, 400);
});

test('500 with an HTML page: server_error, status 500, message names 500 and text/html', async () => {
  const a = await authorized();
  server.state.nextTokenFault = 'html500';
  const err = await rejection(client.exchangeCode(a.callbackUrl, a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'server_error', secrets(a.code));
  assert.equal(err.status, 500);
  assert.match(err.message, /500/);
  assert.match(err.message, /text\/html/);
});

test('502 with an HTML page on refresh: server_error, status 502; the token set stays usable', async () => {
  const a = await authorized();
  const tokens = await client.exchangeCode(a.callbackUrl, a.req.pending);
  server.state.nextTokenFault = 'html502';
  const err = await rejection(client.refresh(tokens));
  assertOAuthError(err, HelpdeskOAuthError, 'server_error', secrets());
  assert.equal(err.status, 502);
  const refreshed = await client.refresh(tokens);
  assert.notEqual(refreshed.accessToken, tokens.accessToken);
});

test('malformed JSON body: response_not_json', async () => {
  const a = await authorized();
  server.state.nextTokenFault = 'malformed';
  const err = await rejection(client.exchangeCode(a.callbackUrl, a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'response_not_json', secrets(a.code, 'at_truncated'));
  assert.equal(err.status, 200);
});

test('network failure (nothing listens on the token port): network_error', async () => {
  const port = await closedPort();
  const c = makeClient({
    provider: { ...gorgiasProvider(server.url), tokenUrl: `http://127.0.0.1:${port}/gorgias/{account}/oauth/token` },
  });
  const a = await authorized(c);
  const err = await rejection(c.exchangeCode(a.callbackUrl, a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'network_error', secrets(a.code));
  assert.equal(err.status, undefined);
});

test('a hanging token endpoint with timeoutMs: 300 ends in network_error', async () => {
  const c = makeClient({ timeoutMs: 300 });
  const a = await authorized(c);
  server.state.nextTokenFault = 'hang';
  const started = Date.now();
  const err = await rejection(c.exchangeCode(a.callbackUrl, a.req.pending));
  const elapsed = Date.now() - started;
  assertOAuthError(err, HelpdeskOAuthError, 'network_error', secrets(a.code));
  assert.ok(elapsed >= 250 && elapsed < 5000, `gave up after ${elapsed} ms`);
});

const BAD_ACCOUNTS = ['evil.com/', 'a.b', 'acme.gorgias.com.evil.com', '', 'a'.repeat(64), '%2e', '-acme', 'ac me', 'acme\n'];

test('invalid_account: validateAccount, authorize, testInstallUrl and accountFromInstallUrl refuse anything but one DNS label', () => {
  for (const bad of BAD_ACCOUNTS) {
    const label = JSON.stringify(bad);
    assertOAuthError(thrown(() => validateAccount(bad)), HelpdeskOAuthError, 'invalid_account', []);
    assertOAuthError(thrown(() => client.authorize({ account: bad })), HelpdeskOAuthError, 'invalid_account', []);
    assertOAuthError(thrown(() => client.testInstallUrl(bad)), HelpdeskOAuthError, 'invalid_account', []);
    const installUrl = `https://app.example.com/install?account=${encodeURIComponent(bad)}`;
    const e = thrown(() => accountFromInstallUrl(installUrl));
    assert.ok(e instanceof HelpdeskOAuthError, label);
    assert.equal(e.code, 'invalid_account', `${label}: ${e.message}`);
  }
  // Percent-encoded dot in the raw URL decodes to '.', which is refused too.
  assert.equal(thrown(() => accountFromInstallUrl('https://app.example.com/install?account=%2e')).code, 'invalid_account');
  assert.equal(thrown(() => accountFromInstallUrl('https://app.example.com/install?account=acme%2Eevil.com')).code, 'invalid_account');
});

test('valid accounts are accepted and lower-cased; install URL parameter name is configurable', () => {
  assert.equal(validateAccount('acme'), 'acme');
  assert.equal(validateAccount('My-Org1'), 'my-org1');
  assert.equal(validateAccount('a'.repeat(63)), 'a'.repeat(63));
  assert.equal(accountFromInstallUrl('https://app.example.com/install?x=1&account=ACME#frag'), 'acme');
  assert.equal(accountFromInstallUrl('https://app.example.com/install?gorgias_account=shop-2', 'gorgias_account'), 'shop-2');
  const e = thrown(() => accountFromInstallUrl('https://app.example.com/install?shop=acme'));
  assert.ok(e instanceof HelpdeskOAuthError);
  assert.equal(e.code, 'invalid_install_request');
  assert.equal(thrown(() => accountFromInstallUrl('https://app.example.com/install?account=a&account=b')).code, 'invalid_install_request');
});

test('missing_refresh_scope: the provider\'s refresh scope is required unless offline: false', () => {
  let e = thrown(() => client.authorize({ account: 'acme', scopes: ['openid', 'tickets:read'] }));
  assertOAuthError(e, HelpdeskOAuthError, 'missing_refresh_scope', [CLIENT_SECRET]);
  assert.match(e.message, /offline/);
  e = thrown(() => client.authorize({ account: 'acme', scopes: ['openid', 'offline_access'] }));
  assertOAuthError(e, HelpdeskOAuthError, 'missing_refresh_scope', [CLIENT_SECRET]);
  assert.match(e.message, /offline_access/, 'names the wrong scope for this provider');

  const k = new OAuthClient({ provider: kustomerProvider(server.url), clientId: CLIENT_ID, clientSecret: K_SECRET, redirectUri: REDIRECT_URI });
  e = thrown(() => k.authorize({ account: 'myorg', scopes: ['org.permission.customer', 'offline'] }));
  assertOAuthError(e, HelpdeskOAuthError, 'missing_refresh_scope', [K_SECRET]);
  assert.match(e.message, /offline_access/);

  const ok = client.authorize({ account: 'acme', scopes: ['openid', 'tickets:read'], offline: false });
  assert.equal(new URL(ok.url).searchParams.get('scope'), 'openid tickets:read');
});

test('nonce_mismatch: an id_token whose nonce is not the pending one is refused', async () => {
  // A fetch that passes requests through but swaps the id_token's nonce (token injection).
  const swap = async (url, init) => {
    const res = await fetch(url, init);
    const body = await res.json();
    if (body.id_token) {
      const [h, , sig] = body.id_token.split('.');
      const claims = { ...jwtClaims(body.id_token), nonce: 'attacker-nonce' };
      body.id_token = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    }
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  const c = makeClient({ fetch: swap });
  const a = await authorized(c);
  const err = await rejection(c.exchangeCode(a.callbackUrl, a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'nonce_mismatch', secrets(a.code));
});

test('invalid_client: wrong client secret at the token endpoint (401)', async () => {
  const c = makeClient({ clientSecret: 'not-the-secret-123' });
  const a = await authorized(c);
  const err = await rejection(c.exchangeCode(a.callbackUrl, a.req.pending));
  assertOAuthError(err, HelpdeskOAuthError, 'invalid_client', secrets(a.code, 'not-the-secret-123'));
  assert.equal(err.status, 401);
});
