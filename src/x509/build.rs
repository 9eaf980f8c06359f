//! The other direction, for people who sign with KMS (as `jws_signing_request` / `assemble_jws` for JWS):
//! build the to-be-signed part of a CSR, a certificate or a CRL, give the exact KMS `Sign` request for it
//! and a [`X509Pending`] to keep, then assemble the DER and PEM from the signature KMS returns. The result
//! is verified with the key before it is handed back, so a signature made with another key, algorithm or
//! message type never leaves as a certificate.

use super::message::kms_message;
use super::verify::VerifiedX509;
use super::{SignedRef, X509Kind, algorithm, pem_of};
use crate::error::{KmsError, Result};
use crate::key::{GetPublicKeyOutput, KmsPublicKey};
use crate::spec::{KeyUsage, MessageType, SigningAlgorithm};
use core::time::Duration;
use der::asn1::{AnyRef, BitStringRef, Ia5String, OctetString, SetOfVec, UtcTime};
use der::oid::db::rfc5280;
use der::{DateTime, Decode, Encode};
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey, ObjectIdentifier, SubjectPublicKeyInfoOwned,
    SubjectPublicKeyInfoRef,
};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::crl::{RevokedCert, TbsCertList};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlNumber, ExtendedKeyUsage, KeyUsage as X509KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, ExtensionReq};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// Subject alternative names (RFC 5280 §4.2.1.6): DNS names, email addresses, URIs, IP addresses (v4 or v6 text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubjectAltNames {
    pub dns: Vec<String>,
    pub email: Vec<String>,
    pub uri: Vec<String>,
    pub ip: Vec<String>,
}

/// A CSR for the KMS key itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateRequestOptions {
    /// RFC 4514, e.g. `CN=signer,O=Example`.
    pub subject: String,
    pub subject_alt_names: SubjectAltNames,
    /// Key usages and extended key usages requested (names as in [`CertificateProfile`]).
    pub key_usage: Vec<String>,
    pub extended_key_usage: Vec<String>,
    /// Default: the key's first listed SigningAlgorithm with an X.509 form.
    pub signing_algorithm: Option<SigningAlgorithm>,
}

/// What goes in a certificate the KMS key signs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateProfile {
    /// RFC 4514. For a certificate issued for a CSR, empty means the CSR's subject.
    pub subject: String,
    /// Positive, at most 20 bytes, big-endian. None: 16 random bytes with the top bit clear.
    pub serial: Option<Vec<u8>>,
    /// Unix seconds.
    pub not_before: u64,
    pub not_after: u64,
    /// basicConstraints cA (critical), with an optional pathLenConstraint.
    pub ca: bool,
    pub path_len: Option<u8>,
    /// keyUsage bits by RFC 5280 name (digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment,
    /// keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly). Empty: keyCertSign + cRLSign for a CA,
    /// digitalSignature otherwise.
    pub key_usage: Vec<String>,
    /// serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, or a dotted OID.
    pub extended_key_usage: Vec<String>,
    pub subject_alt_names: SubjectAltNames,
    pub signing_algorithm: Option<SigningAlgorithm>,
}

/// One revoked certificate of a CRL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RevokedCertificate {
    pub serial: Vec<u8>,
    /// Unix seconds.
    pub revocation_date: u64,
}

/// A CRL signed by the KMS key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrlOptions {
    /// RFC 4514: the subject of the KMS key's CA certificate, rebuilt with this crate's string types. Leave
    /// it empty and give `issuer_certificate` to copy that subject exactly as encoded (RFC 5280 §5.1.2.3).
    pub issuer: String,
    /// The KMS key's CA certificate (PEM or DER): see [`Issuer::Certificate`].
    pub issuer_certificate: Option<Vec<u8>>,
    /// Unix seconds.
    pub this_update: u64,
    pub next_update: Option<u64>,
    /// cRLNumber (RFC 5280 §5.2.3), big-endian, at most 20 bytes.
    pub crl_number: Vec<u8>,
    pub revoked: Vec<RevokedCertificate>,
    pub signing_algorithm: Option<SigningAlgorithm>,
}

