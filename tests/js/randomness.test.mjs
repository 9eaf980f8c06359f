// With no working crypto.getRandomValues, the operations that need randomness (encrypt, ECDH, ML-KEM) must fail
// with a clear KMS-named error, never fall back to weak randomness and never trap; verify keeps working.
// Each case runs in a fresh Node process whose getRandomValues is broken before the package loads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const KEYS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'keys');

const probe = (breakRandomness) => `
  ${breakRandomness}
  const { KmsPublicKey } = require('kms-offline');
  const fx = (n) => require(${JSON.stringify(KEYS)} + '/' + n + '.json');
  const load = (n) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fx(n).GetPublicKey));
  const outcome = (fn) => { try { fn(); return 'ok'; } catch (e) { return e.name + ': ' + e.message; } };
  const sig = fx('ECC_NIST_P256_SIGN_VERIFY').Signatures.find((s) => s.Valid && s.MessageType === 'RAW');
  console.log(JSON.stringify({
    encrypt: outcome(() => load('RSA_2048_ENCRYPT_DECRYPT').encrypt({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
    sm2: outcome(() => load('SM2_ENCRYPT_DECRYPT').encrypt({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'SM2PKE' })),
    ecdh: outcome(() => load('ECC_NIST_P256_KEY_AGREEMENT').deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' })),
    kem: outcome(() => load('ML_KEM_768_ENCAPSULATE_DECAPSULATE').encapsulate({ EncapsulationAlgorithm: 'ML_KEM' })),
    verify: load('ECC_NIST_P256_SIGN_VERIFY').verify({ ...sig, MessageEncoding: 'base64' }),
  }));`;

function run(breakRandomness) {
  const out = execFileSync(process.execPath, ['-e', probe(breakRandomness)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

describe('no secure randomness: a clear error, never weak randomness', () => {
  for (const [what, breakIt] of [
    ['getRandomValues throws', `globalThis.crypto.getRandomValues = () => { throw new Error('entropy source gone'); };`],
    ['crypto is missing', `Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });`],
  ]) {
    it(what, () => {
      const result = run(breakIt);
      for (const op of ['encrypt', 'sm2', 'ecdh', 'kem']) {
        assert.match(result[op], /^KMSInternalException: no secure random source/, `${op}: ${result[op]}`);
      }
      assert.equal(result.verify, true, 'verify needs no randomness and keeps working');
    });
  }

  it('the same probe with working randomness succeeds (the test can fail)', () => {
    const result = run('');
    assert.deepEqual(result, { encrypt: 'ok', sm2: 'ok', ecdh: 'ok', kem: 'ok', verify: true });
  });
});
