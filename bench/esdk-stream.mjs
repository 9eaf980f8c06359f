// Throughput of an AWS Encryption SDK message of a 100 MiB stream (key.encryptMessageStream, wasm AES-256-GCM)
// against node:crypto AES-256-GCM over the same data in the same run: one GCM stream over everything, and the
// ESDK's own work done with node:crypto (one GCM call per frame with the frame's AAD). Each is run ROUNDS times in
// rotating order; the median MiB/s is reported, with the ratio and the largest RSS growth seen.
//
//   node bench/esdk-stream.mjs [--mib 100] [--rounds 3] [--dist DIR]
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' }, dist: { type: 'string' } } });
const MIB = Number(values.mib);
const ROUNDS = Number(values.rounds);
const require = createRequire(import.meta.url);
const dist = values.dist ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'pkg', 'dist');
const { KmsPublicKey } = require(path.join(dist, 'node.cjs'));
const fixture = (name) => require(`../tests/fixtures/keys/${name}.json`).GetPublicKey;

const CHUNK = 1 << 20; // what a file or a Node stream hands over at a time (fs streams: 64 KiB; Blob streams vary)
const block = crypto.randomBytes(CHUNK);
const source = () => Readable.from((function* () {
  for (let i = 0; i < MIB; i += 1) yield block;
})());

async function esdk(name, options) {
  const key = KmsPublicKey.fromGetPublicKey(fixture(name));
  let bytes = 0;
  for await (const chunk of key.encryptMessageStream(source(), options)) bytes += chunk.length;
  key.free();
  return bytes;
}

async function nodeGcmStream() {
  const cipher = crypto.createCipheriv('aes-256-gcm', crypto.randomBytes(32), crypto.randomBytes(12));
  let bytes = 0;
  for await (const chunk of source()) bytes += cipher.update(chunk).length;
  cipher.final();
  return bytes + 16;
}

/** The ESDK body's work with node:crypto: a GCM call per frame, with the frame's IV and AAD. */
async function nodeGcmFrames(frameLength) {
  const key = crypto.randomBytes(32);
  const messageId = crypto.randomBytes(32);
  let sequence = 1;
  let bytes = 0;
  for await (const chunk of source()) {
    for (let at = 0; at < chunk.length; at += frameLength) {
      const iv = Buffer.alloc(12);
      iv.writeUInt32BE(sequence, 8);
      const aad = Buffer.alloc(32 + 28 + 12);
      messageId.copy(aad);
      aad.write('AWSKMSEncryptionClient Frame', 32);
      aad.writeUInt32BE(sequence, 60);
      aad.writeBigUInt64BE(BigInt(frameLength), 64);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      bytes += cipher.update(chunk.subarray(at, at + frameLength)).length + 4 + 12 + 16;
      cipher.final();
      cipher.getAuthTag();
      sequence += 1;
    }
  }
  return bytes;
}

const CASES = {
  'kms-offline ESDK, ECDH P-384, 0x0578, frames of 4096': () => esdk('ECC_NIST_P384_KEY_AGREEMENT', {}),
  'kms-offline ESDK, RSA-2048, 0x0478, frames of 4096': () => esdk('RSA_2048_ENCRYPT_DECRYPT', {}),
  'kms-offline ESDK, RSA-2048, 0x0478, frames of 65536': () => esdk('RSA_2048_ENCRYPT_DECRYPT', { FrameLength: 65536 }),
  'node:crypto AES-256-GCM, one stream': nodeGcmStream,
  'node:crypto AES-256-GCM, a call per 4096-byte frame': () => nodeGcmFrames(4096),
};

const times = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
const rss0 = process.memoryUsage().rss;
let peakGrowth = 0;
const names = Object.keys(CASES);
for (let round = 0; round < ROUNDS; round += 1) {
  for (let i = 0; i < names.length; i += 1) {
    const name = names[(i + round) % names.length];
    const start = process.hrtime.bigint();
    await CASES[name]();
    times[name].push(Number(process.hrtime.bigint() - start) / 1e9);
    peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - rss0);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const speed = Object.fromEntries(names.map((n) => [n, MIB / median(times[n])]));
const baseline = speed['node:crypto AES-256-GCM, one stream'];
console.log(`${MIB} MiB in ${CHUNK / 1024} KiB chunks, median of ${ROUNDS} rounds, Node ${process.version}, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const n of names) console.log(`  ${n.padEnd(58)} ${speed[n].toFixed(1).padStart(7)} MiB/s  (${(baseline / speed[n]).toFixed(2)}x the time of node:crypto one stream)`);
console.log(`  largest RSS growth during the run: ${(peakGrowth / 2 ** 20).toFixed(1)} MiB`);
