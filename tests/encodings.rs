//! The encodings the crate prints, byte for byte what OpenSSL prints: the SPKI as PEM, and the fingerprint in hex
//! (through `base16ct` since issue 20 item 5; PEM stays hand-written: `pem-rfc7468`'s encoder costs 1.6 KB gzip in
//! the verify-p256 entry, bench/NOTES.md §14).

mod common;
use common::Fixture;

/// `spkiPem()` is OpenSSL's own `openssl pkey -pubout` text for every fixture key (64-character lines, LF, a final LF).
#[test]
fn spki_pem_is_openssls_pem_for_every_fixture() {
    let mut checked = 0;
    for fixture in Fixture::all() {
        assert_eq!(fixture.key().spki_pem(), fixture.pem(), "{}", fixture.name);
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures");
}

/// The fingerprint is lowercase hex of SHA-256 of the DER, as `openssl pkey -pubin -outform DER | sha256sum` prints it.
#[test]
fn the_fingerprint_is_lowercase_hex() {
    assert_eq!(
        kms_offline::encoding::encode_hex(&[0x00, 0x0f, 0xab, 0xff]),
        "000fabff"
    );
    for fixture in Fixture::all() {
        let fingerprint = fixture.key().fingerprint();
        assert_eq!(fingerprint.len(), 64, "{}", fixture.name);
        assert!(
            fingerprint
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{}: {fingerprint}",
            fixture.name
        );
    }
}
