//! What the client needs to know about an authorization server, as one plain struct. Presets
//! live one per file; any RFC 6749 provider is described by `ProviderOptions`.

mod gorgias;
mod kustomer;

use super::endpoint::{check_absolute, fill, origin, ACCOUNT_PLACEHOLDER};
use super::error::{Error, ErrorCode, Result};
use super::json::{Fields, Value};

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
        const STRINGS: [&str; 10] = ["jwksUri", "preset", "id", "authorizeUrl", "tokenUrl", "revokeUrl", "apiBaseUrl", "issuer", "testInstallUrl", "scopeSeparator"];
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
        let options = ProviderOptions {
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

pub const PRESETS: &[&str] = &["gorgias", "kustomer"];

/// 1-64 characters of `a-z A-Z 0-9 - _`: safe in messages and store keys.
pub fn is_valid_provider_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn preset(name: &str) -> Option<Provider> {
    match name {
        "gorgias" => Some(gorgias::provider()),
        "kustomer" => Some(kustomer::provider()),
        _ => None,
    }
}

impl Provider {
    pub fn from_options(options: ProviderOptions) -> Result<Provider> {
        let config = |msg: String| Error::new(ErrorCode::InvalidConfig, msg);
        // The preset (or, for a custom provider, the defaults) overridden field by field: moving
        // the caller's values in, rather than choosing between the two per field, keeps this small.
        let mut p = match options.preset.as_deref() {
            Some(name) => preset(name).ok_or_else(|| config(format!("unknown provider preset `{}` (known: gorgias, kustomer)", short(name))))?,
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
        for (slot, value) in [(&mut p.id, options.id), (&mut p.authorize_url, options.authorize_url), (&mut p.token_url, options.token_url), (&mut p.scope_separator, options.scope_separator)] {
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
        for (slot, value) in [(&mut p.pkce, options.pkce), (&mut p.rotates_refresh_tokens, options.rotates_refresh_tokens), (&mut p.nonce, options.nonce), (&mut p.requires_iss, options.requires_iss)] {
            if let Some(v) = value {
                *slot = v;
            }
        }
        p.validate()?;
        Ok(p)
    }

    /// What a custom provider gets for the fields it leaves out (the required ones are set by the caller).
    fn custom_defaults() -> Provider {
        Provider {
            id: String::new(),
            authorize_url: String::new(),
            token_url: String::new(),
            revoke_url: None,
            api_base_url: None,
            issuer: String::new(),
            test_install_url: None,
            client_auth: ClientAuth::ClientSecretBasic,
            scope_separator: " ".into(),
            refresh_scope: None,
            pkce: true,
            rotates_refresh_tokens: false,
            nonce: true,
            requires_iss: false,
            jwks_uri: None,
            jwks: None,
            integer_sub: false,
        }
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
        for (template, name) in endpoints {
            if let Some(t) = template {
                let sample = fill(t, Some("account"))?.replace("{client_id}", "client");
                check_absolute(&sample, &format!("provider {name}"), ErrorCode::InvalidConfig)?;
            }
        }
        if self.scope_separator.is_empty() {
            return Err(Error::new(ErrorCode::InvalidConfig, "scopeSeparator must not be empty"));
        }
        Ok(())
    }

    /// Whether any endpoint differs per account, so that an account is required.
    pub fn per_account(&self) -> bool {
        self.authorize_url.contains(ACCOUNT_PLACEHOLDER) || self.token_url.contains(ACCOUNT_PLACEHOLDER)
    }
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
        for bad in [r#"{"preset":"gorgias","pkce":"yes"}"#, r#"{"preset":"gorgias","clientAuth":"basic"}"#, r#"{"preset":"gorgias","authorizeURL":"x"}"#, "[]"] {
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
        let e = Provider::from_options(ProviderOptions { preset: Some("zendesk".into()), ..Default::default() }).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidConfig);
    }
}
