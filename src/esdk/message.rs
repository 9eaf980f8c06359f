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
pub fn derive_keys(
    suite: AlgorithmSuite,
    data_key: &[u8; 32],
    message_id: &[u8; MESSAGE_ID_LEN],
) -> Result<MessageKeys> {
    let hkdf = hkdf::Hkdf::<sha2::Sha512>::new(Some(message_id), data_key);
    let mut info = suite.id().to_be_bytes().to_vec();
    info.extend_from_slice(b"DERIVEKEY");
    let mut encryption = Zeroizing::new([0u8; 32]);
    let mut commitment = [0u8; 32];
    hkdf.expand(&info, encryption.as_mut_slice())
        .and_then(|()| hkdf.expand(b"COMMITKEY", &mut commitment))
        .map_err(|_| KmsError::new(ErrorKind::Internal, "HKDF-SHA512 refused a 32-byte output"))?;
    Ok(MessageKeys {
        encryption,
        commitment,
    })
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
            .map_err(|_| {
                KmsError::new(
                    ErrorKind::Internal,
                    format!(
                        "{what} is {} bytes, over the header's 16-bit length",
                        bytes.len()
                    ),
                )
            })
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

/// One frame as the format defines it, handed out in order by [`MessageEncryptor::plan_frame`]: everything but
/// the AES-GCM itself, so that a caller may run that elsewhere (the JS binding: WebCrypto) and hand the sealed
/// bytes back to [`MessageEncryptor::accept_sealed`]. The frame's bytes are `head ‖ ciphertext ‖ tag`.
#[derive(Clone, Debug)]
pub struct Frame {
    pub sequence: u32,
    pub last: bool,
    pub content_length: usize,
    /// The sequence number, big-endian, in 12 bytes.
    pub iv: [u8; IV_LEN],
    /// Message ID ‖ frame string ‖ sequence number ‖ content length (u64).
    pub aad: Vec<u8>,
    /// The bytes before the ciphertext: [final-frame marker], sequence number, IV, [content length].
    pub head: Vec<u8>,
}

/// A sealed frame (ciphertext ‖ tag) given back to the encryptor: its bytes, or only its length when the suite
/// does not sign (nothing of the frame is hashed; the caller writes `head ‖ sealed` itself), or its length when
/// the caller hashes the message itself ([`MessageEncryptor::hash_elsewhere`]: it hashed `head ‖ sealed`).
pub enum Sealed<'a> {
    Bytes(&'a [u8]),
    Length(usize),
    Hashed(usize),
}

/// Where a signing suite's SHA-384 of the message (header, then each frame's `head ‖ sealed`) is computed.
enum Digesting {
    Here(Box<Sha384>),
    /// By the caller, which hands the final digest to [`MessageEncryptor::footer_with_digest`].
    Elsewhere,
}

/// SHA-384's output length: the digest the footer signs.
pub const DIGEST_LEN: usize = 48;

/// How a chunk is cut into frames when `held` plaintext bytes (less than a frame) wait from earlier chunks: the
/// first `fill` bytes complete the held frame (0: none is completed), then `whole` frames, and the rest is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cuts {
    pub fill: usize,
    pub whole: usize,
    pub rest_start: usize,
}

/// The GCM tag length (128 bits, every suite).
pub const TAG_LEN: usize = 16;

