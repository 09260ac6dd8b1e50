//! The pending-authorization cookie: the `Set-Cookie` headers, finding the cookie in a `Cookie`
//! request header, the sealed value's layout and the plaintext inside it.
//!
//! The handlers keep the pending authorization (state, nonce, PKCE verifier) in the browser
//! between install and callback, so no server-side storage is needed. The value is sealed with
//! AES-GCM by the boundary (`crate::wasm::cookie`, WebCrypto); this module does everything around
//! the cipher, as plain functions over strings and bytes, so that it can be tested and fuzzed
//! without a JS host. Every failure to read a cookie is `cookie_missing`, `cookie_expired` or
//! `cookie_invalid`; messages never say which byte or field of a sealed value was wrong.

use super::encoding::{base64url, base64url_decode};
use super::error::{Error, ErrorCode, Result};
use super::json::{self, Fields, Value};
use super::pending::PendingAuthorization;

/// `__Host-`: the browser only accepts it with `Secure`, `Path=/` and no `Domain`, so a sibling
/// subdomain cannot plant or overwrite it (cookie tossing).
pub const DEFAULT_COOKIE_NAME: &str = "__Host-helpdesk-oauth";
pub const SEAL_VERSION: &str = "v1";
pub const IV_LEN: usize = 12;
/// AES-GCM's tag, appended to the ciphertext by WebCrypto.
pub const TAG_LEN: usize = 16;
/// Browsers keep at most 4096 bytes per cookie (name and value together); a longer cookie would
/// be dropped silently and the callback would fail with `cookie_missing`, so sealing refuses it.
pub const MAX_COOKIE_LEN: usize = 4096;
/// A `Cookie` header longer than this is refused before it is split (bounded work).
pub const MAX_COOKIE_HEADER_LEN: usize = 64 * 1024;
pub const DEFAULT_MAX_AGE_SECONDS: u64 = 600;
pub const MAX_MAX_AGE_SECONDS: u64 = 3600;
pub const MAX_RETURN_TO_LEN: usize = 512;
/// Version 2 carries the pending record as a nested object (version 1 nested it as JSON text,
/// which would need a JSON writer in wasm); a version-1 cookie asks the user to start again.
const PAYLOAD_VERSION: u64 = 2;

/// The app secret the cookie key is derived from (HKDF in `crate::wasm::cookie`).
pub const MIN_SECRET_BYTES: usize = 32;
pub const MAX_SECRET_BYTES: usize = 1024;
const MIN_DISTINCT_SECRET_BYTES: usize = 8;

/// Refuses a cookie secret too short, too long, or with almost no entropy: fewer than 8
/// different bytes (32 identical bytes, `abab…`), a short block repeated (`passwordpassword…`),
/// or mostly one step between neighbours (`abcdef…`, `0123…`). HKDF stretches a secret but adds
/// no entropy, so such a secret makes every sealed cookie forgeable. Random secrets pass with
/// overwhelming probability, whether raw, hex or base64url. The message never shows the secret.
pub fn check_cookie_secret(secret: &[u8]) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::new(
            ErrorCode::InvalidConfig,
            format!("cookieSecret {why}: use 32 random bytes, e.g. base64url of crypto.getRandomValues(new Uint8Array(32))"),
        ))
    };
    if !(MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&secret.len()) {
        return refuse("must be 32 to 1024 bytes");
    }
    let mut seen = [false; 256];
    for &b in secret {
        seen[b as usize] = true;
    }
    if seen.iter().filter(|s| **s).count() < MIN_DISTINCT_SECRET_BYTES {
        return refuse("has fewer than 8 different bytes");
    }
    if (1..=secret.len() / 2).any(|p| (p..secret.len()).all(|i| secret[i] == secret[i - p])) {
        return refuse("is a short block repeated");
    }
    let mut steps = [0usize; 256];
    for pair in secret.windows(2) {
        steps[pair[1].wrapping_sub(pair[0]) as usize] += 1;
    }
    if steps.iter().any(|&n| n * 2 > secret.len() - 1) {
        return refuse("is mostly a run or a counting sequence");
    }
    Ok(())
}

fn invalid(why: &str) -> Error {
    Error::new(ErrorCode::CookieInvalid, format!("the authorization cookie is not valid ({why}): start the installation again"))
}

