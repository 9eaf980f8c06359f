//! The AWS SDK for Rust's own types (aws-sdk-kms, built with their builders: no client, no network) load and
//! convert exactly as the GetPublicKey JSON of the CLI does.
#![cfg(feature = "aws-sdk")]

mod common;

use aws_sdk_kms::operation::get_public_key::GetPublicKeyOutput as SdkOutput;
use aws_sdk_kms::operation::sign::SignOutput;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types as sdk;
use common::Fixture;
use kms_offline::{
    EncapsulationAlgorithm, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, KmsError, KmsPublicKey,
    MessageType, SigningAlgorithm, VerifyRequest, encoding::decode_base64,
};
use serde_json::Value;

/// The SDK output KMS would give for this GetPublicKey JSON: every member the JSON has, each enum built from
/// its spelling with the SDK's own `From<&str>` (an unknown spelling becomes the SDK's `Unknown` variant).
fn sdk_output(get_public_key: &Value) -> SdkOutput {
    let text = |member: &str| get_public_key[member].as_str().map(str::to_owned);
    fn list<T: for<'a> From<&'a str>>(value: &Value) -> Option<Vec<T>> {
        value.as_array().map(|values| values.iter().map(|v| T::from(v.as_str().unwrap())).collect())
    }
    let public_key = text("PublicKey").map(|b64| Blob::new(decode_base64(&b64, "PublicKey").unwrap()));
    #[allow(deprecated)]
    let builder = SdkOutput::builder()
        .set_customer_master_key_spec(text("CustomerMasterKeySpec").map(|s| sdk::CustomerMasterKeySpec::from(s.as_str())));
    builder
        .set_key_id(text("KeyId"))
        .set_public_key(public_key)
        .set_key_spec(text("KeySpec").map(|s| sdk::KeySpec::from(s.as_str())))
        .set_key_usage(text("KeyUsage").map(|s| sdk::KeyUsageType::from(s.as_str())))
        .set_signing_algorithms(list(&get_public_key["SigningAlgorithms"]))
        .set_encryption_algorithms(list(&get_public_key["EncryptionAlgorithms"]))
        .set_key_agreement_algorithms(list(&get_public_key["KeyAgreementAlgorithms"]))
        .set_encapsulation_algorithms(list(&get_public_key["EncapsulationAlgorithms"]))
        .build()
}

/// Loads the same GetPublicKey output through the SDK and as CLI JSON: both must give the same key, or the
/// same error (name and message).
fn assert_loads_the_same(get_public_key: &Value) -> Result<KmsPublicKey, KmsError> {
    let from_sdk = KmsPublicKey::from_aws_sdk(&sdk_output(get_public_key));
    let from_json = KmsPublicKey::from_get_public_key_json(&get_public_key.to_string());
    match (&from_sdk, &from_json) {
        (Ok(sdk_key), Ok(json_key)) => {
            assert_eq!(sdk_key.metadata(), json_key.metadata());
            assert_eq!(sdk_key.spki_der(), json_key.spki_der());
        }
        (Err(sdk_error), Err(json_error)) => {
            assert_eq!((sdk_error.name(), sdk_error.message()), (json_error.name(), json_error.message()));
        }
        _ => panic!("the SDK output and the JSON disagree: {from_sdk:?} vs {from_json:?}"),
    }
    from_sdk
}

fn p256_output() -> Value {
    Fixture::load("ECC_NIST_P256_SIGN_VERIFY").json["GetPublicKey"].clone()
}

#[test]
fn every_fixture_loads_from_the_sdk_output_as_from_the_cli_json() {
    for fixture in Fixture::all() {
        let key = assert_loads_the_same(&fixture.json["GetPublicKey"]).unwrap_or_else(|e| panic!("{}: {e}", fixture.name));
        assert_eq!(key.key_id(), fixture.get("KeyId").as_str(), "{}", fixture.name);
    }
}

