//! DSSE envelopes (src/interop/dsse.rs) against independent implementations: the DSSE project's own
//! test vectors (tests/data/dsse/spec-vectors.json), and signatures OpenSSL makes over the PAE with the
//! fixture private keys (a stand-in for KMS Sign) assembled and verified by ours, for every signing key
//! spec OpenSSL 3.0 has (ML-DSA is covered by tests/js/dsse.test.mjs with a newer Node's node:crypto).

mod common;

use common::{Fixture, Scratch, run, signing_metadata};
use kms_offline::interop::dsse::{self, KeyIdMatch, SignatureStatus};
use kms_offline::{DsseOptions, KmsPublicKey, MessageType, SigningAlgorithm};
use serde_json::Value;

fn from_hex(text: &str) -> Result<Vec<u8>, std::num::ParseIntError> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16)).collect()
}

fn spec_vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dsse/spec-vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn ed25519_key(public_hex: &str) -> KmsPublicKey {
    let spki = from_hex(&format!("302a300506032b6570032100{public_hex}")).unwrap();
    KmsPublicKey::from_public_key(&spki, signing_metadata("ECC_NIST_EDWARDS25519", "SIGN_VERIFY", &["ED25519_SHA_512", "ED25519_PH_SHA_512"])).unwrap()
}

#[test]
fn the_dsse_projects_test_vectors_give_their_expected_result() {
    let vectors = spec_vectors();
    let mut seen = 0;
    for vector in vectors["vectors"].as_array().unwrap() {
        let id = vector["id"].as_str().unwrap();
        let envelope = serde_json::to_vec(&vector["envelope"]).unwrap();
        let parsed = dsse::DsseEnvelope::parse(&envelope).unwrap();
        let pae = parsed.pae();
        let signed_pae = from_hex(vector["pae"].as_str().unwrap()).unwrap();
        // The vector's `pae` is what the signatures cover; it differs from the envelope's only where the type was swapped.
        assert_eq!(pae == signed_pae, id != "payload-type-swapped", "{id}: PAE");
        let valid_keys = vector["trustedKeys"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|name| {
                let key = ed25519_key(vectors["keys"][name.as_str().unwrap()]["public"].as_str().unwrap());
                let verified = key.verify_dsse(&envelope, &DsseOptions::default()).unwrap();
                assert_eq!(verified.signing_algorithm, SigningAlgorithm::Ed25519Sha512, "{id}");
                assert!(verified.signatures.iter().all(|s| s.keyid_match == if s.keyid.is_some() { KeyIdMatch::KeyHasNoId } else { KeyIdMatch::Absent }));
                verified.valid()
            })
            .count();
        // The threshold and the supported payload types are the verifier's policy (protocol.md), applied here.
        let supported = vector["supportedPayloadTypes"].as_array().unwrap().iter().any(|t| t == &Value::from(parsed.payload_type.as_str()));
        let accept = supported && valid_keys as u64 >= vector["threshold"].as_u64().unwrap();
        assert_eq!(if accept { "accept" } else { "reject" }, vector["expect"], "{id}");
        seen += 1;
    }
    assert_eq!(seen, 9);
}

/// A DSSE signature by the fixture's private key over `pae`, made by OpenSSL as KMS Sign would make it.
fn openssl_sign(fixture: &Fixture, algorithm: SigningAlgorithm, pae: &[u8]) -> Vec<u8> {
    let scratch = Scratch::new("dsse");
    let key = scratch.write("key.pem", fixture.json["PrivateKeyPem"].as_str().unwrap().as_bytes());
    let input = scratch.write("pae.bin", pae);
    let digest = match algorithm.as_str().rsplit('_').next().unwrap() {
        "384" => "-sha384",
        "512" => "-sha512",
        _ => "-sha256",
    };
    let mut args: Vec<&str> = match algorithm {
        SigningAlgorithm::Ed25519Sha512 => {
            vec!["pkeyutl", "-sign", "-rawin", "-inkey", &key, "-in", &input]
        }
        SigningAlgorithm::Sm2Dsa => vec!["dgst", "-sm3", "-sign", &key, "-sigopt", "distid:1234567812345678", &input],
        _ => vec!["dgst", digest, "-sign", &key],
    };
    if algorithm.as_str().starts_with("RSASSA_PSS") {
        args.extend(["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"]);
    }
    if args[0] == "dgst" && algorithm != SigningAlgorithm::Sm2Dsa {
        args.push(&input);
    }
    run("openssl", &args)
}

