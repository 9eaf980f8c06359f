//! The message writer: header (ESDK data-format/message-header.md, version 2), framed body (message-body.md)
//! and, for a signing suite, the footer (message-footer.md). Fed in chunks, it holds less than one frame of
//! plaintext, so memory is bounded by the frame length whatever the message size.

use super::keyring::EncryptedDataKey;
use super::suite::AlgorithmSuite;
use crate::error::{ErrorKind, KmsError, Result, Rule};
use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{AeadInOut, KeyInit};
use p384::ecdsa::signature::hazmat::PrehashSigner;
use sha2::{Digest, Sha384};
use zeroize::Zeroizing;

/// The ESDK's default frame length (every ESDK's default).
pub const DEFAULT_FRAME_LENGTH: u32 = 4096;
/// Largest frame length every ESDK decrypts (2^31 - 1; the Python ESDK's MAX_FRAME_SIZE, Java's int frames).
pub const MAX_FRAME_LENGTH: u32 = i32::MAX as u32;
/// Sequence numbers are 32-bit and start at 1: at most 2^32 - 1 frames, the final one included.
pub const MAX_FRAMES: u32 = u32::MAX;

const MESSAGE_FORMAT_VERSION: u8 = 0x02;
const CONTENT_TYPE_FRAMED: u8 = 0x02;
const MESSAGE_ID_LEN: usize = 32;
const IV_LEN: usize = 12;
const FINAL_FRAME_MARKER: u32 = u32::MAX;
const FRAME_AAD: &[u8] = b"AWSKMSEncryptionClient Frame";
const FINAL_FRAME_AAD: &[u8] = b"AWSKMSEncryptionClient Final Frame";

/// Checks a FrameLength against the format's limits.
pub fn check_frame_length(frame_length: u32) -> Result<()> {
    if (1..=MAX_FRAME_LENGTH).contains(&frame_length) {
        return Ok(());
    }
    Err(KmsError::validation(format!(
        "FrameLength is {frame_length}: the AWS Encryption SDK message format takes 1 to {MAX_FRAME_LENGTH} bytes (default {DEFAULT_FRAME_LENGTH})"
    ))
    .rule_code(Rule::EsdkFrameLength)
    .param("field", "FrameLength")
    .param("size", frame_length as usize)
    .param("max", MAX_FRAME_LENGTH as usize))
}

/// The keys of one message, derived from its data key and message ID (HKDF-SHA512, salt = message ID).
pub struct MessageKeys {
    pub encryption: Zeroizing<[u8; 32]>,
    pub commitment: [u8; 32],
}

/// info = suite ID ‖ "DERIVEKEY" for the encryption key, "COMMITKEY" for the commitment key
/// (algorithm-suites.md, "Key Derivation" and "Key Commitment").
pub fn derive_keys(suite: AlgorithmSuite, data_key: &[u8; 32], message_id: &[u8; MESSAGE_ID_LEN]) -> Result<MessageKeys> {
    let hkdf = hkdf::Hkdf::<sha2::Sha512>::new(Some(message_id), data_key);
    let mut info = suite.id().to_be_bytes().to_vec();
    info.extend_from_slice(b"DERIVEKEY");
    let mut encryption = Zeroizing::new([0u8; 32]);
    let mut commitment = [0u8; 32];
    hkdf.expand(&info, encryption.as_mut_slice())
        .and_then(|()| hkdf.expand(b"COMMITKEY", &mut commitment))
        .map_err(|_| KmsError::new(ErrorKind::Internal, "HKDF-SHA512 refused a 32-byte output"))?;
    Ok(MessageKeys { encryption, commitment })
}

/// The header body (everything before the header authentication tag).
pub fn header_body(
    suite: AlgorithmSuite,
    message_id: &[u8; MESSAGE_ID_LEN],
    serialised_context: &[u8],
    edk: &EncryptedDataKey,
    frame_length: u32,
    commitment_key: &[u8; 32],
) -> Result<Vec<u8>> {
    let field = |bytes: &[u8], what: &str| -> Result<[u8; 2]> {
        u16::try_from(bytes.len())
            .map(u16::to_be_bytes)
            .map_err(|_| KmsError::new(ErrorKind::Internal, format!("{what} is {} bytes, over the header's 16-bit length", bytes.len())))
    };
    let mut header = vec![MESSAGE_FORMAT_VERSION];
    header.extend_from_slice(&suite.id().to_be_bytes());
    header.extend_from_slice(message_id);
    header.extend_from_slice(&field(serialised_context, "the encryption context")?);
    header.extend_from_slice(serialised_context);
    header.extend_from_slice(&1u16.to_be_bytes()); // one encrypted data key
    for (bytes, what) in [
        (edk.provider_id.as_bytes(), "the key provider ID"),
        (edk.provider_info.as_slice(), "the key provider info"),
        (edk.ciphertext.as_slice(), "the encrypted data key"),
    ] {
        header.extend_from_slice(&field(bytes, what)?);
        header.extend_from_slice(bytes);
    }
    header.push(CONTENT_TYPE_FRAMED);
    header.extend_from_slice(&frame_length.to_be_bytes());
    header.extend_from_slice(commitment_key);
    Ok(header)
}

