//! ESDK messages (src/esdk/): the header and body bytes against the layout of the ESDK specification
//! (data-format/message-header.md, message-body.md, message-footer.md), read here by a parser of their own,
//! and every refusal. That the ESDK itself decrypts them is checked by tests/js/esdk.test.mjs with the
//! Python ESDK and the MPL's own keyrings (tests/python/esdk_check.py).

mod common;
use common::Fixture;
use kms_offline::esdk::{AlgorithmSuite, EncryptMessageRequest, context};
use kms_offline::{EncryptionAlgorithm, KmsError, KmsPublicKey};
use p384::ecdsa::signature::hazmat::PrehashVerifier;
use sha2::{Digest, Sha384};
use std::collections::BTreeMap;

/// A big-endian reader over a message.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        out
    }
    fn u8(&mut self) -> u8 {
        self.take(1)[0]
    }
    fn u16(&mut self) -> usize {
        u16::from_be_bytes(self.take(2).try_into().unwrap()) as usize
    }
    fn u32(&mut self) -> u32 {
        u32::from_be_bytes(self.take(4).try_into().unwrap())
    }
    fn field16(&mut self) -> &'a [u8] {
        let n = self.u16();
        self.take(n)
    }
}

/// A message split into its parts, as the specification lays them out.
struct Parsed {
    suite: u16,
    message_id: Vec<u8>,
    context: Vec<u8>,
    provider_id: String,
    provider_info: Vec<u8>,
    edk: Vec<u8>,
    frame_length: u32,
    /// (sequence number, IV, content length, final?)
    frames: Vec<(u32, Vec<u8>, usize, bool)>,
    /// Everything the signature covers (header through the last frame), and the footer's signature.
    signed: Vec<u8>,
    signature: Option<Vec<u8>>,
}

fn parse(message: &[u8]) -> Parsed {
    let mut r = Reader { bytes: message, at: 0 };
    assert_eq!(r.u8(), 0x02, "message format version 2");
    let suite = u16::from_be_bytes(r.take(2).try_into().unwrap());
    let message_id = r.take(32).to_vec();
    let context = r.field16().to_vec();
    assert_eq!(r.u16(), 1, "one encrypted data key");
    let provider_id = String::from_utf8(r.field16().to_vec()).unwrap();
    let provider_info = r.field16().to_vec();
    let edk = r.field16().to_vec();
    assert_eq!(r.u8(), 0x02, "content type framed");
    let frame_length = r.u32();
    r.take(32); // commitment key
    r.take(16); // header authentication tag (v2: no IV)
    let mut frames = Vec::new();
    loop {
        let first = r.u32();
        if first == u32::MAX {
            let sequence = r.u32();
            let iv = r.take(12).to_vec();
            let len = r.u32() as usize;
            r.take(len + 16);
            frames.push((sequence, iv, len, true));
            break;
        }
        let iv = r.take(12).to_vec();
        r.take(frame_length as usize + 16);
        frames.push((first, iv, frame_length as usize, false));
    }
    let signed = message[..r.at].to_vec();
    let signature = (suite == 0x0578).then(|| r.field16().to_vec());
    assert_eq!(r.at, message.len(), "nothing after the footer");
    Parsed { suite, message_id, context, provider_id, provider_info, edk, frame_length, frames, signed, signature }
}

fn key(name: &str) -> KmsPublicKey {
    Fixture::load(name).key()
}

fn key_with(name: &str, change: impl FnOnce(&mut serde_json::Value)) -> KmsPublicKey {
    let mut json = Fixture::load(name).json["GetPublicKey"].clone();
    change(&mut json);
    KmsPublicKey::from_get_public_key_json(&json.to_string()).unwrap()
}

fn refused(key: &KmsPublicKey, request: &EncryptMessageRequest) -> KmsError {
    key.encrypt_message(b"data", request).expect_err("refused")
}

fn assert_refused(error: KmsError, name: &str, mentions: &[&str]) {
    assert_eq!(error.name(), name, "{error}");
    for word in mentions {
        assert!(error.to_string().contains(word), "'{error}' should mention '{word}'");
    }
}

