// The single-family entry `kms-offline/verify-p256` (pkg/dist/verify-p256: the crate built with the Cargo
// feature `p256` only) against the main entry `kms-offline`. The family entry is the same Rust code with the
// other families compiled out, so for every P-256 input it must give the very same answer or the very same
// exception (name and message) as the main entry: the fixture keys in every input form, every fixture
// signature in DER and P1363, every Wycheproof ECDSA P-256 vector, the KMS rules, and malformed inputs. Keys
// of every other family are refused with UnsupportedOperationException, after the same metadata checks.
//
// The one documented difference: without the Rust JSON parser, the family entry reads JSON text with
// JSON.parse, so a member given twice is read with its last value where the main entry refuses the text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadWycheproof } from './wycheproof-data.mjs';
import { outcome, described, inputForms } from './family-compare.mjs';
import { measure } from '../../bench/entry-sizes.mjs';

const require = createRequire(import.meta.url);
const { loadFixtures, b64bytes, metadataOf } = require('./fixtures.cjs');
const main = require('kms-offline');
const family = require('kms-offline/verify-p256');

const fixtures = Object.fromEntries(loadFixtures().map((f) => [f.name, f.data]));
const P256 = fixtures.ECC_NIST_P256_SIGN_VERIFY;
const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

/** Asserts the two entries agree on `fn(lib)` and returns the common outcome. */
function same(what, fn) {
  const expected = fn(main);
  assert.equal(fn(family), expected, what);
  return expected;
}

