#!/usr/bin/env node
// kms-offline benchmark in headless Chromium: the suite of bench/suite.mjs with the browser's own WebCrypto, the
// package's web entry (dist/web.js + .wasm), @noble (pure ESM) and jsrsasign, node-forge, elliptic and sm-crypto-v2
// (CommonJS or with Node imports: bundled for the browser first by Vite, bench/browser-libs.js). node:crypto is
// Node-only; the Node run has it.
//
//   node bench/browser.mjs [--quick] [--dist DIR] [--only REGEX] [--no-write] [--before DIR] [--ready-only] [--ready-samples N] [--no-webui]
// Writes bench/results/<date>-chromium.json and regenerates bench/RESULTS.md (full runs).
// --before DIR adds another build's web entry (e.g. main's pkg/dist) to the suite as "kms-offline before", in the
// same rounds, and to the cold-ready measures (bench/NOTES.md §23). --ready-only measures cold module ready alone.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { BENCH, REPO, machine, markdownTable, textTable, saveResult, writeResultsMd, commandLine } from './report.mjs';

const { flag, opt } = commandLine(process.argv.slice(2));
const quick = flag('--quick');
const dist = path.resolve(opt('--dist') ?? path.join(REPO, 'pkg', 'dist'));
const before = opt('--before') && path.resolve(opt('--before'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// CHROMIUM_JS_FLAGS: V8 flags for an experiment (e.g. --wasm-lazy-compilation, bench/NOTES.md §23)
// --no-webui: Chromium without the omnibox popup WebUI it loads in every new window, i.e. in every fresh context of the
// ready measures (a renderer of its own competing for the cores; a page opened in a running browser does not pay it:
// bench/NOTES.md §28)
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...(process.env.CHROMIUM_JS_FLAGS ? [`--js-flags=${process.env.CHROMIUM_JS_FLAGS}`] : []), ...(flag('--no-webui') ? ['--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI'] : [])];
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

// ------------------------------------------------------------------ pages and a static server on 127.0.0.1
const importMap = JSON.stringify({
  imports: {
    '@noble/curves/': '/node_modules/@noble/curves/',
    '@noble/hashes/': '/node_modules/@noble/hashes/',
    '@noble/post-quantum/': '/node_modules/@noble/post-quantum/',
  },
});
const BENCH_PAGE = `<!doctype html><meta charset="utf-8"><title>kms-offline bench</title>
<script type="importmap">${importMap}</script><script type="module" src="/bench/browser-page.mjs"></script>`;
// Module ready: import the web entry (fetch + compile + instantiate), then the first operation. ?entry= names the
// entry's directory under dist ('' for the main entry, 'verify-p256/'), ?root= the build ('dist', or 'before' for
// --before's); ?compile=1 times only WebAssembly.compileStreaming of its .wasm (what a fresh context compiles before
// it can instantiate).
const READY_PAGE = `<!doctype html><meta charset="utf-8"><title>ready</title><script type="module">
const entry = new URLSearchParams(location.search).get('entry') ?? '';
const root = '/' + (new URLSearchParams(location.search).get('root') ?? 'dist') + '/';
if (new URLSearchParams(location.search).get('compile')) {
  const t0 = performance.now();
  await WebAssembly.compileStreaming(fetch(entry === 'empty' ? '/empty.wasm' : root + entry + 'kms_offline_bg.wasm'));
  window.__ready = { readyMs: performance.now() - t0, firstOpMs: 0, ok: true };
  console.log('kms-ready');
  throw 'compiled';
}
const t0 = performance.now();
const { KmsPublicKey } = await import(root + entry + 'web.js');
const t1 = performance.now();
const fx = await (await fetch('/keys/ECC_NIST_P256_SIGN_VERIFY.json')).json();
const sig = fx.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && /low-S/.test(s.Note));
const t2 = performance.now();
const key = KmsPublicKey.fromGetPublicKey(fx.GetPublicKey);
const ok = key.verify({ Message: sig.Message, MessageEncoding: 'base64', Signature: sig.Signature, SigningAlgorithm: 'ECDSA_SHA_256' });
const t3 = performance.now();
window.__ready = { readyMs: t1 - t0, firstOpMs: t3 - t2, ok };
console.log('kms-ready');
</script>`;

// The CommonJS alternatives as one ES module for the page (~0.5 s; Vite says it stubs sm-crypto-v2's `crypto` import,
// which is Node's and unused in browsers, where it takes globalThis.crypto).
const LIBS = path.join(REPO, 'target', 'bench-browser-libs');
await build({
  configFile: false,
  logLevel: 'error',
  root: REPO,
  build: { lib: { entry: path.join(BENCH, 'browser-libs.js'), formats: ['es'], fileName: () => 'libs.js' }, outDir: LIBS, emptyOutDir: true, minify: false, reportCompressedSize: false },
});

const mounts = [
  ['/dist/', dist],
  ...(before ? [['/before/', before]] : []),
  ['/libs/', LIBS],
  ['/bench/', BENCH],
  ['/keys/', KEYS],
  ['/node_modules/@noble/', path.join(REPO, 'node_modules', '@noble')],
];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' };
  const send = (status, body, type) => {
    res.writeHead(status, { ...headers, 'content-type': type ?? 'text/plain' });
    res.end(body);
  };
  if (url.pathname === '/') return send(200, BENCH_PAGE, MIME['.html']);
  if (url.pathname === '/ready.html') return send(200, READY_PAGE, MIME['.html']);
  // the smallest module (magic and version only): what a fresh context's fetch + compile costs with no code at all
  if (url.pathname === '/empty.wasm') return send(200, Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), MIME['.wasm']);
  if (url.pathname === '/fixture-names.json') {
    const names = fs.readdirSync(KEYS).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.replace(/\.json$/, ''));
    return send(200, JSON.stringify(names), MIME['.json']);
  }
  for (const [prefix, dir] of mounts) {
    if (!url.pathname.startsWith(prefix)) continue;
    const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return send(404, 'not found');
    return send(200, fs.readFileSync(file), MIME[path.extname(file)] ?? 'application/octet-stream');
  }
  send(404, 'not found');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------ run
