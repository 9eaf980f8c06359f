//! DSSE v1 envelopes (github.com/secure-systems-lab/dsse: protocol.md, envelope.md) signed by a KMS key,
//! as cosign, in-toto and witness write them with `awskms://` keys, in both directions.
//!
//! The signature covers PAE(payloadType, payload) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body,
//! lengths in ASCII decimal bytes. A KMS signer sends the PAE itself (MessageType RAW) when it is at most
//! 4096 bytes, and above that its digest (RSA, ECDSA; SM2 as e = SM3(Z_A ‖ PAE) with the default
//! distinguishing ID) or its ML-DSA mu (EXTERNAL_MU); Ed25519 signs RAW only, so a larger PAE cannot carry
//! an ED25519_SHA_512 signature from KMS. Every refusal is a [`KmsError`]: a malformed envelope is a
//! ValidationException, an algorithm the key cannot use an InvalidKeyUsageException.

use super::strict_json;
use crate::digest::hash;
use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::key::{KmsPublicKey, SM2_DEFAULT_DISTINGUISHING_ID};
use crate::spec::{HashAlg, KeyUsage, MessageType, SignatureScheme, SigningAlgorithm, join, limits, printable};
use crate::verify::VerifyRequest;
use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};

/// Largest envelope accepted, in bytes of JSON: attestations (SBOMs, provenance) can be large, and the PAE
/// of any size is signed through its digest; past 64 MiB the envelope is refused before parsing.
pub const MAX_ENVELOPE_LEN: usize = 64 << 20;
/// Most signatures one envelope may carry.
pub const MAX_SIGNATURES: usize = 64;

/// PAE(type, body) of DSSE v1 (protocol.md): the bytes every signature of the envelope covers.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let head = format!("DSSEv1 {} {payload_type} {} ", payload_type.len(), payload.len());
    let mut out = Vec::with_capacity(head.len() + payload.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(payload);
    out
}

/// Base64 as envelope.md allows it: the standard (RFC 4648 §4) or URL-safe (§5) alphabet, padded or not,
/// decoded strictly (one alphabet, no whitespace, no stray bits), so no other text reads as some bytes.
pub fn decode_base64(text: &str, what: &str) -> Result<Vec<u8>> {
    let url_safe = text.contains(['-', '_']);
    if url_safe && text.contains(['+', '/']) {
        return Err(KmsError::input(format!("{what} mixes the standard ('+', '/') and URL-safe ('-', '_') base64 alphabets"))
            .rule_code(Rule::MalformedDsseEnvelope)
            .param("part", "base64")
            .param("field", what));
    }
    let decoded = match (url_safe, text.ends_with('=')) {
        (false, true) => Base64::decode_vec(text),
        (false, false) => Base64Unpadded::decode_vec(text),
        (true, true) => Base64Url::decode_vec(text),
        (true, false) => Base64UrlUnpadded::decode_vec(text),
    };
    decoded.map_err(|_| {
        let hint = if text.chars().any(char::is_whitespace) { " (it contains whitespace)" } else { "" };
        KmsError::input(format!("{what} is not base64 (standard or URL-safe alphabet, padded or not: DSSE envelope.md){hint}"))
            .rule_code(Rule::MalformedDsseEnvelope)
            .param("part", "base64")
            .param("field", what)
    })
}

/// One signature of an envelope as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsseSignature {
    /// `keyid`; unset and empty are the same (envelope.md), both `None` here.
    pub keyid: Option<String>,
    pub sig: Vec<u8>,
}

/// A parsed DSSE JSON envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsseEnvelope {
    pub payload_type: String,
    pub payload: Vec<u8>,
    pub signatures: Vec<DsseSignature>,
}

