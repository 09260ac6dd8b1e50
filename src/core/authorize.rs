//! Building the authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC nonce).

use super::account::validate_account;
use super::config::ClientConfig;
use super::encoding::form_encode;
use super::endpoint::{fill, with_query};
use super::error::{Error, ErrorCode, Result};
use super::pending::PendingAuthorization;
use super::pkce;
use super::random::Randomness;
use super::scopes::{check_refresh_scope, dedupe, validate_scopes};
use super::secret::Secret;

/// The scope that makes an authorization request an OpenID Connect one (an id_token comes back).
pub const OPENID_SCOPE: &str = "openid";

/// Parameters the library sets itself; an extra parameter may not override them.
pub const RESERVED: &[&str] = &["response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"];

#[derive(Clone, Debug, Default)]
pub struct AuthorizeParams {
    pub account: Option<String>,
    /// Replaces the client's default scopes when given.
    pub scopes: Option<Vec<String>>,
    /// The caller wants a refresh token (default): the provider's refresh scope must be present.
    pub offline: Option<bool>,
    pub extra_params: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct AuthorizationRequest {
    pub url: String,
    pub code_challenge: Option<String>,
    pub pending: PendingAuthorization,
}

pub fn build(client: &ClientConfig, params: AuthorizeParams, random: Randomness, now_ms: u64) -> Result<AuthorizationRequest> {
    let provider = &client.provider;
    let account = params.account.as_deref().map(validate_account).transpose()?;
    let scopes = dedupe(params.scopes.as_ref().unwrap_or(&client.scopes));
    validate_scopes(&scopes)?;
    let omit_scope = provider.omits("scope");
    if omit_scope && !scopes.is_empty() {
        return Err(Error::new(ErrorCode::InvalidScope, "this provider takes no `scope` parameter: its scopes are set on the app; pass none"));
    }
    if scopes.is_empty() && !omit_scope {
        return Err(Error::new(ErrorCode::InvalidScope, "no scopes requested: pass `scopes` to the client or to authorize()"));
    }
    // A scope with the separator in it would be read back as two.
    if scopes.iter().any(|s| s.contains(provider.scope_separator.as_str())) {
        return Err(Error::new(ErrorCode::InvalidScope, "a scope contains the provider's scope separator"));
    }
    let offline = params.offline.unwrap_or(true);
    if offline {
        check_refresh_scope(provider, &scopes)?;
    }
    for (name, value) in &params.extra_params {
        if name.is_empty() || RESERVED.contains(&name.as_str()) || name.len() > 100 || value.len() > 2000 {
            return Err(Error::new(
                ErrorCode::InvalidConfig,
                format!(
                    "extra parameter `{}` is not allowed: the library sets {} itself, and names and values must be short",
                    name.chars().take(40).collect::<String>(),
                    RESERVED.join(", ")
                ),
            ));
        }
    }
    let endpoint = fill(&provider.authorize_url, account.as_deref())?;
    let issuer = fill(&provider.issuer, account.as_deref())?;

    let scope = scopes.join(&provider.scope_separator);
    // A nonce comes back only inside an id_token, and an id_token only for `openid`: sending one
    // otherwise would make the exchange demand an id_token the provider never issues.
    let send_nonce = provider.nonce && scopes.iter().any(|s| s == OPENID_SCOPE);
    let code_challenge = provider.pkce.then(|| pkce::challenge(&random.code_verifier));
    let standard =
        [("response_type", "code"), ("client_id", &client.client_id), ("redirect_uri", &client.redirect_uri), ("scope", &scope), ("state", &random.state)];
    let mut pairs: Vec<(&str, &str)> = standard.into_iter().filter(|(name, _)| !provider.omits(name)).collect();
    if send_nonce {
        pairs.push(("nonce", &random.nonce));
    }
    if let Some(challenge) = &code_challenge {
        pairs.push(("code_challenge", challenge));
        pairs.push(("code_challenge_method", pkce::METHOD));
    }
    for (name, value) in &params.extra_params {
        pairs.push((name, value));
    }
    // What the provider wants for a refresh token (Zoho `access_type=offline`), unless the caller
    // set the same parameter itself.
    if offline {
        for (name, value) in &provider.offline_params {
            if !params.extra_params.iter().any(|(n, _)| n == name) {
                pairs.push((name, value));
            }
        }
    }
    let url = with_query(&endpoint, &form_encode(&pairs));

    let pending = PendingAuthorization {
        provider: provider.id.clone(),
        account,
        issuer,
        state: random.state,
        nonce: send_nonce.then_some(random.nonce),
        code_verifier: provider.pkce.then(|| Secret::new(random.code_verifier)),
        redirect_uri: client.redirect_uri.clone(),
        scopes,
        created_at: now_ms,
    };
    Ok(AuthorizationRequest { url, code_challenge, pending })
}

/// Gorgias's draft-app install URL, which starts the install flow before the app is approved.
pub fn test_install_url(client: &ClientConfig, account: &str) -> Result<String> {
    let account = validate_account(account)?;
    let template = client
        .provider
        .test_install_url
        .as_deref()
        .ok_or_else(|| Error::new(ErrorCode::InvalidConfig, format!("provider `{}` has no draft-app test URL", client.provider.id)))?;
    Ok(fill(template, Some(&account))?.replace("{client_id}", &super::encoding::percent_encode(&client.client_id)))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod tests {
    use super::*;
    use crate::core::config::test_support::client;

    pub fn fixed_random() -> Randomness {
        Randomness { state: "S".repeat(43), nonce: "N".repeat(43), code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into() }
    }

    fn params(account: &str, scopes: &[&str]) -> AuthorizeParams {
        AuthorizeParams { account: Some(account.into()), scopes: Some(scopes.iter().map(|s| s.to_string()).collect()), ..Default::default() }
    }

    #[test]
    fn gorgias_url_matches_the_documented_shape() {
        let c = client("gorgias");
        let r = build(&c, params("Acme", &["openid", "offline", "tickets:read", "offline"]), fixed_random(), 5).unwrap();
        assert_eq!(
            r.url,
            format!(
                "https://acme.gorgias.com/oauth/authorize?response_type=code&client_id=client-123&redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback&scope=openid%20offline%20tickets%3Aread&state={}&nonce={}",
                "S".repeat(43),
                "N".repeat(43)
            )
        );
        assert_eq!(r.pending.account.as_deref(), Some("acme"));
        assert_eq!(r.pending.issuer, "https://acme.gorgias.com");
        assert!(r.pending.code_verifier.is_none(), "Gorgias preset has PKCE off");
        assert_eq!(r.pending.created_at, 5);
    }

    #[test]
    fn kustomer_url_has_pkce_and_no_nonce() {
        let c = client("kustomer");
        let r = build(&c, params("myorg", &["org.permission.customer", "offline_access"]), fixed_random(), 0).unwrap();
        assert!(r.url.starts_with("https://api.apps.kustomerapp.com/oauth/authorize?response_type=code&"));
        assert!(r.url.contains("&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"));
        assert!(!r.url.contains("nonce="));
        assert!(r.pending.code_verifier.is_some());
    }

    #[test]
    fn errors() {
        let c = client("gorgias");
        let cases: Vec<(AuthorizeParams, ErrorCode)> = vec![
            (params("evil.com/", &["offline"]), ErrorCode::InvalidAccount),
            (AuthorizeParams { scopes: Some(vec!["offline".into()]), ..Default::default() }, ErrorCode::InvalidAccount),
            (params("acme", &["tickets:read"]), ErrorCode::MissingRefreshScope),
            (params("acme", &[]), ErrorCode::InvalidScope),
            (params("acme", &["a b"]), ErrorCode::InvalidScope),
            (AuthorizeParams { extra_params: vec![("state".into(), "x".into())], ..params("acme", &["offline"]) }, ErrorCode::InvalidConfig),
        ];
        for (i, (p, code)) in cases.into_iter().enumerate() {
            assert_eq!(build(&c, p, fixed_random(), 0).unwrap_err().code, code, "case {i}");
        }
        let ok = AuthorizeParams { offline: Some(false), ..params("acme", &["tickets:read"]) };
        build(&c, ok, fixed_random(), 0).unwrap();
    }

    #[test]
    fn the_nonce_goes_with_openid_only() {
        // Without `openid` there is no id_token to carry a nonce back, so none is sent or kept.
        let c = client("gorgias");
        let r = build(&c, params("acme", &["offline", "tickets:read"]), fixed_random(), 0).unwrap();
        assert!(!r.url.contains("nonce="), "{}", r.url);
        assert_eq!(r.pending.nonce, None);
        let r = build(&c, params("acme", &["openid", "offline"]), fixed_random(), 0).unwrap();
        assert!(r.url.contains(&format!("&nonce={}", "N".repeat(43))));
        assert_eq!(r.pending.nonce.as_deref(), Some("N".repeat(43).as_str()));
    }

    #[test]
    fn extra_params_are_appended_encoded() {
        let c = client("gorgias");
        let p = AuthorizeParams { extra_params: vec![("prompt".into(), "consent & more".into())], ..params("acme", &["offline"]) };
        assert!(build(&c, p, fixed_random(), 0).unwrap().url.ends_with("&prompt=consent%20%26%20more"));
    }

    #[test]
    fn draft_app_url() {
        let c = client("gorgias");
        assert_eq!(test_install_url(&c, "acme").unwrap(), "https://acme.gorgias.com/app/settings/integrations/app/client-123");
        assert_eq!(test_install_url(&c, "a.b").unwrap_err().code, ErrorCode::InvalidAccount);
        assert_eq!(test_install_url(&client("kustomer"), "acme").unwrap_err().code, ErrorCode::InvalidConfig);
    }

    #[test]
    fn left_out_parameters_and_offline_parameters() {
        // Help Scout takes client_id and state only; its scopes are set on the app.
        let mut c = client("gorgias");
        c.provider.omit_params = vec!["response_type".into(), "scope".into(), "redirect_uri".into()];
        c.provider.refresh_scope = None;
        c.provider.nonce = false;
        let none = AuthorizeParams { account: Some("acme".into()), scopes: Some(vec![]), ..Default::default() };
        let r = build(&c, none.clone(), fixed_random(), 0).unwrap();
        assert_eq!(r.url, format!("https://acme.gorgias.com/oauth/authorize?client_id=client-123&state={}", "S".repeat(43)));
        assert!(r.pending.scopes.is_empty());
        let with_scopes = AuthorizeParams { scopes: Some(vec!["read".into()]), ..none };
        assert_eq!(build(&c, with_scopes, fixed_random(), 0).unwrap_err().code, ErrorCode::InvalidScope);

        // Zoho: a refresh token is asked for with parameters, not a scope; the caller's own wins.
        let mut c = client("gorgias");
        c.provider.refresh_scope = None;
        c.provider.scope_separator = ",".into();
        c.provider.offline_params = vec![("access_type".into(), "offline".into()), ("prompt".into(), "consent".into())];
        let url = build(&c, params("acme", &["Desk.tickets.READ", "Desk.basic.READ"]), fixed_random(), 0).unwrap().url;
        assert!(url.contains("&scope=Desk.tickets.READ%2CDesk.basic.READ&"), "{url}");
        assert!(url.ends_with("&access_type=offline&prompt=consent"), "{url}");
        let own = AuthorizeParams { extra_params: vec![("prompt".into(), "login".into())], ..params("acme", &["Desk.tickets.READ"]) };
        assert!(build(&c, own, fixed_random(), 0).unwrap().url.ends_with("&prompt=login&access_type=offline"));
        let online = AuthorizeParams { offline: Some(false), ..params("acme", &["Desk.tickets.READ"]) };
        assert!(!build(&c, online, fixed_random(), 0).unwrap().url.contains("access_type"));
        // A scope with the separator in it would come back as two.
        assert_eq!(build(&c, params("acme", &["a,b"]), fixed_random(), 0).unwrap_err().code, ErrorCode::InvalidScope);
    }
}
