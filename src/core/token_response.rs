//! Reading token endpoint responses (RFC 6749 §5.1 / §5.2) as providers really send them, and
//! revocation responses (RFC 7009 §2.2).

use super::error::{Error, ErrorCode, Result};
use super::http::{HttpResponse, MAX_BODY_BYTES};
use super::json::{self, JsonError, Value};
use super::jwt;
use super::providers::{ErrorRules, Provider, TenantSource, STANDARD_ERRORS};
use super::scopes::{dedupe, split_scope, validate_scopes};
use super::secret::Secret;
use super::tenant::{member_text, resolve};
use super::token_set::{is_token_syntax, TokenSet};

/// What the reader needs besides the response itself.
pub struct ResponseContext<'a> {
    pub now_ms: u64,
    pub provider: &'a Provider,
    pub account: Option<&'a str>,
    /// The tenant the callback named (or, at refresh, the token set's).
    pub tenant: Option<&'a str>,
    /// Scopes asked for; RFC 6749 §5.1 says an absent `scope` means exactly these were granted.
    pub requested_scopes: &'a [String],
    /// The token set being refreshed: its refresh token, scopes and id_token carry over when the
    /// response leaves them out (Gorgias sends no new refresh token).
    pub previous: Option<&'a TokenSet>,
    /// Every secret the request carried or the client holds (client secret, code, verifier, the
    /// tokens being refreshed): removed from provider error text by value.
    pub secrets: &'a [&'a str],
}

fn describe(resp: &HttpResponse) -> String {
    let ct = resp.content_type.as_deref().map(|c| c.split(';').next().unwrap_or("").trim().chars().take(60).collect::<String>());
    format!("HTTP {} with {} ({} bytes)", resp.status, ct.filter(|c| !c.is_empty()).as_deref().unwrap_or("no content type"), resp.body.len())
}

/// The body as a JSON object, or the error it stands for. Provider errors (`{"error": ...}`) win
/// over the status; a non-JSON body is named by status and content type, never echoed.
pub fn json_object(resp: &HttpResponse, endpoint: &str) -> Result<Value> {
    json_object_redacting(resp, endpoint, &[])
}

/// `json_object`, with `secrets` removed from any provider error text (see `redact_provider_text`).
pub fn json_object_redacting(resp: &HttpResponse, endpoint: &str, secrets: &[&str]) -> Result<Value> {
    json_object_with(resp, endpoint, secrets, &STANDARD_ERRORS)
}

/// The error a body names, under the provider's rules: `error`, else (for an error status, or a
/// provider that sends errors with 200) the first of its `fields` whose value it has an alias
/// for, else the first of them that is there. `Err` for an `error` member that is not a string.
fn error_name<'v>(map: &'v Value, rules: &ErrorRules, status: u16) -> std::result::Result<Option<&'v str>, ()> {
    match map.get("error") {
        None | Some(Value::Null) => {}
        Some(Value::String(error)) => return Ok(Some(error)),
        Some(_) => return Err(()),
    }
    if (200..300).contains(&status) && !rules.in_200 {
        return Ok(None);
    }
    let mut named = rules.fields.iter().filter_map(|f| map.get(f).and_then(Value::as_str));
    let first = named.clone().next();
    Ok(named.find(|n| alias(rules, n).is_some()).or(first))
}

fn alias<'r>(rules: &'r ErrorRules, name: &str) -> Option<&'r str> {
    rules.aliases.iter().find(|(from, _)| from == name).map(|(_, to)| to.as_str())
}

/// `json_object_redacting`, reading errors the provider's way (`Provider::errors`).
pub fn json_object_with(resp: &HttpResponse, endpoint: &str, secrets: &[&str], rules: &ErrorRules) -> Result<Value> {
    if resp.body.len() > MAX_BODY_BYTES {
        return Err(Error::new(ErrorCode::ResponseTooLarge, format!("{endpoint} answered with more than 1 MiB")).with_status(resp.status));
    }
    let parsed = json::parse(&resp.body);
    let ok = (200..300).contains(&resp.status);
    match parsed {
        Err(JsonError::TooDeep) => {
            Err(Error::new(ErrorCode::ResponseInvalid, format!("{endpoint} answered JSON nested deeper than {} levels", json::MAX_DEPTH))
                .with_status(resp.status))
        }
        // Only a parser that shows repeats can report this (natively; `JSON.parse` keeps the last).
        Err(JsonError::DuplicateKey) => {
            Err(Error::new(ErrorCode::ResponseInvalid, format!("{endpoint} answered JSON that repeats a member name")).with_status(resp.status))
        }
        Ok(map @ Value::Object(_)) => {
            match error_name(&map, rules, resp.status) {
                Ok(None) => {}
                Ok(Some(error)) => return Err(error_response(resp, endpoint, &map, error, secrets, rules)),
                // Not a provider error we could name: saying `provider_error` with an empty
                // `oauthError` would hide what is wrong.
                Err(()) => {
                    return Err(Error::new(
                        ErrorCode::ResponseInvalid,
                        format!("{endpoint} answered HTTP {} with an `error` member that is not a string (RFC 6749 §5.2)", resp.status),
                    )
                    .with_status(resp.status))
                }
            }
            if !ok {
                return Err(Error::new(ErrorCode::HttpError, format!("{endpoint} answered {}", describe(resp))).with_status(resp.status));
            }
            Ok(map)
        }
        _ if !ok => {
            let code = if resp.status >= 500 { ErrorCode::ServerError } else { ErrorCode::HttpError };
            let code = if resp.status == 503 { ErrorCode::TemporarilyUnavailable } else { code };
            Err(Error::new(code, format!("{endpoint} answered {}, not an OAuth JSON response", describe(resp))).with_status(resp.status))
        }
        _ => Err(Error::new(ErrorCode::ResponseNotJson, format!("{endpoint} answered {}, not a JSON object", describe(resp))).with_status(resp.status)),
    }
}

