// What a developer sees when the emulator refuses a request: one log line per refusal (what,
// status, why; never a secret), an error page for a bad redirect_uri that shows the sent and the
// registered URIs, scope errors that say what the provider's scopes look like, a busy port named
// as such, and the login command for each registered app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startEmulator, answerConsent, loginCommands } from '../../emulator/index.mjs';

const REDIRECT = 'http://127.0.0.1:8765/callback';
const GORGIAS_SECRET = 'gorgias-secret-never-logged';
const KUSTOMER_SECRET = 'kustomer-secret-never-logged';
const lines = [];
let em;

before(async () => {
  em = await startEmulator({
    apps: [
      { provider: 'gorgias', clientId: 'g-app', clientSecret: GORGIAS_SECRET, redirectUris: [REDIRECT] },
      { provider: 'kustomer', clientId: 'k-app', clientSecret: KUSTOMER_SECRET, redirectUris: [REDIRECT] },
    ],
    log: (line) => lines.push(line),
  });
});
after(() => em.close());

const authorizeUrl = (provider, params) =>
  `${em.url}/${provider}/acme/oauth/authorize?${new URLSearchParams({ response_type: 'code', redirect_uri: REDIRECT, state: 'st', ...params })}`;

/** Runs `fn` and returns the log lines it caused (the line is written once the answer is sent). */
async function logged(fn) {
  const before = lines.length;
  await fn();
  await new Promise((r) => setImmediate(r));
  return lines.slice(before);
}

function noSecrets(text) {
  for (const s of [GORGIAS_SECRET, KUSTOMER_SECRET, ...em.state.issued.codes, ...em.state.issued.accessTokens, ...em.state.issued.refreshTokens]) {
    assert.ok(!text.includes(s), 'a secret, code or token was logged');
  }
}

test('an unregistered redirect_uri: the page shows the sent and the registered URIs, says when only the port differs, and one line is logged', async () => {
  const sent = 'http://127.0.0.1:54321/callback';
  let res;
  let html;
  const log = await logged(async () => {
    res = await fetch(authorizeUrl('gorgias', { client_id: 'g-app', redirect_uri: sent, scope: 'openid' }), { redirect: 'manual' });
    html = await res.text();
  });
  assert.equal(res.status, 400);
  assert.match(html, /<h1>Invalid redirect_uri<\/h1>/);
  assert.match(html, /<dt>redirect_uri sent<\/dt><dd><code>http:\/\/127\.0\.0\.1:54321\/callback<\/code><\/dd>/);
  assert.match(html, /<dt>registered<\/dt><dd><code>http:\/\/127\.0\.0\.1:8765\/callback<\/code><\/dd>/);
  assert.match(html, /Only the port differs: the app must listen on 8765 \(helpdesk-oauth login: --port 8765\)/);
  assert.match(html, /<link rel="icon" href="data:,">/, 'no favicon request');
  assert.equal(log.length, 1, log.join('\n'));
  assert.match(log[0], /^emulator: refused GET \/gorgias\/acme\/oauth\/authorize → 400 Invalid redirect_uri: .*redirect_uri sent: http:\/\/127\.0\.0\.1:54321\/callback; registered: http:\/\/127\.0\.0\.1:8765\/callback/);
  assert.ok(!log[0].includes('state=st'), 'the query is not logged');
});

test('an unknown client_id: the page names it and the client ids registered at that provider', async () => {
  const res = await fetch(authorizeUrl('kustomer', { client_id: 'nope', scope: 'offline_access' }), { redirect: 'manual' });
  const html = await res.text();
  assert.equal(res.status, 400);
  assert.match(html, /<dt>client_id sent<\/dt><dd><code>nope<\/code>/);
  assert.match(html, /<dt>client ids registered at Kustomer<\/dt><dd><code>k-app<\/code>/);
});

test('openid at Kustomer: invalid_scope whose description shows the valid form (org.permission.*), logged once', async () => {
  let cb;
  const log = await logged(async () => {
    cb = new URL(await answerConsent(authorizeUrl('kustomer', { client_id: 'k-app', scope: 'openid offline_access' })));
  });
  assert.equal(cb.searchParams.get('error'), 'invalid_scope');
  const description = cb.searchParams.get('error_description');
  assert.match(description, /^unknown scope openid; Kustomer scopes are roles of the form org\.permission\.\{resource\}/);
  assert.match(description, /org\.permission\.customer org\.permission\.conversation/);
  assert.match(description, /offline_access for a refresh token; there is no openid/);
  assert.equal(log.length, 1);
  assert.match(log[0], /refused GET \/kustomer\/acme\/oauth\/authorize → 302 invalid_scope: unknown scope openid; Kustomer scopes/);

  const g = new URL(await answerConsent(authorizeUrl('gorgias', { client_id: 'g-app', scope: 'openid offline_access' })));
  assert.match(g.searchParams.get('error_description'), /^unknown scope offline_access; Gorgias scopes are openid, email, profile, offline \(for a refresh token\)/);
});

