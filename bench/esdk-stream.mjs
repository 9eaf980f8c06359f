// Throughput of an AWS Encryption SDK message of a 100 MiB stream (key.encryptMessageStream) against node:crypto
// AES-256-GCM over the same data in the same run. Ours three times: frames sealed by node:crypto (the default
// where process.getBuiltinModule gives it; a signing suite hashed by its SHA-384 too), by WebCrypto (crypto.subtle,
// the default elsewhere; getBuiltinModule hidden for that case) and by the wasm AES-GCM (both hidden). node:crypto
// twice: one GCM stream over everything, and the ESDK body's own work (one GCM call per frame with the frame's IV
// and AAD) at the same FrameLength. At the ESDK default FrameLength (4096) and a larger one (1 MiB: legal, and the
// decrypting ESDK holds one frame). The signing suite 0x0578 (ECDH keys' default) adds SHA-384 of the whole message
// (in node:crypto on the node:crypto path, in wasm otherwise): its own lines, and each SHA-384 alone. Each case runs ROUNDS times in rotating order;
// the median MiB/s is reported, with the case's peak RSS above the RSS before it. The synchronous messageEncryptor
// (wasm AES-GCM, update per chunk) is the before of bench/NOTES.md §20.
//
//   node bench/esdk-stream.mjs [--mib 100] [--rounds 3] [--dist DIR] [--only REGEX]
import crypto from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { mib: { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' }, dist: { type: 'string' }, only: { type: 'string' } },
});
const MIB = Number(values.mib);
const ROUNDS = Number(values.rounds);
const require = createRequire(import.meta.url);
const dist = values.dist ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'pkg', 'dist');
const { KmsPublicKey, MessageDigest } = require(path.join(dist, 'node.cjs'));
const fixture = (name) => require(`../tests/fixtures/keys/${name}.json`).GetPublicKey;

const CHUNK = 1 << 20; // what a Node stream or a Blob hands over at a time (fs streams: 64 KiB; Blob streams vary)
const block = crypto.randomBytes(CHUNK);
const source = () => Readable.from((function* () {
  for (let i = 0; i < MIB; i += 1) yield block;
})());

/** Peak RSS during the current case (sampled at every output chunk). */
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};

const getBuiltinModule = process.getBuiltinModule;
async function esdk(name, options, sealer = 'node:crypto') {
  const key = KmsPublicKey.fromGetPublicKey(fixture(name));
  // The other sealers: node:crypto hidden (process.getBuiltinModule), then crypto.subtle hidden too (an own
  // property shadowing Crypto.prototype's getter), as in tests/js/esdk-webcrypto.test.mjs.
  if (sealer !== 'node:crypto') process.getBuiltinModule = undefined;
  if (sealer === 'wasm') Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true });
  try {
    let bytes = 0;
    for await (const chunk of key.encryptMessageStream(source(), options)) {
      bytes += chunk.length;
      sampleRss();
    }
    return bytes;
  } finally {
    process.getBuiltinModule = getBuiltinModule;
    delete globalThis.crypto.subtle;
    key.free();
  }
}

/** The synchronous form (messageEncryptor: update per chunk), through node:crypto or (node:crypto hidden) the wasm
 * AES-GCM: what encryptMessageStream did before WebCrypto sealed its frames (bench/NOTES.md §20). */
async function esdkSync(name, options, sealer = 'node:crypto') {
  const key = KmsPublicKey.fromGetPublicKey(fixture(name));
  if (sealer !== 'node:crypto') process.getBuiltinModule = undefined;
  const encryptor = key.messageEncryptor(options);
  process.getBuiltinModule = getBuiltinModule;
  let bytes = 0;
  for await (const chunk of source()) {
    bytes += encryptor.update(chunk).length;
    sampleRss();
  }
  bytes += encryptor.finish().length;
  key.free();
  return bytes;
}

/** One GCM stream over everything, fed the source chunks whole or (`update`) a few bytes at a time. */
async function nodeGcmStream(update = CHUNK) {
  const cipher = crypto.createCipheriv('aes-256-gcm', crypto.randomBytes(32), crypto.randomBytes(12));
  let bytes = 0;
  for await (const chunk of source()) {
    for (let at = 0; at < chunk.length; at += update) bytes += cipher.update(chunk.subarray(at, at + update)).length;
    sampleRss();
  }
  cipher.final();
  return bytes + 16;
}

/** The ESDK body's work with node:crypto: a GCM call per frame, with the frame's IV and AAD. */
async function nodeGcmFrames(frameLength) {
  const key = crypto.randomBytes(32);
  const messageId = crypto.randomBytes(32);
  let sequence = 1;
  let bytes = 0;
  let held = Buffer.alloc(0);
  const frame = (plaintext) => {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(sequence, 8);
    const aad = Buffer.alloc(32 + 28 + 12);
    messageId.copy(aad);
    aad.write('AWSKMSEncryptionClient Frame', 32);
    aad.writeUInt32BE(sequence, 60);
    aad.writeBigUInt64BE(BigInt(frameLength), 64);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    bytes += cipher.update(plaintext).length + 4 + 12 + 16;
    cipher.final();
    cipher.getAuthTag();
    sequence += 1;
  };
  for await (const chunk of source()) {
    const data = held.length ? Buffer.concat([held, chunk]) : chunk;
    let at = 0;
    for (; at + frameLength <= data.length; at += frameLength) frame(data.subarray(at, at + frameLength));
    held = Buffer.from(data.subarray(at));
    sampleRss();
  }
  return bytes;
}

