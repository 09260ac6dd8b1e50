//! The authorization-code flow as sans-IO steps: each step either returns a request for the host
//! to send, or reads the response the host got back. The wasm boundary strings them together
//! around `fetch`; native tests call them directly.

use super::authorize::{self, AuthorizationRequest, AuthorizeParams};
use super::callback::{self, AuthorizationCode};
use super::config::ClientConfig;
use super::error::Result;
use super::http::{HttpRequest, HttpResponse};
use super::id_token;
use super::json::Value;
use super::pending::PendingAuthorization;
use super::random::Randomness;
use super::token_request;
use super::token_response::{check_revocation_response, parse_token_response, ResponseContext};
use super::token_set::TokenSet;

pub fn start(
    client: &ClientConfig,
    params: AuthorizeParams,
    random: Randomness,
    now_ms: u64,
) -> Result<AuthorizationRequest> {
    authorize::build(client, params, random, now_ms)
}

/// Checks the callback and, when it is good, describes the code exchange.
pub fn callback(
    client: &ClientConfig,
    callback_url: &str,
    pending: &PendingAuthorization,
    now_ms: u64,
) -> Result<(AuthorizationCode, HttpRequest)> {
    let code = callback::check(
        callback_url,
        pending,
        &client.provider,
        now_ms,
        client.pending_ttl_ms,
    )?;
    let request = token_request::authorization_code(client, pending, &code.code)?;
    Ok((code, request))
}

/// Reads the code-exchange response. An id_token, when there is one, must pass the claims checks
/// (issuer of the bound account, audience, lifetime, the pending nonce); its signature, where
/// the provider publishes keys, is the boundary's to check.
pub fn finish(
    client: &ClientConfig,
    pending: &PendingAuthorization,
    response: &HttpResponse,
    now_ms: u64,
) -> Result<TokenSet> {
    finish_with_claims(client, pending, response, now_ms).map(|(tokens, _)| tokens)
}

/// `finish`, also handing back the id_token claims it checked, so the boundary need not decode
/// them a second time for `idTokenClaims()`.
pub fn finish_with_claims(
    client: &ClientConfig,
    pending: &PendingAuthorization,
    response: &HttpResponse,
    now_ms: u64,
) -> Result<(TokenSet, Option<Value>)> {
    let ctx = ResponseContext {
        now_ms,
        provider: &client.provider,
        account: pending.account.as_deref(),
        requested_scopes: &pending.scopes,
        previous: None,
    };
    let tokens = parse_token_response(response, &ctx)?;
    if let Some(id) = &tokens.id_token {
        let expected = id_token::Expected {
            issuer: &pending.issuer,
            client_id: &client.client_id,
            nonce: pending.nonce.as_deref(),
            now_ms,
            tolerance_seconds: client.clock_tolerance_seconds,
        };
        let claims = id_token::validate(id.expose(), &expected)?;
        return Ok((tokens, Some(claims)));
    }
    Ok((tokens, None))
}

pub fn refresh_request(client: &ClientConfig, tokens: &TokenSet) -> Result<HttpRequest> {
    token_request::refresh(client, tokens)
}

/// Reads a refresh response. On any error the caller still holds `previous`, untouched: a
/// failed refresh never costs the refresh token.
pub fn refresh_response(
    client: &ClientConfig,
    previous: &TokenSet,
    response: &HttpResponse,
    now_ms: u64,
) -> Result<TokenSet> {
    let ctx = ResponseContext {
        now_ms,
        provider: &client.provider,
        account: previous.account.as_deref(),
        requested_scopes: &previous.scopes,
        previous: Some(previous),
    };
    parse_token_response(response, &ctx)
}

pub fn revoke_request(client: &ClientConfig, tokens: &TokenSet) -> Result<HttpRequest> {
    token_request::revoke(client, tokens)
}

