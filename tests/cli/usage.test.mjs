// What the CLI says when it is used wrongly: exit 2 and a message naming the flag (with a
// suggestion), --help for every command, exit 3 when nothing is stored, the store kept out of
// projects, JSON errors for scripts, and the Gorgias draft-app URL.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installed, sandbox, run } from './support/cli.mjs';

let t;
before(async () => {
  t = await installed();
});

const COMMANDS = [['login'], ['token'], ['status'], ['revoke'], ['gorgias', 'test-url'], ['kustomer', 'register-app'], ['kustomer', 'secret'], ['emulator']];

test('--help for every command: exit 0, its usage line, its exit codes', async () => {
  const box = sandbox();
  const top = await run(t.bin, ['--help'], box);
  assert.equal(top.code, 0);
  for (const c of COMMANDS) assert.ok(top.stdout.includes(`  ${c.join(' ')} `), `${c.join(' ')} listed`);
  assert.match(top.stdout, /exit codes: 0 ok, 1 runtime or provider error, 2 usage error, 3 login needed/);
  const helps = await Promise.all(COMMANDS.map((c) => run(t.bin, [...c, '--help'], box)));
  helps.forEach((h, i) => {
    const name = COMMANDS[i].join(' ');
    assert.equal(h.code, 0, `${name}: ${h.stderr}`);
    assert.ok(h.stdout.startsWith(`usage: helpdesk-oauth ${name}`), `${name}: ${h.stdout.slice(0, 80)}`);
    assert.match(h.stdout, /exit codes: 0/, name);
    assert.equal(h.stderr, '');
  });
  const group = await run(t.bin, ['kustomer', '--help'], box);
  assert.equal(group.code, 0);
  assert.match(group.stdout, /usage: helpdesk-oauth kustomer register-app .*\nusage: helpdesk-oauth kustomer secret /);
  const none = await run(t.bin, [], box);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /^usage: helpdesk-oauth <command>/);
});

test('bad flags and commands exit 2 with a message naming the problem, never echoing values', async () => {
  const box = sandbox();
  const cases = [
    [['login', '--provider', 'gorgias', '--acount', 'acme', '--client-id', 'x'], /unknown option --acount \(did you mean --account\?\)/],
    [['login', '--provider', 'gorgias', '--client-id', 'x'], /--account is required/],
    [['login', '--account', 'acme', '--client-id', 'x'], /--provider is required \(gorgias or kustomer\)/],
    [['login', '--provider', 'gorgias', '--account', 'acme.evil.com', '--client-id', 'x'], /--account must be the account's subdomain/],
    [['login', '--provider', 'freshdesk', '--account', 'acme', '--client-id', 'x'], /not a preset .* give its endpoints with --base-url/],
    [['login', '--provider', 'gorgias', '--account', 'acme', '--client-id', 'x', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['login', '--provider', 'gorgias', '--account', 'acme', '--client-id', 'x', '--redirect-uri', 'https://app.example.com/cb'], /--redirect-uri must be http:\/\/127\.0\.0\.1:PORT\/path/],
    [['token', '--account', 'acme', '--min-valid', 'soon'], /--min-valid must be a whole number/],
    [['token', '--account'], /--account needs a value/],
    [['status', '--json=yes'], /--json takes no value/],
    [['token', '--account', 'acme', 's3cr3t-positional'], /unexpected argument: every value belongs to an option/],
    [['tokens'], /unknown command "tokens"/],
    [['kustomer', 'delete-app'], /unknown command "kustomer delete-app"/],
    [['kustomer'], /kustomer needs a subcommand: register-app, secret/],
    [['kustomer', 'register-app', '--app', 'My App', '--redirect-uri', 'http://127.0.0.1:9/cb'], /--app must be lower-case letters and digits/],
    [['kustomer', 'register-app', '--app', 'myapp'], /--redirect-uri is required/],
    [['gorgias', 'test-url', '--account', 'acme'], /--client-id is required/],
  ];
  const results = await Promise.all(cases.map(([args]) => run(t.bin, args, box)));
  results.forEach((r, i) => {
    const [args, message] = cases[i];
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.match(r.stderr, /\n {2}next: /, 'says what to do next');
    assert.equal(r.stdout, '');
    assert.ok(!r.stderr.includes('s3cr3t-positional'));
  });
  assert.ok(!existsSync(box.storePath), 'usage errors write nothing');
});

test('--json errors are one JSON line on stderr with code, message, next and exit code', async () => {
  const r = await run(t.bin, ['token', '--account', 'acme', '--json'], sandbox());
  assert.equal(r.code, 3);
  assert.equal(r.stdout, '');
  const { error } = JSON.parse(r.stderr);
  assert.equal(error.code, 'not_logged_in');
  assert.equal(error.exitCode, 3);
  assert.match(error.next, /helpdesk-oauth login --account acme/);
});

test('the token store goes under XDG_CONFIG_HOME or ~/.config, and never into the project directory', async () => {
  const box = sandbox();
  const status = await run(t.bin, ['status', '--json'], box);
  assert.equal(JSON.parse(status.stdout).store, box.storePath);
  const home = { ...box, env: { ...box.env, XDG_CONFIG_HOME: '' } };
  assert.equal(JSON.parse((await run(t.bin, ['status', '--json'], home)).stdout).store, path.join(box.env.HOME, '.config', 'helpdesk-oauth', 'tokens.json'));
  const env = { ...box, env: { ...box.env, HELPDESK_OAUTH_STORE: path.join(box.root, 'elsewhere', 't.json') } };
  assert.equal(JSON.parse((await run(t.bin, ['status', '--json'], env)).stdout).store, path.join(box.root, 'elsewhere', 't.json'));

  // Inside a project (package.json or .git above the working directory): refused.
  const project = path.join(box.root, 'my-app');
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(path.join(project, 'package.json'), '{}');
  const inside = await run(t.bin, ['login', '--provider', 'gorgias', '--account', 'acme', '--client-id', 'x', '--store', '../tokens.json'], { ...box, cwd: path.join(project, 'src') });
  assert.equal(inside.code, 2);
  assert.match(inside.stderr, /would be inside the project .*my-app, where it could be committed/);
  assert.ok(!existsSync(path.join(project, 'tokens.json')));
  const fromProject = await run(t.bin, ['status', '--json'], { ...box, cwd: project });
  assert.equal(fromProject.code, 0, 'the default location is fine from inside a project');
});

test('login without a client secret and without a terminal: exit 2 naming the variable, before anything listens', async () => {
  const r = await run(t.bin, ['login', '--provider', 'gorgias', '--account', 'acme', '--client-id', 'x'], sandbox());
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no client secret given\n {2}next: set HELPDESK_OAUTH_CLIENT_SECRET/);
  assert.equal(r.stdout, '');
});

test('gorgias test-url prints the draft-app install URL', async () => {
  const box = sandbox();
  const r = await run(t.bin, ['gorgias', 'test-url', '--account', 'acme', '--client-id', 'draft-42'], box);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'https://acme.gorgias.com/app/settings/integrations/app/draft-42\n');
  const j = await run(t.bin, ['gorgias', 'test-url', '--account', 'shop', '--client-id', 'c', '--base-url', 'http://127.0.0.1:4010/gorgias/{account}', '--json'], box);
  assert.deepEqual(JSON.parse(j.stdout), { url: 'http://127.0.0.1:4010/gorgias/shop/app/settings/integrations/app/c' });
  const bad = await run(t.bin, ['gorgias', 'test-url', '--account', 'evil.com/', '--client-id', 'c'], box);
  assert.equal(bad.code, 2);
});
