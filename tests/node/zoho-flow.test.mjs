// Zoho Desk through the packed package against the emulator's Zoho flavour, with the user in the
// EU data centre: the flow starts at the US accounts host, the callback names the user's data
// centre in `accounts-server` (checked against the list, kept as the token set's tenant), and the
// code exchange, refresh, revocation and Desk API all go to that data centre. Comma-separated
// scopes, access_type=offline with prompt=consent, errors answered with HTTP 200, refresh tokens
// that do not rotate, revocation by POST ?token=, `Zoho-oauthtoken` and `orgId` for the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from './support/install-package.mjs';
import { startProviderServer, followAuthorize, assertOAuthError, issuedSecrets, REDIRECT_URI } from './support/provider-server.mjs';
import { answerConsent, providerConfig } from '../../emulator/index.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, TokenSet, createSession, MemoryTokenStore } = esm;

const CLIENT_ID = 'zoho-app-1';
const CLIENT_SECRET = 'zoho-secret-0123456789abcdef';
const SCOPES = ['Desk.tickets.READ', 'Desk.basic.READ'];

let server;
let client;
before(async () => {
  server = await startProviderServer({ autoApprove: false, zohoDataCentre: 'eu', apps: [{ provider: 'zoho', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: providerConfig(server.url, 'zoho'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});
after(() => server?.close());

const secrets = () => issuedSecrets(server, CLIENT_SECRET);
const eu = () => `${server.url}/zoho/eu`;

test('the Zoho preset: data centre from the callback, comma scopes, offline parameters, errors in 200', () => {
  const real = new OAuthClient({ provider: 'zoho', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const p = real.provider;
  assert.equal(p.tokenUrl, 'https://accounts.{tenant}/oauth/v2/token');
  assert.equal(p.apiBaseUrl, 'https://desk.{tenant}/api/v1');
  assert.equal(p.tenant.from, 'callback');
  assert.equal(p.tenant.param, 'accounts-server');
  assert.equal(p.tenant.values['https://accounts.zoho.eu'], 'zoho.eu');
  assert.equal(p.tenant.values['https://accounts.zohocloud.ca'], 'zohocloud.ca');
  assert.equal(p.scopeSeparator, ',');
  assert.deepEqual(p.offlineParams, { access_type: 'offline', prompt: 'consent' });
  assert.equal(p.errorsIn200, true);
  assert.equal(p.apiAuthScheme, 'Zoho-oauthtoken');
  assert.deepEqual(p.revocation, { method: 'POST', token: 'query' });
  const u = new URL(real.authorize().url);
  assert.equal(`${u.origin}${u.pathname}`, 'https://accounts.zoho.com/oauth/v2/auth');
});

test('install → consent → callback (EU) → API → refresh (no rotation) → revoke', async (t) => {
  let req, tokens, refreshed, orgId;
  await t.test('authorize at the US host: comma-separated scopes, access_type=offline, prompt=consent', () => {
    req = client.authorize();
    const u = new URL(req.url);
    assert.equal(u.pathname, '/zoho/us/oauth/v2/auth');
    assert.equal(u.searchParams.get('scope'), 'Desk.tickets.READ,Desk.basic.READ');
    assert.ok(u.search.includes('scope=Desk.tickets.READ%2CDesk.basic.READ'), u.search);
    assert.equal(u.searchParams.get('access_type'), 'offline');
    assert.equal(u.searchParams.get('prompt'), 'consent');
  });

  await t.test('the callback names the EU data centre; the code goes there', async () => {
    const callback = new URL(await answerConsent(req.url));
    assert.equal(callback.searchParams.get('location'), 'eu');
    assert.equal(callback.searchParams.get('accounts-server'), eu());
    const before = server.state.tokenRequests;
    tokens = await client.exchangeCode(callback.href, req.pending);
    assert.equal(server.state.tokenRequests, before + 1);
    assert.equal(server.state.lastTokenRequest.account, 'eu', 'the EU token endpoint');
    assert.equal(server.state.lastTokenRequest.params.client_secret, CLIENT_SECRET);
    assert.equal(tokens.tenant, 'eu');
    assert.deepEqual(tokens.scopes, SCOPES);
    assert.ok(tokens.refreshToken);
    assert.equal(TokenSet.fromJSON(tokens.serialize()).tenant, 'eu', 'stored with the token set');
  });

  await t.test('the Desk API of that data centre: Zoho-oauthtoken, and orgId for everything but /organizations', async () => {
    assert.equal(client.apiUrl('/tickets', tokens), `${eu()}/desk/api/v1/tickets`);
    const auth = { authorization: `Zoho-oauthtoken ${tokens.accessToken}` };
    const bearer = await fetch(client.apiUrl('/organizations', tokens), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(bearer.status, 401, 'Bearer is not Zoho\'s scheme');
    await bearer.text();
    const orgs = await fetch(client.apiUrl('/organizations', tokens), { headers: auth });
    assert.equal(orgs.status, 200);
    orgId = (await orgs.json()).data[0].id;
    const tickets = await fetch(client.apiUrl('/tickets', tokens), { headers: { ...auth, orgId } });
    assert.equal(tickets.status, 200);
    assert.equal((await tickets.json()).data.length, 3);
  });

  await t.test('a session uses the scheme and the data centre itself', async () => {
    const session = createSession({ client, store: new MemoryTokenStore(), key: 'zoho:acme' });
    await session.save(tokens);
    const res = await session.fetch('/tickets', { headers: { orgId } });
    assert.equal(res.status, 200);
    assert.equal(server.state.apiRequests > 0, true);
  });

  await t.test('refresh: at the EU host, no new refresh token, the old one kept', async () => {
    refreshed = await client.refresh(tokens);
    assert.equal(server.state.lastTokenRequest.account, 'eu');
    assert.equal(refreshed.refreshToken, tokens.refreshToken);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.equal(refreshed.tenant, 'eu');
  });

  await t.test('revoke: POST ?token= at the EU host, nothing else; the grant is gone', async () => {
    await client.revoke(refreshed);
    const sent = server.state.lastRevokeRequest;
    assert.equal(sent.account, 'eu');
    assert.deepEqual(sent.params, { token: refreshed.refreshToken });
    assert.equal(sent.headers.authorization, undefined);
    // Zoho's error comes with HTTP 200; it still means the grant is dead.
    const err = assertOAuthError(await client.refresh(refreshed).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    assert.equal(err.status, 200);
    assert.equal(err.oauthError, 'invalid_code');
  });

  await t.test('a session forgets a grant Zoho refuses with 200 invalid_code', async () => {
    // Zoho answers every error with HTTP 200: that is its word that the grant is dead, so the
    // session deletes the tokens as it would on a 400 (RFC 6749 §5.2), instead of keeping them.
    const store = new MemoryTokenStore();
    const session = createSession({ client, store, key: 'zoho:revoked', now: () => refreshed.expiresAt + 1000 });
    await session.save(refreshed);
    const err = await session.accessToken().then(() => null, (e) => e);
    assertOAuthError(err, HelpdeskOAuthError, 'reauthorization_required', secrets());
    assert.equal(await store.get('zoho:revoked'), undefined, 'the dead tokens are deleted');
  });
});

test('an accounts-server that is not one of the provider\'s hosts is refused before any request', async () => {
  server.autoApprove = true;
  try {
    const req = client.authorize();
    const callback = new URL(await followAuthorize(req.url));
    for (const host of ['https://evil.example', `${eu()}.evil.example`, `${eu()}/`, 'https://accounts.zoho.eu', '']) {
      callback.searchParams.set('accounts-server', host);
      const before = server.state.tokenRequests;
      const err = await client.exchangeCode(callback.href, req.pending).then(() => null, (e) => e);
      assertOAuthError(err, HelpdeskOAuthError, 'invalid_tenant', secrets());
      assert.equal(server.state.tokenRequests, before, `nothing sent for ${host}`);
    }
    // A stored token set whose tenant was changed is refused too, before any request.
    const { tokens } = await (async () => {
      const r = client.authorize();
      return { tokens: await client.exchangeCode(await followAuthorize(r.url), r.pending) };
    })();
    const edited = JSON.parse(tokens.serialize());
    edited.tenant = 'evil.example';
    const before = server.state.tokenRequests;
    assertOAuthError(await client.refresh(TokenSet.fromJSON(edited)).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_tenant', secrets());
    assert.throws(() => client.apiUrl('/tickets', TokenSet.fromJSON(edited)), (e) => e.code === 'invalid_tenant');
    assert.equal(server.state.tokenRequests, before);
  } finally {
    server.autoApprove = false;
  }
});

test('Zoho\'s errors in 200 map to the stable codes', async () => {
  server.autoApprove = true;
  try {
    const req = client.authorize();
    const callback = await followAuthorize(req.url);
    const wrong = new OAuthClient({ provider: providerConfig(server.url, 'zoho'), clientId: CLIENT_ID, clientSecret: 'not-the-secret', redirectUri: REDIRECT_URI, scopes: SCOPES });
    const e1 = assertOAuthError(await wrong.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_client', [...secrets(), 'not-the-secret']);
    assert.equal(e1.status, 200);
    await client.exchangeCode(callback, req.pending);
    const e2 = assertOAuthError(await client.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    assert.equal(e2.oauthError, 'invalid_code');
    // Without access_type=offline (offline: false) Zoho issues no refresh token.
    const online = client.authorize({ offline: false });
    assert.equal(new URL(online.url).searchParams.get('access_type'), null);
    const tokens = await client.exchangeCode(await followAuthorize(online.url), online.pending);
    assert.equal(tokens.refreshToken, undefined);
  } finally {
    server.autoApprove = false;
  }
});
