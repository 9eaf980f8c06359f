// Formats benchmark results (from run.mjs and browser.mjs) as text and Markdown, and writes bench/RESULTS.md
// from the latest result files in bench/results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ratios, targets, fmtUs, fmtRatio } from './suite.mjs';

export const BENCH = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(BENCH, '..');
export const RESULTS_DIR = path.join(BENCH, 'results');

/** Where and with what the numbers were taken. */
export function machine() {
  let cpu = 'unknown';
  try {
    cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpu;
  } catch {}
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {}
  let chromium;
  try {
    chromium = execFileSync(process.env.CHROMIUM || '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {}
  let commit;
  try {
    commit = execFileSync('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', REPO, 'status', '--porcelain', 'src', 'Cargo.toml', 'Cargo.lock'], { encoding: 'utf8' }).trim();
    if (dirty) commit += ' (src modified)';
  } catch {}
  return { date: new Date().toISOString(), nproc, cpu, node: process.version, chromium, os: `${os.type()} ${os.release()}`, commit, load: os.loadavg().map((x) => Math.round(x * 100) / 100) };
}

/** Columns of the results table: header -> impl names shown in that cell (joined with " / "). */
const COLUMNS = [
  ['WebCrypto', ['WebCrypto']],
  ['node:crypto', ['node:crypto']],
  ['@noble', ['@noble/curves', '@noble/post-quantum']],
  ['jsrsasign', ['jsrsasign']],
  ['node-forge', ['node-forge']],
  ['elliptic', ['elliptic']],
  ['sm-crypto-v2 (plain / precomputed key)', ['sm-crypto-v2', 'sm-crypto-v2 (precomputed key)']],
];

function cell(row, names, mode) {
  const vals = names.filter((n) => row.impls[n]).map((n) => {
    const r = row.impls[n];
    if (r.na) return 'n/a';
    if (r.error) return 'FAILED';
    return r[mode] ? fmtUs(r[mode].us) : '';
  });
  return vals.length ? vals.join(' / ') : 'n/a';
}

/** The (kms build, mode) pairs a row has results for: the synchronous build, then its "async" (WebCrypto) one. */
function kmsRows(row, kmsName) {
  return [kmsName, `${kmsName} async`].flatMap((name) => ['steady', 'oneshot'].filter((mode) => row.impls[name]?.[mode]).map((mode) => [name, mode]));
}

/** Markdown table of one run (Node or Chromium). */
export function markdownTable(run, { kmsName = 'kms-offline', columns = COLUMNS } = {}) {
  const present = columns.filter(([, names]) => run.rows.some((row) => names.some((n) => row.impls[n])));
  const head = ['Operation', 'mode', 'kms-offline µs', ...present.map(([h]) => h), '÷ fastest alt', '÷ fastest pure JS', '÷ WebCrypto', 'targets'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const row of run.rows) {
    for (const [name, mode] of kmsRows(row, kmsName)) {
      const r = ratios(row, mode, name);
      const t = targets(row, mode, name);
      const label = `${mode === 'oneshot' ? 'one-shot' : row.group === 'load' ? 'load' : 'steady'}${name === kmsName ? '' : ' (async)'}`;
      lines.push(
        `| ${mode === 'steady' && name === kmsName ? row.title : ''} | ${label} | **${fmtUs(r.kms)}** | ${present
          .map(([, names]) => cell(row, names, mode))
          .join(' | ')} | ${r.fastest ? `${fmtRatio(r.fastest.ratio)} (${short(r.fastest.name)})` : 'n/a'} | ${r.js ? `${fmtRatio(r.js.ratio)} (${short(r.js.name)})` : 'n/a'} | ${r.webcrypto ? fmtRatio(r.webcrypto.ratio) : 'n/a'} | ${t
          .map((x) => `${x.ok ? 'met' : '**missed**'}: ${x.target}`)
          .join('; ')} |`,
      );
    }
  }
  return lines.join('\n');
}

const short = (n) => n.replace('@noble/curves', 'noble').replace('@noble/post-quantum', 'noble-pq').replace(' (precomputed key)', ' pre');

/** Plain-text table for the terminal. */
export function textTable(run, { kmsName = 'kms-offline' } = {}) {
  const out = [];
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  out.push(`${pad('operation', 46)}${pad('mode', 15)}${lpad('kms µs', 10)}${lpad('fastest alt µs', 16)}  ${pad('(which)', 26)}${lpad('÷alt', 8)}${lpad('÷pureJS', 9)}${lpad('÷WebCr', 8)}  targets`);
  for (const row of run.rows) {
    for (const [name, mode] of kmsRows(row, kmsName)) {
      const r = ratios(row, mode, name);
      const t = targets(row, mode, name);
      const label = `${mode === 'oneshot' ? 'one-shot' : row.group === 'load' ? 'load' : 'steady'}${name === kmsName ? '' : ' async'}`;
      out.push(
        `${pad(mode === 'steady' && name === kmsName ? row.title : '', 46)}${pad(label, 15)}${lpad(fmtUs(r.kms), 10)}${lpad(r.fastest ? fmtUs(r.fastest.us) : 'n/a', 16)}  ${pad(r.fastest ? short(r.fastest.name) : '', 26)}${lpad(r.fastest ? fmtRatio(r.fastest.ratio) : '', 8)}${lpad(r.js ? fmtRatio(r.js.ratio) : '', 9)}${lpad(r.webcrypto ? fmtRatio(r.webcrypto.ratio) : '', 8)}  ${t.map((x) => `${x.ok ? 'ok' : 'MISS'} ${x.target}`).join('; ')}`,
      );
    }
  }
  return out.join('\n');
}

/** Variant comparison: one column per build variant (µs), relative to the first. */
export function variantTable(run, variants, markdown = true) {
  const head = ['Operation', 'mode', ...variants.map((v) => `${v} µs`), ...variants.slice(1).map((v) => `${v} ÷ ${variants[0]}`)];
  const lines = markdown ? [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i < 2 ? '---' : '---:')).join('|')}|`] : [head.join('\t')];
  for (const row of run.rows) {
    for (const mode of ['steady', 'oneshot']) {
      const vals = variants.map((v) => row.impls[`kms-offline[${v}]`]?.[mode]?.us);
      if (vals.every((x) => x === undefined)) continue;
      const cells = [mode === 'steady' ? row.title : '', mode === 'oneshot' ? 'one-shot' : row.group === 'load' ? 'load' : 'steady', ...vals.map(fmtUs), ...vals.slice(1).map((x) => (x !== undefined && vals[0] ? fmtRatio(x / vals[0]) : ''))];
      lines.push(markdown ? `| ${cells.join(' | ')} |` : cells.join('\t'));
    }
  }
  return lines.join('\n');
}

/** The newest results file whose name ends with `suffix` (e.g. "-node.json"). */
export function latest(suffix) {
  if (!fs.existsSync(RESULTS_DIR)) return undefined;
  const files = fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith(suffix)).sort();
  return files.length ? JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, files.at(-1)), 'utf8')) : undefined;
}

export function saveResult(name, data) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, name);
  fs.writeFileSync(file, JSON.stringify(data, null, 1) + '\n');
  return file;
}

function machineLine(m) {
  return `${m.date.slice(0, 10)}; ${m.nproc} cores of ${m.cpu} (shared with other work, load average ${m.load.join(' ')}); ${m.os}; Node ${m.node}${m.chromium ? `; ${m.chromium}` : ''}; commit ${m.commit ?? '?'}`;
}

function sizeLines(s) {
  if (!s) return '';
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  return `Package measured: \`${s.dist}\`: kms_offline_bg.wasm ${kb(s.wasm.raw)} raw / **${kb(s.wasm.gzip)} gzip -9**; node.cjs glue ${kb(s.nodeGlue.raw)} / ${kb(s.nodeGlue.gzip)} gzip; web.js glue ${kb(s.webGlue.raw)} / ${kb(s.webGlue.gzip)} gzip; wasm + web glue **${kb(s.wasm.gzip + s.webGlue.gzip)} gzip**.${(s.families ?? []).map((f) => ` Entry \`kms-offline/${f.name}\`: wasm + web glue **${kb(f.wasm.gzip + f.webGlue.gzip)} gzip**.`).join('')}`;
}

function instLines(inst) {
  if (!inst) return '';
  const rows = [
    '| module | ready (import/require, instantiated) ms, median | p25–p75 | of which: compile alone (own process) ms | first operation after ready ms |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const r of inst) rows.push(`| ${r.name} | **${r.readyMs.toFixed(1)}** | ${r.p25.toFixed(1)}–${r.p75.toFixed(1)} | ${r.compileMs !== undefined ? r.compileMs.toFixed(1) : ''} | ${r.firstOpMs !== undefined ? `${r.firstOpMs.toFixed(1)} (${r.firstOp})` : ''} |`);
  return rows.join('\n');
}

/** The compact table for the project README: Node and Chromium side by side, steady / one-shot µs. */
export function summaryTable(node, chromium, kmsName = 'kms-offline') {
  const both = (row, name) => {
    const r = row?.impls[name];
    if (!r) return 'n/a';
    if (r.na) return 'n/a';
    const s = r.steady ? fmtUs(r.steady.us) : '';
    const o = r.oneshot ? fmtUs(r.oneshot.us) : '';
    return o ? `${s} / ${o}` : s;
  };
  const bestJs = (row) => {
    const m = ratios(row, 'steady', kmsName).js;
    return m ? `${both(row, m.name)} (${short(m.name)})` : 'n/a';
  };
  const head = ['Operation (µs, steady / one-shot)', 'kms-offline, Node', 'fastest pure JS, Node', 'node:crypto', 'WebCrypto, Node', 'kms-offline, Chromium', 'WebCrypto, Chromium', 'fastest pure JS, Chromium'];
  const lines = [`| ${head.join(' | ')} |`, `|---|${head.slice(1).map(() => '---:').join('|')}|`];
  for (const row of node.rows) {
    if (row.group === 'load') continue;
    const c = chromium?.rows.find((r) => r.id === row.id);
    lines.push(`| ${row.title} | **${both(row, kmsName)}** | ${bestJs(row)} | ${both(row, 'node:crypto')} | ${both(row, 'WebCrypto')} | ${c ? `**${both(c, kmsName)}**` : ''} | ${c ? both(c, 'WebCrypto') : ''} | ${c ? bestJs(c) : ''} |`);
  }
  return lines.join('\n');
}

/** bench/RESULTS.md from the newest Node, Chromium and variants results. */
export function writeResultsMd() {
  const node = latest('-node.json');
  const chromium = latest('-chromium.json');
  const variants = latest('-variants.json');
  const parts = [
    '# kms-offline benchmark results',
    '',
    'Generated by `node bench/run.mjs` (Node), `node bench/browser.mjs` (headless Chromium) and `node bench/run.mjs --variants ...`',
    '(build variants); see bench/README.md for what is measured and how. µs per operation, median of interleaved rounds',
    '(lower is better). **steady**: the key is loaded once (KmsPublicKey, CryptoKey, KeyObject, parsed key); **one-shot**: key',
    'loading from the GetPublicKey bytes + one operation. Ratios are kms-offline ÷ the alternative (below 1 = kms-offline is faster).',
    '"n/a": the library cannot do that operation. Every alternative was checked first on the same key and input: verify returns',
    'true for the fixture signature and false for a corrupted one; ciphertexts are decrypted with the private key; ECDH secrets are',
    're-derived from the other side; ML-KEM ciphertexts are decapsulated.',
    '',
  ];
  if (node) {
    parts.push('## Summary', '', `Node: ${machineLine(node.machine)}${chromium ? `  \nChromium: ${machineLine(chromium.machine)}` : ''}`, '', summaryTable(node, chromium), '');
    parts.push('## Node', '', machineLine(node.machine), '', sizeLines(node.sizes), '', markdownTable(node), '');
    if (node.instantiate) parts.push('### Module ready in Node (fresh process each time)', '', instLines(node.instantiate), '');
  }
  if (chromium) {
    parts.push('## Headless Chromium', '', machineLine(chromium.machine), '', markdownTable(chromium), '');
    if (chromium.instantiate) parts.push('### Module ready in Chromium', '', instLines(chromium.instantiate), '');
  }
  if (variants) {
    parts.push('## Build variants (Node, one process, interleaved)', '', machineLine(variants.machine), '');
    parts.push('| variant | built from | opt-level | RUSTFLAGS | wasm-opt | .wasm raw | .wasm gzip | web.js gzip | ready in Node ms |', '|---|---|---|---|---|---:|---:|---:|---:|');
    for (const v of variants.variants) {
      const s = v.sizes;
      const ready = variants.instantiate?.find((i) => i.name === `kms-offline[${v.name}]`)?.readyMs;
      parts.push(`| ${v.name} | ${(s?.source ?? '').replace(/^worktree of /, 'worktree ').slice(0, 16)} | ${s?.optLevel ?? ''} | ${s?.rustflags || ''} | ${s?.wasmOpt ? `binaryen ${s.wasmOpt}` : ''} | ${s?.wasm.raw.toLocaleString('en-US')} | ${s?.wasm.gzip.toLocaleString('en-US')} | ${s?.webGlue.gzip.toLocaleString('en-US')} | ${ready !== undefined ? ready.toFixed(1) : ''} |`);
    }
    parts.push('', variantTable(variants, variants.variants.map((v) => v.name)), '');
  }
  const file = path.join(BENCH, 'RESULTS.md');
  fs.writeFileSync(file, parts.join('\n'));
  return file;
}

/** The runners' options: `flag('--quick')` is present or not, `opt('--dist')` is the value after it. */
export function commandLine(args) {
  return {
    flag: (name) => args.includes(name),
    opt: (name) => {
      const i = args.indexOf(name);
      return i >= 0 ? args[i + 1] : undefined;
    },
  };
}
