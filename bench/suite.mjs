// The benchmark suite, shared by Node (bench/run.mjs) and Chromium (bench/browser.mjs): every operation of
// kms-offline next to the alternatives a user would pick, on the same fixture keys and inputs.
//
// Nothing here imports a library: the runner passes what its runtime has in `env`:
//   env.kms        one or more kms-offline builds: [{ name, lib }] (lib exports KmsPublicKey)
//   env.subtle     WebCrypto's SubtleCrypto
//   env.node       node:crypto (Node only)
//   env.noble      { p256, p384, p521, secp256k1, ed25519, ml_dsa44, ml_dsa65, ml_dsa87, ml_kem768, sha256 }
//   env.jsrsasign, env.forge, env.elliptic, env.smcrypto   (Node; Chromium through a Vite bundle, bench/browser-libs.js)
//   env.fixtures   { [name]: parsed tests/fixtures/keys/<name>.json }
//   env.check      optional out-of-band checkers (decrypt with the private key, ECDH from the other side)
//   env.kemForCheck { ml_kem768 } from @noble/post-quantum, to decapsulate when noble is not itself benchmarked
//
// An operation is { id, title, group, family, impls: [impl] }; an impl is
//   { name, cat: 'kms'|'webcrypto'|'node'|'js', async, make(input) -> { steady(), oneshot(), check(result) } }
// `make` does the steady-state preparation (load the key once) outside any timing; `steady()` is one operation
// with the key already loaded, `oneshot()` is key loading + one operation from the bytes a user has.
// `check(result)` says whether the result is right: a verify must return true for the real signature (and
// false for a corrupted one: the runner calls make() again with `input.bad`).

// ---------------------------------------------------------------------------------------------- bytes
export const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export const hex = (u8) => {
  let s = '';
  for (let i = 0; i < u8.length; i++) s += HEX[u8[i]];
  return s;
};
export const fromHex = (h) => {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
};
const binstr = (u8) => {
  let s = '';
  for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]);
  return s;
};
const fromBinstr = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
export const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const corrupt = (sig) => {
  const bad = sig.slice();
  bad[bad.length - 5] ^= 0x01; // inside s (DER) / the last element (others)
  return bad;
};

/** DER Ecdsa-Sig-Value -> IEEE P1363 r||s (what WebCrypto takes). A WebCrypto user must do this for KMS signatures. */
export function derToP1363(der, n) {
  let i = 2;
  if (der[1] & 0x80) i = 2 + (der[1] & 0x7f);
  const out = new Uint8Array(2 * n);
  for (let k = 0; k < 2; k++) {
    if (der[i] !== 0x02) throw new Error('bad DER');
    let len = der[i + 1];
    let start = i + 2;
    i = start + len;
    while (len > n && der[start] === 0) {
      start++;
      len--;
    }
    if (len > n) throw new Error('bad DER');
    out.set(der.subarray(start, start + len), k * n + (n - len));
  }
  return out;
}

/** The scalar of a PKCS#8 EC private key (ECPrivateKey: INTEGER 1, OCTET STRING d). */
export function pkcs8EcScalar(der) {
  for (let i = 0; i + 5 < der.length; i++) {
    if (der[i] === 0x02 && der[i + 1] === 0x01 && der[i + 2] === 0x01 && der[i + 3] === 0x04 && [32, 48, 66].includes(der[i + 4])) {
      return der.slice(i + 5, i + 5 + der[i + 4]);
    }
  }
  throw new Error('no EC scalar found in PKCS#8');
}

const pemBody = (pem) => b64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
const utf8 = (s) => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------------------------- inputs
/** What every library needs about one fixture key, derived once. */
function keyInfo(fx) {
  const gpk = fx.GetPublicKey;
  const spki = b64(gpk.PublicKey);
  return {
    gpk,
    // The SDK's GetPublicKeyCommand output shape: PublicKey as bytes.
    sdk: { ...gpk, PublicKey: spki },
    spki,
    pem: fx.PublicKeyPem,
    privatePem: fx.PrivateKeyPem,
    privateDer: fx.PrivateKeyPem ? pemBody(fx.PrivateKeyPem) : undefined,
    seed: fx.PrivateKeySeed ? b64(fx.PrivateKeySeed) : undefined,
  };
}

/** The one signature each verify benchmark uses: valid, RAW, over the 95-byte text message, low-S where both exist. */
function pickSignature(fx, algorithm) {
  const valid = fx.Signatures.filter(
    (s) => s.Valid && s.MessageType === 'RAW' && s.SigningAlgorithm === algorithm && /^95-byte text message; signed by/.test(s.Note),
  );
  const pick = valid.find((s) => /low-S/.test(s.Note)) ?? valid[0];
  if (!pick) throw new Error(`no valid RAW signature for ${algorithm} in ${fx.GetPublicKey.KeySpec}`);
  return { message: b64(pick.Message), signature: b64(pick.Signature), algorithm, note: pick.Note };
}

