// Both bins that start the emulator — `helpdesk-oauth-emulator` and `helpdesk-oauth emulator` —
// take the same flags (helpdesk-oauth/emulator parses them): --host-suffix, --kustomer-api-key,
// --kustomer-org and the apps file's kustomerApiKeys work in each, and a bad value is exit 2 with
// a message naming it (never quoting the key).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { installed, sandbox, start, run } from './support/cli.mjs';

let t;
let bins;
before(async () => {
  t = await installed();
  const emulatorBin = path.join(path.dirname(t.bin), 'helpdesk-oauth-emulator');
  bins = [
    ['helpdesk-oauth-emulator', emulatorBin, []],
    ['helpdesk-oauth emulator', t.bin, ['emulator']],
  ];
});

const FLAG_KEY = 'kapi_flag_key_0001';
const FILE_KEY = 'kapi_file_key_0002';
const REDIRECT = 'http://127.0.0.1:9/cb';

function appsFile(box, data) {
  const p = path.join(box.root, 'apps.json');
  writeFileSync(p, JSON.stringify(data));
  return p;
}

/** A request with its own Host header (fetch cannot set one), as a browser resolving *.SUFFIX sends it. */
function getWithHost(url, host) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { host } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

const register = (url, key, app) =>
  fetch(`${url}/v1/apps/available`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ app, version: '0.0.1', title: 'Flags app', visibility: 'private', redirectUris: [REDIRECT] }),
  });

test('both bins: --host-suffix, --kustomer-api-key / --kustomer-org and the file\'s kustomerApiKeys', async () => {
  for (const [name, bin, prefix] of bins) {
    const box = sandbox();
    const config = appsFile(box, {
      apps: [{ provider: 'gorgias', clientId: 'c1', clientSecret: 's1', redirectUris: [REDIRECT] }],
      kustomerApiKeys: [{ key: FILE_KEY, org: 'beta' }],
    });
    const args = [...prefix, '--config', config, '--port', '0', '--host-suffix', 'emu.test', '--kustomer-api-key', FLAG_KEY, '--kustomer-org', 'shop'];
    const em = start(bin, args, box);
    try {
      const [, url] = await em.waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+))\n/);
      const port = new URL(url).port;
      const q = new URLSearchParams({ response_type: 'code', client_id: 'c1', redirect_uri: REDIRECT, scope: 'openid', state: 'x' });
      assert.equal(await getWithHost(`${url}/oauth/authorize?${q}`, `acme.gorgias.emu.test:${port}`), 200, `${name}: consent page on the --host-suffix host`);
      assert.equal(await getWithHost(`${url}/oauth/authorize?${q}`, `acme.gorgias.localhost:${port}`), 404, `${name}: not on the default suffix`);

      const viaFlag = await register(url, FLAG_KEY, 'flagtool');
      assert.equal(viaFlag.status, 201, name);
      assert.equal((await viaFlag.json()).data.attributes.name, 'flagtool_shop', `${name}: the key's org is --kustomer-org`);
      const viaFile = await register(url, FILE_KEY, 'filetool');
      assert.equal(viaFile.status, 201, name);
      assert.equal((await viaFile.json()).data.attributes.name, 'filetool_beta', `${name}: the file's key works too`);
      assert.equal((await register(url, 'kapi_unknown_key_3', 'nokey')).status, 401, name);
    } finally {
      em.child.kill('SIGTERM');
    }
    const done = await em.exited;
    assert.equal(done.code, 0, `${name}: ${done.stderr}`);
    assert.ok(!done.stdout.includes(FLAG_KEY), `${name} does not print a key it was given`);
  }
});

test('both bins: a bad Kustomer key flag or apps-file entry is exit 2 naming it, without the key', async () => {
  for (const [name, bin, prefix] of bins) {
    const box = sandbox();
    const badFile = appsFile(box, { apps: [], kustomerApiKeys: [{ key: FILE_KEY, org: 'Not A Label' }] });
    const cases = [
      [['--kustomer-api-key', 'kapi key with spaces'], /--kustomer-api-key must be 8 or more printable characters without spaces/],
      [['--kustomer-api-key', FLAG_KEY, '--kustomer-org', 'Shop_Inc'], /--kustomer-org must be one DNS label/],
      [['--config', badFile], /kustomerApiKeys\[0\]\.org must be one DNS label/],
      [['--kustomer-api-key', FLAG_KEY, '--host-suffix'], /--host-suffix/],
    ];
    const results = await Promise.all(cases.map(([args]) => run(bin, [...prefix, ...args], box)));
    results.forEach((r, i) => {
      const [args, message] = cases[i];
      assert.equal(r.code, 2, `${name} ${args.join(' ')} → ${r.code}: ${r.stderr}`);
      assert.match(r.stderr, message, `${name} ${args.join(' ')}`);
      assert.ok(!r.stderr.includes(FLAG_KEY) && !r.stderr.includes('with spaces'), `${name}: the key is not quoted`);
      assert.doesNotMatch(r.stdout, /listening/);
    });
  }
});

test('helpdesk-oauth emulator: a bad KUSTOMER_API_KEY is named as such', async () => {
  const box = sandbox();
  const r = await run(t.bin, ['emulator', '--port', '0'], { ...box, env: { ...box.env, KUSTOMER_API_KEY: 'short' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /KUSTOMER_API_KEY must be 8 or more printable characters/);
});
