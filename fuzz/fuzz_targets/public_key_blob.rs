//! Arbitrary bytes as PublicKey (DER, PEM or base64) with metadata picked by the fuzz input.
//!
//! Input layout (all single bytes, see `kms_offline_fuzz::enum_text` for how a byte becomes a value):
//! `[0]` KeySpec, `[1]` CustomerMasterKeySpec (0 absent, 1 same text as KeySpec, else a value),
//! `[2]` KeyUsage, `[3]` bit mask of the lists present (1 signing, 2 encryption, 4 key agreement,
//! 8 encapsulation), `[4]` list length (0..=3, same for each list), then the list entries list by
//! list, then a KeyId selector (7+ reads a string), then the rest is the PublicKey blob.
//!
//! Properties: never panics; every error is a KMS exception; a loaded key's DER is exactly what
//! `encoding::public_key_der` makes of the blob, and its JSON round trip is lossless.
#![no_main]

use arbitrary::Unstructured;
use kms_offline::encoding::public_key_der;
use kms_offline::{
    EncapsulationAlgorithm, EncryptionAlgorithm, GetPublicKeyOutput, KeyAgreementAlgorithm, KeySpec, KeyUsage, KmsEnum,
    KmsPublicKey, SigningAlgorithm,
};
use kms_offline_fuzz::{check_loaded_key, checked, enum_text, key_id_text, same_error};
use libfuzzer_sys::fuzz_target;

fn byte(u: &mut Unstructured<'_>) -> u8 {
    u.arbitrary::<u8>().unwrap_or(0)
}

fn list<T: KmsEnum>(u: &mut Unstructured<'_>, present: bool, len: usize) -> Option<Vec<String>> {
    if !present {
        return None;
    }
    Some((0..len).filter_map(|_| enum_text::<T>(byte(u))).collect())
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let key_spec = enum_text::<KeySpec>(byte(&mut u));
    let customer_master_key_spec = match byte(&mut u) {
        0 => None,
        1 => key_spec.clone(),
        b => enum_text::<KeySpec>(b),
    };
    let key_usage = enum_text::<KeyUsage>(byte(&mut u));
    let lists = byte(&mut u);
    let len = (byte(&mut u) % 4) as usize;
    let signing_algorithms = list::<SigningAlgorithm>(&mut u, lists & 1 != 0, len);
    let encryption_algorithms = list::<EncryptionAlgorithm>(&mut u, lists & 2 != 0, len);
    let key_agreement_algorithms = list::<KeyAgreementAlgorithm>(&mut u, lists & 4 != 0, len);
    let encapsulation_algorithms = list::<EncapsulationAlgorithm>(&mut u, lists & 8 != 0, len);
    let id_selector = byte(&mut u);
    let key_id = key_id_text(id_selector, &mut u);
    let blob = u.take_rest();
    let metadata = GetPublicKeyOutput {
        key_id,
        public_key: b"ignored".to_vec(),
        key_spec,
        customer_master_key_spec,
        key_usage,
        signing_algorithms,
        encryption_algorithms,
        key_agreement_algorithms,
        encapsulation_algorithms,
    };
    let loaded = checked(KmsPublicKey::from_public_key(blob, metadata.clone()));
    let again = KmsPublicKey::from_public_key(blob, metadata);
    assert!(same_error(&loaded, &again), "not deterministic");
    if let Ok(key) = loaded {
        let der = public_key_der(blob).expect("a loaded blob decodes");
        assert_eq!(key.spki_der(), der.as_slice());
        check_loaded_key(&key);
    }
});
