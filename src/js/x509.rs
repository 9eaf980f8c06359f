//! The wasm-bindgen layer of `crate::x509`: certificates, CSRs and CRLs. It converts JS values and
//! nothing else; every rule is in the core.

use super::read::{self, member, required, string_list_member, string_member, validation};
use super::{JsKmsPublicKey, JsResult, bytes_value, key_id_value, response, sign_request_value, to_js_error};
use crate::encoding::{decode_base64, encode_base64};
use crate::spec::SigningAlgorithm;
use crate::string_rules;
use crate::x509::{
    CertificateProfile, CertificateRequestOptions, CrlOptions, IssuedFor, Issuer, RevokedCertificate, SubjectAltNames, VerifiedX509,
    X509Kind, X509Pending, X509SigningRequest,
};
use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_X509_TYPES: &str = r#"
/** A certificate, CSR or CRL: PEM text, DER bytes, or base64 DER text. */
export type X509Input = string | Uint8Array;

/** What verifyCertificate, verifyCertificateRequest and verifyCrl return. */
export interface VerifiedX509 {
  Kind: "certificate" | "certificateRequest" | "crl";
  /** RFC 4514 (certificate, CSR). */
  Subject?: string;
  /** RFC 4514 (certificate, CRL). */
  Issuer?: string;
  /** Lowercase hex (certificate). */
  SerialNumber?: string;
  /** ISO 8601 UTC (certificate). */
  NotBefore?: string;
  NotAfter?: string;
  /** ISO 8601 UTC (CRL). */
  ThisUpdate?: string;
  NextUpdate?: string;
  /** Hex serial numbers (CRL). */
  RevokedSerialNumbers?: string[];
  /** The KMS SigningAlgorithm and MessageType a KMS signer used. */
  SigningAlgorithm: string;
  MessageType: "RAW" | "DIGEST" | "EXTERNAL_MU";
  SignatureValid: boolean;
  /** The certificate or CSR is for this very KMS key (its SubjectPublicKeyInfo is the key's). */
  CertifiesThisKey: boolean;
  KeyId: string | undefined;
}

export interface SubjectAltNames { Dns?: string[]; Email?: string[]; Uri?: string[]; Ip?: string[]; }

export interface CertificateRequestParams {
  /** RFC 4514, e.g. "CN=signer,O=Example". */
  Subject: string;
  SubjectAltNames?: SubjectAltNames;
  /** RFC 5280 names: digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly. */
  KeyUsage?: string[];
  /** serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning, or dotted OIDs. */
  ExtendedKeyUsage?: string[];
  /** Default: the key's first listed algorithm X.509 can name. */
  SigningAlgorithm?: string;
}

export interface CertificateParams extends CertificateRequestParams {
  /** Hex or bytes, positive, at most 20 bytes; default 16 random bytes. */
  SerialNumber?: string | Uint8Array;
  /** Seconds since the epoch or a Date; default now, and NotBefore + 365 days. */
  NotBefore?: number | Date;
  NotAfter?: number | Date;
  /** basicConstraints cA (default false) and pathLenConstraint. KeyUsage defaults to keyCertSign + cRLSign for a CA, digitalSignature otherwise. */
  Ca?: boolean;
  PathLength?: number;
}

export interface IssuedCertificateParams extends Partial<CertificateParams> {
  /** The KMS key's own CA certificate: its subject is copied byte for byte (RFC 5280 §7.1) and its
   *  subjectKeyIdentifier becomes the authorityKeyIdentifier. It must certify this KMS key. */
  IssuerCertificate?: X509Input;
  /** Or, for a CA without a certificate, its subject as RFC 4514 text (re-encoded: a PrintableString name
   *  comes back as UTF8String). Not with IssuerCertificate. */
  Issuer?: string;
  /** The requester's CSR (its signature is checked with its own key first); Subject defaults to the CSR's. */
  CertificateRequest?: X509Input;
  /** Or the requester's DER SubjectPublicKeyInfo (bytes, or base64), with Subject. */
  SubjectPublicKeyInfo?: X509Input;
}

