//! HubSpot: authorize on `app.hubspot.com` (the installing user picks the account), the v3 token
//! endpoint on `api.hubapi.com` with client credentials in the body, PKCE. The token response
//! names the account (`hub_id`, kept as the tenant) and lists `scopes` as an array; access
//! tokens live 30 minutes. Whether refresh tokens rotate is not documented: a new one is kept
//! when it comes. Errors have HubSpot's own shape (`status` / `category`, `message`), mapped to
//! the RFC 6749 codes below. HubSpot says an API 401 is not the sign to refresh: the expiry is.

use super::{ClientAuth, Preset, StaticTenant, TenantSource, BASE};

pub const PRESET: Preset = Preset {
    id: "hubspot",
    authorize_url: "https://app.hubspot.com/oauth/authorize",
    token_url: "https://api.hubapi.com/oauth/v3/token",
    revoke_url: Some("https://api.hubapi.com/oauth/v3/token/revoke"),
    api_base_url: Some("https://api.hubapi.com"),
    issuer: "https://app.hubspot.com",
    client_auth: ClientAuth::ClientSecretPost,
    nonce: false,
    tenant: Some(StaticTenant { source: TenantSource::TokenResponse, param: "hub_id", values: &[], default: None }),
    error_fields: &["status", "subCategory", "category"],
    error_aliases: &[
        ("BAD_REFRESH_TOKEN", "invalid_grant"),
        ("BAD_AUTH_CODE", "invalid_grant"),
        ("BAD_REDIRECT_URI", "invalid_grant"),
        ("BAD_CLIENT_ID", "invalid_client"),
        ("BAD_CLIENT_SECRET", "invalid_client"),
        ("BAD_GRANT_TYPE", "unsupported_grant_type"),
        ("VALIDATION_ERROR", "invalid_request"),
    ],
    refresh_on_401: false,
    ..BASE
};
