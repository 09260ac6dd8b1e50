// How each emulated provider behaves (see PROVIDERS.md): client authentication, token type,
// the scope that yields a refresh token, rotation, revocation, id_token, API rate limit, and
// the scopes it knows (unknown scopes are refused with invalid_scope, as the real servers do).

const GORGIAS_RESOURCES = [
  'account', 'users', 'customers', 'tickets', 'custom_fields', 'events', 'integrations',
  'jobs', 'macros', 'rules', 'satisfaction_survey', 'tags', 'apps',
];

const GORGIAS_SCOPES = new Map([
  ['openid', 'Sign you in (OpenID Connect)'],
  ['email', 'See your email address'],
  ['profile', 'See your name'],
  ['offline', 'Stay connected when you are not using the app (refresh token)'],
  ['statistics:read', 'Read statistics'],
  ['write:all', 'Read and write everything (deprecated)'],
  ...GORGIAS_RESOURCES.flatMap((r) => [
    [`${r}:read`, `Read ${r.replace(/_/g, ' ')}`],
    [`${r}:write`, `Create, change and delete ${r.replace(/_/g, ' ')}`],
  ]),
]);

export const PROVIDERS = {
  gorgias: {
    id: 'gorgias',
    name: 'Gorgias',
    clientAuth: 'client_secret_basic',
    tokenType: 'Bearer',
    refreshScope: 'offline',
    rotates: false,
    revoke: true,
    idToken: true,
    jwtAccessTokens: true,
    // Leaky bucket per account for OAuth apps: 80 requests / 20 s (doc).
    rateLimit: { capacity: 80, windowSeconds: 20, header: 'X-Gorgias-Account-Api-Call-Limit' },
    issuer: (account) => `https://${account}.gorgias.com`,
    describeScope: (s) => GORGIAS_SCOPES.get(s),
    scopeHint: 'Gorgias scopes are openid, email, profile, offline (for a refresh token) and {resource}:read or {resource}:write, e.g. account:read tickets:read',
  },
  kustomer: {
    id: 'kustomer',
    name: 'Kustomer',
    clientAuth: 'client_secret_post',
    tokenType: 'bearer',
    refreshScope: 'offline_access',
    rotates: true,
    revoke: false,
    idToken: false,
    jwtAccessTokens: false,
    rateLimit: null,
    issuer: (account) => `https://${account}.kustomerapp.com`,
    // Kustomer has no OpenID Connect scopes: roles (org.permission.*, org.user.*) and offline_access.
    scopeHint: 'Kustomer scopes are roles of the form org.permission.{resource} or org.user.{resource} (optionally :read or :write), e.g. org.permission.customer org.permission.conversation, and offline_access for a refresh token; there is no openid',
    describeScope(s) {
      if (s === 'offline_access') return 'Stay connected when you are not using the app (refresh token)';
      const m = /^org\.(permission|user)\.([a-z0-9_]+(?:\.[a-z0-9_]+)*)(?::(read|write))?$/.exec(s);
      if (!m) return undefined;
      return `${m[1] === 'user' ? 'Your' : 'Organization'} ${m[2].replace(/[._]/g, ' ')}${m[3] ? ` (${m[3]})` : ''}`;
    },
  },
};

export const PROVIDER_IDS = Object.keys(PROVIDERS);
