#!/usr/bin/env python3
"""Seeds the fuzz corpora from the KMS-shaped fixtures (tests/fixtures/keys/*.json) and writes a
libFuzzer dictionary of KMS vocabulary. Usage: python3 fuzz/seeds.py [CORPUS_DIR] [DICT_FILE]

Each seed follows the input layout documented at the top of its fuzz target. Enum orders are read
from src/spec.rs (the kms_enum! tables), so they always match the crate being fuzzed.
"""
import base64
import hashlib
import json
import os
import re
import sys

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FUZZ, "corpus")
DICT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(CORPUS, "kms.dict")
KEYS = os.path.join(ROOT, "tests", "fixtures", "keys")


def enums():
    text = open(os.path.join(ROOT, "src", "spec.rs")).read()
    out = {}
    for name, body in re.findall(r"kms_enum!\(\s*(?:///[^\n]*\n\s*)*(\w+)\s*\{(.*?)\}\s*\);", text, re.S):
        out[name] = re.findall(r'=\s*"([^"]+)"', body)
    return out


ENUMS = enums()
NAMES = sorted(n[:-5] for n in os.listdir(KEYS) if n.endswith(".json") and n != "index.json")
FIXTURES = {n: json.load(open(os.path.join(KEYS, n + ".json"))) for n in NAMES}


def pem(der, label):
    b64 = base64.b64encode(der).decode()
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)).encode()


