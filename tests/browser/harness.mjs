// Shared by the browser and Vite tests: pack the built package like `npm publish` would, serve files on
// 127.0.0.1, drive Debian's Chromium through playwright-core, and collect what a page reports.
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KEYS_DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'keys');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
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

/** A `startServer` mount for '/': the page `htmlFile` with an import map of `imports` ({ specifier: url }) where it says <!--IMPORTMAP-->. */
export function pageWithImportMap(htmlFile, imports) {
  const body = fs.readFileSync(htmlFile, 'utf8').replace('<!--IMPORTMAP-->', `<script type="importmap">${JSON.stringify({ imports })}</script>`);
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
 */
export async function runPage(context, url, { screenshotPath, timeoutMs = 120_000 } = {}) {
  const page = await context.newPage();
  const consoleErrors = [];
  const consoleWarnings = [];
  const pageErrors = [];
  const failedRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
    if (msg.type() === 'warning') consoleWarnings.push(msg.text());
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
    await Promise.race([page.waitForFunction(() => window.__kmsDone === true, null, { timeout: timeoutMs, polling: 100 }), pageErrored]);
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

/** Asserts a page of checks ran cleanly: no fatal error, page error, console error or failed request. */
export function assertCleanRun(result) {
  assert.equal(result.report.fatal, undefined, result.report.fatal);
  assert.deepEqual(result.pageErrors, []);
  assert.deepEqual(result.consoleErrors, []);
  assert.deepEqual(result.failedRequests, []);
}

/** One subtest per check result ({ name, ok, detail }) of a page, after checking there are at least `minimum`. */
export async function subtestPerCheck(t, results, minimum) {
  assert.ok(results.length >= minimum, `only ${results.length} checks`);
  for (const r of results) await t.test(r.name, () => assert.ok(r.ok, `${r.name}: ${r.detail}`));
}
