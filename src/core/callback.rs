//! Checking the authorization response the browser brings back to the redirect URI
//! (RFC 6749 §4.1.2, RFC 9207 `iss`), against the pending authorization.

use super::encoding::parse_query_unique;
use super::error::{Error, ErrorCode, Result};
use super::pending::PendingAuthorization;
use super::providers::{Provider, TenantSource};
use super::secret::{ct_eq, Secret};
use super::tenant::resolve;

const MAX_CALLBACK_LEN: usize = 16 * 1024;

/// A checked callback: the code may now be exchanged.
#[derive(Debug)]
pub struct AuthorizationCode {
    pub code: Secret,
    /// The tenant the callback named (Zoho's data centre), checked against the provider's list.
    pub tenant: Option<String>,
}

/// The query of a callback URL, or the query itself (with or without `?`).
fn query_of(callback: &str) -> Result<&str> {
    let without_fragment = callback.split_once('#').map(|(a, _)| a).unwrap_or(callback);
    if let Some((_, q)) = without_fragment.split_once('?') {
        return Ok(q);
    }
    if without_fragment.contains("://") || without_fragment.starts_with('/') {
        return Err(Error::new(ErrorCode::InvalidCallback, "callback URL has no query string (expected ?code=...&state=...)"));
    }
    Ok(without_fragment)
}

