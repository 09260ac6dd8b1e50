// Intercom through the packed package against the emulator's Intercom flavour: authorize without
// response_type or scope, the code exchanged for a token that never expires and comes without a
// refresh token (`token` and `access_token` the same), the API, and the uninstall call with the
// access token as bearer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import { startProviderServer, assertOAuthError, issuedSecrets, REDIRECT_URI } from './support/provider-server.mjs';
import { answerConsent, providerConfig } from '../../emulator/index.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, createSession, MemoryTokenStore } = esm;

const CLIENT_ID = 'intercom-app-1';
const CLIENT_SECRET = 'intercom-secret-0123456789abcdef';

let server;
let client;
before(async () => {
  server = await startProviderServer({ autoApprove: false, apps: [{ provider: 'intercom', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: providerConfig(server.url, 'intercom'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
});
after(() => server?.close());

const secrets = () => issuedSecrets(server, CLIENT_SECRET);

test('the Intercom preset: no response_type or scope, no refresh, uninstall with the bearer, X-RateLimit-Reset', () => {
  const real = new OAuthClient({ provider: 'intercom', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
  const p = real.provider;
  assert.equal(p.authorizeUrl, 'https://app.intercom.com/oauth');
  assert.equal(p.tokenUrl, 'https://api.intercom.io/auth/eagle/token');
  assert.equal(p.revokeUrl, 'https://api.intercom.io/auth/uninstall');
  assert.deepEqual(p.omitAuthorizeParams, ['response_type', 'scope']);
  assert.deepEqual(p.revocation, { method: 'POST', token: 'bearer' });
  assert.equal(p.rateLimitResetHeader, 'X-RateLimit-Reset');
  // Regional workspaces by override.
  const eu = new OAuthClient({ provider: { preset: 'intercom', authorizeUrl: 'https://app.eu.intercom.com/oauth', tokenUrl: 'https://api.eu.intercom.io/auth/eagle/token', apiBaseUrl: 'https://api.eu.intercom.io', revokeUrl: 'https://api.eu.intercom.io/auth/uninstall' }, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
  assert.equal(eu.apiUrl('/me'), 'https://api.eu.intercom.io/me');
});

test('install → consent → callback → API → no refresh → uninstall', async (t) => {
  let req, tokens;
  await t.test('authorize: client_id, redirect_uri and state', () => {
    req = client.authorize();
    assert.deepEqual([...new URL(req.url).searchParams.keys()], ['client_id', 'redirect_uri', 'state']);
  });

  await t.test('the token never expires and has no refresh token', async () => {
    tokens = await client.exchangeCode(await answerConsent(req.url), req.pending);
    assert.equal(server.state.lastTokenRequest.params.client_secret, CLIENT_SECRET);
    assert.equal(tokens.refreshToken, undefined);
    assert.equal(tokens.expiresAt, undefined);
    assert.equal(tokens.isExpired(0, Date.now() + 10 * 365 * 86_400_000), false);
    assert.deepEqual(tokens.scopes, []);
  });

  await t.test('the API, directly and through a session', async () => {
    const res = await fetch(client.apiUrl('/me'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).app.id_code, 'acme');
    const session = createSession({ client, store: new MemoryTokenStore(), key: 'intercom:acme' });
    await session.save(tokens);
    assert.equal((await session.fetch('/conversations')).status, 200);
  });

  await t.test('no refresh: no_refresh_token, nothing sent', async () => {
    const before = server.state.tokenRequests;
    assertOAuthError(await client.refresh(tokens).then(() => null, (e) => e), HelpdeskOAuthError, 'no_refresh_token', secrets());
    assert.equal(server.state.tokenRequests, before);
  });

  await t.test('uninstall: POST with the access token as bearer; the token is dead afterwards', async () => {
    const store = new MemoryTokenStore();
    const session = createSession({ client, store, key: 'intercom:acme' });
    await session.save(tokens);
    assert.deepEqual(await session.revoke(), { revokedAtProvider: true });
    assert.equal(server.state.lastRevokeRequest.headers.authorization, `Bearer ${tokens.accessToken}`);
    assert.equal(store.size, 0);
    const res = await fetch(client.apiUrl('/me'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).type, 'error.list');
  });
});

test('Intercom refuses a wrong secret with invalid_client and a used code with invalid_grant', async () => {
  server.autoApprove = true;
  try {
    const req = client.authorize();
    const callback = await answerConsent(req.url);
    const wrong = new OAuthClient({ provider: providerConfig(server.url, 'intercom'), clientId: CLIENT_ID, clientSecret: 'not-the-secret', redirectUri: REDIRECT_URI });
    assertOAuthError(await wrong.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_client', [...secrets(), 'not-the-secret']);
    await client.exchangeCode(callback, req.pending);
    assertOAuthError(await client.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
  } finally {
    server.autoApprove = false;
  }
});
