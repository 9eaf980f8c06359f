//! `encoding::decode_base64`, `encoding::decode_pem_public_key`, `encoding::public_key_der` and
//! `encoding::private_key_der` on arbitrary bytes.
//!
//! Properties: never panics; refusals are ValidationException; decoded base64 re-encodes to the
//! same bytes; DER (first byte 0x30) is passed through unchanged; a blob that is valid text gives the
//! same DER as its base64/PEM decoding.
#![no_main]

use kms_offline::encoding::{decode_base64, decode_pem_public_key, encode_base64, private_key_der, public_key_der};
use kms_offline_fuzz::checked_as;
use libfuzzer_sys::fuzz_target;

const V: &[&str] = &["ValidationException"];

fuzz_target!(|data: &[u8]| {
    let public = checked_as(public_key_der(data), V);
    let private = checked_as(private_key_der(data), V);
    let is_pem = data.first() != Some(&0x30) && core::str::from_utf8(data).is_ok_and(|t| t.contains("-----BEGIN"));
    if !is_pem {
        // Raw DER and base64 do not depend on the kind: both accept or refuse the same bytes.
        assert_eq!(public.as_deref().ok(), private.as_deref().map(|d| d.as_slice()).ok());
    }
    if data.first() == Some(&0x30) {
        assert_eq!(public.as_deref().ok(), Some(data));
        assert_eq!(private.as_deref().map(|d| d.as_slice()).ok(), Some(data));
    }
    let Ok(text) = core::str::from_utf8(data) else { return };
    let decoded = checked_as(decode_base64(text, "Fuzz"), V);
    if let Ok(bytes) = &decoded {
        assert!(!bytes.is_empty());
        assert_eq!(&decode_base64(&encode_base64(bytes), "Fuzz").expect("re-encoded base64"), bytes);
        if data.first() != Some(&0x30) && !text.contains("-----BEGIN") {
            assert_eq!(public.as_ref().ok(), Some(bytes), "public_key_der differs from decode_base64");
        }
    }
    let pem = checked_as(decode_pem_public_key(text), V);
    if data.first() != Some(&0x30) && text.contains("-----BEGIN") {
        assert_eq!(pem.ok(), public.ok(), "public_key_der differs from decode_pem_public_key");
    }
});
