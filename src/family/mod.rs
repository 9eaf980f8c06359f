//! The key families: one module each, holding what is particular to the family (its SPKI check, its
//! arithmetic through its crate, its per-key state), and `Material`, the parsed key, matched in this
//! file only. The operation modules (`verify`, `encrypt`, `agree`, `encapsulate`) check KMS's rules and call
//! the methods here; they hold no per-family branch.
//!
//! | module | key specs | what it does |
//! |---|---|---|
//! | `rsa` | RSA_2048/3072/4096 | SPKI check, PSS and PKCS#1 v1.5 verify, OAEP encrypt |
//! | `ec` | ECC_NIST_P256/P384/P521, ECC_SECG_P256K1, SM2 | one const per curve holding all its facts |
//! | `comb` | the same five | ECDSA verify on the prime curves, k·Q for ECDH and SM2PKE, SM2DSA's arithmetic, all through the key's table from its second use on |
//! | `sm2` | SM2 | Z_A, SM2DSA verify, SM2PKE encrypt |
//!
//! ECDH (DeriveSharedSecret, the ESDK's ECDH keyring) runs on the key's curve through `Material::ecdh` and
//! `EcdhWith`: the operation says what to do with the point, the family which curve it is on.
//! | `ed25519` | ECC_NIST_EDWARDS25519 | SPKI check, Ed25519 and Ed25519ph verify |
//! | `ml_dsa` | ML_DSA_44/65/87 | SPKI check, ML-DSA verify (pure and EXTERNAL_MU), the key expanded on its first verify |
//! | `ml_kem` | ML_KEM_512/768/1024 | SPKI check, ML-KEM encapsulate |

pub(crate) mod comb;
pub mod ec;
#[cfg(feature = "ed25519")]
mod ed25519;
#[cfg(feature = "ml-dsa")]
mod ml_dsa;
#[cfg(feature = "ml-kem")]
mod ml_kem;
#[cfg(feature = "rsa")]
pub(crate) mod rsa;
#[cfg(feature = "sm2")]
pub(crate) mod sm2;

use crate::error::{KmsError, Result, Rule};
use crate::identify::{self, Spki};
use spki::der::asn1::ObjectIdentifier;
use crate::spec::{Curve, KeySpec, KeyType, MessageType, SignatureScheme, SigningRule, join};
use comb::CombCache;

/// The parsed public key, kept so no operation decodes or expands it again.
/// One variant per key family of this build (Cargo features): a family left out has no variant, so
/// no code of its crate is linked.
#[derive(Clone, Debug)]
pub(crate) enum Material {
    /// Checked at load; the rsa crate's key (Montgomery parameters) made on first synchronous use.
    #[cfg(feature = "rsa")]
    Rsa(rsa::RsaKey),
    #[cfg(feature = "p256")]
    P256(p256::ecdsa::VerifyingKey),
    #[cfg(feature = "p384")]
    P384(p384::ecdsa::VerifyingKey),
    #[cfg(feature = "p521")]
    P521(p521::ecdsa::VerifyingKey),
    #[cfg(feature = "secp256k1")]
    Secp256k1(k256::ecdsa::VerifyingKey),
    /// Z_A for KMS's default distinguishing ID is kept with the key's comb table (`family::comb`).
    #[cfg(feature = "sm2")]
    Sm2(::sm2::dsa::VerifyingKey),
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::VerifyingKey),
    /// Checked at load; expanded on its first verify in wasm (`family::ml_dsa`).
    #[cfg(feature = "ml-dsa")]
    MlDsa44(ml_dsa::Key<::ml_dsa::MlDsa44>),
    #[cfg(feature = "ml-dsa")]
    MlDsa65(ml_dsa::Key<::ml_dsa::MlDsa65>),
    #[cfg(feature = "ml-dsa")]
    MlDsa87(ml_dsa::Key<::ml_dsa::MlDsa87>),
    #[cfg(feature = "ml-kem")]
    MlKem512(Box<::ml_kem::EncapsulationKey512>),
    #[cfg(feature = "ml-kem")]
    MlKem768(Box<::ml_kem::EncapsulationKey768>),
    #[cfg(feature = "ml-kem")]
    MlKem1024(Box<::ml_kem::EncapsulationKey1024>),
}

