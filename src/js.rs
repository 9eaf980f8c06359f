//! The wasm-bindgen layer: converts JS values to the core's types and KMS errors to JS `Error`s
//! (`name` and `code` = the KMS exception name). Every decision is made in the Rust core.

use crate::encoding::decode_base64;
use crate::error::KmsError;
use crate::key::{GetPublicKeyOutput, KmsPublicKey};
use crate::spec::{KmsEnum, MessageType, SigningAlgorithm};
use crate::verify::VerifyRequest;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A KMS binary member: bytes, or base64 text as the AWS CLI and HTTP API give it. */
export type KmsBlob = Uint8Array | string;

/** Key metadata as GetPublicKey returns it (the console download carries none: give it here). */
export interface KmsKeyMetadata {
  KeyId?: string;
  KeySpec?: string;
  /** Deprecated synonym of KeySpec, accepted from older output. */
  CustomerMasterKeySpec?: string;
  KeyUsage: string;
  SigningAlgorithms?: string[];
  EncryptionAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
  EncapsulationAlgorithms?: string[];
}

/** `aws kms get-public-key` output (PublicKey base64) or the SDK's GetPublicKeyCommand output (bytes). */
export interface GetPublicKeyOutput extends KmsKeyMetadata {
  PublicKey: KmsBlob | number[];
}

/** The members of a KMS Verify request used offline. */
export interface VerifyRequest {
  Message: KmsBlob;
  Signature: KmsBlob;
  SigningAlgorithm: string;
  /** RAW (default), DIGEST or EXTERNAL_MU. */
  MessageType?: string;
}

export interface VerifyResponse {
  KeyId: string | undefined;
  SignatureValid: true;
  SigningAlgorithm: string;
}

export interface KmsArn {
  partition: string;
  region: string;
  accountId: string;
  resourceType: "key" | "alias";
  resourceId: string;
}

/** Errors thrown by this library: `name` and `code` are the KMS exception name. */
export interface KmsError extends Error {
  name: "ValidationException" | "InvalidKeyUsageException" | "UnsupportedOperationException" | "InvalidArnException" | "KMSInvalidSignatureException" | "InvalidCiphertextException" | "KMSInternalException";
  code: KmsError["name"];
}
"#;

/// Converts a core error into a JS `Error` whose `name` and `code` are the KMS exception name.
pub(crate) fn to_js_error(error: KmsError) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name(error.name());
    let _ = Reflect::set(&js, &"code".into(), &error.name().into());
    js.into()
}

type JsResult<T> = Result<T, JsValue>;

fn validation(message: String) -> JsValue {
    to_js_error(KmsError::validation(message))
}

fn member(object: &JsValue, name: &str) -> JsResult<Option<JsValue>> {
    let value = Reflect::get(object, &name.into()).map_err(|_| validation(format!("{name} could not be read")))?;
    Ok(if value.is_undefined() || value.is_null() { None } else { Some(value) })
}

fn string_member(object: &JsValue, name: &str) -> JsResult<Option<String>> {
    member(object, name)?
        .map(|v| v.as_string().ok_or_else(|| validation(format!("{name} must be a string"))))
        .transpose()
}

fn string_list_member(object: &JsValue, name: &str) -> JsResult<Option<Vec<String>>> {
    let Some(value) = member(object, name)? else { return Ok(None) };
    if !Array::is_array(&value) {
        return Err(validation(format!("{name} must be an array of strings")));
    }
    Array::from(&value)
        .iter()
        .map(|item| item.as_string().ok_or_else(|| validation(format!("{name} must be an array of strings"))))
        .collect::<JsResult<Vec<_>>>()
        .map(Some)
}

/// Bytes of a Uint8Array (Node Buffer included), ArrayBuffer or array of numbers; `None` for others.
fn bytes_of(value: &JsValue) -> Option<Vec<u8>> {
    if value.is_instance_of::<Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Some(Uint8Array::new(value).to_vec());
    }
    if Array::is_array(value) {
        return Array::from(value)
            .iter()
            .map(|n| n.as_f64().filter(|f| f.fract() == 0.0 && (0.0..=255.0).contains(f)).map(|f| f as u8))
            .collect();
    }
    None
}

