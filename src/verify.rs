//! KMS `Verify`, offline. Every rule KMS applies is checked first, from the tables in `spec`; only a
//! request KMS would accept reaches the signature check, whose answer is a plain true or false.

use crate::comb::CombCache;
use crate::digest::hash;
use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::key::{KmsPublicKey, Material};
use crate::spec::{KeyUsage, MessageType, SignatureScheme, SigningAlgorithm, SigningRule, join, limits};

/// The members of a KMS Verify request that matter offline.
#[derive(Clone, Copy, Debug)]
pub struct VerifyRequest<'a> {
    /// The message (RAW), its digest (DIGEST) or the ML-DSA mu (EXTERNAL_MU).
    pub message: &'a [u8],
    pub signature: &'a [u8],
    pub signing_algorithm: SigningAlgorithm,
    /// KMS's default is RAW.
    pub message_type: MessageType,
}

/// KMS's Verify response for a valid signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyResponse {
    pub key_id: Option<String>,
    pub signature_valid: bool,
    pub signing_algorithm: SigningAlgorithm,
}

impl KmsPublicKey {
    /// Verifies as KMS Verify decides: `Ok(true)` or `Ok(false)` for a request KMS would accept
    /// (malformed signature bytes are `false`), `Err` with the KMS exception for one it would refuse.
    pub fn verify(&self, request: &VerifyRequest<'_>) -> Result<bool> {
        let rule = check_request(self, request)?;
        Ok(signature_matches(&self.material, &self.comb, rule, request.message_type, request.message, request.signature))
    }

    /// Like [`verify`](Self::verify), but an invalid signature is `KMSInvalidSignatureException`, as
    /// KMS itself reports it (KMS never returns `SignatureValid: false`).
    pub fn verify_or_error(&self, request: &VerifyRequest<'_>) -> Result<VerifyResponse> {
        if self.verify(request)? {
            Ok(VerifyResponse {
                key_id: self.key_id().map(str::to_owned),
                signature_valid: true,
                signing_algorithm: request.signing_algorithm,
            })
        } else {
            Err(KmsError::new(
                ErrorKind::InvalidSignature,
                format!(
                    "Signature verification failed: the {} signature was not produced by signing this message with this key and {}",
                    request.signing_algorithm.rule().scheme.form(),
                    request.signing_algorithm
                ),
            ))
        }
    }
}

#[cfg(feature = "interop")]
impl KmsPublicKey {
    /// The 64-byte mu of `message` for an ML-DSA key, to verify (or have KMS sign) a message of any
    /// size with MessageType EXTERNAL_MU. Other key specs: ValidationException.
    pub fn external_mu(&self, message: &[u8]) -> Result<[u8; 64]> {
        let mut mu = self.external_mu_digest()?;
        mu.update(message);
        Ok(mu.finalize())
    }
}

/// Every KMS rule for a Verify request, in the order KMS reports them: request shape, key usage,
/// algorithm for the key spec and the key's list, message type, digest length.
pub fn check_request(key: &KmsPublicKey, request: &VerifyRequest<'_>) -> Result<&'static SigningRule> {
    let algorithm = request.signing_algorithm;
    let rule = algorithm.rule();
    check_blob_length("Message", request.message.len(), limits::MAX_MESSAGE, raw_message_advice(algorithm))?;
    check_blob_length("Signature", request.signature.len(), limits::MAX_SIGNATURE, "")?;
    key.require_usage(KeyUsage::SignVerify, "Verify")?;
    key.require_algorithm(algorithm, key.key_spec().rule().signing, &key.metadata().signing_algorithms)?;
    if !rule.message_types.contains(&request.message_type) {
        return Err(KmsError::validation(format!(
            "MessageType {} is not valid with SigningAlgorithm {algorithm}: allowed are {}",
            request.message_type,
            join(rule.message_types)
        ))
        .rule_code(Rule::MessageTypeNotForAlgorithm)
        .param("messageType", request.message_type.as_str())
        .param("algorithm", algorithm.as_str())
        .param("allowed", rule.message_types));
    }
    let expected = match request.message_type {
        MessageType::Raw => return Ok(rule),
        MessageType::Digest => rule.hash.output_len(),
        MessageType::ExternalMu => limits::EXTERNAL_MU_LEN,
    };
    if request.message.len() != expected {
        let what = match request.message_type {
            MessageType::ExternalMu => "an ML-DSA mu".to_owned(),
            _ => format!("a {} digest", rule.hash.name()),
        };
        return Err(KmsError::validation(format!(
            "Digest is invalid length for algorithm {algorithm}: with MessageType {} the Message must be {expected} bytes ({what}), got {}",
            request.message_type,
            request.message.len()
        ))
        .rule_code(Rule::DigestLength)
        .param("algorithm", algorithm.as_str())
        .param("messageType", request.message_type.as_str())
        .param("size", request.message.len())
        .param("expected", expected));
    }
    Ok(rule)
}

/// A blob member's 1..=max length constraint, with advice on what to do instead.
fn check_blob_length(field: &str, len: usize, max: usize, advice: &str) -> Result<()> {
    if (1..=max).contains(&len) {
        return Ok(());
    }
    Err(KmsError::validation(format!("{field} is {len} bytes: KMS requires 1 to {max} bytes{advice}"))
        .rule_code(Rule::BlobLength)
        .param("field", field)
        .param("size", len)
        .param("max", max))
}

fn raw_message_advice(algorithm: SigningAlgorithm) -> &'static str {
    match algorithm {
        SigningAlgorithm::Ed25519Sha512 => "; sign longer messages with ED25519_PH_SHA_512 and MessageType DIGEST",
        SigningAlgorithm::MlDsaShake256 => "; for longer messages send the 64-byte mu with MessageType EXTERNAL_MU",
        _ => "; for longer messages send their digest with MessageType DIGEST",
    }
}

