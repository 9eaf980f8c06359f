#!/usr/bin/env python3
"""Reference check of AWS Encryption SDK messages made for a KMS asymmetric key.

Decrypts and encrypts ESDK messages with the Python AWS Encryption SDK (4.x) and the Material Providers
Library's OWN keyrings for KMS asymmetric keys: the AWS KMS RSA keyring (RSA ENCRYPT_DECRYPT keys) and the AWS KMS
ECDH keyring with KmsPublicKeyDiscovery (ECC_NIST_P256/384/521 KEY_AGREEMENT keys). Only the KMS client is replaced:
a real botocore KMS client whose HTTP send is answered in-process by a stand-in that performs KMS Decrypt,
DeriveSharedSecret and GetPublicKey with the private key of a test fixture (tests/fixtures/keys/<X>.json). No network.

Commands (see `esdk_check.py <command> --help`):
  decrypt   --key FIXTURE --in MSG [--out PLAIN | --expect FILE | --expect-sha256 HEX] [--context JSON]
  encrypt   --key FIXTURE --in PLAIN --out MSG [--context JSON] [--suite 0x0478] [--frame-length N]
  describe  --in MSG      (the message header and body layout, parsed by this script, not by the ESDK)

Output: one JSON line on stdout, for success and failure alike ({"ok": false, "error": ..., "message": ...}).
Exit codes:
  0  ok
  1  refused: the ESDK, the MPL or the KMS stand-in refused the message or the operation
  2  usage: bad arguments, unreadable files, a fixture that is not a usable key
  3  decrypted, but the plaintext is not the one --expect / --expect-sha256 named (a silent wrong answer)
  4  internal error of this script (a bug here, never a verdict about the message)
"""

import argparse
import base64
import hashlib
import json
import logging
import os
import re
import struct
import sys
import tempfile

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_MISMATCH, EXIT_INTERNAL = 0, 1, 2, 3, 4

# ESDK message format: the algorithm suites (data-format/message-header.md, framework/algorithm-suites.md).
# id -> (name, data key bytes, signature curve or None, message format version)
SUITES = {
    0x0014: ("AES_128_GCM_IV12_TAG16_NO_KDF", 16, None, 1),
    0x0046: ("AES_192_GCM_IV12_TAG16_NO_KDF", 24, None, 1),
    0x0078: ("AES_256_GCM_IV12_TAG16_NO_KDF", 32, None, 1),
    0x0114: ("AES_128_GCM_IV12_TAG16_HKDF_SHA256", 16, None, 1),
    0x0146: ("AES_192_GCM_IV12_TAG16_HKDF_SHA256", 24, None, 1),
    0x0178: ("AES_256_GCM_IV12_TAG16_HKDF_SHA256", 32, None, 1),
    0x0214: ("AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256", 16, "P-256", 1),
    0x0346: ("AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", 24, "P-384", 1),
    0x0378: ("AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384", 32, "P-384", 1),
    0x0478: ("AES_256_GCM_HKDF_SHA512_COMMIT_KEY", 32, None, 2),
    0x0578: ("AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384", 32, "P-384", 2),
}
ECDH_CURVES = ("ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521")
RSA_SPECS = ("RSA_2048", "RSA_3072", "RSA_4096")
RSA_ALGORITHMS = ("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256")
ECDH_SCHEMES = ("ephemeral", "kms-static")
CHUNK = 1 << 16


class UsageError(Exception):
    """A bad argument or input file: exit 2."""


class Refused(Exception):
    """The ESDK/MPL/stand-in refused, or a check this script makes on the ESDK's result failed: exit 1."""


class Mismatch(Exception):
    """The message decrypted, to a plaintext other than the expected one: exit 3."""


# --------------------------------------------------------------------------------------------------------------
# The fixture


