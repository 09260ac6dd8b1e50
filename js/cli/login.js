// helpdesk-oauth login: the authorization-code flow from a terminal (RFC 8252 loopback redirect).
import { createSession } from 'helpdesk-oauth/session';
import { parseFlags, required, integerFlag, listFlag } from './args.js';
import { CliError, EXIT, UsageError, toCliError } from './errors.js';
import { formatDuration } from './output.js';
import { PROVIDER_OPTIONS, PROVIDER_HELP, providerConfigFromFlags, providerId } from './provider.js';
import { checkAccount, findTarget } from './target.js';
import { resolveStorePath } from './store-path.js';
import { FileTokenStore } from './file-store.js';
import { clientSecret, createClient, SECRET_ENV } from './client.js';
import { startLoopback } from './loopback.js';
import { openBrowser } from './browser.js';
import { startCountdown } from './countdown.js';

const NAME = 'login';

const DEFAULT_SCOPES = {
  gorgias: ['openid', 'email', 'profile', 'offline', 'account:read'],
  kustomer: ['org.permission.customer', 'org.permission.conversation', 'offline_access'],
  zendesk: ['read'],
  zoho: ['Desk.tickets.READ', 'Desk.basic.READ'],
  hubspot: ['oauth', 'tickets'],
};
// Their scopes are set on the app, not asked for.
const NO_SCOPES = new Set(['front', 'helpscout', 'intercom']);
const REFRESH_SCOPE = { gorgias: 'offline', kustomer: 'offline_access' };

export const options = {
  ...PROVIDER_OPTIONS,
  account: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  scopes: { type: 'string' },
  port: { type: 'string' },
  'redirect-uri': { type: 'string' },
  timeout: { type: 'string' },
  'no-browser': { type: 'boolean' },
  store: { type: 'string' },
};

export const help = `usage: helpdesk-oauth login --provider NAME --account NAME --client-id ID [options]

Runs the OAuth authorization-code flow from the terminal: starts a one-time redirect server on
127.0.0.1, prints the authorize URL (and opens a browser when there is one), waits for you to
approve, exchanges the code and stores the tokens in your per-user token file (mode 0600).
Logging in again for a stored account reuses its settings (provider, client id, endpoints, scopes).

options:
  --provider NAME         gorgias, kustomer, zendesk, front, helpscout, zoho, hubspot, intercom,
                          or another provider with its URLs (below)
  --account NAME          the account / org subdomain: acme for acme.gorgias.com (providers with one
                          global host: the name the tokens are stored under)
  --client-id ID          the app's client id (or HELPDESK_OAUTH_CLIENT_ID)
  --client-secret SECRET  prefer ${SECRET_ENV} or the prompt: flags end up in shell history
  --scopes LIST           comma or space separated; the refresh scope (Gorgias offline,
                          Kustomer offline_access) is added. Default: ${DEFAULT_SCOPES.gorgias.join(' ')}
                          (Gorgias), ${DEFAULT_SCOPES.kustomer.join(' ')} (Kustomer); Front, Help Scout
                          and Intercom take none (set on the app)
  --port N                redirect server port (default: any free port). Providers that compare
                          redirect URIs exactly need the registered one: http://127.0.0.1:N/callback
  --redirect-uri URI      the whole redirect URI, http://127.0.0.1:N/path
  --timeout SECONDS       how long to wait for the browser (default 300)
  --no-browser            only print the URL (also HELPDESK_OAUTH_NO_BROWSER=1)
  --store PATH            token file (default $XDG_CONFIG_HOME/helpdesk-oauth/tokens.json, or
                          ~/.config/...; also HELPDESK_OAUTH_STORE)
  --json                  JSON lines on stdout: {"event":"authorize",...} then {"event":"logged_in",...}
${PROVIDER_HELP}

exit codes: 0 logged in, 1 provider/network error, denied consent or timeout, 2 usage error`;

