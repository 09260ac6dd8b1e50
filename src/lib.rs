//! helpdesk-oauth: the OAuth 2.0 authorization-code client for helpdesk apps.
//!
//! `core` is a sans-IO implementation of the flow (testable with `cargo test`); `wasm` exports it
//! to JavaScript and performs HTTP through the host's `fetch`.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
