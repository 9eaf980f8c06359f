//! One error type for the whole library. Its kind is the exception KMS itself would raise for the
//! same request, so code written against KMS error names works unchanged against this library.

use core::fmt;

/// The KMS exception a refused request maps to. [`ErrorKind::name`] is the exact KMS spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A parameter breaks a KMS constraint: size, enum value, message type, encoding.
    Validation,
    /// The key's usage, key spec or algorithm list does not allow the operation or algorithm.
    InvalidKeyUsage,
    /// The key or parameter is not supported for the operation (e.g. a key with no public key).
    UnsupportedOperation,
    /// A KeyId that looks like an ARN but is not a valid one.
    InvalidArn,
    /// The signature does not verify (only from the throwing form of verify).
    InvalidSignature,
    /// A ciphertext that KMS would refuse to decrypt or decapsulate.
    InvalidCiphertext,
    /// The library could not do its own work (e.g. no secure randomness on this platform).
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order: the one list of the exception names this library throws
    /// (the TS type `KmsError["name"]`, `KmsPublicKey.exceptionNames()`, the CLI, fuzz and tests read it).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::Validation,
        ErrorKind::InvalidKeyUsage,
        ErrorKind::UnsupportedOperation,
        ErrorKind::InvalidArn,
        ErrorKind::InvalidSignature,
        ErrorKind::InvalidCiphertext,
        ErrorKind::Internal,
    ];

    /// The KMS exception name, e.g. `ValidationException`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::Validation => "ValidationException",
            ErrorKind::InvalidKeyUsage => "InvalidKeyUsageException",
            ErrorKind::UnsupportedOperation => "UnsupportedOperationException",
            ErrorKind::InvalidArn => "InvalidArnException",
            ErrorKind::InvalidSignature => "KMSInvalidSignatureException",
            ErrorKind::InvalidCiphertext => "InvalidCiphertextException",
            ErrorKind::Internal => "KMSInternalException",
        }
    }
}

/// Who refuses: KMS itself (a rule of the service, which KMS would answer with the same exception), or this
/// library before any rule applies, because an input is not what it must be (text that is not base64, PEM or
/// JSON, bytes that are not a public key, a JS value of the wrong type). The page and the CLI say "KMS would
/// refuse this request" only for the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorOrigin {
    KmsRule,
    Input,
}

/// Declares [`Rule`]: each variant with its stable code, and the list of all of them.
macro_rules! rules {
    ($($(#[$meta:meta])* $variant:ident = $code:literal,)+) => {
        /// Which rule a refusal breaks, as a stable code (kebab-case, [`Rule::code`]) that never changes with the
        /// English wording: the page, the CLI and `kms-offline/messages` render a sentence in the reader's language
        /// from it and the error's [`params`](KmsError::params). One code per rule of the README's rules table, plus
        /// the common input errors; anything else is [`Rule::Other`] (its English message is the explanation).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Rule { $($(#[$meta])* $variant,)+ }

        impl Rule {
            /// Every rule, in declaration order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)+];

            /// The stable code, e.g. `key-usage-not-for-spec`.
            pub const fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)+ }
            }
        }
    };
}

