// examples/quickstart/app.mjs — the README's Node quick start — run as a user runs it: `node
// app.mjs` in examples/quickstart with the packed package installed there (make quickstart-install),
// pointed at the emulator with EMULATOR_URL. The test plays the browser: install → consent →
// callback → stored tokens → API call; then the provider's clock passes the token's expiry and the
// same API call refreshes by itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { codeLines } from './support/code-lines.mjs';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'quickstart');
const CLIENT_ID = 'quickstart-app';
const CLIENT_SECRET = 'quickstart-secret-5d2c';
const COOKIE_SECRET = 'quickstart-cookie-secret-0123456789abcdef';

let emulator;
let em;
let app;
let origin;
let clock = Date.now();
let output = '';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the app accepts connections (it prints nothing); rejects if it exits first. */
async function listening(child, port) {
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`app.mjs exited:\n${output}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  // The emulator from the package installed in examples/quickstart, with a clock the test moves.
  const entry = createRequire(join(DIR, 'package.json')).resolve('helpdesk-oauth/emulator');
  emulator = await import(pathToFileURL(entry).href);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  em = await emulator.startEmulator({
    apps: [{ provider: 'gorgias', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${origin}/oauth/callback`] }],
    now: () => clock,
  });
  app = spawn(process.execPath, ['app.mjs'], {
    cwd: DIR,
    env: { PATH: process.env.PATH, CLIENT_ID, CLIENT_SECRET, COOKIE_SECRET, EMULATOR_URL: em.url, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stdout.setEncoding('utf8').on('data', (c) => (output += c));
  app.stderr.setEncoding('utf8').on('data', (c) => (output += c));
  await listening(app, port);
});

after(async () => {
  app?.kill('SIGTERM');
  await em?.close();
});

test('install → consent → callback → stored tokens → API call; after expiry the same call refreshes by itself', async () => {
  // The App URL: 302 to the emulator's authorize endpoint, the pending authorization in a cookie.
  const install = await fetch(`${origin}/install?account=acme`, { redirect: 'manual' });
  assert.equal(install.status, 302, await install.text());
  const authorizeUrl = install.headers.get('location');
  assert.ok(authorizeUrl.startsWith(`${em.url}/gorgias/acme/oauth/authorize?`), authorizeUrl);
  assert.equal(new URL(authorizeUrl).searchParams.get('scope'), 'openid offline tickets:read');
  const cookie = install.headers.getSetCookie()[0].split(';')[0];

  // The user approves on the consent page; the browser comes back to the callback with the cookie.
  const callbackUrl = await emulator.answerConsent(authorizeUrl);
  const callback = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });
  assert.equal(callback.status, 303, await callback.text());
  assert.equal(callback.headers.get('location'), `${origin}/tickets?account=acme`);
  assert.equal(em.state.tokenRequests, 1);

  // The API call with the stored token.
  const first = await fetch(`${origin}/tickets?account=acme`);
  assert.equal(first.status, 200);
  const tickets = await first.json();
  assert.equal(tickets.object, 'list');
  assert.equal(tickets.data.length, 3);
  assert.equal(em.state.refreshRequests, 0);
  const [firstToken] = em.state.issued.accessTokens;

  // Two days later at the provider: the access token has expired. The same call refreshes once and succeeds.
  clock += 2 * 86400 * 1000;
  const again = await fetch(`${origin}/tickets?account=acme`);
  assert.equal(again.status, 200, await again.clone().text());
  assert.equal((await again.json()).data.length, 3);
  assert.equal(em.state.refreshRequests, 1);
  assert.equal(em.state.issued.accessTokens.length, 2);
  assert.notEqual(em.state.issued.accessTokens[1], firstToken);
  // And the refreshed token was stored: the next call needs no refresh.
  assert.equal((await fetch(`${origin}/tickets?account=acme`)).status, 200);
  assert.equal(em.state.refreshRequests, 1);
  assert.equal(output, '', 'the app printed nothing (no error was reported)');
});

test('the quick start is at most 20 lines of code', () => {
  const lines = codeLines(readFileSync(join(DIR, 'app.mjs'), 'utf8'));
  assert.ok(lines.length <= 20, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 130), 'and no line is stretched to fit');
});
