//! Gorgias: every account is its own authorization server at `https://{account}.gorgias.com`.
//! Basic client auth; `offline` (not `offline_access`) yields a refresh token; refresh responses
//! carry no new refresh token (keep the old one, it does not expire); PKCE "not enabled yet".

use super::{ClientAuth, Provider};

pub fn provider() -> Provider {
    Provider {
        id: "gorgias".into(),
        authorize_url: "https://{account}.gorgias.com/oauth/authorize".into(),
        token_url: "https://{account}.gorgias.com/oauth/token".into(),
        revoke_url: Some("https://{account}.gorgias.com/oauth/revoke".into()),
        api_base_url: Some("https://{account}.gorgias.com/api".into()),
        issuer: "https://{account}.gorgias.com".into(),
        test_install_url: Some("https://{account}.gorgias.com/app/settings/integrations/app/{client_id}".into()),
        client_auth: ClientAuth::ClientSecretBasic,
        scope_separator: " ".into(),
        refresh_scope: Some("offline".into()),
        pkce: false,
        rotates_refresh_tokens: false,
        nonce: true,
        requires_iss: false,
        jwks_uri: None,
        jwks: None,
        integer_sub: true,
        ..Provider::custom_defaults()
    }
}
