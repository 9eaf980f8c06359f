//! Handing the arithmetic of a request to the platform's own implementation (WebCrypto), after every
//! KMS rule has been checked here.
//!
//! Browsers, Node and Deno verify RSA and NIST ECDSA signatures, encrypt with RSA-OAEP and do ECDH on
//! the NIST curves natively, most of it 3-20x faster than wasm can (wasm has no 64×64→128-bit multiply). The
//! JS binding's `verifyAsync`, `encryptAsync` and `deriveSharedSecretAsync` use it: this module checks the
//! request exactly as the synchronous operations do and then says what WebCrypto must compute, or that it
//! cannot (SM2, secp256k1, Ed25519, ML-DSA, ML-KEM, DIGEST and EXTERNAL_MU messages, static ECDH keys) or is
//! slower (P-521 ECDH, a P-521 key's verifies after its first), in which case the binding runs the synchronous
//! operation. WebCrypto only does the arithmetic: what is allowed, and any answer that does not need
//! arithmetic, is decided here. The tests check that both
//! paths give the same decision on every fixture and Wycheproof vector.

#[cfg(feature = "ecdh")]
use crate::agree::DeriveSharedSecretRequest;
#[cfg(feature = "encrypt")]
use crate::encrypt::EncryptRequest;
use crate::error::Result;
use crate::interop::SignatureFormat;
use crate::interop::ecdsa_format::{curve_of, p1363_to_der};
use crate::key::{KmsPublicKey, Material};
use crate::spec::{Curve, HashAlg, MessageType, SignatureScheme};
use crate::verify::{VerifyRequest, check_request};

/// A WebCrypto algorithm, as the members of its `AlgorithmIdentifier` / import parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NativeAlgorithm {
    /// `RSASSA-PKCS1-v1_5`, `RSA-PSS`, `ECDSA`, `RSA-OAEP` or `ECDH`.
    pub name: &'static str,
    /// `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512` (RSA: part of the key's import; ECDSA: of the verify).
    pub hash: Option<&'static str>,
    /// RSA-PSS: the salt length in bytes (KMS: the hash length).
    pub salt_length: Option<u32>,
    /// ECDSA and ECDH: `P-256`, `P-384` or `P-521`.
    pub named_curve: Option<&'static str>,
    /// ECDH: the bits to derive (KMS's SharedSecret Z is the whole x-coordinate: 256, 384 or 528).
    pub length_bits: Option<u32>,
}

/// What to do with a Verify request that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NativeVerify {
    /// Decided without arithmetic (the signature cannot be valid): `verify` gives the same answer.
    Decided(bool),
    /// WebCrypto verifies `signature` (P1363 for ECDSA) over the RAW message, with the key's SPKI.
    Native { algorithm: NativeAlgorithm, signature: Vec<u8> },
    /// Not through WebCrypto (no native equivalent, or the key's own path is faster): run `verify`.
    Unsupported,
}

fn hash_name(hash: HashAlg) -> Option<&'static str> {
    match hash {
        HashAlg::Sha256 => Some("SHA-256"),
        HashAlg::Sha384 => Some("SHA-384"),
        HashAlg::Sha512 => Some("SHA-512"),
        HashAlg::Sm3 | HashAlg::Shake256 => None,
    }
}

/// Which uses of a key on a curve WebCrypto does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WebCryptoUse {
    Every,
    /// The key's first only: from its second the key's comb table (built then) is faster.
    FirstOnly,
    Never,
}

/// A curve WebCrypto has: its name there, and which verifies and ephemeral agreements it does. On P-521 the
/// key's own wasm path is faster than WebCrypto's in Chromium and Node: for verify once the key's table exists
/// (bench/NOTES.md §11), for ECDH always, even on the first agreement (§12).
struct WebCryptoCurve {
    name: &'static str,
    verify: WebCryptoUse,
    ecdh: WebCryptoUse,
}

fn webcrypto_curve(curve: Curve) -> Option<WebCryptoCurve> {
    use WebCryptoUse::{Every, FirstOnly, Never};
    match curve {
        Curve::P256 | Curve::P384 => Some(WebCryptoCurve { name: curve.name(), verify: Every, ecdh: Every }),
        Curve::P521 => Some(WebCryptoCurve { name: curve.name(), verify: FirstOnly, ecdh: Never }),
        Curve::Secp256k1 | Curve::Sm2 => None,
    }
}

