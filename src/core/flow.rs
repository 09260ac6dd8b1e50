//! The authorization-code flow as sans-IO steps: each step either returns a request for the host
//! to send, or reads the response the host got back. The wasm boundary strings them together
//! around `fetch`; native tests call them directly.

use super::authorize::{self, AuthorizationRequest, AuthorizeParams, OPENID_SCOPE};
use super::callback::{self, AuthorizationCode};
use super::config::ClientConfig;
use super::encoding::basic_credentials;
use super::endpoint::fill;
use super::error::{Error, ErrorCode, Result};
use super::http::{HttpRequest, HttpResponse};
use super::id_token;
use super::json::Value;
use super::jwt;
use super::pending::PendingAuthorization;
use super::random::Randomness;
use super::secret::Secret;
use super::token_request;
use super::token_response::{check_revocation_response, parse_token_response, ResponseContext};
use super::token_set::TokenSet;

pub fn start(client: &ClientConfig, params: AuthorizeParams, random: Randomness, now_ms: u64) -> Result<AuthorizationRequest> {
    authorize::build(client, params, random, now_ms)
}

/// Checks the callback and, when it is good, describes the code exchange.
pub fn callback(client: &ClientConfig, callback_url: &str, pending: &PendingAuthorization, now_ms: u64) -> Result<(AuthorizationCode, HttpRequest)> {
    if pending.provider == client.provider.id {
        pending.check_binding(&client.redirect_uri, &fill(&client.provider.issuer, pending.account.as_deref())?)?;
    }
    let code = callback::check(callback_url, pending, &client.provider, now_ms, client.pending_ttl_ms)?;
    let request = token_request::authorization_code(client, pending, &code.code, code.tenant.as_deref())?;
    Ok((code, request))
}

/// Reads the code-exchange response. An id_token, when there is one, must pass the claims checks
/// (issuer of the bound account, audience, lifetime, the pending nonce); its signature, where
/// the provider publishes keys, is the boundary's to check. When the authorization asked for an
/// id_token (`openid`, or a nonce was sent), one must be there (OIDC Core §3.1.3.3): without
/// PKCE (Gorgias) its nonce is the only thing that ties the code to this pending authorization.
pub fn finish(client: &ClientConfig, pending: &PendingAuthorization, code: &AuthorizationCode, response: &HttpResponse, now_ms: u64) -> Result<TokenSet> {
    finish_with_claims(client, pending, code, response, now_ms).map(|(tokens, _)| tokens)
}

/// `finish`, also handing back the id_token claims it checked, so the boundary need not decode
/// them a second time for `idTokenClaims()`.
pub fn finish_with_claims(
    client: &ClientConfig,
    pending: &PendingAuthorization,
    code: &AuthorizationCode,
    response: &HttpResponse,
    now_ms: u64,
) -> Result<(TokenSet, Option<Value>)> {
    let held = ClientSecrets::new(client);
    let secrets = held.with([Some(&code.code), pending.code_verifier.as_ref()]);
    // The callback's tenant may have been carried by the host between the two steps: it is checked again.
    let tenant = match (&code.tenant, &client.provider.tenant) {
        (Some(t), Some(rule)) if rule.is_known(t) => Some(t.as_str()),
        (None, _) => None,
        _ => return Err(Error::new(ErrorCode::InvalidTenant, "the tenant given with the code is not one this provider can have")),
    };
    let ctx = ResponseContext {
        now_ms,
        provider: &client.provider,
        account: pending.account.as_deref(),
        tenant,
        requested_scopes: &pending.scopes,
        previous: None,
        secrets: &secrets,
    };
    let tokens = parse_token_response(response, &ctx)?;
    if let Some(id) = &tokens.id_token {
        let expected = id_token::Expected {
            issuer: &pending.issuer,
            client_id: &client.client_id,
            nonce: pending.nonce.as_deref(),
            now_ms,
            tolerance_seconds: client.clock_tolerance_seconds,
            integer_sub: client.provider.integer_sub,
        };
        let claims = id_token::validate(id.expose(), &expected)?;
        return Ok((tokens, Some(claims)));
    }
    if pending.nonce.is_some() || pending.scopes.iter().any(|s| s == OPENID_SCOPE) {
        return Err(Error::new(
            ErrorCode::IdTokenMissing,
            "the token response has no id_token although the authorization asked for one (`openid`): the code may come from another authorization (code injection)",
        )
        .with_status(response.status));
    }
    Ok((tokens, None))
}

