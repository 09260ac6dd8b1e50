// `helpdesk-oauth emulator` starts the emulator like the README's command, with a Kustomer API
// key for the app-registration endpoints, and stops on SIGTERM.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { installed, sandbox, start, run } from './support/cli.mjs';

let t;
before(async () => {
  t = await installed();
});

test('emulator: listens, prints its URL and apps, serves login and Kustomer registration, stops on SIGTERM', async () => {
  const box = sandbox();
  const em = start(t.bin, ['emulator', '--port', '0', '--provider', 'gorgias', '--client-id', 'c1', '--client-secret', 's1', '--redirect-uri', 'http://127.0.0.1:9/cb', '--kustomer-org', 'shop'], box);
  try {
    const [, url] = await em.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    const [, key] = await em.waitFor(/its API key \(KUSTOMER_API_KEY, valid for this run only\): (\S+)\n/);
    await em.waitFor(/Ctrl-C to stop/);
    const q = new URLSearchParams({ response_type: 'code', client_id: 'c1', redirect_uri: 'http://127.0.0.1:9/cb', scope: 'openid', state: 'x' });
    const cb = new URL(await t.emulator.answerConsent(`${url}/gorgias/acme/oauth/authorize?${q}`));
    assert.ok(cb.searchParams.get('code'));
    const reg = await run(t.bin, ['kustomer', 'register-app', '--base-url', url, '--app', 'tool', '--redirect-uri', 'http://127.0.0.1:9/cb', '--json'], { ...box, env: { ...box.env, KUSTOMER_API_KEY: key } });
    assert.equal(reg.code, 0, reg.stderr);
    assert.equal(JSON.parse(reg.stdout).app, 'tool_shop');
  } finally {
    em.child.kill('SIGTERM');
  }
  const { code } = await em.exited;
  assert.equal(code, 0);
});

test('emulator: a bad flag or apps file is a usage error', async () => {
  const box = sandbox();
  const r = await run(t.bin, ['emulator', '--config', '/nonexistent/apps.json'], box);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /file not found/);
  const r2 = await run(t.bin, ['emulator', '--client-secret', 'x'], box);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /need --client-id/);
});