/// A key whose family this build was compiled without (Cargo features, or a single-family package entry).
pub(crate) fn not_in_build(spec: KeySpec) -> KmsError {
    let built: Vec<KeySpec> = KeySpec::ALL.iter().copied().filter(|s| s.in_build() && s.rule().key_type != KeyType::NoPublicKey).collect();
    KmsError::unsupported(format!(
        "KeySpec {spec} is not in this build of kms-offline, which loads {}: use the full build (the package's main entry `kms-offline`, or the crate's default features)",
        join(&built)
    ))
    .rule_code(Rule::NotInBuild)
    .param("keySpec", spec.as_str())
    .param("keySpecs", &built)
}

/// "PublicKey does not match KeySpec": the SPKI is not the key KeySpec says; `detail` names what differs.
pub(crate) fn mismatch(spec: KeySpec, detail: &'static str, what: String) -> KmsError {
    KmsError::validation(format!("PublicKey does not match KeySpec {spec}: {what}"))
        .rule_code(Rule::PublicKeyMismatch)
        .param("keySpec", spec.as_str())
        .param("detail", detail)
}


/// One ECDH on curve `C` against the KMS key's point Q (validated on the curve when the key loaded), by the
/// operation that needs it (DeriveSharedSecret, the ESDK's ECDH keyring): [`Material::ecdh`] calls it with the
/// key's curve. `kms_mul` computes k·Q in constant time (through the key's table from its second use, `family::comb`).
#[cfg(feature = "ecdh")]
pub(crate) trait EcdhWith {
    type Output;
    /// Whether the operation exists on SM2 (else it is not compiled for SM2).
    const SM2: bool = true;
    fn run<C>(self, kms_point: &C::AffinePoint, kms_mul: impl FnOnce(&C::Scalar) -> C::ProjectivePoint, curve: Curve) -> Self::Output
    where
        C: elliptic_curve::CurveArithmetic + elliptic_curve::point::PointCompression + elliptic_curve::pkcs8::AssociatedOid,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
        C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>;
}

