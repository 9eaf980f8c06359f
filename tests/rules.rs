//! One test per KMS rule: each refused request gives KMS's exception name and a message that says
//! which rule was broken and what is allowed.

mod common;
use common::{Fixture, signing_metadata as metadata};

fn pem(name: &str) -> String {
    Fixture::load(name).pem()
}
use kms_offline::{GetPublicKeyOutput, KmsError, KmsPublicKey, MessageType, SigningAlgorithm, VerifyRequest};

fn refused(key: &KmsPublicKey, algorithm: SigningAlgorithm, message_type: MessageType, message: &[u8]) -> KmsError {
    let request = VerifyRequest { message, signature: &[0x30, 0x06, 2, 1, 1, 2, 1, 1], signing_algorithm: algorithm, message_type };
    key.verify(&request).expect_err("KMS would refuse this request")
}

fn assert_refused(error: KmsError, name: &str, mentions: &[&str]) {
    assert_eq!(error.name(), name, "{error}");
    for text in mentions {
        assert!(error.message().contains(text), "message should mention {text:?}: {error}");
    }
}



#[test]
fn verify_with_a_key_that_is_not_sign_verify_is_invalid_key_usage() {
    for name in ["RSA_2048_ENCRYPT_DECRYPT", "ECC_NIST_P256_KEY_AGREEMENT", "SM2_ENCRYPT_DECRYPT", "ML_KEM_768_ENCAPSULATE_DECAPSULATE"] {
        let key = Fixture::load(name).key();
        let alg = match key.key_spec().as_str() {
            "SM2" => SigningAlgorithm::Sm2Dsa,
            "ECC_NIST_P256" => SigningAlgorithm::EcdsaSha256,
            _ => SigningAlgorithm::RsassaPssSha256,
        };
        assert_refused(refused(&key, alg, MessageType::Raw, b"m"), "InvalidKeyUsageException", &["not valid for Verify", "SIGN_VERIFY"]);
    }
}

#[test]
fn algorithm_not_valid_for_the_key_spec_is_invalid_key_usage() {
    let key = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let error = refused(&key, SigningAlgorithm::EcdsaSha384, MessageType::Raw, b"m");
    assert_refused(error, "InvalidKeyUsageException", &["ECDSA_SHA_384", "ECC_NIST_P256", "allowed are ECDSA_SHA_256"]);
    let rsa = Fixture::load("RSA_2048_SIGN_VERIFY").key();
    assert_refused(refused(&rsa, SigningAlgorithm::Ed25519Sha512, MessageType::Raw, b"m"), "InvalidKeyUsageException", &["RSA_2048"]);
}

#[test]
fn algorithm_not_in_the_keys_list_is_invalid_key_usage() {
    // A key whose metadata lists only PSS: PKCS#1 v1.5 is valid for RSA_2048 but not for this key.
    let key = KmsPublicKey::from_public_key(
        pem("RSA_2048_SIGN_VERIFY").as_bytes(),
        metadata("RSA_2048", "SIGN_VERIFY", &["RSASSA_PSS_SHA_256"]),
    )
    .unwrap();
    let error = refused(&key, SigningAlgorithm::RsassaPkcs1V15Sha256, MessageType::Raw, b"m");
    assert_refused(error, "InvalidKeyUsageException", &["not in this key's SigningAlgorithms", "RSASSA_PSS_SHA_256"]);
}

#[test]
fn raw_message_must_be_1_to_4096_bytes() {
    let key = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    for len in [0, 4097, 100_000] {
        let error = refused(&key, SigningAlgorithm::EcdsaSha256, MessageType::Raw, &vec![7; len]);
        assert_refused(error, "ValidationException", &["Message", "1 to 4096", "DIGEST"]);
    }
    let ed = Fixture::load("ECC_NIST_EDWARDS25519_SIGN_VERIFY").key();
    let error = refused(&ed, SigningAlgorithm::Ed25519Sha512, MessageType::Raw, &[1; 4097]);
    assert_refused(error, "ValidationException", &["ED25519_PH_SHA_512"]);
}

