//! `KmsPublicKey`: a KMS public key together with its metadata, checked against KMS's rules once
//! at load time, with the parsed key material cached so every later operation starts from it.

use crate::arn::{KmsArn, parse_key_id};
use crate::family::comb::CombCache;
use crate::family::{Material, not_in_build};
use crate::encoding;
use crate::error::{KmsError, Result, Rule};
pub use crate::get_public_key::{GetPublicKeyOutput, OutputMember};
use crate::identify;
pub use crate::spec::SM2_DEFAULT_DISTINGUISHING_ID;
use crate::spec::{
    EncapsulationAlgorithm, EncryptionAlgorithm, KeyAgreementAlgorithm, KeySpec, KeyType, KeyUsage, KmsEnum, Listed,
    SigningAlgorithm, join, limits,
};
use sha2::{Digest, Sha256};

/// The checked metadata of a loaded key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyMetadata {
    pub key_id: Option<String>,
    /// `key_id` split into its parts when it is an ARN.
    pub arn: Option<KmsArn>,
    pub key_spec: KeySpec,
    pub key_usage: KeyUsage,
    pub signing_algorithms: Vec<SigningAlgorithm>,
    pub encryption_algorithms: Vec<EncryptionAlgorithm>,
    pub key_agreement_algorithms: Vec<KeyAgreementAlgorithm>,
    pub encapsulation_algorithms: Vec<EncapsulationAlgorithm>,
    /// Values in the algorithm list of the key's usage that this version does not know (an algorithm a newer KMS
    /// added): kept and shown in their place (KMS-RULES.md §1.3), refused with UnsupportedOperationException
    /// when a request names one. The typed lists above hold the known ones.
    pub unknown_algorithms: Vec<UnknownAlgorithm>,
}

/// An algorithm name this version does not know, and its position in the key's algorithm list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownAlgorithm {
    pub name: String,
    pub position: usize,
}

/// At most this many different unknown names are kept: a KMS list has a handful of entries.
const MAX_UNKNOWN_ALGORITHMS: usize = 16;

impl KeyMetadata {
    /// The algorithm list of `usage` as the key's metadata gives it: known names and unknown ones in their places.
    pub fn algorithm_names(&self, usage: KeyUsage) -> Vec<&str> {
        fn names<T: KmsEnum>(list: &[T]) -> Vec<&'static str> {
            list.iter().map(|a| a.as_str()).collect()
        }
        let known = match usage {
            KeyUsage::SignVerify => names(&self.signing_algorithms),
            KeyUsage::EncryptDecrypt => names(&self.encryption_algorithms),
            KeyUsage::KeyAgreement => names(&self.key_agreement_algorithms),
            KeyUsage::EncapsulateDecapsulate => names(&self.encapsulation_algorithms),
            KeyUsage::GenerateVerifyMac => Vec::new(),
        };
        if usage != self.key_usage || self.unknown_algorithms.is_empty() {
            return known;
        }
        let total = known.len() + self.unknown_algorithms.len();
        let mut known = known.into_iter();
        (0..total)
            .filter_map(|position| match self.unknown_algorithms.iter().find(|u| u.position == position) {
                Some(unknown) => Some(unknown.name.as_str()),
                None => known.next(),
            })
            .collect()
    }
}

/// A KMS asymmetric public key with its metadata (KeySpec, KeyUsage, algorithm lists, KeyId).
#[derive(Clone, Debug)]
pub struct KmsPublicKey {
    metadata: KeyMetadata,
    spki_der: Vec<u8>,
    pub(crate) material: Material,
    /// P-256, P-384, P-521, secp256k1 and SM2 keys: the comb table that speeds up verify, ECDH and SM2PKE from the
    /// key's second use on (src/family/comb.rs).
    pub(crate) comb: CombCache,
}

impl KmsPublicKey {
    /// Whether this key has built its per-key state: its comb table (P-256, P-384, P-521, secp256k1, SM2: on its second
    /// verify, encrypt or ECDH), the rsa crate's key (RSA: on its first synchronous verify or encrypt) or the expanded
    /// key (ML-DSA: on its first verify in wasm).
    /// For tests.
    #[doc(hidden)]
    pub fn cache_built(&self) -> bool {
        self.material.cache_built(&self.comb)
    }

