//! Handing the arithmetic of a request to the platform's own implementation (WebCrypto), after every
//! KMS rule has been checked here.
//!
//! Browsers, Node and Deno verify RSA and NIST ECDSA signatures, encrypt with RSA-OAEP and do ECDH on
//! the NIST curves natively (newer ones Ed25519, ML-DSA and ML-KEM too: the binding finds out per key), most of it 3-20x faster than wasm can (wasm has no 64×64→128-bit multiply). The
//! JS binding's `verifyAsync`, `encryptAsync` and `deriveSharedSecretAsync` use it: this module checks the
//! request exactly as the synchronous operations do (once: the `..._checked` functions take the checked request the
//! synchronous operation takes too, e.g. [`CheckedVerify`]) and then
//! says what WebCrypto must compute, as typed parameters the binding copies into JS objects, or that it
//! cannot (SM2, secp256k1, Ed25519ph, DIGEST and EXTERNAL_MU messages, static ECDH keys) or is
//! slower (P-521 ECDH, a P-521 key's verifies after its first), in which case the binding runs the synchronous
//! operation. WebCrypto only does the arithmetic: what is allowed, and any answer that does not need
//! arithmetic, is decided here. Whether the runtime has Ed25519, ML-DSA or ML-KEM the binding finds out
//! (the key's import fails without it); where the runtime is Node, what Node's WebCrypto does no faster than
//! the wasm stays in wasm (`WebCryptoAlgorithm::in_node`). The tests check that both
//! paths give the same decision on every fixture and Wycheproof vector.

#[cfg(feature = "ecdh")]
use crate::agree::{CheckedAgreement, DeriveSharedSecretRequest};
#[cfg(feature = "encrypt")]
use crate::encrypt::{CheckedEncrypt, EncryptRequest};
#[cfg(feature = "ml-kem")]
use crate::encapsulate::CheckedEncapsulate;
use crate::error::Result;
use crate::family::ec::{WebCryptoCurve, WebCryptoUse};
use crate::key::KmsPublicKey;
use crate::signature_format::{SignatureFormat, curve_of, p1363_halves};
use crate::spec::{Curve, HashAlg, KeyType, MessageType, SignatureScheme};
use crate::verify::{CheckedVerify, VerifyRequest};

/// The members of a WebCrypto algorithm object (an `AlgorithmIdentifier`: import, verify, encrypt or generateKey
/// parameters); those that apply are `Some`. The binding copies each into the JS object under its WebCrypto name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebCryptoParams {
    /// `RSASSA-PKCS1-v1_5`, `RSA-PSS`, `ECDSA`, `RSA-OAEP` or `ECDH`.
    pub name: &'static str,
    /// `hash`: `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512` (RSA: part of the key's import; ECDSA: of the verify).
    pub hash: Option<&'static str>,
    /// `saltLength`, RSA-PSS verify: the salt length in bytes (KMS: the hash length).
    pub salt_length: Option<u32>,
    /// `namedCurve`, ECDSA and ECDH import (and ECDH generateKey): `P-256`, `P-384` or `P-521`.
    pub named_curve: Option<&'static str>,
}

impl WebCryptoParams {
    const fn named(name: &'static str) -> Self {
        WebCryptoParams { name, hash: None, salt_length: None, named_curve: None }
    }
}

/// `importKey("spki", key, params, false, usages)` of the key's SPKI. Equal imports share one CryptoKey: this
/// is the binding's cache key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebCryptoImport {
    pub params: WebCryptoParams,
    pub usages: &'static [&'static str],
}

/// One WebCrypto operation for a request: the key import it needs and the operation's own parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebCryptoAlgorithm {
    pub import: WebCryptoImport,
    /// verify's or encrypt's parameters.
    pub operation: WebCryptoParams,
    /// Whether Node's WebCrypto is faster for it than the wasm path. Node runs each WebCrypto call on its libuv
    /// thread pool, which costs about what its OpenSSL saves on Ed25519 and ML-DSA verify (bench/NOTES.md §21):
    /// those stay in wasm in Node (and make no ExperimentalWarning there), as in runtimes without the algorithm.
    pub in_node: bool,
}

