// helpdesk-oauth emulator: the local Gorgias / Kustomer emulator as `helpdesk-oauth-emulator`
// starts it, with the same flags (helpdesk-oauth/emulator parses them). What the CLI adds: a
// Kustomer API key always (KUSTOMER_API_KEY, else a new one, printed) so `kustomer register-app`
// and `kustomer secret` work against it, the login commands to try, and --json.
import { randomBytes } from 'node:crypto';
import { emulatorFlags, emulatorFlagsHelp, emulatorOptionsFromFlags, startEmulator, loginCommands, EmulatorConfigError } from 'helpdesk-oauth/emulator';
import { parseFlags } from './args.js';
import { CliError, EXIT, UsageError } from './errors.js';

const NAME = 'emulator';

export const options = emulatorFlags;

export const help = `usage: helpdesk-oauth emulator [--config apps.json] [--port 4010] [options]

Runs the local provider emulator (Gorgias and Kustomer OAuth, consent page, API, Kustomer app
registration) on 127.0.0.1 until Ctrl-C, logging each refused request on stderr. Same flags as
\`helpdesk-oauth-emulator\`; see "Local provider emulator" in the package's README.md.

options:
${emulatorFlagsHelp}
                          (the key: --kustomer-api-key, else KUSTOMER_API_KEY, else the apps file's,
                          else a new random key, printed)
  --json                  one line {"url":…,"kustomerApiKey":…} once listening

Point the CLI at it (the port of a registered redirect URI http://127.0.0.1:PORT/callback):
  helpdesk-oauth login --provider gorgias --base-url 'http://127.0.0.1:4010/gorgias/{account}' --account acme --client-id ID --port PORT
Once listening it prints this command for each registered app.
exit codes: 0 stopped with Ctrl-C, 1 could not start (e.g. the port is busy), 2 usage error`;

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  // KUSTOMER_API_KEY stands in for the flag, as it does for the registration commands.
  const fromEnv = v['kustomer-api-key'] === undefined && io.env.KUSTOMER_API_KEY !== undefined;
  let generated;
  let settings;
  try {
    settings = emulatorOptionsFromFlags(
      { ...v, 'kustomer-api-key': v['kustomer-api-key'] ?? io.env.KUSTOMER_API_KEY },
      { newKustomerApiKey: () => (generated = `emu_${randomBytes(18).toString('base64url')}`) },
    );
  } catch (err) {
    if (!(err instanceof EmulatorConfigError)) throw err;
    throw new UsageError(fromEnv ? err.message.replace('--kustomer-api-key', 'KUSTOMER_API_KEY') : err.message, NAME);
  }
  let emulator;
  try {
    emulator = await startEmulator({ ...settings, log: (line) => io.stderr.write(`${line}\n`) });
  } catch (err) {
    if (err?.code !== 'EADDRINUSE' && err?.code !== 'EACCES') throw err;
    throw new CliError(err.message, {
      exitCode: EXIT.ERROR,
      code: 'port_unavailable',
      next: err.code === 'EADDRINUSE' ? 'stop the program that uses it, or pick another port with --port N (or "port" in the apps file; --port 0 takes any free port)' : 'pick a port above 1023 with --port N',
    });
  }
  const [{ key, org }] = settings.kustomerApiKeys;
  report(out, emulator, { apiKey: key, org, generated: generated !== undefined });
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
  return undefined;
}

function report(out, emulator, { apiKey, org, generated }) {
  out.data({ url: emulator.url, port: emulator.port, kustomerApiKey: apiKey, kustomerOrg: org, apps: emulator.apps.map((a) => ({ provider: a.provider ?? null, clientId: a.clientId, redirectUris: a.redirectUris })) });
  out.say(`helpdesk-oauth emulator listening on ${emulator.url}`);
  for (const app of emulator.apps) {
    out.say(`  app ${app.name ?? app.clientId} (${app.provider ?? 'gorgias, kustomer'}): client_id ${app.clientId}, redirect URIs ${app.redirectUris.join(' ')}`);
  }
  const logins = loginCommands(emulator, { accounts: { gorgias: 'acme', kustomer: org } });
  if (logins.length) out.say(`  log in (client secret: HELPDESK_OAUTH_CLIENT_SECRET or the prompt):\n${logins.map((l) => `    ${l}`).join('\n')}`);
  out.say(`  Kustomer app registration (org ${org}): helpdesk-oauth kustomer register-app --base-url ${emulator.url} --app myapp --redirect-uri URI`);
  if (generated) out.say(`  its API key (KUSTOMER_API_KEY, valid for this run only): ${apiKey}`);
  out.say(emulator.autoApprove ? '  consent: approved automatically (--auto-approve)' : '  consent: an HTML page with Approve / Deny');
  out.say('  refused requests are logged on stderr, one line each');
  out.say('Ctrl-C to stop');
}
