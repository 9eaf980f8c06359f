//! What reading a caller's stream needs (`digestStream`, `encryptMessageStream`): its iterator methods, and its
//! promises awaited without ever calling their `then` from wasm.

use super::JsResult;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `object[symbol]` when it is a function (`Symbol.asyncIterator`, `Symbol.iterator`).
pub(super) fn symbol_method(object: &JsValue, symbol: &js_sys::Symbol) -> Option<Function> {
    Reflect::get(object, symbol).ok().and_then(|f| f.dyn_into::<Function>().ok())
}

/// Awaits a promise the caller's code returned (`next()`, `read()`). A Promise subclass or Proxy can have a
/// `then` that throws, so it is never called from wasm directly: a fresh promise is resolved with it,
/// which turns anything `then` throws into a rejection.
pub(super) async fn await_value(promise_or_value: JsValue) -> JsResult<JsValue> {
    if !promise_or_value.is_instance_of::<Promise>() {
        return Ok(promise_or_value);
    }
    let fresh = Promise::new(&mut |resolve, _reject| {
        let _ = resolve.call1(&JsValue::UNDEFINED, &promise_or_value);
    });
    JsFuture::from(fresh).await
}