/// A KMS blob member: bytes, or base64 text.
fn blob_member(object: &JsValue, name: &str) -> JsResult<Vec<u8>> {
    let value = member(object, name)?.ok_or_else(|| validation(format!("{name} is required")))?;
    if let Some(text) = value.as_string() {
        return decode_base64(&text, name).map_err(to_js_error);
    }
    bytes_of(&value).ok_or_else(|| validation(format!("{name} must be a Uint8Array or a base64 string")))
}

/// PublicKey: DER bytes, or PEM / base64 text (the core tells them apart).
fn public_key_bytes(value: &JsValue) -> JsResult<Vec<u8>> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    bytes_of(value).ok_or_else(|| validation("PublicKey must be a Uint8Array, or PEM or base64 text".into()))
}

fn metadata_of(object: &JsValue) -> JsResult<GetPublicKeyOutput> {
    if !object.is_object() {
        return Err(validation("key metadata must be an object with KeySpec, KeyUsage and the algorithm list".into()));
    }
    Ok(GetPublicKeyOutput {
        key_id: string_member(object, "KeyId")?,
        public_key: Vec::new(),
        key_spec: string_member(object, "KeySpec")?,
        customer_master_key_spec: string_member(object, "CustomerMasterKeySpec")?,
        key_usage: string_member(object, "KeyUsage")?,
        signing_algorithms: string_list_member(object, "SigningAlgorithms")?,
        encryption_algorithms: string_list_member(object, "EncryptionAlgorithms")?,
        key_agreement_algorithms: string_list_member(object, "KeyAgreementAlgorithms")?,
        encapsulation_algorithms: string_list_member(object, "EncapsulationAlgorithms")?,
    })
}

fn string_array<T: KmsEnum>(values: &[T]) -> Array {
    values.iter().map(|v| JsValue::from_str(v.as_str())).collect()
}

fn set(object: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(object, &name.into(), value);
}

/// A KMS asymmetric public key with its metadata, checked against KMS's rules when loaded.
#[wasm_bindgen(js_name = KmsPublicKey)]
pub struct JsKmsPublicKey {
    inner: KmsPublicKey,
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// Loads `aws kms get-public-key` output (JSON text, PublicKey base64) or the SDK's
    /// GetPublicKeyCommand output object (PublicKey bytes).
    #[wasm_bindgen(js_name = fromGetPublicKey)]
    pub fn from_get_public_key(
        #[wasm_bindgen(unchecked_param_type = "string | GetPublicKeyOutput")] output: JsValue,
    ) -> JsResult<JsKmsPublicKey> {
        let inner = if let Some(json) = output.as_string() {
            KmsPublicKey::from_get_public_key_json(&json)
        } else {
            let public_key = member(&output, "PublicKey")?
                .ok_or_else(|| validation("GetPublicKey output has no PublicKey member".into()))?;
            let metadata = metadata_of(&output)?;
            KmsPublicKey::from_get_public_key(GetPublicKeyOutput { public_key: public_key_bytes(&public_key)?, ..metadata })
        };
        inner.map(|inner| JsKmsPublicKey { inner }).map_err(to_js_error)
    }

    /// Loads a public key in PEM, DER or base64 DER, with its metadata given separately.
    #[wasm_bindgen(js_name = fromPublicKey)]
    pub fn from_public_key(
        #[wasm_bindgen(unchecked_param_type = "KmsBlob")] public_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsKeyMetadata")] metadata: JsValue,
    ) -> JsResult<JsKmsPublicKey> {
        let bytes = public_key_bytes(&public_key)?;
        KmsPublicKey::from_public_key(&bytes, metadata_of(&metadata)?)
            .map(|inner| JsKmsPublicKey { inner })
            .map_err(to_js_error)
    }

    #[wasm_bindgen(getter, js_name = keySpec)]
    pub fn key_spec(&self) -> String {
        self.inner.key_spec().as_str().into()
    }

    #[wasm_bindgen(getter, js_name = keyUsage)]
    pub fn key_usage(&self) -> String {
        self.inner.key_usage().as_str().into()
    }

    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> Option<String> {
        self.inner.key_id().map(str::to_owned)
    }

