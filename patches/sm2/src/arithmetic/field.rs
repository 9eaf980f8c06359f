//! Field arithmetic modulo p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff
//!
//! Arithmetic implementations have been synthesized using fiat-crypto.
//!
//! # License
//!
//! Copyright (c) 2015-2020 the fiat-crypto authors
//!
//! fiat-crypto is distributed under the terms of the MIT License, the
//! Apache License (Version 2.0), and the BSD 1-Clause License;
//! users may pick which license to apply.

use crate::U256;
use elliptic_curve::{
    bigint::cpubits,
    ff::PrimeField,
    ops::BatchInvert,
    subtle::{Choice, ConstantTimeEq, CtOption},
};

// Default backend: fiat-crypto
cpubits! {
    32 => {
        #[cfg(not(sm2_backend = "bigint"))]
        use fiat_crypto::sm2_32::*;

        // kms-offline patch (patches/README.md): fiat-crypto's 32-bit Montgomery multiply and square replaced
        // by field32.rs's, which give the same limbs for every input. These local items shadow the glob
        // import's, so everything that multiplies in this field uses them (fiat-crypto's to-Montgomery
        // conversion calls its own); fiat-crypto's add, sub, opp and conversions are used as published. The
        // inversion is field32.rs's too (the arithmetic impl below).
        #[cfg(not(sm2_backend = "bigint"))]
        #[path = "field32.rs"]
        mod field32;

        #[cfg(not(sm2_backend = "bigint"))]
        #[inline]
        const fn fiat_sm2_mul(
            out1: &mut fiat_sm2_montgomery_domain_field_element,
            arg1: &fiat_sm2_montgomery_domain_field_element,
            arg2: &fiat_sm2_montgomery_domain_field_element,
        ) {
            out1.0 = field32::mul(&arg1.0, &arg2.0);
        }

        #[cfg(not(sm2_backend = "bigint"))]
        #[inline]
        const fn fiat_sm2_square(
            out1: &mut fiat_sm2_montgomery_domain_field_element,
            arg1: &fiat_sm2_montgomery_domain_field_element,
        ) {
            out1.0 = field32::square(&arg1.0);
        }
    }
    64 => {
        #[cfg(not(sm2_backend = "bigint"))]
        use fiat_crypto::sm2_64::*;
    }
}

/// Constant representing the modulus serialized as hex.
const MODULUS_HEX: &str = "fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff";

primefield::monty_field_params! {
    name: FieldParams,
    modulus: MODULUS_HEX,
    uint: U256,
    byte_order: primefield::ByteOrder::BigEndian,
    multiplicative_generator: 13,
    doc: "Montgomery parameters for SM2's field modulus `p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff`"
}

primefield::monty_field_element! {
    name: FieldElement,
    params: FieldParams,
    uint: U256,
    doc: "Element in the SM2 finite field modulo `p = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff`"
}

#[cfg(sm2_backend = "bigint")]
primefield::monty_field_arithmetic! {
    name: FieldElement,
    params: FieldParams,
    uint: U256
}

