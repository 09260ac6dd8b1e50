//! Token endpoint and revocation requests as values (RFC 6749 §4.1.3 and §6, RFC 7009 §2.1).

use super::config::ClientConfig;
use super::encoding::{basic_credentials, form_encode};
use super::endpoint::with_query;
use super::error::{Error, ErrorCode, Result};
use super::http::HttpRequest;
use super::pending::PendingAuthorization;
use super::providers::{ClientAuth, RevokeStyle};
use super::secret::Secret;
use super::tenant::fill_url;
use super::token_set::TokenSet;

/// Parameters the library sets in token requests; a provider's `tokenParams` may not replace them.
pub const RESERVED: &[&str] = &["grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "client_id", "client_secret", "scope"];

/// Adds client authentication as the provider wants it and builds the POST.
fn post_form<'a>(client: &'a ClientConfig, url: String, mut pairs: Vec<(&'a str, &'a str)>) -> Result<HttpRequest> {
    let secret = client.secret_for_auth()?;
    let mut headers =
        vec![("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string()), ("Accept".to_string(), "application/json".to_string())];
    match (client.provider.client_auth, secret) {
        (ClientAuth::ClientSecretBasic, Some(secret)) => {
            headers.push(("Authorization".to_string(), basic_credentials(&client.client_id, secret.expose())));
        }
        (ClientAuth::ClientSecretPost, Some(secret)) => {
            pairs.push(("client_id", &client.client_id));
            pairs.push(("client_secret", secret.expose()));
        }
        _ => pairs.push(("client_id", &client.client_id)),
    }
    Ok(HttpRequest { method: "POST", url, headers, body: Some(form_encode(&pairs)) })
}

/// Exchanges the code at the token endpoint of the tenant the pending authorization is bound to,
/// with the same redirect_uri as the authorize request and the PKCE verifier when one was made.
/// `tenant` is the one the callback named (Zoho's data centre), when the provider has one there.
pub fn authorization_code(client: &ClientConfig, pending: &PendingAuthorization, code: &Secret, tenant: Option<&str>) -> Result<HttpRequest> {
    let provider = &client.provider;
    let url = fill_url(provider, &provider.token_url, pending.account.as_deref(), tenant)?;
    let mut pairs = vec![("grant_type", "authorization_code"), ("code", code.expose())];
    // RFC 6749 §4.1.3: the redirect_uri goes with the code only if it went with the authorization.
    if !provider.omits("redirect_uri") {
        pairs.push(("redirect_uri", pending.redirect_uri.as_str()));
    }
    if let Some(verifier) = &pending.code_verifier {
        pairs.push(("code_verifier", verifier.expose()));
    }
    with_token_params(client, &mut pairs);
    post_form(client, url, pairs)
}

/// The provider's own token-request parameters (Zendesk `expires_in`).
fn with_token_params<'a>(client: &'a ClientConfig, pairs: &mut Vec<(&'a str, &'a str)>) {
    pairs.extend(client.provider.token_params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
}

pub fn refresh(client: &ClientConfig, tokens: &TokenSet) -> Result<HttpRequest> {
    check_owner(client, tokens)?;
    let provider = &client.provider;
    let refresh_token = tokens.refresh_token.as_ref().ok_or_else(|| {
        let how = match provider.refresh_scope.as_deref() {
            Some(scope) => format!("request scope `{scope}` to get one"),
            None => "the provider issued none: authorize again when the access token stops working".into(),
        };
        Error::new(ErrorCode::NoRefreshToken, format!("this token set has no refresh token ({how})"))
    })?;
    let url = fill_url(provider, &provider.token_url, tokens.account.as_deref(), tokens.tenant.as_deref())?;
    let mut pairs = vec![("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())];
    with_token_params(client, &mut pairs);
    post_form(client, url, pairs)
}

/// Revokes the grant the provider's way (`Provider::revocation`): RFC 7009 with the refresh token
/// (which ends the grant) or, when there is none, the access token; the same token in the query
/// (Zoho); or the access token as the bearer of the request (Zendesk, Intercom).
pub fn revoke(client: &ClientConfig, tokens: &TokenSet) -> Result<HttpRequest> {
    check_owner(client, tokens)?;
    let provider = &client.provider;
    let template = provider.revoke_url.as_deref().ok_or_else(|| {
        Error::new(ErrorCode::RevocationUnsupported, format!("provider `{}` has no revocation endpoint: delete the stored tokens instead", provider.id))
    })?;
    let url = fill_url(provider, template, tokens.account.as_deref(), tokens.tenant.as_deref())?;
    let (token, hint) = match &tokens.refresh_token {
        Some(r) => (r.expose(), "refresh_token"),
        None => (tokens.access_token.expose(), "access_token"),
    };
    let accept = ("Accept".to_string(), "application/json".to_string());
    let method = provider.revocation.method;
    match provider.revocation.token {
        RevokeStyle::Form => post_form(client, url, vec![("token", token), ("token_type_hint", hint)]).map(|r| HttpRequest { method, ..r }),
        RevokeStyle::Query => Ok(HttpRequest { method, url: with_query(&url, &form_encode(&[("token", token)])), headers: vec![accept], body: None }),
        RevokeStyle::Bearer => {
            let bearer = ("Authorization".to_string(), format!("Bearer {}", tokens.access_token.expose()));
            Ok(HttpRequest { method, url, headers: vec![accept, bearer], body: None })
        }
    }
}

/// Tokens go back only to the provider that issued them.
fn check_owner(client: &ClientConfig, tokens: &TokenSet) -> Result<()> {
    if tokens.provider != client.provider.id {
        return Err(Error::new(
            ErrorCode::InvalidConfig,
            format!("token set belongs to provider `{}`, this client is for `{}`", tokens.provider, client.provider.id),
        ));
    }
    Ok(())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::config::test_support::client;
    use crate::core::token_set::tests::sample;

    fn pending(verifier: Option<&str>) -> PendingAuthorization {
        PendingAuthorization {
            provider: "gorgias".into(),
            account: Some("acme".into()),
            issuer: "https://acme.gorgias.com".into(),
            state: "s".repeat(43),
            nonce: None,
            code_verifier: verifier.map(Secret::new),
            redirect_uri: "https://app.example.com/oauth/callback?account=acme".into(),
            scopes: vec![],
            created_at: 0,
        }
    }

    #[test]
    fn gorgias_code_exchange_uses_basic_auth() {
        let r = authorization_code(&client("gorgias"), &pending(None), &Secret::new("the code"), None).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://acme.gorgias.com/oauth/token");
        assert_eq!(r.header("authorization"), Some(basic_credentials("client-123", "s3cr3t-value").as_str()));
        assert_eq!(r.header("content-type"), Some("application/x-www-form-urlencoded"));
        assert_eq!(
            r.body.as_deref(),
            Some("grant_type=authorization_code&code=the%20code&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback%3Faccount%3Dacme")
        );
        assert!(!format!("{r:?}").contains("s3cr3t") && !format!("{r:?}").contains("the%20code"));
    }

    #[test]
    fn kustomer_uses_body_auth_and_pkce() {
        let mut p = pending(Some("verifier-v"));
        p.provider = "kustomer".into();
        let r = authorization_code(&client("kustomer"), &p, &Secret::new("c"), None).unwrap();
        assert_eq!(r.url, "https://api.apps.kustomerapp.com/oauth/token");
        assert_eq!(r.header("authorization"), None);
        assert_eq!(
            r.body.as_deref(),
            Some("grant_type=authorization_code&code=c&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback%3Faccount%3Dacme&code_verifier=verifier-v&client_id=client-123&client_secret=s3cr3t-value")
        );
    }

    #[test]
    fn refresh_and_revoke() {
        let c = client("gorgias");
        let t = sample();
        let r = refresh(&c, &t).unwrap();
        assert_eq!(r.body.as_deref(), Some("grant_type=refresh_token&refresh_token=refresh-RRR"));
        let r = revoke(&c, &t).unwrap();
        assert_eq!(r.url, "https://acme.gorgias.com/oauth/revoke");
        assert_eq!(r.body.as_deref(), Some("token=refresh-RRR&token_type_hint=refresh_token"));
        let no_refresh = TokenSet { refresh_token: None, ..sample() };
        assert_eq!(refresh(&c, &no_refresh).unwrap_err().code, ErrorCode::NoRefreshToken);
        let k = TokenSet { provider: "kustomer".into(), ..sample() };
        assert_eq!(revoke(&client("kustomer"), &k).unwrap_err().code, ErrorCode::RevocationUnsupported);
        assert_eq!(refresh(&client("kustomer"), &t).unwrap_err().code, ErrorCode::InvalidConfig);
    }

    #[test]
    fn a_hostile_account_never_becomes_a_request() {
        let c = client("gorgias");
        let t = TokenSet { account: Some("evil.example/x?".into()), ..sample() };
        assert_eq!(refresh(&c, &t).unwrap_err().code, ErrorCode::InvalidAccount);
        assert_eq!(revoke(&c, &t).unwrap_err().code, ErrorCode::InvalidAccount);
        let p = PendingAuthorization { account: Some("evil.example/x?".into()), ..pending(None) };
        assert_eq!(authorization_code(&c, &p, &Secret::new("c"), None).unwrap_err().code, ErrorCode::InvalidAccount);
    }

    #[test]
    fn zendesk_sends_expires_in_and_revokes_with_delete_and_the_bearer() {
        let c = client("zendesk");
        let p = PendingAuthorization { provider: "zendesk".into(), issuer: "https://acme.zendesk.com".into(), ..pending(Some("verifier-v")) };
        let r = authorization_code(&c, &p, &Secret::new("c"), None).unwrap();
        assert_eq!(r.url, "https://acme.zendesk.com/oauth/tokens");
        assert!(r.body.as_deref().unwrap().ends_with("&code_verifier=verifier-v&expires_in=1800&client_id=client-123&client_secret=s3cr3t-value"), "{r:?}");
        let t = TokenSet { provider: "zendesk".into(), ..sample() };
        assert!(refresh(&c, &t).unwrap().body.as_deref().unwrap().starts_with("grant_type=refresh_token&refresh_token=refresh-RRR&expires_in=1800&"));
        let r = revoke(&c, &t).unwrap();
        assert_eq!((r.method, r.url.as_str(), r.body.as_deref()), ("DELETE", "https://acme.zendesk.com/api/v2/oauth/tokens/current.json", None));
        assert_eq!(r.header("authorization"), Some("Bearer access-AAA"));
    }

    #[test]
    fn revocation_in_the_query_and_no_redirect_uri_when_the_authorization_had_none() {
        let mut c = client("gorgias");
        c.provider.revocation = crate::core::providers::Revocation { method: "POST", token: RevokeStyle::Query };
        let r = revoke(&c, &sample()).unwrap();
        assert_eq!(
            (r.method, r.url.as_str(), r.body.as_deref(), r.header("authorization")),
            ("POST", "https://acme.gorgias.com/oauth/revoke?token=refresh-RRR", None, None)
        );
        c.provider.omit_params = vec!["redirect_uri".into()];
        let r = authorization_code(&c, &pending(None), &Secret::new("c"), None).unwrap();
        assert_eq!(r.body.as_deref(), Some("grant_type=authorization_code&code=c"));
        // No refresh token: the message says the provider issued none, not which scope to ask for.
        c.provider.refresh_scope = None;
        let e = refresh(&c, &TokenSet { refresh_token: None, ..sample() }).unwrap_err();
        assert!(e.message.contains("issued none"), "{}", e.message);
    }
}
