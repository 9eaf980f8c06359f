"""DSSE envelopes made and checked by implementations that are not ours, for tests/js/dsse.test.mjs.

    python dsse_crosscheck.py sign FIXTURES_DIR    -> JSON list of envelopes on stdout
    python dsse_crosscheck.py verify FIXTURES_DIR  < JSON list of {fixture, algorithm, envelope} -> JSON results

securesystemslib 1.6.0 (its dsse.Envelope and a CryptoSigner over the fixture private key) signs and
verifies every KMS key spec it has a scheme for: RSA PSS and PKCS#1 v1.5 (SHA-256/384/512), ECDSA on
P-256/384/521 (DER signatures, as KMS returns them) and Ed25519. It has no secp256k1 scheme, and its ML-DSA
schemes (TAP 21, "ml-dsa-NN/1") sign b"tuf" 0x01 SHA-512(PAE) rather than the PAE, which is not what a KMS
signer of a DSSE envelope sends: for those, pyca/cryptography signs and verifies the PAE itself (pure
ML-DSA, empty context; ECDSA over secp256k1), with the PAE built by securesystemslib's Envelope.pae().
"""

import base64
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, mldsa
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

PAYLOAD_TYPE = "application/vnd.in-toto+json"

# KMS SigningAlgorithm -> securesystemslib scheme.
SCHEMES = {
    "RSASSA_PSS_SHA_256": "rsassa-pss-sha256",
    "RSASSA_PSS_SHA_384": "rsassa-pss-sha384",
    "RSASSA_PSS_SHA_512": "rsassa-pss-sha512",
    "RSASSA_PKCS1_V1_5_SHA_256": "rsa-pkcs1v15-sha256",
    "RSASSA_PKCS1_V1_5_SHA_384": "rsa-pkcs1v15-sha384",
    "RSASSA_PKCS1_V1_5_SHA_512": "rsa-pkcs1v15-sha512",
    "ECDSA_SHA_256": "ecdsa-sha2-nistp256",
    "ECDSA_SHA_384": "ecdsa-sha2-nistp384",
    "ECDSA_SHA_512": "ecdsa-sha2-nistp521",
    "ED25519_SHA_512": "ed25519",
}
ML_DSA = {"ML_DSA_44": mldsa.MLDSA44PrivateKey, "ML_DSA_65": mldsa.MLDSA65PrivateKey, "ML_DSA_87": mldsa.MLDSA87PrivateKey}

# (fixture, KMS algorithm) pairs: each RSA size with every algorithm at SHA-256 and the others on RSA_2048.
CASES = [
    ("RSA_2048_SIGN_VERIFY", alg) for alg in list(SCHEMES)[:6]
] + [
    ("RSA_3072_SIGN_VERIFY", "RSASSA_PSS_SHA_256"),
    ("RSA_4096_SIGN_VERIFY", "RSASSA_PKCS1_V1_5_SHA_256"),
    ("ECC_NIST_P256_SIGN_VERIFY", "ECDSA_SHA_256"),
    ("ECC_NIST_P384_SIGN_VERIFY", "ECDSA_SHA_384"),
    ("ECC_NIST_P521_SIGN_VERIFY", "ECDSA_SHA_512"),
    ("ECC_NIST_EDWARDS25519_SIGN_VERIFY", "ED25519_SHA_512"),
    ("ECC_SECG_P256K1_SIGN_VERIFY", "ECDSA_SHA_256"),
    ("ML_DSA_44_SIGN_VERIFY", "ML_DSA_SHAKE_256"),
    ("ML_DSA_65_SIGN_VERIFY", "ML_DSA_SHAKE_256"),
    ("ML_DSA_87_SIGN_VERIFY", "ML_DSA_SHAKE_256"),
]


