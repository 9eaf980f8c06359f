//! kms-offline patch (patches/README.md): Montgomery multiply, square and inversion modulo SM2's
//! p = 2^256 − 2^224 − 2^96 + 2^64 − 1 on 32-bit limbs, used instead of fiat-crypto's `fiat_sm2_mul`,
//! `fiat_sm2_square` and Bernstein-Yang inversion where the crate is built with 32-bit limbs (wasm32 in
//! kms-offline).
//!
//! Same representation and same results as fiat-crypto's for every input below p: little-endian 32-bit
//! limbs in the Montgomery domain (R = 2^256), outputs fully reduced (< p). The Montgomery result
//! a·b·R⁻¹ mod p is unique, so any correct reduction to [0, p) gives fiat's limbs bit for bit.
//!
//! What makes it faster: p ≡ −1 (mod 2^32), so the word-by-word Montgomery factor −p⁻¹ mod 2^32 is 1 and the
//! quotient digit m of each step is the current low limb itself; and m·p = m·2^256 − m·2^224 − m·2^96 +
//! m·2^64 − m, so adding m·p is four additions/subtractions of m at fixed limb offsets instead of eight
//! 32×32-bit multiplies with their carry chains. Squaring computes each cross product once.
//!
//! Constant time: no branch and no memory index depends on the values; fixed straight-line code; carries
//! by arithmetic; the final subtraction of p selected with a mask.
//!
//! Self-contained (no `crate::` paths): kms-offline's tests/sm2_field_patch.rs includes this file to compare
//! it with fiat-crypto's 32-bit code on any host.

/// p's limbs, least significant first.
const MODULUS: [u32; 8] = [
    0xffff_ffff, 0xffff_ffff, 0x0000_0000, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_fffe,
];

/// `$body` once for each listed value of `$k`, written out: at opt-level "s" LLVM keeps a `while` loop a loop,
/// and its array in memory instead of in locals (measured 1.5x slower in V8).
macro_rules! each {
    ($k:ident in $($value:literal)+ => $body:block) => {
        $( { let $k: usize = $value; $body } )+
    };
}

/// t + a·b + carry as (low limb, high limb). Cannot overflow 64 bits: (2^32−1) + (2^32−1)² + (2^32−1) = 2^64 − 1.
#[inline(always)]
const fn mac(t: u32, a: u32, b: u32, carry: u32) -> (u32, u32) {
    let x = t as u64 + (a as u64) * (b as u64) + carry as u64;
    (x as u32, (x >> 32) as u32)
}

/// a·b·2^-256 mod p, for a, b < p in the Montgomery domain.
#[inline]
pub const fn mul(a: &[u32; 8], b: &[u32; 8]) -> [u32; 8] {
    let mut t = [0u32; 16];
    // Schoolbook product, one row per limb of a; written out so that the limbs stay in locals at any opt-level.
    macro_rules! row {
        ($i:literal) => {{
            let mut c = 0u32;
            (t[$i], c) = mac(t[$i], a[$i], b[0], c);
            (t[$i + 1], c) = mac(t[$i + 1], a[$i], b[1], c);
            (t[$i + 2], c) = mac(t[$i + 2], a[$i], b[2], c);
            (t[$i + 3], c) = mac(t[$i + 3], a[$i], b[3], c);
            (t[$i + 4], c) = mac(t[$i + 4], a[$i], b[4], c);
            (t[$i + 5], c) = mac(t[$i + 5], a[$i], b[5], c);
            (t[$i + 6], c) = mac(t[$i + 6], a[$i], b[6], c);
            (t[$i + 7], c) = mac(t[$i + 7], a[$i], b[7], c);
            t[$i + 8] = c;
        }};
    }
    row!(0);
    row!(1);
    row!(2);
    row!(3);
    row!(4);
    row!(5);
    row!(6);
    row!(7);
    montgomery_reduce(&t)
}

/// a²·2^-256 mod p, for a < p in the Montgomery domain.
#[inline]
pub const fn square(a: &[u32; 8]) -> [u32; 8] {
    let mut t = [0u32; 16];
    // The products a_i·a_j with i < j, each once; row i ends at limb i + 8, which no earlier row reached.
    macro_rules! row {
        ($i:literal; $($j:literal)+) => {{
            let mut c = 0u32;
            $( (t[$i + $j], c) = mac(t[$i + $j], a[$i], a[$j], c); )+
            t[$i + 8] = c;
        }};
    }
    row!(0; 1 2 3 4 5 6 7);
    row!(1; 2 3 4 5 6 7);
    row!(2; 3 4 5 6 7);
    row!(3; 4 5 6 7);
    row!(4; 5 6 7);
    row!(5; 6 7);
    row!(6; 7);
    // Doubled (a shift by one bit across the limbs; t[15] is still 0 and receives the top bit) ...
    each!(k in 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 => {
        t[k] = (t[k] << 1) | (t[k - 1] >> 31);
    });
    t[0] <<= 1;
    // ... plus the squares a_i² on the diagonal. The sum is a² < 2^512: no carry leaves limb 15.
    macro_rules! diagonal {
        ($($i:literal)+) => {{
            let mut c = 0u32;
            $(
                let sq = (a[$i] as u64) * (a[$i] as u64);
                let x = t[2 * $i] as u64 + (sq as u32) as u64 + c as u64;
                t[2 * $i] = x as u32;
                let x = t[2 * $i + 1] as u64 + (sq >> 32) + (x >> 32);
                t[2 * $i + 1] = x as u32;
                c = (x >> 32) as u32;
            )+
            let _ = c;
        }};
    }
    diagonal!(0 1 2 3 4 5 6 7);
    montgomery_reduce(&t)
}

