//! Intercom: authorize on `app.intercom.com/oauth` without `response_type` or `scope` (the
//! app's permissions are set in the Developer Hub), token on `api.intercom.io` with client
//! credentials in the body. Access tokens do not expire and there is no refresh token: a token
//! set without an expiry stays usable until the workspace uninstalls the app. Ending the grant is
//! `POST /auth/uninstall` with the access token. Regional workspaces (`app.eu.intercom.com`,
//! `api.eu.intercom.io`, `.au`) are reachable by overriding the URLs. A 429 gives the reset time
//! in `X-RateLimit-Reset` (Unix seconds), not `Retry-After`.

use super::{ClientAuth, Preset, Revocation, RevokeStyle, BASE};

pub const PRESET: Preset = Preset {
    id: "intercom",
    authorize_url: "https://app.intercom.com/oauth",
    token_url: "https://api.intercom.io/auth/eagle/token",
    revoke_url: Some("https://api.intercom.io/auth/uninstall"),
    api_base_url: Some("https://api.intercom.io"),
    issuer: "https://app.intercom.com",
    client_auth: ClientAuth::ClientSecretPost,
    pkce: false,
    nonce: false,
    omit_params: &["response_type", "scope"],
    revocation: Revocation { method: "POST", token: RevokeStyle::Bearer },
    rate_limit_reset_header: Some("X-RateLimit-Reset"),
    ..BASE
};
