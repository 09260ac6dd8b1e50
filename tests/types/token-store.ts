import { HelpdeskOAuthError, type StoredTokenSet, type TokenStore, type TokenStoreWriteOptions } from "helpdesk-oauth";

type Row = { value: string; version: number };
const conflict = (key: string) => new HelpdeskOAuthError("token_store_conflict", `${key} changed since it was read`, { retryable: true });

/** The contract on a Map; in a database, the same checks are one conditional UPDATE / INSERT / DELETE. */
export class TableTokenStore implements TokenStore {
  #rows = new Map<string, Row>();
  #lastVersion = 0; // versions are never reused for a key, not even after a delete

  async get(key: string): Promise<StoredTokenSet | undefined> {
    return this.#rows.get(key); // SELECT value, version FROM tokens WHERE key = $1
  }

  async set(key: string, value: string, { expectedVersion }: TokenStoreWriteOptions = {}): Promise<{ version: number }> {
    // undefined: write anyway (a new grant); null: only if absent (INSERT); else only if unchanged (UPDATE … WHERE version = $3)
    if (expectedVersion !== undefined && (this.#rows.get(key)?.version ?? null) !== expectedVersion) throw conflict(key);
    const version = ++this.#lastVersion;
    this.#rows.set(key, { value, version });
    return { version };
  }

  async delete(key: string, { expectedVersion }: TokenStoreWriteOptions = {}): Promise<boolean> {
    if (expectedVersion !== undefined && (this.#rows.get(key)?.version ?? null) !== expectedVersion) throw conflict(key);
    return this.#rows.delete(key);
  }
}
