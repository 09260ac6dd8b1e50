//! What the client needs to know about an authorization server, as one plain struct. Presets
//! live one per file; any RFC 6749 provider is described by `ProviderOptions`.

mod front;
mod gorgias;
mod helpscout;
mod hubspot;
mod intercom;
mod knobs;
mod kustomer;
mod zendesk;
mod zoho;

pub use knobs::{ErrorRules, Revocation, RevokeStyle, Tenant, TenantSource, OMITTABLE, RFC7009, STANDARD_ERRORS};

use super::endpoint::{check_absolute, fill, origin, ACCOUNT_PLACEHOLDER};
use super::error::{Error, ErrorCode, Result};
use super::json::{Fields, Value};
use super::tenant::TENANT_PLACEHOLDER;

/// How the client authenticates at the token and revocation endpoints (RFC 6749 §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic with form-urlencoded id and secret (Gorgias).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body (Kustomer).
    ClientSecretPost,
    /// A public client: `client_id` in the body, no secret (use with PKCE).
    None,
}

impl ClientAuth {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientAuth::ClientSecretBasic => "client_secret_basic",
            ClientAuth::ClientSecretPost => "client_secret_post",
            ClientAuth::None => "none",
        }
    }

    pub fn parse(name: &str) -> Option<ClientAuth> {
        [ClientAuth::ClientSecretBasic, ClientAuth::ClientSecretPost, ClientAuth::None].into_iter().find(|a| a.as_str() == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    /// `gorgias`, `kustomer`, or the caller's name for a custom provider.
    pub id: String,
    /// Endpoint templates; `{account}` is replaced by the validated account.
    pub authorize_url: String,
    pub token_url: String,
    pub revoke_url: Option<String>,
    pub api_base_url: Option<String>,
    /// Expected `iss` (RFC 9207) as a template. Defaults to the authorize endpoint's origin.
    pub issuer: String,
    /// Draft-app install URL template with `{account}` and `{client_id}` (Gorgias).
    pub test_install_url: Option<String>,
    pub client_auth: ClientAuth,
    pub scope_separator: String,
    /// The scope without which the provider issues no refresh token.
    pub refresh_scope: Option<String>,
    pub pkce: bool,
    pub rotates_refresh_tokens: bool,
    /// Whether the authorize request carries a `nonce` (OpenID Connect providers).
    pub nonce: bool,
    /// Whether the provider always sends `iss` in the callback; then a callback without it fails.
    pub requires_iss: bool,
    /// Where the provider publishes its id_token signing keys (template). With this or `jwks`
    /// set, id_token signatures are verified; without either (Gorgias), only the claims are.
    pub jwks_uri: Option<String>,
    /// The signing keys themselves, as a JWK set.
    pub jwks: Option<Value>,
    /// Whether an id_token `sub` may be a non-negative JSON integer instead of the string OIDC
    /// Core §2 asks for. Gorgias sends `"sub": 10`, so its preset (and overrides of it) accept
    /// that; custom providers do not. Not an option: it describes a preset's known quirk.
    pub integer_sub: bool,
    /// Standard authorize parameters this provider does not take (some of `OMITTABLE`). Without
    /// `scope` no scopes are asked for (they are set on the app); without `redirect_uri` the code
    /// exchange leaves it out too (RFC 6749 §4.1.3).
    pub omit_params: Vec<String>,
    /// Added to the authorize request when a refresh token is wanted (Zoho `access_type=offline`).
    pub offline_params: Vec<(String, String)>,
    /// Added to every token request (Zendesk `expires_in`).
    pub token_params: Vec<(String, String)>,
    pub tenant: Option<Tenant>,
    /// A token-response member with the absolute expiry (Front `expires_at`), read when
    /// `expires_in` is absent: Unix seconds, or milliseconds for values past 10^11.
    pub expires_at_field: Option<String>,
    pub errors: ErrorRules,
    /// How a grant is revoked at `revoke_url`.
    pub revocation: Revocation,
    /// The API's `Authorization` scheme: `Bearer`, or Zoho's `Zoho-oauthtoken`.
    pub api_auth_scheme: String,
    /// Where an API 429 says how long to wait (delta seconds or an HTTP date)...
    pub retry_after_header: String,
    /// ...and where it says when the limit resets (Unix seconds), read when the first is absent.
    pub rate_limit_reset_header: Option<String>,
    /// Whether an API 401 is the sign to refresh (HubSpot says a 401 is not).
    pub refresh_on_401: bool,
}

/// A provider as JS callers describe it: a preset name, optionally with fields overridden, or a
/// complete custom provider.
#[derive(Clone, Debug, Default)]
pub struct ProviderOptions {
    pub preset: Option<String>,
    pub id: Option<String>,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub revoke_url: Option<String>,
    pub api_base_url: Option<String>,
    pub issuer: Option<String>,
    pub test_install_url: Option<String>,
    pub client_auth: Option<ClientAuth>,
    pub scope_separator: Option<String>,
    /// `Some(None)` (JSON `null`) turns the refresh-scope check off.
    pub refresh_scope: Option<Option<String>>,
    pub pkce: Option<bool>,
    pub rotates_refresh_tokens: Option<bool>,
    pub nonce: Option<bool>,
    pub requires_iss: Option<bool>,
    pub jwks_uri: Option<String>,
    pub jwks: Option<Value>,
    /// The knobs given (`knobs::KNOB_KEYS`, as an object), read and applied in one step by
    /// `Provider::from_options`: a typed copy of each would double the code for them.
    pub knobs: Option<Value>,
}

impl ProviderOptions {
    /// Reads the JS/JSON form (camelCase keys); unknown keys are refused.
    pub fn from_value(value: &Value) -> Result<ProviderOptions> {
        let mut f = Fields::new(value, "provider", ErrorCode::InvalidConfig)?;
        let client_auth = match f.string("clientAuth")? {
            None => None,
            Some(name) => Some(ClientAuth::parse(&name).ok_or_else(|| f.fail("clientAuth", "client_secret_basic, client_secret_post or none"))?),
        };
        let refresh_scope = match f.raw("refreshScope") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => return Err(f.fail("refreshScope", "a string or null")),
        };
        let jwks = match f.raw("jwks") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) if matches!(v.get("keys"), Some(Value::Array(_))) => Some(v.clone()),
            Some(_) => return Err(f.fail("jwks", "a JWK set object ({ keys: [...] })")),
        };
        // One loop over the string keys instead of a call site (and its error-path drops) per
        // field: smaller wasm. The order is the order fields are checked in, as before.
        const STRINGS: [&str; 10] =
            ["jwksUri", "preset", "id", "authorizeUrl", "tokenUrl", "revokeUrl", "apiBaseUrl", "issuer", "testInstallUrl", "scopeSeparator"];
        let mut strings: [Option<String>; 10] = Default::default();
        for (slot, key) in strings.iter_mut().zip(STRINGS) {
            *slot = f.string(key)?;
        }
        let mut bools = [None; 4];
        for (slot, key) in bools.iter_mut().zip(["pkce", "rotatesRefreshTokens", "nonce", "requiresIss"]) {
            *slot = f.bool(key)?;
        }
        let [jwks_uri, preset, id, authorize_url, token_url, revoke_url, api_base_url, issuer, test_install_url, scope_separator] = strings;
        let [pkce, rotates_refresh_tokens, nonce, requires_iss] = bools;
        let knobs: Vec<(String, Value)> = knobs::KNOB_KEYS.iter().filter_map(|k| f.raw(k).map(|v| (k.to_string(), v.clone()))).collect();
        let options = ProviderOptions {
            knobs: (!knobs.is_empty()).then_some(Value::Object(knobs)),
            jwks,
            jwks_uri,
            preset,
            id,
            authorize_url,
            token_url,
            revoke_url,
            api_base_url,
            issuer,
            test_install_url,
            client_auth,
            scope_separator,
            refresh_scope,
            pkce,
            rotates_refresh_tokens,
            nonce,
            requires_iss,
        };
        f.finish()?;
        Ok(options)
    }
}