/// Encrypts a message chunk by chunk: [`update`](Self::update) returns the bytes ready (the header first,
/// then every complete frame), [`finish`](Self::finish) the final frame and the footer. The same format is
/// available frame by frame for a caller that runs AES-GCM itself: [`header`](Self::header),
/// [`plan_frame`](Self::plan_frame), [`accept_sealed`](Self::accept_sealed), [`footer`](Self::footer).
pub struct MessageEncryptor {
    cipher: Aes256Gcm,
    /// The raw encryption key until [`take_encryption_key`](Self::take_encryption_key) hands it out (wiped on drop).
    encryption_key: Option<Zeroizing<[u8; 32]>>,
    message_id: [u8; MESSAGE_ID_LEN],
    frame_length: usize,
    /// The next frame's sequence number.
    sequence: u32,
    /// The sequence number of the next sealed frame to accept (frames are written in order).
    next_sealed: u32,
    /// The final frame has been planned (no more frames).
    last_planned: bool,
    /// The final frame has been accepted (the footer may be written).
    last_sealed: bool,
    /// Plaintext not yet in a frame: always less than one frame (wiped on drop).
    pending: Zeroizing<Vec<u8>>,
    /// Header and tag, until the first output.
    header: Option<Vec<u8>>,
    signer: Option<(p384::ecdsa::SigningKey, Digesting)>,
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
            encryption_key: Some(keys.encryption.clone()),
            message_id,
            frame_length: frame_length as usize,
            sequence: 1,
            next_sealed: 1,
            last_planned: false,
            last_sealed: false,
            pending: Zeroizing::new(Vec::new()),
            header: Some(header),
            signer: signing_key.map(|key| (key, Digesting::Here(Box::default()))),
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

    fn frames_of(&mut self, chunk: &[u8]) -> Result<Vec<u8>> {
        let mut out = self.header();
        let cuts = self.cuts(self.pending.len(), chunk.len());
        out.reserve((cuts.whole + 1) * (4 + IV_LEN + self.frame_length + TAG_LEN));
        if cuts.fill > 0 {
            self.pending.extend_from_slice(&chunk[..cuts.fill]);
            let frame = Zeroizing::new(core::mem::take(&mut *self.pending));
            self.write_frame(&frame, false, &mut out)?;
        }
        for frame in chunk[cuts.fill..cuts.rest_start].chunks_exact(self.frame_length) {
            self.write_frame(frame, false, &mut out)?;
        }
        self.pending.extend_from_slice(&chunk[cuts.rest_start..]);
        Ok(out)
    }

    /// Where frames start in a chunk of `chunk_len` bytes after `held` bytes (less than a frame) of earlier
    /// chunks: frames are written as soon as they are complete, the final frame holds what is left (maybe nothing).
    pub fn cuts(&self, held: usize, chunk_len: usize) -> Cuts {
        let fill = if held > 0 && held + chunk_len >= self.frame_length {
            self.frame_length - held
        } else {
            0
        };
        let whole = (chunk_len - fill) / self.frame_length;
        Cuts {
            fill,
            whole,
            rest_start: fill + whole * self.frame_length,
        }
    }

    /// Ends the message: the final frame (the plaintext left, less than one frame, possibly none) and, for a
    /// signing suite, the footer.
    pub fn finish(&mut self) -> Result<Vec<u8>> {
        self.check_open()?;
        let result = crate::scrub::wiping_stack(|| self.final_frame_and_footer());
        self.finished = true;
        result
    }

    fn final_frame_and_footer(&mut self) -> Result<Vec<u8>> {
        let mut out = self.header();
        let rest = Zeroizing::new(core::mem::take(&mut *self.pending));
        self.write_frame(&rest, true, &mut out)?;
        out.extend(self.footer()?);
        Ok(out)
    }

    fn check_open(&self) -> Result<()> {
        if self.finished {
            return Err(KmsError::validation(
                "this message is already finished: start a new one",
            ));
        }
        Ok(())
    }

    /// The header with its authentication tag the first time, then nothing (hashed for the signature).
    pub fn header(&mut self) -> Vec<u8> {
        let header = self.header.take().unwrap_or_default();
        self.sign(&header);
        header
    }

    /// The header body and its authentication tag (empty plaintext, zero IV), to check another AES-GCM
    /// implementation against this one before it encrypts frames; `None` once the header is written.
    pub fn header_known_answer(&self) -> Option<(&[u8], &[u8])> {
        self.header
            .as_deref()
            .map(|header| header.split_at(header.len() - TAG_LEN))
    }

