// Cloudflare Workers: tests/workers/worker.js, a user's worker importing 'kms-offline',
// 'kms-offline/verify-p256' and every single-family entry from the packed package, bundled the way wrangler bundles (esbuild with the export
// conditions workerd, worker, browser; every `.wasm` import left as a CompiledWasm module, wrangler's default
// rule) and run in workerd through Miniflare, with no nodejs_compat flag. It answers over fetch.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import * as jose from 'jose';
import { REPO_ROOT, KEYS_DIR, readFixture, outputDir, installPackedPackage } from '../browser/harness.mjs';
import { COMPATIBILITY_DATE, bundleWorker } from './bundle.mjs';
import { WYCHEPROOF_FILES } from '../js/native-checks.mjs';
import { loadWycheproof } from '../js/wycheproof-data.mjs';

// The single-family entries the worker imports, each with the fixture key it loads there.
const FAMILY_FIXTURES = {
  rsa: 'RSA_2048_SIGN_VERIFY', p256: 'ECC_NIST_P256_KEY_AGREEMENT', p384: 'ECC_NIST_P384_SIGN_VERIFY', p521: 'ECC_NIST_P521_KEY_AGREEMENT',
  secp256k1: 'ECC_SECG_P256K1_SIGN_VERIFY', sm2: 'SM2_ENCRYPT_DECRYPT', ed25519: 'ECC_NIST_EDWARDS25519_SIGN_VERIFY',
  'ml-dsa': 'ML_DSA_44_SIGN_VERIFY', 'ml-kem': 'ML_KEM_512_ENCAPSULATE_DECAPSULATE',
};

