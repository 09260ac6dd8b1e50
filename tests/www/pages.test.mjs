// The example app's own pages (examples/demo: home, account, errors) in real Chromium: the www/
// look (its stylesheet and icon), API JSON that wraps instead of running off the page, times as
// readable text with a live countdown, visible feedback for every action, and no request that
// fails (favicons included). Screenshots go to tests/artifacts/ for a person to look at.
// Needs the packed package installed in examples/demo (make test-www does it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoAndBrowser, ARTIFACTS } from './support/demo-browser.mjs';

const env = demoAndBrowser();

/** A fresh browser context that records every failed response (a 404 favicon too) and page error. */
async function openContext() {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const failures = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document') failures.push(`${r.status()} ${r.url()}`);
  });
  // A request cut short because the page navigated on (ERR_ABORTED) did not fail; anything else did.
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failures.push(`failed ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('pageerror', (e) => failures.push(`page error ${e.message}`));
  return { context, page, failures };
}

const text = (page, sel) => page.locator(sel).innerText();
const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The www/ stylesheet is applied and nothing is wider than the window. */
async function assertLook(page) {
  const look = await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    cards: document.querySelectorAll('.card').length,
    icon: document.querySelector('link[rel="icon"]')?.getAttribute('href'),
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  assert.equal(look.background, 'rgb(244, 245, 247)', 'the www/ stylesheet is applied');
  assert.ok(look.cards >= 1);
  assert.equal(look.icon, '/www/favicon.svg');
  assert.ok(look.overflow <= 0, `the page is ${look.overflow} px wider than the window`);
}

/** No epoch milliseconds anywhere a person reads. */
async function assertNoEpochMs(page) {
  assert.doesNotMatch(await page.locator('body').innerText(), /\b1\d{12}\b/);
}

test('home → connect → consent → account page: styled, readable times with a live countdown, wrapped JSON; Refresh and Revoke say what they did', async () => {
  const { context, page, failures } = await openContext();
  try {
    await page.goto(`${env.stack.app.url}/`);
    await assertLook(page);
    assert.match(await text(page, '#connections-empty'), /No account connected yet/);
    await shot(page, 'demo-home-empty');

    await page.click('#connect-gorgias');
    await page.waitForURL((u) => u.pathname === '/gorgias/acme/oauth/authorize');
    await page.click('#approve');
    await page.waitForURL((u) => u.pathname === '/account');
    await page.waitForSelector('body[data-live="true"]');
    await assertLook(page);
    await assertNoEpochMs(page);
    assert.equal(await text(page, '#api-status'), '200');

    // The API answer is pretty-printed and wraps inside its box.
    const pre = await page.evaluate(() => {
      const el = document.getElementById('api-body');
      return { wrap: getComputedStyle(el).whiteSpace, over: el.scrollWidth - el.clientWidth, lines: el.textContent.split('\n').length };
    });
    assert.equal(pre.wrap, 'pre-wrap');
    assert.ok(pre.over <= 0, `the JSON is ${pre.over} px wider than its box`);
    assert.ok(pre.lines > 3, 'pretty-printed');

    // expires_at and obtained_at: a local date and time, and a relative time that keeps moving.
    const expires = page.locator('#token-set tr[data-key="expires_at"] time');
    assert.match(await expires.locator('.relative').innerText(), /^\(in 23:59:\d\d\)$|^\(in 1 d 00:00:00\)$/);
    assert.match(await expires.locator('.when').innerText(), /\d{1,2}:\d\d:\d\d/);
    assert.match(await page.locator('#token-set tr[data-key="obtained_at"] .relative').innerText(), /^\((just now|\d+ s ago)\)$/);
    assert.match(await page.locator('#token-set tr[data-key="access_token"] td:nth-child(2)').innerText(), /^\[redacted, \d+ characters\]$/);
    const first = await expires.locator('.relative').innerText();
    await page.waitForFunction((was) => document.querySelector('#token-set tr[data-key="expires_at"] .relative').textContent !== was, first, { timeout: 5000 });
    await shot(page, 'demo-account');

    // Home lists the account with its own countdown; its link leads back.
    await page.click('a.home');
    await page.waitForSelector('body[data-live="true"]');
    assert.match(await page.locator('#connections tr[data-key="gorgias:acme"] .relative').innerText(), /^\(in 23:59:\d\d\)$/);
    await assertLook(page);
    await shot(page, 'demo-home-connected');
    await page.click('#connections a');
    await page.waitForURL((u) => u.pathname === '/account');

    // Refresh: the button says it is working, then the page says what happened.
    const tokensBefore = env.stack.emulator.state.issued.accessTokens.length;
    // The moment it is pressed, the button says it is working (the submission is held back here
    // so the page can be looked at), then the next page says what happened.
    const busy = await page.evaluate(() => {
      const form = document.getElementById('refresh').form;
      form.addEventListener('submit', (e) => e.preventDefault(), { once: true });
      form.requestSubmit();
      const b = document.getElementById('refresh');
      return { text: b.textContent, disabled: b.disabled, others: document.getElementById('revoke').disabled, busy: document.body.getAttribute('aria-busy') };
    });
    assert.deepEqual(busy, { text: 'Refreshing…', disabled: true, others: true, busy: 'true' }, 'feedback while the request is in flight');
    await shot(page, 'demo-account-refreshing');
    await page.reload();
    await page.click('#refresh');
    await page.waitForSelector('#flash');
    await page.waitForSelector('body[data-live="true"]');
    assert.match(await text(page, '#flash'), /^Token refreshed at .*\d:\d\d:\d\d.* \((just now|\d+ s ago)\): a new access token, stored before use; the refresh token was kept/);
    assert.equal(env.stack.emulator.state.issued.accessTokens.length, tokensBefore + 1);
    await page.waitForSelector('body[data-live="true"]');
    await shot(page, 'demo-account-refreshed');

    // Revoke: back home, with a banner, and the account is gone from the list.
    await page.click('#revoke');
    await page.waitForURL((u) => u.pathname === '/');
    assert.match(await text(page, '#flash'), /^Revoked gorgias · acme/);
    assert.equal(await page.locator('#connections-empty').isVisible(), true);
    await shot(page, 'demo-home-revoked');
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});

test('Deny on the consent page: a styled error page with the code', async () => {
  const { context, page, failures } = await openContext();
  try {
    await page.goto(`${env.stack.app.url}/`);
    await page.click('#connect-kustomer');
    await page.waitForURL((u) => u.pathname === '/kustomer/myorg/oauth/authorize');
    await page.click('#deny');
    await page.waitForSelector('#error-code');
    assert.equal(await text(page, '#error-code'), 'access_denied');
    await assertLook(page);
    await shot(page, 'demo-denied');
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});

test('a failed refresh is shown on the account page, not as raw JSON', async () => {
  const { context, page, failures } = await openContext();
  try {
    await page.goto(`${env.stack.app.url}/install?account=myorg&provider=kustomer`);
    await page.click('#approve');
    await page.waitForURL((u) => u.pathname === '/account');
    env.stack.emulator.state.nextTokenFault = 'invalid_grant';
    await page.click('#refresh');
    await page.waitForSelector('#flash[data-code]');
    assert.equal(await page.locator('#flash').getAttribute('data-code'), 'invalid_grant');
    await assertLook(page);
    await shot(page, 'demo-refresh-failed');
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});

test('the www page and the consent page ask for no favicon that is not there', async () => {
  const { context, page, failures } = await openContext();
  try {
    await page.goto(`${env.stack.app.url}/www/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#connect');
    await page.waitForURL((u) => u.pathname.endsWith('/oauth/authorize'));
    await page.click('#approve');
    await page.waitForSelector('#connection:not([hidden])');
    assert.deepEqual(failures, []);
  } finally {
    await context.close();
  }
});

test('the emulator\'s page for an unregistered redirect_uri shows both URIs', async () => {
  const { context, page } = await openContext();
  try {
    const sent = 'http://127.0.0.1:1/oauth/callback';
    const q = new URLSearchParams({ response_type: 'code', client_id: 'demo-app', redirect_uri: sent, scope: 'openid', state: 'x' });
    const res = await page.goto(`${env.stack.emulator.url}/gorgias/acme/oauth/authorize?${q}`);
    assert.equal(res.status(), 400);
    assert.equal(await text(page, 'h1'), 'Invalid redirect_uri');
    const values = await page.locator('dd code').allInnerTexts();
    assert.deepEqual(values, [sent, env.stack.app.redirectUri]);
    await shot(page, 'emulator-invalid-redirect-uri');
  } finally {
    await context.close();
  }
});
