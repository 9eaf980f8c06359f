//! KMS Verify on every SIGN_VERIFY fixture key with arbitrary or mutated requests.
//!
//! Input layout: `[0]` key (below 0xE0 one of the 12 SIGN_VERIFY fixtures, else any fixture),
//! `[1]` SigningAlgorithm (below 0x80 one the key lists or the case's, else any of the 13),
//! `[2]` MessageType (below 0x80 RAW for arbitrary requests / the case's own, else any of the 3),
//! `[3]` mode (mod 4):
//!   0: arbitrary request: `[4..6]` message length (u16 LE), then message, then signature;
//!   1: a fixture signature case (`[4]` mod the key's case count) mutated by 4-byte ops
//!      `[op, pos lo, pos hi, value]`: op mod 4 = xor a signature byte, truncate the signature,
//!      insert a signature byte, xor a message byte;
//!   2: case `[4]`, its message, signature = the rest;
//!   3: case `[4]`, its signature, message = the rest.
//!
//! Properties: never panics; every error is a KMS exception; the answer is deterministic;
//! `verify_or_error` agrees with `verify`; `Ok(true)` only for a signature that is exactly one of
//! the fixture's valid signatures for that key and algorithm, over that case's very message when the
//! MessageType is the case's (no forgery, no malleability); every fixture case gives its expected
//! answer when replayed unmutated.
#![no_main]

use kms_offline::{MessageType, SigningAlgorithm, VerifyRequest};
use kms_offline_fuzz::{Fixture, check_error, checked, fixtures_with_usage, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SIGNING: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("SIGN_VERIFY"));

fuzz_target!(|data: &[u8]| {
    let [key_byte, alg_byte, type_byte, mode, rest @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &SIGNING);
    let key = &fixture.key;
    let listed = &key.metadata().signing_algorithms;
    let any_algorithm = SigningAlgorithm::ALL[*alg_byte as usize % SigningAlgorithm::ALL.len()];
    let any_type = MessageType::ALL[*type_byte as usize % MessageType::ALL.len()];

    let (message, signature, algorithm, message_type, expected): (Vec<u8>, Vec<u8>, _, _, Option<bool>) = if mode % 4 == 0
        || fixture.signatures.is_empty()
    {
        let algorithm = match (alg_byte, listed.is_empty()) {
            (0..0x80, false) => listed[*alg_byte as usize % listed.len()],
            _ => any_algorithm,
        };
        let message_type = if *type_byte < 0x80 { MessageType::Raw } else { any_type };
        let (len, body) = match rest {
            [lo, hi, body @ ..] => (u16::from_le_bytes([*lo, *hi]) as usize, body),
            _ => (0, rest),
        };
        let split = len.min(body.len());
        (body[..split].to_vec(), body[split..].to_vec(), algorithm, message_type, None)
    } else {
        let [case_byte, tail @ ..] = rest else { return };
        let case = &fixture.signatures[*case_byte as usize % fixture.signatures.len()];
        let algorithm = if *alg_byte < 0x80 { case.algorithm } else { any_algorithm };
        let message_type = if *type_byte < 0x80 { case.message_type } else { any_type };
        let (mut message, mut signature) = (case.message.clone(), case.signature.clone());
        match mode % 4 {
            1 => {
                for op in tail.chunks_exact(4) {
                    let pos = u16::from_le_bytes([op[1], op[2]]) as usize;
                    match op[0] % 4 {
                        0 if !signature.is_empty() => {
                            let at = pos % signature.len();
                            signature[at] ^= op[3];
                        }
                        1 => signature.truncate(pos % (signature.len() + 1)),
                        2 => {
                            let at = pos % (signature.len() + 1);
                            signature.insert(at, op[3]);
                        }
                        3 if !message.is_empty() => {
                            let at = pos % message.len();
                            message[at] ^= op[3];
                        }
                        _ => {}
                    }
                }
            }
            2 => signature = tail.to_vec(),
            _ => message = tail.to_vec(),
        }
        let replayed = algorithm == case.algorithm
            && message_type == case.message_type
            && message == case.message
            && signature == case.signature;
        (message, signature, algorithm, message_type, replayed.then_some(case.valid))
    };

    let request = VerifyRequest { message: &message, signature: &signature, signing_algorithm: algorithm, message_type };
    let result = checked(key.verify(&request));
    assert_eq!(result, key.verify(&request), "verify is not deterministic");
    if let Some(valid) = expected {
        assert_eq!(result, Ok(valid), "{}: fixture case replayed", fixture.name);
    }
    if result == Ok(true) {
        assert!(
            fixture.signatures.iter().any(|c| c.valid
                && c.algorithm == algorithm
                && c.signature == signature
                && (c.message_type != message_type || c.message == message)),
            "{}: Ok(true) for a signature or message that is none of the fixture's valid ones: {algorithm} {message_type} message {} signature {}",
            fixture.name,
            hex(&message),
            hex(&signature)
        );
    }
    match (&result, key.verify_or_error(&request)) {
        (Ok(true), Ok(response)) => {
            assert!(response.signature_valid);
            assert_eq!(response.signing_algorithm, algorithm);
            assert_eq!(response.key_id.as_deref(), key.key_id());
        }
        (Ok(false), Err(e)) => {
            check_error(&e);
            assert_eq!(e.name(), "KMSInvalidSignatureException");
        }
        (Err(a), Err(b)) => assert_eq!(a, &b),
        (a, b) => panic!("verify gave {a:?} but verify_or_error {b:?}"),
    }
    let mu = checked(key.external_mu(&message));
    assert_eq!(mu.is_ok(), key.key_spec().as_str().starts_with("ML_DSA"));
});

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
