//! Shared helpers for the integration tests: the KMS-shaped fixtures made by tests/fixtures/generate.mjs.
#![allow(dead_code)]

use kms_offline::{GetPublicKeyOutput, KmsPublicKey, MessageType, SigningAlgorithm, VerifyRequest, encoding::decode_base64};
use serde_json::Value;
use std::path::PathBuf;

pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys")
}

/// One fixture key file: `<KeySpec>_<KeyUsage>.json`.
pub struct Fixture {
    pub name: String,
    pub json: Value,
}

impl Fixture {
    pub fn load(name: &str) -> Fixture {
        let path = fixtures_dir().join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Fixture { name: name.to_owned(), json: serde_json::from_str(&text).unwrap() }
    }

    pub fn all() -> Vec<Fixture> {
        let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".json") && n != "index.json")
            .map(|n| n.trim_end_matches(".json").to_owned())
            .collect();
        names.sort();
        names.iter().map(|n| Fixture::load(n)).collect()
    }

    /// The `aws kms get-public-key` JSON text.
    pub fn cli_json(&self) -> String {
        self.json["GetPublicKey"].to_string()
    }

    pub fn key(&self) -> KmsPublicKey {
        KmsPublicKey::from_get_public_key_json(&self.cli_json()).unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }

    /// The fixture's public key as PEM (what the console's Download gives).
    pub fn pem(&self) -> String {
        self.json["PublicKeyPem"].as_str().unwrap().to_owned()
    }

    pub fn get(&self, member: &str) -> &Value {
        &self.json["GetPublicKey"][member]
    }

    pub fn signature_cases(&self) -> Vec<SignatureCase> {
        self.json["Signatures"].as_array().unwrap().iter().map(SignatureCase::from_json).collect()
    }
}

pub struct SignatureCase {
    pub algorithm: SigningAlgorithm,
    pub message_type: MessageType,
    pub message: Vec<u8>,
    pub signature: Vec<u8>,
    pub valid: bool,
    pub note: String,
}

impl SignatureCase {
    fn from_json(case: &Value) -> SignatureCase {
        let text = |m: &str| case[m].as_str().unwrap().to_owned();
        SignatureCase {
            algorithm: text("SigningAlgorithm").parse().unwrap(),
            message_type: text("MessageType").parse().unwrap(),
            message: decode_base64(&text("Message"), "Message").unwrap(),
            signature: decode_base64(&text("Signature"), "Signature").unwrap(),
            valid: case["Valid"].as_bool().unwrap(),
            note: text("Note"),
        }
    }

    pub fn request(&self) -> VerifyRequest<'_> {
        VerifyRequest {
            message: &self.message,
            signature: &self.signature,
            signing_algorithm: self.algorithm,
            message_type: self.message_type,
        }
    }
}

/// Runs an external tool (OpenSSL, Node) as the independent implementation in a round trip.
/// Metadata for a PEM/DER key of a signing usage: KeySpec, KeyUsage and SigningAlgorithms as given.
pub fn signing_metadata(spec: &str, usage: &str, signing: &[&str]) -> GetPublicKeyOutput {
    GetPublicKeyOutput {
        key_spec: Some(spec.into()),
        key_usage: Some(usage.into()),
        signing_algorithms: Some(signing.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    }
}

pub fn run(program: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start: {e}"));
    assert!(out.status.success(), "{program} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// A scratch directory for files handed to OpenSSL, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kms-offline-{tag}-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn hex(bytes: &[u8]) -> String {
    kms_offline::encoding::encode_hex(bytes)
}
