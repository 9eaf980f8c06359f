//! Regression inputs from fuzzing (fuzz/, cargo-fuzz): each `tests/regressions/<target>-<name>.bin`
//! is an input in the layout of fuzz target `<target>` (documented at the top of
//! `fuzz/fuzz_targets/<target>.rs`), fed here through the same public API as the target feeds it.
//! Every one must give exactly the outcome in `EXPECTED`: a KMS exception name, `true`/`false` for
//! Verify, or `ok`, and never a panic.
//!
//! To see what any fuzz input does (e.g. a new crash or a whole corpus):
//! `REGRESSION_SCAN=fuzz/corpus/spki_mutations cargo test --test regressions scan -- --ignored --nocapture`
//! (the directory's name, or the files' `<target>-` prefix, says which layout they are in).

use kms_offline::encoding::{decode_base64, decode_pem_public_key, encode_base64, private_key_der, public_key_der};
use kms_offline::kdf::{hkdf, one_step_kdf};
use kms_offline::{
    DeriveSharedSecretRequest, EncapsulationAlgorithm, EncryptRequest, EncryptionAlgorithm, ErrorKind, GetPublicKeyOutput, KdfHash,
    KeyAgreementAlgorithm, KeySpec, KeyUsage, KmsArn, KmsEnum, KmsError, KmsPublicKey, MessageType, SigningAlgorithm,
    VerifyRequest,
};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::cell::Cell;

thread_local! {
    /// Whether `outcome` adds each error's message after its name.
    static VERBOSE: Cell<bool> = const { Cell::new(false) };
}

