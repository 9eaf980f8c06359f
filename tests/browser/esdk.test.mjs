// Browsers: ESDK messages made in a page by the package's web entry (tests/browser/esdk.html: key.encryptMessage and
// key.encryptMessageStream from a ReadableStream), their bytes POSTed back chunk by chunk to the test's server (the
// 100 MiB streams too: never one string or buffer of the whole message), written to files and decrypted by the
// Python ESDK's own AWS KMS RSA / ECDH keyrings with the local KMS stand-in. The cases are tests/js/esdk-fixtures.mjs
// (the same as in Deno and Workers): RSA 0x0478, P-256 and P-384 0x0578, 0 B, 1 B, one frame, many frames with and
// without an encryption context, both APIs, and a 100 MiB stream per key kind. A corrupted copy must be refused.
// Runs in each browser of KMS_BROWSERS: Chromium (node suite), Firefox (firefox suite), WebKit (webkit suite).
//
// Chromium is started without Playwright here: Playwright's CDP network tracking copies every request body through
// the protocol, which made the 200 MiB of POSTs take ~45 s instead of ~3 s. The page reports by POST /done.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { REPO_ROOT, BROWSER_NAMES, CHROMIUM, CHROMIUM_FLAGS, browsersUnderTest, browserOutputDir, installPackedPackage, launchBrowser, pageWithImportMap, readFixture, webEntryOf } from './harness.mjs';
import { KEYS, MiB, cases } from '../js/esdk-fixtures.mjs';
import { declareVerdicts, matrixRow, recordMatrix, referenceAsWritten, referenceMissing, verdict } from '../js/esdk-reference.mjs';

const HERE = path.join(REPO_ROOT, 'tests', 'browser');
const skip = referenceMissing();

/**
 * The page's server: the page, the packed package, esdk-fixtures.mjs, /cases.json; and POST /out/<id>?part=N
 * (appended to <dir>/<id>.msg, parts in order), ?end=N (the message is complete with N parts), and POST /done
 * with the page's report (server.done resolves to it). onComplete(i, file) is called when case list[i]'s message is.
 */