class Fixture:
    """A KMS key as tests/fixtures/keys/<X>.json holds it: GetPublicKey output plus the private key (PEM)."""

    def __init__(self, path):
        try:
            with open(path, "r", encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            raise UsageError(f"--key {path}: cannot read a JSON key fixture ({e})") from e
        gpk = doc.get("GetPublicKey") if isinstance(doc, dict) else None
        if not isinstance(gpk, dict):
            raise UsageError(f"--key {path}: expected a fixture object with GetPublicKey and PrivateKeyPem")
        self.path = path
        self.get_public_key = gpk
        self.arn = gpk.get("KeyId", "")
        self.key_spec = gpk.get("KeySpec")
        self.key_usage = gpk.get("KeyUsage")
        self.public_der = base64.b64decode(gpk.get("PublicKey", ""))
        self.private_pem = doc.get("PrivateKeyPem")
        m = re.fullmatch(r"arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key/([0-9a-f-]+)", self.arn)
        if not m:
            raise UsageError(f"--key {path}: GetPublicKey.KeyId is not a key ARN: {self.arn!r}")
        self.region, self.key_id = m.group(1), m.group(2)
        if self.key_spec in RSA_SPECS and self.key_usage == "ENCRYPT_DECRYPT":
            self.kind = "rsa"
        elif self.key_spec in ECDH_CURVES and self.key_usage == "KEY_AGREEMENT":
            self.kind = "ecdh"
        else:
            raise UsageError(
                f"--key {path}: {self.key_spec} {self.key_usage} has no AWS KMS keyring in the MPL; expected "
                f"RSA_2048/3072/4096 ENCRYPT_DECRYPT or ECC_NIST_P256/384/521 KEY_AGREEMENT"
            )
        if not isinstance(self.private_pem, str) or "PRIVATE KEY" not in self.private_pem:
            raise UsageError(f"--key {path}: expected PrivateKeyPem, the private key the KMS stand-in uses")
        self.private_pem = self.private_pem.encode()

    def names_this_key(self, key_id):
        """KMS accepts the key ARN or the bare key id for a key in the caller's account and Region."""
        return key_id in (self.arn, self.key_id)

    def public_pem(self):
        from cryptography.hazmat.primitives import serialization

        key = serialization.load_der_public_key(self.public_der)
        return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    def private_key(self):
        from cryptography.hazmat.primitives import serialization

        return serialization.load_pem_private_key(self.private_pem, password=None)


# --------------------------------------------------------------------------------------------------------------
# The KMS stand-in


class KmsError(Exception):
    """A KMS error response: the exception name (the JSON __type) and its message."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class KmsStandIn:
    """Answers KMS Decrypt, DeriveSharedSecret and GetPublicKey for one fixture key, as KMS would.

    The rules are KMS's (docs/KMS-RULES §3.2, §5.1): KeyId must name the key (else NotFoundException: the
    stand-in holds no other key), the operation must fit the key usage (else InvalidKeyUsageException), the
    algorithm must be one the key lists (else InvalidKeyUsageException; a name outside the enum is a
    ValidationException), and a ciphertext that does not decrypt is an InvalidCiphertextException.
    """

    def __init__(self, fixture):
        self.fixture = fixture
        self.calls = []  # operation names, in order
        self.errors = []  # {"operation", "error", "message"} for each refusal (the MPL keeps only the message)

    def handle(self, operation, request):
        self.calls.append(operation)
        handler = {
            "Decrypt": self.decrypt,
            "DeriveSharedSecret": self.derive_shared_secret,
            "GetPublicKey": self.get_public_key,
        }.get(operation)
        if handler is None:
            raise KmsError("UnsupportedOperationException", f"the KMS stand-in does not perform {operation}")
        return handler(request)

    def _check_key_id(self, request):
        key_id = request.get("KeyId")
        if not isinstance(key_id, str) or not key_id:
            raise KmsError("ValidationException", "1 validation error detected: Value null at 'keyId' failed to "
                           "satisfy constraint: Member must not be null")
        if not self.fixture.names_this_key(key_id):
            raise KmsError("NotFoundException", f"Key '{key_id}' does not exist (the stand-in holds only "
                           f"{self.fixture.arn})")

    def _blob(self, request, member, max_len):
        value = request.get(member)
        try:
            data = base64.b64decode(value, validate=True) if isinstance(value, str) else None
        except ValueError:
            data = None
        if data is None or not 1 <= len(data) <= max_len:
            raise KmsError("ValidationException", f"1 validation error detected: Value at '{member[0].lower()}"
                           f"{member[1:]}' failed to satisfy constraint: Member must have length between 1 and "
                           f"{max_len}")
        return data

    def get_public_key(self, request):
        self._check_key_id(request)
        return self.fixture.get_public_key

    def decrypt(self, request):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        self._check_key_id(request)
        ciphertext = self._blob(request, "CiphertextBlob", 6144)
        algorithm = request.get("EncryptionAlgorithm", "SYMMETRIC_DEFAULT")
        if algorithm not in ("SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"):
            raise KmsError("ValidationException", f"1 validation error detected: Value '{algorithm}' at "
                           "'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: "
                           "[SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]")
        if self.fixture.key_usage != "ENCRYPT_DECRYPT":
            raise KmsError("InvalidKeyUsageException", f"{self.fixture.arn} key usage is {self.fixture.key_usage} "
                           "which is not valid for Decrypt.")
        if algorithm not in self.fixture.get_public_key.get("EncryptionAlgorithms", []):
            raise KmsError("InvalidKeyUsageException", f"The operation failed because the specified KMS key "
                           f"{self.fixture.arn} does not support the encryption algorithm {algorithm}.")
        hash_alg = hashes.SHA1() if algorithm == "RSAES_OAEP_SHA_1" else hashes.SHA256()
        try:
            plaintext = self.fixture.private_key().decrypt(
                ciphertext, padding.OAEP(mgf=padding.MGF1(algorithm=hash_alg), algorithm=hash_alg, label=None)
            )
        except ValueError as e:
            raise KmsError("InvalidCiphertextException", "") from e
        return {
            "KeyId": self.fixture.arn,
            "Plaintext": base64.b64encode(plaintext).decode(),
            "EncryptionAlgorithm": algorithm,
        }

    def derive_shared_secret(self, request):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        self._check_key_id(request)
        algorithm = request.get("KeyAgreementAlgorithm")
        if algorithm != "ECDH":
            raise KmsError("ValidationException", f"1 validation error detected: Value '{algorithm}' at "
                           "'keyAgreementAlgorithm' failed to satisfy constraint: Member must satisfy enum value "
                           "set: [ECDH]")
        peer_der = self._blob(request, "PublicKey", 8192)
        if self.fixture.key_usage != "KEY_AGREEMENT":
            raise KmsError("InvalidKeyUsageException", f"{self.fixture.arn} key usage is {self.fixture.key_usage} "
                           "which is not valid for DeriveSharedSecret.")
        own = self.fixture.private_key()
        try:
            peer = serialization.load_der_public_key(peer_der)
        except (ValueError, TypeError) as e:
            raise KmsError("ValidationException", "PublicKey is not a DER-encoded X.509 SubjectPublicKeyInfo") from e
        if not isinstance(peer, ec.EllipticCurvePublicKey) or peer.curve.name != own.curve.name:
            raise KmsError("ValidationException", f"PublicKey is not a public key on the curve of "
                           f"{self.fixture.key_spec}")
        shared = own.exchange(ec.ECDH(), peer)
        return {
            "KeyId": self.fixture.arn,
            "SharedSecret": base64.b64encode(shared).decode(),
            "KeyAgreementAlgorithm": "ECDH",
            "KeyOrigin": "AWS_KMS",
        }


class _RawBody:
    """What botocore's AWSResponse reads a body from."""

    def __init__(self, body):
        self._body = body

    def stream(self, **_kwargs):
        yield self._body


