// A session: the tokens of one account kept fresh in a TokenStore, and API calls made with them.
//
// What it guarantees, and why it is shaped this way:
// - One refresh at a time per (store object, key) in this process, shared by every Session over
//   that store: rotating providers (Kustomer) kill the old refresh token on first use, so a
//   second concurrent refresh would fail and could make us forget a live grant. A store shared by
//   processes (PostgreSQL, Redis) offers a refresh lease (`acquireLease`): the flight takes it and
//   reads the entry again before asking the provider, so one process refreshes and the others
//   find its result.
// - The refreshed token set is written to the store (compare-and-set on the version read) before
//   any caller sees it: a crash after the provider rotated but before the write loses the grant.
// - A fault during a refresh (network, timeout, 5xx, garbage) changes nothing in the store; only
//   `invalid_grant` answered with 400 (or 200 from a provider that sends errors so, Zoho: revoked,
//   uninstalled) removes the stored tokens, and only if
//   nobody replaced them meanwhile (js/refresh-outcome.js: the same body on a 5xx is a fault).
// - Every wait (refresh, Retry-After, the request) can be abandoned with an AbortSignal; abandoning
//   never cancels a shared refresh, whose result others are waiting to store.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";
import { validateAccount } from "./helpdesk_oauth.js";
import { TokenSet } from "./token-set.mjs";
import { abortable, functionOption, nonNegative, rateLimitHeaders, replayable, retryAfterPolicy, signalError, throwIfAborted } from "./retry-after.mjs";
import { grantRevoked, refreshFault } from "./refresh-outcome.mjs";
import { bearerAuthorization } from "./bearer.mjs";

const DEFAULT_SKEW_SECONDS = 60;
// Bound on re-reading the store when another writer got in between (see #refreshFlow).
const MAX_STORE_ROUNDS = 3;

// Per store object, per key: { flight, unsaved, generation }. A WeakMap so that a store that is
// dropped takes its bookkeeping with it. `unsaved` holds a refreshed token set whose write failed,
// with the lease taken for it: kept, not released, so that no other process spends the old refresh
// token while the new one exists only here (the lease lapses by itself).
const registry = new WeakMap();

/** Releases a lease without letting its failure (the store is down) replace the real outcome. */
function releaseQuietly(lease) {
  if (!lease) return;
  Promise.resolve()
    .then(() => lease.release())
    .catch(() => {}); // it lapses by itself
}

function slotFor(store, key) {
  let slots = registry.get(store);
  if (!slots) registry.set(store, (slots = new Map()));
  let slot = slots.get(key);
  if (!slot) slots.set(key, (slot = { flight: undefined, unsaved: undefined, generation: 0 }));
  return slot;
}

const isCode = (err, code) => err instanceof HelpdeskOAuthError && err.code === code;

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

function reauthorizationRequired(message) {
  return new HelpdeskOAuthError("reauthorization_required", `${message}: send the user through the install flow again`);
}

/** Errors from the app's store become ours, keeping theirs as `cause` (stores rarely put secrets in messages, but we do not repeat them). */
function storeError(err, what) {
  if (err instanceof HelpdeskOAuthError) return err;
  const e = new HelpdeskOAuthError("token_store_error", `the token store failed to ${what}`, { retryable: true });
  e.cause = err;
  return e;
}

/** Whether `body` can be sent a second time (a stream is consumed by the first attempt). */


function describeFetchFailure(err) {
  const name = typeof err?.name === "string" ? err.name : "Error";
  const cause = typeof err?.cause?.code === "string" ? ` (${err.cause.code})` : "";
  return `${name}${cause}`.slice(0, 120);
}

/** Creates a session; see Session. */
export function createSession(options) {
  return new Session(options);
}

export class Session {
  #client;
  #provider;
  #store;
  #key;
  #account;
  #skew;
  #rateLimit; // the 429 policy (js/retry-after.js)
  #now;
  #fetch;
  #cache; // { version, value, tokens }: the last entry read, so an unchanged value is not parsed again

