//! The JOSE `alg` values a KMS key can produce, as data: each JWS algorithm (RFC 7518 §3.1, RFC 8037,
//! RFC 8812 for ES256K, RFC 9864 for Ed25519, RFC 9964 for ML-DSA) with the KMS SigningAlgorithm that
//! makes its signature and the key specs it is defined on. ES256 and ES256K both sign with ECDSA_SHA_256,
//! so the key spec, not the KMS algorithm, tells them apart.

use crate::error::{KmsError, Result};
use crate::key::KmsPublicKey;
use crate::spec::{KeySpec, MessageType, SignatureScheme, SigningAlgorithm, join};

/// One JWS `alg` and how KMS makes it.
#[derive(Debug)]
pub struct JoseAlgorithm {
    /// The `alg` header value.
    pub name: &'static str,
    pub signing_algorithm: SigningAlgorithm,
    pub key_specs: &'static [KeySpec],
    /// The name chosen when a key's algorithms map to several JOSE names (EdDSA over Ed25519).
    pub preferred: bool,
}

use KeySpec as K;
use SigningAlgorithm as S;

const RSA: &[KeySpec] = &[K::Rsa2048, K::Rsa3072, K::Rsa4096];

const fn alg(name: &'static str, signing_algorithm: SigningAlgorithm, key_specs: &'static [KeySpec]) -> JoseAlgorithm {
    JoseAlgorithm { name, signing_algorithm, key_specs, preferred: true }
}

/// Every JWS algorithm a KMS key can sign. ED25519_PH_SHA_512, SM2DSA and HashML-DSA have no JOSE name.
pub static JOSE_ALGORITHMS: &[JoseAlgorithm] = &[
    alg("RS256", S::RsassaPkcs1V15Sha256, RSA),
    alg("RS384", S::RsassaPkcs1V15Sha384, RSA),
    alg("RS512", S::RsassaPkcs1V15Sha512, RSA),
    // RFC 7518 §3.5: PSS with MGF1 on the same hash and a salt as long as the hash, which is KMS's PSS.
    alg("PS256", S::RsassaPssSha256, RSA),
    alg("PS384", S::RsassaPssSha384, RSA),
    alg("PS512", S::RsassaPssSha512, RSA),
    alg("ES256", S::EcdsaSha256, &[K::EccNistP256]),
    alg("ES384", S::EcdsaSha384, &[K::EccNistP384]),
    alg("ES512", S::EcdsaSha512, &[K::EccNistP521]),
    alg("ES256K", S::EcdsaSha256, &[K::EccSecgP256k1]),
    alg("EdDSA", S::Ed25519Sha512, &[K::EccNistEdwards25519]),
    // RFC 9864's fully-specified name for the same signature; accepted, produced only when asked for.
    JoseAlgorithm { preferred: false, ..alg("Ed25519", S::Ed25519Sha512, &[K::EccNistEdwards25519]) },
    alg("ML-DSA-44", S::MlDsaShake256, &[K::MlDsa44]),
    alg("ML-DSA-65", S::MlDsaShake256, &[K::MlDsa65]),
    alg("ML-DSA-87", S::MlDsaShake256, &[K::MlDsa87]),
];

fn names() -> String {
    join(&JOSE_ALGORITHMS.iter().map(|a| a.name).collect::<Vec<_>>())
}

/// The row of a JOSE `alg`; `none`, HMAC and anything unknown are refused with the reason.
pub fn lookup(name: &str) -> Result<&'static JoseAlgorithm> {
    if let Some(found) = JOSE_ALGORITHMS.iter().find(|a| a.name == name) {
        return Ok(found);
    }
    let why = match name {
        "none" => "alg none is an unsecured JWS with no signature and is never accepted".to_owned(),
        n if n.starts_with("HS") => format!("{} is an HMAC algorithm, which has no public key", crate::spec::printable(n)),
        n => format!("'{}' is not a JWS algorithm a KMS asymmetric key can sign", crate::spec::printable(n)),
    };
    Err(KmsError::validation(format!("JWS alg refused: {why}; allowed: {}", names())))
}

impl JoseAlgorithm {
    /// Refuses an `alg` this key cannot have signed: wrong key spec, or not in its SigningAlgorithms.
    pub fn check_key(&self, key: &KmsPublicKey) -> Result<()> {
        key.require_usage(crate::KeyUsage::SignVerify, "Verify")?;
        let spec = key.key_spec();
        if !self.key_specs.contains(&spec) {
            let instead: Vec<&str> = JOSE_ALGORITHMS.iter().filter(|a| a.key_specs.contains(&spec)).map(|a| a.name).collect();
            let instead = if instead.is_empty() { "none (no JOSE algorithm is registered for it)".to_owned() } else { join(&instead) };
            return Err(KmsError::invalid_key_usage(format!(
                "JWS alg {} needs a {} key; this key is {spec}, whose JOSE algorithms are {instead}",
                self.name,
                join(self.key_specs)
            )));
        }
        let listed = &key.metadata().signing_algorithms;
        if !listed.contains(&self.signing_algorithm) {
            return Err(KmsError::invalid_key_usage(format!(
                "JWS alg {} is KMS SigningAlgorithm {}, which is not in this key's SigningAlgorithms: allowed are {}",
                self.name,
                self.signing_algorithm,
                join(listed)
            )));
        }
        Ok(())
    }

    /// Whether KMS takes this JWS's signing input as a digest (RSA, ECDSA), never (Ed25519 is RAW only),
    /// or as the ML-DSA mu; the message type used when the signing input is over 4096 bytes.
    pub fn large_message_type(&self) -> Option<MessageType> {
        match self.signing_algorithm.rule().scheme {
            SignatureScheme::Ed25519 | SignatureScheme::Ed25519ph | SignatureScheme::Sm2 => None,
            SignatureScheme::MlDsa => Some(MessageType::ExternalMu),
            _ => Some(MessageType::Digest),
        }
    }
}

/// The JOSE algorithms this key can sign (its spec and SigningAlgorithms), preferred names only.
pub fn algorithms_for(key: &KmsPublicKey) -> Vec<&'static JoseAlgorithm> {
    let listed = &key.metadata().signing_algorithms;
    JOSE_ALGORITHMS
        .iter()
        .filter(|a| a.preferred && a.key_specs.contains(&key.key_spec()) && listed.contains(&a.signing_algorithm))
        .collect()
}

/// The key's one JOSE algorithm, or a ValidationException naming the choices when it has several or none.
pub fn only_algorithm(key: &KmsPublicKey) -> Result<&'static JoseAlgorithm> {
    match algorithms_for(key).as_slice() {
        [one] => Ok(one),
        [] => Err(KmsError::invalid_key_usage(format!(
            "This {} key with SigningAlgorithms [{}] has no JOSE algorithm",
            key.key_spec(),
            join(&key.metadata().signing_algorithms)
        ))),
        many => Err(KmsError::validation(format!(
            "This key can sign several JOSE algorithms; choose one: {}",
            join(&many.iter().map(|a| a.name).collect::<Vec<_>>())
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_valid_for_its_specs() {
        for a in JOSE_ALGORITHMS {
            for spec in a.key_specs {
                assert!(spec.rule().signing.contains(&a.signing_algorithm), "{} on {spec}", a.name);
            }
        }
        assert_eq!(lookup("none").unwrap_err().name(), "ValidationException");
        assert!(lookup("HS256").unwrap_err().message().contains("HMAC"));
    }
}
