// The single-family entries `kms-offline/<family>` (rsa, p256, p384, p521, secp256k1, sm2, ed25519, ml-dsa,
// ml-kem) in each browser of KMS_BROWSERS (harness.mjs): the packed package's web entries on one page
// (tests/browser/family-entries.html), each next to the main entry. The Node test (tests/js/family-entries.test.mjs)
// compares them on every input; this one checks each browser build loads its family's keys as the main entry
// does, verifies / encrypts / derives / encapsulates as it does (RSA ciphertexts opened by WebCrypto), gives the
// main entry's answers on every Wycheproof vector of its family (tests/js/family-wycheproof.mjs), and refuses a
// key of another family.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { wycheproofDataDir } from '../js/wycheproof-data.mjs';
import { REPO_ROOT, KEYS_DIR, pageWithImportMap, moduleFile, installPackedPackage, webEntryOf, startServer, BROWSER_NAMES, browsersUnderTest, browserOutputDir, launchBrowser, assertCleanRun, subtestPerCheck } from './harness.mjs';

const FAMILIES = ['rsa', 'p256', 'p384', 'p521', 'secp256k1', 'sm2', 'ed25519', 'ml-dsa', 'ml-kem'];

for (const kind of browsersUnderTest()) describe(`kms-offline's single-family entries in ${BROWSER_NAMES[kind]}`, () => {
  let server, browser, result, entries;
  const out = browserOutputDir('browser-family-entries', kind);

  before(async () => {
    const pkg = installPackedPackage(path.join(out, 'work'));
    entries = Object.fromEntries([['kms-offline', webEntryOf(pkg.dir)], ...FAMILIES.map((f) => [`kms-offline/${f}`, webEntryOf(pkg.dir, `./${f}`)])]);
    const imports = Object.fromEntries(Object.entries(entries).map(([k, f]) => [k, `/node_modules/kms-offline/${f}`]));
    server = await startServer({
      '/node_modules/kms-offline/': pkg.dir,
      '/fixtures/keys': KEYS_DIR,
      '/wycheproof': wycheproofDataDir(),
      '/family-wycheproof.mjs': moduleFile(path.join(REPO_ROOT, 'tests', 'js', 'family-wycheproof.mjs')),
      '/native-checks.mjs': moduleFile(path.join(REPO_ROOT, 'tests', 'js', 'native-checks.mjs')),
      '/': pageWithImportMap(path.join(REPO_ROOT, 'tests', 'browser', 'family-entries.html'), imports),
    });
    browser = await launchBrowser(kind);
    result = await browser.runPage(`${server.origin}/`, { timeoutMs: 600_000 });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('package.json maps each entry to its own web build', () => {
    for (const f of FAMILIES) assert.equal(entries[`kms-offline/${f}`], `dist/${f}/web.js`);
  });

  it('the page ran without errors, and fetched each family\'s .wasm once', () => {
    assertCleanRun(result);
    for (const f of FAMILIES) {
      const wasm = server.requests.filter((r) => r.path.endsWith(`/dist/${f}/kms_offline_bg.wasm`));
      assert.equal(wasm.length, 1, `${f}: ${JSON.stringify(wasm)}`);
    }
  });

  it('every check passes (one subtest per check)', async (t) => {
    await subtestPerCheck(t, result.report.results, 35);
  });
});
