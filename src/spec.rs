//! The KMS vocabulary as data: every enum value with its KMS spelling (botocore 1.44.5 service model),
//! and the rules tables that say which key spec allows which usage and algorithm, and how each
//! signing algorithm hashes, which message types it takes and how its signature is encoded.
//!
//! Operations look their rule up here; they never re-derive a rule with `if` chains.

use crate::error::{KmsError, Result, Rule};
use core::fmt;
use crate::family::ec::{self, CurveFacts};

/// Defines a KMS enum: the Rust variants, their exact KMS strings, `ALL`, and a parser whose
/// error names the field and lists every allowed value, the way KMS's own validation message does.
macro_rules! kms_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in the service model's order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The exact KMS spelling.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// Parses the KMS spelling; `field` names the request member in the error message.
            pub fn parse(text: &str, field: &str) -> Result<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    KmsError::validation(format!(
                        "Value '{}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                        printable(text), field, join(Self::ALL)
                    ))
                    .rule_code(Rule::EnumValue)
                    .param("value", printable(text))
                    .param("field", field)
                    .param("allowed", Self::ALL)
                })
            }
        }

        impl KmsEnum for $name {
            const ALL: &'static [Self] = $name::ALL;
            fn as_str(self) -> &'static str { $name::as_str(self) }
            fn parse(text: &str, field: &str) -> Result<Self> { $name::parse(text, field) }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl core::str::FromStr for $name {
            type Err = KmsError;
            fn from_str(text: &str) -> Result<Self> { Self::parse(text, stringify!($name)) }
        }
    };
}

/// What every KMS enum offers: its values, their KMS spelling, and a parser with KMS's message.
pub trait KmsEnum: Copy + PartialEq + fmt::Display + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn parse(text: &str, field: &str) -> Result<Self>;
}

kms_enum!(
    /// `KeySpec`: the type of key material.
    KeySpec {
        Rsa2048 = "RSA_2048",
        Rsa3072 = "RSA_3072",
        Rsa4096 = "RSA_4096",
        EccNistP256 = "ECC_NIST_P256",
        EccNistP384 = "ECC_NIST_P384",
        EccNistP521 = "ECC_NIST_P521",
        EccSecgP256k1 = "ECC_SECG_P256K1",
        SymmetricDefault = "SYMMETRIC_DEFAULT",
        Hmac224 = "HMAC_224",
        Hmac256 = "HMAC_256",
        Hmac384 = "HMAC_384",
        Hmac512 = "HMAC_512",
        Sm2 = "SM2",
        MlDsa44 = "ML_DSA_44",
        MlDsa65 = "ML_DSA_65",
        MlDsa87 = "ML_DSA_87",
        EccNistEdwards25519 = "ECC_NIST_EDWARDS25519",
        MlKem512 = "ML_KEM_512",
        MlKem768 = "ML_KEM_768",
        MlKem1024 = "ML_KEM_1024",
    }
);

kms_enum!(
    /// `KeyUsageType`: what a key may be used for, fixed when the key is created.
    KeyUsage {
        SignVerify = "SIGN_VERIFY",
        EncryptDecrypt = "ENCRYPT_DECRYPT",
        GenerateVerifyMac = "GENERATE_VERIFY_MAC",
        KeyAgreement = "KEY_AGREEMENT",
        EncapsulateDecapsulate = "ENCAPSULATE_DECAPSULATE",
    }
);

kms_enum!(
    /// `SigningAlgorithmSpec`.
    SigningAlgorithm {
        RsassaPssSha256 = "RSASSA_PSS_SHA_256",
        RsassaPssSha384 = "RSASSA_PSS_SHA_384",
        RsassaPssSha512 = "RSASSA_PSS_SHA_512",
        RsassaPkcs1V15Sha256 = "RSASSA_PKCS1_V1_5_SHA_256",
        RsassaPkcs1V15Sha384 = "RSASSA_PKCS1_V1_5_SHA_384",
        RsassaPkcs1V15Sha512 = "RSASSA_PKCS1_V1_5_SHA_512",
        EcdsaSha256 = "ECDSA_SHA_256",
        EcdsaSha384 = "ECDSA_SHA_384",
        EcdsaSha512 = "ECDSA_SHA_512",
        Sm2Dsa = "SM2DSA",
        MlDsaShake256 = "ML_DSA_SHAKE_256",
        Ed25519Sha512 = "ED25519_SHA_512",
        Ed25519PhSha512 = "ED25519_PH_SHA_512",
    }
);

