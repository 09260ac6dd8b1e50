// The www/ demo page in real Chromium (Debian's /usr/bin/chromium, driven by playwright-core):
// the browser build of the package previews the authorization request as the user types, and
// connecting goes through the example app to the emulator's consent page and back.
// Needs the packed package installed in examples/demo (make test-www does it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { demoAndBrowser, ARTIFACTS } from './support/demo-browser.mjs';

const env = demoAndBrowser();

/** A fresh context (own cookies and storage) with the page loaded and its wasm ready. */
async function openPage(query = '') {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 1200 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${env.stack.app.url}/www/${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  return { page, context, problems };
}

const text = (page, sel) => page.locator(sel).innerText();

test('the preview follows what the user types: authorize URL, state, nonce, PKCE; bad input is a typed error', async () => {
  const { page, context, problems } = await openPage();
  try {
    let url = new URL(await text(page, '#authorize-url'));
    assert.equal(`${url.origin}${url.pathname}`, `${env.stack.emulator.url}/gorgias/acme/oauth/authorize`);
    assert.equal(url.searchParams.get('client_id'), 'demo-app');
    assert.equal(url.searchParams.get('redirect_uri'), `${env.stack.app.url}/oauth/callback`);
    assert.equal(url.searchParams.get('state'), await text(page, '#state'));
    assert.equal(url.searchParams.get('nonce'), await text(page, '#nonce'));
    assert.match(await text(page, '#code-challenge'), /PKCE off for gorgias/);
    const firstState = url.searchParams.get('state');

    await page.fill('#account', 'shop-2');
    await page.fill('#scopes', 'openid offline tickets:write');
    await page.fill('#client-id', 'my-draft-app');
    url = new URL(await text(page, '#authorize-url'));
    assert.equal(url.pathname, '/gorgias/shop-2/oauth/authorize');
    assert.equal(url.searchParams.get('scope'), 'openid offline tickets:write');
    assert.equal(url.searchParams.get('client_id'), 'my-draft-app');
    assert.notEqual(url.searchParams.get('state'), firstState, 'a fresh state for every request');
    assert.match(await text(page, '#client-note'), /registered as "demo-app"/);

    await page.selectOption('#provider', 'kustomer');
    url = new URL(await text(page, '#authorize-url'));
    assert.equal(url.pathname, '/kustomer/myorg/oauth/authorize');
    const challenge = await text(page, '#code-challenge');
    const verifier = await text(page, '#code-verifier');
    assert.equal(url.searchParams.get('code_challenge'), challenge);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(createHash('sha256').update(verifier).digest('base64url'), challenge, 'the challenge is S256 of the verifier');

    await page.fill('#account', 'evil.com/');
    const err = page.locator('#preview-error');
    assert.equal(await err.getAttribute('data-code'), 'invalid_account');
    assert.match(await err.innerText(), /invalid_account\s*invalid account: it contains a dot/);
    assert.equal(await page.locator('#preview-values').isVisible(), false);
    assert.equal(await page.locator('#connect').isDisabled(), true);
    await page.screenshot({ path: join(ARTIFACTS, 'www-bad-account.png'), fullPage: true });

    await page.fill('#account', 'myorg');
    await page.fill('#scopes', 'org.permission.customer offline');
    assert.equal(await err.getAttribute('data-code'), 'missing_refresh_scope');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Connect → consent page → Approve → token set (redacted), id_token claims, countdown, API result', async () => {
  const { page, context, problems } = await openPage();
  try {
    await page.fill('#scopes', 'openid email offline account:read');
    await page.click('#connect');
    await page.waitForURL((u) => u.pathname === '/gorgias/acme/oauth/authorize');
    assert.match(await text(page, 'h1'), /helpdesk-oauth demo app wants to access your Gorgias account acme/);
    assert.deepEqual(await page.locator('#scopes code').allInnerTexts(), ['openid', 'email', 'offline', 'account:read']);
    await page.screenshot({ path: join(ARTIFACTS, 'consent.png'), fullPage: true });
    await page.click('#approve');

    await page.waitForSelector('#connection:not([hidden])', { timeout: 10_000 });
    assert.equal(new URL(page.url()).pathname, '/www/');
    assert.equal(await text(page, '#connected-as'), 'gorgias · acme');
    const row = (table, key) => page.locator(`#${table} tr[data-key="${key}"] td:nth-child(2)`).innerText();
    const accessToken = env.stack.emulator.state.issued.accessTokens.at(-1);
    assert.match(await row('token-set', 'access_token'), /^\[redacted, \d+ chars\]$/);
    assert.match(await row('token-set', 'refresh_token'), /^\[redacted, \d+ chars\]$/);
    assert.equal(await row('token-set', 'token_type'), 'Bearer');
    assert.equal(await row('token-set', 'scope'), '["openid","email","offline","account:read"]');
    const html = await page.content();
    for (const secret of [accessToken, env.stack.emulator.state.issued.refreshTokens.at(-1), env.stack.emulator.state.issued.idTokens.at(-1)]) {
      assert.ok(!html.includes(secret), 'a token reached the page');
    }
    assert.equal(await row('claims', 'nonce'), env.stack.emulator.state.lastAuthorizeRequest.params.nonce);
    assert.equal(await row('claims', 'iss'), 'https://acme.gorgias.com');
    assert.equal(await row('claims', 'email'), 'alice@example.com');
    // Times read as dates with a relative time, not epoch numbers.
    assert.match(await row('token-set', 'expires_at'), /\d:\d\d:\d\d.* \(in 2[34]:\d\d:\d\d\)$/);
    assert.match(await row('token-set', 'obtained_at'), /\((just now|\d+ s ago)\)$/);
    assert.match(await row('claims', 'exp'), /\(in 00:59:\d\d\)$/);
    assert.doesNotMatch(await text(page, '#connection'), /\b1\d{9,12}\b/);
    assert.equal(await text(page, '#api-status'), '200');
    assert.equal(JSON.parse(await text(page, '#api-body')).domain, 'acme');

    // The countdown is live: it shows about a day and changes on its own.
    const first = await text(page, '#countdown');
    assert.match(first, /^2[34]:\d\d:\d\d$/);
    await page.waitForFunction((was) => document.getElementById('countdown').textContent !== was, first, { timeout: 5000 });
    await page.screenshot({ path: join(ARTIFACTS, 'www-connected.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Deny on the consent page comes back as access_denied', async () => {
  const { page, context } = await openPage();
  try {
    await page.selectOption('#provider', 'kustomer');
    await page.click('#connect');
    await page.waitForURL((u) => u.pathname === '/kustomer/myorg/oauth/authorize');
    await page.click('#deny');
    const err = page.locator('#result-error');
    await err.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await err.getAttribute('data-code'), 'access_denied');
    assert.match(await err.innerText(), /access_denied/);
    assert.equal(await page.locator('#connection').isVisible(), false);
    assert.equal(await page.inputValue('#provider'), 'kustomer', 'the form is restored for another try');
    await page.screenshot({ path: join(ARTIFACTS, 'www-denied.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('a bad account sent to the App URL comes back as invalid_account, without reaching the provider', async () => {
  const { page, context } = await openPage();
  try {
    const before = env.stack.emulator.state.authorizeRequests;
    await page.goto(`${env.stack.app.url}/install?account=evil.com&return=/www/`);
    await page.waitForSelector('body[data-ready="true"]');
    const err = page.locator('#result-error');
    await err.waitFor({ state: 'visible' });
    assert.equal(await err.getAttribute('data-code'), 'invalid_account');
    assert.equal(env.stack.emulator.state.authorizeRequests, before);
  } finally {
    await context.close();
  }
});
