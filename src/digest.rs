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
