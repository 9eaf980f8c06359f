// Operations whose result KMS consumes (Encrypt -> Decrypt, DeriveSharedSecret, Encapsulate -> Decapsulate) need
// randomness from the host (crypto.getRandomValues through the wasm glue). Checked here in Node against an
// independent implementation holding the fixture's private half: node:crypto for RSA-OAEP and ECDH,
// @noble/post-quantum for ML-KEM. (The Rust tests cover the rules; this is about the package in Node.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { KmsPublicKey, MessageDigest, hkdf, oneStepKdf } from 'kms-offline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import F from './fixtures.cjs';

const fixtures = F.loadFixtures();
const of = (pred) => fixtures.filter((f) => pred(f.data.GetPublicKey));
const load = (fx) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.data.GetPublicKey));

describe('Node: operations that use randomness, checked with the private key', () => {
  for (const fx of of((g) => /^RSA_/.test(g.KeySpec) && g.KeyUsage === 'ENCRYPT_DECRYPT')) {
    it(`${fx.name}: encrypt, then node:crypto decrypts (${fx.data.GetPublicKey.EncryptionAlgorithms.join(', ')})`, () => {
      const key = load(fx);
      const k = Number(fx.data.GetPublicKey.KeySpec.slice(4)) / 8;
      for (const alg of fx.data.GetPublicKey.EncryptionAlgorithms) {
        const plaintext = crypto.randomBytes(100);
        const a = key.encrypt({ Plaintext: new Uint8Array(plaintext), EncryptionAlgorithm: alg });
        const b = key.encrypt({ Plaintext: plaintext.toString('base64'), PlaintextEncoding: 'base64', EncryptionAlgorithm: alg });
        assert.equal(a.KeyId, fx.data.GetPublicKey.KeyId);
        assert.equal(a.EncryptionAlgorithm, alg);
        assert.equal(a.CiphertextBlob.length, k);
        assert.notDeepEqual(Buffer.from(a.CiphertextBlob), Buffer.from(b.CiphertextBlob), 'two encryptions are equal: no randomness?');
        const oaepHash = alg === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
        for (const ct of [a.CiphertextBlob, b.CiphertextBlob]) {
          const pt = crypto.privateDecrypt({ key: fx.data.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ct);
          assert.deepEqual(pt, plaintext);
        }
      }
      key.free();
    });
  }

  for (const fx of of((g) => /^ECC_NIST_P/.test(g.KeySpec) && g.KeyUsage === 'KEY_AGREEMENT')) {
    it(`${fx.name}: deriveSharedSecret (ephemeral) equals node:crypto ECDH with the KMS private key`, () => {
      const key = load(fx);
      const r1 = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
      const r2 = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
      assert.notDeepEqual(Buffer.from(r1.PublicKey), Buffer.from(r2.PublicKey), 'two ephemeral keys are equal: no randomness?');
      for (const r of [r1, r2]) {
        const z = crypto.diffieHellman({
          privateKey: crypto.createPrivateKey(fx.data.PrivateKeyPem),
          publicKey: crypto.createPublicKey({ key: Buffer.from(r.PublicKey), format: 'der', type: 'spki' }),
        });
        assert.deepEqual(Buffer.from(r.SharedSecret), z);
      }
      key.free();
    });
  }

  const kem = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 };
  for (const fx of of((g) => /^ML_KEM_/.test(g.KeySpec))) {
    it(`${fx.name}: encapsulate, then @noble/post-quantum decapsulates to the same secret`, () => {
      const key = load(fx);
      const impl = kem[fx.data.GetPublicKey.KeySpec];
      const { secretKey, publicKey } = impl.keygen(F.b64bytes(fx.data.PrivateKeySeed));
      assert.deepEqual(Buffer.from(F.spkiRawKey(key.spkiDer())), Buffer.from(publicKey), 'fixture seed does not give the fixture public key');
      const a = key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' });
      const b = key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' });
      assert.equal(a.SharedSecret.length, 32);
      assert.notDeepEqual(Buffer.from(a.SharedSecret), Buffer.from(b.SharedSecret), 'two encapsulations are equal: no randomness?');
      for (const r of [a, b]) {
        assert.deepEqual(Buffer.from(impl.decapsulate(r.SharedSecretCiphertextBlob, secretKey)), Buffer.from(r.SharedSecret));
      }
      key.free();
    });
  }
});

