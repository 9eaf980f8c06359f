//! SM2DSA verify through a key's comb table (from its second verify on, src/comb.rs) against the sm2 crate's
//! own verify (every key's first verify): the same answer on every fixture case and on signatures made here
//! with the sm2 crate's deterministic signer (RFC 6979 nonces), valid and tampered, RAW and DIGEST.
mod common;

use common::Fixture;
use elliptic_curve::pkcs8::EncodePublicKey;
use kms_offline::{GetPublicKeyOutput, KmsPublicKey, MessageType, SM2_DEFAULT_DISTINGUISHING_ID, SigningAlgorithm, VerifyRequest};
use sha2::{Digest, Sha256};
use sm2::dsa::signature::Signer;
use sm2::dsa::signature::hazmat::PrehashSigner;

fn metadata() -> GetPublicKeyOutput {
    GetPublicKeyOutput {
        key_spec: Some("SM2".into()),
        key_usage: Some("SIGN_VERIFY".into()),
        signing_algorithms: Some(vec!["SM2DSA".into()]),
        ..Default::default()
    }
}

/// The answer of a key's first verify (the crate) and of a key whose table is built (ours), for one request.
fn both_paths(der: &[u8], request: &VerifyRequest<'_>) -> (bool, bool) {
    let fresh = KmsPublicKey::from_public_key(der, metadata()).unwrap();
    let first = fresh.verify(request).unwrap();
    let warm = KmsPublicKey::from_public_key(der, metadata()).unwrap();
    let _ = warm.verify(request);
    let later = warm.verify(request).unwrap();
    assert!(warm.cache_built());
    (first, later)
}

#[test]
fn fixture_cases_verify_the_same_through_the_table() {
    let fixture = Fixture::load("SM2_SIGN_VERIFY");
    let key = fixture.key();
    let cases = fixture.json["Signatures"].as_array().unwrap();
    assert!(cases.len() >= 8);
    for round in 0..3 {
        for case in cases {
            let decode = |m: &str| kms_offline::encoding::decode_base64(case[m].as_str().unwrap(), m).unwrap();
            let (message, signature) = (decode("Message"), decode("Signature"));
            let message_type = if case["MessageType"] == "DIGEST" { MessageType::Digest } else { MessageType::Raw };
            let request = VerifyRequest { message: &message, signature: &signature, signing_algorithm: SigningAlgorithm::Sm2Dsa, message_type };
            assert_eq!(key.verify(&request).unwrap(), case["Valid"].as_bool().unwrap(), "round {round}: {}", case["Note"]);
        }
        assert_eq!(key.cache_built(), round > 0 || cases.len() > 1);
    }
}

#[test]
fn generated_signatures_verify_the_same_through_the_table() {
    let (mut valid, mut invalid) = (0, 0);
    for i in 0u32..24 {
        let scalar = Sha256::digest(format!("kms-offline sm2 table key {i}"));
        let signer = sm2::dsa::SigningKey::from_slice(SM2_DEFAULT_DISTINGUISHING_ID, &scalar).unwrap();
        let der = signer.verifying_key().to_public_key_der().unwrap().into_vec();
        let key = KmsPublicKey::from_public_key(&der, metadata()).unwrap();
        let message: Vec<u8> = (0..(1 + i as usize * 37)).map(|j| (j as u32 * 7 + i) as u8).collect();

        let raw = signer.sign(&message).to_der().to_vec();
        let e = key.sm2_digest(SM2_DEFAULT_DISTINGUISHING_ID.as_bytes()).map(|mut d| {
            d.update(&message);
            d.finalize()
        });
        let e = e.unwrap();
        let prehashed = signer.sign_prehash(&e).unwrap().to_der().to_vec();

        let mut flipped = raw.clone();
        let at = flipped.len() - 1 - (i as usize % 20);
        flipped[at] ^= 1 << (i % 8);
        let mut other_message = message.clone();
        other_message[0] ^= 0x80;
        let mut other_e = e.clone();
        other_e[31] ^= 1;

        let requests = [
            (message.as_slice(), raw.as_slice(), MessageType::Raw, true),
            (e.as_slice(), prehashed.as_slice(), MessageType::Digest, true),
            (e.as_slice(), raw.as_slice(), MessageType::Digest, true), // same e, so the RAW signature verifies as DIGEST
            (other_message.as_slice(), raw.as_slice(), MessageType::Raw, false),
            (message.as_slice(), flipped.as_slice(), MessageType::Raw, false),
            (other_e.as_slice(), prehashed.as_slice(), MessageType::Digest, false),
        ];
        for (message, signature, message_type, expected) in requests {
            let request = VerifyRequest { message, signature, signing_algorithm: SigningAlgorithm::Sm2Dsa, message_type };
            let (first, later) = both_paths(&der, &request);
            assert_eq!((first, later), (expected, expected), "key {i}, {message_type:?}, expected {expected}");
            if expected { valid += 1 } else { invalid += 1 }
        }
    }
    assert_eq!((valid, invalid), (72, 72));
}
