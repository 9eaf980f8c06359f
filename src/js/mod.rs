//! The wasm-bindgen layer: converts JS values to the core's types and KMS errors to JS `Error`s
//! (`name` and `code` = the KMS exception name). Every decision is made in the Rust core.

use crate::encoding::StringRule;
use crate::error::{ErrorKind, KmsError, Param, Rule};
use crate::key::{GetPublicKeyOutput, KmsPublicKey, OutputMember};
#[cfg(feature = "ecdh")]
use crate::agree::CheckedAgreement;
#[cfg(feature = "encrypt")]
use crate::encrypt::{CheckedEncrypt, EncryptRules};
#[cfg(feature = "ecdh")]
use crate::kdf::{KdfHash, hkdf, one_step_kdf};
#[cfg(feature = "encrypt")]
use crate::spec::EncryptionAlgorithm;
#[cfg(feature = "ecdh")]
use crate::spec::KeyAgreementAlgorithm;
#[cfg(feature = "tables")]
use crate::spec::{KEY_SPEC_RULES, KeyType};
use crate::spec::{KeySpec, KeyUsage, KmsEnum, MessageType, SigningAlgorithm};
use crate::string_rules;
use crate::verify::{CheckedVerify, VerifyRules};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

#[cfg(feature = "esdk")]
mod esdk;
#[cfg(feature = "interop")]
mod dsse;
#[cfg(feature = "interop")]
mod interop;
#[cfg(feature = "webcrypto")]
mod webcrypto;
mod read;
#[cfg(any(feature = "interop", feature = "esdk"))]
mod sources;
#[cfg(feature = "x509")]
mod x509;

use read::{free_blob_member, key_bytes, member, optional_free_blob_member, required, string_arg, string_list_member, string_member, validation};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A KMS binary member: bytes, or base64 text as the AWS CLI and HTTP API give it. A string is read as
 * canonical base64 only where the request fixes the length (a signature, a DIGEST or EXTERNAL_MU Message)
 * and checked against it; where the length is free it needs its `...Encoding` member (README "Strings and bytes"). */
export type KmsBlob = Uint8Array | string;

/** How a string of free length is read: `utf8` (it is text) or `base64`. */
export type TextEncoding = "utf8" | "base64";

/** Key metadata as GetPublicKey returns it (the console download carries none: give it here). */
/** Every member is optional in the type, as in the AWS SDK's own declarations; missing required ones
 * (KeySpec, KeyUsage, the algorithm list of the usage) are refused at run time with ValidationException. */
export interface KmsKeyMetadata {
  KeyId?: string | undefined;
  KeySpec?: string | undefined;
  /** Deprecated synonym of KeySpec, accepted from older output. */
  CustomerMasterKeySpec?: string | undefined;
  KeyUsage?: string | undefined;
  SigningAlgorithms?: string[] | undefined;
  EncryptionAlgorithms?: string[] | undefined;
  KeyAgreementAlgorithms?: string[] | undefined;
  EncapsulationAlgorithms?: string[] | undefined;
}

/** What a public key is, detected from its SubjectPublicKeyInfo: the KMS key spec, the usages KMS allows for
 * it and the algorithms of each usage (only the lists of those usages are present). */
export interface DetectedKeySpec {
  KeySpec: string;
  KeyUsages: string[];
  SigningAlgorithms?: string[];
  EncryptionAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
  EncapsulationAlgorithms?: string[];
}

/** `aws kms get-public-key` output (PublicKey base64) or the SDK's GetPublicKeyCommand output (bytes). */
export interface GetPublicKeyOutput extends KmsKeyMetadata {
  PublicKey?: KmsBlob | number[] | undefined;
}

/** The members of a KMS Verify request used offline. */
export interface VerifyRequest {
  /** Bytes; a string is base64 of the digest (DIGEST) or mu (EXTERNAL_MU), and with RAW needs MessageEncoding. */
  Message: KmsBlob;
  /** How a string Message is read; required for a string with MessageType RAW. Not a KMS member. */
  MessageEncoding?: TextEncoding;
  /** Bytes, or base64 of exactly the signature size of the key and algorithm. */
  Signature: KmsBlob;
  SigningAlgorithm: string;
  /** RAW (default), DIGEST or EXTERNAL_MU. */
  MessageType?: string;
  /** DER (default, what KMS returns) or P1363 (WebCrypto/JOSE r‖s) for ECDSA and SM2DSA signatures. */
  SignatureFormat?: SignatureFormat;
}

/** How ECDSA/SM2 signature bytes are laid out: DER (KMS) or IEEE P1363 r‖s (JOSE, WebCrypto). */
export type SignatureFormat = "DER" | "P1363";

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