#[test]
fn try_from_the_sdk_output_is_from_aws_sdk() {
    let output = sdk_output(&p256_output());
    let by_reference = KmsPublicKey::try_from(&output).unwrap();
    let by_value = KmsPublicKey::try_from(output).unwrap();
    assert_eq!(by_reference.metadata(), by_value.metadata());
    assert_eq!(by_reference.key_spec(), KeySpec::EccNistP256);
}

#[test]
fn signatures_verify_with_a_key_loaded_from_the_sdk_and_the_sdk_sign_output() {
    for fixture in Fixture::all().into_iter().filter(|f| f.name.ends_with("SIGN_VERIFY")) {
        let key = KmsPublicKey::from_aws_sdk(&sdk_output(&fixture.json["GetPublicKey"])).unwrap();
        for case in fixture.signature_cases() {
            // What KMS Sign returns, as the SDK gives it.
            let signed = SignOutput::builder()
                .key_id(key.key_id().unwrap())
                .signature(Blob::new(case.signature.clone()))
                .signing_algorithm(sdk::SigningAlgorithmSpec::from(case.algorithm))
                .build();
            let request = VerifyRequest {
                message: &case.message,
                signature: signed.signature().unwrap().as_ref(),
                signing_algorithm: signed.signing_algorithm().unwrap().try_into().unwrap(),
                message_type: sdk::MessageType::from(case.message_type).try_into().unwrap(),
            };
            let valid = key.verify(&request).unwrap_or(false);
            assert_eq!(valid, case.valid, "{}: {}", fixture.name, case.note);
        }
    }
}

#[test]
fn a_key_spec_newer_than_the_sdk_reaches_the_rules_as_kms_spelled_it() {
    let mut output = p256_output();
    output["KeySpec"] = "ECC_NIST_P999".into();
    output["CustomerMasterKeySpec"] = "ECC_NIST_P999".into();
    let sdk_spec = sdk_output(&output).key_spec.unwrap();
    assert!(!sdk::KeySpec::values().contains(&sdk_spec.as_str()), "the SDK does not know it: its Unknown variant");
    let error = assert_loads_the_same(&output).unwrap_err();
    assert!(error.message().contains("ECC_NIST_P999"), "{error}");
}

#[test]
fn a_key_usage_newer_than_the_sdk_reaches_the_rules_as_kms_spelled_it() {
    let mut output = p256_output();
    output["KeyUsage"] = "SIGN_VERIFY_TWICE".into();
    let sdk_usage = sdk_output(&output).key_usage.unwrap();
    assert!(!sdk::KeyUsageType::values().contains(&sdk_usage.as_str()));
    let error = assert_loads_the_same(&output).unwrap_err();
    assert!(error.message().contains("SIGN_VERIFY_TWICE"), "{error}");
}

#[test]
fn an_algorithm_newer_than_the_sdk_in_the_keys_list_is_judged_by_the_rules() {
    let mut output = p256_output();
    output["SigningAlgorithms"] = serde_json::json!(["ECDSA_SHA_256", "ECDSA_SHA3_256"]);
    let sdk_list = sdk_output(&output).signing_algorithms.unwrap();
    assert!(!sdk::SigningAlgorithmSpec::values().contains(&sdk_list[1].as_str()));
    // Whatever the rules decide for a CLI JSON with that list, the SDK output gets the same.
    let _ = assert_loads_the_same(&output);
}

#[test]
fn customer_master_key_spec_that_contradicts_key_spec_is_refused() {
    let mut output = p256_output();
    output["CustomerMasterKeySpec"] = "ECC_NIST_P384".into();
    let error = assert_loads_the_same(&output).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(error.message().contains("disagree"), "{error}");
}

#[test]
fn customer_master_key_spec_alone_is_enough() {
    let mut output = p256_output();
    output.as_object_mut().unwrap().remove("KeySpec");
    let key = assert_loads_the_same(&output).unwrap();
    assert_eq!(key.key_spec(), KeySpec::EccNistP256);
}

