// DurableObjectSession's 429 options (maxRetryAfterSeconds, retries, now, sleep) and
// accessToken({ signal }) type under `tsc --strict`, compiled inside the scratch project that has
// the packed package installed (the exports map's `types` entries are what is used); a misuse is
// refused.
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
const ARGS = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'esnext,dom'];

async function tsc(dir, file) {
  return run(TSC, [...ARGS, file], { cwd: dir }).then(() => ({ code: 0, out: '' }), (err) => ({ code: err.code, out: `${err.stdout}${err.stderr}` }));
}

test('DurableObjectSession retry options type under --strict; a misuse is refused', async () => {
  const { dir } = await loadPackage();
  const file = 'do-session-options-usage.ts';
  await fs.copyFile(path.join(HERE, 'support', 'session-options-usage.ts'), path.join(dir, file));
  const ok = await tsc(dir, file);
  assert.equal(ok.code, 0, ok.out);

  const misuse = 'misuse-do-session-options.ts';
  await fs.writeFile(
    path.join(dir, misuse),
    'import { durableObjectSession, type DurableObjectNamespaceLike } from "helpdesk-oauth/workers";\nimport type { OAuthClient } from "helpdesk-oauth";\ndeclare const client: OAuthClient;\ndeclare const namespace: DurableObjectNamespaceLike;\ndurableObjectSession({ namespace, client, retries: "2" });\n',
  );
  const bad = await tsc(dir, misuse);
  assert.notEqual(bad.code, 0);
  // The string `retries` on line 5, and nothing else.
  assert.match(bad.out, /^misuse-do-session-options\.ts\(5,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\.$/m);
  assert.equal(bad.out.trim().split('\n').length, 1, bad.out);
});
