//! One exported verify function per enabled family: the smallest useful entry point for that family.
#![no_std]
extern crate alloc;
use wasm_bindgen::prelude::*;

/// The raw public key: from a DER SPKI when `spki` is on (what kms-offline loads), else taken as given.
#[allow(dead_code)]
fn key_bytes(public_key: &[u8]) -> Option<&[u8]> {
    #[cfg(feature = "spki")]
    {
        use spki::der::Decode;
        let spki = spki::SubjectPublicKeyInfoRef::from_der(public_key).ok()?;
        return spki.subject_public_key.as_bytes();
    }
    #[cfg(not(feature = "spki"))]
    Some(public_key)
}

/// With `json`: a GetPublicKey-like JSON document is parsed (kms-offline takes JSON); measures serde_json's share.
#[cfg(feature = "json")]
#[wasm_bindgen]
pub fn parse_json(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    #[allow(non_snake_case, dead_code)]
    struct Out {
        KeyId: Option<alloc::string::String>,
        KeySpec: Option<alloc::string::String>,
        SigningAlgorithms: Option<alloc::vec::Vec<alloc::string::String>>,
    }
    serde_json::from_str::<Out>(text).is_ok()
}

macro_rules! ecdsa_verify {
    ($feat:literal, $name:ident, $curve:ident, $hash:ty) => {
        #[cfg(feature = $feat)]
        #[wasm_bindgen]
        pub fn $name(public_key: &[u8], message: &[u8], signature_der: &[u8]) -> bool {
            use $curve::ecdsa::signature::hazmat::PrehashVerifier;
            use sha2::Digest;
            let Some(pk) = key_bytes(public_key) else { return false };
            let Ok(key) = $curve::ecdsa::VerifyingKey::from_sec1_bytes(pk) else { return false };
            let Ok(sig) = $curve::ecdsa::Signature::from_der(signature_der) else { return false };
            key.verify_prehash(&<$hash>::digest(message), &sig).is_ok()
        }
    };
}
ecdsa_verify!("p256", verify_p256, p256, sha2::Sha256);
ecdsa_verify!("p384", verify_p384, p384, sha2::Sha384);
ecdsa_verify!("p521", verify_p521, p521, sha2::Sha512);
ecdsa_verify!("k256", verify_k256, k256, sha2::Sha256);

#[cfg(feature = "sm2")]
#[wasm_bindgen]
pub fn verify_sm2(public_key: &[u8], message: &[u8], signature_der: &[u8]) -> bool {
    use sm2::dsa::signature::Verifier;
    let Some(pk) = key_bytes(public_key) else { return false };
    let Ok(key) = sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", pk) else { return false };
    let Ok(sig) = sm2::dsa::Signature::from_der(signature_der) else { return false };
    key.verify(message, &sig).is_ok()
}

#[cfg(feature = "ed25519")]
#[wasm_bindgen]
pub fn verify_ed25519(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use ed25519_dalek::Verifier;
    let Some(pk) = key_bytes(public_key) else { return false };
    let Ok(pk) = <[u8; 32]>::try_from(pk) else { return false };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&pk) else { return false };
    let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else { return false };
    key.verify(message, &sig).is_ok()
}

#[cfg(feature = "rsa")]
#[wasm_bindgen]
pub fn verify_rsa_pss(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use rsa::pkcs1::DecodeRsaPublicKey;
    use sha2::Digest;
    let Some(pk) = key_bytes(public_key) else { return false };
    let Ok(key) = rsa::RsaPublicKey::from_pkcs1_der(pk) else { return false };
    key.verify(rsa::pss::Pss::<sha2::Sha256>::new(), &sha2::Sha256::digest(message), signature).is_ok()
}

