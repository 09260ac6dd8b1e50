// helpdesk-oauth/postgres: a TokenStore in PostgreSQL through node-postgres (`pg`). The app passes
// its own Pool (anything with `query({ text, values })` resolving to `{ rows, rowCount }`); this
// module never imports `pg`.
//
// - Compare-and-set: every write names the version it replaces (`UPDATE ... WHERE version = $n`);
//   versions come from one sequence, so none is reused for a key.
// - Refresh lease: one row per key with an owner and an expiry on the database's clock. A process
//   takes it with one INSERT ... ON CONFLICT ... WHERE expires_at <= now(), so exactly one process
//   refreshes an account at a time; a crashed holder blocks the others until the lease lapses, not
//   longer. A lease row (rather than pg_advisory_lock) because it needs no connection held for the
//   refresh and works through PgBouncer in transaction mode.
// - Single-use callback states for the callback handler (`stateStore`).
// - Every call is bounded (`timeoutMs`): a database that is down, restarting or stuck fails with a
//   retryable `token_store_error` and the stored tokens are left as they were.
import { storeConflict } from "../token-store.mjs";
import { checkKey, checkValue, invalidConfig, malformed, pollForLease, randomToken, timingOptions, unavailable, withDeadline } from "./bounded.mjs";
import { HelpdeskOAuthError } from "{{errors_module}}";
import { postgresSchema, tableNames } from "./postgres-schema.mjs";

export { postgresSchema };

// SQLSTATE classes that another try will not fix: syntax or a missing table (42), bad data (22),
// a feature the server lacks (0A).
const PERMANENT_CLASSES = new Set(["42", "22", "0A"]);

function describe(err) {
  const code = typeof err?.code === "string" ? err.code : undefined;
  return code ? ` (${code.slice(0, 12)})` : "";
}

/** A pg failure as ours; the driver's error stays as `cause` (its message is not repeated). */
function pgError(err, what) {
  if (err instanceof HelpdeskOAuthError) return err;
  const sqlstate = typeof err?.code === "string" && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : undefined;
  if (sqlstate === "42P01") {
    const e = new HelpdeskOAuthError("token_store_error", `PostgreSQL failed to ${what}: a table is missing (run store.migrate(), or the SQL from postgresSchema())`, { retryable: false });
    e.cause = err;
    return e;
  }
  if (sqlstate && PERMANENT_CLASSES.has(sqlstate.slice(0, 2))) {
    const e = new HelpdeskOAuthError("token_store_error", `PostgreSQL failed to ${what}${describe(err)}: the tables are not as migrate() creates them`, { retryable: false });
    e.cause = err;
    return e;
  }
  return unavailable(`PostgreSQL failed to ${what}${describe(err)}; the stored tokens are unchanged, try again`, err);
}

export class PostgresTokenStore {
  #pool;
  #t;
  #prefix;
  #timing;

  /**
   * @param pool a pg Pool (or Client) the app owns and ends
   * @param options.prefix table name prefix (default "helpdesk_oauth")
   * @param options.timeoutMs bound on each database call (default 5000)
   * @param options.leaseMs how long a refresh lease lasts (default 60000; keep it above the client's timeoutMs)
   * @param options.leaseWaitMs how long to wait for another process's lease (default leaseMs + 1000)
   */
  constructor(pool, options = {}) {
    if (!pool || typeof pool.query !== "function") throw invalidConfig("PostgresTokenStore needs a pg Pool (an object with query())");
    if (options !== undefined && (options === null || typeof options !== "object")) throw invalidConfig("PostgresTokenStore options must be an object");
    this.#pool = pool;
    this.#prefix = options?.prefix ?? "helpdesk_oauth";
    this.#t = tableNames(this.#prefix);
    this.#timing = timingOptions(options);
  }

  async #query(text, values, what) {
    const ms = this.#timing.timeoutMs;
    try {
      const run = Promise.resolve(this.#pool.query({ text, values, query_timeout: ms }));
      return await withDeadline(run, ms, `PostgreSQL did not answer within ${ms} ms (${what}); the stored tokens are unchanged, try again`);
    } catch (err) {
      throw pgError(err, what);
    }
  }

