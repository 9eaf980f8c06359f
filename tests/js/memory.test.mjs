// Memory: the quick variant of the load test (tests/load/load.mjs --quick: verifies, loads freed with free() and
// [Symbol.dispose](), loads left to the FinalizationRegistry; wasm memory and RSS flat after warm-up), and what
// stays in the wasm linear memory after operations on secrets (scanned byte for byte right after each call).
//
// The residue tests are what the library can control: secrets it makes (ECDH ephemeral scalar and Z, ML-KEM
// K and m, KDF output) and secrets the caller hands it (static PrivateKey, Plaintext). Secrets returned to JS as
// Uint8Array are the caller's, and JS cannot zeroize them reliably (the GC may have copied them). Heap copies are
// wiped by Zeroizing buffers (src/js keeps PrivateKey, Plaintext, KDF inputs and outputs in them), stack copies by
// src/scrub.rs after each operation on secrets.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import { loadInstance } from './sweep-harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KEYS = path.join(HERE, '..', 'fixtures', 'keys');
const fx = (n) => JSON.parse(readFileSync(path.join(KEYS, `${n}.json`), 'utf8'));

test('load --quick: wasm memory and RSS flat after warm-up, dropped keys finalized, every answer right', { timeout: 180_000 }, (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kms-offline-load-'));
  try {
    const json = path.join(dir, 'load.json');
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(HERE, '..', 'load', 'load.mjs'), '--quick', '--json', json], { encoding: 'utf8' });
    for (const line of r.stdout.trim().split('\n')) t.diagnostic(line);
    assert.equal(r.status, 0, `load.mjs --quick failed:\n${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(result.problems, []);
    assert.ok(result.finalized >= result.gcLoads * 0.99);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- residues in wasm memory ---------------------------------------------------------------------------------

/** How many times `bytes` occurs in the instance's linear memory. */
function occurrences(memory, bytes) {
  const haystack = Buffer.from(memory.buffer);
  const needle = Buffer.from(bytes);
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}

/** Runs fn while recording every buffer crypto.getRandomValues fills (the package's randomness). */
function recordingRandomness(fn) {
  const draws = [];
  const original = globalThis.crypto.getRandomValues;
  globalThis.crypto.getRandomValues = function (array) {
    original.call(globalThis.crypto, array);
    draws.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    draws[draws.length - 1] = Buffer.from(draws[draws.length - 1]); // copy: the view is wasm memory
    return array;
  };
  try {
    return { result: fn(), draws };
  } finally {
    globalThis.crypto.getRandomValues = original;
  }
}

/** The private scalar inside an EC PKCS#8 PEM. */
function ecScalar(pem, len) {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  for (let i = 0; i + 5 < der.length; i++) {
    if (der[i] === 2 && der[i + 1] === 1 && der[i + 2] === 1 && der[i + 3] === 4 && der[i + 4] === len) return { der, d: der.subarray(i + 5, i + 5 + len) };
  }
  throw new Error('no EC private key');
}

// Every draw of 16 bytes or more is secret material (scalar candidates, ML-KEM m, OAEP seeds).
const secretDraws = (draws) => draws.filter((d) => d.length >= 16);

for (const name of ['ECC_NIST_P256_KEY_AGREEMENT', 'ECC_NIST_P384_KEY_AGREEMENT', 'ECC_NIST_P521_KEY_AGREEMENT', 'SM2_KEY_AGREEMENT']) {
  test(`${name}: ephemeral ECDH leaves no copy of Z in wasm memory`, () => {
    const { lib, memory } = loadInstance();
    const key = lib.KmsPublicKey.fromGetPublicKey(fx(name).GetPublicKey);
    const { SharedSecret } = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
    assert.equal(occurrences(memory, SharedSecret), 0);
  });

  test(`${name}: ephemeral ECDH leaves no copy of the ephemeral scalar's random bytes`, () => {
    const { lib, memory } = loadInstance();
    const key = lib.KmsPublicKey.fromGetPublicKey(fx(name).GetPublicKey);
    const { draws } = recordingRandomness(() => key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' }));
    assert.ok(secretDraws(draws).length >= 1, 'no random draw recorded');
    assert.deepEqual(secretDraws(draws).map((d) => occurrences(memory, d)), secretDraws(draws).map(() => 0));
  });

  test(`${name}: ECDH with a static PrivateKey leaves no copy of the private scalar or of Z`, () => {
    const { lib, memory } = loadInstance();
    const f = fx(name);
    const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
    const { der, d } = ecScalar(f.PrivateKeyPem, name.includes('P384') ? 48 : name.includes('P521') ? 66 : 32);
    const found = {};
    for (const [form, PrivateKey] of [['PEM', f.PrivateKeyPem], ['DER', new Uint8Array(der)]]) {
      const { SharedSecret } = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH', PrivateKey });
      found[`${form}: private scalar`] = occurrences(memory, d);
      found[`${form}: Z`] = occurrences(memory, SharedSecret);
    }
    assert.deepEqual(found, { 'PEM: private scalar': 0, 'PEM: Z': 0, 'DER: private scalar': 0, 'DER: Z': 0 });
  });
}

