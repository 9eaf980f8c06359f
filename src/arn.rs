//! KMS key identifiers: key ARN, alias ARN, key ID, alias name (KMS-RULES.md §1.4).
//! GetPublicKey always returns the key ARN; that is the identity to pin, not an alias.

use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::spec::{limits, printable};

/// AWS partitions that have KMS (botocore 1.44.5 `partitions.json`).
pub const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// Whether an ARN names a key or an alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceType {
    Key,
    Alias,
}

impl ResourceType {
    pub const fn as_str(self) -> &'static str {
        match self {
            ResourceType::Key => "key",
            ResourceType::Alias => "alias",
        }
    }
}

/// `arn:<partition>:kms:<region>:<account>:key/<key-id>` or `…:alias/<name>`, split into its parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KmsArn {
    pub partition: String,
    pub region: String,
    pub account_id: String,
    pub resource_type: ResourceType,
    /// The key ID (UUID or `mrk-…`) or the alias name without `alias/`.
    pub resource_id: String,
}

impl KmsArn {
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |part: &'static str, why: &str| {
            KmsError::new(
                ErrorKind::InvalidArn,
                format!(
                    "'{}' is not a valid KMS ARN: {why}. Expected arn:<partition>:kms:<region>:<12-digit account>:key/<key-id> or …:alias/<alias-name>",
                    printable(text)
                ),
            )
            .rule_code(Rule::InvalidArn)
            .param("value", printable(text))
            .param("part", part)
        };
        let mut parts = text.splitn(6, ':');
        let (Some("arn"), Some(partition), Some(service), Some(region), Some(account), Some(resource)) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("fields", "it does not have the six ':'-separated fields of an ARN"));
        };
        if !PARTITIONS.contains(&partition) {
            return Err(invalid("partition", &format!("unknown partition (allowed: {})", PARTITIONS.join(", "))));
        }
        if service != "kms" {
            return Err(invalid("service", "the service is not 'kms'"));
        }
        if region.is_empty() || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(invalid("region", "the region must be lowercase letters, digits and '-'"));
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("account", "the account ID must be 12 digits"));
        }
        let (resource_type, resource_id) = if let Some(id) = resource.strip_prefix("key/") {
            if !is_key_id(id) {
                return Err(invalid("key-id", "the key ID must be a UUID or mrk- followed by 32 hex digits"));
            }
            (ResourceType::Key, id)
        } else if let Some(name) = resource.strip_prefix("alias/") {
            if !is_alias_name(name) {
                return Err(invalid("alias", "an alias name is 1-250 characters of A-Z a-z 0-9 : / _ -"));
            }
            (ResourceType::Alias, name)
        } else {
            return Err(invalid("resource", "the resource must start with key/ or alias/"));
        };
        Ok(KmsArn {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account_id: account.to_owned(),
            resource_type,
            resource_id: resource_id.to_owned(),
        })
    }
}

/// A KeyId as GetPublicKey returns it (always a key ARN), or any form KMS accepts in a request.
/// Returns the parsed ARN when it is one.
pub fn parse_key_id(text: &str) -> Result<Option<KmsArn>> {
    if text.is_empty() || text.len() > limits::MAX_KEY_ID {
        return Err(KmsError::validation(format!("KeyId must be 1 to {} characters", limits::MAX_KEY_ID))
            .rule_code(Rule::InvalidKeyId)
            .param("max", limits::MAX_KEY_ID));
    }
    if text.starts_with("arn:") {
        return KmsArn::parse(text).map(Some);
    }
    if is_key_id(text) || text.strip_prefix("alias/").is_some_and(is_alias_name) {
        return Ok(None);
    }
    Err(KmsError::validation(format!(
        "KeyId '{}' is not a key ARN, alias ARN, key ID (UUID or mrk-…) or alias name (alias/…)",
        printable(text)
    ))
    .rule_code(Rule::InvalidKeyId)
    .param("value", printable(text)))
}

/// A key ID: a hex UUID `8-4-4-4-12` (KMS prints lowercase; either case is accepted), or a
/// multi-Region `mrk-` + 32 hex digits.
fn is_key_id(id: &str) -> bool {
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(rest) = id.strip_prefix("mrk-") {
        return rest.len() == 32 && hex(rest);
    }
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && hex(g))
}

/// `AliasNameType` without the `alias/` prefix: `^[a-zA-Z0-9:/_-]+$`, at most 256 with the prefix.
fn is_alias_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 250 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b":/_-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_and_alias_arns() {
        let arn = KmsArn::parse("arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab").unwrap();
        assert_eq!(
            (arn.partition.as_str(), arn.region.as_str(), arn.account_id.as_str(), arn.resource_type),
            ("aws", "us-east-2", "111122223333", ResourceType::Key)
        );
        assert_eq!(arn.resource_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
        let mrk = KmsArn::parse("arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab").unwrap();
        assert_eq!(mrk.partition, "aws-cn");
        let alias = KmsArn::parse("arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias").unwrap();
        assert_eq!((alias.resource_type, alias.resource_id.as_str()), (ResourceType::Alias, "ExampleAlias"));
    }

    #[test]
    fn refuses_bad_arns() {
        for bad in [
            "arn:aws:kms:us-east-2:111122223333",
            "arn:aws:s3:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-2:11112222333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:moon:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:kms:us-east-2:111122223333:key/not-a-key",
            "arn:aws:kms:us-east-2:111122223333:bucket/x",
        ] {
            assert_eq!(KmsArn::parse(bad).unwrap_err().name(), "InvalidArnException", "{bad}");
        }
    }

    #[test]
    fn key_id_forms() {
        assert!(parse_key_id("1234abcd-12ab-34cd-56ef-1234567890ab").unwrap().is_none());
        assert!(parse_key_id("alias/ExampleAlias").unwrap().is_none());
        assert!(parse_key_id("arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias").unwrap().is_some());
        assert_eq!(parse_key_id("").unwrap_err().name(), "ValidationException");
        assert_eq!(parse_key_id("my key").unwrap_err().name(), "ValidationException");
    }
}
