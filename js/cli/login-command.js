// The `helpdesk-oauth login` command that gets a new grant the way the stored one was got: the
// same provider endpoints (an emulator's URLs are not the real provider's), client id, redirect
// port and token file. Printed as `next:` when a grant is gone, so it must work when pasted.
import { FLAVOURS, providerId } from './provider.js';

const ENDPOINTS = [
  ['authorizeUrl', '--authorize-url'],
  ['tokenUrl', '--token-url'],
  ['revokeUrl', '--revoke-url'],
  ['apiBaseUrl', '--api-base-url'],
];

/** Single-quoted for POSIX shells when it holds anything but plain characters ({account} does). */
export function shellQuote(value) {
  const s = String(value);
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The one --base-url that gives exactly these endpoints (as `--base-url` builds them), or null.
 * For Zendesk, Front, Help Scout, Zoho, HubSpot and Intercom that is the emulator's origin, whose
 * layout (and Zoho's data centres) the CLI rebuilds itself: their URLs alone would lose the rest.
 */
function commonBase(config) {
  if (FLAVOURS.has(config.preset)) return emulatorOrigin(config);
  const m = /^(.*)\/oauth\/authorize$/.exec(config.authorizeUrl ?? '');
  if (!m) return null;
  const base = m[1];
  const expected = { tokenUrl: `${base}/oauth/token`, apiBaseUrl: `${base}/api` };
  if (config.preset !== 'kustomer') expected.revokeUrl = `${base}/oauth/revoke`;
  for (const [key, url] of Object.entries(expected)) if (config[key] !== url) return null;
  if (config.preset === 'kustomer' && config.revokeUrl !== undefined) return null;
  return base;
}

/** The emulator's origin when every URL of a flavour preset is on its `/{provider}/` layout. */
function emulatorOrigin(config) {
  let origin = null;
  for (const [key] of ENDPOINTS) {
    if (config[key] === undefined) continue;
    let u;
    try {
      u = new URL(config[key].replaceAll('{tenant}', 'tenant').replaceAll('{account}', 'account'));
    } catch {
      return null;
    }
    if (!u.pathname.startsWith(`/${config.preset}/`) || (origin !== null && u.origin !== origin)) return null;
    origin = u.origin;
  }
  return origin;
}

function providerFlags(provider) {
  if (provider === undefined) return [];
  if (typeof provider === 'string') return ['--provider', provider];
  const flags = ['--provider', providerId(provider)];
  const base = commonBase(provider);
  if (base !== null) flags.push('--base-url', base);
  else for (const [key, flag] of ENDPOINTS) if (provider[key] !== undefined) flags.push(flag, provider[key]);
  if (provider.issuer !== undefined) flags.push('--issuer', provider.issuer);
  if (provider.clientAuth !== undefined) flags.push('--client-auth', provider.clientAuth);
  return flags;
}

function redirectFlags(client) {
  if (!client?.fixedRedirect || typeof client.redirectUri !== 'string') return [];
  const u = new URL(client.redirectUri);
  return u.pathname === '/callback' ? ['--port', u.port] : ['--redirect-uri', client.redirectUri];
}

/**
 * @param {{provider?: string, account: string, client?: {provider: string|object, clientId: string, redirectUri?: string, fixedRedirect?: boolean}, store?: string}} o
 *   `client`: the settings stored with the tokens; `provider`: the provider id when nothing is stored;
 *   `store`: the --store flag the command was given (an environment variable carries over by itself)
 */
export function loginCommand({ provider, account, client, store }) {
  const words = ['helpdesk-oauth', 'login', ...providerFlags(client?.provider ?? provider), '--account', account];
  words.push('--client-id', client?.clientId ?? 'ID');
  words.push(...redirectFlags(client));
  if (store !== undefined) words.push('--store', store);
  return words.map((w, i) => (i < 2 || w === 'ID' ? w : shellQuote(w))).join(' ');
}
