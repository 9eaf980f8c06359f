//! ML-KEM Encapsulate on the ENCAPSULATE_DECAPSULATE fixture keys, and on mutated ML-KEM SPKIs.
//!
//! Input layout: `[0]` key (below 0xE0 one of the 3 ML-KEM fixtures, else any fixture), `[1]` mode:
//! 0 the fixture key as is; otherwise the rest is a PublicKey (DER, PEM or base64) loaded with that
//! fixture's metadata first (the corpus is seeded with the real SPKIs, which the fuzzer mutates).
//!
//! Properties: never panics; every error is a KMS exception; the ciphertext is 768/1088/1568 bytes
//! and the shared secret 32.
#![no_main]

use kms_offline::{EncapsulationAlgorithm, KmsPublicKey};
use kms_offline_fuzz::{Fixture, check_loaded_key, checked, fixtures_with_usage, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static KEMS: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("ENCAPSULATE_DECAPSULATE"));

fuzz_target!(|data: &[u8]| {
    let [key_byte, mode, blob @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &KEMS);
    let loaded;
    let key = if *mode == 0 {
        &fixture.key
    } else {
        let Ok(key) = checked(KmsPublicKey::from_public_key(blob, fixture.metadata.clone())) else { return };
        check_loaded_key(&key);
        loaded = key;
        &loaded
    };
    let result = checked(key.encapsulate(EncapsulationAlgorithm::MlKem));
    let Ok(response) = result else { return };
    let expected = match key.key_spec().as_str() {
        "ML_KEM_512" => 768,
        "ML_KEM_768" => 1088,
        "ML_KEM_1024" => 1568,
        other => panic!("encapsulated with {other}"),
    };
    assert_eq!(response.shared_secret_ciphertext_blob.len(), expected);
    assert_eq!(response.shared_secret.len(), 32);
    assert_eq!(response.encapsulation_algorithm, EncapsulationAlgorithm::MlKem);
});
