//! The AWS SDK for Rust's types (crate `aws-sdk-kms`, Cargo feature `aws-sdk`): its `GetPublicKeyOutput` loads
//! as a [`KmsPublicKey`], and each of its KMS enums converts to and from ours.
//!
//! ```no_run
//! # async fn run(client: aws_sdk_kms::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use kms_offline::KmsPublicKey;
//! let output = client.get_public_key().key_id("alias/my-signing-key").send().await?;
//! let key = KmsPublicKey::from_aws_sdk(&output)?; // offline from here on
//! # Ok(()) }
//! ```
//!
//! A signature KMS Sign returned (the SDK's `SignOutput`) verifies offline with the SDK's algorithm converted:
//!
//! ```
//! # use aws_sdk_kms::primitives::Blob;
//! # use kms_offline::encoding::decode_base64;
//! use aws_sdk_kms::operation::sign::SignOutput;
//! use aws_sdk_kms::types::SigningAlgorithmSpec;
//! use kms_offline::{KmsPublicKey, MessageType, VerifyRequest};
//! # let json = include_str!("../tests/fixtures/keys/ECC_NIST_P256_SIGN_VERIFY.json");
//! # let fixture: serde_json::Value = serde_json::from_str(json).unwrap();
//! # let key = KmsPublicKey::from_get_public_key_json(&fixture["GetPublicKey"].to_string())?;
//! # let der = decode_base64("MEUCIQCUerw4Vopp+VUQsFh7IszxxqCfIKc0MjTVir2DD5jQLAIgeqqVWfiC6JMMGMDFlLawKiwQJ7mbMRo+vGE2m5tZ/do=", "Signature")?;
//! // `client.sign().key_id(..).message(Blob::new([0x00])).signing_algorithm(..).send().await?` gave:
//! let signed = SignOutput::builder()
//!     .signature(Blob::new(der))
//!     .signing_algorithm(SigningAlgorithmSpec::EcdsaSha256)
//!     .build();
//! let valid = key.verify(&VerifyRequest {
//!     message: &[0x00],
//!     signature: signed.signature().map(Blob::as_ref).unwrap_or_default(),
//!     signing_algorithm: signed.signing_algorithm().expect("KMS Sign returns it").try_into()?,
//!     message_type: MessageType::Raw,
//! })?;
//! assert!(valid);
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! Every value goes through its KMS spelling (the SDK enums' `as_str()`), never through a match on the SDK's
//! variants: a value newer than the SDK (its `Unknown` variant) reaches this crate's rules as the string KMS
//! sent, and they decide (KMS-RULES.md §1.3): an unknown KeySpec or KeyUsage is refused at load, an unknown
//! algorithm in the key's list is kept and refused only when a request asks for it.

use crate::error::Result;
use crate::key::{GetPublicKeyOutput, KmsPublicKey};
use crate::spec::{
    EncapsulationAlgorithm, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, MessageType, SigningAlgorithm,
};
use aws_sdk_kms::operation::get_public_key::GetPublicKeyOutput as SdkGetPublicKeyOutput;
use aws_sdk_kms::types as sdk;

impl KmsPublicKey {
    /// Loads the AWS SDK for Rust's GetPublicKey output: `client.get_public_key().key_id(..).send().await?`.
    /// The same checks as [`KmsPublicKey::from_get_public_key`], with the same errors.
    ///
    /// ```
    /// use aws_sdk_kms::operation::get_public_key::GetPublicKeyOutput;
    /// use aws_sdk_kms::primitives::Blob;
    /// use aws_sdk_kms::types::{KeySpec, KeyUsageType, SigningAlgorithmSpec};
    /// use kms_offline::{KmsPublicKey, encoding::decode_base64};
    /// # let spki_der = decode_base64("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9gkNn/B6+OhYJmwFsyGeSO88y+2KchAESQF8qgredlitrKVq7jKYWNYK8EKWqo6nfealA0h1aOAWnSdQsITyYg==", "PublicKey")?;
    /// // What `client.get_public_key().key_id(..).send().await?` returns for a P-256 signing key
    /// // (`spki_der`: the DER SubjectPublicKeyInfo):
    /// let output = GetPublicKeyOutput::builder()
    ///     .key_id("arn:aws:kms:us-west-2:111122223333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4")
    ///     .public_key(Blob::new(spki_der))
    ///     .key_spec(KeySpec::EccNistP256)
    ///     .key_usage(KeyUsageType::SignVerify)
    ///     .signing_algorithms(SigningAlgorithmSpec::EcdsaSha256)
    ///     .build();
    /// let key = KmsPublicKey::from_aws_sdk(&output)?;
    /// assert_eq!(key.key_spec(), kms_offline::KeySpec::EccNistP256);
    /// # Ok::<(), kms_offline::KmsError>(())
    /// ```
    pub fn from_aws_sdk(output: &SdkGetPublicKeyOutput) -> Result<Self> {
        Self::from_get_public_key(GetPublicKeyOutput::from(output))
    }
}

impl TryFrom<&SdkGetPublicKeyOutput> for KmsPublicKey {
    type Error = crate::KmsError;

    fn try_from(output: &SdkGetPublicKeyOutput) -> Result<Self> {
        Self::from_aws_sdk(output)
    }
}

impl TryFrom<SdkGetPublicKeyOutput> for KmsPublicKey {
    type Error = crate::KmsError;

    fn try_from(output: SdkGetPublicKeyOutput) -> Result<Self> {
        Self::from_aws_sdk(&output)
    }
}

impl From<&SdkGetPublicKeyOutput> for GetPublicKeyOutput {
    /// Each member as KMS sent it: enums as their KMS spelling, a list left out stays `None` (an empty list
    /// stays empty), so the rules see the difference as they do in CLI JSON.
    fn from(output: &SdkGetPublicKeyOutput) -> Self {
        // KMS still returns the deprecated member, and the rules check it agrees with KeySpec.
        #[allow(deprecated)]
        let customer_master_key_spec = output.customer_master_key_spec.as_ref().map(|spec| spec.as_str().to_owned());
        GetPublicKeyOutput {
            key_id: output.key_id.clone(),
            // Absent, it is an empty PublicKey, which the load refuses with the member's name.
            public_key: output.public_key.as_ref().map(|blob| blob.as_ref().to_vec()).unwrap_or_default(),
            key_spec: output.key_spec.as_ref().map(|spec| spec.as_str().to_owned()),
            customer_master_key_spec,
            key_usage: output.key_usage.as_ref().map(|usage| usage.as_str().to_owned()),
            signing_algorithms: spellings(output.signing_algorithms.as_deref(), sdk::SigningAlgorithmSpec::as_str),
            encryption_algorithms: spellings(output.encryption_algorithms.as_deref(), sdk::EncryptionAlgorithmSpec::as_str),
            key_agreement_algorithms: spellings(
                output.key_agreement_algorithms.as_deref(),
                sdk::KeyAgreementAlgorithmSpec::as_str,
            ),
            encapsulation_algorithms: spellings(
                output.encapsulation_algorithms.as_deref(),
                sdk::EncapsulationAlgorithmSpec::as_str,
            ),
        }
    }
}

/// A list of SDK enum values as their KMS spellings.
fn spellings<T>(list: Option<&[T]>, as_str: fn(&T) -> &str) -> Option<Vec<String>> {
    list.map(|values| values.iter().map(|value| as_str(value).to_owned()).collect())
}

/// `TryFrom<&sdk::X> for Ours` (the KMS spelling parsed as the request member `field`: a value this crate does
/// not know is KMS's ValidationException, as KMS answers an unknown value in a request) and
/// `From<Ours> for sdk::X` (every value of ours is a KMS value the SDK names, or carries as `Unknown`).
macro_rules! sdk_enum {
    ($ours:ident, $sdk:ident, $field:literal) => {
        impl TryFrom<&sdk::$sdk> for $ours {
            type Error = crate::KmsError;

            fn try_from(value: &sdk::$sdk) -> Result<Self> {
                $ours::parse(value.as_str(), $field)
            }
        }

        impl TryFrom<sdk::$sdk> for $ours {
            type Error = crate::KmsError;

            fn try_from(value: sdk::$sdk) -> Result<Self> {
                $ours::try_from(&value)
            }
        }

        impl From<$ours> for sdk::$sdk {
            fn from(value: $ours) -> Self {
                sdk::$sdk::from(value.as_str())
            }
        }
    };
}

sdk_enum!(SigningAlgorithm, SigningAlgorithmSpec, "SigningAlgorithm");
sdk_enum!(MessageType, MessageType, "MessageType");
sdk_enum!(EncryptionAlgorithm, EncryptionAlgorithmSpec, "EncryptionAlgorithm");
sdk_enum!(KeyAgreementAlgorithm, KeyAgreementAlgorithmSpec, "KeyAgreementAlgorithm");
sdk_enum!(EncapsulationAlgorithm, EncapsulationAlgorithmSpec, "EncapsulationAlgorithm");
sdk_enum!(KeySpec, KeySpec, "KeySpec");
sdk_enum!(KeyUsage, KeyUsageType, "KeyUsage");
