// helpdesk-oauth emulator: the local Gorgias / Kustomer emulator (helpdesk-oauth/emulator), as
// `helpdesk-oauth-emulator` starts it, plus a Kustomer API key for the app-registration commands.
import { randomBytes } from 'node:crypto';
import { parseFlags, integerFlag } from './args.js';
import { UsageError } from './errors.js';

const NAME = 'emulator';

export const options = {
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  provider: { type: 'string' },
  name: { type: 'string' },
  routing: { type: 'string' },
  'auto-approve': { type: 'boolean' },
  'expires-in': { type: 'string' },
  'code-ttl': { type: 'string' },
  'kustomer-api-key': { type: 'string' },
  'kustomer-org': { type: 'string' },
};

export const help = `usage: helpdesk-oauth emulator [--config apps.json] [--port 4010] [options]

Runs the local provider emulator (Gorgias and Kustomer OAuth, consent page, API, Kustomer app
registration) on 127.0.0.1 until Ctrl-C. Same as \`helpdesk-oauth-emulator\`; see the README.

options:
  --config FILE           registered apps: { "apps": [{ "provider", "clientId", "clientSecret", "redirectUris" }] }
  --client-id ID --client-secret SECRET --redirect-uri URI [--provider gorgias|kustomer] [--name NAME]
                          register one app from flags
  --port N                default 4010 (0: any free port)      --host ADDR   default 127.0.0.1
  --routing auto|host|path  --auto-approve  --expires-in SECONDS  --code-ttl SECONDS
  --kustomer-api-key KEY  the API key the app-registration endpoints accept (or KUSTOMER_API_KEY;
                          default: a new random key, printed)
  --kustomer-org NAME     the org that key belongs to (default acme)
  --json                  one line {"url":…,"kustomerApiKey":…} once listening

Point the CLI at it: helpdesk-oauth login --provider gorgias --base-url http://127.0.0.1:4010/gorgias/{account} ...
exit codes: 0 stopped with Ctrl-C, 1 could not start, 2 usage error`;

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  const { startEmulator, loadConfigFile, EmulatorConfigError } = await import('helpdesk-oauth/emulator');
  const apiKey = v['kustomer-api-key'] ?? io.env.KUSTOMER_API_KEY ?? `emu_${randomBytes(18).toString('base64url')}`;
  const org = v['kustomer-org'] ?? 'acme';
  let settings;
  try {
    const file = v.config ? loadConfigFile(v.config) : {};
    const apps = [...(file.apps ?? [])];
    if (v['client-id'] !== undefined) {
      apps.push({ provider: v.provider, name: v.name, clientId: v['client-id'], clientSecret: v['client-secret'], redirectUris: v['redirect-uri'] ?? [] });
    } else if (v['client-secret'] || v['redirect-uri'] || v.provider || v.name) {
      throw new UsageError('--client-secret, --redirect-uri, --provider and --name need --client-id', NAME);
    }
    const pick = (flag, fromFile) => (flag !== undefined ? flag : fromFile);
    settings = Object.fromEntries(
      Object.entries({
        ...file,
        apps: apps.map((a) => Object.fromEntries(Object.entries(a).filter(([, x]) => x !== undefined))),
        port: pick(integerFlag(v, 'port', NAME, { min: 0, max: 65535 }), file.port) ?? 4010,
        host: pick(v.host, file.host),
        routing: pick(v.routing, file.routing),
        autoApprove: pick(v['auto-approve'], file.autoApprove),
        expiresIn: pick(integerFlag(v, 'expires-in', NAME, { min: 1 }), file.expiresIn),
        codeTtlSeconds: pick(integerFlag(v, 'code-ttl', NAME, { min: 1 }), file.codeTtlSeconds),
        kustomerApiKeys: [{ key: apiKey, org }],
      }).filter(([, x]) => x !== undefined),
    );
    const emulator = await startEmulator(settings);
    report(out, emulator, { apiKey, org, generated: !v['kustomer-api-key'] && !io.env.KUSTOMER_API_KEY });
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await emulator.close();
    return undefined;
  } catch (err) {
    if (err instanceof EmulatorConfigError) throw new UsageError(err.message, NAME);
    throw err;
  }
}

function report(out, emulator, { apiKey, org, generated }) {
  out.data({ url: emulator.url, port: emulator.port, kustomerApiKey: apiKey, kustomerOrg: org, apps: emulator.apps.map((a) => ({ provider: a.provider ?? null, clientId: a.clientId, redirectUris: a.redirectUris })) });
  out.say(`helpdesk-oauth emulator listening on ${emulator.url}`);
  for (const app of emulator.apps) {
    out.say(`  app ${app.name ?? app.clientId} (${app.provider ?? 'gorgias, kustomer'}): client_id ${app.clientId}, redirect URIs ${app.redirectUris.join(' ')}`);
  }
  out.say(`  gorgias:  helpdesk-oauth login --provider gorgias --base-url '${emulator.url}/gorgias/{account}' --account acme --client-id ID`);
  out.say(`  kustomer: helpdesk-oauth login --provider kustomer --base-url '${emulator.url}/kustomer/{account}' --account ${org} --client-id ID`);
  out.say(`  Kustomer app registration (org ${org}): helpdesk-oauth kustomer register-app --base-url ${emulator.url} --app myapp --redirect-uri URI`);
  if (generated) out.say(`  its API key (KUSTOMER_API_KEY, valid for this run only): ${apiKey}`);
  out.say(emulator.autoApprove ? '  consent: approved automatically (--auto-approve)' : '  consent: an HTML page with Approve / Deny');
  out.say('Ctrl-C to stop');
}
