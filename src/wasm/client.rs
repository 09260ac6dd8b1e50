//! The client's flow steps as synchronous exports. Each `*Request` returns the HTTP request for
//! the JS layer to send (js/client.js); each `*Response` reads what came back. Records (pending
//! authorization, token set) travel as plain JS values and are checked again on the way in.

use super::convert::{to_js, value_from_js};
use super::error::{IntoJs, JsResult};
use crate::core::api_url::api_url;
use crate::core::authorize::{test_install_url, AuthorizeParams};
use crate::core::callback::AuthorizationCode;
use crate::core::config::{ClientConfig, ClientOptions};
use crate::core::error::{Error, ErrorCode, Result};
use crate::core::flow;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::json::{Fields, ObjectBuilder, Value};
use crate::core::jws::{parse_signed, select_key, Alg};
use crate::core::pending::PendingAuthorization;
use crate::core::providers::{Provider, TenantSource};
use crate::core::random::Randomness;
use crate::core::secret::Secret;
use crate::core::tenant::fill_url;
use crate::core::token_set::TokenSet;
use js_sys::Object;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// One app at one provider (all accounts of that provider). Made once per `OAuthClient`.
#[wasm_bindgen]
pub struct Client {
    config: ClientConfig,
    /// The last record read from JS, by identity: a flow step's request and response halves get
    /// the same record object from the JS layer, which never changes it, so the second half
    /// skips reading it again (a record crossing costs ~10 us: one call into JS per test).
    last_pending: RefCell<Option<(JsValue, PendingAuthorization)>>,
    last_tokens: RefCell<Option<(JsValue, TokenSet)>>,
}

fn now_ms(now: f64) -> Result<u64> {
    if now.is_finite() && now >= 0.0 {
        Ok(now as u64)
    } else {
        Err(Error::new(ErrorCode::InvalidConfig, "the `now` option must return milliseconds since the epoch"))
    }
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

fn request_to_js(request: &HttpRequest) -> JsValue {
    request.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

fn response_from_js(response: JsValue) -> Result<HttpResponse> {
    let value = value_from_js(response, "a response", ErrorCode::InvalidConfig)?;
    let mut f = Fields::new(&value, "a response", ErrorCode::InvalidConfig)?;
    let status = f.u64("status")?.filter(|s| *s <= 999).ok_or_else(|| f.fail("status", "an HTTP status"))? as u16;
    let response = HttpResponse { status, content_type: f.string("contentType")?, body: f.string("body")?.unwrap_or_default() };
    f.finish()?;
    Ok(response)
}

/// `read` of `value`, or the copy kept in `slot` when `value` is the object it was read from.
fn remembered<T: Clone>(slot: &RefCell<Option<(JsValue, T)>>, value: JsValue, read: impl FnOnce(JsValue) -> Result<T>) -> Result<T> {
    if let Some((seen, record)) = &*slot.borrow() {
        if value.is_object() && Object::is(seen, &value) {
            return Ok(record.clone());
        }
    }
    let record = read(value.clone())?;
    *slot.borrow_mut() = Some((value, record.clone()));
    Ok(record)
}

impl Client {
    fn pending_from_js(&self, pending: JsValue) -> Result<PendingAuthorization> {
        remembered(&self.last_pending, pending, |v| PendingAuthorization::from_value(&value_from_js(v, "pending authorization", ErrorCode::PendingInvalid)?))
    }

    fn tokens_from_js(&self, tokens: JsValue) -> Result<TokenSet> {
        remembered(&self.last_tokens, tokens, |v| TokenSet::from_value(&value_from_js(v, "token set", ErrorCode::TokenSetInvalid)?))
    }
}

impl Client {
    /// What to hand back after a token response: the stored form, the checked claims, and
    /// where to find the keys when the id_token's signature must still be verified (by WebCrypto
    /// in the JS layer).
    fn token_result(&self, tokens: &TokenSet, claims: Option<Value>, fresh_id_token: bool) -> JsValue {
        let p = &self.config.provider;
        let signature = (fresh_id_token && (p.jwks.is_some() || p.jwks_uri.is_some())).then(|| match (&p.jwks, &p.jwks_uri) {
            (Some(jwks), _) => ObjectBuilder::new().value("jwks", jwks.clone()).finish(),
            (None, Some(uri)) => {
                ObjectBuilder::new().opt_string("jwksUrl", fill_url(p, uri, tokens.account.as_deref(), tokens.tenant.as_deref()).ok().as_deref()).finish()
            }
            _ => ObjectBuilder::new().finish(),
        });
        to_js(&TokenResult { tokens, claims: claims.as_ref(), signature })
    }
}

/// What a token response step hands back to the JS layer.
#[derive(Serialize)]
struct TokenResult<'a> {
    tokens: &'a TokenSet,
    #[serde(skip_serializing_if = "Option::is_none")]
    claims: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signature: Option<Value>,
}

/// What `authorize` hands back: the URL and the pending record to keep.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Authorization<'a> {
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_challenge: Option<&'a str>,
    pending: &'a PendingAuthorization,
}