impl DsseEnvelope {
    /// Parses the JSON envelope: an object with unique member names, `payload`, `payloadType` and a
    /// non-empty `signatures` array of `{keyid?, sig}` (other members are ignored, as envelope.md requires).
    pub fn parse(json: &[u8]) -> Result<Self> {
        if json.len() > MAX_ENVELOPE_LEN {
            return Err(KmsError::validation(format!("DSSE envelope is {} bytes: the limit is {MAX_ENVELOPE_LEN}", json.len()))
                .rule_code(Rule::MalformedDsseEnvelope)
                .param("part", "size")
                .param("size", json.len())
                .param("max", MAX_ENVELOPE_LEN));
        }
        let object = strict_json::object(json, "DSSE envelope")?;
        let payload_type = required_string(&object, "payloadType", "DSSE envelope")?.to_owned();
        let payload = decode_base64(required_string(&object, "payload", "DSSE envelope")?, "DSSE envelope payload")?;
        let Some(Value::Array(list)) = object.get("signatures") else {
            return Err(KmsError::validation("DSSE envelope has no \"signatures\" array (envelope.md requires it)")
                .rule_code(Rule::MalformedDsseEnvelope)
                .param("part", "signatures"));
        };
        if list.is_empty() || list.len() > MAX_SIGNATURES {
            return Err(KmsError::validation(format!("DSSE envelope has {} signatures: 1 to {MAX_SIGNATURES} are accepted", list.len()))
                .rule_code(Rule::MalformedDsseEnvelope)
                .param("part", "signature-count")
                .param("size", list.len())
                .param("max", MAX_SIGNATURES));
        }
        let signatures = list.iter().enumerate().map(|(i, entry)| parse_signature(i, entry)).collect::<Result<_>>()?;
        Ok(DsseEnvelope { payload_type, payload, signatures })
    }

    /// The bytes the signatures cover.
    pub fn pae(&self) -> Vec<u8> {
        pae(&self.payload_type, &self.payload)
    }
}

fn required_string<'a>(map: &'a Map<String, Value>, name: &str, what: &str) -> Result<&'a str> {
    strict_json::optional_string(map, name, what)?
        .ok_or_else(|| {
            KmsError::validation(format!("{what} has no \"{name}\" member (envelope.md requires it, even if empty)"))
                .rule_code(Rule::MalformedDsseEnvelope)
                .param("part", "member")
                .param("field", what)
                .param("member", name)
        })
}

fn parse_signature(index: usize, entry: &Value) -> Result<DsseSignature> {
    let what = format!("DSSE envelope signatures[{index}]");
    let Value::Object(object) = entry else {
        return Err(KmsError::validation(format!("{what} is not a JSON object {{\"keyid\", \"sig\"}}"))
            .rule_code(Rule::MalformedDsseEnvelope)
            .param("part", "signature-object")
            .param("field", what));
    };
    let keyid = strict_json::optional_string(object, "keyid", &what)?.filter(|k| !k.is_empty()).map(str::to_owned);
    let sig = decode_base64(required_string(object, "sig", &what)?, &format!("{what}.sig"))?;
    Ok(DsseSignature { keyid, sig })
}

/// What a signature's `keyid` says about this key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyIdMatch {
    /// No keyid (or an empty one): the signature is checked against this key.
    Absent,
    /// The key's KeyId exactly (GetPublicKey returns the key ARN).
    KeyId,
    /// The key ID inside the key's ARN.
    KeyIdOfArn,
    /// `alias/<name>` of a key loaded under its alias ARN.
    AliasName,
    /// A cosign key reference `awskms://[endpoint]/<one of the above>`.
    AwsKmsUri,
    /// A keyid, but the key has no KeyId to compare it with: checked against this key.
    KeyHasNoId,
    /// A keyid that names something else: the signature is not this key's and is not checked.
    OtherKey,
}

impl KeyIdMatch {
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyIdMatch::Absent => "ABSENT",
            KeyIdMatch::KeyId => "KEY_ID",
            KeyIdMatch::KeyIdOfArn => "KEY_ID_OF_ARN",
            KeyIdMatch::AliasName => "ALIAS_NAME",
            KeyIdMatch::AwsKmsUri => "AWSKMS_URI",
            KeyIdMatch::KeyHasNoId => "KEY_HAS_NO_ID",
            KeyIdMatch::OtherKey => "OTHER_KEY",
        }
    }
}

