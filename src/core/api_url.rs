//! URLs for the provider's API: a path (or an absolute URL) resolved under the account's API base,
//! so that a bearer token is never sent anywhere else. `../../oauth/revoke` must not reach the
//! token endpoints next to the API, and an absolute URL must not name another host or account.
//!
//! Dot segments are resolved the way the host's URL parser (WHATWG) and servers will: `.`/`..`
//! and their percent-encoded spellings (`%2e`, `.%2E`, ...) count, a `;param` after them too
//! (some servers drop it). Anything the parser would change behind our back — backslashes (a
//! slash to it), tabs and newlines (removed by it), encoded slashes a server may decode — is
//! refused instead of guessed at.

use super::error::{Error, ErrorCode, Result};
use super::providers::Provider;
use super::tenant::fill_url;

const MAX_PATH_LEN: usize = 8 * 1024;

/// `scheme://authority` and the path of an absolute URL without query or fragment.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")?;
    let after = scheme_end + 3;
    let path_start = url[after..].find(['/', '?', '#']).map_or(url.len(), |i| after + i);
    Some((&url[..path_start], &url[path_start..]))
}

/// `scheme://` at the start, as in `https://...` (a `:` later on, as in `tickets:read`, is not one).
fn has_scheme(path: &str) -> bool {
    let Some(end) = path.find("://") else { return false };
    let scheme = &path[..end];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// The segment as the URL parser sees it for dot purposes: percent-encoded dots decoded, and a
/// `;parameter` dropped, so `.%2E`, `%2e%2e` and `..;x` are all `..`.
fn dot_form(segment: &str) -> String {
    let segment = segment.split(';').next().unwrap_or("");
    segment.to_ascii_lowercase().replace("%2e", ".")
}

/// RFC 3986 §5.2.4 over whole segments. `None` when `..` climbs above the root.
fn remove_dot_segments(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut trailing_slash = false;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match dot_form(segment).as_str() {
            "." => trailing_slash = last,
            ".." => {
                out.pop()?;
                trailing_slash = last;
            }
            _ => {
                out.push(segment);
                trailing_slash = false;
            }
        }
    }
    let mut resolved = format!("/{}", out.join("/"));
    if trailing_slash && !resolved.ends_with('/') {
        resolved.push('/');
    }
    Some(resolved)
}

