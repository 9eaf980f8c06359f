// Seeded inputs for the malformed-input sweep (tests/js/sweep.test.mjs): a small PRNG, the corpus of real
// blobs made from the fixtures (SPKIs, signatures, JWS tokens, JWKs, ciphertexts, private keys), valid
// argument lists per export (templates) and the generators of wrong, empty, huge, truncated, bit-flipped
// and hostile values.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const KEYS_DIR = path.join(HERE, '..', 'fixtures', 'keys');

// ---- PRNG: sfc32 seeded through splitmix32 (deterministic across platforms and Node versions) -------

export function makeRng(seed) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  const rng = {
    u32,
    float: () => u32() / 2 ** 32,
    int: (n) => Math.floor((u32() / 2 ** 32) * n),
    range: (lo, hi) => lo + Math.floor((u32() / 2 ** 32) * (hi - lo + 1)),
    chance: (p) => u32() / 2 ** 32 < p,
    pick: (list) => list[Math.floor((u32() / 2 ** 32) * list.length)],
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const v = u32();
        out[i] = v;
        if (i + 1 < n) out[i + 1] = v >>> 8;
        if (i + 2 < n) out[i + 2] = v >>> 16;
        if (i + 3 < n) out[i + 3] = v >>> 24;
      }
      return out;
    },
    /** A weighted choice: entries [[weight, fn], ...]. */
    weighted(entries) {
      const total = entries.reduce((n, [w]) => n + w, 0);
      let x = (u32() / 2 ** 32) * total;
      for (const [w, f] of entries) {
        if ((x -= w) < 0) return f();
      }
      return entries[entries.length - 1][1]();
    },
  };
  return rng;
}

// ---- hostile values ---------------------------------------------------------------------------------

/** What our own hostile objects throw; seeing it come back means the caller's exception was rethrown. */
export class SweepSentinel extends Error {
  constructor(where) {
    super(`sweep sentinel thrown by a hostile input (${where})`);
    this.name = 'SweepSentinel';
  }
}

/** Values that throw when read (Proxies, revoked Proxies, detached buffers, throwing getters). */
export const HOSTILE = new WeakSet();
let hostileMade = 0;
const hostile = (value) => (HOSTILE.add(value), hostileMade++, value);
/** How many hostile values have been made so far (a call whose arguments made one is "hostile"). */
export const hostileCount = () => hostileMade;

function throwingProxy(target = {}) {
  const boom = (trap) => () => {
    throw new SweepSentinel(`Proxy ${trap}`);
  };
  return hostile(
    new Proxy(target, {
      get: boom('get'),
      has: boom('has'),
      ownKeys: boom('ownKeys'),
      getOwnPropertyDescriptor: boom('getOwnPropertyDescriptor'),
      getPrototypeOf: boom('getPrototypeOf'),
    }),
  );
}

function revokedProxy(target = {}) {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return hostile(proxy);
}

function detachedBuffer(n = 16) {
  const buffer = new ArrayBuffer(n);
  structuredClone(buffer, { transfer: [buffer] });
  return buffer;
}

function withThrowingGetter(object, name) {
  Object.defineProperty(object, name, {
    enumerable: true,
    configurable: true,
    get() {
      throw new SweepSentinel(`getter ${String(name)}`);
    },
  });
  return hostile(object);
}

function deepObject(depth) {
  let x = {};
  for (let i = 0; i < depth; i++) x = { a: x };
  return x;
}

function deepArray(depth) {
  let x = [];
  for (let i = 0; i < depth; i++) x = [x];
  return x;
}

// ---- vocabulary ---------------------------------------------------------------------------------------

