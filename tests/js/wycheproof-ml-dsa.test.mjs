// Wycheproof's ML-DSA-44/65/87 verify vectors through the built package (the wasm the package ships), as
// tests/wycheproof.rs runs them natively: the lattice arithmetic is compiled for wasm with its own opt-level
// (lattice/) and a patched module-lattice (patches/README.md), so the wasm module is checked on its own.
// KMS signs ML-DSA with an empty context only: vectors with a context are left out, as in Rust.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KmsPublicKey } from 'kms-offline';
import { loadWycheproof } from './wycheproof-data.mjs';

const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const SETS = [
  ['mldsa_44_verify_test.json', 'ML_DSA_44'],
  ['mldsa_65_verify_test.json', 'ML_DSA_65'],
  ['mldsa_87_verify_test.json', 'ML_DSA_87'],
];

/** The answers for one vector: RAW (when KMS's 1-4096 byte limit allows it) and EXTERNAL_MU, always. */
function answers(key, message, signature) {
  const out = [];
  const verify = (Message, MessageType) => {
    try {
      out.push(key.verify({ Message, Signature: signature, SigningAlgorithm: 'ML_DSA_SHAKE_256', MessageType }));
    } catch (e) {
      // KMS refuses a signature of 0 or more than 6144 bytes with a ValidationException: "invalid".
      if (e.name === 'ValidationException' && (signature.length === 0 || signature.length > 6144)) out.push(false);
      else throw new Error(`${MessageType}: unexpected ${e.name}: ${e.message}`);
    }
  };
  if (message.length >= 1 && message.length <= 4096) verify(message, 'RAW');
  const mu = key.externalMuDigest();
  mu.update(message);
  verify(mu.digest(), 'EXTERNAL_MU');
  return out;
}

describe('Wycheproof ML-DSA verify vectors through the wasm package', () => {
  const data = loadWycheproof(SETS.map(([file]) => file));
  for (const [file, KeySpec] of SETS) {
    it(`${file}: every empty-context vector answers as the file says`, () => {
      const tally = { valid: 0, invalid: 0, refusedAtLoad: 0, withContext: 0 };
      for (const group of data[file].testGroups) {
        let key;
        try {
          key = KmsPublicKey.fromPublicKey(fromHex(group.publicKeyDer), { KeySpec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ML_DSA_SHAKE_256'] });
        } catch (e) {
          // A key KMS could never have issued: refusing it is right only if no vector of its group is valid.
          for (const t of group.tests) assert.notEqual(t.result, 'valid', `tcId ${t.tcId}: valid, but the key was refused: ${e.message}`);
          tally.refusedAtLoad += group.tests.length;
          continue;
        }
        for (const t of group.tests) {
          if (t.ctx) {
            tally.withContext += 1;
            continue;
          }
          const got = answers(key, fromHex(t.msg), fromHex(t.sig));
          if (t.result === 'acceptable') continue;
          const want = t.result === 'valid';
          assert.ok(got.length > 0 && got.every((answer) => answer === want), `tcId ${t.tcId} (${t.comment}): want ${want}, got ${got}`);
          tally[want ? 'valid' : 'invalid'] += 1;
        }
        key.free();
      }
      const total = data[file].testGroups.reduce((n, group) => n + group.tests.length, 0);
      assert.equal(tally.valid + tally.invalid + tally.refusedAtLoad + tally.withContext, total, JSON.stringify(tally));
      assert.ok(tally.valid >= 60 && tally.invalid >= 90, JSON.stringify(tally));
    });
  }
});
