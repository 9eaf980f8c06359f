//! Distinguished names as RFC 4514 text, both ways, with our own small attribute table.
//!
//! `x509-cert`'s `Name` `Display` / `FromStr` name attribute types through const-oid's whole OID name
//! database (`der::oid::db::DB`), which put ~120 KB gzip into the wasm. The structure stays x509-cert's
//! (`Name`, `RelativeDistinguishedName`, `AttributeTypeAndValue`, der's string types); only the text ↔
//! structure step is here: the attribute types of RFC 4514 §3 plus the ones certificates commonly carry
//! (named as OpenSSL prints them), every other type as its dotted OID with the DER value as `#hex`
//! (RFC 4514 §2.4).

use crate::encoding::encode_hex;
use crate::error::{KmsError, Result, Rule};
use der::asn1::{Any, Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::{Decode, Encode, Tag, Tagged};
use spki::ObjectIdentifier;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};

/// An attribute type we name in text, and the string type its value gets when built from text.
struct AttributeName {
    oid: ObjectIdentifier,
    name: &'static str,
    tag: Tag,
}

const fn attribute(oid: &str, name: &'static str, tag: Tag) -> AttributeName {
    AttributeName { oid: ObjectIdentifier::new_unwrap(oid), name, tag }
}

/// RFC 4514 §3's names first, then the types certificates commonly carry, as OpenSSL names them. Value
/// types are RFC 5280 Appendix A's: PrintableString for countryName, serialNumber, dnQualifier and the
/// EV jurisdiction country, IA5String for domainComponent and emailAddress, UTF8String (RFC 5280
/// §4.1.2.6's choice for new names) for the rest.
const ATTRIBUTES: &[AttributeName] = &[
    attribute("2.5.4.3", "CN", Tag::Utf8String),
    attribute("2.5.4.7", "L", Tag::Utf8String),
    attribute("2.5.4.8", "ST", Tag::Utf8String),
    attribute("2.5.4.10", "O", Tag::Utf8String),
    attribute("2.5.4.11", "OU", Tag::Utf8String),
    attribute("2.5.4.6", "C", Tag::PrintableString),
    attribute("2.5.4.9", "STREET", Tag::Utf8String),
    attribute("0.9.2342.19200300.100.1.25", "DC", Tag::Ia5String),
    attribute("0.9.2342.19200300.100.1.1", "UID", Tag::Utf8String),
    attribute("1.2.840.113549.1.9.1", "emailAddress", Tag::Ia5String),
    attribute("2.5.4.5", "serialNumber", Tag::PrintableString),
    attribute("2.5.4.4", "SN", Tag::Utf8String),
    attribute("2.5.4.42", "GN", Tag::Utf8String),
    attribute("2.5.4.43", "initials", Tag::Utf8String),
    attribute("2.5.4.44", "generationQualifier", Tag::Utf8String),
    attribute("2.5.4.12", "title", Tag::Utf8String),
    attribute("2.5.4.41", "name", Tag::Utf8String),
    attribute("2.5.4.65", "pseudonym", Tag::Utf8String),
    attribute("2.5.4.46", "dnQualifier", Tag::PrintableString),
    attribute("2.5.4.13", "description", Tag::Utf8String),
    attribute("2.5.4.15", "businessCategory", Tag::Utf8String),
    attribute("2.5.4.17", "postalCode", Tag::Utf8String),
    attribute("2.5.4.97", "organizationIdentifier", Tag::Utf8String),
    attribute("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", Tag::PrintableString),
    attribute("1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST", Tag::Utf8String),
    attribute("1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", Tag::Utf8String),
];

/// The characters RFC 4514 §2.4 escapes anywhere in a value (besides `#` first and space first/last).
const SPECIAL: &[char] = &['"', '+', ',', ';', '<', '>', '\\'];

/// `name` as RFC 4514 text: the RDNs last to first (§2.1), the attributes of a multi-valued RDN joined
/// by `+`, each `NAME=value` with §2.4's escapes, or `OID=#hex` for a type or value type we do not name.
pub fn to_rfc4514(name: &Name) -> String {
    let rdns: Vec<String> = name.iter_rdn().map(|rdn| rdn.iter().map(attribute_to_text).collect::<Vec<_>>().join("+")).collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn attribute_to_text(atv: &AttributeTypeAndValue) -> String {
    let known = ATTRIBUTES.iter().find(|a| a.oid == atv.oid);
    match (known, string_value(&atv.value)) {
        (Some(attribute), Some(value)) => format!("{}={}", attribute.name, escape(value)),
        // A value that does not re-encode cannot come from a decoded Name; print what is there.
        _ => format!("{}=#{}", atv.oid, encode_hex(&atv.value.to_der().unwrap_or_default())),
    }
}

/// The text of a value in one of the string types printed as text (others are printed as `#hex`).
fn string_value(value: &Any) -> Option<&str> {
    match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str()),
        _ => None,
    }
}

