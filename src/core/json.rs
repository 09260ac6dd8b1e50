//! The JSON value tree the core reads: token responses, id_token claims, JWK sets, the options
//! and stored records that come in from the host.
//!
//! JSON *text* is the host's job: in wasm, `JSON.parse` (through `js_sys::JSON`) and
//! serde-wasm-bindgen build this tree; natively (tests, fuzzing), serde_json does. So there is no
//! JSON reader or writer of our own. What the core still decides itself, in the one `Deserialize`
//! implementation below: nesting depth is bounded (a hostile 1 MiB `[[[[...` must not exhaust
//! the wasm stack while the tree is built), and a document with a repeated member name is
//! refused where the parser shows repeats to us (serde_json). `JSON.parse` keeps the last member
//! instead, as ECMAScript specifies; SECURITY.md states that trade.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::cell::Cell;
use std::fmt;

pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// JSON numbers as the host reads them (IEEE doubles, like `JSON.parse`).
    Number(f64),
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
    /// numbers (including -0.5), non-finite values and non-numbers.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => number_to_u64(*n),
            _ => None,
        }
    }

    /// The number as milliseconds-precise seconds (`exp`, `iat`, `nbf`): `None` for non-numbers.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) if n.is_finite() => Some(*n),
            _ => None,
        }
    }
}

pub fn number_to_u64(n: f64) -> Option<u64> {
    // `as` saturates at u64::MAX; NaN and negatives are refused before it.
    (n.is_finite() && n >= 0.0 && n.is_sign_positive()).then_some(n as u64)
}

/// Parses JSON text with the host's parser (see the module comment).
pub fn parse(text: &str) -> Result<Value, JsonError> {
    reset_flags();
    let parsed = host_parse(text);
    match last_error() {
        Some(e) => Err(e),
        None => parsed.ok_or(JsonError::Syntax),
    }
}

/// Clears what the last tree build recorded; the boundary calls it before building a tree
/// from a JS value, then `last_error` says why a build failed.
pub fn reset_flags() {
    DEPTH.with(|d| d.set(0));
    DEPTH_EXCEEDED.with(|d| d.set(false));
    DUPLICATE.with(|d| d.set(false));
}

pub fn last_error() -> Option<JsonError> {
    if DEPTH_EXCEEDED.with(Cell::get) {
        Some(JsonError::TooDeep)
    } else if DUPLICATE.with(Cell::get) {
        Some(JsonError::DuplicateKey)
    } else {
        None
    }
}

#[cfg(target_arch = "wasm32")]
fn host_parse(text: &str) -> Option<Value> {
    crate::wasm::convert::parse_json_text(text)
}

#[cfg(not(target_arch = "wasm32"))]
fn host_parse(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

thread_local! {
    /// Nesting depth of the tree being built, and whether a build went past `MAX_DEPTH` or met a
    /// repeated member: the deserializer's own error text is never looked at (it could quote input).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    static DEPTH_EXCEEDED: Cell<bool> = const { Cell::new(false) };
    static DUPLICATE: Cell<bool> = const { Cell::new(false) };
}

/// Counts one level of nesting for as long as it lives.
struct Level;

impl Level {
    fn enter<E: de::Error>() -> Result<Level, E> {
        let depth = DEPTH.with(|d| d.get()) + 1;
        if depth > MAX_DEPTH {
            DEPTH_EXCEEDED.with(|d| d.set(true));
            return Err(E::custom("nested too deep"));
        }
        DEPTH.with(|d| d.set(depth));
        Ok(Level)
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _level = Level::enter()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let _level = Level::enter()?;
        let mut members: Vec<(String, Value)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            members.push((key, value));
        }
        check_unique(&members)?;
        Ok(Value::Object(members))
    }
}

