// helpdesk-oauth token: a valid access token on stdout, for
//   curl -H "Authorization: Bearer $(helpdesk-oauth token --account acme)" ...
// A token that is still valid long enough is printed without touching the network or needing
// the client secret; otherwise a session refreshes it, storing the new set (with a rotated
// refresh token) before printing.
import { TokenSet } from 'helpdesk-oauth';
import { createSession } from 'helpdesk-oauth/session';
import { parseFlags, required, integerFlag } from './args.js';
import { CliError, EXIT, toCliError } from './errors.js';
import { resolveStorePath } from './store-path.js';
import { FileTokenStore } from './file-store.js';
import { findTarget } from './target.js';
import { loginCommand } from './login-command.js';
import { clientSecret, createClient, SECRET_ENV } from './client.js';

const NAME = 'token';

export const options = {
  provider: { type: 'string' },
  account: { type: 'string' },
  'client-secret': { type: 'string' },
  'min-valid': { type: 'string' },
  store: { type: 'string' },
};

export const help = `usage: helpdesk-oauth token --account NAME [--provider NAME] [options]

Prints a valid access token (and nothing else) on stdout. When the stored one expires within
--min-valid seconds it is refreshed first, and the new token set — with a rotated refresh token
(Kustomer) — is stored before it is printed. Refreshing needs the client secret.

  curl -H "Authorization: Bearer $(helpdesk-oauth token --account acme)" https://acme.gorgias.com/api/account

options:
  --account NAME          the stored account
  --provider NAME         needed when the account is stored for several providers
  --min-valid SECONDS     refresh when the token expires within this time (default 60)
  --client-secret SECRET  for a refresh; prefer ${SECRET_ENV} or the prompt
  --store PATH            token file (default: see helpdesk-oauth login --help; HELPDESK_OAUTH_STORE)
  --json                  {"accessToken":…,"tokenType":"Bearer","expiresAt":ms,"refreshed":bool}

exit codes: 0 ok, 1 provider/network error (stored tokens unchanged), 2 usage error,
            3 not logged in, or the refresh token was revoked: run helpdesk-oauth login`;

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  const minValid = integerFlag(v, 'min-valid', NAME, { min: 0, max: 10 * 365 * 86400, fallback: 60 });
  const store = new FileTokenStore(resolveStorePath(v.store, io, NAME));
  const account = required(v, 'account', NAME, 'the stored account, e.g. --account acme');
  const target = await findTarget(store, { provider: v.provider, account }, NAME);
  const login = loginCommand({ provider: target.provider ?? v.provider, account, client: target.entry?.client, store: v.store });
  if (target.entry?.tokens === undefined) {
    throw new CliError(`no tokens stored for ${target.key ?? `account ${account}`} in ${store.path}`, {
      exitCode: EXIT.REAUTH,
      code: 'not_logged_in',
      next: `run \`${login}\``,
    });
  }
  let tokens = TokenSet.fromJSON(target.entry.tokens);
  let refreshed = false;
  if (tokens.isExpired(minValid)) {
    if (tokens.refreshToken === undefined) {
      throw new CliError(`the access token for ${target.key} expires within ${minValid} s and there is no refresh token`, { exitCode: EXIT.REAUTH, code: 'reauthorization_required', next: `run \`${login}\`` });
    }
    const client = createClient(target.entry.client, await clientSecret(v, io));
    const session = createSession({ client, store, account, key: target.key, skewSeconds: minValid });
    try {
      await store.exclusive(() => session.accessToken());
    } catch (err) {
      throw toCliError(err, { login });
    }
    const before = tokens.accessToken;
    tokens = TokenSet.fromJSON((await store.get(target.key)).value);
    refreshed = tokens.accessToken !== before; // by us, or by another process we waited for
  }
  out.data({ accessToken: tokens.accessToken, tokenType: 'Bearer', expiresAt: tokens.expiresAt ?? null, refreshed });
  if (!out.json) out.raw(`${tokens.accessToken}\n`);
  return undefined;
}
