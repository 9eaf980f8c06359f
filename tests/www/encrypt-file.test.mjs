// The page's "Encrypt a file" panel in headless Chromium (English, then a ja-JP browser): a file dropped or chosen
// is written as an AWS Encryption SDK message in encrypt-worker.js, with progress, Cancel and a download; the
// downloaded message is decrypted by the Python ESDK's own AWS KMS RSA / ECDH keyrings (tests/python/esdk_check.py,
// only the KMS client replaced by a stand-in holding the fixture's private key). Keys that cannot write one show
// the library's refusal. The decrypt code shown is the CLI's (pkg/bin/text/en.mjs). Screenshots of the panel: test-output/www-ef/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { REPO_ROOT, CHROMIUM, CHROMIUM_FLAGS, outputDir, installPackedPackage, readFixture } from '../browser/harness.mjs';
import { PYTHON, havePython } from '../js/python.mjs';
import { startServer } from '../../www/tools/serve.mjs';
import { openPage, loadSample, englishLeftInPage } from './page-driver.mjs';
import CLI_EN from '../../pkg/bin/text/en.mjs';

const OUT = outputDir('www-ef');
const WORK = path.join(OUT, 'work');
const shot = (name) => path.join(OUT, name);
const FRAME = 4096; // the ESDK's default frame length, which the page leaves as it is
const ESDK_CHECK = path.join(REPO_ROOT, 'tests', 'python', 'esdk_check.py');
const noPython = !havePython && process.env.CI !== 'true' ? `no Python ESDK interpreter at ${PYTHON} (bash scripts/setup.sh makes it)` : false;

