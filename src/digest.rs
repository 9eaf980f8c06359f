//! The hashes KMS applies to a RAW message, by the algorithm's `HashAlg`, one-shot or streamed so a
//! message of any size can be verified against a DIGEST signature with bounded memory.

use crate::error::{KmsError, Result};
use crate::spec::{HashAlg, MessageType, SigningAlgorithm};
use sha2::Digest;

/// One-shot digest of `data` (SHAKE256 gives 64 bytes, the ML-DSA mu length).
pub fn hash(alg: HashAlg, data: &[u8]) -> Vec<u8> {
    match alg {
        HashAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
        #[cfg(feature = "sha512")]
        HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
        #[cfg(feature = "sha512")]
        HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        #[cfg(feature = "sm2")]
        HashAlg::Sm3 => sm3::Sm3::digest(data).to_vec(),
        #[cfg(feature = "ml-dsa")]
        HashAlg::Shake256 => {
            use shake::{ExtendableOutput, Update, XofReader};
            let mut xof = shake::Shake256::default();
            xof.update(data);
            let mut out = vec![0u8; alg.output_len()];
            xof.finalize_xof().read(&mut out);
            out
        }
        // A hash whose families this build left out (e.g. SM3 without SM2): no key of this build signs
        // with it, and an empty digest matches no signature.
        #[allow(unreachable_patterns)]
        _ => Vec::new(),
    }
}

/// An incremental hash for MessageType DIGEST: feed a message of any size in chunks, then pass the
/// digest as the Verify `Message` with `MessageType: DIGEST`.
#[derive(Clone, Debug)]
pub struct MessageDigest {
    state: DigestState,
}

#[derive(Clone, Debug)]
enum DigestState {
    Sha256(sha2::Sha256),
    #[cfg(feature = "sha512")]
    Sha384(sha2::Sha384),
    #[cfg(feature = "sha512")]
    Sha512(sha2::Sha512),
    #[cfg(feature = "sm2")]
    Sm3(sm3::Sm3),
}

impl MessageDigest {
    /// Names as WebCrypto spells them, plus SM3.
    pub const NAMES: &'static [&'static str] = &[
        "SHA-256",
        #[cfg(feature = "sha512")]
        "SHA-384",
        #[cfg(feature = "sha512")]
        "SHA-512",
        #[cfg(feature = "sm2")]
        "SM3",
    ];

    pub fn new(name: &str) -> Result<Self> {
        let state = match name {
            "SHA-256" => DigestState::Sha256(Default::default()),
            #[cfg(feature = "sha512")]
            "SHA-384" => DigestState::Sha384(Default::default()),
            #[cfg(feature = "sha512")]
            "SHA-512" => DigestState::Sha512(Default::default()),
            #[cfg(feature = "sm2")]
            "SM3" => DigestState::Sm3(Default::default()),
            other => {
                return Err(KmsError::validation(format!(
                    "'{}' is not a digest this library streams: use one of {}",
                    crate::spec::printable(other),
                    Self::NAMES.join(", ")
                )));
            }
        };
        Ok(MessageDigest { state })
    }

    /// The digest KMS expects with MessageType DIGEST for `algorithm` (SHA-256/384/512). SM2DSA needs
    /// Z_A of the key first and ML-DSA takes a mu, not a digest: both are refused here with the way to go.
    pub fn for_signing_algorithm(algorithm: SigningAlgorithm) -> Result<Self> {
        let rule = algorithm.rule();
        if !rule.message_types.contains(&MessageType::Digest) || algorithm == SigningAlgorithm::Sm2Dsa {
            let instead = match algorithm {
                SigningAlgorithm::Sm2Dsa => "SM2DSA's digest is e = SM3(Z_A ‖ M), which depends on the key and ID",
                SigningAlgorithm::MlDsaShake256 => "ML-DSA takes the 64-byte mu (MessageType EXTERNAL_MU), not a digest",
                _ => "this algorithm takes MessageType RAW only",
            };
            return Err(KmsError::validation(format!("{algorithm} has no plain message digest: {instead}")));
        }
        Self::new(match rule.hash {
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            _ => "SHA-512",
        })
    }

    pub fn update(&mut self, chunk: &[u8]) {
        match &mut self.state {
            DigestState::Sha256(h) => h.update(chunk),
            #[cfg(feature = "sha512")]
            DigestState::Sha384(h) => h.update(chunk),
            #[cfg(feature = "sha512")]
            DigestState::Sha512(h) => h.update(chunk),
            #[cfg(feature = "sm2")]
            DigestState::Sm3(h) => h.update(chunk),
        }
    }

    pub fn finalize(self) -> Vec<u8> {
        match self.state {
            DigestState::Sha256(h) => h.finalize().to_vec(),
            #[cfg(feature = "sha512")]
            DigestState::Sha384(h) => h.finalize().to_vec(),
            #[cfg(feature = "sha512")]
            DigestState::Sha512(h) => h.finalize().to_vec(),
            #[cfg(feature = "sm2")]
            DigestState::Sm3(h) => h.finalize().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_equals_one_shot() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for (name, alg) in [("SHA-256", HashAlg::Sha256), ("SHA-384", HashAlg::Sha384), ("SHA-512", HashAlg::Sha512), ("SM3", HashAlg::Sm3)] {
            let mut streamed = MessageDigest::new(name).unwrap();
            for chunk in data.chunks(777) {
                streamed.update(chunk);
            }
            assert_eq!(streamed.finalize(), hash(alg, &data), "{name}");
        }
        assert_eq!(MessageDigest::new("MD5").unwrap_err().name(), "ValidationException");
        assert!(MessageDigest::for_signing_algorithm(SigningAlgorithm::EcdsaSha384).is_ok());
        for refused in [SigningAlgorithm::Sm2Dsa, SigningAlgorithm::MlDsaShake256, SigningAlgorithm::Ed25519Sha512] {
            assert_eq!(MessageDigest::for_signing_algorithm(refused).unwrap_err().name(), "ValidationException");
        }
    }
}
