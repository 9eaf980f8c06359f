//! The stable rule codes of errors (issue 19, item 2): every code is distinct kebab-case, every rule but `Other`
//! is used by some refusal in the sources, refusals of the README rules carry theirs with their params, and the
//! number of error sites that remain generic (`other`) is stated here, so a new refusal without a code shows.

use kms_offline::{KmsPublicKey, Param, Rule};
use std::path::Path;

#[test]
fn every_rule_has_a_distinct_kebab_case_code() {
    let codes: Vec<&str> = Rule::ALL.iter().map(|rule| rule.code()).collect();
    for code in &codes {
        assert!(code.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())), "{code}");
        assert_eq!(codes.iter().filter(|c| c == &code).count(), 1, "{code} twice");
    }
    assert_eq!(Rule::Other.code(), "other");
}

/// The Rust sources under src/, concatenated.
fn sources() -> String {
    fn walk(dir: &Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("error.rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = String::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

#[test]
fn every_rule_but_other_is_given_by_some_refusal() {
    let sources = sources();
    for rule in Rule::ALL.iter().filter(|r| **r != Rule::Other) {
        assert!(sources.contains(&format!("Rule::{rule:?}")), "no refusal gives {} (Rule::{rule:?})", rule.code());
    }
}

/// Error construction sites (KmsError constructors, and the JS binding's `validation(...)` for JS values of the
/// wrong shape) and rule codes given. Sites without a code are `other`: their English message is the explanation
/// (the Japanese rendering quotes it). A helper that builds several refusals (the SPKI mismatch, the invalid ARN,
/// the input that is no public key, `required`, `json_shape`, the serialised PublicKey, X.509's `malformed_part`)
/// counts once. So about 220 - 79 = 141 sites are generic today: the interop module (JWS, JWK, formats, Ethereum),
/// the X.509 builder (build.rs, with its IssuerCertificate checks) and option errors, DSSE and X.509 signatures that do not verify
/// (KMSInvalidSignatureException, as KMS words it), the KDF, JS value shapes, internal errors (the ESDK frame-by-frame
/// contract between the core and the WebCrypto or node:crypto sealing and hashing among them). The KMS and
/// keyring rules and the structure errors of DSSE, X.509 and the ESDK writer carry codes (tests/rule_codes_formats.rs).
/// Update these numbers when you add a refusal, with a code if it is a rule.
#[test]
fn generic_error_sites_are_counted() {
    let sources = sources();
    let constructors = ["KmsError::new(", "KmsError::validation(", "KmsError::input(", "KmsError::invalid_key_usage(", "KmsError::unsupported(", " validation(format!("];
    let sites: usize = constructors.iter().map(|c| sources.matches(c).count()).sum();
    let coded = sources.matches(".rule_code(Rule::").count();
    assert_eq!((sites, coded), (220, 79), "error sites, sites with a rule code");
}

fn p256() -> serde_json::Value {
    let path = format!("{}/tests/fixtures/keys/ECC_NIST_P256_SIGN_VERIFY.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(path).unwrap()).unwrap()["GetPublicKey"].clone()
}

fn load_with(change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> kms_offline::KmsError {
    let mut output = p256();
    let object = output.as_object_mut().unwrap();
    object.remove("CustomerMasterKeySpec");
    change(object);
    KmsPublicKey::from_get_public_key_json(&output.to_string()).unwrap_err()
}

#[test]
fn refusals_carry_their_rule_and_params_beside_the_unchanged_message() {
    let error = load_with(|o| {
        o.insert("KeyUsage".into(), "ENCRYPT_DECRYPT".into());
    });
    assert_eq!(error.rule(), Rule::KeyUsageNotForSpec);
    assert_eq!(
        error.params(),
        &[
            ("keyUsage", Param::Text("ENCRYPT_DECRYPT".into())),
            ("keySpec", Param::Text("ECC_NIST_P256".into())),
            ("allowed", Param::List(vec!["SIGN_VERIFY".into(), "KEY_AGREEMENT".into()])),
        ]
    );
    assert_eq!(error.name(), "InvalidKeyUsageException");
    assert!(error.message().starts_with("KeyUsage ENCRYPT_DECRYPT is not valid for KeySpec ECC_NIST_P256"), "{}", error.message());

    let error = load_with(|o| {
        o.insert("KeySpec".into(), "ECC_NIST_P384".into());
        o.insert("SigningAlgorithms".into(), serde_json::json!(["ECDSA_SHA_384"]));
    });
    assert_eq!(error.rule(), Rule::PublicKeyMismatch);
    assert_eq!(error.params()[..2], [("keySpec", Param::Text("ECC_NIST_P384".into())), ("detail", Param::Text("curve".into()))]);
    assert!(error.params().contains(&("detected", Param::Text("ECC_NIST_P256".into()))), "{:?}", error.params());

    let error = load_with(|o| {
        o.remove("KeySpec");
    });
    assert_eq!(error.rule(), Rule::KeySpecRequired);
    assert_eq!(error.params()[0], ("detected", Param::Text("ECC_NIST_P256".into())));
}
