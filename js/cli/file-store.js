// The CLI's TokenStore: one JSON file per user, mode 0600 in a 0700 directory, holding per key
// ("gorgias:acme") the serialized token set, its version, and the client settings needed to
// refresh it later (provider endpoints, client id, redirect URI, scopes; never the secret).
//
// It honours the TokenStore contract (compare-and-set on versions that are never reused) across
// processes: every change is read-modify-write under an exclusive lock file, and the new file is
// written beside the old one and renamed over it, so a crash leaves the old or the new content,
// never half. A file that cannot be parsed is never overwritten (it may hold the only live
// refresh token): the error names the file instead.
//
// The file is trusted only when nobody else could have written it (token-file-safety.js): it
// names the token endpoint that receives the client secret on a refresh.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { HelpdeskOAuthError } from 'helpdesk-oauth';
import { checkTokenDirectory, checkTokenFile, storeFailure } from './token-file-safety.js';

const FORMAT = 1;
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;
// A refresh may take the client's whole 30 s timeout.
const REFRESH_LOCK_STALE_MS = 60_000;

function conflict(key) {
  return new HelpdeskOAuthError('token_store_conflict', `the stored token set for ${key} changed since it was read`, { retryable: true });
}

function matches(entry, expectedVersion) {
  const present = entry !== undefined && entry.tokens !== undefined;
  if (expectedVersion === undefined) return true;
  if (expectedVersion === null) return !present;
  return present && entry.version === expectedVersion;
}

const newVersion = () => `v${Date.now().toString(36)}.${randomBytes(6).toString('hex')}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class FileTokenStore {
  #file;

  constructor(file) {
    this.#file = file;
  }

  get path() {
    return this.#file;
  }

  // ---- TokenStore ----

  async get(key) {
    const entry = (await this.#read()).accounts[key];
    return entry?.tokens === undefined ? undefined : { value: entry.tokens, version: entry.version };
  }

  async set(key, value, options = {}) {
    if (typeof value !== 'string') throw storeFailure('a token store value must be the string from TokenSet.serialize()');
    return this.#change((data) => {
      const entry = data.accounts[key];
      if (!matches(entry, options?.expectedVersion)) throw conflict(key);
      const version = newVersion();
      data.accounts[key] = { ...entry, tokens: value, version };
      return { version };
    });
  }

  /** Deletes the tokens; the client settings stay, so `login` can reuse them. */
  async delete(key, options = {}) {
    return this.#change((data) => {
      const entry = data.accounts[key];
      if (!matches(entry, options?.expectedVersion)) throw conflict(key);
      if (entry?.tokens === undefined) return false;
      delete entry.tokens;
      delete entry.version;
      return true;
    });
  }

  // ---- what the CLI keeps beside the tokens ----

  /** { client, tokens?, version? } for a key, or undefined. */
  async entry(key) {
    return (await this.#read()).accounts[key];
  }

  /** Every key with its entry, sorted by key. */
  async list() {
    const { accounts } = await this.#read();
    return Object.keys(accounts)
      .sort()
      .map((key) => ({ key, ...accounts[key] }));
  }

  async saveClient(key, client) {
    await this.#change((data) => {
      data.accounts[key] = { ...data.accounts[key], client };
    });
  }

  /** Removes everything stored for the key. */
  async remove(key) {
    return this.#change((data) => {
      const had = key in data.accounts;
      delete data.accounts[key];
      return had;
    });
  }

  /**
   * Runs `fn` while no other helpdesk-oauth process refreshes or revokes through this file. The
   * session's single-flight works within one process; this extends it across processes, so two
   * `token` commands started together do one refresh, not two racing with one refresh token.
   */
  async exclusive(fn) {
    await this.#directory(true);
    const release = await this.#lock(`${this.#file}.refresh-lock`, REFRESH_LOCK_STALE_MS, REFRESH_LOCK_STALE_MS);
    try {
      return await fn();
    } finally {
      await release();
    }
  }

  // ---- the file ----

  /** Checks (and creates, when `create`) the file's directory; false when it does not exist. */
  async #directory(create) {
    const dir = path.dirname(this.#file);
    if (create) await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return checkTokenDirectory(dir);
  }

  async #read() {
    if (!(await this.#directory(false))) return { v: FORMAT, accounts: {} };
    let handle;
    try {
      // O_NOFOLLOW: a link is refused by the open itself, so it cannot be swapped in after a check.
      handle = await fs.open(this.#file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (err) {
      if (err.code === 'ENOENT') return { v: FORMAT, accounts: {} };
      if (err.code === 'ELOOP') await checkTokenFile(this.#file, await fs.lstat(this.#file));
      throw storeFailure(`cannot read the token store ${this.#file} (${err.code ?? err.name})`);
    }
    let text;
    try {
      await checkTokenFile(this.#file, await handle.stat());
      text = await handle.readFile('utf8');
    } catch (err) {
      if (err instanceof HelpdeskOAuthError) throw err;
      throw storeFailure(`cannot read the token store ${this.#file} (${err.code ?? err.name})`);
    } finally {
      await handle.close();
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!data || data.v !== FORMAT || typeof data.accounts !== 'object' || data.accounts === null || Array.isArray(data.accounts)) {
      throw storeFailure(`the token store ${this.#file} is not a helpdesk-oauth token file (left untouched: move it away to start afresh)`);
    }
    return data;
  }

  async #change(mutate) {
    await this.#directory(true);
    const release = await this.#lock(`${this.#file}.lock`, LOCK_STALE_MS, LOCK_WAIT_MS);
    try {
      const data = await this.#read();
      const result = mutate(data);
      await this.#write(data);
      return result;
    } finally {
      await release();
    }
  }

  async #write(data) {
    const tmp = `${this.#file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const text = `${JSON.stringify({ v: FORMAT, note: 'helpdesk-oauth CLI tokens: live credentials, keep private', accounts: data.accounts }, null, 2)}\n`;
    const handle = await fs.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.chmod(tmp, 0o600); // whatever the umask did
      await fs.rename(tmp, this.#file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw storeFailure(`cannot write the token store ${this.#file} (${err.code ?? err.name})`);
    }
  }

  async #lock(lock, staleMs, waitMs) {
    const started = Date.now();
    for (;;) {
      try {
        const handle = await fs.open(lock, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => fs.rm(lock, { force: true });
      } catch (err) {
        if (err.code !== 'EEXIST') throw storeFailure(`cannot lock the token store ${this.#file} (${err.code ?? err.name})`);
      }
      const age = await fs.stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleMs) {
        await fs.rm(lock, { force: true }); // left by a process that died mid-write
        continue;
      }
      if (Date.now() - started > waitMs) {
        throw new HelpdeskOAuthError('token_store_error', `the token store ${this.#file} is locked by another process (delete ${lock} if none is running)`, { retryable: true });
      }
      await sleep(20 + Math.floor(Math.random() * 30));
    }
  }
}
