// helpdesk-oauth/node (js/node-adapter.js) from the packed package: the install and callback
// handlers mounted in node:http and in Express (real Express 5, from this directory's lockfile)
// against the emulator, and the adapter's own rules — the URL comes from the app's origin and
// the request's path only, Set-Cookie lines stay apart, HEAD has no body, bodies stream both ways,
// a throwing handler is a 500 (or Express's next), a client that leaves aborts the request — and
// importing it loads no wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { loadPackage } from '../node/support/install-package.mjs';
import { importInstalled } from '../node/support/import-installed.mjs';

const run = promisify(execFile);
const COOKIE_SECRET = 'adapter-test-cookie-secret-0123456789abcdef';
let pkg;
let adapter;
let emulator;
const servers = [];

before(async () => {
  const { dir, esm } = await loadPackage();
  const require = createRequire(path.join(dir, 'package.json'));
  pkg = { dir, esm };
  adapter = await importInstalled(dir, 'helpdesk-oauth/node');
  pkg.handlers = await importInstalled(dir, 'helpdesk-oauth/handlers');
  emulator = await import(pathToFileURL(require.resolve('helpdesk-oauth/emulator')).href);
});
after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(listener) {
  const server = http.createServer(listener);
  servers.push(server);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}`;
}

/** A raw request (fetch cannot send a forged Host header, an absolute-form target or `//` paths). */
function raw(url, { method = 'GET', path: target, headers = {} } = {}) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The install → consent → callback flow through an app at `origin`; returns the callback answer. */
async function installFlow(origin, { installPath = '/install', account = 'acme' } = {}) {
  const install = await fetch(`${origin}${installPath}?account=${account}`, { redirect: 'manual' });
  assert.equal(install.status, 302, await install.text());
  const cookie = install.headers.getSetCookie()[0].split(';')[0];
  const callbackUrl = await emulator.answerConsent(install.headers.get('location'));
  return fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });
}

async function handlersAt(origin, callbackPath, saved) {
  const em = await emulator.startEmulator({ apps: [{ provider: 'gorgias', clientId: 'adapter-app', clientSecret: 'adapter-secret', redirectUris: [`${origin}${callbackPath}`] }] });
  const client = new pkg.esm.OAuthClient({ provider: em.providerConfig('gorgias'), clientId: 'adapter-app', clientSecret: 'adapter-secret', redirectUri: `${origin}${callbackPath}`, scopes: ['openid', 'offline'] });
  const install = pkg.handlers.createInstallHandler({ client, cookieSecret: COOKIE_SECRET });
  const callback = pkg.handlers.createCallbackHandler({
    client,
    cookieSecret: COOKIE_SECRET,
    onTokens: (tokens) => {
      saved.push(tokens.account);
      return new Response('installed', { status: 200 });
    },
  });
  return { em, install, callback };
}

test('node:http: the install and callback handlers complete a Gorgias install', async () => {
  const saved = [];
  let h;
  const origin = await listen((req, res) => (req.url.startsWith('/install') ? adapter.toNodeHandler(h.install, { origin })(req, res) : adapter.toNodeHandler(h.callback, { origin })(req, res)));
  h = await handlersAt(origin, '/oauth/callback', saved);
  try {
    const done = await installFlow(origin);
    assert.equal(done.status, 200, await done.clone().text());
    assert.equal(await done.text(), 'installed');
    assert.deepEqual(saved, ['acme']);
    assert.equal(done.headers.get('cache-control'), 'no-store');
    assert.match(done.headers.getSetCookie()[0], /^__Host-helpdesk-oauth=; Max-Age=0/);
  } finally {
    await h.em.close();
  }
});

test('Express: handlers on routes and under a mount path (the URL the client asked for, via originalUrl)', async () => {
  const saved = [];
  let h;
  const app = express();
  const router = express.Router();
  app.get('/install', (req, res, next) => adapter.toNodeHandler(h.install, { origin })(req, res, next));
  router.get('/callback', (req, res, next) => adapter.toNodeHandler(h.callback, { origin })(req, res, next));
  app.use('/oauth', router);
  app.get('/boom', adapter.toNodeHandler(() => {
    throw new Error('app failure');
  }, { origin: 'http://127.0.0.1' }));
  const errors = [];
  app.use((err, req, res, next) => {
    errors.push(err.message);
    res.status(599).end();
  });
  const origin = await listen(app);
  h = await handlersAt(origin, '/oauth/callback', saved);
  try {
    const done = await installFlow(origin);
    assert.equal(done.status, 200, await done.clone().text());
    assert.deepEqual(saved, ['acme'], 'the callback saw /oauth/callback, not the router-relative /callback');
    const boom = await fetch(`${origin}/boom`);
    assert.equal(boom.status, 599, 'Express error handling got the error');
    assert.deepEqual(errors, ['app failure']);
  } finally {
    await h.em.close();
  }
});

test('the request URL is the app origin plus the path: never the Host header, never another origin', async () => {
  const seen = [];
  const origin = 'https://app.example.com';
  const url = await listen(adapter.toNodeHandler((request) => {
    seen.push(request.url);
    return new Response('ok');
  }, { origin: 'https://app.example.com/oauth/callback' }));
  await raw(url, { path: '/install?account=acme', headers: { host: 'evil.example' } });
  await raw(url, { path: '//evil.example/install?x=1' });
  await raw(url, { path: 'http://evil.example/install?y=2' });
  assert.deepEqual(seen, [`${origin}/install?account=acme`, `${origin}//evil.example/install?x=1`, `${origin}/install?y=2`]);
});

