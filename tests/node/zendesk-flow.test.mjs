// Zendesk through the packed package against the emulator's Zendesk flavour: install → consent
// page → callback → code exchange (body auth, PKCE, `expires_in` sent) → API → refresh (a new
// refresh token every time, the old one dead) → revocation by DELETE with the bearer token;
// and Zendesk's error answers mapped to the same codes as everywhere else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loadPackage } from './support/install-package.mjs';
import { startProviderServer, followAuthorize, assertOAuthError, issuedSecrets, REDIRECT_URI } from './support/provider-server.mjs';
import { answerConsent, providerConfig } from '../../emulator/index.mjs';

const { esm } = await loadPackage();
const { OAuthClient, HelpdeskOAuthError, createSession, MemoryTokenStore } = esm;

const CLIENT_ID = 'zendesk-app-1';
const CLIENT_SECRET = 'zendesk-secret-0123456789abcdef';
const SCOPES = ['read', 'tickets:write'];

let server;
let client;
before(async () => {
  server = await startProviderServer({ autoApprove: false, apps: [{ provider: 'zendesk', name: 'Ticket Sync', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }] });
  client = new OAuthClient({ provider: providerConfig(server.url, 'zendesk'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
});
after(() => server?.close());

const secrets = () => issuedSecrets(server, CLIENT_SECRET);

async function install(c = client, account = 'acme') {
  const req = c.authorize({ account });
  return { req, tokens: await c.exchangeCode(await answerConsent(req.url), req.pending) };
}

test('the Zendesk preset: per-account host, body auth, PKCE, rotation, DELETE revocation', () => {
  const p = client.provider;
  assert.equal(p.id, 'zendesk');
  assert.equal(p.clientAuth, 'client_secret_post');
  assert.equal(p.pkce, true);
  assert.equal(p.rotatesRefreshTokens, true);
  assert.deepEqual(p.tokenParams, { expires_in: '1800' });
  assert.deepEqual(p.revocation, { method: 'DELETE', token: 'bearer' });
  assert.equal(p.revokeUrl, `${server.url}/zendesk/{account}/api/v2/oauth/tokens/current.json`);
  const real = new OAuthClient({ provider: 'zendesk', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  assert.equal(new URL(real.authorize({ account: 'acme' }).url).origin + new URL(real.authorize({ account: 'acme' }).url).pathname, 'https://acme.zendesk.com/oauth/authorizations/new');
  assert.equal(real.apiUrl('/tickets.json', 'acme'), 'https://acme.zendesk.com/api/v2/tickets.json');
});

test('install → consent → callback → API → refresh (rotating) → revoke', async (t) => {
  let req, tokens, refreshed;
  await t.test('authorize: response_type, space-separated scope, S256 challenge', () => {
    req = client.authorize({ account: 'acme' });
    const q = new URL(req.url).searchParams;
    assert.equal(new URL(req.url).pathname, '/zendesk/acme/oauth/authorizations/new');
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('scope'), 'read tickets:write');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(q.get('nonce'), null);
  });

  await t.test('the user approves on the consent page; the code exchange sends expires_in and the verifier', async () => {
    const pages = server.state.consentPagesShown;
    const callback = await answerConsent(req.url);
    assert.equal(server.state.consentPagesShown, pages + 1);
    tokens = await client.exchangeCode(callback, req.pending);
    const sent = server.state.lastTokenRequest;
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.params.client_secret, CLIENT_SECRET);
    assert.equal(sent.params.expires_in, '1800');
    const verifier = JSON.parse(req.pending.serialize()).code_verifier;
    assert.equal(sent.params.code_verifier, verifier);
    assert.equal(createHash('sha256').update(verifier).digest('base64url'), req.codeChallenge);
    assert.equal(tokens.refreshToken, server.state.issued.refreshTokens.at(-1));
    assert.deepEqual(tokens.scopes, SCOPES);
    assert.equal(tokens.account, 'acme');
    assert.ok(Math.abs(tokens.expiresAt - (Date.now() + 1_800_000)) < 5000, 'a 30-minute access token');
  });

  await t.test('the access token works at the API', async () => {
    const res = await fetch(client.apiUrl('/users/me.json', tokens), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).user.role, 'admin');
  });

  await t.test('every refresh brings a new refresh token and kills the old one', async () => {
    refreshed = await client.refresh(tokens);
    assert.notEqual(refreshed.refreshToken, tokens.refreshToken);
    assert.equal(refreshed.refreshToken, server.state.issued.refreshTokens.at(-1));
    assert.equal(server.state.lastTokenRequest.params.expires_in, '1800');
    const err = await client.refresh(tokens).then(() => null, (e) => e);
    assertOAuthError(err, HelpdeskOAuthError, 'invalid_grant', secrets());
    assert.equal(err.status, 400);
  });

  await t.test('revoke: DELETE current.json with the access token as bearer; the grant is gone', async () => {
    await client.revoke(refreshed);
    const sent = server.state.lastRevokeRequest;
    assert.equal(sent.headers.authorization, `Bearer ${refreshed.accessToken}`);
    const api = await fetch(client.apiUrl('/users/me.json', refreshed), { headers: { authorization: `Bearer ${refreshed.accessToken}` } });
    assert.equal(api.status, 401);
    await api.text();
    assertOAuthError(await client.refresh(refreshed).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    // Revoking with a dead bearer token is refused by Zendesk: an HTTP error, the tokens are the caller's.
    assertOAuthError(await client.revoke(refreshed).then(() => null, (e) => e), HelpdeskOAuthError, 'http_error', secrets());
  });
});

test('without expires_in Zendesk treats the client as a legacy one: no expiry, no refresh token', async () => {
  const legacy = new OAuthClient({ provider: { ...providerConfig(server.url, 'zendesk'), tokenParams: {} }, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const { tokens } = await install(legacy, 'legacy');
  assert.equal(server.state.lastTokenRequest.params.expires_in, undefined);
  assert.equal(tokens.refreshToken, undefined);
  assert.equal(tokens.expiresAt, undefined, 'unknown, not expired');
  assertOAuthError(await legacy.refresh(tokens).then(() => null, (e) => e), HelpdeskOAuthError, 'no_refresh_token', secrets());
});

test('Zendesk errors map to the stable codes', async () => {
  server.autoApprove = true;
  try {
    const req = client.authorize({ account: 'acme' });
    const callback = await followAuthorize(req.url);
    const wrongSecret = new OAuthClient({ provider: providerConfig(server.url, 'zendesk'), clientId: CLIENT_ID, clientSecret: 'not-the-secret', redirectUri: REDIRECT_URI, scopes: SCOPES });
    assertOAuthError(await wrongSecret.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_client', [...secrets(), 'not-the-secret']);
    // A client that failed to authenticate did not use the code up; its own client can, once.
    await client.exchangeCode(callback, req.pending);
    assertOAuthError(await client.exchangeCode(callback, req.pending).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
    // Another account's token endpoint does not take this account's code.
    const other = client.authorize({ account: 'acme' });
    const cb = await followAuthorize(other.url);
    const moved = JSON.parse(other.pending.serialize());
    moved.account = 'globex';
    moved.issuer = 'https://globex.zendesk.com';
    assertOAuthError(await client.exchangeCode(cb, JSON.stringify(moved)).then(() => null, (e) => e), HelpdeskOAuthError, 'invalid_grant', secrets());
  } finally {
    server.autoApprove = false;
  }
});

test('a session refreshes an expired token before revoking with it', async () => {
  const { tokens } = await install(client, 'sess');
  const store = new MemoryTokenStore();
  let now = Date.now();
  const session = createSession({ client, store, account: 'sess', now: () => now });
  await session.save(tokens);
  const res = await session.fetch('/tickets.json');
  assert.equal(res.status, 200);
  assert.equal((await res.json()).tickets.length, 3);
  now += 3_600_000; // past the 30-minute lifetime (the emulator's own clock still says it is live)
  const refreshes = server.state.refreshRequests;
  assert.deepEqual(await session.revoke(), { revokedAtProvider: true });
  assert.equal(server.state.refreshRequests, refreshes + 1, 'a fresh bearer token first');
  assert.equal(server.state.lastRevokeRequest.headers.authorization, `Bearer ${server.state.issued.accessTokens.at(-1)}`);
  assert.equal(store.size, 0);
});
