//! X.509 certificates, CSRs and CRLs (src/x509): the parsers and the verify path, on every SIGN_VERIFY fixture.
//!
//! Input layout: `[0]` key (as in `pick_fixture`), `[1]` mode (mod 2), `[2]` kind or genuine structure:
//!   0: `verify_x509` of the rest as a certificate, CSR or CRL (`[2]` mod 3), PEM or DER as it comes;
//!   1: a genuine structure made by OpenSSL (tests/fixtures/x509, `[2]` picks which) mutated in DER by 3-byte
//!      ops `[op, pos, value]`: op mod 3 = xor a byte, truncate, insert a byte; checked with its own key.
//!
//! Properties: never panics; every error is a KMS exception; `verify_x509` agrees with `verify_x509_or_error`;
//! the genuine structure verifies, and a mutated one verifies only if it is still the genuine bytes, or, for a
//! CSR (whose outer signatureAlgorithm no signature covers), says exactly what the genuine one says.
#![no_main]

use kms_offline::KmsPublicKey;
use kms_offline::x509::{VerifiedX509, X509Kind};
use kms_offline_fuzz::{FIXTURES, Fixture, checked, fixtures_with_usage, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static SIGNING: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("SIGN_VERIFY"));

const KINDS: [X509Kind; 3] = [X509Kind::Certificate, X509Kind::CertificateRequest, X509Kind::Crl];

macro_rules! genuine {
    ($($fixture:literal, $file:literal, $kind:ident;)+) => {
        &[$(($fixture, include_str!(concat!("../../tests/fixtures/x509/", $file)), X509Kind::$kind),)+]
    };
}

/// OpenSSL's structures and the fixture key that signed each.
static GENUINE_PEM: &[(&str, &str, X509Kind)] = genuine! {
    "ECC_NIST_P256_SIGN_VERIFY", "p256-sha256.cert.pem", Certificate;
    "ECC_NIST_P256_SIGN_VERIFY", "p256-sha256.crl.pem", Crl;
    "RSA_2048_SIGN_VERIFY", "rsa2048-pss-sha256.csr.pem", CertificateRequest;
    "RSA_2048_SIGN_VERIFY", "rsa2048-pss-sha512.cert.pem", Certificate;
    "ECC_NIST_EDWARDS25519_SIGN_VERIFY", "ed25519.cert.pem", Certificate;
    "SM2_SIGN_VERIFY", "sm2-sm3.csr.pem", CertificateRequest;
    "ECC_SECG_P256K1_SIGN_VERIFY", "secp256k1-sha256.leaf.cert.pem", Certificate;
    "ECC_NIST_P256_SIGN_VERIFY", "p256-sha256-large.cert.pem", Certificate;
};

static GENUINE: LazyLock<Vec<(&'static KmsPublicKey, Vec<u8>, X509Kind)>> = LazyLock::new(|| {
    GENUINE_PEM
        .iter()
        .map(|(fixture, pem, kind)| {
            let key = &FIXTURES.iter().find(|f| f.name == *fixture).expect("fixture").key;
            let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            (key, kms_offline::encoding::decode_base64(&body, "pem").expect("fixture PEM"), *kind)
        })
        .collect()
});

fn check(key: &KmsPublicKey, input: &[u8], kind: X509Kind) -> Option<VerifiedX509> {
    let answer = checked(key.verify_x509(input, kind));
    let detailed = checked(key.verify_x509_or_error(input, kind));
    match (&answer, &detailed) {
        (Ok(a), Ok(b)) => assert!(a.signature_valid && a == b, "verify_x509 {a:?} disagrees with verify_x509_or_error {b:?}"),
        (Ok(a), Err(e)) => assert!(!a.signature_valid && e.name() == "KMSInvalidSignatureException", "{a:?} / {e}"),
        (Err(a), Err(b)) => assert_eq!(a, b, "verify_x509 and verify_x509_or_error refuse differently"),
        (Err(a), Ok(_)) => panic!("verify_x509 refused ({a}) what verify_x509_or_error accepted"),
    }
    answer.ok()
}

fuzz_target!(|data: &[u8]| {
    let [key_byte, mode, which, rest @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &SIGNING);
    if mode % 2 == 0 {
        check(&fixture.key, rest, KINDS[*which as usize % KINDS.len()]);
        return;
    }
    let (key, genuine, kind) = &GENUINE[*which as usize % GENUINE.len()];
    let mut der = genuine.clone();
    for op in rest.chunks_exact(3) {
        let pos = op[1] as usize * 7 % (der.len() + 1);
        match op[0] % 3 {
            0 if pos < der.len() => der[pos] ^= op[2].max(1),
            1 => der.truncate(pos),
            2 => der.insert(pos, op[2]),
            _ => {}
        }
    }
    let Some(answer) = check(key, &der, *kind) else {
        assert_ne!(der, *genuine, "the genuine structure is refused");
        return;
    };
    if der == *genuine {
        assert!(answer.signature_valid, "the genuine structure does not verify");
    } else if answer.signature_valid {
        // Only a CSR has an unsigned field that can change (its outer signatureAlgorithm: e.g. a NULL hash
        // parameter left out), and then nothing it says may differ.
        assert_eq!(*kind, X509Kind::CertificateRequest, "a mutated structure verified");
        let genuine_says = checked(key.verify_x509(genuine, *kind)).expect("genuine");
        assert_eq!(answer, genuine_says, "a mutated CSR verified saying something else");
    }
});
