//! The callback parser and its checks, against a fixed pending record: any input must give a
//! typed result, never a panic; a success needs the exact state.
#![no_main]
use helpdesk_oauth::core::callback;
use helpdesk_oauth::core::pending::PendingAuthorization;
use helpdesk_oauth::core::providers::preset;
use libfuzzer_sys::fuzz_target;

const STATE: &str = "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS";

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else { return };
    let pending = PendingAuthorization {
        provider: "gorgias".into(),
        account: Some("acme".into()),
        issuer: "https://acme.gorgias.com".into(),
        state: STATE.into(),
        nonce: None,
        code_verifier: None,
        redirect_uri: "https://app.example.com/cb".into(),
        scopes: vec![],
        created_at: 1_000,
    };
    let provider = preset("gorgias").unwrap();
    if let Ok(code) = callback::check(url, &pending, &provider, 2_000, 600_000) {
        assert!(!code.code.expose().is_empty());
        assert!(url.contains(STATE), "accepted a callback without the state");
    }
});