def make_kms_client(stand_in):
    """A real botocore KMS client whose HTTP send is answered by stand_in (no signing, no network).

    botocore builds, serialises and would sign the request as for KMS; the before-send event lets a handler
    return the response instead of sending. The endpoint is a .invalid host, so nothing could leave if the
    handler were ever bypassed.
    """
    import boto3
    from botocore import UNSIGNED
    from botocore.awsrequest import AWSResponse
    from botocore.config import Config

    client = boto3.client(
        "kms",
        region_name=stand_in.fixture.region,
        endpoint_url="https://kms.stand-in.invalid",
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1, "mode": "standard"}),
    )

    def answer(request, **_kwargs):
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        operation = target.rpartition(".")[2]
        try:
            body = json.loads(request.body or b"{}")
            status, payload = 200, stand_in.handle(operation, body)
        except KmsError as e:
            stand_in.errors.append({"operation": operation, "error": e.code, "message": e.message})
            status, payload = 400, {"__type": e.code, "message": e.message}
        headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "stand-in"}
        return AWSResponse(request.url, status, headers, _RawBody(json.dumps(payload).encode()))

    client.meta.events.register("before-send.kms", answer)
    return client


# --------------------------------------------------------------------------------------------------------------
# Keyrings


def _mpl():
    from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
    from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig

    return AwsCryptographicMaterialProviders(config=MaterialProvidersConfig())


def rsa_keyring(fixture, kms_client, algorithm):
    """The MPL's AWS KMS RSA keyring: wraps with the public key, unwraps with KMS Decrypt."""
    from aws_cryptographic_material_providers.mpl.models import CreateAwsKmsRsaKeyringInput

    return _mpl().create_aws_kms_rsa_keyring(
        input=CreateAwsKmsRsaKeyringInput(
            public_key=fixture.public_pem(),
            kms_key_id=fixture.arn,
            encryption_algorithm=algorithm,
            kms_client=kms_client,
        )
    )


