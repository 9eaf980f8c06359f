//! The rule codes and params of the DSSE, X.509 and ESDK refusals (issue 19): each family's real refusal carries
//! its code and the params the Japanese rendering (pkg/messages) reads, beside its unchanged English message.

mod common;

use common::Fixture;
use kms_offline::esdk::{AlgorithmSuite, EncryptMessageRequest};
use kms_offline::x509::{CertificateProfile, CertificateRequestOptions};
use kms_offline::{DsseOptions, KmsError, KmsPublicKey, Param, Rule, SigningAlgorithm};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn key(name: &str) -> KmsPublicKey {
    Fixture::load(name).key()
}

fn x509_fixture(name: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/x509").join(name)).unwrap()
}

/// The value of the param `name`.
fn param<'a>(error: &'a KmsError, name: &str) -> &'a Param {
    error.params().iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or_else(|| panic!("no {name} in {:?}", error.params()))
}

fn text(value: &str) -> Param {
    Param::Text(value.into())
}

#[test]
fn ed25519_to_be_signed_bytes_over_4096_are_raw_message_too_long() {
    let ed = key("ECC_NIST_EDWARDS25519_SIGN_VERIFY");
    let cert = ed.verify_certificate(&x509_fixture("ed25519-large.cert.pem")).unwrap_err();
    assert_eq!(cert.rule(), Rule::RawMessageTooLong);
    assert_eq!(param(&cert, "part"), &text("x509-tbs"));
    assert_eq!(param(&cert, "algorithm"), &text("ED25519_SHA_512"));
    assert_eq!(param(&cert, "max"), &Param::Number(4096));
    assert!(matches!(param(&cert, "size"), Param::Number(n) if *n > 4096));

    let dsse = ed.dsse_signing_request("t", &[0u8; 4096], None).unwrap_err();
    assert_eq!(dsse.rule(), Rule::RawMessageTooLong);
    assert_eq!(param(&dsse, "part"), &text("dsse-pae"));
    assert!(dsse.message().contains("KMS cannot have signed"), "{}", dsse.message());
}

#[test]
fn x509_signature_algorithms_kms_cannot_make_say_which_part() {
    let rsa = key("RSA_2048_SIGN_VERIFY");
    let salt = rsa.verify_certificate(&x509_fixture("rsa2048-pss-sha256-salt20.cert.pem")).unwrap_err();
    assert_eq!((salt.rule(), param(&salt, "detail")), (Rule::PssParameters, &text("salt-length")));
    assert!(salt.message().contains("salt length is 20 bytes, not 32"), "{}", salt.message());
    let mgf = rsa.verify_certificate(&x509_fixture("rsa2048-pss-sha256-mgf1sha1.cert.pem")).unwrap_err();
    assert_eq!((mgf.rule(), param(&mgf, "detail")), (Rule::PssParameters, &text("mgf-hash")));

    let sha1 = rsa.verify_certificate(&x509_fixture("rsa2048-pkcs1-sha1.cert.pem")).unwrap_err();
    assert_eq!(sha1.rule(), Rule::X509AlgorithmNotKms);
    assert_eq!(param(&sha1, "oid"), &text("1.2.840.113549.1.1.5"));
    assert!(matches!(param(&sha1, "allowed"), Param::List(names) if names.contains(&"ecdsa-with-SHA256".to_owned())), "{sha1:?}");

    let ed = key("ECC_NIST_EDWARDS25519_SIGN_VERIFY");
    let profile = CertificateProfile { subject: "CN=x".into(), signing_algorithm: Some(SigningAlgorithm::Ed25519PhSha512), ..Default::default() };
    let ph = ed.self_signed_certificate_signing_request(&profile).unwrap_err();
    assert_eq!((ph.rule(), param(&ph, "algorithm")), (Rule::NoX509Algorithm, &text("ED25519_PH_SHA_512")));
    assert!(ph.message().contains("has no X.509 AlgorithmIdentifier"), "{}", ph.message());
}

#[test]
fn malformed_x509_and_distinguished_names_name_the_part() {
    let p256 = key("ECC_NIST_P256_SIGN_VERIFY");
    let der = p256.verify_certificate(b"\x30\x03\x02\x01\x01").unwrap_err();
    assert_eq!(der.rule(), Rule::MalformedX509);
    assert_eq!(der.params(), &[("kind", text("certificate")), ("part", text("der"))]);
    assert!(der.message().starts_with("not a DER X.509 certificate"), "{}", der.message());

    let csr = x509_fixture("p256-sha256.csr.pem");
    let label = p256.verify_certificate(&csr).unwrap_err();
    assert_eq!((label.rule(), param(&label, "part"), param(&label, "value")), (Rule::MalformedX509, &text("pem-label"), &text("CERTIFICATE REQUEST")));

    let options = CertificateRequestOptions { subject: "CN=a,,".into(), ..Default::default() };
    let dn = p256.certificate_request_signing_request(&options).unwrap_err();
    assert_eq!(dn.rule(), Rule::InvalidDistinguishedName);
    assert_eq!(param(&dn, "value"), &text("CN=a,,"));
    assert!(dn.message().contains("is not an RFC 4514 distinguished name"), "{}", dn.message());
}