/// Every regression input: its file, its exact outcome (several API calls are joined with `; `),
/// and a fragment the error messages must contain (so the refusal comes from the rule the input
/// is about, not an earlier one; empty: not checked). Most inputs were found by fuzzing (a corpus
/// entry that reached a deep parser or rule); the malformed ML-DSA/ECDSA/Ed25519/RSA signatures,
/// the PKCS#8 scalars and the KDF extremes were made by hand in the same layouts.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("arn-alias-name-colons.bin", "KmsArn::parse InvalidArnException; parse_key_id ok", ""),
    ("arn-empty-fields.bin", "KmsArn::parse InvalidArnException; parse_key_id InvalidArnException", "partition"),
    ("arn-region-non-ascii.bin", "KmsArn::parse InvalidArnException; parse_key_id InvalidArnException", "region"),
    ("base64_pem-base64url.bin", "public_key_der ValidationException; private_key_der ValidationException; decode_base64 ValidationException; decode_pem_public_key ValidationException", "base64url"),
    ("base64_pem-pem-empty-body.bin", "public_key_der ValidationException; private_key_der ValidationException; decode_base64 ValidationException; decode_pem_public_key ValidationException", "empty"),
    ("base64_pem-pem-private-label.bin", "public_key_der ValidationException; private_key_der ValidationException; decode_base64 ValidationException; decode_pem_public_key ValidationException", "labelled 'PRIVATE KEY'"),
    ("derive_shared_secret-p256-key-on-p384.bin", "ValidationException", "P-384"),
    ("derive_shared_secret-p256-scalar-n.bin", "ValidationException", "PKCS#8"),
    ("derive_shared_secret-p256-scalar-zero.bin", "ValidationException", "PKCS#8"),
    ("derive_shared_secret-pem-label-empty.bin", "ValidationException", "labelled ''"),
    ("derive_shared_secret-sec1-not-pkcs8.bin", "ValidationException", "PKCS#8"),
    ("encapsulate-length-overflow.bin", "ValidationException", "overflow"),
    ("encapsulate-mlkem512-mutated-still-valid.bin", "ok; ok", ""),
    ("encapsulate-sign-verify-key.bin", "InvalidKeyUsageException", "SIGN_VERIFY"),
    ("encrypt-encryption-context.bin", "ValidationException", "EncryptionContext"),
    ("encrypt-plaintext-over-oaep-limit.bin", "ValidationException", "at most 214 bytes"),
    ("encrypt-sm2pke-with-rsa.bin", "InvalidKeyUsageException", "SM2PKE"),
    ("get_public_key_json-algorithm-not-for-spec.bin", "InvalidKeyUsageException", "ECDSA_SHA_512"),
    ("get_public_key_json-byte-object-missing-index.bin", "ValidationException", "index 0"),
    ("get_public_key_json-hmac-no-public-key.bin", "UnsupportedOperationException", "HMAC_512"),
    ("get_public_key_json-key-id-over-2048.bin", "ValidationException", "2048"),
    ("get_public_key_json-lone-surrogate.bin", "ValidationException", "surrogate"),
    ("get_public_key_json-number-out-of-range.bin", "ValidationException", "out of range"),
    ("get_public_key_json-recursion-limit.bin", "ValidationException", "recursion limit"),
    ("get_public_key_json-rsa-modulus-2052-bits.bin", "ValidationException", "2052 bits"),
    ("get_public_key_json-spec-and-legacy-disagree.bin", "ValidationException", "CustomerMasterKeySpec"),
    ("kdf-hkdf-length-u32-max.bin", "ValidationException", "4294967295"),
    ("kdf-hkdf-over-255-blocks.bin", "ValidationException", "HKDF"),
    ("kdf-one-step-length-zero.bin", "ValidationException", "not 0"),
    ("kdf-one-step-over-65536.bin", "ValidationException", "65536"),
    ("public_key_blob-arn-region-non-ascii.bin", "InvalidArnException", "region"),
    ("public_key_blob-hmac-no-public-key.bin", "UnsupportedOperationException", "HMAC_512"),
    ("public_key_blob-key-id-alias-slash.bin", "ValidationException", "'alias/'"),
    // CustomerMasterKeySpec ECC_NIST_EDWARDS25519 (= KeySpec) loads (KMS-RULES.md §1.3): the missing list is refused.
    ("public_key_blob-legacy-spec-ed25519.bin", "ValidationException", "SigningAlgorithms is required"),
    ("public_key_blob-list-of-another-usage.bin", "ValidationException", "SigningAlgorithms is listed"),
    ("public_key_blob-usage-lowercase.bin", "ValidationException", "encapsulate_decapsulate"),
    ("public_key_blob-usage-not-for-spec.bin", "InvalidKeyUsageException", "ML_KEM_512"),
    ("spki_mutations-bit-string-unused-bits.bin", "ValidationException", "unused bits"),
    ("spki_mutations-der-over-8192-bytes.bin", "ValidationException", "8192"),
    ("spki_mutations-ec-other-point-verify-false.bin", "ok; false", ""),
    ("spki_mutations-ec-point-not-on-curve.bin", "ValidationException", "not on P-256"),
    ("spki_mutations-ed25519-other-point-verify-false.bin", "ok; false; false", ""),
    ("spki_mutations-length-overflow.bin", "ValidationException", "overflow"),
    ("spki_mutations-mldsa44-mutated-loads-verify-false.bin", "ok; false", ""),
    ("spki_mutations-mlkem512-modulus-check.bin", "ValidationException", "modulus check"),
    ("spki_mutations-pem-label-multibyte.bin", "ValidationException", "labelled"),
    ("spki_mutations-pem-no-end-line.bin", "ValidationException", "END PUBLIC KEY"),
    ("spki_mutations-rsa-integer-not-canonical.bin", "ValidationException", "canonical"),
    ("spki_mutations-rsa-mutated-loads-verify-false.bin", "ok; false; false; false; false; false; false", ""),
    ("spki_mutations-rsa2048-as-rsa3072.bin", "ValidationException", "2048 bits"),
    ("spki_mutations-truncated-rsa2048.bin", "ValidationException", "incomplete"),
    ("verify-digest-wrong-length.bin", "ValidationException", "must be 32 bytes"),
    ("verify-ecdsa-ber-long-length.bin", "false", ""),
    ("verify-ecdsa-r-equals-n.bin", "false", ""),
    ("verify-ed25519-s-plus-l.bin", "false", ""),
    ("verify-ed25519ph-raw.bin", "ValidationException", "allowed are DIGEST"),
    ("verify-empty-signature.bin", "ValidationException", "Signature is 0 bytes"),
    ("verify-external-mu-with-rsa.bin", "ValidationException", "EXTERNAL_MU"),
    ("verify-mldsa44-hint-counts-decreasing.bin", "false", ""),
    ("verify-mldsa87-hint-indices-repeated.bin", "false", ""),
    ("verify-rsa-signature-over-modulus.bin", "false", ""),
];


