// The JS shell around the synchronous wasm core, as a user meets it: records are plain values
// (stable on every read, cheap to serialize), a wrong argument is a HelpdeskOAuthError with a
// code (never wasm-bindgen's "expected instance of"), and an uncaught error never makes Node print
// a huge minified line as its source line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPackage, packageDir } from './support/install-package.mjs';

const installed = await loadPackage();
const { esm, cjs } = installed;
const { OAuthClient, TokenSet, PendingAuthorization, HelpdeskOAuthError } = esm;

const options = { provider: 'gorgias', clientId: 'client-1', clientSecret: 's3cr3t-value-never-shown', redirectUri: 'https://app.example.com/cb', scopes: ['openid', 'offline'] };

test('req.pending is the same object on every read, and serialize() is stable', () => {
  const req = new OAuthClient(options).authorize({ account: 'acme' });
  assert.equal(req.pending, req.pending);
  assert.equal(req.pending.serialize(), req.pending.serialize());
  assert.equal(req.state, req.pending.state);
});

test('a wrong argument is a HelpdeskOAuthError with a code, not a wasm-bindgen error', async () => {
  const client = new OAuthClient(options);
  const cases = [
    [() => client.refresh({ refreshToken: 'rt' }), 'token_set_invalid'],
    [() => client.revoke('not a token set'), 'token_set_invalid'],
    [() => client.exchangeCode(42, 'x'), 'invalid_callback'],
    [() => client.exchangeCode('https://app.example.com/cb?code=c&state=s', { state: 'forged' }), 'pending_invalid'],
    [() => client.authorize({ account: 'acme', scope: ['x'] }), 'invalid_config'],
    [() => client.authorize('acme'), 'invalid_config'],
    [() => new OAuthClient(), 'invalid_config'],
    [() => new OAuthClient({ ...options, fetch: 'not a function' }), 'invalid_config'],
    [() => new OAuthClient({ ...options, scopes: [() => 1] }), 'invalid_config'],
    [() => TokenSet.fromJSON(12), 'token_set_invalid'],
    [() => PendingAuthorization.deserialize(null), 'pending_invalid'],
    [() => new TokenSet(), 'token_set_invalid'],
  ];
  for (const [call, code] of cases) {
    const err = await (async () => call())().then(() => null, (e) => e);
    assert.ok(err instanceof HelpdeskOAuthError, `${call}: ${err}`);
    assert.equal(err.code, code, `${call}: ${err.message}`);
    assert.doesNotMatch(err.message, /expected instance of|null pointer|unreachable/);
    assert.ok(!err.message.includes(options.clientSecret));
  }
});

test('a freed client says so with a code', () => {
  const client = new OAuthClient(options);
  client.free();
  assert.throws(() => client.authorize({ account: 'acme' }), (e) => e instanceof HelpdeskOAuthError && e.code === 'invalid_config');
});

test('records own no wasm memory: a token set survives its client being freed', () => {
  const stored = JSON.stringify({ v: 1, provider: 'gorgias', account: 'acme', token_type: 'Bearer', access_token: 'at', refresh_token: 'rt', scope: ['offline'], expires_at: 10, obtained_at: 0 });
  const client = new OAuthClient(options);
  const tokens = TokenSet.fromJSON(stored);
  client.free();
  assert.equal(tokens.accessToken, 'at');
  assert.equal(tokens.serialize(), stored);
  assert.equal(typeof tokens.free, 'undefined');
});

test('CJS and ESM read each other\'s records', () => {
  const req = new cjs.OAuthClient(options).authorize({ account: 'acme' });
  const restored = esm.PendingAuthorization.deserialize(req.pending.serialize());
  assert.equal(restored.state, req.state);
});

test('no line of the shipped JS is longer than 2000 characters', () => {
  const root = packageDir();
  const walk = (dir) => readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : /\.(m?js|cjs)$/.test(name) ? [path] : [];
  });
  for (const file of walk(root)) {
    const longest = Math.max(...readFileSync(file, 'utf8').split('\n').map((l) => l.length));
    assert.ok(longest <= 2000, `${file}: a line of ${longest} characters`);
  }
});

test('an uncaught error under ESM prints a short source line', async () => {
  // A script in the scratch project (where the package is installed) that throws from it.
  const script = join(installed.dir, `throw-${process.pid}.mjs`);
  writeFileSync(script, 'import { OAuthClient } from "helpdesk-oauth";\nnew OAuthClient({ provider: "nope", clientId: "c", redirectUri: "https://a/cb" });\n');
  const err = await promisify(execFile)(process.execPath, [script], { cwd: installed.dir }).then(() => null, (e) => e);
  assert.ok(err, 'the script fails');
  assert.match(err.stderr, /HelpdeskOAuthError/);
  const longest = Math.max(...err.stderr.split('\n').map((l) => l.length));
  assert.ok(longest <= 2000, `stderr has a line of ${longest} characters`);
});
