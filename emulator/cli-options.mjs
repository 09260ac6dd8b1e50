// Command-line flags (and the apps file they name) to startEmulator options.
import { parseArgs } from 'node:util';
import { loadConfigFile, checkApp, checkSettings, EmulatorConfigError } from './config.mjs';

export const USAGE = `usage: helpdesk-oauth-emulator [--config apps.json] [--port 4010] [--host 127.0.0.1]
       [--client-id ID --client-secret SECRET --redirect-uri URI ... [--provider gorgias|kustomer] [--name NAME]]
       [--routing auto|host|path] [--host-suffix localhost] [--auto-approve] [--expires-in SECONDS] [--code-ttl SECONDS]`;

const OPTIONS = {
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
  help: { type: 'boolean', short: 'h' },
};

function int(v, name) {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new EmulatorConfigError(`--${name} must be a whole number`);
  return Number(v);
}

/** Flags (and the file they name) to startEmulator options; flags win over the file. */
export function optionsFromArgs(argv) {
  const { values: v } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
  if (v.help) return null;
  const file = v.config ? loadConfigFile(v.config) : {};
  const apps = [...(file.apps ?? [])];
  if (v['client-id'] !== undefined) {
    apps.push(
      checkApp(
        { provider: v.provider, name: v.name, clientId: v['client-id'], clientSecret: v['client-secret'], redirectUris: v['redirect-uri'] ?? [] },
        'flags',
      ),
    );
  } else if (v['client-secret'] || v['redirect-uri'] || v.provider || v.name) {
    throw new EmulatorConfigError('--client-secret, --redirect-uri, --provider and --name need --client-id');
  }
  if (apps.length === 0) throw new EmulatorConfigError('no app registered: pass --config apps.json or --client-id/--client-secret/--redirect-uri');
  const pick = (flag, key) => (flag !== undefined ? flag : file[key]);
  const strip = (o) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
  const options = strip({
    apps,
    port: pick(int(v.port, 'port'), 'port') ?? 4010,
    host: pick(v.host, 'host'),
    routing: pick(v.routing, 'routing'),
    hostSuffix: pick(v['host-suffix'], 'hostSuffix'),
    autoApprove: pick(v['auto-approve'], 'autoApprove'),
    expiresIn: pick(int(v['expires-in'], 'expires-in'), 'expiresIn'),
    codeTtlSeconds: pick(int(v['code-ttl'], 'code-ttl'), 'codeTtlSeconds'),
    rateLimit: file.rateLimit,
  });
  checkSettings(options, 'flags');
  return options;
}
