// Types of helpdesk-oauth/redis (Node; the app passes its node-redis or ioredis client).
import type { TokenStore, TokenStoreWriteOptions, StoredTokenSet, RefreshLease, StateStore } from "../index.js";

/** A node-redis client (v5 or later, `createClient()`): the store calls `sendCommand([...])`. */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** An ioredis client (`new Redis()`): the store calls `call(command, ...args)`. */
export interface IoRedisLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  readonly status: string;
}

export interface RedisStoreOptions {
  /** Prepended to every Redis key. Default "helpdesk-oauth:". */
  prefix?: string;
  /** Bound on each Redis call, in ms (clients queue commands while the server is down); past it a retryable `token_store_error`. Default 5000. */
  timeoutMs?: number;
  /** How long a refresh lease lasts, in ms. Keep it above the OAuth client's `timeoutMs` (30000 by default). Default 60000. */
  leaseMs?: number;
  /** How long to wait for another process's lease, in ms. Default `leaseMs` + 1000. */
  leaseWaitMs?: number;
}

/**
 * A TokenStore in Redis: `{prefix}tokens:{key}` hashes { value, version } written by Lua
 * compare-and-set, a refresh lease (`{prefix}lease:{key}`, SET NX PX with a random owner token),
 * and single-use callback states (`{prefix}state:{id}`).
 */
export declare class RedisTokenStore implements TokenStore, StateStore {
  constructor(client: NodeRedisLike | IoRedisLike, options?: RedisStoreOptions);
  get(key: string): Promise<StoredTokenSet | undefined>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): Promise<{ version: string }>;
  delete(key: string, options?: TokenStoreWriteOptions): Promise<boolean>;
  acquireLease(key: string): Promise<RefreshLease>;
  consumeState(stateId: string, options: { expiresAt: number }): Promise<boolean>;
}
