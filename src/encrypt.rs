//! Encrypt for KMS `Decrypt`, offline. The rules come first: a key that is not ENCRYPT_DECRYPT, an
//! algorithm KMS does not list, a plaintext over the limit would give a ciphertext nobody can ever
//! decrypt, so each is refused before any encryption happens (KMS-RULES.md §3).

use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::key::KmsPublicKey;
use crate::spec::{EncryptionAlgorithm, KeyUsage, limits};
use crate::scrub::SecretBytes;
use zeroize::Zeroizing;

/// The members of a KMS Encrypt request that matter offline.
#[derive(Clone, Copy, Debug)]
pub struct EncryptRequest<'a> {
    pub plaintext: &'a [u8],
    pub encryption_algorithm: EncryptionAlgorithm,
    /// Number of EncryptionContext pairs given. KMS takes none with an asymmetric key, so any is refused.
    pub encryption_context_pairs: usize,
}

/// What KMS Encrypt returns: the ciphertext to pass to `aws kms decrypt` with the same algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptResponse {
    pub key_id: Option<String>,
    pub ciphertext_blob: Vec<u8>,
    pub encryption_algorithm: EncryptionAlgorithm,
}

/// The rules of an Encrypt request that hold whatever its plaintext is (key usage, the algorithm for the key
/// spec and the key's list, no EncryptionContext), evaluated once, when made. Whether a string Plaintext needs an
/// encoding depends on them (`crate::string_rules`); [`check`](Self::check) completes them with the plaintext's
/// rules, reporting the first broken in KMS's order.
#[derive(Debug)]
pub struct EncryptRules {
    encryption_algorithm: EncryptionAlgorithm,
    /// The most plaintext bytes the algorithm takes with the key, or the refusal.
    refusal: core::result::Result<usize, KmsError>,
    /// For the refusal of a plaintext over `max`.
    key_spec: crate::spec::KeySpec,
}

/// An Encrypt request that passed every KMS rule, with the key that checked it. Only [`EncryptRules::check`]
/// (or [`check_owned`](EncryptRules::check_owned)) makes one, so a request is checked once on every path:
/// the synchronous one, and WebCrypto's with its synchronous fallback.
#[derive(Debug)]
pub struct CheckedEncrypt<'a> {
    plaintext: SecretBytes<'a>,
    encryption_algorithm: EncryptionAlgorithm,
}

impl EncryptRules {
    /// Evaluates the rules of `algorithm` and the context for `key` (counted in `verify::rule_checks`).
    pub fn new(key: &KmsPublicKey, encryption_algorithm: EncryptionAlgorithm, encryption_context_pairs: usize) -> Self {
        crate::verify::rule_checks::count();
        EncryptRules { encryption_algorithm, refusal: key_rules(key, encryption_algorithm, encryption_context_pairs), key_spec: key.key_spec() }
    }

    /// Whether KMS refuses the request whatever the plaintext is.
    pub fn refused_whatever_plaintext(&self) -> bool {
        self.refusal.is_err()
    }

    /// The request with `plaintext`, or the first rule it breaks in the order KMS reports them: the
    /// plaintext's length, the rules evaluated in [`new`](Self::new), the algorithm's maximum.
    pub fn check(self, plaintext: &[u8]) -> Result<CheckedEncrypt<'_>> {
        self.check_plaintext(SecretBytes::Borrowed(plaintext))
    }

    /// [`check`](Self::check) of a plaintext the checked request keeps (and wipes).
    pub fn check_owned(self, plaintext: Zeroizing<Vec<u8>>) -> Result<CheckedEncrypt<'static>> {
        self.check_plaintext(SecretBytes::Owned(plaintext))
    }

    fn check_plaintext(self, plaintext: SecretBytes<'_>) -> Result<CheckedEncrypt<'_>> {
        let len = plaintext.len();
        if !(1..=limits::MAX_MESSAGE).contains(&len) {
            return Err(KmsError::validation(format!(
                "Plaintext is {len} bytes: KMS Encrypt takes 1 to {} bytes",
                limits::MAX_MESSAGE
            ))
            .rule_code(Rule::BlobLength)
            .param("field", "Plaintext")
            .param("size", len)
            .param("max", limits::MAX_MESSAGE));
        }
        let max = self.refusal?;
        let (algorithm, spec) = (self.encryption_algorithm, self.key_spec);
        if len > max {
            return Err(KmsError::validation(format!(
                "Plaintext is {len} bytes: {algorithm} with {spec} encrypts at most {max} bytes. Encrypt a data key with it instead (envelope encryption)"
            ))
            .rule_code(Rule::PlaintextTooLong)
            .param("algorithm", algorithm.as_str())
            .param("keySpec", spec.as_str())
            .param("size", len)
            .param("max", max));
        }
        Ok(CheckedEncrypt { plaintext, encryption_algorithm: algorithm })
    }
}