kms_enum!(
    /// `EncryptionAlgorithmSpec`.
    EncryptionAlgorithm {
        SymmetricDefault = "SYMMETRIC_DEFAULT",
        RsaesOaepSha1 = "RSAES_OAEP_SHA_1",
        RsaesOaepSha256 = "RSAES_OAEP_SHA_256",
        Sm2Pke = "SM2PKE",
    }
);

kms_enum!(
    /// `KeyAgreementAlgorithmSpec`.
    KeyAgreementAlgorithm {
        Ecdh = "ECDH",
    }
);

kms_enum!(
    /// `EncapsulationAlgorithmSpec`.
    EncapsulationAlgorithm {
        MlKem = "ML_KEM",
    }
);

kms_enum!(
    /// `MessageType` of Sign and Verify.
    MessageType {
        Raw = "RAW",
        Digest = "DIGEST",
        ExternalMu = "EXTERNAL_MU",
    }
);

/// Whether `text` could be a KMS enum value: 1 to 64 of `A-Z 0-9 _`, starting with a letter. A value of this
/// shape that this version does not know may be one a newer KMS added (KMS-RULES.md §1.3); anything else is garbage.
pub fn is_enum_like(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() <= 64
        && bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// An enum value read from a key's own metadata (GetPublicKey output): one this version knows, or one of
/// enum shape that a newer KMS may have added (KMS-RULES.md §1.3 keeps those instead of refusing the key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Listed<T> {
    Known(T),
    Unknown(String),
}

impl<T: KmsEnum> Listed<T> {
    /// Parses a metadata value: garbage (not [`is_enum_like`]) is KMS's ValidationException for the enum.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        match T::parse(text, field) {
            Ok(known) => Ok(Listed::Known(known)),
            Err(_) if is_enum_like(text) => Ok(Listed::Unknown(text.to_owned())),
            Err(invalid) => Err(invalid),
        }
    }
}

/// Values of the deprecated `CustomerMasterKeySpec` enum: the key specs that existed before it was
/// frozen. GetPublicKey output is printed with `CustomerMasterKeySpec` for these specs; on input it is accepted
/// for every spec, equal to `KeySpec` (AWS: "the KeySpec and CustomerMasterKeySpec fields have the same value").
pub const CUSTOMER_MASTER_KEY_SPECS: &[KeySpec] = &[
    KeySpec::Rsa2048,
    KeySpec::Rsa3072,
    KeySpec::Rsa4096,
    KeySpec::EccNistP256,
    KeySpec::EccNistP384,
    KeySpec::EccNistP521,
    KeySpec::EccSecgP256k1,
    KeySpec::SymmetricDefault,
    KeySpec::Hmac224,
    KeySpec::Hmac256,
    KeySpec::Hmac384,
    KeySpec::Hmac512,
    KeySpec::Sm2,
];

/// KMS API limits (botocore `PlaintextType`, `CiphertextType`, `PublicKeyType`, Sign/Verify `Message`).
pub mod limits {
    /// Sign/Verify `Message` with MessageType RAW, and Encrypt `Plaintext`: 1..=4096 bytes.
    pub const MAX_MESSAGE: usize = 4096;
    /// Verify `Signature` blob: 1..=6144 bytes.
    pub const MAX_SIGNATURE: usize = 6144;
    /// GetPublicKey `PublicKey` blob: 1..=8192 bytes.
    pub const MAX_PUBLIC_KEY: usize = 8192;
    /// `KeyId`: 1..=2048 characters.
    pub const MAX_KEY_ID: usize = 2048;
    /// EXTERNAL_MU message: the 64-byte ML-DSA mu.
    pub const EXTERNAL_MU_LEN: usize = 64;
}

