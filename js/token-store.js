// Where sessions keep token sets, and the in-memory implementation.
//
// A TokenStore holds, per key, the string from `TokenSet.serialize()` together with a version.
// Every write names the version it expects to replace, so a writer holding an older view (a
// request that read the tokens before another one rotated them) fails instead of putting a dead
// refresh token back over the live one. Any database can play this role: a row with a version
// column and `UPDATE ... WHERE version = ?`, Redis WATCH/MULTI, a KV store's etag.
//
// The interface (every method may return a value or a Promise of it):
//
//   get(key) → { value: string, version: string | number } | undefined | null
//   set(key, value, { expectedVersion }) → { version }
//       expectedVersion undefined: write unconditionally (a fresh grant from the install flow);
//       null: only if the key is absent; otherwise only if the current version equals it.
//       A failed condition rejects with HelpdeskOAuthError `token_store_conflict` and changes
//       nothing. A version must never be reused for a key, not even after a delete (else an old
//       writer could match a new entry).
//   delete(key, { expectedVersion }?) → boolean (whether something was deleted)
//       same condition rules as set.
//
// The errors module is filled in by scripts/assemble-pkg.mjs: the class must be the very one the
// wasm throws, so that `instanceof` works across the package.
import { HelpdeskOAuthError } from "{{errors_module}}";

export function storeConflict(key) {
  return new HelpdeskOAuthError(
    "token_store_conflict",
    `the stored token set for "${String(key).slice(0, 200)}" changed since it was read; read it again`,
    { retryable: true },
  );
}

function checkKey(key) {
  if (typeof key !== "string" || key.length === 0) {
    throw new HelpdeskOAuthError("invalid_config", "a token store key must be a non-empty string");
  }
}

function matches(entry, expectedVersion) {
  if (expectedVersion === undefined) return true;
  if (expectedVersion === null) return entry === undefined;
  return entry !== undefined && entry.version === expectedVersion;
}

/**
 * A TokenStore in this process's memory: for tests, scripts and single-process apps. Versions
 * come from one counter per store, so they are never reused.
 */
export class MemoryTokenStore {
  #entries = new Map();
  #counter = 0;

  async get(key) {
    checkKey(key);
    const entry = this.#entries.get(key);
    return entry === undefined ? undefined : { value: entry.value, version: entry.version };
  }

  async set(key, value, options = {}) {
    checkKey(key);
    if (typeof value !== "string") {
      throw new HelpdeskOAuthError("invalid_config", "a token store value must be the string from TokenSet.serialize()");
    }
    if (!matches(this.#entries.get(key), options?.expectedVersion)) throw storeConflict(key);
    this.#counter += 1;
    this.#entries.set(key, { value, version: this.#counter });
    return { version: this.#counter };
  }

  async delete(key, options = {}) {
    checkKey(key);
    const entry = this.#entries.get(key);
    if (!matches(entry, options?.expectedVersion)) throw storeConflict(key);
    return this.#entries.delete(key);
  }

  /** How many keys are stored. */
  get size() {
    return this.#entries.size;
  }

  toString() {
    return `MemoryTokenStore { size: ${this.#entries.size} }`;
  }
}