/// The API URL for `path` in `account` (and `tenant`, for a provider whose API host depends on
/// it, as Zoho's data centre): a path is joined to the API base (`/tickets` and
/// `tickets` alike), an absolute URL must already be under it. Either way the result, dot
/// segments resolved, must stay under the base; otherwise `invalid_api_path`.
pub fn api_url(provider: &Provider, path: &str, account: Option<&str>, tenant: Option<&str>) -> Result<String> {
    let template =
        provider.api_base_url.as_deref().ok_or_else(|| Error::new(ErrorCode::InvalidConfig, format!("provider `{}` has no apiBaseUrl", provider.id)))?;
    let base = fill_url(provider, template, account, tenant)?;
    let base = base.trim_end_matches('/');
    let refuse = |why: &str| Err(Error::new(ErrorCode::InvalidApiPath, format!("the API path {why}: paths must stay under the API base {base}")));
    let (base_origin, base_path) = split_origin(base).ok_or_else(|| Error::new(ErrorCode::InvalidConfig, "apiBaseUrl is not an absolute URL"))?;
    if path.len() > MAX_PATH_LEN {
        return refuse("is longer than 8 KiB");
    }
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return refuse("contains whitespace or control characters");
    }
    if path.contains('\\') {
        return refuse("contains a backslash");
    }
    let target = if has_scheme(path) {
        let Some((origin, _)) = split_origin(path) else { return refuse("is not a valid URL") };
        if !origin.eq_ignore_ascii_case(base_origin) || origin.contains('@') {
            return refuse("is an absolute URL of another origin");
        }
        path[origin.len()..].to_string()
    } else {
        format!("{base_path}/{}", path.trim_start_matches('/'))
    };
    let split = target.find(['?', '#']).unwrap_or(target.len());
    let (route, suffix) = target.split_at(split);
    let route = if route.is_empty() { "/" } else { route };
    let lower = route.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return refuse("contains an encoded slash, backslash or NUL");
    }
    let Some(resolved) = remove_dot_segments(route) else { return refuse("climbs above the root") };
    let under = resolved == base_path || resolved.starts_with(&format!("{base_path}/")) || (base_path.is_empty() && resolved.starts_with('/'));
    if !under {
        return refuse("leaves the API base");
    }
    Ok(format!("{base_origin}{resolved}{suffix}"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::providers::preset;

    fn gorgias(path: &str) -> Result<String> {
        api_url(&preset("gorgias").unwrap(), path, Some("acme"), None)
    }

    #[test]
    fn paths_and_urls_under_the_base() {
        let cases = [
            ("/account", "https://acme.gorgias.com/api/account"),
            ("account", "https://acme.gorgias.com/api/account"),
            ("/tickets?limit=10", "https://acme.gorgias.com/api/tickets?limit=10"),
            ("/tickets/1/../2", "https://acme.gorgias.com/api/tickets/2"),
            ("/tickets/./1", "https://acme.gorgias.com/api/tickets/1"),
            ("/tickets/1/..", "https://acme.gorgias.com/api/tickets/"),
            ("/tickets?next=../../oauth/revoke", "https://acme.gorgias.com/api/tickets?next=../../oauth/revoke"),
            ("/search?q=https://x", "https://acme.gorgias.com/api/search?q=https://x"),
            ("/a:b", "https://acme.gorgias.com/api/a:b"),
            ("", "https://acme.gorgias.com/api/"),
            ("https://acme.gorgias.com/api/account", "https://acme.gorgias.com/api/account"),
            ("HTTPS://ACME.gorgias.com/api/x", "https://acme.gorgias.com/api/x"),
            ("https://acme.gorgias.com/api", "https://acme.gorgias.com/api"),
            ("https://acme.gorgias.com/api?x=1", "https://acme.gorgias.com/api?x=1"),
        ];
        for (path, url) in cases {
            assert_eq!(gorgias(path).unwrap(), url, "{path}");
        }
        let kustomer = api_url(&preset("kustomer").unwrap(), "/v1/customers/../me", None, None).unwrap();
        assert_eq!(kustomer, "https://api.kustomerapp.com/v1/me");
    }

    #[test]
    fn escapes_are_refused() {
        for path in [
            "../../oauth/revoke",
            "/../oauth/token",
            "..",
            "../",
            "/tickets/../../oauth/revoke",
            "%2e%2e/oauth/revoke",
            "%2E%2E/oauth/revoke",
            ".%2e/oauth/revoke",
            "%2e./oauth/revoke",
            "/x/%2e%2e/%2E%2e/oauth",
            "..;/oauth/revoke",
            "..%2foauth",
            "..%2Foauth",
            "..\\oauth",
            "/x\\..\\..\\oauth",
            "/.\t./oauth",
            "/..\n/oauth",
            "/%2e%2e%5coauth",
            "/a%00",
            "https://evil.example/api/account",
            "https://acme.gorgias.com.evil.example/api/x",
            "https://acme.gorgias.com/apix",
            "https://acme.gorgias.com/oauth/revoke",
            "https://acme.gorgias.com/api/../oauth/revoke",
            "https://acme.gorgias.com/api/%2e%2e/oauth/revoke",
            "http://acme.gorgias.com/api/x",
            "https://other.gorgias.com/api/x",
            "https://acme.gorgias.com@evil.example/api/x",
            "javascript://acme.gorgias.com/api",
            "https://acme.gorgias.com:444/api/x",
            &format!("/{}", "a".repeat(9000)),
        ] {
            let e = gorgias(path).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidApiPath, "{path:?}");
        }
        // The account is validated like any other; a provider without an API base is a config error.
        assert_eq!(api_url(&preset("gorgias").unwrap(), "/x", Some("evil.example/x?"), None).unwrap_err().code, ErrorCode::InvalidAccount);
        let mut no_api = preset("gorgias").unwrap();
        no_api.api_base_url = None;
        assert_eq!(api_url(&no_api, "/x", Some("acme"), None).unwrap_err().code, ErrorCode::InvalidConfig);
    }
}
