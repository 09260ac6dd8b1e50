//! Zendesk Support: every account is `https://{account}.zendesk.com` (the subdomain is known
//! before the authorize redirect). Client credentials in the form body, PKCE S256, and a new
//! refresh token on every refresh that invalidates the previous one; access tokens live 30
//! minutes by default. Clients made before refresh tokens existed get one only when the token
//! request names `expires_in`, so it is always sent (1800 s, Zendesk's default). Revocation is
//! `DELETE /api/v2/oauth/tokens/current.json` with the access token as the bearer.

use super::{ClientAuth, Preset, Revocation, RevokeStyle, BASE};

pub const PRESET: Preset = Preset {
    id: "zendesk",
    authorize_url: "https://{account}.zendesk.com/oauth/authorizations/new",
    token_url: "https://{account}.zendesk.com/oauth/tokens",
    revoke_url: Some("https://{account}.zendesk.com/api/v2/oauth/tokens/current.json"),
    api_base_url: Some("https://{account}.zendesk.com/api/v2"),
    issuer: "https://{account}.zendesk.com",
    client_auth: ClientAuth::ClientSecretPost,
    rotates_refresh_tokens: true,
    nonce: false,
    token_params: &[("expires_in", "1800")],
    revocation: Revocation { method: "DELETE", token: RevokeStyle::Bearer },
    ..BASE
};