export const VOCABULARY = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87', 'ML_KEM_512', 'ML_KEM_768', 'ML_KEM_1024', 'SM2',
  'SYMMETRIC_DEFAULT', 'HMAC_256', 'SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'KEY_AGREEMENT', 'ENCAPSULATE_DECAPSULATE',
  'GENERATE_VERIFY_MAC', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512',
  'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'ML_DSA_SHAKE_256', 'SM2DSA', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256',
  'SM2PKE', 'ECDH', 'ML_KEM', 'RAW', 'DIGEST', 'EXTERNAL_MU', 'DER', 'P1363', 'SHA-256', 'SHA-384', 'SHA-512', 'SM3',
  'SHA-1', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'RS256', 'PS256', 'ML-DSA-44', 'none', 'HS256',
  '1234567812345678', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  'arn:aws:kms:us-east-1:111122223333:alias/x', 'arn:aws:kms::1:key/', 'arn:', 'alias/x',
];

/** KMS and JOSE member names used by requests (extended with every member name the .d.ts declares). */
export const MEMBER_NAMES = new Set([
  'KeyId', 'PublicKey', 'KeySpec', 'CustomerMasterKeySpec', 'KeyUsage', 'SigningAlgorithms', 'EncryptionAlgorithms',
  'KeyAgreementAlgorithms', 'EncapsulationAlgorithms', 'Message', 'Signature', 'SigningAlgorithm', 'MessageType',
  'SignatureFormat', 'Plaintext', 'EncryptionAlgorithm', 'EncryptionContext', 'KeyAgreementAlgorithm', 'PrivateKey',
  'EncapsulationAlgorithm', 'Hash', 'Ikm', 'Salt', 'Info', 'Length', 'SharedSecret', 'FixedInfo', 'Payload', 'Alg',
  'ProtectedHeader', 'CurrentTime', 'ClockTolerance', 'Issuer', 'Audience', 'RequireExp', 'Digest', 'kty', 'crv',
  'x', 'y', 'n', 'e', 'pub', 'kid', 'alg', 'use', 'typ', 'crit', 'b64', 'exp', 'nbf', 'iss', 'aud', 'update', 'digest',
  'getReader', 'stream', 'size', 'length', 'then',
]);

/** Adds every `Name?:` / `Name:` member of the package's type declarations to MEMBER_NAMES. */
export function learnMemberNames(dtsText) {
  for (const m of dtsText.matchAll(/^\s+([A-Za-z_$][\w$]*)\??:/gm)) MEMBER_NAMES.add(m[1]);
}

// ---- fixtures and the corpus of real blobs -------------------------------------------------------------

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const fromB64 = (text) => new Uint8Array(Buffer.from(text, 'base64'));
const pemDer = (pem) => fromB64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

export function loadFixtures() {
  return readdirSync(KEYS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(path.join(KEYS_DIR, f), 'utf8')) }));
}

const NOBLE_EC = { ECC_NIST_P256: [p256, 32], ECC_NIST_P384: [p384, 48], ECC_NIST_P521: [p521, 66], ECC_SECG_P256K1: [secp256k1, 32] };
const NOBLE_ML_DSA = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 };

/** The private scalar inside an EC PKCS#8 (ECPrivateKey ... 02 01 01 04 <len> d). */
function ecScalar(pem, len) {
  const der = pemDer(pem);
  for (let i = 0; i + 5 < der.length; i++) {
    if (der[i] === 2 && der[i + 1] === 1 && der[i + 2] === 1 && der[i + 3] === 4 && der[i + 4] === len) return der.slice(i + 5, i + 5 + len);
  }
  throw new Error('no EC private key in PKCS#8');
}

/**
 * What KMS Sign returns for a RAW SignRequest (ECDSA as DER), made with the fixture's private key.
 * Deterministic, so a seed reproduces the corpus: RSA PKCS#1 v1.5 and Ed25519 are by construction,
 * ECDSA uses RFC 6979 (noble), ML-DSA the deterministic variant (noble, extraEntropy false).
 */
