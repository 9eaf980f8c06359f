//! KMS `Verify`, offline. Every rule KMS applies is checked first, from the tables in `spec`; only a
//! request KMS would accept reaches the signature check, whose answer is a plain true or false.

use crate::signature_format::{SignatureFormat, p1363_to_der};
use std::borrow::Cow;
use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::key::KmsPublicKey;
use crate::spec::{KeyType, KeyUsage, MessageType, SignatureScheme, SigningAlgorithm, SigningRule, join, limits};

/// The members of a KMS Verify request that matter offline.
#[derive(Clone, Copy, Debug)]
pub struct VerifyRequest<'a> {
    /// The message (RAW), its digest (DIGEST) or the ML-DSA mu (EXTERNAL_MU).
    pub message: &'a [u8],
    pub signature: &'a [u8],
    pub signing_algorithm: SigningAlgorithm,
    /// KMS's default is RAW.
    pub message_type: MessageType,
}

/// KMS's Verify response for a valid signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyResponse {
    pub key_id: Option<String>,
    pub signature_valid: bool,
    pub signing_algorithm: SigningAlgorithm,
}

impl KmsPublicKey {
    /// Verifies as KMS Verify decides: `Ok(true)` or `Ok(false)` for a request KMS would accept
    /// (malformed signature bytes are `false`), `Err` with the KMS exception for one it would refuse.
    pub fn verify(&self, request: &VerifyRequest<'_>) -> Result<bool> {
        self.verify_formatted(request, SignatureFormat::Der)
    }

    /// [`verify`](Self::verify) for a signature in `format`. P1363 applies to ECDSA and SM2DSA: it is
    /// converted to the DER KMS checks; a P1363 signature of the wrong length or out of range is `false`,
    /// as a malformed DER signature is.
    pub fn verify_formatted(&self, request: &VerifyRequest<'_>, format: SignatureFormat) -> Result<bool> {
        Ok(self.verify_checked(&self.check_verify(request, format)?))
    }

    /// Like [`verify`](Self::verify), but an invalid signature is `KMSInvalidSignatureException`, as
    /// KMS itself reports it (KMS never returns `SignatureValid: false`).
    pub fn verify_or_error(&self, request: &VerifyRequest<'_>) -> Result<VerifyResponse> {
        self.verify_formatted_or_error(request, SignatureFormat::Der)
    }

    /// [`verify_or_error`](Self::verify_or_error) for a signature in `format`.
    pub fn verify_formatted_or_error(&self, request: &VerifyRequest<'_>, format: SignatureFormat) -> Result<VerifyResponse> {
        self.verify_checked_or_error(&self.check_verify(request, format)?)
    }

    /// Every KMS rule of `request` with a signature in `format`, each checked once: the request
    /// [`verify_checked`](Self::verify_checked) takes.
    pub fn check_verify<'a>(&self, request: &VerifyRequest<'a>, format: SignatureFormat) -> Result<CheckedVerify<'a>> {
        VerifyRules::new(self, request.signing_algorithm, request.message_type, format).check(Cow::Borrowed(request.message), Cow::Borrowed(request.signature))
    }

    /// The signature check of a request that passed every rule (checked with this key): KMS's answer.
    pub fn verify_checked(&self, checked: &CheckedVerify<'_>) -> bool {
        let request = checked.request();
        let der;
        let signature = match checked.format {
            SignatureFormat::Der => request.signature,
            // Only ECDSA and SM2 get here with P1363 (VerifyRules), so the key has a curve.
            SignatureFormat::P1363 => match self.key_spec().rule().key_type {
                KeyType::Ec(curve) => match p1363_to_der(request.signature, curve) {
                    Ok(converted) => {
                        der = converted;
                        &der
                    }
                    Err(_) => return false,
                },
                _ => return false,
            },
        };
        self.material.verify(&self.comb, checked.rule, request.message_type, request.message, signature)
    }

    /// [`verify_checked`](Self::verify_checked), with an invalid signature as KMS reports it:
    /// `KMSInvalidSignatureException`.
    pub fn verify_checked_or_error(&self, checked: &CheckedVerify<'_>) -> Result<VerifyResponse> {
        let algorithm = checked.signing_algorithm;
        if self.verify_checked(checked) {
            return Ok(VerifyResponse { key_id: self.key_id().map(str::to_owned), signature_valid: true, signing_algorithm: algorithm });
        }
        let scheme = checked.rule.scheme;
        let form = match (scheme, checked.format) {
            (SignatureScheme::Ecdsa, SignatureFormat::P1363) => "P1363",
            #[cfg(feature = "sm2")]
            (SignatureScheme::Sm2, SignatureFormat::P1363) => "SM2 P1363",
            _ => scheme.form(),
        };
        Err(KmsError::new(
            ErrorKind::InvalidSignature,
            format!("Signature verification failed: the {form} signature was not produced by signing this message with this key and {algorithm}"),
        ))
    }
}

