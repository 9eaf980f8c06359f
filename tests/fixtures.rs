//! Every KMS-shaped fixture key loads from each input form, and every fixture signature verifies
//! exactly as its generator (OpenSSL, node:crypto, noble) says it should.

mod common;
use common::Fixture;
use kms_offline::{GetPublicKeyOutput, KmsPublicKey};

#[test]
fn every_fixture_signature_gives_its_expected_answer() {
    let mut checked = 0;
    for fixture in Fixture::all() {
        let key = fixture.key();
        for case in fixture.signature_cases() {
            let got = key.verify(&case.request()).unwrap_or_else(|e| panic!("{} {}: {e}", fixture.name, case.note));
            assert_eq!(got, case.valid, "{} {} {}: {}", fixture.name, case.algorithm, case.message_type, case.note);
            let thrown = key.verify_or_error(&case.request());
            match (case.valid, thrown) {
                (true, Ok(response)) => {
                    assert!(response.signature_valid);
                    assert_eq!(response.key_id.as_deref(), fixture.get("KeyId").as_str());
                }
                (false, Err(e)) => assert_eq!(e.name(), "KMSInvalidSignatureException"),
                (valid, other) => panic!("{} {}: expected {valid}, got {other:?}", fixture.name, case.note),
            }
            checked += 1;
        }
    }
    assert!(checked >= 300, "only {checked} fixture signatures");
}

#[test]
fn metadata_is_read_from_the_cli_json() {
    for fixture in Fixture::all() {
        let key = fixture.key();
        assert_eq!(key.key_spec().as_str(), fixture.get("KeySpec").as_str().unwrap());
        assert_eq!(key.key_usage().as_str(), fixture.get("KeyUsage").as_str().unwrap());
        let listed = |member: &str| -> Vec<String> {
            fixture.get(member).as_array().map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect()).unwrap_or_default()
        };
        let names = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
        let meta = key.metadata();
        assert_eq!(names(meta.signing_algorithms.iter().map(|a| a.as_str()).collect()), listed("SigningAlgorithms"));
        assert_eq!(names(meta.encryption_algorithms.iter().map(|a| a.as_str()).collect()), listed("EncryptionAlgorithms"));
        let arn = key.arn().expect("fixtures carry a key ARN");
        assert_eq!(arn.account_id, "111122223333");
        assert_eq!(key.key_id(), fixture.get("KeyId").as_str());
        assert_eq!(key.fingerprint().len(), 64);
    }
}

#[test]
fn pem_der_and_base64_with_separate_metadata_load_the_same_key() {
    for fixture in Fixture::all() {
        let from_json = fixture.key();
        let metadata = GetPublicKeyOutput {
            key_spec: Some(from_json.key_spec().as_str().into()),
            key_usage: Some(from_json.key_usage().as_str().into()),
            signing_algorithms: Some(from_json.metadata().signing_algorithms.iter().map(|a| a.as_str().into()).collect()),
            encryption_algorithms: Some(from_json.metadata().encryption_algorithms.iter().map(|a| a.as_str().into()).collect()),
            key_agreement_algorithms: Some(
                from_json.metadata().key_agreement_algorithms.iter().map(|a| a.as_str().into()).collect(),
            ),
            encapsulation_algorithms: Some(
                from_json.metadata().encapsulation_algorithms.iter().map(|a| a.as_str().into()).collect(),
            ),
            ..Default::default()
        };
        let pem = fixture.json["PublicKeyPem"].as_str().unwrap();
        let b64 = fixture.get("PublicKey").as_str().unwrap();
        for input in [pem.as_bytes(), from_json.spki_der(), b64.as_bytes(), from_json.spki_pem().as_bytes()] {
            let key = KmsPublicKey::from_public_key(input, metadata.clone()).unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
            assert_eq!(key.spki_der(), from_json.spki_der(), "{}", fixture.name);
            assert_eq!(key.key_id(), None);
        }
    }
}

#[test]
fn json_output_round_trips_and_matches_the_cli_member_order() {
    for fixture in Fixture::all() {
        let key = fixture.key();
        let printed = key.to_get_public_key_json();
        let reloaded = KmsPublicKey::from_get_public_key_json(&printed).unwrap();
        assert_eq!(reloaded.spki_der(), key.spki_der());
        assert_eq!(reloaded.metadata(), key.metadata());
        let reparsed: serde_json::Value = serde_json::from_str(&printed).unwrap();
        assert_eq!(reparsed, fixture.json["GetPublicKey"], "{}", fixture.name);
        let order: Vec<usize> = ["\"KeyId\"", "\"PublicKey\"", "\"KeySpec\"", "\"KeyUsage\""]
            .iter()
            .map(|m| printed.find(m).unwrap())
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{printed}");
    }
}

