// The page and DSSE envelopes, in headless Chromium (as page.test.mjs): an envelope dropped on the page is
// recognised (not taken for a key) and verified with the loaded key; the same through the signed-file panel's
// chooser; a dropped envelope with no key loaded asks for the key; a dropped key still loads; Japanese too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, outputDir, installPackedPackage, launchChromium } from '../browser/harness.mjs';
import { startServer } from '../../www/tools/serve.mjs';
import { openPage, loadSample } from './page-driver.mjs';

const OUT = outputDir('www-dsse');
const sample = (file) => path.join(REPO_ROOT, 'www', 'samples', file);
const ENVELOPE = sample('ECC_NIST_P256_SIGN_VERIFY.dsse.json');
const TAMPERED = sample('ECC_NIST_P256_SIGN_VERIFY.tampered.dsse.json');

/** Drops `file` on the element `selector` as a person dragging it from their file manager would. */
async function dropFile(page, selector, file) {
  const b64 = fs.readFileSync(file).toString('base64');
  await page.evaluate(
    ([sel, data, name]) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'application/json' }));
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

describe('www page: DSSE envelopes', () => {
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

  it('an envelope dropped before any key asks for the key that signed it', async () => {
    await dropFile(page, '#drop', ENVELOPE);
    const r = await resultOf(page, 'load-error');
    assert.equal(r.outcome, 'input-error');
    assert.match(r.text, /ECC_NIST_P256_SIGN_VERIFY\.dsse\.json is a DSSE envelope: load the key that signed it first/);
    assert.equal(await page.locator('#card').isHidden(), true);
  });

  it('dropped on the page with the P-256 sample loaded: the envelope is verified, its statement shown; the tampered one is invalid', async () => {
    await loadSample(page, 'ECC_NIST_P256_SIGN_VERIFY');
    await dropFile(page, '#drop', ENVELOPE);
    const ok = await resultOf(page, 's-out');
    assert.deepEqual([ok.outcome, ok.kind], ['valid', 'dsse']);
    assert.match(ok.text, /Valid envelope/);
    assert.match(ok.text, /application\/vnd\.in-toto\+json/);
    assert.match(ok.text, /VALID \(keyid arn:aws:kms:[^)]*: KEY_ID\)/);
    assert.match(ok.text, /in-toto\.io\/Statement\/v1/);
    assert.equal(await page.locator('#card').isVisible(), true, 'the key stays loaded');
    await page.screenshot({ path: path.join(OUT, 'dsse-valid.png'), fullPage: true });
    await clear(page, 's-out');
    await dropFile(page, '#drop', TAMPERED);
    const bad = await resultOf(page, 's-out');
    assert.equal(bad.outcome, 'invalid');
    assert.match(bad.text, /INVALID/);
    assert.doesNotMatch(bad.text, /Statement\/v1/, 'the payload of an invalid envelope is not shown');
  });

  it("through the signed-file panel's chooser, and in Japanese after the language switch", async () => {
    await clear(page, 's-out');
    await page.setInputFiles('#s-file', ENVELOPE);
    assert.equal((await resultOf(page, 's-out')).outcome, 'valid');
    await page.click('[data-lang="ja"]');
    assert.match((await resultOf(page, 's-out')).text, /有効なエンベロープ/);
    await page.click('[data-lang="en"]');
  });

  it('a key file dropped on the page still loads as a key; a malformed envelope is a ValidationException', async () => {
    await dropFile(page, '#drop', sample('RSA_2048_SIGN_VERIFY.json'));
    await page.waitForFunction(() => document.querySelector('#card-fields')?.innerText.includes('RSA_2048'));
    const broken = path.join(OUT, 'broken.dsse.json');
    fs.writeFileSync(broken, '{"payloadType":"t","payload":"%%%","signatures":[]}');
    await clear(page, 's-out');
    await dropFile(page, '#drop', broken);
    const r = await resultOf(page, 's-out');
    assert.equal(r.outcome, 'input-error');
    assert.match(r.text, /ValidationException/);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.failed, []);
  });
});
