//! Shared harness for the kms-offline fuzz targets: the KMS-shaped fixture keys (embedded at compile
//! time, parsed once), the properties every target asserts, and small input decoders.
//!
//! The property common to all targets: no input panics, and every `Err` is a `KmsError` whose
//! `name()` is one of the KMS exception names of the core's list (`ErrorKind::ALL`).

use arbitrary::Unstructured;
use kms_offline::encoding::{decode_base64, encode_base64, private_key_der};
use kms_offline::json::parse_get_public_key;
use kms_offline::{ErrorKind, GetPublicKeyOutput, KmsEnum, KmsError, KmsPublicKey, MessageType, SigningAlgorithm};
use serde_json::Value;
use std::sync::LazyLock;

/// Asserts the error is a well-formed KMS error.
pub fn check_error(e: &KmsError) {
    // The core's list (tests/enums.rs pins it to the KMS spellings).
    assert!(ErrorKind::ALL.iter().any(|kind| kind.name() == e.name()), "not a KMS exception name: {:?}", e.name());
    assert_eq!(e.name(), e.kind().name());
    assert!(!e.message().is_empty(), "{} with an empty message", e.name());
    let shown = e.to_string();
    assert!(shown.starts_with(e.name()), "Display does not start with the name: {shown}");
}

/// Asserts the error (if any) is a KMS error, and returns the result unchanged.
pub fn checked<T>(result: kms_offline::Result<T>) -> kms_offline::Result<T> {
    if let Err(e) = &result {
        check_error(e);
    }
    result
}

/// Asserts the error (if any) is a KMS error with one of `names`.
pub fn checked_as<T>(result: kms_offline::Result<T>, names: &[&str]) -> kms_offline::Result<T> {
    if let Err(e) = &result {
        check_error(e);
        assert!(names.contains(&e.name()), "{} where only {names:?} may occur: {e}", e.name());
    }
    result
}

/// Two results are the same outcome: both Ok, or the same error kind and message.
pub fn same_error<A, B>(a: &kms_offline::Result<A>, b: &kms_offline::Result<B>) -> bool {
    match (a, b) {
        (Ok(_), Ok(_)) => true,
        (Err(x), Err(y)) => x == y,
        _ => false,
    }
}

macro_rules! fixture_files {
    ($($name:literal,)+) => {
        /// `tests/fixtures/keys/<name>.json`, embedded.
        pub static FIXTURE_FILES: &[(&str, &str)] =
            &[$(($name, include_str!(concat!("../../tests/fixtures/keys/", $name, ".json"))),)+];
    };
}

fixture_files! {
    "ECC_NIST_EDWARDS25519_SIGN_VERIFY",
    "ECC_NIST_P256_KEY_AGREEMENT",
    "ECC_NIST_P256_SIGN_VERIFY",
    "ECC_NIST_P384_KEY_AGREEMENT",
    "ECC_NIST_P384_SIGN_VERIFY",
    "ECC_NIST_P521_KEY_AGREEMENT",
    "ECC_NIST_P521_SIGN_VERIFY",
    "ECC_SECG_P256K1_SIGN_VERIFY",
    "ML_DSA_44_SIGN_VERIFY",
    "ML_DSA_65_SIGN_VERIFY",
    "ML_DSA_87_SIGN_VERIFY",
    "ML_KEM_1024_ENCAPSULATE_DECAPSULATE",
    "ML_KEM_512_ENCAPSULATE_DECAPSULATE",
    "ML_KEM_768_ENCAPSULATE_DECAPSULATE",
    "RSA_2048_ENCRYPT_DECRYPT",
    "RSA_2048_SIGN_VERIFY",
    "RSA_3072_ENCRYPT_DECRYPT",
    "RSA_3072_SIGN_VERIFY",
    "RSA_4096_ENCRYPT_DECRYPT",
    "RSA_4096_SIGN_VERIFY",
    "SM2_ENCRYPT_DECRYPT",
    "SM2_KEY_AGREEMENT",
    "SM2_SIGN_VERIFY",
}

