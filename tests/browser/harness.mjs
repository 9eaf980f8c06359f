// Shared by the browser and Vite tests: pack the built package like `npm publish` would, serve files on
// 127.0.0.1, drive a browser, and collect what a page reports. The browser suite (tests/browser/*.test.mjs)
// runs in each browser KMS_BROWSERS names: Debian's Chromium (playwright-core), Firefox ESR (puppeteer-core,
// WebDriver BiDi) and WebKitGTK's MiniBrowser (WebKitWebDriver, webkit.mjs).
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { launchWebKit } from './webkit.mjs';
import { QUIRKS } from './webcrypto-support.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KEYS_DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'keys');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Names of the fixture keys (file names without .json), sorted. */
export function fixtureNames() {
  return fs
    .readdirSync(KEYS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function readFixture(name) {
  return JSON.parse(fs.readFileSync(path.join(KEYS_DIR, `${name}.json`), 'utf8'));
}

/** A fresh directory under test-output/<sub>/ (test-output is gitignored). */
export function outputDir(sub) {
  const dir = path.join(REPO_ROOT, 'test-output', sub);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * `npm pack` pkg/ and unpack the tarball as <destDir>/node_modules/kms-offline, exactly what
 * `npm install kms-offline` puts there. Returns the unpacked package directory.
 */
export function installPackedPackage(destDir) {
  fs.rmSync(destDir, { recursive: true, force: true });
  const tarDir = path.join(destDir, 'tarball');
  fs.mkdirSync(tarDir, { recursive: true });
  const out = execFileSync('npm', ['pack', path.join(REPO_ROOT, 'pkg'), '--pack-destination', tarDir, '--json', '--loglevel=error'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const info = JSON.parse(out)[0];
  const tgz = path.join(tarDir, info.filename);
  const modDir = path.join(destDir, 'node_modules', 'kms-offline');
  fs.mkdirSync(modDir, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', modDir, '--strip-components=1']);
  return { dir: modDir, tarball: tgz, files: info.files.map((f) => f.path).sort(), size: info.size };
}

/** The file behind the browser/default condition of an export (`.` or e.g. `./verify-p256`), relative to the package root. */
export function webEntryOf(pkgDir, subpath = '.') {
  const pj = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  let e = pj.exports[subpath];
  while (e && typeof e === 'object') e = e.browser ?? e.default;
  if (typeof e !== 'string') throw new Error('package.json exports has no default (browser) entry');
  return e.replace(/^\.\//, '');
}

/**
 * Static server on 127.0.0.1 (random port). mounts: { '/url/prefix/': '/dir' | (req, res, rest) => bool }.
 * Longest prefix wins. Every request is recorded in server.requests.
 */
export async function startServer(mounts) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const entry = { method: req.method, path: pathname, status: 0 };
    requests.push(entry);
    const send = (status, body, type) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': type ?? 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    };
    if (pathname === '/favicon.ico') return send(204, '');
    for (const prefix of prefixes) {
      if (!pathname.startsWith(prefix)) continue;
      const rest = pathname.slice(prefix.length);
      const target = mounts[prefix];
      if (typeof target === 'function') {
        const r = target(rest, url);
        if (r !== undefined) return send(200, r.body, r.type);
        continue;
      }
      const rel = rest.replace(/^\/+/, '');
      let file = path.resolve(target, rel || 'index.html');
      if (file !== target && !file.startsWith(target + path.sep)) return send(403, 'forbidden');
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) continue;
      return send(200, fs.readFileSync(file), MIME[path.extname(file)] ?? 'application/octet-stream');
    }
    send(404, `not found: ${pathname}`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections(); // the browser keeps idle keep-alive connections open
      }),
  };
}

/**
 * Runs first in every page of the browser suite: records the page's console errors and warnings, uncaught
 * errors and rejections, and failed loads in window.__kmsCaptured. WebDriver classic (WebKit) has no events
 * for them; Chromium and Firefox report them through their protocols and ignore this record.
 */
export const CAPTURE_SCRIPT = `(() => {
  const c = (window.__kmsCaptured = { consoleErrors: [], consoleWarnings: [], pageErrors: [], failedRequests: [] });
  const text = (x) => (x instanceof Error ? String(x.stack || x) : typeof x === 'string' ? x : (() => { try { return JSON.stringify(x); } catch { return String(x); } })());
  for (const [method, list] of [['error', c.consoleErrors], ['warn', c.consoleWarnings]]) {
    const original = console[method];
    console[method] = function (...args) { list.push(args.map(text).join(' ')); return original.apply(this, args); };
  }
  addEventListener('error', (e) => {
    if (e.target && e.target !== window) c.failedRequests.push('load of <' + e.target.localName + '> ' + (e.target.src || e.target.href) + ' failed');
    else c.pageErrors.push(e.error ? text(e.error) : e.message + ' (' + e.filename + ':' + e.lineno + ')');
  }, true);
  addEventListener('unhandledrejection', (e) => c.pageErrors.push('unhandled rejection: ' + text(e.reason)));
  const originalFetch = fetch;
  window.fetch = function (...args) {
    return originalFetch.apply(this, args).then(
      (r) => { if (!r.ok) c.failedRequests.push('fetch ' + r.url + ': HTTP ' + r.status); return r; },
      (e) => { c.failedRequests.push('fetch ' + args[0] + ': ' + e); throw e; });
  };
})();`;

/**
 * A `startServer` mount for '/': the page `htmlFile` with CAPTURE_SCRIPT and an import map of `imports`
 * ({ specifier: url }) where it says <!--IMPORTMAP-->.
 */
export function pageWithImportMap(htmlFile, imports) {
  const head = `<script>${CAPTURE_SCRIPT}</script><script type="importmap">${JSON.stringify({ imports })}</script>`;
  const body = fs.readFileSync(htmlFile, 'utf8').replace('<!--IMPORTMAP-->', head);
  return (rest) => (rest === '' || rest === 'index.html' ? { body, type: 'text/html; charset=utf-8' } : undefined);
}

/** A `startServer` mount for one JavaScript module file, served at exactly its mount path. */
export function moduleFile(file) {
  return (rest) => (rest === '' ? { body: fs.readFileSync(file), type: 'text/javascript' } : undefined);
}

/** A `startServer` mount for '/fixtures/keys/': list.json, the fixture names (the files come from KEYS_DIR). */
export function fixtureList(names = fixtureNames()) {
  return (rest) => (rest === 'list.json' ? { body: JSON.stringify(names), type: 'application/json' } : undefined);
}

/** Headless Chromium with a fresh profile. */
export async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run scripts/setup.sh (apt-get install chromium)`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1100, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Open url, wait until the page sets window.__kmsDone, and return { report, consoleErrors, pageErrors,
 * failedRequests } where report is window.__kmsReport. Saves a full-page screenshot to screenshotPath.
 * `context` is a playwright-core browser context (launchChromium().context).
 */
export async function runPage(context, url, options = {}) {
  const page = await context.newPage();
  return runEventPage(page, url, options, (timeout) => page.waitForFunction(() => window.__kmsDone === true, null, { timeout, polling: 100 }));
}

/**
 * runPage for a playwright-core or puppeteer-core page (the same events); waitForDone(timeoutMs) is their
 * waitForFunction, whose arguments differ.
 */
async function runEventPage(page, url, { screenshotPath, timeoutMs = 120_000 } = {}, waitForDone) {
  const consoleErrors = [];
  const consoleWarnings = [];
  const pageErrors = [];
  const failedRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
    if (msg.type() === 'warning' || msg.type() === 'warn') consoleWarnings.push(msg.text());
  });
  let onPageError;
  const pageErrored = new Promise((_, reject) => (onPageError = reject));
  pageErrored.catch(() => {});
  page.on('pageerror', (err) => {
    pageErrors.push(String(err && err.stack ? err.stack : err));
    onPageError(new Error(`uncaught error in the page: ${err && err.message}`));
  });
  page.on('requestfailed', (req) => failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  try {
    await Promise.race([waitForDone(timeoutMs), pageErrored]);
  } catch (e) {
    const partial = await page.evaluate(() => window.__kmsReport).catch(() => undefined);
    throw new Error(
      `page did not finish: ${e.message}\npage errors: ${pageErrors.join('\n')}\nconsole errors: ${consoleErrors.join('\n')}\n` +
        `failed requests: ${failedRequests.join('\n')}\npartial report: ${JSON.stringify(partial)?.slice(0, 2000)}`,
    );
  }
  const report = await page.evaluate(() => window.__kmsReport);
  if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
  await page.close();
  return { report, consoleErrors, consoleWarnings, pageErrors, failedRequests };
}

/**
 * runPage for WebKit (webkit.mjs): navigate, poll window.__kmsDone, and read what CAPTURE_SCRIPT recorded in
 * place of the protocol events. Screenshots are of the window (WebDriver has no full-page screenshot).
 */
async function runWebDriverPage(webkit, url, { screenshotPath, timeoutMs = 120_000 } = {}) {
  await webkit.navigate(url);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, captured } = await webkit.execute('return { done: window.__kmsDone === true, captured: window.__kmsCaptured ?? null };');
    if (!captured) throw new Error(`${url} has no CAPTURE_SCRIPT (serve it with pageWithImportMap)`);
    const failure = captured.pageErrors.length ? 'uncaught error in the page' : !done && Date.now() > deadline ? `timed out after ${timeoutMs} ms` : undefined;
    if (failure) {
      const partial = await webkit.execute('return window.__kmsReport ?? null;').catch(() => undefined);
      throw new Error(
        `page did not finish: ${failure}\npage errors: ${captured.pageErrors.join('\n')}\nconsole errors: ${captured.consoleErrors.join('\n')}\n` +
          `failed requests: ${captured.failedRequests.join('\n')}\npartial report: ${JSON.stringify(partial)?.slice(0, 2000)}`,
      );
    }
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const { report, captured } = await webkit.execute('return { report: window.__kmsReport, captured: window.__kmsCaptured };');
  if (screenshotPath) await webkit.screenshot(screenshotPath);
  return { report, ...captured };
}

/** The browsers the suite can run in, by the names KMS_BROWSERS takes. */
export const BROWSER_NAMES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

/**
 * The browsers this run of the suite uses: KMS_BROWSERS, a comma-separated list of BROWSER_NAMES' keys or
 * `all`; Chromium when unset.
 */
export function browsersUnderTest(value = process.env.KMS_BROWSERS) {
  const kinds = !value ? ['chromium'] : value.trim() === 'all' ? Object.keys(BROWSER_NAMES) : value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !Object.hasOwn(BROWSER_NAMES, k));
  if (unknown.length || !kinds.length) {
    throw new Error(`KMS_BROWSERS=${JSON.stringify(value)}: expected \`all\` or a comma-separated list of ${Object.keys(BROWSER_NAMES).join(', ')}`);
  }
  return kinds;
}

