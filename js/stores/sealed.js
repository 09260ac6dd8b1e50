// helpdesk-oauth/sealed: token sets encrypted at rest. A database dump, a KV export or a Durable
// Object backup then holds no working refresh token (Gorgias refresh tokens never expire).
//
// AES-256-GCM through WebCrypto (Node, Workers, Deno, Bun, browsers), under keys the app supplies,
// each with an id. New values are sealed with `currentKeyId`; values sealed with any key in `keys`
// can be read, so keys rotate by adding the new one, making it current, and dropping the old one
// once every entry has been rewritten (each refresh rewrites its entry).
//
// Sealed form: `hoa1.{keyId}.{iv}.{ciphertext+tag}` (base64url). The additional data binds the
// value to its key id and to the store key it was written under, so a sealed value copied to
// another account's row does not open.
//
// A value that does not open (tampered, unknown key id, not sealed) is a non-retryable
// `token_store_error` naming the key id, never a crash, and the stored value is left as it is.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

const FORMAT = "hoa1";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

function unopenable(where, message) {
  return new HelpdeskOAuthError("token_store_error", `the stored value ${where} ${message}; it was left as it is`, { retryable: false });
}

function toBase64url(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** The key as given, checked now (a wrong key is a configuration error, not a failure on first use). */
function keyMaterial(id, material) {
  if (typeof CryptoKey !== "undefined" && material instanceof CryptoKey) {
    if (material.algorithm?.name !== "AES-GCM" || material.algorithm?.length !== 256) throw invalidConfig(`key "${id}" must be an AES-GCM 256-bit CryptoKey`);
    return material;
  }
  const bytes = typeof material === "string" ? fromBase64url(material.replace(/=+$/, "")) : material instanceof Uint8Array ? material : undefined;
  if (!bytes || bytes.length !== 32) throw invalidConfig(`key "${id}" must be 32 bytes: a Uint8Array, a base64url string of 32 random bytes, or an AES-GCM CryptoKey`);
  return bytes;
}

async function importKey(material) {
  if (material instanceof Uint8Array) return crypto.subtle.importKey("raw", material, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  return material;
}

/**
 * Seals and opens strings. `keys`: { [keyId]: key } (32 bytes as Uint8Array or base64url, or an
 * AES-GCM CryptoKey); `currentKeyId` seals new values; `readUnsealed`: also read values that are
 * not sealed (token sets written before sealing was turned on), to be sealed at their next write.
 */
export function createTokenSealer(options) {
  if (options === null || typeof options !== "object") throw invalidConfig("the sealer needs { keys, currentKeyId }");
  const { keys, currentKeyId, readUnsealed = false } = options;
  if (keys === null || typeof keys !== "object" || Object.keys(keys).length === 0) throw invalidConfig("`keys` must map key ids to keys");
  for (const id of Object.keys(keys)) if (!KEY_ID.test(id)) throw invalidConfig("key ids must be 1 to 32 characters of A-Z a-z 0-9 _ -");
  if (typeof currentKeyId !== "string" || !Object.hasOwn(keys, currentKeyId)) throw invalidConfig("`currentKeyId` must be one of the ids in `keys`");
  if (typeof readUnsealed !== "boolean") throw invalidConfig("`readUnsealed` must be true or false");
  const materials = new Map(Object.keys(keys).map((id) => [id, keyMaterial(id, keys[id])]));
  // Imported once, on first use (importKey is async).
  const imported = new Map();
  const key = (id) => {
    if (!imported.has(id)) imported.set(id, importKey(materials.get(id)));
    return imported.get(id);
  };
  const aad = (id, context) => new TextEncoder().encode(`${FORMAT}.${id}.${context}`);

  return {
    currentKeyId,
    /** `plaintext` sealed under the current key, bound to `context` (the store key). */
    async seal(plaintext, context = "") {
      if (typeof plaintext !== "string") throw invalidConfig("only strings can be sealed");
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ct = new Uint8Array(
        await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad(currentKeyId, context) }, await key(currentKeyId), new TextEncoder().encode(plaintext)),
      );
      return `${FORMAT}.${currentKeyId}.${toBase64url(iv)}.${toBase64url(ct)}`;
    },
    /** The plaintext of a sealed value written under `context`, or a token_store_error. */
    async open(sealed, context = "") {
      const where = `for "${String(context).slice(0, 200)}"`;
      if (typeof sealed !== "string") throw unopenable(where, "is not a string");
      const parts = sealed.split(".");
      if (parts[0] !== FORMAT) {
        if (readUnsealed) return sealed;
        throw unopenable(where, "is not sealed (written before sealing was on? `readUnsealed: true` reads such values until they are rewritten)");
      }
      if (parts.length !== 4 || !KEY_ID.test(parts[1])) throw unopenable(where, "is not a well-formed sealed value");
      const id = parts[1];
      if (!Object.hasOwn(keys, id)) throw unopenable(where, `is sealed under key id "${id}", which is not among the keys given (add that key to read it)`);
      const iv = fromBase64url(parts[2]);
      const ct = fromBase64url(parts[3]);
      if (!iv || iv.length !== 12 || !ct || ct.length < 16) throw unopenable(where, "is not a well-formed sealed value");
      let plain;
      try {
        plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: aad(id, context) }, await key(id), ct);
      } catch (err) {
        if (err instanceof HelpdeskOAuthError) throw err;
        throw unopenable(where, `does not open with key "${id}" (tampered, copied from another store key, or that id now names another key)`);
      }
      return new TextDecoder().decode(plain);
    },
  };
}

/**
 * A TokenStore that seals values on their way into `store` and opens them on the way out.
 * Versions, conditions, the refresh lease and single-use states are the inner store's.
 */
export class SealedTokenStore {
  #store;
  #sealer;

  /** @param options { keys, currentKeyId, readUnsealed? } or a sealer from createTokenSealer */
  constructor(store, options) {
    for (const m of ["get", "set", "delete"]) {
      if (!store || typeof store[m] !== "function") throw invalidConfig(`SealedTokenStore wraps a TokenStore (no ${m}() method)`);
    }
    this.#store = store;
    this.#sealer = typeof options?.seal === "function" && typeof options?.open === "function" ? options : createTokenSealer(options);
    // Offered only when the inner store has them: a session looks for acquireLease to decide
    // between a cross-process lease and its in-process single flight.
    if (typeof store.acquireLease === "function") this.acquireLease = (key) => store.acquireLease(key);
    if (typeof store.consumeState === "function") this.consumeState = (id, o) => store.consumeState(id, o);
  }

  async get(key) {
    const entry = await this.#store.get(key);
    if (entry === undefined || entry === null) return entry;
    return { value: await this.#sealer.open(entry.value, key), version: entry.version };
  }

  async set(key, value, options) {
    if (typeof value !== "string") throw invalidConfig("a token store value must be the string from TokenSet.serialize()");
    return this.#store.set(key, await this.#sealer.seal(value, key), options);
  }

  delete(key, options) {
    return this.#store.delete(key, options);
  }

  toString() {
    return `SealedTokenStore { key: ${this.#sealer.currentKeyId}, over: ${String(this.#store)} }`;
  }
}

export function sealedTokenStore(store, options) {
  return new SealedTokenStore(store, options);
}
