// The malformed-input sweep engine used by tests/js/sweep.test.mjs. It enumerates the package's exports
// at run time (classes with their constructor, static methods, prototype methods and getters; free
// functions), calls each with seeded argument lists (valid templates, mutated templates, random and
// hostile values) on live, freed and foreign receivers, and classifies every outcome:
//
//   ok / kms:<Name>   returned, or threw an Error whose name and code are a documented KMS exception
//   allowed:<rule>    a non-KMS error JS or wasm-bindgen's glue raises before Rust runs (ALLOWED below)
//   known:<bug>       a known bug (KNOWN_BUGS below), counted while its repro still fails
//   failure:<what>    anything else: a trap (WebAssembly.RuntimeError, "unreachable"), a non-KMS error,
//                     the shadow-stack pointer not restored, a failed health check, a free() that throws
//
// Every call is followed by a check of the wasm stack pointer; every 25 calls and after any incident, known-good
// verifies and a hash are checked (every 500 calls and after a failure also encrypt, ECDH, ML-KEM, the KDFs and
// a load of every fixture, against node:crypto, noble and RFC vectors).

import util from 'node:util';
import crypto from 'node:crypto';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadInstance, KMS_ERROR_NAMES, ENTRY } from './sweep-harness.mjs';
import { makeGenerators, mutateBytes, mutateString, SweepSentinel, hostileCount, MEMBER_NAMES } from './sweep-values.mjs';

// ---- export enumeration ------------------------------------------------------------------------------

const sourceOf = (fn) => Function.prototype.toString.call(fn);

