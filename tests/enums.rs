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
