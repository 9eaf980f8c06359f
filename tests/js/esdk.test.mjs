// AWS Encryption SDK messages made by the built package (key.encryptMessage, messageEncryptor,
// encryptMessageStream), decrypted by the reference: the Python ESDK 4.x with the Material Providers Library's OWN
// AWS KMS RSA keyring and AWS KMS ECDH keyring (KmsPublicKeyDiscovery), where only KMS is a local stand-in using the
// fixture's private key (tests/python/esdk_check.py). Every key and OAEP algorithm, every suite we emit, sizes 0 B,
// 1 B, one frame and many frames, with and without encryption context; tampered header, frame, tag and signature
// refused; a 100 MiB stream; and the ESDK's own messages for the same keys have the same header structure as ours.
//
// Needs $KMS_PYTHON (scripts/env.sh; made by scripts/setup.sh). Without it the reference checks are skipped, except
// under CI=true, where a missing interpreter or check script is a failure.
import { PYTHON, havePython } from './python.mjs';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadFixtures } = require('./fixtures.cjs');
const { KmsPublicKey } = require('kms-offline');

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const fixtures = Object.fromEntries(loadFixtures().map((f) => [f.name, f.data]));
const keyOf = (name) => KmsPublicKey.fromGetPublicKey(fixtures[name].GetPublicKey);

// KMS_ESDK_CHECK points at another copy of the script (development); the repository's is the default.
const CHECK = process.env.KMS_ESDK_CHECK || path.join(REPO, 'tests', 'python', 'esdk_check.py');
const missing = !havePython ? `$KMS_PYTHON (${PYTHON})` : !fs.existsSync(CHECK) ? CHECK : null;
if (missing && process.env.CI === 'true') throw new Error(`the ESDK reference check needs ${missing}: run scripts/setup.sh and source scripts/env.sh`);
const skip = missing ? `no ${missing}: run scripts/setup.sh and source scripts/env.sh` : false;

const SUITE_0478 = 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY';
const SUITE_0578 = 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384';
const FRAME = 4096;
const SIZES = { '0 B': 0, '1 B': 1, 'one frame': FRAME, 'many frames': 3 * FRAME + 17 };
const CONTEXT = { purpose: 'esdk test', 'ü-key': 'value ✓', a: '' };

