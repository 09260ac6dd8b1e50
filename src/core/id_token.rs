//! id_token validation as OpenID Connect Core §3.1.3.7 asks of a client, minus the signature,
//! which needs keys and WebCrypto and is checked by the boundary (`crate::wasm::jws`) for
//! providers that publish keys. Gorgias publishes none, so for it these claims checks are the
//! whole validation.

use super::error::{Error, ErrorCode, Result};
use super::json::Value;
use super::jwt::decode_claims;
use super::secret::ct_eq;

pub const DEFAULT_CLOCK_TOLERANCE_SECONDS: u64 = 60;

/// What the id_token must say, from the pending authorization and the client configuration.
pub struct Expected<'a> {
    /// The issuer the pending authorization is bound to (`https://acme.gorgias.com`).
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: Option<&'a str>,
    pub now_ms: u64,
    pub tolerance_seconds: u64,
}

fn numeric(claims: &Value, name: &str) -> Result<u64> {
    claims.get(name).and_then(Value::as_u64).ok_or_else(|| {
        Error::new(
            ErrorCode::IdTokenInvalid,
            format!("id_token has no numeric `{name}` claim"),
        )
    })
}

/// Checks step by step: iss (2), aud (3), azp (4-5), exp (9), iat (10), nonce (11). Returns the
/// claims for the caller's use.
pub fn validate(id_token: &str, expected: &Expected<'_>) -> Result<Value> {
    let claims = decode_claims(id_token)?;
    if claims.get("iss").and_then(Value::as_str) != Some(expected.issuer) {
        return Err(Error::new(
            ErrorCode::IdTokenIssuerMismatch,
            format!(
                "id_token `iss` is not {} (the issuer this authorization is bound to)",
                expected.issuer
            ),
        ));
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => {
            return Err(Error::new(
                ErrorCode::IdTokenInvalid,
                "id_token has no `aud` claim",
            ))
        }
    };
    if !audiences.contains(&expected.client_id) {
        return Err(Error::new(
            ErrorCode::IdTokenAudienceMismatch,
            "id_token `aud` does not contain this client's id (token issued to another app)",
        ));
    }
    match claims.get("azp") {
        Some(Value::String(azp)) if azp != expected.client_id => {
            return Err(Error::new(
                ErrorCode::IdTokenAudienceMismatch,
                "id_token `azp` is another client",
            ));
        }
        None if audiences.len() > 1 => {
            return Err(Error::new(
                ErrorCode::IdTokenAudienceMismatch,
                "id_token has several audiences but no `azp`",
            ));
        }
        Some(Value::String(_)) | None => {}
        Some(_) => {
            return Err(Error::new(
                ErrorCode::IdTokenInvalid,
                "id_token `azp` is not a string",
            ))
        }
    }
    let now = expected.now_ms / 1000;
    let exp = numeric(&claims, "exp")?;
    if now > exp.saturating_add(expected.tolerance_seconds) {
        return Err(Error::new(
            ErrorCode::IdTokenExpired,
            format!("id_token expired {} s ago", now - exp),
        ));
    }
    let iat = numeric(&claims, "iat")?;
    if iat > now.saturating_add(expected.tolerance_seconds) {
        return Err(Error::new(
            ErrorCode::IdTokenIssuedInFuture,
            format!(
                "id_token is issued {} s in the future (check the clock)",
                iat - now
            ),
        ));
    }
    if !matches!(claims.get("sub"), Some(Value::String(_) | Value::Number(_))) {
        return Err(Error::new(
            ErrorCode::IdTokenInvalid,
            "id_token has no `sub` claim",
        ));
    }
    check_nonce(&claims, expected.nonce)?;
    Ok(claims)
}

fn check_nonce(claims: &Value, expected_nonce: Option<&str>) -> Result<()> {
    let Some(expected) = expected_nonce else {
        return Ok(());
    };
    match claims.get("nonce") {
        Some(Value::String(n)) if ct_eq(n.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(Error::new(
            ErrorCode::NonceMismatch,
            "id_token `nonce` does not match the pending authorization (possible token injection)",
        )),
        None => Err(Error::new(
            ErrorCode::NonceMismatch,
            "id_token has no `nonce` although the authorization request sent one",
        )),
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
        format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect::<Vec<_>>()
                .join(",")
        )
    }

    pub fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://acme.gorgias.com",
            client_id: "client-123",
            nonce: Some("abc"),
            now_ms: NOW_MS,
            tolerance_seconds: 60,
        }
    }

    #[test]
    fn valid_token_passes() {
        let c = validate(&make_jwt(&claims("")), &expected()).unwrap();
        assert_eq!(c.get("sub").unwrap().as_u64(), Some(10));
        validate(&make_jwt(&claims(r#""aud":"client-123""#)), &expected()).unwrap();
        validate(
            &make_jwt(&claims(
                r#""aud":["client-123","other"],"azp":"client-123""#,
            )),
            &expected(),
        )
        .unwrap();
        validate(&make_jwt(&claims(r#""sub":"user-1""#)), &expected()).unwrap();
        // Within the clock tolerance on both sides.
        validate(&make_jwt(&claims(r#""exp":1699999950"#)), &expected()).unwrap();
        validate(&make_jwt(&claims(r#""iat":1700000050"#)), &expected()).unwrap();
        let no_nonce = Expected {
            nonce: None,
            ..expected()
        };
        validate(&make_jwt(&claims(r#""nonce":null"#)), &no_nonce).unwrap();
    }

    #[test]
    fn each_failure_has_its_code() {
        let cases: Vec<(&str, ErrorCode)> = vec![
            (
                r#""iss":"https://evil.gorgias.com""#,
                ErrorCode::IdTokenIssuerMismatch,
            ),
            (r#""iss":null"#, ErrorCode::IdTokenIssuerMismatch),
            (
                r#""iss":"https://acme.gorgias.com/""#,
                ErrorCode::IdTokenIssuerMismatch,
            ),
            (r#""aud":["other"]"#, ErrorCode::IdTokenAudienceMismatch),
            (r#""aud":"client-1234""#, ErrorCode::IdTokenAudienceMismatch),
            (r#""aud":null"#, ErrorCode::IdTokenInvalid),
            (r#""aud":5"#, ErrorCode::IdTokenInvalid),
            (
                r#""aud":["client-123","other"]"#,
                ErrorCode::IdTokenAudienceMismatch,
            ),
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
            assert_eq!(
                validate(&make_jwt(&claims(extra)), &expected())
                    .unwrap_err()
                    .code,
                code,
                "{extra}"
            );
        }
        assert_eq!(
            validate("garbage", &expected()).unwrap_err().code,
            ErrorCode::IdTokenInvalid
        );
    }
}
