// Public types of the core API: the OAuthClient and the record classes (js/client.js,
// js/token-set.js, js/pending.js), the cookie functions (js/cookie.js) and the plain-object shapes
// that cross the wasm boundary. index.d.ts re-exports them.
/** A JSON value, as found in id_token claims. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Built-in provider presets. */
export type ProviderPreset = "gorgias" | "kustomer" | "zendesk" | "front" | "helpscout" | "zoho" | "hubspot" | "intercom";

/** RFC 6749 §5.2 error names, the targets of `errorAliases`. */
export type OAuthErrorName =
  | "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type"
  | "invalid_scope" | "server_error" | "temporarily_unavailable";

/**
 * The tenant a provider names during the flow rather than the app knowing it up front (that is
 * the `account`): kept on the token set (`tokens.tenant`) and filled into `{tenant}` in
 * `tokenUrl`, `revokeUrl` and `apiBaseUrl`.
 */
export interface TenantRule {
  /** `callback`: a query parameter of the callback (Zoho `accounts-server`); `token`: a member of the token response (HubSpot `hub_id`). */
  from: "callback" | "token";
  /** The parameter or member name. */
  param: string;
  /** The values the provider may send and the tenant each stands for; every other value is refused with `invalid_tenant` before anything is sent. Without it the value itself is the tenant and must be 1-64 of A-Z a-z 0-9 - _ (or a whole number). */
  values?: Record<string, string>;
  /** The tenant when a callback lacks the parameter (one of `values`). */
  default?: string;
}

/** How a grant is revoked at `revokeUrl`. */
export interface RevocationStyle {
  /** Default `POST`; Zendesk uses `DELETE`. */
  method?: "POST" | "DELETE";
  /** `form` (RFC 7009, default): `token` and `token_type_hint` in the body, with client authentication; `query`: `?token=` and no body or client authentication (Zoho); `bearer`: the access token as `Authorization: Bearer`, no body (Zendesk, Intercom). `form` and `query` send the refresh token when there is one. */
  token?: "form" | "query" | "bearer";
}

/** How the client authenticates at the token endpoint (RFC 6749 §2.3). */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

/**
 * A provider: a preset with fields overridden, or a complete custom RFC 6749 provider.
 * URL fields may contain `{account}`, replaced by the validated account (one DNS label).
 */
export interface ProviderConfig {
  /** Start from a preset and override the fields given here. */
  preset?: ProviderPreset;
  /** Name of a custom provider (required without `preset`): 1-64 of a-z, 0-9, '-', '_'. */
  id?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  /** RFC 7009 revocation endpoint; leave out when the provider has none. */
  revokeUrl?: string;
  /** Base URL for API calls, e.g. `https://{account}.gorgias.com/api`. */
  apiBaseUrl?: string;
  /** Expected `iss` in callbacks (RFC 9207). Default: the authorize endpoint's origin. */
  issuer?: string;
  /** Draft-app install URL with `{account}` and `{client_id}`. */
  testInstallUrl?: string;
  /** Default `client_secret_basic`. */
  clientAuth?: ClientAuthMethod;
  /** Default `" "`. */
  scopeSeparator?: string;
  /** The scope that makes the provider issue a refresh token; `null` for none. */
  refreshScope?: string | null;
  /** PKCE with S256 (plain is never used). Default true for custom providers. */
  pkce?: boolean;
  /** Whether each refresh returns a new refresh token that replaces the old one. */
  rotatesRefreshTokens?: boolean;
  /** Whether to send an OpenID Connect `nonce`. Default true for custom providers. */
  nonce?: boolean;
  /** Whether callbacks without `iss` are refused. Default false. */
  requiresIss?: boolean;
  /** URL of the provider's JWK set (may contain `{account}`): id_token signatures (RS256, ES256) are then verified with WebCrypto. */
  jwksUri?: string;
  /** The provider's JWK set itself, instead of `jwksUri`. */
  jwks?: { keys: JsonWebKey[] };
  /** Standard authorize parameters the provider does not take. Without `scope` no scopes may be given (they are set on the app); without `redirect_uri` the code exchange leaves it out too (Help Scout). */
  omitAuthorizeParams?: ("response_type" | "scope" | "redirect_uri")[];
  /** Added to the authorize URL when a refresh token is wanted (`offline`, the default), unless `extraParams` sets the same name: Zoho `{ access_type: "offline", prompt: "consent" }`. */
  offlineParams?: Record<string, string>;
  /** Added to every token request: Zendesk `{ expires_in: "1800" }`. */
  tokenParams?: Record<string, string>;
  /** Where the tenant comes from (see TenantRule). */
  tenant?: TenantRule;
  /** A token-response member with the absolute expiry (Front `expires_at`), read when `expires_in` is absent: Unix seconds, or ms for values past 10^11. */
  expiresAtField?: string;
  /** A 2xx answer with an `error` member (and no access token) is an error response with the provider's code (Zoho). Default false: it is `response_invalid`. */
  errorsIn200?: boolean;
  /** Members besides `error` that may name an error (HubSpot `["status", "subCategory", "category"]`); its description is read from `error_description` or `message`. */
  errorFields?: string[];
  /** The provider's own error names and the RFC 6749 error each means (Zoho `{ invalid_code: "invalid_grant" }`). */
  errorAliases?: Record<string, OAuthErrorName>;
  /** How `revokeUrl` is called. Default RFC 7009. */
  revocation?: RevocationStyle;
  /** The `Authorization` scheme for API calls (sessions). Default `Bearer`; Zoho `Zoho-oauthtoken`. */
  apiAuthScheme?: string;
  /** The API 429 header with the time to wait (delta seconds or an HTTP date). Default `Retry-After`; Help Scout `X-RateLimit-Retry-After`. `Retry-After` is read when it is absent. */
  retryAfterHeader?: string;
  /** The API 429 header with the reset time in Unix seconds, read when no wait header is there (Intercom, Front `X-RateLimit-Reset`). */
  rateLimitResetHeader?: string;
  /** Whether a session refreshes once on an API 401. Default true; HubSpot false (its 401 is not an expiry signal). */
  refreshOn401?: boolean;
}

