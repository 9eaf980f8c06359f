#!/usr/bin/env node
// Where a WebCrypto-backed verifyAsync spends its time in Chromium, beside WebCrypto alone: steady and one-shot
// timings of RSA-2048 PSS (verifyAsync, a rules-only call, key loads, importKey) and, with --profile, V8's CPU
// profile of a verifyAsync loop (--oneshot: load + verifyAsync + free), self time by function.
//   node bench/cprobe.mjs [DIST] [--profile] [--oneshot]        (DIST: a dist dir with web.js; pkg/dist by default)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from './report.mjs';
const dist = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(REPO, 'pkg/dist'));
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
const { KmsPublicKey } = await import('/dist/web.js');
const fx = await (await fetch('/keys/RSA_2048_SIGN_VERIFY.json')).json();
const sig = fx.Signatures.find((s) => s.SigningAlgorithm === 'RSASSA_PSS_SHA_256' && s.MessageType === 'RAW');
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const req = { Message: b64(sig.Message), Signature: b64(sig.Signature), SigningAlgorithm: sig.SigningAlgorithm, MessageType: 'RAW' };
const bad = { ...req, Signature: req.Signature.subarray(1) };
const key = KmsPublicKey.fromGetPublicKey(fx.GetPublicKey);
const spki = b64(fx.GetPublicKey.PublicKey);
const ck = await crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
const json = JSON.stringify(fx.GetPublicKey);
const out = {};
async function time(name, fn, n = 4000) {
  for (let i = 0; i < 400; i++) await fn();
  const rounds = [];
  for (let r = 0; r < 5; r++) { const t = performance.now(); for (let i = 0; i < n / 5; i++) await fn(); rounds.push((performance.now() - t) / (n / 5) * 1000); }
  rounds.sort((a, b) => a - b); out[name] = rounds[2].toFixed(1);
}
window.run = async () => {
  await time('WebCrypto verify steady', () => crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, ck, req.Signature, req.Message));
  await time('verifyAsync steady', () => key.verifyAsync(req));
  await time('verifyAsync bad length (rules, Decided false)', () => key.verifyAsync(bad));
  await time('verify sync bad length (rules, false)', () => key.verify(bad));
  await time('load fromGetPublicKey(object) + free', () => KmsPublicKey.fromGetPublicKey(fx.GetPublicKey).free());
  await time('load fromGetPublicKey(json) + free', () => KmsPublicKey.fromGetPublicKey(json).free());
  await time('WebCrypto importKey', () => crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']), 2000);
  await time('WebCrypto one-shot', async () => { const k = await crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']); return crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, k, req.Signature, req.Message); }, 2000);
  await time('one-shot verifyAsync', async () => { const k = KmsPublicKey.fromGetPublicKey(fx.GetPublicKey); const v = await k.verifyAsync(req); k.free(); return v; }, 2000);
  return out;
};
window.profileLoop = async (n, oneShot) => { for (let i = 0; i < n; i++) { if (oneShot) { const k = KmsPublicKey.fromGetPublicKey(fx.GetPublicKey); await k.verifyAsync(req); k.free(); } else await key.verifyAsync(req); } };
window.ready = true;
</script>`;
const mounts = [['/dist/', dist], ['/keys/', path.join(REPO, 'tests/fixtures/keys')]];
const server = http.createServer((q, res) => {
  const url = new URL(q.url, 'http://x');
  const h = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  if (url.pathname === '/') { res.writeHead(200, { ...h, 'content-type': 'text/html' }); return res.end(PAGE); }
  for (const [p, d] of mounts) if (url.pathname.startsWith(p)) {
    const f = path.resolve(d, decodeURIComponent(url.pathname.slice(p.length)));
    if (!f.startsWith(d + path.sep) || !fs.existsSync(f)) break;
    const type = f.endsWith('.js') ? 'text/javascript' : f.endsWith('.wasm') ? 'application/wasm' : 'application/json';
    res.writeHead(200, { ...h, 'content-type': type }); return res.end(fs.readFileSync(f));
  }
  res.writeHead(404); res.end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForFunction(() => window.ready);
console.log(await page.evaluate(() => window.run()));
if (process.argv.includes('--profile')) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 }); await cdp.send('Profiler.start');
  await page.evaluate((o) => window.profileLoop(10000, o), process.argv.includes('--oneshot'));
  const { profile: p } = await cdp.send('Profiler.stop');
  const self = new Map(); const byId = new Map(p.nodes.map((n) => [n.id, n])); let total = 0;
  p.samples.forEach((id, i) => { const n = byId.get(id); const k = `${n.callFrame.functionName} ${(n.callFrame.url || '').split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) || 0) + p.timeDeltas[i]); total += p.timeDeltas[i]; });
  [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30).forEach(([k, v]) => console.log((v / total * 100).toFixed(1) + '%', k));
}
await browser.close(); server.close();
