//! JSON objects as JOSE requires them (RFC 7515 §5.2, RFC 7517 §4): an object at the top, and no member
//! name twice (serde_json would silently keep the last, letting two parsers read two different headers).

use crate::error::{KmsError, Result};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

struct UniqueObject;

impl<'de> Visitor<'de> for UniqueObject {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> core::result::Result<Self::Value, A::Error> {
        let mut map = Map::new();
        while let Some(name) = access.next_key::<String>()? {
            if map.contains_key(&name) {
                return Err(de::Error::custom(format!("member \"{}\" appears twice", crate::spec::printable(&name))));
            }
            let value = access.next_value::<Value>()?;
            map.insert(name, value);
        }
        Ok(map)
    }
}

/// Parses `bytes` as one JSON object with unique member names; `what` names it in the ValidationException.
pub fn object(bytes: &[u8], what: &str) -> Result<Map<String, Value>> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let map = deserializer
        .deserialize_map(UniqueObject)
        .and_then(|map| deserializer.end().map(|()| map))
        .map_err(|e| KmsError::input(format!("{what} is not a JSON object with unique member names: {e}")))?;
    Ok(map)
}

/// An optional string member; any other JSON type is a ValidationException.
pub fn optional_string<'a>(map: &'a Map<String, Value>, name: &str, what: &str) -> Result<Option<&'a str>> {
    match map.get(name) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(KmsError::input(format!("{what} member \"{name}\" must be a string"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_and_non_objects_are_refused() {
        assert_eq!(object(br#"{"a":1,"b":{"a":2}}"#, "x").unwrap().len(), 2);
        for bad in [&br#"{"a":1,"a":2}"#[..], b"[1]", b"1", b"{} x", b"{"] {
            assert_eq!(object(bad, "x").unwrap_err().name(), "ValidationException");
        }
    }
}