/// A JSON body with an `error` member. RFC 6749 §5.2 makes an error response a 400 (a 401 for
/// `invalid_client`); only then is the provider's code ours. Anywhere else the status decides and
/// the provider's `error` is kept in `oauth_error`: a 5xx is a server fault whatever it says (a
/// proxy's `invalid_grant` must not make a session delete live tokens), a success status with an
/// `error` member is not a valid response, and any other status is an HTTP error. So only a 400
/// `invalid_grant` means the grant is dead.
///
/// A provider's own names (`ErrorRules::aliases`) count as the RFC 6749 error they stand for,
/// and a provider that answers errors with 200 (`ErrorRules::in_200`, Zoho) is taken at its
/// word there — but never when the same answer also carries an access token.
fn error_response(resp: &HttpResponse, endpoint: &str, map: &Value, name: &str, secrets: &[&str], rules: &ErrorRules) -> Error {
    let text = |k: &str| map.get(k).and_then(Value::as_str);
    let context = format!("{endpoint} refused the request (HTTP {})", resp.status);
    // HubSpot describes its errors in `message`.
    let description = text("error_description").or_else(|| text("message"));
    let mut reported = Error::from_provider_redacting(name, description, text("error_uri"), &context, secrets).with_status(resp.status);
    if let Some(rfc) = alias(rules, name) {
        let message = reported.message.clone();
        reported = reported.recoded(ErrorCode::from_oauth(rfc), message);
    }
    let (code, why) = match resp.status {
        400 => return reported,
        401 if reported.code == ErrorCode::InvalidClient => return reported,
        200..=299 if rules.in_200 && map.get("access_token").is_none() => return reported,
        200..=299 if map.get("access_token").is_some() => (ErrorCode::ResponseInvalid, "a success answer cannot carry both an access token and an error"),
        200..=299 => (ErrorCode::ResponseInvalid, "an error response must have status 400 (RFC 6749 §5.2), not a success status"),
        500..=599 if resp.status == 503 || reported.code == ErrorCode::TemporarilyUnavailable => {
            (ErrorCode::TemporarilyUnavailable, "a server error, whatever the body says; try again later")
        }
        500..=599 => (ErrorCode::ServerError, "a server error, whatever the body says; try again later"),
        _ => (ErrorCode::HttpError, "an OAuth error response has status 400 (401 for invalid_client), so this is not taken as one"),
    };
    let mut message = format!("{endpoint} answered HTTP {} with `error` `{}`", resp.status, reported.oauth_error.as_deref().unwrap_or(""));
    if let Some(d) = &reported.description {
        message.push_str(&format!(" ({d})"));
    }
    message.push_str(": ");
    message.push_str(why);
    reported.recoded(code, message)
}

fn invalid(resp: &HttpResponse, why: &str) -> Error {
    Error::new(ErrorCode::ResponseInvalid, format!("token response is not valid: {why}")).with_status(resp.status)
}

/// A token field: a string of visible ASCII (see `is_token_syntax`); empty counts as absent.
/// The message names the field, never the value.
fn optional_token(map: &Value, key: &str, resp: &HttpResponse) -> Result<Option<String>> {
    match optional_string(map, key, resp)? {
        Some(t) if !is_token_syntax(&t) => {
            Err(invalid(resp, &format!("`{key}` has characters other than visible ASCII (CR, LF, NUL, space, non-ASCII; RFC 6749 Appendix A)")))
        }
        other => Ok(other),
    }
}

fn optional_string(map: &Value, key: &str, resp: &HttpResponse) -> Result<Option<String>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(resp, &format!("`{key}` is not a string"))),
    }
}

const TEN_YEARS: u64 = 10 * 365 * 86400;

/// `expires_in` as a number or a numeric string, in whole seconds (fractions cut), absurdly
/// large values capped at ten years; `None` when missing.
fn expires_in(map: &Value, resp: &HttpResponse) -> Result<Option<u64>> {
    match whole_number(map, "expires_in") {
        Ok(seconds) => Ok(seconds.map(|s| s.min(TEN_YEARS))),
        Err(()) => Err(invalid(resp, "`expires_in` is not a non-negative number")),
    }
}