pub fn refresh_request(client: &ClientConfig, tokens: &TokenSet) -> Result<HttpRequest> {
    token_request::refresh(client, tokens)
}

/// Reads a refresh response. On any error the caller still holds `previous`, untouched: a
/// failed refresh never costs the refresh token.
pub fn refresh_response(client: &ClientConfig, previous: &TokenSet, response: &HttpResponse, now_ms: u64) -> Result<TokenSet> {
    let held = ClientSecrets::new(client);
    let secrets = held.with(token_secrets(previous));
    let ctx = ResponseContext {
        now_ms,
        provider: &client.provider,
        account: previous.account.as_deref(),
        tenant: previous.tenant.as_deref(),
        requested_scopes: &previous.scopes,
        previous: Some(previous),
        secrets: &secrets,
    };
    let tokens = parse_token_response(response, &ctx)?;
    // A new id_token (the previous one carried over, or echoed unchanged, needs no second look)
    // must continue the original authentication, or the foreign claims would be stored.
    if let Some(new) = tokens.id_token.as_ref().filter(|t| previous.id_token.as_ref() != Some(*t)) {
        let issuer = fill(&client.provider.issuer, previous.account.as_deref())?;
        let expected = id_token::Expected {
            issuer: &issuer,
            client_id: &client.client_id,
            nonce: None,
            now_ms,
            tolerance_seconds: client.clock_tolerance_seconds,
            integer_sub: client.provider.integer_sub,
        };
        let original = match &previous.id_token {
            Some(t) => Some(jwt::decode_claims(t.expose()).map_err(|_| {
                Error::new(
                    ErrorCode::IdTokenRefreshMismatch,
                    "the stored id_token cannot be read to compare the refreshed one with; the previous token set is unchanged",
                )
            })?),
            None => None,
        };
        id_token::validate_refreshed(new.expose(), &expected, original.as_ref())?;
    }
    Ok(tokens)
}

pub fn revoke_request(client: &ClientConfig, tokens: &TokenSet) -> Result<HttpRequest> {
    token_request::revoke(client, tokens)
}

pub fn revoke_response(client: &ClientConfig, tokens: &TokenSet, response: &HttpResponse) -> Result<()> {
    let held = ClientSecrets::new(client);
    check_revocation_response(response, &held.with(token_secrets(tokens)), &client.provider.errors)
}

fn token_secrets(tokens: &TokenSet) -> [Option<&Secret>; 3] {
    [Some(&tokens.access_token), tokens.refresh_token.as_ref(), tokens.id_token.as_ref()]
}

/// The secrets the client itself holds, in every form a provider could echo: the client secret,
/// and the base64 of the Basic credentials that carry it.
struct ClientSecrets<'a> {
    secret: Option<&'a str>,
    basic: Option<String>,
}

