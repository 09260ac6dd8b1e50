//! The TypeScript shapes of everything that crosses the boundary as a plain JS value. Classes
//! (`OAuthClient`, `TokenSet`, ...) get their types from wasm-bindgen; these name the rest, so
//! the public `.d.ts` has no `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A JSON value, as found in id_token claims. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Built-in provider presets. */
export type ProviderPreset = "gorgias" | "kustomer";

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
  /** The tenant: a Gorgias account (subdomain) or Kustomer org. Required when the provider's URLs contain `{account}`. */
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
  | "invalid_install_request" | "random_unavailable"
  | "invalid_callback" | "state_missing" | "state_mismatch" | "pending_expired" | "pending_invalid"
  | "issuer_mismatch" | "code_missing" | "state_reused"
  | "access_denied" | "invalid_request" | "unauthorized_client" | "unsupported_response_type" | "invalid_client"
  | "invalid_grant" | "unsupported_grant_type" | "server_error" | "temporarily_unavailable" | "provider_error"
  | "http_error" | "response_not_json" | "response_invalid" | "response_too_large" | "unsupported_token_type"
  | "network_error"
  | "reauthorization_required" | "token_store_conflict" | "token_store_error" | "aborted"
  | "no_refresh_token" | "revocation_unsupported" | "token_set_invalid"
  | "id_token_invalid" | "id_token_issuer_mismatch" | "id_token_audience_mismatch" | "id_token_expired"
  | "id_token_issued_in_future" | "id_token_signature_invalid" | "id_token_key_not_found" | "id_token_alg_unsupported"
  | "nonce_mismatch"
  | "cookie_missing" | "cookie_invalid" | "cookie_expired" | "invalid_return_to";
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ClientOptions")]
    pub type ClientOptionsJs;
    #[wasm_bindgen(typescript_type = "AuthorizeParams")]
    pub type AuthorizeParamsJs;
}
