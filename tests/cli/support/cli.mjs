// Driving the installed `helpdesk-oauth` bin as a subprocess: the packed tarball installed into a
// scratch project (tests/node/support/install-package.mjs), run through node_modules/.bin with a
// clean environment (own HOME and XDG_CONFIG_HOME, no browser), and the emulator from the same
// installed package (helpdesk-oauth/emulator).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, realpathSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPackage } from '../../node/support/install-package.mjs';

export async function installed() {
  const pkg = await loadPackage();
  const bin = path.join(pkg.dir, 'node_modules', '.bin', 'helpdesk-oauth');
  const emulatorEntry = createRequire(path.join(pkg.dir, 'package.json')).resolve('helpdesk-oauth/emulator');
  const emulator = await import(pathToFileURL(emulatorEntry).href);
  return { ...pkg, bin, emulator };
}

/** A fresh home for one test: HOME, XDG_CONFIG_HOME and a working directory outside any project. */
export function sandbox() {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'helpdesk-oauth-cli-')));
  const env = {
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: path.join(root, 'home'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    HELPDESK_OAUTH_NO_BROWSER: '1',
  };
  return { root, env, cwd: root, storePath: path.join(root, 'config', 'helpdesk-oauth', 'tokens.json') };
}

/** Starts the CLI; `lines()` yields stdout lines as they come. */
export function start(bin, args, { env, cwd }) {
  const child = spawn(bin, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', (c) => {
    stdout += c;
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding('utf8').on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    exited,
    /** Resolves with the first regex match in stdout (rejects if the process ends first). */
    waitFor(regex) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = regex.exec(stdout);
          if (m) {
            waiters.splice(waiters.indexOf(check), 1);
            resolve(m);
          }
        };
        waiters.push(check);
        check();
        exited.then(({ code }) => reject(new Error(`CLI exited ${code} before printing ${regex}:\n${stdout}\n${stderr}`)));
      });
    },
  };
}

/** Runs the CLI to completion: { code, stdout, stderr }. */
export function run(bin, args, options) {
  return start(bin, args, options).exited;
}

/** A port that was free a moment ago (for redirect URIs registered before login starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Plays the browser for `helpdesk-oauth login`: reads the authorize URL the CLI printed, answers
 * the emulator's consent page, and follows the redirect to the CLI's loopback server.
 * @returns {Promise<{code: number, stdout: string, stderr: string, page: {status: number, body: string}, authorizeUrl: string}>}
 */
export async function login(t, args, box, { decision = 'approve', json = false } = {}) {
  const cli = start(t.bin, ['login', ...args, ...(json ? ['--json'] : [])], box);
  const authorizeUrl = json
    ? JSON.parse((await cli.waitFor(/^(\{"event":"authorize".*)$/m))[1]).authorizeUrl
    : (await cli.waitFor(/^ {2}(http:\/\/\S+\/oauth\/authorize\?\S+)$/m))[1];
  const callback = await t.emulator.answerConsent(authorizeUrl, { decision });
  const res = await fetch(callback);
  const page = { status: res.status, body: await res.text() };
  return { ...(await cli.exited), page, authorizeUrl };
}

/** Splits a printed command into words the way a POSIX shell does for plain and '…' words. */
export function shellWords(command) {
  const words = [];
  const re = /\s*(?:'((?:[^']|'\\'')*)'|([^\s']+))/g;
  let m;
  while ((m = re.exec(command)) && m[0].trim()) words.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]);
  return words;
}