test('ML-KEM encapsulate leaves no copy of K or of the random m', () => {
  const { lib, memory } = loadInstance();
  const found = {};
  for (const name of ['ML_KEM_512_ENCAPSULATE_DECAPSULATE', 'ML_KEM_768_ENCAPSULATE_DECAPSULATE', 'ML_KEM_1024_ENCAPSULATE_DECAPSULATE']) {
    const key = lib.KmsPublicKey.fromGetPublicKey(fx(name).GetPublicKey);
    const { result, draws } = recordingRandomness(() => key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' }));
    found[`${name}: K`] = occurrences(memory, result.SharedSecret);
    secretDraws(draws).forEach((m, i) => (found[`${name}: random draw ${i + 1}`] = occurrences(memory, m)));
  }
  assert.deepEqual(Object.entries(found).filter(([, n]) => n > 0), []);
});

test('hkdf and oneStepKdf leave no copy of the derived key', () => {
  const { lib, memory } = loadInstance();
  const ikm = new Uint8Array(crypto.randomBytes(32));
  const a = lib.hkdf({ Hash: 'SHA-256', Ikm: ikm, Info: 'AQI=', InfoEncoding: 'base64', Length: 32 });
  const b = lib.oneStepKdf({ Hash: 'SHA-384', SharedSecret: ikm, Length: 48 });
  assert.deepEqual({ hkdf: occurrences(memory, a), oneStepKdf: occurrences(memory, b) }, { hkdf: 0, oneStepKdf: 0 });
});

test('encrypt leaves no copy of the Plaintext', () => {
  const { lib, memory } = loadInstance();
  const found = {};
  for (const [name, EncryptionAlgorithm] of [['RSA_2048_ENCRYPT_DECRYPT', 'RSAES_OAEP_SHA_256'], ['RSA_4096_ENCRYPT_DECRYPT', 'RSAES_OAEP_SHA_1'], ['SM2_ENCRYPT_DECRYPT', 'SM2PKE']]) {
    const key = lib.KmsPublicKey.fromGetPublicKey(fx(name).GetPublicKey);
    const Plaintext = new Uint8Array(crypto.randomBytes(64));
    key.encrypt({ Plaintext, EncryptionAlgorithm });
    found[name] = occurrences(memory, Plaintext);
  }
  assert.deepEqual(Object.entries(found).filter(([, n]) => n > 0), []);
});

test('encryptAsync leaves no copy of the Plaintext in wasm memory and zero-fills the copy WebCrypto got, also when WebCrypto fails', async () => {
  const { lib, memory } = loadInstance();
  const subtle = globalThis.crypto.subtle;
  const original = subtle.encrypt;
  const handed = [];
  let failing = false;
  subtle.encrypt = function (algorithm, key, data) {
    handed.push(data);
    return failing ? Promise.reject(new Error('native failure')) : original.call(this, algorithm, key, data);
  };
  try {
    const key = lib.KmsPublicKey.fromGetPublicKey(fx('RSA_2048_ENCRYPT_DECRYPT').GetPublicKey);
    const found = [];
    // The first call imports the CryptoKey (a Rust future); the later ones find it imported (WebCrypto's own promise).
    for (const fails of [false, false, false, true, true]) {
      failing = fails;
      const Plaintext = new Uint8Array(crypto.randomBytes(64));
      await key.encryptAsync({ Plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
      found.push({ fails, inWasm: occurrences(memory, Plaintext), copyWiped: handed.at(-1).every((b) => b === 0) });
    }
    key.free();
    assert.equal(handed.length, 5);
    assert.deepEqual(found.filter((f) => f.inWasm > 0 || !f.copyWiped), []);
  } finally {
    delete subtle.encrypt;
    if (subtle.encrypt !== original) subtle.encrypt = original;
  }
});

test('encryptMessage through node:crypto: a Uint8Array Plaintext stays out of wasm memory (no growth, no copy)', () => {
  const { lib, memory } = loadInstance();
  const key = lib.KmsPublicKey.fromGetPublicKey(fx('RSA_2048_ENCRYPT_DECRYPT').GetPublicKey);
  key.encryptMessage({ Plaintext: new Uint8Array(1 << 20) }); // warm-up: the sealer's own allocations
  const before = memory.buffer.byteLength;
  const Plaintext = new Uint8Array(crypto.randomBytes(16 << 20));
  const digest = crypto.createHash('sha256').update(Plaintext).digest('hex');
  const message = key.encryptMessage({ Plaintext });
  const grown = memory.buffer.byteLength - before;
  assert.ok(message.length > Plaintext.length);
  assert.equal(crypto.createHash('sha256').update(Plaintext).digest('hex'), digest, "the caller's Plaintext is left as it was");
  assert.ok(grown < 4 << 20, `wasm memory grew by ${grown} bytes for a 16 MiB Plaintext`);
  // Its first and last 4 KiB (one frame each) are nowhere in wasm memory.
  assert.deepEqual([occurrences(memory, Plaintext.subarray(0, 4096)), occurrences(memory, Plaintext.subarray(-4096))], [0, 0]);
  // A string Plaintext is read in wasm (its bytes depend on PlaintextEncoding) and wiped there.
  const text = crypto.randomBytes(3000).toString('base64');
  key.encryptMessage({ Plaintext: text, PlaintextEncoding: 'base64' });
  assert.equal(occurrences(memory, Buffer.from(text, 'base64')), 0);
  key.free();
});
