//! Encrypt data of any size for a KMS key in the AWS Encryption SDK (ESDK) message format: format version 2,
//! a committing suite, framed, one encrypted data key written as the Material Providers Library's keyrings
//! write it (see `keyring`). The other side decrypts with any ESDK (Java, Python, .NET, Rust, Go, C, CLI)
//! and the AWS KMS RSA keyring (RSA ENCRYPT_DECRYPT keys; KMS Decrypt unwraps the data key) or the AWS KMS
//! ECDH keyring with KmsPublicKeyDiscovery (ECC_NIST_P256/384/521 KEY_AGREEMENT keys; KMS DeriveSharedSecret).
//!
//! KMS's rules come first (key usage, the algorithm in the key's list), then the ESDK's (suite, frame length,
//! encryption context). Nothing is written for a request either would refuse.

pub mod context;
pub mod keyring;
pub mod message;
pub mod suite;

pub use message::{DEFAULT_FRAME_LENGTH, MAX_FRAME_LENGTH, MessageEncryptor};
pub use suite::AlgorithmSuite;

use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::key::KmsPublicKey;
use crate::spec::{EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyUsage};
use std::collections::BTreeMap;

/// What an ESDK Encrypt call takes besides the plaintext.
#[derive(Clone, Debug)]
pub struct EncryptMessageRequest {
    /// The encryption context, stored in the header and authenticated (no `aws-crypto-` keys).
    pub encryption_context: BTreeMap<String, String>,
    /// Plaintext bytes per frame: 1 to 2^31 - 1 (default 4096).
    pub frame_length: u32,
    /// `None`: 0x0478 for RSA keys (the KMS RSA keyring refuses signing suites), the ESDK default 0x0578 for ECDH.
    pub algorithm_suite: Option<AlgorithmSuite>,
    /// RSA keys only: RSAES_OAEP_SHA_1 or _256, from the key's EncryptionAlgorithms (`None`: SHA-256 if listed).
    pub encryption_algorithm: Option<EncryptionAlgorithm>,
}

impl Default for EncryptMessageRequest {
    fn default() -> Self {
        EncryptMessageRequest {
            encryption_context: BTreeMap::new(),
            frame_length: DEFAULT_FRAME_LENGTH,
            algorithm_suite: None,
            encryption_algorithm: None,
        }
    }
}

/// Which keyring wraps the data key for this key.
enum Wrapping {
    Rsa(EncryptionAlgorithm),
    Ecdh,
}

/// A request checked against KMS's and the ESDK's rules, with the defaults filled in.
struct Plan {
    wrapping: Wrapping,
    suite: AlgorithmSuite,
}

impl KmsPublicKey {
    /// Encrypts `plaintext` into one ESDK message (the whole message in memory: for large data use
    /// [`KmsPublicKey::message_encryptor`]).
    pub fn encrypt_message(&self, plaintext: &[u8], request: &EncryptMessageRequest) -> Result<Vec<u8>> {
        let mut encryptor = self.message_encryptor(request)?;
        let mut message = encryptor.update(plaintext)?;
        message.extend(encryptor.finish()?);
        Ok(message)
    }

    /// Starts an ESDK message: the data key is made and wrapped now; feed the plaintext in chunks.
    pub fn message_encryptor(&self, request: &EncryptMessageRequest) -> Result<MessageEncryptor> {
        crate::scrub::wiping_stack(|| {
            let plan = self.check_encrypt_message(request)?;
            message::check_frame_length(request.frame_length)?;
            context::check_caller_context(&request.encryption_context)?;
            let mut encryption_context = request.encryption_context.clone();
            let signing_key = if plan.suite.signs() {
                let key = new_signing_key()?;
                let point = elliptic_curve::sec1::ToSec1Point::to_sec1_point(key.verifying_key().as_affine(), true);
                encryption_context.insert(context::PUBLIC_KEY_MEMBER.to_owned(), crate::encoding::encode_base64(point.as_bytes()));
                Some(key)
            } else {
                None
            };
            let serialised_context = context::serialise(&encryption_context)?;
            let mut data_key = zeroize::Zeroizing::new([0u8; 32]);
            crate::random::fill(data_key.as_mut_slice())?;
            let mut message_id = [0u8; 32];
            crate::random::fill(&mut message_id)?;
            let edk = self.wrap_data_key(&plan.wrapping, &encryption_context, &data_key)?;
            let keys = message::derive_keys(plan.suite, &data_key, &message_id)?;
            let header = message::header_body(plan.suite, &message_id, &serialised_context, &edk, request.frame_length, &keys.commitment)?;
            MessageEncryptor::new(header, &keys, message_id, request.frame_length, signing_key)
        })
    }

