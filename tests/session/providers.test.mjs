// Sessions honour each provider's rules, against the emulator's flavours: where a 429 says how
// long to wait (Help Scout's X-RateLimit-Retry-After, Intercom's X-RateLimit-Reset), the API's
// Authorization scheme and host (Zoho), whether a 401 is a reason to refresh (HubSpot: no).
// The emulator runs on a test clock that the session's `sleep` moves on: nothing waits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';
import { providerConfig } from '../../emulator/index.mjs';

const pkg = (await loadPackage()).esm;
const CLIENT_ID = 'session-providers-app';
const CLIENT_SECRET = 'session-providers-secret-0123456789';
const clock = { now: Date.UTC(2026, 0, 15, 12, 0, 0) };

let server;
before(async () => {
  server = await startProviderServer({
    apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }],
    now: () => clock.now,
    rateLimit: { helpscout: { capacity: 1, windowSeconds: 30 } },
  });
});
after(() => server?.close());

/** A client, an installed token set in a session, and the sleeps the session asked for (each moves the clock). */
async function installed(provider, { scopes, sessionOptions = {} } = {}) {
  const client = new pkg.OAuthClient({ provider: providerConfig(server.url, provider), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes, now: () => clock.now });
  const { url, pending } = client.authorize({ account: 'acme' });
  const tokens = await client.exchangeCode(await followAuthorize(url), pending);
  const sleeps = [];
  const sleep = async (ms) => {
    sleeps.push(ms);
    clock.now += ms;
  };
  const store = new pkg.MemoryTokenStore();
  const session = pkg.createSession({ client, store, account: 'acme', now: () => clock.now, sleep, ...sessionOptions });
  await session.save(tokens);
  return { client, tokens, session, store, sleeps };
}

test('helpscout: a 429 is waited out for as long as X-RateLimit-Retry-After says', async () => {
  const { session, sleeps } = await installed('helpscout');
  const limited = server.state.rateLimited;
  assert.equal((await session.fetch('/users/me')).status, 200);
  const res = await session.fetch('/conversations');
  assert.equal(res.status, 200, 'answered after the wait');
  assert.equal(server.state.rateLimited, limited + 1);
  assert.equal(sleeps.length, 1);
  assert.ok(sleeps[0] >= 1000 && sleeps[0] <= 30_000, `waited ${sleeps[0]} ms`);
  // Longer than the session allows: the 429 is returned as it is.
  const { session: impatient, sleeps: none } = await installed('helpscout', { sessionOptions: { maxRetryAfterSeconds: 0 } });
  clock.now += 60_000;
  assert.equal((await impatient.fetch('/users/me')).status, 200);
  const res429 = await impatient.fetch('/users/me');
  assert.equal(res429.status, 429);
  assert.match(res429.headers.get('x-ratelimit-retry-after'), /^\d+$/);
  assert.deepEqual(none, []);
  clock.now += 60_000;
});

test('intercom: a 429 is waited out until X-RateLimit-Reset (no Retry-After there)', async () => {
  const limited = await startProviderServer({ apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }], now: () => clock.now, rateLimit: { intercom: { capacity: 1, windowSeconds: 20 } } });
  try {
    const client = new pkg.OAuthClient({ provider: providerConfig(limited.url, 'intercom'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, now: () => clock.now });
    const { url, pending } = client.authorize();
    const tokens = await client.exchangeCode(await followAuthorize(url), pending);
    const sleeps = [];
    const session = pkg.createSession({ client, store: new pkg.MemoryTokenStore(), key: 'intercom:acme', now: () => clock.now, sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    } });
    await session.save(tokens);
    assert.equal((await session.fetch('/me')).status, 200);
    const res = await session.fetch('/me');
    assert.equal(res.status, 200);
    assert.equal(limited.state.rateLimited, 1);
    // The reset is in whole seconds from the emulator's clock: the wait ends at it.
    assert.equal(sleeps.length, 1);
    assert.ok(sleeps[0] > 0 && sleeps[0] <= 20_000, `waited ${sleeps[0]} ms`);
  } finally {
    await limited.close();
  }
});

test('zoho: the session sends Zoho-oauthtoken to the API of the token set\'s data centre', async () => {
  const dc = await startProviderServer({ apps: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] }], now: () => clock.now, zohoDataCentre: 'in' });
  try {
    const client = new pkg.OAuthClient({ provider: providerConfig(dc.url, 'zoho'), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: ['Desk.tickets.READ'], now: () => clock.now });
    const { url, pending } = client.authorize();
    const tokens = await client.exchangeCode(await followAuthorize(url), pending);
    assert.equal(tokens.tenant, 'in');
    const session = pkg.createSession({ client, store: new pkg.MemoryTokenStore(), key: 'zoho:acme', now: () => clock.now });
    await session.save(tokens);
    const orgs = await session.fetch('/organizations');
    assert.equal(orgs.status, 200);
    assert.equal(orgs.url, `${dc.url}/zoho/in/desk/api/v1/organizations`);
    // A path that leaves the API base is refused before anything else happens.
    await assert.rejects(session.fetch('../../oauth/v2/token'), (e) => e.code === 'invalid_api_path');
    // Past the expiry the session refreshes at the same data centre, and keeps the refresh token.
    clock.now += 2 * 3_600_000;
    const res = await session.fetch('/organizations');
    assert.equal(res.status, 200);
    assert.equal(dc.state.lastTokenRequest.account, 'in');
  } finally {
    await dc.close();
  }
});
