// The single-family entry `kms-offline/verify-p256` in each browser of KMS_BROWSERS (harness.mjs): the packed package's two web
// entries side by side on one page (tests/browser/family.html). The Node test (tests/js/family.test.mjs)
// compares the two entries on every input; this one checks the browser build of the family entry loads,
// answers every P-256 fixture case as the main entry does, and refuses other families.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { REPO_ROOT, KEYS_DIR, pageWithImportMap, installPackedPackage, webEntryOf, startServer, BROWSER_NAMES, browsersUnderTest, browserOutputDir, launchBrowser, assertCleanRun, subtestPerCheck } from './harness.mjs';

for (const kind of browsersUnderTest()) describe(`kms-offline/verify-p256 in ${BROWSER_NAMES[kind]}`, () => {
  let server, browser, result, entries;
  const out = browserOutputDir('browser-family', kind);

  before(async () => {
    const pkg = installPackedPackage(path.join(out, 'work'));
    entries = { 'kms-offline': webEntryOf(pkg.dir), 'kms-offline/verify-p256': webEntryOf(pkg.dir, './verify-p256') };
    const imports = Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, `/node_modules/kms-offline/${f}`]));
    server = await startServer({
      '/node_modules/kms-offline/': pkg.dir,
      '/fixtures/keys': KEYS_DIR,
      '/': pageWithImportMap(path.join(REPO_ROOT, 'tests', 'browser', 'family.html'), imports),
    });
    browser = await launchBrowser(kind);
    result = await browser.runPage(`${server.origin}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('package.json maps the entry to its own web build', () => assert.equal(entries['kms-offline/verify-p256'], 'dist/verify-p256/web.js'));

  it('the page ran without errors, and fetched the family .wasm once', () => {
    assertCleanRun(result);
    const wasm = server.requests.filter((r) => r.path.endsWith('/verify-p256/kms_offline_bg.wasm'));
    assert.equal(wasm.length, 1, JSON.stringify(server.requests));
  });

  it('every check passes (one subtest per check)', async (t) => {
    await subtestPerCheck(t, result.report.results, 15);
  });
});
