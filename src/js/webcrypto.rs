//! `verifyAsync`, `encryptAsync`, `deriveSharedSecretAsync`, `encapsulateAsync`: the synchronous operations with the
//! arithmetic done by the platform's WebCrypto where it has the algorithm (see `crate::webcrypto`).
//!
//! Every rule is checked in Rust first (a request KMS would refuse rejects with the same exception as
//! the synchronous method). WebCrypto then gets exactly what the core says it must compute; its CryptoKey
//! is imported once per key and algorithm and cached on the key object. Whenever WebCrypto is missing
//! (`crypto.subtle` exists only in secure contexts), lacks the algorithm or fails, the answer comes from
//! the synchronous wasm implementation instead, so the promise always settles with the library's answer.

use super::{JsKmsPublicKey, JsResult, checked_verify, interned, to_js_error};
#[cfg(feature = "ecdh")]
use super::{DeriveParts, derived_value};
#[cfg(any(feature = "ecdh", feature = "ml-kem"))]
use super::response;
#[cfg(feature = "ml-kem")]
use super::{algorithm_member, encapsulated_value};
#[cfg(feature = "ml-kem")]
use crate::encapsulate::CheckedEncapsulate;
#[cfg(feature = "encrypt")]
use super::{EncryptParts, bytes_value, encrypt_value, encrypt_value_with_id};
#[cfg(feature = "encrypt")]
use crate::encrypt::CheckedEncrypt;
#[cfg(any(feature = "ecdh", feature = "encrypt", feature = "ml-kem"))]
use super::key_id_value;
use crate::key::KmsPublicKey;
use crate::verify::CheckedVerify;
use crate::webcrypto::{WebCryptoAlgorithm, WebCryptoImport, WebCryptoParams, WebCryptoVerify};
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
#[cfg(feature = "ecdh")]
use wasm_bindgen_futures::{JsFuture, future_to_promise};

/// The CryptoKeys imported for one key, by import parameters.
#[derive(Default)]
pub(super) struct WebCryptoKeys {
    imported: RefCell<Vec<(WebCryptoImport, Rc<Imported>)>>,
    /// This key's id in REGISTERED, once a verifyAsync or encryptAsync went to WebCrypto.
    registered: Cell<Option<u64>>,
}

impl Drop for WebCryptoKeys {
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
    /// The checked requests of the verifyAsync and encryptAsync calls WebCrypto has not answered yet, by slot: the
    /// synchronous fallback answers the request as checked, without reading it or checking its rules again. A slot is
    /// freed by the one handler bound to it, so it is never read after it is reused. (A slab, not a map: a BTreeMap of
    /// one more value type is 8 KB of wasm.)
    pending: Vec<Option<Pending>>,
    free_slots: Vec<usize>,
}

