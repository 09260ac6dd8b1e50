//! PKCE (RFC 7636), S256 only: `plain` gives no protection when the authorization request leaks,
//! so it is not offered.

use super::encoding::base64url;
use sha2::{Digest, Sha256};

pub const METHOD: &str = "S256";

pub fn challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(
            super::challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
