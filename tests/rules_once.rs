//! Each request's KMS rules are evaluated exactly once on every path (issue 20, item 2): the synchronous
//! verify, a P1363 signature, the WebCrypto plan and its synchronous fallback, and the string rules read
//! before the bytes; the same for Encrypt, DeriveSharedSecret and Encapsulate. `verify::rule_checks` counts
//! the evaluations on this thread (tests run on threads of their own, so the counts do not mix; it counts in
//! builds with the `webcrypto` feature, the default). tests/js/rules-once.test.mjs proves the same through
//! the wasm.

mod common;
use common::Fixture;
use kms_offline::signature_format::{curve_of, der_to_p1363};
use kms_offline::string_rules::verify_strings;
use kms_offline::verify::rule_checks;
use kms_offline::{KmsPublicKey, MessageType, SignatureFormat, SigningAlgorithm, VerifyRequest, VerifyRules};

/// How many times the rules were evaluated while `f` ran, and its result.
fn checks<T>(f: impl FnOnce() -> T) -> (u64, T) {
    let before = rule_checks::total();
    let out = f();
    (rule_checks::total() - before, out)
}

fn signing_fixtures() -> Vec<Fixture> {
    Fixture::all().into_iter().filter(|f| f.name.ends_with("_SIGN_VERIFY")).collect()
}

#[test]
fn every_verify_path_checks_the_rules_once_and_answers_as_verify() {
    let mut cases = 0;
    for fixture in signing_fixtures() {
        let key = fixture.key();
        for case in fixture.signature_cases() {
            let request = case.request();
            let (n, answer) = checks(|| key.verify(&request).unwrap());
            assert_eq!((n, answer), (1, case.valid), "{} verify: {}", fixture.name, case.note);
            let (n, _) = checks(|| key.verify_or_error(&request));
            assert_eq!(n, 1, "{} verify_or_error", fixture.name);
            let (n, _) = checks(|| key.verify_formatted_or_error(&request, SignatureFormat::Der));
            assert_eq!(n, 1, "{} verify_formatted_or_error", fixture.name);
            // The WebCrypto path: the plan, then (when WebCrypto cannot answer) the fallback, on one checked request.
            let (n, fallback) = checks(|| {
                let checked = key.check_verify(&request, SignatureFormat::Der).unwrap();
                let _plan = key.webcrypto_verify_checked(&checked);
                key.verify_checked(&checked.into_owned())
            });
            assert_eq!((n, fallback), (1, case.valid), "{} WebCrypto plan and fallback", fixture.name);
            let (n, _) = checks(|| key.webcrypto_verify(&request, SignatureFormat::Der).unwrap());
            assert_eq!(n, 1, "{} webcrypto_verify", fixture.name);
            // P1363 (ECDSA and SM2): one evaluation, not one before the conversion and one after.
            if let (Ok(curve), Ok(p1363)) = (curve_of(key.key_spec()), curve_of(key.key_spec()).and_then(|c| der_to_p1363(&case.signature, c))) {
                let p1363_request = VerifyRequest { signature: &p1363, ..request };
                let (n, answer) = checks(|| key.verify_formatted(&p1363_request, SignatureFormat::P1363).unwrap());
                assert_eq!((n, answer), (1, case.valid), "{} P1363 on {}: {}", fixture.name, curve.name(), case.note);
                let (n, _) = checks(|| key.webcrypto_verify(&p1363_request, SignatureFormat::P1363).unwrap());
                assert_eq!(n, 1, "{} webcrypto_verify P1363", fixture.name);
            }
            cases += 1;
        }
    }
    assert!(cases > 20, "only {cases} signature cases");
}

#[test]
fn a_refused_request_is_checked_once_on_every_path() {
    let p256 = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let rsa = Fixture::load("RSA_2048_SIGN_VERIFY").key();
    let request = |algorithm, message: &'static [u8]| VerifyRequest {
        message,
        signature: &[0x30, 0x06, 2, 1, 1, 2, 1, 1],
        signing_algorithm: algorithm,
        message_type: MessageType::Raw,
    };
    let refusals: [(&KmsPublicKey, VerifyRequest<'_>, SignatureFormat, &str); 4] = [
        (&p256, request(SigningAlgorithm::EcdsaSha256, b""), SignatureFormat::Der, "ValidationException"),
        (&p256, request(SigningAlgorithm::RsassaPssSha256, b"m"), SignatureFormat::P1363, "InvalidKeyUsageException"),
        (&rsa, request(SigningAlgorithm::RsassaPssSha256, b"m"), SignatureFormat::P1363, "ValidationException"),
        (&p256, VerifyRequest { message_type: MessageType::Digest, ..request(SigningAlgorithm::EcdsaSha256, b"m") }, SignatureFormat::P1363, "ValidationException"),
    ];
    for (key, request, format, exception) in refusals {
        let (n, result) = checks(|| key.verify_formatted(&request, format));
        assert_eq!((n, result.unwrap_err().name()), (1, exception), "{request:?} {format}");
        let (n, result) = checks(|| key.webcrypto_verify(&request, format));
        assert_eq!((n, result.unwrap_err().name()), (1, exception), "{request:?} {format}");
        let (n, result) = checks(|| key.verify_formatted_or_error(&request, format));
        assert_eq!((n, result.unwrap_err().name()), (1, exception), "{request:?} {format}");
    }
}