    /// Loads the JSON that `aws kms get-public-key` prints (or the HTTP API returns): PublicKey in
    /// base64. Also takes a serialised SDK response whose PublicKey is a byte array.
    #[cfg(feature = "json")]
    pub fn from_get_public_key_json(json: &str) -> Result<Self> {
        Self::from_get_public_key(crate::json::parse_get_public_key(json)?)
    }

    /// Loads GetPublicKey output (SDK bytes or CLI text in `public_key`). Every refusal here is an input
    /// error ([`crate::ErrorOrigin::Input`]): no KMS request is refused, the output is not what KMS returns.
    pub fn from_get_public_key(output: GetPublicKeyOutput) -> Result<Self> {
        Self::load(output).map_err(KmsError::into_input)
    }

    /// The key bytes first (input that is no public key says so before any complaint about metadata), then the
    /// metadata, with the detected key type as the hint when KeySpec is missing, then the key against KeySpec.
    fn load(output: GetPublicKeyOutput) -> Result<Self> {
        if output.public_key.len() > limits::MAX_PUBLIC_KEY * 2 {
            return Err(KmsError::validation(format!(
                "PublicKey is {} bytes: a KMS public key is at most {} bytes of DER (about twice that as PEM or base64 text)",
                output.public_key.len(),
                limits::MAX_PUBLIC_KEY
            ))
            .rule_code(Rule::PublicKeyTooLarge)
            .param("size", output.public_key.len())
            .param("max", limits::MAX_PUBLIC_KEY));
        }
        let spki_der = identify::public_key_der(&output.public_key)?;
        // Decoded once: the key type and then the key are read from this one decode (bench/NOTES.md §14).
        let spki = identify::decode_spki(&spki_der, &output.public_key)?;
        let detected = identify::key_type_of(&spki);
        let metadata = KeyMetadata::check_with(&output, detected)?;
        if !metadata.key_spec.in_build() {
            return Err(not_in_build(metadata.key_spec));
        }
        let material = Material::parse(&spki, metadata.key_spec).map_err(|mismatch| match detected {
            Some(key_type) if key_type != metadata.key_spec.rule().key_type => {
                let message = format!("{}; this public key is {}", mismatch.message(), detected_spec(key_type));
                let error = mismatch.reworded(message);
                match KeySpec::of_key_type(key_type) {
                    Some(spec) => error.param("detected", spec.as_str()),
                    None => error,
                }
            }
            _ => mismatch,
        })?;
        Ok(KmsPublicKey { metadata, spki_der, material, comb: CombCache::default() })
    }

    /// The KeySpec of a public key (DER, PEM or base64), detected from its SubjectPublicKeyInfo: `Ok(None)` when
    /// it is no KMS key type (e.g. RSA 1024-bit); an input that is no public key at all is refused, saying what it is.
    pub fn detect_key_spec(public_key: &[u8]) -> Result<Option<KeySpec>> {
        let detect = || {
            let der = identify::public_key_der(public_key)?;
            Ok(identify::key_type_of(&identify::decode_spki(&der, public_key)?).and_then(KeySpec::of_key_type))
        };
        detect().map_err(KmsError::into_input)
    }

    /// Loads a public key in PEM, DER or base64 DER with its metadata given separately (the console
    /// download and PEM files carry none). The `public_key` member of `metadata` is ignored.
    pub fn from_public_key(public_key: &[u8], metadata: GetPublicKeyOutput) -> Result<Self> {
        Self::from_get_public_key(GetPublicKeyOutput { public_key: public_key.to_vec(), ..metadata })
    }

    pub fn metadata(&self) -> &KeyMetadata {
        &self.metadata
    }

    pub fn key_spec(&self) -> KeySpec {
        self.metadata.key_spec
    }

    pub fn key_usage(&self) -> KeyUsage {
        self.metadata.key_usage
    }

    pub fn key_id(&self) -> Option<&str> {
        self.metadata.key_id.as_deref()
    }

    /// The protections this key loses outside KMS (KMS-RULES.md §7).
    pub fn offline_caveats(&self) -> crate::caveats::OfflineCaveats {
        crate::caveats::OfflineCaveats::of(self.key_spec(), self.key_usage())
    }

    pub fn arn(&self) -> Option<&KmsArn> {
        self.metadata.arn.as_ref()
    }

