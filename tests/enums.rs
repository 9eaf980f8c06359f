//! The rules tables cover every enum value of the KMS service model (botocore 1.44.5), read from
//! tests/data/kms-enums.json (a copy of shared/kms-enums.json).

use kms_offline::spec::{CUSTOMER_MASTER_KEY_SPECS, KEY_SPEC_RULES, SIGNING_RULES};
use kms_offline::{
    EncapsulationAlgorithm, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, KmsEnum, MessageType,
    SigningAlgorithm,
};

fn model() -> serde_json::Value {
    serde_json::from_str(include_str!("data/kms-enums.json")).unwrap()
}

fn values(shape: &str) -> Vec<String> {
    model()[shape].as_array().unwrap_or_else(|| panic!("{shape}")).iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

fn ours<T: KmsEnum>() -> Vec<String> {
    T::ALL.iter().map(|v| v.as_str().to_owned()).collect()
}

#[test]
fn every_enum_value_of_the_service_model_is_in_the_tables() {
    assert_eq!(ours::<KeySpec>(), values("KeySpec"));
    assert_eq!(ours::<KeyUsage>(), values("KeyUsageType"));
    assert_eq!(ours::<SigningAlgorithm>(), values("SigningAlgorithmSpec"));
    assert_eq!(ours::<EncryptionAlgorithm>(), values("EncryptionAlgorithmSpec"));
    assert_eq!(ours::<KeyAgreementAlgorithm>(), values("KeyAgreementAlgorithmSpec"));
    assert_eq!(ours::<EncapsulationAlgorithm>(), values("EncapsulationAlgorithmSpec"));
    assert_eq!(ours::<MessageType>(), values("MessageType"));
    let legacy: Vec<String> = CUSTOMER_MASTER_KEY_SPECS.iter().map(|s| s.as_str().to_owned()).collect();
    assert_eq!(legacy, values("CustomerMasterKeySpec"));
}

#[test]
fn every_key_spec_has_a_rule_and_every_algorithm_a_home() {
    let specs: Vec<&str> = KEY_SPEC_RULES.iter().map(|r| r.spec.as_str()).collect();
    assert_eq!(specs, values("KeySpec"));
    let algorithms: Vec<&str> = SIGNING_RULES.iter().map(|r| r.algorithm.as_str()).collect();
    assert_eq!(algorithms, values("SigningAlgorithmSpec"));
    for alg in EncryptionAlgorithm::ALL {
        assert!(KEY_SPEC_RULES.iter().any(|r| r.encryption.contains(alg)), "{alg}");
    }
    assert!(KEY_SPEC_RULES.iter().any(|r| r.key_agreement.contains(&KeyAgreementAlgorithm::Ecdh)));
    assert!(KEY_SPEC_RULES.iter().any(|r| r.encapsulation.contains(&EncapsulationAlgorithm::MlKem)));
}

#[test]
fn limits_match_the_service_model() {
    let limits = &model()["limits"];
    assert_eq!(limits["PlaintextType"]["max"], kms_offline::spec::limits::MAX_MESSAGE);
    assert_eq!(limits["PublicKeyType"]["max"], kms_offline::spec::limits::MAX_PUBLIC_KEY);
    assert_eq!(limits["KeyIdType"]["max"], kms_offline::spec::limits::MAX_KEY_ID);
}

/// The core's exception list (`ErrorKind::ALL`, exported everywhere else) against an independent statement of the
/// KMS spellings: this test is the point where the list is written out again, on purpose. ValidationException is
/// the AWS protocol's own error, in no operation's list of the model; every other name is one an operation of the
/// model raises.
#[test]
fn the_exception_names_are_kms_spellings() {
    let names: Vec<&str> = kms_offline::ErrorKind::ALL.iter().map(|kind| kind.name()).collect();
    assert_eq!(
        names,
        [
            "ValidationException",
            "InvalidKeyUsageException",
            "UnsupportedOperationException",
            "InvalidArnException",
            "KMSInvalidSignatureException",
            "InvalidCiphertextException",
            "KMSInternalException",
        ]
    );
    let model = model();
    let raised: Vec<&str> = ["GetPublicKey", "Verify", "Encrypt", "Decrypt", "DeriveSharedSecret", "Encapsulate", "Decapsulate"]
        .iter()
        .flat_map(|operation| model["errors"][*operation].as_array().unwrap_or_else(|| panic!("{operation}")))
        .filter_map(|name| name.as_str())
        .collect();
    for name in &names[1..] {
        assert!(raised.contains(name), "{name} is raised by no operation of the KMS model");
    }
}

/// The TypeScript union `KmsError["name"]` (src/js/mod.rs) is the core's list, in its order.
#[test]
fn the_typescript_exception_union_is_the_core_list() {
    let binding = include_str!("../src/js/mod.rs");
    let union = binding
        .lines()
        .find_map(|line| line.trim().strip_prefix("name: ").filter(|union| union.contains("Exception\"")))
        .expect("the KmsError name union in src/js/mod.rs");
    let expected: Vec<String> = kms_offline::ErrorKind::ALL.iter().map(|kind| format!("\"{}\"", kind.name())).collect();
    assert_eq!(union.trim_end_matches(';'), expected.join(" | "));
}

/// The TypeScript union of `OfflineCaveats.codes` (src/js/mod.rs) is the core's list of caveats, in its order.
#[test]
fn the_typescript_caveat_union_is_the_core_list() {
    let binding = include_str!("../src/js/mod.rs");
    let union = binding
        .lines()
        .find_map(|line| line.trim().strip_prefix("codes: (").and_then(|rest| rest.strip_suffix(")[];")))
        .expect("the OfflineCaveats codes union in src/js/mod.rs");
    let expected: Vec<String> = kms_offline::caveats::OfflineCaveat::ALL.iter().map(|caveat| format!("\"{}\"", caveat.code())).collect();
    assert_eq!(union, expected.join(" | "));
}