/// What to keep between the Sign request and the assembly: plain data, to store or send anywhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct X509Pending {
    pub kind: X509Kind,
    /// The DER to-be-signed part (tbsCertificate, certificationRequestInfo or tbsCertList).
    pub to_be_signed: Vec<u8>,
    pub signing_algorithm: SigningAlgorithm,
}

/// The KMS `Sign` request for one structure, and what to assemble it with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct X509SigningRequest {
    /// Sign's `KeyId` (this key's, when known).
    pub key_id: Option<String>,
    /// Sign's `Message`: the to-be-signed part (RAW), its digest (DIGEST) or its ML-DSA mu (EXTERNAL_MU).
    pub message: Vec<u8>,
    pub message_type: MessageType,
    pub signing_algorithm: SigningAlgorithm,
    pub pending: X509Pending,
}

/// The signed structure, and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct X509Assembled {
    pub der: Vec<u8>,
    pub pem: String,
    pub verified: VerifiedX509,
}

fn invalid(what: &str, e: impl core::fmt::Display) -> KmsError {
    KmsError::validation(format!("{what}: {e}"))
}

fn name(text: &str, what: &str) -> Result<Name> {
    super::dn::from_rfc4514(text, what)
}

fn time(seconds: u64, what: &str) -> Result<Time> {
    let date = DateTime::from_unix_duration(Duration::from_secs(seconds)).map_err(|e| invalid(&format!("{what} {seconds}"), e))?;
    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    Ok(UtcTime::from_date_time(date).map_or_else(|_| Time::GeneralTime(der::asn1::GeneralizedTime::from_date_time(date)), Time::UtcTime))
}

fn serial(bytes: &[u8], what: &str) -> Result<SerialNumber> {
    if bytes.is_empty() || bytes.iter().all(|b| *b == 0) {
        return Err(KmsError::validation(format!("{what} must be a positive integer (RFC 5280 §4.1.2.2), got zero or nothing")));
    }
    SerialNumber::new(bytes).map_err(|e| invalid(&format!("{what} must be at most 20 bytes (RFC 5280 §4.1.2.2)"), e))
}

fn random_serial() -> Result<SerialNumber> {
    let mut bytes = [0u8; 16];
    crate::random::fill(&mut bytes)?;
    bytes[0] &= 0x7f;
    bytes[0] |= 0x01; // never a leading zero byte: always 16 bytes, always positive
    serial(&bytes, "serial")
}

fn ia5(text: &str, what: &str) -> Result<Ia5String> {
    Ia5String::new(text).map_err(|e| invalid(&format!("{what} \"{text}\" must be ASCII (IA5String)"), e))
}

