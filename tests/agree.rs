//! ECDH against KMS keys: the shared secret equals what the KMS side computes with its private key
//! (OpenSSL `pkeyutl -derive` for the NIST curves, Node's `createECDH('SM2')` for SM2, since
//! OpenSSL 3.0 has no SM2 key exchange) — the same Z that DeriveSharedSecret returns.

mod common;
use common::{Fixture, Scratch, hex, run};
use kms_offline::{DeriveSharedSecretRequest, KeyAgreementAlgorithm, KmsPublicKey};

const ECDH: KeyAgreementAlgorithm = KeyAgreementAlgorithm::Ecdh;

fn ephemeral() -> DeriveSharedSecretRequest<'static> {
    DeriveSharedSecretRequest { key_agreement_algorithm: ECDH, private_key: None }
}

/// Z computed on the KMS side: the KMS key's private half with our public key.
fn kms_side_secret(fixture: &Fixture, our_spki: &[u8]) -> Vec<u8> {
    let dir = Scratch::new("derive");
    let kms_private = dir.write("kms.pem", fixture.json["PrivateKeyPem"].as_str().unwrap().as_bytes());
    let ours = dir.write("ours.der", our_spki);
    run("openssl", &["pkeyutl", "-derive", "-inkey", &kms_private, "-peerkey", &ours, "-peerform", "DER"])
}

#[test]
fn nist_curve_secrets_match_openssl_on_the_kms_side() {
    for (name, z_len) in [("ECC_NIST_P256", 32), ("ECC_NIST_P384", 48), ("ECC_NIST_P521", 66)] {
        let fixture = Fixture::load(&format!("{name}_KEY_AGREEMENT"));
        let key = fixture.key();
        let response = key.derive_shared_secret(&ephemeral()).unwrap();
        assert_eq!(response.shared_secret.len(), z_len, "{name}");
        assert_eq!(*response.shared_secret, kms_side_secret(&fixture, &response.public_key), "{name}");
        // The second and third go through the key's comb table.
        for _ in 0..2 {
            let again = key.derive_shared_secret(&ephemeral()).unwrap();
            assert_eq!(*again.shared_secret, kms_side_secret(&fixture, &again.public_key), "{name}, through the table");
        }
        assert!(key.cache_built());
        // Our SPKI has the same shape as KMS's own for this spec, so DeriveSharedSecret takes it.
        assert_eq!(response.public_key[..20], key.spki_der()[..20], "{name}");
        assert_eq!(response.public_key.len(), key.spki_der().len());
    }
}

#[test]
fn a_static_private_key_gives_the_same_secret_as_openssl() {
    let kms = Fixture::load("ECC_NIST_P256_KEY_AGREEMENT");
    let ours = Fixture::load("ECC_NIST_P256_SIGN_VERIFY");
    let pem = ours.json["PrivateKeyPem"].as_str().unwrap();
    let response = kms
        .key()
        .derive_shared_secret(&DeriveSharedSecretRequest { key_agreement_algorithm: ECDH, private_key: Some(pem.as_bytes()) })
        .unwrap();
    assert_eq!(response.public_key, ours.key().spki_der(), "the public half of the static key is returned");
    assert_eq!(*response.shared_secret, kms_side_secret(&kms, &response.public_key));
    // The same from the other side, computed by OpenSSL with our static key and the KMS public key.
    let dir = Scratch::new("static");
    let our_private = dir.write("ours.pem", pem.as_bytes());
    let kms_public = dir.write("kms.der", kms.key().spki_der());
    let z = run("openssl", &["pkeyutl", "-derive", "-inkey", &our_private, "-peerkey", &kms_public, "-peerform", "DER"]);
    assert_eq!(*response.shared_secret, z);
}

#[test]
fn sm2_secret_matches_node_on_the_kms_side() {
    let fixture = Fixture::load("SM2_KEY_AGREEMENT");
    let response = fixture.key().derive_shared_secret(&ephemeral()).unwrap();
    assert_eq!(response.shared_secret.len(), 32);
    let kms_private = fixture.json["PrivateKeyPem"].as_str().unwrap();
    let script = format!(
        "const c=require('crypto');\
         const d=c.createPrivateKey({kms_private:?}).export({{format:'der',type:'pkcs8'}});\
         const i=d.indexOf(Buffer.from([0x04,0x20]));\
         const e=c.createECDH('SM2');e.setPrivateKey(d.subarray(i+2,i+34));\
         const spki=Buffer.from('{}','hex');\
         process.stdout.write(e.computeSecret(spki.subarray(spki.length-65)).toString('hex'))",
        hex(&response.public_key)
    );
    let z = String::from_utf8(run("node", &["-e", &script])).unwrap();
    assert_eq!(z, hex(&response.shared_secret));
}

/// Z for our SPKI computed by the curve's crate with the KMS key's private half (the fixture's PKCS#8 PEM).
fn crate_side_secret<C>(fixture: &Fixture, our_spki: &[u8]) -> Vec<u8>
where
    C: elliptic_curve::CurveArithmetic + elliptic_curve::pkcs8::AssociatedOid,
    elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>,
{
    use elliptic_curve::pkcs8::{DecodePrivateKey, DecodePublicKey};
    let pem = fixture.json["PrivateKeyPem"].as_str().unwrap();
    let der = kms_offline::encoding::private_key_der(pem.as_bytes()).unwrap();
    let kms = elliptic_curve::SecretKey::<C>::from_pkcs8_der(&der).unwrap();
    let ours = elliptic_curve::PublicKey::<C>::from_public_key_der(our_spki).unwrap();
    elliptic_curve::ecdh::diffie_hellman(kms.to_nonzero_scalar(), ours.as_affine()).raw_secret_bytes().to_vec()
}