    #[wasm_bindgen(getter, js_name = signingAlgorithms, unchecked_return_type = "string[]")]
    pub fn signing_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().signing_algorithms)
    }

    #[wasm_bindgen(getter, js_name = encryptionAlgorithms, unchecked_return_type = "string[]")]
    pub fn encryption_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().encryption_algorithms)
    }

    #[wasm_bindgen(getter, js_name = keyAgreementAlgorithms, unchecked_return_type = "string[]")]
    pub fn key_agreement_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().key_agreement_algorithms)
    }

    #[wasm_bindgen(getter, js_name = encapsulationAlgorithms, unchecked_return_type = "string[]")]
    pub fn encapsulation_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().encapsulation_algorithms)
    }

    /// The KeyId split into partition, region, account, resource type and ID, when it is an ARN.
    #[wasm_bindgen(getter, unchecked_return_type = "KmsArn | undefined")]
    pub fn arn(&self) -> JsValue {
        let Some(arn) = self.inner.arn() else { return JsValue::UNDEFINED };
        let object = Object::new();
        set(&object, "partition", &arn.partition.as_str().into());
        set(&object, "region", &arn.region.as_str().into());
        set(&object, "accountId", &arn.account_id.as_str().into());
        set(&object, "resourceType", &arn.resource_type.as_str().into());
        set(&object, "resourceId", &arn.resource_id.as_str().into());
        object.into()
    }

    /// The DER SubjectPublicKeyInfo as KMS returned it.
    #[wasm_bindgen(js_name = spkiDer)]
    pub fn spki_der(&self) -> Vec<u8> {
        self.inner.spki_der().to_vec()
    }

    /// The SPKI as a PEM `PUBLIC KEY` block.
    #[wasm_bindgen(js_name = spkiPem)]
    pub fn spki_pem(&self) -> String {
        self.inner.spki_pem()
    }

    /// Lowercase hex SHA-256 of the DER SPKI.
    pub fn fingerprint(&self) -> String {
        self.inner.fingerprint()
    }

    /// GetPublicKey-shaped object (PublicKey base64), so `JSON.stringify(key)` gives the CLI's JSON.
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "GetPublicKeyOutput")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        js_sys::JSON::parse(&self.inner.to_get_public_key_json())
    }

    /// KMS Verify: true or false as KMS decides; a request KMS would refuse throws its exception.
    pub fn verify(&self, #[wasm_bindgen(unchecked_param_type = "VerifyRequest")] request: JsValue) -> JsResult<bool> {
        let parts = VerifyParts::read(&request)?;
        self.inner.verify(&parts.request()).map_err(to_js_error)
    }

    /// Like verify, but an invalid signature throws KMSInvalidSignatureException, as KMS does.
    #[wasm_bindgen(js_name = verifyOrThrow, unchecked_return_type = "VerifyResponse")]
    pub fn verify_or_throw(&self, #[wasm_bindgen(unchecked_param_type = "VerifyRequest")] request: JsValue) -> JsResult<JsValue> {
        let parts = VerifyParts::read(&request)?;
        let response = self.inner.verify_or_error(&parts.request()).map_err(to_js_error)?;
        let object = Object::new();
        set(&object, "KeyId", &response.key_id.map_or(JsValue::UNDEFINED, |id| id.into()));
        set(&object, "SignatureValid", &true.into());
        set(&object, "SigningAlgorithm", &response.signing_algorithm.as_str().into());
        Ok(object.into())
    }
}

/// A Verify request read from JS, owning its bytes.
struct VerifyParts {
    message: Vec<u8>,
    signature: Vec<u8>,
    signing_algorithm: SigningAlgorithm,
    message_type: MessageType,
}

impl VerifyParts {
    fn read(request: &JsValue) -> JsResult<Self> {
        if !request.is_object() {
            return Err(validation("verify takes an object { Message, Signature, SigningAlgorithm, MessageType? }".into()));
        }
        let algorithm = string_member(request, "SigningAlgorithm")?
            .ok_or_else(|| validation("SigningAlgorithm is required".into()))?;
        let message_type = string_member(request, "MessageType")?;
        Ok(VerifyParts {
            message: blob_member(request, "Message")?,
            signature: blob_member(request, "Signature")?,
            signing_algorithm: SigningAlgorithm::parse(&algorithm, "SigningAlgorithm").map_err(to_js_error)?,
            message_type: message_type
                .map(|t| MessageType::parse(&t, "MessageType"))
                .transpose()
                .map_err(to_js_error)?
                .unwrap_or(MessageType::Raw),
        })
    }

    fn request(&self) -> VerifyRequest<'_> {
        VerifyRequest {
            message: &self.message,
            signature: &self.signature,
            signing_algorithm: self.signing_algorithm,
            message_type: self.message_type,
        }
    }
}
