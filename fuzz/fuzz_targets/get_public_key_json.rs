//! Arbitrary text as `aws kms get-public-key` JSON output.
//!
//! Properties: never panics; every error is a KMS exception; `json::parse_get_public_key` and
//! `KmsPublicKey::from_get_public_key_json` agree (a parse error is the load error); a key that
//! loads writes GetPublicKey JSON that loads back to the same key; the result is deterministic.
#![no_main]

use kms_offline::KmsPublicKey;
use kms_offline::json::parse_get_public_key;
use kms_offline_fuzz::{check_loaded_key, checked, same_error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = checked(parse_get_public_key(&text));
    let loaded = checked(KmsPublicKey::from_get_public_key_json(&text));
    if let Err(e) = &parsed {
        assert_eq!(loaded.as_ref().err(), Some(e), "parse error differs from the load error");
    }
    if let Ok(output) = parsed {
        let direct = checked(KmsPublicKey::from_get_public_key(output));
        assert!(same_error(&direct, &loaded));
    }
    let again = KmsPublicKey::from_get_public_key_json(&text);
    assert!(same_error(&loaded, &again), "not deterministic");
    if let Ok(key) = loaded {
        check_loaded_key(&key);
    }
});