// playwright gives the browser a fresh temporary profile (its own --user-data-dir) and removes it on close.
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
const m = machine();
let exitCode = 0;
try {
  console.log(`kms-offline benchmark in ${m.chromium ?? 'Chromium'} (${quick ? 'quick' : 'full'}), ${m.nproc} cores, ${m.cpu}, load ${m.load.join(' ')}`);
  console.log(`dist: ${path.relative(REPO, dist)}`);

  // Module ready: a fresh context (empty HTTP and code caches) per sample; the main entry, then the other measures
  // (interleaved per sample, so that a loaded machine slows them alike).
  // The family entry measured is p256 (the ready page's first operation is a P-256 verify).
  const readyKinds = [
    ['kms-offline (web.js: fetch + compile + instantiate)', '', false],
    ['kms-offline/p256 (web.js: fetch + compile + instantiate)', 'p256/', false],
    ['kms-offline/verify-p256 (web.js: fetch + compile + instantiate)', 'verify-p256/', false],
    ['kms-offline: compileStreaming of the .wasm alone', '', true],
    ['kms-offline/p256: compileStreaming of the .wasm alone', 'p256/', true],
    ['kms-offline/verify-p256: compileStreaming of the .wasm alone', 'verify-p256/', true],
    ['an empty .wasm: compileStreaming (the floor of a fresh context)', 'empty', true],
  ]
    .flatMap(([name, entry, compile]) => [[name, entry, compile, 'dist'], ...(before ? [[`before: ${name}`, entry, compile, 'before']] : [])])
    .filter(([, entry, , root]) => entry === 'empty' ? root === 'dist' : fs.existsSync(path.join(root === 'before' ? before : dist, entry, 'web.js')));
  const readies = readyKinds.map(() => []);
  for (let i = 0; i < Number(opt('--ready-samples') ?? (quick ? 5 : 11)); i++) {
    for (const [k, [, entry, compile, root]] of readyKinds.entries()) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      // The page says it is done on the console: page.waitForFunction would inject Playwright's script into the page
      // while the module loads (~10 ms of its main thread in a trace: bench/ready-trace.mjs, bench/NOTES.md §28), and
      // page.goto's default wait for `load` does not wait for the module's top-level await anyway.
      const done = page.waitForEvent('console', { predicate: (msg) => msg.text() === 'kms-ready', timeout: 60_000 });
      await page.goto(`${origin}/ready.html?${new URLSearchParams({ entry, root, ...(compile ? { compile: '1' } : {}) })}`, { waitUntil: 'commit' });
      await done;
      const r = await page.evaluate(() => window.__ready);
      if (!r.ok) throw new Error('first verify in the ready page returned false');
      readies[k].push(r);
      await ctx.close();
    }
  }
  const instantiate = readyKinds.map(([name, , compile], k) => {
    const sorted = (key) => readies[k].map((r) => r[key]).sort((a, b) => a - b);
    const q = (key, p) => sorted(key)[Math.min(readies[k].length - 1, Math.floor(p * (readies[k].length - 1) + 0.5))];
    return { name, readyMs: q('readyMs', 0.5), p25: q('readyMs', 0.25), p75: q('readyMs', 0.75), firstOpMs: compile ? undefined : q('firstOpMs', 0.5), firstOp: compile ? undefined : 'load P-256 key + verify', samples: readies[k].length };
  });
  for (const r of instantiate) console.log(`module ready, ${r.name}: ${r.readyMs.toFixed(1)} ms median (p25 ${r.p25.toFixed(1)}, p75 ${r.p75.toFixed(1)}; fresh context each)${r.firstOp ? `, first op ${r.firstOpMs.toFixed(1)} ms` : ''}`);
  if (flag('--ready-only')) throw 'ready-only';

  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'log') console.log(msg.text());
    else if (msg.type() === 'error') console.error(`[page] ${msg.text()}`);
  });
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  const qs = new URLSearchParams({ ...(quick ? { quick: '1' } : {}), ...(opt('--only') ? { only: opt('--only') } : {}), ...(before ? { before: '1' } : {}) });
  await page.goto(`${origin}/?${qs}`);
  await page.waitForFunction(() => window.__kmsDone === true, null, { timeout: 0, polling: 500 });
  const report = await page.evaluate(() => window.__kmsReport);
  await ctx.close();
  if (report.error) throw new Error(`the page failed: ${report.error}`);
  console.log(`page: crossOriginIsolated=${report.crossOriginIsolated}; ${report.userAgent}`);

  const run = { kind: 'chromium', quick, machine: m, userAgent: report.userAgent, rows: report.rows, instantiate, dist: path.relative(REPO, dist) };
  console.log('\n' + textTable(run));
  if (!flag('--no-write')) {
    const stamp = m.date.slice(0, 19).replace(/[:T]/g, '-');
    const file = saveResult(`${stamp}-chromium${quick ? '-quick' : ''}${opt('--only') ? '-partial' : ''}.json`, run);
    console.log(`\nwrote ${path.relative(REPO, file)}`);
    if (!quick && !opt('--only')) console.log(`wrote ${path.relative(REPO, writeResultsMd())}`);
  }
} catch (e) {
  if (e !== 'ready-only') {
    console.error(e);
    exitCode = 1;
  }
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
process.exit(exitCode);
