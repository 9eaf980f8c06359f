// Bundlers other than Vite (tests/vite-app/): esbuild, Rollup and webpack build a user's page from the packed
// package's main entry (main.js), from the kms-offline/verify-p256 entry (family.js) and from kms-offline/rsa (rsa.js), each with the smallest
// setting that bundler needs (README "Bundlers"); every built page verifies the fixture signatures in headless
// Chromium with no error.
//   esbuild leaves `new URL('./kms_offline_bg.wasm', import.meta.url)` as it is and does not emit the .wasm
//           (evanw/esbuild#795): copy the entry's .wasm next to the bundle (one line); `format: 'esm'`.
//   Rollup  @rollup/plugin-node-resolve (bare names; its `browser` option) and
//           @web/rollup-plugin-import-meta-assets (emits the .wasm the URL names).
//   webpack nothing: webpack 5 emits `new URL(..., import.meta.url)` assets and has top-level await. Also
//           built with target 'webworker' (worker-app.js) and run in a Web Worker: that target sets the `worker`
//           export condition, which is why the package has none (webpack cannot import workerd.js's .wasm module).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';
import webpack from 'webpack';
import { REPO_ROOT, readFixture, outputDir, installPackedPackage, startServer, launchChromium, runPage, assertCleanRun } from '../browser/harness.mjs';

const APP_SRC = path.join(REPO_ROOT, 'tests', 'bundlers');
// app entry -> [the package's dist folder of the entry it imports, the fixtures its page verifies]
const ENTRIES = {
  'main.js': ['dist', ['ECC_NIST_P256_SIGN_VERIFY', 'RSA_2048_ENCRYPT_DECRYPT']],
  'family.js': ['dist/verify-p256', ['ECC_NIST_P256_SIGN_VERIFY']],
  // a single-family entry with encrypt: what every `kms-offline/<family>` entry is to a bundler
  'rsa.js': ['dist/rsa', ['RSA_2048_SIGN_VERIFY', 'RSA_2048_ENCRYPT_DECRYPT']],
};
/** The package's dist folder an app entry imports (worker-app.js: the main entry, in a Web Worker). */
const distOf = (entry) => (entry === 'worker-app.js' ? 'dist' : ENTRIES[entry][0]);

/** Each bundler: build <app>/<entry> into <out> as one ES module or script <out>/<entry>; how the page loads it. */
const BUNDLERS = {
  async esbuild(app, entry, out, pkgDir) {
    await esbuild.build({ entryPoints: [path.join(app, entry)], bundle: true, format: 'esm', platform: 'browser', outdir: out, logLevel: 'warning' });
    // the one extra step esbuild needs: the entry's .wasm beside the bundle, where its import.meta.url points
    fs.copyFileSync(path.join(pkgDir, distOf(entry), 'kms_offline_bg.wasm'), path.join(out, 'kms_offline_bg.wasm'));
    return 'module';
  },
  async rollup(app, entry, out) {
    const bundle = await rollup({ input: path.join(app, entry), plugins: [nodeResolve({ browser: true }), importMetaAssets()], onwarn: (w) => assert.fail(`rollup: ${w.message}`) });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    return 'module';
  },
  async webpack(app, entry, out, pkgDir, target = 'web') {
    const stats = await new Promise((resolve, reject) =>
      webpack({ mode: 'production', target, context: app, entry: `./${entry}`, output: { path: out, filename: entry } }, (err, s) => (err ? reject(err) : resolve(s))),
    );
    // webpack's only remarks are its size hints (the main .wasm is over its 244 KiB "recommended" limit)
    const sizeHints = new Set(['AssetsOverSizeLimitWarning', 'EntrypointsOverSizeLimitWarning', 'NoAsyncChunksWarning']);
    const warnings = stats.compilation.warnings.filter((w) => !sizeHints.has(w.name));
    assert.ok(!stats.hasErrors() && warnings.length === 0, stats.toString('errors-warnings'));
    const fromPackage = [...stats.compilation.fileDependencies].filter((f) => f.startsWith(path.join(pkgDir, 'dist')) && f.endsWith('.js'));
    assert.deepEqual(fromPackage.map((f) => path.relative(pkgDir, f)), [path.join(distOf(entry), 'web.js')], 'webpack bundled another entry file');
    return 'classic';
  },
};

/** The .wasm files under dir (recursively), relative to it. */
function wasmFiles(dir) {
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.wasm'));
}

// The verify-p256 entry loads P-256 keys only: a P-256 key labelled P-384 is UnsupportedOperationException there
// (pkg/README.md), where the main entry finds the SPKI does not match (ValidationException).
const FAMILY_RULE = { what: 'P-256 key labelled ECC_NIST_P384', got: 'throw:UnsupportedOperationException' };

