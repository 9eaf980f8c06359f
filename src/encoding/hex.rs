//! Hex at compile time, for tables of constants.

/// Uppercase big-endian hex to bytes at compile time, so that tables of curve constants read like the standards.
pub(crate) const fn hex_array<const N: usize>(text: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("hex_array: uppercase hex only"),
        }
    }
    let bytes = text.as_bytes();
    assert!(bytes.len() == 2 * N, "hex_array: wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
        i += 1;
    }
    out
}
