// `helpdesk-oauth login / status / token / revoke` for Gorgias against the emulator, as an app
// builder runs them: the real bin from the packed package, a real browser stand-in following the
// printed URL, the per-user token file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { installed, sandbox, run, start, login, freePort, shellWords } from './support/cli.mjs';

const CLIENT_ID = 'cli-gorgias-app';
const SECRET = 'cli-gorgias-secret-9f3a';
let t;
let em;
let port;

before(async () => {
  t = await installed();
  port = await freePort();
  em = await t.emulator.startEmulator({
    apps: [{ provider: 'gorgias', name: 'CLI test app', clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [`http://127.0.0.1:${port}/callback`] }],
    expiresIn: 3600,
  });
});
after(() => em?.close());

const base = () => `${em.url}/gorgias/{account}`;
const api = (token) => fetch(`${em.url}/gorgias/acme/api/account`, { headers: { authorization: `Bearer ${token}` } });
const stored = (file) => JSON.parse(readFileSync(file, 'utf8'));

test('login, status, token before and after the refresh window, revoke, then token says to log in again', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const outputs = [];
  const keep = (r) => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  // login: the URL is printed, the consent approved, the loopback server gets the code.
  const l = keep(await login(t, ['--provider', 'gorgias', '--base-url', base(), '--account', 'acme', '--client-id', CLIENT_ID, '--port', String(port)], box));
  assert.equal(l.code, 0, l.stderr);
  const authorize = new URL(l.authorizeUrl);
  assert.equal(authorize.searchParams.get('redirect_uri'), `http://127.0.0.1:${port}/callback`);
  assert.deepEqual(authorize.searchParams.get('scope').split(' '), ['openid', 'email', 'profile', 'offline', 'account:read']);
  assert.equal(l.page.status, 200);
  assert.match(l.page.body, /connected to gorgias account acme/);
  assert.match(l.stdout, /Logged in to gorgias account acme as Alice Agent/);
  assert.match(l.stderr, /Waiting for the browser: 5:00 left/, 'the countdown is shown');
  assert.ok(l.stdout.includes(`tokens stored in ${box.storePath} (mode 0600)`), l.stdout);

  // The token file: per user under XDG_CONFIG_HOME, 0600 in a 0700 directory, not in the cwd.
  assert.equal(statSync(box.storePath).mode & 0o777, 0o600);
  assert.equal(statSync(path.dirname(box.storePath)).mode & 0o777, 0o700);
  const [firstAccess] = em.state.issued.accessTokens.slice(-1);
  const [refreshToken] = em.state.issued.refreshTokens.slice(-1);
  const entry = stored(box.storePath).accounts['gorgias:acme'];
  assert.equal(JSON.parse(entry.tokens).refresh_token, refreshToken);
  assert.equal(entry.client.clientId, CLIENT_ID);
  assert.ok(!JSON.stringify(entry).includes(SECRET), 'the client secret is not stored');

  // status: scopes and expiry, never a token.
  const s = keep(await run(t.bin, ['status', '--json'], box));
  assert.equal(s.code, 0, s.stderr);
  const [row] = JSON.parse(s.stdout).accounts;
  assert.equal(row.account, 'acme');
  assert.equal(row.refreshToken, true);
  assert.ok(row.expiresInSeconds > 3500 && row.expiresInSeconds <= 3600, String(row.expiresInSeconds));
  const human = keep(await run(t.bin, ['status'], box));
  assert.match(human.stdout, /gorgias:acme {2}client cli-gorgias-app\n {2}scopes: openid email profile offline account:read\n {2}access token: expires in (59m|1h)/);

  // token before expiry: the stored token, no refresh, no secret needed.
  const noSecret = { ...box, env: { ...box.env, HELPDESK_OAUTH_CLIENT_SECRET: '' } };
  const t1 = await run(t.bin, ['token', '--account', 'acme'], noSecret);
  assert.equal(t1.code, 0, t1.stderr);
  assert.equal(t1.stdout, `${firstAccess}\n`);
  assert.equal(t1.stderr, '');
  assert.equal(em.state.refreshRequests, 0);
  assert.equal((await api(t1.stdout.trim())).status, 200);

  // Inside the refresh window (the token lives 3600 s, we want 7200): refreshed; Gorgias sends no
  // new refresh token, so the stored one is kept.
  const t2 = await run(t.bin, ['token', '--account', 'acme', '--min-valid', '7200', '--json'], box);
  assert.equal(t2.code, 0, t2.stderr);
  const j2 = JSON.parse(t2.stdout);
  assert.equal(j2.refreshed, true);
  assert.equal(em.state.refreshRequests, 1);
  assert.equal(j2.accessToken, em.state.issued.accessTokens.at(-1));
  assert.notEqual(j2.accessToken, firstAccess);
  assert.equal(JSON.parse(stored(box.storePath).accounts['gorgias:acme'].tokens).refresh_token, refreshToken);
  assert.equal((await api(j2.accessToken)).status, 200);
  assert.equal(statSync(box.storePath).mode & 0o777, 0o600, 'rewritten files keep mode 0600');

  // revoke: at the emulator (RFC 7009 with the refresh token), then gone from the file.
  const r = keep(await run(t.bin, ['revoke', '--account', 'acme'], box));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(em.state.revokeRequests, 1);
  assert.equal(em.state.lastRevokeRequest.params.token, refreshToken);
  assert.match(r.stdout, /Revoked the grant for gorgias:acme at the provider/);
  assert.deepEqual(stored(box.storePath).accounts, {});

  const after = keep(await run(t.bin, ['token', '--account', 'acme'], box));
  assert.equal(after.code, 3);
  assert.match(after.stderr, /no tokens stored for account acme/);
  assert.match(after.stderr, /next: run `helpdesk-oauth login --account acme --client-id ID`/);

  for (const text of outputs) {
    assert.ok(!text.includes(SECRET), 'the client secret is never printed');
    assert.ok(!text.includes(refreshToken), 'the refresh token is never printed');
    assert.ok(!text.includes(firstAccess), 'access tokens only come out of `token`');
  }
});

