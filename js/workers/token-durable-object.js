// One account's tokens, owned by one Durable Object, so that a refresh happens once for the whole
// world: every isolate that needs the account's access token asks the same object (its id is
// derived from "{provider}:{account}"), which keeps the token set in its transactional storage,
// runs at most one refresh at a time, and writes a rotated refresh token (Kustomer) to storage
// before any caller receives the new access token. The refresh token never leaves the object.
//
// The Worker side is `durableObjectSession()`: `accessToken()` and `fetch()` for the account's
// API, with one refresh-and-retry on 401 (the object refreshes only if the failed token is still
// the stored one, so 20 requests that all got 401 cause one refresh), and a 429's Retry-After
// waited out in the Worker as a Session does it (../retry-after.mjs): bounded, counted, abortable.
// The wait happens in the caller's isolate, never in the object, which serves every isolate.
//
// The same objects also record used callback states (durableObjectStateStore: the callback
// handler's single-use check, per account, strongly consistent, which KV cannot be), and, when
// `accountIndex(env)` names the namespace, keep an index of installed accounts in one more object
// of the namespace: provider, account, expiry, no token (listInstalledAccounts).
//
// Protocol between the two (internal; both halves ship together): POST with a JSON body
// { op: "save" | "token" | "delete" | "revoke" | "info" | "consume-state", key?, value?, stale?,
// id?, expiresAt? } (and "index-put" | "index-delete" | "index-list" to the index object);
// answers JSON, errors as { error: { code, message, retryable, status? } } with a non-2xx status.
import { HelpdeskOAuthError, TokenSet } from "../api.mjs";
import { abortable, rateLimitHeaders, replayable, retryAfterPolicy, signalError, throwIfAborted } from "../retry-after.mjs";
import { readBodyJson } from "../read-body.mjs";
import { grantRevoked, refreshFault } from "../refresh-outcome.mjs";
import { bearerAuthorization } from "../bearer.mjs";

const STORAGE_KEY = "tokens";
const KEY_KEY = "key"; // the session key ("{provider}:{account}") the object was saved under
const STATE_PREFIX = "state:";
const INDEX_PREFIX = "account:";
// The index object's name: not a session key, which is "{provider}:{account}" with a DNS label.
const INDEX_NAME = "helpdesk-oauth:index/accounts";
// Bound to this context when sealed (helpdesk-oauth/sealed): storage values of token objects.
const SEAL_CONTEXT = "durable-object:tokens";
const DEFAULT_SKEW_SECONDS = 60;
// The host part is never resolved: a stub's fetch goes to the object, whatever the URL.
const OBJECT_URL = "https://token-durable-object.helpdesk-oauth.invalid/";

const isCode = (err, code) => err instanceof HelpdeskOAuthError && err.code === code;

function reauthorizationRequired(message) {
  return new HelpdeskOAuthError("reauthorization_required", `${message}: send the user through the install flow again`);
}

function malformedStorage(detail) {
  return new HelpdeskOAuthError("token_store_error", `the token Durable Object's storage holds ${detail}; it was left as it is`, { retryable: false });
}

function checkStateArgs(id, expiresAt) {
  if (typeof id !== "string" || !/^[0-9a-f]{64}$/.test(id) || !Number.isFinite(expiresAt)) {
    throw new HelpdeskOAuthError("invalid_request", "consume-state needs a state id (SHA-256 hex) and expiresAt");
  }
}

/** POSTs one operation to a Durable Object stub and returns its JSON answer (or throws our error). */
async function callObject(stub, op, fields = {}) {
  let response;
  try {
    response = await stub.fetch(OBJECT_URL + op, { method: "POST", body: JSON.stringify({ op, ...fields }), headers: { "content-type": "application/json" } });
  } catch (err) {
    const e = new HelpdeskOAuthError("token_store_error", "could not reach the token Durable Object", { retryable: true });
    e.cause = err;
    throw e;
  }
  let body;
  try {
    body = await readBodyJson(response, { what: "the token Durable Object" });
  } catch (err) {
    if (isCode(err, "response_too_large")) throw err;
    body = undefined;
  }
  if (response.ok && body && typeof body === "object") return body;
  const error = body?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    throw new HelpdeskOAuthError(error.code, error.message, { retryable: error.retryable === true, status: error.status });
  }
  throw new HelpdeskOAuthError("token_store_error", `the token Durable Object answered ${response.status}`, { retryable: true });
}

