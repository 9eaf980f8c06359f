//! The one table between KMS SigningAlgorithms and X.509 AlgorithmIdentifiers, read in both directions:
//! a certificate's, CSR's or CRL's `signatureAlgorithm` → the KMS algorithm that must have signed it
//! ([`identify`]), and a KMS algorithm → the AlgorithmIdentifier to write ([`algorithm_identifier`]).

use crate::error::{KmsError, Result, Rule};
use crate::spec::{HashAlg, KeySpec, SigningAlgorithm};
use der::asn1::{AnyRef, ObjectIdentifier};
use der::oid::db::{fips204, rfc5912, rfc8410};
use der::{Decode, Encode};
use pkcs1::{RsaPssParams, TrailerField};
use spki::{AlgorithmIdentifier, AlgorithmIdentifierOwned, AlgorithmIdentifierRef};

/// SM2-with-SM3 (GM/T 0006, as OpenSSL names it `SM2-with-SM3`).
pub const SM2_WITH_SM3: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.156.10197.1.501");

/// What an algorithm's AlgorithmIdentifier carries as parameters.
#[derive(Debug, PartialEq, Eq)]
pub enum Parameters {
    /// NULL (RFC 8017 A.2.4); absent is accepted when reading, as RFC 4055 §5 requires.
    Null,
    /// Absent (RFC 5758 §3.2 ECDSA, RFC 8410 §3 Ed25519, RFC 9881 §2 ML-DSA, GM/T 0006 SM2).
    Absent,
    /// RSASSA-PSS-params (RFC 4055 §3.1) written out in full: this hash, MGF1 with the same hash, salt
    /// length = the hash length, trailer field 1, the only PSS parameters KMS signs with.
    Pss,
}

/// One signatureAlgorithm OID with its OpenSSL name; `key_spec` when the OID names the parameter set.
#[derive(Debug)]
pub struct X509Oid {
    pub oid: ObjectIdentifier,
    pub name: &'static str,
    pub key_spec: Option<KeySpec>,
}

/// One KMS SigningAlgorithm's X.509 facts.
#[derive(Debug)]
pub struct X509Algorithm {
    pub signing_algorithm: SigningAlgorithm,
    /// The signatureAlgorithm OIDs (ML-DSA: one per parameter set); empty when X.509 has none.
    pub oids: &'static [X509Oid],
    pub parameters: Parameters,
}

const fn any_spec(oid: ObjectIdentifier, name: &'static str) -> X509Oid {
    X509Oid { oid, name, key_spec: None }
}

const fn entry(signing_algorithm: SigningAlgorithm, oids: &'static [X509Oid], parameters: Parameters) -> X509Algorithm {
    X509Algorithm { signing_algorithm, oids, parameters }
}

use SigningAlgorithm as S;