impl WebCryptoAlgorithm {
    /// An operation Node's WebCrypto does faster than the wasm path (RSA, NIST ECDSA, RSA-OAEP, ML-KEM).
    const fn new(import: WebCryptoImport, operation: WebCryptoParams) -> Self {
        WebCryptoAlgorithm { import, operation, in_node: true }
    }
}

/// An ephemeral ECDH agreement by WebCrypto: the import of KMS's public key, the key pair to generate
/// (`generateKey(import.params, false, ["deriveBits"])`) and the bits to derive (`deriveBits(derive_bits` with
/// `public`: the imported key`)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebCryptoAgreement {
    pub import: WebCryptoImport,
    pub derive_bits: WebCryptoParams,
    /// KMS's SharedSecret Z is the whole x-coordinate: 256, 384 or 528 bits.
    pub length_bits: u32,
}

/// What to do with a Verify request that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WebCryptoVerify {
    /// Decided without arithmetic (the signature cannot be valid): `verify` gives the same answer.
    Decided(bool),
    /// WebCrypto verifies `signature` (P1363 for ECDSA) over the RAW message, with the key's SPKI.
    Native { algorithm: WebCryptoAlgorithm, signature: Vec<u8> },
    /// Not through WebCrypto (no native equivalent, or the key's own path is faster): run `verify_checked`.
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

const VERIFY: &[&str] = &["verify"];

/// RSA keys are imported with the hash of the algorithm (RSA-PSS, RSASSA-PKCS1-v1_5, RSA-OAEP).
const fn rsa_import(name: &'static str, hash: &'static str, usages: &'static [&'static str]) -> WebCryptoImport {
    WebCryptoImport { params: WebCryptoParams { name, hash: Some(hash), salt_length: None, named_curve: None }, usages }
}

/// EC keys are imported on their curve (ECDSA, ECDH).
const fn ec_import(name: &'static str, curve: &'static str, usages: &'static [&'static str]) -> WebCryptoImport {
    WebCryptoImport { params: WebCryptoParams { name, hash: None, salt_length: None, named_curve: Some(curve) }, usages }
}

/// What WebCrypto does on the key's curve (its static, `family::ec`): `None` for secp256k1 and SM2.
fn webcrypto_curve(curve: Curve) -> Option<(&'static str, WebCryptoCurve)> {
    curve.facts().webcrypto.map(|native| (curve.name(), native))
}

