//! Encrypt for KMS `Decrypt`, offline. The rules come first: a key that is not ENCRYPT_DECRYPT, an
//! algorithm KMS does not list, a plaintext over the limit would give a ciphertext nobody can ever
//! decrypt, so each is refused before any encryption happens (KMS-RULES.md §3).

use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::key::{KmsPublicKey, Material};
#[cfg(any(feature = "rsa", feature = "sm2"))]
use crate::random::SecureRng;
use crate::spec::{EncryptionAlgorithm, EncryptionScheme, KeyUsage, limits};
use crate::scrub::SecretBytes;
use zeroize::Zeroizing;

/// The members of a KMS Encrypt request that matter offline.
#[derive(Clone, Copy, Debug)]
pub struct EncryptRequest<'a> {
    pub plaintext: &'a [u8],
    pub encryption_algorithm: EncryptionAlgorithm,
    /// Number of EncryptionContext pairs given. KMS takes none with an asymmetric key, so any is refused.
    pub encryption_context_pairs: usize,
}

/// What KMS Encrypt returns: the ciphertext to pass to `aws kms decrypt` with the same algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptResponse {
    pub key_id: Option<String>,
    pub ciphertext_blob: Vec<u8>,
    pub encryption_algorithm: EncryptionAlgorithm,
}

/// The rules of an Encrypt request that hold whatever its plaintext is (key usage, the algorithm for the key
/// spec and the key's list, no EncryptionContext), evaluated once, when made. Whether a string Plaintext needs an
/// encoding depends on them (`crate::string_rules`); [`check`](Self::check) completes them with the plaintext's
/// rules, reporting the first broken in KMS's order.
#[derive(Debug)]
pub struct EncryptRules {
    encryption_algorithm: EncryptionAlgorithm,
    /// The most plaintext bytes the algorithm takes with the key, or the refusal.
    refusal: core::result::Result<usize, KmsError>,
    /// For the refusal of a plaintext over `max`.
    key_spec: crate::spec::KeySpec,
}

/// An Encrypt request that passed every KMS rule, with the key that checked it. Only [`EncryptRules::check`]
/// (or [`check_owned`](EncryptRules::check_owned)) makes one, so a request is checked once on every path:
/// the synchronous one, and WebCrypto's with its synchronous fallback.
#[derive(Debug)]
pub struct CheckedEncrypt<'a> {
    plaintext: SecretBytes<'a>,
    encryption_algorithm: EncryptionAlgorithm,
}

impl EncryptRules {
    /// Evaluates the rules of `algorithm` and the context for `key` (counted in `verify::rule_checks`).
    pub fn new(key: &KmsPublicKey, encryption_algorithm: EncryptionAlgorithm, encryption_context_pairs: usize) -> Self {
        crate::verify::rule_checks::count();
        EncryptRules { encryption_algorithm, refusal: key_rules(key, encryption_algorithm, encryption_context_pairs), key_spec: key.key_spec() }
    }

    /// Whether KMS refuses the request whatever the plaintext is.
    pub fn refused_whatever_plaintext(&self) -> bool {
        self.refusal.is_err()
    }

    /// The request with `plaintext`, or the first rule it breaks in the order KMS reports them: the
    /// plaintext's length, the rules evaluated in [`new`](Self::new), the algorithm's maximum.
    pub fn check(self, plaintext: &[u8]) -> Result<CheckedEncrypt<'_>> {
        self.check_plaintext(SecretBytes::Borrowed(plaintext))
    }

    /// [`check`](Self::check) of a plaintext the checked request keeps (and wipes).
    pub fn check_owned(self, plaintext: Zeroizing<Vec<u8>>) -> Result<CheckedEncrypt<'static>> {
        self.check_plaintext(SecretBytes::Owned(plaintext))
    }

    fn check_plaintext(self, plaintext: SecretBytes<'_>) -> Result<CheckedEncrypt<'_>> {
        let len = plaintext.len();
        if !(1..=limits::MAX_MESSAGE).contains(&len) {
            return Err(KmsError::validation(format!(
                "Plaintext is {len} bytes: KMS Encrypt takes 1 to {} bytes",
                limits::MAX_MESSAGE
            ))
            .rule_code(Rule::BlobLength)
            .param("field", "Plaintext")
            .param("size", len)
            .param("max", limits::MAX_MESSAGE));
        }
        let max = self.refusal?;
        let (algorithm, spec) = (self.encryption_algorithm, self.key_spec);
        if len > max {
            return Err(KmsError::validation(format!(
                "Plaintext is {len} bytes: {algorithm} with {spec} encrypts at most {max} bytes. Encrypt a data key with it instead (envelope encryption)"
            ))
            .rule_code(Rule::PlaintextTooLong)
            .param("algorithm", algorithm.as_str())
            .param("keySpec", spec.as_str())
            .param("size", len)
            .param("max", max));
        }
        Ok(CheckedEncrypt { plaintext, encryption_algorithm: algorithm })
    }
}