/// Every KMS SigningAlgorithm, in the enum's order, with its X.509 AlgorithmIdentifier facts.
pub static X509_ALGORITHMS: &[X509Algorithm] = &[
    entry(S::RsassaPssSha256, &[any_spec(rfc5912::ID_RSASSA_PSS, "rsassaPss")], Parameters::Pss),
    entry(S::RsassaPssSha384, &[any_spec(rfc5912::ID_RSASSA_PSS, "rsassaPss")], Parameters::Pss),
    entry(S::RsassaPssSha512, &[any_spec(rfc5912::ID_RSASSA_PSS, "rsassaPss")], Parameters::Pss),
    entry(S::RsassaPkcs1V15Sha256, &[any_spec(rfc5912::SHA_256_WITH_RSA_ENCRYPTION, "sha256WithRSAEncryption")], Parameters::Null),
    entry(S::RsassaPkcs1V15Sha384, &[any_spec(rfc5912::SHA_384_WITH_RSA_ENCRYPTION, "sha384WithRSAEncryption")], Parameters::Null),
    entry(S::RsassaPkcs1V15Sha512, &[any_spec(rfc5912::SHA_512_WITH_RSA_ENCRYPTION, "sha512WithRSAEncryption")], Parameters::Null),
    entry(S::EcdsaSha256, &[any_spec(rfc5912::ECDSA_WITH_SHA_256, "ecdsa-with-SHA256")], Parameters::Absent),
    entry(S::EcdsaSha384, &[any_spec(rfc5912::ECDSA_WITH_SHA_384, "ecdsa-with-SHA384")], Parameters::Absent),
    entry(S::EcdsaSha512, &[any_spec(rfc5912::ECDSA_WITH_SHA_512, "ecdsa-with-SHA512")], Parameters::Absent),
    entry(S::Sm2Dsa, &[any_spec(SM2_WITH_SM3, "SM2-with-SM3")], Parameters::Absent),
    entry(
        S::MlDsaShake256,
        &[
            X509Oid { oid: fips204::ID_ML_DSA_44, name: "id-ml-dsa-44", key_spec: Some(KeySpec::MlDsa44) },
            X509Oid { oid: fips204::ID_ML_DSA_65, name: "id-ml-dsa-65", key_spec: Some(KeySpec::MlDsa65) },
            X509Oid { oid: fips204::ID_ML_DSA_87, name: "id-ml-dsa-87", key_spec: Some(KeySpec::MlDsa87) },
        ],
        Parameters::Absent,
    ),
    entry(S::Ed25519Sha512, &[any_spec(rfc8410::ID_ED_25519, "Ed25519")], Parameters::Absent),
    // Ed25519ph over a KMS DIGEST has no X.509 AlgorithmIdentifier (RFC 8410 defines pure Ed25519 only).
    entry(S::Ed25519PhSha512, &[], Parameters::Absent),
];

impl X509Algorithm {
    /// The table's entry for `algorithm`.
    pub fn of(algorithm: SigningAlgorithm) -> &'static X509Algorithm {
        &X509_ALGORITHMS[algorithm as usize]
    }

    /// The OID this algorithm is written with for a key of `key_spec`.
    fn oid_for(&self, key_spec: KeySpec) -> Option<&'static X509Oid> {
        self.oids.iter().find(|o| o.key_spec.is_none_or(|spec| spec == key_spec))
    }
}

fn hash_oid(hash: HashAlg) -> Result<ObjectIdentifier> {
    match hash {
        HashAlg::Sha256 => Ok(rfc5912::ID_SHA_256),
        HashAlg::Sha384 => Ok(rfc5912::ID_SHA_384),
        HashAlg::Sha512 => Ok(rfc5912::ID_SHA_512),
        other => Err(KmsError::validation(format!("{} has no RSASSA-PSS hash OID", other.name()))),
    }
}

fn hash_of_oid(oid: ObjectIdentifier) -> Option<HashAlg> {
    [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512].into_iter().find(|h| hash_oid(*h).is_ok_and(|o| o == oid))
}

/// An OID in an error message, dotted: naming it would link const-oid's whole OID name database.
fn oid_name(oid: ObjectIdentifier) -> String {
    oid.to_string()
}

/// Every X.509 signature algorithm KMS signs with, for error messages and their `allowed` parameter.
fn kms_x509_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = X509_ALGORITHMS.iter().flat_map(|a| a.oids.iter().map(|o| o.name)).collect();
    names.dedup();
    names
}

