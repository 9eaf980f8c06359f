//! ML-KEM encapsulation (FIPS 203) for KMS `Decapsulate` (KMS-RULES.md §8).

use crate::error::{ErrorKind, KmsError, Result};
use crate::key::{KmsPublicKey, Material};
use crate::random::secure_rng;
use crate::spec::{EncapsulationAlgorithm, KeyUsage};
use ml_kem::Encapsulate;
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
        self.require_usage(KeyUsage::EncapsulateDecapsulate, "Encapsulate")?;
        self.require_algorithm(algorithm, self.key_spec().rule().encapsulation, &self.metadata().encapsulation_algorithms)?;
        let mut rng = secure_rng()?;
        let (ciphertext, secret) = match &self.material {
            Material::MlKem512(ek) => parts(ek.encapsulate_with_rng(&mut rng)),
            Material::MlKem768(ek) => parts(ek.encapsulate_with_rng(&mut rng)),
            Material::MlKem1024(ek) => parts(ek.encapsulate_with_rng(&mut rng)),
            _ => return Err(KmsError::new(ErrorKind::Internal, "the key spec table allowed ML_KEM on a non-ML-KEM key")),
        };
        Ok(EncapsulateResponse {
            key_id: self.key_id().map(str::to_owned),
            shared_secret: secret,
            shared_secret_ciphertext_blob: ciphertext,
            encapsulation_algorithm: algorithm,
        })
    }
}

fn parts<C: AsRef<[u8]>, K: AsRef<[u8]>>((ciphertext, secret): (C, K)) -> (Vec<u8>, Zeroizing<Vec<u8>>) {
    (ciphertext.as_ref().to_vec(), Zeroizing::new(secret.as_ref().to_vec()))
}
