// The www/ page in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright-core.
// The page is served by www/tools/serve.mjs (what `bash scripts/serve.sh` runs) with the package exactly as
// `npm pack` ships it; every request must succeed and stay on 127.0.0.1. A person's path through the page is
// replayed with clicks and keys: load a sample, verify a valid and a tampered signature, stream a file for
// DIGEST, encrypt (and decrypt with the fixture's private key), derive (checked with node:crypto), encapsulate
// (checked with noble's ML-KEM), and break rules to see the KMS exception names.
// Screenshots: test-output/www/*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { REPO_ROOT, outputDir, installPackedPackage, launchChromium, readFixture } from '../browser/harness.mjs';
import { startServer } from '../../www/tools/serve.mjs';
import { SAMPLES, openPage, loadSample as loadSampleOn, runForm } from './page-driver.mjs';

const OUT = outputDir('www');
const SIGNING_SAMPLES = SAMPLES.filter((s) => s.signature);
const shot = (name) => path.join(OUT, name);

/** Deterministic bytes (AES-128-CTR keystream of a fixed key): big test files without randomness. */
function deterministicBytes(size, label) {
  const key = crypto.createHash('sha256').update(label).digest().subarray(0, 16);
  const cipher = crypto.createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

describe('www page in headless Chromium', () => {
  let server;
  let browser;
  let page;
  const problems = { console: [], pageErrors: [], failed: [], offOrigin: [] };

  const newPage = (options) => openPage(browser.context, server, problems, options);
  const loadSample = (name) => loadSampleOn(page, name);
  const run = (button, outId) => runForm(page, button, outId);

  before(async () => {
    const pkg = installPackedPackage(path.join(OUT, 'work'));
    server = await startServer({ port: 0, pkgDir: pkg.dir });
    for (const f of fs.readdirSync(OUT)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT, f));
    browser = await launchChromium();
    page = await newPage();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads from 127.0.0.1 only, every request succeeds, the .wasm is application/wasm', async () => {
    await page.screenshot({ path: shot('01-start-desktop-light.png'), fullPage: true });
    const paths = server.requests.map((r) => r.path);
    for (const p of ['/www/', '/www/app.js', '/www/style.css', '/pkg/dist/web.js', '/pkg/dist/kms_offline_bg.wasm', '/www/samples/index.json']) {
      assert.ok(paths.includes(p), `${p} not requested: ${paths.join(', ')}`);
    }
    assert.deepEqual(server.requests.filter((r) => r.status >= 400), []);
    assert.deepEqual(problems.failed, []);
    assert.deepEqual(problems.offOrigin, []);
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
    const res = await fetch(`${server.origin}/pkg/dist/kms_offline_bg.wasm`);
    assert.equal(res.headers.get('content-type'), 'application/wasm');
    assert.match(res.headers.get('content-security-policy'), /connect-src 'self'/);
    await res.arrayBuffer();
  });

  it('the sample buttons are marked SAMPLE, and each sample key shows its key card', async () => {
    const labels = await page.$$eval('[data-sample]', (bs) => bs.map((b) => b.innerText));
    assert.equal(labels.length, SAMPLES.length);
    for (const l of labels) assert.match(l, /^SAMPLE\b/);
    for (const s of SAMPLES) {
      await loadSample(s.name);
      const fx = readFixture(s.name);
      const card = await page.$$eval('#card-fields [data-field]', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.field, d.innerText])));
      assert.equal(card.KeySpec, fx.GetPublicKey.KeySpec);
      assert.equal(card.KeyUsage, fx.GetPublicKey.KeyUsage);
      assert.equal(card.KeyId, fx.GetPublicKey.KeyId);
      const [, partition, , region, account, resource] = fx.GetPublicKey.KeyId.split(':');
      assert.equal(card.Partition, partition);
      assert.equal(card.Region, region);
      assert.equal(card.Account, account);
      assert.equal(card.ResourceId, resource.replace(/^key\//, ''));
      const spki = Buffer.from(fx.GetPublicKey.PublicKey, 'base64');
      assert.match(card.Fingerprint, new RegExp(`^${crypto.createHash('sha256').update(spki).digest('hex')}`));
      const algMember = Object.keys(fx.GetPublicKey).find((k) => k.endsWith('Algorithms'));
      const chips = await page.$$eval(`#card-fields [data-field="${algMember}"] .alg`, (xs) => xs.map((x) => x.textContent));
      assert.deepEqual(chips, fx.GetPublicKey[algMember]);
      const banner = await page.locator('#card-sample').innerText();
      assert.match(banner, /SAMPLE test key, not a real KMS key/);
      const caveats = await page.locator('#card-caveats').innerText();
      for (const c of [/No key policy or IAM/, /No usage or algorithm enforcement beyond this tool/, /No disable or delete/, /No CloudTrail/]) assert.match(caveats, c);
      if (fx.GetPublicKey.KeySpec === 'SM2') assert.match(caveats, /distinguishing ID.*1234567812345678/);
      else assert.doesNotMatch(caveats, /distinguishing ID/);
      // Only the action the key's usage allows is offered.
      const visible = await page.$$eval('#actions > section.action', (ss) => ss.filter((x) => !x.hidden).map((x) => x.id));
      const want = { SIGN_VERIFY: 'verify', ENCRYPT_DECRYPT: 'encrypt', KEY_AGREEMENT: 'derive', ENCAPSULATE_DECAPSULATE: 'encapsulate' }[fx.GetPublicKey.KeyUsage];
      assert.deepEqual(visible, [want]);
    }
  });

  it('each signing sample verifies, and its tampered signature is reported invalid', async () => {
    for (const s of SIGNING_SAMPLES) {
      await loadSample(s.name);
      // The algorithm menu offers only the key's algorithms.
      const offered = await page.$$eval('#v-alg option', (os) => os.map((o) => o.value));
      assert.deepEqual(offered, readFixture(s.name).GetPublicKey.SigningAlgorithms);
      assert.equal(await page.inputValue('#v-alg'), s.signature.SigningAlgorithm);
      const ok = await run('v-go', 'v-out');
      assert.equal(ok.outcome, 'valid', `${s.name}: ${ok.text}`);
      assert.match(ok.text, /Valid signature/);
      if (s.name === 'ECC_NIST_P256_SIGN_VERIFY') await page.screenshot({ path: shot('02-verified-desktop-light.png'), fullPage: true });
      await page.click('#v-fill-tampered');
      const bad = await run('v-go', 'v-out');
      assert.equal(bad.outcome, 'invalid', `${s.name}: ${bad.text}`);
      assert.equal(bad.exception, 'KMSInvalidSignatureException');
      assert.match(bad.text, /Invalid signature/);
      // The same valid signature with the message hashed here (KMS: a message and its digest are the same
      // message): SHA-2 for RSA/ECDSA, e = SM3(Z_A ‖ M) for SM2, μ for ML-DSA; pure Ed25519 has no digest form.
      await page.click('#v-fill-valid');
      const type = s.signature.SigningAlgorithm === 'ML_DSA_SHAKE_256' ? 'EXTERNAL_MU' : 'DIGEST';
      await page.check(`input[name="v-type"][value="${type}"]`);
      const hashed = await run('v-go', 'v-out');
      if (s.signature.SigningAlgorithm === 'ED25519_SHA_512') {
        assert.equal(hashed.exception, 'ValidationException', hashed.text);
      } else {
        assert.equal(hashed.outcome, 'valid', `${s.name} ${type}: ${hashed.text}`);
        assert.match(hashed.text, /hashed here/);
      }
      await page.check('input[name="v-type"][value="RAW"]');
    }
    await page.screenshot({ path: shot('03-tampered-desktop-light.png'), fullPage: true });
  });

  it('a message file is hashed in a stream for DIGEST (8 MiB, signed by node:crypto), with a raw signature file', async () => {
    const fx = readFixture('ECC_NIST_P256_SIGN_VERIFY');
    const data = deterministicBytes(8 << 20, 'www digest file');
    const file = path.join(OUT, 'work', 'message.bin');
    fs.writeFileSync(file, data);
    const sigFile = path.join(OUT, 'work', 'message.sig');
    fs.writeFileSync(sigFile, crypto.sign('sha256', data, fx.PrivateKeyPem)); // DER ECDSA, as KMS returns it
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.check('input[name="v-type"][value="DIGEST"]');
    await page.check('input[name="v-src"][value="file"]');
    await page.setInputFiles('#v-file', file);
    await page.setInputFiles('#v-sig-file', sigFile);
    await page.waitForFunction((b64) => document.getElementById('v-sig').value === b64, fs.readFileSync(sigFile).toString('base64'));
    const ok = await run('v-go', 'v-out');
    assert.equal(ok.outcome, 'valid', ok.text);
    assert.match(ok.text, new RegExp(crypto.createHash('sha256').update(data).digest('hex')));
    // One byte changed in the file: invalid.
    data[data.length - 1] ^= 1;
    fs.writeFileSync(file, data);
    await page.setInputFiles('#v-file', file);
    const bad = await run('v-go', 'v-out');
    assert.equal(bad.outcome, 'invalid', bad.text);
  });

  it('encrypts: the ciphertext has the modulus length and the fixture private key decrypts it; the aws kms decrypt command is shown', async () => {
    const fx = readFixture('RSA_2048_ENCRYPT_DECRYPT');
    await loadSample('RSA_2048_ENCRYPT_DECRYPT');
    const offered = await page.$$eval('#e-alg option', (os) => os.map((o) => o.value));
    assert.deepEqual(offered, fx.GetPublicKey.EncryptionAlgorithms);
    for (const [alg, oaepHash] of [['RSAES_OAEP_SHA_256', 'sha256'], ['RSAES_OAEP_SHA_1', 'sha1']]) {
      await page.selectOption('#e-alg', alg);
      await page.fill('#e-msg', `hello KMS via ${alg}`);
      const r = await run('e-go', 'e-out');
      assert.equal(r.outcome, 'encrypted', r.text);
      const ct = Buffer.from(await page.inputValue('#e-ct'), 'base64');
      assert.equal(ct.length, 256);
      const pt = crypto.privateDecrypt({ key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ct);
      assert.equal(pt.toString(), `hello KMS via ${alg}`);
      const cmd = await page.locator('#e-cmd').innerText();
      assert.ok(cmd.includes(`aws kms decrypt --key-id ${fx.GetPublicKey.KeyId} --encryption-algorithm ${alg} --ciphertext-blob fileb://ciphertext.bin`), cmd);
      assert.ok(cmd.includes(`echo ${ct.toString('base64')} | base64 --decode > ciphertext.bin`), cmd);
    }
    // Hex input.
    await page.check('input[name="e-src"][value="hex"]');
    await page.fill('#e-msg', '00ff10');
    assert.equal((await run('e-go', 'e-out')).outcome, 'encrypted');
    const pt = crypto.privateDecrypt({ key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(await page.inputValue('#e-ct'), 'base64'));
    assert.equal(pt.toString('hex'), '00ff10');
    await page.check('input[name="e-src"][value="text"]');
    await page.screenshot({ path: shot('04-encrypted-desktop-light.png'), fullPage: true });
  });

  it('rule violations show the KMS exception name and the rule', async () => {
    // A wrong algorithm: offered only after "show every algorithm", refused by the library.
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.check('#show-all');
    await page.selectOption('#v-alg', 'ECDSA_SHA_384');
    let r = await run('v-go', 'v-out');
    assert.equal(r.exception, 'InvalidKeyUsageException', r.text);
    assert.match(r.text, /ECDSA_SHA_384/);
    assert.match(r.text, /ECDSA_SHA_256/);
    assert.match(r.text, /KMS would refuse this request with the same exception\./);
    await page.locator('#v-out').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('05-wrong-algorithm-desktop-light.png'), fullPage: true });
    // EXTERNAL_MU is for ML-DSA keys only.
    await page.selectOption('#v-alg', 'ECDSA_SHA_256');
    await page.check('input[name="v-type"][value="EXTERNAL_MU"]');
    r = await run('v-go', 'v-out');
    assert.equal(r.exception, 'ValidationException', r.text);
    assert.match(r.text, /EXTERNAL_MU/);
    // DIGEST of the wrong length, passed as is.
    await page.check('input[name="v-type"][value="DIGEST"]');
    await page.check('#v-prehashed');
    await page.check('input[name="v-src"][value="hex"]');
    await page.fill('#v-msg', 'aa'.repeat(48));
    r = await run('v-go', 'v-out');
    assert.equal(r.exception, 'ValidationException', r.text);
    assert.match(r.text, /48/);
    await page.uncheck('#v-prehashed');
    await page.check('input[name="v-type"][value="RAW"]');
    await page.check('input[name="v-src"][value="text"]');
    // Encrypting with a signing key: the Encrypt panel appears with "show every action", the library refuses.
    assert.equal(await page.locator('#encrypt').isVisible(), true);
    await page.selectOption('#e-alg', 'RSAES_OAEP_SHA_256');
    r = await run('e-go', 'e-out');
    assert.equal(r.exception, 'InvalidKeyUsageException', r.text);
    assert.match(r.text, /SIGN_VERIFY/);
    await page.uncheck('#show-all');
    assert.equal(await page.locator('#encrypt').isVisible(), false);
    // A plaintext over the OAEP SHA-256 limit of RSA_2048 (190 bytes).
    await loadSample('RSA_2048_ENCRYPT_DECRYPT');
    await page.selectOption('#e-alg', 'RSAES_OAEP_SHA_256');
    await page.fill('#e-msg', 'x'.repeat(191));
    r = await run('e-go', 'e-out');
    assert.equal(r.exception, 'ValidationException', r.text);
    assert.match(r.text, /190/);
    // Not base64: an input problem, not a KMS rule.
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.fill('#v-sig', 'not base64!!');
    r = await run('v-go', 'v-out');
    assert.equal(r.outcome, 'input-error', r.text);
    assert.doesNotMatch(r.text, /KMS would refuse/);
    // A valid signature pasted as hex: refused as hex (it is valid base64 text too, of the wrong size), never
    // answered "invalid" (issue: a string is never silently read as other bytes).
    const p256 = SAMPLES.find((s) => s.name === 'ECC_NIST_P256_SIGN_VERIFY');
    await page.fill('#v-sig', Buffer.from(p256.signature.Signature, 'base64').toString('hex'));
    r = await run('v-go', 'v-out');
    assert.equal(r.outcome, 'input-error', r.text);
    assert.match(r.text, /hex/);
    assert.doesNotMatch(r.text, /Invalid signature/);
    await page.screenshot({ path: shot('06-errors-desktop-light.png'), fullPage: true });
    // A key whose algorithm list its KeySpec does not allow: refused while loading, which is about the input (no
    // KMS request is involved), so the page does not say that KMS would refuse it.
    const wrongList = { ...readFixture('ECC_NIST_P256_SIGN_VERIFY').GetPublicKey, SigningAlgorithms: ['RSASSA_PSS_SHA_256'] };
    await page.fill('#key-text', JSON.stringify(wrongList));
    await page.click('#load-button');
    const loadErr = page.locator('#load-error .result');
    assert.equal(await loadErr.getAttribute('data-exception'), 'InvalidKeyUsageException', await loadErr.innerText());
    assert.equal(await loadErr.getAttribute('data-outcome'), 'input-error');
    assert.doesNotMatch(await loadErr.innerText(), /KMS would refuse/);
  });

  it('a PEM public key (and a JWK) with the metadata form: loads, verifies, and bad metadata is refused with its exception', async () => {
    const fx = readFixture('ECC_NIST_P256_SIGN_VERIFY');
    const sample = SAMPLES.find((s) => s.name === 'ECC_NIST_P256_SIGN_VERIFY');
    await page.click('#clear-button');
    assert.equal(await page.locator('#card').isVisible(), false);
    await page.fill('#key-text', fx.PublicKeyPem);
    assert.equal(await page.locator('#meta').isVisible(), true, 'the metadata form appears for a PEM key');
    // No metadata: the library says what is missing. A refusal while loading a key is about the input: the page
    // does not claim that KMS would refuse it.
    await page.click('#load-button');
    let err = page.locator('#load-error .result');
    assert.equal(await err.getAttribute('data-exception'), 'ValidationException');
    assert.equal(await err.getAttribute('data-outcome'), 'input-error');
    assert.match(await err.innerText(), /KeySpec/);
    assert.doesNotMatch(await err.innerText(), /KMS would refuse/);
    // Wrong KeySpec for this public key.
    await page.selectOption('#meta-spec', 'RSA_2048');
    await page.selectOption('#meta-usage', 'SIGN_VERIFY');
    await page.check('#meta-algs input[value="RSASSA_PSS_SHA_256"]');
    await page.click('#load-button');
    err = page.locator('#load-error .result');
    assert.equal(await err.getAttribute('data-exception'), 'ValidationException', await err.innerText());
    assert.doesNotMatch(await err.innerText(), /KMS would refuse/);
    // The menus follow the KeySpec: ECC_NIST_P256 offers SIGN_VERIFY with ECDSA_SHA_256 only (checked).
    await page.selectOption('#meta-spec', 'ECC_NIST_P256');
    assert.equal(await page.inputValue('#meta-usage'), 'SIGN_VERIFY', 'a usage still valid for the new KeySpec is kept');
    assert.deepEqual(await page.$$eval('#meta-algs input', (xs) => xs.map((x) => [x.value, x.checked])), [['ECDSA_SHA_256', true]]);
    // A KeyId that is not a valid KMS ARN.
    await page.fill('#meta-keyid', 'arn:aws:kms:us-east-1:1234:key/abc');
    await page.click('#load-button');
    err = page.locator('#load-error .result');
    assert.equal(await err.getAttribute('data-exception'), 'InvalidArnException', await err.innerText());
    await page.screenshot({ path: shot('07-pem-metadata-error-desktop-light.png'), fullPage: true });
    // Right metadata.
    await page.fill('#meta-keyid', fx.GetPublicKey.KeyId);
    await page.click('#load-button');
    await page.locator('#card').waitFor();
    assert.equal(await page.locator('#card-sample').isVisible(), false, 'no SAMPLE banner without the Sample member');
    assert.equal(await page.locator('[data-field="KeySpec"]').innerText(), 'ECC_NIST_P256');
    assert.equal(await page.locator('[data-field="Region"]').innerText(), 'us-west-2');
    await page.fill('#v-msg', sample.signature.MessageText);
    await page.fill('#v-sig', sample.signature.Signature);
    const r = await run('v-go', 'v-out');
    assert.equal(r.outcome, 'valid', r.text);
    // The same key as a public JWK, with the same metadata form.
    const jwk = crypto.createPublicKey(fx.PublicKeyPem).export({ format: 'jwk' });
    await page.fill('#key-text', JSON.stringify(jwk));
    assert.equal(await page.locator('#meta').isVisible(), true, 'the metadata form appears for a JWK');
    await page.click('#load-button');
    await page.waitForFunction(() => /JWK/.test(document.getElementById('card-fields').innerText));
    assert.match(await page.locator('[data-field="Fingerprint"]').innerText(), new RegExp(crypto.createHash('sha256').update(Buffer.from(fx.GetPublicKey.PublicKey, 'base64')).digest('hex')));
  });

  it('the metadata form offers only the usages and algorithms KMS allows for the KeySpec, and names the detected key type', async () => {
    const fx = readFixture('RSA_2048_SIGN_VERIFY');
    await page.click('#clear-button');
    await page.fill('#key-text', fx.PublicKeyPem);
    const hint = page.locator('#key-detected [data-detected="RSA_2048"]');
    await hint.waitFor();
    const text = await hint.innerText();
    assert.match(text, /KeySpec RSA_2048/);
    assert.match(text, /KeyUsage SIGN_VERIFY \(RSASSA_PSS_SHA_256, /);
    assert.match(text, /KeyUsage ENCRYPT_DECRYPT \(RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256\)/);
    assert.equal(await page.locator('#key-detected [data-detected]').count(), 1, 'one KeySpec only');
    await page.screenshot({ path: shot('14-detected-key-type-desktop-light.png'), fullPage: true });
    const usages = () => page.$$eval('#meta-usage option', (os) => os.map((o) => o.value).filter(Boolean));
    const algorithms = () => page.$$eval('#meta-algs input', (xs) => xs.map((x) => x.value));
    assert.deepEqual(await usages(), [], 'no KeyUsage is offered before a KeySpec');
    assert.equal(await page.isDisabled('#meta-usage'), true);
    await hint.locator('button').click();
    assert.equal(await page.inputValue('#meta-spec'), 'RSA_2048');
    assert.deepEqual(await usages(), ['SIGN_VERIFY', 'ENCRYPT_DECRYPT']);
    await page.selectOption('#meta-usage', 'ENCRYPT_DECRYPT');
    assert.deepEqual(await algorithms(), ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    await page.selectOption('#meta-usage', 'SIGN_VERIFY');
    assert.deepEqual((await algorithms()).sort(), [...fx.GetPublicKey.SigningAlgorithms].sort());
    const expected = {
      ECC_NIST_P384: { SIGN_VERIFY: ['ECDSA_SHA_384'], KEY_AGREEMENT: ['ECDH'] },
      ECC_SECG_P256K1: { SIGN_VERIFY: ['ECDSA_SHA_256'] },
      ECC_NIST_EDWARDS25519: { SIGN_VERIFY: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] },
      ML_DSA_87: { SIGN_VERIFY: ['ML_DSA_SHAKE_256'] },
      ML_KEM_512: { ENCAPSULATE_DECAPSULATE: ['ML_KEM'] },
      SM2: { SIGN_VERIFY: ['SM2DSA'], ENCRYPT_DECRYPT: ['SM2PKE'], KEY_AGREEMENT: ['ECDH'] },
    };
    for (const [spec, rules] of Object.entries(expected)) {
      await page.selectOption('#meta-spec', spec);
      assert.deepEqual(await usages(), Object.keys(rules), spec);
      for (const [usage, list] of Object.entries(rules)) {
        await page.selectOption('#meta-usage', usage);
        assert.deepEqual(await algorithms(), list, `${spec} ${usage}`);
      }
    }
    // Every sample's PEM key is recognised as its KeySpec.
    for (const s of SAMPLES) {
      await page.fill('#key-text', readFixture(s.name).PublicKeyPem);
      await page.locator(`#key-detected [data-detected="${s.keySpec}"]`).waitFor();
      assert.equal(await page.locator('#key-detected [data-detected]').count(), 1, s.name);
    }
  });

  it('text that is not a public key says so, at once and on Load', async () => {
    await page.click('#clear-button');
    const hint = page.locator('#key-detected [data-detected="not-a-key"]');
    for (const text of ['hello', 'hello, this is not a key']) {
      await page.fill('#key-text', text);
      await hint.waitFor();
      assert.match(await hint.innerText(), /This input is not a public key/);
      assert.equal(await page.locator('#meta').isVisible(), false, `no metadata form for ${text}`);
    }
    await page.click('#load-button');
    const err = page.locator('#load-error .result');
    assert.equal(await err.getAttribute('data-outcome'), 'input-error');
    assert.match(await err.innerText(), /This input is not a public key/);
    assert.doesNotMatch(await err.innerText(), /KMS would refuse/);
    await page.screenshot({ path: shot('15-not-a-key-desktop-light.png'), fullPage: true });
    // A PEM block that holds no public key of any KMS key spec: the library's reason.
    await page.fill('#key-text', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    const none = page.locator('#key-detected [data-detected=""]');
    await none.waitFor();
    assert.match(await none.innerText(), /The library reads no KMS KeySpec in this public key: \S/);
    assert.equal(await page.locator('#key-detected [data-detected="not-a-key"]').count(), 0);
    // A public key of a kind KMS does not have (P-224): none of the KeySpecs.
    const p224 = crypto.generateKeyPairSync('ec', { namedCurve: 'secp224r1' }).publicKey.export({ type: 'spki', format: 'pem' });
    await page.fill('#key-text', p224);
    await page.waitForFunction(() => /none of the KeySpecs/.test(document.querySelector('#key-detected [data-detected=""]')?.textContent));
    assert.match(await none.innerText(), /^This public key is of none of the KeySpecs KMS has \(RSA_2048, .*, SM2\)\.$/);
  });

  it('verify uses the key card shown and names it; editing the key text, the metadata, choosing a key file or a sample drops the key, its results, errors and file choices', async () => {
    const sample = SAMPLES.find((s) => s.name === 'ECC_NIST_P256_SIGN_VERIFY');
    const fx = readFixture(sample.name);
    const sigFile = path.join(OUT, 'work', 'sample.sig');
    fs.writeFileSync(sigFile, Buffer.from(sample.signature.Signature, 'base64'));
    const pemFile = path.join(OUT, 'work', 'rsa.pem');
    fs.writeFileSync(pemFile, readFixture('RSA_2048_SIGN_VERIFY').PublicKeyPem);
    /** A loaded sample with a result and files chosen in the Verify form. */
    async function withResults() {
      await loadSample(sample.name);
      const r = await run('v-go', 'v-out');
      assert.equal(r.outcome, 'valid', r.text);
      await page.setInputFiles('#v-sig-file', sigFile);
      await page.check('input[name="v-src"][value="file"]');
      await page.setInputFiles('#v-file', sigFile);
      await page.check('input[name="v-src"][value="text"]');
    }
    async function assertDropped(what) {
      assert.equal(await page.locator('#card').isVisible(), false, `${what}: the old key card is still shown`);
      assert.equal(await page.locator('#actions').isVisible(), false, `${what}: the actions are still offered`);
      for (const id of ['v-out', 'e-out', 'd-out', 'k-out', 'm-out', 'load-error']) {
        assert.equal(await page.locator(`#${id}`).innerHTML(), '', `${what}: #${id} still shows a result`);
      }
      for (const id of ['v-file', 'v-sig-file', 'e-file']) {
        assert.equal(await page.$eval(`#${id}`, (i) => i.files.length), 0, `${what}: #${id} keeps its file`);
      }
      assert.equal(await page.locator('[data-sample][aria-pressed="true"]').count(), 0, `${what}: a sample is still marked`);
    }

    // The result names the key of the card: its KeyId and SHA-256 fingerprint.
    await withResults();
    const fingerprint = crypto.createHash('sha256').update(Buffer.from(fx.GetPublicKey.PublicKey, 'base64')).digest('hex');
    const used = page.locator('#v-out .result .used-key');
    assert.equal(await used.getAttribute('data-key-fingerprint'), fingerprint);
    assert.match(await used.innerText(), new RegExp(`KeyId\\s+${fx.GetPublicKey.KeyId}`));
    assert.match(await used.innerText(), new RegExp(`Key fingerprint\\s+${fingerprint}`));
    assert.match(await page.locator('[data-field="Fingerprint"]').innerText(), new RegExp(`^${fingerprint}`));

    // One character typed in the key text.
    await page.locator('#key-text').press('End');
    await page.keyboard.type(' ');
    await assertDropped('editing the key text');
    // A load error goes when the text changes.
    await page.fill('#key-text', '{ "not": "a key" }');
    await page.click('#load-button');
    await page.locator('#load-error .result').waitFor();
    await page.fill('#key-text', '{}');
    assert.equal(await page.locator('#load-error').innerHTML(), '', 'the load error stays after an edit');

    // Another key file (a PEM: the metadata form appears, no key is loaded yet).
    await withResults();
    await page.setInputFiles('#key-file', pemFile);
    await page.locator('#meta').waitFor();
    await assertDropped('choosing a key file');
    // A sample after a key file: the key file choice goes.
    await loadSample(sample.name);
    assert.equal(await page.$eval('#key-file', (i) => i.files.length), 0, 'the key file picker keeps the old file');

    // Another sample: the card is the new key, with no result of the old one.
    await withResults();
    await page.click('[data-sample="RSA_2048_SIGN_VERIFY"]');
    await page.waitForFunction(() => document.querySelector('[data-sample="RSA_2048_SIGN_VERIFY"]').getAttribute('aria-pressed') === 'true' && !document.getElementById('card').hidden);
    assert.equal(await page.locator('[data-field="KeySpec"]').innerText(), 'RSA_2048');
    assert.equal(await page.locator('#v-out').innerHTML(), '');
    for (const id of ['v-file', 'v-sig-file']) assert.equal(await page.$eval(`#${id}`, (i) => i.files.length), 0, `another sample: #${id} keeps its file`);

    // The metadata of a loaded PEM key changes: that key is no longer what the form says.
    await page.click('#clear-button');
    await page.fill('#key-text', fx.PublicKeyPem);
    await page.locator('#key-detected [data-detected="ECC_NIST_P256"] button').click();
    await page.selectOption('#meta-usage', 'SIGN_VERIFY');
    await page.click('#load-button');
    await page.locator('#card').waitFor();
    await page.selectOption('#meta-usage', 'KEY_AGREEMENT');
    await assertDropped('changing the KeyUsage');
  });

  it('Encrypt starts with RSAES_OAEP_SHA_256 when the key lists it', async () => {
    await loadSample('RSA_2048_ENCRYPT_DECRYPT');
    assert.deepEqual(await page.$$eval('#e-alg option', (os) => os.map((o) => o.value)), ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    assert.equal(await page.inputValue('#e-alg'), 'RSAES_OAEP_SHA_256');
    // A new key starts again from the default, whatever the previous key used.
    await page.selectOption('#e-alg', 'RSAES_OAEP_SHA_1');
    await loadSample('RSA_2048_SIGN_VERIFY');
    await loadSample('RSA_2048_ENCRYPT_DECRYPT');
    assert.equal(await page.inputValue('#e-alg'), 'RSAES_OAEP_SHA_256');
    const r = await run('e-go', 'e-out');
    assert.match(r.text, /RSAES_OAEP_SHA_256/);
  });

  it('a large message file is hashed in a Web Worker, with progress and a Cancel button (64 MiB; a 1 GiB sparse file to cancel)', async () => {
    const fx = readFixture('ECC_NIST_P256_SIGN_VERIFY');
    const data = deterministicBytes(64 << 20, 'www worker file');
    const file = path.join(OUT, 'work', 'big.bin');
    fs.writeFileSync(file, data);
    await loadSample('ECC_NIST_P256_SIGN_VERIFY');
    await page.check('input[name="v-type"][value="DIGEST"]');
    await page.check('input[name="v-src"][value="file"]');
    await page.setInputFiles('#v-file', file);
    await page.fill('#v-sig', crypto.sign('sha256', data, fx.PrivateKeyPem).toString('base64'));
    // Every progress text the page shows, recorded as it changes.
    await page.evaluate(() => {
      window.progressSeen = [];
      new MutationObserver(() => {
        const p = document.querySelector('#v-out .hashing .progress');
        if (p) window.progressSeen.push(p.textContent);
      }).observe(document.getElementById('v-out'), { subtree: true, childList: true, characterData: true });
    });
    const ok = await run('v-go', 'v-out');
    assert.equal(ok.outcome, 'valid', ok.text);
    assert.match(ok.text, new RegExp(crypto.createHash('sha256').update(data).digest('hex')));
    const seen = await page.evaluate(() => window.progressSeen);
    assert.ok(seen.some((t) => /^Hashing big\.bin: [\d.]+ (MiB|KiB|bytes) of 64\.0 MiB \(\d+ %\)$/.test(t)), seen.join('\n'));
    /** How many workers the page still has, after up to 5 s for them to end. */
    const noWorker = async () => {
      for (let i = 0; i < 50 && page.workers().length; i++) await page.waitForTimeout(100);
      return page.workers().length;
    };
    assert.equal(await noWorker(), 0, 'the worker is not terminated after its result');

    // Cancel: a 1 GiB sparse file (no disk blocks) takes seconds to hash.
    const huge = path.join(OUT, 'work', 'huge.bin');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 1 << 30);
    const started = async () => {
      await page.evaluate(() => document.getElementById('v-out').replaceChildren());
      await page.click('#v-go');
      await page.waitForFunction(() => Number(document.querySelector('#v-out .hashing .progress')?.dataset.progress) > 0, null, { timeout: 60_000 });
      assert.equal(page.workers().length, 1);
    };
    try {
      await page.setInputFiles('#v-file', huge);
      await started();
      await page.screenshot({ path: shot('16-hashing-progress-desktop-light.png'), fullPage: true });
      assert.equal(await page.isDisabled('#v-go'), true, 'Verify is busy while hashing');
      await page.click('#v-cancel');
      const box = page.locator('#v-out .result');
      await box.waitFor();
      assert.equal(await box.getAttribute('data-outcome'), 'cancelled');
      assert.equal(await page.isEnabled('#v-go'), true);
      assert.equal(await noWorker(), 0, 'Cancel did not stop the worker');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#v-out .result').getAttribute('data-outcome'), 'cancelled', 'a result came after Cancel');
      // Replacing the key while hashing stops the hashing too, and no result of the old key appears.
      await page.check('input[name="v-src"][value="file"]');
      await page.setInputFiles('#v-file', huge);
      await started();
      await page.locator('#key-text').press('End');
      await page.keyboard.type(' ');
      assert.equal(await noWorker(), 0, 'editing the key did not stop the worker');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#v-out').innerHTML(), '');
      assert.equal(await page.locator('#card').isVisible(), false);
    } finally {
      fs.rmSync(huge, { force: true });
    }
  });

  it('the footer shows the package version and links to the documentation, which the server serves', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'pkg', 'package.json'), 'utf8'));
    assert.equal(await page.getAttribute('#version', 'data-version'), version);
    assert.equal(await page.innerText('#version'), `kms-offline ${version}`);
    const links = await page.$$eval('footer a', (as) => as.map((a) => a.href));
    for (const aws of ['download-public-key.html', 'offline-public-key.html']) {
      assert.ok(links.includes(`https://docs.aws.amazon.com/kms/latest/developerguide/${aws}`), `${aws}: ${links.join(' ')}`);
    }
    const local = links.filter((l) => l.startsWith(server.origin));
    assert.deepEqual(local.map((l) => new URL(l).pathname), ['/README.md', '/pkg/README.md', '/www/README.md']);
    for (const l of local) {
      const res = await fetch(l);
      assert.equal(res.status, 200, l);
      assert.match(await res.text(), /kms-offline/);
    }
  });

  it('a binary DER key file and a dropped GetPublicKey JSON file both load', async () => {
    const fx = readFixture('RSA_2048_SIGN_VERIFY');
    const der = path.join(OUT, 'work', 'rsa.der');
    fs.writeFileSync(der, Buffer.from(fx.GetPublicKey.PublicKey, 'base64'));
    await page.click('#clear-button');
    await page.setInputFiles('#key-file', der);
    await page.locator('#meta').waitFor();
    await page.selectOption('#meta-spec', 'RSA_2048');
    await page.selectOption('#meta-usage', 'SIGN_VERIFY');
    await page.check('#meta-algs input[value="RSASSA_PSS_SHA_256"]');
    await page.click('#load-button');
    await page.locator('#card').waitFor();
    assert.match(await page.locator('#card-fields').innerText(), /DER file rsa\.der/);
    // Drop the sample JSON on the drop zone.
    const json = fs.readFileSync(path.join(REPO_ROOT, 'www', 'samples', 'ML_KEM_768_ENCAPSULATE_DECAPSULATE.json'), 'utf8');
    await page.click('#clear-button');
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'key.json', { type: 'application/json' }));
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, json);
    await page.waitForFunction(() => !document.getElementById('card').hidden);
    assert.equal(await page.locator('[data-field="KeySpec"]').innerText(), 'ML_KEM_768');
    assert.equal(await page.locator('#card-sample').isVisible(), true);
  });

  it('derive: the secret appears only after a KDF choice, and matches node:crypto ECDH + HKDF with the fixture private key', async () => {
    const fx = readFixture('ECC_NIST_P256_KEY_AGREEMENT');
    await loadSample('ECC_NIST_P256_KEY_AGREEMENT');
    const r = await run('d-go', 'd-out');
    assert.equal(r.outcome, 'derived', r.text);
    const pub = Buffer.from(await page.inputValue('#d-pub'), 'base64');
    const cmd = await page.locator('#d-cmd').innerText();
    assert.ok(cmd.includes(`aws kms derive-shared-secret --key-id ${fx.GetPublicKey.KeyId} --key-agreement-algorithm ECDH --public-key fileb://our-public-key.der`), cmd);
    assert.ok(cmd.includes(`echo ${pub.toString('base64')} | base64 --decode > our-public-key.der`));
    // No secret on the page yet.
    const z = crypto.diffieHellman({
      privateKey: crypto.createPrivateKey(fx.PrivateKeyPem),
      publicKey: crypto.createPublicKey({ key: pub, format: 'der', type: 'spki' }),
    });
    const pageText = () => page.locator('body').innerText();
    assert.ok(!(await pageText()).includes(z.toString('hex')), 'raw Z shown before a KDF choice');
    // Submitting without a KDF asks for one.
    const none = await run('k-go', 'k-out');
    assert.equal(none.outcome, 'input-error', none.text);
    // HKDF-SHA-256 with the default info.
    await page.selectOption('#k-kdf', 'hkdf');
    await page.fill('#k-info', 'test protocol v1');
    const k = await run('k-go', 'k-out');
    assert.equal(k.outcome, 'kdf', k.text);
    const want = Buffer.from(crypto.hkdfSync('sha256', z, Buffer.alloc(0), Buffer.from('test protocol v1'), 32)).toString('hex');
    assert.match(k.text, new RegExp(want));
    await page.screenshot({ path: shot('08-derived-desktop-light.png'), fullPage: true });
    // Raw Z on request, labelled.
    await page.selectOption('#k-kdf', 'none');
    const raw = await run('k-go', 'k-out');
    assert.equal(raw.outcome, 'raw-z');
    assert.match(raw.text, new RegExp(z.toString('hex')));
    assert.match(raw.text, /never use it as a key/);
  });

  it('encapsulate: the ML-KEM-768 ciphertext is 1088 bytes and decapsulates (noble, fixture seed) to the secret shown', async () => {
    const fx = readFixture('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    await loadSample('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    const r = await run('m-go', 'm-out');
    assert.equal(r.outcome, 'encapsulated', r.text);
    const ct = Buffer.from(await page.inputValue('#m-ct'), 'base64');
    assert.equal(ct.length, 1088);
    const { secretKey } = ml_kem768.keygen(Buffer.from(fx.PrivateKeySeed, 'base64'));
    const secret = Buffer.from(ml_kem768.decapsulate(ct, secretKey)).toString('hex');
    assert.equal(await page.locator('#m-secret').innerText(), secret);
    assert.match(await page.locator('#m-cmd').innerText(), /aws kms decapsulate --key-id \S+ --encapsulation-algorithm ML_KEM --shared-secret-ciphertext-blob fileb:\/\/ciphertext\.bin/);
  });

  it('is usable with the keyboard only: Tab to a sample, Enter, Tab to Verify, Enter', async () => {
    const p = await newPage();
    const tabUntil = async (pred, max = 80) => {
      for (let i = 0; i < max; i++) {
        await p.keyboard.press('Tab');
        if (await p.evaluate(pred)) return true;
      }
      return false;
    };
    assert.ok(await tabUntil(() => document.activeElement?.dataset?.sample === 'ECC_NIST_P256_SIGN_VERIFY'), 'sample button not reachable with Tab');
    // The focused control has a visible focus ring.
    const outline = await p.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await p.screenshot({ path: shot('09-keyboard-focus-desktop-light.png') });
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => !document.getElementById('card').hidden);
    assert.ok(await tabUntil(() => document.activeElement?.id === 'v-go'), 'Verify button not reachable with Tab');
    await p.keyboard.press('Enter');
    await p.locator('#v-out .result').waitFor();
    assert.equal(await p.locator('#v-out .result').getAttribute('data-outcome'), 'valid');
    await p.close();
  });

  it('every form control has a label', async () => {
    await page.check('#show-all');
    await loadSample('ECC_NIST_P256_KEY_AGREEMENT');
    await run('d-go', 'd-out');
    await page.uncheck('#show-all');
    await page.fill('#key-text', '-----BEGIN PUBLIC KEY-----'); // shows the metadata form (and drops the key)
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => {
          if (el.type === 'hidden') return false;
          if (el.tagName === 'BUTTON') return !el.textContent.trim() && !el.getAttribute('aria-label');
          return !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    assert.deepEqual(unlabelled, []);
  });

  it('dark mode and a 375 px phone: readable, no horizontal scrolling (screenshots)', async () => {
    const luminance = (rgb) => {
      const [r, g, b] = rgb.match(/\d+/g).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    // Desktop dark.
    const dark = await newPage({ colorScheme: 'dark' });
    await dark.click('[data-sample="ECC_NIST_P256_SIGN_VERIFY"]');
    await dark.waitForFunction(() => !document.getElementById('card').hidden);
    await dark.click('#v-go');
    await dark.locator('#v-out .result').waitFor();
    const bg = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const fg = await dark.evaluate(() => getComputedStyle(document.body).color);
    assert.ok(luminance(bg) < 0.2 && luminance(fg) > 0.7, `dark mode colours: ${bg} on ${fg}`);
    await dark.screenshot({ path: shot('10-verified-desktop-dark.png'), fullPage: true });
    await dark.close();
    // Phone, light and dark.
    for (const scheme of ['light', 'dark']) {
      const phone = await newPage({ width: 375, height: 740, colorScheme: scheme });
      await phone.screenshot({ path: shot(`11-start-phone-${scheme}.png`) });
      await phone.click('[data-sample="SM2_SIGN_VERIFY"]');
      await phone.waitForFunction(() => !document.getElementById('card').hidden);
      await phone.evaluate(() => document.getElementById('card').scrollIntoView());
      await phone.screenshot({ path: shot(`12-key-card-phone-${scheme}.png`) });
      await phone.click('#v-fill-tampered');
      await phone.click('#v-go');
      await phone.locator('#v-out .result').waitFor();
      await phone.locator('#v-out').scrollIntoViewIfNeeded();
      await phone.screenshot({ path: shot(`13-tampered-phone-${scheme}.png`) });
      const { scrollWidth, clientWidth } = await phone.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
      assert.ok(scrollWidth <= clientWidth, `horizontal scrolling at 375 px: ${scrollWidth} > ${clientWidth}`);
      const small = await phone.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lede')).fontSize));
      assert.ok(small >= 14, `body text ${small}px`);
      await phone.close();
    }
  });

  it('no console error, page error, failed or off-origin request in the whole session', () => {
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.console, []);
    assert.deepEqual(problems.failed, []);
    assert.deepEqual(problems.offOrigin, []);
    assert.deepEqual(server.requests.filter((r) => r.status >= 400), []);
  });
});