rules! {
    /// No specific code: the English message is the explanation.
    Other = "other",
    // Loading a key: the PublicKey.
    /// Input that is no public key (`found`: binary, json, text, pem, certificate, pkcs1, private-key,
    /// ec-private-key, signature, der).
    NotAPublicKey = "not-a-public-key",
    /// A PublicKey over KMS's size (`size`, `max`).
    PublicKeyTooLarge = "public-key-too-large",
    /// The SPKI is not the key KeySpec names (`keySpec`, `detail`; `detected` when the key is another KMS spec).
    PublicKeyMismatch = "public-key-mismatch",
    // Loading a key: the metadata.
    /// KeySpec missing (`detected`: the KeySpec of the public key, when it has one; `keySpecs` otherwise).
    KeySpecRequired = "key-spec-required",
    /// KeySpec and CustomerMasterKeySpec differ (`keySpec`, `customerMasterKeySpec`).
    KeySpecConflict = "key-spec-conflict",
    /// KeyUsage missing (`keySpec`, `keyUsages`).
    KeyUsageRequired = "key-usage-required",
    /// The algorithm list of the key's usage missing or empty (`field`, `keyUsage`, `keySpec`, `allowed`).
    AlgorithmsRequired = "algorithms-required",
    /// An algorithm list of another usage than the key's (`field`, `keyUsage`, `expected`: the key's list).
    AlgorithmsOfOtherUsage = "algorithms-of-other-usage",
    /// A value of another algorithm enum in a list (`value`, `field`, `list`).
    AlgorithmInWrongList = "algorithm-in-wrong-list",
    /// A value outside a KMS enum (`value`, `field`, `allowed`).
    EnumValue = "enum-value",
    /// A KeySpec of KMS enum shape this version does not know (`field`, `value`, `keySpecs`).
    UnknownKeySpec = "unknown-key-spec",
    /// A KeyUsage of KMS enum shape this version does not know (`value`, `keySpec`).
    UnknownKeyUsage = "unknown-key-usage",
    /// A request names an algorithm the key lists that this version does not know (`value`, `field`, `allowed`).
    UnknownAlgorithm = "unknown-algorithm",
    /// SYMMETRIC_DEFAULT or HMAC_* (`keySpec`).
    NoPublicKey = "no-public-key",
    /// A key family this build does not include (`keySpec`, `keySpecs`).
    NotInBuild = "not-in-build",
    /// The KeyUsage is not one the KeySpec allows (`keyUsage`, `keySpec`, `allowed`).
    KeyUsageNotForSpec = "key-usage-not-for-spec",
    /// A listed or requested algorithm the KeySpec does not allow (`algorithm`, `keySpec`, `allowed`).
    AlgorithmNotForSpec = "algorithm-not-for-spec",
    /// A requested algorithm the key's list does not have (`algorithm`, `field`, `allowed`).
    AlgorithmNotListed = "algorithm-not-listed",
    /// A KeyId starting with `arn:` that is no KMS ARN (`value`, `part`: fields, partition, service, region,
    /// account, key-id, alias, resource).
    InvalidArn = "invalid-arn",
    /// A KeyId of no KMS form, or too long (`value` or `max`).
    InvalidKeyId = "invalid-key-id",
    // Requests.
    /// The operation needs another KeyUsage (`keyUsage`, `operation`, `required`).
    WrongKeyUsage = "wrong-key-usage",
    /// A blob outside 1..=max bytes (`field`, `size`, `max`).
    BlobLength = "blob-length",
    /// A digest or mu of the wrong size (`algorithm`, `messageType`, `size`, `expected`).
    DigestLength = "digest-length",
    /// A MessageType the algorithm does not take (`messageType`, `algorithm`, `allowed`).
    MessageTypeNotForAlgorithm = "message-type-not-for-algorithm",
    /// Plaintext over the algorithm's limit for the key (`algorithm`, `keySpec`, `size`, `max`).
    PlaintextTooLong = "plaintext-too-long",
    /// An EncryptionContext with an asymmetric key.
    EncryptionContext = "encryption-context",
    /// An ECDH private key that is no PKCS#8 key on the KMS key's curve (`curve`).
    EcdhPrivateKey = "ecdh-private-key",
    /// No secure random source.
    NoRandomness = "no-randomness",
    // Local input errors.
    /// A required member is missing (`member`).
    MissingMember = "missing-member",
    /// A value is empty (`field`).
    Empty = "empty",
    /// Text that is not base64 (`field`).
    NotBase64 = "not-base64",
    /// A value of the wrong size for what it is (`field`, `size`, `min`, `max`).
    WrongSize = "wrong-size",
    /// A text encoding member other than utf8 or base64 (`field`, `value`).
    TextEncoding = "text-encoding",
    /// Bytes that are neither DER nor PEM/base64 text (`field`).
    NotDerOrPem = "not-der-or-pem",
    /// A string of free length without its encoding member (`field`, `encodingMember` when there is one).
    StringNeedsEncoding = "string-needs-encoding",
    /// JSON that is not GetPublicKey output.
    JsonShape = "json-shape",
    // Signing formats (DSSE, X.509).
    /// To-be-signed bytes over KMS's RAW limit for an algorithm without a digest form, Ed25519 (`algorithm`,
    /// `part`: dsse-pae or x509-tbs, `size`, `max`).
    RawMessageTooLong = "raw-message-too-long",
    /// RSASSA-PSS parameters KMS cannot have made (`detail`: absent, malformed, hash, hash-parameters, mgf,
    /// mgf-hash-parameters, mgf-hash, salt-length).
    PssParameters = "pss-parameters",
    /// A SigningAlgorithm with no X.509 AlgorithmIdentifier, ED25519_PH_SHA_512 (`algorithm`, `allowed`).
    NoX509Algorithm = "no-x509-algorithm",
    /// An X.509 signature algorithm OID KMS never signs with (`oid`, `allowed`).
    X509AlgorithmNotKms = "x509-algorithm-not-kms",
    /// AlgorithmIdentifier parameters other than RFC 4055/5758/8410 and FIPS 204's OIDs write (`algorithm`,
    /// `expected`: null-or-absent or absent).
    X509AlgorithmParameters = "x509-algorithm-parameters",
    /// A DSSE signing request for a key with several DSSE algorithms that names none (`allowed`).
    DsseAlgorithmRequired = "dsse-algorithm-required",
    /// A keyid given for a DSSE signature that names another key than this one (`value`, `keyId`).
    DsseKeyidNotThisKey = "dsse-keyid-not-this-key",
    /// A malformed certificate, CSR or CRL (`kind`: certificate, certificateRequest, crl; `part`: der, pem,
    /// pem-label (with `value`), algorithm-mismatch, unused-bits).
    MalformedX509 = "malformed-x509",
    /// A malformed DSSE envelope (`part`: size, payload-size (of a signing request), signatures,
    /// signature-count, member, signature-object, base64; with `size` and `max`, `member`, or `field`).
    MalformedDsseEnvelope = "malformed-dsse-envelope",
    /// Text that is no RFC 4514 distinguished name (`field`, `value`).
    InvalidDistinguishedName = "invalid-distinguished-name",
    // The AWS Encryption SDK message writer.
    /// No ESDK keyring exists for the key (`keySpec`, `keyUsage`).
    EsdkNoKeyring = "esdk-no-keyring",
    /// A signing AlgorithmSuite with the AWS KMS RSA keyring (`value`, `allowed`).
    EsdkSigningSuite = "esdk-signing-suite",
    /// An AlgorithmSuite the writer does not emit (`value`, `allowed`).
    EsdkAlgorithmSuite = "esdk-algorithm-suite",
    /// An EncryptionAlgorithm with an ECDH (KEY_AGREEMENT) key.
    EsdkEncryptionAlgorithmForEcdh = "esdk-encryption-algorithm-for-ecdh",
    /// An EncryptionContext key starting with `aws-crypto-` (`value`).
    EsdkReservedContextKey = "esdk-reserved-context-key",
    /// An EncryptionContext over the header's limit (`max`).
    EsdkContextTooLarge = "esdk-context-too-large",
    /// A FrameLength outside 1..=max (`size`, `max`).
    EsdkFrameLength = "esdk-frame-length",
    /// A plaintext needing more frames than a message has (`size`: the FrameLength).
    EsdkTooManyFrames = "esdk-too-many-frames",
    /// The RSA keyring needs the key ARN as KeyId (`value`: the KeyId, empty when there is none).
    EsdkKeyArnRequired = "esdk-key-arn-required",
}

