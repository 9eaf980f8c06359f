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
//! ## Loading a key
//!
//! - [`KmsPublicKey::from_get_public_key_json`]: the JSON `aws kms get-public-key` prints (PublicKey in
//!   base64), as in the example below.
//! - `KmsPublicKey::from_aws_sdk(&output)` (Cargo feature `aws-sdk`, module `aws_sdk`): the AWS SDK for
//!   Rust's `GetPublicKeyOutput`, straight from `client.get_public_key().key_id(..).send().await?`; the
//!   `aws_sdk` module also converts each SDK enum to ours and back.
//! - [`KmsPublicKey::from_get_public_key`]: the output's members as Rust values ([`GetPublicKeyOutput`]).
//! - [`KmsPublicKey::from_public_key`]: a PEM or DER public key with the metadata given separately.
//! - [`KmsPublicKey::from_jwk`]: a public JWK with the metadata (see JWS and JWT below).
//!
//! ## Verify
//!
//! [`KmsPublicKey::verify`] answers what KMS Verify would: `Ok(true)` or `Ok(false)` for the signature, an error
//! for a request KMS refuses.
//!
//! ```
//! use kms_offline::{KmsPublicKey, MessageType, SigningAlgorithm, VerifyRequest, encoding::decode_base64};
//! let key = KmsPublicKey::from_get_public_key_json(r#"{
//!     "KeyId": "arn:aws:kms:us-west-2:111122223333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4",
//!     "PublicKey": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9gkNn/B6+OhYJmwFsyGeSO88y+2KchAESQF8qgredlitrKVq7jKYWNYK8EKWqo6nfealA0h1aOAWnSdQsITyYg==",
//!     "KeySpec": "ECC_NIST_P256",
//!     "KeyUsage": "SIGN_VERIFY",
//!     "SigningAlgorithms": ["ECDSA_SHA_256"]
//! }"#)?;
//! // `aws kms sign --message-type RAW --signing-algorithm ECDSA_SHA_256` of the one byte 0x00:
//! let signature = decode_base64(
//!     "MEUCIQCUerw4Vopp+VUQsFh7IszxxqCfIKc0MjTVir2DD5jQLAIgeqqVWfiC6JMMGMDFlLawKiwQJ7mbMRo+vGE2m5tZ/do=",
//!     "Signature",
//! )?;
//! let request = VerifyRequest {
//!     message: &[0x00],
//!     signature: &signature,
//!     signing_algorithm: SigningAlgorithm::EcdsaSha256,
//!     message_type: MessageType::Raw,
//! };
//! assert!(key.verify(&request)?);
//! assert!(!key.verify(&VerifyRequest { message: &[0x01], ..request })?);
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! ### Verify with MessageType DIGEST
//!
//! For a message too large for KMS (over 4096 bytes), KMS signs its digest: hash it with
//! [`MessageDigest::for_signing_algorithm`] (chunk by chunk with `update`) and verify with `MessageType::Digest`.
//!
//! ```
//! use kms_offline::{KmsPublicKey, MessageDigest, MessageType, SigningAlgorithm, VerifyRequest, encoding::decode_base64};
//! # let json = include_str!("../tests/fixtures/keys/ECC_NIST_P256_SIGN_VERIFY.json");
//! # let fixture: serde_json::Value = serde_json::from_str(json).unwrap();
//! let key = KmsPublicKey::from_get_public_key_json(&fixture["GetPublicKey"].to_string())?;
//! let mut digest = MessageDigest::for_signing_algorithm(SigningAlgorithm::EcdsaSha256)?;
//! digest.update(&[0x00]); // as many chunks as the message has
//! let digest = digest.finalize();
//! // ECDSA signs the digest either way: the signature of the RAW message 0x00 above verifies.
//! let signature = decode_base64(
//!     "MEUCIQCUerw4Vopp+VUQsFh7IszxxqCfIKc0MjTVir2DD5jQLAIgeqqVWfiC6JMMGMDFlLawKiwQJ7mbMRo+vGE2m5tZ/do=",
//!     "Signature",
//! )?;
//! assert!(key.verify(&VerifyRequest {
//!     message: &digest,
//!     signature: &signature,
//!     signing_algorithm: SigningAlgorithm::EcdsaSha256,
//!     message_type: MessageType::Digest,
//! })?);
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! ## Encrypt for KMS Decrypt
//!
//! [`KmsPublicKey::encrypt`] (RSAES-OAEP, SM2PKE) makes the ciphertext `aws kms decrypt` takes with the same
//! key and algorithm, and refuses what KMS Encrypt would (a plaintext too long for the key, an encryption
//! context, an algorithm not in the key's list).
//!
//! ```
//! use kms_offline::{EncryptRequest, EncryptionAlgorithm, KmsPublicKey};
//! # let json = include_str!("../tests/fixtures/keys/RSA_2048_ENCRYPT_DECRYPT.json");
//! # let fixture: serde_json::Value = serde_json::from_str(json).unwrap();
//! let key = KmsPublicKey::from_get_public_key_json(&fixture["GetPublicKey"].to_string())?; // RSA_2048
//! let request = EncryptRequest {
//!     plaintext: b"a secret for KMS Decrypt",
//!     encryption_algorithm: EncryptionAlgorithm::RsaesOaepSha256,
//!     encryption_context_pairs: 0,
//! };
//! let encrypted = key.encrypt(&request)?;
//! assert_eq!(encrypted.ciphertext_blob.len(), 256);
//! let too_long = key.encrypt(&EncryptRequest { plaintext: &[0; 191], ..request });
//! assert_eq!(too_long.unwrap_err().name(), "ValidationException"); // RSA_2048 with SHA-256: 190 bytes at most
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! ## DeriveSharedSecret (ECDH)
//!
//! [`KmsPublicKey::derive_shared_secret`] computes the secret KMS DeriveSharedSecret returns for your public
//! key: with `private_key: None`, a fresh key pair is made and used once.
//!
//! ```
//! use kms_offline::{DeriveSharedSecretRequest, KeyAgreementAlgorithm, KmsPublicKey};
//! # let json = include_str!("../tests/fixtures/keys/ECC_NIST_P256_KEY_AGREEMENT.json");
//! # let fixture: serde_json::Value = serde_json::from_str(json).unwrap();
//! let key = KmsPublicKey::from_get_public_key_json(&fixture["GetPublicKey"].to_string())?; // ECC_NIST_P256
//! let agreed = key.derive_shared_secret(&DeriveSharedSecretRequest {
//!     key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh,
//!     private_key: None,
//! })?;
//! // Send `agreed.public_key` (DER SPKI) to KMS DeriveSharedSecret: it returns these same 32 bytes.
//! assert_eq!(agreed.shared_secret.len(), 32);
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! ## Encapsulate (ML-KEM)
//!
//! [`KmsPublicKey::encapsulate`] makes a shared secret and the ciphertext KMS Decapsulate turns back into it.
//!
//! ```
//! use kms_offline::{EncapsulationAlgorithm, KmsPublicKey};
//! # let json = include_str!("../tests/fixtures/keys/ML_KEM_768_ENCAPSULATE_DECAPSULATE.json");
//! # let fixture: serde_json::Value = serde_json::from_str(json).unwrap();
//! let key = KmsPublicKey::from_get_public_key_json(&fixture["GetPublicKey"].to_string())?; // ML_KEM_768
//! let encapsulated = key.encapsulate(EncapsulationAlgorithm::MlKem)?;
//! assert_eq!(encapsulated.shared_secret_ciphertext_blob.len(), 1088); // for KMS Decapsulate
//! assert_eq!(encapsulated.shared_secret.len(), 32);
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! ## JWS and JWT (with a JWK)
//!
//! [`KmsPublicKey::verify_jws`] checks a compact JWS, [`KmsPublicKey::verify_jwt`] a JWT and the claims asked for;
//! [`KmsPublicKey::from_jwk`] loads a public JWK with the KMS metadata a JWK does not carry. Here the ES256 JWT
//! of RFC 7515 A.3 and its key:
//!
//! ```
//! use kms_offline::{GetPublicKeyOutput, JwtValidation, KmsPublicKey};
//! let key = KmsPublicKey::from_jwk(
//!     r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#,
//!     GetPublicKeyOutput {
//!         key_spec: Some("ECC_NIST_P256".into()),
//!         key_usage: Some("SIGN_VERIFY".into()),
//!         signing_algorithms: Some(vec!["ECDSA_SHA_256".into()]),
//!         ..Default::default()
//!     },
//! )?;
//! let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
//! assert!(key.verify_jws(token)?);
//! let jwt = key.verify_jwt(token, &JwtValidation { now: Some(1_300_819_000), issuer: Some(vec!["joe".into()]), ..Default::default() })?;
//! assert_eq!(jwt.claims["iss"], "joe");
//! let expired = key.verify_jwt(token, &JwtValidation { now: Some(1_300_819_380), ..Default::default() });
//! assert_eq!(expired.unwrap_err().name(), "ValidationException"); // JWTClaimValidationFailed (exp)
//! # Ok::<(), kms_offline::KmsError>(())
//! ```
//!
//! ## Features
//!
//! The default, `full`, builds everything. Each key family is a feature (`rsa`, `p256`, `p384`, `p521`,
//! `secp256k1`, `sm2`, `ed25519`, `ml-dsa`, `ml-kem`), and so is each operation beyond Verify (`encrypt`, `ecdh`
//! with the KDFs, `json` for GetPublicKey JSON text, `interop`, `x509` for certificates, CSRs and CRLs (module
//! [`x509`]), `webcrypto` for the JS binding's async methods, `tables` for its tables for people: `keySpecRules()`,
//! `offlineCaveats()`). A key of a family left out is refused at load with `UnsupportedOperationException`. `aws-sdk`,
//! not in `full`, adds the AWS SDK for Rust's types (crate `aws-sdk-kms`, without its HTTP client).