/// Refuses an object with a repeated member name. Sorted, not pairwise: a hostile object with
/// 100k members must stay cheap to check. In wasm the tree comes from JS objects, whose keys are
/// unique by construction (`JSON.parse` keeps the last repeat), so there is nothing to check.
#[cfg(not(target_arch = "wasm32"))]
fn check_unique<E: de::Error>(members: &[(String, Value)]) -> Result<(), E> {
    let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        DUPLICATE.with(|d| d.set(true));
        return Err(E::custom("repeated member"));
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
fn check_unique<E: de::Error>(_: &[(String, Value)]) -> Result<(), E> {
    Ok(())
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            // Whole numbers go out as integers so that serde_json writes `5`, not `5.0`.
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => s.serialize_i64(*n as i64),
            Value::Number(n) => s.serialize_f64(*n),
            Value::String(v) => s.serialize_str(v),
            Value::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Builds an object member by member, skipping absent optional values (outputs of the core:
/// provider info, stored records).
#[derive(Default)]
pub struct ObjectBuilder {
    members: Vec<(String, Value)>,
}

impl ObjectBuilder {
    pub fn new() -> ObjectBuilder {
        ObjectBuilder { members: Vec::new() }
    }

    pub fn value(mut self, key: &str, value: Value) -> Self {
        self.members.push((key.to_string(), value));
        self
    }

    pub fn string(self, key: &str, value: &str) -> Self {
        self.value(key, Value::String(value.to_string()))
    }

    pub fn opt_string(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.string(key, v),
            None => self,
        }
    }

    pub fn u64(self, key: &str, value: u64) -> Self {
        self.value(key, Value::Number(value as f64))
    }

    pub fn opt_u64(self, key: &str, value: Option<u64>) -> Self {
        match value {
            Some(v) => self.u64(key, v),
            None => self,
        }
    }

    pub fn bool(self, key: &str, value: bool) -> Self {
        self.value(key, Value::Bool(value))
    }

    pub fn strings(self, key: &str, values: &[String]) -> Self {
        self.value(key, Value::Array(values.iter().map(|v| Value::String(v.clone())).collect()))
    }

    pub fn finish(self) -> Value {
        Value::Object(self.members)
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
            Some(Value::Array(items)) => {
                items.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>().map(Some).ok_or_else(|| self.fail(key, "a list of strings"))
            }
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

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn parses_documents() {
        let v = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}} "#).unwrap();
        assert_eq!(v.get("b").unwrap().as_str().unwrap(), "x\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1F600}");
        assert_eq!(v.get("a").unwrap(), &Value::Array(vec![Value::Number(1.0), Value::Number(-2500.0), Value::Bool(true), Value::Bool(false), Value::Null]));
        assert!(v.get("c").unwrap().is_object());
    }

    #[test]
    fn refuses_bad_documents() {
        let bad = [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "'a'",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\u{1}\"",
            "[1] [2]",
            "{\"a\":1}x",
            "NaN",
            "Infinity",
        ];
        for text in bad {
            assert_eq!(parse(text), Err(JsonError::Syntax), "{text:?}");
        }
        assert_eq!(parse(r#"{"a":1,"a":2}"#), Err(JsonError::DuplicateKey));
        assert_eq!(parse(r#"{"x":[{"b":1,"a":0,"b":2}]}"#), Err(JsonError::DuplicateKey));
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(&deep), Err(JsonError::TooDeep));
        let deep_ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        parse(&deep_ok).unwrap();
        // The depth counter is back at zero after a refused document.
        parse(&deep_ok).unwrap();
        assert_eq!(parse(&"[".repeat(1_000_000)), Err(JsonError::TooDeep));
    }

    #[test]
    fn many_members_are_checked_for_repeats_quickly() {
        let members: Vec<String> = (0..100_000).map(|i| format!("\"k{i}\":{i}")).collect();
        let v = parse(&format!("{{{}}}", members.join(","))).unwrap();
        assert_eq!(v.get("k99999").and_then(Value::as_u64), Some(99_999));
    }

    #[test]
    fn numbers_as_u64() {
        let n = |v: f64| Value::Number(v).as_u64();
        assert_eq!(n(86400.0), Some(86400));
        assert_eq!(n(3600.9), Some(3600));
        assert_eq!(n(0.5), Some(0));
        assert_eq!(n(1e300), Some(u64::MAX));
        assert_eq!(n(-1.0), None);
        assert_eq!(n(-0.0), None);
        assert_eq!(n(f64::NAN), None);
        assert_eq!(Value::String("1".into()).as_u64(), None);
    }

    #[test]
    fn serializes_round_trip() {
        let text = r#"{"a":[1,"x\"\n\u0001é",null,true,2.5],"b":{}}"#;
        assert_eq!(serde_json::to_string(&parse(text).unwrap()).unwrap(), text);
        let w = ObjectBuilder::new().string("s", "a\"b").opt_string("n", None).u64("u", 5).bool("t", true).strings("l", &["x".into()]).finish();
        assert_eq!(serde_json::to_string(&w).unwrap(), r#"{"s":"a\"b","u":5,"t":true,"l":["x"]}"#);
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