#[cfg(feature = "mldsa65")]
#[wasm_bindgen]
pub fn verify_ml_dsa_65(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use ml_dsa::MlDsa65;
    let Some(pk) = key_bytes(public_key) else { return false };
    let Ok(encoded) = ml_dsa::EncodedVerifyingKey::<MlDsa65>::try_from(pk) else { return false };
    let key = ml_dsa::VerifyingKey::<MlDsa65>::decode(&encoded);
    let Ok(es) = ml_dsa::EncodedSignature::<MlDsa65>::try_from(signature) else { return false };
    let Some(sig) = ml_dsa::Signature::<MlDsa65>::decode(&es) else { return false };
    key.verify_with_context(message, &[], &sig)
}

#[cfg(feature = "mlkem768")]
#[wasm_bindgen]
pub fn encapsulate_ml_kem_768(public_key: &[u8]) -> alloc::vec::Vec<u8> {
    use ml_kem::{Encapsulate, TryKeyInit};
    let Some(pk) = key_bytes(public_key) else { return alloc::vec::Vec::new() };
    let Ok(ek) = ml_kem::EncapsulationKey768::new_from_slice(pk) else { return alloc::vec::Vec::new() };
    let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
    let (ct, _ss) = ek.encapsulate_with_rng(&mut rng);
    let bytes: &[u8] = ct.as_ref();
    bytes.to_vec()
}

/// ECDSA verify with a per-key precomputed table: u1·G from the crate's basepoint table, u2·Q from a radix-16 comb
/// table of Q (33 / 49 lookup tables of 8 points), both variable-time (public data only), against the crates'
/// `verify_prehash` (shared-doubling wNAF lincomb).
#[cfg(feature = "keytable")]
mod keytable {
    use alloc::vec::Vec;
    use elliptic_curve::group::Group;
    use elliptic_curve::point::AffineCoordinates;
    use elliptic_curve::ops::{MulByGeneratorVartime, Reduce};
    use primeorder::{LookupTable, Radix16Decomposition, Radix16Digits};
    use wasm_bindgen::prelude::*;

    macro_rules! table_key {
        ($name:ident, $curve:ident, $C:ty, $hash:ty) => {
            #[wasm_bindgen]
            pub struct $name {
                key: $curve::ecdsa::VerifyingKey,
                tables: Vec<LookupTable<$curve::ProjectivePoint>>,
            }

            #[wasm_bindgen]
            impl $name {
                /// Loads the key; with `table` the comb table is built now (its cost is part of loading).
                #[wasm_bindgen(constructor)]
                pub fn new(sec1: &[u8], table: bool) -> Result<$name, JsValue> {
                    let key = $curve::ecdsa::VerifyingKey::from_sec1_bytes(sec1).map_err(|_| JsValue::from_str("bad key"))?;
                    let mut k = $name { key, tables: Vec::new() };
                    if table {
                        k.build_table();
                    }
                    Ok(k)
                }

                pub fn build_table(&mut self) {
                    let len = $curve::FieldBytes::default().len();
                    let mut p = $curve::ProjectivePoint::from(*self.key.as_affine());
                    self.tables = Vec::with_capacity(len + 1);
                    for _ in 0..=len {
                        self.tables.push(LookupTable::new(p));
                        for _ in 0..8 {
                            p = p.double();
                        }
                    }
                }

                /// The crate's own verify (what kms-offline does today).
                pub fn verify_plain(&self, message: &[u8], signature_der: &[u8]) -> bool {
                    use $curve::ecdsa::signature::hazmat::PrehashVerifier;
                    use sha2::Digest;
                    let Ok(sig) = $curve::ecdsa::Signature::from_der(signature_der) else { return false };
                    self.key.verify_prehash(&<$hash>::digest(message), &sig).is_ok()
                }

                /// Same decision with the per-key table (same checks as ecdsa::hazmat::verify_prehashed).
                pub fn verify_table(&self, message: &[u8], signature_der: &[u8]) -> bool {
                    use sha2::Digest;
                    let Ok(sig) = $curve::ecdsa::Signature::from_der(signature_der) else { return false };
                    let digest = <$hash>::digest(message);
                    let (r, s) = sig.split_scalars();
                    let mut zb = $curve::FieldBytes::default();
                    // bits2field: a shorter digest (SHA-512 on P-521) is right-aligned, a longer one truncated
                    let n = zb.len().min(digest.len());
                    let off = zb.len() - n;
                    zb[off..].copy_from_slice(&digest[..n]);
                    let z = <$curve::Scalar as Reduce<$curve::FieldBytes>>::reduce(&zb);
                    let s_inv = s.invert_vartime().unwrap();
                    let u1 = z * s_inv;
                    let u2 = *r * s_inv;
                    let a = $curve::ProjectivePoint::mul_by_generator_vartime(&u1);
                    let b = self.mul_vartime(&u2);
                    let x = (a + b).to_affine().x();
                    *r == <$curve::Scalar as Reduce<$curve::FieldBytes>>::reduce(&x)
                }
            }

            impl $name {
                fn mul_vartime(&self, k: &$curve::Scalar) -> $curve::ProjectivePoint {
                    let digits = Radix16Decomposition::<Radix16Digits<$C>>::new(k);
                    let len = self.tables.len() - 1;
                    let mut acc = self.tables[len].select_vartime(digits[len * 2]);
                    let mut acc2 = $curve::ProjectivePoint::IDENTITY;
                    for i in (0..len).rev() {
                        acc2 += &self.tables[i].select_vartime(digits[i * 2 + 1]);
                        acc += &self.tables[i].select_vartime(digits[i * 2]);
                    }
                    for _ in 0..4 {
                        acc2 = acc2.double();
                    }
                    acc + acc2
                }
            }
        };
    }
    table_key!(P256TableKey, p256, p256::NistP256, sha2::Sha256);
    table_key!(P384TableKey, p384, p384::NistP384, sha2::Sha384);
    #[cfg(feature = "keytable-more")]
    table_key!(P521TableKey, p521, p521::NistP521, sha2::Sha512);
    #[cfg(feature = "keytable-more")]
    table_key!(K256TableKey, k256, k256::Secp256k1, sha2::Sha256);
}