let dir;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-esdk-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// Two checks at a time: the machine has two cores, and each check is a Python process of ~1 s.
let running = 0;
const waiting = [];
async function limited(task) {
  if (running >= 2) await new Promise((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** Runs esdk_check.py; resolves to { code, result } (its one JSON line). */
function check(args) {
  return limited(
    () =>
      new Promise((resolve) => {
        execFile(PYTHON, [CHECK, ...args], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          let result;
          try {
            result = JSON.parse(stdout.trim().split('\n').pop());
          } catch {
            result = { unparsed: stdout, stderr };
          }
          resolve({ code, result });
        });
      }),
  );
}

let counter = 0;
function write(bytes) {
  const file = path.join(dir, `f${(counter += 1)}.bin`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** Decrypts `message` with the reference for fixture `name`; resolves to esdk_check's { code, result }. */
function decrypt(name, message, { plaintext, context = {}, algorithm, sha256 } = {}) {
  const args = ['decrypt', '--key', path.join(KEYS, `${name}.json`), '--in', write(message), '--context', JSON.stringify(context)];
  if (algorithm) args.push('--algorithm', algorithm);
  if (plaintext) args.push('--expect', write(plaintext));
  if (sha256) args.push('--expect-sha256', sha256);
  return check(args);
}

function assertDecrypted({ code, result }, what) {
  assert.equal(code, 0, `${what}: ${JSON.stringify(result)}`);
  assert.equal(result.ok, true, what);
}

function assertRefused({ code, result }, what) {
  assert.equal(code, 1, `${what} must be refused by the ESDK (exit 1), got ${code}: ${JSON.stringify(result)}`);
  assert.equal(result.ok, false);
}

const patterned = (n, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** Every combination of key, wrapping algorithm and suite this writer emits. */
const COMBOS = [
  ...['RSA_2048', 'RSA_3072', 'RSA_4096'].flatMap((spec) =>
    ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'].map((algorithm) => ({
      name: `${spec}_ENCRYPT_DECRYPT`,
      options: { EncryptionAlgorithm: algorithm },
      algorithm,
      suite: SUITE_0478,
    })),
  ),
  ...['P256', 'P384', 'P521'].flatMap((curve) =>
    [SUITE_0478, SUITE_0578].map((suite) => ({ name: `ECC_NIST_${curve}_KEY_AGREEMENT`, options: { AlgorithmSuite: suite }, suite })),
  ),
];

describe('the Python ESDK decrypts our messages with its own KMS keyrings', { skip }, () => {
  COMBOS.forEach((combo, comboIndex) => {
    Object.entries(SIZES).forEach(([label, size], sizeIndex) => {
      // Every combination gets sizes with and without a context, and every size both ways across combinations.
      const withContext = (comboIndex + sizeIndex) % 2 === 1;
      const title = `${combo.name} ${combo.algorithm ?? 'ECDH'} ${combo.suite}: ${label}${withContext ? ', with context' : ''}`;
      it(title, async () => {
        const plaintext = patterned(size, comboIndex);
        const options = { ...combo.options, FrameLength: FRAME, ...(withContext ? { EncryptionContext: CONTEXT } : {}) };
        const message = keyOf(combo.name).encryptMessage({ Plaintext: plaintext, ...options });
        const outcome = await decrypt(combo.name, message, { plaintext, context: withContext ? CONTEXT : {}, algorithm: combo.algorithm });
        assertDecrypted(outcome, title);
        assert.equal(outcome.result.suite, combo.suite === SUITE_0478 ? '0x0478' : '0x0578');
      });
    });
  });

  it('the defaults: 0x0478 and RSAES_OAEP_SHA_256 for RSA, 0x0578 for ECDH', async () => {
    for (const [name, suite] of [['RSA_2048_ENCRYPT_DECRYPT', '0x0478'], ['ECC_NIST_P256_KEY_AGREEMENT', '0x0578']]) {
      const plaintext = patterned(100);
      const outcome = await decrypt(name, keyOf(name).encryptMessage({ Plaintext: plaintext }), { plaintext });
      assertDecrypted(outcome, name);
      assert.equal(outcome.result.suite, suite);
    }
  });

  it('the decrypting side must name the same OAEP algorithm (the keyring is configured with it)', async () => {
    const name = 'RSA_2048_ENCRYPT_DECRYPT';
    const message = keyOf(name).encryptMessage({ Plaintext: patterned(10), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' });
    assertRefused(await decrypt(name, message, { algorithm: 'RSAES_OAEP_SHA_256' }), 'SHA-1 data key opened as SHA-256');
  });

  it('a message for one key is not decrypted with another', async () => {
    const message = keyOf('ECC_NIST_P256_KEY_AGREEMENT').encryptMessage({ Plaintext: patterned(10) });
    assertRefused(await decrypt('ECC_NIST_P384_KEY_AGREEMENT', message), 'P-256 message with the P-384 key');
  });

  it('messageEncryptor (update/finish in odd chunks) and encryptMessageStream give messages the ESDK decrypts', async () => {
    const name = 'ECC_NIST_P521_KEY_AGREEMENT';
    const plaintext = patterned(50_000, 7);
    const encryptor = keyOf(name).messageEncryptor({ FrameLength: 1000, EncryptionContext: CONTEXT });
    const parts = [];
    for (let at = 0; at < plaintext.length; at += 777) parts.push(encryptor.update(plaintext.subarray(at, at + 777)));
    parts.push(encryptor.finish());
    assertDecrypted(await decrypt(name, Buffer.concat(parts), { plaintext, context: CONTEXT }), 'messageEncryptor');

    for (const [label, source] of [
      ['Blob', new Blob([plaintext])],
      ['Node Readable', Readable.from([plaintext.subarray(0, 12345), plaintext.subarray(12345)])],
      ['ReadableStream', new Blob([plaintext]).stream()],
      ['array of chunks', [plaintext.subarray(0, 1), plaintext.subarray(1)]],
      ['Uint8Array', plaintext],
    ]) {
      const stream = keyOf('RSA_3072_ENCRYPT_DECRYPT').encryptMessageStream(source, { FrameLength: 4000 });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      assertDecrypted(await decrypt('RSA_3072_ENCRYPT_DECRYPT', Buffer.concat(chunks), { plaintext }), label);
    }
  });
});

describe('tampered messages are refused by the Python ESDK', { skip }, () => {
  /** Flips one bit at `offset` of a copy. */
  const flip = (message, offset) => {
    const copy = Uint8Array.from(message);
    copy[offset] ^= 0x01;
    return copy;
  };

  for (const [name, suite] of [['ECC_NIST_P384_KEY_AGREEMENT', SUITE_0578], ['RSA_2048_ENCRYPT_DECRYPT', SUITE_0478]]) {
    it(`${name} ${suite}: header, frame content, frame tag${suite === SUITE_0578 ? ', signature' : ''}`, async () => {
      const plaintext = patterned(3 * 1000 + 5);
      const message = keyOf(name).encryptMessage({ Plaintext: plaintext, FrameLength: 1000, AlgorithmSuite: suite, EncryptionContext: CONTEXT });
      const described = await check(['describe', '--in', write(message)]);
      assert.equal(described.code, 0, JSON.stringify(described.result));
      const layout = described.result;
      const first = layout.frames.first;
      const cases = {
        'message ID in the header': 5,
        'frame length in the header': layout.header_body_length - 32 - 1,
        'header authentication tag': layout.header_auth_offset + 3,
        'first frame content': first.content_offset + 10,
        'first frame tag': first.tag_offset + 2,
        'final frame tag': layout.frames.last.tag_offset,
      };
      if (suite === SUITE_0578) cases['footer signature'] = layout.footer.offset + 2 + 20;
      assertDecrypted(await decrypt(name, message, { plaintext, context: CONTEXT }), 'untampered');
      for (const [what, offset] of Object.entries(cases)) {
        assertRefused(await decrypt(name, flip(message, offset), { context: CONTEXT }), what);
      }
      assertRefused(await decrypt(name, message.subarray(0, message.length - 1), { context: CONTEXT }), 'truncated');
      assertRefused(await decrypt(name, message, { context: { ...CONTEXT, purpose: 'other' } }), 'another context');
    });
  }
});

describe("the ESDK's own messages for these keys have our header structure", { skip }, () => {
  /** A raw-ecdh provider info up to the sender's key (version, recipient length, recipient: the KMS key), in hex. */
  const recipientPart = (infoHex) => {
    const pointBytes = (infoHex.length / 2 - 9) / 2;
    return infoHex.slice(0, 2 * (1 + 4 + pointBytes));
  };
  /** What must agree between two messages for one key and suite: everything but the random values. */
  const structure = (d) => ({
    version: d.version,
    suite: d.suite,
    contextKeys: Object.keys(d.encryption_context).sort(),
    edks: d.encrypted_data_keys.map((k) => ({
      provider_id: k.provider_id,
      info: k.provider_id === 'aws-kms-rsa' ? Buffer.from(k.provider_info, 'hex').toString() : k.provider_info.length,
      recipient: k.provider_id === 'raw-ecdh' ? recipientPart(k.provider_info) : null,
      ciphertext_length: k.ciphertext_length,
    })),
    content_type: d.content_type,
    frame_length: d.frame_length,
    commitment: d.commitment_key_present,
  });

  for (const [name, suite] of [
    ['RSA_4096_ENCRYPT_DECRYPT', '0x0478'],
    ['ECC_NIST_P256_KEY_AGREEMENT', '0x0578'],
    ['ECC_NIST_P521_KEY_AGREEMENT', '0x0478'],
  ]) {
    it(`${name} ${suite}`, async () => {
      const plain = write(patterned(5000));
      const theirs = path.join(dir, `theirs-${name}.msg`);
      const made = await check(['encrypt', '--key', path.join(KEYS, `${name}.json`), '--in', plain, '--out', theirs, '--suite', suite, '--context', JSON.stringify(CONTEXT)]);
      assert.equal(made.code, 0, JSON.stringify(made.result));
      const ours = keyOf(name).encryptMessage({
        Plaintext: patterned(5000),
        EncryptionContext: CONTEXT,
        AlgorithmSuite: suite === '0x0478' ? SUITE_0478 : SUITE_0578,
      });
      const [a, b] = await Promise.all([check(['describe', '--in', theirs]), check(['describe', '--in', write(ours)])]);
      assert.deepEqual(structure(b.result), structure(a.result));
    });
  }
});

describe('a 100 MiB stream', { skip }, () => {
  it('encryptMessageStream of 100 MiB from a Node Readable: the Python ESDK decrypts it (streaming) to the same SHA-256', async () => {
    const MiB = 1 << 20;
    const block = patterned(MiB, 3);
    const expected = crypto.createHash('sha256');
    for (let i = 0; i < 100; i += 1) expected.update(block);
    const source = Readable.from((function* () {
      for (let i = 0; i < 100; i += 1) yield block;
    })());
    const file = path.join(dir, 'big.msg');
    const out = fs.createWriteStream(file);
    let peak = 0;
    for await (const chunk of keyOf('ECC_NIST_P384_KEY_AGREEMENT').encryptMessageStream(source, { FrameLength: 64 * 1024 })) {
      peak = Math.max(peak, chunk.length);
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
    }
    await new Promise((resolve) => out.end(resolve));
    // Bounded: no output chunk is more than one source chunk's frames (plus the header).
    assert.ok(peak < 2 * MiB, `largest output chunk ${peak} bytes`);
    const { code, result } = await check(['decrypt', '--key', path.join(KEYS, 'ECC_NIST_P384_KEY_AGREEMENT.json'), '--in', file, '--expect-sha256', expected.digest('hex')]);
    assert.equal(code, 0, JSON.stringify(result));
  });
});

describe('encryptMessage refusals carry KMS exception names (no Python needed)', () => {
  const refused = (fn) => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    assert.fail('expected a refusal');
  };

  it('keys without an ESDK keyring, keys that cannot encrypt, bad options', () => {
    const cases = [
      ['SM2_ENCRYPT_DECRYPT', {}, 'UnsupportedOperationException', /no AWS Encryption SDK keyring/],
      ['ML_KEM_768_ENCAPSULATE_DECAPSULATE', {}, 'UnsupportedOperationException', /ML-KEM/],
      ['RSA_2048_SIGN_VERIFY', {}, 'InvalidKeyUsageException', /SIGN_VERIFY/],
      ['RSA_2048_ENCRYPT_DECRYPT', { AlgorithmSuite: SUITE_0578 }, 'ValidationException', /RSA keyring refuses every signing suite/],
      ['RSA_2048_ENCRYPT_DECRYPT', { EncryptionAlgorithm: 'SM2PKE' }, 'InvalidKeyUsageException', /SM2PKE/],
      ['RSA_2048_ENCRYPT_DECRYPT', { EncryptionAlgorithm: 'NOPE' }, 'ValidationException', /EncryptionAlgorithm/],
      ['RSA_2048_ENCRYPT_DECRYPT', { AlgorithmSuite: 'ALG_AES_256_GCM_IV12_TAG16_HKDF_SHA256' }, 'ValidationException', /committing/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { FrameLength: 0 }, 'ValidationException', /FrameLength/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { FrameLength: 1.5 }, 'ValidationException', /whole number/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { FrameLength: '4096' }, 'ValidationException', /whole number/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { EncryptionContext: { 'aws-crypto-x': 'y' } }, 'ValidationException', /reserves/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { EncryptionContext: { a: 1 } }, 'ValidationException', /string values/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { EncryptionContext: ['a'] }, 'ValidationException', /object of string/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { EncryptionContext: { a: 'lone \ud800' } }, 'ValidationException', /lone surrogate/],
      ['ECC_NIST_P256_KEY_AGREEMENT', { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, 'ValidationException', /for RSA keys/],
    ];
    for (const [name, options, exception, message] of cases) {
      const key = keyOf(name);
      for (const call of [
        () => key.encryptMessage({ Plaintext: new Uint8Array(1), ...options }),
        () => key.messageEncryptor(options),
        () => key.encryptMessageStream(new Uint8Array(1), options),
      ]) {
        const error = refused(call);
        assert.equal(error.name, exception, `${name} ${JSON.stringify(options)}: ${error.message}`);
        assert.match(error.message, message);
      }
    }
  });

  it('Plaintext is required; a string needs PlaintextEncoding; text chunks are refused', async () => {
    const key = keyOf('ECC_NIST_P256_KEY_AGREEMENT');
    assert.equal(refused(() => key.encryptMessage({})).name, 'ValidationException');
    assert.match(refused(() => key.encryptMessage({ Plaintext: 'text' })).message, /PlaintextEncoding/);
    assert.ok(key.encryptMessage({ Plaintext: 'text', PlaintextEncoding: 'utf8' }) instanceof Uint8Array);
    const encryptor = key.messageEncryptor();
    assert.equal(refused(() => encryptor.update('text')).name, 'ValidationException');
    encryptor.finish();
    assert.match(refused(() => encryptor.finish()).message, /finished/);
    const stream = key.encryptMessageStream(['text']);
    await assert.rejects(async () => {
      for await (const chunk of stream) void chunk;
    }, /text chunk/);
    assert.match(refused(() => key.encryptMessageStream(42)).message, /source must be/);
  });

  it('a source that fails ends the stream with its error, and cancelling the output stops the source', async () => {
    const key = keyOf('RSA_2048_ENCRYPT_DECRYPT');
    const failing = (async function* () {
      yield new Uint8Array(10);
      throw new Error('disk gone');
    })();
    await assert.rejects(async () => {
      for await (const chunk of key.encryptMessageStream(failing, { FrameLength: 5 })) void chunk;
    }, /disk gone/);
    let stopped = false;
    const endless = {
      [Symbol.asyncIterator]() {
        return { next: async () => ({ done: false, value: new Uint8Array(100) }), return: async () => ((stopped = true), { done: true }) };
      },
    };
    const reader = key.encryptMessageStream(endless, { FrameLength: 10 }).getReader();
    await reader.read();
    await reader.cancel();
    assert.ok(stopped, 'the source iterator was returned');
  });
});
