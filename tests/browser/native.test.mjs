// The WebCrypto-accelerated operations in each browser of KMS_BROWSERS (Chromium: BoringSSL's WebCrypto;
// Firefox: NSS's; WebKitGTK: libgcrypt's), through the packed
// package's web entry: the differential checks of tests/js/native-checks.mjs on every fixture and every
// Wycheproof vector of the files with KMS's parameters.
import { describe, it, before, after } from 'node:test';
import path from 'node:path';
import { REPO_ROOT, KEYS_DIR, fixtureList, moduleFile, pageWithImportMap, installPackedPackage, webEntryOf, startServer, BROWSER_NAMES, browsersUnderTest, browserOutputDir, launchBrowser, assertCleanRun, subtestPerCheck, quirksSummary } from './harness.mjs';
import { wycheproofDataDir } from '../js/wycheproof-data.mjs';

for (const kind of browsersUnderTest()) describe(`WebCrypto-accelerated operations (${BROWSER_NAMES[kind]}): the same decisions as the wasm ones`, () => {
  let server, browser, result;
  const out = browserOutputDir('browser-native', kind);

  before(async () => {
    const pkg = installPackedPackage(path.join(out, 'work'));
    const imports = { 'kms-offline': `/node_modules/kms-offline/${webEntryOf(pkg.dir)}` };
    server = await startServer({
      '/node_modules/kms-offline/': pkg.dir,
      '/fixtures/keys/': fixtureList(),
      '/fixtures/keys': KEYS_DIR,
      '/wycheproof': wycheproofDataDir(),
      '/webcrypto-support.js': moduleFile(path.join(REPO_ROOT, 'tests', 'browser', 'webcrypto-support.js')),
      '/native-checks.mjs': moduleFile(path.join(REPO_ROOT, 'tests', 'js', 'native-checks.mjs')),
      '/': pageWithImportMap(path.join(REPO_ROOT, 'tests', 'browser', 'native.html'), imports),
    });
    browser = await launchBrowser(kind);
    result = await browser.runPage( `${server.origin}/`, { timeoutMs: 300_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the page ran without errors', () => assertCleanRun(result));

  it(`every differential check passes in ${BROWSER_NAMES[kind]} (one subtest per check)`, async (t) => {
    t.diagnostic(quirksSummary(result.report.quirks));
    await subtestPerCheck(t, result.report.results, 30, result.report.quirks);
  });
});
