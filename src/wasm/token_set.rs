//! The JS `TokenSet` class. Tokens stay in wasm memory; JS sees them only through the getters,
//! so `util.inspect`, `console.log` and `String()` show no secret.

use super::error::{json_to_js, IntoJs, JsResult};
use crate::core::error::{Error, ErrorCode};
use crate::core::json::Value;
use crate::core::jwt;
use crate::core::token_set::TokenSet;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = TokenSet)]
pub struct JsTokenSet {
    pub(crate) inner: TokenSet,
    /// The id_token claims already decoded by the exchange's checks, kept for `idTokenClaims()`
    /// (decoding twice was ~15 % of an exchange with a 2 KB response); `None` means decode on call.
    pub(crate) claims: Option<Value>,
}

#[wasm_bindgen(js_class = TokenSet)]
impl JsTokenSet {
    #[wasm_bindgen(getter, js_name = accessToken)]
    pub fn access_token(&self) -> String {
        self.inner.access_token.expose().to_string()
    }
    #[wasm_bindgen(getter, js_name = refreshToken)]
    pub fn refresh_token(&self) -> Option<String> {
        self.inner.refresh_token.as_ref().map(|s| s.expose().to_string())
    }
    #[wasm_bindgen(getter, js_name = idToken)]
    pub fn id_token(&self) -> Option<String> {
        self.inner.id_token.as_ref().map(|s| s.expose().to_string())
    }
    /// Always "Bearer".
    #[wasm_bindgen(getter, js_name = tokenType)]
    pub fn token_type(&self) -> String {
        self.inner.token_type.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn scopes(&self) -> Vec<String> {
        self.inner.scopes.clone()
    }
    /// ms since the epoch; undefined when the provider gave no lifetime and the token is opaque.
    /// `expires_in: 0` means expired now, unless the access token is a JWT with its own `exp`.
    #[wasm_bindgen(getter, js_name = expiresAt)]
    pub fn expires_at(&self) -> Option<f64> {
        self.inner.expires_at.map(|v| v as f64)
    }
    /// ms since the epoch
    #[wasm_bindgen(getter, js_name = obtainedAt)]
    pub fn obtained_at(&self) -> f64 {
        self.inner.obtained_at as f64
    }
    #[wasm_bindgen(getter)]
    pub fn account(&self) -> Option<String> {
        self.inner.account.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> String {
        self.inner.provider.clone()
    }

    /// True when the access token is expired or expires within `skewSeconds` (default 0) of
    /// `nowMs` (default `Date.now()`). An unknown expiry is never "expired".
    #[wasm_bindgen(js_name = isExpired)]
    pub fn is_expired(&self, skew_seconds: Option<f64>, now_ms: Option<f64>) -> bool {
        let now = now_ms.unwrap_or_else(js_sys::Date::now).max(0.0) as u64;
        let skew = skew_seconds.unwrap_or(0.0).max(0.0) as u64;
        self.inner.is_expired(now, skew)
    }

    /// The id_token's claims, decoded but not signature-checked; undefined without an id_token.
    #[wasm_bindgen(js_name = idTokenClaims, unchecked_return_type = "IdTokenClaims | undefined")]
    pub fn id_token_claims(&self) -> JsResult<JsValue> {
        let Some(token) = &self.inner.id_token else { return Ok(JsValue::UNDEFINED) };
        let text = match &self.claims {
            Some(claims) => claims.to_json(),
            None => jwt::decode_claims(token.expose()).js()?.to_json(),
        };
        Ok(json_to_js(&text))
    }

    /// The storage form (versioned); `JSON.stringify(tokens)` uses it.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "TokenSetJSON")]
    pub fn to_json(&self) -> JsValue {
        json_to_js(&self.inner.to_json())
    }

    /// The storage form as a string.
    pub fn serialize(&self) -> String {
        self.inner.to_json()
    }

    /// Reads the storage form back, as a string or as the parsed object.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(#[wasm_bindgen(unchecked_param_type = "string | TokenSetJSON")] json: JsValue) -> JsResult<JsTokenSet> {
        let text = match json.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&json)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| Error::new(ErrorCode::TokenSetInvalid, "TokenSet.fromJSON takes a string or the object from toJSON()"))
                .js()?,
        };
        TokenSet::from_json(&text).map(|inner| JsTokenSet { inner, claims: None }).js()
    }

    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!(
            "TokenSet {{ provider: {}, account: {}, accessToken: [redacted], refreshToken: {} }}",
            self.inner.provider,
            self.inner.account.as_deref().unwrap_or("-"),
            if self.inner.refresh_token.is_some() { "[redacted]" } else { "none" }
        )
    }
}
