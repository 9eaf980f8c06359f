//! secp256k1 keys as Ethereum accounts (KMS-RULES.md §4.4, §9 #2). KMS returns DER, either half of s
//! and no recovery id; Ethereum wants r ‖ s ‖ v with low s (EIP-2) and v recomputed after s is
//! normalised (normalising flips the parity). The address is the last 20 bytes of Keccak-256 of the
//! 64-byte X ‖ Y, printed with EIP-55 checksum casing. To have KMS sign for Ethereum, send the 32-byte
//! Keccak-256 hash as Message with MessageType DIGEST and ECDSA_SHA_256.

use super::ecdsa_format::{SignatureFormat, der_to_p1363, normalize_low_s};
use crate::error::{ErrorKind, KmsError, Result};
use crate::key::KmsPublicKey;
use crate::spec::{Curve, KeySpec};
use sha3::{Digest, Keccak256};

/// Keccak-256 (the pre-standard SHA-3 padding Ethereum uses), 32 bytes.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// An Ethereum-ready signature: low-S, with the recovery parity for that s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthereumSignature {
    pub r: [u8; 32],
    pub s: [u8; 32],
    /// 0 or 1: the parity of R's y, which `ecrecover` needs (typed transactions carry it as is).
    pub y_parity: u8,
}

impl EthereumSignature {
    /// `r ‖ s ‖ v` with v = 27 + y_parity, the 65-byte form of eth_sign / personal_sign.
    pub fn to_bytes(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[..32].copy_from_slice(&self.r);
        out[32..64].copy_from_slice(&self.s);
        out[64] = 27 + self.y_parity;
        out
    }
}

/// EIP-55 mixed-case checksum of 20 address bytes, with the 0x prefix.
pub fn eip55(address: &[u8; 20]) -> String {
    let lower = crate::encoding::encode_hex(address);
    let hash = keccak256(lower.as_bytes());
    let mut out = String::from("0x");
    for (i, c) in lower.chars().enumerate() {
        let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
        out.push(if c.is_ascii_alphabetic() && nibble >= 8 { c.to_ascii_uppercase() } else { c });
    }
    out
}

impl KmsPublicKey {
    fn secp256k1(&self, what: &str) -> Result<&k256::ecdsa::VerifyingKey> {
        self.material.secp256k1().ok_or_else(|| {
            KmsError::invalid_key_usage(format!("{what} needs an {} key (secp256k1); this key is {}", KeySpec::EccSecgP256k1, self.key_spec()))
        })
    }

    /// The Ethereum address of this secp256k1 key, EIP-55 checksummed (`0x` + 40 hex digits).
    pub fn ethereum_address(&self) -> Result<String> {
        self.secp256k1("An Ethereum address")?;
        let hash = keccak256(self.ec_point_xy(Curve::Secp256k1));
        let mut address = [0u8; 20];
        address.copy_from_slice(&hash[12..]);
        Ok(eip55(&address))
    }

    /// Turns the DER signature KMS Sign returned for a 32-byte `digest` (MessageType DIGEST, e.g. a
    /// Keccak-256 transaction hash) into an Ethereum signature: s normalised to the low half, and the
    /// recovery parity computed for that s. The signature must verify with this key, or the result is
    /// KMSInvalidSignatureException (a wrong v would silently recover another address).
    pub fn ethereum_signature(&self, digest: &[u8], kms_signature: &[u8]) -> Result<EthereumSignature> {
        let key = self.secp256k1("An Ethereum signature")?;
        if digest.len() != 32 {
            return Err(KmsError::validation(format!(
                "Digest is invalid length for algorithm ECDSA_SHA_256: the Ethereum digest is 32 bytes (Keccak-256), got {}",
                digest.len()
            )));
        }
        let low = normalize_low_s(&der_to_p1363(kms_signature, Curve::Secp256k1)?, Curve::Secp256k1, SignatureFormat::P1363)?;
        let invalid = || {
            KmsError::new(ErrorKind::InvalidSignature, "Signature verification failed: the signature was not made over this digest by this key")
        };
        let signature = k256::ecdsa::Signature::from_slice(&low).map_err(|_| invalid())?;
        let recovery = k256::ecdsa::RecoveryId::trial_recovery_from_prehash(key, digest, &signature).map_err(|_| invalid())?;
        if recovery.is_x_reduced() {
            // r ≥ n happens with probability about 2^-128; Ethereum's v cannot express it.
            return Err(KmsError::validation("This signature's R has x ≥ n, which an Ethereum v cannot express: sign again"));
        }
        let mut out = EthereumSignature { r: [0; 32], s: [0; 32], y_parity: u8::from(recovery.is_y_odd()) };
        out.r.copy_from_slice(&low[..32]);
        out.s.copy_from_slice(&low[32..]);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keccak_and_eip55_vectors() {
        // Keccak-256 of the empty string, and EIP-55's own examples.
        assert_eq!(crate::encoding::encode_hex(&keccak256(b"")), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        for expected in ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"] {
            let mut bytes = [0u8; 20];
            for i in 0..20 {
                bytes[i] = u8::from_str_radix(&expected[2 + 2 * i..4 + 2 * i], 16).unwrap();
            }
            assert_eq!(eip55(&bytes), expected);
        }
    }
}
