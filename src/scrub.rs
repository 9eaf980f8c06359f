//! Wiping the stack after an operation on secrets.
//!
//! `Zeroizing` wipes the buffers it owns, but the crates' arithmetic moves scalars, field elements, Z,
//! ML-KEM's K and m through many stack frames, and every move leaves a copy behind in stack memory that
//! nothing owns (in wasm the stack is part of the linear memory any JS code can read). After an
//! operation on secrets returns, its frames lay below the caller's, so overwriting that much stack
//! below the caller with zeros removes those copies.

use zeroize::Zeroize;

/// Bytes wiped below the caller's frame: more than the deepest operation on secrets uses (ML-KEM-1024
/// encapsulation, P-521 ECDH), checked by the residue tests in tests/js/memory.test.mjs.
const SCRUB_BYTES: usize = 64 * 1024;

/// Runs `operation` in frames below this one, then zeroes the stack those frames used.
pub(crate) fn wiping_stack<T>(operation: impl FnOnce() -> T) -> T {
    let result = below(operation);
    wipe();
    result
}

/// A frame of its own, so `operation`'s locals cannot be inlined into the caller's frame, out of reach.
#[inline(never)]
fn below<T>(operation: impl FnOnce() -> T) -> T {
    operation()
}

#[inline(never)]
fn wipe() {
    let mut area = [0u64; SCRUB_BYTES / 8];
    // Volatile writes: the compiler may not drop them although the array is never read.
    area.zeroize();
    core::hint::black_box(&area);
}

/// Secret bytes a checked request carries (a plaintext, a static private key): borrowed from the caller, or
/// owned and wiped when dropped (a request kept for WebCrypto's answer).
#[derive(Debug)]
pub(crate) enum SecretBytes<'a> {
    Borrowed(&'a [u8]),
    Owned(zeroize::Zeroizing<Vec<u8>>),
}

impl core::ops::Deref for SecretBytes<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            SecretBytes::Borrowed(bytes) => bytes,
            SecretBytes::Owned(bytes) => bytes,
        }
    }
}