/// A curve KMS uses for ECC key specs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    P256,
    P384,
    P521,
    Secp256k1,
    Sm2,
}

impl Curve {
    /// All the curve's facts, one `const` each (`crate::family::ec`). Inlined, so that a caller reading one field
    /// compiles in that field of each curve and nothing else.
    #[inline(always)]
    pub const fn facts(self) -> CurveFacts {
        match self {
            Curve::P256 => ec::P256,
            Curve::P384 => ec::P384,
            Curve::P521 => ec::P521,
            Curve::Secp256k1 => ec::SECP256K1,
            Curve::Sm2 => ec::SM2,
        }
    }

    /// The namedCurve OID in the SPKI's AlgorithmIdentifier parameters.
    pub const fn oid(self) -> &'static str {
        self.facts().oid
    }

    /// Bytes of one field element (and of an ECDH shared secret).
    pub const fn field_len(self) -> usize {
        self.facts().field_len
    }

    pub const fn name(self) -> &'static str {
        self.facts().name
    }
}

/// ML-DSA parameter set (FIPS 204).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MlDsaLevel {
    L44,
    L65,
    L87,
}

impl MlDsaLevel {
    /// The parameter set's number in FIPS 204 (ML-DSA-44, -65, -87).
    pub const fn number(self) -> u16 {
        match self {
            MlDsaLevel::L44 => 44,
            MlDsaLevel::L65 => 65,
            MlDsaLevel::L87 => 87,
        }
    }

    pub const fn oid(self) -> &'static str {
        match self {
            MlDsaLevel::L44 => "2.16.840.1.101.3.4.3.17",
            MlDsaLevel::L65 => "2.16.840.1.101.3.4.3.18",
            MlDsaLevel::L87 => "2.16.840.1.101.3.4.3.19",
        }
    }

    pub const fn public_key_len(self) -> usize {
        match self {
            MlDsaLevel::L44 => 1312,
            MlDsaLevel::L65 => 1952,
            MlDsaLevel::L87 => 2592,
        }
    }

    pub const fn signature_len(self) -> usize {
        match self {
            MlDsaLevel::L44 => 2420,
            MlDsaLevel::L65 => 3309,
            MlDsaLevel::L87 => 4627,
        }
    }
}

/// ML-KEM parameter set (FIPS 203).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MlKemLevel {
    L512,
    L768,
    L1024,
}

impl MlKemLevel {
    /// The parameter set's number in FIPS 203 (ML-KEM-512, -768, -1024).
    pub const fn number(self) -> u16 {
        match self {
            MlKemLevel::L512 => 512,
            MlKemLevel::L768 => 768,
            MlKemLevel::L1024 => 1024,
        }
    }

    pub const fn oid(self) -> &'static str {
        match self {
            MlKemLevel::L512 => "2.16.840.1.101.3.4.4.1",
            MlKemLevel::L768 => "2.16.840.1.101.3.4.4.2",
            MlKemLevel::L1024 => "2.16.840.1.101.3.4.4.3",
        }
    }

    /// Encapsulation key bytes in the SPKI.
    pub const fn public_key_len(self) -> usize {
        match self {
            MlKemLevel::L512 => 800,
            MlKemLevel::L768 => 1184,
            MlKemLevel::L1024 => 1568,
        }
    }

    /// `SharedSecretCiphertextBlob` bytes that Decapsulate takes.
    pub const fn ciphertext_len(self) -> usize {
        match self {
            MlKemLevel::L512 => 768,
            MlKemLevel::L768 => 1088,
            MlKemLevel::L1024 => 1568,
        }
    }
}

/// What the SPKI of a key spec holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// SYMMETRIC_DEFAULT and HMAC_*: there is no public key.
    NoPublicKey,
    /// rsaEncryption with a modulus of exactly this many bits.
    Rsa { bits: usize },
    /// id-ecPublicKey on this curve, uncompressed point.
    Ec(Curve),
    /// id-Ed25519 (RFC 8410).
    Ed25519,
    MlDsa(MlDsaLevel),
    MlKem(MlKemLevel),
}

