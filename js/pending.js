// What the app keeps between `authorize()` and the callback, and the authorization request
// itself. Plain JS objects (no wasm memory). The pending record holds the PKCE verifier, state and
// nonce: toString / inspection / JSON.stringify never show them; `serialize()` is the storage form.
import { HelpdeskOAuthError } from "{{errors_module}}";
import { readPending } from "./helpdesk_oauth.js";
import { redactInspection } from "./inspect.mjs";

const MAX_SERIALIZED_LENGTH = 16 * 1024;
const INTERNAL = Symbol("PendingAuthorization");

function invalid(message) {
  return new HelpdeskOAuthError("pending_invalid", message);
}

let recordOf;

export class PendingAuthorization {
  #record;
  #text;

  /** Not for callers: from `authorize()` or `PendingAuthorization.deserialize`. */
  constructor(internal, record) {
    if (internal !== INTERNAL) throw invalid("a PendingAuthorization comes from authorize() or PendingAuthorization.deserialize()");
    this.#record = record;
  }

  static {
    recordOf = (pending) => pending.#record;
  }

  get state() {
    return this.#record.state;
  }
  get nonce() {
    return this.#record.nonce;
  }
  get account() {
    return this.#record.account;
  }
  get provider() {
    return this.#record.provider;
  }
  get issuer() {
    return this.#record.issuer;
  }
  get redirectUri() {
    return this.#record.redirect_uri;
  }
  get scopes() {
    return [...this.#record.scopes];
  }
  /** ms since the epoch */
  get createdAt() {
    return this.#record.created_at;
  }

  /** A string to store until the callback; `PendingAuthorization.deserialize` reads it back. */
  serialize() {
    this.#text ??= JSON.stringify(this.#record);
    return this.#text;
  }

  /** A safe view for logs (no state, nonce or verifier). Store `serialize()` instead. */
  toJSON() {
    const r = this.#record;
    return { provider: r.provider, account: r.account, issuer: r.issuer, redirectUri: r.redirect_uri, scopes: [...r.scopes], createdAt: r.created_at };
  }

  /** Reads a stored record back, with the same checks as fresh input. */
  static deserialize(text) {
    let record = text;
    if (typeof text === "string") {
      if (text.length > MAX_SERIALIZED_LENGTH) throw invalid("pending authorization is not valid: it is too long");
      try {
        record = JSON.parse(text);
      } catch {
        throw invalid("pending authorization is not valid: it is not JSON");
      }
    } else if (text === null || typeof text !== "object") {
      throw invalid("PendingAuthorization.deserialize takes the string from serialize()");
    }
    return new PendingAuthorization(INTERNAL, readPending(record));
  }

  toString() {
    return `PendingAuthorization { provider: ${this.#record.provider}, account: ${this.#record.account ?? "-"}, verifier: [redacted] }`;
  }
}
redactInspection(PendingAuthorization);

/** A pending authorization made from a record the core just wrote or checked. */
export function pendingFromCore(record) {
  return new PendingAuthorization(INTERNAL, record);
}

/**
 * The record of a pending authorization for the core: this module's class, its `serialize()`
 * string, or an object of another copy of the package (read through its `serialize()`).
 */
export function pendingRecord(pending) {
  if (pending instanceof PendingAuthorization) return recordOf(pending);
  if (typeof pending === "string") return recordOf(PendingAuthorization.deserialize(pending));
  if (pending && typeof pending.serialize === "function") {
    const text = pending.serialize();
    if (typeof text === "string") return recordOf(PendingAuthorization.deserialize(text));
  }
  throw invalid("pending must be a PendingAuthorization or the string from its serialize()");
}

/** The URL to send the user to, and the pending record to keep. */
export class AuthorizationRequest {
  #url;
  #codeChallenge;
  #pending;

  constructor(internal, url, codeChallenge, pending) {
    if (internal !== INTERNAL) throw new HelpdeskOAuthError("invalid_config", "an AuthorizationRequest comes from OAuthClient#authorize()");
    this.#url = url;
    this.#codeChallenge = codeChallenge;
    this.#pending = pending;
  }

  get url() {
    return this.#url;
  }
  get state() {
    return this.#pending.state;
  }
  get nonce() {
    return this.#pending.nonce;
  }
  get codeChallenge() {
    return this.#codeChallenge;
  }
  get account() {
    return this.#pending.account;
  }
  /** The same object on every read. */
  get pending() {
    return this.#pending;
  }

  toString() {
    return `AuthorizationRequest { url: ${this.#url} }`;
  }
}
redactInspection(AuthorizationRequest);

export function authorizationRequestFromCore(result) {
  return new AuthorizationRequest(INTERNAL, result.url, result.codeChallenge, pendingFromCore(result.pending));
}
