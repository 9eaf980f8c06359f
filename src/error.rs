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

/// A refused request: which KMS exception, and a message naming the rule and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KmsError {
    kind: ErrorKind,
    message: String,
}

impl KmsError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        KmsError { kind, message: message.into() }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
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
}

impl fmt::Display for KmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for KmsError {}

pub type Result<T, E = KmsError> = core::result::Result<T, E>;