/// The outcome of one signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureStatus {
    Valid,
    Invalid,
    /// Its keyid names another key, so it was not checked (unless keyids are ignored).
    NotThisKey,
}

impl SignatureStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "VALID",
            SignatureStatus::Invalid => "INVALID",
            SignatureStatus::NotThisKey => "NOT_THIS_KEY",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsseSignatureCheck {
    pub keyid: Option<String>,
    pub keyid_match: KeyIdMatch,
    pub status: SignatureStatus,
}

/// An envelope checked with the key: valid when one of its signatures verifies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedDsse {
    pub payload_type: String,
    pub payload: Vec<u8>,
    pub signing_algorithm: SigningAlgorithm,
    /// How a KMS signer must have sent the PAE to Sign.
    pub message_type: MessageType,
    pub pae_len: usize,
    /// One per signature, in envelope order.
    pub signatures: Vec<DsseSignatureCheck>,
    pub key_id: Option<String>,
}

impl VerifiedDsse {
    pub fn valid(&self) -> bool {
        self.signatures.iter().any(|s| s.status == SignatureStatus::Valid)
    }
}

/// Options of [`KmsPublicKey::verify_dsse`].
#[derive(Clone, Copy, Debug, Default)]
pub struct DsseOptions {
    /// The KMS algorithm; defaults to the key's only DSSE algorithm (see [`KmsPublicKey::dsse_algorithms`]).
    pub signing_algorithm: Option<SigningAlgorithm>,
    /// Check every signature whatever its keyid says (keyid is an unauthenticated hint, protocol.md).
    pub ignore_keyid: bool,
}

/// What assembling needs besides the signature: the signed content and the algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DssePending {
    pub payload_type: String,
    pub payload: Vec<u8>,
    pub signing_algorithm: SigningAlgorithm,
}

/// What to send to KMS Sign for one envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DsseSigningRequest {
    /// Give it to [`KmsPublicKey::assemble_dsse`] with the signature.
    pub pending: DssePending,
    /// Sign's `Message`: the PAE (RAW), its digest (DIGEST) or its ML-DSA mu (EXTERNAL_MU).
    pub message: Vec<u8>,
    pub message_type: MessageType,
    pub signing_algorithm: SigningAlgorithm,
    /// Sign's `KeyId` (this key's, when known).
    pub key_id: Option<String>,
    pub pae_len: usize,
}

/// A cosign key reference `awskms://[endpoint]/<id>`, reduced to `<id>`.
fn strip_awskms_uri(keyid: &str) -> Option<&str> {
    let rest = keyid.strip_prefix("awskms://")?;
    rest.split_once('/').map(|(_, id)| id)
}

impl KmsPublicKey {
    /// The signing algorithms this key can make a DSSE signature with: its listed ones, less
    /// ED25519_PH_SHA_512 (HashEdDSA, which no DSSE Ed25519 verifier accepts; it can still be named).
    pub fn dsse_algorithms(&self) -> Vec<SigningAlgorithm> {
        let listed = &self.metadata().signing_algorithms;
        listed.iter().copied().filter(|a| a.rule().scheme != SignatureScheme::Ed25519ph).collect()
    }

    /// The algorithm asked for (checked as KMS checks it), or the key's only DSSE algorithm.
    fn dsse_algorithm(&self, asked: Option<SigningAlgorithm>) -> Result<SigningAlgorithm> {
        self.require_usage(KeyUsage::SignVerify, "Sign")?;
        if let Some(algorithm) = asked {
            self.require_algorithm(algorithm, self.key_spec().rule().signing, &self.metadata().signing_algorithms)?;
            return Ok(algorithm);
        }
        match self.dsse_algorithms().as_slice() {
            [one] => Ok(*one),
            many => Err(KmsError::validation(format!(
                "This key can sign DSSE envelopes with several SigningAlgorithms, and the envelope does not say which: choose one of {}",
                join(many)
            ))
            .rule_code(Rule::DsseAlgorithmRequired)
            .param("allowed", many)),
        }
    }