#[test]
fn openssl_signatures_over_the_pae_assemble_and_verify_for_every_key_spec_and_size() {
    let mut checked = 0;
    for fixture in Fixture::all().iter().filter(|f| f.name.ends_with("SIGN_VERIFY") && !f.name.starts_with("ML_DSA")) {
        let key = fixture.key();
        for algorithm in key.dsse_algorithms() {
            // 100 bytes: the PAE goes RAW; 5000 bytes: over KMS's 4096-byte limit, it goes as a digest.
            for size in [100, 5000] {
                let payload: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
                let request = key.dsse_signing_request("application/vnd.in-toto+json", &payload, Some(algorithm));
                if algorithm == SigningAlgorithm::Ed25519Sha512 && size == 5000 {
                    let error = request.unwrap_err();
                    assert_eq!(error.name(), "ValidationException");
                    assert!(error.message().contains("RAW messages of at most 4096 bytes"), "{}", error.message());
                    continue;
                }
                let request = request.unwrap();
                let pae = dsse::pae("application/vnd.in-toto+json", &payload);
                assert_eq!(request.message_type, if size == 100 { MessageType::Raw } else { MessageType::Digest }, "{} {algorithm}", fixture.name);
                if size == 100 {
                    assert_eq!(request.message, pae);
                }
                let signature = openssl_sign(fixture, algorithm, &pae);
                let envelope = key.assemble_dsse(&request.pending, &signature, key.key_id()).unwrap();
                let options = DsseOptions { signing_algorithm: Some(algorithm), ..Default::default() };
                let verified = key.verify_dsse_or_error(envelope.as_bytes(), &options).unwrap();
                assert_eq!((verified.payload.as_slice(), verified.signatures[0].keyid_match), (payload.as_slice(), KeyIdMatch::KeyId));
                // One flipped payload bit: the same signature no longer verifies.
                let mut tampered: Value = serde_json::from_str(&envelope).unwrap();
                let mut other = payload.clone();
                other[0] ^= 1;
                tampered["payload"] = base64(&other).into();
                let verified = key.verify_dsse(tampered.to_string().as_bytes(), &options).unwrap();
                assert_eq!(verified.signatures[0].status, SignatureStatus::Invalid, "{} {algorithm}", fixture.name);
                checked += 1;
            }
        }
    }
    // RSA 3 sizes x 6 algorithms x 2 sizes, 4 ECDSA curves x 2, SM2 x 2, Ed25519 x 1.
    assert_eq!(checked, 36 + 8 + 2 + 1);
}

fn base64(bytes: &[u8]) -> String {
    kms_offline::encoding::encode_base64(bytes)
}

fn envelope_of(payload_type: &str, payload: &[u8], signatures: &[(&str, &[u8])]) -> Vec<u8> {
    let signatures: Vec<Value> = signatures.iter().map(|(keyid, sig)| serde_json::json!({"keyid": keyid, "sig": base64(sig)})).collect();
    serde_json::json!({"payloadType": payload_type, "payload": base64(payload), "signatures": signatures}).to_string().into_bytes()
}