/// a^(2^n) (n squarings; n is a constant of the caller, never data).
#[inline]
const fn square_n(a: &[u32; 8], n: u32) -> [u32; 8] {
    let mut x = *a;
    let mut i = 0;
    while i < n {
        x = square(&x);
        i += 1;
    }
    x
}

/// a⁻¹ = a^(p−2) mod p (Fermat), in the Montgomery domain; 0 for a = 0 (the caller's `CtOption` says "none"
/// there). A fixed addition chain: 256 squarings and 15 multiplications whatever a is. With this file's
/// multiply it is ~4x faster on wasm32 than the Bernstein-Yang divsteps of fiat-crypto it replaces (741 steps
/// on 9-limb numbers); the inverse below p is unique, so the limbs are the same.
#[inline]
pub const fn invert(a: &[u32; 8]) -> [u32; 8] {
    // x_k = a^(2^k − 1): k ones in binary.
    let x1 = *a;
    let x2 = mul(&square(&x1), &x1);
    let x3 = mul(&square(&x2), &x1);
    let x6 = mul(&square_n(&x3, 3), &x3);
    let x12 = mul(&square_n(&x6, 6), &x6);
    let x24 = mul(&square_n(&x12, 12), &x12);
    let x30 = mul(&square_n(&x24, 6), &x6);
    let x31 = mul(&square(&x30), &x1);
    let x32 = mul(&square(&x31), &x1);
    // p − 2 from its top bit: 31 ones, a zero, 128 ones, 32 zeros, 32 ones, 30 ones, a zero, a one.
    let mut t = square(&x31);
    t = mul(&square_n(&t, 32), &x32);
    t = mul(&square_n(&t, 32), &x32);
    t = mul(&square_n(&t, 32), &x32);
    t = mul(&square_n(&t, 32), &x32);
    t = square_n(&t, 32);
    t = mul(&square_n(&t, 32), &x32);
    t = mul(&square_n(&t, 30), &x30);
    t = square(&t);
    mul(&square(&t), &x1)
}

/// t·2^-256 mod p for t < p² (t's limbs least significant first), fully reduced.
#[inline(always)]
const fn montgomery_reduce(t: &[u32; 16]) -> [u32; 8] {
    // Signed 64-bit accumulators with carries left pending: every limb gets a few ±m < 2^32 and one carry, far
    // from the i64 range.
    let mut acc = [0i64; 16];
    each!(k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 => {
        acc[k] = t[k] as i64;
    });
    // Step i adds m·p·2^(32i) with m = limb i mod 2^32 (−p⁻¹ ≡ 1 mod 2^32). Its −m at offset 0 leaves a
    // multiple of 2^32 in limb i, carried to limb i+1 (which m·p does not touch, so m of the next step is
    // exact); then +m·2^64, −m·2^96, −m·2^224, +m·2^256.
    macro_rules! step {
        ($($i:literal)+) => {$(
            let m = (acc[$i] as u32) as i64;
            acc[$i + 1] += acc[$i] >> 32;
            acc[$i + 2] += m;
            acc[$i + 3] -= m;
            acc[$i + 7] -= m;
            acc[$i + 8] += m;
        )+};
    }
    step!(0 1 2 3 4 5 6 7);
    // (t + M·p) / 2^256 < (p² + 2^256·p) / 2^256 < 2p: limbs 8..15 with their pending carries, plus a top bit.
    let mut r = [0u32; 8];
    let mut carry = 0i64;
    each!(k in 0 1 2 3 4 5 6 7 => {
        let x = acc[8 + k] + carry;
        r[k] = x as u32;
        carry = x >> 32;
    });
    // r − p; keep it unless it borrowed below zero (top bit + final borrow = −1 means r < p).
    let mut d = [0u32; 8];
    let mut borrow = 0i64;
    each!(k in 0 1 2 3 4 5 6 7 => {
        let x = r[k] as i64 - MODULUS[k] as i64 + borrow;
        d[k] = x as u32;
        borrow = x >> 32;
    });
    let keep_r = (carry + borrow) as u32; // all ones when r < p, else 0
    each!(k in 0 1 2 3 4 5 6 7 => {
        r[k] = (r[k] & keep_r) | (d[k] & !keep_r);
    });
    r
}
