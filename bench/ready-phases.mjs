#!/usr/bin/env node
// Cold module ready in headless Chromium, phase by phase (issue 24, bench/NOTES.md §28): where the milliseconds
// between `import('…/web.js')` and the first export call go in a fresh browser context, and what a change to the
// glue's init path, the server's headers or the module's size does to them.
//
//   node bench/ready-phases.mjs [--samples N] [--entries verify-p256,p256] [--dist DIR] [--variant NAME=DIR ...]
//                               [--glues asis,early,split,early-split] [--synth] [--cacheable] [--preload] [--ui on|off|both] [--json FILE]
//
// Each sample is a fresh context (empty HTTP, code and module caches), all kinds interleaved per sample, medians
// (and p25/p75) printed. Per kind the page reports, in ms from the moment it calls import() (t0):
//   web.js fetch      Resource Timing of web.js: request start, response end (the module script's fetch)
//   glue eval start   the first statement of the glue runs (a mark the server inserts): fetch + parse + link done
//   wasm fetch        Resource Timing of the .wasm: request start, response end
//   bytes             the .wasm's bytes in hand (arrayBuffer resolved; only in the `bytes` and `sync` glues)
//   compiled          the module compiled (only in the `split` and `sync` glues, which compile then instantiate)
//   instantiated      instantiateStreaming / instantiate resolved
//   start fn          wasm-bindgen's start function (__wbindgen_start), its duration
//   ready             import() resolved
//   first call        KmsPublicKey.fromGetPublicKey of the P-256 fixture, then its first verify (each timed)
// Glues (text changes the server applies to the entry's web.js; `asis` is the shipped file):
//   asis         wasm-bindgen's init as shipped: fetch + instantiateStreaming issued by the glue's last statement
//   early        the .wasm's fetch issued by the glue's first statement, handed to init at the end
//   split        WebAssembly.compileStreaming, then WebAssembly.instantiate(module) instead of instantiateStreaming
//   early-split  both
//   bytes        fetch, arrayBuffer, then WebAssembly.instantiate(bytes) (no streaming compile; early-bytes: both)
//   sync         fetch, arrayBuffer, then new WebAssembly.Module + new WebAssembly.Instance on the main thread
//                (no compile task at all; early-sync: both)
//   inline       an experiment: the .wasm in web.js as base64 (one request), compiled synchronously (initSync);
//                inline-async: WebAssembly.instantiate from those bytes
// --cacheable serves the entries a second time with `cache-control: public, max-age=31536000, immutable` instead of
// `no-store` (kinds "…, cacheable"): a real CDN's headers, whose code-cache bookkeeping could cost a cold load.
// --preload adds, per entry, the shipped glue with the page adding <link rel=preload as=fetch crossorigin> for the
// .wasm just before its import(): both requests start together (what a page can do; the glue cannot do it earlier).
// --synth adds synthetic modules through WebAssembly.compileStreaming alone: empty, and modules with the shape of
// the first entry's code section (same function count, same total body bytes) whose bodies are `nop`s, at 1/2, 1,
// 2 and 4 times that size: the cost of a fresh context + fetch + compile with no code, and the slope per 100 KB.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, machine } from './report.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const opts = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));
const flag = (name) => args.includes(name);
const SAMPLES = Number(opt('--samples') ?? 9);
const ENTRIES = (opt('--entries') ?? 'verify-p256,p256').split(',');
const GLUES = (opt('--glues') ?? 'asis,early,split,early-split').split(',');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Chromium 156 loads its omnibox popup WebUI (chrome://omnibox-popup.top-chrome, a renderer of its own) in every new
// window, i.e. in every fresh context: ~60 ms of CPU during the ready window (a trace, bench/NOTES.md §28), on a
// 2-core machine. A page in an open browser does not pay it; `--ui off` turns it off, `--ui both` measures each kind
// in a browser with it and one without (interleaved), `--ui on` (default) is Chromium as it comes.
const NO_UI = ['--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI'];
const UIS = { on: ['on'], off: ['off'], both: ['on', 'off'] }[opt('--ui') ?? 'on'];
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...(process.env.CHROMIUM_JS_FLAGS ? [`--js-flags=${process.env.CHROMIUM_JS_FLAGS}`] : [])];
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
// builds: name -> dist directory (the package's dist, whose entry subdirectories hold web.js + .wasm)
const builds = new Map([['dist', path.resolve(opt('--dist') ?? path.join(REPO, 'pkg', 'dist'))], ...opts('--variant').map((v) => {
  const [name, dir] = v.split('=');
  return [name, path.resolve(dir)];
})]);
for (const [name, dir] of builds) for (const e of ENTRIES) {
  if (!fs.existsSync(path.join(dir, e, 'web.js'))) throw new Error(`${name}: no ${e}/web.js in ${dir}`);
}