def ecdh_discovery_keyring(fixture, kms_client):
    """The MPL's AWS KMS ECDH keyring, KmsPublicKeyDiscovery: decrypt only, KMS DeriveSharedSecret."""
    from aws_cryptographic_material_providers.mpl.models import (
        CreateAwsKmsEcdhKeyringInput,
        KmsEcdhStaticConfigurationsKmsPublicKeyDiscovery,
        KmsPublicKeyDiscoveryInput,
    )

    return _mpl().create_aws_kms_ecdh_keyring(
        input=CreateAwsKmsEcdhKeyringInput(
            key_agreement_scheme=KmsEcdhStaticConfigurationsKmsPublicKeyDiscovery(
                KmsPublicKeyDiscoveryInput(recipient_kms_identifier=fixture.arn)
            ),
            curve_spec=fixture.key_spec,
            kms_client=kms_client,
        )
    )


def ecdh_encrypt_keyring(fixture, kms_client, scheme):
    """An ECDH keyring that encrypts for the fixture key.

    ephemeral:  the Raw ECDH keyring, EphemeralPrivateKeyToStaticPublicKey (a fresh sender key per message; the
                layout encryptMessage writes).
    kms-static: the AWS KMS ECDH keyring, KmsPrivateKeyToStaticPublicKey, with the fixture key as both sender
                (its DeriveSharedSecret through the stand-in) and recipient.
    """
    from aws_cryptographic_material_providers.mpl import models as m

    if scheme == "ephemeral":
        return _mpl().create_raw_ecdh_keyring(
            input=m.CreateRawEcdhKeyringInput(
                key_agreement_scheme=m.RawEcdhStaticConfigurationsEphemeralPrivateKeyToStaticPublicKey(
                    m.EphemeralPrivateKeyToStaticPublicKeyInput(recipient_public_key=fixture.public_der)
                ),
                curve_spec=fixture.key_spec,
            )
        )
    return _mpl().create_aws_kms_ecdh_keyring(
        input=m.CreateAwsKmsEcdhKeyringInput(
            key_agreement_scheme=m.KmsEcdhStaticConfigurationsKmsPrivateKeyToStaticPublicKey(
                m.KmsPrivateKeyToStaticPublicKeyInput(
                    sender_kms_identifier=fixture.arn,
                    sender_public_key=fixture.public_der,
                    recipient_public_key=fixture.public_der,
                )
            ),
            curve_spec=fixture.key_spec,
            kms_client=kms_client,
        )
    )


# --------------------------------------------------------------------------------------------------------------
# Header and body parser (data-format/message-header.md, message-body.md, message-footer.md)


class Reader:
    """Reads exact byte counts from a binary file, refusing a truncated message."""

    def __init__(self, f):
        self.f = f
        self.offset = 0

    def take(self, n, what):
        data = self.f.read(n)
        if len(data) != n:
            raise Refused(f"message truncated: {what} needs {n} bytes at offset {self.offset}, found {len(data)}")
        self.offset += n
        return data

    def u8(self, what):
        return self.take(1, what)[0]

    def u16(self, what):
        return struct.unpack(">H", self.take(2, what))[0]

    def u32(self, what):
        return struct.unpack(">I", self.take(4, what))[0]

    def skip(self, n, what):
        """Skips n bytes without holding them (frames of a large message)."""
        while n > 0:
            part = self.take(min(n, CHUNK), what)
            n -= len(part)


def _utf8(data, what):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Refused(f"{what} is not UTF-8") from e


def parse_encryption_context(data):
    """The serialised encryption context (an empty one is zero bytes, with no count)."""
    if not data:
        return {}
    import io

    r = Reader(io.BytesIO(data))
    context = {}
    for _ in range(r.u16("encryption context count")):
        key = _utf8(r.take(r.u16("context key length"), "context key"), "encryption context key")
        value = _utf8(r.take(r.u16("context value length"), "context value"), "encryption context value")
        if key in context:
            raise Refused(f"encryption context key {key!r} appears twice")
        context[key] = value
    if r.f.read(1):
        raise Refused("encryption context has bytes after its last pair")
    return context


