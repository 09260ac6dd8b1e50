// Public types of helpdesk-oauth. The core API's classes and shapes are in core.d.ts.
import type { ErrorCode } from "./core.js";

export { OAuthClient, TokenSet, PendingAuthorization, AuthorizationRequest, validateAccount, accountFromInstallUrl } from "./core.js";
export type {
  TokenSetView,
  PendingAuthorizationView,
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
  TenantRule,
  RevocationStyle,
  OAuthErrorName,
  TokenSetJSON,
} from "./core.js";

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
  /**
   * For custom TokenStores and wrappers: `throw new HelpdeskOAuthError("token_store_conflict", "…", { retryable: true })`.
   * The message is shown to people: keep secrets and tokens out of it.
   */
  constructor(code: ErrorCode, message: string, details?: { retryable?: boolean; status?: number; description?: string; uri?: string; oauthError?: string; cause?: unknown });
}

// ---- TokenStore: what sessions (helpdesk-oauth/session) and stores (helpdesk-oauth/postgres, /redis, /workers) share ----

/** A store's version of an entry, compared with `===`: a counter, an etag, a row version. */
export type TokenVersion = string | number;

/** What a TokenStore holds for a key: the string from `TokenSet.serialize()` and its version. */
export interface StoredTokenSet {
  readonly value: string;
  readonly version: TokenVersion;
}

/**
 * The write condition. `expectedVersion` undefined: write unconditionally; `null`: only if the key
 * is absent; a version: only if it is still the stored one. A failed condition rejects with
 * `token_store_conflict` and writes nothing.
 */
export interface TokenStoreWriteOptions {
  expectedVersion?: TokenVersion | null;
}

/**
 * Where sessions keep token sets, with compare-and-set so that a writer holding an older view
 * cannot put a dead (rotated) refresh token back. A version must never be reused for a key.
 */
export interface TokenStore {
  get(key: string): StoredTokenSet | undefined | null | Promise<StoredTokenSet | undefined | null>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): { version: TokenVersion } | Promise<{ version: TokenVersion }>;
  /** Resolves to whether something was deleted. */
  delete(key: string, options?: TokenStoreWriteOptions): boolean | Promise<boolean>;
  /**
   * Optional, for stores shared by processes: resolves once this caller holds the key's refresh
   * lease (waiting a bounded time while another holds it; rejects with a retryable error else).
   * The lease lapses by itself, so a crashed holder blocks others only that long. Sessions take
   * it around each refresh; without it they refresh once per process.
   */
  acquireLease?(key: string): Promise<RefreshLease>;
}

/** A held refresh lease; `release()` frees it only while it is still ours. */
export interface RefreshLease {
  release(): Promise<void>;
}

/** Records callback states as used, for the callback handler's single-use check. */
export interface StateStore {
  /** Resolves true the first time `stateId` (a SHA-256, hex) is seen, false after; may forget it after `expiresAt` (ms). */
  consumeState(stateId: string, options: { expiresAt: number; provider: string; account?: string }): Promise<boolean>;
}

/** Waits `ms` milliseconds; may stop early when `signal` aborts (the session rejects with `aborted` either way). */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The `fetch` a session calls the API with; `globalThis.fetch` fits. */
export type ApiFetch = (url: string, init: RequestInit) => Promise<Response>;
