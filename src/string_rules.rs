//! What a string may stand for in each request member whose length the request fixes (README "Strings
//! and bytes"). KMS's JSON (the CLI, the HTTP API) carries every blob as base64, while the AWS SDK for
//! JavaScript reads a string given for a blob as UTF-8 text, so a string is ambiguous. Where the request
//! fixes the length (a signature for the key and algorithm, a digest for DIGEST, the mu for EXTERNAL_MU)
//! a string is base64 checked against that length; where the length is free the caller must say.

use crate::encoding::StringRule;
use crate::key::KmsPublicKey;
use crate::signature_format::{SignatureFormat, order};
use crate::spec::{Curve, KeySpec, KeyType, MessageType, SigningAlgorithm, limits};
use crate::verify::VerifyRules;

/// The rules for a Verify request's `Message` and `Signature` strings with `key`, from the request's
/// [`VerifyRules`] (evaluated once, then completed with the bytes). A request a KMS rule refuses whatever its
/// bytes are gets [`StringRule::Refused`] for both, so that the KMS refusal is reported, in KMS's order,
/// rather than a complaint about the strings.
pub fn verify_strings(key: &KmsPublicKey, rules: &VerifyRules) -> (StringRule, StringRule) {
    if rules.refused_whatever_bytes() {
        return (StringRule::Refused, StringRule::Refused);
    }
    let algorithm = rules.signing_algorithm();
    (verify_message(algorithm, rules.message_type()), signature(key.key_spec(), rules.format(), algorithm.as_str()))
}

/// Encrypt's `Plaintext`: free (a string needs PlaintextEncoding), unless a KMS rule refuses the request
/// whatever the plaintext is (from the request's [`EncryptRules`](crate::encrypt::EncryptRules), evaluated once).
#[cfg(feature = "encrypt")]
pub fn encrypt_plaintext(rules: &crate::encrypt::EncryptRules) -> StringRule {
    if rules.refused_whatever_plaintext() { StringRule::Refused } else { StringRule::Free }
}