cpubits! {
    32 => {
        // kms-offline patch (patches/README.md): what primefield's `fiat_monty_field_arithmetic!` generates
        // (primefield 0.14.0, src/macros/fiat.rs), written out for the 32-bit backend so that the inversion
        // can be field32.rs's Fermat chain instead of the macro's Bernstein-Yang divsteps; every other method
        // is the macro's, with its types and functions named.
        #[cfg(not(sm2_backend = "bigint"))]
        impl FieldElement {
            /// The limbs of a fiat-crypto Montgomery-domain result as a field element.
            #[inline]
            const fn from_fiat(out: fiat_sm2_montgomery_domain_field_element) -> Self {
                Self(primefield::MontyFieldElement::<FieldParams, { U256::LIMBS }>::from_montgomery_words(out.0))
            }

            /// This element's Montgomery-domain limbs, as fiat-crypto takes them.
            #[inline]
            const fn to_fiat(&self) -> fiat_sm2_montgomery_domain_field_element {
                fiat_sm2_montgomery_domain_field_element(self.0.to_montgomery_words())
            }

            /// Decode [`FieldElement`] from [`U256`] converting it into Montgomery form.
            ///
            /// Does *not* perform a check that the field element does not overflow the order.
            ///
            /// Used incorrectly this can lead to invalid results!
            #[inline]
            pub(crate) const fn from_uint_unchecked(w: U256) -> Self {
                let mut out = fiat_sm2_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_to_montgomery(&mut out, &fiat_sm2_non_montgomery_domain_field_element(w.to_words()));
                Self::from_fiat(out)
            }

            /// Translate [`FieldElement`] out of the Montgomery domain, returning a [`U256`] in canonical form.
            #[inline]
            pub const fn to_canonical(self) -> U256 {
                let mut out = fiat_sm2_non_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_from_montgomery(&mut out, &self.to_fiat());
                U256::from_words(out.0)
            }

            /// Add elements.
            #[inline]
            pub const fn add(&self, rhs: &Self) -> Self {
                let mut out = fiat_sm2_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_add(&mut out, &self.to_fiat(), &rhs.to_fiat());
                Self::from_fiat(out)
            }

            /// Double element (add it to itself).
            #[inline]
            #[must_use]
            pub const fn double(&self) -> Self {
                self.add(self)
            }

            /// Subtract elements.
            #[inline]
            pub const fn sub(&self, rhs: &Self) -> Self {
                let mut out = fiat_sm2_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_sub(&mut out, &self.to_fiat(), &rhs.to_fiat());
                Self::from_fiat(out)
            }

            /// Multiply elements.
            #[inline]
            pub const fn multiply(&self, rhs: &Self) -> Self {
                let mut out = fiat_sm2_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_mul(&mut out, &self.to_fiat(), &rhs.to_fiat());
                Self::from_fiat(out)
            }

            /// Negate element.
            #[inline]
            pub const fn neg(&self) -> Self {
                let mut out = fiat_sm2_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_opp(&mut out, &self.to_fiat());
                Self::from_fiat(out)
            }

            /// Compute modular square.
            #[inline]
            #[must_use]
            pub const fn square(&self) -> Self {
                let mut out = fiat_sm2_montgomery_domain_field_element([0; U256::LIMBS]);
                fiat_sm2_square(&mut out, &self.to_fiat());
                Self::from_fiat(out)
            }

            /// Compute [`FieldElement`] inversion: `1 / self`.
            #[inline]
            pub fn invert(&self) -> CtOption<Self> {
                CtOption::new(self.invert_unchecked(), !self.is_zero())
            }

            /// Compute field inversion as a `const fn`. Panics if `self` is zero.
            ///
            /// This is mainly intended for inverting constants at compile time.
            pub const fn const_invert(&self) -> Self {
                assert!(
                    !self.0.as_montgomery().cmp_vartime(&U256::ZERO).is_eq(),
                    "input to invert should be non-zero"
                );
                self.invert_unchecked()
            }

            /// Returns the multiplicative inverse of self.
            ///
            /// Does not check that self is non-zero.
            const fn invert_unchecked(&self) -> Self {
                Self::from_fiat(fiat_sm2_montgomery_domain_field_element(field32::invert(&self.to_fiat().0)))
            }
        }
    }
    64 => {
        #[cfg(not(sm2_backend = "bigint"))]
        primefield::fiat_monty_field_arithmetic! {
            name: FieldElement,
            params: FieldParams,
            uint: U256,
            non_mont: fiat_sm2_non_montgomery_domain_field_element,
            mont: fiat_sm2_montgomery_domain_field_element,
            from_mont: fiat_sm2_from_montgomery,
            to_mont: fiat_sm2_to_montgomery,
            add: fiat_sm2_add,
            sub: fiat_sm2_sub,
            mul: fiat_sm2_mul,
            neg: fiat_sm2_opp,
            square: fiat_sm2_square,
            divstep_precomp: fiat_sm2_divstep_precomp,
            divstep: fiat_sm2_divstep,
            msat: fiat_sm2_msat,
            selectnz: fiat_sm2_selectznz
        }
    }
}

impl BatchInvert for FieldElement {}

#[cfg(test)]
mod tests {
    use super::{FieldElement, U256};
    #[cfg(not(sm2_backend = "bigint"))]
    use super::{
        FieldParams, fiat_sm2_montgomery_domain_field_element, fiat_sm2_msat,
        fiat_sm2_non_montgomery_domain_field_element, fiat_sm2_to_montgomery,
    };

    primefield::test_primefield!(FieldElement, U256);

    #[cfg(not(sm2_backend = "bigint"))]
    primefield::test_fiat_monty_field_arithmetic!(
        name: FieldElement,
        params: FieldParams,
        uint: U256,
        non_mont: fiat_sm2_non_montgomery_domain_field_element,
        mont: fiat_sm2_montgomery_domain_field_element,
        to_mont: fiat_sm2_to_montgomery,
        msat: fiat_sm2_msat
    );
}
