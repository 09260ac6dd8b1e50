//! The transport: sends a core `HttpRequest` through the host's `fetch` and hands the response
//! back as a core `HttpResponse`. Works wherever `fetch` does (Node 20+, Workers, browsers, Deno,
//! Bun); nothing here assumes `window`.

use crate::core::error::{clean_provider_text, Error, ErrorCode};
use crate::core::http::{HttpRequest, HttpResponse, MAX_BODY_BYTES};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

#[derive(Clone)]
pub struct Transport {
    /// The caller's `fetch`, or `None` for `globalThis.fetch`.
    pub fetch: Option<Function>,
    pub timeout_ms: u32,
}

fn network(endpoint: &str, why: String) -> Error {
    Error::new(ErrorCode::NetworkError, format!("could not reach the {endpoint}: {why}"))
}

/// A short, safe description of a fetch failure: the error's name and message, and the
/// `cause.code` Node puts under "fetch failed" (ECONNREFUSED, ...).
fn describe_js_error(err: &JsValue) -> String {
    let get = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok().filter(|x| !x.is_undefined() && !x.is_null());
    let name = get(err, "name").and_then(|v| v.as_string()).unwrap_or_else(|| "Error".into());
    let message = get(err, "message").and_then(|v| v.as_string()).unwrap_or_default();
    let cause = get(err, "cause").and_then(|c| get(&c, "code")).and_then(|v| v.as_string());
    let mut out = if name == "TimeoutError" || name == "AbortError" { "the request timed out or was aborted".to_string() } else { format!("{name}: {message}") };
    if let Some(code) = cause {
        out.push_str(&format!(" ({code})"));
    }
    clean_provider_text(&out, 200)
}

impl Transport {
    fn fetch_function(&self) -> Result<(Function, JsValue), Error> {
        let global: JsValue = js_sys::global().into();
        if let Some(f) = &self.fetch {
            return Ok((f.clone(), JsValue::UNDEFINED));
        }
        let f = Reflect::get(&global, &JsValue::from_str("fetch")).ok().and_then(|f| f.dyn_into::<Function>().ok());
        // Workers and some browsers throw "Illegal invocation" unless fetch is called on the global.
        f.map(|f| (f, global)).ok_or_else(|| Error::new(ErrorCode::InvalidConfig, "no global `fetch`: pass `fetch` in the client options"))
    }

    fn init(&self, request: &HttpRequest) -> Object {
        let init = Object::new();
        let headers = Object::new();
        for (name, value) in &request.headers {
            let _ = Reflect::set(&headers, &JsValue::from_str(name), &JsValue::from_str(value));
        }
        let set = |k: &str, v: &JsValue| {
            let _ = Reflect::set(&init, &JsValue::from_str(k), v);
        };
        set("method", &JsValue::from_str(request.method));
        set("headers", &headers);
        if let Some(body) = &request.body {
            set("body", &JsValue::from_str(body));
        }
        // A token endpoint that redirects is misconfigured; following it could post credentials elsewhere.
        set("redirect", &JsValue::from_str("manual"));
        if let Some(signal) = timeout_signal(self.timeout_ms) {
            set("signal", &signal);
        }
        init
    }

    pub async fn send(&self, request: &HttpRequest, endpoint: &str) -> Result<HttpResponse, Error> {
        let (fetch, this) = self.fetch_function()?;
        let init = self.init(request);
        let promise = fetch
            .call2(&this, &JsValue::from_str(&request.url), &init)
            .map_err(|e| network(endpoint, describe_js_error(&e)))?;
        let promise: Promise = promise.dyn_into().map_err(|_| network(endpoint, "fetch did not return a Promise".into()))?;
        let response = JsFuture::from(promise).await.map_err(|e| network(endpoint, describe_js_error(&e)))?;
        let response: Response = response.dyn_into().map_err(|_| network(endpoint, "fetch did not resolve to a Response".into()))?;
        let status = response.status();
        let content_type = response.headers().get("content-type").ok().flatten();
        let declared = response.headers().get("content-length").ok().flatten().and_then(|l| l.trim().parse::<usize>().ok());
        if matches!(declared, Some(n) if n > MAX_BODY_BYTES) {
            if let Some(body) = response.body() {
                let _ = body.cancel();
            }
            return Err(Error::new(ErrorCode::ResponseTooLarge, format!("{endpoint} answered with more than 1 MiB")).with_status(status));
        }
        let text = response.text().map_err(|e| network(endpoint, describe_js_error(&e)))?;
        let body = JsFuture::from(text).await.map_err(|e| network(endpoint, describe_js_error(&e)))?;
        Ok(HttpResponse { status, content_type, body: body.as_string().unwrap_or_default() })
    }
}

/// `AbortSignal.timeout(ms)` where the host has it (all supported hosts do; older ones just get no timeout).
fn timeout_signal(ms: u32) -> Option<JsValue> {
    if ms == 0 {
        return None;
    }
    let abort_signal = Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal")).ok()?;
    let timeout: Function = Reflect::get(&abort_signal, &JsValue::from_str("timeout")).ok()?.dyn_into().ok()?;
    timeout.call1(&abort_signal, &JsValue::from_f64(ms as f64)).ok()
}
