// The CLI does not trust its token file blindly: the file names the token endpoint that gets the
// client secret on a refresh, so a file someone else can write, or a link to one, is refused
// (before any request) with a message that says what to fix; the directory is created 0700 and
// tightened when others can write to it. And the loopback listener of `login` answers a request
// that carries another state with an error page and keeps waiting: only the callback of this
// login ends it. All through the installed bin against the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installed, sandbox, run, start, freePort } from './support/cli.mjs';

const CLIENT_ID = 'cli-token-file-app';
const SECRET = 'cli-token-file-secret-7c41';
const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let t;
let em;
let port;
let capture; // a token endpoint that records what it is sent: where a doctored file points
const captured = [];
let template; // the text of a genuine token file from a real login

before(async () => {
  t = await installed();
  port = await freePort();
  em = await t.emulator.startEmulator({
    apps: [{ provider: 'gorgias', clientId: CLIENT_ID, clientSecret: SECRET, redirectUris: [`http://127.0.0.1:${port}/callback`] }],
    expiresIn: 3600,
  });
  capture = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c)).on('end', () => {
      captured.push({ url: req.url, authorization: req.headers.authorization ?? '', body });
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_request"}');
    });
  });
  await new Promise((r) => capture.listen(0, '127.0.0.1', r));
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const l = await loginThroughBrowser(box);
  assert.equal(l.code, 0, l.stderr);
  template = readFileSync(box.storePath, 'utf8');
});
after(async () => {
  await new Promise((r) => (capture ? capture.close(r) : r()));
  await em?.close();
});

const loginArgs = () => ['login', '--provider', 'gorgias', '--base-url', `${em.url}/gorgias/{account}`, '--account', 'acme', '--client-id', CLIENT_ID, '--port', String(port), '--json'];

/** Runs `login`; `beforeBrowser(redirectUri, authorizeUrl)` runs before the browser comes back. */
async function loginThroughBrowser(box, beforeBrowser) {
  const cli = start(t.bin, loginArgs(), box);
  const event = JSON.parse((await cli.waitFor(/^(\{"event":"authorize".*)$/m))[1]);
  const strays = beforeBrowser ? await beforeBrowser(event.redirectUri, event.authorizeUrl) : undefined;
  const callback = await t.emulator.answerConsent(event.authorizeUrl);
  const res = await fetch(callback);
  const page = { status: res.status, body: await res.text() };
  return { ...(await cli.exited), page, strays };
}

/** The genuine file with its token endpoint pointed at the capture server. */
function doctored() {
  const data = JSON.parse(template);
  const entry = data.accounts['gorgias:acme'];
  entry.client.provider = { ...entry.client.provider, tokenUrl: `http://127.0.0.1:${capture.address().port}/oauth/token` };
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** A sandbox whose token file is in place (0600, in a 0700 directory), with the secret in the environment. */
function boxWithFile(text = template) {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  mkdirSync(path.dirname(box.storePath), { recursive: true, mode: 0o700 });
  writeFileSync(box.storePath, text, { mode: 0o600 });
  return box;
}

/** `token` forced to refresh (the stored token expires within a day), which sends the client secret. */
const refreshNow = (box) => run(t.bin, ['token', '--account', 'acme', '--min-valid', '86400'], box);

function assertRefused(r, pattern, what) {
  assert.equal(r.code, 1, `${what}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, /token_store_error/, what);
  assert.match(r.stderr, pattern, what);
  assert.ok(!r.stderr.includes(SECRET), `${what}: the secret is not printed`);
}

test('a token file that is a symbolic link is refused before anything is sent', async () => {
  const box = boxWithFile();
  const elsewhere = path.join(box.root, 'someone-elses.json');
  writeFileSync(elsewhere, doctored(), { mode: 0o600 });
  rmSync(box.storePath);
  symlinkSync(elsewhere, box.storePath);
  const before = captured.length;
  const r = await refreshNow(box);
  assertRefused(r, /is a symbolic link/, 'symlink');
  assert.match(r.stderr, /replace the link with the file itself/);
  assert.equal(captured.length, before, 'nothing reached the endpoint named in the linked file');
  assertRefused(await run(t.bin, ['status'], box), /is a symbolic link/, 'status on a symlink');
});

test('a token file others can write is refused, naming the chmod that fixes it', async () => {
  for (const mode of [0o666, 0o620, 0o602]) {
    const box = boxWithFile(doctored());
    chmodSync(box.storePath, mode);
    const before = captured.length;
    const r = await refreshNow(box);
    assertRefused(r, new RegExp(`can be written by other users \\(mode 0${mode.toString(8)}\\).*chmod 600 ${box.storePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `mode ${mode.toString(8)}`);
    assert.equal(captured.length, before, 'nothing was sent');
    chmodSync(box.storePath, 0o600);
    const ok = await run(t.bin, ['status', '--json'], box);
    assert.equal(ok.code, 0, `after chmod 600 it is accepted: ${ok.stderr}`);
  }
});

test("a token file owned by another user is refused", { skip: !isRoot && 'needs root to give a file away' }, async () => {
  const box = boxWithFile(doctored());
  chownSync(box.storePath, NOBODY, NOBODY);
  const before = captured.length;
  const r = await refreshNow(box);
  assertRefused(r, new RegExp(`belongs to user id ${NOBODY}, not to you`), 'foreign owner');
  assert.equal(captured.length, before, 'nothing was sent');
});

test('a directory others can write is tightened to 0700; one owned by another user is refused', async () => {
  const box = boxWithFile();
  const dir = path.dirname(box.storePath);
  chmodSync(dir, 0o777);
  const r = await run(t.bin, ['token', '--account', 'acme'], box);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(statSync(dir).mode & 0o777, 0o700, 'tightened');

  if (isRoot) {
    const foreign = boxWithFile();
    const foreignDir = path.dirname(foreign.storePath);
    chownSync(foreignDir, NOBODY, NOBODY);
    chmodSync(foreignDir, 0o777);
    assertRefused(await run(t.bin, ['token', '--account', 'acme'], foreign), new RegExp(`directory ${foreignDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} of the token store belongs to user id ${NOBODY}`), 'foreign directory');
    assert.equal(statSync(foreignDir).mode & 0o777, 0o777, 'a directory that is not ours is left alone');
  }
});

test('login creates the directory 0700 and the file 0600, and tightens an existing world-writable directory', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  mkdirSync(path.dirname(box.storePath), { recursive: true });
  chmodSync(path.dirname(box.storePath), 0o777);
  const l = await loginThroughBrowser(box);
  assert.equal(l.code, 0, l.stderr);
  assert.equal(statSync(path.dirname(box.storePath)).mode & 0o777, 0o700);
  assert.equal(statSync(box.storePath).mode & 0o777, 0o600);
});

