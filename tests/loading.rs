//! Loading what a new user has first (issue 17, items 2 and 5): real GetPublicKey output of every key spec, the
//! forward-compatibility rules of KMS-RULES.md §1.3, and errors that say what an input that is no public key is.

mod common;
use common::{Fixture, signing_metadata as metadata};

fn pem(name: &str) -> String {
    Fixture::load(name).pem()
}
use kms_offline::spec::KEY_SPEC_RULES;
use kms_offline::{
    EncryptionAlgorithm, GetPublicKeyOutput, KeySpec, KeyUsage, KmsError, KmsPublicKey, MessageType, SigningAlgorithm,
    VerifyRequest,
};
use serde_json::Value;

fn assert_refused(error: KmsError, name: &str, mentions: &[&str]) {
    assert_eq!(error.name(), name, "{error}");
    for text in mentions {
        assert!(error.message().contains(text), "message should mention {text:?}: {error}");
    }
}

/// A fixture's GetPublicKey output with `edit` applied, as JSON text.
fn edited(name: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut output = Fixture::load(name).json["GetPublicKey"].as_object().unwrap().clone();
    edit(&mut output);
    Value::Object(output).to_string()
}

fn load(json: &str) -> Result<KmsPublicKey, KmsError> {
    KmsPublicKey::from_get_public_key_json(json)
}



#[test]
fn customer_master_key_spec_equal_to_key_spec_loads_for_every_spec() {
    for fixture in Fixture::all() {
        let spec = fixture.get("KeySpec").as_str().unwrap().to_owned();
        let with_both = edited(&fixture.name, |o| {
            o.insert("CustomerMasterKeySpec".into(), spec.clone().into());
        });
        let key = load(&with_both).unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
        assert_eq!(key.key_spec().as_str(), spec);
        // CustomerMasterKeySpec alone (older tools that print only it) loads too.
        let legacy_only = edited(&fixture.name, |o| {
            o.remove("KeySpec");
            o.insert("CustomerMasterKeySpec".into(), spec.clone().into());
        });
        assert_eq!(load(&legacy_only).unwrap_or_else(|e| panic!("{}: {e}", fixture.name)).key_spec().as_str(), spec);
        // A contradiction is refused.
        let other = if spec == "ML_DSA_65" { "ML_DSA_44" } else { "ML_DSA_65" };
        let disagree = edited(&fixture.name, |o| {
            o.insert("CustomerMasterKeySpec".into(), other.into());
        });
        assert_refused(load(&disagree).unwrap_err(), "ValidationException", &["disagree", &spec, other]);
    }
}

#[test]
fn an_unknown_algorithm_in_the_keys_own_list_is_kept_shown_and_refused_as_unsupported() {
    let json = edited("RSA_2048_SIGN_VERIFY", |o| {
        o.insert("SigningAlgorithms".into(), serde_json::json!(["RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA3_256", "RSASSA_PKCS1_V1_5_SHA_256"]));
    });
    let key = load(&json).unwrap();
    let meta = key.metadata();
    assert_eq!(meta.signing_algorithms, [SigningAlgorithm::RsassaPssSha256, SigningAlgorithm::RsassaPkcs1V15Sha256]);
    assert_eq!(meta.algorithm_names(KeyUsage::SignVerify), ["RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA3_256", "RSASSA_PKCS1_V1_5_SHA_256"]);
    // The GetPublicKey JSON round trip keeps it in its place.
    let again = load(&key.to_get_public_key_json()).unwrap();
    assert_eq!(again.metadata(), meta);
    assert!(key.to_get_public_key_json().contains("\"RSASSA_PSS_SHA3_256\""));
    // A request naming it: this version cannot perform it. A request naming an unknown value the key does not
    // list: KMS's enum validation.
    let unsupported = key.request_algorithm::<SigningAlgorithm>("RSASSA_PSS_SHA3_256", "SigningAlgorithm").unwrap_err();
    assert_refused(unsupported, "UnsupportedOperationException", &["cannot perform RSASSA_PSS_SHA3_256", "RSASSA_PSS_SHA_256"]);
    let invalid = key.request_algorithm::<SigningAlgorithm>("RSASSA_PSS_SHA3_384", "SigningAlgorithm").unwrap_err();
    assert_refused(invalid, "ValidationException", &["enum value set"]);
    // The same name asked for as another kind of algorithm is no listed algorithm.
    let other_kind = key.request_algorithm::<EncryptionAlgorithm>("RSASSA_PSS_SHA3_256", "EncryptionAlgorithm").unwrap_err();
    assert_refused(other_kind, "ValidationException", &["enum value set"]);
    // The known algorithms work as before.
    assert_eq!(key.request_algorithm::<SigningAlgorithm>("RSASSA_PSS_SHA_256", "SigningAlgorithm"), Ok(SigningAlgorithm::RsassaPssSha256));
    let signature = Fixture::load("RSA_2048_SIGN_VERIFY").signature_cases().into_iter().find(|c| c.valid && c.algorithm == SigningAlgorithm::RsassaPssSha256);
    if let Some(case) = signature {
        assert_eq!(key.verify(&case.request()), Ok(true));
    }
}

