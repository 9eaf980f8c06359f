// Wycheproof vectors through the built package (the wasm the package ships), for the families whose wasm
// arithmetic differs from the native build tests/wycheproof.rs checks, and that tests/js/native-checks.mjs
// (RSA and the NIST curves, against WebCrypto) does not cover:
//   - ML-DSA-44/65/87: compiled at its own opt-level (lattice/) on a patched module-lattice (patches/README.md);
//   - secp256k1: 32-bit limbs on wasm32 (.cargo/config.toml), 64-bit natively.
// The rules are tests/wycheproof.rs's: "valid" verifies, "invalid" does not (or is KMS's ValidationException
// for a signature outside 1-6144 bytes), "acceptable" may go either way; a key may be refused at load only if
// no vector of its group is valid; ML-DSA vectors with a context are left out (KMS signs with an empty one).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { KmsPublicKey } from 'kms-offline';
import { loadWycheproof } from './wycheproof-data.mjs';

const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());

/** The answers of one signature under every [Message, MessageType] of `requests`, as verify gives them. */
function answers(key, SigningAlgorithm, SignatureFormat, Signature, requests) {
  return requests.map(([Message, MessageType]) => {
    try {
      return key.verify({ Message, Signature, SigningAlgorithm, MessageType, SignatureFormat });
    } catch (e) {
      if (e.name === 'ValidationException' && (Signature.length === 0 || Signature.length > 6144)) return false;
      throw new Error(`${MessageType}: unexpected ${e.name}: ${e.message}`);
    }
  });
}

const SETS = [
  ...['44', '65', '87'].map((level) => ({
    file: `mldsa_${level}_verify_test.json`,
    metadata: { KeySpec: `ML_DSA_${level}`, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ML_DSA_SHAKE_256'] },
    algorithm: 'ML_DSA_SHAKE_256',
    skip: (t) => Boolean(t.ctx),
    requests: (key, message) => {
      const mu = key.externalMuDigest();
      mu.update(message);
      return [...(message.length >= 1 && message.length <= 4096 ? [[message, 'RAW']] : []), [mu.digest(), 'EXTERNAL_MU']];
    },
    least: { valid: 60, invalid: 90 },
  })),
  ...[
    ['ecdsa_secp256k1_sha256_test.json', 'DER', { valid: 150, invalid: 300 }],
    ['ecdsa_secp256k1_sha256_p1363_test.json', 'P1363', { valid: 150, invalid: 80 }],
  ].map(([file, format, least]) => ({
    file,
    format,
    metadata: { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] },
    algorithm: 'ECDSA_SHA_256',
    skip: () => false,
    requests: (key, message) => [...(message.length >= 1 && message.length <= 4096 ? [[message, 'RAW']] : []), [sha256(message), 'DIGEST']],
    least,
  })),
];

describe('Wycheproof vectors through the wasm package', () => {
  const data = loadWycheproof(SETS.map((set) => set.file));
  for (const set of SETS) {
    it(`${set.file}: every vector answers as the file says`, () => {
      const tally = { valid: 0, invalid: 0, acceptable: 0, refusedAtLoad: 0, skipped: 0 };
      for (const group of data[set.file].testGroups) {
        let key;
        try {
          key = KmsPublicKey.fromPublicKey(fromHex(group.publicKeyDer), set.metadata);
        } catch (e) {
          for (const t of group.tests) assert.notEqual(t.result, 'valid', `tcId ${t.tcId}: valid, but the key was refused: ${e.message}`);
          tally.refusedAtLoad += group.tests.length;
          continue;
        }
        for (const t of group.tests) {
          if (set.skip(t)) {
            tally.skipped += 1;
            continue;
          }
          const got = answers(key, set.algorithm, set.format, fromHex(t.sig), set.requests(key, fromHex(t.msg)));
          tally[t.result] += 1;
          if (t.result === 'acceptable') continue;
          const want = t.result === 'valid';
          assert.ok(got.length > 0 && got.every((answer) => answer === want), `tcId ${t.tcId} (${t.comment}): want ${want}, got ${got}`);
        }
        key.free();
      }
      const total = data[set.file].testGroups.reduce((n, group) => n + group.tests.length, 0);
      assert.equal(Object.values(tally).reduce((a, b) => a + b, 0), total, JSON.stringify(tally));
      assert.ok(tally.valid >= set.least.valid && tally.invalid >= set.least.invalid, JSON.stringify(tally));
    });
  }
});
