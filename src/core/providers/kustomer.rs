//! Kustomer, as its OAuth guide describes it: one shared host for authorize and token, client
//! credentials in the form body, `offline_access` for a refresh token, and a *new* refresh token
//! on every refresh (the old one must be assumed dead). Per-org hosts
//! (`https://{account}.kustomerapp.com/oauth/authorize`, `https://{account}.api.kustomerapp.com/oauth/token`)
//! are reachable by overriding `authorizeUrl` / `tokenUrl`. No revocation endpoint is documented.

use super::{ClientAuth, Provider};

pub fn provider() -> Provider {
    Provider {
        id: "kustomer".into(),
        authorize_url: "https://api.apps.kustomerapp.com/oauth/authorize".into(),
        token_url: "https://api.apps.kustomerapp.com/oauth/token".into(),
        revoke_url: None,
        api_base_url: Some("https://api.kustomerapp.com".into()),
        issuer: "https://api.apps.kustomerapp.com".into(),
        test_install_url: None,
        client_auth: ClientAuth::ClientSecretPost,
        scope_separator: " ".into(),
        refresh_scope: Some("offline_access".into()),
        pkce: true,
        rotates_refresh_tokens: true,
        nonce: false,
        requires_iss: false,
        jwks_uri: None,
        jwks: None,
        integer_sub: false,
        ..Provider::custom_defaults()
    }
}