/* The classes declare `[Symbol.dispose]()` (wasm-bindgen adds it where the runtime has Symbol.dispose); a project
 * whose lib predates explicit resource management (ES2022, DOM) does not know the symbol, so it is declared here,
 * as @types/node does; the declaration merges with TypeScript's own esnext.disposable. */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Errors thrown by this library: `name` and `code` are the KMS exception name. */
export interface KmsError extends Error {
  /** `KmsPublicKey.exceptionNames()` lists them (src/error.rs `ErrorKind::ALL`; tests/enums.rs checks this union). */
  name: "ValidationException" | "InvalidKeyUsageException" | "UnsupportedOperationException" | "InvalidArnException" | "KMSInvalidSignatureException" | "InvalidCiphertextException" | "KMSInternalException";
  code: KmsError["name"];
  /** true: KMS itself would refuse this request with this exception (a KMS rule); false: an input was not
   *  what it must be (text that is not base64, PEM or JSON, bytes that are not a public key, a key's
   *  GetPublicKey output that contradicts itself), found before any KMS rule applies. */
  kmsRefusal: boolean;
  /** Which rule was broken, as a stable code (`KmsPublicKey.ruleCodes()` lists them; "other" for an error
   *  without a specific code, whose `message` is the explanation). `kms-offline/messages` renders it in Japanese. */
  rule: string;
  /** The rule's parameters by name: KMS names and values as text, lists of allowed values, sizes in bytes. */
  params: Record<string, string | string[] | number>;
}
"#;

#[cfg(feature = "tables")]
#[wasm_bindgen(typescript_custom_section)]
const TS_TABLE_TYPES: &str = r#"
/** KeySpec → KeyUsage → the algorithms KMS lists for that spec and usage (`KmsPublicKey.keySpecRules()`). */
export type KeySpecRules = Record<string, Record<string, string[]>>;

/** The protections a key loses outside KMS (AWS, "Special considerations for downloading public keys"), as
 * stable codes to render in the reader's language (`key.offlineCaveats()`). `forEncryption`: the key's
 * usage encrypts (ENCRYPT_DECRYPT, ENCAPSULATE_DECAPSULATE), so data encrypted another way or for a deleted key is
 * lost; otherwise data encrypted with the key can never be decrypted. */
export interface OfflineCaveats {
  codes: ("authorization" | "usage-and-algorithms" | "disable-and-delete" | "logging" | "sm2-signing" | "sm2" | "shared-secret" | "implicit-rejection")[];
  forEncryption: boolean;
}
"#;

#[cfg(feature = "encrypt")]
#[wasm_bindgen(typescript_custom_section)]
const TS_ENCRYPT_TYPES: &str = r#"
/** The members of a KMS Encrypt request used offline. KMS allows no EncryptionContext with asymmetric keys. */
export interface EncryptRequest {
  /** Bytes; a string needs PlaintextEncoding. */
  Plaintext: KmsBlob;
  /** How a string Plaintext is read: utf8 (text) or base64. Not a KMS member. */
  PlaintextEncoding?: TextEncoding;
  EncryptionAlgorithm: string;
  EncryptionContext?: Record<string, string>;
}

export interface EncryptResponse {
  KeyId: string | undefined;
  /** Pass to `aws kms decrypt` with the same KeyId and EncryptionAlgorithm. */
  CiphertextBlob: Uint8Array;
  EncryptionAlgorithm: string;
}

"#;

#[cfg(feature = "ecdh")]
#[wasm_bindgen(typescript_custom_section)]
const TS_ECDH_TYPES: &str = r#"
export interface DeriveSharedSecretRequest {
  KeyAgreementAlgorithm: "ECDH";
  /** Your static private key (PKCS#8 DER, PEM or base64); omit for a fresh ephemeral key. */
  PrivateKey?: KmsBlob;
}

export interface DeriveSharedSecretResponse {
  KeyId: string | undefined;
  /** Your public key as DER SPKI: the PublicKey to pass to KMS DeriveSharedSecret. */
  PublicKey: Uint8Array;
  /** Z, the raw x-coordinate: exactly KMS's SharedSecret. Use it only through hkdf or oneStepKdf. */
  SharedSecret: Uint8Array;
  KeyAgreementAlgorithm: string;
}

"#;

#[cfg(feature = "ml-kem")]
#[wasm_bindgen(typescript_custom_section)]
const TS_ML_KEM_TYPES: &str = r#"
export interface EncapsulateRequest {
  EncapsulationAlgorithm: "ML_KEM";
}

export interface EncapsulateResponse {
  KeyId: string | undefined;
  /** 32 bytes. KMS Decapsulate returns these for the ciphertext (and a pseudo-random value for a wrong one). */
  SharedSecret: Uint8Array;
  SharedSecretCiphertextBlob: Uint8Array;
  EncapsulationAlgorithm: string;
}

"#;