fn general_names(names: &SubjectAltNames) -> Result<Vec<GeneralName>> {
    let mut out = Vec::new();
    for dns in &names.dns {
        out.push(GeneralName::DnsName(ia5(dns, "DNS name")?));
    }
    for email in &names.email {
        out.push(GeneralName::Rfc822Name(ia5(email, "email address")?));
    }
    for uri in &names.uri {
        out.push(GeneralName::UniformResourceIdentifier(ia5(uri, "URI")?));
    }
    for ip in &names.ip {
        let address: std::net::IpAddr = ip.parse().map_err(|e| invalid(&format!("IP address \"{ip}\" is not IPv4 or IPv6 text"), e))?;
        let octets = match address {
            std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
            std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        out.push(GeneralName::IpAddress(OctetString::new(octets).map_err(|e| invalid("IP address", e))?));
    }
    Ok(out)
}

const KEY_USAGE_NAMES: &[(&str, KeyUsages)] = &[
    ("digitalSignature", KeyUsages::DigitalSignature),
    ("nonRepudiation", KeyUsages::NonRepudiation),
    ("keyEncipherment", KeyUsages::KeyEncipherment),
    ("dataEncipherment", KeyUsages::DataEncipherment),
    ("keyAgreement", KeyUsages::KeyAgreement),
    ("keyCertSign", KeyUsages::KeyCertSign),
    ("cRLSign", KeyUsages::CRLSign),
    ("encipherOnly", KeyUsages::EncipherOnly),
    ("decipherOnly", KeyUsages::DecipherOnly),
];

const EXTENDED_KEY_USAGE_NAMES: &[(&str, ObjectIdentifier)] = &[
    ("serverAuth", rfc5280::ID_KP_SERVER_AUTH),
    ("clientAuth", rfc5280::ID_KP_CLIENT_AUTH),
    ("codeSigning", rfc5280::ID_KP_CODE_SIGNING),
    ("emailProtection", rfc5280::ID_KP_EMAIL_PROTECTION),
    ("timeStamping", rfc5280::ID_KP_TIME_STAMPING),
    ("OCSPSigning", rfc5280::ID_KP_OCSP_SIGNING),
];

fn key_usage(names: &[String]) -> Result<X509KeyUsage> {
    let mut bits = der::flagset::FlagSet::<KeyUsages>::default();
    for wanted in names {
        let Some((_, bit)) = KEY_USAGE_NAMES.iter().find(|(n, _)| n == wanted) else {
            let allowed: Vec<&str> = KEY_USAGE_NAMES.iter().map(|(n, _)| *n).collect();
            return Err(KmsError::validation(format!("key usage \"{wanted}\" is not one of {}", allowed.join(", "))));
        };
        bits |= *bit;
    }
    Ok(X509KeyUsage(bits))
}

fn extended_key_usage(names: &[String]) -> Result<ExtendedKeyUsage> {
    let oids = names
        .iter()
        .map(|wanted| match EXTENDED_KEY_USAGE_NAMES.iter().find(|(n, _)| n == wanted) {
            Some((_, oid)) => Ok(*oid),
            None => ObjectIdentifier::new(wanted).map_err(|_| {
                let allowed: Vec<&str> = EXTENDED_KEY_USAGE_NAMES.iter().map(|(n, _)| *n).collect();
                KmsError::validation(format!("extended key usage \"{wanted}\" is neither a dotted OID nor one of {}", allowed.join(", ")))
            }),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ExtendedKeyUsage(oids))
}

fn extension<T: Encode + der::oid::AssociatedOid>(value: &T, critical: bool) -> Result<Extension> {
    let encoded = value.to_der().map_err(|e| invalid("extension", e))?;
    Ok(Extension { extn_id: T::OID, critical, extn_value: OctetString::new(encoded).map_err(|e| invalid("extension", e))? })
}

/// keyUsage (critical), extendedKeyUsage and subjectAltName, those asked for.
fn usage_extensions(usage: &[String], extended: &[String], names: &SubjectAltNames, subject_is_empty: bool) -> Result<Vec<Extension>> {
    let mut out = Vec::new();
    if !usage.is_empty() {
        out.push(extension(&key_usage(usage)?, true)?);
    }
    if !extended.is_empty() {
        out.push(extension(&extended_key_usage(extended)?, false)?);
    }
    let general = general_names(names)?;
    if !general.is_empty() {
        // RFC 5280 §4.2.1.6: critical when the subject is empty.
        out.push(extension(&SubjectAltName(general), subject_is_empty)?);
    }
    Ok(out)
}

fn spki_of(der: &[u8], what: &str) -> Result<SubjectPublicKeyInfoOwned> {
    SubjectPublicKeyInfoOwned::from_der(der).map_err(|e| invalid(&format!("{what} is not a DER SubjectPublicKeyInfo"), e))
}

/// RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes.
fn key_identifier(spki_der: &[u8]) -> Result<OctetString> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|e| invalid("SubjectPublicKeyInfo", e))?;
    Ok(SubjectKeyIdentifier::try_from(spki).map_err(|e| invalid("subject key identifier", e))?.0)
}

