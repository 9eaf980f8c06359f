//! An RSA public key checked when it loads, made into the rsa crate's key on its first synchronous use.
//!
//! Making an `rsa::RsaPublicKey` computes its Montgomery parameters (R² mod n), most of the time an RSA key
//! takes to load in wasm (bench/NOTES.md §9). `verifyAsync` and `encryptAsync` hand the arithmetic to
//! WebCrypto and never need it, so loading only parses and checks the key, exactly as
//! `RsaPublicKey::try_from(pkcs1::RsaPublicKey)` does, and the crate's key is made on the first `verify` or
//! `encrypt` and kept. The tests check that the two accept and refuse the same keys.

use crate::error::{ErrorKind, KmsError, Result};
use rsa::BoxedUint;
use rsa::pkcs1::der::Decode;
use std::sync::OnceLock;

/// The bit length of `n` without its leading zeros. crypto-bigint 0.7.11 deprecated `bits_vartime` for
/// `bit_width_vartime`, which 0.7.10 lacks; this is written with what both have, so a fresh resolution in a
/// dependent project builds without a warning (scripts/fresh-dependent.sh).
fn bit_length(n: &BoxedUint) -> usize {
    (n.bits_precision() - n.leading_zeros()) as usize
}

#[derive(Clone, Debug)]
pub(crate) struct RsaKey {
    n: BoxedUint,
    e: BoxedUint,
    /// n's bit length, counted once at load: counting is constant time over every limb (~1 µs for RSA-2048 in
    /// Chromium), and the key's size is asked at load and on every verify (bench/NOTES.md §25).
    bits: usize,
    key: OnceLock<rsa::RsaPublicKey>,
}