  /**
   * Creates the tables if they are missing (idempotent; concurrent calls wait for each other).
   * The statements are those of `postgresSchema()`.
   */
  async migrate() {
    // One simple-protocol query is one transaction: the advisory lock serialises concurrent
    // migrations (CREATE ... IF NOT EXISTS races otherwise fail on the catalog's unique index).
    const lock = `SELECT pg_advisory_xact_lock(hashtext('helpdesk-oauth:migrate:${this.#prefix}'));\n`;
    try {
      await withDeadline(Promise.resolve(this.#pool.query(lock + postgresSchema({ prefix: this.#prefix }))), Math.max(this.#timing.timeoutMs, 30_000), "PostgreSQL did not finish the migration in time");
    } catch (err) {
      throw pgError(err, "create the tables");
    }
  }

  async get(key) {
    checkKey(key);
    const r = await this.#query(`SELECT value, version::text AS version FROM ${this.#t.tokens} WHERE key = $1`, [key], "read the token set");
    const row = r.rows?.[0];
    if (!row) return undefined;
    if (typeof row.value !== "string" || typeof row.version !== "string") throw malformed("PostgreSQL", key, "value or version of the wrong type");
    return { value: row.value, version: row.version };
  }

  async set(key, value, options = {}) {
    checkKey(key);
    checkValue(value);
    const expected = options?.expectedVersion;
    const t = this.#t;
    let r;
    if (expected === undefined) {
      r = await this.#query(
        `INSERT INTO ${t.tokens} (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, version = nextval('${t.versions}'), updated_at = now()
         RETURNING version::text AS version`,
        [key, value],
        "save the token set",
      );
    } else if (expected === null) {
      r = await this.#query(`INSERT INTO ${t.tokens} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING version::text AS version`, [key, value], "save the token set");
    } else {
      r = await this.#query(
        `UPDATE ${t.tokens} SET value = $2, version = nextval('${t.versions}'), updated_at = now()
         WHERE key = $1 AND version::text = $3 RETURNING version::text AS version`,
        [key, value, String(expected)],
        "save the token set",
      );
    }
    const row = r.rows?.[0];
    if (!row) throw storeConflict(key);
    return { version: row.version };
  }

  async delete(key, options = {}) {
    checkKey(key);
    const expected = options?.expectedVersion;
    if (expected === undefined) {
      const r = await this.#query(`DELETE FROM ${this.#t.tokens} WHERE key = $1`, [key], "delete the token set");
      return r.rowCount > 0;
    }
    if (expected === null) {
      // Matches only an absent key, and then there is nothing to delete.
      if ((await this.get(key)) !== undefined) throw storeConflict(key);
      return false;
    }
    const r = await this.#query(`DELETE FROM ${this.#t.tokens} WHERE key = $1 AND version::text = $2`, [key, String(expected)], "delete the token set");
    if (r.rowCount === 0) throw storeConflict(key);
    return true;
  }

  /**
   * Waits until this caller holds the key's refresh lease (at most `leaseWaitMs`) and resolves to
   * `{ release() }`. The lease lapses by itself after `leaseMs`, on the database's clock.
   */
  async acquireLease(key) {
    checkKey(key);
    const owner = randomToken();
    const t = this.#t;
    await pollForLease(async () => {
      const r = await this.#query(
        `INSERT INTO ${t.leases} (key, owner, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
         WHERE ${t.leases}.expires_at <= clock_timestamp()
         RETURNING owner`,
        [key, owner, this.#timing.leaseMs],
        "take the refresh lease",
      );
      return r.rowCount === 1;
    }, key, this.#timing.leaseWaitMs);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        // Only our own lease: after it lapsed someone else may hold the key.
        await this.#query(`DELETE FROM ${t.leases} WHERE key = $1 AND owner = $2`, [key, owner], "release the refresh lease");
      },
    };
  }

  /**
   * Records a callback's state as used until `expiresAt` (ms since the epoch); true the first
   * time, false when it was used before. Expired records are removed on the way.
   */
  async consumeState(stateId, options) {
    if (typeof stateId !== "string" || stateId.length === 0 || stateId.length > 200) throw invalidConfig("a state id must be a string of 1 to 200 characters");
    const expiresAt = options?.expiresAt;
    if (!Number.isFinite(expiresAt)) throw invalidConfig("consumeState needs `expiresAt` in ms since the epoch");
    const t = this.#t;
    const r = await this.#query(
      `WITH expired AS (DELETE FROM ${t.states} WHERE expires_at < clock_timestamp() AND state_id <> $1)
       INSERT INTO ${t.states} (state_id, expires_at) VALUES ($1, to_timestamp($2 / 1000.0))
       ON CONFLICT (state_id) DO NOTHING RETURNING state_id`,
      [stateId, expiresAt],
      "record the callback state",
    );
    return r.rowCount === 1;
  }

  toString() {
    return `PostgresTokenStore { tables: ${this.#t.tokens}, ${this.#t.leases}, ${this.#t.states} }`;
  }
}
