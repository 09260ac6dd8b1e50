// Types of helpdesk-oauth/session: the tokens of one account kept fresh in a TokenStore.
import type { OAuthClient, TokenSet } from "./core.js";
import type { TokenStore, StoredTokenSet, TokenStoreWriteOptions, SleepFunction, ApiFetch } from "./index.js";

export type { TokenStore, StoredTokenSet, TokenStoreWriteOptions, TokenVersion, SleepFunction, ApiFetch } from "./index.js";

/** A TokenStore in this process's memory (tests, scripts, single-process apps). */
export declare class MemoryTokenStore implements TokenStore {
  constructor();
  get(key: string): Promise<StoredTokenSet | undefined>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): Promise<{ version: number }>;
  delete(key: string, options?: TokenStoreWriteOptions): Promise<boolean>;
  /** How many keys are stored. */
  readonly size: number;
}

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
