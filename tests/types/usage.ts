// Compiled with `tsc --strict --noEmit` against the packed package by tests/types/types.test.mjs:
// the public types must describe real usage without casts, and misuse must not compile.
import {
  OAuthClient,
  TokenSet,
  PendingAuthorization,
  HelpdeskOAuthError,
  accountFromInstallUrl,
  validateAccount,
  type ClientOptions,
  type ErrorCode,
  type IdTokenClaims,
  type TokenSetJSON,
  type TokenSetView,
  type ProviderInfo,
} from "helpdesk-oauth";

const options: ClientOptions = {
  provider: { preset: "gorgias", pkce: true },
  clientId: "id",
  clientSecret: "secret",
  redirectUri: "https://app.example.com/cb",
  scopes: ["openid", "offline"],
  fetch: (url, init) => fetch(url, init),
  now: () => Date.now(),
};
const client = new OAuthClient(options);
const info: ProviderInfo = client.provider;
const rotates: boolean = info.rotatesRefreshTokens;
const account: string = accountFromInstallUrl("https://app/install?account=acme");
const request = client.authorize({ account: validateAccount(account), extraParams: { prompt: "consent" } });
const url: string = request.url;
const stored: string = request.pending.serialize();

async function callback(callbackUrl: string): Promise<string | undefined> {
  try {
    const tokens: TokenSet = await client.exchangeCode(callbackUrl, PendingAuthorization.deserialize(stored));
    const json: TokenSetJSON = JSON.parse(tokens.serialize());
    const again: TokenSet = TokenSet.fromJSON(json);
    const view: TokenSetView = tokens.toJSON();
    const redacted: "[redacted]" = view.accessToken;
    const claims: IdTokenClaims | undefined = again.idTokenClaims();
    const expiresAt: number | undefined = tokens.expiresAt;
    const expired: boolean = tokens.isExpired(60);
    const fresh: TokenSet = await client.refresh(tokens);
    await client.revoke(fresh);
    return claims?.email ?? (expired ? String(expiresAt) : undefined);
  } catch (e) {
    if (e instanceof HelpdeskOAuthError) {
      const code: ErrorCode = e.code;
      const status: number | undefined = e.status;
      return `${code} ${status ?? ""} ${e.retryable}`;
    }
    throw e;
  }
}

// Apps raise the package's error from their own code (a TokenStore, a wrapper) with a code.
const conflict = new HelpdeskOAuthError("token_store_conflict", "changed since it was read", { retryable: true });
const conflictCode: ErrorCode = conflict.code;
// @ts-expect-error: the code is an ErrorCode, not any string
new HelpdeskOAuthError("not_a_code", "message");
// @ts-expect-error: a message is required
new HelpdeskOAuthError("token_store_conflict");

// @ts-expect-error: provider must be a preset name or a ProviderConfig
new OAuthClient({ provider: "freshdesk", clientId: "x", redirectUri: "https://a/cb" });
// @ts-expect-error: scopes are a list, not a string
client.authorize({ account: "acme", scopes: "openid offline" });
// @ts-expect-error: error codes are a closed union
const wrong: ErrorCode = "no_such_code";

export { url, rotates, callback, wrong, conflictCode };

// The provider knobs: any provider that departs from RFC 6749 the way the presets' do.
const custom: ClientOptions = {
  provider: {
    id: "datacentres",
    authorizeUrl: "https://accounts.example.com/oauth/auth",
    tokenUrl: "https://{tenant}/oauth/token",
    apiBaseUrl: "https://{tenant}/api",
    tenant: { from: "callback", param: "accounts-server", values: { "https://eu.example.com": "eu.example.com" }, default: "eu.example.com" },
    omitAuthorizeParams: ["redirect_uri"],
    offlineParams: { access_type: "offline" },
    tokenParams: { expires_in: "1800" },
    expiresAtField: "expires_at",
    errorsIn200: true,
    errorFields: ["status"],
    errorAliases: { invalid_code: "invalid_grant" },
    revocation: { method: "DELETE", token: "bearer" },
    apiAuthScheme: "Zoho-oauthtoken",
    retryAfterHeader: "X-RateLimit-Retry-After",
    rateLimitResetHeader: "X-RateLimit-Reset",
    refreshOn401: false,
  },
  clientId: "id",
  clientSecret: "secret",
  redirectUri: "https://app.example.com/cb",
};
const zoho = new OAuthClient({ provider: "zoho", clientId: "id", clientSecret: "s", redirectUri: "https://app.example.com/cb", scopes: ["Desk.tickets.READ"] });
const zohoInfo: ProviderInfo = zoho.provider;
const revokeToken: "form" | "query" | "bearer" = zohoInfo.revocation.token;
const tenantFrom: "callback" | "token" | undefined = zohoInfo.tenant?.from;
async function zohoApi(tokens: TokenSet): Promise<string> {
  const tenant: string | undefined = tokens.tenant;
  return `${zoho.apiUrl("/tickets", tokens)} ${tenant ?? ""} ${revokeToken} ${tenantFrom ?? ""} ${new OAuthClient(custom).provider.id}`;
}
void zohoApi;
// @ts-expect-error: an alias must name an RFC 6749 error
const badAlias: ClientOptions["provider"] = { preset: "zoho", errorAliases: { invalid_code: "dead" } };
void badAlias;
