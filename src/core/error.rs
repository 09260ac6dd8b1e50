//! One error type for the whole core, with a stable machine-readable code.
//!
//! Messages are written for humans and are built only from values the library controls or has
//! already validated (status codes, content types, parameter *names*): a token, code, secret or
//! verifier is never formatted into one, so an error can be logged as it is.

use std::fmt;

/// Stable error codes. The string form (`as_str`) is part of the public API: JS callers switch on
/// it, so a code is never renamed, only added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    // Configuration and input, raised before anything is sent.
    InvalidConfig,
    InvalidAccount,
    InvalidRedirectUri,
    InvalidScope,
    MissingRefreshScope,
    InvalidInstallRequest,
    /// A path or URL for the provider's API that would leave the account's API base.
    InvalidApiPath,
    /// A tenant the provider named (Zoho `accounts-server`) that is not one of its own.
    InvalidTenant,
    RandomUnavailable,
    // The callback (authorization response).
    InvalidCallback,
    StateMissing,
    StateMismatch,
    PendingExpired,
    PendingInvalid,
    IssuerMismatch,
    CodeMissing,
    // Errors the authorization server returned (RFC 6749 §4.1.2.1 and §5.2), kept by name.
    AccessDenied,
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedResponseType,
    InvalidClient,
    InvalidGrant,
    UnsupportedGrantType,
    ServerError,
    TemporarilyUnavailable,
    /// An `error` value outside RFC 6749's list; the raw value is kept in `Error::oauth_error`.
    ProviderError,
    // Interpreting HTTP responses.
    HttpError,
    ResponseNotJson,
    ResponseInvalid,
    ResponseTooLarge,
    UnsupportedTokenType,
    NetworkError,
    // Tokens held by the caller.
    NoRefreshToken,
    RevocationUnsupported,
    TokenSetInvalid,
    IdTokenInvalid,
    /// The authorization asked for an id_token (`openid`, or a nonce was sent) and none came.
    IdTokenMissing,
    /// A refreshed id_token does not continue the original authentication (OIDC Core §12.2).
    IdTokenRefreshMismatch,
    IdTokenIssuerMismatch,
    IdTokenAudienceMismatch,
    IdTokenExpired,
    IdTokenIssuedInFuture,
    IdTokenSignatureInvalid,
    IdTokenKeyNotFound,
    IdTokenAlgUnsupported,
    NonceMismatch,
    // The handlers' pending-authorization cookie and return paths.
    CookieMissing,
    CookieInvalid,
    CookieExpired,
    InvalidReturnTo,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::InvalidConfig,
        ErrorCode::InvalidAccount,
        ErrorCode::InvalidRedirectUri,
        ErrorCode::InvalidScope,
        ErrorCode::MissingRefreshScope,
        ErrorCode::InvalidInstallRequest,
        ErrorCode::InvalidApiPath,
        ErrorCode::InvalidTenant,
        ErrorCode::RandomUnavailable,
        ErrorCode::InvalidCallback,
        ErrorCode::StateMissing,
        ErrorCode::StateMismatch,
        ErrorCode::PendingExpired,
        ErrorCode::PendingInvalid,
        ErrorCode::IssuerMismatch,
        ErrorCode::CodeMissing,
        ErrorCode::AccessDenied,
        ErrorCode::InvalidRequest,
        ErrorCode::UnauthorizedClient,
        ErrorCode::UnsupportedResponseType,
        ErrorCode::InvalidClient,
        ErrorCode::InvalidGrant,
        ErrorCode::UnsupportedGrantType,
        ErrorCode::ServerError,
        ErrorCode::TemporarilyUnavailable,
        ErrorCode::ProviderError,
        ErrorCode::HttpError,
        ErrorCode::ResponseNotJson,
        ErrorCode::ResponseInvalid,
        ErrorCode::ResponseTooLarge,
        ErrorCode::UnsupportedTokenType,
        ErrorCode::NetworkError,
        ErrorCode::NoRefreshToken,
        ErrorCode::RevocationUnsupported,
        ErrorCode::TokenSetInvalid,
        ErrorCode::IdTokenInvalid,
        ErrorCode::IdTokenMissing,
        ErrorCode::IdTokenRefreshMismatch,
        ErrorCode::IdTokenIssuerMismatch,
        ErrorCode::IdTokenAudienceMismatch,
        ErrorCode::IdTokenExpired,
        ErrorCode::IdTokenIssuedInFuture,
        ErrorCode::IdTokenSignatureInvalid,
        ErrorCode::IdTokenKeyNotFound,
        ErrorCode::IdTokenAlgUnsupported,
        ErrorCode::NonceMismatch,
        ErrorCode::CookieMissing,
        ErrorCode::CookieInvalid,
        ErrorCode::CookieExpired,
        ErrorCode::InvalidReturnTo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidConfig => "invalid_config",
            ErrorCode::InvalidAccount => "invalid_account",
            ErrorCode::InvalidRedirectUri => "invalid_redirect_uri",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::MissingRefreshScope => "missing_refresh_scope",
            ErrorCode::InvalidInstallRequest => "invalid_install_request",
            ErrorCode::InvalidApiPath => "invalid_api_path",
            ErrorCode::InvalidTenant => "invalid_tenant",
            ErrorCode::RandomUnavailable => "random_unavailable",
            ErrorCode::InvalidCallback => "invalid_callback",
            ErrorCode::StateMissing => "state_missing",
            ErrorCode::StateMismatch => "state_mismatch",
            ErrorCode::PendingExpired => "pending_expired",
            ErrorCode::PendingInvalid => "pending_invalid",
            ErrorCode::IssuerMismatch => "issuer_mismatch",
            ErrorCode::CodeMissing => "code_missing",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::ProviderError => "provider_error",
            ErrorCode::HttpError => "http_error",
            ErrorCode::ResponseNotJson => "response_not_json",
            ErrorCode::ResponseInvalid => "response_invalid",
            ErrorCode::ResponseTooLarge => "response_too_large",
            ErrorCode::UnsupportedTokenType => "unsupported_token_type",
            ErrorCode::NetworkError => "network_error",
            ErrorCode::NoRefreshToken => "no_refresh_token",
            ErrorCode::RevocationUnsupported => "revocation_unsupported",
            ErrorCode::TokenSetInvalid => "token_set_invalid",
            ErrorCode::IdTokenInvalid => "id_token_invalid",
            ErrorCode::IdTokenMissing => "id_token_missing",
            ErrorCode::IdTokenRefreshMismatch => "id_token_refresh_mismatch",
            ErrorCode::IdTokenIssuerMismatch => "id_token_issuer_mismatch",
            ErrorCode::IdTokenAudienceMismatch => "id_token_audience_mismatch",
            ErrorCode::IdTokenExpired => "id_token_expired",
            ErrorCode::IdTokenIssuedInFuture => "id_token_issued_in_future",
            ErrorCode::IdTokenSignatureInvalid => "id_token_signature_invalid",
            ErrorCode::IdTokenKeyNotFound => "id_token_key_not_found",
            ErrorCode::IdTokenAlgUnsupported => "id_token_alg_unsupported",
            ErrorCode::NonceMismatch => "nonce_mismatch",
            ErrorCode::CookieMissing => "cookie_missing",
            ErrorCode::CookieInvalid => "cookie_invalid",
            ErrorCode::CookieExpired => "cookie_expired",
            ErrorCode::InvalidReturnTo => "invalid_return_to",
        }
    }

    /// Maps an RFC 6749 `error` value. Unknown values map to `ProviderError` rather than being
    /// trusted as one of our own codes (a provider could otherwise send `"state_mismatch"`).
    pub fn from_oauth(error: &str) -> ErrorCode {
        match error {
            "access_denied" => ErrorCode::AccessDenied,
            "invalid_request" => ErrorCode::InvalidRequest,
            "unauthorized_client" => ErrorCode::UnauthorizedClient,
            "unsupported_response_type" => ErrorCode::UnsupportedResponseType,
            "invalid_scope" => ErrorCode::InvalidScope,
            "invalid_client" => ErrorCode::InvalidClient,
            "invalid_grant" => ErrorCode::InvalidGrant,
            "unsupported_grant_type" => ErrorCode::UnsupportedGrantType,
            "server_error" => ErrorCode::ServerError,
            "temporarily_unavailable" => ErrorCode::TemporarilyUnavailable,
            _ => ErrorCode::ProviderError,
        }
    }

    /// Whether trying the same request again later may succeed (network trouble, 5xx, garbage
    /// from a proxy). A caller holding tokens must keep them when this is true.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::NetworkError
                | ErrorCode::ServerError
                | ErrorCode::TemporarilyUnavailable
                | ErrorCode::HttpError
                | ErrorCode::ResponseNotJson
                | ErrorCode::ResponseInvalid
                | ErrorCode::ResponseTooLarge
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error: boxed, so that every `Result<T, Error>` stays the size of a pointer plus `T`. With
/// the fields inline each `Result` move copied ~100 bytes, and that copying code was a measurable
/// share of the wasm (benches/wasm-bytes.md). Fields read through `Deref` (`err.code`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(Box<ErrorDetails>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorDetails {
    pub code: ErrorCode,
    pub message: String,
    /// HTTP status of the response that caused the error, when there was one.
    pub status: Option<u16>,
    /// `error_description` from the provider, cleaned (see `clean_provider_text`).
    pub description: Option<String>,
    /// `error_uri` from the provider, cleaned.
    pub uri: Option<String>,
    /// The raw `error` value the provider sent, when it sent one.
    pub oauth_error: Option<String>,
}

