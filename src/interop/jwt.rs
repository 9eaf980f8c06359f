//! Minimal JWT claim checks (RFC 7519 §4.1) after the JWS signature verified: `exp` and `nbf` against a
//! clock with a tolerance, and `iss` and `aud` against what the caller expects. A failed check is a
//! ValidationException whose message starts with `JWTClaimValidationFailed (<claim>)`, so it is told
//! apart from a malformed token and from a bad signature (KMSInvalidSignatureException).

use super::jws::VerifiedJws;
use super::strict_json;
use crate::error::{KmsError, Result};
use crate::key::KmsPublicKey;
use serde_json::{Map, Value};

/// The message prefix of every claim failure.
pub const CLAIM_FAILED: &str = "JWTClaimValidationFailed";

/// What to check in the claims. Every check is opt-in: the default checks nothing but the signature
/// and that the payload is a JSON object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JwtValidation {
    /// Seconds since the Unix epoch. When set, `exp` and `nbf` are checked if present. (The core has no
    /// clock of its own: on wasm32-unknown-unknown there is none; the JS binding passes `Date.now()`.)
    pub now: Option<i64>,
    /// Allowed clock skew in seconds for `exp` and `nbf`.
    pub clock_tolerance: u32,
    /// When set, `iss` must be present and one of these.
    pub issuer: Option<Vec<String>>,
    /// When set, `aud` (a string or an array) must be present and contain one of these.
    pub audience: Option<Vec<String>>,
    /// When true, `exp` must be present.
    pub require_exp: bool,
}

/// A JWT whose signature verified and whose requested claims passed.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedJwt {
    pub jws: VerifiedJws,
    pub claims: Map<String, Value>,
}

fn failed(claim: &str, why: String) -> KmsError {
    KmsError::validation(format!("{CLAIM_FAILED} ({claim}): {why}"))
}

/// The claim a ValidationException from [`KmsPublicKey::verify_jwt`] is about, if it is a claim failure.
pub fn failed_claim(error: &KmsError) -> Option<&str> {
    let rest = error.message().strip_prefix(CLAIM_FAILED)?.strip_prefix(" (")?;
    rest.split_once(')').map(|(claim, _)| claim)
}

/// A NumericDate claim (RFC 7519 §2): a JSON number of seconds, fractions allowed.
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<f64>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n.as_f64().map(Some).ok_or_else(|| failed(name, format!("\"{name}\" is not a usable number"))),
        Some(_) => Err(failed(name, format!("\"{name}\" must be a NumericDate (a number of seconds)"))),
    }
}

fn check_one_of(claims: &Map<String, Value>, name: &str, allowed: &[String]) -> Result<()> {
    let values: Vec<&str> = match claims.get(name) {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) if name == "aud" => many.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err(failed(name, format!("\"{name}\" has the wrong type"))),
        None => return Err(failed(name, format!("\"{name}\" is missing and is required"))),
    };
    if values.iter().any(|v| allowed.iter().any(|a| a == v)) {
        return Ok(());
    }
    Err(failed(
        name,
        format!("\"{name}\" is {} but {} expected", crate::spec::printable(&values.join(", ")), crate::spec::printable(&allowed.join(" or "))),
    ))
}

/// Applies `validation` to a claims set.
pub fn check_claims(claims: &Map<String, Value>, validation: &JwtValidation) -> Result<()> {
    let exp = numeric_date(claims, "exp")?;
    let nbf = numeric_date(claims, "nbf")?;
    if validation.require_exp && exp.is_none() {
        return Err(failed("exp", "\"exp\" is missing and is required".into()));
    }
    if let Some(now) = validation.now {
        let (now, tolerance) = (now as f64, f64::from(validation.clock_tolerance));
        if let Some(exp) = exp.filter(|exp| now >= exp + tolerance) {
            return Err(failed("exp", format!("the token expired at {exp} and now is {now} (clock tolerance {tolerance} s)")));
        }
        if let Some(nbf) = nbf.filter(|nbf| now + tolerance < *nbf) {
            return Err(failed("nbf", format!("the token is not valid before {nbf} and now is {now} (clock tolerance {tolerance} s)")));
        }
    }
    if let Some(issuer) = &validation.issuer {
        check_one_of(claims, "iss", issuer)?;
    }
    if let Some(audience) = &validation.audience {
        check_one_of(claims, "aud", audience)?;
    }
    Ok(())
}

impl KmsPublicKey {
    /// Verifies a JWT signed by this key (see [`verify_jws_or_error`](Self::verify_jws_or_error)), then
    /// its claims. The payload must be a JSON object.
    pub fn verify_jwt(&self, token: &str, validation: &JwtValidation) -> Result<VerifiedJwt> {
        let jws = self.verify_jws_or_error(token)?;
        let claims = strict_json::object(&jws.payload, "JWT payload (claims set)")?;
        check_claims(&claims, validation)?;
        Ok(VerifiedJwt { jws, claims })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(json: &str) -> Map<String, Value> {
        strict_json::object(json.as_bytes(), "x").unwrap()
    }

    #[test]
    fn time_claims_with_tolerance() {
        let c = claims(r#"{"exp":1000,"nbf":900}"#);
        let at = |now, tol| check_claims(&c, &JwtValidation { now: Some(now), clock_tolerance: tol, ..Default::default() });
        assert!(at(950, 0).is_ok());
        assert_eq!(failed_claim(&at(1000, 0).unwrap_err()), Some("exp"));
        assert!(at(1000, 5).is_ok());
        assert_eq!(failed_claim(&at(899, 0).unwrap_err()), Some("nbf"));
        assert!(at(899, 1).is_ok());
        assert!(check_claims(&c, &JwtValidation::default()).is_ok());
    }

    #[test]
    fn issuer_and_audience() {
        let c = claims(r#"{"iss":"a","aud":["x","y"]}"#);
        let v = |iss: &[&str], aud: &[&str]| JwtValidation {
            issuer: Some(iss.iter().map(|s| s.to_string()).collect()),
            audience: Some(aud.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        };
        assert!(check_claims(&c, &v(&["a"], &["y"])).is_ok());
        assert_eq!(failed_claim(&check_claims(&c, &v(&["b"], &["y"])).unwrap_err()), Some("iss"));
        assert_eq!(failed_claim(&check_claims(&c, &v(&["a"], &["z"])).unwrap_err()), Some("aud"));
        assert_eq!(failed_claim(&check_claims(&claims("{}"), &v(&["a"], &["z"])).unwrap_err()), Some("iss"));
    }
}
