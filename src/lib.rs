//! # kms-offline
//!
//! Take an AWS KMS asymmetric public key **with its metadata** (the `GetPublicKey` output) and use
//! it offline exactly as KMS would: verify KMS signatures, and refuse, with KMS's own exception
//! names, every request KMS itself would refuse.
//!
//! ```
//! use kms_offline::{KmsPublicKey, MessageType, SigningAlgorithm, VerifyRequest};
//! # let json = include_str!("../tests/fixtures/keys/ECC_NIST_P256_SIGN_VERIFY.json");
//! # let fixture: serde_json::Value = serde_json::from_str(json).unwrap();
//! # let get_public_key_output = fixture["GetPublicKey"].to_string();
//! let key = KmsPublicKey::from_get_public_key_json(&get_public_key_output)?;
//! let refused = key.verify(&VerifyRequest {
//!     message: &[],
//!     signature: &[1],
//!     signing_algorithm: SigningAlgorithm::EcdsaSha256,
//!     message_type: MessageType::Raw,
//! });
//! assert_eq!(refused.unwrap_err().name(), "ValidationException"); // KMS needs 1..=4096 bytes
//! # Ok::<(), kms_offline::KmsError>(())
//! ```

pub mod agree;
pub mod arn;
pub mod digest;
pub mod encapsulate;
pub mod encoding;
pub mod encrypt;
pub mod error;
pub mod interop;
pub mod json;
pub mod kdf;
pub mod native;
pub mod key;
mod random;
mod comb;
mod scrub;
mod rsa_sig;
pub mod spec;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod js;

pub use arn::{KmsArn, ResourceType};
pub use error::{ErrorKind, KmsError, Result};
pub use key::{GetPublicKeyOutput, KeyMetadata, KmsPublicKey, SM2_DEFAULT_DISTINGUISHING_ID};
pub use spec::{
    EncapsulationAlgorithm, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, KmsEnum, MessageType,
    SigningAlgorithm,
};
pub use agree::{DeriveSharedSecretRequest, DeriveSharedSecretResponse};
pub use digest::MessageDigest;
pub use encapsulate::EncapsulateResponse;
pub use encrypt::{EncryptRequest, EncryptResponse};
pub use kdf::KdfHash;
pub use verify::{VerifyRequest, VerifyResponse};
pub use interop::{SignatureFormat, ExternalMuDigest, EthereumSignature, JwsSigningRequest, JwtValidation, VerifiedJws, VerifiedJwt};
