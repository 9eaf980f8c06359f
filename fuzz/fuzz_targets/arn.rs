//! `arn::parse_key_id` and `KmsArn::parse` on arbitrary text.
//!
//! Properties: never panics; `KmsArn::parse` refuses only with InvalidArnException,
//! `parse_key_id` with ValidationException or InvalidArnException; a parsed ARN prints back to
//! exactly its input; `parse_key_id` of an `arn:` text is `KmsArn::parse` of it.
#![no_main]

use kms_offline::KmsArn;
use kms_offline::arn::parse_key_id;
use kms_offline_fuzz::checked_as;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let arn = checked_as(KmsArn::parse(&text), &["InvalidArnException"]);
    if let Ok(arn) = &arn {
        let printed = format!(
            "arn:{}:kms:{}:{}:{}/{}",
            arn.partition,
            arn.region,
            arn.account_id,
            arn.resource_type.as_str(),
            arn.resource_id
        );
        assert_eq!(printed, text, "a parsed ARN does not print back to its input");
    }
    let key_id = checked_as(parse_key_id(&text), &["ValidationException", "InvalidArnException"]);
    if text.starts_with("arn:") && !text.is_empty() && text.len() <= 2048 {
        match (&key_id, &arn) {
            (Ok(Some(a)), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a, b),
            (a, b) => panic!("parse_key_id {a:?} but KmsArn::parse {b:?}"),
        }
    }
    if let Ok(None) = key_id {
        assert!(!text.starts_with("arn:"));
    }
});
