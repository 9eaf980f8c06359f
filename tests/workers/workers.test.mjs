// Cloudflare Workers: tests/workers/worker.js, a user's worker importing 'kms-offline' and
// 'kms-offline/verify-p256' from the packed package, bundled the way wrangler bundles (esbuild with the export
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

  it('the workerd condition picks dist/workerd.js of both entries and the bundle keeps both .wasm as modules', () => {
    const pkgFiles = bundle.inputs.filter((f) => f.includes('node_modules/kms-offline/')).sort();
    assert.deepEqual(pkgFiles, ['node_modules/kms-offline/dist/verify-p256/workerd.js', 'node_modules/kms-offline/dist/workerd.js']);
    const wasm = fs.readdirSync(bundle.outdir).filter((f) => f.endsWith('.wasm'));
    assert.equal(wasm.length, 2, wasm.join(', '));
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