/// The KMS SigningAlgorithm that signed with `identifier`, for a key of `key_spec`; ValidationException
/// for an algorithm or parameters no KMS signature can have, InvalidKeyUsageException for an ML-DSA
/// parameter set other than the key's.
pub fn identify(identifier: &AlgorithmIdentifierRef<'_>, key_spec: KeySpec) -> Result<SigningAlgorithm> {
    let found = X509_ALGORITHMS.iter().find_map(|a| a.oids.iter().find(|o| o.oid == identifier.oid).map(|o| (a, o)));
    let Some((first, x509_oid)) = found else {
        return Err(KmsError::validation(format!(
            "signature algorithm {} is not one KMS signs with: KMS signs X.509 with {}",
            oid_name(identifier.oid),
            kms_x509_names().join(", ")
        ))
        .rule_code(Rule::X509AlgorithmNotKms)
        .param("oid", oid_name(identifier.oid))
        .param("allowed", &kms_x509_names()));
    };
    let algorithm = match first.parameters {
        Parameters::Null => {
            if identifier.parameters.is_some_and(|p| !p.is_null()) {
                return Err(KmsError::validation(format!("{} parameters must be NULL or absent (RFC 4055 §5)", x509_oid.name))
                    .rule_code(Rule::X509AlgorithmParameters)
                    .param("algorithm", x509_oid.name)
                    .param("expected", "null-or-absent"));
            }
            first.signing_algorithm
        }
        Parameters::Absent => {
            if identifier.parameters.is_some() {
                return Err(KmsError::validation(format!("{} parameters must be absent", x509_oid.name))
                    .rule_code(Rule::X509AlgorithmParameters)
                    .param("algorithm", x509_oid.name)
                    .param("expected", "absent"));
            }
            first.signing_algorithm
        }
        Parameters::Pss => identify_pss(identifier.parameters)?,
    };
    if let Some(spec) = x509_oid.key_spec.filter(|spec| *spec != key_spec) {
        let keys_algorithm = X509Algorithm::of(algorithm).oid_for(key_spec).map_or("none", |o| o.name);
        return Err(KmsError::invalid_key_usage(format!(
            "signature algorithm {} is ML-DSA with key spec {spec}'s parameter set: this key is {key_spec}, whose X.509 algorithm is {keys_algorithm}",
            x509_oid.name
        ))
        .rule_code(Rule::AlgorithmNotForSpec)
        .param("algorithm", x509_oid.name)
        .param("keySpec", key_spec.as_str())
        .param("allowed", [keys_algorithm].as_slice()));
    }
    Ok(algorithm)
}

/// RSASSA_PSS_SHA_* from RSASSA-PSS-params, refusing every parameter KMS cannot have produced.
fn identify_pss(parameters: Option<AnyRef<'_>>) -> Result<SigningAlgorithm> {
    let cannot = |detail: &'static str, what: String| {
        KmsError::validation(format!(
            "RSASSA-PSS {what}: KMS signs PSS only with MGF1 over the message hash, a salt as long as the hash and trailer field 1 (RFC 4055 §3.1), so KMS cannot have made this signature"
        ))
        .rule_code(Rule::PssParameters)
        .param("detail", detail)
    };
    let Some(parameters) = parameters else {
        return Err(cannot("absent", "parameters are absent (RFC 4055 requires them in a signature)".into()));
    };
    let params: pkcs1::RsaPssParamsOwned = parameters
        .decode_as()
        .map_err(|e| cannot("malformed", format!("parameters are malformed, or have a salt length over 255 or a trailer field other than 1 ({e})")))?;
    let hash = hash_of_oid(params.hash.oid)
        .ok_or_else(|| cannot("hash", format!("hash {} is not SHA-256, SHA-384 or SHA-512", oid_name(params.hash.oid))))?;
    if params.hash.parameters.as_ref().is_some_and(|p| !p.is_null()) {
        return Err(cannot("hash-parameters", "hash parameters are not NULL".into()));
    }
    if params.mask_gen.oid != rfc5912::ID_MGF_1 {
        return Err(cannot("mgf", format!("mask generation function {} is not MGF1", oid_name(params.mask_gen.oid))));
    }
    let mgf_hash_identifier = params.mask_gen.parameters.as_ref();
    if mgf_hash_identifier.and_then(|h| h.parameters.as_ref()).is_some_and(|p| !p.is_null()) {
        return Err(cannot("mgf-hash-parameters", "MGF1 hash parameters are not NULL".into()));
    }
    let mgf_hash = mgf_hash_identifier.map(|h| h.oid);
    if mgf_hash != Some(params.hash.oid) {
        let mgf_hash_name = mgf_hash.map_or("SHA-1 (default)".into(), oid_name);
        return Err(cannot("mgf-hash", format!("MGF1 hash {mgf_hash_name} differs from the message hash {}", hash.name())));
    }
    if usize::from(params.salt_len) != hash.output_len() {
        return Err(cannot("salt-length", format!("salt length is {} bytes, not {} ({})", params.salt_len, hash.output_len(), hash.name())));
    }
    // TrailerField has one value (BC, 1): any other failed to decode above.
    let TrailerField::BC = params.trailer_field;
    Ok(match hash {
        HashAlg::Sha256 => SigningAlgorithm::RsassaPssSha256,
        HashAlg::Sha384 => SigningAlgorithm::RsassaPssSha384,
        _ => SigningAlgorithm::RsassaPssSha512,
    })
}