describe('Cloudflare Workers (workerd through Miniflare, wrangler-style bundle, no nodejs_compat)', () => {
  const work = path.join(outputDir('workers'), 'work');
  let mf, bundle;
  const post = async (route, body) => {
    const res = await mf.dispatchFetch(`http://worker.test${route}`, { method: 'POST', body: JSON.stringify(body) });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return JSON.parse(text);
  };

  before(async () => {
    installPackedPackage(work);
    fs.copyFileSync(path.join(REPO_ROOT, 'tests', 'workers', 'worker.js'), path.join(work, 'worker.js'));
    fs.copyFileSync(path.join(REPO_ROOT, 'tests', 'js', 'native-checks.mjs'), path.join(work, 'native-checks.mjs'));
    fs.copyFileSync(path.join(KEYS_DIR, 'ECC_NIST_P256_SIGN_VERIFY.json'), path.join(work, 'signing-key.json'));
    bundle = await bundleWorker(work);
    mf = new Miniflare({
      modules: true,
      scriptPath: path.join(bundle.outdir, 'worker.js'),
      modulesRoot: bundle.outdir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: [],
    });
    await mf.ready;
  });

  after(async () => {
    await mf?.dispose();
  });

  it('the workerd condition picks dist/workerd.js of every entry and the bundle keeps every .wasm as a module', () => {
    const pkgFiles = bundle.inputs.filter((f) => f.includes('node_modules/kms-offline/')).sort();
    const entries = ['', ...[...Object.keys(FAMILY_FIXTURES), 'verify-p256'].map((e) => `${e}/`)];
    assert.deepEqual(pkgFiles, entries.map((e) => `node_modules/kms-offline/dist/${e}workerd.js`).sort());
    const wasm = fs.readdirSync(bundle.outdir).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, entries.length, wasm.join(', '));
    const js = fs.readFileSync(path.join(bundle.outdir, 'worker.js'), 'utf8');
    assert.ok(!js.includes('import.meta'), 'the bundle uses import.meta');
    for (const f of wasm) assert.ok(js.includes(`from "./${f}"`), `the bundle does not import ${f}`);
  });

  it('loads a GetPublicKey output (at module scope), verifies valid and tampered signatures and a JWT, refuses a wrong algorithm, encrypts', async () => {
    const signer = readFixture('ECC_NIST_P256_SIGN_VERIFY');
    const enc = readFixture('RSA_2048_ENCRYPT_DECRYPT');
    const claims = { iss: 'kms-offline-workers', aud: 'edge', sub: 'user-1', exp: 4102444800 };
    const token = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: signer.GetPublicKey.KeyId })
      .sign(await jose.importPKCS8(signer.PrivateKeyPem, 'ES256'));
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
    const plaintext = 'secret from the edge';

    const r = await post('/basic', {
      signature: signer.Signatures.find((c) => c.Valid && c.MessageType === 'RAW'),
      jwt: { Token: token, Forged: forged, Issuer: claims.iss, Audience: claims.aud },
      encrypt: { GetPublicKey: enc.GetPublicKey, Plaintext: plaintext },
    });

    assert.equal(r.keySpec, 'ECC_NIST_P256');
    assert.deepEqual(r.valid, { value: true });
    assert.deepEqual(r.tampered, { value: false });
    assert.equal(r.tamperedOrThrow.error, 'KMSInvalidSignatureException');
    assert.deepEqual(r.validAsync, { value: true });
    assert.deepEqual(r.tamperedAsync, { value: false });
    assert.equal(r.wrongAlgorithm.error, 'InvalidKeyUsageException', JSON.stringify(r.wrongAlgorithm));
    assert.match(r.wrongAlgorithm.message, /RSASSA_PSS_SHA_256/);
    assert.equal(r.jwt.error, undefined, JSON.stringify(r.jwt));
    assert.deepEqual(r.jwt.value.Payload, claims);
    assert.equal(r.jwt.value.Alg, 'ES256');
    assert.deepEqual(r.jwtForged, { value: false });
    assert.deepEqual([r.familyValid, r.familyTampered], [{ value: true }, { value: false }]);
    assert.equal(r.encryptWrongUsage.error, 'InvalidKeyUsageException', JSON.stringify(r.encryptWrongUsage));

    // what the worker encrypted, KMS Decrypt (here: the fixture's private key) opens
    const privateKey = crypto.createPrivateKey(enc.PrivateKeyPem);
    for (const [result, oaepHash] of [[r.encrypt, 'sha256'], [r.encryptAsync, 'sha1']]) {
      assert.equal(result.error, undefined, JSON.stringify(result));
      const ciphertext = Buffer.from(result.value, 'base64');
      assert.equal(ciphertext.length, 256);
      const opened = crypto.privateDecrypt({ key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ciphertext);
      assert.equal(opened.toString('utf8'), plaintext);
    }
  });

  it('every single-family entry loads a key of its family and does its operation in workerd', async () => {
    const r = await post('/families', Object.fromEntries(Object.entries(FAMILY_FIXTURES).map(([entry, fixture]) => [entry, readFixture(fixture)])));
    for (const [entry, fixture] of Object.entries(FAMILY_FIXTURES)) {
      const { GetPublicKey: gpk, Signatures } = readFixture(fixture);
      const signs = Signatures.some((c) => c.Valid && c.MessageType === 'RAW');
      const async = ['rsa', 'p256', 'p384', 'p521', 'ed25519', 'ml-dsa'].includes(entry);
      assert.deepEqual(r[entry], {
        keySpec: gpk.KeySpec,
        ...(signs ? { verify: { value: true } } : {}),
        ...(signs && async ? { verifyAsync: { value: true } } : {}),
        ...(gpk.EncryptionAlgorithms ? { encrypt: { value: true } } : {}),
        ...(gpk.KeyAgreementAlgorithms ? { derive: { value: { ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66, SM2: 32 }[gpk.KeySpec] } } : {}),
        ...(gpk.EncapsulationAlgorithms ? { encapsulate: { value: 32 } } : {}),
      }, entry);
    }
  });

  it("the ...Async methods on workerd's WebCrypto answer as the wasm ones (native-checks.mjs: every fixture, Wycheproof)", async (t) => {
    const fixtures = Object.fromEntries(
      fs.readdirSync(KEYS_DIR)
        .filter((f) => f.endsWith('.json') && f !== 'index.json')
        .map((f) => [f.replace(/\.json$/, ''), readFixture(f.replace(/\.json$/, ''))]),
    );
    const wycheproof = loadWycheproof(WYCHEPROOF_FILES.map(([file]) => file));
    const results = await post('/native', { fixtures, wycheproof });
    assert.ok(results.length >= 30, `only ${results.length} checks`);
    for (const r of results) await t.test(r.name, () => assert.ok(r.ok, `${r.name}: ${r.detail}`));
  });
});
