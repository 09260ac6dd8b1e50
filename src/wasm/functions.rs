//! Free functions: account handling that needs no client.

use super::error::{IntoJs, JsResult};
use crate::core::account;
use wasm_bindgen::prelude::*;

/// Validates a Gorgias account / Kustomer org as one DNS label and returns it lower-cased.
#[wasm_bindgen(js_name = validateAccount)]
pub fn validate_account(account: &str) -> JsResult<String> {
    account::validate_account(account).js()
}

/// Reads and validates the account from the request the helpdesk sends to the App URL
/// (`https://app.example.com/install?account={gorgias_account}`).
#[wasm_bindgen(js_name = accountFromInstallUrl)]
pub fn account_from_install_url(url: &str, param: Option<String>) -> JsResult<String> {
    account::account_from_install_url(url, param.as_deref().unwrap_or("account")).js()
}
