//! The pending-authorization cookie's parts that need no cipher: options, the sealed value's
//! layout, the plaintext record and its checks. Sealing itself (AES-GCM-256 under an HKDF-SHA-256
//! key, WebCrypto) is the JS layer's (js/cookie.js); the layout lives in `crate::core::cookie`.

use super::convert::{to_js, value_from_js};
use super::error::{IntoJs, JsResult};
use crate::core::cookie::{self, CookiePayload, Sealed, DEFAULT_COOKIE_NAME, DEFAULT_MAX_AGE_SECONDS, IV_LEN};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::json::{Fields, Value};
use crate::core::pending::PendingAuthorization;
use js_sys::Uint8Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

// Fixed HKDF salt and info: they separate this key from any other use of the same app secret.
const HKDF_SALT: &[u8] = b"helpdesk-oauth/pending-cookie";
const HKDF_INFO: &[u8] = b"helpdesk-oauth pending cookie v1 aes-256-gcm";

struct Options {
    name: String,
    return_to: Option<String>,
    allow: Vec<String>,
    max_age: u64,
    now: u64,
}

fn read_options(options: JsValue, what: &'static str, sealing: bool, now: f64) -> Result<Options> {
    let value = if options.is_undefined() || options.is_null() { Value::Object(Vec::new()) } else { value_from_js(options, what, ErrorCode::InvalidConfig)? };
    let mut f = Fields::new(&value, what, ErrorCode::InvalidConfig)?;
    let name = f.string("cookieName")?.unwrap_or_else(|| DEFAULT_COOKIE_NAME.to_string());
    let allow = f.strings("allowReturnTo")?.unwrap_or_default();
    let now = f.u64("now")?.unwrap_or(now.max(0.0) as u64);
    let (return_to, max_age) =
        if sealing { (f.string("returnTo")?, f.u64("maxAgeSeconds")?.unwrap_or(DEFAULT_MAX_AGE_SECONDS)) } else { (None, DEFAULT_MAX_AGE_SECONDS) };
    f.finish()?;
    cookie::validate_cookie_name(&name)?;
    Ok(Options { name, return_to, allow, max_age, now })
}

/// The secret's bytes (a string's UTF-8), within the length bounds.
#[wasm_bindgen(js_name = cookieSecretBytes)]
pub fn cookie_secret_bytes(secret: JsValue) -> JsResult<Vec<u8>> {
    let bytes = if let Some(text) = secret.as_string() {
        text.into_bytes()
    } else if secret.is_instance_of::<Uint8Array>() {
        Uint8Array::from(secret).to_vec()
    } else {
        return Err(Error::new(ErrorCode::InvalidConfig, "cookieSecret must be a string or a Uint8Array")).js();
    };
    cookie::check_cookie_secret(&bytes).js()?;
    Ok(bytes)
}

/// HKDF salt and info for the cookie key.
#[wasm_bindgen(js_name = cookieKdf)]
pub fn cookie_kdf() -> Vec<Uint8Array> {
    vec![Uint8Array::from(HKDF_SALT), Uint8Array::from(HKDF_INFO)]
}

/// Checks the seal options and the pending record and returns what to encrypt:
/// `{ name, maxAge, payload }` (the payload is stringified and sealed by the JS layer).
#[wasm_bindgen(js_name = cookieToSeal)]
pub fn cookie_to_seal(pending: JsValue, options: JsValue, now: f64) -> JsResult<JsValue> {
    let options = read_options(options, "sealPendingCookie options", true, now).js()?;
    let pending = PendingAuthorization::from_value(&value_from_js(pending, "pending authorization", ErrorCode::PendingInvalid).js()?).js()?;
    let return_to = options.return_to.as_deref().map(|path| cookie::check_return_to(path, &options.allow)).transpose().js()?;
    if !(1..=cookie::MAX_MAX_AGE_SECONDS).contains(&options.max_age) {
        return Err(Error::new(ErrorCode::InvalidConfig, format!("maxAgeSeconds must be 1 to {}", cookie::MAX_MAX_AGE_SECONDS))).js();
    }
    let payload = CookiePayload { pending, return_to, expires_at: options.now.saturating_add(options.max_age * 1000) };
    Ok(to_js(&ToSeal { name: &options.name, max_age: options.max_age, payload: &payload }))
}

/// The `Set-Cookie` value for a sealed payload.
#[wasm_bindgen(js_name = cookieSetHeader)]
pub fn cookie_set_header(name: &str, iv: &[u8], ciphertext: Vec<u8>, max_age: u32) -> JsResult<String> {
    let iv: [u8; IV_LEN] = iv.try_into().map_err(|_| Error::new(ErrorCode::InvalidConfig, "the cookie IV must be 12 bytes")).js()?;
    cookie::set_cookie_header(name, &Sealed { iv, ciphertext }.encode(), max_age as u64).js()
}

/// Finds the sealed value in a `Cookie` header: `{ name, iv, ciphertext }`. Rejects with
/// `cookie_missing` or `cookie_invalid`.
#[wasm_bindgen(js_name = cookieSealed)]
pub fn cookie_sealed(cookie_header: Option<String>, options: JsValue, now: f64) -> JsResult<Vec<JsValue>> {
    let options = read_options(options, "openPendingCookie options", false, now).js()?;
    let sealed = cookie::read_sealed(cookie_header.as_deref(), &options.name).js()?;
    Ok(vec![JsValue::from_str(&options.name), Uint8Array::from(&sealed.iv[..]).into(), Uint8Array::from(sealed.ciphertext.as_slice()).into()])
}

/// Checks an opened payload (parsed by the host) and returns `{ pending, returnTo? }`.
#[wasm_bindgen(js_name = cookieOpened)]
pub fn cookie_opened(payload: JsValue, options: JsValue, now: f64) -> JsResult<JsValue> {
    let options = read_options(options, "openPendingCookie options", false, now).js()?;
    let invalid = || Error::new(ErrorCode::CookieInvalid, "the authorization cookie is not valid (its content is not JSON): start the installation again");
    let value = value_from_js(payload, "authorization cookie", ErrorCode::CookieInvalid).map_err(|_| invalid()).js()?;
    let payload = CookiePayload::from_value(&value, options.now).js()?;
    if let Some(path) = &payload.return_to {
        cookie::check_return_to(path, &options.allow).js()?;
    }
    Ok(to_js(&Opened { pending: &payload.pending, return_to: payload.return_to.as_deref() }))
}

/// The `Set-Cookie` header value that deletes the pending-authorization cookie.
#[wasm_bindgen(js_name = clearCookieHeader)]
pub fn clear_cookie_header(name: Option<String>) -> JsResult<String> {
    cookie::clear_cookie_header(name.as_deref().unwrap_or(DEFAULT_COOKIE_NAME)).js()
}

/// What `cookieToSeal` hands back: the plaintext to seal and the cookie's name and lifetime.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToSeal<'a> {
    name: &'a str,
    max_age: u64,
    payload: &'a CookiePayload,
}

/// What `cookieOpened` hands back.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Opened<'a> {
    pending: &'a PendingAuthorization,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_to: Option<&'a str>,
}
