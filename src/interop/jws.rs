//! Verifying a compact JWS (RFC 7515 §7.1) or JWT whose signature came from KMS Sign. The token is
//! parsed strictly and every refusal comes before any signature check: a malformed token is a
//! ValidationException, an `alg` the key cannot have signed is an InvalidKeyUsageException, and a
//! signature that does not verify is `false` (or KMSInvalidSignatureException), as with Verify.

use super::{base64url, ecdsa_format, jose, strict_json};
use crate::digest::hash;
use crate::error::{ErrorKind, KmsError, Result};
use crate::key::KmsPublicKey;
use crate::spec::{MessageType, SignatureScheme, SigningAlgorithm, limits};
use crate::verify::VerifyRequest;
use serde_json::{Map, Value};

/// Largest compact JWS accepted, in characters. KMS signs at most 4096 bytes RAW; longer payloads are
/// signed as a digest and can be large, but a token past 1 MiB is refused before any decoding.
pub const MAX_JWS_LEN: usize = 1 << 20;
/// Largest decoded protected header.
pub const MAX_HEADER_LEN: usize = 16 * 1024;

/// A JWS whose signature verified with the key.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedJws {
    /// The protected header as parsed (member names unique).
    pub header: Map<String, Value>,
    pub payload: Vec<u8>,
    /// The header's `alg`.
    pub alg: &'static str,
    /// The KMS algorithm that made the signature.
    pub signing_algorithm: SigningAlgorithm,
    pub key_id: Option<String>,
}

/// A token that passed every rule, with the parts the signature check needs.
pub(crate) struct ParsedJws<'a> {
    pub header: Map<String, Value>,
    pub alg: &'static jose::JoseAlgorithm,
    pub signing_input: &'a [u8],
    pub payload: Vec<u8>,
    pub signature: Vec<u8>,
}

/// Splits `header.payload.signature` and checks the header against the key. The signature part is
/// returned as its base64url text so that assembling (jws_sign) can reuse the header checks.
pub(crate) fn parse_header<'a>(key: &KmsPublicKey, token: &'a str) -> Result<(Map<String, Value>, &'static jose::JoseAlgorithm, &'a str, &'a str, &'a str)> {
    if token.len() > MAX_JWS_LEN {
        return Err(KmsError::validation(format!(
            "JWS is {} characters: the limit is {MAX_JWS_LEN}; sign large content as a digest of it",
            token.len()
        )));
    }
    let parts: Vec<&str> = token.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts.as_slice() else {
        let why = if parts.len() == 5 { "it has 5 parts: that is a JWE (encrypted), not a JWS" } else { "a compact JWS has exactly 3 parts, header.payload.signature" };
        return Err(KmsError::validation(format!("JWS is malformed: {why}")));
    };
    if header_b64.len() > MAX_HEADER_LEN * 4 / 3 + 4 {
        return Err(KmsError::validation(format!("JWS header is over {MAX_HEADER_LEN} bytes")));
    }
    let header = strict_json::object(&base64url::decode(header_b64, "JWS header")?, "JWS header")?;
    let alg_name = strict_json::optional_string(&header, "alg", "JWS header")?
        .ok_or_else(|| KmsError::validation("JWS header has no \"alg\" member (RFC 7515 §4.1.1 requires it)"))?;
    let alg = jose::lookup(alg_name)?;
    if let Some(crit) = header.get("crit") {
        return Err(KmsError::validation(format!(
            "JWS header \"crit\" lists extensions that must be understood ({}); this verifier understands none, so the JWS is refused (RFC 7515 §4.1.11)",
            crate::spec::printable(&crit.to_string())
        )));
    }
    if header.get("b64").is_some_and(|b64| b64 != &Value::Bool(true)) {
        return Err(KmsError::validation("JWS header \"b64\": false (RFC 7797 unencoded payload) is not supported"));
    }
    check_kid(key, strict_json::optional_string(&header, "kid", "JWS header")?)?;
    alg.check_key(key)?;
    Ok((header, alg, header_b64, payload_b64, signature_b64))
}