#[cfg(feature = "ecdh")]
#[wasm_bindgen(typescript_custom_section)]
const TS_KDF_TYPES: &str = r#"
export interface HkdfParams {
  Hash: "SHA-256" | "SHA-384" | "SHA-512";
  /** The input keying material, e.g. the ECDH SharedSecret. A string member needs its ...Encoding. */
  Ikm: KmsBlob;
  IkmEncoding?: TextEncoding;
  Salt?: KmsBlob;
  SaltEncoding?: TextEncoding;
  Info?: KmsBlob;
  InfoEncoding?: TextEncoding;
  /** Output bytes, 1 to 255 × hash length. */
  Length: number;
}

export interface OneStepKdfParams {
  Hash: "SHA-256" | "SHA-384" | "SHA-512";
  /** The shared secret Z. A string member needs its ...Encoding. */
  SharedSecret: KmsBlob;
  SharedSecretEncoding?: TextEncoding;
  /** NIST SP 800-56C FixedInfo: bind both public keys and a protocol label here. */
  FixedInfo?: KmsBlob;
  FixedInfoEncoding?: TextEncoding;
  /** Output bytes, 1 to 65536. */
  Length: number;
}
"#;

/// Converts a core error into a JS `Error` whose `name` and `code` are the KMS exception name.
pub(crate) fn to_js_error(error: KmsError) -> JsValue {
    let js = js_sys::Error::new(error.message());
    js.set_name(error.name());
    let _ = Reflect::set(&js, &"code".into(), &error.name().into());
    // true: KMS itself would refuse the request with this exception; false: an input is not what it must be.
    let _ = Reflect::set(&js, &"kmsRefusal".into(), &error.is_kms_rule().into());
    // The rule as a stable code and its parameters, for sentences in other languages (kms-offline/messages).
    let _ = Reflect::set(&js, &"rule".into(), &error.rule().code().into());
    let params = Object::new();
    for (name, value) in error.params() {
        let value: JsValue = match value {
            Param::Text(text) => text.into(),
            Param::List(items) => items.iter().map(|item| JsValue::from_str(item)).collect::<Array>().into(),
            Param::Number(n) => (*n as f64).into(),
        };
        let _ = Reflect::set(&params, &interned(name), &value);
    }
    let _ = Reflect::set(&js, &"params".into(), &params);
    js.into()
}

type JsResult<T> = Result<T, JsValue>;

/// A required enum member's text.
fn enum_text(object: &JsValue, name: &'static str) -> JsResult<String> {
    if !object.is_object() {
        return Err(validation(format!("expected a request object with {name}")));
    }
    string_member(object, name)?.ok_or_else(|| required(name))
}

/// A required enum member, parsed with KMS's validation message.
fn enum_member<T: KmsEnum>(object: &JsValue, name: &'static str) -> JsResult<T> {
    T::parse(&enum_text(object, name)?, name).map_err(to_js_error)
}

/// A required algorithm member of a request to `key`: an algorithm the key lists but this version does not know
/// is UnsupportedOperationException, any other unknown value KMS's ValidationException.
fn algorithm_member<T: KmsEnum>(object: &JsValue, name: &'static str, key: &KmsPublicKey) -> JsResult<T> {
    key.request_algorithm(&enum_text(object, name)?, name).map_err(to_js_error)
}

#[cfg(feature = "ecdh")]
fn length_member(object: &JsValue, name: &'static str) -> JsResult<usize> {
    member(object, name)?
        .and_then(|v| v.as_f64())
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= u32::MAX as f64)
        .map(|n| n as usize)
        .ok_or_else(|| validation(format!("{name} must be a whole number of bytes")))
}

fn response(members: &[(&'static str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in members {
        set(&object, name, value);
    }
    object.into()
}

fn key_id_value(key_id: Option<String>) -> JsValue {
    key_id.map_or(JsValue::UNDEFINED, JsValue::from)
}

fn bytes_value(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

/// The KMS `Sign` request a signing-request method returns (JWS, DSSE, X.509): KMS's member names.
#[cfg(any(feature = "interop", feature = "x509"))]
fn sign_request_value(key_id: Option<&str>, message: &[u8], message_type: MessageType, algorithm: SigningAlgorithm) -> JsValue {
    response(&[
        ("KeyId", key_id_value(key_id.map(str::to_owned))),
        ("Message", bytes_value(message)),
        ("MessageType", message_type.as_str().into()),
        ("SigningAlgorithm", algorithm.as_str().into()),
    ])
}

#[cfg(feature = "ecdh")]
/// A secret copied straight out of its zeroizing buffer into a JS Uint8Array (returning a `Vec` would
/// leave wasm-bindgen to free an unzeroized copy).
fn secret_value(secret: &[u8]) -> Uint8Array {
    Uint8Array::from(secret)
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
        signing_algorithms: string_list_member(object, "SigningAlgorithms", false)?,
        encryption_algorithms: string_list_member(object, "EncryptionAlgorithms", false)?,
        key_agreement_algorithms: string_list_member(object, "KeyAgreementAlgorithms", false)?,
        encapsulation_algorithms: string_list_member(object, "EncapsulationAlgorithms", false)?,
    })
}

