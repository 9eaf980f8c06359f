//! Faster repeated work with one key (P-256, P-384, P-521, secp256k1, SM2): a per-key table of the key's point.
//!
//! ECDSA verify computes u1·G + u2·Q. The crates do it with a shared-doubling wNAF (~256 doublings for
//! P-256) and leave their precomputed basepoint table unused. Here u1·G uses that basepoint table and u2·Q a
//! radix-16 comb table of the key's point Q (`LookupTable`s of 8 multiples of 2^(8i)·Q): no doublings but
//! four at the end. Measured in wasm (bench/NOTES.md §4): P-256 871 → 353 µs, P-384 3,658 → 1,592 µs, P-521
//! 3,431 → 1,562 µs. SM2DSA ([s]G + [t]P_A) uses the same tables: 1,102 → 406 µs steady in Node (bench/NOTES.md §8),
//! and since §27 wider variable-time combs (`WideComb`: a window-6 comb of G per module, a window-5 comb of P_A per
//! key): 163 → 129 µs steady in Chromium, 142 → 112 in Node.
//! secp256k1 (k256 verifies with a GLV-split wNAF, whose tables for G and Q it builds on every call): 109 → 79 µs
//! steady in Chromium (bench/NOTES.md §11).
//!
//! ECDH (k·Q) and SM2PKE ([k]P_A) use the same table with a secret scalar, so there the table is read in
//! constant time: `LookupTable::select` reads all 8 entries of a row whatever the digit, the additions are
//! complete formulas, and the digit decomposition is the one primeorder's own constant-time basepoint
//! multiplication uses (bench/NOTES.md §9).
//!
//! Building the table costs about 1.3-1.5 verifies and 25 KB (P-256) / 56 KB (P-384) / 115 KB (P-521), so a
//! key builds it on its second use: a key used once pays nothing. In verify everything is public (the key,
//! the signature, the digest), so variable-time code is fine there: the decision is the crate's
//! (`ecdsa::hazmat::verify_prehashed`, high-S accepted as on these curves; sm2's `verify_prehash` step by step
//! for SM2), and the tests check the two paths agree on every Wycheproof vector and fixture.

use core::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// k·B for a fixed base B and a public k (verify only: variable time, a zero digit adds nothing), with a wider
/// window than the key's table: signed radix-2^w digits of k, digit j at 2^(w·j), even ones added from row j/2
/// (multiples of 2^(2w·(j/2))·B), odd ones into a second sum doubled w times at the end. With w = 6 a 256-bit k
/// takes ~43 additions where the radix-16 tables take 64, for a table of 22 rows × 32 points built once.
#[allow(dead_code)] // a build without SM2
pub(crate) struct WideComb<P> {
    window: u32,
    /// Row i, entry m - 1: m·2^(2w·i)·B for m = 1..=2^(w-1).
    points: Box<[P]>,
}

#[allow(dead_code)] // a build without SM2
impl<P: elliptic_curve::group::Group> WideComb<P> {
    /// The table of `base` for scalars of `bits` bits.
    pub(crate) fn new(base: P, window: u32, bits: usize) -> Self {
        let per_row = 1usize << (window - 1);
        let rows = digit_count(bits, window).div_ceil(2);
        let mut points = Vec::with_capacity(rows * per_row);
        let mut row_base = base;
        for _ in 0..rows {
            let mut multiple = row_base;
            points.push(multiple);
            for _ in 1..per_row {
                multiple += row_base;
                points.push(multiple);
            }
            for _ in 0..2 * window {
                row_base = row_base.double();
            }
        }
        WideComb { window, points: points.into_boxed_slice() }
    }

    /// k·B for k given big-endian (`PrimeField::to_repr` of the curves here), in variable time.
    pub(crate) fn mul_vartime(&self, k: &[u8]) -> P {
        let per_row = 1usize << (self.window - 1);
        let mut even = P::identity();
        let mut odd = P::identity();
        for (j, digit) in signed_digits(k, self.window).into_iter().enumerate() {
            if digit == 0 {
                continue;
            }
            let entry = self.points[(j / 2) * per_row + digit.unsigned_abs() as usize - 1];
            let sum = if j % 2 == 1 { &mut odd } else { &mut even };
            *sum += &if digit < 0 { -entry } else { entry };
        }
        for _ in 0..self.window {
            odd = odd.double();
        }
        even + odd
    }
}