impl std::ops::Deref for Error {
    type Target = ErrorDetails;
    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error::build(code, message.into())
    }

    // Out of line and cold: errors are rare, and every call site used to inline the boxing.
    #[cold]
    #[inline(never)]
    fn build(code: ErrorCode, message: String) -> Error {
        Error(Box::new(ErrorDetails { code, message, status: None, description: None, uri: None, oauth_error: None }))
    }

    /// The same details under another code and message (a provider's `error` the status does
    /// not allow us to take at its word; see `token_response::error_response`).
    pub fn recoded(mut self, code: ErrorCode, message: String) -> Error {
        self.0.code = code;
        self.0.message = message;
        self
    }

    pub fn with_status(mut self, status: u16) -> Error {
        self.0.status = Some(status);
        self
    }

    /// An error the provider reported with RFC 6749 fields.
    pub fn from_provider(error: &str, description: Option<&str>, uri: Option<&str>, context: &str) -> Error {
        Error::from_provider_redacting(error, description, uri, context, &[])
    }

    /// `from_provider`, with every value in `secrets` (the client secret, the code, the verifier,
    /// the tokens of the request) removed from the `error`, description and URI the provider sent,
    /// whatever it wrapped them in, before they become the message, `description`, `uri` or
    /// `oauthError`.
    pub fn from_provider_redacting(error: &str, description: Option<&str>, uri: Option<&str>, context: &str, secrets: &[&str]) -> Error {
        let error = redact_provider_text(error, 64, secrets);
        let code = ErrorCode::from_oauth(&error);
        let description = description.map(|d| redact_provider_text(d, 300, secrets)).filter(|d| !d.is_empty());
        let mut message = format!("{context}: the provider answered `{error}`");
        if let Some(d) = &description {
            message.push_str(": ");
            message.push_str(d);
        }
        Error(Box::new(ErrorDetails {
            code,
            message,
            status: None,
            description,
            uri: uri.map(|u| redact_provider_text(u, 300, secrets)).filter(|u| !u.is_empty()),
            oauth_error: Some(error),
        }))
    }

    pub fn is_retryable(&self) -> bool {
        self.code.is_retryable() || matches!(self.status, Some(s) if s >= 500)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Text that came from the provider goes into messages only after this: control characters
/// removed (no log injection), length bounded, and anything that looks like it could carry a
/// credential (long unbroken base64/JWT-like runs) replaced.
pub fn clean_provider_text(text: &str, max_chars: usize) -> String {
    redact_provider_text(text, max_chars, &[])
}

const REDACTED: &str = "[redacted]";

/// Control characters dropped and whitespace runs made one space, so that a secret cannot slip
/// through split by a control character or with its spaces changed.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// `clean_provider_text`, and first every value in `secrets` replaced wherever it occurs — in
/// quotes, after `token=`, in parentheses, glued to other text, percent- or form-encoded. By
/// value, not by shape: a secret that looks like an ordinary word is caught as well.
pub fn redact_provider_text(text: &str, max_chars: usize, secrets: &[&str]) -> String {
    let mut forms: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let form_encoded: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        for form in [normalise(secret), super::encoding::percent_encode(secret), form_encoded] {
            // Longest first, so that a secret containing another is replaced whole. An insertion
            // by hand: the list is a few entries, and a library sort costs ~3 KB of wasm.
            if !form.is_empty() && !forms.contains(&form) {
                let at = forms.iter().position(|f| f.len() < form.len()).unwrap_or(forms.len());
                forms.insert(at, form);
            }
        }
    }
    let mut text = normalise(text);
    for form in &forms {
        if text.contains(form.as_str()) {
            text = text.replace(form.as_str(), REDACTED);
        }
    }
    // A replacement cannot assemble a secret anew unless a secret contains the marker itself;
    // then say nothing rather than risk it.
    if forms.iter().any(|f| text.contains(f.as_str())) {
        return REDACTED.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(if looks_like_credential(word) { REDACTED } else { word });
        if out.chars().count() > max_chars {
            let cut: String = out.chars().take(max_chars).collect();
            return cut + "…";
        }
    }
    out
}