fn string_array(values: &[&str]) -> Array {
    values.iter().map(|v| JsValue::from_str(v)).collect()
}

fn set(object: &Object, name: &'static str, value: &JsValue) {
    let _ = Reflect::set(object, &interned(name), value);
}

thread_local! {
    /// The JS strings made by `interned`, by the address and length of their Rust text.
    static INTERNED: std::cell::RefCell<Vec<((usize, usize), JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The JS string of a member name, enum value or WebCrypto name, made from wasm memory once and kept. A string
/// made afresh is a TextDecoder call (~1 µs in Chromium), and a `verifyAsync` passes a dozen (bench/NOTES.md
/// §10). Only `'static` text comes here, so the list stays as short as the binding's vocabulary. (wasm-bindgen's
/// own `enable-interning` does the same with a HashMap: +3 KB gzip on the verify-p256 entry.)
pub(super) fn interned(name: &'static str) -> JsValue {
    let key = (name.as_ptr() as usize, name.len());
    INTERNED.with(|cache| {
        if let Some((_, value)) = cache.borrow().iter().find(|(known, _)| *known == key) {
            return value.clone();
        }
        let value = JsValue::from_str(name);
        cache.borrow_mut().push((key, value.clone()));
        value
    })
}

/// A KMS asymmetric public key with its metadata, checked against KMS's rules when loaded.
#[wasm_bindgen(js_name = KmsPublicKey)]
pub struct JsKmsPublicKey {
    /// Shared with the async operations still running when the object is freed.
    inner: std::rc::Rc<KmsPublicKey>,
    /// The WebCrypto keys the async operations imported (src/js/webcrypto.rs).
    #[cfg(feature = "webcrypto")]
    webcrypto: webcrypto::WebCryptoKeys,
}

impl JsKmsPublicKey {
    fn new(inner: KmsPublicKey) -> Self {
        JsKmsPublicKey {
            inner: std::rc::Rc::new(inner),
            #[cfg(feature = "webcrypto")]
            webcrypto: webcrypto::WebCryptoKeys::default(),
        }
    }

    #[cfg(feature = "ecdh")]
    fn derive_response(&self, checked: &CheckedAgreement<'_>) -> JsResult<JsValue> {
        self.inner.derive_checked(checked).map(|d| derived_value(&d)).map_err(to_js_error)
    }

    #[cfg(feature = "encrypt")]
    fn encrypt_response(&self, checked: &CheckedEncrypt<'_>) -> JsResult<JsValue> {
        let encrypted = self.inner.encrypt_checked(checked).map_err(to_js_error)?;
        Ok(encrypt_value(encrypted.key_id.as_deref(), bytes_value(&encrypted.ciphertext_blob), encrypted.encryption_algorithm))
    }
}

/// DetectedKeySpec: the spec, its usages, and the algorithm list of each usage (from the key spec table).
fn detected_value(spec: KeySpec) -> JsValue {
    let rule = spec.rule();
    let object = Object::new();
    set(&object, "KeySpec", &interned(spec.as_str()));
    set(&object, "KeyUsages", &rule.usages.iter().map(|u| interned(u.as_str())).collect::<Array>());
    for usage in rule.usages {
        set(&object, usage.list_field(), &rule.algorithm_names(*usage).into_iter().map(interned).collect::<Array>());
    }
    object.into()
}

/// EncryptResponse.
#[cfg(feature = "encrypt")]
fn encrypt_value(key_id: Option<&str>, ciphertext: JsValue, algorithm: EncryptionAlgorithm) -> JsValue {
    encrypt_value_with_id(key_id_value(key_id.map(str::to_owned)), ciphertext, algorithm)
}

/// EncryptResponse, with the KeyId already a JS value.
#[cfg(feature = "encrypt")]
fn encrypt_value_with_id(key_id: JsValue, ciphertext: JsValue, algorithm: EncryptionAlgorithm) -> JsValue {
    response(&[
        ("KeyId", key_id),
        ("CiphertextBlob", ciphertext),
        ("EncryptionAlgorithm", interned(algorithm.as_str())),
    ])
}

/// DeriveSharedSecretResponse.
#[cfg(feature = "ecdh")]
fn derived_value(derived: &crate::agree::DeriveSharedSecretResponse) -> JsValue {
    response(&[
        ("KeyId", key_id_value(derived.key_id.clone())),
        ("PublicKey", bytes_value(&derived.public_key)),
        ("SharedSecret", bytes_value(&derived.shared_secret)),
        ("KeyAgreementAlgorithm", interned(derived.key_agreement_algorithm.as_str())),
    ])
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// Loads `aws kms get-public-key` output (JSON text, PublicKey base64) or the SDK's
    /// GetPublicKeyCommand output object (PublicKey bytes).
    #[wasm_bindgen(js_name = fromGetPublicKey)]
    pub fn from_get_public_key(
        #[wasm_bindgen(unchecked_param_type = "string | GetPublicKeyOutput")] output: JsValue,
    ) -> JsResult<JsKmsPublicKey> {
        #[cfg(feature = "json")]
        if let Some(json) = read::text(&output, "GetPublicKey output")? {
            return KmsPublicKey::from_get_public_key_json(&json).map(JsKmsPublicKey::new).map_err(to_js_error);
        }
        // Without the Rust JSON parser (a single-family build), JSON text is parsed by JSON.parse.
        #[cfg(not(feature = "json"))]
        let output = read::parsed_json(&output, "GetPublicKey output")?;
        if !output.is_object() {
            return Err(validation("GetPublicKey output must be the JSON text or the object GetPublicKey returns".into()));
        }
        let public_key = member(&output, "PublicKey")?
            .ok_or_else(|| validation("GetPublicKey output has no PublicKey member".into()))?;
        let metadata = metadata_of(&output)?;
        KmsPublicKey::from_get_public_key(GetPublicKeyOutput { public_key: read::public_key_bytes(&public_key)?, ..metadata })
            .map(JsKmsPublicKey::new)
            .map_err(to_js_error)
    }

    /// Loads a public key in PEM, DER or base64 DER, with its metadata given separately.
    #[wasm_bindgen(js_name = fromPublicKey)]
    pub fn from_public_key(
        #[wasm_bindgen(unchecked_param_type = "KmsBlob")] public_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsKeyMetadata")] metadata: JsValue,
    ) -> JsResult<JsKmsPublicKey> {
        let bytes = key_bytes(&public_key, "PublicKey")?;
        KmsPublicKey::from_public_key(&bytes, metadata_of(&metadata)?)
            .map(JsKmsPublicKey::new)
            .map_err(to_js_error)
    }

    /// The KMS key spec of a public key (PEM, DER or base64 DER), detected from its SubjectPublicKeyInfo, with the
    /// usages and algorithms KMS allows for it: what to give `fromPublicKey` as metadata. `undefined` when the key
    /// is of no KMS key spec (e.g. RSA 1024-bit); input that is no public key throws ValidationException saying what it is.
    #[wasm_bindgen(js_name = detectKeySpec, unchecked_return_type = "DetectedKeySpec | undefined")]
    pub fn detect_key_spec(#[wasm_bindgen(js_name = publicKey, unchecked_param_type = "KmsBlob")] public_key: JsValue) -> JsResult<JsValue> {
        let bytes = key_bytes(&public_key, "PublicKey")?;
        let Some(spec) = KmsPublicKey::detect_key_spec(&bytes).map_err(to_js_error)? else { return Ok(JsValue::UNDEFINED) };
        Ok(detected_value(spec))
    }

    /// Every KMS exception name this library throws (`KmsError["name"]`), from the core's one list.
    #[wasm_bindgen(js_name = exceptionNames, unchecked_return_type = "KmsError[\"name\"][]")]
    pub fn exception_names() -> Array {
        ErrorKind::ALL.iter().map(|kind| JsValue::from_str(kind.name())).collect()
    }

    /// Which KeyUsage, and which algorithms of each, KMS allows for every KeySpec with a public key (KMS-RULES.md
    /// §2.1), from the core's key spec table: specs and usages in KMS's enum order.
    #[cfg(feature = "tables")]
    #[wasm_bindgen(js_name = keySpecRules, unchecked_return_type = "KeySpecRules")]
    pub fn key_spec_rules() -> Object {
        let table = Object::new();
        for rule in KEY_SPEC_RULES.iter().filter(|rule| rule.key_type != KeyType::NoPublicKey) {
            let usages = Object::new();
            for usage in rule.usages_in_kms_order() {
                let algorithms = rule.algorithm_names(usage).into_iter().map(JsValue::from_str).collect::<Array>();
                let _ = Reflect::set(&usages, &usage.as_str().into(), &algorithms);
            }
            let _ = Reflect::set(&table, &rule.spec.as_str().into(), &usages);
        }
        table
    }

    /// Every rule code an error's `rule` can be (stable, kebab-case), for tables of sentences in other languages.
    #[wasm_bindgen(js_name = ruleCodes, unchecked_return_type = "string[]")]
    pub fn rule_codes() -> Array {
        Rule::ALL.iter().map(|rule| JsValue::from_str(rule.code())).collect()
    }

    /// How many times request rules were evaluated in this instance (tests/js/rules-once.test.mjs proves once per
    /// request on every path). Not part of the API: no type, and it may go; only in the main entry.
    #[cfg(feature = "webcrypto")]
    #[wasm_bindgen(js_name = __ruleChecks, skip_typescript)]
    pub fn rule_checks() -> f64 {
        crate::verify::rule_checks::total() as f64
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
        string_array(&self.inner.metadata().algorithm_names(KeyUsage::SignVerify))
    }

    #[wasm_bindgen(getter, js_name = encryptionAlgorithms, unchecked_return_type = "string[]")]
    pub fn encryption_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().algorithm_names(KeyUsage::EncryptDecrypt))
    }

    #[wasm_bindgen(getter, js_name = keyAgreementAlgorithms, unchecked_return_type = "string[]")]
    pub fn key_agreement_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().algorithm_names(KeyUsage::KeyAgreement))
    }

    #[wasm_bindgen(getter, js_name = encapsulationAlgorithms, unchecked_return_type = "string[]")]
    pub fn encapsulation_algorithms(&self) -> Array {
        string_array(&self.inner.metadata().algorithm_names(KeyUsage::EncapsulateDecapsulate))
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
    /// The protections this key loses outside KMS (KMS-RULES.md §7), as codes to render in the reader's language.
    #[cfg(feature = "tables")]
    #[wasm_bindgen(js_name = offlineCaveats, unchecked_return_type = "OfflineCaveats")]
    pub fn offline_caveats(&self) -> Object {
        let caveats = self.inner.offline_caveats();
        let object = Object::new();
        set(&object, "codes", &caveats.list.iter().map(|caveat| JsValue::from_str(caveat.code())).collect::<Array>());
        set(&object, "forEncryption", &caveats.for_encryption.into());
        object
    }

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
    pub fn to_json(&self) -> JsValue {
        let object = Object::new();
        for (name, value) in self.inner.get_public_key_members() {
            let value: JsValue = match value {
                OutputMember::Text(text) => text.into(),
                OutputMember::List(items) => items.iter().map(|item| JsValue::from_str(item)).collect::<Array>().into(),
            };
            set(&object, name, &value);
        }
        object.into()
    }

    /// KMS Verify: true or false as KMS decides; a request KMS would refuse throws its exception.
    pub fn verify(&self, #[wasm_bindgen(unchecked_param_type = "VerifyRequest")] request: JsValue) -> JsResult<bool> {
        Ok(self.inner.verify_checked(&checked_verify(&request, &self.inner)?))
    }

    /// Like verify, but an invalid signature throws KMSInvalidSignatureException, as KMS does.
    #[wasm_bindgen(js_name = verifyOrThrow, unchecked_return_type = "VerifyResponse")]
    pub fn verify_or_throw(&self, #[wasm_bindgen(unchecked_param_type = "VerifyRequest")] request: JsValue) -> JsResult<JsValue> {
        let verified = self.inner.verify_checked_or_error(&checked_verify(&request, &self.inner)?).map_err(to_js_error)?;
        Ok(response(&[
            ("KeyId", key_id_value(verified.key_id)),
            ("SignatureValid", true.into()),
            ("SigningAlgorithm", interned(verified.signing_algorithm.as_str())),
        ]))
    }
}