impl<'a> ClientSecrets<'a> {
    fn new(client: &'a ClientConfig) -> ClientSecrets<'a> {
        let secret = client.client_secret.as_ref().map(Secret::expose);
        let basic = secret.map(|s| basic_credentials(&client.client_id, s).trim_start_matches("Basic ").to_string());
        ClientSecrets { secret, basic }
    }

    /// These and the step's own secrets (code, verifier, tokens), for the response reader.
    fn with<'b, const N: usize>(&'b self, step: [Option<&'b Secret>; N]) -> Vec<&'b str> {
        let own = [self.secret, self.basic.as_deref()].into_iter().flatten();
        own.chain(step.into_iter().flatten().map(Secret::expose)).collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::authorize::tests::fixed_random;
    use crate::core::config::test_support::client;
    use crate::core::jwt::tests::make_jwt;

    fn code(code: &str) -> AuthorizationCode {
        AuthorizationCode { code: Secret::new(code), tenant: None }
    }

    fn json(body: &str) -> HttpResponse {
        HttpResponse { status: 200, content_type: Some("application/json".into()), body: body.into() }
    }

    #[test]
    fn gorgias_flow_end_to_end() {
        let c = client("gorgias");
        let params = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["openid".into(), "offline".into()]), ..Default::default() };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let pending = PendingAuthorization::deserialize(&auth.pending.serialize()).unwrap();
        let (_, req) = callback(&c, &format!("https://app.example.com/oauth/callback?code=C0DE&state={}", "S".repeat(43)), &pending, 2_000).unwrap();
        assert_eq!(req.url, "https://acme.gorgias.com/oauth/token");
        let id = make_jwt(&format!(r#"{{"nonce":"{}","sub":10,"iss":"https://acme.gorgias.com","aud":["client-123"],"iat":3,"exp":86400}}"#, "N".repeat(43)));
        let body =
            format!(r#"{{"access_token":"at1","refresh_token":"rt1","id_token":"{id}","expires_in":86400,"token_type":"Bearer","scope":"openid offline"}}"#);
        let tokens = finish(&c, &pending, &code("C0DE"), &json(&body), 3_000).unwrap();
        assert_eq!(tokens.expires_at, Some(3_000 + 86_400_000));
        let req = refresh_request(&c, &tokens).unwrap();
        assert!(req.body.unwrap().contains("refresh_token=rt1"));
        let refreshed = refresh_response(&c, &tokens, &json(r#"{"access_token":"at2","expires_in":86400,"token_type":"Bearer"}"#), 4_000).unwrap();
        assert_eq!(refreshed.access_token.expose(), "at2");
        assert_eq!(refreshed.refresh_token.as_ref().unwrap().expose(), "rt1");
        assert_eq!(refreshed.id_token, tokens.id_token);
        revoke_request(&c, &refreshed).unwrap();
        revoke_response(&c, &refreshed, &json("{}")).unwrap();
    }

    #[test]
    fn finish_hands_back_the_checked_claims() {
        let c = client("gorgias");
        let params = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["openid".into(), "offline".into()]), ..Default::default() };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let id = make_jwt(&format!(r#"{{"nonce":"{}","sub":10,"iss":"https://acme.gorgias.com","aud":"client-123","iat":3,"exp":86400}}"#, "N".repeat(43)));
        let (tokens, claims) =
            finish_with_claims(&c, &auth.pending, &code("c"), &json(&format!(r#"{{"access_token":"a","token_type":"Bearer","id_token":"{id}"}}"#)), 2_000)
                .unwrap();
        assert_eq!(claims, Some(crate::core::jwt::decode_claims(tokens.id_token.unwrap().expose()).unwrap()));
        let without_openid = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["offline".into()]), ..Default::default() };
        let auth = start(&c, without_openid, fixed_random(), 1_000).unwrap();
        let (_, none) = finish_with_claims(&c, &auth.pending, &code("c"), &json(r#"{"access_token":"a","token_type":"Bearer"}"#), 2_000).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn a_missing_id_token_fails_when_one_was_asked_for() {
        // Gorgias has no PKCE: the nonce in the id_token is what binds the code to this browser.
        // A code redeemed without an id_token (a victim's code from an authorization without
        // `openid`, or a response that drops it) must not log this pending authorization in.
        let c = client("gorgias");
        let params = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["openid".into(), "offline".into()]), ..Default::default() };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        assert!(auth.pending.nonce.is_some());
        let e = finish(&c, &auth.pending, &code("c"), &json(r#"{"access_token":"a","refresh_token":"r","token_type":"Bearer"}"#), 2_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::IdTokenMissing);
        assert!(!e.is_retryable());
        // `openid` asked for without a nonce (a provider with PKCE and nonce off) still needs one.
        let mut pending = auth.pending.clone();
        pending.nonce = None;
        assert_eq!(
            finish(&c, &pending, &code("c"), &json(r#"{"access_token":"a","token_type":"Bearer"}"#), 2_000).unwrap_err().code,
            ErrorCode::IdTokenMissing
        );
        // A nonce without `openid` (a record from an older version) needs one too.
        let mut pending = auth.pending.clone();
        pending.scopes = vec!["offline".into()];
        assert_eq!(
            finish(&c, &pending, &code("c"), &json(r#"{"access_token":"a","token_type":"Bearer"}"#), 2_000).unwrap_err().code,
            ErrorCode::IdTokenMissing
        );
    }

    #[test]
    fn a_pending_record_must_match_this_client() {
        // A forged or stale record must not choose where the code goes or what the id_token is
        // checked against: redirect_uri and issuer are this client's, for the record's account.
        let c = client("gorgias");
        let params = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["openid".into(), "offline".into()]), ..Default::default() };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let url = format!("https://app.example.com/oauth/callback?code=C0DE&state={}", "S".repeat(43));
        callback(&c, &url, &auth.pending, 2_000).unwrap();
        let cases = [
            PendingAuthorization { redirect_uri: "https://evil.example/cb".into(), ..auth.pending.clone() },
            PendingAuthorization { issuer: "https://evil.gorgias.com".into(), ..auth.pending.clone() },
            PendingAuthorization { account: Some("other".into()), ..auth.pending.clone() },
            PendingAuthorization { provider: "kustomer".into(), ..auth.pending.clone() },
        ];
        for p in &cases {
            assert_eq!(callback(&c, &url, p, 2_000).unwrap_err().code, ErrorCode::PendingInvalid, "{p:?}");
        }
        let no_account = PendingAuthorization { account: None, ..auth.pending.clone() };
        assert_eq!(callback(&c, &url, &no_account, 2_000).unwrap_err().code, ErrorCode::InvalidAccount);
        let hostile = PendingAuthorization { account: Some("evil.example/x?".into()), ..auth.pending.clone() };
        assert_eq!(callback(&c, &url, &hostile, 2_000).unwrap_err().code, ErrorCode::InvalidAccount);
    }

    #[test]
    fn provider_errors_are_redacted_with_every_secret_of_the_step() {
        let c = client("kustomer");
        let params = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["offline_access".into()]), ..Default::default() };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let verifier = auth.pending.code_verifier.clone().unwrap();
        let the_code = code("the-code-1");
        let basic = crate::core::encoding::basic_credentials("client-123", "s3cr3t-value");
        let basic = basic.trim_start_matches("Basic ");
        let body = format!(
            r#"{{"error":"invalid_grant","error_description":"code 'the-code-1' with verifier ({}) for client s3cr3t-value / {basic}"}}"#,
            verifier.expose()
        );
        let e = finish(&c, &auth.pending, &the_code, &HttpResponse { status: 400, ..json(&body) }, 2_000).unwrap_err();
        for secret in ["the-code-1", verifier.expose(), "s3cr3t-value", basic] {
            assert!(!e.message.contains(secret) && !e.description.as_deref().unwrap().contains(secret), "{}", e.message);
        }
        // Revocation: the token being revoked and the client secret.
        let tokens = crate::core::token_set::tests::sample();
        let body = r#"{"error":"invalid_request","error_description":"cannot revoke \"refresh-RRR\" for s3cr3t-value"}"#;
        let e = revoke_response(&c, &tokens, &HttpResponse { status: 400, ..json(body) }).unwrap_err();
        assert!(!e.message.contains("refresh-RRR") && !e.message.contains("s3cr3t-value"), "{}", e.message);
    }

    /// A Gorgias token set whose id_token has the given claims (the original authentication).
    fn previous_with_id_token(claims: Option<&str>) -> TokenSet {
        TokenSet { id_token: claims.map(|c| Secret::new(make_jwt(c))), ..crate::core::token_set::tests::sample() }
    }

    const ORIGINAL: &str = r#"{"iss":"https://acme.gorgias.com","aud":["client-123"],"sub":10,"iat":1000,"exp":90000,"auth_time":990,"nonce":"n-1"}"#;
    const NOW_MS: u64 = 5_000_000;

    fn refreshed(claims: &str) -> HttpResponse {
        json(&format!(r#"{{"access_token":"at2","token_type":"Bearer","expires_in":60,"id_token":"{}"}}"#, make_jwt(claims)))
    }

    #[test]
    fn a_refreshed_id_token_is_checked_against_the_original() {
        // OIDC Core §12.2: same iss, sub, aud (and azp, auth_time), a new iat, no other nonce.
        let c = client("gorgias");
        let previous = previous_with_id_token(Some(ORIGINAL));
        let good = r#"{"iss":"https://acme.gorgias.com","aud":["client-123"],"sub":10,"iat":4990,"exp":90000,"auth_time":990}"#;
        let t = refresh_response(&c, &previous, &refreshed(good), NOW_MS).unwrap();
        assert_ne!(t.id_token, previous.id_token);
        // The original nonce repeated is fine; the original token echoed unchanged is not new.
        refresh_response(&c, &previous, &refreshed(&good.replace(r#""auth_time":990"#, r#""auth_time":990,"nonce":"n-1""#)), NOW_MS).unwrap();
        let echoed = json(&format!(r#"{{"access_token":"at2","token_type":"Bearer","id_token":"{}"}}"#, previous.id_token.as_ref().unwrap().expose()));
        refresh_response(&c, &previous, &echoed, NOW_MS).unwrap();
        let cases: Vec<(String, ErrorCode)> = vec![
            (good.replace(r#""sub":10"#, r#""sub":11"#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""sub":10"#, r#""sub":"10""#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""aud":["client-123"]"#, r#""aud":["client-123","other"],"azp":"client-123""#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""aud":["client-123"]"#, r#""aud":["client-123"],"azp":"client-123""#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""auth_time":990"#, r#""auth_time":4990"#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""auth_time":990"#, r#""auth_time":990,"nonce":"n-2""#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""iat":4990"#, r#""iat":1000"#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace(r#""iat":4990"#, r#""iat":4939"#), ErrorCode::IdTokenRefreshMismatch),
            (good.replace("https://acme.gorgias.com", "https://evil.gorgias.com"), ErrorCode::IdTokenIssuerMismatch),
            (good.replace(r#""aud":["client-123"]"#, r#""aud":["other"]"#), ErrorCode::IdTokenAudienceMismatch),
            (good.replace(r#""exp":90000"#, r#""exp":4000"#), ErrorCode::IdTokenExpired),
            (good.replace(r#""iat":4990"#, r#""iat":5100"#), ErrorCode::IdTokenIssuedInFuture),
        ];
        for (claims, code) in &cases {
            assert_eq!(refresh_response(&c, &previous, &refreshed(claims), NOW_MS).unwrap_err().code, *code, "{claims}");
        }
        // A nonce the original did not have.
        let no_nonce = previous_with_id_token(Some(&ORIGINAL.replace(r#","nonce":"n-1""#, "")));
        assert_eq!(
            refresh_response(&c, &no_nonce, &refreshed(&good.replace(r#""auth_time":990"#, r#""auth_time":990,"nonce":"x""#)), NOW_MS).unwrap_err().code,
            ErrorCode::IdTokenRefreshMismatch
        );
        refresh_response(&c, &no_nonce, &refreshed(good), NOW_MS).unwrap();
    }

    #[test]
    fn a_first_id_token_at_refresh_is_validated_like_a_fresh_one() {
        let c = client("gorgias");
        let previous = previous_with_id_token(None);
        let good = r#"{"iss":"https://acme.gorgias.com","aud":"client-123","sub":10,"iat":4990,"exp":90000,"nonce":"anything"}"#;
        refresh_response(&c, &previous, &refreshed(good), NOW_MS).unwrap();
        assert_eq!(
            refresh_response(&c, &previous, &refreshed(&good.replace("client-123", "other")), NOW_MS).unwrap_err().code,
            ErrorCode::IdTokenAudienceMismatch
        );
        assert_eq!(refresh_response(&c, &previous, &refreshed(&good.replace("acme", "evil")), NOW_MS).unwrap_err().code, ErrorCode::IdTokenIssuerMismatch);
        let none = format!("{}.{}.", crate::core::encoding::base64url(br#"{"alg":"none"}"#), crate::core::encoding::base64url(good.as_bytes()));
        let body = json(&format!(r#"{{"access_token":"at2","token_type":"Bearer","id_token":"{none}"}}"#));
        assert_eq!(refresh_response(&c, &previous, &body, NOW_MS).unwrap_err().code, ErrorCode::IdTokenAlgUnsupported);
    }

    #[test]
    fn wrong_nonce_fails_the_exchange() {
        let c = client("gorgias");
        let params = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec!["openid".into(), "offline".into()]), ..Default::default() };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let body = format!(
            r#"{{"access_token":"a","token_type":"Bearer","id_token":"{}"}}"#,
            make_jwt(r#"{"nonce":"other","sub":1,"iss":"https://acme.gorgias.com","aud":"client-123","iat":1,"exp":100}"#)
        );
        assert_eq!(finish(&c, &auth.pending, &code("c"), &json(&body), 2_000).unwrap_err().code, ErrorCode::NonceMismatch);
    }
}
