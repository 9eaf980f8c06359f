//! ML-DSA verification and ML-KEM encapsulation, instantiated for each parameter set in this crate.
//!
//! Why a crate of its own: the ml-dsa and ml-kem crates are generic over the parameter set, so their code
//! is compiled in whichever crate names a concrete set. Named in kms-offline, it would be compiled at
//! kms-offline's size-first opt-level "s", where the small hot functions (Keccak rounds, the NTT, the
//! Barrett reduction, the constant-time selects) stay calls and ML-DSA/ML-KEM run 2-3x slower. Named
//! here, it is compiled at the opt-level kms-offline's Cargo.toml gives this package (2), and only this
//! code pays the size of it (bench/NOTES.md §10).
//!
//! Every item is a trait method implemented for a concrete parameter set: non-generic code, compiled here.
#![no_std]

#[cfg(feature = "ml-kem")]
extern crate alloc;

#[cfg(feature = "ml-dsa")]
pub use ml_dsa;
#[cfg(feature = "ml-kem")]
pub use ml_kem;

/// ML-DSA (FIPS 204) verification for one parameter set.
#[cfg(feature = "ml-dsa")]
pub trait MlDsaVerify: ml_dsa::MlDsaParams {
    /// pkDecode of an encoded verifying key (FIPS 204 Algorithm 23), with Â expanded from ρ; `None` if
    /// `bytes` is not the parameter set's key length.
    fn decode_key(bytes: &[u8]) -> Option<ml_dsa::VerifyingKey<Self>>;

    /// ML-DSA.Verify with an empty context (Algorithm 3), or with the 64-byte mu itself when
    /// `external_mu` (Algorithm 8 from step 7); false for a signature that does not decode.
    fn verify(key: &ml_dsa::VerifyingKey<Self>, external_mu: bool, message: &[u8], signature: &[u8]) -> bool;
}

#[cfg(feature = "ml-dsa")]
macro_rules! ml_dsa_verify {
    ($($params:ty),*) => {$(
        impl MlDsaVerify for $params {
            fn decode_key(bytes: &[u8]) -> Option<ml_dsa::VerifyingKey<Self>> {
                let encoded = ml_dsa::EncodedVerifyingKey::<Self>::try_from(bytes).ok()?;
                Some(ml_dsa::VerifyingKey::decode(&encoded))
            }

            fn verify(key: &ml_dsa::VerifyingKey<Self>, external_mu: bool, message: &[u8], signature: &[u8]) -> bool {
                let Ok(encoded) = ml_dsa::EncodedSignature::<Self>::try_from(signature) else { return false };
                let Some(signature) = ml_dsa::Signature::<Self>::decode(&encoded) else { return false };
                if external_mu {
                    message.try_into().is_ok_and(|mu| key.verify_mu(&mu, &signature))
                } else {
                    key.verify_with_context(message, &[], &signature)
                }
            }
        }
    )*};
}

#[cfg(feature = "ml-dsa")]
ml_dsa_verify!(ml_dsa::MlDsa44, ml_dsa::MlDsa65, ml_dsa::MlDsa87);

/// ML-KEM (FIPS 203) encapsulation with one parameter set's encapsulation key.
#[cfg(feature = "ml-kem")]
pub trait MlKemEncapsulate: Sized {
    /// The encapsulation key, after the input checks of FIPS 203 §7.2 (length and modulus check).
    fn from_bytes(bytes: &[u8]) -> Option<Self>;

    /// ML-KEM.Encaps_internal with the caller's random m (Algorithm 17): the ciphertext, and K written into
    /// `secret` (memory the caller owns and wipes; the crate's own copy of K is wiped here).
    fn encapsulate_into(&self, m: &ml_kem::B32, secret: &mut [u8; 32]) -> alloc::vec::Vec<u8>;
}

#[cfg(feature = "ml-kem")]
macro_rules! ml_kem_encapsulate {
    ($($key:ty),*) => {$(
        impl MlKemEncapsulate for $key {
            fn from_bytes(bytes: &[u8]) -> Option<Self> {
                <Self as ml_kem::TryKeyInit>::new_from_slice(bytes).ok()
            }

            fn encapsulate_into(&self, m: &ml_kem::B32, secret: &mut [u8; 32]) -> alloc::vec::Vec<u8> {
                let (ciphertext, mut shared) = self.encapsulate_deterministic(m);
                secret.copy_from_slice(shared.as_slice());
                zeroize::Zeroize::zeroize(shared.as_mut_slice());
                ciphertext.to_vec()
            }
        }
    )*};
}

#[cfg(feature = "ml-kem")]
ml_kem_encapsulate!(ml_kem::EncapsulationKey512, ml_kem::EncapsulationKey768, ml_kem::EncapsulationKey1024);
