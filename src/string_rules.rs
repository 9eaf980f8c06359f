//! What a string may stand for in each request member whose length the request fixes (README "Strings
//! and bytes"). KMS's JSON (the CLI, the HTTP API) carries every blob as base64, while the AWS SDK for
//! JavaScript reads a string given for a blob as UTF-8 text, so a string is ambiguous. Where the request
//! fixes the length (a signature for the key and algorithm, a digest for DIGEST, the mu for EXTERNAL_MU)
//! a string is base64 checked against that length; where the length is free the caller must say.

use crate::encoding::StringRule;
use crate::interop::ecdsa_format::{SignatureFormat, order};
use crate::spec::{Curve, KeySpec, KeyType, MessageType, SigningAlgorithm, limits};

/// Verify's `Signature` for a key of `spec`, `algorithm` and `format`. A pair KMS refuses (an algorithm
/// not of the spec, P1363 for a signature with one format) has no size here: the request is refused
/// by its KMS rule after the string is read as base64.
pub fn verify_signature(spec: KeySpec, algorithm: SigningAlgorithm, format: SignatureFormat) -> StringRule {
    if !spec.rule().signing.contains(&algorithm) {
        return StringRule::Base64;
    }
    signature(spec, format, algorithm.as_str())
}

/// A signature by a key of `spec` in `format` (every algorithm of a spec signs to the same size);
/// `named` is the algorithm or key spec the message names.
pub fn signature(spec: KeySpec, format: SignatureFormat, named: &str) -> StringRule {
    match (spec.rule().key_type, format) {
        (KeyType::Ec(curve), _) => curve_signature(curve, format, named),
        (_, SignatureFormat::P1363) => StringRule::Base64,
        (KeyType::Rsa { bits }, _) => StringRule::exactly(bits / 8, format!("an {named} signature (as long as the {bits}-bit modulus)")),
        (KeyType::Ed25519, _) => StringRule::exactly(64, format!("an {named} signature")),
        (KeyType::MlDsa(level), _) => StringRule::exactly(level.signature_len(), format!("an {named} signature")),
        (KeyType::MlKem(_) | KeyType::NoPublicKey, _) => StringRule::Base64,
    }
}

/// An ECDSA or SM2 signature on `curve`: DER `SEQUENCE { r, s }` from 8 bytes (one-byte integers) up to
/// both integers as wide as the group order (plus a sign byte when its top bit is set), or P1363 r ‖ s.
pub fn curve_signature(curve: Curve, format: SignatureFormat, named: &str) -> StringRule {
    match format {
        SignatureFormat::P1363 => StringRule::exactly(2 * curve.field_len(), format!("an {named} P1363 signature (r ‖ s)")),
        SignatureFormat::Der => StringRule::Sized { min: 8, max: der_signature_max(curve), what: format!("an {named} DER signature") },
    }
}

/// The longest DER ECDSA/SM2 signature on `curve`.
fn der_signature_max(curve: Curve) -> usize {
    let n = order(curve);
    let integer = 2 + n.len() + usize::from(n[0] >= 0x80);
    let body = 2 * integer;
    body + if body < 0x80 { 2 } else { 3 }
}