    /// Sign's Message and MessageType for `pae`, exactly as a KMS signer must send them.
    fn dsse_message(&self, algorithm: SigningAlgorithm, pae: &[u8]) -> Result<(Vec<u8>, MessageType)> {
        let rule = algorithm.rule();
        Ok(match rule.scheme {
            SignatureScheme::Ed25519ph => (hash(HashAlg::Sha512, pae), MessageType::Digest),
            _ if pae.len() <= limits::MAX_MESSAGE => (pae.to_vec(), MessageType::Raw),
            SignatureScheme::Ed25519 => {
                return Err(KmsError::validation(format!(
                    "The DSSE PAE is {} bytes: {algorithm} signs RAW messages of at most {} bytes and has no digest form, so KMS cannot have signed (or sign) this envelope with it",
                    pae.len(),
                    limits::MAX_MESSAGE
                ))
                .rule_code(Rule::RawMessageTooLong)
                .param("algorithm", algorithm.as_str())
                .param("part", "dsse-pae")
                .param("size", pae.len())
                .param("max", limits::MAX_MESSAGE));
            }
            SignatureScheme::Sm2 => {
                let mut e = self.sm2_digest(SM2_DEFAULT_DISTINGUISHING_ID.as_bytes())?;
                e.update(pae);
                (e.finalize(), MessageType::Digest)
            }
            SignatureScheme::MlDsa => (self.external_mu(pae)?.to_vec(), MessageType::ExternalMu),
            _ => (hash(rule.hash, pae), MessageType::Digest),
        })
    }

    /// What `keyid` says about this key.
    pub fn dsse_keyid_match(&self, keyid: Option<&str>) -> KeyIdMatch {
        let Some(keyid) = keyid else {
            return KeyIdMatch::Absent;
        };
        let Some(key_id) = self.key_id() else {
            return KeyIdMatch::KeyHasNoId;
        };
        let direct = |id: &str| {
            let arn = self.arn();
            if id == key_id {
                Some(KeyIdMatch::KeyId)
            } else if arn.is_some_and(|a| a.resource_type == crate::ResourceType::Key && a.resource_id == id) {
                Some(KeyIdMatch::KeyIdOfArn)
            } else if arn.is_some_and(|a| a.resource_type == crate::ResourceType::Alias && id.strip_prefix("alias/") == Some(&a.resource_id)) {
                Some(KeyIdMatch::AliasName)
            } else {
                None
            }
        };
        match (direct(keyid), strip_awskms_uri(keyid).and_then(direct)) {
            (Some(found), _) => found,
            (None, Some(_)) => KeyIdMatch::AwsKmsUri,
            (None, None) => KeyIdMatch::OtherKey,
        }
    }

    /// Checks each signature of a DSSE JSON envelope with this key under KMS's rules. The result says,
    /// per signature, what its keyid matched and whether it verified; [`VerifiedDsse::valid`] is the
    /// answer. A malformed envelope, or one KMS could not have signed with this key, is an error.
    pub fn verify_dsse(&self, envelope_json: &[u8], options: &DsseOptions) -> Result<VerifiedDsse> {
        let envelope = DsseEnvelope::parse(envelope_json)?;
        let algorithm = self.dsse_algorithm(options.signing_algorithm)?;
        let pae = envelope.pae();
        let (message, message_type) = self.dsse_message(algorithm, &pae)?;
        let mut signatures = Vec::with_capacity(envelope.signatures.len());
        for signature in &envelope.signatures {
            let keyid_match = self.dsse_keyid_match(signature.keyid.as_deref());
            let status = if keyid_match == KeyIdMatch::OtherKey && !options.ignore_keyid {
                SignatureStatus::NotThisKey
            } else if self.dsse_signature_matches(algorithm, &message, message_type, &signature.sig)? {
                SignatureStatus::Valid
            } else {
                SignatureStatus::Invalid
            };
            signatures.push(DsseSignatureCheck { keyid: signature.keyid.clone(), keyid_match, status });
        }
        Ok(VerifiedDsse {
            payload_type: envelope.payload_type,
            payload: envelope.payload,
            signing_algorithm: algorithm,
            message_type,
            pae_len: pae.len(),
            signatures,
            key_id: self.key_id().map(str::to_owned),
        })
    }