def forms(der, label):
    """The same DER as raw DER, PEM, base64 and base64 with line breaks."""
    b64 = base64.b64encode(der)
    return [der, pem(der, label), b64, b"\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))]


def spki(name):
    return base64.b64decode(FIXTURES[name]["GetPublicKey"]["PublicKey"])


def private_der(name):
    text = FIXTURES[name].get("PrivateKeyPem")
    if not text:
        return None
    body = "".join(l for l in text.splitlines() if l and not l.startswith("-----"))
    return base64.b64decode(body)


def write(target, data):
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seed-" + hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def usage(name):
    return FIXTURES[name]["GetPublicKey"]["KeyUsage"]


def with_usage(u):
    return [n for n in NAMES if usage(n) == u]


LIST_FIELDS = [
    ("SigningAlgorithms", "SigningAlgorithm", 1),
    ("EncryptionAlgorithms", "EncryptionAlgorithm", 2),
    ("KeyAgreementAlgorithms", "KeyAgreementAlgorithm", 4),
    ("EncapsulationAlgorithms", "EncapsulationAlgorithm", 8),
]

for name in NAMES:
    gpk = FIXTURES[name]["GetPublicKey"]
    der = spki(name)
    cli = json.dumps(gpk, indent=4).encode()
    # get_public_key_json: the CLI text, and the serialised SDK forms of PublicKey.
    write("get_public_key_json", cli)
    write("get_public_key_json", json.dumps(dict(gpk, PublicKey=list(der))).encode())
    write("get_public_key_json", json.dumps(dict(gpk, PublicKey={str(i): b for i, b in enumerate(der)})).encode())
    write("get_public_key_json", json.dumps(dict(gpk, PublicKey={"type": "Buffer", "data": list(der)})).encode())
    write("get_public_key_json", json.dumps(dict(gpk, PublicKey=FIXTURES[name]["PublicKeyPem"])).encode())
    # public_key_blob: the header that picks this fixture's own metadata, then each form of the SPKI.
    header = [
        ENUMS["KeySpec"].index(gpk["KeySpec"]),
        1 if "CustomerMasterKeySpec" in gpk else 0,
        ENUMS["KeyUsage"].index(gpk["KeyUsage"]),
    ]
    mask, entries, length = 0, [], 0
    for field, enum, bit in LIST_FIELDS:
        if field in gpk:
            mask |= bit
            length = len(gpk[field])
            entries += [ENUMS[enum].index(a) for a in gpk[field]]
    header += [mask, length] + entries + [1]
    for blob in forms(der, "PUBLIC KEY"):
        write("public_key_blob", bytes(header) + blob)
    # spki_mutations: fixture index, mode 0 (raw DER), the DER. encapsulate: the ML-KEM SPKIs.
    index = NAMES.index(name)
    write("spki_mutations", bytes([index, 0]) + der)
    write("spki_mutations", bytes([index, 8]) + der)
    if usage(name) == "ENCAPSULATE_DECAPSULATE":
        kem = with_usage("ENCAPSULATE_DECAPSULATE").index(name)
        write("encapsulate", bytes([kem, 0]))
        write("encapsulate", bytes([kem, 1]) + der)
    # base64_pem: the SPKI and private key in every form.
    for blob in forms(der, "PUBLIC KEY"):
        write("base64_pem", blob)
    priv = private_der(name)
    if priv:
        for blob in forms(priv, "PRIVATE KEY"):
            write("base64_pem", blob)
    # arn: the KeyId.
    write("arn", gpk["KeyId"].encode())

# verify: every fixture case replayed (mode 1, no mutation), plus one arbitrary request per key.
signing = with_usage("SIGN_VERIFY")
for k, name in enumerate(signing):
    cases = FIXTURES[name]["Signatures"]
    for c in range(min(len(cases), 256)):
        write("verify", bytes([k, 0, 0, 1, c]))
    case = cases[0]
    message, signature = base64.b64decode(case["Message"]), base64.b64decode(case["Signature"])
    write("verify", bytes([k, 0, 0, 0]) + len(message).to_bytes(2, "little") + message + signature)

# encrypt: each ENCRYPT_DECRYPT key with each of its algorithms and a short and a maximal plaintext.
encrypting = with_usage("ENCRYPT_DECRYPT")
for k, name in enumerate(encrypting):
    for algorithm in FIXTURES[name]["GetPublicKey"]["EncryptionAlgorithms"]:
        a = ENUMS["EncryptionAlgorithm"].index(algorithm)
        write("encrypt", bytes([k, a, 0]) + b"fuzz")
        write("encrypt", bytes([k, a, 0]) + bytes(range(256)) * 2)

# derive_shared_secret: each KEY_AGREEMENT key, ephemeral, and with every fixture private key in every form.
agreeing = with_usage("KEY_AGREEMENT")
for k, name in enumerate(agreeing):
    write("derive_shared_secret", bytes([k, 0]))
    for other in NAMES:
        priv = private_der(other)
        if priv and (other.split("_")[:3] == name.split("_")[:3] or other in ("RSA_2048_SIGN_VERIFY", "ECC_NIST_EDWARDS25519_SIGN_VERIFY")):
            for blob in forms(priv, "PRIVATE KEY"):
                write("derive_shared_secret", bytes([k, 1]) + blob)

# kdf: both KDFs, each hash, a 32-byte output of a 32-byte Z.
for selector in range(6):
    write("kdf", bytes([selector]) + (32).to_bytes(4, "little") + bytes([32, 16]) + bytes(range(32)) + b"salt" * 4 + b"info")

# arn: the other identifier forms.
for text in [
    "arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias",
    "arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "alias/ExampleAlias",
]:
    write("arn", text.encode())

# jose: the two genuine tokens unmutated, JWKs and tokens as text, and every fixture ECDSA signature
# through the DER/P1363 converters.
curves = {"ECC_NIST_P256": 0, "ECC_NIST_P384": 1, "ECC_NIST_P521": 2, "ECC_SECG_P256K1": 3, "SM2": 4}
for which in range(2):
    write("jose", bytes([0, 1, which]))
for k, name in enumerate(signing):
    write("jose", bytes([k, 2]) + b'{"kty":"EC","crv":"P-256","x":"","y":""}')
    write("jose", bytes([k, 0]) + b"eyJhbGciOiJFUzI1NiJ9.e30.AAAA")
    prefix = "_".join(name.split("_")[:3]) if name.startswith("ECC") else name.split("_")[0]
    if prefix in curves:
        for case in FIXTURES[name]["Signatures"][:8]:
            write("jose", bytes([k, 3, curves[prefix]]) + base64.b64decode(case["Signature"]))

# dsse: the genuine envelope unmutated, the DSSE project's test vectors (tests/data/dsse) on every signing key,
# and base64 texts in both alphabets.
write("dsse", bytes([0, 1]))
with open(os.path.join(FUZZ, "..", "tests", "data", "dsse", "spec-vectors.json")) as f:
    DSSE_VECTORS = json.load(f)["vectors"]
for k in range(len(signing)):
    for v in DSSE_VECTORS:
        write("dsse", bytes([k, 0, k % 3]) + json.dumps(v["envelope"]).encode())
for text in ["+/8=", "-_8", "", "AA==", "eyJfdHlwZSI6eyJ9"]:
    write("dsse", bytes([0, 2]) + text.encode())

# The dictionary: JSON members, enum values, PEM armour, ARN pieces.
tokens = set()
for values in ENUMS.values():
    tokens.update(values)
tokens.update(["KeyId", "PublicKey", "KeySpec", "CustomerMasterKeySpec", "KeyUsage", "SigningAlgorithms",
               "EncryptionAlgorithms", "KeyAgreementAlgorithms", "EncapsulationAlgorithms", "Buffer", "type", "data",
               "-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----", "-----BEGIN PRIVATE KEY-----",
               "-----END PRIVATE KEY-----", "-----BEGIN ", "-----", "arn:aws:kms:", ":key/", ":alias/", "mrk-",
               "111122223333", "us-east-2", "aws-us-gov", "null", "true", "\\u0000", "\"0\":",
               "eyJhbGciOi", "\"alg\"", "\"kid\"", "\"crit\"", "\"kty\"", "\"crv\"", "\"exp\"", "\"nbf\"",
               "\"payload\"", "\"payloadType\"", "\"signatures\"", "\"keyid\"", "\"sig\"", "awskms:///", "alias/"])
os.makedirs(os.path.dirname(DICT), exist_ok=True)
with open(DICT, "w") as f:
    for t in sorted(tokens):
        f.write('"%s"\n' % t.replace("\\", "\\\\").replace('"', '\\"'))
print("seeded", CORPUS, {t: len(os.listdir(os.path.join(CORPUS, t))) for t in sorted(os.listdir(CORPUS)) if os.path.isdir(os.path.join(CORPUS, t))})
