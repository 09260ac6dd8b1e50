// helpdesk-oauth gorgias test-url: Gorgias's install URL for a draft app, to try the install
// flow in one of your accounts before the app is approved.
import { OAuthClient } from 'helpdesk-oauth';
import { parseFlags, required } from './args.js';
import { UsageError, toCliError } from './errors.js';
import { checkAccount } from './target.js';

const NAME = 'gorgias test-url';

export const options = {
  account: { type: 'string' },
  'client-id': { type: 'string' },
  'base-url': { type: 'string' },
};

export const help = `usage: helpdesk-oauth gorgias test-url --account NAME --client-id ID [--base-url URL] [--json]

Prints https://{account}.gorgias.com/app/settings/integrations/app/{client_id}: opened by an admin
of the account, it starts the install flow of a draft app (before the app is approved).

options:
  --account NAME     the Gorgias account (acme for acme.gorgias.com)
  --client-id ID     the app's client id (or HELPDESK_OAUTH_CLIENT_ID)
  --base-url URL     another account base, with {account} (default https://{account}.gorgias.com)
  --json             {"url":…}

exit codes: 0 ok, 2 usage error`;

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  const account = checkAccount(required(v, 'account', NAME, 'e.g. --account acme'), NAME);
  const clientId = v['client-id'] ?? io.env.HELPDESK_OAUTH_CLIENT_ID;
  if (!clientId) throw new UsageError('--client-id is required (or HELPDESK_OAUTH_CLIENT_ID)', NAME);
  // Only a URL is built here: no token request is made, so the client needs no secret.
  const provider = { preset: 'gorgias', clientAuth: 'none' };
  if (v['base-url'] !== undefined) provider.testInstallUrl = `${v['base-url'].replace(/\/+$/, '')}/app/settings/integrations/app/{client_id}`;
  let url;
  try {
    url = new OAuthClient({ provider, clientId, redirectUri: 'http://127.0.0.1/callback' }).testInstallUrl(account);
  } catch (err) {
    const e = toCliError(err);
    throw new UsageError(e.message, NAME);
  }
  out.data({ url });
  if (!out.json) out.raw(`${url}\n`);
  out.note('Open it while logged in to the account as an admin: Gorgias then sends you to the App URL of your draft app.');
  return undefined;
}
