//! The provider differences beyond RFC 6749's defaults, as plain data: where a tenant comes from,
//! how errors are shaped, how a grant is revoked, which authorize parameters a provider refuses.
//! Presets fill them in; `ProviderOptions` reads them from the JS/JSON form (see core.d.ts).

use super::super::error::{ErrorCode, Result};
use super::super::json::{Fields, Value};
use super::Provider;

/// The `ProviderConfig` members that are knobs (read by `apply`).
pub const KNOB_KEYS: [&str; 13] = [
    "omitAuthorizeParams",
    "offlineParams",
    "tokenParams",
    "tenant",
    "expiresAtField",
    "errorsIn200",
    "errorFields",
    "errorAliases",
    "revocation",
    "apiAuthScheme",
    "retryAfterHeader",
    "rateLimitResetHeader",
    "refreshOn401",
];

/// Reads the knobs a caller gave (an object of `KNOB_KEYS` members) and sets them on `p`; what
/// they may be is checked with the rest of the provider (`Provider::validate`).
pub fn apply(p: &mut Provider, knobs: &Value) -> Result<()> {
    let mut f = Fields::new(knobs, "provider", ErrorCode::InvalidConfig)?;
    for (slot, key) in [(&mut p.omit_params, "omitAuthorizeParams"), (&mut p.errors.fields, "errorFields")] {
        if let Some(v) = f.strings(key)? {
            *slot = v;
        }
    }
    for (slot, key) in [(&mut p.offline_params, "offlineParams"), (&mut p.token_params, "tokenParams")] {
        if let Some(v) = string_map(&mut f, key)? {
            *slot = v;
        }
    }
    if let Some(v) = parse_aliases(&mut f)? {
        p.errors.aliases = v;
    }
    for (slot, key) in [(&mut p.api_auth_scheme, "apiAuthScheme"), (&mut p.retry_after_header, "retryAfterHeader")] {
        if let Some(v) = f.string(key)? {
            *slot = v;
        }
    }
    for (slot, key) in [(&mut p.expires_at_field, "expiresAtField"), (&mut p.rate_limit_reset_header, "rateLimitResetHeader")] {
        if let Some(v) = f.string(key)? {
            *slot = Some(v);
        }
    }
    for (slot, key) in [(&mut p.errors.in_200, "errorsIn200"), (&mut p.refresh_on_401, "refreshOn401")] {
        if let Some(v) = f.bool(key)? {
            *slot = v;
        }
    }
    match f.raw("tenant") {
        None | Some(Value::Null) => {}
        Some(v) => p.tenant = Some(parse_tenant(v)?),
    }
    match f.raw("revocation") {
        None | Some(Value::Null) => {}
        Some(v) => p.revocation = parse_revocation(v)?,
    }
    f.finish()
}

/// How a revocation request carries the token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevokeStyle {
    /// RFC 7009: form `token` (the refresh token when there is one) and `token_type_hint`, with
    /// client authentication (Gorgias, HubSpot).
    Form,
    /// `?token=` (the refresh token when there is one) on the URL, no body and no client
    /// authentication (Zoho).
    Query,
    /// The access token as `Authorization: Bearer`, no body (Zendesk, Intercom's uninstall).
    Bearer,
}

const REVOKE_STYLES: [(RevokeStyle, &str); 3] = [(RevokeStyle::Form, "form"), (RevokeStyle::Query, "query"), (RevokeStyle::Bearer, "bearer")];

impl RevokeStyle {
    pub fn as_str(self) -> &'static str {
        REVOKE_STYLES.iter().find(|(s, _)| *s == self).map_or("form", |(_, n)| n)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// `POST` or `DELETE` (Zendesk).
    pub method: &'static str,
    pub token: RevokeStyle,
}

pub const RFC7009: Revocation = Revocation { method: "POST", token: RevokeStyle::Form };

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantSource {
    /// A query parameter of the callback (Zoho `accounts-server`): known before the code exchange.
    Callback,
    /// A member of the token response (HubSpot `hub_id`): known after it.
    TokenResponse,
}

/// The tenant a grant belongs to, when the provider names it during the flow rather than the app
/// knowing it up front (that is the `account`). Kept on the token set; `{tenant}` in an endpoint
/// template is filled with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Tenant {
    pub source: TenantSource,
    /// The callback parameter or token-response member.
    pub param: String,
    /// The values the provider may send and the tenant each one stands for (Zoho: its data-centre
    /// hosts). Any other value is refused. Empty: the value itself is the tenant, and must be
    /// 1-64 of `A-Z a-z 0-9 - _` (or a whole number).
    pub values: Vec<(String, String)>,
    /// The tenant when a callback lacks the parameter.
    pub default: Option<String>,
}

