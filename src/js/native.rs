//! `verifyAsync`, `encryptAsync`, `deriveSharedSecretAsync`: the synchronous operations with the
//! arithmetic done by the platform's WebCrypto where it has the algorithm (see `crate::native`).
//!
//! Every rule is checked in Rust first (a request KMS would refuse rejects with the same exception as
//! the synchronous method). WebCrypto then gets exactly what the core says it must compute; its CryptoKey
//! is imported once per key and algorithm and cached on the key object. Whenever WebCrypto is missing
//! (`crypto.subtle` exists only in secure contexts), lacks the algorithm or fails, the answer comes from
//! the synchronous wasm implementation instead, so the promise always settles with the library's answer.

use super::{JsKmsPublicKey, JsResult, VerifyParts, interned, to_js_error};
#[cfg(feature = "ecdh")]
use super::{DeriveParts, derived_value, response};
#[cfg(feature = "encrypt")]
use super::{EncryptParts, bytes_value, encrypt_value, encrypt_value_with_id};
#[cfg(any(feature = "ecdh", feature = "encrypt"))]
use super::key_id_value;
use crate::native::{NativeAlgorithm, NativeVerify};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use crate::interop::SignatureFormat;
use crate::key::KmsPublicKey;
use crate::spec::{MessageType, SigningAlgorithm};
use crate::verify::VerifyRequest;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
#[cfg(feature = "ecdh")]
use wasm_bindgen_futures::{JsFuture, future_to_promise};

/// The CryptoKeys imported for one key, by import parameters.
#[derive(Default)]
pub(super) struct NativeKeys {
    imported: RefCell<Vec<(ImportId, Rc<Imported>)>>,
    /// This key's id in REGISTERED, once a verifyAsync or encryptAsync went to WebCrypto.
    registered: Cell<Option<u64>>,
}

impl Drop for NativeKeys {
    fn drop(&mut self) {
        if let Some(id) = self.registered.get() {
            REGISTERED.with(|r| r.borrow_mut().keys.remove(&id));
        }
    }
}

/// The keys whose verifyAsync or encryptAsync hands WebCrypto's promise back (see `verify_async`), by an id that is
/// never reused: a pending promise of a key dropped meanwhile can never be answered with another key.
#[derive(Default)]
struct Registry {
    keys: std::collections::BTreeMap<u64, Weak<KmsPublicKey>>,
    next_id: u64,
}

thread_local! {
    static REGISTERED: RefCell<Registry> = RefCell::default();
    /// Both handlers of a verifyAsync's WebCrypto promise, made once: (key id, the request, fulfilled?, outcome).
    static VERIFY_SETTLED: Function = Closure::<dyn Fn(f64, JsValue, JsValue, JsValue) -> JsValue>::new(verify_settled).into_js_value().unchecked_into();
    /// The handlers of a CryptoKey import and of a call waiting for it, made once.
    static KEEP_KEY: Function = Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(keep_key).into_js_value().unchecked_into();
    static CALL_WITH_KEY: Function = Closure::<dyn Fn(JsValue, JsValue, JsValue, JsValue) -> JsValue>::new(call_with_key).into_js_value().unchecked_into();
    /// Both handlers of an encryptAsync's WebCrypto promise, made once: (key id, the request, fulfilled?, outcome).
    #[cfg(feature = "encrypt")]
    static ENCRYPT_SETTLED: Function = Closure::<dyn Fn(f64, JsValue, JsValue, JsValue) -> JsValue>::new(encrypt_settled).into_js_value().unchecked_into();
}

/// The key registered as `id`, if it is still alive.
fn registered_key(id: f64) -> Option<Rc<KmsPublicKey>> {
    REGISTERED.with(|r| r.borrow().keys.get(&(id as u64)).and_then(Weak::upgrade))
}

/// `promise` settled by `handlers` (`verify_settled` or `encrypt_settled`), bound to this key's registered id and
/// the request as read now; `None` when `promise` has no usable `then`.
fn settled_by(handlers: &'static std::thread::LocalKey<Function>, promise: &Promise, id: u64, request: &Array) -> Option<Promise> {
    let id: JsValue = (id as f64).into();
    let handler = |fulfilled: bool| handlers.with(|f| f.bind3(&JsValue::NULL, &id, request, &fulfilled.into()));
    then(promise, &handler(true), &handler(false))
}

