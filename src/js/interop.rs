//! The wasm-bindgen layer of `crate::interop`: JWS/JWT, signature formats, streamed digests,
//! secp256k1/Ethereum and JWK. It converts JS values and nothing else; every rule is in the core.

use super::read::{self, member, required, sized_blob_member, string_member, validation};
use super::sources::{await_value, symbol_method};
use super::{JsKmsPublicKey, JsMessageDigest, JsResult, bytes_value, key_id_value, metadata_of, response, sign_request_value, to_js_error};
use crate::error::KmsError;
use crate::interop::{self, SignatureFormat, jwt::JwtValidation};
use crate::key::KmsPublicKey;
use crate::spec::{KeySpec, MessageType};
use crate::string_rules;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_INTEROP_TYPES: &str = r#"
/** A public JWK as `toJwk` returns it (RFC 7517; OKP per RFC 8037; AKP per RFC 9964). */
export interface KmsJwk {
  kty: "RSA" | "EC" | "OKP" | "AKP";
  n?: string; e?: string;
  crv?: "P-256" | "P-384" | "P-521" | "secp256k1" | "Ed25519";
  x?: string; y?: string;
  pub?: string;
  kid?: string;
  use?: "sig" | "enc";
  /** Set when the key's algorithm list allows exactly one JOSE algorithm. */
  alg?: string;
}

/** A public JWK object from anywhere (WebCrypto's `exportKey("jwk")`, jose, a JWKS entry), as `fromJwk` takes it:
 *  every member is checked at run time and a private one is refused. Declared here so that neither the DOM lib
 *  (`JsonWebKey`) nor @types/node is needed. */
export interface PublicJwk {
  kty?: string;
  crv?: string;
  n?: string; e?: string;
  x?: string; y?: string;
  pub?: string;
  kid?: string;
  use?: string;
  alg?: string;
  key_ops?: string[];
  ext?: boolean;
}

export interface JwsSigningRequestParams {
  /** Bytes, UTF-8 text, or a JSON object (a JWT claims set, serialised with JSON.stringify). */
  Payload: Uint8Array | string | Record<string, unknown>;
  /** JWS alg (RS256, PS256, ES256, ES256K, EdDSA, ML-DSA-65, ...); defaults to the key's only one. */
  Alg?: string;
  /** Extra protected header members (typ, kid, ...). */
  ProtectedHeader?: Record<string, unknown>;
  /** Defaults to RAW up to 4096 bytes of signing input, DIGEST (RSA/ECDSA) or EXTERNAL_MU (ML-DSA) above. */
  MessageType?: "RAW" | "DIGEST" | "EXTERNAL_MU";
}

export interface JwsSigningRequest {
  /** Send as is: `kms.send(new SignCommand(SignRequest))`. */
  SignRequest: { KeyId: string | undefined; Message: Uint8Array; MessageType: string; SigningAlgorithm: string };
  /** Give it back to assembleJws with the Signature KMS returned. */
  SigningInput: string;
  Alg: string;
}

export interface VerifiedJws {
  ProtectedHeader: Record<string, unknown>;
  Payload: Uint8Array;
  Alg: string;
  SigningAlgorithm: string;
  KeyId: string | undefined;
}

export interface VerifiedJwt {
  ProtectedHeader: Record<string, unknown>;
  /** The claims set. */
  Payload: Record<string, unknown>;
  Alg: string;
  SigningAlgorithm: string;
  KeyId: string | undefined;
}

/** Claim checks of verifyJwt. exp and nbf are checked when present; iss and aud when asked for. */
export interface JwtValidationOptions {
  /** Seconds since the epoch, or a Date; defaults to now. */
  CurrentTime?: number | Date;
  /** Allowed clock skew for exp and nbf, in seconds (default 0). */
  ClockTolerance?: number;
  Issuer?: string | string[];
  Audience?: string | string[];
  /** Refuse a token without exp. */
  RequireExp?: boolean;
}

export interface EthereumSignatureParams {
  /** The 32-byte digest KMS signed with MessageType DIGEST (e.g. keccak256 of the transaction); a string is base64 of 32 bytes. */
  Digest: KmsBlob;
  /** The DER signature KMS Sign returned; a string is base64 of 8 to 72 bytes. */
  Signature: KmsBlob;
}

