// The public `OAuthClient`: the core's synchronous steps (wasm) strung together around the host's
// `fetch` (transport.mjs). Each network step is: the core describes the request, the transport
// sends it, the core reads the response.
import { HelpdeskOAuthError } from "{{errors_module}}";
import { Client } from "./helpdesk_oauth.js";
import { Transport, DEFAULT_TIMEOUT_MS } from "./transport.mjs";
import { tokenSetFromCore, tokenRecord } from "./token-set.mjs";
import { authorizationRequestFromCore, pendingRecord } from "./pending.mjs";
import { verifyIdTokenSignature } from "./id-token-signature.mjs";
import { redactInspection } from "./inspect.mjs";

/** Options the JS layer keeps; the rest is plain data for the core. */
const HOST_OPTIONS = new Set(["fetch", "now", "timeoutMs"]);

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

function functionOption(options, name) {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "function") throw invalidConfig(`option \`${name}\` must be a function`);
  return value;
}

function timeoutOption(options) {
  const ms = options.timeoutMs;
  if (ms === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 1 || ms > 600_000) {
    throw invalidConfig("timeoutMs must be a number of milliseconds between 1 and 600000");
  }
  return Math.floor(ms);
}

export class OAuthClient {
  #core;
  #transport;
  #now;
  #id;

  /** @param {import("./index").ClientOptions} options */
  constructor(options) {
    if (options === null || typeof options !== "object") throw invalidConfig("OAuthClient needs an options object");
    this.#now = functionOption(options, "now");
    this.#transport = new Transport(functionOption(options, "fetch"), timeoutOption(options));
    const data = {};
    for (const key of Object.keys(options)) {
      if (!HOST_OPTIONS.has(key) && options[key] !== undefined) data[key] = options[key];
    }
    this.#core = new Client(data);
    this.#id = this.#live().provider().id;
  }

  #live() {
    if (!this.#core) throw invalidConfig("this OAuthClient was freed");
    return this.#core;
  }

  #clock() {
    const ms = this.#now ? this.#now() : Date.now();
    if (typeof ms !== "number") throw invalidConfig("the `now` option must return milliseconds since the epoch");
    return ms;
  }

  /** The resolved provider: preset values with the caller's overrides. */
  get provider() {
    return this.#live().provider();
  }

  /** The authorize URL with fresh `state`, `nonce` and PKCE verifier, and the pending record. */
  authorize(params) {
    return authorizationRequestFromCore(this.#live().authorize(params, this.#clock()));
  }

  /** The draft-app install URL (Gorgias), to test the flow before the app is approved. */
  testInstallUrl(account) {
    return this.#live().testInstallUrl(String(account));
  }

  /**
   * The provider's API URL for `path`; never outside the API base. The second argument is the
   * account, or a token set (its `account` and `tenant`: Zoho's API host is its data centre's).
   */
  apiUrl(path, accountOrTokens) {
    const text = (v) => (v == null ? undefined : String(v));
    if (accountOrTokens !== null && typeof accountOrTokens === "object") {
      return this.#live().apiUrl(String(path), text(accountOrTokens.account), text(accountOrTokens.tenant));
    }
    return this.#live().apiUrl(String(path), text(accountOrTokens), undefined);
  }

  /**
   * Checks the callback URL against the pending authorization (state, `iss`, age, provider
   * error) and exchanges the code for tokens.
   */
  async exchangeCode(callbackUrl, pending) {
    if (typeof callbackUrl !== "string" && !(callbackUrl instanceof URL)) {
      throw new HelpdeskOAuthError("invalid_callback", "exchangeCode() takes the callback URL (a string)");
    }
    const record = pendingRecord(pending);
    const request = this.#live().exchangeRequest(String(callbackUrl), record, this.#clock());
    const response = await this.#transport.send(request, "token endpoint");
    const result = this.#live().exchangeResponse(record, request.code, request.tenant, response, this.#clock());
    if (result.signature) await this.#verifySignature(result.tokens.id_token, result.signature);
    return tokenSetFromCore(result.tokens, result.claims);
  }

  /**
   * A new access token. The result keeps the old refresh token when the provider sends none and
   * carries the new one when it rotates: store it before using it. On failure `tokens` is
   * unchanged and still yours.
   */
  async refresh(tokens) {
    const record = tokenRecord(tokens, "refresh()");
    const request = this.#live().refreshRequest(record);
    const response = await this.#transport.send(request, "token endpoint");
    const result = this.#live().refreshResponse(record, response, this.#clock());
    if (result.signature) await this.#verifySignature(result.tokens.id_token, result.signature);
    return tokenSetFromCore(result.tokens, result.claims);
  }

  /** Revokes the grant at the provider (RFC 7009). */
  async revoke(tokens) {
    const record = tokenRecord(tokens, "revoke()");
    const request = this.#live().revokeRequest(record);
    const response = await this.#transport.send(request, "revocation endpoint");
    this.#live().revokeResponse(record, response);
  }

  async #verifySignature(idToken, keys) {
    let jwksResponse;
    if (keys.jwksUrl) {
      const request = { method: "GET", url: keys.jwksUrl, headers: [["Accept", "application/json"]], body: null };
      jwksResponse = await this.#transport.send(request, "JWK set endpoint");
    }
    await verifyIdTokenSignature(this.#live().signatureCheck(idToken, jwksResponse));
  }

  /**
   * Frees the client's wasm memory now instead of when it is garbage-collected (a client is
   * usually made once per process, so this is rarely needed). The client is unusable afterwards.
   */
  free() {
    this.#core?.free();
    this.#core = null;
  }

  [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() {
    this.free();
  }

  toString() {
    return `OAuthClient { provider: ${this.#id}, clientSecret: [redacted] }`;
  }
}
redactInspection(OAuthClient);
