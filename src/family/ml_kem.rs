//! ML-KEM (ML_KEM_512, ML_KEM_768, ML_KEM_1024): the key's check at load; encapsulation is
//! `Material::encapsulate`, through `kms-offline-lattice`.

use crate::error::Result;
use crate::spec::{KeySpec, MlKemLevel};

/// The key is as long as its parameter set's.
pub(super) fn check_length(key_bytes: &[u8], spec: KeySpec, level: MlKemLevel) -> Result<()> {
    if key_bytes.len() != level.public_key_len() {
        return Err(super::mismatch(spec, "key-length", format!("an {spec} key is {} bytes, not {}", level.public_key_len(), key_bytes.len()))
            .param("size", key_bytes.len())
            .param("expected", level.public_key_len()));
    }
    Ok(())
}

/// FIPS 203 §7.2 input check (the modulus check) happens inside `from_bytes`.
pub(super) fn key<K: kms_offline_lattice::MlKemEncapsulate>(bytes: &[u8]) -> Option<K> {
    K::from_bytes(bytes)
}
