//! X.509 certificates, certificate requests (PKCS#10 CSRs) and CRLs signed by a KMS key, in both
//! directions (Cargo feature `x509`):
//!
//! - verify ([`KmsPublicKey::verify_certificate`](crate::KmsPublicKey::verify_certificate), [`KmsPublicKey::verify_certificate_request`](crate::KmsPublicKey::verify_certificate_request),
//!   [`KmsPublicKey::verify_crl`](crate::KmsPublicKey::verify_crl)): the signatureAlgorithm is mapped to the KMS SigningAlgorithm that must
//!   have signed it ([`algorithm`]), the to-be-signed bytes go through KMS Verify's rules and check exactly as
//!   a KMS signer must have sent them (RAW up to 4096 bytes, else DIGEST, or EXTERNAL_MU for ML-DSA), and the
//!   decoded essentials come back ([`VerifiedX509`]);
//! - build ([`build`]): the KMS `Sign` request for a CSR, a self-signed certificate, a certificate issued by
//!   the KMS key, or a CRL, and the assembly of the signed DER/PEM from the signature KMS returns.
//!
//! Parsing is RustCrypto's `x509-cert` / `der`; nothing here reads ASN.1 by hand.

pub mod algorithm;
pub mod build;
mod dn;
mod message;
mod verify;

pub use build::{
    CertificateProfile, CertificateRequestOptions, CrlOptions, IssuedFor, Issuer, RevokedCertificate, SubjectAltNames, X509Assembled,
    X509Pending, X509SigningRequest,
};
pub use verify::VerifiedX509;

use crate::error::{KmsError, Result, Rule};
use der::asn1::{AnyRef, BitStringRef};
use spki::AlgorithmIdentifierRef;

/// What is signed: the three signed structures of RFC 5280 / RFC 2986, each SEQUENCE { toBeSigned,
/// signatureAlgorithm, signature }.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum X509Kind {
    Certificate,
    CertificateRequest,
    Crl,
}

impl X509Kind {
    /// The name used in results and the JS binding: `certificate`, `certificateRequest`, `crl`.
    pub const fn as_str(self) -> &'static str {
        match self {
            X509Kind::Certificate => "certificate",
            X509Kind::CertificateRequest => "certificateRequest",
            X509Kind::Crl => "crl",
        }
    }

    /// How errors name it.
    pub const fn noun(self) -> &'static str {
        match self {
            X509Kind::Certificate => "X.509 certificate",
            X509Kind::CertificateRequest => "PKCS#10 certificate request",
            X509Kind::Crl => "X.509 CRL",
        }
    }

    /// PEM labels accepted (RFC 7468 §5, §7, §6; `NEW CERTIFICATE REQUEST` is what older tools write).
    const fn pem_labels(self) -> &'static [&'static str] {
        match self {
            X509Kind::Certificate => &["CERTIFICATE"],
            X509Kind::CertificateRequest => &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"],
            X509Kind::Crl => &["X509 CRL"],
        }
    }

    /// The label written.
    pub const fn pem_label(self) -> &'static str {
        self.pem_labels()[0]
    }

    pub fn parse(text: &str) -> Result<Self> {
        [X509Kind::Certificate, X509Kind::CertificateRequest, X509Kind::Crl]
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| KmsError::input(format!("X.509 kind '{text}' is not one of certificate, certificateRequest, crl")))
    }
}

/// The envelope the three share, with the to-be-signed part kept as its original bytes.
#[derive(der::Sequence)]
pub(crate) struct SignedRef<'a> {
    pub to_be_signed: AnyRef<'a>,
    pub algorithm: AlgorithmIdentifierRef<'a>,
    pub signature: BitStringRef<'a>,
}

/// The DER of `input`: PEM with one of `kind`'s labels, or DER as it is.
pub(crate) fn der_of(input: &[u8], kind: X509Kind) -> Result<Vec<u8>> {
    let trimmed = input.trim_ascii_start();
    if !trimmed.starts_with(b"-----BEGIN ") {
        return Ok(input.to_vec());
    }
    let (label, der) = der::pem::decode_vec(input.trim_ascii())
        .map_err(|e| malformed_part(KmsError::validation(format!("{} PEM cannot be decoded: {e}", kind.noun())), kind, "pem"))?;
    if !kind.pem_labels().contains(&label) {
        return Err(KmsError::validation(format!(
            "PEM label is \"{label}\": a {} is \"-----BEGIN {}-----\"",
            kind.noun(),
            kind.pem_label()
        ))
        .rule_code(Rule::MalformedX509)
        .param("kind", kind.as_str())
        .param("part", "pem-label")
        .param("value", label));
    }
    Ok(der)
}

/// PEM text for `der`.
pub(crate) fn pem_of(der: &[u8], kind: X509Kind) -> Result<String> {
    der::pem::encode_string(kind.pem_label(), der::pem::LineEnding::LF, der)
        .map_err(|e| KmsError::validation(format!("{} cannot be written as PEM: {e}", kind.noun())))
}

pub(crate) fn malformed(kind: X509Kind, e: impl core::fmt::Display) -> KmsError {
    malformed_part(KmsError::validation(format!("not a DER {}: {e}", kind.noun())), kind, "der")
}

/// `error` with the malformed-x509 code: which `kind` of structure, which `part` of it is wrong.
pub(crate) fn malformed_part(error: KmsError, kind: X509Kind, part: &'static str) -> KmsError {
    error.rule_code(Rule::MalformedX509).param("kind", kind.as_str()).param("part", part)
}
