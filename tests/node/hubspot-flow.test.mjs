// HubSpot through the packed package against the emulator's HubSpot flavour: the v3 token
// endpoint on the API host with client credentials in the body and PKCE, `hub_id` kept as the
// token set's tenant, `scopes` as an array, 30-minute access tokens, a refresh that returns the
// same refresh token, HubSpot's own error body mapped to the stable codes, RFC 7009-style
// revocation with body credentials, and a session that does not take a 401 as a reason to refresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import { startProviderServer, assertOAuthError, issuedSecrets, REDIRECT_URI } from './support/provider-server.mjs';
import { answerConsent, providerConfig } from '../../emulator/index.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, TokenSet, createSession, MemoryTokenStore } = esm;

const CLIENT_ID = 'hubspot-app-1';
const CLIENT_SECRET = 'hubspot-secret-0123456789abcdef';
const SCOPES = ['oauth', 'tickets'];

let server;
let client;
before(async () => {
  server = await startProviderServer({ autoApprove: false, apps: [{ provider: 'hubspot', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: providerConfig(server.url, 'hubspot', { account: 'portal-a' }), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});
after(() => server?.close());

const secrets = () => issuedSecrets(server, CLIENT_SECRET);

test('the HubSpot preset: app and API hosts, hub_id as the tenant, its error shape, no refresh on 401', () => {
  const real = new OAuthClient({ provider: 'hubspot', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const p = real.provider;
  assert.equal(p.authorizeUrl, 'https://app.hubspot.com/oauth/authorize');
  assert.equal(p.tokenUrl, 'https://api.hubapi.com/oauth/v3/token');
  assert.equal(p.revokeUrl, 'https://api.hubapi.com/oauth/v3/token/revoke');
  assert.deepEqual(p.tenant, { from: 'token', param: 'hub_id' });
  assert.deepEqual(p.errorFields, ['status', 'subCategory', 'category']);
  assert.equal(p.errorAliases.BAD_REFRESH_TOKEN, 'invalid_grant');
  assert.equal(p.refreshOn401, false);
  assert.equal(p.pkce, true);
});

test('install → consent → callback → API → refresh → revoke', async (t) => {
  let req, tokens, refreshed;
  await t.test('authorize: space-separated scopes and an S256 challenge', () => {
    req = client.authorize();
    const q = new URL(req.url).searchParams;
    assert.equal(q.get('scope'), 'oauth tickets');
    assert.equal(q.get('code_challenge_method'), 'S256');
  });

  await t.test('the code exchange: body credentials and verifier; hub_id and scopes from the response', async () => {
    tokens = await client.exchangeCode(await answerConsent(req.url), req.pending);
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.params.client_secret, CLIENT_SECRET);
    assert.equal(sent.params.code_verifier, JSON.parse(req.pending.serialize()).code_verifier);
    assert.match(tokens.tenant, /^\d{8}$/);
    assert.deepEqual(tokens.scopes, SCOPES);
    assert.equal(TokenSet.fromJSON(tokens.serialize()).tenant, tokens.tenant);
    assert.ok(Math.abs(tokens.expiresAt - (Date.now() + 1_800_000)) < 5000, 'a 30-minute access token');
  });

  await t.test('the API knows the same account', async () => {
    const res = await fetch(client.apiUrl('/account-info/v3/details', tokens), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal(String((await res.json()).portalId), tokens.tenant);
  });

  await t.test('refresh returns the same refresh token and the same hub_id', async () => {
    refreshed = await client.refresh(tokens);
    assert.equal(refreshed.refreshToken, tokens.refreshToken);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.equal(refreshed.tenant, tokens.tenant);
  });

  await t.test('revoke: form body with client credentials; afterwards BAD_REFRESH_TOKEN → invalid_grant', async () => {
    await client.revoke(refreshed);
    const sent = server.state.lastRevokeRequest;
    assert.equal(sent.params.token, refreshed.refreshToken);
    assert.equal(sent.params.token_type_hint, 'refresh_token');
    assert.equal(sent.params.client_secret, CLIENT_SECRET);
    const err = assertOAuthError(await client.refresh(refreshed).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    assert.equal(err.oauthError, 'BAD_REFRESH_TOKEN');
    assert.equal(err.description, 'refresh token is invalid, expired or revoked');
  });
});

test('HubSpot error bodies map to the stable codes', async () => {
  server.autoApprove = true;
  try {
    const req = client.authorize();
    const callback = await answerConsent(req.url);
    const wrong = new OAuthClient({ provider: providerConfig(server.url, 'hubspot', { account: 'portal-a' }), clientId: CLIENT_ID, clientSecret: 'not-the-secret', redirectUri: REDIRECT_URI, scopes: SCOPES });
    const e1 = assertOAuthError(await wrong.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_client', [...secrets(), 'not-the-secret']);
    assert.equal(e1.oauthError, 'BAD_CLIENT_ID');
    await client.exchangeCode(callback, req.pending);
    const e2 = assertOAuthError(await client.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    assert.equal(e2.oauthError, 'BAD_AUTH_CODE');
  } finally {
    server.autoApprove = false;
  }
});

test('a session does not refresh on a 401 (HubSpot: track the expiry instead) but does at the expiry', async () => {
  server.autoApprove = true;
  try {
    const req = client.authorize();
    const tokens = await client.exchangeCode(await answerConsent(req.url), req.pending);
    let now = Date.now();
    const session = createSession({ client, store: new MemoryTokenStore(), key: 'hubspot:portal-a', now: () => now });
    await session.save(tokens);
    assert.equal((await session.fetch('/crm/v3/objects/tickets')).status, 200);
    // Revoke the grant behind the session's back: the API answers 401, and no refresh is tried.
    await client.revoke(tokens);
    const refreshes = server.state.refreshRequests;
    const res = await session.fetch('/crm/v3/objects/tickets');
    assert.equal(res.status, 401);
    assert.equal((await res.json()).category, 'INVALID_AUTHENTICATION');
    assert.equal(server.state.refreshRequests, refreshes, 'a 401 is not a refresh signal at HubSpot');
    // Past the expiry the session refreshes — and learns that the grant is gone.
    now += 1_800_000;
    await assert.rejects(session.fetch('/crm/v3/objects/tickets'), (e) => e.code === 'reauthorization_required');
    assert.equal(server.state.refreshRequests, refreshes + 1);
  } finally {
    server.autoApprove = false;
  }
});
