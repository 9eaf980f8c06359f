'use strict';
// Run in a fresh Node process by run.mjs: how long until a module is ready, and its first operation.
//   node bench/instantiate.cjs kms <dist-dir>     require(<dist>/node.cjs): read + compile + instantiate the .wasm
//   node bench/instantiate.cjs compile <dist-dir>  read + new WebAssembly.Module only
//   node bench/instantiate.cjs lib <name>         require/import an alternative library
// Prints one JSON line: { readyMs, firstOpMs, firstOp } or { readMs, compileMs }.
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const fs = require('node:fs');

const [kind, what] = process.argv.slice(2);
const KEYS = path.join(__dirname, '..', 'tests', 'fixtures', 'keys');
const fx = JSON.parse(fs.readFileSync(path.join(KEYS, 'ECC_NIST_P256_SIGN_VERIFY.json'), 'utf8'));
const sig = fx.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && /low-S/.test(s.Note));
const b = (s) => new Uint8Array(Buffer.from(s, 'base64'));

async function main() {
  if (kind === 'kms') {
    const file = path.resolve(what, 'node.cjs');
    const t0 = performance.now();
    const lib = require(file);
    const t1 = performance.now();
    const key = lib.KmsPublicKey.fromGetPublicKey({ ...fx.GetPublicKey, PublicKey: b(fx.GetPublicKey.PublicKey) });
    const ok = key.verify({ Message: b(sig.Message), Signature: b(sig.Signature), SigningAlgorithm: 'ECDSA_SHA_256' });
    const t2 = performance.now();
    if (!ok) throw new Error('verify failed');
    console.log(JSON.stringify({ readyMs: t1 - t0, firstOpMs: t2 - t1, firstOp: 'load P-256 key + verify' }));
    return;
  }
  if (kind === 'compile') {
    // read + synchronous compile alone, in its own fresh process (V8 caches a compiled module per process)
    const t0 = performance.now();
    const bytes = fs.readFileSync(path.resolve(what, 'kms_offline_bg.wasm'));
    const t1 = performance.now();
    new WebAssembly.Module(bytes);
    const t2 = performance.now();
    console.log(JSON.stringify({ readMs: t1 - t0, compileMs: t2 - t1 }));
    return;
  }
  const t0 = performance.now();
  let lib;
  if (what.startsWith('@noble')) lib = await import(what);
  else lib = require(what);
  const t1 = performance.now();
  if (!lib) throw new Error('nothing loaded');
  console.log(JSON.stringify({ readyMs: t1 - t0 }));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
