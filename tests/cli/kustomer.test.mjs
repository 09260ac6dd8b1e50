// The Kustomer set-up from a terminal: register the private app and get its secret with an API
// key (the seed guide's steps 1-2, served by the emulator), then log in with those credentials,
// refresh with rotation, and delete locally (Kustomer has no revocation endpoint).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { installed, sandbox, run, login, freePort } from './support/cli.mjs';
import { makeGzipBomb, sendGzipBomb } from '../security/support/gzip-bomb.mjs';

const API_KEY = 'kapi_cli_test_6b1d2e';
let t;
let em;
let port;

before(async () => {
  t = await installed();
  port = await freePort();
  // Access tokens live 30 s, inside the CLI's default 60 s refresh window: every `token` refreshes.
  em = await t.emulator.startEmulator({
    kustomerApiKeys: [{ key: API_KEY, org: 'acme' }],
    expiresIn: 30,
  });
});
after(() => em?.close());

const storedTokens = (file) => JSON.parse(JSON.parse(readFileSync(file, 'utf8')).accounts['kustomer:acme'].tokens);

test('register-app and secret create a client that logs in; token rotates the refresh token; revoke deletes locally', async () => {
  const box = sandbox();
  box.env.KUSTOMER_API_KEY = API_KEY;
  const outputs = [];
  const keep = (r) => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const redirectUri = `http://127.0.0.1:${port}/callback`;

  const reg = keep(await run(t.bin, ['kustomer', 'register-app', '--base-url', em.url, '--app', 'myoauthapp', '--title', 'My OAuth App', '--redirect-uri', redirectUri, '--json'], box));
  assert.equal(reg.code, 0, reg.stderr);
  const app = JSON.parse(reg.stdout);
  assert.equal(app.app, 'myoauthapp_acme', 'namespaced with the org id');
  assert.deepEqual(app.redirectUris, [redirectUri]);
  assert.match(app.clientId, /^[0-9a-f]{24}$/);
  assert.equal(em.apps.at(-1).clientId, app.clientId);

  const human = keep(await run(t.bin, ['kustomer', 'register-app', '--base-url', `${em.url}/kustomer/acme`, '--app', 'myoauthapp', '--redirect-uri', redirectUri], box));
  assert.equal(human.code, 1, 'the same name and version again');
  assert.match(human.stderr, /HTTP 409/);
  assert.match(human.stderr, /next: the name and version exist/);

  const sec = await run(t.bin, ['kustomer', 'secret', '--base-url', em.url, '--app', app.app], box);
  assert.equal(sec.code, 0, sec.stderr);
  const clientSecret = /^client secret: (\S+)$/m.exec(sec.stdout)[1];
  assert.match(sec.stdout, new RegExp(`^client id: +${app.clientId}$`, 'm'));
  assert.equal(sec.stdout.split(clientSecret).length - 1, 1, 'the secret is printed exactly once');
  assert.match(sec.stderr, /shown once/);
  assert.ok(!sec.stderr.includes(clientSecret));

  // Log in with them: consent shows the registered title; Kustomer gets PKCE and offline_access.
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = clientSecret;
  const l = keep(await login(t, ['--provider', 'kustomer', '--base-url', `${em.url}/kustomer/{account}`, '--account', 'acme', '--client-id', app.clientId, '--port', String(port)], box, { json: true }));
  assert.equal(l.code, 0, l.stderr);
  const done = JSON.parse(l.stdout.trim().split('\n').at(-1));
  assert.equal(done.event, 'logged_in');
  assert.deepEqual(done.scopes, ['org.permission.customer', 'org.permission.conversation', 'offline_access']);
  assert.equal(done.refreshToken, true);
  assert.equal(done.store, box.storePath);
  assert.equal(new URL(l.authorizeUrl).searchParams.get('code_challenge_method'), 'S256');
  const firstRefresh = storedTokens(box.storePath).refresh_token;

  // The token expires within the refresh window: refreshed, and the rotated refresh token stored.
  const tok = await run(t.bin, ['token', '--account', 'acme'], box);
  assert.equal(tok.code, 0, tok.stderr);
  assert.equal(em.state.refreshRequests, 1);
  assert.equal(tok.stdout, `${em.state.issued.accessTokens.at(-1)}\n`);
  const rotated = storedTokens(box.storePath).refresh_token;
  assert.notEqual(rotated, firstRefresh);
  assert.equal(rotated, em.state.issued.refreshTokens.at(-1));
  const res = await fetch(`${em.url}/kustomer/acme/api/account`, { headers: { authorization: `Bearer ${tok.stdout.trim()}` } });
  assert.equal(res.status, 200);
  // The old refresh token is dead at the provider: the stored one is the only live grant.
  const old = await fetch(`${em.url}/kustomer/acme/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: firstRefresh, client_id: app.clientId, client_secret: clientSecret }),
  });
  assert.equal(old.status, 400);

  // A refresh needs the secret; without one (no terminal to prompt on) the user is told what to set.
  const noSecret = await run(t.bin, ['token', '--account', 'acme'], { ...box, env: { ...box.env, HELPDESK_OAUTH_CLIENT_SECRET: '' } });
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /no client secret given\n {2}next: set HELPDESK_OAUTH_CLIENT_SECRET/);
  assert.equal(storedTokens(box.storePath).refresh_token, rotated, 'nothing lost');

  // A new secret replaces the old one: refreshing with the old secret fails, tokens are kept.
  const sec2 = await run(t.bin, ['kustomer', 'secret', '--base-url', em.url, '--app', app.app, '--json'], box);
  const { clientSecret: newSecret } = JSON.parse(sec2.stdout);
  assert.notEqual(newSecret, clientSecret);
  const stale = keep(await run(t.bin, ['token', '--account', 'acme'], box));
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /invalid_client/);
  assert.match(stale.stderr, /kustomer secret` makes a new secret/);
  assert.equal(storedTokens(box.storePath).refresh_token, rotated, 'a refused refresh keeps the stored tokens');

  const rev = keep(await run(t.bin, ['revoke', '--account', 'acme'], box));
  assert.equal(rev.code, 0, rev.stderr);
  assert.match(rev.stdout, /no revocation endpoint: uninstall the app/);
  assert.equal(em.state.revokeRequests, 0);
  assert.deepEqual(JSON.parse(readFileSync(box.storePath, 'utf8')).accounts, {});

  for (const text of outputs) {
    assert.ok(!text.includes(API_KEY), 'the API key is never printed');
    assert.ok(!text.includes(clientSecret), 'the client secret is printed only by `kustomer secret`');
    assert.ok(!text.includes(rotated) && !text.includes(firstRefresh), 'refresh tokens are never printed');
  }
});

