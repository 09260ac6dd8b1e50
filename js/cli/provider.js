// Provider settings from flags: a preset (gorgias, kustomer) as is, a preset with its endpoints
// moved (--base-url for the emulator or a proxy, or one URL at a time), or any RFC 6749 provider
// given by its URLs. The result is a ProviderConfig for OAuthClient and is stored with the tokens,
// so `token` and `revoke` reach the same endpoints later.
import { UsageError } from './errors.js';

export const PRESETS = ['gorgias', 'kustomer'];

export const PROVIDER_OPTIONS = {
  provider: { type: 'string' },
  'base-url': { type: 'string' },
  'authorize-url': { type: 'string' },
  'token-url': { type: 'string' },
  'revoke-url': { type: 'string' },
  'api-base-url': { type: 'string' },
  issuer: { type: 'string' },
  'client-auth': { type: 'string' },
};

export const PROVIDER_HELP = `provider endpoints (default: the real ones; URLs may contain {account}):
  --base-url URL          one base for all endpoints: URL/oauth/authorize, /oauth/token,
                          /oauth/revoke (Gorgias), /api — e.g. the emulator:
                          http://127.0.0.1:4010/gorgias/{account}
  --authorize-url URL  --token-url URL  --revoke-url URL  --api-base-url URL  --issuer URL
  --client-auth METHOD    client_secret_basic | client_secret_post (other providers)`;

/** @returns {string|object|undefined} a ProviderConfig, the preset name alone, or undefined without --provider */
export function providerConfigFromFlags(v, command) {
  const id = v.provider;
  const overrides = {};
  if (v['base-url'] !== undefined) {
    const base = v['base-url'].replace(/\/+$/, '');
    overrides.authorizeUrl = `${base}/oauth/authorize`;
    overrides.tokenUrl = `${base}/oauth/token`;
    overrides.apiBaseUrl = `${base}/api`;
    if (id !== 'kustomer') overrides.revokeUrl = `${base}/oauth/revoke`;
  }
  const explicit = {
    authorizeUrl: v['authorize-url'],
    tokenUrl: v['token-url'],
    revokeUrl: v['revoke-url'],
    apiBaseUrl: v['api-base-url'],
    issuer: v.issuer,
    clientAuth: v['client-auth'],
  };
  for (const [k, value] of Object.entries(explicit)) if (value !== undefined) overrides[k] = value;
  if (id === undefined) {
    if (Object.keys(overrides).length) throw new UsageError('endpoint flags need --provider', command);
    return undefined;
  }
  if (PRESETS.includes(id)) return Object.keys(overrides).length ? { preset: id, ...overrides } : id;
  if (!/^[a-z0-9_-]{1,64}$/.test(id)) throw new UsageError('--provider must be gorgias, kustomer, or a name of a-z, 0-9, - and _', command);
  if (!overrides.authorizeUrl || !overrides.tokenUrl) {
    throw new UsageError(`--provider ${id} is not a preset (gorgias, kustomer): give its endpoints with --base-url or --authorize-url and --token-url`, command);
  }
  return { id, ...overrides };
}

export const providerId = (config) => (typeof config === 'string' ? config : config.preset ?? config.id);

/** Whether tokens of this provider can be revoked at the provider (RFC 7009 endpoint). */
export function hasRevocation(config) {
  if (typeof config === 'string') return config === 'gorgias';
  return config.revokeUrl !== undefined || (config.preset === 'gorgias' && !('revokeUrl' in config));
}
