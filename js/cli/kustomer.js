// helpdesk-oauth kustomer register-app | secret: create the private app that holds the OAuth
// client, then its client secret (the seed guide's steps 1-2).
import { parseFlags, required } from './args.js';
import { CliError, UsageError } from './errors.js';
import { obtainSecret } from './secrets.js';
import { kustomerPost, DEFAULT_KUSTOMER_API } from './kustomer-api.js';

const API_KEY_HELP = `  --api-key KEY      a Kustomer API key with the roles org.admin.apps and org.permission.apps;
                     prefer KUSTOMER_API_KEY or the prompt (flags end up in shell history)
  --base-url URL     Kustomer API (default ${DEFAULT_KUSTOMER_API}; the emulator: http://127.0.0.1:4010)`;

const COMMON = { 'api-key': { type: 'string' }, 'base-url': { type: 'string' } };

const apiKey = (v, io) => obtainSecret({ flagValue: v['api-key'], flag: '--api-key', envName: 'KUSTOMER_API_KEY', label: 'Kustomer API key', what: 'Kustomer API key', io });

export const registerApp = {
  options: { ...COMMON, app: { type: 'string' }, title: { type: 'string' }, version: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true } },
  help: `usage: helpdesk-oauth kustomer register-app --app NAME --redirect-uri URI [...] [options]

Registers a private app (POST /v1/apps/available) whose client id is used for OAuth. Kustomer
namespaces the name with your org id (myapp → myapp_<orgId>). Install the app in your org, then
run \`helpdesk-oauth kustomer secret --app <name>\` for the client secret.

options:
  --app NAME         lower-case letters and digits, starting with a letter
  --title TEXT       shown on Kustomer's consent screen (default: the name)
  --version X.Y.Z    default 0.0.1
  --redirect-uri URI repeatable; for \`helpdesk-oauth login --port 8765\` use http://127.0.0.1:8765/callback
${API_KEY_HELP}
  --json             {"app":…,"id":…,"clientId":…,"redirectUris":[…]}

exit codes: 0 registered, 1 refused by Kustomer (key, name taken) or unreachable, 2 usage error`,
  async run(argv, io, out) {
    const NAME = 'kustomer register-app';
    const v = parseFlags(NAME, argv, this.options);
    if (v.help) return out.raw(`${this.help}\n`);
    const app = required(v, 'app', NAME, 'e.g. --app myoauthapp');
    if (!/^[a-z][a-z0-9]{0,63}$/.test(app)) throw new UsageError('--app must be lower-case letters and digits, starting with a letter', NAME);
    const version = v.version ?? '0.0.1';
    if (!/^\d+\.\d+\.\d+$/.test(version)) throw new UsageError('--version must look like 0.0.1', NAME);
    const redirectUris = v['redirect-uri'] ?? [];
    if (redirectUris.length === 0) throw new UsageError('--redirect-uri is required: the redirect URI login will use, e.g. http://127.0.0.1:8765/callback (then login with --port 8765)', NAME);
    for (const uri of redirectUris) {
      if (!URL.canParse(uri)) throw new UsageError('--redirect-uri must be an absolute URL', NAME);
    }
    const key = await apiKey(v, io);
    const definition = { app, version, title: v.title ?? app, visibility: 'private', redirectUris };
    const r = await kustomerPost(v['base-url'] ?? DEFAULT_KUSTOMER_API, '/v1/apps/available', key, definition);
    if (r.error) {
      throw new CliError(`Kustomer did not register the app (HTTP ${r.status}: ${r.error})`, {
        code: 'registration_failed',
        next: r.status === 409 ? 'the name and version exist: pick another --app or --version, or get its secret with `helpdesk-oauth kustomer secret`' : 'check the flags',
      });
    }
    const a = r.attributes;
    out.data({ app: a.name, id: r.id ?? null, version: a.version ?? version, clientId: a.clientId, redirectUris: a.redirectUris ?? redirectUris });
    out.say(`Registered private app ${a.name} (version ${a.version ?? version}).`);
    out.say(`  client id: ${a.clientId}`);
    out.say(`  redirect URIs: ${(a.redirectUris ?? redirectUris).join(' ')}`);
    out.say(`Next: install it in your org, then: helpdesk-oauth kustomer secret --app ${a.name}`);
    return undefined;
  },
};

export const secret = {
  options: { ...COMMON, app: { type: 'string' } },
  help: `usage: helpdesk-oauth kustomer secret --app NAME [options]

Generates the client secret of a registered private app (POST /v1/apps/available/{app}/secret)
and prints the client id and the secret once. Running it again makes a new secret.

options:
  --app NAME         the namespaced name register-app printed (myapp_<orgId>)
${API_KEY_HELP}
  --json             {"app":…,"clientId":…,"clientSecret":…}

exit codes: 0 ok, 1 refused by Kustomer or unreachable, 2 usage error`,
  async run(argv, io, out) {
    const NAME = 'kustomer secret';
    const v = parseFlags(NAME, argv, this.options);
    if (v.help) return out.raw(`${this.help}\n`);
    const app = required(v, 'app', NAME, 'the name register-app printed, e.g. --app myoauthapp_<orgId>');
    const key = await apiKey(v, io);
    const r = await kustomerPost(v['base-url'] ?? DEFAULT_KUSTOMER_API, `/v1/apps/available/${encodeURIComponent(app)}/secret`, key, {});
    if (r.error) {
      throw new CliError(`Kustomer did not create a secret (HTTP ${r.status}: ${r.error})`, {
        code: 'secret_failed',
        next: r.status === 404 ? 'check --app: the namespaced name from register-app, in the API key’s org' : undefined,
      });
    }
    const a = r.attributes;
    if (typeof a.clientSecret !== 'string') throw new CliError('Kustomer answered without a client secret', { code: 'response_invalid' });
    out.data({ app: a.name ?? app, clientId: a.clientId, clientSecret: a.clientSecret });
    out.say(`client id:     ${a.clientId}`);
    out.say(`client secret: ${a.clientSecret}`);
    out.note('The secret is shown once: put it in your secret store now (for login: HELPDESK_OAUTH_CLIENT_SECRET). Running this again replaces it.');
    return undefined;
  },
};
