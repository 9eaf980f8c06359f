//! Reading the caller's JS values: members, text, bytes, lists, JSON, dates.
//!
//! Everything a caller hands us may be a Proxy, an object with throwing getters, a revoked Proxy or a
//! detached buffer. A JS exception thrown inside an import that wasm-bindgen did not declare `catch`
//! unwinds straight through the wasm frames: the shadow stack pointer is never restored and `RefCell`
//! borrows stay taken, and a few hundred of those kill the module. So every read of a caller's value goes
//! through this module, and every JS operation here that can run user code or throw is a `catch` import:
//! the exception comes back as an `Err`, becomes a ValidationException (with the original as `cause`),
//! and the wasm frames return normally. What stays unchecked is only what cannot throw (`typeof` tests,
//! `instanceof` shims that wasm-bindgen wraps in try/catch, reads of arrays and typed arrays we made).

use super::{JsResult, interned, to_js_error};
use crate::encoding::{StringRule, TextEncoding, bytes_of_string};
use crate::error::{KmsError, Rule};
use crate::serialised_key::{self, SerialisedValue};
use js_sys::{Array, JsString, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The longest text copied into wasm (UTF-16 code units): above every limit of the core (a JWS is at
/// most 1 MiB), so that a huge string is refused before it grows the wasm memory, which never shrinks.
pub(super) const MAX_TEXT: u32 = 4 << 20;
/// The longest byte array accepted as a request member (the core's own limits are far lower) and the
/// longest array of numbers accepted anywhere. Streamed chunks (`update`, `keccak256`) have no limit.
pub(super) const MAX_MEMBER_BYTES: u32 = 4 << 20;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    fn array_from(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub(super) fn object_keys(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
    /// The Uint8Array constructor, for a fresh view (of an ArrayBuffer, or of the caller's Uint8Array's
    /// buffer) that no Proxy or getter stands between us and.
    #[wasm_bindgen(js_name = Uint8Array)]
    type FreshBytes;
    #[wasm_bindgen(catch, constructor, js_class = "Uint8Array")]
    fn new(value: &JsValue) -> Result<FreshBytes, JsValue>;
    #[wasm_bindgen(catch, constructor, js_class = "Uint8Array")]
    fn new_view(buffer: &JsValue, byte_offset: &JsValue, byte_length: &JsValue) -> Result<FreshBytes, JsValue>;
    /// A Date, or a Proxy or subclass that passes `instanceof Date` (whose getTime may throw).
    #[wasm_bindgen(js_name = Date)]
    type DateLike;
    #[wasm_bindgen(catch, method, js_class = "Date", js_name = getTime)]
    fn get_time(this: &DateLike) -> Result<f64, JsValue>;
}

/// A fresh Uint8Array over the same bytes as `value` (a Uint8Array or an ArrayBuffer), without copying them:
/// a huge chunk is copied once, into wasm, and leaves no garbage copy behind. Whatever the caller's object
/// claims (`buffer`, `byteOffset`, `byteLength` may be getters or own properties), the view is genuine and
/// consistent: the constructor refuses anything out of range, and every step is a `catch` call.
pub(super) fn fresh_uint8array(value: &JsValue) -> Result<Uint8Array, JsValue> {
    let view = if value.is_instance_of::<Uint8Array>() {
        let member = |name: &'static str| Reflect::get(value, &interned(name));
        FreshBytes::new_view(&member("buffer")?, &member("byteOffset")?, &member("byteLength")?)?
    } else {
        FreshBytes::new(value)?
    };
    Ok(view.unchecked_into())
}

/// A ValidationException for a value that threw while being read; the exception becomes its `cause`.
pub(super) fn unreadable(what: &str, thrown: JsValue) -> JsValue {
    let error = to_js_error(KmsError::input(format!("{what} could not be read: reading it threw an exception (see cause)")));
    let _ = Reflect::set(&error, &"cause".into(), &thrown);
    error
}

/// A ValidationException for a JS value that is not of the shape expected (a local input error).
pub(super) fn validation(message: String) -> JsValue {
    to_js_error(KmsError::input(message))
}

/// A local input error for JSON (or its serialised bytes) that is not GetPublicKey output.
fn json_shape(message: String) -> JsValue {
    to_js_error(KmsError::input(message).rule_code(Rule::JsonShape))
}

/// A ValidationException for a request member KMS requires (KMS refuses its absence the same way).
pub(super) fn required(name: &str) -> JsValue {
    to_js_error(KmsError::validation(format!("{name} is required")).rule_code(Rule::MissingMember).param("member", name))
}

/// `object[name]`, `None` for undefined or null. `object` must be an object (checked by the caller).
pub(super) fn member(object: &JsValue, name: &'static str) -> JsResult<Option<JsValue>> {
    Ok(present(Reflect::get(object, &interned(name)).map_err(|e| unreadable(name, e))?))
}

/// `value`, or `None` for undefined and null (`== null`, which `document.all` passes too): one crossing, where
/// `is_undefined` and `is_null` took two, for each member a key load or a request reads (bench/NOTES.md §26).
fn present(value: JsValue) -> Option<JsValue> {
    Some(value).filter(|v| !v.is_null_or_undefined())
}

/// The text of a JS string, refused above [`MAX_TEXT`] before it is copied; `None` for a non-string.
pub(super) fn text(value: &JsValue, what: &str) -> JsResult<Option<String>> {
    let Some(string) = value.dyn_ref::<JsString>() else { return Ok(None) };
    let length = string.length();
    if length > MAX_TEXT {
        return Err(validation(format!("{what} is {length} characters long: over the {MAX_TEXT} any kms-offline text input may be")));
    }
    Ok(value.as_string())
}

/// A required string argument.
pub(super) fn string_arg(value: &JsValue, what: &str) -> JsResult<String> {
    text(value, what)?.ok_or_else(|| validation(format!("{what} must be a string")))
}

pub(super) fn string_member(object: &JsValue, name: &'static str) -> JsResult<Option<String>> {
    match member(object, name)? {
        None => Ok(None),
        Some(value) => string_arg(&value, name).map(Some),
    }
}

/// A genuine array's items (an `Array.from` copy), refused above `max` items before copying.
pub(super) fn array_items(value: &JsValue, what: &str, max: u32) -> JsResult<Option<Array>> {
    if !is_array(value).map_err(|e| unreadable(what, e))? {
        return Ok(None);
    }
    // An array length is a whole number below 2^32 (formatted as an integer: no float formatting in the build).
    let length = Reflect::get(value, &interned("length")).map_err(|e| unreadable(what, e))?.as_f64().unwrap_or(0.0) as u64;
    if length > u64::from(max) {
        return Err(validation(format!("{what} has {length} items: over the {max} accepted")));
    }
    array_from(value).map(Some).map_err(|e| unreadable(what, e))
}

/// An array of strings; with `single`, one string alone is accepted as a list of one.
pub(super) fn string_list_member(object: &JsValue, name: &'static str, single: bool) -> JsResult<Option<Vec<String>>> {
    let Some(value) = member(object, name)? else { return Ok(None) };
    let shape = if single { "a string or an array of strings" } else { "an array of strings" };
    if single && value.is_string() {
        return string_arg(&value, name).map(|one| Some(vec![one]));
    }
    let items = array_items(&value, name, 1024)?.ok_or_else(|| validation(format!("{name} must be {shape}")))?;
    items
        .iter()
        .map(|item| text(&item, name)?.ok_or_else(|| validation(format!("{name} must be {shape}"))))
        .collect::<JsResult<Vec<_>>>()
        .map(Some)
}

/// A Uint8Array or ArrayBuffer (at most `max` bytes) as a genuine view of the caller's bytes, still outside wasm
/// (`fresh_uint8array`: not a copy; never write to it). `None` for any other value.
pub(super) fn fresh_bytes(value: &JsValue, what: &str, max: Option<u32>) -> JsResult<Option<Uint8Array>> {
    if !(value.is_instance_of::<Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>()) {
        return Ok(None);
    }
    let fresh = fresh_uint8array(value).map_err(|e| unreadable(what, e))?;
    if let Some(max) = max.filter(|max| fresh.length() > *max) {
        return Err(validation(format!("{what} is {} bytes: over the {max} accepted", fresh.length())));
    }
    Ok(Some(fresh))
}

/// Bytes of a Uint8Array (Node Buffer included), ArrayBuffer or array of numbers 0-255, copied into
/// wasm; `None` for any other value. Arrays and typed arrays over `max` are refused before copying.
pub(super) fn bytes(value: &JsValue, what: &str, max: Option<u32>) -> JsResult<Option<Vec<u8>>> {
    if let Some(fresh) = fresh_bytes(value, what, max)? {
        return Ok(Some(fresh.to_vec()));
    }
    let Some(items) = array_items(value, what, max.unwrap_or(MAX_MEMBER_BYTES).min(MAX_MEMBER_BYTES))? else { return Ok(None) };
    let bytes = items
        .iter()
        .map(|n| n.as_f64().filter(|f| f.fract() == 0.0 && (0.0..=255.0).contains(f)).map(|f| f as u8))
        .collect::<Option<Vec<u8>>>();
    bytes.map(Some).ok_or_else(|| validation(format!("{what} as an array must hold whole numbers 0 to 255")))
}

/// A required byte argument (a chunk to hash): Uint8Array, ArrayBuffer or array of numbers; never text,
/// whose bytes would depend on an encoding.
pub(super) fn byte_arg(value: &JsValue, what: &str) -> JsResult<Vec<u8>> {
    if value.is_string() {
        return Err(validation(format!("{what} must be bytes (a Uint8Array), not text: encode it first, e.g. new TextEncoder().encode(text)")));
    }
    bytes(value, what, None)?.ok_or_else(|| validation(format!("{what} must be a Uint8Array")))
}

/// A blob: bytes as they are (at most `max`; `None`: any size), or a string read by `rule` (README
/// "Strings and bytes"). `encoding` is what the caller said in `encoding_member` (`MessageEncoding`...);
/// it applies to a string only: bytes with an encoding are refused, since e.g. a Buffer of base64 text
/// with `MessageEncoding: 'base64'` would otherwise be taken as its characters.
pub(super) fn blob_by_rule(
    value: &JsValue,
    what: &str,
    rule: &StringRule,
    (encoding, encoding_member): (Option<TextEncoding>, Option<&str>),
    max: Option<u32>,
) -> JsResult<Vec<u8>> {
    if let Some(text) = text(value, what)? {
        return bytes_of_string(&text, what, rule, encoding, encoding_member).map_err(to_js_error);
    }
    let bytes = bytes(value, what, max)?.ok_or_else(|| validation(format!("{what} must be a Uint8Array or a base64 string")))?;
    if let (Some(_), Some(member)) = (encoding, encoding_member) {
        return Err(validation(format!("{member} says how to read a string {what}, and {what} is bytes: leave {member} out")));
    }
    Ok(bytes)
}

/// A blob member read by `rule`, with its `<name>Encoding` companion when `encoding_member` names one.
pub(super) fn blob_member_by_rule(object: &JsValue, name: &'static str, rule: &StringRule, encoding_member: Option<&'static str>) -> JsResult<Option<Vec<u8>>> {
    let encoding = match encoding_member {
        Some(member) => text_encoding(object, member)?,
        None => None,
    };
    let Some(value) = member(object, name)? else {
        return match (encoding, encoding_member) {
            (Some(_), Some(member)) => Err(validation(format!("{member} is given without {name}"))),
            _ => Ok(None),
        };
    };
    blob_by_rule(&value, name, rule, (encoding, encoding_member), Some(MAX_MEMBER_BYTES)).map(Some)
}

/// `object[member]` as a TextEncoding (`utf8` or `base64`).
pub(super) fn text_encoding(object: &JsValue, member: &'static str) -> JsResult<Option<TextEncoding>> {
    string_member(object, member)?.map(|e| TextEncoding::parse(&e, member).map_err(to_js_error)).transpose()
}

/// A required blob member whose length the request fixes (`rule`); no encoding member.
pub(super) fn sized_blob_member(object: &JsValue, name: &'static str, rule: &StringRule) -> JsResult<Vec<u8>> {
    blob_member_by_rule(object, name, rule, None)?.ok_or_else(|| required(name))
}

/// A required blob member of free length: bytes, or a string with `encoding_member` saying how to read it.
pub(super) fn free_blob_member(object: &JsValue, name: &'static str, encoding_member: &'static str) -> JsResult<Vec<u8>> {
    blob_member_by_rule(object, name, &StringRule::Free, Some(encoding_member))?.ok_or_else(|| required(name))
}

/// An optional blob member of free length (absent = empty).
pub(super) fn optional_free_blob_member(object: &JsValue, name: &'static str, encoding_member: &'static str) -> JsResult<Vec<u8>> {
    Ok(blob_member_by_rule(object, name, &StringRule::Free, Some(encoding_member))?.unwrap_or_default())
}

/// PublicKey / PrivateKey: DER bytes, or PEM / base64 text (the core tells them apart).
pub(super) fn key_bytes(value: &JsValue, what: &str) -> JsResult<Vec<u8>> {
    if let Some(text) = text(value, what)? {
        return Ok(text.into_bytes());
    }
    bytes(value, what, Some(MAX_MEMBER_BYTES))?.ok_or_else(|| validation(format!("{what} must be a Uint8Array, or PEM or base64 text")))
}

#[cfg(not(feature = "json"))]
/// The value JSON text stands for (`JSON.parse`; a leading byte-order mark is not part of the JSON), or
/// the value itself when it is not text.
pub(super) fn parsed_json(value: &JsValue, what: &str) -> JsResult<JsValue> {
    let Some(json) = text(value, what)? else { return Ok(value.clone()) };
    let json = json.strip_prefix('\u{feff}').unwrap_or(&json);
    json_parse(json).map_err(|thrown| {
        let reason = Reflect::get(&thrown, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
        json_shape(format!("{what} is not valid JSON ({reason}): expected the object `aws kms get-public-key` prints"))
    })
}

/// GetPublicKey's PublicKey as people have it: DER bytes, PEM or base64 text, or, from a serialised SDK
/// response read back with JSON.parse, `{"type":"Buffer","data":[...]}` or `{"0":48,"1":130,...}` (the rules:
/// src/serialised_key.rs).
pub(super) fn public_key_bytes(value: &JsValue) -> JsResult<Vec<u8>> {
    serialised_key::public_key_bytes(value)
}

/// A caller's JS value read by the rules of src/serialised_key.rs.
impl SerialisedValue for JsValue {
    type Error = JsValue;

    fn refusal(error: KmsError) -> JsValue {
        to_js_error(error)
    }

    /// Text, bytes, arrays and anything that is no object: the usual reading (and its error).
    fn plain_bytes(&self) -> JsResult<Option<Vec<u8>>> {
        let plain_object = self.is_object()
            && !self.is_instance_of::<Uint8Array>()
            && !self.is_instance_of::<js_sys::ArrayBuffer>()
            && !is_array(self).map_err(|e| unreadable(PUBLIC_KEY, e))?;
        if plain_object { Ok(None) } else { key_bytes(self, PUBLIC_KEY).map(Some) }
    }

    fn member(&self, name: &str) -> JsResult<Option<JsValue>> {
        Ok(present(Reflect::get(self, &JsValue::from_str(name)).map_err(|e| unreadable(PUBLIC_KEY, e))?))
    }

    fn indexed_member(&self, index: usize) -> JsResult<Option<JsValue>> {
        Ok(present(Reflect::get_u32(self, index as u32).map_err(|e| unreadable(PUBLIC_KEY, e))?))
    }

    fn member_count(&self) -> JsResult<usize> {
        key_count(self, PUBLIC_KEY)
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
}

const PUBLIC_KEY: &str = "PublicKey";

/// JSON text as given, or a plain object serialised; at most `max` characters either way, checked
/// before the text is copied into wasm. Arrays, typed arrays and other non-plain values are refused
/// before `JSON.stringify` could spend time and memory on them.
pub(super) fn json_text(value: &JsValue, what: &str, max: u32) -> JsResult<String> {
    let shape = || json_shape(format!("{what} must be a JSON object or JSON text"));
    let json = if value.is_string() {
        value.clone()
    } else if value.is_object() && !value.is_function() {
        if is_array(value).map_err(|e| unreadable(what, e))? || value.is_instance_of::<js_sys::ArrayBuffer>() || value.is_instance_of::<Uint8Array>() {
            return Err(shape());
        }
        js_sys::JSON::stringify(value).map_err(|e| unreadable(what, e))?.into()
    } else {
        return Err(shape());
    };
    let length = json.dyn_ref::<JsString>().map_or(0, JsString::length);
    if length > max {
        return Err(validation(format!("{what} is {length} characters of JSON: over the {max} accepted")));
    }
    json.as_string().ok_or_else(shape)
}

/// How many own enumerable keys an object has.
pub(super) fn key_count(value: &JsValue, what: &str) -> JsResult<usize> {
    object_keys(value).map(|keys| keys.length() as usize).map_err(|e| unreadable(what, e))
}

/// Seconds since the epoch from a number of seconds or a Date.
pub(super) fn seconds(value: &JsValue, what: &str) -> JsResult<f64> {
    let seconds = if value.is_instance_of::<js_sys::Date>() {
        value.unchecked_ref::<DateLike>().get_time().map_err(|e| unreadable(what, e))? / 1000.0
    } else {
        value.as_f64().unwrap_or(f64::NAN)
    };
    if seconds.is_finite() { Ok(seconds) } else { Err(validation(format!("{what} must be seconds since the epoch or a valid Date"))) }
}
