//! Sealing the pending authorization into a cookie with the host's WebCrypto: AES-GCM-256 under a
//! key derived by HKDF-SHA-256 from the app's secret, a fresh 12-byte IV per seal, the cookie
//! name as additional authenticated data (a value sealed for one cookie does not open as another).
//! The layout, parsing and checks are in `crate::core::cookie`.

use super::error::{js_to_json, IntoJs, JsResult};
use super::pending::JsPending;
use crate::core::cookie::{self, CookiePayload, Sealed, DEFAULT_COOKIE_NAME, DEFAULT_MAX_AGE_SECONDS, IV_LEN};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::json::{Fields, Value};
use crate::core::pending::PendingAuthorization;
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

// Fixed HKDF salt and info: they separate this key from any other use of the same app secret.
const HKDF_SALT: &[u8] = b"helpdesk-oauth/pending-cookie";
const HKDF_INFO: &[u8] = b"helpdesk-oauth pending cookie v1 aes-256-gcm";

#[wasm_bindgen(typescript_custom_section)]
const TS_COOKIE_TYPES: &'static str = r#"
/** The app secret the cookie key is derived from: at least 32 random bytes (of a string: its UTF-8 bytes); one byte repeated, a repeated block or a counting sequence is refused (`invalid_config`). Keep it out of source control; rotate by changing it (open cookies then fail with `cookie_invalid`). */
export type CookieSecret = string | Uint8Array;

export interface SealCookieOptions {
  /** A same-site path to come back to after the callback; must match `allowReturnTo`. */
  returnTo?: string;
  /** Allowed return paths: an entry matches itself, an entry ending in `/` also every path below it. */
  allowReturnTo?: string[];
  /** The cookie's lifetime (Max-Age and the sealed expiry). Default 600, at most 3600. Keep it equal to the client's `pendingTtlSeconds`. */
  maxAgeSeconds?: number;
  /** Default `"__Host-helpdesk-oauth"`; must start with `__Host-`. */
  cookieName?: string;
  /** The current time in ms since the epoch. Default `Date.now()`. */
  now?: number;
}

export interface OpenCookieOptions {
  /** Checked again on opening: a return path no longer on the list fails with `invalid_return_to`. */
  allowReturnTo?: string[];
  cookieName?: string;
  now?: number;
}

export interface ClearCookieOptions {
  cookieName?: string;
}

/** What `openPendingCookie` found in the cookie. */
export interface OpenedPendingCookie {
  pending: PendingAuthorization;
  returnTo?: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "SealCookieOptions")]
    pub type SealCookieOptionsJs;
    #[wasm_bindgen(typescript_type = "OpenCookieOptions")]
    pub type OpenCookieOptionsJs;
    #[wasm_bindgen(typescript_type = "ClearCookieOptions")]
    pub type ClearCookieOptionsJs;
}

struct Options {
    name: String,
    return_to: Option<String>,
    allow: Vec<String>,
    max_age: u64,
    now: u64,
}

fn read_options(options: Option<JsValue>, what: &'static str, sealing: bool) -> Result<Options> {
    let value = match options.filter(|v| !v.is_undefined() && !v.is_null()) {
        None => Value::Object(Vec::new()),
        Some(v) => js_to_json(&v, what)?,
    };
    let mut f = Fields::new(&value, what, ErrorCode::InvalidConfig)?;
    let name = f.string("cookieName")?.unwrap_or_else(|| DEFAULT_COOKIE_NAME.to_string());
    let allow = f.strings("allowReturnTo")?.unwrap_or_default();
    let now = f.u64("now")?.unwrap_or_else(|| js_sys::Date::now() as u64);
    let (return_to, max_age) = if sealing { (f.string("returnTo")?, f.u64("maxAgeSeconds")?.unwrap_or(DEFAULT_MAX_AGE_SECONDS)) } else { (None, DEFAULT_MAX_AGE_SECONDS) };
    f.finish()?;
    cookie::validate_cookie_name(&name)?;
    Ok(Options { name, return_to, allow, max_age, now })
}

fn secret_bytes(secret: &JsValue) -> Result<Vec<u8>> {
    let bytes = if let Some(text) = secret.as_string() {
        text.into_bytes()
    } else if let Some(array) = secret.dyn_ref::<Uint8Array>() {
        array.to_vec()
    } else {
        return Err(Error::new(ErrorCode::InvalidConfig, "cookieSecret must be a string or a Uint8Array"));
    };
    cookie::check_cookie_secret(&bytes)?;
    Ok(bytes)
}

