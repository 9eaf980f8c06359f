//! Randomness for encrypt, ECDH and ML-KEM: the operating system's CSPRNG, in browsers and Node
//! `crypto.getRandomValues`. There is no fallback: without it, the operation fails with an error.

use crate::error::{ErrorKind, KmsError, Result};
use getrandom::SysRng;
use rand_core::UnwrapErr;

/// A CSPRNG handle, after checking the platform really supplies randomness. The crates that take an
/// infallible `CryptoRng` would otherwise panic (a trap in wasm) when the source is missing.
pub(crate) fn secure_rng() -> Result<UnwrapErr<SysRng>> {
    let mut probe = [0u8; 32];
    getrandom::fill(&mut probe).map_err(|e| {
        KmsError::new(
            ErrorKind::Internal,
            format!("no secure random source ({e}): encryption, ECDH and ML-KEM need crypto.getRandomValues or the OS CSPRNG, and never fall back to weak randomness"),
        )
    })?;
    Ok(UnwrapErr(SysRng))
}
