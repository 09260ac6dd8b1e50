//! Reading JWT claims without checking the signature: for expiry hints from access tokens and
//! for id_token claims checks. Signature checks, where a provider publishes keys, are the host's
//! job (WebCrypto); this only decodes.

use super::encoding::base64url_decode;
use super::error::{Error, ErrorCode, Result};
use super::json::{self, Value};

const MAX_JWT_LEN: usize = 64 * 1024;

/// The claims of a compact JWS (`header.payload.signature`), which must be a JSON object.
pub fn decode_claims(token: &str) -> Result<Value> {
    decode(token).map(|(_, claims)| claims)
}

/// Header and claims of a compact JWS, both JSON objects; the signature is not looked at.
pub fn decode(token: &str) -> Result<(Value, Value)> {
    let invalid = |why: &str| Error::new(ErrorCode::IdTokenInvalid, format!("id_token is not a valid JWT: {why}"));
    if token.len() > MAX_JWT_LEN {
        return Err(invalid("it is longer than 64 KiB"));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid("it does not have three dot-separated parts"));
    };
    let header = base64url_decode(header).ok_or_else(|| invalid("its header is not base64url"))?;
    let header = parse_object(header).filter(Value::is_object).ok_or_else(|| invalid("its header is not a JSON object"))?;
    let payload = base64url_decode(payload).ok_or_else(|| invalid("its payload is not base64url"))?;
    let claims = parse_object(payload).filter(Value::is_object).ok_or_else(|| invalid("its payload is not a JSON object"))?;
    Ok((header, claims))
}

fn parse_object(bytes: Vec<u8>) -> Option<Value> {
    json::parse(std::str::from_utf8(&bytes).ok()?).ok()
}

/// The `exp` claim of a token that happens to be a JWT, in ms since the epoch.
pub fn expiry_ms(token: &str) -> Option<u64> {
    let claims = decode_claims(token).ok()?;
    let exp = claims.get("exp")?.as_u64()?;
    (exp > 0).then(|| exp.saturating_mul(1000))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    pub fn make_jwt(claims: &str) -> String {
        format!("{}.{}.c2ln", base64url(br#"{"alg":"RS256","typ":"JWT"}"#), base64url(claims.as_bytes()))
    }

    #[test]
    fn decodes_the_seed_example_payload() {
        // The payload of the id_token in Gorgias's documentation (its header was cut in the doc).
        let payload = "eyJpc3MiOiJodHRwczovL2FjbWUtY21pbi5uZ3Jvay5pbyIsImF1ZCI6WyI2MDkyNWY4ZmU5MGRlZDVlMjY1YWNkZjEiXSwiaWF0IjoxNjIwODQ3MDA5LCJleHAiOjE2MjA5MzM0MDksImF1dGhfdGltZSI6MTYyMDg0Njk1OCwibm9uY2UiOiIwMzI3dFJlaGxlZXBYOWdjZ0E3TzExMSIsImF0X2hhc2giOiJzX3RUVFA3OU9yNUJzOHJnMndUZFVRIiwic3ViIjoxMCwibmFtZSI6IkNvc21pbiBQb2llYW5hIiwiZW1haWwiOiJjb3NtaW5AYWNtZS5nb3JnaWFzLmlvIn0";
        let token = format!("{}.{payload}.sig", base64url(br#"{"alg":"RS256"}"#));
        let claims = decode_claims(&token).unwrap();
        assert_eq!(claims.get("nonce").unwrap().as_str(), Some("0327tRehleepX9gcgA7O111"));
        assert_eq!(claims.get("sub").unwrap().as_u64(), Some(10));
        assert_eq!(expiry_ms(&token), Some(1_620_933_409_000));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "a.b",
            "a.b.c.d",
            "!!.e30.x",
            &format!("{}.!!.x", base64url(b"{}")),
            &format!("{}.{}.x", base64url(b"{}"), base64url(b"[1]")),
            &format!("{}.{}.x", base64url(b"[]"), base64url(b"{}")),
        ] {
            assert_eq!(decode_claims(bad).unwrap_err().code, ErrorCode::IdTokenInvalid, "{bad}");
        }
        assert_eq!(expiry_ms("opaque-token"), None);
        assert_eq!(expiry_ms(&make_jwt(r#"{"exp":"soon"}"#)), None);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(decode_claims(&make_jwt(&deep)).unwrap_err().code, ErrorCode::IdTokenInvalid);
    }
}
