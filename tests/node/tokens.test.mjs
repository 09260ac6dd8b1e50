// TokenSet and PendingAuthorization as values (storage round trip, expiry, redaction) and the
// injected `fetch` option, through the packed and installed package (ESM).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import util from 'node:util';
import { loadPackage } from './support/install-package.mjs';
import {
  startProviderServer,
  gorgiasProvider,
  kustomerProvider,
  followAuthorize,
  assertOAuthError,
  REDIRECT_URI,
} from './support/provider-server.mjs';

const { esm } = await loadPackage();
const { OAuthClient, TokenSet, PendingAuthorization, HelpdeskOAuthError } = esm;

const CLIENT_ID = 'tokens-client';
const G_SECRET = 'gorgias-secret-tokens-0001';
const K_SECRET = 'kustomer-secret-tokens-0002';
const G_SCOPES = ['openid', 'email', 'profile', 'offline', 'tickets:read'];
const K_SCOPES = ['org.permission.customer', 'offline_access'];

let server;
let gorgias;
let kustomer;
before(async () => {
  server = await startProviderServer({
    apps: [
      { provider: 'gorgias', clientId: CLIENT_ID, clientSecret: G_SECRET, redirectUris: [REDIRECT_URI] },
      { provider: 'kustomer', clientId: CLIENT_ID, clientSecret: K_SECRET, redirectUris: [REDIRECT_URI] },
    ],
  });
  gorgias = new OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: G_SECRET, redirectUri: REDIRECT_URI, scopes: G_SCOPES });
  kustomer = new OAuthClient({ provider: kustomerProvider(server.url), clientId: CLIENT_ID, clientSecret: K_SECRET, redirectUri: REDIRECT_URI, scopes: K_SCOPES });
});
after(() => server?.close());

async function gorgiasTokens() {
  const req = gorgias.authorize({ account: 'acme' });
  return gorgias.exchangeCode(await followAuthorize(req.url), req.pending);
}

function renderings(value) {
  return [
    util.inspect(value),
    util.inspect(value, { showHidden: true, depth: 10 }),
    util.format('%o', value),
    util.format('%s', value),
    // A JSON logger: toJSON is the safe view, serialize() the storage form.
    JSON.stringify(value),
    JSON.stringify({ nested: [value] }),
    String(value),
    `${value}`,
  ];
}

test('TokenSet JSON round trip keeps every field and stays usable', async () => {
  const tokens = await gorgiasTokens();
  const json = tokens.serialize();
  const stored = JSON.parse(json);
  assert.equal(stored.v, 1);
  assert.equal(stored.token_type, 'Bearer');
  assert.equal(stored.access_token, tokens.accessToken);
  assert.equal(stored.refresh_token, tokens.refreshToken);
  assert.equal(stored.id_token, tokens.idToken);
  assert.deepEqual(stored.scope, G_SCOPES);
  assert.equal(stored.expires_at, tokens.expiresAt);
  assert.equal(stored.obtained_at, tokens.obtainedAt);
  assert.equal(stored.account, 'acme');
  assert.equal(stored.provider, 'gorgias');

  for (const restored of [TokenSet.fromJSON(json), TokenSet.fromJSON(stored), TokenSet.fromJSON(tokens.serialize())]) {
    for (const k of ['accessToken', 'refreshToken', 'idToken', 'tokenType', 'expiresAt', 'obtainedAt', 'account', 'provider']) {
      assert.equal(restored[k], tokens[k], k);
    }
    assert.deepEqual(restored.scopes, tokens.scopes);
    assert.deepEqual(restored.idTokenClaims(), tokens.idTokenClaims());
  }
  const refreshed = await gorgias.refresh(TokenSet.fromJSON(json));
  assert.equal(refreshed.refreshToken, tokens.refreshToken);
  assert.equal(server.state.lastTokenRequest.params.refresh_token, tokens.refreshToken);
});

test('TokenSet.fromJSON refuses what is not a token set', () => {
  const cases = ['not json', '{}', '{"v":2,"provider":"gorgias","token_type":"Bearer","access_token":"x","scope":[],"obtained_at":1}', '[]', JSON.stringify({ v: 1, provider: 'gorgias', token_type: 'Bearer', scope: [], obtained_at: 1 })];
  for (const input of cases) {
    let err;
    try {
      TokenSet.fromJSON(input);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `accepted ${input}`);
    assertOAuthError(err, HelpdeskOAuthError, 'token_set_invalid', []);
  }
});

test('isExpired honours skew and the given clock', async () => {
  const tokens = await gorgiasTokens();
  const now = Date.now();
  assert.equal(tokens.isExpired(60, now), false);
  assert.equal(tokens.isExpired(), false);
  assert.equal(tokens.isExpired(0, tokens.expiresAt + 1), true);
  assert.equal(tokens.isExpired(0, tokens.expiresAt - 1000), false);
  assert.equal(tokens.isExpired(60, tokens.expiresAt - 30_000), true, 'expires within the skew');
  assert.equal(tokens.isExpired(60, tokens.expiresAt - 61_000), false);
  assert.equal(tokens.isExpired(86_400 + 60, now), true, 'a skew longer than the lifetime');
});

test('redaction: inspecting or printing a TokenSet shows no token', async () => {
  const tokens = await gorgiasTokens();
  const hidden = [tokens.accessToken, tokens.refreshToken, tokens.idToken];
  for (const text of renderings(tokens)) {
    for (const h of hidden) assert.ok(!text.includes(h), `TokenSet rendering leaks a token: ${text}`);
  }
});

