//! The parts of a signed id_token that a signature check needs, and the choice of key from a
//! JWK set. The check itself runs in the host's WebCrypto (see `crate::wasm::jws`).

use super::encoding::base64url_decode;
use super::error::{Error, ErrorCode, Result};
use super::json::{self, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// ECDSA on P-256 with SHA-256; the JWS signature is r || s, 64 bytes.
    Es256,
}

impl Alg {
    pub fn kty(self) -> &'static str {
        match self {
            Alg::Rs256 => "RSA",
            Alg::Es256 => "EC",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Es256 => "ES256",
        }
    }
}

#[derive(Debug)]
pub struct SignedParts {
    pub alg: Alg,
    pub kid: Option<String>,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// The JOSE header's rules, whether or not the provider publishes keys to verify the signature
/// with: `alg` is exactly `RS256` or `ES256` (so `none`, the HMAC algorithms — which would make
/// the client secret or a public key the verification key — and anything misspelt are refused),
/// and there is no `crit`, whose extensions this client does not implement (RFC 7515 §4.1.11).
pub fn check_header(header: &Value) -> Result<Alg> {
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => Alg::Rs256,
        Some("ES256") => Alg::Es256,
        _ => return Err(Error::new(ErrorCode::IdTokenAlgUnsupported, "id_token is not signed with RS256 or ES256 (`none` and HMAC are refused)")),
    };
    if header.get("crit").is_some() {
        return Err(Error::new(ErrorCode::IdTokenInvalid, "id_token is not a valid JWS: it has critical header parameters this client does not understand"));
    }
    Ok(alg)
}

/// Reads header and signature. Only RS256 and ES256 are accepted: `none` and the HMAC algorithms
/// (which would make the client secret, or a public key, the verification key) are refused.
pub fn parse_signed(token: &str) -> Result<SignedParts> {
    let invalid = |why: &str| Error::new(ErrorCode::IdTokenInvalid, format!("id_token is not a valid JWS: {why}"));
    let mut parts = token.splitn(4, '.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(invalid("it does not have three parts"));
    };
    let header = base64url_decode(h)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| json::parse(&t).ok())
        .filter(Value::is_object)
        .ok_or_else(|| invalid("its header is not a JSON object"))?;
    let alg = check_header(&header)?;
    let signature = base64url_decode(s).ok_or_else(|| invalid("its signature is not base64url"))?;
    if alg == Alg::Es256 && signature.len() != 64 {
        return Err(Error::new(ErrorCode::IdTokenSignatureInvalid, "ES256 signature is not 64 bytes"));
    }
    Ok(SignedParts { alg, kid: header.get("kid").and_then(Value::as_str).map(str::to_string), signing_input: format!("{h}.{p}"), signature })
}

/// The one key of the set that may have made this signature: same `kid` when the token names
/// one, matching key type (and curve P-256 for ES256), and not restricted to another use or alg.
pub fn select_key<'a>(jwks: &'a Value, parts: &SignedParts) -> Result<&'a Value> {
    let Some(Value::Array(keys)) = jwks.get("keys") else {
        return Err(Error::new(ErrorCode::IdTokenKeyNotFound, "the provider's JWK set has no `keys` list"));
    };
    let fits = |k: &&Value| {
        let s = |name: &str| k.get(name).and_then(Value::as_str);
        s("kty") == Some(parts.alg.kty())
            && (parts.alg != Alg::Es256 || s("crv") == Some("P-256"))
            && s("use").is_none_or(|u| u == "sig")
            && s("alg").is_none_or(|a| a == parts.alg.name())
            && parts.kid.as_deref().is_none_or(|kid| s("kid") == Some(kid))
    };
    let mut candidates = keys.iter().filter(fits);
    match (candidates.next(), candidates.next()) {
        (Some(key), None) => Ok(key),
        (Some(_), Some(_)) => Err(Error::new(ErrorCode::IdTokenKeyNotFound, "several keys fit the id_token and it names none (`kid`)")),
        (None, _) => Err(Error::new(ErrorCode::IdTokenKeyNotFound, format!("no {} key in the provider's JWK set fits the id_token", parts.alg.name()))),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    fn token(header: &str, sig: &[u8]) -> String {
        format!("{}.{}.{}", base64url(header.as_bytes()), base64url(b"{}"), base64url(sig))
    }

    #[test]
    fn algorithms() {
        let p = parse_signed(&token(r#"{"alg":"RS256","kid":"k1"}"#, b"sig")).unwrap();
        assert_eq!((p.alg, p.kid.as_deref()), (Alg::Rs256, Some("k1")));
        assert!(p.signing_input.ends_with(&format!(".{}", base64url(b"{}"))));
        parse_signed(&token(r#"{"alg":"ES256"}"#, &[0; 64])).unwrap();
        for alg in ["none", "HS256", "RS384", "ES512", "PS256", "rs256"] {
            let e = parse_signed(&token(&format!(r#"{{"alg":"{alg}"}}"#), b"s")).unwrap_err();
            assert_eq!(e.code, ErrorCode::IdTokenAlgUnsupported, "{alg}");
        }
        assert_eq!(parse_signed(&token(r#"{"alg":"ES256"}"#, &[0; 63])).unwrap_err().code, ErrorCode::IdTokenSignatureInvalid);
        assert_eq!(parse_signed(&token(r#"{"alg":"RS256","crit":["x"]}"#, b"s")).unwrap_err().code, ErrorCode::IdTokenInvalid);
        assert_eq!(parse_signed("a.b").unwrap_err().code, ErrorCode::IdTokenInvalid);
    }

    #[test]
    fn key_selection() {
        let jwks = json::parse(
            r#"{"keys":[{"kty":"RSA","kid":"a","n":"x","e":"AQAB"},{"kty":"RSA","kid":"b","use":"enc","n":"x","e":"AQAB"},{"kty":"EC","crv":"P-256","kid":"c","x":"x","y":"y"}]}"#,
        )
        .unwrap();
        let rs = |kid: Option<&str>| SignedParts { alg: Alg::Rs256, kid: kid.map(str::to_string), signing_input: String::new(), signature: vec![] };
        assert_eq!(select_key(&jwks, &rs(Some("a"))).unwrap().get("kid").unwrap().as_str(), Some("a"));
        // Only one RSA signing key, so a token without kid still finds it.
        assert_eq!(select_key(&jwks, &rs(None)).unwrap().get("kid").unwrap().as_str(), Some("a"));
        assert_eq!(select_key(&jwks, &rs(Some("b"))).unwrap_err().code, ErrorCode::IdTokenKeyNotFound);
        assert_eq!(select_key(&jwks, &rs(Some("c"))).unwrap_err().code, ErrorCode::IdTokenKeyNotFound);
        let es = SignedParts { alg: Alg::Es256, kid: None, signing_input: String::new(), signature: vec![] };
        assert_eq!(select_key(&jwks, &es).unwrap().get("kid").unwrap().as_str(), Some("c"));
        let two = json::parse(r#"{"keys":[{"kty":"RSA","kid":"a"},{"kty":"RSA","kid":"b"}]}"#).unwrap();
        assert_eq!(select_key(&two, &rs(None)).unwrap_err().code, ErrorCode::IdTokenKeyNotFound);
        assert_eq!(select_key(&json::parse("{}").unwrap(), &rs(None)).unwrap_err().code, ErrorCode::IdTokenKeyNotFound);
    }
}
