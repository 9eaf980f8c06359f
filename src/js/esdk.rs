//! The wasm-bindgen layer of `crate::esdk`: ESDK messages for a KMS key, whole (`encryptMessage`), chunk by
//! chunk (`messageEncryptor`: update/finish) or from a stream to a ReadableStream (`encryptMessageStream`).
//! It reads JS values and nothing else; every rule is in the core.

use super::read::{self, member, required, string_member, validation};
use super::sources::{await_value, symbol_method};
use super::{JsKmsPublicKey, JsResult, to_js_error};
use crate::encoding::StringRule;
use crate::esdk::{AlgorithmSuite, EncryptMessageRequest, MessageEncryptor};
use crate::key::KmsPublicKey;
use crate::spec::EncryptionAlgorithm;
use js_sys::{Function, JsString, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

#[wasm_bindgen]
extern "C" {
    /// A Uint8Array made here, whose `subarray` is `catch` like every import (scripts/harden-glue.mjs).
    #[wasm_bindgen(js_name = Uint8Array)]
    type ByteView;
    #[wasm_bindgen(catch, method, js_class = "Uint8Array", js_name = subarray)]
    fn subarray(this: &ByteView, begin: u32, end: u32) -> Result<Uint8Array, JsValue>;
    /// A primitive string, read one UTF-16 code unit at a time.
    #[wasm_bindgen(js_name = String)]
    type Utf16Text;
    #[wasm_bindgen(catch, method, js_class = "String", js_name = charCodeAt)]
    fn char_code_at(this: &Utf16Text, index: u32) -> Result<f64, JsValue>;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ESDK_TYPES: &str = r#"
/** How an AWS Encryption SDK message is made (all optional). */
export interface EncryptMessageOptions {
  /** Encryption context: string pairs stored in the header and authenticated; keys starting `aws-crypto-` are
   * the ESDK's own and refused. The decrypting side can require pairs from it. */
  EncryptionContext?: Record<string, string>;
  /** Plaintext bytes per frame, 1 to 2147483647 (default 4096). Memory use of the streaming forms is about one frame. */
  FrameLength?: number;
  /** "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY" (0x0478; RSA keys' default: the AWS KMS RSA keyring refuses signing
   * suites) or "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384" (0x0578, the ESDK default; ECDH keys' default). */
  AlgorithmSuite?: string;
  /** RSA keys: RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256 from the key's EncryptionAlgorithms (default SHA-256 when listed).
   * The decrypting AWS KMS RSA keyring must be configured with the same one. */
  EncryptionAlgorithm?: string;
}

/** `encryptMessage`'s request: the options and the whole plaintext. */
export interface EncryptMessageRequest extends EncryptMessageOptions {
  /** Bytes of any size, or a string read as PlaintextEncoding says. */
  Plaintext: KmsBlob;
  PlaintextEncoding?: TextEncoding;
}

/** What `encryptMessageStream` reads: a Blob or File, a Web ReadableStream, a Node Readable, an (async) iterable of
 * byte chunks, or one Uint8Array. */
export type MessageSource = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;
"#;

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// An AWS Encryption SDK message (format 2, committing suite, framed) of the whole `Plaintext`: decrypt
    /// it with any ESDK and the AWS KMS RSA keyring (RSA keys) or AWS KMS ECDH keyring (ECDH keys).
    #[wasm_bindgen(js_name = encryptMessage, unchecked_return_type = "Uint8Array")]
    pub fn encrypt_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EncryptMessageRequest")] request: JsValue,
    ) -> JsResult<Uint8Array> {
        let options = read_options(&request, &self.inner)?;
        let encoding = read::text_encoding(&request, "PlaintextEncoding")?;
        let plaintext = member(&request, "Plaintext")?.ok_or_else(|| required("Plaintext"))?;
        let plaintext =
            Zeroizing::new(read::blob_by_rule(&plaintext, "Plaintext", &StringRule::Free, (encoding, Some("PlaintextEncoding")), None)?);
        let message = self.inner.encrypt_message(&plaintext, &options).map_err(to_js_error)?;
        Ok(Uint8Array::from(message.as_slice()))
    }

    /// Starts a message to feed chunk by chunk (`update`, then `finish`), holding less than one frame.
    #[wasm_bindgen(js_name = messageEncryptor)]
    pub fn message_encryptor(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EncryptMessageOptions | undefined")] options: JsValue,
    ) -> JsResult<JsMessageEncryptor> {
        let options = read_options(&options, &self.inner)?;
        let inner = self.inner.message_encryptor(&options).map_err(to_js_error)?;
        Ok(JsMessageEncryptor { inner: Some(inner) })
    }

    /// The message of everything `source` yields, as a ReadableStream of its bytes: read one chunk, write
    /// its frames, and so on (memory: a chunk and a frame). The request is checked before anything is read.
    #[wasm_bindgen(js_name = encryptMessageStream, unchecked_return_type = "ReadableStream<Uint8Array>")]
    pub fn encrypt_message_stream(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MessageSource")] source: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EncryptMessageOptions | undefined")] options: JsValue,
    ) -> JsResult<JsValue> {
        let options = read_options(&options, &self.inner)?;
        let chunks = Chunks::of(&source)?;
        let encryptor = self.inner.message_encryptor(&options).map_err(to_js_error)?;
        readable_stream(Rc::new(RefCell::new(Producer { chunks, encryptor: Some(encryptor) })))
    }
}