impl fmt::Display for KeyType {
    /// What the public key is, as a person names it: "RSA 2048-bit", "ECC P-256", "ML-DSA-65".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyType::NoPublicKey => f.write_str("no public key"),
            KeyType::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            KeyType::Ec(curve) => write!(f, "ECC {}", curve.name()),
            KeyType::Ed25519 => f.write_str("Ed25519"),
            KeyType::MlDsa(level) => write!(f, "ML-DSA-{}", level.number()),
            KeyType::MlKem(level) => write!(f, "ML-KEM-{}", level.number()),
        }
    }
}

/// KMS's distinguishing ID for SM2 signatures made with MessageType RAW (GM/T 0009-2012 default; KMS-RULES.md §4.5).
pub const SM2_DEFAULT_DISTINGUISHING_ID: &str = "1234567812345678";

/// One key spec's rule: what its public key is and which usages and algorithms KMS allows for it
/// (KMS-RULES.md §2.1).
#[derive(Debug)]
pub struct KeySpecRule {
    pub spec: KeySpec,
    pub key_type: KeyType,
    pub usages: &'static [KeyUsage],
    pub signing: &'static [SigningAlgorithm],
    pub encryption: &'static [EncryptionAlgorithm],
    pub key_agreement: &'static [KeyAgreementAlgorithm],
    pub encapsulation: &'static [EncapsulationAlgorithm],
}

use EncryptionAlgorithm as E;
use KeyUsage as U;
use SigningAlgorithm as S;

const RSA_USAGES: &[KeyUsage] = &[U::EncryptDecrypt, U::SignVerify];
const RSA_SIGNING: &[SigningAlgorithm] = &[
    S::RsassaPssSha256,
    S::RsassaPssSha384,
    S::RsassaPssSha512,
    S::RsassaPkcs1V15Sha256,
    S::RsassaPkcs1V15Sha384,
    S::RsassaPkcs1V15Sha512,
];
const RSA_ENCRYPTION: &[EncryptionAlgorithm] = &[E::RsaesOaepSha1, E::RsaesOaepSha256];
const NIST_EC_USAGES: &[KeyUsage] = &[U::SignVerify, U::KeyAgreement];
const ECDH: &[KeyAgreementAlgorithm] = &[KeyAgreementAlgorithm::Ecdh];
const ML_DSA_SIGNING: &[SigningAlgorithm] = &[S::MlDsaShake256];
const ML_KEM: &[EncapsulationAlgorithm] = &[EncapsulationAlgorithm::MlKem];

const fn rule(spec: KeySpec, key_type: KeyType, usages: &'static [KeyUsage]) -> KeySpecRule {
    KeySpecRule { spec, key_type, usages, signing: &[], encryption: &[], key_agreement: &[], encapsulation: &[] }
}

const fn rsa(spec: KeySpec, bits: usize) -> KeySpecRule {
    KeySpecRule { signing: RSA_SIGNING, encryption: RSA_ENCRYPTION, ..rule(spec, KeyType::Rsa { bits }, RSA_USAGES) }
}

const fn nist_ec(spec: KeySpec, curve: Curve, ecdsa: &'static [SigningAlgorithm]) -> KeySpecRule {
    KeySpecRule { signing: ecdsa, key_agreement: ECDH, ..rule(spec, KeyType::Ec(curve), NIST_EC_USAGES) }
}

const fn ml_dsa(spec: KeySpec, level: MlDsaLevel) -> KeySpecRule {
    KeySpecRule { signing: ML_DSA_SIGNING, ..rule(spec, KeyType::MlDsa(level), &[U::SignVerify]) }
}

const fn ml_kem(spec: KeySpec, level: MlKemLevel) -> KeySpecRule {
    KeySpecRule { encapsulation: ML_KEM, ..rule(spec, KeyType::MlKem(level), &[U::EncapsulateDecapsulate]) }
}