fn frame_request(frame_length: u32) -> EncryptMessageRequest {
    EncryptMessageRequest { frame_length, ..Default::default() }
}

#[test]
fn rsa_header_is_the_kms_rsa_keyrings_with_suite_0478() {
    let fixture = Fixture::load("RSA_3072_ENCRYPT_DECRYPT");
    let message = fixture.key().encrypt_message(b"hello", &EncryptMessageRequest::default()).unwrap();
    let parsed = parse(&message);
    assert_eq!(parsed.suite, 0x0478);
    assert_eq!(parsed.message_id.len(), 32);
    assert!(parsed.context.is_empty(), "an empty context serialises to nothing, not a zero count");
    assert_eq!(parsed.provider_id, "aws-kms-rsa");
    assert_eq!(parsed.provider_info, fixture.get("KeyId").as_str().unwrap().as_bytes());
    assert_eq!(parsed.edk.len(), 384, "RSA-OAEP ciphertext of the modulus size");
    assert_eq!(parsed.frame_length, 4096);
    assert_eq!(parsed.frames, vec![(1, [0; 11].iter().copied().chain([1]).collect(), 5, true)]);
    assert!(parsed.signature.is_none());
}

#[test]
fn message_ids_and_data_keys_are_fresh_per_message() {
    let key = key("RSA_2048_ENCRYPT_DECRYPT");
    let a = parse(&key.encrypt_message(b"x", &EncryptMessageRequest::default()).unwrap());
    let b = parse(&key.encrypt_message(b"x", &EncryptMessageRequest::default()).unwrap());
    assert_ne!(a.message_id, b.message_id);
    assert_ne!(a.edk, b.edk);
}

#[test]
fn frames_follow_the_body_layout_at_every_size() {
    let key = key("ECC_NIST_P256_KEY_AGREEMENT");
    // (plaintext bytes, frame length) -> regular frames, final frame's content length
    for (size, frame, regular, last) in
        [(0, 16, 0, 0), (1, 16, 0, 1), (15, 16, 0, 15), (16, 16, 1, 0), (17, 16, 1, 1), (1000, 16, 62, 8), (5, 1, 5, 0)]
    {
        let parsed = parse(&key.encrypt_message(&vec![7; size], &frame_request(frame)).unwrap());
        assert_eq!(parsed.frame_length, frame);
        assert_eq!(parsed.frames.len(), regular + 1, "size {size}");
        for (i, (sequence, iv, len, is_final)) in parsed.frames.iter().enumerate() {
            let expected_sequence = i as u32 + 1;
            assert_eq!(*sequence, expected_sequence);
            assert_eq!(iv[..8], [0; 8]);
            assert_eq!(iv[8..], expected_sequence.to_be_bytes(), "the IV is the sequence number");
            assert_eq!(*is_final, i == regular);
            assert_eq!(*len, if *is_final { last } else { frame as usize });
        }
    }
}

#[test]
fn streaming_in_any_chunks_gives_the_same_layout() {
    let key = key("RSA_2048_ENCRYPT_DECRYPT");
    let plaintext: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
    for chunk in [1, 7, 100, 4096, 4097, 10_000] {
        let mut encryptor = key.message_encryptor(&frame_request(1000)).unwrap();
        let mut message = Vec::new();
        for piece in plaintext.chunks(chunk) {
            message.extend(encryptor.update(piece).unwrap());
        }
        message.extend(encryptor.finish().unwrap());
        let parsed = parse(&message);
        assert_eq!(parsed.frames.len(), 11, "10 full frames and an empty final frame (chunk {chunk})");
        let expected_len = parse(&key.encrypt_message(&plaintext, &frame_request(1000)).unwrap()).signed.len();
        assert_eq!(parsed.signed.len(), expected_len);
    }
}

