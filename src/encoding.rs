//! Byte encodings people actually hold: base64 (the CLI and HTTP API), PEM (the console download,
//! OpenSSL), raw DER (the SDKs). Decoding is lenient about whitespace and strict about content.

use crate::error::{KmsError, Result};
use base64ct::{Base64, Base64Unpadded, Encoding};

/// Decodes standard base64 (RFC 4648 §4, as KMS emits it), ignoring ASCII whitespace and line breaks.
/// Missing padding is tolerated; URL-safe characters are refused with a hint.
pub fn decode_base64(text: &str, field: &str) -> Result<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Err(KmsError::input(format!("{field} is empty: it must hold at least 1 byte (base64 text or bytes)")));
    }
    let decoded = if compact.ends_with('=') { Base64::decode_vec(&compact) } else { Base64Unpadded::decode_vec(&compact) };
    decoded.map_err(|_| {
        let hint = if compact.contains(['-', '_']) { " (it contains '-' or '_': base64url is not accepted here)" } else { "" };
        KmsError::input(format!("{field} is not valid base64{hint}: KMS blobs are standard base64 (RFC 4648 §4) or raw bytes"))
    })
}

pub fn encode_base64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

pub fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

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
        )));
    };
    let body = &text[start + begin.len()..];
    let Some(stop) = body.find(&end) else {
        return Err(KmsError::input(format!("{} PEM has no '{end}' line", kind.field)));
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
        return Err(KmsError::input(format!("{} is empty: it must be {} in DER, PEM or base64", kind.field, kind.what)));
    }
    // DER of either kind always starts with a SEQUENCE tag; no PEM or base64 text does.
    if blob[0] == 0x30 {
        return Ok(blob.to_vec());
    }
    let text = core::str::from_utf8(blob).map_err(|_| {
        KmsError::input(format!("{} is neither DER (it does not start with a SEQUENCE, 0x30) nor PEM or base64 text", kind.field))
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
    fn base64_tolerates_whitespace_and_missing_padding() {
        assert_eq!(decode_base64("AQI=", "x").unwrap(), [1, 2]);
        assert_eq!(decode_base64("AQI", "x").unwrap(), [1, 2]);
        assert_eq!(decode_base64(" A Q\nI = ", "x").unwrap(), [1, 2]);
    }

    #[test]
    fn base64_refuses_garbage_with_kms_name() {
        for bad in ["", "  ", "A", "AQ-_", "*&^%", "AQI=="] {
            let err = decode_base64(bad, "Signature").unwrap_err();
            assert_eq!(err.name(), "ValidationException", "{bad}");
            assert!(err.message().contains("Signature"));
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
