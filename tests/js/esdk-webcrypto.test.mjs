// encryptMessageStream seals its frames with node:crypto's AES-256-GCM where the runtime has it
// (process.getBuiltinModule('node:crypto'): Node 20.16+, Bun, Deno; synchronous, a frame at a time, the data key a
// KeyObject; a signing suite's SHA-384 by its createHash too), else with WebCrypto AES-GCM (crypto.subtle.encrypt,
// the data key imported non-extractable), else with the wasm AES-GCM. All give the same bytes: with
// crypto.getRandomValues made deterministic here (the glue calls globalThis.crypto.getRandomValues at each draw),
// the node:crypto path, the WebCrypto path, every fallback and the synchronous encryptMessage write byte-identical
// messages. The Python ESDK (tests/python/esdk_check.py, the MPL's own KMS keyrings) decrypts every path's messages.
//
// How the fallbacks are forced (tests only, no option in the API): process.getBuiltinModule hidden, or node:crypto's
// createSecretKey / createCipheriv / createHash replaced by one that throws or answers wrong bytes (assignments on
// the module object, which getBuiltinModule returns; restored afterwards); crypto.subtle hidden, or its importKey /
// encrypt replaced likewise (an own property on the SubtleCrypto instance, deleted afterwards). Spies on
// createCipheriv, createHash and subtle.encrypt show which path ran (and how many frames were in flight at once).
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

const nodeCryptoModule = process.getBuiltinModule('node:crypto');
const SPIED = ['createSecretKey', 'createCipheriv', 'createHash'];
const realNode = Object.fromEntries(SPIED.map((name) => [name, nodeCryptoModule[name]]));
const realGetBuiltinModule = process.getBuiltinModule;
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

/** node:crypto calls seen: createCipheriv (the known answer, then one a frame) and createHash('sha384'). */
const nodeSpy = { ciphers: 0, hashes: 0 };
function spyOnNode({ cipher = (...args) => realNode.createCipheriv(...args.slice(0, 3)), hash = (algorithm) => realNode.createHash(algorithm) } = {}) {
  Object.assign(nodeSpy, { ciphers: 0, hashes: 0 });
  nodeCryptoModule.createCipheriv = (...args) => cipher(...args, (nodeSpy.ciphers += 1));
  // (fixRandomness below draws with createHash('sha256'): only SHA-384 is counted)
  nodeCryptoModule.createHash = (...args) => (args[0] === 'sha384' ? hash(...args, (nodeSpy.hashes += 1)) : realNode.createHash(...args));
}
/** A real cipher whose method `name` answers through `change`. */
const cipherWith = (name, change) => (...args) => {
  const cipher = realNode.createCipheriv(...args.slice(0, 3));
  const real = cipher[name].bind(cipher);
  cipher[name] = (...a) => change(real(...a), args.at(-1));
  return cipher;
};
const hideNodeCrypto = () => (process.getBuiltinModule = undefined);

/** The ways node:crypto is made unavailable or unusable before any frame: each must end on WebCrypto, same bytes. */
const NODE_TO_WEBCRYPTO = {
  'process.getBuiltinModule missing': hideNodeCrypto,
  'getBuiltinModule gives nothing': () => (process.getBuiltinModule = () => undefined),
  'createSecretKey throws': () => (nodeCryptoModule.createSecretKey = () => {
    throw new TypeError('no');
  }),
  'createCipheriv throws': () => spyOnNode({ cipher: () => {
    throw new Error('no');
  } }),
  'the tag is wrong (the header known answer catches it)': () =>
    spyOnNode({ cipher: cipherWith('getAuthTag', (tag) => Buffer.from(tag.map((b, i) => (i ? b : b ^ 1)))) }),
};
/** node:crypto failing after the known answer: that frame and the rest are sealed in wasm, same bytes. */
const NODE_TO_WASM = {
  'createCipheriv throws from the third call on (mid-stream)': () =>
    spyOnNode({ cipher: (...args) => {
      if (args.at(-1) >= 3) throw new Error('gone');
      return realNode.createCipheriv(...args.slice(0, 3));
    } }),
  'update answers a wrong length from the second frame on': () =>
    spyOnNode({ cipher: cipherWith('update', (out, call) => (call >= 3 ? out.subarray(1) : out)) }),
};
/** node:crypto's SHA-384 unusable: the node:crypto sealer stays, the core hashes the signing suite, same bytes. */
const NODE_HASH_REFUSED = {
  'createHash throws': () => spyOnNode({ hash: () => {
    throw new Error('no');
  } }),
  'the header digest is wrong (the known answer catches it)': () =>
    spyOnNode({ hash: (...args) => {
      const hash = realNode.createHash(...args.slice(0, 1));
      const copy = hash.copy.bind(hash);
      hash.copy = () => {
        const copied = copy();
        copied.digest = () => Buffer.alloc(48);
        return copied;
      };
      return hash;
    } }),
};

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
  Object.assign(nodeCryptoModule, realNode);
  process.getBuiltinModule = realGetBuiltinModule;
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