test('bad client authentication: the client gets invalid_client, the log says why without the secret', async () => {
  const code = new URL(await answerConsent(authorizeUrl('gorgias', { client_id: 'g-app', scope: 'openid offline' }))).searchParams.get('code');
  const form = (extra) => new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra }).toString();
  const post = (provider, body, headers = {}) =>
    fetch(`${em.url}/${provider}/acme/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

  const cases = [
    [() => post('gorgias', form({ client_id: 'g-app', client_secret: GORGIAS_SECRET })), /Gorgias takes the client credentials as HTTP Basic \(Authorization header\); client_secret was sent in the form body/],
    [() => post('gorgias', form({}), { authorization: `Basic ${Buffer.from(`g-app:${GORGIAS_SECRET}x`).toString('base64')}` }), /wrong client secret for client_id "g-app"/],
    [() => post('gorgias', form({}), { authorization: `Basic ${Buffer.from(`other:${GORGIAS_SECRET}`).toString('base64')}` }), /no app with client_id "other" is registered at Gorgias/],
    [() => post('kustomer', form({ client_id: 'k-app' }), { authorization: `Basic ${Buffer.from(`k-app:${KUSTOMER_SECRET}`).toString('base64')}` }), /Kustomer takes client_id and client_secret in the form body; an Authorization header was sent/],
    [() => post('kustomer', form({ client_id: 'k-app' })), /client_secret is missing/],
  ];
  for (const [call, why] of cases) {
    let res;
    const log = await logged(async () => {
      res = await call();
      await res.arrayBuffer();
    });
    assert.equal(res.status, 401);
    assert.equal(log.length, 1, log.join('\n'));
    assert.match(log[0], /refused POST \/(gorgias|kustomer)\/acme\/oauth\/token → 401 invalid_client: client authentication failed — /);
    assert.match(log[0], why);
    noSecrets(log[0]);
  }
});

test('successful requests log nothing; every refusal of the API is one line', async () => {
  const cb = await answerConsent(authorizeUrl('gorgias', { client_id: 'g-app', scope: 'openid offline tickets:read' }));
  const code = new URL(cb).searchParams.get('code');
  let token;
  const quiet = await logged(async () => {
    const res = await fetch(`${em.url}/gorgias/acme/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`g-app:${GORGIAS_SECRET}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).toString(),
    });
    token = (await res.json()).access_token;
    assert.equal((await fetch(`${em.url}/gorgias/acme/api/tickets`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
  });
  assert.deepEqual(quiet, []);
  const log = await logged(async () => {
    await (await fetch(`${em.url}/gorgias/acme/api/tickets`)).arrayBuffer();
    await (await fetch(`${em.url}/gorgias/acme/api/customers`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
  });
  assert.equal(log.length, 2, log.join('\n'));
  assert.match(log[0], /refused GET \/gorgias\/acme\/api\/tickets → 401 invalid_token: access token missing, invalid or expired$/);
  assert.match(log[1], /refused GET \/gorgias\/acme\/api\/customers → 403 insufficient_scope: this endpoint needs the customers:read scope/);
  noSecrets(log.join('\n'));
});

test('a busy port: startEmulator rejects with EADDRINUSE naming the port', async () => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address();
  try {
    const err = await startEmulator({ apps: [{ clientId: 'c', clientSecret: 's', redirectUris: [REDIRECT] }], port }).then(
      (e) => e.close().then(() => null),
      (e) => e,
    );
    assert.ok(err, 'the emulator must not start on a busy port');
    assert.equal(err.code, 'EADDRINUSE');
    assert.equal(err.port, port);
    assert.equal(err.message, `port ${port} is already in use (127.0.0.1:${port})`);
  } finally {
    blocker.close();
  }
});

test('loginCommands: --port for a loopback /callback URI, --redirect-uri for another path, a reason otherwise', () => {
  const url = 'http://127.0.0.1:4010';
  const lines = loginCommands({
    url,
    apps: [
      { provider: 'gorgias', clientId: 'a', redirectUris: ['https://app.example.com/cb', 'http://127.0.0.1:8765/callback'] },
      { provider: 'kustomer', clientId: 'b', redirectUris: ['http://127.0.0.1:9000/oauth/callback'] },
      { provider: 'gorgias', clientId: 'c', redirectUris: ['http://localhost:3000/callback'] },
    ],
  }, { accounts: { kustomer: 'shop' } });
  assert.deepEqual(lines, [
    `gorgias: helpdesk-oauth login --provider gorgias --base-url '${url}/gorgias/{account}' --account acme --client-id a --port 8765`,
    'gorgias: app c has no redirect URI the CLI can listen on; register http://127.0.0.1:PORT/callback and pass --port PORT to login',
    `kustomer: helpdesk-oauth login --provider kustomer --base-url '${url}/kustomer/{account}' --account shop --client-id b --redirect-uri http://127.0.0.1:9000/oauth/callback`,
  ]);
});

test('loginCommands: the other presets log in with the emulator\'s origin as --base-url', () => {
  const url = 'http://127.0.0.1:4010';
  const lines = loginCommands({
    url,
    apps: [
      { provider: 'zoho', clientId: 'z', redirectUris: ['http://127.0.0.1:8765/callback'] },
      { clientId: 'both', redirectUris: ['http://127.0.0.1:8766/callback'] },
      { provider: 'intercom', clientId: 'i', redirectUris: ['https://app.example.com/cb'] },
    ],
  });
  assert.deepEqual(lines, [
    `gorgias: helpdesk-oauth login --provider gorgias --base-url '${url}/gorgias/{account}' --account acme --client-id both --port 8766`,
    `kustomer: helpdesk-oauth login --provider kustomer --base-url '${url}/kustomer/{account}' --account acme --client-id both --port 8766`,
    `zoho: helpdesk-oauth login --provider zoho --base-url ${url} --account acme --client-id z --port 8765`,
    'intercom: app i has no redirect URI the CLI can listen on; register http://127.0.0.1:PORT/callback and pass --port PORT to login',
  ]);
});
