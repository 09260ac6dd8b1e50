//! The tenant a flow runs against: a Gorgias account (subdomain) or a Kustomer org.
//!
//! The account ends up inside a host name (`https://{account}.gorgias.com`), so anything but one
//! plain DNS label would let a caller steer tokens to another host (`evil.com/`, `acme.gorgias.com.evil.com`).

use super::encoding::parse_query_unique;
use super::error::{Error, ErrorCode, Result};

pub const MAX_LABEL_LEN: usize = 63;

/// Validates one DNS label (letters, digits, inner hyphens; 1..=63 chars) and lower-cases it.
/// No trimming, decoding or dot-stripping: input that needs fixing is refused, not guessed at.
pub fn validate_account(account: &str) -> Result<String> {
    let fail = |why: &str| Err(Error::new(ErrorCode::InvalidAccount, format!("invalid account: {why}; expected one DNS label such as `acme`")));
    if account.is_empty() {
        return fail("it is empty");
    }
    if account.len() > MAX_LABEL_LEN {
        return fail("it is longer than 63 characters");
    }
    if !account.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return if account.contains('.') {
            fail("it contains a dot (give the subdomain only, not a host name)")
        } else {
            fail("it contains a character other than a-z, 0-9 and '-'")
        };
    }
    if account.starts_with('-') || account.ends_with('-') {
        return fail("it starts or ends with '-'");
    }
    Ok(account.to_ascii_lowercase())
}

/// Reads the account from the request the helpdesk sends to the app's App URL
/// (`https://app.example.com/install?account={gorgias_account}`). `param` names the query
/// parameter the App URL was registered with.
pub fn account_from_install_url(url: &str, param: &str) -> Result<String> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let query = query.split_once('#').map(|(q, _)| q).unwrap_or(query);
    let pairs = parse_query_unique(query)
        .map_err(|name| Error::new(ErrorCode::InvalidInstallRequest, format!("install request: parameter `{}` appears more than once", short(&name))))?;
    match pairs.into_iter().find(|(n, _)| n == param) {
        Some((_, value)) => validate_account(&value),
        None => Err(Error::new(
            ErrorCode::InvalidInstallRequest,
            format!("install request has no `{}` query parameter (the App URL must contain `{{gorgias_account}}`)", short(param)),
        )),
    }
}

fn short(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(40).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn accepts_labels_and_lowercases() {
        assert_eq!(validate_account("acme").unwrap(), "acme");
        assert_eq!(validate_account("Acme-Shop2").unwrap(), "acme-shop2");
        assert_eq!(validate_account(&"a".repeat(63)).unwrap().len(), 63);
    }

    #[test]
    fn refuses_everything_else() {
        for bad in [
            "",
            "evil.com/",
            "a.b",
            "acme.gorgias.com.evil.com",
            "%2e",
            "acme%2eevil",
            "-acme",
            "acme-",
            " acme",
            "ac me",
            "acme/",
            "acme@evil",
            "acme:443",
            "ａcme",
            "acme\n",
            &"a".repeat(64),
        ] {
            let e = validate_account(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidAccount, "{bad:?}");
        }
    }

    #[test]
    fn install_url() {
        assert_eq!(account_from_install_url("https://app.example.com/install?account=Acme", "account").unwrap(), "acme");
        assert_eq!(account_from_install_url("/install?x=1&shop=acme#frag", "shop").unwrap(), "acme");
        assert_eq!(account_from_install_url("/install", "account").unwrap_err().code, ErrorCode::InvalidInstallRequest);
        assert_eq!(account_from_install_url("/i?account=a&account=b", "account").unwrap_err().code, ErrorCode::InvalidInstallRequest);
        assert_eq!(account_from_install_url("/i?account=evil.com%2F", "account").unwrap_err().code, ErrorCode::InvalidAccount);
    }
}
