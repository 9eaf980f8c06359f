//! Encrypt for KMS Decrypt: ciphertexts are opened by OpenSSL with the private key (the role KMS
//! plays), and every refusal carries KMS's exception name.

mod common;
use common::{Fixture, Scratch, run};
use kms_offline::{EncryptRequest, EncryptionAlgorithm, GetPublicKeyOutput, KmsPublicKey};

fn request(plaintext: &[u8], algorithm: EncryptionAlgorithm) -> EncryptRequest<'_> {
    EncryptRequest { plaintext, encryption_algorithm: algorithm, encryption_context_pairs: 0 }
}

/// What `openssl pkeyutl -decrypt` recovers, with KMS's OAEP parameters (same hash for OAEP and MGF1).
fn openssl_decrypt(fixture: &Fixture, ciphertext: &[u8], oaep_md: Option<&str>) -> Vec<u8> {
    let dir = Scratch::new("decrypt");
    let key = dir.write("key.pem", fixture.json["PrivateKeyPem"].as_str().unwrap().as_bytes());
    let input = dir.write("ct.bin", ciphertext);
    let mut args = vec!["pkeyutl", "-decrypt", "-inkey", &key, "-in", &input];
    let opts;
    if let Some(md) = oaep_md {
        opts = [format!("rsa_oaep_md:{md}"), format!("rsa_mgf1_md:{md}")];
        args.extend(["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", &opts[0], "-pkeyopt", &opts[1]]);
    }
    run("openssl", &args)
}

#[test]
fn rsa_oaep_ciphertexts_open_with_openssl() {
    for (name, k) in [("RSA_2048", 256), ("RSA_3072", 384), ("RSA_4096", 512)] {
        let fixture = Fixture::load(&format!("{name}_ENCRYPT_DECRYPT"));
        let key = fixture.key();
        for (algorithm, md, h) in [(EncryptionAlgorithm::RsaesOaepSha1, "sha1", 20), (EncryptionAlgorithm::RsaesOaepSha256, "sha256", 32)] {
            let max = k - 2 * h - 2;
            for len in [1, 17, max] {
                let plaintext: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
                let response = key.encrypt(&request(&plaintext, algorithm)).unwrap();
                assert_eq!(response.ciphertext_blob.len(), k, "{name} {algorithm}: ciphertext is the modulus length");
                assert_eq!(response.key_id.as_deref(), fixture.get("KeyId").as_str());
                assert_eq!(openssl_decrypt(&fixture, &response.ciphertext_blob, Some(md)), plaintext, "{name} {algorithm} {len}");
            }
            let error = key.encrypt(&request(&vec![1; max + 1], algorithm)).unwrap_err();
            assert_eq!(error.name(), "ValidationException");
            assert!(error.message().contains(&format!("at most {max} bytes")), "{error}");
        }
    }
}

#[test]
fn sm2pke_ciphertexts_are_der_and_open_with_openssl() {
    let fixture = Fixture::load("SM2_ENCRYPT_DECRYPT");
    let key = fixture.key();
    for len in [1, 32, 1024] {
        let plaintext: Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
        let ciphertext = key.encrypt(&request(&plaintext, EncryptionAlgorithm::Sm2Pke)).unwrap().ciphertext_blob;
        // DER SEQUENCE { x INTEGER, y INTEGER, C3 OCTET STRING (32), C2 OCTET STRING }: what KMS Decrypt takes.
        let parsed = run_asn1parse(&ciphertext);
        let kinds: Vec<&str> = parsed
            .lines()
            .filter_map(|l| l.split_once("prim:").or_else(|| l.split_once("cons:")))
            .map(|(_, rest)| rest.split(':').next().unwrap().split("[HEX").next().unwrap().trim())
            .collect();
        assert_eq!(kinds, ["SEQUENCE", "INTEGER", "INTEGER", "OCTET STRING", "OCTET STRING"], "{parsed}");
        assert!(parsed.lines().nth(3).unwrap().contains("l=  32"), "{parsed}");
        assert_eq!(openssl_decrypt(&fixture, &ciphertext, None), plaintext);
    }
    assert!(key.cache_built(), "the second and third went through the key's comb table (src/comb.rs)");
    let error = key.encrypt(&request(&[1; 1025], EncryptionAlgorithm::Sm2Pke)).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(error.message().contains("at most 1024 bytes"));
}