/// RSA's public operation s^e mod n: the rsa crate's (window-4 constant-time exponentiation with a 16-entry
/// table) against plain left-to-right square-and-multiply for e = 65537 (16 squarings + 1 multiplication).
#[cfg(feature = "rsaf4")]
mod rsaf4 {
    use crypto_bigint::BoxedUint;
    use crypto_bigint::modular::BoxedMontyForm;
    use rsa::traits::PublicKeyParts;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    pub struct RsaProbe {
        key: rsa::RsaPublicKey,
    }

    #[wasm_bindgen]
    impl RsaProbe {
        #[wasm_bindgen(constructor)]
        pub fn new(pkcs1_der: &[u8]) -> Result<RsaProbe, JsValue> {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let key = rsa::RsaPublicKey::from_pkcs1_der(pkcs1_der).map_err(|_| JsValue::from_str("bad key"))?;
            Ok(RsaProbe { key })
        }

        /// The rsa crate's public operation (hazmat): what verify and encrypt run.
        pub fn public_op_crate(&self, s: &[u8]) -> Vec<u8> {
            let m = BoxedUint::from_be_slice(s, self.key.n_bits_precision()).unwrap();
            rsa::hazmat::rsa_encrypt(&self.key, &m).unwrap().to_be_bytes().to_vec()
        }

        /// e = 65537 only: 16 squarings and one multiplication in Montgomery form.
        pub fn public_op_f4(&self, s: &[u8]) -> Vec<u8> {
            let m = BoxedUint::from_be_slice(s, self.key.n_bits_precision()).unwrap();
            let x = BoxedMontyForm::new(m, self.key.n_params());
            let mut z = x.clone();
            for _ in 0..16 {
                z = z.square();
            }
            z = z * &x;
            z.retrieve().to_be_bytes().to_vec()
        }

        /// The whole PSS-SHA256 verify through the crate.
        pub fn verify_pss(&self, message: &[u8], signature: &[u8]) -> bool {
            use sha2::Digest;
            self.key.verify(rsa::pss::Pss::<sha2::Sha256>::new(), &sha2::Sha256::digest(message), signature).is_ok()
        }
    }
    use alloc::vec::Vec;
}