/** The provider a client resolved to, with every field filled in. */
export interface ProviderInfo {
  id: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl?: string;
  apiBaseUrl?: string;
  issuer: string;
  testInstallUrl?: string;
  clientAuth: ClientAuthMethod;
  scopeSeparator: string;
  refreshScope?: string;
  pkce: boolean;
  rotatesRefreshTokens: boolean;
  nonce: boolean;
  requiresIss: boolean;
  omitAuthorizeParams: ("response_type" | "scope" | "redirect_uri")[];
  offlineParams: Record<string, string>;
  tokenParams: Record<string, string>;
  tenant?: TenantRule;
  expiresAtField?: string;
  errorsIn200: boolean;
  errorFields: string[];
  errorAliases: Record<string, OAuthErrorName>;
  revocation: Required<RevocationStyle>;
  apiAuthScheme: string;
  retryAfterHeader: string;
  rateLimitResetHeader?: string;
  refreshOn401: boolean;
}

/** The subset of the Fetch API the client needs; `globalThis.fetch` fits. */
export type FetchLike = (input: string, init: FetchInit) => Promise<Response>;

/** What the client passes to `fetch`. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  redirect: "manual";
  signal?: AbortSignal;
}

export interface ClientOptions {
  provider: ProviderPreset | ProviderConfig;
  clientId: string;
  /** Required unless the provider's `clientAuth` is `"none"`. Never printed. */
  clientSecret?: string;
  /** Absolute https URL (http only for 127.0.0.1, [::1], localhost). Sent unchanged in authorize and token requests. */
  redirectUri: string;
  /** Default scopes for `authorize()`. */
  scopes?: string[];
  /** Lifetime of a pending authorization. Default 600 (10 minutes). */
  pendingTtlSeconds?: number;
  /** Per-request timeout for token and revocation requests. Default 30000. */
  timeoutMs?: number;
  /** Used for every HTTP request instead of `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Allowed clock difference for id_token `exp` / `iat`. Default 60, at most 3600. */
  clockToleranceSeconds?: number;
}

export interface AuthorizeParams {
  /** The tenant the app knows up front: a Gorgias account, Zendesk subdomain or Kustomer org. Required when the provider's URLs contain `{account}`; for providers with one global host (Front, Help Scout, Zoho, HubSpot, Intercom) optional, and kept on the token set as the app's own label. */
  account?: string;
  /** Replaces the client's default scopes. */
  scopes?: string[];
  /** Ask for a refresh token (default true): the provider's refresh scope must be among the scopes. */
  offline?: boolean;
  /** More query parameters (e.g. `prompt`). The library's own parameters cannot be overridden. */
  extraParams?: Record<string, string>;
}

/** The storage form of a token set (version 1). It holds live credentials: store it as a secret. */
export interface TokenSetJSON {
  v: 1;
  provider: string;
  account?: string;
  /** The tenant the provider named (Zoho data centre such as `zoho.eu`, HubSpot `hub_id`). */
  tenant?: string;
  token_type: "Bearer";
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope: string[];
  /** ms since the epoch */
  expires_at?: number;
  /** ms since the epoch */
  obtained_at: number;
}

/** The storage form of a pending authorization (version 1). It holds the PKCE verifier. */
export interface PendingAuthorizationJSON {
  v: 1;
  provider: string;
  account?: string;
  issuer: string;
  state: string;
  nonce?: string;
  code_verifier?: string;
  redirect_uri: string;
  scopes: string[];
  created_at: number;
}

