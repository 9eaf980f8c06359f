//! ML-DSA (ML_DSA_44, ML_DSA_65, ML_DSA_87): the key's check at load and verify (pure ML-DSA with KMS's empty
//! context, or the 64-byte mu of MessageType EXTERNAL_MU), through `kms-offline-lattice`.
//!
//! The key (`Key`) is checked at load and expanded on its first verify in wasm. Expanding it (pkDecode, then Â
//! sampled from ρ with SHAKE128, 2^d·t1 in NTT form and tr = H(pk)) was most of an ML-DSA key's load in wasm
//! (0.2-0.7 ms in Node 20, bench/NOTES.md §23), and `verifyAsync` in a runtime with ML-DSA in WebCrypto (Chromium,
//! Deno) hands the arithmetic to it and never needs the expanded key. pkDecode (FIPS 204 Algorithm 23) refuses
//! nothing but a wrong length (every 10-bit t1 coefficient is in range), so the length check at load is every
//! refusal it has.

use crate::error::{KmsError, Result};
use crate::spec::{KeySpec, MessageType, MlDsaLevel};
use kms_offline_lattice::MlDsaVerify;
use std::sync::OnceLock;

/// The key is as long as its parameter set's.
pub(super) fn check_length(key_bytes: &[u8], spec: KeySpec, level: MlDsaLevel) -> Result<()> {
    if key_bytes.len() != level.public_key_len() {
        return Err(super::mismatch(spec, "key-length", format!("an {spec} key is {} bytes, not {}", level.public_key_len(), key_bytes.len()))
            .param("size", key_bytes.len())
            .param("expected", level.public_key_len()));
    }
    Ok(())
}

/// An ML-DSA public key: its encoding, checked at load, and the expanded key, made on its first verify in wasm.
#[derive(Clone, Debug)]
pub(crate) struct Key<P: MlDsaVerify> {
    encoded: Box<ml_dsa::EncodedVerifyingKey<P>>,
    expanded: OnceLock<Box<ml_dsa::VerifyingKey<P>>>,
}

impl<P: MlDsaVerify> Key<P> {
    /// The key of `bytes`, whose length `check_length` checked (the parameter set's encoding type checks it again).
    pub(super) fn new(bytes: &[u8]) -> Result<Self> {
        let encoded = ml_dsa::EncodedVerifyingKey::<P>::try_from(bytes).map_err(|_| KmsError::validation("ML-DSA public key has the wrong length"))?;
        Ok(Key { encoded: Box::new(encoded), expanded: OnceLock::new() })
    }

    /// The encoded key (FIPS 204 pkEncode), as KMS returned it in the SPKI.
    pub(super) fn encoded(&self) -> &[u8] {
        self.encoded.as_slice()
    }

    /// The expanded key, made on first use. `None` cannot happen (the length was checked at load); if it did,
    /// nothing would verify.
    fn expanded(&self) -> Option<&ml_dsa::VerifyingKey<P>> {
        if let Some(key) = self.expanded.get() {
            return Some(key);
        }
        let key = Box::new(P::decode_key(&self.encoded)?);
        Some(self.expanded.get_or_init(|| key))
    }

    /// Whether the key has been expanded (by a verify in wasm). For tests.
    pub(super) fn is_expanded(&self) -> bool {
        self.expanded.get().is_some()
    }

    /// Pure ML-DSA with KMS's empty context, or the 64-byte mu for EXTERNAL_MU.
    pub(super) fn verify(&self, message_type: MessageType, message: &[u8], signature: &[u8]) -> bool {
        self.expanded().is_some_and(|key| P::verify(key, message_type == MessageType::ExternalMu, message, signature))
    }
}