/// Digits of a `bits`-bit scalar: one per window, and one for the last carry.
fn digit_count(bits: usize, window: u32) -> usize {
    bits.div_ceil(window as usize) + 1
}

/// The signed radix-2^w digits of a big-endian number, least significant first: each in [-(2^(w-1) - 1), 2^(w-1)],
/// sum of digit_j·2^(w·j) = k. Variable time (public scalars only).
#[allow(dead_code)] // a build without SM2
fn signed_digits(k: &[u8], window: u32) -> Vec<i32> {
    let count = digit_count(k.len() * 8, window);
    let mut digits = Vec::with_capacity(count);
    let (mut carry, mut at) = (0i32, 0usize);
    for _ in 0..count {
        let mut raw = carry;
        for b in 0..window as usize {
            let i = at + b;
            if let Some(byte) = k.len().checked_sub(1 + i / 8).and_then(|index| k.get(index)) {
                raw += i32::from((byte >> (i % 8)) & 1) << b;
            }
        }
        carry = i32::from(raw > 1 << (window - 1));
        digits.push(raw - (carry << window));
        at += window as usize;
    }
    digits
}

/// A key's table, one variant per curve.
pub(crate) enum CombTable {
    #[cfg(feature = "p256")]
    P256(Box<[primeorder::LookupTable<p256::ProjectivePoint>]>),
    #[cfg(feature = "p384")]
    P384(Box<[primeorder::LookupTable<p384::ProjectivePoint>]>),
    #[cfg(feature = "p521")]
    P521(Box<[primeorder::LookupTable<p521::ProjectivePoint>]>),
    #[cfg(feature = "secp256k1")]
    Secp256k1(Box<[primeorder::LookupTable<k256::ProjectivePoint>]>),
    /// For SM2PKE and ECDH (constant time).
    #[cfg(feature = "sm2")]
    Sm2(Box<[primeorder::LookupTable<sm2::ProjectivePoint>]>),
    /// For SM2DSA verify (variable time, window 5), with the Z_A of KMS's default distinguishing ID for RAW
    /// messages. A KMS key verifies, encrypts or agrees, never two of them, so a key has one or the other.
    #[cfg(feature = "sm2")]
    Sm2Verify { comb: WideComb<sm2::ProjectivePoint>, z_a: [u8; 32] },
}

/// Held by each key: how often it was used (verify, encrypt or ECDH: a KMS key does only one), and its
/// table once built.
#[derive(Default)]
pub(crate) struct CombCache {
    uses: AtomicU32,
    table: OnceLock<CombTable>,
}

impl CombCache {
    /// The table: `None` on the key's first use, built on its second, kept after.
    #[allow(dead_code)] // a build with none of the four curves
    fn table(&self, build: impl FnOnce() -> CombTable) -> Option<&CombTable> {
        if let Some(table) = self.table.get() {
            return Some(table);
        }
        if self.uses.fetch_add(1, Ordering::Relaxed) == 0 {
            return None;
        }
        Some(self.table.get_or_init(build))
    }

    /// Counts a use whose arithmetic is done elsewhere (WebCrypto, for a P-521 key's first `verifyAsync`) and
    /// says whether it was the key's first: the use after it builds the table.
    #[cfg(feature = "webcrypto")]
    pub(crate) fn count_first_use(&self) -> bool {
        !self.is_built() && self.uses.fetch_add(1, Ordering::Relaxed) == 0
    }

    pub(crate) fn is_built(&self) -> bool {
        self.table.get().is_some()
    }
}

/// A cache is per key object: a clone starts without a table (it is rebuilt if the clone is used).
impl Clone for CombCache {
    fn clone(&self) -> Self {
        CombCache::default()
    }
}

impl fmt::Debug for CombCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CombCache").field("built", &self.is_built()).finish_non_exhaustive()
    }
}

