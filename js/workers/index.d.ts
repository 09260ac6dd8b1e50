// Types of helpdesk-oauth/workers (Cloudflare Workers).
import type { OAuthClient, TokenSet, TokenStore, TokenStoreWriteOptions, StoredTokenSet, SleepFunction, StateStore } from "../index.js";
import type { TokenSealer } from "../stores/sealed.js";

/** The part of a KV namespace binding the store uses. */
export interface KvNamespaceLike {
  get(key: string, options: { type: "text" }): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * A TokenStore over Workers KV. KV has no compare-and-set and is eventually consistent, so
 * `expectedVersion` is checked against what this location reads: a race between two locations
 * can still lose a rotated refresh token. Make a Durable Object (`TokenDurableObject`) the
 * authority for providers that rotate refresh tokens (Kustomer).
 */
export declare class KvTokenStore implements TokenStore {
  constructor(namespace: KvNamespaceLike, options?: { prefix?: string });
  get(key: string): Promise<StoredTokenSet | undefined>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): Promise<{ version: string }>;
  delete(key: string, options?: TokenStoreWriteOptions): Promise<boolean>;
}

/** The parts of the Durable Object state the class uses. */
export interface DurableObjectStateLike {
  storage: {
    get(key: string): Promise<unknown>;
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<boolean>;
    delete(keys: string[]): Promise<number>;
    list(options?: { prefix?: string; startAfter?: string; limit?: number }): Promise<Map<string, unknown>>;
  };
}

/**
 * The owner of one account's token set. Extend it, override `createClient`, export the class
 * from your Worker and bind it in wrangler.toml; use `durableObjectSession` to talk to it.
 */
export declare class TokenDurableObject<Env = unknown> {
  constructor(ctx: DurableObjectStateLike, env: Env);
  readonly ctx: DurableObjectStateLike;
  readonly env: Env;
  /** The OAuthClient for refreshes and revocation. */
  createClient(env: Env): OAuthClient;
  /** Refresh when the access token expires within this many seconds (default 60). */
  readonly skewSeconds: number;
  /** The clock in ms since the epoch (expiry checks, used-state records). Default `Date.now()`; override in tests. */
  now(): number;
  /** Seal the stored token set: return `createTokenSealer(...)` from helpdesk-oauth/sealed. Default: not sealed. */
  createSealer(env: Env): TokenSealer | undefined;
  /** Keep an index of installed accounts (listInstalledAccounts): return the namespace this class is bound to. Default: none. */
  accountIndex(env: Env): DurableObjectNamespaceLike | undefined;
  fetch(request: Request): Promise<Response>;
}

/** What a token object holds, without any token. */
export type InstalledAccountInfo =
  | { installed: false }
  | { installed: true; provider: string; account: string | null; expiresAt: number | null; expired: boolean; hasRefreshToken: boolean; scopes: string[] };

/** One entry of the account index (no token). */
export interface InstalledAccount {
  /** The session key, "{provider}:{account}". */
  key: string;
  provider: string;
  account: string | null;
  /** ms since the epoch; null when the provider gave no lifetime. */
  expiresAt: number | null;
  hasRefreshToken: boolean;
  scopes: string[];
  /** When the object last saved or refreshed (its clock, ms). */
  updatedAt: number;
}

/**
 * The installed accounts, in key order, from the index the token objects keep when their class
 * overrides `accountIndex(env)`. `next`: pass it as `after` for the next page; null at the end.
 */
export declare function listInstalledAccounts(
  namespace: DurableObjectNamespaceLike,
  options?: { after?: string; limit?: number },
): Promise<{ accounts: InstalledAccount[]; next: string | null }>;

/**
 * The callback handler's `stateStore` in Workers: used states are recorded in the account's token
 * Durable Object (strongly consistent, unlike KV), so a callback sent twice is exchanged once.
 */
export declare function durableObjectStateStore(namespace: DurableObjectNamespaceLike): StateStore;

/** The part of a Durable Object namespace binding the session uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

export interface DurableObjectSessionOptions {
  namespace: DurableObjectNamespaceLike;
  client: OAuthClient;
  /** The account (Gorgias subdomain, Kustomer org). */
  account?: string;
  /** Default `"{provider id}:{account}"`: names the object. */
  key?: string;
  /** Used for API requests. Default `globalThis.fetch`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** A 429 whose `Retry-After` is longer than this is returned instead of waited out. Default 60. */
  maxRetryAfterSeconds?: number;
  /** How many times one `fetch()` waits out a 429 and tries again. Default 1. */
  retries?: number;
  /** Clock in milliseconds since the epoch, for an HTTP-date `Retry-After`. Default `Date.now`. */
  now?: () => number;
  /** Used for `Retry-After` waits (in the calling Worker, not in the object). Default: a timer. */
  sleep?: SleepFunction;
}

/** One account's API from a Worker, with tokens kept by its TokenDurableObject. */
export declare class DurableObjectSession {
  constructor(options: DurableObjectSessionOptions);
  readonly key: string;
  readonly account: string | undefined;
  /** Stores a token set from `exchangeCode` (a new grant replaces the stored one). */
  save(tokens: TokenSet): Promise<void>;
  /**
   * A valid access token; one refresh for all concurrent callers, stored before it is returned.
   * An abort of `signal` rejects with `aborted`; the object's refresh runs on for the others.
   */
  accessToken(options?: { signal?: AbortSignal }): Promise<string>;
  /**
   * The account's API with `Authorization: Bearer`. 401: one refresh and one more try. 429 with
   * `Retry-After` ≤ `maxRetryAfterSeconds`: waited out, at most `retries` times; `init.signal`
   * cancels the wait (`aborted`). Resolves to the last response, whatever its status.
   */
  fetch(pathOrUrl: string | URL, init?: RequestInit): Promise<Response>;
  revoke(): Promise<{ revokedAtProvider: boolean }>;
  delete(): Promise<boolean>;
  /** What the object holds, without any token. */
  info(): Promise<InstalledAccountInfo>;
}

export declare function durableObjectSession(options: DurableObjectSessionOptions): DurableObjectSession;
