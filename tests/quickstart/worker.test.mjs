// examples/quickstart/worker.js — the README's Workers quick start — in workerd (miniflare), bundled
// against the packed package as wrangler would, with its Durable Object, against the emulator:
// install → consent → callback → stored tokens → API call; then the provider's clock passes the
// token's expiry and the same call refreshes by itself (once, in the account's Durable Object).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { loadPackage } from '../node/support/install-package.mjs';
import { bundleWorker } from '../workers/support/worker.mjs';
import { codeLines } from './support/code-lines.mjs';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'quickstart', 'worker.js');
const ORIGIN = 'http://localhost:8787';
const CLIENT_ID = 'quickstart-worker';
const CLIENT_SECRET = 'quickstart-worker-secret-81a0';

let emulator;
let em;
let mf;
let clock = Date.now();

before(async () => {
  const { dir } = await loadPackage();
  emulator = await import(pathToFileURL(createRequire(join(dir, 'package.json')).resolve('helpdesk-oauth/emulator')).href);
  em = await emulator.startEmulator({
    apps: [{ provider: 'gorgias', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${ORIGIN}/oauth/callback`] }],
    now: () => clock,
  });
  const { dir: bundleDir, script } = await bundleWorker(WORKER, 'helpdesk-oauth-quickstart-worker-');
  mf = new Miniflare({
    modules: true,
    scriptPath: script,
    modulesRoot: bundleDir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2025-06-01',
    cf: false,
    durableObjects: { TOKENS: 'HelpdeskTokens' },
    bindings: {
      PROVIDER: JSON.stringify(em.providerConfig('gorgias')),
      CLIENT_ID,
      CLIENT_SECRET,
      COOKIE_SECRET: 'quickstart-worker-cookie-secret-0123456789',
      ORIGIN,
    },
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  await em?.close();
});

test('install → consent → callback → stored tokens → API call; after expiry the same call refreshes by itself', async () => {
  const install = await mf.dispatchFetch(`${ORIGIN}/install?account=acme`, { redirect: 'manual' });
  assert.equal(install.status, 302, await install.text());
  const authorizeUrl = install.headers.get('location');
  assert.ok(authorizeUrl.startsWith(`${em.url}/gorgias/acme/oauth/authorize?`), authorizeUrl);
  const cookie = install.headers.get('set-cookie').split(';')[0];

  const callback = await mf.dispatchFetch(await emulator.answerConsent(authorizeUrl), { redirect: 'manual', headers: { cookie } });
  assert.equal(callback.status, 303, await callback.text());
  assert.equal(callback.headers.get('location'), `${ORIGIN}/tickets?account=acme`);

  const first = await mf.dispatchFetch(`${ORIGIN}/tickets?account=acme`);
  assert.equal(first.status, 200, await first.clone().text());
  assert.equal((await first.json()).data.length, 3);
  assert.equal(em.state.refreshRequests, 0);

  clock += 2 * 86400 * 1000; // the access token has expired at the provider
  const again = await mf.dispatchFetch(`${ORIGIN}/tickets?account=acme`);
  assert.equal(again.status, 200, await again.clone().text());
  assert.equal((await again.json()).data.length, 3);
  assert.equal(em.state.refreshRequests, 1);
  assert.equal((await mf.dispatchFetch(`${ORIGIN}/tickets?account=acme`)).status, 200);
  assert.equal(em.state.refreshRequests, 1, 'the refreshed tokens were stored in the Durable Object');
  assert.equal((await mf.dispatchFetch(`${ORIGIN}/elsewhere`)).status, 404);
});

test('the Workers quick start is at most 20 lines of code', () => {
  const lines = codeLines(readFileSync(WORKER, 'utf8'));
  assert.ok(lines.length <= 20, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 130), 'and no line is stretched to fit');
});