def parse_header(r):
    """The message header and header authentication, as a JSON-ready dict."""
    header = {"header_offset": r.offset}
    version = r.u8("version")
    if version == 0x01:
        if r.u8("type") != 0x80:
            raise Refused("version 1 header: type is not 0x80 (customer authenticated encrypted data)")
    elif version != 0x02:
        raise Refused(f"unknown message format version 0x{version:02x} (expected 0x01 or 0x02)")
    header["version"] = version
    suite_id = r.u16("algorithm suite id")
    if suite_id not in SUITES:
        raise Refused(f"unknown algorithm suite 0x{suite_id:04x}")
    name, _key_len, signature_curve, suite_version = SUITES[suite_id]
    if suite_version != version:
        raise Refused(f"suite 0x{suite_id:04x} belongs to message format version {suite_version}, not {version}")
    header.update(suite=f"0x{suite_id:04X}", suite_name=name, signed=signature_curve is not None)
    header["message_id"] = r.take(32 if version == 2 else 16, "message id").hex()
    header["encryption_context"] = parse_encryption_context(r.take(r.u16("AAD length"), "AAD"))
    edks = []
    for _ in range(r.u16("encrypted data key count")):
        provider_id = _utf8(r.take(r.u16("provider id length"), "provider id"), "provider id")
        provider_info = r.take(r.u16("provider info length"), "provider info")
        ciphertext = r.take(r.u16("encrypted data key length"), "encrypted data key")
        edks.append({"provider_id": provider_id, "provider_info": provider_info.hex(),
                     "ciphertext_length": len(ciphertext), "ciphertext": ciphertext.hex()})
    header["encrypted_data_keys"] = edks
    content_type = r.u8("content type")
    header["content_type"] = {1: "non-framed", 2: "framed"}.get(content_type)
    if header["content_type"] is None:
        raise Refused(f"unknown content type 0x{content_type:02x}")
    if version == 1:
        r.take(4, "reserved")
        iv_length = r.u8("IV length")
    else:
        iv_length = 12
    header["frame_length"] = r.u32("frame length")
    commitment = r.take(32, "suite data (commitment key)") if version == 2 else b""
    header["commitment_key_present"] = len(commitment) == 32
    header["commitment_key"] = commitment.hex() if commitment else None
    header["header_body_length"] = r.offset - header["header_offset"]
    header["header_auth_offset"] = r.offset
    if version == 1:
        r.take(iv_length, "header auth IV")
    r.take(16, "header auth tag")
    header["header_length"] = r.offset - header["header_offset"]
    header["iv_length"] = iv_length
    return header


def parse_body(r, header):
    """Frames (or the single non-framed block) and the footer: offsets, lengths, the signature's presence."""
    iv_length = header["iv_length"]
    frames = []
    if header["content_type"] == "non-framed":
        offset = r.offset
        r.take(iv_length, "IV")
        length = struct.unpack(">Q", r.take(8, "content length"))[0]
        r.skip(length, "encrypted content")
        r.take(16, "authentication tag")
        frames.append({"sequence": 1, "offset": offset, "content_length": length, "final": True})
    else:
        frame_length = header["frame_length"]
        expected = 1
        while True:
            offset = r.offset
            sequence = r.u32("sequence number")
            final = sequence == 0xFFFFFFFF
            if final:
                sequence = r.u32("final frame sequence number")
            if sequence != expected:
                raise Refused(f"frame at offset {offset}: sequence number {sequence}, expected {expected}")
            r.take(iv_length, "frame IV")
            length = r.u32("final frame content length") if final else frame_length
            if final and length > frame_length:
                raise Refused(f"final frame content length {length} exceeds the frame length {frame_length}")
            content_offset = r.offset
            r.skip(length, "frame content")
            tag_offset = r.offset
            r.take(16, "frame tag")
            frames.append({"sequence": sequence, "offset": offset, "content_offset": content_offset,
                           "tag_offset": tag_offset, "content_length": length, "final": final})
            if final:
                break
            expected += 1
    footer = {"offset": r.offset}
    if header["signed"]:
        signature = r.take(r.u16("signature length"), "signature")
        footer["signature_length"] = len(signature)
        footer["signature_offset"] = footer["offset"] + 2
    if r.f.read(1):
        raise Refused(f"bytes after the end of the message at offset {r.offset}")
    return frames, footer


# --------------------------------------------------------------------------------------------------------------
# Commands


def parse_context(text):
    if text is None:
        return None
    try:
        context = json.loads(text)
    except ValueError as e:
        raise UsageError(f"--context: not JSON ({e})") from e
    if not isinstance(context, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                for k, v in context.items()):
        raise UsageError("--context: expected a JSON object of string keys to string values")
    return context


