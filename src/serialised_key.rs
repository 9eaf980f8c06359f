//! A GetPublicKey `PublicKey` as a serialised SDK response holds it once read back: base64 or PEM text, an array
//! of byte values, `{"type":"Buffer","data":[...]}` (JSON.stringify of a Node Buffer) or `{"0":48,"1":130,...}`
//! (JSON.stringify of a Uint8Array). The one statement of these rules, for serde_json values (src/json.rs) and for
//! JS values (src/js/read.rs): each says how to read its own values, the rules here say what they must be.

use crate::error::{KmsError, Rule};
use crate::spec::limits::MAX_PUBLIC_KEY;

/// The most members a `{"0":48,...}` object may have: a KMS public key is at most [`MAX_PUBLIC_KEY`] bytes, and
/// an object of many more is refused before its members are read.
pub const MAX_INDEXED_MEMBERS: usize = 2 * MAX_PUBLIC_KEY;

/// A value of a parsed JSON document, as far as the PublicKey rules read it.
pub trait SerialisedValue: Sized {
    type Error;

    /// The error a refusal of these rules becomes.
    fn refusal(error: KmsError) -> Self::Error;

    /// Text, bytes or an array of byte values, read as they are (with the reader's own errors for what is none
    /// of those and no object either); `None` for an object, whose members the rules then read.
    fn plain_bytes(&self) -> Result<Option<Vec<u8>>, Self::Error>;

    /// The member `name`, `None` when absent (or null).
    fn member(&self, name: &str) -> Result<Option<Self>, Self::Error>;

    /// The member named by the decimal `index` (`"0"`, `"1"`...), `None` when absent (or null).
    fn indexed_member(&self, index: usize) -> Result<Option<Self>, Self::Error>;

    /// How many members the object has.
    fn member_count(&self) -> Result<usize, Self::Error>;

    /// The value as text, if it is text.
    fn text(&self) -> Option<String>;

    /// The value as a number, if it is one.
    fn number(&self) -> Option<f64>;
}

/// The DER, PEM or base64 bytes a serialised `PublicKey` stands for.
pub fn public_key_bytes<V: SerialisedValue>(value: &V) -> Result<Vec<u8>, V::Error> {
    if let Some(bytes) = value.plain_bytes()? {
        return Ok(bytes);
    }
    if value.member("type")?.and_then(|t| t.text()).as_deref() == Some("Buffer") {
        let data = value.member("data")?.ok_or_else(|| {
            V::refusal(shape(
                "PublicKey as a serialised Buffer needs its data array".into(),
            ))
        })?;
        return data.plain_bytes()?.ok_or_else(|| V::refusal(not_bytes()));
    }
    // `{"0":48,...}`: every index from 0 to length-1, exactly those members.
    let count = value.member_count()?;
    if count > MAX_INDEXED_MEMBERS {
        return Err(V::refusal(KmsError::input(format!(
            "PublicKey object has {count} members: a KMS public key is at most {MAX_INDEXED_MEMBERS} bytes"
        ))));
    }
    (0..count)
        .map(|index| {
            let item = value.indexed_member(index)?.ok_or_else(|| {
                V::refusal(shape(format!(
                    "PublicKey object is missing index {index}: expected a serialised byte array"
                )))
            })?;
            byte(item.number()).ok_or_else(|| V::refusal(not_bytes()))
        })
        .collect()
}

/// A byte value: a whole number 0 to 255.
pub fn byte(number: Option<f64>) -> Option<u8> {
    number
        .filter(|n| n.fract() == 0.0 && (0.0..=255.0).contains(n))
        .map(|n| n as u8)
}

/// A PublicKey that is no text and holds something other than byte values.
pub fn not_bytes() -> KmsError {
    shape("PublicKey must be base64 text, PEM text, or bytes (an array of 0-255 numbers as a serialised SDK response holds)".into())
}

fn shape(message: String) -> KmsError {
    KmsError::input(message).rule_code(Rule::JsonShape)
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: serde_json::Value) -> Result<Vec<u8>, String> {
        public_key_bytes(&value).map_err(|e| e.message().to_owned())
    }

    #[test]
    fn every_serialised_form_of_bytes_reads_as_those_bytes() {
        assert_eq!(read(json!("MAA=")), Ok(b"MAA=".to_vec()));
        assert_eq!(read(json!([48, 0])), Ok(vec![48, 0]));
        assert_eq!(
            read(json!({"type": "Buffer", "data": [48, 0]})),
            Ok(vec![48, 0])
        );
        assert_eq!(read(json!({"0": 48, "1": 0})), Ok(vec![48, 0]));
    }

    #[test]
    fn anything_else_is_refused_saying_what_is_wrong() {
        assert!(
            read(json!({"0": 48, "1": 256}))
                .unwrap_err()
                .contains("0-255 numbers")
        );
        assert!(
            read(json!({"0": 48, "1": 1.5}))
                .unwrap_err()
                .contains("0-255 numbers")
        );
        assert!(
            read(json!({"0": 48, "2": 0}))
                .unwrap_err()
                .contains("missing index 1")
        );
        assert!(
            read(json!({"type": "Buffer"}))
                .unwrap_err()
                .contains("needs its data array")
        );
        assert!(
            read(json!({"type": "Buffer", "data": {"0": 48}}))
                .unwrap_err()
                .contains("0-255 numbers")
        );
        assert!(read(json!(5)).unwrap_err().contains("0-255 numbers"));
        let many: serde_json::Map<String, serde_json::Value> = (0..=MAX_INDEXED_MEMBERS)
            .map(|i| (i.to_string(), json!(1)))
            .collect();
        assert!(
            read(serde_json::Value::Object(many))
                .unwrap_err()
                .contains("16385 members")
        );
    }
}