/// A parameter of a refusal: what a sentence in any language needs beside the rule (a value, a list of allowed
/// values, a size). KMS names are kept as KMS spells them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    Text(String),
    List(Vec<String>),
    Number(u64),
}

impl From<&str> for Param {
    fn from(text: &str) -> Self {
        Param::Text(text.to_owned())
    }
}

impl From<String> for Param {
    fn from(text: String) -> Self {
        Param::Text(text)
    }
}

impl From<usize> for Param {
    fn from(n: usize) -> Self {
        Param::Number(n as u64)
    }
}

impl<T: fmt::Display> From<&[T]> for Param {
    fn from(values: &[T]) -> Self {
        Param::List(values.iter().map(ToString::to_string).collect())
    }
}

impl<T: fmt::Display> From<&Vec<T>> for Param {
    fn from(values: &Vec<T>) -> Self {
        values.as_slice().into()
    }
}

/// A refused request: which KMS exception, a message naming the rule and what is allowed, and the same as a
/// stable [`Rule`] code with its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KmsError {
    kind: ErrorKind,
    origin: ErrorOrigin,
    message: String,
    rule: Rule,
    params: Vec<(&'static str, Param)>,
}

impl KmsError {
    /// A refusal by a KMS rule.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        KmsError { kind, origin: ErrorOrigin::KmsRule, message: message.into(), rule: Rule::Other, params: Vec::new() }
    }

    /// A ValidationException for a KMS rule (a size, an enum value, a message type...).
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    /// A ValidationException for an input that is not what it must be, before any KMS rule applies
    /// (see [`ErrorOrigin::Input`]).
    pub fn input(message: impl Into<String>) -> Self {
        KmsError { origin: ErrorOrigin::Input, ..Self::validation(message) }
    }

    /// The same error with its stable rule code.
    #[inline(never)]
    pub fn rule_code(self, rule: Rule) -> Self {
        KmsError { rule, ..self }
    }

    /// The same error with one more parameter for [`rule`](Self::rule).
    pub fn param(self, name: &'static str, value: impl Into<Param>) -> Self {
        self.push_param(name, value.into())
    }

    /// One copy of the push for every call site of [`param`](Self::param) (wasm size).
    #[inline(never)]
    fn push_param(mut self, name: &'static str, value: Param) -> Self {
        self.params.push((name, value));
        self
    }

    /// The same error (kind, rule, parameters) with a fuller English message.
    pub(crate) fn reworded(self, message: String) -> Self {
        KmsError { message, ..self }
    }

    /// The rule the request breaks ([`Rule::Other`] when it has no specific code).
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The rule's parameters, by name (`keySpec`, `allowed`, `size`...).
    pub fn params(&self) -> &[(&'static str, Param)] {
        &self.params
    }

    pub fn invalid_key_usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidKeyUsage, message)
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::UnsupportedOperation, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The KMS exception name, e.g. `InvalidKeyUsageException`.
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error as a local input error (e.g. every refusal while loading a key: there is no KMS
    /// request to refuse, only GetPublicKey output or a public key that is not what KMS returns).
    pub fn into_input(self) -> Self {
        KmsError { origin: ErrorOrigin::Input, ..self }
    }

    pub fn origin(&self) -> ErrorOrigin {
        self.origin
    }

    /// Whether KMS itself would refuse the request with this exception (not a local input error).
    pub fn is_kms_rule(&self) -> bool {
        self.origin == ErrorOrigin::KmsRule
    }
}

impl fmt::Display for KmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for KmsError {}

pub type Result<T, E = KmsError> = core::result::Result<T, E>;