/// Encrypts a message chunk by chunk: [`update`](Self::update) returns the bytes ready (the header first,
/// then every complete frame), [`finish`](Self::finish) the final frame and the footer.
pub struct MessageEncryptor {
    cipher: Aes256Gcm,
    message_id: [u8; MESSAGE_ID_LEN],
    frame_length: usize,
    /// The next frame's sequence number.
    sequence: u32,
    /// Plaintext not yet in a frame: always less than one frame (wiped on drop).
    pending: Zeroizing<Vec<u8>>,
    /// Header and tag, until the first output.
    header: Option<Vec<u8>>,
    signer: Option<(p384::ecdsa::SigningKey, Sha384)>,
    finished: bool,
}

impl MessageEncryptor {
    pub(crate) fn new(
        header_body: Vec<u8>,
        keys: &MessageKeys,
        message_id: [u8; MESSAGE_ID_LEN],
        frame_length: u32,
        signing_key: Option<p384::ecdsa::SigningKey>,
    ) -> Result<Self> {
        let cipher = Aes256Gcm::new_from_slice(keys.encryption.as_slice())
            .map_err(|_| KmsError::new(ErrorKind::Internal, "AES-256-GCM key length"))?;
        // Header authentication, version 2: the tag of an empty plaintext under a zero IV, the header as AAD
        // (no required-context keys: nothing of the context is left out of the header).
        let tag = cipher
            .encrypt_inout_detached(&[0u8; IV_LEN].into(), &header_body, (&mut [][..]).into())
            .map_err(|_| KmsError::new(ErrorKind::Internal, "AES-GCM refused the header"))?;
        let mut header = header_body;
        header.extend_from_slice(&tag);
        Ok(MessageEncryptor {
            cipher,
            message_id,
            frame_length: frame_length as usize,
            sequence: 1,
            pending: Zeroizing::new(Vec::new()),
            header: Some(header),
            signer: signing_key.map(|key| (key, Sha384::new())),
            finished: false,
        })
    }

    /// Feeds plaintext; returns the message bytes now complete. After an error the message is abandoned.
    pub fn update(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        self.check_open()?;
        // The AES rounds leave key-dependent copies in the frames below: wiped as every operation on secrets is.
        let result = crate::scrub::wiping_stack(|| self.frames_of(chunk));
        self.finished = result.is_err();
        result
    }

    fn frames_of(&mut self, mut chunk: &[u8]) -> Result<Vec<u8>> {
        let mut out = self.take_header();
        let frames = (self.pending.len() + chunk.len()) / self.frame_length;
        out.reserve(frames * (4 + IV_LEN + self.frame_length + 16));
        if !self.pending.is_empty() && self.pending.len() + chunk.len() >= self.frame_length {
            let (head, rest) = chunk.split_at(self.frame_length - self.pending.len());
            self.pending.extend_from_slice(head);
            let frame = core::mem::take(&mut *self.pending);
            self.write_frame(&frame, false, &mut out)?;
            drop(Zeroizing::new(frame)); // wiped
            chunk = rest;
        }
        while chunk.len() >= self.frame_length {
            let (frame, rest) = chunk.split_at(self.frame_length);
            self.write_frame(frame, false, &mut out)?;
            chunk = rest;
        }
        self.pending.extend_from_slice(chunk);
        self.sign(&out);
        Ok(out)
    }

