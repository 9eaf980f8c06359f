//! The encryption context: the ESDK's rules for it and its canonical serialisation (MPL structures.md,
//! "Encryption Context Serialization"; the message header's AAD, ESDK data-format/message-header.md).

use crate::error::{KmsError, Result, Rule};
use std::collections::BTreeMap;

/// Keys starting with this are the ESDK's own (`aws-crypto-public-key` carries the signing key of a signing
/// suite); a caller's key with this prefix is refused, as every ESDK refuses it.
pub const RESERVED_PREFIX: &str = "aws-crypto-";

/// The member of the encryption context that carries the message's signing public key (signing suites).
pub const PUBLIC_KEY_MEMBER: &str = "aws-crypto-public-key";

/// Largest serialised encryption context: its length is a 16-bit field of the header.
pub const MAX_SERIALISED: usize = u16::MAX as usize;

/// The caller's pairs checked: no reserved key. (Rust strings are UTF-8 already; the JS binding refuses text
/// that is not, such as a lone surrogate, before it gets here.)
pub fn check_caller_context(context: &BTreeMap<String, String>) -> Result<()> {
    if let Some(key) = context.keys().find(|key| key.starts_with(RESERVED_PREFIX)) {
        return Err(KmsError::validation(format!(
            "EncryptionContext key '{key}' starts with '{RESERVED_PREFIX}', which the AWS Encryption SDK reserves for itself: rename it"
        ))
        .rule_code(Rule::EsdkReservedContextKey)
        .param("field", "EncryptionContext")
        .param("value", key.as_str()));
    }
    Ok(())
}

/// The canonical serialisation: nothing for an empty context; else the pair count (u16), then each pair
/// sorted by the key's UTF-8 bytes as key length (u16), key, value length (u16), value.
pub fn serialise(context: &BTreeMap<String, String>) -> Result<Vec<u8>> {
    if context.is_empty() {
        return Ok(Vec::new());
    }
    let too_large = |what: String| {
        KmsError::validation(format!(
            "EncryptionContext is too large for the message header: {what}. The serialised context has at most {MAX_SERIALISED} bytes"
        ))
        .rule_code(Rule::EsdkContextTooLarge)
        .param("field", "EncryptionContext")
        .param("max", MAX_SERIALISED)
    };
    let count = u16::try_from(context.len()).map_err(|_| too_large(format!("{} pairs", context.len())))?;
    let mut out = count.to_be_bytes().to_vec();
    // BTreeMap<String, _> iterates in byte order of the UTF-8 keys, the order the specification wants.
    for (key, value) in context {
        for text in [key, value] {
            let len = u16::try_from(text.len()).map_err(|_| too_large(format!("one key or value is {} bytes", text.len())))?;
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(text.as_bytes());
        }
    }
    if out.len() > MAX_SERIALISED {
        return Err(too_large(format!("{} bytes", out.len())).param("size", out.len()));
    }
    Ok(out)
}