/** The floor of a WebCrypto path: subtle.encrypt alone, a call per frame with the frame's IV and AAD, 64 in
 * flight, results awaited in order (no framing, no output). */
async function subtleFrames(frameLength) {
  const key = await crypto.webcrypto.subtle.importKey('raw', crypto.randomBytes(32), 'AES-GCM', false, ['encrypt']);
  const aad = crypto.randomBytes(72);
  const inFlight = [];
  let sequence = 1;
  let bytes = 0;
  for await (const chunk of source()) {
    for (let at = 0; at < chunk.length; at += frameLength) {
      const iv = new Uint8Array(12);
      new DataView(iv.buffer).setUint32(8, sequence);
      sequence += 1;
      inFlight.push(crypto.webcrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 }, key, chunk.subarray(at, at + frameLength)));
      if (inFlight.length >= 64) bytes += (await inFlight.shift()).byteLength;
    }
    sampleRss();
  }
  for (const sealing of inFlight) bytes += (await sealing).byteLength;
  return bytes;
}

async function nodeSha384() {
  const hash = crypto.createHash('sha384');
  for await (const chunk of source()) {
    hash.update(chunk);
    sampleRss();
  }
  hash.digest();
  return MIB * CHUNK;
}

async function wasmSha384() {
  const digest = new MessageDigest('SHA-384');
  for await (const chunk of source()) {
    digest.update(chunk);
    sampleRss();
  }
  digest.digest();
  return MIB * CHUNK;
}

const K4 = 4096;
const M1 = 1 << 20;
const RSA = 'RSA_2048_ENCRYPT_DECRYPT';
const ECDH = 'ECC_NIST_P384_KEY_AGREEMENT';
const STREAM = 'node:crypto AES-256-GCM, one stream';
const ALL_CASES = {
  [STREAM]: () => nodeGcmStream(),
  'node:crypto AES-256-GCM, one stream, update per 4096 bytes': () => nodeGcmStream(K4),
  'node:crypto AES-256-GCM, a call per 4096-byte frame': () => nodeGcmFrames(K4),
  'node:crypto AES-256-GCM, a call per 1 MiB frame': () => nodeGcmFrames(M1),
  'WebCrypto AES-GCM alone, a call per 4096-byte frame': () => subtleFrames(K4),
  'WebCrypto AES-GCM alone, a call per 1 MiB frame': () => subtleFrames(M1),
  'ours RSA 0x0478, frames of 4096, node:crypto': () => esdk(RSA, {}),
  'ours RSA 0x0478, frames of 4096, WebCrypto': () => esdk(RSA, {}, 'WebCrypto'),
  'ours RSA 0x0478, frames of 4096, wasm': () => esdk(RSA, {}, 'wasm'),
  'ours RSA 0x0478, frames of 4096, messageEncryptor (wasm)': () => esdkSync(RSA, {}, 'wasm'),
  'ours RSA 0x0478, frames of 4096, messageEncryptor (node:crypto)': () => esdkSync(RSA, {}),
  'ours RSA 0x0478, frames of 1 MiB, node:crypto': () => esdk(RSA, { FrameLength: M1 }),
  'ours RSA 0x0478, frames of 1 MiB, WebCrypto': () => esdk(RSA, { FrameLength: M1 }, 'WebCrypto'),
  'ours RSA 0x0478, frames of 1 MiB, wasm': () => esdk(RSA, { FrameLength: M1 }, 'wasm'),
  'ours ECDH P-384 0x0578, frames of 4096, node:crypto': () => esdk(ECDH, {}),
  'ours ECDH P-384 0x0578, frames of 4096, WebCrypto': () => esdk(ECDH, {}, 'WebCrypto'),
  'ours ECDH P-384 0x0578, frames of 1 MiB, node:crypto': () => esdk(ECDH, { FrameLength: M1 }),
  'ours ECDH P-384 0x0578, frames of 1 MiB, WebCrypto': () => esdk(ECDH, { FrameLength: M1 }, 'WebCrypto'),
  'node:crypto SHA-384 alone': nodeSha384,
  'wasm SHA-384 alone (MessageDigest)': wasmSha384,
};
const only = values.only ? new RegExp(values.only) : null;
const CASES = Object.fromEntries(Object.entries(ALL_CASES).filter(([name]) => !only || name === STREAM || only.test(name)));

const names = Object.keys(CASES);
const times = Object.fromEntries(names.map((k) => [k, []]));
const peaks = Object.fromEntries(names.map((k) => [k, 0]));
for (let round = 0; round < ROUNDS; round += 1) {
  for (let i = 0; i < names.length; i += 1) {
    const name = names[(i + round) % names.length];
    globalThis.gc?.();
    const before = process.memoryUsage.rss();
    peakRss = before;
    const start = process.hrtime.bigint();
    await CASES[name]();
    times[name].push(Number(process.hrtime.bigint() - start) / 1e9);
    peaks[name] = Math.max(peaks[name], peakRss - before);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const speed = Object.fromEntries(names.map((n) => [n, MIB / median(times[n])]));
const baseline = speed[STREAM];
console.log(`${MIB} MiB in ${CHUNK / 1024} KiB chunks, median of ${ROUNDS} rounds, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const n of names) {
  const ratio = (baseline / speed[n]).toFixed(2);
  console.log(`  ${n.padEnd(56)} ${speed[n].toFixed(1).padStart(7)} MiB/s  ${ratio.padStart(6)}x the time of one stream  peak RSS +${(peaks[n] / 2 ** 20).toFixed(0)} MiB`);
}
