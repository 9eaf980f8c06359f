#!/usr/bin/env node
// kms-offline benchmark, Node: every operation next to WebCrypto, node:crypto, @noble/curves, @noble/post-quantum,
// jsrsasign, node-forge, elliptic and sm-crypto-v2, in one process, same keys and inputs (tests/fixtures/keys).
//
//   node bench/run.mjs                     full run against pkg/dist (about 5 min); writes bench/results/<date>-node.json
//                                          and bench/RESULTS.md
//   node bench/run.mjs --quick             shorter rounds (about 1.5 min); results file <date>-node-quick.json
//   node bench/run.mjs --dist DIR          measure another build of the package (a dist dir with node.cjs)
//   node bench/run.mjs --variants s,z,o3   compare build variants from bench/variants/<name> (see variants.sh) in one
//                                          process, interleaved; add --alternatives to time the alternatives too
//   node bench/run.mjs --only REGEX        only operations whose id matches (e.g. --only 'verify-(prime|secp384)')
//   --no-instantiate                       skip the module-ready measurements (fresh processes)
//   --no-write                             print only
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';
import { runSuite, pkcs8EcScalar, hex, equal } from './suite.mjs';
import { BENCH, REPO, machine, markdownTable, textTable, variantTable, saveResult, writeResultsMd, commandLine } from './report.mjs';

const require = createRequire(import.meta.url);
const { flag, opt } = commandLine(process.argv.slice(2));
const quick = flag('--quick');
const variantNames = opt('--variants')?.split(',').filter(Boolean);
const only = opt('--only') ? new RegExp(opt('--only')) : undefined;
const withAlternatives = !variantNames || flag('--alternatives');
const write = !flag('--no-write');

// ------------------------------------------------------------------ the builds of kms-offline to measure
const builds = variantNames
  ? variantNames.map((v) => ({ name: `kms-offline[${v}]`, variant: v, dist: path.join(BENCH, 'variants', v) }))
  : [{ name: 'kms-offline', dist: path.resolve(opt('--dist') ?? path.join(REPO, 'pkg', 'dist')) }];
for (const b of builds) {
  if (!fs.existsSync(path.join(b.dist, 'node.cjs'))) {
    console.error(`no build at ${b.dist} (run bash scripts/build.sh, or bash bench/variants.sh ${b.variant ?? ''})`);
    process.exit(1);
  }
  b.lib = require(path.join(b.dist, 'node.cjs'));
}
function sizes(dist) {
  const s = (f) => {
    const bytes = fs.readFileSync(path.join(dist, f));
    return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
  };
  let extra = {};
  try {
    extra = JSON.parse(fs.readFileSync(path.join(dist, 'sizes.json'), 'utf8'));
  } catch {}
  // the single-family entries (dist/verify-*: e.g. kms-offline/verify-p256), when the build has them
  const families = fs
    .readdirSync(dist)
    .filter((d) => d.startsWith('verify-') && fs.existsSync(path.join(dist, d, 'kms_offline_bg.wasm')))
    .map((d) => ({ name: d, wasm: s(path.join(d, 'kms_offline_bg.wasm')), webGlue: s(path.join(d, 'web.js')) }));
  return { ...extra, dist: path.relative(REPO, dist) || '.', wasm: s('kms_offline_bg.wasm'), nodeGlue: s('node.cjs'), webGlue: s('web.js'), families };
}