/** test-output/<sub>/ for Chromium (as before the other browsers came), test-output/<sub>-<kind>/ for the others. */
export function browserOutputDir(sub, kind) {
  return outputDir(kind === 'chromium' ? sub : `${sub}-${kind}`);
}

/**
 * Start a browser of BROWSER_NAMES (fresh profile; no display needed, WebKit gets a virtual one). Returns
 * { kind, name, version, runPage(url, options), close() }; runPage is the module's runPage for that browser.
 */
export async function launchBrowser(kind) {
  const name = BROWSER_NAMES[kind];
  if (kind === 'chromium') {
    const browser = await launchChromium();
    const version = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim();
    return { kind, name, version, runPage: (url, options) => runPage(browser.context, url, options), close: () => browser.close() };
  }
  if (kind === 'firefox') {
    if (!fs.existsSync(FIREFOX)) throw new Error(`${FIREFOX} not found: run scripts/setup.sh (apt-get install firefox-esr)`);
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, defaultViewport: { width: 1100, height: 800 } });
    return {
      kind,
      name,
      version: await browser.version(),
      async runPage(url, options) {
        const page = await browser.newPage();
        return runEventPage(page, url, options, (timeout) => page.waitForFunction(() => window.__kmsDone === true, { timeout, polling: 100 }));
      },
      close: () => browser.close().catch(() => {}),
    };
  }
  if (kind === 'webkit') {
    const webkit = await launchWebKit();
    return { kind, name, version: webkit.version, runPage: (url, options) => runWebDriverPage(webkit, url, options), close: () => webkit.close() };
  }
  throw new Error(`no browser named ${kind}: expected one of ${Object.keys(BROWSER_NAMES).join(', ')}`);
}