export interface CrlParams {
  /** The KMS key's own CA certificate (its subject copied as encoded), as for issuedCertificateSigningRequest. */
  IssuerCertificate?: X509Input;
  /** Or the subject of the KMS key's CA certificate as RFC 4514 text. Not with IssuerCertificate. */
  Issuer?: string;
  ThisUpdate?: number | Date;
  NextUpdate?: number | Date;
  /** cRLNumber, a non-negative integer (default 1). */
  CrlNumber?: number;
  Revoked?: { SerialNumber: string | Uint8Array; RevocationDate: number | Date }[];
  SigningAlgorithm?: string;
}

/** Keep it (it is plain JSON) and give it back to assembleX509 with KMS's Signature. */
export interface X509Pending {
  Kind: "certificate" | "certificateRequest" | "crl";
  /** base64 DER of the to-be-signed part. */
  ToBeSigned: string;
  SigningAlgorithm: string;
}

export interface X509SigningRequest {
  /** Send as is: `kms.send(new SignCommand(SignRequest))`. */
  SignRequest: { KeyId: string | undefined; Message: Uint8Array; MessageType: string; SigningAlgorithm: string };
  Pending: X509Pending;
}

export interface X509Assembled {
  Der: Uint8Array;
  Pem: string;
  Verified: VerifiedX509;
}
"#;

/// PEM text or DER bytes as they are; other text is base64 DER.
fn x509_input(value: &JsValue, what: &str) -> JsResult<Vec<u8>> {
    if let Some(text) = read::text(value, what)? {
        if text.trim_start().starts_with("-----BEGIN ") {
            return Ok(text.into_bytes());
        }
        return crate::encoding::bytes_of_string(&text, what, &crate::encoding::StringRule::Base64, None, None).map_err(to_js_error);
    }
    read::bytes(value, what, Some(read::MAX_MEMBER_BYTES))?
        .ok_or_else(|| validation(format!("{what} must be PEM text, DER bytes (a Uint8Array) or base64 DER text")))
}

/// `IssuerCertificate`: the KMS key's CA certificate, PEM, DER bytes or base64 DER.
fn issuer_certificate_member(params: &JsValue) -> JsResult<Option<Vec<u8>>> {
    member(params, "IssuerCertificate")?.map(|v| x509_input(&v, "IssuerCertificate")).transpose()
}

fn no_issuer(method: &str) -> JsValue {
    validation(format!(
        "{method} needs IssuerCertificate (the KMS key's own CA certificate) or, for a CA without one, Issuer (its subject)"
    ))
}

