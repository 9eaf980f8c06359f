//! The encrypted data key (EDK), written exactly as the Material Providers Library's keyrings write it,
//! so that their decrypt side unwraps it:
//!
//! - AWS KMS RSA keyring (MPL aws-kms-rsa-keyring.md; `AwsKmsRsaKeyring` in MPL 1.11.3): provider ID
//!   `aws-kms-rsa`, provider info the key ARN, ciphertext RSAES-OAEP(SHA-384(serialised encryption context)
//!   ‖ data key). The digest prefix binds the context, which KMS Decrypt cannot take with an asymmetric key:
//!   the keyring checks and strips it after KMS Decrypt.
//! - Raw ECDH keyring, EphemeralPrivateKeyToStaticPublicKey (MPL raw-ecdh-keyring.md), which the AWS KMS ECDH
//!   keyring with KmsPublicKeyDiscovery decrypts through KMS DeriveSharedSecret: provider ID `raw-ecdh`,
//!   provider info 0x01 ‖ len ‖ recipient (KMS key) ‖ len ‖ sender (ephemeral key), both compressed points with
//!   32-bit lengths; ciphertext salt (32) ‖ commitment key (32) ‖ AES-256-GCM(data key) ‖ tag, the keys from
//!   the NIST SP 800-108 counter-mode KDF with HMAC-SHA384 over Z.

use super::context;
use crate::error::{ErrorKind, KmsError, Result};
use crate::random::{self, SecureRng};
use aes_gcm::aead::{AeadInOut, KeyInit};
use elliptic_curve::group::Curve as _;
use elliptic_curve::point::AffineCoordinates as _;
use elliptic_curve::sec1::ToSec1Point as _;
use hkdf::hmac::{Hmac, Mac};
use sha2::{Digest, Sha384};
use std::collections::BTreeMap;
use zeroize::Zeroizing;

/// One encrypted data key as the header carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedDataKey {
    pub provider_id: &'static str,
    pub provider_info: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

pub const RSA_PROVIDER_ID: &str = "aws-kms-rsa";
pub const RAW_ECDH_PROVIDER_ID: &str = "raw-ecdh";
/// The ECDH keyrings' version byte, first in the provider info and in the KDF's fixed info.
const ECDH_KEYRING_VERSION: u8 = 0x01;
const ECDH_SALT_LEN: usize = 32;

#[cfg(feature = "rsa")]
/// The KMS RSA keyring's EDK: RSAES-OAEP over SHA-384(serialised context) ‖ data key.
pub fn rsa_edk(
    key: &rsa::RsaPublicKey,
    hash: crate::spec::OaepHash,
    key_arn: &str,
    encryption_context: &BTreeMap<String, String>,
    data_key: &[u8; 32],
) -> Result<EncryptedDataKey> {
    let mut plaintext = Zeroizing::new(Sha384::digest(context::serialise(encryption_context)?).to_vec());
    plaintext.extend_from_slice(data_key);
    let mut rng = SecureRng::default();
    let encrypted = match hash {
        crate::spec::OaepHash::Sha1 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha1::Sha1>::new(), &mut rng, key, &plaintext),
        crate::spec::OaepHash::Sha256 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha2::Sha256>::new(), &mut rng, key, &plaintext),
    };
    let ciphertext = encrypted.map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("RSA-OAEP encryption failed: {e}"))))?;
    Ok(EncryptedDataKey { provider_id: RSA_PROVIDER_ID, provider_info: key_arn.as_bytes().to_vec(), ciphertext })
}