impl RsaKey {
    /// An RSAPublicKey (RFC 8017 A.1.1, DER) with the rsa crate's checks: n of 1024 to 8192 bits, odd, above
    /// e; e odd, 3 to 2^33 - 1.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> core::result::Result<Self, rsa::pkcs1::Error> {
        use rsa::pkcs1::Error::KeyMalformed;
        let parsed = rsa::pkcs1::RsaPublicKeyRef::from_der(der)?;
        // The crate's `uint_from_slice`: a BoxedUint as wide as the encoding.
        let uint = |bytes: &[u8]| {
            let bits = u32::try_from(bytes.len()).map_err(|_| KeyMalformed)? * 8;
            BoxedUint::from_be_slice(bytes, bits).map_err(|_| KeyMalformed)
        };
        let (n, e) = (uint(parsed.modulus.as_bytes())?, uint(parsed.public_exponent.as_bytes())?);
        // `RsaPublicKey::new`'s checks, in its order; each failure is the crate's KeyMalformed.
        let n_bits = bit_length(&n);
        let well_formed = (rsa::RsaPublicKey::MIN_SIZE..=rsa::RsaPublicKey::MAX_SIZE).contains(&n_bits)
            && e < n
            && n.bit_vartime(0) // odd
            && e.bit_vartime(0) // odd
            && e >= BoxedUint::from(rsa::RsaPublicKey::MIN_PUB_EXPONENT)
            && e <= BoxedUint::from(rsa::RsaPublicKey::MAX_PUB_EXPONENT);
        if !well_formed {
            return Err(KeyMalformed);
        }
        Ok(RsaKey { n, e, bits: n_bits, key: OnceLock::new() })
    }

    /// Bits of the modulus.
    pub(crate) fn bits(&self) -> usize {
        self.bits
    }

    /// k, the modulus length in bytes: the length of every signature and ciphertext.
    pub(crate) fn size(&self) -> usize {
        self.bits().div_ceil(8)
    }

    /// Whether `signature` (k bytes, big-endian) is below n. RSAVP1 (RFC 8017 §5.2.2) refuses s >= n; some
    /// WebCrypto implementations (WebKitGTK 2.50's) reduce it modulo n and verify it instead.
    pub(crate) fn below_modulus(&self, signature: &[u8]) -> bool {
        BoxedUint::from_be_slice(signature, self.n.bits_precision()).is_ok_and(|s| s < self.n)
    }

    /// n and e as big-endian bytes without leading zeros (JWK's "n" and "e", RFC 7518 §6.3.1).
    pub(crate) fn n_bytes(&self) -> Box<[u8]> {
        self.n.to_be_bytes_trimmed_vartime()
    }

    pub(crate) fn e_bytes(&self) -> Box<[u8]> {
        self.e.to_be_bytes_trimmed_vartime()
    }

    /// The rsa crate's key, made on first use. It cannot fail: the load ran the crate's own checks.
    pub(crate) fn public(&self) -> Result<&rsa::RsaPublicKey> {
        if let Some(key) = self.key.get() {
            return Ok(key);
        }
        let key = rsa::RsaPublicKey::new(self.n.clone(), self.e.clone()).map_err(|e| {
            KmsError::new(ErrorKind::Internal, format!("the rsa crate refused a key that passed its checks at load: {e}"))
        })?;
        Ok(self.key.get_or_init(|| key))
    }

    /// Whether the crate's key has been made (by a synchronous verify or encrypt). For tests.
    pub(crate) fn is_made(&self) -> bool {
        self.key.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::RsaKey;
    use rsa::pkcs1::DecodeRsaPublicKey;
    use rsa::traits::PublicKeyParts;

    /// DER with a definite length (short or long form), written by hand so that malformed encodings can be made too.
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match body.len() {
            len @ 0..=0x7f => out.push(len as u8),
            len @ 0x80..=0xff => out.extend([0x81, len as u8]),
            len => out.extend([0x82, (len >> 8) as u8, len as u8]),
        }
        out.extend_from_slice(body);
        out
    }

    fn rsa_public_key(n: &[u8], e: &[u8]) -> Vec<u8> {
        tlv(0x30, &[tlv(0x02, n), tlv(0x02, e)].concat())
    }

    /// A positive INTEGER's content bytes: a 0x00 in front when the top bit is set.
    fn positive(bytes: &[u8]) -> Vec<u8> {
        if bytes.first().is_some_and(|b| b & 0x80 != 0) { [&[0][..], bytes].concat() } else { bytes.to_vec() }
    }

    fn modulus(bytes: usize, last: u8) -> Vec<u8> {
        let mut n = vec![0xc5; bytes];
        n[bytes - 1] = last;
        n
    }

    /// Every key here is accepted by both or refused by both; an accepted one gives the crate's n and e and
    /// makes the crate's key.
    #[test]
    fn the_load_checks_accept_exactly_what_the_rsa_crate_accepts() {
        let exponents: Vec<Vec<u8>> = vec![
            vec![0], vec![1], vec![2], vec![3], vec![4], vec![1, 0, 1], vec![1, 0, 0], vec![1, 0, 3],
            vec![1, 0xff, 0xff, 0xff, 0xff], vec![2, 0, 0, 0, 0], vec![2, 0, 0, 0, 1], vec![3, 0, 0, 0, 1], vec![0x7f; 8],
        ];
        let moduli: Vec<Vec<u8>> = vec![
            modulus(127, 0x01), modulus(128, 0x01), modulus(128, 0x02), modulus(256, 0x3b), modulus(256, 0x00),
            modulus(384, 0x11), modulus(512, 0x01), modulus(1024, 0x01), modulus(1025, 0x01), vec![0x00; 256], vec![0x03],
            [&[0x00][..], &modulus(255, 0x01)].concat(), // 2040 bits
            vec![0x80, 0, 0, 1], modulus(128, 0x01).into_iter().map(|b| b & 0x7f).collect(),
        ];
        let mut cases = Vec::new();
        for n in &moduli {
            for e in &exponents {
                cases.push(rsa_public_key(&positive(n), &positive(e)));
            }
            cases.push(rsa_public_key(&positive(n), &positive(n))); // e = n
            cases.push(rsa_public_key(n, &[1, 0, 1])); // a negative n when its top bit is set
            cases.push(rsa_public_key(&[&[0, 0][..], n].concat(), &[1, 0, 1])); // a non-minimal INTEGER
        }
        cases.push(rsa_public_key(&positive(&modulus(256, 0x3b)), &[0xff, 0xff])); // a negative e
        cases.push(vec![]);
        cases.push(vec![0x30, 0x00]);
        cases.push(rsa_public_key(&positive(&modulus(256, 0x3b)), &[1, 0, 1])[..40].to_vec()); // cut short
        cases.push([rsa_public_key(&positive(&modulus(256, 0x3b)), &[1, 0, 1]), vec![0]].concat()); // trailing byte

        let (mut accepted, mut refused) = (0, 0);
        for (i, der) in cases.iter().enumerate() {
            let ours = RsaKey::from_pkcs1_der(der);
            let theirs = rsa::RsaPublicKey::from_pkcs1_der(der);
            assert_eq!(ours.is_ok(), theirs.is_ok(), "case {i}: ours {:?}, the crate's {:?}", ours.as_ref().err(), theirs.as_ref().err());
            if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
                accepted += 1;
                assert!(!ours.is_made());
                assert_eq!((ours.n_bytes(), ours.e_bytes(), ours.size()), (theirs.n_bytes(), theirs.e_bytes(), theirs.size()), "case {i}");
                assert_eq!(ours.public().unwrap(), &theirs, "case {i}");
                assert!(ours.is_made());
            } else {
                refused += 1;
            }
        }
        assert!(accepted >= 20 && refused >= 100, "{accepted} accepted, {refused} refused");
    }
}