def parse_suite(text):
    try:
        suite_id = int(text, 16) if text.lower().startswith("0x") else int(text)
    except ValueError as e:
        raise UsageError(f"--suite {text!r}: expected a suite id such as 0x0478 or 0x0578") from e
    if suite_id not in SUITES:
        raise UsageError(f"--suite {text}: not an ESDK algorithm suite; known: "
                         + ", ".join(f"0x{s:04X}" for s in SUITES))
    from aws_encryption_sdk.identifiers import Algorithm

    return Algorithm.get_by_id(suite_id)


def esdk_client(policy_name):
    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy

    return aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy[policy_name])


def open_input(path, what):
    try:
        return open(path, "rb")
    except OSError as e:
        raise UsageError(f"{what} {path}: cannot open ({e.strerror})") from e


def header_summary(header):
    """The fields of an ESDK MessageHeader that the JSON line reports."""
    edks = sorted(header.encrypted_data_keys, key=lambda k: (k.key_provider.provider_id,
                                                             bytes(k.key_provider.key_info)))
    return {
        "suite": f"0x{header.algorithm.algorithm_id:04X}",
        "suite_name": SUITES.get(header.algorithm.algorithm_id, ("?",))[0],
        "message_id": bytes(header.message_id).hex(),
        "encryption_context": dict(header.encryption_context),
        "edk_provider_ids": [_provider_id(k) for k in edks],
        "edk_provider_infos": [bytes(k.key_provider.key_info).hex() for k in edks],
        "frame_length": header.frame_length,
        "content_type": {1: "non-framed", 2: "framed"}.get(header.content_type.value, header.content_type.name),
    }


def _provider_id(edk):
    pid = edk.key_provider.provider_id
    return pid.decode() if isinstance(pid, bytes) else pid


def command_decrypt(args, run):
    fixture = Fixture(args.key)
    context = parse_context(args.context)
    expect_sha256 = args.expect_sha256.lower() if args.expect_sha256 else None
    if expect_sha256 is not None and not re.fullmatch(r"[0-9a-f]{64}", expect_sha256):
        raise UsageError("--expect-sha256: expected 64 hex digits")
    if args.expect is not None:
        with open_input(args.expect, "--expect") as f:
            digest = hashlib.sha256()
            for chunk in iter(lambda: f.read(CHUNK), b""):
                digest.update(chunk)
            expect_sha256 = digest.hexdigest()
    stand_in = run["stand_in"] = KmsStandIn(fixture)
    kms = make_kms_client(stand_in)
    if fixture.kind == "rsa":
        keyring = rsa_keyring(fixture, kms, args.algorithm or _default_rsa_algorithm(fixture))
    else:
        if args.algorithm:
            raise UsageError("--algorithm applies to RSA keys only")
        keyring = ecdh_discovery_keyring(fixture, kms)
    source = open_input(args.inp, "--in")
    out, out_tmp = None, None
    if args.out is not None:
        out_dir = os.path.dirname(os.path.abspath(args.out))
        out_fd, out_tmp = tempfile.mkstemp(dir=out_dir, prefix=".esdk_check.")
        out = os.fdopen(out_fd, "wb")
    digest, length = hashlib.sha256(), 0
    try:
        kwargs = {"source": source, "keyring": keyring, "mode": "d"}
        if context is not None:
            kwargs["encryption_context"] = context
        with esdk_client(args.commitment_policy).stream(**kwargs) as decryptor:
            for chunk in iter(lambda: decryptor.read(CHUNK), b""):
                digest.update(chunk)
                length += len(chunk)
                if out is not None:
                    out.write(chunk)
            summary = header_summary(decryptor.header)
        if context is not None:
            for k, v in context.items():
                if summary["encryption_context"].get(k) != v:
                    raise Refused(f"encryption context: {k!r} is {summary['encryption_context'].get(k)!r} in the "
                                  f"message, required {v!r}")
        if out is not None:
            out.close()
            os.replace(out_tmp, args.out)
            out_tmp = None
    finally:
        source.close()
        if out_tmp is not None:
            out.close()
            os.unlink(out_tmp)  # never leave plaintext of a refused message
    result = {"ok": True, "command": "decrypt", **summary, "plaintext_length": length,
              "plaintext_sha256": digest.hexdigest(), "kms_calls": stand_in.calls, "kms_errors": stand_in.errors}
    if expect_sha256 is not None and expect_sha256 != result["plaintext_sha256"]:
        raise Mismatch(result)
    return result


