// A TokenStore over a Cloudflare KV namespace.
//
// KV has no compare-and-set, and it is eventually consistent: a write can take up to a minute to
// be seen in other locations, and two isolates can read the same version and both write. So this
// store checks `expectedVersion` against what *this location* reads, which narrows the race but
// cannot close it: two concurrent refreshes of a rotating (Kustomer) refresh token in two
// locations can still lose the newer one. Use it for single-location, low-traffic apps, caches,
// or providers that do not rotate (Gorgias). For the authority on an account's tokens use the
// Durable Object (`TokenDurableObject`, `durableObjectSession`), which serialises refreshes.
import { storeConflict } from "../token-store.mjs";
import { HelpdeskOAuthError } from "../api.mjs";

function checkKey(key) {
  if (typeof key !== "string" || key.length === 0 || key.length > 400) {
    throw new HelpdeskOAuthError("invalid_config", "a token store key must be a string of 1 to 400 characters");
  }
}

function matches(entry, expectedVersion) {
  if (expectedVersion === undefined) return true;
  if (expectedVersion === null) return entry === undefined;
  return entry !== undefined && entry.version === expectedVersion;
}

export class KvTokenStore {
  #kv;
  #prefix;

  /**
   * @param namespace a KV namespace binding (`env.TOKENS_KV`)
   * @param options.prefix prepended to every key (default "helpdesk-oauth:tokens:")
   */
  constructor(namespace, options = {}) {
    if (!namespace || typeof namespace.get !== "function" || typeof namespace.put !== "function" || typeof namespace.delete !== "function") {
      throw new HelpdeskOAuthError("invalid_config", "KvTokenStore needs a KV namespace binding");
    }
    const prefix = options?.prefix ?? "helpdesk-oauth:tokens:";
    if (typeof prefix !== "string") throw new HelpdeskOAuthError("invalid_config", "`prefix` must be a string");
    this.#kv = namespace;
    this.#prefix = prefix;
  }

  async get(key) {
    checkKey(key);
    const raw = await this.#kv.get(this.#prefix + key, { type: "text" });
    if (raw === null) return undefined;
    let entry;
    try {
      entry = JSON.parse(raw);
    } catch {
      entry = undefined;
    }
    if (!entry || typeof entry.value !== "string" || typeof entry.version !== "string") {
      throw new HelpdeskOAuthError("token_store_error", "the KV entry is not one KvTokenStore wrote", { retryable: false });
    }
    return { value: entry.value, version: entry.version };
  }

  async set(key, value, options = {}) {
    checkKey(key);
    if (typeof value !== "string") {
      throw new HelpdeskOAuthError("invalid_config", "a token store value must be the string from TokenSet.serialize()");
    }
    // Read-then-write: see the header; this is as close to compare-and-set as KV allows.
    if (options?.expectedVersion !== undefined && !matches(await this.get(key), options.expectedVersion)) throw storeConflict(key);
    // Random versions are never reused for a key, not even after a delete.
    const version = crypto.randomUUID();
    await this.#kv.put(this.#prefix + key, JSON.stringify({ value, version }));
    return { version };
  }

  async delete(key, options = {}) {
    checkKey(key);
    const entry = await this.get(key);
    if (!matches(entry, options?.expectedVersion)) throw storeConflict(key);
    if (entry === undefined) return false;
    await this.#kv.delete(this.#prefix + key);
    return true;
  }

  toString() {
    return "KvTokenStore";
  }
}
