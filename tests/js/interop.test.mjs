// Interop in Node through the built package (`import 'kms-offline'`): the shared checks of interop-checks.mjs
// (WebCrypto, jose, @noble/*), plus what only Node has: node:crypto's own JWK export and DER/P1363
// signatures, and Node Readable streams. A streamed digest of KMS_OFFLINE_STREAM_MIB (default 256 MiB;
// 1024 for the 1 GB measurement) is compared with node:crypto, with the peak memory reported.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import * as lib from 'kms-offline';
import * as jose from 'jose';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519, ed25519ph } from '@noble/curves/ed25519.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { runInteropChecks } from './interop-checks.mjs';
import F from './fixtures.cjs';

const { KmsPublicKey, MessageDigest, digestStream, derToP1363, p1363ToDer } = lib;
const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));
const load = (name) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fixtures[name].GetPublicKey));

describe('interop (Node): checks against WebCrypto, jose, @noble/curves, @noble/hashes, @noble/post-quantum', () => {
  let results;
  before(async () => {
    results = await runInteropChecks({
      lib,
      jose,
      noble: { p256, p384, p521, secp256k1, ed25519, ed25519ph, keccak_256, ml_dsa44, ml_dsa65, ml_dsa87 },
      fixtures,
    });
  });
  it('every check passes (one subtest per check)', async (t) => {
    assert.ok(results.length >= 50, `only ${results.length} checks`);
    for (const r of results) await t.test(r.name, () => assert.ok(r.ok, `${r.name}: ${r.detail}`));
  });
});

// Bun runs these too (scripts/test.sh): its node:crypto (BoringSSL) has no secp256k1 keys and no SM3, so there
// those are left out of node:crypto's part; Node's node:crypto must do them all.
const nodeCryptoLoads = (name) => {
  try {
    return Boolean(crypto.createPublicKey(fixtures[name].PublicKeyPem));
  } catch {
    return false;
  }
};
const oracleKeys = (names) => (process.versions.bun ? names.filter(nodeCryptoLoads) : names);
const oracleHasSm3 = !process.versions.bun || crypto.getHashes().includes('sm3');

describe('interop (Node only)', () => {
  it('node:crypto exports the same JWK members as toJwk() for RSA, P-256/384/521, secp256k1, Ed25519; createPublicKey(toJwk()) gives the SPKI', () => {
    for (const name of oracleKeys(['RSA_4096_SIGN_VERIFY', 'ECC_NIST_P256_SIGN_VERIFY', 'ECC_NIST_P384_SIGN_VERIFY', 'ECC_NIST_P521_SIGN_VERIFY', 'ECC_SECG_P256K1_SIGN_VERIFY', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY'])) {
      const key = load(name);
      const ours = key.toJwk();
      const theirs = crypto.createPublicKey(fixtures[name].PublicKeyPem).export({ format: 'jwk' });
      for (const m of Object.keys(theirs)) assert.equal(ours[m], theirs[m], `${name} ${m}`);
      const back = crypto.createPublicKey({ key: ours, format: 'jwk' }).export({ format: 'der', type: 'spki' });
      assert.deepEqual(new Uint8Array(back), key.spkiDer(), name);
      assert.deepEqual(KmsPublicKey.fromJwk(theirs, fixtures[name].GetPublicKey).spkiDer(), key.spkiDer(), name);
    }
  });

  it("node:crypto's ieee-p1363 signatures (P-256/384/521, secp256k1) convert to the DER node:crypto makes for the same signature", () => {
    for (const name of oracleKeys(['ECC_NIST_P256_SIGN_VERIFY', 'ECC_NIST_P384_SIGN_VERIFY', 'ECC_NIST_P521_SIGN_VERIFY', 'ECC_SECG_P256K1_SIGN_VERIFY'])) {
      const fx = fixtures[name];
      const spec = fx.GetPublicKey.KeySpec;
      const key = load(name);
      const hash = { ECC_NIST_P384: 'sha384', ECC_NIST_P521: 'sha512' }[spec] ?? 'sha256';
      for (let i = 0; i < 10; i++) {
        const message = Buffer.from(`node message ${i}`);
        const p1363 = crypto.sign(hash, message, { key: fx.PrivateKeyPem, dsaEncoding: 'ieee-p1363' });
        const der = p1363ToDer(p1363, spec);
        assert.ok(crypto.verify(hash, message, { key: fx.PublicKeyPem, dsaEncoding: 'der' }, der), `${name} #${i}`);
        assert.deepEqual(Buffer.from(derToP1363(der, spec)), p1363);
        assert.equal(key.verify({ Message: message, Signature: p1363, SigningAlgorithm: fx.GetPublicKey.SigningAlgorithms[0], SignatureFormat: 'P1363' }), true);
      }
    }
  });

  it('digestStream reads a Node Readable (fs-like Buffers) and a Node Readable in object mode; SM2 e and ML-DSA mu from Readables', async () => {
    const chunks = Array.from({ length: 20 }, (_, i) => crypto.randomBytes(65536 + i));
    const whole = Buffer.concat(chunks);
    for (const name of ['SHA-256', 'SHA-384', 'SHA-512']) {
      const got = await digestStream(new MessageDigest(name), Readable.from(chunks));
      assert.deepEqual(Buffer.from(got), crypto.createHash(name.replace('-', '').toLowerCase()).update(whole).digest(), name);
    }
    const sm3 = await digestStream(new MessageDigest('SM3'), Readable.from(chunks));
    if (oracleHasSm3) assert.deepEqual(Buffer.from(sm3), crypto.createHash('sm3').update(whole).digest());
    const mlDsa = load('ML_DSA_65_SIGN_VERIFY');
    assert.deepEqual(await digestStream(mlDsa.externalMuDigest(), Readable.from(chunks)), mlDsa.externalMu(whole));
    const text = Readable.from(['abc']);
    await assert.rejects(digestStream(new MessageDigest('SHA-256'), text), { name: 'ValidationException' });
  });

  it('a large streamed input gives the one-shot digest with flat memory (KMS_OFFLINE_STREAM_MIB, default 256)', async () => {
    const mib = Number(process.env.KMS_OFFLINE_STREAM_MIB || 256);
    const chunk = Buffer.alloc(1 << 20);
    function* source() {
      for (let i = 0; i < mib; i++) {
        chunk.fill(i & 0xff);
        chunk.writeUInt32BE(i, 0);
        yield chunk;
      }
    }
    const reference = crypto.createHash('sha256');
    for (const c of source()) reference.update(c);
    const expected = reference.digest();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakExternal = before.external + before.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
    }, 5);
    const t0 = performance.now();
    const got = await digestStream(new MessageDigest('SHA-256'), Readable.from(source(), { objectMode: false, highWaterMark: 1 << 20 }));
    const ms = performance.now() - t0;
    clearInterval(sampler);
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    assert.deepEqual(Buffer.from(got), expected);
    const growth = (peakRss - before.rss) / 2 ** 20;
    const report = `${mib} MiB streamed in ${Math.round(ms)} ms (${Math.round(mib / (ms / 1000))} MiB/s); RSS before ${(before.rss / 2 ** 20).toFixed(1)} MiB, peak ${(peakRss / 2 ** 20).toFixed(1)} MiB (+${growth.toFixed(1)} MiB); external+arrayBuffers peak ${(peakExternal / 2 ** 20).toFixed(1)} MiB`;
    console.log(`[interop] streamed digest: ${report}`);
    assert.ok(growth < 64, `memory grew by ${growth.toFixed(1)} MiB while streaming ${mib} MiB: ${report}`);
  });
});
