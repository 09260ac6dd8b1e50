//! The client's configuration: who we are at the provider, and where the provider sends users back.

use super::endpoint::check_absolute;
use super::error::{Error, ErrorCode, Result};
use super::json::{Fields, Value};
use super::providers::{preset, ClientAuth, Provider, ProviderOptions};
use super::scopes::validate_scopes;
use super::secret::Secret;

pub const DEFAULT_PENDING_TTL_SECONDS: u64 = 600;
const MAX_PENDING_TTL_SECONDS: u64 = 24 * 3600;

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub provider: Provider,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub redirect_uri: String,
    /// Scopes used when an authorize call names none.
    pub scopes: Vec<String>,
    pub pending_ttl_ms: u64,
    /// Allowed clock difference when checking id_token `exp` and `iat`.
    pub clock_tolerance_seconds: u64,
}

pub enum ProviderChoice {
    Preset(String),
    /// Boxed: a provider object is rare and much larger than a preset name.
    Options(Box<ProviderOptions>),
}

/// The options as plain data (functions such as `fetch` are taken by the boundary).
pub struct ClientOptions {
    pub provider: ProviderChoice,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub pending_ttl_seconds: Option<u64>,
    pub clock_tolerance_seconds: Option<u64>,
}

/// Option keys the boundary handles itself; they may appear in the JSON form and are skipped.
const HOST_OPTIONS: &[&str] = &["fetch", "now", "timeoutMs"];

impl ClientOptions {
    /// Reads the JS/JSON form (camelCase keys). A misspelt key is an error, not a silent default.
    pub fn from_value(value: &Value) -> Result<ClientOptions> {
        let mut f = Fields::new(value, "client options", ErrorCode::InvalidConfig)?;
        for key in HOST_OPTIONS {
            f.raw(key);
        }
        let provider = match f.raw("provider") {
            Some(Value::String(name)) => ProviderChoice::Preset(name.clone()),
            Some(v @ Value::Object(_)) => ProviderChoice::Options(Box::new(ProviderOptions::from_value(v)?)),
            _ => return Err(f.fail("provider", "a preset name (\"gorgias\", \"kustomer\") or a provider object")),
        };
        let options = ClientOptions {
            provider,
            client_id: f.required_string("clientId")?,
            client_secret: f.string("clientSecret")?,
            redirect_uri: f.required_string("redirectUri")?,
            scopes: f.strings("scopes")?.unwrap_or_default(),
            pending_ttl_seconds: f.u64("pendingTtlSeconds")?,
            clock_tolerance_seconds: f.u64("clockToleranceSeconds")?,
        };
        f.finish()?;
        Ok(options)
    }
}

