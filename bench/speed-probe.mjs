#!/usr/bin/env node
// Times the speed experiments of bench/size-probe (built by bench/speed-probe.sh) on the fixture keys, interleaved,
// medians, and checks each variant gives the same answer as the crate's own path:
//   - ECDSA P-256 / P-384 verify: crate verify_prehash vs a per-key radix-16 comb table (+ the table's build cost)
//   - RSA-2048 public operation: rsa crate (window-4 pow) vs 16 squarings + 1 multiplication for e = 65537
//   node bench/speed-probe.mjs [--configs s,s-cpu32,o3,o3-cpu32] [--rounds 15]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH, REPO, machine } from './report.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (f, d) => (args.includes(f) ? args[args.indexOf(f) + 1] : d);
const configs = opt('--configs', 's,s-cpu32,o3,o3-cpu32').split(',');
const rounds = Number(opt('--rounds', 15));
const batchMs = 25;

const fx = (n) => JSON.parse(fs.readFileSync(path.join(REPO, 'tests/fixtures/keys', `${n}.json`), 'utf8'));
const b64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const sigOf = (f, alg) => f.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && s.SigningAlgorithm === alg && /^95-byte text message; signed by/.test(s.Note) && !/high-S/.test(s.Note));
/** RSAPublicKey DER inside an SPKI: the BIT STRING's content. */
function spkiKey(spki) {
  let i = 2 + (spki[1] & 0x80 ? spki[1] & 0x7f : 0); // into the outer SEQUENCE
  const skip = () => {
    let len = spki[i + 1];
    let hdr = 2;
    if (len & 0x80) {
      const nb = len & 0x7f;
      len = 0;
      for (let k = 0; k < nb; k++) len = (len << 8) | spki[i + 2 + k];
      hdr += nb;
    }
    return { hdr, len };
  };
  let { hdr, len } = skip(); // AlgorithmIdentifier
  i += hdr + len;
  ({ hdr, len } = skip()); // BIT STRING
  return spki.slice(i + hdr + 1, i + hdr + len);
}

const P256 = fx('ECC_NIST_P256_SIGN_VERIFY');
const P384 = fx('ECC_NIST_P384_SIGN_VERIFY');
const RSA = fx('RSA_2048_SIGN_VERIFY');
const p256 = { pk: b64(P256.GetPublicKey.PublicKey).slice(-65), ...mapSig(sigOf(P256, 'ECDSA_SHA_256')) };
const p384 = { pk: b64(P384.GetPublicKey.PublicKey).slice(-97), ...mapSig(sigOf(P384, 'ECDSA_SHA_384')) };
const P521 = fx('ECC_NIST_P521_SIGN_VERIFY');
const K256 = fx('ECC_SECG_P256K1_SIGN_VERIFY');
const p521 = { pk: b64(P521.GetPublicKey.PublicKey).slice(-133), ...mapSig(sigOf(P521, 'ECDSA_SHA_512')) };
const secp = { pk: b64(K256.GetPublicKey.PublicKey).slice(-65), ...mapSig(sigOf(K256, 'ECDSA_SHA_256')) };
const rsa = { pk: spkiKey(b64(RSA.GetPublicKey.PublicKey)), ...mapSig(sigOf(RSA, 'RSASSA_PSS_SHA_256')) };
function mapSig(s) {
  return { msg: b64(s.Message), sig: b64(s.Signature) };
}