test('a revoked refresh token: exit 3, the dead tokens are deleted, and the printed login command, run as printed, logs in at the same endpoints', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const args = ['--provider', 'gorgias', '--base-url', base(), '--account', 'acme', '--client-id', CLIENT_ID, '--port', String(port), '--scopes', 'openid,offline,tickets:read'];
  assert.equal((await login(t, args, box)).code, 0);

  em.state.nextTokenFault = 'invalid_grant'; // the merchant uninstalled the app
  const dead = await run(t.bin, ['token', '--account', 'acme', '--min-valid', '7200'], box);
  assert.equal(dead.code, 3, dead.stderr);
  assert.match(dead.stderr, /refresh token revoked or app uninstalled/);
  const original = `helpdesk-oauth login --provider gorgias --base-url '${base()}' --account acme --client-id ${CLIENT_ID} --port ${port}`;
  assert.ok(dead.stderr.includes(`next: run \`${original}\` again`), dead.stderr);
  assert.equal(stored(box.storePath).accounts['gorgias:acme'].tokens, undefined);

  const status = await run(t.bin, ['status', '--account', 'acme'], box);
  assert.equal(status.code, 3);
  assert.ok(status.stdout.includes(`not logged in — run: ${original}\n`), status.stdout);
  assert.ok(status.stderr.includes(`next: run \`${original}\``), status.stderr);

  // The suggested command works as printed: the emulator's endpoints, not gorgias.com; the scopes come from the file.
  const [cmd, ...words] = shellWords(original);
  assert.equal(cmd, 'helpdesk-oauth');
  const again = await login(t, words.slice(1), box);
  assert.equal(again.code, 0, again.stderr);
  assert.ok(again.authorizeUrl.startsWith(`${em.url}/gorgias/acme/oauth/authorize?`), again.authorizeUrl);
  assert.equal(new URL(again.authorizeUrl).searchParams.get('scope'), 'openid offline tickets:read');
  const token = await run(t.bin, ['token', '--account', 'acme'], box);
  assert.equal(token.stdout.trim(), em.state.issued.accessTokens.at(-1));
});