/// RFC 6265 §4.1.1 cookie-name (an RFC 7230 token) that also starts with `__Host-`.
pub fn validate_cookie_name(name: &str) -> Result<()> {
    let token = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if token && name.starts_with("__Host-") {
        Ok(())
    } else {
        Err(Error::new(ErrorCode::InvalidConfig, "the cookie name must be 8-64 token characters starting with `__Host-`"))
    }
}

fn attributes(max_age_seconds: u64) -> String {
    format!("Max-Age={max_age_seconds}; Path=/; Secure; HttpOnly; SameSite=Lax")
}

/// The `Set-Cookie` value that stores `value`. SameSite=Lax (not Strict): the callback is a
/// top-level navigation coming from the provider's site, which Strict would send without it.
pub fn set_cookie_header(name: &str, value: &str, max_age_seconds: u64) -> Result<String> {
    validate_cookie_name(name)?;
    if !(1..=MAX_MAX_AGE_SECONDS).contains(&max_age_seconds) {
        return Err(Error::new(ErrorCode::InvalidConfig, format!("the cookie lifetime must be 1 to {MAX_MAX_AGE_SECONDS} seconds")));
    }
    if !value.bytes().all(is_value_byte) {
        return Err(Error::new(ErrorCode::InvalidConfig, "a cookie value must be printable ASCII without spaces, quotes, commas, semicolons or backslashes"));
    }
    if name.len() + 1 + value.len() > MAX_COOKIE_LEN {
        return Err(Error::new(
            ErrorCode::InvalidConfig,
            "the sealed authorization is larger than a browser keeps in one cookie (4096 bytes): use fewer scopes or a shorter return path",
        ));
    }
    Ok(format!("{name}={value}; {}", attributes(max_age_seconds)))
}

/// The `Set-Cookie` value that deletes the cookie (same attributes, or the browser keeps it).
pub fn clear_cookie_header(name: &str) -> Result<String> {
    validate_cookie_name(name)?;
    Ok(format!("{name}=; {}", attributes(0)))
}

/// RFC 6265 §4.1.1 cookie-octet.
fn is_value_byte(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}

/// The value of the cookie `name` in a `Cookie` request header. It must be there exactly once:
/// a second one was planted by someone else (or a stale path), and picking either would let an
/// attacker choose which authorization the callback completes.
pub fn find_cookie<'a>(header: Option<&'a str>, name: &str) -> Result<&'a str> {
    let missing = || {
        Error::new(ErrorCode::CookieMissing, "the authorization cookie is missing: the installation was not started in this browser, took longer than the cookie's lifetime, or cookies are blocked")
    };
    let Some(header) = header else { return Err(missing()) };
    if header.len() > MAX_COOKIE_HEADER_LEN {
        return Err(invalid("the Cookie header is over 64 KiB"));
    }
    let mut found: Option<&str> = None;
    for pair in header.split(';') {
        let pair = pair.trim_matches([' ', '\t']);
        // Pairs without '=' are nameless values some browsers send; they are not ours.
        let Some((n, v)) = pair.split_once('=') else { continue };
        if n.trim_end_matches([' ', '\t']) != name {
            continue;
        }
        if found.is_some() {
            return Err(invalid("it appears more than once"));
        }
        found = Some(v.trim_start_matches([' ', '\t']));
    }
    let value = found.ok_or_else(missing)?;
    if value.is_empty() {
        return Err(missing()); // what a cleared cookie looks like to a browser that still sends it
    }
    if value.len() > MAX_COOKIE_LEN {
        return Err(invalid("it is too long"));
    }
    Ok(value)
}

/// A sealed value split into its parts: `v1.<base64url IV>.<base64url ciphertext and tag>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub iv: [u8; IV_LEN],
    /// Ciphertext followed by the 16-byte tag, as WebCrypto takes and returns it.
    pub ciphertext: Vec<u8>,
}

impl Sealed {
    pub fn encode(&self) -> String {
        format!("{SEAL_VERSION}.{}.{}", base64url(&self.iv), base64url(&self.ciphertext))
    }