// A build with families or operations left out (Cargo features) leaves helpers that only those use.
#![cfg_attr(not(feature = "full"), allow(unused))]

// talc instead of std's dlmalloc on wasm (single-threaded: no atomics): 6 KB less code, 2.4 KB gzip off every
// entry, the same instruction counts for verify, key load and ESDK encrypt (bench/NOTES.md §19).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "ecdh")]
pub mod agree;
pub mod arn;
pub mod caveats;
// The AWS SDK for Rust's types (not in `full`: the npm package's wasm never carries the SDK).
#[cfg(feature = "aws-sdk")]
pub mod aws_sdk;
pub mod digest;
#[cfg(feature = "ml-kem")]
pub mod encapsulate;
pub mod encoding;
#[cfg(feature = "encrypt")]
pub mod encrypt;
pub mod error;
pub mod get_public_key;
// Messages of any size in the AWS Encryption SDK format (KMS RSA and ECDH keyrings).
#[cfg(feature = "esdk")]
pub mod esdk;
pub mod identify;
#[cfg(feature = "interop")]
pub mod interop;
#[cfg(feature = "json")]
pub mod json;
#[cfg(feature = "ecdh")]
pub mod kdf;
// The key families: one module each, and the parsed key (`Material`) matched in one file.
pub mod family;
pub mod key;
#[cfg(any(feature = "encrypt", feature = "ecdh", feature = "ml-kem", feature = "x509"))]
mod random;
#[cfg(any(feature = "encrypt", feature = "ecdh", feature = "ml-kem"))]
mod scrub;
pub mod serialised_key;
pub mod signature_format;
pub mod spec;
pub mod string_rules;
pub mod verify;
#[cfg(feature = "webcrypto")]
pub mod webcrypto;
#[cfg(feature = "x509")]
pub mod x509;

#[cfg(target_arch = "wasm32")]
mod js;

pub use arn::{KmsArn, ResourceType};
pub use error::{ErrorKind, ErrorOrigin, KmsError, Param, Result, Rule};
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
pub use verify::{CheckedVerify, VerifyRequest, VerifyResponse, VerifyRules};
pub use signature_format::SignatureFormat;
#[cfg(feature = "interop")]
pub use interop::{ExternalMuDigest, EthereumSignature, JwsSigningRequest, JwtValidation, VerifiedJws, VerifiedJwt};
#[cfg(feature = "interop")]
pub use interop::{DsseOptions, DssePending, DsseSigningRequest, VerifiedDsse};
