//! Turning the boundary's async work into JS promises through one code path.
//!
//! `future_to_promise` is generic over the future; each async method used to instantiate its
//! whole executor glue again (~3-5 KB of wasm each, measured with twiggy). Boxing every future to
//! one `dyn` type makes that glue exist once.

use js_sys::Promise;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::JsValue;

type BoxedFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

pub fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let boxed: BoxedFuture = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(boxed)
}
