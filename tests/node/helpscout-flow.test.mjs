// Help Scout through the packed package against the emulator's Help Scout flavour: authorize with
// client_id and state only (no response_type, redirect_uri or scope: the user goes back to the
// registered URL), the code exchanged without redirect_uri, a new refresh token on every refresh,
// Help Scout's `invalid_request` for a refresh token it no longer accepts read as invalid_grant,
// no revocation endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import { startProviderServer, assertOAuthError, issuedSecrets, REDIRECT_URI } from './support/provider-server.mjs';
import { answerConsent, providerConfig } from '../../emulator/index.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, createSession, MemoryTokenStore } = esm;

const CLIENT_ID = 'helpscout-app-1';
const CLIENT_SECRET = 'helpscout-secret-0123456789abcdef';

let server;
let client;
before(async () => {
  server = await startProviderServer({ autoApprove: false, apps: [{ provider: 'helpscout', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: providerConfig(server.url, 'helpscout'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
});
after(() => server?.close());

const secrets = () => issuedSecrets(server, CLIENT_SECRET);

test('the Help Scout preset: two hosts, three authorize parameters left out, X-RateLimit-Retry-After', () => {
  const p = client.provider;
  assert.deepEqual(p.omitAuthorizeParams, ['response_type', 'scope', 'redirect_uri']);
  assert.equal(p.clientAuth, 'client_secret_post');
  assert.equal(p.retryAfterHeader, 'X-RateLimit-Retry-After');
  assert.deepEqual(p.errorAliases, { invalid_request: 'invalid_grant' });
  const real = new OAuthClient({ provider: 'helpscout', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI });
  const u = new URL(real.authorize().url);
  assert.equal(`${u.origin}${u.pathname}`, 'https://secure.helpscout.net/authentication/authorizeClientApplication');
  assert.equal(real.provider.tokenUrl, 'https://api.helpscout.net/v2/oauth2/token');
});

test('install → consent → callback → API → refresh (rotating) → dead refresh token → no revocation', async (t) => {
  let req, tokens, refreshed;
  await t.test('authorize carries client_id and state only', () => {
    req = client.authorize();
    assert.deepEqual([...new URL(req.url).searchParams.keys()], ['client_id', 'state']);
  });

  await t.test('the consent sends the user to the registered URL; the exchange has no redirect_uri', async () => {
    const callback = await answerConsent(req.url);
    assert.ok(callback.startsWith(`${REDIRECT_URI}?`), callback);
    tokens = await client.exchangeCode(callback, req.pending);
    const sent = server.state.lastTokenRequest.params;
    assert.deepEqual(Object.keys(sent).sort(), ['client_id', 'client_secret', 'code', 'grant_type']);
    assert.ok(Math.abs(tokens.expiresAt - (Date.now() + 172_800_000)) < 5000, 'a 48-hour access token');
  });

  await t.test('the access token works at the API', async () => {
    const res = await fetch(client.apiUrl('/users/me'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).role, 'owner');
  });

  await t.test('a refresh brings a new refresh token; the old one is answered invalid_request → invalid_grant', async () => {
    refreshed = await client.refresh(tokens);
    assert.notEqual(refreshed.refreshToken, tokens.refreshToken);
    const err = assertOAuthError(await client.refresh(tokens).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    assert.equal(err.oauthError, 'invalid_request');
    assert.equal(err.description, 'Invalid refresh_token');
    assert.equal(err.status, 400);
  });

  await t.test('a session forgets the dead grant and asks for a new install', async () => {
    const store = new MemoryTokenStore();
    let now = Date.now();
    const session = createSession({ client, store, key: 'helpscout:acme', now: () => now });
    await session.save(tokens); // the rotated-away set
    now += 3 * 86_400_000;
    await assert.rejects(session.accessToken(), (e) => e.code === 'reauthorization_required');
    assert.equal(store.size, 0);
  });

  await t.test('no revocation endpoint', async () => {
    assertOAuthError(await client.revoke(refreshed).then(() => null, (e) => e), HelpdeskOAuthError, 'revocation_unsupported', secrets());
  });
});