/// A message being written: `update(chunk)` returns the bytes complete so far (the header with the first),
/// `finish()` the final frame and the footer. Free it (or let `using` do it) when abandoned.
#[wasm_bindgen(js_name = MessageEncryptor)]
pub struct JsMessageEncryptor {
    inner: Option<MessageEncryptor>,
}

#[wasm_bindgen(js_class = MessageEncryptor)]
impl JsMessageEncryptor {
    pub fn update(&mut self, #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue) -> JsResult<Uint8Array> {
        let chunk = Zeroizing::new(read::byte_arg(&chunk, "chunk")?);
        let encryptor = self.inner.as_mut().ok_or_else(finished)?;
        let out = encryptor.update(&chunk).map_err(to_js_error)?;
        Ok(Uint8Array::from(out.as_slice()))
    }

    pub fn finish(&mut self) -> JsResult<Uint8Array> {
        let mut encryptor = self.inner.take().ok_or_else(finished)?;
        let out = encryptor.finish().map_err(to_js_error)?;
        Ok(Uint8Array::from(out.as_slice()))
    }
}

fn finished() -> JsValue {
    validation("this MessageEncryptor is finished: start another message with key.messageEncryptor()".into())
}

/// The options members, for `key` (an EncryptionAlgorithm the key lists but this version does not know is
/// UnsupportedOperationException, as everywhere).
fn read_options(options: &JsValue, key: &KmsPublicKey) -> JsResult<EncryptMessageRequest> {
    let mut request = EncryptMessageRequest::default();
    if options.is_undefined() || options.is_null() {
        return Ok(request);
    }
    if !options.is_object() {
        return Err(validation("encryptMessage options must be an object".into()));
    }
    if let Some(context) = member(options, "EncryptionContext")? {
        request.encryption_context = context_pairs(&context)?;
    }
    if let Some(frame_length) = member(options, "FrameLength")? {
        request.frame_length = frame_length
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(n))
            .map(|n| n as u32)
            .ok_or_else(|| validation("FrameLength must be a whole number of bytes (1 to 2147483647)".into()))?;
    }
    if let Some(suite) = string_member(options, "AlgorithmSuite")? {
        request.algorithm_suite = Some(AlgorithmSuite::parse(&suite).map_err(to_js_error)?);
    }
    if let Some(algorithm) = string_member(options, "EncryptionAlgorithm")? {
        request.encryption_algorithm =
            Some(key.request_algorithm::<EncryptionAlgorithm>(&algorithm, "EncryptionAlgorithm").map_err(to_js_error)?);
    }
    Ok(request)
}

