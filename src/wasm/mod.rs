//! The wasm boundary: everything `#[wasm_bindgen]` lives here, and every export is synchronous.
//! It moves plain values between JS and the core (serde-wasm-bindgen) and throws
//! `HelpdeskOAuthError`; `fetch`, timeouts, WebCrypto and promises are the JS layer's (js/).

pub mod client;
pub mod convert;
pub mod cookie;
pub mod error;
pub mod from_js;
pub mod functions;
pub mod records;

// The wasm module's allocator: talc instead of Rust's default dlmalloc, for size. Single-threaded
// wasm (no `atomics`), which every supported host runs.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