/// The key spec table, one entry per `KeySpec` value.
pub static KEY_SPEC_RULES: &[KeySpecRule] = &[
    rsa(KeySpec::Rsa2048, 2048),
    rsa(KeySpec::Rsa3072, 3072),
    rsa(KeySpec::Rsa4096, 4096),
    nist_ec(KeySpec::EccNistP256, Curve::P256, &[S::EcdsaSha256]),
    nist_ec(KeySpec::EccNistP384, Curve::P384, &[S::EcdsaSha384]),
    nist_ec(KeySpec::EccNistP521, Curve::P521, &[S::EcdsaSha512]),
    // secp256k1 is signing only: KMS has no ECDH on it.
    KeySpecRule { signing: &[S::EcdsaSha256], ..rule(KeySpec::EccSecgP256k1, KeyType::Ec(Curve::Secp256k1), &[U::SignVerify]) },
    KeySpecRule {
        encryption: &[E::SymmetricDefault],
        ..rule(KeySpec::SymmetricDefault, KeyType::NoPublicKey, &[U::EncryptDecrypt])
    },
    rule(KeySpec::Hmac224, KeyType::NoPublicKey, &[U::GenerateVerifyMac]),
    rule(KeySpec::Hmac256, KeyType::NoPublicKey, &[U::GenerateVerifyMac]),
    rule(KeySpec::Hmac384, KeyType::NoPublicKey, &[U::GenerateVerifyMac]),
    rule(KeySpec::Hmac512, KeyType::NoPublicKey, &[U::GenerateVerifyMac]),
    // SM2 (China Regions) is the one spec that allows all three public-key usages.
    KeySpecRule {
        signing: &[S::Sm2Dsa],
        encryption: &[E::Sm2Pke],
        key_agreement: ECDH,
        ..rule(KeySpec::Sm2, KeyType::Ec(Curve::Sm2), &[U::EncryptDecrypt, U::SignVerify, U::KeyAgreement])
    },
    ml_dsa(KeySpec::MlDsa44, MlDsaLevel::L44),
    ml_dsa(KeySpec::MlDsa65, MlDsaLevel::L65),
    ml_dsa(KeySpec::MlDsa87, MlDsaLevel::L87),
    KeySpecRule {
        signing: &[S::Ed25519Sha512, S::Ed25519PhSha512],
        ..rule(KeySpec::EccNistEdwards25519, KeyType::Ed25519, &[U::SignVerify])
    },
    ml_kem(KeySpec::MlKem512, MlKemLevel::L512),
    ml_kem(KeySpec::MlKem768, MlKemLevel::L768),
    ml_kem(KeySpec::MlKem1024, MlKemLevel::L1024),
];

impl KeySpecRule {
    /// The KMS names of the algorithms this spec allows with `usage` (empty for a usage it does not allow).
    pub fn algorithm_names(&self, usage: KeyUsage) -> Vec<&'static str> {
        fn names<T: KmsEnum>(list: &[T]) -> Vec<&'static str> {
            list.iter().map(|a| a.as_str()).collect()
        }
        match usage {
            KeyUsage::SignVerify => names(self.signing),
            KeyUsage::EncryptDecrypt => names(self.encryption),
            KeyUsage::KeyAgreement => names(self.key_agreement),
            KeyUsage::EncapsulateDecapsulate => names(self.encapsulation),
            KeyUsage::GenerateVerifyMac => Vec::new(),
        }
    }

    /// The usages in the order of KMS's KeyUsageType enum (SIGN_VERIFY first), as tables and menus show them.
    pub fn usages_in_kms_order(&self) -> impl Iterator<Item = KeyUsage> + '_ {
        KeyUsage::ALL.iter().copied().filter(|usage| self.usages.contains(usage))
    }

    /// The metadata a key of this spec can have, for an error that says what to give: "KeyUsage SIGN_VERIFY
    /// (SigningAlgorithms from RSASSA_PSS_SHA_256, ...) or ENCRYPT_DECRYPT (EncryptionAlgorithms from ...)".
    pub fn usage_hint(&self) -> String {
        let usages: Vec<String> = self
            .usages
            .iter()
            .map(|usage| format!("{usage} ({} from {})", usage.list_field(), join(&self.algorithm_names(*usage))))
            .collect();
        format!("KeyUsage {}", usages.join(" or "))
    }
}