/** Parameter names of a glue function and which of them the glue converts as `&str` / `&[u8]`. */
function paramInfo(src) {
  const m = /^[^(]*\(([^)]*)\)/.exec(src);
  const params = m ? m[1].split(',').map((p) => p.trim()).filter(Boolean) : [];
  const strings = new Set([...src.matchAll(/passStringToWasm0\((\w+)/g)].map((x) => x[1]));
  const optional = new Set([...src.matchAll(/isLikeNone\((\w+)\)\s*\?\s*0\s*:\s*passStringToWasm0/g)].map((x) => x[1]));
  const bytes = new Set([...src.matchAll(/passArray8ToWasm0\((\w+)/g)].map((x) => x[1]));
  return {
    params,
    stringParams: params.flatMap((p, i) => (strings.has(p) ? [{ index: i, optional: optional.has(p) }] : [])),
    byteParams: params.flatMap((p, i) => (bytes.has(p) ? [i] : [])),
  };
}

function constructorSource(cls) {
  const m = /\n    constructor\(([^)]*)\)\s*\{[\s\S]*?\n    \}/.exec(sourceOf(cls));
  return m ? m[0].trim() : undefined;
}

const isClass = (fn) => typeof fn === 'function' && /^class\b/.test(sourceOf(fn));
const keyName = (k) => (typeof k === 'symbol' ? `[${k.description}]` : k);

/**
 * Every callable the package exports, as targets { id, kind, owner, name, fn, cls, params, stringParams,
 * byteParams }. kind: construct | call-class | static | method | getter | function. Names starting with
 * `__` (wasm-bindgen internals: `__wrap(ptr)` turns a raw pointer into an object, `__destroy_into_raw`)
 * are listed in `skipped`, not called: they are not API and take raw heap addresses.
 */
export function enumerateTargets(lib) {
  const targets = [];
  const skipped = [];
  const values = [];
  for (const [exportName, value] of Object.entries(lib)) {
    if (value !== null && typeof value === 'object') {
      // a namespace object: its functions are swept as free functions
      for (const [name, fn] of Object.entries(value)) {
        if (typeof fn === 'function') targets.push({ id: `${exportName}.${name}`, kind: 'function', owner: null, name, fn: fn.bind(value), ...paramInfo(sourceOf(fn)) });
      }
      continue;
    }
    if (typeof value !== 'function') {
      values.push(exportName); // a constant: nothing to call
      continue;
    }
    if (!isClass(value)) {
      targets.push({ id: exportName, kind: 'function', owner: null, name: exportName, fn: value, ...paramInfo(sourceOf(value)) });
      continue;
    }
    const cls = value;
    const ctor = constructorSource(cls);
    const ctorInfo = ctor ? paramInfo(ctor) : { params: [], stringParams: [], byteParams: [] };
    targets.push({ id: `new ${exportName}`, kind: 'construct', owner: exportName, name: 'constructor', cls, hasConstructor: !!ctor, ...ctorInfo });
    targets.push({ id: `${exportName}()`, kind: 'call-class', owner: exportName, name: 'constructor', cls, ...ctorInfo });
    for (const name of Object.getOwnPropertyNames(cls)) {
      if (['length', 'name', 'prototype'].includes(name)) continue;
      const fn = cls[name];
      if (typeof fn !== 'function') continue;
      if (name.startsWith('__')) {
        skipped.push(`${exportName}.${name}`);
        continue;
      }
      targets.push({ id: `${exportName}.${name}`, kind: 'static', owner: exportName, name, fn, cls, ...paramInfo(sourceOf(fn)) });
    }
    for (const key of Reflect.ownKeys(cls.prototype)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(cls.prototype, key);
      if (typeof key === 'string' && key.startsWith('__')) {
        skipped.push(`${exportName}#${key}`);
        continue;
      }
      if (d.get) targets.push({ id: `${exportName}#get ${keyName(key)}`, kind: 'getter', owner: exportName, name: key, fn: d.get, cls, params: [], stringParams: [], byteParams: [] });
      if (typeof d.value === 'function') {
        targets.push({ id: `${exportName}#${keyName(key)}`, kind: 'method', owner: exportName, name: key, fn: d.value, cls, ...paramInfo(sourceOf(d.value)) });
      }
    }
  }
  return { targets, skipped, values };
}

// ---- outcome rules -----------------------------------------------------------------------------------

const isNullish = (v) => v === undefined || v === null;
const isTrap = (e) =>
  e instanceof WebAssembly.RuntimeError || /unreachable|RuntimeError|memory access out of bounds|call stack exhausted/i.test(`${e?.name} ${e?.message}`);

/** The `length` the glue will read (through a Proxy too: our Proxies only throw, so reading is safe). */
function lengthOf(v) {
  if (v === null || typeof v !== 'object') return undefined;
  if (util.types.isProxy(v)) {
    try {
      return v.length;
    } catch {
      return undefined;
    }
  }
  const d = Object.getOwnPropertyDescriptor(v, 'length');
  return d && 'value' in d ? d.value : undefined;
}

const isByteArray = (v) => !util.types.isProxy(v) && Array.isArray(v) && Array.prototype.every.call(Object.values(Object.getOwnPropertyDescriptors(v)).slice(0, -1), (d) => Number.isInteger(d.value) && d.value >= 0 && d.value <= 255);
const isBytes = (v) => !util.types.isProxy(v) && v instanceof Uint8Array;

/** Facts about a call's arguments that the rules below use. */
function argFacts(target, args) {
  const facts = { nonStringAtString: false, nullishAtGlue: false, nonBytesAtBytes: false, hugeLengthAtBytes: false, freedArg: false };
  for (const v of args) {
    if (v !== null && typeof v === 'object' && !util.types.isProxy(v)) {
      const d = Object.getOwnPropertyDescriptor(v, '__wbg_ptr');
      if (d && d.value === 0) facts.freedArg = true;
    }
  }
  for (const { index, optional } of target.stringParams) {
    const v = args[index];
    if (isNullish(v)) facts.nullishAtGlue ||= !optional;
    else if (typeof v !== 'string') facts.nonStringAtString = true;
  }
  for (const index of target.byteParams) {
    const v = args[index];
    if (isNullish(v)) facts.nullishAtGlue = true;
    else if (!isBytes(v) && !isByteArray(v)) facts.nonBytesAtBytes = true;
    // the glue mallocs ToInt32(arg.length * 1) bytes: a length negative as an i32 cannot be allocated
    let n;
    try {
      n = Number(lengthOf(v));
    } catch {
      n = NaN; // a Symbol or an object whose valueOf throws: the glue throws before the call
    }
    if ((n | 0) < 0) facts.hugeLengthAtBytes = true;
  }
  return facts;
}

/**
 * Non-KMS errors that are legitimate: JS itself rejects the call before any glue runs, or the caller's
 * own exception comes back unchanged from digestStream. Each: { id, why, test(call, e) }.
 * (Rules for glue errors — "null pointer passed to rust", TypeErrors from the `&str`/`&[u8]` conversions,
 * free() on foreign objects — were removed when K1-K8 were fixed: the glue's receiver checks and the
 * JsValue parameters read by src/js/read.rs now throw ValidationException for all of them.)
 */
/** The entry points that call a caller's source (stream(), getReader(), [Symbol.asyncIterator]()...) directly. */
const STREAM_READERS = new Set(['digestStream', 'KmsPublicKey#encryptMessageStream']);

export const ALLOWED = [
  {
    id: 'class-called-without-new',
    why: "JS itself: a class constructor called as a function (TypeError \"Class constructor X cannot be invoked without 'new'\"); no wasm call",
    test: (c, e) => c.target.kind === 'call-class' && e instanceof TypeError && /cannot be invoked without 'new'/.test(e.message),
  },
  {
    id: 'digest-stream-callback-threw',
    why: "digestStream calls the caller's own functions (a custom digest's update()/digest(), a source's stream(), getReader(), read(), next(), [Symbol.iterator]()) and passes what they throw back unchanged, e.g. TypeError \"Class constructor X cannot be invoked without 'new'\" for a class given as stream; allowed when the wasm stack pointer is restored",
    test: (c, e) => STREAM_READERS.has(c.target.id) && (e instanceof TypeError || e instanceof RangeError),
  },
  {
    id: 'caller-exception-rethrown',
    why: "digestStream only: the caller's own exception, passed back unchanged when a source (iterator, stream) or a custom digest it calls throws (SweepSentinel, or JS's TypeError for a revoked Proxy or a detached buffer there). Everywhere else a value that throws while it is read gives ValidationException with the exception as its cause. Allowed only when the wasm stack pointer is restored afterwards",
    test: (c, e) => STREAM_READERS.has(c.target.id) && (e instanceof SweepSentinel || (c.hostile && e instanceof TypeError && /revoked|detached|not a Date|incompatible receiver/.test(e.message))),
  },
];

/**
 * Bugs the sweep found, all fixed (K1-K8 in src/js/read.rs, the JsValue parameters and
 * scripts/harden-glue.mjs; K9 in src/random.rs). `probe(inst)` runs the repro in the given fresh
 * instance and returns true if the bug is back; while one is, the matching sweep outcomes count as
 * known:<id> instead of failure, and its regression test in sweep.test.mjs fails.
 */
export const KNOWN_BUGS = {
  K1: {
    title: 'a non-string for a `&str`/`String` parameter traps (RuntimeError: memory access out of bounds)',
    match: (c, e, leak) => !leak && isTrap(e) && c.facts.nonStringAtString,
    probe: ({ lib }) => trapOf(() => new lib.MessageDigest(5)),
  },
  K2: {
    title: 'a non-Uint8Array for a `&[u8]` parameter whose `length` converts to a negative 32-bit integer (2**31, -1, [-1], "-1") traps (RuntimeError: unreachable: __wbindgen_malloc cannot allocate ToInt32(length) bytes and aborts)',
    match: (c, e, leak) => !leak && isTrap(e) && c.facts.hugeLengthAtBytes,
    probe: ({ lib }) => trapOf(() => lib.keccak256({ length: 2 ** 31 })),
  },
  K3: {
    title: "a prototype method called on another class's object reinterprets its heap cell (type confusion: traps, wrong answers, corrupted objects)",
    // The sweep does not make such calls while the probe shows the bug (it would corrupt the instance it keeps using).
    match: () => false,
    probe: ({ lib }) => {
      const digest = new lib.MessageDigest('SHA-256');
      return trapOf(() => lib.KmsPublicKey.prototype.fingerprint.call(digest)) || !threw(() => lib.KmsPublicKey.prototype.fingerprint.call(digest));
    },
  },
  K8: {
    title: "a method or getter called on a freed object (or on `new KmsPublicKey()`, Object.create(prototype), a plain object) throws \"null pointer passed to rust\" from inside wasm (wasm-bindgen's throw_str): 80 bytes of wasm stack are not restored per call, and after ~13,000 such calls every call traps (use after free() / after a `using` scope kills the module)",
    match: (c, e, leak) => leak > 0 && (['freed', 'shell', 'plain', 'primitive'].includes(c.receiverKind) || c.facts.freedArg) && e?.message === 'null pointer passed to rust',
    probe: ({ lib, sp, restingSp }) => {
      const key = lib.KmsPublicKey.fromGetPublicKey(P256.GetPublicKey);
      key.free();
      try {
        key.fingerprint();
      } catch {
        // expected: null pointer passed to rust
      }
      const leaked = sp.value !== restingSp;
      sp.value = restingSp;
      return leaked;
    },
  },
  K4: {
    title: 'an exception thrown while Rust reads a JS value through a js-sys import not declared `catch` (Array length/index, Array.isArray, Object.keys, new Uint8Array, Date#getTime) unwinds the wasm frames: the shadow-stack pointer is not restored and RefCell borrows stay taken; after ~560-3400 such calls every call traps and the FinalizationRegistry callback crashes the process',
    match: (c, e, leak) => leak > 0,
    probe: (inst) => {
      const { lib, sp, restingSp } = inst;
      const key = lib.KmsPublicKey.fromGetPublicKey(P256.GetPublicKey);
      try {
        key.verify({ ...P256_SIG, Message: new Proxy([1], { get() { throw new SweepSentinel('probe'); } }) });
      } catch {
        // expected: the sentinel
      }
      const leaked = sp.value !== restingSp;
      sp.value = restingSp;
      return leaked;
    },
  },
  K5: {
    title: 'a string, number, boolean, BigInt or non-byte array for a `&[u8]` parameter (keccak256, MessageDigest#update, ExternalMuDigest#update) is silently coerced: keccak256("abc") hashes three zero bytes',
    match: (c, e) => e === undefined && c.facts.nonBytesAtBytes,
    probe: ({ lib }) => {
      try {
        return Buffer.from(lib.keccak256('abc')).equals(Buffer.from(lib.keccak256(new Uint8Array(3))));
      } catch {
        return false;
      }
    },
  },
  K6: {
    title: 'digestStream over a ReadableStream that errors rejects correctly, but also leaves the promise of reader.cancel() (and of iterator.return()) unhandled: Node reports an unhandled rejection and exits with code 1 even though the caller caught the error',
    // the sweep generates no erroring stream while this is present (it would end the sweep's process);
    // any unhandled rejection seen during a call is counted under K6
    match: () => false,
    probe: () => !digestStreamSurvivesErroringStream(),
  },
  K7: {
    title: 'no size limit before JSON text is copied into wasm and parsed: a 16 MiB Uint8Array as a JWS ProtectedHeader is JSON-stringified (~200 MB of text), grows the wasm memory to ~3.6 GiB (it never shrinks) and traps (unreachable: allocation failure); as a JWK it takes ~200 MiB and tens of seconds before "JWK is over 64 KiB"',
    // the sweep gives these two exports no 16 MiB typed array while this is present (minutes and GiBs per call)
    match: () => false,
    probe: ({ lib, memory }) => {
      const key = lib.KmsPublicKey.fromGetPublicKey(P256.GetPublicKey);
      const { PublicKey, ...metadata } = P256.GetPublicKey;
      const before = memory.buffer.byteLength;
      const text = 'x'.repeat(8 << 20);
      for (const fn of [() => key.jwsSigningRequest({ Payload: 'x', ProtectedHeader: { typ: text } }), () => lib.KmsPublicKey.fromJwk(text, metadata)]) {
        try {
          fn();
        } catch {
          // refused either way; the question is what it cost
        }
      }
      return memory.buffer.byteLength - before > 4 << 20;
    },
  },
  K9: {
    title: 'crypto.getRandomValues failing after the availability probe of src/random.rs (an intermittent source) panics inside encrypt / deriveSharedSecret / encapsulate: RuntimeError "unreachable" instead of KMSInternalException, and 1-2 KiB of wasm stack leaked per occurrence',
    // the sweep never breaks randomness; the probe does, in its own instance
    match: () => false,
    probe: (inst) => randomnessFailureTraps(inst).length > 0,
  },
};

/**
 * Each randomness-consuming operation with crypto.getRandomValues failing from its second call on (the
 * first is src/random.rs's probe); returns the operations that trapped.
 */
export function randomnessFailureTraps({ lib, sp, restingSp }, fx = FIXTURES) {
  const original = globalThis.crypto.getRandomValues;
  const trapped = [];
  for (const [name, op] of [
    ['RSA_2048_ENCRYPT_DECRYPT', (k) => k.encrypt({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })],
    ['SM2_ENCRYPT_DECRYPT', (k) => k.encrypt({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'SM2PKE' })],
    ['ECC_NIST_P256_KEY_AGREEMENT', (k) => k.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' })],
    ['ML_KEM_768_ENCAPSULATE_DECAPSULATE', (k) => k.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' })],
  ]) {
    const key = lib.KmsPublicKey.fromGetPublicKey(fx[name].GetPublicKey);
    let calls = 0;
    globalThis.crypto.getRandomValues = function (array) {
      if (++calls >= 2) throw new Error('the entropy source failed');
      return original.call(globalThis.crypto, array);
    };
    try {
      op(key);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) trapped.push(`${name}: ${e.message} (wasm stack not restored: ${restingSp - sp.value} bytes)`);
      sp.value = restingSp;
    } finally {
      globalThis.crypto.getRandomValues = original;
    }
  }
  return trapped;
}

/** Runs digestStream over a stream that errors in a child process (the bug ends the process). */
export function digestStreamSurvivesErroringStream() {
  const code = `
    const { MessageDigest, digestStream } = require(${JSON.stringify(ENTRY)});
    const stream = new ReadableStream({ pull(c) { c.error(new Error('the source failed')); } });
    digestStream(new MessageDigest('SHA-256'), stream)
      .then(() => console.log('resolved'), (e) => console.log('rejected: ' + e.message))
      .then(() => setTimeout(() => console.log('alive'), 50));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return r.status === 0 && /rejected: the source failed/.test(r.stdout) && /alive/.test(r.stdout);
}

function trapOf(fn) {
  try {
    fn();
    return false;
  } catch (e) {
    return isTrap(e);
  }
}

function threw(fn) {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

let P256;
let P256_SIG;

/** Which known bugs are present, each probed in its own fresh instance. */
let FIXTURES;

export function probeKnownBugs(fixturesByName) {
  P256 = fixturesByName.ECC_NIST_P256_SIGN_VERIFY;
  FIXTURES = fixturesByName;
  P256_SIG = (({ Valid, Note, ...r }) => ({ ...r, MessageEncoding: 'base64' }))(P256.Signatures.find((s) => s.Valid && s.MessageType === 'RAW'));
  const present = {};
  for (const [id, bug] of Object.entries(KNOWN_BUGS)) present[id] = !!bug.probe(loadInstance());
  return present;
}

// ---- describing inputs (never triggers a hostile value's traps) ------------------------------------------

export function describe(value) {
  try {
    if (util.types.isProxy(value)) return util.inspect(value, { showProxy: true, depth: 0, customInspect: false });
    if (value instanceof Uint8Array && value.length > 256) return `${value.constructor.name}(${value.length}) [${Buffer.from(value.subarray(0, 24)).toString('hex')}…]`;
    if (typeof value === 'string' && value.length > 200) return `string(${value.length}) ${JSON.stringify(value.slice(0, 80))}…`;
    return util.inspect(value, { depth: 2, maxArrayLength: 12, maxStringLength: 120, breakLength: Infinity, showProxy: true, getters: false, customInspect: false });
  } catch (e) {
    return `<uninspectable: ${e?.message}>`;
  }
}

// ---- the sweep ---------------------------------------------------------------------------------------------

/** Keys with an ESDK keyring: RSA ENCRYPT_DECRYPT, NIST-curve KEY_AGREEMENT. */
function esdkKey(g) {
  return (g.KeyUsage === 'ENCRYPT_DECRYPT' && g.KeySpec.startsWith('RSA')) || (g.KeyUsage === 'KEY_AGREEMENT' && g.KeySpec.startsWith('ECC_NIST'));
}

const RECEIVER_PREFERENCE = {
  verify: (g) => g.KeyUsage === 'SIGN_VERIFY',
  verifyOrThrow: (g) => g.KeyUsage === 'SIGN_VERIFY',
  encrypt: (g) => g.KeyUsage === 'ENCRYPT_DECRYPT',
  encryptMessage: esdkKey,
  messageEncryptor: esdkKey,
  encryptMessageStream: esdkKey,
  deriveSharedSecret: (g) => g.KeyUsage === 'KEY_AGREEMENT',
  encapsulate: (g) => g.KeyUsage === 'ENCAPSULATE_DECAPSULATE',
  externalMu: (g) => g.KeySpec.startsWith('ML_DSA'),
  externalMuDigest: (g) => g.KeySpec.startsWith('ML_DSA'),
  jwsSigningRequest: (g) => g.KeyUsage === 'SIGN_VERIFY' && g.KeySpec !== 'SM2',
  dsseSigningRequest: (g) => g.KeyUsage === 'SIGN_VERIFY',
  verifyDsse: (g) => g.KeyUsage === 'SIGN_VERIFY',
  verifyDsseOrThrow: (g) => g.KeyUsage === 'SIGN_VERIFY',
  assembleDsse: (g) => g.KeyUsage === 'SIGN_VERIFY',
  sm2Digest: (g) => g.KeySpec === 'SM2',
  ethereumAddress: (g) => g.KeySpec === 'ECC_SECG_P256K1',
  ethereumSignature: (g) => g.KeySpec === 'ECC_SECG_P256K1',
};
// X.509 (tests/fixtures/x509): OpenSSL's certificates, CSRs and CRLs as PEM text, the base of the verify templates.
const X509_DIR = new URL('../fixtures/x509/', import.meta.url);
const X509_PEMS = Object.fromEntries(
  ['cert', 'csr', 'crl'].map((kind) => [kind, readdirSync(X509_DIR).filter((n) => n.endsWith(`.${kind}.pem`)).map((n) => readFileSync(new URL(n, X509_DIR), 'utf8'))]),
);
for (const name of ['verifyCertificate', 'verifyCertificateOrThrow', 'verifyCertificateRequest', 'verifyCertificateRequestOrThrow', 'verifyCrl', 'verifyCrlOrThrow',
  'certificateRequestSigningRequest', 'selfSignedCertificateSigningRequest', 'issuedCertificateSigningRequest', 'crlSigningRequest', 'assembleX509']) {
  RECEIVER_PREFERENCE[name] = (g) => g.KeyUsage === 'SIGN_VERIFY';
}
const TOKEN_METHODS = new Set(['verifyJws', 'verifyJwsOrThrow', 'verifyJwt', 'assembleJws']);

const HKDF_TC1 = {
  Ikm: new Uint8Array(22).fill(0x0b),
  Salt: Uint8Array.from({ length: 13 }, (_, i) => i),
  Info: Uint8Array.from({ length: 10 }, (_, i) => 0xf0 + i),
  okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
};
const KECCAK_ABC = '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45';
const NOBLE_KEM = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 };

const hex = (b) => Buffer.from(b).toString('hex');
const b64 = (b) => Buffer.from(b).toString('base64');
/** A fixture signature case with its base64 Message and Signature as bytes. */
const asBytes = (c) => ({ ...c, Message: new Uint8Array(Buffer.from(c.Message, 'base64')), Signature: new Uint8Array(Buffer.from(c.Signature, 'base64')) });

/**
 * Known-good answers, checked against node:crypto / noble / RFC vectors. Returns a list of problems
 * (empty = healthy). `full` adds encrypt+decrypt, ECDH, ML-KEM and a load of every fixture.
 */
export function healthCheck({ lib }, corpus, full) {
  const problems = [];
  const check = (what, fn) => {
    try {
      const r = fn();
      if (r !== true) problems.push(`${what}: ${r}`);
    } catch (e) {
      problems.push(`${what}: threw ${e?.name}: ${e?.message}`);
    }
  };
  const fx = corpus.byName;
  // quick: a valid and an invalid signature (RSA-2048 and Ed25519 are the cheapest to verify in wasm)
  for (const [name, valid] of [['RSA_2048_SIGN_VERIFY', true], ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', false], ...(full ? [['ECC_NIST_P256_SIGN_VERIFY', true], ['ECC_NIST_P256_SIGN_VERIFY', false]] : [])]) {
    check(`verify ${name} (${valid ? 'valid' : 'invalid'} signature)`, () => {
      const key = lib.KmsPublicKey.fromGetPublicKey(fx[name].GetPublicKey);
      try {
        const { Valid, Note, ...request } = asBytes(fx[name].Signatures.find((s) => s.Valid === valid));
        return key.verify(request) === valid || `verify gave ${!valid}`;
      } finally {
        key.free();
      }
    });
  }
  check('keccak256("abc")', () => hex(lib.keccak256(new TextEncoder().encode('abc'))) === KECCAK_ABC || 'wrong digest');
  if (!full) return problems;
  for (const spec of ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'RSA_2048_SIGN_VERIFY', 'ML_DSA_44_SIGN_VERIFY', 'SM2_SIGN_VERIFY']) {
    check(`verify ${spec}`, () => {
      const key = lib.KmsPublicKey.fromGetPublicKey(JSON.stringify(fx[spec].GetPublicKey));
      try {
        for (const { Valid, Note, ...request } of fx[spec].Signatures.slice(0, 4).map(asBytes)) {
          if (key.verify(request) !== Valid) return 'wrong answer';
        }
        return true;
      } finally {
        key.free();
      }
    });
  }
  check('every fixture loads, same fingerprint as node:crypto', () => {
    for (const f of corpus.fixtures) {
      const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
      const expected = crypto.createHash('sha256').update(Buffer.from(f.GetPublicKey.PublicKey, 'base64')).digest('hex');
      const got = key.fingerprint();
      key.free();
      if (got !== expected) return `${f.name}: ${got}`;
    }
    return true;
  });
  check('encrypt RSAES_OAEP_SHA_256, node:crypto decrypts', () => {
    const f = fx.RSA_2048_ENCRYPT_DECRYPT;
    const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
    const plaintext = crypto.randomBytes(100);
    const { CiphertextBlob } = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
    key.free();
    const back = crypto.privateDecrypt({ key: f.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, CiphertextBlob);
    return back.equals(plaintext) || 'decrypted to something else';
  });
  check('ECDH P-256 matches node:crypto', () => {
    const f = fx.ECC_NIST_P256_KEY_AGREEMENT;
    const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
    const { PublicKey, SharedSecret } = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
    key.free();
    const z = crypto.diffieHellman({ privateKey: crypto.createPrivateKey(f.PrivateKeyPem), publicKey: crypto.createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' }) });
    return z.equals(Buffer.from(SharedSecret)) || 'different shared secret';
  });
  check('ML-KEM-768 encapsulate, noble decapsulates', () => {
    const f = fx.ML_KEM_768_ENCAPSULATE_DECAPSULATE;
    const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
    const { SharedSecret, SharedSecretCiphertextBlob } = key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' });
    key.free();
    const { secretKey } = NOBLE_KEM.ML_KEM_768.keygen(new Uint8Array(Buffer.from(f.PrivateKeySeed, 'base64')));
    return hex(NOBLE_KEM.ML_KEM_768.decapsulate(SharedSecretCiphertextBlob, secretKey)) === hex(SharedSecret) || 'different secret';
  });
  check('hkdf RFC 5869 test case 1', () => hex(lib.hkdf({ Hash: 'SHA-256', ...HKDF_TC1, Length: 42 })) === HKDF_TC1.okm || 'wrong okm');
  check('MessageDigest SHA-384 matches node:crypto', () => {
    const data = crypto.randomBytes(5000);
    const d = new lib.MessageDigest('SHA-384');
    d.update(data.subarray(0, 1234));
    d.update(data.subarray(1234));
    return hex(d.digest()) === crypto.createHash('sha384').update(data).digest('hex') || 'wrong digest';
  });
  return problems;
}

/**
 * Runs the sweep: first the 16 MiB pass (hugePass: true = one value per slot, 'all' = bytes and text in every
 * slot, false = none), then `iterations` seeded calls. Options: { rng, iterations, corpus, big (makeBigInputs),
 * bugs (probeKnownBugs), hugePass, healthEvery, fullHealthEvery, trace(line), timeLimitMs }. Returns the report.
 */
export async function runSweep({ rng, iterations, corpus, big, bugs, hugePass = true, healthEvery = 25, fullHealthEvery = 500, trace, timeLimitMs = Infinity }) {
  const report = {
    calls: 0,
    byTarget: {},
    outcomes: {},
    errorNames: {},
    failures: [],
    known: {},
    knownExamples: {},
    allowedExamples: {},
    healthChecks: 0,
    reloads: 0,
    stackLeaks: 0,
    memory: { startBytes: 0, peakBytes: 0 },
    timing: { healthMs: 0, prepareMs: 0, callMs: 0 },
  };
  P256 ??= corpus.byName.ECC_NIST_P256_SIGN_VERIFY;
  let inst = loadInstance();
  let enumeration = enumerateTargets(inst.lib);
  report.targets = enumeration.targets.map((t) => t.id);
  report.skipped = enumeration.skipped;
  report.memory.startBytes = inst.memory.buffer.byteLength;
  const graveyard = []; // objects whose free() cannot work (stuck borrow): kept reachable so no finalizer runs
  let pool = makePool(inst);

  function makePool(instance) {
    const keys = new Map();
    for (const f of corpus.fixtures) keys.set(f.name, instance.lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey));
    return { keys };
  }

  function retirePool() {
    for (const key of pool.keys.values()) {
      try {
        key.free();
      } catch {
        graveyard.push(key);
      }
    }
  }

  function reload(why) {
    report.reloads++;
    retirePool();
    inst = loadInstance();
    const again = enumerateTargets(inst.lib);
    enumeration = again;
    pool = makePool(inst);
    trace?.(`reload (${why})`);
  }

  const count = (map, key) => (map[key] = (map[key] ?? 0) + 1);
  let byIdCache;
  let byIdOf;
  const targetsById = () => {
    if (byIdOf !== enumeration) (byIdCache = new Map(enumeration.targets.map((t) => [t.id, t]))), (byIdOf = enumeration);
    return byIdCache;
  };

  // the live instances a generator may put into arguments (freed after the call)
  let owned = [];
  const own = (o) => (owned.push(o), o);
  const instanceValue = () => {
    const { lib } = inst;
    return rng.weighted([
      [2, () => own(new lib.MessageDigest(rng.pick(['SHA-256', 'SHA-384', 'SHA-512', 'SM3'])))],
      [2, () => own(lib.KmsPublicKey.fromGetPublicKey(rng.pick(corpus.fixtures).GetPublicKey))],
      [1, () => own(pool.keys.get('ML_DSA_44_SIGN_VERIFY').externalMuDigest())],
      [1, () => {
        const d = new lib.MessageDigest('SHA-256');
        d.free();
        return d;
      }],
    ]);
  };
  const flags = { noErroringStreams: !!bugs.K6, noBigTypedArrays: false };
  const gen = makeGenerators(rng, corpus, big, instanceValue, flags);

  const fixtureFor = (target) => {
    const prefer = RECEIVER_PREFERENCE[target.name];
    let candidates = corpus.fixtures;
    if (TOKEN_METHODS.has(target.name)) {
      const names = new Set(corpus.tokens.map((t) => t.fixture));
      candidates = corpus.fixtures.filter((f) => names.has(f.name));
    } else if (prefer) candidates = corpus.fixtures.filter((f) => prefer(f.GetPublicKey));
    return rng.chance(0.8) && candidates.length ? rng.pick(candidates) : rng.pick(corpus.fixtures);
  };

  /** A receiver for a method/getter call: { receiver, kind, fixture }. */
  function receiverFor(target, allowBad = true) {
    const { lib } = inst;
    const cls = target.cls;
    const bad = allowBad && rng.chance(0.12);
    if (bad) {
      const kinds = ['freed', 'shell', 'plain', 'primitive', 'nullish'];
      if (!bugs.K3) kinds.push('foreign');
      const kind = rng.pick(kinds);
      const live = () => freshOf(target.owner, corpus.fixtures[0]);
      switch (kind) {
        case 'freed': {
          const r = live();
          r.free();
          return { receiver: r, kind };
        }
        case 'shell':
          return { receiver: target.owner === 'KmsPublicKey' || target.owner === 'ExternalMuDigest' ? new cls() : Object.create(cls.prototype), kind };
        case 'plain':
          return { receiver: rng.pick([{}, { __wbg_ptr: 0 }, []]), kind };
        case 'primitive':
          return { receiver: rng.pick([0, 'x', true, Symbol('r')]), kind };
        case 'nullish':
          return { receiver: rng.pick([undefined, null]), kind };
        case 'foreign': {
          const others = ['KmsPublicKey', 'MessageDigest', 'ExternalMuDigest'].filter((o) => o !== target.owner);
          return { receiver: own(freshOf(rng.pick(others), corpus.byName.ML_DSA_44_SIGN_VERIFY)), kind };
        }
      }
    }
    const fixture = fixtureFor(target);
    if (target.owner === 'KmsPublicKey') {
      if (target.name === 'free' || target.name === Symbol.dispose) return { receiver: own(freshOf('KmsPublicKey', fixture)), kind: 'live', fixture, consumed: true };
      return { receiver: pool.keys.get(fixture.name), kind: 'live', fixture, pooled: true };
    }
    const r = own(freshOf(target.owner, fixture));
    if (target.owner !== 'KmsPublicKey' && rng.chance(0.1) && typeof r.digest === 'function') r.digest(); // finished digest
    return { receiver: r, kind: 'live', fixture };
    function freshOf(owner, f) {
      if (owner === 'KmsPublicKey') return lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
      if (owner === 'MessageDigest') return new lib.MessageDigest(rng.pick(['SHA-256', 'SHA-384', 'SHA-512', 'SM3']));
      if (owner === 'ExternalMuDigest') return pool.keys.get('ML_DSA_44_SIGN_VERIFY').externalMuDigest();
      if (owner === 'MessageEncryptor') return pool.keys.get('ECC_NIST_P256_KEY_AGREEMENT').messageEncryptor({ FrameLength: 64 });
      const C = lib[owner]; // a class added later: best effort
      return new C();
    }
  }

  const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
  /** Options of an ESDK message: each member present or not. */
  const esdkOptions = () => ({
    ...(rng.chance(0.5) ? { EncryptionContext: { purpose: 'sweep', [`k${rng.int(9)}`]: 'v' } } : {}),
    ...(rng.chance(0.5) ? { FrameLength: rng.pick([1, 64, 4096]) } : {}),
    ...(rng.chance(0.3) ? { AlgorithmSuite: 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY' } : {}),
  });
  /** A blob in one of the forms KMS members accept: base64 text, Uint8Array, Buffer, array of numbers. */
  const blobForm = (bytes) => rng.weighted([[3, () => b64(bytes)], [3, () => new Uint8Array(bytes)], [1, () => Buffer.from(bytes)], [0.5, () => Array.from(bytes)]]);
  const requestOf = ({ Valid, Note, ...r }) => {
    const Message = blobForm(fromB64(r.Message));
    return { ...r, Message, ...(typeof Message === 'string' ? { MessageEncoding: 'base64' } : {}), Signature: blobForm(fromB64(r.Signature)) };
  };
  const tokensOf = (f) => corpus.tokens.filter((t) => t.fixture === f?.name);
  const anyToken = (f, jwt) => {
    const mine = tokensOf(f).filter((t) => jwt === undefined || t.jwt === jwt);
    return mine.length ? rng.pick(mine) : rng.pick(corpus.tokens);
  };
  const anyDsse = (f) => {
    const mine = corpus.dsse.filter((d) => d.fixture === f.name);
    return mine.length ? rng.pick(mine) : rng.pick(corpus.dsse);
  };
  const meta = (f) => {
    const { PublicKey, ...m } = f.GetPublicKey;
    return m;
  };
  const ecSpecs = ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'];

  /** Valid arguments for a target (the base that mutations start from); undefined = no template. */
  function template(target, fixture) {
    const { lib } = inst;
    const f = fixture ?? rng.pick(corpus.fixtures);
    const gpk = f.GetPublicKey;
    const t = `${target.owner ?? ''}#${String(target.name)}`;
    switch (t) {
      case 'KmsPublicKey#fromGetPublicKey':
        return [rng.pick([JSON.stringify(gpk), gpk, { ...gpk, PublicKey: fromB64(gpk.PublicKey), $metadata: { httpStatusCode: 200 } }])];
      case 'KmsPublicKey#fromPublicKey':
        return [rng.pick([f.PublicKeyPem, gpk.PublicKey, fromB64(gpk.PublicKey)]), meta(f)];
      case 'KmsPublicKey#fromJwk': {
        const j = rng.pick(corpus.jwks);
        const jf = corpus.byName[j.fixture];
        return [rng.chance(0.5) ? j.jwk : JSON.stringify(j.jwk), meta(jf)];
      }
      case 'KmsPublicKey#verify':
      case 'KmsPublicKey#verifyOrThrow': {
        const sigs = f.Signatures?.length ? f.Signatures : P256.Signatures;
        const s = rng.pick(sigs);
        const req = requestOf(s);
        if (rng.chance(0.15) && ecSpecs.includes(gpk.KeySpec) && s.Valid) {
          const p = corpus.p1363.find((x) => x.spec === gpk.KeySpec);
          if (p) return [{ ...req, Signature: blobForm(p.bytes), SignatureFormat: 'P1363' }];
        }
        return [req];
      }
      case 'KmsPublicKey#encrypt':
        return [{ Plaintext: blobForm(rng.bytes(rng.range(1, 190))), EncryptionAlgorithm: rng.pick(gpk.EncryptionAlgorithms ?? ['RSAES_OAEP_SHA_256']) }];
      case 'KmsPublicKey#encryptMessage': {
        const Plaintext = blobForm(rng.bytes(rng.range(0, 300)));
        return [{ Plaintext, ...(typeof Plaintext === 'string' ? { PlaintextEncoding: 'base64' } : {}), ...esdkOptions() }];
      }
      case 'KmsPublicKey#messageEncryptor':
        return [esdkOptions()];
      case 'KmsPublicKey#encryptMessageStream':
        return [gen.source(), esdkOptions()];
      case 'MessageEncryptor#update':
        return [rng.bytes(rng.range(0, 300))];
      case 'KmsPublicKey#deriveSharedSecret': {
        const p = corpus.privateKeys.find((k) => k.fixture === f.name);
        return [p && rng.chance(0.5) ? { KeyAgreementAlgorithm: 'ECDH', PrivateKey: rng.pick([p.pem, p.der, b64(p.der)]) } : { KeyAgreementAlgorithm: 'ECDH' }];
      }
      case 'KmsPublicKey#encapsulate':
        return [{ EncapsulationAlgorithm: 'ML_KEM' }];
      case 'KmsPublicKey#externalMu':
        return [blobForm(rng.bytes(rng.range(0, 5000)))];
      case 'KmsPublicKey#verifyJws':
      case 'KmsPublicKey#verifyJwsOrThrow':
        return [anyToken(f).token];
      case 'KmsPublicKey#verifyJwt': {
        const tok = anyToken(f, true);
        return [tok.token, { CurrentTime: tok.now ?? 1_900_000_000, Issuer: 'sweep', Audience: ['api'], ClockTolerance: 30, RequireExp: true }];
      }
      case 'KmsPublicKey#assembleJws': {
        const tok = anyToken(f);
        return [tok.signingInput, blobForm(tok.signature)];
      }
      case 'KmsPublicKey#jwsSigningRequest':
        return [{ Payload: rng.pick([{ sub: 'x' }, 'text', rng.bytes(rng.range(1, 5000))]), ...(gpk.KeySpec.startsWith('RSA') ? { Alg: 'PS256' } : {}), ProtectedHeader: { typ: 'JWT' } }];
      case 'KmsPublicKey#verifyDsse':
      case 'KmsPublicKey#verifyDsseOrThrow': {
        const d = anyDsse(f);
        return [rng.pick([d.envelope, JSON.parse(d.envelope), new TextEncoder().encode(d.envelope)]), { SigningAlgorithm: d.algorithm, IgnoreKeyId: rng.chance(0.2) }];
      }
      case 'KmsPublicKey#assembleDsse': {
        const d = anyDsse(f);
        return [d.pending, blobForm(d.signature), ...(rng.chance(0.3) ? [{ KeyId: f.GetPublicKey.KeyId }] : [])];
      }
      case 'KmsPublicKey#dsseSigningRequest':
        return [{ PayloadType: 'application/vnd.in-toto+json', Payload: rng.pick([{ _type: 'x' }, 'text', rng.bytes(rng.range(0, 5000))]), ...(f.GetPublicKey.KeySpec.startsWith('RSA') ? { SigningAlgorithm: 'RSASSA_PSS_SHA_256' } : {}) }];
      case 'KmsPublicKey#verifyCertificate':
      case 'KmsPublicKey#verifyCertificateOrThrow':
        return [rng.pick(X509_PEMS.cert)];
      case 'KmsPublicKey#verifyCertificateRequest':
      case 'KmsPublicKey#verifyCertificateRequestOrThrow':
        return [rng.pick(X509_PEMS.csr)];
      case 'KmsPublicKey#verifyCrl':
      case 'KmsPublicKey#verifyCrlOrThrow':
        return [rng.pick(X509_PEMS.crl)];
      case 'KmsPublicKey#certificateRequestSigningRequest':
        return [{ Subject: 'CN=sweep', SubjectAltNames: { Dns: ['sweep.example'], Ip: ['192.0.2.1'] }, ExtendedKeyUsage: ['codeSigning'] }];
      case 'KmsPublicKey#selfSignedCertificateSigningRequest':
        return [{ Subject: 'CN=sweep CA', NotBefore: 1_800_000_000, Ca: true, SerialNumber: '01' }];
      case 'KmsPublicKey#issuedCertificateSigningRequest':
        return [{ Issuer: 'CN=sweep CA', CertificateRequest: rng.pick(X509_PEMS.csr), NotBefore: 1_800_000_000 }];
      case 'KmsPublicKey#crlSigningRequest':
        return [{ Issuer: 'CN=sweep CA', ThisUpdate: 1_800_000_000, CrlNumber: 2, Revoked: [{ SerialNumber: '0badc0de', RevocationDate: 1_800_000_000 }] }];
      case 'KmsPublicKey#assembleX509':
        return [{ Kind: rng.pick(['certificate', 'certificateRequest', 'crl']), ToBeSigned: 'MAA=', SigningAlgorithm: rng.pick(gpk.SigningAlgorithms ?? ['ECDSA_SHA_256']) }, blobForm(rng.bytes(rng.range(1, 100)))];
      case 'KmsPublicKey#sm2Digest':
        return rng.pick([[], ['1234567812345678'], [rng.bytes(16)]]);
      case 'KmsPublicKey#ethereumSignature': {
        const e = rng.pick(corpus.ethereum);
        return [{ Digest: blobForm(e.Digest), Signature: blobForm(e.Signature) }];
      }
      case 'MessageDigest#constructor':
        return [rng.pick(['SHA-256', 'SHA-384', 'SHA-512', 'SM3'])];
      case 'MessageDigest#forSigningAlgorithm':
        return [rng.pick(['ECDSA_SHA_256', 'ECDSA_SHA_384', 'RSASSA_PSS_SHA_512', 'ED25519_PH_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256'])];
      case 'MessageDigest#update':
      case 'ExternalMuDigest#update':
        return [rng.bytes(rng.range(0, 3000))];
      case '#derToP1363': {
        const d = rng.pick(corpus.ders);
        return [blobForm(d.bytes), d.spec];
      }
      case '#p1363ToDer': {
        const p = rng.pick(corpus.p1363);
        return [blobForm(p.bytes), p.spec];
      }
      case '#normalizeLowS': {
        if (rng.chance(0.5)) {
          const d = rng.pick(corpus.ders);
          return [blobForm(d.bytes), d.spec, rng.pick(['DER', undefined])];
        }
        const p = rng.pick(corpus.p1363);
        return [blobForm(p.bytes), p.spec, 'P1363'];
      }
      case '#keccak256':
        return [rng.bytes(rng.range(0, 300))];
      case '#hkdf':
        return [{ Hash: rng.pick(['SHA-256', 'SHA-384', 'SHA-512']), Ikm: blobForm(rng.bytes(32)), Salt: blobForm(rng.bytes(rng.range(0, 64))), Info: blobForm(rng.bytes(rng.range(0, 64))), Length: rng.range(1, 255) }];
      case '#oneStepKdf':
        return [{ Hash: rng.pick(['SHA-256', 'SHA-384', 'SHA-512']), SharedSecret: blobForm(rng.bytes(32)), FixedInfo: blobForm(rng.bytes(rng.range(0, 64))), Length: rng.range(1, 512) }];
      case '#digestStream': {
        const d = rng.pick([
          () => own(new lib.MessageDigest('SHA-256')),
          () => own(pool.keys.get('SM2_SIGN_VERIFY').sm2Digest()),
          () => own(pool.keys.get('ML_DSA_65_SIGN_VERIFY').externalMuDigest()),
        ])();
        return [d, gen.source()];
      }
      default:
        // methods and getters without arguments (toJwk, spkiDer, fingerprint, free, ...) need none
        return target.params.length === 0 ? [] : undefined;
    }
  }

  /** One or more mutations of a valid argument list. */
  function mutate(args) {
    const out = args.slice();
    const n = rng.weighted([[6, () => 1], [2, () => 2], [1, () => 3]]);
    for (let k = 0; k < n; k++) {
      const i = out.length ? rng.int(out.length) : 0;
      const a = out[i];
      rng.weighted([
        [3, () => { out[i] = gen.value(); }],
        [8, () => {
          if (a === null || typeof a !== 'object' || util.types.isProxy(a) || ArrayBuffer.isView(a) || Array.isArray(a) || isPackageObject(a)) {
            out[i] = gen.value();
            return;
          }
          // copy without reading (an earlier mutation may have installed a throwing getter)
          const o = {};
          for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(a))) {
            Object.defineProperty(o, name, { ...d, configurable: true, ...('value' in d ? { writable: true } : {}) });
          }
          const names = Object.keys(o);
          const set = (name, value) => Object.defineProperty(o, name, { value, writable: true, enumerable: true, configurable: true });
          rng.weighted([
            [5, () => { if (names.length) set(rng.pick(names), gen.value()); }],
            [3, () => {
              if (!names.length) return;
              const name = rng.pick(names);
              const v = Object.getOwnPropertyDescriptor(o, name).value;
              if (isBytes(v)) set(name, rng.chance(0.7) ? mutateBytes(rng, v) : b64(mutateBytes(rng, v)));
              else if (typeof v === 'string') set(name, mutateString(rng, v));
              else set(name, gen.value());
            }],
            [1, () => { if (names.length) delete o[rng.pick(names)]; }],
            [2, () => set(rng.pick([...MEMBER_NAMES]), gen.value())],
            [1, () => {
              const name = names.length ? rng.pick(names) : 'Message';
              Object.defineProperty(o, name, { enumerable: true, configurable: true, get() { throw new SweepSentinel(`getter ${name}`); } });
            }],
          ]);
          out[i] = rng.weighted([
            [8, () => o],
            [1, () => Object.freeze(o)],
            [1, () => Object.setPrototypeOf(o, null)],
            [1, () => {
              const name = names.length ? rng.pick(names) : 'x';
              return new Proxy(o, { get(t, p) { if (p === name) throw new SweepSentinel(`Proxy member ${name}`); return t[p]; } });
            }],
          ]);
        }],
        [4, () => {
          if (typeof a === 'string') out[i] = mutateString(rng, a);
          else if (isBytes(a)) out[i] = mutateBytes(rng, a);
          else out[i] = gen.value();
        }],
        [1, () => out.pop()],
        [1, () => out.push(gen.value())],
      ]);
    }
    return out;
  }

  function argsFor(target, fixture) {
    const base = template(target, fixture);
    const arity = Math.max(target.params.length, target.kind === 'getter' ? 0 : 1);
    const random = () => Array.from({ length: rng.weighted([[1, () => 0], [6, () => arity], [1, () => arity + 1]]) }, () => gen.value());
    if (!base) return { args: random(), mode: 'random' };
    return rng.weighted([
      [1, () => ({ args: base, mode: 'template' })],
      [6, () => ({ args: mutate(base), mode: 'mutated' })],
      [3, () => ({ args: random(), mode: 'random' })],
    ]);
  }

  function invoke(target, receiver, args) {
    let result;
    switch (target.kind) {
      case 'construct':
        result = new target.cls(...args);
        break;
      case 'call-class':
        result = target.cls(...args);
        break;
      case 'static':
        result = Reflect.apply(target.fn, target.cls, args);
        break;
      case 'method':
      case 'getter':
        result = Reflect.apply(target.fn, receiver, target.kind === 'getter' ? [] : args);
        break;
      default:
        result = target.fn(...args);
    }
    if (util.types.isPromise(result)) {
      let timer;
      return Promise.race([result, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('SweepTimeout: no answer in 10 s')), 10_000); })]).finally(() => clearTimeout(timer));
    }
    return result;
  }

  const isPackageObject = (o) => o !== null && typeof o === 'object' && !util.types.isProxy(o) && typeof o.free === 'function' && typeof o.__wbg_ptr === 'number';

  /** Frees an object made during a call; returns an error message when free() fails on a live object. */
  function release(o) {
    if (!isPackageObject(o) || o.__wbg_ptr === 0) return undefined;
    try {
      o.free();
      return undefined;
    } catch (e) {
      graveyard.push(o);
      return `${e?.name}: ${e?.message}`;
    }
  }

  function recordFailure(entry) {
    report.failures.push(entry);
    trace?.(`FAILURE ${JSON.stringify(entry)}`);
  }

  function health(full, after) {
    report.healthChecks++;
    const h0 = performance.now();
    const problems = healthCheck(inst, corpus, full);
    report.timing.healthMs += performance.now() - h0;
    if (problems.length) {
      recordFailure({ what: 'health check failed', after, problems });
      reload('health check failed');
    }
  }

  // unhandled rejections (from the package's own promises) while a call runs are failures (or known bug K6)
  let lastLabel = 'before the first call';
  const unhandled = (reason) => {
    const entry = { call: lastLabel, error: `${reason?.constructor?.name} ${reason?.name}: ${String(reason?.message).slice(0, 300)}` };
    if (bugs.K6) {
      count(report.known, 'K6');
      const list = (report.knownExamples.K6 ??= []);
      if (list.length < 3) list.push(entry);
    } else recordFailure({ what: 'unhandled rejection', ...entry });
  };
  process.on('unhandledRejection', unhandled);

  /** One call: prepare(target) gives { rec, args, mode }; runs, classifies, cleans up, checks health. */
  async function runCall(n, target, prepare) {
    owned = [];
    const p0 = performance.now();
    const hostileBefore = hostileCount();
    const { rec, args, mode } = prepare(target);
    const ctx = {
      target,
      receiverKind: rec.kind,
      facts: argFacts(target, args),
      hostile: hostileCount() !== hostileBefore,
    };
    const label = `#${n} ${target.id} [${mode}${rec.kind !== 'none' ? `, receiver ${rec.kind}${rec.fixture ? ` ${rec.fixture.name}` : ''}` : ''}]`;
    lastLabel = label;
    trace?.(`${label} ${args.map(describe).join(', ')}`);
    let error;
    let result;
    let asynchronous = false;
    const t0 = performance.now();
    report.timing.prepareMs += t0 - p0;
    try {
      result = invoke(target, rec.receiver, args);
      if (result && util.types.isPromise(result)) {
        asynchronous = true;
        result = await result;
      }
    } catch (e) {
      error = e ?? new Error(`threw ${String(e)}`);
    }
    if (asynchronous) await new Promise((resolve) => setImmediate(resolve)); // let a stray rejection surface now
    const ms = performance.now() - t0;
    const leak = inst.sp ? inst.restingSp - inst.sp.value : 0;
    if (leak !== 0) {
      report.stackLeaks++;
      inst.sp.value = inst.restingSp; // no wasm frame is active here: this is the correct value
    }
    report.calls++;
    if (String(n).startsWith('huge')) (report.hugeTimes ??= []).push([Math.round(ms), label]);
    const stat = (report.byTarget[target.id] ??= { calls: 0, ms: 0, outcomes: {} });
    stat.calls++;
    stat.ms += ms;
    report.timing.callMs += ms;

    let outcome;
    const example = () => ({ call: label, args: args.map(describe), error: error && `${error.constructor?.name} ${error.name}: ${String(error.message).slice(0, 300)}`, stackLeakBytes: leak || undefined });
    const knownId = Object.keys(KNOWN_BUGS).find((id) => bugs[id] && KNOWN_BUGS[id].match(ctx, error, leak));
    if (knownId) {
      outcome = `known:${knownId}`;
      count(report.known, knownId);
      const list = (report.knownExamples[knownId] ??= []);
      if (list.length < 3) list.push(example());
    } else if (leak !== 0) {
      outcome = 'failure:stack-pointer-not-restored';
      recordFailure({ what: 'stack pointer not restored (exception through wasm frames)', ...example() });
    } else if (error === undefined) {
      outcome = 'ok';
    } else if (isTrap(error)) {
      outcome = 'failure:trap';
      recordFailure({ what: 'trap', ...example() });
    } else if (error instanceof Error && KMS_ERROR_NAMES.includes(error.name)) {
      if (error.code !== error.name || typeof error.message !== 'string' || !error.message) {
        outcome = 'failure:kms-error-shape';
        recordFailure({ what: 'KMS error without code = name or without message', ...example() });
      } else {
        outcome = `kms:${error.name}`;
      }
    } else {
      const rule = ALLOWED.find((r) => r.test(ctx, error));
      if (rule) {
        outcome = `allowed:${rule.id}`;
        const list = (report.allowedExamples[rule.id] ??= []);
        if (list.length < 2) list.push(example());
      } else {
        outcome = 'failure:non-kms-error';
        recordFailure({ what: 'non-KMS error', ...example() });
      }
    }
    count(stat.outcomes, outcome);
    count(report.outcomes, outcome);
    if (error && typeof error === 'object') count(report.errorNames, `${error.name}`);

    // clean up: objects returned or made for the call; a pooled receiver that leaked is retired
    const freeProblems = [];
    if (isPackageObject(result)) owned.push(result);
    for (const o of owned) {
      if (leak !== 0) {
        graveyard.push(o);
        continue;
      }
      const p = release(o);
      if (p) freeProblems.push(p);
    }
    if (rec.pooled && leak !== 0) {
      graveyard.push(rec.receiver);
      pool.keys.set(rec.fixture.name, inst.lib.KmsPublicKey.fromGetPublicKey(rec.fixture.GetPublicKey));
    }
    if (freeProblems.length) recordFailure({ what: 'free() failed on an object of the call', problems: freeProblems, ...example() });

    // the module must answer correctly right after anything unusual (full check after a failure)
    const failure = outcome.startsWith('failure');
    const incident = failure || outcome.startsWith('known') || leak !== 0;
    if (incident || report.calls % healthEvery === 0) health(failure || report.calls % fullHealthEvery === 0, label);
    report.memory.peakBytes = Math.max(report.memory.peakBytes, inst.memory.buffer.byteLength);
    if (outcome === 'failure:trap') reload('after a trap');
  }

  const started = Date.now();
  const current = (id) => targetsById().get(id); // after a reload the functions are the new instance's
  const callable = enumeration.targets.filter((t) => t.kind !== 'call-class');

  // 1. the huge pass: every argument and every member of a valid request, in turn, as 16 MiB of bytes and
  //    as 16 MiB of base64 text (known bug K7: no typed array where the package JSON-stringifies)
  if (hugePass) {
    const JSONED = new Set(['KmsPublicKey.fromJwk', 'KmsPublicKey#jwsSigningRequest']);
    let n = 0;
    for (const t0 of callable) {
      const liveRec = () => (['method', 'getter'].includes(t0.kind) ? receiverFor(t0, false) : { kind: 'none' });
      const probeRec = liveRec();
      const base = template(t0, probeRec.fixture);
      if (probeRec.receiver && !probeRec.pooled) release(probeRec.receiver);
      owned = [];
      if (!base) continue;
      const slots = [];
      for (let i = 0; i < Math.max(base.length, t0.params.length); i++) {
        const a = base[i];
        slots.push({ where: `arg ${i}`, text: typeof a === 'string' || a === undefined, put: (args, v) => (args[i] = v), skipBytes: JSONED.has(t0.id) && t0.id.endsWith('fromJwk') && i === 0 });
        if (a && typeof a === 'object' && !util.types.isProxy(a) && !ArrayBuffer.isView(a) && !Array.isArray(a) && !isPackageObject(a)) {
          for (const name of Object.keys(a)) {
            slots.push({
              where: `arg ${i}.${name}`,
              text: typeof a[name] === 'string',
              put: (args, v) => (args[i] = { ...a, [name]: v }),
              skipBytes: JSONED.has(t0.id) && (t0.id.endsWith('fromJwk') || name === 'ProtectedHeader'),
            });
          }
        }
      }
      for (const slot of slots) {
        // one 16 MiB value per slot, of the kind the valid request has there: text (base64 blobs, PEM, tokens,
        // names) or bytes; hugePass 'all' gives every slot both
        const kinds = [];
        if (hugePass === 'all' || !slot.text) kinds.push(['16 MiB Uint8Array', big.bytes]);
        if (hugePass === 'all' || slot.text) kinds.push(['16 MiB base64 text', big.base64]);
        for (const [kind, value] of kinds) {
          if (slot.skipBytes && bugs.K7 && kind.endsWith('Uint8Array')) {
            count(report.known, 'K7');
            continue;
          }
          await runCall(`huge-${n++}`, current(t0.id), (target) => {
            const rec = liveRec();
            const args = template(target, rec.fixture) ?? base.slice();
            slot.put(args, value);
            return { rec, args, mode: `huge: ${slot.where} = ${kind}` };
          });
        }
      }
    }
    report.hugeCalls = n;
    report.timing.hugePassMs = Date.now() - started;
  }

  // 2. the seeded random sweep: every target once per round, in a seeded order
  const ids = callable.map((t) => t.id).concat(enumeration.targets.filter((t) => t.kind === 'call-class').map((t) => t.id));
  let order = [];
  for (let call = 0; call < iterations; call++) {
    if (Date.now() - started > timeLimitMs) {
      report.stoppedByTimeLimit = true;
      break;
    }
    if (call % ids.length === 0) {
      order = ids.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    const target = current(order[call % ids.length]);
    await runCall(call, target, (t) => {
      flags.noBigTypedArrays = bugs.K7 && ['fromJwk', 'jwsSigningRequest'].includes(t.name);
      const rec = ['method', 'getter'].includes(t.kind) ? receiverFor(t) : { kind: 'none' };
      const { args, mode } = argsFor(t, rec.fixture);
      return { rec, args, mode };
    });
  }
  process.off('unhandledRejection', unhandled);
  health(true, 'end of sweep');
  retirePool();
  report.memory.endBytes = inst.memory.buffer.byteLength;
  report.graveyard = graveyard.length;
  report.elapsedMs = Date.now() - started;
  return report;
}