impl CheckedEncrypt<'_> {
    pub fn plaintext(&self) -> &[u8] {
        &self.plaintext
    }

    pub fn encryption_algorithm(&self) -> EncryptionAlgorithm {
        self.encryption_algorithm
    }
}

/// The rules that hold whatever the plaintext is, in the order KMS reports them; the plaintext maximum.
fn key_rules(key: &KmsPublicKey, algorithm: EncryptionAlgorithm, encryption_context_pairs: usize) -> Result<usize> {
    if key.key_usage() != KeyUsage::EncryptDecrypt {
        let who = key.key_id().unwrap_or("this key");
        return Err(KmsError::invalid_key_usage(format!(
            "{who} key usage is {} which is not valid for Encrypt: KMS would never decrypt data encrypted with it. Encrypt needs a key with KeyUsage ENCRYPT_DECRYPT",
            key.key_usage()
        ))
        .rule_code(Rule::WrongKeyUsage)
        .param("keyUsage", key.key_usage().as_str())
        .param("operation", "Encrypt")
        .param("required", KeyUsage::EncryptDecrypt.as_str()));
    }
    let spec = key.key_spec();
    key.require_algorithm(algorithm, spec.rule().encryption, &key.metadata().encryption_algorithms)?;
    if encryption_context_pairs > 0 {
        return Err(KmsError::validation(
            "EncryptionContext is not supported with asymmetric KMS keys: KMS Decrypt would refuse the ciphertext. Omit it",
        )
        .rule_code(Rule::EncryptionContext));
    }
    Ok(algorithm.max_plaintext(spec.rule().key_type).unwrap_or(0))
}

impl KmsPublicKey {
    /// Encrypts so that KMS Decrypt (same key, same EncryptionAlgorithm) recovers the plaintext.
    pub fn encrypt(&self, request: &EncryptRequest<'_>) -> Result<EncryptResponse> {
        self.encrypt_checked(&self.check_encrypt_request(request)?)
    }

    /// Every KMS rule for an Encrypt request with this key.
    pub fn check_encrypt(&self, request: &EncryptRequest<'_>) -> Result<()> {
        self.check_encrypt_request(request).map(drop)
    }

    /// Every KMS rule for an Encrypt request with this key, each checked once: the request
    /// [`encrypt_checked`](Self::encrypt_checked) takes.
    pub fn check_encrypt_request<'a>(&self, request: &EncryptRequest<'a>) -> Result<CheckedEncrypt<'a>> {
        EncryptRules::new(self, request.encryption_algorithm, request.encryption_context_pairs).check(request.plaintext)
    }

    /// Encrypts a request that passed every rule (checked with this key).
    pub fn encrypt_checked(&self, checked: &CheckedEncrypt<'_>) -> Result<EncryptResponse> {
        crate::scrub::wiping_stack(|| {
            let plaintext = checked.plaintext();
            let ciphertext_blob = match (checked.encryption_algorithm.scheme(), &self.material) {
                #[cfg(feature = "rsa")]
                (EncryptionScheme::RsaOaep(hash), Material::Rsa(key)) => rsa_oaep(key.public()?, hash, plaintext)?,
                #[cfg(feature = "sm2")]
                (EncryptionScheme::Sm2Pke, Material::Sm2(key)) => sm2_pke(key, &self.comb, plaintext)?,
                #[allow(unreachable_patterns)]
                _ => return Err(KmsError::new(ErrorKind::Internal, "the key spec table paired an algorithm with the wrong key type")),
            };
            Ok(EncryptResponse {
                key_id: self.key_id().map(str::to_owned),
                ciphertext_blob,
                encryption_algorithm: checked.encryption_algorithm,
            })
        })
    }
}