// ------------------------------------------------------------------ the alternatives
const fixtures = {};
for (const f of fs.readdirSync(path.join(REPO, 'tests/fixtures/keys')).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
  fixtures[f.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(REPO, 'tests/fixtures/keys', f), 'utf8'));
}
const env = { kms: builds.map((b) => ({ name: b.name, lib: b.lib })), fixtures };
const versions = {};
const pkgVersion = (name) => JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).version;
if (withAlternatives) {
  const { p256, p384, p521 } = await import('@noble/curves/nist.js');
  const { secp256k1 } = await import('@noble/curves/secp256k1.js');
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  const { ml_dsa44, ml_dsa65, ml_dsa87 } = await import('@noble/post-quantum/ml-dsa.js');
  const { ml_kem768 } = await import('@noble/post-quantum/ml-kem.js');
  Object.assign(env, {
    subtle: globalThis.crypto.subtle,
    node: crypto,
    noble: { p256, p384, p521, secp256k1, ed25519, ml_dsa44, ml_dsa65, ml_dsa87, ml_kem768 },
    jsrsasign: require('jsrsasign'),
    forge: require('node-forge'),
    elliptic: require('elliptic'),
    smcrypto: require('sm-crypto-v2'),
  });
  for (const n of ['@noble/curves', '@noble/post-quantum', 'jsrsasign', 'node-forge', 'elliptic', 'sm-crypto-v2']) versions[n] = pkgVersion(n);
} else {
  // kms-offline only, but results are still checked (the ML-KEM check needs noble to decapsulate).
  const { ml_kem768 } = await import('@noble/post-quantum/ml-kem.js');
  env.kemForCheck = { ml_kem768 };
}
const smForCheck = require('sm-crypto-v2');
env.check = {
  rsaOaepDecrypt: (privateDer, ct, plaintext) => {
    const key = crypto.createPrivateKey({ key: Buffer.from(privateDer), format: 'der', type: 'pkcs8' });
    return equal(new Uint8Array(crypto.privateDecrypt({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ct)), plaintext);
  },
  sm2Decrypt: (privateDer, ct, plaintext) => equal(smForCheck.sm2.doDecrypt(hex(ct), hex(pkcs8EcScalar(privateDer)), 1, { asn1: true, output: 'array' }), plaintext),
  ecdh: (cv, privateDer, ourSpki, z) => {
    const kms = crypto.createPrivateKey({ key: Buffer.from(privateDer), format: 'der', type: 'pkcs8' });
    const ours = crypto.createPublicKey({ key: Buffer.from(ourSpki), format: 'der', type: 'spki' });
    return equal(new Uint8Array(crypto.diffieHellman({ privateKey: kms, publicKey: ours })), z);
  },
};

// ------------------------------------------------------------------ module ready time (fresh processes)
function instantiateTimes(n) {
  const out = [];
  const runOne = (argv) => JSON.parse(execFileSync(process.execPath, [path.join(BENCH, 'instantiate.cjs'), ...argv], { encoding: 'utf8', cwd: REPO }).trim());
  const targets = builds.map((b) => ({ name: b.name, argv: ['kms', b.dist] }));
  if (withAlternatives) for (const l of ['@noble/curves/nist.js', '@noble/post-quantum/ml-dsa.js', 'jsrsasign', 'node-forge', 'elliptic', 'sm-crypto-v2']) targets.push({ name: l, argv: ['lib', l] });
  const samples = new Map(targets.map((t) => [t.name, []]));
  const compiles = new Map(builds.map((b) => [b.name, []]));
  for (let i = 0; i < n; i++) {
    // interleaved: one sample of each module per pass
    for (const t of targets) samples.get(t.name).push(runOne(t.argv));
    for (const b of builds) compiles.get(b.name).push(runOne(['compile', b.dist]).compileMs);
  }
  for (const b of builds) for (const [i, c] of compiles.get(b.name).entries()) samples.get(b.name)[i].compileMs = c;
  for (const t of targets) {
    const s = samples.get(t.name);
    const med = (k) => {
      const v = s.map((x) => x[k]).filter((x) => x !== undefined).sort((a, b) => a - b);
      return v.length ? v[Math.floor(v.length / 2)] : undefined;
    };
    const q = (k, p) => {
      const v = s.map((x) => x[k]).sort((a, b) => a - b);
      return v[Math.min(v.length - 1, Math.floor(p * (v.length - 1) + 0.5))];
    };
    out.push({ name: t.name, readyMs: med('readyMs'), p25: q('readyMs', 0.25), p75: q('readyMs', 0.75), firstOpMs: med('firstOpMs'), firstOp: s[0].firstOp, compileMs: med('compileMs'), samples: s.length });
  }
  return out;
}

// ------------------------------------------------------------------ run
const m = machine();
const settings = quick ? { warmupMs: 150, batchMs: 12, rounds: 7 } : { warmupMs: 400, batchMs: 30, rounds: 15 };
console.log(`kms-offline benchmark (${quick ? 'quick' : 'full'}): ${m.nproc} cores, ${m.cpu}, Node ${m.node}, load ${m.load.join(' ')}`);
for (const b of builds) {
  const s = sizes(b.dist);
  b.sizes = s;
  console.log(`${b.name}: ${s.dist}: wasm ${s.wasm.raw} B raw / ${s.wasm.gzip} B gzip; web.js ${s.webGlue.gzip} B gzip; node.cjs ${s.nodeGlue.gzip} B gzip`);
}
console.log(`rounds ${settings.rounds} x ~${settings.batchMs} ms per implementation and mode, warm-up ${settings.warmupMs} ms; µs/op, median\n`);

const rows = await runSuite(env, {
  now: () => performance.now(),
  ...settings,
  log: (l) => console.log(l),
  filter: (op) => (only ? only.test(op.id) : true),
});

let instantiate;
if (!flag('--no-instantiate')) {
  instantiate = instantiateTimes(quick ? 7 : 15);
  console.log('\nmodule ready (fresh Node process, median ms):');
  for (const r of instantiate) console.log(`  ${r.name.padEnd(34)} ${r.readyMs.toFixed(1).padStart(7)} ms${r.firstOpMs !== undefined ? `   first op ${r.firstOpMs.toFixed(1)} ms (${r.firstOp}); new WebAssembly.Module alone ${r.compileMs.toFixed(1)} ms` : ''}`);
}

const run = { kind: variantNames ? 'variants' : 'node', quick, settings, machine: m, versions, rows, instantiate };
if (variantNames) {
  run.variants = builds.map((b) => ({ name: b.variant, sizes: b.sizes }));
  console.log('\n' + variantTable(run, variantNames, false));
} else {
  run.sizes = builds[0].sizes;
  console.log('\n' + textTable(run));
}
if (write) {
  const stamp = m.date.slice(0, 19).replace(/[:T]/g, '-');
  const file = saveResult(`${stamp}-${run.kind}${quick ? '-quick' : ''}${only ? '-partial' : ''}.json`, run);
  console.log(`\nwrote ${path.relative(REPO, file)}`);
  if (!quick && !only) console.log(`wrote ${path.relative(REPO, writeResultsMd())}`);
}