    /// Every KMS rule and keyring rule for an ESDK message with this key; returns the keyring and suite.
    fn check_encrypt_message(&self, request: &EncryptMessageRequest) -> Result<Plan> {
        let spec = self.key_spec();
        let usage = self.key_usage();
        let no_keyring = |why: &str| {
            KmsError::unsupported(format!(
                "no AWS Encryption SDK keyring exists for a {spec} {usage} key{why}: the ESDK message format is written for RSA ENCRYPT_DECRYPT keys (AWS KMS RSA keyring) and ECC_NIST_P256/P384/P521 KEY_AGREEMENT keys (AWS KMS ECDH keyring)"
            ))
            .rule_code(Rule::EsdkNoKeyring)
            .param("keySpec", spec.as_str())
            .param("keyUsage", usage.as_str())
        };
        let wrapping = match (spec, usage) {
            (KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096, KeyUsage::EncryptDecrypt) => {
                let algorithm = self.rsa_algorithm(request.encryption_algorithm)?;
                Wrapping::Rsa(algorithm)
            }
            (KeySpec::EccNistP256 | KeySpec::EccNistP384 | KeySpec::EccNistP521, KeyUsage::KeyAgreement) => {
                self.check_key_agreement(KeyAgreementAlgorithm::Ecdh)?;
                Wrapping::Ecdh
            }
            (KeySpec::Sm2, KeyUsage::EncryptDecrypt | KeyUsage::KeyAgreement) => {
                return Err(no_keyring(
                    " (the MPL names SM2 for ECDH, but no ESDK runtime implements it, and KMS's SM2PKE has no keyring)",
                ));
            }
            (_, KeyUsage::EncapsulateDecapsulate) => {
                return Err(no_keyring(" (no ML-KEM keyring is specified)"));
            }
            _ => {
                let who = self.key_id().unwrap_or("this key");
                return Err(KmsError::invalid_key_usage(format!(
                    "{who} key usage is {usage} which is not valid for encrypting a message: it needs an RSA key with KeyUsage ENCRYPT_DECRYPT or an ECC_NIST_P256/P384/P521 key with KeyUsage KEY_AGREEMENT"
                ))
                .rule_code(Rule::WrongKeyUsage)
                .param("keyUsage", usage.as_str())
                .param("operation", "encryptMessage")
                .param("required", &[KeyUsage::EncryptDecrypt.as_str(), KeyUsage::KeyAgreement.as_str()][..]));
            }
        };
        if request.encryption_algorithm.is_some() && matches!(wrapping, Wrapping::Ecdh) {
            return Err(KmsError::validation(
                "EncryptionAlgorithm is for RSA keys: a KEY_AGREEMENT key wraps the data key with ECDH (KMS DeriveSharedSecret). Omit it",
            )
            .rule_code(Rule::EsdkEncryptionAlgorithmForEcdh)
            .param("field", "EncryptionAlgorithm"));
        }
        let suite = match (&wrapping, request.algorithm_suite) {
            (Wrapping::Rsa(_), Some(suite)) if suite.signs() => {
                return Err(KmsError::validation(format!(
                    "AlgorithmSuite {suite} signs the message, and the AWS KMS RSA keyring refuses every signing suite on encrypt and decrypt: use {}",
                    AlgorithmSuite::AesGcmHkdfSha512CommitKey
                ))
                .rule_code(Rule::EsdkSigningSuite)
                .param("field", "AlgorithmSuite")
                .param("value", suite.as_str())
                .param("allowed", [AlgorithmSuite::AesGcmHkdfSha512CommitKey.as_str()].as_slice()));
            }
            (_, Some(suite)) => suite,
            (Wrapping::Rsa(_), None) => AlgorithmSuite::AesGcmHkdfSha512CommitKey,
            (Wrapping::Ecdh, None) => AlgorithmSuite::ESDK_DEFAULT,
        };
        if let Wrapping::Rsa(_) = wrapping {
            self.rsa_key_arn()?;
        }
        Ok(Plan { wrapping, suite })
    }