fn escape(value: &str) -> String {
    let last = value.chars().count().saturating_sub(1);
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        match c {
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\{:02x}", c as u8)),
            c => out.push(c),
        }
    }
    out
}

/// RFC 4514 text as a `Name`; `what` names the input in errors (e.g. `subject`). Attribute types are the
/// table's names (any case) or a dotted OID; a value is a string with §2.4's escapes or `#` + the hex
/// DER of the value. Empty text is the empty name.
pub fn from_rfc4514(text: &str, what: &str) -> Result<Name> {
    let refuse = |why: String| {
        KmsError::validation(format!("{what} \"{text}\" is not an RFC 4514 distinguished name: {why}"))
            .rule_code(Rule::InvalidDistinguishedName)
            .param("field", what)
            .param("value", text)
    };
    let mut rdns = Vec::new();
    if !text.is_empty() {
        for rdn_text in split_unescaped(text, ',') {
            let atvs =
                split_unescaped(rdn_text, '+').into_iter().map(|t| attribute_from_text(t).map_err(&refuse)).collect::<Result<Vec<_>>>()?;
            // X.501 §9.3: an attribute type appears at most once in an RDN.
            if atvs.iter().enumerate().any(|(i, a)| atvs[..i].iter().any(|b| b.oid == a.oid)) {
                return Err(refuse(format!("\"{rdn_text}\" names the same attribute type twice in one RDN")));
            }
            let rdn = RelativeDistinguishedName::try_from(atvs).map_err(|e| refuse(format!("\"{rdn_text}\" cannot be a SET ({e})")))?;
            rdns.push(rdn);
        }
    }
    rdns.reverse(); // text is last RDN first (§2.1)
    let der = RdnSequence::from(rdns).to_der().map_err(|e| refuse(e.to_string()))?;
    Name::from_der(&der).map_err(|e| refuse(e.to_string()))
}

