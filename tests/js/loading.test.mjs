// Loading what a new user has first (issue 17, items 2 and 5), in the main entry and in the verify-p256 entry
// (built without the Rust JSON parser: it reads the GetPublicKey object member by member, under the same rules).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { thrown } from './thrown.mjs';

const require = createRequire(import.meta.url);
const { loadFixtures, b64bytes, metadataOf, sdkOutputOf } = require('./fixtures.cjs');
const main = require('kms-offline');
const family = require('kms-offline/verify-p256');

const fixtures = loadFixtures();
const byName = Object.fromEntries(fixtures.map((f) => [f.name, f.data]));
const P256 = byName.ECC_NIST_P256_SIGN_VERIFY;


describe('GetPublicKey output of every key spec with CustomerMasterKeySpec', () => {
  it('loads in the main entry as CLI JSON text and as the SDK object, for every fixture', () => {
    for (const { name, data } of fixtures) {
      const gpk = { ...data.GetPublicKey, CustomerMasterKeySpec: data.GetPublicKey.KeySpec };
      for (const input of [JSON.stringify(gpk, null, 4), sdkOutputOf(gpk)]) {
        const key = main.KmsPublicKey.fromGetPublicKey(input);
        assert.equal(key.keySpec, gpk.KeySpec, name);
        key.free();
      }
      const { KeySpec, ...legacyOnly } = gpk;
      assert.equal(main.KmsPublicKey.fromGetPublicKey(legacyOnly).keySpec, KeySpec, `${name}: CustomerMasterKeySpec alone`);
      const other = KeySpec === 'ML_DSA_65' ? 'ML_DSA_44' : 'ML_DSA_65';
      const e = thrown(() => main.KmsPublicKey.fromGetPublicKey({ ...gpk, CustomerMasterKeySpec: other }));
      assert.equal(e.name, 'ValidationException', name);
      assert.match(e.message, /disagree/);
    }
  });

  it('loads in verify-p256 for P-256; other families are refused only for not being in the build', () => {
    for (const { name, data } of fixtures) {
      const gpk = { ...data.GetPublicKey, CustomerMasterKeySpec: data.GetPublicKey.KeySpec };
      for (const input of [JSON.stringify(gpk), sdkOutputOf(gpk)]) {
        if (gpk.KeySpec === 'ECC_NIST_P256') {
          assert.equal(family.KmsPublicKey.fromGetPublicKey(input).keySpec, 'ECC_NIST_P256', name);
        } else {
          const e = thrown(() => family.KmsPublicKey.fromGetPublicKey(input));
          assert.equal(e.name, 'UnsupportedOperationException', name);
          assert.match(e.message, /not in this build/, name);
        }
      }
    }
  });
});