impl KeyUsage {
    /// The GetPublicKey member that lists the algorithms of this usage.
    pub const fn list_field(self) -> &'static str {
        match self {
            KeyUsage::SignVerify => "SigningAlgorithms",
            KeyUsage::EncryptDecrypt => "EncryptionAlgorithms",
            KeyUsage::KeyAgreement => "KeyAgreementAlgorithms",
            KeyUsage::EncapsulateDecapsulate => "EncapsulationAlgorithms",
            KeyUsage::GenerateVerifyMac => "MacAlgorithms",
        }
    }
}

impl KeySpec {
    /// This spec's rule from [`KEY_SPEC_RULES`].
    pub fn rule(self) -> &'static KeySpecRule {
        // The table has one entry per variant in declaration order (checked by a unit test).
        &KEY_SPEC_RULES[self as usize]
    }

    /// Whether this build has the key family (Cargo features): keys of a spec left out do not load.
    /// Specs without a public key are "in" every build: they are refused for what they are.
    pub fn in_build(self) -> bool {
        match self.rule().key_type {
            KeyType::NoPublicKey => true,
            KeyType::Rsa { .. } => cfg!(feature = "rsa"),
            KeyType::Ec(Curve::P256) => cfg!(feature = "p256"),
            KeyType::Ec(Curve::P384) => cfg!(feature = "p384"),
            KeyType::Ec(Curve::P521) => cfg!(feature = "p521"),
            KeyType::Ec(Curve::Secp256k1) => cfg!(feature = "secp256k1"),
            KeyType::Ec(Curve::Sm2) => cfg!(feature = "sm2"),
            KeyType::Ed25519 => cfg!(feature = "ed25519"),
            KeyType::MlDsa(_) => cfg!(feature = "ml-dsa"),
            KeyType::MlKem(_) => cfg!(feature = "ml-kem"),
        }
    }

    /// Whether the spec is a value of the legacy `CustomerMasterKeySpec` enum.
    pub fn is_customer_master_key_spec(self) -> bool {
        CUSTOMER_MASTER_KEY_SPECS.contains(&self)
    }
}

/// A hash KMS applies to a RAW message before signing (or its mu/XOF for ML-DSA).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    Sha256,
    Sha384,
    Sha512,
    Sm3,
    Shake256,
}

impl HashAlg {
    /// Digest length that `MessageType: DIGEST` must have (for SHAKE256: the ML-DSA mu length).
    pub const fn output_len(self) -> usize {
        match self {
            HashAlg::Sha256 | HashAlg::Sm3 => 32,
            HashAlg::Sha384 => 48,
            HashAlg::Sha512 | HashAlg::Shake256 => 64,
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
            HashAlg::Sm3 => "SM3",
            HashAlg::Shake256 => "SHAKE256",
        }
    }
}

/// How the signature bytes are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// RFC 8017 RSASSA-PSS, MGF1 with the same hash, salt length = hash length; signature = k bytes.
    RsaPss,
    /// RFC 8017 RSASSA-PKCS1-v1_5 with DigestInfo; signature = k bytes.
    RsaPkcs1v15,
    /// ECDSA, DER `Ecdsa-Sig-Value` (X9.62 / RFC 3279); high-S accepted as KMS accepts it.
    Ecdsa,
    /// SM2 signature (GM/T 0003.2), DER SEQUENCE {r, s}; RAW hashes Z_A ‖ M with ID 1234567812345678.
    Sm2,
    /// Pure Ed25519 (RFC 8032), 64-byte R ‖ S.
    Ed25519,
    /// HashEdDSA Ed25519ph over the 64-byte DIGEST (KMS hashes the digest once more), empty context.
    Ed25519ph,
    /// Pure ML-DSA (FIPS 204) with an empty context; EXTERNAL_MU verifies against mu directly.
    MlDsa,
}

