// Waiting out a 429: the Retry-After header read, bounded and slept on, cancellable with an
// AbortSignal. Shared by the Session (js/session.js) and the Workers' DurableObjectSession so that
// both bound the wait, count the retries and report an abort the same way.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

const DEFAULT_MAX_RETRY_AFTER_SECONDS = 60;
const DEFAULT_RETRIES = 1;

function invalidConfig(message) {
  return new HelpdeskOAuthError("invalid_config", message);
}

function aborted() {
  return new HelpdeskOAuthError("aborted", "the operation was aborted by its AbortSignal");
}

/** The error for a fired signal. */
export function signalError(signal) {
  // AbortSignal.timeout() is a timeout, which may pass; anything else is the caller giving up.
  if (signal.reason?.name === "TimeoutError") {
    return new HelpdeskOAuthError("network_error", "the request timed out (its AbortSignal fired)", { retryable: true });
  }
  return aborted();
}

export function throwIfAborted(signal) {
  if (signal?.aborted) throw signalError(signal);
}

/** Waits for `promise`, or rejects as soon as `signal` aborts (the promise itself runs on). */
export function abortable(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signalError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signalError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function defaultSleep(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    // The rejection comes from abortable(); here we only stop the timer.
    const onAbort = () => clearTimeout(timer);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Milliseconds to wait from a Retry-After value (delta-seconds or an HTTP-date), or undefined if unusable. */
export function retryAfterMs(header, nowMs) {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

/**
 * Milliseconds to wait until a reset time in Unix seconds (Intercom's and Front's
 * X-RateLimit-Reset; milliseconds for values past 10^11), or undefined if unusable.
 */
export function resetMs(header, nowMs) {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (!/^\d{1,13}$/.test(text)) return undefined;
  const n = Number(text);
  return Math.max(0, (n < 1e11 ? n * 1000 : n) - nowMs);
}

/** The headers a provider's 429 carries its wait in (`ProviderInfo` retryAfterHeader, rateLimitResetHeader). */
export function rateLimitHeaders(provider) {
  return { retryAfter: provider?.retryAfterHeader ?? "retry-after", reset: provider?.rateLimitResetHeader };
}

export function nonNegative(value, name, fallback, integer) {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw invalidConfig(`${name} must be a non-negative ${integer ? "integer" : "number"}`);
  }
  return value;
}

export function functionOption(value, name) {
  if (value !== undefined && typeof value !== "function") throw invalidConfig(`${name} must be a function`);
  return value;
}

/**
 * The 429 policy from a session's options (`maxRetryAfterSeconds`, `retries`, `now`, `sleep`),
 * checked now so that a bad option fails at construction with invalid_config.
 */
export function retryAfterPolicy({ maxRetryAfterSeconds, retries, now, sleep, headers = rateLimitHeaders(undefined) }) {
  const maxMs = nonNegative(maxRetryAfterSeconds, "maxRetryAfterSeconds", DEFAULT_MAX_RETRY_AFTER_SECONDS, false) * 1000;
  const maxRetries = nonNegative(retries, "retries", DEFAULT_RETRIES, true);
  const clock = functionOption(now, "now") ?? Date.now;
  const sleepFn = functionOption(sleep, "sleep") ?? defaultSleep;
  return {
    now: clock,
    /**
     * How long to wait before trying `response` (a 429) again, given how many 429s this request
     * already waited out; undefined when it must be returned as it is (retries used up, no usable
     * wait, or one longer than the bound). The wait is read from the provider's header (Help
     * Scout X-RateLimit-Retry-After), else Retry-After, else its reset time (Intercom).
     */
    delayMs(response, retried) {
      if (response.status !== 429 || retried >= maxRetries) return undefined;
      const get = (name) => (name ? response.headers.get(name) : null);
      let wait = retryAfterMs(get(headers.retryAfter) ?? get("retry-after"), clock());
      if (wait === undefined) wait = resetMs(get(headers.reset), clock());
      return wait !== undefined && wait <= maxMs ? wait : undefined;
    },
    /** Sleeps `ms`; an abort of `signal` ends the wait at once with `aborted`. */
    async wait(ms, signal) {
      throwIfAborted(signal);
      await abortable(Promise.resolve().then(() => sleepFn(ms, signal)), signal);
    },
    /**
     * The API request loop both sessions share, so that it can never loop: `send(credential)`
     * makes the request; a 401 gets one `refresh(credential)` (when `canRefresh(credential)`) and
     * one more try; a 429 is waited out per `delayMs`, then `fresh()` gives the credential again
     * (it may have expired while waiting). A body that cannot be sent twice is never retried.
     * Resolves to the last response.
     */
    async run({ credential, send, canRefresh = () => true, refresh, fresh, canRetry, signal }) {
      let refreshedFor401 = false;
      let rateLimitRetries = 0;
      for (;;) {
        const response = await send(credential);
        if (response.status === 401 && canRetry && !refreshedFor401 && canRefresh(credential)) {
          refreshedFor401 = true;
          await discard(response);
          credential = await refresh(credential);
          continue;
        }
        const wait = canRetry ? this.delayMs(response, rateLimitRetries) : undefined;
        if (wait === undefined) return response;
        rateLimitRetries += 1;
        await discard(response);
        await this.wait(wait, signal);
        credential = await fresh();
      }
    },
  };
}

/** Whether a request body can be sent a second time (a stream is consumed by the first send). */
export function replayable(body) {
  if (body === undefined || body === null || typeof body === "string") return true;
  if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) return false;
  return typeof body[Symbol.asyncIterator] !== "function";
}

/** Drops the body of a response that is about to be replaced by a retry's. */
export async function discard(response) {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to keep from a response we are about to replace.
  }
}
