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

pub struct Transport {
    /// The caller's `fetch`, or `None` for `globalThis.fetch`.
    fetch: Option<Function>,
    timeout_ms: u32,
    keys: InitKeys,
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
    pub fn new(fetch: Option<Function>, timeout_ms: u32) -> Transport {
        Transport { fetch, timeout_ms, keys: InitKeys::new() }
    }

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
        {
            let k = &self.keys;
            let set = |key: &JsValue, v: &JsValue| {
                let _ = Reflect::set(&init, key, v);
            };
            set(&k.method, &JsValue::from_str(request.method));
            set(&k.headers, &headers);
            if let Some(body) = &request.body {
                set(&k.body, &JsValue::from_str(body));
            }
            // A token endpoint that redirects is misconfigured; following it could post credentials elsewhere.
            set(&k.redirect, &k.manual);
            if let Some(signal) = k.timeout_signal(self.timeout_ms) {
                set(&k.signal, &signal);
            }
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
        // Always the capped reader, whatever `content-length` says: the length is what travels,
        // and a gzip body of 200 KB can inflate to 200 MB; the cap applies to what is decoded.
        let body = read_capped(&response, endpoint, status).await?;
        Ok(HttpResponse { status, content_type, body })
    }
}

/// The init object's keys, made once per client instead of decoded into JS strings on every request
/// (`Transport::init` was 16-21 % of an exchange or refresh), and `AbortSignal.timeout`.
struct InitKeys {
    method: JsValue,
    headers: JsValue,
    body: JsValue,
    redirect: JsValue,
    manual: JsValue,
    signal: JsValue,
    /// `AbortSignal` and its `timeout`, where the host has them (all supported hosts do; older
    /// ones just get no timeout).
    timeout: Option<(JsValue, Function)>,
}

impl InitKeys {
    fn new() -> InitKeys {
        let timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal")).ok().and_then(|abort_signal| {
            let timeout = Reflect::get(&abort_signal, &JsValue::from_str("timeout")).ok()?.dyn_into::<Function>().ok()?;
            Some((abort_signal, timeout))
        });
        let s = JsValue::from_str;
        InitKeys { method: s("method"), headers: s("headers"), body: s("body"), redirect: s("redirect"), manual: s("manual"), signal: s("signal"), timeout }
    }

    fn timeout_signal(&self, ms: u32) -> Option<JsValue> {
        if ms == 0 {
            return None;
        }
        let (abort_signal, timeout) = self.timeout.as_ref()?;
        timeout.call1(abort_signal, &JsValue::from_f64(ms as f64)).ok()
    }
}

/// Reads a body chunk by chunk as fetch decodes it, cancelling the stream once the decoded bytes
/// pass `MAX_BODY_BYTES`. Decodes as `text()` does: UTF-8 with replacement, leading BOM dropped.
async fn read_capped(response: &Response, endpoint: &str, status: u16) -> Result<String, Error> {
    let Some(stream) = response.body() else { return Ok(String::new()) };
    let fail = |e: JsValue| network(endpoint, describe_js_error(&e));
    let get_reader: Function = Reflect::get(&stream, &JsValue::from_str("getReader")).map_err(fail)?.dyn_into().map_err(fail)?;
    let reader = get_reader.call0(&stream).map_err(fail)?;
    let read: Function = Reflect::get(&reader, &JsValue::from_str("read")).map_err(fail)?.dyn_into().map_err(fail)?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let next: Promise = read.call0(&reader).map_err(fail)?.dyn_into().map_err(fail)?;
        let chunk = JsFuture::from(next).await.map_err(fail)?;
        if Reflect::get(&chunk, &JsValue::from_str("done")).map_err(fail)?.as_bool() == Some(true) {
            break;
        }
        let value: js_sys::Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value")).map_err(fail)?.dyn_into().map_err(fail)?;
        let len = value.length() as usize;
        if bytes.len() + len > MAX_BODY_BYTES {
            if let Ok(cancel) = Reflect::get(&reader, &JsValue::from_str("cancel")).and_then(|c| c.dyn_into::<Function>().map_err(JsValue::from)) {
                let _ = cancel.call0(&reader);
            }
            return Err(Error::new(ErrorCode::ResponseTooLarge, format!("{endpoint} answered with more than 1 MiB")).with_status(status));
        }
        let start = bytes.len();
        bytes.resize(start + len, 0);
        value.copy_to(&mut bytes[start..]);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    Ok(String::from_utf8_lossy(text).into_owned())
}
