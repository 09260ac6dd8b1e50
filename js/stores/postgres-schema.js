// The tables of helpdesk-oauth/postgres, as SQL. `postgresSchema()` is what `migrate()` runs and
// what the README prints for apps that run their migrations themselves.
import { invalidConfig } from "./bounded.mjs";

const DEFAULT_PREFIX = "helpdesk_oauth";

/** Table names for a prefix (a lower-case SQL identifier, optionally `schema.prefix`). */
export function tableNames(prefix = DEFAULT_PREFIX) {
  if (typeof prefix !== "string" || !/^(?:[a-z_][a-z0-9_]{0,30}\.)?[a-z_][a-z0-9_]{0,30}$/.test(prefix)) {
    throw invalidConfig("`prefix` must be a lower-case SQL identifier (letters, digits, _), optionally schema-qualified: `schema.prefix`");
  }
  const bare = prefix.slice(prefix.indexOf(".") + 1);
  return {
    tokens: `${prefix}_tokens`,
    versions: `${prefix}_token_versions`,
    leases: `${prefix}_leases`,
    states: `${prefix}_used_states`,
    statesIndex: `${bare}_used_states_expires_at`,
  };
}

/**
 * The schema: token sets with a version (from a sequence, so a version is never reused for a key,
 * not even after a delete), refresh leases, and the callback states already used.
 */
export function postgresSchema(options = {}) {
  const t = tableNames(options?.prefix ?? DEFAULT_PREFIX);
  return `CREATE SEQUENCE IF NOT EXISTS ${t.versions};

CREATE TABLE IF NOT EXISTS ${t.tokens} (
  key        text        PRIMARY KEY,
  value      text        NOT NULL,
  version    bigint      NOT NULL DEFAULT nextval('${t.versions}'),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${t.leases} (
  key        text        PRIMARY KEY,
  owner      text        NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS ${t.states} (
  state_id   text        PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS ${t.statesIndex} ON ${t.states} (expires_at);
`;
}