#[test]
fn digest_must_have_the_algorithms_hash_length() {
    let cases = [
        ("RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPkcs1V15Sha256, 32),
        ("RSA_3072_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha384, 48),
        ("RSA_4096_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha512, 64),
        ("ECC_NIST_P384_SIGN_VERIFY", SigningAlgorithm::EcdsaSha384, 48),
        ("ECC_NIST_P521_SIGN_VERIFY", SigningAlgorithm::EcdsaSha512, 64),
        ("ECC_SECG_P256K1_SIGN_VERIFY", SigningAlgorithm::EcdsaSha256, 32),
        ("SM2_SIGN_VERIFY", SigningAlgorithm::Sm2Dsa, 32),
        ("ECC_NIST_EDWARDS25519_SIGN_VERIFY", SigningAlgorithm::Ed25519PhSha512, 64),
    ];
    for (name, algorithm, good) in cases {
        let key = Fixture::load(name).key();
        for len in [1, 20, good - 1, good + 1, 4096] {
            let error = refused(&key, algorithm, MessageType::Digest, &vec![1; len]);
            assert_refused(error, "ValidationException", &["Digest is invalid length", algorithm.as_str(), &format!("{good} bytes")]);
        }
        // The right length passes the rules and reaches the signature check.
        let request = VerifyRequest { message: &vec![1; good], signature: &[1], signing_algorithm: algorithm, message_type: MessageType::Digest };
        assert_eq!(key.verify(&request), Ok(false), "{name}");
    }
}

#[test]
fn message_type_the_algorithm_does_not_take_is_validation() {
    let ed = Fixture::load("ECC_NIST_EDWARDS25519_SIGN_VERIFY").key();
    assert_refused(refused(&ed, SigningAlgorithm::Ed25519Sha512, MessageType::Digest, &[1; 64]), "ValidationException", &["allowed are RAW"]);
    assert_refused(refused(&ed, SigningAlgorithm::Ed25519PhSha512, MessageType::Raw, b"m"), "ValidationException", &["allowed are DIGEST"]);
    let ml = Fixture::load("ML_DSA_65_SIGN_VERIFY").key();
    assert_refused(refused(&ml, SigningAlgorithm::MlDsaShake256, MessageType::Digest, &[1; 64]), "ValidationException", &["RAW, EXTERNAL_MU"]);
    for name in ["RSA_2048_SIGN_VERIFY", "ECC_NIST_P256_SIGN_VERIFY", "SM2_SIGN_VERIFY"] {
        let key = Fixture::load(name).key();
        let algorithm = key.metadata().signing_algorithms[0];
        assert_refused(refused(&key, algorithm, MessageType::ExternalMu, &[1; 64]), "ValidationException", &["EXTERNAL_MU"]);
    }
}

#[test]
fn external_mu_must_be_64_bytes() {
    let ml = Fixture::load("ML_DSA_44_SIGN_VERIFY").key();
    for len in [32, 63, 65] {
        assert_refused(refused(&ml, SigningAlgorithm::MlDsaShake256, MessageType::ExternalMu, &vec![1; len]), "ValidationException", &["64 bytes", "mu"]);
    }
}

#[test]
fn signature_blob_must_be_1_to_6144_bytes() {
    let key = Fixture::load("ML_DSA_87_SIGN_VERIFY").key();
    for len in [0, 6145] {
        let request = VerifyRequest { message: b"m", signature: &vec![0; len], signing_algorithm: SigningAlgorithm::MlDsaShake256, message_type: MessageType::Raw };
        assert_refused(key.verify(&request).unwrap_err(), "ValidationException", &["Signature", "1 to 6144"]);
    }
}

#[test]
fn unknown_enum_strings_are_refused_with_the_allowed_values() {
    let error = "ECDSA_SHA256".parse::<SigningAlgorithm>().unwrap_err();
    assert_refused(error, "ValidationException", &["ECDSA_SHA256", "enum value set", "ECDSA_SHA_256", "ML_DSA_SHAKE_256"]);
    // Values that cannot be KMS enum values: a well-formed unknown one is a newer KMS's (tests/loading.rs).
    let error = KmsPublicKey::from_public_key(pem("ECC_NIST_P256_SIGN_VERIFY").as_bytes(), metadata("ECC-P256", "SIGN_VERIFY", &["ECDSA_SHA_256"])).unwrap_err();
    assert_refused(error, "ValidationException", &["'KeySpec'", "ECC_NIST_P256"]);
    let error = KmsPublicKey::from_public_key(pem("ECC_NIST_P256_SIGN_VERIFY").as_bytes(), metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA-257"])).unwrap_err();
    assert_refused(error, "ValidationException", &["'SigningAlgorithms'", "ECDSA_SHA_256"]);
}

#[test]
fn spki_that_does_not_match_the_key_spec_is_refused_at_load() {
    let cases = [
        ("ECC_NIST_P256_SIGN_VERIFY", "ECC_NIST_P384", "ECDSA_SHA_384", "curve"),
        ("ECC_NIST_P256_SIGN_VERIFY", "ECC_SECG_P256K1", "ECDSA_SHA_256", "curve"),
        ("RSA_2048_SIGN_VERIFY", "RSA_3072", "RSASSA_PSS_SHA_256", "2048 bits"),
        ("RSA_2048_SIGN_VERIFY", "ECC_NIST_P256", "ECDSA_SHA_256", "id-ecPublicKey"),
        ("ML_DSA_44_SIGN_VERIFY", "ML_DSA_65", "ML_DSA_SHAKE_256", "algorithm"),
        ("ECC_NIST_EDWARDS25519_SIGN_VERIFY", "ECC_NIST_P256", "ECDSA_SHA_256", "algorithm"),
        ("SM2_SIGN_VERIFY", "ECC_NIST_P256", "ECDSA_SHA_256", "curve"),
    ];
    for (name, spec, algorithm, mentions) in cases {
        let error = KmsPublicKey::from_public_key(pem(name).as_bytes(), metadata(spec, "SIGN_VERIFY", &[algorithm])).unwrap_err();
        assert_refused(error, "ValidationException", &["does not match KeySpec", spec, mentions]);
    }
}

#[test]
fn symmetric_and_hmac_specs_have_no_public_key() {
    for spec in ["SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512"] {
        let meta = GetPublicKeyOutput { key_spec: Some(spec.into()), key_usage: Some("ENCRYPT_DECRYPT".into()), ..Default::default() };
        let error = KmsPublicKey::from_public_key(pem("RSA_2048_SIGN_VERIFY").as_bytes(), meta).unwrap_err();
        assert_refused(error, "UnsupportedOperationException", &[spec, "no public key"]);
    }
}

#[test]
fn usage_must_be_allowed_for_the_spec() {
    let cases = [
        ("ECC_SECG_P256K1_SIGN_VERIFY", "ECC_SECG_P256K1", "KEY_AGREEMENT"),
        ("ECC_NIST_EDWARDS25519_SIGN_VERIFY", "ECC_NIST_EDWARDS25519", "KEY_AGREEMENT"),
        ("ECC_NIST_P256_SIGN_VERIFY", "ECC_NIST_P256", "ENCRYPT_DECRYPT"),
        ("RSA_2048_SIGN_VERIFY", "RSA_2048", "KEY_AGREEMENT"),
        ("ML_DSA_44_SIGN_VERIFY", "ML_DSA_44", "ENCRYPT_DECRYPT"),
    ];
    for (name, spec, usage) in cases {
        let meta = GetPublicKeyOutput {
            key_spec: Some(spec.into()),
            key_usage: Some(usage.into()),
            key_agreement_algorithms: Some(vec!["ECDH".into()]),
            encryption_algorithms: Some(vec!["RSAES_OAEP_SHA_256".into()]),
            ..Default::default()
        };
        let error = KmsPublicKey::from_public_key(pem(name).as_bytes(), meta).unwrap_err();
        assert_refused(error, "InvalidKeyUsageException", &[usage, spec, "allowed usages"]);
    }
}

#[test]
fn listed_algorithms_must_be_valid_for_the_spec() {
    let error = KmsPublicKey::from_public_key(
        pem("ECC_NIST_P256_SIGN_VERIFY").as_bytes(),
        metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256", "RSASSA_PSS_SHA_256"]),
    )
    .unwrap_err();
    assert_refused(error, "InvalidKeyUsageException", &["RSASSA_PSS_SHA_256", "incompatible with key spec ECC_NIST_P256"]);
}

#[test]
fn metadata_is_required_and_consistent() {
    let p256 = pem("ECC_NIST_P256_SIGN_VERIFY");
    let load = |meta: GetPublicKeyOutput| KmsPublicKey::from_public_key(p256.as_bytes(), meta).unwrap_err();
    assert_refused(load(GetPublicKeyOutput::default()), "ValidationException", &["KeySpec is required"]);
    assert_refused(load(metadata("ECC_NIST_P256", "SIGN_VERIFY", &[])), "ValidationException", &["SigningAlgorithms is required"]);
    let mut no_usage = metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]);
    no_usage.key_usage = None;
    assert_refused(load(no_usage), "ValidationException", &["KeyUsage is required"]);
    let mut extra = metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]);
    extra.key_agreement_algorithms = Some(vec!["ECDH".into()]);
    assert_refused(load(extra), "ValidationException", &["KeyAgreementAlgorithms is listed but KeyUsage is SIGN_VERIFY"]);
    let mut disagree = metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]);
    disagree.customer_master_key_spec = Some("ECC_NIST_P384".into());
    assert_refused(load(disagree), "ValidationException", &["disagree"]);
    let mut legacy_only = metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]);
    legacy_only.key_spec = None;
    legacy_only.customer_master_key_spec = Some("ECC_NIST_P256".into());
    assert!(KmsPublicKey::from_public_key(p256.as_bytes(), legacy_only).is_ok());
    let mut bad_arn = metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]);
    bad_arn.key_id = Some("arn:aws:kms:us-east-1:123:key/x".into());
    assert_refused(load(bad_arn), "InvalidArnException", &["12 digits"]);
}

