#!/usr/bin/env node
// Key load (and a few operations beside it, as a control) in two builds of the package, in one Node process:
// interleaved rounds, each of at least --ms milliseconds per operation and build, the best round kept (µs per call).
// bench/NOTES.md §13 and §14 compare a commit's package with the one before it this way.
//   node bench/key-load.mjs <before/pkg/dist/node.cjs> <after/pkg/dist/node.cjs> [--rounds 8] [--ms 120]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO } from './report.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (files.length !== 2) {
  console.error('usage: node bench/key-load.mjs <before node.cjs> <after node.cjs> [--rounds 8] [--ms 120]');
  process.exit(2);
}
const rounds = option('--rounds', 8);
const roundMs = option('--ms', 120);
const builds = files.map((file) => ({ file, lib: require(path.resolve(file)) }));

const fixture = (name) => JSON.parse(fs.readFileSync(path.join(REPO, 'tests/fixtures/keys', `${name}.json`), 'utf8'));
const signature = (f, algorithm) => f.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && s.SigningAlgorithm === algorithm);
const b64 = (text) => new Uint8Array(Buffer.from(text, 'base64'));

/** name → (lib) → a function that does the operation once. */
const operations = {};
for (const [label, name] of [['P-256', 'ECC_NIST_P256_SIGN_VERIFY'], ['RSA-2048', 'RSA_2048_SIGN_VERIFY'], ['secp256k1', 'ECC_SECG_P256K1_SIGN_VERIFY'], ['Ed25519', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY'], ['ML-DSA-44', 'ML_DSA_44_SIGN_VERIFY'], ['ML-DSA-65', 'ML_DSA_65_SIGN_VERIFY'], ['ML-DSA-87', 'ML_DSA_87_SIGN_VERIFY'], ['ML-KEM-768', 'ML_KEM_768_ENCAPSULATE_DECAPSULATE']]) {
  const output = fixture(name).GetPublicKey;
  operations[`${label} key load (GetPublicKey object)`] = (lib) => () => lib.KmsPublicKey.fromGetPublicKey(output).free();
}
for (const [label, name, algorithm] of [['P-256 verify', 'ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256'], ['Ed25519 verify', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512'], ['ML-DSA-65 verify', 'ML_DSA_65_SIGN_VERIFY', 'ML_DSA_SHAKE_256']]) {
  const f = fixture(name);
  const s = signature(f, algorithm);
  const request = { Message: b64(s.Message), Signature: b64(s.Signature), SigningAlgorithm: algorithm };
  operations[label] = (lib) => {
    const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
    return () => {
      if (!key.verify(request)) throw new Error(`${label}: the fixture signature does not verify`);
    };
  };
}

// One-shot: a key loaded, used once and freed (an ML-DSA key is expanded by its first verify, bench/NOTES.md §23).
{
  const f = fixture('ML_DSA_65_SIGN_VERIFY');
  const s = signature(f, 'ML_DSA_SHAKE_256');
  const request = { Message: b64(s.Message), Signature: b64(s.Signature), SigningAlgorithm: 'ML_DSA_SHAKE_256' };
  operations['ML-DSA-65 key load + verify + free'] = (lib) => () => {
    const key = lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
    if (!key.verify(request)) throw new Error('ML-DSA-65: the fixture signature does not verify');
    key.free();
  };
}

/** µs per call over one round of at least roundMs. */
function round(run) {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < roundMs) {
    for (let i = 0; i < 16; i++) run();
    calls += 16;
    now = performance.now();
  }
  return ((now - start) * 1000) / calls;
}

const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`Node ${process.version}, ${os.availableParallelism?.() ?? os.cpus().length} cores, load ${load}; best of ${rounds} interleaved rounds of ≥ ${roundMs} ms, µs per call`);
console.log(`before: ${builds[0].file}\nafter:  ${builds[1].file}\n`);
console.log('| operation | before | after | after/before |\n|---|---:|---:|---:|');
for (const [name, make] of Object.entries(operations)) {
  const runs = builds.map(({ lib }) => make(lib));
  runs.forEach((run) => round(run)); // warm-up
  const best = [Infinity, Infinity];
  for (let r = 0; r < rounds; r++) {
    // alternate which build goes first
    const order = r % 2 ? [1, 0] : [0, 1];
    for (const i of order) best[i] = Math.min(best[i], round(runs[i]));
  }
  console.log(`| ${name} | ${best[0].toFixed(1)} | ${best[1].toFixed(1)} | ${(best[1] / best[0]).toFixed(2)} |`);
}