#[test]
fn keyids_say_what_they_matched_and_another_keys_signature_is_not_checked() {
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let key = fixture.key();
    let arn = key.key_id().unwrap().to_owned();
    let bare = arn.rsplit('/').next().unwrap().to_owned();
    let pae = dsse::pae("t", b"body");
    let sig = openssl_sign(&fixture, SigningAlgorithm::EcdsaSha256, &pae);
    let uri = format!("awskms:///{arn}");
    let envelope = envelope_of("t", b"body", &[("other", &sig), ("", b"\x30\x00"), (&arn, &sig), (&bare, &sig), (&uri, &sig)]);
    let verified = key.verify_dsse(&envelope, &DsseOptions::default()).unwrap();
    let got: Vec<_> = verified.signatures.iter().map(|s| (s.keyid_match, s.status)).collect();
    assert_eq!(
        got,
        [
            (KeyIdMatch::OtherKey, SignatureStatus::NotThisKey),
            (KeyIdMatch::Absent, SignatureStatus::Invalid),
            (KeyIdMatch::KeyId, SignatureStatus::Valid),
            (KeyIdMatch::KeyIdOfArn, SignatureStatus::Valid),
            (KeyIdMatch::AwsKmsUri, SignatureStatus::Valid),
        ]
    );
    // Only "another key" signatures: not valid, and the error says why; ignoring keyids checks them.
    let only_other = envelope_of("t", b"body", &[("other", &sig)]);
    let error = key.verify_dsse_or_error(&only_other, &DsseOptions::default()).unwrap_err();
    assert_eq!(error.name(), "KMSInvalidSignatureException");
    assert!(error.message().contains("keyid 'other'"), "{}", error.message());
    let ignoring = DsseOptions { ignore_keyid: true, ..Default::default() };
    assert!(key.verify_dsse(&only_other, &ignoring).unwrap().valid());
    // Assembling under a keyid that names another key is refused: a verifier would skip the signature.
    let request = key.dsse_signing_request("t", b"body", None).unwrap();
    assert_eq!(key.assemble_dsse(&request.pending, &sig, Some("other")).unwrap_err().name(), "ValidationException");
    assert!(key.assemble_dsse(&request.pending, &sig, None).unwrap().contains(r#""keyid":"""#));
}

#[test]
fn what_kms_could_not_have_signed_is_refused_with_its_exception() {
    let rsa = Fixture::load("RSA_2048_SIGN_VERIFY").key();
    let envelope = envelope_of("t", b"x", &[("", b"sig")]);
    let error = rsa.verify_dsse(&envelope, &DsseOptions::default()).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(error.message().contains("choose one of"), "{}", error.message());
    let p256 = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let options = DsseOptions { signing_algorithm: Some(SigningAlgorithm::EcdsaSha384), ..Default::default() };
    assert_eq!(p256.verify_dsse(&envelope, &options).unwrap_err().name(), "InvalidKeyUsageException");
    let encrypting = Fixture::load("RSA_2048_ENCRYPT_DECRYPT").key();
    assert_eq!(encrypting.dsse_signing_request("t", b"x", None).unwrap_err().name(), "InvalidKeyUsageException");
    // Ed25519: RAW only, so an envelope whose PAE is over 4096 bytes cannot carry a KMS signature.
    let ed = Fixture::load("ECC_NIST_EDWARDS25519_SIGN_VERIFY").key();
    let big = envelope_of("t", &[0u8; 4096], &[("", &[0u8; 64])]);
    assert!(ed.verify_dsse(&big, &DsseOptions::default()).unwrap_err().message().contains("cannot have signed"));
    // A wrong signature at assembly is KMS's own exception for an invalid signature.
    let request = p256.dsse_signing_request("t", b"x", None).unwrap();
    assert_eq!(p256.assemble_dsse(&request.pending, b"\x30\x06\x02\x01\x01\x02\x01\x01", None).unwrap_err().name(), "KMSInvalidSignatureException");
}

#[test]
fn ed25519_ph_is_never_chosen_but_can_be_named() {
    let fixture = Fixture::load("ECC_NIST_EDWARDS25519_SIGN_VERIFY");
    let key = fixture.key();
    assert_eq!(key.dsse_algorithms(), [SigningAlgorithm::Ed25519Sha512]);
    let request = key.dsse_signing_request("t", b"x", Some(SigningAlgorithm::Ed25519PhSha512)).unwrap();
    assert_eq!((request.message_type, request.message.len()), (MessageType::Digest, 64));
}

#[test]
fn malformed_envelopes_never_panic() {
    let key = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key();
    let base = br#"{"payload":"YQ==","payloadType":"t","signatures":[{"keyid":"","sig":"MAA="}]}"#;
    for cut in 0..base.len() {
        let mut bytes = base.to_vec();
        let _ = key.verify_dsse(&bytes[..cut], &DsseOptions::default());
        bytes[cut] ^= 0x55;
        let _ = key.verify_dsse(&bytes, &DsseOptions::default());
    }
    assert!(!key.verify_dsse(base, &DsseOptions::default()).unwrap().valid());
}