/// `text` split at each `separator` not escaped by a backslash (a `\\` is an escaped backslash).
fn split_unescaped(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == separator => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn accepted_names() -> String {
    ATTRIBUTES.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
}

/// One `type=value`; the error says why, the caller says where.
fn attribute_from_text(text: &str) -> core::result::Result<AttributeTypeAndValue, String> {
    let (type_text, value_text) = text.split_once('=').ok_or_else(|| format!("\"{text}\" has no '=' between attribute type and value"))?;
    let type_text = type_text.trim();
    let known = ATTRIBUTES.iter().find(|a| a.name.eq_ignore_ascii_case(type_text));
    let oid = match known {
        Some(attribute) => attribute.oid,
        None if type_text.starts_with(|c: char| c.is_ascii_digit()) => {
            ObjectIdentifier::new(type_text).map_err(|e| format!("attribute type \"{type_text}\" is not a dotted OID ({e})"))?
        }
        None => {
            return Err(format!("unknown attribute type \"{type_text}\"; accepted: {}, or a dotted OID", accepted_names()));
        }
    };
    let value = match value_text.strip_prefix('#') {
        Some(hex) => Any::from_der(&decode_hex(hex)?).map_err(|e| format!("{type_text}=#{hex} is not the hex of one DER value ({e})"))?,
        None => {
            // An OID we do not name has no string type of its own: its value must be given as #hex.
            let tag = known.map(|a| a.tag).ok_or_else(|| format!("{type_text} is not a type we name, so its value must be #<hex DER>"))?;
            string_value_from_text(type_text, &unescape(value_text)?, tag)?
        }
    };
    Ok(AttributeTypeAndValue { oid, value })
}

fn string_value_from_text(type_text: &str, value: &str, tag: Tag) -> core::result::Result<Any, String> {
    if value.is_empty() {
        return Err(format!("{type_text} has an empty value (RFC 5280: at least 1 character)"));
    }
    let checked = match tag {
        Tag::PrintableString => {
            PrintableStringRef::new(value).map(|_| ()).map_err(|_| "a PrintableString (A-Z a-z 0-9 space ' ( ) + , - . / : = ?)")
        }
        Tag::Ia5String => Ia5StringRef::new(value).map(|_| ()).map_err(|_| "an IA5String (ASCII)"),
        _ => Ok(()),
    };
    checked.map_err(|kind| format!("{type_text} value \"{value}\" must be {kind}"))?;
    Any::new(tag, value.as_bytes()).map_err(|e| format!("{type_text} value: {e}"))
}

/// The value with §2.4's escapes undone: `\` + a special character, space, `#` or `=` is that character,
/// `\` + two hex digits is that byte (UTF-8 bytes may be escaped one by one). Leading/trailing spaces and
/// the special characters must be escaped.
fn unescape(text: &str) -> core::result::Result<String, String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let first = bytes.is_empty() && chars.as_str().len() + 1 == text.len();
        match c {
            '\\' => match chars.next() {
                Some(e) if SPECIAL.contains(&e) || matches!(e, ' ' | '#' | '=') => bytes.push(e as u8),
                Some(high) => {
                    let low = chars.next().unwrap_or_default();
                    let byte = hex_digit(high).zip(hex_digit(low)).map(|(h, l)| h << 4 | l);
                    bytes.push(byte.ok_or_else(|| {
                        format!("value \"{text}\" has \"\\{high}\" not followed by a special character or two hex digits")
                    })?);
                }
                None => return Err(format!("value \"{text}\" ends with a lone backslash")),
            },
            ' ' if first || chars.as_str().is_empty() => {
                return Err(format!("value \"{text}\" has an unescaped leading or trailing space (write \"\\ \")"));
            }
            '"' | ';' | '<' | '>' => {
                return Err(format!("value \"{text}\" has an unescaped '{c}' (write \"\\{c}\")"));
            }
            c => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    String::from_utf8(bytes).map_err(|_| format!("value \"{text}\" has escaped bytes that are not UTF-8"))
}

fn hex_digit(c: char) -> Option<u8> {
    c.to_digit(16).and_then(|d| u8::try_from(d).ok())
}

fn decode_hex(hex: &str) -> core::result::Result<Vec<u8>, String> {
    let digits: Vec<u8> = hex.chars().map(hex_digit).collect::<Option<_>>().ok_or_else(|| format!("\"#{hex}\" is not hex"))?;
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return Err(format!("\"#{hex}\" is not an even, non-zero number of hex digits"));
    }
    Ok(digits.chunks(2).map(|pair| pair[0] << 4 | pair[1]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        to_rfc4514(&from_rfc4514(text, "subject").unwrap())
    }

    #[test]
    fn prints_last_rdn_first_with_table_names() {
        assert_eq!(round_trip("CN=signer,O=Example"), "CN=signer,O=Example");
        assert_eq!(round_trip("cn=a+uid=b,dc=example,C=US"), "CN=a+UID=b,DC=example,C=US");
        let name = from_rfc4514("CN=signer,O=Example", "subject").unwrap();
        assert_eq!(name.iter_rdn().next().unwrap().iter().next().unwrap().oid, ATTRIBUTES[3].oid); // O is first in DER
    }

    #[test]
    fn escapes_rfc4514_specials_both_ways() {
        let text = r#"CN=\#a\,b\+c\"d\\e\<f\>g\;h\ "#;
        let name = from_rfc4514(text, "subject").unwrap();
        let cn = name.iter().next().unwrap();
        assert_eq!(string_value(&cn.value), Some(r#"#a,b+c"d\e<f>g;h "#));
        assert_eq!(to_rfc4514(&name), text);
        assert_eq!(round_trip(r"CN=\ lead"), r"CN=\ lead");
        assert_eq!(round_trip(r"CN=caf\c3\a9"), "CN=café");
        assert_eq!(round_trip(r"CN=a\0ab"), r"CN=a\0ab");
    }

    #[test]
    fn unknown_types_are_oid_and_hex() {
        // 2.5.4.72 (role) is not in the table; a BMPString value of a known type is printed as hex too.
        assert_eq!(round_trip("2.5.4.72=#0c0561646d696e,CN=x"), "2.5.4.72=#0c0561646d696e,CN=x");
        assert_eq!(round_trip("CN=#1e020041"), "2.5.4.3=#1e020041");
        assert_eq!(round_trip("2.5.4.3=#0c0161"), "CN=a");
    }

    #[test]
    fn refuses_what_is_not_rfc4514_with_the_reason() {
        for (text, reason) in [
            ("not a dn", "no '='"),
            ("commonName=x", "accepted: CN, L, ST, O, OU, C, STREET, DC, UID, emailAddress"),
            ("2.5.4.72=admin", "must be #<hex DER>"),
            ("CN=#0c0", "not an even"),
            ("CN=#0c01", "not the hex of one DER value"),
            ("CN=a;b", "unescaped ';'"),
            ("CN=a\\", "lone backslash"),
            ("CN=a\\zz", "two hex digits"),
            ("CN=\\ff", "not UTF-8"),
            ("CN= a", "leading or trailing space"),
            ("CN=", "empty value"),
            ("C=U_S", "PrintableString"),
            ("emailAddress=é@example", "IA5String"),
            ("CN=a+CN=a", "twice"),
            ("1.x=#0500", "dotted OID"),
        ] {
            let error = from_rfc4514(text, "subject").unwrap_err().to_string();
            assert!(error.contains("ValidationException") && error.contains(reason), "{text}: {error}");
        }
    }
}
