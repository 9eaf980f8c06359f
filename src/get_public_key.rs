//! GetPublicKey output as Rust values, in and out: what a key is loaded from ([`GetPublicKeyOutput`]) and what
//! it prints ([`OutputMember`]s). Plain data, read by `key` (loading) and `json` (the CLI's JSON text).

/// GetPublicKey output as KMS returns it. Enum members are kept as strings so that a wrong value is
/// reported with KMS's own validation message. `public_key` holds DER (SDK) or PEM/base64 text (CLI).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetPublicKeyOutput {
    pub key_id: Option<String>,
    pub public_key: Vec<u8>,
    pub key_spec: Option<String>,
    /// Deprecated synonym of `key_spec`, still present in older output.
    pub customer_master_key_spec: Option<String>,
    pub key_usage: Option<String>,
    pub signing_algorithms: Option<Vec<String>>,
    pub encryption_algorithms: Option<Vec<String>>,
    pub key_agreement_algorithms: Option<Vec<String>>,
    pub encapsulation_algorithms: Option<Vec<String>>,
}

/// A member of GetPublicKey output: text, or a list of enum names (omitted when empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputMember {
    Text(String),
    List(Vec<String>),
}