/// A WebCrypto verify that settled: its boolean, or, if it failed or gave no boolean, the answer of the
/// synchronous path for the same request (`[Message, Signature, SigningAlgorithm, MessageType,
/// SignatureFormat]`, as read the first time).
fn verify_settled(id: f64, request: JsValue, fulfilled: JsValue, outcome: JsValue) -> JsValue {
    if fulfilled.is_truthy() && outcome.as_bool().is_some() {
        return outcome;
    }
    let Some(key) = registered_key(id) else {
        return Promise::reject(&outcome).into(); // the key was dropped meanwhile: nothing left to answer with
    };
    let request: Array = request.unchecked_into();
    let bytes = |i| request.get(i).unchecked_into::<Uint8Array>().to_vec();
    let text = |i| request.get(i).as_string().unwrap_or_default();
    let (message, signature) = (bytes(0), bytes(1));
    let answer = (|| {
        let verify = VerifyRequest {
            message: &message,
            signature: &signature,
            signing_algorithm: SigningAlgorithm::parse(&text(2), "SigningAlgorithm")?,
            message_type: MessageType::parse(&text(3), "MessageType")?,
        };
        key.verify_formatted(&verify, SignatureFormat::parse(&text(4), "SignatureFormat")?)
    })();
    match answer {
        Ok(answer) => answer.into(),
        Err(e) => Promise::reject(&to_js_error(e)).into(),
    }
}

/// A WebCrypto encrypt that settled: its ciphertext as an EncryptResponse, or, if it failed, the answer of the
/// synchronous path for the same request (`[plaintext copy, EncryptionAlgorithm, context pairs, KeyId]`). The
/// copy WebCrypto read is wiped either way.
#[cfg(feature = "encrypt")]
fn encrypt_settled(id: f64, request: JsValue, fulfilled: JsValue, outcome: JsValue) -> JsValue {
    use crate::encrypt::EncryptRequest;
    use crate::spec::EncryptionAlgorithm;
    let request: Array = request.unchecked_into();
    let copy: Uint8Array = request.get(0).unchecked_into();
    let answer = (|| {
        let algorithm = EncryptionAlgorithm::parse(&request.get(1).as_string().unwrap_or_default(), "EncryptionAlgorithm").map_err(to_js_error)?;
        if fulfilled.is_truthy() && outcome.is_instance_of::<js_sys::ArrayBuffer>() {
            return Ok(encrypt_value_with_id(request.get(3), Uint8Array::new(&outcome).into(), algorithm));
        }
        let Some(key) = registered_key(id) else {
            return Err(outcome); // the key was dropped meanwhile: nothing left to answer with
        };
        let plaintext = zeroize::Zeroizing::new(copy.to_vec());
        let pairs = request.get(2).as_f64().unwrap_or_default() as usize;
        let sync = EncryptRequest { plaintext: &plaintext, encryption_algorithm: algorithm, encryption_context_pairs: pairs };
        key.encrypt(&sync)
            .map(|e| encrypt_value(e.key_id.as_deref(), bytes_value(&e.ciphertext_blob), e.encryption_algorithm))
            .map_err(to_js_error)
    })();
    copy.fill(0, 0, copy.length());
    match answer {
        Ok(answer) => answer,
        Err(e) => Promise::reject(&e).into(),
    }
}

/// A CryptoKey imported for one key and algorithm. `promise` is the import's, with `keep_key` as its handler: it
/// puts the CryptoKey in `holder` (an object of ours) and fulfils with it. Once it is there, calls
/// use it directly; before, they are chained on `promise` (no future, see `with_key`).
struct Imported {
    promise: Promise,
    holder: Object,
    key: RefCell<Option<JsValue>>,
}

impl Imported {
    /// The CryptoKey if the import is done, else the promise of it.
    fn key(&self) -> Result<JsValue, Promise> {
        if let Some(key) = &*self.key.borrow() {
            return Ok(key.clone());
        }
        match Reflect::get(&self.holder, &interned("key")) {
            Ok(key) if !key.is_undefined() => {
                *self.key.borrow_mut() = Some(key.clone());
                Ok(key)
            }
            _ => Err(self.promise.clone()),
        }
    }
}

/// The import's `then` handler: keeps the CryptoKey in `holder` and passes it on.
fn keep_key(holder: JsValue, key: JsValue) -> JsValue {
    let _ = Reflect::set(&holder, &interned("key"), &key);
    key
}

/// A `then` handler of a pending import: `subtle[name](...args)` with the CryptoKey in `args[1]`.
fn call_with_key(subtle: JsValue, name: JsValue, args: JsValue, key: JsValue) -> JsValue {
    apply(&subtle, &name, &args_with_key(&args.unchecked_into(), key)).map_or_else(|e| Promise::reject(&e).into(), JsValue::from)
}