#[test]
fn dsse_refusals_carry_their_codes() {
    let rsa = key("RSA_2048_SIGN_VERIFY");
    let choose = rsa.dsse_signing_request("t", b"x", None).unwrap_err();
    assert_eq!(choose.rule(), Rule::DsseAlgorithmRequired);
    assert!(matches!(param(&choose, "allowed"), Param::List(list) if list.contains(&"RSASSA_PSS_SHA_256".to_owned())), "{choose:?}");

    let p256 = key("ECC_NIST_P256_SIGN_VERIFY");
    let envelope = |json: &str| p256.verify_dsse(json.as_bytes(), &DsseOptions::default()).unwrap_err();
    let no_signatures = envelope(r#"{"payloadType":"t","payload":""}"#);
    assert_eq!((no_signatures.rule(), no_signatures.params()), (Rule::MalformedDsseEnvelope, &[("part", text("signatures"))][..]));
    let no_payload = envelope(r#"{"payloadType":"t","signatures":[]}"#);
    assert_eq!((param(&no_payload, "part"), param(&no_payload, "member")), (&text("member"), &text("payload")));
    let count = envelope(r#"{"payloadType":"t","payload":"","signatures":[]}"#);
    assert_eq!((param(&count, "part"), param(&count, "size")), (&text("signature-count"), &Param::Number(0)));
    let base64 = envelope(r#"{"payloadType":"t","payload":"a b","signatures":[{"sig":""}]}"#);
    assert_eq!((base64.rule(), param(&base64, "part")), (Rule::MalformedDsseEnvelope, &text("base64")));

    // An algorithm the key spec does not allow goes through the KMS rule's code, as in Sign.
    let options = DsseOptions { signing_algorithm: Some(SigningAlgorithm::EcdsaSha384), ..Default::default() };
    let p384 = p256.verify_dsse(br#"{"payloadType":"t","payload":"","signatures":[{"sig":""}]}"#, &options).unwrap_err();
    assert_eq!((p384.rule(), param(&p384, "algorithm")), (Rule::AlgorithmNotForSpec, &text("ECDSA_SHA_384")));

    let request = p256.dsse_signing_request("t", b"x", None).unwrap();
    let other = key_with_id("ECC_NIST_P256_SIGN_VERIFY").assemble_dsse(&request.pending, b"", Some("alias/other")).unwrap_err();
    assert_eq!((other.rule(), param(&other, "value")), (Rule::DsseKeyidNotThisKey, &text("alias/other")));
}

/// The fixture key with its KeyId (an ARN), so a keyid can name another key.
fn key_with_id(name: &str) -> KmsPublicKey {
    let fixture = Fixture::load(name);
    assert!(fixture.json["GetPublicKey"]["KeyId"].is_string());
    fixture.key()
}

fn esdk_refusal(name: &str, request: &EncryptMessageRequest) -> KmsError {
    key(name).encrypt_message(b"data", request).unwrap_err()
}

#[test]
fn esdk_refusals_carry_their_codes() {
    let none = EncryptMessageRequest::default();
    let ml_kem = esdk_refusal("ML_KEM_512_ENCAPSULATE_DECAPSULATE", &none);
    assert_eq!((ml_kem.rule(), param(&ml_kem, "keySpec")), (Rule::EsdkNoKeyring, &text("ML_KEM_512")));
    assert_eq!(esdk_refusal("SM2_ENCRYPT_DECRYPT", &none).rule(), Rule::EsdkNoKeyring);

    let signing = EncryptMessageRequest { algorithm_suite: Some(AlgorithmSuite::ESDK_DEFAULT), ..Default::default() };
    let suite = esdk_refusal("RSA_2048_ENCRYPT_DECRYPT", &signing);
    assert_eq!((suite.rule(), param(&suite, "value")), (Rule::EsdkSigningSuite, &text("ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384")));
    let unknown = AlgorithmSuite::parse("ALG_AES_128_GCM_IV12_TAG16").unwrap_err();
    assert_eq!((unknown.rule(), param(&unknown, "value")), (Rule::EsdkAlgorithmSuite, &text("ALG_AES_128_GCM_IV12_TAG16")));

    let frames = esdk_refusal("ECC_NIST_P256_KEY_AGREEMENT", &EncryptMessageRequest { frame_length: 0, ..Default::default() });
    assert_eq!((frames.rule(), param(&frames, "size")), (Rule::EsdkFrameLength, &Param::Number(0)));

    let context = BTreeMap::from([("aws-crypto-public-key".to_owned(), "x".to_owned())]);
    let reserved = esdk_refusal("ECC_NIST_P256_KEY_AGREEMENT", &EncryptMessageRequest { encryption_context: context, ..Default::default() });
    assert_eq!((reserved.rule(), param(&reserved, "value")), (Rule::EsdkReservedContextKey, &text("aws-crypto-public-key")));

    let json = {
        let mut json = Fixture::load("RSA_2048_ENCRYPT_DECRYPT").json["GetPublicKey"].clone();
        json["KeyId"] = "alias/files".into();
        json.to_string()
    };
    let arn = KmsPublicKey::from_get_public_key_json(&json).unwrap().encrypt_message(b"x", &none).unwrap_err();
    assert_eq!((arn.rule(), param(&arn, "value")), (Rule::EsdkKeyArnRequired, &text("alias/files")));
    assert!(arn.message().contains("key ARN"), "{}", arn.message());
}