function redirectFromFlags(v) {
  const port = integerFlag(v, 'port', NAME, { min: 0, max: 65535 });
  if (v['redirect-uri'] === undefined) return { port: port ?? 0, path: '/callback' };
  if (port !== undefined) throw new UsageError('give --port or --redirect-uri, not both', NAME);
  let u;
  try {
    u = new URL(v['redirect-uri']);
  } catch {
    throw new UsageError('--redirect-uri must be an absolute URL like http://127.0.0.1:8765/callback', NAME);
  }
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1' || !u.port || u.search || u.hash) {
    throw new UsageError('--redirect-uri must be http://127.0.0.1:PORT/path (a loopback redirect, RFC 8252), without query or fragment', NAME);
  }
  return { port: Number(u.port), path: u.pathname };
}

/** The login settings: flags first, then what is stored for the account. */
async function settings(v, store, io) {
  const account = checkAccount(required(v, 'account', NAME, 'the account subdomain, e.g. --account acme'), NAME);
  const given = await providerConfigFromFlags(v, NAME);
  const target = await findTarget(store, { provider: given === undefined ? undefined : providerId(given), account }, NAME);
  const stored = target.entry?.client;
  const provider = given ?? stored?.provider;
  if (provider === undefined) throw new UsageError('--provider is required (gorgias or kustomer)', NAME);
  const id = providerId(provider);
  const clientId = v['client-id'] ?? io.env.HELPDESK_OAUTH_CLIENT_ID ?? (stored && providerId(stored.provider) === id ? stored.clientId : undefined);
  if (!clientId) throw new UsageError('--client-id is required (or HELPDESK_OAUTH_CLIENT_ID)', NAME);
  if (NO_SCOPES.has(id)) {
    if (v.scopes !== undefined) throw new UsageError(`${id} takes no scopes: they are set on the app`, NAME);
    return { account, provider, id, clientId, scopes: [] };
  }
  let scopes = v.scopes !== undefined ? listFlag(v.scopes) : stored?.scopes ?? DEFAULT_SCOPES[id];
  if (!scopes || scopes.length === 0) throw new UsageError(`--scopes is required for provider ${id}`, NAME);
  if (REFRESH_SCOPE[id] && !scopes.includes(REFRESH_SCOPE[id])) scopes = [...scopes, REFRESH_SCOPE[id]];
  return { account, provider, id, clientId, scopes };
}