/** Asserts a page of checks ran cleanly: no fatal error, page error, console error or failed request. */
export function assertCleanRun(result) {
  assert.equal(result.report.fatal, undefined, result.report.fatal);
  assert.deepEqual(result.pageErrors, []);
  assert.deepEqual(result.consoleErrors, []);
  assert.deepEqual(result.failedRequests, []);
}

/**
 * One subtest per check result ({ name, ok, detail }) of a page, after checking there are at least `minimum`.
 * `quirks` is the page's detectQuirks() (webcrypto-support.js): a check that a browser bug found there breaks
 * although the package is right must fail exactly as QUIRKS says that bug makes it fail, and its subtest says so.
 */
export async function subtestPerCheck(t, results, minimum, quirks = []) {
  assert.ok(results.length >= minimum, `only ${results.length} checks`);
  const found = QUIRKS.filter((q) => q.breaks && quirks.some((p) => p.name === q.name && p.present));
  for (const r of results) {
    const bug = !r.ok && found.find((q) => q.breaks.check.test(r.name));
    if (!bug) {
      await t.test(r.name, () => assert.ok(r.ok, `${r.name}: ${r.detail}`));
      continue;
    }
    await t.test(`${r.name} [fails only through the browser's bug: ${bug.name}]`, (st) => {
      st.diagnostic(`browser bug, not the package's: ${bug.name}; the check says: ${r.detail}`);
      const lines = String(r.detail).split('\n');
      assert.ok(lines.every((line) => bug.breaks.detail.test(line)), `${r.name}: fails otherwise than "${bug.name}" makes it: ${r.detail}`);
    });
  }
}

/** The test output's line about the browser bugs a page's detectQuirks() found. */
export function quirksSummary(quirks) {
  const present = quirks.filter((q) => q.present);
  return present.length ? `WebCrypto bugs found: ${present.map((q) => `${q.name} (${q.detail})`).join('; ')}` : 'no known WebCrypto bug found';
}
