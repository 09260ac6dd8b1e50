// Types of helpdesk-oauth/sealed (every runtime with WebCrypto).
import type { TokenStore, TokenStoreWriteOptions, StoredTokenSet, RefreshLease, StateStore } from "../index.js";

/** 32 random bytes, as bytes or base64url, or an AES-GCM 256-bit CryptoKey. */
export type SealingKey = Uint8Array | string | CryptoKey;

export interface SealingOptions {
  /** Key id (1-32 of A-Z a-z 0-9 _ -) → key. A value sealed under each of them can be read. */
  keys: Record<string, SealingKey>;
  /** The id whose key seals new values. */
  currentKeyId: string;
  /** Also read values that are not sealed (written before sealing was on); they are sealed at their next write. Default false. */
  readUnsealed?: boolean;
}

/** Seals and opens strings (AES-256-GCM, bound to a context such as the store key). */
export interface TokenSealer {
  readonly currentKeyId: string;
  seal(plaintext: string, context?: string): Promise<string>;
  /** Rejects with a non-retryable `token_store_error` for a value that does not open. */
  open(sealed: string, context?: string): Promise<string>;
}

export declare function createTokenSealer(options: SealingOptions): TokenSealer;

/**
 * A TokenStore that seals values before they reach `store` and opens them on the way out;
 * versions, conditions, the refresh lease and single-use states are the inner store's.
 */
export declare class SealedTokenStore implements TokenStore {
  constructor(store: TokenStore, options: SealingOptions | TokenSealer);
  get(key: string): Promise<StoredTokenSet | undefined | null>;
  set(key: string, value: string, options?: TokenStoreWriteOptions): Promise<{ version: string | number }>;
  delete(key: string, options?: TokenStoreWriteOptions): Promise<boolean>;
  /** Present when the inner store has it. */
  acquireLease?(key: string): Promise<RefreshLease>;
  /** Present when the inner store has it. */
  consumeState?: StateStore["consumeState"];
}

export declare function sealedTokenStore(store: TokenStore, options: SealingOptions | TokenSealer): SealedTokenStore;