/// An absolute expiry (Front `expires_at`): Unix seconds, or milliseconds for values past 10^11
/// (a seconds value that large is the year 5138), at most ten years from now.
fn absolute_expiry(map: &Value, field: &str, resp: &HttpResponse, now_ms: u64) -> Result<Option<u64>> {
    let at = whole_number(map, field).map_err(|_| invalid(resp, "the expiry member is not a non-negative number"))?;
    Ok(at.map(|t| if t < 100_000_000_000 { t.saturating_mul(1000) } else { t }.min(now_ms.saturating_add(TEN_YEARS * 1000))))
}

/// A number or numeric string member, in whole units (fractions cut); `Err` for anything else.
fn whole_number(map: &Value, key: &str) -> std::result::Result<Option<u64>, ()> {
    let seconds = match map.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(n @ Value::Number(_)) => n.as_u64(),
        // A numeric string is read with the JSON number grammar, so "1e3" works and "0x10" does not.
        Some(Value::String(s)) => match json::parse(s.trim()) {
            Ok(n @ Value::Number(_)) => n.as_u64(),
            _ => None,
        },
        Some(_) => None,
    };
    seconds.map(Some).ok_or(())
}

/// When the access token expires. RFC 6749 §5.1 makes `expires_in` a lifetime, so 0 means it
/// expires now — except that a JWT access token's own `exp` wins then, because Gorgias has
/// published a response with `expires_in: 0` next to a JWT that lives 24 h (PROVIDERS.md). With
/// no `expires_in` at all the JWT's `exp`, if any, is all there is.
fn expires_at(expires_in: Option<u64>, access_token: &str, now_ms: u64) -> Option<u64> {
    match expires_in {
        Some(0) => Some(jwt::expiry_ms(access_token).unwrap_or(now_ms)),
        Some(seconds) => Some(now_ms.saturating_add(seconds.saturating_mul(1000))),
        None => jwt::expiry_ms(access_token),
    }
}

pub fn parse_token_response(resp: &HttpResponse, ctx: &ResponseContext<'_>) -> Result<TokenSet> {
    let provider = ctx.provider;
    let map = json_object_with(resp, "token endpoint", ctx.secrets, &provider.errors)?;
    let access_token = optional_token(&map, "access_token", resp)?.ok_or_else(|| invalid(resp, "it has no `access_token`"))?;
    let token_type = match optional_string(&map, "token_type", resp)? {
        Some(t) if t.eq_ignore_ascii_case("bearer") => "Bearer".to_string(),
        Some(t) => {
            return Err(Error::new(
                ErrorCode::UnsupportedTokenType,
                format!("token type `{}` is not supported (only Bearer)", t.chars().filter(char::is_ascii_alphanumeric).take(20).collect::<String>()),
            )
            .with_status(resp.status))
        }
        None => return Err(invalid(resp, "it has no `token_type`")),
    };
    let expires_at = match (expires_in(&map, resp)?, &provider.expires_at_field) {
        (None, Some(field)) => absolute_expiry(&map, field, resp, ctx.now_ms)?.or_else(|| jwt::expiry_ms(&access_token)),
        (seconds, _) => expires_at(seconds, &access_token, ctx.now_ms),
    };
    let scopes = match (optional_string(&map, "scope", resp)?, map.get("scopes")) {
        (Some(s), _) => split_scope(&s, &provider.scope_separator),
        // HubSpot lists them as an array.
        (None, Some(Value::Array(items))) => {
            let list = items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid(resp, "`scopes` is not a list of strings"))?;
            validate_scopes(&list).map_err(|_| invalid(resp, "`scopes` holds something that is not a scope"))?;
            dedupe(&list)
        }
        _ => match ctx.previous {
            Some(p) => p.scopes.clone(),
            None => ctx.requested_scopes.to_vec(),
        },
    };
    let tenant = response_tenant(&map, resp, ctx)?;
    let refresh_token = optional_token(&map, "refresh_token", resp)?.map(Secret::new).or_else(|| ctx.previous.and_then(|p| p.refresh_token.clone()));
    let id_token = optional_token(&map, "id_token", resp)?.map(Secret::new).or_else(|| ctx.previous.and_then(|p| p.id_token.clone()));
    Ok(TokenSet {
        provider: provider.id.clone(),
        account: ctx.account.map(str::to_string),
        tenant,
        token_type,
        access_token: Secret::new(access_token),
        refresh_token,
        id_token,
        scopes,
        expires_at,
        obtained_at: ctx.now_ms,
    })
}