pub fn revoke_response(response: &HttpResponse) -> Result<()> {
    check_revocation_response(response)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::authorize::tests::fixed_random;
    use crate::core::config::test_support::client;
    use crate::core::error::ErrorCode;
    use crate::core::jwt::tests::make_jwt;

    fn json(body: &str) -> HttpResponse {
        HttpResponse {
            status: 200,
            content_type: Some("application/json".into()),
            body: body.into(),
        }
    }

    #[test]
    fn gorgias_flow_end_to_end() {
        let c = client("gorgias");
        let params = AuthorizeParams {
            account: Some("acme".into()),
            scopes: Some(vec!["openid".into(), "offline".into()]),
            ..Default::default()
        };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let pending = PendingAuthorization::deserialize(&auth.pending.serialize()).unwrap();
        let (_, req) = callback(
            &c,
            &format!(
                "https://app.example.com/oauth/callback?code=C0DE&state={}",
                "S".repeat(43)
            ),
            &pending,
            2_000,
        )
        .unwrap();
        assert_eq!(req.url, "https://acme.gorgias.com/oauth/token");
        let id = make_jwt(&format!(
            r#"{{"nonce":"{}","sub":10,"iss":"https://acme.gorgias.com","aud":["client-123"],"iat":3,"exp":86400}}"#,
            "N".repeat(43)
        ));
        let body = format!(
            r#"{{"access_token":"at1","refresh_token":"rt1","id_token":"{id}","expires_in":86400,"token_type":"Bearer","scope":"openid offline"}}"#
        );
        let tokens = finish(&c, &pending, &json(&body), 3_000).unwrap();
        assert_eq!(tokens.expires_at, Some(3_000 + 86_400_000));
        let req = refresh_request(&c, &tokens).unwrap();
        assert!(req.body.unwrap().contains("refresh_token=rt1"));
        let refreshed = refresh_response(
            &c,
            &tokens,
            &json(r#"{"access_token":"at2","expires_in":86400,"token_type":"Bearer"}"#),
            4_000,
        )
        .unwrap();
        assert_eq!(refreshed.access_token.expose(), "at2");
        assert_eq!(refreshed.refresh_token.as_ref().unwrap().expose(), "rt1");
        assert_eq!(refreshed.id_token, tokens.id_token);
        revoke_request(&c, &refreshed).unwrap();
        revoke_response(&json("{}")).unwrap();
    }

    #[test]
    fn finish_hands_back_the_checked_claims() {
        let c = client("gorgias");
        let params = AuthorizeParams {
            account: Some("acme".into()),
            scopes: Some(vec!["openid".into(), "offline".into()]),
            ..Default::default()
        };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let id = make_jwt(&format!(
            r#"{{"nonce":"{}","sub":10,"iss":"https://acme.gorgias.com","aud":"client-123","iat":3,"exp":86400}}"#,
            "N".repeat(43)
        ));
        let (tokens, claims) = finish_with_claims(
            &c,
            &auth.pending,
            &json(&format!(
                r#"{{"access_token":"a","token_type":"Bearer","id_token":"{id}"}}"#
            )),
            2_000,
        )
        .unwrap();
        assert_eq!(
            claims,
            Some(crate::core::jwt::decode_claims(tokens.id_token.unwrap().expose()).unwrap())
        );
        let (_, none) = finish_with_claims(
            &c,
            &auth.pending,
            &json(r#"{"access_token":"a","token_type":"Bearer"}"#),
            2_000,
        )
        .unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn wrong_nonce_fails_the_exchange() {
        let c = client("gorgias");
        let params = AuthorizeParams {
            account: Some("acme".into()),
            scopes: Some(vec!["openid".into(), "offline".into()]),
            ..Default::default()
        };
        let auth = start(&c, params, fixed_random(), 1_000).unwrap();
        let body = format!(
            r#"{{"access_token":"a","token_type":"Bearer","id_token":"{}"}}"#,
            make_jwt(
                r#"{"nonce":"other","sub":1,"iss":"https://acme.gorgias.com","aud":"client-123","iat":1,"exp":100}"#
            )
        );
        assert_eq!(
            finish(&c, &auth.pending, &json(&body), 2_000)
                .unwrap_err()
                .code,
            ErrorCode::NonceMismatch
        );
    }
}
