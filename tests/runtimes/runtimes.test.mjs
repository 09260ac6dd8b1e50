// Smoke runs of the packed package under Deno and Bun (the npm packages `deno` and `bun` ship the
// binaries): import, install handler, emulator, callback handler; see smoke-script.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPackage } from '../node/support/install-package.mjs';
import { startProviderServer, gorgiasProvider } from '../node/support/provider-server.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(HERE, '..', '..', 'node_modules', '.bin');
const REDIRECT_URI = 'http://127.0.0.1:8788/oauth/callback';

let emulator;
let project;
let config;

before(async () => {
  ({ dir: project } = await loadPackage());
  await fs.copyFile(path.join(HERE, 'smoke-script.mjs'), path.join(project, 'runtime-smoke.mjs'));
  emulator = await startProviderServer({ clientId: 'rt-client', clientSecret: 'rt-secret', redirectUris: [REDIRECT_URI] });
  config = JSON.stringify({ provider: gorgiasProvider(emulator.url), clientId: 'rt-client', clientSecret: 'rt-secret', redirectUri: REDIRECT_URI });
});

after(() => emulator?.close());

function check(result, runtime) {
  assert.deepEqual(result, {
    runtime,
    installStatus: 302,
    callbackStatus: 200,
    callbackBody: { account: 'acme' },
    clearedCookie: '__Host-helpdesk-oauth=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax',
    hasRefreshToken: true,
    missingCookie: 'cookie_missing',
    secretError: 'invalid_config',
  });
}

const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', BUN_DISABLE_TELEMETRY: '1' };

test('Deno: install → callback with the packed package', async () => {
  const before = emulator.state.tokenRequests;
  const { stdout } = await run(process.env.DENO_BIN || path.join(BIN, 'deno'), ['run', '--quiet', '--no-prompt', '--allow-read', '--allow-net=127.0.0.1', '--allow-env', 'runtime-smoke.mjs', config], { cwd: project, env, timeout: 30_000 });
  check(JSON.parse(stdout.trim().split('\n').pop()), 'deno');
  assert.equal(emulator.state.tokenRequests, before + 1);
});

test('Bun: install → callback with the packed package', async () => {
  const before = emulator.state.tokenRequests;
  const { stdout } = await run(path.join(BIN, 'bun'), ['runtime-smoke.mjs', config], { cwd: project, env, timeout: 30_000 });
  check(JSON.parse(stdout.trim().split('\n').pop()), 'bun');
  assert.equal(emulator.state.tokenRequests, before + 1);
});
