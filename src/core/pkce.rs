//! PKCE (RFC 7636), S256 only: `plain` gives no protection when the authorization request leaks,
//! so it is not offered.

use super::encoding::base64url;
use sha2::{Digest, Sha256};

pub const METHOD: &str = "S256";

pub fn challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 §4.1: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`.
pub fn is_valid_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len()) && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn verifier_syntax() {
        assert!(super::is_valid_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(super::is_valid_verifier(&"a~.-_".repeat(26)[..128]));
        for bad in ["short", &"a".repeat(42), &"a".repeat(129), &format!("{}&x=1", "a".repeat(43)), &format!("{} ", "a".repeat(43))] {
            assert!(!super::is_valid_verifier(bad), "{bad}");
        }
    }

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(super::challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
