// `make demo` (examples/demo/serve.mjs) as a new user meets it: a busy port is named with the
// variable that moves it (DEMO_APP_PORT / DEMO_EMULATOR_PORT), a bad value is a usage error, and
// with free ports it prints its URLs and stops on SIGTERM. Needs the packed package installed in
// examples/demo (make demo-install).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'demo', 'serve.mjs');

function serve(env) {
  const child = spawn(process.execPath, [SERVE], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  /** Resolves with the first match of `regex` in stdout; rejects if the process ends first. */
  const waitFor = (regex) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = regex.exec(stdout);
        if (m) resolve(m);
      };
      child.stdout.on('data', () => setImmediate(check));
      check();
      exited.then((r) => reject(new Error(`serve.mjs exited ${r.code} first: ${r.stderr}`)));
    });
  return { child, exited, waitFor };
}

async function busyPort() {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  return blocker;
}

test('a busy port names the port, which server wanted it, and the variable that moves it', async () => {
  const blocker = await busyPort();
  const { port } = blocker.address();
  try {
    const cases = [
      [{ DEMO_APP_PORT: String(port), DEMO_EMULATOR_PORT: '0' }, `make demo: port ${port} (the example app) is already in use. Stop what uses it, or pick another port: DEMO_APP_PORT=N make demo (0: any free port)`],
      [{ DEMO_APP_PORT: '0', DEMO_EMULATOR_PORT: String(port) }, `make demo: port ${port} (the provider emulator) is already in use. Stop what uses it, or pick another port: DEMO_EMULATOR_PORT=N make demo (0: any free port)`],
    ];
    for (const [env, message] of cases) {
      const r = await serve(env).exited;
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr.trim(), message);
      assert.equal(r.stdout, '');
    }
  } finally {
    blocker.close();
  }
});

test('a port that is not a number is a usage error naming the variable', async () => {
  const r = await serve({ DEMO_APP_PORT: 'http' }).exited;
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim(), 'make demo: DEMO_APP_PORT must be a port number from 0 to 65535 (0: any free port)');
});

test('with free ports it prints where everything is and stops on SIGTERM', async () => {
  const s = serve({ DEMO_APP_PORT: '0', DEMO_EMULATOR_PORT: '0' });
  const [, appUrl] = await s.waitFor(/example app +(http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ctrl-C to stop/);
  assert.equal((await fetch(`${appUrl}/`)).status, 200);
  s.child.kill('SIGTERM');
  const r = await s.exited;
  assert.equal(r.code, 0, r.stderr);
});
