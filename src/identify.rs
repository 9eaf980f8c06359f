//! What a `PublicKey` input is, before any metadata is read: a DER SubjectPublicKeyInfo (and of which key
//! type and KMS key spec), or something else that people paste by mistake (a signature, a certificate, a
//! private key, plain text), named as such so the error says what happened instead of "KeySpec is required".
//!
//! Detection reads only DER structure (no key family's crate), so every build detects every key type.

use crate::encoding;
use crate::error::{KmsError, Result, Rule};
use crate::spec::{Curve, KEY_SPEC_RULES, KeySpec, KeyType, MlDsaLevel, MlKemLevel, limits, printable};
use spki::der::asn1::{AnyRef, ObjectIdentifier, UintRef};
use spki::der::{Decode, Reader, SliceReader, Tag, Tagged};

/// What an input that is no public key is: a code for the error's `found` parameter (binary, json, text, pem,
/// certificate, pkcs1, private-key, ec-private-key, signature, der) and the English description.
type Found = (&'static str, String);

/// The refusal of an input that is no public key, saying what it is instead.
fn not_a_public_key((found, what): Found) -> KmsError {
    KmsError::input(format!(
        "PublicKey is not a public key: {what}; expected a DER SubjectPublicKeyInfo, PEM 'PUBLIC KEY', or base64 of one, as KMS GetPublicKey returns"
    ))
    .rule_code(Rule::NotAPublicKey)
    .param("found", found)
}

/// A `PublicKey` value (DER, PEM or base64) as DER of at most KMS's size (KMS-RULES.md §1.2: PublicKey is a DER
/// SubjectPublicKeyInfo of at most 8192 bytes), or an error that names what the input is instead. [`decode_spki`]
/// then decodes it, once per key.
pub fn public_key_der(blob: &[u8]) -> Result<Vec<u8>> {
    if blob.is_empty() {
        return encoding::public_key_der(blob); // its own message: "PublicKey is empty ..."
    }
    // PEM 'PUBLIC KEY' text and base64-looking text keep their own message (what is wrong inside them).
    let der = encoding::public_key_der(blob).map_err(|unreadable| match describe_unreadable(blob) {
        Some(found) => not_a_public_key(found),
        None => unreadable,
    })?;
    if der.len() > limits::MAX_PUBLIC_KEY {
        return Err(KmsError::input(format!(
            "PublicKey is {} bytes of DER: KMS public keys are at most {} bytes",
            der.len(),
            limits::MAX_PUBLIC_KEY
        ))
        .rule_code(Rule::PublicKeyTooLarge)
        .param("size", der.len())
        .param("max", limits::MAX_PUBLIC_KEY));
    }
    Ok(der)
}

/// A decoded SubjectPublicKeyInfo, borrowing its DER.
pub type Spki<'a> = spki::SubjectPublicKeyInfoRef<'a>;

/// The SubjectPublicKeyInfo `der` (from [`public_key_der`] of `blob`) holds, decoded once for everything a key load
/// reads from it (its type, then the key), or an error that names what the DER is instead.
pub fn decode_spki<'a>(der: &'a [u8], blob: &[u8]) -> Result<Spki<'a>> {
    Spki::from_der(der).map_err(|error| {
        let held = if blob.first() == Some(&0x30) { "" } else { "its text holds " };
        let (found, what) = describe_der(der, &error);
        not_a_public_key((found, format!("{held}{what}")))
    })
}

/// What input that is neither DER nor PEM/base64 text of DER is; `None` when it looks like the right form
/// (a PEM 'PUBLIC KEY' block, base64 of DER) and only its inside is wrong.
fn describe_unreadable(blob: &[u8]) -> Option<Found> {
    let Ok(text) = core::str::from_utf8(blob) else {
        return Some(("binary", format!(
            "it is {} bytes of binary data that are not DER (a DER public key starts with 0x30, a SEQUENCE)",
            blob.len()
        )));
    };
    if let Some(label) = pem_label(text) {
        return describe_pem_label(&label);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return Some(("json", "it is JSON text: GetPublicKey output loads with KmsPublicKey.fromGetPublicKey (Rust: from_get_public_key_json)".into()));
    }
    // Base64 of DER always starts with 'M' (the SEQUENCE tag 0x30); anything else is plain text.
    if !trimmed.starts_with('M') {
        let preview: String = printable(trimmed).chars().take(24).collect();
        return Some(("text", format!("it is text ('{preview}'), neither PEM nor base64 of DER (which starts with 'M')")));
    }
    None
}