/// The cryptographic check, for a request that passed every rule.
fn signature_matches(material: &Material, comb: &CombCache, rule: &SigningRule, message_type: MessageType, message: &[u8], signature: &[u8]) -> bool {
    // RSA and ECDSA sign the digest; RAW input is hashed here exactly as KMS hashes it.
    let digest = || match message_type {
        MessageType::Raw => hash(rule.hash, message),
        _ => message.to_vec(),
    };
    match (rule.scheme, material) {
        #[cfg(feature = "rsa")]
        (SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15, Material::Rsa(key)) => {
            // `public` cannot fail (the load ran the crate's checks); if it did, nothing would verify.
            key.public().is_ok_and(|key| crate::rsa_sig::verify(key, rule, &digest(), signature))
        }
        // NIST curves: high-S accepted as is; from a key's second verify on, through its comb table.
        #[cfg(feature = "p256")]
        (SignatureScheme::Ecdsa, Material::P256(key)) => crate::comb::verify_p256(key, comb, &digest(), signature),
        #[cfg(feature = "p384")]
        (SignatureScheme::Ecdsa, Material::P384(key)) => crate::comb::verify_p384(key, comb, &digest(), signature),
        #[cfg(feature = "p521")]
        (SignatureScheme::Ecdsa, Material::P521(key)) => crate::comb::verify_p521(key, comb, &digest(), signature),
        #[cfg(feature = "secp256k1")]
        (SignatureScheme::Ecdsa, Material::Secp256k1(key)) => crate::comb::verify_secp256k1(key, comb, &digest(), signature),
        #[cfg(feature = "sm2")]
        (SignatureScheme::Sm2, Material::Sm2(key)) => {
            let Ok(sig) = sm2::dsa::Signature::from_der(signature) else { return false };
            // RAW: e = SM3(Z_A ‖ M) with KMS's default ID; DIGEST: the caller's e, made with whatever ID they chose.
            crate::comb::verify_sm2(key, comb, message_type == MessageType::Raw, message, &sig)
        }
        #[cfg(feature = "ed25519")]
        (SignatureScheme::Ed25519, Material::Ed25519(key)) => {
            use ed25519_dalek::Verifier;
            ed25519_dalek::Signature::from_slice(signature).is_ok_and(|sig| key.verify(message, &sig).is_ok())
        }
        #[cfg(feature = "ed25519")]
        (SignatureScheme::Ed25519ph, Material::Ed25519(key)) => {
            use ed25519_dalek::Digest;
            // KMS hashes the 64-byte DIGEST once more (FIPS 186-5 §7.8.1 step 1): Ed25519ph over D.
            let prehash = sha2::Sha512::new().chain_update(message);
            ed25519_dalek::Signature::from_slice(signature).is_ok_and(|sig| key.verify_prehashed(prehash, None, &sig).is_ok())
        }
        #[cfg(feature = "ml-dsa")]
        (SignatureScheme::MlDsa, Material::MlDsa44(key)) => ml_dsa(key, message_type, message, signature),
        #[cfg(feature = "ml-dsa")]
        (SignatureScheme::MlDsa, Material::MlDsa65(key)) => ml_dsa(key, message_type, message, signature),
        #[cfg(feature = "ml-dsa")]
        (SignatureScheme::MlDsa, Material::MlDsa87(key)) => ml_dsa(key, message_type, message, signature),
        // The key spec table pairs every algorithm with its key type, so no other pair gets here.
        #[allow(unreachable_patterns)]
        _ => false,
    }
}

#[cfg(feature = "ml-dsa")]
/// Pure ML-DSA with KMS's empty context, or the 64-byte mu for EXTERNAL_MU.
fn ml_dsa<P: kms_offline_lattice::MlDsaVerify>(key: &ml_dsa::VerifyingKey<P>, message_type: MessageType, message: &[u8], signature: &[u8]) -> bool {
    P::verify(key, message_type == MessageType::ExternalMu, message, signature)
}