/// The WebCrypto algorithm named by the key type alone, with the length of what it gives (spec.rs's sizes): the
/// Ed25519 or ML-DSA signature (schemes WebCrypto verifies over the whole message), ML-KEM's ciphertext. `None` for
/// the key types WebCrypto names by algorithm and hash or curve (RSA, the prime curves).
fn named_by_key_type(key_type: KeyType) -> Option<(&'static str, usize)> {
    use crate::spec::{MlDsaLevel, MlKemLevel};
    match key_type {
        KeyType::Ed25519 => Some(("Ed25519", 64)),
        KeyType::MlDsa(level) => {
            let name = match level {
                MlDsaLevel::L44 => "ML-DSA-44",
                MlDsaLevel::L65 => "ML-DSA-65",
                MlDsaLevel::L87 => "ML-DSA-87",
            };
            Some((name, level.signature_len()))
        }
        KeyType::MlKem(level) => {
            let name = match level {
                MlKemLevel::L512 => "ML-KEM-512",
                MlKemLevel::L768 => "ML-KEM-768",
                MlKemLevel::L1024 => "ML-KEM-1024",
            };
            Some((name, level.ciphertext_len()))
        }
        KeyType::NoPublicKey | KeyType::Rsa { .. } | KeyType::Ec(_) => None,
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
    pub fn webcrypto_verify(&self, request: &VerifyRequest<'_>, format: SignatureFormat) -> Result<WebCryptoVerify> {
        Ok(self.webcrypto_verify_checked(&self.check_verify(request, format)?))
    }

    /// What WebCrypto must check for a request that passed every rule (checked with this key).
    pub fn webcrypto_verify_checked(&self, checked: &CheckedVerify<'_>) -> WebCryptoVerify {
        let rule = checked.rule();
        let request = checked.request();
        if request.message_type != MessageType::Raw {
            return WebCryptoVerify::Unsupported;
        }
        let signature = request.signature;
        if let Some(answer) = self.webcrypto_verify_whole_message(rule.scheme, signature) {
            return answer;
        }
        let Some(hash) = hash_name(rule.hash) else {
            return WebCryptoVerify::Unsupported;
        };
        #[cfg(feature = "rsa")]
        if let (SignatureScheme::RsaPss | SignatureScheme::RsaPkcs1v15, Some(key)) = (rule.scheme, self.material.rsa())
            && (signature.len() != key.size() || !key.below_modulus(signature))
        {
            return WebCryptoVerify::Decided(false);
        }
        match rule.scheme {
            #[cfg(feature = "rsa")]
            SignatureScheme::RsaPss => WebCryptoVerify::Native {
                algorithm: WebCryptoAlgorithm::new(
                    rsa_import("RSA-PSS", hash, VERIFY),
                    WebCryptoParams { salt_length: Some(rule.hash.output_len() as u32), ..WebCryptoParams::named("RSA-PSS") },
                ),
                signature: signature.to_vec(),
            },
            #[cfg(feature = "rsa")]
            SignatureScheme::RsaPkcs1v15 => WebCryptoVerify::Native {
                algorithm: WebCryptoAlgorithm::new(rsa_import("RSASSA-PKCS1-v1_5", hash, VERIFY), WebCryptoParams::named("RSASSA-PKCS1-v1_5")),
                signature: signature.to_vec(),
            },
            SignatureScheme::Ecdsa => {
                // secp256k1 has no WebCrypto curve; an ECDSA key always has a curve.
                let Some((curve_name, native)) = curve_of(self.key_spec()).ok().and_then(webcrypto_curve) else {
                    return WebCryptoVerify::Unsupported;
                };
                // WebCrypto takes P1363: a P1363 signature is checked and passed as is, a DER one converted.
                let p1363 = match checked.format() {
                    SignatureFormat::P1363 => curve_of(self.key_spec()).and_then(|curve| p1363_halves(signature, curve)).ok().map(|_| signature.to_vec()),
                    SignatureFormat::Der => self.material.ecdsa_der_as_p1363(signature),
                };
                match p1363 {
                    None => WebCryptoVerify::Decided(false),
                    Some(_) if !self.webcrypto_takes(native.verify) => WebCryptoVerify::Unsupported,
                    Some(p1363) => WebCryptoVerify::Native {
                        algorithm: WebCryptoAlgorithm::new(ec_import("ECDSA", curve_name, VERIFY), WebCryptoParams { hash: Some(hash), ..WebCryptoParams::named("ECDSA") }),
                        signature: p1363,
                    },
                }
            }
            _ => WebCryptoVerify::Unsupported,
        }
    }

    /// Ed25519 (pure, ED25519_SHA_512) and ML-DSA (pure, KMS's empty context) of a RAW message: the schemes that sign
    /// the whole message, whose WebCrypto algorithm is named by the key alone (`Ed25519`, `ML-DSA-44/65/87`). `None`
    /// for every other scheme. A runtime that lacks the algorithm fails the key's import and the binding answers in wasm.
    fn webcrypto_verify_whole_message(&self, scheme: SignatureScheme, signature: &[u8]) -> Option<WebCryptoVerify> {
        if !matches!(scheme, SignatureScheme::Ed25519 | SignatureScheme::MlDsa) {
            return None;
        }
        let (name, signature_len) = named_by_key_type(self.key_spec().rule().key_type)?;
        // A signature of another size never verifies (the wasm path reads none; WebCrypto may throw on it instead), nor
        // one whose Ed25519 S is not below L (WebKit's WebCrypto would accept S + L).
        if signature.len() != signature_len || !self.material.webcrypto_may_verify(signature) {
            return Some(WebCryptoVerify::Decided(false));
        }
        let params = WebCryptoParams::named(name);
        Some(WebCryptoVerify::Native {
            algorithm: WebCryptoAlgorithm { in_node: false, ..WebCryptoAlgorithm::new(WebCryptoImport { params, usages: VERIFY }, params) },
            signature: signature.to_vec(),
        })
    }

    #[cfg(feature = "encrypt")]
    /// Encrypt, up to the arithmetic: every rule of [`encrypt`](Self::encrypt), then the WebCrypto
    /// algorithm (RSA-OAEP with SHA-1 or SHA-256, empty label), or `None` (SM2PKE).
    pub fn webcrypto_encrypt(&self, request: &EncryptRequest<'_>) -> Result<Option<WebCryptoAlgorithm>> {
        Ok(self.webcrypto_encrypt_checked(&self.check_encrypt_request(request)?))
    }

    #[cfg(feature = "encrypt")]
    /// The WebCrypto algorithm for a request that passed every rule (checked with this key), or `None` (SM2PKE).
    pub fn webcrypto_encrypt_checked(&self, checked: &CheckedEncrypt<'_>) -> Option<WebCryptoAlgorithm> {
        use crate::spec::{EncryptionScheme, OaepHash};
        match checked.encryption_algorithm().scheme() {
            #[cfg(feature = "rsa")]
            EncryptionScheme::RsaOaep(hash) => {
                let hash = match hash {
                    OaepHash::Sha1 => "SHA-1",
                    OaepHash::Sha256 => "SHA-256",
                };
                Some(WebCryptoAlgorithm::new(rsa_import("RSA-OAEP", hash, &["encrypt"]), WebCryptoParams::named("RSA-OAEP")))
            }
            _ => None,
        }
    }

    #[cfg(feature = "ecdh")]
    /// DeriveSharedSecret, up to the arithmetic: every rule of
    /// [`derive_shared_secret`](Self::derive_shared_secret), then the WebCrypto ECDH curve for an
    /// ephemeral key pair, or `None` (SM2, P-521, or a static PrivateKey, which is checked and used here).
    pub fn webcrypto_key_agreement(&self, request: &DeriveSharedSecretRequest<'_>) -> Result<Option<WebCryptoAgreement>> {
        Ok(self.webcrypto_key_agreement_checked(&self.check_key_agreement_request(request)?))
    }

    #[cfg(feature = "ecdh")]
    /// The WebCrypto ECDH agreement for a request that passed every rule (checked with this key), or `None`.
    pub fn webcrypto_key_agreement_checked(&self, checked: &CheckedAgreement<'_>) -> Option<WebCryptoAgreement> {
        if checked.has_private_key() {
            return None;
        }
        let curve = curve_of(self.key_spec()).ok()?;
        webcrypto_curve(curve)
            .filter(|(_, native)| self.webcrypto_takes(native.ecdh))
            .map(|(curve_name, _)| WebCryptoAgreement {
                import: ec_import("ECDH", curve_name, &[]),
                derive_bits: WebCryptoParams::named("ECDH"),
                length_bits: 8 * curve.field_len() as u32,
            })
    }

    #[cfg(feature = "ml-kem")]
    /// The WebCrypto ML-KEM encapsulation for a request that passed every rule (checked with this key):
    /// `encapsulateBits` with the key imported as `ML-KEM-512/768/1024`, and the ciphertext size it must give.
    pub fn webcrypto_encapsulate_checked(&self, _checked: &CheckedEncapsulate) -> Option<WebCryptoEncapsulation> {
        let (name, ciphertext_len) = named_by_key_type(self.key_spec().rule().key_type)?;
        let params = WebCryptoParams::named(name);
        Some(WebCryptoEncapsulation {
            algorithm: WebCryptoAlgorithm::new(WebCryptoImport { params, usages: &["encapsulateBits"] }, params),
            ciphertext_len: ciphertext_len as u32,
        })
    }
}

/// An ML-KEM encapsulation by WebCrypto (`encapsulateBits(operation, key)`): a 32-byte shared secret and a
/// ciphertext of `ciphertext_len` bytes, or the binding answers in wasm.
#[cfg(feature = "ml-kem")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WebCryptoEncapsulation {
    pub algorithm: WebCryptoAlgorithm,
    pub ciphertext_len: u32,
}
