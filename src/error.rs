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

/// A refused request: which KMS exception, and a message naming the rule and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KmsError {
    kind: ErrorKind,
    origin: ErrorOrigin,
    message: String,
}

impl KmsError {
    /// A refusal by a KMS rule.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        KmsError { kind, origin: ErrorOrigin::KmsRule, message: message.into() }
    }

    /// A ValidationException for a KMS rule (a size, an enum value, a message type...).
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    /// A ValidationException for an input that is not what it must be, before any KMS rule applies
    /// (see [`ErrorOrigin::Input`]).
    pub fn input(message: impl Into<String>) -> Self {
        KmsError { kind: ErrorKind::Validation, origin: ErrorOrigin::Input, message: message.into() }
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
