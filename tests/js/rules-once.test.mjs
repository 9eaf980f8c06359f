// Each request's KMS rules are evaluated exactly once on every path through the wasm (issue 20, item 2), as
// tests/rules_once.rs proves in Rust: verify and verifyOrThrow (bytes, base64 strings, P1363), verifyAsync through
// WebCrypto, its synchronous fallback when WebCrypto fails, and the same for encrypt and deriveSharedSecret.
// `KmsPublicKey.__ruleChecks()` (untyped, main entry only) counts the evaluations of this wasm instance.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as lib from 'kms-offline';
import F from './fixtures.cjs';

const { KmsPublicKey } = lib;
const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));
const key = (name) => KmsPublicKey.fromGetPublicKey(fixtures[name].GetPublicKey);

/** How many rule evaluations `call` made (awaited), and its outcome (the value, or the error's name). */
async function checks(call) {
  const before = KmsPublicKey.__ruleChecks();
  let outcome;
  try {
    outcome = await call();
  } catch (e) {
    outcome = e.name;
  }
  return [KmsPublicKey.__ruleChecks() - before, outcome];
}

/** Runs `body` with `crypto.subtle[name]` rejecting, as a WebCrypto without the algorithm does. */
async function withFailing(name, body) {
  const subtle = globalThis.crypto.subtle;
  const original = subtle[name];
  subtle[name] = () => Promise.reject(new Error(`${name} disabled by the test`));
  try {
    return await body();
  } finally {
    subtle[name] = original;
  }
}

const signing = Object.keys(fixtures).filter((name) => name.endsWith('_SIGN_VERIFY'));

