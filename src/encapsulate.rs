//! ML-KEM encapsulation (FIPS 203) for KMS `Decapsulate` (KMS-RULES.md §8).

use crate::error::{ErrorKind, KmsError, Result};
use crate::key::KmsPublicKey;
use crate::random;
use crate::spec::{EncapsulationAlgorithm, KeyUsage};
use zeroize::Zeroizing;

/// What KMS `Encapsulate` returns, made offline.
#[derive(Clone, Debug)]
pub struct EncapsulateResponse {
    pub key_id: Option<String>,
    /// The 32-byte shared secret. KMS Decapsulate returns the same 32 bytes for the ciphertext, and a
    /// pseudo-random value for a wrong one (implicit rejection): confirm before relying on it.
    pub shared_secret: Zeroizing<Vec<u8>>,
    /// 768 / 1088 / 1568 bytes for ML_KEM_512 / 768 / 1024: the `SharedSecretCiphertextBlob`.
    pub shared_secret_ciphertext_blob: Vec<u8>,
    pub encapsulation_algorithm: EncapsulationAlgorithm,
}

impl KmsPublicKey {
    /// ML-KEM.Encaps with the key's encapsulation key.
    pub fn encapsulate(&self, algorithm: EncapsulationAlgorithm) -> Result<EncapsulateResponse> {
        crate::scrub::wiping_stack(|| {
            // The rules, checked once: there is no other path (no WebCrypto ML-KEM, no string member).
            crate::verify::rule_checks::count();
            self.require_usage(KeyUsage::EncapsulateDecapsulate, "Encapsulate")?;
            self.require_algorithm(algorithm, self.key_spec().rule().encapsulation, &self.metadata().encapsulation_algorithms)?;
            // FIPS 203 ML-KEM.Encaps: m is 32 fresh random bytes, drawn here so that a failing random source
            // is an error (the crate's own `encapsulate_with_rng` takes an infallible RNG).
            let mut m = Zeroizing::new(ml_kem::B32::default());
            random::fill(m.as_mut_slice())?;
            let mut secret = Zeroizing::new([0u8; 32]);
            let ciphertext = self
                .material
                .encapsulate(&m, &mut secret)
                .ok_or_else(|| KmsError::new(ErrorKind::Internal, "the key spec table allowed ML_KEM on a non-ML-KEM key"))?;
            Ok(EncapsulateResponse {
                key_id: self.key_id().map(str::to_owned),
                shared_secret: Zeroizing::new(secret.to_vec()),
                shared_secret_ciphertext_blob: ciphertext,
                encapsulation_algorithm: algorithm,
            })
        })
    }
}