    /// The AES-256-GCM key of the frames, once (for a platform AES-GCM that imports it as a non-extractable key);
    /// the copy is wiped when the returned value drops.
    pub fn take_encryption_key(&mut self) -> Option<Zeroizing<[u8; 32]>> {
        self.encryption_key.take()
    }

    /// Plaintext bytes per frame.
    pub fn frame_length(&self) -> usize {
        self.frame_length
    }

    /// Whether [`accept_sealed`](Self::accept_sealed) needs the sealed bytes (a signing suite hashes the whole
    /// message here, unless [`hash_elsewhere`](Self::hash_elsewhere) moved that to the caller).
    pub fn hashes_frames(&self) -> bool {
        matches!(self.signer, Some((_, Digesting::Here(_))))
    }

    /// Hands a signing suite's SHA-384 of the message to the caller (a platform hash, faster than this crate's in
    /// wasm): it then hashes the header and each frame's `head ‖ sealed` in order, gives frames back as
    /// [`Sealed::Hashed`] and ends with [`footer_with_digest`](Self::footer_with_digest). Taken only before the
    /// header is written and only when `header_digest` is the SHA-384 of the header this crate computes (a known
    /// answer: a hash that gets it wrong is never used). Whether the caller now hashes.
    pub fn hash_elsewhere(&mut self, header_digest: &[u8]) -> bool {
        let (Some(header), Some((_, digesting @ Digesting::Here(_)))) = (&self.header, &mut self.signer) else {
            return false;
        };
        if Sha384::digest(header).as_slice() != header_digest {
            return false;
        }
        *digesting = Digesting::Elsewhere;
        true
    }

    fn sign(&mut self, bytes: &[u8]) {
        if let Some((_, Digesting::Here(digest))) = &mut self.signer {
            digest.update(bytes);
        }
    }

    /// The next frame: `content_length` bytes, which is the frame length except in the final frame (at most it).
    pub fn plan_frame(&mut self, content_length: usize, last: bool) -> Result<Frame> {
        self.check_open()?;
        if self.last_planned {
            return Err(KmsError::new(
                ErrorKind::Internal,
                "a frame was planned after the final frame",
            ));
        }
        if content_length > self.frame_length || (!last && content_length != self.frame_length) {
            return Err(KmsError::new(
                ErrorKind::Internal,
                "a frame's content length is not the frame length",
            ));
        }
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
        aad.extend_from_slice(&(content_length as u64).to_be_bytes());
        let mut head = Vec::with_capacity(4 + 4 + IV_LEN + 4);
        if last {
            head.extend_from_slice(&FINAL_FRAME_MARKER.to_be_bytes());
        }
        head.extend_from_slice(&sequence.to_be_bytes());
        head.extend_from_slice(&iv);
        if last {
            head.extend_from_slice(&(content_length as u32).to_be_bytes());
        }
        self.sequence = sequence.wrapping_add(1);
        self.last_planned = last;
        Ok(Frame {
            sequence,
            last,
            content_length,
            iv,
            aad,
            head,
        })
    }

    /// `frame` sealed here (AES-256-GCM in this crate): ciphertext ‖ tag.
    pub fn seal(&self, frame: &Frame, plaintext: &[u8]) -> Result<Vec<u8>> {
        // The AES rounds leave key-dependent copies on the stack: wiped as every operation on secrets is.
        crate::scrub::wiping_stack(|| self.seal_here(frame, plaintext))
    }

    fn seal_here(&self, frame: &Frame, plaintext: &[u8]) -> Result<Vec<u8>> {
        if plaintext.len() != frame.content_length {
            return Err(KmsError::new(
                ErrorKind::Internal,
                "a frame's plaintext is not its planned length",
            ));
        }
        let mut sealed = Vec::with_capacity(plaintext.len() + TAG_LEN);
        sealed.extend_from_slice(plaintext);
        let tag = self
            .cipher
            .encrypt_inout_detached(&frame.iv.into(), &frame.aad, (&mut sealed[..]).into())
            .map_err(|_| KmsError::new(ErrorKind::Internal, "AES-GCM refused a frame"))?;
        sealed.extend_from_slice(&tag);
        Ok(sealed)
    }