#[test]
fn the_string_rules_and_the_request_share_one_evaluation() {
    // What the JS binding does: the rules that hold whatever the bytes are decide how strings are read,
    // then the same evaluation is completed with the bytes.
    let key = Fixture::load("ECC_NIST_P384_SIGN_VERIFY").key();
    let case = Fixture::load("ECC_NIST_P384_SIGN_VERIFY").signature_cases().into_iter().find(|c| c.valid).unwrap();
    let (n, answer) = checks(|| {
        let rules = VerifyRules::new(&key, case.algorithm, case.message_type, SignatureFormat::Der);
        let _strings = verify_strings(&key, &rules);
        let checked = rules.check(case.message.as_slice().into(), case.signature.as_slice().into()).unwrap();
        key.verify_checked(&checked)
    });
    assert_eq!((n, answer), (1, true));
    // A request refused whatever its bytes: the strings are not read by size, and the refusal comes once.
    let (n, refusal) = checks(|| {
        let rules = VerifyRules::new(&key, SigningAlgorithm::EcdsaSha256, MessageType::Raw, SignatureFormat::Der);
        assert!(rules.refused_whatever_bytes());
        let _strings = verify_strings(&key, &rules);
        rules.check(b"m".as_slice().into(), case.signature.as_slice().into()).unwrap_err()
    });
    assert_eq!((n, refusal.name()), (1, "InvalidKeyUsageException"));
}

#[test]
fn encrypt_and_its_webcrypto_plan_check_the_rules_once() {
    use kms_offline::encrypt::EncryptRules;
    use kms_offline::{EncryptRequest, EncryptionAlgorithm};
    let key = Fixture::load("RSA_2048_ENCRYPT_DECRYPT").key();
    let request = EncryptRequest { plaintext: b"secret", encryption_algorithm: EncryptionAlgorithm::RsaesOaepSha256, encryption_context_pairs: 0 };
    let (n, encrypted) = checks(|| key.encrypt(&request));
    assert_eq!((n, encrypted.unwrap().ciphertext_blob.len()), (1, 256));
    let (n, _) = checks(|| key.check_encrypt(&request).unwrap());
    assert_eq!(n, 1);
    // WebCrypto's plan, then its fallback, on one checked request.
    let (n, fallback) = checks(|| {
        let checked = key.check_encrypt_request(&request).unwrap();
        assert!(key.webcrypto_encrypt_checked(&checked).is_some());
        key.encrypt_checked(&checked)
    });
    assert_eq!((n, fallback.is_ok()), (1, true));
    // The binding's path: the rules decide how a string plaintext reads, then take its bytes.
    let (n, refusal) = checks(|| {
        let rules = EncryptRules::new(&key, EncryptionAlgorithm::RsaesOaepSha256, 1);
        assert!(rules.refused_whatever_plaintext());
        rules.check(b"secret").unwrap_err()
    });
    assert_eq!((n, refusal.name()), (1, "ValidationException"));
    let (n, refusal) = checks(|| key.encrypt(&EncryptRequest { plaintext: &[0; 191], ..request }).unwrap_err());
    assert_eq!((n, refusal.name()), (1, "ValidationException"));
}

