//! The pending authorization: what the app must keep between sending the user to the provider
//! and the callback. It binds the callback to this request (state), the id_token to it (nonce),
//! the code to it (PKCE verifier) and the token request to the right tenant (provider, account,
//! issuer, redirect_uri).

use super::account::validate_account;
use super::endpoint::check_absolute;
use super::error::{Error, ErrorCode, Result};
use super::json::{self, Fields, Value};
use super::pkce::is_valid_verifier;
use super::providers::is_valid_provider_id;
use super::scopes::validate_scopes;
use super::secret::Secret;

pub const PENDING_VERSION: u64 = 1;
/// A record "created" further in the future than this was forged or made by a broken clock.
const FUTURE_TOLERANCE_MS: u64 = 60_000;
const MAX_SERIALIZED_LEN: usize = 16 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAuthorization {
    pub provider: String,
    pub account: Option<String>,
    pub issuer: String,
    pub state: String,
    pub nonce: Option<String>,
    pub code_verifier: Option<Secret>,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// Milliseconds since the epoch, from the client's clock.
    pub created_at: u64,
}

impl PendingAuthorization {
    /// A compact JSON string for the host to keep (server-side session, sealed cookie). It holds
    /// the PKCE verifier, so it must not be shown to the browser unsealed.
    /// The record as JSON text (natively; in wasm the boundary serializes the record itself).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn serialize(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn deserialize(text: &str) -> Result<PendingAuthorization> {
        if text.len() > MAX_SERIALIZED_LEN {
            return Err(Error::new(ErrorCode::PendingInvalid, "pending authorization is not valid: it is too long"));
        }
        let value = json::parse(text).map_err(|_| Error::new(ErrorCode::PendingInvalid, "pending authorization is not valid: it is not JSON"))?;
        PendingAuthorization::from_value(&value)
    }

    /// Reads the record back, with the same checks as fresh input.
    pub fn from_value(value: &Value) -> Result<PendingAuthorization> {
        let invalid = |why: &str| Error::new(ErrorCode::PendingInvalid, format!("pending authorization is not valid: {why}"));
        let mut f = Fields::new(value, "pending authorization", ErrorCode::PendingInvalid)?;
        if f.u64("v")? != Some(PENDING_VERSION) {
            return Err(invalid("unsupported version"));
        }
        let mut p = PendingAuthorization {
            provider: f.required_string("provider")?,
            account: f.string("account")?,
            issuer: f.required_string("issuer")?,
            state: f.required_string("state")?,
            nonce: f.string("nonce")?,
            code_verifier: f.string("code_verifier")?.map(Secret::new),
            redirect_uri: f.required_string("redirect_uri")?,
            scopes: f.strings("scopes")?.unwrap_or_default(),
            created_at: f.u64("created_at")?.ok_or_else(|| invalid("`created_at` is missing"))?,
        };
        f.finish()?;
        if p.state.len() < 22 {
            return Err(invalid("its state is shorter than 128 bits"));
        }
        p.check_stored_values().map_err(invalid)?;
        Ok(p)
    }

    /// A stored record is validated like fresh input before it can reach a URL or a message
    /// (it may come from a session store or a cookie an older version sealed). Whether it belongs
    /// to this client (redirect URI, issuer) is `check_binding`'s job. The reason names the
    /// field, never its value.
    fn check_stored_values(&mut self) -> std::result::Result<(), &'static str> {
        if let Some(account) = &self.account {
            self.account = Some(validate_account(account).map_err(|_| "its account is not one DNS label")?);
        }
        if !is_valid_provider_id(&self.provider) {
            return Err("its provider id is not 1-64 characters of a-z, 0-9, '-' and '_'");
        }
        validate_scopes(&self.scopes).map_err(|_| "its scopes are not valid scope tokens")?;
        check_absolute(&self.redirect_uri, "redirect_uri", ErrorCode::PendingInvalid).map_err(|_| "its redirect URI is not an absolute https URL")?;
        check_absolute(&self.issuer, "issuer", ErrorCode::PendingInvalid).map_err(|_| "its issuer is not an absolute https URL")?;
        if self.code_verifier.as_ref().is_some_and(|v| !is_valid_verifier(v.expose())) {
            return Err("its PKCE verifier is not 43-128 unreserved characters");
        }
        Ok(())
    }

    /// The record was made by this client: its redirect URI is the client's (the code is sent
    /// with it) and its issuer is the client's issuer for the record's account (the callback's
    /// `iss` and the id_token are checked against it). A record from another deployment, or one
    /// written by someone else, cannot choose either.
    pub fn check_binding(&self, redirect_uri: &str, expected_issuer: &str) -> Result<()> {
        if self.redirect_uri != redirect_uri {
            return Err(Error::new(ErrorCode::PendingInvalid, "pending authorization was made for another redirect URI than this client's"));
        }
        if self.issuer != expected_issuer {
            return Err(Error::new(ErrorCode::PendingInvalid, "pending authorization is bound to another issuer than this client's for its account"));
        }
        Ok(())
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
                format!(
                    "pending authorization expired {} s ago (lifetime {} s): start the authorization again",
                    (now_ms - self.expires_at(ttl_ms)) / 1000,
                    ttl_ms / 1000
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> PendingAuthorization {
        PendingAuthorization {
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
    fn stored_values_are_validated_like_fresh_input() {
        let good = sample().serialize();
        for (from, to) in [
            ("\"account\":\"acme\"", "\"account\":\"evil.example/x?\""),
            ("\"account\":\"acme\"", "\"account\":\"a.b\""),
            ("\"provider\":\"gorgias\"", "\"provider\":\"gorgias/../x\""),
            ("\"scopes\":[\"openid\",\"offline\"]", "\"scopes\":[\"\"]"),
            (&format!("\"code_verifier\":\"{}\"", "v".repeat(43)), "\"code_verifier\":\"short\""),
            (&format!("\"code_verifier\":\"{}\"", "v".repeat(43)), &format!("\"code_verifier\":\"{}&x=1\"", "v".repeat(43))),
        ] {
            let bad = good.replace(from, to);
            assert_ne!(bad, good);
            let e = PendingAuthorization::deserialize(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::PendingInvalid, "{to}");
            assert!(!e.message.contains("evil") && !e.message.contains("vvvv"), "{}", e.message);
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

/// The stored record (version 1), a derived struct with static field names (see `TokenSet`).
#[derive(serde::Serialize)]
struct Stored<'a> {
    v: u64,
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    issuer: &'a str,
    state: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_verifier: Option<&'a str>,
    redirect_uri: &'a str,
    scopes: &'a [String],
    created_at: u64,
}

impl serde::Serialize for PendingAuthorization {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        Stored {
            v: PENDING_VERSION,
            provider: &self.provider,
            account: self.account.as_deref(),
            issuer: &self.issuer,
            state: &self.state,
            nonce: self.nonce.as_deref(),
            code_verifier: self.code_verifier.as_ref().map(Secret::expose),
            redirect_uri: &self.redirect_uri,
            scopes: &self.scopes,
            created_at: self.created_at,
        }
        .serialize(s)
    }
}
