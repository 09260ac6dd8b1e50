//! Endpoint and redirect URI checks, without a URL parser: the core only ever needs the scheme,
//! the authority and the rest, and being strict about those is simpler than full WHATWG parsing.

use super::account::validate_account;
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
        // An IPv6 literal counts only when it is closed and followed by nothing or a port.
        return match stripped.split_once(']') {
            Some((inside, rest)) if rest.is_empty() || rest.starts_with(':') => inside,
            _ => "",
        };
    }
    authority.rsplit_once(':').map(|(h, _)| h).unwrap_or(authority)
}

/// `localhost`, `::1` (bracketed or not) or a dotted quad in 127.0.0.0/8, parsed exactly: every
/// octet decimal without leading zeros, at most 255. A prefix test would let
/// `127.attacker.example.com` (a public name) pass as loopback and get plain http.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if matches!(host.as_str(), "localhost" | "::1" | "[::1]") {
        return true;
    }
    let octet = |o: &str| {
        !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()) && (o == "0" || !o.starts_with('0')) && o.parse::<u16>().is_ok_and(|n| n <= 255)
    };
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4 && octets[0] == "127" && octets.iter().all(|o| octet(o))
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

/// Fills `{account}` into an endpoint template. The account is validated here again, whatever
/// it came from (fresh input, a stored token set, a pending record), so it cannot add a dot,
/// slash or `@` to the host.
pub fn fill(template: &str, account: Option<&str>) -> Result<String> {
    if !template.contains(ACCOUNT_PLACEHOLDER) {
        return Ok(template.to_string());
    }
    match account {
        Some(a) => Ok(template.replace(ACCOUNT_PLACEHOLDER, &validate_account(a)?)),
        None => Err(Error::new(ErrorCode::InvalidAccount, "this provider's endpoints are per account: an account is required")),
    }
}

/// Appends query parameters to a URL that may already have a query.
pub fn with_query(url: &str, query: &str) -> String {
    if query.is_empty() {
        url.to_string()
    } else if url.contains('?') {
        let sep = if url.ends_with('?') || url.ends_with('&') { "" } else { "&" };
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
            assert_eq!(check_absolute(u, "redirect_uri", ErrorCode::InvalidRedirectUri).unwrap_err().code, ErrorCode::InvalidRedirectUri, "{u}");
        }
    }

    #[test]
    fn loopback_is_parsed_not_prefixed() {
        for host in ["127.0.0.1", "127.255.255.254", "127.1.2.3", "localhost", "LOCALHOST", "[::1]", "::1"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "127.attacker.example.com",
            "127.0.0.1.evil.com",
            "127.0.0",
            "127.0.0.1.",
            "127.0.0.256",
            "127.0.0.01",
            "127.0.0.+1",
            "127.0.0.1a",
            "127.0.0.-1",
            "127..0.1",
            "128.0.0.1",
            "0.0.0.0",
            "localhost.",
            "localhost.evil.com",
            "evil.localhost",
            "[::2]",
            "[::1",
            "::1]",
            "[0:0:0:0:0:0:0:1]",
            "[::ffff:127.0.0.1]",
            "127.0x0.0.1",
            "",
            "127.0.0.1:80",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
        for url in [
            "http://127.attacker.example.com/cb",
            "http://127.a.b.c/",
            "http://127.0.0.1.evil.com:80/",
            "http://localhost.evil.com/",
            "http://[::2]/cb",
            "http://[::1/cb",
        ] {
            assert_eq!(check_absolute(url, "redirect_uri", ErrorCode::InvalidRedirectUri).unwrap_err().code, ErrorCode::InvalidRedirectUri, "{url}");
        }
        for url in ["http://127.0.0.1/cb", "http://127.9.9.9:1/cb", "http://[::1]/cb", "http://[::1]:3000/cb", "http://localhost:3000"] {
            check_absolute(url, "redirect_uri", ErrorCode::InvalidRedirectUri).unwrap();
        }
    }

    #[test]
    fn origins_and_queries() {
        assert_eq!(origin("https://Acme.gorgias.com/oauth/authorize").unwrap(), "https://acme.gorgias.com");
        assert_eq!(origin("http://127.0.0.1:5/x?y").unwrap(), "http://127.0.0.1:5");
        assert_eq!(with_query("https://a/b", "x=1"), "https://a/b?x=1");
        assert_eq!(with_query("https://a/b?y=2", "x=1"), "https://a/b?y=2&x=1");
        assert_eq!(fill("https://{account}.gorgias.com", Some("acme")).unwrap(), "https://acme.gorgias.com");
        assert_eq!(fill("https://{account}.gorgias.com", None).unwrap_err().code, ErrorCode::InvalidAccount);
        // Whatever the account came from (a stored row, a struct built by hand), it is checked
        // again where it becomes part of a URL.
        for bad in ["evil.example/x?", "a.b", "acme@evil", ""] {
            assert_eq!(fill("https://{account}.gorgias.com/oauth/token", Some(bad)).unwrap_err().code, ErrorCode::InvalidAccount, "{bad}");
        }
        assert_eq!(fill("https://api.example.com/token", Some("a.b")).unwrap(), "https://api.example.com/token");
    }
}
