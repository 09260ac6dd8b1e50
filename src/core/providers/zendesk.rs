//! Zendesk Support: every account is `https://{account}.zendesk.com` (the subdomain is known
//! before the authorize redirect). Client credentials in the form body, PKCE S256, and a new
//! refresh token on every refresh that invalidates the previous one; access tokens live 30
//! minutes by default. Clients made before refresh tokens existed get one only when the token
//! request names `expires_in`, so it is always sent (1800 s, Zendesk's default). Revocation is
//! `DELETE /api/v2/oauth/tokens/current.json` with the access token as the bearer.

use super::{ClientAuth, Provider, Revocation, RevokeStyle};

pub fn provider() -> Provider {
    Provider {
        revoke_url: Some("https://{account}.zendesk.com/api/v2/oauth/tokens/current.json".into()),
        api_base_url: Some("https://{account}.zendesk.com/api/v2".into()),
        issuer: "https://{account}.zendesk.com".into(),
        client_auth: ClientAuth::ClientSecretPost,
        rotates_refresh_tokens: true,
        nonce: false,
        token_params: vec![("expires_in".into(), "1800".into())],
        revocation: Revocation { method: "DELETE", token: RevokeStyle::Bearer },
        ..Provider::base("zendesk", "https://{account}.zendesk.com/oauth/authorizations/new", "https://{account}.zendesk.com/oauth/tokens")
    }
}