/// One fixture signature case.
pub struct SignatureCase {
    pub algorithm: SigningAlgorithm,
    pub message_type: MessageType,
    pub message: Vec<u8>,
    pub signature: Vec<u8>,
    pub valid: bool,
}

/// One fixture key, loaded.
pub struct Fixture {
    pub name: &'static str,
    /// The `aws kms get-public-key` JSON text.
    pub cli_json: String,
    /// Its metadata (its `public_key` is the base64 text; `from_public_key` ignores it).
    pub metadata: GetPublicKeyOutput,
    pub spki_der: Vec<u8>,
    pub key: KmsPublicKey,
    /// PKCS#8 DER of the private key (RSA, EC, SM2, Ed25519 fixtures).
    pub private_key_der: Option<Vec<u8>>,
    pub signatures: Vec<SignatureCase>,
}

/// The fixtures in `FIXTURE_FILES` order (sorted by name), parsed on first use.
pub static FIXTURES: LazyLock<Vec<Fixture>> = LazyLock::new(|| FIXTURE_FILES.iter().map(|(n, t)| load_fixture(n, t)).collect());

fn load_fixture(name: &'static str, text: &str) -> Fixture {
    let json: Value = serde_json::from_str(text).expect("fixture JSON");
    let cli_json = json["GetPublicKey"].to_string();
    let metadata = parse_get_public_key(&cli_json).expect("fixture metadata");
    let key = KmsPublicKey::from_get_public_key_json(&cli_json).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    let private_key_der =
        json["PrivateKeyPem"].as_str().map(|pem| private_key_der(pem.as_bytes()).expect("fixture private key").to_vec());
    let signatures = json["Signatures"]
        .as_array()
        .map(|cases| {
            cases
                .iter()
                .map(|case| {
                    let text = |m: &str| case[m].as_str().expect("fixture case member");
                    SignatureCase {
                        algorithm: SigningAlgorithm::parse(text("SigningAlgorithm"), "SigningAlgorithm").expect("algorithm"),
                        message_type: MessageType::parse(text("MessageType"), "MessageType").expect("message type"),
                        message: decode_base64(text("Message"), "Message").expect("message"),
                        signature: decode_base64(text("Signature"), "Signature").expect("signature"),
                        valid: case["Valid"].as_bool().expect("Valid"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Fixture { name, cli_json, metadata, spki_der: key.spki_der().to_vec(), key, private_key_der, signatures }
}

/// The fixtures whose KeyUsage is `usage` (e.g. "SIGN_VERIFY").
pub fn fixtures_with_usage(usage: &str) -> Vec<&'static Fixture> {
    FIXTURES.iter().filter(|f| f.key.key_usage().as_str() == usage).collect()
}

/// A byte-selected fixture: below `0xE0` one of `preferred`, otherwise any fixture (to exercise the
/// usage refusals as well).
pub fn pick_fixture(selector: u8, preferred: &[&'static Fixture]) -> &'static Fixture {
    if selector < 0xE0 && !preferred.is_empty() {
        preferred[selector as usize % preferred.len()]
    } else {
        &FIXTURES[selector as usize % FIXTURES.len()]
    }
}

/// A text for an enum member chosen by one byte: usually a real KMS value, sometimes a near miss
/// (lower case, padded, truncated, empty, a value of another enum).
///
/// `0x00..=0x7F` and `0xC0..=0xFE`: `T::ALL[b % len]`; `0x80..=0xBF`: a near miss of `T::ALL[b % len]`;
/// `0xFF`: absent.
pub fn enum_text<T: KmsEnum>(b: u8) -> Option<String> {
    let all = T::ALL;
    let real = all[b as usize % all.len()].as_str();
    Some(match b {
        0xFF => return None,
        0x80..=0xBF => match (b >> 3) & 7 {
            0 => real.to_lowercase(),
            1 => format!(" {real}"),
            2 => format!("{real} "),
            3 => real[..real.len() - 1].to_owned(),
            4 => String::new(),
            5 => "SYMMETRIC_DEFAULT".to_owned(),
            6 => format!("{real}\u{0}"),
            _ => real.replace('_', "-"),
        },
        _ => real.to_owned(),
    })
}

/// One of a few KeyId shapes, chosen by a byte; 7 and above: a length byte and that many bytes.
pub fn key_id_text(b: u8, u: &mut Unstructured<'_>) -> Option<String> {
    Some(match b {
        0 => return None,
        1 => "arn:aws:kms:us-west-2:111122223333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4".to_owned(),
        2 => "arn:aws:kms:us-west-2:111122223333:alias/fuzz".to_owned(),
        3 => "79ecd1fa-923f-47e8-8d05-bde0b90840b4".to_owned(),
        4 => "arn:aws:kms:us-west-2:11112222333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4".to_owned(),
        5 => String::new(),
        6 => "alias/".to_owned(),
        _ => {
            // A length byte, then that many bytes (or what is left) as lossy UTF-8.
            let len = u.arbitrary::<u8>().unwrap_or(0) as usize;
            let bytes = u.bytes(len.min(u.len())).unwrap_or_default();
            String::from_utf8_lossy(bytes).into_owned()
        }
    })
}

/// Checks a loaded key's derived views and that its GetPublicKey JSON loads back to the same key.
pub fn check_loaded_key(key: &KmsPublicKey) {
    let der = key.spki_der();
    assert!(!der.is_empty());
    let pem = key.spki_pem();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(key.fingerprint().len(), 64);
    let json = key.to_get_public_key_json();
    let again = KmsPublicKey::from_get_public_key_json(&json)
        .unwrap_or_else(|e| panic!("a loaded key's own GetPublicKey JSON does not load: {e}\n{json}"));
    assert_eq!(again.spki_der(), der, "JSON round trip changed the SPKI");
    assert_eq!(again.metadata(), key.metadata(), "JSON round trip changed the metadata");
    let from_pem = KmsPublicKey::from_public_key(pem.as_bytes(), metadata_of(key))
        .unwrap_or_else(|e| panic!("a loaded key's own PEM does not load: {e}"));
    assert_eq!(from_pem.spki_der(), der);
}

/// A loaded key's metadata as GetPublicKey output (no public key).
pub fn metadata_of(key: &KmsPublicKey) -> GetPublicKeyOutput {
    let meta = key.metadata();
    let texts = |v: Vec<&'static str>| (!v.is_empty()).then(|| v.into_iter().map(str::to_owned).collect());
    GetPublicKeyOutput {
        key_id: meta.key_id.clone(),
        public_key: Vec::new(),
        key_spec: Some(meta.key_spec.as_str().to_owned()),
        customer_master_key_spec: None,
        key_usage: Some(meta.key_usage.as_str().to_owned()),
        signing_algorithms: texts(meta.signing_algorithms.iter().map(|a| a.as_str()).collect()),
        encryption_algorithms: texts(meta.encryption_algorithms.iter().map(|a| a.as_str()).collect()),
        key_agreement_algorithms: texts(meta.key_agreement_algorithms.iter().map(|a| a.as_str()).collect()),
        encapsulation_algorithms: texts(meta.encapsulation_algorithms.iter().map(|a| a.as_str()).collect()),
    }
}

/// The DER re-encoded as a public-key blob in one of the forms people hold: 0 raw DER, 1 PEM,
/// 2 base64 with line breaks, 3 base64 unpadded.
pub fn encode_blob(der: &[u8], form: u8) -> Vec<u8> {
    match form % 4 {
        0 => der.to_vec(),
        1 => {
            let b64 = encode_base64(der);
            let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
            for line in b64.as_bytes().chunks(64) {
                pem.push_str(core::str::from_utf8(line).unwrap_or_default());
                pem.push('\n');
            }
            pem.push_str("-----END PUBLIC KEY-----\n");
            pem.into_bytes()
        }
        2 => {
            let b64 = encode_base64(der);
            b64.as_bytes().chunks(76).collect::<Vec<_>>().join(&b'\n').to_vec()
        }
        _ => encode_base64(der).trim_end_matches('=').as_bytes().to_vec(),
    }
}