describe('kms-offline/verify-p256: the P-256 verify-only entry', () => {
  it('exports KmsPublicKey (without the other operations) and MessageDigest', () => {
    assert.deepEqual(Object.keys(family).sort(), ['KmsPublicKey', 'MessageDigest']);
    const methods = Object.getOwnPropertyNames(family.KmsPublicKey.prototype);
    for (const m of ['verify', 'verifyOrThrow', 'spkiDer', 'spkiPem', 'fingerprint', 'toJSON', 'free']) assert.ok(methods.includes(m), m);
    for (const m of ['encrypt', 'deriveSharedSecret', 'encapsulate', 'verifyAsync', 'externalMu']) assert.ok(!methods.includes(m), m);
  });

  it('loads a P-256 key from every input form exactly as the main entry does', () => {
    for (const name of ['ECC_NIST_P256_SIGN_VERIFY', 'ECC_NIST_P256_KEY_AGREEMENT']) {
      const forms = inputForms(fixtures[name].GetPublicKey);
      const reference = described(main, forms['CLI JSON text']);
      assert.match(reference, /^ok:/, `${name} loads in the main entry`);
      for (const [form, load] of Object.entries(forms)) {
        assert.equal(described(family, load), reference, `${name}, ${form}: verify-p256`);
        assert.equal(described(main, load), reference, `${name}, ${form}: main`);
      }
    }
  });

  it('answers every fixture signature case (DER and P1363) as the main entry does', () => {
    const gpk = JSON.stringify(P256.GetPublicKey);
    const keys = [main, family].map((lib) => lib.KmsPublicKey.fromGetPublicKey(gpk));
    const answers = { true: 0, false: 0 };
    for (const c of P256.Signatures) {
      const request = { Message: c.Message, MessageEncoding: 'base64', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm, MessageType: c.MessageType };
      let p1363;
      try {
        p1363 = main.derToP1363(b64bytes(c.Signature), 'ECC_NIST_P256');
      } catch {
        p1363 = undefined; // a tampered (truncated) DER: no P1363 form
      }
      const requests = [request, ...(p1363 ? [{ ...request, Signature: p1363, SignatureFormat: 'P1363' }] : [])];
      for (const r of requests) {
        // twice: the key's first verify goes through the crate, later ones through its comb table
        for (let round = 0; round < 2; round++) {
          const [expected, got] = keys.map((key) => outcome(() => key.verify(r)));
          assert.equal(got, expected, `${c.Note} (${r.SignatureFormat ?? 'DER'})`);
          assert.equal(expected, `ok:${c.Valid}`, c.Note);
          answers[c.Valid] += 1;
          const [thrownMain, thrownFamily] = keys.map((key) => outcome(() => key.verifyOrThrow(r)));
          assert.equal(thrownFamily, thrownMain, `${c.Note}: verifyOrThrow`);
        }
      }
    }
    keys.forEach((k) => k.free());
    assert.ok(answers.true >= 16 && answers.false >= 8, JSON.stringify(answers));
  });

  it('agrees with the main entry and with Wycheproof on every ECDSA P-256 SHA-256 vector (DER and P1363)', () => {
    const files = ['ecdsa_secp256r1_sha256_test.json', 'ecdsa_secp256r1_sha256_p1363_test.json'];
    const sets = loadWycheproof(files);
    let compared = 0;
    for (const file of files) {
      const format = file.includes('p1363') ? 'P1363' : 'DER';
      for (const group of sets[file].testGroups) {
        const der = fromHex(group.publicKeyDer);
        const metadata = { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] };
        const loaded = same(`${file}: key of group ${group.publicKeyDer.slice(-16)}`, (lib) => outcome(() => lib.KmsPublicKey.fromPublicKey(der, metadata).free()));
        if (!loaded.startsWith('ok:')) continue;
        const keys = [main, family].map((lib) => lib.KmsPublicKey.fromPublicKey(der, metadata));
        for (const t of group.tests) {
          const message = fromHex(t.msg);
          if (message.length === 0 || message.length > 4096) continue; // KMS's RAW limits refuse these (tested elsewhere)
          const request = { Message: message, Signature: fromHex(t.sig), SigningAlgorithm: 'ECDSA_SHA_256', SignatureFormat: format };
          const [expected, got] = keys.map((key) => outcome(() => key.verify(request)));
          assert.equal(got, expected, `${file} tcId ${t.tcId} (${t.comment})`);
          // invalid: false, or KMS's ValidationException for a signature outside 1-6144 bytes
          if (t.result === 'valid') assert.equal(expected, 'ok:true', `${file} tcId ${t.tcId} (${t.comment})`);
          if (t.result === 'invalid') assert.match(expected, /^(ok:false|throw:ValidationException:Signature is)/, `${file} tcId ${t.tcId} (${t.comment})`);
          compared += 1;
        }
        keys.forEach((k) => k.free());
      }
    }
    assert.ok(compared > 500, `only ${compared} vectors compared`);
  });

  it('applies every KMS rule with the main entry\'s exception and message', () => {
    const gpk = JSON.stringify(P256.GetPublicKey);
    const agreement = JSON.stringify(fixtures.ECC_NIST_P256_KEY_AGREEMENT.GetPublicKey);
    const valid = P256.Signatures.find((c) => c.Valid && c.MessageType === 'RAW');
    const digest = P256.Signatures.find((c) => c.Valid && c.MessageType === 'DIGEST');
    const cases = [
      [gpk, { ...valid, SigningAlgorithm: 'ECDSA_SHA_384' }],
      [gpk, { ...valid, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }],
      [gpk, { ...valid, SigningAlgorithm: 'ECDSA_SHA_257' }],
      [gpk, { ...valid, Message: new Uint8Array(4097) }],
      [gpk, { ...valid, Message: new Uint8Array(0) }],
      [gpk, { ...valid, Signature: new Uint8Array(0) }],
      [gpk, { ...valid, Signature: new Uint8Array(6145) }],
      [gpk, { ...digest, Message: new Uint8Array(31) }],
      [gpk, { ...valid, MessageType: 'EXTERNAL_MU' }],
      [gpk, { ...valid, MessageType: 'raw' }],
      [gpk, { ...valid, SignatureFormat: 'JOSE' }],
      [gpk, { ...valid, Signature: 'not base64!' }],
      [gpk, { ...valid, Message: 42 }],
      [gpk, { Message: valid.Message, Signature: valid.Signature }],
      [gpk, 'not a request'],
      [agreement, valid],
    ];
    for (const [key, request] of cases) {
      const result = same(`verify ${JSON.stringify(request).slice(0, 120)}`, (lib) => {
        const k = lib.KmsPublicKey.fromGetPublicKey(key);
        try {
          return [outcome(() => k.verify(request)), outcome(() => k.verifyOrThrow(request))].join(' | ');
        } finally {
          k.free();
        }
      });
      assert.match(result, /^throw:(ValidationException|InvalidKeyUsageException):/, JSON.stringify(request).slice(0, 120));
    }
  });

  it('streams SHA-256 for DIGEST verification as the main entry does, and has no other digest', () => {
    const data = new Uint8Array(100_000).map((_, i) => i % 251);
    same('MessageDigest SHA-256', (lib) =>
      outcome(() => {
        const d = new lib.MessageDigest('SHA-256');
        for (let i = 0; i < data.length; i += 7_777) d.update(data.subarray(i, i + 7_777));
        return d.digest();
      }),
    );
    same('forSigningAlgorithm', (lib) => outcome(() => lib.MessageDigest.forSigningAlgorithm('ECDSA_SHA_256').digest()));
    for (const name of ['SHA-384', 'SHA-512', 'SM3']) {
      assert.match(outcome(() => new main.MessageDigest(name).digest()), /^ok:/, name);
      assert.equal(outcome(() => new family.MessageDigest(name)), `throw:ValidationException:'${name}' is not a digest this library streams: use one of SHA-256`);
    }
  });

  it('refuses every other key family with UnsupportedOperationException, after the same metadata checks', () => {
    let refused = 0;
    for (const [name, data] of Object.entries(fixtures)) {
      if (name.startsWith('ECC_NIST_P256_')) continue;
      const gpk = JSON.stringify(data.GetPublicKey);
      assert.match(described(main, (K) => K.fromGetPublicKey(gpk)), /^ok:/, `${name} loads in the main entry`);
      const expected = `throw:UnsupportedOperationException:KeySpec ${data.GetPublicKey.KeySpec} is not in this build of kms-offline, which loads ECC_NIST_P256: use the full build (the package's main entry \`kms-offline\`, or the crate's default features)`;
      assert.equal(described(family, (K) => K.fromGetPublicKey(gpk)), expected, name);
      assert.equal(described(family, (K) => K.fromPublicKey(data.PublicKeyPem, metadataOf(data.GetPublicKey))), expected, `${name} (PEM)`);
      // Wrong metadata is KMS's own error first, as in the main entry.
      const noList = { ...data.GetPublicKey, SigningAlgorithms: undefined, EncryptionAlgorithms: undefined, KeyAgreementAlgorithms: undefined, EncapsulationAlgorithms: undefined };
      same(`${name} without its algorithm list`, (lib) => described(lib, (K) => K.fromGetPublicKey(noList)));
      same(`${name} with KeyUsage GENERATE_VERIFY_MAC`, (lib) => described(lib, (K) => K.fromGetPublicKey({ ...data.GetPublicKey, KeyUsage: 'GENERATE_VERIFY_MAC' })));
      refused += 1;
    }
    assert.ok(refused >= 20, `${refused} other keys`);
    same('a symmetric key spec', (lib) => described(lib, (K) => K.fromGetPublicKey({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', PublicKey: P256.GetPublicKey.PublicKey })));
  });

  it('refuses malformed GetPublicKey output with the main entry\'s exception (and message, outside JSON syntax)', () => {
    const gpk = P256.GetPublicKey;
    const inputs = {
      'empty text': '',
      'truncated JSON': JSON.stringify(gpk).slice(0, 40),
      'JSON null': 'null',
      'JSON array': '[]',
      'JSON number': '42',
      'JSON string': '"text"',
      'no PublicKey': { ...gpk, PublicKey: undefined },
      'PublicKey a number': { ...gpk, PublicKey: 5 },
      'PublicKey an object of a byte over 255': { ...gpk, PublicKey: { 0: 300 } },
      'PublicKey an object missing index 0': { ...gpk, PublicKey: { 1: 4 } },
      'PublicKey a serialised Buffer without data': { ...gpk, PublicKey: { type: 'Buffer' } },
      'PublicKey of another key spec': { ...gpk, PublicKey: fixtures.ECC_NIST_P384_SIGN_VERIFY.GetPublicKey.PublicKey },
      'PublicKey truncated': { ...gpk, PublicKey: gpk.PublicKey.slice(0, 40) },
      'KeySpec a number': { ...gpk, KeySpec: 5, CustomerMasterKeySpec: undefined },
      'KeySpec unknown': { ...gpk, KeySpec: 'ECC_NIST_P257', CustomerMasterKeySpec: undefined },
      'KeySpec and CustomerMasterKeySpec disagree': { ...gpk, CustomerMasterKeySpec: 'ECC_NIST_P384' },
      'SigningAlgorithms a string': { ...gpk, SigningAlgorithms: 'ECDSA_SHA_256' },
      'SigningAlgorithms of another spec': { ...gpk, SigningAlgorithms: ['ECDSA_SHA_384'] },
      'KeyId not an ARN or key ID': { ...gpk, KeyId: 'arn:aws:kms:nowhere' },
      'undefined': undefined,
      'null': null,
      'a number': 7,
      'a function': () => gpk,
      '4 MiB of text': ' '.repeat((4 << 20) + 1),
    };
    const syntax = new Set(['empty text', 'truncated JSON', 'JSON null', 'JSON array', 'JSON number', 'JSON string']);
    for (const [what, input] of Object.entries(inputs)) {
      const [expected, got] = [main, family].map((lib) => described(lib, (K) => K.fromGetPublicKey(input)));
      // An unknown KeySpec is a spec this version does not know (KMS-RULES.md §1.3), not a malformed value.
      const refusal = what === 'KeySpec unknown' ? /^throw:UnsupportedOperationException:/ : /^throw:(ValidationException|InvalidKeyUsageException|InvalidArnException):/;
      assert.match(expected, refusal, `${what}: main`);
      if (syntax.has(what)) {
        assert.equal(got.split(':').slice(0, 2).join(':'), expected.split(':').slice(0, 2).join(':'), `${what}: ${got} vs ${expected}`);
      } else {
        assert.equal(got, expected, what);
      }
    }
    // The documented difference: JSON text with a member twice (JSON.parse keeps the last one).
    const twice = JSON.stringify(gpk).replace('"KeyUsage"', '"KeyUsage":"ENCRYPT_DECRYPT","KeyUsage"');
    assert.match(described(main, (K) => K.fromGetPublicKey(twice)), /^throw:ValidationException:.*duplicate field/);
    assert.equal(described(family, (K) => K.fromGetPublicKey(twice)), described(family, (K) => K.fromGetPublicKey(JSON.stringify(gpk))));
  });

  it('is a fraction of the main entry\'s size (browser entry: .wasm + web.js, gzip -9)', () => {
    // The budgets of every entry are in one table, bench/entry-sizes.mjs (tests/js/size-budget.test.mjs checks them).
    const [mainSize, familySize] = ['.', 'verify-p256'].map((entry) => measure(entry, path.join(path.dirname(require.resolve('kms-offline/package.json')), 'dist')).total);
    assert.ok(familySize * 3 < mainSize, `verify-p256 ${familySize} vs main ${mainSize}`);
  });
});
