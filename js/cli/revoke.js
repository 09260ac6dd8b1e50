// helpdesk-oauth revoke: ends the grant at the provider where it has a revocation endpoint
// (Gorgias, RFC 7009) and deletes what is stored for the account. If the provider cannot be
// reached the tokens stay stored, so the revocation can be retried.
import { createSession } from 'helpdesk-oauth/session';
import { parseFlags, required } from './args.js';
import { CliError, toCliError } from './errors.js';
import { resolveStorePath } from './store-path.js';
import { FileTokenStore } from './file-store.js';
import { findTarget } from './target.js';
import { hasRevocation } from './provider.js';
import { clientSecret, createClient, SECRET_ENV } from './client.js';

const NAME = 'revoke';

export const options = {
  provider: { type: 'string' },
  account: { type: 'string' },
  'client-secret': { type: 'string' },
  local: { type: 'boolean' },
  store: { type: 'string' },
};

export const help = `usage: helpdesk-oauth revoke --account NAME [--provider NAME] [options]

Revokes the stored grant at the provider (Gorgias: POST /oauth/revoke with the refresh token)
and deletes the account's tokens and settings from the token file. Kustomer has no revocation
endpoint: the tokens are deleted here; uninstall the app in the org to end the grant there.

options:
  --account NAME          the stored account
  --provider NAME         needed when the account is stored for several providers
  --client-secret SECRET  the provider authenticates the client; prefer ${SECRET_ENV} or the prompt
  --local                 only delete the stored tokens, do not call the provider
  --store PATH            token file (HELPDESK_OAUTH_STORE)
  --json                  {"provider":…,"account":…,"revokedAtProvider":bool,"deleted":bool}

exit codes: 0 ok, 1 the provider could not be reached (nothing deleted), 2 usage error,
            3 nothing stored for the account`;

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  const store = new FileTokenStore(resolveStorePath(v.store, io, NAME));
  const account = required(v, 'account', NAME, 'the stored account, e.g. --account acme');
  const target = await findTarget(store, { provider: v.provider, account }, NAME);
  if (!target.entry) {
    throw new CliError(`nothing stored for ${target.key ?? `account ${account}`} in ${store.path}`, { exitCode: 3, code: 'not_logged_in' });
  }
  let revokedAtProvider = false;
  const tokens = target.entry.tokens;
  if (tokens !== undefined && !v.local && hasRevocation(target.entry.client.provider)) {
    const client = createClient(target.entry.client, await clientSecret(v, io));
    const session = createSession({ client, store, account, key: target.key });
    try {
      ({ revokedAtProvider } = await store.exclusive(() => session.revoke()));
    } catch (err) {
      const e = toCliError(err);
      throw new CliError(`${e.message} — nothing was deleted`, { exitCode: e.exitCode, code: e.code, next: `try again, or \`helpdesk-oauth revoke --account ${account} --local\` to only delete the stored tokens` });
    }
  }
  await store.remove(target.key);
  const hadTokens = tokens !== undefined;
  out.data({ provider: target.provider, account, revokedAtProvider, deleted: true, hadTokens });
  if (revokedAtProvider) out.say(`Revoked the grant for ${target.key} at the provider and deleted it from ${store.path}.`);
  else {
    out.say(`Deleted ${target.key} from ${store.path}.`);
    if (hadTokens && !v.local) out.say('This provider has no revocation endpoint: uninstall the app in the helpdesk to end the grant there.');
    if (hadTokens && v.local) out.say('The grant is still live at the provider until it is revoked or the app is uninstalled.');
  }
  return undefined;
}