describe('an algorithm this version does not know, in the key\'s own list', () => {
  const listed = ['ECDSA_SHA3_256', 'ECDSA_SHA_256'];
  const gpk = { ...P256.GetPublicKey, SigningAlgorithms: listed };
  const valid = P256.Signatures.find((c) => c.Valid !== false && (c.MessageType ?? 'RAW') === 'RAW' && c.SigningAlgorithm === 'ECDSA_SHA_256');

  for (const [entry, lib] of [['main', main], ['verify-p256', family]]) {
    it(`${entry}: is kept and shown in its place, refused as unsupported when asked for`, async () => {
      const key = lib.KmsPublicKey.fromGetPublicKey(gpk);
      assert.deepEqual(key.signingAlgorithms, listed);
      assert.deepEqual(key.toJSON().SigningAlgorithms, listed);
      assert.deepEqual(lib.KmsPublicKey.fromGetPublicKey(JSON.stringify(key)).signingAlgorithms, listed);
      const request = { Message: 'bQ==', Signature: 'MAYCAQECAQE=', SigningAlgorithm: 'ECDSA_SHA3_256' };
      for (const call of [() => key.verify(request), () => key.verifyOrThrow(request)]) {
        const e = thrown(call);
        assert.equal(e.name, 'UnsupportedOperationException');
        assert.match(e.message, /cannot perform ECDSA_SHA3_256.*it performs ECDSA_SHA_256/);
      }
      if (key.verifyAsync) await assert.rejects(key.verifyAsync(request), { name: 'UnsupportedOperationException' });
      // Not in the key's list: KMS's enum validation.
      const e = thrown(() => key.verify({ ...request, SigningAlgorithm: 'ECDSA_SHA3_384' }));
      assert.equal(e.name, 'ValidationException');
      assert.match(e.message, /enum value set/);
      if (valid) {
        assert.equal(key.verify({ Message: valid.Message, MessageEncoding: 'base64', Signature: valid.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }), true);
      }
    });
  }

  it('main: an unknown encryption algorithm listed by the key is unsupported for encrypt', () => {
    const rsa = byName.RSA_2048_ENCRYPT_DECRYPT.GetPublicKey;
    const key = main.KmsPublicKey.fromGetPublicKey({ ...rsa, EncryptionAlgorithms: ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_512'] });
    assert.deepEqual(key.encryptionAlgorithms, ['RSAES_OAEP_SHA_256', 'RSAES_OAEP_SHA_512']);
    const e = thrown(() => key.encrypt({ Plaintext: 'AQID', EncryptionAlgorithm: 'RSAES_OAEP_SHA_512' }));
    assert.equal(e.name, 'UnsupportedOperationException');
  });

  it('garbage in the list is still ValidationException in both entries', () => {
    for (const lib of [main, family]) {
      const e = thrown(() => lib.KmsPublicKey.fromGetPublicKey({ ...P256.GetPublicKey, SigningAlgorithms: ['ecdsa sha 256'] }));
      assert.equal(e.name, 'ValidationException');
    }
  });
});

describe('an unknown KeySpec or KeyUsage', () => {
  it('is UnsupportedOperationException naming what loads, the same in both entries', () => {
    for (const edit of [{ KeySpec: 'ECC_NIST_P257', CustomerMasterKeySpec: undefined }, { KeyUsage: 'SIGN_AND_ATTEST' }]) {
      const input = { ...P256.GetPublicKey, ...edit };
      const [a, b] = [main, family].map((lib) => thrown(() => lib.KmsPublicKey.fromGetPublicKey(input)));
      assert.equal(a.name, 'UnsupportedOperationException', a.message);
      assert.match(a.message, /is unknown to this version of kms-offline/);
      assert.equal(a.kmsRefusal, false);
      assert.deepEqual([b.name, b.message], [a.name, a.message]);
    }
  });
});

describe('input that is no public key', () => {
  const signature = P256.Signatures.find((c) => c.Valid !== false).Signature;
  const cases = {
    'plain text': ['hello world', /it is text \('hello world'\)/],
    'a DER signature': [b64bytes(signature), /two INTEGERs, the form of an ECDSA or SM2 signature/],
    'base64 of a signature': [signature, /two INTEGERs/],
    'a PEM private key': [P256.PrivateKeyPem, /a private key/],
  };
  for (const [what, [input, says]] of Object.entries(cases)) {
    it(`${what}: says so before any complaint about metadata, in both entries`, () => {
      for (const lib of [main, family]) {
        for (const load of [() => lib.KmsPublicKey.fromPublicKey(input, {}), () => lib.KmsPublicKey.fromGetPublicKey({ PublicKey: input })]) {
          const e = thrown(load);
          assert.equal(e.name, 'ValidationException');
          assert.match(e.message, /^PublicKey is not a public key: /);
          assert.match(e.message, says);
          assert.doesNotMatch(e.message, /KeySpec/);
        }
        assert.throws(() => lib.KmsPublicKey.detectKeySpec(input), { message: /^PublicKey is not a public key/ });
      }
    });
  }

  it('a public key without metadata: the hint is the metadata of its detected key type', () => {
    const e = thrown(() => main.KmsPublicKey.fromPublicKey(byName.RSA_2048_SIGN_VERIFY.PublicKeyPem, {}));
    assert.match(e.message, /KeySpec is required.*this public key is RSA 2048-bit, so KeySpec RSA_2048 with KeyUsage/);
    assert.match(e.message, /SIGN_VERIFY \(SigningAlgorithms from RSASSA_PSS_SHA_256, /);
    assert.match(e.message, /ENCRYPT_DECRYPT \(EncryptionAlgorithms from RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256\)/);
  });
});

describe('KmsPublicKey.detectKeySpec', () => {
  it('gives the key spec, its usages and their algorithms for every fixture, in every form', () => {
    for (const { name, data } of fixtures) {
      const gpk = data.GetPublicKey;
      for (const form of [gpk.PublicKey, b64bytes(gpk.PublicKey), data.PublicKeyPem]) {
        const detected = main.KmsPublicKey.detectKeySpec(form);
        assert.equal(detected.KeySpec, gpk.KeySpec, name);
        assert.ok(detected.KeyUsages.includes(gpk.KeyUsage), name);
        for (const list of ['SigningAlgorithms', 'EncryptionAlgorithms', 'KeyAgreementAlgorithms', 'EncapsulationAlgorithms']) {
          for (const alg of gpk[list] ?? []) assert.ok(detected[list].includes(alg), `${name}: ${alg}`);
        }
        // What it suggests loads.
        const list = Object.keys(detected).find((k) => k.endsWith('Algorithms') && gpk[k]);
        const key = main.KmsPublicKey.fromPublicKey(form, { KeySpec: detected.KeySpec, KeyUsage: gpk.KeyUsage, [list]: detected[list] });
        assert.equal(key.keySpec, gpk.KeySpec);
      }
    }
    assert.deepEqual(family.KmsPublicKey.detectKeySpec(byName.RSA_2048_SIGN_VERIFY.PublicKeyPem), {
      KeySpec: 'RSA_2048',
      KeyUsages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'],
      EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
      SigningAlgorithms: ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512'],
    });
  });
});

describe('an invalid signature names its own form', () => {
  it('RSASSA-PSS, Ed25519, ML-DSA and SM2 are not called "the DER signature"', () => {
    for (const [name, SigningAlgorithm, form] of [
      ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256', 'the RSASSA-PSS signature'],
      ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512', 'the Ed25519 signature'],
      ['ML_DSA_44_SIGN_VERIFY', 'ML_DSA_SHAKE_256', 'the ML-DSA signature'],
      ['SM2_SIGN_VERIFY', 'SM2DSA', 'the SM2 DER signature'],
      ['ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256', 'the DER signature'],
    ]) {
      const key = main.KmsPublicKey.fromGetPublicKey(byName[name].GetPublicKey);
      // bytes: a base64 string of the wrong size would be refused before any verify (README "Strings and bytes")
      const e = thrown(() => key.verifyOrThrow({ Message: new Uint8Array([0x6d]), Signature: new Uint8Array([1, 2, 3]), SigningAlgorithm }));
      assert.equal(e.name, 'KMSInvalidSignatureException');
      assert.ok(e.message.includes(form), e.message);
    }
  });
});

describe('a PublicKey serialised by JSON.stringify (one set of rules: src/serialised_key.rs)', () => {
  it('is refused alike as JSON text (the Rust parser) and as an object (read member by member), in both entries', () => {
    const gpk = P256.GetPublicKey;
    const der = [...b64bytes(gpk.PublicKey)];
    const cases = {
      'a member that is no byte': { 0: 48, 1: 300 },
      'a missing index': { 0: 48, 2: 1 },
      'a serialised Buffer without data': { type: 'Buffer' },
      'a serialised Buffer whose data is an object': { type: 'Buffer', data: { 0: 48 } },
      'more members than a key has bytes': Object.fromEntries(Array.from({ length: 16385 }, (_, i) => [i, 1])),
    };
    const refusal = (lib, input) => {
      const e = thrown(() => lib.KmsPublicKey.fromGetPublicKey(input));
      return `${e.name}: ${e.message} (${e.rule})`;
    };
    for (const [what, PublicKey] of Object.entries(cases)) {
      const object = { ...gpk, PublicKey };
      const expected = refusal(main, object);
      assert.match(expected, /^ValidationException: PublicKey /, what);
      assert.equal(refusal(main, JSON.stringify(object)), expected, `${what}: JSON text`);
      assert.equal(refusal(family, object), expected, `${what}: verify-p256`);
      assert.equal(refusal(family, JSON.stringify(object)), expected, `${what}: verify-p256, JSON text`);
    }
    // What loads, loads in every form.
    for (const PublicKey of [Object.fromEntries(der.map((b, i) => [i, b])), { type: 'Buffer', data: der }, der]) {
      for (const input of [{ ...gpk, PublicKey }, JSON.stringify({ ...gpk, PublicKey })]) {
        for (const lib of [main, family]) lib.KmsPublicKey.fromGetPublicKey(input).free();
      }
    }
  });
});

describe('the lists the package exports from the core', () => {
  it('exceptionNames: the KmsError names (their spelling is pinned in tests/enums.rs)', () => {
    for (const lib of [main, family]) {
      assert.deepEqual(lib.KmsPublicKey.exceptionNames(), [
        'ValidationException', 'InvalidKeyUsageException', 'UnsupportedOperationException', 'InvalidArnException',
        'KMSInvalidSignatureException', 'InvalidCiphertextException', 'KMSInternalException',
      ]);
    }
  });

  it('keySpecRules: every asymmetric KeySpec with the usages and algorithms detectKeySpec gives for its keys', () => {
    const rules = main.KmsPublicKey.keySpecRules();
    assert.equal(family.KmsPublicKey.keySpecRules, undefined, 'a table for people: not in the verify-p256 entry (Cargo feature `tables`)');
    assert.equal(Object.keys(rules).length, 15, "every KeySpec but SYMMETRIC_DEFAULT and HMAC_*");
    assert.deepEqual(Object.keys(rules.RSA_2048), ['SIGN_VERIFY', 'ENCRYPT_DECRYPT'], 'usages in the KMS enum order');
    assert.deepEqual(rules.SM2, { SIGN_VERIFY: ['SM2DSA'], ENCRYPT_DECRYPT: ['SM2PKE'], KEY_AGREEMENT: ['ECDH'] });
    for (const { name, data } of fixtures) {
      const detected = main.KmsPublicKey.detectKeySpec(data.PublicKeyPem);
      const spec = rules[detected.KeySpec];
      assert.deepEqual(Object.keys(spec).sort(), [...detected.KeyUsages].sort(), name);
      for (const [usage, algorithms] of Object.entries(spec)) {
        const list = { SIGN_VERIFY: 'SigningAlgorithms', ENCRYPT_DECRYPT: 'EncryptionAlgorithms', KEY_AGREEMENT: 'KeyAgreementAlgorithms', ENCAPSULATE_DECAPSULATE: 'EncapsulationAlgorithms' }[usage];
        assert.deepEqual(algorithms, detected[list], `${name} ${usage}`);
      }
    }
  });

  it('offlineCaveats: the four protections of every key, then those of its spec and usage', () => {
    const common = ['authorization', 'usage-and-algorithms', 'disable-and-delete', 'logging'];
    const caveats = (name) => main.KmsPublicKey.fromGetPublicKey(byName[name].GetPublicKey).offlineCaveats();
    assert.deepEqual(caveats('ECC_NIST_P256_SIGN_VERIFY'), { codes: common, forEncryption: false });
    assert.deepEqual(caveats('RSA_2048_ENCRYPT_DECRYPT'), { codes: common, forEncryption: true });
    assert.deepEqual(caveats('SM2_SIGN_VERIFY'), { codes: [...common, 'sm2-signing'], forEncryption: false });
    assert.deepEqual(caveats('SM2_KEY_AGREEMENT'), { codes: [...common, 'sm2', 'shared-secret'], forEncryption: false });
    assert.deepEqual(caveats('ML_KEM_768_ENCAPSULATE_DECAPSULATE'), { codes: [...common, 'implicit-rejection'], forEncryption: true });
  });
});
