//! The sans-IO core: plain Rust, no JS types, no I/O. It builds URLs and request descriptions
//! and reads responses; the boundary (`crate::wasm`) moves the bytes.

pub mod account;
pub mod api_url;
pub mod authorize;
pub mod callback;
pub mod config;
pub mod cookie;
pub mod encoding;
pub mod endpoint;
pub mod error;
pub mod flow;
pub mod http;
pub mod id_token;
pub mod json;
pub mod jws;
pub mod jwt;
pub mod pending;
pub mod pkce;
pub mod providers;
pub mod random;
pub mod scopes;
pub mod secret;
pub mod tenant;
pub mod token_request;
pub mod token_response;
pub mod token_set;