/// The label of the first PEM block in `text`, if any.
fn pem_label(text: &str) -> Option<String> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    Some(printable(text[start..].split("-----").next().unwrap_or_default()))
}

/// What a PEM block of another label is; `None` for `PUBLIC KEY` (its own error says what is wrong inside).
fn describe_pem_label(label: &str) -> Option<Found> {
    Some(match label {
        "PUBLIC KEY" => return None,
        "CERTIFICATE" => {
            ("certificate", "it is a PEM CERTIFICATE: give the public key inside it (`openssl x509 -pubkey -noout -in FILE`)".into())
        }
        "RSA PUBLIC KEY" => ("pkcs1", "it is a PEM 'RSA PUBLIC KEY' (PKCS#1), which lacks the algorithm identifier of the SubjectPublicKeyInfo KMS returns: convert it with `openssl rsa -RSAPublicKey_in -pubout`".into()),
        label if label.contains("PRIVATE KEY") => ("private-key", format!(
            "it is a PEM '{label}' block, a private key: a KMS key's private half never leaves KMS, and only the public key is needed here"
        )),
        label => ("pem", format!("it is a PEM block labelled '{label}'")),
    })
}

/// What DER that is no SubjectPublicKeyInfo is, from the tags of its outer SEQUENCE's elements.
fn describe_der(der: &[u8], spki_error: &spki::der::Error) -> Found {
    let outer = match AnyRef::from_der(der) {
        Ok(outer) => outer,
        Err(error) => return ("binary", format!("{} bytes that are not one DER element ({error})", der.len())),
    };
    if outer.tag() != Tag::Sequence {
        return ("der", "a DER element that is no SEQUENCE".into());
    }
    let elements = sequence_elements(outer.value());
    let tags: Vec<Tag> = elements.iter().map(|e| e.tag()).collect();
    let lengths: Vec<usize> = elements.iter().map(|e| e.value().len()).collect();
    match (tags.as_slice(), lengths.as_slice()) {
        ([Tag::Integer, Tag::Integer], [modulus, exponent]) if *modulus >= 128 && *exponent <= 8 => {
            ("pkcs1", "a PKCS#1 RSAPublicKey (modulus and exponent without the algorithm identifier KMS's SubjectPublicKeyInfo carries): convert it with `openssl rsa -RSAPublicKey_in -pubout`".into())
        }
        ([Tag::Integer, Tag::Integer], _) => ("signature", "a DER SEQUENCE of two INTEGERs, the form of an ECDSA or SM2 signature (r, s)".into()),
        ([Tag::Integer, Tag::Sequence, Tag::OctetString, ..], _) => {
            ("private-key", "a PKCS#8 private key: a KMS key's private half never leaves KMS, and only the public key is needed here".into())
        }
        ([Tag::Integer, Tag::OctetString, ..], _) => ("ec-private-key", "an EC private key (SEC 1): only the public key is needed here".into()),
        ([Tag::Sequence, Tag::Sequence, Tag::BitString], _) => {
            ("certificate", "an X.509 certificate (or another signed structure): give the public key inside it (`openssl x509 -pubkey -noout`)".into())
        }
        _ => ("der", format!("DER that is not a SubjectPublicKeyInfo ({spki_error})")),
    }
}

/// The elements of a SEQUENCE's content, as far as they decode.
fn sequence_elements(content: &[u8]) -> Vec<AnyRef<'_>> {
    let mut elements = Vec::new();
    let Ok(mut reader) = SliceReader::new(content) else { return elements };
    while !reader.is_finished() && elements.len() < 8 {
        match AnyRef::decode(&mut reader) {
            Ok(element) => elements.push(element),
            Err(_) => break,
        }
    }
    elements
}

/// The algorithm and curve OIDs of the SPKIs KMS returns, made at compile time (the curves' and levels' text is
/// spec.rs's): comparing two `ObjectIdentifier`s compares their bytes, where formatting the SPKI's OID as text
/// to compare it cost ~2 µs of every key load in Chromium (bench/NOTES.md §25-26).
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(crate) const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(crate) const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// The namedCurve OID of `curve`.
pub(crate) const fn curve_oid(curve: Curve) -> ObjectIdentifier {
    const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap(Curve::P256.oid());
    const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap(Curve::P384.oid());
    const P521: ObjectIdentifier = ObjectIdentifier::new_unwrap(Curve::P521.oid());
    const SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap(Curve::Secp256k1.oid());
    const SM2: ObjectIdentifier = ObjectIdentifier::new_unwrap(Curve::Sm2.oid());
    match curve {
        Curve::P256 => P256,
        Curve::P384 => P384,
        Curve::P521 => P521,
        Curve::Secp256k1 => SECP256K1,
        Curve::Sm2 => SM2,
    }
}

