//! What a KMS public key loses outside KMS (AWS, "Special considerations for downloading public keys";
//! KMS-RULES.md §7): the offline caveats of a key, each a stable code. The one list: the CLI's `inspect` and the
//! page's key card render each code in the reader's language (`KmsPublicKey.offlineCaveats()`).

use crate::spec::{KeySpec, KeyUsage};

/// One protection that exists only inside KMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfflineCaveat {
    /// Key policies and IAM have no effect outside KMS.
    Authorization,
    /// KeyUsage and the algorithm list are not enforced outside KMS (see [`OfflineCaveats::for_encryption`]).
    UsageAndAlgorithms,
    /// Disabling or deleting the KMS key does not reach the public key.
    DisableAndDelete,
    /// CloudTrail records nothing done with the public key outside KMS.
    Logging,
    /// SM2 signature verification needs the distinguishing ID (KMS: 1234567812345678), for a signing key.
    Sm2Signing,
    /// SM2 keys exist only in the China Regions, and SM2 verification needs the distinguishing ID.
    Sm2,
    /// The raw ECDH secret is not a key: derive one.
    SharedSecret,
    /// Decapsulate answers a wrong ciphertext with a pseudo-random secret (implicit rejection).
    ImplicitRejection,
}

impl OfflineCaveat {
    /// Every caveat, in the order a key lists them.
    pub const ALL: &'static [OfflineCaveat] = &[
        OfflineCaveat::Authorization,
        OfflineCaveat::UsageAndAlgorithms,
        OfflineCaveat::DisableAndDelete,
        OfflineCaveat::Logging,
        OfflineCaveat::Sm2Signing,
        OfflineCaveat::Sm2,
        OfflineCaveat::SharedSecret,
        OfflineCaveat::ImplicitRejection,
    ];

    /// The stable code, e.g. `usage-and-algorithms`.
    pub const fn code(self) -> &'static str {
        match self {
            OfflineCaveat::Authorization => "authorization",
            OfflineCaveat::UsageAndAlgorithms => "usage-and-algorithms",
            OfflineCaveat::DisableAndDelete => "disable-and-delete",
            OfflineCaveat::Logging => "logging",
            OfflineCaveat::Sm2Signing => "sm2-signing",
            OfflineCaveat::Sm2 => "sm2",
            OfflineCaveat::SharedSecret => "shared-secret",
            OfflineCaveat::ImplicitRejection => "implicit-rejection",
        }
    }
}

/// The caveats of one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfflineCaveats {
    /// In the order they are shown: the four of every key, then those of its spec and usage.
    pub list: Vec<OfflineCaveat>,
    /// Whether the key's usage encrypts data (ENCRYPT_DECRYPT, ENCAPSULATE_DECAPSULATE): then data encrypted another
    /// way, or for a deleted key, is lost; otherwise anything encrypted with the key can never be decrypted.
    pub for_encryption: bool,
}

impl OfflineCaveats {
    /// The caveats of a key of `spec` and `usage`.
    pub fn of(spec: KeySpec, usage: KeyUsage) -> Self {
        use OfflineCaveat as C;
        let mut list = vec![
            C::Authorization,
            C::UsageAndAlgorithms,
            C::DisableAndDelete,
            C::Logging,
        ];
        match (spec, usage) {
            (KeySpec::Sm2, KeyUsage::SignVerify) => list.push(C::Sm2Signing),
            (KeySpec::Sm2, _) => list.push(C::Sm2),
            _ => {}
        }
        match usage {
            KeyUsage::KeyAgreement => list.push(C::SharedSecret),
            KeyUsage::EncapsulateDecapsulate => list.push(C::ImplicitRejection),
            _ => {}
        }
        OfflineCaveats {
            list,
            for_encryption: matches!(
                usage,
                KeyUsage::EncryptDecrypt | KeyUsage::EncapsulateDecapsulate
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_the_four_protections_and_its_own() {
        let codes = |spec, usage| {
            OfflineCaveats::of(spec, usage)
                .list
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
        };
        let common = [
            "authorization",
            "usage-and-algorithms",
            "disable-and-delete",
            "logging",
        ];
        assert_eq!(codes(KeySpec::EccNistP256, KeyUsage::SignVerify), common);
        assert_eq!(
            codes(KeySpec::Sm2, KeyUsage::SignVerify)[4..],
            ["sm2-signing"]
        );
        assert_eq!(
            codes(KeySpec::Sm2, KeyUsage::KeyAgreement)[4..],
            ["sm2", "shared-secret"]
        );
        assert_eq!(
            codes(KeySpec::MlKem768, KeyUsage::EncapsulateDecapsulate)[4..],
            ["implicit-rejection"]
        );
        assert!(OfflineCaveats::of(KeySpec::Rsa2048, KeyUsage::EncryptDecrypt).for_encryption);
        assert!(!OfflineCaveats::of(KeySpec::Rsa2048, KeyUsage::SignVerify).for_encryption);
    }
}