/// How the token endpoint reports errors, when not exactly as RFC 6749 §5.2 says.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ErrorRules {
    /// A 2xx answer with an error member (and no access token) is an error response (Zoho).
    pub in_200: bool,
    /// Members besides `error` that may name the error (HubSpot `status`, `category`).
    pub fields: Vec<String>,
    /// Provider error names and the RFC 6749 error each one means (Zoho `invalid_code`,
    /// HubSpot `BAD_REFRESH_TOKEN`: `invalid_grant`). The provider's own name stays in `oauthError`.
    pub aliases: Vec<(String, String)>,
}

pub const STANDARD_ERRORS: ErrorRules = ErrorRules { in_200: false, fields: Vec::new(), aliases: Vec::new() };

/// Authorize parameters a provider may refuse or not take.
pub const OMITTABLE: [&str; 3] = ["response_type", "scope", "redirect_uri"];

/// RFC 6749 §5.2 error names an alias may point to.
const RFC_ERRORS: [&str; 8] = [
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
];

/// A `{ name: value }` object of strings, as (name, value) pairs in document order.
pub fn string_map(f: &mut Fields, key: &str) -> Result<Option<Vec<(String, String)>>> {
    match f.raw(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(members)) => members
            .iter()
            .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| f.fail(key, "an object of string values")),
        Some(_) => Err(f.fail(key, "an object of string values")),
    }
}

/// The parameter pairs a provider adds to a request: short names that are not the library's own.
pub fn check_params(pairs: &[(String, String)], reserved: &[&str]) -> bool {
    pairs.iter().all(|(k, v)| !k.is_empty() && k.len() <= 100 && v.len() <= 2000 && !reserved.contains(&k.as_str()))
}

pub fn parse_revocation(value: &Value) -> Result<Revocation> {
    let mut f = Fields::new(value, "provider revocation", ErrorCode::InvalidConfig)?;
    let method = match f.string("method")?.as_deref() {
        None | Some("POST") => "POST",
        Some("DELETE") => "DELETE",
        Some(_) => return Err(f.fail("method", "POST or DELETE")),
    };
    let token = match f.string("token")? {
        None => RevokeStyle::Form,
        Some(name) => REVOKE_STYLES.iter().find(|(_, n)| *n == name).map(|(s, _)| *s).ok_or_else(|| f.fail("token", "form, query or bearer"))?,
    };
    f.finish()?;
    Ok(Revocation { method, token })
}

pub fn parse_tenant(value: &Value) -> Result<Tenant> {
    let mut f = Fields::new(value, "provider tenant", ErrorCode::InvalidConfig)?;
    let source = match f.string("from")?.as_deref() {
        Some("callback") => TenantSource::Callback,
        Some("token") => TenantSource::TokenResponse,
        _ => return Err(f.fail("from", "\"callback\" or \"token\"")),
    };
    let param = f.required_string("param")?;
    let values = string_map(&mut f, "values")?.unwrap_or_default();
    let default = f.string("default")?;
    f.finish()?;
    let tenant = Tenant { source, param, values, default };
    let fine = !tenant.param.is_empty()
        && tenant.param.len() <= 100
        && tenant.values.iter().all(|(_, t)| super::super::tenant::is_tenant_syntax(t))
        && tenant.default.as_deref().is_none_or(|d| tenant.is_known(d));
    if !fine {
        return Err(f_fail("provider tenant: `param` must be a name, each of `values` a tenant of A-Z a-z 0-9 . - _, and `default` one of them"));
    }
    Ok(tenant)
}

pub fn parse_aliases(f: &mut Fields) -> Result<Option<Vec<(String, String)>>> {
    let aliases = string_map(f, "errorAliases")?;
    if aliases.iter().flatten().any(|(_, to)| !RFC_ERRORS.contains(&to.as_str())) {
        return Err(f.fail("errorAliases", "an object whose values are RFC 6749 error names (invalid_grant, invalid_client, ...)"));
    }
    Ok(aliases)
}

fn f_fail(message: &'static str) -> super::super::error::Error {
    super::super::error::Error::new(ErrorCode::InvalidConfig, message)
}

impl Tenant {
    /// Whether `tenant` is one this provider can have (after `resolve`, or read from storage).
    pub fn is_known(&self, tenant: &str) -> bool {
        if self.values.is_empty() {
            super::super::tenant::is_plain_tenant(tenant)
        } else {
            self.values.iter().any(|(_, t)| t == tenant)
        }
    }
}