/// `args` (an array of ours) with the CryptoKey in place of its `args[1]`, as a new array.
fn args_with_key(args: &Array, key: JsValue) -> Array {
    (0..args.length()).map(|i| if i == 1 { key.clone() } else { args.get(i) }).collect()
}

/// The CryptoKey of `slot`, awaiting its import the first time.
#[cfg(feature = "ecdh")]
async fn ready_key(slot: &Imported) -> JsResult<JsValue> {
    match slot.key() {
        Ok(key) => Ok(key),
        Err(pending) => JsFuture::from(pending).await,
    }
}

/// What identifies an import: RSA keys are imported per algorithm and hash, EC keys per algorithm.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ImportId {
    name: &'static str,
    hash: Option<&'static str>,
}

/// `globalThis.crypto.subtle`, if this runtime has it.
fn subtle() -> Option<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &interned("crypto")).ok().filter(|c| c.is_object())?;
    Reflect::get(&crypto, &interned("subtle")).ok().filter(|s| s.is_object())
}

/// `subtle[name](...args)`, as a promise (a synchronous throw becomes an error here, not in wasm).
fn apply(subtle: &JsValue, name: &JsValue, args: &Array) -> JsResult<Promise> {
    let function: Function = Reflect::get(subtle, name)?.dyn_into()?;
    Reflect::apply(&function, subtle, args)?.dyn_into::<Promise>().map_err(|_| JsValue::from_str("not a promise"))
}

#[cfg(feature = "ecdh")]
fn call(subtle: &JsValue, name: &'static str, args: &[JsValue]) -> JsResult<Promise> {
    apply(subtle, &interned(name), &args.iter().collect())
}

/// `subtle[name](...args(CryptoKey))`: now if the key's import is done, else once it is, chained on the import's
/// promise (a future costs more: 1.5-3 µs of a first verifyAsync in Chromium, bench/NOTES.md §12). A synchronous
/// throw becomes a rejection. `args` puts the CryptoKey it is given at index 1.
fn with_key(slot: &Imported, subtle: &JsValue, name: &'static str, args: impl FnOnce(JsValue) -> Array) -> Promise {
    let name = interned(name);
    match slot.key() {
        Ok(key) => apply(subtle, &name, &args(key)).unwrap_or_else(|e| Promise::reject(&e)),
        Err(pending) => {
            let handler = CALL_WITH_KEY.with(|f| f.bind3(&JsValue::NULL, subtle, &name, &args(JsValue::NULL)));
            then(&pending, &handler, &JsValue::UNDEFINED).unwrap_or_else(|| Promise::reject(&JsValue::from_str("not a promise")))
        }
    }
}

fn object(members: &[(&'static str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in members {
        let _ = Reflect::set(&object, &interned(name), value);
    }
    object.into()
}

/// The `importKey` parameters of the key for `algorithm`, and its usages.
fn import_parameters(algorithm: &NativeAlgorithm) -> (JsValue, &'static [&'static str]) {
    match algorithm.name {
        "ECDSA" | "ECDH" => (
            object(&[("name", interned(algorithm.name)), ("namedCurve", interned(algorithm.named_curve.unwrap_or_default()))]),
            if algorithm.name == "ECDSA" { &["verify"] } else { &[] },
        ),
        _ => (
            object(&[("name", interned(algorithm.name)), ("hash", interned(algorithm.hash.unwrap_or_default()))]),
            if algorithm.name == "RSA-OAEP" { &["encrypt"] } else { &["verify"] },
        ),
    }
}

