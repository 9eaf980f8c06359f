//! SM2's Z_A (GB/T 32918.2 §5.5): the hash of the signer's distinguishing ID, the curve and the public key
//! that every SM2DSA message digest starts with.

use crate::encoding::hex_array;
use sm3::{Digest, Sm3};

/// sm2p256v1 curve parameters a, b, x_G, y_G (GM/T 0003.5), the constant part of Z_A.
static SM2_CURVE_PARAMETERS: [[u8; 32]; 4] = [
    hex_array("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"),
    hex_array("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"),
    hex_array("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"),
    hex_array("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"),
];

/// Z_A = SM3(ENTL_A ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) for the public key's `x_a ‖ y_a` (64 bytes). `id` must be
/// at most 8191 bytes (ENTL_A is its length in bits, in 16 bits): the callers check.
pub(crate) fn z_a(id: &[u8], x_a_y_a: &[u8]) -> [u8; 32] {
    let mut z = Sm3::new();
    z.update(((id.len() * 8) as u16).to_be_bytes());
    z.update(id);
    for parameter in &SM2_CURVE_PARAMETERS {
        z.update(parameter);
    }
    z.update(x_a_y_a);
    z.finalize().into()
}