export interface EthereumSignature {
  R: Uint8Array;
  /** Low-S (EIP-2). */
  S: Uint8Array;
  /** Recovery parity for this (normalised) S. */
  YParity: 0 | 1;
  /** 27 + YParity. */
  V: 27 | 28;
  /** r ‖ s ‖ v, 65 bytes. */
  Signature: Uint8Array;
}

/** Anything with update(chunk) and digest(): MessageDigest, ExternalMuDigest. */
export interface StreamingDigest {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array;
}

/** A Blob or File, a Web ReadableStream, a Node Readable or any (async) iterable of byte chunks. */
export type DigestSource = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
"#;

fn key_spec_arg(value: &JsValue) -> JsResult<KeySpec> {
    KeySpec::parse(&read::string_arg(value, "keySpec")?, "KeySpec").map_err(to_js_error)
}

/// The KeySpec argument of the signature converters, and its curve.
fn key_spec_and_curve(value: &JsValue) -> JsResult<(KeySpec, crate::spec::Curve)> {
    let spec = key_spec_arg(value)?;
    Ok((spec, interop::ecdsa_format::curve_of(spec).map_err(to_js_error)?))
}

/// A signature argument in `format`: bytes, or base64 of a size the curve allows.
fn signature_arg(value: &JsValue, spec: KeySpec, curve: crate::spec::Curve, format: SignatureFormat) -> JsResult<Vec<u8>> {
    let rule = string_rules::curve_signature(curve, format, spec.as_str());
    read::blob_by_rule(value, "Signature", &rule, (None, None), Some(read::MAX_MEMBER_BYTES))
}

fn parse_json(text: &str) -> JsResult<JsValue> {
    js_sys::JSON::parse(text)
}

/// A KMS error for a claim failure also carries `claim` (exp, nbf, iss, aud).
fn jwt_error(error: KmsError) -> JsValue {
    let claim = interop::jwt::failed_claim(&error).map(str::to_owned);
    let js = to_js_error(error);
    if let Some(claim) = claim {
        let _ = Reflect::set(&js, &"claim".into(), &claim.into());
    }
    js
}

fn verified_jws_value(verified: &interop::VerifiedJws, payload: JsValue) -> JsResult<JsValue> {
    let header = serde_json::to_string(&verified.header).map_err(|e| validation(e.to_string()))?;
    Ok(response(&[
        ("ProtectedHeader", parse_json(&header)?),
        ("Payload", payload),
        ("Alg", verified.alg.into()),
        ("SigningAlgorithm", verified.signing_algorithm.as_str().into()),
        ("KeyId", key_id_value(verified.key_id.clone())),
    ]))
}