#[test]
fn an_sdk_output_without_a_public_key_is_refused_naming_it() {
    let mut output = p256_output();
    output.as_object_mut().unwrap().remove("PublicKey");
    let error = KmsPublicKey::from_aws_sdk(&sdk_output(&output)).unwrap_err();
    assert!(error.message().contains("PublicKey"), "{error}");
    assert!(!error.is_kms_rule(), "the output is not what KMS returns: an input error");
}

#[test]
fn an_absent_list_and_an_empty_list_are_both_refused_as_in_json() {
    let mut output = p256_output();
    output.as_object_mut().unwrap().remove("SigningAlgorithms");
    let absent = assert_loads_the_same(&output).unwrap_err();
    assert!(absent.message().contains("SigningAlgorithms is required"), "{absent}");
    output["SigningAlgorithms"] = serde_json::json!([]);
    assert!(sdk_output(&output).signing_algorithms.is_some_and(|list| list.is_empty()));
    assert_loads_the_same(&output).unwrap_err();
}

/// Every value of one of our enums is one the SDK knows by the same spelling, and converts back unchanged;
/// every value the SDK knows is one of ours.
fn assert_same_values<Ours, Sdk>(ours: &[Ours], sdk_values: &[&str])
where
    Ours: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + TryFrom<Sdk, Error = KmsError>,
    Sdk: From<Ours>,
{
    for &value in ours {
        assert!(sdk_values.contains(&value.to_string().as_str()), "the SDK does not know {value}");
        assert_eq!(Ours::try_from(Sdk::from(value)).unwrap(), value);
    }
    let spellings: Vec<String> = ours.iter().map(ToString::to_string).collect();
    for sdk_value in sdk_values {
        assert!(spellings.iter().any(|s| s == sdk_value), "{sdk_value} is not ours");
    }
}

#[test]
fn every_enum_maps_to_the_sdk_and_back() {
    assert_same_values::<SigningAlgorithm, sdk::SigningAlgorithmSpec>(
        SigningAlgorithm::ALL,
        sdk::SigningAlgorithmSpec::values(),
    );
    assert_same_values::<EncryptionAlgorithm, sdk::EncryptionAlgorithmSpec>(
        EncryptionAlgorithm::ALL,
        sdk::EncryptionAlgorithmSpec::values(),
    );
    assert_same_values::<KeyAgreementAlgorithm, sdk::KeyAgreementAlgorithmSpec>(
        KeyAgreementAlgorithm::ALL,
        sdk::KeyAgreementAlgorithmSpec::values(),
    );
    assert_same_values::<EncapsulationAlgorithm, sdk::EncapsulationAlgorithmSpec>(
        EncapsulationAlgorithm::ALL,
        sdk::EncapsulationAlgorithmSpec::values(),
    );
    assert_same_values::<MessageType, sdk::MessageType>(MessageType::ALL, sdk::MessageType::values());
    assert_same_values::<KeySpec, sdk::KeySpec>(KeySpec::ALL, sdk::KeySpec::values());
    assert_same_values::<KeyUsage, sdk::KeyUsageType>(KeyUsage::ALL, sdk::KeyUsageType::values());
}

#[test]
fn an_sdk_request_value_we_do_not_know_is_kms_validation_exception() {
    let error = SigningAlgorithm::try_from(&sdk::SigningAlgorithmSpec::from("ECDSA_SHA3_256")).unwrap_err();
    assert_eq!(error.name(), "ValidationException");
    assert!(
        error.message().starts_with(
            "Value 'ECDSA_SHA3_256' at 'SigningAlgorithm' failed to satisfy constraint: Member must satisfy enum value set:"
        ),
        "{error}"
    );
    let error = MessageType::try_from(sdk::MessageType::from("PREHASHED")).unwrap_err();
    assert!(error.message().contains("'MessageType'"), "{error}");
}
