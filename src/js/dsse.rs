//! The wasm-bindgen layer of `crate::interop::dsse`: DSSE envelopes verified with the key, and built for
//! KMS Sign. It converts JS values and nothing else; every rule is in the core.

use super::read::{self, member, required, string_member, validation};
use super::{JsKmsPublicKey, JsResult, bytes_value, key_id_value, response, sign_request_value, to_js_error};
use crate::interop::SignatureFormat;
use crate::interop::dsse::{self, DsseOptions, DssePending, MAX_ENVELOPE_LEN, VerifiedDsse};
use crate::spec::SigningAlgorithm;
use crate::string_rules;
use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_DSSE_TYPES: &str = r#"
/** A DSSE JSON envelope (github.com/secure-systems-lab/dsse envelope.md), as cosign and in-toto write it. */
export interface DsseEnvelope {
  payload: string;
  payloadType: string;
  signatures: { keyid?: string; sig: string }[];
}

export interface DsseVerifyOptions {
  /** The KMS algorithm that signed; defaults to the key's only one (ED25519_PH_SHA_512 is never chosen). */
  SigningAlgorithm?: string;
  /** Check every signature, whatever its keyid names (keyid is an unauthenticated hint). */
  IgnoreKeyId?: boolean;
}

export interface DsseSignatureResult {
  /** The signature's keyid, when set and not empty. */
  KeyIdInEnvelope: string | undefined;
  /** What the keyid matched: this key's KeyId, the key ID of its ARN, its alias name, an awskms:// URI of one of those;
   *  ABSENT (none), KEY_HAS_NO_ID (the key was loaded without a KeyId), or OTHER_KEY (not checked). */
  KeyIdMatch: "ABSENT" | "KEY_ID" | "KEY_ID_OF_ARN" | "ALIAS_NAME" | "AWSKMS_URI" | "KEY_HAS_NO_ID" | "OTHER_KEY";
  Status: "VALID" | "INVALID" | "NOT_THIS_KEY";
}

export interface VerifiedDsse {
  /** True when one signature was made by this key over this payloadType and payload. */
  Valid: boolean;
  PayloadType: string;
  Payload: Uint8Array;
  SigningAlgorithm: string;
  /** How a KMS signer sent the PAE to Sign: RAW up to 4096 bytes, DIGEST or EXTERNAL_MU above. */
  MessageType: string;
  /** The size of PAE(payloadType, payload), the bytes signed. */
  PaeBytes: number;
  Signatures: DsseSignatureResult[];
  KeyId: string | undefined;
}

export interface DsseSigningRequestParams {
  PayloadType: string;
  /** Bytes, UTF-8 text, or a JSON object (an in-toto statement, serialised with JSON.stringify). */
  Payload: Uint8Array | string | Record<string, unknown>;
  /** Defaults to the key's only DSSE algorithm. */
  SigningAlgorithm?: string;
}

/** What assembleDsse needs besides the signature; plain JSON, so it can be kept between the two steps. */
export interface DssePending {
  PayloadType: string;
  /** base64 of the payload. */
  Payload: string;
  SigningAlgorithm: string;
}

export interface DsseSigningRequest {
  /** Send as is: `kms.send(new SignCommand(SignRequest))`. */
  SignRequest: { KeyId: string | undefined; Message: Uint8Array; MessageType: string; SigningAlgorithm: string };
  /** Give it back to assembleDsse with the Signature KMS returned. */
  Pending: DssePending;
}
"#;

/// The envelope argument: JSON text, its UTF-8 bytes, or a plain object.
fn envelope_arg(value: &JsValue) -> JsResult<Vec<u8>> {
    let max = MAX_ENVELOPE_LEN as u32;
    if let Some(bytes) = read::bytes(value, "envelope", Some(max))? {
        return Ok(bytes);
    }
    if !value.is_string() && !value.is_object() {
        return Err(validation("envelope must be DSSE JSON envelope text, its bytes, or the parsed object".into()));
    }
    read::json_text(value, "envelope", max).map(String::into_bytes)
}

fn algorithm_option(key: &JsKmsPublicKey, object: &JsValue) -> JsResult<Option<SigningAlgorithm>> {
    string_member(object, "SigningAlgorithm")?.map(|text| key.inner.request_algorithm(&text, "SigningAlgorithm")).transpose().map_err(to_js_error)
}

fn verified_value(verified: &VerifiedDsse) -> JsValue {
    let signatures: Array = verified
        .signatures
        .iter()
        .map(|s| {
            response(&[("KeyIdInEnvelope", key_id_value(s.keyid.clone())), ("KeyIdMatch", s.keyid_match.as_str().into()), ("Status", s.status.as_str().into())])
        })
        .collect();
    response(&[
        ("Valid", verified.valid().into()),
        ("PayloadType", verified.payload_type.as_str().into()),
        ("Payload", bytes_value(&verified.payload)),
        ("SigningAlgorithm", verified.signing_algorithm.as_str().into()),
        ("MessageType", verified.message_type.as_str().into()),
        ("PaeBytes", (verified.pae_len as f64).into()),
        ("Signatures", signatures.into()),
        ("KeyId", key_id_value(verified.key_id.clone())),
    ])
}

