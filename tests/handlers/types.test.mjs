// The declarations of the handlers, the cookie functions and helpdesk-oauth/workers type a
// typical app (fixtures/usage.ts) under `tsc --strict`, compiled inside the scratch project
// that has the packed package installed (so the exports map's `types` entries are what is used).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPackage } from '../node/support/install-package.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TSC = path.resolve(HERE, '..', '..', 'node_modules', '.bin', 'tsc');

test('handler, cookie and workers types compile under --strict', async () => {
  const { dir } = await loadPackage();
  const file = path.join(dir, 'handlers-usage.ts');
  await fs.copyFile(path.join(HERE, 'fixtures', 'usage.ts'), file);
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'esnext,dom', 'handlers-usage.ts'];
  const result = await run(TSC, args, { cwd: dir }).then(() => ({ code: 0, out: '' }), (err) => ({ code: err.code, out: `${err.stdout}${err.stderr}` }));
  assert.equal(result.code, 0, result.out);
  // And a misuse is caught: a number as the cookie secret.
  await fs.writeFile(file, 'import { OAuthClient } from "helpdesk-oauth";\nimport { createInstallHandler } from "helpdesk-oauth/handlers";\ndeclare const client: OAuthClient;\ncreateInstallHandler({ client, cookieSecret: 42 });\n');
  const bad = await run(TSC, args, { cwd: dir }).then(() => ({ code: 0, out: '' }), (err) => ({ code: err.code, out: `${err.stdout}` }));
  assert.notEqual(bad.code, 0);
  assert.match(bad.out, /CookieSecret/);
});