function kmsSign(fx, signRequest) {
  const { Message, SigningAlgorithm, MessageType } = signRequest;
  const spec = fx.GetPublicKey.KeySpec;
  if (MessageType !== 'RAW') throw new Error('corpus signs RAW requests only');
  if (SigningAlgorithm === 'ED25519_SHA_512') return crypto.sign(null, Message, fx.PrivateKeyPem);
  if (NOBLE_EC[spec]) {
    const [curve, len] = NOBLE_EC[spec];
    return curve.sign(Message, ecScalar(fx.PrivateKeyPem, len), { lowS: false, format: 'der' });
  }
  if (NOBLE_ML_DSA[spec]) {
    const { secretKey } = NOBLE_ML_DSA[spec].keygen(fromB64(fx.PrivateKeySeed));
    return NOBLE_ML_DSA[spec].sign(Message, secretKey, { extraEntropy: false });
  }
  const hash = `sha${/SHA_(\d+)$/.exec(SigningAlgorithm)[1]}`;
  if (SigningAlgorithm.startsWith('RSASSA_PSS')) {
    return crypto.sign(hash, Message, { key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(hash.slice(3)) / 8 });
  }
  return crypto.sign(hash, Message, fx.PrivateKeyPem);
}

/** Runs fn with crypto.getRandomValues replaced by a seeded generator (the package's randomness too). */
function withSeededRandomness(rng, fn) {
  const original = globalThis.crypto.getRandomValues;
  globalThis.crypto.getRandomValues = (array) => {
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(rng.bytes(array.byteLength));
    return array;
  };
  try {
    return fn();
  } finally {
    globalThis.crypto.getRandomValues = original;
  }
}

/**
 * Real blobs, made once with a working instance of the package, node:crypto and noble, with the package's
 * randomness seeded so the corpus is the same for the same seed. Everything here is plain data (no package
 * objects), so it survives a reload of the instance.
 */
export function buildCorpus(lib, fixtures, rng) {
  return withSeededRandomness(rng, () => corpusOf(lib, fixtures));
}