    /// Strict: one version, unpadded base64url only (so each value has one spelling), an IV of
    /// exactly 12 bytes and a ciphertext longer than the tag.
    pub fn decode(value: &str) -> Result<Sealed> {
        if value.len() > MAX_COOKIE_LEN {
            return Err(invalid("it is too long"));
        }
        let mut parts = value.split('.');
        let (Some(version), Some(iv), Some(ciphertext), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(invalid("it is not in the sealed format"));
        };
        if version != SEAL_VERSION {
            return Err(invalid("unknown version"));
        }
        let unpadded = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !unpadded(iv) || !unpadded(ciphertext) {
            return Err(invalid("it is not in the sealed format"));
        }
        let iv: [u8; IV_LEN] = base64url_decode(iv).and_then(|b| b.try_into().ok()).ok_or_else(|| invalid("it is not in the sealed format"))?;
        let ciphertext = base64url_decode(ciphertext).filter(|c| c.len() > TAG_LEN).ok_or_else(|| invalid("it is not in the sealed format"))?;
        Ok(Sealed { iv, ciphertext })
    }
}

/// Finds the cookie and splits its value: everything about an incoming cookie that comes before
/// the cipher (the part a fuzzer can reach without the key).
pub fn read_sealed(header: Option<&str>, name: &str) -> Result<Sealed> {
    Sealed::decode(find_cookie(header, name)?)
}

/// What the sealed cookie carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookiePayload {
    pub pending: PendingAuthorization,
    /// A same-origin path to send the user to after the callback, checked against the allow list.
    pub return_to: Option<String>,
    /// ms since the epoch; the cookie's Max-Age, repeated inside the seal because a browser's
    /// clock and its handling of Max-Age are not ours to trust.
    pub expires_at: u64,
}

impl CookiePayload {
    /// The plaintext to seal, as JSON text (natively; in wasm the boundary serializes the payload
    /// and the host stringifies it).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads decrypted plaintext (natively; in wasm the host parses and calls `from_value`).
    pub fn from_json(plaintext: &[u8], now_ms: u64) -> Result<CookiePayload> {
        let text = std::str::from_utf8(plaintext).map_err(|_| invalid("its content is not text"))?;
        let value = json::parse(text).map_err(|_| invalid("its content is not JSON"))?;
        CookiePayload::from_value(&value, now_ms)
    }

    /// Reads a decrypted payload. Its shape is checked even though the seal authenticated it: a
    /// payload from another version of this library must fail cleanly, not half-work.
    pub fn from_value(value: &Value, now_ms: u64) -> Result<CookiePayload> {
        let mut f = Fields::new(value, "authorization cookie", ErrorCode::CookieInvalid)?;
        if f.u64("v")? != Some(PAYLOAD_VERSION) {
            return Err(invalid("unsupported version"));
        }
        let pending = f.raw("pending").cloned().ok_or_else(|| invalid("it has no pending authorization"))?;
        let return_to = f.string("return_to")?;
        let expires_at = f.u64("exp")?.ok_or_else(|| invalid("it has no expiry"))?;
        f.finish()?;
        if expires_at > now_ms.saturating_add(MAX_MAX_AGE_SECONDS * 1000 + 60_000) {
            return Err(invalid("its expiry is too far in the future"));
        }
        if now_ms >= expires_at {
            return Err(Error::new(ErrorCode::CookieExpired, "the authorization cookie has expired: start the installation again"));
        }
        let pending = PendingAuthorization::from_value(&pending).map_err(|_| invalid("its pending authorization is not valid"))?;
        if let Some(path) = &return_to {
            check_return_path_shape(path).map_err(|_| invalid("its return path is not valid"))?;
        }
        Ok(CookiePayload { pending, return_to, expires_at })
    }
}

/// A path the browser will resolve against our own origin, and only that: it starts with one `/`
/// (`//host` and `/\host` are other hosts to a browser), has no dot segments (which could climb
/// out of an allowed prefix), no encoded slashes, dots or backslashes, no fragment, no spaces or
/// control characters.
fn check_return_path_shape(path: &str) -> std::result::Result<(), ()> {
    let bytes = path.as_bytes();
    if path.is_empty() || path.len() > MAX_RETURN_TO_LEN || bytes[0] != b'/' || matches!(bytes.get(1), Some(b'/' | b'\\')) {
        return Err(());
    }
    if !bytes.iter().all(|&b| (0x21..0x7f).contains(&b) && b != b'\\' && b != b'#') {
        return Err(());
    }
    let lower = path.to_ascii_lowercase();
    if ["%2e", "%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Err(());
    }
    let route = path.split('?').next().unwrap_or(path);
    if route.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(());
    }
    Ok(())
}

