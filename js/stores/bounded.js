// What the database stores share: their errors, and waits that end. Database clients wait as
// long as they are told to (node-redis and ioredis queue commands while the server is down and
// send them when it is back; a pg pool waits for a free connection), so every call a store makes
// is raced against its own deadline and fails with a retryable `token_store_error` instead. A
// command abandoned that way may still run later; every write is a compare-and-set and every
// lease lapses, so a late one cannot undo a newer state.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

export const DEFAULT_TIMEOUT_MS = 5_000;
// Above the OAuth client's default request timeout (30 s): a holder still waiting for the
// provider must not lose its lease to a second refresh with the same refresh token.
export const DEFAULT_LEASE_MS = 60_000;

export function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

/** A store failure that may pass (server down, restarting, slow, lease busy): keep the tokens, try again. */
export function unavailable(message, cause) {
  const e = new HelpdeskOAuthError("token_store_error", message, { retryable: true });
  if (cause !== undefined) e.cause = cause;
  return e;
}

/** What is stored under a key is not what this store writes: it stays there for the operator. */
export function malformed(store, key, detail) {
  return new HelpdeskOAuthError("token_store_error", `the ${store} entry for "${quoteKey(key)}" is not one this store wrote (${detail}); it was left as it is`, { retryable: false });
}

export function quoteKey(key) {
  return String(key).slice(0, 200);
}

export function checkKey(key) {
  if (typeof key !== "string" || key.length === 0 || key.length > 400) {
    throw invalidConfig("a token store key must be a string of 1 to 400 characters");
  }
}

export function checkValue(value) {
  if (typeof value !== "string") throw invalidConfig("a token store value must be the string from TokenSet.serialize()");
}

/** The options every database store takes: `timeoutMs`, `leaseMs`, `leaseWaitMs`. */
export function timingOptions(options) {
  const int = (name, fallback, min, max) => {
    const v = options?.[name];
    if (v === undefined) return fallback;
    if (!Number.isInteger(v) || v < min || v > max) throw invalidConfig(`\`${name}\` must be an integer from ${min} to ${max} (milliseconds)`);
    return v;
  };
  const timeoutMs = int("timeoutMs", DEFAULT_TIMEOUT_MS, 1, 600_000);
  const leaseMs = int("leaseMs", DEFAULT_LEASE_MS, 100, 3_600_000);
  // A crashed holder's lease lapses after leaseMs: waiting a little longer always ends in a lease.
  const leaseWaitMs = int("leaseWaitMs", leaseMs + 1_000, 0, 3_600_000);
  return { timeoutMs, leaseMs, leaseWaitMs };
}

/** `promise`, or a retryable token_store_error once `ms` have passed. */
export function withDeadline(promise, ms, message) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(unavailable(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** 16 random bytes, hex: names a lease's holder so that only it can release the lease. */
export function randomToken() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Polls `tryTake()` (true when the lease was taken) until it succeeds or `waitMs` have passed,
 * backing off from 10 ms to 250 ms between tries.
 */
export async function pollForLease(tryTake, key, waitMs) {
  const deadline = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    if (await tryTake()) return;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw unavailable(`another process held the refresh lease for "${quoteKey(key)}" for more than ${waitMs} ms; try again`);
    }
    await sleep(Math.min(delay, left));
  }
}
