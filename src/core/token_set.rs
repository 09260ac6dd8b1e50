//! The tokens an app holds for one account, and their versioned storage form.

use super::error::{Error, ErrorCode, Result};
use super::secret::Secret;
use serde::{Deserialize, Serialize};

pub const TOKEN_SET_VERSION: u32 = 1;
const MAX_STORED_LEN: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSet {
    pub provider: String,
    pub account: Option<String>,
    /// Always `Bearer`: other token types are refused when the response is read.
    pub token_type: String,
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    pub id_token: Option<Secret>,
    pub scopes: Vec<String>,
    /// Milliseconds since the epoch; `None` when the provider did not say and the access token is opaque.
    pub expires_at: Option<u64>,
    /// When the response was read, ms since the epoch.
    pub obtained_at: u64,
}

/// The storage form. Field names are snake_case like the OAuth wire format and are frozen for
/// version 1; a change of shape bumps `v`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    v: u32,
    provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account: Option<String>,
    token_type: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    scope: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    obtained_at: u64,
}

impl TokenSet {
    /// Whether the access token is expired, or will be within `skew_seconds`. An unknown expiry
    /// counts as not expired: the API's 401 is then the signal to refresh.
    pub fn is_expired(&self, now_ms: u64, skew_seconds: u64) -> bool {
        match self.expires_at {
            Some(at) => now_ms.saturating_add(skew_seconds.saturating_mul(1000)) >= at,
            None => false,
        }
    }

    pub fn to_json(&self) -> String {
        let stored = Stored {
            v: TOKEN_SET_VERSION,
            provider: self.provider.clone(),
            account: self.account.clone(),
            token_type: self.token_type.clone(),
            access_token: self.access_token.expose().to_string(),
            refresh_token: self.refresh_token.as_ref().map(|s| s.expose().to_string()),
            id_token: self.id_token.as_ref().map(|s| s.expose().to_string()),
            scope: self.scopes.clone(),
            expires_at: self.expires_at,
            obtained_at: self.obtained_at,
        };
        serde_json::to_string(&stored).expect("plain struct serialises")
    }

    pub fn from_json(text: &str) -> Result<TokenSet> {
        let invalid = |why: &str| Error::new(ErrorCode::TokenSetInvalid, format!("stored token set is not valid: {why}"));
        if text.len() > MAX_STORED_LEN {
            return Err(invalid("it is too long"));
        }
        let s: Stored = serde_json::from_str(text).map_err(|_| invalid("it is not the JSON this library wrote"))?;
        if s.v != TOKEN_SET_VERSION {
            return Err(invalid("unsupported version"));
        }
        if s.access_token.is_empty() {
            return Err(invalid("its access token is empty"));
        }
        Ok(TokenSet {
            provider: s.provider,
            account: s.account,
            token_type: s.token_type,
            access_token: Secret::new(s.access_token),
            refresh_token: s.refresh_token.filter(|t| !t.is_empty()).map(Secret::new),
            id_token: s.id_token.map(Secret::new),
            scopes: s.scope,
            expires_at: s.expires_at,
            obtained_at: s.obtained_at,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> TokenSet {
        TokenSet {
            provider: "gorgias".into(),
            account: Some("acme".into()),
            token_type: "Bearer".into(),
            access_token: Secret::new("access-AAA"),
            refresh_token: Some(Secret::new("refresh-RRR")),
            id_token: None,
            scopes: vec!["openid".into(), "offline".into()],
            expires_at: Some(100_000),
            obtained_at: 10_000,
        }
    }

    #[test]
    fn roundtrip_and_redaction() {
        let t = sample();
        let json = t.to_json();
        assert_eq!(
            json,
            r#"{"v":1,"provider":"gorgias","account":"acme","token_type":"Bearer","access_token":"access-AAA","refresh_token":"refresh-RRR","scope":["openid","offline"],"expires_at":100000,"obtained_at":10000}"#
        );
        assert_eq!(TokenSet::from_json(&json).unwrap(), t);
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("AAA") && !dbg.contains("RRR"), "{dbg}");
    }

    #[test]
    fn expiry_with_skew() {
        let t = sample();
        assert!(!t.is_expired(39_999, 60));
        assert!(t.is_expired(40_000, 60));
        assert!(t.is_expired(100_000, 0));
        assert!(!TokenSet { expires_at: None, ..t }.is_expired(u64::MAX, u64::MAX));
    }

    #[test]
    fn rejects_bad_stored_forms() {
        for bad in ["", "{}", "null", r#"{"v":2}"#, &sample().to_json().replace("\"v\":1", "\"v\":9"), &sample().to_json().replace("access-AAA", "")] {
            assert_eq!(TokenSet::from_json(bad).unwrap_err().code, ErrorCode::TokenSetInvalid, "{bad}");
        }
    }
}
