//! A serde `Deserializer` over a JS value, for the values that come into the core (options,
//! stored records, responses). serde-wasm-bindgen's own deserializer would do, but its type-error
//! path formats floats (serde's `Unexpected::Float`), which links ~15 KB of float printing into
//! the module (twiggy); the core reads every value through `json::Value`'s `deserialize_any`,
//! so this walker needs only that one method and an error type that never formats.

use js_sys::{Array, Object, Reflect};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// Why a value could not be read. Deliberately without text: the core maps it to its own code.
#[derive(Debug)]
pub struct FromJsError;

impl fmt::Display for FromJsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not plain data")
    }
}

impl std::error::Error for FromJsError {}

// Every provided method is overridden so that none builds a message (format_args! with serde's
// `Unexpected` would link its float formatting).
impl de::Error for FromJsError {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        FromJsError
    }
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        FromJsError
    }
    fn invalid_value(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        FromJsError
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        FromJsError
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        FromJsError
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        FromJsError
    }
    fn missing_field(_: &'static str) -> Self {
        FromJsError
    }
    fn duplicate_field(_: &'static str) -> Self {
        FromJsError
    }
}

pub struct JsDeserializer(pub JsValue);

impl<'de> Deserializer<'de> for JsDeserializer {
    type Error = FromJsError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FromJsError> {
        let v = self.0;
        // Strings first: records are mostly strings, and each test is a call into JS.
        if let Some(s) = v.as_string() {
            visitor.visit_string(s)
        } else if let Some(n) = v.as_f64() {
            visitor.visit_f64(n)
        } else if v.is_undefined() || v.is_null() {
            visitor.visit_unit()
        } else if let Some(b) = v.as_bool() {
            visitor.visit_bool(b)
        } else if Array::is_array(&v) {
            let items: Array = v.unchecked_into();
            visitor.visit_seq(Items { items, next: 0 })
        } else if v.is_object() && !v.is_function() {
            // Own enumerable string keys, as JSON.stringify and Object.entries see them.
            let keys = Object::keys(v.unchecked_ref::<Object>());
            visitor.visit_map(Members { object: v, keys, next: 0, value: None })
        } else {
            // Functions, symbols, bigints: not data.
            Err(FromJsError)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Items {
    items: Array,
    next: u32,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = FromJsError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, FromJsError> {
        if self.next >= self.items.length() {
            return Ok(None);
        }
        let item = self.items.get(self.next);
        self.next += 1;
        seed.deserialize(JsDeserializer(item)).map(Some)
    }
}

struct Members {
    object: JsValue,
    keys: Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> MapAccess<'de> for Members {
    type Error = FromJsError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, FromJsError> {
        if self.next >= self.keys.length() {
            return Ok(None);
        }
        let key = self.keys.get(self.next);
        self.next += 1;
        // A getter that throws is not plain data either.
        self.value = Some(Reflect::get(&self.object, &key).map_err(|_| FromJsError)?);
        seed.deserialize(JsDeserializer(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, FromJsError> {
        seed.deserialize(JsDeserializer(self.value.take().unwrap_or(JsValue::UNDEFINED)))
    }
}
