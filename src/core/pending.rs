//! The pending authorization: what the app must keep between sending the user to the provider
//! and the callback. It binds the callback to this request (state), the id_token to it (nonce),
//! the code to it (PKCE verifier) and the token request to the right tenant (provider, account,
//! issuer, redirect_uri).

use super::error::{Error, ErrorCode, Result};
use super::secret::Secret;
use serde::{Deserialize, Serialize};

pub const PENDING_VERSION: u32 = 1;
/// A record "created" further in the future than this was forged or made by a broken clock.
const FUTURE_TOLERANCE_MS: u64 = 60_000;
const MAX_SERIALIZED_LEN: usize = 16 * 1024;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PendingAuthorization {
    pub v: u32,
    pub provider: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub issuer: String,
    pub state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_secret")]
    #[serde(default)]
    pub code_verifier: Option<Secret>,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// Milliseconds since the epoch, from the client's clock.
    pub created_at: u64,
}

mod opt_secret {
    use super::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(secret) => s.serialize_some(secret.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }
}

impl PendingAuthorization {
    /// A compact JSON string for the host to keep (server-side session, sealed cookie). It holds
    /// the PKCE verifier, so it must not be shown to the browser unsealed.
    pub fn serialize(&self) -> String {
        serde_json::to_string(self).expect("plain struct serialises")
    }

    pub fn deserialize(text: &str) -> Result<PendingAuthorization> {
        let invalid = |why: &str| Error::new(ErrorCode::PendingInvalid, format!("pending authorization is not valid: {why}"));
        if text.len() > MAX_SERIALIZED_LEN {
            return Err(invalid("it is too long"));
        }
        let p: PendingAuthorization = serde_json::from_str(text).map_err(|_| invalid("it is not the JSON this library wrote"))?;
        if p.v != PENDING_VERSION {
            return Err(invalid("unsupported version"));
        }
        if p.state.len() < 22 {
            return Err(invalid("its state is shorter than 128 bits"));
        }
        Ok(p)
    }

    pub fn expires_at(&self, ttl_ms: u64) -> u64 {
        self.created_at.saturating_add(ttl_ms)
    }

    /// Fails for a record past its lifetime, or one dated implausibly far in the future.
    pub fn check_age(&self, now_ms: u64, ttl_ms: u64) -> Result<()> {
        if self.created_at > now_ms.saturating_add(FUTURE_TOLERANCE_MS) {
            return Err(Error::new(ErrorCode::PendingInvalid, "pending authorization is dated in the future"));
        }
        if now_ms > self.expires_at(ttl_ms) {
            return Err(Error::new(
                ErrorCode::PendingExpired,
                format!("pending authorization expired {} s ago (lifetime {} s): start the authorization again", (now_ms - self.expires_at(ttl_ms)) / 1000, ttl_ms / 1000),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> PendingAuthorization {
        PendingAuthorization {
            v: 1,
            provider: "gorgias".into(),
            account: Some("acme".into()),
            issuer: "https://acme.gorgias.com".into(),
            state: "s".repeat(43),
            nonce: Some("n".repeat(43)),
            code_verifier: Some(Secret::new("v".repeat(43))),
            redirect_uri: "https://app.example.com/cb".into(),
            scopes: vec!["openid".into(), "offline".into()],
            created_at: 1_000_000,
        }
    }

    #[test]
    fn roundtrip() {
        let p = sample();
        let text = p.serialize();
        assert!(text.contains("\"code_verifier\":\"vvvv"));
        assert_eq!(PendingAuthorization::deserialize(&text).unwrap(), p);
        assert!(!format!("{p:?}").contains("vvvv"));
    }

    #[test]
    fn rejects_garbage_and_versions() {
        for bad in ["", "{}", "not json", "[]", &sample().serialize().replace("\"v\":1", "\"v\":2"), &sample().serialize().replace(&"s".repeat(43), "short")] {
            assert_eq!(PendingAuthorization::deserialize(bad).unwrap_err().code, ErrorCode::PendingInvalid, "{bad}");
        }
    }

    #[test]
    fn age() {
        let p = sample();
        p.check_age(1_000_000 + 600_000, 600_000).unwrap();
        assert_eq!(p.check_age(1_000_000 + 600_001, 600_000).unwrap_err().code, ErrorCode::PendingExpired);
        assert_eq!(p.check_age(0, 600_000).unwrap_err().code, ErrorCode::PendingInvalid);
    }
}
