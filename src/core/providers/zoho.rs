//! Zoho Desk (Zoho Accounts OAuth). The flow starts at `accounts.zoho.com`; Zoho sends the user
//! to their data centre and names it in the callback's `accounts-server`, which must be one of
//! the documented hosts below: its token, revocation and Desk API hosts follow from it. Scopes
//! are comma-separated; `access_type=offline` asks for a refresh token, which Zoho issues only on
//! a consent, so `prompt=consent` goes with it. Errors come back with HTTP 200. Refresh tokens do
//! not rotate. Revocation: `POST /oauth/v2/token/revoke?token=`. The API wants
//! `Authorization: Zoho-oauthtoken` (and an `orgId` header the app adds per request).

use super::{ClientAuth, Preset, Revocation, RevokeStyle, StaticTenant, TenantSource, BASE};

/// Zoho's data centres: the `accounts-server` value and the domain the other hosts share.
const DATA_CENTRES: [(&str, &str); 9] = [
    ("https://accounts.zoho.com", "zoho.com"),
    ("https://accounts.zoho.eu", "zoho.eu"),
    ("https://accounts.zoho.in", "zoho.in"),
    ("https://accounts.zoho.com.au", "zoho.com.au"),
    ("https://accounts.zoho.jp", "zoho.jp"),
    ("https://accounts.zoho.com.cn", "zoho.com.cn"),
    ("https://accounts.zohocloud.ca", "zohocloud.ca"),
    ("https://accounts.zoho.sa", "zoho.sa"),
    ("https://accounts.zoho.uk", "zoho.uk"),
];

pub const PRESET: Preset = Preset {
    id: "zoho",
    authorize_url: "https://accounts.zoho.com/oauth/v2/auth",
    token_url: "https://accounts.{tenant}/oauth/v2/token",
    revoke_url: Some("https://accounts.{tenant}/oauth/v2/token/revoke"),
    api_base_url: Some("https://desk.{tenant}/api/v1"),
    issuer: "https://accounts.zoho.com",
    client_auth: ClientAuth::ClientSecretPost,
    scope_separator: ",",
    pkce: false,
    nonce: false,
    offline_params: &[("access_type", "offline"), ("prompt", "consent")],
    tenant: Some(StaticTenant { source: TenantSource::Callback, param: "accounts-server", values: &DATA_CENTRES, default: Some("zoho.com") }),
    errors_in_200: true,
    error_aliases: &[("invalid_code", "invalid_grant"), ("invalid_redirect_uri", "invalid_grant"), ("invalid_client_secret", "invalid_client")],
    revocation: Revocation { method: "POST", token: RevokeStyle::Query },
    api_auth_scheme: "Zoho-oauthtoken",
    ..BASE
};