test('the loopback listener answers requests with another state (or none) with 400 and keeps waiting for the real callback', async () => {
  const box = sandbox();
  box.env.HELPDESK_OAUTH_CLIENT_SECRET = SECRET;
  const l = await loginThroughBrowser(box, async (redirectUri) => {
    const answers = [];
    for (const query of ['code=stolen&state=not-the-state', 'error=access_denied', 'error=access_denied&state=forged', 'code=x']) {
      const res = await fetch(`${redirectUri}?${query}`);
      answers.push({ query, status: res.status, body: await res.text() });
    }
    return answers;
  });
  for (const a of l.strays) {
    assert.equal(a.status, 400, a.query);
    assert.match(a.body, /does not belong to the login in progress/, a.query);
  }
  assert.equal(l.code, 0, `the stray requests did not end the login: ${l.stderr}`);
  assert.equal(l.page.status, 200);
  assert.match(l.page.body, /connected to gorgias account acme/);
  assert.ok(statSync(box.storePath).isFile());
});

test('--redirect-uri must name the loopback host exactly (no 127.attacker.example.com)', async () => {
  const box = sandbox();
  for (const uri of ['http://127.attacker.example.com:8765/callback', 'http://127.0.0.1.evil.example:8765/callback', 'http://localhost.evil.example:8765/callback']) {
    const r = await run(t.bin, ['login', '--provider', 'gorgias', '--account', 'acme', '--client-id', CLIENT_ID, '--redirect-uri', uri], box);
    assert.equal(r.code, 2, `${uri}: ${r.stderr}`);
    assert.match(r.stderr, /--redirect-uri must be http:\/\/127\.0\.0\.1:PORT\/path/);
  }
});

test('a genuine token file elsewhere (--store) is accepted: the checks refuse only what is unsafe', async () => {
  const box = boxWithFile();
  const copy = path.join(box.root, 'copy.json');
  copyFileSync(box.storePath, copy);
  chmodSync(copy, 0o600);
  const r = await run(t.bin, ['token', '--account', 'acme', '--store', copy], box);
  assert.equal(r.code, 0, r.stderr);
});
