//! Low-S normalisation of ECDSA signatures (BIP 62 / EIP-2), for Ethereum and Bitcoin. The signature
//! formats themselves (DER, P1363, the group orders) are the ECDSA family's and live in the core
//! ([`crate::signature_format`]); they are re-exported here for the paths that named them here.

pub use crate::signature_format::{SignatureFormat, curve_of, der_to_p1363, order, p1363_to_der};
use crate::error::{KmsError, Result};
use crate::spec::Curve;

/// `n − s` for big-endian values of the same width (s < n, checked before).
fn order_minus(n: &[u8], s: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; n.len()];
    let mut borrow = 0i16;
    for i in (0..n.len()).rev() {
        let mut d = n[i] as i16 - s[i] as i16 - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

/// Whether s > n/2 ("high-S"), for a big-endian s of the order's width.
fn is_high(s: &[u8], n: &[u8]) -> bool {
    // 2s > n, compared without overflow: shift n right by one bit and compare s with it.
    let mut half = vec![0u8; n.len()];
    let mut carry = 0u8;
    for (i, byte) in n.iter().enumerate() {
        half[i] = (byte >> 1) | carry;
        carry = (byte & 1) << 7;
    }
    s > half.as_slice()
}

/// Low-S normalisation (BIP 62 / EIP-2): replaces s with n − s when s > n/2. Both are valid ECDSA
/// signatures, and KMS emits either; Ethereum and Bitcoin accept only the low one. The output has the
/// input's format. SM2 is refused: an SM2 signature with n − s does not verify.
pub fn normalize_low_s(signature: &[u8], curve: Curve, format: SignatureFormat) -> Result<Vec<u8>> {
    if curve == Curve::Sm2 {
        return Err(KmsError::validation(
            "Low-S normalisation is an ECDSA rule: an SM2 signature with s replaced by n − s no longer verifies",
        ));
    }
    let mut p1363 = match format {
        SignatureFormat::Der => der_to_p1363(signature, curve)?,
        SignatureFormat::P1363 => {
            p1363_to_der(signature, curve)?; // checks the length and ranges
            signature.to_vec()
        }
    };
    let width = curve.field_len();
    let n = order(curve);
    if is_high(&p1363[width..], n) {
        let low = order_minus(n, &p1363[width..]);
        p1363[width..].copy_from_slice(&low);
    }
    match format {
        SignatureFormat::Der => p1363_to_der(&p1363, curve),
        SignatureFormat::P1363 => Ok(p1363),
    }
}

/// Whether a signature's s is in the upper half of the group order.
pub fn is_high_s(signature: &[u8], curve: Curve, format: SignatureFormat) -> Result<bool> {
    let p1363 = match format {
        SignatureFormat::Der => der_to_p1363(signature, curve)?,
        SignatureFormat::P1363 => signature.to_vec(),
    };
    let width = curve.field_len();
    if p1363.len() != 2 * width {
        return p1363_to_der(&p1363, curve).map(|_| false);
    }
    Ok(is_high(&p1363[width..], order(curve)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_minus_and_half() {
        let n = order(Curve::P256);
        let mut one = vec![0u8; 32];
        one[31] = 1;
        let n_minus_1 = order_minus(n, &one);
        assert!(is_high(&n_minus_1, n));
        assert!(!is_high(&one, n));
        assert_eq!(order_minus(n, &n_minus_1), one);
    }
}