  constructor(options) {
    if (options === null || typeof options !== "object") throw invalidConfig("createSession needs an options object");
    const { client, store, key, account, skewSeconds, maxRetryAfterSeconds, retries, now, sleep, fetch } = options;
    if (!client || typeof client.refresh !== "function" || typeof client.apiUrl !== "function") {
      throw invalidConfig("`client` must be an OAuthClient");
    }
    for (const m of ["get", "set", "delete"]) {
      if (!store || typeof store[m] !== "function") throw invalidConfig(`\`store\` must be a TokenStore (no ${m}() method)`);
    }
    if (account !== undefined && (typeof account !== "string" || account.length === 0)) throw invalidConfig("`account` must be a non-empty string");
    if (key !== undefined && (typeof key !== "string" || key.length === 0)) throw invalidConfig("`key` must be a non-empty string");
    this.#client = client;
    this.#provider = client.provider;
    if (account !== undefined) validateAccount(account); // invalid_account now, not on first use
    this.#store = store;
    this.#account = account;
    this.#key = key ?? (account !== undefined ? `${this.#provider.id}:${account}` : undefined);
    if (this.#key === undefined) throw invalidConfig("a session needs `account` or `key`");
    this.#skew = nonNegative(skewSeconds, "skewSeconds", DEFAULT_SKEW_SECONDS, false);
    this.#rateLimit = retryAfterPolicy({ maxRetryAfterSeconds, retries, now, sleep, headers: rateLimitHeaders(this.#provider) });
    this.#now = this.#rateLimit.now;
    this.#fetch = functionOption(fetch, "fetch") ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** The store key this session reads and writes. */
  get key() {
    return this.#key;
  }

  get account() {
    return this.#account;
  }

  /** Stores a token set from the install flow (`exchangeCode`), replacing whatever was there: a new grant wins. */
  async save(tokens) {
    this.#checkTokens(tokens);
    const value = tokens.serialize();
    let written;
    try {
      written = await this.#store.set(this.#key, value, {});
    } catch (err) {
      throw storeError(err, "save the token set");
    }
    this.#cache = { version: written.version, value, tokens };
  }

  /** A valid access token, refreshed first when it expires within `skewSeconds`. */
  async accessToken(options = {}) {
    return (await this.#fresh(options?.signal ?? undefined)).accessToken;
  }

  /**
   * `fetch` for the account's API: `pathOrUrl` is resolved by `client.apiUrl` (absolute URLs only
   * under the API base), `Authorization: Bearer` is set. A 401 leads to one refresh and one more
   * try; a 429 with a usable `Retry-After` of at most `maxRetryAfterSeconds` is waited out and
   * tried again, at most `retries` times. The last response is returned as it is.
   */
  async fetch(pathOrUrl, init = {}) {
    init = init ?? {};
    const signal = init.signal ?? undefined;
    if (typeof pathOrUrl !== "string" && !(pathOrUrl instanceof URL)) throw invalidConfig("fetch() takes a path or URL string");
    // The path is checked before anything else happens; where the API host depends on the
    // token set's tenant (Zoho's data centre), it is resolved again with it.
    const byTenant = this.#provider.apiBaseUrl?.includes("{tenant}");
    let url = byTenant ? undefined : this.#client.apiUrl(String(pathOrUrl), this.#account);
    const canRetry = replayable(init.body);
    const credential = await this.#fresh(signal);
    url ??= this.#client.apiUrl(String(pathOrUrl), credential);
    return this.#rateLimit.run({
      credential,
      send: (tokens) => this.#send(url, init, tokens.accessToken, signal),
      // HubSpot says an API 401 is not the sign to refresh; the expiry is.
      canRefresh: (tokens) => tokens.refreshToken !== undefined && this.#provider.refreshOn401 !== false,
      refresh: (tokens) => this.#fresh(signal, tokens.accessToken),
      fresh: () => this.#fresh(signal),
      canRetry,
      signal,
    });
  }

  /**
   * Revokes the grant at the provider when it has a revocation endpoint, then deletes the stored
   * tokens. If the provider call fails the tokens stay stored (retry, or delete them yourself).
   */
  async revoke() {
    const slot = slotFor(this.#store, this.#key);
    // Let a refresh in flight store its result first, so that the grant it wrote is the one we forget.
    if (slot.flight) await slot.flight.catch(() => {});
    // Across processes the same: under the lease, no other process is half-way through a refresh.
    // (A lease kept for an unwritten refresh is already ours.)
    const lease = typeof this.#store.acquireLease === "function" && !slot.unsaved?.lease ? await this.#lease() : undefined;
    try {
      return await this.#revokeStored(slot);
    } finally {
      if (lease) await lease.release().catch(() => {});
    }
  }

  async #revokeStored(slot) {
    const entry = await this.#read();
    if (!entry) return { revokedAtProvider: false };
    let revokedAtProvider = false;
    if (this.#provider.revokeUrl !== undefined) {
      // Revoking with the access token as the bearer (Zendesk, Intercom) needs a live one.
      const bearer = this.#provider.revocation?.token === "bearer";
      await this.#client.revoke(bearer ? await this.#fresh(undefined) : entry.tokens);
      revokedAtProvider = true;
    }
    slot.generation += 1; // a refresh finishing after this must not put the grant back
    releaseQuietly(slot.unsaved?.lease);
    slot.unsaved = undefined;
    try {
      await this.#store.delete(this.#key, {});
    } catch (err) {
      throw storeError(err, "delete the token set");
    }
    this.#cache = undefined;
    return { revokedAtProvider };
  }

  toString() {
    return `Session { provider: ${this.#provider.id}, key: ${this.#key} }`;
  }

  [Symbol.for("nodejs.util.inspect.custom")]() {
    return this.toString();
  }

  // ---- internals ----

  #checkTokens(tokens) {
    if (!(tokens instanceof TokenSet)) throw invalidConfig("expected a TokenSet");
    if (tokens.provider !== this.#provider.id) throw invalidConfig(`the token set is for provider ${tokens.provider}, the client for ${this.#provider.id}`);
    if (this.#account !== undefined && tokens.account !== undefined && tokens.account !== this.#account) {
      throw invalidConfig("the token set is for another account than this session");
    }
  }

  #expired(tokens) {
    return tokens.isExpired(this.#skew, this.#now());
  }

  async #read() {
    let entry;
    try {
      entry = await this.#store.get(this.#key);
    } catch (err) {
      throw storeError(err, "read the token set");
    }
    if (entry === undefined || entry === null) {
      this.#cache = undefined;
      return undefined;
    }
    if (typeof entry.value !== "string" || entry.version === undefined || entry.version === null) {
      throw new HelpdeskOAuthError("token_store_error", "the token store returned something other than { value: string, version }", { retryable: false });
    }
    const c = this.#cache;
    if (c && c.version === entry.version && c.value === entry.value) return c;
    const tokens = TokenSet.fromJSON(entry.value);
    this.#checkTokens(tokens);
    this.#cache = { version: entry.version, value: entry.value, tokens };
    return this.#cache;
  }