#[cfg(feature = "interop")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// The 64-byte ML-DSA mu of a message of any size, for MessageType EXTERNAL_MU. The message is bytes:
    /// its length is free, so a string would be ambiguous (text or base64) and is refused.
    #[wasm_bindgen(js_name = externalMu)]
    pub fn external_mu(&self, #[wasm_bindgen(unchecked_param_type = "Uint8Array")] message: JsValue) -> JsResult<Vec<u8>> {
        let message = read::blob_by_rule(&message, "Message", &StringRule::Free, (None, None), None)?;
        self.inner.external_mu(&message).map(|mu| mu.to_vec()).map_err(to_js_error)
    }

}

#[cfg(feature = "encrypt")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// KMS Encrypt, offline: a ciphertext KMS Decrypt opens with the same EncryptionAlgorithm.
    #[wasm_bindgen(unchecked_return_type = "EncryptResponse")]
    pub fn encrypt(&self, #[wasm_bindgen(unchecked_param_type = "EncryptRequest")] request: JsValue) -> JsResult<JsValue> {
        self.encrypt_response(&EncryptParts::read(&request, &self.inner)?.check()?)
    }

}

#[cfg(feature = "ecdh")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// The other side of KMS DeriveSharedSecret: your public key and the shared secret Z.
    #[wasm_bindgen(js_name = deriveSharedSecret, unchecked_return_type = "DeriveSharedSecretResponse")]
    pub fn derive_shared_secret(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeriveSharedSecretRequest")] request: JsValue,
    ) -> JsResult<JsValue> {
        self.derive_response(&DeriveParts::read(&request, &self.inner)?.check(&self.inner)?)
    }

}

