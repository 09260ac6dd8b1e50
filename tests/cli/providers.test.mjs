// `helpdesk-oauth login --provider NAME` for the presets beyond Gorgias and Kustomer, against the
// emulator's flavours (--base-url is the emulator's URL): Zoho with the user in the EU data
// centre (status shows it as the tenant; token refreshes there; revoke reaches it), Front without
// scopes, HubSpot whose hub_id is the tenant.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { installed, sandbox, run, login, freePort } from './support/cli.mjs';

const CLIENT_ID = 'cli-providers-app';
const SECRET = 'cli-providers-secret-7c1d';
let t;
let em;
let port;

before(async () => {
  t = await installed();
  port = await freePort();
  em = await t.emulator.startEmulator({
    apps: [{ clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [`http://127.0.0.1:${port}/callback`] }],
    zohoDataCentre: 'eu',
  });
});
after(() => em?.close());

const stored = (file) => JSON.parse(readFileSync(file, 'utf8'));
const args = (provider, ...more) => ['--provider', provider, '--base-url', em.url, '--account', 'acme', '--client-id', CLIENT_ID, '--port', String(port), ...more];

test('zoho: login lands in the EU data centre; status shows it; token refreshes there; revoke reaches it', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const l = await login(t, args('zoho'), box, { json: true });
  assert.equal(l.code, 0, l.stderr);
  const authorize = new URL(l.authorizeUrl);
  assert.equal(authorize.pathname, '/zoho/us/oauth/v2/auth');
  assert.equal(authorize.searchParams.get('scope'), 'Desk.tickets.READ,Desk.basic.READ');
  assert.equal(authorize.searchParams.get('access_type'), 'offline');
  assert.equal(em.state.lastTokenRequest.account, 'eu');

  const s = await run(t.bin, ['status', '--json'], box);
  assert.equal(s.code, 0, s.stderr);
  const [row] = JSON.parse(s.stdout).accounts;
  assert.equal(row.provider, 'zoho');
  assert.equal(row.tenant, 'eu');
  const human = await run(t.bin, ['status'], box);
  assert.match(human.stdout, /zoho:acme {2}client cli-providers-app\n {2}scopes: Desk\.tickets\.READ Desk\.basic\.READ\n {2}tenant: eu\n/);

  const token = await run(t.bin, ['token', '--account', 'acme', '--min-valid', '7200', '--json'], box);
  assert.equal(token.code, 0, token.stderr);
  assert.equal(JSON.parse(token.stdout).refreshed, true);
  assert.equal(em.state.lastTokenRequest.account, 'eu');
  const entry = stored(box.storePath).accounts['zoho:acme'];
  assert.equal(JSON.parse(entry.tokens).tenant, 'eu');
  assert.equal(JSON.parse(entry.tokens).refresh_token, em.state.issued.refreshTokens.at(-1), 'Zoho sends none: the stored one stays');

  const revokes = em.state.revokeRequests;
  const r = await run(t.bin, ['revoke', '--account', 'acme', '--json'], box);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).revokedAtProvider, true);
  assert.equal(em.state.revokeRequests, revokes + 1);
  assert.equal(em.state.lastRevokeRequest.account, 'eu');
});

test('front: login without scopes (--scopes is a usage error), Basic at the token endpoint', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const refused = await run(t.bin, ['login', ...args('front', '--scopes', 'read')], box);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /front takes no scopes/);
  const l = await login(t, args('front'), box, { json: true });
  assert.equal(l.code, 0, l.stderr);
  assert.equal(new URL(l.authorizeUrl).searchParams.get('scope'), null);
  assert.match(em.state.lastTokenRequest.headers.authorization, /^Basic /);
  const [row] = JSON.parse((await run(t.bin, ['status', '--json'], box)).stdout).accounts;
  assert.deepEqual([row.provider, row.scopes, row.tenant], ['front', [], null]);
  const human = await run(t.bin, ['status'], box);
  assert.match(human.stdout, /scopes: \(set on the app\)/);
  // No revocation endpoint: deleted here, with the reminder.
  const r = await run(t.bin, ['revoke', '--account', 'acme'], box);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /no revocation endpoint/);
});

test('hubspot: the hub_id is the tenant status shows', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const l = await login(t, args('hubspot'), box, { json: true });
  assert.equal(l.code, 0, l.stderr);
  const [row] = JSON.parse((await run(t.bin, ['status', '--json'], box)).stdout).accounts;
  assert.match(row.tenant, /^\d{8}$/);
  const details = await fetch(`${em.url}/hubspot/acme/api/account-info/v3/details`, { headers: { authorization: `Bearer ${em.state.issued.accessTokens.at(-1)}` } });
  assert.equal(String((await details.json()).portalId), row.tenant);
});