/// A per-key table module for one curve: `build` from the key's point, `mul_vartime` and `mul` through it,
/// and any curve-specific items given after the curve.
macro_rules! comb_table {
    ($module:ident, $curve:ident, $Curve:ty $(, $extra:item)*) => {
        mod $module {
            use elliptic_curve::group::Group;
            use primeorder::{LookupTable, Radix16Decomposition, Radix16Digits};
            use ::$curve::{AffinePoint, FieldBytes, ProjectivePoint, Scalar};

            /// 2^(8i)·Q for i = 0..=field bytes, each with its 8 multiples.
            pub(super) fn build(point: &AffinePoint) -> Box<[LookupTable<ProjectivePoint>]> {
                let rows = FieldBytes::default().len() + 1;
                let mut point = ProjectivePoint::from(*point);
                let mut table = Vec::with_capacity(rows);
                for _ in 0..rows {
                    table.push(LookupTable::new(point));
                    for _ in 0..8 {
                        point = point.double();
                    }
                }
                table.into_boxed_slice()
            }

            /// k·Q from the table, k public (verify; SM2's verify uses a `WideComb` instead).
            #[allow(dead_code)]
            pub(super) fn mul_vartime(table: &[LookupTable<ProjectivePoint>], k: &Scalar) -> ProjectivePoint {
                mul_with(table, k, LookupTable::select_vartime)
            }

            /// k·Q from the table in constant time, k secret (ECDH, SM2PKE): every row is read whole.
            #[allow(dead_code)] // a build without `ecdh` (and, for SM2, without `encrypt`)
            pub(super) fn mul(table: &[LookupTable<ProjectivePoint>], k: &Scalar) -> ProjectivePoint {
                mul_with(table, k, LookupTable::select)
            }

            /// k·Q: the radix-16 digits of k, even ones added at 2^(8i), odd ones at 2^(8i+4); as
            /// primeorder's basepoint table does it, with the key's point in place of G.
            #[inline(always)]
            fn mul_with(
                table: &[LookupTable<ProjectivePoint>],
                k: &Scalar,
                select: impl Fn(&LookupTable<ProjectivePoint>, i8) -> ProjectivePoint,
            ) -> ProjectivePoint {
                let digits = Radix16Decomposition::<Radix16Digits<$Curve>>::new(k);
                let last = table.len() - 1;
                let mut even = select(&table[last], digits[last * 2]);
                let mut odd = ProjectivePoint::IDENTITY;
                for i in (0..last).rev() {
                    odd += &select(&table[i], digits[i * 2 + 1]);
                    even += &select(&table[i], digits[i * 2]);
                }
                for _ in 0..4 {
                    odd = odd.double();
                }
                even + odd
            }

            $($extra)*
        }
    };
}

macro_rules! comb_verify {
    ($verify:ident, $curve:ident, $module:ident, $Curve:ty, $Variant:ident) => {
        comb_verify!($verify, $curve, $module, $Curve, $Variant, |signature| signature);
    };
    ($verify:ident, $curve:ident, $module:ident, $Curve:ty, $Variant:ident, $first_use:expr) => {
        comb_table!(
            $module,
            $curve,
            $Curve,
            /// A scalar from big-endian bytes as `ecdsa::hazmat` makes one (bits2field, then mod n): the
            /// digest right-aligned in a field element (SHA-512 on P-521) or truncated to its length.
            fn scalar_of(bytes: &[u8]) -> Scalar {
                use elliptic_curve::ops::Reduce;
                let mut field = FieldBytes::default();
                let n = field.len().min(bytes.len());
                let at = field.len() - n;
                field[at..].copy_from_slice(&bytes[..n]);
                <Scalar as Reduce<FieldBytes>>::reduce(&field)
            },
            /// `ecdsa::hazmat::verify_prehashed` with u2·Q from the table.
            pub(super) fn with_table(table: &[LookupTable<ProjectivePoint>], digest: &[u8], signature: &::$curve::ecdsa::Signature) -> bool {
                use elliptic_curve::ops::{MulByGeneratorVartime, Reduce};
                use elliptic_curve::point::AffineCoordinates;
                let (r, s) = signature.split_scalars();
                // s is nonzero (from_der checks 1 ≤ s < n), so it has an inverse.
                let Some(s_inv) = Option::<Scalar>::from(s.invert_vartime()) else { return false };
                let u1 = scalar_of(digest) * s_inv;
                let u2 = *r * s_inv;
                let sum = <ProjectivePoint as MulByGeneratorVartime>::mul_by_generator_vartime(&u1) + mul_vartime(table, &u2);
                if bool::from(sum.is_identity()) {
                    return false;
                }
                *r == <Scalar as Reduce<FieldBytes>>::reduce(&sum.to_affine().x())
            }
        );

        /// ECDSA verify of a DER signature over `digest` with this key, through its table from the
        /// key's second verify on.
        pub(crate) fn $verify(key: &::$curve::ecdsa::VerifyingKey, cache: &CombCache, digest: &[u8], der: &[u8]) -> bool {
            use ::$curve::ecdsa::signature::hazmat::PrehashVerifier;
            let Ok(signature) = ::$curve::ecdsa::Signature::from_der(der) else { return false };
            match cache.table(|| CombTable::$Variant($module::build(key.as_affine()))) {
                Some(CombTable::$Variant(table)) => $module::with_table(table, digest, &signature),
                _ => key.verify_prehash(digest, &$first_use(signature)).is_ok(),
            }
        }
    };
}