def _default_rsa_algorithm(fixture):
    """KMS recommends RSAES_OAEP_SHA_256; the first the key lists otherwise."""
    listed = fixture.get_public_key.get("EncryptionAlgorithms", [])
    return "RSAES_OAEP_SHA_256" if "RSAES_OAEP_SHA_256" in listed else (listed or RSA_ALGORITHMS)[0]


def command_encrypt(args, run):
    fixture = Fixture(args.key)
    context = parse_context(args.context) or {}
    stand_in = run["stand_in"] = KmsStandIn(fixture)
    kms = make_kms_client(stand_in)
    if fixture.kind == "rsa":
        if args.ecdh_scheme:
            raise UsageError("--ecdh-scheme applies to ECDH keys only")
        keyring = rsa_keyring(fixture, kms, args.algorithm or _default_rsa_algorithm(fixture))
        default_suite = "0x0478"  # the KMS RSA keyring refuses signing suites
    else:
        if args.algorithm:
            raise UsageError("--algorithm applies to RSA keys only")
        keyring = ecdh_encrypt_keyring(fixture, kms, args.ecdh_scheme or "ephemeral")
        default_suite = "0x0578"  # the ESDK's default
    suite = parse_suite(args.suite or default_suite)
    if args.frame_length is not None and not 0 <= args.frame_length <= 0xFFFFFFFF:
        raise UsageError("--frame-length: expected 0 (non-framed) or 1..2^32-1")
    source = open_input(args.inp, "--in")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    out_fd, out_tmp = tempfile.mkstemp(dir=out_dir, prefix=".esdk_check.")
    try:
        with os.fdopen(out_fd, "wb") as out:
            kwargs = {"source": source, "keyring": keyring, "mode": "e", "encryption_context": context,
                      "algorithm": suite}
            if args.frame_length is not None:
                kwargs["frame_length"] = args.frame_length
            with esdk_client(args.commitment_policy).stream(**kwargs) as encryptor:
                for chunk in iter(lambda: encryptor.read(CHUNK), b""):
                    out.write(chunk)
                summary = header_summary(encryptor.header)
        os.replace(out_tmp, args.out)
        out_tmp = None
    finally:
        source.close()
        if out_tmp is not None:
            os.unlink(out_tmp)
    return {"ok": True, "command": "encrypt", **summary, "message_length": os.path.getsize(args.out),
            "kms_calls": stand_in.calls, "kms_errors": stand_in.errors}


def command_describe(args, _run):
    with open_input(args.inp, "--in") as f:
        r = Reader(f)
        header = parse_header(r)
        frames, footer = parse_body(r, header)
    del header["iv_length"]
    if not args.frames:
        frames = {"count": len(frames), "first": frames[0], "last": frames[-1]}
    return {"ok": True, "command": "describe", **header, "frames": frames, "footer": footer,
            "message_length": r.offset}


# --------------------------------------------------------------------------------------------------------------
# CLI


