//! The JS `OAuthClient`: the core's flow steps strung together around the host's `fetch`.

use super::error::{js_to_json, json_to_js, IntoJs, JsResult};
use super::fetch::Transport;
use super::jws::verify_id_token;
use super::pending::{lent, JsAuthorizationRequest};
use super::token_set::JsTokenSet;
use super::types::{AuthorizeParamsJs, ClientOptionsJs};
use crate::core::api_url::api_url;
use crate::core::authorize::{test_install_url, AuthorizeParams};
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::flow;
use crate::core::json::{Fields, ObjectWriter, Value};
use crate::core::pending::PendingAuthorization;
use crate::core::random::Randomness;
use js_sys::{Function, Promise, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use super::promise::promise;

const DEFAULT_TIMEOUT_MS: u32 = 30_000;

struct Shared {
    config: ClientConfig,
    transport: Transport,
    clock: Option<Function>,
}

impl Shared {
    fn now(&self) -> Result<u64> {
        let Some(clock) = &self.clock else { return Ok(js_sys::Date::now() as u64) };
        match clock.call0(&JsValue::UNDEFINED).ok().and_then(|v| v.as_f64()) {
            Some(ms) if ms.is_finite() && ms >= 0.0 => Ok(ms as u64),
            _ => Err(Error::new(ErrorCode::InvalidConfig, "the `now` option must return milliseconds since the epoch")),
        }
    }
}

/// An OAuth client for one app at one provider (all accounts of that provider).
#[wasm_bindgen(js_name = OAuthClient)]
pub struct JsClient {
    shared: Rc<Shared>,
}

fn authorize_params(value: &Value) -> Result<AuthorizeParams> {
    let mut f = Fields::new(value, "authorize() parameters", ErrorCode::InvalidConfig)?;
    let extra_params = match f.raw("extraParams") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(members)) => members
            .iter()
            .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| f.fail("extraParams", "an object of string values"))?,
        Some(_) => return Err(f.fail("extraParams", "an object of string values")),
    };
    let params = AuthorizeParams { account: f.string("account")?, scopes: f.strings("scopes")?, offline: f.bool("offline")?, extra_params };
    f.finish()?;
    Ok(params)
}

fn function_option(options: &JsValue, name: &str) -> Result<Option<Function>> {
    match Reflect::get(options, &JsValue::from_str(name)) {
        Ok(v) if v.is_undefined() || v.is_null() => Ok(None),
        Ok(v) => v.dyn_into::<Function>().map(Some).map_err(|_| Error::new(ErrorCode::InvalidConfig, format!("option `{name}` must be a function"))),
        Err(_) => Ok(None),
    }
}

fn timeout_option(options: &JsValue) -> Result<u32> {
    match Reflect::get(options, &JsValue::from_str("timeoutMs")).ok().filter(|v| !v.is_undefined()) {
        None => Ok(DEFAULT_TIMEOUT_MS),
        Some(v) => match v.as_f64() {
            Some(ms) if ms.is_finite() && (1.0..=600_000.0).contains(&ms) => Ok(ms as u32),
            _ => Err(Error::new(ErrorCode::InvalidConfig, "timeoutMs must be a number of milliseconds between 1 and 600000")),
        },
    }
}

