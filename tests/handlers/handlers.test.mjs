// The handlers called directly with Request objects in Node (no server), against the emulator:
// what they add to the app's answer, how they fail, and what they refuse to be configured with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider, followAuthorize } from '../node/support/provider-server.mjs';

const REDIRECT_URI = 'http://127.0.0.1:8789/oauth/callback';
const SECRET = 'handlers-test-cookie-secret-0123456789abcdef';
let pkg;
let emulator;
let client;

before(async () => {
  pkg = (await loadPackage()).esm;
  emulator = await startProviderServer({ clientId: 'h-client', clientSecret: 'h-secret', redirectUris: [REDIRECT_URI] });
  client = new pkg.OAuthClient({ provider: gorgiasProvider(emulator.url), clientId: 'h-client', clientSecret: 'h-secret', redirectUri: REDIRECT_URI, scopes: ['openid', 'offline'] });
});

after(() => emulator?.close());

async function startInstall(options = {}) {
  const install = pkg.createInstallHandler({ client, cookieSecret: SECRET, ...options });
  const res = await install(new Request('http://127.0.0.1:8789/install?account=acme'));
  assert.equal(res.status, 302);
  return { cookie: res.headers.get('set-cookie').split(';')[0], callbackUrl: await followAuthorize(res.headers.get('location')) };
}

test("the app's own Response gets no-store, no-referrer and the clearing cookie added", async () => {
  const { cookie, callbackUrl } = await startInstall();
  let seen;
  const callback = pkg.createCallbackHandler({
    client,
    cookieSecret: SECRET,
    onTokens(tokens, request, context) {
      seen = { account: tokens.account, provider: context.provider, url: request.url };
      // Response.redirect has immutable headers: the handler must still add its own.
      return Response.redirect('http://127.0.0.1:8789/welcome', 302);
    },
  });
  const res = await callback(new Request(callbackUrl, { headers: { cookie } }));
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), 'http://127.0.0.1:8789/welcome');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.deepEqual(res.headers.getSetCookie(), ['__Host-helpdesk-oauth=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax']);
  assert.deepEqual(seen, { account: 'acme', provider: 'gorgias', url: callbackUrl });
});

test('an onTokens that throws gives a 500 internal_error without its message, and onError hears of it', async () => {
  const { cookie, callbackUrl } = await startInstall();
  const reported = [];
  const callback = pkg.createCallbackHandler({
    client,
    cookieSecret: SECRET,
    onTokens(tokens) {
      throw new Error(`database down while saving ${tokens.accessToken}`);
    },
    onError: (err) => reported.push(err.message),
  });
  const res = await callback(new Request(callbackUrl, { headers: { cookie, accept: 'application/json' } }));
  const body = await res.json();
  assert.equal(res.status, 500);
  assert.equal(body.error, 'internal_error');
  assert.ok(!JSON.stringify(body).includes('database'), 'the app error leaks into the answer');
  assert.equal(reported.length, 1);
  assert.match(res.headers.get('set-cookie'), /Max-Age=0/);
});

/** Runs `fn` with console.error recorded instead of printed. */
async function capturingConsoleError(fn) {
  const lines = [];
  const original = console.error;
  console.error = (...args) => lines.push(args.map(String).join(' '));
  try {
    return { result: await fn(), lines };
  } finally {
    console.error = original;
  }
}

test('an onTokens that throws, without onError: the error is logged (code or name and message, tokens redacted)', async () => {
  const { cookie, callbackUrl } = await startInstall();
  let seen;
  const callback = pkg.createCallbackHandler({
    client,
    cookieSecret: SECRET,
    onTokens(tokens) {
      seen = tokens;
      const err = new Error(`database down while saving ${tokens.accessToken} / ${tokens.refreshToken}`);
      err.name = 'StoreError';
      throw err;
    },
  });
  const { result: res, lines } = await capturingConsoleError(() => callback(new Request(callbackUrl, { headers: { cookie, accept: 'application/json' } })));
  assert.equal(res.status, 500);
  assert.equal((await res.json()).error, 'internal_error');
  assert.equal(lines.length, 1, `one line logged: ${JSON.stringify(lines)}`);
  assert.match(lines[0], /onTokens/);
  assert.match(lines[0], /StoreError: database down while saving \[redacted\] \/ \[redacted\]/);
  for (const secret of [seen.accessToken, seen.refreshToken, seen.idToken]) {
    assert.ok(!lines[0].includes(secret), 'a token reached the log');
  }

  // A library error thrown from onTokens is logged with its code.
  const second = await startInstall();
  const coded = pkg.createCallbackHandler({
    client,
    cookieSecret: SECRET,
    onTokens() {
      throw new pkg.HelpdeskOAuthError('token_store_conflict', 'the stored token set changed', { retryable: true });
    },
  });
  const { lines: codedLines } = await capturingConsoleError(() => coded(new Request(second.callbackUrl, { headers: { cookie: second.cookie } })));
  assert.equal(codedLines.length, 1);
  assert.match(codedLines[0], /token_store_conflict: the stored token set changed/);
});

