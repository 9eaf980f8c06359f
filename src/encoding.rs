//! Byte encodings people actually hold: base64 (the CLI and HTTP API), PEM (the console download,
//! OpenSSL), raw DER (the SDKs). Decoding is lenient about whitespace and strict about content.

use crate::error::{KmsError, Result, Rule};
use base64ct::{Base64, Encoding};

/// Decodes canonical standard base64 (RFC 4648 §4, as KMS emits it): the standard alphabet, the `=`
/// padding to a multiple of 4 characters, zero pad bits (base64ct's strict decoder). ASCII whitespace
/// is ignored, so base64 wrapped in lines (PEM bodies, `base64` output) reads as one. A string that is
/// not canonical base64 is refused with a hint at what it looks like (base64url, hex, text), never
/// read leniently into other bytes.
pub fn decode_base64(text: &str, field: &str) -> Result<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Err(KmsError::input(format!("{field} is empty: it must hold at least 1 byte (base64 text or bytes)"))
            .rule_code(Rule::Empty)
            .param("field", field));
    }
    Base64::decode_vec(&compact).map_err(|_| {
        let (looks, hint) = looks_like(text, &compact);
        let error = KmsError::input(format!(
            "{field} is not canonical base64{hint}: KMS blobs are standard base64 (RFC 4648 §4, padded with '=') or raw bytes"
        ))
        .rule_code(Rule::NotBase64)
        .param("field", field);
        if looks.is_empty() { error } else { error.param("looks", looks) }
    })
}

/// What a string that is not the base64 expected looks like instead: a code (`hex`, `base64url`, `text`) for
/// the error's params and the English hint (both empty: no guess).
fn looks_like(text: &str, compact: &str) -> (&'static str, &'static str) {
    if is_hex(compact) {
        ("hex", " (it looks like hex: decode it, or pass bytes)")
    } else if compact.contains(['-', '_']) && compact.chars().all(|c| c.is_ascii_alphanumeric() || "-_=".contains(c)) {
        ("base64url", " (it contains '-' or '_': it looks like base64url, which is not accepted here)")
    } else if text.trim().contains([' ', '\t']) || !compact.chars().all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)) {
        ("text", " (it looks like text: pass bytes, e.g. new TextEncoder().encode(text))")
    } else {
        ("", "")
    }
}

/// Only hex digits, an even number of them: a string someone may have meant as hex.
fn is_hex(compact: &str) -> bool {
    !compact.is_empty() && compact.len() % 2 == 0 && compact.bytes().all(|b| b.is_ascii_hexdigit())
}

/// How the caller says a string of free length is to be read (`MessageEncoding`, `PlaintextEncoding`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// The string is text: its UTF-8 bytes.
    Utf8,
    /// The string is canonical base64 of the bytes.
    Base64,
}

impl TextEncoding {
    pub const fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf8",
            TextEncoding::Base64 => "base64",
        }
    }

    /// `utf8` or `base64`, exactly; `field` names the member (e.g. `MessageEncoding`).
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        [TextEncoding::Utf8, TextEncoding::Base64].into_iter().find(|e| e.as_str() == text).ok_or_else(|| {
            KmsError::input(format!("{field} is '{}': it must be 'utf8' (the string is text) or 'base64'", crate::spec::printable(text)))
                .rule_code(Rule::TextEncoding)
                .param("field", field)
                .param("value", crate::spec::printable(text))
        })
    }
}

/// What a string given for a request member must be (README "Strings and bytes"). Bytes are always
/// taken as they are; only a string needs a rule, because a string is base64 to a CLI user and UTF-8
/// text to an AWS SDK user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StringRule {
    /// The request fixes the length: canonical base64 of `min..=max` bytes, which are `what`.
    Sized { min: usize, max: usize, what: String },
    /// Canonical base64 of bytes whose length no rule here fixes (a later KMS rule refuses the request,
    /// or the bytes are a structure parsed and checked whole).
    Base64,
    /// The length is free (a RAW Message, a Plaintext): text and base64 are both plausible, so a string
    /// is refused unless the caller says how to read it.
    Free,
    /// A KMS rule refuses the request whatever these bytes are (a key usage, an algorithm or message type
    /// the key does not allow...). No answer comes from the bytes, so a string is read as canonical base64
    /// when it is that and as UTF-8 otherwise, only so that the KMS refusal is what the caller gets.
    Refused,
}

