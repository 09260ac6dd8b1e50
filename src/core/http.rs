//! HTTP as plain values: the core describes requests and reads responses; the host sends them.

use serde::Serialize;
use std::fmt;

/// A request for the host to send: `headers` as name/value pairs, `body` form-encoded text.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// The parts of a response the core reads. The host caps `body` (see `MAX_BODY_BYTES`): the
/// decoded text, not what `Content-Length` declared. Read from the host as a `json::Value` (not a
/// serde derive: typed deserializers link serde's float formatting into the wasm, ~15 KB).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

/// Token responses are small; anything past this is refused unread.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

// Requests carry client secrets and codes, responses carry tokens: Debug shows only the shape.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &self.body.as_ref().map(|b| format!("[redacted; {} bytes]", b.len())))
            .finish()
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body", &format!("[redacted; {} bytes]", self.body.len()))
            .finish()
    }
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
