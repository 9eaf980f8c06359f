//! The WebCrypto plans of the families only some runtimes' WebCrypto has (Ed25519, ML-DSA, ML-KEM; issue 24): what
//! the binding's verifyAsync and encapsulateAsync ask the platform for, after every rule. Whether the runtime has the
//! algorithm is found out by the binding (the key's import fails without it); tests/js/native-checks.mjs compares the
//! answers with the wasm ones in Node, Deno and the browsers.

mod common;
use common::Fixture;
use kms_offline::webcrypto::{WebCryptoParams, WebCryptoVerify};
use kms_offline::{EncapsulationAlgorithm, MessageType, SignatureFormat, SigningAlgorithm, VerifyRequest};

const fn named(name: &'static str) -> WebCryptoParams {
    WebCryptoParams { name, hash: None, salt_length: None, named_curve: None }
}

/// The plan for each fixture case of `fixture_name` with the given algorithm and message type.
fn plans(fixture_name: &str, algorithm: SigningAlgorithm, message_type: MessageType) -> Vec<(bool, WebCryptoVerify)> {
    let fixture = Fixture::load(fixture_name);
    let key = fixture.key();
    let cases: Vec<_> = fixture.signature_cases().into_iter().filter(|c| c.algorithm == algorithm && c.message_type == message_type).collect();
    assert!(!cases.is_empty(), "{fixture_name}: no {algorithm:?} {message_type:?} case");
    cases.iter().map(|c| (c.valid, key.webcrypto_verify(&c.request(), SignatureFormat::Der).unwrap())).collect()
}

#[test]
fn ed25519_raw_messages_go_to_webcrypto_ed25519ph_stays_in_wasm() {
    for (valid, plan) in plans("ECC_NIST_EDWARDS25519_SIGN_VERIFY", SigningAlgorithm::Ed25519Sha512, MessageType::Raw) {
        match plan {
            WebCryptoVerify::Native { algorithm, signature } => {
                assert_eq!((algorithm.import.params, algorithm.import.usages, algorithm.operation), (named("Ed25519"), &["verify"][..], named("Ed25519")));
                // Node's WebCrypto (on its thread pool) is no faster than the wasm here: kept in wasm there.
                assert!(!algorithm.in_node);
                assert_eq!(signature.len(), 64);
            }
            // A fixture's tampered signature of another size: decided here, as verify decides it.
            WebCryptoVerify::Decided(answer) => assert!(!answer && !valid),
            WebCryptoVerify::Unsupported => panic!("Ed25519 RAW not planned for WebCrypto"),
        }
    }
    // HashEdDSA over KMS's DIGEST: no WebCrypto algorithm.
    for (_, plan) in plans("ECC_NIST_EDWARDS25519_SIGN_VERIFY", SigningAlgorithm::Ed25519PhSha512, MessageType::Digest) {
        assert_eq!(plan, WebCryptoVerify::Unsupported);
    }
}

#[test]
fn ml_dsa_raw_messages_go_to_webcrypto_external_mu_stays_in_wasm() {
    for (fixture, name, size) in [("ML_DSA_44_SIGN_VERIFY", "ML-DSA-44", 2420), ("ML_DSA_65_SIGN_VERIFY", "ML-DSA-65", 3309), ("ML_DSA_87_SIGN_VERIFY", "ML-DSA-87", 4627)] {
        let mut native = 0;
        for (valid, plan) in plans(fixture, SigningAlgorithm::MlDsaShake256, MessageType::Raw) {
            match plan {
                WebCryptoVerify::Native { algorithm, signature } => {
                    // Pure ML-DSA with the empty context: WebCrypto's default, so no `context` member.
                    assert_eq!((algorithm.import.params, algorithm.operation), (named(name), named(name)), "{fixture}");
                    assert!(!algorithm.in_node, "{fixture}");
                    assert_eq!(signature.len(), size, "{fixture}");
                    native += 1;
                }
                WebCryptoVerify::Decided(answer) => assert!(!answer && !valid, "{fixture}"),
                WebCryptoVerify::Unsupported => panic!("{fixture}: RAW not planned for WebCrypto"),
            }
        }
        assert!(native >= 3, "{fixture}: {native} native plans");
        for (_, plan) in plans(fixture, SigningAlgorithm::MlDsaShake256, MessageType::ExternalMu) {
            assert_eq!(plan, WebCryptoVerify::Unsupported, "{fixture}: EXTERNAL_MU has no WebCrypto form");
        }
    }
}

