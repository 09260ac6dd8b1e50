// The CommonJS entry (`require('helpdesk-oauth')` from the installed package) works like the ESM
// one: same exports, a full Gorgias flow, its own error class, and storage forms that both builds read.
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
  REDIRECT_URI,
} from './support/provider-server.mjs';

const pkg = await loadPackage();
const { esm } = pkg;

const CLIENT_ID = 'cjs-client';
const CLIENT_SECRET = 'cjs-secret-abcdef-0123';
const SCOPES = ['openid', 'email', 'profile', 'offline', 'tickets:read'];
const API = ['OAuthClient', 'AuthorizationRequest', 'PendingAuthorization', 'TokenSet', 'HelpdeskOAuthError', 'validateAccount', 'accountFromInstallUrl'];

let server;
before(async () => {
  server = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] });
});
after(() => server?.close());

test('require() loads the package and exposes the same API as import', () => {
  const cjs = pkg.cjs;
  for (const name of API) {
    assert.equal(typeof cjs[name], 'function', `CJS export ${name}`);
    assert.equal(typeof esm[name], 'function', `ESM export ${name}`);
  }
  assert.equal(cjs.validateAccount('ACME'), 'acme');
});

test('CJS: full Gorgias flow with refresh and revoke', async () => {
  const { OAuthClient, HelpdeskOAuthError, accountFromInstallUrl } = pkg.cjs;
  const client = new OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const account = accountFromInstallUrl('https://app.example.com/install?account=acme');
  const req = client.authorize({ account });
  const tokens = await client.exchangeCode(await followAuthorize(req.url), req.pending.serialize());
  assert.equal(tokens.accessToken, server.state.issued.accessTokens.at(-1));
  assert.equal(tokens.refreshToken, server.state.issued.refreshTokens.at(-1));
  assert.equal(tokens.tokenType, 'Bearer');
  assert.equal(tokens.idTokenClaims().nonce, req.nonce);
  assert.ok(Math.abs(tokens.expiresAt - (Date.now() + 86_400_000)) < 5000);
  assert.match(server.state.lastTokenRequest.headers.authorization, /^Basic /);

  const api = await fetch(client.apiUrl('/account', 'acme'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
  assert.equal(api.status, 200);
  await api.text();

  const refreshed = await client.refresh(tokens);
  assert.notEqual(refreshed.accessToken, tokens.accessToken);
  assert.equal(refreshed.refreshToken, tokens.refreshToken);
  await client.revoke(refreshed);
  const err = await client.refresh(refreshed).then(() => null, (e) => e);
  assertOAuthError(err, HelpdeskOAuthError, 'invalid_grant', issuedSecrets(server, CLIENT_SECRET));
  assert.equal(err.status, 400);
});

test('CJS: errors are its HelpdeskOAuthError (sync and async)', async () => {
  const { OAuthClient, HelpdeskOAuthError, validateAccount } = pkg.cjs;
  let err;
  try {
    validateAccount('acme.gorgias.com.evil.com');
  } catch (e) {
    err = e;
  }
  assertOAuthError(err, HelpdeskOAuthError, 'invalid_account', []);

  const client = new OAuthClient({ provider: kustomerProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: ['org.permission.customer', 'offline_access'] });
  const req = client.authorize({ account: 'myorg' });
  const tokens = await client.exchangeCode(await followAuthorize(req.url), req.pending);
  assert.equal(server.state.lastTokenRequest.params.client_secret, CLIENT_SECRET);
  assert.equal(server.state.lastTokenRequest.params.code_verifier, JSON.parse(req.pending.serialize()).code_verifier);
  const revokeErr = await client.revoke(tokens).then(() => null, (e) => e);
  assertOAuthError(revokeErr, HelpdeskOAuthError, 'revocation_unsupported', issuedSecrets(server, CLIENT_SECRET));
});

test('storage forms written by one build are read by the other', async () => {
  const esmClient = new esm.OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const cjsClient = new pkg.cjs.OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES });
  const req = esmClient.authorize({ account: 'acme' });
  // Authorize in one build, finish in the other (as two processes of one app would).
  const tokens = await cjsClient.exchangeCode(await followAuthorize(req.url), req.pending.serialize());
  assert.equal(tokens.idTokenClaims().nonce, req.nonce);
  const inEsm = esm.TokenSet.fromJSON(tokens.serialize());
  assert.equal(inEsm.accessToken, tokens.accessToken);
  const refreshed = await esmClient.refresh(inEsm);
  assert.equal(refreshed.refreshToken, tokens.refreshToken);
});
