// Provider settings from flags: a preset as is, a preset with its endpoints moved (--base-url for
// the emulator or a proxy, or one URL at a time), or any RFC 6749 provider given by its URLs. The
// result is a ProviderConfig for OAuthClient and is stored with the tokens, so `token` and
// `revoke` reach the same endpoints later.
import { UsageError } from './errors.js';

export const PRESETS = ['gorgias', 'kustomer', 'zendesk', 'front', 'helpscout', 'zoho', 'hubspot', 'intercom'];
/** Presets whose endpoints sit on the emulator's own layout: --base-url is the emulator's origin. */
export const FLAVOURS = new Set(['zendesk', 'front', 'helpscout', 'zoho', 'hubspot', 'intercom']);
/** Presets with a way to end the grant at the provider. */
const REVOCABLE = new Set(['gorgias', 'zendesk', 'zoho', 'hubspot', 'intercom']);

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
  --base-url URL          Gorgias, Kustomer: one base for all endpoints: URL/oauth/authorize,
                          /oauth/token, /oauth/revoke (Gorgias), /api — e.g. the emulator:
                          http://127.0.0.1:4010/gorgias/{account}. Zendesk, Front, Help Scout,
                          Zoho, HubSpot, Intercom: the emulator's URL (http://127.0.0.1:4010)
  --authorize-url URL  --token-url URL  --revoke-url URL  --api-base-url URL  --issuer URL
  --client-auth METHOD    client_secret_basic | client_secret_post (other providers)`;

/**
 * @returns {Promise<string|object|undefined>} a ProviderConfig, the preset name alone, or undefined without --provider
 */
export async function providerConfigFromFlags(v, command) {
  const id = v.provider;
  const overrides = {};
  if (v['base-url'] !== undefined && FLAVOURS.has(id)) {
    // The emulator knows where it serves each provider (one global host's tenant is the account).
    let origin;
    try {
      origin = new URL(v['base-url']).origin;
    } catch {
      throw new UsageError('--base-url must be an absolute URL, e.g. http://127.0.0.1:4010', command);
    }
    const { providerConfig } = await import('helpdesk-oauth/emulator');
    const { preset, ...urls } = providerConfig(origin, id, { account: v.account });
    Object.assign(overrides, urls);
  } else if (v['base-url'] !== undefined) {
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
  if (!/^[a-z0-9_-]{1,64}$/.test(id)) throw new UsageError(`--provider must be a preset (${PRESETS.join(', ')}) or a name of a-z, 0-9, - and _`, command);
  if (!overrides.authorizeUrl || !overrides.tokenUrl) {
    throw new UsageError(`--provider ${id} is not a preset (${PRESETS.join(', ')}): give its endpoints with --base-url or --authorize-url and --token-url`, command);
  }
  return { id, ...overrides };
}

export const providerId = (config) => (typeof config === 'string' ? config : config.preset ?? config.id);

/** Whether tokens of this provider can be revoked at the provider (RFC 7009, or its own call). */
export function hasRevocation(config) {
  if (typeof config === 'string') return REVOCABLE.has(config);
  return config.revokeUrl !== undefined || (REVOCABLE.has(config.preset) && !('revokeUrl' in config));
}
