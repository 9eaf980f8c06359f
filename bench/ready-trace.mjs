#!/usr/bin/env node
// Cold module ready in headless Chromium, by CPU time (bench/NOTES.md §28): a Chromium trace of each fresh-context
// `import('…/web.js')` and how much CPU each process spent between import() and ready: the page's renderer (main
// thread, its thread pool: script streaming, wasm validation), the browser process (network service), and any other
// renderer (Chromium's own WebUI), plus the CPU of the wasm compile events and the main-thread time to instantiate.
// Wall-clock phases (bench/ready-phases.mjs) move with the machine's load; CPU per process says what the page costs
// and what else competes for the cores.
//
//   node bench/ready-trace.mjs [--samples N] [--entries verify-p256,p256,main] [--dist DIR] [--ui on|off|both] [--keep DIR]
// --ui: off = Chromium without its omnibox popup WebUI (see bench/ready-phases.mjs), both = each sample twice.
// --keep DIR keeps each trace (JSON, chrome://tracing or ui.perfetto.dev).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, machine } from './report.mjs';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const SAMPLES = Number(opt('--samples') ?? 5);
const ENTRIES = (opt('--entries') ?? 'verify-p256,p256').split(',');
const DIST = path.resolve(opt('--dist') ?? path.join(REPO, 'pkg', 'dist'));
const UIS = { on: ['on'], off: ['off'], both: ['on', 'off'] }[opt('--ui') ?? 'both'];
const KEEP = opt('--keep') && path.resolve(opt('--keep'));
const NO_UI = ['--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI'];
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const CATEGORIES = ['devtools.timeline', 'v8', 'v8.wasm', 'v8.execute', 'blink', 'loading', 'toplevel', 'blink.user_timing', 'disabled-by-default-v8.compile'];

const PAGE = (entry) => `<!doctype html><meta charset="utf-8"><script type="module">
performance.mark('kms-t0'); await import('/dist/${entry === 'main' ? '' : entry + '/'}web.js'); performance.mark('kms-ready'); console.log('kms-ready');
</script>`;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' };
  const m = url.pathname.match(/^\/ready\/([\w.-]+)$/);
  if (m) { res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }); return res.end(PAGE(m[1])); }
  const file = path.resolve(DIST, url.pathname.replace(/^\/dist\//, ''));
  if (!url.pathname.startsWith('/dist/') || !file.startsWith(DIST + path.sep) || !fs.existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { ...headers, 'content-type': file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

/** CPU (ms) per process kind between the two marks, from a trace's top-level task events. */
function analyse(events) {
  const t0 = events.find((e) => e.name === 'kms-t0');
  const t1 = events.find((e) => e.name === 'kms-ready');
  const procName = new Map(events.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args.name]));
  const threadName = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args.name]));
  const inWindow = (e) => e.ph === 'X' && e.ts >= t0.ts && e.ts <= t1.ts;
  const TOP = new Set(['ThreadControllerImpl::RunTask', 'ThreadPool_RunTask', 'SingleThreadTaskGraphRunner::RunTaskWithLockAcquired']);
  const cpu = { page: 0, pageMain: 0, browser: 0, other: 0, wasmCompile: 0, instantiate: 0 };
  for (const e of events) {
    if (!inWindow(e)) continue;
    const ms = (e.tdur ?? 0) / 1000;
    if (TOP.has(e.name)) {
      if (e.pid === t0.pid) {
        cpu.page += ms;
        if (threadName.get(`${e.pid}:${e.tid}`) === 'CrRendererMain') cpu.pageMain += ms;
      } else if (procName.get(e.pid) === 'Browser') cpu.browser += ms;
      else cpu.other += ms;
    }
    if (e.pid === t0.pid && ['v8.wasm.compileConsume', 'wasm.ValidateFunctionsStreaming', 'wasm.CompileLazy', 'wasm.ExecuteCompilationUnits'].includes(e.name)) cpu.wasmCompile += ms;
    if (e.pid === t0.pid && e.name === 'wasm.SyncInstantiate') cpu.instantiate += ms;
  }
  return { wall: (t1.ts - t0.ts) / 1000, ...cpu };
}

const m0 = machine();
console.log(`${m0.chromium}, ${m0.nproc} cores, load ${m0.load.join(' ')}; ${SAMPLES} traced samples per kind, fresh context each`);
const browsers = Object.fromEntries(await Promise.all(UIS.map(async (ui) => [ui, await chromium.launch({ executablePath: CHROMIUM(), headless: true, args: [...FLAGS, ...(ui === 'off' ? NO_UI : [])] })])));
function CHROMIUM() { return process.env.CHROMIUM || '/usr/bin/chromium'; }
const kinds = ENTRIES.flatMap((entry) => UIS.map((ui) => ({ entry, ui, name: `${entry} [ui ${ui}]` })));
const rows = kinds.map(() => []);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-ready-trace-'));
try {
  for (let i = 0; i < SAMPLES; i++) {
    for (const [k, kind] of kinds.entries()) {
      const browser = browsers[kind.ui];
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const file = path.join(KEEP ?? tmp, `${kind.name.replace(/\W+/g, '_')}-${i}.json`);
      if (KEEP) fs.mkdirSync(KEEP, { recursive: true });
      await browser.startTracing(page, { path: file, categories: CATEGORIES });
      // waiting for a console message, not page.waitForFunction: that injects Playwright's script into the page
      // (~10 ms of the page's main thread) while the module loads
      const done = page.waitForEvent('console', { predicate: (msg) => msg.text() === 'kms-ready', timeout: 60_000 });
      await page.goto(`${origin}/ready/${kind.entry}`, { waitUntil: 'commit' });
      await done;
      await browser.stopTracing();
      await ctx.close();
      rows[k].push(analyse(JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents));
    }
  }
} finally {
  for (const b of Object.values(browsers)) await b.close();
  server.close();
  server.closeAllConnections();
  fs.rmSync(tmp, { recursive: true, force: true });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const COLS = [['wall ready', 'wall'], ['page renderer CPU', 'page'], ['of it main thread', 'pageMain'], ['wasm compile CPU', 'wasmCompile'], ['instantiate', 'instantiate'], ['browser process CPU', 'browser'], ['other processes CPU (WebUI)', 'other']];
console.log(`\nms between import() and ready, medians of ${SAMPLES} (tracing on: the wall times are a little longer than untraced); load after: ${machine().load.join(' ')}`);
console.log(`| kind | ${COLS.map(([c]) => c).join(' | ')} |`);
console.log(`|---${'|---:'.repeat(COLS.length)}|`);
for (const [k, kind] of kinds.entries()) console.log(`| ${kind.name} | ${COLS.map(([, key]) => median(rows[k].map((r) => r[key])).toFixed(1)).join(' | ')} |`);
