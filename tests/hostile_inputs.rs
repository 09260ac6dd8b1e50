//! The hostile-input suite: one table per input surface, each case with the exact error code it
//! must produce. Nothing here may panic, hang, or answer with a success.
#![cfg(not(target_arch = "wasm32"))]
#![cfg(not(target_arch = "wasm32"))]

use helpdesk_oauth::core::account::{account_from_install_url, validate_account};
use helpdesk_oauth::core::callback;
use helpdesk_oauth::core::config::{ClientConfig, ClientOptions, ProviderChoice};
use helpdesk_oauth::core::encoding::base64url;
use helpdesk_oauth::core::error::ErrorCode;
use helpdesk_oauth::core::http::HttpResponse;
use helpdesk_oauth::core::id_token::{validate, Expected};
use helpdesk_oauth::core::jws::parse_signed;
use helpdesk_oauth::core::pending::PendingAuthorization;
use helpdesk_oauth::core::token_response::{parse_token_response, ResponseContext};
use helpdesk_oauth::core::token_set::TokenSet;
use ErrorCode::*;

fn client() -> ClientConfig {
    ClientConfig::from_options(ClientOptions {
        provider: ProviderChoice::Preset("gorgias".into()),
        client_id: "client-123".into(),
        client_secret: Some("s3cr3t".into()),
        redirect_uri: "https://app.example.com/cb".into(),
        scopes: vec!["openid".into(), "offline".into()],
        pending_ttl_seconds: None,
        clock_tolerance_seconds: None,
    })
    .unwrap()
}

const STATE: &str = "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS";

fn pending() -> PendingAuthorization {
    PendingAuthorization {
        provider: "gorgias".into(),
        account: Some("acme".into()),
        issuer: "https://acme.gorgias.com".into(),
        state: STATE.into(),
        nonce: Some("nonce-1".into()),
        code_verifier: None,
        redirect_uri: "https://app.example.com/cb".into(),
        scopes: vec!["openid".into()],
        created_at: 1_000_000,
    }
}

#[test]
fn hostile_accounts() {
    let cases: &[&str] = &[
        "",
        "evil.com/",
        "a.b",
        "acme.gorgias.com.evil.com",
        "%2e",
        "acme%2Eevil",
        "..",
        ".",
        "acme.",
        ".acme",
        "acme/../x",
        "acme/",
        "/acme",
        "acme@evil.com",
        "user:pass@evil",
        "acme:443",
        "acme#x",
        "acme?x",
        "acme\\evil",
        "acme\0",
        "acme\r\nHost: evil",
        " acme",
        "acme ",
        "ac me",
        "-acme",
        "acme-",
        "-",
        "ａｃｍｅ",
        "acmé",
        "ACME.",
        "xn--80ak6aa92e.com",
        "127.0.0.1",
        "[::1]",
        "acme%00",
        "acme;evil",
        "*",
        "acme*",
        &"a".repeat(64),
        &"a".repeat(10_000),
    ];
    for input in cases {
        assert_eq!(validate_account(input).unwrap_err().code, InvalidAccount, "{input:?}");
    }
    let install: &[(&str, ErrorCode)] = &[
        ("https://app/install", InvalidInstallRequest),
        ("https://app/install?acct=acme", InvalidInstallRequest),
        ("https://app/install?account=acme&account=evil", InvalidInstallRequest),
        ("https://app/install?account=evil.com%2F", InvalidAccount),
        ("https://app/install?account=acme%2Egorgias%2Ecom%2Eevil%2Ecom", InvalidAccount),
        ("https://app/install?account=", InvalidAccount),
        ("https://app/install?account=%E2%80%AEacme", InvalidAccount),
    ];
    for (url, code) in install {
        assert_eq!(account_from_install_url(url, "account").unwrap_err().code, *code, "{url}");
    }
}

#[test]
fn hostile_callbacks() {
    let c = client();
    let s = STATE;
    let cases: Vec<(String, ErrorCode)> = vec![
        ("".into(), StateMissing),
        ("https://app.example.com/cb".into(), InvalidCallback),
        ("/cb".into(), InvalidCallback),
        ("https://app.example.com/cb#code=x&state=y".into(), InvalidCallback),
        (format!("?code=a&state={s}&state={s}"), InvalidCallback),
        (format!("?code=a&code=b&state={s}"), InvalidCallback),
        (format!("?code=a&state={s}&iss=x&iss=y"), InvalidCallback),
        (format!("?code={}&state={s}", "A".repeat(17_000)), InvalidCallback),
        ("?code=a".into(), StateMissing),
        ("?code=a&state=".into(), StateMissing),
        ("?code=a&State=x".into(), StateMissing),
        ("?code=a&state=x".into(), StateMismatch),
        (format!("?code=a&state={}", &s[1..]), StateMismatch),
        (format!("?code=a&state={s}x"), StateMismatch),
        (format!("?code=a&state={}", s.to_lowercase()), StateMismatch),
        (format!("?code=a&state=%20{s}"), StateMismatch),
        (format!("?code=a&state={s}%00"), StateMismatch),
        ("?error=access_denied".into(), StateMissing),
        ("?error=access_denied&state=forged".into(), StateMismatch),
        (format!("?error=access_denied&state={s}"), AccessDenied),
        (format!("?error=invalid_scope&state={s}"), InvalidScope),
        (format!("?error=server_error&state={s}"), ServerError),
        (format!("?error=temporarily_unavailable&state={s}"), TemporarilyUnavailable),
        (format!("?error=state_mismatch&state={s}"), ProviderError),
        (format!("?error=%3Cscript%3E&state={s}"), ProviderError),
        (format!("?error=&state={s}"), ProviderError),
        (format!("?error=access_denied&code=a&state={s}"), AccessDenied),
        (format!("?code=a&state={s}&iss=https%3A%2F%2Fevil.gorgias.com"), IssuerMismatch),
        (format!("?code=a&state={s}&iss=https%3A%2F%2Facme.gorgias.com%2F"), IssuerMismatch),
        (format!("?code=a&state={s}&iss=https%3A%2F%2FACME.gorgias.com"), IssuerMismatch),
        (format!("?code=a&state={s}&iss=http%3A%2F%2Facme.gorgias.com"), IssuerMismatch),
        (format!("?code=a&state={s}&iss="), IssuerMismatch),
        (format!("?state={s}"), CodeMissing),
        (format!("?code=&state={s}"), CodeMissing),
    ];
    for (url, code) in &cases {
        let got = callback::check(url, &pending(), &c.provider, 1_000_500, c.pending_ttl_ms).unwrap_err();
        assert_eq!(got.code, *code, "{}", &url[..url.len().min(100)]);
        assert!(!got.message.contains(STATE), "state echoed for {url}");
    }
    // Another tenant's or provider's pending record, and stale or future-dated records.
    let other_provider = PendingAuthorization { provider: "kustomer".into(), ..pending() };
    let ok_url = format!("?code=a&state={s}");
    assert_eq!(callback::check(&ok_url, &other_provider, &c.provider, 1_000_500, c.pending_ttl_ms).unwrap_err().code, PendingInvalid);
    let other_account = PendingAuthorization { account: Some("other".into()), issuer: "https://other.gorgias.com".into(), ..pending() };
    let mixup = format!("?code=a&state={s}&iss=https%3A%2F%2Facme.gorgias.com");
    assert_eq!(callback::check(&mixup, &other_account, &c.provider, 1_000_500, c.pending_ttl_ms).unwrap_err().code, IssuerMismatch);
    assert_eq!(callback::check(&ok_url, &pending(), &c.provider, 1_000_000 + 600_001, c.pending_ttl_ms).unwrap_err().code, PendingExpired);
    assert_eq!(callback::check(&ok_url, &pending(), &c.provider, 0, c.pending_ttl_ms).unwrap_err().code, PendingInvalid);
}