test('headers, cookies, HEAD and streamed bodies', async () => {
  const url = await listen(adapter.toNodeHandler(async (request) => {
    if (request.method === 'POST') return new Response(request.body, { headers: { 'content-type': request.headers.get('content-type') } });
    const headers = new Headers({ 'x-one': 'a', 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; Path=/, with a comma');
    return new Response(`seen ${request.headers.get('x-multi')}`, { status: 201, statusText: 'Made', headers });
  }, { origin: 'http://127.0.0.1' }));
  const res = await raw(url, { path: '/', headers: { 'x-multi': 'v' } });
  assert.equal(res.status, 201);
  assert.equal(res.body, 'seen v');
  assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/, with a comma']);
  assert.equal(res.headers['x-one'], 'a');
  const head = await raw(url, { method: 'HEAD', path: '/' });
  assert.equal(head.status, 201);
  assert.equal(head.body, '');
  const big = 'x'.repeat(300_000);
  const echoed = await fetch(url, { method: 'POST', body: big, headers: { 'content-type': 'text/plain' } });
  assert.equal((await echoed.text()).length, big.length);
});

test('a Response from fetch() is passed on decoded, without the upstream encoding, length and cookies', async () => {
  const { gzipSync } = await import('node:zlib');
  const body = JSON.stringify({ data: 'x'.repeat(5000) });
  const upstream = await listen((req, res) => {
    const gz = gzipSync(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': gz.length, 'set-cookie': 'upstream=1; Path=/', 'x-api-limit': '1/80' });
    res.end(gz);
  });
  const url = await listen(adapter.toNodeHandler(() => fetch(upstream), { origin: 'http://127.0.0.1' }));
  const res = await raw(url, { path: '/' });
  assert.equal(res.status, 200);
  assert.equal(res.body, body, 'the decoded body, readable by the client');
  assert.equal(res.headers['content-encoding'], undefined);
  assert.equal(res.headers['set-cookie'], undefined, 'no upstream cookie reaches the browser');
  assert.equal(res.headers['x-api-limit'], '1/80', 'other headers are kept');
  assert.equal(res.headers['content-type'], 'application/json');
});

test('a throwing handler is a 500 without details, reported to onError (or one stderr line)', async () => {
  const reported = [];
  const url = await listen(adapter.toNodeHandler(() => {
    throw new pkg.esm.HelpdeskOAuthError('invalid_config', 'no store configured');
  }, { origin: 'http://127.0.0.1', onError: (err, request) => reported.push([err.code, new URL(request.url).pathname]) }));
  const res = await fetch(`${url}/x`);
  assert.equal(res.status, 500);
  assert.equal(await res.text(), 'internal error\n');
  assert.deepEqual(reported, [['invalid_config', '/x']]);

  // Without onError: the library error's code and message; another error's name only.
  const script = `
    import http from 'node:http';
    import { toNodeHandler } from 'helpdesk-oauth/node';
    import { HelpdeskOAuthError } from 'helpdesk-oauth';
    const errors = [new HelpdeskOAuthError('token_store_error', 'the store is down'), new TypeError('token rt_secret leaked')];
    const server = http.createServer(toNodeHandler(() => { throw errors.shift(); }, { origin: 'http://127.0.0.1' }));
    server.listen(0, '127.0.0.1', async () => {
      const u = 'http://127.0.0.1:' + server.address().port;
      await (await fetch(u)).text();
      await (await fetch(u)).text();
      server.close();
    });`;
  const { stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg.dir });
  assert.equal(stderr, 'helpdesk-oauth/node: the handler failed: token_store_error: the store is down\nhelpdesk-oauth/node: the handler failed: TypeError (pass onError to toNodeHandler to see it)\n');
});

test('a client that goes away aborts the request signal', async () => {
  let aborted;
  const gotSignal = new Promise((resolve) => {
    aborted = resolve;
  });
  const url = await listen(adapter.toNodeHandler((request) => new Promise((resolve) => {
    request.signal.addEventListener('abort', () => {
      aborted(true);
      resolve(new Response('late'));
    });
  }), { origin: 'http://127.0.0.1' }));
  const socket = net.connect(new URL(url).port, '127.0.0.1', () => {
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    setImmediate(() => socket.destroy());
  });
  assert.equal(await gotSignal, true);
});

test('a missing or non-http origin is invalid_config', () => {
  for (const options of [undefined, {}, { origin: 'app.example.com' }, { origin: 'ftp://app.example.com' }]) {
    assert.throws(() => adapter.toNodeHandler(() => new Response(''), options), (e) => e instanceof pkg.esm.HelpdeskOAuthError && e.code === 'invalid_config');
  }
  assert.throws(() => adapter.toNodeHandler('nope', { origin: 'https://a.example' }), (e) => e.code === 'invalid_config');
});

test('importing helpdesk-oauth/node loads no wasm', async () => {
  const script = `
    for (const name of ['Module', 'Instance', 'compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
      WebAssembly[name] = function () { throw new Error('wasm loaded by ' + name); };
    }
    const m = await import('helpdesk-oauth/node');
    console.log(Object.keys(m).sort().join(','));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg.dir });
  assert.equal(stdout.trim(), 'sendResponse,toNodeHandler,toRequest');
  const probe = `
    WebAssembly.Module = function () { throw new Error('wasm'); };
    await import('helpdesk-oauth').then(() => console.log('loaded'), (e) => console.log('refused: ' + e.message));`;
  assert.match((await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: pkg.dir })).stdout, /refused: wasm/, 'the probe does catch a wasm load');
});