// ---------------------------------------------------------------------------------------------- operations
const CURVES = {
  ECC_NIST_P256: { nist: 'P-256', node: 'prime256v1', noble: 'p256', elliptic: 'p256', jsr: 'SHA256withECDSA', hash: 'SHA-256', n: 32, sig: 'ECDSA_SHA_256' },
  ECC_NIST_P384: { nist: 'P-384', node: 'secp384r1', noble: 'p384', elliptic: 'p384', jsr: 'SHA384withECDSA', hash: 'SHA-384', n: 48, sig: 'ECDSA_SHA_384' },
  ECC_NIST_P521: { nist: 'P-521', node: 'secp521r1', noble: 'p521', elliptic: 'p521', jsr: 'SHA512withECDSA', hash: 'SHA-512', n: 66, sig: 'ECDSA_SHA_512' },
  ECC_SECG_P256K1: { nist: null, node: 'secp256k1', noble: 'secp256k1', elliptic: 'secp256k1', jsr: 'SHA256withECDSA', hash: 'SHA-256', n: 32, sig: 'ECDSA_SHA_256' },
};
const nodeHash = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/**
 * kms-offline impls for every build in env.kms: `run(key, input)` is one operation with a loaded key (a promise
 * when `async`). steady = the key loaded once; one-shot = fromGetPublicKey + the operation + free. The async
 * impls (verifyAsync, encryptAsync, deriveSharedSecretAsync: rules in Rust, arithmetic by WebCrypto) are named
 * "<build> async" and exist for builds that have them (their CryptoKey is cached after the first call).
 */
function kmsImpls(env, info, run, check, { async = false, method = 'verifyAsync' } = {}) {
  const builds = async ? env.kms.filter(({ lib }) => typeof lib.KmsPublicKey.prototype[method] === 'function') : env.kms;
  return builds.map(({ name, lib }) => ({
    name: async ? `${name} async` : name, cat: 'kms', async,
    make: (input) => {
      const load = () => lib.KmsPublicKey.fromGetPublicKey(info.sdk);
      const key = load();
      const oneshot = async
        ? async () => {
            const k = load();
            try {
              return await run(k, input);
            } finally {
              k.free();
            }
          }
        : () => {
            const k = load();
            try {
              return run(k, input);
            } finally {
              k.free();
            }
          };
      return { steady: () => run(key, input), oneshot, check };
    },
  }));
}

const kmsAsyncImpls = (env, info, run, check, method) => kmsImpls(env, info, run, check, { async: true, method });

/** Verify of the fixture signature (or the corrupted one in `input`), RAW. */
const verifyRequest = (sig, input) => ({ Message: sig.message, Signature: input.signature, SigningAlgorithm: sig.algorithm, MessageType: 'RAW' });
const kmsVerifyImpls = (env, info, sig) => kmsImpls(env, info, (key, input) => key.verify(verifyRequest(sig, input)), (r) => r === true);

/** verifyAsync of the fixture signature (or the corrupted one in `input`). */
const verifyAsync = (sig) => (key, input) => key.verifyAsync(verifyRequest(sig, input));