/// Who issues a certificate or CRL signed by the KMS key.
#[derive(Clone, Copy, Debug)]
pub enum Issuer<'a> {
    /// The CA's subject as RFC 4514 text. Each attribute gets this crate's string type, so a CA subject
    /// stored as PrintableString comes back as UTF8String: give the certificate when there is one.
    Name(&'a str),
    /// The KMS key's own CA certificate (PEM or DER): its subject Name is copied as encoded, byte for byte
    /// (RFC 5280 §7.1: chain building compares names), and its subjectKeyIdentifier, when present, becomes
    /// the authorityKeyIdentifier. It must certify this very key.
    Certificate(&'a [u8]),
}

impl<'a> Issuer<'a> {
    /// The one issuer of the text and certificate options (an empty text is no text when a certificate is given).
    pub fn of_options(name: Option<&'a str>, certificate: Option<&'a [u8]>) -> Result<Self> {
        match (name, certificate) {
            (Some(name), Some(_)) if !name.is_empty() => Err(KmsError::validation(
                "Issuer and IssuerCertificate are both given: give the CA certificate (its subject is copied as encoded) or, \
                 for a CA without one, the Issuer text, not both",
            )),
            (_, Some(certificate)) => Ok(Issuer::Certificate(certificate)),
            (name, None) => Ok(Issuer::Name(name.unwrap_or_default())),
        }
    }
}

/// An issuer as it goes into the signed structure: its Name and the authority key identifier.
struct IssuerIdentity {
    name: Name,
    key_identifier: OctetString,
}

/// The subjectKeyIdentifier extension of `certificate`, if it has one.
fn subject_key_identifier(certificate: &x509_cert::Certificate) -> Result<Option<OctetString>> {
    let Some(extension) = certificate
        .tbs_certificate()
        .extensions()
        .and_then(|all| all.iter().find(|e| e.extn_id == <SubjectKeyIdentifier as der::oid::AssociatedOid>::OID))
    else {
        return Ok(None);
    };
    let identifier = SubjectKeyIdentifier::from_der(extension.extn_value.as_bytes())
        .map_err(|e| invalid("the issuer certificate's subjectKeyIdentifier", e))?;
    Ok(Some(identifier.0))
}

/// The certificate builder's profile: names and extensions exactly as the caller gave them.
struct KmsProfile {
    subject: Name,
    issuer: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for KmsProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// Stands in for the signer in x509-cert's builder: it only names the key and the algorithm, KMS signs.
#[derive(Clone)]
struct KmsSignerStandIn {
    spki: Vec<u8>,
    algorithm: AlgorithmIdentifierOwned,
}

impl signature::Keypair for KmsSignerStandIn {
    type VerifyingKey = KmsSignerStandIn;
    fn verifying_key(&self) -> Self {
        self.clone()
    }
}

impl EncodePublicKey for KmsSignerStandIn {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        Ok(der::Document::try_from(self.spki.as_slice())?)
    }
}

impl DynSignatureAlgorithmIdentifier for KmsSignerStandIn {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.algorithm.clone())
    }
}

impl KmsPublicKey {
    /// The algorithm to sign with: the one asked for, else the key's first listed one X.509 can name.
    fn x509_signing_algorithm(&self, asked: Option<SigningAlgorithm>) -> Result<SigningAlgorithm> {
        self.require_usage(KeyUsage::SignVerify, "Sign")?;
        let algorithm = match asked {
            Some(algorithm) => algorithm,
            None => *self
                .metadata()
                .signing_algorithms
                .iter()
                .find(|a| !algorithm::X509Algorithm::of(**a).oids.is_empty())
                .ok_or_else(|| KmsError::validation("none of the key's SigningAlgorithms has an X.509 form"))?,
        };
        self.require_algorithm(algorithm, self.key_spec().rule().signing, &self.metadata().signing_algorithms)?;
        algorithm::algorithm_identifier(algorithm, self.key_spec())?;
        Ok(algorithm)
    }

