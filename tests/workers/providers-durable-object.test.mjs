// The token Durable Object and DurableObjectSession honour each provider's rules, in workerd
// (miniflare) against the emulator's flavours: Help Scout's 429 wait in X-RateLimit-Retry-After,
// Zoho's `Zoho-oauthtoken` scheme and the data centre kept with the tokens (API host and refresh),
// Zendesk's rotation and its revocation by DELETE with the bearer token the object holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, followAuthorize, REDIRECT_URI } from '../node/support/provider-server.mjs';
import { providerConfig } from '../../emulator/index.mjs';
import { startStoreWorker } from './support/store-harness.mjs';

const CLIENT_ID = 'do-providers-client';
const CLIENT_SECRET = 'do-providers-client-secret-value';
const SCOPES = { helpscout: [], zoho: ['Desk.tickets.READ'], zendesk: ['read'] };

let pkg;
let emulator;
let clockServer;
let clockOffsetMs = 0; // the emulator's clock runs ahead by this much; the worker's sleep moves it
const workers = {};

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    now: () => Date.now() + clockOffsetMs,
    zohoDataCentre: 'jp',
    rateLimit: { helpscout: { capacity: 1, windowSeconds: 30 } },
  });
  clockServer = http.createServer((req, res) => {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms'));
    if (req.method === 'POST' && Number.isFinite(ms) && ms >= 0) clockOffsetMs += ms;
    res.writeHead(204).end();
  });
  await new Promise((r) => clockServer.listen(0, '127.0.0.1', r));
  const clockUrl = `http://127.0.0.1:${clockServer.address().port}`;
  const common = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, clockUrl };
  const started = await Promise.all(Object.keys(SCOPES).map((p) => startStoreWorker({ ...common, provider: providerConfig(emulator.url, p), scopes: SCOPES[p] })));
  Object.keys(SCOPES).forEach((p, i) => (workers[p] = started[i]));
});

after(async () => {
  await Promise.all(Object.values(workers).map((w) => w.dispose()));
  await new Promise((r) => (clockServer ? clockServer.close(r) : r()));
  await emulator?.close();
});

async function installInto(provider, account) {
  const client = new pkg.OAuthClient({ provider: providerConfig(emulator.url, provider), clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, scopes: SCOPES[provider], now: () => Date.now() + clockOffsetMs });
  const { url, pending } = client.authorize({ account });
  const tokens = await client.exchangeCode(await followAuthorize(url), pending);
  assert.deepEqual(await workers[provider].call('do-save', { account, value: tokens.serialize() }), { saved: true });
  return tokens;
}

test('helpscout: the Durable Object session waits as long as X-RateLimit-Retry-After says', async () => {
  await installInto('helpscout', 'hs-limited');
  const first = await workers.helpscout.call('do-fetch', { account: 'hs-limited', path: '/users/me' });
  assert.equal(first.status, 200, JSON.stringify(first));
  const limited = emulator.state.rateLimited;
  const res = await workers.helpscout.call('do-fetch', { account: 'hs-limited', path: '/users/me', sleep: 'advance' });
  assert.equal(res.status, 200, JSON.stringify(res));
  assert.equal(emulator.state.rateLimited, limited + 1);
  assert.equal(res.sleeps.length, 1);
  assert.ok(res.sleeps[0].ms >= 1000 && res.sleeps[0].ms <= 30_000, `slept ${res.sleeps[0].ms} ms`);
});

test('zoho: Zoho-oauthtoken to the Desk API of the stored data centre; a refresh there keeps the refresh token', async () => {
  const tokens = await installInto('zoho', 'zoho-org');
  assert.equal(tokens.tenant, 'jp');
  const res = await workers.zoho.call('do-fetch', { account: 'zoho-org', path: '/organizations' });
  assert.equal(res.status, 200, JSON.stringify(res));
  assert.equal(res.body.data.length, 1);
  // An hour and more later (the object's clock is the real one: move the provider's instead and
  // let the object find the token expired through a stale-token refresh).
  const refreshes = emulator.state.refreshRequests;
  clockOffsetMs += 2 * 3_600_000;
  const after = await workers.zoho.call('do-fetch', { account: 'zoho-org', path: '/organizations' });
  assert.equal(after.status, 200, JSON.stringify(after));
  assert.equal(emulator.state.refreshRequests, refreshes + 1, 'the 401 made the object refresh');
  assert.equal(emulator.state.lastTokenRequest.account, 'jp');
  assert.equal(emulator.state.lastTokenRequest.params.refresh_token, tokens.refreshToken);
});

test('zendesk: after a 401 the object refreshes (a new refresh token stored), and revokes by DELETE with the live bearer', async () => {
  await installInto('zendesk', 'zd-leaving');
  clockOffsetMs += 3_600_000; // the 30-minute access token is dead at the provider
  const refreshes = emulator.state.refreshRequests;
  const stale = await workers.zendesk.call('do-fetch', { account: 'zd-leaving', path: '/users/me.json' });
  assert.equal(stale.status, 200, 'refreshed on the 401');
  assert.equal(emulator.state.refreshRequests, refreshes + 1);
  assert.deepEqual(await workers.zendesk.call('do-revoke', { account: 'zd-leaving' }), { revokedAtProvider: true });
  assert.equal(emulator.state.lastRevokeRequest.headers.authorization, `Bearer ${emulator.state.issued.accessTokens.at(-1)}`);
  assert.deepEqual(await workers.zendesk.call('do-stored', { account: 'zd-leaving' }), { keys: 0 });
});