#[cfg(feature = "p256")]
comb_verify!(verify_p256, p256, p256_table, p256::NistP256, P256);
#[cfg(feature = "p384")]
comb_verify!(verify_p384, p384, p384_table, p384::NistP384, P384);
#[cfg(feature = "p521")]
comb_verify!(verify_p521, p521, p521_table, p521::NistP521, P521);
// k256 refuses high-S signatures (a Bitcoin rule), KMS produces and accepts both halves: the crate's path gets
// the low-S form, the table's accepts either (s and n - s give R and -R, whose x is the same).
#[cfg(feature = "secp256k1")]
comb_verify!(verify_secp256k1, k256, k256_table, k256::Secp256k1, Secp256k1, |signature: k256::ecdsa::Signature| signature.normalize_s());
#[cfg(feature = "sm2")]
comb_table!(sm2_table, sm2, sm2::Sm2);

/// k·Q for the key's point Q and a secret k, in constant time: through the key's table from its second use
/// on, before that the crate's constant-time `ProjectivePoint * Scalar`.
macro_rules! comb_mul {
    ($mul:ident, $curve:ident, $module:ident, $Variant:ident) => {
        pub(crate) fn $mul(point: &::$curve::AffinePoint, cache: &CombCache, k: &::$curve::Scalar) -> ::$curve::ProjectivePoint {
            match cache.table(|| CombTable::$Variant($module::build(point))) {
                Some(CombTable::$Variant(table)) => $module::mul(table, k),
                _ => ::$curve::ProjectivePoint::from(*point) * k,
            }
        }
    };
}

#[cfg(all(feature = "p256", feature = "ecdh"))]
comb_mul!(mul_p256, p256, p256_table, P256);
#[cfg(all(feature = "p384", feature = "ecdh"))]
comb_mul!(mul_p384, p384, p384_table, P384);
#[cfg(all(feature = "p521", feature = "ecdh"))]
comb_mul!(mul_p521, p521, p521_table, P521);

/// [k]P_A for SM2PKE and SM2 ECDH, k secret, in constant time (see `comb_mul!`).
#[cfg(all(feature = "sm2", any(feature = "ecdh", feature = "encrypt")))]
pub(crate) fn mul_sm2(point: &sm2::AffinePoint, cache: &CombCache, k: &sm2::Scalar) -> sm2::ProjectivePoint {
    match cache.table(|| CombTable::Sm2(sm2_table::build(point))) {
        Some(CombTable::Sm2(table)) => sm2_table::mul(table, k),
        _ => sm2::ProjectivePoint::from(*point) * k,
    }
}

/// The key's SM2DSA verify table: P_A in a `WideComb` of window 5 (27 rows × 16 points, 41 KB; ~52 additions
/// for [t]P_A where the radix-16 table takes 64, for ~1.4x its build time), and the Z_A of KMS's default
/// distinguishing ID.
#[cfg(feature = "sm2")]
fn sm2_verify_table_of(point: &sm2::AffinePoint) -> CombTable {
    use elliptic_curve::sec1::ToSec1Point;
    let uncompressed = point.to_sec1_point(false); // 04 ‖ x_A ‖ y_A
    CombTable::Sm2Verify {
        comb: WideComb::new(sm2::ProjectivePoint::from(*point), 5, 256),
        z_a: super::sm2::z_a(crate::spec::SM2_DEFAULT_DISTINGUISHING_ID.as_bytes(), &uncompressed.as_bytes()[1..]),
    }
}