#[cfg(feature = "ml-kem")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// KMS Encapsulate, offline: a shared secret and the ciphertext KMS Decapsulate opens.
    #[wasm_bindgen(unchecked_return_type = "EncapsulateResponse")]
    pub fn encapsulate(&self, #[wasm_bindgen(unchecked_param_type = "EncapsulateRequest")] request: JsValue) -> JsResult<JsValue> {
        let algorithm = algorithm_member::<crate::spec::EncapsulationAlgorithm>(&request, "EncapsulationAlgorithm", &self.inner)?;
        encapsulated_value(&self.inner, &self.inner.check_encapsulate(algorithm).map_err(to_js_error)?)
    }
}

/// The encapsulation of a checked request, as an EncapsulateResponse (encapsulate, and encapsulateAsync's wasm path).
#[cfg(feature = "ml-kem")]
fn encapsulated_value(key: &KmsPublicKey, checked: &crate::encapsulate::CheckedEncapsulate) -> JsResult<JsValue> {
    let encapsulated = key.encapsulate_checked(checked).map_err(to_js_error)?;
    Ok(response(&[
        ("KeyId", key_id_value(encapsulated.key_id.clone())),
        ("SharedSecret", bytes_value(&encapsulated.shared_secret)),
        ("SharedSecretCiphertextBlob", bytes_value(&encapsulated.shared_secret_ciphertext_blob)),
        ("EncapsulationAlgorithm", interned(encapsulated.encapsulation_algorithm.as_str())),
    ]))
}

