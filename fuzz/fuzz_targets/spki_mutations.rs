//! Mutated fixture SPKIs, loaded with their fixture's metadata: deep SPKI / RSAPublicKey / EC point /
//! Ed25519 / ML-DSA / ML-KEM parsing, then every operation the key's usage allows on what loaded.
//!
//! Input layout: `[0]` fixture index (mod 23, sorted by name), `[1]` mode: bits 0-1 the form the DER
//! is handed over in (0 DER, 1 PEM, 2 base64 with line breaks, 3 unpadded base64; through
//! GetPublicKey JSON when bit 3 is set), bit 2 loads it with the *next* fixture's metadata instead
//! (a key that is not what KeySpec says); the rest is the DER. The corpus is seeded with every
//! fixture's real DER (`run.sh`), which the fuzzer then mutates.
//!
//! Properties: never panics; every error is a KMS exception; the unmutated DER loads; a key that
//! loads round-trips through JSON and PEM, and every operation on it returns Ok or a KMS error
//! (a valid fixture signature still verifies when the DER is the fixture's own).
#![no_main]

use kms_offline::encoding::encode_base64;
use kms_offline::{
    DeriveSharedSecretRequest, EncapsulationAlgorithm, EncryptRequest, KeyAgreementAlgorithm, KeyUsage, KmsPublicKey,
    VerifyRequest,
};
use kms_offline_fuzz::{FIXTURES, check_loaded_key, checked, encode_blob, same_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [index, mode, der @ ..] = data else { return };
    let own = &FIXTURES[*index as usize % FIXTURES.len()];
    let meta_from = if mode & 4 != 0 { &FIXTURES[(*index as usize + 1) % FIXTURES.len()] } else { own };
    let blob = encode_blob(der, *mode);
    let loaded = if mode & 8 != 0 {
        let mut json: serde_json::Value = serde_json::from_str(&meta_from.cli_json).expect("fixture JSON");
        json["PublicKey"] = serde_json::Value::String(match mode & 3 {
            0 => encode_base64(&blob),
            _ => String::from_utf8_lossy(&blob).into_owned(),
        });
        checked(KmsPublicKey::from_get_public_key_json(&json.to_string()))
    } else {
        checked(KmsPublicKey::from_public_key(&blob, meta_from.metadata.clone()))
    };
    let again = KmsPublicKey::from_public_key(&blob, meta_from.metadata.clone());
    if mode & 8 == 0 {
        assert!(same_error(&loaded, &again), "not deterministic");
    }
    let unmutated = der == own.spki_der.as_slice() && std::ptr::eq(own, meta_from);
    if unmutated {
        assert!(loaded.is_ok(), "{}: its own SPKI does not load: {:?}", own.name, loaded.err());
    }
    let Ok(key) = loaded else { return };
    check_loaded_key(&key);
    exercise(&key, own, unmutated);
});

/// Every operation the key's usage allows, with the inputs of the fixture the DER came from.
fn exercise(key: &KmsPublicKey, fixture: &kms_offline_fuzz::Fixture, unmutated: bool) {
    match key.key_usage() {
        KeyUsage::SignVerify => {
            for algorithm in &key.metadata().signing_algorithms {
                if let Some(case) = fixture.signatures.iter().find(|c| c.algorithm == *algorithm && c.valid) {
                    let request = VerifyRequest {
                        message: &case.message,
                        signature: &case.signature,
                        signing_algorithm: case.algorithm,
                        message_type: case.message_type,
                    };
                    let result = checked(key.verify(&request));
                    if unmutated {
                        assert_eq!(result, Ok(true), "{}: a valid fixture signature", fixture.name);
                    }
                    let _ = checked(key.verify_or_error(&request));
                }
            }
            let _ = checked(key.external_mu(b"fuzz"));
        }
        KeyUsage::EncryptDecrypt => {
            for algorithm in &key.metadata().encryption_algorithms {
                let request = EncryptRequest { plaintext: b"fuzz", encryption_algorithm: *algorithm, encryption_context_pairs: 0 };
                let _ = checked(key.encrypt(&request));
            }
        }
        KeyUsage::KeyAgreement => {
            let request = DeriveSharedSecretRequest {
                key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh,
                private_key: fixture.private_key_der.as_deref(),
            };
            let _ = checked(key.derive_shared_secret(&request));
        }
        KeyUsage::EncapsulateDecapsulate => {
            let _ = checked(key.encapsulate(EncapsulationAlgorithm::MlKem));
        }
        KeyUsage::GenerateVerifyMac => panic!("a MAC key loaded as a public key"),
    }
}
