// A session: the tokens of one account kept fresh in a TokenStore, and API calls made with them.
//
// What it guarantees, and why it is shaped this way:
// - One refresh at a time per (store object, key) in this process, shared by every Session over
//   that store: rotating providers (Kustomer) kill the old refresh token on first use, so a
//   second concurrent refresh would fail and could make us forget a live grant.
// - The refreshed token set is written to the store (compare-and-set on the version read) before
//   any caller sees it: a crash after the provider rotated but before the write loses the grant.
// - A fault during a refresh (network, timeout, 5xx, garbage) changes nothing in the store; only
//   `invalid_grant` (revoked, uninstalled) removes the stored tokens, and only if nobody replaced
//   them meanwhile.
// - Every wait (refresh, Retry-After, the request) can be abandoned with an AbortSignal; abandoning
//   never cancels a shared refresh, whose result others are waiting to store.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";
import { validateAccount } from "./helpdesk_oauth.js";
import { TokenSet } from "./token-set.mjs";
import { abortable, functionOption, nonNegative, rateLimitHeaders, replayable, retryAfterPolicy, signalError, throwIfAborted } from "./retry-after.mjs";

const DEFAULT_SKEW_SECONDS = 60;
// Bound on re-reading the store when another writer got in between (see #refreshFlow).
const MAX_STORE_ROUNDS = 3;

// Per store object, per key: { flight, unsaved, generation }. A WeakMap so that a store that is
// dropped takes its bookkeeping with it.
const registry = new WeakMap();

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

  async #refreshFlow(slot, stale) {
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
        slot.unsaved = undefined;
        if (tokens.refreshToken === undefined) {
          if (this.#expired(tokens)) await this.#forget(version);
          throw reauthorizationRequired("the access token is no longer valid and there is no refresh token");
        }
        try {
          next = await this.#client.refresh(tokens);
        } catch (err) {
          if (!isCode(err, "invalid_grant")) throw err; // faults: the stored tokens are untouched
          const after = await this.#read();
          if (after && after.version !== version) continue; // another writer rotated or reinstalled
          if (after && !(await this.#forget(version))) continue;
          throw reauthorizationRequired("the provider refused the refresh token (revoked or uninstalled)");
        }
      }

      const value = next.serialize();
      try {
        const written = await this.#store.set(this.#key, value, { expectedVersion: version });
        slot.unsaved = undefined;
        this.#cache = { version: written.version, value, tokens: next };
        return next;
      } catch (err) {
        if (!isCode(err, "token_store_conflict")) {
          // The new tokens exist only here now; the next refresh of this key writes them instead.
          slot.unsaved = { tokens: next, basedOn: version };
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
    const headers = new Headers(init.headers ?? undefined);
    headers.set("authorization", `${this.#provider.apiAuthScheme ?? "Bearer"} ${accessToken}`);
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
