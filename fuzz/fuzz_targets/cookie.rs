//! The cookie opener: everything before the cipher (Cookie header, sealed layout) and everything
//! after it (the decrypted payload, the return path). The first byte picks which part gets the
//! input, so one target covers both sides of the AES-GCM step the fuzzer cannot pass.
#![no_main]
use helpdesk_oauth::core::cookie::{check_return_to, read_sealed, CookiePayload, Sealed};
use libfuzzer_sys::fuzz_target;

const NAME: &str = "__Host-helpdesk-oauth";

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    match selector % 3 {
        0 => {
            let Ok(header) = std::str::from_utf8(rest) else { return };
            if let Ok(sealed) = read_sealed(Some(header), NAME) {
                // What was accepted re-encodes to the one spelling that decodes to it.
                assert_eq!(Sealed::decode(&sealed.encode()).unwrap(), sealed);
            }
        }
        1 => {
            if let Ok(payload) = CookiePayload::from_json(rest, 1_700_000_000_000) {
                assert!(payload.expires_at > 1_700_000_000_000);
                assert_eq!(CookiePayload::from_json(payload.to_json().as_bytes(), 1_700_000_000_000).unwrap(), payload);
            }
        }
        _ => {
            let Ok(path) = std::str::from_utf8(rest) else { return };
            if let Ok(p) = check_return_to(path, &["/app/".to_string(), "/done".to_string()]) {
                // Dots in the query are data; in the path they could climb out of `/app/`.
                let route = p.split('?').next().unwrap();
                assert!(p.starts_with('/') && !p.starts_with("//"), "{p}");
                assert!(route.split('/').all(|s| s != ".." && s != "."), "{p}");
                assert!(route == "/done" || route.starts_with("/app/"), "{p}");
            }
        }
    }
});
