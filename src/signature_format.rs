//! ECDSA and SM2 signature encodings. KMS returns DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
//! (RFC 3279); JOSE (RFC 7518 §3.4) and WebCrypto want IEEE P1363, the fixed-width `r ‖ s` with each half
//! as wide as the group order (32/48/66 bytes). Converting is where hand-written code goes wrong (the sign
//! byte, padding, P-521's 66-byte halves and long-form DER length), so DER is parsed strictly here: one
//! SEQUENCE, no trailing bytes, minimal lengths and integers, positive, and 0 < r, s < n.

//!
//! These are the ECDSA family's formats, so they live in the core: Verify takes either format
//! (`SignatureFormat`), the WebCrypto path hands P1363 to the platform, and `interop` (JOSE, Ethereum,
//! low-S) builds on them.

use crate::error::{KmsError, Result};
use crate::spec::{Curve, KeySpec, KeyType};

/// How the bytes of an ECDSA or SM2DSA signature are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SignatureFormat {
    /// DER `SEQUENCE { r, s }`: what KMS Sign returns and Verify takes.
    #[default]
    Der,
    /// IEEE P1363 `r ‖ s`, each half the width of the group order: JOSE ES*, WebCrypto ECDSA.
    P1363,
}

impl SignatureFormat {
    pub const ALL: &'static [SignatureFormat] = &[SignatureFormat::Der, SignatureFormat::P1363];
    /// [`ALL`](Self::ALL) as the messages list it (a literal: `spec::join` of one more type costs wasm size).
    pub const ALLOWED: &'static str = "DER, P1363";

    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureFormat::Der => "DER",
            SignatureFormat::P1363 => "P1363",
        }
    }

    pub fn parse(text: &str, field: &str) -> Result<Self> {
        Self::ALL.iter().copied().find(|f| f.as_str() == text).ok_or_else(|| {
            KmsError::validation(format!(
                "Value '{}' at '{field}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                crate::spec::printable(text),
                Self::ALLOWED
            ))
        })
    }
}

impl core::fmt::Display for SignatureFormat {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The group order n of `curve`, big-endian, `curve.field_len()` bytes.
pub fn order(curve: Curve) -> &'static [u8] {
    curve.facts().order
}

/// The curve of an ECC key spec; other specs have no ECDSA/SM2 signature to convert.
pub fn curve_of(spec: KeySpec) -> Result<Curve> {
    match spec.rule().key_type {
        KeyType::Ec(curve) => Ok(curve),
        _ => Err(KmsError::validation(format!(
            "KeySpec {spec} has no ECDSA or SM2 signatures: DER and P1363 apply to ECC_NIST_P256/P384/P521, ECC_SECG_P256K1 and SM2"
        ))),
    }
}

fn malformed(curve: Curve, what: &str) -> KmsError {
    KmsError::validation(format!("Signature is not a strict DER ECDSA-Sig-Value for {}: {what}", curve.name()))
}

/// Reads a DER length at `at`: short form, or long form `81 xx` with xx ≥ 0x80 (minimal). Longer
/// forms cannot occur: the largest signature (P-521) is 139 bytes.
fn der_length(der: &[u8], at: usize, curve: Curve) -> Result<(usize, usize)> {
    match der.get(at).copied() {
        Some(len) if len < 0x80 => Ok((len as usize, at + 1)),
        Some(0x81) => match der.get(at + 1).copied() {
            Some(len) if len >= 0x80 => Ok((len as usize, at + 2)),
            Some(_) => Err(malformed(curve, "a long-form length below 128 (DER needs the short form)")),
            None => Err(malformed(curve, "it ends inside a length")),
        },
        Some(_) => Err(malformed(curve, "a length longer than any ECDSA signature")),
        None => Err(malformed(curve, "it ends before a length")),
    }
}

/// One INTEGER at `at`, checked minimal, positive and in 1..n, left-padded to the order's width.
fn der_integer(der: &[u8], at: usize, curve: Curve, name: &str) -> Result<(Vec<u8>, usize)> {
    if der.get(at) != Some(&0x02) {
        return Err(malformed(curve, &format!("{name} is not an INTEGER")));
    }
    let (len, start) = der_length(der, at + 1, curve)?;
    let end = start.checked_add(len).filter(|end| *end <= der.len()).ok_or_else(|| malformed(curve, "it ends inside an INTEGER"))?;
    let content = &der[start..end];
    match content {
        [] => return Err(malformed(curve, &format!("{name} is empty"))),
        [first, ..] if first & 0x80 != 0 => return Err(malformed(curve, &format!("{name} is negative"))),
        [0, second, ..] if second & 0x80 == 0 => {
            return Err(malformed(curve, &format!("{name} has a leading zero byte DER does not allow")));
        }
        _ => {}
    }
    let value = content.strip_prefix(&[0]).unwrap_or(content);
    let fixed = fixed_width(value, curve).ok_or_else(|| malformed(curve, &format!("{name} is wider than the group order")))?;
    check_range(&fixed, curve, name)?;
    Ok((fixed, end))
}

