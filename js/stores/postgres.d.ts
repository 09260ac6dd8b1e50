// Types of helpdesk-oauth/postgres (Node; the app passes its node-postgres Pool).
import type { TokenStore, TokenStoreWriteOptions, StoredTokenSet, RefreshLease, StateStore } from "../index.js";

/** The part of a pg Pool (or Client) the store uses. */
export interface PgQueryable {
  query(config: { text: string; values?: unknown[]; query_timeout?: number }): Promise<{ rows: Array<Record<string, unknown>>; rowCount: number | null }>;
}

export interface DatabaseStoreOptions {
  /** Bound on each database call, in ms; past it the call fails with a retryable `token_store_error`. Default 5000. */
  timeoutMs?: number;
  /** How long a refresh lease lasts, in ms. Keep it above the OAuth client's `timeoutMs` (30000 by default). Default 60000. */
  leaseMs?: number;
  /** How long to wait for another process's lease, in ms. Default `leaseMs` + 1000. */
  leaseWaitMs?: number;
}

export interface PostgresStoreOptions extends DatabaseStoreOptions {
  /** Table name prefix: a lower-case SQL identifier, optionally `schema.prefix`. Default "helpdesk_oauth". */
  prefix?: string;
}

/**
 * A TokenStore in PostgreSQL: compare-and-set on a version column, a refresh lease (one process
 * refreshes an account at a time), and single-use callback states. Run `migrate()` once (or the
 * SQL of `postgresSchema()` in your own migrations).
 */
export declare class PostgresTokenStore implements TokenStore, StateStore {
  constructor(pool: PgQueryable, options?: PostgresStoreOptions);
  /** Creates the tables when missing; safe to run concurrently and repeatedly. */
  migrate(): Promise<void>;
  get(key: string): Promise<StoredTokenSet | undefined>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): Promise<{ version: string }>;
  delete(key: string, options?: TokenStoreWriteOptions): Promise<boolean>;
  acquireLease(key: string): Promise<RefreshLease>;
  consumeState(stateId: string, options: { expiresAt: number }): Promise<boolean>;
}

/** The SQL `migrate()` runs (for the prefix given), for apps that run migrations themselves. */
export declare function postgresSchema(options?: { prefix?: string }): string;
