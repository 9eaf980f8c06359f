//! Randomness for encrypt, ECDH and ML-KEM: the operating system's CSPRNG, in browsers and Node
//! `crypto.getRandomValues`. There is no fallback, and every draw is fallible: a source that is
//! missing, or that fails in the middle of an operation, gives KMSInternalException (never a panic,
//! which in wasm is a trap, and never weaker randomness).

use crate::error::{ErrorKind, KmsError, Result, Rule};
use getrandom::SysRng;
use rand_core::{TryCryptoRng, TryRng};

fn no_random_source(e: getrandom::Error) -> KmsError {
    KmsError::new(
        ErrorKind::Internal,
        format!("no secure random source ({e}): encryption, ECDH and ML-KEM need crypto.getRandomValues or the OS CSPRNG, and never fall back to weak randomness"),
    )
    .rule_code(Rule::NoRandomness)
}

/// Fills `bytes` from the CSPRNG.
pub(crate) fn fill(bytes: &mut [u8]) -> Result<()> {
    getrandom::fill(bytes).map_err(no_random_source)
}

/// The CSPRNG as a fallible `TryCryptoRng` for the crates that draw their own randomness, remembering
/// the first failure so that the crate's own (often opaque) error can be reported as what it was.
#[derive(Default)]
pub(crate) struct SecureRng {
    failure: Option<getrandom::Error>,
}

impl SecureRng {
    /// The error for a failed operation: the random source's, if it failed, else `otherwise`.
    pub(crate) fn error_or(&self, otherwise: KmsError) -> KmsError {
        self.failure.map_or(otherwise, no_random_source)
    }

    fn record<T>(&mut self, result: core::result::Result<T, getrandom::Error>) -> core::result::Result<T, getrandom::Error> {
        if let Err(e) = &result {
            self.failure.get_or_insert(*e);
        }
        result
    }
}

impl TryRng for SecureRng {
    type Error = getrandom::Error;

    fn try_next_u32(&mut self) -> core::result::Result<u32, Self::Error> {
        let result = SysRng.try_next_u32();
        self.record(result)
    }

    fn try_next_u64(&mut self) -> core::result::Result<u64, Self::Error> {
        let result = SysRng.try_next_u64();
        self.record(result)
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> core::result::Result<(), Self::Error> {
        let result = SysRng.try_fill_bytes(dst);
        self.record(result)
    }
}

impl TryCryptoRng for SecureRng {}
