// Front through the packed package against the emulator's Front flavour: no scope parameter,
// HTTP Basic at the token endpoint, `expires_at` instead of `expires_in`, a refresh that brings
// the same refresh token back (or, near its end, a new one that replaces it: kept either way),
// and no revocation endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import { startProviderServer, assertOAuthError, issuedSecrets, REDIRECT_URI } from './support/provider-server.mjs';
import { answerConsent, providerConfig } from '../../emulator/index.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, TokenSet, createSession, MemoryTokenStore } = esm;

const CLIENT_ID = 'front-app-1';
const CLIENT_SECRET = 'front-secret-0123456789abcdef';

let server;
let client;
before(async () => {
  server = await startProviderServer({ autoApprove: false, apps: [{ provider: 'front', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: providerConfig(server.url, 'front'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
});
after(() => server?.close());

const secrets = () => issuedSecrets(server, CLIENT_SECRET);
const basic = 'Basic ' + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

test('the Front preset: Basic auth, no scope, expires_at, no revocation', () => {
  const p = client.provider;
  assert.equal(p.clientAuth, 'client_secret_basic');
  assert.deepEqual(p.omitAuthorizeParams, ['scope']);
  assert.equal(p.expiresAtField, 'expires_at');
  assert.equal(p.pkce, false);
  assert.equal(p.revokeUrl, undefined);
  assert.equal(p.rateLimitResetHeader, 'X-RateLimit-Reset');
  const real = new OAuthClient({ provider: 'front', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
  const u = new URL(real.authorize().url);
  assert.equal(`${u.origin}${u.pathname}`, 'https://app.frontapp.com/oauth/authorize');
  assert.equal(real.apiUrl('/me'), 'https://api2.frontapp.com/me');
});

test('install → consent → callback → API → refresh (same, then renewed) → no revocation', async (t) => {
  let req, tokens, same, renewed;
  await t.test('authorize sends no scope (Front takes the app\'s), and scopes given are refused', () => {
    req = client.authorize();
    const q = new URL(req.url).searchParams;
    assert.equal(q.get('scope'), null);
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('code_challenge'), null);
    assertOAuthError(
      (() => {
        try {
          client.authorize({ scopes: ['shared_resources'] });
        } catch (e) {
          return e;
        }
        return null;
      })(),
      HelpdeskOAuthError,
      'invalid_scope',
    );
    assert.throws(() => new OAuthClient({ provider: 'front', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: ['x'] }), (e) => e.code === 'invalid_config');
  });

  await t.test('the code exchange uses HTTP Basic; expires_at becomes expiresAt', async () => {
    tokens = await client.exchangeCode(await answerConsent(req.url), req.pending);
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.headers.authorization, basic);
    assert.equal(sent.params.client_secret, undefined);
    assert.equal(sent.params.redirect_uri, REDIRECT_URI);
    assert.deepEqual(tokens.scopes, []);
    assert.equal(tokens.account, undefined);
    assert.ok(Math.abs(tokens.expiresAt - (Date.now() + 3_600_000)) < 5000, `expiresAt ${tokens.expiresAt}`);
    assert.equal(tokens.expiresAt % 1000, 0, 'whole Unix seconds');
    // The stored form round-trips.
    assert.equal(TokenSet.fromJSON(tokens.serialize()).expiresAt, tokens.expiresAt);
  });

  await t.test('the access token works at the API', async () => {
    const res = await fetch(client.apiUrl('/me'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).id, 'cmp_acme');
  });

  await t.test('a refresh that brings the same refresh token back keeps it', async () => {
    same = await client.refresh(tokens);
    assert.equal(same.refreshToken, tokens.refreshToken);
    assert.notEqual(same.accessToken, tokens.accessToken);
    assert.equal(server.state.lastTokenRequest.headers.authorization, basic);
  });

  await t.test('a refresh that brings a new one (Front renews it near its end) keeps the new one', async () => {
    server.state.rotateNextRefresh = true;
    renewed = await client.refresh(same);
    assert.notEqual(renewed.refreshToken, same.refreshToken);
    assert.equal(renewed.refreshToken, server.state.issued.refreshTokens.at(-1));
    assertOAuthError(await client.refresh(same).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
  });

  await t.test('revoke: Front documents no endpoint, so nothing is sent', async () => {
    const revokes = server.state.revokeRequests;
    assertOAuthError(await client.revoke(renewed).then(() => null, (e) => e), HelpdeskOAuthError, 'revocation_unsupported', secrets());
    assert.equal(server.state.revokeRequests, revokes);
    const session = createSession({ client, store: new MemoryTokenStore(), key: 'front:acme' });
    await session.save(renewed);
    assert.deepEqual(await session.revoke(), { revokedAtProvider: false });
  });
});

test('Front refuses client credentials in the body: invalid_client', async () => {
  const bodyAuth = new OAuthClient({ provider: { ...providerConfig(server.url, 'front'), clientAuth: 'client_secret_post' }, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
  const req = bodyAuth.authorize();
  const err = await bodyAuth.exchangeCode(await answerConsent(req.url), req.pending).then(() => null, (e) => e);
  assertOAuthError(err, HelpdeskOAuthError, 'invalid_client', secrets());
  assert.equal(err.status, 401);
});