impl StringRule {
    /// A `Sized` rule for exactly `len` bytes of `what`.
    pub fn exactly(len: usize, what: impl Into<String>) -> Self {
        StringRule::Sized { min: len, max: len, what: what.into() }
    }
}

/// The bytes a string stands for in the member `field` under `rule`. `encoding` is what the caller
/// said (`<field>Encoding`); `encoding_member` is the name of that member, `None` where there is none
/// (a function argument).
pub fn bytes_of_string(
    text: &str,
    field: &str,
    rule: &StringRule,
    encoding: Option<TextEncoding>,
    encoding_member: Option<&str>,
) -> Result<Vec<u8>> {
    match (encoding, rule) {
        (Some(TextEncoding::Utf8), _) => Ok(text.as_bytes().to_vec()),
        (Some(TextEncoding::Base64), StringRule::Free | StringRule::Refused) | (_, StringRule::Base64) => decode_base64(text, field),
        (None, StringRule::Refused) => Ok(decode_base64(text, field).unwrap_or_else(|_| text.as_bytes().to_vec())),
        (_, StringRule::Sized { min, max, what }) => {
            let bytes = decode_base64(text, field)?;
            if (*min..=*max).contains(&bytes.len()) {
                return Ok(bytes);
            }
            let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let span = if min == max { format!("{min}") } else { format!("{min} to {max}") };
            let hint = if is_hex(&compact) { ". It looks like hex: decode it, or pass bytes" } else { "" };
            Err(KmsError::input(format!("{field} is base64 of {} bytes; {what} is {span} bytes{hint}", bytes.len()))
                .rule_code(Rule::WrongSize)
                .param("field", field)
                .param("size", bytes.len())
                .param("min", *min)
                .param("max", *max))
        }
        (None, StringRule::Free) => {
            let how = match encoding_member {
                Some(member) => format!(", or say how to read the string: {member}: 'utf8' (text) or 'base64'"),
                None => String::new(),
            };
            let error = KmsError::input(format!(
                "{field} is a string, and its length is free, so it could be text or base64: pass bytes \
                 (a Uint8Array; for text, new TextEncoder().encode(text)){how}"
            ))
            .rule_code(Rule::StringNeedsEncoding)
            .param("field", field);
            Err(match encoding_member {
                Some(member) => error.param("encodingMember", member),
                None => error,
            })
        }
    }
}

