// The whole Gorgias install flow through the packed and installed package (ESM), against the
// local provider server: install URL → authorize → browser redirect → code exchange (Basic auth,
// id_token nonce) → API call → refresh (no rotation) → revoke → refresh refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import {
  startProviderServer,
  gorgiasProvider,
  followAuthorize,
  assertOAuthError,
  issuedSecrets,
  REDIRECT_URI,
} from './support/provider-server.mjs';

const { esm } = await loadPackage();
const { OAuthClient, PendingAuthorization, HelpdeskOAuthError, accountFromInstallUrl } = esm;

const CLIENT_ID = 'gorgias-client-4711';
const CLIENT_SECRET = 'gorgias-secret-0123456789abcdef';
const SCOPES = ['openid', 'email', 'profile', 'offline', 'tickets:read'];
const DAY_MS = 86_400_000;

const basicHeader = (id, secret) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

let server;
let client;
before(async () => {
  server = await startProviderServer({ apps: [{ provider: 'gorgias', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});
after(() => server?.close());

test('the resolved provider keeps the Gorgias preset and takes the overridden URLs', () => {
  const p = client.provider;
  assert.equal(p.id, 'gorgias');
  assert.equal(p.authorizeUrl, `${server.url}/gorgias/{account}/oauth/authorize`);
  assert.equal(p.tokenUrl, `${server.url}/gorgias/{account}/oauth/token`);
  assert.equal(p.revokeUrl, `${server.url}/gorgias/{account}/oauth/revoke`);
  assert.equal(p.issuer, 'https://{account}.gorgias.com');
  assert.equal(p.clientAuth, 'client_secret_basic');
  assert.equal(p.pkce, false);
  assert.equal(p.rotatesRefreshTokens, false);
  assert.equal(client.testInstallUrl('acme'), `https://acme.gorgias.com/app/settings/integrations/app/${CLIENT_ID}`);
  assert.equal(client.apiUrl('/account', 'acme'), `${server.url}/gorgias/acme/api/account`);
});

test('full Gorgias flow: install URL → authorize → callback → tokens → API → refresh → revoke', async (t) => {
  let account, req, callbackUrl, tokens, refreshed;

  await t.test('install URL gives the account', () => {
    account = accountFromInstallUrl('https://app.example.com/install?account=acme');
    assert.equal(account, 'acme');
  });

  await t.test('authorize builds the documented request and a pending record', () => {
    const before = Date.now();
    req = client.authorize({ account });
    const u = new URL(req.url);
    assert.equal(`${u.origin}${u.pathname}`, `${server.url}/gorgias/acme/oauth/authorize`);
    const q = u.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), CLIENT_ID);
    assert.equal(q.get('redirect_uri'), REDIRECT_URI);
    assert.equal(q.get('scope'), SCOPES.join(' '));
    assert.equal(q.get('state'), req.state);
    assert.equal(q.get('nonce'), req.nonce);
    assert.equal(q.get('code_challenge'), null, 'PKCE is off for the Gorgias preset');
    assert.equal(req.codeChallenge, undefined);
    assert.ok(req.state.length >= 22 && req.nonce.length >= 22, 'state and nonce carry at least 128 bits');
    assert.equal(req.account, 'acme');
    const p = req.pending;
    assert.equal(p.state, req.state);
    assert.equal(p.nonce, req.nonce);
    assert.equal(p.account, 'acme');
    assert.equal(p.provider, 'gorgias');
    assert.equal(p.issuer, 'https://acme.gorgias.com');
    assert.equal(p.redirectUri, REDIRECT_URI);
    assert.deepEqual(p.scopes, SCOPES);
    assert.ok(p.createdAt >= before && p.createdAt <= Date.now());
    const other = client.authorize({ account });
    assert.notEqual(other.state, req.state);
    assert.notEqual(other.nonce, req.nonce);
  });

  await t.test('the provider redirects the browser back with code and state', async () => {
    callbackUrl = await followAuthorize(req.url);
    const cb = new URL(callbackUrl);
    assert.equal(`${cb.origin}${cb.pathname}`, REDIRECT_URI);
    assert.equal(cb.searchParams.get('state'), req.state);
    assert.ok(cb.searchParams.get('code'));
    assert.equal(server.state.lastAuthorizeRequest.params.nonce, req.nonce);
  });

  await t.test('exchangeCode sends a Basic-authenticated form request and returns a TokenSet', async () => {
    const count = server.state.tokenRequests;
    const before = Date.now();
    tokens = await client.exchangeCode(callbackUrl, req.pending);
    const after = Date.now();
    assert.equal(server.state.tokenRequests, count + 1);
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.account, 'acme');
    assert.match(sent.headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.equal(sent.headers.authorization, basicHeader(CLIENT_ID, CLIENT_SECRET));
    assert.equal(sent.params.grant_type, 'authorization_code');
    assert.equal(sent.params.code, new URL(callbackUrl).searchParams.get('code'));
    assert.equal(sent.params.redirect_uri, REDIRECT_URI);
    assert.equal(sent.params.client_secret, undefined, 'no body credentials for Gorgias');
    assert.equal(sent.params.code_verifier, undefined);

    assert.equal(tokens.accessToken, server.state.issued.accessTokens.at(-1));
    assert.equal(tokens.refreshToken, server.state.issued.refreshTokens.at(-1));
    assert.equal(tokens.idToken, server.state.issued.idTokens.at(-1));
    assert.equal(tokens.tokenType, 'Bearer');
    assert.deepEqual(tokens.scopes, SCOPES);
    assert.equal(tokens.account, 'acme');
    assert.equal(tokens.provider, 'gorgias');
    assert.ok(tokens.obtainedAt >= before - 1000 && tokens.obtainedAt <= after + 1000, `obtainedAt ${tokens.obtainedAt}`);
    assert.ok(tokens.expiresAt >= before + DAY_MS - 2000 && tokens.expiresAt <= after + DAY_MS + 2000, `expiresAt ${tokens.expiresAt}`);
    assert.equal(tokens.isExpired(60, Date.now()), false);

    const claims = tokens.idTokenClaims();
    assert.equal(claims.nonce, req.nonce);
    assert.equal(claims.iss, 'https://acme.gorgias.com');
    assert.deepEqual(claims.aud, [CLIENT_ID]);
    assert.equal(claims.sub, 10);
  });

  await t.test('the access token works at the API', async () => {
    const res = await fetch(client.apiUrl('/account', 'acme'), { headers: { authorization: `${tokens.tokenType} ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).domain, 'acme');
  });

  await t.test('the same code cannot be redeemed twice', async () => {
    const err = await client.exchangeCode(callbackUrl, req.pending).then(() => null, (e) => e);
    assert.ok(err, 'second redemption of one code must fail');
    // The library may refuse a used pending record itself, or the server answers invalid_grant.
    assert.ok(err instanceof HelpdeskOAuthError);
    assert.ok(['invalid_grant', 'pending_invalid'].includes(err.code), err.code);
    for (const s of issuedSecrets(server, CLIENT_SECRET)) assert.ok(!err.message.includes(s));
  });

  await t.test('refresh returns a new access token and keeps the old refresh token', async () => {
    const count = server.state.refreshRequests;
    refreshed = await client.refresh(tokens);
    assert.equal(server.state.refreshRequests, count + 1);
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.params.grant_type, 'refresh_token');
    assert.equal(sent.params.refresh_token, tokens.refreshToken);
    assert.equal(sent.headers.authorization, basicHeader(CLIENT_ID, CLIENT_SECRET));
    assert.equal(sent.params.client_secret, undefined);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.equal(refreshed.accessToken, server.state.issued.accessTokens.at(-1));
    assert.equal(refreshed.refreshToken, tokens.refreshToken, 'Gorgias sends no new refresh token: keep the old one');
    assert.equal(refreshed.tokenType, 'Bearer');
    assert.equal(refreshed.account, 'acme');
    assert.equal(refreshed.provider, 'gorgias');
    assert.deepEqual(refreshed.scopes, SCOPES);
    assert.ok(refreshed.expiresAt >= Date.now() + DAY_MS - 5000);
    // The input is left as it was.
    assert.equal(tokens.accessToken, server.state.issued.accessTokens.at(-2));
    const res = await fetch(client.apiUrl('/account', 'acme'), { headers: { authorization: `Bearer ${refreshed.accessToken}` } });
    assert.equal(res.status, 200);
    await res.text();
  });

  await t.test('revoke sends the refresh token with Basic auth; a later refresh fails with invalid_grant', async () => {
    const count = server.state.revokeRequests;
    const result = await client.revoke(refreshed);
    assert.equal(result, undefined);
    assert.equal(server.state.revokeRequests, count + 1);
    const sent = server.state.lastRevokeRequest;
    assert.equal(sent.account, 'acme');
    assert.equal(sent.params.token, refreshed.refreshToken);
    assert.equal(sent.headers.authorization, basicHeader(CLIENT_ID, CLIENT_SECRET));
    assert.equal(sent.params.client_secret, undefined);

    const err = await client.refresh(refreshed).then(() => null, (e) => e);
    assertOAuthError(err, HelpdeskOAuthError, 'invalid_grant', issuedSecrets(server, CLIENT_SECRET));
    assert.equal(err.status, 400);
    assert.equal(err.retryable, false);
  });
});

test('exchangeCode accepts the serialized pending record (as stored in a session or cookie)', async () => {
  const req = client.authorize({ account: 'acme' });
  const stored = req.pending.serialize();
  assert.equal(typeof stored, 'string');
  const restored = PendingAuthorization.deserialize(stored);
  assert.equal(restored.state, req.state);
  assert.equal(restored.nonce, req.nonce);
  assert.equal(restored.account, 'acme');
  assert.deepEqual(restored.scopes, SCOPES);
  assert.equal(restored.createdAt, req.pending.createdAt);

  const callbackUrl = await followAuthorize(req.url);
  const tokens = await client.exchangeCode(callbackUrl, stored);
  assert.equal(tokens.accessToken, server.state.issued.accessTokens.at(-1));
  assert.equal(tokens.idTokenClaims().nonce, req.nonce);

  // A second account is a separate tenant: its URLs, issuer and tokens are its own.
  const req2 = client.authorize({ account: 'Other-Shop' });
  assert.equal(req2.account, 'other-shop');
  assert.ok(req2.url.startsWith(`${server.url}/gorgias/other-shop/oauth/authorize?`));
  const t2 = await client.exchangeCode(await followAuthorize(req2.url), PendingAuthorization.deserialize(req2.pending.serialize()));
  assert.equal(t2.account, 'other-shop');
  assert.equal(server.state.lastTokenRequest.account, 'other-shop');
  assert.equal(t2.idTokenClaims().iss, 'https://other-shop.gorgias.com');
  const res = await fetch(client.apiUrl('/account', 'acme'), { headers: { authorization: `Bearer ${t2.accessToken}` } });
  assert.equal(res.status, 401, 'a token of one account is refused by another');
  await res.text();
});

test('a client secret with reserved characters is form-urlencoded before Basic (RFC 6749 §2.3.1)', async () => {
  const id = 'app.client+1';
  const secret = 'sec+ret:with/odd%21chars é';
  const s = await startProviderServer({ apps: [{ provider: 'gorgias', clientId: id, clientSecret: secret, redirectUris: [REDIRECT_URI] }] });
  try {
    const c = new OAuthClient({ provider: gorgiasProvider(s.url), clientId: id, clientSecret: secret, redirectUri: REDIRECT_URI, scopes: SCOPES });
    const req = c.authorize({ account: 'acme' });
    const tokens = await c.exchangeCode(await followAuthorize(req.url), req.pending);
    assert.equal(tokens.accessToken, s.state.issued.accessTokens.at(-1));
    assert.match(s.state.lastTokenRequest.headers.authorization, /^Basic [A-Za-z0-9+/]+=*$/);
    assert.equal(s.state.lastTokenRequest.params.client_secret, undefined);
  } finally {
    await s.close();
  }
});