impl SignatureScheme {
    /// The form of the signature bytes, as an error names them: "the DER signature" is ECDSA's alone.
    pub const fn form(self) -> &'static str {
        match self {
            SignatureScheme::RsaPss => "RSASSA-PSS",
            SignatureScheme::RsaPkcs1v15 => "RSASSA-PKCS1-v1_5",
            SignatureScheme::Ecdsa => "DER",
            SignatureScheme::Sm2 => "SM2 DER",
            SignatureScheme::Ed25519 => "Ed25519",
            SignatureScheme::Ed25519ph => "Ed25519ph",
            SignatureScheme::MlDsa => "ML-DSA",
        }
    }
}

/// One signing algorithm's rule (KMS-RULES.md §4.2).
#[derive(Debug)]
pub struct SigningRule {
    pub algorithm: SigningAlgorithm,
    pub scheme: SignatureScheme,
    pub hash: HashAlg,
    /// Message types KMS accepts with this algorithm.
    pub message_types: &'static [MessageType],
}

const RAW_OR_DIGEST: &[MessageType] = &[MessageType::Raw, MessageType::Digest];

const fn signing(algorithm: SigningAlgorithm, scheme: SignatureScheme, hash: HashAlg) -> SigningRule {
    SigningRule { algorithm, scheme, hash, message_types: RAW_OR_DIGEST }
}

/// The signing algorithm table, one entry per `SigningAlgorithm` value.
pub static SIGNING_RULES: &[SigningRule] = &[
    signing(S::RsassaPssSha256, SignatureScheme::RsaPss, HashAlg::Sha256),
    signing(S::RsassaPssSha384, SignatureScheme::RsaPss, HashAlg::Sha384),
    signing(S::RsassaPssSha512, SignatureScheme::RsaPss, HashAlg::Sha512),
    signing(S::RsassaPkcs1V15Sha256, SignatureScheme::RsaPkcs1v15, HashAlg::Sha256),
    signing(S::RsassaPkcs1V15Sha384, SignatureScheme::RsaPkcs1v15, HashAlg::Sha384),
    signing(S::RsassaPkcs1V15Sha512, SignatureScheme::RsaPkcs1v15, HashAlg::Sha512),
    signing(S::EcdsaSha256, SignatureScheme::Ecdsa, HashAlg::Sha256),
    signing(S::EcdsaSha384, SignatureScheme::Ecdsa, HashAlg::Sha384),
    signing(S::EcdsaSha512, SignatureScheme::Ecdsa, HashAlg::Sha512),
    signing(S::Sm2Dsa, SignatureScheme::Sm2, HashAlg::Sm3),
    // ML-DSA hashes internally (mu); KMS takes RAW, or the 64-byte mu as EXTERNAL_MU, never DIGEST.
    SigningRule {
        message_types: &[MessageType::Raw, MessageType::ExternalMu],
        ..signing(S::MlDsaShake256, SignatureScheme::MlDsa, HashAlg::Shake256)
    },
    // The two Ed25519 algorithms pin the message type: "These message types cannot be used interchangeably".
    SigningRule {
        message_types: &[MessageType::Raw],
        ..signing(S::Ed25519Sha512, SignatureScheme::Ed25519, HashAlg::Sha512)
    },
    SigningRule {
        message_types: &[MessageType::Digest],
        ..signing(S::Ed25519PhSha512, SignatureScheme::Ed25519ph, HashAlg::Sha512)
    },
];

impl SigningAlgorithm {
    /// This algorithm's rule from [`SIGNING_RULES`].
    pub fn rule(self) -> &'static SigningRule {
        &SIGNING_RULES[self as usize]
    }
}

/// How an encryption algorithm pads, and what it limits (KMS-RULES.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EncryptionScheme {
    /// AES-256-GCM inside KMS: no public key, never offline.
    Symmetric,
    /// RSAES-OAEP with this hash for both OAEP and MGF1, empty label.
    RsaOaep(OaepHash),
    /// GM/T 0003.4 SM2 public-key encryption with SM3, DER output.
    Sm2Pke,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OaepHash {
    Sha1,
    Sha256,
}