/** Deterministic bytes (AES-128-CTR keystream of a fixed key). */
function deterministicBytes(size, label) {
  const key = crypto.createHash('sha256').update(label).digest().subarray(0, 16);
  const cipher = crypto.createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

function writeWork(name, bytes) {
  const file = path.join(WORK, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** The Python ESDK decrypts `message` with the fixture's keyring and must give exactly `plaintextFile`. */
function pythonDecrypts(fixture, message, plaintextFile, { context, algorithm } = {}) {
  const args = [ESDK_CHECK, 'decrypt', '--key', path.join(REPO_ROOT, 'tests', 'fixtures', 'keys', `${fixture}.json`), '--in', message, '--expect', plaintextFile];
  if (context) args.push('--context', JSON.stringify(context));
  if (algorithm) args.push('--algorithm', algorithm);
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `esdk_check.py decrypt: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** The code lines of the CLI's decrypt instructions (its indented lines), as the page shows them. */
const cliCode = (text) => text.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.slice(2)).join('\n');

/** Records every progress text the panel shows (window.efProgress) from now on. */
async function recordProgress(page) {
  await page.evaluate(() => {
    window.efProgress = [];
    new MutationObserver(() => {
      const p = document.querySelector('#ef-out .encrypting .progress');
      if (p && window.efProgress.at(-1) !== p.textContent) window.efProgress.push(p.textContent);
    }).observe(document.getElementById('ef-out'), { subtree: true, childList: true, characterData: true });
  });
}

/** Chooses `file` (or drops it on the panel), types the context lines, presses Encrypt file; the result box. */
async function encryptFile(page, file, { context = '', drop = false } = {}) {
  await page.evaluate(() => document.getElementById('ef-out').replaceChildren());
  if (drop) {
    const bytes = fs.readFileSync(file).toString('base64');
    await page.evaluate(([b64, name]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
      document.getElementById('encrypt-file').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, [bytes, path.basename(file)]);
  } else {
    await page.setInputFiles('#ef-file', file);
  }
  await page.fill('#ef-context', context);
  await page.click('#ef-go');
  const box = page.locator('#ef-out .result').first();
  await box.waitFor({ timeout: 120_000 });
  const attr = (name) => box.getAttribute(name);
  return {
    outcome: await attr('data-outcome'),
    exception: await attr('data-exception'),
    bytes: Number(await attr('data-bytes')),
    plaintextBytes: Number(await attr('data-plaintext-bytes')),
    suite: await attr('data-suite'),
    text: await box.innerText(),
  };
}

/** Clicks the download link and saves the message as `name` in the work folder. */
async function download(page, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#ef-download')]);
  const file = path.join(WORK, name);
  await dl.saveAs(file);
  return { file, suggested: dl.suggestedFilename() };
}

/** How many workers the page still has, after up to 5 s for them to end. */
async function workersLeft(page) {
  for (let i = 0; i < 50 && page.workers().length; i++) await page.waitForTimeout(100);
  return page.workers().length;
}

/** A 1 GiB sparse file (no disk blocks): encrypting it takes long enough to cancel. */
function hugeFile() {
  const huge = path.join(WORK, 'huge.bin');
  fs.closeSync(fs.openSync(huge, 'w'));
  fs.truncateSync(huge, 1 << 30);
  return huge;
}

/** Starts encrypting `file` and waits until the worker has read some of it. */
async function startEncrypting(page, file) {
  await page.evaluate(() => document.getElementById('ef-out').replaceChildren());
  await page.setInputFiles('#ef-file', file);
  await page.click('#ef-go');
  await page.waitForFunction(() => Number(document.querySelector('#ef-out .encrypting .progress')?.dataset.progress) > 0, null, { timeout: 60_000 });
}

/** The refusal the panel shows for the loaded key: { exception, text }, and whether the form is hidden. */
async function refusal(page) {
  const box = page.locator('#ef-refusal .result');
  await box.waitFor();
  return { exception: await box.getAttribute('data-exception'), text: await box.innerText(), formHidden: await page.locator('#ef-form').isHidden() };
}

describe('www page: Encrypt a file (AWS Encryption SDK message) in Chromium', () => {
  let server;
  let browser;
  const problems = { console: [], pageErrors: [], failed: [] };

  before(async () => {
    const pkg = installPackedPackage(WORK);
    server = await startServer({ port: 0, pkgDir: pkg.dir });
    for (const f of fs.readdirSync(OUT)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT, f));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('in English', () => {
    let page;
    before(async () => {
      const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
      page = await openPage(context, server, problems);
    });

    it('RSA: a file of three frames and a bit, with an encryption context: progress to 100 %, a download the Python ESDK decrypts (AWS KMS RSA keyring)', { skip: noPython }, async () => {
      const fx = readFixture('RSA_2048_ENCRYPT_DECRYPT');
      await loadSample(page, 'RSA_2048_ENCRYPT_DECRYPT');
      assert.equal(await page.locator('#encrypt-file').isVisible(), true);
      assert.equal(await page.locator('#ef-refusal').innerHTML(), '', 'no refusal for an RSA ENCRYPT_DECRYPT key');
      assert.deepEqual(await page.$$eval('#ef-alg option', (os) => os.map((o) => o.value)), fx.GetPublicKey.EncryptionAlgorithms);
      assert.equal(await page.inputValue('#ef-alg'), 'RSAES_OAEP_SHA_256');
      const plain = writeWork('frames.bin', deterministicBytes(3 * FRAME + 100, 'ef rsa'));
      await recordProgress(page);
      const r = await encryptFile(page, plain, { context: 'purpose=page test\n\nteam = kms\n' });
      assert.equal(r.outcome, 'encrypted-file', r.text);
      assert.equal(r.plaintextBytes, 3 * FRAME + 100);
      assert.equal(r.suite, '0x0478', 'the AWS KMS RSA keyring takes the committing non-signing suite');
      assert.match(r.text, /^✔ Encrypted: an AWS Encryption SDK message of 12\.\d KiB/);
      assert.match(r.text, /From frames\.bin \(12\.1 KiB\)/);
      assert.match(r.text, /Decrypt with\s+AWS KMS RSA keyring/);
      assert.match(r.text, /purpose=page test\nteam = kms/);
      const progress = await page.evaluate(() => window.efProgress);
      assert.equal(progress.at(-1), 'Encrypting frames.bin: 12.1 KiB of 12.1 KiB (100 %)', progress.join('\n'));
      const { file, suggested } = await download(page, 'frames.bin.enc');
      assert.equal(suggested, 'frames.bin.enc');
      assert.equal(fs.statSync(file).size, r.bytes);
      const dec = pythonDecrypts('RSA_2048_ENCRYPT_DECRYPT', file, plain, { context: { purpose: 'page test', 'team ': ' kms' }, algorithm: 'RSAES_OAEP_SHA_256' });
      assert.equal(dec.suite, '0x0478');
      assert.deepEqual(dec.kms_calls, ['Decrypt']);
      assert.deepEqual(dec.encryption_context, { purpose: 'page test', 'team ': ' kms' });
      // The instructions: the CLI's, for this key, algorithm and file.
      const prose = await page.locator('#ef-out p:has(+ #ef-cmd)').innerText();
      assert.match(prose, new RegExp(`AWS KMS RSA keyring for ${fx.GetPublicKey.KeyId}, EncryptionAlgorithm RSAES_OAEP_SHA_256, and a KMS client allowed kms:Decrypt`));
      assert.match(prose, /aws-encryption-cli cannot: it takes symmetric KMS keys only/);
      const code = await page.locator('#ef-cmd').innerText();
      const [pip, ...rest] = code.split('\n');
      assert.equal(pip, '# pip install aws-encryption-sdk aws-cryptographic-material-providers boto3');
      assert.equal(rest.join('\n'), cliCode(CLI_EN.result.decryptWithRsaKeyring(fx.GetPublicKey.KeyId, 'RSAES_OAEP_SHA_256', 'frames.bin.enc')));
      await page.locator('#ef-out').scrollIntoViewIfNeeded();
      await page.locator('#encrypt-file').screenshot({ path: shot('01-rsa-encrypted-desktop-light.png') });
      assert.equal(await workersLeft(page), 0, 'the worker is not terminated after its result');
    });

    it('RSA with RSAES_OAEP_SHA_1, an empty file: 100 %, and the Python ESDK decrypts it to nothing', { skip: noPython }, async () => {
      await loadSample(page, 'RSA_2048_ENCRYPT_DECRYPT');
      await page.selectOption('#ef-alg', 'RSAES_OAEP_SHA_1');
      const plain = writeWork('empty.txt', Buffer.alloc(0));
      await recordProgress(page);
      const r = await encryptFile(page, plain);
      assert.equal(r.outcome, 'encrypted-file', r.text);
      assert.equal(r.plaintextBytes, 0);
      assert.match(r.text, /Encryption algorithm\s+RSAES_OAEP_SHA_1/);
      assert.match(r.text, /Encryption context\s+\(none\)/);
      assert.deepEqual(await page.evaluate(() => window.efProgress.at(-1)), 'Encrypting empty.txt: 0 bytes of 0 bytes (100 %)');
      assert.match(await page.locator('#ef-out p:has(+ #ef-cmd)').innerText(), /EncryptionAlgorithm RSAES_OAEP_SHA_1/);
      const { file } = await download(page, 'empty.txt.enc');
      const dec = pythonDecrypts('RSA_2048_ENCRYPT_DECRYPT', file, plain, { algorithm: 'RSAES_OAEP_SHA_1' });
      assert.equal(dec.plaintext_length, 0);
    });

    it('ECDH P-256: a file dropped on the panel (a few frames) and an empty file; the Python ESDK decrypts both (AWS KMS ECDH keyring, KmsPublicKeyDiscovery)', { skip: noPython }, async () => {
      const fx = readFixture('ECC_NIST_P256_KEY_AGREEMENT');
      await loadSample(page, 'ECC_NIST_P256_KEY_AGREEMENT');
      assert.equal(await page.locator('#encrypt-file').isVisible(), true);
      assert.equal(await page.locator('#ef-alg-row').isHidden(), true, 'no EncryptionAlgorithm for a KEY_AGREEMENT key');
      const plain = writeWork('dropped.bin', deterministicBytes(5 * FRAME - 1, 'ef ecdh'));
      const r = await encryptFile(page, plain, { context: 'purpose=ecdh', drop: true });
      assert.equal(r.outcome, 'encrypted-file', r.text);
      assert.equal(r.plaintextBytes, 5 * FRAME - 1);
      assert.equal(r.suite, '0x0578', 'ECDH keys take the ESDK default suite');
      assert.match(r.text, /Decrypt with\s+AWS KMS ECDH keyring \(KmsPublicKeyDiscovery\)/);
      const { file } = await download(page, 'dropped.bin.enc');
      const dec = pythonDecrypts('ECC_NIST_P256_KEY_AGREEMENT', file, plain, { context: { purpose: 'ecdh' } });
      assert.deepEqual(dec.kms_calls, ['GetPublicKey', 'DeriveSharedSecret']);
      const code = (await page.locator('#ef-cmd').innerText()).split('\n').slice(1).join('\n');
      assert.equal(code, cliCode(CLI_EN.result.decryptWithEcdhKeyring(fx.GetPublicKey.KeyId, 'ECC_NIST_P256', 'dropped.bin.enc')));
      assert.match(await page.locator('#ef-out p:has(+ #ef-cmd)').innerText(), /KmsPublicKeyDiscovery with RecipientKmsIdentifier \S+, curve ECC_NIST_P256, and a KMS client allowed kms:GetPublicKey and kms:DeriveSharedSecret/);
      await page.locator('#encrypt-file').screenshot({ path: shot('02-ecdh-encrypted-desktop-light.png') });
      const empty = writeWork('nothing.bin', Buffer.alloc(0));
      await recordProgress(page);
      const e = await encryptFile(page, empty);
      assert.equal(e.outcome, 'encrypted-file', e.text);
      assert.equal(await page.evaluate(() => window.efProgress.at(-1)), 'Encrypting nothing.bin: 0 bytes of 0 bytes (100 %)');
      const dl = await download(page, 'nothing.bin.enc');
      assert.equal(pythonDecrypts('ECC_NIST_P256_KEY_AGREEMENT', dl.file, empty).plaintext_length, 0);
    });

    it('a 20 MiB file (the message gathered into its Blob in several 8 MiB steps): the Python ESDK decrypts the download', { skip: noPython }, async (t) => {
      await loadSample(page, 'ECC_NIST_P256_KEY_AGREEMENT');
      const plain = writeWork('big.bin', deterministicBytes(20 << 20, 'ef big'));
      const started = performance.now();
      const r = await encryptFile(page, plain);
      t.diagnostic(`20 MiB encrypted in the page's worker in ${Math.round(performance.now() - started)} ms`);
      assert.equal(r.outcome, 'encrypted-file', r.text);
      assert.equal(r.plaintextBytes, 20 << 20);
      const { file } = await download(page, 'big.bin.enc');
      assert.equal(fs.statSync(file).size, r.bytes);
      const dec = pythonDecrypts('ECC_NIST_P256_KEY_AGREEMENT', file, plain);
      assert.equal(dec.plaintext_length, 20 << 20);
      fs.rmSync(file);
      fs.rmSync(plain);
    });

    it('at 375 px (a phone), with a result shown: nothing scrolls sideways', async () => {
      const phone = await openPage(page.context(), server, problems, { width: 375, height: 740 });
      await loadSample(phone, 'RSA_2048_ENCRYPT_DECRYPT');
      const r = await encryptFile(phone, writeWork('phone.txt', Buffer.from('phone')), { context: 'purpose=phone' });
      assert.equal(r.outcome, 'encrypted-file', r.text);
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      assert.ok(scrollWidth <= clientWidth, `horizontal scrolling at 375 px: ${scrollWidth} > ${clientWidth}`);
      await phone.locator('#encrypt-file').screenshot({ path: shot('08-rsa-encrypted-phone-light.png') });
      await phone.close();
    });

    it('Cancel stops the worker and leaves no download; dropping the key stops it too', async () => {
      await loadSample(page, 'ECC_NIST_P256_KEY_AGREEMENT');
      const huge = hugeFile();
      try {
        await startEncrypting(page, huge);
        assert.equal(page.workers().length, 1);
        assert.match(await page.innerText('#ef-out .encrypting .progress'), /^Encrypting huge\.bin: [\d.]+ (MiB|KiB|bytes) of 1024\.0 MiB \(\d+ %\)$/);
        assert.equal(await page.isDisabled('#ef-go'), true, 'Encrypt file is busy meanwhile');
        await page.locator('#encrypt-file').screenshot({ path: shot('03-encrypting-progress-desktop-light.png') });
        // A language switch meanwhile: the next progress report is in the new language.
        await page.click('#lang-switch [data-lang="ja"]');
        await page.waitForFunction(() => /^huge\.bin を暗号化しています: /.test(document.querySelector('#ef-out .encrypting .progress').textContent));
        await page.click('#lang-switch [data-lang="en"]');
        await page.waitForFunction(() => /^Encrypting huge\.bin: /.test(document.querySelector('#ef-out .encrypting .progress').textContent));
        await page.click('#ef-cancel');
        const box = page.locator('#ef-out .result');
        await box.waitFor();
        assert.equal(await box.getAttribute('data-outcome'), 'cancelled');
        assert.match(await box.innerText(), /not encrypted to the end: there is no message to download/);
        assert.equal(await page.isEnabled('#ef-go'), true);
        assert.equal(await workersLeft(page), 0, 'Cancel did not stop the worker');
        await page.waitForTimeout(300);
        assert.equal(await page.locator('#ef-out .result').getAttribute('data-outcome'), 'cancelled', 'a result came after Cancel');
        assert.equal(await page.locator('#ef-download').count(), 0);
        // Another sample while encrypting: the worker stops, and no result of the old key appears.
        await startEncrypting(page, huge);
        await loadSample(page, 'RSA_2048_ENCRYPT_DECRYPT');
        assert.equal(await workersLeft(page), 0, 'changing the key did not stop the worker');
        await page.waitForTimeout(300);
        assert.equal(await page.locator('#ef-out').innerHTML(), '');
        assert.equal(await page.$eval('#ef-file', (i) => i.files.length), 0, 'the file choice stays with another key');
      } finally {
        fs.rmSync(huge, { force: true });
      }
    });

    it('keys that cannot: the library refusal with its KMS exception (signing key on "show every action", ML-KEM, SM2, RSA without its key ARN)', async () => {
      await loadSample(page, 'ECC_NIST_P256_SIGN_VERIFY');
      assert.equal(await page.locator('#encrypt-file').isVisible(), false, 'hidden for a signing key');
      await page.check('#show-all');
      let r = await refusal(page);
      assert.equal(r.exception, 'InvalidKeyUsageException', r.text);
      assert.match(r.text, /key usage is SIGN_VERIFY which is not valid for encrypting a message/);
      assert.equal(r.formHidden, true);
      await page.locator('#encrypt-file').scrollIntoViewIfNeeded();
      await page.locator('#encrypt-file').screenshot({ path: shot('04-signing-key-refused-desktop-light.png') });
      await page.uncheck('#show-all');
      await loadSample(page, 'ML_KEM_768_ENCAPSULATE_DECAPSULATE');
      assert.equal(await page.locator('#encrypt-file').isVisible(), true);
      r = await refusal(page);
      assert.equal(r.exception, 'UnsupportedOperationException', r.text);
      assert.match(r.text, /no AWS Encryption SDK keyring exists for a ML_KEM_768 ENCAPSULATE_DECAPSULATE key/);
      assert.equal(r.formHidden, true);
      await page.fill('#key-text', JSON.stringify(readFixture('SM2_ENCRYPT_DECRYPT').GetPublicKey));
      await page.click('#load-button');
      await page.locator('#card').waitFor();
      r = await refusal(page);
      assert.equal(r.exception, 'UnsupportedOperationException', r.text);
      assert.match(r.text, /SM2 ENCRYPT_DECRYPT/);
      // The RSA keyring writes the key ARN: a key without one is refused, saying what to give.
      const { KeyId, ...withoutKeyId } = readFixture('RSA_2048_ENCRYPT_DECRYPT').GetPublicKey;
      assert.ok(KeyId);
      await page.fill('#key-text', JSON.stringify(withoutKeyId));
      await page.click('#load-button');
      await page.locator('#card').waitFor();
      r = await refusal(page);
      assert.equal(r.exception, 'ValidationException', r.text);
      assert.match(r.text, /key ARN/);
      // A key that can: the refusal goes and the form is back.
      await loadSample(page, 'RSA_2048_ENCRYPT_DECRYPT');
      assert.equal(await page.locator('#ef-refusal').innerHTML(), '');
      assert.equal(await page.locator('#ef-form').isVisible(), true);
    });

    it('input problems: no file, a context line that is not key=value, a key given twice; an aws-crypto- key is the library\'s ValidationException', async () => {
      await loadSample(page, 'RSA_2048_ENCRYPT_DECRYPT');
      await page.click('#ef-go');
      let box = page.locator('#ef-out .result');
      await box.waitFor();
      assert.equal(await box.getAttribute('data-outcome'), 'input-error');
      assert.match(await box.innerText(), /choose or drop a file to encrypt/);
      const plain = writeWork('small.txt', Buffer.from('small'));
      let r = await encryptFile(page, plain, { context: 'purpose=ok\njust a value' });
      assert.equal(r.outcome, 'input-error', r.text);
      assert.match(r.text, /line 2 of the encryption context is not key=value/);
      r = await encryptFile(page, plain, { context: '=value' });
      assert.match(r.text, /line 1 of the encryption context is not key=value/);
      r = await encryptFile(page, plain, { context: 'a=1\na=2' });
      assert.match(r.text, /names the key "a" twice/);
      r = await encryptFile(page, plain, { context: 'aws-crypto-public-key=x' });
      assert.equal(r.exception, 'ValidationException', r.text);
      assert.match(r.text, /aws-crypto-/);
      assert.equal(page.workers().length, 0, 'a refused request started a worker');
    });

    it('no console error, page error or failed request', () => {
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(problems.console, []);
      assert.deepEqual(problems.failed, []);
    });
  });

  describe('in Japanese (locale ja-JP)', () => {
    let page;
    const assertNoEnglish = async (alsoAllowed = []) => assert.deepEqual(await page.evaluate(englishLeftInPage, alsoAllowed), []);
    before(async () => {
      const context = await browser.newContext({ locale: 'ja-JP', acceptDownloads: true });
      page = await openPage(context, server, problems);
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    });

    it('RSA: progress, result, download and the decrypt instructions in Japanese; the Python ESDK decrypts it', { skip: noPython }, async () => {
      const fx = readFixture('RSA_2048_ENCRYPT_DECRYPT');
      await loadSample(page, 'RSA_2048_ENCRYPT_DECRYPT');
      assert.match(await page.innerText('#ef-h'), /任意のサイズのファイルを暗号化する/);
      assert.match(await page.innerText('label[for="ef-context"]'), /暗号化コンテキスト/);
      await assertNoEnglish();
      const plain = writeWork('ja-frames.bin', deterministicBytes(2 * FRAME + 7, 'ef ja'));
      await recordProgress(page);
      const r = await encryptFile(page, plain, { context: '用途=テスト' });
      assert.equal(r.outcome, 'encrypted-file', r.text);
      assert.match(r.text, /^✔ 暗号化しました: 8\.\d KiB の AWS Encryption SDK メッセージ/);
      assert.match(r.text, /復号に使うキーリング\s+AWS KMS RSA キーリング/);
      assert.equal(await page.evaluate(() => window.efProgress.at(-1)), 'ja-frames.bin を暗号化しています: 8.0 KiB 中 8.0 KiB (100 %)');
      assert.match(await page.innerText('#ef-download'), /ja-frames\.bin\.enc をダウンロード/);
      assert.match(await page.locator('#ef-out p:has(+ #ef-cmd)').innerText(), new RegExp(`AWS KMS RSA キーリングを使います: キー ${fx.GetPublicKey.KeyId}、EncryptionAlgorithm RSAES_OAEP_SHA_256`));
      await assertNoEnglish();
      await page.locator('#encrypt-file').screenshot({ path: shot('05-rsa-encrypted-desktop-light-ja.png') });
      const { file } = await download(page, 'ja-frames.bin.enc');
      const dec = pythonDecrypts('RSA_2048_ENCRYPT_DECRYPT', file, plain, { context: { 用途: 'テスト' } });
      assert.deepEqual(dec.encryption_context, { 用途: 'テスト' });
    });

    it('ECDH P-384, an empty file, in Japanese; the Python ESDK decrypts it', { skip: noPython }, async () => {
      await page.fill('#key-text', JSON.stringify(readFixture('ECC_NIST_P384_KEY_AGREEMENT').GetPublicKey));
      await page.click('#load-button');
      await page.locator('#card').waitFor();
      const empty = writeWork('ja-empty.bin', Buffer.alloc(0));
      const r = await encryptFile(page, empty);
      assert.equal(r.outcome, 'encrypted-file', r.text);
      assert.match(r.text, /AWS KMS ECDH キーリング \(KmsPublicKeyDiscovery\)/);
      assert.match(r.text, /暗号化コンテキスト\s+\(なし\)/);
      assert.match(await page.locator('#ef-out p:has(+ #ef-cmd)').innerText(), /KmsPublicKeyDiscovery、RecipientKmsIdentifier \S+、曲線 ECC_NIST_P384/);
      await assertNoEnglish();
      const { file } = await download(page, 'ja-empty.bin.enc');
      assert.equal(pythonDecrypts('ECC_NIST_P384_KEY_AGREEMENT', file, empty).plaintext_length, 0);
    });

    it('Cancel and the input problems in Japanese', async () => {
      await loadSample(page, 'ECC_NIST_P256_KEY_AGREEMENT');
      const huge = hugeFile();
      try {
        await startEncrypting(page, huge);
        assert.match(await page.innerText('#ef-out .encrypting .progress'), /^huge\.bin を暗号化しています: .+ \(\d+ %\)$/);
        assert.equal(await page.getAttribute('#ef-out progress', 'aria-label'), '暗号化の進捗');
        assert.equal(await page.innerText('#ef-cancel'), 'キャンセル');
        await assertNoEnglish();
        await page.locator('#encrypt-file').screenshot({ path: shot('06-encrypting-progress-desktop-light-ja.png') });
        await page.click('#ef-cancel');
        const box = page.locator('#ef-out .result');
        await box.waitFor();
        assert.equal(await box.getAttribute('data-outcome'), 'cancelled');
        assert.match(await box.innerText(), /ファイルは最後まで暗号化されず、ダウンロードできるメッセージはありません/);
        assert.equal(await workersLeft(page), 0);
        await assertNoEnglish();
      } finally {
        fs.rmSync(huge, { force: true });
      }
      const plain = writeWork('ja-small.txt', Buffer.from('小さい'));
      let r = await encryptFile(page, plain, { context: '値だけの行' });
      assert.equal(r.outcome, 'input-error', r.text);
      assert.match(r.text, /暗号化コンテキストの 1 行目が キー=値 の形/);
      await assertNoEnglish();
      r = await encryptFile(page, plain, { context: 'aws-crypto-x=1' });
      assert.equal(r.exception, 'ValidationException', r.text);
      assert.match(r.text, /^拒否: ValidationException/);
      assert.match(r.text, /aws-crypto- で始まります/);
      await assertNoEnglish(['aws-crypto', 'aws-crypto-x']); // the ESDK's reserved prefix and the key typed, as the library's sentence quotes them
    });

    it('keys that cannot, in Japanese: the refusal, its Japanese explanation and the English original', async () => {
      await loadSample(page, 'ML_KEM_768_ENCAPSULATE_DECAPSULATE');
      let r = await refusal(page);
      assert.equal(r.exception, 'UnsupportedOperationException', r.text);
      assert.match(r.text, /^拒否: UnsupportedOperationException/);
      assert.match(r.text, /使える AWS Encryption SDK のキーリングはありません/);
      assert.match(await page.locator('#ef-refusal [lang="en"]').innerText(), /no AWS Encryption SDK keyring exists/);
      await assertNoEnglish();
      await loadSample(page, 'RSA_2048_SIGN_VERIFY');
      await page.check('#show-all');
      r = await refusal(page);
      assert.equal(r.exception, 'InvalidKeyUsageException', r.text);
      assert.match(r.text, /キーの用途は SIGN_VERIFY で、encryptMessage には使えません/);
      await page.locator('#encrypt-file').scrollIntoViewIfNeeded();
      await page.locator('#encrypt-file').screenshot({ path: shot('07-signing-key-refused-desktop-light-ja.png') });
      // pkg/messages' wrong-key-usage sentence names the method (encryptMessage) as the library spells it.
      await assertNoEnglish(['encryptMessage']);
      await page.uncheck('#show-all');
    });

    it('the language switch redraws the panel and its result in English', async () => {
      await loadSample(page, 'ECC_NIST_P256_KEY_AGREEMENT');
      const r = await encryptFile(page, writeWork('switch.txt', Buffer.from('switch')));
      assert.equal(r.outcome, 'encrypted-file', r.text);
      await page.click('#lang-switch [data-lang="en"]');
      assert.match(await page.innerText('#ef-h'), /Encrypt a file of any size/);
      assert.match(await page.innerText('#ef-out .result'), /^✔ Encrypted: an AWS Encryption SDK message of/);
      assert.match(await page.innerText('#ef-download'), /^Download switch\.txt\.enc$/);
      await page.click('#lang-switch [data-lang="ja"]');
      assert.match(await page.innerText('#ef-out .result'), /暗号化しました/);
    });

    it('no console error, page error or failed request', () => {
      assert.deepEqual(problems.pageErrors, []);
      assert.deepEqual(problems.console, []);
      assert.deepEqual(problems.failed, []);
    });
  });
});
