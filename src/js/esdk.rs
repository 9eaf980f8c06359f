//! The wasm-bindgen layer of `crate::esdk`: ESDK messages for a KMS key, whole (`encryptMessage`), chunk by
//! chunk (`messageEncryptor`: update/finish) or from a stream to a ReadableStream (`encryptMessageStream`).
//! It reads JS values and nothing else; every rule is in the core. The stream form runs AES-GCM on the frames the
//! core plans (IV, AAD, lengths, order) with the runtime's node:crypto or WebCrypto where it has one, and hands the
//! sealed bytes back to the core, which frames them, hashes them for a signing suite (or signs the digest of
//! node:crypto's SHA-384) and writes the footer.

use super::read::{self, member, required, string_member, validation};
use super::sources::{await_value, symbol_method};
use super::{JsKmsPublicKey, JsResult, to_js_error};
use crate::encoding::StringRule;
use super::interned;
use crate::esdk::message::{Frame, Sealed, TAG_LEN};
use crate::esdk::{AlgorithmSuite, EncryptMessageRequest, MessageEncryptor};
use crate::key::KmsPublicKey;
use crate::spec::EncryptionAlgorithm;
use js_sys::{Function, JsString, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise};
use zeroize::Zeroizing;

#[wasm_bindgen]
extern "C" {
    /// A Uint8Array made here, whose `subarray` is `catch` like every import (scripts/harden-glue.mjs).
    #[wasm_bindgen(js_name = Uint8Array)]
    type ByteView;
    #[wasm_bindgen(catch, method, js_class = "Uint8Array", js_name = subarray)]
    fn subarray(this: &ByteView, begin: u32, end: u32) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(catch, method, js_class = "Uint8Array", js_name = slice)]
    fn slice(this: &ByteView, begin: u32, end: u32) -> Result<Uint8Array, JsValue>;
    #[wasm_bindgen(catch, method, js_class = "Uint8Array", js_name = set)]
    fn set_at(this: &ByteView, source: &Uint8Array, offset: u32) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, method, js_class = "Uint8Array", js_name = set)]
    fn set_from_wasm(this: &ByteView, source: &[u8], offset: u32) -> Result<(), JsValue>;
    /// A primitive string, read one UTF-16 code unit at a time.
    #[wasm_bindgen(js_name = String)]
    type Utf16Text;
    #[wasm_bindgen(catch, method, js_class = "String", js_name = charCodeAt)]
    fn char_code_at(this: &Utf16Text, index: u32) -> Result<f64, JsValue>;

    /// node:crypto (Node, Bun, Deno), found at run time: the members the frames and the signing suite's hash need.
    type NodeCrypto;
    #[wasm_bindgen(catch, method, js_name = createSecretKey)]
    fn create_secret_key(this: &NodeCrypto, key: &Uint8Array) -> Result<JsValue, JsValue>;
    /// The IV and (setAAD) the AAD are views of wasm memory: node:crypto copies them before it returns.
    #[wasm_bindgen(catch, method, js_name = createCipheriv)]
    fn create_cipheriv(this: &NodeCrypto, algorithm: &JsValue, key: &JsValue, iv: &[u8]) -> Result<NodeCipher, JsValue>;
    #[wasm_bindgen(catch, method, js_name = createHash)]
    fn create_hash(this: &NodeCrypto, algorithm: &JsValue) -> Result<NodeHash, JsValue>;
    type NodeCipher;
    #[wasm_bindgen(catch, method, js_name = setAAD)]
    fn set_aad(this: &NodeCipher, aad: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, js_name = update)]
    fn cipher_update(this: &NodeCipher, plaintext: &Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, js_name = final)]
    fn cipher_final(this: &NodeCipher) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, js_name = getAuthTag)]
    fn auth_tag(this: &NodeCipher) -> Result<JsValue, JsValue>;
    type NodeHash;
    #[wasm_bindgen(catch, method, js_name = update)]
    fn hash_update(this: &NodeHash, bytes: &Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, js_name = update)]
    fn hash_update_from_wasm(this: &NodeHash, bytes: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, method, js_name = copy)]
    fn hash_copy(this: &NodeHash) -> Result<NodeHash, JsValue>;
    #[wasm_bindgen(catch, method, js_name = digest)]
    fn hash_digest(this: &NodeHash) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_ESDK_TYPES: &str = r#"
