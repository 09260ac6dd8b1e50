//! The tokens an app holds for one account, and their versioned storage form.

use super::account::validate_account;
use super::error::{Error, ErrorCode, Result};
use super::json::{self, Fields, Value};
use super::providers::is_valid_provider_id;
use super::scopes::validate_scopes;
use super::secret::Secret;
use super::tenant::is_tenant_syntax;

pub const TOKEN_SET_VERSION: u64 = 1;
const MAX_STORED_LEN: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSet {
    pub provider: String,
    pub account: Option<String>,
    /// The tenant the provider named during the flow (Zoho data centre, HubSpot `hub_id`); its
    /// endpoints with `{tenant}` are filled with it.
    pub tenant: Option<String>,
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

/// A token as it may be sent: visible ASCII without space (RFC 6749 Appendix A VSCHAR minus the
/// space, a superset of RFC 6750's b64token that real providers need, e.g. `!`). The access
/// token becomes `Authorization: Bearer <token>`, where CR, LF, NUL or non-ASCII would split the
/// header or make the host throw an error that carries the token.
pub fn is_token_syntax(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|b| (0x21..=0x7e).contains(&b))
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

    /// The storage form. Field names are snake_case like the OAuth wire format and are frozen
    /// for version 1; a change of shape bumps `v`.
    /// The storage form as JSON text (natively; in wasm the boundary serializes the set itself).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What a stored row says is validated exactly like fresh input before it can reach a URL,
    /// a header or a message: whoever can write one row (a database, KV, a file) must not be able
    /// to send the client's credentials to `https://evil.example/x?.gorgias.com`. The account is
    /// lower-cased as fresh input is. The reason names the field, never its value.
    fn check_stored_values(&mut self) -> std::result::Result<(), &'static str> {
        if let Some(account) = &self.account {
            self.account = Some(validate_account(account).map_err(|_| "its account is not one DNS label")?);
        }
        if !is_valid_provider_id(&self.provider) {
            return Err("its provider id is not 1-64 characters of a-z, 0-9, '-' and '_'");
        }
        // Checked against the provider's list where it is used (`tenant::fill_url`).
        if self.tenant.as_deref().is_some_and(|t| !is_tenant_syntax(t)) {
            return Err("its tenant is not 1-100 of A-Z a-z 0-9 . - _");
        }
        if self.token_type != "Bearer" {
            return Err("its token type is not Bearer");
        }
        validate_scopes(&self.scopes).map_err(|_| "its scopes are not valid scope tokens")?;
        let tokens = [Some(&self.access_token), self.refresh_token.as_ref(), self.id_token.as_ref()];
        if !tokens.into_iter().flatten().all(|t| is_token_syntax(t.expose())) {
            return Err("a token has characters other than visible ASCII");
        }
        Ok(())
    }

    pub fn from_json(text: &str) -> Result<TokenSet> {
        if text.len() > MAX_STORED_LEN {
            return Err(Error::new(ErrorCode::TokenSetInvalid, "stored token set is not valid: it is too long"));
        }
        let value = json::parse(text).map_err(|_| Error::new(ErrorCode::TokenSetInvalid, "stored token set is not valid: it is not JSON"))?;
        TokenSet::from_value(&value)
    }

    /// Reads the storage form, with the same checks as fresh input.
    pub fn from_value(value: &Value) -> Result<TokenSet> {
        let invalid = |why: &str| Error::new(ErrorCode::TokenSetInvalid, format!("stored token set is not valid: {why}"));
        let mut f = Fields::new(value, "stored token set", ErrorCode::TokenSetInvalid)?;
        if f.u64("v")? != Some(TOKEN_SET_VERSION) {
            return Err(invalid("unsupported version"));
        }
        let mut tokens = TokenSet {
            provider: f.required_string("provider")?,
            account: f.string("account")?,
            tenant: f.string("tenant")?,
            token_type: f.required_string("token_type")?,
            access_token: Secret::new(f.required_string("access_token")?),
            refresh_token: f.string("refresh_token")?.filter(|t| !t.is_empty()).map(Secret::new),
            id_token: f.string("id_token")?.filter(|t| !t.is_empty()).map(Secret::new),
            scopes: f.strings("scope")?.unwrap_or_default(),
            expires_at: f.u64("expires_at")?,
            obtained_at: f.u64("obtained_at")?.ok_or_else(|| invalid("`obtained_at` is missing"))?,
        };
        f.finish()?;
        if tokens.access_token.is_empty() {
            return Err(invalid("its access token is empty"));
        }
        tokens.check_stored_values().map_err(invalid)?;
        Ok(tokens)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> TokenSet {
        TokenSet {
            provider: "gorgias".into(),
            account: Some("acme".into()),
            tenant: None,
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
    fn stored_values_are_validated_like_fresh_input() {
        // Whoever can write one stored row must not steer a request: the account becomes a host.
        let good = sample().to_json();
        for (from, to) in [
            ("\"account\":\"acme\"", "\"account\":\"evil.example/x?\""),
            ("\"account\":\"acme\"", "\"account\":\"acme.gorgias.com.evil.com\""),
            ("\"account\":\"acme\"", "\"account\":\"\""),
            ("\"provider\":\"gorgias\"", "\"provider\":\"gorgias\\r\\nx\""),
            ("\"provider\":\"gorgias\"", "\"provider\":\"\""),
            ("\"token_type\":\"Bearer\"", "\"token_type\":\"mac\""),
            ("\"scope\":[\"openid\",\"offline\"]", "\"scope\":[\"openid offline\"]"),
            ("access-AAA", "access-AAA\\r\\nX-Injected: 1"),
            ("access-AAA", "access AAA"),
            ("refresh-RRR", "refresh-RRR\\u0000"),
        ] {
            let bad = good.replace(from, to);
            assert_ne!(bad, good);
            let e = TokenSet::from_json(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::TokenSetInvalid, "{to}");
            assert!(!e.message.contains("evil"), "{}", e.message);
        }
        // Like fresh input, an account in capitals is read as its lower-case label.
        let upper = TokenSet::from_json(&good.replace("\"account\":\"acme\"", "\"account\":\"ACME\"")).unwrap();
        assert_eq!(upper.account.as_deref(), Some("acme"));
    }

    #[test]
    fn rejects_bad_stored_forms() {
        for bad in ["", "{}", "null", r#"{"v":2}"#, &sample().to_json().replace("\"v\":1", "\"v\":9"), &sample().to_json().replace("access-AAA", "")] {
            assert_eq!(TokenSet::from_json(bad).unwrap_err().code, ErrorCode::TokenSetInvalid, "{bad}");
        }
    }
}

/// The storage form (version 1): snake_case like the OAuth wire format, frozen for `v: 1`, absent
/// optional members left out. A derived struct with static field names, so serde-wasm-bindgen
/// writes it with its cached keys.
#[derive(serde::Serialize)]
struct Stored<'a> {
    v: u64,
    provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<&'a str>,
    token_type: &'a str,
    access_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<&'a str>,
    scope: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    obtained_at: u64,
}

impl serde::Serialize for TokenSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        Stored {
            v: TOKEN_SET_VERSION,
            provider: &self.provider,
            account: self.account.as_deref(),
            tenant: self.tenant.as_deref(),
            token_type: &self.token_type,
            access_token: self.access_token.expose(),
            refresh_token: self.refresh_token.as_ref().map(Secret::expose),
            id_token: self.id_token.as_ref().map(Secret::expose),
            scope: &self.scopes,
            expires_at: self.expires_at,
            obtained_at: self.obtained_at,
        }
        .serialize(s)
    }
}