fn regressions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/regressions")
}

/// An API result as a short outcome: `ok`, or the KMS exception name (checked to be one).
fn outcome<T>(result: &Result<T, KmsError>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => {
            // The core's list (tests/enums.rs pins it to the KMS spellings).
            assert!(ErrorKind::ALL.iter().any(|kind| kind.name() == e.name()), "not a KMS exception: {e}");
            assert!(!e.message().is_empty());
            if VERBOSE.get() {
                let message: String = e.message().chars().take(160).collect();
                return format!("{} ({message})", e.name());
            }
            e.name().to_owned()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The fixtures, in the fuzz harness's order (file names sorted).

struct Case {
    algorithm: SigningAlgorithm,
    message_type: MessageType,
    message: Vec<u8>,
    signature: Vec<u8>,
}

struct Fixture {
    cli_json: String,
    metadata: GetPublicKeyOutput,
    key: KmsPublicKey,
    private_key_der: Option<Vec<u8>>,
    signatures: Vec<Case>,
}

fn fixtures() -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") && n != "index.json")
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| {
            let json: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
            let cli_json = json["GetPublicKey"].to_string();
            let signatures = json["Signatures"]
                .as_array()
                .map(|cases| {
                    cases
                        .iter()
                        .map(|c| {
                            let text = |m: &str| c[m].as_str().unwrap().to_owned();
                            Case {
                                algorithm: text("SigningAlgorithm").parse().unwrap(),
                                message_type: text("MessageType").parse().unwrap(),
                                message: decode_base64(&text("Message"), "Message").unwrap(),
                                signature: decode_base64(&text("Signature"), "Signature").unwrap(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            Fixture {
                metadata: kms_offline::json::parse_get_public_key(&cli_json).unwrap(),
                key: KmsPublicKey::from_get_public_key_json(&cli_json).unwrap(),
                cli_json,
                private_key_der: json["PrivateKeyPem"].as_str().map(|p| private_key_der(p.as_bytes()).unwrap().to_vec()),
                signatures,
            }
        })
        .collect()
}

fn with_usage(all: &[Fixture], usage: KeyUsage) -> Vec<&Fixture> {
    all.iter().filter(|f| f.key.key_usage() == usage).collect()
}

/// `kms_offline_fuzz::pick_fixture`: below 0xE0 one of `preferred`, otherwise any fixture.
fn pick<'a>(selector: u8, preferred: &[&'a Fixture], all: &'a [Fixture]) -> &'a Fixture {
    if selector < 0xE0 && !preferred.is_empty() {
        preferred[selector as usize % preferred.len()]
    } else {
        &all[selector as usize % all.len()]
    }
}

// ---------------------------------------------------------------------------------------------
// The fuzz targets' input layouts, replayed through the public API.

/// Runs one input in the layout of `target` and describes what the API did.
fn replay(target: &str, data: &[u8], all: &[Fixture]) -> String {
    match target {
        "get_public_key_json" => outcome(&KmsPublicKey::from_get_public_key_json(&String::from_utf8_lossy(data))),
        "public_key_blob" => public_key_blob(data),
        "spki_mutations" => spki_mutations(data, all),
        "verify" => verify(data, all),
        "encrypt" => encrypt(data, all),
        "derive_shared_secret" => derive_shared_secret(data, all),
        "encapsulate" => encapsulate(data, all),
        "kdf" => kdf(data),
        "arn" => arn(data),
        "base64_pem" => base64_pem(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// `kms_offline_fuzz::enum_text`.
fn enum_text<T: KmsEnum>(b: u8) -> Option<String> {
    let real = T::ALL[b as usize % T::ALL.len()].as_str();
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

/// Reads single bytes from the front, 0 once exhausted (as `arbitrary::Unstructured` does for u8).
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().map(|(f, r)| (*f, r)).unwrap_or((0, &[]));
        self.0 = rest;
        first
    }
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (taken, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        taken
    }
}

fn public_key_blob(data: &[u8]) -> String {
    let mut u = Bytes(data);
    let key_spec = enum_text::<KeySpec>(u.byte());
    let customer_master_key_spec = match u.byte() {
        0 => None,
        1 => key_spec.clone(),
        b => enum_text::<KeySpec>(b),
    };
    let key_usage = enum_text::<KeyUsage>(u.byte());
    let lists = u.byte();
    let len = (u.byte() % 4) as usize;
    fn list<T: KmsEnum>(u: &mut Bytes<'_>, present: bool, len: usize) -> Option<Vec<String>> {
        present.then(|| (0..len).filter_map(|_| enum_text::<T>(u.byte())).collect())
    }
    let signing_algorithms = list::<SigningAlgorithm>(&mut u, lists & 1 != 0, len);
    let encryption_algorithms = list::<EncryptionAlgorithm>(&mut u, lists & 2 != 0, len);
    let key_agreement_algorithms = list::<KeyAgreementAlgorithm>(&mut u, lists & 4 != 0, len);
    let encapsulation_algorithms = list::<EncapsulationAlgorithm>(&mut u, lists & 8 != 0, len);
    let key_id = match u.byte() {
        0 => None,
        1 => Some("arn:aws:kms:us-west-2:111122223333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4".to_owned()),
        2 => Some("arn:aws:kms:us-west-2:111122223333:alias/fuzz".to_owned()),
        3 => Some("79ecd1fa-923f-47e8-8d05-bde0b90840b4".to_owned()),
        4 => Some("arn:aws:kms:us-west-2:11112222333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4".to_owned()),
        5 => Some(String::new()),
        6 => Some("alias/".to_owned()),
        _ => {
            let n = u.byte() as usize;
            Some(String::from_utf8_lossy(u.take(n)).into_owned())
        }
    };
    let metadata = GetPublicKeyOutput {
        key_id,
        public_key: Vec::new(),
        key_spec,
        customer_master_key_spec,
        key_usage,
        signing_algorithms,
        encryption_algorithms,
        key_agreement_algorithms,
        encapsulation_algorithms,
    };
    outcome(&KmsPublicKey::from_public_key(u.0, metadata))
}

/// `kms_offline_fuzz::encode_blob`.
fn encode_blob(der: &[u8], form: u8) -> Vec<u8> {
    let b64 = encode_base64(der);
    match form % 4 {
        0 => der.to_vec(),
        1 => {
            let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|l| std::str::from_utf8(l).unwrap()).collect();
            format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", lines.join("\n")).into_bytes()
        }
        2 => b64.as_bytes().chunks(76).collect::<Vec<_>>().join(&b'\n'),
        _ => b64.trim_end_matches('=').as_bytes().to_vec(),
    }
}

fn spki_mutations(data: &[u8], all: &[Fixture]) -> String {
    let [index, mode, der @ ..] = data else { return "short".into() };
    let own = &all[*index as usize % all.len()];
    let meta_from = if mode & 4 != 0 { &all[(*index as usize + 1) % all.len()] } else { own };
    let blob = encode_blob(der, *mode);
    let loaded = if mode & 8 != 0 {
        let mut json: Value = serde_json::from_str(&meta_from.cli_json).unwrap();
        json["PublicKey"] = Value::String(match mode & 3 {
            0 => encode_base64(&blob),
            _ => String::from_utf8_lossy(&blob).into_owned(),
        });
        KmsPublicKey::from_get_public_key_json(&json.to_string())
    } else {
        KmsPublicKey::from_public_key(&blob, meta_from.metadata.clone())
    };
    let Ok(key) = loaded else { return outcome(&loaded) };
    // The operations the fuzz target runs on a key that loaded.
    let mut out = vec!["ok".to_owned()];
    match key.key_usage() {
        KeyUsage::SignVerify => {
            for algorithm in &key.metadata().signing_algorithms {
                if let Some(case) = own.signatures.iter().find(|c| c.algorithm == *algorithm) {
                    let request = VerifyRequest {
                        message: &case.message,
                        signature: &case.signature,
                        signing_algorithm: case.algorithm,
                        message_type: case.message_type,
                    };
                    out.push(match key.verify(&request) {
                        Ok(valid) => valid.to_string(),
                        err => outcome(&err),
                    });
                }
            }
        }
        KeyUsage::EncryptDecrypt => {
            for algorithm in &key.metadata().encryption_algorithms {
                let request = EncryptRequest { plaintext: b"fuzz", encryption_algorithm: *algorithm, encryption_context_pairs: 0 };
                out.push(outcome(&key.encrypt(&request)));
            }
        }
        KeyUsage::KeyAgreement => {
            let request = DeriveSharedSecretRequest {
                key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh,
                private_key: own.private_key_der.as_deref(),
            };
            out.push(outcome(&key.derive_shared_secret(&request)));
        }
        KeyUsage::EncapsulateDecapsulate => out.push(outcome(&key.encapsulate(EncapsulationAlgorithm::MlKem))),
        KeyUsage::GenerateVerifyMac => out.push("MAC key loaded".into()),
    }
    out.join("; ")
}

fn verify(data: &[u8], all: &[Fixture]) -> String {
    let [key_byte, alg_byte, type_byte, mode, rest @ ..] = data else { return "short".into() };
    let fixture = pick(*key_byte, &with_usage(all, KeyUsage::SignVerify), all);
    let key = &fixture.key;
    let listed = &key.metadata().signing_algorithms;
    let any_algorithm = SigningAlgorithm::ALL[*alg_byte as usize % SigningAlgorithm::ALL.len()];
    let any_type = MessageType::ALL[*type_byte as usize % MessageType::ALL.len()];
    let (message, signature, algorithm, message_type) = if mode % 4 == 0 || fixture.signatures.is_empty() {
        let algorithm = if *alg_byte < 0x80 && !listed.is_empty() { listed[*alg_byte as usize % listed.len()] } else { any_algorithm };
        let message_type = if *type_byte < 0x80 { MessageType::Raw } else { any_type };
        let (len, body) = match rest {
            [lo, hi, body @ ..] => (u16::from_le_bytes([*lo, *hi]) as usize, body),
            _ => (0, rest),
        };
        let split = len.min(body.len());
        (body[..split].to_vec(), body[split..].to_vec(), algorithm, message_type)
    } else {
        let [case_byte, tail @ ..] = rest else { return "short".into() };
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
        (message, signature, algorithm, message_type)
    };
    let request = VerifyRequest { message: &message, signature: &signature, signing_algorithm: algorithm, message_type };
    match key.verify(&request) {
        Ok(valid) => valid.to_string(),
        err => outcome(&err),
    }
}

fn encrypt(data: &[u8], all: &[Fixture]) -> String {
    let [key_byte, alg_byte, context_byte, plaintext @ ..] = data else { return "short".into() };
    let fixture = pick(*key_byte, &with_usage(all, KeyUsage::EncryptDecrypt), all);
    let request = EncryptRequest {
        plaintext,
        encryption_algorithm: EncryptionAlgorithm::ALL[*alg_byte as usize % EncryptionAlgorithm::ALL.len()],
        encryption_context_pairs: context_byte.saturating_sub(0xEF) as usize,
    };
    outcome(&fixture.key.encrypt(&request))
}

fn derive_shared_secret(data: &[u8], all: &[Fixture]) -> String {
    let [key_byte, mode, private @ ..] = data else { return "short".into() };
    let fixture = pick(*key_byte, &with_usage(all, KeyUsage::KeyAgreement), all);
    let request = DeriveSharedSecretRequest {
        key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh,
        private_key: (*mode != 0).then_some(private),
    };
    outcome(&fixture.key.derive_shared_secret(&request))
}

fn encapsulate(data: &[u8], all: &[Fixture]) -> String {
    let [key_byte, mode, blob @ ..] = data else { return "short".into() };
    let fixture = pick(*key_byte, &with_usage(all, KeyUsage::EncapsulateDecapsulate), all);
    if *mode == 0 {
        return outcome(&fixture.key.encapsulate(EncapsulationAlgorithm::MlKem));
    }
    match KmsPublicKey::from_public_key(blob, fixture.metadata.clone()) {
        Ok(key) => format!("ok; {}", outcome(&key.encapsulate(EncapsulationAlgorithm::MlKem))),
        err => outcome(&err),
    }
}

fn kdf(data: &[u8]) -> String {
    let [selector, l0, l1, l2, l3, ikm_len, salt_len, rest @ ..] = data else { return "short".into() };
    let raw = u32::from_le_bytes([*l0, *l1, *l2, *l3]);
    let length = if raw < 1 << 31 { (raw % 70_000) as usize } else { raw as usize };
    let hash = KdfHash::ALL[(*selector >> 1) as usize % KdfHash::ALL.len()];
    let (ikm, rest) = rest.split_at((*ikm_len as usize).min(rest.len()));
    let (salt, info) = rest.split_at((*salt_len as usize).min(rest.len()));
    let result = if selector & 1 == 0 { hkdf(hash, ikm, salt, info, length) } else { one_step_kdf(hash, ikm, info, length) };
    if let Ok(out) = &result {
        assert_eq!(out.len(), length);
    }
    outcome(&result)
}

fn arn(data: &[u8]) -> String {
    let text = String::from_utf8_lossy(data);
    format!(
        "KmsArn::parse {}; parse_key_id {}",
        outcome(&KmsArn::parse(&text)),
        outcome(&kms_offline::arn::parse_key_id(&text))
    )
}

fn base64_pem(data: &[u8]) -> String {
    let mut out = vec![
        format!("public_key_der {}", outcome(&public_key_der(data))),
        format!("private_key_der {}", outcome(&private_key_der(data))),
    ];
    if let Ok(text) = std::str::from_utf8(data) {
        out.push(format!("decode_base64 {}", outcome(&decode_base64(text, "Fuzz"))));
        out.push(format!("decode_pem_public_key {}", outcome(&decode_pem_public_key(text))));
    }
    out.join("; ")
}

// ---------------------------------------------------------------------------------------------

/// The fuzz target whose layout a regression file is in: the longest target name that prefixes it.
fn target_of(file: &str) -> &'static str {
    const TARGETS: &[&str] = &[
        "get_public_key_json",
        "public_key_blob",
        "spki_mutations",
        "verify",
        "encrypt",
        "derive_shared_secret",
        "encapsulate",
        "kdf",
        "arn",
        "base64_pem",
    ];
    TARGETS
        .iter()
        .copied()
        .filter(|t| file.starts_with(&format!("{t}-")))
        .max_by_key(|t| t.len())
        .unwrap_or_else(|| panic!("{file}: the name must start with <fuzz target>-"))
}

#[test]
fn every_regression_input_gives_its_expected_outcome() {
    let all = fixtures();
    let mut failures = Vec::new();
    for (file, expected, fragment) in EXPECTED {
        let data = std::fs::read(regressions_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let target = target_of(file);
        VERBOSE.set(false);
        let got = replay(target, &data, &all);
        if got != *expected {
            failures.push(format!("{file}: expected `{expected}`, got `{got}`"));
        }
        VERBOSE.set(true);
        let explained = replay(target, &data, &all);
        VERBOSE.set(false);
        if !explained.contains(fragment) {
            failures.push(format!("{file}: the messages do not mention `{fragment}`: {explained}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_regression_file_is_listed() {
    for entry in std::fs::read_dir(regressions_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".bin") {
            assert!(EXPECTED.iter().any(|(f, _, _)| *f == name), "{name} has no expected outcome in EXPECTED");
        }
    }
}

/// Prints the outcome of every file in `$REGRESSION_SCAN` (a corpus or artifacts directory), with
/// each error's message unless `$REGRESSION_SCAN_TERSE` is set (then in `EXPECTED`'s form).
#[test]
#[ignore]
fn scan() {
    let Ok(dir) = std::env::var("REGRESSION_SCAN") else { return };
    let dir = Path::new(&dir);
    VERBOSE.set(std::env::var_os("REGRESSION_SCAN_TERSE").is_none());
    let all = fixtures();
    let dir_name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = if file.contains('-') && !file.starts_with("seed-") && !file.starts_with("crash-") {
            target_of(&file)
        } else {
            target_of(&format!("{dir_name}-"))
        };
        let data = std::fs::read(&path).unwrap();
        rows.push((data.len(), file, replay(target, &data, &all)));
    }
    rows.sort();
    for (len, file, got) in rows {
        println!("{len:6} {file} {got}");
    }
}
