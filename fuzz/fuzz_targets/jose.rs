//! JWS/JWT verification, JWK import and the ECDSA DER ↔ P1363 converters, on every SIGN_VERIFY fixture.
//!
//! Input layout: `[0]` key (as in `pick_fixture`), `[1]` mode (mod 4):
//!   0: `verify_jws` / `verify_jws_or_error` / `verify_jwt` on the rest as a token (lossy UTF-8);
//!   1: a genuine ES256 or EdDSA token made in the harness (`[2]` picks which) mutated by 3-byte ops
//!      `[op, pos, value]`: op mod 3 = xor a byte, truncate, insert a byte;
//!   2: `from_jwk` with the rest as JWK text and the key's own metadata;
//!   3: `der_to_p1363` and `p1363_to_der` on the rest with the curve `[2]` picks.
//!
//! Properties: never panics; every error is a KMS exception; `verify_jws` agrees with
//! `verify_jws_or_error`; a genuine token verifies and a mutated one verifies only if it still is
//! the genuine token; the converters are exact inverses of each other on what they accept.
#![no_main]

use kms_offline::interop::{der_to_p1363, p1363_to_der};
use kms_offline::spec::Curve;
use kms_offline::{JwtValidation, KmsPublicKey};
use kms_offline_fuzz::{Fixture, checked, fixtures_with_usage, metadata_of, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SIGNING: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("SIGN_VERIFY"));

/// Genuine tokens: (key, token), signed here with the fixtures' private keys.
static TOKENS: LazyLock<Vec<(&'static KmsPublicKey, String)>> = LazyLock::new(|| {
    use ed25519_dalek::pkcs8::DecodePrivateKey as _;
    use p256::ecdsa::signature::Signer as _;
    let by_name = |name: &str| SIGNING.iter().find(|f| f.name == name).expect("fixture");
    let (p256, ed) = (by_name("ECC_NIST_P256_SIGN_VERIFY"), by_name("ECC_NIST_EDWARDS25519_SIGN_VERIFY"));
    let payload = br#"{"iss":"fuzz","aud":"kms-offline","exp":4102444800,"nbf":0}"#;
    let es256 = p256.key.jws_signing_request(Some("ES256"), None, payload, None).expect("ES256 request");
    let signer = p256::ecdsa::SigningKey::from_pkcs8_der(p256.private_key_der.as_deref().expect("P-256 private key")).expect("P-256 key");
    let sig: p256::ecdsa::Signature = signer.sign(es256.signing_input.as_bytes());
    let es256_token = p256.key.assemble_jws(&es256.signing_input, sig.to_der().as_bytes()).expect("ES256 token");
    let eddsa = ed.key.jws_signing_request(Some("EdDSA"), None, payload, None).expect("EdDSA request");
    let signer = ed25519_dalek::SigningKey::from_pkcs8_der(ed.private_key_der.as_deref().expect("Ed25519 private key")).expect("Ed25519 key");
    let sig = signer.sign(eddsa.signing_input.as_bytes());
    let eddsa_token = ed.key.assemble_jws(&eddsa.signing_input, &sig.to_bytes()).expect("EdDSA token");
    vec![(&p256.key, es256_token), (&ed.key, eddsa_token)]
});

const CURVES: [Curve; 5] = [Curve::P256, Curve::P384, Curve::P521, Curve::Secp256k1, Curve::Sm2];

fn check_token(key: &KmsPublicKey, token: &str) -> Option<bool> {
    let answer = checked(key.verify_jws(token));
    let detailed = checked(key.verify_jws_or_error(token));
    match (&answer, &detailed) {
        (Ok(true), Ok(_)) | (Ok(false), Err(_)) => {}
        (Err(a), Err(b)) => assert_eq!(a, b, "verify_jws and verify_jws_or_error refuse differently"),
        _ => panic!("verify_jws {answer:?} disagrees with verify_jws_or_error {detailed:?}"),
    }
    let validation = JwtValidation { now: Some(1_700_000_000), issuer: Some(vec!["fuzz".into()]), ..Default::default() };
    let jwt = checked(key.verify_jwt(token, &validation));
    if jwt.is_ok() {
        assert_eq!(answer, Ok(true), "a JWT verified whose JWS did not");
    }
    answer.ok()
}

fuzz_target!(|data: &[u8]| {
    let [key_byte, mode, rest @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &SIGNING);
    match mode % 4 {
        0 => {
            check_token(&fixture.key, &String::from_utf8_lossy(rest));
        }
        1 => {
            let [which, ops @ ..] = rest else { return };
            let (key, genuine) = &TOKENS[*which as usize % TOKENS.len()];
            let mut token = genuine.as_bytes().to_vec();
            for op in ops.chunks_exact(3) {
                let pos = op[1] as usize % (token.len() + 1);
                match op[0] % 3 {
                    0 if pos < token.len() => token[pos] ^= op[2].max(1),
                    1 => token.truncate(pos),
                    2 => token.insert(pos, op[2]),
                    _ => {}
                }
            }
            let token = String::from_utf8_lossy(&token);
            let answer = check_token(key, &token);
            if *token == **genuine {
                assert_eq!(answer, Some(true), "the genuine token does not verify");
            } else {
                // Base64url has no padding, but its last character may carry unused bits: a token
                // that decodes to the very same parts is the same token.
                if answer == Some(true) {
                    let parts = |t: &str| t.split('.').map(|p| kms_offline::interop::base64url::decode(p, "part").ok()).collect::<Vec<_>>();
                    assert_eq!(parts(&token), parts(genuine), "a mutated token verified: {token}");
                }
            }
        }
        2 => {
            if let Ok(key) = checked(KmsPublicKey::from_jwk(&String::from_utf8_lossy(rest), metadata_of(&fixture.key))) {
                assert_eq!(key.spki_der(), fixture.key.spki_der(), "a JWK loaded as another key than the metadata's");
            }
        }
        _ => {
            let [curve, bytes @ ..] = rest else { return };
            let curve = CURVES[*curve as usize % CURVES.len()];
            if let Ok(p1363) = checked(der_to_p1363(bytes, curve)) {
                assert_eq!(p1363.len(), 2 * curve.field_len());
                assert_eq!(p1363_to_der(&p1363, curve).expect("back to DER"), bytes, "DER → P1363 → DER changed the bytes");
            }
            if let Ok(der) = checked(p1363_to_der(bytes, curve)) {
                assert_eq!(der_to_p1363(&der, curve).expect("back to P1363"), bytes, "P1363 → DER → P1363 changed the bytes");
            }
        }
    }
});