#[wasm_bindgen]
impl Client {
    /// `options`: the `OAuthClient` options without the JS-only ones (fetch, now, timeoutMs).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> JsResult<Client> {
        let value = value_from_js(options, "OAuthClient options", ErrorCode::InvalidConfig).js()?;
        let config = ClientOptions::from_value(&value).and_then(ClientConfig::from_options).js()?;
        Ok(Client { config, last_pending: RefCell::new(None), last_tokens: RefCell::new(None) })
    }

    /// The resolved provider: preset values with the caller's overrides.
    pub fn provider(&self) -> JsValue {
        to_js(&provider_info(&self.config.provider))
    }

    /// The authorize URL with fresh `state`, `nonce` and PKCE verifier, and the pending record.
    pub fn authorize(&self, params: JsValue, now: f64) -> JsResult<JsValue> {
        let params = if params.is_undefined() || params.is_null() {
            AuthorizeParams::default()
        } else {
            authorize_params(&value_from_js(params, "authorize() parameters", ErrorCode::InvalidConfig).js()?).js()?
        };
        let random = Randomness::generate().js()?;
        let request = flow::start(&self.config, params, random, now_ms(now).js()?).js()?;
        Ok(to_js(&Authorization { url: &request.url, code_challenge: request.code_challenge.as_deref(), pending: &request.pending }))
    }

    /// The draft-app install URL (Gorgias), to test the flow before the app is approved.
    #[wasm_bindgen(js_name = testInstallUrl)]
    pub fn test_install_url(&self, account: &str) -> JsResult<String> {
        test_install_url(&self.config, account).js()
    }

    /// The provider's API URL for `path` in `account` (`crate::core::api_url`): paths and absolute
    /// URLs, dot segments resolved, must stay under the API base, so a bearer token is never sent
    /// to another host or endpoint; otherwise `invalid_api_path`.
    #[wasm_bindgen(js_name = apiUrl)]
    pub fn api_url(&self, path: &str, account: Option<String>, tenant: Option<String>) -> JsResult<String> {
        api_url(&self.config.provider, path, account.as_deref(), tenant.as_deref()).js()
    }

    /// Checks the callback URL against the pending record (state, `iss`, age, provider error)
    /// and returns the code-exchange request.
    #[wasm_bindgen(js_name = exchangeRequest)]
    pub fn exchange_request(&self, callback_url: &str, pending: JsValue, now: f64) -> JsResult<JsValue> {
        let pending = self.pending_from_js(pending).js()?;
        let (code, request) = flow::callback(&self.config, callback_url, &pending, now_ms(now).js()?).js()?;
        // The code goes back with the request: `exchangeResponse` keeps it out of error text.
        // So does the tenant the callback named (Zoho), which the token set keeps.
        let out = request_to_js(&request);
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str("code"), &JsValue::from_str(code.code.expose()));
        if let Some(tenant) = &code.tenant {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str("tenant"), &JsValue::from_str(tenant));
        }
        Ok(out)
    }

    /// Reads the code-exchange response: `{ tokens, claims?, signature? }`. `code` and `tenant`
    /// are the ones `exchangeRequest` returned.
    #[wasm_bindgen(js_name = exchangeResponse)]
    pub fn exchange_response(&self, pending: JsValue, code: &str, tenant: Option<String>, response: JsValue, now: f64) -> JsResult<JsValue> {
        let pending = self.pending_from_js(pending).js()?;
        let response = response_from_js(response).js()?;
        let code = AuthorizationCode { code: Secret::new(code), tenant };
        let (tokens, claims) = flow::finish_with_claims(&self.config, &pending, &code, &response, now_ms(now).js()?).js()?;
        let fresh = tokens.id_token.is_some();
        Ok(self.token_result(&tokens, claims, fresh))
    }

    #[wasm_bindgen(js_name = refreshRequest)]
    pub fn refresh_request(&self, tokens: JsValue) -> JsResult<JsValue> {
        let tokens = self.tokens_from_js(tokens).js()?;
        flow::refresh_request(&self.config, &tokens).map(|r| request_to_js(&r)).js()
    }

    /// Reads a refresh response: `{ tokens, signature? }`. The result keeps the old refresh
    /// token when the provider sends none and carries the new one when it rotates.
    #[wasm_bindgen(js_name = refreshResponse)]
    pub fn refresh_response(&self, previous: JsValue, response: JsValue, now: f64) -> JsResult<JsValue> {
        let previous = self.tokens_from_js(previous).js()?;
        let response = response_from_js(response).js()?;
        let tokens = flow::refresh_response(&self.config, &previous, &response, now_ms(now).js()?).js()?;
        let fresh = tokens.id_token.is_some() && tokens.id_token != previous.id_token;
        Ok(self.token_result(&tokens, None, fresh))
    }

    #[wasm_bindgen(js_name = revokeRequest)]
    pub fn revoke_request(&self, tokens: JsValue) -> JsResult<JsValue> {
        let tokens = self.tokens_from_js(tokens).js()?;
        flow::revoke_request(&self.config, &tokens).map(|r| request_to_js(&r)).js()
    }

    #[wasm_bindgen(js_name = revokeResponse)]
    pub fn revoke_response(&self, tokens: JsValue, response: JsValue) -> JsResult<()> {
        let tokens = self.tokens_from_js(tokens).js()?;
        flow::revoke_response(&self.config, &tokens, &response_from_js(response).js()?).js()
    }

    /// What WebCrypto needs to verify the id_token's signature: the key chosen from `jwks` (the
    /// provider's set, or the JWK set endpoint's response when `response` is given), the
    /// algorithm's WebCrypto parameters, the signing input and the signature.
    #[wasm_bindgen(js_name = signatureCheck)]
    pub fn signature_check(&self, id_token: &str, jwks_response: JsValue) -> JsResult<JsValue> {
        let fetched;
        let jwks = if jwks_response.is_undefined() {
            self.config.provider.jwks.as_ref().ok_or_else(|| Error::new(ErrorCode::InvalidConfig, "provider has no jwks")).js()?
        } else {
            let response = response_from_js(jwks_response).js()?;
            fetched = crate::core::token_response::json_object(&response, "JWK set endpoint").js()?;
            &fetched
        };
        let parts = parse_signed(id_token).js()?;
        let jwk = select_key(jwks, &parts).js()?;
        let (import, verify) = match parts.alg {
            Alg::Rs256 => {
                (ObjectBuilder::new().string("name", "RSASSA-PKCS1-v1_5").string("hash", "SHA-256"), ObjectBuilder::new().string("name", "RSASSA-PKCS1-v1_5"))
            }
            Alg::Es256 => (
                ObjectBuilder::new().string("name", "ECDSA").string("namedCurve", "P-256"),
                ObjectBuilder::new().string("name", "ECDSA").string("hash", "SHA-256"),
            ),
        };
        let out = ObjectBuilder::new()
            .string("alg", parts.alg.name())
            .value("jwk", jwk.clone())
            .value("importParams", import.finish())
            .value("verifyParams", verify.finish())
            .string("signingInput", &parts.signing_input)
            .finish();
        let out = to_js(&out);
        let signature = js_sys::Uint8Array::from(parts.signature.as_slice());
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str("signature"), &signature);
        Ok(out)
    }
}

