//! Help Scout (Mailbox API 2.0): authorize on `secure.helpscout.net` with only `client_id` and
//! `state` (no `response_type`, `redirect_uri` or `scope`: the redirect goes to the URL registered
//! on the app), token on `api.helpscout.net` with client credentials in the body. A refresh is
//! treated as rotating (the new refresh token is kept). A refresh token Help Scout no longer
//! accepts is answered with `invalid_request`, read here as `invalid_grant`. A 429 says how long
//! to wait in `X-RateLimit-Retry-After`.

use super::{ClientAuth, Preset, BASE};

pub const PRESET: Preset = Preset {
    id: "helpscout",
    authorize_url: "https://secure.helpscout.net/authentication/authorizeClientApplication",
    token_url: "https://api.helpscout.net/v2/oauth2/token",
    api_base_url: Some("https://api.helpscout.net/v2"),
    issuer: "https://secure.helpscout.net",
    client_auth: ClientAuth::ClientSecretPost,
    pkce: false,
    rotates_refresh_tokens: true,
    nonce: false,
    omit_params: &["response_type", "scope", "redirect_uri"],
    error_aliases: &[("invalid_request", "invalid_grant")],
    retry_after_header: "X-RateLimit-Retry-After",
    ..BASE
};
