// The size of every entry of the npm package as a web page ships it: gzip -9 of the entry's .wasm plus its
// browser glue (web.js), and the raw sizes, from a built pkg/dist (scripts/build.sh). The budgets below are
// the one table of size limits; tests/js/size-budget.test.mjs fails when an entry exceeds its budget.
//
//   node bench/entry-sizes.mjs [dist dir]          a Markdown table (bench/NOTES.md §18, README.md)
//   node bench/entry-sizes.mjs --json [dist dir]   the same as JSON
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(REPO_ROOT, 'pkg', 'dist');
const KB = 1024;

// Issue 21's targets (gzip -9, .wasm + web.js): the main entry <= 200 KB, a single-family entry <= 40 KB,
// P-256 <= 30 KB. An entry whose target is not met yet has as budget its size measured on 2026-12-07
// (bench/NOTES.md §18) rounded up to the next 2 KB, so growth fails now and shrinking moves the budget down
// to the target; `measured` and the gap are there for the record. 1 KB = 1024 bytes.
// `entry` is the package subpath without './' ('.' is the main entry `kms-offline`).
export const BUDGETS = {
  '.': { target: 200 * KB, budget: 498 * KB, measured: 508_074 }, // target 200 KB missed by 296.2 KB
  rsa: { target: 40 * KB, budget: 124 * KB, measured: 125_121 }, // target 40 KB missed by 82.2 KB
  p256: { target: 30 * KB, budget: 136 * KB, measured: 138_630 }, // target 30 KB missed by 105.4 KB
  p384: { target: 40 * KB, budget: 132 * KB, measured: 134_686 }, // target 40 KB missed by 91.5 KB
  p521: { target: 40 * KB, budget: 150 * KB, measured: 152_475 }, // target 40 KB missed by 108.9 KB
  secp256k1: { target: 40 * KB, budget: 100 * KB, measured: 101_861 }, // target 40 KB missed by 59.5 KB
  sm2: { target: 40 * KB, budget: 130 * KB, measured: 131_350 }, // target 40 KB missed by 88.3 KB
  ed25519: { target: 40 * KB, budget: 108 * KB, measured: 110_067 }, // target 40 KB missed by 67.5 KB
  'ml-dsa': { target: 40 * KB, budget: 98 * KB, measured: 100_329 }, // target 40 KB missed by 58.0 KB
  'ml-kem': { target: 40 * KB, budget: 100 * KB, measured: 100_492 }, // target 40 KB missed by 58.1 KB
  'verify-p256': { target: 30 * KB, budget: 96 * KB, measured: 97_176 }, // target 30 KB missed by 64.9 KB
};

// gzip -9 as zlib level 9 does it (within 0.2 % of the gzip command's bytes; the build log prints those).
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;

/** The entry's directory in dist ('.' is dist itself). */
export const entryDir = (entry, dist = DIST) => (entry === '.' ? dist : path.join(dist, entry));

/** { entry, wasm, wasmGzip, glue, glueGzip, total } in bytes; total = wasmGzip + glueGzip (what a page ships). */
export function measure(entry, dist = DIST) {
  const dir = entryDir(entry, dist);
  const wasm = fs.readFileSync(path.join(dir, 'kms_offline_bg.wasm'));
  const glue = fs.readFileSync(path.join(dir, 'web.js'));
  const [wasmGzip, glueGzip] = [gzip(wasm), gzip(glue)];
  return { entry, wasm: wasm.length, wasmGzip, glue: glue.length, glueGzip, total: wasmGzip + glueGzip };
}

/** The package's entries with a build of their own: '.' and every `./<name>` export served from dist/<name>/. */
export function packageEntries(packageJson) {
  return Object.entries(packageJson.exports)
    .filter(([subpath, conditions]) => subpath === '.' || conditions?.default?.default === `./dist/${subpath.slice(2)}/web.js`)
    .map(([subpath]) => (subpath === '.' ? '.' : subpath.slice(2)));
}

const kb = (bytes) => (bytes / KB).toFixed(1);

function table(rows) {
  const lines = [
    '| entry | .wasm raw | .wasm gzip -9 | web.js gzip -9 | **total gzip -9** | budget | target |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const b = BUDGETS[r.entry];
    const name = r.entry === '.' ? 'kms-offline' : `kms-offline/${r.entry}`;
    const target = b ? (r.total <= b.target ? `${kb(b.target)} KB met` : `${kb(b.target)} KB (+${kb(r.total - b.target)})`) : 'none';
    lines.push(`| \`${name}\` | ${r.wasm.toLocaleString('en')} B | ${r.wasmGzip.toLocaleString('en')} B | ${r.glueGzip.toLocaleString('en')} B | **${r.total.toLocaleString('en')} B (${kb(r.total)} KB)** | ${b ? `${kb(b.budget)} KB` : 'none'} | ${target} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const dist = path.resolve(args.find((a) => a !== '--json') ?? DIST);
  const packageJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'pkg', 'package.json'), 'utf8'));
  const rows = packageEntries(packageJson).map((entry) => measure(entry, dist));
  console.log(json ? JSON.stringify(rows, null, 2) : table(rows));
}
