//! SM2 (KeySpec SM2, China Regions): Z_A (`id`), SM2DSA verify, SM2PKE encrypt for KMS Decrypt. Its curve's facts are
//! `family::ec::SM2`; ECDH on it is the prime curves' (`family::ec`), through `Material::ecdh`.

mod id;

#[allow(unused)]
use crate::error::{ErrorKind, KmsError, Result};
use crate::spec::MessageType;
use super::comb::CombCache;
pub(crate) use id::z_a;

/// SM2DSA verify of a DER signature: RAW is e = SM3(Z_A ‖ M) with KMS's default ID; DIGEST is the caller's e,
/// made with whatever ID they chose.
pub(super) fn verify(key: &sm2::dsa::VerifyingKey, comb: &CombCache, message_type: MessageType, message: &[u8], signature: &[u8]) -> bool {
    let Ok(sig) = sm2::dsa::Signature::from_der(signature) else { return false };
    super::comb::verify_sm2(key, comb, message_type == MessageType::Raw, message, &sig)
}

#[cfg(feature = "encrypt")]
/// SM2 public-key encryption with SM3 for the KMS key's point P_A, with KMS's encoding.
pub(super) fn pke(key: &sm2::dsa::VerifyingKey, comb: &CombCache, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut rng = crate::random::SecureRng::default();
    let point = key.as_affine();
    pke_with(&mut rng, |k| super::comb::mul_sm2(point, comb, k), plaintext)
        .map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("SM2PKE encryption failed: {e}"))))
}

#[cfg(feature = "encrypt")]
/// SM2 public-key encryption with SM3 (GB/T 32918.4 §6.1, steps A1-A8), encoded as KMS Decrypt requires:
/// DER `SEQUENCE { x INTEGER, y INTEGER, C3 OCTET STRING (32), C2 OCTET STRING }` (GM/T 0009).
///
/// The sm2 crate's `EncryptingKey::encrypt_der` step by step, with two differences that only make it faster:
/// [k]P_A comes from `mul_p_a` (constant time, through the key's table from its second use: src/family/comb.rs), and
/// A3's S = [h]P_A is skipped (h = 1 on SM2, and P_A was checked on the curve when the key loaded). The
/// crate takes k from the RNG the same way, so for one RNG stream the two give the same bytes: the tests
/// check that. The KDF and the DER writer are here because the crate's are not reachable from outside: its
/// `kdf` is private and its `Cipher` is only made by parsing, which would multiply C1 by h again.
pub(crate) fn pke_with<R: rand_core::TryCryptoRng>(
    rng: &mut R,
    mul_p_a: impl Fn(&sm2::Scalar) -> sm2::ProjectivePoint,
    plaintext: &[u8],
) -> core::result::Result<Vec<u8>, &'static str> {
    use elliptic_curve::group::Group as _;
    use elliptic_curve::sec1::ToSec1Point;
    use sm3::Digest;
    use spki::der::asn1::{OctetStringRef, UintRef};
    use spki::der::{Encode, Header, Tag};
    use zeroize::Zeroizing;

    let (c1, x2_y2, c2) = loop {
        // A1, A2: k in [1, n-1], C1 = [k]G.
        let k = <sm2::NonZeroScalar as elliptic_curve::Generate>::try_generate_from_rng(rng).map_err(|_| "no random k")?;
        let c1 = sm2::ProjectivePoint::mul_by_generator(&k).to_affine().to_sec1_point(false);
        // A4: (x2, y2) = [k]P_A.
        let x2_y2 = mul_p_a(&k).to_affine().to_sec1_point(false);
        let x2_y2 = Zeroizing::new(<[u8; 64]>::try_from(&x2_y2.as_bytes()[1..]).map_err(|_| "P_A·k has no coordinates")?);
        // A5, A6: t = KDF(x2 ‖ y2, klen), C2 = M ⊕ t; a t of all zeros (C2 = M) starts again. Compared in
        // constant time: where C2 and M first differ would tell how t starts.
        let c2 = kdf_xor(&x2_y2[..], plaintext);
        if !bool::from(elliptic_curve::subtle::ConstantTimeEq::ct_eq(c2.as_slice(), plaintext)) {
            break (c1, x2_y2, c2);
        }
    };
    // A7: C3 = SM3(x2 ‖ M ‖ y2).
    let c3: [u8; 32] = sm3::Sm3::new().chain_update(&x2_y2[..32]).chain_update(plaintext).chain_update(&x2_y2[32..]).finalize().into();

    let encode = || -> spki::der::Result<Vec<u8>> {
        let (x1, y1) = (UintRef::new(&c1.as_bytes()[1..33])?, UintRef::new(&c1.as_bytes()[33..])?);
        let (c3, c2) = (OctetStringRef::new(&c3)?, OctetStringRef::new(&c2)?);
        let length = (((x1.encoded_len()? + y1.encoded_len()?)? + c3.encoded_len()?)? + c2.encoded_len()?)?;
        let mut der = Vec::new();
        Header::new(Tag::Sequence, length).encode_to_vec(&mut der)?;
        x1.encode_to_vec(&mut der)?;
        y1.encode_to_vec(&mut der)?;
        c3.encode_to_vec(&mut der)?;
        c2.encode_to_vec(&mut der)?;
        Ok(der)
    };
    encode().map_err(|_| "DER encoding failed")
}