/// The algorithm OID of an ML-DSA level.
pub(crate) const fn ml_dsa_oid(level: MlDsaLevel) -> ObjectIdentifier {
    const L44: ObjectIdentifier = ObjectIdentifier::new_unwrap(MlDsaLevel::L44.oid());
    const L65: ObjectIdentifier = ObjectIdentifier::new_unwrap(MlDsaLevel::L65.oid());
    const L87: ObjectIdentifier = ObjectIdentifier::new_unwrap(MlDsaLevel::L87.oid());
    match level {
        MlDsaLevel::L44 => L44,
        MlDsaLevel::L65 => L65,
        MlDsaLevel::L87 => L87,
    }
}

/// The algorithm OID of an ML-KEM level.
pub(crate) const fn ml_kem_oid(level: MlKemLevel) -> ObjectIdentifier {
    const L512: ObjectIdentifier = ObjectIdentifier::new_unwrap(MlKemLevel::L512.oid());
    const L768: ObjectIdentifier = ObjectIdentifier::new_unwrap(MlKemLevel::L768.oid());
    const L1024: ObjectIdentifier = ObjectIdentifier::new_unwrap(MlKemLevel::L1024.oid());
    match level {
        MlKemLevel::L512 => L512,
        MlKemLevel::L768 => L768,
        MlKemLevel::L1024 => L1024,
    }
}

/// The key type of a SubjectPublicKeyInfo, from its algorithm OID (and curve, or RSA modulus size); `None` for an
/// SPKI of an algorithm KMS does not use.
pub fn key_type_of(spki: &Spki<'_>) -> Option<KeyType> {
    let oid = spki.algorithm.oid;
    let curve = || {
        let named = spki.algorithm.parameters?.decode_as::<ObjectIdentifier>().ok()?;
        [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1, Curve::Sm2].into_iter().find(|c| curve_oid(*c) == named)
    };
    match oid {
        RSA_ENCRYPTION => Some(KeyType::Rsa { bits: rsa_modulus_bits(spki.subject_public_key.as_bytes()?)? }),
        EC_PUBLIC_KEY => curve().map(KeyType::Ec),
        ED25519 => Some(KeyType::Ed25519),
        _ => [MlDsaLevel::L44, MlDsaLevel::L65, MlDsaLevel::L87]
            .into_iter()
            .find(|l| ml_dsa_oid(*l) == oid)
            .map(KeyType::MlDsa)
            .or_else(|| [MlKemLevel::L512, MlKemLevel::L768, MlKemLevel::L1024].into_iter().find(|l| ml_kem_oid(*l) == oid).map(KeyType::MlKem)),
    }
}

/// Bits of the modulus of a PKCS#1 RSAPublicKey (`SEQUENCE { modulus INTEGER, publicExponent INTEGER }`).
fn rsa_modulus_bits(rsa_public_key: &[u8]) -> Option<usize> {
    let outer = AnyRef::from_der(rsa_public_key).ok()?;
    let elements = sequence_elements(outer.value());
    let modulus = UintRef::new(elements.first().filter(|e| e.tag() == Tag::Integer)?.value()).ok()?;
    let bytes = modulus.as_bytes();
    let first = *bytes.first()?;
    (bytes.len() * 8).checked_sub(first.leading_zeros() as usize)
}

impl KeySpec {
    /// The KMS key spec whose public key this DER SubjectPublicKeyInfo is (from the key spec table), or `None`
    /// when it is no KMS key type (e.g. RSA 1024-bit, or an algorithm KMS does not use). Checks the structure
    /// only: loading the key checks the key itself.
    pub fn detect(spki_der: &[u8]) -> Option<KeySpec> {
        Self::of_key_type(key_type_of(&Spki::from_der(spki_der).ok()?)?)
    }

    /// The KMS key spec of a key type (from the key spec table), `None` for a type KMS has no spec of.
    pub fn of_key_type(key_type: KeyType) -> Option<KeySpec> {
        KEY_SPEC_RULES.iter().find(|rule| rule.key_type == key_type).map(|rule| rule.spec)
    }
}
