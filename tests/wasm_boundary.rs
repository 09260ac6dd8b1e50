//! Boundary tests, run in Node by `wasm-pack test --node`: JS values in, JS values and
//! `HelpdeskOAuthError`s out, HTTP through an injected `fetch`.
#![cfg(target_arch = "wasm32")]

use helpdesk_oauth::wasm::client::JsClient;
use helpdesk_oauth::wasm::functions::{account_from_install_url, validate_account};
use helpdesk_oauth::wasm::token_set::JsTokenSet;
use js_sys::{Function, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn options(extra: &str) -> JsValue {
    JSON::parse(&format!(
        r#"{{"provider":"gorgias","clientId":"client-1","clientSecret":"s3cr3t","redirectUri":"https://app.example.com/cb","scopes":["openid","offline"]{extra}}}"#
    ))
    .unwrap()
}

fn client_with_fetch(fetch: &Function) -> JsClient {
    let opts = options("");
    Reflect::set(&opts, &"fetch".into(), fetch).unwrap();
    JsClient::new(opts.unchecked_into()).unwrap()
}

/// A fetch that records its last call on `globalThis.__lastFetch` and answers with `status` and `body`.
fn fake_fetch(status: u16, content_type: &str, body: &str) -> Function {
    Function::new_with_args(
        "url, init",
        &format!(
            "globalThis.__lastFetch = {{ url, init }}; return Promise.resolve(new Response({}, {{ status: {status}, headers: {{ 'content-type': {} }} }}));",
            JSON::stringify(&body.into()).unwrap().as_string().unwrap(),
            JSON::stringify(&content_type.into()).unwrap().as_string().unwrap()
        ),
    )
}

fn assert_error(err: &JsValue, code: &str) {
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error: {err:?}");
    assert_eq!(get(err, "name").as_string().as_deref(), Some("HelpdeskOAuthError"));
    assert_eq!(get(err, "code").as_string().as_deref(), Some(code), "{:?}", get(err, "message"));
}

#[wasm_bindgen_test]
fn bad_options_throw_typed_errors() {
    let err = JsClient::new(JSON::parse(r#"{"provider":"gorgias","clientId":"c"}"#).unwrap().unchecked_into()).err().unwrap();
    assert_error(&err, "invalid_config");
    let err = JsClient::new(options(r#","redirectUri2":"x""#).unchecked_into()).err().unwrap();
    assert_error(&err, "invalid_config");
    let err = JsClient::new(JsValue::from_str("gorgias").unchecked_into()).err().unwrap();
    assert_error(&err, "invalid_config");
    // A secret given with the wrong type is not echoed.
    let err = JsClient::new(JSON::parse(r#"{"provider":"gorgias","clientId":"c","clientSecret":12345678,"redirectUri":"https://a/cb"}"#).unwrap().unchecked_into()).err().unwrap();
    assert!(!get(&err, "message").as_string().unwrap().contains("12345678"));
}

#[wasm_bindgen_test]
fn authorize_builds_the_url_and_pending_record() {
    let client = JsClient::new(options("").unchecked_into()).unwrap();
    let params = JSON::parse(r#"{"account":"Acme","extraParams":{"prompt":"consent"}}"#).unwrap();
    let req = client.authorize(Some(params.unchecked_into())).unwrap();
    let url = req.url();
    assert!(url.starts_with("https://acme.gorgias.com/oauth/authorize?response_type=code&client_id=client-1&"), "{url}");
    assert!(url.contains(&format!("&state={}&", req.state())));
    assert!(url.ends_with("&prompt=consent"));
    let pending = req.pending();
    assert_eq!(pending.account().as_deref(), Some("acme"));
    assert!(!pending.to_string_js().contains(&pending.state()));
    let err = client.authorize(Some(JSON::parse(r#"{"account":"acme.gorgias.com.evil.com"}"#).unwrap().unchecked_into())).err().unwrap();
    assert_error(&err, "invalid_account");
    let err = client.authorize(Some(JSON::parse(r#"{"account":"acme","scope":["x"]}"#).unwrap().unchecked_into())).err().unwrap();
    assert_error(&err, "invalid_config");
    assert_eq!(get(&client.provider(), "clientAuth").as_string().as_deref(), Some("client_secret_basic"));
}

#[wasm_bindgen_test]
fn account_functions() {
    assert_eq!(validate_account("ACME").unwrap(), "acme");
    assert_error(&validate_account("%2e").err().unwrap(), "invalid_account");
    assert_eq!(account_from_install_url("https://app/install?account=acme", None).unwrap(), "acme");
    assert_error(&account_from_install_url("https://app/install", None).err().unwrap(), "invalid_install_request");
}

#[wasm_bindgen_test]
async fn exchange_code_goes_through_the_injected_fetch() {
    let fetch = fake_fetch(200, "application/json", r#"{"access_token":"AT-1","refresh_token":"RT-1","expires_in":"86400","token_type":"bearer","scope":"openid offline"}"#);
    let client = client_with_fetch(&fetch);
    // Without `openid`: no id_token is asked for, so the plain token response completes the exchange.
    let req = client.authorize(Some(JSON::parse(r#"{"account":"acme","scopes":["offline"]}"#).unwrap().unchecked_into())).unwrap();
    let callback = format!("https://app.example.com/cb?code=CODE-1&state={}", req.state());
    let pending = JsValue::from_str(&req.pending().serialize());
    let tokens = JsFuture::from(client.exchange_code(callback, pending)).await.unwrap();
    let last = Reflect::get(&js_sys::global(), &"__lastFetch".into()).unwrap();
    assert_eq!(get(&last, "url").as_string().as_deref(), Some("https://acme.gorgias.com/oauth/token"));
    let init = get(&last, "init");
    assert_eq!(get(&init, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(get(&init, "redirect").as_string().as_deref(), Some("manual"));
    assert!(get(&get(&init, "headers"), "Authorization").as_string().unwrap().starts_with("Basic "));
    assert_eq!(get(&init, "body").as_string().as_deref(), Some("grant_type=authorization_code&code=CODE-1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"));
    assert_eq!(get(&tokens, "accessToken").as_string().as_deref(), Some("AT-1"));
    assert_eq!(get(&tokens, "tokenType").as_string().as_deref(), Some("Bearer"));
    let text = js_sys::Function::from(get(&tokens, "toString")).call0(&tokens).unwrap().as_string().unwrap();
    assert!(!text.contains("AT-1") && !text.contains("RT-1"), "{text}");
}

#[wasm_bindgen_test]
async fn failures_reject_with_typed_errors() {
    let client = client_with_fetch(&fake_fetch(502, "text/html", "<html>Bad Gateway</html>"));
    let req = client.authorize(Some(JSON::parse(r#"{"account":"acme"}"#).unwrap().unchecked_into())).unwrap();
    let callback = format!("https://app.example.com/cb?code=c&state={}", req.state());
    let err = JsFuture::from(client.exchange_code(callback.clone(), req.pending().serialize().into())).await.unwrap_err();
    assert_error(&err, "server_error");
    assert_eq!(get(&err, "status").as_f64(), Some(502.0));
    assert_eq!(get(&err, "retryable").as_bool(), Some(true));

    let err = JsFuture::from(client.exchange_code("https://app.example.com/cb?code=c&state=forged".into(), req.pending().serialize().into())).await.unwrap_err();
    assert_error(&err, "state_mismatch");

    let rejecting = Function::new_with_args("url, init", "return Promise.reject(new TypeError('fetch failed'))");
    let client = client_with_fetch(&rejecting);
    let err = JsFuture::from(client.exchange_code(callback, req.pending().serialize().into())).await.unwrap_err();
    assert_error(&err, "network_error");

    let err = JsFuture::from(client.exchange_code("x".into(), JsValue::from_f64(1.0))).await.unwrap_err();
    assert_error(&err, "pending_invalid");
}

#[wasm_bindgen_test]
async fn refresh_keeps_the_refresh_token_and_token_sets_round_trip() {
    let stored = r#"{"v":1,"provider":"gorgias","account":"acme","token_type":"Bearer","access_token":"old","refresh_token":"RT","scope":["offline"],"expires_at":1,"obtained_at":0}"#;
    let tokens = JsTokenSet::from_json(stored.into()).unwrap();
    assert!(tokens.is_expired(None, None));
    assert_eq!(tokens.serialize(), stored);
    let client = client_with_fetch(&fake_fetch(200, "application/json", r#"{"access_token":"new","expires_in":86400,"token_type":"Bearer"}"#));
    let refreshed = JsFuture::from(client.refresh(&tokens)).await.unwrap();
    assert_eq!(get(&refreshed, "accessToken").as_string().as_deref(), Some("new"));
    assert_eq!(get(&refreshed, "refreshToken").as_string().as_deref(), Some("RT"));
    let err = JsTokenSet::from_json(Object::new().into()).err().unwrap();
    assert_error(&err, "token_set_invalid");
}