#[test]
fn a_list_of_only_unknown_algorithms_loads_and_every_key_usage_keeps_them() {
    for (name, member, unknown) in [
        ("ML_DSA_65_SIGN_VERIFY", "SigningAlgorithms", "ML_DSA_SHAKE_256_PREHASH"),
        ("RSA_3072_ENCRYPT_DECRYPT", "EncryptionAlgorithms", "RSAES_OAEP_SHA_384"),
        ("ECC_NIST_P384_KEY_AGREEMENT", "KeyAgreementAlgorithms", "ECDH_COFACTOR"),
        ("ML_KEM_768_ENCAPSULATE_DECAPSULATE", "EncapsulationAlgorithms", "X_WING"),
    ] {
        let json = edited(name, |o| {
            o.insert(member.into(), serde_json::json!([unknown, unknown]));
        });
        let key = load(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(key.metadata().algorithm_names(key.key_usage()), [unknown], "{name}: duplicates are dropped as for known values");
    }
}

#[test]
fn garbage_in_an_algorithm_list_is_still_a_validation_error() {
    let long = "A".repeat(65);
    for bad in ["rsassa_pss_sha_256", "RSASSA PSS", "", "RSASSA-PSS-SHA-256", "1RSA", long.as_str(), "ÉCDSA"] {
        let json = edited("RSA_2048_SIGN_VERIFY", |o| {
            o.insert("SigningAlgorithms".into(), serde_json::json!(["RSASSA_PSS_SHA_256", bad]));
        });
        assert_refused(load(&json).unwrap_err(), "ValidationException", &["SigningAlgorithms", "enum value set"]);
    }
    // A value of another algorithm enum in the list contradicts it; it is no new algorithm.
    let json = edited("RSA_2048_SIGN_VERIFY", |o| {
        o.insert("SigningAlgorithms".into(), serde_json::json!(["RSAES_OAEP_SHA_256"]));
    });
    assert_refused(load(&json).unwrap_err(), "ValidationException", &["RSAES_OAEP_SHA_256", "belongs in EncryptionAlgorithms"]);
    // Unknown names are bounded.
    let many: Vec<String> = (0..17).map(|i| format!("NEW_ALGORITHM_{i}")).collect();
    let json = edited("RSA_2048_SIGN_VERIFY", |o| {
        o.insert("SigningAlgorithms".into(), serde_json::json!(many));
    });
    assert_refused(load(&json).unwrap_err(), "ValidationException", &["over 16"]);
}

#[test]
fn an_unknown_key_spec_or_key_usage_is_unsupported_naming_what_loads() {
    let spec = edited("ECC_NIST_P256_SIGN_VERIFY", |o| {
        o.insert("KeySpec".into(), "ECC_NIST_P257".into());
        o.remove("CustomerMasterKeySpec");
    });
    assert_refused(
        load(&spec).unwrap_err(),
        "UnsupportedOperationException",
        &["KeySpec ECC_NIST_P257 is unknown", "RSA_2048", "ML_KEM_1024", "this public key is ECC P-256 (KeySpec ECC_NIST_P256)"],
    );
    let both = edited("ECC_NIST_P256_SIGN_VERIFY", |o| {
        o.insert("KeySpec".into(), "ECC_NIST_P257".into());
        o.insert("CustomerMasterKeySpec".into(), "ECC_NIST_P257".into());
    });
    assert_eq!(load(&both).unwrap_err().name(), "UnsupportedOperationException");
    let usage = edited("ECC_NIST_P256_SIGN_VERIFY", |o| {
        o.insert("KeyUsage".into(), "SIGN_AND_ATTEST".into());
    });
    assert_refused(load(&usage).unwrap_err(), "UnsupportedOperationException", &["KeyUsage SIGN_AND_ATTEST is unknown", "SIGN_VERIFY", "KEY_AGREEMENT"]);
    // Garbage stays KMS's enum validation.
    for bad in ["ecc_nist_p256", "ECC NIST P256"] {
        let spec = edited("ECC_NIST_P256_SIGN_VERIFY", |o| {
            o.insert("KeySpec".into(), bad.into());
            o.remove("CustomerMasterKeySpec");
        });
        assert_refused(load(&spec).unwrap_err(), "ValidationException", &["enum value set"]);
    }
    // Every load refusal stays a local input error.
    assert!(!load(&usage).unwrap_err().is_kms_rule());
}

/// DER of `SEQUENCE { r INTEGER, s INTEGER }` with 32-byte r and s: an ECDSA P-256 signature's shape.
fn ecdsa_signature_der() -> Vec<u8> {
    Fixture::load("ECC_NIST_P256_SIGN_VERIFY").signature_cases().into_iter().find(|c| c.valid).unwrap().signature
}

#[test]
fn input_that_is_no_public_key_says_what_it_is_before_any_metadata_complaint() {
    let signature = ecdsa_signature_der();
    let b64 = kms_offline::encoding::encode_base64(&signature);
    let random: Vec<u8> = (0..64u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80).collect();
    let private_pem = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").json["PrivateKeyPem"].as_str().unwrap().to_owned();
    let private_der = kms_offline::encoding::private_key_der(private_pem.as_bytes()).unwrap().to_vec();
    let certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("plain text", b"hello world".to_vec(), "it is text ('hello world')"),
        ("DER signature", signature, "two INTEGERs, the form of an ECDSA or SM2 signature"),
        ("base64 signature", b64.into_bytes(), "its text holds a DER SEQUENCE of two INTEGERs"),
        ("random bytes", random, "binary data that are not DER"),
        ("PEM certificate", certificate.as_bytes().to_vec(), "PEM CERTIFICATE"),
        ("PEM private key", private_pem.into_bytes(), "a private key"),
        ("DER private key", private_der, "PKCS#8 private key"),
        ("JSON", b"{\"KeyId\": \"x\"}".to_vec(), "JSON text"),
    ];
    for (what, input, says) in cases {
        // With no metadata at all, the input is named first.
        let error = KmsPublicKey::from_public_key(&input, GetPublicKeyOutput::default()).unwrap_err();
        assert_refused(error.clone(), "ValidationException", &["PublicKey is not a public key", says, "expected a DER SubjectPublicKeyInfo, PEM 'PUBLIC KEY', or base64 of one"]);
        assert!(!error.message().contains("KeySpec"), "{what}: {error}");
        assert!(!error.is_kms_rule(), "{what}");
        assert_eq!(KmsPublicKey::detect_key_spec(&input).unwrap_err(), error, "{what}");
    }
}

