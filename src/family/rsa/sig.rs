//! RSASSA-PSS and RSASSA-PKCS1-v1_5 verification with KMS's parameters (KMS-RULES.md §4.3).

use crate::spec::{HashAlg, SignatureScheme, SigningRule};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPublicKey, pss::Pss};
use sha2::{Sha256, Sha384, Sha512};

/// Verifies `signature` over `digest`. PSS uses MGF1 with the same hash and a salt exactly as long
/// as the hash (what KMS produces); PKCS#1 v1.5 wraps the digest in its DigestInfo. A signature
/// that is not exactly k = modulus-length bytes is invalid (RFC 8017 §8.1.2, §8.2.2 step 1).
pub fn verify(key: &RsaPublicKey, rule: &SigningRule, digest: &[u8], signature: &[u8]) -> bool {
    if signature.len() != key.size() {
        return false;
    }
    let checked = match (rule.scheme, rule.hash) {
        (SignatureScheme::RsaPss, HashAlg::Sha256) => key.verify(Pss::<Sha256>::new(), digest, signature),
        (SignatureScheme::RsaPss, HashAlg::Sha384) => key.verify(Pss::<Sha384>::new(), digest, signature),
        (SignatureScheme::RsaPss, HashAlg::Sha512) => key.verify(Pss::<Sha512>::new(), digest, signature),
        (SignatureScheme::RsaPkcs1v15, HashAlg::Sha256) => key.verify(Pkcs1v15Sign::new::<Sha256>(), digest, signature),
        (SignatureScheme::RsaPkcs1v15, HashAlg::Sha384) => key.verify(Pkcs1v15Sign::new::<Sha384>(), digest, signature),
        (SignatureScheme::RsaPkcs1v15, HashAlg::Sha512) => key.verify(Pkcs1v15Sign::new::<Sha512>(), digest, signature),
        _ => return false,
    };
    checked.is_ok()
}
