//! The wasm boundary: everything `#[wasm_bindgen]` lives here. It converts between JS values and
//! core types, throws `HelpdeskOAuthError`, and performs HTTP through the host's `fetch`.

pub mod client;
pub mod cookie;
pub mod error;
pub mod fetch;
pub mod functions;
pub mod jws;
pub mod pending;
pub mod promise;
pub mod token_set;
pub mod types;

// The wasm module's allocator: talc instead of Rust's default dlmalloc, for size. Single-threaded
// wasm (no `atomics`), which every supported host runs.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