/// The tenant of the new token set. One the token response names (HubSpot `hub_id`) must be
/// valid and, at a refresh, the grant's own: a token for another tenant is not stored over it.
/// Without one in the response the known tenant stays (missing is not a change).
fn response_tenant(map: &Value, resp: &HttpResponse, ctx: &ResponseContext<'_>) -> Result<Option<String>> {
    let previous = ctx.previous.and_then(|p| p.tenant.as_deref());
    let Some(rule) = ctx.provider.tenant.as_ref().filter(|r| r.source == TenantSource::TokenResponse) else {
        return Ok(ctx.tenant.or(previous).map(str::to_string));
    };
    let sent = match map.get(&rule.param) {
        None | Some(Value::Null) => return Ok(previous.map(str::to_string)),
        Some(v) => member_text(v).ok_or_else(|| invalid(resp, "the tenant member is not a string or a whole number"))?,
    };
    let tenant = resolve(rule, &sent).map_err(|e| e.with_status(resp.status))?;
    if previous.is_some_and(|p| p != tenant) {
        return Err(invalid(resp, "it names another tenant than the one the grant was made for"));
    }
    Ok(Some(tenant))
}

/// RFC 7009 §2.2: 200 means revoked (or already invalid); the body is ignored — unless the
/// provider sends errors with 200 (Zoho) and this body is one.
pub fn check_revocation_response(resp: &HttpResponse, secrets: &[&str], rules: &ErrorRules) -> Result<()> {
    if (200..300).contains(&resp.status) && (!rules.in_200 || !matches!(json::parse(&resp.body), Ok(ref v) if v.get("error").is_some())) {
        return Ok(());
    }
    json_object_with(resp, "revocation endpoint", secrets, rules).map(|_| ())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::jwt::tests::make_jwt;
    use crate::core::providers::preset;
    use crate::core::token_set::tests::sample;

    fn resp(status: u16, ct: &str, body: &str) -> HttpResponse {
        HttpResponse { status, content_type: Some(ct.into()), body: body.into() }
    }

    fn parse(r: &HttpResponse, previous: Option<&TokenSet>) -> Result<TokenSet> {
        let p = preset("gorgias").unwrap();
        let requested = vec!["openid".to_string(), "offline".to_string()];
        parse_token_response(
            r,
            &ResponseContext { now_ms: 1_000_000, provider: &p, account: Some("acme"), tenant: None, requested_scopes: &requested, previous, secrets: &[] },
        )
    }

    #[test]
    fn seed_gorgias_response() {
        let body = r#"{"access_token":"eyJhbGciOiJSUzI1NiIsInR5cCI6","expires_in":86400,"id_token":"x.y.z","refresh_token":"Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06","scope":"openid email profile offline write:all","token_type":"Bearer"}"#;
        let t = parse(&resp(200, "application/json", body), None).unwrap();
        assert_eq!(t.access_token.expose(), "eyJhbGciOiJSUzI1NiIsInR5cCI6");
        assert_eq!(t.expires_at, Some(1_000_000 + 86_400_000));
        assert_eq!(t.scopes, vec!["openid", "email", "profile", "offline", "write:all"]);
        assert_eq!(t.refresh_token.unwrap().expose(), "Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06");
        assert_eq!(t.account.as_deref(), Some("acme"));
    }

    #[test]
    fn refresh_without_refresh_token_keeps_the_old_one() {
        let old = sample();
        let t = parse(&resp(200, "application/json", r#"{"access_token":"new","token_type":"Bearer","expires_in":86400}"#), Some(&old)).unwrap();
        assert_eq!(t.refresh_token.unwrap().expose(), "refresh-RRR");
        assert_eq!(t.scopes, old.scopes);
        let t = parse(&resp(200, "application/json", r#"{"access_token":"new","token_type":"bearer","refresh_token":"rotated"}"#), Some(&old)).unwrap();
        assert_eq!(t.refresh_token.unwrap().expose(), "rotated");
        assert_eq!(t.token_type, "Bearer");
    }

    #[test]
    fn expires_in_variants() {
        let jwt = make_jwt(r#"{"exp":2000}"#);
        let cases: Vec<(String, Option<u64>)> = vec![
            (r#""expires_in":"3600""#.into(), Some(1_000_000 + 3_600_000)),
            (r#""expires_in":3600.9"#.into(), Some(1_000_000 + 3_600_000)),
            // RFC 6749 §5.1: the lifetime in seconds, so 0 is "expired now" (an opaque token
            // cannot say otherwise), not "unknown".
            (r#""expires_in":0"#.into(), Some(1_000_000)),
            (r#""expires_in":"0""#.into(), Some(1_000_000)),
            (r#""expires_in":0.9"#.into(), Some(1_000_000)),
            (r#""expires_in":null"#.into(), None),
            (r#""expires_in":1e300"#.into(), Some(1_000_000 + 10 * 365 * 86_400_000)),
        ];
        for (field, expected) in cases {
            let body = format!(r#"{{"access_token":"opaque","token_type":"BEARER",{field}}}"#);
            assert_eq!(parse(&resp(200, "application/json", &body), None).unwrap().expires_at, expected, "{field}");
        }
        // Gorgias has published a response with `expires_in: 0` and a JWT access token: the
        // token's own `exp` is then the lifetime.
        let body = format!(r#"{{"access_token":"{jwt}","token_type":"Bearer","expires_in":0}}"#);
        assert_eq!(parse(&resp(200, "application/json", &body), None).unwrap().expires_at, Some(2_000_000));
        let opaque_zero = parse(&resp(200, "application/json", r#"{"access_token":"opaque","token_type":"Bearer","expires_in":0}"#), None).unwrap();
        assert!(opaque_zero.is_expired(1_000_000, 0));
        let body = format!(r#"{{"access_token":"{jwt}","token_type":"Bearer"}}"#);
        assert_eq!(parse(&resp(200, "application/json", &body), None).unwrap().expires_at, Some(2_000_000));
    }

    #[test]
    fn missing_scope_means_requested_scopes() {
        let t = parse(&resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer"}"#), None).unwrap();
        assert_eq!(t.scopes, vec!["openid", "offline"]);
    }

    #[test]
    fn bad_responses_table() {
        let cases: Vec<(HttpResponse, ErrorCode, Option<u16>)> = vec![
            (
                resp(400, "application/json", r#"{"error":"invalid_grant","error_description":"The refresh token is revoked"}"#),
                ErrorCode::InvalidGrant,
                Some(400),
            ),
            (resp(401, "application/json", r#"{"error":"invalid_client"}"#), ErrorCode::InvalidClient, Some(401)),
            (resp(400, "application/json", r#"{"error":"Invalid Client"}"#), ErrorCode::ProviderError, Some(400)),
            (resp(200, "application/json", r#"{"error":"invalid_request"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(502, "text/html; charset=utf-8", "<html><body>Bad Gateway</body></html>"), ErrorCode::ServerError, Some(502)),
            (resp(503, "text/html", "down"), ErrorCode::TemporarilyUnavailable, Some(503)),
            (resp(404, "text/plain", "nope"), ErrorCode::HttpError, Some(404)),
            (resp(500, "application/json", r#"{"message":"boom"}"#), ErrorCode::HttpError, Some(500)),
            (resp(200, "text/html", "<html>login</html>"), ErrorCode::ResponseNotJson, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer""#), ErrorCode::ResponseNotJson, Some(200)),
            (resp(200, "application/json", "[1,2]"), ErrorCode::ResponseNotJson, Some(200)),
            (resp(200, "application/json", ""), ErrorCode::ResponseNotJson, Some(200)),
            (resp(200, "application/json", r#"{"token_type":"Bearer"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"","token_type":"Bearer"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":5,"token_type":"Bearer"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"mac"}"#), ErrorCode::UnsupportedTokenType, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer","expires_in":-5}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer","refresh_token":{}}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer","scope":["a"]}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000))), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer","access_token":"b"}"#), ErrorCode::ResponseInvalid, Some(200)),
            (resp(200, "application/json", &" ".repeat(MAX_BODY_BYTES + 1)), ErrorCode::ResponseTooLarge, Some(200)),
        ];
        for (r, code, status) in cases {
            let e = parse(&r, Some(&sample())).unwrap_err();
            assert_eq!((e.code, e.status), (code, status), "{}", &r.body[..r.body.len().min(80)]);
        }
    }

    #[test]
    fn only_a_400_invalid_grant_means_the_grant_is_dead() {
        // RFC 6749 §5.2: an error response is a 400 (401 for invalid_client). A proxy's or a sick
        // server's 5xx that happens to say invalid_grant must leave the stored tokens alone.
        let j = "application/json";
        let cases: Vec<(HttpResponse, ErrorCode)> = vec![
            (resp(400, j, r#"{"error":"invalid_grant"}"#), ErrorCode::InvalidGrant),
            (resp(500, j, r#"{"error":"invalid_grant"}"#), ErrorCode::ServerError),
            (resp(502, j, r#"{"error":"invalid_grant"}"#), ErrorCode::ServerError),
            (resp(503, j, r#"{"error":"invalid_grant"}"#), ErrorCode::TemporarilyUnavailable),
            (resp(500, j, r#"{"error":"temporarily_unavailable"}"#), ErrorCode::TemporarilyUnavailable),
            (resp(504, j, r#"{"error":"invalid_client"}"#), ErrorCode::ServerError),
            (resp(200, j, r#"{"access_token":"a","token_type":"Bearer","error":"invalid_grant"}"#), ErrorCode::ResponseInvalid),
            (resp(200, j, r#"{"error":"invalid_grant"}"#), ErrorCode::ResponseInvalid),
            (resp(201, j, r#"{"error":"invalid_client"}"#), ErrorCode::ResponseInvalid),
            (resp(401, j, r#"{"error":"invalid_client"}"#), ErrorCode::InvalidClient),
            (resp(401, j, r#"{"error":"invalid_grant"}"#), ErrorCode::HttpError),
            (resp(403, j, r#"{"error":"invalid_grant"}"#), ErrorCode::HttpError),
            (resp(404, j, r#"{"error":"invalid_grant"}"#), ErrorCode::HttpError),
            (resp(429, j, r#"{"error":"invalid_grant"}"#), ErrorCode::HttpError),
            (resp(302, j, r#"{"error":"invalid_grant"}"#), ErrorCode::HttpError),
            (resp(400, j, r#"{"error":"invalid_client"}"#), ErrorCode::InvalidClient),
            (resp(400, j, r#"{"error":"unsupported_grant_type"}"#), ErrorCode::UnsupportedGrantType),
        ];
        for (r, code) in cases {
            let e = parse(&r, Some(&sample())).unwrap_err();
            assert_eq!((e.code, e.status), (code, Some(r.status)), "{} {}", r.status, r.body);
            assert_eq!(
                e.is_retryable(),
                code != ErrorCode::InvalidGrant && code != ErrorCode::InvalidClient && code != ErrorCode::UnsupportedGrantType,
                "{} {}",
                r.status,
                r.body
            );
            // What the provider said is kept for the logs, under the code the status allows.
            assert!(e.oauth_error.is_some(), "{} {}", r.status, r.body);
        }
        let e = parse(&resp(503, j, r#"{"error":"invalid_grant","error_description":"backend down"}"#), None).unwrap_err();
        assert_eq!(e.description.as_deref(), Some("backend down"));
        assert!(e.message.contains("503") && e.message.contains("invalid_grant"), "{}", e.message);
    }

    #[test]
    fn a_non_string_error_member_is_named_as_such() {
        for body in [r#"{"error":5}"#, r#"{"error":{"code":"invalid_grant"}}"#, r#"{"error":["x"]}"#, r#"{"error":false}"#] {
            let e = parse(&resp(400, "application/json", body), None).unwrap_err();
            assert_eq!((e.code, e.status, e.oauth_error.as_deref()), (ErrorCode::ResponseInvalid, Some(400), None), "{body}");
            assert!(e.message.contains("`error`") && e.message.contains("not a string"), "{}", e.message);
        }
        // `"error": null` next to a good token response is no error (some providers send it).
        let ok = parse(&resp(200, "application/json", r#"{"access_token":"a","token_type":"Bearer","error":null}"#), None).unwrap();
        assert_eq!(ok.access_token.expose(), "a");
    }

    #[test]
    fn tokens_must_be_visible_ascii() {
        // An access token becomes `Authorization: Bearer <token>`: CR/LF would split the header,
        // NUL or non-ASCII make the host's Headers throw an uncoded TypeError carrying the token.
        for (field, value) in [
            ("access_token", r"at\r\nX-Injected: 1"),
            ("access_token", r"at\n"),
            ("access_token", r"at\u0000"),
            ("access_token", "a t"),
            ("access_token", r"at\t"),
            ("access_token", r"at\u00e9"),
            ("access_token", r"at\u007f"),
            ("refresh_token", r"rt\r\nx"),
            ("refresh_token", r"rt\u0000"),
            ("id_token", r"a.b.c\n"),
        ] {
            let mut members = vec![("access_token", "at-ok".to_string()), ("token_type", "Bearer".to_string())];
            members.retain(|(k, _)| *k != field);
            members.push((field, value.to_string()));
            let body = format!("{{{}}}", members.iter().map(|(k, v)| format!(r#""{k}":"{v}""#)).collect::<Vec<_>>().join(","));
            let e = parse(&resp(200, "application/json", &body), None).unwrap_err();
            assert_eq!(e.code, ErrorCode::ResponseInvalid, "{body}");
            assert!(e.message.contains(field) && !e.message.contains("at\r") && !e.message.contains("X-Injected"), "{}", e.message);
        }
        // Every visible ASCII character is fine (RFC 6749 VSCHAR without the space).
        let all: String = (0x21u8..=0x7e).map(char::from).filter(|c| *c != '"' && *c != '\\').collect();
        parse(&resp(200, "application/json", &format!(r#"{{"access_token":"{all}","token_type":"Bearer"}}"#)), None).unwrap();
    }

    #[test]
    fn errors_never_echo_the_body() {
        let secret_body = r#"<html>client_secret=s3cr3t-value refresh=Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06</html>"#;
        let e = parse(&resp(502, "text/html", secret_body), None).unwrap_err();
        assert!(e.message.contains("502") && e.message.contains("text/html"), "{}", e.message);
        assert!(!e.message.contains("s3cr3t") && !e.message.contains("Bn8nh9"), "{}", e.message);
        let e = parse(
            &resp(
                400,
                "application/json",
                r#"{"error":"invalid_grant","error_description":"token Bn8nh9P76uDYZb6wADnV93CyuiqaKaaI00mXQpWFWjfbBR06 is revoked"}"#,
            ),
            None,
        )
        .unwrap_err();
        assert!(!e.message.contains("Bn8nh9"), "{}", e.message);
    }

    #[test]
    fn provider_error_text_never_carries_a_secret_the_client_holds() {
        // The token set being refreshed holds access-AAA and refresh-RRR: short, so only
        // redaction by value catches them, however the provider wraps them.
        let previous = sample();
        let secrets = ["access-AAA", "refresh-RRR", "s3cr3t-value"];
        let p = preset("gorgias").unwrap();
        let ctx = ResponseContext {
            now_ms: 0,
            provider: &p,
            account: Some("acme"),
            tenant: None,
            requested_scopes: &[],
            previous: Some(&previous),
            secrets: &secrets,
        };
        for body in [
            r#"{"error":"invalid_grant","error_description":"refresh token \"refresh-RRR\" is revoked"}"#,
            r#"{"error":"invalid_grant","error_description":"token=refresh-RRR revoked (refresh-RRR)"}"#,
            r#"{"error":"invalid_client","error_description":"client secret 's3cr3t-value' is wrong"}"#,
            r#"{"error":"invalid_grant","error_uri":"https://docs.example/errors?token=refresh-RRR"}"#,
            r#"{"error":"refresh-RRR"}"#,
            r#"{"error":"invalid_grant","error_description":"access-AAA\u0000 and refresh-R\u0007RR"}"#,
        ] {
            let e = parse_token_response(&resp(400, "application/json", body), &ctx).unwrap_err();
            for field in [Some(e.message.as_str()), e.description.as_deref(), e.uri.as_deref(), e.oauth_error.as_deref()].into_iter().flatten() {
                for secret in secrets {
                    assert!(!field.contains(secret), "{body}: {field}");
                }
            }
        }
        let e = check_revocation_response(
            &resp(400, "application/json", r#"{"error":"invalid_request","error_description":"unknown token refresh-RRR"}"#),
            &secrets,
            &STANDARD_ERRORS,
        )
        .unwrap_err();
        assert!(!e.message.contains("refresh-RRR") && !e.description.as_deref().unwrap_or("").contains("refresh-RRR"), "{}", e.message);
    }

    #[test]
    fn revocation_responses() {
        check_revocation_response(&resp(200, "application/json", "{}"), &[], &STANDARD_ERRORS).unwrap();
        check_revocation_response(&resp(200, "text/plain", ""), &[], &STANDARD_ERRORS).unwrap();
        assert_eq!(
            check_revocation_response(&resp(400, "application/json", r#"{"error":"unsupported_token_type"}"#), &[], &STANDARD_ERRORS).unwrap_err().code,
            ErrorCode::ProviderError
        );
        assert_eq!(check_revocation_response(&resp(503, "text/html", "x"), &[], &STANDARD_ERRORS).unwrap_err().code, ErrorCode::TemporarilyUnavailable);
    }

    fn parse_with(p: &Provider, r: &HttpResponse, previous: Option<&TokenSet>) -> Result<TokenSet> {
        parse_token_response(
            r,
            &ResponseContext { now_ms: 1_000_000, provider: p, account: None, tenant: None, requested_scopes: &[], previous, secrets: &["rt-old"] },
        )
    }

    #[test]
    fn errors_the_provider_way() {
        let j = "application/json";
        // Zoho answers errors with 200, under its own names.
        let mut zoho = preset("gorgias").unwrap();
        zoho.errors = ErrorRules { in_200: true, fields: vec![], aliases: vec![("invalid_code".into(), "invalid_grant".into())] };
        let e = parse_with(&zoho, &resp(200, j, r#"{"error":"invalid_code"}"#), None).unwrap_err();
        assert_eq!((e.code, e.status, e.oauth_error.as_deref()), (ErrorCode::InvalidGrant, Some(200), Some("invalid_code")));
        assert_eq!(parse_with(&zoho, &resp(200, j, r#"{"error":"invalid_client"}"#), None).unwrap_err().code, ErrorCode::InvalidClient);
        // Both an access token and an error is still no answer to trust, nor is a 5xx a dead grant.
        assert_eq!(
            parse_with(&zoho, &resp(200, j, r#"{"access_token":"a","token_type":"Bearer","error":"invalid_code"}"#), None).unwrap_err().code,
            ErrorCode::ResponseInvalid
        );
        assert_eq!(parse_with(&zoho, &resp(502, j, r#"{"error":"invalid_code"}"#), None).unwrap_err().code, ErrorCode::ServerError);
        // Without the knob, the same 200 is not an error response.
        assert_eq!(parse(&resp(200, j, r#"{"error":"invalid_grant"}"#), None).unwrap_err().code, ErrorCode::ResponseInvalid);

        // HubSpot: the name in `status` / `category`, the text in `message`.
        let mut hubspot = preset("gorgias").unwrap();
        hubspot.errors = ErrorRules {
            in_200: false,
            fields: vec!["status".into(), "subCategory".into(), "category".into()],
            aliases: vec![("BAD_REFRESH_TOKEN".into(), "invalid_grant".into()), ("VALIDATION_ERROR".into(), "invalid_request".into())],
        };
        let body = r#"{"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token rt-old","correlationId":"c-1","category":"VALIDATION_ERROR"}"#;
        let e = parse_with(&hubspot, &resp(400, j, body), None).unwrap_err();
        assert_eq!((e.code, e.oauth_error.as_deref()), (ErrorCode::InvalidGrant, Some("BAD_REFRESH_TOKEN")));
        assert!(e.description.as_deref().unwrap().starts_with("missing or invalid refresh token") && !e.message.contains("rt-old"), "{}", e.message);
        let e = parse_with(&hubspot, &resp(400, j, r#"{"status":"error","message":"bad","category":"VALIDATION_ERROR"}"#), None).unwrap_err();
        assert_eq!((e.code, e.oauth_error.as_deref()), (ErrorCode::InvalidRequest, Some("VALIDATION_ERROR")));
        assert_eq!(parse_with(&hubspot, &resp(400, j, r#"{"status":"WHATEVER"}"#), None).unwrap_err().code, ErrorCode::ProviderError);
        // The extra fields name errors only in error answers.
        parse_with(&hubspot, &resp(200, j, r#"{"access_token":"a","token_type":"bearer","status":"ok"}"#), None).unwrap();
        assert_eq!(parse_with(&hubspot, &resp(500, j, r#"{"status":"BAD_REFRESH_TOKEN"}"#), None).unwrap_err().code, ErrorCode::ServerError);
    }

    #[test]
    fn absolute_expiry_scope_arrays_and_tenants_from_the_response() {
        let j = "application/json";
        let mut front = preset("gorgias").unwrap();
        front.expires_at_field = Some("expires_at".into());
        let at = |body: &str| parse_with(&front, &resp(200, j, body), None).map(|t| t.expires_at);
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer","expires_at":4600}"#).unwrap(), Some(4_600_000));
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer","expires_at":4600123456789}"#).unwrap(), Some(1_000_000 + 10 * 365 * 86_400_000));
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer","expires_at":4600123}"#).unwrap(), Some(4_600_123_000));
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer","expires_at":"4600"}"#).unwrap(), Some(4_600_000));
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer","expires_in":60,"expires_at":4600}"#).unwrap(), Some(1_060_000));
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer"}"#).unwrap(), None, "missing is unknown, not never");
        assert_eq!(at(r#"{"access_token":"a","token_type":"Bearer","expires_at":"soon"}"#).unwrap_err().code, ErrorCode::ResponseInvalid);

        let mut hubspot = preset("gorgias").unwrap();
        hubspot.tenant = Some(crate::core::providers::Tenant { source: TenantSource::TokenResponse, param: "hub_id".into(), values: vec![], default: None });
        let t = parse_with(&hubspot, &resp(200, j, r#"{"access_token":"a","token_type":"bearer","hub_id":62515,"scopes":["oauth","tickets","oauth"]}"#), None)
            .unwrap();
        assert_eq!((t.tenant.as_deref(), t.scopes.clone()), (Some("62515"), vec!["oauth".to_string(), "tickets".to_string()]));
        // At a refresh: the same tenant, or none (kept); another one is not stored over the grant.
        parse_with(&hubspot, &resp(200, j, r#"{"access_token":"b","token_type":"bearer","hub_id":"62515"}"#), Some(&t)).unwrap();
        assert_eq!(parse_with(&hubspot, &resp(200, j, r#"{"access_token":"b","token_type":"bearer"}"#), Some(&t)).unwrap().tenant.as_deref(), Some("62515"));
        for (body, code) in [
            (r#"{"access_token":"b","token_type":"bearer","hub_id":99}"#, ErrorCode::ResponseInvalid),
            (r#"{"access_token":"b","token_type":"bearer","hub_id":"6/2"}"#, ErrorCode::InvalidTenant),
            (r#"{"access_token":"b","token_type":"bearer","hub_id":true}"#, ErrorCode::ResponseInvalid),
            (r#"{"access_token":"b","token_type":"bearer","scopes":["oauth",1]}"#, ErrorCode::ResponseInvalid),
            (r#"{"access_token":"b","token_type":"bearer","scopes":["a b"]}"#, ErrorCode::ResponseInvalid),
        ] {
            assert_eq!(parse_with(&hubspot, &resp(200, j, body), Some(&t)).unwrap_err().code, code, "{body}");
        }
    }

    #[test]
    fn revocation_errors_in_200() {
        let rules = ErrorRules { in_200: true, ..ErrorRules::default() };
        check_revocation_response(&resp(200, "application/json", r#"{"status":"success"}"#), &[], &rules).unwrap();
        check_revocation_response(&resp(204, "text/plain", ""), &[], &rules).unwrap();
        let e = check_revocation_response(&resp(200, "application/json", r#"{"error":"invalid_token"}"#), &[], &rules).unwrap_err();
        assert_eq!(e.code, ErrorCode::ProviderError);
        check_revocation_response(&resp(200, "application/json", r#"{"error":"invalid_token"}"#), &[], &STANDARD_ERRORS).unwrap();
    }
}
