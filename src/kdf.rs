//! Key derivation for the raw ECDH secret Z, so it is never used as a key directly (AWS: "you
//! should not use the raw shared secret as an encryption key"). Two NIST SP 800-56C Rev. 2 KDFs:
//! HKDF (RFC 5869, the two-step extract-then-expand) and the one-step hash KDF of §4.1.

use crate::error::{KmsError, Result};
use crate::spec::KmsEnum;
use sha2::Digest;
use zeroize::Zeroizing;

macro_rules! kdf_hash {
    ($($variant:ident = $text:literal,)+) => {
        /// A KDF hash, named as WebCrypto names it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum KdfHash { $($variant,)+ }
        impl KmsEnum for KdfHash {
            const ALL: &'static [Self] = &[$(KdfHash::$variant,)+];
            fn as_str(self) -> &'static str { match self { $(KdfHash::$variant => $text,)+ } }
            fn parse(text: &str, field: &str) -> Result<Self> {
                Self::ALL.iter().copied().find(|h| h.as_str() == text).ok_or_else(|| {
                    KmsError::validation(format!("{field} must be one of {}", crate::spec::join(Self::ALL)))
                })
            }
        }
        impl core::fmt::Display for KdfHash {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

kdf_hash! {
    Sha256 = "SHA-256",
    Sha384 = "SHA-384",
    Sha512 = "SHA-512",
}

impl KdfHash {
    pub const fn output_len(self) -> usize {
        match self {
            KdfHash::Sha256 => 32,
            KdfHash::Sha384 => 48,
            KdfHash::Sha512 => 64,
        }
    }
}

fn check_length(length: usize, max: usize, kdf: &str) -> Result<()> {
    if (1..=max).contains(&length) {
        Ok(())
    } else {
        Err(KmsError::validation(format!("{kdf} output length must be 1 to {max} bytes, not {length}")))
    }
}

/// HKDF (RFC 5869) of `ikm` with `salt` and `info`, `length` bytes (at most 255 × hash length).
pub fn hkdf(hash: KdfHash, ikm: &[u8], salt: &[u8], info: &[u8], length: usize) -> Result<Zeroizing<Vec<u8>>> {
    crate::scrub::wiping_stack(|| {
        check_length(length, 255 * hash.output_len(), "HKDF")?;
        let mut out = Zeroizing::new(vec![0u8; length]);
        let salt = (!salt.is_empty()).then_some(salt);
        let expanded = match hash {
            KdfHash::Sha256 => hkdf::Hkdf::<sha2::Sha256>::new(salt, ikm).expand(info, &mut out),
            KdfHash::Sha384 => hkdf::Hkdf::<sha2::Sha384>::new(salt, ikm).expand(info, &mut out),
            KdfHash::Sha512 => hkdf::Hkdf::<sha2::Sha512>::new(salt, ikm).expand(info, &mut out),
        };
        expanded.map_err(|_| KmsError::validation("HKDF output length is too long for the hash"))?;
        Ok(out)
    })
}

/// The SP 800-56C Rev. 2 §4.1 one-step KDF with H = a SHA-2 hash (option 1):
/// `K = H(1 ‖ Z ‖ FixedInfo) ‖ H(2 ‖ Z ‖ FixedInfo) ‖ …`, counters 32-bit big-endian, truncated to
/// `length` bytes. (RustCrypto's `concat-kdf` implements this for the older digest generation only.)
pub fn one_step_kdf(hash: KdfHash, z: &[u8], fixed_info: &[u8], length: usize) -> Result<Zeroizing<Vec<u8>>> {
    crate::scrub::wiping_stack(|| {
        // The counter is 32 bits, and SP 800-56C caps the output at (2^32 − 1) blocks; far below that,
        // a KDF output longer than a few KB is no key. Keep it to what a key could need.
        check_length(length, 1 << 16, "One-step KDF")?;
        let mut out = Zeroizing::new(Vec::with_capacity(length + hash.output_len()));
        let mut counter: u32 = 1;
        while out.len() < length {
            let block = |h: &mut dyn FnMut(&[u8])| {
                h(&counter.to_be_bytes());
                h(z);
                h(fixed_info);
            };
            match hash {
                KdfHash::Sha256 => append_digest::<sha2::Sha256>(&mut out, block),
                KdfHash::Sha384 => append_digest::<sha2::Sha384>(&mut out, block),
                KdfHash::Sha512 => append_digest::<sha2::Sha512>(&mut out, block),
            }
            counter += 1;
        }
        out.truncate(length);
        Ok(out)
    })
}

/// Appends the digest of what `feed` gives straight to `out` (a block is key material: no other heap copy).
fn append_digest<D: Digest>(out: &mut Vec<u8>, feed: impl FnOnce(&mut dyn FnMut(&[u8]))) {
    let mut hasher = D::new();
    feed(&mut |part| hasher.update(part));
    out.extend_from_slice(&hasher.finalize());
}
