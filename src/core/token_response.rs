//! Reading token endpoint responses (RFC 6749 §5.1 / §5.2) as providers really send them, and
//! revocation responses (RFC 7009 §2.2).

use super::error::{Error, ErrorCode, Result};
use super::http::{HttpResponse, MAX_BODY_BYTES};
use super::json::{self, JsonError, Value};
use super::jwt;
use super::providers::Provider;
use super::scopes::split_scope;
use super::secret::Secret;
use super::token_set::TokenSet;

/// What the reader needs besides the response itself.
pub struct ResponseContext<'a> {
    pub now_ms: u64,
    pub provider: &'a Provider,
    pub account: Option<&'a str>,
    /// Scopes asked for; RFC 6749 §5.1 says an absent `scope` means exactly these were granted.
    pub requested_scopes: &'a [String],
    /// The token set being refreshed: its refresh token, scopes and id_token carry over when the
    /// response leaves them out (Gorgias sends no new refresh token).
    pub previous: Option<&'a TokenSet>,
}

fn describe(resp: &HttpResponse) -> String {
    let ct = resp.content_type.as_deref().map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .chars()
            .take(60)
            .collect::<String>()
    });
    format!(
        "HTTP {} with {} ({} bytes)",
        resp.status,
        ct.filter(|c| !c.is_empty())
            .as_deref()
            .unwrap_or("no content type"),
        resp.body.len()
    )
}

/// The body as a JSON object, or the error it stands for. Provider errors (`{"error": ...}`) win
/// over the status; a non-JSON body is named by status and content type, never echoed.
pub fn json_object(resp: &HttpResponse, endpoint: &str) -> Result<Value> {
    if resp.body.len() > MAX_BODY_BYTES {
        return Err(Error::new(
            ErrorCode::ResponseTooLarge,
            format!("{endpoint} answered with more than 1 MiB"),
        )
        .with_status(resp.status));
    }
    let parsed = json::parse(&resp.body);
    let ok = (200..300).contains(&resp.status);
    match parsed {
        Err(JsonError::TooDeep) => Err(Error::new(
            ErrorCode::ResponseInvalid,
            format!(
                "{endpoint} answered JSON nested deeper than {} levels",
                json::MAX_DEPTH
            ),
        )
        .with_status(resp.status)),
        Ok(map @ Value::Object(_)) => {
            if let Some(error) = map.get("error") {
                let code = error.as_str().unwrap_or("");
                let text = |k: &str| map.get(k).and_then(Value::as_str);
                let context = format!("{endpoint} refused the request (HTTP {})", resp.status);
                return Err(Error::from_provider(
                    code,
                    text("error_description"),
                    text("error_uri"),
                    &context,
                )
                .with_status(resp.status));
            }
            if !ok {
                return Err(Error::new(
                    ErrorCode::HttpError,
                    format!("{endpoint} answered {}", describe(resp)),
                )
                .with_status(resp.status));
            }
            Ok(map)
        }
        _ if !ok => {
            let code = if resp.status >= 500 {
                ErrorCode::ServerError
            } else {
                ErrorCode::HttpError
            };
            let code = if resp.status == 503 {
                ErrorCode::TemporarilyUnavailable
            } else {
                code
            };
            Err(Error::new(
                code,
                format!(
                    "{endpoint} answered {}, not an OAuth JSON response",
                    describe(resp)
                ),
            )
            .with_status(resp.status))
        }
        _ => Err(Error::new(
            ErrorCode::ResponseNotJson,
            format!("{endpoint} answered {}, not a JSON object", describe(resp)),
        )
        .with_status(resp.status)),
    }
}

fn invalid(resp: &HttpResponse, why: &str) -> Error {
    Error::new(
        ErrorCode::ResponseInvalid,
        format!("token response is not valid: {why}"),
    )
    .with_status(resp.status)
}

fn optional_string(map: &Value, key: &str, resp: &HttpResponse) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(resp, &format!("`{key}` is not a string"))),
    }
}