/// An object of string pairs. Text that is not UTF-16 (a lone surrogate) is refused: its UTF-8 would be a
/// replacement character, and the context the other side checks would silently differ.
fn context_pairs(context: &JsValue) -> JsResult<std::collections::BTreeMap<String, String>> {
    let shape = || validation("EncryptionContext must be an object of string keys and string values".into());
    if !context.is_object() || context.is_instance_of::<js_sys::Array>() {
        return Err(shape());
    }
    let keys = read::object_keys(context)?;
    let mut pairs = std::collections::BTreeMap::new();
    for key in keys.iter() {
        let value = Reflect::get(context, &key)?;
        let mut texts = [key, value].into_iter().map(|text| {
            let string = text.dyn_ref::<JsString>().ok_or_else(shape)?;
            let converted = read::string_arg(&text, "EncryptionContext")?;
            // A lone surrogate arrives as U+FFFD: only then is the JS text read unit by unit to tell the two apart.
            if converted.contains('\u{FFFD}') && has_lone_surrogate(string)? {
                return Err(validation("EncryptionContext has a key or value with a lone surrogate, which has no UTF-8 form".into()));
            }
            Ok(converted)
        });
        let (key, value) = (texts.next().ok_or_else(shape)??, texts.next().ok_or_else(shape)??);
        pairs.insert(key, value);
    }
    Ok(pairs)
}

fn has_lone_surrogate(text: &JsString) -> JsResult<bool> {
    let units = (0..text.length())
        .map(|i| text.unchecked_ref::<Utf16Text>().char_code_at(i).map(|unit| unit as u16))
        .collect::<JsResult<Vec<u16>>>()?;
    Ok(char::decode_utf16(units).any(|decoded| decoded.is_err()))
}

/// Where the chunks come from: a Uint8Array given whole, or an iterator-like `next()` (a ReadableStream's
/// reader's `read`, an async or sync iterator's `next`) and the object to call it on, with the way to stop it.
enum Chunks {
    /// A Uint8Array and how far it has been read: copied into wasm a slice at a time.
    Whole(Uint8Array, u32),
    Pulled {
        next: Function,
        this: JsValue,
        stop: Option<Function>,
    },
}

impl Chunks {
    fn of(source: &JsValue) -> JsResult<Chunks> {
        if source.is_instance_of::<Uint8Array>() {
            return Ok(Chunks::Whole(read::fresh_uint8array(source)?, 0));
        }
        // A Blob is read through its stream(); a ReadableStream through a reader; anything else through
        // Symbol.asyncIterator (Node Readable) or Symbol.iterator.
        let stream = match method(source, "getReader") {
            Some(_) => Some(source.clone()),
            None => match method(source, "stream").filter(|_| Reflect::has(source, &"size".into()).unwrap_or(false)) {
                Some(stream) => Some(stream.call0(source)?),
                None => None,
            },
        };
        if let Some(stream) = stream {
            let reader = method(&stream, "getReader").ok_or_else(|| validation("the stream has no getReader()".into()))?.call0(&stream)?;
            let next = method(&reader, "read").ok_or_else(|| validation("the stream reader has no read()".into()))?;
            return Ok(Chunks::Pulled { next, stop: method(&reader, "cancel"), this: reader });
        }
        let iterator = if let Some(iterate) = symbol_method(source, &js_sys::Symbol::async_iterator()) {
            iterate.call0(source)?
        } else if let Some(iterate) = symbol_method(source, &js_sys::Symbol::iterator()).filter(|_| !source.is_string()) {
            iterate.call0(source)?
        } else {
            return Err(validation(
                "encryptMessageStream source must be a Blob/File, a ReadableStream, a Node Readable, an iterable of Uint8Array chunks or a Uint8Array"
                    .into(),
            ));
        };
        let next = method(&iterator, "next").ok_or_else(|| validation("the source's iterator has no next()".into()))?;
        Ok(Chunks::Pulled { next, stop: method(&iterator, "return"), this: iterator })
    }

    /// The next step to take: call `next()` (its result awaited outside any borrow), or the whole chunk.
    fn step(&mut self) -> JsResult<Step> {
        match self {
            Chunks::Whole(bytes, read) => {
                const SLICE: u32 = 1 << 20;
                let start = *read;
                if start >= bytes.length() {
                    return Ok(Step::Done);
                }
                *read = bytes.length().min(start.saturating_add(SLICE));
                Ok(Step::Chunk(bytes.unchecked_ref::<ByteView>().subarray(start, *read)?))
            }
            Chunks::Pulled { next, this, .. } => Ok(Step::Pending(next.call0(this)?)),
        }
    }