#[cfg(feature = "encrypt")]
/// M ⊕ KDF(Z, |M|), SM2's KDF (GB/T 32918.4 §5.4.3): SM3(Z ‖ ct) for a 32-bit big-endian ct = 1, 2, …
fn kdf_xor(z: &[u8], message: &[u8]) -> Vec<u8> {
    use sm3::Digest;
    let mut out = message.to_vec();
    for (counter, chunk) in (1u32..).zip(out.chunks_mut(32)) {
        let block = zeroize::Zeroizing::new(sm3::Sm3::new().chain_update(z).chain_update(counter.to_be_bytes()).finalize());
        chunk.iter_mut().zip(block.iter()).for_each(|(byte, t)| *byte ^= t);
    }
    out
}

#[cfg(all(test, feature = "encrypt"))]
mod tests {
    use super::pke_with as sm2_pke_with;
    use crate::family::comb::{CombCache, mul_sm2};
    use sha2::{Digest, Sha256};

    /// A repeatable byte stream (SHA-256 in counter mode) standing in for the RNG, so that the crate and
    /// we draw the same k.
    struct Stream {
        seed: u64,
        counter: u64,
    }

    impl rand_core::TryRng for Stream {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            let mut bytes = [0; 4];
            self.try_fill_bytes(&mut bytes)?;
            Ok(u32::from_le_bytes(bytes))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            let mut bytes = [0; 8];
            self.try_fill_bytes(&mut bytes)?;
            Ok(u64::from_le_bytes(bytes))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for chunk in dst.chunks_mut(32) {
                self.counter += 1;
                let block = Sha256::new().chain_update(self.seed.to_be_bytes()).chain_update(self.counter.to_be_bytes()).finalize();
                chunk.copy_from_slice(&block[..chunk.len()]);
            }
            Ok(())
        }
    }
    impl rand_core::TryCryptoRng for Stream {}

    fn stream(seed: u64) -> Stream {
        Stream { seed, counter: 0 }
    }

    /// Ours gives the sm2 crate's bytes for the same k, before the key's table exists and through it, and
    /// the crate's DecryptingKey opens it.
    #[test]
    fn sm2pke_matches_the_sm2_crate_byte_for_byte() {
        for key_seed in 1..=4u64 {
            let secret: [u8; 32] = Sha256::digest(key_seed.to_be_bytes()).into();
            let decrypting = sm2::pke::DecryptingKey::from_slice(&secret).unwrap();
            let point = *decrypting.encrypting_key().as_affine();
            let cache = CombCache::default();
            for (case, len) in [1usize, 31, 32, 33, 64, 100, 1024].into_iter().enumerate() {
                let plaintext: Vec<u8> = (0..len).map(|i| (i as u64 * 7 + key_seed) as u8).collect();
                let seed = key_seed * 100 + case as u64;
                let crate_der = decrypting.encrypting_key().encrypt_der(&mut stream(seed), &plaintext).unwrap();
                let ours = sm2_pke_with(&mut stream(seed), |k| mul_sm2(&point, &cache, k), &plaintext).unwrap();
                assert_eq!(ours, crate_der, "key {key_seed}, {len} bytes, table built: {}", cache.is_built());
                assert_eq!(decrypting.decrypt_der(&ours).unwrap(), plaintext);
            }
            assert!(cache.is_built(), "the key's second encryption builds its table");
        }
    }
}
