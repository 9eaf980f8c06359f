#!/usr/bin/env node
// Where the time of one kms-offline operation goes, inside the wasm: V8's CPU profiler on a build that keeps
// the name section (bench/variants/<v>-names, made by `bash bench/variants.sh --names <v>`), self time by function
// and by crate.
//   node bench/profile.mjs OP_ID [--dist bench/variants/s-names] [--seconds 4] [--mode steady|oneshot] [--top 25]
// OP_ID is an operation id of bench/suite.mjs (e.g. verify-prime256v1, verify-rsa2048-pss, verify-ml-dsa-65).
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { defineOperations } from './suite.mjs';
import { BENCH, REPO } from './report.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (f, d) => {
  const i = args.indexOf(f);
  return i >= 0 ? args[i + 1] : d;
};
const opId = args.find((a) => !a.startsWith('--') && !args[args.indexOf(a) - 1]?.startsWith('--'));
const dist = path.resolve(opt('--dist', path.join(BENCH, 'variants', 's-names')));
const seconds = Number(opt('--seconds', 4));
const mode = opt('--mode', 'steady');
const top = Number(opt('--top', 25));

const glue = fs.existsSync(path.join(dist, 'kms_offline.js')) ? 'kms_offline.js' : 'node.cjs';
const lib = require(path.join(dist, glue));
const fixtures = {};
for (const f of fs.readdirSync(path.join(REPO, 'tests/fixtures/keys')).filter((f) => f.endsWith('.json') && f !== 'index.json')) {
  fixtures[f.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(REPO, 'tests/fixtures/keys', f), 'utf8'));
}
const ops = defineOperations({ kms: [{ name: 'kms-offline', lib }], fixtures });
const op = ops.find((o) => o.id === opId);
if (!op) {
  console.error(`unknown op ${opId}; one of: ${ops.map((o) => o.id).join(' ')}`);
  process.exit(1);
}
const m = await op.impls[0].make(op.input);
const fn = m[mode];
for (let t0 = performance.now(); performance.now() - t0 < 500; ) fn(); // warm-up / tier-up

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
let count = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  fn();
  count++;
}
const elapsed = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

// self time per function
const total = profile.samples.length;
const hits = new Map(profile.nodes.map((n) => [n.id, 0]));
for (const s of profile.samples) hits.set(s, hits.get(s) + 1);
const byFn = new Map();
for (const n of profile.nodes) {
  const name = n.callFrame.functionName || `(${n.callFrame.url || 'anonymous'})`;
  byFn.set(name, (byFn.get(name) ?? 0) + hits.get(n.id));
}
/** Readable names for mangled Rust symbols: the path segments of legacy (_ZN) and v0 (_R) mangling. */
function demangle(sym) {
  let s = sym.replace(/^\$/, '');
  const legacy = s.match(/_ZN(.*)17h[0-9a-f]{16}E/);
  if (legacy) {
    const segs = [];
    let r = legacy[1];
    while (r.length) {
      const m = r.match(/^(\d+)/);
      if (!m) break;
      segs.push(r.slice(m[1].length, m[1].length + Number(m[1])));
      r = r.slice(m[1].length + Number(m[1]));
    }
    return segs
      .join('::')
      .replace(/\$LT\$/g, '<')
      .replace(/\$GT\$/g, '>')
      .replace(/\$u20\$/g, ' ')
      .replace(/\$RF\$/g, '&')
      .replace(/\$C\$/g, ',')
      .replace(/\.\./g, '::');
  }
  if (s.startsWith('_R')) return [...s.matchAll(/(\d+)([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[2].slice(0, Number(m[1]))).join('::');
  return s;
}
const crateOf = (d) => (d.match(/^<?&?(?:mut )?([a-z_][a-z0-9_]*)::/)?.[1] ?? d.split('::')[0]);
const rows = [...byFn.entries()].map(([n, h]) => ({ name: demangle(n), pct: (100 * h) / total })).sort((a, b) => b.pct - a.pct);
const byCrate = new Map();
for (const r of rows) byCrate.set(crateOf(r.name), (byCrate.get(crateOf(r.name)) ?? 0) + r.pct);

console.log(`${op.title} (${mode}) with ${path.relative(REPO, dist)}: ${((elapsed * 1000) / count).toFixed(1)} µs/op over ${count} ops (under the profiler)`);
console.log('\nself time by crate:');
for (const [c, p] of [...byCrate.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`  ${p.toFixed(1).padStart(5)}%  ${c}`);
console.log('\nself time by function:');
for (const r of rows.slice(0, top)) console.log(`  ${r.pct.toFixed(1).padStart(5)}%  ${r.name.slice(0, 150)}`);
