// Picking a provider on the www/ page, in Chromium: the preview follows each provider's authorize
// request (Help Scout: client_id and state only; Zoho: comma-separated scopes and the offline
// parameters), and connecting to Zoho shows the data centre the callback named and the API call
// made with it. Needs the packed package installed in examples/demo (make test-www does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoAndBrowser } from './support/demo-browser.mjs';

const env = demoAndBrowser();

async function openPage() {
  const context = await env.browser.newContext({ viewport: { width: 1100, height: 1200 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${env.stack.app.url}/www/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  return { page, context, problems };
}

test('the provider list holds every preset, and the preview follows each one\'s authorize request', async () => {
  const { page, context, problems } = await openPage();
  try {
    const values = await page.locator('#provider option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(values, ['gorgias', 'kustomer', 'zendesk', 'front', 'helpscout', 'zoho', 'hubspot', 'intercom']);
    await page.selectOption('#provider', 'helpscout');
    let url = new URL(await page.locator('#authorize-url').innerText());
    assert.equal(url.pathname, '/helpscout/acme/authentication/authorizeClientApplication');
    assert.deepEqual([...url.searchParams.keys()], ['client_id', 'state']);
    assert.equal(await page.inputValue('#scopes'), '');
    await page.fill('#scopes', 'read');
    assert.equal(await page.locator('#preview-error').getAttribute('data-code'), 'invalid_config', 'Help Scout takes no scopes');

    await page.selectOption('#provider', 'zoho');
    url = new URL(await page.locator('#authorize-url').innerText());
    assert.equal(url.pathname, '/zoho/us/oauth/v2/auth');
    assert.equal(url.searchParams.get('scope'), 'Desk.tickets.READ,Desk.basic.READ');
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Zoho: Connect → consent in the EU data centre → the tenant and the Desk API call', async () => {
  const { page, context, problems } = await openPage();
  try {
    await page.selectOption('#provider', 'zoho');
    await page.click('#connect');
    await page.waitForURL((u) => u.pathname === '/zoho/us/oauth/v2/auth');
    assert.match(await page.locator('h1').innerText(), /Zoho Desk account eu/);
    await page.click('#approve');
    await page.waitForSelector('#connection:not([hidden])', { timeout: 10_000 });
    assert.equal(await page.locator('#connected-as').innerText(), 'zoho · acme (tenant eu)');
    assert.equal(await page.locator('#api-path').innerText(), 'GET /organizations');
    assert.equal(await page.locator('#api-status').innerText(), '200');
    assert.equal(env.stack.emulator.state.lastTokenRequest.account, 'eu');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