/// A preset as static data: the provider files are tables, and one function (`Preset::provider`)
/// makes the owned `Provider` from any of them.
pub struct Preset {
    pub id: &'static str,
    pub authorize_url: &'static str,
    pub token_url: &'static str,
    pub revoke_url: Option<&'static str>,
    pub api_base_url: Option<&'static str>,
    pub issuer: &'static str,
    pub test_install_url: Option<&'static str>,
    pub client_auth: ClientAuth,
    pub scope_separator: &'static str,
    pub refresh_scope: Option<&'static str>,
    pub pkce: bool,
    pub rotates_refresh_tokens: bool,
    pub nonce: bool,
    pub integer_sub: bool,
    pub omit_params: &'static [&'static str],
    pub offline_params: &'static [(&'static str, &'static str)],
    pub token_params: &'static [(&'static str, &'static str)],
    pub tenant: Option<StaticTenant>,
    pub expires_at_field: Option<&'static str>,
    pub errors_in_200: bool,
    pub error_fields: &'static [&'static str],
    pub error_aliases: &'static [(&'static str, &'static str)],
    pub revocation: Revocation,
    pub api_auth_scheme: &'static str,
    pub retry_after_header: &'static str,
    pub rate_limit_reset_header: Option<&'static str>,
    pub refresh_on_401: bool,
}