#[test]
fn hostile_pending_records() {
    let good = pending().serialize();
    let cases: Vec<String> = vec![
        "".into(),
        "null".into(),
        "[]".into(),
        "{}".into(),
        good.replace("\"v\":1", "\"v\":2"),
        good.replace("\"v\":1", "\"v\":\"1\""),
        good.replace(STATE, "short"),
        good.replace("\"created_at\":1000000", "\"created_at\":-1"),
        good.replace("}", ",\"extra\":1}"),
        good.replace("{", "{\"state\":\"x\","),
        format!("{good}x"),
        "x".repeat(20_000),
        // Stored values are validated like fresh input.
        good.replace("\"account\":\"acme\"", "\"account\":\"evil.example/x?\""),
        good.replace("\"account\":\"acme\"", "\"account\":\"acme.evil.com\""),
        good.replace("\"account\":\"acme\"", "\"account\":\"\""),
        good.replace("\"provider\":\"gorgias\"", "\"provider\":\"gorgias\\r\\n\""),
        good.replace("\"scopes\":[\"openid\"]", "\"scopes\":[\"openid offline\"]"),
        good.replace("\"redirect_uri\"", "\"code_verifier\":\"x\",\"redirect_uri\""),
        good.replace("\"redirect_uri\":\"https://app.example.com/cb\"", "\"redirect_uri\":\"javascript:alert(1)\""),
    ];
    for text in &cases {
        assert_eq!(PendingAuthorization::deserialize(text).unwrap_err().code, PendingInvalid, "{}", &text[..text.len().min(80)]);
    }
}

fn response(status: u16, ct: &str, body: &str) -> HttpResponse {
    HttpResponse { status, content_type: Some(ct.into()), body: body.into() }
}

#[test]
fn hostile_token_responses() {
    let c = client();
    let j = "application/json";
    let cases: Vec<(HttpResponse, ErrorCode)> = vec![
        (response(200, j, ""), ResponseNotJson),
        (response(200, j, "null"), ResponseNotJson),
        (response(200, j, "\"access_token\""), ResponseNotJson),
        (response(200, j, "[{\"access_token\":\"a\"}]"), ResponseNotJson),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\"} trailing"), ResponseNotJson),
        (response(200, j, "{\"access_token\":\"a\",\"access_token\":\"b\",\"token_type\":\"Bearer\"}"), ResponseInvalid), // natively; in wasm JSON.parse keeps the last (SECURITY.md)
        (response(200, j, "{'access_token':'a'}"), ResponseNotJson),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",}"), ResponseNotJson),
        (response(200, j, "\u{feff}{\"access_token\":\"a\",\"token_type\":\"Bearer\"}"), ResponseNotJson),
        (response(200, "text/html", "<!doctype html><title>Login</title>"), ResponseNotJson),
        (response(200, j, &format!("{}1{}", "[".repeat(100), "]".repeat(100))), ResponseInvalid),
        (response(200, j, &format!("{{\"a\":{}1{}}}", "{\"b\":".repeat(80), "}".repeat(80))), ResponseInvalid),
        (response(200, j, &" ".repeat(1024 * 1024 + 1)), ResponseTooLarge),
        (response(200, j, "{}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":null,\"token_type\":\"Bearer\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":[\"a\"],\"token_type\":\"Bearer\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":1}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"DPoP\"}"), UnsupportedTokenType),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer \"}"), UnsupportedTokenType),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":-1}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"-1\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":\"0x10\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_in\":true}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"refresh_token\":1}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"id_token\":{}}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"scope\":null,\"id_token\":false}"), ResponseInvalid),
        (response(400, j, "{\"error\":\"invalid_grant\"}"), InvalidGrant),
        (response(401, j, "{\"error\":\"invalid_client\"}"), InvalidClient),
        (response(400, j, "{\"error\":\"unsupported_grant_type\"}"), UnsupportedGrantType),
        (response(400, j, "{\"error\":\"unauthorized_client\"}"), UnauthorizedClient),
        (response(400, j, "{\"error\":5}"), ResponseInvalid),
        (response(400, j, "{\"error\":{\"code\":\"invalid_grant\"}}"), ResponseInvalid),
        (response(400, j, "{\"error\":[\"invalid_grant\"]}"), ResponseInvalid),
        (response(400, j, "{\"error\":true}"), ResponseInvalid),
        (response(500, j, "{\"error\":5}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"error\":{}}"), ResponseInvalid),
        (response(400, j, "{\"error\":null}"), HttpError),
        (response(400, j, "{\"error\":\"Invalid Client\"}"), ProviderError),
        (response(200, j, "{\"error\":\"invalid_request\",\"access_token\":\"a\"}"), ResponseInvalid),
        // Only a 400 (401 for invalid_client) is an OAuth error response (RFC 6749 §5.2): a 5xx
        // or a success status that says invalid_grant does not kill the grant.
        (response(500, j, "{\"error\":\"invalid_grant\"}"), ServerError),
        (response(502, j, "{\"error\":\"invalid_grant\",\"error_description\":\"proxy\"}"), ServerError),
        (response(503, j, "{\"error\":\"invalid_grant\"}"), TemporarilyUnavailable),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"error\":\"invalid_grant\"}"), ResponseInvalid),
        (response(200, j, "{\"error\":\"invalid_grant\"}"), ResponseInvalid),
        (response(401, j, "{\"error\":\"invalid_grant\"}"), HttpError),
        (response(403, j, "{\"error\":\"invalid_grant\"}"), HttpError),
        (response(500, "text/html", "<h1>Internal Server Error</h1>"), ServerError),
        (response(502, "text/html", "<h1>Bad Gateway</h1>"), ServerError),
        (response(503, "text/plain", "down"), TemporarilyUnavailable),
        (response(504, "", ""), ServerError),
        (response(404, "text/html", "not found"), HttpError),
        (response(302, "text/html", ""), HttpError),
        (response(0, "", ""), HttpError),
        (response(429, j, "{\"message\":\"slow down\"}"), HttpError),
        // Tokens must be visible ASCII (RFC 6749 VSCHAR, no space): they become header values.
        (response(200, j, "{\"access_token\":\"a\\r\\nX-Injected: 1\",\"token_type\":\"Bearer\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\\u0000\",\"token_type\":\"Bearer\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a b\",\"token_type\":\"Bearer\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"\u{e9}\",\"token_type\":\"Bearer\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"refresh_token\":\"r\\n\"}"), ResponseInvalid),
        (response(200, j, "{\"access_token\":\"a\",\"token_type\":\"Bearer\",\"id_token\":\"x.y.z\\u2028\"}"), ResponseInvalid),
    ];
    for (resp, code) in &cases {
        let ctx =
            ResponseContext { now_ms: 0, provider: &c.provider, account: Some("acme"), tenant: None, requested_scopes: &[], previous: None, secrets: &[] };
        let e = parse_token_response(resp, &ctx).unwrap_err();
        assert_eq!(e.code, *code, "HTTP {} {}", resp.status, &resp.body[..resp.body.len().min(80)]);
    }
}

