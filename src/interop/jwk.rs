//! JWK (RFC 7517/7518, RFC 8037 for OKP, RFC 8812 for secp256k1, RFC 9964 for ML-DSA's AKP) export
//! for WebCrypto and jose, and loading a JWK together with the KMS metadata a JWK does not carry.
//! `alg` is set when the key's algorithm list maps to exactly one JOSE algorithm.

use super::{base64url, jose, strict_json};
use crate::error::{KmsError, Result};
use crate::key::{GetPublicKeyOutput, KmsPublicKey};
use crate::spec::{Curve, EncryptionAlgorithm, KeySpec, KeyType, KeyUsage, MlDsaLevel, join};
use serde_json::{Map, Value};

/// The DER SubjectPublicKeyInfo prefix of each fixed-size key type other than the curves' (those are in their
/// statics, `family::ec`) (KMS-RULES.md §6): the key bytes follow it directly, so a JWK becomes the SPKI KMS would
/// return by concatenation.
struct SpkiPrefix {
    key_type: KeyType,
    prefix: &'static [u8],
}

static SPKI_PREFIXES: &[SpkiPrefix] = &[
    SpkiPrefix { key_type: KeyType::Ed25519, prefix: b"\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00" },
    SpkiPrefix { key_type: KeyType::MlDsa(MlDsaLevel::L44), prefix: b"\x30\x82\x05\x32\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03\x11\x03\x82\x05\x21\x00" },
    SpkiPrefix { key_type: KeyType::MlDsa(MlDsaLevel::L65), prefix: b"\x30\x82\x07\xb2\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03\x12\x03\x82\x07\xa1\x00" },
    SpkiPrefix { key_type: KeyType::MlDsa(MlDsaLevel::L87), prefix: b"\x30\x82\x0a\x32\x30\x0b\x06\x09\x60\x86\x48\x01\x65\x03\x04\x03\x13\x03\x82\x0a\x21\x00" },
];

fn spki_prefix(key_type: KeyType) -> Option<&'static [u8]> {
    match key_type {
        KeyType::Ec(curve) => curve.facts().spki_prefix,
        _ => SPKI_PREFIXES.iter().find(|p| p.key_type == key_type).map(|p| p.prefix),
    }
}

/// The JWK `crv` of each curve that has one (its static); SM2 has no JOSE registration.
fn crv(curve: Curve) -> Option<&'static str> {
    curve.facts().jwk_crv
}

/// RFC 7518 §4.1 names of KMS's RSA encryption algorithms (hash for OAEP and MGF1 alike, empty label).
fn encryption_alg(algorithm: EncryptionAlgorithm) -> Option<&'static str> {
    match algorithm {
        EncryptionAlgorithm::RsaesOaepSha1 => Some("RSA-OAEP"),
        EncryptionAlgorithm::RsaesOaepSha256 => Some("RSA-OAEP-256"),
        _ => None,
    }
}

const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];

fn unsupported(spec: KeySpec) -> KmsError {
    KmsError::unsupported(format!(
        "KeySpec {spec} has no JWK form: JWK covers RSA, ECC_NIST_P256/P384/P521, ECC_SECG_P256K1, ECC_NIST_EDWARDS25519 and ML_DSA_44/65/87"
    ))
}