fn wrap(inner: KmsPublicKey) -> JsKmsPublicKey {
    JsKmsPublicKey::new(inner)
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// Loads a public JWK (object or JSON text) with the KMS metadata a JWK does not carry.
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(
        #[wasm_bindgen(unchecked_param_type = "PublicJwk | string")] jwk: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsKeyMetadata")] metadata: JsValue,
    ) -> JsResult<JsKmsPublicKey> {
        let text = read::json_text(&jwk, "jwk", 64 * 1024)?;
        KmsPublicKey::from_jwk(&text, metadata_of(&metadata)?).map(wrap).map_err(to_js_error)
    }

    /// The public key as a JWK (for WebCrypto importKey('jwk') and jose); SM2 and ML-KEM have none.
    #[wasm_bindgen(js_name = toJwk, unchecked_return_type = "KmsJwk")]
    pub fn to_jwk(&self) -> JsResult<JsValue> {
        parse_json(&self.inner.to_jwk_json().map_err(to_js_error)?)
    }

    /// Verifies a compact JWS signed by this key: true or false; a token KMS could not have signed throws.
    #[wasm_bindgen(js_name = verifyJws)]
    pub fn verify_jws(&self, #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue) -> JsResult<bool> {
        self.inner.verify_jws(&read::string_arg(&token, "token")?).map_err(to_js_error)
    }

    /// Like verifyJws, returning header and payload; an invalid signature throws KMSInvalidSignatureException.
    #[wasm_bindgen(js_name = verifyJwsOrThrow, unchecked_return_type = "VerifiedJws")]
    pub fn verify_jws_or_throw(&self, #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue) -> JsResult<JsValue> {
        let verified = self.inner.verify_jws_or_error(&read::string_arg(&token, "token")?).map_err(to_js_error)?;
        verified_jws_value(&verified, bytes_value(&verified.payload))
    }

    /// Verifies a JWT signed by this key, then its claims: exp/nbf against now (or CurrentTime), iss and
    /// aud when asked. A failed claim is a ValidationException with `claim` set and a message starting
    /// `JWTClaimValidationFailed`.
    #[wasm_bindgen(js_name = verifyJwt, unchecked_return_type = "VerifiedJwt")]
    pub fn verify_jwt(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "JwtValidationOptions")] options: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let token = read::string_arg(&token, "token")?;
        let options = options.filter(|o| !o.is_null() && !o.is_undefined()).unwrap_or_else(|| js_sys::Object::new().into());
        if !options.is_object() {
            return Err(validation("verifyJwt options must be an object".into()));
        }
        let now = match member(&options, "CurrentTime")? {
            None => js_sys::Date::now() / 1000.0,
            Some(time) => read::seconds(&time, "CurrentTime")?,
        };
        let tolerance = match member(&options, "ClockTolerance")? {
            None => 0,
            Some(v) => v
                .as_f64()
                .filter(|s| s.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(s))
                .ok_or_else(|| validation("ClockTolerance must be a whole number of seconds".into()))? as u32,
        };
        let validation_rules = JwtValidation {
            now: Some(now.floor() as i64),
            clock_tolerance: tolerance,
            issuer: read::string_list_member(&options, "Issuer", true)?,
            audience: read::string_list_member(&options, "Audience", true)?,
            require_exp: member(&options, "RequireExp")?.is_some_and(|v| v.is_truthy()),
        };
        let verified = self.inner.verify_jwt(&token, &validation_rules).map_err(jwt_error)?;
        let claims = serde_json::to_string(&verified.claims).map_err(|e| validation(e.to_string()))?;
        verified_jws_value(&verified.jws, parse_json(&claims)?)
    }

    /// The KMS Sign request for a JWS, and the signing input to pass to assembleJws with the signature.
    #[wasm_bindgen(js_name = jwsSigningRequest, unchecked_return_type = "JwsSigningRequest")]
    pub fn jws_signing_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "JwsSigningRequestParams")] params: JsValue,
    ) -> JsResult<JsValue> {
        if !params.is_object() {
            return Err(validation("jwsSigningRequest takes { Payload, Alg?, ProtectedHeader?, MessageType? }".into()));
        }
        let payload_value = member(&params, "Payload")?.ok_or_else(|| required("Payload"))?;
        let max_jws = interop::jws::MAX_JWS_LEN as u32;
        let payload = match read::text(&payload_value, "Payload")? {
            Some(text) => text.into_bytes(),
            None => match read::bytes(&payload_value, "Payload", Some(max_jws))? {
                Some(bytes) => bytes,
                None => read::json_text(&payload_value, "Payload", max_jws)?.into_bytes(),
            },
        };
        let header = match member(&params, "ProtectedHeader")? {
            None => None,
            Some(h) => {
                let json = read::json_text(&h, "ProtectedHeader", interop::jws::MAX_HEADER_LEN as u32)?;
                Some(interop::strict_json::object(json.as_bytes(), "ProtectedHeader").map_err(to_js_error)?)
            }
        };
        let alg = string_member(&params, "Alg")?;
        let message_type = string_member(&params, "MessageType")?
            .map(|t| MessageType::parse(&t, "MessageType"))
            .transpose()
            .map_err(to_js_error)?;
        let request = self
            .inner
            .jws_signing_request(alg.as_deref(), header.as_ref(), &payload, message_type)
            .map_err(to_js_error)?;
        let sign = sign_request_value(request.key_id.as_deref(), &request.message, request.message_type, request.signing_algorithm);
        Ok(response(&[("SignRequest", sign), ("SigningInput", request.signing_input.as_str().into()), ("Alg", request.alg.into())]))
    }

    /// The compact JWS from the signing input and KMS Sign's Signature (DER for ECDSA), verified first.
    #[wasm_bindgen(js_name = assembleJws)]
    pub fn assemble_jws(
        &self,
        #[wasm_bindgen(js_name = signingInput, unchecked_param_type = "string")] signing_input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsBlob")] signature: JsValue,
    ) -> JsResult<String> {
        let signing_input = read::string_arg(&signing_input, "signingInput")?;
        let spec = self.inner.key_spec();
        let rule = string_rules::signature(spec, SignatureFormat::Der, spec.as_str());
        let signature = read::blob_by_rule(&signature, "Signature", &rule, (None, None), Some(read::MAX_MEMBER_BYTES))?;
        self.inner.assemble_jws(&signing_input, &signature).map_err(to_js_error)
    }

    /// A MessageDigest (SM3) pre-fed with Z_A for this SM2 key and ID (default `1234567812345678`):
    /// feed the message; its digest e goes to Verify with SigningAlgorithm SM2DSA and MessageType DIGEST.
    #[wasm_bindgen(js_name = sm2Digest)]
    pub fn sm2_digest(
        &self,
        #[wasm_bindgen(js_name = distinguishingId, unchecked_optional_param_type = "string | Uint8Array")] distinguishing_id: Option<JsValue>,
    ) -> JsResult<JsMessageDigest> {
        let distinguishing_id = distinguishing_id.unwrap_or(JsValue::UNDEFINED);
        let id = if distinguishing_id.is_undefined() || distinguishing_id.is_null() {
            None // the core's default: KMS's
        } else if let Some(text) = read::text(&distinguishing_id, "distinguishingId")? {
            Some(text.into_bytes()) // an ID is text (UTF-8), not base64
        } else {
            Some(read::bytes(&distinguishing_id, "distinguishingId", Some(read::MAX_MEMBER_BYTES))?
                .ok_or_else(|| validation("distinguishingId must be a string or a Uint8Array".into()))?)
        };
        let digest = self.inner.sm2_digest_or_default(id.as_deref()).map_err(to_js_error)?;
        Ok(JsMessageDigest { inner: Some(digest) })
    }

    /// A streaming ML-DSA mu for this key: feed the message; the 64-byte result goes to Verify with
    /// SigningAlgorithm ML_DSA_SHAKE_256 and MessageType EXTERNAL_MU.
    #[wasm_bindgen(js_name = externalMuDigest)]
    pub fn external_mu_digest(&self) -> JsResult<JsExternalMuDigest> {
        self.inner.external_mu_digest().map(|d| JsExternalMuDigest { inner: Some(d) }).map_err(to_js_error)
    }

    /// The EIP-55 checksummed Ethereum address of this ECC_SECG_P256K1 key.
    #[wasm_bindgen(js_name = ethereumAddress)]
    pub fn ethereum_address(&self) -> JsResult<String> {
        self.inner.ethereum_address().map_err(to_js_error)
    }

    /// KMS's DER signature over a 32-byte digest as an Ethereum signature: low-S, recovery parity after
    /// normalisation, r‖s‖v. Throws KMSInvalidSignatureException if it does not verify with this key.
    #[wasm_bindgen(js_name = ethereumSignature, unchecked_return_type = "EthereumSignature")]
    pub fn ethereum_signature(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EthereumSignatureParams")] params: JsValue,
    ) -> JsResult<JsValue> {
        if !params.is_object() {
            return Err(validation("ethereumSignature takes an object { Digest, Signature }".into()));
        }
        let digest = sized_blob_member(&params, "Digest", &string_rules::ethereum_digest())?;
        let signature = sized_blob_member(&params, "Signature", &string_rules::ethereum_signature())?;
        let eth = self.inner.ethereum_signature(&digest, &signature).map_err(to_js_error)?;
        Ok(response(&[
            ("R", bytes_value(&eth.r)),
            ("S", bytes_value(&eth.s)),
            ("YParity", eth.y_parity.into()),
            ("V", (27 + eth.y_parity).into()),
            ("Signature", bytes_value(&eth.to_bytes())),
        ]))
    }
}

