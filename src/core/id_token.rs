//! The id_token checks the core can make without keys: it decodes, and its `nonce` is the one
//! this authorization sent (OpenID Connect Core §3.1.3.7 step 11).

use super::error::{Error, ErrorCode, Result};
use super::jwt::decode_claims;
use super::secret::ct_eq;
use super::json::Value;

pub fn check_nonce(id_token: &str, expected_nonce: Option<&str>) -> Result<Value> {
    let claims = decode_claims(id_token)?;
    if let Some(expected) = expected_nonce {
        match claims.get("nonce") {
            Some(Value::String(n)) if ct_eq(n.as_bytes(), expected.as_bytes()) => {}
            Some(_) => return Err(Error::new(ErrorCode::NonceMismatch, "id_token `nonce` does not match the pending authorization (possible token injection)")),
            None => return Err(Error::new(ErrorCode::NonceMismatch, "id_token has no `nonce` although the authorization request sent one")),
        }
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::jwt::tests::make_jwt;

    #[test]
    fn nonce_rules() {
        let t = make_jwt(r#"{"nonce":"abc","sub":1}"#);
        assert_eq!(check_nonce(&t, Some("abc")).unwrap().get("sub").unwrap().as_u64(), Some(1));
        assert_eq!(check_nonce(&t, Some("abd")).unwrap_err().code, ErrorCode::NonceMismatch);
        assert_eq!(check_nonce(&make_jwt(r#"{"sub":1}"#), Some("abc")).unwrap_err().code, ErrorCode::NonceMismatch);
        assert_eq!(check_nonce(&make_jwt(r#"{"nonce":5}"#), Some("5")).unwrap_err().code, ErrorCode::NonceMismatch);
        check_nonce(&make_jwt(r#"{"sub":1}"#), None).unwrap();
        assert_eq!(check_nonce("garbage", Some("abc")).unwrap_err().code, ErrorCode::IdTokenInvalid);
    }
}
