//! Help Scout (Mailbox API 2.0): authorize on `secure.helpscout.net` with only `client_id` and
//! `state` (no `response_type`, `redirect_uri` or `scope`: the redirect goes to the URL registered
//! on the app), token on `api.helpscout.net` with client credentials in the body. A refresh is
//! treated as rotating (the new refresh token is kept). A refresh token Help Scout no longer
//! accepts is answered with `invalid_request`, read here as `invalid_grant`. A 429 says how long
//! to wait in `X-RateLimit-Retry-After`.

use super::{ClientAuth, ErrorRules, Provider};

pub fn provider() -> Provider {
    Provider {
        api_base_url: Some("https://api.helpscout.net/v2".into()),
        issuer: "https://secure.helpscout.net".into(),
        client_auth: ClientAuth::ClientSecretPost,
        pkce: false,
        rotates_refresh_tokens: true,
        nonce: false,
        omit_params: vec!["response_type".into(), "scope".into(), "redirect_uri".into()],
        errors: ErrorRules { aliases: vec![("invalid_request".into(), "invalid_grant".into())], ..ErrorRules::default() },
        retry_after_header: "X-RateLimit-Retry-After".into(),
        ..Provider::base("helpscout", "https://secure.helpscout.net/authentication/authorizeClientApplication", "https://api.helpscout.net/v2/oauth2/token")
    }
}