/** How an AWS Encryption SDK message is made (all optional). */
export interface EncryptMessageOptions {
  /** Encryption context: string pairs stored in the header and authenticated; keys starting `aws-crypto-` are
   * the ESDK's own and refused. The decrypting side can require pairs from it. */
  EncryptionContext?: Record<string, string>;
  /** Plaintext bytes per frame, 1 to 2147483647 (default 4096). `messageEncryptor` holds less than a frame;
   * `encryptMessageStream` holds the source chunk being cut and, with node:crypto (Node, Bun, Deno), about 1 MiB of
   * output (at least one frame), or with WebCrypto up to 64 frames in flight (at most 8 MiB of plaintext, at least
   * one frame). Larger frames are faster (fewer calls a byte), most of all with WebCrypto: 1 MiB frames stream
   * several times faster than 4096-byte ones there (README, "Encrypt data of any size"). */
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
    /// it with any ESDK and the AWS KMS RSA keyring (RSA keys) or AWS KMS ECDH keyring (ECDH keys). Its frames are
    /// sealed (and a signing suite hashed) by node:crypto where the runtime has it and it passes the known answers,
    /// synchronously as `encryptMessageStream` does, else by the wasm AES-GCM (same bytes).
    #[wasm_bindgen(js_name = encryptMessage, unchecked_return_type = "Uint8Array")]
    pub fn encrypt_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EncryptMessageRequest")] request: JsValue,
    ) -> JsResult<Uint8Array> {
        let options = read_options(&request, &self.inner)?;
        let encoding = read::text_encoding(&request, "PlaintextEncoding")?;
        let plaintext = member(&request, "Plaintext")?.ok_or_else(|| required("Plaintext"))?;
        // Bytes stay in JS (one fresh copy) until a sealer is chosen: node:crypto reads them there, so a large
        // Plaintext is not copied into wasm memory (which never shrinks) and back out.
        let js_bytes = if encoding.is_none() { read::fresh_bytes(&plaintext, "Plaintext", None)? } else { None };
        let plaintext = match js_bytes {
            // Copied in JS: the caller may change their bytes, and our copy is wiped after.
            Some(view) => MessagePlaintext::Js(Uint8Array::new(&view)),
            None => MessagePlaintext::Wasm(Zeroizing::new(read::blob_by_rule(
                &plaintext,
                "Plaintext",
                &StringRule::Free,
                (encoding, Some("PlaintextEncoding")),
                None,
            )?)),
        };
        let encryptor = self.inner.message_encryptor(&options).map_err(to_js_error)?;
        let mut encryptor = match with_node_sealer(Chunks::Whole(Uint8Array::new_with_length(0), 0), encryptor) {
            Ok(mut producer) => {
                // Our JS copy of the plaintext, sealed a MiB at a time and wiped after.
                let copy = plaintext.into_js();
                let message = seal_now(&mut producer, &copy, true);
                wipe(&copy);
                if message.is_err() {
                    producer.abandon();
                }
                return message;
            }
            Err(encryptor) => encryptor,
        };
        // The wasm AES-GCM, where node:crypto is missing or refused the known answer (same bytes).
        let plaintext = plaintext.into_wasm();
        let mut message = encryptor.update(&plaintext).map_err(to_js_error)?;
        message.extend(encryptor.finish().map_err(to_js_error)?);
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
        let writer = match with_node_sealer(Chunks::Whole(Uint8Array::new_with_length(0), 0), inner) {
            Ok(producer) => Writer::Node(Box::new(producer)),
            Err(inner) => Writer::Wasm(inner),
        };
        Ok(JsMessageEncryptor { inner: Some(writer) })
    }

    /// The message of everything `source` yields, as a ReadableStream of its bytes. Its frames are sealed by the
    /// runtime's node:crypto AES-256-GCM where it has one (synchronous, as they are cut; a signing suite hashed by
    /// its SHA-384), else by WebCrypto AES-GCM (a window of them at once, see `WINDOW_FRAMES`; output in order), or by
    /// the wasm AES-GCM where both are missing or refuse (same bytes, see `decide_sealer`). The request is checked
    /// before anything is read.
    #[wasm_bindgen(js_name = encryptMessageStream, unchecked_return_type = "ReadableStream<Uint8Array>")]
    pub fn encrypt_message_stream(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MessageSource")] source: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EncryptMessageOptions | undefined")] options: JsValue,
    ) -> JsResult<JsValue> {
        let options = read_options(&options, &self.inner)?;
        let chunks = Chunks::of(&source)?;
        let encryptor = self.inner.message_encryptor(&options).map_err(to_js_error)?;
        readable_stream(Rc::new(RefCell::new(Producer::new(chunks, encryptor))))
    }
}

/// A message being written: `update(chunk)` returns the bytes complete so far (the header with the first),
/// `finish()` the final frame and the footer. Free it (or let `using` do it) when abandoned.
/// `encryptMessage`'s Plaintext as read: bytes still in JS (our fresh copy), or a string's bytes in wasm.
enum MessagePlaintext {
    Js(Uint8Array),
    Wasm(Zeroizing<Vec<u8>>),
}

impl MessagePlaintext {
    /// As a JS copy of our own (the caller wipes it after use).
    fn into_js(self) -> Uint8Array {
        match self {
            MessagePlaintext::Js(copy) => copy,
            MessagePlaintext::Wasm(bytes) => Uint8Array::from(bytes.as_slice()),
        }
    }

    /// As bytes in wasm; a JS copy is wiped once read.
    fn into_wasm(self) -> Zeroizing<Vec<u8>> {
        match self {
            MessagePlaintext::Js(copy) => {
                let bytes = Zeroizing::new(copy.to_vec());
                wipe(&copy);
                bytes
            }
            MessagePlaintext::Wasm(bytes) => bytes,
        }
    }
}

#[wasm_bindgen(js_name = MessageEncryptor)]
pub struct JsMessageEncryptor {
    inner: Option<Writer>,
}

/// Who seals a `MessageEncryptor`'s frames: node:crypto (synchronously, through the stream's batches; it holds
/// less than a frame of copies) where the runtime has it and it passes the known answers, else the core.
enum Writer {
    Node(Box<Producer>),
    Wasm(MessageEncryptor),
}

#[wasm_bindgen(js_class = MessageEncryptor)]
impl JsMessageEncryptor {
    pub fn update(&mut self, #[wasm_bindgen(unchecked_param_type = "Uint8Array")] chunk: JsValue) -> JsResult<Uint8Array> {
        match self.inner.as_mut().ok_or_else(finished)? {
            Writer::Wasm(encryptor) => {
                let chunk = Zeroizing::new(read::byte_arg(&chunk, "chunk")?);
                let out = encryptor.update(&chunk).map_err(to_js_error)?;
                Ok(Uint8Array::from(out.as_slice()))
            }
            Writer::Node(producer) => {
                let chunk = match chunk.is_instance_of::<Uint8Array>() {
                    true => read::fresh_uint8array(&chunk).map_err(|_| validation("the chunk could not be read".into()))?,
                    false => Uint8Array::from(Zeroizing::new(read::byte_arg(&chunk, "chunk")?).as_slice()),
                };
                let result = seal_now(producer, &chunk, false);
                if result.is_err() {
                    producer.abandon();
                    self.inner = None;
                }
                result
            }
        }
    }

