//! Turning core errors into the JS `HelpdeskOAuthError`.

use crate::core::error::Error;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = HelpdeskOAuthError)]
    type JsError;

    #[wasm_bindgen(constructor, js_class = "HelpdeskOAuthError")]
    fn new(code: &str, message: &str, details: &Object) -> JsError;
}

fn set(obj: &Object, key: &str, value: JsValue) {
    // Reflect.set on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

pub fn to_js(error: Error) -> JsValue {
    let details = Object::new();
    set(&details, "retryable", JsValue::from_bool(error.is_retryable()));
    if let Some(status) = error.status {
        set(&details, "status", JsValue::from_f64(status as f64));
    }
    if let Some(d) = &error.description {
        set(&details, "description", JsValue::from_str(d));
    }
    if let Some(u) = &error.uri {
        set(&details, "uri", JsValue::from_str(u));
    }
    if let Some(o) = &error.oauth_error {
        set(&details, "oauthError", JsValue::from_str(o));
    }
    JsError::new(error.code.as_str(), &error.message, &details).into()
}

pub type JsResult<T> = Result<T, JsValue>;

pub trait IntoJs<T> {
    fn js(self) -> JsResult<T>;
}

impl<T> IntoJs<T> for Result<T, Error> {
    fn js(self) -> JsResult<T> {
        self.map_err(to_js)
    }
}
