// Browser interop: the checks of tests/js/interop-checks.mjs run in each browser of KMS_BROWSERS against the packed
// package's web entry, with jose's webapi build and @noble/* served as plain ES modules through an import map.
import { describe, it, before, after } from 'node:test';
import path from 'node:path';
import { REPO_ROOT, KEYS_DIR, fixtureList, moduleFile, pageWithImportMap, installPackedPackage, webEntryOf, startServer, BROWSER_NAMES, browsersUnderTest, browserOutputDir, launchBrowser, assertCleanRun, subtestPerCheck, quirksSummary } from './harness.mjs';

const NODE_MODULES = path.join(REPO_ROOT, 'node_modules');

for (const kind of browsersUnderTest()) describe(`browser interop (${BROWSER_NAMES[kind]}): WebCrypto, jose, @noble/* against the package`, () => {
  let server, browser, result;
  const out = browserOutputDir('browser-interop', kind);

  before(async () => {
    const pkg = installPackedPackage(path.join(out, 'work'));
    const imports = {
      'kms-offline': `/node_modules/kms-offline/${webEntryOf(pkg.dir)}`,
      jose: '/node_modules/jose/dist/webapi/index.js',
      '@noble/curves/': '/node_modules/@noble/curves/',
      '@noble/hashes/': '/node_modules/@noble/hashes/',
      '@noble/post-quantum/': '/node_modules/@noble/post-quantum/',
    };
    server = await startServer({
      '/node_modules/kms-offline/': pkg.dir,
      '/node_modules/jose/': path.join(NODE_MODULES, 'jose'),
      '/node_modules/@noble/curves/': path.join(NODE_MODULES, '@noble', 'curves'),
      '/node_modules/@noble/hashes/': path.join(NODE_MODULES, '@noble', 'hashes'),
      '/node_modules/@noble/post-quantum/': path.join(NODE_MODULES, '@noble', 'post-quantum'),
      '/fixtures/keys/': fixtureList(),
      '/fixtures/keys': KEYS_DIR,
      '/webcrypto-support.js': moduleFile(path.join(REPO_ROOT, 'tests', 'browser', 'webcrypto-support.js')),
      '/interop-checks.mjs': moduleFile(path.join(REPO_ROOT, 'tests', 'js', 'interop-checks.mjs')),
      '/': pageWithImportMap(path.join(REPO_ROOT, 'tests', 'browser', 'interop.html'), imports),
    });
    browser = await launchBrowser(kind);
    result = await browser.runPage( `${server.origin}/`, { screenshotPath: path.join(out, 'interop.png') });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the page ran without errors', () => assertCleanRun(result));

  it(`every interop check passes in ${BROWSER_NAMES[kind]} (one subtest per check)`, async (t) => {
    t.diagnostic(quirksSummary(result.report.quirks));
    await subtestPerCheck(t, result.report.results, 50, result.report.quirks);
  });
});
