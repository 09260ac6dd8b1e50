//! The stored records (token set, pending authorization) as plain JS values: read back with the
//! same checks as fresh input, and id_token claims decoded on demand.

use super::convert::{to_js, value_from_js};
use super::error::{IntoJs, JsResult};
use crate::core::error::ErrorCode;
use crate::core::jwt;
use crate::core::pending::PendingAuthorization;
use crate::core::token_set::TokenSet;
use wasm_bindgen::prelude::*;

/// Checks a stored token set (the object from `TokenSet#serialize` parsed) and returns its
/// normal form.
#[wasm_bindgen(js_name = readTokenSet)]
pub fn read_token_set(record: JsValue) -> JsResult<JsValue> {
    let value = value_from_js(record, "stored token set", ErrorCode::TokenSetInvalid).js()?;
    TokenSet::from_value(&value).map(|t| to_js(&t)).js()
}

/// Checks a stored pending authorization and returns its normal form.
#[wasm_bindgen(js_name = readPending)]
pub fn read_pending(record: JsValue) -> JsResult<JsValue> {
    let value = value_from_js(record, "pending authorization", ErrorCode::PendingInvalid).js()?;
    PendingAuthorization::from_value(&value).map(|p| to_js(&p)).js()
}

/// The claims of an id_token, decoded but not signature-checked.
#[wasm_bindgen(js_name = decodeIdTokenClaims)]
pub fn decode_id_token_claims(id_token: &str) -> JsResult<JsValue> {
    jwt::decode_claims(id_token).map(|c| to_js(&c)).js()
}
