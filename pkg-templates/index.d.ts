// Public types of helpdesk-oauth. The classes come from the wasm-bindgen declarations; the
// plain-object shapes are declared in the Rust boundary (src/wasm/types.rs).
import type { ErrorCode } from "./helpdesk_oauth.js";

export { OAuthClient, TokenSet, PendingAuthorization, AuthorizationRequest, validateAccount, accountFromInstallUrl } from "./helpdesk_oauth.js";
export type {
  AuthorizeParams,
  ClientAuthMethod,
  ClientOptions,
  ErrorCode,
  FetchInit,
  FetchLike,
  IdTokenClaims,
  JsonValue,
  PendingAuthorizationJSON,
  ProviderConfig,
  ProviderInfo,
  ProviderPreset,
  TokenSetJSON,
} from "./helpdesk_oauth.js";

/**
 * The one error class the package throws or rejects with. Switch on `code` (stable; see
 * ERRORS.md); `message` is for humans and never contains a secret, token or code.
 */
export declare class HelpdeskOAuthError extends Error {
  readonly name: "HelpdeskOAuthError";
  readonly code: ErrorCode;
  /** HTTP status of the response that caused the error. */
  readonly status?: number;
  /** `error_description` from the provider. */
  readonly description?: string;
  /** `error_uri` from the provider. */
  readonly uri?: string;
  /** The raw `error` value the provider sent. */
  readonly oauthError?: string;
  /** Whether the same request may succeed later (network, 5xx, garbage from a proxy): keep your tokens. */
  readonly retryable: boolean;
}