/// A checked request waiting for WebCrypto's answer.
enum Pending {
    Verify(CheckedVerify<'static>),
    #[cfg(feature = "encrypt")]
    Encrypt(CheckedEncrypt<'static>),
    /// An Encapsulate request, with its key (kept alive until it is answered, as the wasm path may answer it) and
    /// the size WebCrypto's ciphertext must have.
    #[cfg(feature = "ml-kem")]
    Encapsulate { key: Rc<KmsPublicKey>, checked: CheckedEncapsulate, ciphertext_len: u32 },
}

/// Keeps `request` for its WebCrypto promise's handler; its slot.
fn keep_pending(request: Pending) -> usize {
    REGISTERED.with(|r| {
        let r = &mut *r.borrow_mut();
        match r.free_slots.pop() {
            Some(slot) => {
                r.pending[slot] = Some(request);
                slot
            }
            None => {
                r.pending.push(Some(request));
                r.pending.len() - 1
            }
        }
    })
}

/// The request kept in `slot`, no longer kept.
fn take_pending(slot: usize) -> Option<Pending> {
    REGISTERED.with(|r| {
        let r = &mut *r.borrow_mut();
        let request = r.pending.get_mut(slot)?.take()?;
        r.free_slots.push(slot);
        Some(request)
    })
}

thread_local! {
    static REGISTERED: RefCell<Registry> = RefCell::default();
    /// Both handlers of a verifyAsync's WebCrypto promise, made once: (key id, the request's id, fulfilled?, outcome).
    /// (Same signature as ENCRYPT_SETTLED's: each closure signature is a shim of its own in the wasm and the glue.)
    static VERIFY_SETTLED: Function = Closure::<dyn Fn(f64, JsValue, JsValue, JsValue) -> JsValue>::new(verify_settled).into_js_value().unchecked_into();
    /// The handlers of a CryptoKey import and of a call waiting for it, made once.
    static KEEP_KEY: Function = Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(keep_key).into_js_value().unchecked_into();
    static IMPORT_FAILED: Function = Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(import_failed).into_js_value().unchecked_into();
    static CALL_WITH_KEY: Function = Closure::<dyn Fn(JsValue, JsValue, JsValue, JsValue) -> JsValue>::new(call_with_key).into_js_value().unchecked_into();
    /// Both handlers of an encryptAsync's WebCrypto promise, made once: (key id, [copy, the request's id, KeyId], fulfilled?, outcome).
    #[cfg(feature = "encrypt")]
    static ENCRYPT_SETTLED: Function = Closure::<dyn Fn(f64, JsValue, JsValue, JsValue) -> JsValue>::new(encrypt_settled).into_js_value().unchecked_into();
    /// Both handlers of an encapsulateAsync's WebCrypto promise, made once: (unused, the request's id, fulfilled?, outcome).
    #[cfg(feature = "ml-kem")]
    static ENCAPSULATE_SETTLED: Function = Closure::<dyn Fn(f64, JsValue, JsValue, JsValue) -> JsValue>::new(encapsulate_settled).into_js_value().unchecked_into();
}

/// The key registered as `id`, if it is still alive.
fn registered_key(id: f64) -> Option<Rc<KmsPublicKey>> {
    REGISTERED.with(|r| r.borrow().keys.get(&(id as u64)).and_then(Weak::upgrade))
}

/// `promise` settled by `handlers` (`verify_settled` or `encrypt_settled`), bound to this key's registered id and
/// the request (the request's id for a verify, the request as read now for an encrypt); `None` when `promise` has no
/// usable `then`.
fn settled_by(handlers: &'static std::thread::LocalKey<Function>, promise: &Promise, id: u64, request: &JsValue) -> Option<Promise> {
    let id: JsValue = (id as f64).into();
    let handler = |fulfilled: bool| handlers.with(|f| f.bind3(&JsValue::NULL, &id, request, &fulfilled.into()));
    then(promise, &handler(true), &handler(false))
}

/// A WebCrypto verify that settled: its boolean, or, if it failed or gave no boolean, the answer of the
/// synchronous path for the same request, as checked the first time.
fn verify_settled(id: f64, request: JsValue, fulfilled: JsValue, outcome: JsValue) -> JsValue {
    let checked = take_pending(request.as_f64().unwrap_or(f64::MAX) as usize);
    if fulfilled.is_truthy() && outcome.as_bool().is_some() {
        return outcome;
    }
    match (registered_key(id), checked) {
        (Some(key), Some(Pending::Verify(checked))) => key.verify_checked(&checked).into(),
        _ => Promise::reject(&outcome).into(), // the key was dropped meanwhile: nothing left to answer with
    }
}

/// A WebCrypto encrypt that settled: its ciphertext as an EncryptResponse, or, if it failed, the answer of the
/// synchronous path for the same request, as checked the first time (`[plaintext copy, the request's id, KeyId]`).
/// The copy WebCrypto read is wiped either way.
#[cfg(feature = "encrypt")]
fn encrypt_settled(id: f64, request: JsValue, fulfilled: JsValue, outcome: JsValue) -> JsValue {
    let request: Array = request.unchecked_into();
    let copy: Uint8Array = request.get(0).unchecked_into();
    let pending = request.get(1).as_f64().unwrap_or_default() as usize;
    let answer = match take_pending(pending) {
        Some(Pending::Encrypt(checked)) if fulfilled.is_truthy() && outcome.is_instance_of::<js_sys::ArrayBuffer>() => {
            Ok(encrypt_value_with_id(request.get(2), Uint8Array::new(&outcome).into(), checked.encryption_algorithm()))
        }
        Some(Pending::Encrypt(checked)) => match registered_key(id) {
            Some(key) => key
                .encrypt_checked(&checked)
                .map(|e| encrypt_value(e.key_id.as_deref(), bytes_value(&e.ciphertext_blob), e.encryption_algorithm))
                .map_err(to_js_error),
            None => Err(outcome), // the key was dropped meanwhile: nothing left to answer with
        },
        _ => Err(outcome),
    };
    copy.fill(0, 0, copy.length());
    match answer {
        Ok(answer) => answer,
        Err(e) => Promise::reject(&e).into(),
    }
}

/// A WebCrypto encapsulateBits that settled: its shared key and ciphertext as an EncapsulateResponse, or, if it failed
/// or gave something of another shape (no ML-KEM here after all), the wasm path's answer to the request as checked.
#[cfg(feature = "ml-kem")]
fn encapsulate_settled(_: f64, request: JsValue, fulfilled: JsValue, outcome: JsValue) -> JsValue {
    let Some(Pending::Encapsulate { key, checked, ciphertext_len }) = take_pending(request.as_f64().unwrap_or(f64::MAX) as usize) else {
        return Promise::reject(&outcome).into();
    };
    let platform = || -> JsResult<Option<(Uint8Array, Uint8Array)>> {
        let secret = Uint8Array::new(&Reflect::get(&outcome, &interned("sharedKey"))?);
        let ciphertext = Uint8Array::new(&Reflect::get(&outcome, &interned("ciphertext"))?);
        Ok((secret.length() == 32 && ciphertext.length() == ciphertext_len).then_some((secret, ciphertext)))
    };
    match fulfilled.is_truthy().then(platform) {
        Some(Ok(Some((secret, ciphertext)))) => response(&[
            ("KeyId", key_id_value(key.key_id().map(str::to_owned))),
            ("SharedSecret", secret.into()),
            ("SharedSecretCiphertextBlob", ciphertext.into()),
            ("EncapsulationAlgorithm", interned(checked.encapsulation_algorithm().as_str())),
        ]),
        _ => encapsulated_value(&key, &checked).unwrap_or_else(|e| Promise::reject(&e).into()),
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
    /// Whether the import failed: WebCrypto is not tried again for this key and algorithm.
    fn failed(&self) -> bool {
        Reflect::get(&self.holder, &interned("failed")).is_ok_and(|failed| failed.is_truthy())
    }

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

/// The import's rejection handler: marks `holder` failed (the runtime lacks the algorithm, or refuses the key), so
/// that the key's later calls go straight to wasm, and passes the rejection on.
fn import_failed(holder: JsValue, error: JsValue) -> JsValue {
    let _ = Reflect::set(&holder, &interned("failed"), &JsValue::TRUE);
    Promise::reject(&error).into()
}

/// A `then` handler of a pending import: `subtle[name](...args)` with the CryptoKey put in `args[1]`. `args` is
/// the array made for this one call (see `with_key`), so it is filled in place: one crossing, where copying it
/// element by element took one per element (bench/NOTES.md §25).
fn call_with_key(subtle: JsValue, name: JsValue, args: JsValue, key: JsValue) -> JsValue {
    let _ = Reflect::set(&args, &1.into(), &key); // an Array of ours: cannot throw
    apply(&subtle, &name, args.unchecked_ref()).map_or_else(|e| Promise::reject(&e).into(), JsValue::from)
}

/// The CryptoKey of `slot`, awaiting its import the first time.
#[cfg(feature = "ecdh")]
async fn ready_key(slot: &Imported) -> JsResult<JsValue> {
    match slot.key() {
        Ok(key) => Ok(key),
        Err(pending) => JsFuture::from(pending).await,
    }
}

thread_local! {
    /// Whether this is Node (`process.versions.node` without `Deno`, which has it too): see `WebCryptoAlgorithm::in_node`.
    static IN_NODE: bool = {
        let global = js_sys::global();
        let node = Reflect::get(&global, &interned("process"))
            .and_then(|process| Reflect::get(&process, &interned("versions")))
            .and_then(|versions| Reflect::get(&versions, &interned("node")))
            .is_ok_and(|version| version.is_string());
        node && Reflect::get(&global, &interned("Deno")).is_ok_and(|deno| deno.is_undefined())
    };
}

/// Whether this runtime's WebCrypto is worth asking for `algorithm` (when it has it).
fn worth_it(algorithm: &WebCryptoAlgorithm) -> bool {
    algorithm.in_node || !IN_NODE.with(|node| *node)
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

/// A WebCrypto algorithm object: the members of `params` that apply, under their WebCrypto names.
fn params_object(params: &WebCryptoParams) -> Object {
    let object = Object::new();
    let _ = Reflect::set(&object, &interned("name"), &interned(params.name));
    if let Some(hash) = params.hash {
        let _ = Reflect::set(&object, &interned("hash"), &interned(hash));
    }
    if let Some(salt_length) = params.salt_length {
        let _ = Reflect::set(&object, &interned("saltLength"), &salt_length.into());
    }
    if let Some(named_curve) = params.named_curve {
        let _ = Reflect::set(&object, &interned("namedCurve"), &interned(named_curve));
    }
    object
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
        if let Some(id) = self.webcrypto.registered.get() {
            return id;
        }
        let id = REGISTERED.with(|r| {
            let mut r = r.borrow_mut();
            let id = r.next_id;
            r.next_id += 1;
            r.keys.insert(id, Rc::downgrade(&self.inner));
            id
        });
        self.webcrypto.registered.set(Some(id));
        id
    }

    /// The CryptoKey of `import`, imported on first use (the runtime's feature test: an algorithm it lacks fails the
    /// import); `None` without WebCrypto or once the import failed.
    fn crypto_key(&self, subtle: &JsValue, import: &WebCryptoImport) -> Option<Rc<Imported>> {
        let mut imported = self.webcrypto.imported.borrow_mut();
        if let Some((_, slot)) = imported.iter().find(|(known, _)| known == import) {
            return (!slot.failed()).then(|| Rc::clone(slot));
        }
        let usages: Array = import.usages.iter().map(|u| interned(u)).collect();
        let spki = Uint8Array::from(self.inner.spki_der());
        let args: Array = [interned("spki"), spki.into(), params_object(&import.params).into(), false.into(), usages.into()].into_iter().collect();
        let importing = apply(subtle, &interned("importKey"), &args).ok()?;
        let holder = Object::new();
        let on_failure = IMPORT_FAILED.with(|f| f.bind1(&JsValue::NULL, &holder));
        let promise = then(&importing, &KEEP_KEY.with(|f| f.bind1(&JsValue::NULL, &holder)), &on_failure)?;
        let slot = Rc::new(Imported { promise, holder, key: RefCell::new(None) });
        imported.push((*import, Rc::clone(&slot)));
        Some(slot)
    }
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// verify(), with RSA, ECDSA P-256/P-384/P-521, Ed25519 and ML-DSA RAW messages checked by WebCrypto where the
    /// runtime has the algorithm (much faster); the same answer and the same exceptions (as a rejected promise) in
    /// every case.
    #[wasm_bindgen(js_name = verifyAsync, unchecked_return_type = "Promise<boolean>")]
    pub fn verify_async(&self, #[wasm_bindgen(unchecked_param_type = "VerifyRequest")] request: JsValue) -> Promise {
        let checked = match checked_verify(&request, &self.inner) {
            Ok(checked) => checked,
            Err(e) => return Promise::reject(&e),
        };
        let (algorithm, signature) = match self.inner.webcrypto_verify_checked(&checked) {
            WebCryptoVerify::Decided(answer) => return Promise::resolve(&JsValue::from(answer)),
            WebCryptoVerify::Native { algorithm, signature } if worth_it(&algorithm) => (algorithm, signature),
            WebCryptoVerify::Native { .. } | WebCryptoVerify::Unsupported => return Promise::resolve(&JsValue::from(self.inner.verify_checked(&checked))),
        };
        let Some((slot, subtle)) = subtle().and_then(|subtle| Some((self.crypto_key(&subtle, &algorithm.import)?, subtle))) else {
            return Promise::resolve(&JsValue::from(self.inner.verify_checked(&checked)));
        };
        let parameters: JsValue = params_object(&algorithm.operation).into();
        let message: JsValue = Uint8Array::from(checked.request().message).into();
        let signature: JsValue = Uint8Array::from(signature.as_slice()).into();
        let verify = with_key(&slot, &subtle, "verify", |key| [parameters, key, signature, message].into_iter().collect());
        // WebCrypto's own promise, settled by `verify_settled`: its boolean, or the synchronous path's answer (a
        // failed import, a missing algorithm, a throw, no boolean) to the request as checked now.
        let key = self.registered_id();
        let pending = keep_pending(Pending::Verify(checked));
        settled_by(&VERIFY_SETTLED, &verify, key, &(pending as f64).into()).unwrap_or_else(|| match take_pending(pending) {
            // Not a promise after all: the synchronous answer now.
            Some(Pending::Verify(checked)) => Promise::resolve(&JsValue::from(self.inner.verify_checked(&checked))),
            _ => Promise::reject(&JsValue::from_str("not a promise")),
        })
    }
}

#[cfg(feature = "encrypt")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// encrypt(), with RSA-OAEP computed by WebCrypto: a ciphertext KMS Decrypt opens, as from encrypt().
    #[wasm_bindgen(js_name = encryptAsync, unchecked_return_type = "Promise<EncryptResponse>")]
    pub fn encrypt_async(&self, #[wasm_bindgen(unchecked_param_type = "EncryptRequest")] request: JsValue) -> Promise {
        let checked = match EncryptParts::read(&request, &self.inner).and_then(EncryptParts::check) {
            Ok(checked) => checked,
            Err(e) => return Promise::reject(&e),
        };
        let Some(native_algorithm) = self.inner.webcrypto_encrypt_checked(&checked) else {
            return settle_now(self.encrypt_response(&checked));
        };
        let Some((slot, subtle)) = subtle().and_then(|subtle| Some((self.crypto_key(&subtle, &native_algorithm.import)?, subtle))) else {
            return settle_now(self.encrypt_response(&checked));
        };
        // WebCrypto's own promise, settled by `encrypt_settled` (its ciphertext, or the synchronous path). The
        // copy WebCrypto reads is wiped there.
        let copy = Uint8Array::from(checked.plaintext());
        let parameters: JsValue = params_object(&native_algorithm.operation).into();
        let encrypt = with_key(&slot, &subtle, "encrypt", |key| [parameters, key, copy.clone().into()].into_iter().collect());
        let key = self.registered_id();
        let pending = keep_pending(Pending::Encrypt(checked));
        let request: Array = [copy.clone().into(), (pending as f64).into(), key_id_value(self.inner.key_id().map(str::to_owned))].into_iter().collect();
        settled_by(&ENCRYPT_SETTLED, &encrypt, key, &request.into()).unwrap_or_else(|| {
            copy.fill(0, 0, copy.length()); // not a promise after all
            match take_pending(pending) {
                Some(Pending::Encrypt(checked)) => settle_now(self.encrypt_response(&checked)),
                _ => Promise::reject(&JsValue::from_str("not a promise")),
            }
        })
    }
}

#[cfg(feature = "ecdh")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// deriveSharedSecret(), with an ephemeral ECDH key pair on P-256/P-384 made and used by WebCrypto (P-521
    /// is faster in wasm, see `webcrypto_key_agreement`): the same PublicKey
    /// (DER SPKI) and SharedSecret (Z) KMS DeriveSharedSecret works with.
    #[wasm_bindgen(js_name = deriveSharedSecretAsync, unchecked_return_type = "Promise<DeriveSharedSecretResponse>")]
    pub fn derive_shared_secret_async(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeriveSharedSecretRequest")] request: JsValue,
    ) -> Promise {
        let checked = match DeriveParts::read(&request, &self.inner).and_then(|parts| parts.check(&self.inner)) {
            Ok(checked) => checked,
            Err(e) => return Promise::reject(&e),
        };
        // A static PrivateKey or SM2: the synchronous path uses it.
        let Some(native_algorithm) = self.inner.webcrypto_key_agreement_checked(&checked) else {
            return settle_now(self.derive_response(&checked));
        };
        let Some((kms_key, subtle)) = subtle().and_then(|subtle| Some((self.crypto_key(&subtle, &native_algorithm.import)?, subtle))) else {
            return settle_now(self.derive_response(&checked));
        };
        let key = Rc::clone(&self.inner);
        let z_bits = native_algorithm.length_bits;
        future_to_promise(async move {
            let derived = async {
                let kms_key = ready_key(&kms_key).await?;
                let curve: JsValue = params_object(&native_algorithm.import.params).into();
                let usages: Array = [interned("deriveBits")].into_iter().collect();
                let pair = settle(call(&subtle, "generateKey", &[curve, false.into(), usages.into()])).await?;
                let private = Reflect::get(&pair, &interned("privateKey"))?;
                let public = Reflect::get(&pair, &interned("publicKey"))?;
                let ecdh = params_object(&native_algorithm.derive_bits);
                let _ = Reflect::set(&ecdh, &interned("public"), &kms_key);
                let z = settle(call(&subtle, "deriveBits", &[ecdh.into(), private, z_bits.into()])).await?;
                let spki = settle(call(&subtle, "exportKey", &[interned("spki"), public])).await?;
                Ok::<_, JsValue>((Uint8Array::new(&spki), Uint8Array::new(&z)))
            };
            match derived.await {
                Ok((public_key, z)) if z.length() * 8 == z_bits => Ok(response(&[
                    ("KeyId", key_id_value(key.key_id().map(str::to_owned))),
                    ("PublicKey", public_key.into()),
                    ("SharedSecret", z.into()),
                    ("KeyAgreementAlgorithm", interned(checked.key_agreement_algorithm().as_str())),
                ])),
                _ => key.derive_checked(&checked).map(|d| derived_value(&d)).map_err(to_js_error),
            }
        })
    }
}

#[cfg(feature = "ml-kem")]
#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    /// encapsulate(), with ML-KEM.Encaps computed by WebCrypto's `encapsulateBits` where the runtime has ML-KEM: a
    /// shared secret and the ciphertext KMS Decapsulate opens, as from encapsulate().
    #[wasm_bindgen(js_name = encapsulateAsync, unchecked_return_type = "Promise<EncapsulateResponse>")]
    pub fn encapsulate_async(&self, #[wasm_bindgen(unchecked_param_type = "EncapsulateRequest")] request: JsValue) -> Promise {
        let checked = match algorithm_member(&request, "EncapsulationAlgorithm", &self.inner).and_then(|algorithm| self.inner.check_encapsulate(algorithm).map_err(to_js_error)) {
            Ok(checked) => checked,
            Err(e) => return Promise::reject(&e),
        };
        let native = self.inner.webcrypto_encapsulate_checked(&checked).filter(|native| worth_it(&native.algorithm)).zip(subtle());
        let Some((native, slot, subtle)) = native.and_then(|(native, subtle)| Some((native, self.crypto_key(&subtle, &native.algorithm.import)?, subtle))) else {
            return settle_now(encapsulated_value(&self.inner, &checked));
        };
        // WebCrypto's own promise, settled by `encapsulate_settled` (its answer, or the wasm path): a plain promise
        // chain, where a Rust future cost a task, closures and a microtask per call (bench/NOTES.md §26).
        let parameters: JsValue = params_object(&native.algorithm.operation).into();
        let bits = with_key(&slot, &subtle, "encapsulateBits", |key| [parameters, key].into_iter().collect());
        let pending = keep_pending(Pending::Encapsulate { key: Rc::clone(&self.inner), checked, ciphertext_len: native.ciphertext_len });
        settled_by(&ENCAPSULATE_SETTLED, &bits, 0, &(pending as f64).into()).unwrap_or_else(|| match take_pending(pending) {
            // Not a promise after all: the wasm path now.
            Some(Pending::Encapsulate { key, checked, .. }) => settle_now(encapsulated_value(&key, &checked)),
            _ => Promise::reject(&JsValue::from_str("not a promise")),
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
