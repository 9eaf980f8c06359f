//! The elliptic curves KMS uses: every fact about each curve in one documented value ([`P256`], [`P384`], [`P521`],
//! [`SECP256K1`], [`SM2`]; the rustls-webpki pattern: a curve is a value). ECDSA verify on them is `family::comb`'s
//! (with the per-key tables), SM2's own operations (SM2DSA, SM2PKE) are `family::sm2`'s, and ECDH runs through
//! `Material::ecdh` (`family`).
//!
//! The values are `const`, not `static`: a use reads a field of a constant, so a build compiles in the facts it reads
//! and no more (a `static` links every fact of every curve into every build: +123 B gzip on verify-p256, measured in
//! bench/NOTES.md §17). [`crate::spec::Curve::facts`] gives the value of a curve.

use crate::encoding::hex::hex_array;

/// Everything kms-offline knows about one curve KMS uses: read by key loading (SPKI check), the signature
/// formats (DER, P1363), JWK, WebCrypto and the ESDK's ECDH keyring. [`crate::spec::Curve::facts`] finds it.
#[derive(Clone, Copy, Debug)]
pub struct CurveFacts {
    /// The curve's name in KMS's documentation and in our messages; also its WebCrypto `namedCurve` where it has one.
    pub name: &'static str,
    /// The namedCurve OID in the SPKI's AlgorithmIdentifier parameters.
    pub oid: &'static str,
    /// Bytes of one field element: each coordinate of the point, each half of a P1363 signature, an ECDH secret.
    pub field_len: usize,
    /// The group order n (SEC 2, FIPS 186-5, GM/T 0003.5), big-endian, `field_len` bytes.
    pub order: &'static [u8],
    /// The DER SubjectPublicKeyInfo KMS returns, up to the uncompressed point (04 ‖ X ‖ Y) (KMS-RULES.md §6):
    /// a JWK becomes the SPKI by concatenation. `None`: no JWK form (SM2 has no JOSE registration).
    pub spki_prefix: Option<&'static [u8]>,
    /// The JWK `crv` (RFC 7518 §6.2.1.1, RFC 8812 for secp256k1); `None` for SM2.
    pub jwk_crv: Option<&'static str>,
    /// What WebCrypto does on this curve (the JS binding's async methods); `None`: WebCrypto has no such curve.
    pub webcrypto: Option<WebCryptoCurve>,
    /// The curve's name in DeriveSharedSecret's messages; `None`: KMS does no ECDH on it.
    pub ecdh_name: Option<&'static str>,
    /// The curve's name in the ESDK's ECDH keyring's key derivation (`fixedInfo`); `None`: no KMS ECDH keyring.
    pub esdk_name: Option<&'static str>,
}

/// Which uses of a key on a curve WebCrypto does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebCryptoUse {
    Every,
    /// The key's first only: from its second the key's comb table (built then) is faster.
    FirstOnly,
    Never,
}

/// A curve WebCrypto has, and which verifies and ephemeral agreements it does. On P-521 the key's own wasm path
/// is faster than WebCrypto's in Chromium and Node: for verify once the key's table exists (bench/NOTES.md §11),
/// for ECDH always, even on the first agreement (§12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebCryptoCurve {
    pub verify: WebCryptoUse,
    pub ecdh: WebCryptoUse,
}

/// NIST P-256 (secp256r1): ECC_NIST_P256, ECDSA_SHA_256 and ECDH.
pub const P256: CurveFacts = CurveFacts {
    name: "P-256",
    oid: "1.2.840.10045.3.1.7",
    field_len: 32,
    order: &hex_array::<32>("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
    spki_prefix: Some(b"\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\x03\x42\x00"),
    jwk_crv: Some("P-256"),
    webcrypto: Some(WebCryptoCurve { verify: WebCryptoUse::Every, ecdh: WebCryptoUse::Every }),
    ecdh_name: Some("P-256"),
    esdk_name: Some("p256"),
};

/// NIST P-384 (secp384r1): ECC_NIST_P384, ECDSA_SHA_384 and ECDH.
pub const P384: CurveFacts = CurveFacts {
    name: "P-384",
    oid: "1.3.132.0.34",
    field_len: 48,
    order: &hex_array::<48>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973"),
    spki_prefix: Some(b"\x30\x76\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00\x22\x03\x62\x00"),
    jwk_crv: Some("P-384"),
    webcrypto: Some(WebCryptoCurve { verify: WebCryptoUse::Every, ecdh: WebCryptoUse::Every }),
    ecdh_name: Some("P-384"),
    esdk_name: Some("p384"),
};

/// NIST P-521 (secp521r1): ECC_NIST_P521, ECDSA_SHA_512 and ECDH.
pub const P521: CurveFacts = CurveFacts {
    name: "P-521",
    oid: "1.3.132.0.35",
    field_len: 66,
    order: &hex_array::<66>(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
    ),
    spki_prefix: Some(b"\x30\x81\x9b\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00\x23\x03\x81\x86\x00"),
    jwk_crv: Some("P-521"),
    webcrypto: Some(WebCryptoCurve { verify: WebCryptoUse::FirstOnly, ecdh: WebCryptoUse::Never }),
    ecdh_name: Some("P-521"),
    esdk_name: Some("p521"),
};

/// secp256k1 (SEC 2): ECC_SECG_P256K1, ECDSA_SHA_256 only (no ECDH in KMS, no WebCrypto curve).
pub const SECP256K1: CurveFacts = CurveFacts {
    name: "secp256k1",
    oid: "1.3.132.0.10",
    field_len: 32,
    order: &hex_array::<32>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"),
    spki_prefix: Some(b"\x30\x56\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00\x0a\x03\x42\x00"),
    jwk_crv: Some("secp256k1"),
    webcrypto: None,
    ecdh_name: None,
    esdk_name: None,
};

/// sm2p256v1 (GM/T 0003.5): KeySpec SM2 (SM2DSA, SM2PKE, ECDH; China Regions only). Its operations: `family::sm2`.
pub const SM2: CurveFacts = CurveFacts {
    name: "SM2 (sm2p256v1)",
    oid: "1.2.156.10197.1.301",
    field_len: 32,
    order: &hex_array::<32>("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123"),
    spki_prefix: None,
    jwk_crv: None,
    webcrypto: None,
    ecdh_name: Some("SM2"),
    esdk_name: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_match_the_curve_crates() {
        use elliptic_curve::Curve as _;
        assert_eq!(P256.order, p256::NistP256::ORDER.to_be_bytes().as_slice());
        assert_eq!(P384.order, p384::NistP384::ORDER.to_be_bytes().as_slice());
        assert_eq!(SECP256K1.order, k256::Secp256k1::ORDER.to_be_bytes().as_slice());
        assert_eq!(SM2.order, sm2::Sm2::ORDER.to_be_bytes().as_slice());
        // p521's ORDER is a 576-bit integer: its low 66 bytes are n.
        let p521 = p521::NistP521::ORDER.to_be_bytes();
        assert_eq!(P521.order, &p521[p521.len() - 66..]);
    }

    #[test]
    fn each_curve_states_its_lengths_once() {
        for curve in [&P256, &P384, &P521, &SECP256K1, &SM2] {
            assert_eq!(curve.order.len(), curve.field_len, "{}", curve.name);
        }
    }
}