test('redaction: a PendingAuthorization / AuthorizationRequest / client never shows the verifier or the secret', () => {
  const req = kustomer.authorize({ account: 'myorg' });
  const verifier = JSON.parse(req.pending.serialize()).code_verifier;
  assert.ok(verifier, 'serialize() (the storage form) holds the verifier');
  assert.equal(JSON.stringify(req.pending).includes(req.state), false, 'toJSON shows no state');
  assert.ok(req.pending.serialize().length > 0);
  for (const value of [req.pending, req]) {
    for (const text of renderings(value)) {
      assert.ok(!text.includes(verifier), `rendering leaks the PKCE verifier: ${text}`);
    }
  }
  for (const value of [kustomer, gorgias]) {
    for (const text of [...renderings(value), JSON.stringify(value) ?? '']) {
      assert.ok(!text.includes(K_SECRET) && !text.includes(G_SECRET), `client rendering leaks the client secret: ${text}`);
    }
  }
});

test('PendingAuthorization round trip and refusal of garbage', async () => {
  const req = kustomer.authorize({ account: 'myorg' });
  const restored = PendingAuthorization.deserialize(req.pending.serialize());
  assert.equal(restored.serialize(), req.pending.serialize());
  assert.deepEqual(restored.toJSON(), req.pending.toJSON());
  // The restored record completes the flow (verifier included).
  const tokens = await kustomer.exchangeCode(await followAuthorize(req.url), restored);
  assert.equal(tokens.accessToken, server.state.issued.accessTokens.at(-1));

  for (const bad of ['', 'garbage', '{"v":1}', JSON.stringify({ ...JSON.parse(req.pending.serialize()), v: 99 })]) {
    let err;
    try {
      PendingAuthorization.deserialize(bad);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `accepted ${bad}`);
    assertOAuthError(err, HelpdeskOAuthError, 'pending_invalid', [JSON.parse(req.pending.serialize()).code_verifier]);
  }
});

test('an injected fetch is used for every request, with redirect: manual', async () => {
  const realFetch = globalThis.fetch;
  const calls = [];
  const injected = async (url, init) => {
    calls.push({ url, init });
    return realFetch(url, init);
  };
  const c = new OAuthClient({ provider: gorgiasProvider(server.url), clientId: CLIENT_ID, clientSecret: G_SECRET, redirectUri: REDIRECT_URI, scopes: G_SCOPES, fetch: injected });
  const req = c.authorize({ account: 'acme' });
  const callbackUrl = await followAuthorize(req.url);

  globalThis.fetch = () => {
    throw new Error('globalThis.fetch must not be used when a fetch option is given');
  };
  let tokens, refreshed;
  try {
    tokens = await c.exchangeCode(callbackUrl, req.pending);
    refreshed = await c.refresh(tokens);
    await c.revoke(refreshed);
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(calls.length, 3);
  assert.deepEqual(calls.map((x) => x.url), [
    `${server.url}/gorgias/acme/oauth/token`,
    `${server.url}/gorgias/acme/oauth/token`,
    `${server.url}/gorgias/acme/oauth/revoke`,
  ]);
  for (const { init } of calls) {
    assert.equal(init.method, 'POST');
    assert.equal(init.redirect, 'manual');
    assert.equal(typeof init.body, 'string');
    const ctype = Object.entries(init.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    assert.match(ctype, /^application\/x-www-form-urlencoded/);
  }
  assert.equal(new URLSearchParams(calls[0].init.body).get('grant_type'), 'authorization_code');
  assert.equal(new URLSearchParams(calls[1].init.body).get('grant_type'), 'refresh_token');
  assert.equal(new URLSearchParams(calls[2].init.body).get('token'), tokens.refreshToken);
  assert.equal(server.state.revokeRequests > 0, true);
});

test('timeoutMs ends with the request: no timer outlives a finished request to abort its signal later', async () => {
  // Answered in-process: the whole request runs in microtasks, so its timeout cannot fire during
  // it; only a timer left behind afterwards can abort the signal.
  const signals = [];
  const c = new OAuthClient({
    provider: 'gorgias',
    clientId: CLIENT_ID,
    clientSecret: G_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: ['offline', 'tickets:read'],
    timeoutMs: 1,
    fetch: async (url, init) => {
      signals.push(init.signal);
      const body = { access_token: 'at_timer_check', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt_timer_check' };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  const req = c.authorize({ account: 'acme' });
  const tokens = await c.exchangeCode(`${REDIRECT_URI}?code=c0de&state=${req.state}`, req.pending);
  await c.refresh(tokens);
  assert.equal(signals.length, 2);
  // Timers fire in order of expiry: once this later one has run, a 1 ms timeout left behind has too.
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const signal of signals) {
    assert.ok(signal instanceof AbortSignal);
    assert.equal(signal.aborted, false, 'a finished request\'s signal was aborted by its timeout');
  }
});

test('a fetch that throws becomes network_error without leaking the code', async () => {
  const c = new OAuthClient({
    provider: gorgiasProvider(server.url),
    clientId: CLIENT_ID,
    clientSecret: G_SECRET,
    redirectUri: REDIRECT_URI,
    scopes: G_SCOPES,
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
  });
  const req = c.authorize({ account: 'acme' });
  const callbackUrl = await followAuthorize(req.url);
  const code = new URL(callbackUrl).searchParams.get('code');
  const err = await c.exchangeCode(callbackUrl, req.pending).then(() => null, (e) => e);
  assertOAuthError(err, HelpdeskOAuthError, 'network_error', [code, G_SECRET]);
});