test('an onTokens that throws, with onError: onError gets it and nothing is logged; a throwing onError is logged, the answer stays', async () => {
  const { cookie, callbackUrl } = await startInstall();
  const reported = [];
  const callback = pkg.createCallbackHandler({
    client,
    cookieSecret: SECRET,
    onTokens() {
      throw new Error('app failure');
    },
    onError: (err, request) => reported.push({ message: err.message, url: request.url }),
  });
  const { result: res, lines } = await capturingConsoleError(() => callback(new Request(callbackUrl, { headers: { cookie } })));
  assert.equal(res.status, 500);
  assert.deepEqual(reported, [{ message: 'app failure', url: callbackUrl }]);
  assert.deepEqual(lines, []);

  const second = await startInstall();
  const broken = pkg.createCallbackHandler({
    client,
    cookieSecret: SECRET,
    onTokens() {
      throw new Error('app failure');
    },
    onError() {
      throw new TypeError('reporter down');
    },
  });
  const { result: res2, lines: lines2 } = await capturingConsoleError(() => broken(new Request(second.callbackUrl, { headers: { cookie: second.cookie } })));
  assert.equal(res2.status, 500);
  assert.equal(lines2.length, 1, JSON.stringify(lines2));
  assert.match(lines2[0], /Error: app failure/);
  assert.match(lines2[0], /onError threw TypeError: reporter down/);
});

test('a provider error on the callback (access_denied) is a 403 page; the cookie is cleared', async () => {
  emulator.state.nextAuthorizeError = 'access_denied';
  const { cookie, callbackUrl } = await startInstall();
  const callback = pkg.createCallbackHandler({ client, cookieSecret: SECRET, onTokens: () => assert.fail('no tokens expected') });
  const res = await callback(new Request(callbackUrl, { headers: { cookie } }));
  assert.equal(res.status, 403);
  assert.match(await res.text(), /<code>access_denied<\/code>/);
  assert.match(res.headers.get('set-cookie'), /Max-Age=0/);
});

test('other methods are refused with 405; the callback still clears the cookie', async () => {
  const install = pkg.createInstallHandler({ client, cookieSecret: SECRET });
  const callback = pkg.createCallbackHandler({ client, cookieSecret: SECRET, onTokens: () => undefined });
  const a = await install(new Request('http://127.0.0.1:8789/install?account=acme', { method: 'POST' }));
  assert.equal(a.status, 405);
  assert.equal(a.headers.get('set-cookie'), null);
  const b = await callback(new Request('http://127.0.0.1:8789/oauth/callback?code=x&state=y', { method: 'POST' }));
  assert.equal(b.status, 405);
  assert.match(b.headers.get('set-cookie'), /Max-Age=0/);
});

test('bad configuration is refused when the handler is made, with invalid_config', () => {
  const cases = [
    () => pkg.createInstallHandler({ client, cookieSecret: 'x'.repeat(31) }),
    () => pkg.createInstallHandler({ client, cookieSecret: 12345 }),
    // Long enough but no entropy: refused when the handler is made, not at the first install.
    () => pkg.createInstallHandler({ client, cookieSecret: 'a'.repeat(40) }),
    () => pkg.createCallbackHandler({ client, cookieSecret: '0123456789'.repeat(4), onTokens() {} }),
    () => pkg.createInstallHandler({ client: {}, cookieSecret: SECRET }),
    () => pkg.createInstallHandler({ client, cookieSecret: SECRET, cookieName: 'no-host-prefix' }),
    () => pkg.createInstallHandler({ client, cookieSecret: SECRET, maxAgeSeconds: 7200 }),
    () => pkg.createInstallHandler({ client, cookieSecret: SECRET, allowReturnTo: '/app/' }),
    () => pkg.createCallbackHandler({ client, cookieSecret: SECRET }),
    () => pkg.createCallbackHandler({ client, cookieSecret: SECRET, onTokens() {}, defaultReturnTo: '//evil.example' }),
  ];
  for (const [i, make] of cases.entries()) {
    assert.throws(make, (err) => err instanceof pkg.HelpdeskOAuthError && err.code === 'invalid_config', `case ${i}`);
  }
});

test('sealPendingCookie / openPendingCookie: round trip, a custom cookie name, and names bound to the seal', async () => {
  const request = client.authorize({ account: 'acme' });
  const header = await pkg.sealPendingCookie(request.pending, SECRET, { cookieName: '__Host-other', returnTo: '/app/x', allowReturnTo: ['/app/'] });
  assert.match(header, /^__Host-other=v1\./);
  const value = header.split(';')[0].split('=')[1];
  const opened = await pkg.openPendingCookie(`__Host-other=${value}`, new TextEncoder().encode(SECRET), { cookieName: '__Host-other', allowReturnTo: ['/app/'] });
  assert.equal(opened.pending.state, request.state);
  assert.equal(opened.returnTo, '/app/x');
  // The same sealed value under another name does not open (the name is authenticated data).
  await assert.rejects(pkg.openPendingCookie(`__Host-helpdesk-oauth=${value}`, SECRET, { allowReturnTo: ['/app/'] }), (e) => e.code === 'cookie_invalid');
  // A return path no longer allowed when the cookie comes back is refused.
  await assert.rejects(pkg.openPendingCookie(`__Host-other=${value}`, SECRET, { cookieName: '__Host-other', allowReturnTo: ['/settings/'] }), (e) => e.code === 'invalid_return_to');
  // Each seal uses a fresh IV: the same record never seals to the same value.
  const again = await pkg.sealPendingCookie(request.pending, SECRET);
  const twice = await pkg.sealPendingCookie(request.pending, SECRET);
  assert.notEqual(again.split(';')[0], twice.split(';')[0]);
  assert.equal(pkg.clearPendingCookie({ cookieName: '__Host-other' }), '__Host-other=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax');
});