def payloads(algorithm):
    """A small statement (PAE well under 4096 bytes: KMS RAW) and one of 6000 bytes (DIGEST / EXTERNAL_MU);
    Ed25519 has no digest form in KMS, so only the small one."""
    small = json.dumps({"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "a", "digest": {"sha256": "00" * 32}}]}).encode()
    large = bytes((i * 7) % 251 for i in range(6000))
    return [small] if algorithm == "ED25519_SHA_512" else [small, large]


def by_securesystemslib(name, algorithm):
    return algorithm in SCHEMES and not name.startswith("ECC_SECG")


def fixture(folder, name):
    return json.loads((Path(folder) / f"{name}.json").read_text())


def private_key(fx):
    spec = fx["GetPublicKey"]["KeySpec"]
    if spec in ML_DSA:
        return ML_DSA[spec].from_seed_bytes(base64.b64decode(fx["PrivateKeySeed"]))
    return serialization.load_pem_private_key(fx["PrivateKeyPem"].encode(), password=None)


def sslib_key(fx, algorithm):
    return SSlibKey.from_crypto(private_key(fx).public_key(), keyid=fx["GetPublicKey"]["KeyId"], scheme=SCHEMES[algorithm])


def pyca_sign(key, pae):
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(pae, ec.ECDSA(hashes.SHA256()))
    return key.sign(pae)  # ML-DSA: pure, empty context


def pyca_verify(key, sig, pae):
    public = key.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePrivateKey):
            public.verify(sig, pae, ec.ECDSA(hashes.SHA256()))
        else:
            public.verify(sig, pae)
        return True
    except InvalidSignature:
        return False


def sign(folder):
    out = []
    for name, algorithm in CASES:
        fx = fixture(folder, name)
        for payload in payloads(algorithm):
            envelope = Envelope(payload=payload, payload_type=PAYLOAD_TYPE, signatures={})
            if by_securesystemslib(name, algorithm):
                envelope.sign(CryptoSigner(private_key(fx), sslib_key(fx, algorithm)))
                signer = "securesystemslib"
                document = envelope.to_dict()
            else:
                signer = "cryptography"
                document = envelope.to_dict()
                sig = pyca_sign(private_key(fx), envelope.pae())
                document["signatures"] = [{"keyid": fx["GetPublicKey"]["KeyId"], "sig": base64.b64encode(sig).decode()}]
            out.append({"fixture": name, "algorithm": algorithm, "signer": signer, "paeBytes": len(envelope.pae()), "envelope": document})
    # securesystemslib's own ML-DSA scheme (TAP 21) signs b"tuf" 0x01 SHA-512(PAE), not the PAE: no KMS signer of the
    # PAE makes that, so ours must call it invalid.
    fx = fixture(folder, "ML_DSA_65_SIGN_VERIFY")
    key = SSlibKey.from_crypto(private_key(fx).public_key(), keyid=fx["GetPublicKey"]["KeyId"], scheme="ml-dsa-65/1")
    envelope = Envelope(payload=payloads("ML_DSA_SHAKE_256")[0], payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(CryptoSigner(private_key(fx), key))
    assert envelope.verify([key], 1), "securesystemslib verifies its own TAP 21 envelope"
    out.append({"fixture": "ML_DSA_65_SIGN_VERIFY", "algorithm": "ML_DSA_SHAKE_256", "signer": "securesystemslib ml-dsa-65/1 (TAP 21)",
                "paeBytes": len(envelope.pae()), "envelope": envelope.to_dict(), "expectValid": False})
    json.dump(out, sys.stdout)


def verify(folder):
    results = []
    for item in json.load(sys.stdin):
        fx = fixture(folder, item["fixture"])
        envelope = Envelope.from_dict(item["envelope"])
        if by_securesystemslib(item["fixture"], item["algorithm"]):
            key = sslib_key(fx, item["algorithm"])
            try:
                accepted = envelope.verify([key], 1)
                valid = key.keyid in accepted
            except Exception:  # securesystemslib's VerificationError: threshold not met
                valid = False
            verifier = "securesystemslib"
        else:
            sig = next(iter(envelope.signatures.values()))
            valid = pyca_verify(private_key(fx), bytes.fromhex(sig.signature), envelope.pae())
            verifier = "cryptography"
        results.append({"fixture": item["fixture"], "algorithm": item["algorithm"], "verifier": verifier, "valid": valid})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    {"sign": sign, "verify": verify}[sys.argv[1]](sys.argv[2])
