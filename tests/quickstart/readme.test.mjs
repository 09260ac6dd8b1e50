// README.md is what a new user reads first, on GitHub and (generated from it) on npm: the quick
// starts it shows are the files the other tests run, its runnable blocks run as written and
// print what their comments say, every API path it calls is one the emulator serves, and the npm
// README made from it has absolute links, no repository-only parts, and the sections people need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPackage, packageDir } from '../node/support/install-package.mjs';
import { npmReadme, isRelative } from '../../scripts/npm-readme.mjs';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const file = (p) => readFileSync(path.join(ROOT, p), 'utf8');

/** Fenced code blocks: { lang, code, marker } where marker is the `<!-- readme-test: … -->` line before it. */
function codeBlocks(markdown) {
  return [...markdown.matchAll(/(?:<!-- readme-test: ([^>]*?) -->\n)?^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ marker: m[1], lang: m[2], code: m[3] }));
}

/** GitHub's heading anchors. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');

test('the README shows the quick starts and the TokenStore example exactly as the tested files are', () => {
  const blocks = codeBlocks(README);
  for (const [p, lang] of [['examples/quickstart/app.mjs', 'js'], ['examples/quickstart/worker.js', 'js'], ['tests/types/token-store.ts', 'ts']]) {
    assert.ok(blocks.some((b) => b.lang === lang && b.code === file(p)), `README.md shows ${p} verbatim in a \`\`\`${lang} block`);
  }
});

test('the runnable README blocks run as written against the emulator and print what their comments say', async () => {
  const { dir } = await loadPackage();
  const runnable = codeBlocks(README).filter((b) => b.marker === 'runs');
  assert.ok(runnable.length >= 2, 'the client API script and the emulator example');
  for (const [i, block] of runnable.entries()) {
    const script = path.join(dir, `readme-block-${i}.mjs`);
    writeFileSync(script, block.code);
    const { stdout, stderr } = await run(process.execPath, [script], { cwd: dir });
    assert.equal(stderr, '', `block ${i} wrote to stderr`);
    const promised = block.code.split('\n').filter((l) => l.includes('console.log(')).map((l) => /\/\/ (.*)$/.exec(l)?.[1]).filter(Boolean);
    assert.deepEqual(stdout.trim().split('\n'), promised, `block ${i}:\n${block.code}`);
  }
});

test('every API path the README calls is served by the emulator', async () => {
  const paths = new Set();
  for (const m of README.matchAll(/(?:fetch|apiUrl)\(["'`](\/[^"'`]*)["'`]/g)) paths.add(m[1]);
  for (const m of README.matchAll(/https:\/\/acme\.gorgias\.com\/api(\/[^\s`"')]+)/g)) paths.add(m[1]);
  assert.ok(paths.has('/tickets?limit=10') && paths.has('/account') && paths.has('/v1/customers'), [...paths].join(' '));
  const { dir, esm } = await loadPackage();
  const emulator = await import(pathToFileURL(createRequire(path.join(dir, 'package.json')).resolve('helpdesk-oauth/emulator')).href);
  const redirectUri = 'http://127.0.0.1:9/cb';
  const em = await emulator.startEmulator({ apps: [{ clientId: 'readme', clientSecret: 'readme-secret', redirectUris: [redirectUri] }] });
  try {
    const scopes = {
      gorgias: ['openid', 'offline', 'account:read', 'tickets:read', 'customers:read'],
      kustomer: ['org.permission.customer', 'org.permission.conversation', 'offline_access'],
    };
    for (const p of paths) {
      const provider = p.startsWith('/v1/') ? 'kustomer' : 'gorgias';
      const client = new esm.OAuthClient({ provider: em.providerConfig(provider), clientId: 'readme', clientSecret: 'readme-secret', redirectUri, scopes: scopes[provider] });
      const req = client.authorize({ account: 'acme' });
      const tokens = await client.exchangeCode(await emulator.answerConsent(req.url), req.pending);
      const res = await fetch(client.apiUrl(p, 'acme'), { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      assert.equal(res.status, 200, `${provider} ${p}: ${await res.text()}`);
    }
  } finally {
    await em.close();
  }
});

test('the npm README is generated from README.md: absolute links, no repository-only parts, the main sections', () => {
  assert.ok(!existsSync(path.join(ROOT, 'pkg-templates', 'README.md')), 'one source: no separate npm README template');
  const npm = readFileSync(path.join(packageDir(), 'README.md'), 'utf8');
  const version = JSON.parse(readFileSync(path.join(packageDir(), 'package.json'), 'utf8')).version;
  const repository = /^repository\s*=\s*"([^"]+)"/m.exec(file('Cargo.toml'))[1];
  assert.equal(npm, npmReadme(README, { name: 'helpdesk-oauth', version, repository, shipped: new Set(['ERRORS.md', 'SECURITY.md']) }), 'made from the current README.md');

  const prose = npm.split(/^```[\s\S]*?^```$/m).join('');
  const links = [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g), ...prose.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length > 5);
  assert.deepEqual(links.filter(isRelative), [], 'no relative links');
  assert.ok(links.includes(`https://unpkg.com/helpdesk-oauth@${version}/ERRORS.md`), 'a shipped file links to the published version');
  assert.ok(links.includes(`${repository}/tree/HEAD/examples/cloudflare-worker/`), 'a repository path links to the repository');
  const headings = [...npm.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1]);
  for (const anchor of links.filter((l) => l.startsWith('#'))) assert.ok(headings.some((h) => slug(h) === anchor.slice(1)), `${anchor} names a heading`);

  for (const section of ['Quick start (Node)', 'Quick start (Cloudflare Workers)', 'The client API', 'Writing your own TokenStore', 'Local provider emulator', 'Command line: `npx helpdesk-oauth`', 'Security', 'Errors']) {
    assert.ok(headings.includes(section), `has "${section}"`);
  }
  assert.ok(headings.some((h) => h.startsWith('Sessions')) && headings.some((h) => h.startsWith('Handlers')));
  for (const gone of ['Working on this repository: two commands', 'Layout']) assert.ok(!headings.includes(gone), `no "${gone}"`);
  assert.doesNotMatch(npm, /<!--|make demo/, 'no markers, no repository set-up');
  assert.ok(existsSync(path.join(packageDir(), 'SECURITY.md')) && existsSync(path.join(packageDir(), 'ERRORS.md')));
});

test('`helpdesk-oauth emulator --help` points to a README section the package has', async () => {
  const { dir } = await loadPackage();
  const { stdout } = await run(path.join(dir, 'node_modules', '.bin', 'helpdesk-oauth'), ['emulator', '--help']);
  const [, section] = /see "([^"]+)" in the package's README\.md/.exec(stdout) ?? [];
  assert.ok(section, stdout);
  const installed = readFileSync(path.join(dir, 'node_modules', 'helpdesk-oauth', 'README.md'), 'utf8');
  assert.match(installed, new RegExp(`^## ${section}$`, 'm'));
});

test('every emulator command in the READMEs starts (an app or an apps file registered)', async () => {
  const { parseEmulatorArgs } = await import('../../emulator/index.mjs');
  const docs = ['README.md', 'examples/node-http/README.md', 'examples/cloudflare-worker/README.md', 'examples/quickstart/wrangler.toml'];
  let seen = 0;
  for (const doc of docs) {
    const text = file(doc).replace(/\\\n\s*(#\s*)?/g, ' '); // join continued lines
    for (const m of text.matchAll(/npx helpdesk-oauth(?:-emulator| emulator) ([^\n#&`]*)/g)) {
      const words = m[1].trim().split(/\s+/).filter((w) => w !== '...');
      if (words.includes('--config')) continue; // an apps file the user writes
      seen += 1;
      const options = parseEmulatorArgs(words);
      assert.ok(options.apps.length >= 1, `${doc}: ${m[0]}`);
      for (const app of options.apps) assert.ok(app.redirectUris.every((u) => new URL(u)), `${doc}: ${m[0]}`);
    }
  }
  assert.ok(seen >= 5, `found ${seen} emulator commands`);
});
