// Reading a response body with a cap on what is decoded. `content-length` counts the bytes on
// the wire: with `content-encoding: gzip` a 200 KB answer can inflate to 200 MB, so a coded body
// is read as a stream, its decoded bytes counted, and the stream cancelled once they pass the cap.
// Used by the transport (token, revocation and JWK set answers), the token Durable Object and the
// CLI's Kustomer calls.
//
// The errors module is filled in by scripts/assemble-pkg.mjs (the class the wasm throws).
import { HelpdeskOAuthError } from "{{errors_module}}";

/** The cap on every body the package reads: 1 MiB, as for token responses. */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(what, status, maxBytes) {
  const size = maxBytes === MAX_BODY_BYTES ? "1 MiB" : `${maxBytes} bytes`;
  return new HelpdeskOAuthError("response_too_large", `${what} answered with more than ${size}`, { retryable: true, status });
}

async function cancel(target) {
  try {
    await target.cancel();
  } catch {
    // The body is abandoned either way.
  }
}

/**
 * The body of `response` (a Response or Request) as text, decoded as `text()` does (UTF-8 with
 * replacement, a leading BOM dropped), or `response_too_large` once more than `maxBytes` decoded
 * bytes arrive. `what` names the other side in the message ("the Kustomer API").
 */
export async function readBodyText(response, { what = "the endpoint", maxBytes = MAX_BODY_BYTES } = {}) {
  const status = typeof response.status === "number" ? response.status : undefined;
  // No header is no declared length (Number(null) would read as 0).
  const lengthHeader = response.headers?.get("content-length") ?? null;
  const declared = lengthHeader === null ? NaN : Number(lengthHeader);
  // A declared length over the cap is already too much: refuse before reading anything.
  if (Number.isFinite(declared) && declared > maxBytes) {
    if (response.body) await cancel(response.body);
    throw tooLarge(what, status, maxBytes);
  }
  // A declared length with no content coding bounds what will be decoded (the network layer
  // stops at the declared length), so one `text()` is safe, and much cheaper than a reader
  // (undici builds a byte stream only when `body` is touched).
  const coding = response.headers?.get("content-encoding");
  if (Number.isFinite(declared) && (coding == null || coding.trim().toLowerCase() === "identity")) {
    return response.text();
  }
  const stream = response.body;
  if (!stream) return "";
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await cancel(reader);
      throw tooLarge(what, status, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The body parsed as JSON, or `undefined` when it is not JSON; `response_too_large` past the cap. */
export async function readBodyJson(response, options) {
  const text = await readBodyText(response, options);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