/// The signature as the ECDSA crate of the key's curve reads it (strict DER, 1 ≤ r, s < n), in P1363.
fn ecdsa_p1363(material: &Material, der: &[u8]) -> Option<Vec<u8>> {
    match material {
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

impl KmsPublicKey {
    /// Whether WebCrypto does this use of the key (asked only when it otherwise could); a `FirstOnly` use is
    /// counted as the key's use.
    fn webcrypto_takes(&self, allowed: WebCryptoUse) -> bool {
        match allowed {
            WebCryptoUse::Every => true,
            WebCryptoUse::FirstOnly => self.comb.count_first_use(),
            WebCryptoUse::Never => false,
        }
    }

    /// Verify, up to the arithmetic: every rule of [`verify_formatted`](Self::verify_formatted) (the same
    /// errors), then what WebCrypto must check.
    pub fn native_verify(&self, request: &VerifyRequest<'_>, format: SignatureFormat) -> Result<NativeVerify> {
        let rule = check_request(self, request)?;
        let converted;
        let der = match format {
            SignatureFormat::Der => request.signature,
            SignatureFormat::P1363 => {
                // Refuses P1363 for RSA, Ed25519, ML-DSA exactly as the synchronous path does.
                if !matches!(rule.scheme, SignatureScheme::Ecdsa | SignatureScheme::Sm2) {
                    return self.verify_formatted(request, format).map(NativeVerify::Decided);
                }
                match p1363_to_der(request.signature, curve_of(self.key_spec())?) {
                    Ok(der) => {
                        converted = der;
                        converted.as_slice()
                    }
                    Err(_) => return Ok(NativeVerify::Decided(false)),
                }
            }
        };
        let (Some(hash), MessageType::Raw) = (hash_name(rule.hash), request.message_type) else {
            return Ok(NativeVerify::Unsupported);
        };
        let algorithm = |name, salt_length, named_curve| NativeAlgorithm { name, hash: Some(hash), salt_length, named_curve, length_bits: None };
        Ok(match (rule.scheme, &self.material) {
            #[cfg(feature = "rsa")]
            (SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15, Material::Rsa(key)) if der.len() != key.size() || !key.below_modulus(der) => {
                NativeVerify::Decided(false)
            }
            #[cfg(feature = "rsa")]
            (SignatureScheme::RsaPss, Material::Rsa(_)) => {
                NativeVerify::Native { algorithm: algorithm("RSA-PSS", Some(rule.hash.output_len() as u32), None), signature: der.to_vec() }
            }
            #[cfg(feature = "rsa")]
            (SignatureScheme::RsaPkcs1v15, Material::Rsa(_)) => {
                NativeVerify::Native { algorithm: algorithm("RSASSA-PKCS1-v1_5", None, None), signature: der.to_vec() }
            }
            // secp256k1 has no WebCrypto curve.
            (SignatureScheme::Ecdsa, material) => {
                let curve = curve_of(self.key_spec())?;
                match (webcrypto_curve(curve), ecdsa_p1363(material, der)) {
                    (None, _) => NativeVerify::Unsupported,
                    (Some(_), None) => NativeVerify::Decided(false),
                    (Some(native), Some(_)) if !self.webcrypto_takes(native.verify) => NativeVerify::Unsupported,
                    (Some(native), Some(p1363)) => {
                        NativeVerify::Native { algorithm: algorithm("ECDSA", None, Some(native.name)), signature: p1363 }
                    }
                }
            }
            _ => NativeVerify::Unsupported,
        })
    }

    #[cfg(feature = "encrypt")]
    /// Encrypt, up to the arithmetic: every rule of [`encrypt`](Self::encrypt), then the WebCrypto
    /// algorithm (RSA-OAEP with SHA-1 or SHA-256, empty label), or `None` (SM2PKE).
    pub fn native_encrypt(&self, request: &EncryptRequest<'_>) -> Result<Option<NativeAlgorithm>> {
        self.check_encrypt(request)?;
        use crate::spec::{EncryptionScheme, OaepHash};
        Ok(match (request.encryption_algorithm.scheme(), &self.material) {
            #[cfg(feature = "rsa")]
            (EncryptionScheme::RsaOaep(hash), Material::Rsa(_)) => Some(NativeAlgorithm {
                name: "RSA-OAEP",
                hash: Some(match hash {
                    OaepHash::Sha1 => "SHA-1",
                    OaepHash::Sha256 => "SHA-256",
                }),
                salt_length: None,
                named_curve: None,
                length_bits: None,
            }),
            _ => None,
        })
    }

    #[cfg(feature = "ecdh")]
    /// DeriveSharedSecret, up to the arithmetic: every rule of
    /// [`derive_shared_secret`](Self::derive_shared_secret), then the WebCrypto ECDH curve for an
    /// ephemeral key pair, or `None` (SM2, P-521, or a static PrivateKey, which is checked and used here).
    pub fn native_key_agreement(&self, request: &DeriveSharedSecretRequest<'_>) -> Result<Option<NativeAlgorithm>> {
        self.check_key_agreement(request.key_agreement_algorithm)?;
        if request.private_key.is_some() {
            return Ok(None);
        }
        let curve = curve_of(self.key_spec())?;
        Ok(webcrypto_curve(curve).filter(|native| self.webcrypto_takes(native.ecdh)).map(|native| NativeAlgorithm {
            name: "ECDH",
            hash: None,
            salt_length: None,
            named_curve: Some(native.name),
            length_bits: Some(8 * curve.field_len() as u32),
        }))
    }
}