#[cfg(feature = "rsa")]
/// RSAES-OAEP (RFC 8017 §7.1) with one hash for OAEP and MGF1 and an empty label, as KMS decrypts it.
fn rsa_oaep(key: &rsa::RsaPublicKey, hash: crate::spec::OaepHash, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut rng = SecureRng::default();
    let encrypted = match hash {
        // The padding scheme's own `encrypt` takes a fallible RNG (the key's takes an infallible one).
        crate::spec::OaepHash::Sha1 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha1::Sha1>::new(), &mut rng, key, plaintext),
        crate::spec::OaepHash::Sha256 => rsa::traits::PaddingScheme::encrypt(rsa::Oaep::<sha2::Sha256>::new(), &mut rng, key, plaintext),
    };
    encrypted.map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("RSA-OAEP encryption failed: {e}"))))
}

#[cfg(feature = "sm2")]
/// SM2 public-key encryption with SM3 for the KMS key's point P_A, with KMS's encoding.
fn sm2_pke(key: &sm2::dsa::VerifyingKey, comb: &crate::comb::CombCache, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut rng = SecureRng::default();
    let point = key.as_affine();
    sm2_pke_with(&mut rng, |k| crate::comb::mul_sm2(point, comb, k), plaintext)
        .map_err(|e| rng.error_or(KmsError::new(ErrorKind::Internal, format!("SM2PKE encryption failed: {e}"))))
}

#[cfg(feature = "sm2")]
/// SM2 public-key encryption with SM3 (GB/T 32918.4 §6.1, steps A1-A8), encoded as KMS Decrypt requires:
/// DER `SEQUENCE { x INTEGER, y INTEGER, C3 OCTET STRING (32), C2 OCTET STRING }` (GM/T 0009).
///
/// The sm2 crate's `EncryptingKey::encrypt_der` step by step, with two differences that only make it faster:
/// [k]P_A comes from `mul_p_a` (constant time, through the key's table from its second use: src/comb.rs), and
/// A3's S = [h]P_A is skipped (h = 1 on SM2, and P_A was checked on the curve when the key loaded). The
/// crate takes k from the RNG the same way, so for one RNG stream the two give the same bytes: the tests
/// check that. The KDF and the DER writer are here because the crate's are not reachable from outside: its
/// `kdf` is private and its `Cipher` is only made by parsing, which would multiply C1 by h again.
pub(crate) fn sm2_pke_with<R: rand_core::TryCryptoRng>(
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
        let c2 = sm2_kdf_xor(&x2_y2[..], plaintext);
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

#[cfg(feature = "sm2")]
/// M ⊕ KDF(Z, |M|), SM2's KDF (GB/T 32918.4 §5.4.3): SM3(Z ‖ ct) for a 32-bit big-endian ct = 1, 2, …
fn sm2_kdf_xor(z: &[u8], message: &[u8]) -> Vec<u8> {
    use sm3::Digest;
    let mut out = message.to_vec();
    for (counter, chunk) in (1u32..).zip(out.chunks_mut(32)) {
        let block = zeroize::Zeroizing::new(sm3::Sm3::new().chain_update(z).chain_update(counter.to_be_bytes()).finalize());
        chunk.iter_mut().zip(block.iter()).for_each(|(byte, t)| *byte ^= t);
    }
    out
}

#[cfg(all(test, feature = "sm2"))]
mod tests {
    use super::sm2_pke_with;
    use crate::comb::{CombCache, mul_sm2};
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
