#!/usr/bin/env node
// helpdesk-oauth: the command line for app builders (login from a terminal, fresh tokens for
// curl, Kustomer app set-up, the local emulator). Built on the package's public API only.
import { createOutput, reportError } from './output.js';
import { EXIT, UsageError, toCliError } from './errors.js';

// name → [module, export]: loaded on use, so `--help` does not compile the wasm.
const COMMANDS = {
  login: ['./login.js', 'Run the authorization-code flow in a browser and store the tokens'],
  token: ['./token.js', 'Print a valid access token, refreshing it when needed'],
  status: ['./status.js', 'List stored accounts, scopes and expiry (no token values)'],
  revoke: ['./revoke.js', 'Revoke at the provider and delete the stored tokens'],
  'gorgias test-url': ['./gorgias.js', 'Print the draft-app install URL for an account'],
  'kustomer register-app': ['./kustomer.js#registerApp', 'Register a private Kustomer app (client id)'],
  'kustomer secret': ['./kustomer.js#secret', 'Generate and print the client secret of that app'],
  emulator: ['./emulator.js', 'Run the local Gorgias / Kustomer emulator'],
};

const USAGE = `usage: helpdesk-oauth <command> [options]      (helpdesk-oauth <command> --help for its options)

commands:
${Object.entries(COMMANDS)
  .map(([name, [, summary]]) => `  ${name.padEnd(22)} ${summary}`)
  .join('\n')}

Secrets come from flags, environment variables (HELPDESK_OAUTH_CLIENT_SECRET, KUSTOMER_API_KEY)
or a prompt, and are never printed. Tokens live in $XDG_CONFIG_HOME/helpdesk-oauth/tokens.json
(or ~/.config/...; mode 0600; --store / HELPDESK_OAUTH_STORE to change). --json for scripts.

exit codes: 0 ok, 1 runtime or provider error, 2 usage error, 3 login needed (nothing stored,
            or the refresh token was revoked), 130 interrupted`;

function pickCommand(argv) {
  const [first, second] = argv;
  if (first === 'gorgias' || first === 'kustomer') {
    const name = `${first} ${second}`;
    if (second === undefined || second.startsWith('-')) {
      const subs = Object.keys(COMMANDS).filter((n) => n.startsWith(`${first} `));
      if (second === '--help' || second === '-h') return ['help', subs];
      throw new UsageError(`${first} needs a subcommand: ${subs.map((s) => s.split(' ')[1]).join(', ')}`, first === 'gorgias' ? 'gorgias test-url' : 'kustomer register-app');
    }
    if (!COMMANDS[name]) throw new UsageError(`unknown command "${name}"`, undefined);
    return [name, argv.slice(2)];
  }
  if (!COMMANDS[first]) throw new UsageError(`unknown command "${String(first).slice(0, 40)}"`, undefined);
  return [first, argv.slice(1)];
}

async function load(name) {
  const [spec] = COMMANDS[name];
  const [file, exported] = spec.split('#');
  const mod = await import(file);
  return exported ? mod[exported] : mod;
}

export async function main(argv, io) {
  const json = argv.includes('--json');
  const out = createOutput({ stdout: io.stdout, stderr: io.stderr, json });
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      if (argv[0] === 'help' && argv[1]) return main([...argv.slice(1), '--help'], io);
      out.raw(`${USAGE}\n`);
      return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    if (argv[0] === '--version') {
      const { readFile } = await import('node:fs/promises');
      out.raw(`${JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
      return EXIT.OK;
    }
    const [name, rest] = pickCommand(argv);
    if (name === 'help') {
      out.raw(`${rest.map((n) => `usage: helpdesk-oauth ${n.padEnd(22)} ${COMMANDS[n][1]}`).join('\n')}\n(helpdesk-oauth ${rest[0]} --help for its options)\n`);
      return EXIT.OK;
    }
    const command = await load(name);
    await command.run(rest, io, out);
    return EXIT.OK;
  } catch (err) {
    const e = toCliError(err);
    reportError(io.stderr, e, json);
    return e.exitCode;
  }
}

const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Let stdout drain (pipes are asynchronous) before the exit code is set.
process.exitCode = code;
