// DSSE envelopes through the built package (verifyDsse, dsseSigningRequest, assembleDsse) against
// implementations we did not write: the DSSE project's own test vectors (tests/data/dsse/spec-vectors.json),
// and securesystemslib 1.6.0 (Python, tests/python/dsse_crosscheck.py; pyca/cryptography where securesystemslib
// has no KMS-compatible scheme: secp256k1, ML-DSA) in both directions. Our envelopes are signed by a stand-in for
// KMS Sign: node:crypto over the PAE with the fixture's private key (RSA, ECDSA, Ed25519: the same signature KMS
// makes over the digest it is sent) and @noble/post-quantum for ML-DSA; SM2 is in tests/dsse.rs (OpenSSL).
//
// The Python part needs $KMS_PYTHON (source scripts/env.sh): it is skipped without it, except under CI=true.
import { PYTHON, havePython } from './python.mjs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KmsPublicKey } from 'kms-offline';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ed25519ph } from '@noble/curves/ed25519.js';
import F from './fixtures.cjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..', '..');
const KEYS = path.join(ROOT, 'tests', 'fixtures', 'keys');
const SCRIPT = path.join(ROOT, 'tests', 'python', 'dsse_crosscheck.py');
const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));
const load = (name) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fixtures[name].GetPublicKey));
const NOBLE_ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 };

const pae = (type, body) => Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);

/** What KMS Sign returns for this DSSE request, made over the PAE itself (RAW, or what the DIGEST / mu stands for). */
function kmsSign(fx, request, paeBytes) {
  const { SigningAlgorithm, MessageType, Message } = request;
  const spec = fx.GetPublicKey.KeySpec;
  if (MessageType === 'RAW') assert.deepEqual(Buffer.from(Message), paeBytes, 'a RAW Message is the PAE');
  if (NOBLE_ML_DSA[spec]) {
    const { secretKey } = NOBLE_ML_DSA[spec].keygen(Buffer.from(fx.PrivateKeySeed, 'base64'));
    return NOBLE_ML_DSA[spec].sign(paeBytes, secretKey);
  }
  if (SigningAlgorithm === 'ED25519_SHA_512') return crypto.sign(null, paeBytes, fx.PrivateKeyPem);
  const hash = `sha${/SHA_(\d+)$/.exec(SigningAlgorithm)[1]}`;
  if (MessageType === 'DIGEST') assert.deepEqual(Buffer.from(Message), crypto.createHash(hash).update(paeBytes).digest(), 'a DIGEST Message is the PAE digest');
  if (SigningAlgorithm.startsWith('RSASSA_PSS')) {
    return crypto.sign(hash, paeBytes, { key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(hash.slice(3)) / 8 });
  }
  return crypto.sign(hash, paeBytes, fx.PrivateKeyPem);
}

describe('DSSE: the DSSE project test vectors', () => {
  const vectors = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'data', 'dsse', 'spec-vectors.json'), 'utf8'));
  const keyOf = (name) =>
    KmsPublicKey.fromPublicKey(Buffer.from(`302a300506032b6570032100${vectors.keys[name].public}`, 'hex'), {
      KeySpec: 'ECC_NIST_EDWARDS25519',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
    });
  for (const v of vectors.vectors) {
    it(`${v.id}: ${v.expect}`, () => {
      const validKeys = v.trustedKeys.filter((name) => keyOf(name).verifyDsse(v.envelope).Valid).length;
      const supported = v.supportedPayloadTypes.includes(v.envelope.payloadType);
      assert.equal(supported && validKeys >= v.threshold ? 'accept' : 'reject', v.expect);
    });
  }
});

