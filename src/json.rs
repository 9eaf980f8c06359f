//! GetPublicKey JSON in and out: the text `aws kms get-public-key` prints (PublicKey in base64),
//! and serialised SDK responses whose PublicKey became a byte array or a `{"0":48,...}` object (the rules for
//! those: src/serialised_key.rs).

use crate::error::{KmsError, Result, Rule};
use crate::get_public_key::{GetPublicKeyOutput, OutputMember};
use crate::serialised_key::{self, SerialisedValue};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Members of the GetPublicKey response we read; others (`$metadata`, `ResponseMetadata`) are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Response {
    key_id: Option<String>,
    public_key: Option<Value>,
    key_spec: Option<String>,
    customer_master_key_spec: Option<String>,
    key_usage: Option<String>,
    signing_algorithms: Option<Vec<String>>,
    encryption_algorithms: Option<Vec<String>>,
    key_agreement_algorithms: Option<Vec<String>>,
    encapsulation_algorithms: Option<Vec<String>>,
}

/// Parses GetPublicKey JSON text into the typed-but-unchecked output (checks happen at load).
pub fn parse_get_public_key(json: &str) -> Result<GetPublicKeyOutput> {
    // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the JSON.
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let response: Response = serde_json::from_str(json).map_err(|e| {
        KmsError::input(format!(
            "GetPublicKey output is not valid JSON of the expected shape ({e}): expected the object `aws kms get-public-key` prints"
        ))
        .rule_code(Rule::JsonShape)
    })?;
    let public_key = match response.public_key {
        None | Some(Value::Null) => {
            return Err(KmsError::input("GetPublicKey output has no PublicKey member").rule_code(Rule::MissingMember).param("member", "PublicKey"));
        }
        Some(value) => serialised_key::public_key_bytes(&value)?,
    };
    Ok(GetPublicKeyOutput {
        key_id: response.key_id,
        public_key,
        key_spec: response.key_spec,
        customer_master_key_spec: response.customer_master_key_spec,
        key_usage: response.key_usage,
        signing_algorithms: response.signing_algorithms,
        encryption_algorithms: response.encryption_algorithms,
        key_agreement_algorithms: response.key_agreement_algorithms,
        encapsulation_algorithms: response.encapsulation_algorithms,
    })
}

/// A JSON value read by the rules of src/serialised_key.rs.
impl SerialisedValue for Value {
    type Error = KmsError;

    fn refusal(error: KmsError) -> KmsError {
        error
    }

    fn plain_bytes(&self) -> Result<Option<Vec<u8>>> {
        match self {
            Value::String(text) => Ok(Some(text.as_bytes().to_vec())),
            Value::Array(items) => items.iter().map(|item| serialised_key::byte(item.as_f64())).collect::<Option<_>>().map(Some).ok_or_else(serialised_key::not_bytes),
            Value::Object(_) => Ok(None),
            _ => Err(serialised_key::not_bytes()),
        }
    }

    fn member(&self, name: &str) -> Result<Option<Value>> {
        Ok(self.get(name).filter(|value| !value.is_null()).cloned())
    }

    fn indexed_member(&self, index: usize) -> Result<Option<Value>> {
        self.member(&index.to_string())
    }

    fn member_count(&self) -> Result<usize> {
        Ok(self.as_object().map_or(0, Map::len))
    }

    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
}

/// A key's GetPublicKey output (its `get_public_key_members`) as the AWS CLI prints it (4-space indent, KMS member
/// order).
pub fn get_public_key_json(members: Vec<(&'static str, OutputMember)>) -> String {
    let members: Vec<(&str, Value)> = members
        .into_iter()
        .map(|(name, member)| {
            let value = match member {
                OutputMember::Text(text) => Value::String(text),
                OutputMember::List(items) => Value::Array(items.into_iter().map(|a| Value::String(a.into())).collect()),
            };
            (name, value)
        })
        .collect();
    pretty(&members)
}

/// The CLI's layout for this flat shape, members in the order given (serde_json's map would sort them).
fn pretty(members: &[(&str, Value)]) -> String {
    let mut out = String::from("{\n");
    for (i, (name, value)) in members.iter().enumerate() {
        out.push_str(&format!("    {}: ", Value::String((*name).to_owned())));
        match value {
            Value::Array(items) => {
                out.push_str("[\n");
                for (j, item) in items.iter().enumerate() {
                    out.push_str(&format!("        {item}{}\n", if j + 1 < items.len() { "," } else { "" }));
                }
                out.push_str("    ]");
            }
            other => out.push_str(&other.to_string()),
        }
        out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
    }
    out.push('}');
    out
}