impl KmsPublicKey {
    /// The one JOSE `alg` this key's algorithm list allows, if exactly one.
    fn jwk_alg(&self) -> Option<&'static str> {
        let names: Vec<&str> = match self.key_usage() {
            KeyUsage::SignVerify => jose::algorithms_for(self).iter().map(|a| a.name).collect(),
            KeyUsage::EncryptDecrypt => self.metadata().encryption_algorithms.iter().filter_map(|a| encryption_alg(*a)).collect(),
            _ => Vec::new(),
        };
        match names.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The public key as a JWK object: `kty` and key members, `kid` = KeyId, `use` (sig/enc) and `alg`
    /// when the key's algorithms make it unambiguous. SM2 and ML-KEM keys: UnsupportedOperationException.
    pub fn to_jwk(&self) -> Result<Map<String, Value>> {
        let spec = self.key_spec();
        let mut jwk = Map::new();
        let mut put = |name: &str, value: String| jwk.insert(name.into(), Value::String(value));
        match (spec.rule().key_type, self.material.rsa()) {
            (KeyType::Rsa { .. }, Some(key)) => {
                put("kty", "RSA".into());
                put("n", base64url::encode(&key.n_bytes()));
                put("e", base64url::encode(&key.e_bytes()));
            }
            (KeyType::Ec(curve), _) => {
                let crv = crv(curve).ok_or_else(|| unsupported(spec))?;
                let xy = self.ec_point_xy(curve);
                put("kty", "EC".into());
                put("crv", crv.into());
                put("x", base64url::encode(&xy[..curve.field_len()]));
                put("y", base64url::encode(&xy[curve.field_len()..]));
            }
            (KeyType::Ed25519, _) => {
                put("kty", "OKP".into());
                put("crv", "Ed25519".into());
                put("x", base64url::encode(&self.spki_der()[self.spki_der().len() - 32..]));
            }
            (KeyType::MlDsa(level), _) => {
                // RFC 9964 AKP keys carry their algorithm: alg is required there.
                put("kty", "AKP".into());
                put("alg", spec.as_str().replace('_', "-"));
                put("pub", base64url::encode(&self.spki_der()[self.spki_der().len() - level.public_key_len()..]));
            }
            _ => return Err(unsupported(spec)),
        }
        if let Some(key_id) = self.key_id() {
            put("kid", key_id.into());
        }
        match self.key_usage() {
            KeyUsage::SignVerify => put("use", "sig".into()),
            KeyUsage::EncryptDecrypt | KeyUsage::KeyAgreement => put("use", "enc".into()),
            _ => None,
        };
        if let Some(alg) = self.jwk_alg() {
            put("alg", alg.into());
        }
        Ok(jwk)
    }

    /// [`to_jwk`](Self::to_jwk) as JSON text.
    pub fn to_jwk_json(&self) -> Result<String> {
        serde_json::to_string(&self.to_jwk()?).map_err(|e| KmsError::validation(format!("JWK cannot be serialised: {e}")))
    }

    /// Loads a public JWK (JSON text) with KMS metadata (KeySpec, KeyUsage, algorithm list, KeyId), which
    /// a JWK does not carry. The JWK becomes the DER SPKI KMS would return and goes through every load-time
    /// check. Refused: private members, a `kty`/`crv` the KeySpec does not have, an `alg` or `use` that
    /// contradicts the metadata, a `kid` that differs from the KeyId.
    pub fn from_jwk(jwk_json: &str, metadata: GetPublicKeyOutput) -> Result<KmsPublicKey> {
        if jwk_json.len() > 64 * 1024 {
            return Err(KmsError::validation("JWK is over 64 KiB"));
        }
        let jwk = strict_json::object(jwk_json.as_bytes(), "JWK")?;
        if let Some(private) = PRIVATE_MEMBERS.iter().find(|m| jwk.contains_key(**m)) {
            return Err(KmsError::validation(format!(
                "JWK has the private member \"{private}\": give the public JWK only (a KMS private key never leaves KMS)"
            )));
        }
        let spki = spki_from_jwk(&jwk, metadata_spec(&metadata)?)?;
        let key = KmsPublicKey::from_public_key(&spki, metadata)?;
        check_jwk_against_key(&jwk, &key)?;
        Ok(key)
    }
}

/// The KeySpec the metadata names (the loader checks the rest).
fn metadata_spec(metadata: &GetPublicKeyOutput) -> Result<KeySpec> {
    if metadata.key_spec.is_none() && metadata.customer_master_key_spec.is_none() {
        return Err(KmsError::validation(format!(
            "KeySpec is required with a JWK (a JWK does not say what KMS allows): one of {}",
            join(KeySpec::ALL)
        )));
    }
    crate::key::key_spec_of(metadata, None)
}

fn member<'a>(jwk: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    strict_json::optional_string(jwk, name, "JWK")?.ok_or_else(|| KmsError::validation(format!("JWK has no \"{name}\" member")))
}

/// A fixed-size base64url member of exactly `len` bytes.
fn fixed(jwk: &Map<String, Value>, name: &str, len: usize) -> Result<Vec<u8>> {
    let bytes = base64url::decode(member(jwk, name)?, &format!("JWK \"{name}\""))?;
    if bytes.len() != len {
        return Err(KmsError::validation(format!("JWK \"{name}\" is {} bytes; it must be exactly {len}", bytes.len())));
    }
    Ok(bytes)
}

