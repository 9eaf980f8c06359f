//! The algorithm suites this writer emits (ESDK framework/algorithm-suites.md): the two committing suites
//! of message format version 2. Each suite is one value holding its facts.

use crate::error::{KmsError, Result, Rule};

/// An ESDK algorithm suite, named as the Material Providers Library's `ESDKAlgorithmSuiteId` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlgorithmSuite {
    /// 0x0478: AES-256-GCM, HKDF-SHA512 with key commitment, no signature. The only suite the AWS KMS RSA
    /// keyring accepts among the committing ones (it refuses every signing suite).
    AesGcmHkdfSha512CommitKey,
    /// 0x0578: as 0x0478 plus an ECDSA P-384 (SHA-384) signature footer. The ESDK's default suite.
    AesGcmHkdfSha512CommitKeyEcdsaP384,
}

impl AlgorithmSuite {
    pub const ALL: &'static [AlgorithmSuite] = &[Self::AesGcmHkdfSha512CommitKey, Self::AesGcmHkdfSha512CommitKeyEcdsaP384];

    /// The ESDK's default suite (every ESDK since 2.0).
    pub const ESDK_DEFAULT: AlgorithmSuite = Self::AesGcmHkdfSha512CommitKeyEcdsaP384;

    /// The 2-byte suite ID written in the header and in the key-derivation info.
    pub const fn id(self) -> u16 {
        match self {
            Self::AesGcmHkdfSha512CommitKey => 0x0478,
            Self::AesGcmHkdfSha512CommitKeyEcdsaP384 => 0x0578,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AesGcmHkdfSha512CommitKey => "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY",
            Self::AesGcmHkdfSha512CommitKeyEcdsaP384 => "ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384",
        }
    }

    /// Whether the message ends with an ECDSA P-384 signature footer.
    pub const fn signs(self) -> bool {
        matches!(self, Self::AesGcmHkdfSha512CommitKeyEcdsaP384)
    }

    /// A suite by its MPL name, or its ID as `0x0478` / `0x0578`.
    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|suite| suite.as_str() == text || format!("0x{:04X}", suite.id()).eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                KmsError::validation(format!(
                    "AlgorithmSuite '{}' is not one this writer emits: allowed are {} (or 0x0478, 0x0578): message format 2, committing",
                    crate::spec::printable(text),
                    names.join(", ")
                ))
                .rule_code(Rule::EsdkAlgorithmSuite)
                .param("field", "AlgorithmSuite")
                .param("value", crate::spec::printable(text))
                .param("allowed", &names)
            })
    }
}

impl core::fmt::Display for AlgorithmSuite {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}