/// From its second ECDH on, a key multiplies through its comb table (src/comb.rs), in constant time. Every
/// secret, before and after, is the one the curve's crate computes on the KMS side with the private key.
#[test]
fn secrets_through_the_keys_table_match_the_kms_side() {
    fn rounds<C>(name: &str)
    where
        C: elliptic_curve::CurveArithmetic + elliptic_curve::pkcs8::AssociatedOid,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
        C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>,
    {
        let fixture = Fixture::load(name);
        let key = fixture.key();
        for round in 0..40 {
            assert_eq!(key.cache_built(), round > 1, "{name} round {round}");
            let response = key.derive_shared_secret(&ephemeral()).unwrap();
            assert_eq!(*response.shared_secret, crate_side_secret::<C>(&fixture, &response.public_key), "{name} round {round}");
        }
    }
    rounds::<p256::NistP256>("ECC_NIST_P256_KEY_AGREEMENT");
    rounds::<p384::NistP384>("ECC_NIST_P384_KEY_AGREEMENT");
    rounds::<p521::NistP521>("ECC_NIST_P521_KEY_AGREEMENT");
    rounds::<sm2::Sm2>("SM2_KEY_AGREEMENT");
}

/// `deriveSharedSecretAsync` hands every ephemeral agreement of a P-256 or P-384 key to WebCrypto, none of a
/// P-521 key (the synchronous path is faster there, from the first agreement on) or an SM2 key.
#[test]
fn webcrypto_does_the_agreements_of_p256_and_p384_keys_only() {
    for (name, native) in [
        ("ECC_NIST_P256_KEY_AGREEMENT", true),
        ("ECC_NIST_P384_KEY_AGREEMENT", true),
        ("ECC_NIST_P521_KEY_AGREEMENT", false),
        ("SM2_KEY_AGREEMENT", false),
    ] {
        let key = Fixture::load(name).key();
        for round in 0..3 {
            assert_eq!(key.webcrypto_key_agreement(&ephemeral()).unwrap().is_some(), native, "{name} round {round}");
        }
    }
    // A P-521 key's first synchronous agreement leaves the table for its second, whose secret is the KMS side's.
    let fixture = Fixture::load("ECC_NIST_P521_KEY_AGREEMENT");
    let key = fixture.key();
    assert!(key.webcrypto_key_agreement(&ephemeral()).unwrap().is_none());
    key.derive_shared_secret(&ephemeral()).unwrap();
    assert!(!key.cache_built());
    let response = key.derive_shared_secret(&ephemeral()).unwrap();
    assert!(key.cache_built());
    assert_eq!(*response.shared_secret, crate_side_secret::<p521::NistP521>(&fixture, &response.public_key));
}

#[test]
fn ephemeral_keys_differ_per_call() {
    let key = Fixture::load("ECC_NIST_P384_KEY_AGREEMENT").key();
    let a = key.derive_shared_secret(&ephemeral()).unwrap();
    let b = key.derive_shared_secret(&ephemeral()).unwrap();
    assert_ne!(a.public_key, b.public_key);
    assert_ne!(a.shared_secret, b.shared_secret);
}

#[test]
fn private_key_on_another_curve_is_refused() {
    let key = Fixture::load("ECC_NIST_P256_KEY_AGREEMENT").key();
    for other in ["ECC_NIST_P384_SIGN_VERIFY", "ECC_SECG_P256K1_SIGN_VERIFY", "RSA_2048_SIGN_VERIFY", "SM2_SIGN_VERIFY"] {
        let pem = Fixture::load(other).json["PrivateKeyPem"].as_str().unwrap().to_owned();
        let request = DeriveSharedSecretRequest { key_agreement_algorithm: ECDH, private_key: Some(pem.as_bytes()) };
        let error = key.derive_shared_secret(&request).unwrap_err();
        assert_eq!(error.name(), "ValidationException", "{other}: {error}");
        assert!(error.message().contains("P-256"), "{error}");
    }
    let request = DeriveSharedSecretRequest { key_agreement_algorithm: ECDH, private_key: Some(b"-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----") };
    assert_eq!(key.derive_shared_secret(&request).unwrap_err().name(), "ValidationException");
}

#[test]
fn keys_that_are_not_key_agreement_are_refused() {
    for name in [
        "ECC_NIST_P256_SIGN_VERIFY",
        "ECC_SECG_P256K1_SIGN_VERIFY",
        "ECC_NIST_EDWARDS25519_SIGN_VERIFY",
        "RSA_2048_ENCRYPT_DECRYPT",
        "SM2_ENCRYPT_DECRYPT",
        "ML_DSA_44_SIGN_VERIFY",
        "ML_KEM_768_ENCAPSULATE_DECAPSULATE",
    ] {
        let error = Fixture::load(name).key().derive_shared_secret(&ephemeral()).unwrap_err();
        assert_eq!(error.name(), "InvalidKeyUsageException", "{name}");
        assert!(error.message().contains("DeriveSharedSecret"), "{error}");
    }
}

#[test]
fn a_kms_key_loaded_from_pem_works_the_same() {
    let fixture = Fixture::load("ECC_NIST_P521_KEY_AGREEMENT");
    let json = fixture.key();
    let key = KmsPublicKey::from_public_key(fixture.json["PublicKeyPem"].as_str().unwrap().as_bytes(), kms_offline::GetPublicKeyOutput {
        key_spec: Some("ECC_NIST_P521".into()),
        key_usage: Some("KEY_AGREEMENT".into()),
        key_agreement_algorithms: Some(vec!["ECDH".into()]),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(key.spki_der(), json.spki_der());
    let response = key.derive_shared_secret(&ephemeral()).unwrap();
    assert_eq!(*response.shared_secret, kms_side_secret(&fixture, &response.public_key));
}
