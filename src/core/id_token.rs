//! id_token validation as OpenID Connect Core §3.1.3.7 asks of a client, minus the signature,
//! which needs keys and WebCrypto and is checked by the boundary (`crate::wasm::jws`) for
//! providers that publish keys. Gorgias publishes none, so for it these claims checks are the
//! whole validation.

use super::error::{Error, ErrorCode, Result};
use super::json::Value;
use super::jws::check_header;
use super::jwt::decode;
use super::secret::ct_eq;

pub const DEFAULT_CLOCK_TOLERANCE_SECONDS: u64 = 60;

/// What the id_token must say, from the pending authorization and the client configuration.
#[derive(Clone, Copy)]
pub struct Expected<'a> {
    /// The issuer the pending authorization is bound to (`https://acme.gorgias.com`).
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: Option<&'a str>,
    pub now_ms: u64,
    pub tolerance_seconds: u64,
    /// Whether a non-negative integer `sub` is accepted (Gorgias sends one) besides a string.
    pub integer_sub: bool,
}

fn numeric(claims: &Value, name: &str) -> Result<u64> {
    claims.get(name).and_then(Value::as_u64).ok_or_else(|| Error::new(ErrorCode::IdTokenInvalid, format!("id_token has no numeric `{name}` claim")))
}

/// A NumericDate claim in ms since the epoch, compared with the clock's milliseconds (flooring
/// the clock to seconds would accept a token up to a second past its `exp`).
fn seconds_ms(seconds: u64) -> u64 {
    seconds.saturating_mul(1000)
}

/// A whole non-negative JSON number (`10`, also `1e1`: the host's parser does not tell them apart).
fn is_non_negative_integer(value: &Value) -> bool {
    matches!(value, Value::Number(n) if n.is_finite() && n.is_sign_positive() && n.fract() == 0.0)
}

/// Checks step by step: the JOSE header (6-8, also without keys), iss (2), aud (3), azp (4-5),
/// exp (9), iat (10), nbf, sub, nonce (11). Returns the claims for the caller's use.
pub fn validate(id_token: &str, expected: &Expected<'_>) -> Result<Value> {
    let (header, claims) = decode(id_token)?;
    // Without keys (Gorgias) the signature cannot be checked, but the header still must name an
    // algorithm this client would verify: `alg: none` is refused for every provider.
    check_header(&header)?;
    if claims.get("iss").and_then(Value::as_str) != Some(expected.issuer) {
        return Err(Error::new(
            ErrorCode::IdTokenIssuerMismatch,
            format!("id_token `iss` is not {} (the issuer this authorization is bound to)", expected.issuer),
        ));
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        // Every member must be a string: a number dropped silently would turn two audiences into
        // one and skip the `azp` rule.
        Some(Value::Array(items)) => items
            .iter()
            .map(Value::as_str)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| Error::new(ErrorCode::IdTokenInvalid, "id_token `aud` has a member that is not a string"))?,
        _ => return Err(Error::new(ErrorCode::IdTokenInvalid, "id_token has no `aud` claim")),
    };
    if !audiences.contains(&expected.client_id) {
        return Err(Error::new(ErrorCode::IdTokenAudienceMismatch, "id_token `aud` does not contain this client's id (token issued to another app)"));
    }
    match claims.get("azp") {
        Some(Value::String(azp)) if azp != expected.client_id => {
            return Err(Error::new(ErrorCode::IdTokenAudienceMismatch, "id_token `azp` is another client"));
        }
        None if audiences.len() > 1 => {
            return Err(Error::new(ErrorCode::IdTokenAudienceMismatch, "id_token has several audiences but no `azp`"));
        }
        Some(Value::String(_)) | None => {}
        Some(_) => return Err(Error::new(ErrorCode::IdTokenInvalid, "id_token `azp` is not a string")),
    }
    let now = expected.now_ms;
    let tolerance = seconds_ms(expected.tolerance_seconds);
    let exp = seconds_ms(numeric(&claims, "exp")?);
    if now >= exp.saturating_add(tolerance) {
        return Err(Error::new(ErrorCode::IdTokenExpired, format!("id_token expired {} s ago", now.saturating_sub(exp) / 1000)));
    }
    let iat = seconds_ms(numeric(&claims, "iat")?);
    if iat > now.saturating_add(tolerance) {
        return Err(Error::new(ErrorCode::IdTokenIssuedInFuture, format!("id_token is issued {} s in the future (check the clock)", (iat - now) / 1000)));
    }
    if claims.get("nbf").is_some() {
        let nbf = seconds_ms(numeric(&claims, "nbf")?);
        if nbf > now.saturating_add(tolerance) {
            return Err(Error::new(
                ErrorCode::IdTokenIssuedInFuture,
                format!("id_token is not valid for another {} s (`nbf`; check the clock)", (nbf - now) / 1000),
            ));
        }
    }
    let sub_ok = match claims.get("sub") {
        Some(Value::String(s)) => !s.is_empty(),
        Some(n) if expected.integer_sub => is_non_negative_integer(n),
        _ => false,
    };
    if !sub_ok {
        let form = if expected.integer_sub { "a non-empty string or a non-negative integer" } else { "a non-empty string" };
        return Err(Error::new(ErrorCode::IdTokenInvalid, format!("id_token has no `sub` claim that is {form}")));
    }
    check_nonce(&claims, expected.nonce)?;
    Ok(claims)
}

