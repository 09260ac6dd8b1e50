// The first-hour path through both emulator bins: the login command each prints works as printed
// (with the --port of the registered redirect URI), each refused request is one line on stderr, a
// busy port is named with the flag that changes it, and a login whose redirect URI the provider
// refuses ends by naming that mismatch.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { installed, sandbox, start, run, login, freePort, shellWords } from './support/cli.mjs';

let t;
let bins;
before(async () => {
  t = await installed();
  bins = [
    ['helpdesk-oauth-emulator', path.join(path.dirname(t.bin), 'helpdesk-oauth-emulator'), []],
    ['helpdesk-oauth emulator', t.bin, ['emulator']],
  ];
});

const SECRET = 'banner-secret-7c1e';

test('both bins print a login command that works as printed, and log each refused request on stderr', async () => {
  for (const [name, bin, prefix] of bins) {
    const box = sandbox();
    const port = await freePort();
    const redirect = `http://127.0.0.1:${port}/callback`;
    const em = start(bin, [...prefix, '--port', '0', '--provider', 'gorgias', '--client-id', 'banner-app', '--client-secret', SECRET, '--redirect-uri', redirect], box);
    let stderr;
    try {
      const [, url] = await em.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
      const [, printed] = await em.waitFor(/ {4}gorgias: (helpdesk-oauth login .*)\n/);
      assert.equal(printed, `helpdesk-oauth login --provider gorgias --base-url '${url}/gorgias/{account}' --account acme --client-id banner-app --port ${port}`, name);
      await em.waitFor(/Ctrl-C to stop/);

      const words = shellWords(printed).slice(2);
      const l = await login(t, words, { ...box, env: { ...box.env, HELPDESK_OAUTH_CLIENT_SECRET: SECRET } });
      assert.equal(l.code, 0, `${name}: ${l.stderr}`);
      assert.match(l.stdout, /Logged in to gorgias account acme/);

      // A login on a port the emulator does not know: the page names both URIs, stderr gets one line.
      const q = new URLSearchParams({ response_type: 'code', client_id: 'banner-app', redirect_uri: 'http://127.0.0.1:1/callback', scope: 'openid', state: 'x' });
      const page = await fetch(`${url}/gorgias/acme/oauth/authorize?${q}`);
      assert.equal(page.status, 400);
      assert.match(await page.text(), new RegExp(`registered</dt><dd><code>${redirect.replace(/[.]/g, '\\.')}</code>`));
    } finally {
      em.child.kill('SIGTERM');
      ({ stderr } = await em.exited);
    }
    const refusals = stderr.split('\n').filter((l) => l.startsWith('emulator: refused'));
    assert.equal(refusals.length, 1, `${name}: ${stderr}`);
    assert.match(refusals[0], /refused GET \/gorgias\/acme\/oauth\/authorize → 400 Invalid redirect_uri: .*sent: http:\/\/127\.0\.0\.1:1\/callback; registered: /);
    assert.ok(!stderr.includes(SECRET), `${name} never prints the secret`);
  }
});

test('both bins: a busy port is named, with the flag that picks another (exit 1, no stack trace)', async () => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address();
  try {
    for (const [name, bin, prefix] of bins) {
      const r = await run(bin, [...prefix, '--port', String(port), '--client-id', 'c', '--client-secret', 's', '--redirect-uri', 'http://127.0.0.1:9/cb'], sandbox());
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`port ${port} is already in use (127.0.0.1:${port})`), `${name}: ${r.stderr}`);
      assert.match(r.stderr, /--port N/, name);
      assert.doesNotMatch(r.stderr, /\n\s+at |unexpected failure|please report/, `${name}: no stack, no "report it"`);
      assert.doesNotMatch(r.stdout, /listening/);
    }
  } finally {
    blocker.close();
  }
});

test('a login the provider sends nowhere (redirect URI not registered) times out naming the mismatch', async () => {
  const box = sandbox();
  const em = await t.emulator.startEmulator({ apps: [{ provider: 'gorgias', clientId: 'mismatch-app', clientSecret: SECRET, redirectUris: ['http://127.0.0.1:8765/callback'] }] });
  try {
    const cli = start(t.bin, ['login', '--provider', 'gorgias', '--base-url', `${em.url}/gorgias/{account}`, '--account', 'acme', '--client-id', 'mismatch-app', '--timeout', '1'], {
      ...box,
      env: { ...box.env, HELPDESK_OAUTH_CLIENT_SECRET: SECRET },
    });
    const [, authorizeUrl] = await cli.waitFor(/^ {2}(http:\/\/\S+\/oauth\/authorize\?\S+)$/m);
    const page = await (await fetch(authorizeUrl)).text();
    assert.match(page, /Only the port differs: the app must listen on 8765 \(helpdesk-oauth login: --port 8765\)/);
    const { code, stderr } = await cli.exited;
    assert.equal(code, 1);
    const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri');
    assert.match(stderr, /no answer from the browser within 1 s/);
    assert.ok(stderr.includes(`next: the likely cause is a redirect URI mismatch: the provider sends the browser back only to a registered redirect URI, and this login waited at ${redirectUri} (a port picked at random)`), stderr);
    assert.match(stderr, /run login again with --port set to the port of the registered http:\/\/127\.0\.0\.1:PORT\/callback/);
  } finally {
    await em.close();
  }
});
