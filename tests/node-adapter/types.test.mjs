// The types of helpdesk-oauth/node fit node:http and Express as their own type packages declare
// them (fixtures/usage.ts under `tsc --strict`), and misuse does not compile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPackage } from '../node/support/install-package.mjs';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TSC = path.resolve(HERE, '..', '..', 'node_modules', '.bin', 'tsc');
const ARGS = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom,esnext.disposable', '--types', 'node', 'usage.ts'];

/** A project with the packed package, express and the @types of this directory's lockfile. */
async function project() {
  const { dir: consumer } = await loadPackage();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'helpdesk-oauth-node-types-'));
  await fs.mkdir(path.join(dir, 'node_modules'));
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-types-usage', private: true, type: 'module' }));
  await fs.symlink(path.join(consumer, 'node_modules', 'helpdesk-oauth'), path.join(dir, 'node_modules', 'helpdesk-oauth'));
  for (const name of ['@types', 'express']) await fs.symlink(path.join(HERE, 'node_modules', name), path.join(dir, 'node_modules', name));
  return dir;
}

const tsc = (dir) => run(TSC, ARGS, { cwd: dir }).then(() => ({ code: 0, out: '' }), (err) => ({ code: err.code, out: `${err.stdout}${err.stderr}` }));

test('helpdesk-oauth/node types fit node:http and Express under --strict', async () => {
  const dir = await project();
  await fs.copyFile(path.join(HERE, 'fixtures', 'usage.ts'), path.join(dir, 'usage.ts'));
  const result = await tsc(dir);
  assert.equal(result.code, 0, result.out);
});

test('misuse does not compile: no origin, a handler that does not answer a Response', async () => {
  const dir = await project();
  const cases = [
    ['toNodeHandler(() => new Response(""), {});', /origin/],
    ['toNodeHandler(() => "text", { origin: "https://a.example" });', /Response/],
  ];
  for (const [line, message] of cases) {
    await fs.writeFile(path.join(dir, 'usage.ts'), `import { toNodeHandler } from "helpdesk-oauth/node";\n${line}\n`);
    const result = await tsc(dir);
    assert.notEqual(result.code, 0, line);
    assert.match(result.out, message, line);
  }
});