impl JsKmsPublicKey {
    fn dsse_options(&self, options: Option<JsValue>) -> JsResult<DsseOptions> {
        let Some(options) = options.filter(|o| !o.is_undefined() && !o.is_null()) else { return Ok(DsseOptions::default()) };
        if !options.is_object() {
            return Err(validation("DSSE options must be an object { SigningAlgorithm?, IgnoreKeyId? }".into()));
        }
        Ok(DsseOptions { signing_algorithm: algorithm_option(self, &options)?, ignore_keyid: member(&options, "IgnoreKeyId")?.is_some_and(|v| v.is_truthy()) })
    }
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// Checks each signature of a DSSE envelope with this key under KMS's rules: `Valid` and what each
    /// signature was. A malformed envelope, or one KMS could not have signed with this key, throws.
    #[wasm_bindgen(js_name = verifyDsse, unchecked_return_type = "VerifiedDsse")]
    pub fn verify_dsse(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | DsseEnvelope")] envelope: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DsseVerifyOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options = self.dsse_options(options)?;
        let verified = self.inner.verify_dsse(&envelope_arg(&envelope)?, &options).map_err(to_js_error)?;
        Ok(verified_value(&verified))
    }

    /// Like verifyDsse; an envelope with no valid signature by this key throws KMSInvalidSignatureException.
    #[wasm_bindgen(js_name = verifyDsseOrThrow, unchecked_return_type = "VerifiedDsse")]
    pub fn verify_dsse_or_throw(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | DsseEnvelope")] envelope: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "DsseVerifyOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let options = self.dsse_options(options)?;
        let verified = self.inner.verify_dsse_or_error(&envelope_arg(&envelope)?, &options).map_err(to_js_error)?;
        Ok(verified_value(&verified))
    }

    /// The KMS Sign request for a DSSE envelope (Message = the PAE, its digest or its ML-DSA mu), and
    /// the pending value to pass to assembleDsse with the signature.
    #[wasm_bindgen(js_name = dsseSigningRequest, unchecked_return_type = "DsseSigningRequest")]
    pub fn dsse_signing_request(&self, #[wasm_bindgen(unchecked_param_type = "DsseSigningRequestParams")] params: JsValue) -> JsResult<JsValue> {
        if !params.is_object() {
            return Err(validation("dsseSigningRequest takes { PayloadType, Payload, SigningAlgorithm? }".into()));
        }
        let payload_type = string_member(&params, "PayloadType")?.ok_or_else(|| required("PayloadType"))?;
        let payload_value = member(&params, "Payload")?.ok_or_else(|| required("Payload"))?;
        let max = (MAX_ENVELOPE_LEN / 4 * 3) as u32;
        let payload = match read::text(&payload_value, "Payload")? {
            Some(text) => text.into_bytes(),
            None => match read::bytes(&payload_value, "Payload", Some(max))? {
                Some(bytes) => bytes,
                None => read::json_text(&payload_value, "Payload", max)?.into_bytes(),
            },
        };
        let algorithm = algorithm_option(self, &params)?;
        let request = self.inner.dsse_signing_request(&payload_type, &payload, algorithm).map_err(to_js_error)?;
        let sign = sign_request_value(request.key_id.as_deref(), &request.message, request.message_type, request.signing_algorithm);
        let pending = response(&[
            ("PayloadType", request.pending.payload_type.as_str().into()),
            ("Payload", crate::encoding::encode_base64(&request.pending.payload).into()),
            ("SigningAlgorithm", request.signing_algorithm.as_str().into()),
        ]);
        Ok(response(&[("SignRequest", sign), ("Pending", pending)]))
    }

    /// The DSSE JSON envelope from the pending value and KMS Sign's Signature (kept as KMS returns it,
    /// DER for ECDSA and SM2), verified first. `KeyId` is written as the signature's keyid (default empty).
    #[wasm_bindgen(js_name = assembleDsse)]
    pub fn assemble_dsse(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DssePending")] pending: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsBlob")] signature: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ KeyId?: string }")] options: Option<JsValue>,
    ) -> JsResult<String> {
        if !pending.is_object() {
            return Err(validation("assembleDsse takes the Pending value dsseSigningRequest returned".into()));
        }
        let payload_type = string_member(&pending, "PayloadType")?.ok_or_else(|| required("PayloadType"))?;
        let payload_text = string_member(&pending, "Payload")?.ok_or_else(|| required("Payload"))?;
        let payload = dsse::decode_base64(&payload_text, "Pending.Payload").map_err(to_js_error)?;
        let signing_algorithm = algorithm_option(self, &pending)?.ok_or_else(|| required("SigningAlgorithm"))?;
        let keyid = match options.filter(|o| !o.is_undefined() && !o.is_null()) {
            None => None,
            Some(o) if o.is_object() => string_member(&o, "KeyId")?,
            Some(_) => return Err(validation("assembleDsse options must be an object { KeyId? }".into())),
        };
        let spec = self.inner.key_spec();
        let rule = string_rules::signature(spec, SignatureFormat::Der, spec.as_str());
        let signature = read::blob_by_rule(&signature, "Signature", &rule, (None, None), Some(read::MAX_MEMBER_BYTES))?;
        let pending = DssePending { payload_type, payload, signing_algorithm };
        self.inner.assemble_dsse(&pending, &signature, keyid.as_deref()).map_err(to_js_error)
    }
}