/// Whether a `kid` names this key: its KeyId, or the key ID inside its key ARN.
pub(crate) fn kid_names_key(key: &KmsPublicKey, kid: &str, key_id: &str) -> bool {
    let bare_id = key.arn().filter(|arn| arn.resource_type == crate::ResourceType::Key).map(|arn| arn.resource_id.as_str());
    kid == key_id || Some(kid) == bare_id
}

/// A `kid` must name this key when both exist.
fn check_kid(key: &KmsPublicKey, kid: Option<&str>) -> Result<()> {
    let (Some(kid), Some(key_id)) = (kid, key.key_id()) else { return Ok(()) };
    if kid_names_key(key, kid, key_id) {
        return Ok(());
    }
    Err(KmsError::validation(format!(
        "JWS header kid '{}' does not match this key's KeyId {key_id}: the token names another key",
        crate::spec::printable(kid)
    )))
}

impl KmsPublicKey {
    pub(crate) fn parse_jws<'a>(&self, token: &'a str) -> Result<ParsedJws<'a>> {
        let (header, alg, header_b64, payload_b64, signature_b64) = parse_header(self, token)?;
        let payload = base64url::decode(payload_b64, "JWS payload")?;
        let signature = base64url::decode(signature_b64, "JWS signature")?;
        let signing_input = &token.as_bytes()[..header_b64.len() + 1 + payload_b64.len()];
        Ok(ParsedJws { header, alg, signing_input, payload, signature })
    }

    /// The signature check of a parsed JWS, through KMS's Verify rules: ES* signatures are P1363 and
    /// checked as the equivalent DER; a signing input over 4096 bytes is checked as its digest (RSA,
    /// ECDSA) or its ML-DSA mu, exactly as KMS would have signed it.
    pub(crate) fn jws_signature_matches(&self, jws: &ParsedJws<'_>) -> Result<bool> {
        let algorithm = jws.alg.signing_algorithm;
        let scheme = algorithm.rule().scheme;
        let der;
        let signature = if scheme == SignatureScheme::Ecdsa {
            match ecdsa_format::p1363_to_der(&jws.signature, ecdsa_format::curve_of(self.key_spec())?) {
                Ok(converted) => {
                    der = converted;
                    der.as_slice()
                }
                Err(_) => return Ok(false),
            }
        } else {
            jws.signature.as_slice()
        };
        if signature.is_empty() || signature.len() > limits::MAX_SIGNATURE {
            return Ok(false);
        }
        let input = jws.signing_input;
        let (message, message_type) = match jws.alg.large_message_type() {
            Some(MessageType::Digest) => (hash(algorithm.rule().hash, input), MessageType::Digest),
            Some(MessageType::ExternalMu) if input.len() > limits::MAX_MESSAGE => (self.external_mu(input)?.to_vec(), MessageType::ExternalMu),
            _ => (input.to_vec(), MessageType::Raw),
        };
        self.verify(&VerifyRequest { message: &message, signature, signing_algorithm: algorithm, message_type })
    }

    /// Verifies a compact JWS signed by this key: `true` or `false` for a token KMS could have signed,
    /// an error with the KMS exception for one it could not (malformed: ValidationException; `alg` not
    /// this key's: InvalidKeyUsageException; `alg: none`, `crit`, or a `kid` naming another key: refused).
    pub fn verify_jws(&self, token: &str) -> Result<bool> {
        let jws = self.parse_jws(token)?;
        self.jws_signature_matches(&jws)
    }

    /// Like [`verify_jws`](Self::verify_jws), returning the header and payload of a valid JWS; an
    /// invalid signature is KMSInvalidSignatureException.
    pub fn verify_jws_or_error(&self, token: &str) -> Result<VerifiedJws> {
        let jws = self.parse_jws(token)?;
        if !self.jws_signature_matches(&jws)? {
            return Err(KmsError::new(
                ErrorKind::InvalidSignature,
                format!(
                    "JWS signature verification failed: the signature was not made over this header and payload by this key with {} ({})",
                    jws.alg.name, jws.alg.signing_algorithm
                ),
            ));
        }
        Ok(VerifiedJws {
            payload: jws.payload,
            header: jws.header,
            alg: jws.alg.name,
            signing_algorithm: jws.alg.signing_algorithm,
            key_id: self.key_id().map(str::to_owned),
        })
    }
}