/// The streamed ML-DSA mu (use with MessageType EXTERNAL_MU). Made by `key.externalMuDigest()`.
#[wasm_bindgen(js_name = ExternalMuDigest)]
pub struct JsExternalMuDigest {
    inner: Option<interop::ExternalMuDigest>,
}

#[wasm_bindgen(js_class = ExternalMuDigest)]
impl JsExternalMuDigest {
    /// Feeds a chunk of the message.
    pub fn update(&mut self, #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue) -> JsResult<()> {
        let chunk = read::byte_arg(&chunk, "chunk")?;
        self.inner.as_mut().ok_or_else(finished)?.update(&chunk);
        Ok(())
    }

    /// The 64-byte mu. The object cannot be fed after this.
    pub fn digest(&mut self) -> JsResult<Vec<u8>> {
        self.inner.take().map(|d| d.finalize().to_vec()).ok_or_else(finished)
    }

    /// `"EXTERNAL_MU"`: the MessageType to verify the result with.
    #[wasm_bindgen(getter, js_name = messageType)]
    pub fn message_type(&self) -> String {
        MessageType::ExternalMu.as_str().into()
    }
}

fn finished() -> JsValue {
    validation("this ExternalMuDigest has already returned its mu; make a new one".into())
}

/// ECDSA/SM2 DER (as KMS returns) to IEEE P1363 r‖s (JOSE, WebCrypto), strictly parsed.
#[wasm_bindgen(js_name = derToP1363)]
pub fn der_to_p1363(#[wasm_bindgen(unchecked_param_type = "KmsBlob")] signature: JsValue, #[wasm_bindgen(js_name = keySpec, unchecked_param_type = "string")] key_spec: JsValue) -> JsResult<Vec<u8>> {
    let (spec, curve) = key_spec_and_curve(&key_spec)?;
    interop::der_to_p1363(&signature_arg(&signature, spec, curve, SignatureFormat::Der)?, curve).map_err(to_js_error)
}