fn run_asn1parse(der: &[u8]) -> String {
    let dir = Scratch::new("asn1");
    let path = dir.write("ct.der", der);
    String::from_utf8(run("openssl", &["asn1parse", "-inform", "DER", "-in", &path])).unwrap()
}

#[test]
fn the_same_plaintext_encrypts_differently_each_time() {
    for (name, algorithm) in [("RSA_2048_ENCRYPT_DECRYPT", EncryptionAlgorithm::RsaesOaepSha256), ("SM2_ENCRYPT_DECRYPT", EncryptionAlgorithm::Sm2Pke)] {
        let key = Fixture::load(name).key();
        let a = key.encrypt(&request(b"same", algorithm)).unwrap().ciphertext_blob;
        let b = key.encrypt(&request(b"same", algorithm)).unwrap().ciphertext_blob;
        assert_ne!(a, b, "{name}");
    }
}

#[test]
fn keys_that_are_not_encrypt_decrypt_are_refused() {
    for (name, algorithm) in [
        ("RSA_2048_SIGN_VERIFY", EncryptionAlgorithm::RsaesOaepSha256),
        ("SM2_SIGN_VERIFY", EncryptionAlgorithm::Sm2Pke),
        ("SM2_KEY_AGREEMENT", EncryptionAlgorithm::Sm2Pke),
        ("ECC_NIST_P256_KEY_AGREEMENT", EncryptionAlgorithm::RsaesOaepSha256),
        ("ML_KEM_512_ENCAPSULATE_DECAPSULATE", EncryptionAlgorithm::RsaesOaepSha256),
    ] {
        let error = Fixture::load(name).key().encrypt(&request(b"x", algorithm)).unwrap_err();
        assert_eq!(error.name(), "InvalidKeyUsageException", "{name}: {error}");
        assert!(error.message().contains("never decrypt"), "{error}");
    }
}

#[test]
fn algorithms_outside_the_spec_or_the_keys_list_are_refused() {
    let rsa = Fixture::load("RSA_4096_ENCRYPT_DECRYPT").key();
    for algorithm in [EncryptionAlgorithm::SymmetricDefault, EncryptionAlgorithm::Sm2Pke] {
        let error = rsa.encrypt(&request(b"x", algorithm)).unwrap_err();
        assert_eq!(error.name(), "InvalidKeyUsageException");
        assert!(error.message().contains("incompatible with key spec RSA_4096"), "{error}");
    }
    let pem = Fixture::load("RSA_2048_ENCRYPT_DECRYPT").json["PublicKeyPem"].as_str().unwrap().to_owned();
    let only_sha256 = GetPublicKeyOutput {
        key_spec: Some("RSA_2048".into()),
        key_usage: Some("ENCRYPT_DECRYPT".into()),
        encryption_algorithms: Some(vec!["RSAES_OAEP_SHA_256".into()]),
        ..Default::default()
    };
    let key = KmsPublicKey::from_public_key(pem.as_bytes(), only_sha256).unwrap();
    let error = key.encrypt(&request(b"x", EncryptionAlgorithm::RsaesOaepSha1)).unwrap_err();
    assert_eq!(error.name(), "InvalidKeyUsageException");
    assert!(error.message().contains("not in this key's EncryptionAlgorithms"), "{error}");
}

#[test]
fn empty_plaintext_and_encryption_context_are_validation_errors() {
    let key = Fixture::load("RSA_2048_ENCRYPT_DECRYPT").key();
    let error = key.encrypt(&request(b"", EncryptionAlgorithm::RsaesOaepSha256)).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    let with_context = EncryptRequest { encryption_context_pairs: 1, ..request(b"x", EncryptionAlgorithm::RsaesOaepSha256) };
    let error = key.encrypt(&with_context).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(error.message().contains("EncryptionContext"), "{error}");
}