/// `promise.then(on_fulfilled, on_rejected)` through Reflect and `Function.call`, so that a `then` that is
/// missing or throws (a patched or foreign promise) is `None` rather than an exception through wasm frames;
/// `None` as well when it gives back no promise.
fn then(promise: &Promise, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Option<Promise> {
    let then: Function = Reflect::get(promise, &interned("then")).ok()?.dyn_into().ok()?;
    then.call2(promise, on_fulfilled, on_rejected).ok()?.dyn_into().ok()
}

#[cfg(feature = "ecdh")]
async fn settle(promise: JsResult<Promise>) -> JsResult<JsValue> {
    JsFuture::from(promise?).await
}

impl JsKmsPublicKey {
    /// This key's id in REGISTERED (registered on first use; ids stay below 2^53, exact as a JS number).
    fn registered_id(&self) -> u64 {
        if let Some(id) = self.native.registered.get() {
            return id;
        }
        let id = REGISTERED.with(|r| {
            let mut r = r.borrow_mut();
            let id = r.next_id;
            r.next_id += 1;
            r.keys.insert(id, Rc::downgrade(&self.inner));
            id
        });
        self.native.registered.set(Some(id));
        id
    }

    /// The CryptoKey for `algorithm`, imported on first use; `None` without WebCrypto.
    fn crypto_key(&self, subtle: &JsValue, algorithm: &NativeAlgorithm) -> Option<Rc<Imported>> {
        let id = ImportId { name: algorithm.name, hash: if algorithm.name.starts_with("RSA") { algorithm.hash } else { None } };
        let mut imported = self.native.imported.borrow_mut();
        if let Some((_, slot)) = imported.iter().find(|(known, _)| *known == id) {
            return Some(Rc::clone(slot));
        }
        let (parameters, usages) = import_parameters(algorithm);
        let usages: Array = usages.iter().map(|u| interned(u)).collect();
        let spki = Uint8Array::from(self.inner.spki_der());
        let args: Array = [interned("spki"), spki.into(), parameters, false.into(), usages.into()].into_iter().collect();
        let import = apply(subtle, &interned("importKey"), &args).ok()?;
        let holder = Object::new();
        let promise = then(&import, &KEEP_KEY.with(|f| f.bind1(&JsValue::NULL, &holder)), &JsValue::UNDEFINED)?;
        let slot = Rc::new(Imported { promise, holder, key: RefCell::new(None) });
        imported.push((id, Rc::clone(&slot)));
        Some(slot)
    }
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// verify(), with RSA and ECDSA P-256/P-384/P-521 RAW messages checked by WebCrypto (much faster); the
    /// same answer and the same exceptions (as a rejected promise) in every case.
    #[wasm_bindgen(js_name = verifyAsync, unchecked_return_type = "Promise<boolean>")]
    pub fn verify_async(&self, #[wasm_bindgen(unchecked_param_type = "VerifyRequest")] request: JsValue) -> Promise {
        let parts = match VerifyParts::read(&request, &self.inner) {
            Ok(parts) => parts,
            Err(e) => return Promise::reject(&e),
        };
        let plan = match self.inner.native_verify(&parts.request(), parts.signature_format) {
            Ok(plan) => plan,
            Err(e) => return Promise::reject(&to_js_error(e)),
        };
        let sync = || settle_now(self.inner.verify_formatted(&parts.request(), parts.signature_format).map(JsValue::from).map_err(to_js_error));
        let (algorithm, signature) = match plan {
            NativeVerify::Decided(answer) => return settle_now(Ok(answer.into())),
            NativeVerify::Native { algorithm, signature } => (algorithm, signature),
            NativeVerify::Unsupported => return sync(),
        };
        let Some((slot, subtle)) = subtle().and_then(|subtle| Some((self.crypto_key(&subtle, &algorithm)?, subtle))) else {
            return sync();
        };
        let parameters = match algorithm.name {
            "RSA-PSS" => object(&[("name", interned(algorithm.name)), ("saltLength", algorithm.salt_length.unwrap_or_default().into())]),
            "ECDSA" => object(&[("name", interned(algorithm.name)), ("hash", interned(algorithm.hash.unwrap_or_default()))]),
            _ => object(&[("name", interned(algorithm.name))]),
        };
        let message: JsValue = Uint8Array::from(parts.message.as_slice()).into();
        let signature: JsValue = Uint8Array::from(signature.as_slice()).into();
        let verify = with_key(&slot, &subtle, "verify", |key| [parameters, key, signature, message.clone()].into_iter().collect());
        // WebCrypto's own promise, settled by `verify_settled`: its boolean, or the synchronous path's answer (a
        // failed import, a missing algorithm, a throw, no boolean) to the request as read the first time.
        let request: Array = [
            message,
            Uint8Array::from(parts.signature.as_slice()).into(),
            interned(parts.signing_algorithm.as_str()),
            interned(parts.message_type.as_str()),
            interned(parts.signature_format.as_str()),
        ]
        .into_iter()
        .collect();
        settled_by(&VERIFY_SETTLED, &verify, self.registered_id(), &request).unwrap_or_else(sync)
    }
}

#[cfg(feature = "encrypt")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// encrypt(), with RSA-OAEP computed by WebCrypto: a ciphertext KMS Decrypt opens, as from encrypt().
    #[wasm_bindgen(js_name = encryptAsync, unchecked_return_type = "Promise<EncryptResponse>")]
    pub fn encrypt_async(&self, #[wasm_bindgen(unchecked_param_type = "EncryptRequest")] request: JsValue) -> Promise {
        let parts = match EncryptParts::read(&request, &self.inner) {
            Ok(parts) => parts,
            Err(e) => return Promise::reject(&e),
        };
        let encrypt_request = parts.request();
        let native_algorithm = match self.inner.native_encrypt(&encrypt_request) {
            Ok(Some(native)) => native,
            Ok(None) => return settle_now(self.encrypt_response(&encrypt_request)),
            Err(e) => return Promise::reject(&to_js_error(e)),
        };
        let Some((slot, subtle)) = subtle().and_then(|subtle| Some((self.crypto_key(&subtle, &native_algorithm)?, subtle))) else {
            return settle_now(self.encrypt_response(&encrypt_request));
        };
        // WebCrypto's own promise, settled by `encrypt_settled` (its ciphertext, or the synchronous path). The
        // copy WebCrypto reads is wiped there.
        let copy = Uint8Array::from(parts.plaintext.as_slice());
        let parameters = object(&[("name", interned(native_algorithm.name))]);
        let encrypt = with_key(&slot, &subtle, "encrypt", |key| [parameters, key, copy.clone().into()].into_iter().collect());
        let request: Array = [copy.clone().into(), interned(parts.algorithm.as_str()), (parts.context_pairs as f64).into(), key_id_value(self.inner.key_id().map(str::to_owned))]
            .into_iter()
            .collect();
        settled_by(&ENCRYPT_SETTLED, &encrypt, self.registered_id(), &request).unwrap_or_else(|| {
            copy.fill(0, 0, copy.length()); // not a promise after all
            settle_now(self.encrypt_response(&encrypt_request))
        })
    }
}