/// An incremental hash for MessageType DIGEST: feed a message of any size in chunks (file, stream), then
/// verify with the digest as `Message` and `MessageType: "DIGEST"`.
#[wasm_bindgen(js_name = MessageDigest)]
pub struct JsMessageDigest {
    inner: Option<crate::digest::MessageDigest>,
}

#[wasm_bindgen(js_class = MessageDigest)]
impl JsMessageDigest {
    /// `"SHA-256" | "SHA-384" | "SHA-512" | "SM3"`.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "string")] name: JsValue) -> JsResult<JsMessageDigest> {
        crate::digest::MessageDigest::new(&string_arg(&name, "MessageDigest name")?).map(|d| JsMessageDigest { inner: Some(d) }).map_err(to_js_error)
    }

    /// The digest a DIGEST Verify request needs for this SigningAlgorithm (RSA and ECDSA; ED25519_PH_SHA_512).
    #[wasm_bindgen(js_name = forSigningAlgorithm)]
    pub fn for_signing_algorithm(
        #[wasm_bindgen(js_name = signingAlgorithm, unchecked_param_type = "string")] signing_algorithm: JsValue,
    ) -> JsResult<JsMessageDigest> {
        let algorithm = SigningAlgorithm::parse(&string_arg(&signing_algorithm, "SigningAlgorithm")?, "SigningAlgorithm").map_err(to_js_error)?;
        crate::digest::MessageDigest::for_signing_algorithm(algorithm)
            .map(|d| JsMessageDigest { inner: Some(d) })
            .map_err(to_js_error)
    }

    /// Feeds a chunk (Uint8Array).
    pub fn update(&mut self, #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue) -> JsResult<()> {
        let chunk = read::byte_arg(&chunk, "chunk")?;
        self.inner.as_mut().ok_or_else(finished)?.update(&chunk);
        Ok(())
    }

    /// The digest. The object cannot be fed after this.
    pub fn digest(&mut self) -> JsResult<Vec<u8>> {
        self.inner.take().map(crate::digest::MessageDigest::finalize).ok_or_else(finished)
    }
}

fn finished() -> JsValue {
    validation("this MessageDigest has already returned its digest; make a new one".into())
}

#[cfg(feature = "ecdh")]
/// HKDF (RFC 5869; SP 800-56C two-step) over the ECDH SharedSecret or any input keying material.
#[wasm_bindgen(js_name = hkdf, unchecked_return_type = "Uint8Array")]
pub fn js_hkdf(#[wasm_bindgen(unchecked_param_type = "HkdfParams")] params: JsValue) -> JsResult<Uint8Array> {
    let hash = enum_member::<KdfHash>(&params, "Hash")?;
    let ikm = Zeroizing::new(free_blob_member(&params, "Ikm", "IkmEncoding")?);
    let salt = optional_free_blob_member(&params, "Salt", "SaltEncoding")?;
    let info = optional_free_blob_member(&params, "Info", "InfoEncoding")?;
    let length = length_member(&params, "Length")?;
    hkdf(hash, &ikm, &salt, &info, length).map(|k| secret_value(&k)).map_err(to_js_error)
}

