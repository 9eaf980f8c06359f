#!/usr/bin/env node
// Where a fresh key's first ...Async call spends its time in headless Chromium, next to WebCrypto's own one-shot
// (importKey + the operation), phase by phase (bench/NOTES.md §25). Per case and round, N one-shots of each kind in
// turn; prints µs per call (median of the rounds' averages):
//   ours        fromGetPublicKey (PublicKey as bytes) + the Async call + await + free   (the suite's one-shot)
//   wc          importKey('spki') + await + the operation + await                      (WebCrypto's one-shot)
//   load+free   fromGetPublicKey + free, nothing else (synchronous)
//   wc+load     WebCrypto's one-shot with our load and free around it (what ours would cost if the rest were free)
//   split       ours timed phase by phase with performance.now(): load / call (synchronous part) / settle / free
//   steady      a loaded key's Async call (ours) and a CryptoKey's operation (wc)
//
//   node bench/browser-phases.mjs [--dist DIR] [--before DIR] [--rounds N] [--n N] [--only REGEX]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO, commandLine } from './report.mjs';

const { opt } = commandLine(process.argv.slice(2));
const dist = path.resolve(opt('--dist') ?? path.join(REPO, 'pkg', 'dist'));
const before = opt('--before') && path.resolve(opt('--before'));
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MIME = { '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const q = new URLSearchParams(location.search);
const ROUNDS = Number(q.get('rounds')), N = Number(q.get('n')), only = new RegExp(q.get('only') || '.');
const builds = [['ours', await import('/dist/web.js')], ...(q.get('before') ? [['before', await import('/before/web.js')]] : [])];
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const fx = async (n) => (await fetch('/keys/' + n + '.json')).json();
const subtle = crypto.subtle;
const pick = (f, alg) => f.Signatures.find((s) => s.Valid && s.MessageType === 'RAW' && s.SigningAlgorithm === alg && /^95-byte/.test(s.Note));
async function verifyCase(name, keyName, alg, wcImport, wcOp) {
  const f = await fx(keyName); const s = pick(f, alg);
  const req = { Message: b64(s.Message), Signature: b64(s.Signature), SigningAlgorithm: alg, MessageType: 'RAW' };
  return { name, gpk: { ...f.GetPublicKey, PublicKey: b64(f.GetPublicKey.PublicKey) }, usage: 'verify', wcImport,
    ours: (k) => k.verifyAsync(req), wc: (ck) => subtle.verify(wcOp, ck, req.Signature, req.Message) };
}
const cases = [
  await verifyCase('rsa2048-pss', 'RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256', { name: 'RSA-PSS', hash: 'SHA-256' }, { name: 'RSA-PSS', saltLength: 32 }),
  await verifyCase('rsa2048-pkcs1', 'RSA_2048_SIGN_VERIFY', 'RSASSA_PKCS1_V1_5_SHA_256', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, { name: 'RSASSA-PKCS1-v1_5' }),
  await verifyCase('p256', 'ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256', { name: 'ECDSA', namedCurve: 'P-256' }, null),
  await verifyCase('ed25519', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512', { name: 'Ed25519' }, { name: 'Ed25519' }),
  await verifyCase('ml-dsa-44', 'ML_DSA_44_SIGN_VERIFY', 'ML_DSA_SHAKE_256', { name: 'ML-DSA-44' }, { name: 'ML-DSA-44' }),
];
{ // P-256: WebCrypto wants P1363 signatures; skip it as a WebCrypto comparison (ours only)
  cases[2].wc = null;
}
{
  const f = await fx('RSA_2048_ENCRYPT_DECRYPT'); const pt = new TextEncoder().encode('a 32-byte data key, for example!');
  const req = { Plaintext: pt, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' };
  cases.push({ name: 'rsa2048-oaep', gpk: { ...f.GetPublicKey, PublicKey: b64(f.GetPublicKey.PublicKey) }, usage: 'encrypt', wcImport: { name: 'RSA-OAEP', hash: 'SHA-256' },
    ours: (k) => k.encryptAsync(req), wc: (ck) => subtle.encrypt({ name: 'RSA-OAEP' }, ck, pt) });
}
{
  const f = await fx('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
  cases.push({ name: 'ml-kem-768', gpk: { ...f.GetPublicKey, PublicKey: b64(f.GetPublicKey.PublicKey) }, usage: 'encapsulateBits', wcImport: { name: 'ML-KEM-768' },
    ours: (k) => k.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' }), wc: (ck) => subtle.encapsulateBits({ name: 'ML-KEM-768' }, ck) });
}
const out = [];
for (const c of cases.filter((c) => only.test(c.name))) {
  let hasWc = !!c.wc;
  if (hasWc) try { await subtle.importKey('spki', c.gpk.PublicKey, c.wcImport, false, [c.usage]); } catch { hasWc = false; }
  const kinds = {};
  for (const [bname, lib] of builds) {
    const K = lib.KmsPublicKey;
    const warm = K.fromGetPublicKey(c.gpk); await c.ours(warm);
    kinds[bname + ' one-shot'] = async () => { const k = K.fromGetPublicKey(c.gpk); try { return await c.ours(k); } finally { k.free(); } };
    kinds[bname + ' load+free'] = async () => { K.fromGetPublicKey(c.gpk).free(); };
    kinds[bname + ' steady'] = () => c.ours(warm);
    kinds[bname + ' split'] = { split: true, run: async (acc) => {
      let t = performance.now(); const k = K.fromGetPublicKey(c.gpk); let u = performance.now(); acc.load += u - t; t = u;
      const p = c.ours(k); u = performance.now(); acc.call += u - t; t = u;
      await p; u = performance.now(); acc.settle += u - t; t = u;
      k.free(); u = performance.now(); acc.free += u - t;
    } };
    // the same JS↔wasm round trip as a load, without the load's work: is the penalty of interleaving the wasm's?
    if (hasWc && bname === 'ours') kinds['js garbage + wc one-shot'] = async () => { const junk = Array.from({ length: 40 }, (_, i) => ({ i, b: new Uint8Array(300) })); return [await c.wc(await subtle.importKey('spki', c.gpk.PublicKey, c.wcImport, false, [c.usage])), junk]; };
    if (hasWc) kinds[bname + ' load + wc one-shot + free'] = async () => { const k = K.fromGetPublicKey(c.gpk); try { return await c.wc(await subtle.importKey('spki', c.gpk.PublicKey, c.wcImport, false, [c.usage])); } finally { k.free(); } };
  }
  if (hasWc) {
    const ck = await subtle.importKey('spki', c.gpk.PublicKey, c.wcImport, false, [c.usage]);
    kinds['wc one-shot'] = async () => c.wc(await subtle.importKey('spki', c.gpk.PublicKey, c.wcImport, false, [c.usage]));
    kinds['wc steady'] = () => c.wc(ck);
    kinds['wc split'] = { split: true, run: async (acc) => {
      let t = performance.now(); const p = subtle.importKey('spki', c.gpk.PublicKey, c.wcImport, false, [c.usage]); let u = performance.now(); acc.load += u - t; t = u;
      const key = await p; u = performance.now(); acc.call += u - t; t = u;
      const r = c.wc(key); u = performance.now(); acc.settle += u - t; t = u;
      await r; u = performance.now(); acc.free += u - t;
    } };
  }
  if (q.get('profile')) { // bench/browser-phases.mjs --profile: the driver runs one kind under the CPU profiler
    window.__kinds = kinds;
    window.__loop = async (name, ms) => { const fn = kinds[name]; let n = 0; for (const t0 = performance.now(); performance.now() - t0 < ms; n++) await fn(); return n; };
    break;
  }
  const res = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  const entries = Object.entries(kinds);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < entries.length; i++) {
      const [kname, fn] = entries[(i + r) % entries.length];
      if (fn.split) {
        const acc = { load: 0, call: 0, settle: 0, free: 0 };
        for (let j = 0; j < N; j++) await fn.run(acc);
        res[kname].push(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, (v * 1000) / N])));
      } else {
        const t0 = performance.now();
        for (let j = 0; j < N; j++) await fn();
        res[kname].push(((performance.now() - t0) * 1000) / N);
      }
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const [kname, xs] of Object.entries(res)) {
    if (typeof xs[0] === 'number') out.push(c.name.padEnd(14) + kname.padEnd(34) + med(xs).toFixed(1));
    else out.push(c.name.padEnd(14) + kname.padEnd(34) + ['load', 'call', 'settle', 'free'].map((p) => p + ' ' + med(xs.map((x) => x[p])).toFixed(1)).join('  ') + (kname.startsWith('wc') ? '   (importKey call / await import / op call / await op)' : ''));
  }
}
window.__phases = out;
</script>`;

const mounts = [['/dist/', dist], ...(before ? [['/before/', before]] : []), ['/keys/', KEYS]];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' };
  if (url.pathname === '/') return res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end(PAGE);
  for (const [prefix, dir] of mounts) {
    if (!url.pathname.startsWith(prefix)) continue;
    const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) break;
    return res.writeHead(200, { ...headers, 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  }
  res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  const profile = opt('--profile'); // a kind name, e.g. 'ours one-shot': its self time by function, 3 s (with --only CASE)
  const qs = new URLSearchParams({ ...(profile ? { profile: '1' } : {}), rounds: opt('--rounds') ?? '7', n: opt('--n') ?? '200', only: opt('--only') ?? '', ...(before ? { before: '1' } : {}) });
  await page.goto(`http://127.0.0.1:${server.address().port}/?${qs}`);
  if (profile) {
    await page.waitForFunction(() => window.__loop, null, { timeout: 0, polling: 200 });
    await page.evaluate((k) => window.__loop(k, 1000), profile);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 20 });
    await cdp.send('Profiler.start');
    const calls = await page.evaluate((k) => window.__loop(k, 3000), profile);
    const { profile: prof } = await cdp.send('Profiler.stop');
    if (opt('--save')) fs.writeFileSync(opt('--save'), JSON.stringify(prof)); // a .cpuprofile (DevTools opens it)
    const self = new Map();
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const dt = prof.timeDeltas;
    prof.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (dt[i + 1] ?? 0));
    });
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`${profile}: ${calls} calls in 3 s = ${((3e6 / calls)).toFixed(1)} µs each; self time per call (µs):`);
    const category = (name) => /^wasm-function|^wasm-to-js|^js-to-wasm/.test(name) ? 'wasm and its crossings' : / web\.js:/.test(name) ? 'wasm-bindgen glue (web.js)' : /^(verify|importKey|encrypt|encapsulateBits|sign) /.test(name) ? 'WebCrypto (main thread)' : /^\((garbage collector|program|idle)\)/.test(name) ? name.split(' ')[0] : 'page script';
    const sums = new Map();
    for (const [name, us] of self) sums.set(category(name), (sums.get(category(name)) ?? 0) + us);
    console.log('  by category: ' + [...sums].sort((a, b) => b[1] - a[1]).map(([c, us]) => `${c} ${(us / calls).toFixed(1)}`).join(', '));
    for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(opt('--top') ?? 30))) console.log(`${(us / calls).toFixed(2).padStart(8)}  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${name}`);
    process.exitCode = 0;
  } else {
  await page.waitForFunction(() => window.__phases, null, { timeout: 0, polling: 500 });
  console.log(`µs per call, median of rounds; load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  for (const l of await page.evaluate(() => window.__phases)) console.log(l);
  }
} finally {
  await browser.close();
  server.close();
}
