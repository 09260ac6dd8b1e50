// Single-use callback states: the callback handler records each state it accepts before it
// exchanges the code, so that the same callback sent twice (double navigation, a retry, a proxy)
// reaches the provider once. A second exchange of a code is refused by the provider, which should
// also revoke what the first one issued (RFC 6749 §4.1.2): the install would be lost.
//
// A state store has one method:
//   consumeState(stateId, { expiresAt, provider, account }) → true the first time, false after.
// `stateId` is the SHA-256 of the state (hex), `expiresAt` when the record may be forgotten (the
// state's cookie has expired by then). PostgresTokenStore, RedisTokenStore and the Workers'
// durableObjectStateStore implement it; this module has the in-process default.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

// A pending authorization lives at most 3600 s in its cookie; remember a used state that long
// after it was created, plus room for clocks that disagree.
export const REMEMBER_USED_STATE_MS = (3600 + 300) * 1000;
// Memory bound for the in-process default: past it the oldest records go first (an install
// replayed after that many newer callbacks is not caught; the provider still refuses the code).
const MAX_REMEMBERED = 10_000;

/** The in-process default: catches a replay that reaches the same process. */
export class MemoryStateStore {
  #used = new Map(); // stateId → expiresAt, oldest first

  async consumeState(stateId, { expiresAt }) {
    const now = Date.now();
    for (const [id, until] of this.#used) {
      if (until > now && this.#used.size < MAX_REMEMBERED) break;
      this.#used.delete(id);
    }
    if (this.#used.has(stateId)) return false;
    this.#used.set(stateId, expiresAt);
    return true;
  }
}

// One per process (per isolate in Workers), shared by every handler: a handler made per request
// would otherwise start with an empty memory each time. State ids are random, so sharing is safe.
let processStates;

export function checkStateStore(store) {
  if (store !== undefined && (store === null || typeof store.consumeState !== "function")) {
    throw new HelpdeskOAuthError("invalid_config", "`stateStore` must have consumeState(stateId, { expiresAt }) (PostgresTokenStore, RedisTokenStore, durableObjectStateStore)");
  }
  return store ?? (processStates ??= new MemoryStateStore());
}

/** The id a state is recorded under: its SHA-256, hex. */
export async function stateId(state) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(state));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Records the pending authorization's state; rejects with `state_reused` if it was used before. */
export async function consumeOnce(store, pending) {
  let first;
  try {
    first = await store.consumeState(await stateId(pending.state), {
      expiresAt: pending.createdAt + REMEMBER_USED_STATE_MS,
      provider: pending.provider,
      account: pending.account,
    });
  } catch (err) {
    if (err instanceof HelpdeskOAuthError) throw err;
    const e = new HelpdeskOAuthError("token_store_error", "the state store failed to record the callback's state; start the installation again", { retryable: true });
    e.cause = err;
    throw e;
  }
  if (first !== true) {
    throw new HelpdeskOAuthError("state_reused", "this authorization response was already used (the callback was sent twice); the code was not exchanged again");
  }
}