const cases = [];
for (const c of configs) {
  const file = path.join(BENCH, 'size-probe', 'dist', `speed-${c}`, 'size_probe.cjs');
  if (!fs.existsSync(file)) {
    console.error(`missing ${file}: run bash bench/speed-probe.sh ${c}`);
    process.exit(1);
  }
  const lib = require(file);
  const k256 = new lib.P256TableKey(p256.pk, true);
  const k384 = new lib.P384TableKey(p384.pk, true);
  const r = new lib.RsaProbe(rsa.pk);
  const bad = p256.sig.slice();
  bad[bad.length - 3] ^= 1;
  // same decisions as the crate's own verify, for the valid and a corrupted signature
  if (!k256.verify_plain(p256.msg, p256.sig) || !k256.verify_table(p256.msg, p256.sig) || k256.verify_table(p256.msg, bad)) throw new Error(`${c}: P-256 table verify disagrees`);
  if (!k384.verify_plain(p384.msg, p384.sig) || !k384.verify_table(p384.msg, p384.sig)) throw new Error(`${c}: P-384 table verify disagrees`);
  if (Buffer.compare(r.public_op_crate(rsa.sig), r.public_op_f4(rsa.sig)) !== 0 || !r.verify_pss(rsa.msg, rsa.sig)) throw new Error(`${c}: RSA f4 disagrees`);
  const add = (op, fn) => cases.push({ op, config: c, fn });
  add('P-256 verify, crate (wNAF lincomb)', () => k256.verify_plain(p256.msg, p256.sig));
  add('P-256 verify, per-key comb table', () => k256.verify_table(p256.msg, p256.sig));
  add('P-256 key load without table', () => new lib.P256TableKey(p256.pk, false).free());
  add('P-256 key load + comb table', () => new lib.P256TableKey(p256.pk, true).free());
  add('P-384 verify, crate (wNAF lincomb)', () => k384.verify_plain(p384.msg, p384.sig));
  add('P-384 verify, per-key comb table', () => k384.verify_table(p384.msg, p384.sig));
  add('P-384 key load + comb table', () => new lib.P384TableKey(p384.pk, true).free());
  if (lib.P521TableKey) {
    const k521 = new lib.P521TableKey(p521.pk, true);
    const kk1 = new lib.K256TableKey(secp.pk, true);
    if (!k521.verify_plain(p521.msg, p521.sig) || !k521.verify_table(p521.msg, p521.sig)) throw new Error(`${c}: P-521 table verify disagrees`);
    if (!kk1.verify_plain(secp.msg, secp.sig) || !kk1.verify_table(secp.msg, secp.sig)) throw new Error(`${c}: secp256k1 table verify disagrees`);
    add('P-521 verify, crate (wNAF lincomb)', () => k521.verify_plain(p521.msg, p521.sig));
    add('P-521 verify, per-key comb table', () => k521.verify_table(p521.msg, p521.sig));
    add('P-521 key load + comb table', () => new lib.P521TableKey(p521.pk, true).free());
    add('secp256k1 verify, crate', () => kk1.verify_plain(secp.msg, secp.sig));
    add('secp256k1 verify, per-key comb table', () => kk1.verify_table(secp.msg, secp.sig));
    add('secp256k1 key load + comb table', () => new lib.K256TableKey(secp.pk, true).free());
  }
  add('RSA-2048 public op, rsa crate (window-4 pow)', () => r.public_op_crate(rsa.sig));
  add('RSA-2048 public op, 16 squarings + 1 mul', () => r.public_op_f4(rsa.sig));
  add('RSA-2048 PSS verify, rsa crate (whole)', () => r.verify_pss(rsa.msg, rsa.sig));
}

// warm-up + calibration, then interleaved rounds over everything; median
for (const k of cases) {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 300 || n < 3) {
    k.fn();
    n++;
  }
  k.n = Math.max(1, Math.round(batchMs / ((performance.now() - t0) / n)));
  k.samples = [];
}
for (let r = 0; r < rounds; r++) {
  for (let j = 0; j < cases.length; j++) {
    const k = cases[(j + r) % cases.length];
    const t0 = performance.now();
    for (let i = 0; i < k.n; i++) k.fn();
    k.samples.push(((performance.now() - t0) * 1000) / k.n);
  }
}
const med = (s) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)];
const m = machine();
console.log(`speed probe, ${m.nproc} cores ${m.cpu}, Node ${m.node}, load ${m.load.join(' ')}; µs/op, median of ${rounds} interleaved rounds\n`);
const ops = [...new Set(cases.map((k) => k.op))];
console.log(`${'operation'.padEnd(48)}${configs.map((c) => c.padStart(11)).join('')}`);
const out = {};
for (const op of ops) {
  const row = configs.map((c) => med(cases.find((k) => k.op === op && k.config === c).samples));
  out[op] = Object.fromEntries(configs.map((c, i) => [c, row[i]]));
  console.log(`${op.padEnd(48)}${row.map((x) => x.toFixed(1).padStart(11)).join('')}`);
}
if (!args.includes('--no-write')) {
  fs.mkdirSync(path.join(BENCH, 'results'), { recursive: true });
  const file = path.join(BENCH, 'results', `${m.date.slice(0, 19).replace(/[:T]/g, '-')}-speed-probe.json`);
  fs.writeFileSync(file, JSON.stringify({ machine: m, rounds, results: out }, null, 1) + '\n');
  console.log(`\nwrote ${path.relative(REPO, file)}`);
}