  /** Fresh tokens: the stored ones if still valid (and not `stale`), else the result of the shared refresh. */
  async #fresh(signal, stale) {
    throwIfAborted(signal);
    const slot = slotFor(this.#store, this.#key);
    if (!slot.flight) {
      const entry = await abortable(this.#read(), signal);
      if (!entry) throw reauthorizationRequired("no token set is stored for this session");
      if (!this.#expired(entry.tokens) && entry.tokens.accessToken !== stale) return entry.tokens;
    }
    if (!slot.flight) {
      const flight = this.#refreshFlow(slot, stale).finally(() => {
        if (slot.flight === flight) slot.flight = undefined;
      });
      flight.catch(() => {}); // every caller may have walked away; the outcome is in the store
      slot.flight = flight;
    }
    return abortable(slot.flight, signal);
  }

  /** The store's refresh lease for this key, when the store has one (shared by processes). */
  async #lease() {
    if (typeof this.#store.acquireLease !== "function") return undefined;
    let lease;
    try {
      lease = await this.#store.acquireLease(this.#key);
    } catch (err) {
      throw storeError(err, "take the refresh lease");
    }
    if (!lease || typeof lease.release !== "function") {
      throw new HelpdeskOAuthError("token_store_error", "the token store's acquireLease() did not return { release() }", { retryable: false });
    }
    return lease;
  }

  async #refreshFlow(slot, stale) {
    // Taken before the flight's first read (unless a refreshed set waits to be written): under the
    // lease, what we read is either another process's finished refresh or ours to do.
    const leasing = typeof this.#store.acquireLease === "function" && !slot.unsaved;
    const held = { lease: leasing ? await this.#lease() : undefined, keep: false };
    try {
      return await this.#refreshRounds(slot, stale, held);
    } finally {
      // Awaited, so that waiting processes find it free as soon as this flight's callers resume.
      if (held.lease && !held.keep) await held.lease.release().catch(() => {}); // else it lapses by itself
    }
  }