    /// The DER SubjectPublicKeyInfo, exactly as KMS returned it.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The SPKI as a PEM `PUBLIC KEY` block with 64-character lines.
    pub fn spki_pem(&self) -> String {
        let b64 = encoding::encode_base64(&self.spki_der);
        let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
        for line in b64.as_bytes().chunks(64) {
            pem.push_str(core::str::from_utf8(line).unwrap_or_default());
            pem.push('\n');
        }
        pem.push_str("-----END PUBLIC KEY-----\n");
        pem
    }

    /// Lowercase hex SHA-256 of the DER SPKI: a short, stable identity for the public key.
    pub fn fingerprint(&self) -> String {
        encoding::encode_hex(&Sha256::digest(&self.spki_der))
    }

    /// GetPublicKey-shaped JSON as the AWS CLI prints it (PublicKey in base64).
    #[cfg(feature = "json")]
    pub fn to_get_public_key_json(&self) -> String {
        crate::json::get_public_key_json(self.get_public_key_members())
    }

    /// The members of this key's GetPublicKey output, in the order KMS returns them (PublicKey in base64).
    pub fn get_public_key_members(&self) -> Vec<(&'static str, OutputMember)> {
        let meta = &self.metadata;
        let mut members = Vec::new();
        if let Some(id) = &meta.key_id {
            members.push(("KeyId", OutputMember::Text(id.clone())));
        }
        members.push(("PublicKey", OutputMember::Text(encoding::encode_base64(&self.spki_der))));
        if meta.key_spec.is_customer_master_key_spec() {
            members.push(("CustomerMasterKeySpec", OutputMember::Text(meta.key_spec.as_str().into())));
        }
        members.push(("KeySpec", OutputMember::Text(meta.key_spec.as_str().into())));
        members.push(("KeyUsage", OutputMember::Text(meta.key_usage.as_str().into())));
        for usage in [KeyUsage::SignVerify, KeyUsage::EncryptDecrypt, KeyUsage::KeyAgreement, KeyUsage::EncapsulateDecapsulate] {
            let names = meta.algorithm_names(usage);
            if !names.is_empty() {
                members.push((usage.list_field(), OutputMember::List(names.into_iter().map(str::to_owned).collect())));
            }
        }
        members
    }

    /// Refuses an algorithm the key spec does not allow, or one the key's metadata does not list.
    pub(crate) fn require_algorithm<T: KmsEnum>(&self, algorithm: T, for_spec: &[T], listed: &[T]) -> Result<()> {
        let spec = self.key_spec();
        if !for_spec.contains(&algorithm) {
            return Err(KmsError::invalid_key_usage(format!(
                "Algorithm {algorithm} is incompatible with key spec {spec}: allowed are {}",
                join(for_spec)
            ))
            .rule_code(Rule::AlgorithmNotForSpec)
            .param("algorithm", algorithm.as_str())
            .param("keySpec", spec.as_str())
            .param("allowed", for_spec));
        }
        if !listed.contains(&algorithm) {
            return Err(KmsError::invalid_key_usage(format!(
                "Algorithm {algorithm} is not in this key's {}: allowed are {}",
                self.key_usage().list_field(),
                join(listed)
            ))
            .rule_code(Rule::AlgorithmNotListed)
            .param("algorithm", algorithm.as_str())
            .param("field", self.key_usage().list_field())
            .param("allowed", listed));
        }
        Ok(())
    }

    /// Parses the algorithm a request names (`field`: SigningAlgorithm, EncryptionAlgorithm...). A value this
    /// version does not know is KMS's ValidationException, unless this key's own list has it: then the key
    /// allows it, KMS would perform it, and this version cannot (UnsupportedOperationException, KMS-RULES.md §1.3).
    pub fn request_algorithm<T: KmsEnum>(&self, text: &str, field: &str) -> Result<T> {
        T::parse(text, field).map_err(|invalid| {
            let usage = self.key_usage();
            let listed = usage.list_field().strip_suffix('s') == Some(field)
                && self.metadata.unknown_algorithms.iter().any(|u| u.name == text);
            if !listed {
                return invalid;
            }
            KmsError::unsupported(format!(
                "this version of kms-offline cannot perform {text}, which this key's {} lists: it performs {} (KMS itself may perform {text}; a newer kms-offline may too)",
                usage.list_field(),
                join(&self.key_spec().rule().algorithm_names(usage))
            ))
            .rule_code(Rule::UnknownAlgorithm)
            .param("value", text)
            .param("field", usage.list_field())
            .param("allowed", &self.key_spec().rule().algorithm_names(usage))
        })
    }

