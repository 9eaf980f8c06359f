//! `kdf::hkdf` and `kdf::one_step_kdf` with arbitrary hashes, inputs and output lengths.
//!
//! Input layout: `[0]` bit 0 HKDF or one-step, bits 1-7 the hash (mod 3); `[1..5]` the output length
//! (u32 LE; below 2^31 taken mod 70000 to straddle both limits, otherwise as is, up to u32::MAX);
//! `[5]` IKM/Z length, `[6]` salt length (HKDF), then IKM, salt, and the rest as info/FixedInfo.
//!
//! Properties: never panics; refusals are ValidationException; the output has exactly the length
//! asked for; it is deterministic; a shorter output is a prefix of a longer one.
#![no_main]

use kms_offline::kdf::{hkdf, one_step_kdf};
use kms_offline::{KdfHash, KmsEnum};
use kms_offline_fuzz::checked_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [selector, l0, l1, l2, l3, ikm_len, salt_len, rest @ ..] = data else { return };
    let raw = u32::from_le_bytes([*l0, *l1, *l2, *l3]);
    let length = if raw < 1 << 31 { (raw % 70_000) as usize } else { raw as usize };
    let hash = KdfHash::ALL[(*selector >> 1) as usize % KdfHash::ALL.len()];
    let (ikm, rest) = rest.split_at((*ikm_len as usize).min(rest.len()));
    let (salt, info) = rest.split_at((*salt_len as usize).min(rest.len()));
    let run = |length: usize| {
        if selector & 1 == 0 { hkdf(hash, ikm, salt, info, length) } else { one_step_kdf(hash, ikm, info, length) }
    };
    let out = checked_as(run(length), &["ValidationException"]);
    let max = if selector & 1 == 0 { 255 * hash.output_len() } else { 1 << 16 };
    assert_eq!(out.is_ok(), (1..=max).contains(&length), "length {length} with {hash}");
    let Ok(out) = out else { return };
    assert_eq!(out.len(), length);
    if length <= 4096 {
        assert_eq!(*run(length).expect("same request"), *out, "not deterministic");
        if length > 1 {
            let shorter = run(length / 2).expect("a shorter output");
            assert_eq!(shorter.as_slice(), &out[..length / 2], "a shorter output is not a prefix");
        }
    }
});
