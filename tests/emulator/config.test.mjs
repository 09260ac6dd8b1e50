// The apps file, the flags, and the one command that starts the emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, EmulatorConfigError, startEmulator, answerConsent } from '../../emulator/index.mjs';
import { optionsFromArgs } from '../../emulator/cli-options.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'emulator-config-'));
const file = (name, data) => {
  const p = join(dir, name);
  writeFileSync(p, typeof data === 'string' ? data : JSON.stringify(data));
  return p;
};
const APP = { provider: 'gorgias', clientId: 'c', clientSecret: 's', redirectUris: ['http://127.0.0.1:3000/cb'] };

test('the shipped apps.json loads', () => {
  const c = loadConfigFile(join(ROOT, 'emulator', 'apps.json'));
  assert.equal(c.apps.length, 2);
  assert.equal(c.port, 4010);
});

test('bad config files fail with the field named', () => {
  const cases = [
    [file('missing-x.json', '{'), /Expected|JSON/],
    [join(dir, 'nope.json'), /file not found/],
    [file('a.json', { apps: [{ ...APP, secret: 'x' }] }), /apps\[0\]: unknown field secret/],
    [file('b.json', { apps: [{ ...APP, provider: 'freshdesk' }] }), /provider must be one of gorgias, kustomer/],
    [file('c.json', { apps: [{ ...APP, redirectUris: ['/cb'] }] }), /not an absolute URL/],
    [file('d.json', { apps: [{ ...APP, redirectUris: ['http://x/cb#f'] }] }), /fragment/],
    [file('e.json', { apps: [APP], expiresIn: -1 }), /expiresIn must be a positive integer/],
    [file('f.json', { apps: [APP], routing: 'dns' }), /routing must be one of/],
    [file('g.json', { app: [APP] }), /unknown field app/],
  ];
  for (const [path, message] of cases) {
    assert.throws(() => loadConfigFile(path), (e) => e instanceof EmulatorConfigError && message.test(e.message), path);
  }
});

test('flags register an app and override the file', () => {
  const p = file('ok.json', { apps: [APP], port: 4999, autoApprove: false });
  let o = optionsFromArgs(['--config', p, '--port', '0', '--auto-approve', '--client-id', 'k', '--client-secret', 'ks', '--redirect-uri', 'http://a/cb', '--redirect-uri', 'http://b/cb', '--provider', 'kustomer']);
  assert.equal(o.port, 0);
  assert.equal(o.autoApprove, true);
  assert.deepEqual(o.apps.map((a) => a.clientId), ['c', 'k']);
  assert.deepEqual(o.apps[1].redirectUris, ['http://a/cb', 'http://b/cb']);
  o = optionsFromArgs(['--config', p]);
  assert.equal(o.port, 4999);
  assert.throws(() => optionsFromArgs([]), /no app registered/);
  assert.throws(() => optionsFromArgs(['--client-secret', 'x']), /need --client-id/);
  assert.throws(() => optionsFromArgs(['--client-id', 'x', '--client-secret', 'y']), /redirectUris must be a non-empty array/);
  assert.throws(() => optionsFromArgs(['--port', 'eighty', '--client-id', 'x', '--client-secret', 'y', '--redirect-uri', 'http://a/cb']), /--port must be a whole number/);
  assert.equal(optionsFromArgs(['--help']), null);
});

test('startEmulator checks its options too', async () => {
  await assert.rejects(startEmulator({ apps: [{ clientId: 'c', redirectUris: ['http://a/cb'] }] }), /clientSecret must be a non-empty string/);
});

test('the CLI starts the emulator, prints its URL, serves a consent page, and stops on SIGTERM', async () => {
  const p = file('cli.json', { apps: [APP] });
  const child = spawn(process.execPath, [join(ROOT, 'emulator', 'cli.mjs'), '--config', p, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const url = await new Promise((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    const q = new URLSearchParams({ response_type: 'code', client_id: 'c', redirect_uri: APP.redirectUris[0], scope: 'openid', state: 'z' });
    const cb = new URL(await answerConsent(`${url}/gorgias/acme/oauth/authorize?${q}`));
    assert.ok(cb.searchParams.get('code'));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('the CLI refuses bad flags with exit code 2 and the usage', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'emulator', 'cli.mjs'), '--routing', 'dns', '--client-id', 'c', '--client-secret', 's', '--redirect-uri', 'http://a/cb'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(err, /routing must be one of auto, host, path/);
  assert.match(err, /usage: helpdesk-oauth-emulator/);
});
