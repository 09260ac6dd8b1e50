// Sealing the pending authorization into a cookie with the host's WebCrypto: AES-GCM-256 under a
// key derived by HKDF-SHA-256 from the app's secret, a fresh 12-byte IV per seal, and the cookie
// name as additional authenticated data (a value sealed for one cookie does not open as another).
// The options, the layout and every check of the plaintext are the core's (wasm).
import { HelpdeskOAuthError } from "{{errors_module}}";
import { clearCookieHeader, cookieKdf, cookieOpened, cookieSealed, cookieSecretBytes, cookieSetHeader, cookieToSeal } from "./helpdesk_oauth.js";
import { pendingFromCore, pendingRecord } from "./pending.mjs";

const encoder = new TextEncoder();

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new HelpdeskOAuthError("invalid_config", "WebCrypto (crypto.subtle with AES-GCM and HKDF) is not available to seal the authorization cookie");
  return s;
}

/** HKDF rather than the raw secret: the secret may be a passphrase of any length, and the key is bound to this one purpose. */
async function deriveKey(secret) {
  const [salt, info] = cookieKdf();
  const base = await subtle().importKey("raw", secret, "HKDF", false, ["deriveKey"]);
  return subtle().deriveKey({ name: "HKDF", hash: "SHA-256", salt, info }, base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

const gcm = (iv, name) => ({ name: "AES-GCM", iv, additionalData: encoder.encode(name), tagLength: 128 });

/** Seals the pending authorization and returns the `Set-Cookie` header value. */
export async function sealPendingCookie(pending, secret, options) {
  const record = pendingRecord(pending);
  const key = cookieSecretBytes(secret);
  const { name, maxAge, payload } = cookieToSeal(record, options, Date.now());
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = await subtle().encrypt(gcm(iv, name), await deriveKey(key), encoder.encode(JSON.stringify(payload)));
  return cookieSetHeader(name, iv, new Uint8Array(sealed), maxAge);
}

/** Finds the cookie in a `Cookie` header, opens it and checks its expiry and return path. */
export async function openPendingCookie(cookieHeader, secret, options) {
  const key = cookieSecretBytes(secret);
  const [name, iv, ciphertext] = cookieSealed(typeof cookieHeader === "string" ? cookieHeader : undefined, options, Date.now());
  let plaintext;
  try {
    // A failed tag check is the one answer for every kind of tampering, wrong secret or wrong name.
    plaintext = await subtle().decrypt(gcm(iv, name), await deriveKey(key), ciphertext);
  } catch {
    throw new HelpdeskOAuthError("cookie_invalid", "the authorization cookie could not be opened (altered, or sealed with another cookieSecret): start the installation again");
  }
  let payload;
  try {
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext));
  } catch {
    throw new HelpdeskOAuthError("cookie_invalid", "the authorization cookie is not valid (its content is not JSON): start the installation again");
  }
  const opened = cookieOpened(payload, options, Date.now());
  const result = { pending: pendingFromCore(opened.pending) };
  if (opened.returnTo !== undefined) result.returnTo = opened.returnTo;
  return result;
}

/** The `Set-Cookie` header value that deletes the pending-authorization cookie. */
export function clearPendingCookie(options) {
  const name = options?.cookieName;
  if (name !== undefined && name !== null && typeof name !== "string") throw new HelpdeskOAuthError("invalid_config", "cookieName must be a string");
  return clearCookieHeader(name ?? undefined);
}
