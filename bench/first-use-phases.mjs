#!/usr/bin/env -S deno run -A --no-lock
// Where a fresh Ed25519 key's first verifyAsync spends its time, phase by phase, next to a loaded key's and WebCrypto's
// own (bench/NOTES.md §23, item 2): µs per call, averaged over N calls, three rounds.
//   deno run -A --no-lock bench/first-use-phases.mjs [DIST]      (Deno: its WebCrypto has Ed25519)
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO } from './report.mjs';
const require = createRequire(import.meta.url);
const { KmsPublicKey } = require(path.join(path.resolve(process.argv[2] ?? path.join(REPO, 'pkg', 'dist')), 'node.cjs'));
const F = require(path.join(REPO, 'tests', 'js', 'fixtures.cjs'));
const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));
const name = 'ECC_NIST_EDWARDS25519_SIGN_VERIFY', alg = 'ED25519_SHA_512';
const fx = fixtures[name];
const out = { ...fx.GetPublicKey, PublicKey: F.b64bytes(fx.GetPublicKey.PublicKey) };
const c = fx.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && s.SigningAlgorithm === alg);
const req = { Message: F.b64bytes(c.Message), Signature: F.b64bytes(c.Signature), SigningAlgorithm: alg };
const N = 300;
const acc = { load: 0, call: 0, settle: 0, free: 0, steadyCall: 0, steadySettle: 0, wcImport: 0, wcVerify: 0, decided: 0, syncVerify: 0 };
const bad = { ...req, Signature: new Uint8Array(63) };
const warm = KmsPublicKey.fromGetPublicKey(out); await warm.verifyAsync(req);
const spki = F.b64bytes(fx.GetPublicKey.PublicKey);
for (let round = 0; round < 3; round++) {
  for (const k of Object.keys(acc)) acc[k] = 0;
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const key = KmsPublicKey.fromGetPublicKey(out); let u = performance.now(); acc.load += u - t; t = u;
    const p = key.verifyAsync(req); u = performance.now(); acc.call += u - t; t = u;
    if (!(await p)) throw new Error('the fixture signature did not verify'); u = performance.now(); acc.settle += u - t; t = u;
    key.free(); u = performance.now(); acc.free += u - t; t = u;
    const p2 = warm.verifyAsync(req); u = performance.now(); acc.steadyCall += u - t; t = u;
    await p2; u = performance.now(); acc.steadySettle += u - t; t = u;
    const ck = await crypto.subtle.importKey('spki', spki, { name: 'Ed25519' }, false, ['verify']); u = performance.now(); acc.wcImport += u - t; t = u;
    await crypto.subtle.verify({ name: 'Ed25519' }, ck, req.Signature, req.Message); u = performance.now(); acc.wcVerify += u - t; t = u;
    for (let j = 0; j < 10; j++) warm.verifyAsync(bad); u = performance.now(); acc.decided += (u - t) / 10; t = u;
    warm.verify(req); u = performance.now(); acc.syncVerify += u - t; t = u;
  }
  console.log(Object.entries(acc).map(([k, v]) => `${k} ${(v * 1000 / N).toFixed(1)}`).join('  '));
}