    /// The issuer's Name and key identifier: from the text (key identifier computed from this key), or copied
    /// from this key's CA certificate, which must certify this key.
    fn issuer_identity(&self, issuer: Issuer<'_>) -> Result<IssuerIdentity> {
        let own_identifier = key_identifier(self.spki_der())?;
        let input = match issuer {
            Issuer::Name(text) => {
                return Ok(IssuerIdentity { name: name(text, "issuer")?, key_identifier: own_identifier });
            }
            Issuer::Certificate(input) => input,
        };
        let der = super::der_of(input, X509Kind::Certificate)?;
        let certificate =
            x509_cert::Certificate::from_der(&der).map_err(|e| invalid("the issuer certificate is not a DER X.509 certificate", e))?;
        let tbs = certificate.tbs_certificate();
        let certified_key = tbs.subject_public_key_info().to_der().map_err(|e| invalid("the issuer certificate's public key", e))?;
        if certified_key != self.spki_der() {
            return Err(KmsError::validation(
                "the issuer certificate certifies another public key than this KMS key's: the issuer certificate must be the \
                 KMS key's own CA certificate (its SubjectPublicKeyInfo equal to GetPublicKey's PublicKey)",
            ));
        }
        let key_identifier = subject_key_identifier(&certificate)?.unwrap_or(own_identifier);
        Ok(IssuerIdentity { name: tbs.subject().clone(), key_identifier })
    }

    fn x509_request(&self, kind: X509Kind, to_be_signed: Vec<u8>, signing_algorithm: SigningAlgorithm) -> Result<X509SigningRequest> {
        let (message_type, message) = kms_message(self, signing_algorithm, &to_be_signed, kind)?;
        Ok(X509SigningRequest {
            key_id: self.key_id().map(str::to_owned),
            message,
            message_type,
            signing_algorithm,
            pending: X509Pending { kind, to_be_signed, signing_algorithm },
        })
    }

    /// The KMS Sign request for a PKCS#10 CSR of this key.
    pub fn certificate_request_signing_request(&self, options: &CertificateRequestOptions) -> Result<X509SigningRequest> {
        let algorithm = self.x509_signing_algorithm(options.signing_algorithm)?;
        let subject = name(&options.subject, "subject")?;
        let extensions =
            usage_extensions(&options.key_usage, &options.extended_key_usage, &options.subject_alt_names, options.subject.is_empty())?;
        let mut attributes = SetOfVec::new();
        if !extensions.is_empty() {
            let attribute = x509_cert::attr::Attribute::try_from(ExtensionReq(extensions)).map_err(|e| invalid("extension request", e))?;
            attributes.insert(attribute).map_err(|e| invalid("extension request", e))?;
        }
        let info =
            CertReqInfo { version: x509_cert::request::Version::V1, subject, public_key: spki_of(self.spki_der(), "the key")?, attributes };
        let tbs = info.to_der().map_err(|e| invalid("certification request info", e))?;
        self.x509_request(X509Kind::CertificateRequest, tbs, algorithm)
    }

    /// The KMS Sign request for a self-signed certificate of this key (issuer = subject; the authority key
    /// identifier is its own subject key identifier).
    pub fn self_signed_certificate_signing_request(&self, profile: &CertificateProfile) -> Result<X509SigningRequest> {
        let subject = name(&profile.subject, "subject")?;
        let issuer = IssuerIdentity { name: subject.clone(), key_identifier: key_identifier(self.spki_der())? };
        self.certificate_signing_request(profile, subject, issuer, self.spki_der().to_vec())
    }

    /// The KMS Sign request for a certificate issued by this key as `issuer` (its CA certificate, or that
    /// certificate's subject as text), for the key of `csr` (PEM or DER; its own signature is checked first,
    /// with its own key, which must be of a KMS key spec; its subject, unless the profile gives one, is copied as
    /// encoded) or of `subject_public_key_info` (DER).
    pub fn issued_certificate_signing_request(
        &self,
        issuer: Issuer<'_>,
        subject: IssuedFor<'_>,
        profile: &CertificateProfile,
    ) -> Result<X509SigningRequest> {
        let issuer = self.issuer_identity(issuer)?;
        let (subject_name, spki) = match subject {
            IssuedFor::SubjectPublicKeyInfo(spki) => {
                (name(&profile.subject, "subject")?, spki_of(spki, "the subject public key")?.to_der())
            }
            IssuedFor::CertificateRequest(csr) => {
                let (verified, requested_subject) = check_csr(csr)?;
                let subject_name = match profile.subject.as_str() {
                    "" => requested_subject,
                    text => name(text, "subject")?,
                };
                (subject_name, Ok(verified.subject_public_key_info.unwrap_or_default()))
            }
        };
        let spki = spki.map_err(|e| invalid("subject public key", e))?;
        self.certificate_signing_request(profile, subject_name, issuer, spki)
    }