    fn dsse_signature_matches(&self, algorithm: SigningAlgorithm, message: &[u8], message_type: MessageType, sig: &[u8]) -> Result<bool> {
        if sig.is_empty() || sig.len() > limits::MAX_SIGNATURE {
            return Ok(false); // no KMS signature has that size
        }
        self.verify(&VerifyRequest { message, signature: sig, signing_algorithm: algorithm, message_type })
    }

    /// Like [`verify_dsse`](Self::verify_dsse), but an envelope without a valid signature by this key is
    /// KMSInvalidSignatureException, saying what each signature was.
    pub fn verify_dsse_or_error(&self, envelope_json: &[u8], options: &DsseOptions) -> Result<VerifiedDsse> {
        let verified = self.verify_dsse(envelope_json, options)?;
        if verified.valid() {
            return Ok(verified);
        }
        let each: Vec<String> = verified
            .signatures
            .iter()
            .enumerate()
            .map(|(i, s)| match s.status {
                SignatureStatus::NotThisKey => format!(
                    "signatures[{i}] has keyid '{}', which is not this key's KeyId, key ID or alias (not checked)",
                    printable(s.keyid.as_deref().unwrap_or_default())
                ),
                _ => format!("signatures[{i}] does not verify"),
            })
            .collect();
        Err(KmsError::new(
            ErrorKind::InvalidSignature,
            format!(
                "DSSE signature verification failed: no signature was made over this payloadType and payload by this key with {} ({}): {}",
                verified.signing_algorithm,
                verified.message_type,
                each.join("; ")
            ),
        ))
    }

    /// The KMS Sign request for a DSSE envelope over `payload`: Message = the PAE with MessageType RAW up
    /// to 4096 bytes, its digest (DIGEST) or ML-DSA mu (EXTERNAL_MU) above.
    pub fn dsse_signing_request(&self, payload_type: &str, payload: &[u8], algorithm: Option<SigningAlgorithm>) -> Result<DsseSigningRequest> {
        let limit = MAX_ENVELOPE_LEN / 4 * 3 - 64 * 1024;
        if payload.len() + payload_type.len() > limit {
            return Err(KmsError::validation(format!(
                "DSSE payload is {} bytes: envelopes over {MAX_ENVELOPE_LEN} bytes are refused by the verifier, so at most about {limit} bytes of payload",
                payload.len()
            ))
            .rule_code(Rule::MalformedDsseEnvelope)
            .param("part", "payload-size")
            .param("size", payload.len())
            .param("max", limit));
        }
        let signing_algorithm = self.dsse_algorithm(algorithm)?;
        let pae = pae(payload_type, payload);
        let (message, message_type) = self.dsse_message(signing_algorithm, &pae)?;
        Ok(DsseSigningRequest {
            pending: DssePending { payload_type: payload_type.to_owned(), payload: payload.to_vec(), signing_algorithm },
            message,
            message_type,
            signing_algorithm,
            key_id: self.key_id().map(str::to_owned),
            pae_len: pae.len(),
        })
    }