#[test]
fn derive_shared_secret_and_encapsulate_check_the_rules_once() {
    use kms_offline::{DeriveSharedSecretRequest, EncapsulationAlgorithm, KeyAgreementAlgorithm};
    let key = Fixture::load("ECC_NIST_P256_KEY_AGREEMENT").key();
    let request = DeriveSharedSecretRequest { key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh, private_key: None };
    let (n, derived) = checks(|| key.derive_shared_secret(&request));
    assert_eq!((n, derived.unwrap().shared_secret.len()), (1, 32));
    let (n, fallback) = checks(|| {
        let checked = key.check_key_agreement_request(&request).unwrap();
        assert!(key.webcrypto_key_agreement_checked(&checked).is_some());
        key.derive_checked(&checked)
    });
    assert_eq!((n, fallback.is_ok()), (1, true));
    let signing = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let (n, refusal) = checks(|| signing.webcrypto_key_agreement(&request).unwrap_err());
    assert_eq!((n, refusal.name()), (1, "InvalidKeyUsageException"));
    let kem = Fixture::load("ML_KEM_768_ENCAPSULATE_DECAPSULATE").key();
    let (n, encapsulated) = checks(|| kem.encapsulate(EncapsulationAlgorithm::MlKem));
    assert_eq!((n, encapsulated.is_ok()), (1, true));
    // encapsulateAsync's path: checked once, then WebCrypto (or, failing it, the wasm math) without checking again.
    let (n, fallback) = checks(|| {
        let checked = kem.check_encapsulate(EncapsulationAlgorithm::MlKem).unwrap();
        assert!(kem.webcrypto_encapsulate_checked(&checked).is_some_and(|native| native.ciphertext_len == 1088));
        kem.encapsulate_checked(&checked)
    });
    assert_eq!((n, fallback.map(|e| e.shared_secret_ciphertext_blob.len()).ok()), (1, Some(1088)));
    let (n, refusal) = checks(|| signing.check_encapsulate(EncapsulationAlgorithm::MlKem).unwrap_err());
    assert_eq!((n, refusal.name()), (1, "InvalidKeyUsageException"));
}

#[test]
fn the_sm2_default_id_is_the_cores_choice() {
    // The binding's sm2Digest() without an ID asks the core for KMS's default, rather than naming it itself.
    let key = Fixture::load("SM2_SIGN_VERIFY").key();
    let default = key.sm2_digest_or_default(None).unwrap().finalize();
    let named = key.sm2_digest(kms_offline::SM2_DEFAULT_DISTINGUISHING_ID.as_bytes()).unwrap().finalize();
    assert_eq!(default, named);
    assert_ne!(key.sm2_digest_or_default(Some(b"another id")).unwrap().finalize(), named);
}

#[test]
fn webcrypto_gets_typed_parameters_and_a_p1363_signature_as_given() {
    use kms_offline::webcrypto::{WebCryptoParams, WebCryptoVerify};
    let named = |name, hash, salt_length, named_curve| WebCryptoParams { name, hash, salt_length, named_curve };
    // ECDSA: imported on its curve, verified with the hash; a P1363 signature passes through unconverted.
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let (key, case) = (fixture.key(), fixture.signature_cases().into_iter().find(|c| c.valid && c.message_type == MessageType::Raw).unwrap());
    let p1363 = der_to_p1363(&case.signature, curve_of(key.key_spec()).unwrap()).unwrap();
    let request = VerifyRequest { signature: &p1363, ..case.request() };
    let WebCryptoVerify::Native { algorithm, signature } = key.webcrypto_verify(&request, SignatureFormat::P1363).unwrap() else { panic!("not native") };
    assert_eq!(signature, p1363);
    assert_eq!(algorithm.import.params, named("ECDSA", None, None, Some("P-256")));
    assert_eq!(algorithm.import.usages, ["verify"]);
    assert_eq!(algorithm.operation, named("ECDSA", Some("SHA-256"), None, None));
    // r = n is out of range: decided without WebCrypto, as verify decides it.
    let mut out_of_range = p1363.clone();
    out_of_range[..32].copy_from_slice(kms_offline::signature_format::order(curve_of(key.key_spec()).unwrap()));
    let request = VerifyRequest { signature: &out_of_range, ..case.request() };
    assert_eq!(key.webcrypto_verify(&request, SignatureFormat::P1363).unwrap(), WebCryptoVerify::Decided(false));
    assert!(!key.verify_formatted(&request, SignatureFormat::P1363).unwrap());
    // RSA-PSS: imported with the hash (the import, so the cache key, differs per hash), verified with the salt length.
    let fixture = Fixture::load("RSA_2048_SIGN_VERIFY");
    let key = fixture.key();
    let case = fixture.signature_cases().into_iter().find(|c| c.valid && c.algorithm == SigningAlgorithm::RsassaPssSha256 && c.message_type == MessageType::Raw).unwrap();
    let WebCryptoVerify::Native { algorithm, .. } = key.webcrypto_verify(&case.request(), SignatureFormat::Der).unwrap() else { panic!("not native") };
    assert_eq!(algorithm.import.params, named("RSA-PSS", Some("SHA-256"), None, None));
    assert_eq!(algorithm.operation, named("RSA-PSS", None, Some(32), None));
}
