// The session declarations: real usage compiles under tsc --strict, misuse does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { packageDir } from '../node/support/install-package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('tests/session/usage.ts type-checks against the package with --strict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-oauth-session-types-'));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  cpSync(packageDir(), join(dir, 'node_modules', 'helpdesk-oauth'), { recursive: true });
  writeFileSync(join(dir, 'usage.ts'), readFileSync(join(root, 'tests', 'session', 'usage.ts')));
  const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
  const args = [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom,esnext.disposable', '--types', '', 'usage.ts'];
  try {
    execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc reported errors:\n${e.stdout}${e.stderr}`);
  }
});

test('the session declarations have no `any` and name every new error code', () => {
  const index = readFileSync(join(packageDir(), 'index.d.ts'), 'utf8');
  assert.doesNotMatch(index, /\bany\b/);
  const glue = readFileSync(join(packageDir(), 'core.d.ts'), 'utf8');
  for (const code of ['reauthorization_required', 'token_store_conflict', 'token_store_error', 'aborted']) {
    assert.match(glue, new RegExp(`"${code}"`), `${code} in the ErrorCode union`);
    assert.match(readFileSync(join(root, 'ERRORS.md'), 'utf8'), new RegExp(`\`${code}\``), `${code} in ERRORS.md`);
  }
});