#[test]
fn sdk_shaped_public_key_bytes_load() {
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let der = fixture.key().spki_der().to_vec();
    let mut sdk = fixture.json["GetPublicKey"].clone();
    // JSON.stringify of an SDK response: a Uint8Array becomes {"0":48,...}, a Buffer {"type":"Buffer",...}.
    let indexed: serde_json::Map<String, serde_json::Value> =
        der.iter().enumerate().map(|(i, b)| (i.to_string(), (*b).into())).collect();
    for public_key in [
        serde_json::Value::Object(indexed),
        serde_json::json!(der.clone()),
        serde_json::json!({"type": "Buffer", "data": der.clone()}),
    ] {
        sdk["PublicKey"] = public_key;
        sdk["$metadata"] = serde_json::json!({"httpStatusCode": 200});
        let key = KmsPublicKey::from_get_public_key_json(&sdk.to_string()).unwrap();
        assert_eq!(key.spki_der(), der);
    }
}

/// `verifyAsync` sends a P-521 key's first verify to WebCrypto and the later ones to the key's comb table
/// (faster than WebCrypto in Chromium and Node, bench/NOTES.md §11); P-256 and P-384 always go to WebCrypto.
#[test]
fn webcrypto_does_only_the_first_verify_of_a_p521_key() {
    use kms_offline::webcrypto::WebCryptoVerify as NativeVerify;
    use kms_offline::{MessageType, SignatureFormat};
    for (name, later_native) in [("ECC_NIST_P256_SIGN_VERIFY", true), ("ECC_NIST_P384_SIGN_VERIFY", true), ("ECC_NIST_P521_SIGN_VERIFY", false)] {
        let fixture = Fixture::load(name);
        let cases = fixture.signature_cases();
        let case = cases.iter().find(|c| c.valid && c.message_type == MessageType::Raw).expect("a valid RAW signature");
        let key = fixture.key();
        let native = |key: &KmsPublicKey| matches!(key.webcrypto_verify(&case.request(), SignatureFormat::Der).unwrap(), NativeVerify::Native { .. });
        assert!(native(&key), "{name}: first verify");
        for round in 0..3 {
            assert_eq!(native(&key), later_native, "{name}: round {round}");
            // what the binding runs when WebCrypto is not asked: the synchronous verify, through the table
            assert!(key.verify(&case.request()).unwrap(), "{name}: round {round}");
        }
        // P-521: the verify after WebCrypto's built the table; the others built it on their second verify
        assert!(key.cache_built(), "{name}: no comb table after three synchronous verifies");
    }
}

/// RSAVP1 (RFC 8017 §5.2.2) refuses a signature representative s >= n. WebKitGTK 2.50's WebCrypto reduces it
/// modulo n and verifies it instead (Wycheproof's "signature is not reduced" vectors, tests/browser in WebKit), so
/// the WebCrypto plan decides such a signature itself, false, as `verify` does, and never hands it over.
#[test]
fn webcrypto_is_never_handed_an_rsa_signature_at_or_above_the_modulus() {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use kms_offline::webcrypto::WebCryptoVerify as NativeVerify;
    use kms_offline::{MessageType, SignatureFormat, VerifyRequest};
    for name in ["RSA_2048_SIGN_VERIFY", "RSA_3072_SIGN_VERIFY", "RSA_4096_SIGN_VERIFY"] {
        let fixture = Fixture::load(name);
        let key = fixture.key();
        let n = Base64UrlUnpadded::decode_vec(key.to_jwk().unwrap()["n"].as_str().unwrap()).unwrap();
        let cases = fixture.signature_cases();
        let case = cases.iter().find(|c| c.valid && c.message_type == MessageType::Raw).expect("a valid RAW signature");
        let mut below = n.clone();
        *below.last_mut().unwrap() -= 1; // n - 1: in range, so WebCrypto is asked (and says false)
        for (signature, handed_over) in [(case.signature.clone(), true), (below, true), (n.clone(), false), (vec![0xff; n.len()], false)] {
            let request = VerifyRequest { signature: &signature, ..case.request() };
            let plan = key.webcrypto_verify(&request, SignatureFormat::Der).unwrap();
            assert_eq!(matches!(plan, NativeVerify::Native { .. }), handed_over, "{name}: {plan:?}");
            if !handed_over {
                assert!(matches!(plan, NativeVerify::Decided(false)), "{name}: {plan:?}");
                assert!(!key.verify(&request).unwrap(), "{name}");
            }
        }
    }
}
