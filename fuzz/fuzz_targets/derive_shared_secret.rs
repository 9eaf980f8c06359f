//! DeriveSharedSecret (ECDH) on every KEY_AGREEMENT fixture key (P-256, P-384, P-521, SM2) with an
//! arbitrary PrivateKey (PKCS#8 DER, PEM or base64; the corpus is seeded with every fixture's real
//! private key in each form), or none (an ephemeral key pair).
//!
//! Input layout: `[0]` key (below 0xE0 one of the 4 KEY_AGREEMENT fixtures, else any fixture),
//! `[1]` mode: 0 no PrivateKey (ephemeral), otherwise the rest is the PrivateKey.
//!
//! Properties: never panics; every error is a KMS exception; with a PrivateKey the answer is
//! deterministic; Z has the curve's length; and Z is the same secret KMS would compute: loading our
//! public key as a KMS key of the same spec and deriving with the fixture's private key gives Z again.
#![no_main]

use kms_offline::{DeriveSharedSecretRequest, GetPublicKeyOutput, KeyAgreementAlgorithm, KmsPublicKey};
use kms_offline_fuzz::{Fixture, check_loaded_key, checked, fixtures_with_usage, metadata_of, pick_fixture};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static AGREEING: LazyLock<Vec<&'static Fixture>> = LazyLock::new(|| fixtures_with_usage("KEY_AGREEMENT"));

fuzz_target!(|data: &[u8]| {
    let [key_byte, mode, private @ ..] = data else { return };
    let fixture = pick_fixture(*key_byte, &AGREEING);
    let key = &fixture.key;
    let private_key = (*mode != 0).then_some(private);
    let request = DeriveSharedSecretRequest { key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh, private_key };
    let result = checked(key.derive_shared_secret(&request));
    let Ok(response) = result else {
        let again = key.derive_shared_secret(&request);
        assert_eq!(result.err(), again.err(), "refusal is not deterministic");
        return;
    };
    let field_len = match key.key_spec().as_str() {
        "ECC_NIST_P256" | "SM2" => 32,
        "ECC_NIST_P384" => 48,
        "ECC_NIST_P521" => 66,
        other => panic!("ECDH succeeded on {other}"),
    };
    assert_eq!(response.shared_secret.len(), field_len);
    assert_eq!(response.key_id.as_deref(), key.key_id());
    if private_key.is_some() {
        let again = key.derive_shared_secret(&request).expect("the same request succeeds twice");
        assert_eq!(again.shared_secret, response.shared_secret, "Z is not deterministic");
        assert_eq!(again.public_key, response.public_key);
    }
    // KMS's side: our public key as a KMS KEY_AGREEMENT key, and the fixture's private key.
    let ours = KmsPublicKey::from_public_key(
        &response.public_key,
        GetPublicKeyOutput { key_id: None, ..metadata_of(key) },
    )
    .unwrap_or_else(|e| panic!("our own public key does not load as a {} key: {e}", key.key_spec()));
    check_loaded_key(&ours);
    let kms_side = ours
        .derive_shared_secret(&DeriveSharedSecretRequest {
            key_agreement_algorithm: KeyAgreementAlgorithm::Ecdh,
            private_key: Some(fixture.private_key_der.as_deref().expect("KEY_AGREEMENT fixtures have a private key")),
        })
        .expect("KMS's side of the agreement");
    assert_eq!(kms_side.shared_secret, response.shared_secret, "the two sides disagree on Z");
});