function json(body, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

function errorJson(err) {
  if (err instanceof HelpdeskOAuthError) {
    const error = { code: err.code, message: err.message, retryable: err.retryable };
    if (err.status !== undefined) error.status = err.status;
    return json({ error }, err.code === "reauthorization_required" ? 410 : err.retryable ? 503 : 400);
  }
  // Not ours: say nothing about it to the caller (it may quote a token); the object's logs have it.
  console.error("TokenDurableObject: unexpected error", err?.name);
  return json({ error: { code: "token_store_error", message: "the token Durable Object failed", retryable: true } }, 500);
}

/**
 * Extend this class in your Worker and export it under the name bound in wrangler.toml:
 *
 *   export class HelpdeskTokens extends TokenDurableObject {
 *     createClient(env) { return new OAuthClient({ ... }); }
 *   }
 */
export class TokenDurableObject {
  #client;
  #sealer;
  #flight; // the refresh in progress: every caller that needs it waits on this one
  #generation = 0; // bumped by save/delete/revoke: a refresh that started before must not write
  #key; // the session key, once a caller told us (kept in storage from the first save)

  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }

  /** Override: the OAuthClient used for refreshes and revocation. */
  createClient(_env) {
    throw new HelpdeskOAuthError("invalid_config", "extend TokenDurableObject and override createClient(env) to return your OAuthClient");
  }

  /**
   * Override to seal the token set in storage: return `createTokenSealer({ keys, currentKeyId })`
   * from helpdesk-oauth/sealed. Default: stored as `TokenSet.serialize()` gives it.
   */
  createSealer(_env) {
    return undefined;
  }

  /**
   * Override to keep an index of installed accounts (listInstalledAccounts): return the namespace
   * binding this class is bound to (e.g. `env.TOKENS`). Default: no index.
   */
  accountIndex(_env) {
    return undefined;
  }

  /** Refresh when the access token expires within this many seconds. Override to change. */
  get skewSeconds() {
    return DEFAULT_SKEW_SECONDS;
  }

  /** The clock, in ms since the epoch: expiry checks and used-state records. Override in tests. */
  now() {
    return Date.now();
  }

  get #oauth() {
    this.#client ??= this.createClient(this.env);
    return this.#client;
  }

  get #seal() {
    if (this.#sealer === undefined) this.#sealer = this.createSealer(this.env) ?? null;
    return this.#sealer;
  }

  #expired(tokens, skewSeconds = this.skewSeconds) {
    return tokens.isExpired(skewSeconds, this.now());
  }

  async fetch(request) {
    let body;
    try {
      body = await readBodyJson(request, { what: "the request to the token Durable Object" });
    } catch (err) {
      return errorJson(err);
    }
    try {
      if (typeof body?.key === "string" && body.key.length > 0 && body.key.length <= 400) this.#key ??= body.key;
      switch (body?.op) {
        case "save":
          return json(await this.#save(body.value));
        case "token": {
          const tokens = await this.#token(typeof body.stale === "string" ? body.stale : undefined);
          return json({ accessToken: tokens.accessToken, expiresAt: tokens.expiresAt ?? null, account: tokens.account ?? null, tenant: tokens.tenant ?? null });
        }
        case "delete":
          return json({ deleted: await this.#delete() });
        case "revoke":
          return json(await this.#revoke());
        case "info":
          return json(await this.#info());
        case "consume-state":
          return json({ first: await this.#consumeState(body.id, body.expiresAt) });
        case "index-put":
          return json(await this.#indexStore(body.entry));
        case "index-delete":
          await this.ctx.storage.delete(INDEX_PREFIX + String(body.entryKey));
          return json({ deleted: true });
        case "index-list":
          return json(await this.#indexList(body.after, body.limit));
        default:
          throw new HelpdeskOAuthError("invalid_request", "unknown token Durable Object operation");
      }
    } catch (err) {
      return errorJson(err);
    }
  }

  /** The stored token set; a value that is not one (garbage, sealed under an unknown key) is an error and stays. */
  async #read() {
    const value = await this.ctx.storage.get(STORAGE_KEY);
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw malformedStorage("a value that is not a string");
    return TokenSet.fromJSON(this.#seal ? await this.#seal.open(value, SEAL_CONTEXT) : value);
  }

  async #write(tokens) {
    const value = tokens.serialize();
    await this.ctx.storage.put(STORAGE_KEY, this.#seal ? await this.#seal.seal(value, SEAL_CONTEXT) : value);
    await this.#indexPut(tokens);
  }

  async #save(value) {
    if (typeof value !== "string") throw new HelpdeskOAuthError("invalid_config", "save needs the string from TokenSet.serialize()");
    const tokens = TokenSet.fromJSON(value); // token_set_invalid for anything else
    if (tokens.provider !== this.#oauth.provider.id) throw new HelpdeskOAuthError("invalid_config", "the token set is for another provider than this object's client");
    this.#generation += 1; // a new grant wins over a refresh of the old one still in flight
    // Only the index needs to know which account this object is, across restarts.
    if (this.#key !== undefined && this.#indexStub()) await this.ctx.storage.put(KEY_KEY, this.#key);
    await this.#write(tokens);
    return { saved: true };
  }

  /** Fresh tokens: the stored ones if still valid (and not `stale`), else the shared refresh. */
  async #token(stale) {
    if (this.#flight) return this.#flight;
    const tokens = await this.#read();
    if (!tokens) throw reauthorizationRequired("no token set is stored for this account");
    if (!this.#expired(tokens) && tokens.accessToken !== stale) return tokens;
    // Storage reads close the input gate, but check again: the flight is the one thing to share.
    if (this.#flight) return this.#flight;
    const flight = this.#refresh(tokens).finally(() => {
      if (this.#flight === flight) this.#flight = undefined;
    });
    this.#flight = flight;
    return flight;
  }

  async #refresh(tokens) {
    const generation = this.#generation;
    if (tokens.refreshToken === undefined) {
      if (this.#expired(tokens, 0)) await this.#forget();
      throw reauthorizationRequired("the access token is no longer valid and there is no refresh token");
    }
    let next;
    try {
      next = await this.#oauth.refresh(tokens);
    } catch (err) {
      // Faults (network, 5xx, garbage, a 5xx saying invalid_grant) leave the stored tokens as
      // they are; only a grant refused with 400 is forgotten, and only if nobody stored a new one
      // meanwhile.
      if (grantRevoked(err, this.#oauth.provider) && generation === this.#generation) {
        await this.#forget();
        throw reauthorizationRequired("the provider refused the refresh token (revoked or uninstalled)");
      }
      throw refreshFault(err, this.#oauth.provider);
    }
    if (generation !== this.#generation) {
      // A new grant was saved (or the old one revoked) while we refreshed the old one: that wins.
      const current = await this.#read();
      if (current && !this.#expired(current)) return current;
      throw new HelpdeskOAuthError("token_store_conflict", "the stored token set changed during the refresh; try again", { retryable: true });
    }
    // Written before anyone gets the new access token; the output gate holds our answer until
    // the write is durable.
    await this.#write(next);
    return next;
  }

  async #forget() {
    this.#key ??= await this.ctx.storage.get(KEY_KEY);
    const deleted = await this.ctx.storage.delete(STORAGE_KEY);
    await this.ctx.storage.delete(KEY_KEY);
    await this.#indexDelete();
    return deleted;
  }

  async #delete() {
    this.#generation += 1;
    return this.#forget();
  }

  /** What is installed here, without any token. */
  async #info() {
    const tokens = await this.#read();
    if (!tokens) return { installed: false };
    return {
      installed: true,
      provider: tokens.provider,
      account: tokens.account ?? null,
      expiresAt: tokens.expiresAt ?? null,
      expired: this.#expired(tokens, 0),
      hasRefreshToken: tokens.refreshToken !== undefined,
      scopes: tokens.scopes,
    };
  }

  /** Records a callback state as used; false when it was used before. Expired records go first. */
  async #consumeState(id, expiresAt) {
    checkStateArgs(id, expiresAt);
    const now = this.now();
    const records = await this.ctx.storage.list({ prefix: STATE_PREFIX });
    const expired = [...records].filter(([, until]) => !(until > now)).map(([k]) => k);
    if (expired.length > 0) await this.ctx.storage.delete(expired);
    const key = STATE_PREFIX + id;
    if (records.has(key) && records.get(key) > now) return false;
    await this.ctx.storage.put(key, expiresAt);
    return true;
  }

  // ---- the index of installed accounts (in the object named INDEX_NAME) ----

  #indexStub() {
    const ns = this.accountIndex(this.env);
    if (!ns) return undefined;
    return ns.get(ns.idFromName(INDEX_NAME));
  }

  /** The index object: stores one account's entry. */
  async #indexStore(entry) {
    if (!entry || typeof entry.key !== "string" || entry.key.length === 0 || entry.key.length > 400) throw new HelpdeskOAuthError("invalid_request", "index-put needs an entry with a key");
    await this.ctx.storage.put(INDEX_PREFIX + entry.key, entry);
    return { saved: true };
  }

  /** Token objects: tell the index (best effort: the tokens are the truth, the index a listing). */
  async #indexPut(tokens) {
    const stub = this.#indexStub();
    if (!stub) return undefined;
    this.#key ??= await this.ctx.storage.get(KEY_KEY);
    if (typeof this.#key !== "string") return undefined;
    const record = {
      key: this.#key,
      provider: tokens.provider,
      account: tokens.account ?? null,
      expiresAt: tokens.expiresAt ?? null,
      hasRefreshToken: tokens.refreshToken !== undefined,
      scopes: tokens.scopes,
      updatedAt: this.now(),
    };
    await callObject(stub, "index-put", { entry: record }).catch((err) => console.error("TokenDurableObject: the account index was not updated", err?.code ?? err?.name));
    return undefined;
  }

  async #indexDelete() {
    const stub = this.#indexStub();
    if (!stub) return;
    this.#key ??= await this.ctx.storage.get(KEY_KEY);
    if (typeof this.#key !== "string") return;
    await callObject(stub, "index-delete", { entryKey: this.#key }).catch((err) => console.error("TokenDurableObject: the account index was not updated", err?.code ?? err?.name));
  }

  async #indexList(after, limit) {
    const n = Number.isInteger(limit) && limit > 0 && limit <= 1000 ? limit : 1000;
    const options = { prefix: INDEX_PREFIX, limit: n + 1 };
    if (typeof after === "string") options.startAfter = INDEX_PREFIX + after;
    const entries = [...(await this.ctx.storage.list(options)).values()];
    const accounts = entries.slice(0, n);
    return { accounts, next: entries.length > n ? accounts.at(-1).key : null };
  }

  async #revoke() {
    if (this.#flight) await this.#flight.catch(() => {});
    const tokens = await this.#read();
    if (!tokens) return { revokedAtProvider: false };
    let revokedAtProvider = false;
    if (this.#oauth.provider.revokeUrl !== undefined) {
      // Revoking with the access token as the bearer (Zendesk, Intercom) needs a live one.
      const bearer = this.#oauth.provider.revocation?.token === "bearer";
      await this.#oauth.revoke(bearer ? await this.#token() : tokens); // on failure the tokens stay stored
      revokedAtProvider = true;
    }
    await this.#delete();
    return { revokedAtProvider };
  }
}

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

/** Whether `body` can be sent a second time (a stream is consumed by the first attempt). */


/** The Worker side of a TokenDurableObject: one account's API, with tokens the object keeps fresh. */
export class DurableObjectSession {
  #client;
  #account;
  #stub;
  #fetch;
  #key;
  #rateLimit; // the 429 policy, as in Session

  constructor(options) {
    if (options === null || typeof options !== "object") throw invalidConfig("durableObjectSession needs an options object");
    const { namespace, client, account, key, fetch, maxRetryAfterSeconds, retries, now, sleep } = options;
    if (!namespace || typeof namespace.idFromName !== "function" || typeof namespace.get !== "function") {
      throw invalidConfig("`namespace` must be a Durable Object namespace binding");
    }
    if (!client || typeof client.apiUrl !== "function") throw invalidConfig("`client` must be an OAuthClient");
    if (account !== undefined && (typeof account !== "string" || account.length === 0)) throw invalidConfig("`account` must be a non-empty string");
    if (fetch !== undefined && typeof fetch !== "function") throw invalidConfig("`fetch` must be a function");
    this.#rateLimit = retryAfterPolicy({ maxRetryAfterSeconds, retries, now, sleep, headers: rateLimitHeaders(client.provider) });
    this.#client = client;
    this.#account = account;
    this.#key = key ?? (account !== undefined ? `${client.provider.id}:${account}` : undefined);
    if (typeof this.#key !== "string" || this.#key.length === 0) throw invalidConfig("a session needs `account` or `key`");
    this.#stub = namespace.get(namespace.idFromName(this.#key));
    this.#fetch = fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  get key() {
    return this.#key;
  }

  get account() {
    return this.#account;
  }

  #call(op, fields = {}) {
    return callObject(this.#stub, op, { ...fields, key: this.#key });
  }

  /** Stores a token set from the install flow, replacing the account's grant. */
  async save(tokens) {
    if (!(tokens instanceof TokenSet)) throw invalidConfig("expected a TokenSet");
    if (this.#account !== undefined && tokens.account !== undefined && tokens.account !== this.#account) {
      throw invalidConfig("the token set is for another account than this session");
    }
    await this.#call("save", { value: tokens.serialize() });
  }

  /**
   * A valid access token (refreshed by the object when it expires within its skew). An abort
   * stops the wait, not the object's refresh, whose result other callers are waiting for.
   */
  async accessToken(options = {}) {
    const signal = options?.signal ?? undefined;
    throwIfAborted(signal);
    return (await abortable(this.#call("token"), signal)).accessToken;
  }

  /**
   * `fetch` for the account's API: the path (or an absolute URL under the API base) is resolved
   * with `client.apiUrl`, `Authorization: Bearer` is set; on 401 the object refreshes (once for
   * all callers holding the same token) and the request is tried once more; a 429 with a usable
   * `Retry-After` of at most `maxRetryAfterSeconds` is waited out and tried again, at most
   * `retries` times. `init.signal` also cancels those waits. The last response is returned.
   */
  async fetch(pathOrUrl, init = {}) {
    init = init ?? {};
    const signal = init.signal ?? undefined;
    if (typeof pathOrUrl !== "string" && !(pathOrUrl instanceof URL)) throw invalidConfig("fetch() takes a path or URL string");
    const provider = this.#client.provider;
    // The path is checked before anything else happens; where the API host depends on the
    // tenant (Zoho's data centre), it is resolved again with the stored one.
    const byTenant = provider.apiBaseUrl?.includes("{tenant}");
    let url = byTenant ? undefined : this.#client.apiUrl(String(pathOrUrl), this.#account);
    const canRetry = replayable(init.body);
    throwIfAborted(signal);
    const first = await abortable(this.#call("token"), signal);
    url ??= this.#client.apiUrl(String(pathOrUrl), { account: first.account ?? this.#account, tenant: first.tenant });
    const send = async (accessToken) => {
      const authorization = bearerAuthorization(accessToken, provider.apiAuthScheme);
      const headers = new Headers(init.headers ?? undefined);
      headers.set("authorization", authorization);
      throwIfAborted(signal);
      try {
        return await this.#fetch(url, { ...init, headers });
      } catch (err) {
        if (signal?.aborted) throw signalError(signal);
        const e = new HelpdeskOAuthError("network_error", "could not reach the API", { retryable: true });
        e.cause = err;
        throw e;
      }
    };
    return this.#rateLimit.run({
      credential: first.accessToken,
      send,
      // HubSpot says an API 401 is not the sign to refresh; the expiry is.
      canRefresh: () => provider.refreshOn401 !== false,
      refresh: async (token) => (await abortable(this.#call("token", { stale: token }), signal)).accessToken,
      fresh: () => this.accessToken({ signal }),
      canRetry,
      signal,
    });
  }

  /** Revokes at the provider (when it has an endpoint) and deletes the stored tokens. */
  async revoke() {
    return this.#call("revoke");
  }

  /** Deletes the stored tokens without telling the provider. */
  async delete() {
    return (await this.#call("delete")).deleted;
  }

  /** What the object holds, without any token: { installed, provider, account, expiresAt, expired, hasRefreshToken, scopes }. */
  info() {
    return this.#call("info");
  }

  toString() {
    return `DurableObjectSession { key: ${this.#key} }`;
  }
}

export function durableObjectSession(options) {
  return new DurableObjectSession(options);
}

function checkNamespace(namespace, what) {
  if (!namespace || typeof namespace.idFromName !== "function" || typeof namespace.get !== "function") {
    throw invalidConfig(`${what} needs a Durable Object namespace binding (the TokenDurableObject class)`);
  }
}

/**
 * The callback handler's `stateStore` for Workers: each used state is recorded in the account's
 * token Durable Object (the one `durableObjectSession` uses), which is strongly consistent, so a
 * callback sent twice to two isolates or locations is exchanged once. Nothing to set up beyond the
 * token objects. (KV cannot do this: two locations can both read "unused" before either write is
 * seen.)
 */
export function durableObjectStateStore(namespace) {
  checkNamespace(namespace, "durableObjectStateStore");
  return {
    async consumeState(stateId, { expiresAt, provider, account } = {}) {
      const name = account ? `${provider}:${account}` : String(provider);
      const { first } = await callObject(namespace.get(namespace.idFromName(name)), "consume-state", { id: stateId, expiresAt });
      return first === true;
    },
  };
}

/**
 * The installed accounts, from the index the token objects keep when their class overrides
 * `accountIndex(env)`: { accounts: [{ key, provider, account, expiresAt, hasRefreshToken, scopes,
 * updatedAt }], next } in key order, `next` (pass it as `after`) when there are more. No tokens.
 */
export function listInstalledAccounts(namespace, options = {}) {
  checkNamespace(namespace, "listInstalledAccounts");
  const { after, limit } = options ?? {};
  if (after !== undefined && typeof after !== "string") throw invalidConfig("`after` must be the `next` of a previous page");
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) throw invalidConfig("`limit` must be an integer from 1 to 1000");
  return callObject(namespace.get(namespace.idFromName(INDEX_NAME)), "index-list", { after, limit });
}
