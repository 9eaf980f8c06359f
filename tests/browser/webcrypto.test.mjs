// Each browser's WebCrypto, algorithm by algorithm (tests/browser/webcrypto-support.js): which ones it has (said
// in the test output, one subtest per algorithm), and for each one the package's async operations hand to
// WebCrypto, what they answer without it: the page takes the algorithm away (or the browser lacks it), and
// verifyAsync must answer exactly as verify on every fixture case it serves, encryptAsync's ciphertexts must
// decrypt with the KMS private key (node:crypto), encapsulateAsync's ciphertexts decapsulate (@noble/post-quantum) to
// its SharedSecret, deriveSharedSecretAsync's SharedSecret must be the Z of the
// KMS private key and its PublicKey, and WebCrypto's operation must never have been called.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { ALGORITHMS, QUIRKS } from './webcrypto-support.js';
import { REPO_ROOT, KEYS_DIR, fixtureList, moduleFile, pageWithImportMap, readFixture, installPackedPackage, webEntryOf, startServer, BROWSER_NAMES, browsersUnderTest, browserOutputDir, launchBrowser, assertCleanRun, quirksSummary } from './harness.mjs';

const HERE = path.join(REPO_ROOT, 'tests', 'browser');
const usedBy = (operation) => ALGORITHMS.filter(([, , op]) => op === operation).map(([name]) => name);

for (const kind of browsersUnderTest()) describe(`${BROWSER_NAMES[kind]} without WebCrypto's algorithms: the async operations answer from wasm`, () => {
  let server, browser, result;
  const out = browserOutputDir('browser-webcrypto', kind);

  before(async () => {
    const pkg = installPackedPackage(path.join(out, 'work'));
    server = await startServer({
      '/node_modules/kms-offline/': pkg.dir,
      '/fixtures/keys/': fixtureList(),
      '/fixtures/keys': KEYS_DIR,
      '/webcrypto-support.js': moduleFile(path.join(HERE, 'webcrypto-support.js')),
      '/': pageWithImportMap(path.join(HERE, 'webcrypto.html'), { 'kms-offline': `/node_modules/kms-offline/${webEntryOf(pkg.dir)}` }),
    });
    browser = await launchBrowser(kind);
    result = await browser.runPage(`${server.origin}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the page ran without errors', () => assertCleanRun(result));

  it(`which WebCrypto algorithms ${BROWSER_NAMES[kind]} has (one subtest per algorithm)`, async (t) => {
    const { support } = result.report;
    assert.deepEqual(support.map((s) => s.name), ALGORITHMS.map(([name]) => name));
    t.diagnostic(`${browser.version}: WebCrypto has ${support.filter((s) => s.present).map((s) => s.name).join(', ') || 'none of them'}; lacks ${support.filter((s) => !s.present).map((s) => s.name).join(', ') || 'none of them'}`);
    for (const s of support) {
      const title = s.present ? `${s.name}: present` : `${s.name}: ABSENT (${s.detail})${s.usedBy ? `: ${s.usedBy} answers from wasm (checked below)` : ''}`;
      await t.test(title, (st) => {
        if (!s.present) st.diagnostic(`${BROWSER_NAMES[kind]}'s WebCrypto lacks ${s.name}: ${s.detail}`);
      });
    }
  });

  it(`which known WebCrypto bugs ${BROWSER_NAMES[kind]} has (one subtest per bug; probes that fail fail here)`, async (t) => {
    const { quirks } = result.report;
    assert.deepEqual(quirks.map((q) => q.name), QUIRKS.map((q) => q.name));
    t.diagnostic(`${browser.version}: ${quirksSummary(quirks)}`);
    for (const q of quirks) {
      await t.test(q.present ? `${q.name}: PRESENT (${q.detail})` : `${q.name}: not present`, () => assert.doesNotMatch(String(q.detail), /^probe failed/, q.detail));
    }
  });

  const fallback = (name) => {
    const f = result.report.fallbacks.find((x) => x.name === name);
    assert.ok(f, `no fallback run for ${name}`);
    // the package asked for the algorithm, was refused, and never called WebCrypto's operation for it
    assert.ok(f.refusals > 0, `${name}: the package never asked WebCrypto for it (${f.refusals} refused imports)`);
    assert.equal(f.operations, 0, `${name}: WebCrypto's operation was called ${f.operations} times while the algorithm was missing`);
    return f.result;
  };

  for (const name of usedBy('verifyAsync')) {
    it(`without ${name}, verifyAsync answers as verify (and as the fixture) on every case it serves`, () => {
      const { cases } = fallback(name);
      assert.ok(cases.length >= 10, `only ${cases.length} cases`);
      const wrong = cases.filter((c) => c.async !== c.sync || c.sync !== `ok:${c.valid}`);
      assert.deepEqual(wrong, []);
    });
  }

  it(`without ${usedBy('encryptAsync')}, encryptAsync ciphertexts decrypt with the KMS private key (node:crypto)`, () => {
    const { ciphertexts } = fallback(usedBy('encryptAsync')[0]);
    assert.equal(ciphertexts.length, 4);
    for (const c of ciphertexts) {
      const fx = readFixture(c.key);
      const opened = crypto.privateDecrypt(
        { key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: c.algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256' },
        Buffer.from(c.ciphertext, 'base64'),
      );
      assert.equal(opened.toString('base64'), c.plaintext, `${c.key} ${c.algorithm}`);
      assert.deepEqual([c.keyId, c.responseAlgorithm], [fx.GetPublicKey.KeyId, c.algorithm]);
    }
  });

  for (const name of usedBy('encapsulateAsync')) {
    it(`without ${name}, encapsulateAsync's ciphertexts decapsulate to its SharedSecret with the KMS private key (@noble/post-quantum)`, () => {
      const { encapsulations } = fallback(name);
      assert.equal(encapsulations.length, 2);
      for (const e of encapsulations) {
        const fx = readFixture(e.key);
        const { secretKey } = ml_kem768.keygen(Buffer.from(fx.PrivateKeySeed, 'base64'));
        assert.equal(Buffer.from(ml_kem768.decapsulate(Buffer.from(e.ciphertext, 'base64'), secretKey)).toString('base64'), e.secret);
        assert.deepEqual([e.keyId, e.algorithm], [fx.GetPublicKey.KeyId, 'ML_KEM']);
      }
    });
  }

  for (const name of usedBy('deriveSharedSecretAsync')) {
    it(`without ${name}, deriveSharedSecretAsync gives the Z the KMS private key derives with its PublicKey (node:crypto)`, () => {
      const { agreement } = fallback(name);
      const fx = readFixture(agreement.key);
      const z = crypto.diffieHellman({
        privateKey: crypto.createPrivateKey(fx.PrivateKeyPem),
        publicKey: crypto.createPublicKey({ key: Buffer.from(agreement.publicKey, 'base64'), format: 'der', type: 'spki' }),
      });
      assert.equal(Buffer.from(agreement.secret, 'base64').toString('hex'), z.toString('hex'));
      assert.equal(agreement.keyId, fx.GetPublicKey.KeyId);
    });
  }
});