/// An id_token from a refresh response (OIDC Core §12.2): valid like a fresh one (without a
/// nonce to expect), and, when the token set had an id_token (`original`), a continuation of that
/// authentication: same `iss`, `sub`, `aud` and `azp` (none if the original had none), the same
/// `auth_time` if both have one, no `nonce` other than the original's, and a new `iat` (not older
/// than the clock tolerance). A refresh that fails here leaves the previous token set as it was.
pub fn validate_refreshed(id_token: &str, expected: &Expected<'_>, original: Option<&Value>) -> Result<Value> {
    let claims = validate(id_token, &Expected { nonce: None, ..*expected })?;
    let Some(original) = original else { return Ok(claims) };
    let mismatch = |what: &str| {
        Err(Error::new(ErrorCode::IdTokenRefreshMismatch, format!("the refreshed id_token {what} (OIDC Core §12.2); the previous token set is unchanged")))
    };
    let same = |name: &str| claims.get(name) == original.get(name);
    if !same("iss") {
        return mismatch("has another issuer than the original");
    }
    if !same("sub") {
        return mismatch("is about another user than the original (`sub`)");
    }
    if audience_set(&claims) != audience_set(original) {
        return mismatch("has other audiences than the original (`aud`)");
    }
    if !same("azp") {
        return mismatch("names another authorized party than the original (`azp`)");
    }
    if claims.get("auth_time").is_some() && original.get("auth_time").is_some() && !same("auth_time") {
        return mismatch("claims another authentication time than the original (`auth_time`)");
    }
    if claims.get("nonce").is_some() && !same("nonce") {
        return mismatch("carries a nonce the original did not");
    }
    let iat = seconds_ms(numeric(&claims, "iat")?);
    if iat.saturating_add(seconds_ms(expected.tolerance_seconds)) < expected.now_ms {
        return mismatch("was not newly issued (`iat` is older than the clock tolerance)");
    }
    Ok(claims)
}

/// `aud` as a sorted list, so that `"c"` and `["c"]` compare equal.
fn audience_set(claims: &Value) -> Vec<&str> {
    let mut list: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    list.sort_unstable();
    list.dedup();
    list
}