describe('node:crypto, WebCrypto and wasm AES-GCM give byte-identical messages (randomness fixed)', () => {
  for (const [name, suite] of CASES) {
    for (const [label, size] of Object.entries(SIZES)) {
      it(`${name} ${suite}: ${label}`, async () => {
        const plaintext = patterned(size);
        const options = { FrameLength: FRAME, AlgorithmSuite: suite, EncryptionContext: { purpose: 'same bytes' } };
        const frames = Math.floor(size / FRAME) + 1;
        // The reference: encryptMessage with the wasm AES-GCM and SHA-384 (node:crypto hidden).
        fixRandomness(`${name}/${size}`);
        hideNodeCrypto();
        const whole = Buffer.from(keyOf(name).encryptMessage({ Plaintext: plaintext, ...options }));
        restore();
        fixRandomness(`${name}/${size}`);
        spyOnNode();
        const wholeByNode = Buffer.from(keyOf(name).encryptMessage({ Plaintext: plaintext, ...options }));
        assert.equal(nodeSpy.ciphers, 1 + frames, 'encryptMessage: every frame went through node:crypto createCipheriv');
        assert.equal(nodeSpy.hashes, suite === SUITE_0578 ? 1 : 0, 'encryptMessage: a signing suite hashed by node:crypto');
        assert.deepEqual(wholeByNode, whole, 'encryptMessage through node:crypto = through wasm');
        for (const chunks of [chunked(plaintext), chunked(plaintext, 1)]) {
          for (const node of [true, false]) {
            restore();
            fixRandomness(`${name}/${size}`);
            spyOnNode();
            if (!node) hideNodeCrypto();
            const encryptor = keyOf(name).messageEncryptor(options);
            const parts = chunks.map((chunk) => encryptor.update(chunk));
            parts.push(encryptor.finish());
            assert.equal(nodeSpy.ciphers, node ? 1 + frames : 0, `messageEncryptor: node:crypto ${node ? '' : 'not '}used`);
            assert.deepEqual(Buffer.concat(parts), whole, `messageEncryptor (node:crypto ${node}, chunks of ${chunks[0]?.length}) = encryptMessage through wasm`);
          }
        }
        for (const [fallback, force] of Object.entries({ ...NODE_TO_WEBCRYPTO, ...NODE_TO_WASM, ...NODE_HASH_REFUSED })) {
          restore();
          fixRandomness(`${name}/${size}`);
          force();
          assert.deepEqual(Buffer.from(keyOf(name).encryptMessage({ Plaintext: plaintext, ...options })), whole, `encryptMessage, ${fallback}: same bytes`);
        }
        restore();
        for (const chunks of [chunked(plaintext), chunked(plaintext, 1), [plaintext]]) {
          fixRandomness(`${name}/${size}`);
          spyOnNode();
          spyOnEncrypt();
          const node = await streamed(name, chunks, options);
          // The header's known answer, then one cipher per frame (the final frame included); the SHA-384 of a signing suite.
          assert.equal(nodeSpy.ciphers, 1 + frames, 'every frame went through node:crypto createCipheriv');
          assert.equal(nodeSpy.hashes, suite === SUITE_0578 ? 1 : 0, 'a signing suite hashed by node:crypto');
          assert.equal(spy.calls, 0, 'WebCrypto unused where node:crypto is');
          assert.deepEqual(node, whole, `node:crypto path (chunks of ${chunks[0]?.length}) = encryptMessage (wasm)`);
        }
        restore();
        fixRandomness(`${name}/${size}`);
        hideNodeCrypto();
        spyOnEncrypt();
        const webcrypto = await streamed(name, chunked(plaintext), options);
        // The header's known answer, then one call per frame (the final frame included).
        assert.equal(spy.calls, 1 + frames, 'every frame went through subtle.encrypt');
        assert.deepEqual(webcrypto, whole, 'WebCrypto path = encryptMessage (wasm)');
        for (const [fallback, force] of Object.entries(FALLBACKS)) {
          restore();
          fixRandomness(`${name}/${size}`);
          hideNodeCrypto();
          force();
          assert.deepEqual(await streamed(name, chunked(plaintext), options), whole, `${fallback}: same bytes`);
        }
        for (const [fallback, force] of Object.entries(NODE_TO_WEBCRYPTO)) {
          restore();
          fixRandomness(`${name}/${size}`);
          force();
          spyOnEncrypt();
          assert.deepEqual(await streamed(name, chunked(plaintext), options), whole, `${fallback}: same bytes`);
          assert.equal(spy.calls, 1 + frames, `${fallback}: WebCrypto sealed every frame`);
          restore();
          fixRandomness(`${name}/${size}`);
          force();
          FALLBACKS['crypto.subtle missing']();
          assert.deepEqual(await streamed(name, chunked(plaintext), options), whole, `${fallback}, no crypto.subtle: same bytes (wasm)`);
        }
        for (const [fallback, force] of Object.entries({ ...NODE_TO_WASM, ...NODE_HASH_REFUSED })) {
          restore();
          fixRandomness(`${name}/${size}`);
          force();
          spyOnEncrypt();
          assert.deepEqual(await streamed(name, chunked(plaintext), options), whole, `${fallback}: same bytes`);
          assert.equal(spy.calls, 0, `${fallback}: WebCrypto unused`);
          assert.ok(nodeSpy.ciphers >= 1, `${fallback}: node:crypto was chosen`);
        }
      });
    }
  }

  it("node:crypto's SHA-384 failing mid-message abandons it with KMSInternalException (no footer over a partial hash)", async () => {
    spyOnNode({ hash: (...args) => {
      const hash = realNode.createHash(...args.slice(0, 1));
      const update = hash.update.bind(hash);
      let calls = 0;
      hash.update = (bytes) => {
        if ((calls += 1) > 3) throw new Error('gone');
        return update(bytes);
      };
      return hash;
    } });
    const plaintext = patterned(2 << 20);
    const internal = (error) => {
      assert.equal(error.name, 'KMSInternalException');
      assert.match(error.message, /SHA-384 failed in the middle of the message/);
      return true;
    };
    await assert.rejects(streamed('ECC_NIST_P384_KEY_AGREEMENT', chunked(plaintext, 1 << 16), { FrameLength: FRAME }), internal);
    assert.throws(() => keyOf('ECC_NIST_P384_KEY_AGREEMENT').encryptMessage({ Plaintext: plaintext, FrameLength: FRAME }), internal);
    const encryptor = keyOf('ECC_NIST_P384_KEY_AGREEMENT').messageEncryptor({ FrameLength: FRAME });
    assert.throws(() => chunked(plaintext, 1 << 16).forEach((chunk) => encryptor.update(chunk)), internal);
    assert.throws(() => encryptor.finish(), /this MessageEncryptor is finished/, 'abandoned after the error');
  });

  it('a source that reuses its buffer after handing it over: the message is of the bytes as handed over', async () => {
    const name = 'RSA_2048_ENCRYPT_DECRYPT';
    const plaintext = patterned(10 * 512 + 3, 9);
    const options = { FrameLength: FRAME };
    fixRandomness('reuse');
    hideNodeCrypto();
    const expected = Buffer.from(keyOf(name).encryptMessage({ Plaintext: plaintext, ...options }));
    const reused = new Uint8Array(512);
    const source = async function* () {
      for (let at = 0; at < plaintext.length; at += 512) {
        const piece = plaintext.subarray(at, at + 512);
        reused.set(piece);
        yield reused.subarray(0, piece.length);
        reused.fill(0xee); // the caller scribbles over its buffer once the next chunk is asked for
      }
    };
    for (const sealer of ['node:crypto', 'WebCrypto']) {
      restore();
      fixRandomness('reuse');
      spyOnNode();
      spyOnEncrypt();
      if (sealer === 'WebCrypto') hideNodeCrypto();
      assert.deepEqual(await streamed(name, source(), options), expected, sealer);
      assert.ok((sealer === 'WebCrypto' ? spy.calls : nodeSpy.ciphers) > 1, sealer);
    }
  });
});

