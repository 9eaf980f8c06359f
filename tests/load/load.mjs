#!/usr/bin/env node
// Load and memory test of the built package (not in CI; tests/js/memory.test.mjs runs the --quick variant).
//
//   node --expose-gc tests/load/load.mjs            1,000,000 verifies, 100,000 loads + free, 100,000 loads left to GC
//   node --expose-gc tests/load/load.mjs --quick    6,000 / 3,000 / 6,000 (the CI variant)
//   options: --verifies N  --async-verifies N  --loads N  --gc-loads N  --json FILE
//
// Phases, each in the same Node process and the same wasm instance:
//   verify   P-256, Ed25519 and RSA-2048 keys from tests/fixtures, alternating a valid and an invalid signature
//            (every answer is checked);
//   async    verifyAsync (WebCrypto) on P-256, P-384 and RSA-2048 keys loaded once, valid and invalid alternating,
//            and every 10th call a fresh key that verifies twice and is freed (its CryptoKey cache and its slot
//            in the rejection-handler registry of src/js/webcrypto.rs must be reused, not pile up);
//   free     key loads cycling through all 23 fixture keys and the three input forms (CLI JSON text, SDK object
//            with PublicKey bytes, PEM + metadata), each freed explicitly: free() and [Symbol.dispose]() (what
//            `using` calls) alternately;
//   gc       the same loads, never freed: the package's FinalizationRegistry must free them once V8 collects the
//            objects (global.gc() twice every 1,000 loads, each followed by a turn of the event loop for the
//            registry's callbacks to run).
// Every 10% of a phase it records the wasm memory (memory.buffer.byteLength of the package's instance, reached
// through tests/js/sweep-harness.mjs) and the process RSS, prints a table, and exits 1 if memory grows after
// warm-up (the 10% checkpoint; in the gc phase also the first 3,000 loads) by more than BOUNDS, if an answer
// is wrong, if the wasm stack pointer is not back at rest, or if fewer than 99% of the dropped keys were
// finalized. The wasm memory never shrinks, so "flat" means it stops growing.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInstance } from '../js/sweep-harness.mjs';

