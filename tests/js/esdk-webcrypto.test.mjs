// encryptMessageStream seals its frames with WebCrypto AES-GCM (crypto.subtle.encrypt, the data key imported
// non-extractable) and falls back to the wasm AES-GCM when subtle is missing or refuses. Both give the same bytes:
// with crypto.getRandomValues made deterministic here (the glue calls globalThis.crypto.getRandomValues at each
// draw), the WebCrypto path, every fallback and the synchronous encryptMessage write byte-identical messages. The
// Python ESDK (tests/python/esdk_check.py, the MPL's own KMS keyrings) decrypts both paths' messages.
//
// How the fallback is forced (tests only, no option in the API): crypto.subtle hidden, or its importKey / encrypt
// replaced by one that rejects, throws or answers wrong bytes (an own property on the SubtleCrypto instance,
// deleted afterwards). A spy on subtle.encrypt shows which path ran and how many frames were in flight at once.
import { PYTHON, havePython } from './python.mjs';
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodeCrypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadFixtures } = require('./fixtures.cjs');
const { KmsPublicKey } = require('kms-offline');

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const CHECK = path.join(REPO, 'tests', 'python', 'esdk_check.py');
const fixtures = Object.fromEntries(loadFixtures().map((f) => [f.name, f.data]));
const keyOf = (name) => KmsPublicKey.fromGetPublicKey(fixtures[name].GetPublicKey);

const SUITE_0478 = 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY';
const SUITE_0578 = 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384';
const FRAME = 1000;
const SIZES = { '0 B': 0, '1 B': 1, 'one frame': FRAME, 'many frames': 3 * FRAME + 17 };
const CASES = [
  ['RSA_2048_ENCRYPT_DECRYPT', SUITE_0478],
  ['ECC_NIST_P384_KEY_AGREEMENT', SUITE_0578],
];
const patterned = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
/** Odd chunks across frame boundaries. */
const chunked = (bytes, size = 777) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

const subtle = globalThis.crypto.subtle;
const realEncrypt = subtle.encrypt.bind(subtle);
const realImportKey = subtle.importKey.bind(subtle);
const realGetRandomValues = globalThis.crypto.getRandomValues.bind(globalThis.crypto);

/** subtle.encrypt calls seen, and the most in flight at once. */
const spy = { calls: 0, inFlight: 0, maxInFlight: 0 };
function spyOnEncrypt(answer = realEncrypt) {
  Object.assign(spy, { calls: 0, inFlight: 0, maxInFlight: 0 });
  subtle.encrypt = (...args) => {
    spy.calls += 1;
    spy.inFlight += 1;
    spy.maxInFlight = Math.max(spy.maxInFlight, spy.inFlight);
    const settled = () => (spy.inFlight -= 1);
    const promise = answer(...args, spy.calls);
    promise.then(settled, settled);
    return promise;
  };
}

/** The ways WebCrypto is made unavailable or unusable; each must end on the wasm AES-GCM with the same bytes. */
const FALLBACKS = {
  'crypto.subtle missing': () => Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true }),
  'importKey rejects': () => (subtle.importKey = () => Promise.reject(new DOMException('no', 'NotSupportedError'))),
  'encrypt rejects': () => spyOnEncrypt(() => Promise.reject(new DOMException('no', 'OperationError'))),
  'encrypt throws': () => spyOnEncrypt(() => {
    throw new TypeError('no');
  }),
  'encrypt answers wrong bytes (the header known answer catches it)': () =>
    spyOnEncrypt(async (...args) => {
      const sealed = new Uint8Array(await realEncrypt(...args.slice(0, 3)));
      sealed[0] ^= 1;
      return sealed.buffer;
    }),
  'encrypt rejects from the third frame on (mid-stream)': () =>
    spyOnEncrypt((params, key, data, call) => (call <= 3 ? realEncrypt(params, key, data) : Promise.reject(new Error('gone')))),
  'encrypt answers a wrong length from the second frame on': () =>
    spyOnEncrypt(async (params, key, data, call) => {
      const sealed = await realEncrypt(params, key, data);
      return call <= 2 ? sealed : sealed.slice(1);
    }),
};

function restore() {
  delete globalThis.crypto.subtle; // an own property shadowing the prototype's getter, if any
  delete subtle.encrypt;
  delete subtle.importKey;
  globalThis.crypto.getRandomValues = realGetRandomValues;
  assert.equal(globalThis.crypto.subtle, subtle);
  assert.equal(subtle.importKey, Object.getPrototypeOf(subtle).importKey);
}
afterEach(restore);

/** crypto.getRandomValues from a fixed seed: every random draw of the core (message ID, data key, OAEP seed, ECDH
 * and signing keys) is then the same in two runs. */
function fixRandomness(seed) {
  let counter = 0;
  globalThis.crypto.getRandomValues = (view) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let at = 0; at < bytes.length; at += 32) {
      const block = nodeCrypto.createHash('sha256').update(`${seed}:${(counter += 1)}`).digest();
      bytes.set(block.subarray(0, Math.min(32, bytes.length - at)), at);
    }
    return view;
  };
}