function corpusOf(lib, fixtures) {
  const byName = Object.fromEntries(fixtures.map((f) => [f.name, f]));
  const corpus = {
    fixtures,
    byName,
    spkis: [], // DER bytes
    blobs: [], // assorted real binary blobs
    strings: [], // assorted real text
    tokens: [], // { fixture, token, signingInput, signature, jwt }
    dsse: [], // { fixture, envelope, pending, signature, algorithm } (DSSE, RAW)
    jwks: [], // { fixture, jwk }
    privateKeys: [], // { fixture, pem, der } (PKCS#8 of key-agreement keys)
    ciphertexts: [], // bytes
    p1363: [], // { spec, bytes }
    ders: [], // { spec, bytes }
    ethereum: [], // { Digest, Signature } signed by the secp256k1 fixture
  };
  const now = 1_900_000_000; // fixed: the claims stay valid until 2030 and the corpus does not depend on the clock
  for (const fx of fixtures) {
    const gpk = fx.GetPublicKey;
    const spec = gpk.KeySpec;
    const der = fromB64(gpk.PublicKey);
    corpus.spkis.push(der);
    corpus.blobs.push(der);
    corpus.strings.push(gpk.PublicKey, fx.PublicKeyPem, JSON.stringify(gpk));
    for (const c of (fx.Signatures ?? []).slice(0, 12)) {
      corpus.blobs.push(fromB64(c.Signature), fromB64(c.Message));
      if (NOBLE_EC[spec] && c.Valid) {
        const sig = fromB64(c.Signature);
        corpus.ders.push({ spec, bytes: sig });
        corpus.p1363.push({ spec, bytes: lib.derToP1363(sig, spec) });
      }
    }
    const key = lib.KmsPublicKey.fromGetPublicKey(gpk);
    try {
      if (spec !== 'SM2' && !spec.startsWith('ML_KEM')) corpus.jwks.push({ fixture: fx.name, jwk: key.toJwk() });
      if (gpk.KeyUsage === 'ENCRYPT_DECRYPT') {
        for (const alg of gpk.EncryptionAlgorithms) {
          corpus.ciphertexts.push(key.encrypt({ Plaintext: 'AQIDBA==', PlaintextEncoding: 'base64', EncryptionAlgorithm: alg }).CiphertextBlob);
        }
      }
      if (gpk.KeyUsage === 'ENCAPSULATE_DECAPSULATE') {
        corpus.ciphertexts.push(key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' }).SharedSecretCiphertextBlob);
      }
      if (gpk.KeyUsage === 'KEY_AGREEMENT') {
        const derived = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
        corpus.blobs.push(derived.PublicKey, derived.SharedSecret);
        corpus.privateKeys.push({ fixture: fx.name, pem: fx.PrivateKeyPem, der: pemDer(fx.PrivateKeyPem) });
      }
      if (gpk.KeyUsage === 'SIGN_VERIFY' && spec !== 'SM2') {
        for (const Alg of spec.startsWith('RSA') ? ['RS256', 'RS512'] : [undefined]) {
          for (const jwt of [false, true]) {
            const Payload = jwt ? { iss: 'sweep', aud: 'api', sub: 'x', exp: now + 3600, nbf: now - 60 } : 'sweep payload';
            const request = key.jwsSigningRequest({ Payload, ...(Alg ? { Alg } : {}), ProtectedHeader: { typ: jwt ? 'JWT' : 'sweep' } });
            const signature = new Uint8Array(kmsSign(fx, request.SignRequest));
            const token = key.assembleJws(request.SigningInput, signature);
            corpus.tokens.push({ fixture: fx.name, token, signingInput: request.SigningInput, signature, jwt, now });
            corpus.strings.push(token);
            corpus.blobs.push(signature);
          }
        }
      }
      if (gpk.KeyUsage === 'SIGN_VERIFY' && spec !== 'SM2') {
        const SigningAlgorithm = spec.startsWith('RSA') ? 'RSASSA_PKCS1_V1_5_SHA_256' : undefined; // deterministic, as kmsSign needs
        const request = key.dsseSigningRequest({ PayloadType: 'application/vnd.in-toto+json', Payload: '{"_type":"sweep"}', ...(SigningAlgorithm ? { SigningAlgorithm } : {}) });
        const signature = new Uint8Array(kmsSign(fx, request.SignRequest));
        const envelope = key.assembleDsse(request.Pending, signature);
        corpus.dsse.push({ fixture: fx.name, envelope, pending: request.Pending, signature, algorithm: request.SignRequest.SigningAlgorithm });
        corpus.strings.push(envelope);
      }
      if (spec === 'ECC_SECG_P256K1') {
        for (let i = 0; i < 3; i++) {
          const message = new TextEncoder().encode(`sweep ethereum transaction ${i}`);
          const Digest = new Uint8Array(crypto.createHash('sha256').update(message).digest());
          const Signature = kmsSign(fx, { Message: message, SigningAlgorithm: 'ECDSA_SHA_256', MessageType: 'RAW' });
          corpus.ethereum.push({ Digest, Signature });
        }
      }
    } finally {
      key.free();
    }
  }
  for (const { jwk } of corpus.jwks) corpus.strings.push(JSON.stringify(jwk));
  for (const p of corpus.privateKeys) corpus.strings.push(p.pem), corpus.blobs.push(p.der);
  corpus.blobs.push(...corpus.ciphertexts, ...corpus.p1363.map((p) => p.bytes));
  return corpus;
}

// ---- mutations of real data ---------------------------------------------------------------------------

export function mutateBytes(rng, bytes) {
  const out = new Uint8Array(bytes);
  return rng.weighted([
    [3, () => out.slice(0, rng.int(out.length + 1))], // truncated
    [3, () => { // bit flips
      const copy = out.slice();
      for (let i = rng.range(1, 3); i > 0 && copy.length; i--) copy[rng.int(copy.length)] ^= 1 << rng.int(8);
      return copy;
    }],
    [1, () => out.slice(rng.int(Math.max(1, out.length)))], // head cut
    [1, () => { // extended
      const copy = new Uint8Array(out.length + rng.range(1, 64));
      copy.set(out);
      copy.set(rng.bytes(copy.length - out.length), out.length);
      return copy;
    }],
    [1, () => { // a DER length byte changed
      const copy = out.slice();
      if (copy.length > 1) copy[1] = rng.pick([0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x89, 0xff]);
      return copy;
    }],
    [1, () => new Uint8Array(out.length)], // zeroed
    [1, () => out.map((b) => b ^ 0xff)],
  ]);
}

export function mutateString(rng, text) {
  return rng.weighted([
    [3, () => text.slice(0, rng.int(text.length + 1))],
    [3, () => { // one character replaced
      const i = rng.int(Math.max(1, text.length));
      return text.slice(0, i) + rng.pick(['.', '=', '-', '_', '+', '/', 'A', ' ', '\n', '\u0000', '\u00e9', '\ud800', '"', '{']) + text.slice(i + 1);
    }],
    [1, () => text + rng.pick(['.', '..', '=', '.x', '\n', ' ', text])],
    [1, () => text.split('.').reverse().join('.')],
    [1, () => text.replace(/-----BEGIN [A-Z ]+-----/, '-----BEGIN PRIVATE KEY-----')],
    [1, () => text.toLowerCase()],
    [1, () => ` ${text} `],
  ]);
}

// ---- generators -----------------------------------------------------------------------------------------

/**
 * The generator of arbitrary and hostile argument values. `big` holds the 16 MiB inputs (made once);
 * `instanceValues()` returns live package objects for use as (wrong) arguments. `flags` (mutable, read at
 * each generation) switches off inputs that would only reproduce a known bug at great cost:
 *   noBigTypedArrays   16 MiB typed arrays become 64 KiB ones (known bug K7: JSON-stringified, they grow the
 *                      wasm memory by GiBs before a trap)
 *   noErroringStreams  no ReadableStream that errors (known bug K6: digestStream then leaves an unhandled
 *                      rejection, which exits Node)
 */
export function makeGenerators(rng, corpus, big, instanceValues, flags = {}) {
  const bigBytes = () => (flags.noBigTypedArrays ? rng.bytes(64 << 10) : big.bytes);
  const members = () => [...MEMBER_NAMES];
  const realBlob = () => rng.pick(corpus.blobs);
  const realString = () => rng.pick(corpus.strings);

  const primitive = () =>
    rng.pick([
      undefined, null, NaN, -1, 0, -0, 1, 0.5, 255, 256, 4096, 4097, 2 ** 31, 2 ** 32, 2 ** 53, -(2 ** 53), 1e308, -1e308,
      Infinity, -Infinity, true, false, Symbol('sweep'), 0n, -1n, 2n ** 64n,
    ]);

  const string = () =>
    rng.weighted([
      [2, () => ''],
      [3, () => rng.pick(VOCABULARY)],
      [2, () => mutateString(rng, rng.pick(VOCABULARY))],
      [2, () => Array.from(rng.bytes(rng.range(1, 200)), (b) => String.fromCharCode(32 + (b % 95))).join('')],
      [1, () => String.fromCharCode(...Array.from({ length: rng.range(1, 40) }, () => rng.int(0x10000)))],
      [2, () => rng.pick(['AA==', 'A', '====', 'AB=C', '@@@@', 'QUFB\nQUFB', 'QUFB QUFB', '-_-_', 'AAAA'.repeat(1025), 'AAAA'.repeat(1537)])],
      [2, () => rng.pick([
        '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
        '-----BEGIN PUBLIC KEY-----\n',
        '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----',
        '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
        `-----BEGIN PUBLIC KEY-----\n${b64(rng.bytes(91))}\n-----END PUBLIC KEY-----`,
        '-----END PUBLIC KEY-----\n-----BEGIN PUBLIC KEY-----',
      ])],
      [4, () => realString()],
      [5, () => mutateString(rng, realString())],
      [2, () => b64(mutateBytes(rng, realBlob()))],
      [1, () => `${b64(rng.bytes(rng.range(1, 60)))}.${b64(rng.bytes(rng.range(0, 60)))}.${b64(rng.bytes(rng.range(0, 60)))}`],
      [1, () => { // JSON text with KMS member names holding small values of the wrong types
        const o = {};
        for (let i = rng.range(1, 4); i > 0; i--) {
          o[rng.pick([...MEMBER_NAMES])] = rng.pick([rng.pick(VOCABULARY), 1, -1, 1e308, true, null, [], {}, [rng.pick(VOCABULARY)], { [rng.pick(VOCABULARY)]: 1 }, 'AA==']);
        }
        return JSON.stringify(o);
      }],
      [0.08, () => big.base64],
      [0.03, () => big.text],
    ]);

  const bytes = () =>
    rng.weighted([
      [2, () => new Uint8Array(0)],
      [3, () => rng.bytes(rng.range(1, 300))],
      [2, () => rng.bytes(rng.pick([32, 48, 64, 65, 66, 132, 4096, 4097, 6144, 6145, 8192, 8193]))],
      [4, () => new Uint8Array(realBlob())],
      [6, () => mutateBytes(rng, realBlob())],
      [1, () => Buffer.from(realBlob())],
      [1, () => { // a view into the middle of a bigger buffer
        const blob = realBlob();
        const backing = new Uint8Array(blob.length + 64);
        backing.set(blob, 32);
        return backing.subarray(32, 32 + blob.length);
      }],
      [1, () => new Uint8Array(new SharedArrayBuffer(8)).fill(1)],
      [0.1, bigBytes],
    ]);

  const binaryOther = () =>
    rng.weighted([
      [2, () => new Uint8Array(realBlob()).buffer],
      [1, () => new ArrayBuffer(0)],
      [1, () => new SharedArrayBuffer(16)],
      [1, () => new Uint16Array(4)],
      [1, () => new Int8Array([-1, 1])],
      [1, () => new Uint8ClampedArray(realBlob())],
      [1, () => new Float64Array([0.5, NaN])],
      [1, () => new DataView(new ArrayBuffer(8))],
      [1, () => new BigUint64Array(2)],
      [1, () => hostile(detachedBuffer())],
    ]);

  const array = (depth) =>
    rng.weighted([
      [2, () => []],
      [2, () => Array.from(realBlob())],
      [1, () => [256]],
      [1, () => [-1]],
      [1, () => [0.5, 1]],
      [1, () => [NaN]],
      [1, () => ['a', 'b']],
      [1, () => [null, undefined]],
      [2, () => [rng.pick(VOCABULARY)]],
      [1, () => [rng.pick(VOCABULARY), rng.pick(VOCABULARY)]],
      [1, () => [1, , 3]], // eslint-disable-line no-sparse-arrays
      [1, () => Array.from({ length: rng.range(1, 4) }, () => value(depth + 1))],
      [1, () => { const a = [1, 2]; a.length = 1 << 20; return a; }], // sparse
      [1, () => hostile(new Proxy([1, 2, 3], { get(t, p) { if (p === 'length' || p === '0') throw new SweepSentinel('array get'); return t[p]; } }))],
      [1, () => revokedProxy([])],
      [1, () => withThrowingGetter([1, 2], 0)],
      [0.2, () => Array.from({ length: 1 << 16 }, (_, i) => i & 0xff)],
      [0.2, () => deepArray(20000)],
    ]);

  const object = (depth = 0) =>
    rng.weighted([
      [2, () => ({})],
      [6, () => { // KMS member names holding wrong types
        const o = {};
        for (let i = rng.range(1, 5); i > 0; i--) o[rng.pick(members())] = value(depth + 1);
        return o;
      }],
      [1, () => Object.create(null)],
      [1, () => Object.freeze({ [rng.pick(members())]: value(depth + 1) })],
      [2, () => throwingProxy()],
      [1, () => revokedProxy()],
      [1, () => withThrowingGetter({}, rng.pick(members()))],
      [1, () => ({ toJSON() { throw new SweepSentinel('toJSON'); }, toString() { throw new SweepSentinel('toString'); } })],
      [1, () => { const o = { a: 1 }; o.self = o; return o; }],
      [0.3, () => deepObject(20000)],
      [1, () => ({ length: rng.pick([0, 3, 2 ** 31, 2 ** 32 + 1, -1, NaN]), 0: 1, 1: 2, 2: 3 })],
      [1, () => rng.pick([new Date(0), new Date(NaN), /x/g, new Map([[1, 2]]), new Set([1]), Promise.resolve(1), new Error('x'), new WeakMap()])],
      [1, () => hostile(new Proxy(new Date(0), {}))],
      [1, () => hostile(new Proxy(new Uint8Array(realBlob()), {}))],
      [2, () => instanceValues()],
      [1, () => rng.pick(corpus.jwks).jwk],
      [1, () => ({ ...rng.pick(corpus.fixtures).GetPublicKey, [rng.pick(members())]: value(depth + 1) })],
    ]);

  const fn = () =>
    rng.pick([
      () => {},
      function named() { return 1; },
      async () => 1,
      function* gen() { yield new Uint8Array(1); },
      class Empty {},
      Object.assign(() => {}, { update() {}, digest() { return new Uint8Array(32); } }),
      Math.max,
    ]);

  /** Sources for digestStream (finite; some error, some yield the wrong types). */
  const source = () =>
    rng.weighted([
      [2, () => [rng.bytes(rng.range(0, 100)), rng.bytes(rng.range(0, 100))]],
      [1, () => (function* () { yield rng.bytes(10); yield new Uint8Array(0); })()],
      [1, () => (async function* () { yield rng.bytes(10); yield rng.bytes(5).buffer; })()],
      [1, () => Readable.from([Buffer.from('abc'), Buffer.from('def')])],
      [1, () => Readable.from(['text chunk'])],
      [1, () => new Blob([rng.bytes(50)])],
      [1, () => new ReadableStream({ start(c) { c.enqueue(rng.bytes(10)); c.close(); } })],
      [1, () => (flags.noErroringStreams ? new ReadableStream({ start(c) { c.close(); } }) : new ReadableStream({ pull(c) { c.error(new SweepSentinel('stream error')); } }))],
      [1, () => (function* () { yield rng.bytes(3); throw new SweepSentinel('iterator'); })()],
      [1, () => [1, 2, 3]],
      [1, () => ['a', 'b']],
      [1, () => [null]],
      [1, () => ({ [Symbol.iterator]() { throw new SweepSentinel('Symbol.iterator'); } })],
      [1, () => ({ [Symbol.asyncIterator]() { return { next: () => Promise.reject(new SweepSentinel('next')) }; } })],
      [1, () => ({ getReader() { return { read: async () => ({ done: false, value: 'x' }) }; } })],
      [1, () => ({ stream() { return 1; }, size: 1 })],
    ]);

  function value(depth = 0) {
    if (depth > 3) return primitive();
    return rng.weighted([
      [4, primitive],
      [7, string],
      [7, bytes],
      [2, binaryOther],
      [3, () => array(depth)],
      [6, () => object(depth)],
      [1, fn],
      [1, source],
    ]);
  }

  return { value, primitive, string, bytes, binaryOther, array, object, fn, source };
}

/** The 16 MiB inputs, made once: random bytes, their base64 (16 MiB of text) and 16 MiB of garbage text. */
export function makeBigInputs(rng) {
  const bytes = rng.bytes(16 << 20);
  return {
    bytes,
    base64: Buffer.from(bytes.subarray(0, 12 << 20)).toString('base64'),
    text: 'x.'.repeat(8 << 20),
  };
}
