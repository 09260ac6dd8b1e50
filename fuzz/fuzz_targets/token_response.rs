//! The token-response reader: the first byte picks the status class, the rest is the body.
#![no_main]
use helpdesk_oauth::core::http::HttpResponse;
use helpdesk_oauth::core::providers::{preset, STANDARD_ERRORS};
use helpdesk_oauth::core::token_response::{check_revocation_response, parse_token_response, ResponseContext};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(rest) else { return };
    let status = [200, 400, 401, 500, 502, 503][first as usize % 6];
    let resp = HttpResponse { status, content_type: Some("application/json".into()), body: body.into() };
    let provider = preset("kustomer").unwrap();
    let ctx = ResponseContext { now_ms: 1_000, provider: &provider, account: None, tenant: None, requested_scopes: &[], previous: None, secrets: &["s3cr3t"] };
    match parse_token_response(&resp, &ctx) {
        Ok(tokens) => {
            assert!((200..300).contains(&status));
            assert!(!tokens.access_token.expose().is_empty());
            assert_eq!(tokens.token_type, "Bearer");
        }
        Err(e) => assert!(!e.message.is_empty()),
    }
    let _ = check_revocation_response(&resp, &["s3cr3t"], &STANDARD_ERRORS);
});
