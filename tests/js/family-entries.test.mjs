// The single-family entries `kms-offline/rsa`, `/p256`, `/p384`, `/p521`, `/secp256k1`, `/sm2`, `/ed25519`,
// `/ml-dsa`, `/ml-kem` (pkg/dist/<name>: the crate built with that family's Cargo features and its operations,
// scripts/build.sh FAMILY_ENTRIES) against the main entry `kms-offline`. Each is the same Rust code with the
// other families compiled out, so for every input of its family it must give the very same answer or the very
// same exception (name and message) as the main entry: every fixture key of the family in every input form,
// every fixture signature (DER and P1363), every Wycheproof vector of the family that the main-entry tests use,
// the KMS rules of encrypt / deriveSharedSecret / encapsulate and the KDFs. Random outputs (ciphertexts,
// ephemeral keys, encapsulations) are compared by shape and opened with the private key. Keys of every other
// family are refused with UnsupportedOperationException after the same metadata checks.
// (tests/js/family.test.mjs does the same, and the malformed inputs, for `kms-offline/verify-p256`.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { loadWycheproof } from './wycheproof-data.mjs';
import { FAMILY_WYCHEPROOF, compareWycheproofFile } from './family-wycheproof.mjs';
import { outcome, outcomeAsync, described, inputForms } from './family-compare.mjs';

const require = createRequire(import.meta.url);
const { loadFixtures, b64bytes, metadataOf, spkiRawKey } = require('./fixtures.cjs');
const main = require('kms-offline');
const fixtures = loadFixtures();
const sha256 = (bytes) => new Uint8Array(crypto.createHash('sha256').update(bytes).digest());

const NIST_OPERATIONS = ['verify', 'verifyOrThrow', 'verifyAsync', 'deriveSharedSecret', 'deriveSharedSecretAsync'];
const KDFS = ['hkdf', 'oneStepKdf'];

/**
 * Every single-family entry: the KeySpecs it loads (in KMS's order), the KmsPublicKey methods of its operations,
 * the functions it exports besides KmsPublicKey and MessageDigest, and the Wycheproof files of its family the
 * main-entry tests read (tests/js/native-checks.mjs, family.test.mjs, wycheproof-wasm.test.mjs).
 */
const ENTRIES = {
  rsa: {
    specs: ['RSA_2048', 'RSA_3072', 'RSA_4096'],
    operations: ['verify', 'verifyOrThrow', 'verifyAsync', 'encrypt', 'encryptAsync'],
    functions: [],
    wycheproof: FAMILY_WYCHEPROOF.rsa,
  },
  p256: { specs: ['ECC_NIST_P256'], operations: NIST_OPERATIONS, functions: KDFS, wycheproof: FAMILY_WYCHEPROOF.p256 },
  p384: { specs: ['ECC_NIST_P384'], operations: NIST_OPERATIONS, functions: KDFS, wycheproof: FAMILY_WYCHEPROOF.p384 },
  p521: { specs: ['ECC_NIST_P521'], operations: NIST_OPERATIONS, functions: KDFS, wycheproof: FAMILY_WYCHEPROOF.p521 },
  secp256k1: {
    specs: ['ECC_SECG_P256K1'],
    operations: ['verify', 'verifyOrThrow'],
    functions: [],
    wycheproof: FAMILY_WYCHEPROOF.secp256k1,
  },
  sm2: { specs: ['SM2'], operations: ['verify', 'verifyOrThrow', 'encrypt', 'deriveSharedSecret'], functions: KDFS, wycheproof: [] },
  ed25519: { specs: ['ECC_NIST_EDWARDS25519'], operations: ['verify', 'verifyOrThrow', 'verifyAsync'], functions: [], wycheproof: FAMILY_WYCHEPROOF.ed25519 },
  'ml-dsa': {
    specs: ['ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'],
    operations: ['verify', 'verifyOrThrow', 'verifyAsync'],
    functions: [],
    wycheproof: FAMILY_WYCHEPROOF['ml-dsa'],
  },
  'ml-kem': { specs: ['ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024'], operations: ['encapsulate', 'encapsulateAsync', 'verifyAsync'], functions: [], wycheproof: [] }, // verify and verifyAsync exist in every entry (they refuse an ML-KEM key as KMS does)
};
const ALL_OPERATIONS = ['verifyAsync', 'encrypt', 'encryptAsync', 'deriveSharedSecret', 'deriveSharedSecretAsync', 'encapsulate', 'encapsulateAsync', 'externalMu', 'externalMuDigest'];