impl ClientConfig {
    pub fn from_options(options: ClientOptions) -> Result<ClientConfig> {
        let provider = match options.provider {
            ProviderChoice::Preset(name) => preset(&name).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidConfig,
                    format!(
                        "unknown provider `{}` (known: {}; or pass an object)",
                        name.chars().take(40).collect::<String>(),
                        super::providers::PRESETS.join(", ")
                    ),
                )
            })?,
            ProviderChoice::Options(o) => Provider::from_options(*o)?,
        };
        let ttl = match options.pending_ttl_seconds {
            None => DEFAULT_PENDING_TTL_SECONDS,
            Some(s) if (1..=MAX_PENDING_TTL_SECONDS).contains(&s) => s,
            Some(_) => return Err(Error::new(ErrorCode::InvalidConfig, "pendingTtlSeconds must be between 1 and 86400")),
        };
        let clock_tolerance_seconds = match options.clock_tolerance_seconds {
            None => super::id_token::DEFAULT_CLOCK_TOLERANCE_SECONDS,
            Some(s) if s <= 3600 => s,
            Some(_) => return Err(Error::new(ErrorCode::InvalidConfig, "clockToleranceSeconds must be at most 3600")),
        };
        let config = ClientConfig {
            clock_tolerance_seconds,
            provider,
            client_id: options.client_id,
            client_secret: options.client_secret.map(Secret::new),
            redirect_uri: options.redirect_uri,
            scopes: options.scopes,
            pending_ttl_ms: ttl * 1000,
        };
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        let config = |m: &str| Err(Error::new(ErrorCode::InvalidConfig, m.to_string()));
        if self.client_id.is_empty() || self.client_id.len() > 512 || self.client_id.chars().any(|c| c.is_control()) {
            return config("clientId must be a non-empty string without control characters");
        }
        if matches!(&self.client_secret, Some(s) if s.is_empty()) {
            return config("clientSecret is empty (a public client leaves it out and sets the provider's clientAuth to \"none\")");
        }
        // Found now, not when the first code exchange fails after the helpdesk user approved.
        self.secret_for_auth()?;
        check_absolute(&self.redirect_uri, "redirectUri", ErrorCode::InvalidRedirectUri)?;
        validate_scopes(&self.scopes)?;
        if self.provider.omits("scope") && !self.scopes.is_empty() {
            return config("this provider takes no `scope` parameter (its scopes are set on the app): leave `scopes` out");
        }
        Ok(())
    }

    /// The secret, for client auth methods that need one.
    pub fn secret_for_auth(&self) -> Result<Option<&Secret>> {
        match (self.provider.client_auth, &self.client_secret) {
            (ClientAuth::None, _) => Ok(None),
            (_, Some(s)) => Ok(Some(s)),
            (auth, None) => Err(Error::new(
                ErrorCode::InvalidConfig,
                format!(
                    "clientSecret is required: provider `{}` authenticates clients with {} (for a public client set the provider's clientAuth to \"none\")",
                    self.provider.id,
                    auth.as_str()
                ),
            )),
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod test_support {
    use super::*;

    pub fn options(provider: &str) -> ClientOptions {
        ClientOptions {
            provider: ProviderChoice::Preset(provider.into()),
            client_id: "client-123".into(),
            client_secret: Some("s3cr3t-value".into()),
            redirect_uri: "https://app.example.com/oauth/callback".into(),
            scopes: vec![],
            pending_ttl_seconds: None,
            clock_tolerance_seconds: None,
        }
    }

    pub fn client(provider: &str) -> ClientConfig {
        ClientConfig::from_options(options(provider)).unwrap()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::test_support::options;
    use super::*;

    type Mutation = Box<dyn Fn(&mut ClientOptions)>;

    #[test]
    fn rejects_bad_options() {
        let cases: Vec<(Mutation, ErrorCode)> = vec![
            (Box::new(|o| o.client_id = String::new()), ErrorCode::InvalidConfig),
            (Box::new(|o| o.client_secret = Some(String::new())), ErrorCode::InvalidConfig),
            (Box::new(|o| o.redirect_uri = "http://app.example.com/cb".into()), ErrorCode::InvalidRedirectUri),
            (Box::new(|o| o.redirect_uri = "/cb".into()), ErrorCode::InvalidRedirectUri),
            (Box::new(|o| o.provider = ProviderChoice::Preset("nope".into())), ErrorCode::InvalidConfig),
            (Box::new(|o| o.pending_ttl_seconds = Some(0)), ErrorCode::InvalidConfig),
            (Box::new(|o| o.pending_ttl_seconds = Some(86_401)), ErrorCode::InvalidConfig),
            (Box::new(|o| o.scopes = vec!["a b".into()]), ErrorCode::InvalidScope),
        ];
        for (i, (mutate, code)) in cases.into_iter().enumerate() {
            let mut o = options("gorgias");
            mutate(&mut o);
            assert_eq!(ClientConfig::from_options(o).unwrap_err().code, code, "case {i}");
        }
    }

    #[test]
    fn options_from_json() {
        let v = crate::core::json::parse(
            r#"{"provider":"kustomer","clientId":"c","clientSecret":"s","redirectUri":"https://a/cb","scopes":["offline_access"],"timeoutMs":5}"#,
        )
        .unwrap();
        let c = ClientConfig::from_options(ClientOptions::from_value(&v).unwrap()).unwrap();
        assert_eq!(c.provider.id, "kustomer");
        for bad in [
            r#"{"provider":"kustomer","clientId":"c","redirectUri":"https://a/cb","clientSecrett":"s"}"#,
            r#"{"provider":5,"clientId":"c","redirectUri":"https://a/cb"}"#,
            r#"{"provider":"kustomer","redirectUri":"https://a/cb"}"#,
            r#"{"provider":"kustomer","clientId":"c","redirectUri":"https://a/cb","scopes":"a b"}"#,
            r#"{"provider":"kustomer","clientId":"c","redirectUri":"https://a/cb","pendingTtlSeconds":-1}"#,
        ] {
            let v = crate::core::json::parse(bad).unwrap();
            assert_eq!(ClientOptions::from_value(&v).err().map(|e| e.code), Some(ErrorCode::InvalidConfig), "{bad}");
        }
    }

    #[test]
    fn secret_required_only_for_confidential_auth() {
        // Refused when the client is made, not after the user approved the app.
        for (provider, auth) in [("kustomer", "client_secret_post"), ("gorgias", "client_secret_basic")] {
            let mut o = options(provider);
            o.client_secret = None;
            let e = ClientConfig::from_options(o).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidConfig);
            assert!(e.message.contains("clientSecret") && e.message.contains(auth), "{}", e.message);
        }
        // A public client (clientAuth "none") needs none.
        let v = crate::core::json::parse(r#"{"provider":{"preset":"kustomer","clientAuth":"none"},"clientId":"c","redirectUri":"https://a/cb"}"#).unwrap();
        let c = ClientConfig::from_options(ClientOptions::from_value(&v).unwrap()).unwrap();
        assert_eq!(c.secret_for_auth().unwrap(), None);
    }
}