    pub fn finish(&mut self) -> JsResult<Uint8Array> {
        match self.inner.take().ok_or_else(finished)? {
            Writer::Wasm(mut encryptor) => {
                let out = encryptor.finish().map_err(to_js_error)?;
                Ok(Uint8Array::from(out.as_slice()))
            }
            Writer::Node(mut producer) => {
                let result = seal_now(&mut producer, &Uint8Array::new_with_length(0), true);
                if result.is_err() {
                    producer.abandon();
                }
                result
            }
        }
    }
}

/// A producer sealing through node:crypto, if the runtime has it and it passes the known answers; else the
/// encryptor back (its raw key handed out and wiped: its own AES-GCM does not need it).
fn with_node_sealer(chunks: Chunks, encryptor: MessageEncryptor) -> Result<Producer, MessageEncryptor> {
    let Some(crypto) = platform_node_crypto() else { return Err(encryptor) };
    let mut producer = Producer::new(chunks, encryptor);
    let node = producer.key_and_known_answer().and_then(|(raw, header_body, tag)| {
        let node = producer.node_sealer(crypto, &raw, &header_body, &tag);
        wipe(&raw);
        node
    });
    match (node, producer.encryptor.take()) {
        (Some(node), encryptor) => {
            producer.encryptor = encryptor;
            producer.sealer = Sealer::Node(node);
            Ok(producer)
        }
        (None, Some(encryptor)) => Err(encryptor),
        (None, None) => Ok(producer),
    }
}