/// A pending record given as the class or as its serialized string.
fn pending_from_js(value: &JsValue) -> Result<PendingAuthorization> {
    if let Some(text) = value.as_string() {
        return PendingAuthorization::deserialize(&text);
    }
    let serialize = Reflect::get(value, &JsValue::from_str("serialize")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    match serialize.and_then(|f| f.call0(value).ok()).and_then(|s| s.as_string()) {
        Some(text) => PendingAuthorization::deserialize(&text),
        None => Err(Error::new(ErrorCode::PendingInvalid, "pending must be a PendingAuthorization or the string from its serialize()")),
    }
}

fn crypto_unavailable() -> Error {
    Error::new(ErrorCode::InvalidConfig, "WebCrypto (crypto.subtle with AES-GCM and HKDF) is not available to seal the authorization cookie")
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn params(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o.into()
}

fn subtle() -> Result<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(|_| crypto_unavailable())?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).map_err(|_| crypto_unavailable())?;
    if subtle.is_object() {
        Ok(subtle)
    } else {
        Err(crypto_unavailable())
    }
}

async fn call(subtle: &JsValue, method: &str, args: &[JsValue]) -> std::result::Result<JsValue, JsValue> {
    let f: Function = Reflect::get(subtle, &JsValue::from_str(method))?.dyn_into()?;
    let promise: Promise = f.apply(subtle, &args.iter().collect::<Array>())?.dyn_into()?;
    JsFuture::from(promise).await
}

fn usages(names: &[&str]) -> JsValue {
    names.iter().map(|n| JsValue::from_str(n)).collect::<Array>().into()
}

/// The AES-GCM key for this secret. HKDF rather than the raw secret: the secret may be a
/// passphrase-like string of any length, and the key is then bound to this one purpose.
async fn derive_key(subtle: &JsValue, secret: &[u8]) -> Result<JsValue> {
    let raw: JsValue = Uint8Array::from(secret).into();
    let base = call(subtle, "importKey", &[JsValue::from_str("raw"), raw, JsValue::from_str("HKDF"), JsValue::FALSE, usages(&["deriveKey"])])
        .await
        .map_err(|_| crypto_unavailable())?;
    let hkdf = params(&[
        ("name", JsValue::from_str("HKDF")),
        ("hash", JsValue::from_str("SHA-256")),
        ("salt", Uint8Array::from(HKDF_SALT).into()),
        ("info", Uint8Array::from(HKDF_INFO).into()),
    ]);
    let aes = params(&[("name", JsValue::from_str("AES-GCM")), ("length", JsValue::from_f64(256.0))]);
    call(subtle, "deriveKey", &[hkdf, base, aes, JsValue::FALSE, usages(&["encrypt", "decrypt"])]).await.map_err(|_| crypto_unavailable())
}

fn gcm(iv: &[u8; IV_LEN], cookie_name: &str) -> JsValue {
    params(&[
        ("name", JsValue::from_str("AES-GCM")),
        ("iv", Uint8Array::from(&iv[..]).into()),
        ("additionalData", Uint8Array::from(cookie_name.as_bytes()).into()),
        ("tagLength", JsValue::from_f64(128.0)),
    ])
}

fn bytes_of(buffer: &JsValue) -> Option<Vec<u8>> {
    buffer.dyn_ref::<ArrayBuffer>().map(|b| Uint8Array::new(b).to_vec())
}

async fn seal(pending: PendingAuthorization, secret: Vec<u8>, options: Options) -> Result<String> {
    let return_to = options.return_to.as_deref().map(|path| cookie::check_return_to(path, &options.allow)).transpose()?;
    if !(1..=cookie::MAX_MAX_AGE_SECONDS).contains(&options.max_age) {
        return Err(Error::new(ErrorCode::InvalidConfig, format!("maxAgeSeconds must be 1 to {}", cookie::MAX_MAX_AGE_SECONDS)));
    }
    let payload = CookiePayload { pending, return_to, expires_at: options.now.saturating_add(options.max_age * 1000) };
    let mut iv = [0u8; IV_LEN];
    getrandom::fill(&mut iv).map_err(|_| Error::new(ErrorCode::RandomUnavailable, "the platform's secure random number generator is not available"))?;
    let subtle = subtle()?;
    let key = derive_key(&subtle, &secret).await?;
    let plaintext: JsValue = Uint8Array::from(payload.to_json().as_bytes()).into();
    let sealed = call(&subtle, "encrypt", &[gcm(&iv, &options.name), key, plaintext]).await.map_err(|_| crypto_unavailable())?;
    let ciphertext = bytes_of(&sealed).ok_or_else(crypto_unavailable)?;
    cookie::set_cookie_header(&options.name, &Sealed { iv, ciphertext }.encode(), options.max_age)
}