/// The AlgorithmIdentifier to write for `algorithm` with a key of `key_spec`.
pub fn algorithm_identifier(algorithm: SigningAlgorithm, key_spec: KeySpec) -> Result<AlgorithmIdentifierOwned> {
    let entry = X509Algorithm::of(algorithm);
    let Some(x509_oid) = entry.oid_for(key_spec) else {
        return Err(KmsError::validation(format!(
            "SigningAlgorithm {algorithm} has no X.509 AlgorithmIdentifier (X.509 signs with {}): use another of the key's algorithms",
            kms_x509_names().join(", ")
        ))
        .rule_code(Rule::NoX509Algorithm)
        .param("algorithm", algorithm.as_str())
        .param("allowed", &kms_x509_names()));
    };
    let parameters = match entry.parameters {
        Parameters::Absent => None,
        Parameters::Null => Some(der::asn1::Any::null()),
        Parameters::Pss => {
            let hash = algorithm.rule().hash;
            let hash_identifier = AlgorithmIdentifier { oid: hash_oid(hash)?, parameters: Some(AnyRef::NULL) };
            let salt_len = u8::try_from(hash.output_len()).map_err(|_| KmsError::validation("salt length over 255"))?;
            let params = RsaPssParams {
                hash: hash_identifier,
                mask_gen: AlgorithmIdentifier { oid: rfc5912::ID_MGF_1, parameters: Some(hash_identifier) },
                salt_len,
                trailer_field: TrailerField::BC,
            };
            let encoded = params.to_der().map_err(|e| KmsError::validation(format!("RSASSA-PSS parameters cannot be encoded: {e}")))?;
            Some(der::asn1::Any::from_der(&encoded).map_err(|e| KmsError::validation(format!("RSASSA-PSS parameters: {e}")))?)
        }
    };
    Ok(AlgorithmIdentifierOwned { oid: x509_oid.oid, parameters })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SIGNING_RULES;

    #[test]
    fn table_is_in_the_enum_order() {
        assert_eq!(X509_ALGORITHMS.len(), SIGNING_RULES.len());
        for (entry, rule) in X509_ALGORITHMS.iter().zip(SIGNING_RULES) {
            assert_eq!(entry.signing_algorithm, rule.algorithm);
        }
    }

    #[test]
    fn every_identifier_built_is_identified_back() {
        for entry in X509_ALGORITHMS {
            for x509_oid in entry.oids {
                let spec = x509_oid.key_spec.unwrap_or_else(|| {
                    *crate::spec::KeySpec::ALL.iter().find(|s| s.rule().signing.contains(&entry.signing_algorithm)).unwrap()
                });
                let built = algorithm_identifier(entry.signing_algorithm, spec).unwrap();
                let der = built.to_der().unwrap();
                let read = AlgorithmIdentifierRef::from_der(&der).unwrap();
                assert_eq!(identify(&read, spec).unwrap(), entry.signing_algorithm);
            }
        }
    }
}