    /// Takes `frame` back sealed (ciphertext ‖ tag, by whichever AES-GCM): frames are accepted in sequence
    /// order, each exactly once, with the length the format requires.
    pub fn accept_sealed(&mut self, frame: &Frame, sealed: Sealed<'_>) -> Result<()> {
        self.check_open()?;
        let length = match (&sealed, &self.signer) {
            (Sealed::Bytes(bytes), None | Some((_, Digesting::Here(_)))) => bytes.len(),
            (Sealed::Length(length), None) | (Sealed::Hashed(length), Some((_, Digesting::Elsewhere))) => *length,
            (Sealed::Length(_) | Sealed::Hashed(_), _) => {
                return Err(KmsError::new(
                    ErrorKind::Internal,
                    "a signing suite hashing here needs the sealed frame's bytes, and only a suite hashed elsewhere takes a frame as hashed",
                ));
            }
            (Sealed::Bytes(_), Some((_, Digesting::Elsewhere))) => {
                return Err(KmsError::new(
                    ErrorKind::Internal,
                    "the message is hashed elsewhere: a frame is given back as hashed",
                ));
            }
        };
        let planned_not_sealed = self.sequence.wrapping_sub(self.next_sealed);
        if self.last_sealed || planned_not_sealed == 0 || frame.sequence != self.next_sealed {
            return Err(KmsError::new(
                ErrorKind::Internal,
                "a sealed frame came back out of order",
            ));
        }
        if length != frame.content_length + TAG_LEN {
            return Err(KmsError::new(
                ErrorKind::Internal,
                "a sealed frame is not its plaintext length plus the 16-byte tag",
            ));
        }
        if let Sealed::Bytes(bytes) = sealed {
            self.sign(&frame.head);
            self.sign(bytes);
        }
        self.next_sealed = frame.sequence.wrapping_add(1);
        self.last_sealed = frame.last;
        Ok(())
    }

    /// Ends the message after its final frame was accepted: the signature footer of a signing suite, else nothing.
    pub fn footer(&mut self) -> Result<Vec<u8>> {
        self.footer_signing(None)
    }

    /// [`footer`](Self::footer) of a message hashed elsewhere ([`hash_elsewhere`](Self::hash_elsewhere)): `digest`
    /// is the SHA-384 of everything before the footer, and it is signed as this crate's own would be.
    pub fn footer_with_digest(&mut self, digest: &[u8]) -> Result<Vec<u8>> {
        self.footer_signing(Some(digest))
    }

    fn footer_signing(&mut self, given: Option<&[u8]>) -> Result<Vec<u8>> {
        self.check_open()?;
        if !self.last_sealed {
            return Err(KmsError::new(
                ErrorKind::Internal,
                "the footer was asked for before the final frame",
            ));
        }
        self.finished = true;
        let (key, hash) = match (self.signer.take(), given) {
            (None, None) => return Ok(Vec::new()),
            (Some((key, Digesting::Here(digest))), None) => (key, digest.finalize().to_vec()),
            (Some((key, Digesting::Elsewhere)), Some(digest)) if digest.len() == DIGEST_LEN => (key, digest.to_vec()),
            _ => {
                return Err(KmsError::new(
                    ErrorKind::Internal,
                    "the footer needs a 48-byte digest exactly when the message is hashed elsewhere",
                ));
            }
        };
        let signature: p384::ecdsa::Signature = key
            .sign_prehash(&hash)
            .map_err(|_| KmsError::new(ErrorKind::Internal, "ECDSA P-384 signing failed"))?;
        let der = signature.to_der();
        let mut out = (der.as_bytes().len() as u16).to_be_bytes().to_vec();
        out.extend_from_slice(der.as_bytes());
        Ok(out)
    }

