// examples/node-http: the handlers in a real node:http server on 127.0.0.1, driven with fetch,
// against the emulator. The example is copied into the scratch project that has the packed
// package installed, so it imports `helpdesk-oauth` as a user's app does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, followAuthorize } from '../node/support/provider-server.mjs';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'node-http', 'app.mjs');
const CLIENT_ID = 'node-http-client';
const CLIENT_SECRET = 'node-http-client-secret';
const PROXY_TOKEN = 'node-http-proxy-token';

let server;
let emulator;
let origin;

before(async () => {
  const { dir } = await loadPackage();
  const appPath = path.join(dir, 'node-http-app.mjs');
  await fs.copyFile(EXAMPLE, appPath);
  const { createApp } = await import(pathToFileURL(appPath).href);
  server = http.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  const redirectUri = `${origin}/oauth/callback`;
  emulator = await startProviderServer({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri] });
  server.on('request', createApp({
    provider: gorgiasProvider(emulator.url),
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri,
    cookieSecret: 'node-http-example-cookie-secret-32-bytes-or-more',
    apiProxyToken: PROXY_TOKEN,
    scopes: ['openid', 'offline', 'account:read'],
  }));
});

after(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r()));
  await emulator?.close();
});

test('install → callback → API call through the node:http example', async () => {
  const installed = await fetch(`${origin}/install?account=acme&return_to=/app/home`, { redirect: 'manual' });
  assert.equal(installed.status, 302);
  const setCookies = installed.headers.getSetCookie();
  assert.equal(setCookies.length, 1);
  assert.match(setCookies[0], /^__Host-helpdesk-oauth=v1\.[^;]+; Max-Age=600; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
  const cookie = setCookies[0].split(';')[0];

  const cb = await followAuthorize(installed.headers.get('location'));
  assert.ok(cb.startsWith(`${origin}/oauth/callback?`), cb);
  const done = await fetch(cb, { redirect: 'manual', headers: { cookie } });
  assert.equal(done.status, 303, await done.text());
  assert.equal(done.headers.get('location'), '/app/home');
  assert.deepEqual(done.headers.getSetCookie(), ['__Host-helpdesk-oauth=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax']);
  assert.equal(done.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(done.headers.get('cache-control'), 'no-store');

  const api = await fetch(`${origin}/api/acme/account`, { headers: { authorization: `Bearer ${PROXY_TOKEN}` } });
  assert.equal(api.status, 200);
  assert.equal((await api.json()).domain, 'acme');
});

test('a tampered cookie gets an HTML error page with the code, and the cookie is cleared', async () => {
  const installed = await fetch(`${origin}/install?account=acme`, { redirect: 'manual' });
  const cookie = installed.headers.getSetCookie()[0].split(';')[0];
  const cb = await followAuthorize(installed.headers.get('location'));
  const tampered = cookie.slice(0, -3) + (cookie.endsWith('AAA') ? 'BBB' : 'AAA');
  const res = await fetch(cb, { redirect: 'manual', headers: { cookie: tampered } });
  const page = await res.text();
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.equal(res.headers.get('content-security-policy'), "default-src 'none'");
  assert.match(page, /<code>cookie_invalid<\/code>/);
  assert.ok(!page.includes(cookie.slice(30, 60)), 'the page quotes the cookie');
  assert.deepEqual(res.headers.getSetCookie(), ['__Host-helpdesk-oauth=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax']);
});