describe('a Verify request is checked once on every path', () => {
  it('verify, verifyOrThrow, verifyAsync (WebCrypto and fallback), bytes and strings, DER and P1363', async () => {
    let cases = 0;
    for (const name of signing) {
      const k = key(name);
      for (const { Valid, Note, ...request } of fixtures[name].Signatures) {
        const bytes = { ...request, Message: F.b64bytes(request.Message), Signature: F.b64bytes(request.Signature) };
        const strings = { ...bytes, Signature: request.Signature }; // base64, read by the size the rules fix
        const what = `${name}: ${Note}`;
        assert.deepEqual(await checks(() => k.verify(bytes)), [1, Valid], `verify ${what}`);
        // A tampered signature's base64 may have the wrong size for the key: refused as input, rules still once.
        const [n, answer] = await checks(() => k.verify(strings));
        assert.deepEqual([n, Valid ? answer : false], [1, Valid], `verify (base64 Signature) ${what}: ${answer}`);
        assert.deepEqual(await checks(() => k.verifyOrThrow(bytes).SignatureValid), [1, Valid || 'KMSInvalidSignatureException'], `verifyOrThrow ${what}`);
        assert.deepEqual(await checks(() => k.verifyAsync(bytes)), [1, Valid], `verifyAsync ${what}`);
        assert.deepEqual(await checks(() => withFailing('verify', () => k.verifyAsync(bytes))), [1, Valid], `verifyAsync, WebCrypto failing ${what}`);
        if (/^(ECC_|SM2)/.test(name) && !name.includes('EDWARDS')) {
          let p1363;
          try {
            p1363 = lib.derToP1363(bytes.Signature, k.keySpec);
          } catch {
            continue; // not strict DER: no P1363 form
          }
          const formatted = { ...bytes, Signature: p1363, SignatureFormat: 'P1363' };
          assert.deepEqual(await checks(() => k.verify(formatted)), [1, Valid], `verify P1363 ${what}`);
          assert.deepEqual(await checks(() => k.verifyAsync(formatted)), [1, Valid], `verifyAsync P1363 ${what}`);
          assert.deepEqual(await checks(() => withFailing('importKey', () => k.verifyAsync(formatted))), [1, Valid], `verifyAsync P1363, import failing ${what}`);
        }
        cases++;
      }
    }
    assert.ok(cases > 20, `only ${cases} cases`);
  });

  it('a refused request: once, and the same exception on every path', async () => {
    const p256 = key('ECC_NIST_P256_SIGN_VERIFY');
    const rsa = key('RSA_2048_SIGN_VERIFY');
    const signature = new Uint8Array([0x30, 0x06, 2, 1, 1, 2, 1, 1]);
    const refused = [
      [p256, { Message: new Uint8Array(0), Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }, 'ValidationException'],
      [p256, { Message: new Uint8Array(1), Signature: signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }, 'InvalidKeyUsageException'],
      [rsa, { Message: new Uint8Array(1), Signature: signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256', SignatureFormat: 'P1363' }, 'ValidationException'],
      [p256, { Message: new Uint8Array(1), Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'DIGEST' }, 'ValidationException'],
    ];
    for (const [k, request, exception] of refused) {
      for (const method of ['verify', 'verifyOrThrow', 'verifyAsync']) {
        assert.deepEqual(await checks(() => k[method](request)), [1, exception], `${method} ${JSON.stringify(request)}`);
      }
    }
  });
});

describe('Encrypt and DeriveSharedSecret requests are checked once on every path', () => {
  it('encrypt and encryptAsync (WebCrypto and fallback), bytes and text', async () => {
    const k = key('RSA_2048_ENCRYPT_DECRYPT');
    const request = { Plaintext: 'a secret', PlaintextEncoding: 'utf8', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' };
    const length = (response) => response.CiphertextBlob.length;
    assert.deepEqual(await checks(async () => length(k.encrypt(request))), [1, 256]);
    assert.deepEqual(await checks(async () => length(await k.encryptAsync(request))), [1, 256]);
    assert.deepEqual(await checks(() => withFailing('encrypt', async () => length(await k.encryptAsync(request)))), [1, 256]);
    const refused = { ...request, EncryptionContext: { purpose: 'test' } };
    assert.deepEqual(await checks(() => k.encrypt(refused)), [1, 'ValidationException']);
    assert.deepEqual(await checks(() => k.encryptAsync(refused)), [1, 'ValidationException']);
    const sm2 = key('SM2_ENCRYPT_DECRYPT');
    assert.deepEqual(await checks(async () => (await sm2.encryptAsync({ ...request, EncryptionAlgorithm: 'SM2PKE' })).EncryptionAlgorithm), [1, 'SM2PKE']);
  });

  it('deriveSharedSecret and deriveSharedSecretAsync (WebCrypto and fallback), encapsulate and encapsulateAsync', async () => {
    const secret = (response) => response.SharedSecret.length;
    for (const [name, size] of [['ECC_NIST_P256_KEY_AGREEMENT', 32], ['ECC_NIST_P521_KEY_AGREEMENT', 66], ['SM2_KEY_AGREEMENT', 32]]) {
      if (!fixtures[name]) continue;
      const k = key(name);
      const request = { KeyAgreementAlgorithm: 'ECDH' };
      assert.deepEqual(await checks(async () => secret(k.deriveSharedSecret(request))), [1, size], name);
      assert.deepEqual(await checks(async () => secret(await k.deriveSharedSecretAsync(request))), [1, size], name);
      assert.deepEqual(await checks(() => withFailing('deriveBits', async () => secret(await k.deriveSharedSecretAsync(request)))), [1, size], name);
    }
    const signingKey = key('ECC_NIST_P256_SIGN_VERIFY');
    assert.deepEqual(await checks(() => signingKey.deriveSharedSecretAsync({ KeyAgreementAlgorithm: 'ECDH' })), [1, 'InvalidKeyUsageException']);
    const kem = key('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    assert.deepEqual(await checks(async () => kem.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' }).SharedSecret.length), [1, 32]);
    // encapsulateAsync: WebCrypto where the runtime has ML-KEM, else (or when it fails) wasm; the rules once either way.
    assert.deepEqual(await checks(async () => secret(await kem.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' }))), [1, 32]);
    assert.deepEqual(await checks(() => withFailing('encapsulateBits', async () => secret(await kem.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' })))), [1, 32]);
    assert.deepEqual(await checks(() => signingKey.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' })), [1, 'InvalidKeyUsageException']);
  });
});
