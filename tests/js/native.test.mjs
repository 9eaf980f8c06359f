// The WebCrypto-accelerated operations in Node, through the built package: the shared differential checks
// of native-checks.mjs (every fixture and Wycheproof vector: verifyAsync answers as verify), plus what only
// Node can simulate: a runtime without crypto.subtle.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as lib from 'kms-offline';
import { runNativeChecks, WYCHEPROOF_FILES } from './native-checks.mjs';
import { loadWycheproof } from './wycheproof-data.mjs';
import F from './fixtures.cjs';

const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));

describe('WebCrypto-accelerated operations (Node): the same decisions as the wasm ones', () => {
  let results;
  before(async () => {
    results = await runNativeChecks({ lib, fixtures, wycheproof: loadWycheproof(WYCHEPROOF_FILES.map(([file]) => file)) });
  });
  it('every check passes (one subtest per check)', async (t) => {
    assert.ok(results.length >= 30, `only ${results.length} checks`);
    for (const r of results) await t.test(r.name, () => assert.ok(r.ok, `${r.name}: ${r.detail}`));
  });
});

describe('without crypto.subtle (an insecure browser context, an old runtime)', () => {
  it('verifyAsync, encryptAsync and deriveSharedSecretAsync answer from wasm', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    const { getRandomValues } = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', { value: { getRandomValues: getRandomValues.bind(globalThis.crypto) }, configurable: true, writable: true });
    try {
      const key = lib.KmsPublicKey.fromGetPublicKey(fixtures.RSA_2048_SIGN_VERIFY.GetPublicKey);
      for (const { Valid, Note, ...request } of fixtures.RSA_2048_SIGN_VERIFY.Signatures) {
        const bytes = { ...request, Message: F.b64bytes(request.Message), Signature: F.b64bytes(request.Signature) };
        assert.equal(await key.verifyAsync(bytes), Valid, Note);
      }
      const enc = lib.KmsPublicKey.fromGetPublicKey(fixtures.RSA_2048_ENCRYPT_DECRYPT.GetPublicKey);
      assert.equal((await enc.encryptAsync({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })).CiphertextBlob.length, 256);
      const ecdh = lib.KmsPublicKey.fromGetPublicKey(fixtures.ECC_NIST_P256_KEY_AGREEMENT.GetPublicKey);
      assert.equal((await ecdh.deriveSharedSecretAsync({ KeyAgreementAlgorithm: 'ECDH' })).SharedSecret.length, 32);
    } finally {
      Object.defineProperty(globalThis, 'crypto', descriptor);
    }
    assert.ok(globalThis.crypto.subtle, 'crypto restored');
  });
});