/// SM2's generator in a `WideComb` (window 6: 22 rows × 32 points, 68 KB), built on first use, for [s]G in
/// SM2DSA verify: 43 additions where the sm2 crate's basepoint table (primeorder's, radix 16) takes 64.
#[cfg(feature = "sm2")]
fn sm2_generator_comb() -> &'static WideComb<sm2::ProjectivePoint> {
    static COMB: OnceLock<WideComb<sm2::ProjectivePoint>> = OnceLock::new();
    COMB.get_or_init(|| WideComb::new(elliptic_curve::group::Group::generator(), 6, 256))
}

/// SM2DSA verify (GB/T 32918.2 §7: t = r + s, (x1, y1) = [s]G + [t]P_A, R = e + x1 = r?) of a parsed
/// signature, through the key's table from its second verify on; the first verify is the crate's. `e` is
/// SM3(Z_A ‖ M) for RAW, computed here with the Z_A of KMS's default ID kept with the table, or the
/// caller's 32-byte digest for DIGEST.
#[cfg(feature = "sm2")]
pub(crate) fn verify_sm2(key: &sm2::dsa::VerifyingKey, cache: &CombCache, raw: bool, message: &[u8], signature: &sm2::dsa::Signature) -> bool {
    use sm2::dsa::signature::{Verifier, hazmat::PrehashVerifier};
    let Some(CombTable::Sm2Verify { comb, z_a }) = cache.table(|| sm2_verify_table_of(key.as_affine())) else {
        return if raw { key.verify(message, signature).is_ok() } else { key.verify_prehash(message, signature).is_ok() };
    };
    use elliptic_curve::ops::Reduce;
    use elliptic_curve::point::AffineCoordinates;
    use sm2::{FieldBytes, Scalar};
    use sm3::Digest;
    let e: [u8; 32] = if raw {
        sm3::Sm3::new().chain_update(z_a).chain_update(message).finalize().into()
    } else {
        match message.try_into() {
            Ok(e) => e,
            Err(_) => return false, // the crate refuses a prehash that is not 32 bytes; so do we
        }
    };
    let (r, s) = (signature.r(), signature.s()); // both in [1, n-1]: checked when the signature was parsed
    let t = *r + *s;
    if bool::from(t.is_zero()) {
        return false;
    }
    let point = sm2_generator_comb().mul_vartime(&s.to_bytes()) + comb.mul_vartime(&t.to_bytes());
    if bool::from(elliptic_curve::group::Group::is_identity(&point)) {
        return false;
    }
    let e = <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(e));
    *r == e + <Scalar as Reduce<FieldBytes>>::reduce(&point.to_affine().x())
}

#[cfg(test)]
mod tests {
    use elliptic_curve::Field;
    use elliptic_curve::ops::Reduce;
    use sha2::{Digest, Sha256};

    /// Scalars where a comb goes wrong if anything does: 0, 1, 2, n-2, n-1, n/2 around, powers of 16 (all digits
    /// zero but one), radix-16 digits all ±8 (0x88..8, whose recoding carries through every digit), then 200
    /// pseudo-random ones (SHA-256 in counter mode, reduced mod n).
    fn scalars<S: Field + Reduce<elliptic_curve::array::Array<u8, L>>, L: elliptic_curve::array::ArraySize>() -> Vec<S> {
        let one = S::ONE;
        let minus_one = -one;
        let half = minus_one * (one + one).invert().unwrap();
        let mut list = vec![S::ZERO, one, one + one, minus_one, minus_one - one, half, half + one, half - one];
        let width = L::USIZE;
        for fill in [0x88u8, 0x77, 0xff, 0x80, 0x08, 0x0f, 0xf0] {
            list.push(S::reduce(&elliptic_curve::array::Array::from_fn(|_| fill)));
        }
        for bit in (0..width * 8).step_by(4) {
            let mut bytes = elliptic_curve::array::Array::<u8, L>::default();
            bytes[width - 1 - bit / 8] = 1 << (bit % 8);
            list.push(S::reduce(&bytes));
        }
        for counter in 0u32..200 {
            let mut bytes = elliptic_curve::array::Array::<u8, L>::default();
            for (chunk, block) in bytes.chunks_mut(32).zip(0u32..) {
                let hash = Sha256::new().chain_update(counter.to_be_bytes()).chain_update(block.to_be_bytes()).finalize();
                chunk.copy_from_slice(&hash[..chunk.len()]);
            }
            list.push(S::reduce(&bytes));
        }
        list
    }