describe('Node: SM2, the KDFs and the refusals of encrypt / deriveSharedSecret / encapsulate', () => {
  const byName = (name) => fixtures.find((f) => f.name === name);

  it('SM2PKE ciphertexts are DER and open with OpenSSL (pkeyutl -decrypt on the SM2 key)', () => {
    const fx = byName('SM2_ENCRYPT_DECRYPT');
    const key = load(fx);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-sm2-'));
    try {
      fs.writeFileSync(path.join(dir, 'key.pem'), fx.data.PrivateKeyPem);
      for (const len of [1, 100, 1024]) {
        const plaintext = crypto.randomBytes(len);
        const { CiphertextBlob } = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'SM2PKE' });
        assert.equal(CiphertextBlob[0], 0x30, 'a DER SEQUENCE');
        fs.writeFileSync(path.join(dir, 'ct.der'), CiphertextBlob);
        const opened = execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', path.join(dir, 'key.pem'), '-in', path.join(dir, 'ct.der')]);
        assert.deepEqual(opened, plaintext);
      }
      assert.throws(() => key.encrypt({ Plaintext: new Uint8Array(1025), EncryptionAlgorithm: 'SM2PKE' }), { name: 'ValidationException' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      key.free();
    }
  });

  // Node 24 and later bundle OpenSSL 3.5, whose SM2 keys refuse ECDH: node:crypto is no oracle there (the wasm
  // answer does not depend on the Node version; Node 20 and 22 and the Rust tests check it).
  const nodeCryptoDoesSm2Ecdh = (() => {
    try {
      const [a, b] = [crypto.createECDH('SM2'), crypto.createECDH('SM2')];
      a.generateKeys();
      return a.computeSecret(b.generateKeys()).length === 32;
    } catch {
      return false;
    }
  })();
  const sm2EcdhSkip = !nodeCryptoDoesSm2Ecdh && `node:crypto of Node ${process.version} (OpenSSL ${process.versions.openssl}) has no SM2 ECDH`;

  it('SM2 deriveSharedSecret equals node:crypto createECDH("SM2") with the KMS private key', { skip: sm2EcdhSkip }, () => {
    const fx = byName('SM2_KEY_AGREEMENT');
    const key = load(fx);
    const r = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
    key.free();
    const der = crypto.createPrivateKey(fx.data.PrivateKeyPem).export({ format: 'der', type: 'pkcs8' });
    const at = der.indexOf(Buffer.from([0x04, 0x20]));
    const ecdh = crypto.createECDH('SM2');
    ecdh.setPrivateKey(der.subarray(at + 2, at + 34));
    assert.deepEqual(Buffer.from(r.SharedSecret), ecdh.computeSecret(Buffer.from(r.PublicKey).subarray(-65)));
  });

  it('a static PKCS#8 private key (PEM or DER) gives the secret node:crypto derives from the KMS public key', () => {
    const kms = byName('ECC_NIST_P384_KEY_AGREEMENT');
    const ours = byName('ECC_NIST_P384_SIGN_VERIFY');
    const key = load(kms);
    const der = crypto.createPrivateKey(ours.data.PrivateKeyPem).export({ format: 'der', type: 'pkcs8' });
    for (const PrivateKey of [ours.data.PrivateKeyPem, new Uint8Array(der), der.toString('base64')]) {
      const r = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH', PrivateKey });
      const z = crypto.diffieHellman({
        privateKey: crypto.createPrivateKey(ours.data.PrivateKeyPem),
        publicKey: crypto.createPublicKey({ key: Buffer.from(key.spkiDer()), format: 'der', type: 'spki' }),
      });
      assert.deepEqual(Buffer.from(r.SharedSecret), z);
    }
    const p256 = byName('ECC_NIST_P256_SIGN_VERIFY').data.PrivateKeyPem;
    assert.throws(() => key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH', PrivateKey: p256 }), { name: 'ValidationException', message: /P-384/ });
    key.free();
  });

  it('hkdf equals node:crypto hkdfSync; oneStepKdf equals SP 800-56C computed with node:crypto hashes', () => {
    const ikm = crypto.randomBytes(48);
    const salt = crypto.randomBytes(16);
    const info = Buffer.from('kms-offline test');
    for (const [Hash, node] of [['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']]) {
      for (const Length of [16, 32, 100]) {
        const ours = hkdf({ Hash, Ikm: ikm, Salt: salt, Info: info, Length });
        assert.deepEqual(Buffer.from(ours), Buffer.from(crypto.hkdfSync(node, ikm, salt, info, Length)));
        const oneStep = oneStepKdf({ Hash, SharedSecret: ikm.toString('base64'), SharedSecretEncoding: 'base64', FixedInfo: info, Length });
        const blocks = [];
        for (let counter = 1; Buffer.concat(blocks).length < Length; counter++) {
          const c = Buffer.alloc(4);
          c.writeUInt32BE(counter);
          blocks.push(crypto.createHash(node).update(c).update(ikm).update(info).digest());
        }
        assert.deepEqual(Buffer.from(oneStep), Buffer.concat(blocks).subarray(0, Length));
      }
    }
    assert.throws(() => hkdf({ Hash: 'SHA-1', Ikm: ikm, Length: 32 }), { name: 'ValidationException' });
    assert.throws(() => hkdf({ Hash: 'SHA-256', Ikm: ikm, Length: 0 }), { name: 'ValidationException' });
  });

  it('refusals carry KMS exception names', () => {
    const expectName = (fn, name, message) => assert.throws(fn, (e) => e instanceof Error && e.name === name && e.code === name && (!message || message.test(e.message)));
    const rsaSign = load(byName('RSA_2048_SIGN_VERIFY'));
    expectName(() => rsaSign.encrypt({ Plaintext: 'AQI=', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidKeyUsageException', /never decrypt/);
    const rsaEnc = load(byName('RSA_2048_ENCRYPT_DECRYPT'));
    expectName(() => rsaEnc.encrypt({ Plaintext: new Uint8Array(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'ValidationException', /at most 190 bytes/);
    expectName(() => rsaEnc.encrypt({ Plaintext: new Uint8Array(0), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'ValidationException');
    expectName(() => rsaEnc.encrypt({ Plaintext: 'AQI=', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }), 'InvalidKeyUsageException');
    expectName(() => rsaEnc.encrypt({ Plaintext: 'AQI=', EncryptionAlgorithm: 'RSAES_PKCS1_V1_5' }), 'ValidationException');
    expectName(() => rsaEnc.encrypt({ Plaintext: 'AQI=', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { purpose: 'x' } }), 'ValidationException', /EncryptionContext/);
    expectName(() => rsaEnc.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' }), 'InvalidKeyUsageException');
    expectName(() => rsaEnc.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' }), 'InvalidKeyUsageException');
    expectName(() => load(byName('ECC_SECG_P256K1_SIGN_VERIFY')).deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' }), 'InvalidKeyUsageException');
    expectName(() => load(byName('ECC_NIST_P256_KEY_AGREEMENT')).deriveSharedSecret({ KeyAgreementAlgorithm: 'X25519' }), 'ValidationException');
    // The module answers correctly after every refusal.
    const { CiphertextBlob } = rsaEnc.encrypt({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    assert.equal(CiphertextBlob.length, 256);
    rsaSign.free();
    rsaEnc.free();
  });
});

describe('Node: MessageDigest streams a message for MessageType DIGEST', () => {
  it('a RAW fixture signature verifies as DIGEST of the streamed message; equals node:crypto', () => {
    let checked = 0;
    for (const fx of fixtures.filter((f) => (f.data.Signatures ?? []).length)) {
      const key = load(fx);
      for (const c of fx.data.Signatures.filter((s) => s.Valid && s.MessageType === 'RAW' && /^(RSASSA|ECDSA)/.test(s.SigningAlgorithm))) {
        const message = Buffer.from(c.Message, 'base64');
        const md = MessageDigest.forSigningAlgorithm(c.SigningAlgorithm);
        for (let i = 0; i < message.length; i += 1000) md.update(message.subarray(i, i + 1000));
        const digest = md.digest();
        const node = { 32: 'sha256', 48: 'sha384', 64: 'sha512' }[digest.length];
        assert.deepEqual(Buffer.from(digest), crypto.createHash(node).update(message).digest());
        assert.equal(key.verify({ Message: digest, Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: 'DIGEST' }), true);
        assert.throws(() => md.update(message), { name: 'ValidationException' });
        md.free();
        checked++;
      }
      key.free();
    }
    assert.ok(checked > 50, `${checked}`);
    const sm3 = new MessageDigest('SM3');
    sm3.update(Buffer.from('abc'));
    assert.equal(Buffer.from(sm3.digest()).toString('hex'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    assert.throws(() => new MessageDigest('MD5'), { name: 'ValidationException' });
    assert.throws(() => MessageDigest.forSigningAlgorithm('SM2DSA'), { name: 'ValidationException', message: /Z_A/ });
  });
});