/// `Tenant` as static data.
pub struct StaticTenant {
    pub source: TenantSource,
    pub param: &'static str,
    pub values: &'static [(&'static str, &'static str)],
    pub default: Option<&'static str>,
}

/// RFC 6749 as written: what every preset overrides where its provider differs, and what a
/// custom provider gets for the fields it leaves out.
pub const BASE: Preset = Preset {
    id: "",
    authorize_url: "",
    token_url: "",
    revoke_url: None,
    api_base_url: None,
    issuer: "",
    test_install_url: None,
    client_auth: ClientAuth::ClientSecretBasic,
    scope_separator: " ",
    refresh_scope: None,
    pkce: true,
    rotates_refresh_tokens: false,
    nonce: true,
    integer_sub: false,
    omit_params: &[],
    offline_params: &[],
    token_params: &[],
    tenant: None,
    expires_at_field: None,
    errors_in_200: false,
    error_fields: &[],
    error_aliases: &[],
    revocation: RFC7009,
    api_auth_scheme: "Bearer",
    retry_after_header: "Retry-After",
    rate_limit_reset_header: None,
    refresh_on_401: true,
};

const ALL: [&Preset; 8] =
    [&gorgias::PRESET, &kustomer::PRESET, &zendesk::PRESET, &front::PRESET, &helpscout::PRESET, &zoho::PRESET, &hubspot::PRESET, &intercom::PRESET];

pub const PRESETS: &[&str] = &["gorgias", "kustomer", "zendesk", "front", "helpscout", "zoho", "hubspot", "intercom"];

fn owned(s: &str) -> String {
    s.to_string()
}

// Plain loops: an iterator chain per call site would be one more copy of the collect machinery
// each in the wasm.
fn owned_pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(pairs.len());
    for (a, b) in pairs {
        out.push((owned(a), owned(b)));
    }
    out
}

fn owned_list(list: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        out.push(owned(item));
    }
    out
}

