//! JS classes for the authorization request and the pending authorization record.

use super::error::{json_to_js, IntoJs, JsResult};
use crate::core::authorize::AuthorizationRequest as CoreRequest;
use crate::core::pending::PendingAuthorization as CorePending;
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// Where `__lend` puts a copy of the record for `lent` to take (wasm here is single-threaded).
    static LENT: RefCell<Option<CorePending>> = const { RefCell::new(None) };
}

/// The record behind a `PendingAuthorization` of this module instance, copied out through the
/// object's own method: a by-value conversion would free the caller's object, and `serialize()`
/// costs a JSON write and parse. `None` for anything else (strings, other instances' objects).
pub fn lent(value: &JsValue) -> Option<CorePending> {
    let lend = Reflect::get(value, &JsValue::from_str("__lend")).ok()?.dyn_into::<Function>().ok()?;
    LENT.with(|slot| slot.borrow_mut().take());
    lend.call0(value).ok()?;
    LENT.with(|slot| slot.borrow_mut().take())
}

/// What the host keeps between `authorize()` and the callback: server-side, or sealed in a cookie.
/// It holds the PKCE verifier; `toString()` and inspection never show it.
#[wasm_bindgen(js_name = PendingAuthorization)]
pub struct JsPending {
    pub(crate) inner: CorePending,
}

#[wasm_bindgen(js_class = PendingAuthorization)]
impl JsPending {
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.inner.state.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn nonce(&self) -> Option<String> {
        self.inner.nonce.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn account(&self) -> Option<String> {
        self.inner.account.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> String {
        self.inner.provider.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn issuer(&self) -> String {
        self.inner.issuer.clone()
    }
    #[wasm_bindgen(getter, js_name = redirectUri)]
    pub fn redirect_uri(&self) -> String {
        self.inner.redirect_uri.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn scopes(&self) -> Vec<String> {
        self.inner.scopes.clone()
    }
    /// ms since the epoch
    #[wasm_bindgen(getter, js_name = createdAt)]
    pub fn created_at(&self) -> f64 {
        self.inner.created_at as f64
    }

    /// Not API: see `lent`.
    #[wasm_bindgen(js_name = __lend, skip_typescript)]
    pub fn lend(&self) {
        LENT.with(|slot| *slot.borrow_mut() = Some(self.inner.clone()));
    }

    /// A string to store until the callback; `PendingAuthorization.deserialize` reads it back.
    pub fn serialize(&self) -> String {
        self.inner.serialize()
    }

    pub fn deserialize(text: &str) -> JsResult<JsPending> {
        CorePending::deserialize(text).map(|inner| JsPending { inner }).js()
    }

    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "PendingAuthorizationJSON")]
    pub fn to_json(&self) -> JsValue {
        json_to_js(&self.inner.serialize())
    }

    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("PendingAuthorization {{ provider: {}, account: {}, verifier: [redacted] }}", self.inner.provider, self.inner.account.as_deref().unwrap_or("-"))
    }
}

/// The URL to send the user to, and the pending record to keep.
#[wasm_bindgen(js_name = AuthorizationRequest)]
pub struct JsAuthorizationRequest {
    pub(crate) inner: CoreRequest,
}

#[wasm_bindgen(js_class = AuthorizationRequest)]
impl JsAuthorizationRequest {
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> String {
        self.inner.url.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn state(&self) -> String {
        self.inner.pending.state.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn nonce(&self) -> Option<String> {
        self.inner.pending.nonce.clone()
    }
    #[wasm_bindgen(getter, js_name = codeChallenge)]
    pub fn code_challenge(&self) -> Option<String> {
        self.inner.code_challenge.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn account(&self) -> Option<String> {
        self.inner.pending.account.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn pending(&self) -> JsPending {
        JsPending { inner: self.inner.pending.clone() }
    }

    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("AuthorizationRequest {{ url: {} }}", self.inner.url)
    }
}