// ------------------------------------------------------------------ the glue variants (text changes of web.js)
const FINAL_INIT = "await __wbg_init({ module_or_path: new URL('./kms_offline_bg.wasm', import.meta.url) });";
const STREAMING = 'return await WebAssembly.instantiateStreaming(module, imports);';
const START = 'wasm.__wbindgen_start();';
function replaceOnce(text, from, to) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`the glue does not contain exactly one ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
/** web.js as the glue `kind` has it, with performance marks at its first statement, around the start function and
 * around the module's instantiation (a mark costs ~µs). */
function glue(text, kind, wasmBytes) {
  if (kind.startsWith('inline')) return inlineGlue(text, kind, wasmBytes);
  const lines = text.split('\n');
  // line 1 is the ts-self-types comment; the mark goes right after it, before any other statement
  const early = kind.startsWith('early') ? "const __kmsWasmFetch = fetch(new URL('./kms_offline_bg.wasm', import.meta.url));\n" : '';
  let out = [lines[0], "performance.mark('glue-eval-start');", early + lines.slice(1).join('\n')].join('\n');
  out = replaceOnce(out, START, `performance.mark('start-begin'); ${START} performance.mark('start-end');`);
  out = replaceOnce(out, STREAMING, {
    split: "{ const m = await WebAssembly.compileStreaming(module); performance.mark('compiled'); const instance = await WebAssembly.instantiate(m, imports); performance.mark('instantiated'); return { instance, module: m }; }",
    bytes: "{ const b = await module.arrayBuffer(); performance.mark('bytes'); const r = await WebAssembly.instantiate(b, imports); performance.mark('instantiated'); return r; }",
    sync: "{ const b = await module.arrayBuffer(); performance.mark('bytes'); const m = new WebAssembly.Module(b); performance.mark('compiled'); const instance = new WebAssembly.Instance(m, imports); performance.mark('instantiated'); return { instance, module: m }; }",
    streaming: "{ const r = await WebAssembly.instantiateStreaming(module, imports); performance.mark('instantiated'); return r; }",
  }[kind.replace(/^early-?/, '').replace(/^(asis)?$/, 'streaming')] ?? (() => { throw new Error(`unknown glue ${kind}`); })());
  out = replaceOnce(out, FINAL_INIT, kind.startsWith('early')
    ? "performance.mark('glue-body-end');\nawait __wbg_init({ module_or_path: __kmsWasmFetch });"
    : `performance.mark('glue-body-end');\n${FINAL_INIT}`);
  return out;
}

/** An experiment, not a shippable form (gzip of base64 is ~40 % more than gzip of the .wasm): the .wasm inline in
 * web.js as base64, so the module needs one request instead of two. `inline`: decoded and compiled synchronously
 * (initSync); `inline-async`: WebAssembly.instantiate from the bytes. */
function inlineGlue(text, kind, wasmBytes) {
  const bytes = `Uint8Array.fromBase64('${wasmBytes.toString('base64')}')`;
  let out = replaceOnce(text, START, `performance.mark('start-begin'); ${START} performance.mark('start-end');`);
  return replaceOnce(out, FINAL_INIT, kind === 'inline'
    ? `performance.mark('glue-body-end');\n{ const b = ${bytes}; performance.mark('bytes'); initSync({ module: b }); performance.mark('instantiated'); }`
    : `performance.mark('glue-body-end');\n{ const b = ${bytes}; performance.mark('bytes'); await __wbg_init({ module_or_path: b }); performance.mark('instantiated'); }`);
}

// ------------------------------------------------------------------ synthetic modules
function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
const section = (id, body) => [id, ...leb(body.length), ...body];
/** The function count and code-section body bytes of a .wasm. */
function codeShape(bytes) {
  let i = 8;
  const readLeb = () => { let n = 0, shift = 0, b; do { b = bytes[i++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80); return n; };
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = readLeb();
    const end = i + size;
    if (id === 10) return { functions: readLeb(), bytes: size };
    i = end;
  }
  throw new Error('no code section');
}
/** A module of `functions` functions of type () -> () whose bodies are `nop`s, `bodyBytes` code bytes in all. */
function nopModule(functions, bodyBytes) {
  const per = Math.max(3, Math.floor(bodyBytes / functions));
  const bodies = [];
  for (let f = 0; f < functions; f++) {
    const body = [0, ...new Array(per - 2).fill(0x01), 0x0b]; // no locals, nops, end
    bodies.push(...leb(body.length), ...body);
  }
  const funcs = [...leb(functions), ...new Array(functions).fill(0)];
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, [1, 0x60, 0, 0]), ...section(3, funcs), ...section(10, [...leb(functions), ...bodies])]);
}
const synth = new Map([['empty', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])]]);
let shape;
if (flag('--synth')) {
  shape = codeShape(fs.readFileSync(path.join(builds.get('dist'), ENTRIES[0], 'kms_offline_bg.wasm')));
  for (const x of [0.5, 1, 2, 4]) synth.set(`nop-x${x}`, nopModule(Math.round(shape.functions * x), Math.round(shape.bytes * x)));
}

// ------------------------------------------------------------------ server and page
const PAGE = `<!doctype html><meta charset="utf-8"><title>ready phases</title><script type="module">
const q = new URLSearchParams(location.search);
const rel = (t) => t - t0;
const marks = () => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, rel(m.startTime)]));
const res = (re) => { const e = performance.getEntriesByType('resource').find((r) => re.test(r.name)); return e && { start: rel(e.startTime), requestStart: rel(e.requestStart), responseStart: rel(e.responseStart), end: rel(e.responseEnd) }; };
let t0;
try {
  if (q.get('synth')) {
    t0 = performance.now();
    await WebAssembly.compileStreaming(fetch('/synth/' + q.get('synth') + '.wasm'));
    window.__r = { ready: performance.now() - t0, wasm: res(/\\.wasm/) };
  } else {
    t0 = performance.now();
    if (q.get('preload')) {
      // what a page can do: name the .wasm in a preload hint as it imports web.js, so both requests start together
      const link = Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: new URL('kms_offline_bg.wasm', new URL(q.get('src'), location.href)).href });
      document.head.append(link);
    }
    const { KmsPublicKey } = await import(q.get('src'));
    const t1 = performance.now();
    const fx = await (await fetch('/keys/ECC_NIST_P256_SIGN_VERIFY.json')).json();
    const sig = fx.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && /low-S/.test(s.Note));
    const t2 = performance.now();
    const key = KmsPublicKey.fromGetPublicKey(fx.GetPublicKey);
    const t3 = performance.now();
    const ok = key.verify({ Message: sig.Message, MessageEncoding: 'base64', Signature: sig.Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
    const t4 = performance.now();
    if (!ok) throw new Error('the first verify returned false');
    window.__r = { ready: t1 - t0, load: t3 - t2, verify: t4 - t3, marks: marks(), glue: res(/web\\.js/), wasm: res(/\\.wasm/) };
  }
} catch (e) { window.__r = { error: String(e && e.stack || e) }; }
console.log('kms-ready');
</script>`;

const NO_STORE = 'no-store';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const send = (status, body, type, cache = NO_STORE) => {
    // cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs
    res.writeHead(status, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': cache, 'content-type': type });
    res.end(body);
  };
  if (url.pathname === '/ready.html') return send(200, PAGE, 'text/html; charset=utf-8');
  if (url.pathname.startsWith('/keys/')) return send(200, fs.readFileSync(path.join(KEYS, path.basename(url.pathname))), 'application/json');
  let m = url.pathname.match(/^\/synth\/([\w.-]+)\.wasm$/);
  if (m && synth.has(m[1])) return send(200, synth.get(m[1]), 'application/wasm');
  // /b/<build>/<glue>/<cache>/<entry>/(web.js|kms_offline_bg.wasm)
  m = url.pathname.match(/^\/b\/([\w-]+)\/([\w-]+)\/(nostore|cacheable)\/([\w-]+)\/(web\.js|kms_offline_bg\.wasm)$/);
  if (m && builds.has(m[1]) && GLUES.includes(m[2]) && ENTRIES.includes(m[4])) {
    const file = path.join(builds.get(m[1]), m[4], m[5]);
    const cache = m[3] === 'cacheable' ? IMMUTABLE : NO_STORE;
    if (m[5] === 'web.js') return send(200, glue(fs.readFileSync(file, 'utf8'), m[2], fs.readFileSync(path.join(builds.get(m[1]), m[4], 'kms_offline_bg.wasm'))), 'text/javascript', cache);
    return send(200, fs.readFileSync(file), 'application/wasm', cache);
  }
  send(404, 'not found', 'text/plain');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------ kinds, samples
const kinds = [];
for (const entry of ENTRIES) for (const [build] of builds) for (const g of GLUES) {
  for (const cache of ['nostore', ...(flag('--cacheable') && g === 'asis' ? ['cacheable'] : [])]) {
    kinds.push({ name: `${entry} ${build === 'dist' ? '' : build + ' '}${g}${cache === 'cacheable' ? ', cacheable' : ''}`, qs: { src: `/b/${build}/${g}/${cache}/${entry}/web.js` } });
  }
  if (flag('--preload') && g === 'asis') kinds.push({ name: `${entry} ${build === 'dist' ? '' : build + ' '}asis, page preloads the .wasm`, qs: { src: `/b/${build}/${g}/nostore/${entry}/web.js`, preload: '1' } });
}
for (const [name] of synth) kinds.push({ name: `synth ${name}`, qs: { synth: name } });
if (UIS.length > 1) kinds.splice(0, kinds.length, ...kinds.flatMap((k) => UIS.map((ui) => ({ ...k, ui, name: `${k.name} [ui ${ui}]` }))));
else for (const k of kinds) k.ui = UIS[0];

const m0 = machine();
const browsers = Object.fromEntries(await Promise.all(UIS.map(async (ui) => [ui, await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...(ui === 'off' ? NO_UI : [])] })])));
const results = kinds.map(() => []);
try {
  console.log(`${m0.chromium}, ${m0.nproc} cores, load ${m0.load.join(' ')}; ${SAMPLES} samples, fresh context each, interleaved; omnibox popup WebUI: ${UIS.join(', ')}`);
  for (const [name, dir] of builds) for (const e of ENTRIES) {
    const wasm = fs.readFileSync(path.join(dir, e, 'kms_offline_bg.wasm'));
    const s = codeShape(wasm);
    console.log(`${name} ${e}: .wasm ${wasm.length} B, code section ${s.bytes} B in ${s.functions} functions`);
  }
  if (shape) console.log(`synthetic nop modules: x1 = ${shape.functions} functions, ${shape.bytes} B of code`);
  for (let i = 0; i < SAMPLES; i++) {
    for (const [k, kind] of kinds.entries()) {
      const ctx = await browsers[kind.ui].newContext();
      const page = await ctx.newPage();
      // waiting for a console message, not page.waitForFunction: that injects Playwright's script into the page
      // (~10 ms of the page's main thread, bench/ready-trace.mjs) while the module loads
      const done = page.waitForEvent('console', { predicate: (msg) => msg.text() === 'kms-ready', timeout: 60_000 });
      await page.goto(`${origin}/ready.html?${new URLSearchParams(kind.qs)}`, { waitUntil: 'commit' });
      await done;
      const r = await page.evaluate(() => window.__r);
      await ctx.close();
      if (r.error) throw new Error(`${kind.name}: ${r.error}`);
      results[k].push(r);
    }
  }
} finally {
  for (const b of Object.values(browsers)) await b.close();
  server.close();
  server.closeAllConnections();
}

// ------------------------------------------------------------------ report: medians (p25-p75) per phase
const COLUMNS = [
  ['web.js req', (r) => r.glue?.requestStart],
  ['web.js end', (r) => r.glue?.end],
  ['glue eval', (r) => r.marks?.['glue-eval-start']],
  ['glue end', (r) => r.marks?.['glue-body-end']],
  ['wasm start', (r) => r.wasm?.start],
  ['wasm end', (r) => r.wasm?.end],
  ['bytes', (r) => r.marks?.bytes],
  ['compiled', (r) => r.marks?.compiled],
  ['instantiated', (r) => r.marks?.instantiated],
  ['start fn', (r) => r.marks && r.marks['start-end'] - r.marks['start-begin']],
  ['ready', (r) => r.ready],
  ['key load', (r) => r.load],
  ['1st verify', (r) => r.verify],
];
const quantile = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * (xs.length - 1) + 0.5))];
const summary = kinds.map((kind, k) => {
  const row = { kind: kind.name };
  for (const [col, f] of COLUMNS) {
    const xs = results[k].map(f).filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
    if (xs.length) row[col] = { median: quantile(xs, 0.5), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), min: xs[0] };
  }
  return row;
});
const m1 = machine();
console.log(`\nms from import() (medians of ${SAMPLES}; ready with p25-p75 and the fastest); load after: ${m1.load.join(' ')}`);
console.log(['| kind', ...COLUMNS.map(([c]) => c)].join(' | ') + ' |');
console.log('|---' + '|---:'.repeat(COLUMNS.length) + '|');
for (const row of summary) {
  const cells = COLUMNS.map(([c]) => {
    const v = row[c];
    if (!v) return '';
    return c === 'ready' ? `**${v.median.toFixed(1)}** (${v.p25.toFixed(1)}-${v.p75.toFixed(1)}; min ${v.min.toFixed(1)})` : v.median.toFixed(1);
  });
  console.log(`| ${row.kind} | ${cells.join(' | ')} |`);
}
if (opt('--json')) fs.writeFileSync(opt('--json'), JSON.stringify({ machine: m0, loadAfter: m1.load, samples: SAMPLES, kinds: kinds.map((k) => k.name), results, summary }, null, 1));