if (typeof globalThis.gc !== 'function') {
  // re-run with --expose-gc (FinalizationRegistry needs collections we can trigger)
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KEYS = path.join(HERE, '..', 'fixtures', 'keys');
const MiB = 1024 * 1024;

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const QUICK = args.includes('--quick');
const VERIFIES = opt('verifies', QUICK ? 6_000 : 1_000_000);
const LOADS = opt('loads', QUICK ? 3_000 : 100_000);
const GC_LOADS = opt('gc-loads', QUICK ? 6_000 : 100_000);
const ASYNC_VERIFIES = opt('async-verifies', QUICK ? 3_000 : 100_000);
const JSON_OUT = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
/** Allowed growth after the 10% checkpoint of each phase. */
const BOUNDS = { wasmBytes: 1 * MiB, rssBytes: QUICK ? 48 * MiB : 64 * MiB };

const fixtures = readdirKeys();
function readdirKeys() {
  const index = JSON.parse(readFileSync(path.join(KEYS, 'index.json'), 'utf8'));
  return index.Files.map((f) => ({ name: f.File.replace(/\.json$/, ''), ...JSON.parse(readFileSync(path.join(KEYS, f.File), 'utf8')) }));
}
const byName = Object.fromEntries(fixtures.map((f) => [f.name, f]));
const bytes = (b64) => new Uint8Array(Buffer.from(b64, 'base64'));

const inst = loadInstance();
const { lib, memory, sp, restingSp } = inst;
const problems = [];
const rows = [];

function sample(phase, done, total, started) {
  const m = process.memoryUsage();
  const row = {
    phase,
    done,
    pct: Math.round((done / total) * 100),
    seconds: +((performance.now() - started) / 1000).toFixed(1),
    wasmBytes: memory.buffer.byteLength,
    rssBytes: m.rss,
    heapUsedBytes: m.heapUsed,
    externalBytes: m.external,
  };
  rows.push(row);
  if (sp.value !== restingSp) problems.push(`${phase} at ${done}: wasm stack pointer ${sp.value}, at rest ${restingSp}`);
  printRow(row);
  return row;
}

const fmt = (n) => (n / MiB).toFixed(1).padStart(8);
function printRow(r) {
  console.log(`${r.phase.padEnd(7)} ${String(r.done).padStart(9)} ${String(r.pct).padStart(4)}% ${String(r.seconds).padStart(8)} s ${fmt(r.wasmBytes)} ${fmt(r.rssBytes)} ${fmt(r.heapUsedBytes)} ${fmt(r.externalBytes)}`);
}

/**
 * Growth after warm-up must stay within BOUNDS. Warm-up is the first 10% of a phase; in the gc phase also the
 * first 3,000 loads, since up to ~2,000 dropped keys are alive between two collections (the plateau).
 */
function checkFlat(phase, minDone = 0) {
  const own = rows.filter((r) => r.phase === phase);
  const base = own.find((r) => r.pct >= 10 && r.done >= minDone);
  if (!base) return;
  for (const [what, bound] of Object.entries(BOUNDS)) {
    const peak = Math.max(...own.filter((r) => r.done >= base.done).map((r) => r[what]));
    const growth = peak - base[what];
    const line = `${phase}: ${what} ${fmt(base[what]).trim()} MiB at ${base.pct}% -> peak ${fmt(peak).trim()} MiB (growth ${(growth / MiB).toFixed(2)} MiB, bound ${(bound / MiB).toFixed(0)} MiB)`;
    console.log(`  ${growth > bound ? 'FAIL' : 'ok  '} ${line}`);
    if (growth > bound) problems.push(line);
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

console.log(`kms-offline load test: ${VERIFIES} verifies, ${ASYNC_VERIFIES} verifyAsync, ${LOADS} loads + free, ${GC_LOADS} loads left to the FinalizationRegistry${QUICK ? ' (quick)' : ''}`);
console.log(`phase        done    %       time     wasm      rss heapUsed external   (MiB)`);

/** Fixture keys loaded once, each with a valid and an invalid RAW request: [{ f, key, requests: [valid, invalid] }]. */
function signingKeys(names) {
  return names.map((name) => {
    const f = byName[name];
    const request = (valid) => {
      const { Valid, Note, ...r } = f.Signatures.find((s) => s.Valid === valid && s.MessageType === 'RAW');
      return { ...r, Message: bytes(r.Message), Signature: bytes(r.Signature) };
    };
    return { f, key: lib.KmsPublicKey.fromGetPublicKey(f.GetPublicKey), requests: [request(true), request(false)] };
  });
}

// ---- phase 1: verify -------------------------------------------------------------------------------------------
{
  const keys = signingKeys(['ECC_NIST_P256_SIGN_VERIFY', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'RSA_2048_SIGN_VERIFY']);
  const started = performance.now();
  const step = Math.max(1, Math.floor(VERIFIES / 10));
  let wrong = 0;
  sample('verify', 0, VERIFIES, started);
  for (let i = 0; i < VERIFIES; i++) {
    const k = keys[i % 3];
    const valid = Math.floor(i / 3) % 2 === 0;
    if (k.key.verify(k.requests[valid ? 0 : 1]) !== valid) wrong++;
    if ((i + 1) % step === 0) sample('verify', i + 1, VERIFIES, started);
  }
  if (wrong) problems.push(`verify: ${wrong} wrong answers`);
  for (const k of keys) k.key.free();
  checkFlat('verify');
}

// ---- phase 1b: verifyAsync (the WebCrypto path) -----------------------------------------------------------------
{
  const names = ['ECC_NIST_P256_SIGN_VERIFY', 'ECC_NIST_P384_SIGN_VERIFY', 'RSA_2048_SIGN_VERIFY'];
  const keys = signingKeys(names);
  const started = performance.now();
  const step = Math.max(1, Math.floor(ASYNC_VERIFIES / 10));
  let wrong = 0;
  sample('async', 0, ASYNC_VERIFIES, started);
  for (let i = 0; i < ASYNC_VERIFIES; i++) {
    const k = keys[i % 3];
    const valid = Math.floor(i / 3) % 2 === 0;
    if (i % 10 === 9) {
      const fresh = lib.KmsPublicKey.fromGetPublicKey(k.f.GetPublicKey);
      if ((await fresh.verifyAsync(k.requests[0])) !== true || (await fresh.verifyAsync(k.requests[1])) !== false) wrong++;
      fresh.free();
    } else if ((await k.key.verifyAsync(k.requests[valid ? 0 : 1])) !== valid) wrong++;
    if ((i + 1) % step === 0) {
      globalThis.gc();
      await tick();
      sample('async', i + 1, ASYNC_VERIFIES, started);
    }
  }
  if (wrong) problems.push(`async: ${wrong} wrong answers`);
  for (const k of keys) k.key.free();
  checkFlat('async');
}

// ---- phases 2 and 3: loads -------------------------------------------------------------------------------------
function loadOne(i) {
  const f = fixtures[i % fixtures.length];
  const form = Math.floor(i / fixtures.length) % 3;
  const gpk = f.GetPublicKey;
  if (form === 0) return lib.KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
  if (form === 1) return lib.KmsPublicKey.fromGetPublicKey({ ...gpk, PublicKey: bytes(gpk.PublicKey) });
  const { PublicKey, ...metadata } = gpk;
  return lib.KmsPublicKey.fromPublicKey(f.PublicKeyPem, metadata);
}

{
  const started = performance.now();
  const step = Math.max(1, Math.floor(LOADS / 10));
  let wrong = 0;
  sample('free', 0, LOADS, started);
  for (let i = 0; i < LOADS; i++) {
    const key = loadOne(i);
    if (key.keySpec !== fixtures[i % fixtures.length].GetPublicKey.KeySpec) wrong++;
    if (i % 2) key.free();
    else key[Symbol.dispose](); // what `using key = ...` calls at the end of its scope
    if ((i + 1) % step === 0) {
      globalThis.gc();
      await tick();
      sample('free', i + 1, LOADS, started);
    }
  }
  if (wrong) problems.push(`free: ${wrong} keys with the wrong keySpec`);
  checkFlat('free');
}

let finalized = 0;
{
  const watcher = new FinalizationRegistry(() => finalized++);
  const started = performance.now();
  const step = Math.max(1, Math.floor(GC_LOADS / 10));
  sample('gc', 0, GC_LOADS, started);
  for (let i = 0; i < GC_LOADS; i++) {
    const key = loadOne(i);
    watcher.register(key, i);
    key.fingerprint(); // used, then dropped without free()
    if ((i + 1) % 1000 === 0) {
      // two collections with a turn of the event loop after each: the registry's callbacks run as tasks
      globalThis.gc();
      await tick();
      globalThis.gc();
      await tick();
    }
    if ((i + 1) % step === 0) sample('gc', i + 1, GC_LOADS, started);
  }
  for (let round = 0; round < 10 && finalized < GC_LOADS; round++) {
    globalThis.gc();
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`gc: ${finalized} of ${GC_LOADS} dropped keys finalized`);
  if (finalized < GC_LOADS * 0.99) problems.push(`gc: only ${finalized} of ${GC_LOADS} dropped keys were finalized`);
  checkFlat('gc', 3000);
}

const result = { verifies: VERIFIES, asyncVerifies: ASYNC_VERIFIES, loads: LOADS, gcLoads: GC_LOADS, quick: QUICK, bounds: BOUNDS, finalized, rows, problems, node: process.version };
if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(result, null, 2));
if (problems.length) {
  console.log(`\nFAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('\nok: memory flat after warm-up, every answer right, every dropped key finalized');
