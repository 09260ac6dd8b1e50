//! The tenant a provider names during the flow (Zoho's data centre from the callback's
//! `accounts-server`, HubSpot's `hub_id` from the token response), and endpoint templates filled
//! with it. A tenant can become part of a host (`https://accounts.{tenant}/oauth/v2/token`), so
//! whatever it came from — a callback URL anyone can edit, a token response, a stored row — it
//! is checked against the provider's list before it reaches a URL.

use super::endpoint::fill;
use super::error::{Error, ErrorCode, Result};
use super::json::Value;
use super::providers::{Provider, Tenant};

pub const TENANT_PLACEHOLDER: &str = "{tenant}";

/// The stored form: 1-100 of `A-Z a-z 0-9 . - _`, not starting with a dot.
pub fn is_tenant_syntax(tenant: &str) -> bool {
    !tenant.is_empty()
        && tenant.len() <= 100
        && !tenant.starts_with('.')
        && tenant.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// A tenant taken as sent (no list): 1-64 of `A-Z a-z 0-9 - _`, so never a dot or a slash.
pub fn is_plain_tenant(tenant: &str) -> bool {
    !tenant.is_empty() && tenant.len() <= 64 && tenant.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

fn refused(rule: &Tenant) -> Error {
    let known = if rule.values.is_empty() { "" } else { " (it must be one of the provider's documented hosts)" };
    let mut message = String::from("the provider named a tenant in `");
    message.push_str(&rule.param);
    message.push_str("` that is not valid");
    message.push_str(known);
    Error::new(ErrorCode::InvalidTenant, message)
}

/// The tenant a value the provider sent stands for, or `invalid_tenant`.
pub fn resolve(rule: &Tenant, sent: &str) -> Result<String> {
    if rule.values.is_empty() {
        return if is_plain_tenant(sent) { Ok(sent.to_string()) } else { Err(refused(rule)) };
    }
    rule.values.iter().find(|(v, _)| v == sent).map(|(_, t)| t.clone()).ok_or_else(|| refused(rule))
}

/// A token-response member as a tenant value: a string, or a whole number (HubSpot `hub_id`).
pub fn member_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        // A whole number a double holds exactly; 1.5 or 1e300 is no id.
        Value::Number(n) if n.fract() == 0.0 && *n <= 9_007_199_254_740_991.0 => value.as_u64().map(decimal),
        _ => None,
    }
}

/// Decimal digits without the formatting machinery.
fn decimal(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| d as char).collect()
}

/// Fills `{account}` and `{tenant}` into an endpoint template. The tenant, whatever it came
/// from, must be one this provider can have.
pub fn fill_url(provider: &Provider, template: &str, account: Option<&str>, tenant: Option<&str>) -> Result<String> {
    let url = fill(template, account)?;
    if !url.contains(TENANT_PLACEHOLDER) {
        return Ok(url);
    }
    match (tenant, &provider.tenant) {
        (Some(t), Some(rule)) if rule.is_known(t) => Ok(url.replace(TENANT_PLACEHOLDER, t)),
        (Some(_), _) => Err(Error::new(ErrorCode::InvalidTenant, "the token set's tenant is not one this provider can have")),
        (None, _) => Err(Error::new(ErrorCode::InvalidTenant, "this provider's endpoints depend on the tenant, and none is known")),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::providers::TenantSource;

    fn zoho_like() -> Tenant {
        Tenant {
            source: TenantSource::Callback,
            param: "accounts-server".into(),
            values: vec![("https://accounts.zoho.eu".into(), "zoho.eu".into()), ("https://accounts.zohocloud.ca".into(), "zohocloud.ca".into())],
            default: None,
        }
    }

    #[test]
    fn listed_values_only() {
        let rule = zoho_like();
        assert_eq!(resolve(&rule, "https://accounts.zoho.eu").unwrap(), "zoho.eu");
        for bad in ["https://accounts.zoho.eu/", "https://accounts.zoho.eu.evil.example", "https://evil.example", "zoho.eu", "", "HTTPS://ACCOUNTS.ZOHO.EU"] {
            assert_eq!(resolve(&rule, bad).unwrap_err().code, ErrorCode::InvalidTenant, "{bad}");
        }
        let plain = Tenant { values: vec![], ..zoho_like() };
        assert_eq!(resolve(&plain, "4711").unwrap(), "4711");
        for bad in ["a.b", "evil.example/x", "a b", "", &"1".repeat(65)] {
            assert_eq!(resolve(&plain, bad).unwrap_err().code, ErrorCode::InvalidTenant, "{bad}");
        }
    }

    #[test]
    fn templates_take_known_tenants_only() {
        let mut p = crate::core::providers::preset("gorgias").unwrap();
        p.tenant = Some(zoho_like());
        let t = "https://accounts.{tenant}/oauth/v2/token";
        assert_eq!(fill_url(&p, t, None, Some("zoho.eu")).unwrap(), "https://accounts.zoho.eu/oauth/v2/token");
        for bad in [Some("evil.example"), Some("zoho.eu/x"), None] {
            assert_eq!(fill_url(&p, t, None, bad).unwrap_err().code, ErrorCode::InvalidTenant, "{bad:?}");
        }
        // A template without the placeholder ignores the tenant.
        assert_eq!(fill_url(&p, "https://x/token", None, Some("evil")).unwrap(), "https://x/token");
        assert_eq!(member_text(&Value::Number(62_000_001.0)).as_deref(), Some("62000001"));
        assert_eq!(member_text(&Value::Number(-1.0)), None);
        assert_eq!(member_text(&Value::Number(1.5)), None);
        assert_eq!(member_text(&Value::Number(0.0)).as_deref(), Some("0"));
        assert_eq!(member_text(&Value::Number(9_007_199_254_740_991.0)).as_deref(), Some("9007199254740991"));
        assert_eq!(member_text(&Value::Number(1e300)), None);
        assert_eq!(member_text(&Value::Bool(true)), None);
    }
}