fn spki_from_jwk(jwk: &Map<String, Value>, spec: KeySpec) -> Result<Vec<u8>> {
    let kty = member(jwk, "kty")?;
    let key_type = spec.rule().key_type;
    let expected_kty = match key_type {
        KeyType::Rsa { .. } => "RSA",
        KeyType::Ec(Curve::Sm2) | KeyType::MlKem(_) | KeyType::NoPublicKey => return Err(unsupported(spec)),
        KeyType::Ec(_) => "EC",
        KeyType::Ed25519 => "OKP",
        KeyType::MlDsa(_) => "AKP",
    };
    if kty != expected_kty {
        return Err(KmsError::validation(format!(
            "JWK kty is {}, but KeySpec {spec} is a {expected_kty} key",
            crate::spec::printable(kty)
        )));
    }
    let check_crv = |expected: &str| -> Result<()> {
        let actual = member(jwk, "crv")?;
        if actual == expected {
            Ok(())
        } else {
            Err(KmsError::validation(format!("JWK crv is {}, but KeySpec {spec} is {expected}", crate::spec::printable(actual))))
        }
    };
    let prefix = spki_prefix(key_type);
    match key_type {
        KeyType::Rsa { .. } => {
            use rsa::pkcs8::EncodePublicKey;
            let n = base64url::decode(member(jwk, "n")?, "JWK \"n\"")?;
            let e = base64url::decode(member(jwk, "e")?, "JWK \"e\"")?;
            if n.first() == Some(&0) || e.first() == Some(&0) || e.len() > 8 {
                return Err(KmsError::validation("JWK \"n\" and \"e\" must be minimal big-endian integers (RFC 7518 §6.3.1)"));
            }
            let key = rsa::RsaPublicKey::new(rsa::BoxedUint::from_be_slice_vartime(&n), rsa::BoxedUint::from_be_slice_vartime(&e))
                .map_err(|e| KmsError::validation(format!("JWK is not a valid RSA public key: {e}")))?;
            let der = key.to_public_key_der().map_err(|e| KmsError::validation(format!("JWK RSA key cannot be encoded: {e}")))?;
            Ok(der.as_bytes().to_vec())
        }
        KeyType::Ec(curve) => {
            check_crv(crv(curve).ok_or_else(|| unsupported(spec))?)?;
            let mut spki = prefix.unwrap_or_default().to_vec();
            spki.push(0x04);
            spki.extend(fixed(jwk, "x", curve.field_len())?);
            spki.extend(fixed(jwk, "y", curve.field_len())?);
            Ok(spki)
        }
        KeyType::Ed25519 => {
            check_crv("Ed25519")?;
            Ok([prefix.unwrap_or_default(), &fixed(jwk, "x", 32)?].concat())
        }
        KeyType::MlDsa(level) => Ok([prefix.unwrap_or_default(), &fixed(jwk, "pub", level.public_key_len())?].concat()),
        _ => Err(unsupported(spec)),
    }
}

/// The JWK's own `alg`, `use` and `kid`, if present, must agree with the loaded key's metadata.
fn check_jwk_against_key(jwk: &Map<String, Value>, key: &KmsPublicKey) -> Result<()> {
    if let Some(alg) = strict_json::optional_string(jwk, "alg", "JWK")? {
        match key.key_usage() {
            KeyUsage::SignVerify => jose::lookup(alg)?.check_key(key)?,
            KeyUsage::EncryptDecrypt => {
                if !key.metadata().encryption_algorithms.iter().any(|a| encryption_alg(*a) == Some(alg)) {
                    return Err(KmsError::invalid_key_usage(format!(
                        "JWK alg {} is not one of this key's EncryptionAlgorithms ({})",
                        crate::spec::printable(alg),
                        join(&key.metadata().encryption_algorithms)
                    )));
                }
            }
            usage => {
                return Err(KmsError::invalid_key_usage(format!(
                    "JWK alg {} does not apply to a {usage} key",
                    crate::spec::printable(alg)
                )));
            }
        }
    }
    if let Some(jwk_use) = strict_json::optional_string(jwk, "use", "JWK")? {
        let expected = if key.key_usage() == KeyUsage::SignVerify { "sig" } else { "enc" };
        if jwk_use != expected {
            return Err(KmsError::invalid_key_usage(format!(
                "JWK use is {}, but KeyUsage {} means use {expected}",
                crate::spec::printable(jwk_use),
                key.key_usage()
            )));
        }
    }
    if let (Some(kid), Some(key_id)) = (strict_json::optional_string(jwk, "kid", "JWK")?, key.key_id()) {
        if !super::jws::kid_names_key(key, kid, key_id) {
            return Err(KmsError::validation(format!(
                "JWK kid '{}' does not match KeyId {key_id}",
                crate::spec::printable(kid)
            )));
        }
    }
    Ok(())
}