pub fn encode_base64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Lowercase hex (base16ct's constant-time encoder).
pub fn encode_hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

// The compile-time hex reader is a module of its own that uses nothing, so that the curve statics
// (`family::ec`), which `spec` names, can use it without a cycle through `spec`.
pub(crate) mod hex;
pub(crate) use hex::hex_array;

/// A DER structure people hold in several forms, and the PEM label it carries.
struct DerKind {
    field: &'static str,
    label: &'static str,
    what: &'static str,
}

const PUBLIC_KEY: DerKind = DerKind {
    field: "PublicKey",
    label: "PUBLIC KEY",
    what: "a DER SubjectPublicKeyInfo, as KMS GetPublicKey returns",
};

const PRIVATE_KEY: DerKind = DerKind { field: "PrivateKey", label: "PRIVATE KEY", what: "an unencrypted PKCS#8 private key" };

/// The DER inside the PEM block with the kind's label (RFC 7468). Other labels are refused with the
/// reason (e.g. `RSA PUBLIC KEY` is PKCS#1 and lacks the algorithm KMS's SPKI carries).
fn decode_pem(text: &str, kind: &DerKind) -> Result<Vec<u8>> {
    let begin = format!("-----BEGIN {}-----", kind.label);
    let end = format!("-----END {}-----", kind.label);
    let Some(start) = text.find(&begin) else {
        let label = text
            .find("-----BEGIN ")
            .and_then(|i| text[i + 11..].split("-----").next())
            .map(crate::spec::printable)
            .unwrap_or_default();
        return Err(KmsError::input(format!(
            "{} is a PEM block labelled '{label}': expected '{begin}' ({})",
            kind.field, kind.what
        ))
        .rule_code(Rule::NotDerOrPem)
        .param("field", kind.field));
    };
    let body = &text[start + begin.len()..];
    let Some(stop) = body.find(&end) else {
        return Err(KmsError::input(format!("{} PEM has no '{end}' line", kind.field)).rule_code(Rule::NotDerOrPem).param("field", kind.field));
    };
    decode_base64(&body[..stop], kind.field)
}

/// The DER PEM block with a `PUBLIC KEY` label holds.
pub fn decode_pem_public_key(text: &str) -> Result<Vec<u8>> {
    decode_pem(text, &PUBLIC_KEY)
}

/// Raw DER as the SDKs give it, or the same bytes as PEM text or base64 text (the CLI, the console
/// download, copy and paste).
fn der_from_blob(blob: &[u8], kind: &DerKind) -> Result<Vec<u8>> {
    if blob.is_empty() {
        return Err(KmsError::input(format!("{} is empty: it must be {} in DER, PEM or base64", kind.field, kind.what))
            .rule_code(Rule::Empty)
            .param("field", kind.field));
    }
    // DER of either kind always starts with a SEQUENCE tag; no PEM or base64 text does.
    if blob[0] == 0x30 {
        return Ok(blob.to_vec());
    }
    let text = core::str::from_utf8(blob).map_err(|_| {
        KmsError::input(format!("{} is neither DER (it does not start with a SEQUENCE, 0x30) nor PEM or base64 text", kind.field))
            .rule_code(Rule::NotDerOrPem)
            .param("field", kind.field)
    })?;
    if text.contains("-----BEGIN") { decode_pem(text, kind) } else { decode_base64(text, kind.field) }
}

/// A `PublicKey` value (DER, PEM or base64) as DER SPKI bytes.
pub fn public_key_der(blob: &[u8]) -> Result<Vec<u8>> {
    der_from_blob(blob, &PUBLIC_KEY)
}

/// A `PrivateKey` value (PKCS#8 DER, PEM or base64) as DER, zeroized when dropped.
pub fn private_key_der(blob: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    der_from_blob(blob, &PRIVATE_KEY).map(zeroize::Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_tolerates_whitespace() {
        assert_eq!(decode_base64("AQI=", "x").unwrap(), [1, 2]);
        assert_eq!(decode_base64(" A Q\nI = ", "x").unwrap(), [1, 2]);
    }

    #[test]
    fn base64_refuses_garbage_with_kms_name() {
        for bad in ["", "  ", "A", "AQ-_", "*&^%", "AQI==", "AQI", "AQJ="] {
            let err = decode_base64(bad, "Signature").unwrap_err();
            assert_eq!(err.name(), "ValidationException", "{bad}");
            assert!(err.message().contains("Signature"));
        }
    }

    #[test]
    fn a_string_that_is_not_canonical_base64_is_refused_with_what_it_looks_like() {
        let hint = |text: &str| decode_base64(text, "Signature").unwrap_err().message().to_owned();
        assert!(hint("3045022100abcd").contains("it looks like hex"), "{}", hint("3045022100abcd"));
        assert!(hint("AQ-_AQ").contains("base64url"));
        assert!(hint("hello world").contains("it looks like text"));
        assert!(hint("AQJ=").ends_with("KMS blobs are standard base64 (RFC 4648 §4, padded with '=') or raw bytes"));
        assert!(!decode_base64("AQJ=", "x").unwrap_err().is_kms_rule());
    }

    #[test]
    fn an_encoding_member_is_utf8_or_base64_exactly() {
        assert_eq!(TextEncoding::parse("utf8", "MessageEncoding").unwrap(), TextEncoding::Utf8);
        assert_eq!(TextEncoding::parse("base64", "MessageEncoding").unwrap(), TextEncoding::Base64);
        for bad in ["UTF-8", "hex", "", "base64url"] {
            let err = TextEncoding::parse(bad, "MessageEncoding").unwrap_err();
            assert!(err.message().starts_with("MessageEncoding is '") && err.message().contains("'utf8'"), "{}", err.message());
        }
    }

    #[test]
    fn pem_label_is_checked() {
        let err = decode_pem_public_key("-----BEGIN RSA PUBLIC KEY-----\nAQI=\n-----END RSA PUBLIC KEY-----").unwrap_err();
        assert!(err.message().contains("RSA PUBLIC KEY"));
        assert_eq!(decode_pem_public_key("-----BEGIN PUBLIC KEY-----\r\nMAA=\r\n-----END PUBLIC KEY-----\r\n").unwrap(), [0x30, 0]);
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(encode_hex(&[0, 0xab, 0xff]), "00abff");
    }
}
