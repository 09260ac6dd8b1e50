//! A small, strict JSON reader and writer (RFC 8259).
//!
//! Why not serde_json: with serde's derives and float formatting it was about half of the wasm
//! (measured: ~125 KB gzipped for the whole module with it, see benches/README.md). The core only
//! needs a value tree of small documents (token responses, JWT claims, its own storage forms), so
//! this reader keeps numbers as their text, refuses duplicate keys (a second `nonce` or
//! `access_token` must not be able to shadow the first), and bounds nesting depth so hostile
//! input cannot exhaust the stack.

use std::fmt::Write as _;

pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's text, validated against the JSON grammar.
    Number(String),
    String(String),
    Array(Vec<Value>),
    /// Members in document order; keys are unique.
    Object(Vec<(String, Value)>),
}

/// Why a document was refused; deliberately without position or content, which could echo secrets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    Syntax,
    TooDeep,
    DuplicateKey,
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// A non-negative number, fraction cut off, saturating at `u64::MAX`. `None` for negative
    /// numbers and non-numbers. Works on the text, so no float parsing is linked in.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(text) => number_to_u64(text),
            _ => None,
        }
    }

    /// Writes compact JSON.
    pub fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => write_string(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

fn number_to_u64(text: &str) -> Option<u64> {
    if text.starts_with('-') {
        // -0 and -0.5 are not "non-negative" in any useful sense for lifetimes; refuse all.
        return None;
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().unwrap_or(if text[i + 1..].starts_with('-') { i32::MIN } else { i32::MAX })),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).map(|b| b - b'0').collect();
    // Shift the decimal point: the value is digits * 10^(exponent - frac_len).
    let shift = exponent as i64 - frac_part.len() as i64;
    if shift < 0 {
        let keep = digits.len() as i64 + shift;
        digits.truncate(keep.max(0) as usize);
    }
    let mut value: u64 = 0;
    for d in digits {
        value = value.saturating_mul(10).saturating_add(d as u64);
    }
    if shift > 0 && value != 0 {
        for _ in 0..shift.min(40) {
            value = value.saturating_mul(10);
        }
    }
    Some(value)
}

pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(JsonError::Syntax);
    }
    Ok(v)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), JsonError> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    fn literal(&mut self, word: &str, v: Value) -> Result<Value, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(JsonError::Syntax)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        match self.peek().ok_or(JsonError::Syntax)? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.string().map(Value::String),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(JsonError::Syntax),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(JsonError::Syntax);
            }
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                return Err(JsonError::DuplicateKey);
            }
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let v = self.value(depth + 1)?;
            members.push((key, v));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError::Syntax);
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(JsonError::Syntax);
            }
            self.digits();
        }
        // The slice is ASCII digits and signs, so it is valid UTF-8.
        Ok(Value::Number(String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let chunk = self.bytes.get(self.pos..self.pos + 4).ok_or(JsonError::Syntax)?;
        let mut v = 0u32;
        for &b in chunk {
            v = v * 16 + (b as char).to_digit(16).ok_or(JsonError::Syntax)?;
        }
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            // Copy the run of plain bytes up to the next quote, backslash or control character
            // in one go; byte-at-a-time pushing dominated parse time (benches/).
            let run = self.bytes[self.pos..].iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).ok_or(JsonError::Syntax)?;
            out.extend_from_slice(&self.bytes[self.pos..self.pos + run]);
            self.pos += run;
            let b = self.peek().ok_or(JsonError::Syntax)?;
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or(JsonError::Syntax)?;
                    self.pos += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                // A high surrogate must be followed by an escaped low surrogate.
                                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(JsonError::Syntax);
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(JsonError::Syntax);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(JsonError::Syntax)?
                        }
                        _ => return Err(JsonError::Syntax),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0x00..=0x1F => return Err(JsonError::Syntax),
                _ => out.push(b),
            }
        }
        // The input was a &str and escapes were encoded as UTF-8, so this cannot fail.
        String::from_utf8(out).map_err(|_| JsonError::Syntax)
    }
}

/// Reads the members of a JSON object into typed fields, refusing unknown members, so that a
/// misspelt option fails loudly instead of being ignored. Errors name fields, never values.
pub struct Fields<'a> {
    what: &'static str,
    code: super::error::ErrorCode,
    members: &'a [(String, Value)],
    used: Vec<bool>,
}

impl<'a> Fields<'a> {
    pub fn new(value: &'a Value, what: &'static str, code: super::error::ErrorCode) -> super::error::Result<Fields<'a>> {
        match value {
            Value::Object(members) => Ok(Fields { what, code, members, used: vec![false; members.len()] }),
            _ => Err(super::error::Error::new(code, format!("{what} must be an object"))),
        }
    }

    pub fn fail(&self, key: &str, expected: &str) -> super::error::Error {
        super::error::Error::new(self.code, format!("{}: `{key}` must be {expected}", self.what))
    }

    /// The raw member; `null` is returned as `Some(Null)`.
    pub fn raw(&mut self, key: &str) -> Option<&'a Value> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        self.used[i] = true;
        Some(&self.members[i].1)
    }

    /// The member, with `null` read as absent.
    fn present(&mut self, key: &str) -> Option<&'a Value> {
        self.raw(key).filter(|v| **v != Value::Null)
    }

    pub fn string(&mut self, key: &str) -> super::error::Result<Option<String>> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.fail(key, "a string")),
        }
    }

    pub fn required_string(&mut self, key: &str) -> super::error::Result<String> {
        self.string(key)?.ok_or_else(|| self.fail(key, "given (a string)"))
    }

    pub fn bool(&mut self, key: &str) -> super::error::Result<Option<bool>> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.fail(key, "true or false")),
        }
    }

    pub fn u64(&mut self, key: &str) -> super::error::Result<Option<u64>> {
        match self.present(key) {
            None => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| self.fail(key, "a non-negative number")),
        }
    }

    pub fn strings(&mut self, key: &str) -> super::error::Result<Option<Vec<String>>> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| self.fail(key, "a list of strings")),
            Some(_) => Err(self.fail(key, "a list of strings")),
        }
    }

    /// Fails on any member not read.
    pub fn finish(self) -> super::error::Result<()> {
        match self.used.iter().position(|u| !u) {
            None => Ok(()),
            Some(i) => {
                let key: String = self.members[i].0.chars().filter(|c| !c.is_control()).take(40).collect();
                Err(super::error::Error::new(self.code, format!("{}: unknown field `{key}`", self.what)))
            }
        }
    }
}