describe('the frames in flight are bounded', () => {
  it('WebCrypto: 64 frames at most, whatever the chunks; about 8 MiB of plaintext when frames are large', async () => {
    hideNodeCrypto();
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

describe('node:crypto seals as the frames are cut: memory is bounded', () => {
  it('reading one output chunk pulls about 1 MiB of the source; output chunks are about 1 MiB (at least one frame)', async () => {
    const MiB = 1 << 20;
    let pulled = 0;
    const source = (function* () {
      for (let i = 0; i < 64; i += 1) {
        pulled += 64 << 10;
        yield patterned(64 << 10, i);
      }
    })();
    const reader = keyOf('RSA_2048_ENCRYPT_DECRYPT').encryptMessageStream(source, {}).getReader();
    const first = await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the stream fill its queue (one chunk ahead)
    assert.ok(first.value.length > 0);
    assert.ok(pulled <= 3 * MiB, `a slow reader: at most ~2 pulls of ~1 MiB of the 4 MiB source read ahead, saw ${pulled}`);
    let largest = first.value.length;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) largest = Math.max(largest, chunk.value.length);
    assert.equal(pulled, 4 * MiB);
    assert.ok(largest < MiB + 4096 + 1024, `an output chunk is about 1 MiB, saw ${largest}`);

    spyOnNode();
    for await (const chunk of keyOf('RSA_2048_ENCRYPT_DECRYPT').encryptMessageStream(Array(3).fill(patterned(MiB)), { FrameLength: 2 * MiB })) {
      assert.ok(chunk.length <= 2 * MiB + 1024, `one 2 MiB frame a chunk at most, saw ${chunk.length}`);
    }
    assert.equal(nodeSpy.ciphers, 1 + 2);
  });
});

const missing = !havePython ? `$KMS_PYTHON (${PYTHON})` : !fs.existsSync(CHECK) ? CHECK : null;
if (missing && process.env.CI === 'true') throw new Error(`the ESDK reference check needs ${missing}: run scripts/setup.sh and source scripts/env.sh`);

describe('the Python ESDK decrypts the messages of every path', { skip: missing ? `no ${missing}` : false }, () => {
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
    for (const path of ['node:crypto', 'WebCrypto', 'wasm']) {
      it(`${name} ${suite}, ${path} AES-GCM: 0 B, 1 B, one frame, many frames; a flipped byte is refused`, async () => {
        const messages = [];
        for (const size of Object.values(SIZES)) {
          restore();
          spyOnNode();
          spyOnEncrypt();
          if (path !== 'node:crypto') hideNodeCrypto();
          if (path === 'wasm') FALLBACKS['crypto.subtle missing']();
          const plaintext = patterned(size, 3);
          messages.push([await streamed(name, chunked(plaintext), { FrameLength: FRAME, AlgorithmSuite: suite }), plaintext]);
          assert.equal(spy.calls > 0, path === 'WebCrypto');
          assert.equal(nodeSpy.ciphers > 0, path === 'node:crypto');
        }
        for (const [message, plaintext] of messages) {
          const { code, out } = await decrypt(name, message, plaintext);
          assert.equal(code, 0, `${plaintext.length} bytes: ${out}`);
          assert.equal(JSON.parse(out).suite, suite === SUITE_0478 ? '0x0478' : '0x0578');
        }
        const [message, plaintext] = messages.at(-1);
        const flipped = Buffer.from(message);
        flipped[flipped.length - 40] ^= 1; // the last frame's tag, or the signature of a signing suite
        assert.equal((await decrypt(name, flipped, plaintext)).code, 1, 'a flipped byte is refused');
      });
    }
  }
});