fn optional(value: Option<String>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

fn verified_value(verified: &VerifiedX509, key_id: Option<&str>) -> JsValue {
    let revoked = match verified.kind {
        X509Kind::Crl => verified.revoked_serials.iter().map(JsValue::from).collect::<Array>().into(),
        _ => JsValue::UNDEFINED,
    };
    response(&[
        ("Kind", verified.kind.as_str().into()),
        ("Subject", optional(verified.subject.clone())),
        ("Issuer", optional(verified.issuer.clone())),
        ("SerialNumber", optional(verified.serial.clone())),
        ("NotBefore", optional(verified.not_before.clone())),
        ("NotAfter", optional(verified.not_after.clone())),
        ("ThisUpdate", optional(verified.this_update.clone())),
        ("NextUpdate", optional(verified.next_update.clone())),
        ("RevokedSerialNumbers", revoked),
        ("SigningAlgorithm", verified.signing_algorithm.as_str().into()),
        ("MessageType", verified.message_type.as_str().into()),
        ("SignatureValid", verified.signature_valid.into()),
        ("CertifiesThisKey", verified.certifies_this_key.into()),
        ("KeyId", key_id_value(key_id.map(str::to_owned))),
    ])
}

fn signing_request_value(request: &X509SigningRequest) -> JsValue {
    let sign = sign_request_value(request.key_id.as_deref(), &request.message, request.message_type, request.signing_algorithm);
    let pending = response(&[
        ("Kind", request.pending.kind.as_str().into()),
        ("ToBeSigned", encode_base64(&request.pending.to_be_signed).into()),
        ("SigningAlgorithm", request.pending.signing_algorithm.as_str().into()),
    ]);
    response(&[("SignRequest", sign), ("Pending", pending)])
}

fn params_object(params: &JsValue, method: &str, shape: &str) -> JsResult<()> {
    if params.is_object() { Ok(()) } else { Err(validation(format!("{method} takes {shape}"))) }
}

fn signing_algorithm_member(params: &JsValue) -> JsResult<Option<SigningAlgorithm>> {
    string_member(params, "SigningAlgorithm")?.map(|a| SigningAlgorithm::parse(&a, "SigningAlgorithm")).transpose().map_err(to_js_error)
}

fn strings(params: &JsValue, name: &'static str) -> JsResult<Vec<String>> {
    Ok(string_list_member(params, name, false)?.unwrap_or_default())
}

fn alt_names(params: &JsValue) -> JsResult<SubjectAltNames> {
    let Some(names) = member(params, "SubjectAltNames")? else { return Ok(SubjectAltNames::default()) };
    params_object(&names, "SubjectAltNames", "{ Dns?, Email?, Uri?, Ip? } (arrays of strings)")?;
    Ok(SubjectAltNames {
        dns: strings(&names, "Dns")?,
        email: strings(&names, "Email")?,
        uri: strings(&names, "Uri")?,
        ip: strings(&names, "Ip")?,
    })
}

fn whole_seconds(value: &JsValue, what: &str) -> JsResult<u64> {
    let seconds = read::seconds(value, what)?;
    if !(0.0..=253_402_300_799.0).contains(&seconds) {
        return Err(validation(format!("{what} must be between 1970 and 9999")));
    }
    Ok(seconds.floor() as u64)
}

fn time_member(params: &JsValue, name: &'static str) -> JsResult<Option<u64>> {
    member(params, name)?.map(|v| whole_seconds(&v, name)).transpose()
}

fn now() -> u64 {
    (js_sys::Date::now() / 1000.0).floor() as u64
}

/// Hex text, as verify returns serial numbers (an optional `0x`, `:` between bytes allowed).
fn hex_serial(text: &str, what: &str) -> JsResult<Vec<u8>> {
    let digits: String = text.trim().trim_start_matches("0x").chars().filter(|c| *c != ':').collect();
    let bad = || validation(format!("{what} \"{text}\" must be hex (an even number of 0-9 a-f digits) or a Uint8Array"));
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..digits.len()).step_by(2).map(|i| digits.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()).ok_or_else(bad)).collect()
}

/// A serial number: hex text or bytes.
fn serial_value(value: &JsValue, what: &str) -> JsResult<Vec<u8>> {
    if let Some(text) = read::text(value, what)? {
        return hex_serial(&text, what);
    }
    read::bytes(value, what, Some(21))?.ok_or_else(|| validation(format!("{what} must be hex text or a Uint8Array")))
}

fn request_options(params: &JsValue) -> JsResult<CertificateRequestOptions> {
    Ok(CertificateRequestOptions {
        subject: string_member(params, "Subject")?.unwrap_or_default(),
        subject_alt_names: alt_names(params)?,
        key_usage: strings(params, "KeyUsage")?,
        extended_key_usage: strings(params, "ExtendedKeyUsage")?,
        signing_algorithm: signing_algorithm_member(params)?,
    })
}

