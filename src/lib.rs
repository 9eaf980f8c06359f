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
//!
//! ## Features
//!
//! The default, `full`, builds everything. Each key family is a feature (`rsa`, `p256`, `p384`, `p521`,
//! `secp256k1`, `sm2`, `ed25519`, `ml-dsa`, `ml-kem`), and so is each operation beyond Verify (`encrypt`, `ecdh`
//! with the KDFs, `json` for GetPublicKey JSON text, `interop`, `webcrypto` for the JS binding's async
//! methods). A key of a family left out is refused at load with `UnsupportedOperationException`.

// A build with families or operations left out (Cargo features) leaves helpers that only those use.
#![cfg_attr(not(feature = "full"), allow(unused))]

#[cfg(feature = "ecdh")]
pub mod agree;
pub mod arn;
pub mod digest;
#[cfg(feature = "ml-kem")]
pub mod encapsulate;
pub mod encoding;
#[cfg(feature = "encrypt")]
pub mod encrypt;
pub mod error;
pub mod identify;
pub mod interop;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "ecdh")]
pub mod kdf;
#[cfg(feature = "webcrypto")]
pub mod native;
pub mod key;
#[cfg(any(feature = "encrypt", feature = "ecdh", feature = "ml-kem"))]
mod random;
mod comb;
#[cfg(any(feature = "encrypt", feature = "ecdh", feature = "ml-kem"))]
mod scrub;
#[cfg(feature = "rsa")]
mod rsa_key;
#[cfg(feature = "rsa")]
mod rsa_sig;
#[cfg(feature = "sm2")]
mod sm2_id;
pub mod spec;
pub mod verify;

#[cfg(target_arch = "wasm32")]
mod js;

pub use arn::{KmsArn, ResourceType};
pub use error::{ErrorKind, ErrorOrigin, KmsError, Result};
pub use key::{GetPublicKeyOutput, KeyMetadata, KmsPublicKey, OutputMember, SM2_DEFAULT_DISTINGUISHING_ID};
pub use spec::{
    EncapsulationAlgorithm, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage, KmsEnum, MessageType,
    SigningAlgorithm,
};
#[cfg(feature = "ecdh")]
pub use agree::{DeriveSharedSecretRequest, DeriveSharedSecretResponse};
pub use digest::MessageDigest;
#[cfg(feature = "ml-kem")]
pub use encapsulate::EncapsulateResponse;
#[cfg(feature = "encrypt")]
pub use encrypt::{EncryptRequest, EncryptResponse};
#[cfg(feature = "ecdh")]
pub use kdf::KdfHash;
pub use verify::{VerifyRequest, VerifyResponse};
pub use interop::SignatureFormat;
#[cfg(feature = "interop")]
pub use interop::{ExternalMuDigest, EthereumSignature, JwsSigningRequest, JwtValidation, VerifiedJws, VerifiedJwt};
