//! ML-DSA (ML_DSA_44, ML_DSA_65, ML_DSA_87): the key's check at load and verify (pure ML-DSA with KMS's empty
//! context, or the 64-byte mu of MessageType EXTERNAL_MU), through `kms-offline-lattice`.

use crate::error::{KmsError, Result};
use crate::spec::{KeySpec, MessageType, MlDsaLevel};

/// The key is as long as its parameter set's.
pub(super) fn check_length(key_bytes: &[u8], spec: KeySpec, level: MlDsaLevel) -> Result<()> {
    if key_bytes.len() != level.public_key_len() {
        return Err(super::mismatch(spec, "key-length", format!("an {spec} key is {} bytes, not {}", level.public_key_len(), key_bytes.len()))
            .param("size", key_bytes.len())
            .param("expected", level.public_key_len()));
    }
    Ok(())
}

pub(super) fn key<P: kms_offline_lattice::MlDsaVerify>(bytes: &[u8]) -> Result<ml_dsa::VerifyingKey<P>> {
    P::decode_key(bytes).ok_or_else(|| KmsError::validation("ML-DSA public key has the wrong length"))
}

/// Pure ML-DSA with KMS's empty context, or the 64-byte mu for EXTERNAL_MU.
pub(super) fn verify<P: kms_offline_lattice::MlDsaVerify>(key: &ml_dsa::VerifyingKey<P>, message_type: MessageType, message: &[u8], signature: &[u8]) -> bool {
    P::verify(key, message_type == MessageType::ExternalMu, message, signature)
}