    /// Refuses an operation the key's usage does not allow, with KMS's message form.
    pub(crate) fn require_usage(&self, usage: KeyUsage, operation: &str) -> Result<()> {
        if self.metadata.key_usage == usage {
            return Ok(());
        }
        let who = self.metadata.key_id.as_deref().unwrap_or("this key");
        Err(KmsError::invalid_key_usage(format!(
            "{who} key usage is {} which is not valid for {operation}: {operation} needs a key with KeyUsage {usage}",
            self.metadata.key_usage
        ))
        .rule_code(Rule::WrongKeyUsage)
        .param("keyUsage", self.metadata.key_usage.as_str())
        .param("operation", operation)
        .param("required", usage.as_str()))
    }
}

impl KeyMetadata {
    /// Checks the metadata against the key spec table: the spec has a public key, the usage is one
    /// the spec allows, and the algorithm list for that usage is present and valid for the spec.
    pub fn check(output: &GetPublicKeyOutput) -> Result<Self> {
        Self::check_with(output, None)
    }

    /// [`check`](Self::check), with the key type detected from the public key (if known) for the hint when
    /// KeySpec is missing.
    fn check_with(output: &GetPublicKeyOutput, detected: Option<KeyType>) -> Result<Self> {
        let key_spec = key_spec_of(output, detected)?;
        let rule = key_spec.rule();
        if rule.key_type == KeyType::NoPublicKey {
            return Err(KmsError::unsupported(format!(
                "KeySpec {key_spec} has no public key: symmetric encryption and HMAC keys never leave KMS, so there is nothing to use offline (GetPublicKey refuses them too)"
            ))
            .rule_code(Rule::NoPublicKey)
            .param("keySpec", key_spec.as_str()));
        }
        let usage_text = output
            .key_usage
            .as_deref()
            .ok_or_else(|| {
                KmsError::validation(format!("KeyUsage is required: for KeySpec {key_spec}, {}", rule.usage_hint()))
                    .rule_code(Rule::KeyUsageRequired)
                    .param("keySpec", key_spec.as_str())
                    .param("keyUsages", rule.usages)
            })?;
        let key_usage = match Listed::<KeyUsage>::parse(usage_text, "KeyUsage")? {
            Listed::Known(usage) => usage,
            Listed::Unknown(text) => {
                return Err(KmsError::unsupported(format!(
                    "KeyUsage {text} is unknown to this version of kms-offline, which uses {key_spec} keys with {} (KMS may have added {text}; a newer kms-offline may use it)",
                    rule.usage_hint()
                ))
                .rule_code(Rule::UnknownKeyUsage)
                .param("value", text)
                .param("keySpec", key_spec.as_str()));
            }
        };
        if !rule.usages.contains(&key_usage) {
            return Err(KmsError::invalid_key_usage(format!(
                "KeyUsage {key_usage} is not valid for KeySpec {key_spec}: allowed usages are {}",
                join(rule.usages)
            ))
            .rule_code(Rule::KeyUsageNotForSpec)
            .param("keyUsage", key_usage.as_str())
            .param("keySpec", key_spec.as_str())
            .param("allowed", rule.usages));
        }
        let key_id = output.key_id.clone();
        let arn = key_id.as_deref().map(parse_key_id).transpose()?.flatten();
        let mut unknown = Vec::new();
        let lists = AlgorithmLists { output, key_spec, key_usage };
        Ok(KeyMetadata {
            key_id,
            arn,
            key_spec,
            key_usage,
            signing_algorithms: lists.parse(KeyUsage::SignVerify, rule.signing, &mut unknown)?,
            encryption_algorithms: lists.parse(KeyUsage::EncryptDecrypt, rule.encryption, &mut unknown)?,
            key_agreement_algorithms: lists.parse(KeyUsage::KeyAgreement, rule.key_agreement, &mut unknown)?,
            encapsulation_algorithms: lists.parse(KeyUsage::EncapsulateDecapsulate, rule.encapsulation, &mut unknown)?,
            unknown_algorithms: unknown,
        })
    }
}

