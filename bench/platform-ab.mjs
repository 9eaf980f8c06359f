#!/usr/bin/env node
// Interleaved A/B of the Async forms that may hand the arithmetic to the platform (issue 24, bench/NOTES.md §21):
// for Ed25519, ML-DSA-65 verify and ML-KEM-768 encapsulate, per round a batch of the synchronous wasm operation,
// of the Async form (WebCrypto where this runtime has the algorithm, else wasm) and of WebCrypto alone, in turn, so
// that a loaded machine slows all three alike. Prints the median and fastest round's µs per operation of each,
// steady (key loaded once) and one-shot (the key loaded from its GetPublicKey output, used once and freed; WebCrypto:
// importKey + the operation). --before DIR adds the Async form of another build (e.g. main's pkg/dist) to the same
// rounds, as "before" (bench/NOTES.md §23).
//
//   node bench/platform-ab.mjs [--rounds N] [--dist DIR] [--before DIR]     (any Node; Node 24+ has ML-DSA and ML-KEM)
//   deno run -A --no-lock bench/platform-ab.mjs
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { REPO, commandLine } from './report.mjs';

const { opt } = commandLine(process.argv.slice(2));
const rounds = Number(opt('--rounds') ?? 15);
const dist = path.resolve(opt('--dist') ?? path.join(REPO, 'pkg', 'dist'));
const { KmsPublicKey } = createRequire(import.meta.url)(path.join(dist, 'node.cjs'));
const before = opt('--before') && createRequire(import.meta.url)(path.join(path.resolve(opt('--before')), 'node.cjs')).KmsPublicKey;
const F = createRequire(import.meta.url)(path.join(REPO, 'tests', 'js', 'fixtures.cjs'));
const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));
const subtle = globalThis.crypto.subtle;
process.removeAllListeners('warning'); // Node 24+: the ExperimentalWarning of ML-DSA / ML-KEM, once per algorithm

async function timePerOp(fn, batch) {
  const t0 = performance.now();
  for (let i = 0; i < batch; i++) await fn();
  return ((performance.now() - t0) * 1000) / batch;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function compare(title, impls, batch) {
  const times = Object.fromEntries(Object.keys(impls).map((k) => [k, []]));
  for (const fn of Object.values(impls)) if (fn) await timePerOp(fn, batch); // warm-up (and the CryptoKey imports)
  // each round starts with the next impl, so that none always runs right after the same one (GC, caches)
  const entries = Object.entries(impls).filter(([, fn]) => fn);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < entries.length; i++) {
      const [name, fn] = entries[(r + i) % entries.length];
      times[name].push(await timePerOp(fn, batch));
    }
  }
  // median / fastest round: on a loaded machine the fastest round is the better estimate of the unloaded cost
  const show = (t) => (t.length ? `${median(t).toFixed(1)} / ${Math.min(...t).toFixed(1)}` : 'n/a');
  console.log(`${title.padEnd(24)} ${Object.entries(times).map(([name, t]) => `${name}: ${show(t)}`).join('   ')}`);
}

/** A fixture's GetPublicKey output with PublicKey as bytes, as the SDKs give it (and bench/suite.mjs's one-shot). */
const sdkOutput = (name) => ({ ...fixtures[name].GetPublicKey, PublicKey: F.b64bytes(fixtures[name].GetPublicKey.PublicKey) });

/** fn with a key loaded for it (from its GetPublicKey output) and freed after: one use of a fresh key. */
const oneShot = (Key, output, fn) => async () => {
  const key = Key.fromGetPublicKey(output);
  try {
    return await fn(key);
  } finally {
    key.free();
  }
};

async function webCrypto(algorithm, usage) {
  const spki = (name) => F.b64bytes(fixtures[name].GetPublicKey.PublicKey);
  return async (name) => {
    try {
      return await subtle.importKey('spki', spki(name), algorithm, false, [usage]);
    } catch {
      return undefined;
    }
  };
}

const runtime = typeof Deno !== 'undefined' ? `Deno ${Deno.version.deno}` : `Node ${process.version}`;
console.log(`${runtime}: µs per operation, median / fastest of ${rounds} interleaved rounds (steady)`);
for (const [name, algorithm, wc] of [['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512', { name: 'Ed25519' }], ['ML_DSA_65_SIGN_VERIFY', 'ML_DSA_SHAKE_256', { name: 'ML-DSA-65' }]]) {
  const c = fixtures[name].Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && s.SigningAlgorithm === algorithm);
  const request = { Message: F.b64bytes(c.Message), Signature: F.b64bytes(c.Signature), SigningAlgorithm: algorithm };
  const output = sdkOutput(name);
  const key = KmsPublicKey.fromGetPublicKey(output);
  const importKey = await webCrypto(wc, 'verify');
  const cryptoKey = await importKey(name);
  const beforeKey = before?.fromGetPublicKey(output);
  await compare(`${wc.name} verify`, {
    wasm: () => key.verify(request),
    async: () => key.verifyAsync(request),
    ...(before ? { 'before async': () => beforeKey.verifyAsync(request) } : {}),
    WebCrypto: cryptoKey && (() => subtle.verify(wc, cryptoKey, request.Signature, request.Message)),
  }, 40);
  await compare(`${wc.name} verify one-shot`, {
    wasm: oneShot(KmsPublicKey, output, (k) => k.verify(request)),
    async: oneShot(KmsPublicKey, output, (k) => k.verifyAsync(request)),
    ...(before ? { 'before async': oneShot(before, output, (k) => k.verifyAsync(request)) } : {}),
    WebCrypto: cryptoKey && (async () => subtle.verify(wc, await importKey(name), request.Signature, request.Message)),
  }, 20);
}
{
  const name = 'ML_KEM_768_ENCAPSULATE_DECAPSULATE';
  const output = sdkOutput(name);
  const key = KmsPublicKey.fromGetPublicKey(output);
  const wc = { name: 'ML-KEM-768' };
  const importKey = await webCrypto(wc, 'encapsulateBits');
  const cryptoKey = await importKey(name);
  const request = { EncapsulationAlgorithm: 'ML_KEM' };
  const beforeKey = before?.fromGetPublicKey(output);
  await compare('ML-KEM-768 encapsulate', {
    wasm: () => key.encapsulate(request),
    async: () => key.encapsulateAsync(request),
    ...(before ? { 'before async': () => beforeKey.encapsulateAsync(request) } : {}),
    WebCrypto: cryptoKey && (() => subtle.encapsulateBits(wc, cryptoKey)),
  }, 40);
  await compare('ML-KEM-768 encaps one-shot', {
    wasm: oneShot(KmsPublicKey, output, (k) => k.encapsulate(request)),
    async: oneShot(KmsPublicKey, output, (k) => k.encapsulateAsync(request)),
    ...(before ? { 'before async': oneShot(before, output, (k) => k.encapsulateAsync(request)) } : {}),
    WebCrypto: cryptoKey && (async () => subtle.encapsulateBits(wc, await importKey(name))),
  }, 20);
}