#[cfg(feature = "ecdh")]
/// The NIST SP 800-56C Rev. 2 one-step KDF (hash option) over the ECDH SharedSecret.
#[wasm_bindgen(js_name = oneStepKdf, unchecked_return_type = "Uint8Array")]
pub fn js_one_step_kdf(#[wasm_bindgen(unchecked_param_type = "OneStepKdfParams")] params: JsValue) -> JsResult<Uint8Array> {
    let hash = enum_member::<KdfHash>(&params, "Hash")?;
    let z = Zeroizing::new(free_blob_member(&params, "SharedSecret", "SharedSecretEncoding")?);
    let fixed_info = optional_free_blob_member(&params, "FixedInfo", "FixedInfoEncoding")?;
    let length = length_member(&params, "Length")?;
    one_step_kdf(hash, &z, &fixed_info, length).map(|k| secret_value(&k)).map_err(to_js_error)
}

/// An Encrypt request read from JS, owning its bytes (the plaintext in a zeroizing buffer), with the rules that
/// hold whatever the plaintext is.
#[cfg(feature = "encrypt")]
struct EncryptParts {
    plaintext: Zeroizing<Vec<u8>>,
    rules: EncryptRules,
}

#[cfg(feature = "encrypt")]
impl EncryptParts {
    /// The request for `key` (whether KMS refuses it whatever the plaintext is decides how a string is read).
    fn read(request: &JsValue, key: &KmsPublicKey) -> JsResult<Self> {
        let algorithm = algorithm_member::<EncryptionAlgorithm>(request, "EncryptionAlgorithm", key)?;
        let context_pairs = match member(request, "EncryptionContext")? {
            Some(context) if context.is_object() => read::key_count(&context, "EncryptionContext")?,
            Some(_) => return Err(validation("EncryptionContext must be an object of string pairs".into())),
            None => 0,
        };
        let rules = EncryptRules::new(key, algorithm, context_pairs);
        let rule = string_rules::encrypt_plaintext(&rules);
        let plaintext = read::blob_member_by_rule(request, "Plaintext", &rule, Some("PlaintextEncoding"))?.ok_or_else(|| required("Plaintext"))?;
        Ok(EncryptParts { plaintext: Zeroizing::new(plaintext), rules })
    }

    /// The request with every KMS rule checked (once), or KMS's refusal.
    fn check(self) -> JsResult<CheckedEncrypt<'static>> {
        self.rules.check_owned(self.plaintext).map_err(to_js_error)
    }
}

/// A DeriveSharedSecret request read from JS, owning its bytes (a static private key in a zeroizing buffer).
#[cfg(feature = "ecdh")]
struct DeriveParts {
    algorithm: KeyAgreementAlgorithm,
    private_key: Option<Zeroizing<Vec<u8>>>,
}

#[cfg(feature = "ecdh")]
impl DeriveParts {
    fn read(request: &JsValue, key: &KmsPublicKey) -> JsResult<Self> {
        let algorithm = algorithm_member::<KeyAgreementAlgorithm>(request, "KeyAgreementAlgorithm", key)?;
        let private_key = member(request, "PrivateKey")?.map(|value| key_bytes(&value, "PrivateKey").map(Zeroizing::new)).transpose()?;
        Ok(DeriveParts { algorithm, private_key })
    }

    /// The request with every KMS rule checked (once), or KMS's refusal.
    fn check(self, key: &KmsPublicKey) -> JsResult<CheckedAgreement<'static>> {
        key.check_owned_key_agreement(self.algorithm, self.private_key).map_err(to_js_error)
    }
}

/// A Verify request read from JS for `key`, with every KMS rule checked once. The algorithm, message type and
/// signature format come first, since the rules they give fix what a string Message or Signature may be
/// (crate::string_rules); the bytes then complete the same rules.
fn checked_verify(request: &JsValue, key: &KmsPublicKey) -> JsResult<CheckedVerify<'static>> {
    if !request.is_object() {
        return Err(validation("verify takes an object { Message, Signature, SigningAlgorithm, MessageType? }".into()));
    }
    let algorithm = string_member(request, "SigningAlgorithm")?
        .ok_or_else(|| required("SigningAlgorithm"))?;
    let signing_algorithm = key.request_algorithm::<SigningAlgorithm>(&algorithm, "SigningAlgorithm").map_err(to_js_error)?;
    let message_type = string_member(request, "MessageType")?
        .map(|t| MessageType::parse(&t, "MessageType"))
        .transpose()
        .map_err(to_js_error)?
        .unwrap_or(MessageType::Raw);
    let signature_format = string_member(request, "SignatureFormat")?
        .map(|f| crate::SignatureFormat::parse(&f, "SignatureFormat"))
        .transpose()
        .map_err(to_js_error)?
        .unwrap_or_default();
    let rules = VerifyRules::new(key, signing_algorithm, message_type, signature_format);
    let (message_rule, signature_rule) = string_rules::verify_strings(key, &rules);
    let message = read::blob_member_by_rule(request, "Message", &message_rule, Some("MessageEncoding"))?.ok_or_else(|| required("Message"))?;
    let signature = read::sized_blob_member(request, "Signature", &signature_rule)?;
    rules.check(message.into(), signature.into()).map_err(to_js_error)
}