impl Preset {
    pub fn provider(&self) -> Provider {
        Provider {
            id: owned(self.id),
            authorize_url: owned(self.authorize_url),
            token_url: owned(self.token_url),
            revoke_url: self.revoke_url.map(owned),
            api_base_url: self.api_base_url.map(owned),
            issuer: owned(self.issuer),
            test_install_url: self.test_install_url.map(owned),
            client_auth: self.client_auth,
            scope_separator: owned(self.scope_separator),
            refresh_scope: self.refresh_scope.map(owned),
            pkce: self.pkce,
            rotates_refresh_tokens: self.rotates_refresh_tokens,
            nonce: self.nonce,
            requires_iss: false,
            jwks_uri: None,
            jwks: None,
            integer_sub: self.integer_sub,
            omit_params: owned_list(self.omit_params),
            offline_params: owned_pairs(self.offline_params),
            token_params: owned_pairs(self.token_params),
            tenant: self.tenant.as_ref().map(|t| Tenant {
                source: t.source,
                param: owned(t.param),
                values: owned_pairs(t.values),
                default: t.default.map(owned),
            }),
            expires_at_field: self.expires_at_field.map(owned),
            errors: ErrorRules { in_200: self.errors_in_200, fields: owned_list(self.error_fields), aliases: owned_pairs(self.error_aliases) },
            revocation: self.revocation,
            api_auth_scheme: owned(self.api_auth_scheme),
            retry_after_header: owned(self.retry_after_header),
            rate_limit_reset_header: self.rate_limit_reset_header.map(owned),
            refresh_on_401: self.refresh_on_401,
        }
    }
}

/// 1-64 characters of `a-z A-Z 0-9 - _`: safe in messages and store keys.
pub fn is_valid_provider_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn preset(name: &str) -> Option<Provider> {
    ALL.iter().find(|p| p.id == name).map(|p| p.provider())
}

