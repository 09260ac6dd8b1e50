// helpdesk-oauth status: what the token file holds — accounts, scopes, time to expiry, whether a
// refresh token is there — and never a token value.
import { statSync } from 'node:fs';
import { TokenSet } from 'helpdesk-oauth';
import { parseFlags } from './args.js';
import { CliError, EXIT } from './errors.js';
import { formatDuration } from './output.js';
import { resolveStorePath } from './store-path.js';
import { FileTokenStore } from './file-store.js';
import { checkAccount } from './target.js';
import { loginCommand } from './login-command.js';
import { providerId } from './provider.js';

const NAME = 'status';

export const options = {
  provider: { type: 'string' },
  account: { type: 'string' },
  store: { type: 'string' },
};

export const help = `usage: helpdesk-oauth status [--account NAME] [--provider NAME] [--store PATH] [--json]

Lists the stored accounts: provider, client id, scopes, the tenant the provider named (Zoho's data
centre, HubSpot's hub_id), time until the access token expires, whether a refresh token is
stored, and the endpoints used; for an account without tokens, the login command that gets them
again the way they were got (--json: "login" on every account). Never prints a token or secret.

exit codes: 0 ok; 3 when --account is given and that account has no tokens stored`;

function describe(entry, now, store) {
  const [provider, ...rest] = entry.key.split(':');
  const row = {
    login: loginCommand({ provider, account: rest.join(':'), client: entry.client, store }),
    provider,
    account: rest.join(':'),
    clientId: entry.client?.clientId ?? null,
    loggedIn: entry.tokens !== undefined,
    scopes: [],
    expiresAt: null,
    expiresInSeconds: null,
    refreshToken: false,
    obtainedAt: null,
    tenant: null,
    endpoints: entry.client && typeof entry.client.provider === 'object' ? entry.client.provider : null,
  };
  if (entry.tokens !== undefined) {
    const t = TokenSet.fromJSON(entry.tokens);
    row.scopes = t.scopes;
    row.expiresAt = t.expiresAt ?? null;
    row.expiresInSeconds = t.expiresAt === undefined ? null : Math.round((t.expiresAt - now) / 1000);
    row.refreshToken = t.refreshToken !== undefined;
    row.obtainedAt = t.obtainedAt;
    row.tenant = t.tenant ?? null;
  }
  return row;
}

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  if (v.account !== undefined) checkAccount(v.account, NAME);
  const store = new FileTokenStore(resolveStorePath(v.store, io, NAME));
  const now = Date.now();
  const rows = (await store.list())
    .map((e) => describe(e, now, v.store))
    .filter((r) => (v.account === undefined || r.account === v.account) && (v.provider === undefined || r.provider === v.provider));
  let mode = null;
  try {
    mode = `0${(statSync(store.path).mode & 0o777).toString(8)}`;
  } catch {
    mode = null;
  }
  out.data({ store: store.path, mode, accounts: rows });
  out.say(`Token store: ${store.path}${mode ? ` (mode ${mode})` : ' (not created yet)'}`);
  if (rows.length === 0) out.say(v.account ? `No entry for account ${v.account}.` : 'No accounts stored. Start with: helpdesk-oauth login --provider gorgias --account NAME --client-id ID');
  for (const r of rows) {
    out.say(`${r.provider}:${r.account}${r.clientId ? `  client ${r.clientId}` : ''}`);
    if (!r.loggedIn) {
      out.say(`  not logged in — run: ${r.login}`);
      continue;
    }
    out.say(`  scopes: ${r.scopes.length ? r.scopes.join(' ') : '(set on the app)'}`);
    // The tenant the provider named: Zoho's data centre, HubSpot's hub_id.
    if (r.tenant !== null) out.say(`  tenant: ${r.tenant}`);
    out.say(`  access token: ${r.expiresInSeconds === null ? 'no expiry given' : r.expiresInSeconds > 0 ? `expires in ${formatDuration(r.expiresInSeconds)}` : formatDuration(r.expiresInSeconds)}; refresh token: ${r.refreshToken ? 'yes' : 'no'}`);
    if (r.endpoints) out.say(`  endpoints: ${providerId(r.endpoints)} at ${r.endpoints.tokenUrl ?? r.endpoints.authorizeUrl ?? 'preset'}`);
  }
  if (v.account !== undefined && !rows.some((r) => r.loggedIn)) {
    const row = rows.find((r) => r.login);
    throw new CliError(`account ${v.account} has no tokens stored`, { exitCode: EXIT.REAUTH, code: 'not_logged_in', next: `run \`${row?.login ?? loginCommand({ provider: v.provider, account: v.account, store: v.store })}\`` });
  }
  return undefined;
}
