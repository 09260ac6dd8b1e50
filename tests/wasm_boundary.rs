//! Boundary tests, run in Node by `wasm-pack test --node`: plain JS values in, plain JS values and
//! `HelpdeskOAuthError`s out. Every export is synchronous; HTTP is the JS layer's (tests/node).
#![cfg(target_arch = "wasm32")]

use helpdesk_oauth::wasm::client::Client;
use helpdesk_oauth::wasm::functions::{account_from_install_url, validate_account};
use helpdesk_oauth::wasm::records::{decode_id_token_claims, read_pending, read_token_set};
use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn js(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn options(extra: &str) -> JsValue {
    js(&format!(
        r#"{{"provider":"gorgias","clientId":"client-1","clientSecret":"s3cr3t","redirectUri":"https://app.example.com/cb","scopes":["openid","offline"]{extra}}}"#
    ))
}

fn response(status: u16, content_type: &str, body: &str) -> JsValue {
    let r = js_sys::Object::new();
    Reflect::set(&r, &"status".into(), &JsValue::from_f64(status as f64)).unwrap();
    Reflect::set(&r, &"contentType".into(), &content_type.into()).unwrap();
    Reflect::set(&r, &"body".into(), &body.into()).unwrap();
    r.into()
}

fn assert_error(err: &JsValue, code: &str) {
    assert!(err.is_instance_of::<js_sys::Error>(), "not an Error: {err:?}");
    assert_eq!(get(err, "name").as_string().as_deref(), Some("HelpdeskOAuthError"));
    assert_eq!(get(err, "code").as_string().as_deref(), Some(code), "{:?}", get(err, "message"));
}

const NOW: f64 = 1_700_000_000_000.0;

#[wasm_bindgen_test]
fn bad_options_throw_typed_errors() {
    assert_error(&Client::new(js(r#"{"provider":"gorgias","clientId":"c"}"#)).err().unwrap(), "invalid_config");
    assert_error(&Client::new(options(r#","redirectUri2":"x""#)).err().unwrap(), "invalid_config");
    assert_error(&Client::new(JsValue::from_str("gorgias")).err().unwrap(), "invalid_config");
    // A function inside the data is refused, not silently dropped.
    let with_fn = options("");
    Reflect::set(&with_fn, &"scopes".into(), &js_sys::Function::new_no_args("")).unwrap();
    assert_error(&Client::new(with_fn).err().unwrap(), "invalid_config");
    // A secret given with the wrong type is not echoed.
    let err = Client::new(js(r#"{"provider":"gorgias","clientId":"c","clientSecret":12345678,"redirectUri":"https://a/cb"}"#)).err().unwrap();
    assert!(!get(&err, "message").as_string().unwrap().contains("12345678"));
}

#[wasm_bindgen_test]
fn deep_values_are_refused_without_exhausting_the_stack() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let opts = options("");
    Reflect::set(&opts, &"scopes".into(), &js(&deep)).unwrap();
    assert_error(&Client::new(opts).err().unwrap(), "invalid_config");
    // The module still works afterwards.
    Client::new(options("")).unwrap();
}

#[wasm_bindgen_test]
fn authorize_returns_the_url_and_the_pending_record() {
    let client = Client::new(options("")).unwrap();
    let req = client.authorize(js(r#"{"account":"Acme","extraParams":{"prompt":"consent"}}"#), NOW).unwrap();
    let url = get(&req, "url").as_string().unwrap();
    let pending = get(&req, "pending");
    let state = get(&pending, "state").as_string().unwrap();
    assert!(url.starts_with("https://acme.gorgias.com/oauth/authorize?response_type=code&client_id=client-1&"), "{url}");
    assert!(url.contains(&format!("&state={state}&")));
    assert!(url.ends_with("&prompt=consent"));
    assert_eq!(get(&pending, "account").as_string().as_deref(), Some("acme"));
    assert_eq!(get(&pending, "v").as_f64(), Some(1.0));
    // The record reads back as it was written.
    assert_eq!(JSON::stringify(&read_pending(pending.clone()).unwrap()).unwrap(), JSON::stringify(&pending).unwrap());
    assert_error(&client.authorize(js(r#"{"account":"acme.gorgias.com.evil.com"}"#), NOW).err().unwrap(), "invalid_account");
    assert_error(&client.authorize(js(r#"{"account":"acme","scope":["x"]}"#), NOW).err().unwrap(), "invalid_config");
    assert_error(&client.authorize(JsValue::UNDEFINED, f64::NAN).err().unwrap(), "invalid_config");
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
fn code_exchange_is_a_request_value_and_a_response_read() {
    let client = Client::new(options("")).unwrap();
    let req = client.authorize(js(r#"{"account":"acme"}"#), NOW).unwrap();
    let pending = get(&req, "pending");
    let state = get(&pending, "state").as_string().unwrap();
    let request = client.exchange_request(&format!("https://app.example.com/cb?code=CODE-1&state={state}"), pending.clone(), NOW + 1000.0).unwrap();
    assert_eq!(get(&request, "url").as_string().as_deref(), Some("https://acme.gorgias.com/oauth/token"));
    assert_eq!(get(&request, "method").as_string().as_deref(), Some("POST"));
    assert_eq!(get(&request, "body").as_string().as_deref(), Some("grant_type=authorization_code&code=CODE-1&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"));
    let headers = js_sys::Array::from(&get(&request, "headers"));
    assert!(headers.iter().any(|h| js_sys::Array::from(&h).get(0).as_string().as_deref() == Some("Authorization")));

    let body = r#"{"access_token":"AT-1","refresh_token":"RT-1","expires_in":"86400","token_type":"bearer","scope":"openid offline"}"#;
    assert_eq!(get(&request, "code").as_string().as_deref(), Some("CODE-1"));
    // Gorgias sent a nonce: a response without an id_token is refused (code injection).
    let err = client.exchange_response(pending.clone(), "CODE-1", None, response(200, "application/json", body), NOW + 2000.0).err().unwrap();
    assert_error(&err, "id_token_missing");
    // Without `openid` no nonce is sent, and the same response is read.
    let plain = client.authorize(js(r#"{"account":"acme","scopes":["offline","tickets:read"]}"#), NOW).unwrap();
    let result = client.exchange_response(get(&plain, "pending"), "CODE-1", None, response(200, "application/json", body), NOW + 2000.0).unwrap();
    let tokens = get(&result, "tokens");
    assert_eq!(get(&tokens, "access_token").as_string().as_deref(), Some("AT-1"));
    assert_eq!(get(&tokens, "expires_at").as_f64(), Some(NOW + 2000.0 + 86_400_000.0));

    assert_error(&client.exchange_request("https://app.example.com/cb?code=c&state=forged", pending.clone(), NOW).err().unwrap(), "state_mismatch");
    assert_error(&client.exchange_request("x", JsValue::from_f64(1.0), NOW).err().unwrap(), "pending_invalid");
    let err = client.exchange_response(pending, "c", None, response(502, "text/html", "<html>Bad Gateway</html>"), NOW).err().unwrap();
    assert_error(&err, "server_error");
    assert_eq!(get(&err, "status").as_f64(), Some(502.0));
    assert_eq!(get(&err, "retryable").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn refresh_keeps_the_refresh_token_and_records_round_trip() {
    let stored = js(
        r#"{"v":1,"provider":"gorgias","account":"acme","token_type":"Bearer","access_token":"old","refresh_token":"RT","scope":["offline"],"expires_at":1,"obtained_at":0}"#,
    );
    assert_eq!(JSON::stringify(&read_token_set(stored.clone()).unwrap()).unwrap(), JSON::stringify(&stored).unwrap());
    let client = Client::new(options("")).unwrap();
    let request = client.refresh_request(stored.clone()).unwrap();
    assert!(get(&request, "body").as_string().unwrap().contains("refresh_token=RT"));
    let result =
        client.refresh_response(stored, response(200, "application/json", r#"{"access_token":"new","expires_in":86400,"token_type":"Bearer"}"#), NOW).unwrap();
    let tokens = get(&result, "tokens");
    assert_eq!(get(&tokens, "access_token").as_string().as_deref(), Some("new"));
    assert_eq!(get(&tokens, "refresh_token").as_string().as_deref(), Some("RT"));
    assert_error(&read_token_set(js_sys::Object::new().into()).err().unwrap(), "token_set_invalid");
    assert_error(&client.refresh_request(JsValue::from_str("nope")).err().unwrap(), "token_set_invalid");
    assert_error(&decode_id_token_claims("a.b").err().unwrap(), "id_token_invalid");
}
