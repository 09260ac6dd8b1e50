// HTTP for the core: sends the request values the wasm describes through the host's `fetch`, with
// a timeout, no redirects, and a cap on the DECODED body (a gzip body's Content-Length is the
// compressed size, so it bounds nothing). Hands back `{ status, contentType, body }` for the core
// to read. Works wherever `fetch` does: Node 20+, Workers, browsers, Deno, Bun.
import { HelpdeskOAuthError } from "{{errors_module}}";

/** Token, revocation and JWK set responses are small; anything past this is refused. */
export const MAX_BODY_BYTES = 1024 * 1024;
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

function tooLarge(endpoint, status) {
  return new HelpdeskOAuthError("response_too_large", `${endpoint} answered with more than 1 MiB`, { retryable: true, status });
}

/**
 * Reads a body as UTF-8 text (BOM dropped, bad bytes replaced, as `text()` does), counting the
 * decoded bytes and cancelling the stream once they pass `max`.
 */
export async function readCappedText(response, { max = MAX_BODY_BYTES, endpoint = "server" } = {}) {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(endpoint, response.status);
  }
  // A declared length with no content coding bounds what will be decoded (the network layer
  // stops at the declared length), so one `text()` is safe, and much cheaper than a reader
  // (undici builds a byte stream only when `body` is touched). A coded body (gzip, br, deflate)
  // declares its compressed length, which bounds nothing: it is always read as a stream.
  const coding = response.headers.get("content-encoding");
  if (Number.isFinite(declared) && response.headers.get("content-length") !== null && (coding === null || coding.trim().toLowerCase() === "identity")) {
    return response.text();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(endpoint, response.status);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
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
        body = await readCappedText(response, { endpoint });
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
