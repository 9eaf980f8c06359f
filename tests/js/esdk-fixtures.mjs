// The ESDK messages every runtime makes for the Python ESDK to decrypt (issue 23's "made in Node, Deno, a browser and
// Workers"): which keys, suites, sizes and contexts, the seeded plaintext, and the making itself through the package's
// public API (key.encryptMessage, key.encryptMessageStream from a Web ReadableStream). No imports and no runtime API
// beyond ReadableStream, so Deno, a browser page and a Cloudflare Worker run this same file; the Node/Deno side that
// hashes the plaintext and runs the Python reference is tests/js/esdk-reference.mjs.

/** The frame length of the small cases (the ESDK's default). */
export const FRAME = 4096;
/** The frame length of the 100 MiB cases (fewer, larger frames: the stream's throughput, not the frame count). */
export const BIG_FRAME = 64 * 1024;
export const MiB = 1 << 20;

/** Issue 23's sizes. 100 MiB is a stream only (encryptMessage of it would hold it all in memory). */
export const SIZES = [
  ['0 B', 0],
  ['1 B', 1],
  ['one frame', FRAME],
  ['many frames', 3 * FRAME + 17],
];
export const BIG = ['100 MiB', 100 * MiB];

/** An encryption context with non-ASCII and an empty value (what the ESDK serialises as UTF-8, sorted). */
export const CONTEXT = { purpose: 'esdk reach', 'ü-key': 'value ✓', a: '' };

/**
 * The keys: RSA with the committing non-signing suite (the AWS KMS RSA keyring refuses signing suites), the NIST
 * KEY_AGREEMENT keys with the package's default for ECDH (the ESDK's default 0x0578, signed); `suite` is the id the
 * reference reports. `big` marks the keys that also get a 100 MiB stream (one RSA, one ECDH: each takes ~10-20 s).
 */
export const KEYS = [
  { fixture: 'RSA_2048_ENCRYPT_DECRYPT', options: { AlgorithmSuite: 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY' }, suite: '0x0478', big: true },
  { fixture: 'ECC_NIST_P256_KEY_AGREEMENT', options: {}, suite: '0x0578', big: false },
  { fixture: 'ECC_NIST_P384_KEY_AGREEMENT', options: {}, suite: '0x0578', big: true },
];

/** The two public ways to make a message. */
export const APIS = ['encryptMessage', 'encryptMessageStream'];

/**
 * Every case a runtime makes: each key × size × context (with and without) × API, then the 100 MiB streams (with
 * a context for RSA, without for ECDH). Each has a distinct id (a file name) and seed.
 * @param {{ big?: boolean }} [options] big: false leaves the 100 MiB cases out
 */
export function cases({ big = true } = {}) {
  const list = [];
  for (const key of KEYS) {
    for (const [label, size] of SIZES) {
      for (const withContext of [false, true]) {
        for (const api of APIS) list.push(makeCase(key, label, size, withContext, api, FRAME));
      }
    }
  }
  if (big) {
    for (const key of KEYS.filter((k) => k.big)) {
      list.push(makeCase(key, BIG[0], BIG[1], key.fixture.startsWith('RSA'), 'encryptMessageStream', BIG_FRAME));
    }
  }
  list.forEach((c, i) => (c.seed = 0x5eed0000 + i));
  return list;
}

function makeCase(key, label, size, withContext, api, frameLength) {
  const id = `${key.fixture}-${label.replace(/ /g, '')}-${withContext ? 'ctx' : 'noctx'}-${api}`;
  return { id, fixture: key.fixture, suite: key.suite, options: key.options, label, size, withContext, api, frameLength };
}

/** mulberry32: a small seeded PRNG, the same 32-bit words in every JavaScript engine. */
function words(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * The plaintext of a case, as chunks of at most `chunkSize` bytes (a fresh Uint8Array each: the consumer may keep
 * or transfer it). The bytes depend on (seed, total) only, not on the chunking.
 */
export function* seededChunks(seed, total, chunkSize = MiB) {
  const next = words(seed);
  let word = 0;
  let left = 0; // bytes of `word` not used yet
  for (let done = 0; done < total; ) {
    const chunk = new Uint8Array(Math.min(chunkSize, total - done));
    for (let i = 0; i < chunk.length; i += 1) {
      if (left === 0) {
        word = next();
        left = 4;
      }
      chunk[i] = word & 0xff;
      word >>>= 8;
      left -= 1;
    }
    done += chunk.length;
    yield chunk;
  }
}

/** The whole plaintext of a small case. */
export function seededBytes(seed, total) {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of seededChunks(seed, total)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The plaintext as a Web ReadableStream, generated as it is pulled (memory: one chunk). */
export function seededStream(seed, total, chunkSize = MiB) {
  const chunks = seededChunks(seed, total, chunkSize);
  return new ReadableStream({
    pull(controller) {
      const { done, value } = chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
}

/** The options a case passes to encryptMessage / encryptMessageStream. */
export function caseOptions(c) {
  return { ...c.options, FrameLength: c.frameLength, ...(c.withContext ? { EncryptionContext: CONTEXT } : {}) };
}

/**
 * Makes the message of case `c` with the package's `KmsPublicKey` for the key's GetPublicKey output: a
 * ReadableStream of its bytes (encryptMessage's one Uint8Array, or encryptMessageStream's output as it comes).
 */
export function makeMessage(KmsPublicKey, getPublicKey, c) {
  const key = KmsPublicKey.fromGetPublicKey(getPublicKey);
  if (c.api === 'encryptMessage') {
    const message = key.encryptMessage({ Plaintext: seededBytes(c.seed, c.size), ...caseOptions(c) });
    return new ReadableStream({
      start(controller) {
        controller.enqueue(message);
        controller.close();
      },
    });
  }
  return key.encryptMessageStream(seededStream(c.seed, c.size), caseOptions(c));
}