/// The Raw ECDH keyring's EDK for an ephemeral sender key and the KMS key's point on curve `C`; `curve_name` is
/// the MPL's name in the KDF's fixed info (`p256`, `p384`, `p521`); `kms_mul` computes k·Q in constant time.
pub fn ecdh_edk<C>(
    kms_point: &C::AffinePoint,
    kms_mul: impl FnOnce(&C::Scalar) -> C::ProjectivePoint,
    curve_name: &str,
    encryption_context: &BTreeMap<String, String>,
    data_key: &[u8; 32],
) -> Result<EncryptedDataKey>
where
    C: elliptic_curve::CurveArithmetic + elliptic_curve::point::PointCompression,
    elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>,
{
    let mut rng = SecureRng::default();
    let ephemeral = <elliptic_curve::SecretKey<C> as elliptic_curve::Generate>::try_generate_from_rng(&mut rng)
        .map_err(|_| rng.error_or(KmsError::new(ErrorKind::Internal, "ephemeral key generation failed")))?;
    let scalar = Zeroizing::new(ephemeral.to_nonzero_scalar());
    // Z: the x-coordinate of k·Q, what KMS DeriveSharedSecret returns for the ephemeral public key.
    let z = Zeroizing::new(kms_mul(&scalar).to_affine().x().to_vec());
    let sender = ephemeral.public_key().as_affine().to_sec1_point(true).as_bytes().to_vec();
    let recipient = kms_point.to_sec1_point(true).as_bytes().to_vec();

    let fixed_info = ecdh_fixed_info(curve_name, &sender, &recipient, &context::serialise(encryption_context)?);
    let mut salt = [0u8; ECDH_SALT_LEN];
    random::fill(&mut salt)?;
    let keys = kdf_counter_hmac_sha384(&z, &fixed_info, &salt)?;
    let (commitment_key, wrapping_key) = keys.split_at(32);

    let mut ciphertext = salt.to_vec();
    ciphertext.extend_from_slice(commitment_key);
    let mut wrapped = Zeroizing::new(data_key.to_vec());
    let cipher = aes_gcm::Aes256Gcm::new_from_slice(wrapping_key).map_err(|_| internal("ECDH wrapping key length"))?;
    let tag = cipher
        .encrypt_inout_detached(&[0u8; 12].into(), &fixed_info, wrapped.as_mut_slice().into())
        .map_err(|_| internal("AES-GCM refused the data key"))?;
    ciphertext.extend_from_slice(&wrapped);
    ciphertext.extend_from_slice(&tag);
    Ok(EncryptedDataKey { provider_id: RAW_ECDH_PROVIDER_ID, provider_info: ecdh_provider_info(&sender, &recipient), ciphertext })
}

fn internal(what: &str) -> KmsError {
    KmsError::new(ErrorKind::Internal, format!("ESDK data key wrapping failed: {what}"))
}

/// 0x01 ‖ u32 len ‖ recipient ‖ u32 len ‖ sender (MPL RawECDHKeyring.SerializeProviderInfo).
pub fn ecdh_provider_info(sender: &[u8], recipient: &[u8]) -> Vec<u8> {
    let mut info = vec![ECDH_KEYRING_VERSION];
    for point in [recipient, sender] {
        info.extend_from_slice(&(point.len() as u32).to_be_bytes());
        info.extend_from_slice(point);
    }
    info
}

/// "ecdh-key-derivation" 0 curve 0 "HMAC_SHA384" 0 sender ‖ recipient 0 version 0 context
/// (MPL EcdhEdkWrapping.SerializeFixedInfo).
pub fn ecdh_fixed_info(curve_name: &str, sender: &[u8], recipient: &[u8], serialised_context: &[u8]) -> Vec<u8> {
    let mut info = Vec::new();
    for part in [b"ecdh-key-derivation".as_slice(), curve_name.as_bytes(), b"HMAC_SHA384"] {
        info.extend_from_slice(part);
        info.push(0);
    }
    info.extend_from_slice(sender);
    info.extend_from_slice(recipient);
    info.push(0);
    info.push(ECDH_KEYRING_VERSION);
    info.push(0);
    info.extend_from_slice(serialised_context);
    info
}

/// NIST SP 800-108 KDF in counter mode with HMAC-SHA384, 64 bytes: block i = HMAC(Z, i (u32) ‖ label ‖ 0x00 ‖
/// context ‖ 512 (u32)), the label the fixed info and the context the salt (MPL primitives' KdfCtr).
pub fn kdf_counter_hmac_sha384(z: &[u8], label: &[u8], context: &[u8]) -> Result<Zeroizing<[u8; 64]>> {
    const LENGTH_BITS: u32 = 64 * 8;
    let mut out = Zeroizing::new([0u8; 64]);
    let mut filled = 0;
    for counter in 1u32.. {
        if filled == out.len() {
            break;
        }
        let mut mac = <Hmac<Sha384> as hkdf::hmac::KeyInit>::new_from_slice(z).map_err(|_| internal("HMAC key"))?;
        mac.update(&counter.to_be_bytes());
        mac.update(label);
        mac.update(&[0]);
        mac.update(context);
        mac.update(&LENGTH_BITS.to_be_bytes());
        let block = Zeroizing::new(mac.finalize().into_bytes());
        let take = (out.len() - filled).min(block.len());
        out[filled..filled + take].copy_from_slice(&block[..take]);
        filled += take;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    /// Known answer from the MPL's own primitive (aws-cryptography-primitives KdfCtr.KdfCounterMode, SHA-384,
    /// 64 bytes) for Z = 00..1f, fixed info "fixed info", salt 32 × 0xAA.
    #[test]
    fn kdf_counter_mode_matches_the_mpl_primitive() {
        let z: Vec<u8> = (0..32).collect();
        let out = super::kdf_counter_hmac_sha384(&z, b"fixed info", &[0xAA; 32]).unwrap();
        let hex: String = out.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "184562b0229b89cfe5ebf82a279e97fbc7253a6ce440513ce158d2e919df4f113b4857d0c3aacf7de0161c4fd1a1c31197a44065c550858847ce7f4cf6ee0f2e"
        );
    }
}