fn pairs_value(pairs: &[(String, String)]) -> Value {
    Value::Object(pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// What `OAuthClient#provider` shows (`ProviderInfo` in core.d.ts).
fn provider_info(p: &Provider) -> Value {
    let strings = |list: &[String]| Value::Array(list.iter().cloned().map(Value::String).collect());
    let revocation = ObjectBuilder::new().string("method", p.revocation.method).string("token", p.revocation.token.as_str()).finish();
    let mut info = ObjectBuilder::new()
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
        .value("omitAuthorizeParams", strings(&p.omit_params))
        .value("offlineParams", pairs_value(&p.offline_params))
        .value("tokenParams", pairs_value(&p.token_params))
        .opt_string("expiresAtField", p.expires_at_field.as_deref())
        .bool("errorsIn200", p.errors.in_200)
        .value("errorFields", strings(&p.errors.fields))
        .value("errorAliases", pairs_value(&p.errors.aliases))
        .value("revocation", revocation)
        .string("apiAuthScheme", &p.api_auth_scheme)
        .string("retryAfterHeader", &p.retry_after_header)
        .opt_string("rateLimitResetHeader", p.rate_limit_reset_header.as_deref())
        .bool("refreshOn401", p.refresh_on_401);
    if let Some(t) = &p.tenant {
        let from = if t.source == TenantSource::Callback { "callback" } else { "token" };
        let mut tenant = ObjectBuilder::new().string("from", from).string("param", &t.param);
        if !t.values.is_empty() {
            tenant = tenant.value("values", pairs_value(&t.values));
        }
        info = info.value("tenant", tenant.opt_string("default", t.default.as_deref()).finish());
    }
    info.finish()
}
