// Vite: a user's app imports 'kms-offline' (the packed package, unpacked into the app's node_modules) with no
// configuration. `vite build` must ship the .wasm as an asset; the built app and the dev server must verify
// the fixture signatures in headless Chromium without errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { build, createServer } from 'vite';
import { REPO_ROOT, KEYS_DIR, readFixture, outputDir, installPackedPackage, startServer, launchChromium, runPage } from '../browser/harness.mjs';

const APP_SRC = path.join(REPO_ROOT, 'tests', 'vite-app');
const FIXTURE = 'ECC_NIST_P256_SIGN_VERIFY';

/** `rulesOf(report)`: the rule cases that must pass; the family entry answers one of them otherwise (below). */
function checkReport(result, rulesOf = (report) => report.rules) {
  const { report } = result;
  assert.equal(report.fatal, undefined, report.fatal);
  assert.deepEqual(result.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(result.consoleErrors, [], 'console errors');
  assert.deepEqual(result.failedRequests, [], 'failed requests');
  assert.deepEqual(result.consoleWarnings.filter((w) => /wasm|WebAssembly/i.test(w)), [], 'console warnings about wasm');
  const cases = readFixture(FIXTURE).Signatures;
  assert.equal(report.keys.length, 1);
  const k = report.keys[0];
  assert.equal(k.loadError, undefined, k.loadError);
  assert.equal(k.cases.length, cases.length);
  const bad = k.cases.filter((c) => !c.ok || c.bytes !== cases[c.i].Valid);
  assert.deepEqual(bad, [], 'signature cases that disagree with the fixture');
  const rules = rulesOf(report);
  assert.ok(rules.length > 0 && rules.every((r) => r.ok), JSON.stringify(rules));
}

describe('Vite app (import from "kms-offline", no config)', () => {
  const out = outputDir('vite-app');
  const work = path.join(out, 'work');
  let browser, pkg;

  before(async () => {
    pkg = installPackedPackage(work);
    for (const f of ['index.html', 'main.js', 'package.json']) fs.copyFileSync(path.join(APP_SRC, f), path.join(work, f));
    fs.copyFileSync(path.join(REPO_ROOT, 'tests', 'browser', 'run-cases.js'), path.join(work, 'run-cases.js'));
    fs.copyFileSync(path.join(KEYS_DIR, `${FIXTURE}.json`), path.join(work, 'fixture.json'));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  it('vite build emits the .wasm as an asset and the built app verifies the signatures', async () => {
    const dist = path.join(work, 'dist');
    const shot = path.join(out, 'build.png');
    fs.rmSync(shot, { force: true });
    await build({ root: work, configFile: false, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
    const assets = fs.readdirSync(path.join(dist, 'assets'));
    const wasm = assets.filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `wasm assets: ${assets.join(', ')}`);
    assert.deepEqual(fs.readFileSync(path.join(dist, 'assets', wasm[0])), fs.readFileSync(path.join(pkg.dir, 'dist', 'kms_offline_bg.wasm')), 'emitted .wasm differs from the package');
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(dist, 'assets', f), 'utf8')).join('\n');
    assert.ok(js.includes(wasm[0]), 'bundle does not reference the .wasm asset');
    assert.ok(!/from\s*["']kms-offline["']/.test(js), 'bundle still imports the bare name');

    const server = await startServer({ '/': dist });
    try {
      const result = await runPage(browser.context, `${server.origin}/`, { screenshotPath: shot });
      checkReport(result);
      const wasmReq = server.requests.filter((r) => r.path.endsWith('.wasm'));
      assert.deepEqual(wasmReq.map((r) => [r.path, r.status]), [[`/assets/${wasm[0]}`, 200]]);
    } finally {
      await server.close();
    }
    assert.ok(fs.statSync(shot).size > 1000);
  });

  // The P-256 entries: verify-p256 (verify only) and p256 (the whole family); the app verifies P-256 signatures.
  for (const entry of ['verify-p256', 'p256']) it(`vite build of the same app importing kms-offline/${entry} ships that entry's .wasm and verifies`, async () => {
    // The same app, with the family entry's specifier; its own root so Vite builds it alone. The package is the
    // one installed in the first app (a link to its node_modules).
    const root = path.join(out, `work-${entry}`);
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    for (const f of ['index.html', 'package.json', 'run-cases.js', 'fixture.json']) fs.copyFileSync(path.join(work, f), path.join(root, f));
    const main = fs.readFileSync(path.join(work, 'main.js'), 'utf8');
    assert.match(main, /from 'kms-offline';/);
    fs.writeFileSync(path.join(root, 'main.js'), main.replace("from 'kms-offline';", `from 'kms-offline/${entry}';`));
    fs.symlinkSync(path.join(work, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const dist = path.join(root, 'dist');
    await build({ root, configFile: false, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
    const assets = fs.readdirSync(path.join(dist, 'assets'));
    const wasm = assets.filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `wasm assets: ${assets.join(', ')}`);
    assert.deepEqual(fs.readFileSync(path.join(dist, 'assets', wasm[0])), fs.readFileSync(path.join(pkg.dir, 'dist', entry, 'kms_offline_bg.wasm')), `emitted .wasm is not the ${entry} entry's`);
    const server = await startServer({ '/': dist });
    try {
      // A P-256 key labelled ECC_NIST_P384: a P-256 entry has no P-384, so it says that KeySpec is not in this
      // build (UnsupportedOperationException, as tests/js/family.test.mjs expects of it) where the main entry finds
      // the mismatch (ValidationException).
      const familyRules = (report) =>
        report.rules.map((r) =>
          r.what === 'P-256 key labelled ECC_NIST_P384' ? { ...r, ok: r.got === 'throw:UnsupportedOperationException' } : r,
        );
      checkReport(await runPage(browser.context, `${server.origin}/`, { screenshotPath: path.join(out, `build-${entry}.png`) }), familyRules);
    } finally {
      await server.close();
    }
  });

  it('the Vite dev server serves the app and it verifies the signatures', async () => {
    fs.rmSync(path.join(work, 'node_modules', '.vite'), { recursive: true, force: true });
    const shot = path.join(out, 'dev.png');
    fs.rmSync(shot, { force: true });
    // the app has its own package.json, so Vite's dependency cache is work/node_modules/.vite (fresh every run)
    const server = await createServer({ root: work, configFile: false, logLevel: 'warn', server: { host: '127.0.0.1', port: 0, strictPort: false } });
    await server.listen();
    try {
      const url = server.resolvedUrls.local[0];
      const result = await runPage(browser.context, url, { screenshotPath: shot });
      checkReport(result);
      assert.ok(fs.existsSync(path.join(work, 'node_modules', '.vite', 'deps')), 'Vite did not pre-bundle the dependency in the app');
    } finally {
      await server.close();
    }
  });
});
