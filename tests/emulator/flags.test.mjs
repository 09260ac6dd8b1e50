// The shared flag parser (helpdesk-oauth/emulator's parseEmulatorArgs / emulatorOptionsFromFlags):
// the Kustomer API-key flags and the apps file's kustomerApiKeys, --host-suffix, and the checks
// that turn a bad value into an EmulatorConfigError naming the flag without quoting the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEmulatorArgs, emulatorOptionsFromFlags, emulatorFlags, emulatorFlagsHelp, emulatorUsage, loadConfigFile, startEmulator, EmulatorConfigError } from '../../emulator/index.mjs';

const dir = mkdtempSync(join(tmpdir(), 'emulator-flags-'));
const file = (name, data) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(data));
  return p;
};
const APP = { provider: 'gorgias', clientId: 'c', clientSecret: 's', redirectUris: ['http://127.0.0.1:3000/cb'] };
const APP_FLAGS = ['--client-id', 'c', '--client-secret', 's', '--redirect-uri', 'http://127.0.0.1:3000/cb'];
const SECRET_KEY = 'kapi_flag_secret_123';

test('every flag the parser reads is declared and documented', () => {
  for (const name of Object.keys(emulatorFlags)) {
    if (name === 'help') continue;
    assert.ok(emulatorFlagsHelp.includes(`--${name}`), `--${name} is in the help text`);
  }
  assert.ok(emulatorUsage.startsWith('usage: helpdesk-oauth-emulator'));
  assert.ok(emulatorUsage.endsWith(emulatorFlagsHelp));
});

test('--kustomer-api-key and --kustomer-org register a key, before the file\'s keys', () => {
  const p = file('keys.json', { apps: [APP], kustomerApiKeys: [{ key: 'kapi_from_file_1', org: 'beta' }] });
  const o = parseEmulatorArgs(['--config', p, '--kustomer-api-key', SECRET_KEY, '--kustomer-org', 'shop']);
  assert.deepEqual(o.kustomerApiKeys, [{ key: SECRET_KEY, org: 'shop' }, { key: 'kapi_from_file_1', org: 'beta' }]);
  assert.deepEqual(parseEmulatorArgs([...APP_FLAGS, '--kustomer-api-key', SECRET_KEY]).kustomerApiKeys, [{ key: SECRET_KEY, org: 'acme' }]);
  assert.deepEqual(parseEmulatorArgs(['--config', p]).kustomerApiKeys, [{ key: 'kapi_from_file_1', org: 'beta' }]);
  assert.equal(parseEmulatorArgs(APP_FLAGS).kustomerApiKeys, undefined);
});

test('a Kustomer key alone is enough to start (apps come from registration)', () => {
  const o = parseEmulatorArgs(['--kustomer-api-key', SECRET_KEY]);
  assert.deepEqual(o.apps, []);
  assert.equal(o.port, 4010);
  assert.throws(() => parseEmulatorArgs([]), /no app registered: .*--kustomer-api-key/);
});

test('newKustomerApiKey is asked only when neither the flags nor the file hold a key', () => {
  let calls = 0;
  const newKustomerApiKey = () => {
    calls += 1;
    return `kapi_made_${calls}_xyz`;
  };
  assert.deepEqual(emulatorOptionsFromFlags({ 'kustomer-org': 'shop' }, { newKustomerApiKey }).kustomerApiKeys, [{ key: 'kapi_made_1_xyz', org: 'shop' }]);
  emulatorOptionsFromFlags({ 'kustomer-api-key': SECRET_KEY }, { newKustomerApiKey });
  emulatorOptionsFromFlags({ config: file('k.json', { apps: [], kustomerApiKeys: [{ key: 'kapi_from_file_2', org: 'acme' }] }) }, { newKustomerApiKey });
  assert.equal(calls, 1);
});

test('--host-suffix reaches the options (and the file\'s hostSuffix loses to it)', () => {
  const p = file('suffix.json', { apps: [APP], hostSuffix: 'from-file.test' });
  assert.equal(parseEmulatorArgs(['--config', p]).hostSuffix, 'from-file.test');
  assert.equal(parseEmulatorArgs(['--config', p, '--host-suffix', 'flag.test']).hostSuffix, 'flag.test');
});

test('bad Kustomer key flags fail naming the flag, never quoting the key', () => {
  const cases = [
    [['--kustomer-org', 'shop', ...APP_FLAGS], /--kustomer-org needs --kustomer-api-key/],
    [['--kustomer-api-key', 'short'], /--kustomer-api-key must be 8 or more printable characters without spaces/],
    [['--kustomer-api-key', 'has a space in it'], /--kustomer-api-key must be 8 or more/],
    [['--kustomer-api-key', SECRET_KEY, '--kustomer-org', 'Not_A_Label'], /--kustomer-org must be one DNS label/],
    [['--kustomer-api-key', SECRET_KEY, '--kustomer-org', ''], /--kustomer-org must be one DNS label/],
    [['--kustomer-api-key'], /argument missing/],
    [[SECRET_KEY], /unexpected argument: every value belongs to a flag/],
    [['--expires-in', '0', ...APP_FLAGS], /--expires-in must be a whole number of at least 1/],
    [['--port', '70000', ...APP_FLAGS], /--port must be a whole number from 0 to 65535/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseEmulatorArgs(argv),
      (e) => e instanceof EmulatorConfigError && message.test(e.message) && !e.message.includes(SECRET_KEY) && !e.message.includes('has a space'),
      argv.join(' '),
    );
  }
});

test('kustomerApiKeys in the apps file is checked like the rest of the file', () => {
  const cases = [
    [{ kustomerApiKeys: { key: 'kapi_not_a_list', org: 'acme' } }, /: kustomerApiKeys must be an array of \{ key, org \}/],
    [{ kustomerApiKeys: ['kapi_just_a_string'] }, /kustomerApiKeys\[0\]: must be an object \{ key, org \}/],
    [{ kustomerApiKeys: [{ key: 'kapi_valid_key', org: 'acme', secret: 'x' }] }, /kustomerApiKeys\[0\]: unknown field secret/],
    [{ kustomerApiKeys: [{ key: 'short', org: 'acme' }] }, /kustomerApiKeys\[0\]\.key must be 8 or more/],
    [{ kustomerApiKeys: [{ key: 'kapi_valid_key', org: 'ACME Inc' }] }, /kustomerApiKeys\[0\]\.org must be one DNS label/],
    [{ kustomerApiKeys: [{ key: 'kapi_valid_key', org: 'a' }, { key: 'kapi_valid_key', org: 'b' }] }, /kustomerApiKeys\[1\]: the same key is listed twice/],
  ];
  cases.forEach(([data, message], i) => {
    const p = file(`bad-keys-${i}.json`, { apps: [APP], ...data });
    assert.throws(() => loadConfigFile(p), (e) => e instanceof EmulatorConfigError && message.test(e.message) && e.message.startsWith(p), JSON.stringify(data));
    assert.throws(() => parseEmulatorArgs(['--config', p]), message);
  });
});

test('startEmulator checks kustomerApiKeys with the same rules', async () => {
  await assert.rejects(startEmulator({ kustomerApiKeys: [{ key: 'kapi valid key', org: 'acme' }] }), /startEmulator: kustomerApiKeys\[0\]\.key must be 8 or more/);
});