/// `value` (big-endian, no sign byte) left-padded to the order's width, or None when wider.
fn fixed_width(value: &[u8], curve: Curve) -> Option<Vec<u8>> {
    let width = curve.field_len();
    let value = &value[value.iter().take_while(|b| **b == 0).count()..];
    (value.len() <= width).then(|| {
        let mut out = vec![0u8; width - value.len()];
        out.extend_from_slice(value);
        out
    })
}

/// 0 < v < n, for a big-endian value of the order's width.
fn check_range(value: &[u8], curve: Curve, name: &str) -> Result<()> {
    if value.iter().all(|b| *b == 0) {
        return Err(KmsError::validation(format!("Signature {name} is zero: ECDSA needs 0 < {name} < n on {}", curve.name())));
    }
    if value >= order(curve) {
        return Err(KmsError::validation(format!(
            "Signature {name} is not below the group order n of {}: ECDSA needs 0 < {name} < n",
            curve.name()
        )));
    }
    Ok(())
}

/// Strict DER (as KMS returns) to P1363 `r ‖ s` of `2 × width` bytes (64, 96, 132).
pub fn der_to_p1363(der: &[u8], curve: Curve) -> Result<Vec<u8>> {
    if der.first() != Some(&0x30) {
        return Err(malformed(curve, "it does not start with a SEQUENCE (0x30)"));
    }
    let (len, body) = der_length(der, 1, curve)?;
    if body + len != der.len() {
        return Err(malformed(curve, "the SEQUENCE length does not cover exactly the whole signature (trailing or missing bytes)"));
    }
    let (mut out, next) = der_integer(der, body, curve, "r")?;
    let (s, end) = der_integer(der, next, curve, "s")?;
    if end != der.len() {
        return Err(malformed(curve, "bytes follow s inside the SEQUENCE"));
    }
    out.extend_from_slice(&s);
    Ok(out)
}

/// The DER encoding of a non-negative big-endian integer: minimal, with a 0x00 sign byte when needed.
fn push_der_integer(out: &mut Vec<u8>, value: &[u8]) {
    let value = &value[value.iter().take_while(|b| **b == 0).count()..];
    let sign = value.first().is_some_and(|b| b & 0x80 != 0);
    out.push(0x02);
    out.push((value.len() + usize::from(sign)) as u8);
    if sign {
        out.push(0);
    }
    out.extend_from_slice(value);
}

/// The halves r and s of a P1363 signature, checked: exactly `2 × width` bytes, 0 < r, s < n. What
/// WebCrypto reads as is, and what [`p1363_to_der`] converts.
#[inline]
pub fn p1363_halves(p1363: &[u8], curve: Curve) -> Result<(&[u8], &[u8])> {
    let width = curve.field_len();
    if p1363.len() != 2 * width {
        return Err(KmsError::validation(format!(
            "Signature is {} bytes: a P1363 signature on {} is exactly {} bytes (r ‖ s, {width} bytes each)",
            p1363.len(),
            curve.name(),
            2 * width
        )));
    }
    let (r, s) = p1363.split_at(width);
    check_range(r, curve, "r")?;
    check_range(s, curve, "s")?;
    Ok((r, s))
}

/// P1363 `r ‖ s` (exactly `2 × width` bytes, r and s in range) to the DER KMS Verify takes.
pub fn p1363_to_der(p1363: &[u8], curve: Curve) -> Result<Vec<u8>> {
    let (r, s) = p1363_halves(p1363, curve)?;
    let mut body = Vec::with_capacity(p1363.len() + 6);
    push_der_integer(&mut body, r);
    push_der_integer(&mut body, s);
    let mut der = Vec::with_capacity(body.len() + 3);
    der.push(0x30);
    if body.len() >= 0x80 {
        der.push(0x81); // P-521 signatures pass 127 bytes of content: DER's long form
    }
    der.push(body.len() as u8);
    der.extend_from_slice(&body);
    Ok(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowed_formats_are_all_of_them() {
        assert_eq!(SignatureFormat::ALLOWED, crate::spec::join(SignatureFormat::ALL));
    }
    // The orders and their test: src/family/ec.rs (the curve statics).
}
