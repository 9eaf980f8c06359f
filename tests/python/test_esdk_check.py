"""Self-tests of esdk_check.py: the Python ESDK's own keyrings round-trip through the KMS stand-in, refuse tampered
messages, the stand-in refuses what KMS refuses, and the keyring facts tests/python/README.md records hold.

Run: $KMS_PYTHON -m unittest discover -s tests/python -p 'test_esdk_check.py'   (tests/js/esdk-python.test.mjs runs it)
"""

import base64
import contextlib
import hashlib
import io
import json
import os
import struct
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import esdk_check  # noqa: E402  pylint: disable=wrong-import-position

KEYS = os.path.join(HERE, "..", "fixtures", "keys")
RSA_KEYS = ("RSA_2048_ENCRYPT_DECRYPT", "RSA_3072_ENCRYPT_DECRYPT", "RSA_4096_ENCRYPT_DECRYPT")
ECDH_KEYS = ("ECC_NIST_P256_KEY_AGREEMENT", "ECC_NIST_P384_KEY_AGREEMENT", "ECC_NIST_P521_KEY_AGREEMENT")
FRAME = 1024  # small frames keep the many-frame cases fast
SIZES = {"empty": 0, "one byte": 1, "one frame": FRAME, "many frames": 5 * FRAME + 7}
CONTEXT = {"purpose": "esdk_check self-test", "b": "2", "a": "1", "\u00e9t\u00e9": "\u00fcber"}


def key_path(name):
    return os.path.join(KEYS, name + ".json")


def run(*argv):
    """esdk_check.main in-process: (exit code, the JSON line)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = esdk_check.main([str(a) for a in argv])
    lines = out.getvalue().strip().splitlines()
    return code, json.loads(lines[-1]) if lines and lines[-1].startswith("{") else None


def serialize_context(context):
    """The serialised encryption context (message-header.md, AAD): pairs sorted by the key's UTF-8 bytes."""
    if not context:
        return b""
    pairs = sorted((k.encode(), v.encode()) for k, v in context.items())
    body = b"".join(struct.pack(">H", len(k)) + k + struct.pack(">H", len(v)) + v for k, v in pairs)
    return struct.pack(">H", len(pairs)) + body


def compressed_point(fixture):
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_der_public_key(fixture.public_der)
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


class Workdir(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="esdk_check_test.")
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, data):
        with open(self.path(name), "wb") as f:
            f.write(data)
        return self.path(name)

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def encrypt(self, key, plaintext, *extra):
        self.write("plain", plaintext)
        code, result = run("encrypt", "--key", key_path(key), "--in", self.path("plain"), "--out",
                           self.path("msg"), *extra)
        self.assertEqual(code, 0, result)
        return result

    def decrypt(self, key, *extra, message="msg"):
        return run("decrypt", "--key", key_path(key), "--in", self.path(message), *extra)

    def describe(self, message="msg"):
        code, result = run("describe", "--in", self.path(message), "--frames")
        self.assertEqual(code, 0, result)
        return result

    def assert_refused(self, key, message, *extra):
        """Exit 1, and no plaintext file left behind."""
        out = self.path("refused-out")
        code, result = self.decrypt(key, "--out", out, *extra, message=message)
        self.assertEqual(code, 1, result)
        self.assertFalse(result["ok"])
        self.assertFalse(os.path.exists(out), "a refused message left plaintext behind")
        return result