impl Material {
    /// Checks the decoded SPKI is the key KeySpec says (algorithm OID, curve, size) and parses the key.
    pub(crate) fn parse(spki: &Spki<'_>, spec: KeySpec) -> Result<Material> {
        let mismatch = |detail: &'static str, what: String| mismatch(spec, detail, what);
        let oid = spki.algorithm.oid;
        let params = spki.algorithm.parameters;
        let key_bytes = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| mismatch("encoding", "the subjectPublicKey BIT STRING has unused bits".into()))?;
        // OIDs compared as `ObjectIdentifier`s (their bytes), not as text: formatting one costs ~1 µs (bench/NOTES.md §26).
        let expect_oid = |expected: ObjectIdentifier, name: &str| -> Result<()> {
            if oid == expected {
                Ok(())
            } else {
                Err(mismatch("algorithm", format!("its algorithm is {oid}, expected {name} ({expected})")))
            }
        };
        #[allow(unused)]
        let expect_no_params = || -> Result<()> {
            match params {
                None => Ok(()),
                Some(_) => Err(mismatch("parameters", "its AlgorithmIdentifier has parameters; this algorithm has none".into())),
            }
        };
        match spec.rule().key_type {
            KeyType::NoPublicKey => {
                Err(KmsError::unsupported(format!("KeySpec {spec} has no public key")).rule_code(Rule::NoPublicKey).param("keySpec", spec.as_str()))
            }
            #[cfg(feature = "rsa")]
            KeyType::Rsa { bits } => {
                expect_oid(identify::RSA_ENCRYPTION, "rsaEncryption")?;
                if params != Some(spki::der::asn1::AnyRef::NULL) {
                    return Err(mismatch("parameters", "rsaEncryption parameters must be NULL".into()));
                }
                rsa::parse(key_bytes, spec, bits).map(Material::Rsa)
            }
            #[cfg(any(feature = "p256", feature = "p384", feature = "p521", feature = "secp256k1", feature = "sm2"))]
            KeyType::Ec(curve) => {
                expect_oid(identify::EC_PUBLIC_KEY, "id-ecPublicKey")?;
                let named = params
                    .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
                    .ok_or_else(|| mismatch("parameters", "id-ecPublicKey needs a namedCurve OID parameter".into()))?;
                if named != identify::curve_oid(curve) {
                    return Err(mismatch("curve", format!("the curve is {named}, {spec} is {} ({})", curve.name(), curve.oid())));
                }
                if key_bytes.len() != 1 + 2 * curve.field_len() || key_bytes[0] != 0x04 {
                    return Err(mismatch(
                        "point-encoding",
                        format!("the point must be uncompressed (04 ‖ X ‖ Y, {} bytes) as KMS returns it", 1 + 2 * curve.field_len()),
                    )
                    .param("expected", 1 + 2 * curve.field_len()));
                }
                let not_on_curve = || mismatch("not-on-curve", format!("the point is not on {}", curve.name()));
                Ok(match curve {
                    #[cfg(feature = "p256")]
                    Curve::P256 => Material::P256(p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| not_on_curve())?),
                    #[cfg(feature = "p384")]
                    Curve::P384 => Material::P384(p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| not_on_curve())?),
                    #[cfg(feature = "p521")]
                    Curve::P521 => Material::P521(p521::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| not_on_curve())?),
                    #[cfg(feature = "secp256k1")]
                    Curve::Secp256k1 => {
                        Material::Secp256k1(k256::ecdsa::VerifyingKey::from_sec1_bytes(key_bytes).map_err(|_| not_on_curve())?)
                    }
                    #[cfg(feature = "sm2")]
                    Curve::Sm2 => Material::Sm2(
                        ::sm2::dsa::VerifyingKey::from_sec1_bytes(crate::spec::SM2_DEFAULT_DISTINGUISHING_ID, key_bytes)
                            .map_err(|_| not_on_curve())?,
                    ),
                    #[allow(unreachable_patterns)]
                    _ => return Err(not_in_build(spec)),
                })
            }
            #[cfg(feature = "ed25519")]
            KeyType::Ed25519 => {
                expect_oid(identify::ED25519, "id-Ed25519")?;
                expect_no_params()?;
                ed25519::parse(key_bytes, spec).map(Material::Ed25519)
            }
            #[cfg(feature = "ml-dsa")]
            KeyType::MlDsa(level) => {
                use crate::spec::MlDsaLevel;
                expect_oid(identify::ml_dsa_oid(level), spec.as_str())?;
                expect_no_params()?;
                ml_dsa::check_length(key_bytes, spec, level)?;
                Ok(match level {
                    MlDsaLevel::L44 => Material::MlDsa44(ml_dsa::Key::new(key_bytes)?),
                    MlDsaLevel::L65 => Material::MlDsa65(ml_dsa::Key::new(key_bytes)?),
                    MlDsaLevel::L87 => Material::MlDsa87(ml_dsa::Key::new(key_bytes)?),
                })
            }
            #[cfg(feature = "ml-kem")]
            KeyType::MlKem(level) => {
                use crate::spec::MlKemLevel;
                expect_oid(identify::ml_kem_oid(level), spec.as_str())?;
                expect_no_params()?;
                ml_kem::check_length(key_bytes, spec, level)?;
                let invalid = || mismatch("modulus-check", "the encapsulation key fails the FIPS 203 modulus check".into());
                Ok(match level {
                    MlKemLevel::L512 => Material::MlKem512(Box::new(ml_kem::key(key_bytes).ok_or_else(invalid)?)),
                    MlKemLevel::L768 => Material::MlKem768(Box::new(ml_kem::key(key_bytes).ok_or_else(invalid)?)),
                    MlKemLevel::L1024 => Material::MlKem1024(Box::new(ml_kem::key(key_bytes).ok_or_else(invalid)?)),
                })
            }
            #[allow(unreachable_patterns)]
            _ => Err(not_in_build(spec)),
        }
    }

    /// Whether the key has built its per-key state: the rsa crate's key (RSA), the expanded key (ML-DSA), else its
    /// comb table.
    pub(crate) fn cache_built(&self, comb: &CombCache) -> bool {
        match self {
            #[cfg(feature = "rsa")]
            Material::Rsa(key) => key.is_made(),
            #[cfg(feature = "ml-dsa")]
            Material::MlDsa44(key) => key.is_expanded(),
            #[cfg(feature = "ml-dsa")]
            Material::MlDsa65(key) => key.is_expanded(),
            #[cfg(feature = "ml-dsa")]
            Material::MlDsa87(key) => key.is_expanded(),
            #[allow(unreachable_patterns)]
            _ => comb.is_built(),
        }
    }

    /// The cryptographic check of a Verify request that passed every rule.
    pub(crate) fn verify(&self, comb: &CombCache, rule: &SigningRule, message_type: MessageType, message: &[u8], signature: &[u8]) -> bool {
        // RSA and ECDSA sign the digest; RAW input is hashed here exactly as KMS hashes it.
        #[allow(unused)]
        let digest = || match message_type {
            MessageType::Raw => crate::digest::hash(rule.hash, message),
            _ => message.to_vec(),
        };
        match (rule.scheme, self) {
            #[cfg(feature = "rsa")]
            (SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15, Material::Rsa(key)) => {
                // `public` cannot fail (the load ran the crate's checks); if it did, nothing would verify.
                key.public().is_ok_and(|key| rsa::verify(key, rule, &digest(), signature))
            }
            // NIST curves: high-S accepted as is; from a key's second verify on, through its comb table.
            #[cfg(feature = "p256")]
            (SignatureScheme::Ecdsa, Material::P256(key)) => comb::verify_p256(key, comb, &digest(), signature),
            #[cfg(feature = "p384")]
            (SignatureScheme::Ecdsa, Material::P384(key)) => comb::verify_p384(key, comb, &digest(), signature),
            #[cfg(feature = "p521")]
            (SignatureScheme::Ecdsa, Material::P521(key)) => comb::verify_p521(key, comb, &digest(), signature),
            #[cfg(feature = "secp256k1")]
            (SignatureScheme::Ecdsa, Material::Secp256k1(key)) => comb::verify_secp256k1(key, comb, &digest(), signature),
            #[cfg(feature = "sm2")]
            (SignatureScheme::Sm2, Material::Sm2(key)) => sm2::verify(key, comb, message_type, message, signature),
            #[cfg(feature = "ed25519")]
            (SignatureScheme::Ed25519, Material::Ed25519(key)) => ed25519::verify(key, message, signature),
            #[cfg(feature = "ed25519")]
            (SignatureScheme::Ed25519ph, Material::Ed25519(key)) => ed25519::verify_prehashed(key, message, signature),
            #[cfg(feature = "ml-dsa")]
            (SignatureScheme::MlDsa, Material::MlDsa44(key)) => key.verify(message_type, message, signature),
            #[cfg(feature = "ml-dsa")]
            (SignatureScheme::MlDsa, Material::MlDsa65(key)) => key.verify(message_type, message, signature),
            #[cfg(feature = "ml-dsa")]
            (SignatureScheme::MlDsa, Material::MlDsa87(key)) => key.verify(message_type, message, signature),
            // The key spec table pairs every algorithm with its key type, so no other pair gets here.
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// The ciphertext for KMS Decrypt of a request that passed every rule; `None` when the key spec table paired
    /// the algorithm with another key type (it does not).
    #[cfg(feature = "encrypt")]
    pub(crate) fn encrypt(&self, comb: &CombCache, scheme: crate::spec::EncryptionScheme, plaintext: &[u8]) -> Option<Result<Vec<u8>>> {
        #[allow(unused)]
        use crate::spec::EncryptionScheme;
        match (scheme, self) {
            #[cfg(feature = "rsa")]
            (EncryptionScheme::RsaOaep(hash), Material::Rsa(key)) => Some(key.public().and_then(|key| rsa::oaep(key, hash, plaintext))),
            #[cfg(feature = "sm2")]
            (EncryptionScheme::Sm2Pke, Material::Sm2(key)) => Some(sm2::pke(key, comb, plaintext)),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Runs `ecdh` with the key's point on its curve (P-256, P-384, P-521, SM2); `None` for a key of no ECDH curve.
    #[cfg(feature = "ecdh")]
    pub(crate) fn ecdh<E: EcdhWith>(&self, comb: &CombCache, ecdh: E) -> Option<E::Output> {
        #[allow(unused)]
        let _ = &ecdh;
        match self {
            #[cfg(feature = "p256")]
            Material::P256(kms) => Some(ecdh.run::<p256::NistP256>(kms.as_affine(), |k| comb::mul_p256(kms.as_affine(), comb, k), Curve::P256)),
            #[cfg(feature = "p384")]
            Material::P384(kms) => Some(ecdh.run::<p384::NistP384>(kms.as_affine(), |k| comb::mul_p384(kms.as_affine(), comb, k), Curve::P384)),
            #[cfg(feature = "p521")]
            Material::P521(kms) => Some(ecdh.run::<p521::NistP521>(kms.as_affine(), |k| comb::mul_p521(kms.as_affine(), comb, k), Curve::P521)),
            // Not compiled for an operation SM2 does not have (E::SM2 false: the ESDK's ECDH keyring).
            #[cfg(feature = "sm2")]
            Material::Sm2(kms) if E::SM2 => Some(ecdh.run::<::sm2::Sm2>(kms.as_affine(), |k| comb::mul_sm2(kms.as_affine(), comb, k), Curve::Sm2)),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// ML-KEM.Encaps with the key and the 32 random bytes `m`: the ciphertext, the secret written to `secret`;
    /// `None` for a key that is no ML-KEM key.
    #[cfg(feature = "ml-kem")]
    pub(crate) fn encapsulate(&self, m: &::ml_kem::B32, secret: &mut [u8; 32]) -> Option<Vec<u8>> {
        use kms_offline_lattice::MlKemEncapsulate;
        match self {
            Material::MlKem512(ek) => Some(ek.encapsulate_into(m, secret)),
            Material::MlKem768(ek) => Some(ek.encapsulate_into(m, secret)),
            Material::MlKem1024(ek) => Some(ek.encapsulate_into(m, secret)),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The RSA key, for the operations that read its modulus (JWK, WebCrypto, the ESDK's RSA keyring).
    #[cfg(feature = "rsa")]
    pub(crate) fn rsa(&self) -> Option<&rsa::RsaKey> {
        match self {
            Material::Rsa(key) => Some(key),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The secp256k1 key (Ethereum: address and recovery ID).
    #[cfg(feature = "secp256k1")]
    pub(crate) fn secp256k1(&self) -> Option<&k256::ecdsa::VerifyingKey> {
        match self {
            Material::Secp256k1(key) => Some(key),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// The ML-DSA public key's encoding (FIPS 204 pkEncode), for the EXTERNAL_MU digest.
    #[cfg(feature = "ml-dsa")]
    pub(crate) fn ml_dsa_encoded(&self) -> Option<&[u8]> {
        match self {
            Material::MlDsa44(key) => Some(key.encoded()),
            Material::MlDsa65(key) => Some(key.encoded()),
            Material::MlDsa87(key) => Some(key.encoded()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }

    /// Whether a signature of the right length may go to WebCrypto as it is: an Ed25519 S must be canonical, since
    /// WebKit's Ed25519 accepts S + L where the crate (and KMS) refuse it (`ed25519::s_is_canonical`).
    #[cfg(feature = "webcrypto")]
    pub(crate) fn webcrypto_may_verify(&self, signature: &[u8]) -> bool {
        #[allow(unused)]
        let _ = signature;
        match self {
            #[cfg(feature = "ed25519")]
            Material::Ed25519(_) => ed25519::s_is_canonical(signature),
            #[allow(unreachable_patterns)]
            _ => true,
        }
    }

    /// A DER signature as the ECDSA crate of the key's curve reads it (strict DER, 1 ≤ r, s < n), in P1363:
    /// what WebCrypto verifies, on the curves it has.
    #[cfg(feature = "webcrypto")]
    pub(crate) fn ecdsa_der_as_p1363(&self, der: &[u8]) -> Option<Vec<u8>> {
        #[allow(unused)]
        let _ = der;
        match self {
            #[cfg(feature = "p256")]
            Material::P256(_) => p256::ecdsa::Signature::from_der(der).ok().map(|s| s.to_bytes().to_vec()),
            #[cfg(feature = "p384")]
            Material::P384(_) => p384::ecdsa::Signature::from_der(der).ok().map(|s| s.to_bytes().to_vec()),
            #[cfg(feature = "p521")]
            Material::P521(_) => p521::ecdsa::Signature::from_der(der).ok().map(|s| s.to_bytes().to_vec()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}
