//! Front: one global host; the grant belongs to the Front company of the admin who approves.
//! Client authentication is HTTP Basic ("MUST", per Front). No `scope` parameter (scopes are set
//! on the app). The token response gives `expires_at` (an absolute time) instead of
//! `expires_in`; access tokens live an hour. A refresh may or may not bring a new refresh token:
//! whichever comes back is kept. No revocation endpoint is documented. A 429 says `Retry-After`
//! and `X-RateLimit-Reset` (Unix seconds).

use super::{Preset, BASE};

pub const PRESET: Preset = Preset {
    id: "front",
    authorize_url: "https://app.frontapp.com/oauth/authorize",
    token_url: "https://app.frontapp.com/oauth/token",
    api_base_url: Some("https://api2.frontapp.com"),
    issuer: "https://app.frontapp.com",
    pkce: false,
    nonce: false,
    omit_params: &["scope"],
    expires_at_field: Some("expires_at"),
    rate_limit_reset_header: Some("X-RateLimit-Reset"),
    ..BASE
};
