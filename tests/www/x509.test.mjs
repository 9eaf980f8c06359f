// The page and X.509 files, in headless Chromium (as dsse.test.mjs): a certificate, CSR or CRL dropped on the page
// is recognised (PEM by its BEGIN line, DER by its structure; a DER key is still a key) and verified with the loaded
// key; a tampered certificate is invalid; a key of another type is refused with KMS's exception; Japanese too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, outputDir, installPackedPackage, launchChromium } from '../browser/harness.mjs';
import { startServer } from '../../www/tools/serve.mjs';
import { openPage, loadSample } from './page-driver.mjs';

const OUT = outputDir('www-x509');
const sample = (file) => path.join(REPO_ROOT, 'www', 'samples', file);
const CERT = sample('ECC_NIST_P256_SIGN_VERIFY.cert.pem');
const CSR = sample('ECC_NIST_P256_SIGN_VERIFY.csr.pem');
const CRL = sample('ECC_NIST_P256_SIGN_VERIFY.crl.pem');
const TAMPERED = sample('ECC_NIST_P256_SIGN_VERIFY.tampered.cert.pem');
const pemToDer = (file) => Buffer.from(fs.readFileSync(file, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');

/** Drops `file` on the element `selector` as a person dragging it from their file manager would. */
async function dropFile(page, selector, file) {
  const b64 = fs.readFileSync(file).toString('base64');
  await page.evaluate(
    ([sel, data, name]) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name));
      document.querySelector(sel).dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    [selector, b64, path.basename(file)],
  );
}

/** The result box of `outId` once it appears: { outcome, kind, text }. */
async function resultOf(page, outId) {
  const box = page.locator(`#${outId} .result`).first();
  await box.waitFor({ timeout: 30_000 });
  return { outcome: await box.getAttribute('data-outcome'), kind: await box.getAttribute('data-kind'), text: await box.innerText() };
}

const clear = (page, id) => page.evaluate((i) => document.getElementById(i).replaceChildren(), id);

/** Drops `file` on the page and returns the signed-file panel's result. */
async function dropAndRead(page, file) {
  await clear(page, 's-out');
  await dropFile(page, '#drop', file);
  return resultOf(page, 's-out');
}

describe('www page: X.509 certificates, CSRs and CRLs', () => {
  let server;
  let browser;
  let page;
  const problems = { console: [], pageErrors: [], failed: [] };

  before(async () => {
    const pkg = installPackedPackage(path.join(OUT, 'work'));
    server = await startServer({ port: 0, pkgDir: pkg.dir });
    browser = await launchChromium();
    page = await openPage(browser.context, server, problems);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a certificate dropped before any key asks for the key that signed it', async () => {
    await dropFile(page, '#drop', CERT);
    const r = await resultOf(page, 'load-error');
    assert.equal(r.outcome, 'input-error');
    assert.match(r.text, /ECC_NIST_P256_SIGN_VERIFY\.cert\.pem is an X\.509 certificate: load the key that signed it first/);
    assert.equal(await page.locator('#card').isHidden(), true);
  });

  it('with the P-256 sample loaded: the dropped certificate, CSR and CRL verify, with their essentials', async () => {
    await loadSample(page, 'ECC_NIST_P256_SIGN_VERIFY');
    const cert = await dropAndRead(page, CERT);
    assert.deepEqual([cert.outcome, cert.kind], ['valid', 'certificate']);
    assert.match(cert.text, /Valid certificate/);
    assert.match(cert.text, /CN=SAMPLE kms-offline test CA \(never trust it\),O=kms-offline demo/);
    assert.match(cert.text, /5a4d504c45/);
    assert.match(cert.text, /2026-01-01T00:00:00Z to 2036-01-01T00:00:00Z/);
    assert.match(cert.text, /ECDSA_SHA_256/);
    assert.match(cert.text, /certified: the certificate is for this very key/);
    assert.equal(await page.locator('#card').isVisible(), true, 'the key stays loaded');
    await page.screenshot({ path: path.join(OUT, 'certificate-valid.png'), fullPage: true });

    const csr = await dropAndRead(page, CSR);
    assert.deepEqual([csr.outcome, csr.kind], ['valid', 'certificateRequest']);
    assert.match(csr.text, /Valid CSR/);
    assert.match(csr.text, /requested: the CSR asks a certificate for this very key/);

    const crl = await dropAndRead(page, CRL);
    assert.deepEqual([crl.outcome, crl.kind], ['valid', 'crl']);
    assert.match(crl.text, /Valid CRL/);
    assert.match(crl.text, /1: 0badc0de/);
    assert.match(crl.text, /2026-06-01T00:00:00Z to 2036-06-01T00:00:00Z/);
  });

  it('a tampered certificate shows invalid', async () => {
    const r = await dropAndRead(page, TAMPERED);
    assert.deepEqual([r.outcome, r.kind], ['invalid', 'certificate']);
    assert.match(r.text, /Invalid certificate/);
  });

  it('a DER certificate, CSR and CRL work (recognised by their structure), through the drop and the chooser', async () => {
    const der = path.join(OUT, 'sample.cer');
    fs.writeFileSync(der, pemToDer(CERT));
    assert.deepEqual(Object.values(await dropAndRead(page, der)).slice(0, 2), ['valid', 'certificate']);
    for (const [file, kind] of [[CSR, 'certificateRequest'], [CRL, 'crl']]) {
      const out = path.join(OUT, `sample.${kind}.der`);
      fs.writeFileSync(out, pemToDer(file));
      await clear(page, 's-out');
      await page.setInputFiles('#s-file', out);
      const r = await resultOf(page, 's-out');
      assert.deepEqual([r.outcome, r.kind], ['valid', kind]);
    }
  });

  it('a DER key file dropped on the page is still a key, not a certificate', async () => {
    const keyDer = path.join(OUT, 'key.der');
    fs.writeFileSync(keyDer, pemToDer(sample('ECC_NIST_P256_SIGN_VERIFY.pem')));
    await clear(page, 's-out');
    await dropFile(page, '#drop', keyDer);
    await page.waitForFunction(() => document.querySelector('#key-text')?.placeholder.includes('key.der'));
    assert.equal(await page.locator('#s-out .result').count(), 0);
  });

  it('a certificate dropped with a key of another type is refused with the KMS exception', async () => {
    await loadSample(page, 'RSA_2048_SIGN_VERIFY');
    const r = await dropAndRead(page, CERT);
    assert.match(r.text, /InvalidKeyUsageException/);
    assert.match(r.text, /ECDSA_SHA_256/);
  });

  it('in Japanese the page shows the Japanese sentences', async () => {
    await loadSample(page, 'ECC_NIST_P256_SIGN_VERIFY');
    await page.click('[data-lang="ja"]');
    const cert = await dropAndRead(page, CERT);
    assert.match(cert.text, /有効な証明書/);
    assert.match(cert.text, /証明済み: この証明書はこのキーそのもののものです/);
    assert.match(cert.text, /2026-01-01T00:00:00Z から 2036-01-01T00:00:00Z まで/);
    assert.match((await dropAndRead(page, CRL)).text, /失効したシリアル番号/);
    assert.match((await dropAndRead(page, TAMPERED)).text, /無効な証明書/);
    await page.click('[data-lang="en"]');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.failed, []);
  });
});