async function startEsdkServer({ pkgDir, entry, list, dir, onComplete }) {
  const page = pageWithImportMap(path.join(HERE, 'esdk.html'), { 'kms-offline': `/node_modules/kms-offline/${entry}` });
  const keys = Object.fromEntries(KEYS.map((k) => [k.fixture, readFixture(k.fixture).GetPublicKey]));
  const statics = {
    '/': () => page('').body,
    '/cases.json': () => JSON.stringify({ cases: list, keys }),
    '/esdk-fixtures.mjs': () => fs.readFileSync(path.join(REPO_ROOT, 'tests', 'js', 'esdk-fixtures.mjs')),
  };
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
  const parts = new Map(); // id -> the next part expected
  const complete = new Set();
  let reported;
  const done = new Promise((resolve) => (reported = resolve));
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const send = (status, body, type = 'text/plain') => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    try {
      if (req.method === 'POST' && url.pathname === '/done') {
        let text = '';
        for await (const chunk of req) text += chunk;
        reported(JSON.parse(text));
        return send(200, 'ok');
      }
      if (req.method === 'POST' && url.pathname.startsWith('/out/')) {
        const id = url.pathname.slice('/out/'.length);
        if (!list.some((c) => c.id === id)) return send(404, `no case ${id}`);
        const body = [];
        for await (const chunk of req) body.push(chunk);
        const next = parts.get(id) ?? 0;
        if (url.searchParams.has('end')) {
          if (Number(url.searchParams.get('end')) !== next) return send(400, `${id}: ended after ${url.searchParams.get('end')} parts, received ${next}`);
          complete.add(id);
          onComplete(list.findIndex((c) => c.id === id), path.join(dir, `${id}.msg`));
          return send(200, 'ok');
        }
        if (Number(url.searchParams.get('part')) !== next) return send(400, `${id}: part ${url.searchParams.get('part')}, expected ${next}`);
        fs[next === 0 ? 'writeFileSync' : 'appendFileSync'](path.join(dir, `${id}.msg`), Buffer.concat(body));
        parts.set(id, next + 1);
        return send(200, 'ok');
      }
      if (req.method !== 'GET') return send(405, 'GET or POST /out/');
      if (url.pathname === '/favicon.ico') return send(204, '');
      if (statics[url.pathname]) return send(200, statics[url.pathname](), types[path.extname(url.pathname) || '.html']);
      const prefix = '/node_modules/kms-offline/';
      const file = path.resolve(pkgDir, url.pathname.slice(prefix.length));
      if (url.pathname.startsWith(prefix) && file.startsWith(pkgDir + path.sep) && fs.existsSync(file)) {
        return send(200, fs.readFileSync(file), types[path.extname(file)] ?? 'application/octet-stream');
      }
      send(404, `not found: ${url.pathname}`);
    } catch (e) {
      send(500, String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    complete,
    done,
    close: () => new Promise((resolve) => (server.close(resolve), server.closeAllConnections())),
  };
}

/** Headless Chromium on `url`, with the suite's flags and a fresh profile, driven by nothing; close() ends it. */
function openInChromium(url) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-esdk-chromium-'));
  const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, url], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    version: execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim(),
    exited,
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The page's report, or an error after `ms` or when the browser exits first. */
function reportWithin(done, exited, ms) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the page did not report within ${ms} ms`)), ms)));
  const died = exited.then((code) => Promise.reject(new Error(`the browser exited (${code}) before the page reported`)));
  return Promise.race([done, timeout, died]).finally(() => clearTimeout(timer));
}

const PAGE_TIMEOUT_MS = 900_000;

for (const kind of browsersUnderTest()) {
  describe(`browser (${BROWSER_NAMES[kind]}): the Python ESDK decrypts messages made in the page`, { skip }, () => {
    const out = browserOutputDir('esdk', kind);
    const dir = path.join(out, 'messages');
    const list = cases();
    const reference = referenceAsWritten(list);
    let server, browser, page, results;

    before(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      const pkg = installPackedPackage(path.join(out, 'work'));
      server = await startEsdkServer({ pkgDir: pkg.dir, entry: webEntryOf(pkg.dir), list, dir, onComplete: reference.written });
      if (kind === 'chromium') {
        browser = openInChromium(`${server.origin}/`);
        page = { report: await reportWithin(server.done, browser.exited, PAGE_TIMEOUT_MS) };
      } else {
        browser = await launchBrowser(kind);
        // A page that reports a fatal error (POST /done) never sets __kmsDone: its report ends the wait.
        const running = browser.runPage(`${server.origin}/`, { timeoutMs: PAGE_TIMEOUT_MS });
        running.catch(() => {});
        page = { report: await Promise.race([server.done, running.then(() => server.done)]) };
      }
      if (page.report.fatal) throw new Error(`the page failed: ${page.report.fatal}; failed requests: ${page.report.captured?.failedRequests}`);
      const started = Date.now();
      results = await reference.results();
      page.referenceMs = Date.now() - started;
      recordMatrix(`browser-${kind}`, list.map((c, i) => matrixRow(BROWSER_NAMES[kind], c, verdict(c, results[i]))));
    });

    after(async () => {
      await browser?.close();
      await server?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('the page made every message and handed all its bytes back', (t) => {
      t.diagnostic(`${browser.version}; ${page.report.userAgent}`);
      for (const m of page.report.made.filter((m) => m.bytes > MiB)) t.diagnostic(`${m.id}: made and posted in ${m.ms} ms (${m.parts} parts)`);
      t.diagnostic(`Python (decrypting as the messages were written) done ${page.referenceMs} ms after the last`);
      assert.equal(page.report.fatal, undefined, page.report.fatal);
      assert.deepEqual(page.report.captured.pageErrors, []);
      assert.deepEqual(page.report.captured.consoleErrors, []);
      assert.deepEqual(page.report.captured.failedRequests, []);
      assert.deepEqual(page.report.made.map((m) => m.id), list.map((c) => c.id));
      assert.deepEqual([...server.complete].sort(), list.map((c) => c.id).sort());
      // Bounded: no output chunk holds more than one source chunk's frames (plus the header).
      const largest = Math.max(...page.report.made.map((m) => m.largest));
      assert.ok(largest < 2 * MiB, `largest output chunk ${largest} bytes`);
    });

    declareVerdicts(it, list, () => results);
  });
}