    /// Ends the message: the final frame (the plaintext left, less than one frame, possibly none) and, for a
    /// signing suite, the footer.
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        self.check_open()?;
        crate::scrub::wiping_stack(|| self.final_frame_and_footer())
    }

    fn final_frame_and_footer(&mut self) -> Result<Vec<u8>> {
        self.finished = true;
        let mut out = self.take_header();
        let rest = core::mem::take(&mut *self.pending);
        let rest = Zeroizing::new(rest);
        self.write_frame(&rest, true, &mut out)?;
        self.sign(&out);
        if let Some((key, digest)) = self.signer.take() {
            let hash = digest.finalize();
            let signature: p384::ecdsa::Signature =
                key.sign_prehash(&hash).map_err(|_| KmsError::new(ErrorKind::Internal, "ECDSA P-384 signing failed"))?;
            let der = signature.to_der();
            out.extend_from_slice(&(der.as_bytes().len() as u16).to_be_bytes());
            out.extend_from_slice(der.as_bytes());
        }
        Ok(out)
    }

    fn check_open(&self) -> Result<()> {
        if self.finished {
            return Err(KmsError::validation("this message is already finished: start a new one"));
        }
        Ok(())
    }

    fn take_header(&mut self) -> Vec<u8> {
        self.header.take().unwrap_or_default()
    }

    fn sign(&mut self, bytes: &[u8]) {
        if let Some((_, digest)) = &mut self.signer {
            digest.update(bytes);
        }
    }

    /// One frame: sequence number, IV (the sequence number, big-endian, in 12 bytes), [final: length],
    /// ciphertext and tag; the AAD is message ID ‖ frame string ‖ sequence number ‖ content length (u64).
    fn write_frame(&mut self, plaintext: &[u8], last: bool, out: &mut Vec<u8>) -> Result<()> {
        let sequence = self.sequence;
        if sequence == MAX_FRAMES && !last {
            return Err(too_many_frames(self.frame_length));
        }
        let mut iv = [0u8; IV_LEN];
        iv[IV_LEN - 4..].copy_from_slice(&sequence.to_be_bytes());
        let mut aad = Vec::with_capacity(MESSAGE_ID_LEN + FINAL_FRAME_AAD.len() + 12);
        aad.extend_from_slice(&self.message_id);
        aad.extend_from_slice(if last { FINAL_FRAME_AAD } else { FRAME_AAD });
        aad.extend_from_slice(&sequence.to_be_bytes());
        aad.extend_from_slice(&(plaintext.len() as u64).to_be_bytes());
        if last {
            out.extend_from_slice(&FINAL_FRAME_MARKER.to_be_bytes());
        }
        out.extend_from_slice(&sequence.to_be_bytes());
        out.extend_from_slice(&iv);
        if last {
            out.extend_from_slice(&(plaintext.len() as u32).to_be_bytes());
        }
        let start = out.len();
        out.extend_from_slice(plaintext);
        let tag = self
            .cipher
            .encrypt_inout_detached(&iv.into(), &aad, (&mut out[start..]).into())
            .map_err(|_| KmsError::new(ErrorKind::Internal, "AES-GCM refused a frame"))?;
        out.extend_from_slice(&tag);
        self.sequence = sequence.wrapping_add(1);
        Ok(())
    }
}

/// More than 2^32 - 1 frames: the 32-bit sequence number would overflow.
pub fn too_many_frames(frame_length: usize) -> KmsError {
    KmsError::validation(format!(
        "the plaintext needs more than {MAX_FRAMES} frames of {frame_length} bytes, the most a message has (32-bit sequence numbers): use a larger FrameLength"
    ))
    .rule_code(Rule::EsdkTooManyFrames)
    .param("field", "FrameLength")
    .param("size", frame_length)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encryptor(frame_length: u32) -> MessageEncryptor {
        let keys = MessageKeys { encryption: Zeroizing::new([1; 32]), commitment: [2; 32] };
        MessageEncryptor::new(vec![0], &keys, [3; 32], frame_length, None).unwrap()
    }

    /// 2^32 - 1 frames at most: the regular frame that would leave no sequence number for the final one is refused.
    #[test]
    fn sequence_numbers_never_wrap() {
        let mut near_end = encryptor(1);
        near_end.sequence = MAX_FRAMES - 1;
        near_end.update(&[0]).expect("frame 2^32 - 2");
        let error = near_end.update(&[0]).unwrap_err();
        assert_eq!(error.name(), "ValidationException");
        assert!(error.to_string().contains("use a larger FrameLength"), "{error}");
        let mut last = encryptor(1);
        last.sequence = MAX_FRAMES;
        last.finish().expect("the final frame may be number 2^32 - 1");
    }
}