    /// Stops the producer after an error or a cancel; its settling promise is handled so it is not reported.
    fn stop(&self) {
        if let Chunks::Pulled { stop: Some(stop), this, .. } = self
            && let Ok(settling) = stop.call0(this)
            && let Some(catch) = settling.dyn_ref::<Promise>().and_then(|_| method(&settling, "catch"))
        {
            let _ = catch.call1(&settling, &Closure::once_into_js(|_: JsValue| {}));
        }
    }
}

enum Step {
    Chunk(Uint8Array),
    Pending(JsValue),
    Done,
}

/// The state a ReadableStream's pull() works on.
struct Producer {
    chunks: Chunks,
    /// `None` once the message is finished or abandoned.
    encryptor: Option<MessageEncryptor>,
}

/// A ReadableStream whose pull() reads chunks until a frame is complete (or the source ends) and enqueues the
/// message bytes. The streams specification never calls pull() again before its promise settles.
fn readable_stream(producer: Rc<RefCell<Producer>>) -> JsResult<JsValue> {
    let pulling = producer.clone();
    let pull = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |controller: JsValue| {
        let producer = pulling.clone();
        future_to_promise(async move {
            let result = pull_once(&producer, &controller).await;
            if result.is_err() {
                let mut state = producer.borrow_mut();
                state.encryptor = None;
                state.chunks.stop();
            }
            result.map(|()| JsValue::UNDEFINED)
        })
    });
    let cancel = Closure::<dyn FnMut(JsValue)>::new(move |_reason: JsValue| {
        let mut state = producer.borrow_mut();
        state.encryptor = None;
        state.chunks.stop();
    });
    let underlying = Object::new();
    Reflect::set(&underlying, &"pull".into(), &pull.into_js_value())?;
    Reflect::set(&underlying, &"cancel".into(), &cancel.into_js_value())?;
    let constructor = Reflect::get(&js_sys::global(), &"ReadableStream".into())?
        .dyn_into::<Function>()
        .map_err(|_| validation("encryptMessageStream needs ReadableStream (Node 18+, Deno, browsers, Workers)".into()))?;
    let arguments = js_sys::Array::new();
    arguments.push(&underlying);
    Reflect::construct(&constructor, &arguments)
}

async fn pull_once(producer: &Rc<RefCell<Producer>>, controller: &JsValue) -> JsResult<()> {
    let enqueue = method(controller, "enqueue").ok_or_else(|| validation("the stream controller has no enqueue()".into()))?;
    loop {
        let step = producer.borrow_mut().chunks.step()?;
        let chunk = match step {
            Step::Chunk(chunk) => Some(chunk.into()),
            Step::Done => None,
            Step::Pending(promise) => {
                let result = await_value(promise).await?;
                if Reflect::get(&result, &"done".into())?.is_truthy() { None } else { Some(Reflect::get(&result, &"value".into())?) }
            }
        };
        let mut state = producer.borrow_mut();
        let encryptor = state.encryptor.as_mut().ok_or_else(|| validation("the message stream was cancelled".into()))?;
        let Some(chunk) = chunk else {
            let out = encryptor.finish().map_err(to_js_error)?;
            state.encryptor = None;
            enqueue.call1(controller, &Uint8Array::from(out.as_slice()))?;
            let close = method(controller, "close").ok_or_else(|| validation("the stream controller has no close()".into()))?;
            close.call0(controller)?;
            return Ok(());
        };
        if chunk.is_string() {
            return Err(validation(
                "encryptMessageStream got a text chunk: read the source as bytes (no setEncoding); encrypting text would depend on its encoding".into(),
            ));
        }
        let chunk = Zeroizing::new(read::byte_arg(&chunk, "a chunk of the source")?);
        let out = encryptor.update(&chunk).map_err(to_js_error)?;
        if !out.is_empty() {
            enqueue.call1(controller, &Uint8Array::from(out.as_slice()))?;
            return Ok(());
        }
    }
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &name.into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
}


