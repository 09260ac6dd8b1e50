//! The id_token decoder, claims checks and JWS header reader, and the JSON reader under them.
#![no_main]
use helpdesk_oauth::core::id_token::{validate, Expected};
use helpdesk_oauth::core::{json, jws, jwt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = json::parse(text) {
        // The value tree serializes back to text that reads as the same tree (serde both ways;
        // in wasm the host's JSON.parse builds it).
        assert_eq!(json::parse(&serde_json::to_string(&v).unwrap()).as_ref(), Ok(&v));
    }
    let _ = jwt::decode_claims(text);
    let _ = jwt::expiry_ms(text);
    let _ = jws::parse_signed(text);
    let expected =
        Expected { issuer: "https://acme.gorgias.com", client_id: "c", nonce: Some("n"), now_ms: 1_700_000_000_000, tolerance_seconds: 60, integer_sub: true };
    if let Ok(claims) = validate(text, &expected) {
        assert_eq!(claims.get("nonce").and_then(json::Value::as_str), Some("n"));
    }
});