/// Builds a JSON object member by member, skipping absent optional values.
#[derive(Default)]
pub struct ObjectWriter {
    out: String,
}

impl ObjectWriter {
    pub fn new() -> ObjectWriter {
        ObjectWriter { out: String::from("{") }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        write_string(&mut self.out, key);
        self.out.push(':');
    }

    pub fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        write_string(&mut self.out, value);
        self
    }

    pub fn opt_string(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.string(key, v),
            None => self,
        }
    }

    pub fn u64(mut self, key: &str, value: u64) -> Self {
        self.key(key);
        let _ = write!(self.out, "{value}");
        self
    }

    pub fn opt_u64(self, key: &str, value: Option<u64>) -> Self {
        match value {
            Some(v) => self.u64(key, v),
            None => self,
        }
    }

    pub fn bool(mut self, key: &str, value: bool) -> Self {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
        self
    }

    pub fn strings(mut self, key: &str, values: &[String]) -> Self {
        self.key(key);
        self.out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            write_string(&mut self.out, v);
        }
        self.out.push(']');
        self
    }

    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents() {
        let v = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}} "#).unwrap();
        assert_eq!(v.get("b").unwrap().as_str().unwrap(), "x\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}");
        assert_eq!(v.get("a").unwrap(), &Value::Array(vec![Value::Number("1".into()), Value::Number("-2.5e3".into()), Value::Bool(true), Value::Bool(false), Value::Null]));
        assert!(v.get("c").unwrap().is_object());
    }

    #[test]
    fn refuses_bad_documents() {
        let bad = [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "'a'", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"\\x\"", "\"\\u12\"",
            "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"a\u{1}\"", "[1] [2]", "{\"a\":1}x", "NaN", "Infinity", "\u{feff}{}",
        ];
        for text in bad {
            assert_eq!(parse(text), Err(JsonError::Syntax), "{text:?}");
        }
        assert_eq!(parse(r#"{"a":1,"a":2}"#), Err(JsonError::DuplicateKey));
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(&deep), Err(JsonError::TooDeep));
        let deep_ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        parse(&deep_ok).unwrap();
        assert_eq!(parse(&"[".repeat(1_000_000)), Err(JsonError::TooDeep));
    }

    #[test]
    fn numbers_as_u64() {
        let n = |s: &str| Value::Number(s.into()).as_u64();
        assert_eq!(n("86400"), Some(86400));
        assert_eq!(n("3600.9"), Some(3600));
        assert_eq!(n("0.5"), Some(0));
        assert_eq!(n("1e3"), Some(1000));
        assert_eq!(n("1.5E1"), Some(15));
        assert_eq!(n("15e-1"), Some(1));
        assert_eq!(n("1e-999999999999"), Some(0));
        assert_eq!(n("1e300"), Some(u64::MAX));
        assert_eq!(n("99999999999999999999999"), Some(u64::MAX));
        assert_eq!(n("-1"), None);
        assert_eq!(Value::String("1".into()).as_u64(), None);
    }

    #[test]
    fn writes_round_trip() {
        let text = r#"{"a":[1,"x\"\n\u0001é",null,true],"b":{}}"#;
        assert_eq!(parse(text).unwrap().to_json(), text);
        let w = ObjectWriter::new().string("s", "a\"b").opt_string("n", None).u64("u", 5).bool("t", true).strings("l", &["x".into()]).finish();
        assert_eq!(w, r#"{"s":"a\"b","u":5,"t":true,"l":["x"]}"#);
    }

    #[test]
    fn fields_refuse_unknown_and_mistyped() {
        use crate::core::error::ErrorCode;
        let v = parse(r#"{"a":"x","b":true,"c":["y"],"d":null,"e":1}"#).unwrap();
        let mut f = Fields::new(&v, "opts", ErrorCode::InvalidConfig).unwrap();
        assert_eq!(f.string("a").unwrap().as_deref(), Some("x"));
        assert_eq!(f.bool("b").unwrap(), Some(true));
        assert_eq!(f.strings("c").unwrap(), Some(vec!["y".to_string()]));
        assert_eq!(f.string("d").unwrap(), None);
        let e = f.finish().unwrap_err();
        assert!(e.message.contains("unknown field `e`"), "{}", e.message);
        let mut f = Fields::new(&v, "opts", ErrorCode::InvalidConfig).unwrap();
        assert!(f.string("b").unwrap_err().message.contains("`b` must be a string"));
    }
}
