// The README's "Writing your own TokenStore" example (tests/types/token-store.ts, shown there
// verbatim): it compiles under `tsc --strict` against the packed package — so a TypeScript store
// can construct HelpdeskOAuthError with a code — and, compiled, it keeps the contract at run time
// and carries a Session through a refresh against the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPackage } from '../node/support/install-package.mjs';
import { importInstalled } from '../node/support/import-installed.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TSC = path.resolve(HERE, '..', '..', 'node_modules', '.bin', 'tsc');

async function compiled() {
  const { dir: consumer, esm } = await loadPackage();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'helpdesk-oauth-token-store-'));
  await fs.mkdir(path.join(dir, 'node_modules'));
  await fs.symlink(path.join(consumer, 'node_modules', 'helpdesk-oauth'), path.join(dir, 'node_modules', 'helpdesk-oauth'));
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'token-store-example', private: true, type: 'module' }));
  await fs.copyFile(path.join(HERE, 'token-store.ts'), path.join(dir, 'token-store.ts'));
  const args = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom,esnext.disposable', '--types', '', '--outDir', 'out', 'token-store.ts'];
  try {
    await run(TSC, args, { cwd: dir });
  } catch (e) {
    assert.fail(`tsc reported errors:\n${e.stdout}${e.stderr}`);
  }
  const { TableTokenStore } = await import(pathToFileURL(path.join(dir, 'out', 'token-store.js')).href);
  const require = createRequire(path.join(consumer, 'package.json'));
  const emulator = await import(pathToFileURL(require.resolve('helpdesk-oauth/emulator')).href);
  const sessions = await importInstalled(consumer, 'helpdesk-oauth/session');
  return { TableTokenStore, esm, emulator, sessions };
}

test('the TokenStore example compiles under --strict and keeps the contract: conflicts are HelpdeskOAuthError with a code', async () => {
  const { TableTokenStore, esm } = await compiled();
  const store = new TableTokenStore();
  const isConflict = (e) => e instanceof esm.HelpdeskOAuthError && e.code === 'token_store_conflict' && e.retryable === true && e.name === 'HelpdeskOAuthError';
  const { version: v1 } = await store.set('gorgias:acme', 'one', { expectedVersion: null });
  await assert.rejects(store.set('gorgias:acme', 'two', { expectedVersion: null }), isConflict);
  const { version: v2 } = await store.set('gorgias:acme', 'two', { expectedVersion: v1 });
  await assert.rejects(store.set('gorgias:acme', 'stale', { expectedVersion: v1 }), isConflict, 'an older view cannot write');
  assert.deepEqual(await store.get('gorgias:acme'), { value: 'two', version: v2 });
  await assert.rejects(store.delete('gorgias:acme', { expectedVersion: v1 }), isConflict);
  assert.equal(await store.delete('gorgias:acme', { expectedVersion: v2 }), true);
  const { version: v3 } = await store.set('gorgias:acme', 'three');
  assert.ok(v3 !== v1 && v3 !== v2, 'a version is never reused after a delete');
  assert.equal(await store.get('nothing'), undefined);
});

test('a Session over the example store: save, then a refresh written with compare-and-set (Kustomer rotation)', async () => {
  const { TableTokenStore, esm, emulator, sessions } = await compiled();
  let clock = Date.now();
  const redirectUri = 'http://127.0.0.1:9/cb';
  const em = await emulator.startEmulator({ apps: [{ provider: 'kustomer', clientId: 'ts-app', clientSecret: 'ts-secret', redirectUris: [redirectUri] }], now: () => clock });
  try {
    const client = new esm.OAuthClient({ provider: em.providerConfig('kustomer'), clientId: 'ts-app', clientSecret: 'ts-secret', redirectUri, scopes: ['org.permission.customer', 'offline_access'] });
    const req = client.authorize({ account: 'myorg' });
    const tokens = await client.exchangeCode(await emulator.answerConsent(req.url), req.pending);
    const store = new TableTokenStore();
    const session = sessions.createSession({ client, store, account: 'myorg' });
    await session.save(tokens);
    const before = await store.get('kustomer:myorg');
    clock += 2 * 86400 * 1000;
    const res = await session.fetch('/v1/customers');
    assert.equal(res.status, 200);
    const after = await store.get('kustomer:myorg');
    assert.notEqual(after.version, before.version);
    assert.equal(JSON.parse(after.value).refresh_token, em.state.issued.refreshTokens.at(-1), 'the rotated refresh token was stored');
  } finally {
    await em.close();
  }
});
