// The tokens an app holds for one account. A plain JS object: it owns no wasm memory, so nothing
// needs freeing. The record inside is the storage form the core wrote (or checked, when read
// back); the getters expose it, while toString / inspection / JSON.stringify show no secret.
import { HelpdeskOAuthError } from "{{errors_module}}";
import { decodeIdTokenClaims, readTokenSet } from "./helpdesk_oauth.js";
import { redactInspection } from "./inspect.mjs";

const MAX_STORED_LENGTH = 256 * 1024;
const INTERNAL = Symbol("TokenSet");

function invalid(message) {
  return new HelpdeskOAuthError("token_set_invalid", message);
}

let recordOf;

export class TokenSet {
  #record;
  #claims;

  /** Not for callers: token sets come from `exchangeCode`, `refresh` or `TokenSet.fromJSON`. */
  constructor(internal, record, claims) {
    if (internal !== INTERNAL) throw invalid("a TokenSet comes from exchangeCode(), refresh() or TokenSet.fromJSON()");
    this.#record = record;
    this.#claims = claims;
  }

  static {
    recordOf = (tokens) => tokens.#record;
  }

  get accessToken() {
    return this.#record.access_token;
  }
  get refreshToken() {
    return this.#record.refresh_token;
  }
  get idToken() {
    return this.#record.id_token;
  }
  /** Always "Bearer". */
  get tokenType() {
    return this.#record.token_type;
  }
  get scopes() {
    return [...this.#record.scope];
  }
  /** ms since the epoch; undefined when the provider gave no lifetime and the token is opaque. */
  get expiresAt() {
    return this.#record.expires_at;
  }
  /** ms since the epoch */
  get obtainedAt() {
    return this.#record.obtained_at;
  }
  get account() {
    return this.#record.account;
  }
  /** The tenant the provider named during the flow (Zoho data centre, HubSpot `hub_id`), when there is one. */
  get tenant() {
    return this.#record.tenant;
  }
  get provider() {
    return this.#record.provider;
  }

  /**
   * True when the access token is expired or expires within `skewSeconds` (default 0) of `nowMs`
   * (default `Date.now()`). An unknown expiry is never "expired": the API's 401 is the signal.
   */
  isExpired(skewSeconds, nowMs) {
    const at = this.#record.expires_at;
    if (at === undefined) return false;
    const now = Math.max(0, nowMs ?? Date.now());
    const skew = Math.max(0, skewSeconds ?? 0);
    return now + skew * 1000 >= at;
  }

  /** The id_token's claims (checked when the token set was made); undefined without an id_token. */
  idTokenClaims() {
    if (this.#record.id_token === undefined) return undefined;
    this.#claims ??= decodeIdTokenClaims(this.#record.id_token);
    // A copy: the caller may change what it gets without changing what this set holds.
    return structuredClone(this.#claims);
  }

  /** The storage form as a string (versioned). It holds live credentials: store it as a secret. */
  serialize() {
    return JSON.stringify(this.#record);
  }

  /** A safe view for logs: `JSON.stringify(tokens)` shows no token. Store `serialize()` instead. */
  toJSON() {
    const r = this.#record;
    return {
      provider: r.provider,
      account: r.account,
      tenant: r.tenant,
      tokenType: r.token_type,
      accessToken: "[redacted]",
      refreshToken: r.refresh_token === undefined ? undefined : "[redacted]",
      idToken: r.id_token === undefined ? undefined : "[redacted]",
      scopes: [...r.scope],
      expiresAt: r.expires_at,
      obtainedAt: r.obtained_at,
    };
  }

  /** Reads the storage form back (the string from `serialize()`, or that string parsed). */
  static fromJSON(json) {
    let record = json;
    if (typeof json === "string") {
      if (json.length > MAX_STORED_LENGTH) throw invalid("stored token set is not valid: it is too long");
      try {
        record = JSON.parse(json);
      } catch {
        throw invalid("stored token set is not valid: it is not JSON");
      }
    } else if (json === null || typeof json !== "object") {
      throw invalid("TokenSet.fromJSON takes the string from serialize() or that string parsed");
    }
    return new TokenSet(INTERNAL, readTokenSet(record));
  }

  toString() {
    const r = this.#record;
    return `TokenSet { provider: ${r.provider}, account: ${r.account ?? "-"}, accessToken: [redacted], refreshToken: ${r.refresh_token === undefined ? "none" : "[redacted]"} }`;
  }
}
redactInspection(TokenSet);

/** A token set made by the client from a record the core just wrote. */
export function tokenSetFromCore(record, claims) {
  return new TokenSet(INTERNAL, record, claims);
}

/**
 * The record of a token set for the core: this module's TokenSet, or one from another copy of
 * the package (ESM and CJS each load their own), read through its `serialize()`.
 */
export function tokenRecord(tokens, what) {
  if (tokens instanceof TokenSet) return recordOf(tokens);
  if (tokens && typeof tokens.serialize === "function" && typeof tokens.accessToken === "string") {
    return recordOf(TokenSet.fromJSON(tokens.serialize()));
  }
  throw invalid(`${what} takes a TokenSet (from exchangeCode(), refresh() or TokenSet.fromJSON())`);
}