/// "RSA 2048-bit (KeySpec RSA_2048)": a detected key type and the KMS key spec it is, if any.
fn detected_spec(key_type: KeyType) -> String {
    match crate::spec::KEY_SPEC_RULES.iter().find(|rule| rule.key_type == key_type) {
        Some(rule) => format!("{key_type} (KeySpec {})", rule.spec),
        None => format!("{key_type}, which no KMS key spec has"),
    }
}

/// `KeySpec`, or the deprecated `CustomerMasterKeySpec`, which KMS fills with the same value for every spec
/// (KMS-RULES.md §1.3): both present must agree. An unknown value of enum shape is a spec this version does not
/// know (UnsupportedOperationException); a missing one is asked for with the metadata of the `detected` key type.
pub(crate) fn key_spec_of(output: &GetPublicKeyOutput, detected: Option<KeyType>) -> Result<KeySpec> {
    let (text, field) = match (output.key_spec.as_deref(), output.customer_master_key_spec.as_deref()) {
        (Some(spec), Some(legacy)) if spec != legacy => {
            return Err(KmsError::validation(format!(
                "KeySpec {} and CustomerMasterKeySpec {} disagree: KMS always returns the same value in both",
                crate::spec::printable(spec),
                crate::spec::printable(legacy)
            ))
            .rule_code(Rule::KeySpecConflict)
            .param("keySpec", crate::spec::printable(spec))
            .param("customerMasterKeySpec", crate::spec::printable(legacy)));
        }
        (Some(spec), _) => (spec, "KeySpec"),
        (None, Some(legacy)) => (legacy, "CustomerMasterKeySpec"),
        (None, None) => return Err(key_spec_required(detected)),
    };
    match Listed::<KeySpec>::parse(text, field)? {
        Listed::Known(spec) => Ok(spec),
        Listed::Unknown(text) => {
            let loads: Vec<KeySpec> = KeySpec::ALL.iter().copied().filter(|s| s.rule().key_type != KeyType::NoPublicKey).collect();
            let this_key = detected.map(|t| format!("; this public key is {}", detected_spec(t))).unwrap_or_default();
            Err(KmsError::unsupported(format!(
                "{field} {text} is unknown to this version of kms-offline, which loads {} (KMS may have added {text}; a newer kms-offline may load it){this_key}",
                join(&loads)
            ))
            .rule_code(Rule::UnknownKeySpec)
            .param("field", field)
            .param("value", text.as_str())
            .param("keySpecs", &loads))
        }
    }
}

/// "KeySpec is required", with what this public key's metadata would be.
fn key_spec_required(detected: Option<KeyType>) -> KmsError {
    let rule = detected.and_then(|t| crate::spec::KEY_SPEC_RULES.iter().find(|rule| rule.key_type == t));
    let error = match (detected, rule) {
        (Some(key_type), Some(rule)) => KmsError::validation(format!(
            "KeySpec is required (the public key alone does not say what KMS allows): this public key is {key_type}, so KeySpec {} with {}",
            rule.spec,
            rule.usage_hint()
        )),
        (Some(key_type), None) => KmsError::validation(format!(
            "KeySpec is required, but this public key is {key_type}, which no KMS key spec has: KMS key specs are {}",
            join(KeySpec::ALL)
        )),
        (None, _) => KmsError::validation(format!(
            "KeySpec is required (the public key alone does not say what KMS allows): one of {}",
            join(KeySpec::ALL)
        )),
    }
    .rule_code(Rule::KeySpecRequired);
    match rule {
        Some(rule) => error.param("detected", rule.spec.as_str()).param("keyUsages", rule.usages),
        None => error.param("keySpecs", KeySpec::ALL),
    }
}

fn list_text(output: &GetPublicKeyOutput, usage: KeyUsage) -> Option<&Vec<String>> {
    match usage {
        KeyUsage::SignVerify => output.signing_algorithms.as_ref(),
        KeyUsage::EncryptDecrypt => output.encryption_algorithms.as_ref(),
        KeyUsage::KeyAgreement => output.key_agreement_algorithms.as_ref(),
        KeyUsage::EncapsulateDecapsulate => output.encapsulation_algorithms.as_ref(),
        KeyUsage::GenerateVerifyMac => None,
    }
}

/// The algorithm lists of GetPublicKey output, read against the key's spec and usage.
struct AlgorithmLists<'a> {
    output: &'a GetPublicKeyOutput,
    key_spec: KeySpec,
    key_usage: KeyUsage,
}

