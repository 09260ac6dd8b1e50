// How the store modules ship: subpath exports with their own declarations (compiled under
// --strict, misuse refused), nothing of them loaded by the main entry, and importable where pg,
// node-redis and ioredis are not installed (they are optional peer dependencies: the app passes
// its own client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { loadPackage, packageDir } from '../node/support/install-package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');

function typecheck(source) {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-oauth-stores-types-'));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  cpSync(packageDir(), join(dir, 'node_modules', 'helpdesk-oauth'), { recursive: true });
  writeFileSync(join(dir, 'usage.ts'), source);
  const args = [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom,esnext.disposable', '--types', '', 'usage.ts'];
  try {
    execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (e) {
    return `${e.stdout}${e.stderr}` || 'failed';
  }
}

test('tests/stores/usage.ts type-checks with --strict; the store declarations have no `any`', () => {
  assert.equal(typecheck(readFileSync(join(root, 'tests', 'stores', 'usage.ts'), 'utf8')), '');
  for (const f of ['postgres.d.ts', 'redis.d.ts', 'sealed.d.ts']) assert.doesNotMatch(readFileSync(join(packageDir(), 'stores', f), 'utf8'), /\bany\b/, f);
});

test('misuse of the store types does not compile', () => {
  const misuse = [
    'import { PostgresTokenStore } from "helpdesk-oauth/postgres"; new PostgresTokenStore({});',
    'import { PostgresTokenStore } from "helpdesk-oauth/postgres"; declare const p: { query(c: { text: string }): Promise<{ rows: []; rowCount: number }> }; new PostgresTokenStore(p, { leaseMs: "60s" });',
    'import { RedisTokenStore } from "helpdesk-oauth/redis"; new RedisTokenStore({ get() {} });',
    'import { SealedTokenStore } from "helpdesk-oauth/sealed"; import { MemoryTokenStore } from "helpdesk-oauth/session"; new SealedTokenStore(new MemoryTokenStore(), { keys: {} });',
    'import { OAuthClient } from "helpdesk-oauth"; import { createCallbackHandler } from "helpdesk-oauth/handlers"; declare const c: OAuthClient; createCallbackHandler({ client: c, cookieSecret: "x", onTokens: () => undefined, stateStore: { consume: () => true } });',
  ];
  for (const source of misuse) assert.notEqual(typecheck(source), '', `compiled but should not: ${source}`);
});

test('the main entry loads none of the store modules; the subpaths load without pg, redis or ioredis installed', async () => {
  const { dir } = await loadPackage();
  assert.ok(!existsSync(join(dir, 'node_modules', 'pg')) && !existsSync(join(dir, 'node_modules', 'ioredis')), 'optional peers are not installed with the package');
  writeFileSync(
    join(dir, 'record-loads.mjs'),
    `export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  process.stderr.write('LOADED ' + r.url + '\\n');
  return r;
}
`,
  );
  const script = `
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register('./record-loads.mjs', pathToFileURL('./'));
const main = await import('helpdesk-oauth');
process.stderr.write('MAIN DONE ' + typeof main.OAuthClient + '\\n');
const [pg, redis, sealed] = await Promise.all([import('helpdesk-oauth/postgres'), import('helpdesk-oauth/redis'), import('helpdesk-oauth/sealed')]);
process.stderr.write('SUBPATHS ' + [typeof pg.PostgresTokenStore, typeof redis.RedisTokenStore, typeof sealed.SealedTokenStore].join(',') + '\\n');
const missing = await import('pg').then(() => 'found', () => 'missing');
process.stderr.write('PG ' + missing + '\\n');
`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stderr.split('\n');
  const mainDone = lines.indexOf('MAIN DONE function');
  assert.ok(mainDone > 0, run.stderr);
  const beforeMain = lines.slice(0, mainDone).filter((l) => l.startsWith('LOADED '));
  assert.ok(beforeMain.some((l) => l.includes('/helpdesk-oauth/api.mjs')), 'the hook saw the main entry load');
  assert.deepEqual(beforeMain.filter((l) => /\/stores\/|\bpg\b|redis/.test(l)), [], 'no store module, pg or redis code behind the main entry');
  assert.ok(lines.includes('SUBPATHS function,function,function'), run.stderr);
  assert.ok(lines.includes('PG missing'), run.stderr);
});
