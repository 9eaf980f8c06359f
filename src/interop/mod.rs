//! Interoperability with how KMS signatures are really used outside KMS (KMS-RULES.md §9):
//! ECDSA signature formats (DER as KMS returns, IEEE P1363 as JOSE and WebCrypto want), JWS/JWT with
//! KMS keys in both directions, streamed digests for messages over KMS's 4096-byte RAW limit,
//! secp256k1/Ethereum, JWK export and import, and DSSE envelopes (in-toto, cosign) in both directions.
//!
//! Each module has one job; every refusal is a [`KmsError`](crate::KmsError) with the KMS exception
//! name, and every table (curve orders, JOSE algorithms, JWK headers) is static data.

pub mod base64url;
#[cfg(feature = "interop")]
pub mod dsse;
pub mod ecdsa_format;
pub mod ethereum;
pub mod jose;
pub mod jwk;
pub mod jws;
pub mod jws_sign;
pub mod jwt;
pub mod stream;
pub mod strict_json;

#[cfg(feature = "interop")]
pub use dsse::{DsseEnvelope, DsseOptions, DssePending, DsseSigningRequest, KeyIdMatch, SignatureStatus, VerifiedDsse};
pub use ecdsa_format::{SignatureFormat, der_to_p1363, normalize_low_s, p1363_to_der};
pub use ethereum::{EthereumSignature, keccak256};
pub use jose::{JOSE_ALGORITHMS, JoseAlgorithm};
pub use jws::VerifiedJws;
pub use jws_sign::JwsSigningRequest;
pub use jwt::{JwtValidation, VerifiedJwt};
pub use stream::ExternalMuDigest;