    /// The key's table (constant-time and variable-time reads) gives the crate's own `point * k` for every
    /// scalar of `scalars`, on two points per curve (G and a multiple of it).
    macro_rules! comb_matches_the_crate {
        ($test:ident, $curve:ident, $Curve:ident, $module:ident) => {
            #[test]
            fn $test() {
                use ::$curve::{AffinePoint, ProjectivePoint, Scalar};
                use elliptic_curve::group::Group as _;
                let points = [ProjectivePoint::generator(), ProjectivePoint::generator() * Scalar::from(0x5eed_u64)];
                for point in points.map(|point| point.to_affine()) {
                    let table = super::$module::build(&point);
                    for k in scalars::<Scalar, <::$curve::$Curve as elliptic_curve::Curve>::FieldBytesSize>() {
                        let expected: AffinePoint = (ProjectivePoint::from(point) * k).to_affine();
                        assert_eq!(super::$module::mul(&table, &k).to_affine(), expected, "constant time, k = {k:?}");
                        assert_eq!(super::$module::mul_vartime(&table, &k).to_affine(), expected, "variable time, k = {k:?}");
                    }
                }
            }
        };
    }

    /// The wide comb gives the crate's `G * k` for every scalar of `scalars` and windows 2 to 7, and the one
    /// SM2 verify uses (window 6) too.
    #[cfg(feature = "sm2")]
    #[test]
    fn wide_comb_matches_the_crate() {
        use elliptic_curve::group::Group as _;
        use elliptic_curve::ff::PrimeField as _;
        use sm2::{ProjectivePoint, Scalar};
        let ks = scalars::<Scalar, <sm2::Sm2 as elliptic_curve::Curve>::FieldBytesSize>();
        for window in 2..=7 {
            let comb = super::WideComb::new(ProjectivePoint::generator(), window, 256);
            for k in &ks {
                assert_eq!(comb.mul_vartime(&k.to_repr()), ProjectivePoint::generator() * k, "window {window}, k = {k:?}");
            }
        }
        for k in &ks {
            assert_eq!(super::sm2_generator_comb().mul_vartime(&k.to_repr()), ProjectivePoint::generator() * k, "k = {k:?}");
        }
    }

    /// Signed digits add back up to the number and stay in [-(2^(w-1) - 1), 2^(w-1)], on the edges of a byte.
    #[test]
    fn signed_digits_add_up() {
        for window in 2..=8u32 {
            for bytes in [[0u8; 4], [0xff; 4], [0x80, 0, 0, 1], [0x7f, 0xff, 0xff, 0xff], [0x12, 0x34, 0x56, 0x78]] {
                let digits = super::signed_digits(&bytes, window);
                let half = 1i64 << (window - 1);
                assert!(digits.iter().all(|&d| i64::from(d) > -half && i64::from(d) <= half), "{digits:?}");
                let sum: i64 = digits.iter().rev().fold(0, |sum, &d| (sum << window) + i64::from(d));
                assert_eq!(sum, i64::from(u32::from_be_bytes(bytes)), "window {window}, {bytes:?}: {digits:?}");
            }
        }
    }

    #[cfg(feature = "p256")]
    comb_matches_the_crate!(p256_comb_matches_the_crate, p256, NistP256, p256_table);
    #[cfg(feature = "p384")]
    comb_matches_the_crate!(p384_comb_matches_the_crate, p384, NistP384, p384_table);
    #[cfg(feature = "p521")]
    comb_matches_the_crate!(p521_comb_matches_the_crate, p521, NistP521, p521_table);
    #[cfg(feature = "secp256k1")]
    comb_matches_the_crate!(secp256k1_comb_matches_the_crate, k256, Secp256k1, k256_table);
    #[cfg(feature = "sm2")]
    comb_matches_the_crate!(sm2_comb_matches_the_crate, sm2, Sm2, sm2_table);
}