/// IEEE P1363 r‖s (64/96/132 bytes) to the DER KMS Verify takes.
#[wasm_bindgen(js_name = p1363ToDer)]
pub fn p1363_to_der(#[wasm_bindgen(unchecked_param_type = "KmsBlob")] signature: JsValue, #[wasm_bindgen(js_name = keySpec, unchecked_param_type = "string")] key_spec: JsValue) -> JsResult<Vec<u8>> {
    let (spec, curve) = key_spec_and_curve(&key_spec)?;
    interop::p1363_to_der(&signature_arg(&signature, spec, curve, SignatureFormat::P1363)?, curve).map_err(to_js_error)
}

/// Low-S normalisation (s → n − s when s > n/2) in the given format (default DER). Not for SM2.
#[wasm_bindgen(js_name = normalizeLowS)]
pub fn normalize_low_s(
    #[wasm_bindgen(unchecked_param_type = "KmsBlob")] signature: JsValue,
    #[wasm_bindgen(js_name = keySpec, unchecked_param_type = "string")] key_spec: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SignatureFormat")] format: Option<JsValue>,
) -> JsResult<Vec<u8>> {
    let (spec, curve) = key_spec_and_curve(&key_spec)?;
    let format = match format.filter(|f| !f.is_undefined() && !f.is_null()) {
        None => SignatureFormat::default(),
        Some(f) => SignatureFormat::parse(&read::string_arg(&f, "SignatureFormat")?, "SignatureFormat").map_err(to_js_error)?,
    };
    interop::normalize_low_s(&signature_arg(&signature, spec, curve, format)?, curve, format).map_err(to_js_error)
}

/// Keccak-256 (Ethereum's hash) of bytes.
#[wasm_bindgen(js_name = keccak256)]
pub fn keccak256(#[wasm_bindgen(unchecked_param_type = "Uint8Array")] data: JsValue) -> JsResult<Vec<u8>> {
    Ok(interop::keccak256(&read::byte_arg(&data, "data")?).to_vec())
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &name.into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
}


/// Marks a promise's rejection as handled (a no-op for anything else).
fn ignore_rejection(value: &JsValue) {
    if let Some(catch) = value.dyn_ref::<Promise>().and_then(|_| method(value, "catch")) {
        let ignore = Closure::once_into_js(|_: JsValue| {});
        let _ = catch.call1(value, &ignore);
    }
}


