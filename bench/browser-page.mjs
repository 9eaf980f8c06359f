// Runs in headless Chromium (served by bench/browser.mjs): the same suite as Node, with the browser's WebCrypto,
// kms-offline's web entry (dist/web.js, what bundlers and browsers get), @noble (pure ESM, via the import map) and
// jsrsasign, node-forge, elliptic, sm-crypto-v2 (bundled by bench/browser.mjs).
import { runSuite, equal, hex, pkcs8EcScalar } from '/bench/suite.mjs';

const params = new URLSearchParams(location.search);
const report = (window.__kmsReport = { log: [] });
const log = (l) => {
  report.log.push(l);
  console.log(l);
};

async function main() {
  const t0 = performance.now();
  const kms = await import('/dist/web.js');
  const readyMs = performance.now() - t0;
  const [{ p256, p384, p521 }, { secp256k1 }, { ed25519 }, { ml_dsa44, ml_dsa65, ml_dsa87 }, { ml_kem768 }] = await Promise.all([
    import('@noble/curves/nist.js'),
    import('@noble/curves/secp256k1.js'),
    import('@noble/curves/ed25519.js'),
    import('@noble/post-quantum/ml-dsa.js'),
    import('@noble/post-quantum/ml-kem.js'),
  ]);
  const { jsrsasign, forge, elliptic, smcrypto } = await import('/libs/libs.js');
  const names = await (await fetch('/fixture-names.json')).json();
  const fixtures = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await (await fetch(`/keys/${n}.json`)).json()])));
  const subtle = crypto.subtle;
  const env = {
    // bench/browser.mjs --before DIR: that build too, in the same rounds
    kms: [{ name: 'kms-offline', lib: kms }, ...(params.get('before') ? [{ name: 'kms-offline before', lib: await import('/before/web.js') }] : [])],
    subtle,
    noble: { p256, p384, p521, secp256k1, ed25519, ml_dsa44, ml_dsa65, ml_dsa87, ml_kem768 },
    jsrsasign,
    forge,
    elliptic,
    smcrypto,
    fixtures,
    check: {
      rsaOaepDecrypt: async (privateDer, ct, plaintext) => {
        const key = await subtle.importKey('pkcs8', privateDer, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
        return equal(new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, key, ct)), plaintext);
      },
      ecdh: async (cv, privateDer, ourSpki, z) => {
        const alg = { name: 'ECDH', namedCurve: cv.nist };
        const kmsKey = await subtle.importKey('pkcs8', privateDer, alg, false, ['deriveBits']);
        const ours = await subtle.importKey('spki', ourSpki, alg, false, []);
        return equal(new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: ours }, kmsKey, cv.n * 8)), z);
      },
      sm2Decrypt: (privateDer, ct, plaintext) => equal(smcrypto.sm2.doDecrypt(hex(ct), hex(pkcs8EcScalar(privateDer)), 1, { asn1: true, output: 'array' }), plaintext),
    },
  };
  const quick = params.get('quick') === '1';
  const only = params.get('only') ? new RegExp(params.get('only')) : undefined;
  report.rows = await runSuite(env, {
    now: () => performance.now(),
    ...(quick ? { warmupMs: 150, batchMs: 15, rounds: 7 } : { warmupMs: 400, batchMs: 30, rounds: 15 }),
    log,
    filter: (op) => (only ? only.test(op.id) : true),
    // let the page breathe between rounds (timers, GC) so one long task does not trip the renderer watchdog
    yieldEvery: () => new Promise((r) => setTimeout(r, 0)),
  });
  report.readyMs = readyMs;
  report.userAgent = navigator.userAgent;
  report.crossOriginIsolated = globalThis.crossOriginIsolated;
}

main()
  .catch((e) => {
    report.error = String(e?.stack ?? e);
  })
  .finally(() => {
    window.__kmsDone = true;
  });