#[test]
fn finished_messages_take_no_more_input() {
    let mut encryptor = key("RSA_2048_ENCRYPT_DECRYPT").message_encryptor(&EncryptMessageRequest::default()).unwrap();
    encryptor.finish().unwrap();
    assert_refused(encryptor.update(b"late").unwrap_err(), "ValidationException", &["already finished"]);
    assert_refused(encryptor.finish().unwrap_err(), "ValidationException", &["already finished"]);
}

/// The compressed SEC1 form of the fixture's uncompressed point.
fn compressed(fixture: &Fixture, field_len: usize) -> Vec<u8> {
    let spki = kms_offline::encoding::decode_base64(fixture.get("PublicKey").as_str().unwrap(), "PublicKey").unwrap();
    let xy = &spki[spki.len() - 2 * field_len..];
    let mut out = vec![2 + (xy[2 * field_len - 1] & 1)];
    out.extend_from_slice(&xy[..field_len]);
    out
}

#[test]
fn ecdh_header_is_the_raw_ecdh_keyrings_with_the_esdk_default_suite_and_a_p384_signature() {
    for (name, field_len) in [("ECC_NIST_P256_KEY_AGREEMENT", 32), ("ECC_NIST_P384_KEY_AGREEMENT", 48), ("ECC_NIST_P521_KEY_AGREEMENT", 66)]
    {
        let fixture = Fixture::load(name);
        let mut request = EncryptMessageRequest::default();
        request.encryption_context.insert("purpose".into(), "test".into());
        let message = fixture.key().encrypt_message(&[1; 5000], &request).unwrap();
        let parsed = parse(&message);
        assert_eq!(parsed.suite, 0x0578, "{name}");
        assert_eq!(parsed.provider_id, "raw-ecdh");
        // 0x01 ‖ u32 len ‖ recipient (the KMS key) ‖ u32 len ‖ sender (the ephemeral key), compressed.
        let point = 1 + field_len;
        let info = &parsed.provider_info;
        assert_eq!(info.len(), 1 + 4 + point + 4 + point);
        assert_eq!(info[0], 0x01);
        assert_eq!(info[1..5], (point as u32).to_be_bytes());
        assert_eq!(info[5..5 + point], compressed(&fixture, field_len)[..]);
        assert_eq!(info[5 + point..9 + point], (point as u32).to_be_bytes());
        assert!(matches!(info[9 + point], 2 | 3));
        assert_eq!(parsed.edk.len(), 32 + 32 + 32 + 16, "salt, commitment key, wrapped data key, tag");

        // The context carries the signing key (compressed P-384, base64) beside the caller's pair, sorted.
        let mut reader = Reader { bytes: &parsed.context, at: 0 };
        assert_eq!(reader.u16(), 2);
        assert_eq!(reader.field16(), b"aws-crypto-public-key");
        let public_key = kms_offline::encoding::decode_base64(std::str::from_utf8(reader.field16()).unwrap(), "key").unwrap();
        assert_eq!((reader.field16(), reader.field16()), (&b"purpose"[..], &b"test"[..]));
        // The footer: ECDSA P-384 with SHA-384 over header and body, by that key.
        let verifier = p384::ecdsa::VerifyingKey::from_sec1_bytes(&public_key).unwrap();
        let signature = p384::ecdsa::Signature::from_der(parsed.signature.as_ref().unwrap()).unwrap();
        let digest = Sha384::digest(&parsed.signed);
        verifier.verify_prehash(&digest, &signature).expect("the footer signs header and body");
        let mut tampered = parsed.signed.clone();
        tampered[40] ^= 1;
        assert!(verifier.verify_prehash(&Sha384::digest(&tampered), &signature).is_err());
    }
}

#[test]
fn ecdh_messages_can_use_the_non_signing_suite() {
    let request = EncryptMessageRequest { algorithm_suite: Some(AlgorithmSuite::AesGcmHkdfSha512CommitKey), ..Default::default() };
    let parsed = parse(&key("ECC_NIST_P384_KEY_AGREEMENT").encrypt_message(b"x", &request).unwrap());
    assert_eq!(parsed.suite, 0x0478);
    assert!(parsed.context.is_empty() && parsed.signature.is_none());
}

