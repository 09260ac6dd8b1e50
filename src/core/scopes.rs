//! Scope lists: validation (RFC 6749 §3.3) and the refresh-scope check.

use super::error::{Error, ErrorCode, Result};
use super::providers::Provider;

/// Each scope is 1..=200 characters of NQCHAR (printable ASCII except space, `"` and `\`).
pub fn validate_scopes(scopes: &[String]) -> Result<()> {
    if scopes.len() > 100 {
        return Err(Error::new(ErrorCode::InvalidScope, "more than 100 scopes requested"));
    }
    for s in scopes {
        let ok = !s.is_empty() && s.len() <= 200 && s.bytes().all(|b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b));
        if !ok {
            return Err(Error::new(
                ErrorCode::InvalidScope,
                "each scope must be 1-200 printable ASCII characters without spaces, quotes or backslashes (pass a list, not a space-separated string)",
            ));
        }
    }
    Ok(())
}

/// Keeps the first occurrence of each scope.
pub fn dedupe(scopes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(scopes.len());
    for s in scopes {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// When the caller wants a refresh token, the provider's refresh scope must be requested.
/// Gorgias wants `offline` and Kustomer `offline_access`; naming the other one is the usual mistake,
/// so the message says which one this provider takes.
pub fn check_refresh_scope(provider: &Provider, scopes: &[String]) -> Result<()> {
    let Some(needed) = provider.refresh_scope.as_deref() else { return Ok(()) };
    if scopes.iter().any(|s| s == needed) {
        return Ok(());
    }
    let mut message = format!("provider `{}` issues a refresh token only when scope `{needed}` is requested", provider.id);
    for other in ["offline", "offline_access"] {
        if other != needed && scopes.iter().any(|s| s == other) {
            message.push_str(&format!(" (`{other}` is the wrong name for this provider)"));
        }
    }
    message.push_str("; add it, or pass `offline: false` if the app needs no refresh token");
    Err(Error::new(ErrorCode::MissingRefreshScope, message))
}

/// Splits a `scope` value as providers send it (space separated, some use commas).
pub fn split_scope(value: &str, separator: &str) -> Vec<String> {
    let parts: Vec<String> = value.split(|c: char| c.is_whitespace() || separator.contains(c)).filter(|s| !s.is_empty()).map(str::to_string).collect();
    dedupe(&parts)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::providers::preset;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn refresh_scope_names_the_mistake() {
        let g = preset("gorgias").unwrap();
        check_refresh_scope(&g, &v(&["openid", "offline"])).unwrap();
        let e = check_refresh_scope(&g, &v(&["offline_access"])).unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingRefreshScope);
        assert!(e.message.contains("`offline_access` is the wrong name"), "{}", e.message);
        let k = preset("kustomer").unwrap();
        assert_eq!(check_refresh_scope(&k, &v(&["offline"])).unwrap_err().code, ErrorCode::MissingRefreshScope);
    }

    #[test]
    fn splitting_and_validation() {
        assert_eq!(split_scope("openid  email,offline email openid", " "), v(&["openid", "email,offline", "email"]));
        assert_eq!(split_scope("a,b c", ","), v(&["a", "b", "c"]));
        validate_scopes(&v(&["tickets:read", "org.permission.customer"])).unwrap();
        for bad in ["", "a b", "a\"b", "a\\b", "é"] {
            assert_eq!(validate_scopes(&v(&[bad])).unwrap_err().code, ErrorCode::InvalidScope, "{bad}");
        }
    }
}