/** Decoded id_token claims (not signature-checked). */
export interface IdTokenClaims {
  iss?: string;
  sub?: string | number;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  nonce?: string;
  name?: string;
  email?: string;
  [claim: string]: JsonValue | undefined;
}

/** Every `code` a HelpdeskOAuthError can carry. */
export type ErrorCode =
  | "invalid_config" | "invalid_account" | "invalid_redirect_uri" | "invalid_scope" | "missing_refresh_scope"
  | "invalid_install_request" | "invalid_api_path" | "invalid_tenant" | "random_unavailable"
  | "invalid_callback" | "state_missing" | "state_mismatch" | "pending_expired" | "pending_invalid"
  | "issuer_mismatch" | "code_missing" | "state_reused"
  | "access_denied" | "invalid_request" | "unauthorized_client" | "unsupported_response_type" | "invalid_client"
  | "invalid_grant" | "unsupported_grant_type" | "server_error" | "temporarily_unavailable" | "provider_error"
  | "http_error" | "response_not_json" | "response_invalid" | "response_too_large" | "unsupported_token_type"
  | "network_error"
  | "reauthorization_required" | "token_store_conflict" | "token_store_error" | "aborted"
  | "no_refresh_token" | "revocation_unsupported" | "token_set_invalid"
  | "id_token_invalid" | "id_token_missing" | "id_token_refresh_mismatch" | "id_token_issuer_mismatch" | "id_token_audience_mismatch" | "id_token_expired"
  | "id_token_issued_in_future" | "id_token_signature_invalid" | "id_token_key_not_found" | "id_token_alg_unsupported"
  | "nonce_mismatch"
  | "cookie_missing" | "cookie_invalid" | "cookie_expired" | "invalid_return_to";

/** What `JSON.stringify(tokens)` shows: no token, so token sets can be logged. */
export interface TokenSetView {
  provider: string;
  account?: string;
  tenant?: string;
  tokenType: "Bearer";
  accessToken: "[redacted]";
  refreshToken?: "[redacted]";
  idToken?: "[redacted]";
  scopes: string[];
  expiresAt?: number;
  obtainedAt: number;
}

/** What `JSON.stringify(pending)` shows: no state, nonce or verifier. */
export interface PendingAuthorizationView {
  provider: string;
  account?: string;
  issuer: string;
  redirectUri: string;
  scopes: string[];
  createdAt: number;
}

/** An OAuth client for one app at one provider (all accounts of that provider). */
export declare class OAuthClient {
  /** Throws `HelpdeskOAuthError` (`invalid_config`, `invalid_redirect_uri`, `invalid_scope`) for bad options. */
  constructor(options: ClientOptions);
  /** The resolved provider: preset values with the caller's overrides. */
  readonly provider: ProviderInfo;
  /** Builds the authorize URL with fresh `state`, `nonce` and PKCE verifier, and the pending record to keep until the callback. */
  authorize(params?: AuthorizeParams): AuthorizationRequest;
  /** The draft-app install URL (Gorgias), to test the flow before the app is approved. */
  testInstallUrl(account: string): string;
  /** The provider's API URL for `path` in `account`, or for the account and tenant of a token set (Zoho's API host is its data centre's). Absolute URLs are accepted only under the API base. */
  apiUrl(path: string, accountOrTokens?: string | TokenSet): string;
  /** Checks the callback URL against the pending authorization (state, `iss`, age, provider error) and exchanges the code for tokens. */
  exchangeCode(callbackUrl: string | URL, pending: PendingAuthorization | string): Promise<TokenSet>;
  /**
   * Gets a new access token. The result keeps the old refresh token when the provider sends none
   * (Gorgias) and carries the new one when it rotates (Kustomer): store the result before using it.
   * On failure the given token set is unchanged and still yours.
   */
  refresh(tokens: TokenSet): Promise<TokenSet>;
  /** Ends the grant at the provider the way it takes it (`revocation`: RFC 7009, Zoho's `?token=`, Zendesk's DELETE or Intercom's uninstall with the bearer). Rejects with `revocation_unsupported` when the provider has no endpoint. */
  revoke(tokens: TokenSet): Promise<void>;
  /** Frees the client's wasm memory now rather than at garbage collection; the client is unusable afterwards. */
  free(): void;
  [Symbol.dispose](): void;
  toString(): string;
}

/**
 * The tokens an app holds for one account. A plain JS object (no wasm memory to free).
 * `serialize()` is the storage form; `toJSON()` (and so `JSON.stringify`) shows no token.
 */
