//! The few encodings OAuth needs: base64url, percent-encoding for URLs, form bodies and queries.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 3986 unreserved characters stay; everything else is escaped. Spaces become `%20`, which
/// every server decodes as a space (a `+` is only a space to form decoders).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

// Base64 is written out here rather than taken from the `base64` crate: the crate's generic
// engines cost ~6 KB of wasm for the three fixed variants below (measured with twiggy).
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        let chars = chunk.len() + 1;
        for i in 0..4 {
            if i < chars {
                out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64url(bytes: &[u8]) -> String {
    encode(bytes, URL_SAFE, false)
}

pub fn base64_standard(bytes: &[u8]) -> String {
    encode(bytes, STANDARD, true)
}

/// Decodes base64url, with or without `=` padding (JWTs are unpadded, some issuers pad anyway).
/// Refuses the standard alphabet's `+` and `/`, misplaced padding, and non-zero trailing bits,
/// so each text has exactly one decoding.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let body = text.trim_end_matches('=');
    let padding = text.len() - body.len();
    if padding > 2 || (padding > 0 && text.len() % 4 != 0) || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
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

#[cfg(all(test, not(target_arch = "wasm32")))]
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
        for bad in ["+/", "__5", "a", "ab=", "a===", "ab==c", "=", "ab c"] {
            assert!(base64url_decode(bad).is_none(), "{bad}");
        }
        assert_eq!(base64url_decode("").unwrap(), b"");
    }

    #[test]
    fn base64_rfc4648_vectors() {
        let vectors = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in vectors {
            assert_eq!(base64_standard(plain.as_bytes()), encoded);
            assert_eq!(base64url(plain.as_bytes()), encoded.trim_end_matches('='));
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
            assert_eq!(base64url_decode(encoded.trim_end_matches('=')).unwrap(), plain.as_bytes());
        }
        // Every byte value survives a round trip at every length mod 3.
        let all: Vec<u8> = (0..=255).collect();
        for n in 0..all.len() {
            assert_eq!(base64url_decode(&base64url(&all[..n])).unwrap(), &all[..n]);
        }
    }
}