/// A signature by a key of `spec` in `format` (every algorithm of a spec signs to the same size);
/// `named` is the algorithm or key spec the message names. A spec without signatures, or P1363 for a
/// signature with one format, has no size here (the operation refuses it).
pub fn signature(spec: KeySpec, format: SignatureFormat, named: &str) -> StringRule {
    match (spec.rule().key_type, format) {
        (KeyType::Ec(curve), _) => curve_signature(curve, format, named),
        (_, SignatureFormat::P1363) => StringRule::Base64,
        #[cfg(feature = "rsa")]
        (KeyType::Rsa { bits }, _) => StringRule::exactly(bits / 8, format!("an {named} signature (as long as the {bits}-bit modulus)")),
        #[cfg(feature = "ed25519")]
        (KeyType::Ed25519, _) => StringRule::exactly(64, format!("an {named} signature")),
        #[cfg(feature = "ml-dsa")]
        (KeyType::MlDsa(level), _) => StringRule::exactly(level.signature_len(), format!("an {named} signature")),
        // No signatures, or a family not built (its keys do not load, so nothing asks).
        _ => StringRule::Base64,
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

/// ethereumSignature's `Digest`: the 32 bytes KMS signed with MessageType DIGEST.
pub fn ethereum_digest() -> StringRule {
    StringRule::exactly(32, "the digest KMS signs for Ethereum (keccak256)")
}

/// ethereumSignature's `Signature`: KMS's DER signature by an ECC_SECG_P256K1 key.
pub fn ethereum_signature() -> StringRule {
    curve_signature(Curve::Secp256k1, SignatureFormat::Der, KeySpec::EccSecgP256k1.as_str())
}

/// The longest DER ECDSA/SM2 signature on `curve`.
fn der_signature_max(curve: Curve) -> usize {
    let n = order(curve);
    let integer = 2 + n.len() + usize::from(n[0] >= 0x80);
    let body = 2 * integer;
    body + if body < 0x80 { 2 } else { 3 }
}

/// Verify's `Message` for `algorithm` and `message_type` (a pair KMS allows): free for RAW, the digest or
/// mu length otherwise.
fn verify_message(algorithm: SigningAlgorithm, message_type: MessageType) -> StringRule {
    let rule = algorithm.rule();
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

    fn key(name: &str) -> KmsPublicKey {
        let path = format!("{}/tests/fixtures/keys/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        KmsPublicKey::from_get_public_key_json(&fixture["GetPublicKey"].to_string()).unwrap()
    }

    fn verify_strings(key: &KmsPublicKey, algorithm: SigningAlgorithm, message_type: MessageType, format: SignatureFormat) -> (StringRule, StringRule) {
        super::verify_strings(key, &VerifyRules::new(key, algorithm, message_type, format))
    }

    fn signature_rule(name: &str, algorithm: SigningAlgorithm, message_type: MessageType, format: SignatureFormat) -> StringRule {
        verify_strings(&key(name), algorithm, message_type, format).1
    }

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
        use {MessageType::*, SignatureFormat::*, SigningAlgorithm::*};
        let p256 = signature_rule("ECC_NIST_P256_SIGN_VERIFY", EcdsaSha256, Raw, Der);
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
        let rsa = signature_rule("RSA_2048_SIGN_VERIFY", RsassaPssSha256, Raw, Der);
        assert_eq!(rsa, StringRule::exactly(256, "an RSASSA_PSS_SHA_256 signature (as long as the 2048-bit modulus)"));
        let p1363 = signature_rule("ECC_NIST_P384_SIGN_VERIFY", EcdsaSha384, Digest, P1363);
        assert!(matches!(p1363, StringRule::Sized { min: 96, max: 96, .. }));
        let ed = signature_rule("ECC_NIST_EDWARDS25519_SIGN_VERIFY", Ed25519PhSha512, Digest, Der);
        assert!(matches!(ed, StringRule::Sized { min: 64, max: 64, .. }));
        let ml_dsa = signature_rule("ML_DSA_65_SIGN_VERIFY", MlDsaShake256, ExternalMu, Der);
        assert!(matches!(ml_dsa, StringRule::Sized { min: 3309, max: 3309, .. }));
    }

    #[test]
    fn a_request_kms_refuses_whatever_its_bytes_reads_strings_only_to_report_the_kms_rule() {
        use {MessageType::*, SignatureFormat::*, SigningAlgorithm::*};
        let refused = (StringRule::Refused, StringRule::Refused);
        // An algorithm of another key type, a message type the algorithm does not take, P1363 for RSA, a key
        // whose usage is not SIGN_VERIFY.
        assert_eq!(verify_strings(&key("ECC_NIST_P256_SIGN_VERIFY"), RsassaPssSha256, Raw, Der), refused);
        assert_eq!(verify_strings(&key("ECC_NIST_EDWARDS25519_SIGN_VERIFY"), Ed25519Sha512, Digest, Der), refused);
        assert_eq!(verify_strings(&key("RSA_2048_SIGN_VERIFY"), RsassaPssSha256, Raw, P1363), refused);
        assert_eq!(verify_strings(&key("RSA_2048_ENCRYPT_DECRYPT"), RsassaPssSha256, Raw, Der), refused);
        // Such a string is base64 when it is, UTF-8 otherwise; the bytes never reach a signature check.
        assert_eq!(read("AQI=", &StringRule::Refused).unwrap(), [1, 2]);
        assert_eq!(read("hello", &StringRule::Refused).unwrap(), b"hello");
    }

    #[test]
    fn a_message_string_is_sized_for_digest_and_mu_and_ambiguous_for_raw() {
        use {MessageType::*, SignatureFormat::*, SigningAlgorithm::*};
        let digest = verify_strings(&key("ECC_NIST_P384_SIGN_VERIFY"), EcdsaSha384, Digest, Der).0;
        let err = bytes_of_string(&encode_hex(&[7; 48]), "Message", &digest, None, Some("MessageEncoding")).unwrap_err();
        assert_eq!(
            err.message(),
            "Message is base64 of 72 bytes; the SHA-384 digest that MessageType DIGEST takes with ECDSA_SHA_384 is 48 bytes. It looks like hex: decode it, or pass bytes"
        );
        let mu = verify_strings(&key("ML_DSA_44_SIGN_VERIFY"), MlDsaShake256, ExternalMu, Der).0;
        assert_eq!(mu, StringRule::exactly(64, "the ML-DSA mu that MessageType EXTERNAL_MU takes"));
        let raw = verify_strings(&key("ECC_NIST_P256_SIGN_VERIFY"), EcdsaSha256, Raw, Der).0;
        assert_eq!(raw, StringRule::Free);
        let err = bytes_of_string("test", "Message", &raw, None, Some("MessageEncoding")).unwrap_err();
        assert!(!err.is_kms_rule());
        assert!(err.message().contains("could be text or base64") && err.message().contains("MessageEncoding: 'utf8' (text) or 'base64'"), "{}", err.message());
        assert_eq!(bytes_of_string("test", "Message", &raw, Some(TextEncoding::Utf8), Some("MessageEncoding")).unwrap(), b"test");
        assert_eq!(bytes_of_string("dGVzdA==", "Message", &raw, Some(TextEncoding::Base64), Some("MessageEncoding")).unwrap(), b"test");
        // Said to be base64, a DIGEST string is still checked against the digest length.
        assert!(bytes_of_string("dGVzdA==", "Message", &digest, Some(TextEncoding::Base64), None).is_err());
    }

    #[cfg(feature = "encrypt")]
    #[test]
    fn a_plaintext_string_is_ambiguous_unless_kms_refuses_the_request_anyway() {
        use crate::spec::EncryptionAlgorithm::*;
        let encrypt_plaintext = |key: &KmsPublicKey, algorithm, pairs| super::encrypt_plaintext(&crate::encrypt::EncryptRules::new(key, algorithm, pairs));
        assert_eq!(encrypt_plaintext(&key("RSA_2048_ENCRYPT_DECRYPT"), RsaesOaepSha256, 0), StringRule::Free);
        assert_eq!(encrypt_plaintext(&key("RSA_2048_ENCRYPT_DECRYPT"), RsaesOaepSha256, 1), StringRule::Refused);
        assert_eq!(encrypt_plaintext(&key("RSA_2048_SIGN_VERIFY"), RsaesOaepSha256, 0), StringRule::Refused);
        assert_eq!(encrypt_plaintext(&key("RSA_2048_ENCRYPT_DECRYPT"), Sm2Pke, 0), StringRule::Refused);
    }
}