async function streamed(name, source, options) {
  const parts = [];
  for await (const chunk of keyOf(name).encryptMessageStream(source, options)) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('WebCrypto and wasm AES-GCM give byte-identical messages (randomness fixed)', () => {
  for (const [name, suite] of CASES) {
    for (const [label, size] of Object.entries(SIZES)) {
      it(`${name} ${suite}: ${label}`, async () => {
        const plaintext = patterned(size);
        const options = { FrameLength: FRAME, AlgorithmSuite: suite, EncryptionContext: { purpose: 'same bytes' } };
        fixRandomness(`${name}/${size}`);
        const whole = Buffer.from(keyOf(name).encryptMessage({ Plaintext: plaintext, ...options }));
        fixRandomness(`${name}/${size}`);
        spyOnEncrypt();
        const webcrypto = await streamed(name, chunked(plaintext), options);
        // The header's known answer, then one call per frame (the final frame included).
        assert.equal(spy.calls, 1 + Math.floor(size / FRAME) + 1, 'every frame went through subtle.encrypt');
        assert.deepEqual(webcrypto, whole, 'WebCrypto path = encryptMessage (wasm)');
        for (const [fallback, force] of Object.entries(FALLBACKS)) {
          restore();
          fixRandomness(`${name}/${size}`);
          force();
          assert.deepEqual(await streamed(name, chunked(plaintext), options), whole, `${fallback}: same bytes`);
        }
      });
    }
  }

  it('a source that reuses its buffer after handing it over: the message is of the bytes as handed over', async () => {
    const name = 'RSA_2048_ENCRYPT_DECRYPT';
    const plaintext = patterned(10 * 512 + 3, 9);
    const options = { FrameLength: FRAME };
    fixRandomness('reuse');
    const expected = Buffer.from(keyOf(name).encryptMessage({ Plaintext: plaintext, ...options }));
    const reused = new Uint8Array(512);
    const source = (async function* () {
      for (let at = 0; at < plaintext.length; at += 512) {
        const piece = plaintext.subarray(at, at + 512);
        reused.set(piece);
        yield reused.subarray(0, piece.length);
        reused.fill(0xee); // the caller scribbles over its buffer once the next chunk is asked for
      }
    })();
    fixRandomness('reuse');
    spyOnEncrypt();
    assert.deepEqual(await streamed(name, source, options), expected);
    assert.ok(spy.calls > 1);
  });
});

describe('the frames in flight are bounded', () => {
  it('64 frames at most, whatever the chunks; about 8 MiB of plaintext when frames are large', async () => {
    spyOnEncrypt();
    const small = Array.from({ length: 1000 }, (_, i) => patterned(FRAME, i));
    const message = await streamed('RSA_2048_ENCRYPT_DECRYPT', small, { FrameLength: FRAME });
    assert.equal(spy.calls, 1 + 1000 + 1);
    assert.ok(spy.maxInFlight <= 64 + 1, `at most 64 frames (+ the one being sent), saw ${spy.maxInFlight}`);
    assert.ok(spy.maxInFlight > 8, `frames are sealed concurrently, saw ${spy.maxInFlight}`);
    assert.ok(message.length > 1000 * FRAME);

    // One large chunk of many small frames: still 64 at a time (not the whole chunk's 2000 at once).
    spyOnEncrypt();
    await streamed('RSA_2048_ENCRYPT_DECRYPT', [patterned(200_000)], { FrameLength: 100 });
    assert.equal(spy.calls, 1 + 2000 + 1);
    assert.ok(spy.maxInFlight <= 64 + 1, `one chunk of 2000 frames: at most 64 in flight, saw ${spy.maxInFlight}`);

    spyOnEncrypt();
    const MiB = 1 << 20;
    const block = patterned(MiB, 5);
    let largest = 0;
    for await (const chunk of keyOf('RSA_2048_ENCRYPT_DECRYPT').encryptMessageStream(Array(24).fill(block), { FrameLength: MiB })) {
      largest = Math.max(largest, chunk.length);
    }
    assert.ok(spy.maxInFlight <= 8 + 1, `8 MiB of 1 MiB frames (+ one chunk's), saw ${spy.maxInFlight}`);
    assert.ok(largest < 2 * MiB + 1024, `an output chunk is about 1 MiB (at least one frame), saw ${largest}`);
  });
});

const missing = !havePython ? `$KMS_PYTHON (${PYTHON})` : !fs.existsSync(CHECK) ? CHECK : null;
if (missing && process.env.CI === 'true') throw new Error(`the ESDK reference check needs ${missing}: run scripts/setup.sh and source scripts/env.sh`);

describe('the Python ESDK decrypts the messages of both paths', { skip: missing ? `no ${missing}` : false }, () => {
  let dir;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-esdk-webcrypto-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let counter = 0;
  const write = (bytes) => {
    const file = path.join(dir, `f${(counter += 1)}.bin`);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const decrypt = (name, message, plaintext) =>
    new Promise((resolve) => {
      const args = [CHECK, 'decrypt', '--key', path.join(KEYS, `${name}.json`), '--in', write(message), '--expect', write(plaintext)];
      execFile(PYTHON, args, (error, stdout) => resolve({ code: error ? error.code : 0, out: stdout.trim().split('\n').pop() }));
    });

  for (const [name, suite] of CASES) {
    for (const path of ['WebCrypto', 'wasm']) {
      it(`${name} ${suite}, ${path} AES-GCM: 0 B, 1 B, one frame, many frames`, async () => {
        const messages = [];
        for (const size of Object.values(SIZES)) {
          restore();
          spyOnEncrypt();
          if (path === 'wasm') FALLBACKS['crypto.subtle missing']();
          const plaintext = patterned(size, 3);
          messages.push([await streamed(name, chunked(plaintext), { FrameLength: FRAME, AlgorithmSuite: suite }), plaintext]);
          assert.equal(spy.calls > 0, path === 'WebCrypto');
        }
        for (const [message, plaintext] of messages) {
          const { code, out } = await decrypt(name, message, plaintext);
          assert.equal(code, 0, `${plaintext.length} bytes: ${out}`);
          assert.equal(JSON.parse(out).suite, suite === SUITE_0478 ? '0x0478' : '0x0578');
        }
      });
    }
  }
});
