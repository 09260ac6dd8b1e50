//! HubSpot: authorize on `app.hubspot.com` (the installing user picks the account), the v3 token
//! endpoint on `api.hubapi.com` with client credentials in the body, PKCE. The token response
//! names the account (`hub_id`, kept as the tenant) and lists `scopes` as an array; access
//! tokens live 30 minutes. Whether refresh tokens rotate is not documented: a new one is kept
//! when it comes. Errors have HubSpot's own shape (`status` / `category`, `message`), mapped to
//! the RFC 6749 codes below. HubSpot says an API 401 is not the sign to refresh: the expiry is.

use super::{ClientAuth, ErrorRules, Provider, Tenant, TenantSource};

const ERROR_ALIASES: [(&str, &str); 7] = [
    ("BAD_REFRESH_TOKEN", "invalid_grant"),
    ("BAD_AUTH_CODE", "invalid_grant"),
    ("BAD_REDIRECT_URI", "invalid_grant"),
    ("BAD_CLIENT_ID", "invalid_client"),
    ("BAD_CLIENT_SECRET", "invalid_client"),
    ("BAD_GRANT_TYPE", "unsupported_grant_type"),
    ("VALIDATION_ERROR", "invalid_request"),
];

pub fn provider() -> Provider {
    Provider {
        revoke_url: Some("https://api.hubapi.com/oauth/v3/token/revoke".into()),
        api_base_url: Some("https://api.hubapi.com".into()),
        issuer: "https://app.hubspot.com".into(),
        client_auth: ClientAuth::ClientSecretPost,
        nonce: false,
        tenant: Some(Tenant { source: TenantSource::TokenResponse, param: "hub_id".into(), values: Vec::new(), default: None }),
        errors: ErrorRules {
            in_200: false,
            fields: vec!["status".into(), "subCategory".into(), "category".into()],
            aliases: ERROR_ALIASES.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        },
        refresh_on_401: false,
        ..Provider::base("hubspot", "https://app.hubspot.com/oauth/authorize", "https://api.hubapi.com/oauth/v3/token")
    }
}
