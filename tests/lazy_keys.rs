//! An ML-DSA key is checked at load and expanded on its first verify (src/family/ml_dsa.rs, bench/NOTES.md §23):
//! loading expands nothing, the first verify does, every later one uses it; every refusal stays at load; and the
//! EXTERNAL_MU digest (which reads the key's encoding) needs no expansion. The JS side (verifyAsync first or verify
//! first, on every Wycheproof vector) is tests/js/lazy-key-checks.mjs.
mod common;

use common::Fixture;
use kms_offline::{GetPublicKeyOutput, KmsPublicKey, MessageType, Param, Rule, SigningAlgorithm, VerifyRequest};

const SPECS: [&str; 3] = ["ML_DSA_44", "ML_DSA_65", "ML_DSA_87"];

fn metadata(spec: &str) -> GetPublicKeyOutput {
    GetPublicKeyOutput {
        key_spec: Some(spec.into()),
        key_usage: Some("SIGN_VERIFY".into()),
        signing_algorithms: Some(vec!["ML_DSA_SHAKE_256".into()]),
        ..Default::default()
    }
}

/// The fixture's first valid RAW case: (message, signature).
fn valid_raw_case(fixture: &Fixture) -> (Vec<u8>, Vec<u8>) {
    let case = fixture.json["Signatures"].as_array().unwrap().iter().find(|c| c["Valid"] == true && c["MessageType"] == "RAW").unwrap();
    let decode = |m: &str| kms_offline::encoding::decode_base64(case[m].as_str().unwrap(), m).unwrap();
    (decode("Message"), decode("Signature"))
}

#[test]
fn an_ml_dsa_key_is_expanded_by_its_first_verify_not_at_load() {
    for spec in SPECS {
        let fixture = Fixture::load(&format!("{spec}_SIGN_VERIFY"));
        let key = fixture.key();
        assert!(!key.cache_built(), "{spec}: expanded at load");
        let (message, signature) = valid_raw_case(&fixture);
        let request = VerifyRequest { message: &message, signature: &signature, signing_algorithm: SigningAlgorithm::MlDsaShake256, message_type: MessageType::Raw };
        // The rules refuse without expanding it.
        let digest = VerifyRequest { message_type: MessageType::Digest, ..request };
        assert!(key.verify(&digest).is_err(), "{spec}: ML-DSA has no DIGEST");
        assert!(!key.cache_built(), "{spec}: a refused request expanded the key");
        // The EXTERNAL_MU digest reads the encoding only.
        let mu = key.external_mu(&message).unwrap();
        assert!(!key.cache_built(), "{spec}: external_mu expanded the key");
        assert!(key.verify(&request).unwrap(), "{spec}: the fixture's valid signature");
        assert!(key.cache_built(), "{spec}: not expanded by its first verify");
        let external = VerifyRequest { message: &mu, message_type: MessageType::ExternalMu, ..request };
        assert!(key.verify(&external).unwrap(), "{spec}: the same signature over its EXTERNAL_MU");
        let mut tampered = signature.clone();
        tampered[7] ^= 1;
        assert!(!key.verify(&VerifyRequest { signature: &tampered, ..request }).unwrap(), "{spec}: a tampered signature");
    }
}

#[test]
fn a_clone_answers_as_the_key_it_was_cloned_from() {
    let fixture = Fixture::load("ML_DSA_65_SIGN_VERIFY");
    let (message, signature) = valid_raw_case(&fixture);
    let request = VerifyRequest { message: &message, signature: &signature, signing_algorithm: SigningAlgorithm::MlDsaShake256, message_type: MessageType::Raw };
    let key = fixture.key();
    let unexpanded = key.clone();
    assert!(key.verify(&request).unwrap());
    let expanded = key.clone();
    assert!(unexpanded.verify(&request).unwrap());
    assert!(expanded.verify(&request).unwrap());
}

#[test]
fn a_key_of_the_wrong_length_is_still_refused_at_load() {
    for spec in SPECS {
        let fixture = Fixture::load(&format!("{spec}_SIGN_VERIFY"));
        let der = fixture.key().spki_der().to_vec();
        // The SPKI with one byte more or less in its BIT STRING (every length byte of the DER adjusted).
        for delta in [-1i32, 1] {
            let spki = resize_bit_string(&der, delta);
            let error = KmsPublicKey::from_public_key(&spki, metadata(spec)).unwrap_err();
            assert_eq!((error.name(), error.rule()), ("ValidationException", Rule::PublicKeyMismatch), "{spec} {delta}: {error}");
            assert!(error.params().iter().any(|(name, value)| *name == "detail" && *value == Param::Text("key-length".into())), "{spec} {delta}: {error}");
        }
    }
}

/// `der` (SEQUENCE { AlgorithmIdentifier, BIT STRING }, both with two-byte long-form lengths as every ML-DSA SPKI
/// has) with `delta` bytes added to or removed from the end of its BIT STRING.
fn resize_bit_string(der: &[u8], delta: i32) -> Vec<u8> {
    let read_len = |at: usize| (usize::from(der[at]) << 8) | usize::from(der[at + 1]);
    assert_eq!((der[0], der[1]), (0x30, 0x82));
    let outer = read_len(2) as i32 + delta;
    let algorithm_len = 2 + usize::from(der[5]);
    let bit_string_at = 4 + algorithm_len;
    assert_eq!((der[bit_string_at], der[bit_string_at + 1]), (0x03, 0x82));
    let inner = read_len(bit_string_at + 2) as i32 + delta;
    let mut out = der.to_vec();
    out[2..4].copy_from_slice(&(outer as u16).to_be_bytes());
    out[bit_string_at + 2..bit_string_at + 4].copy_from_slice(&(inner as u16).to_be_bytes());
    if delta < 0 {
        out.truncate(out.len() - 1);
    } else {
        out.push(0);
    }
    out
}
