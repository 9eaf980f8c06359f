//! Ed25519 (ECC_NIST_EDWARDS25519): the key's check at load, Ed25519 (RAW) and Ed25519ph (DIGEST) verify.

use crate::error::Result;
use crate::spec::KeySpec;

/// The 32-byte point of the SPKI, refused when it is not a valid point or has small order.
pub(super) fn parse(key_bytes: &[u8], spec: KeySpec) -> Result<ed25519_dalek::VerifyingKey> {
    let mismatch = |detail: &'static str, what: String| super::mismatch(spec, detail, what);
    let bytes: &[u8; 32] = key_bytes.try_into().map_err(|_| {
        mismatch("key-length", format!("an Ed25519 key is 32 bytes, not {}", key_bytes.len())).param("size", key_bytes.len()).param("expected", 32usize)
    })?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
        .map_err(|_| mismatch("not-on-curve", "the 32 bytes are not a valid Ed25519 point".into()))?;
    // A small-order point (e.g. the identity) makes a forged signature verify for every message;
    // KMS never issues one, so it is no KMS key.
    if key.is_weak() {
        return Err(mismatch("small-order", "the point has small order, so any message would verify; no KMS key is one".into()));
    }
    Ok(key)
}

/// Whether a 64-byte signature's S is a canonical scalar (S < L, RFC 8032 §5.1.7), as the verify above requires.
/// Checked before a signature goes to WebCrypto: WebKit's Ed25519 accepts S + L (Wycheproof tcId 63-66, 85), which
/// would make `verifyAsync` say true where KMS and `verify` say false.
pub(super) fn s_is_canonical(signature: &[u8]) -> bool {
    let Some(s) = signature.get(32..64).and_then(|s| <[u8; 32]>::try_from(s).ok()) else {
        return false;
    };
    curve25519_dalek::Scalar::from_canonical_bytes(s).is_some().into()
}

/// ED25519_SHA_512 with MessageType RAW: pure Ed25519 over the message.
pub(super) fn verify(key: &ed25519_dalek::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    use ed25519_dalek::Verifier;
    ed25519_dalek::Signature::from_slice(signature).is_ok_and(|sig| key.verify(message, &sig).is_ok())
}

/// ED25519_PH_SHA_512 with MessageType DIGEST: KMS hashes the 64-byte DIGEST once more (FIPS 186-5 §7.8.1 step 1):
/// Ed25519ph over D.
pub(super) fn verify_prehashed(key: &ed25519_dalek::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    use ed25519_dalek::Digest;
    let prehash = sha2::Sha512::new().chain_update(message);
    ed25519_dalek::Signature::from_slice(signature).is_ok_and(|sig| key.verify_prehashed(prehash, None, &sig).is_ok())
}