fn certificate_profile(params: &JsValue) -> JsResult<CertificateProfile> {
    let request = request_options(params)?;
    let not_before = time_member(params, "NotBefore")?.unwrap_or_else(now);
    let path_len = match member(params, "PathLength")? {
        None => None,
        Some(v) => Some(
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..=255.0).contains(n))
                .ok_or_else(|| validation("PathLength must be a whole number 0 to 255".into()))? as u8,
        ),
    };
    Ok(CertificateProfile {
        subject: request.subject,
        serial: member(params, "SerialNumber")?.map(|v| serial_value(&v, "SerialNumber")).transpose()?,
        not_before,
        not_after: time_member(params, "NotAfter")?.unwrap_or(not_before + 365 * 24 * 3600),
        ca: member(params, "Ca")?.is_some_and(|v| v.is_truthy()),
        path_len,
        key_usage: request.key_usage,
        extended_key_usage: request.extended_key_usage,
        subject_alt_names: request.subject_alt_names,
        signing_algorithm: request.signing_algorithm,
    })
}

fn pending_of(value: &JsValue) -> JsResult<X509Pending> {
    params_object(value, "assembleX509", "the Pending object of a signing request { Kind, ToBeSigned, SigningAlgorithm }")?;
    let kind = X509Kind::parse(&string_member(value, "Kind")?.ok_or_else(|| required("Kind"))?).map_err(to_js_error)?;
    let to_be_signed = string_member(value, "ToBeSigned")?.ok_or_else(|| required("ToBeSigned"))?;
    let algorithm = string_member(value, "SigningAlgorithm")?.ok_or_else(|| required("SigningAlgorithm"))?;
    Ok(X509Pending {
        kind,
        to_be_signed: decode_base64(&to_be_signed, "ToBeSigned").map_err(to_js_error)?,
        signing_algorithm: SigningAlgorithm::parse(&algorithm, "SigningAlgorithm").map_err(to_js_error)?,
    })
}

#[wasm_bindgen(js_class = KmsPublicKey)]
impl JsKmsPublicKey {
    fn verify_x509_value(&self, input: &JsValue, kind: X509Kind, or_throw: bool) -> JsResult<JsValue> {
        let bytes = x509_input(input, kind.as_str())?;
        let verified = match or_throw {
            true => self.inner.verify_x509_or_error(&bytes, kind),
            false => self.inner.verify_x509(&bytes, kind),
        }
        .map_err(to_js_error)?;
        Ok(verified_value(&verified, self.inner.key_id()))
    }

    /// Verifies a certificate signed by this key: what it says, with SignatureValid; a certificate KMS
    /// could not have signed with this key, or a malformed one, throws.
    #[wasm_bindgen(js_name = verifyCertificate, unchecked_return_type = "VerifiedX509")]
    pub fn verify_certificate(&self, #[wasm_bindgen(unchecked_param_type = "X509Input")] certificate: JsValue) -> JsResult<JsValue> {
        self.verify_x509_value(&certificate, X509Kind::Certificate, false)
    }

    /// Like verifyCertificate; a signature that does not match throws KMSInvalidSignatureException.
    #[wasm_bindgen(js_name = verifyCertificateOrThrow, unchecked_return_type = "VerifiedX509")]
    pub fn verify_certificate_or_throw(
        &self,
        #[wasm_bindgen(unchecked_param_type = "X509Input")] certificate: JsValue,
    ) -> JsResult<JsValue> {
        self.verify_x509_value(&certificate, X509Kind::Certificate, true)
    }

    /// Verifies a PKCS#10 CSR signed by this key (CertifiesThisKey: it requests a certificate for this key).
    #[wasm_bindgen(js_name = verifyCertificateRequest, unchecked_return_type = "VerifiedX509")]
    pub fn verify_certificate_request(&self, #[wasm_bindgen(unchecked_param_type = "X509Input")] request: JsValue) -> JsResult<JsValue> {
        self.verify_x509_value(&request, X509Kind::CertificateRequest, false)
    }

