//! ESDK messages (src/esdk/) on every fixture key with arbitrary options and plaintext fed in arbitrary chunks.
//!
//! Input (arbitrary): key selector (mostly the RSA ENCRYPT_DECRYPT and NIST KEY_AGREEMENT fixtures, sometimes any),
//! up to 4 encryption-context pairs of arbitrary strings, frame length (small values favoured), suite and OAEP
//! algorithm (each present or not), then plaintext chunks.
//!
//! Properties: never panics; every error is a KMS exception; a refused request is refused before any output and
//! the same way by `encrypt_message` and `message_encryptor`; an accepted one gives a message whose layout (read
//! here, independently of the writer) has the suite, the context's pair count, one EDK of the key's provider, the
//! frame length, frames numbered 1.. with full regular frames and a final frame shorter than a frame, the
//! plaintext's length in total, and for 0x0578 a footer, whatever the chunking.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use kms_offline::esdk::{AlgorithmSuite, EncryptMessageRequest};
use kms_offline::{EncryptionAlgorithm, KmsEnum};
use kms_offline_fuzz::{Fixture, FIXTURES, checked, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ESDK_KEYS: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| {
    FIXTURES
        .iter()
        .filter(|f| matches!(f.key.key_spec().as_str(), "RSA_2048" | "RSA_3072" | "RSA_4096" | "ECC_NIST_P256" | "ECC_NIST_P384" | "ECC_NIST_P521"))
        .filter(|f| matches!(f.key.key_usage().as_str(), "ENCRYPT_DECRYPT" | "KEY_AGREEMENT"))
        .collect()
});

fn request(u: &mut Unstructured<'_>) -> arbitrary::Result<EncryptMessageRequest> {
    let mut request = EncryptMessageRequest::default();
    for _ in 0..u.int_in_range(0..=4)? {
        request.encryption_context.insert(String::arbitrary(u)?, String::arbitrary(u)?);
    }
    request.frame_length = match u.int_in_range(0..=3)? {
        0 => u32::arbitrary(u)?,
        _ => u.int_in_range(0..=300)?,
    };
    if bool::arbitrary(u)? {
        request.algorithm_suite = Some(AlgorithmSuite::ALL[u.choose_index(AlgorithmSuite::ALL.len())?]);
    }
    if bool::arbitrary(u)? {
        request.encryption_algorithm = Some(<EncryptionAlgorithm as KmsEnum>::ALL[u.choose_index(<EncryptionAlgorithm as KmsEnum>::ALL.len())?]);
    }
    Ok(request)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(selector) = u8::arbitrary(&mut u) else { return };
    let fixture = pick_fixture(selector, &ESDK_KEYS);
    let Ok(request) = request(&mut u) else { return };
    let mut chunks = Vec::new();
    while let Ok(chunk) = <&[u8]>::arbitrary(&mut u) {
        if chunk.is_empty() && u.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let plaintext: Vec<u8> = chunks.concat();
    // Huge frame lengths are legal; keep the fuzzer's memory bounded by the plaintext, as the writer does.
    let whole = checked(fixture.key.encrypt_message(&plaintext, &request));
    let started = checked(fixture.key.message_encryptor(&request));
    let mut encryptor = match (started, whole.as_ref()) {
        (Err(a), Err(b)) => return assert_eq!(&a, b, "encrypt_message and message_encryptor refuse differently"),
        (Err(e), Ok(_)) => panic!("message_encryptor refused ({e}), encrypt_message did not"),
        (Ok(_), Err(e)) => panic!("encrypt_message refused ({e}), message_encryptor did not"),
        (Ok(encryptor), Ok(_)) => encryptor,
    };
    let mut message = Vec::new();
    for chunk in &chunks {
        message.extend(checked(encryptor.update(chunk)).expect("update of an accepted message"));
    }
    message.extend(checked(encryptor.finish()).expect("finish of an accepted message"));
    assert!(checked(encryptor.update(b"x")).is_err(), "a finished message takes more input");
    let rsa = fixture.key.key_usage().as_str() == "ENCRYPT_DECRYPT";
    for bytes in [&message, whole.as_ref().unwrap()] {
        check_layout(bytes, &request, rsa, plaintext.len());
    }
});

fn check_layout(message: &[u8], request: &EncryptMessageRequest, rsa: bool, plaintext_len: usize) {
    let mut at = 0;
    let mut take = |n: usize| {
        let out = &message[at..at + n];
        at += n;
        out
    };
    let u16_at = |b: &[u8]| u16::from_be_bytes([b[0], b[1]]) as usize;
    let u32_at = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    assert_eq!(take(1), [2]);
    let suite = u16_at(take(2));
    let expected_suite = request.algorithm_suite.map_or(if rsa { 0x0478 } else { 0x0578 }, |s| s.id() as usize);
    assert_eq!(suite, expected_suite);
    take(32);
    let context_len = u16_at(take(2));
    let context = take(context_len);
    let signing_pair = usize::from(suite == 0x0578);
    let pairs = request.encryption_context.len() + signing_pair;
    assert_eq!(if pairs == 0 { 0 } else { u16_at(context) }, pairs);
    assert_eq!(u16_at(take(2)), 1);
    let provider_len = u16_at(take(2));
    let provider = take(provider_len).to_vec();
    assert_eq!(provider, if rsa { &b"aws-kms-rsa"[..] } else { &b"raw-ecdh"[..] });
    let info_len = u16_at(take(2));
    take(info_len);
    let edk_len = u16_at(take(2));
    take(edk_len);
    assert_eq!(take(1), [2]);
    let frame_length = u32_at(take(4));
    assert_eq!(frame_length, request.frame_length);
    take(32 + 16);
    let mut total = 0usize;
    for sequence in 1u32.. {
        let first = u32_at(take(4));
        if first == u32::MAX {
            assert_eq!(u32_at(take(4)), sequence);
            take(12);
            let len = u32_at(take(4));
            assert!(len < frame_length, "the final frame is shorter than a frame");
            take(len as usize + 16);
            total += len as usize;
            break;
        }
        assert_eq!(first, sequence);
        take(12 + frame_length as usize + 16);
        total += frame_length as usize;
    }
    assert_eq!(total, plaintext_len);
    if suite == 0x0578 {
        let len = u16_at(take(2));
        take(len);
    }
    assert_eq!(at, message.len(), "bytes after the message");
}
