//! The sm2 crate the package builds with (patches/README.md) multiplies, squares and inverts in its field
//! exactly as fiat-crypto's 32-bit code that it replaces: same Montgomery-domain limbs, fully reduced. The patched
//! functions only run where sm2 is built with 32-bit limbs (the wasm package), so this test includes the
//! patch's source file directly and compares it with `fiat_crypto::sm2_32` on any host: on every pair of edge
//! values we could name and on millions of deterministic pseudo-random pairs.

#[path = "../patches/sm2/src/arithmetic/field32.rs"]
mod field32;

use fiat_crypto::sm2_32::{fiat_sm2_montgomery_domain_field_element as Mont, fiat_sm2_mul, fiat_sm2_square};

/// p = 2^256 − 2^224 − 2^96 + 2^64 − 1, limbs least significant first.
const P: [u32; 8] = [0xffff_ffff, 0xffff_ffff, 0, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_fffe];

fn fiat_mul(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
    let mut out = Mont([0; 8]);
    fiat_sm2_mul(&mut out, &Mont(*a), &Mont(*b));
    out.0
}

fn fiat_square(a: &[u32; 8]) -> [u32; 8] {
    let mut out = Mont([0; 8]);
    fiat_sm2_square(&mut out, &Mont(*a));
    out.0
}

fn below_p(x: &[u32; 8]) -> bool {
    x.iter().rev().cmp(P.iter().rev()) == std::cmp::Ordering::Less
}

/// x − y mod 2^256 (for the edges p − small).
fn sub(x: &[u32; 8], y: &[u32; 8]) -> [u32; 8] {
    let mut out = [0; 8];
    let mut borrow = 0i64;
    for k in 0..8 {
        let d = i64::from(x[k]) - i64::from(y[k]) + borrow;
        out[k] = d as u32;
        borrow = d >> 32;
    }
    out
}

fn small(v: u32) -> [u32; 8] {
    let mut x = [0; 8];
    x[0] = v;
    x
}

fn power_of_two(k: usize) -> [u32; 8] {
    let mut x = [0; 8];
    x[k / 32] = 1 << (k % 32);
    x
}

/// Every value below p among: 0..=3, p − 1..=4, 2^k and 2^k ± 1 and p − 2^k, every combination of all-ones and
/// zero limbs, and 2^256 mod p (the Montgomery form of 1) with its neighbours. Pairs of the large ones make
/// products near p² (the largest Montgomery input), the small ones products that need no reduction.
fn edges() -> Vec<[u32; 8]> {
    let mut values = Vec::new();
    for v in 0..=3 {
        values.push(small(v));
        values.push(sub(&P, &small(v + 1)));
    }
    for k in 0..256 {
        let x = power_of_two(k);
        values.push(x);
        values.push(sub(&x, &small(1)));
        values.push(sub(&x, &sub(&[0; 8], &small(1)))); // 2^k + 1
        values.push(sub(&P, &x));
    }
    for mask in 0..256u32 {
        values.push(std::array::from_fn(|k| if mask >> k & 1 == 1 { u32::MAX } else { 0 }));
    }
    let r_mod_p = sub(&[0; 8], &P); // 2^256 − p
    for d in 0..3 {
        values.push(sub(&r_mod_p, &small(d)));
        values.push(sub(&r_mod_p, &sub(&[0; 8], &small(d)))); // + d
    }
    values.retain(below_p);
    values.sort();
    values.dedup();
    values
}

/// xorshift64*: deterministic, so a failure names an input that fails again.
fn pseudo_random_elements(count: usize, mut state: u64) -> impl Iterator<Item = [u32; 8]> {
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    // An element above p is 1 in 2^32; it is drawn again.
    std::iter::repeat_with(move || loop {
        let x: [u32; 8] = std::array::from_fn(|_| (next() >> 32) as u32);
        if below_p(&x) {
            break x;
        }
    })
    .take(count)
}

#[test]
fn edges_cover_what_they_say() {
    let values = edges();
    assert!(values.len() > 1000, "{} edge values", values.len());
    assert!(values.contains(&sub(&P, &small(1))) && values.contains(&sub(&P, &small(2))));
    assert!(values.contains(&[u32::MAX, u32::MAX, 0, u32::MAX, u32::MAX, u32::MAX, u32::MAX, 0]));
    assert!(!values.contains(&P) && values.iter().all(below_p));
}

#[test]
fn multiply_equals_fiat_on_every_pair_of_edges() {
    let values = edges();
    for a in &values {
        for b in &values {
            assert_eq!(field32::mul(a, b), fiat_mul(a, b), "mul({a:08x?}, {b:08x?})");
        }
    }
}

#[test]
fn square_equals_fiat_on_every_edge() {
    for a in edges() {
        assert_eq!(field32::square(&a), fiat_square(&a), "square({a:08x?})");
        assert_eq!(field32::square(&a), field32::mul(&a, &a), "square({a:08x?}) against mul");
    }
}

#[test]
fn multiply_and_square_equal_fiat_on_pseudo_random_elements() {
    let a_values = pseudo_random_elements(4_000_000, 0x9E37_79B9_7F4A_7C15);
    let b_values = pseudo_random_elements(4_000_000, 0xD1B5_4A32_D192_ED03);
    for (a, b) in a_values.zip(b_values) {
        assert_eq!(field32::mul(&a, &b), fiat_mul(&a, &b), "mul({a:08x?}, {b:08x?})");
        assert_eq!(field32::square(&a), fiat_square(&a), "square({a:08x?})");
    }
}

/// 2^256 mod p: 1 in the Montgomery domain.
fn montgomery_one() -> [u32; 8] {
    sub(&[0; 8], &P)
}

// The inverse below p is unique, so a·a⁻¹ = 1 in the Montgomery domain (with the multiply checked above) says
// the patched inversion gives fiat-crypto's Bernstein-Yang limbs.
#[test]
fn inverse_times_element_is_one_on_every_edge() {
    assert_eq!(field32::invert(&[0; 8]), [0; 8], "invert(0)");
    for a in edges().into_iter().filter(|a| *a != [0; 8]) {
        let inverse = field32::invert(&a);
        assert!(below_p(&inverse), "invert({a:08x?}) not reduced");
        assert_eq!(fiat_mul(&a, &inverse), montgomery_one(), "invert({a:08x?})");
    }
}

#[test]
fn inverse_times_element_is_one_on_pseudo_random_elements() {
    for a in pseudo_random_elements(20_000, 0x0123_4567_89AB_CDEF) {
        let inverse = field32::invert(&a);
        assert!(below_p(&inverse), "invert({a:08x?}) not reduced");
        assert_eq!(fiat_mul(&a, &inverse), montgomery_one(), "invert({a:08x?})");
    }
}

#[test]
fn multiply_and_square_equal_fiat_along_chains() {
    // Outputs fed back as inputs, as in a scalar multiplication: x ← x·y, y ← y², from an edge and a random start.
    let starts = [(sub(&P, &small(1)), sub(&P, &small(2)))]
        .into_iter()
        .chain(pseudo_random_elements(16, 0x2545_F491_4F6C_DD1D).zip(pseudo_random_elements(16, 0x1234_5678_9ABC_DEF1)));
    for (mut x, mut y) in starts {
        for _ in 0..100_000 {
            let (patched_x, patched_y) = (field32::mul(&x, &y), field32::square(&y));
            assert_eq!(patched_x, fiat_mul(&x, &y), "mul({x:08x?}, {y:08x?})");
            assert_eq!(patched_y, fiat_square(&y), "square({y:08x?})");
            (x, y) = (patched_x, patched_y);
        }
    }
}
