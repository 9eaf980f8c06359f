//! RSA (RSA_2048, RSA_3072, RSA_4096): the key's check at load, RSASSA-PSS and RSASSA-PKCS1-v1_5 verify
//! (`sig`), RSAES-OAEP encrypt. The key itself (`key`): checked at load, the rsa crate's key made on first use.

mod key;
mod sig;

use crate::error::{KmsError, Result};
use crate::spec::KeySpec;
pub(crate) use key::RsaKey;
pub(crate) use sig::verify;

/// The RSAPublicKey of the SPKI, checked as the rsa crate checks it and against the bits of `spec`.
pub(super) fn parse(key_bytes: &[u8], spec: KeySpec, bits: usize) -> Result<RsaKey> {
    let key = RsaKey::from_pkcs1_der(key_bytes).map_err(|e| super::mismatch(spec, "encoding", format!("the RSAPublicKey is not valid: {e}")))?;
    let actual = key.bits();
    if actual != bits {
        return Err(super::mismatch(spec, "modulus-size", format!("the modulus is {actual} bits, {spec} has {bits}")).param("size", actual).param("expected", bits));
    }
    Ok(key)
}

#[cfg(feature = "encrypt")]
/// RSAES-OAEP (RFC 8017 §7.1) with one hash for OAEP and MGF1 and an empty label, as KMS decrypts it.
pub(crate) fn oaep(key: &rsa::RsaPublicKey, hash: crate::spec::OaepHash, plaintext: &[u8]) -> Result<Vec<u8>> {
    use crate::error::ErrorKind;
    let mut rng = crate::random::SecureRng::default();
    let encrypted = match hash {
        // The padding scheme's own `encrypt` takes a fallible RNG (the key's takes an infallible one).
        crate::spec::OaepHash::Sha1 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha1::Sha1>::new(), &mut rng, key, plaintext),
        crate::spec::OaepHash::Sha256 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha2::Sha256>::new(), &mut rng, key, plaintext),
    };
    encrypted.map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("RSA-OAEP encryption failed: {e}"))))
}