def build_parser():
    parser = argparse.ArgumentParser(
        prog="esdk_check.py", description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    policies = ["REQUIRE_ENCRYPT_REQUIRE_DECRYPT", "REQUIRE_ENCRYPT_ALLOW_DECRYPT", "FORBID_ENCRYPT_ALLOW_DECRYPT"]

    def key_args(p):
        p.add_argument("--key", required=True, help="a key fixture, tests/fixtures/keys/<X>.json (GetPublicKey + "
                       "PrivateKeyPem): RSA_* ENCRYPT_DECRYPT or ECC_NIST_P256/384/521 KEY_AGREEMENT")
        p.add_argument("--algorithm", choices=RSA_ALGORITHMS, help="RSA keys: the KMS EncryptionAlgorithm the AWS "
                       "KMS RSA keyring uses (default RSAES_OAEP_SHA_256 when the key lists it)")
        p.add_argument("--context", help="encryption context, a JSON object of strings. decrypt: the context the "
                       "message must carry (passed to the ESDK as the reproduced context, and checked)")
        p.add_argument("--commitment-policy", choices=policies, default=policies[0],
                       help="the ESDK commitment policy (default %(default)s)")

    d = sub.add_parser("decrypt", help="decrypt MSG with the MPL's AWS KMS RSA / ECDH (KmsPublicKeyDiscovery) keyring")
    key_args(d)
    d.add_argument("--in", dest="inp", required=True, help="the ESDK message")
    expect = d.add_mutually_exclusive_group()
    expect.add_argument("--out", help="write the plaintext here (only once the whole message is authenticated)")
    expect.add_argument("--expect", help="the plaintext must equal this file (exit 3 if not)")
    expect.add_argument("--expect-sha256", help="the plaintext's SHA-256 must be this hex (exit 3 if not)")

    e = sub.add_parser("encrypt", help="encrypt PLAIN with the ESDK and the MPL's keyrings for the fixture key")
    key_args(e)
    e.add_argument("--in", dest="inp", required=True, help="the plaintext")
    e.add_argument("--out", required=True, help="where to write the ESDK message")
    e.add_argument("--suite", help="algorithm suite id, e.g. 0x0478 or 0x0578 (default: 0x0478 for RSA, whose "
                   "keyring refuses signing suites; 0x0578, the ESDK default, for ECDH)")
    e.add_argument("--frame-length", type=int, help="frame length in bytes (ESDK default 4096; 0 writes a "
                   "non-framed message)")
    e.add_argument("--ecdh-scheme", choices=ECDH_SCHEMES, help="ECDH keys: 'ephemeral' (default) = Raw ECDH keyring "
                   "EphemeralPrivateKeyToStaticPublicKey; 'kms-static' = AWS KMS ECDH keyring "
                   "KmsPrivateKeyToStaticPublicKey with the fixture key as sender and recipient")

    s = sub.add_parser("describe", help="parse MSG's header and body layout (this script's own parser)")
    s.add_argument("--in", dest="inp", required=True, help="the ESDK message")
    s.add_argument("--frames", action="store_true", help="list every frame (default: count, first and last)")
    return parser


def is_refusal(exc):
    """An exception from the ESDK, the MPL, its KMS shim or botocore, or the failed tag or signature check the
    ESDK lets through from `cryptography`: a verdict about the message (anything else is a bug here)."""
    from cryptography.exceptions import InvalidSignature, InvalidTag

    module = type(exc).__module__ or ""
    return isinstance(exc, (InvalidTag, InvalidSignature)) or module.split(".")[0] in (
        "aws_encryption_sdk", "aws_cryptographic_material_providers", "aws_cryptography_primitives",
        "aws_cryptography_internal_kms", "botocore", "smithy_dafny_standard_library", "_dafny")


def error_chain(exc):
    """Every message in exc, its causes and the MPL's collected errors (CollectionOfErrors.list), so that the
    KMS stand-in's exception name reaches the caller, e.g. 'InvalidCiphertextException'."""
    parts, seen, todo = [], set(), [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        text = f"{type(e).__name__}: {e}".strip()
        if text not in parts:
            parts.append(text)
        todo.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        todo.extend(getattr(e, "list", None) or [])
        wrapped = getattr(e, type(e).__name__, None)  # a dependency's error, e.g. ComAmazonawsKms.ComAmazonawsKms
        if wrapped is not None and not isinstance(wrapped, BaseException):
            parts.append(repr(wrapped))
        todo.extend([e.__cause__, e.__context__])
    return " <- ".join(parts)


def emit(result, run):
    stand_in = run.get("stand_in")
    if stand_in is not None and not result["ok"]:
        result.update(kms_calls=stand_in.calls, kms_errors=stand_in.errors)
    print(json.dumps(result), flush=True)


def main(argv=None):
    # The ESDK logs a traceback ("Error on closing") for every refused stream; the JSON line says it once.
    logging.getLogger("aws_encryption_sdk").setLevel(logging.CRITICAL + 1)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return EXIT_OK if e.code == 0 else EXIT_USAGE
    command = {"decrypt": command_decrypt, "encrypt": command_encrypt, "describe": command_describe}[args.command]
    run = {}  # what a command leaves for the report of a failure: the KMS stand-in's calls and errors
    try:
        emit(command(args, run), run)
        return EXIT_OK
    except UsageError as e:
        emit({"ok": False, "error": "usage", "message": str(e)}, run)
        print(f"esdk_check.py: {e}", file=sys.stderr)
        return EXIT_USAGE
    except Mismatch as e:
        emit({**e.args[0], "ok": False, "error": "mismatch", "message": "the plaintext is not the expected one"}, run)
        return EXIT_MISMATCH
    except Refused as e:
        emit({"ok": False, "error": "refused", "message": str(e)}, run)
        return EXIT_REFUSED
    except Exception as e:  # pylint: disable=broad-except
        if is_refusal(e):
            emit({"ok": False, "error": type(e).__name__, "message": error_chain(e)}, run)
            return EXIT_REFUSED
        import traceback

        traceback.print_exc()
        emit({"ok": False, "error": "internal", "message": f"{type(e).__name__}: {e}"}, run)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