function checkReport(result, fixtures, entry) {
  assertCleanRun(result);
  const { report } = result;
  assert.deepEqual(report.keys.map((k) => k.name), fixtures);
  for (const k of report.keys) {
    assert.equal(k.loadError, undefined, k.loadError);
    const cases = readFixture(k.name).Signatures;
    assert.equal(k.cases.length, cases.length);
    assert.deepEqual(k.cases.filter((c) => !c.ok || c.bytes !== cases[c.i].Valid), [], `${k.name}: cases that disagree with the fixture`);
  }
  const familyRule = (r) => entry === 'family.js' && r.what === FAMILY_RULE.what && r.got === FAMILY_RULE.got;
  assert.ok(report.rules.length > 0 && report.rules.every((r) => r.ok || familyRule(r)), JSON.stringify(report.rules));
}

describe('bundlers: esbuild, Rollup and webpack pages from the main, the verify-p256 and the rsa entries', () => {
  const out = outputDir('bundlers');
  const work = path.join(out, 'work');
  let browser, pkg;

  before(async () => {
    pkg = installPackedPackage(work);
    for (const f of ['main.js', 'family.js', 'rsa.js', 'worker-app.js', 'worker.html']) fs.copyFileSync(path.join(APP_SRC, f), path.join(work, f));
    fs.copyFileSync(path.join(REPO_ROOT, 'tests', 'browser', 'run-cases.js'), path.join(work, 'run-cases.js'));
    // the fixtures as modules, so that no bundler needs a JSON setting
    for (const [file, name] of [['fixture-p256.js', 'ECC_NIST_P256_SIGN_VERIFY'], ['fixture-rsa-encrypt.js', 'RSA_2048_ENCRYPT_DECRYPT'], ['fixture-rsa-sign.js', 'RSA_2048_SIGN_VERIFY']]) {
      fs.writeFileSync(path.join(work, file), `export default ${JSON.stringify(readFixture(name))};\n`);
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  for (const [bundler, build] of Object.entries(BUNDLERS)) {
    for (const [entry, [distDir, fixtures]] of Object.entries(ENTRIES)) {
      it(`${bundler}: ${entry} (${distDir}) builds, ships the entry's .wasm, and the page verifies in Chromium`, async () => {
        const dist = path.join(work, `${bundler}-${path.basename(entry, '.js')}`);
        fs.rmSync(dist, { recursive: true, force: true });
        const scriptType = await build(work, entry, dist, pkg.dir);
        const wasm = wasmFiles(dist);
        assert.equal(wasm.length, 1, `wasm files: ${wasm.join(', ')}`);
        assert.deepEqual(fs.readFileSync(path.join(dist, wasm[0])), fs.readFileSync(path.join(pkg.dir, distDir, 'kms_offline_bg.wasm')), 'the shipped .wasm is not the entry\'s');
        const js = fs.readFileSync(path.join(dist, entry), 'utf8');
        assert.ok(!/from\s*["']kms-offline/.test(js), 'the bundle still imports the bare name');
        const type = scriptType === 'module' ? ' type="module"' : '';
        fs.writeFileSync(path.join(dist, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${bundler}</title><script${type} src="./${entry}"></script>\n`);

        const server = await startServer({ '/': dist });
        try {
          const result = await runPage(browser.context, `${server.origin}/`, { screenshotPath: path.join(out, `${bundler}-${path.basename(entry, '.js')}.png`) });
          checkReport(result, fixtures, entry);
          assert.deepEqual(server.requests.filter((r) => r.path.endsWith('.wasm')).map((r) => [r.path, r.status]), [[`/${wasm[0]}`, 200]]);
        } finally {
          await server.close();
        }
      });
    }
  }

  it('webpack (target webworker): a Web Worker bundle gets web.js, ships the .wasm, and verifies in a Chromium Web Worker', async () => {
    const dist = path.join(work, 'webpack-webworker');
    fs.rmSync(dist, { recursive: true, force: true });
    await BUNDLERS.webpack(work, 'worker-app.js', dist, pkg.dir, 'webworker');
    const wasm = wasmFiles(dist);
    assert.equal(wasm.length, 1, `wasm files: ${wasm.join(', ')}`);
    fs.copyFileSync(path.join(work, 'worker.html'), path.join(dist, 'index.html'));
    const server = await startServer({ '/': dist });
    try {
      const result = await runPage(browser.context, `${server.origin}/`);
      checkReport(result, ['ECC_NIST_P256_SIGN_VERIFY'], 'worker-app.js');
      assert.deepEqual(server.requests.filter((r) => r.path.endsWith('.wasm')).map((r) => [r.path, r.status]), [[`/${wasm[0]}`, 200]]);
    } finally {
      await server.close();
    }
  });
});
