// Which provider, account and endpoint a request is for. Two ways, so the emulator works both
// with per-account hosts (as the real providers) and on a bare 127.0.0.1 without any DNS:
//   host: `Host: {account}.{provider}.{hostSuffix}` (Kustomer also `{org}.api.kustomer.{hostSuffix}`)
//         and the provider's own paths: /oauth/authorize, /oauth/token, /oauth/revoke, /api/...
//   path: any host, `/{provider}/{account}/oauth/authorize` and so on.
// `routing` is 'auto' (host when the Host header matches, else path), 'host' or 'path'.
import { PROVIDER_IDS } from './providers.mjs';
import { FLAVOURS, flavourConfig } from './flavours/index.mjs';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const OAUTH_ROUTES = new Set(['oauth/authorize', 'oauth/token', 'oauth/revoke']);
// API paths: lower-case segments (api.mjs decides which exist); no dot segments, no empty ones.
const API_ROUTE = /^api\/[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/;
const isRoute = (route) => OAUTH_ROUTES.has(route) || API_ROUTE.test(route);
const PATH_ROUTE = new RegExp(`^/(${PROVIDER_IDS.join('|')})/([^/]+)/(.+)$`);

export const ROUTING_MODES = ['auto', 'host', 'path'];

/** @returns {{provider: string, account: string, route: string} | null} */
export function resolveRoute(hostHeader, pathname, { routing = 'auto', hostSuffix = 'localhost' } = {}) {
  if (routing !== 'path') {
    const byHost = fromHost(hostHeader, pathname, hostSuffix);
    if (byHost || routing === 'host') return byHost;
  }
  const m = PATH_ROUTE.exec(pathname);
  if (!m || !LABEL.test(m[2]) || !isRoute(m[3])) return null;
  return { provider: m[1], account: m[2], route: m[3] };
}

function fromHost(hostHeader, pathname, hostSuffix) {
  const host = String(hostHeader ?? '').toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${hostSuffix.toLowerCase()}`;
  if (!host.endsWith(suffix)) return null;
  const labels = host.slice(0, -suffix.length).split('.');
  let account;
  let provider;
  if (labels.length === 2) [account, provider] = labels;
  else if (labels.length === 3 && labels[1] === 'api' && labels[2] === 'kustomer') [account, , provider] = labels;
  else return null;
  if (!PROVIDER_IDS.includes(provider) || !LABEL.test(account)) return null;
  const route = pathname.replace(/^\//, '');
  if (!isRoute(route)) return null;
  return { provider, account, route };
}

/**
 * The `helpdesk-oauth` ProviderConfig that points a preset at this emulator.
 * @param {string} baseUrl e.g. http://127.0.0.1:4010
 * @param {'gorgias'|'kustomer'} provider
 * @param {{routing?: 'path'|'host', hostSuffix?: string}} [options]
 */
export function providerConfig(baseUrl, provider, { routing = 'path', hostSuffix = 'localhost', account } = {}) {
  // Zendesk, Front, Help Scout, Zoho Desk, HubSpot, Intercom: path routing (emulator/flavours).
  if (Object.hasOwn(FLAVOURS, provider)) return flavourConfig(baseUrl, provider, { account });
  if (!PROVIDER_IDS.includes(provider)) throw new TypeError(`unknown provider ${provider}`);
  const u = new URL(baseUrl);
  const base =
    routing === 'host'
      ? `${u.protocol}//{account}.${provider}.${hostSuffix}${u.port ? `:${u.port}` : ''}`
      : `${u.origin}/${provider}/{account}`;
  const config = {
    preset: provider,
    authorizeUrl: `${base}/oauth/authorize`,
    tokenUrl: `${base}/oauth/token`,
    apiBaseUrl: `${base}/api`,
  };
  if (provider === 'gorgias') config.revokeUrl = `${base}/oauth/revoke`;
  return config;
}