test('the login command printed for a token file given with --store names that file', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const file = path.join(box.root, 'elsewhere', 'tokens.json');
  assert.equal((await login(t, ['--provider', 'gorgias', '--base-url', base(), '--account', 'shop', '--client-id', CLIENT_ID, '--port', String(port), '--store', file], box)).code, 0);
  em.state.nextTokenFault = 'invalid_grant';
  const dead = await run(t.bin, ['token', '--account', 'shop', '--min-valid', '7200', '--store', file], box);
  assert.equal(dead.code, 3);
  assert.ok(dead.stderr.includes(`--port ${port} --store ${file}\` again`), dead.stderr);
});

test('login on an ephemeral loopback port; a denied consent fails with exit 1 and says what to do', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const cli = start(t.bin, ['login', '--provider', 'gorgias', '--base-url', base(), '--account', 'acme', '--client-id', CLIENT_ID, '--json', '--timeout', '60'], box);
  const first = JSON.parse((await cli.waitFor(/^(\{"event":"authorize".*)$/m))[1]);
  const redirect = new URL(first.redirectUri);
  assert.equal(redirect.hostname, '127.0.0.1');
  assert.notEqual(redirect.port, '');
  assert.notEqual(redirect.port, String(port));
  assert.equal(new URL(first.authorizeUrl).searchParams.get('redirect_uri'), first.redirectUri);

  // Stray requests (a favicon, a visit without an authorization response) do not end the login.
  assert.equal((await fetch(new URL('/favicon.ico', redirect))).status, 404);
  assert.equal((await fetch(redirect)).status, 404);
  // The provider redirects back with the user's refusal (RFC 6749 §4.1.2.1).
  const state = new URL(first.authorizeUrl).searchParams.get('state');
  const page = await fetch(`${first.redirectUri}?error=access_denied&error_description=no&state=${encodeURIComponent(state)}`);
  assert.equal(page.status, 400);
  const { code, stderr } = await cli.exited;
  assert.equal(code, 1);
  const err = JSON.parse(stderr.trim().split('\n').at(-1)).error;
  assert.equal(err.code, 'access_denied');
  assert.match(err.next, /choose Approve/);
});

// util-linux `script` gives the CLI a terminal, so the prompt path runs as a user sees it.
test('the client secret prompt on a terminal does not echo what is typed', { skip: !existsSync('/usr/bin/script') && 'no /usr/bin/script' }, async () => {
  const box = sandbox();
  const args = ['--provider', 'gorgias', '--base-url', base(), '--account', 'acme', '--client-id', CLIENT_ID, '--port', String(port)];
  assert.equal((await login(t, args, { ...box, env: { ...box.env, HELPDESK_OAUTH_CLIENT_SECRET: SECRET } })).code, 0);
  const refreshes = em.state.refreshRequests;
  const child = spawn('/usr/bin/script', ['-q', '-e', '-c', `'${t.bin}' token --account acme --min-valid 999999`, '/dev/null'], { env: box.env, cwd: box.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const prompted = new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      if (out.includes('Client secret: ')) resolve();
    });
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  await prompted; // typing before the prompt would be echoed by the terminal itself
  child.stdin.write(`${SECRET}\r`);
  assert.equal(await exited, 0, out);
  assert.equal(em.state.refreshRequests, refreshes + 1);
  assert.ok(out.includes(em.state.issued.accessTokens.at(-1)), 'the refreshed token is printed');
  assert.ok(!out.includes(SECRET), `the typed secret is not echoed: ${out}`);
});
