// HTTP for the core: sends the request values the wasm describes through the host's `fetch`, with
// a timeout, no redirects, and a cap on the DECODED body (read-body.mjs: a gzip body's
// Content-Length is the compressed size, so it bounds nothing). Hands back `{ status, contentType, body }` for the core
// to read. Works wherever `fetch` does: Node 20+, Workers, browsers, Deno, Bun.
import { HelpdeskOAuthError } from "{{errors_module}}";
import { readBodyText } from "./read-body.mjs";

export const DEFAULT_TIMEOUT_MS = 30_000;

function networkError(endpoint, why, cause) {
  return new HelpdeskOAuthError("network_error", `could not reach the ${endpoint}: ${why}`, { retryable: true, cause });
}

/** A short, safe description of a fetch failure: name, message and Node's `cause.code`. */
function describe(err) {
  if (err && (err.name === "TimeoutError" || err.name === "AbortError")) return "the request timed out or was aborted";
  const name = (err && typeof err.name === "string" && err.name) || "Error";
  const message = err && typeof err.message === "string" ? err.message : String(err);
  const code = err && err.cause && typeof err.cause.code === "string" ? ` (${err.cause.code})` : "";
  // eslint-disable-next-line no-control-regex
  return `${name}: ${message}`.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 200) + code;
}

/** One client's way to the network: its `fetch` and timeout. */
export class Transport {
  #fetch;
  #timeoutMs;

  constructor(fetchOption, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.#fetch = fetchOption;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Sends `request` ({ method, url, headers: [name, value][], body }) and reads the response.
   * @returns {Promise<{ status: number, contentType: string | null, body: string }>}
   */
  async send(request, endpoint) {
    const init = { method: request.method, headers: Object.fromEntries(request.headers), redirect: "manual" };
    if (request.body != null) init.body = request.body;
    // One controller and timer per request, cleared when the body is read: AbortSignal.timeout
    // cost ~7 us per request in Node (a transferable signal and a weak timer), a third of the
    // package's own work in an exchange.
    const controller = this.#timeoutMs > 0 ? new AbortController() : undefined;
    const timer = controller && setTimeout(() => controller.abort(new DOMException("timed out", "TimeoutError")), this.#timeoutMs);
    if (controller) init.signal = controller.signal;
    try {
      let response;
      try {
        // Workers and some browsers throw "Illegal invocation" unless the global fetch is called on the global.
        response = this.#fetch ? await this.#fetch(request.url, init) : await globalThis.fetch(request.url, init);
      } catch (err) {
        throw networkError(endpoint, describe(err), err);
      }
      if (!response || typeof response.status !== "number" || !response.headers) {
        throw networkError(endpoint, "fetch did not resolve to a Response");
      }
      let body;
      try {
        body = await readBodyText(response, { what: endpoint });
      } catch (err) {
        if (err instanceof HelpdeskOAuthError) throw err;
        throw networkError(endpoint, describe(err), err);
      }
      return { status: response.status, contentType: response.headers.get("content-type"), body };
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}