/// `messageEncryptor` / `encryptMessage` through node:crypto: the header with the first call, then the frames
/// `chunk` completes (cut a MiB of it at a time, so that the frames waiting stay few), and with `last` the final
/// frame and the footer.
fn seal_now(producer: &mut Producer, chunk: &Uint8Array, last: bool) -> JsResult<Uint8Array> {
    const PIECE: u32 = 1 << 20;
    let mut parts = vec![OutPart::Wasm(producer.encryptor()?.header())];
    let seal_ready = |producer: &mut Producer, parts: &mut Vec<OutPart>| -> JsResult<()> {
        while !producer.ready.is_empty() {
            let (batch, last) = producer.seal_ready_now(&[])?;
            parts.push(OutPart::Js(batch));
            if last {
                parts.push(OutPart::Wasm(producer.footer()?));
            }
        }
        Ok(())
    };
    let mut at = 0;
    while at < chunk.length() {
        let end = chunk.length().min(at.saturating_add(PIECE));
        producer.take_chunk(&chunk.unchecked_ref::<ByteView>().subarray(at, end)?)?;
        seal_ready(producer, &mut parts)?;
        at = end;
    }
    if last {
        producer.take_end()?;
        seal_ready(producer, &mut parts)?;
    }
    OutPart::concat(&parts)
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
    // A Proxy's ownKeys or a getter may throw: a ValidationException with the thrown value as its cause, as every read.
    let keys = read::object_keys(context).map_err(|e| read::unreadable("EncryptionContext", e))?;
    let mut pairs = std::collections::BTreeMap::new();
    for key in keys.iter() {
        let value = Reflect::get(context, &key).map_err(|e| read::unreadable("EncryptionContext", e))?;
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

/// Frames sealed at once by WebCrypto, at most, and the plaintext bytes they may hold (at least one frame). Besides
/// these, the stream holds the source chunk being cut (the caller's) and less than a frame of it copied.
const WINDOW_FRAMES: usize = 64;
const WINDOW_BYTES: usize = 8 << 20;
/// A pull enqueues about this much of the message at most (at least one frame).
const OUTPUT_BYTES: usize = 1 << 20;

/// The state a ReadableStream's pull() works on.
struct Producer {
    chunks: Chunks,
    /// `None` once the message is finished or abandoned.
    encryptor: Option<MessageEncryptor>,
    sealer: Sealer,
    /// Plaintext of the frame under way, less than a frame: our copies of the ends of earlier chunks.
    held: Vec<Uint8Array>,
    held_len: usize,
    /// Frames cut from the current source chunk (and the final frame) not yet sent: sent as the window allows,
    /// all of them before the next chunk is asked for.
    ready: VecDeque<(Plaintext, bool)>,
    /// Frames planned and sent to the sealer, in sequence order.
    in_flight: VecDeque<InFlight>,
    in_flight_bytes: usize,
    source_done: bool,
    /// The signing suite's copy of each sealed frame into wasm, to hash (reused).
    hashed: Vec<u8>,
    /// A signing suite's SHA-384 of the message when node:crypto's computes it (with the node:crypto sealer, once
    /// it gave the core's digest of the header); the core hashes otherwise.
    platform_hash: Option<NodeHash>,
}

/// Which AES-GCM seals the frames: decided at the first pull.
enum Sealer {
    Undecided,
    /// node:crypto's AES-256-GCM, synchronous, a frame at a time.
    Node(NodeSealer),
    /// `crypto.subtle` and the frames' key imported into it (non-extractable).
    Subtle { subtle: JsValue, key: JsValue },
    Wasm,
}

/// node:crypto and the frames' key as a KeyObject (`createSecretKey`).
struct NodeSealer {
    crypto: NodeCrypto,
    key: JsValue,
    /// "aes-256-gcm", made once.
    algorithm: JsValue,
}

impl NodeSealer {
    /// node:crypto's AES-256-GCM with the frames' key, if it gives the header's known tag (the raw key is the
    /// caller's to wipe: createSecretKey copies it).
    fn checked(crypto: NodeCrypto, raw: &Uint8Array, header_body: &[u8], tag: &[u8]) -> Option<NodeSealer> {
        let key = crypto.create_secret_key(raw).ok()?;
        let sealer = NodeSealer { crypto, key, algorithm: interned("aes-256-gcm") };
        let answer = Uint8Array::new_with_length(TAG_LEN as u32);
        sealer.seal_into(&[0; 12], header_body, &Uint8Array::new_with_length(0), answer.unchecked_ref(), 0)?;
        (answer.to_vec() == tag).then_some(sealer)
    }

    /// `plaintext` sealed (ciphertext ‖ tag) into `out` at `at`, synchronously; `None` if node:crypto throws or
    /// answers bytes of another length.
    fn seal_into(&self, iv: &[u8], aad: &[u8], plaintext: &Uint8Array, out: &ByteView, at: u32) -> Option<()> {
        let cipher = self.crypto.create_cipheriv(&self.algorithm, &self.key, iv).ok()?;
        cipher.set_aad(aad).ok()?;
        let ciphertext = bytes_of_length(cipher.cipher_update(plaintext).ok()?, plaintext.length())?;
        out.set_at(&ciphertext, at).ok()?;
        bytes_of_length(cipher.cipher_final().ok()?, 0)?;
        let tag = bytes_of_length(cipher.auth_tag().ok()?, TAG_LEN as u32)?;
        out.set_at(&tag, at + plaintext.length()).ok()
    }
}

/// A platform's answer as bytes, when it is a Uint8Array (a Buffer) of `length` bytes.
fn bytes_of_length(answer: JsValue, length: u32) -> Option<Uint8Array> {
    answer.dyn_into::<Uint8Array>().ok().filter(|bytes| bytes.length() == length)
}

/// A sealed frame outside the core: made in wasm, or `bytes[from..to]` of a JS array.
enum SealedFrame<'a> {
    InWasm(&'a [u8]),
    InJs(&'a Uint8Array, u32, u32),
}

/// A frame sent to the sealer, with its plaintext kept until it is sealed (to seal it in wasm if WebCrypto
/// refuses it).
struct InFlight {
    frame: Frame,
    plaintext: Plaintext,
    /// WebCrypto's ciphertext ‖ tag to come (a future from the start, so that a refusal is handled at once and
    /// never reported as unhandled); `None`: sealed in wasm when its turn comes.
    sealing: Option<JsFuture>,
}

/// A frame's plaintext in JS: a view of the caller's chunk, or our copy (wiped once sealed).
struct Plaintext {
    bytes: Uint8Array,
    ours: bool,
}

impl Plaintext {
    fn wipe(&self) {
        if self.ours {
            wipe(&self.bytes);
        }
    }
}

/// Our plaintext copies are wiped when a producer is dropped unfinished (a `MessageEncryptor` freed mid-message).
impl Drop for Producer {
    fn drop(&mut self) {
        self.held.drain(..).for_each(|copy| wipe(&copy));
        self.ready.drain(..).for_each(|(plaintext, _)| plaintext.wipe());
    }
}

impl Producer {
    fn new(chunks: Chunks, encryptor: MessageEncryptor) -> Self {
        Producer {
            chunks,
            encryptor: Some(encryptor),
            sealer: Sealer::Undecided,
            held: Vec::new(),
            held_len: 0,
            ready: VecDeque::new(),
            in_flight: VecDeque::new(),
            in_flight_bytes: 0,
            source_done: false,
            hashed: Vec::new(),
            platform_hash: None,
        }
    }

    fn encryptor(&mut self) -> JsResult<&mut MessageEncryptor> {
        self.encryptor.as_mut().ok_or_else(cancelled)
    }

    /// Stops after an error or a cancel: the source is stopped and our plaintext copies are wiped.
    fn abandon(&mut self) {
        self.encryptor = None;
        self.chunks.stop();
        self.held.drain(..).for_each(|copy| wipe(&copy));
        self.ready.drain(..).for_each(|(plaintext, _)| plaintext.wipe());
        self.in_flight.drain(..).for_each(|frame| frame.plaintext.wipe());
        self.in_flight_bytes = 0;
    }

    fn window_open(&self) -> bool {
        self.in_flight.len() < WINDOW_FRAMES && self.in_flight_bytes < WINDOW_BYTES
    }

    /// Sends the frames waiting while the window has room; whether the next source chunk is wanted now.
    fn send_ready(&mut self) -> JsResult<bool> {
        while self.window_open() {
            let Some((plaintext, last)) = self.ready.pop_front() else {
                return Ok(!self.source_done);
            };
            self.send(plaintext, last)?;
        }
        Ok(false)
    }

    /// Whether frames remain to be sent (cut and waiting, or still in the source).
    fn more_to_send(&self) -> bool {
        !self.ready.is_empty() || !self.source_done
    }

    /// Cuts a source chunk into frames (where the core says), queued to be sent; the rest is held.
    fn take_chunk(&mut self, chunk: &Uint8Array) -> JsResult<()> {
        let length = chunk.length() as usize;
        let held_len = self.held_len;
        let cuts = self.encryptor()?.cuts(held_len, length);
        let view = |from: usize, to: usize| chunk.unchecked_ref::<ByteView>().subarray(from as u32, to as u32);
        if cuts.fill > 0 {
            let held = core::mem::take(&mut self.held);
            let frame = Uint8Array::new_with_length((self.held_len + cuts.fill) as u32);
            let mut at = 0;
            for part in held.iter().chain([&view(0, cuts.fill)?]) {
                frame.unchecked_ref::<ByteView>().set_at(part, at)?;
                at += part.length();
            }
            held.iter().for_each(wipe);
            self.held_len = 0;
            self.ready.push_back((Plaintext { bytes: frame, ours: true }, false));
        }
        let frame_length = self.encryptor()?.frame_length();
        for index in 0..cuts.whole {
            let start = cuts.fill + index * frame_length;
            self.ready.push_back((Plaintext { bytes: view(start, start + frame_length)?, ours: false }, false));
        }
        if cuts.rest_start < length {
            // A copy: the caller may reuse its chunk once it has handed over the next one.
            let rest = chunk.unchecked_ref::<ByteView>().slice(cuts.rest_start as u32, length as u32)?;
            self.held_len += rest.length() as usize;
            self.held.push(rest);
        }
        Ok(())
    }

    /// The source ended: the final frame holds what is left (possibly nothing).
    fn take_end(&mut self) -> JsResult<()> {
        self.source_done = true;
        let frame = Uint8Array::new_with_length(self.held_len as u32);
        let mut at = 0;
        for part in core::mem::take(&mut self.held) {
            frame.unchecked_ref::<ByteView>().set_at(&part, at)?;
            at += part.length();
            wipe(&part);
        }
        self.held_len = 0;
        self.ready.push_back((Plaintext { bytes: frame, ours: true }, true));
        Ok(())
    }

    /// Plans the next frame and starts sealing it (WebCrypto), or queues it to be sealed in wasm.
    fn send(&mut self, plaintext: Plaintext, last: bool) -> JsResult<()> {
        let frame = self.encryptor()?.plan_frame(plaintext.bytes.length() as usize, last).map_err(to_js_error)?;
        let sealing = match &self.sealer {
            Sealer::Subtle { subtle, key } => subtle_seal(subtle, key, &frame, &plaintext.bytes),
            _ => None,
        };
        self.in_flight_bytes += frame.content_length;
        self.in_flight.push_back(InFlight { frame, plaintext, sealing });
        Ok(())
    }

    /// A frame sealed in wasm (ciphertext ‖ tag): a frame the platform refused (or answered with the wrong
    /// length) is sealed here, and so is every later one.
    fn seal_in_wasm(&mut self, frame: &Frame, plaintext: &Uint8Array) -> JsResult<Vec<u8>> {
        self.sealer = Sealer::Wasm;
        let plaintext = Zeroizing::new(plaintext.to_vec());
        self.encryptor()?.seal(frame, &plaintext).map_err(to_js_error)
    }

    /// A sealed frame back to the core, in order: its bytes when the core hashes the message (copied into wasm
    /// when sealed in JS), else its length. With node:crypto's SHA-384, `head ‖ sealed` is hashed here unless
    /// the caller hashes it (`platform_hashed`: the synchronous path hashes each output batch whole).
    fn hand_back(&mut self, frame: &Frame, sealed: SealedFrame<'_>, platform_hashed: bool) -> JsResult<()> {
        let encryptor = self.encryptor.as_mut().ok_or_else(cancelled)?;
        let length = match sealed {
            SealedFrame::InWasm(bytes) => bytes.len(),
            SealedFrame::InJs(_, from, to) => (to - from) as usize,
        };
        let given = match (sealed, &self.platform_hash) {
            (SealedFrame::InWasm(bytes), _) if encryptor.hashes_frames() => Sealed::Bytes(bytes),
            (SealedFrame::InJs(bytes, from, to), _) if encryptor.hashes_frames() => {
                self.hashed.resize(length, 0);
                bytes.unchecked_ref::<ByteView>().subarray(from, to)?.copy_to(&mut self.hashed);
                Sealed::Bytes(&self.hashed)
            }
            (sealed, Some(hash)) => {
                if !platform_hashed {
                    hash.hash_update_from_wasm(&frame.head).map_err(platform_hash_failed)?;
                    match sealed {
                        SealedFrame::InWasm(bytes) => hash.hash_update_from_wasm(bytes),
                        SealedFrame::InJs(bytes, from, to) => hash.hash_update(&bytes.unchecked_ref::<ByteView>().subarray(from, to)?),
                    }
                    .map_err(platform_hash_failed)?;
                }
                Sealed::Hashed(length)
            }
            (_, None) => Sealed::Length(length),
        };
        encryptor.accept_sealed(frame, given).map_err(to_js_error)
    }

    /// The frames waiting, sealed now (node:crypto, or the wasm AES-GCM) into one Uint8Array after `prefix`:
    /// about OUTPUT_BYTES (at least one frame), and whether the final frame is among them.
    fn seal_ready_now(&mut self, prefix: &[u8]) -> JsResult<(Uint8Array, bool)> {
        let mut planned: Vec<(Frame, Plaintext)> = Vec::new();
        let mut total = prefix.len();
        let planning = loop {
            if total >= OUTPUT_BYTES && !planned.is_empty() {
                break Ok(());
            }
            let Some((plaintext, last)) = self.ready.pop_front() else { break Ok(()) };
            match self.encryptor().and_then(|e| e.plan_frame(plaintext.bytes.length() as usize, last).map_err(to_js_error)) {
                Ok(frame) => {
                    total += frame.head.len() + frame.content_length + TAG_LEN;
                    planned.push((frame, plaintext));
                }
                Err(error) => {
                    plaintext.wipe();
                    break Err(error);
                }
            }
        };
        let sealing = planning.and_then(|()| self.seal_planned(prefix, &planned, total));
        planned.iter().for_each(|(_, plaintext)| plaintext.wipe());
        let out = sealing?;
        Ok((out, planned.last().is_some_and(|(frame, _)| frame.last)))
    }

    fn seal_planned(&mut self, prefix: &[u8], planned: &[(Frame, Plaintext)], total: usize) -> JsResult<Uint8Array> {
        let out = Uint8Array::new_with_length(total as u32);
        let view = out.unchecked_ref::<ByteView>();
        view.set_from_wasm(prefix, 0)?;
        let mut at = prefix.len() as u32;
        for (frame, plaintext) in planned {
            view.set_from_wasm(&frame.head, at)?;
            let (from, to) = (at + frame.head.len() as u32, at + (frame.head.len() + frame.content_length + TAG_LEN) as u32);
            let by_node = match &self.sealer {
                Sealer::Node(node) => node.seal_into(&frame.iv, &frame.aad, &plaintext.bytes, view, from).is_some(),
                _ => false,
            };
            if by_node {
                self.hand_back(frame, SealedFrame::InJs(&out, from, to), true)?;
            } else {
                let sealed = self.seal_in_wasm(frame, &plaintext.bytes)?;
                view.set_from_wasm(&sealed, from)?;
                self.hand_back(frame, SealedFrame::InWasm(&sealed), true)?;
            }
            at = to;
        }
        if let Some(hash) = &self.platform_hash {
            hash.hash_update(&view.subarray(prefix.len() as u32, total as u32)?).map_err(platform_hash_failed)?;
        }
        Ok(out)
    }

    /// The frames' raw key in JS (taken from the core once: the caller wipes it) and the header's known answer
    /// (body, tag); `None` once the header is out.
    fn key_and_known_answer(&mut self) -> Option<(Uint8Array, Vec<u8>, Vec<u8>)> {
        let encryptor = self.encryptor.as_mut()?;
        let (header_body, tag) = encryptor.header_known_answer().map(|(b, t)| (b.to_vec(), t.to_vec()))?;
        let key = encryptor.take_encryption_key()?;
        Some((Uint8Array::from(key.as_slice()), header_body, tag))
    }

    /// node:crypto's sealer if it passes the known answer, with its SHA-384 for a signing suite if that passes too.
    fn node_sealer(&mut self, crypto: NodeCrypto, raw: &Uint8Array, header_body: &[u8], tag: &[u8]) -> Option<NodeSealer> {
        let node = NodeSealer::checked(crypto, raw, header_body, tag)?;
        self.hash_on_platform(&node.crypto, header_body, tag);
        Some(node)
    }

    /// A signing suite's SHA-384 computed by node:crypto (incremental, several times faster than the wasm one)
    /// when its digest of the header is the core's; else the core keeps hashing.
    fn hash_on_platform(&mut self, crypto: &NodeCrypto, header_body: &[u8], tag: &[u8]) {
        let Some(encryptor) = self.encryptor.as_mut().filter(|e| e.hashes_frames()) else { return };
        let hash_of_header = || -> Option<(NodeHash, Vec<u8>)> {
            let hash = crypto.create_hash(&interned("sha384")).ok()?;
            hash.hash_update_from_wasm(header_body).ok()?;
            hash.hash_update_from_wasm(tag).ok()?;
            let digest = hash.hash_copy().ok()?.hash_digest().ok()?.dyn_into::<Uint8Array>().ok()?;
            Some((hash, digest.to_vec()))
        };
        if let Some((hash, digest)) = hash_of_header()
            && encryptor.hash_elsewhere(&digest)
        {
            self.platform_hash = Some(hash);
        }
    }

    /// Ends the message once its final frame is handed back: the footer (a signing suite's signature of the
    /// SHA-384 the platform or the core computed).
    fn footer(&mut self) -> JsResult<Vec<u8>> {
        let mut encryptor = self.encryptor.take().ok_or_else(cancelled)?;
        match self.platform_hash.take() {
            Some(hash) => {
                let digest = hash.hash_digest().ok().and_then(|d| bytes_of_length(d, 48)).ok_or_else(|| platform_hash_failed(JsValue::UNDEFINED))?;
                encryptor.footer_with_digest(&digest.to_vec())
            }
            None => encryptor.footer(),
        }
        .map_err(to_js_error)
    }
}

fn cancelled() -> JsValue {
    validation("the message stream was cancelled".into())
}

/// node:crypto's SHA-384 threw after it was checked: the message is abandoned (no footer over a partial hash).
fn platform_hash_failed(_: JsValue) -> JsValue {
    to_js_error(crate::error::KmsError::new(
        crate::error::ErrorKind::Internal,
        "node:crypto's SHA-384 failed in the middle of the message: the message is abandoned",
    ))
}

/// WebCrypto's answer as bytes when it is an ArrayBuffer of the `expected` length (ciphertext ‖ tag).
fn sealed_bytes(answer: &JsValue, expected: usize) -> Option<Uint8Array> {
    if !answer.is_instance_of::<js_sys::ArrayBuffer>() {
        return None;
    }
    read::fresh_uint8array(answer).ok().filter(|bytes| bytes.length() as usize == expected)
}

/// Zeroes a copy of ours of secret bytes in JS.
fn wipe(bytes: &Uint8Array) {
    bytes.fill(0, 0, bytes.length());
}

/// `subtle.encrypt` of one frame: AES-GCM with the frame's IV and AAD, 128-bit tag. `None` if it throws.
fn subtle_seal(subtle: &JsValue, key: &JsValue, frame: &Frame, plaintext: &Uint8Array) -> Option<JsFuture> {
    subtle_call(subtle, "encrypt", &[aes_gcm_params(&frame.iv, &frame.aad), key.clone(), plaintext.into()])
}

/// `subtle[name](...args)` as a future, made at once (a refusal is handled from the start, never reported as
/// unhandled); `None` if it is missing, throws or gives no promise.
fn subtle_call(subtle: &JsValue, name: &'static str, args: &[JsValue]) -> Option<JsFuture> {
    let function: Function = Reflect::get(subtle, &interned(name)).ok()?.dyn_into().ok()?;
    let promise: Promise = function.apply(subtle, &args.iter().collect()).ok()?.dyn_into().ok()?;
    Some(JsFuture::from(promise))
}

fn aes_gcm_params(iv: &[u8], aad: &[u8]) -> JsValue {
    let params = Object::new();
    let _ = Reflect::set(&params, &interned("name"), &interned("AES-GCM"));
    let _ = Reflect::set(&params, &interned("iv"), &Uint8Array::from(iv));
    let _ = Reflect::set(&params, &interned("additionalData"), &Uint8Array::from(aad));
    let _ = Reflect::set(&params, &interned("tagLength"), &JsValue::from(128));
    params.into()
}

/// `globalThis.crypto.subtle`, if this runtime has it (secure contexts, Node 20+, Deno, Workers).
fn platform_subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &interned("crypto")).ok().filter(JsValue::is_object)?;
    Reflect::get(&crypto, &interned("subtle")).ok().filter(JsValue::is_object)
}

/// node:crypto through `process.getBuiltinModule` (Node 20.16+ / 22.3+, Bun, Deno), if this runtime has it.
fn platform_node_crypto() -> Option<NodeCrypto> {
    let process = Reflect::get(&js_sys::global(), &interned("process")).ok().filter(JsValue::is_object)?;
    let get: Function = Reflect::get(&process, &interned("getBuiltinModule")).ok()?.dyn_into().ok()?;
    get.call1(&process, &interned("node:crypto")).ok().filter(JsValue::is_object).map(JsCast::unchecked_into)
}

/// The first AES-GCM of the runtime's that has the frames' key and gives the header's known tag (the tag this
/// crate's AES-GCM computed): node:crypto (synchronous, the cheapest per frame), then WebCrypto; else the frames
/// are sealed in wasm (same bytes). The raw key leaves wasm once, and both copies are wiped once node:crypto
/// made its KeyObject and WebCrypto's import settled. With node:crypto, a signing suite's hash is its SHA-384 too.
async fn decide_sealer(producer: &Rc<RefCell<Producer>>) -> Sealer {
    let (node, subtle) = (platform_node_crypto(), platform_subtle());
    if node.is_none() && subtle.is_none() {
        return Sealer::Wasm;
    }
    let Some((raw, header_body, tag)) = producer.borrow_mut().key_and_known_answer() else { return Sealer::Wasm };
    let sealer = match node.and_then(|crypto| producer.borrow_mut().node_sealer(crypto, &raw, &header_body, &tag)) {
        Some(node) => Sealer::Node(node),
        None => match subtle {
            Some(subtle) => subtle_sealer(subtle, &raw, &header_body, &tag).await,
            None => Sealer::Wasm,
        },
    };
    wipe(&raw);
    sealer
}

/// WebCrypto's AES-GCM with the frames' key (imported non-extractable), if it gives the header's known tag.
async fn subtle_sealer(subtle: JsValue, raw: &Uint8Array, header_body: &[u8], tag: &[u8]) -> Sealer {
    let usages: js_sys::Array = [interned("encrypt")].into_iter().collect();
    let algorithm = Object::new();
    let _ = Reflect::set(&algorithm, &interned("name"), &interned("AES-GCM"));
    let import = subtle_call(&subtle, "importKey", &[interned("raw"), raw.clone().into(), algorithm.into(), false.into(), usages.into()]);
    let key = match import {
        Some(importing) => importing.await,
        None => Err(JsValue::UNDEFINED),
    };
    wipe(raw);
    let Ok(key) = key else { return Sealer::Wasm };
    let check = subtle_call(&subtle, "encrypt", &[aes_gcm_params(&[0; 12], header_body), key.clone(), Uint8Array::new_with_length(0).into()]);
    match check {
        Some(checking) => match checking.await {
            Ok(sealed) if sealed_bytes(&sealed, TAG_LEN).is_some_and(|bytes| bytes.to_vec() == tag) => Sealer::Subtle { subtle, key },
            _ => Sealer::Wasm,
        },
        None => Sealer::Wasm,
    }
}

/// A ReadableStream whose pull() reads chunks, sends their frames to be sealed (a window of them at once, see
/// WINDOW_FRAMES) and enqueues the message bytes in order. The streams specification never calls pull() again
/// before its promise settles.
fn readable_stream(producer: Rc<RefCell<Producer>>) -> JsResult<JsValue> {
    let pulling = producer.clone();
    let pull = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |controller: JsValue| {
        let producer = pulling.clone();
        future_to_promise(async move {
            let result = pull_once(&producer, &controller).await;
            if result.is_err() {
                producer.borrow_mut().abandon();
            }
            result.map(|()| JsValue::UNDEFINED)
        })
    });
    let cancel = Closure::<dyn FnMut(JsValue)>::new(move |_reason: JsValue| producer.borrow_mut().abandon());
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

/// One pull: the header the first time, then the frames sealed by the synchronous sealers (node:crypto, wasm)
/// or through WebCrypto's window; the footer and close at the end.
async fn pull_once(producer: &Rc<RefCell<Producer>>, controller: &JsValue) -> JsResult<()> {
    let enqueue = method(controller, "enqueue").ok_or_else(|| validation("the stream controller has no enqueue()".into()))?;
    if matches!(producer.borrow().sealer, Sealer::Undecided) {
        let sealer = decide_sealer(producer).await;
        producer.borrow_mut().sealer = sealer;
    }
    let header = producer.borrow_mut().encryptor()?.header();
    let synchronous = {
        let state = producer.borrow();
        state.in_flight.is_empty() && !matches!(state.sealer, Sealer::Subtle { .. })
    };
    if synchronous {
        pull_sealing_now(producer, controller, &enqueue, header).await?;
    } else {
        pull_windowed(producer, controller, &enqueue, header).await?;
    }
    if producer.borrow().encryptor.is_none() {
        let close = method(controller, "close").ok_or_else(|| validation("the stream controller has no close()".into()))?;
        close.call0(controller)?;
    }
    Ok(())
}

/// Reads the next source chunk and cuts it into frames (or ends the source).
async fn read_chunk(producer: &Rc<RefCell<Producer>>) -> JsResult<()> {
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
    state.encryptor()?;
    match chunk {
        None => state.take_end(),
        Some(chunk) => state.take_chunk(&chunk_bytes(&chunk)?),
    }
}

/// A pull with a synchronous sealer: frames are sealed as soon as they are cut, into batches of about
/// OUTPUT_BYTES, until about OUTPUT_BYTES are enqueued. A source chunk's frames are all sealed before the next
/// chunk is asked for, so what is held is the source chunk, less than a frame of copies and one batch.
async fn pull_sealing_now(producer: &Rc<RefCell<Producer>>, controller: &JsValue, enqueue: &Function, header: Vec<u8>) -> JsResult<()> {
    let mut prefix = header;
    let mut enqueued = 0;
    while producer.borrow().encryptor.is_some() {
        if producer.borrow().ready.is_empty() {
            if enqueued >= OUTPUT_BYTES {
                break;
            }
            read_chunk(producer).await?;
            continue;
        }
        let (batch, last) = producer.borrow_mut().seal_ready_now(&core::mem::take(&mut prefix))?;
        enqueued += batch.length() as usize;
        enqueue.call1(controller, &batch)?;
        if last {
            let footer = producer.borrow_mut().footer()?;
            if !footer.is_empty() {
                enqueue.call1(controller, &Uint8Array::from(footer.as_slice()))?;
            }
        } else if enqueued >= OUTPUT_BYTES {
            break;
        }
    }
    Ok(())
}

/// A pull through WebCrypto: chunks read while the window has room; then the oldest frames, in order, until
/// about OUTPUT_BYTES or half the window is left.
async fn pull_windowed(producer: &Rc<RefCell<Producer>>, controller: &JsValue, enqueue: &Function, header: Vec<u8>) -> JsResult<()> {
    let mut out: Vec<OutPart> = vec![OutPart::Wasm(header)];
    while producer.borrow_mut().send_ready()? {
        read_chunk(producer).await?;
    }
    let mut out_bytes = 0;
    loop {
        let Some(mut entry) = producer.borrow_mut().in_flight.pop_front() else { break };
        let sealed = match entry.sealing.take() {
            Some(sealing) => sealing.await.ok().and_then(|sealed| sealed_bytes(&sealed, entry.frame.content_length + TAG_LEN)),
            None => None,
        };
        let mut state = producer.borrow_mut();
        state.in_flight_bytes = state.in_flight_bytes.saturating_sub(entry.frame.content_length);
        let sealed = match sealed {
            Some(sealed) => Ok(OutPart::Js(sealed)),
            None => state.seal_in_wasm(&entry.frame, &entry.plaintext.bytes).map(OutPart::Wasm),
        };
        entry.plaintext.wipe();
        let sealed = sealed?;
        match &sealed {
            OutPart::Wasm(bytes) => state.hand_back(&entry.frame, SealedFrame::InWasm(bytes), false),
            OutPart::Js(bytes) => state.hand_back(&entry.frame, SealedFrame::InJs(bytes, 0, bytes.length()), false),
        }?;
        out_bytes += entry.frame.head.len() + entry.frame.content_length + TAG_LEN;
        out.push(OutPart::Wasm(entry.frame.head));
        out.push(sealed);
        if entry.frame.last {
            out.push(OutPart::Wasm(state.footer()?));
            break;
        }
        let half_left = state.in_flight.len() <= WINDOW_FRAMES / 2 && state.in_flight_bytes <= WINDOW_BYTES / 2;
        if out_bytes >= OUTPUT_BYTES || (half_left && state.more_to_send()) {
            break;
        }
    }
    let bytes = OutPart::concat(&out)?;
    if bytes.length() > 0 {
        enqueue.call1(controller, &bytes)?;
    }
    Ok(())
}

/// A source chunk as bytes in JS: a view of the caller's Uint8Array or ArrayBuffer (no copy), or an array of
/// numbers copied. Text is refused (its bytes would depend on an encoding).
fn chunk_bytes(chunk: &JsValue) -> JsResult<Uint8Array> {
    if chunk.is_string() {
        return Err(validation(
            "encryptMessageStream got a text chunk: read the source as bytes (no setEncoding); encrypting text would depend on its encoding".into(),
        ));
    }
    if chunk.is_instance_of::<Uint8Array>() || chunk.is_instance_of::<js_sys::ArrayBuffer>() {
        return read::fresh_uint8array(chunk).map_err(|_| validation("a chunk of the source could not be read".into()));
    }
    let copy = Zeroizing::new(read::byte_arg(chunk, "a chunk of the source")?);
    Ok(Uint8Array::from(copy.as_slice()))
}

/// A piece of the message to enqueue: made in wasm (header, frame heads, wasm-sealed frames, footer) or
/// WebCrypto's sealed frame.
enum OutPart {
    Wasm(Vec<u8>),
    Js(Uint8Array),
}

impl OutPart {
    fn len(&self) -> u32 {
        match self {
            OutPart::Wasm(bytes) => bytes.len() as u32,
            OutPart::Js(bytes) => bytes.length(),
        }
    }

    /// The pieces in one Uint8Array (one chunk of the output stream).
    fn concat(parts: &[OutPart]) -> JsResult<Uint8Array> {
        let out = Uint8Array::new_with_length(parts.iter().map(OutPart::len).sum());
        let mut at = 0;
        for part in parts {
            match part {
                OutPart::Wasm(bytes) => out.unchecked_ref::<ByteView>().set_from_wasm(bytes, at)?,
                OutPart::Js(bytes) => out.unchecked_ref::<ByteView>().set_at(bytes, at)?,
            }
            at += part.len();
        }
        Ok(out)
    }
}

fn method(object: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(object, &name.into()).ok().and_then(|f| f.dyn_into::<Function>().ok())
}


