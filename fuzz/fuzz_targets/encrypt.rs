//! KMS Encrypt on the ENCRYPT_DECRYPT fixture keys (RSA 2048/3072/4096, SM2) with arbitrary requests.
//!
//! Input layout: `[0]` key (below 0xE0 one of the 4 ENCRYPT_DECRYPT fixtures, else any fixture),
//! `[1]` EncryptionAlgorithm (mod 4), `[2]` EncryptionContext pair count (0 below 0xF0), the rest
//! is the plaintext.
//!
//! Properties: never panics; every error is a KMS exception; `check_encrypt` decides exactly what
//! `encrypt` refuses (same error); an RSA ciphertext is k bytes; an SM2PKE ciphertext is DER
//! `SEQUENCE { x, y, C3 (32), C2 (plaintext length) }`.
#![no_main]

use kms_offline::{EncryptRequest, EncryptionAlgorithm};
use kms_offline_fuzz::{Fixture, checked, fixtures_with_usage, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ENCRYPTING: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("ENCRYPT_DECRYPT"));

fuzz_target!(|data: &[u8]| {
    let [key_byte, alg_byte, context_byte, plaintext @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &ENCRYPTING);
    let key = &fixture.key;
    let encryption_algorithm = EncryptionAlgorithm::ALL[*alg_byte as usize % EncryptionAlgorithm::ALL.len()];
    let encryption_context_pairs = context_byte.saturating_sub(0xEF) as usize;
    let request = EncryptRequest { plaintext, encryption_algorithm, encryption_context_pairs };
    let checked_rules = checked(key.check_encrypt(&request));
    assert_eq!(checked_rules, key.check_encrypt(&request), "check_encrypt is not deterministic");
    let result = checked(key.encrypt(&request));
    match (&checked_rules, &result) {
        (Err(a), Err(b)) => assert_eq!(a, b, "encrypt refused differently from check_encrypt"),
        (Ok(()), Err(e)) => panic!("check_encrypt accepted but encrypt failed: {e}"),
        (Err(e), Ok(_)) => panic!("check_encrypt refused ({e}) but encrypt encrypted"),
        (Ok(()), Ok(response)) => {
            assert_eq!(response.encryption_algorithm, encryption_algorithm);
            let ciphertext = &response.ciphertext_blob;
            match encryption_algorithm {
                EncryptionAlgorithm::Sm2Pke => check_sm2_der(ciphertext, plaintext.len()),
                _ => assert_eq!(ciphertext.len() * 8, rsa_bits(fixture.key.key_spec().as_str()), "RSA ciphertext is k bytes"),
            }
        }
    }
});

fn rsa_bits(spec: &str) -> usize {
    spec.trim_start_matches("RSA_").parse().expect("an RSA key spec")
}

/// DER `SEQUENCE { INTEGER x, INTEGER y, OCTET STRING C3 (32), OCTET STRING C2 }`.
fn check_sm2_der(der: &[u8], plaintext_len: usize) {
    fn tlv(der: &[u8]) -> (u8, &[u8], &[u8]) {
        let tag = der[0];
        let (len, skip) = match der[1] {
            n @ 0..=0x7F => (n as usize, 2),
            0x81 => (der[2] as usize, 3),
            0x82 => (u16::from_be_bytes([der[2], der[3]]) as usize, 4),
            other => panic!("SM2PKE ciphertext length byte {other:#x}"),
        };
        (tag, &der[skip..skip + len], &der[skip + len..])
    }
    let (tag, body, after) = tlv(der);
    assert_eq!((tag, after.len()), (0x30, 0));
    let (tx, _, body) = tlv(body);
    let (ty, _, body) = tlv(body);
    let (t3, c3, body) = tlv(body);
    let (t2, c2, body) = tlv(body);
    assert_eq!((tx, ty, t3, t2), (2, 2, 4, 4));
    assert_eq!((c3.len(), c2.len(), body.len()), (32, plaintext_len, 0));
}