#[test]
fn missing_metadata_suggests_the_metadata_of_the_detected_key_type() {
    let error = KmsPublicKey::from_public_key(pem("RSA_2048_SIGN_VERIFY").as_bytes(), GetPublicKeyOutput::default()).unwrap_err();
    let rule = KeySpec::Rsa2048.rule();
    let signing = rule.algorithm_names(KeyUsage::SignVerify).join(", ");
    assert_refused(
        error,
        "ValidationException",
        &[
            "KeySpec is required",
            "this public key is RSA 2048-bit, so KeySpec RSA_2048 with KeyUsage",
            &format!("SIGN_VERIFY (SigningAlgorithms from {signing})"),
            "ENCRYPT_DECRYPT (EncryptionAlgorithms from RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256)",
        ],
    );
    let p256 = KmsPublicKey::from_public_key(pem("ECC_NIST_P256_KEY_AGREEMENT").as_bytes(), GetPublicKeyOutput::default()).unwrap_err();
    assert_refused(p256, "ValidationException", &["ECC P-256, so KeySpec ECC_NIST_P256", "KEY_AGREEMENT (KeyAgreementAlgorithms from ECDH)"]);
    let mut no_usage = metadata("ML_DSA_65", "SIGN_VERIFY", &["ML_DSA_SHAKE_256"]);
    no_usage.key_usage = None;
    let error = KmsPublicKey::from_public_key(pem("ML_DSA_65_SIGN_VERIFY").as_bytes(), no_usage).unwrap_err();
    assert_refused(error, "ValidationException", &["KeyUsage is required", "SIGN_VERIFY (SigningAlgorithms from ML_DSA_SHAKE_256)"]);
    // A KeySpec that does not match the key names the key's own.
    let error = KmsPublicKey::from_public_key(pem("ECC_NIST_P384_SIGN_VERIFY").as_bytes(), metadata("ECC_NIST_P256", "SIGN_VERIFY", &["ECDSA_SHA_256"]))
        .unwrap_err();
    assert_refused(error, "ValidationException", &["does not match KeySpec ECC_NIST_P256", "this public key is ECC P-384 (KeySpec ECC_NIST_P384)"]);
}

