//! The other direction, for people who sign with KMS: build the JWS signing input and the KMS Sign
//! request for it (the input itself with MessageType RAW, or its digest / ML-DSA mu when it is over
//! KMS's 4096-byte limit), then assemble the compact JWS from the DER signature KMS returns. The
//! assembled token is verified with the key before it is handed back, so a signature made with another
//! key, algorithm or message type never leaves as a JWS.

use super::{base64url, ecdsa_format, jose, jws};
use crate::digest::hash;
use crate::error::{ErrorKind, KmsError, Result};
use crate::key::KmsPublicKey;
use crate::spec::{MessageType, SignatureScheme, SigningAlgorithm, limits};
use serde_json::{Map, Value};

/// What to send to KMS Sign for one JWS, and the signing input to assemble the token from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwsSigningRequest {
    /// `BASE64URL(header) . BASE64URL(payload)`: pass it to [`KmsPublicKey::assemble_jws`] with the signature.
    pub signing_input: String,
    /// Sign's `Message`: the signing input (RAW), its digest (DIGEST) or its ML-DSA mu (EXTERNAL_MU).
    pub message: Vec<u8>,
    pub message_type: MessageType,
    pub signing_algorithm: SigningAlgorithm,
    /// Sign's `KeyId` (this key's, when known).
    pub key_id: Option<String>,
    pub alg: &'static str,
}

impl KmsPublicKey {
    /// The KMS Sign request for a JWS over `payload`. `alg` defaults to the key's only JOSE algorithm;
    /// `header` adds protected header members (its `alg`, if any, must agree; `crit` is refused because
    /// this library's verifier would refuse the token). `message_type` defaults to RAW up to 4096 bytes of
    /// signing input and to DIGEST (RSA, ECDSA) or EXTERNAL_MU (ML-DSA) above; DIGEST can be asked for at
    /// any size with RSA and ECDSA so the payload never goes to KMS. EdDSA signs RAW only (≤ 4096 bytes).
    pub fn jws_signing_request(
        &self,
        alg: Option<&str>,
        header: Option<&Map<String, Value>>,
        payload: &[u8],
        message_type: Option<MessageType>,
    ) -> Result<JwsSigningRequest> {
        let header_alg = header.and_then(|h| h.get("alg"));
        let alg = match (alg, header_alg) {
            (Some(name), _) => jose::lookup(name)?,
            (None, Some(Value::String(name))) => jose::lookup(name)?,
            (None, Some(_)) => return Err(KmsError::validation("JWS header member \"alg\" must be a string")),
            (None, None) => jose::only_algorithm(self)?,
        };
        alg.check_key(self)?;
        let mut protected = header.cloned().unwrap_or_default();
        if protected.get("alg").is_some_and(|a| a != alg.name) {
            return Err(KmsError::validation(format!("JWS header alg {} disagrees with alg {}", protected["alg"], alg.name)));
        }
        if protected.contains_key("crit") {
            return Err(KmsError::validation("JWS header \"crit\" is refused: verifiers that do not understand the extension must reject the token"));
        }
        protected.insert("alg".into(), Value::String(alg.name.into()));
        let header_json = serde_json::to_vec(&protected).map_err(|e| KmsError::validation(format!("JWS header cannot be serialised: {e}")))?;
        let signing_input = format!("{}.{}", base64url::encode(&header_json), base64url::encode(payload));
        if signing_input.len() > jws::MAX_JWS_LEN / 2 {
            return Err(KmsError::validation(format!(
                "JWS signing input is {} bytes: tokens over {} characters are refused by the verifier",
                signing_input.len(),
                jws::MAX_JWS_LEN
            )));
        }
        let fits_raw = signing_input.len() <= limits::MAX_MESSAGE;
        let large = alg.large_message_type();
        let message_type = match message_type {
            Some(chosen) => chosen,
            None if fits_raw => MessageType::Raw,
            None => large.ok_or_else(|| {
                KmsError::validation(format!(
                    "JWS signing input is {} bytes: {} (KMS {}) signs RAW messages of at most {} bytes and has no digest form",
                    signing_input.len(),
                    alg.name,
                    alg.signing_algorithm,
                    limits::MAX_MESSAGE
                ))
            })?,
        };
        let algorithm = alg.signing_algorithm;
        let message = match message_type {
            MessageType::Raw if fits_raw => signing_input.as_bytes().to_vec(),
            MessageType::Raw => {
                return Err(KmsError::validation(format!(
                    "JWS signing input is {} bytes: MessageType RAW takes at most {}; use {}",
                    signing_input.len(),
                    limits::MAX_MESSAGE,
                    large.map_or("a smaller payload", |t| t.as_str())
                )));
            }
            MessageType::Digest if large == Some(MessageType::Digest) => hash(algorithm.rule().hash, signing_input.as_bytes()),
            MessageType::ExternalMu if large == Some(MessageType::ExternalMu) => self.external_mu(signing_input.as_bytes())?.to_vec(),
            other => {
                return Err(KmsError::validation(format!("MessageType {other} is not valid with SigningAlgorithm {algorithm} for a JWS")));
            }
        };
        Ok(JwsSigningRequest { signing_input, message, message_type, signing_algorithm: algorithm, key_id: self.key_id().map(str::to_owned), alg: alg.name })
    }

    /// The compact JWS from a signing input and the signature KMS Sign returned for it (ECDSA as DER,
    /// converted here to the P1363 JOSE needs). The token is verified before it is returned: a signature
    /// that does not match is KMSInvalidSignatureException.
    pub fn assemble_jws(&self, signing_input: &str, kms_signature: &[u8]) -> Result<String> {
        // The signing input plus an empty signature part is a JWS shape: the header checks apply as they are.
        let shaped = format!("{signing_input}.");
        let (_, alg, ..) = jws::parse_header(self, &shaped)?;
        let jose_signature = if alg.signing_algorithm.rule().scheme == SignatureScheme::Ecdsa {
            ecdsa_format::der_to_p1363(kms_signature, ecdsa_format::curve_of(self.key_spec())?)?
        } else {
            kms_signature.to_vec()
        };
        let token = format!("{signing_input}.{}", base64url::encode(&jose_signature));
        if !self.verify_jws(&token)? {
            return Err(KmsError::new(
                ErrorKind::InvalidSignature,
                format!(
                    "The signature does not verify over this signing input with this key and {} ({}): was it made by KMS Sign with this key, SigningAlgorithm {} and the Message and MessageType of the signing request?",
                    alg.name, alg.signing_algorithm, alg.signing_algorithm
                ),
            ));
        }
        Ok(token)
    }
}