export async function run(argv, io, out) {
  const v = parseFlags(NAME, argv, options);
  if (v.help) return out.raw(`${help}\n`);
  const timeout = integerFlag(v, 'timeout', NAME, { min: 1, max: 86400, fallback: 300 });
  const redirect = redirectFromFlags(v);
  const store = new FileTokenStore(resolveStorePath(v.store, io, NAME));
  const s = await settings(v, store, io);
  const secret = await clientSecret(v, io);

  let server;
  try {
    server = await startLoopback(redirect);
  } catch (err) {
    throw new CliError(`cannot listen on 127.0.0.1:${redirect.port} (${err.code ?? err.message})`, {
      exitCode: EXIT.ERROR,
      next: redirect.port ? 'another program uses that port: stop it or pick another --port' : undefined,
    });
  }
  // fixedRedirect: the port was chosen (registered at the provider), so a later `next:` login command repeats it.
  const profile = { provider: s.provider, clientId: s.clientId, redirectUri: server.redirectUri, scopes: s.scopes, ...(redirect.port ? { fixedRedirect: true } : {}) };
  const stopSignals = [];
  try {
    const client = createClient(profile, secret);
    let request;
    try {
      request = client.authorize({ account: s.account, scopes: s.scopes });
    } catch (err) {
      const e = toCliError(err);
      throw new CliError(e.message, { exitCode: EXIT.USAGE, code: e.code, next: e.next });
    }
    const { url, pending, state } = request;
    out.data({ event: 'authorize', provider: s.id, account: s.account, authorizeUrl: url, redirectUri: server.redirectUri, timeoutSeconds: timeout });
    out.say(`Open this URL in a browser to let the app access ${s.id} account ${s.account}:\n\n  ${url}\n`);
    const opened = !v['no-browser'] && openBrowser(url, { env: io.env });
    out.note(opened ? 'A browser was opened for you.' : `Redirect target: ${server.redirectUri}`);

    let outcome;
    const callback = server.callback(state, async (callbackUrl) => {
      try {
        const tokens = await client.exchangeCode(callbackUrl, pending);
        outcome = { tokens };
        return { ok: true, message: `helpdesk-oauth is connected to ${s.id} account ${s.account}.` };
      } catch (err) {
        outcome = { error: err };
        return { ok: false, message: `The login failed (${err.code ?? 'error'}).` };
      }
    });
    const stopCountdown = out.json ? () => {} : startCountdown(timeout, io.stderr, 'Waiting for the browser');
    let timer;
    const expired = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeout * 1000);
    });
    const interrupted = new Promise((resolve) => {
      const onSignal = () => resolve('interrupted');
      for (const sig of ['SIGINT', 'SIGTERM']) {
        process.once(sig, onSignal);
        stopSignals.push(() => process.off(sig, onSignal));
      }
    });
    const how = await Promise.race([callback.then(() => 'callback'), expired, interrupted]);
    clearTimeout(timer);
    stopCountdown();
    if (how === 'timeout') {
      throw new CliError(`no answer from the browser within ${timeout} s`, {
        code: 'timeout',
        next: `the likely cause is a redirect URI mismatch: the provider sends the browser back only to a registered redirect URI, and this login waited at ${server.redirectUri}${redirect.port ? '' : ' (a port picked at random)'}. If the provider's page said "Invalid redirect_uri", run login again with --port set to the port of the registered http://127.0.0.1:PORT/callback (or --redirect-uri). Otherwise run login again, with --timeout to wait longer`,
      });
    }
    if (how === 'interrupted') throw new CliError('login cancelled', { exitCode: EXIT.INTERRUPTED, code: 'interrupted' });
    if (outcome.error) throw toCliError(outcome.error);

    const { tokens } = outcome;
    const key = `${s.id}:${s.account}`;
    await store.saveClient(key, profile);
    const session = createSession({ client, store, account: s.account });
    await session.save(tokens);
    report(out, s, tokens, store.path);
    return undefined;
  } finally {
    for (const stop of stopSignals) stop();
    await server.close();
  }
}

function report(out, s, tokens, file) {
  const expiresIn = tokens.expiresAt === undefined ? undefined : Math.round((tokens.expiresAt - Date.now()) / 1000);
  let who;
  try {
    const claims = tokens.idToken ? tokens.idTokenClaims() : undefined;
    if (claims?.email || claims?.name) who = [claims.name, claims.email && `<${claims.email}>`].filter(Boolean).join(' ');
  } catch {
    who = undefined;
  }
  out.data({
    event: 'logged_in',
    provider: s.id,
    account: s.account,
    user: who ?? null,
    scopes: tokens.scopes,
    expiresAt: tokens.expiresAt ?? null,
    refreshToken: tokens.refreshToken !== undefined,
    store: file,
  });
  out.say(`Logged in to ${s.id} account ${s.account}${who ? ` as ${who}` : ''}.`);
  out.say(`  scopes: ${tokens.scopes.join(' ')}`);
  out.say(`  access token: ${expiresIn === undefined ? 'no expiry given' : `expires in ${formatDuration(expiresIn)}`}; refresh token: ${tokens.refreshToken !== undefined ? 'stored' : 'none (log in again when it expires)'}`);
  out.say(`  tokens stored in ${file} (mode 0600)`);
  out.say(`Next: helpdesk-oauth token --account ${s.account}`);
}