    /// One frame written here: planned, sealed in this crate, accepted, appended to `out`.
    fn write_frame(&mut self, plaintext: &[u8], last: bool, out: &mut Vec<u8>) -> Result<()> {
        let frame = self.plan_frame(plaintext.len(), last)?;
        let sealed = self.seal_here(&frame, plaintext)?;
        self.accept_sealed(&frame, Sealed::Bytes(&sealed))?;
        out.extend_from_slice(&frame.head);
        out.extend_from_slice(&sealed);
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
        let keys = MessageKeys {
            encryption: Zeroizing::new([1; 32]),
            commitment: [2; 32],
        };
        MessageEncryptor::new(vec![0], &keys, [3; 32], frame_length, None).unwrap()
    }

    /// The same message state twice (same keys, message ID and, when signing, signing key: RFC 6979 signatures).
    fn twin_encryptors(frame_length: u32, signs: bool) -> (MessageEncryptor, MessageEncryptor) {
        let make = || {
            let keys = MessageKeys {
                encryption: Zeroizing::new([1; 32]),
                commitment: [2; 32],
            };
            let signer = signs.then(|| p384::ecdsa::SigningKey::from_slice(&[7; 48]).unwrap());
            MessageEncryptor::new(vec![0, 1, 2], &keys, [3; 32], frame_length, signer).unwrap()
        };
        (make(), make())
    }

    /// A message written frame by frame with another AES-GCM (the crate's, called directly, standing in for
    /// WebCrypto or node:crypto) and the caller's own cuts: what the JS binding's platform paths do. With
    /// `hash_elsewhere`, a signing suite's message is hashed by the caller (another SHA-384, standing in for
    /// node:crypto's), as the binding's node:crypto path does.
    fn frame_by_frame(encryptor: &mut MessageEncryptor, chunks: &[&[u8]], hash_elsewhere: bool) -> Vec<u8> {
        let key = encryptor.take_encryption_key().expect("the key, once");
        assert!(
            encryptor.take_encryption_key().is_none(),
            "the key is handed out once"
        );
        let other = Aes256Gcm::new_from_slice(key.as_slice()).unwrap();
        let (header_body, tag) = encryptor.header_known_answer().unwrap();
        let known = other
            .encrypt_inout_detached(&[0u8; IV_LEN].into(), header_body, (&mut [][..]).into())
            .unwrap();
        assert_eq!(
            known.as_slice(),
            tag,
            "the header tag is the known answer another AES-GCM must give"
        );
        let header: Vec<u8> = [header_body, tag].concat();
        let signs = encryptor.hashes_frames();
        let elsewhere = hash_elsewhere && encryptor.hash_elsewhere(&Sha384::digest(&header));
        assert_eq!(elsewhere, hash_elsewhere && signs, "a signing suite may be hashed elsewhere");
        assert!(!(elsewhere && encryptor.hash_elsewhere(&Sha384::digest(&header))), "once");
        let mut out = encryptor.header();
        let mut held: Vec<u8> = Vec::new();
        let write =
            |encryptor: &mut MessageEncryptor, plaintext: &[u8], last: bool, out: &mut Vec<u8>| {
                let frame = encryptor.plan_frame(plaintext.len(), last).unwrap();
                let mut sealed = plaintext.to_vec();
                let tag = other
                    .encrypt_inout_detached(&frame.iv.into(), &frame.aad, (&mut sealed[..]).into())
                    .unwrap();
                sealed.extend_from_slice(&tag);
                let given = if encryptor.hashes_frames() {
                    Sealed::Bytes(&sealed)
                } else if elsewhere {
                    Sealed::Hashed(sealed.len())
                } else {
                    Sealed::Length(sealed.len())
                };
                encryptor.accept_sealed(&frame, given).unwrap();
                out.extend_from_slice(&frame.head);
                out.extend_from_slice(&sealed);
            };
        for chunk in chunks {
            let cuts = encryptor.cuts(held.len(), chunk.len());
            if cuts.fill > 0 {
                held.extend_from_slice(&chunk[..cuts.fill]);
                write(encryptor, &core::mem::take(&mut held), false, &mut out);
            }
            for frame in chunk[cuts.fill..cuts.rest_start].chunks_exact(encryptor.frame_length) {
                write(encryptor, frame, false, &mut out);
            }
            held.extend_from_slice(&chunk[cuts.rest_start..]);
        }
        write(encryptor, &held, true, &mut out);
        let footer = if elsewhere {
            encryptor.footer_with_digest(&Sha384::digest(&out)).unwrap()
        } else {
            encryptor.footer().unwrap()
        };
        out.extend(footer);
        out
    }