#[cfg(feature = "ecdh")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// deriveSharedSecret(), with an ephemeral ECDH key pair on P-256/P-384 made and used by WebCrypto (P-521
    /// is faster in wasm, see `native_key_agreement`): the same PublicKey
    /// (DER SPKI) and SharedSecret (Z) KMS DeriveSharedSecret works with.
    #[wasm_bindgen(js_name = deriveSharedSecretAsync, unchecked_return_type = "Promise<DeriveSharedSecretResponse>")]
    pub fn derive_shared_secret_async(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeriveSharedSecretRequest")] request: JsValue,
    ) -> Promise {
        let parts = match DeriveParts::read(&request, &self.inner) {
            Ok(parts) => parts,
            Err(e) => return Promise::reject(&e),
        };
        let native_algorithm = match self.inner.native_key_agreement(&parts.request()) {
            Ok(Some(native)) => native,
            // A static PrivateKey or SM2: the synchronous path checks and uses it.
            Ok(None) => return settle_now(self.derive_response(&parts.request())),
            Err(e) => return Promise::reject(&to_js_error(e)),
        };
        let Some((kms_key, subtle)) = subtle().and_then(|subtle| Some((self.crypto_key(&subtle, &native_algorithm)?, subtle))) else {
            return settle_now(self.derive_response(&parts.request()));
        };
        let key = Rc::clone(&self.inner);
        let z_bits = native_algorithm.length_bits.unwrap_or_default();
        future_to_promise(async move {
            let derived = async {
                let kms_key = ready_key(&kms_key).await?;
                let curve = object(&[("name", interned("ECDH")), ("namedCurve", interned(native_algorithm.named_curve.unwrap_or_default()))]);
                let usages: Array = [interned("deriveBits")].into_iter().collect();
                let pair = settle(call(&subtle, "generateKey", &[curve, false.into(), usages.into()])).await?;
                let private = Reflect::get(&pair, &interned("privateKey"))?;
                let public = Reflect::get(&pair, &interned("publicKey"))?;
                let ecdh = object(&[("name", interned("ECDH")), ("public", kms_key)]);
                let z = settle(call(&subtle, "deriveBits", &[ecdh, private, z_bits.into()])).await?;
                let spki = settle(call(&subtle, "exportKey", &[interned("spki"), public])).await?;
                Ok::<_, JsValue>((Uint8Array::new(&spki), Uint8Array::new(&z)))
            };
            match derived.await {
                Ok((public_key, z)) if z.length() * 8 == z_bits => Ok(response(&[
                    ("KeyId", key_id_value(key.key_id().map(str::to_owned))),
                    ("PublicKey", public_key.into()),
                    ("SharedSecret", z.into()),
                    ("KeyAgreementAlgorithm", interned(parts.algorithm.as_str())),
                ])),
                _ => key.derive_shared_secret(&parts.request()).map(|d| derived_value(&d)).map_err(to_js_error),
            }
        })
    }
}

/// A promise already settled with a synchronous result.
fn settle_now(result: JsResult<JsValue>) -> Promise {
    match result {
        Ok(value) => Promise::resolve(&value),
        Err(e) => Promise::reject(&e),
    }
}
