//! X.509 (src/x509): certificates, CSRs and CRLs made by OpenSSL 3.0 with the fixture private keys
//! (tests/fixtures/x509/generate.sh) verify through ours, with KMS's rules; what we build, signed by the
//! fixture private keys standing in for KMS Sign (OpenSSL; the ml-dsa crate for ML-DSA), is accepted by
//! `openssl verify`, `openssl req -verify` and `openssl crl -verify`.

mod common;

use common::{Fixture, Scratch, run};
use der::{Decode, Encode};
use kms_offline::x509::{
    CertificateProfile, CertificateRequestOptions, CrlOptions, IssuedFor, Issuer, RevokedCertificate, SubjectAltNames, X509Kind,
    X509SigningRequest,
};
use kms_offline::{KmsPublicKey, MessageType, SigningAlgorithm};
use std::path::PathBuf;

fn x509_fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/x509").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn key(fixture: &str) -> KmsPublicKey {
    Fixture::load(fixture).key()
}

/// Each OpenSSL signer, its fixture key, and the KMS algorithm its signatures must map to.
const SIGNERS: &[(&str, &str, SigningAlgorithm)] = &[
    ("rsa2048-pkcs1-sha256", "RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPkcs1V15Sha256),
    ("rsa3072-pkcs1-sha384", "RSA_3072_SIGN_VERIFY", SigningAlgorithm::RsassaPkcs1V15Sha384),
    ("rsa4096-pkcs1-sha512", "RSA_4096_SIGN_VERIFY", SigningAlgorithm::RsassaPkcs1V15Sha512),
    ("rsa2048-pss-sha256", "RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha256),
    ("rsa2048-pss-sha512", "RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha512),
    ("p256-sha256", "ECC_NIST_P256_SIGN_VERIFY", SigningAlgorithm::EcdsaSha256),
    ("p384-sha384", "ECC_NIST_P384_SIGN_VERIFY", SigningAlgorithm::EcdsaSha384),
    ("p521-sha512", "ECC_NIST_P521_SIGN_VERIFY", SigningAlgorithm::EcdsaSha512),
    ("secp256k1-sha256", "ECC_SECG_P256K1_SIGN_VERIFY", SigningAlgorithm::EcdsaSha256),
    ("ed25519", "ECC_NIST_EDWARDS25519_SIGN_VERIFY", SigningAlgorithm::Ed25519Sha512),
    ("sm2-sm3", "SM2_SIGN_VERIFY", SigningAlgorithm::Sm2Dsa),
];

#[test]
fn openssl_certificates_csrs_and_crls_verify_for_every_key_spec() {
    for (name, fixture, algorithm) in SIGNERS {
        let key = key(fixture);
        for (file, kind, certifies) in [
            (format!("{name}.cert.pem"), X509Kind::Certificate, true),
            (format!("{name}.leaf.cert.pem"), X509Kind::Certificate, false),
            (format!("{name}.csr.pem"), X509Kind::CertificateRequest, true),
            (format!("{name}.crl.pem"), X509Kind::Crl, false),
        ] {
            let verified = key.verify_x509(&x509_fixture(&file), kind).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(verified.signature_valid, "{file}");
            assert_eq!(verified.signing_algorithm, *algorithm, "{file}");
            assert_eq!(verified.message_type, MessageType::Raw, "{file}");
            assert_eq!(verified.certifies_this_key, certifies, "{file}");
            assert_eq!(verified.kind, kind);
        }
    }
}

#[test]
fn essentials_are_decoded() {
    let key = key("ECC_NIST_P256_SIGN_VERIFY");
    let cert = key.verify_certificate(&x509_fixture("p256-sha256.cert.pem")).unwrap();
    assert_eq!(cert.subject.as_deref(), Some("O=kms-offline tests,CN=kms-offline x509 fixture"));
    assert_eq!(cert.issuer, cert.subject);
    assert!(cert.not_before.as_deref().unwrap().ends_with('Z'), "{:?}", cert.not_before);
    assert_eq!(cert.not_before.as_deref().unwrap().len(), "2026-12-07T00:13:44Z".len());
    assert!(cert.serial.is_some());
    let leaf = key.verify_certificate(&x509_fixture("p256-sha256.leaf.cert.pem")).unwrap();
    assert_eq!(leaf.serial.as_deref(), Some("0badc0de"));
    assert_eq!(leaf.subject.as_deref(), Some("CN=leaf of p256-sha256"));
    let crl = key.verify_crl(&x509_fixture("p256-sha256.crl.pem")).unwrap();
    assert_eq!(crl.revoked_serials, vec!["0badc0de".to_owned()]);
    assert!(crl.this_update.is_some() && crl.next_update.is_some());
    assert_eq!(crl.subject, None);
    let csr = key.verify_certificate_request(&x509_fixture("p256-sha256.csr.pem")).unwrap();
    assert_eq!(csr.issuer, None);
    assert_eq!(csr.subject_public_key_info.as_deref(), Some(key.spki_der()));
}

#[test]
fn der_input_verifies_like_pem() {
    let key = key("ECC_NIST_P384_SIGN_VERIFY");
    let pem = String::from_utf8(x509_fixture("p384-sha384.cert.pem")).unwrap();
    let der = kms_offline::encoding::decode_base64(&pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>(), "der").unwrap();
    assert_eq!(key.verify_certificate(&der).unwrap(), key.verify_certificate(pem.as_bytes()).unwrap());
}

#[test]
fn to_be_signed_parts_over_4096_bytes_verify_as_digest_and_ed25519_is_refused() {
    for (file, fixture, algorithm) in [
        ("p256-sha256-large.cert.pem", "ECC_NIST_P256_SIGN_VERIFY", SigningAlgorithm::EcdsaSha256),
        ("rsa2048-pss-sha384-large.cert.pem", "RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha384),
        ("sm2-sm3-large.cert.pem", "SM2_SIGN_VERIFY", SigningAlgorithm::Sm2Dsa),
    ] {
        let verified = key(fixture).verify_certificate(&x509_fixture(file)).unwrap();
        assert!(verified.signature_valid, "{file}");
        assert_eq!((verified.signing_algorithm, verified.message_type), (algorithm, MessageType::Digest), "{file}");
    }
    let refused = key("ECC_NIST_EDWARDS25519_SIGN_VERIFY").verify_certificate(&x509_fixture("ed25519-large.cert.pem")).unwrap_err();
    assert_eq!(refused.name(), "ValidationException");
    assert!(refused.to_string().contains("no KMS ED25519_SHA_512 signature can cover it"), "{refused}");
}

#[test]
fn pss_parameters_kms_cannot_make_are_refused_saying_which() {
    let key = key("RSA_2048_SIGN_VERIFY");
    let salt = key.verify_certificate(&x509_fixture("rsa2048-pss-sha256-salt20.cert.pem")).unwrap_err();
    assert_eq!(salt.name(), "ValidationException");
    assert!(salt.to_string().contains("salt length is 20 bytes, not 32"), "{salt}");
    let mgf = key.verify_certificate(&x509_fixture("rsa2048-pss-sha256-mgf1sha1.cert.pem")).unwrap_err();
    assert_eq!(mgf.name(), "ValidationException");
    assert!(mgf.to_string().contains("MGF1 hash"), "{mgf}");
    let sha1 = key.verify_certificate(&x509_fixture("rsa2048-pkcs1-sha1.cert.pem")).unwrap_err();
    assert_eq!(sha1.name(), "ValidationException");
    // sha1WithRSAEncryption, printed dotted: naming OIDs would link const-oid's whole OID name database.
    assert!(sha1.to_string().contains("signature algorithm 1.2.840.113549.1.1.5 is not one KMS signs with"), "{sha1}");
}

/// Found by the x509 fuzz target: a CSR's outer signatureAlgorithm is not covered by its signature, so non-NULL
/// parameters in the MGF1 hash (here NULL turned into tag 0x0d) must be refused by the parameter checks.
#[test]
fn pss_mgf1_hash_parameters_must_be_null_or_absent() {
    let pem = String::from_utf8(x509_fixture("rsa2048-pss-sha256.csr.pem")).unwrap();
    let mut der =
        kms_offline::encoding::decode_base64(&pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>(), "der").unwrap();
    // [1] { SEQUENCE { mgf1 OID (11 bytes), SEQUENCE { sha256 OID (11 bytes), NULL } } }
    let mgf1_hash_null = der.windows(4).position(|w| w == [0xa1, 0x1c, 0x30, 0x1a]).unwrap() + 2 + 2 + 11 + 2 + 11;
    assert_eq!(&der[mgf1_hash_null..mgf1_hash_null + 2], &[0x05, 0x00]);
    der[mgf1_hash_null] ^= 0x08;
    let refused = key("RSA_2048_SIGN_VERIFY").verify_certificate_request(&der).unwrap_err();
    assert_eq!(refused.name(), "ValidationException");
    assert!(refused.to_string().contains("MGF1 hash parameters are not NULL"), "{refused}");
}

#[test]
fn kms_key_rules_apply() {
    // ECDSA_SHA_384 is not valid for ECC_NIST_P256.
    let wrong_hash = key("ECC_NIST_P256_SIGN_VERIFY").verify_certificate(&x509_fixture("p256-sha384.cert.pem")).unwrap_err();
    assert_eq!(wrong_hash.name(), "InvalidKeyUsageException", "{wrong_hash}");
    // An RSA certificate checked with an EC key.
    let other_family = key("ECC_NIST_P256_SIGN_VERIFY").verify_certificate(&x509_fixture("rsa2048-pkcs1-sha256.cert.pem")).unwrap_err();
    assert_eq!(other_family.name(), "InvalidKeyUsageException");
    // An algorithm valid for the spec but not in the key's list.
    let fixture = Fixture::load("RSA_2048_SIGN_VERIFY");
    let mut output = fixture.json["GetPublicKey"].clone();
    output["SigningAlgorithms"] = serde_json::json!(["RSASSA_PKCS1_V1_5_SHA_256"]);
    let pkcs1_only = KmsPublicKey::from_get_public_key_json(&output.to_string()).unwrap();
    let not_listed = pkcs1_only.verify_certificate(&x509_fixture("rsa2048-pss-sha256.cert.pem")).unwrap_err();
    assert_eq!(not_listed.name(), "InvalidKeyUsageException");
    // A key that does not sign.
    let encrypt = key("RSA_2048_ENCRYPT_DECRYPT").verify_certificate(&x509_fixture("rsa2048-pkcs1-sha256.cert.pem")).unwrap_err();
    assert_eq!(encrypt.name(), "InvalidKeyUsageException");
}

#[test]
fn sm2_needs_kms_default_distinguishing_id() {
    let verified = key("SM2_SIGN_VERIFY").verify_certificate(&x509_fixture("sm2-sm3-empty-id.cert.pem")).unwrap();
    assert!(!verified.signature_valid, "OpenSSL's default empty ID is not KMS's 1234567812345678");
}

#[test]
fn corrupted_signatures_are_false_and_kms_invalid_signature_in_the_throwing_form() {
    for (file, fixture, kind) in [
        ("p256-sha256.cert.bad-signature.pem", "ECC_NIST_P256_SIGN_VERIFY", X509Kind::Certificate),
        ("rsa2048-pss-sha256.csr.bad-signature.pem", "RSA_2048_SIGN_VERIFY", X509Kind::CertificateRequest),
        ("ed25519.crl.bad-signature.pem", "ECC_NIST_EDWARDS25519_SIGN_VERIFY", X509Kind::Crl),
        ("sm2-sm3.cert.bad-signature.pem", "SM2_SIGN_VERIFY", X509Kind::Certificate),
    ] {
        let key = key(fixture);
        assert!(!key.verify_x509(&x509_fixture(file), kind).unwrap().signature_valid, "{file}");
        assert_eq!(key.verify_x509_or_error(&x509_fixture(file), kind).unwrap_err().name(), "KMSInvalidSignatureException");
    }
}

#[test]
fn malformed_input_is_validation_exception() {
    let key = key("ECC_NIST_P256_SIGN_VERIFY");
    let cut = key.verify_certificate(&x509_fixture("p256-sha256.cert.truncated.pem")).unwrap_err();
    assert_eq!(cut.name(), "ValidationException");
    assert!(cut.to_string().contains("not a DER X.509 certificate"), "{cut}");
    let label = key.verify_certificate(&x509_fixture("p256-sha256.csr.pem")).unwrap_err();
    assert!(label.to_string().contains("PEM label is \"CERTIFICATE REQUEST\""), "{label}");
    // A CSR given as a certificate, in DER: the structure does not parse as a certificate.
    let csr_der = {
        let pem = String::from_utf8(x509_fixture("p256-sha256.csr.pem")).unwrap();
        kms_offline::encoding::decode_base64(&pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>(), "der").unwrap()
    };
    assert_eq!(key.verify_certificate(&csr_der).unwrap_err().name(), "ValidationException");
    for bytes in [&b""[..], b"\x30", b"\x30\x00", b"-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n", &[0xff; 64]] {
        assert_eq!(key.verify_certificate(bytes).unwrap_err().name(), "ValidationException");
        assert_eq!(key.verify_crl(bytes).unwrap_err().name(), "ValidationException");
        assert_eq!(key.verify_certificate_request(bytes).unwrap_err().name(), "ValidationException");
    }
}

/// Every byte of a certificate, CSR and CRL changed in turn: never a panic, and never "valid".
#[test]
fn every_single_byte_change_is_refused_or_false() {
    let key = key("ECC_NIST_P256_SIGN_VERIFY");
    for (file, kind) in [
        ("p256-sha256.cert.pem", X509Kind::Certificate),
        ("p256-sha256.csr.pem", X509Kind::CertificateRequest),
        ("p256-sha256.crl.pem", X509Kind::Crl),
    ] {
        let pem = String::from_utf8(x509_fixture(file)).unwrap();
        let der =
            kms_offline::encoding::decode_base64(&pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>(), "der").unwrap();
        for i in 0..der.len() {
            let mut changed = der.clone();
            changed[i] ^= 0x01;
            if let Ok(verified) = key.verify_x509(&changed, kind) {
                assert!(!verified.signature_valid, "{file} byte {i}");
            }
        }
    }
}

// --- Build, sign with the fixture private key as KMS would, assemble, check with OpenSSL. ---

/// The fixture's private key as a PEM file, for OpenSSL standing in for KMS Sign.
fn private_key_file(scratch: &Scratch, fixture: &Fixture) -> String {
    scratch.write("key.pem", fixture.json["PrivateKeyPem"].as_str().unwrap().as_bytes())
}

/// What KMS Sign returns for `request`, made by OpenSSL with the fixture's private key (ML-DSA: the ml-dsa
/// crate from the fixture's seed).
fn kms_sign(fixture: &Fixture, request: &X509SigningRequest) -> Vec<u8> {
    use SigningAlgorithm as S;
    if request.signing_algorithm == S::MlDsaShake256 {
        return ml_dsa_sign(fixture, request);
    }
    let scratch = Scratch::new("x509-sign");
    let key = private_key_file(&scratch, fixture);
    let message = scratch.write("message", &request.message);
    let digest = match request.signing_algorithm {
        S::RsassaPssSha256 | S::RsassaPkcs1V15Sha256 | S::EcdsaSha256 => "sha256",
        S::RsassaPssSha384 | S::RsassaPkcs1V15Sha384 | S::EcdsaSha384 => "sha384",
        S::RsassaPssSha512 | S::RsassaPkcs1V15Sha512 | S::EcdsaSha512 => "sha512",
        S::Sm2Dsa => "sm3",
        _ => "",
    };
    let mut args: Vec<String> = vec!["pkeyutl".into(), "-sign".into(), "-inkey".into(), key, "-in".into(), message];
    match (request.signing_algorithm, request.message_type) {
        (S::Ed25519Sha512, _) => args.push("-rawin".into()),
        (S::Sm2Dsa, MessageType::Raw) => args.extend(["-rawin", "-digest", "sm3", "-pkeyopt", "distid:1234567812345678"].map(String::from)),
        // SM2 DIGEST: the message is e = SM3(Z_A ‖ M) already, signed as it is.
        (S::Sm2Dsa, _) => {}
        (_, MessageType::Raw) => args.extend(["-rawin".into(), "-digest".into(), digest.into()]),
        _ => args.extend(["-pkeyopt".into(), format!("digest:{digest}")]),
    }
    if matches!(request.signing_algorithm, S::RsassaPssSha256 | S::RsassaPssSha384 | S::RsassaPssSha512) {
        args.extend(["-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:digest"].map(String::from));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run("openssl", &args)
}

fn ml_dsa_sign(fixture: &Fixture, request: &X509SigningRequest) -> Vec<u8> {
    use ml_dsa::signature::Signer;
    let seed_b64 = fixture.json["PrivateKeySeed"].as_str().unwrap();
    let seed: [u8; 32] = kms_offline::encoding::decode_base64(seed_b64, "seed").unwrap().try_into().unwrap();
    macro_rules! sign {
        ($params:ty) => {{
            let key = ml_dsa::SigningKey::<$params>::from_seed(&seed.into());
            match request.message_type {
                MessageType::ExternalMu => {
                    let mu: [u8; 64] = request.message.clone().try_into().unwrap();
                    key.expanded_key().sign_mu_deterministic(&mu.into()).encode().to_vec()
                }
                _ => key.sign(&request.message).encode().to_vec(),
            }
        }};
    }
    match fixture.get("KeySpec").as_str().unwrap() {
        "ML_DSA_44" => sign!(ml_dsa::MlDsa44),
        "ML_DSA_65" => sign!(ml_dsa::MlDsa65),
        _ => sign!(ml_dsa::MlDsa87),
    }
}

const NOW: u64 = 1_796_601_600; // 2026-12-07T00:00:00Z
const YEAR: u64 = 365 * 24 * 3600;

fn ca_profile(algorithm: SigningAlgorithm) -> CertificateProfile {
    CertificateProfile {
        subject: "CN=KMS test CA,O=kms-offline".into(),
        not_before: NOW,
        not_after: NOW + 10 * YEAR,
        ca: true,
        signing_algorithm: Some(algorithm),
        ..Default::default()
    }
}

/// Every KMS algorithm with an X.509 form, on a fixture key that has it.
fn every_x509_algorithm() -> Vec<(&'static str, SigningAlgorithm)> {
    use SigningAlgorithm as S;
    vec![
        ("RSA_2048_SIGN_VERIFY", S::RsassaPkcs1V15Sha256),
        ("RSA_3072_SIGN_VERIFY", S::RsassaPkcs1V15Sha384),
        ("RSA_2048_SIGN_VERIFY", S::RsassaPkcs1V15Sha512),
        ("RSA_2048_SIGN_VERIFY", S::RsassaPssSha256),
        ("RSA_4096_SIGN_VERIFY", S::RsassaPssSha384),
        ("RSA_2048_SIGN_VERIFY", S::RsassaPssSha512),
        ("ECC_NIST_P256_SIGN_VERIFY", S::EcdsaSha256),
        ("ECC_NIST_P384_SIGN_VERIFY", S::EcdsaSha384),
        ("ECC_NIST_P521_SIGN_VERIFY", S::EcdsaSha512),
        ("ECC_SECG_P256K1_SIGN_VERIFY", S::EcdsaSha256),
        ("ECC_NIST_EDWARDS25519_SIGN_VERIFY", S::Ed25519Sha512),
        ("SM2_SIGN_VERIFY", S::Sm2Dsa),
        ("ML_DSA_44_SIGN_VERIFY", S::MlDsaShake256),
        ("ML_DSA_65_SIGN_VERIFY", S::MlDsaShake256),
        ("ML_DSA_87_SIGN_VERIFY", S::MlDsaShake256),
    ]
}

fn openssl_can(algorithm: SigningAlgorithm) -> bool {
    algorithm != SigningAlgorithm::MlDsaShake256 // OpenSSL 3.0 has no ML-DSA
}

fn sm2_opts(algorithm: SigningAlgorithm, option: &str) -> Vec<String> {
    if algorithm == SigningAlgorithm::Sm2Dsa { vec![option.into(), "distid:1234567812345678".into()] } else { vec![] }
}

fn openssl(args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    String::from_utf8(run("openssl", &args)).unwrap()
}

#[test]
fn built_certificates_csrs_and_crls_round_trip_through_openssl() {
    for (fixture_name, algorithm) in every_x509_algorithm() {
        let fixture = Fixture::load(fixture_name);
        let key = fixture.key();
        let scratch = Scratch::new("x509-build");
        let what = format!("{fixture_name} {algorithm}");

        let request = key.self_signed_certificate_signing_request(&ca_profile(algorithm)).unwrap();
        assert_eq!(request.signing_algorithm, algorithm);
        assert_eq!(request.message_type, MessageType::Raw, "{what}");
        assert_eq!(request.key_id.as_deref(), key.key_id());
        let ca = key.assemble_x509(&request.pending, &kms_sign(&fixture, &request)).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(ca.verified.signature_valid && ca.verified.certifies_this_key, "{what}");
        let ca_file = scratch.write("ca.pem", ca.pem.as_bytes());

        let csr_request = key
            .certificate_request_signing_request(&CertificateRequestOptions {
                subject: "CN=kms signer,O=kms-offline".into(),
                subject_alt_names: SubjectAltNames {
                    dns: vec!["kms.example.com".into()],
                    email: vec!["pki@example.com".into()],
                    uri: vec!["https://example.com/kms".into()],
                    ip: vec!["192.0.2.1".into(), "2001:db8::1".into()],
                },
                extended_key_usage: vec!["codeSigning".into()],
                signing_algorithm: Some(algorithm),
                ..Default::default()
            })
            .unwrap();
        let csr = key.assemble_x509(&csr_request.pending, &kms_sign(&fixture, &csr_request)).unwrap_or_else(|e| panic!("{what}: {e}"));
        let csr_file = scratch.write("csr.pem", csr.pem.as_bytes());

        // A leaf for another key (a P-256 key made by OpenSSL), from its CSR, issued by the KMS key.
        let leaf_key = scratch.0.join("leaf.key").to_str().unwrap().to_owned();
        openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &leaf_key].map(String::from));
        let leaf_csr = openssl(&["req", "-new", "-key", &leaf_key, "-subj", "/CN=leaf"].map(String::from));
        let profile = CertificateProfile {
            serial: Some(vec![0x0b, 0xad, 0xc0, 0xde]),
            not_before: NOW,
            not_after: NOW + YEAR,
            extended_key_usage: vec!["serverAuth".into(), "clientAuth".into()],
            subject_alt_names: SubjectAltNames { dns: vec!["leaf.example.com".into()], ..Default::default() },
            signing_algorithm: Some(algorithm),
            ..Default::default()
        };
        let issuer = ca.verified.subject.clone().unwrap();
        let leaf_request = key
            .issued_certificate_signing_request(Issuer::Name(&issuer), IssuedFor::CertificateRequest(leaf_csr.as_bytes()), &profile)
            .unwrap();
        let leaf = key.assemble_x509(&leaf_request.pending, &kms_sign(&fixture, &leaf_request)).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(!leaf.verified.certifies_this_key);
        assert_eq!(leaf.verified.subject.as_deref(), Some("CN=leaf"));
        assert_eq!(leaf.verified.serial.as_deref(), Some("0badc0de"));
        let leaf_file = scratch.write("leaf.pem", leaf.pem.as_bytes());

        let crl_request = key
            .crl_signing_request(&CrlOptions {
                issuer: issuer.clone(),
                issuer_certificate: None,
                this_update: NOW,
                next_update: Some(NOW + 30 * 24 * 3600),
                crl_number: vec![0x10, 0x00],
                revoked: vec![RevokedCertificate { serial: vec![0x0b, 0xad, 0xc0, 0xde], revocation_date: NOW }],
                signing_algorithm: Some(algorithm),
            })
            .unwrap();
        let crl = key.assemble_x509(&crl_request.pending, &kms_sign(&fixture, &crl_request)).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(crl.verified.revoked_serials, vec!["0badc0de".to_owned()]);
        let crl_file = scratch.write("crl.pem", crl.pem.as_bytes());

        if !openssl_can(algorithm) {
            continue;
        }
        let mut verify = vec!["verify".to_owned()];
        verify.extend(sm2_opts(algorithm, "-vfyopt"));
        verify.extend(["-x509_strict", "-CAfile", &ca_file, &ca_file, &leaf_file].map(String::from));
        assert_eq!(openssl(&verify), format!("{ca_file}: OK\n{leaf_file}: OK\n"), "{what}");
        let mut req = vec!["req".to_owned(), "-in".into(), csr_file.clone(), "-verify".into(), "-noout".into()];
        req.extend(sm2_opts(algorithm, "-vfyopt"));
        openssl(&req);
        // OpenSSL 3.0 verifies SM2 CRLs with its empty default ID only (neither `openssl crl` nor `verify -crl_check`
        // passes -vfyopt distid to the CRL check). So OpenSSL takes the CRL apart (asn1parse) and checks its signature
        // over tbsCertList with pkeyutl and distid 1234567812345678; with OpenSSL's empty ID it must fail.
        if algorithm == SigningAlgorithm::Sm2Dsa {
            openssl_sm2_crl_signature_check(&scratch, &fixture, &crl_file, &what);
            continue;
        }
        let crl_args = ["crl", "-in", &crl_file, "-CAfile", &ca_file, "-noout"].map(String::from);
        assert!(std::process::Command::new("openssl").args(&crl_args).output().unwrap().stderr.starts_with(b"verify OK"), "{what}");
        let crl_check = ["verify", "-crl_check", "-CAfile", &ca_file, "-CRLfile", &crl_file, &leaf_file].map(String::from);
        let revoked = std::process::Command::new("openssl").args(&crl_check).output().unwrap();
        assert!(String::from_utf8_lossy(&revoked.stderr).contains("certificate revoked"), "{what}: {revoked:?}");
    }
}

/// An SM2 CRL checked by OpenSSL alone: `asn1parse` finds tbsCertList and the signature BIT STRING (the outer
/// SEQUENCE's two `d=1` elements, first and last), `pkeyutl -verify` checks SM2-with-SM3 with KMS's ID.
fn openssl_sm2_crl_signature_check(scratch: &Scratch, fixture: &Fixture, crl_file: &str, what: &str) {
    let listing = openssl(&["asn1parse", "-in", crl_file].map(String::from));
    // Lines like "    3:d=1  hl=3 l= 166 cons: SEQUENCE": (offset, header length, length).
    let parts: Vec<(usize, usize, usize)> = listing
        .lines()
        .filter(|line| line.contains(":d=1 "))
        .map(|line| {
            let field = |name: &str| -> usize {
                let rest = &line[line.find(name).unwrap() + name.len()..];
                rest.trim_start().split_whitespace().next().unwrap().parse().unwrap()
            };
            (line.split(':').next().unwrap().trim().parse().unwrap(), field("hl="), field(" l="))
        })
        .collect();
    let (tbs, signature) = (parts[0], parts[parts.len() - 1]);
    let tbs_file = scratch.0.join("tbs.der").to_str().unwrap().to_owned();
    let sig_file = scratch.0.join("sig.der").to_str().unwrap().to_owned();
    openssl(&["asn1parse", "-in", crl_file, "-noout", "-offset", &tbs.0.to_string(), "-length", &(tbs.1 + tbs.2).to_string(), "-out", &tbs_file].map(String::from));
    openssl(&["asn1parse", "-in", crl_file, "-noout", "-strparse", &signature.0.to_string(), "-out", &sig_file].map(String::from));
    let public = scratch.write("sm2-public.pem", fixture.json["PublicKeyPem"].as_str().unwrap().as_bytes());
    let verify = |id: Option<&str>| {
        let mut args = vec!["pkeyutl", "-verify", "-pubin", "-inkey", &public, "-rawin", "-digest", "sm3", "-in", &tbs_file, "-sigfile", &sig_file];
        if let Some(id) = id {
            args.extend(["-pkeyopt", id]);
        }
        std::process::Command::new("openssl").args(&args).output().unwrap()
    };
    let with_kms_id = verify(Some("distid:1234567812345678"));
    assert!(String::from_utf8_lossy(&with_kms_id.stdout).contains("Signature Verified Successfully"), "{what}: {with_kms_id:?}");
    assert!(!verify(None).status.success(), "{what}: verified with OpenSSL's empty ID too");
}

#[test]
fn large_to_be_signed_parts_are_signed_as_digest_or_external_mu() {
    let many = SubjectAltNames { dns: (0..200).map(|i| format!("host-{i:03}.example.com")).collect(), ..Default::default() };
    for (fixture_name, algorithm, message_type) in [
        ("ECC_NIST_P256_SIGN_VERIFY", SigningAlgorithm::EcdsaSha256, MessageType::Digest),
        ("RSA_2048_SIGN_VERIFY", SigningAlgorithm::RsassaPssSha256, MessageType::Digest),
        ("SM2_SIGN_VERIFY", SigningAlgorithm::Sm2Dsa, MessageType::Digest),
        ("ML_DSA_65_SIGN_VERIFY", SigningAlgorithm::MlDsaShake256, MessageType::ExternalMu),
    ] {
        let fixture = Fixture::load(fixture_name);
        let key = fixture.key();
        let request = key
            .self_signed_certificate_signing_request(&CertificateProfile { subject_alt_names: many.clone(), ..ca_profile(algorithm) })
            .unwrap();
        assert!(request.pending.to_be_signed.len() > 4096);
        assert_eq!(request.message_type, message_type, "{fixture_name}");
        let assembled = key.assemble_x509(&request.pending, &kms_sign(&fixture, &request)).unwrap();
        assert_eq!(assembled.verified.message_type, message_type);
        if openssl_can(algorithm) {
            let scratch = Scratch::new("x509-large");
            let file = scratch.write("ca.pem", assembled.pem.as_bytes());
            let mut verify = vec!["verify".to_owned()];
            verify.extend(sm2_opts(algorithm, "-vfyopt"));
            verify.extend(["-CAfile", &file, &file].map(String::from));
            openssl(&verify);
        }
    }
    let ed = key("ECC_NIST_EDWARDS25519_SIGN_VERIFY")
        .self_signed_certificate_signing_request(&CertificateProfile {
            subject_alt_names: many,
            ..ca_profile(SigningAlgorithm::Ed25519Sha512)
        })
        .unwrap_err();
    assert_eq!(ed.name(), "ValidationException");
}

#[test]
fn assembling_with_a_wrong_signature_is_kms_invalid_signature() {
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let key = fixture.key();
    let request = key.self_signed_certificate_signing_request(&ca_profile(SigningAlgorithm::EcdsaSha256)).unwrap();
    let other = key.self_signed_certificate_signing_request(&ca_profile(SigningAlgorithm::EcdsaSha256)).unwrap();
    let signature_of_other = kms_sign(&fixture, &other); // another serial: another TBS
    assert_eq!(key.assemble_x509(&request.pending, &signature_of_other).unwrap_err().name(), "KMSInvalidSignatureException");
    assert_eq!(key.assemble_x509(&request.pending, b"").unwrap_err().name(), "ValidationException");
}

#[test]
fn builder_refusals() {
    let key = key("ECC_NIST_P256_SIGN_VERIFY");
    let bad = |profile: CertificateProfile| key.self_signed_certificate_signing_request(&profile).unwrap_err();
    let base = ca_profile(SigningAlgorithm::EcdsaSha256);
    assert_eq!(
        bad(CertificateProfile { signing_algorithm: Some(SigningAlgorithm::EcdsaSha384), ..base.clone() }).name(),
        "InvalidKeyUsageException"
    );
    assert!(bad(CertificateProfile { subject: "not a dn".into(), ..base.clone() }).to_string().contains("RFC 4514"));
    assert!(bad(CertificateProfile { not_after: NOW - 1, ..base.clone() }).to_string().contains("notAfter"));
    assert!(bad(CertificateProfile { serial: Some(vec![0]), ..base.clone() }).to_string().contains("positive"));
    assert!(bad(CertificateProfile { serial: Some(vec![1; 21]), ..base.clone() }).to_string().contains("20 bytes"));
    assert!(bad(CertificateProfile { key_usage: vec!["signEverything".into()], ..base.clone() }).to_string().contains("keyCertSign"));
    assert!(bad(CertificateProfile { extended_key_usage: vec!["x".into()], ..base.clone() }).to_string().contains("codeSigning"));
    let ip = SubjectAltNames { ip: vec!["300.1.1.1".into()], ..Default::default() };
    assert!(bad(CertificateProfile { subject_alt_names: ip, ..base.clone() }).to_string().contains("IP address"));
    let ed = self::key("ECC_NIST_EDWARDS25519_SIGN_VERIFY");
    let ph = ed.self_signed_certificate_signing_request(&ca_profile(SigningAlgorithm::Ed25519PhSha512)).unwrap_err();
    assert!(ph.to_string().contains("no X.509 AlgorithmIdentifier"), "{ph}");
    // A CSR whose own signature is wrong is refused before anything is issued.
    let bad_csr = x509_fixture("rsa2048-pss-sha256.csr.bad-signature.pem");
    let refused =
        key.issued_certificate_signing_request(Issuer::Name("CN=ca"), IssuedFor::CertificateRequest(&bad_csr), &base).unwrap_err();
    assert!(refused.to_string().contains("CSR's signature does not verify"), "{refused}");
}

#[test]
fn random_serials_are_16_bytes_positive_and_differ() {
    let key = key("ECC_NIST_P256_SIGN_VERIFY");
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let mut serials = std::collections::HashSet::new();
    for _ in 0..8 {
        let request = key.self_signed_certificate_signing_request(&ca_profile(SigningAlgorithm::EcdsaSha256)).unwrap();
        let cert = key.assemble_x509(&request.pending, &kms_sign(&fixture, &request)).unwrap();
        let serial = cert.verified.serial.unwrap();
        assert_eq!(serial.len(), 32, "{serial}");
        assert!(u8::from_str_radix(&serial[..2], 16).unwrap() < 0x80);
        assert!(serials.insert(serial));
    }
}

/// Our RFC 4514 text ↔ Name step (src/x509/dn.rs) against OpenSSL's RFC 2253 printing: every character RFC 4514
/// §2.4 escapes (`,+"\<>;`, `#` first, space first or last), a multi-valued RDN (written in DER's SET order), and an attribute type we do not
/// name, printed as dotted OID = `#` + hex of its DER value (OpenSSL prints that hex in upper case).
#[test]
fn distinguished_names_escape_and_print_as_openssl_does() {
    let (uid, cn) = ("UID=u1", r#"CN=\#1 a\,b\+c\"d\\e\<f\>g\;h\ "#);
    let subject = format!("{uid}+{cn},1.3.6.1.4.1.99999.1=#0c0161,OU=\\ lead,O=Example,DC=example,C=US,emailAddress=pki@example.com,serialNumber=1234");
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let key = fixture.key();
    let profile = CertificateProfile { subject: subject.clone(), ..ca_profile(SigningAlgorithm::EcdsaSha256) };
    let request = key.self_signed_certificate_signing_request(&profile).unwrap();
    let cert = key.assemble_x509(&request.pending, &kms_sign(&fixture, &request)).unwrap();
    assert_eq!(cert.verified.subject.as_deref(), Some(subject.as_str()));
    assert_eq!(cert.verified.issuer.as_deref(), Some(subject.as_str()));
    let scratch = Scratch::new("x509-dn");
    let file = scratch.write("cert.pem", cert.pem.as_bytes());
    let printed = openssl(&["x509", "-in", &file, "-noout", "-subject", "-nameopt", "RFC2253"].map(String::from));
    // OpenSSL prints the attributes of a multi-valued RDN in reverse too (a SET has no order in RFC 4514 text).
    let openssl_order = subject.replacen(&format!("{uid}+{cn}"), &format!("{cn}+{uid}"), 1).replace("#0c0161", "#0C0161");
    assert_eq!(printed, format!("subject={openssl_order}\n"));
}

/// An OpenSSL config whose `string_mask = default` writes names as PrintableString where they fit (OpenSSL's
/// shipped `utf8only` would write UTF8String, which is what our RFC 4514 text path writes too), and a CA
/// extension set with a subjectKeyIdentifier that is NOT the RFC 5280 method-1 hash, so an authorityKeyIdentifier
/// copied from it can be told from one computed from the key.
const PRINTABLE_CA_CONFIG: &str = "[req]\ndistinguished_name = dn\nstring_mask = default\nx509_extensions = ca\n[dn]\n\
[ca]\nbasicConstraints = critical,CA:true\nkeyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = C0:FF:EE:01:02:03:04:05\n";
const PRINTABLE_CA_SUBJECT: &str = "/C=US/O=Example CA/CN=Example Root";

/// The DER of a certificate's (or CSR's) Name: `field` is "issuer" or "subject".
fn name_der(der: &[u8], field: &str) -> Vec<u8> {
    let certificate = x509_cert::Certificate::from_der(der).unwrap();
    let name = if field == "issuer" { certificate.tbs_certificate().issuer() } else { certificate.tbs_certificate().subject() };
    name.to_der().unwrap()
}

fn pem_der(pem: &str) -> Vec<u8> {
    der::pem::decode_vec(pem.trim().as_bytes()).unwrap().1
}

/// RFC 5280 §7.1: a certificate issued under an OpenSSL CA certificate of the KMS key whose subject is PrintableString
/// names carries that subject as its issuer byte for byte, the CA's subjectKeyIdentifier as its authorityKeyIdentifier,
/// and a CSR's PrintableString subject unchanged; `openssl verify -x509_strict` chains it. The CRL copies the name too.
#[test]
fn issuer_certificate_names_are_copied_as_encoded() {
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let key = fixture.key();
    let scratch = Scratch::new("x509-issuer-cert");
    let config = scratch.write("ca.cnf", PRINTABLE_CA_CONFIG.as_bytes());
    let kms_private = private_key_file(&scratch, &fixture);
    let ca_pem = openssl(
        &["req", "-x509", "-new", "-key", &kms_private, "-config", &config, "-subj", PRINTABLE_CA_SUBJECT, "-days", "3650"]
            .map(String::from),
    );
    let ca_file = scratch.write("ca.pem", ca_pem.as_bytes());
    let ca_subject = name_der(&pem_der(&ca_pem), "subject");
    assert!(openssl(&["asn1parse", "-in", &ca_file].map(String::from)).contains("PRINTABLESTRING   :Example Root"));
    let leaf_key = scratch.0.join("leaf.key").to_str().unwrap().to_owned();
    openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &leaf_key].map(String::from));
    let leaf_csr = openssl(&["req", "-new", "-key", &leaf_key, "-config", &config, "-subj", "/C=JP/CN=leaf"].map(String::from));
    let csr_subject = x509_cert::request::CertReq::from_der(&pem_der(&leaf_csr)).unwrap().info.subject.to_der().unwrap();
    assert!(csr_subject.contains(&0x13), "OpenSSL wrote the CSR's subject as PrintableString");
    let profile = CertificateProfile { not_before: NOW, not_after: NOW + YEAR, ..Default::default() };

    let request = key
        .issued_certificate_signing_request(
            Issuer::Certificate(ca_pem.as_bytes()),
            IssuedFor::CertificateRequest(leaf_csr.as_bytes()),
            &profile,
        )
        .unwrap();
    let leaf = key.assemble_x509(&request.pending, &kms_sign(&fixture, &request)).unwrap();
    assert_eq!(name_der(&leaf.der, "issuer"), ca_subject, "issuer = the CA certificate's subject, byte for byte");
    assert_eq!(name_der(&leaf.der, "subject"), csr_subject, "subject = the CSR's subject, byte for byte");
    let leaf_file = scratch.write("leaf.pem", leaf.pem.as_bytes());
    let text = openssl(&["x509", "-in", &leaf_file, "-noout", "-ext", "authorityKeyIdentifier"].map(String::from));
    assert!(text.contains("C0:FF:EE:01:02:03:04:05"), "AKI = the CA's SKI: {text}");
    let verify = ["verify", "-x509_strict", "-CAfile", &ca_file, &leaf_file].map(String::from);
    assert_eq!(openssl(&verify), format!("{leaf_file}: OK\n"));
    // The same certificate as DER bytes gives the same issuer.
    let der_request = key
        .issued_certificate_signing_request(
            Issuer::Certificate(&pem_der(&ca_pem)),
            IssuedFor::CertificateRequest(leaf_csr.as_bytes()),
            &profile,
        )
        .unwrap();
    assert_eq!(name_der(&key.assemble_x509(&der_request.pending, &kms_sign(&fixture, &der_request)).unwrap().der, "issuer"), ca_subject);

    let crl_request = key
        .crl_signing_request(&CrlOptions {
            issuer_certificate: Some(ca_pem.clone().into_bytes()),
            this_update: NOW,
            crl_number: vec![1],
            ..Default::default()
        })
        .unwrap();
    let crl = key.assemble_x509(&crl_request.pending, &kms_sign(&fixture, &crl_request)).unwrap();
    let crl_issuer = x509_cert::crl::CertificateList::<x509_cert::certificate::Rfc5280>::from_der(&crl.der).unwrap().tbs_cert_list.issuer;
    assert_eq!(crl_issuer.to_der().unwrap(), ca_subject);
    let crl_file = scratch.write("crl.pem", crl.pem.as_bytes());
    let crl_check = std::process::Command::new("openssl").args(["crl", "-in", &crl_file, "-CAfile", &ca_file, "-noout"]).output().unwrap();
    assert!(crl_check.stderr.starts_with(b"verify OK"), "{crl_check:?}");
}

#[test]
fn issuer_certificate_refusals() {
    let fixture = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let key = fixture.key();
    let scratch = Scratch::new("x509-issuer-refusals");
    let config = scratch.write("ca.cnf", PRINTABLE_CA_CONFIG.as_bytes());
    let other_key = scratch.0.join("other.key").to_str().unwrap().to_owned();
    openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &other_key].map(String::from));
    let other_ca =
        openssl(&["req", "-x509", "-new", "-key", &other_key, "-config", &config, "-subj", PRINTABLE_CA_SUBJECT].map(String::from));
    let csr = openssl(&["req", "-new", "-key", &other_key, "-config", &config, "-subj", "/CN=leaf"].map(String::from));
    let profile = CertificateProfile { not_before: NOW, not_after: NOW + YEAR, ..Default::default() };
    let issued = |issuer| key.issued_certificate_signing_request(issuer, IssuedFor::CertificateRequest(csr.as_bytes()), &profile);
    let another_key = issued(Issuer::Certificate(other_ca.as_bytes())).unwrap_err();
    assert_eq!(another_key.name(), "ValidationException");
    assert!(another_key.to_string().contains("certifies another public key than this KMS key's"), "{another_key}");
    let not_a_certificate = issued(Issuer::Certificate(csr.as_bytes())).unwrap_err();
    assert!(not_a_certificate.to_string().contains("PEM label"), "{not_a_certificate}");
    let garbage = issued(Issuer::Certificate(b"\x30\x03\x02\x01\x01")).unwrap_err();
    assert!(garbage.to_string().contains("not a DER X.509 certificate"), "{garbage}");
    let both = key
        .crl_signing_request(&CrlOptions { issuer: "CN=ca".into(), issuer_certificate: Some(other_ca.into_bytes()), ..Default::default() })
        .unwrap_err();
    assert_eq!(both.name(), "ValidationException");
    assert!(both.to_string().contains("Issuer and IssuerCertificate are both given"), "{both}");
    assert!(Issuer::of_options(Some("CN=ca"), Some(b"x")).is_err());
}