/// Feeds one chunk; strings (a Node stream with an encoding) are refused; the digest's update()
/// checks and copies the bytes.
fn feed(update: &Function, digest: &JsValue, chunk: &JsValue) -> JsResult<()> {
    if chunk.is_string() {
        return Err(validation("digestStream got a text chunk: read the stream as bytes (no setEncoding), hashing text would depend on its encoding".into()));
    }
    update.call1(digest, chunk).map(|_| ())
}

/// Drains an iterator-like object (`next()` returning `{ done, value }` or a promise of it).
async fn drain(next: &Function, this: &JsValue, update: &Function, digest: &JsValue) -> JsResult<()> {
    loop {
        let step = await_value(next.call0(this)?).await?;
        if Reflect::get(&step, &"done".into())?.is_truthy() {
            return Ok(());
        }
        feed(update, digest, &Reflect::get(&step, &"value".into())?)?;
    }
}

/// Hashes a Blob/File, a Web ReadableStream, a Node Readable or any (async) iterable of byte chunks into
/// `digest` (a MessageDigest, `key.sm2Digest()`, `key.externalMuDigest()`), one chunk at a time, and
/// resolves to its digest. Memory stays at one chunk whatever the size of the input.
#[wasm_bindgen(js_name = digestStream, unchecked_return_type = "Uint8Array")]
pub async fn digest_stream(
    #[wasm_bindgen(unchecked_param_type = "StreamingDigest")] digest: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DigestSource")] source: JsValue,
) -> JsResult<JsValue> {
    let (Some(update), Some(finish)) = (method(&digest, "update"), method(&digest, "digest")) else {
        return Err(validation("digestStream needs a digest with update() and digest(): a MessageDigest, key.sm2Digest() or key.externalMuDigest()".into()));
    };
    if source.is_instance_of::<Uint8Array>() {
        feed(&update, &digest, &source)?;
        return finish.call0(&digest);
    }
    // A Blob (or File) is read through its stream; a ReadableStream through a reader (Safari cannot
    // iterate one); anything else through Symbol.asyncIterator (Node Readable) or Symbol.iterator.
    let stream = match method(&source, "getReader") {
        Some(_) => Some(source.clone()),
        None => match method(&source, "stream").filter(|_| Reflect::has(&source, &"size".into()).unwrap_or(false)) {
            Some(stream) => Some(stream.call0(&source)?),
            None => None,
        },
    };
    if let Some(stream) = stream {
        let reader = method(&stream, "getReader").ok_or_else(|| validation("the stream has no getReader()".into()))?.call0(&stream)?;
        let read = method(&reader, "read").ok_or_else(|| validation("the stream reader has no read()".into()))?;
        let drained = drain(&read, &reader, &update, &digest).await;
        if drained.is_err() {
            if let Some(cancel) = method(&reader, "cancel") {
                // Stop the producer; the first error is the one reported, and the promise cancel()
                // returns (rejected, for a stream that errored) is handled so it is not reported again.
                if let Ok(settling) = cancel.call0(&reader) {
                    ignore_rejection(&settling);
                }
            }
        } else if let Some(release) = method(&reader, "releaseLock") {
            let _ = release.call0(&reader);
        }
        drained?;
    } else {
        let iterator = if let Some(async_iter) = symbol_method(&source, &js_sys::Symbol::async_iterator()) {
            async_iter.call0(&source)?
        } else if let Some(iter) = symbol_method(&source, &js_sys::Symbol::iterator()).filter(|_| !source.is_string()) {
            iter.call0(&source)?
        } else {
            return Err(validation("digestStream source must be a Blob/File, a ReadableStream, a Node Readable or an iterable of Uint8Array chunks".into()));
        };
        let next = method(&iterator, "next").ok_or_else(|| validation("the source's iterator has no next()".into()))?;
        let drained = drain(&next, &iterator, &update, &digest).await;
        if drained.is_err() {
            if let Some(stop) = method(&iterator, "return") {
                // Lets a Node Readable destroy itself; its promise may reject with the same error.
                if let Ok(settling) = stop.call0(&iterator) {
                    ignore_rejection(&settling);
                }
            }
        }
        drained?;
    }
    finish.call0(&digest)
}