describe('DSSE: round trips with a KMS Sign stand-in', () => {
  const cases = [
    ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_384'], ['RSA_3072_SIGN_VERIFY', 'RSASSA_PKCS1_V1_5_SHA_512'],
    ['ECC_NIST_P256_SIGN_VERIFY'], ['ECC_NIST_P521_SIGN_VERIFY'], ['ECC_SECG_P256K1_SIGN_VERIFY'],
    ['ECC_NIST_EDWARDS25519_SIGN_VERIFY'], ['ML_DSA_44_SIGN_VERIFY'], ['ML_DSA_87_SIGN_VERIFY'],
  ];
  for (const [name, alg] of cases) {
    it(`${name} ${alg ?? '(its only DSSE algorithm)'}: small and large payloads`, () => {
      const key = load(name);
      const sizes = name.includes('EDWARDS') ? [10] : [10, 5000];
      for (const size of sizes) {
        const payload = Buffer.alloc(size, 0x61);
        const req = key.dsseSigningRequest({ PayloadType: 'application/vnd.in-toto+json', Payload: payload, ...(alg ? { SigningAlgorithm: alg } : {}) });
        const expected = size === 10 ? 'RAW' : name.startsWith('ML_DSA') ? 'EXTERNAL_MU' : 'DIGEST';
        assert.equal(req.SignRequest.MessageType, expected);
        assert.equal(req.SignRequest.KeyId, fixtures[name].GetPublicKey.KeyId);
        const pending = JSON.parse(JSON.stringify(req.Pending)); // plain JSON between the two steps
        const envelope = key.assembleDsse(pending, kmsSign(fixtures[name], req.SignRequest, pae('application/vnd.in-toto+json', payload)));
        const verified = key.verifyDsseOrThrow(envelope, { SigningAlgorithm: req.SignRequest.SigningAlgorithm });
        assert.equal(verified.Valid, true);
        assert.deepEqual(Buffer.from(verified.Payload), payload);
        assert.equal(verified.MessageType, expected);
        assert.deepEqual(verified.Signatures, [{ KeyIdInEnvelope: undefined, KeyIdMatch: 'ABSENT', Status: 'VALID' }]);
      }
    });
  }

  it('refusals carry the KMS exception names', () => {
    const ed = load('ECC_NIST_EDWARDS25519_SIGN_VERIFY');
    assert.throws(() => ed.dsseSigningRequest({ PayloadType: 't', Payload: new Uint8Array(5000) }), { name: 'ValidationException', message: /RAW messages of at most 4096 bytes/ });
    const rsa = load('RSA_2048_SIGN_VERIFY');
    assert.throws(() => rsa.dsseSigningRequest({ PayloadType: 't', Payload: 'x' }), { name: 'ValidationException', message: /choose one of/ });
    assert.throws(() => rsa.dsseSigningRequest({ PayloadType: 't', Payload: 'x', SigningAlgorithm: 'ECDSA_SHA_256' }), { name: 'InvalidKeyUsageException' });
    assert.throws(() => rsa.verifyDsse('{"payload":"","payloadType":"t"}', { SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), { name: 'ValidationException', message: /signatures/ });
    assert.throws(() => rsa.verifyDsse(42), { name: 'ValidationException' });
    const p256 = load('ECC_NIST_P256_SIGN_VERIFY');
    const req = p256.dsseSigningRequest({ PayloadType: 't', Payload: 'x' });
    const wrong = crypto.sign('sha256', Buffer.from('other'), fixtures.ECC_NIST_P256_SIGN_VERIFY.PrivateKeyPem);
    assert.throws(() => p256.assembleDsse(req.Pending, wrong), { name: 'KMSInvalidSignatureException' });
    const good = crypto.sign('sha256', pae('t', Buffer.from('x')), fixtures.ECC_NIST_P256_SIGN_VERIFY.PrivateKeyPem);
    const envelope = JSON.parse(p256.assembleDsse(req.Pending, good, { KeyId: fixtures.ECC_NIST_P256_SIGN_VERIFY.GetPublicKey.KeyId }));
    envelope.signatures.unshift({ keyid: 'someone-else', sig: good.toString('base64') });
    const verified = p256.verifyDsse(envelope);
    assert.deepEqual(verified.Signatures.map((s) => [s.KeyIdMatch, s.Status]), [['OTHER_KEY', 'NOT_THIS_KEY'], ['KEY_ID', 'VALID']]);
    envelope.payload = Buffer.from('y').toString('base64');
    assert.equal(p256.verifyDsse(envelope).Valid, false);
    assert.throws(() => p256.verifyDsseOrThrow(envelope), { name: 'KMSInvalidSignatureException', message: /someone-else/ });
  });
});

const python = PYTHON;
const pythonMissing = !havePython;
describe('DSSE: ED25519_PH_SHA_512 against @noble/curves ed25519ph (RFC 8032 Ed25519ph; OpenSSL 3.0 and node:crypto have none)', () => {
  const fx = fixtures.ECC_NIST_EDWARDS25519_SIGN_VERIFY;
  // The PKCS#8 of an Ed25519 key ends with its 32-byte seed.
  const seed = crypto.createPrivateKey(fx.PrivateKeyPem).export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const publicKey = ed25519ph.getPublicKey(seed);
  for (const size of [10, 5000]) {
    it(`a ${size}-byte payload: KMS's DIGEST is SHA-512(PAE), noble's Ed25519ph of it assembles and both sides verify`, () => {
      const key = load('ECC_NIST_EDWARDS25519_SIGN_VERIFY');
      const payload = Buffer.alloc(size, 0x62);
      const paeBytes = pae('application/vnd.in-toto+json', payload);
      const { SignRequest, Pending } = key.dsseSigningRequest({ PayloadType: 'application/vnd.in-toto+json', Payload: payload, SigningAlgorithm: 'ED25519_PH_SHA_512' });
      assert.equal(SignRequest.MessageType, 'DIGEST');
      assert.deepEqual(Buffer.from(SignRequest.Message), crypto.createHash('sha512').update(paeBytes).digest());
      // KMS hashes a DIGEST once more (KMS-RULES §4.6): its signature is Ed25519ph with the 64-byte D = SHA-512(PAE) as
      // the message, HashEdDSA over SHA-512(D). noble's ed25519ph given D does exactly that.
      const signature = ed25519ph.sign(SignRequest.Message, seed);
      const envelope = JSON.parse(key.assembleDsse(Pending, signature));
      const envelopePae = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
      const d = crypto.createHash('sha512').update(envelopePae).digest();
      assert.ok(ed25519ph.verify(Buffer.from(envelope.signatures[0].sig, 'base64'), d, publicKey));
      // Ed25519ph over the PAE itself (one hash, what a non-KMS signer would make) is another signature.
      assert.throws(() => key.assembleDsse(Pending, ed25519ph.sign(paeBytes, seed)), { name: 'KMSInvalidSignatureException' });
      assert.equal(key.verifyDsse(envelope, { SigningAlgorithm: 'ED25519_PH_SHA_512' }).Valid, true);
      // Pure Ed25519 over the same PAE is another signature: refused as this algorithm's.
      assert.throws(() => key.assembleDsse(Pending, crypto.sign(null, paeBytes, fx.PrivateKeyPem)), { name: 'KMSInvalidSignatureException' });
      key.free();
    });
  }
});

describe('DSSE: securesystemslib 1.6.0 both ways', { skip: pythonMissing && process.env.CI !== 'true' ? 'KMS_PYTHON is not set (source scripts/env.sh)' : false }, () => {
  const runPython = (mode, input) => {
    assert.ok(!pythonMissing, 'CI=true: $KMS_PYTHON (the venv of scripts/setup.sh) must exist');
    return JSON.parse(execFileSync(python, [SCRIPT, mode, KEYS], { input, encoding: 'utf8', maxBuffer: 64 << 20 }));
  };
  let made;
  it('every envelope securesystemslib (or pyca/cryptography) makes verifies with ours, and a tampered one does not; its TAP 21 ML-DSA envelope (not over the PAE) does not', () => {
    made = runPython('sign');
    assert.ok(made.length >= 30, `${made.length} envelopes`);
    assert.ok(made.some((m) => m.paeBytes > 4096 && m.signer === 'securesystemslib'));
    for (const m of made.filter((x) => x.expectValid === false)) {
      // securesystemslib's TAP 21 ML-DSA signs another message than the PAE: not what a KMS signer makes.
      assert.equal(load(m.fixture).verifyDsse(m.envelope).Valid, false, m.signer);
    }
    made = made.filter((m) => m.expectValid !== false);
    for (const m of made) {
      const key = load(m.fixture);
      const verified = key.verifyDsseOrThrow(m.envelope, { SigningAlgorithm: m.algorithm });
      assert.equal(verified.Signatures[0].KeyIdMatch, 'KEY_ID', m.fixture);
      const tampered = { ...m.envelope, payloadType: 'application/other' };
      assert.equal(key.verifyDsse(tampered, { SigningAlgorithm: m.algorithm }).Valid, false, `${m.fixture} ${m.algorithm}`);
    }
  });
  it('every envelope we assemble verifies with securesystemslib (or pyca/cryptography), and a tampered one does not', () => {
    made ??= runPython('sign').filter((m) => m.expectValid !== false);
    const ours = [];
    for (const m of made) {
      const fx = fixtures[m.fixture];
      const key = load(m.fixture);
      const payload = Buffer.from(m.envelope.payload, 'base64');
      const req = key.dsseSigningRequest({ PayloadType: m.envelope.payloadType, Payload: payload, SigningAlgorithm: m.algorithm });
      const envelope = JSON.parse(key.assembleDsse(req.Pending, kmsSign(fx, req.SignRequest, pae(m.envelope.payloadType, payload)), { KeyId: fx.GetPublicKey.KeyId }));
      ours.push({ fixture: m.fixture, algorithm: m.algorithm, envelope });
      ours.push({ fixture: m.fixture, algorithm: m.algorithm, tampered: true, envelope: { ...envelope, payloadType: 'application/other' } });
    }
    const results = runPython('verify', JSON.stringify(ours));
    assert.equal(results.length, ours.length);
    results.forEach((r, i) => assert.equal(r.valid, !ours[i].tampered, `${r.fixture} ${r.algorithm} (${r.verifier})${ours[i].tampered ? ' tampered' : ''}`));
    assert.ok(results.filter((r) => r.verifier === 'securesystemslib').length >= 40);
  });
});