#[test]
fn encryption_context_serialises_sorted_by_utf8_bytes() {
    let pairs: BTreeMap<String, String> =
        [("b", "2"), ("a", "1"), ("\u{e9}", ""), ("Z", "z")].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    let expected: &[u8] = b"\x00\x04\x00\x01Z\x00\x01z\x00\x01a\x00\x011\x00\x01b\x00\x012\x00\x02\xc3\xa9\x00\x00";
    assert_eq!(context::serialise(&pairs).unwrap(), expected);
    assert_eq!(context::serialise(&BTreeMap::new()).unwrap(), b"");
    let request = EncryptMessageRequest { encryption_context: pairs, ..Default::default() };
    assert_eq!(parse(&key("RSA_2048_ENCRYPT_DECRYPT").encrypt_message(b"", &request).unwrap()).context, expected);
}

#[test]
fn algorithm_suites_parse_by_name_or_id() {
    assert_eq!(AlgorithmSuite::parse("ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY").unwrap().id(), 0x0478);
    assert_eq!(AlgorithmSuite::parse("0x0578").unwrap(), AlgorithmSuite::ESDK_DEFAULT);
    let error = AlgorithmSuite::parse("ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256").unwrap_err();
    assert_refused(error, "ValidationException", &["ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", "committing"]);
}

#[test]
fn rsa_uses_the_requested_or_listed_oaep_algorithm() {
    let key = key("RSA_2048_ENCRYPT_DECRYPT");
    for algorithm in [EncryptionAlgorithm::RsaesOaepSha1, EncryptionAlgorithm::RsaesOaepSha256] {
        let request = EncryptMessageRequest { encryption_algorithm: Some(algorithm), ..Default::default() };
        assert_eq!(parse(&key.encrypt_message(b"x", &request).unwrap()).edk.len(), 256);
    }
    let sha1_only = key_with("RSA_2048_ENCRYPT_DECRYPT", |json| json["EncryptionAlgorithms"] = serde_json::json!(["RSAES_OAEP_SHA_1"]));
    sha1_only.encrypt_message(b"x", &EncryptMessageRequest::default()).expect("SHA-1 when it is all the key lists");
    let request = EncryptMessageRequest { encryption_algorithm: Some(EncryptionAlgorithm::RsaesOaepSha256), ..Default::default() };
    assert_refused(refused(&sha1_only, &request), "InvalidKeyUsageException", &["RSAES_OAEP_SHA_256", "EncryptionAlgorithms"]);
    let request = EncryptMessageRequest { encryption_algorithm: Some(EncryptionAlgorithm::Sm2Pke), ..Default::default() };
    assert_refused(refused(&key, &request), "InvalidKeyUsageException", &["SM2PKE", "RSA_2048"]);
}

#[test]
fn keys_that_cannot_encrypt_are_invalid_key_usage() {
    for name in [
        "RSA_2048_SIGN_VERIFY",
        "ECC_NIST_P256_SIGN_VERIFY",
        "ECC_SECG_P256K1_SIGN_VERIFY",
        "ECC_NIST_EDWARDS25519_SIGN_VERIFY",
        "ML_DSA_65_SIGN_VERIFY",
    ] {
        let error = refused(&key(name), &EncryptMessageRequest::default());
        assert_refused(error, "InvalidKeyUsageException", &["SIGN_VERIFY", "ENCRYPT_DECRYPT", "KEY_AGREEMENT"]);
        assert_eq!(error_code(&key(name)), "wrong-key-usage");
    }
}

fn error_code(key: &KmsPublicKey) -> &'static str {
    refused(key, &EncryptMessageRequest::default()).rule().code()
}