export function defineOperations(env) {
  const F = env.fixtures;
  const ops = [];
  const has = (name) => F[name] !== undefined;

  // ------------------------------------------------------------------ RSA verify (PSS and PKCS#1 v1.5, SHA-256)
  for (const [spec, bits] of [['RSA_2048', 2048], ['RSA_4096', 4096]]) {
    const name = `${spec}_SIGN_VERIFY`;
    if (!has(name)) continue;
    const info = keyInfo(F[name]);
    for (const [scheme, algorithm] of [['PSS', 'RSASSA_PSS_SHA_256'], ['PKCS1', 'RSASSA_PKCS1_V1_5_SHA_256']]) {
      if (bits === 4096 && scheme === 'PKCS1') continue;
      const sig = pickSignature(F[name], algorithm);
      const wcAlg = scheme === 'PSS' ? { name: 'RSA-PSS', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
      const wcParams = scheme === 'PSS' ? { name: 'RSA-PSS', saltLength: 32 } : { name: 'RSASSA-PKCS1-v1_5' };
      const impls = [...kmsVerifyImpls(env, info, sig), ...kmsAsyncImpls(env, info, verifyAsync(sig), (r) => r === true)];
      if (env.subtle) {
        const subtle = env.subtle;
        impls.push({
          name: 'WebCrypto', cat: 'webcrypto', async: true,
          make: async (input) => {
            const key = await subtle.importKey('spki', info.spki, wcAlg, false, ['verify']);
            return {
              steady: () => subtle.verify(wcParams, key, input.signature, sig.message),
              oneshot: async () => subtle.verify(wcParams, await subtle.importKey('spki', info.spki, wcAlg, false, ['verify']), input.signature, sig.message),
              check: (r) => r === true,
            };
          },
        });
      }
      if (env.node) {
        const c = env.node;
        const opts = (key) => (scheme === 'PSS' ? { key, padding: c.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key, padding: c.constants.RSA_PKCS1_PADDING });
        impls.push({
          name: 'node:crypto', cat: 'node', async: false,
          make: (input) => {
            const key = c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' });
            return {
              steady: () => c.verify('sha256', sig.message, opts(key), input.signature),
              oneshot: () => c.verify('sha256', sig.message, opts(c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' })), input.signature),
              check: (r) => r === true,
            };
          },
        });
      }
      if (env.jsrsasign) {
        const { KEYUTIL, KJUR } = env.jsrsasign;
        const alg = scheme === 'PSS' ? { alg: 'SHA256withRSAandMGF1', psssaltlen: 32 } : { alg: 'SHA256withRSA' };
        impls.push({
          name: 'jsrsasign', cat: 'js', async: false,
          make: (input) => {
            const key = KEYUTIL.getKey(info.pem);
            const msgHex = hex(sig.message);
            const sigHex = hex(input.signature);
            const run = (k) => {
              const v = new KJUR.crypto.Signature(alg);
              v.init(k);
              v.updateHex(msgHex);
              return v.verify(sigHex);
            };
            return { steady: () => run(key), oneshot: () => run(KEYUTIL.getKey(info.pem)), check: (r) => r === true };
          },
        });
      }
      if (env.forge) {
        const forge = env.forge;
        impls.push({
          name: 'node-forge', cat: 'js', async: false,
          make: (input) => {
            const key = forge.pki.publicKeyFromPem(info.pem);
            const msg = binstr(sig.message);
            const s = binstr(input.signature);
            const run = (k) => {
              const md = forge.md.sha256.create();
              md.update(msg);
              if (scheme === 'PSS') {
                const pss = forge.pss.create({ md: forge.md.sha256.create(), mgf: forge.mgf.mgf1.create(forge.md.sha256.create()), saltLength: 32 });
                return k.verify(md.digest().bytes(), s, pss);
              }
              return k.verify(md.digest().bytes(), s);
            };
            return {
              steady: () => {
                try {
                  return run(key);
                } catch {
                  return false;
                }
              },
              oneshot: () => {
                try {
                  return run(forge.pki.publicKeyFromPem(info.pem));
                } catch {
                  return false;
                }
              },
              check: (r) => r === true,
            };
          },
        });
      }
      ops.push({
        id: `verify-${spec.toLowerCase().replace('_', '')}-${scheme.toLowerCase()}`,
        title: `RSA-${bits} ${scheme === 'PSS' ? 'PSS' : 'PKCS#1 v1.5'} SHA-256 verify`,
        group: 'verify', family: 'rsa', input: { signature: sig.signature, bad: { signature: corrupt(sig.signature) } },
        impls,
      });
    }
  }

  // ------------------------------------------------------------------ ECDSA verify (P-256, P-384, P-521, secp256k1)
  for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1']) {
    const name = `${spec}_SIGN_VERIFY`;
    if (!has(name)) continue;
    const cv = CURVES[spec];
    const info = keyInfo(F[name]);
    const sig = pickSignature(F[name], cv.sig);
    const raw = info.spki.slice(info.spki.length - (1 + 2 * cv.n));
    const impls = [...kmsVerifyImpls(env, info, sig), ...(cv.nist ? kmsAsyncImpls(env, info, verifyAsync(sig), (r) => r === true) : [])];
    if (env.subtle && cv.nist) {
      const subtle = env.subtle;
      const alg = { name: 'ECDSA', namedCurve: cv.nist };
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        make: async (input) => {
          const key = await subtle.importKey('spki', info.spki, alg, false, ['verify']);
          // WebCrypto takes r||s, KMS returns DER: the conversion is part of using WebCrypto with KMS.
          const p1363 = (d) => {
            try {
              return derToP1363(d, cv.n);
            } catch {
              return new Uint8Array(2 * cv.n);
            }
          };
          return {
            steady: () => subtle.verify({ name: 'ECDSA', hash: cv.hash }, key, p1363(input.signature), sig.message),
            oneshot: async () =>
              subtle.verify({ name: 'ECDSA', hash: cv.hash }, await subtle.importKey('spki', info.spki, alg, false, ['verify']), p1363(input.signature), sig.message),
            check: (r) => r === true,
          };
        },
      });
    }
    if (env.node) {
      const c = env.node;
      impls.push({
        name: 'node:crypto', cat: 'node', async: false,
        make: (input) => {
          const key = c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' });
          const h = nodeHash[cv.hash];
          return {
            steady: () => c.verify(h, sig.message, key, input.signature),
            oneshot: () => c.verify(h, sig.message, c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' }), input.signature),
            check: (r) => r === true,
          };
        },
      });
    }
    if (env.noble?.[cv.noble]) {
      const curve = env.noble[cv.noble];
      impls.push({
        name: '@noble/curves', cat: 'js', async: false,
        make: (input) => {
          // noble takes the raw point; it hashes the message itself (prehash) and accepts high-S with lowS: false.
          const opts = { lowS: false, format: 'der' };
          const run = (pub) => {
            try {
              return curve.verify(input.signature, sig.message, pub, opts);
            } catch {
              return false;
            }
          };
          return { steady: () => run(raw), oneshot: () => run(info.spki.slice(info.spki.length - raw.length)), check: (r) => r === true };
        },
      });
    }
    if (env.jsrsasign) {
      const { KEYUTIL, KJUR } = env.jsrsasign;
      impls.push({
        name: 'jsrsasign', cat: 'js', async: false,
        make: (input) => {
          const key = KEYUTIL.getKey(info.pem);
          const msgHex = hex(sig.message);
          const sigHex = hex(input.signature);
          const run = (k) => {
            const v = new KJUR.crypto.Signature({ alg: cv.jsr });
            v.init(k);
            v.updateHex(msgHex);
            return v.verify(sigHex);
          };
          return { steady: () => run(key), oneshot: () => run(KEYUTIL.getKey(info.pem)), check: (r) => r === true };
        },
      });
    }
    if (env.elliptic && env.node) {
      // elliptic takes a digest; node:crypto hashes (the fastest hash a Node user of elliptic has).
      const ec = new env.elliptic.ec(cv.elliptic);
      const c = env.node;
      impls.push({
        name: 'elliptic', cat: 'js', async: false,
        make: (input) => {
          const key = ec.keyFromPublic(hex(raw), 'hex');
          const sigArr = Array.from(input.signature);
          const run = (k) => {
            try {
              return k.verify(c.createHash(nodeHash[cv.hash]).update(sig.message).digest(), sigArr);
            } catch {
              return false;
            }
          };
          return { steady: () => run(key), oneshot: () => run(ec.keyFromPublic(hex(raw), 'hex')), check: (r) => r === true };
        },
      });
    }
    ops.push({
      id: `verify-${cv.node}`,
      title: `ECDSA ${cv.nist ?? 'secp256k1'} ${cv.hash} verify`,
      group: 'verify', family: cv.nist ? 'ecdsa-nist' : 'secp256k1',
      input: { signature: sig.signature, bad: { signature: corrupt(sig.signature) } },
      impls,
    });
  }

  // ------------------------------------------------------------------ SM2DSA verify
  if (has('SM2_SIGN_VERIFY')) {
    const info = keyInfo(F.SM2_SIGN_VERIFY);
    const sig = pickSignature(F.SM2_SIGN_VERIFY, 'SM2DSA');
    const impls = [...kmsVerifyImpls(env, info, sig)];
    if (env.smcrypto) {
      const { sm2 } = env.smcrypto;
      const pubHex = hex(info.spki.slice(info.spki.length - 65));
      for (const pre of [false, true]) {
        impls.push({
          name: pre ? 'sm-crypto-v2 (precomputed key)' : 'sm-crypto-v2', cat: 'js', async: false,
          make: (input) => {
            const sigHex = hex(input.signature);
            // userId defaults to 1234567812345678, KMS's ID; hash: true computes e = SM3(Z_A || M).
            const key = pre ? sm2.precomputePublicKey(pubHex) : pubHex;
            const run = (k) => {
              try {
                return sm2.doVerifySignature(sig.message, sigHex, k, { der: true, hash: true, publicKey: pubHex });
              } catch {
                return false;
              }
            };
            // Precomputing a table for one operation is never what a user does: no one-shot for that variant.
            return { steady: () => run(key), oneshot: pre ? undefined : () => run(pubHex), check: (r) => r === true };
          },
        });
      }
    }
    ops.push({
      id: 'verify-sm2', title: 'SM2DSA verify (SM3, ID 1234567812345678)', group: 'verify', family: 'sm2',
      input: { signature: sig.signature, bad: { signature: corrupt(sig.signature) } }, impls,
    });
  }

  // ------------------------------------------------------------------ Ed25519 verify
  if (has('ECC_NIST_EDWARDS25519_SIGN_VERIFY')) {
    const fx = F.ECC_NIST_EDWARDS25519_SIGN_VERIFY;
    const info = keyInfo(fx);
    const sig = pickSignature(fx, 'ED25519_SHA_512');
    const raw = info.spki.slice(info.spki.length - 32);
    const impls = [...kmsVerifyImpls(env, info, sig), ...kmsAsyncImpls(env, info, verifyAsync(sig), (r) => r === true)];
    if (env.subtle) {
      const subtle = env.subtle;
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        probe: async () => subtle.importKey('spki', info.spki, { name: 'Ed25519' }, false, ['verify']),
        make: async (input) => {
          const key = await subtle.importKey('spki', info.spki, { name: 'Ed25519' }, false, ['verify']);
          return {
            steady: () => subtle.verify({ name: 'Ed25519' }, key, input.signature, sig.message),
            oneshot: async () => subtle.verify({ name: 'Ed25519' }, await subtle.importKey('spki', info.spki, { name: 'Ed25519' }, false, ['verify']), input.signature, sig.message),
            check: (r) => r === true,
          };
        },
      });
    }
    if (env.node) {
      const c = env.node;
      impls.push({
        name: 'node:crypto', cat: 'node', async: false,
        make: (input) => {
          const key = c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' });
          return {
            steady: () => c.verify(null, sig.message, key, input.signature),
            oneshot: () => c.verify(null, sig.message, c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' }), input.signature),
            check: (r) => r === true,
          };
        },
      });
    }
    if (env.noble?.ed25519) {
      const { ed25519 } = env.noble;
      impls.push({
        name: '@noble/curves', cat: 'js', async: false,
        make: (input) => {
          const run = (pub) => {
            try {
              return ed25519.verify(input.signature, sig.message, pub);
            } catch {
              return false;
            }
          };
          return { steady: () => run(raw), oneshot: () => run(info.spki.slice(info.spki.length - 32)), check: (r) => r === true };
        },
      });
    }
    if (env.elliptic) {
      const ed = new env.elliptic.eddsa('ed25519');
      impls.push({
        name: 'elliptic', cat: 'js', async: false,
        make: (input) => {
          const key = ed.keyFromPublic(hex(raw));
          const msg = Array.from(sig.message);
          const s = hex(input.signature);
          const run = (k) => {
            try {
              return k.verify(msg, s);
            } catch {
              return false;
            }
          };
          return { steady: () => run(key), oneshot: () => run(ed.keyFromPublic(hex(raw))), check: (r) => r === true };
        },
      });
    }
    if (env.forge) {
      const ed = env.forge.pki.ed25519;
      impls.push({
        name: 'node-forge', cat: 'js', async: false,
        make: (input) => {
          const run = (pub) => {
            try {
              return ed.verify({ message: sig.message, signature: input.signature, publicKey: pub });
            } catch {
              return false;
            }
          };
          return { steady: () => run(raw), oneshot: () => run(info.spki.slice(info.spki.length - 32)), check: (r) => r === true };
        },
      });
    }
    ops.push({
      id: 'verify-ed25519', title: 'Ed25519 verify', group: 'verify', family: 'ed25519',
      input: { signature: sig.signature, bad: { signature: corrupt(sig.signature) } }, impls,
    });
  }

  // ------------------------------------------------------------------ ML-DSA verify
  for (const level of [44, 65, 87]) {
    const name = `ML_DSA_${level}_SIGN_VERIFY`;
    if (!has(name)) continue;
    const info = keyInfo(F[name]);
    const sig = pickSignature(F[name], 'ML_DSA_SHAKE_256');
    const pkLen = { 44: 1312, 65: 1952, 87: 2592 }[level];
    const raw = info.spki.slice(info.spki.length - pkLen);
    const impls = [...kmsVerifyImpls(env, info, sig), ...kmsAsyncImpls(env, info, verifyAsync(sig), (r) => r === true)];
    if (env.subtle) {
      const subtle = env.subtle;
      const alg = { name: `ML-DSA-${level}` };
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        probe: async () => subtle.importKey('spki', info.spki, alg, false, ['verify']),
        make: async (input) => {
          const key = await subtle.importKey('spki', info.spki, alg, false, ['verify']);
          return {
            steady: () => subtle.verify(alg, key, input.signature, sig.message),
            oneshot: async () => subtle.verify(alg, await subtle.importKey('spki', info.spki, alg, false, ['verify']), input.signature, sig.message),
            check: (r) => r === true,
          };
        },
      });
    }
    if (env.noble?.[`ml_dsa${level}`]) {
      const impl = env.noble[`ml_dsa${level}`];
      impls.push({
        name: '@noble/post-quantum', cat: 'js', async: false,
        make: (input) => {
          const run = (pub) => {
            try {
              return impl.verify(input.signature, sig.message, pub);
            } catch {
              return false;
            }
          };
          return { steady: () => run(raw), oneshot: () => run(info.spki.slice(info.spki.length - pkLen)), check: (r) => r === true };
        },
      });
    }
    ops.push({
      id: `verify-ml-dsa-${level}`, title: `ML-DSA-${level} verify`, group: 'verify', family: 'ml-dsa',
      input: { signature: sig.signature, bad: { signature: corrupt(sig.signature) } }, impls,
    });
  }

  // ------------------------------------------------------------------ RSA OAEP-SHA-256 encrypt
  for (const spec of ['RSA_2048']) {
    const name = `${spec}_ENCRYPT_DECRYPT`;
    if (!has(name)) continue;
    const info = keyInfo(F[name]);
    const plaintext = utf8('a 32-byte data key, for example!');
    const decrypts = (ct) => env.check?.rsaOaepDecrypt ? env.check.rsaOaepDecrypt(info.privateDer, ct, plaintext) : undefined;
    const request = { Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' };
    const impls = [
      ...kmsImpls(env, info, (key) => key.encrypt(request).CiphertextBlob, decrypts),
      ...kmsAsyncImpls(env, info, async (key) => (await key.encryptAsync(request)).CiphertextBlob, decrypts),
    ];
    if (env.subtle) {
      const subtle = env.subtle;
      const alg = { name: 'RSA-OAEP', hash: 'SHA-256' };
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        make: async () => {
          const key = await subtle.importKey('spki', info.spki, alg, false, ['encrypt']);
          return {
            steady: async () => new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, key, plaintext)),
            oneshot: async () => new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, await subtle.importKey('spki', info.spki, alg, false, ['encrypt']), plaintext)),
            check: decrypts,
          };
        },
      });
    }
    if (env.node) {
      const c = env.node;
      impls.push({
        name: 'node:crypto', cat: 'node', async: false,
        make: () => {
          const key = c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' });
          const enc = (k) => c.publicEncrypt({ key: k, padding: c.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, plaintext);
          return { steady: () => enc(key), oneshot: () => enc(c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' })), check: decrypts };
        },
      });
    }
    // jsrsasign 11 has no RSA encryption (KJUR.crypto.Cipher.encrypt does symmetric CBC only): n/a.
    if (env.forge) {
      const forge = env.forge;
      impls.push({
        name: 'node-forge', cat: 'js', async: false,
        make: () => {
          const key = forge.pki.publicKeyFromPem(info.pem);
          const pt = binstr(plaintext);
          const enc = (k) => fromBinstr(k.encrypt(pt, 'RSA-OAEP', { md: forge.md.sha256.create(), mgf1: { md: forge.md.sha256.create() } }));
          return { steady: () => enc(key), oneshot: () => enc(forge.pki.publicKeyFromPem(info.pem)), check: decrypts };
        },
      });
    }
    ops.push({ id: 'encrypt-rsa2048-oaep256', title: 'RSA-2048 OAEP-SHA-256 encrypt (32 B)', group: 'encrypt', family: 'rsa', input: {}, impls });
  }

  // ------------------------------------------------------------------ SM2PKE encrypt
  if (has('SM2_ENCRYPT_DECRYPT')) {
    const info = keyInfo(F.SM2_ENCRYPT_DECRYPT);
    const plaintext = utf8('a 32-byte data key, for example!');
    const decrypts = (ct) => (env.check?.sm2Decrypt ? env.check.sm2Decrypt(info.privateDer, ct, plaintext) : undefined);
    const impls = kmsImpls(env, info, (key) => key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'SM2PKE' }).CiphertextBlob, decrypts);
    if (env.smcrypto) {
      const { sm2 } = env.smcrypto;
      const pubHex = hex(info.spki.slice(info.spki.length - 65));
      for (const pre of [false, true]) {
        impls.push({
          name: pre ? 'sm-crypto-v2 (precomputed key)' : 'sm-crypto-v2', cat: 'js', async: false,
          make: () => {
            const key = pre ? sm2.precomputePublicKey(pubHex) : pubHex;
            // C1C3C2 in ASN.1: the DER SEQUENCE { x, y, C3, C2 } KMS Decrypt takes.
            const enc = (k) => fromHex(sm2.doEncrypt(plaintext, k, 1, { asn1: true }));
            return { steady: () => enc(key), oneshot: pre ? undefined : () => enc(pubHex), check: decrypts };
          },
        });
      }
    }
    ops.push({ id: 'encrypt-sm2pke', title: 'SM2PKE encrypt (32 B)', group: 'encrypt', family: 'sm2', input: {}, impls });
  }

  // ------------------------------------------------------------------ ECDH (ephemeral key pair, as DeriveSharedSecret's other side)
  for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521']) {
    const name = `${spec}_KEY_AGREEMENT`;
    if (!has(name)) continue;
    const cv = CURVES[spec];
    const info = keyInfo(F[name]);
    const raw = info.spki.slice(info.spki.length - (1 + 2 * cv.n));
    // Our SPKI has the KMS key's structure: same AlgorithmIdentifier, same point length.
    const prefix = info.spki.slice(0, info.spki.length - raw.length);
    // Each result is { spki, z }: our public key as DER SPKI (what KMS DeriveSharedSecret takes) and Z.
    const check = (r) => (env.check?.ecdh ? env.check.ecdh(cv, info.privateDer, r.spki, r.z) : undefined);
    const req = { KeyAgreementAlgorithm: 'ECDH' };
    const out = (r) => ({ spki: r.PublicKey, z: r.SharedSecret });
    const impls = [
      ...kmsImpls(env, info, (key) => out(key.deriveSharedSecret(req)), check),
      ...kmsAsyncImpls(env, info, async (key) => out(await key.deriveSharedSecretAsync(req)), check),
    ];
    if (env.subtle) {
      const subtle = env.subtle;
      const alg = { name: 'ECDH', namedCurve: cv.nist };
      const bits = cv.n * 8;
      const run = async (kms) => {
        const ours = await subtle.generateKey(alg, false, ['deriveBits']);
        const [z, spki] = await Promise.all([
          subtle.deriveBits({ name: 'ECDH', public: kms }, ours.privateKey, bits),
          subtle.exportKey('spki', ours.publicKey),
        ]);
        return { spki: new Uint8Array(spki), z: new Uint8Array(z) };
      };
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        make: async () => {
          const kms = await subtle.importKey('spki', info.spki, alg, false, []);
          return { steady: () => run(kms), oneshot: async () => run(await subtle.importKey('spki', info.spki, alg, false, [])), check };
        },
      });
    }
    if (env.node) {
      const c = env.node;
      impls.push({
        name: 'node:crypto', cat: 'node', async: false,
        make: () => {
          const run = (kmsRaw) => {
            const ecdh = c.createECDH(cv.node);
            const pub = ecdh.generateKeys();
            return { spki: concat(prefix, pub), z: new Uint8Array(ecdh.computeSecret(kmsRaw)) };
          };
          // node's ECDH takes the raw point; "loading" it is decoding the SPKI's last bytes.
          return { steady: () => run(raw), oneshot: () => run(info.spki.slice(info.spki.length - raw.length)), check };
        },
      });
    }
    if (env.noble?.[cv.noble]) {
      const curve = env.noble[cv.noble];
      impls.push({
        name: '@noble/curves', cat: 'js', async: false,
        make: () => {
          const run = (kmsRaw) => {
            const sk = curve.utils.randomSecretKey();
            const pub = curve.getPublicKey(sk, false);
            return { spki: concat(prefix, pub), z: curve.getSharedSecret(sk, kmsRaw).subarray(1) };
          };
          return { steady: () => run(raw), oneshot: () => run(info.spki.slice(info.spki.length - raw.length)), check };
        },
      });
    }
    if (env.elliptic) {
      const ec = new env.elliptic.ec(cv.elliptic);
      impls.push({
        name: 'elliptic', cat: 'js', async: false,
        make: () => {
          const kmsKey = ec.keyFromPublic(hex(raw), 'hex');
          const run = (k) => {
            const ours = ec.genKeyPair();
            return { spki: concat(prefix, Uint8Array.from(ours.getPublic(false, 'array'))), z: Uint8Array.from(ours.derive(k.getPublic()).toArray('be', cv.n)) };
          };
          return { steady: () => run(kmsKey), oneshot: () => run(ec.keyFromPublic(hex(raw), 'hex')), check };
        },
      });
    }
    ops.push({ id: `ecdh-${cv.node}`, title: `ECDH ${cv.nist} (ephemeral key, Z + SPKI)`, group: 'ecdh', family: 'ecdh', input: {}, impls });
  }

  // ------------------------------------------------------------------ ML-KEM-768 encapsulate
  for (const level of [768]) {
    const name = `ML_KEM_${level}_ENCAPSULATE_DECAPSULATE`;
    if (!has(name)) continue;
    const info = keyInfo(F[name]);
    const ekLen = { 512: 800, 768: 1184, 1024: 1568 }[level];
    const raw = info.spki.slice(info.spki.length - ekLen);
    const kem = env.noble?.[`ml_kem${level}`] ?? env.kemForCheck?.[`ml_kem${level}`];
    const sk = kem && info.seed ? kem.keygen(info.seed).secretKey : undefined;
    // Each result is { ct, ss }; checked by decapsulating with the fixture's private key (noble).
    const check = (r) => (sk ? equal(kem.decapsulate(r.ct, sk), r.ss) : undefined);
    const response = (r) => ({ ct: r.SharedSecretCiphertextBlob, ss: r.SharedSecret });
    const impls = [
      ...kmsImpls(env, info, (key) => response(key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' })), check),
      ...kmsAsyncImpls(env, info, async (key) => response(await key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' })), check, 'encapsulateAsync'),
    ];
    if (env.subtle) {
      const subtle = env.subtle;
      const alg = { name: `ML-KEM-${level}` };
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        probe: async () => subtle.importKey('spki', info.spki, alg, false, ['encapsulateBits']),
        make: async () => {
          const key = await subtle.importKey('spki', info.spki, alg, false, ['encapsulateBits']);
          const run = async (k) => {
            const r = await subtle.encapsulateBits(alg, k);
            return { ct: new Uint8Array(r.ciphertext), ss: new Uint8Array(r.sharedKey) };
          };
          return { steady: () => run(key), oneshot: async () => run(await subtle.importKey('spki', info.spki, alg, false, ['encapsulateBits'])), check };
        },
      });
    }
    if (env.noble?.[`ml_kem${level}`]) {
      impls.push({
        name: '@noble/post-quantum', cat: 'js', async: false,
        make: () => {
          // Steady uses noble's prepared key (Â expanded once), its fastest documented path.
          const prepared = kem.prepare ? kem.prepare(raw) : undefined;
          const out = (r) => ({ ct: r.cipherText, ss: r.sharedSecret });
          return {
            steady: prepared ? () => out(prepared.encapsulate()) : () => out(kem.encapsulate(raw)),
            oneshot: () => out(kem.encapsulate(info.spki.slice(info.spki.length - ekLen))),
            check,
          };
        },
      });
    }
    ops.push({ id: `encapsulate-ml-kem-${level}`, title: `ML-KEM-${level} encapsulate`, group: 'kem', family: 'ml-kem', input: {}, impls });
  }

  // ------------------------------------------------------------------ key load alone (GetPublicKey output -> usable key)
  const loads = [
    ['RSA_2048_SIGN_VERIFY', 'RSA-2048', { name: 'RSA-PSS', hash: 'SHA-256' }, ['verify']],
    ['ECC_NIST_P256_SIGN_VERIFY', 'P-256', { name: 'ECDSA', namedCurve: 'P-256' }, ['verify']],
    ['ECC_NIST_P384_SIGN_VERIFY', 'P-384', { name: 'ECDSA', namedCurve: 'P-384' }, ['verify']],
    ['ECC_NIST_P521_SIGN_VERIFY', 'P-521', { name: 'ECDSA', namedCurve: 'P-521' }, ['verify']],
    ['ECC_SECG_P256K1_SIGN_VERIFY', 'secp256k1', null, null],
    ['SM2_SIGN_VERIFY', 'SM2', null, null],
    ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'Ed25519', { name: 'Ed25519' }, ['verify']],
    ['ML_DSA_65_SIGN_VERIFY', 'ML-DSA-65', { name: 'ML-DSA-65' }, ['verify']],
    ['ML_KEM_768_ENCAPSULATE_DECAPSULATE', 'ML-KEM-768', { name: 'ML-KEM-768' }, ['encapsulateBits']],
  ];
  for (const [name, label, wcAlg, usages] of loads) {
    if (!has(name)) continue;
    const info = keyInfo(F[name]);
    const impls = env.kms.map(({ name: build, lib }) => ({
      name: build, cat: 'kms', async: false,
      make: () => ({
        steady: () => {
          const k = lib.KmsPublicKey.fromGetPublicKey(info.sdk);
          const spec = k.keySpec;
          k.free();
          return spec;
        },
        oneshot: undefined,
        check: (r) => r === info.gpk.KeySpec,
      }),
    }));
    if (env.subtle && wcAlg) {
      const subtle = env.subtle;
      impls.push({
        name: 'WebCrypto', cat: 'webcrypto', async: true,
        probe: async () => subtle.importKey('spki', info.spki, wcAlg, false, usages),
        make: async () => ({ steady: () => subtle.importKey('spki', info.spki, wcAlg, false, usages), check: (r) => r?.type === 'public' }),
      });
    }
    if (env.node) {
      const c = env.node;
      impls.push({
        name: 'node:crypto', cat: 'node', async: false,
        probe: () => c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' }),
        make: () => ({ steady: () => c.createPublicKey({ key: info.spki, format: 'der', type: 'spki' }), check: (r) => r?.type === 'public' }),
      });
    }
    ops.push({ id: `load-${label.toLowerCase()}`, title: `key load ${label} (GetPublicKey output)`, group: 'load', family: 'load', input: {}, impls, steadyOnly: true });
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------- timing
/**
 * Runs every operation: warm-up, then interleaved rounds (all impls of an operation, in rotating order, one
 * batch each per round), median of the per-round µs/op. Returns plain JSON.
 *   opts: { now(), warmupMs, batchMs, rounds, log(line), filter(op) -> bool, modes: ['steady', 'oneshot'] }
 */
export async function runSuite(env, opts) {
  const ops = defineOperations(env).filter((op) => (opts.filter ? opts.filter(op) : true));
  const results = [];
  for (const op of ops) {
    const row = { id: op.id, title: op.title, group: op.group, family: op.family, impls: {} };
    const live = [];
    for (const impl of op.impls) {
      const rec = { cat: impl.cat };
      row.impls[impl.name] = rec;
      try {
        if (impl.probe) await impl.probe();
      } catch (e) {
        rec.na = `not supported here (${String(e?.message ?? e).slice(0, 80)})`;
        continue;
      }
      try {
        const m = await impl.make(op.input);
        const mb = op.input.bad ? await impl.make(op.input.bad) : undefined;
        const modes = (opts.modes ?? ['steady', 'oneshot']).filter((mode) => typeof m[mode] === 'function' && !(op.steadyOnly && mode === 'oneshot'));
        for (const mode of modes) {
          const r = await m[mode]();
          const ok = m.check ? await m.check(r) : undefined;
          if (ok === false) throw new Error(`${mode}: wrong result`);
          if (ok === undefined) rec.unchecked = true;
          if (mb) {
            let bad;
            try {
              bad = await mb[mode]();
            } catch {
              bad = false;
            }
            if (bad !== false) throw new Error(`${mode}: a corrupted signature was not rejected (${bad})`);
          }
        }
        live.push({ impl, m, modes, rec });
      } catch (e) {
        rec.error = String(e?.message ?? e).slice(0, 160);
        opts.log?.(`  !! ${op.id} ${impl.name}: ${rec.error} -- not timed`);
      }
    }
    for (const mode of opts.modes ?? ['steady', 'oneshot']) {
      const runners = live.filter((l) => l.modes.includes(mode));
      if (runners.length === 0) continue;
      // warm-up and calibration: batch size n so one batch takes about batchMs
      for (const l of runners) {
        const fn = l.m[mode];
        const t0 = opts.now();
        let k = 0;
        while (opts.now() - t0 < opts.warmupMs || k < 2) {
          if (l.impl.async) await fn();
          else fn();
          k++;
        }
        const per = (opts.now() - t0) / k;
        l.n = Math.max(1, Math.min(100000, Math.round(opts.batchMs / Math.max(per, 1e-4))));
        l.samples = [];
      }
      for (let round = 0; round < opts.rounds; round++) {
        for (let j = 0; j < runners.length; j++) {
          const l = runners[(j + round) % runners.length];
          const fn = l.m[mode];
          let sink;
          const t0 = opts.now();
          if (l.impl.async) for (let i = 0; i < l.n; i++) sink = await fn();
          else for (let i = 0; i < l.n; i++) sink = fn();
          const dt = opts.now() - t0;
          if (sink === undefined && mode !== 'steady') throw new Error('no result');
          l.samples.push((dt * 1000) / l.n);
        }
        if (opts.yieldEvery) await opts.yieldEvery();
      }
      for (const l of runners) {
        const s = [...l.samples].sort((a, b) => a - b);
        const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))];
        l.rec[mode] = { us: round3(q(0.5)), p25: round3(q(0.25)), p75: round3(q(0.75)), n: l.n, rounds: s.length };
      }
    }
    results.push(row);
    opts.log?.(formatRow(row));
  }
  return results;
}

