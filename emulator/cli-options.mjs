// The emulator's command-line flags, their help text, and how they (and the apps file they name)
// become startEmulator options. Public (helpdesk-oauth/emulator) so that every command that starts
// the emulator — `helpdesk-oauth-emulator` and `helpdesk-oauth emulator` — parses them one way.
import { parseArgs } from 'node:util';
import { loadConfigFile, checkApp, checkKustomerApiKey, checkSettings, EmulatorConfigError } from './config.mjs';

export const emulatorFlags = Object.freeze({
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  provider: { type: 'string' },
  name: { type: 'string' },
  routing: { type: 'string' },
  'host-suffix': { type: 'string' },
  'auto-approve': { type: 'boolean' },
  'expires-in': { type: 'string' },
  'code-ttl': { type: 'string' },
  'kustomer-api-key': { type: 'string' },
  'kustomer-org': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
});

export const emulatorFlagsHelp = `  --config FILE           the apps file: { "apps": [{ "provider", "name", "clientId", "clientSecret", "redirectUris" }],
                          "kustomerApiKeys": [{ "key", "org" }], "port", "autoApprove", ... }; flags win over it
  --client-id ID --client-secret SECRET --redirect-uri URI ... [--provider gorgias|kustomer] [--name NAME]
                          register one more app (without --provider: at both providers)
  --port N                default 4010 (0: any free port)      --host ADDR   default 127.0.0.1
  --routing auto|host|path  accounts from hosts ({account}.gorgias.SUFFIX) and/or /{provider}/{account} paths
  --host-suffix SUFFIX    default localhost (browsers resolve *.localhost to 127.0.0.1)
  --auto-approve          approve every valid authorize request without the consent page
  --expires-in SECONDS    access-token lifetime (default 86400)   --code-ttl SECONDS  code lifetime (default 60)
  --kustomer-api-key KEY  an API key the Kustomer app-registration endpoints accept (8+ characters)
  --kustomer-org NAME     the org that key belongs to (default acme)`;

export const emulatorUsage = `usage: helpdesk-oauth-emulator [--config apps.json] [--port 4010] [options]

Runs the local Gorgias / Kustomer emulator on 127.0.0.1 until Ctrl-C.

options:
${emulatorFlagsHelp}`;

function wholeNumber(values, flag, min, max) {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new EmulatorConfigError(`--${flag} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}`);
  }
  return Number(v);
}

function appFromFlags(v) {
  if (v['client-id'] !== undefined) {
    return checkApp({ provider: v.provider, name: v.name, clientId: v['client-id'], clientSecret: v['client-secret'], redirectUris: v['redirect-uri'] ?? [] }, 'flags');
  }
  if (v['client-secret'] !== undefined || v['redirect-uri'] || v.provider !== undefined || v.name !== undefined) {
    throw new EmulatorConfigError('--client-secret, --redirect-uri, --provider and --name need --client-id');
  }
  return undefined;
}

function kustomerKeysFrom(v, fileKeys, newKustomerApiKey) {
  let key = v['kustomer-api-key'];
  if (key === undefined && fileKeys.length === 0 && newKustomerApiKey) key = newKustomerApiKey();
  if (key === undefined) {
    if (v['kustomer-org'] !== undefined) throw new EmulatorConfigError('--kustomer-org needs --kustomer-api-key');
    return fileKeys;
  }
  const entry = checkKustomerApiKey({ key, org: v['kustomer-org'] ?? 'acme' }, { key: '--kustomer-api-key', org: '--kustomer-org' });
  return [entry, ...fileKeys];
}

/**
 * Parsed flag values (names as in emulatorFlags) and the apps file they name to startEmulator
 * options; flags win over the file. `newKustomerApiKey` makes a key when neither the flags nor
 * the file hold one (the CLI's registration commands always want one).
 * @throws {EmulatorConfigError} naming the flag or field, never quoting a secret
 */
export function emulatorOptionsFromFlags(values, { newKustomerApiKey } = {}) {
  const v = values;
  const file = v.config !== undefined ? loadConfigFile(v.config) : {};
  const app = appFromFlags(v);
  const apps = app ? [...(file.apps ?? []), app] : [...(file.apps ?? [])];
  const kustomerApiKeys = kustomerKeysFrom(v, file.kustomerApiKeys ?? [], newKustomerApiKey);
  if (apps.length === 0 && kustomerApiKeys.length === 0) {
    throw new EmulatorConfigError('no app registered: pass --config apps.json, --client-id/--client-secret/--redirect-uri, or --kustomer-api-key');
  }
  const pick = (flag, key) => (flag !== undefined ? flag : file[key]);
  const options = Object.fromEntries(
    Object.entries({
      apps,
      kustomerApiKeys: kustomerApiKeys.length ? kustomerApiKeys : undefined,
      port: pick(wholeNumber(v, 'port', 0, 65535), 'port') ?? 4010,
      host: pick(v.host, 'host'),
      routing: pick(v.routing, 'routing'),
      hostSuffix: pick(v['host-suffix'], 'hostSuffix'),
      autoApprove: pick(v['auto-approve'], 'autoApprove'),
      expiresIn: pick(wholeNumber(v, 'expires-in', 1, Number.MAX_SAFE_INTEGER), 'expiresIn'),
      codeTtlSeconds: pick(wholeNumber(v, 'code-ttl', 1, Number.MAX_SAFE_INTEGER), 'codeTtlSeconds'),
      rateLimit: file.rateLimit,
      zohoDataCentre: file.zohoDataCentre,
    }).filter(([, x]) => x !== undefined),
  );
  checkSettings(options, 'flags');
  return options;
}

/** Command-line arguments to startEmulator options; null for --help. */
export function parseEmulatorArgs(argv, how) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: emulatorFlags, strict: true, allowPositionals: false }));
  } catch (e) {
    // Node's message would quote a stray value, which may be a secret that lost its flag.
    throw new EmulatorConfigError(e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' ? 'unexpected argument: every value belongs to a flag (--name value)' : e.message);
  }
  return values.help ? null : emulatorOptionsFromFlags(values, how);
}

// The names emulator/cli.mjs (the helpdesk-oauth-emulator bin) imports.
export { parseEmulatorArgs as optionsFromArgs, emulatorUsage as USAGE };
