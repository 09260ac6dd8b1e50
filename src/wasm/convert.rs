//! Values across the boundary: a JS value becomes a core `json::Value` through serde (the small
//! deserializer in `from_js`), and a core value goes out through serde-wasm-bindgen. JSON text is
//! parsed by the host's `JSON.parse`.

use super::from_js::JsDeserializer;
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::json::{self, JsonError, Value};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// `JSON.parse` builds the value, serde walks it into the core's tree (which bounds the depth).
/// `None` for text that is not JSON, or nested too deep.
pub fn parse_json_text(text: &str) -> Option<Value> {
    let parsed = js_sys::JSON::parse(text).ok()?;
    Value::deserialize(JsDeserializer(parsed)).ok()
}

/// A JS argument (options, a stored record, a response) as a core value. Only plain data
/// crosses: a function or symbol inside it is refused with `code`.
pub fn value_from_js(value: JsValue, what: &'static str, code: ErrorCode) -> Result<Value> {
    json::reset_flags();
    match Value::deserialize(JsDeserializer(value)) {
        Ok(v) => Ok(v),
        Err(_) => Err(match json::last_error() {
            Some(JsonError::TooDeep) => Error::new(code, format!("{what} is nested too deeply")),
            _ => Error::new(code, format!("{what} must be plain data (strings, numbers, booleans, lists, objects)")),
        }),
    }
}

/// A core record or value as a plain JS value (objects as objects, not `Map`s; absent optional
/// members left out).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}
