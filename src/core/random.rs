//! Fresh values for one authorization: state, nonce and PKCE verifier.
//!
//! Each is 32 random bytes (256 bits, twice RFC 9700's 128-bit floor) from the platform's CSPRNG
//! (`crypto.getRandomValues` on wasm), base64url-encoded: 43 characters, all URL-safe, which also
//! satisfies RFC 7636's 43..128 character verifier.

use super::encoding::base64url;
use super::error::{Error, ErrorCode, Result};

pub const RANDOM_BYTES: usize = 32;

/// The random values for one authorization request. Tests build this directly to get
/// reproducible URLs; production code calls `Randomness::generate`.
#[derive(Clone)]
pub struct Randomness {
    pub state: String,
    pub nonce: String,
    pub code_verifier: String,
}

impl Randomness {
    /// One call to the CSPRNG for all three values: on wasm each call crosses into JS
    /// (`crypto.getRandomValues`), which was a quarter of `authorize()`'s time (benches/).
    pub fn generate() -> Result<Randomness> {
        let mut bytes = [0u8; 3 * RANDOM_BYTES];
        fill(&mut bytes)?;
        let (state, rest) = bytes.split_at(RANDOM_BYTES);
        let (nonce, verifier) = rest.split_at(RANDOM_BYTES);
        Ok(Randomness { state: base64url(state), nonce: base64url(nonce), code_verifier: base64url(verifier) })
    }
}

fn fill(bytes: &mut [u8]) -> Result<()> {
    getrandom::fill(bytes).map_err(|_| Error::new(ErrorCode::RandomUnavailable, "the platform's secure random number generator is not available"))
}

/// 256 random bits, base64url without padding.
pub fn token() -> Result<String> {
    let mut bytes = [0u8; RANDOM_BYTES];
    fill(&mut bytes)?;
    Ok(base64url(&bytes))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_url_safe() {
        let r = Randomness::generate().unwrap();
        for v in [&r.state, &r.nonce, &r.code_verifier] {
            assert_eq!(v.len(), 43);
            assert!(v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }
        assert_ne!(r.state, r.nonce);
        assert_ne!(r.state, r.code_verifier);
    }
}