#[test]
fn a_signature_of_the_wrong_size_is_decided_without_webcrypto() {
    for (fixture, algorithm) in [("ECC_NIST_EDWARDS25519_SIGN_VERIFY", SigningAlgorithm::Ed25519Sha512), ("ML_DSA_65_SIGN_VERIFY", SigningAlgorithm::MlDsaShake256)] {
        let fixture = Fixture::load(fixture);
        let key = fixture.key();
        let case = fixture.signature_cases().into_iter().find(|c| c.valid && c.algorithm == algorithm && c.message_type == MessageType::Raw).unwrap();
        let longer = [case.signature.as_slice(), &[0]].concat();
        let request = VerifyRequest { signature: &longer, ..case.request() };
        assert_eq!(key.webcrypto_verify(&request, SignatureFormat::Der).unwrap(), WebCryptoVerify::Decided(false));
        assert!(!key.verify(&request).unwrap());
    }
}

#[test]
fn ml_kem_encapsulation_plans_name_the_parameter_set_and_the_ciphertext_size() {
    for (fixture, name, ciphertext_len) in [("ML_KEM_512_ENCAPSULATE_DECAPSULATE", "ML-KEM-512", 768), ("ML_KEM_768_ENCAPSULATE_DECAPSULATE", "ML-KEM-768", 1088), ("ML_KEM_1024_ENCAPSULATE_DECAPSULATE", "ML-KEM-1024", 1568)] {
        let key = Fixture::load(fixture).key();
        let checked = key.check_encapsulate(EncapsulationAlgorithm::MlKem).unwrap();
        let plan = key.webcrypto_encapsulate_checked(&checked).unwrap();
        assert_eq!((plan.algorithm.import.params, plan.algorithm.import.usages, plan.algorithm.operation), (named(name), &["encapsulateBits"][..], named(name)));
        assert_eq!(plan.ciphertext_len, ciphertext_len);
        // Node's ML-KEM (24+) is 2.4x the wasm even through its thread pool.
        assert!(plan.algorithm.in_node);
        assert_eq!(key.encapsulate_checked(&checked).unwrap().shared_secret_ciphertext_blob.len() as u32, ciphertext_len);
    }
}

/// A valid signature with S replaced by S + L (the same scalar mod L, Wycheproof ed25519 tcId 63): refused by
/// verify as by KMS, so never handed to WebCrypto, whose Ed25519 in WebKit accepts it.
#[test]
fn ed25519_signature_with_s_not_below_l_is_decided_false_before_webcrypto() {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let fixture = Fixture::load("ECC_NIST_EDWARDS25519_SIGN_VERIFY");
    let key = fixture.key();
    let case = fixture.signature_cases().into_iter().find(|c| c.valid && c.algorithm == SigningAlgorithm::Ed25519Sha512).expect("a valid Ed25519 case");
    let mut request = case.request();
    assert!(matches!(key.webcrypto_verify(&request, SignatureFormat::Der).unwrap(), WebCryptoVerify::Native { .. }));
    // S + L, little-endian; a fixture S is below 2^253, so the sum stays in 32 bytes.
    let mut signature = request.signature.to_vec();
    let mut carry = 0u16;
    for (byte, l) in signature[32..].iter_mut().zip(L) {
        let sum = u16::from(*byte) + u16::from(l) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    request.signature = &signature;
    assert!(!key.verify(&request).unwrap(), "the crate refuses S + L");
    assert_eq!(key.webcrypto_verify(&request, SignatureFormat::Der).unwrap(), WebCryptoVerify::Decided(false));
}
