//! Verify a certificate, CSR or CRL whose signer is the KMS key, as KMS Verify would decide on the
//! request a KMS signer must have sent, and return what the structure says.

use super::dn::to_rfc4514;
use super::message::kms_message;
use super::{SignedRef, X509Kind, algorithm, der_of, malformed, malformed_part};
use crate::encoding::encode_hex;
use crate::error::{ErrorKind, KmsError, Result};
use crate::key::KmsPublicKey;
use crate::spec::{KeyUsage, MessageType, SigningAlgorithm};
use crate::verify::VerifyRequest;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::request::CertReq;
use x509_cert::time::Time;

/// What a verified certificate, CSR or CRL says, and whether the KMS key signed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedX509 {
    pub kind: X509Kind,
    /// RFC 4514 string (certificate, CSR).
    pub subject: Option<String>,
    /// RFC 4514 string (certificate, CRL).
    pub issuer: Option<String>,
    /// The serial number's DER content octets in lowercase hex (certificate).
    pub serial: Option<String>,
    /// ISO 8601, UTC (certificate).
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    /// ISO 8601, UTC (CRL).
    pub this_update: Option<String>,
    pub next_update: Option<String>,
    /// The revoked serial numbers in hex (CRL).
    pub revoked_serials: Vec<String>,
    /// The KMS algorithm and message type a KMS signer used.
    pub signing_algorithm: SigningAlgorithm,
    pub message_type: MessageType,
    pub signature_valid: bool,
    /// The certificate or CSR is for this very KMS key (its SubjectPublicKeyInfo is the key's); false for a CRL.
    pub certifies_this_key: bool,
    /// The subject's SubjectPublicKeyInfo DER (certificate, CSR).
    pub subject_public_key_info: Option<Vec<u8>>,
}

fn iso(time: &Time) -> String {
    time.to_string()
}

/// The essentials of `der`, parsed with x509-cert (every field must be well-formed DER).
fn essentials(der: &[u8], kind: X509Kind, key_spki: &[u8]) -> Result<VerifiedX509> {
    let mut out = VerifiedX509 {
        kind,
        subject: None,
        issuer: None,
        serial: None,
        not_before: None,
        not_after: None,
        this_update: None,
        next_update: None,
        revoked_serials: Vec::new(),
        signing_algorithm: SigningAlgorithm::EcdsaSha256,
        message_type: MessageType::Raw,
        signature_valid: false,
        certifies_this_key: false,
        subject_public_key_info: None,
    };
    let inner_differs = || {
        let error = KmsError::validation(format!(
            "the {}'s signatureAlgorithm differs from the signature field inside what is signed (RFC 5280 §4.1.1.2 and §5.1.1.2: they must be identical)",
            kind.noun()
        ));
        malformed_part(error, kind, "algorithm-mismatch")
    };
    let spki = match kind {
        X509Kind::Certificate => {
            let cert = Certificate::from_der(der).map_err(|e| malformed(kind, e))?;
            let tbs = cert.tbs_certificate();
            if tbs.signature() != cert.signature_algorithm() {
                return Err(inner_differs());
            }
            out.subject = Some(to_rfc4514(tbs.subject()));
            out.issuer = Some(to_rfc4514(tbs.issuer()));
            out.serial = Some(encode_hex(tbs.serial_number().as_bytes()));
            out.not_before = Some(iso(&tbs.validity().not_before));
            out.not_after = Some(iso(&tbs.validity().not_after));
            tbs.subject_public_key_info().to_der()
        }
        X509Kind::CertificateRequest => {
            let request = CertReq::from_der(der).map_err(|e| malformed(kind, e))?;
            out.subject = Some(to_rfc4514(&request.info.subject));
            request.info.public_key.to_der()
        }
        X509Kind::Crl => {
            let crl = CertificateList::<x509_cert::certificate::Rfc5280>::from_der(der).map_err(|e| malformed(kind, e))?;
            let tbs = &crl.tbs_cert_list;
            if tbs.signature != crl.signature_algorithm {
                return Err(inner_differs());
            }
            out.issuer = Some(to_rfc4514(&tbs.issuer));
            out.this_update = Some(iso(&tbs.this_update));
            out.next_update = tbs.next_update.as_ref().map(iso);
            out.revoked_serials = tbs.revoked_certificates.iter().flatten().map(|r| encode_hex(r.serial_number.as_bytes())).collect();
            return Ok(out);
        }
    };
    let spki = spki.map_err(|e| malformed(kind, e))?;
    out.certifies_this_key = spki == key_spki;
    out.subject_public_key_info = Some(spki);
    Ok(out)
}

impl KmsPublicKey {
    /// Verifies a certificate, CSR or CRL (PEM or DER) signed by this key: `signature_valid` is false for a
    /// signature that does not match; an error for a structure that is malformed (ValidationException) or a
    /// signature KMS could not have made with this key (InvalidKeyUsageException, ValidationException).
    pub fn verify_x509(&self, input: &[u8], kind: X509Kind) -> Result<VerifiedX509> {
        let der = der_of(input, kind)?;
        let signed = SignedRef::from_der(&der).map_err(|e| malformed(kind, e))?;
        let mut verified = essentials(&der, kind, self.spki_der())?;
        let algorithm = algorithm::identify(&signed.algorithm, self.key_spec())?;
        // KMS's key rules before anything that depends on the key's family.
        self.require_usage(KeyUsage::SignVerify, "Verify")?;
        self.require_algorithm(algorithm, self.key_spec().rule().signing, &self.metadata().signing_algorithms)?;
        let tbs = signed.to_be_signed.to_der().map_err(|e| malformed(kind, e))?;
        let (message_type, message) = kms_message(self, algorithm, &tbs, kind)?;
        let signature = signed.signature.as_bytes().ok_or_else(|| {
            let error = KmsError::validation(format!("the {}'s signature BIT STRING has unused bits: no KMS signature does", kind.noun()));
            malformed_part(error, kind, "unused-bits")
        })?;
        verified.signature_valid =
            self.verify(&VerifyRequest { message: &message, signature, signing_algorithm: algorithm, message_type })?;
        verified.signing_algorithm = algorithm;
        verified.message_type = message_type;
        Ok(verified)
    }

    /// [`verify_x509`](Self::verify_x509) where a signature that does not match is KMSInvalidSignatureException.
    pub fn verify_x509_or_error(&self, input: &[u8], kind: X509Kind) -> Result<VerifiedX509> {
        let verified = self.verify_x509(input, kind)?;
        if verified.signature_valid {
            return Ok(verified);
        }
        Err(KmsError::new(
            ErrorKind::InvalidSignature,
            format!(
                "Signature verification failed: the {}'s {} signature was not made by this key over its to-be-signed part (MessageType {})",
                kind.noun(),
                verified.signing_algorithm,
                verified.message_type
            ),
        ))
    }

    /// A certificate signed by this key (its issuer's key): see [`verify_x509`](Self::verify_x509).
    pub fn verify_certificate(&self, input: &[u8]) -> Result<VerifiedX509> {
        self.verify_x509(input, X509Kind::Certificate)
    }

    /// A PKCS#10 CSR signed by this key (a CSR for this key itself).
    pub fn verify_certificate_request(&self, input: &[u8]) -> Result<VerifiedX509> {
        self.verify_x509(input, X509Kind::CertificateRequest)
    }

    /// A CRL signed by this key.
    pub fn verify_crl(&self, input: &[u8]) -> Result<VerifiedX509> {
        self.verify_x509(input, X509Kind::Crl)
    }
}
