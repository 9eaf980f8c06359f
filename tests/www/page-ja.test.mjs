// The www/ page in Japanese: Debian's Chromium with locale ja-JP (navigator.languages ['ja-JP']), driven by
// playwright-core like tests/www/page.test.mjs. The same flows, with the Japanese sentences asserted, and after each
// one a scan of every visible text node, option, title and aria-label: no English sentence may be left except KMS's
// own names, numbers, identifiers, file names, code, and the library's English originals (marked lang="en").
// Then the English / 日本語 switch: redraws without reload, sets <html lang>, is remembered across a reload.
// Screenshots: test-output/www-ja/*.png (desktop light and dark, phone light and dark).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { chromium } from 'playwright-core';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { REPO_ROOT, CHROMIUM, CHROMIUM_FLAGS, outputDir, installPackedPackage, readFixture } from '../browser/harness.mjs';
import { startServer } from '../../www/tools/serve.mjs';
import { SAMPLES, openPage, loadSample as loadSampleOn, runForm, englishLeftInPage } from './page-driver.mjs';

const OUT = outputDir('www-ja');
const shot = (name) => path.join(OUT, name);

describe('www page in Japanese (Chromium, locale ja-JP)', () => {
  let server;
  let browser;
  let context;
  let page;
  const problems = { console: [], pageErrors: [], failed: [] };

  const newPage = (options) => openPage(context, server, problems, options);
  const loadSample = (name) => loadSampleOn(page, name);
  const run = (button, outId) => runForm(page, button, outId);

  async function assertNoEnglish(p = page, alsoAllowed = []) {
    assert.deepEqual(await p.evaluate(englishLeftInPage, alsoAllowed), []);
  }
  // With "show every action", a signing key's Encrypt a file panel shows the library's refusal, whose Japanese
  // sentence (pkg/messages wrong-key-usage) names the method, as the library spells it.
  const ENCRYPT_MESSAGE_REFUSAL_WORDS = ['encryptMessage'];

  before(async () => {
    const pkg = installPackedPackage(path.join(OUT, 'work'));
    server = await startServer({ port: 0, pkgDir: pkg.dir });
    for (const f of fs.readdirSync(OUT)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT, f));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    context = await browser.newContext({ locale: 'ja-JP' });
    page = await newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a ja-JP browser gets the page in Japanese: <html lang="ja">, 日本語 pressed, no English sentence', async () => {
    assert.deepEqual(await page.evaluate(() => navigator.languages), ['ja-JP']);
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.equal(await page.getAttribute('#lang-switch [data-lang="ja"]', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('#lang-switch [data-lang="en"]', 'aria-pressed'), 'false');
    assert.match(await page.title(), /AWS KMS のパブリックキーをオフラインで使う/);
    assert.match(await page.innerText('.lede'), /KMS と同じ例外名/);
    assert.match(await page.innerText('#boot'), /準備ができました/);
    assert.match(await page.innerText('#load-h'), /キーを読み込む/);
    await assertNoEnglish();
    await page.screenshot({ path: shot('01-start-desktop-light-ja.png'), fullPage: true });
  });

  it('the samples and the key card are in Japanese; KMS names stay as KMS spells them', async () => {
    const labels = await page.$$eval('[data-sample]', (bs) => bs.map((b) => b.innerText));
    for (const l of labels) assert.match(l, /^サンプル/);
    for (const s of SAMPLES) {
      await loadSample(s.name);
      const fx = readFixture(s.name);
      const card = await page.$$eval('#card-fields [data-field]', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.field, d.innerText])));
      assert.equal(card.KeySpec, fx.GetPublicKey.KeySpec);
      assert.equal(card.KeyUsage, fx.GetPublicKey.KeyUsage);
      const terms = await page.$$eval('#card-fields dt', (dts) => dts.map((d) => d.innerText));
      for (const t of ['キー仕様', 'キーの用途', 'キー ID', 'リージョン', 'SPKI フィンガープリント', '読み込み元']) assert.ok(terms.includes(t), `${t} in ${terms}`);
      const algMember = Object.keys(fx.GetPublicKey).find((k) => k.endsWith('Algorithms'));
      const memberTerm = { SigningAlgorithms: '署名アルゴリズム', EncryptionAlgorithms: '暗号化アルゴリズム', KeyAgreementAlgorithms: 'キー共有アルゴリズム', EncapsulationAlgorithms: 'カプセル化アルゴリズム' }[algMember];
      assert.ok(terms.includes(memberTerm), `${memberTerm} in ${terms}`);
      assert.match(await page.innerText('#card-sample'), /サンプルのテスト用キーです。実際の KMS キーではありません/);
      const caveats = await page.innerText('#card-caveats');
      for (const c of [/キーポリシーも IAM も効かない/, /用途とアルゴリズムが強制されない/, /無効化も削除も届かない/, /CloudTrail に記録されない/]) assert.match(caveats, c);
      assert.match(caveats, new RegExp(`キーの用途 ${fx.GetPublicKey.KeyUsage}`));
      if (fx.GetPublicKey.KeySpec === 'SM2') assert.match(caveats, /識別 ID.*1234567812345678/);
      await assertNoEnglish();
    }
    await loadSample('SM2_SIGN_VERIFY');
    await page.screenshot({ path: shot('02-key-card-desktop-light-ja.png'), fullPage: true });
  });

  it('verify: valid, tampered (KMSInvalidSignatureException) and hashed here, in Japanese', async () => {
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    const ok = await run('v-go', 'v-out');
    assert.equal(ok.outcome, 'valid', ok.text);
    assert.match(ok.text, /有効な署名です/);
    assert.match(ok.text, /KMS Verify は SignatureValid: true を返します。/);
    await assertNoEnglish();
    await page.click('#v-fill-tampered');
    const bad = await run('v-go', 'v-out');
    assert.equal(bad.exception, 'KMSInvalidSignatureException');
    assert.match(bad.text, /無効な署名です/);
    assert.match(bad.text, /KMS Verify の応答: KMSInvalidSignatureException/);
    await assertNoEnglish();
    await page.screenshot({ path: shot('03-tampered-desktop-light-ja.png'), fullPage: true });
    await page.click('#v-fill-valid');
    await page.check('input[name="v-type"][value="DIGEST"]');
    const hashed = await run('v-go', 'v-out');
    assert.equal(hashed.outcome, 'valid', hashed.text);
    assert.match(hashed.text, /このページでハッシュ/);
    assert.match(hashed.text, /ダイジェスト/);
    await assertNoEnglish();
    await page.check('input[name="v-type"][value="RAW"]');
  });

  it('a message file is hashed in the worker for DIGEST, in Japanese', async () => {
    const fx = readFixture('ECC_NIST_P256_SIGN_VERIFY');
    const data = crypto.createHash('sha512').update('ja file').digest().toString('hex').repeat(4096);
    const file = path.join(OUT, 'work', 'message.bin');
    fs.writeFileSync(file, data);
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.check('input[name="v-type"][value="DIGEST"]');
    await page.check('input[name="v-src"][value="file"]');
    assert.match(await page.innerText('label[for="v-file"]'), /メッセージファイル/);
    await page.setInputFiles('#v-file', file);
    await page.fill('#v-sig', crypto.sign('sha256', Buffer.from(data), fx.PrivateKeyPem).toString('base64'));
    const ok = await run('v-go', 'v-out');
    assert.equal(ok.outcome, 'valid', ok.text);
    assert.match(ok.text, /KiB、このページでハッシュ/);
    await assertNoEnglish();
    await page.check('input[name="v-src"][value="text"]');
    await page.check('input[name="v-type"][value="RAW"]');
  });

  it('refusals: the KMS exception name, the Japanese explanation and the English original (原文)', async () => {
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.check('#show-all');
    assert.match(await page.$eval('#v-alg optgroup', (g) => g.label), /このキーでは使用不可/);
    await page.selectOption('#v-alg', 'ECDSA_SHA_384');
    let r = await run('v-go', 'v-out');
    assert.equal(r.exception, 'InvalidKeyUsageException', r.text);
    assert.match(r.text, /^拒否: InvalidKeyUsageException/);
    assert.match(r.text, /KMS もこのリクエストを同じ例外で拒否します。/);
    assert.match(r.text, /原文/);
    const original = await page.locator('#v-out [lang="en"]').first().innerText();
    assert.match(original, /ECDSA_SHA_384/);
    await assertNoEnglish(page, ENCRYPT_MESSAGE_REFUSAL_WORDS);
    await page.screenshot({ path: shot('04-refused-desktop-light-ja.png'), fullPage: true });
    // Encrypting with a signing key.
    await page.selectOption('#e-alg', 'RSAES_OAEP_SHA_256');
    r = await run('e-go', 'e-out');
    assert.equal(r.exception, 'InvalidKeyUsageException', r.text);
    assert.match(r.text, /SIGN_VERIFY/);
    await assertNoEnglish(page, ENCRYPT_MESSAGE_REFUSAL_WORDS);
    await page.uncheck('#show-all');
    // Not base64, and a hex signature: input errors, not KMS refusals.
    await page.fill('#v-sig', 'not base64!!');
    r = await run('v-go', 'v-out');
    assert.equal(r.outcome, 'input-error', r.text);
    assert.match(r.text, /入力を確認してください/);
    assert.match(r.text, /これは KMS による拒否ではなく、入力の問題です/);
    assert.doesNotMatch(r.text, /KMS もこのリクエストを/);
    await assertNoEnglish();
    // The page's own input checks (not the library's): Japanese only.
    await page.fill('#v-sig', '');
    r = await run('v-go', 'v-out');
    assert.equal(r.outcome, 'input-error', r.text);
    assert.equal(r.text.trim(), '入力を確認してください\n\n署名 (base64) を入力するか、署名ファイルを選択してください');
    await page.check('input[name="v-src"][value="hex"]');
    assert.equal(await page.innerText('label[for="v-msg"]'), 'メッセージ (16 進数)');
    await page.fill('#v-msg', 'xyz');
    await page.click('#v-fill-valid');
    await page.fill('#v-msg', 'xyz');
    r = await run('v-go', 'v-out');
    assert.match(r.text, /メッセージが有効な 16 進数ではありません/);
    await assertNoEnglish();
    await page.check('input[name="v-src"][value="text"]');
    await page.screenshot({ path: shot('05-input-errors-desktop-light-ja.png'), fullPage: true });
  });

  it('encrypt: Japanese result, the fixture private key decrypts it, the aws kms decrypt command is shown', async () => {
    const fx = readFixture('RSA_2048_ENCRYPT_DECRYPT');
    await loadSample('RSA_2048_ENCRYPT_DECRYPT');
    await page.fill('#e-msg', 'こんにちは KMS');
    const r = await run('e-go', 'e-out');
    assert.equal(r.outcome, 'encrypted', r.text);
    assert.match(r.text, /暗号化しました: 256 バイトの CiphertextBlob/);
    const ct = Buffer.from(await page.inputValue('#e-ct'), 'base64');
    const pt = crypto.privateDecrypt({ key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, ct);
    assert.equal(pt.toString(), 'こんにちは KMS');
    assert.match(await page.innerText('#e-cmd'), /aws kms decrypt --key-id \S+ --encryption-algorithm RSAES_OAEP_SHA_256/);
    assert.match(await page.innerText('#e-out'), /ciphertext\.bin をダウンロード/);
    await assertNoEnglish();
    await page.screenshot({ path: shot('06-encrypted-desktop-light-ja.png'), fullPage: true });
  });

  it('a PEM key: the detected KeySpec, the metadata form and its refusals in Japanese; text that is no key says so', async () => {
    const fx = readFixture('ECC_NIST_P256_SIGN_VERIFY');
    await page.click('#clear-button');
    await page.fill('#key-text', fx.PublicKeyPem);
    const hint = page.locator('#key-detected [data-detected="ECC_NIST_P256"]');
    await hint.waitFor();
    assert.match(await hint.innerText(), /キー仕様 ECC_NIST_P256 と判定しました。KMS では キーの用途 SIGN_VERIFY \(ECDSA_SHA_256\) または キーの用途 KEY_AGREEMENT \(ECDH\) で使用できます。/);
    assert.equal(await page.inputValue('#meta-spec'), '');
    assert.match(await page.innerText('#meta-spec option[value=""]'), /キー仕様を選択/);
    assert.match(await page.innerText('#meta-usage'), /先にキー仕様を選択してください/);
    await assertNoEnglish();
    await page.click('#load-button');
    const err = page.locator('#load-error .result');
    assert.equal(await err.getAttribute('data-exception'), 'ValidationException');
    assert.match(await err.innerText(), /^入力を確認してください: ValidationException/);
    assert.match(await page.locator('#load-error [lang="en"]').innerText(), /KeySpec/);
    await assertNoEnglish();
    await page.screenshot({ path: shot('07-pem-metadata-error-desktop-light-ja.png'), fullPage: true });
    await hint.locator('button').click();
    assert.equal(await page.inputValue('#meta-spec'), 'ECC_NIST_P256');
    await page.selectOption('#meta-usage', 'SIGN_VERIFY');
    assert.match(await page.innerText('#meta-algs-legend'), /SigningAlgorithms: キーに登録されているアルゴリズム/);
    await page.click('#load-button');
    await page.locator('#card').waitFor();
    assert.match(await page.innerText('#card-fields'), /PEM \+ メタデータのフォーム/);
    await assertNoEnglish();
    // Text that is no public key.
    await page.fill('#key-text', 'hello');
    const notKey = page.locator('#key-detected [data-detected="not-a-key"]');
    await notKey.waitFor();
    assert.match(await notKey.innerText(), /この入力はパブリックキーではありません/);
    await assertNoEnglish();
  });

  it('derive and the KDF, and encapsulate, in Japanese (and still right)', async () => {
    const fx = readFixture('ECC_NIST_P256_KEY_AGREEMENT');
    await loadSample('ECC_NIST_P256_KEY_AGREEMENT');
    let r = await run('d-go', 'd-out');
    assert.equal(r.outcome, 'derived', r.text);
    assert.match(r.text, /新しい一時キーで共有シークレットを計算しました/);
    const pub = Buffer.from(await page.inputValue('#d-pub'), 'base64');
    const z = crypto.diffieHellman({ privateKey: crypto.createPrivateKey(fx.PrivateKeyPem), publicKey: crypto.createPublicKey({ key: pub, format: 'der', type: 'spki' }) });
    r = await run('k-go', 'k-out');
    assert.equal(r.outcome, 'input-error');
    assert.match(r.text, /KDF を選択してください/);
    assert.match(await page.innerText('#k-kdf option[value="one-step"]'), /ワンステップ KDF/);
    await page.selectOption('#k-kdf', 'hkdf');
    await page.fill('#k-info', 'test protocol v1');
    r = await run('k-go', 'k-out');
    assert.match(r.text, /導出したキー: HKDF-SHA-256、32 バイト/);
    assert.match(r.text, new RegExp(Buffer.from(crypto.hkdfSync('sha256', z, Buffer.alloc(0), Buffer.from('test protocol v1'), 32)).toString('hex')));
    await assertNoEnglish();
    await page.screenshot({ path: shot('08-derived-desktop-light-ja.png'), fullPage: true });
    const kem = readFixture('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    await loadSample('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    r = await run('m-go', 'm-out');
    assert.match(r.text, /カプセル化しました: 暗号文 1088 バイト、共有シークレット 32 バイト/);
    const { secretKey } = ml_kem768.keygen(Buffer.from(kem.PrivateKeySeed, 'base64'));
    const ct = Buffer.from(await page.inputValue('#m-ct'), 'base64');
    assert.equal(await page.innerText('#m-secret'), Buffer.from(ml_kem768.decapsulate(ct, secretKey)).toString('hex'));
    await assertNoEnglish();
  });

  it('the footer: the version, and the AWS documentation in its Japanese edition', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'pkg', 'package.json'), 'utf8'));
    assert.equal(await page.innerText('#version'), `kms-offline ${version}`);
    const links = await page.$$eval('footer a', (as) => as.map((a) => [a.href, a.innerText]));
    assert.ok(links.some(([href, text]) => href === 'https://docs.aws.amazon.com/ja_jp/kms/latest/developerguide/download-public-key.html' && text === 'AWS: パブリックキーのダウンロード'), JSON.stringify(links));
  });

  it('the English / 日本語 switch redraws the page and its results without reload, sets <html lang>, and is remembered', async () => {
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.click('#v-fill-tampered');
    await run('v-go', 'v-out');
    await page.evaluate(() => (window.notReloaded = true));
    await page.click('#lang-switch [data-lang="en"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the switch reloaded the page');
    assert.equal(await page.getAttribute('#lang-switch [data-lang="en"]', 'aria-pressed'), 'true');
    assert.match(await page.innerText('#v-out'), /Invalid signature/);
    assert.match(await page.innerText('#card-caveats'), /No key policy or IAM/);
    assert.match(await page.innerText('#boot'), /^Ready\./);
    assert.match(await page.innerText('[data-sample="ECC_NIST_P256_SIGN_VERIFY"]'), /^SAMPLE\s+ECDSA P-256 signing key/);
    assert.equal(await page.evaluate(() => localStorage.getItem('kms-offline.lang')), 'en');
    // Remembered: a reload in this ja-JP browser stays English.
    await page.reload();
    await page.waitForSelector('#boot[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.innerText('#load-h'), /Load a key/);
    await page.click('#lang-switch [data-lang="ja"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    assert.match(await page.innerText('#load-h'), /キーを読み込む/);
    await page.reload();
    await page.waitForSelector('#boot[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'ja');
    await assertNoEnglish();
  });

  it('dark mode and a 375 px phone in Japanese: no horizontal scrolling (screenshots)', async () => {
    const dark = await newPage({ colorScheme: 'dark' });
    await dark.click('[data-sample="ECC_NIST_P256_SIGN_VERIFY"]');
    await dark.waitForFunction(() => !document.getElementById('card').hidden);
    await dark.click('#v-go');
    await dark.locator('#v-out .result').waitFor();
    await dark.screenshot({ path: shot('10-verified-desktop-dark-ja.png'), fullPage: true });
    await dark.close();
    for (const scheme of ['light', 'dark']) {
      const phone = await newPage({ width: 375, height: 740, colorScheme: scheme });
      await phone.screenshot({ path: shot(`11-start-phone-${scheme}-ja.png`) });
      await phone.click('[data-sample="SM2_SIGN_VERIFY"]');
      await phone.waitForFunction(() => !document.getElementById('card').hidden);
      await phone.evaluate(() => document.getElementById('card').scrollIntoView());
      await phone.screenshot({ path: shot(`12-key-card-phone-${scheme}-ja.png`) });
      await phone.click('#v-fill-tampered');
      await phone.click('#v-go');
      await phone.locator('#v-out .result').waitFor();
      await phone.locator('#v-out').scrollIntoViewIfNeeded();
      await phone.screenshot({ path: shot(`13-tampered-phone-${scheme}-ja.png`) });
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      assert.ok(scrollWidth <= clientWidth, `horizontal scrolling at 375 px: ${scrollWidth} > ${clientWidth}`);
      await assertNoEnglish(phone);
      await phone.close();
    }
  });

  it('no console error, page error or failed request in the whole session', () => {
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.failed, []);
  });
});