    fn certificate_signing_request(
        &self,
        profile: &CertificateProfile,
        subject: Name,
        issuer: IssuerIdentity,
        spki: Vec<u8>,
    ) -> Result<X509SigningRequest> {
        let algorithm = self.x509_signing_algorithm(profile.signing_algorithm)?;
        let serial = match &profile.serial {
            Some(bytes) => serial(bytes, "serial")?,
            None => random_serial()?,
        };
        if profile.not_after < profile.not_before {
            return Err(KmsError::validation(format!(
                "notAfter ({}) is before notBefore ({}): a certificate's validity must not end before it starts",
                profile.not_after, profile.not_before
            )));
        }
        let validity = Validity::new(time(profile.not_before, "notBefore")?, time(profile.not_after, "notAfter")?);
        let mut extensions = vec![extension(&BasicConstraints { ca: profile.ca, path_len_constraint: profile.path_len }, true)?];
        if profile.path_len.is_some() && !profile.ca {
            return Err(KmsError::validation("pathLenConstraint needs cA true (RFC 5280 §4.2.1.9)"));
        }
        let default_usage: Vec<String> = match profile.ca {
            true => vec!["keyCertSign".into(), "cRLSign".into()],
            false => vec!["digitalSignature".into()],
        };
        let usage = if profile.key_usage.is_empty() { &default_usage } else { &profile.key_usage };
        extensions.extend(usage_extensions(usage, &profile.extended_key_usage, &profile.subject_alt_names, profile.subject.is_empty())?);
        extensions.push(extension(&SubjectKeyIdentifier(key_identifier(&spki)?), false)?);
        let authority = AuthorityKeyIdentifier { key_identifier: Some(issuer.key_identifier), ..Default::default() };
        extensions.push(extension(&authority, false)?);
        let profile = KmsProfile { subject, issuer: issuer.name, extensions };
        let subject_spki = spki_of(&spki, "the subject public key")?;
        let mut builder = CertificateBuilder::new(profile, serial, validity, subject_spki).map_err(|e| invalid("certificate", e))?;
        let stand_in =
            KmsSignerStandIn { spki: self.spki_der().to_vec(), algorithm: algorithm::algorithm_identifier(algorithm, self.key_spec())? };
        let tbs = builder.finalize(&stand_in).map_err(|e| invalid("certificate", e))?;
        self.x509_request(X509Kind::Certificate, tbs, algorithm)
    }

