//! The wasm boundary: everything `#[wasm_bindgen]` lives here. It converts between JS values and
//! core types, throws `HelpdeskOAuthError`, and performs HTTP through the host's `fetch`.

pub mod client;
pub mod error;
pub mod fetch;
pub mod functions;
pub mod pending;
pub mod token_set;
pub mod types;
