//! Interoperability with how KMS signatures are really used outside KMS (KMS-RULES.md §9):
//! ECDSA signature formats (DER as KMS returns, IEEE P1363 as JOSE and WebCrypto want), JWS/JWT with
//! KMS keys in both directions, streamed digests for messages over KMS's 4096-byte RAW limit,
//! secp256k1/Ethereum, JWK export and import, and DSSE envelopes (in-toto, cosign) in both directions.
//!
//! Each module has one job; every refusal is a [`KmsError`](crate::KmsError) with the KMS exception
//! name, and every table (curve orders, JOSE algorithms, JWK headers) is static data.

#[cfg(feature = "interop")]
pub mod base64url;
#[cfg(feature = "interop")]
pub mod dsse;
pub mod ecdsa_format;
#[cfg(feature = "interop")]
pub mod ethereum;
#[cfg(feature = "interop")]
pub mod jose;
#[cfg(feature = "interop")]
pub mod jwk;
#[cfg(feature = "interop")]
pub mod jws;
#[cfg(feature = "interop")]
pub mod jws_sign;
#[cfg(feature = "interop")]
pub mod jwt;
#[cfg(feature = "interop")]
pub mod stream;
#[cfg(feature = "interop")]
pub mod strict_json;

#[cfg(feature = "interop")]
pub use dsse::{DsseEnvelope, DsseOptions, DssePending, DsseSigningRequest, KeyIdMatch, SignatureStatus, VerifiedDsse};
pub use ecdsa_format::{SignatureFormat, der_to_p1363, normalize_low_s, p1363_to_der};
#[cfg(feature = "interop")]
pub use ethereum::{EthereumSignature, keccak256};
#[cfg(feature = "interop")]
pub use jose::{JOSE_ALGORITHMS, JoseAlgorithm};
#[cfg(feature = "interop")]
pub use jws::VerifiedJws;
#[cfg(feature = "interop")]
pub use jws_sign::JwsSigningRequest;
#[cfg(feature = "interop")]
pub use jwt::{JwtValidation, VerifiedJwt};
#[cfg(feature = "interop")]
pub use stream::ExternalMuDigest;
