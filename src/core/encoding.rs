//! The few encodings OAuth needs: base64url, percent-encoding for URLs, form bodies and queries.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986 unreserved characters stay; everything else is escaped. Spaces become `%20`, which
/// every server decodes as a space (a `+` is only a space to form decoders).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// JWT segments are unpadded base64url, but some issuers pad them anyway.
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_LENIENT.decode(text).ok()
}

pub fn base64_standard(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// `application/x-www-form-urlencoded` serialisation of name/value pairs.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&percent_encode(name));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// RFC 6749 §2.3.1: client id and secret are form-urlencoded *before* base64, so a `:` in the id
/// or a non-ASCII secret survives the round trip. Spaces become `+`, as the form encoding has it.
pub fn basic_credentials(client_id: &str, client_secret: &str) -> String {
    let id: String = form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    let secret: String = form_urlencoded::byte_serialize(client_secret.as_bytes()).collect();
    format!("Basic {}", base64_standard(format!("{id}:{secret}").as_bytes()))
}

/// Decodes a query string (without the `?`). Returns `None` for names repeated, which RFC 6749
/// §3.1 forbids and which would let an attacker smuggle a second `state` or `code`.
pub fn parse_query_unique(query: &str) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if out.iter().any(|(n, _)| *n == name) {
            return Err(name.into_owned());
        }
        out.push((name.into_owned(), value.into_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_is_strict() {
        assert_eq!(percent_encode("tickets:read offline"), "tickets%3Aread%20offline");
        assert_eq!(percent_encode("a-b._~"), "a-b._~");
        assert_eq!(percent_encode("é&="), "%C3%A9%26%3D");
    }

    #[test]
    fn basic_credentials_follow_rfc6749_2_3_1() {
        // "client:id" / "sec ret" -> "client%3Aid:sec+ret"
        assert_eq!(basic_credentials("client:id", "sec ret"), format!("Basic {}", base64_standard(b"client%3Aid:sec+ret")));
        assert_eq!(basic_credentials("abc", "xyz"), "Basic YWJjOnh5eg==");
    }

    #[test]
    fn query_parsing_rejects_repeats() {
        assert_eq!(parse_query_unique("a=1&b=x+y%21").unwrap(), vec![("a".into(), "1".into()), ("b".into(), "x y!".into())]);
        assert_eq!(parse_query_unique("state=1&state=2").unwrap_err(), "state");
    }

    #[test]
    fn base64url_roundtrip_and_padding_tolerance() {
        assert_eq!(base64url(b"\xff\xfe"), "__4");
        assert_eq!(base64url_decode("__4").unwrap(), b"\xff\xfe");
        assert_eq!(base64url_decode("__4=").unwrap(), b"\xff\xfe");
        assert!(base64url_decode("+/").is_none());
    }
}