#[test]
fn malformed_public_keys_are_validation_errors() {
    let meta = || metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]);
    let der = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key().spki_der().to_vec();
    let mut compressed = der[..der.len() - 32].to_vec();
    compressed[1] -= 32;
    compressed[24] -= 32;
    compressed[26] = 0x02;
    let mut off_curve = der.clone();
    off_curve[90] ^= 1;
    let mut trailing = der.clone();
    trailing.push(0);
    for (bad, mentions) in [
        (Vec::new(), "empty"),
        (b"not a key".to_vec(), "base64"),
        (der[..40].to_vec(), "SubjectPublicKeyInfo"),
        (trailing, "SubjectPublicKeyInfo"),
        (off_curve, "not on P-256"),
        (compressed, "uncompressed"),
        (b"-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----".to_vec(), "RSA PUBLIC KEY"),
    ] {
        let error = KmsPublicKey::from_public_key(&bad, meta()).unwrap_err();
        assert_refused(error, "ValidationException", &[mentions]);
    }
}

#[test]
fn malformed_signatures_are_false_not_errors() {
    for fixture in Fixture::all().iter().filter(|f| f.name.ends_with("SIGN_VERIFY")) {
        let key = fixture.key();
        for case in fixture.signature_cases().iter().filter(|c| c.valid).take(1) {
            let mut variants: Vec<Vec<u8>> = vec![vec![0], vec![0xff; 6144], case.signature[1..].to_vec()];
            let mut longer = case.signature.clone();
            longer.push(0);
            variants.push(longer);
            for signature in &variants {
                let request = kms_offline::VerifyRequest { signature, ..case.request() };
                assert_eq!(key.verify(&request), Ok(false), "{}", fixture.name);
            }
        }
    }
}