/// Checks, in this order: the pending record's age, `state` (constant time), `iss`, a provider
/// error, and finally that there is a code. State comes before the provider error so that a
/// forged error cannot be pushed into an app's flow by a third party.
pub fn check(callback: &str, pending: &PendingAuthorization, provider: &Provider, now_ms: u64, ttl_ms: u64) -> Result<AuthorizationCode> {
    if callback.len() > MAX_CALLBACK_LEN {
        return Err(Error::new(ErrorCode::InvalidCallback, "callback URL is longer than 16 KiB"));
    }
    if pending.provider != provider.id {
        return Err(Error::new(
            ErrorCode::PendingInvalid,
            format!("pending authorization was made for provider `{}`, not `{}`", pending.provider, provider.id),
        ));
    }
    pending.check_age(now_ms, ttl_ms)?;
    let params = parse_query_unique(query_of(callback)?).map_err(|name| {
        Error::new(ErrorCode::InvalidCallback, format!("callback parameter `{}` appears more than once", name.chars().take(40).collect::<String>()))
    })?;
    let get = |name: &str| params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());

    match get("state") {
        None | Some("") => {
            return Err(Error::new(ErrorCode::StateMissing, "callback has no `state`: it was not started by this app, or the provider dropped it"))
        }
        Some(state) if !ct_eq(state.as_bytes(), pending.state.as_bytes()) => {
            return Err(Error::new(
                ErrorCode::StateMismatch,
                "callback `state` does not match the pending authorization (forged, replayed, or from another browser session)",
            ))
        }
        Some(_) => {}
    }
    match get("iss") {
        Some(iss) if iss != pending.issuer => {
            return Err(Error::new(ErrorCode::IssuerMismatch, format!("callback `iss` is not the expected issuer {} (possible mix-up attack)", pending.issuer)))
        }
        None if provider.requires_iss => return Err(Error::new(ErrorCode::IssuerMismatch, "callback has no `iss`, which this provider always sends")),
        _ => {}
    }
    if let Some(error) = get("error") {
        return Err(Error::from_provider(error, get("error_description"), get("error_uri"), "authorization failed"));
    }
    let code = match get("code") {
        Some(code) if !code.is_empty() => Secret::new(code),
        _ => return Err(Error::new(ErrorCode::CodeMissing, "callback has neither `code` nor `error`")),
    };
    // The code goes to the tenant's token endpoint, so a tenant not on the provider's list is
    // refused here, before anything is sent.
    let tenant = match &provider.tenant {
        Some(rule) if rule.source == TenantSource::Callback => match (get(&rule.param), &rule.default) {
            (Some(sent), _) => Some(resolve(rule, sent)?),
            (None, Some(default)) => Some(default.clone()),
            (None, None) => return Err(Error::new(ErrorCode::InvalidTenant, "callback does not name the tenant this provider sends back")),
        },
        _ => None,
    };
    Ok(AuthorizationCode { code, tenant })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::providers::preset;

    fn pending() -> PendingAuthorization {
        PendingAuthorization::deserialize(&format!(
            r#"{{"v":1,"provider":"gorgias","account":"acme","issuer":"https://acme.gorgias.com","state":"{}","nonce":"n","redirect_uri":"https://app/cb","scopes":["offline"],"created_at":1000}}"#,
            "S".repeat(43)
        ))
        .unwrap()
    }

    fn run(url: &str) -> Result<AuthorizationCode> {
        check(url, &pending(), &preset("gorgias").unwrap(), 2000, 600_000)
    }

    #[test]
    fn accepts_a_good_callback_in_any_form() {
        let s = "S".repeat(43);
        for url in [
            format!("https://app/cb?code=abc&state={s}"),
            format!("https://app/cb?code=abc&state={s}&iss=https%3A%2F%2Facme.gorgias.com#x"),
            format!("?code=abc&state={s}"),
            format!("code=abc&state={s}"),
        ] {
            assert_eq!(run(&url).unwrap().code.expose(), "abc");
        }
    }

    #[test]
    fn bad_callbacks_table() {
        let s = "S".repeat(43);
        let cases: Vec<(String, ErrorCode)> = vec![
            ("https://app/cb".into(), ErrorCode::InvalidCallback),
            (format!("https://app/cb?code=abc&state={s}&state={s}"), ErrorCode::InvalidCallback),
            (format!("https://app/cb?code=a&code=b&state={s}"), ErrorCode::InvalidCallback),
            ("https://app/cb?code=abc".into(), ErrorCode::StateMissing),
            ("https://app/cb?code=abc&state=".into(), ErrorCode::StateMissing),
            ("https://app/cb?code=abc&state=wrong".into(), ErrorCode::StateMismatch),
            (format!("https://app/cb?code=abc&state={}", "S".repeat(42)), ErrorCode::StateMismatch),
            ("https://app/cb?error=access_denied".into(), ErrorCode::StateMissing),
            (format!("https://app/cb?error=access_denied&error_description=User+said+no&state={s}"), ErrorCode::AccessDenied),
            (format!("https://app/cb?error=weird&state={s}"), ErrorCode::ProviderError),
            (format!("https://app/cb?error=state_mismatch&state={s}"), ErrorCode::ProviderError),
            (format!("https://app/cb?code=abc&state={s}&iss=https%3A%2F%2Fevil.gorgias.com"), ErrorCode::IssuerMismatch),
            (format!("https://app/cb?state={s}"), ErrorCode::CodeMissing),
            (format!("https://app/cb?code=&state={s}"), ErrorCode::CodeMissing),
            (format!("https://app/cb?code={}&state={s}", "x".repeat(20000)), ErrorCode::InvalidCallback),
        ];
        for (url, code) in cases {
            assert_eq!(run(&url).unwrap_err().code, code, "{}", &url[..url.len().min(80)]);
        }
    }

    #[test]
    fn provider_error_keeps_description() {
        let s = "S".repeat(43);
        let e = run(&format!("/cb?error=access_denied&error_description=The+user+denied&error_uri=https%3A%2F%2Fx&state={s}")).unwrap_err();
        assert_eq!(e.description.as_deref(), Some("The user denied"));
        assert_eq!(e.uri.as_deref(), Some("https://x"));
        assert_eq!(e.oauth_error.as_deref(), Some("access_denied"));
    }

    #[test]
    fn expired_and_wrong_provider() {
        let s = "S".repeat(43);
        let url = format!("/cb?code=abc&state={s}");
        assert_eq!(check(&url, &pending(), &preset("gorgias").unwrap(), 1000 + 600_001, 600_000).unwrap_err().code, ErrorCode::PendingExpired);
        assert_eq!(check(&url, &pending(), &preset("kustomer").unwrap(), 2000, 600_000).unwrap_err().code, ErrorCode::PendingInvalid);
    }

    #[test]
    fn a_tenant_from_the_callback_must_be_on_the_list() {
        let s = "S".repeat(43);
        let mut p = preset("gorgias").unwrap();
        p.tenant = Some(crate::core::providers::Tenant {
            source: TenantSource::Callback,
            param: "accounts-server".into(),
            values: vec![("https://accounts.zoho.eu".into(), "zoho.eu".into())],
            default: Some("zoho.eu".into()),
        });
        let run = |q: &str| check(&format!("/cb?code=abc&state={s}{q}"), &pending(), &p, 2000, 600_000);
        assert_eq!(run("&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu").unwrap().tenant.as_deref(), Some("zoho.eu"));
        assert_eq!(run("").unwrap().tenant.as_deref(), Some("zoho.eu"), "the default when the parameter is absent");
        for q in ["&accounts-server=https%3A%2F%2Fevil.example", "&accounts-server=https%3A%2F%2Faccounts.zoho.eu.evil.example", "&accounts-server="] {
            assert_eq!(run(q).unwrap_err().code, ErrorCode::InvalidTenant, "{q}");
        }
        assert_eq!(run("&accounts-server=a&accounts-server=b").unwrap_err().code, ErrorCode::InvalidCallback);
        // The state is checked first: a forged callback learns nothing from the tenant check.
        assert_eq!(
            check("/cb?code=abc&state=x&accounts-server=https%3A%2F%2Fevil.example", &pending(), &p, 2000, 600_000).unwrap_err().code,
            ErrorCode::StateMismatch
        );
        p.tenant.as_mut().unwrap().default = None;
        assert_eq!(check(&format!("/cb?code=abc&state={s}"), &pending(), &p, 2000, 600_000).unwrap_err().code, ErrorCode::InvalidTenant);
        // Providers without a callback tenant ignore the parameter.
        assert_eq!(run_plain(&format!("/cb?code=abc&state={s}&accounts-server=x")), None);
    }

    fn run_plain(url: &str) -> Option<String> {
        run(url).unwrap().tenant
    }
}
