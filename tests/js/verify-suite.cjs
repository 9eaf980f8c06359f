'use strict';
// The verification test suite, shared by verify.test.mjs (ESM `import 'kms-offline'`) and
// verify.test.cjs (CommonJS `require('kms-offline')`): both run every test against the module they loaded.
// Everything is data-driven from tests/fixtures/keys/*.json.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const F = require('./fixtures.cjs');

/** assert that fn throws a KMS-named Error; returns the error */
function throwsKms(fn, name, what) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `${what}: expected ${name}, but nothing was thrown`);
  assert.ok(err instanceof Error, `${what}: expected an Error object, got ${Object.prototype.toString.call(err)}: ${String(err)}`);
  assert.equal(err.name, name, `${what}: expected name ${name}, got ${err.name}: ${err.message}`);
  assert.equal(err.code, name, `${what}: expected code ${name}, got ${err.code}`);
  assert.ok(typeof err.message === 'string' && err.message.length > 0, `${what}: empty message`);
  return err;
}

function defineVerifySuite(lib, label) {
  const { KmsPublicKey } = lib;
  const fixtures = F.loadFixtures();
  const find = (pred, what) => {
    const fx = fixtures.find((f) => pred(f.data.GetPublicKey));
    if (!fx) throw new Error(`no fixture for ${what}`);
    return fx;
  };
  const signing = fixtures.filter((f) => Array.isArray(f.data.Signatures) && f.data.Signatures.length > 0);

  describe(`${label}: module`, () => {
    it('exports KmsPublicKey with the static loaders', () => {
      assert.equal(typeof KmsPublicKey, 'function');
      assert.equal(typeof KmsPublicKey.fromGetPublicKey, 'function');
      assert.equal(typeof KmsPublicKey.fromPublicKey, 'function');
    });
    it('fixture set is complete', () => {
      const index = F.loadIndex();
      const names = fixtures.map((f) => f.name);
      const entries = Array.isArray(index) ? index : index && Array.isArray(index.Files) ? index.Files : undefined;
      if (entries) {
        const listed = entries.map((e) => (typeof e === 'string' ? e : e.File ?? e.file ?? e.Name ?? e.name)).map((s) => String(s).replace(/\.json$/, ''));
        assert.deepEqual([...listed].sort(), names, 'index.json and the files differ');
      }
      if (index && typeof index.TotalSignatureCases === 'number') {
        const total = fixtures.reduce((n, f) => n + (f.data.Signatures ?? []).length, 0);
        assert.equal(total, index.TotalSignatureCases, 'index.json TotalSignatureCases');
      }
      for (const f of fixtures) {
        assert.equal(f.name, `${f.data.GetPublicKey.KeySpec}_${f.data.GetPublicKey.KeyUsage}`, `${f.file} name does not match its KeySpec_KeyUsage`);
      }
      assert.ok(signing.length > 0, 'no fixture has signatures');
    });
  });

  for (const fx of fixtures) {
    const gpk = fx.data.GetPublicKey;
    const der = F.b64bytes(gpk.PublicKey);
    const list = F.algorithmListName(gpk);

    /** metadata getters, SPKI forms, fingerprint, ARN and toJSON of a loaded key */
    const checkKey = (key, how) => {
      assert.equal(key.keySpec, gpk.KeySpec, `${how}: keySpec`);
      assert.equal(key.keyUsage, gpk.KeyUsage, `${how}: keyUsage`);
      assert.equal(key.keyId, gpk.KeyId, `${how}: keyId`);
      for (const l of F.ALGORITHM_LISTS) {
        assert.deepEqual(key[F.GETTERS[l]], l === list ? gpk[l] : [], `${how}: ${F.GETTERS[l]}`);
      }
      assert.deepEqual(key.arn === undefined ? undefined : { ...key.arn }, F.expectedArn(gpk.KeyId), `${how}: arn`);
      const spki = key.spkiDer();
      assert.ok(spki instanceof Uint8Array, `${how}: spkiDer() is not a Uint8Array`);
      assert.deepEqual(Buffer.from(spki), Buffer.from(der), `${how}: spkiDer()`);
      const pem = key.spkiPem();
      assert.match(pem, /^-----BEGIN PUBLIC KEY-----\r?\n/, `${how}: spkiPem() header`);
      assert.match(pem, /\r?\n-----END PUBLIC KEY-----\r?\n?$/, `${how}: spkiPem() footer`);
      assert.deepEqual(Buffer.from(F.pemToDer(pem)), Buffer.from(der), `${how}: spkiPem() body`);
      for (const line of pem.trim().split(/\r?\n/)) assert.ok(line.length <= 64, `${how}: PEM line longer than 64: ${line}`);
      assert.equal(key.fingerprint(), F.sha256hex(der), `${how}: fingerprint()`);
      const json = key.toJSON();
      assert.deepEqual({ ...json }, F.expectedJson(gpk), `${how}: toJSON()`);
      // round trip: JSON.stringify(key) uses toJSON and gives CLI-shaped text that loads again
      const again = KmsPublicKey.fromGetPublicKey(JSON.stringify(key));
      assert.equal(again.fingerprint(), key.fingerprint(), `${how}: toJSON round trip fingerprint`);
      assert.deepEqual({ ...again.toJSON() }, { ...json }, `${how}: toJSON round trip`);
      again.free();
    };

    describe(`${label}: ${fx.name}`, () => {
      it('loads from `aws kms get-public-key` JSON text', () => {
        const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
        checkKey(key, 'CLI JSON text');
        key.free();
      });
      it('loads from the SDK GetPublicKeyCommand output (Uint8Array PublicKey, $metadata)', () => {
        const key = KmsPublicKey.fromGetPublicKey(F.sdkOutputOf(gpk));
        checkKey(key, 'SDK object');
        key.free();
      });
      it('loads from PEM, DER bytes and base64 DER plus metadata', () => {
        const meta = F.metadataOf(gpk);
        for (const [how, pk] of [
          ['PEM', fx.data.PublicKeyPem],
          ['DER Uint8Array', der],
          ['base64 DER', gpk.PublicKey],
        ]) {
          const key = KmsPublicKey.fromPublicKey(pk, meta);
          checkKey(key, `fromPublicKey(${how})`);
          key.free();
        }
      });
      if (fx.data.PublicKeyPem !== undefined) {
        it('fixture PEM and CLI PublicKey are the same key', () => {
          assert.deepEqual(Buffer.from(F.pemToDer(fx.data.PublicKeyPem)), Buffer.from(der));
        });
      }

      const cases = fx.data.Signatures ?? [];
      if (cases.length > 0) {
        it(`verifies ${cases.length} fixture signature cases (Uint8Array and base64 inputs)`, () => {
          const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
          const failures = [];
          cases.forEach((c, i) => {
            const what = F.describeCase(fx, c, i);
            const forms = [
              ['bytes', { Message: F.b64bytes(c.Message), Signature: F.b64bytes(c.Signature), SigningAlgorithm: c.SigningAlgorithm }],
              ['base64', { Message: c.Message, MessageEncoding: 'base64', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm }],
            ];
            if (c.MessageType !== undefined) {
              for (const [, r] of forms) r.MessageType = c.MessageType;
              if (c.MessageType === 'RAW') {
                // MessageType defaults to RAW
                forms.push(['bytes, MessageType omitted', { Message: F.b64bytes(c.Message), Signature: F.b64bytes(c.Signature), SigningAlgorithm: c.SigningAlgorithm }]);
              }
            }
            for (const [form, req] of forms) {
              let got;
              try {
                got = key.verify(req);
              } catch (e) {
                // A malformed signature case (truncated, extended) as a base64 string is refused by its length.
                const refusedString = form === 'base64' && !c.Valid && e && e.kmsRefusal === false && /^Signature is base64 of \d+ bytes; /.test(e.message);
                if (refusedString) continue;
                failures.push(`${what} [${form}]: verify threw ${e && e.name}: ${e && e.message}`);
                continue;
              }
              if (got !== c.Valid) failures.push(`${what} [${form}]: verify returned ${got}`);
            }
            // verifyOrThrow: the KMS Verify response, or KMSInvalidSignatureException
            const req = { ...forms[0][1] };
            try {
              const res = key.verifyOrThrow(req);
              if (!c.Valid) failures.push(`${what}: verifyOrThrow returned ${JSON.stringify(res)} for an invalid signature`);
              else {
                try {
                  assert.deepEqual({ ...res }, { KeyId: gpk.KeyId, SignatureValid: true, SigningAlgorithm: c.SigningAlgorithm });
                } catch (e) {
                  failures.push(`${what}: verifyOrThrow result ${JSON.stringify(res)}`);
                }
              }
            } catch (e) {
              if (c.Valid) failures.push(`${what}: verifyOrThrow threw ${e && e.name}: ${e && e.message}`);
              else if (!(e instanceof Error) || e.name !== 'KMSInvalidSignatureException' || e.code !== 'KMSInvalidSignatureException') {
                failures.push(`${what}: verifyOrThrow threw name=${e && e.name} code=${e && e.code}, expected KMSInvalidSignatureException`);
              }
            }
          });
          key.free();
          assert.deepEqual(failures, [], `${failures.length} signature case(s) disagree:\n${failures.join('\n')}`);
        });

        // KMS: "A message and its hash digest are considered to be the same message." (RSA and ECDSA)
        const rawShaCases = cases.filter((c) => c.Valid && (c.MessageType ?? 'RAW') === 'RAW' && F.shaOf(c.SigningAlgorithm));
        if (rawShaCases.length > 0) {
          it(`verifies ${rawShaCases.length} valid RAW cases again as DIGEST of the message`, () => {
            const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
            for (const c of rawShaCases) {
              const d = F.digest(F.shaOf(c.SigningAlgorithm), F.b64bytes(c.Message));
              const req = { Message: d, Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: 'DIGEST' };
              assert.equal(key.verify(req), true, `${F.describeCase(fx, c, cases.indexOf(c))} as DIGEST`);
              d[0] ^= 1;
              assert.equal(key.verify(req), false, `${F.describeCase(fx, c, cases.indexOf(c))} as tampered DIGEST`);
            }
            key.free();
          });
        }
        // ML-DSA: a RAW signature verifies as EXTERNAL_MU of mu = SHAKE256(SHAKE256(pk, 64) || 0 || 0 || M, 64)
        const rawMlDsa = cases.filter((c) => c.Valid && (c.MessageType ?? 'RAW') === 'RAW' && c.SigningAlgorithm === 'ML_DSA_SHAKE_256');
        if (rawMlDsa.length > 0) {
          it(`verifies ${rawMlDsa.length} valid RAW ML-DSA cases again as EXTERNAL_MU`, () => {
            const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
            for (const c of rawMlDsa) {
              const mu = F.mlDsaMu(der, F.b64bytes(c.Message));
              const req = { Message: mu, Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: 'EXTERNAL_MU' };
              assert.equal(key.verify(req), true, `${F.describeCase(fx, c, cases.indexOf(c))} as EXTERNAL_MU`);
              mu[0] ^= 1;
              assert.equal(key.verify(req), false, `${F.describeCase(fx, c, cases.indexOf(c))} as tampered EXTERNAL_MU`);
            }
            key.free();
          });
        }
      }
    });
  }

  describe(`${label}: KMS rules`, () => {
    const load = (fx) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.data.GetPublicKey));
    const p256 = find((g) => g.KeySpec === 'ECC_NIST_P256' && g.KeyUsage === 'SIGN_VERIFY', 'ECC_NIST_P256 SIGN_VERIFY');
    const p256Case = p256.data.Signatures.find((c) => c.Valid && (c.MessageType ?? 'RAW') === 'RAW');
    const okReq = () => ({ Message: F.b64bytes(p256Case.Message), Signature: F.b64bytes(p256Case.Signature), SigningAlgorithm: p256Case.SigningAlgorithm, MessageType: 'RAW' });
    const p256req = (over) => ({ ...okReq(), ...over });

    it('a key whose KeyUsage is not SIGN_VERIFY throws InvalidKeyUsageException', () => {
      const rsaEnc = find((g) => /^RSA_/.test(g.KeySpec) && g.KeyUsage === 'ENCRYPT_DECRYPT', 'RSA ENCRYPT_DECRYPT');
      const key = load(rsaEnc);
      const size = der2modulusBytes(rsaEnc.data.GetPublicKey.KeySpec);
      throwsKms(() => key.verify({ Message: 'aGVsbG8=', Signature: new Uint8Array(size), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), 'InvalidKeyUsageException', 'RSA ENCRYPT_DECRYPT verify');
      throwsKms(() => key.verifyOrThrow({ Message: 'aGVsbG8=', Signature: new Uint8Array(size), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), 'InvalidKeyUsageException', 'RSA ENCRYPT_DECRYPT verifyOrThrow');
      key.free();
      for (const fx of fixtures.filter((f) => f.data.GetPublicKey.KeyUsage !== 'SIGN_VERIFY')) {
        const k = load(fx);
        throwsKms(() => k.verify(p256req({ SigningAlgorithm: 'ECDSA_SHA_256' })), 'InvalidKeyUsageException', `${fx.name} verify`);
        k.free();
      }
    });

    it('a signing algorithm that is not valid for the key spec throws InvalidKeyUsageException', () => {
      const key = load(p256);
      for (const alg of ['ECDSA_SHA_384', 'ECDSA_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256', 'ED25519_SHA_512', 'ML_DSA_SHAKE_256', 'SM2DSA']) {
        throwsKms(() => key.verify(p256req({ SigningAlgorithm: alg })), 'InvalidKeyUsageException', `P-256 with ${alg}`);
      }
      key.free();
      const ed = find((g) => g.KeySpec === 'ECC_NIST_EDWARDS25519', 'ECC_NIST_EDWARDS25519');
      const edKey = load(ed);
      throwsKms(() => edKey.verify({ Message: 'aGVsbG8=', Signature: new Uint8Array(64), SigningAlgorithm: 'ECDSA_SHA_256' }), 'InvalidKeyUsageException', 'Ed25519 with ECDSA_SHA_256');
      edKey.free();
    });

    it('a signing algorithm missing from the key\'s SigningAlgorithms throws InvalidKeyUsageException', () => {
      const rsa = find((g) => /^RSA_/.test(g.KeySpec) && g.KeyUsage === 'SIGN_VERIFY', 'RSA SIGN_VERIFY');
      const meta = { ...F.metadataOf(rsa.data.GetPublicKey), SigningAlgorithms: ['RSASSA_PSS_SHA_256'] };
      const key = KmsPublicKey.fromPublicKey(rsa.data.GetPublicKey.PublicKey, meta);
      assert.deepEqual(key.signingAlgorithms, ['RSASSA_PSS_SHA_256']);
      const size = der2modulusBytes(rsa.data.GetPublicKey.KeySpec);
      throwsKms(() => key.verify({ Message: 'aGVsbG8=', Signature: new Uint8Array(size), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }), 'InvalidKeyUsageException', 'RSA with an algorithm outside its list');
      assert.equal(key.verify({ Message: 'aGVsbG8=', MessageEncoding: 'base64', Signature: new Uint8Array(size).fill(1), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), false);
      key.free();
    });

    it('RAW messages must be 1 to 4096 bytes (ValidationException outside)', () => {
      const key = load(p256);
      throwsKms(() => key.verify(p256req({ Message: new Uint8Array(0) })), 'ValidationException', 'RAW 0 bytes');
      throwsKms(() => key.verify(p256req({ Message: new Uint8Array(4097) })), 'ValidationException', 'RAW 4097 bytes');
      throwsKms(() => key.verify(p256req({ Message: F.toB64(new Uint8Array(4097)), MessageEncoding: 'base64' })), 'ValidationException', 'RAW 4097 bytes base64');
      throwsKms(() => key.verify(p256req({ Message: new Uint8Array(4097), MessageType: undefined })), 'ValidationException', 'RAW (default) 4097 bytes');
      assert.equal(key.verify(p256req({ Message: new Uint8Array(4096) })), false, 'RAW 4096 bytes is allowed');
      assert.equal(key.verify(p256req({ Message: new Uint8Array([0xff]) })), false, 'RAW 1 byte is allowed');
      key.free();
    });

    it('DIGEST messages must have the hash length of the algorithm (ValidationException otherwise)', () => {
      const key = load(p256);
      for (const n of [0, 20, 31, 33, 48, 64]) {
        throwsKms(() => key.verify(p256req({ Message: new Uint8Array(n), MessageType: 'DIGEST' })), 'ValidationException', `ECDSA_SHA_256 DIGEST of ${n} bytes`);
      }
      assert.equal(key.verify(p256req({ Message: new Uint8Array(32), MessageType: 'DIGEST' })), false, 'a 32-byte DIGEST is allowed');
      key.free();
      const rsa = find((g) => /^RSA_/.test(g.KeySpec) && g.KeyUsage === 'SIGN_VERIFY', 'RSA SIGN_VERIFY');
      const rk = load(rsa);
      const size = der2modulusBytes(rsa.data.GetPublicKey.KeySpec);
      throwsKms(() => rk.verify({ Message: new Uint8Array(32), Signature: new Uint8Array(size), SigningAlgorithm: 'RSASSA_PSS_SHA_384', MessageType: 'DIGEST' }), 'ValidationException', 'RSASSA_PSS_SHA_384 DIGEST of 32 bytes');
      throwsKms(() => rk.verify({ Message: new Uint8Array(48), Signature: new Uint8Array(size), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_512', MessageType: 'DIGEST' }), 'ValidationException', 'RSASSA_PKCS1_V1_5_SHA_512 DIGEST of 48 bytes');
      rk.free();
    });

    it('Ed25519: ED25519_SHA_512 needs RAW and ED25519_PH_SHA_512 needs DIGEST (ValidationException)', () => {
      const ed = find((g) => g.KeySpec === 'ECC_NIST_EDWARDS25519', 'ECC_NIST_EDWARDS25519');
      const key = load(ed);
      const sig = new Uint8Array(64);
      throwsKms(() => key.verify({ Message: new Uint8Array(64), Signature: sig, SigningAlgorithm: 'ED25519_SHA_512', MessageType: 'DIGEST' }), 'ValidationException', 'ED25519_SHA_512 with DIGEST');
      throwsKms(() => key.verify({ Message: new Uint8Array(64), Signature: sig, SigningAlgorithm: 'ED25519_PH_SHA_512', MessageType: 'RAW' }), 'ValidationException', 'ED25519_PH_SHA_512 with RAW');
      throwsKms(() => key.verify({ Message: new Uint8Array(64), Signature: sig, SigningAlgorithm: 'ED25519_PH_SHA_512' }), 'ValidationException', 'ED25519_PH_SHA_512 with the default (RAW)');
      throwsKms(() => key.verify({ Message: new Uint8Array(32), Signature: sig, SigningAlgorithm: 'ED25519_PH_SHA_512', MessageType: 'DIGEST' }), 'ValidationException', 'ED25519_PH_SHA_512 DIGEST of 32 bytes');
      key.free();
    });

    it('EXTERNAL_MU on a key that is not ML-DSA throws ValidationException', () => {
      const key = load(p256);
      throwsKms(() => key.verify(p256req({ Message: new Uint8Array(64), MessageType: 'EXTERNAL_MU' })), 'ValidationException', 'P-256 EXTERNAL_MU');
      key.free();
      const ed = find((g) => g.KeySpec === 'ECC_NIST_EDWARDS25519', 'ECC_NIST_EDWARDS25519');
      const edKey = load(ed);
      throwsKms(() => edKey.verify({ Message: new Uint8Array(64), Signature: new Uint8Array(64), SigningAlgorithm: 'ED25519_SHA_512', MessageType: 'EXTERNAL_MU' }), 'ValidationException', 'Ed25519 EXTERNAL_MU');
      edKey.free();
    });

    it('ML-DSA EXTERNAL_MU must be 64 bytes (ValidationException otherwise)', () => {
      const ml = find((g) => /^ML_DSA_/.test(g.KeySpec), 'ML_DSA_*');
      const key = load(ml);
      for (const n of [32, 63, 65]) {
        throwsKms(() => key.verify({ Message: new Uint8Array(n), Signature: new Uint8Array(16), SigningAlgorithm: 'ML_DSA_SHAKE_256', MessageType: 'EXTERNAL_MU' }), 'ValidationException', `EXTERNAL_MU of ${n} bytes`);
      }
      key.free();
    });

    it('unknown SigningAlgorithm or MessageType strings throw ValidationException', () => {
      const key = load(p256);
      for (const alg of ['ECDSA_SHA_1', 'ecdsa_sha_256', 'SHA256withECDSA', '']) {
        throwsKms(() => key.verify(p256req({ SigningAlgorithm: alg })), 'ValidationException', `SigningAlgorithm ${JSON.stringify(alg)}`);
      }
      for (const mt of ['HASH', 'raw', '']) {
        throwsKms(() => key.verify(p256req({ MessageType: mt })), 'ValidationException', `MessageType ${JSON.stringify(mt)}`);
      }
      key.free();
    });

    it('a P-256 public key labelled ECC_NIST_P384 is rejected at load with ValidationException', () => {
      const gpk = p256.data.GetPublicKey;
      const wrong = { ...gpk, KeySpec: 'ECC_NIST_P384', SigningAlgorithms: ['ECDSA_SHA_384'] };
      if ('CustomerMasterKeySpec' in wrong) wrong.CustomerMasterKeySpec = 'ECC_NIST_P384';
      throwsKms(() => KmsPublicKey.fromGetPublicKey(JSON.stringify(wrong)), 'ValidationException', 'fromGetPublicKey');
      throwsKms(() => KmsPublicKey.fromGetPublicKey(F.sdkOutputOf(wrong)), 'ValidationException', 'fromGetPublicKey(SDK object)');
      throwsKms(() => KmsPublicKey.fromPublicKey(p256.data.PublicKeyPem, F.metadataOf(wrong)), 'ValidationException', 'fromPublicKey');
    });

    it('a key with KeySpec SYMMETRIC_DEFAULT throws UnsupportedOperationException', () => {
      const gpk = p256.data.GetPublicKey;
      const sym = { KeyId: gpk.KeyId, PublicKey: gpk.PublicKey, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] };
      throwsKms(() => KmsPublicKey.fromGetPublicKey(JSON.stringify(sym)), 'UnsupportedOperationException', 'fromGetPublicKey SYMMETRIC_DEFAULT');
      throwsKms(() => KmsPublicKey.fromPublicKey(gpk.PublicKey, F.metadataOf(sym)), 'UnsupportedOperationException', 'fromPublicKey SYMMETRIC_DEFAULT');
    });

    it('KeyId: ARN parts, plain key IDs, aliases, no KeyId, and malformed ARNs (InvalidArnException)', () => {
      const gpk = p256.data.GetPublicKey;
      const withId = (KeyId) => KmsPublicKey.fromGetPublicKey(JSON.stringify({ ...gpk, KeyId }));
      const alias = withId('arn:aws-cn:kms:cn-north-1:111122223333:alias/Example/Alias_1');
      assert.deepEqual({ ...alias.arn }, { partition: 'aws-cn', region: 'cn-north-1', accountId: '111122223333', resourceType: 'alias', resourceId: 'Example/Alias_1' });
      const mrk = withId('arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab');
      assert.deepEqual({ ...mrk.arn }, { partition: 'aws', region: 'eu-west-1', accountId: '111122223333', resourceType: 'key', resourceId: 'mrk-1234abcd12ab34cd56ef1234567890ab' });
      for (const id of ['1234abcd-12ab-34cd-56ef-1234567890ab', 'alias/ExampleAlias']) {
        const k = withId(id);
        assert.equal(k.keyId, id);
        assert.equal(k.arn, undefined, id);
        k.free();
      }
      const { KeyId, ...noId } = gpk;
      const anon = KmsPublicKey.fromGetPublicKey(JSON.stringify(noId));
      assert.equal(anon.keyId, undefined);
      assert.equal(anon.arn, undefined);
      assert.equal('KeyId' in anon.toJSON() && anon.toJSON().KeyId !== undefined, false, 'toJSON without KeyId');
      const res = anon.verifyOrThrow(okReq());
      assert.equal(res.SignatureValid, true);
      assert.equal(res.KeyId, undefined);
      throwsKms(() => withId('arn:aws:kms:us-west-2:1234:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4'), 'InvalidArnException', 'ARN with a short account');
      throwsKms(() => withId('arn:aws:s3:us-west-2:111122223333:key/79ecd1fa-923f-47e8-8d05-bde0b90840b4'), 'InvalidArnException', 'ARN of another service');
      for (const k of [alias, mrk, anon]) k.free();
    });

    it('malformed input throws a KMS-named Error, never crashes the module', () => {
      const bad = [
        () => KmsPublicKey.fromGetPublicKey('not json'),
        () => KmsPublicKey.fromGetPublicKey('{}'),
        () => KmsPublicKey.fromGetPublicKey({}),
        () => KmsPublicKey.fromGetPublicKey(null),
        () => KmsPublicKey.fromGetPublicKey(42),
        () => KmsPublicKey.fromGetPublicKey(JSON.stringify({ ...p256.data.GetPublicKey, PublicKey: 'AAAA' })),
        () => KmsPublicKey.fromGetPublicKey(JSON.stringify({ ...p256.data.GetPublicKey, PublicKey: '!!!not base64' })),
        () => KmsPublicKey.fromPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', F.metadataOf(p256.data.GetPublicKey)),
        () => KmsPublicKey.fromPublicKey(new Uint8Array([0x30, 0x82, 0xff, 0xff]), F.metadataOf(p256.data.GetPublicKey)),
        () => load(p256).verify({}),
        () => load(p256).verify(p256req({ Signature: new Uint8Array(0) })),
        () => load(p256).verify(p256req({ Message: '!!!not base64' })),
        () => load(p256).verify(null),
      ];
      bad.forEach((fn, i) => {
        let err;
        try {
          fn();
        } catch (e) {
          err = e;
        }
        assert.ok(err instanceof Error, `bad input #${i}: expected an Error, got ${String(err)}`);
        assert.ok(F.KMS_ERROR_NAMES.includes(err.name), `bad input #${i}: error name ${err.name} (${err.message}) is not a KMS exception name`);
        assert.equal(err.code, err.name, `bad input #${i}: code`);
      });
    });

    it('keeps working after errors', () => {
      const key = load(p256);
      for (let i = 0; i < 3; i++) {
        throwsKms(() => key.verify(p256req({ Message: new Uint8Array(0) })), 'ValidationException', 'RAW 0 bytes');
        throwsKms(() => key.verify(p256req({ SigningAlgorithm: 'ECDSA_SHA_384' })), 'InvalidKeyUsageException', 'ECDSA_SHA_384');
        throwsKms(() => key.verifyOrThrow(p256req({ Message: new Uint8Array(5) })), 'KMSInvalidSignatureException', 'verifyOrThrow');
        assert.equal(key.verify(okReq()), true, 'valid signature after errors');
      }
      key.free();
      const key2 = load(p256);
      assert.equal(key2.verify(okReq()), true, 'a new key after errors');
      key2.free();
    });
  });
}

function der2modulusBytes(keySpec) {
  const bits = Number(/^RSA_(\d+)$/.exec(keySpec)[1]);
  return bits / 8;
}

module.exports = { defineVerifySuite, throwsKms };