fn jwt(header: &str, claims: &str) -> String {
    format!("{}.{}.{}", base64url(header.as_bytes()), base64url(claims.as_bytes()), base64url(b"signature"))
}

#[test]
fn hostile_id_tokens() {
    let expected = Expected {
        issuer: "https://acme.gorgias.com",
        client_id: "client-123",
        nonce: Some("n"),
        now_ms: 1_700_000_000_000,
        tolerance_seconds: 60,
        integer_sub: true,
    };
    let h = r#"{"alg":"RS256"}"#;
    let good = r#""iss":"https://acme.gorgias.com","aud":["client-123"],"sub":1,"iat":1700000000,"exp":1700003600,"nonce":"n""#;
    let cases: Vec<(String, ErrorCode)> = vec![
        ("".into(), IdTokenInvalid),
        ("a".into(), IdTokenInvalid),
        ("a.b".into(), IdTokenInvalid),
        ("a.b.c.d.e".into(), IdTokenInvalid),
        (format!("{}.{}.x", base64url(b"not json"), base64url(b"{}")), IdTokenInvalid),
        (format!("{}.%%%.x", base64url(h.as_bytes())), IdTokenInvalid),
        (format!("{}.{}.x", base64url(h.as_bytes()), base64url(b"[1]")), IdTokenInvalid),
        (format!("{}.{}.x", base64url(h.as_bytes()), base64url(b"\xff\xfe")), IdTokenInvalid),
        (jwt(h, &format!("{{{good},\"nonce\":\"m\"}}")), IdTokenInvalid), // duplicate claim
        (jwt(h, &format!("{{{}}}", good.replace("https://acme.gorgias.com", "https://evil.gorgias.com"))), IdTokenIssuerMismatch),
        (jwt(h, &format!("{{{}}}", good.replace("\"client-123\"", "\"other\""))), IdTokenAudienceMismatch),
        (jwt(h, &format!("{{{}}}", good.replace("[\"client-123\"]", "[\"client-123\",\"other\"]"))), IdTokenAudienceMismatch),
        (jwt(h, &format!("{{{}}}", good.replace("1700003600", "1699990000"))), IdTokenExpired),
        (jwt(h, &format!("{{{}}}", good.replace("\"iat\":1700000000", "\"iat\":1800000000"))), IdTokenIssuedInFuture),
        (jwt(h, &format!("{{{}}}", good.replace("\"nonce\":\"n\"", "\"nonce\":\"N\""))), NonceMismatch),
        (jwt(h, &format!("{{{}}}", good.replace(",\"nonce\":\"n\"", ""))), NonceMismatch),
        (format!("{}.{}.x", base64url(h.as_bytes()), base64url(format!("{}{{}}{}", "[".repeat(200), "]".repeat(200)).as_bytes())), IdTokenInvalid),
        ("x".repeat(70_000), IdTokenInvalid),
        // Without keys (Gorgias) the header is still checked: an alg this client verifies, exact.
        (jwt(r#"{"alg":"none"}"#, &format!("{{{good}}}")), IdTokenAlgUnsupported),
        (format!("{}.{}.", base64url(br#"{"alg":"none"}"#), base64url(format!("{{{good}}}").as_bytes())), IdTokenAlgUnsupported),
        (jwt(r#"{"alg":"HS256"}"#, &format!("{{{good}}}")), IdTokenAlgUnsupported),
        (jwt(r#"{"alg":"PS256"}"#, &format!("{{{good}}}")), IdTokenAlgUnsupported),
        (jwt(r#"{"alg":"es256"}"#, &format!("{{{good}}}")), IdTokenAlgUnsupported),
        (jwt(r#"{"typ":"JWT"}"#, &format!("{{{good}}}")), IdTokenAlgUnsupported),
        (jwt(r#"{"alg":"RS256","crit":["exp"]}"#, &format!("{{{good}}}")), IdTokenInvalid),
        (jwt(h, &format!("{{{good},\"nbf\":1800000000}}")), IdTokenIssuedInFuture),
        (jwt(h, &format!("{{{good},\"nbf\":\"0\"}}")), IdTokenInvalid),
        (jwt(h, &format!("{{{}}}", good.replace("[\"client-123\"]", "[\"client-123\",5]"))), IdTokenInvalid),
        (jwt(h, &format!("{{{}}}", good.replace("\"sub\":1", "\"sub\":1.5"))), IdTokenInvalid),
        (jwt(h, &format!("{{{}}}", good.replace("1700003600", "1699999940"))), IdTokenExpired),
    ];
    for (token, code) in &cases {
        assert_eq!(validate(token, &expected).unwrap_err().code, *code, "{}", &token[..token.len().min(80)]);
    }
    let algs: &[(&str, ErrorCode)] = &[
        (r#"{"alg":"none"}"#, IdTokenAlgUnsupported),
        (r#"{"alg":"HS256"}"#, IdTokenAlgUnsupported),
        (r#"{"alg":"None"}"#, IdTokenAlgUnsupported),
        (r#"{}"#, IdTokenAlgUnsupported),
        (r#"{"alg":["RS256"]}"#, IdTokenAlgUnsupported),
        (r#"{"alg":"RS256","crit":["b64"]}"#, IdTokenInvalid),
    ];
    for (header, code) in algs {
        assert_eq!(parse_signed(&jwt(header, "{}")).unwrap_err().code, *code, "{header}");
    }
}

#[test]
fn hostile_stored_token_sets() {
    let good = r#"{"v":1,"provider":"gorgias","token_type":"Bearer","access_token":"a","scope":[],"obtained_at":0}"#;
    TokenSet::from_json(good).unwrap();
    let cases: Vec<String> = vec![
        "".into(),
        "{".into(),
        good.replace("\"v\":1", "\"v\":0"),
        good.replace("\"access_token\":\"a\"", "\"access_token\":\"\""),
        good.replace("\"scope\":[]", "\"scope\":\"a b\""),
        good.replace("\"obtained_at\":0", "\"obtained_at\":\"0\""),
        good.replace("}", ",\"refresh_token\":7}"),
        good.replace("}", ",\"unknown\":1}"),
        "y".repeat(300_000),
        // A stored row is validated like fresh input before it can reach a URL or a header.
        good.replace("\"token_type\"", "\"account\":\"evil.example/x?\",\"token_type\""),
        good.replace("\"token_type\"", "\"account\":\"acme.gorgias.com.evil.com\",\"token_type\""),
        good.replace("\"token_type\"", "\"account\":\"acme@evil\",\"token_type\""),
        good.replace("\"token_type\"", "\"account\":\"acme%2Eevil\",\"token_type\""),
        good.replace("\"token_type\"", "\"account\":\"\",\"token_type\""),
        good.replace("\"token_type\"", "\"account\":7,\"token_type\""),
        good.replace("\"provider\":\"gorgias\"", "\"provider\":\"gorgias\\nSet-Cookie: x\""),
        good.replace("\"provider\":\"gorgias\"", "\"provider\":\"\""),
        good.replace("\"token_type\":\"Bearer\"", "\"token_type\":\"DPoP\""),
        good.replace("\"scope\":[]", "\"scope\":[\"a b\"]"),
        good.replace("\"access_token\":\"a\"", "\"access_token\":\"a\\r\\nX-Injected: 1\""),
        good.replace("\"access_token\":\"a\"", "\"access_token\":\"a\\u0000\""),
        good.replace("}", ",\"refresh_token\":\"r t\"}"),
    ];
    for text in &cases {
        assert_eq!(TokenSet::from_json(text).unwrap_err().code, TokenSetInvalid, "{}", &text[..text.len().min(80)]);
    }
}

#[test]
fn hostile_cookies() {
    use helpdesk_oauth::core::cookie::{read_sealed, CookiePayload};
    const NAME: &str = "__Host-helpdesk-oauth";
    let iv = base64url(&[7u8; 12]);
    let ct = base64url(&[9u8; 40]);
    let good = format!("{NAME}=v1.{iv}.{ct}");
    read_sealed(Some(&good), NAME).unwrap();
    let headers: Vec<(Option<String>, ErrorCode)> = vec![
        (None, CookieMissing),
        (Some(String::new()), CookieMissing),
        (Some("other=1".into()), CookieMissing),
        (Some(format!("{NAME}=")), CookieMissing),
        (Some(format!("__host-helpdesk-oauth=v1.{iv}.{ct}")), CookieMissing),
        (Some(format!("{good}; {good}")), CookieInvalid),
        (Some(format!("{NAME}=v2.{iv}.{ct}")), CookieInvalid),
        (Some(format!("{NAME}=v1.{iv}")), CookieInvalid),
        (Some(format!("{NAME}=v1.{iv}.{ct}.x")), CookieInvalid),
        (Some(format!("{NAME}=v1.{iv}=.{ct}")), CookieInvalid),
        (Some(format!("{NAME}=v1.{}.{ct}", base64url(&[7u8; 11]))), CookieInvalid),
        (Some(format!("{NAME}=v1.{}.{ct}", base64url(&[7u8; 16]))), CookieInvalid),
        (Some(format!("{NAME}=v1.{iv}.{}", base64url(&[9u8; 16]))), CookieInvalid),
        (Some(format!("{NAME}=v1.{iv}.+/{}", &ct[2..])), CookieInvalid),
        (Some(format!("{NAME}=v1.{iv}.{}", "A".repeat(5000))), CookieInvalid),
        (Some(format!("{NAME}=v1.%00.{ct}")), CookieInvalid),
        (Some(format!("a=1; {NAME}=v1.{iv}.{ct}; {}", "b=2; ".repeat(20_000))), CookieInvalid),
    ];
    for (header, code) in &headers {
        assert_eq!(read_sealed(header.as_deref(), NAME).unwrap_err().code, *code, "{:?}", header.as_deref().map(|h| &h[..h.len().min(80)]));
    }
    let now = 1_700_000_000_000u64;
    let payload = |pending: &str, return_to: Option<&str>, exp: u64| {
        // The pending record nests as an object (payload version 2); a non-JSON one stays text.
        let pending = helpdesk_oauth::core::json::parse(pending).unwrap_or_else(|_| helpdesk_oauth::core::json::Value::String(pending.into()));
        let mut w = helpdesk_oauth::core::json::ObjectBuilder::new().u64("v", 2).value("pending", pending);
        if let Some(r) = return_to {
            w = w.string("return_to", r);
        }
        serde_json::to_string(&w.u64("exp", exp).finish()).unwrap()
    };
    let p = PendingAuthorization { created_at: now, ..pending() }.serialize();
    CookiePayload::from_json(payload(&p, Some("/app/x"), now + 60_000).as_bytes(), now).unwrap();
    let payloads: Vec<(Vec<u8>, ErrorCode)> = vec![
        (b"\xff\xfe".to_vec(), CookieInvalid),
        (b"not json".to_vec(), CookieInvalid),
        (b"{}".to_vec(), CookieInvalid),
        (payload(&p, None, now - 1).into_bytes(), CookieExpired),
        (payload(&p, None, now).into_bytes(), CookieExpired),
        (payload(&p, None, now + 86_400_000).into_bytes(), CookieInvalid),
        (payload("{}", None, now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, Some("//evil.com"), now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, Some("https://evil.com/"), now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, Some("/app/../admin"), now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, Some("/\\evil.com"), now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, Some("/app/%2e%2e/admin"), now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, Some("/app#frag"), now + 1000).into_bytes(), CookieInvalid),
        (payload(&p, None, now + 1000).replace("\"v\":1", "\"v\":2").into_bytes(), CookieInvalid),
        (payload(&p, None, now + 1000).replace("}", ",\"x\":1}").into_bytes(), CookieInvalid),
    ];
    for (bytes, code) in &payloads {
        assert_eq!(CookiePayload::from_json(bytes, now).unwrap_err().code, *code, "{}", String::from_utf8_lossy(&bytes[..bytes.len().min(80)]));
    }
}

#[test]
fn hostile_return_paths() {
    use helpdesk_oauth::core::cookie::check_return_to;
    let allow = vec!["/app/".to_string(), "/done".to_string()];
    // Found by `make fuzz` (cookie target): dots in the query are data, not a path climb.
    for ok in ["/done", "/app/x", "/app/settings?tab=../x", "/app/a/b?c=d"] {
        assert_eq!(check_return_to(ok, &allow).unwrap(), ok);
    }
    let bad = [
        "",
        "done",
        "//evil.com",
        "/\\evil.com",
        "https://evil.com/app/",
        "/app",
        "/app/../admin",
        "/app/./x",
        "/app/%2e%2e/admin",
        "/app/%2F%2Fevil",
        "/app/%5cevil",
        "/app/x#y",
        "/app/x y",
        "/app/\u{0}",
        "/done/more",
        "/donex",
        "/app/\u{e9}",
        "/ap/",
        "javascript:alert(1)",
    ];
    for path in bad {
        assert_eq!(check_return_to(path, &allow).unwrap_err().code, InvalidReturnTo, "{path:?}");
    }
    assert_eq!(check_return_to("/done", &["no-slash".to_string()]).unwrap_err().code, InvalidConfig);
}

#[test]
fn hostile_redirect_uris() {
    let with = |uri: &str| {
        ClientConfig::from_options(ClientOptions {
            provider: ProviderChoice::Preset("gorgias".into()),
            client_id: "client-123".into(),
            client_secret: Some("s3cr3t".into()),
            redirect_uri: uri.into(),
            scopes: vec!["openid".into(), "offline".into()],
            pending_ttl_seconds: None,
            clock_tolerance_seconds: None,
        })
    };
    // Plain http is for loopback only, and "loopback" is parsed, not matched as a prefix.
    let cases = [
        "http://127.attacker.example.com/cb",
        "http://127.0.0.1.evil.com/cb",
        "http://127.1.1/cb",
        "http://127.0.0.999/cb",
        "http://127.0.0.01/cb",
        "http://localhost.evil.com/cb",
        "http://evil.localhost.com/cb",
        "http://[::1.evil.com]/cb",
        "http://[::1/cb",
        "http://[::2]/cb",
        "http://0x7f.0.0.1/cb",
        "http://2130706433/cb",
        "http://127.0.0.1@evil.com/cb",
    ];
    for uri in cases {
        assert_eq!(with(uri).unwrap_err().code, InvalidRedirectUri, "{uri}");
    }
    for uri in ["http://127.0.0.1:8765/callback", "http://127.10.0.1/cb", "http://[::1]:3000/cb", "http://localhost/cb"] {
        with(uri).unwrap();
    }
}

#[test]
fn hostile_code_exchanges() {
    use helpdesk_oauth::core::flow::finish;
    use helpdesk_oauth::core::secret::Secret;
    let c = client();
    let code = callback::AuthorizationCode { code: Secret::new("code"), tenant: None };
    let j = "application/json";
    let openid = pending();
    let no_nonce = PendingAuthorization { nonce: None, ..pending() };
    let nonce_only = PendingAuthorization { scopes: vec!["offline".into()], ..pending() };
    // A code redeemed without the id_token the authorization asked for (code injection on a
    // provider without PKCE): every way of leaving it out.
    let missing = [
        r#"{"access_token":"a","token_type":"Bearer"}"#,
        r#"{"access_token":"a","token_type":"Bearer","id_token":null}"#,
        r#"{"access_token":"a","token_type":"Bearer","id_token":""}"#,
        r#"{"access_token":"a","refresh_token":"r","token_type":"Bearer","scope":"offline"}"#,
    ];
    for body in missing {
        for p in [&openid, &no_nonce, &nonce_only] {
            assert_eq!(finish(&c, p, &code, &response(200, j, body), 1_000_500).unwrap_err().code, IdTokenMissing, "{body}");
        }
    }
    // No `openid` and no nonce: nothing to check, the exchange succeeds.
    let plain = PendingAuthorization { nonce: None, scopes: vec!["offline".into()], ..pending() };
    finish(&c, &plain, &code, &response(200, j, missing[0]), 1_000_500).unwrap();
}

#[test]
fn stored_rows_never_become_requests() {
    use helpdesk_oauth::core::flow;
    use helpdesk_oauth::core::secret::Secret;
    // Rows built past `from_json` (or by an older version) are checked again where the account
    // becomes a host, and a pending record must be this client's.
    let c = client();
    let tokens = TokenSet {
        provider: "gorgias".into(),
        account: Some("evil.example/x?".into()),
        tenant: None,
        token_type: "Bearer".into(),
        access_token: Secret::new("at"),
        refresh_token: Some(Secret::new("rt")),
        id_token: None,
        scopes: vec![],
        expires_at: None,
        obtained_at: 0,
    };
    assert_eq!(flow::refresh_request(&c, &tokens).unwrap_err().code, InvalidAccount);
    assert_eq!(flow::revoke_request(&c, &tokens).unwrap_err().code, InvalidAccount);
    let other_provider = TokenSet { provider: "kustomer".into(), account: Some("acme".into()), ..tokens.clone() };
    assert_eq!(flow::refresh_request(&c, &other_provider).unwrap_err().code, InvalidConfig);
    let url = format!("?code=a&state={STATE}");
    let pendings: Vec<(PendingAuthorization, ErrorCode)> = vec![
        (PendingAuthorization { account: Some("evil.example/x?".into()), ..pending() }, InvalidAccount),
        (PendingAuthorization { account: None, ..pending() }, InvalidAccount),
        (PendingAuthorization { redirect_uri: "https://evil.example/cb".into(), ..pending() }, PendingInvalid),
        (PendingAuthorization { redirect_uri: "https://app.example.com/cb/".into(), ..pending() }, PendingInvalid),
        (PendingAuthorization { issuer: "https://evil.example".into(), ..pending() }, PendingInvalid),
        (PendingAuthorization { account: Some("other".into()), ..pending() }, PendingInvalid),
        (PendingAuthorization { provider: "kustomer".into(), ..pending() }, PendingInvalid),
    ];
    for (p, code) in &pendings {
        assert_eq!(flow::callback(&c, &url, p, 1_000_500).unwrap_err().code, *code, "{p:?}");
    }
    flow::callback(&c, &url, &pending(), 1_000_500).unwrap();
}

#[test]
fn hostile_cookie_secrets() {
    use helpdesk_oauth::core::cookie::check_cookie_secret;
    // Secrets that make every sealed cookie forgeable: too short, or next to no entropy.
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0; 31],
        vec![0; 32],
        vec![0xff; 64],
        vec![b'a'; 32],
        b"                                ".to_vec(),
        b"xyxyxyxyxyxyxyxyxyxyxyxyxyxyxyxy".to_vec(),
        b"secret12secret12secret12secret12".to_vec(),
        b"changeme-changeme-changeme-changeme".to_vec(),
        b"0123456789abcdef0123456789abcdef".to_vec(),
        b"0123456789012345678901234567890123456789".to_vec(),
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop".to_vec(),
        (0u8..=255).collect(),
        vec![1; 2000],
    ];
    for secret in &cases {
        assert_eq!(check_cookie_secret(secret).unwrap_err().code, InvalidConfig, "{:?}", String::from_utf8_lossy(secret));
    }
    check_cookie_secret(b"worker-test-cookie-secret-0123456789abcdef").unwrap();
    check_cookie_secret(b"kM3q_Xv9ZtR2bLw8YpN0aHs4JdFg6UcE1iOoTrWy5eQ").unwrap();
}

#[test]
fn hostile_refreshed_id_tokens() {
    use helpdesk_oauth::core::flow::refresh_response;
    use helpdesk_oauth::core::secret::Secret;
    // A refresh response must not swap in another user's or another app's identity.
    let c = client();
    let h = r#"{"alg":"RS256"}"#;
    let original = r#"{"iss":"https://acme.gorgias.com","aud":["client-123"],"sub":1,"iat":1700000000,"exp":1700003600,"nonce":"n"}"#;
    let previous = TokenSet {
        provider: "gorgias".into(),
        account: Some("acme".into()),
        tenant: None,
        token_type: "Bearer".into(),
        access_token: Secret::new("at"),
        refresh_token: Some(Secret::new("rt")),
        id_token: Some(Secret::new(jwt(h, original))),
        scopes: vec!["openid".into(), "offline".into()],
        expires_at: None,
        obtained_at: 0,
    };
    let now = 1_700_001_000_000;
    let fresh = r#""iss":"https://acme.gorgias.com","aud":["client-123"],"sub":1,"iat":1700001000,"exp":1700004600"#;
    let body =
        |claims: String| response(200, "application/json", &format!(r#"{{"access_token":"at2","token_type":"Bearer","id_token":"{}"}}"#, jwt(h, &claims)));
    refresh_response(&c, &previous, &body(format!("{{{fresh}}}")), now).unwrap();
    let cases: Vec<(String, ErrorCode)> = vec![
        (format!("{{{}}}", fresh.replace("\"sub\":1", "\"sub\":2")), IdTokenRefreshMismatch),
        (format!("{{{}}}", fresh.replace("\"sub\":1", "\"sub\":\"1\"")), IdTokenRefreshMismatch),
        (format!("{{{}}}", fresh.replace("[\"client-123\"]", "[\"client-123\",\"evil-app\"],\"azp\":\"client-123\"")), IdTokenRefreshMismatch),
        (format!("{{{fresh},\"azp\":\"client-123\"}}"), IdTokenRefreshMismatch),
        (format!("{{{fresh},\"nonce\":\"m\"}}"), IdTokenRefreshMismatch),
        (format!("{{{}}}", fresh.replace("1700001000", "1700000000")), IdTokenRefreshMismatch),
        (format!("{{{}}}", fresh.replace("https://acme.gorgias.com", "https://evil.gorgias.com")), IdTokenIssuerMismatch),
        (format!("{{{}}}", fresh.replace("[\"client-123\"]", "[\"evil-app\"]")), IdTokenAudienceMismatch),
        (format!("{{{}}}", fresh.replace("1700004600", "1700000900")), IdTokenExpired),
    ];
    for (claims, code) in &cases {
        assert_eq!(refresh_response(&c, &previous, &body(claims.clone()), now).unwrap_err().code, *code, "{claims}");
    }
    let none = format!("{}.{}.", base64url(br#"{"alg":"none"}"#), base64url(format!("{{{fresh}}}").as_bytes()));
    let r = response(200, "application/json", &format!(r#"{{"access_token":"at2","token_type":"Bearer","id_token":"{none}"}}"#));
    assert_eq!(refresh_response(&c, &previous, &r, now).unwrap_err().code, IdTokenAlgUnsupported);
}

#[test]
fn hostile_api_paths() {
    use helpdesk_oauth::core::api_url::api_url;
    // A bearer token goes only under the account's API base: no dot-segment climb (plain,
    // percent-encoded, mixed case, with `;`), no backslash or tab tricks the URL parser would
    // rewrite, no other origin, account or scheme.
    let c = client();
    let cases: &[&str] = &[
        "../../oauth/revoke",
        "../oauth/token",
        "/..",
        "/../",
        "./../oauth/revoke",
        "tickets/../../oauth/revoke",
        "%2e%2e/oauth/revoke",
        "%2E%2E/oauth/revoke",
        "%2e%2E/oauth/revoke",
        ".%2e/oauth/revoke",
        "%2E./oauth/revoke",
        "..;/oauth/revoke",
        "..;x=1/oauth",
        "%2e%2e;/oauth",
        "..%2foauth/revoke",
        "%2e%2e%2foauth",
        "..%5coauth",
        "..\\oauth\\revoke",
        "\\..\\oauth",
        "/.\t./oauth/revoke",
        "/..\r\n/oauth",
        "/. ./oauth",
        "/tickets%00",
        "https://evil.example/api/x",
        "https://acme.gorgias.com.evil.example/api/x",
        "https://evil.example#@acme.gorgias.com/api/",
        "https://acme.gorgias.com@evil.example/api/x",
        "https://other.gorgias.com/api/account",
        "https://acme.gorgias.com/oauth/revoke",
        "https://acme.gorgias.com/api/../oauth/revoke",
        "https://acme.gorgias.com/api/%2e%2e/oauth/revoke",
        "https://acme.gorgias.com/apix",
        "http://acme.gorgias.com/api/x",
        "ftp://acme.gorgias.com/api/x",
        "https://acme.gorgias.com",
    ];
    for path in cases {
        assert_eq!(api_url(&c.provider, path, Some("acme"), None).unwrap_err().code, InvalidApiPath, "{path:?}");
    }
    assert_eq!(api_url(&c.provider, "/account", Some("evil.example/x?"), None).unwrap_err().code, InvalidAccount);
    assert_eq!(api_url(&c.provider, "/tickets/../account", Some("acme"), None).unwrap(), "https://acme.gorgias.com/api/account");
}

fn preset_client(name: &str, scopes: &[&str]) -> ClientConfig {
    ClientConfig::from_options(ClientOptions {
        provider: ProviderChoice::Preset(name.into()),
        client_id: "client-123".into(),
        client_secret: Some("s3cr3t".into()),
        redirect_uri: "https://app.example.com/cb".into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        pending_ttl_seconds: None,
        clock_tolerance_seconds: None,
    })
    .unwrap()
}

fn stored(provider: &str, account: Option<&str>, tenant: Option<&str>) -> TokenSet {
    use helpdesk_oauth::core::secret::Secret;
    TokenSet {
        provider: provider.into(),
        account: account.map(str::to_string),
        tenant: tenant.map(str::to_string),
        token_type: "Bearer".into(),
        access_token: Secret::new("at"),
        refresh_token: Some(Secret::new("rt")),
        id_token: None,
        scopes: vec![],
        expires_at: None,
        obtained_at: 0,
    }
}

#[test]
fn hostile_zendesk_inputs() {
    use helpdesk_oauth::core::authorize::AuthorizeParams;
    use helpdesk_oauth::core::flow;
    use helpdesk_oauth::core::random::Randomness;
    let c = preset_client("zendesk", &["read"]);
    // The subdomain becomes the host the code, the refresh token and (for revocation) the access
    // token as bearer are sent to: anything but one label is refused before a request exists.
    for account in ["acme.zendesk.com", "evil.example/x?", "acme@evil.example", "", "a.b"] {
        let params = AuthorizeParams { account: Some(account.into()), ..Default::default() };
        let random = Randomness { state: "S".repeat(43), nonce: "N".repeat(43), code_verifier: "v".repeat(43) };
        assert_eq!(flow::start(&c, params, random, 0).unwrap_err().code, InvalidAccount, "{account:?}");
        let tokens = stored("zendesk", Some(account), None);
        assert_eq!(flow::refresh_request(&c, &tokens).unwrap_err().code, InvalidAccount, "{account:?}");
        assert_eq!(flow::revoke_request(&c, &tokens).unwrap_err().code, InvalidAccount, "{account:?}");
    }
    let no_account = stored("zendesk", None, None);
    assert_eq!(flow::revoke_request(&c, &no_account).unwrap_err().code, InvalidAccount);
}

#[test]
fn hostile_front_inputs() {
    use helpdesk_oauth::core::providers::preset;
    // `expires_at` is an absolute time: garbage is refused, the past is expired, the far future capped.
    let p = preset("front").unwrap();
    let ctx = ResponseContext { now_ms: 1_000_000, provider: &p, account: None, tenant: None, requested_scopes: &[], previous: None, secrets: &[] };
    let j = "application/json";
    for (expires_at, code) in
        [(r#""soon""#, ResponseInvalid), ("-1", ResponseInvalid), ("{}", ResponseInvalid), ("[1]", ResponseInvalid), (r#""0x10""#, ResponseInvalid)]
    {
        let body = format!(r#"{{"access_token":"a","refresh_token":"r","token_type":"Bearer","expires_at":{expires_at}}}"#);
        assert_eq!(parse_token_response(&response(200, j, &body), &ctx).unwrap_err().code, code, "{expires_at}");
    }
    for (expires_at, at) in [("1", Some(1_000)), ("1e300", Some(1_000_000 + 10 * 365 * 86_400_000)), ("null", None)] {
        let body = format!(r#"{{"access_token":"a","token_type":"Bearer","expires_at":{expires_at}}}"#);
        assert_eq!(parse_token_response(&response(200, j, &body), &ctx).unwrap().expires_at, at, "{expires_at}");
    }
    // Scopes cannot be asked of a provider that takes none.
    let c = preset_client("front", &[]);
    let params = helpdesk_oauth::core::authorize::AuthorizeParams { scopes: Some(vec!["shared_resources".into()]), ..Default::default() };
    let random = helpdesk_oauth::core::random::Randomness { state: "S".repeat(43), nonce: "N".repeat(43), code_verifier: "v".repeat(43) };
    assert_eq!(helpdesk_oauth::core::flow::start(&c, params, random, 0).unwrap_err().code, InvalidScope);
    assert_eq!(ClientConfig::from_options(ClientOptions { scopes: vec!["x".into()], ..options_for("front") }).unwrap_err().code, InvalidConfig);
}

fn options_for(name: &str) -> ClientOptions {
    ClientOptions {
        provider: ProviderChoice::Preset(name.into()),
        client_id: "client-123".into(),
        client_secret: Some("s3cr3t".into()),
        redirect_uri: "https://app.example.com/cb".into(),
        scopes: vec![],
        pending_ttl_seconds: None,
        clock_tolerance_seconds: None,
    }
}

#[test]
fn hostile_helpscout_inputs() {
    use helpdesk_oauth::core::providers::preset;
    // `invalid_request` means a dead grant only in a 400 from the token endpoint; anywhere else it
    // is no reason to forget the tokens.
    let p = preset("helpscout").unwrap();
    let ctx = ResponseContext { now_ms: 0, provider: &p, account: None, tenant: None, requested_scopes: &[], previous: None, secrets: &[] };
    let j = "application/json";
    let body = r#"{"error":"invalid_request","error_description":"Invalid refresh_token"}"#;
    for (status, code) in [(400, InvalidGrant), (200, ResponseInvalid), (401, HttpError), (429, HttpError), (500, ServerError), (503, TemporarilyUnavailable)] {
        assert_eq!(parse_token_response(&response(status, j, body), &ctx).unwrap_err().code, code, "{status}");
    }
    // The other RFC 6749 errors keep their own codes.
    assert_eq!(parse_token_response(&response(401, j, r#"{"error":"invalid_client"}"#), &ctx).unwrap_err().code, InvalidClient);
    assert_eq!(parse_token_response(&response(400, j, r#"{"error":"invalid_grant"}"#), &ctx).unwrap_err().code, InvalidGrant);
}

#[test]
fn hostile_zoho_inputs() {
    use helpdesk_oauth::core::flow;
    use helpdesk_oauth::core::random::Randomness;
    let c = preset_client("zoho", &["Desk.tickets.READ"]);
    let params = helpdesk_oauth::core::authorize::AuthorizeParams::default();
    let random = Randomness { state: STATE.into(), nonce: "N".repeat(43), code_verifier: "v".repeat(43) };
    let pending = flow::start(&c, params, random, 1_000_000).unwrap().pending;
    // The callback's accounts-server picks the host the code and the client secret are sent to:
    // only Zoho's documented data-centre hosts, exactly, before any request exists.
    let hostile = [
        "https://evil.example",
        "https://accounts.zoho.eu.evil.example",
        "https://accounts.zoho.eu@evil.example",
        "https://accounts.zoho.eu/",
        "https://accounts.zoho.eu/x",
        "https://accounts.zoho.eu:443",
        "https://ACCOUNTS.ZOHO.EU",
        "http://accounts.zoho.eu",
        "accounts.zoho.eu",
        "zoho.eu",
        "https://accounts.zoho.evil",
        "https://accounts.zohocloud.ca.evil.example",
        "https://accounts.zoho.com%2F@evil.example",
        "https://accounts.zoho.com\r\nHost: evil",
        "https://accounts.zoho.com\u{0}",
        " https://accounts.zoho.eu",
        "",
    ];
    for host in hostile {
        let url = format!("https://app.example.com/cb?code=c&state={STATE}&accounts-server={}", helpdesk_oauth::core::encoding::percent_encode(host));
        assert_eq!(flow::callback(&c, &url, &pending, 1_000_500).unwrap_err().code, InvalidTenant, "{host:?}");
    }
    for (host, tenant) in
        [("https://accounts.zoho.eu", "zoho.eu"), ("https://accounts.zohocloud.ca", "zohocloud.ca"), ("https://accounts.zoho.com.cn", "zoho.com.cn")]
    {
        let url =
            format!("https://app.example.com/cb?code=c&state={STATE}&location=x&accounts-server={}", helpdesk_oauth::core::encoding::percent_encode(host));
        let (code, request) = flow::callback(&c, &url, &pending, 1_000_500).unwrap();
        assert_eq!(code.tenant.as_deref(), Some(tenant));
        assert_eq!(request.url, format!("https://accounts.{tenant}/oauth/v2/token"));
    }
    // The tenant handed back with the code is checked again when the response is read.
    let forged = callback::AuthorizationCode { code: helpdesk_oauth::core::secret::Secret::new("c"), tenant: Some("evil.example".into()) };
    let body = response(200, "application/json", r#"{"access_token":"a","token_type":"Bearer"}"#);
    assert_eq!(flow::finish(&c, &pending, &forged, &body, 1_000_600).unwrap_err().code, InvalidTenant);
    // Stored token sets: a tenant not on the list never becomes a host.
    for tenant in ["evil.example", "zoho.eu.evil.example", "zoho.eu/", "a b", "zoho.eu\r\n"] {
        let tokens = stored("zoho", None, Some(tenant));
        assert_eq!(flow::refresh_request(&c, &tokens).unwrap_err().code, InvalidTenant, "{tenant:?}");
        assert_eq!(flow::revoke_request(&c, &tokens).unwrap_err().code, InvalidTenant, "{tenant:?}");
        assert_eq!(helpdesk_oauth::core::api_url::api_url(&c.provider, "/tickets", None, Some(tenant)).unwrap_err().code, InvalidTenant, "{tenant:?}");
        let json = stored("zoho", None, Some("zoho.eu")).to_json().replace("\"zoho.eu\"", &format!("{:?}", tenant));
        if let Ok(t) = TokenSet::from_json(&json) {
            assert_eq!(flow::refresh_request(&c, &t).unwrap_err().code, InvalidTenant, "{tenant:?}");
        }
    }
    assert_eq!(flow::refresh_request(&c, &stored("zoho", None, None)).unwrap_err().code, InvalidTenant);
    // Zoho's errors in 200 count only without an access token.
    let ctx = ResponseContext { now_ms: 0, provider: &c.provider, account: None, tenant: Some("zoho.eu"), requested_scopes: &[], previous: None, secrets: &[] };
    for (body, code) in [
        (r#"{"error":"invalid_code"}"#, InvalidGrant),
        (r#"{"error":"invalid_client"}"#, InvalidClient),
        (r#"{"error":"access_denied"}"#, AccessDenied),
        (r#"{"error":"state_mismatch"}"#, ProviderError),
        (r#"{"error":{"code":"x"}}"#, ResponseInvalid),
        (r#"{"access_token":"a","token_type":"Bearer","error":"invalid_code"}"#, ResponseInvalid),
    ] {
        assert_eq!(parse_token_response(&response(200, "application/json", body), &ctx).unwrap_err().code, code, "{body}");
    }
    // A scope with Zoho's separator in it.
    let params = helpdesk_oauth::core::authorize::AuthorizeParams { scopes: Some(vec!["Desk.tickets.READ,Desk.settings.ALL".into()]), ..Default::default() };
    let random = Randomness { state: STATE.into(), nonce: "N".repeat(43), code_verifier: "v".repeat(43) };
    assert_eq!(flow::start(&c, params, random, 0).unwrap_err().code, InvalidScope);
}

#[test]
fn hostile_hubspot_inputs() {
    use helpdesk_oauth::core::flow;
    let c = preset_client("hubspot", &["oauth"]);
    let j = "application/json";
    fn ctx<'a>(c: &'a ClientConfig, previous: Option<&'a TokenSet>) -> ResponseContext<'a> {
        ResponseContext { now_ms: 0, provider: &c.provider, account: None, tenant: None, requested_scopes: &[], previous, secrets: &[] }
    }
    // hub_id becomes the stored tenant: a plain name or number only.
    for hub_id in [r#""62/1""#, r#""a.b""#, r#""""#, r#""x y""#, r#""\r\n""#, "-1", "1.5", "1e300", "[1]", "{}", "true"] {
        let body = format!(r#"{{"access_token":"a","token_type":"bearer","hub_id":{hub_id}}}"#);
        let e = parse_token_response(&response(200, j, &body), &ctx(&c, None)).unwrap_err();
        assert!(matches!(e.code, InvalidTenant | ResponseInvalid), "{hub_id}: {:?}", e.code);
    }
    // At a refresh a token for another account is not stored over the grant.
    let previous = stored("hubspot", None, Some("62515"));
    let body = r#"{"access_token":"a","token_type":"bearer","hub_id":62516}"#;
    assert_eq!(parse_token_response(&response(200, j, body), &ctx(&c, Some(&previous))).unwrap_err().code, ResponseInvalid);
    // Error bodies: only a 400 with a known name is a dead grant; names are not trusted as ours.
    for (status, body, code) in [
        (400, r#"{"status":"BAD_REFRESH_TOKEN","message":"missing or invalid refresh token"}"#, InvalidGrant),
        (500, r#"{"status":"BAD_REFRESH_TOKEN"}"#, ServerError),
        (200, r#"{"status":"BAD_REFRESH_TOKEN"}"#, ResponseInvalid),
        (401, r#"{"status":"BAD_REFRESH_TOKEN"}"#, HttpError),
        (400, r#"{"status":"error","category":"VALIDATION_ERROR","message":"x"}"#, InvalidRequest),
        (400, r#"{"status":"state_mismatch"}"#, ProviderError),
        (400, r#"{"status":{"nested":1}}"#, HttpError),
    ] {
        assert_eq!(parse_token_response(&response(status, j, body), &ctx(&c, Some(&previous))).unwrap_err().code, code, "{status} {body}");
    }
    // The refresh of a hostile stored row goes nowhere unexpected: HubSpot's token URL is fixed.
    let row = stored("hubspot", Some("acme"), Some("62515"));
    assert_eq!(flow::refresh_request(&c, &row).unwrap().url, "https://api.hubapi.com/oauth/v3/token");
}

#[test]
fn hostile_intercom_inputs() {
    use helpdesk_oauth::core::flow;
    // The uninstall call carries the access token as a header: a stored one that could split the
    // header is refused when the row is read, before it can become a request.
    let c = preset_client("intercom", &[]);
    let good = stored("intercom", None, None);
    let r = flow::revoke_request(&c, &good).unwrap();
    assert_eq!(
        (r.method, r.url.as_str(), r.body.as_deref(), r.header("authorization")),
        ("POST", "https://api.intercom.io/auth/uninstall", None, Some("Bearer at"))
    );
    for bad in ["at\\r\\nX-Injected: 1", "at b", "at\\u0000", "ät"] {
        let json = good.to_json().replace("\"access_token\":\"at\"", &format!("\"access_token\":\"{bad}\""));
        assert_eq!(TokenSet::from_json(&json).unwrap_err().code, TokenSetInvalid, "{bad}");
    }
    // A token response without expiry is an unknown expiry, never a negative or zero one.
    let ctx = ResponseContext { now_ms: 5, provider: &c.provider, account: None, tenant: None, requested_scopes: &[], previous: None, secrets: &[] };
    let t = parse_token_response(&response(200, "application/json", r#"{"token":"x","access_token":"x","token_type":"Bearer"}"#), &ctx).unwrap();
    assert_eq!((t.expires_at, t.refresh_token.is_none()), (None, true));
    assert_eq!(flow::refresh_request(&c, &t).unwrap_err().code, NoRefreshToken);
}

#[test]
fn hostile_client_options() {
    use helpdesk_oauth::core::json;
    // What the OAuthClient constructor is given: refused when made, not at the first request.
    let cases: &[&str] = &[
        r#"{"provider":"gorgias","clientId":"c","redirectUri":"https://a/cb"}"#,
        r#"{"provider":"kustomer","clientId":"c","redirectUri":"https://a/cb"}"#,
        r#"{"provider":"gorgias","clientId":"c","clientSecret":null,"redirectUri":"https://a/cb"}"#,
        r#"{"provider":"gorgias","clientId":"c","clientSecret":"","redirectUri":"https://a/cb"}"#,
        r#"{"provider":{"preset":"gorgias","clientAuth":"client_secret_post"},"clientId":"c","redirectUri":"https://a/cb"}"#,
        r#"{"provider":{"id":"x","authorizeUrl":"https://x/a","tokenUrl":"https://x/t"},"clientId":"c","redirectUri":"https://a/cb"}"#,
    ];
    for text in cases {
        let options = ClientOptions::from_value(&json::parse(text).unwrap());
        let result = options.and_then(ClientConfig::from_options);
        assert_eq!(result.err().map(|e| e.code), Some(InvalidConfig), "{text}");
    }
    let public =
        r#"{"provider":{"id":"x","authorizeUrl":"https://x/a","tokenUrl":"https://x/t","clientAuth":"none"},"clientId":"c","redirectUri":"https://a/cb"}"#;
    ClientConfig::from_options(ClientOptions::from_value(&json::parse(public).unwrap()).unwrap()).unwrap();
}