    /// The JSON envelope from a signing request's pending value and the Signature KMS Sign returned for it (kept as KMS
    /// returns it: DER for ECDSA and SM2, as cosign writes it), verified first: a signature that does not
    /// match is KMSInvalidSignatureException. `keyid` is written as given (empty when `None`, as cosign
    /// does) and must name this key when the key has a KeyId.
    pub fn assemble_dsse(&self, pending: &DssePending, kms_signature: &[u8], keyid: Option<&str>) -> Result<String> {
        let keyid = keyid.unwrap_or_default();
        if self.dsse_keyid_match(Some(keyid).filter(|k| !k.is_empty())) == KeyIdMatch::OtherKey {
            return Err(KmsError::validation(format!(
                "keyid '{}' does not name this key (KeyId {}): a verifier would not check the signature against it",
                printable(keyid),
                self.key_id().unwrap_or_default()
            ))
            .rule_code(Rule::DsseKeyidNotThisKey)
            .param("value", printable(keyid))
            .param("keyId", self.key_id().unwrap_or_default()));
        }
        let (message, message_type) = self.dsse_message(pending.signing_algorithm, &pae(&pending.payload_type, &pending.payload))?;
        if !self.dsse_signature_matches(pending.signing_algorithm, &message, message_type, kms_signature)? {
            return Err(KmsError::new(
                ErrorKind::InvalidSignature,
                format!(
                    "The signature does not verify over this DSSE payloadType and payload with this key: was it made by KMS Sign with this key, SigningAlgorithm {} and MessageType {} over the Message of the signing request?",
                    pending.signing_algorithm, message_type
                ),
            ));
        }
        let envelope = serde_json::json!({
            "payload": Base64::encode_string(&pending.payload),
            "payloadType": pending.payload_type,
            "signatures": [{ "keyid": keyid, "sig": Base64::encode_string(kms_signature) }],
        });
        serde_json::to_string(&envelope).map_err(|e| KmsError::validation(format!("DSSE envelope cannot be serialised: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_has_byte_lengths_and_a_trailing_space_for_an_empty_body() {
        assert_eq!(pae("ä", b""), "DSSEv1 2 ä 0 ".as_bytes());
        assert_eq!(pae("t", b"ab"), b"DSSEv1 1 t 2 ab");
    }

    #[test]
    fn base64_is_either_alphabet_padded_or_not_and_nothing_else() {
        for ok in ["+/8=", "+/8", "-_8=", "-_8"] {
            assert_eq!(decode_base64(ok, "x").unwrap(), [0xfb, 0xff], "{ok}");
        }
        assert_eq!(decode_base64("", "x").unwrap(), [] as [u8; 0]);
        for bad in ["+_8=", "-/8", "+/9", "+/8==", "+/ 8=", "+/8=\n", "A", "AB=C", "%%%%"] {
            assert_eq!(decode_base64(bad, "x").unwrap_err().name(), "ValidationException", "{bad:?}");
        }
    }

    #[test]
    fn envelope_parsing_refuses_what_the_spec_requires() {
        let good = br#"{"payload":"","payloadType":"t","signatures":[{"sig":"AA=="}],"extra":1}"#;
        let parsed = DsseEnvelope::parse(good).unwrap();
        assert_eq!((parsed.payload_type.as_str(), parsed.signatures[0].keyid.as_deref()), ("t", None));
        for bad in [
            &br#"{"payloadType":"t","signatures":[{"sig":""}]}"#[..],
            br#"{"payload":"","signatures":[{"sig":""}]}"#,
            br#"{"payload":"","payloadType":"t","signatures":[]}"#,
            br#"{"payload":"","payloadType":"t","signatures":[{"keyid":"k"}]}"#,
            br#"{"payload":"","payloadType":"t","signatures":[{"sig":"","keyid":1}]}"#,
            br#"{"payload":"","payloadType":"t","signatures":[1]}"#,
            br#"{"payload":"","payloadType":"t","payload":"","signatures":[{"sig":""}]}"#,
            br#"{"payload":"A","payloadType":"t","signatures":[{"sig":""}]}"#,
            b"[]",
        ] {
            assert_eq!(DsseEnvelope::parse(bad).unwrap_err().name(), "ValidationException", "{}", String::from_utf8_lossy(bad));
        }
    }
}