#[test]
fn small_order_ed25519_points_are_refused_at_load() {
    // The identity point: with it, R = identity and S = 0 would "verify" every message.
    let mut identity = hex_bytes("302a300506032b6570032100");
    identity.push(1);
    identity.extend([0u8; 31]);
    let error = KmsPublicKey::from_public_key(&identity, metadata("ECC_NIST_EDWARDS25519", "SIGN_VERIFY", &["ED25519_SHA_512"])).unwrap_err();
    assert_refused(error, "ValidationException", &["small order"]);
}

#[test]
fn json_with_a_byte_order_mark_loads() {
    let json = format!("\u{feff}{}", Fixture::load("ECC_NIST_P256_SIGN_VERIFY").cli_json());
    assert!(KmsPublicKey::from_get_public_key_json(&json).is_ok());
}

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// The page and the CLI say "KMS would refuse this request" only for a KMS rule, never for an input that is
/// not what it must be: the error's origin tells them apart.
#[test]
fn a_kms_rule_refusal_and_a_local_input_error_say_which_they_are() {
    let key = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let rule = refused(&key, SigningAlgorithm::RsassaPssSha256, MessageType::Raw, b"m");
    assert!(rule.is_kms_rule(), "{rule}");
    let digest = refused(&key, SigningAlgorithm::EcdsaSha256, MessageType::Digest, &[0; 31]);
    assert_eq!(digest.name(), "ValidationException");
    assert!(digest.is_kms_rule(), "a digest of the wrong length is KMS's ValidationException: {digest}");
    let not_base64 = kms_offline::encoding::decode_base64("*not base64*", "Signature").unwrap_err();
    assert_eq!((not_base64.name(), not_base64.origin()), ("ValidationException", kms_offline::ErrorOrigin::Input));
    for public_key in ["hello world", "-----BEGIN PUBLIC KEY-----\nAQI=\n-----END PUBLIC KEY-----"] {
        let load = KmsPublicKey::from_public_key(public_key.as_bytes(), metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]))
            .unwrap_err();
        assert!(!load.is_kms_rule(), "loading a key refuses no KMS request: {load}");
    }
    let contradiction = KmsPublicKey::from_public_key(pem("ECC_NIST_P256_SIGN_VERIFY").as_bytes(), metadata("ECC_NIST_P256", "ENCRYPT_DECRYPT", &[]))
        .unwrap_err();
    assert_eq!((contradiction.name(), contradiction.origin()), ("InvalidKeyUsageException", kms_offline::ErrorOrigin::Input));
}