test('the API key: refused keys exit 1 with the roles to ask for; none at all exit 2 naming KUSTOMER_API_KEY', async () => {
  const box = sandbox();
  const wrong = await run(t.bin, ['kustomer', 'register-app', '--base-url', em.url, '--app', 'other', '--redirect-uri', 'http://127.0.0.1:9/cb', '--api-key', 'not-the-key-123'], box);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /Kustomer refused the API key \(401/);
  assert.match(wrong.stderr, /org\.admin\.apps and org\.permission\.apps/);
  assert.ok(!wrong.stderr.includes('not-the-key-123'));

  const none = await run(t.bin, ['kustomer', 'secret', '--base-url', em.url, '--app', 'myoauthapp_acme'], box);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no Kustomer API key given\n {2}next: set KUSTOMER_API_KEY/);

  const unknown = await run(t.bin, ['kustomer', 'secret', '--base-url', em.url, '--app', 'nosuchapp_acme'], { ...box, env: { ...box.env, KUSTOMER_API_KEY: API_KEY } });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /HTTP 404/);
});

test('a gzip bomb from the Kustomer API (200 KB that inflates to 200 MiB) is refused as response_too_large', async () => {
  const bomb = await makeGzipBomb();
  const server = http.createServer((req, res) => {
    req.resume();
    sendGzipBomb(res, bomb, 201);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const box = sandbox();
    const base = `http://127.0.0.1:${server.address().port}`;
    const r = await run(t.bin, ['kustomer', 'register-app', '--base-url', base, '--app', 'bomb', '--redirect-uri', 'http://127.0.0.1:9/cb', '--api-key', API_KEY], box);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /response_too_large: the Kustomer API answered with more than 1 MiB/);
    assert.ok(!r.stderr.includes(API_KEY));
  } finally {
    server.close();
  }
});

test('two `token` commands at once: one refresh, both print the live token, the rotated refresh token is kept', async () => {
  // Tokens that live an hour here, so that the refreshed one is outside the refresh window.
  const em2 = await t.emulator.startEmulator({ apps: [{ provider: 'kustomer', clientId: 'k-static', clientSecret: 'k-static-secret', redirectUris: [`http://127.0.0.1:${port}/callback`] }] , expiresIn: 3600 });
  try {
    const box = sandbox();
    box.env.HELPDESK_OAUTH_CLIENT_SECRET = 'k-static-secret';
    const l = await login(t, ['--provider', 'kustomer', '--base-url', `${em2.url}/kustomer/{account}`, '--account', 'acme', '--client-id', 'k-static', '--port', String(port)], box);
    assert.equal(l.code, 0, l.stderr);
    // An hour passes: the stored access token has expired.
    const file = JSON.parse(readFileSync(box.storePath, 'utf8'));
    const entry = file.accounts['kustomer:acme'];
    entry.tokens = JSON.stringify({ ...JSON.parse(entry.tokens), expires_at: Date.now() - 1000 });
    writeFileSync(box.storePath, JSON.stringify(file));
    const [a, b] = await Promise.all([run(t.bin, ['token', '--account', 'acme'], box), run(t.bin, ['token', '--account', 'acme'], box)]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(em2.state.refreshRequests, 1, 'the second process waited and used the stored result');
    assert.equal(a.stdout, b.stdout);
    assert.equal(a.stdout.trim(), em2.state.issued.accessTokens.at(-1));
    assert.equal(storedTokens(box.storePath).refresh_token, em2.state.issued.refreshTokens.at(-1));
  } finally {
    await em2.close();
  }
});

test('login with openid at Kustomer: invalid_scope, with the form Kustomer scopes take', async () => {
  const box = sandbox();
  const scopePort = await freePort();
  const em2 = await t.emulator.startEmulator({ apps: [{ provider: 'kustomer', clientId: 'scope-app', clientSecret: 'scope-secret', redirectUris: [`http://127.0.0.1:${scopePort}/callback`] }] });
  try {
    box.env.HELPDESK_OAUTH_CLIENT_SECRET = 'scope-secret';
    const l = await login(t, ['--provider', 'kustomer', '--base-url', `${em2.url}/kustomer/{account}`, '--account', 'acme', '--client-id', 'scope-app', '--port', String(scopePort), '--scopes', 'openid'], box);
    assert.equal(l.code, 1, l.stderr);
    assert.match(l.stderr, /invalid_scope: .*unknown scope openid; Kustomer scopes are roles of the form org\.permission\.\{resource\}/);
    assert.match(l.stderr, /next: check --scopes .* Kustomer takes roles such as org\.permission\.customer and offline_access, and no openid/);
  } finally {
    await em2.close();
  }
});
