//! The hashes KMS applies to a RAW message, by the algorithm's `HashAlg`.

use crate::spec::HashAlg;
use sha2::Digest;

/// One-shot digest of `data` (SHAKE256 gives 64 bytes, the ML-DSA mu length).
pub fn hash(alg: HashAlg, data: &[u8]) -> Vec<u8> {
    match alg {
        HashAlg::Sha256 => sha2::Sha256::digest(data).to_vec(),
        HashAlg::Sha384 => sha2::Sha384::digest(data).to_vec(),
        HashAlg::Sha512 => sha2::Sha512::digest(data).to_vec(),
        HashAlg::Sm3 => sm3::Sm3::digest(data).to_vec(),
        HashAlg::Shake256 => {
            use shake::{ExtendableOutput, Update, XofReader};
            let mut xof = shake::Shake256::default();
            xof.update(data);
            let mut out = vec![0u8; alg.output_len()];
            xof.finalize_xof().read(&mut out);
            out
        }
    }
}

/// SHAKE256 with a 64-byte output over the concatenation of `parts`.
fn shake256_64(parts: &[&[u8]]) -> [u8; 64] {
    use shake::{ExtendableOutput, Update, XofReader};
    let mut xof = shake::Shake256::default();
    for part in parts {
        xof.update(part);
    }
    let mut out = [0u8; 64];
    xof.finalize_xof().read(&mut out);
    out
}

/// The ML-DSA mu KMS takes with MessageType EXTERNAL_MU (FIPS 204 §6.2 with KMS's empty context):
/// `tr = SHAKE256(pk, 64)`, `mu = SHAKE256(tr ‖ 0x00 ‖ 0x00 ‖ M, 64)`, `pk` the raw public key.
pub fn ml_dsa_mu(raw_public_key: &[u8], message: &[u8]) -> [u8; 64] {
    let tr = shake256_64(&[raw_public_key]);
    shake256_64(&[&tr, &[0, 0], message])
}
