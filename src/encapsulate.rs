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

/// An Encapsulate request that passed every rule, checked with its key: what [`KmsPublicKey::encapsulate_checked`]
/// (and the JS binding's `encapsulateAsync`, through WebCrypto) computes without checking again.
#[derive(Clone, Copy, Debug)]
pub struct CheckedEncapsulate {
    algorithm: EncapsulationAlgorithm,
}

impl CheckedEncapsulate {
    pub fn encapsulation_algorithm(&self) -> EncapsulationAlgorithm {
        self.algorithm
    }
}

impl KmsPublicKey {
    /// ML-KEM.Encaps with the key's encapsulation key.
    pub fn encapsulate(&self, algorithm: EncapsulationAlgorithm) -> Result<EncapsulateResponse> {
        self.encapsulate_checked(&self.check_encapsulate(algorithm)?)
    }

    /// Every rule of [`encapsulate`](Self::encapsulate) (the same errors), evaluated (and counted) once.
    pub fn check_encapsulate(&self, algorithm: EncapsulationAlgorithm) -> Result<CheckedEncapsulate> {
        crate::verify::rule_checks::count();
        self.require_usage(KeyUsage::EncapsulateDecapsulate, "Encapsulate")?;
        self.require_algorithm(algorithm, self.key_spec().rule().encapsulation, &self.metadata().encapsulation_algorithms)?;
        Ok(CheckedEncapsulate { algorithm })
    }

    /// ML-KEM.Encaps for a request that passed every rule (checked with this key).
    pub fn encapsulate_checked(&self, checked: &CheckedEncapsulate) -> Result<EncapsulateResponse> {
        crate::scrub::wiping_stack(|| {
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
                encapsulation_algorithm: checked.algorithm,
            })
        })
    }
}