class RoundTrip(Workdir):
    """The ESDK encrypts with the MPL's keyrings; the ESDK decrypts with the AWS KMS keyrings through the stand-in."""

    def round_trip(self, key, size, context, encrypt_args=(), decrypt_args=()):
        plaintext = os.urandom(size)
        extra = list(encrypt_args) + ["--frame-length", FRAME]
        if context is not None:
            extra += ["--context", json.dumps(context)]
        encrypted = self.encrypt(key, plaintext, *extra)
        check = ["--out", self.path("out")] + list(decrypt_args)
        if context is not None:
            check += ["--context", json.dumps(context)]
        code, decrypted = self.decrypt(key, *check)
        self.assertEqual(code, 0, decrypted)
        self.assertEqual(self.read("out"), plaintext)
        self.assertEqual(decrypted["plaintext_length"], size)
        self.assertEqual(decrypted["plaintext_sha256"], hashlib.sha256(plaintext).hexdigest())
        for field in ("suite", "message_id", "encryption_context", "edk_provider_ids", "edk_provider_infos",
                      "frame_length"):
            self.assertEqual(decrypted[field], encrypted[field], field)
        for k, v in (context or {}).items():
            self.assertEqual(decrypted["encryption_context"][k], v)
        # describe (this script's own parser) reads the same header and the expected frames
        described = self.describe()
        self.assertEqual(described["message_id"], decrypted["message_id"])
        self.assertEqual(described["suite"], decrypted["suite"])
        self.assertEqual(described["encryption_context"], decrypted["encryption_context"])
        self.assertEqual(sorted(e["provider_id"] for e in described["encrypted_data_keys"]),
                         decrypted["edk_provider_ids"])
        self.assertEqual(described["version"], 2)
        self.assertTrue(described["commitment_key_present"])
        self.assertEqual(described["content_type"], "framed")
        self.assertEqual(decrypted["content_type"], "framed")
        self.assertEqual(len(described["frames"]), size // FRAME + 1)  # the final frame may be empty
        self.assertEqual(sum(f["content_length"] for f in described["frames"]), size)
        self.assertEqual(described["message_length"], len(self.read("msg")))
        return decrypted

    def test_rsa_keys_both_oaep_algorithms(self):
        for key in RSA_KEYS:
            for algorithm in esdk_check.RSA_ALGORITHMS:
                for size_name, size in SIZES.items():
                    for context in (None, CONTEXT):
                        with self.subTest(key=key, algorithm=algorithm, size=size_name, context=bool(context)):
                            result = self.round_trip(key, size, context, ["--algorithm", algorithm],
                                                     ["--algorithm", algorithm])
                            self.assertEqual(result["suite"], "0x0478")
                            self.assertEqual(result["edk_provider_ids"], ["aws-kms-rsa"])
                            self.assertEqual(result["kms_calls"], ["Decrypt"])

    def test_ecdh_keys_ephemeral_sender(self):
        for key in ECDH_KEYS:
            for size_name, size in SIZES.items():
                for context in (None, CONTEXT):
                    with self.subTest(key=key, size=size_name, context=bool(context)):
                        result = self.round_trip(key, size, context)
                        self.assertEqual(result["suite"], "0x0578")
                        self.assertEqual(result["edk_provider_ids"], ["raw-ecdh"])
                        self.assertEqual(result["kms_calls"], ["GetPublicKey", "DeriveSharedSecret"])

    def test_ecdh_keys_both_committing_suites_and_kms_static_sender(self):
        for key in ECDH_KEYS:
            with self.subTest(key=key, suite="0x0478"):
                result = self.round_trip(key, 3 * FRAME, CONTEXT, ["--suite", "0x0478"])
                self.assertEqual(result["suite"], "0x0478")
            with self.subTest(key=key, scheme="kms-static"):
                result = self.round_trip(key, 3 * FRAME, CONTEXT, ["--ecdh-scheme", "kms-static"])
                self.assertEqual(result["edk_provider_ids"], ["aws-kms-ecdh"])

    def test_expect_and_expect_sha256(self):
        plaintext = b"expected plaintext"
        self.encrypt("ECC_NIST_P256_KEY_AGREEMENT", plaintext)
        self.write("same", plaintext)
        self.write("other", plaintext + b"!")
        self.assertEqual(self.decrypt("ECC_NIST_P256_KEY_AGREEMENT", "--expect", self.path("same"))[0], 0)
        self.assertEqual(self.decrypt("ECC_NIST_P256_KEY_AGREEMENT", "--expect-sha256",
                                      hashlib.sha256(plaintext).hexdigest())[0], 0)
        code, result = self.decrypt("ECC_NIST_P256_KEY_AGREEMENT", "--expect", self.path("other"))
        self.assertEqual((code, result["error"]), (3, "mismatch"))

    def test_required_context_is_checked(self):
        self.encrypt("RSA_2048_ENCRYPT_DECRYPT", b"context", "--context", json.dumps({"a": "1"}))
        self.assertEqual(self.decrypt("RSA_2048_ENCRYPT_DECRYPT", "--context", '{"a": "1"}')[0], 0)
        self.assert_refused("RSA_2048_ENCRYPT_DECRYPT", "msg", "--context", '{"a": "2"}')
        self.assert_refused("RSA_2048_ENCRYPT_DECRYPT", "msg", "--context", '{"missing": "x"}')

    def test_eight_mib_many_frames(self):
        """One larger stream: 8 MiB in 4096-byte frames (2049 frames), signed suite, streamed both ways."""
        size = 8 << 20
        self.write("plain", os.urandom(size))
        code, result = run("encrypt", "--key", key_path("ECC_NIST_P384_KEY_AGREEMENT"), "--in", self.path("plain"),
                           "--out", self.path("msg"), "--frame-length", 4096)
        self.assertEqual(code, 0, result)
        digest = hashlib.sha256(self.read("plain")).hexdigest()
        code, result = self.decrypt("ECC_NIST_P384_KEY_AGREEMENT", "--expect-sha256", digest)
        self.assertEqual(code, 0, result)
        self.assertEqual(result["plaintext_length"], size)
        code, described = run("describe", "--in", self.path("msg"))
        self.assertEqual(described["frames"]["count"], size // 4096 + 1)


class ParserAgainstEsdk(Workdir):
    """describe (this script's parser) agrees with the ESDK's own header parser, on format versions 1 and 2, framed
    and non-framed; and decrypt refuses non-committing suites unless the commitment policy allows them."""

    def esdk_header(self):
        from aws_encryption_sdk.internal.formatting.deserialize import deserialize_header, deserialize_header_auth

        with open(self.path("msg"), "rb") as f:
            header, raw = deserialize_header(f)
            deserialize_header_auth(header.version, f, header.algorithm)
            return header, len(raw), f.tell()

    def test_versions_and_content_types(self):
        forbid = ["--commitment-policy", "FORBID_ENCRYPT_ALLOW_DECRYPT"]
        cases = [("0x0478", FRAME), ("0x0478", 0), ("0x0178", FRAME), ("0x0178", 0), ("0x0014", FRAME),
                 ("0x0078", 0)]
        for suite, frame_length in cases:
            with self.subTest(suite=suite, frame_length=frame_length):
                policy = forbid if suite != "0x0478" else []
                plaintext = os.urandom(2 * FRAME + 3)
                self.encrypt("RSA_2048_ENCRYPT_DECRYPT", plaintext, "--suite", suite, "--frame-length",
                             frame_length, "--context", json.dumps(CONTEXT), *policy)
                described = self.describe()
                header, body_length, auth_end = self.esdk_header()
                self.assertEqual(described["suite"], f"0x{header.algorithm.algorithm_id:04X}")
                self.assertEqual(described["version"], header.version.value)
                self.assertEqual(described["message_id"], bytes(header.message_id).hex())
                self.assertEqual(described["encryption_context"], header.encryption_context)
                self.assertEqual(described["frame_length"], header.frame_length)
                self.assertEqual(described["content_type"], {1: "non-framed", 2: "framed"}[header.content_type.value])
                self.assertEqual(described["header_body_length"], body_length)
                self.assertEqual(described["header_length"], auth_end)
                self.assertEqual([(e["provider_id"], e["provider_info"], e["ciphertext"])
                                  for e in described["encrypted_data_keys"]],
                                 [(k.key_provider.provider_id, bytes(k.key_provider.key_info).hex(),
                                   bytes(k.encrypted_data_key).hex()) for k in header.encrypted_data_keys])
                self.assertEqual(sum(f["content_length"] for f in described["frames"]), len(plaintext))
                code, result = self.decrypt("RSA_2048_ENCRYPT_DECRYPT", "--expect-sha256",
                                            hashlib.sha256(plaintext).hexdigest(), *policy)
                self.assertEqual(code, 0, result)
                if policy:  # the default policy, REQUIRE_ENCRYPT_REQUIRE_DECRYPT, refuses a non-committing suite
                    self.assertEqual(self.decrypt("RSA_2048_ENCRYPT_DECRYPT")[0], 1)


class Tampering(Workdir):
    """Every part of a message is authenticated: one flipped bit anywhere is refused (exit 1, no plaintext)."""

    def tampered(self, offset, bit=0x01):
        data = bytearray(self.read("msg"))
        data[offset] ^= bit
        return self.write("tampered", bytes(data))

    def make(self, key, *extra):
        self.encrypt(key, os.urandom(3 * FRAME + 100), "--frame-length", FRAME,
                     "--context", json.dumps(CONTEXT), *extra)
        return self.describe()

    def test_signed_ecdh_message(self):
        key = "ECC_NIST_P256_KEY_AGREEMENT"
        layout = self.make(key)
        edk_offset = layout["header_body_length"] - 1 - 4 - 32 - 16  # inside the last EDK's wrapped key
        first, last = layout["frames"][0], layout["frames"][-1]
        places = {
            "version": 0,
            "suite id": 2,
            "message id": 10,
            "encryption context": 3 + 32 + 10,
            "EDK wrapped key": edk_offset,
            "frame length": layout["header_body_length"] - 32 - 1,
            "commitment key": layout["header_body_length"] - 5,
            "header auth tag": layout["header_auth_offset"] + 3,
            "frame sequence number": first["offset"] + 3,
            "frame IV": first["offset"] + 6,
            "frame content": first["content_offset"] + 5,
            "frame tag": first["tag_offset"] + 15,
            "final frame content length": last["content_offset"] - 1,
            "final frame content": last["content_offset"],
            "final frame tag": last["tag_offset"],
            "signature": layout["footer"]["signature_offset"] + 20,
        }
        for name, offset in places.items():
            with self.subTest(place=name):
                self.tampered(offset)
                self.assert_refused(key, "tampered")

    def test_rsa_message_and_truncation(self):
        key = "RSA_3072_ENCRYPT_DECRYPT"
        layout = self.make(key, "--algorithm", "RSAES_OAEP_SHA_256")
        first = layout["frames"][0]
        edk = layout["encrypted_data_keys"][0]
        for name, offset in {"EDK ciphertext": layout["header_auth_offset"] - 1 - 4 - 32 - 5,
                             "encryption context": 40, "header auth tag": layout["header_auth_offset"],
                             "frame content": first["content_offset"], "frame tag": first["tag_offset"]}.items():
            with self.subTest(place=name):
                self.tampered(offset)
                result = self.assert_refused(key, "tampered")
        self.assertEqual(edk["ciphertext_length"], 384)
        data = self.read("msg")
        for name, cut in {"header": 50, "inside a frame": first["content_offset"] + 10,
                          "last byte": len(data) - 1}.items():
            with self.subTest(truncated=name):
                self.write("tampered", data[:cut])
                result = self.assert_refused(key, "tampered")
        self.assertIn("error", result)

    def test_describe_refuses_trailing_and_truncated(self):
        self.make("ECC_NIST_P384_KEY_AGREEMENT")
        data = self.read("msg")
        for name, damaged in {"trailing byte": data + b"\0", "truncated": data[:-1]}.items():
            with self.subTest(name):
                self.write("tampered", damaged)
                code, result = run("describe", "--in", self.path("tampered"))
                self.assertEqual(code, 1, result)


class KeyringFacts(Workdir):
    """The facts tests/python/README.md records about the MPL 1.11.3 keyrings (issue 23), checked on real output."""

    def test_rsa_keyring_refuses_signing_suites_on_encrypt(self):
        self.write("plain", b"x")
        for suite in ("0x0578", "0x0378", "0x0214"):
            with self.subTest(suite=suite):
                code, result = run("encrypt", "--key", key_path("RSA_2048_ENCRYPT_DECRYPT"), "--in",
                                   self.path("plain"), "--out", self.path("msg"), "--suite", suite,
                                   "--commitment-policy", "FORBID_ENCRYPT_ALLOW_DECRYPT" if suite != "0x0578"
                                   else "REQUIRE_ENCRYPT_REQUIRE_DECRYPT")
                self.assertEqual(code, 1, result)
                self.assertIn("asymmetric signing", result["message"])

    def test_rsa_keyring_refuses_signing_suites_on_decrypt(self):
        """A 0x0478 RSA message re-headed as 0x0578 (with the verification key a signed suite's context carries):
        the keyring refuses it before any KMS call (decryption materials come before the header auth check)."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        self.encrypt("RSA_2048_ENCRYPT_DECRYPT", b"x")
        header = self.describe()
        verification_key = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
        context = {**header["encryption_context"], "aws-crypto-public-key": base64.b64encode(verification_key).decode()}
        aad = serialize_context(context)
        edks = b"".join(struct.pack(">H", len(p)) + p for e in header["encrypted_data_keys"]
                        for p in (e["provider_id"].encode(), bytes.fromhex(e["provider_info"]),
                                  bytes.fromhex(e["ciphertext"])))
        body = (b"\x02\x05\x78" + bytes.fromhex(header["message_id"]) + struct.pack(">H", len(aad)) + aad
                + struct.pack(">H", len(header["encrypted_data_keys"])) + edks + b"\x02"
                + struct.pack(">I", header["frame_length"]) + bytes.fromhex(header["commitment_key"]))
        self.write("resigned", body + self.read("msg")[header["header_auth_offset"]:])
        result = self.assert_refused("RSA_2048_ENCRYPT_DECRYPT", "resigned")
        self.assertIn("asymmetric signing", result["message"])
        self.assertEqual(result["kms_calls"], [])

    def test_rsa_wrapped_key_is_oaep_of_context_digest_then_data_key(self):
        for context in ({}, CONTEXT):
            with self.subTest(context=bool(context)):
                self.encrypt("RSA_2048_ENCRYPT_DECRYPT", b"x", "--context", json.dumps(context),
                             "--algorithm", "RSAES_OAEP_SHA_1")
                edk = self.describe()["encrypted_data_keys"][0]
                fixture = esdk_check.Fixture(key_path("RSA_2048_ENCRYPT_DECRYPT"))
                self.assertEqual(bytes.fromhex(edk["provider_info"]).decode(), fixture.arn)
                stand_in = esdk_check.KmsStandIn(fixture)
                plain = base64.b64decode(stand_in.decrypt({
                    "KeyId": fixture.arn, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1",
                    "CiphertextBlob": base64.b64encode(bytes.fromhex(edk["ciphertext"])).decode()})["Plaintext"])
                self.assertEqual(len(plain), 48 + 32)
                self.assertEqual(plain[:48], hashlib.sha384(serialize_context(context)).digest())

    def test_ecdh_provider_info_and_wrapped_key_layout(self):
        for key, scheme, provider_id in (("ECC_NIST_P256_KEY_AGREEMENT", "ephemeral", "raw-ecdh"),
                                         ("ECC_NIST_P384_KEY_AGREEMENT", "ephemeral", "raw-ecdh"),
                                         ("ECC_NIST_P521_KEY_AGREEMENT", "ephemeral", "raw-ecdh"),
                                         ("ECC_NIST_P256_KEY_AGREEMENT", "kms-static", "aws-kms-ecdh")):
            with self.subTest(key=key, scheme=scheme):
                self.encrypt(key, b"x", "--ecdh-scheme", scheme)
                fixture = esdk_check.Fixture(key_path(key))
                point = compressed_point(fixture)
                edk = self.describe()["encrypted_data_keys"][0]
                self.assertEqual(edk["provider_id"], provider_id)
                info = bytes.fromhex(edk["provider_info"])
                n = len(point)
                self.assertEqual(info[0], 1)  # keyring version
                self.assertEqual(info[1:5], struct.pack(">I", n))
                self.assertEqual(info[5:5 + n], point)  # the recipient's compressed public key first
                self.assertEqual(info[5 + n:9 + n], struct.pack(">I", n))
                sender = info[9 + n:]
                self.assertEqual(len(sender), n)
                self.assertEqual(sender == point, scheme == "kms-static")
                # salt (32) || commitment key (32) || AES-256-GCM(data key, 32) || tag (16)
                self.assertEqual(edk["ciphertext_length"], 32 + 32 + 32 + 16)


    def test_ecdh_wrapped_key_unwraps_by_the_documented_kdf(self):
        """Unwrap the ECDH EDK by hand, as README.md describes it: Z = ECDH(recipient private, sender public);
        K = SP 800-108 counter-mode HMAC-SHA384(Z, [i]_4 || fixedInfo || 0x00 || salt || [512]_4), 64 bytes;
        K[:32] is the commitment key in the EDK, K[32:] the AES-256-GCM key (IV 12 zero bytes, AAD fixedInfo)."""
        import hmac

        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        curves = {"ECC_NIST_P256": (ec.SECP256R1(), b"p256"), "ECC_NIST_P384": (ec.SECP384R1(), b"p384"),
                  "ECC_NIST_P521": (ec.SECP521R1(), b"p521")}
        for key in ECDH_KEYS:
            for scheme in esdk_check.ECDH_SCHEMES:
                with self.subTest(key=key, scheme=scheme):
                    self.encrypt(key, b"x", "--ecdh-scheme", scheme, "--context", json.dumps(CONTEXT))
                    header = self.describe()
                    edk = header["encrypted_data_keys"][0]
                    fixture = esdk_check.Fixture(key_path(key))
                    curve, curve_name = curves[fixture.key_spec]
                    info = bytes.fromhex(edk["provider_info"])
                    n = struct.unpack(">I", info[1:5])[0]
                    recipient, sender = info[5:5 + n], info[9 + n:]
                    z = fixture.private_key().exchange(
                        ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(curve, sender))
                    fixed_info = (b"ecdh-key-derivation\0" + curve_name + b"\0HMAC_SHA384\0" + sender + recipient
                                  + b"\0\x01\0" + serialize_context(header["encryption_context"]))
                    wrapped = bytes.fromhex(edk["ciphertext"])
                    salt, commitment, sealed = wrapped[:32], wrapped[32:64], wrapped[64:]
                    explicit = fixed_info + b"\0" + salt + struct.pack(">I", 64 * 8)
                    k = b"".join(hmac.new(z, struct.pack(">I", i) + explicit, "sha384").digest() for i in (1, 2))
                    self.assertEqual(k[:32], commitment)
                    data_key = AESGCM(k[32:64]).decrypt(b"\0" * 12, sealed, fixed_info)
                    self.assertEqual(len(data_key), 32)


    def test_ecdh_discovery_keyring_needs_the_key_arn(self):
        """KmsPublicKeyDiscovery calls GetPublicKey when it is made and requires the response's KeyId (always the
        ARN) to equal the identifier it was given: a bare key id is refused."""
        fixture = esdk_check.Fixture(key_path("ECC_NIST_P256_KEY_AGREEMENT"))
        stand_in = esdk_check.KmsStandIn(fixture)
        kms = esdk_check.make_kms_client(stand_in)
        esdk_check.ecdh_discovery_keyring(fixture, kms)
        fixture.arn = fixture.key_id
        with self.assertRaises(Exception) as caught:
            esdk_check.ecdh_discovery_keyring(fixture, kms)
        self.assertIn("GetPublicKey", esdk_check.error_chain(caught.exception))
        self.assertEqual(stand_in.calls, ["GetPublicKey", "GetPublicKey"])


class StandIn(unittest.TestCase):
    """The KMS stand-in, through a real botocore KMS client: what KMS accepts and what it refuses."""

    @classmethod
    def setUpClass(cls):
        cls.rsa = esdk_check.Fixture(key_path("RSA_2048_ENCRYPT_DECRYPT"))
        cls.ecdh = esdk_check.Fixture(key_path("ECC_NIST_P256_KEY_AGREEMENT"))

    def client(self, fixture):
        return esdk_check.make_kms_client(esdk_check.KmsStandIn(fixture))

    def assert_kms_error(self, code, call, **kwargs):
        from botocore.exceptions import ClientError

        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        self.assertEqual(caught.exception.response["Error"]["Code"], code, caught.exception.response)

    def oaep(self, fixture, plaintext, hash_name):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        h = hashes.SHA1() if hash_name == "RSAES_OAEP_SHA_1" else hashes.SHA256()
        return fixture.private_key().public_key().encrypt(
            plaintext, padding.OAEP(mgf=padding.MGF1(algorithm=h), algorithm=h, label=None))

    def test_decrypt(self):
        kms = self.client(self.rsa)
        ciphertext = self.oaep(self.rsa, b"data key", "RSAES_OAEP_SHA_256")
        for key_id in (self.rsa.arn, self.rsa.key_id):
            out = kms.decrypt(KeyId=key_id, CiphertextBlob=ciphertext, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
            self.assertEqual((out["Plaintext"], out["KeyId"], out["EncryptionAlgorithm"]),
                             (b"data key", self.rsa.arn, "RSAES_OAEP_SHA_256"))

    def test_decrypt_refusals(self):
        kms = self.client(self.rsa)
        ciphertext = self.oaep(self.rsa, b"data key", "RSAES_OAEP_SHA_256")
        other_arn = self.rsa.arn.replace(self.rsa.key_id, "00000000-0000-4000-8000-000000000000")
        cases = {
            "NotFoundException": dict(KeyId=other_arn, EncryptionAlgorithm="RSAES_OAEP_SHA_256"),
            "InvalidCiphertextException": dict(KeyId=self.rsa.arn, EncryptionAlgorithm="RSAES_OAEP_SHA_1"),
            "InvalidKeyUsageException": dict(KeyId=self.rsa.arn),  # SYMMETRIC_DEFAULT, not in the key's list
        }
        for code, kwargs in cases.items():
            with self.subTest(code):
                self.assert_kms_error(code, kms.decrypt, CiphertextBlob=ciphertext, **kwargs)
        with self.subTest("corrupt ciphertext"):
            self.assert_kms_error("InvalidCiphertextException", kms.decrypt, KeyId=self.rsa.arn,
                                  CiphertextBlob=ciphertext[:-1] + bytes([ciphertext[-1] ^ 1]),
                                  EncryptionAlgorithm="RSAES_OAEP_SHA_256")
        with self.subTest("Decrypt with a KEY_AGREEMENT key"):
            self.assert_kms_error("InvalidKeyUsageException", self.client(self.ecdh).decrypt, KeyId=self.ecdh.arn,
                                  CiphertextBlob=ciphertext, EncryptionAlgorithm="RSAES_OAEP_SHA_256")

    def test_derive_shared_secret(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        peer = ec.generate_private_key(ec.SECP256R1())
        peer_der = peer.public_key().public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
        out = self.client(self.ecdh).derive_shared_secret(KeyId=self.ecdh.arn, KeyAgreementAlgorithm="ECDH",
                                                          PublicKey=peer_der)
        own = serialization.load_der_public_key(self.ecdh.public_der)
        self.assertEqual(out["SharedSecret"], peer.exchange(ec.ECDH(), own))
        self.assertEqual((out["KeyId"], out["KeyAgreementAlgorithm"]), (self.ecdh.arn, "ECDH"))

    def test_derive_shared_secret_refusals(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        p384_der = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        kms = self.client(self.ecdh)
        with self.subTest("a key on another curve"):
            self.assert_kms_error("ValidationException", kms.derive_shared_secret, KeyId=self.ecdh.arn,
                                  KeyAgreementAlgorithm="ECDH", PublicKey=p384_der)
        with self.subTest("another key id"):
            self.assert_kms_error("NotFoundException", kms.derive_shared_secret, KeyId="alias/other",
                                  KeyAgreementAlgorithm="ECDH", PublicKey=self.ecdh.public_der)
        with self.subTest("an ENCRYPT_DECRYPT key"):
            self.assert_kms_error("InvalidKeyUsageException", self.client(self.rsa).derive_shared_secret,
                                  KeyId=self.rsa.arn, KeyAgreementAlgorithm="ECDH", PublicKey=self.ecdh.public_der)

    def test_get_public_key(self):
        out = self.client(self.ecdh).get_public_key(KeyId=self.ecdh.arn)
        self.assertEqual((out["KeyId"], out["PublicKey"], out["KeyUsage"]),
                         (self.ecdh.arn, self.ecdh.public_der, "KEY_AGREEMENT"))

    def test_no_network(self):
        """The client's endpoint is a .invalid host: if the before-send handler were bypassed nothing could leave."""
        self.assertTrue(self.client(self.rsa).meta.endpoint_url.endswith(".invalid"))


class StandInThroughEsdk(Workdir):
    def test_wrong_oaep_algorithm(self):
        self.encrypt("RSA_2048_ENCRYPT_DECRYPT", b"x", "--algorithm", "RSAES_OAEP_SHA_256")
        result = self.assert_refused("RSA_2048_ENCRYPT_DECRYPT", "msg", "--algorithm", "RSAES_OAEP_SHA_1")
        self.assertEqual([e["error"] for e in result["kms_errors"]], ["InvalidCiphertextException"])

    def test_another_key_of_the_same_curve_cannot_decrypt(self):
        """A P-256 message for key A, with a fixture whose ARN is A's but whose private key is another P-256 key:
        the discovery keyring's recipient check refuses it (the provider info names A's public key)."""
        self.encrypt("ECC_NIST_P256_KEY_AGREEMENT", b"x")
        with open(key_path("ECC_NIST_P256_KEY_AGREEMENT")) as f:
            doc = json.load(f)
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        other = ec.generate_private_key(ec.SECP256R1())
        doc["PrivateKeyPem"] = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()).decode()
        doc["GetPublicKey"]["PublicKey"] = base64.b64encode(other.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
        other_key = self.write("other.json", json.dumps(doc).encode())
        code, result = run("decrypt", "--key", other_key, "--in", self.path("msg"))
        self.assertEqual(code, 1, result)


class Usage(Workdir):
    def test_usage_errors_exit_2(self):
        self.write("m", b"")
        cases = {
            "no arguments": [],
            "unknown command": ["frobnicate"],
            "missing --in": ["decrypt", "--key", key_path("RSA_2048_ENCRYPT_DECRYPT")],
            "missing file": ["decrypt", "--key", key_path("RSA_2048_ENCRYPT_DECRYPT"), "--in", self.path("nope")],
            "signing key": ["decrypt", "--key", key_path("ECC_NIST_P256_SIGN_VERIFY"), "--in", self.path("m")],
            "ML-KEM key": ["decrypt", "--key", key_path("ML_KEM_768_ENCAPSULATE_DECAPSULATE"), "--in", self.path("m")],
            "SM2 key": ["decrypt", "--key", key_path("SM2_ENCRYPT_DECRYPT"), "--in", self.path("m")],
            "bad context": ["decrypt", "--key", key_path("RSA_2048_ENCRYPT_DECRYPT"), "--in", self.path("m"),
                            "--context", '{"a": 1}'],
            "bad sha256": ["decrypt", "--key", key_path("RSA_2048_ENCRYPT_DECRYPT"), "--in", self.path("m"),
                           "--expect-sha256", "xyz"],
            "unknown suite": ["encrypt", "--key", key_path("RSA_2048_ENCRYPT_DECRYPT"), "--in", self.path("m"),
                              "--out", self.path("o"), "--suite", "0x9999"],
            "algorithm for ECDH": ["encrypt", "--key", key_path("ECC_NIST_P256_KEY_AGREEMENT"), "--in",
                                   self.path("m"), "--out", self.path("o"), "--algorithm", "RSAES_OAEP_SHA_1"],
        }
        for name, argv in cases.items():
            with self.subTest(name):
                code, _ = run(*argv)
                self.assertEqual(code, 2)

    def test_help_exits_0(self):
        self.assertEqual(run("--help")[0], 0)
        self.assertEqual(run("decrypt", "--help")[0], 0)


if __name__ == "__main__":
    unittest.main()
