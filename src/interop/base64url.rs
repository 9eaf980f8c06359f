//! base64url without padding (RFC 7515 §2, RFC 4648 §5), decoded strictly: no padding, no whitespace,
//! no standard-alphabet characters and no non-zero trailing bits, so one value has exactly one encoding.

use crate::error::{KmsError, Result};
use base64ct::{Base64UrlUnpadded, Encoding};

pub fn encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes `text`; `what` names the part in the ValidationException (e.g. "JWS header").
pub fn decode(text: &str, what: &str) -> Result<Vec<u8>> {
    Base64UrlUnpadded::decode_vec(text).map_err(|_| {
        let hint = if text.contains('=') {
            " (it has '=' padding, which JOSE omits)"
        } else if text.contains(['+', '/']) {
            " (it has '+' or '/': that is standard base64, JOSE uses '-' and '_')"
        } else {
            ""
        };
        KmsError::input(format!("{what} is not base64url without padding (RFC 7515 §2){hint}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_decoding() {
        assert_eq!(decode("AQI", "x").unwrap(), [1, 2]);
        assert_eq!(decode("", "x").unwrap(), [] as [u8; 0]);
        for bad in ["AQI=", "AQ+/", "A", "AQJ", " AQI", "AQI\n"] {
            assert_eq!(decode(bad, "x").unwrap_err().name(), "ValidationException", "{bad:?}");
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
    }
}