#[test]
fn keys_without_an_esdk_keyring_are_unsupported() {
    for name in ["SM2_ENCRYPT_DECRYPT", "SM2_KEY_AGREEMENT", "ML_KEM_512_ENCAPSULATE_DECAPSULATE", "ML_KEM_1024_ENCAPSULATE_DECAPSULATE"] {
        let error = refused(&key(name), &EncryptMessageRequest::default());
        assert_refused(error, "UnsupportedOperationException", &["no AWS Encryption SDK keyring", "RSA ENCRYPT_DECRYPT"]);
    }
}

#[test]
fn the_rsa_keyring_refuses_signing_suites() {
    let request = EncryptMessageRequest { algorithm_suite: Some(AlgorithmSuite::ESDK_DEFAULT), ..Default::default() };
    let error = refused(&key("RSA_4096_ENCRYPT_DECRYPT"), &request);
    assert_refused(
        error,
        "ValidationException",
        &["ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", "RSA keyring", "use ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY"],
    );
}

#[test]
fn the_rsa_keyring_needs_the_key_arn() {
    for key_id in [None, Some("f9bb7a77-6c25-4f66-bfa3-bd0d57d6bcd0"), Some("arn:aws:kms:us-west-2:111122223333:alias/files")] {
        let key = key_with("RSA_2048_ENCRYPT_DECRYPT", |json| match key_id {
            None => drop(json.as_object_mut().unwrap().remove("KeyId")),
            Some(id) => json["KeyId"] = id.into(),
        });
        assert_refused(refused(&key, &EncryptMessageRequest::default()), "ValidationException", &["key ARN", "KeyId"]);
    }
    // ECDH needs no ARN: the provider info carries public keys.
    let ecdh = key_with("ECC_NIST_P256_KEY_AGREEMENT", |json| drop(json.as_object_mut().unwrap().remove("KeyId")));
    ecdh.encrypt_message(b"x", &EncryptMessageRequest::default()).unwrap();
}

#[test]
fn ecdh_takes_no_encryption_algorithm_and_needs_ecdh_listed() {
    let request = EncryptMessageRequest { encryption_algorithm: Some(EncryptionAlgorithm::RsaesOaepSha256), ..Default::default() };
    assert_refused(refused(&key("ECC_NIST_P521_KEY_AGREEMENT"), &request), "ValidationException", &["EncryptionAlgorithm", "RSA"]);
}

#[test]
fn frame_length_must_be_1_to_2_pow_31_minus_1() {
    let key = key("RSA_2048_ENCRYPT_DECRYPT");
    for bad in [0, 1 << 31, u32::MAX] {
        assert_refused(refused(&key, &frame_request(bad)), "ValidationException", &["FrameLength", "2147483647"]);
    }
    key.message_encryptor(&frame_request((1 << 31) - 1)).expect("the largest frame length is allowed (nothing buffered yet)");
}

#[test]
fn encryption_context_rules() {
    let key = key("ECC_NIST_P256_KEY_AGREEMENT");
    let with = |pairs: &[(&str, String)]| EncryptMessageRequest {
        encryption_context: pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
        ..Default::default()
    };
    assert_refused(refused(&key, &with(&[("aws-crypto-public-key", "x".into())])), "ValidationException", &["aws-crypto-", "reserves"]);
    assert_refused(refused(&key, &with(&[("aws-crypto-anything", String::new())])), "ValidationException", &["aws-crypto-anything"]);
    key.encrypt_message(b"", &with(&[("aws-cryptography", "fine: not the reserved prefix".into())])).unwrap();
    // 65,535 bytes serialised at most, the signing key's pair (2+21+2+68 = 93 bytes: base64 of 49) included.
    let fits = 65_535 - 2 - 93 - (2 + 1 + 2);
    key.encrypt_message(b"", &with(&[("k", "v".repeat(fits))])).expect("exactly the limit");
    assert_refused(refused(&key, &with(&[("k", "v".repeat(fits + 1))])), "ValidationException", &["too large", "65535"]);
    let rsa = self::key("RSA_2048_ENCRYPT_DECRYPT");
    assert_refused(refused(&rsa, &with(&[("k", "v".repeat(70_000))])), "ValidationException", &["too large"]);
}