export declare class TokenSet {
  private constructor();
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  readonly idToken: string | undefined;
  /** Always "Bearer". */
  readonly tokenType: string;
  readonly scopes: string[];
  /** ms since the epoch; undefined when the provider gave no lifetime and the token is opaque. `expires_in: 0` means expired now, unless the access token is a JWT with its own `exp`. */
  readonly expiresAt: number | undefined;
  /** ms since the epoch */
  readonly obtainedAt: number;
  readonly account: string | undefined;
  /** The tenant the provider named during the flow (Zoho data centre, HubSpot `hub_id`), when there is one. */
  readonly tenant: string | undefined;
  readonly provider: string;
  /** True when the access token is expired or expires within `skewSeconds` (default 0) of `nowMs` (default `Date.now()`). An unknown expiry is never "expired". */
  isExpired(skewSeconds?: number, nowMs?: number): boolean;
  /** The id_token's claims (a copy); undefined without an id_token. */
  idTokenClaims(): IdTokenClaims | undefined;
  /** The storage form (versioned) as a string. It holds live credentials: store it as a secret. */
  serialize(): string;
  /** A view without tokens, for logs. */
  toJSON(): TokenSetView;
  /** Reads the storage form back: the string from `serialize()`, or that string parsed. */
  static fromJSON(json: string | TokenSetJSON): TokenSet;
  toString(): string;
}

/** What the host keeps between `authorize()` and the callback: server-side, or sealed in a cookie. It holds the PKCE verifier. */
export declare class PendingAuthorization {
  private constructor();
  readonly state: string;
  readonly nonce: string | undefined;
  readonly account: string | undefined;
  readonly provider: string;
  readonly issuer: string;
  readonly redirectUri: string;
  readonly scopes: string[];
  /** ms since the epoch */
  readonly createdAt: number;
  /** A string to store until the callback; `PendingAuthorization.deserialize` reads it back. */
  serialize(): string;
  /** A view without state, nonce or verifier, for logs. */
  toJSON(): PendingAuthorizationView;
  static deserialize(text: string | PendingAuthorizationJSON): PendingAuthorization;
  toString(): string;
}

/** The URL to send the user to, and the pending record to keep. */
export declare class AuthorizationRequest {
  private constructor();
  readonly url: string;
  readonly state: string;
  readonly nonce: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly account: string | undefined;
  /** The same object on every read. */
  readonly pending: PendingAuthorization;
  toString(): string;
}

/** Validates a Gorgias account / Kustomer org as one DNS label and returns it lower-cased. */
export declare function validateAccount(account: string): string;
/** Reads and validates the account from the request the helpdesk sends to the App URL. */
export declare function accountFromInstallUrl(url: string, param?: string | null): string;

/** The app secret the cookie key is derived from: at least 32 bytes (of a string: its UTF-8 bytes). Keep it out of source control; rotate by changing it (open cookies then fail with `cookie_invalid`). */
export type CookieSecret = string | Uint8Array;

export interface SealCookieOptions {
  /** A same-site path to come back to after the callback; must match `allowReturnTo`. */
  returnTo?: string;
  /** Allowed return paths: an entry matches itself, an entry ending in `/` also every path below it. */
  allowReturnTo?: string[];
  /** The cookie's lifetime (Max-Age and the sealed expiry). Default 600, at most 3600. Keep it equal to the client's `pendingTtlSeconds`. */
  maxAgeSeconds?: number;
  /** Default `"__Host-helpdesk-oauth"`; must start with `__Host-`. */
  cookieName?: string;
  /** The current time in ms since the epoch. Default `Date.now()`. */
  now?: number;
}

export interface OpenCookieOptions {
  /** Checked again on opening: a return path no longer on the list fails with `invalid_return_to`. */
  allowReturnTo?: string[];
  cookieName?: string;
  now?: number;
}

export interface ClearCookieOptions {
  cookieName?: string;
}

/** What `openPendingCookie` found in the cookie. */
export interface OpenedPendingCookie {
  pending: PendingAuthorization;
  returnTo?: string;
}

/** Seals the pending authorization for the browser and returns the `Set-Cookie` header value (`__Host-`, HttpOnly, Secure, SameSite=Lax, Path=/, Max-Age). */
export declare function sealPendingCookie(pending: PendingAuthorization | string, secret: CookieSecret, options?: SealCookieOptions): Promise<string>;
/** Finds the cookie in a `Cookie` request header, opens it and checks its expiry and return path. Rejects with `cookie_missing`, `cookie_expired`, `cookie_invalid` or `invalid_return_to`. */
export declare function openPendingCookie(cookieHeader: string | null | undefined, secret: CookieSecret, options?: OpenCookieOptions): Promise<OpenedPendingCookie>;
/** The `Set-Cookie` header value that deletes the pending-authorization cookie. */
export declare function clearPendingCookie(options?: ClearCookieOptions): string;