/// The rules of a Verify request that hold whatever its bytes are (key usage, the algorithm for the key spec
/// and the key's list, the message type for the algorithm, the signature format for the algorithm), evaluated
/// once, when made. How a string Message or Signature is read depends on them (`crate::string_rules`), and
/// [`check`](Self::check) completes them with the rules of the bytes, reporting the first broken in KMS's order.
#[derive(Debug)]
pub struct VerifyRules {
    signing_algorithm: SigningAlgorithm,
    message_type: MessageType,
    format: SignatureFormat,
    /// The algorithm's rule, or the refusal of the key usage, algorithm or message type.
    refusal: core::result::Result<&'static SigningRule, KmsError>,
}

/// A Verify request that passed every KMS rule, with the key that checked it. Only [`VerifyRules::check`]
/// makes one, and it owns (or borrows) its bytes, so a request is checked once on every path: the
/// synchronous one, P1363, and WebCrypto's with its synchronous fallback.
#[derive(Clone, Debug)]
pub struct CheckedVerify<'a> {
    message: Cow<'a, [u8]>,
    signature: Cow<'a, [u8]>,
    signing_algorithm: SigningAlgorithm,
    message_type: MessageType,
    format: SignatureFormat,
    rule: &'static SigningRule,
}

impl VerifyRules {
    /// Evaluates the rules of `algorithm`, `message_type` and `format` for `key` (counted in [`rule_checks`]).
    pub fn new(key: &KmsPublicKey, signing_algorithm: SigningAlgorithm, message_type: MessageType, format: SignatureFormat) -> Self {
        rule_checks::count();
        let refusal = key_rules(key, signing_algorithm, message_type);
        VerifyRules { signing_algorithm, message_type, format, refusal }
    }

    /// Whether KMS refuses the request for any bytes (of lengths it accepts): then how its strings read
    /// does not matter, only the refusal.
    pub fn refused_whatever_bytes(&self) -> bool {
        self.refusal.is_err() || !self.format_applies()
    }

    pub fn signing_algorithm(&self) -> SigningAlgorithm {
        self.signing_algorithm
    }

    pub fn message_type(&self) -> MessageType {
        self.message_type
    }

    pub fn format(&self) -> SignatureFormat {
        self.format
    }

    /// P1363 has a meaning for ECDSA and SM2DSA signatures only.
    fn format_applies(&self) -> bool {
        self.format == SignatureFormat::Der || matches!(self.signing_algorithm.rule().scheme, SignatureScheme::Ecdsa | SignatureScheme::Sm2)
    }

    /// The request with these bytes, or the first rule it breaks in the order KMS reports them: the
    /// blob lengths, the rules evaluated in [`new`](Self::new), the digest length, then the signature format.
    pub fn check<'a>(self, message: Cow<'a, [u8]>, signature: Cow<'a, [u8]>) -> Result<CheckedVerify<'a>> {
        let algorithm = self.signing_algorithm;
        check_blob_length("Message", message.len(), limits::MAX_MESSAGE, raw_message_advice(algorithm))?;
        check_blob_length("Signature", signature.len(), limits::MAX_SIGNATURE, "")?;
        let format_applies = self.format_applies();
        let rule = self.refusal?;
        check_message_length(rule, algorithm, self.message_type, message.len())?;
        if !format_applies {
            return Err(KmsError::validation(format!(
                "SignatureFormat P1363 applies to ECDSA and SM2DSA signatures only; {algorithm} signatures have one format: leave SignatureFormat out or use DER (allowed: {})",
                SignatureFormat::ALLOWED
            )));
        }
        Ok(CheckedVerify { message, signature, signing_algorithm: algorithm, message_type: self.message_type, format: self.format, rule })
    }
}

impl CheckedVerify<'_> {
    /// The request as given (the signature in [`format`](Self::format)).
    pub fn request(&self) -> VerifyRequest<'_> {
        VerifyRequest { message: &self.message, signature: &self.signature, signing_algorithm: self.signing_algorithm, message_type: self.message_type }
    }

    pub fn format(&self) -> SignatureFormat {
        self.format
    }

    pub fn rule(&self) -> &'static SigningRule {
        self.rule
    }

    /// The same checked request owning its bytes (for an answer that comes later: WebCrypto's fallback).
    pub fn into_owned(self) -> CheckedVerify<'static> {
        CheckedVerify { message: Cow::Owned(self.message.into_owned()), signature: Cow::Owned(self.signature.into_owned()), ..self }
    }
}