impl AlgorithmLists<'_> {
    /// Parses the algorithm list that belongs to `list_usage`. For the key's own usage it is required,
    /// non-empty and valid for the spec; for any other usage it must be absent or empty (GetPublicKey
    /// returns only the list of the key's usage, so anything else is contradictory metadata). Values of enum
    /// shape this version does not know go to `unknown` with their position (KMS-RULES.md §1.3).
    fn parse<T: KmsEnum>(&self, list_usage: KeyUsage, allowed: &[T], unknown: &mut Vec<UnknownAlgorithm>) -> Result<Vec<T>> {
        let (key_spec, key_usage) = (self.key_spec, self.key_usage);
        let field = list_usage.list_field();
        let texts = list_text(self.output, list_usage).map(Vec::as_slice).unwrap_or_default();
        if key_usage != list_usage {
            if texts.is_empty() {
                return Ok(Vec::new());
            }
            return Err(KmsError::validation(format!(
                "{field} is listed but KeyUsage is {key_usage}: KMS returns {field} only for {list_usage} keys, and {} for this one",
                key_usage.list_field()
            ))
            .rule_code(Rule::AlgorithmsOfOtherUsage)
            .param("field", field)
            .param("keyUsage", key_usage.as_str())
            .param("expected", key_usage.list_field()));
        }
        if texts.is_empty() {
            return Err(KmsError::validation(format!(
                "{field} is required for a {key_usage} key: it says which algorithms KMS will accept (for {key_spec}: {})",
                join(allowed)
            ))
            .rule_code(Rule::AlgorithmsRequired)
            .param("field", field)
            .param("keyUsage", key_usage.as_str())
            .param("keySpec", key_spec.as_str())
            .param("allowed", allowed));
        }
        let mut list = Vec::with_capacity(texts.len().min(allowed.len()));
        for text in texts {
            let algorithm = match Listed::<T>::parse(text, field)? {
                Listed::Known(algorithm) => algorithm,
                Listed::Unknown(name) => {
                    refuse_other_enum(&name, field)?;
                    if !unknown.iter().any(|u| u.name == name) {
                        if unknown.len() == MAX_UNKNOWN_ALGORITHMS {
                            return Err(KmsError::validation(format!(
                                "{field} has over {MAX_UNKNOWN_ALGORITHMS} values this version does not know: no KMS key lists that many"
                            )));
                        }
                        unknown.push(UnknownAlgorithm { name, position: list.len() + unknown.len() });
                    }
                    continue;
                }
            };
            if !allowed.contains(&algorithm) {
                return Err(KmsError::invalid_key_usage(format!(
                    "Algorithm {algorithm} in {field} is incompatible with key spec {key_spec}: allowed are {}",
                    join(allowed)
                ))
                .rule_code(Rule::AlgorithmNotForSpec)
                .param("algorithm", algorithm.as_str())
                .param("keySpec", key_spec.as_str())
                .param("allowed", allowed));
            }
            if !list.contains(&algorithm) {
                list.push(algorithm);
            }
        }
        Ok(list)
    }
}

/// A value of another algorithm enum in this list (an EncryptionAlgorithm in SigningAlgorithms...) is no new
/// algorithm, only a list that contradicts itself.
fn refuse_other_enum(name: &str, field: &str) -> Result<()> {
    fn member_of<T: KmsEnum>(name: &str) -> bool {
        T::ALL.iter().any(|v| v.as_str() == name)
    }
    let other = [
        (member_of::<SigningAlgorithm>(name), "SigningAlgorithms"),
        (member_of::<EncryptionAlgorithm>(name), "EncryptionAlgorithms"),
        (member_of::<KeyAgreementAlgorithm>(name), "KeyAgreementAlgorithms"),
        (member_of::<EncapsulationAlgorithm>(name), "EncapsulationAlgorithms"),
    ]
    .into_iter()
    .find(|(is_member, _)| *is_member);
    match other {
        Some((_, list)) => Err(KmsError::validation(format!("{name} in {field} belongs in {list}: it is no value of {field}"))
            .rule_code(Rule::AlgorithmInWrongList)
            .param("value", name)
            .param("field", field)
            .param("list", list)),
        None => Ok(()),
    }
}
