//! ECDH that matches KMS `DeriveSharedSecret` (KMS-RULES.md §5): the other party's side of the key
//! agreement, computed offline. KMS returns Z, the x-coordinate of the shared point, un-hashed; so
//! does this. Use Z only through a KDF (see `kdf`), as AWS advises.

use crate::encoding::private_key_der;
use crate::error::{ErrorKind, KmsError, Result, Rule};
use crate::family::EcdhWith;
use crate::key::KmsPublicKey;
use crate::random::SecureRng;
use crate::scrub::SecretBytes;
use crate::spec::{Curve, KeyAgreementAlgorithm, KeyUsage};
use elliptic_curve::group::Curve as _;
use elliptic_curve::pkcs8::{DecodePrivateKey, EncodePublicKey};
use elliptic_curve::point::AffineCoordinates as _;
use zeroize::Zeroizing;

/// The members of a DeriveSharedSecret exchange that matter offline.
#[derive(Clone, Copy, Debug)]
pub struct DeriveSharedSecretRequest<'a> {
    pub key_agreement_algorithm: KeyAgreementAlgorithm,
    /// Your static private key on the KMS key's curve (PKCS#8 DER, PEM `PRIVATE KEY` or base64 DER).
    /// `None` makes a fresh ephemeral key pair, used once and zeroized.
    pub private_key: Option<&'a [u8]>,
}

/// Your half of the agreement and the secret both sides now share.
#[derive(Clone, Debug)]
pub struct DeriveSharedSecretResponse {
    pub key_id: Option<String>,
    /// Your public key as DER SPKI: the `PublicKey` to pass to KMS DeriveSharedSecret.
    pub public_key: Vec<u8>,
    /// Z (32, 48 or 66 bytes; SM2 32): exactly the `SharedSecret` KMS returns for `public_key`.
    pub shared_secret: Zeroizing<Vec<u8>>,
    pub key_agreement_algorithm: KeyAgreementAlgorithm,
}

/// A DeriveSharedSecret request that passed every KMS rule (key usage, the algorithm for the key spec and the
/// key's list), with the key that checked it. Only [`KmsPublicKey::check_key_agreement_request`] (or
/// [`KmsPublicKey::check_owned_key_agreement`]) makes one, so a request is checked once on every path: the
/// synchronous one, and WebCrypto's with its synchronous fallback.
#[derive(Debug)]
pub struct CheckedAgreement<'a> {
    key_agreement_algorithm: KeyAgreementAlgorithm,
    private_key: Option<SecretBytes<'a>>,
}

impl CheckedAgreement<'_> {
    pub fn key_agreement_algorithm(&self) -> KeyAgreementAlgorithm {
        self.key_agreement_algorithm
    }

    /// Whether the request gives a static private key (else a fresh ephemeral pair is made).
    pub fn has_private_key(&self) -> bool {
        self.private_key.is_some()
    }
}

impl KmsPublicKey {
    /// Computes the shared secret KMS DeriveSharedSecret will compute for your public key.
    pub fn derive_shared_secret(&self, request: &DeriveSharedSecretRequest<'_>) -> Result<DeriveSharedSecretResponse> {
        self.derive_checked(&self.check_key_agreement_request(request)?)
    }

    /// Every KMS rule for a DeriveSharedSecret request with this key, each checked once (counted in
    /// `verify::rule_checks`): the request [`derive_checked`](Self::derive_checked) takes.
    pub fn check_key_agreement_request<'a>(&self, request: &DeriveSharedSecretRequest<'a>) -> Result<CheckedAgreement<'a>> {
        self.check_key_agreement(request.key_agreement_algorithm)?;
        Ok(CheckedAgreement { key_agreement_algorithm: request.key_agreement_algorithm, private_key: request.private_key.map(SecretBytes::Borrowed) })
    }

    /// [`check_key_agreement_request`](Self::check_key_agreement_request) of a request whose private key the
    /// checked request keeps (and wipes).
    pub fn check_owned_key_agreement(&self, algorithm: KeyAgreementAlgorithm, private_key: Option<Zeroizing<Vec<u8>>>) -> Result<CheckedAgreement<'static>> {
        self.check_key_agreement(algorithm)?;
        Ok(CheckedAgreement { key_agreement_algorithm: algorithm, private_key: private_key.map(SecretBytes::Owned) })
    }

    /// The shared secret of a request that passed every rule (checked with this key).
    pub fn derive_checked(&self, checked: &CheckedAgreement<'_>) -> Result<DeriveSharedSecretResponse> {
        crate::scrub::wiping_stack(|| {
            let private = checked.private_key.as_deref().map(private_key_der).transpose()?;
            let private = private.as_deref().map(Vec::as_slice);
            let (public_key, shared_secret) = self
                .material
                .ecdh(&self.comb, Ecdh { private })
                .ok_or_else(|| KmsError::new(ErrorKind::Internal, "the key spec table allowed ECDH on a non-ECDH key"))??;
            Ok(DeriveSharedSecretResponse {
                key_id: self.key_id().map(str::to_owned),
                public_key,
                shared_secret,
                key_agreement_algorithm: checked.key_agreement_algorithm,
            })
        })
    }

    /// The KMS rules of DeriveSharedSecret (counted in `verify::rule_checks`).
    pub(crate) fn check_key_agreement(&self, algorithm: KeyAgreementAlgorithm) -> Result<()> {
        crate::verify::rule_checks::count();
        self.require_usage(KeyUsage::KeyAgreement, "DeriveSharedSecret")?;
        self.require_algorithm(algorithm, self.key_spec().rule().key_agreement, &self.metadata().key_agreement_algorithms)
    }
}

