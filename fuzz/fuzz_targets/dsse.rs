//! DSSE envelopes: the envelope parser and `verify_dsse` on every SIGN_VERIFY fixture.
//!
//! Input layout: `[0]` key (as in `pick_fixture`), `[1]` mode (mod 3):
//!   0: `verify_dsse` / `verify_dsse_or_error` on the rest as envelope bytes, with the key's only DSSE
//!      algorithm or (by `[2]`) one it lists;
//!   1: a genuine P-256 envelope (signed in the harness with the fixture's private key) mutated by 3-byte
//!      ops `[op, pos, value]`: op mod 3 = xor a byte, truncate, insert a byte;
//!   2: `decode_base64` on the rest as text.
//!
//! Properties: never panics; every error is a KMS exception; `verify_dsse` agrees with
//! `verify_dsse_or_error`; the genuine envelope verifies, and a mutated one verifies only if it still
//! carries the genuine payloadType and payload; decoded base64 re-encodes to the same bytes.
#![no_main]

use kms_offline::interop::dsse::{self, DsseEnvelope};
use kms_offline::{DsseOptions, KmsPublicKey};
use kms_offline_fuzz::{Fixture, checked, fixtures_with_usage, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SIGNING: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("SIGN_VERIFY"));

/// The genuine envelope: (key, envelope JSON, its payloadType and payload).
static GENUINE: LazyLock<(&'static KmsPublicKey, String, DsseEnvelope)> = LazyLock::new(|| {
    use p256::ecdsa::signature::Signer as _;
    use p256::pkcs8::DecodePrivateKey as _;
    let p256 = SIGNING.iter().find(|f| f.name == "ECC_NIST_P256_SIGN_VERIFY").expect("fixture");
    let request = p256.key.dsse_signing_request("application/vnd.in-toto+json", br#"{"_type":"fuzz"}"#, None).expect("request");
    let signer = p256::ecdsa::SigningKey::from_pkcs8_der(p256.private_key_der.as_deref().expect("P-256 private key")).expect("P-256 key");
    let sig: p256::ecdsa::Signature = signer.sign(&dsse::pae(&request.pending.payload_type, &request.pending.payload));
    let envelope = p256.key.assemble_dsse(&request.pending, sig.to_der().as_bytes(), p256.key.key_id()).expect("envelope");
    let parsed = DsseEnvelope::parse(envelope.as_bytes()).expect("parses");
    (&p256.key, envelope, parsed)
});

/// Both forms, which must agree; `Some(valid)` for an envelope KMS could have signed.
fn check(key: &KmsPublicKey, envelope: &[u8], options: &DsseOptions) -> Option<bool> {
    let answer = checked(key.verify_dsse(envelope, options));
    let detailed = checked(key.verify_dsse_or_error(envelope, options));
    match (&answer, &detailed) {
        (Ok(a), Ok(_)) => assert!(a.valid(), "verify_dsse_or_error accepted what verify_dsse calls invalid"),
        (Ok(a), Err(e)) => assert!(!a.valid() && e.name() == "KMSInvalidSignatureException", "{e}"),
        (Err(a), Err(b)) => assert_eq!(a, b, "verify_dsse and verify_dsse_or_error refuse differently"),
        (Err(a), Ok(_)) => panic!("verify_dsse refused ({a}) what verify_dsse_or_error accepted"),
    }
    answer.ok().map(|a| a.valid())
}

fuzz_target!(|data: &[u8]| {
    let [key_byte, mode, rest @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &SIGNING);
    match mode % 3 {
        0 => {
            let [choice, envelope @ ..] = rest else { return };
            let listed = &fixture.key.metadata().signing_algorithms;
            // 0: the key's only DSSE algorithm; n: the key's (n-1)th listed one (none for a key of another usage).
            let signing_algorithm = (*choice as usize).checked_sub(1).and_then(|i| listed.get(i % listed.len().max(1)).copied());
            check(&fixture.key, envelope, &DsseOptions { signing_algorithm, ignore_keyid: choice % 2 == 1 });
        }
        1 => {
            let (key, genuine, parsed) = &*GENUINE;
            let mut envelope = genuine.as_bytes().to_vec();
            for op in rest.chunks_exact(3) {
                let pos = op[1] as usize % (envelope.len() + 1);
                match op[0] % 3 {
                    0 if pos < envelope.len() => envelope[pos] ^= op[2].max(1),
                    1 => envelope.truncate(pos),
                    2 => envelope.insert(pos, op[2]),
                    _ => {}
                }
            }
            let answer = check(key, &envelope, &DsseOptions::default());
            if envelope == genuine.as_bytes() {
                assert_eq!(answer, Some(true), "the genuine envelope does not verify");
            } else if answer == Some(true) {
                let mutated = DsseEnvelope::parse(&envelope).expect("a verified envelope parses");
                assert_eq!((&mutated.payload_type, &mutated.payload), (&parsed.payload_type, &parsed.payload), "a mutated envelope verified");
            }
        }
        _ => {
            let text = String::from_utf8_lossy(rest);
            if let Ok(bytes) = checked(dsse::decode_base64(&text, "fuzz")) {
                let standard = kms_offline::encoding::encode_base64(&bytes);
                assert_eq!(dsse::decode_base64(&standard, "again").expect("standard base64 decodes"), bytes);
                // One text decodes to one byte string: the same bytes, ignoring padding and alphabet.
                let canonical = |t: &str| t.trim_end_matches('=').replace('-', "+").replace('_', "/");
                assert_eq!(canonical(&text), canonical(&standard), "two base64 texts decoded to the same bytes");
            }
        }
    }
});