const round3 = (x) => (x >= 100 ? Math.round(x) : x >= 10 ? Math.round(x * 10) / 10 : Math.round(x * 100) / 100);

// ---------------------------------------------------------------------------------------------- reporting
/** Ratios for one row and mode: kms / fastest alternative, / fastest pure JS, / WebCrypto, / node:crypto. */
export function ratios(row, mode, kmsName) {
  const kms = row.impls[kmsName]?.[mode]?.us;
  const alts = Object.entries(row.impls).filter(([n, r]) => r.cat !== 'kms' && r[mode]?.us !== undefined);
  const best = (pred) => alts.filter(([, r]) => pred(r)).sort((a, b) => a[1][mode].us - b[1][mode].us)[0];
  const fastest = best(() => true);
  const js = best((r) => r.cat === 'js');
  const wc = alts.find(([, r]) => r.cat === 'webcrypto');
  const nd = alts.find(([, r]) => r.cat === 'node');
  const ratio = (e) => (kms !== undefined && e ? kms / e[1][mode].us : undefined);
  return {
    kms,
    fastest: fastest && { name: fastest[0], us: fastest[1][mode].us, ratio: ratio(fastest) },
    js: js && { name: js[0], us: js[1][mode].us, ratio: ratio(js) },
    webcrypto: wc && { us: wc[1][mode].us, ratio: ratio(wc) },
    node: nd && { us: nd[1][mode].us, ratio: ratio(nd) },
  };
}