    /// Both ways of writing give the same bytes: sizes 0, 1, one frame, many frames, chunks across frames.
    #[test]
    fn frame_by_frame_with_another_aes_gcm_gives_the_same_bytes() {
        let plaintext: Vec<u8> = (0..3 * 100 + 17).map(|i| (i * 31) as u8).collect();
        for (signs, elsewhere) in [(false, false), (true, false), (false, true), (true, true)] {
            for (size, chunk) in [(0, 1), (1, 1), (100, 100), (317, 33), (317, 250), (300, 7)] {
                let (mut here, mut there) = twin_encryptors(100, signs);
                let mut expected = here.update(&plaintext[..size]).unwrap();
                expected.extend(here.finish().unwrap());
                let chunks: Vec<&[u8]> = plaintext[..size].chunks(chunk).collect();
                assert_eq!(
                    frame_by_frame(&mut there, &chunks, elsewhere),
                    expected,
                    "signs {signs}, hashed elsewhere {elsewhere}, {size} bytes in chunks of {chunk}"
                );
            }
        }
    }

    /// The message is hashed elsewhere only after a right known answer and before the header is out; then frames
    /// come back as hashed and the footer takes the digest (anything else is an internal error, never a footer
    /// over a different hash).
    #[test]
    fn hashing_elsewhere_is_checked_and_exclusive() {
        let (mut e, _) = twin_encryptors(4, true);
        let (body, tag) = e.header_known_answer().unwrap();
        let header: Vec<u8> = [body, tag].concat();
        let mut wrong = Sha384::digest(&header).to_vec();
        wrong[0] ^= 1;
        assert!(!e.hash_elsewhere(&wrong), "a wrong known answer");
        assert!(e.hashes_frames());
        assert!(e.hash_elsewhere(&Sha384::digest(&header)));
        assert!(!e.hashes_frames());
        e.header();
        let last = e.plan_frame(1, true).unwrap();
        let sealed = e.seal(&last, &[9]).unwrap();
        assert!(e.accept_sealed(&last, Sealed::Bytes(&sealed)).is_err(), "bytes when hashed elsewhere");
        assert!(e.accept_sealed(&last, Sealed::Length(17)).is_err(), "by length");
        e.accept_sealed(&last, Sealed::Hashed(17)).unwrap();
        assert!(e.footer_with_digest(&[0; 47]).is_err(), "a digest of another length");

        let (mut not_yet, _) = twin_encryptors(4, true);
        not_yet.header();
        assert!(!not_yet.hash_elsewhere(&Sha384::digest(&header)), "after the header is out");
        let (mut no_signer, _) = twin_encryptors(4, false);
        assert!(!no_signer.hash_elsewhere(&Sha384::digest(&header)), "a suite that does not sign");
        let first = no_signer.plan_frame(0, true).unwrap();
        assert!(no_signer.accept_sealed(&first, Sealed::Hashed(16)).is_err(), "hashed, but nothing hashes");
        no_signer.accept_sealed(&first, Sealed::Length(16)).unwrap();
        assert!(no_signer.footer_with_digest(&[0; 48]).is_err(), "a digest where nothing signs");

        let (mut here, _) = twin_encryptors(4, true);
        here.header();
        let last = here.plan_frame(0, true).unwrap();
        here.accept_sealed(&last, Sealed::Bytes(&here.seal(&last, &[]).unwrap())).unwrap();
        assert!(here.footer_with_digest(&[0; 48]).is_err(), "a digest where the core hashes");
    }