impl Provider {
    pub fn from_options(options: ProviderOptions) -> Result<Provider> {
        let config = |msg: String| Error::new(ErrorCode::InvalidConfig, msg);
        // The preset (or, for a custom provider, the defaults) overridden field by field: moving
        // the caller's values in, rather than choosing between the two per field, keeps this small.
        let mut p = match options.preset.as_deref() {
            Some(name) => preset(name).ok_or_else(|| config(format!("unknown provider preset `{}` (known: {})", short(name), PRESETS.join(", "))))?,
            None => {
                for (field, name) in [(&options.authorize_url, "authorizeUrl"), (&options.token_url, "tokenUrl"), (&options.id, "id")] {
                    if field.is_none() {
                        return Err(config(format!("a custom provider needs `{name}`")));
                    }
                }
                Provider::custom_defaults()
            }
        };
        let custom = options.preset.is_none();
        for (slot, value) in [
            (&mut p.id, options.id),
            (&mut p.authorize_url, options.authorize_url),
            (&mut p.token_url, options.token_url),
            (&mut p.scope_separator, options.scope_separator),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        for (slot, value) in [
            (&mut p.revoke_url, options.revoke_url),
            (&mut p.api_base_url, options.api_base_url),
            (&mut p.test_install_url, options.test_install_url),
            (&mut p.jwks_uri, options.jwks_uri),
        ] {
            if value.is_some() {
                *slot = value;
            }
        }
        if options.jwks.is_some() {
            p.jwks = options.jwks;
        }
        match options.issuer {
            Some(i) => p.issuer = i,
            None if custom => p.issuer = origin(&p.authorize_url).ok_or_else(|| config("authorizeUrl must be an absolute URL".into()))?,
            None => {}
        }
        if let Some(explicit) = options.refresh_scope {
            p.refresh_scope = explicit;
        }
        if let Some(a) = options.client_auth {
            p.client_auth = a;
        }
        for (slot, value) in [
            (&mut p.pkce, options.pkce),
            (&mut p.rotates_refresh_tokens, options.rotates_refresh_tokens),
            (&mut p.nonce, options.nonce),
            (&mut p.requires_iss, options.requires_iss),
        ] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        if let Some(k) = &options.knobs {
            knobs::apply(&mut p, k)?;
        }
        p.validate()?;
        Ok(p)
    }

    /// What a custom provider gets for the fields it leaves out (the required ones are set by the
    /// caller).
    pub fn custom_defaults() -> Provider {
        BASE.provider()
    }

    /// Whether the authorize request leaves out `name` (one of `OMITTABLE`).
    pub fn omits(&self, name: &str) -> bool {
        self.omit_params.iter().any(|p| p == name)
    }

    fn validate(&self) -> Result<()> {
        if !is_valid_provider_id(&self.id) {
            return Err(Error::new(ErrorCode::InvalidConfig, "provider id must be 1-64 characters of a-z, 0-9, '-' and '_'"));
        }
        // Check the templates with a sample account so `{account}` in a host is judged as a host.
        let endpoints = [
            (Some(&self.authorize_url), "authorizeUrl"),
            (Some(&self.token_url), "tokenUrl"),
            (self.revoke_url.as_ref(), "revokeUrl"),
            (self.api_base_url.as_ref(), "apiBaseUrl"),
            (Some(&self.issuer), "issuer"),
            (self.test_install_url.as_ref(), "testInstallUrl"),
            (self.jwks_uri.as_ref(), "jwksUri"),
        ];
        // A tenant is known only from the callback on (or the token response): it cannot be in
        // the URLs used before, and a template with `{tenant}` needs a tenant rule.
        let sample_tenant = match &self.tenant {
            Some(t) => t.values.first().map_or("tenant", |(_, v)| v.as_str()),
            None => "",
        };
        for (i, (template, name)) in endpoints.into_iter().enumerate() {
            if let Some(t) = template {
                let too_early = i == 0 || i >= 4 || (i == 1 && matches!(&self.tenant, Some(t) if t.source == TenantSource::TokenResponse));
                if t.contains(TENANT_PLACEHOLDER) && (sample_tenant.is_empty() || too_early) {
                    return Err(config_error(
                        "provider: {tenant} needs `tenant`, and is known only for revokeUrl, apiBaseUrl and (from the callback) tokenUrl",
                    ));
                }
                let sample = fill(t, Some("account"))?.replace("{client_id}", "client").replace(TENANT_PLACEHOLDER, sample_tenant);
                check_absolute(&sample, &format!("provider {name}"), ErrorCode::InvalidConfig)?;
            }
        }
        if self.scope_separator.is_empty() {
            return Err(config_error("scopeSeparator must not be empty"));
        }
        let header_name = |h: &str| !h.is_empty() && h.len() <= 100 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let fine = self.omit_params.iter().all(|p| OMITTABLE.contains(&p.as_str()))
            && knobs::check_params(&self.offline_params, super::authorize::RESERVED)
            && knobs::check_params(&self.token_params, super::token_request::RESERVED)
            && header_name(&self.api_auth_scheme)
            && header_name(&self.retry_after_header)
            && self.rate_limit_reset_header.as_deref().is_none_or(header_name)
            && self.errors.fields.iter().chain(self.expires_at_field.as_ref()).all(|f| header_name(f));
        if !fine {
            return Err(config_error("provider: omitAuthorizeParams takes response_type, scope, redirect_uri; offlineParams and tokenParams cannot set the library's own parameters; names are a-z, 0-9, - and _"));
        }
        Ok(())
    }

    /// Whether any endpoint differs per account, so that an account is required.
    pub fn per_account(&self) -> bool {
        self.authorize_url.contains(ACCOUNT_PLACEHOLDER) || self.token_url.contains(ACCOUNT_PLACEHOLDER)
    }
}

fn config_error(message: &'static str) -> Error {
    Error::new(ErrorCode::InvalidConfig, message)
}

fn short(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(40).collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn presets_resolve_and_validate() {
        for name in PRESETS {
            let p = Provider::from_options(ProviderOptions { preset: Some(name.to_string()), ..Default::default() }).unwrap();
            assert_eq!(&p.id, name);
        }
    }

    #[test]
    fn preset_fields_can_be_overridden() {
        let p = Provider::from_options(ProviderOptions {
            preset: Some("gorgias".into()),
            authorize_url: Some("http://127.0.0.1:9999/{account}/oauth/authorize".into()),
            token_url: Some("http://127.0.0.1:9999/{account}/oauth/token".into()),
            pkce: Some(true),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.client_auth, ClientAuth::ClientSecretBasic);
        assert!(p.pkce);
        assert_eq!(p.refresh_scope.as_deref(), Some("offline"));
        // The issuer stays the preset's unless overridden too.
        assert_eq!(p.issuer, "https://{account}.gorgias.com");
    }

    #[test]
    fn custom_provider_needs_endpoints() {
        let e = Provider::from_options(ProviderOptions { id: Some("x".into()), ..Default::default() }).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
        let p = Provider::from_options(ProviderOptions {
            id: Some("zendesk".into()),
            authorize_url: Some("https://{account}.zendesk.com/oauth/authorizations/new".into()),
            token_url: Some("https://{account}.zendesk.com/oauth/tokens".into()),
            rotates_refresh_tokens: Some(true),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.issuer, "https://{account}.zendesk.com");
        assert!(p.per_account());
    }

    #[test]
    fn options_from_json() {
        let v = crate::core::json::parse(r#"{"preset":"gorgias","pkce":true,"refreshScope":null,"clientAuth":"client_secret_post"}"#).unwrap();
        let p = Provider::from_options(ProviderOptions::from_value(&v).unwrap()).unwrap();
        assert!(p.pkce);
        assert_eq!(p.refresh_scope, None);
        assert_eq!(p.client_auth, ClientAuth::ClientSecretPost);
        for bad in [r#"{"preset":"gorgias","pkce":"yes"}"#, r#"{"preset":"gorgias","clientAuth":"basic"}"#, r#"{"preset":"gorgias","authorizeURL":"x"}"#, "[]"]
        {
            let v = crate::core::json::parse(bad).unwrap();
            assert_eq!(ProviderOptions::from_value(&v).unwrap_err().code, ErrorCode::InvalidConfig, "{bad}");
        }
    }

    #[test]
    fn hostile_templates_are_refused() {
        for url in ["http://evil.com/{account}", "https://{account}@evil.com/", "not a url", "https://x/#frag"] {
            let e = Provider::from_options(ProviderOptions {
                id: Some("x".into()),
                authorize_url: Some(url.into()),
                token_url: Some("https://x/token".into()),
                ..Default::default()
            })
            .unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{url}");
        }
        let e = Provider::from_options(ProviderOptions { preset: Some("freshdesk".into()), ..Default::default() }).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
    }

    fn from_json(text: &str) -> Result<Provider> {
        let v = crate::core::json::parse(text).unwrap();
        ProviderOptions::from_value(&v).and_then(Provider::from_options)
    }

    #[test]
    fn knobs_from_json() {
        let p = from_json(
            r#"{"id":"dc","authorizeUrl":"https://accounts.example.com/auth","tokenUrl":"https://{tenant}/token","revokeUrl":"https://{tenant}/revoke","apiBaseUrl":"https://api.{tenant}/v1",
               "tenant":{"from":"callback","param":"server","values":{"https://eu.example.com":"eu.example.com","https://us.example.com":"us.example.com"},"default":"us.example.com"},
               "omitAuthorizeParams":["scope"],"offlineParams":{"access_type":"offline"},"tokenParams":{"expires_in":"1800"},"expiresAtField":"expires_at",
               "errorsIn200":true,"errorFields":["status"],"errorAliases":{"invalid_code":"invalid_grant"},"revocation":{"method":"DELETE","token":"bearer"},
               "apiAuthScheme":"Zoho-oauthtoken","retryAfterHeader":"X-RateLimit-Retry-After","rateLimitResetHeader":"X-RateLimit-Reset","refreshOn401":false}"#,
        )
        .unwrap();
        let t = p.tenant.as_ref().unwrap();
        assert_eq!((t.source, t.param.as_str(), t.values.len(), t.default.as_deref()), (TenantSource::Callback, "server", 2, Some("us.example.com")));
        assert!(p.omits("scope") && !p.omits("redirect_uri"));
        assert_eq!(p.offline_params, vec![("access_type".to_string(), "offline".to_string())]);
        assert_eq!(p.token_params, vec![("expires_in".to_string(), "1800".to_string())]);
        assert_eq!(p.expires_at_field.as_deref(), Some("expires_at"));
        assert_eq!(p.errors, ErrorRules { in_200: true, fields: vec!["status".into()], aliases: vec![("invalid_code".into(), "invalid_grant".into())] });
        assert_eq!(p.revocation, Revocation { method: "DELETE", token: RevokeStyle::Bearer });
        let rate = (p.api_auth_scheme.as_str(), p.retry_after_header.as_str(), p.rate_limit_reset_header.as_deref(), p.refresh_on_401);
        assert_eq!(rate, ("Zoho-oauthtoken", "X-RateLimit-Retry-After", Some("X-RateLimit-Reset"), false));
        // A preset's knobs stay unless overridden.
        let z = from_json(r#"{"preset":"zendesk","tokenParams":{"expires_in":"7200"}}"#).unwrap();
        assert_eq!(z.token_params, vec![("expires_in".to_string(), "7200".to_string())]);
        assert_eq!(z.revocation.token, RevokeStyle::Bearer);
    }

    #[test]
    fn bad_knobs_are_refused() {
        let base = r#""id":"x","authorizeUrl":"https://a.example.com/auth","tokenUrl":"https://a.example.com/token""#;
        for knob in [
            r#""omitAuthorizeParams":["state"]"#,
            r#""omitAuthorizeParams":"scope""#,
            r#""offlineParams":{"state":"x"}"#,
            r#""offlineParams":{"access_type":1}"#,
            r#""tokenParams":{"client_secret":"x"}"#,
            r#""tokenParams":{"grant_type":"password"}"#,
            r#""errorAliases":{"x":"state_mismatch"}"#,
            r#""errorAliases":{"x":"invalid_grant "}"#,
            r#""errorFields":["a b"]"#,
            r#""revocation":{"method":"GET"}"#,
            r#""revocation":{"token":"header"}"#,
            r#""revocation":{"method":"POST","extra":1}"#,
            r#""apiAuthScheme":"Bearer x""#,
            r#""apiAuthScheme":"""#,
            r#""retryAfterHeader":"Retry-After\r\nX: 1""#,
            r#""expiresAtField":"expires at""#,
            r#""tenant":{"from":"header","param":"x"}"#,
            r#""tenant":{"from":"callback"}"#,
            r#""tenant":{"from":"callback","param":"x","values":{"https://a":"a/b"}}"#,
            r#""tenant":{"from":"callback","param":"x","values":{"https://a":"a"},"default":"b"}"#,
            r#""tenant":{"from":"callback","param":"x","default":"a.b"}"#,
            r#""apiBaseUrl":"https://{tenant}/api""#,
            r#""tenant":{"from":"callback","param":"x"},"issuer":"https://{tenant}""#,
            r#""tenant":{"from":"token","param":"x"},"revokeUrl":"https://{tenant}/r","jwksUri":"https://{tenant}/jwks""#,
        ] {
            let e = from_json(&format!("{{{base},{knob}}}")).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig, "{knob}");
        }
        // {tenant} where the tenant is not known yet: the authorize URL, or the token URL when
        // the tenant comes in the token response.
        for text in [
            r#"{"id":"x","authorizeUrl":"https://{tenant}/auth","tokenUrl":"https://a.example.com/token","tenant":{"from":"callback","param":"x"}}"#,
            r#"{"id":"x","authorizeUrl":"https://a.example.com/auth","tokenUrl":"https://{tenant}.example.com/token","tenant":{"from":"token","param":"x"}}"#,
        ] {
            assert_eq!(from_json(text).unwrap_err().code, ErrorCode::InvalidConfig, "{text}");
        }
        from_json(r#"{"id":"x","authorizeUrl":"https://a.example.com/auth","tokenUrl":"https://{tenant}.example.com/token","tenant":{"from":"callback","param":"x"}}"#).unwrap();
    }
}