/**
 * A response with its random members replaced by their lengths (two encryptions never give the same bytes), or by
 * `bytes` where the length varies too (an SM2PKE ciphertext is DER: its INTEGERs are 32 or 33 bytes).
 */
const shape = (response, lengths = true) =>
  Object.fromEntries(Object.entries(response).map(([k, v]) => [k, v instanceof Uint8Array ? (lengths ? `${v.length} bytes` : 'bytes') : v]));

/** [family fixture, other family fixtures] of an entry. */
const fixturesOf = (entry) => [fixtures.filter((f) => entry.specs.includes(f.data.GetPublicKey.KeySpec)), fixtures.filter((f) => !entry.specs.includes(f.data.GetPublicKey.KeySpec))];

/** Runs fn(key) with the fixture loaded in both entries; returns [main's, the entry's] results. */
function withKeys(libs, gpk, fn) {
  return libs.map((lib) => {
    const key = lib.KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
    try {
      return fn(key);
    } finally {
      key.free();
    }
  });
}

for (const [name, entry] of Object.entries(ENTRIES)) {
  const family = require(`kms-offline/${name}`);
  const libs = [main, family];
  const [own, others] = fixturesOf(entry);
  const has = (operation) => entry.operations.includes(operation);

  describe(`kms-offline/${name}: the ${entry.specs.join(', ')} entry`, () => {
    it('exports KmsPublicKey with its family\'s operations, MessageDigest and its KDFs, nothing else', () => {
      assert.deepEqual(Object.keys(family).sort(), ['KmsPublicKey', 'MessageDigest', ...entry.functions].sort());
      const methods = Object.getOwnPropertyNames(family.KmsPublicKey.prototype);
      for (const m of ['verify', 'verifyOrThrow', 'spkiDer', 'spkiPem', 'fingerprint', 'toJSON', 'free', ...entry.operations]) assert.ok(methods.includes(m), m);
      for (const m of ALL_OPERATIONS.filter((op) => !has(op))) assert.ok(!methods.includes(m), `${m} is not an operation of ${name}`);
    });

    it(`loads every fixture key of its family (${own.length}) from every input form exactly as the main entry does`, () => {
      assert.ok(own.length >= entry.specs.length, own.map((f) => f.name).join());
      for (const { name: fixture, data } of own) {
        const forms = inputForms(data.GetPublicKey);
        const reference = described(main, forms['CLI JSON text']);
        assert.match(reference, /^ok:/, `${fixture} loads in the main entry`);
        for (const [form, load] of Object.entries(forms)) assert.equal(described(family, load), reference, `${fixture}, ${form}`);
      }
    });

    if (own.some((f) => f.data.Signatures.length)) it('answers every fixture signature case (verify, verifyOrThrow; DER and P1363) as the main entry does', async () => {
      let compared = 0;
      for (const { name: fixture, data } of own) {
        for (const c of data.Signatures) {
          const request = { Message: c.Message, MessageEncoding: 'base64', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: c.MessageType };
          let p1363;
          try {
            p1363 = c.SigningAlgorithm.startsWith('ECDSA_') ? main.derToP1363(b64bytes(c.Signature), data.GetPublicKey.KeySpec) : undefined;
          } catch {
            p1363 = undefined; // a tampered (truncated) DER: no P1363 form
          }
          for (const r of [request, ...(p1363 ? [{ ...request, Signature: p1363, SignatureFormat: 'P1363' }] : [])]) {
            const what = `${fixture}: ${c.Note} (${r.SignatureFormat ?? 'DER'})`;
            // twice: a key's first verify goes through the crate, later ones through its comb table
            const [expected, got] = withKeys(libs, data.GetPublicKey, (key) => [0, 1].map(() => [outcome(() => key.verify(r)), outcome(() => key.verifyOrThrow(r))].join(' | ')).join(' || '));
            assert.equal(got, expected, what);
            // a valid case verifies; an invalid one is false, or KMS's ValidationException (a truncated signature)
            if (data.GetPublicKey.KeyUsage === 'SIGN_VERIFY') assert.match(expected, c.Valid ? /^ok:true / : /^(ok:false|throw:ValidationException:Signature is) /, what);
            if (has('verifyAsync')) {
              const [mainKey, familyKey] = libs.map((lib) => lib.KmsPublicKey.fromGetPublicKey(data.GetPublicKey));
              assert.equal(await outcomeAsync(() => familyKey.verifyAsync(r)), await outcomeAsync(() => mainKey.verifyAsync(r)), `${what}: verifyAsync`);
              [mainKey, familyKey].forEach((k) => k.free());
            }
            compared += 1;
          }
        }
      }
      assert.ok(compared >= 10, `${compared} signatures`);
    });

    for (const set of entry.wycheproof) {
      it(`agrees with the main entry on every Wycheproof vector of ${set.file}${set.format === 'P1363' ? ' (P1363)' : ''} (verify${has('verifyAsync') ? ', verifyAsync' : ''})`, async () => {
        const { compared, problems } = await compareWycheproofFile(libs, set, loadWycheproof([set.file])[set.file], sha256);
        assert.deepEqual(problems.slice(0, 20), []);
        assert.ok(compared >= 50, `only ${compared} vectors compared`);
      });
    }

    if (has('encrypt')) {
      it('encrypts for KMS Decrypt as the main entry does: same response shape, every rule\'s refusal, ciphertexts that open', () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-entry-'));
        try {
          for (const { name: fixture, data } of own) {
            const gpk = data.GetPublicKey;
            const algorithms = gpk.EncryptionAlgorithms ?? [];
            const requests = [
              ...algorithms.flatMap((EncryptionAlgorithm) => [1, 32, 190, 1024].map((n) => ({ Plaintext: new Uint8Array(n).fill(7), EncryptionAlgorithm }))),
              { Plaintext: 'text', PlaintextEncoding: 'utf8', EncryptionAlgorithm: algorithms[0] ?? 'RSAES_OAEP_SHA_256' },
              { Plaintext: new Uint8Array(0), EncryptionAlgorithm: algorithms[0] ?? 'RSAES_OAEP_SHA_256' },
              { Plaintext: new Uint8Array(1), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
              { Plaintext: new Uint8Array(1), EncryptionAlgorithm: gpk.KeySpec === 'SM2' ? 'RSAES_OAEP_SHA_1' : 'SM2PKE' },
              { Plaintext: new Uint8Array(1), EncryptionAlgorithm: 'RSAES_OAEP_SHA_257' },
              { Plaintext: new Uint8Array(1), EncryptionAlgorithm: algorithms[0], EncryptionContext: { purpose: 'test' } },
              { Plaintext: new Uint8Array(1) },
              { Plaintext: 'not base64!', EncryptionAlgorithm: algorithms[0] },
              'not a request',
            ];
            for (const request of requests) {
              const what = `${fixture}: encrypt ${JSON.stringify(request).slice(0, 100)}`;
              const [expected, got] = withKeys(libs, gpk, (key) => outcome(() => shape(key.encrypt(request), gpk.KeySpec !== 'SM2')));
              assert.equal(got, expected, what);
              if (gpk.KeyUsage !== 'ENCRYPT_DECRYPT') assert.match(expected, /^throw:(InvalidKeyUsageException|ValidationException):/, what);
            }
            if (!algorithms.length) continue;
            // The entry's ciphertexts open with the KMS private key (what KMS Decrypt does).
            for (const EncryptionAlgorithm of algorithms) {
              const plaintext = crypto.randomBytes(20);
              const [{ CiphertextBlob }] = withKeys([family], gpk, (key) => key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm }));
              let opened;
              if (EncryptionAlgorithm === 'SM2PKE') {
                fs.writeFileSync(path.join(dir, 'key.pem'), data.PrivateKeyPem);
                fs.writeFileSync(path.join(dir, 'ct.der'), CiphertextBlob);
                opened = execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', path.join(dir, 'key.pem'), '-in', path.join(dir, 'ct.der')]);
              } else {
                const oaepHash = EncryptionAlgorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
                opened = crypto.privateDecrypt({ key: data.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, CiphertextBlob);
              }
              assert.deepEqual(Buffer.from(opened), plaintext, `${fixture} ${EncryptionAlgorithm}`);
            }
          }
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }

    if (has('encryptAsync')) {
      it('encryptAsync: the same response shape and refusals as the main entry, ciphertexts that open', async () => {
        for (const { name: fixture, data } of own.filter((f) => f.data.GetPublicKey.KeyUsage === 'ENCRYPT_DECRYPT')) {
          const [mainKey, familyKey] = libs.map((lib) => lib.KmsPublicKey.fromGetPublicKey(data.GetPublicKey));
          for (const request of [
            ...data.GetPublicKey.EncryptionAlgorithms.map((EncryptionAlgorithm) => ({ Plaintext: new Uint8Array(50).fill(1), EncryptionAlgorithm })),
            { Plaintext: new Uint8Array(1000), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' },
            { Plaintext: new Uint8Array(1), EncryptionAlgorithm: 'SM2PKE' },
          ]) {
            const [expected, got] = [await outcomeAsync(async () => shape(await mainKey.encryptAsync(request))), await outcomeAsync(async () => shape(await familyKey.encryptAsync(request)))];
            assert.equal(got, expected, `${fixture}: encryptAsync ${request.EncryptionAlgorithm}`);
          }
          const { CiphertextBlob } = await familyKey.encryptAsync({ Plaintext: new Uint8Array([1, 2, 3]), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
          const opened = crypto.privateDecrypt({ key: data.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, CiphertextBlob);
          assert.deepEqual([...opened], [1, 2, 3], fixture);
          [mainKey, familyKey].forEach((k) => k.free());
        }
      });
    }

    if (has('deriveSharedSecret')) {
      it('derives the shared secret as the main entry does (static keys: the same bytes; ephemeral: the same shape, Z that Node agrees with)', async () => {
        const spec = entry.specs[0];
        const agreement = own.find((f) => f.data.GetPublicKey.KeyUsage === 'KEY_AGREEMENT');
        const signing = own.find((f) => f.data.GetPublicKey.KeyUsage === 'SIGN_VERIFY');
        const otherCurve = fixtures.find((f) => f.data.PrivateKeyPem && f.data.GetPublicKey.KeySpec !== spec && f.data.GetPublicKey.KeySpec.startsWith('ECC_NIST_P'));
        const requests = [
          { KeyAgreementAlgorithm: 'ECDH', PrivateKey: signing.data.PrivateKeyPem },
          { KeyAgreementAlgorithm: 'ECDH', PrivateKey: b64bytes(signing.data.PrivateKeyPem.replace(/-----[^-]+-----|\s/g, '')) },
          { KeyAgreementAlgorithm: 'ECDH', PrivateKey: otherCurve.data.PrivateKeyPem },
          { KeyAgreementAlgorithm: 'ECDH', PrivateKey: new Uint8Array(5) },
          { KeyAgreementAlgorithm: 'ECDHE' },
          { KeyAgreementAlgorithm: 'ECDH', PrivateKey: 42 },
          {},
        ];
        for (const { data, name: fixture } of [agreement, signing]) {
          for (const request of requests) {
            const what = `${fixture}: deriveSharedSecret ${JSON.stringify(request).slice(0, 80)}`;
            const [expected, got] = withKeys(libs, data.GetPublicKey, (key) => outcome(() => key.deriveSharedSecret(request)));
            assert.equal(got, expected, what);
            if (has('deriveSharedSecretAsync')) {
              const [mainKey, familyKey] = libs.map((lib) => lib.KmsPublicKey.fromGetPublicKey(data.GetPublicKey));
              assert.equal(await outcomeAsync(() => familyKey.deriveSharedSecretAsync(request)), await outcomeAsync(() => mainKey.deriveSharedSecretAsync(request)), `${what} (async)`);
              [mainKey, familyKey].forEach((k) => k.free());
            }
          }
          const [expected, got] = withKeys(libs, data.GetPublicKey, (key) => outcome(() => shape(key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' }))));
          assert.equal(got, expected, `${fixture}: ephemeral`);
        }
        // The entry's ephemeral Z is the one the KMS private key derives (Node has ECDH on the NIST curves).
        if (spec !== 'SM2') {
          const [r] = withKeys([family], agreement.data.GetPublicKey, (key) => key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' }));
          const z = crypto.diffieHellman({ privateKey: crypto.createPrivateKey(agreement.data.PrivateKeyPem), publicKey: crypto.createPublicKey({ key: Buffer.from(r.PublicKey), format: 'der', type: 'spki' }) });
          assert.deepEqual(Buffer.from(r.SharedSecret), z);
        }
      });

      it('hkdf and oneStepKdf give the main entry\'s bytes and refusals', () => {
        const cases = [
          ['hkdf', { Hash: 'SHA-256', Ikm: new Uint8Array(32).fill(3), Salt: 'c2FsdA==', SaltEncoding: 'base64', Info: 'info', InfoEncoding: 'utf8', Length: 42 }],
          ['hkdf', { Hash: 'SHA-512', Ikm: new Uint8Array(66), Length: 64 }],
          ['hkdf', { Hash: 'SHA-384', Ikm: new Uint8Array(48), Length: 255 * 48 + 1 }],
          ['hkdf', { Hash: 'SHA-1', Ikm: new Uint8Array(1), Length: 1 }],
          ['hkdf', { Hash: 'SHA-256', Ikm: 'text', Length: 1 }],
          ['oneStepKdf', { Hash: 'SHA-384', SharedSecret: new Uint8Array(48).fill(9), FixedInfo: new Uint8Array([1, 2]), Length: 100 }],
          ['oneStepKdf', { Hash: 'SHA-256', SharedSecret: new Uint8Array(32), Length: 0 }],
          ['oneStepKdf', { Hash: 'SHA-256', SharedSecret: new Uint8Array(32), Length: 1.5 }],
          ['oneStepKdf', null],
        ];
        for (const [fn, params] of cases) {
          const [expected, got] = libs.map((lib) => outcome(() => lib[fn](params)));
          assert.equal(got, expected, `${fn} ${JSON.stringify(params)}`);
        }
      });
    }

    if (has('encapsulate')) {
      it('encapsulates as the main entry does (shape and refusals), and @noble/post-quantum decapsulates its secrets', () => {
        const kem = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 };
        for (const { name: fixture, data } of own) {
          for (const request of [{ EncapsulationAlgorithm: 'ML_KEM' }, { EncapsulationAlgorithm: 'ML_KEM_768' }, {}, 'ML_KEM']) {
            const [expected, got] = withKeys(libs, data.GetPublicKey, (key) => outcome(() => shape(key.encapsulate(request))));
            assert.equal(got, expected, `${fixture}: encapsulate ${JSON.stringify(request)}`);
          }
          const impl = kem[data.GetPublicKey.KeySpec];
          const { secretKey, publicKey } = impl.keygen(b64bytes(data.PrivateKeySeed));
          const [[raw, r]] = withKeys([family], data.GetPublicKey, (key) => [spkiRawKey(key.spkiDer()), key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' })]);
          assert.deepEqual(Buffer.from(raw), Buffer.from(publicKey), `${fixture}: seed`);
          assert.deepEqual(Buffer.from(impl.decapsulate(r.SharedSecretCiphertextBlob, secretKey)), Buffer.from(r.SharedSecret), fixture);
        }
      });
    }

    if (has('encapsulateAsync')) {
      it('encapsulateAsync: the main entry\'s shape and refusals, and @noble/post-quantum decapsulates its secrets', async () => {
        const kem = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 };
        for (const { name: fixture, data } of own) {
          const [mainKey, familyKey] = libs.map((lib) => lib.KmsPublicKey.fromGetPublicKey(data.GetPublicKey));
          try {
            for (const request of [{ EncapsulationAlgorithm: 'ML_KEM' }, { EncapsulationAlgorithm: 'ML_KEM_768' }, {}]) {
              const [expected, got] = [
                await outcomeAsync(async () => shape(await mainKey.encapsulateAsync(request))),
                await outcomeAsync(async () => shape(await familyKey.encapsulateAsync(request))),
              ];
              assert.equal(got, expected, `${fixture}: encapsulateAsync ${JSON.stringify(request)}`);
            }
            const impl = kem[data.GetPublicKey.KeySpec];
            const { secretKey } = impl.keygen(b64bytes(data.PrivateKeySeed));
            const r = await familyKey.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' });
            assert.deepEqual(Buffer.from(impl.decapsulate(r.SharedSecretCiphertextBlob, secretKey)), Buffer.from(r.SharedSecret), fixture);
          } finally {
            mainKey.free();
            familyKey.free();
          }
        }
      });
    }

    it('applies the KMS rules of verify with the main entry\'s exception and message', () => {
      const signing = own.find((f) => f.data.Signatures.some((c) => c.Valid));
      const target = signing ?? own[0];
      const valid = signing?.data.Signatures.find((c) => c.Valid && c.MessageType === 'RAW') ?? { Message: 'AA==', Signature: 'AA==', SigningAlgorithm: 'ECDSA_SHA_256' };
      const request = { Message: valid.Message, MessageEncoding: 'base64', Signature: valid.Signature, SigningAlgorithm: valid.SigningAlgorithm };
      const cases = [
        { ...request, SigningAlgorithm: 'ECDSA_SHA_257' },
        { ...request, SigningAlgorithm: entry.specs[0].startsWith('RSA_') ? 'ECDSA_SHA_256' : 'RSASSA_PSS_SHA_256' },
        { ...request, Message: new Uint8Array(4097) },
        { ...request, Message: new Uint8Array(0) },
        { ...request, Signature: new Uint8Array(0) },
        { ...request, Signature: new Uint8Array(6145) },
        { ...request, MessageType: 'DIGEST', Message: new Uint8Array(31) },
        { ...request, MessageType: 'EXTERNAL_MU' },
        { ...request, MessageType: 'raw' },
        { ...request, SignatureFormat: 'P1363' },
        { ...request, SignatureFormat: 'JOSE' },
        { ...request, Signature: 'not base64!' },
        { Message: valid.Message, Signature: valid.Signature },
        'not a request',
      ];
      for (const f of own.filter((x) => x === target || x.data.GetPublicKey.KeyUsage !== 'SIGN_VERIFY')) {
        for (const r of cases) {
          const [expected, got] = withKeys(libs, f.data.GetPublicKey, (key) => [outcome(() => key.verify(r)), outcome(() => key.verifyOrThrow(r))].join(' | '));
          assert.equal(got, expected, `${f.name}: verify ${JSON.stringify(r).slice(0, 120)}`);
        }
      }
    });

    it('streams the digests of its signing algorithms as the main entry does', () => {
      const algorithms = new Set(own.flatMap((f) => f.data.GetPublicKey.SigningAlgorithms ?? []));
      for (const algorithm of algorithms) {
        const [expected, got] = libs.map((lib) =>
          outcome(() => {
            const d = lib.MessageDigest.forSigningAlgorithm(algorithm);
            d.update(new Uint8Array(10_000).fill(5));
            return d.digest();
          }),
        );
        assert.equal(got, expected, algorithm);
      }
      const [expected, got] = libs.map((lib) => outcome(() => new lib.MessageDigest('MD5')));
      assert.match(got, /^throw:ValidationException:'MD5' is not a digest this library streams: use one of /);
      assert.equal(got.split(':').slice(0, 2).join(':'), expected.split(':').slice(0, 2).join(':'));
    });

    it('refuses every other key family with UnsupportedOperationException, after the same metadata checks', () => {
      for (const { name: fixture, data } of others) {
        const gpk = data.GetPublicKey;
        assert.match(described(main, (K) => K.fromGetPublicKey(gpk)), /^ok:/, `${fixture} loads in the main entry`);
        const expected = `throw:UnsupportedOperationException:KeySpec ${gpk.KeySpec} is not in this build of kms-offline, which loads ${entry.specs.join(', ')}: use the full build (the package's main entry \`kms-offline\`, or the crate's default features)`;
        assert.equal(described(family, (K) => K.fromGetPublicKey(JSON.stringify(gpk))), expected, fixture);
        assert.equal(described(family, (K) => K.fromPublicKey(data.PublicKeyPem, metadataOf(gpk))), expected, `${fixture} (PEM)`);
        // Wrong metadata is KMS's own error first, as in the main entry.
        const noList = { ...gpk, SigningAlgorithms: undefined, EncryptionAlgorithms: undefined, KeyAgreementAlgorithms: undefined, EncapsulationAlgorithms: undefined };
        for (const [what, input] of [['without its algorithm list', noList], ['with KeyUsage GENERATE_VERIFY_MAC', { ...gpk, KeyUsage: 'GENERATE_VERIFY_MAC' }]]) {
          assert.equal(described(family, (K) => K.fromGetPublicKey(input)), described(main, (K) => K.fromGetPublicKey(input)), `${fixture} ${what}`);
        }
      }
      assert.ok(others.length >= 10, `${others.length} other keys`);
    });
  });
}
