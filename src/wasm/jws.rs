//! id_token signature verification with the host's WebCrypto (`crypto.subtle`), for providers
//! that publish signing keys (`jwksUri` or `jwks` in the provider config).

use super::fetch::Transport;
use crate::core::endpoint::fill;
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::http::HttpRequest;
use crate::core::json::{self, Value};
use crate::core::jws::{parse_signed, select_key, Alg};
use crate::core::providers::Provider;
use crate::core::token_response::json_object;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

fn crypto_error() -> Error {
    Error::new(ErrorCode::InvalidConfig, "WebCrypto (crypto.subtle) is not available to verify the id_token signature")
}

fn get(target: &JsValue, key: &str) -> Result<JsValue> {
    Reflect::get(target, &JsValue::from_str(key)).map_err(|_| crypto_error())
}

fn object(pairs: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

async fn call(subtle: &JsValue, method: &str, args: &[JsValue]) -> std::result::Result<JsValue, JsValue> {
    let f: Function = get(subtle, method).ok().and_then(|f| f.dyn_into().ok()).ok_or(JsValue::NULL)?;
    let promise: Promise = f.apply(subtle, &args.iter().collect::<Array>())?.dyn_into()?;
    JsFuture::from(promise).await
}

async fn key_set(provider: &Provider, account: Option<&str>, transport: &Transport) -> Result<Option<Value>> {
    if let Some(text) = &provider.jwks {
        return json::parse(text).map(Some).map_err(|_| Error::new(ErrorCode::InvalidConfig, "provider jwks is not valid JSON"));
    }
    let Some(template) = &provider.jwks_uri else { return Ok(None) };
    let request = HttpRequest {
        method: "GET",
        url: fill(template, account)?,
        headers: vec![("Accept".into(), "application/json".into())],
        body: None,
    };
    let response = transport.send(&request, "JWK set endpoint").await?;
    json_object(&response, "JWK set endpoint").map(Some)
}

/// Verifies the id_token's signature when the provider publishes keys; does nothing otherwise.
pub async fn verify_id_token(id_token: &str, provider: &Provider, account: Option<&str>, transport: &Transport) -> Result<()> {
    let Some(jwks) = key_set(provider, account, transport).await? else { return Ok(()) };
    let parts = parse_signed(id_token)?;
    let jwk = select_key(&jwks, &parts)?;
    let jwk_js = js_sys::JSON::parse(&jwk.to_json()).map_err(|_| crypto_error())?;
    let (import_params, verify_params) = match parts.alg {
        Alg::Rs256 => (object(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]), object(&[("name", "RSASSA-PKCS1-v1_5")])),
        Alg::Es256 => (object(&[("name", "ECDSA"), ("namedCurve", "P-256")]), object(&[("name", "ECDSA"), ("hash", "SHA-256")])),
    };
    let subtle = get(&get(&js_sys::global(), "crypto")?, "subtle")?;
    if subtle.is_undefined() {
        return Err(crypto_error());
    }
    let usages = Array::of1(&JsValue::from_str("verify"));
    let key = call(&subtle, "importKey", &[JsValue::from_str("jwk"), jwk_js, import_params.into(), JsValue::FALSE, usages.into()])
        .await
        .map_err(|_| Error::new(ErrorCode::IdTokenKeyNotFound, format!("the provider's {} key could not be imported", parts.alg.name())))?;
    let signature = Uint8Array::from(parts.signature.as_slice());
    let data = Uint8Array::from(parts.signing_input.as_bytes());
    let valid = call(&subtle, "verify", &[verify_params.into(), key, signature.into(), data.into()]).await.map_err(|_| crypto_error())?;
    if valid.as_bool() == Some(true) {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::IdTokenSignatureInvalid, "id_token signature does not verify with the provider's key"))
    }
}