impl OaepHash {
    pub const fn output_len(self) -> usize {
        match self {
            OaepHash::Sha1 => 20,
            OaepHash::Sha256 => 32,
        }
    }
}

/// Largest SM2PKE plaintext KMS decrypts.
pub const SM2PKE_MAX_PLAINTEXT: usize = 1024;

impl EncryptionAlgorithm {
    pub const fn scheme(self) -> EncryptionScheme {
        match self {
            EncryptionAlgorithm::SymmetricDefault => EncryptionScheme::Symmetric,
            EncryptionAlgorithm::RsaesOaepSha1 => EncryptionScheme::RsaOaep(OaepHash::Sha1),
            EncryptionAlgorithm::RsaesOaepSha256 => EncryptionScheme::RsaOaep(OaepHash::Sha256),
            EncryptionAlgorithm::Sm2Pke => EncryptionScheme::Sm2Pke,
        }
    }

    /// Largest plaintext KMS accepts for this algorithm with a key of `key_type`:
    /// RSA `k − 2·hLen − 2` (214/190, 342/318, 470/446), SM2PKE 1024.
    pub fn max_plaintext(self, key_type: KeyType) -> Option<usize> {
        match (self.scheme(), key_type) {
            (EncryptionScheme::RsaOaep(hash), KeyType::Rsa { bits }) => Some(bits / 8 - 2 * hash.output_len() - 2),
            (EncryptionScheme::Sm2Pke, KeyType::Ec(Curve::Sm2)) => Some(SM2PKE_MAX_PLAINTEXT),
            _ => None,
        }
    }
}

/// `"A, B, C"`: the allowed values in an error message.
pub fn join<T: fmt::Display>(values: &[T]) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&v.to_string());
    }
    out
}

/// Echoes user text in an error message without letting a huge or binary value flood it.
pub(crate) fn printable(text: &str) -> String {
    let mut out: String = text.chars().take(64).map(|c| if c.is_control() { '?' } else { c }).collect();
    if text.chars().count() > 64 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_indexed_by_variant() {
        assert_eq!(KEY_SPEC_RULES.len(), KeySpec::ALL.len());
        for spec in KeySpec::ALL {
            assert_eq!(spec.rule().spec, *spec);
        }
        assert_eq!(SIGNING_RULES.len(), SigningAlgorithm::ALL.len());
        for alg in SigningAlgorithm::ALL {
            assert_eq!(alg.rule().algorithm, *alg);
        }
    }

    #[test]
    fn every_signing_algorithm_belongs_to_some_spec() {
        for alg in SigningAlgorithm::ALL {
            assert!(KEY_SPEC_RULES.iter().any(|r| r.signing.contains(alg)), "{alg} has no key spec");
        }
    }

    #[test]
    fn oaep_limits_match_kms_table() {
        let limit = |spec: KeySpec, alg| alg_max(spec, alg);
        fn alg_max(spec: KeySpec, alg: EncryptionAlgorithm) -> usize {
            alg.max_plaintext(spec.rule().key_type).unwrap()
        }
        assert_eq!(limit(KeySpec::Rsa2048, E::RsaesOaepSha1), 214);
        assert_eq!(limit(KeySpec::Rsa2048, E::RsaesOaepSha256), 190);
        assert_eq!(limit(KeySpec::Rsa3072, E::RsaesOaepSha1), 342);
        assert_eq!(limit(KeySpec::Rsa3072, E::RsaesOaepSha256), 318);
        assert_eq!(limit(KeySpec::Rsa4096, E::RsaesOaepSha1), 470);
        assert_eq!(limit(KeySpec::Rsa4096, E::RsaesOaepSha256), 446);
        assert_eq!(limit(KeySpec::Sm2, E::Sm2Pke), 1024);
    }

    #[test]
    fn parse_error_lists_allowed_values() {
        let err = KeyUsage::parse("SIGN", "KeyUsage").unwrap_err();
        assert_eq!(err.name(), "ValidationException");
        assert!(err.message().contains("'KeyUsage'"));
        assert!(err.message().contains("SIGN_VERIFY, ENCRYPT_DECRYPT"));
    }
}