fn check_nonce(claims: &Value, expected_nonce: Option<&str>) -> Result<()> {
    let Some(expected) = expected_nonce else { return Ok(()) };
    match claims.get("nonce") {
        Some(Value::String(n)) if ct_eq(n.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(Error::new(ErrorCode::NonceMismatch, "id_token `nonce` does not match the pending authorization (possible token injection)")),
        None => Err(Error::new(ErrorCode::NonceMismatch, "id_token has no `nonce` although the authorization request sent one")),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::core::jwt::tests::make_jwt;

    pub const NOW_MS: u64 = 1_700_000_000_000;

    pub fn claims(extra: &str) -> String {
        let base = r#""iss":"https://acme.gorgias.com","aud":["client-123"],"sub":10,"iat":1700000000,"exp":1700003600,"nonce":"abc""#;
        // Later members replace earlier ones: build the object from a map of the two.
        let mut members: Vec<(String, String)> = Vec::new();
        for part in [base, extra] {
            let v = crate::core::json::parse(&format!("{{{part}}}")).unwrap();
            if let Value::Object(m) = v {
                for (k, v) in m {
                    members.retain(|(key, _)| *key != k);
                    if v != Value::Null {
                        members.push((k, serde_json::to_string(&v).unwrap()));
                    }
                }
            }
        }
        format!("{{{}}}", members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(","))
    }

    pub fn expected() -> Expected<'static> {
        Expected { issuer: "https://acme.gorgias.com", client_id: "client-123", nonce: Some("abc"), now_ms: NOW_MS, tolerance_seconds: 60, integer_sub: true }
    }

    fn with_header(header: &str, claims_json: &str) -> String {
        use crate::core::encoding::base64url;
        format!("{}.{}.c2ln", base64url(header.as_bytes()), base64url(claims_json.as_bytes()))
    }

    #[test]
    fn the_header_is_checked_without_keys() {
        // Gorgias publishes no keys, so the signature is never verified; the JOSE header still
        // has to name an algorithm this client would verify, exactly spelt, and nothing critical.
        let body = claims("");
        validate(&with_header(r#"{"alg":"RS256"}"#, &body), &expected()).unwrap();
        validate(&with_header(r#"{"alg":"ES256","typ":"JWT","kid":"k"}"#, &body), &expected()).unwrap();
        for header in [
            r#"{"alg":"none"}"#,
            r#"{"alg":"None"}"#,
            r#"{"alg":"HS256"}"#,
            r#"{"alg":"HS512"}"#,
            r#"{"alg":"PS256"}"#,
            r#"{"alg":"es256"}"#,
            r#"{"alg":"rs256"}"#,
            r#"{"alg":"RS256 "}"#,
            r#"{}"#,
            r#"{"alg":null}"#,
            r#"{"alg":["RS256"]}"#,
            r#"{"typ":"JWT"}"#,
        ] {
            assert_eq!(validate(&with_header(header, &body), &expected()).unwrap_err().code, ErrorCode::IdTokenAlgUnsupported, "{header}");
        }
        for header in [r#"{"alg":"RS256","crit":["exp"]}"#, r#"{"alg":"RS256","crit":[]}"#, r#"{"alg":"RS256","crit":"b64"}"#] {
            assert_eq!(validate(&with_header(header, &body), &expected()).unwrap_err().code, ErrorCode::IdTokenInvalid, "{header}");
        }
    }

    #[test]
    fn nbf_aud_members_and_exp_to_the_millisecond() {
        // nbf: a number, and not in the future beyond the tolerance.
        validate(&make_jwt(&claims(r#""nbf":1700000060"#)), &expected()).unwrap();
        validate(&make_jwt(&claims(r#""nbf":1600000000"#)), &expected()).unwrap();
        assert_eq!(validate(&make_jwt(&claims(r#""nbf":1700000061"#)), &expected()).unwrap_err().code, ErrorCode::IdTokenIssuedInFuture);
        for nbf in [r#""nbf":"1600000000""#, r#""nbf":-1"#, r#""nbf":true"#, r#""nbf":[1]"#] {
            assert_eq!(validate(&make_jwt(&claims(nbf)), &expected()).unwrap_err().code, ErrorCode::IdTokenInvalid, "{nbf}");
        }
        // aud: every member of an array is a string; a number is not quietly dropped.
        for aud in [r#""aud":["client-123",5]"#, r#""aud":["client-123",5],"azp":"client-123""#, r#""aud":["client-123",null]"#, r#""aud":[["client-123"]]"#] {
            assert_eq!(validate(&make_jwt(&claims(aud)), &expected()).unwrap_err().code, ErrorCode::IdTokenInvalid, "{aud}");
        }
        // exp + tolerance is compared with the clock's milliseconds, not its whole seconds: at
        // 500 ms past the last valid second the token is expired.
        let exp = r#""exp":1699999940"#; // + 60 s tolerance = exactly NOW
        assert_eq!(validate(&make_jwt(&claims(exp)), &Expected { now_ms: NOW_MS + 500, ..expected() }).unwrap_err().code, ErrorCode::IdTokenExpired);
        assert_eq!(validate(&make_jwt(&claims(exp)), &expected()).unwrap_err().code, ErrorCode::IdTokenExpired);
        validate(&make_jwt(&claims(exp)), &Expected { now_ms: NOW_MS - 1, ..expected() }).unwrap();
        // iat likewise: 1 ms past the tolerance is in the future.
        assert_eq!(
            validate(&make_jwt(&claims(r#""iat":1700000061"#)), &Expected { now_ms: NOW_MS + 999, ..expected() }).unwrap_err().code,
            ErrorCode::IdTokenIssuedInFuture
        );
        validate(&make_jwt(&claims(r#""iat":1700000061"#)), &Expected { now_ms: NOW_MS + 1000, ..expected() }).unwrap();
    }

    #[test]
    fn integer_sub_only_where_the_provider_sends_one() {
        // Gorgias sends `"sub": 10`; OIDC Core §2 says a string. Accepted only when the provider
        // is known to do this, and only as a non-negative integer.
        validate(&make_jwt(&claims(r#""sub":10"#)), &expected()).unwrap();
        let strict = Expected { integer_sub: false, ..expected() };
        validate(&make_jwt(&claims(r#""sub":"10""#)), &strict).unwrap();
        assert_eq!(validate(&make_jwt(&claims(r#""sub":10"#)), &strict).unwrap_err().code, ErrorCode::IdTokenInvalid);
        // `1e3` is the number 1000 to the host's JSON parser, as to any other: it passes as 1000.
        for sub in [r#""sub":10.5"#, r#""sub":-1"#, r#""sub":"""#] {
            assert_eq!(validate(&make_jwt(&claims(sub)), &expected()).unwrap_err().code, ErrorCode::IdTokenInvalid, "{sub}");
        }
    }

    #[test]
    fn valid_token_passes() {
        let c = validate(&make_jwt(&claims("")), &expected()).unwrap();
        assert_eq!(c.get("sub").unwrap().as_u64(), Some(10));
        validate(&make_jwt(&claims(r#""aud":"client-123""#)), &expected()).unwrap();
        validate(&make_jwt(&claims(r#""aud":["client-123","other"],"azp":"client-123""#)), &expected()).unwrap();
        validate(&make_jwt(&claims(r#""sub":"user-1""#)), &expected()).unwrap();
        // Within the clock tolerance on both sides.
        validate(&make_jwt(&claims(r#""exp":1699999950"#)), &expected()).unwrap();
        validate(&make_jwt(&claims(r#""iat":1700000050"#)), &expected()).unwrap();
        let no_nonce = Expected { nonce: None, ..expected() };
        validate(&make_jwt(&claims(r#""nonce":null"#)), &no_nonce).unwrap();
    }

    #[test]
    fn each_failure_has_its_code() {
        let cases: Vec<(&str, ErrorCode)> = vec![
            (r#""iss":"https://evil.gorgias.com""#, ErrorCode::IdTokenIssuerMismatch),
            (r#""iss":null"#, ErrorCode::IdTokenIssuerMismatch),
            (r#""iss":"https://acme.gorgias.com/""#, ErrorCode::IdTokenIssuerMismatch),
            (r#""aud":["other"]"#, ErrorCode::IdTokenAudienceMismatch),
            (r#""aud":"client-1234""#, ErrorCode::IdTokenAudienceMismatch),
            (r#""aud":null"#, ErrorCode::IdTokenInvalid),
            (r#""aud":5"#, ErrorCode::IdTokenInvalid),
            (r#""aud":["client-123","other"]"#, ErrorCode::IdTokenAudienceMismatch),
            (r#""azp":"other""#, ErrorCode::IdTokenAudienceMismatch),
            (r#""azp":1"#, ErrorCode::IdTokenInvalid),
            (r#""exp":1699999939"#, ErrorCode::IdTokenExpired),
            (r#""exp":null"#, ErrorCode::IdTokenInvalid),
            (r#""exp":"1700003600""#, ErrorCode::IdTokenInvalid),
            (r#""iat":1700000061"#, ErrorCode::IdTokenIssuedInFuture),
            (r#""iat":null"#, ErrorCode::IdTokenInvalid),
            (r#""sub":null"#, ErrorCode::IdTokenInvalid),
            (r#""sub":{}"#, ErrorCode::IdTokenInvalid),
            (r#""nonce":"abd""#, ErrorCode::NonceMismatch),
            (r#""nonce":null"#, ErrorCode::NonceMismatch),
            (r#""nonce":["abc"]"#, ErrorCode::NonceMismatch),
        ];
        for (extra, code) in cases {
            assert_eq!(validate(&make_jwt(&claims(extra)), &expected()).unwrap_err().code, code, "{extra}");
        }
        assert_eq!(validate("garbage", &expected()).unwrap_err().code, ErrorCode::IdTokenInvalid);
    }
}