/// A pending record given as the class or as its serialized string. The class is read through
/// `lent` (no JSON round trip, the caller's object stays usable); `serialize()` remains the way
/// in for objects of another instance of this module (ESM and CJS each load their own).
fn pending_from_js(value: &JsValue) -> Result<PendingAuthorization> {
    if let Some(text) = value.as_string() {
        return PendingAuthorization::deserialize(&text);
    }
    if let Some(pending) = lent(value) {
        return Ok(pending);
    }
    let serialize = Reflect::get(value, &JsValue::from_str("serialize")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    match serialize.and_then(|f| f.call0(value).ok()).and_then(|s| s.as_string()) {
        Some(text) => PendingAuthorization::deserialize(&text),
        None => Err(Error::new(ErrorCode::PendingInvalid, "pending must be a PendingAuthorization or the string from its serialize()")),
    }
}

#[wasm_bindgen(js_class = OAuthClient)]
impl JsClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: ClientOptionsJs) -> JsResult<JsClient> {
        let options: JsValue = options.into();
        if !options.is_object() {
            return Err(Error::new(ErrorCode::InvalidConfig, "OAuthClient needs an options object")).js();
        }
        let fetch = function_option(&options, "fetch").js()?;
        let clock = function_option(&options, "now").js()?;
        let timeout_ms = timeout_option(&options).js()?;
        let parsed = ClientOptions::from_value(&js_to_json(&options, "OAuthClient options").js()?).js()?;
        let config = ClientConfig::from_options(parsed).js()?;
        Ok(JsClient { shared: Rc::new(Shared { config, transport: Transport::new(fetch, timeout_ms), clock }) })
    }

    /// The resolved provider: preset values with the caller's overrides.
    #[wasm_bindgen(getter, unchecked_return_type = "ProviderInfo")]
    pub fn provider(&self) -> JsValue {
        let p = &self.shared.config.provider;
        let info = ObjectWriter::new()
            .string("id", &p.id)
            .string("authorizeUrl", &p.authorize_url)
            .string("tokenUrl", &p.token_url)
            .opt_string("revokeUrl", p.revoke_url.as_deref())
            .opt_string("apiBaseUrl", p.api_base_url.as_deref())
            .string("issuer", &p.issuer)
            .opt_string("testInstallUrl", p.test_install_url.as_deref())
            .string("clientAuth", p.client_auth.as_str())
            .string("scopeSeparator", &p.scope_separator)
            .opt_string("refreshScope", p.refresh_scope.as_deref())
            .bool("pkce", p.pkce)
            .bool("rotatesRefreshTokens", p.rotates_refresh_tokens)
            .bool("nonce", p.nonce)
            .bool("requiresIss", p.requires_iss)
            .finish();
        json_to_js(&info)
    }

    /// Builds the authorize URL with fresh `state`, `nonce` and PKCE verifier, and the pending
    /// record to keep until the callback.
    pub fn authorize(&self, params: Option<AuthorizeParamsJs>) -> JsResult<JsAuthorizationRequest> {
        let params = match params.map(JsValue::from).filter(|v| !v.is_undefined() && !v.is_null()) {
            None => AuthorizeParams::default(),
            Some(v) => authorize_params(&js_to_json(&v, "authorize() parameters").js()?).js()?,
        };
        let random = Randomness::generate().js()?;
        let now = self.shared.now().js()?;
        flow::start(&self.shared.config, params, random, now).map(|inner| JsAuthorizationRequest { inner }).js()
    }

    /// The draft-app install URL (Gorgias), to test the flow before the app is approved.
    #[wasm_bindgen(js_name = testInstallUrl)]
    pub fn test_install_url(&self, account: &str) -> JsResult<String> {
        test_install_url(&self.shared.config, account).js()
    }

    /// The provider's API URL for `path` in `account` (`crate::core::api_url`): paths and absolute
    /// URLs, dot segments resolved, must stay under the API base, so a bearer token is never sent
    /// to another host or endpoint; otherwise `invalid_api_path`.
    #[wasm_bindgen(js_name = apiUrl)]
    pub fn api_url(&self, path: &str, account: Option<String>) -> JsResult<String> {
        api_url(&self.shared.config.provider, path, account.as_deref()).js()
    }

    /// Checks the callback URL against the pending authorization (state, `iss`, age, provider
    /// error) and exchanges the code for tokens.
    #[wasm_bindgen(js_name = exchangeCode, unchecked_return_type = "Promise<TokenSet>")]
    pub fn exchange_code(&self, callback_url: String, #[wasm_bindgen(unchecked_param_type = "PendingAuthorization | string")] pending: JsValue) -> Promise {
        let shared = self.shared.clone();
        promise(async move {
            let pending = pending_from_js(&pending).js()?;
            let (code, request) = flow::callback(&shared.config, &callback_url, &pending, shared.now().js()?).js()?;
            let response = shared.transport.send(&request, "token endpoint").await.js()?;
            let (tokens, claims) = flow::finish_with_claims(&shared.config, &pending, &code.code, &response, shared.now().js()?).js()?;
            if let Some(id_token) = &tokens.id_token {
                verify_id_token(id_token.expose(), &shared.config.provider, pending.account.as_deref(), &shared.transport).await.js()?;
            }
            Ok(JsTokenSet { inner: tokens, claims }.into())
        })
    }

    /// Gets a new access token. The result keeps the old refresh token when the provider sends
    /// none (Gorgias) and carries the new one when it rotates (Kustomer): store the result before
    /// using it. On failure the given token set is unchanged and still yours.
    #[wasm_bindgen(unchecked_return_type = "Promise<TokenSet>")]
    pub fn refresh(&self, tokens: &JsTokenSet) -> Promise {
        let shared = self.shared.clone();
        let previous = tokens.inner.clone();
        promise(async move {
            let request = flow::refresh_request(&shared.config, &previous).js()?;
            let response = shared.transport.send(&request, "token endpoint").await.js()?;
            let tokens = flow::refresh_response(&shared.config, &previous, &response, shared.now().js()?).js()?;
            if let Some(id_token) = tokens.id_token.as_ref().filter(|t| previous.id_token.as_ref() != Some(*t)) {
                verify_id_token(id_token.expose(), &shared.config.provider, tokens.account.as_deref(), &shared.transport).await.js()?;
            }
            Ok(JsTokenSet { inner: tokens, claims: None }.into())
        })
    }

    /// Revokes the grant at the provider (RFC 7009): the refresh token, or the access token when
    /// there is no refresh token. Rejects with `revocation_unsupported` when the provider has no endpoint.
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn revoke(&self, tokens: &JsTokenSet) -> Promise {
        let shared = self.shared.clone();
        let tokens = tokens.inner.clone();
        promise(async move {
            let request = flow::revoke_request(&shared.config, &tokens).js()?;
            let response = shared.transport.send(&request, "revocation endpoint").await.js()?;
            flow::revoke_response(&shared.config, &tokens, &response).js()?;
            Ok(JsValue::UNDEFINED)
        })
    }

    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> String {
        format!("OAuthClient {{ provider: {}, clientSecret: [redacted] }}", self.shared.config.provider.id)
    }
}

