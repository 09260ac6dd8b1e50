// The whole Kustomer flow through the packed and installed package (ESM), against the local
// provider server: PKCE S256, client credentials in the form body, refresh-token rotation, and
// no revocation endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loadPackage } from './support/install-package.mjs';
import {
  startProviderServer,
  kustomerProvider,
  followAuthorize,
  assertOAuthError,
  issuedSecrets,
  REDIRECT_URI,
} from './support/provider-server.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError } = esm;

const CLIENT_ID = 'kustomer-app-99';
const CLIENT_SECRET = 'kustomer-secret-fedcba9876543210';
const SCOPES = ['org.permission.customer', 'offline_access'];
const DAY_MS = 86_400_000;

let server;
let client;
before(async () => {
  server = await startProviderServer({ apps: [{ provider: 'kustomer', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: kustomerProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});
after(() => server?.close());

function refreshAtServer(refreshToken) {
  return fetch(`${server.url}/kustomer/myorg/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }).toString(),
  });
}

test('the resolved provider keeps the Kustomer preset', () => {
  const p = client.provider;
  assert.equal(p.id, 'kustomer');
  assert.equal(p.tokenUrl, `${server.url}/kustomer/{account}/oauth/token`);
  assert.equal(p.clientAuth, 'client_secret_post');
  assert.equal(p.pkce, true);
  assert.equal(p.rotatesRefreshTokens, true);
  assert.equal(p.revokeUrl, undefined);
  assert.equal(p.refreshScope, 'offline_access');
});

test('full Kustomer flow: PKCE, body auth, refresh rotation, no revocation', async (t) => {
  let req, callbackUrl, tokens, refreshed;

  await t.test('authorize sends an S256 challenge derived from the pending verifier', () => {
    req = client.authorize({ account: 'myorg' });
    const u = new URL(req.url);
    assert.equal(`${u.origin}${u.pathname}`, `${server.url}/kustomer/myorg/oauth/authorize`);
    const q = u.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), CLIENT_ID);
    assert.equal(q.get('redirect_uri'), REDIRECT_URI);
    assert.equal(q.get('scope'), SCOPES.join(' '));
    assert.equal(q.get('state'), req.state);
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(q.get('code_challenge'), req.codeChallenge);
    assert.match(req.codeChallenge, /^[A-Za-z0-9_-]{43}$/);
    const verifier = JSON.parse(req.pending.serialize()).code_verifier;
    assert.match(verifier, /^[A-Za-z0-9._~-]{43,128}$/);
    assert.equal(createHash('sha256').update(verifier).digest('base64url'), req.codeChallenge);
    assert.equal(req.pending.provider, 'kustomer');
    assert.equal(req.pending.account, 'myorg');
    const other = client.authorize({ account: 'myorg' });
    assert.notEqual(other.codeChallenge, req.codeChallenge, 'a fresh verifier per authorization');
  });

  await t.test('exchangeCode sends client credentials and the verifier in the body, no Basic header', async () => {
    callbackUrl = await followAuthorize(req.url);
    assert.equal(new URL(callbackUrl).searchParams.get('state'), req.state);
    const before = Date.now();
    tokens = await client.exchangeCode(callbackUrl, req.pending.serialize());
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.params.client_id, CLIENT_ID);
    assert.equal(sent.params.client_secret, CLIENT_SECRET);
    assert.equal(sent.params.grant_type, 'authorization_code');
    assert.equal(sent.params.redirect_uri, REDIRECT_URI);
    assert.equal(sent.params.code_verifier, JSON.parse(req.pending.serialize()).code_verifier);

    assert.equal(tokens.accessToken, server.state.issued.accessTokens.at(-1));
    assert.equal(tokens.refreshToken, server.state.issued.refreshTokens.at(-1));
    assert.equal(tokens.tokenType, 'Bearer', 'Kustomer\'s lower-case "bearer" is normalised');
    assert.equal(tokens.idToken, undefined);
    assert.equal(tokens.idTokenClaims(), undefined);
    assert.deepEqual(tokens.scopes, SCOPES);
    assert.equal(tokens.account, 'myorg');
    assert.equal(tokens.provider, 'kustomer');
    assert.ok(Math.abs(tokens.expiresAt - (before + DAY_MS)) < 5000, `expiresAt ${tokens.expiresAt}`);

    const res = await fetch(client.apiUrl('/account', 'myorg'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).domain, 'myorg');
  });

  await t.test('refresh rotates: new access and refresh tokens; the old refresh token is dead', async () => {
    const count = server.state.refreshRequests;
    refreshed = await client.refresh(tokens);
    assert.equal(server.state.refreshRequests, count + 1);
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.params.client_id, CLIENT_ID);
    assert.equal(sent.params.client_secret, CLIENT_SECRET);
    assert.equal(sent.params.refresh_token, tokens.refreshToken);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.ok(refreshed.refreshToken);
    assert.notEqual(refreshed.refreshToken, tokens.refreshToken);
    assert.equal(refreshed.refreshToken, server.state.issued.refreshTokens.at(-1));
    assert.equal(refreshed.account, 'myorg');
    assert.equal(refreshed.tokenType, 'Bearer');

    const res = await refreshAtServer(tokens.refreshToken);
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'invalid_grant');

    const err = await client.refresh(tokens).then(() => null, (e) => e);
    assertOAuthError(err, HelpdeskOAuthError, 'invalid_grant', issuedSecrets(server, CLIENT_SECRET));
    assert.equal(err.status, 400);

    // The rotated token keeps working, and rotates again.
    const again = await client.refresh(refreshed);
    assert.notEqual(again.refreshToken, refreshed.refreshToken);
    const api = await fetch(client.apiUrl('/account', 'myorg'), { headers: { authorization: `Bearer ${again.accessToken}` } });
    assert.equal(api.status, 200);
    await api.text();
    refreshed = again;
  });

  await t.test('revoke rejects with revocation_unsupported and sends nothing', async () => {
    const tokenCount = server.state.tokenRequests;
    const revokeCount = server.state.revokeRequests;
    const err = await client.revoke(refreshed).then(() => null, (e) => e);
    assertOAuthError(err, HelpdeskOAuthError, 'revocation_unsupported', issuedSecrets(server, CLIENT_SECRET));
    assert.equal(server.state.tokenRequests, tokenCount);
    assert.equal(server.state.revokeRequests, revokeCount);
  });
});

test('offline: false asks for no refresh token; refresh then fails locally with no_refresh_token', async () => {
  const req = client.authorize({ account: 'myorg', scopes: ['org.permission.customer'], offline: false });
  assert.equal(new URL(req.url).searchParams.get('scope'), 'org.permission.customer');
  const tokens = await client.exchangeCode(await followAuthorize(req.url), req.pending);
  assert.equal(tokens.refreshToken, undefined);
  assert.deepEqual(tokens.scopes, ['org.permission.customer']);
  const count = server.state.tokenRequests;
  const err = await client.refresh(tokens).then(() => null, (e) => e);
  assertOAuthError(err, HelpdeskOAuthError, 'no_refresh_token', issuedSecrets(server, CLIENT_SECRET));
  assert.equal(server.state.tokenRequests, count, 'nothing sent');
});