    /// The KMS Sign request for a CRL issued by this key (cRLNumber and authorityKeyIdentifier included).
    pub fn crl_signing_request(&self, options: &CrlOptions) -> Result<X509SigningRequest> {
        let algorithm = self.x509_signing_algorithm(options.signing_algorithm)?;
        let revoked = options
            .revoked
            .iter()
            .map(|r| {
                Ok(RevokedCert {
                    serial_number: serial(&r.serial, "revoked serial")?,
                    revocation_date: time(r.revocation_date, "revocationDate")?,
                    crl_entry_extensions: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let number = der::asn1::Uint::new(&options.crl_number).map_err(|e| invalid("cRLNumber", e))?;
        if options.crl_number.len() > 20 {
            return Err(KmsError::validation("cRLNumber must be at most 20 bytes (RFC 5280 §5.2.3)"));
        }
        let issuer = self.issuer_identity(Issuer::of_options(Some(&options.issuer), options.issuer_certificate.as_deref())?)?;
        let authority = AuthorityKeyIdentifier { key_identifier: Some(issuer.key_identifier), ..Default::default() };
        let tbs = TbsCertList::<x509_cert::certificate::Rfc5280> {
            version: x509_cert::Version::V2,
            signature: algorithm::algorithm_identifier(algorithm, self.key_spec())?,
            issuer: issuer.name,
            this_update: time(options.this_update, "thisUpdate")?,
            next_update: options.next_update.map(|t| time(t, "nextUpdate")).transpose()?,
            revoked_certificates: if revoked.is_empty() { None } else { Some(revoked) },
            crl_extensions: Some(vec![extension(&CrlNumber(number), false)?, extension(&authority, false)?]),
        };
        let tbs = tbs.to_der().map_err(|e| invalid("CRL", e))?;
        self.x509_request(X509Kind::Crl, tbs, algorithm)
    }

    /// The signed structure from `pending` and the signature KMS Sign returned for its request (as KMS
    /// returns it: DER for ECDSA and SM2). Verified with this key first: a signature that does not match is
    /// KMSInvalidSignatureException.
    pub fn assemble_x509(&self, pending: &X509Pending, kms_signature: &[u8]) -> Result<X509Assembled> {
        let kind = pending.kind;
        let to_be_signed = AnyRef::from_der(&pending.to_be_signed).map_err(|e| super::malformed(kind, e))?;
        let identifier = algorithm::algorithm_identifier(pending.signing_algorithm, self.key_spec())?;
        let identifier_der = identifier.to_der().map_err(|e| invalid("algorithm identifier", e))?;
        let signed = SignedRef {
            to_be_signed,
            algorithm: spki::AlgorithmIdentifierRef::from_der(&identifier_der).map_err(|e| invalid("algorithm identifier", e))?,
            signature: BitStringRef::from_bytes(kms_signature).map_err(|e| invalid("signature", e))?,
        };
        let der = signed.to_der().map_err(|e| super::malformed(kind, e))?;
        let verified = self.verify_x509_or_error(&der, kind)?;
        if verified.signing_algorithm != pending.signing_algorithm {
            return Err(KmsError::validation("the pending value's algorithm differs from its to-be-signed part's"));
        }
        Ok(X509Assembled { pem: pem_of(&der, kind)?, der, verified })
    }
}

/// Whom an issued certificate is for.
#[derive(Clone, Copy, Debug)]
pub enum IssuedFor<'a> {
    /// A PKCS#10 CSR (PEM or DER), whose own signature is checked with its own key.
    CertificateRequest(&'a [u8]),
    /// A DER SubjectPublicKeyInfo.
    SubjectPublicKeyInfo(&'a [u8]),
}

/// The CSR's own signature, checked with the CSR's own key loaded as a KMS key of its spec that lists every
/// algorithm of the spec (the CSR is the requester's, not KMS's). Also its subject Name as encoded.
fn check_csr(csr: &[u8]) -> Result<(VerifiedX509, Name)> {
    let der = super::der_of(csr, X509Kind::CertificateRequest)?;
    let request = CertReq::from_der(&der).map_err(|e| super::malformed(X509Kind::CertificateRequest, e))?;
    let spki = request.info.public_key.to_der().map_err(|e| invalid("the CSR's public key", e))?;
    let Some(spec) = KmsPublicKey::detect_key_spec(&spki)? else {
        return Err(KmsError::validation(
            "the CSR's public key is of no KMS key spec, so its signature cannot be checked here: give the SubjectPublicKeyInfo instead",
        ));
    };
    let requester = KmsPublicKey::from_public_key(
        &spki,
        GetPublicKeyOutput {
            key_spec: Some(spec.as_str().into()),
            key_usage: Some(KeyUsage::SignVerify.as_str().into()),
            signing_algorithms: Some(spec.rule().signing.iter().map(|a| a.as_str().to_owned()).collect()),
            ..Default::default()
        },
    )?;
    let verified = requester.verify_x509(&der, X509Kind::CertificateRequest)?;
    if !verified.signature_valid {
        return Err(KmsError::validation("the CSR's signature does not verify with the CSR's own public key: it is not a valid request"));
    }
    Ok((verified, request.info.subject))
}
