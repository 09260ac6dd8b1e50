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
  /** For custom TokenStores and wrappers: `new HelpdeskOAuthError("token_store_conflict", "...")`. */
  constructor(code: ErrorCode, message: string, details?: { retryable?: boolean; status?: number; description?: string; uri?: string; oauthError?: string; cause?: unknown });
}

// ---- Sessions (js/session.js, js/token-store.js) ----
import type { OAuthClient, TokenSet } from "./core.js";

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
}

/** A TokenStore in this process's memory (tests, scripts, single-process apps). */
export declare class MemoryTokenStore implements TokenStore {
  constructor();
  get(key: string): Promise<StoredTokenSet | undefined>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): Promise<{ version: number }>;
  delete(key: string, options?: TokenStoreWriteOptions): Promise<boolean>;
  /** How many keys are stored. */
  readonly size: number;
}

/** Waits `ms` milliseconds; may stop early when `signal` aborts (the session rejects with `aborted` either way). */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The `fetch` a session calls the API with; `globalThis.fetch` fits. */
export type ApiFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface SessionOptions {
  client: OAuthClient;
  store: TokenStore;
  /** The account (Gorgias subdomain, Kustomer org) whose API the session calls. */
  account?: string;
  /** Store key. Default `"{provider id}:{account}"`; required without `account`. */
  key?: string;
  /** Refresh when the access token expires within this many seconds. Default 60. */
  skewSeconds?: number;
  /** A 429 whose `Retry-After` is longer than this is returned instead of waited out. Default 60. */
  maxRetryAfterSeconds?: number;
  /** How many times one `fetch()` waits out a 429 and tries again. Default 1. */
  retries?: number;
  /** Clock in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Used for `Retry-After` waits. Default: a timer. */
  sleep?: SleepFunction;
  /** Used for API requests. Default `globalThis.fetch`. */
  fetch?: ApiFetch;
}

/** The tokens of one account, kept fresh in a TokenStore, and API calls made with them. */
export declare class Session {
  constructor(options: SessionOptions);
  /** The store key this session reads and writes. */
  readonly key: string;
  readonly account: string | undefined;
  /** Stores a token set from `exchangeCode`, replacing what was stored (a new grant wins). */
  save(tokens: TokenSet): Promise<void>;
  /**
   * A valid access token; refreshes first when it expires within `skewSeconds`. Concurrent
   * callers share one refresh, whose result is stored before anyone gets it. Rejects with
   * `reauthorization_required` when the grant is gone, or a retryable error (stored tokens kept).
   */
  accessToken(options?: { signal?: AbortSignal }): Promise<string>;
  /**
   * `fetch` for the account's API: the path (or an absolute URL under the API base) is resolved
   * with `client.apiUrl`, `Authorization: Bearer` is set. 401: one refresh and one more try.
   * 429 with `Retry-After` ≤ `maxRetryAfterSeconds`: waited out, at most `retries` times.
   * Resolves to the last response, whatever its status.
   */
  fetch(pathOrUrl: string | URL, init?: RequestInit): Promise<Response>;
  /**
   * Revokes at the provider when it has a revocation endpoint, then deletes the stored tokens.
   * If the provider call fails, the tokens stay stored and the error is thrown.
   */
  revoke(): Promise<{ revokedAtProvider: boolean }>;
}

export declare function createSession(options: SessionOptions): Session;

// ---- Install and callback handlers (js/handlers.js, src/wasm/cookie.rs) ----
export { sealPendingCookie, openPendingCookie, clearPendingCookie } from "./core.js";
export type { CookieSecret, SealCookieOptions, OpenCookieOptions, ClearCookieOptions, OpenedPendingCookie } from "./core.js";

/** A web-standard handler: Workers, Node (via a Request adapter), Deno, Bun. */
export type RequestHandler = (request: Request) => Promise<Response>;

interface HandlerOptionsBase {
  client: import("./core.js").OAuthClient;
  /** Seals the pending authorization cookie (AES-GCM-256 via HKDF): at least 32 bytes. */
  cookieSecret: import("./core.js").CookieSecret;
  /** Same-site paths the user may be sent back to (an entry ending in `/` covers the paths below it). Default none. */
  allowReturnTo?: string[];
  /** Default `"__Host-helpdesk-oauth"`. */
  cookieName?: string;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

export interface InstallHandlerOptions extends HandlerOptionsBase {
  /** The App URL's account parameter (Gorgias: `account`); `null` for providers without accounts. */
  accountParam?: string | null;
  /** The parameter naming the return path (checked against `allowReturnTo`). Default `return_to`. */
  returnToParam?: string;
  /** Scopes, `offline` and extra parameters for `client.authorize` (the account always comes from the request). */
  authorizeParams?:
    | Omit<import("./core.js").AuthorizeParams, "account">
    | ((request: Request, account: string | undefined) => Omit<import("./core.js").AuthorizeParams, "account"> | Promise<Omit<import("./core.js").AuthorizeParams, "account">>);
  /** The cookie's lifetime; keep it equal to the client's `pendingTtlSeconds`. Default 600, at most 3600. */
  maxAgeSeconds?: number;
}

/** What the callback handler tells `onTokens` besides the tokens. */
export interface CallbackContext {
  account?: string;
  provider: string;
  /** The allow-listed return path from the install request, if there was one. */
  returnTo?: string;
}

export interface CallbackHandlerOptions extends HandlerOptionsBase {
  /**
   * Stores the token set and answers. `undefined`: the handler answers 303 to `returnTo` or
   * `defaultReturnTo`. The handler adds `Cache-Control: no-store`, `Referrer-Policy: no-referrer`
   * and the cookie-clearing `Set-Cookie` to whatever it returns.
   */
  onTokens(tokens: import("./core.js").TokenSet, request: Request, context: CallbackContext): Response | undefined | Promise<Response | undefined>;
  /** Where to go after `onTokens` answers `undefined` without a return path. Default `/`. */
  defaultReturnTo?: string;
  /** Told about errors thrown by `onTokens` (the answer is a 500 `internal_error` page without details). */
  onError?(error: unknown, request: Request): void;
}

/** The App URL handler: validates the account, answers 302 to the provider with the sealed pending authorization in a cookie. */
export declare function createInstallHandler(options: InstallHandlerOptions): RequestHandler;

/**
 * The redirect_uri handler: opens the cookie, checks the callback (state, iss, age) and exchanges
 * the code, clears the cookie (on every answer), and hands the tokens to `onTokens`. Failures
 * answer 400/403/500/502 with `{ error: code, message, retryable }` (JSON when accepted, else HTML).
 */
export declare function createCallbackHandler(options: CallbackHandlerOptions): RequestHandler;