/// How many times a request's KMS rules were evaluated on this thread: one per request on every path
/// (Verify: [`VerifyRules::new`]; Encrypt, DeriveSharedSecret, Encapsulate: their checks). For the tests that
/// prove it (tests/rules_once.rs, tests/js/rules-once.test.mjs); a counter of this thread, so costless.
#[doc(hidden)]
pub mod rule_checks {
    use core::cell::Cell;

    std::thread_local! {
        static COUNT: Cell<u64> = const { Cell::new(0) };
    }

    /// Counted where the paths it proves exist: builds with WebCrypto (the npm main entry, the Rust default).
    /// The single-family entries leave it out (each byte of theirs is budgeted).
    pub(crate) fn count() {
        #[cfg(feature = "webcrypto")]
        COUNT.with(|c| c.set(c.get() + 1));
    }

    /// The evaluations so far on this thread.
    pub fn total() -> u64 {
        COUNT.with(Cell::get)
    }
}

/// The rules that hold whatever the bytes are, in the order KMS reports them: key usage, algorithm for
/// the key spec and the key's list, message type for the algorithm.
fn key_rules(key: &KmsPublicKey, algorithm: SigningAlgorithm, message_type: MessageType) -> Result<&'static SigningRule> {
    let rule = algorithm.rule();
    key.require_usage(KeyUsage::SignVerify, "Verify")?;
    key.require_algorithm(algorithm, key.key_spec().rule().signing, &key.metadata().signing_algorithms)?;
    if !rule.message_types.contains(&message_type) {
        return Err(KmsError::validation(format!(
            "MessageType {message_type} is not valid with SigningAlgorithm {algorithm}: allowed are {}",
            join(rule.message_types)
        ))
        .rule_code(Rule::MessageTypeNotForAlgorithm)
        .param("messageType", message_type.as_str())
        .param("algorithm", algorithm.as_str())
        .param("allowed", rule.message_types));
    }
    Ok(rule)
}

/// DIGEST takes a digest of the algorithm's hash, EXTERNAL_MU the 64-byte mu.
fn check_message_length(rule: &SigningRule, algorithm: SigningAlgorithm, message_type: MessageType, len: usize) -> Result<()> {
    let expected = match message_type {
        MessageType::Raw => return Ok(()),
        MessageType::Digest => rule.hash.output_len(),
        MessageType::ExternalMu => limits::EXTERNAL_MU_LEN,
    };
    if len == expected {
        return Ok(());
    }
    // "an ML-DSA mu" or "a SHA-256 digest", in one format! (each costs wasm size).
    let (what, hash, digest) = match message_type {
        #[cfg(feature = "ml-dsa")]
        MessageType::ExternalMu => ("an ML-DSA mu", "", ""),
        _ => ("a ", rule.hash.name(), " digest"),
    };
    Err(KmsError::validation(format!(
        "Digest is invalid length for algorithm {algorithm}: with MessageType {message_type} the Message must be {expected} bytes ({what}{hash}{digest}), got {len}"
    ))
    .rule_code(Rule::DigestLength)
    .param("algorithm", algorithm.as_str())
    .param("messageType", message_type.as_str())
    .param("size", len)
    .param("expected", expected))
}

/// A blob member's 1..=max length constraint, with advice on what to do instead.
fn check_blob_length(field: &str, len: usize, max: usize, advice: &str) -> Result<()> {
    if (1..=max).contains(&len) {
        return Ok(());
    }
    Err(KmsError::validation(format!("{field} is {len} bytes: KMS requires 1 to {max} bytes{advice}"))
        .rule_code(Rule::BlobLength)
        .param("field", field)
        .param("size", len)
        .param("max", max))
}

fn raw_message_advice(algorithm: SigningAlgorithm) -> &'static str {
    match algorithm {
        SigningAlgorithm::Ed25519Sha512 => "; sign longer messages with ED25519_PH_SHA_512 and MessageType DIGEST",
        SigningAlgorithm::MlDsaShake256 => "; for longer messages send the 64-byte mu with MessageType EXTERNAL_MU",
        _ => "; for longer messages send their digest with MessageType DIGEST",
    }
}