/// `expires_in` as a number or a numeric string; `None` for missing or 0 (some providers send 0
/// for "see the token"). Fractions are cut, absurdly large values capped at ten years.
fn expires_in(map: &Value, resp: &HttpResponse) -> Result<Option<u64>> {
    const TEN_YEARS: u64 = 10 * 365 * 86400;
    let seconds = match map.get("expires_in") {
        None | Some(Value::Null) => return Ok(None),
        Some(n @ Value::Number(_)) => n.as_u64(),
        // A numeric string is read with the JSON number grammar, so "1e3" works and "0x10" does not.
        Some(Value::String(s)) => match json::parse(s.trim()) {
            Ok(n @ Value::Number(_)) => n.as_u64(),
            _ => None,
        },
        Some(_) => None,
    };
    match seconds {
        Some(s) => Ok((s >= 1).then(|| s.min(TEN_YEARS))),
        None => Err(invalid(resp, "`expires_in` is not a non-negative number")),
    }
}

pub fn parse_token_response(resp: &HttpResponse, ctx: &ResponseContext<'_>) -> Result<TokenSet> {
    let map = json_object(resp, "token endpoint")?;
    let access_token = optional_string(&map, "access_token", resp)?
        .ok_or_else(|| invalid(resp, "it has no `access_token`"))?;
    let token_type = match optional_string(&map, "token_type", resp)? {
        Some(t) if t.eq_ignore_ascii_case("bearer") => "Bearer".to_string(),
        Some(t) => {
            return Err(Error::new(
                ErrorCode::UnsupportedTokenType,
                format!(
                    "token type `{}` is not supported (only Bearer)",
                    t.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .take(20)
                        .collect::<String>()
                ),
            )
            .with_status(resp.status))
        }
        None => return Err(invalid(resp, "it has no `token_type`")),
    };
    let expires_at = match expires_in(&map, resp)? {
        Some(seconds) => Some(ctx.now_ms.saturating_add(seconds.saturating_mul(1000))),
        None => jwt::expiry_ms(&access_token),
    };
    let scopes = match optional_string(&map, "scope", resp)? {
        Some(s) => split_scope(&s, &ctx.provider.scope_separator),
        None => match ctx.previous {
            Some(p) => p.scopes.clone(),
            None => ctx.requested_scopes.to_vec(),
        },
    };
    let refresh_token = optional_string(&map, "refresh_token", resp)?
        .map(Secret::new)
        .or_else(|| ctx.previous.and_then(|p| p.refresh_token.clone()));
    let id_token = optional_string(&map, "id_token", resp)?
        .map(Secret::new)
        .or_else(|| ctx.previous.and_then(|p| p.id_token.clone()));
    Ok(TokenSet {
        provider: ctx.provider.id.clone(),
        account: ctx.account.map(str::to_string),
        token_type,
        access_token: Secret::new(access_token),
        refresh_token,
        id_token,
        scopes,
        expires_at,
        obtained_at: ctx.now_ms,
    })
}