async fn open(header: Option<String>, secret: Vec<u8>, options: Options) -> Result<CookiePayload> {
    let sealed = cookie::read_sealed(header.as_deref(), &options.name)?;
    let subtle = subtle()?;
    let key = derive_key(&subtle, &secret).await?;
    let ciphertext: JsValue = Uint8Array::from(sealed.ciphertext.as_slice()).into();
    // A failed tag check is the one answer for every kind of tampering, wrong secret or wrong name.
    let plaintext = call(&subtle, "decrypt", &[gcm(&sealed.iv, &options.name), key, ciphertext])
        .await
        .ok()
        .and_then(|b| bytes_of(&b))
        .ok_or_else(|| Error::new(ErrorCode::CookieInvalid, "the authorization cookie could not be opened (altered, or sealed with another cookieSecret): start the installation again"))?;
    let payload = CookiePayload::from_json(&plaintext, options.now)?;
    if let Some(path) = &payload.return_to {
        cookie::check_return_to(path, &options.allow)?;
    }
    Ok(payload)
}

/// Seals the pending authorization for the browser and returns the `Set-Cookie` header value
/// (`__Host-`, HttpOnly, Secure, SameSite=Lax, Path=/, Max-Age).
#[wasm_bindgen(js_name = sealPendingCookie, unchecked_return_type = "Promise<string>")]
pub fn seal_pending_cookie(
    #[wasm_bindgen(unchecked_param_type = "PendingAuthorization | string")] pending: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CookieSecret")] secret: JsValue,
    options: Option<SealCookieOptionsJs>,
) -> Promise {
    let options: Option<JsValue> = options.map(Into::into);
    future_to_promise(async move {
        let pending = pending_from_js(&pending).js()?;
        let secret = secret_bytes(&secret).js()?;
        let options = read_options(options, "sealPendingCookie options", true).js()?;
        seal(pending, secret, options).await.map(|header| JsValue::from_str(&header)).js()
    })
}

/// Finds the cookie in a `Cookie` request header, opens it and checks its expiry and return path.
/// Rejects with `cookie_missing`, `cookie_expired`, `cookie_invalid` or `invalid_return_to`.
#[wasm_bindgen(js_name = openPendingCookie, unchecked_return_type = "Promise<OpenedPendingCookie>")]
pub fn open_pending_cookie(
    #[wasm_bindgen(unchecked_param_type = "string | null | undefined")] cookie_header: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CookieSecret")] secret: JsValue,
    options: Option<OpenCookieOptionsJs>,
) -> Promise {
    let options: Option<JsValue> = options.map(Into::into);
    future_to_promise(async move {
        let secret = secret_bytes(&secret).js()?;
        let options = read_options(options, "openPendingCookie options", false).js()?;
        let payload = open(cookie_header.as_string(), secret, options).await.js()?;
        let result = Object::new();
        set(&result, "pending", &JsPending { inner: payload.pending }.into());
        if let Some(path) = payload.return_to {
            set(&result, "returnTo", &JsValue::from_str(&path));
        }
        Ok(result.into())
    })
}

/// The `Set-Cookie` header value that deletes the pending-authorization cookie.
#[wasm_bindgen(js_name = clearPendingCookie)]
pub fn clear_pending_cookie(options: Option<ClearCookieOptionsJs>) -> JsResult<String> {
    let name = options
        .and_then(|o| Reflect::get(&o, &JsValue::from_str("cookieName")).ok())
        .filter(|v| !v.is_undefined() && !v.is_null())
        .map(|v| v.as_string().ok_or_else(|| Error::new(ErrorCode::InvalidConfig, "cookieName must be a string")))
        .transpose()
        .js()?
        .unwrap_or_else(|| DEFAULT_COOKIE_NAME.to_string());
    cookie::clear_cookie_header(&name).js()
}