    #[wasm_bindgen(js_name = verifyCertificateRequestOrThrow, unchecked_return_type = "VerifiedX509")]
    pub fn verify_certificate_request_or_throw(
        &self,
        #[wasm_bindgen(unchecked_param_type = "X509Input")] request: JsValue,
    ) -> JsResult<JsValue> {
        self.verify_x509_value(&request, X509Kind::CertificateRequest, true)
    }

    /// Verifies a CRL signed by this key.
    #[wasm_bindgen(js_name = verifyCrl, unchecked_return_type = "VerifiedX509")]
    pub fn verify_crl(&self, #[wasm_bindgen(unchecked_param_type = "X509Input")] crl: JsValue) -> JsResult<JsValue> {
        self.verify_x509_value(&crl, X509Kind::Crl, false)
    }

    #[wasm_bindgen(js_name = verifyCrlOrThrow, unchecked_return_type = "VerifiedX509")]
    pub fn verify_crl_or_throw(&self, #[wasm_bindgen(unchecked_param_type = "X509Input")] crl: JsValue) -> JsResult<JsValue> {
        self.verify_x509_value(&crl, X509Kind::Crl, true)
    }

    /// The KMS Sign request for a CSR of this key, and the Pending value to assemble it with.
    #[wasm_bindgen(js_name = certificateRequestSigningRequest, unchecked_return_type = "X509SigningRequest")]
    pub fn certificate_request_signing_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CertificateRequestParams")] params: JsValue,
    ) -> JsResult<JsValue> {
        params_object(
            &params,
            "certificateRequestSigningRequest",
            "{ Subject, SubjectAltNames?, KeyUsage?, ExtendedKeyUsage?, SigningAlgorithm? }",
        )?;
        let request = self.inner.certificate_request_signing_request(&request_options(&params)?).map_err(to_js_error)?;
        Ok(signing_request_value(&request))
    }

    /// The KMS Sign request for a self-signed certificate of this key.
    #[wasm_bindgen(js_name = selfSignedCertificateSigningRequest, unchecked_return_type = "X509SigningRequest")]
    pub fn self_signed_certificate_signing_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CertificateParams")] params: JsValue,
    ) -> JsResult<JsValue> {
        params_object(&params, "selfSignedCertificateSigningRequest", "{ Subject, NotBefore?, NotAfter?, Ca?, ... }")?;
        let request = self.inner.self_signed_certificate_signing_request(&certificate_profile(&params)?).map_err(to_js_error)?;
        Ok(signing_request_value(&request))
    }

    /// The KMS Sign request for a certificate this key issues for a CSR (checked first) or an SPKI.
    #[wasm_bindgen(js_name = issuedCertificateSigningRequest, unchecked_return_type = "X509SigningRequest")]
    pub fn issued_certificate_signing_request(
        &self,
        #[wasm_bindgen(unchecked_param_type = "IssuedCertificateParams")] params: JsValue,
    ) -> JsResult<JsValue> {
        params_object(
            &params,
            "issuedCertificateSigningRequest",
            "{ IssuerCertificate or Issuer, CertificateRequest or SubjectPublicKeyInfo, ... }",
        )?;
        let issuer_name = string_member(&params, "Issuer")?;
        let issuer_certificate = issuer_certificate_member(&params)?;
        if issuer_name.is_none() && issuer_certificate.is_none() {
            return Err(no_issuer("issuedCertificateSigningRequest"));
        }
        let issuer = Issuer::of_options(issuer_name.as_deref(), issuer_certificate.as_deref()).map_err(to_js_error)?;
        let profile = certificate_profile(&params)?;
        let csr = member(&params, "CertificateRequest")?.map(|v| x509_input(&v, "CertificateRequest")).transpose()?;
        let spki = member(&params, "SubjectPublicKeyInfo")?.map(|v| x509_input(&v, "SubjectPublicKeyInfo")).transpose()?;
        let subject = match (&csr, &spki) {
            (Some(csr), None) => IssuedFor::CertificateRequest(csr),
            (None, Some(spki)) => IssuedFor::SubjectPublicKeyInfo(spki),
            _ => {
                return Err(validation(
                    "issuedCertificateSigningRequest needs exactly one of CertificateRequest and SubjectPublicKeyInfo".into(),
                ));
            }
        };
        let request = self.inner.issued_certificate_signing_request(issuer, subject, &profile).map_err(to_js_error)?;
        Ok(signing_request_value(&request))
    }

    /// The KMS Sign request for a CRL this key issues.
    #[wasm_bindgen(js_name = crlSigningRequest, unchecked_return_type = "X509SigningRequest")]
    pub fn crl_signing_request(&self, #[wasm_bindgen(unchecked_param_type = "CrlParams")] params: JsValue) -> JsResult<JsValue> {
        params_object(
            &params,
            "crlSigningRequest",
            "{ IssuerCertificate or Issuer, ThisUpdate?, NextUpdate?, CrlNumber?, Revoked?, SigningAlgorithm? }",
        )?;
        let mut revoked = Vec::new();
        if let Some(list) = member(&params, "Revoked")? {
            let entries = read::array_items(&list, "Revoked", 1 << 20)?
                .ok_or_else(|| validation("Revoked must be an array of { SerialNumber, RevocationDate }".into()))?;
            for entry in entries.iter() {
                params_object(&entry, "Revoked", "an array of { SerialNumber, RevocationDate }")?;
                let serial = member(&entry, "SerialNumber")?.ok_or_else(|| required("SerialNumber"))?;
                revoked.push(RevokedCertificate {
                    serial: serial_value(&serial, "SerialNumber")?,
                    revocation_date: time_member(&entry, "RevocationDate")?.ok_or_else(|| required("RevocationDate"))?,
                });
            }
        }
        let crl_number = match member(&params, "CrlNumber")? {
            None => 1u64,
            Some(v) => v
                .as_f64()
                .filter(|n| n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(n))
                .ok_or_else(|| validation("CrlNumber must be a whole number from 0".into()))? as u64,
        };
        let this_update = time_member(&params, "ThisUpdate")?.unwrap_or_else(now);
        let issuer = string_member(&params, "Issuer")?;
        let issuer_certificate = issuer_certificate_member(&params)?;
        if issuer.is_none() && issuer_certificate.is_none() {
            return Err(no_issuer("crlSigningRequest"));
        }
        let options = CrlOptions {
            issuer: issuer.unwrap_or_default(),
            issuer_certificate,
            this_update,
            next_update: time_member(&params, "NextUpdate")?,
            crl_number: crl_number.to_be_bytes().to_vec(),
            revoked,
            signing_algorithm: signing_algorithm_member(&params)?,
        };
        let request = self.inner.crl_signing_request(&options).map_err(to_js_error)?;
        Ok(signing_request_value(&request))
    }

    /// The certificate, CSR or CRL from a Pending value and KMS Sign's Signature (bytes, or the CLI's
    /// base64), verified with this key first: { Der, Pem, Verified }.
    #[wasm_bindgen(js_name = assembleX509, unchecked_return_type = "X509Assembled")]
    pub fn assemble_x509(
        &self,
        #[wasm_bindgen(unchecked_param_type = "X509Pending")] pending: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsBlob")] signature: JsValue,
    ) -> JsResult<JsValue> {
        let pending = pending_of(&pending)?;
        let spec = self.inner.key_spec();
        let rule = string_rules::signature(spec, crate::SignatureFormat::Der, spec.as_str());
        let signature = read::blob_by_rule(&signature, "Signature", &rule, (None, None), Some(read::MAX_MEMBER_BYTES))?;
        let assembled = self.inner.assemble_x509(&pending, &signature).map_err(to_js_error)?;
        Ok(response(&[
            ("Der", bytes_value(&assembled.der)),
            ("Pem", assembled.pem.as_str().into()),
            ("Verified", verified_value(&assembled.verified, self.inner.key_id())),
        ]))
    }
}
