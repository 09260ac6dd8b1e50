// helpdesk-oauth/redis: a TokenStore in Redis through the app's node-redis (v5+) or ioredis
// client; this module imports neither.
//
// Record format (prefix default "helpdesk-oauth:"):
//   {prefix}tokens:{key}  hash { value: TokenSet.serialize(), version: random 32 hex digits }
//   {prefix}lease:{key}   string: the holder's random owner token, with a PX expiry
//   {prefix}state:{id}    string "1" with a PX expiry: a callback state already used
// Each operation touches one key, so it also works on Redis Cluster.
//
// - Compare-and-set: a Lua script compares the stored version and writes only on a match.
//   Versions are random, so none is reused for a key, not even after a delete.
// - Refresh lease: SET NX PX with a random owner token, released by a script that deletes the key
//   only while it still holds our token (after a lapse someone else may hold it).
// - Bounded waits: node-redis and ioredis queue commands while the server is down and send them
//   when it is back, so every call here is raced against `timeoutMs` and fails with a retryable
//   `token_store_error` (see bounded.js for why a late command is harmless).
import { storeConflict } from "../token-store.mjs";
import { checkKey, checkValue, invalidConfig, malformed, pollForLease, randomToken, timingOptions, unavailable, withDeadline } from "./bounded.mjs";
import { HelpdeskOAuthError } from "{{errors_module}}";
import { commandSender, isWrongType, script } from "./redis-commands.mjs";

// KEYS[1] entry; ARGV: mode ("any" | "absent" | "version"), expected version, value, new version.
const SET_IF = script(`
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == 'absent' and current then return 0 end
if ARGV[1] == 'version' and current ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'value', ARGV[3], 'version', ARGV[4])
return 1
`);

// KEYS[1] entry; ARGV: mode, expected version. 1 deleted, 0 nothing there, -1 condition failed.
const DELETE_IF = script(`
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == 'absent' then
  if current then return -1 end
  return 0
end
if ARGV[1] == 'version' and current ~= ARGV[2] then return -1 end
return redis.call('DEL', KEYS[1])
`);

// KEYS[1] lease; ARGV[1] owner token.
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

function redisError(err, what, key) {
  if (err instanceof HelpdeskOAuthError) return err;
  if (isWrongType(err)) return malformed("Redis", key, "the key holds another Redis type");
  return unavailable(`Redis failed to ${what}; the stored tokens are unchanged, try again`, err);
}

const newVersion = () => randomToken();

export class RedisTokenStore {
  #send;
  #prefix;
  #timing;

  /**
   * @param client a connected node-redis or ioredis client the app owns and closes
   * @param options.prefix prepended to every Redis key (default "helpdesk-oauth:")
   * @param options.timeoutMs bound on each Redis call (default 5000)
   * @param options.leaseMs how long a refresh lease lasts (default 60000; keep it above the client's timeoutMs)
   * @param options.leaseWaitMs how long to wait for another process's lease (default leaseMs + 1000)
   */
  constructor(client, options = {}) {
    if (options !== undefined && (options === null || typeof options !== "object")) throw invalidConfig("RedisTokenStore options must be an object");
    this.#send = commandSender(client);
    const prefix = options?.prefix ?? "helpdesk-oauth:";
    if (typeof prefix !== "string" || prefix.length > 200) throw invalidConfig("`prefix` must be a string of at most 200 characters");
    this.#prefix = prefix;
    this.#timing = timingOptions(options);
  }

  async #run(what, key, command) {
    const ms = this.#timing.timeoutMs;
    try {
      return await withDeadline(command(this.#send), ms, `Redis did not answer within ${ms} ms (${what}); the stored tokens are unchanged, try again`);
    } catch (err) {
      throw redisError(err, what, key);
    }
  }

  #entryKey(key) {
    return `${this.#prefix}tokens:${key}`;
  }

  async get(key) {
    checkKey(key);
    const reply = await this.#run("read the token set", key, (send) => send(["HMGET", this.#entryKey(key), "value", "version"]));
    if (!Array.isArray(reply) || reply.length !== 2) throw malformed("Redis", key, "unexpected reply");
    const [value, version] = reply;
    if (value === null && version === null) return undefined;
    if (typeof value !== "string" || typeof version !== "string") throw malformed("Redis", key, "the hash lacks `value` or `version`");
    return { value, version };
  }

  async set(key, value, options = {}) {
    checkKey(key);
    checkValue(value);
    const expected = options?.expectedVersion;
    const mode = expected === undefined ? "any" : expected === null ? "absent" : "version";
    const version = newVersion();
    const written = await this.#run("save the token set", key, (send) =>
      SET_IF(send, [this.#entryKey(key)], [mode, mode === "version" ? String(expected) : "", value, version]),
    );
    if (Number(written) !== 1) throw storeConflict(key);
    return { version };
  }

  async delete(key, options = {}) {
    checkKey(key);
    const expected = options?.expectedVersion;
    const mode = expected === undefined ? "any" : expected === null ? "absent" : "version";
    const r = Number(await this.#run("delete the token set", key, (send) => DELETE_IF(send, [this.#entryKey(key)], [mode, mode === "version" ? String(expected) : ""])));
    if (r === -1) throw storeConflict(key);
    return r > 0;
  }

  /**
   * Waits until this caller holds the key's refresh lease (at most `leaseWaitMs`) and resolves to
   * `{ release() }`. The lease key expires by itself after `leaseMs`.
   */
  async acquireLease(key) {
    checkKey(key);
    const owner = randomToken();
    const leaseKey = `${this.#prefix}lease:${key}`;
    await pollForLease(
      async () => (await this.#run("take the refresh lease", key, (send) => send(["SET", leaseKey, owner, "NX", "PX", String(this.#timing.leaseMs)]))) === "OK",
      key,
      this.#timing.leaseWaitMs,
    );
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.#run("release the refresh lease", key, (send) => RELEASE(send, [leaseKey], [owner]));
      },
    };
  }

  /** Records a callback's state as used until `expiresAt` (ms since the epoch); true the first time. */
  async consumeState(stateId, options) {
    if (typeof stateId !== "string" || stateId.length === 0 || stateId.length > 200) throw invalidConfig("a state id must be a string of 1 to 200 characters");
    const expiresAt = options?.expiresAt;
    if (!Number.isFinite(expiresAt)) throw invalidConfig("consumeState needs `expiresAt` in ms since the epoch");
    const ttl = Math.max(1, Math.ceil(expiresAt - Date.now()));
    const reply = await this.#run("record the callback state", stateId, (send) => send(["SET", `${this.#prefix}state:${stateId}`, "1", "NX", "PX", String(ttl)]));
    return reply === "OK";
  }

  toString() {
    return `RedisTokenStore { prefix: ${this.#prefix} }`;
  }
}
