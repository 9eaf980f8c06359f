//! The Message and MessageType a KMS signer sends for to-be-signed bytes, the same when building a
//! Sign request and when verifying: RAW up to KMS's 4096 bytes; above, the digest KMS would have hashed
//! (DIGEST: SHA-2 for RSA and ECDSA, SM3(Z_A ‖ TBS) with the default ID for SM2) or the ML-DSA mu
//! (EXTERNAL_MU). Pure Ed25519 has no digest form, so a larger TBS cannot carry a KMS Ed25519 signature.

use super::X509Kind;
use crate::digest::hash;
use crate::error::{KmsError, Result, Rule};
use crate::key::KmsPublicKey;
use crate::spec::{MessageType, SignatureScheme, SigningAlgorithm, limits};

/// (MessageType, Message) for `tbs` signed with `algorithm` by `key` (whose rules were checked already).
pub(crate) fn kms_message(key: &KmsPublicKey, algorithm: SigningAlgorithm, tbs: &[u8], kind: X509Kind) -> Result<(MessageType, Vec<u8>)> {
    if tbs.len() <= limits::MAX_MESSAGE {
        return Ok((MessageType::Raw, tbs.to_vec()));
    }
    let rule = algorithm.rule();
    match rule.scheme {
        SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15 | SignatureScheme::Ecdsa => Ok((MessageType::Digest, hash(rule.hash, tbs))),
        #[cfg(feature = "sm2")]
        SignatureScheme::Sm2 => Ok((MessageType::Digest, sm2_digest(key, tbs)?)),
        #[cfg(feature = "ml-dsa")]
        SignatureScheme::MlDsa => Ok((MessageType::ExternalMu, ml_dsa_mu(key, tbs)?)),
        _ => Err(KmsError::validation(format!(
            "the {}'s to-be-signed part is {} bytes: {algorithm} signs RAW messages of at most {} bytes and has no digest form for X.509, so no KMS {algorithm} signature can cover it",
            kind.noun(),
            tbs.len(),
            limits::MAX_MESSAGE
        ))
        .rule_code(Rule::RawMessageTooLong)
        .param("algorithm", algorithm.as_str())
        .param("part", "x509-tbs")
        .param("size", tbs.len())
        .param("max", limits::MAX_MESSAGE)),
    }
}

/// The key's raw public key: the SPKI's BIT STRING (for SM2 04 ‖ X ‖ Y, for ML-DSA the encoded key).
#[cfg(any(feature = "sm2", feature = "ml-dsa"))]
fn raw_public_key(key: &KmsPublicKey) -> Result<Vec<u8>> {
    use der::Decode;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(key.spki_der()).map_err(|e| KmsError::validation(format!("key SPKI: {e}")))?;
    Ok(spki.subject_public_key.raw_bytes().to_vec())
}

/// e = SM3(Z_A ‖ TBS) with KMS's default distinguishing ID, what KMS hashes for SM2DSA RAW.
#[cfg(feature = "sm2")]
fn sm2_digest(key: &KmsPublicKey, tbs: &[u8]) -> Result<Vec<u8>> {
    use sm3::Digest;
    let point = raw_public_key(key)?;
    let xy = point.get(1..).ok_or_else(|| KmsError::validation("SM2 public key is empty"))?;
    let z = crate::family::sm2::z_a(crate::key::SM2_DEFAULT_DISTINGUISHING_ID.as_bytes(), xy);
    Ok(sm3::Sm3::new().chain_update(z).chain_update(tbs).finalize().to_vec())
}

/// The ML-DSA mu of `tbs` (FIPS 204 §6.2, pure, empty context): SHAKE256(SHAKE256(pk, 64) ‖ 0 ‖ 0 ‖ M, 64).
#[cfg(feature = "ml-dsa")]
fn ml_dsa_mu(key: &KmsPublicKey, tbs: &[u8]) -> Result<Vec<u8>> {
    use shake::{ExtendableOutput, Update, XofReader};
    let mut tr = [0u8; 64];
    let mut xof = shake::Shake256::default();
    xof.update(&raw_public_key(key)?);
    xof.finalize_xof().read(&mut tr);
    let mut mu = shake::Shake256::default();
    mu.update(&tr);
    mu.update(&[0, 0]);
    mu.update(tbs);
    let mut out = vec![0u8; limits::EXTERNAL_MU_LEN];
    mu.finalize_xof().read(&mut out);
    Ok(out)
}