/// Checks a return path against the app's allow list: an entry matches itself exactly, and an
/// entry ending in `/` also matches every path below it. The query is not part of the match.
pub fn check_return_to(path: &str, allow: &[String]) -> Result<String> {
    for entry in allow {
        if check_return_path_shape(entry).is_err() || entry.contains('?') {
            return Err(Error::new(
                ErrorCode::InvalidConfig,
                "allowReturnTo entries must be paths starting with one `/`, without query, fragment or dot segments",
            ));
        }
    }
    let refuse = || Error::new(ErrorCode::InvalidReturnTo, "the return path is not a same-site path on the app's allow list (allowReturnTo)");
    check_return_path_shape(path).map_err(|_| refuse())?;
    let route = path.split('?').next().unwrap_or(path);
    let allowed = allow.iter().any(|entry| route == entry || (entry.ends_with('/') && route.starts_with(entry.as_str())));
    if allowed {
        Ok(path.to_string())
    } else {
        Err(refuse())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const NAME: &str = DEFAULT_COOKIE_NAME;

    fn pending() -> PendingAuthorization {
        crate::core::pending::tests::sample()
    }

    fn sealed_value() -> String {
        Sealed { iv: [7; IV_LEN], ciphertext: vec![9; 40] }.encode()
    }

    #[test]
    fn set_cookie_headers() {
        let v = sealed_value();
        assert_eq!(set_cookie_header(NAME, &v, 600).unwrap(), format!("__Host-helpdesk-oauth={v}; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Lax"));
        assert_eq!(clear_cookie_header(NAME).unwrap(), "__Host-helpdesk-oauth=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax");
        let cases: &[(&str, &str, u64)] = &[
            ("helpdesk-oauth", "v", 600),      // not __Host-
            ("__Host-a b", "v", 600),          // not a token
            ("__Host-a;b", "v", 600),          // not a token
            (NAME, "v", 0),                    // lifetime 0
            (NAME, "v", 3601),                 // lifetime over an hour
            (NAME, "a;b", 600),                // value would end the pair
            (NAME, "a b", 600),                // space
            (NAME, "\"a\"", 600),              // quotes
            (NAME, "a\r\nSet-Cookie: x", 600), // header injection
        ];
        for (name, value, age) in cases {
            assert_eq!(set_cookie_header(name, value, *age).unwrap_err().code, ErrorCode::InvalidConfig, "{name} {value} {age}");
        }
        let huge = "a".repeat(MAX_COOKIE_LEN);
        assert_eq!(set_cookie_header(NAME, &huge, 600).unwrap_err().code, ErrorCode::InvalidConfig);
        assert_eq!(clear_cookie_header("x").unwrap_err().code, ErrorCode::InvalidConfig);
    }

    #[test]
    fn finding_the_cookie() {
        let ok: &[(&str, &str)] = &[
            ("__Host-helpdesk-oauth=abc", "abc"),
            ("a=1; __Host-helpdesk-oauth=abc; b=2", "abc"),
            ("a=1;__Host-helpdesk-oauth=abc", "abc"),
            ("  __Host-helpdesk-oauth=abc  ", "abc"),
            ("nameless; __Host-helpdesk-oauth=a=b", "a=b"),
            ("helpdesk-oauth=x; __host-helpdesk-oauth=y; __Host-helpdesk-oauth=abc", "abc"),
        ];
        for (header, value) in ok {
            assert_eq!(find_cookie(Some(header), NAME).unwrap(), *value, "{header}");
        }
        let missing: &[Option<&str>] = &[
            None,
            Some(""),
            Some("a=1"),
            Some("__Host-helpdesk-oauth"),
            Some("__Host-helpdesk-oauth="),
            Some("x__Host-helpdesk-oauth=1"),
            Some("__Host-helpdesk-oauth2=1"),
        ];
        for header in missing {
            assert_eq!(find_cookie(*header, NAME).unwrap_err().code, ErrorCode::CookieMissing, "{header:?}");
        }
        let long_value = format!("{NAME}={}", "a".repeat(MAX_COOKIE_LEN + 1));
        let long_header = format!("{}; {NAME}=abc", "x=y; ".repeat(MAX_COOKIE_HEADER_LEN / 5));
        let invalid_cases = ["__Host-helpdesk-oauth=a; __Host-helpdesk-oauth=b", "__Host-helpdesk-oauth=a;__Host-helpdesk-oauth=a", &long_value, &long_header];
        for header in invalid_cases {
            assert_eq!(find_cookie(Some(header), NAME).unwrap_err().code, ErrorCode::CookieInvalid, "{}", &header[..40.min(header.len())]);
        }
    }

    #[test]
    fn sealed_layout_is_strict() {
        let s = Sealed { iv: [1; IV_LEN], ciphertext: (0..=40).collect() };
        assert_eq!(Sealed::decode(&s.encode()).unwrap(), s);
        let iv = base64url(&[1; IV_LEN]);
        let ct = base64url(&[2; 17]);
        let bad = [
            String::new(),
            "v1".into(),
            format!("v1.{iv}"),
            format!("v2.{iv}.{ct}"),
            format!("V1.{iv}.{ct}"),
            format!("v1.{iv}.{ct}.x"),
            format!("v1..{ct}"),
            format!("v1.{iv}."),
            format!("v1.{}.{ct}", base64url(&[1; 11])),      // IV too short
            format!("v1.{}.{ct}", base64url(&[1; 13])),      // IV too long
            format!("v1.{iv}.{}", base64url(&[2; TAG_LEN])), // tag only
            format!("v1.{iv}={ct}"),
            format!("v1.{iv}.{ct}="),                          // padding
            format!("v1.{iv}.{}", ct.replace('C', "+")),       // standard alphabet
            format!("v1.{iv}.{}", &ct[..ct.len() - 1]),        // truncated (non-zero trailing bits or bad length)
            format!("v1.{iv}.{}", "A".repeat(MAX_COOKIE_LEN)), // too long
            format!("v1.{iv}.{ct} "),
        ];
        for value in &bad {
            assert_eq!(Sealed::decode(value).unwrap_err().code, ErrorCode::CookieInvalid, "{value}");
        }
        assert_eq!(read_sealed(Some(&format!("{NAME}={}", s.encode())), NAME).unwrap(), s);
        assert_eq!(read_sealed(None, NAME).unwrap_err().code, ErrorCode::CookieMissing);
    }

    #[test]
    fn payload_roundtrip_and_expiry() {
        let payload = CookiePayload { pending: pending(), return_to: Some("/after?x=1".into()), expires_at: 2_000_000 };
        let json = payload.to_json();
        assert_eq!(CookiePayload::from_json(json.as_bytes(), 1_999_999).unwrap(), payload);
        assert_eq!(CookiePayload::from_json(json.as_bytes(), 2_000_000).unwrap_err().code, ErrorCode::CookieExpired);
        let no_return = CookiePayload { return_to: None, ..payload.clone() };
        assert_eq!(CookiePayload::from_json(no_return.to_json().as_bytes(), 0).unwrap(), no_return);
        // A far-future expiry was not written by sealing (at most an hour ahead).
        let far = CookiePayload { expires_at: 10_000_000_000, ..payload.clone() };
        assert_eq!(CookiePayload::from_json(far.to_json().as_bytes(), 0).unwrap_err().code, ErrorCode::CookieInvalid);
    }

    #[test]
    fn payload_shape_is_checked() {
        let p = pending().serialize();
        let cases: Vec<String> = vec![
            String::new(),
            "not json".into(),
            "[]".into(),
            "{}".into(),
            format!(r#"{{"v":3,"pending":{p},"exp":5}}"#),
            format!(r#"{{"v":2,"pending":{p}}}"#),
            format!(r#"{{"v":2,"pending":{p},"exp":"5"}}"#),
            format!(r#"{{"v":2,"pending":{p},"exp":5,"extra":1}}"#),
            format!(r#"{{"v":2,"pending":{p},"exp":5,"exp":6}}"#),
            format!(r#"{{"v":2,"pending":{{}},"exp":5}}"#),
            // Version 1 nested the record as text.
            format!(r#"{{"v":1,"pending":{},"exp":5}}"#, serde_json::to_string(&p).unwrap()),
            format!(r#"{{"v":2,"pending":{p},"exp":5,"return_to":"//evil.example"}}"#),
            format!(r#"{{"v":2,"pending":{p},"exp":5,"return_to":7}}"#),
        ];
        for text in &cases {
            assert_eq!(CookiePayload::from_json(text.as_bytes(), 1).unwrap_err().code, ErrorCode::CookieInvalid, "{text}");
        }
        assert_eq!(CookiePayload::from_json(&[0xff, 0xfe], 1).unwrap_err().code, ErrorCode::CookieInvalid);
        // Messages name no field values (the pending record holds the PKCE verifier).
        let e = CookiePayload::from_json(cases[4].as_bytes(), 1).unwrap_err();
        assert!(!e.message.contains("vvvv"), "{}", e.message);
    }

    #[test]
    fn cookie_secrets_need_length_and_variety() {
        // 32 random bytes, as raw bytes, hex or base64url; and a long passphrase.
        use sha2::{Digest, Sha256};
        let random: Vec<u8> = Sha256::digest(b"stands in for 32 random bytes").to_vec();
        let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
        for ok in [random.clone(), hex.into_bytes(), base64url(&random).into_bytes(), b"correct horse battery staple, twice over".to_vec()] {
            check_cookie_secret(&ok).unwrap_or_else(|e| panic!("{:?}: {}", String::from_utf8_lossy(&ok), e.message));
        }
        let refused: Vec<Vec<u8>> = vec![
            vec![0; 32],
            vec![b'a'; 32],
            vec![b'a'; 1024],
            b"abababababababababababababababab".to_vec(),
            b"passwordpasswordpasswordpassword".to_vec(),
            b"0123456789abcdef0123456789abcdef".to_vec(),
            b"abcdefghijklmnopqrstuvwxyzABCDEF".to_vec(),
            (0u8..32).collect(),
            (0u8..32).rev().collect(),
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab".to_vec(),
            b"1111111122222222333333334444444455".to_vec(),
            vec![b'x'; 31],
            vec![7; 1025],
        ];
        for bad in &refused {
            let e = check_cookie_secret(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{:?}", String::from_utf8_lossy(bad));
            assert!(!e.message.contains("password") && !e.message.contains("aaaa"), "{}", e.message);
        }
    }

    #[test]
    fn random_secrets_are_not_refused() {
        // The variety rules must not trip on real secrets: 3000 digests stand in for random
        // bytes, each tried raw, hex-encoded and base64url-encoded.
        use sha2::{Digest, Sha256};
        for i in 0u32..1000 {
            let raw = Sha256::digest(i.to_le_bytes()).to_vec();
            let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
            for secret in [raw.clone(), hex.into_bytes(), base64url(&raw).into_bytes()] {
                check_cookie_secret(&secret).unwrap();
            }
        }
    }

    #[test]
    fn return_paths() {
        let allow: Vec<String> = vec!["/dashboard".into(), "/settings/".into()];
        for ok in ["/dashboard", "/dashboard?tab=1", "/settings/", "/settings/billing", "/settings/a/b?x=%20"] {
            assert_eq!(check_return_to(ok, &allow).unwrap(), ok);
        }
        let refused = [
            "",
            "dashboard",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/dashboard",
            "/dashboard/x",
            "/dashboardx",
            "/settings",
            "/settings/../admin",
            "/settings/./x",
            "/settings/%2e%2e/admin",
            "/settings/%2F%2Fevil",
            "/settings/x#frag",
            "/settings/ x",
            "/settings/\u{7f}",
            "/settings/é",
            "/settings/%5cevil",
            "/settings/x\r\n",
        ];
        for bad in refused {
            assert_eq!(check_return_to(bad, &allow).unwrap_err().code, ErrorCode::InvalidReturnTo, "{bad:?}");
        }
        let too_long = format!("/settings/{}", "a".repeat(MAX_RETURN_TO_LEN));
        assert_eq!(check_return_to(&too_long, &allow).unwrap_err().code, ErrorCode::InvalidReturnTo);
        assert_eq!(check_return_to("/dashboard", &[]).unwrap_err().code, ErrorCode::InvalidReturnTo);
        for bad_entry in ["dashboard", "//x/", "/a?b", "/a/../b"] {
            assert_eq!(check_return_to("/a", &[bad_entry.to_string()]).unwrap_err().code, ErrorCode::InvalidConfig, "{bad_entry}");
        }
    }
}

/// The sealed plaintext (payload version 2, the pending record nested as an object).
#[derive(serde::Serialize)]
struct Sealable<'a> {
    v: u64,
    pending: &'a PendingAuthorization,
    #[serde(skip_serializing_if = "Option::is_none")]
    return_to: Option<&'a str>,
    exp: u64,
}

impl serde::Serialize for CookiePayload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        Sealable { v: PAYLOAD_VERSION, pending: &self.pending, return_to: self.return_to.as_deref(), exp: self.expires_at }.serialize(s)
    }
}
