// helpdesk-oauth/emulator's declarations: the shared flag parser type-checks under --strict as a
// bin would use it, misuse does not, and the declarations hold no `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkgDir = process.env.HELPDESK_OAUTH_PKG_DIR ?? join(root, 'pkg');
const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');

const USAGE = `
import { parseEmulatorArgs, emulatorOptionsFromFlags, emulatorFlags, emulatorFlagsHelp, emulatorUsage, startEmulator, EmulatorConfigError } from "helpdesk-oauth/emulator";
import type { EmulatorFlagValues, KustomerApiKey } from "helpdesk-oauth/emulator";
const help: string = emulatorUsage + emulatorFlagsHelp;
const multiple: boolean | undefined = emulatorFlags["redirect-uri"].multiple;
const options = parseEmulatorArgs(["--kustomer-api-key", "kapi_12345678"]);
if (options !== null) {
  const port: number = options.port;
  const keys: KustomerApiKey[] | undefined = options.kustomerApiKeys;
  void startEmulator(options).then((em) => em.close());
  void [port, keys];
}
const values: EmulatorFlagValues = { "client-id": "c", "redirect-uri": ["http://127.0.0.1:9/cb"], "auto-approve": true };
const fromValues = emulatorOptionsFromFlags(values, { newKustomerApiKey: () => "kapi_generated" });
const org: string | undefined = fromValues.kustomerApiKeys?.[0]?.org;
const isConfigError = (e: unknown): boolean => e instanceof EmulatorConfigError;
void [help, multiple, org, isConfigError];
`;

const MISUSE = [
  'import { parseEmulatorArgs } from "helpdesk-oauth/emulator"; parseEmulatorArgs("--port 4010");',
  'import { emulatorOptionsFromFlags } from "helpdesk-oauth/emulator"; emulatorOptionsFromFlags({ port: 4010 });',
  'import { emulatorOptionsFromFlags } from "helpdesk-oauth/emulator"; emulatorOptionsFromFlags({ "kustomer-key": "x" });',
  'import { parseEmulatorArgs } from "helpdesk-oauth/emulator"; const p: number = parseEmulatorArgs([]).port;',
];

function typeCheck(source) {
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-oauth-emulator-types-'));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  cpSync(pkgDir, join(dir, 'node_modules', 'helpdesk-oauth'), { recursive: true });
  writeFileSync(join(dir, 'usage.ts'), source);
  const args = [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom,esnext.disposable', '--types', '', 'usage.ts'];
  try {
    execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (e) {
    return `${e.stdout}${e.stderr}` || 'tsc failed';
  }
}

test('the shared flag parser type-checks as a bin uses it', () => {
  assert.equal(typeCheck(USAGE), '');
});

test('misusing it does not type-check', () => {
  for (const source of MISUSE) assert.match(typeCheck(source), /^usage\.ts\(\d+,\d+\): error TS/m, source);
});

test('emulator/index.d.ts declares no `any`', () => {
  const code = readFileSync(join(pkgDir, 'emulator', 'index.d.ts'), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*\*|\*)/.test(line));
  assert.deepEqual(code.filter((line) => /\bany\b/.test(line)), []);
});
