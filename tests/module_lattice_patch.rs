//! The module-lattice the package builds with (patches/README.md) reduces exactly as upstream's. Its one
//! change: for a field whose `LongLong` is u128 (ML-DSA's q = 8380417), the Barrett quotient x·M >> SHIFT
//! is computed from the halves of x instead of a quadruple-width product; ML-KEM's field (q = 3329, u64)
//! keeps the published code. Both are checked against upstream's formula on every edge we could name and
//! on a million deterministic pseudo-random inputs, and against x mod q over the domain the algorithms use
//! (products of two reduced elements).

use module_lattice::{Field, define_field};

define_field!(MlDsaField, u32, u64, u128, 8_380_417);
define_field!(MlKemField, u16, u32, u64, 3329);

/// module-lattice 0.2.4's `barrett_reduce`, as published.
fn upstream_ml_dsa(x: u64) -> u32 {
    let x = u128::from(x);
    let quotient = (x * MlDsaField::BARRETT_MULTIPLIER) >> MlDsaField::BARRETT_SHIFT;
    let remainder = x - quotient * u128::from(MlDsaField::Q);
    MlDsaField::small_reduce((remainder & u128::from(u32::MAX)) as u32)
}

fn upstream_ml_kem(x: u32) -> u16 {
    let x = u64::from(x);
    let quotient = (x * MlKemField::BARRETT_MULTIPLIER) >> MlKemField::BARRETT_SHIFT;
    let remainder = x - quotient * u64::from(MlKemField::Q);
    MlKemField::small_reduce((remainder & u64::from(u16::MAX)) as u16)
}

/// xorshift64*: deterministic, so a failure names an input that fails again.
fn pseudo_random(count: usize) -> impl Iterator<Item = u64> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    (0..count).map(move |_| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

/// Values next to every power of two, to every multiple of `q` near the powers of two, to `q^2` and to the
/// type's maximum.
fn edges(q: u64, max: u64) -> Vec<u64> {
    let mut points = vec![0, q, q * q, max];
    for bit in 0..64 {
        let power = 1u64 << bit;
        if power <= max {
            points.push(power);
            points.push(power / q * q);
        }
    }
    let mut all = Vec::new();
    for point in points {
        for delta in 0..=3 {
            all.push(point.saturating_sub(delta).min(max));
            all.push(point.saturating_add(delta).min(max));
        }
    }
    all
}

#[test]
fn ml_dsa_field_reduces_as_upstream() {
    let q = u64::from(MlDsaField::Q);
    let inputs = edges(q, u64::MAX).into_iter().chain(pseudo_random(1_000_000)).chain(0..1 << 20);
    for x in inputs {
        assert_eq!(MlDsaField::barrett_reduce(x), upstream_ml_dsa(x), "x = {x}");
    }
    for x in pseudo_random(1_000_000).map(|r| r % (q * q)) {
        assert_eq!(u64::from(MlDsaField::barrett_reduce(x)), x % q, "x = {x}");
    }
}

#[test]
fn ml_kem_field_reduces_as_upstream() {
    let q = u64::from(MlKemField::Q);
    let inputs = edges(q, u64::from(u32::MAX)).into_iter().chain(pseudo_random(1_000_000).map(|r| r >> 32)).chain(0..1 << 24);
    for x in inputs.map(|x| x as u32) {
        assert_eq!(MlKemField::barrett_reduce(x), upstream_ml_kem(x), "x = {x}");
    }
    for x in 0..(q * q) as u32 {
        assert_eq!(u64::from(MlKemField::barrett_reduce(x)), u64::from(x) % q, "x = {x}");
    }
}