fn looks_like_credential(word: &str) -> bool {
    word.len() >= 24
        && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/'))
        && word.chars().any(|c| c.is_ascii_digit())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
        }
    }

    #[test]
    fn unknown_provider_codes_do_not_impersonate_ours() {
        assert_eq!(ErrorCode::from_oauth("state_mismatch"), ErrorCode::ProviderError);
        assert_eq!(ErrorCode::from_oauth("invalid_grant"), ErrorCode::InvalidGrant);
    }

    #[test]
    fn secrets_are_redacted_by_value_in_any_wrapping() {
        // Short secrets that look like nothing: the shape heuristic alone would keep them.
        let secrets = ["rt-42", "my client secret", "c0de"];
        for text in [
            "refresh token \"rt-42\" is revoked",
            "token=rt-42 revoked",
            "(rt-42)",
            "[rt-42]",
            "rt-42,rt-42;rt-42",
            "'my client secret' is wrong",
            "secret my  client\tsecret is wrong",
            "secret my client\u{7}\u{0} secret is wrong",
            "secret=my%20client%20secret",
            "code c\u{1b}0de already used",
            "codec0deused",
        ] {
            let cleaned = redact_provider_text(text, 300, &secrets);
            for s in ["rt-42", "my client secret", "my%20client%20secret", "c0de"] {
                assert!(!cleaned.contains(s), "{text:?} -> {cleaned:?}");
            }
            assert!(cleaned.contains("[redacted]"), "{text:?} -> {cleaned:?}");
        }
        // A secret cut by the length limit leaves no prefix behind either.
        let cleaned = redact_provider_text(&format!("{}rt-42", "x".repeat(298)), 300, &secrets);
        assert!(!cleaned.contains("rt-4"), "{cleaned}");
        // Empty secrets redact nothing.
        assert_eq!(redact_provider_text("plain words", 100, &[""]), "plain words");
    }

    #[test]
    fn provider_errors_redact_message_description_uri_and_error() {
        let secrets = ["rt-42"];
        let e = Error::from_provider_redacting("rt-42", Some("token 'rt-42' revoked"), Some("https://x/?t=rt-42"), "token endpoint", &secrets);
        for field in [Some(e.message.as_str()), e.description.as_deref(), e.uri.as_deref(), e.oauth_error.as_deref()] {
            assert!(!field.unwrap().contains("rt-42"), "{field:?}");
        }
        assert_eq!(e.code, ErrorCode::ProviderError);
    }

    #[test]
    fn provider_text_is_cleaned() {
        let t = clean_provider_text("bad token eyJhbGciOiJSUzI1NiIsInR5cCI6 here\u{1b}[31m", 100);
        assert_eq!(t, "bad token [redacted] here[31m");
        let long = "word ".repeat(200);
        assert!(clean_provider_text(&long, 50).chars().count() <= 51);
    }
}