#[test]
fn every_fixture_key_spec_is_detected_from_its_public_key() {
    for fixture in Fixture::all() {
        let key = fixture.key();
        assert_eq!(KeySpec::detect(key.spki_der()), Some(key.key_spec()), "{}", fixture.name);
        for form in [key.spki_der().to_vec(), key.spki_pem().into_bytes(), kms_offline::encoding::encode_base64(key.spki_der()).into_bytes()] {
            assert_eq!(KmsPublicKey::detect_key_spec(&form), Ok(Some(key.key_spec())), "{}", fixture.name);
        }
    }
    // Every spec with a public key has a fixture, so the table's every key type is detected.
    let with_key = KEY_SPEC_RULES.iter().filter(|r| r.key_type != kms_offline::spec::KeyType::NoPublicKey).count();
    let specs: std::collections::BTreeSet<String> = Fixture::all().iter().map(|f| f.get("KeySpec").as_str().unwrap().to_owned()).collect();
    assert_eq!(specs.len(), with_key);
}

#[test]
fn an_rsa_key_of_no_kms_size_is_detected_as_none() {
    // RSA 1024-bit SPKI (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024), modulus arbitrary.
    let mut modulus = vec![0xC0u8; 128];
    modulus[127] = 0x01;
    let mut rsa_public_key = vec![0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00];
    rsa_public_key.extend(&modulus);
    rsa_public_key.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
    let mut spki = vec![0x30, 0x81, 0x9f, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x81, 0x8d, 0x00];
    spki.extend(&rsa_public_key);
    assert_eq!(KmsPublicKey::detect_key_spec(&spki), Ok(None));
    let error = KmsPublicKey::from_public_key(&spki, GetPublicKeyOutput::default()).unwrap_err();
    assert_refused(error, "ValidationException", &["RSA 1024-bit, which no KMS key spec has"]);
    // The PKCS#1 RSAPublicKey alone is named as such.
    let error = KmsPublicKey::from_public_key(&rsa_public_key, GetPublicKeyOutput::default()).unwrap_err();
    assert_refused(error, "ValidationException", &["PKCS#1 RSAPublicKey", "-RSAPublicKey_in -pubout"]);
}

#[test]
fn invalid_signature_errors_name_the_signatures_own_form() {
    let cases = [
        ("RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha256, "the RSASSA-PSS signature"),
        ("RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPkcs1V15Sha256, "the RSASSA-PKCS1-v1_5 signature"),
        ("ECC_NIST_P256_SIGN_VERIFY", SigningAlgorithm::EcdsaSha256, "the DER signature"),
        ("SM2_SIGN_VERIFY", SigningAlgorithm::Sm2Dsa, "the SM2 DER signature"),
        ("ECC_NIST_EDWARDS25519_SIGN_VERIFY", SigningAlgorithm::Ed25519Sha512, "the Ed25519 signature"),
        ("ML_DSA_44_SIGN_VERIFY", SigningAlgorithm::MlDsaShake256, "the ML-DSA signature"),
    ];
    for (name, algorithm, form) in cases {
        let key = Fixture::load(name).key();
        let request = VerifyRequest { message: b"m", signature: &[1; 64], signing_algorithm: algorithm, message_type: MessageType::Raw };
        for error in [key.verify_or_error(&request).unwrap_err(), key.verify_formatted_or_error(&request, kms_offline::SignatureFormat::Der).unwrap_err()] {
            assert_refused(error, "KMSInvalidSignatureException", &[form]);
        }
    }
    let p256 = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let request = VerifyRequest { message: b"m", signature: &[1; 64], signing_algorithm: SigningAlgorithm::EcdsaSha256, message_type: MessageType::Raw };
    assert_refused(p256.verify_formatted_or_error(&request, kms_offline::SignatureFormat::P1363).unwrap_err(), "KMSInvalidSignatureException", &["the P1363 signature"]);
}