/// RFC 7009 §2.2: 200 means revoked (or already invalid); the body is ignored.
pub fn check_revocation_response(resp: &HttpResponse) -> Result<()> {
    if (200..300).contains(&resp.status) {
        return Ok(());
    }
    json_object(resp, "revocation endpoint").map(|_| ())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::jwt::tests::make_jwt;
    use crate::core::providers::preset;
    use crate::core::token_set::tests::sample;

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            content_type: Some(ct.into()),
            body: body.into(),
        }
    }

    fn parse(r: &HttpResponse, previous: Option<&TokenSet>) -> Result<TokenSet> {
        let p = preset("gorgias").unwrap();
        let requested = vec!["openid".to_string(), "offline".to_string()];
        parse_token_response(
            r,
            &ResponseContext {
                now_ms: 1_000_000,
                provider: &p,
                account: Some("acme"),
                requested_scopes: &requested,
                previous,
            },
        )
    }

    #[test]
    fn seed_gorgias_response() {
        let body = r#"{"access_token":"eyJhbGciOiJSUzI1NiIsInR5cCI6","expires_in":86400,"id_token":"x.y.z","refresh_token":"Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06","scope":"openid email profile offline write:all","token_type":"Bearer"}"#;
        let t = parse(&resp(200, "application/json", body), None).unwrap();
        assert_eq!(t.access_token.expose(), "eyJhbGciOiJSUzI1NiIsInR5cCI6");
        assert_eq!(t.expires_at, Some(1_000_000 + 86_400_000));
        assert_eq!(
            t.scopes,
            vec!["openid", "email", "profile", "offline", "write:all"]
        );
        assert_eq!(
            t.refresh_token.unwrap().expose(),
            "Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06"
        );
        assert_eq!(t.account.as_deref(), Some("acme"));
    }

    #[test]
    fn refresh_without_refresh_token_keeps_the_old_one() {
        let old = sample();
        let t = parse(
            &resp(
                200,
                "application/json",
                r#"{"access_token":"new","token_type":"Bearer","expires_in":86400}"#,
            ),
            Some(&old),
        )
        .unwrap();
        assert_eq!(t.refresh_token.unwrap().expose(), "refresh-RRR");
        assert_eq!(t.scopes, old.scopes);
        let t = parse(
            &resp(
                200,
                "application/json",
                r#"{"access_token":"new","token_type":"bearer","refresh_token":"rotated"}"#,
            ),
            Some(&old),
        )
        .unwrap();
        assert_eq!(t.refresh_token.unwrap().expose(), "rotated");
        assert_eq!(t.token_type, "Bearer");
    }

    #[test]
    fn expires_in_variants() {
        let jwt = make_jwt(r#"{"exp":2000}"#);
        let cases: Vec<(String, Option<u64>)> = vec![
            (r#""expires_in":"3600""#.into(), Some(1_000_000 + 3_600_000)),
            (r#""expires_in":3600.9"#.into(), Some(1_000_000 + 3_600_000)),
            (r#""expires_in":0"#.into(), None),
            (r#""expires_in":null"#.into(), None),
            (
                r#""expires_in":1e300"#.into(),
                Some(1_000_000 + 10 * 365 * 86_400_000),
            ),
        ];
        for (field, expected) in cases {
            let body = format!(r#"{{"access_token":"opaque","token_type":"BEARER",{field}}}"#);
            assert_eq!(
                parse(&resp(200, "application/json", &body), None)
                    .unwrap()
                    .expires_at,
                expected,
                "{field}"
            );
        }
        let body = format!(r#"{{"access_token":"{jwt}","token_type":"Bearer","expires_in":0}}"#);
        assert_eq!(
            parse(&resp(200, "application/json", &body), None)
                .unwrap()
                .expires_at,
            Some(2_000_000)
        );
        let body = format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#);
        assert_eq!(
            parse(&resp(200, "application/json", &body), None)
                .unwrap()
                .expires_at,
            Some(2_000_000)
        );
    }

    #[test]
    fn missing_scope_means_requested_scopes() {
        let t = parse(
            &resp(
                200,
                "application/json",
                r#"{"access_token":"a","token_type":"Bearer"}"#,
            ),
            None,
        )
        .unwrap();
        assert_eq!(t.scopes, vec!["openid", "offline"]);
    }

    #[test]
    fn bad_responses_table() {
        let cases: Vec<(HttpResponse, ErrorCode, Option<u16>)> = vec![
            (
                resp(
                    400,
                    "application/json",
                    r#"{"error":"invalid_grant","error_description":"The refresh token is revoked"}"#,
                ),
                ErrorCode::InvalidGrant,
                Some(400),
            ),
            (
                resp(401, "application/json", r#"{"error":"invalid_client"}"#),
                ErrorCode::InvalidClient,
                Some(401),
            ),
            (
                resp(400, "application/json", r#"{"error":"Invalid Client"}"#),
                ErrorCode::ProviderError,
                Some(400),
            ),
            (
                resp(200, "application/json", r#"{"error":"invalid_request"}"#),
                ErrorCode::InvalidRequest,
                Some(200),
            ),
            (
                resp(
                    502,
                    "text/html; charset=utf-8",
                    "<html><body>Bad Gateway</body></html>",
                ),
                ErrorCode::ServerError,
                Some(502),
            ),
            (
                resp(503, "text/html", "down"),
                ErrorCode::TemporarilyUnavailable,
                Some(503),
            ),
            (
                resp(404, "text/plain", "nope"),
                ErrorCode::HttpError,
                Some(404),
            ),
            (
                resp(500, "application/json", r#"{"message":"boom"}"#),
                ErrorCode::HttpError,
                Some(500),
            ),
            (
                resp(200, "text/html", "<html>login</html>"),
                ErrorCode::ResponseNotJson,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"Bearer""#,
                ),
                ErrorCode::ResponseNotJson,
                Some(200),
            ),
            (
                resp(200, "application/json", "[1,2]"),
                ErrorCode::ResponseNotJson,
                Some(200),
            ),
            (
                resp(200, "application/json", ""),
                ErrorCode::ResponseNotJson,
                Some(200),
            ),
            (
                resp(200, "application/json", r#"{"token_type":"Bearer"}"#),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"","token_type":"Bearer"}"#,
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":5,"token_type":"Bearer"}"#,
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(200, "application/json", r#"{"access_token":"a"}"#),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"mac"}"#,
                ),
                ErrorCode::UnsupportedTokenType,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"Bearer","expires_in":-5}"#,
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"#,
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"Bearer","refresh_token":{}}"#,
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"Bearer","scope":["a"]}"#,
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
                ),
                ErrorCode::ResponseInvalid,
                Some(200),
            ),
            (
                resp(
                    200,
                    "application/json",
                    r#"{"access_token":"a","token_type":"Bearer","access_token":"b"}"#,
                ),
                ErrorCode::ResponseNotJson,
                Some(200),
            ),
            (
                resp(200, "application/json", &" ".repeat(MAX_BODY_BYTES + 1)),
                ErrorCode::ResponseTooLarge,
                Some(200),
            ),
        ];
        for (r, code, status) in cases {
            let e = parse(&r, Some(&sample())).unwrap_err();
            assert_eq!(
                (e.code, e.status),
                (code, status),
                "{}",
                &r.body[..r.body.len().min(80)]
            );
        }
    }

    #[test]
    fn errors_never_echo_the_body() {
        let secret_body = r#"<html>client_secret=s3cr3t-value refresh=Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06</html>"#;
        let e = parse(&resp(502, "text/html", secret_body), None).unwrap_err();
        assert!(
            e.message.contains("502") && e.message.contains("text/html"),
            "{}",
            e.message
        );
        assert!(
            !e.message.contains("s3cr3t") && !e.message.contains("Bn8nh9"),
            "{}",
            e.message
        );
        let e = parse(&resp(400, "application/json", r#"{"error":"invalid_grant","error_description":"token Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06 is revoked"}"#), None).unwrap_err();
        assert!(!e.message.contains("Bn8nh9"), "{}", e.message);
    }

    #[test]
    fn revocation_responses() {
        check_revocation_response(&resp(200, "application/json", "{}")).unwrap();
        check_revocation_response(&resp(200, "text/plain", "")).unwrap();
        assert_eq!(
            check_revocation_response(&resp(
                400,
                "application/json",
                r#"{"error":"unsupported_token_type"}"#
            ))
            .unwrap_err()
            .code,
            ErrorCode::ProviderError
        );
        assert_eq!(
            check_revocation_response(&resp(503, "text/html", "x"))
                .unwrap_err()
                .code,
            ErrorCode::TemporarilyUnavailable
        );
    }
}