/// Verify's `Message` for `algorithm` and `message_type`: free for RAW, the digest or mu length otherwise.
/// A pair KMS refuses has no size here (its KMS rule refuses the request).
pub fn verify_message(algorithm: SigningAlgorithm, message_type: MessageType) -> StringRule {
    let rule = algorithm.rule();
    if !rule.message_types.contains(&message_type) {
        return StringRule::Base64;
    }
    match message_type {
        MessageType::Raw => StringRule::Free,
        MessageType::Digest => StringRule::exactly(
            rule.hash.output_len(),
            format!("the {} digest that MessageType DIGEST takes with {algorithm}", rule.hash.name()),
        ),
        MessageType::ExternalMu => StringRule::exactly(limits::EXTERNAL_MU_LEN, "the ML-DSA mu that MessageType EXTERNAL_MU takes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoding::{TextEncoding, bytes_of_string, encode_base64, encode_hex};

    fn read(text: &str, rule: &StringRule) -> crate::Result<Vec<u8>> {
        bytes_of_string(text, "Signature", rule, None, None)
    }

    #[test]
    fn der_signature_sizes_follow_the_group_order() {
        let max = |curve| der_signature_max(curve);
        assert_eq!([max(Curve::P256), max(Curve::P384), max(Curve::P521), max(Curve::Secp256k1), max(Curve::Sm2)], [72, 104, 139, 72, 72]);
    }

    #[test]
    fn a_signature_string_is_base64_of_the_size_the_key_and_algorithm_fix() {
        let p256 = verify_signature(KeySpec::EccNistP256, SigningAlgorithm::EcdsaSha256, SignatureFormat::Der);
        let der = [0x30u8; 70];
        assert_eq!(read(&encode_base64(&der), &p256).unwrap(), der);
        // Hex of the same bytes is 140 characters: base64 of 105 bytes, refused with the hex hint.
        let err = read(&encode_hex(&der), &p256).unwrap_err();
        assert!(!err.is_kms_rule());
        assert_eq!(
            err.message(),
            "Signature is base64 of 105 bytes; an ECDSA_SHA_256 DER signature is 8 to 72 bytes. It looks like hex: decode it, or pass bytes"
        );
        // Text that happens to be base64 ("test" is 3 bytes) is refused by its length.
        assert!(read("test", &p256).unwrap_err().message().contains("base64 of 3 bytes"));
        let rsa = verify_signature(KeySpec::Rsa2048, SigningAlgorithm::RsassaPssSha256, SignatureFormat::Der);
        assert_eq!(rsa, StringRule::exactly(256, "an RSASSA_PSS_SHA_256 signature (as long as the 2048-bit modulus)"));
        let p1363 = verify_signature(KeySpec::EccNistP384, SigningAlgorithm::EcdsaSha384, SignatureFormat::P1363);
        assert!(matches!(p1363, StringRule::Sized { min: 96, max: 96, .. }));
        let ed = verify_signature(KeySpec::EccNistEdwards25519, SigningAlgorithm::Ed25519PhSha512, SignatureFormat::Der);
        assert!(matches!(ed, StringRule::Sized { min: 64, max: 64, .. }));
        let ml_dsa = verify_signature(KeySpec::MlDsa65, SigningAlgorithm::MlDsaShake256, SignatureFormat::Der);
        assert!(matches!(ml_dsa, StringRule::Sized { min: 3309, max: 3309, .. }));
        // A pair KMS refuses is read as plain base64 and left to its KMS rule.
        assert_eq!(verify_signature(KeySpec::EccNistP256, SigningAlgorithm::RsassaPssSha256, SignatureFormat::Der), StringRule::Base64);
        assert_eq!(verify_signature(KeySpec::Rsa2048, SigningAlgorithm::RsassaPssSha256, SignatureFormat::P1363), StringRule::Base64);
    }

    #[test]
    fn a_message_string_is_sized_for_digest_and_mu_and_ambiguous_for_raw() {
        let digest = verify_message(SigningAlgorithm::EcdsaSha384, MessageType::Digest);
        let err = bytes_of_string(&encode_hex(&[7; 48]), "Message", &digest, None, Some("MessageEncoding")).unwrap_err();
        assert_eq!(
            err.message(),
            "Message is base64 of 72 bytes; the SHA-384 digest that MessageType DIGEST takes with ECDSA_SHA_384 is 48 bytes. It looks like hex: decode it, or pass bytes"
        );
        assert_eq!(verify_message(SigningAlgorithm::MlDsaShake256, MessageType::ExternalMu), StringRule::exactly(64, "the ML-DSA mu that MessageType EXTERNAL_MU takes"));
        assert_eq!(verify_message(SigningAlgorithm::MlDsaShake256, MessageType::Digest), StringRule::Base64);
        let raw = verify_message(SigningAlgorithm::EcdsaSha256, MessageType::Raw);
        assert_eq!(raw, StringRule::Free);
        let err = bytes_of_string("test", "Message", &raw, None, Some("MessageEncoding")).unwrap_err();
        assert!(!err.is_kms_rule());
        assert!(err.message().contains("could be text or base64") && err.message().contains("MessageEncoding: 'utf8' (text) or 'base64'"), "{}", err.message());
        assert_eq!(bytes_of_string("test", "Message", &raw, Some(TextEncoding::Utf8), Some("MessageEncoding")).unwrap(), b"test");
        assert_eq!(bytes_of_string("dGVzdA==", "Message", &raw, Some(TextEncoding::Base64), Some("MessageEncoding")).unwrap(), b"test");
    }
}