    /// The OAEP algorithm: the caller's, which must be in the key's list, or SHA-256 when listed, else SHA-1.
    fn rsa_algorithm(&self, requested: Option<EncryptionAlgorithm>) -> Result<EncryptionAlgorithm> {
        let listed = &self.metadata().encryption_algorithms;
        let algorithm = requested.unwrap_or(if listed.contains(&EncryptionAlgorithm::RsaesOaepSha256) {
            EncryptionAlgorithm::RsaesOaepSha256
        } else {
            EncryptionAlgorithm::RsaesOaepSha1
        });
        self.require_algorithm(algorithm, self.key_spec().rule().encryption, listed)?;
        Ok(algorithm)
    }

    /// The KMS RSA keyring writes the key ARN as provider info and matches it on decrypt: the key must carry it.
    fn rsa_key_arn(&self) -> Result<&str> {
        match (self.key_id(), self.arn()) {
            (Some(arn), Some(parsed)) if parsed.resource_type == crate::arn::ResourceType::Key => Ok(arn),
            _ => Err(KmsError::validation(format!(
                "the AWS KMS RSA keyring writes the key ARN into the message and the decrypting side matches it, but this key's KeyId is {}: load it with KeyId arn:aws:kms:<region>:<account>:key/<key-id> (the KeyId GetPublicKey returns)",
                self.key_id().map_or("missing".to_owned(), |id| format!("'{}'", crate::spec::printable(id)))
            ))
            .rule_code(Rule::EsdkKeyArnRequired)
            .param("field", "KeyId")
            .param("value", self.key_id().map_or(String::new(), crate::spec::printable))),
        }
    }

    fn wrap_data_key(
        &self,
        wrapping: &Wrapping,
        context: &BTreeMap<String, String>,
        data_key: &[u8; 32],
    ) -> Result<keyring::EncryptedDataKey> {
        match wrapping {
            #[cfg(feature = "rsa")]
            Wrapping::Rsa(algorithm) => {
                let key = self.material.rsa().ok_or_else(wrong_material)?;
                let crate::spec::EncryptionScheme::RsaOaep(hash) = algorithm.scheme() else {
                    return Err(KmsError::new(ErrorKind::Internal, "an RSA key listed a non-OAEP algorithm"));
                };
                keyring::rsa_edk(key.public()?, hash, self.rsa_key_arn()?, context, data_key)
            }
            Wrapping::Ecdh => self.material.ecdh(&self.comb, EcdhEdk { context, data_key }).ok_or_else(wrong_material)?,
            #[allow(unreachable_patterns)]
            _ => Err(wrong_material()),
        }
    }
}

fn wrong_material() -> KmsError {
    KmsError::new(ErrorKind::Internal, "the ESDK keyring table paired a key with the wrong material")
}

/// The ECDH keyring's EDK with the KMS key's point, on the key's curve (run by `Material::ecdh`).
struct EcdhEdk<'a> {
    context: &'a BTreeMap<String, String>,
    data_key: &'a [u8; 32],
}

impl crate::family::EcdhWith for EcdhEdk<'_> {
    type Output = Result<keyring::EncryptedDataKey>;
    /// No ESDK keyring does ECDH on SM2 (the keyring table): not compiled for it.
    const SM2: bool = false;

    fn run<C>(
        self,
        kms_point: &C::AffinePoint,
        kms_mul: impl FnOnce(&C::Scalar) -> C::ProjectivePoint,
        curve: crate::spec::Curve,
    ) -> Self::Output
    where
        C: elliptic_curve::CurveArithmetic + elliptic_curve::point::PointCompression + elliptic_curve::pkcs8::AssociatedOid,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
        C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>,
    {
        // Only P-256, P-384 and P-521 have the ESDK's ECDH keyring (the keyring table).
        let Some(name) = curve.facts().esdk_name else { return Err(wrong_material()) };
        keyring::ecdh_edk::<C>(kms_point, kms_mul, name, self.context, self.data_key)
    }
}

/// The message's signing key (signing suites): fresh per message, from the CSPRNG, dropped (zeroized) after use.
fn new_signing_key() -> Result<p384::ecdsa::SigningKey> {
    let mut rng = crate::random::SecureRng::default();
    let secret = <p384::SecretKey as elliptic_curve::Generate>::try_generate_from_rng(&mut rng)
        .map_err(|_| rng.error_or(KmsError::new(ErrorKind::Internal, "signing key generation failed")))?;
    Ok(p384::ecdsa::SigningKey::from(&secret))
}
