//! Encrypt for KMS `Decrypt`, offline. The rules come first: a key that is not ENCRYPT_DECRYPT, an
//! algorithm KMS does not list, a plaintext over the limit would give a ciphertext nobody can ever
//! decrypt, so each is refused before any encryption happens (KMS-RULES.md §3).

use crate::error::{ErrorKind, KmsError, Result};
use crate::key::{KmsPublicKey, Material};
#[cfg(any(feature = "rsa", feature = "sm2"))]
use crate::random::SecureRng;
use crate::spec::{EncryptionAlgorithm, EncryptionScheme, KeyUsage, limits};

/// The members of a KMS Encrypt request that matter offline.
#[derive(Clone, Copy, Debug)]
pub struct EncryptRequest<'a> {
    pub plaintext: &'a [u8],
    pub encryption_algorithm: EncryptionAlgorithm,
    /// Number of EncryptionContext pairs given. KMS takes none with an asymmetric key, so any is refused.
    pub encryption_context_pairs: usize,
}

/// What KMS Encrypt returns: the ciphertext to pass to `aws kms decrypt` with the same algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptResponse {
    pub key_id: Option<String>,
    pub ciphertext_blob: Vec<u8>,
    pub encryption_algorithm: EncryptionAlgorithm,
}

impl KmsPublicKey {
    /// Encrypts so that KMS Decrypt (same key, same EncryptionAlgorithm) recovers the plaintext.
    pub fn encrypt(&self, request: &EncryptRequest<'_>) -> Result<EncryptResponse> {
        crate::scrub::wiping_stack(|| {
            self.check_encrypt(request)?;
            let ciphertext_blob = match (request.encryption_algorithm.scheme(), &self.material) {
                #[cfg(feature = "rsa")]
                (EncryptionScheme::RsaOaep(hash), Material::Rsa(key)) => rsa_oaep(key, hash, request.plaintext)?,
                #[cfg(feature = "sm2")]
                (EncryptionScheme::Sm2Pke, Material::Sm2(key)) => sm2_pke(key, request.plaintext)?,
                #[allow(unreachable_patterns)]
                _ => return Err(KmsError::new(ErrorKind::Internal, "the key spec table paired an algorithm with the wrong key type")),
            };
            Ok(EncryptResponse {
                key_id: self.key_id().map(str::to_owned),
                ciphertext_blob,
                encryption_algorithm: request.encryption_algorithm,
            })
        })
    }

    /// Every KMS rule for an Encrypt request with this key.
    pub fn check_encrypt(&self, request: &EncryptRequest<'_>) -> Result<()> {
        let algorithm = request.encryption_algorithm;
        let len = request.plaintext.len();
        if !(1..=limits::MAX_MESSAGE).contains(&len) {
            return Err(KmsError::validation(format!(
                "Plaintext is {len} bytes: KMS Encrypt takes 1 to {} bytes",
                limits::MAX_MESSAGE
            )));
        }
        if self.key_usage() != KeyUsage::EncryptDecrypt {
            let who = self.key_id().unwrap_or("this key");
            return Err(KmsError::invalid_key_usage(format!(
                "{who} key usage is {} which is not valid for Encrypt: KMS would never decrypt data encrypted with it. Encrypt needs a key with KeyUsage ENCRYPT_DECRYPT",
                self.key_usage()
            )));
        }
        let spec = self.key_spec();
        self.require_algorithm(algorithm, spec.rule().encryption, &self.metadata().encryption_algorithms)?;
        if request.encryption_context_pairs > 0 {
            return Err(KmsError::validation(
                "EncryptionContext is not supported with asymmetric KMS keys: KMS Decrypt would refuse the ciphertext. Omit it",
            ));
        }
        let max = algorithm.max_plaintext(spec.rule().key_type).unwrap_or(0);
        if len > max {
            return Err(KmsError::validation(format!(
                "Plaintext is {len} bytes: {algorithm} with {spec} encrypts at most {max} bytes. Encrypt a data key with it instead (envelope encryption)"
            )));
        }
        Ok(())
    }
}

#[cfg(feature = "rsa")]
/// RSAES-OAEP (RFC 8017 §7.1) with one hash for OAEP and MGF1 and an empty label, as KMS decrypts it.
fn rsa_oaep(key: &rsa::RsaPublicKey, hash: crate::spec::OaepHash, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut rng = SecureRng::default();
    let encrypted = match hash {
        // The padding scheme's own `encrypt` takes a fallible RNG (the key's takes an infallible one).
        crate::spec::OaepHash::Sha1 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha1::Sha1>::new(), &mut rng, key, plaintext),
        crate::spec::OaepHash::Sha256 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha2::Sha256>::new(), &mut rng, key, plaintext),
    };
    encrypted.map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("RSA-OAEP encryption failed: {e}"))))
}

#[cfg(feature = "sm2")]
/// SM2 public-key encryption with SM3, encoded as KMS Decrypt requires: DER
/// `SEQUENCE { x INTEGER, y INTEGER, C3 OCTET STRING (32), C2 OCTET STRING }` (GM/T 0009).
fn sm2_pke(key: &sm2::dsa::VerifyingKey, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut rng = SecureRng::default();
    let encrypting = sm2::pke::EncryptingKey::from_affine(*key.as_affine())
        .map_err(|_| KmsError::new(ErrorKind::Internal, "SM2 public key rejected"))?;
    encrypting
        .encrypt_der(&mut rng, plaintext)
        .map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("SM2PKE encryption failed: {e}"))))
}
