// Browser: `npm pack` the built package, serve it with the fixtures and a test page on 127.0.0.1, open the
// page in each browser of KMS_BROWSERS (harness.mjs: Chromium by default, Firefox, WebKit). The page's
// <script type="module"> imports 'kms-offline' through an import map that points at the package's
// default (web) export, and verifies every fixture signature case. Screenshot: test-output/browser/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { ml_kem512, ml_kem768, ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import path from 'node:path';
import { REPO_ROOT, KEYS_DIR, fixtureNames, fixtureList, moduleFile, pageWithImportMap, readFixture, installPackedPackage, webEntryOf, startServer, BROWSER_NAMES, browsersUnderTest, browserOutputDir, launchBrowser } from './harness.mjs';

const HERE = path.join(REPO_ROOT, 'tests', 'browser');

for (const kind of browsersUnderTest()) describe(`browser (${BROWSER_NAMES[kind]}, <script type="module">)`, () => {
  let server, browser, result, pkg, entry;
  const out = browserOutputDir('browser', kind);
  const names = fixtureNames();
  const screenshot = path.join(out, 'verify.png');

  before(async () => {
    pkg = installPackedPackage(path.join(out, 'work'));
    entry = webEntryOf(pkg.dir);
    server = await startServer({
      '/node_modules/kms-offline/': pkg.dir,
      '/fixtures/keys/': fixtureList(names),
      '/fixtures/keys': KEYS_DIR,
      '/run-cases.js': moduleFile(path.join(HERE, 'run-cases.js')),
      '/': pageWithImportMap(path.join(HERE, 'index.html'), { 'kms-offline': `/node_modules/kms-offline/${entry}` }),
    });
    fs.rmSync(screenshot, { force: true });
    browser = await launchBrowser(kind);
    result = await browser.runPage(`${server.origin}/`, { screenshotPath: screenshot });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the packed package contains every entry and the .wasm', () => {
    for (const f of ['package.json', 'README.md', 'dist/kms_offline_bg.wasm', 'dist/web.js', 'dist/web.d.ts', 'dist/node.cjs', 'dist/node.mjs', 'dist/deno.js']) {
      assert.ok(pkg.files.includes(f), `${f} missing from the tarball: ${pkg.files.join(', ')}`);
    }
    assert.equal(entry, 'dist/web.js');
  });

  it('the page ran without errors', (t) => {
    t.diagnostic(`${browser.version}; navigator.userAgent: ${result.report.userAgent}`);
    assert.equal(result.report.fatal, undefined, result.report.fatal);
    assert.deepEqual(result.pageErrors, [], 'uncaught page errors');
    assert.deepEqual(result.consoleErrors, [], 'console errors');
    assert.deepEqual(result.consoleWarnings.filter((w) => /wasm|WebAssembly/i.test(w)), [], 'console warnings about wasm');
  });

  it('no request failed, and the .wasm was fetched once as application/wasm', () => {
    assert.deepEqual(result.failedRequests, []);
    const bad = server.requests.filter((r) => r.status >= 400);
    assert.deepEqual(bad, [], 'server answered with errors');
    const wasm = server.requests.filter((r) => r.path.endsWith('.wasm'));
    assert.equal(wasm.length, 1, `wasm requests: ${JSON.stringify(wasm)}`);
    assert.equal(wasm[0].path, '/node_modules/kms-offline/dist/kms_offline_bg.wasm');
  });

  it('every fixture key loads and every signature case matches the fixture', () => {
    const { report } = result;
    assert.deepEqual(report.keys.map((k) => k.name), names);
    let total = 0;
    const problems = [];
    for (const k of report.keys) {
      if (k.loadError) problems.push(`${k.name}: ${k.loadError}`);
      const fx = readFixture(k.name);
      const cases = fx.Signatures ?? [];
      total += cases.length;
      if (k.cases.length !== cases.length) problems.push(`${k.name}: ran ${k.cases.length} of ${cases.length} cases`);
      k.cases.forEach((c) => {
        const want = cases[c.i].Valid;
        const wantThrow = want ? 'ok' : 'throw:KMSInvalidSignatureException';
        // A malformed signature case (truncated, extended) as a base64 string may be refused by its length.
        const b64ok = c.b64 === want || (!want && c.b64 === 'throw:ValidationException');
        if (c.bytes !== want || !b64ok || c.orThrow !== wantThrow) {
          problems.push(`${k.name} #${c.i} ${c.alg}/${c.mt} expected ${want}: bytes=${c.bytes} base64=${c.b64} verifyOrThrow=${c.orThrow} (${c.note})`);
        }
      });
      if (k.fingerprint !== undefined) assert.match(k.fingerprint, /^[0-9a-f]{64}$/);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
    assert.equal(report.summary.cases, total);
    assert.equal(report.summary.mismatches, 0);
    assert.ok(total > 0, 'no signature cases');
  });

  it('KMS rules throw KMS-named errors in the browser too; encrypt works (WebCrypto decrypts it)', () => {
    assert.ok(result.report.rules.length > 0, 'no rules ran (ECC_NIST_P256_SIGN_VERIFY fixture missing?)');
    assert.ok(result.report.rules.some((r) => /WebCrypto/.test(r.what)), 'encrypt check did not run (RSA_2048_ENCRYPT_DECRYPT fixture missing?)');
    const bad = result.report.rules.filter((r) => !r.ok);
    assert.deepEqual(bad, []);
  });

  it(`ECDH secrets and ML-KEM encapsulations made in ${BROWSER_NAMES[kind]} open with node:crypto and @noble/post-quantum`, () => {
    const exchanges = result.report.exchanges ?? [];
    const kinds = exchanges.map((x) => `${x.kind} ${x.name}`).sort();
    assert.deepEqual(kinds, [
      'ECDH ECC_NIST_P256_KEY_AGREEMENT', 'ECDH ECC_NIST_P384_KEY_AGREEMENT', 'ECDH ECC_NIST_P521_KEY_AGREEMENT',
      'ML_KEM ML_KEM_1024_ENCAPSULATE_DECAPSULATE', 'ML_KEM ML_KEM_512_ENCAPSULATE_DECAPSULATE', 'ML_KEM ML_KEM_768_ENCAPSULATE_DECAPSULATE',
    ]);
    const kem = { ML_KEM_512: ml_kem512, ML_KEM_768: ml_kem768, ML_KEM_1024: ml_kem1024 };
    for (const x of exchanges) {
      const fx = readFixture(x.name);
      const secret = Buffer.from(x.secret, 'base64');
      if (x.kind === 'ECDH') {
        const z = crypto.diffieHellman({
          privateKey: crypto.createPrivateKey(fx.PrivateKeyPem),
          publicKey: crypto.createPublicKey({ key: Buffer.from(x.publicKey, 'base64'), format: 'der', type: 'spki' }),
        });
        assert.deepEqual(secret, z, x.name);
      } else {
        const impl = kem[fx.GetPublicKey.KeySpec];
        const { secretKey } = impl.keygen(Buffer.from(fx.PrivateKeySeed, 'base64'));
        assert.deepEqual(Buffer.from(impl.decapsulate(Buffer.from(x.ciphertext, 'base64'), secretKey)), secret, x.name);
      }
    }
  });

  it('saved a screenshot', () => {
    assert.ok(fs.statSync(screenshot).size > 1000, screenshot);
  });
});