/// DeriveSharedSecret's ECDH with the KMS key's point, on the key's curve (run by `Material::ecdh`).
struct Ecdh<'a> {
    /// Your PKCS#8 DER private key, or `None` for a fresh ephemeral pair.
    private: Option<&'a [u8]>,
}

impl EcdhWith for Ecdh<'_> {
    type Output = Result<(Vec<u8>, Zeroizing<Vec<u8>>)>;

    /// One ECDH on curve `C` against the KMS key's point Q (validated on the curve when the key loaded);
    /// `kms_mul` computes k·Q in constant time (through the key's table from its second use, src/family/comb.rs).
    fn run<C>(self, _kms_point: &C::AffinePoint, kms_mul: impl FnOnce(&C::Scalar) -> C::ProjectivePoint, curve: Curve) -> Self::Output
    where
        C: elliptic_curve::CurveArithmetic + elliptic_curve::point::PointCompression + elliptic_curve::pkcs8::AssociatedOid,
        elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
        C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>,
    {
        ecdh::<C>(kms_mul, self.private, curve.facts().ecdh_name.unwrap_or(curve.name()))
    }
}

#[allow(dead_code)] // a build with no ECDH curve
/// One ECDH on curve `C` against the KMS key's point Q (validated on the curve when the key loaded);
/// `kms_mul` computes k·Q in constant time (through the key's table from its second use, src/family/comb.rs).
fn ecdh<C>(
    kms_mul: impl FnOnce(&C::Scalar) -> C::ProjectivePoint,
    private: Option<&[u8]>,
    curve: &str,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>)>
where
    C: elliptic_curve::CurveArithmetic + elliptic_curve::point::PointCompression + pkcs8_bounds::Spki,
    elliptic_curve::FieldBytesSize<C>: elliptic_curve::sec1::ModulusSize,
    C::AffinePoint: elliptic_curve::sec1::FromSec1Point<C> + elliptic_curve::sec1::ToSec1Point<C>,
{
    let ours = match private {
        Some(der) => elliptic_curve::SecretKey::<C>::from_pkcs8_der(der).map_err(|_| {
            KmsError::validation(format!(
                "PrivateKey is not a valid unencrypted PKCS#8 private key on {curve}, the KMS key's curve: another curve, a scalar outside 1..n-1, a public key that does not match, or another format (convert SEC1 keys with `openssl pkcs8 -topk8 -nocrypt`)"
            ))
            .rule_code(Rule::EcdhPrivateKey)
            .param("curve", curve)
        })?,
        None => {
            let mut rng = SecureRng::default();
            <elliptic_curve::SecretKey<C> as elliptic_curve::Generate>::try_generate_from_rng(&mut rng)
                .map_err(|_| rng.error_or(KmsError::new(ErrorKind::Internal, "ephemeral key generation failed")))?
        }
    };
    // The scalar copy is zeroized after use; `ours` zeroizes itself on drop.
    let scalar = Zeroizing::new(ours.to_nonzero_scalar());
    // Z is the x-coordinate of k·Q, as `elliptic_curve::ecdh::diffie_hellman` returns it: Q has prime
    // order and k is nonzero, so k·Q is never the identity.
    let shared = Zeroizing::new(kms_mul(&scalar).to_affine().x());
    let public_key = ours
        .public_key()
        .to_public_key_der()
        .map_err(|e| KmsError::new(ErrorKind::Internal, format!("could not encode the public key: {e}")))?
        .into_vec();
    Ok((public_key, Zeroizing::new(shared.to_vec())))
}

/// The trait bounds that let a curve's public key be written as an SPKI.
mod pkcs8_bounds {
    pub trait Spki: elliptic_curve::pkcs8::AssociatedOid {}
    impl<C: elliptic_curve::pkcs8::AssociatedOid> Spki for C {}
}