  async #refreshRounds(slot, stale, held) {
    const generation = slot.generation;
    for (let round = 0; round < MAX_STORE_ROUNDS; round += 1) {
      // Read inside the flight: another flight may have finished since the caller looked.
      const entry = await this.#read();
      if (!entry) throw reauthorizationRequired("no token set is stored for this session");
      const { tokens, version } = entry;
      if (!this.#expired(tokens) && tokens.accessToken !== stale) return tokens;

      let next;
      if (slot.unsaved && slot.unsaved.basedOn === version) {
        next = slot.unsaved.tokens; // refreshed earlier, but the store write failed: write it now
      } else {
        this.#dropUnsaved(slot, held);
        if (!held.lease && typeof this.#store.acquireLease === "function") {
          held.lease = await this.#lease();
          continue; // read again under the lease
        }
        if (tokens.refreshToken === undefined) {
          if (this.#expired(tokens)) await this.#forget(version);
          throw reauthorizationRequired("the access token is no longer valid and there is no refresh token");
        }
        try {
          next = await this.#client.refresh(tokens);
        } catch (err) {
          if (!grantRevoked(err, this.#provider)) throw refreshFault(err, this.#provider); // faults (and a 5xx invalid_grant): the stored tokens are untouched
          const after = await this.#read();
          if (after && after.version !== version) continue; // another writer rotated or reinstalled
          if (after && !(await this.#forget(version))) continue;
          throw reauthorizationRequired("the provider refused the refresh token (revoked or uninstalled)");
        }
      }

      const value = next.serialize();
      try {
        const written = await this.#store.set(this.#key, value, { expectedVersion: version });
        this.#dropUnsaved(slot, held);
        this.#cache = { version: written.version, value, tokens: next };
        return next;
      } catch (err) {
        if (!isCode(err, "token_store_conflict")) {
          // The new tokens exist only here now; the next refresh of this key writes them instead.
          // Its lease stays taken until it lapses: nobody else may spend the old refresh token.
          const lease = slot.unsaved?.lease ?? held.lease;
          if (lease === held.lease) held.keep = true;
          slot.unsaved = { tokens: next, basedOn: version, lease };
          throw storeError(err, "save the refreshed token set");
        }
      }
      // Conflict: someone wrote or deleted since we read. A stored token set is newer than ours: use it.
      const current = await this.#read();
      if (current) continue;
      if (slot.generation !== generation) throw reauthorizationRequired("the session was revoked");
      // Deleted, e.g. by another process whose refresh with the same old token failed: ours is the
      // one live grant, so put it back (only if the key is still absent).
      try {
        const written = await this.#store.set(this.#key, value, { expectedVersion: null });
        this.#cache = { version: written.version, value, tokens: next };
        return next;
      } catch (err) {
        if (!isCode(err, "token_store_conflict")) {
          slot.unsaved = undefined;
          throw storeError(err, "save the refreshed token set");
        }
      }
    }
    throw new HelpdeskOAuthError("token_store_conflict", "the stored token set kept changing during the refresh; try again", { retryable: true });
  }

  /** Forgets a refreshed-but-unwritten token set (written now, or overtaken), releasing its lease. */
  #dropUnsaved(slot, held) {
    const unsaved = slot.unsaved;
    if (!unsaved) return;
    slot.unsaved = undefined;
    if (unsaved.lease && unsaved.lease !== held.lease) releaseQuietly(unsaved.lease);
  }

  /** Deletes the entry if it is still `version`; false when someone changed it first. */
  async #forget(version) {
    try {
      await this.#store.delete(this.#key, { expectedVersion: version });
      this.#cache = undefined;
      return true;
    } catch (err) {
      if (isCode(err, "token_store_conflict")) return false;
      throw storeError(err, "delete the dead token set");
    }
  }

  async #send(url, init, accessToken, signal) {
    const authorization = bearerAuthorization(accessToken, this.#provider.apiAuthScheme);
    const headers = new Headers(init.headers ?? undefined);
    headers.set("authorization", authorization);
    throwIfAborted(signal);
    try {
      return await this.#fetch(url, { ...init, headers });
    } catch (err) {
      if (signal?.aborted) throw signalError(signal);
      const e = new HelpdeskOAuthError("network_error", `could not reach the API: ${describeFetchFailure(err)}`, { retryable: true });
      e.cause = err;
      throw e;
    }
  }
}