    #[test]
    fn cuts_complete_the_held_frame_then_whole_frames() {
        let e = encryptor(10);
        assert_eq!(
            e.cuts(0, 25),
            Cuts {
                fill: 0,
                whole: 2,
                rest_start: 20
            }
        );
        assert_eq!(
            e.cuts(3, 25),
            Cuts {
                fill: 7,
                whole: 1,
                rest_start: 17
            }
        );
        assert_eq!(
            e.cuts(3, 6),
            Cuts {
                fill: 0,
                whole: 0,
                rest_start: 0
            }
        );
        assert_eq!(
            e.cuts(3, 7),
            Cuts {
                fill: 7,
                whole: 0,
                rest_start: 7
            }
        );
        assert_eq!(
            e.cuts(0, 0),
            Cuts {
                fill: 0,
                whole: 0,
                rest_start: 0
            }
        );
    }

    /// A sealed frame out of order, of the wrong length, by length only for a signing suite, twice, or a frame
    /// after the final one: refused (an internal error: the binding never does this), never a wrong message.
    #[test]
    fn sealed_frames_are_accepted_in_order_with_their_length() {
        let (mut e, _) = twin_encryptors(4, true);
        let first = e.plan_frame(4, false).unwrap();
        let second = e.plan_frame(4, false).unwrap();
        let sealed = e.seal(&second, &[0; 4]).unwrap();
        assert!(
            e.accept_sealed(&second, Sealed::Bytes(&sealed)).is_err(),
            "out of order"
        );
        assert!(
            e.accept_sealed(&first, Sealed::Bytes(&[0; 19])).is_err(),
            "wrong length"
        );
        assert!(
            e.accept_sealed(&first, Sealed::Length(20)).is_err(),
            "a signing suite needs the bytes"
        );
        e.accept_sealed(&first, Sealed::Bytes(&e.seal(&first, &[1; 4]).unwrap()))
            .unwrap();
        assert!(
            e.accept_sealed(&first, Sealed::Bytes(&[0; 20])).is_err(),
            "twice"
        );
        assert!(
            e.plan_frame(3, false).is_err(),
            "a short frame that is not the final one"
        );
        assert!(
            e.seal(&second, &[0; 3]).is_err(),
            "plaintext of another length than planned"
        );
        e.accept_sealed(&second, Sealed::Bytes(&sealed)).unwrap();
        assert!(e.footer().is_err(), "the footer before the final frame");
        let last = e.plan_frame(0, true).unwrap();
        assert!(
            e.plan_frame(0, true).is_err(),
            "a frame after the final one"
        );
        e.accept_sealed(&last, Sealed::Bytes(&e.seal(&last, &[]).unwrap()))
            .unwrap();
        assert!(!e.footer().unwrap().is_empty());
        assert!(e.footer().is_err(), "finished");
    }

    /// 2^32 - 1 frames at most: the regular frame that would leave no sequence number for the final one is refused.
    #[test]
    fn sequence_numbers_never_wrap() {
        let mut near_end = encryptor(1);
        (near_end.sequence, near_end.next_sealed) = (MAX_FRAMES - 1, MAX_FRAMES - 1);
        near_end.update(&[0]).expect("frame 2^32 - 2");
        let error = near_end.update(&[0]).unwrap_err();
        assert_eq!(error.name(), "ValidationException");
        assert!(
            error.to_string().contains("use a larger FrameLength"),
            "{error}"
        );
        let mut last = encryptor(1);
        (last.sequence, last.next_sealed) = (MAX_FRAMES, MAX_FRAMES);
        last.finish()
            .expect("the final frame may be number 2^32 - 1");
    }
}
