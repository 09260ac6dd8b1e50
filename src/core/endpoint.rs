//! Endpoint and redirect URI checks, without a URL parser: the core only ever needs the scheme,
//! the authority and the rest, and being strict about those is simpler than full WHATWG parsing.

use super::error::{Error, ErrorCode, Result};

pub const ACCOUNT_PLACEHOLDER: &str = "{account}";

/// Splits `scheme://authority/rest` into its three parts, scheme lower-cased.
fn split(url: &str) -> Option<(String, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((scheme.to_ascii_lowercase(), &rest[..end], &rest[end..]))
}

fn host_of(authority: &str) -> &str {
    if let Some(stripped) = authority.strip_prefix('[') {
        return stripped.split(']').next().unwrap_or("");
    }
    authority
        .rsplit_once(':')
        .map(|(h, _)| h)
        .unwrap_or(authority)
}

pub fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host == "::1"
        || host.starts_with("127.") && host[4..].split('.').count() == 3
}

/// Absolute `https` URL, or `http` to a loopback host (RFC 8252 §7.3, and local test servers).
/// No user info (`https://good@evil`), no fragment, no whitespace or control characters.
pub fn check_absolute(url: &str, what: &str, code: ErrorCode) -> Result<()> {
    let fail = |why: &str| Err(Error::new(code, format!("{what} {why}")));
    if url.is_empty() {
        return fail("is empty");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("contains whitespace or control characters");
    }
    if url.contains('#') {
        return fail("must not contain a fragment (#)");
    }
    let Some((scheme, authority, rest)) = split(url) else {
        return fail("must be an absolute URL (https://...)");
    };
    if authority.is_empty() || authority.contains('@') || authority.contains('\\') {
        return fail("must have a plain host (no user info)");
    }
    if !(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')) {
        return fail("is malformed");
    }
    match scheme.as_str() {
        "https" => Ok(()),
        "http" if is_loopback_host(host_of(authority)) => Ok(()),
        "http" => fail("must use https (http is allowed only for 127.0.0.1, [::1] and localhost)"),
        _ => fail("must be an https URL"),
    }
}

/// `scheme://authority` of an absolute URL, lower-cased, used as the default issuer.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, authority, _) = split(url)?;
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

/// Fills `{account}` into an endpoint template. The account must already be validated, so it
/// cannot add a dot, slash or `@` to the host.
pub fn fill(template: &str, account: Option<&str>) -> Result<String> {
    if !template.contains(ACCOUNT_PLACEHOLDER) {
        return Ok(template.to_string());
    }
    match account {
        Some(a) => Ok(template.replace(ACCOUNT_PLACEHOLDER, a)),
        None => Err(Error::new(
            ErrorCode::InvalidAccount,
            "this provider's endpoints are per account: an account is required",
        )),
    }
}

/// Appends query parameters to a URL that may already have a query.
pub fn with_query(url: &str, query: &str) -> String {
    if query.is_empty() {
        url.to_string()
    } else if url.contains('?') {
        let sep = if url.ends_with('?') || url.ends_with('&') {
            ""
        } else {
            "&"
        };
        format!("{url}{sep}{query}")
    } else {
        format!("{url}?{query}")
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn absolute_url_rules() {
        let ok = [
            "https://app.example.com/cb",
            "https://app.example.com/cb?account=acme",
            "http://127.0.0.1:8080/cb",
            "http://localhost/cb",
            "http://[::1]:3000/cb",
            "https://x",
        ];
        for u in ok {
            check_absolute(u, "redirect_uri", ErrorCode::InvalidRedirectUri).unwrap();
        }
        let bad = [
            "",
            "/cb",
            "app.example.com/cb",
            "http://app.example.com/cb",
            "https://app/cb#x",
            "https://good@evil.com/cb",
            "javascript://x",
            "https://a b",
            "http://127.0.0.1.evil.com/",
            "ftp://x/",
        ];
        for u in bad {
            assert_eq!(
                check_absolute(u, "redirect_uri", ErrorCode::InvalidRedirectUri)
                    .unwrap_err()
                    .code,
                ErrorCode::InvalidRedirectUri,
                "{u}"
            );
        }
    }

    #[test]
    fn origins_and_queries() {
        assert_eq!(
            origin("https://Acme.gorgias.com/oauth/authorize").unwrap(),
            "https://acme.gorgias.com"
        );
        assert_eq!(
            origin("http://127.0.0.1:5/x?y").unwrap(),
            "http://127.0.0.1:5"
        );
        assert_eq!(with_query("https://a/b", "x=1"), "https://a/b?x=1");
        assert_eq!(with_query("https://a/b?y=2", "x=1"), "https://a/b?y=2&x=1");
        assert_eq!(
            fill("https://{account}.gorgias.com", Some("acme")).unwrap(),
            "https://acme.gorgias.com"
        );
        assert_eq!(
            fill("https://{account}.gorgias.com", None)
                .unwrap_err()
                .code,
            ErrorCode::InvalidAccount
        );
    }
}