/** The issue's targets for one row and mode: [{ target, ok, detail }]. */
export function targets(row, mode, kmsName) {
  const r = ratios(row, mode, kmsName);
  const out = [];
  if (r.kms === undefined || row.group === 'load') return out;
  if (r.js) {
    const strong = ['ed25519', 'secp256k1', 'sm2', 'ml-dsa'].includes(row.family);
    const need = strong ? 1 / 3 : 1;
    out.push({ target: strong ? '>=3x faster than pure JS' : '<= fastest pure JS', ok: r.js.ratio <= need, detail: `${fmtRatio(r.js.ratio)} of ${r.js.name}` });
  }
  const nativeTarget = row.family === 'rsa' || row.family === 'ecdsa-nist' || row.group === 'ecdh';
  if (nativeTarget && r.webcrypto) {
    const lim = mode === 'oneshot' ? 1.5 : 2;
    out.push({ target: `<= ${lim}x WebCrypto (${mode})`, ok: r.webcrypto.ratio <= lim, detail: `${fmtRatio(r.webcrypto.ratio)} of WebCrypto` });
  }
  return out;
}

export const fmtUs = (x) => (x === undefined ? '' : x >= 1000 ? Math.round(x).toLocaleString('en-US') : x >= 100 ? String(Math.round(x)) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const fmtRatio = (x) => (x === undefined ? '' : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}x`);

function formatRow(row) {
  const parts = Object.entries(row.impls).map(([n, r]) => {
    if (r.na) return `${n}: n/a`;
    if (r.error) return `${n}: FAILED`;
    const s = r.steady ? fmtUs(r.steady.us) : '-';
    const o = r.oneshot ? fmtUs(r.oneshot.us) : '-';
    return `${n}: ${s}${r.oneshot ? ` / ${o}` : ''}`;
  });
  return `${row.title.padEnd(46)} µs steady / one-shot   ${parts.join('   ')}`;
}
