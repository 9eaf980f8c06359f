//! Digests of messages of any size, fed in chunks with bounded memory, for the Verify (or Sign) message
//! types that exist for large messages (KMS-RULES.md §4.1, §4.5–4.7):
//!
//! | helper | use with |
//! |---|---|
//! | [`MessageDigest`] `SHA-256/384/512` | RSA and ECDSA, MessageType DIGEST |
//! | [`MessageDigest`] `SHA-512` (`for_signing_algorithm(ED25519_PH_SHA_512)`) | ED25519_PH_SHA_512, MessageType DIGEST (KMS hashes it once more) |
//! | [`KmsPublicKey::sm2_digest`] e = SM3(Z_A ‖ M), any distinguishing ID | SM2DSA, MessageType DIGEST |
//! | [`KmsPublicKey::external_mu_digest`] mu | ML_DSA_SHAKE_256, MessageType EXTERNAL_MU |
//!
//! All of them implement `std::io::Write`, so `std::io::copy(&mut file, &mut digest)` streams a file.

use crate::digest::MessageDigest;
use crate::error::{KmsError, Result};
use crate::key::KmsPublicKey;
use crate::spec::{Curve, KeySpec, KeyUsage};
use shake::{ExtendableOutput, Update, XofReader};

/// Longest SM2 distinguishing ID: ENTL_A holds its length in bits in 16 bits (KMS-RULES.md §4.5).
pub const SM2_MAX_ID_LEN: usize = 8191;

impl KmsPublicKey {
    /// The uncompressed point's X ‖ Y: the SPKI was checked at load time to end with 04 ‖ X ‖ Y.
    pub(crate) fn ec_point_xy(&self, curve: Curve) -> &[u8] {
        let der = self.spki_der();
        &der[der.len() - 2 * curve.field_len()..]
    }

    fn require_spec(&self, spec: KeySpec, helper: &str, use_with: &str) -> Result<()> {
        if self.key_spec() == spec {
            return self.require_usage(KeyUsage::SignVerify, "Verify");
        }
        Err(KmsError::validation(format!("{helper} exists only for {spec} keys ({use_with}); this key is {}", self.key_spec())))
    }

    /// Z_A = SM3(ENTL_A ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) for this SM2 key and `distinguishing_id`
    /// (GM/T 0003.2; KMS signs RAW messages with ID `1234567812345678`).
    pub fn sm2_z(&self, distinguishing_id: &[u8]) -> Result<[u8; 32]> {
        self.require_spec(KeySpec::Sm2, "The SM2 Z_A", "SM2DSA")?;
        if distinguishing_id.len() > SM2_MAX_ID_LEN {
            return Err(KmsError::validation(format!(
                "SM2 distinguishing ID is {} bytes: ENTL_A is 16 bits of bit length, so at most {SM2_MAX_ID_LEN} bytes",
                distinguishing_id.len()
            )));
        }
        Ok(crate::family::sm2::z_a(distinguishing_id, self.ec_point_xy(Curve::Sm2)))
    }

    /// A streaming SM3 already fed with Z_A: feed the message, and its digest e = SM3(Z_A ‖ M) is the
    /// Message of an SM2DSA Verify (or Sign) with **MessageType DIGEST**, for any distinguishing ID.
    pub fn sm2_digest(&self, distinguishing_id: &[u8]) -> Result<MessageDigest> {
        let z = self.sm2_z(distinguishing_id)?;
        let mut digest = MessageDigest::new("SM3")?;
        digest.update(&z);
        Ok(digest)
    }

    /// [`sm2_digest`](Self::sm2_digest) with the ID given, or with KMS's default ID (the one KMS signs RAW
    /// messages with) when `None`.
    pub fn sm2_digest_or_default(&self, distinguishing_id: Option<&[u8]>) -> Result<MessageDigest> {
        self.sm2_digest(distinguishing_id.unwrap_or(crate::SM2_DEFAULT_DISTINGUISHING_ID.as_bytes()))
    }

    /// The 64-byte mu of `message` for an ML-DSA key, to verify (or have KMS sign) a message of any
    /// size with MessageType EXTERNAL_MU. Other key specs: ValidationException.
    pub fn external_mu(&self, message: &[u8]) -> Result<[u8; 64]> {
        let mut mu = self.external_mu_digest()?;
        mu.update(message);
        Ok(mu.finalize())
    }

    /// A streaming ML-DSA mu for this key: feed the message, and the 64-byte mu is the Message of an
    /// ML_DSA_SHAKE_256 Verify (or Sign) with **MessageType EXTERNAL_MU** (FIPS 204 §6.2, empty context).
    pub fn external_mu_digest(&self) -> Result<ExternalMuDigest> {
        let Some(raw_public_key) = self.material.ml_dsa_encoded() else {
            return Err(KmsError::validation(format!("EXTERNAL_MU exists only for ML_DSA_44/65/87 keys; this key is {}", self.key_spec())));
        };
        let mut tr = [0u8; 64];
        let mut xof = shake::Shake256::default();
        xof.update(raw_public_key);
        xof.finalize_xof().read(&mut tr);
        let mut mu = shake::Shake256::default();
        mu.update(&tr);
        mu.update(&[0, 0]); // pure ML-DSA, empty context: domain separator 0, context length 0
        Ok(ExternalMuDigest { xof: mu })
    }
}

/// SHAKE256 fed with tr ‖ 0x00 ‖ 0x00: the ML-DSA mu of everything fed after it.
#[derive(Clone, Debug)]
pub struct ExternalMuDigest {
    xof: shake::Shake256,
}

impl ExternalMuDigest {
    /// The message type its output goes with.
    pub const MESSAGE_TYPE: crate::MessageType = crate::MessageType::ExternalMu;

    pub fn update(&mut self, chunk: &[u8]) {
        self.xof.update(chunk);
    }

    pub fn finalize(self) -> [u8; 64] {
        let mut mu = [0u8; 64];
        self.xof.finalize_xof().read(&mut mu);
        mu
    }
}

impl std::io::Write for MessageDigest {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        self.update(chunk);
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl std::io::Write for ExternalMuDigest {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        self.update(chunk);
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