impl CheckedEncrypt<'_> {
    pub fn plaintext(&self) -> &[u8] {
        &self.plaintext
    }

    pub fn encryption_algorithm(&self) -> EncryptionAlgorithm {
        self.encryption_algorithm
    }
}

/// The rules that hold whatever the plaintext is, in the order KMS reports them; the plaintext maximum.
fn key_rules(key: &KmsPublicKey, algorithm: EncryptionAlgorithm, encryption_context_pairs: usize) -> Result<usize> {
    if key.key_usage() != KeyUsage::EncryptDecrypt {
        let who = key.key_id().unwrap_or("this key");
        return Err(KmsError::invalid_key_usage(format!(
            "{who} key usage is {} which is not valid for Encrypt: KMS would never decrypt data encrypted with it. Encrypt needs a key with KeyUsage ENCRYPT_DECRYPT",
            key.key_usage()
        ))
        .rule_code(Rule::WrongKeyUsage)
        .param("keyUsage", key.key_usage().as_str())
        .param("operation", "Encrypt")
        .param("required", KeyUsage::EncryptDecrypt.as_str()));
    }
    let spec = key.key_spec();
    key.require_algorithm(algorithm, spec.rule().encryption, &key.metadata().encryption_algorithms)?;
    if encryption_context_pairs > 0 {
        return Err(KmsError::validation(
            "EncryptionContext is not supported with asymmetric KMS keys: KMS Decrypt would refuse the ciphertext. Omit it",
        )
        .rule_code(Rule::EncryptionContext));
    }
    Ok(algorithm.max_plaintext(spec.rule().key_type).unwrap_or(0))
}

impl KmsPublicKey {
    /// Encrypts so that KMS Decrypt (same key, same EncryptionAlgorithm) recovers the plaintext.
    pub fn encrypt(&self, request: &EncryptRequest<'_>) -> Result<EncryptResponse> {
        self.encrypt_checked(&self.check_encrypt_request(request)?)
    }

    /// Every KMS rule for an Encrypt request with this key.
    pub fn check_encrypt(&self, request: &EncryptRequest<'_>) -> Result<()> {
        self.check_encrypt_request(request).map(drop)
    }

    /// Every KMS rule for an Encrypt request with this key, each checked once: the request
    /// [`encrypt_checked`](Self::encrypt_checked) takes.
    pub fn check_encrypt_request<'a>(&self, request: &EncryptRequest<'a>) -> Result<CheckedEncrypt<'a>> {
        EncryptRules::new(self, request.encryption_algorithm, request.encryption_context_pairs).check(request.plaintext)
    }

    /// Encrypts a request that passed every rule (checked with this key).
    pub fn encrypt_checked(&self, checked: &CheckedEncrypt<'_>) -> Result<EncryptResponse> {
        crate::scrub::wiping_stack(|| {
            let plaintext = checked.plaintext();
            // The key spec table pairs every algorithm with its key type, so the family always has one.
            let ciphertext_blob = self
                .material
                .encrypt(&self.comb, checked.encryption_algorithm.scheme(), plaintext)
                .ok_or_else(|| KmsError::new(ErrorKind::Internal, "the key spec table paired an algorithm with the wrong key type"))??;
            Ok(EncryptResponse {
                key_id: self.key_id().map(str::to_owned),
                ciphertext_blob,
                encryption_algorithm: checked.encryption_algorithm,
            })
        })
    }
}
