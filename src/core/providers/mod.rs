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

#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// The signing keys themselves, as JWK set JSON text.
    pub jwks: Option<String>,
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
    pub jwks: Option<String>,
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
            Some(v @ Value::Object(_)) if matches!(v.get("keys"), Some(Value::Array(_))) => Some(v.to_json()),
            Some(_) => return Err(f.fail("jwks", "a JWK set object ({ keys: [...] })")),
        };
        let options = ProviderOptions {
            jwks,
            jwks_uri: f.string("jwksUri")?,
            preset: f.string("preset")?,
            id: f.string("id")?,
            authorize_url: f.string("authorizeUrl")?,
            token_url: f.string("tokenUrl")?,
            revoke_url: f.string("revokeUrl")?,
            api_base_url: f.string("apiBaseUrl")?,
            issuer: f.string("issuer")?,
            test_install_url: f.string("testInstallUrl")?,
            client_auth,
            scope_separator: f.string("scopeSeparator")?,
            refresh_scope,
            pkce: f.bool("pkce")?,
            rotates_refresh_tokens: f.bool("rotatesRefreshTokens")?,
            nonce: f.bool("nonce")?,
            requires_iss: f.bool("requiresIss")?,
        };
        f.finish()?;
        Ok(options)
    }
}

pub const PRESETS: &[&str] = &["gorgias", "kustomer"];

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
        let base = match options.preset.as_deref() {
            Some(name) => Some(preset(name).ok_or_else(|| config(format!("unknown provider preset `{}` (known: gorgias, kustomer)", short(name))))?),
            None => None,
        };
        let required = |field: Option<String>, from_base: Option<&String>, name: &str| -> Result<String> {
            field.or_else(|| from_base.cloned()).ok_or_else(|| config(format!("a custom provider needs `{name}`")))
        };
        let authorize_url = required(options.authorize_url, base.as_ref().map(|b| &b.authorize_url), "authorizeUrl")?;
        let token_url = required(options.token_url, base.as_ref().map(|b| &b.token_url), "tokenUrl")?;
        let id = required(options.id, base.as_ref().map(|b| &b.id), "id")?;
        let issuer = match options.issuer.or_else(|| base.as_ref().map(|b| b.issuer.clone())) {
            Some(i) => i,
            None => origin(&authorize_url).ok_or_else(|| config("authorizeUrl must be an absolute URL".into()))?,
        };
        let pick = |o: Option<Option<String>>, b: Option<Option<String>>| o.or(b).flatten();
        let provider = Provider {
            id,
            revoke_url: pick(options.revoke_url.map(Some), base.as_ref().map(|b| b.revoke_url.clone())),
            api_base_url: pick(options.api_base_url.map(Some), base.as_ref().map(|b| b.api_base_url.clone())),
            test_install_url: pick(options.test_install_url.map(Some), base.as_ref().map(|b| b.test_install_url.clone())),
            client_auth: options.client_auth.or(base.as_ref().map(|b| b.client_auth)).unwrap_or(ClientAuth::ClientSecretBasic),
            scope_separator: options.scope_separator.or(base.as_ref().map(|b| b.scope_separator.clone())).unwrap_or_else(|| " ".into()),
            refresh_scope: match options.refresh_scope {
                Some(explicit) => explicit,
                None => base.as_ref().and_then(|b| b.refresh_scope.clone()),
            },
            pkce: options.pkce.or(base.as_ref().map(|b| b.pkce)).unwrap_or(true),
            rotates_refresh_tokens: options.rotates_refresh_tokens.or(base.as_ref().map(|b| b.rotates_refresh_tokens)).unwrap_or(false),
            nonce: options.nonce.or(base.as_ref().map(|b| b.nonce)).unwrap_or(true),
            requires_iss: options.requires_iss.or(base.as_ref().map(|b| b.requires_iss)).unwrap_or(false),
            jwks_uri: pick(options.jwks_uri.map(Some), base.as_ref().map(|b| b.jwks_uri.clone())),
            jwks: pick(options.jwks.map(Some), base.as_ref().map(|b| b.jwks.clone())),
            authorize_url,
            token_url,
            issuer,
        };
        provider.validate()?;
        Ok(provider)
    }

    fn validate(&self) -> Result<()> {
        if self.id.is_empty() || self.id.len() > 64 || !self.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
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

#[cfg(test)]
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
