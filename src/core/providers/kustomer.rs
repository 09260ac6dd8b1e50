//! Kustomer, as its OAuth guide describes it: one shared host for authorize and token, client
//! credentials in the form body, `offline_access` for a refresh token, and a *new* refresh token
//! on every refresh (the old one must be assumed dead). Per-org hosts
//! (`https://{account}.kustomerapp.com/oauth/authorize`, `https://{account}.api.kustomerapp.com/oauth/token`)
//! are reachable by overriding `authorizeUrl` / `tokenUrl`. No revocation endpoint is documented.

use super::{ClientAuth, Preset, BASE};

pub const PRESET: Preset = Preset {
    id: "kustomer",
    authorize_url: "https://api.apps.kustomerapp.com/oauth/authorize",
    token_url: "https://api.apps.kustomerapp.com/oauth/token",
    api_base_url: Some("https://api.kustomerapp.com"),
    issuer: "https://api.apps.kustomerapp.com",
    client_auth: ClientAuth::ClientSecretPost,
    refresh_scope: Some("offline_access"),
    rotates_refresh_tokens: true,
    nonce: false,
    ..BASE
};
