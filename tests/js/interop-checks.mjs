// Interop checks shared by Node (tests/js/interop.test.mjs), Deno (tests/deno/interop.test.ts) and Chromium
// (tests/browser/interop.test.mjs): every check runs the built package against an implementation we did
// not write: WebCrypto, jose, @noble/curves, @noble/hashes, @noble/post-quantum. Web APIs only (no Node).
//
// runInteropChecks(deps) resolves to [{ name, ok, detail }]; the runners assert every ok.
//   deps = { lib, jose, noble: { p256, p384, p521, secp256k1, ed25519, ed25519ph, keccak_256, ml_dsa44, ml_dsa65, ml_dsa87 },
//            fixtures: { [name]: fixtureJson }, streamBytes }

const subtle = globalThis.crypto.subtle;
const te = new TextEncoder();
const td = new TextDecoder();

export function b64bytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromB64url = (s) => b64bytes(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};
const pemBody = (pem) => b64bytes(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));

const HASH = { ECC_NIST_P256: 'SHA-256', ECC_NIST_P384: 'SHA-384', ECC_NIST_P521: 'SHA-512' };
const CURVE = { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521' };
const JOSE_ES = { ECC_NIST_P256: 'ES256', ECC_NIST_P384: 'ES384', ECC_NIST_P521: 'ES512' };

/** The error name a call throws, or its result. */
function outcome(fn) {
  try {
    return fn();
  } catch (e) {
    return `throw:${e && e.name}`;
  }
}
async function outcomeAsync(fn) {
  try {
    return await fn();
  } catch (e) {
    return `throw:${e && e.name}`;
  }
}

/** The 32-byte private scalar inside an EC PKCS#8 (ECPrivateKey ... 02 01 01 04 <len> d). */
function ecPrivateScalar(pem, len) {
  const der = pemBody(pem);
  for (let i = 0; i + 5 < der.length; i++) {
    if (der[i] === 2 && der[i + 1] === 1 && der[i + 2] === 1 && der[i + 3] === 4 && der[i + 4] === len) return der.slice(i + 5, i + 5 + len);
  }
  throw new Error('no EC private key in PKCS#8');
}

export async function runInteropChecks({ lib, jose, noble, fixtures, streamBytes = 8 << 20 }) {
  const { KmsPublicKey, MessageDigest, derToP1363, p1363ToDer, normalizeLowS, keccak256, digestStream } = lib;
  const results = [];
  const check = (name, ok, detail = '') => results.push({ name, ok: ok === true, detail: ok === true ? detail : `${detail} (got ${String(ok)})` });
  const run = async (name, fn) => {
    try {
      const r = await fn();
      if (r !== undefined) check(name, r);
    } catch (e) {
      check(name, false, `threw ${e && e.name}: ${e && e.message}`);
    }
  };
  const load = (name) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fixtures[name].GetPublicKey));
  const nobleOf = { ECC_NIST_P256: noble.p256, ECC_NIST_P384: noble.p384, ECC_NIST_P521: noble.p521, ECC_SECG_P256K1: noble.secp256k1 };

  // ---- 1. Signature formats: DER (KMS) <-> P1363 (WebCrypto, JOSE) ----
  for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521']) {
    const fx = fixtures[`${spec}_SIGN_VERIFY`];
    const key = load(`${spec}_SIGN_VERIFY`);
    const wc = await subtle.importKey('spki', key.spkiDer(), { name: 'ECDSA', namedCurve: CURVE[spec] }, false, ['verify']);
    await run(`${spec}: WebCrypto verifies derToP1363 of every valid KMS DER signature; p1363ToDer gives the DER back`, async () => {
      let n = 0;
      for (const c of fx.Signatures.filter((c) => c.Valid && c.MessageType === 'RAW')) {
        const der = b64bytes(c.Signature);
        const p1363 = derToP1363(der, spec);
        if (p1363.length !== 2 * { ECC_NIST_P256: 32, ECC_NIST_P384: 48, ECC_NIST_P521: 66 }[spec]) return `length ${p1363.length}`;
        if (!(await subtle.verify({ name: 'ECDSA', hash: HASH[spec] }, wc, p1363, b64bytes(c.Message)))) return `WebCrypto refused case ${c.Note}`;
        if (!equal(p1363ToDer(p1363, spec), der)) return `DER round trip differs: ${c.Note}`;
        if (key.verify({ Message: c.Message, MessageEncoding: 'base64', Signature: p1363, SigningAlgorithm: c.SigningAlgorithm, SignatureFormat: 'P1363' }) !== true) return 'verify P1363 false';
        const tampered = p1363.slice();
        tampered[5] ^= 1;
        if (key.verify({ Message: c.Message, MessageEncoding: 'base64', Signature: tampered, SigningAlgorithm: c.SigningAlgorithm, SignatureFormat: 'P1363' }) !== false) return 'tampered P1363 verified';
        n++;
      }
      return n >= 3;
    });
    await run(`${spec}: WebCrypto-made P1363 signatures verify with SignatureFormat P1363; p1363ToDer equals @noble/curves' DER`, async () => {
      const priv = await subtle.importKey('pkcs8', pemBody(fx.PrivateKeyPem), { name: 'ECDSA', namedCurve: CURVE[spec] }, false, ['sign']);
      for (let i = 0; i < 8; i++) {
        const message = te.encode(`webcrypto message ${i}`);
        const p1363 = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: HASH[spec] }, priv, message));
        const nobleDer = nobleOf[spec].Signature.fromBytes(p1363, 'compact').toBytes('der');
        if (!equal(p1363ToDer(p1363, spec), nobleDer)) return `DER differs from noble (${i})`;
        if (!equal(derToP1363(nobleDer, spec), p1363)) return 'P1363 round trip differs';
        const alg = fx.GetPublicKey.SigningAlgorithms[0];
        if (key.verify({ Message: message, Signature: p1363, SigningAlgorithm: alg, SignatureFormat: 'P1363' }) !== true) return 'P1363 verify false';
        if (key.verify({ Message: message, Signature: nobleDer, SigningAlgorithm: alg }) !== true) return 'DER verify false';
      }
      return true;
    });
  }
  await run('ECC_SECG_P256K1: @noble/curves verifies derToP1363 of every valid KMS signature (high-S included)', () => {
    const fx = fixtures.ECC_SECG_P256K1_SIGN_VERIFY;
    const key = load('ECC_SECG_P256K1_SIGN_VERIFY');
    let n = 0;
    for (const c of fx.Signatures.filter((c) => c.Valid && c.MessageType === 'RAW')) {
      const p1363 = derToP1363(b64bytes(c.Signature), 'ECC_SECG_P256K1');
      if (!noble.secp256k1.verify(p1363, b64bytes(c.Message), key.spkiDer().slice(-65), { lowS: false })) return `noble refused ${c.Note}`;
      if (key.verify({ Message: c.Message, MessageEncoding: 'base64', Signature: p1363, SigningAlgorithm: 'ECDSA_SHA_256', SignatureFormat: 'P1363' }) !== true) return 'P1363 verify false';
      n++;
    }
    return n >= 3;
  });
  await run('SM2: DER -> P1363 -> DER is the identity and SM2DSA verifies the P1363 form', () => {
    const fx = fixtures.SM2_SIGN_VERIFY;
    const key = load('SM2_SIGN_VERIFY');
    for (const c of fx.Signatures.filter((c) => c.Valid)) {
      const der = b64bytes(c.Signature);
      const p1363 = derToP1363(der, 'SM2');
      if (p1363.length !== 64 || !equal(p1363ToDer(p1363, 'SM2'), der)) return 'round trip';
      if (key.verify({ Message: c.Message, MessageEncoding: 'base64', MessageType: c.MessageType, Signature: p1363, SigningAlgorithm: 'SM2DSA', SignatureFormat: 'P1363' }) !== true) return 'verify';
    }
    return true;
  });
  await run('strict DER: trailing bytes, non-minimal integers and lengths, negative, zero and >= n are ValidationException', () => {
    const good = b64bytes(fixtures.ECC_NIST_P256_SIGN_VERIFY.Signatures[0].Signature);
    const n = noble.p256.Point.CURVE().n;
    const int = (v) => {
      let h = v.toString(16);
      if (h.length % 2) h = '0' + h;
      let b = Uint8Array.from(h.match(/../g).map((x) => parseInt(x, 16)));
      if (b[0] & 0x80) b = concat([0], b);
      return concat([2, b.length], b);
    };
    const seq = (...ints) => {
      const body = concat(...ints);
      return concat([0x30, body.length], body);
    };
    const bad = {
      'trailing byte': concat(good, [0]),
      'non-minimal integer': seq(concat([2, 2, 0, 1]), int(5n)),
      'negative integer': seq(Uint8Array.of(2, 1, 0x80), int(5n)),
      'r = 0': seq(int(0n), int(5n)),
      's = n': seq(int(5n), int(n)),
      'long-form length under 128': concat([0x30, 0x81, good[1]], good.slice(2)),
      'wrong outer tag': concat([0x31], good.slice(1)),
      'short SEQUENCE length': concat([0x30, good[1] - 1], good.slice(2)),
    };
    for (const [what, der] of Object.entries(bad)) {
      const r = outcome(() => derToP1363(der, 'ECC_NIST_P256'));
      if (r !== 'throw:ValidationException') return `${what}: ${r}`;
    }
    if (outcome(() => p1363ToDer(new Uint8Array(63), 'ECC_NIST_P256')) !== 'throw:ValidationException') return '63-byte P1363';
    const key = load('RSA_2048_SIGN_VERIFY');
    return outcome(() => key.verify({ Message: 'AA==', Signature: 'AA==', SigningAlgorithm: 'RSASSA_PSS_SHA_256', SignatureFormat: 'P1363' })) === 'throw:ValidationException';
  });

  // ---- 2. JWS / JWT with jose, both directions ----
  const claims = { iss: 'kms-offline-test', sub: 'interop', aud: 'tests', iat: 1700000000, exp: 4102444800 };
  const signCases = [
    ['RSA_2048_SIGN_VERIFY', 'RS256'], ['RSA_2048_SIGN_VERIFY', 'RS384'], ['RSA_2048_SIGN_VERIFY', 'RS512'],
    ['RSA_2048_SIGN_VERIFY', 'PS256'], ['RSA_2048_SIGN_VERIFY', 'PS384'], ['RSA_2048_SIGN_VERIFY', 'PS512'],
    ['ECC_NIST_P256_SIGN_VERIFY', 'ES256'], ['ECC_NIST_P384_SIGN_VERIFY', 'ES384'], ['ECC_NIST_P521_SIGN_VERIFY', 'ES512'],
    ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'EdDSA'],
  ];
  /** "KMS Sign" with the fixture's private key: what KMS returns for the request (ECDSA as DER). */
  async function kmsSign(fx, request) {
    const { Message, MessageType, SigningAlgorithm } = request;
    const spec = fx.GetPublicKey.KeySpec;
    if (spec === 'ECC_NIST_EDWARDS25519') return noble.ed25519.sign(Message, pemBody(fx.PrivateKeyPem).slice(-32));
    const hashName = `SHA-${SigningAlgorithm.slice(-3)}`;
    const digest = MessageType === 'DIGEST' ? Message : new Uint8Array(await subtle.digest(hashName, Message));
    if (spec.startsWith('ECC_')) {
      const curve = nobleOf[spec];
      const scalar = ecPrivateScalar(fx.PrivateKeyPem, spec === 'ECC_NIST_P521' ? 66 : spec === 'ECC_NIST_P384' ? 48 : 32);
      return curve.sign(digest, scalar, { prehash: false, lowS: false, format: 'der' });
    }
    if (MessageType === 'DIGEST') throw new Error('RSA DIGEST signing is not simulated here');
    const pss = SigningAlgorithm.startsWith('RSASSA_PSS');
    const algo = pss ? { name: 'RSA-PSS', hash: hashName } : { name: 'RSASSA-PKCS1-v1_5', hash: hashName };
    const priv = await subtle.importKey('pkcs8', pemBody(fx.PrivateKeyPem), algo, false, ['sign']);
    return new Uint8Array(await subtle.sign(pss ? { name: 'RSA-PSS', saltLength: Number(hashName.slice(4)) / 8 } : algo, priv, Message));
  }
  for (const [name, alg] of signCases) {
    const fx = fixtures[name];
    const key = load(name);
    await run(`${alg} (${name}): JWS assembled from a KMS-shaped signature verifies with jose (compactVerify, jwtVerify)`, async () => {
      const req = key.jwsSigningRequest({ Alg: alg, Payload: claims, ProtectedHeader: { typ: 'JWT', kid: fx.GetPublicKey.KeyId } });
      if (req.SignRequest.MessageType !== 'RAW' || req.SignRequest.KeyId !== fx.GetPublicKey.KeyId) return `request ${JSON.stringify(req.SignRequest.MessageType)}`;
      if (td.decode(req.SignRequest.Message) !== req.SigningInput) return 'RAW Message is not the signing input';
      const token = key.assembleJws(req.SigningInput, await kmsSign(fx, req.SignRequest));
      const pub = await jose.importSPKI(key.spkiPem(), alg);
      const { payload, protectedHeader } = await jose.jwtVerify(token, pub, { issuer: claims.iss, audience: claims.aud });
      if (payload.sub !== 'interop' || protectedHeader.alg !== alg || protectedHeader.kid !== fx.GetPublicKey.KeyId) return 'claims';
      const viaJwk = await jose.compactVerify(token, await jose.importJWK(key.toJwk(), alg));
      return td.decode(viaJwk.payload) === JSON.stringify(claims);
    });
    await run(`${alg} (${name}): a JWT jose signs with the same key verifies with verifyJws/verifyJwt; tampering is false`, async () => {
      const priv = await jose.importPKCS8(fx.PrivateKeyPem, alg);
      const token = await new jose.SignJWT(claims).setProtectedHeader({ alg, kid: fx.GetPublicKey.KeyId }).sign(priv);
      if (key.verifyJws(token) !== true) return 'verifyJws false';
      const jwt = key.verifyJwt(token, { Issuer: claims.iss, Audience: ['other', 'tests'] });
      if (jwt.Payload.sub !== 'interop' || jwt.Alg !== alg || jwt.KeyId !== fx.GetPublicKey.KeyId) return 'verifyJwt result';
      const [h, p, s] = token.split('.');
      const forged = `${h}.${b64url(te.encode(JSON.stringify({ ...claims, sub: 'admin' })))}.${s}`;
      if (key.verifyJws(forged) !== false) return 'forged payload verified';
      return outcome(() => key.verifyJwsOrThrow(forged)) === 'throw:KMSInvalidSignatureException' && td.decode(key.verifyJwsOrThrow(`${h}.${p}.${s}`).Payload) === JSON.stringify(claims);
    });
  }
  await run('ES256/ES384/ES512: high-S KMS signatures assemble into JWS that jose accepts', async () => {
    for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521']) {
      const fx = fixtures[`${spec}_SIGN_VERIFY`];
      const key = load(`${spec}_SIGN_VERIFY`);
      let high = 0;
      for (let i = 0; i < 6; i++) {
        const req = key.jwsSigningRequest({ Payload: `message ${i}` });
        const der = await kmsSign(fx, req.SignRequest);
        const sig = nobleOf[spec].Signature.fromBytes(der, 'der');
        const n = nobleOf[spec].Point.CURVE().n;
        const highS = sig.s > n / 2n ? sig : new (nobleOf[spec].Signature)(sig.r, n - sig.s);
        high++;
        const token = key.assembleJws(req.SigningInput, highS.toBytes('der'));
        await jose.compactVerify(token, await jose.importSPKI(key.spkiPem(), JOSE_ES[spec]));
      }
      if (high < 6) return 'no high-S case';
    }
    return true;
  });
  await run('large payload: the JWS signing request is a DIGEST over 4096 bytes; jose verifies the assembled token', async () => {
    for (const name of ['ECC_NIST_P256_SIGN_VERIFY', 'ECC_NIST_P521_SIGN_VERIFY']) {
      const key = load(name);
      const payload = new Uint8Array(10000).fill(7);
      const req = key.jwsSigningRequest({ Payload: payload });
      if (req.SignRequest.MessageType !== 'DIGEST') return `MessageType ${req.SignRequest.MessageType}`;
      const token = key.assembleJws(req.SigningInput, await kmsSign(fixtures[name], req.SignRequest));
      const { payload: got } = await jose.compactVerify(token, await jose.importSPKI(key.spkiPem(), req.Alg));
      if (!equal(got, payload) || key.verifyJws(token) !== true) return 'payload';
    }
    const ed = load('ECC_NIST_EDWARDS25519_SIGN_VERIFY');
    return outcome(() => ed.jwsSigningRequest({ Payload: new Uint8Array(5000) })) === 'throw:ValidationException';
  });
  await run('ES256K: JWS assembled from a KMS DER signature verifies with @noble/curves; noble-signed ES256K verifies here', async () => {
    const fx = fixtures.ECC_SECG_P256K1_SIGN_VERIFY;
    const key = load('ECC_SECG_P256K1_SIGN_VERIFY');
    const req = key.jwsSigningRequest({ Payload: claims });
    if (req.Alg !== 'ES256K' || req.SignRequest.SigningAlgorithm !== 'ECDSA_SHA_256') return 'alg';
    const token = key.assembleJws(req.SigningInput, await kmsSign(fx, req.SignRequest));
    const [h, p, s] = token.split('.');
    if (!noble.secp256k1.verify(fromB64url(s), te.encode(`${h}.${p}`), key.spkiDer().slice(-65), { lowS: false })) return 'noble refused';
    const header = b64url(te.encode(JSON.stringify({ alg: 'ES256K' })));
    const input = `${header}.${p}`;
    const sig = noble.secp256k1.sign(te.encode(input), ecPrivateScalar(fx.PrivateKeyPem, 32));
    return key.verifyJws(`${input}.${b64url(sig)}`) === true && outcome(() => load('ECC_NIST_P256_SIGN_VERIFY').verifyJws(`${input}.${b64url(sig)}`)) === 'throw:InvalidKeyUsageException';
  });
  await run('ML-DSA-44/65/87 (RFC 9964): @noble/post-quantum verifies assembled JWS; its signatures verify here, over 4096 bytes via EXTERNAL_MU', async () => {
    for (const [name, impl] of [['ML_DSA_44_SIGN_VERIFY', noble.ml_dsa44], ['ML_DSA_65_SIGN_VERIFY', noble.ml_dsa65], ['ML_DSA_87_SIGN_VERIFY', noble.ml_dsa87]]) {
      const fx = fixtures[name];
      const key = load(name);
      const { secretKey, publicKey } = impl.keygen(b64bytes(fx.PrivateKeySeed));
      for (const size of [100, 6000]) {
        const req = key.jwsSigningRequest({ Payload: new Uint8Array(size).fill(3) });
        const expected = size > 3000 ? 'EXTERNAL_MU' : 'RAW';
        if (req.SignRequest.MessageType !== expected) return `${name} ${size}: ${req.SignRequest.MessageType}`;
        // KMS signs RAW and EXTERNAL_MU alike: pure ML-DSA over the signing input (mu computed by us for EXTERNAL_MU).
        const sig = expected === 'RAW' ? impl.sign(req.SignRequest.Message, secretKey) : impl.internal.sign(req.SignRequest.Message, secretKey, { externalMu: true });
        const token = key.assembleJws(req.SigningInput, sig);
        const [h, p, s] = token.split('.');
        if (!impl.verify(fromB64url(s), te.encode(`${h}.${p}`), publicKey)) return `${name}: noble refused`;
        const own = impl.sign(te.encode(`${h}.${p}`), secretKey);
        if (key.verifyJws(`${h}.${p}.${b64url(own)}`) !== true) return `${name}: noble signature refused`;
      }
    }
    return true;
  });
  await run('RFC 7515 A.3 (ES256) and RFC 8037 A.4 (Ed25519) example JWS verify with the RFC JWKs loaded by fromJwk', () => {
    const es256 = KmsPublicKey.fromJwk(
      { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] },
    );
    const a3 =
      'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';
    const ed = KmsPublicKey.fromJwk(
      { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ED25519_SHA_512'] },
    );
    const a4 = 'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';
    const jwt = es256.verifyJwt(a3, { CurrentTime: 1300819000 });
    const expired = outcome(() => es256.verifyJwt(a3, { CurrentTime: 1300819380 }));
    return es256.verifyJws(a3) === true && jwt.Payload.iss === 'joe' && expired === 'throw:ValidationException' && td.decode(ed.verifyJwsOrThrow(a4).Payload) === 'Example of Ed25519 signing';
  });
  await run('JWS refusals: alg none/HS256 (Validation), crit, kid of another key, JWE, padding, duplicate header member, over 1 MiB; alg the key cannot sign (InvalidKeyUsage)', () => {
    const key = load('ECC_NIST_P256_SIGN_VERIFY');
    const h = (obj) => b64url(te.encode(JSON.stringify(obj)));
    const body = b64url(te.encode('{}'));
    const sig = b64url(new Uint8Array(64).fill(1));
    const cases = [
      [`${h({ alg: 'none' })}.${body}.`, 'throw:ValidationException'],
      [`${h({ alg: 'HS256' })}.${body}.${sig}`, 'throw:ValidationException'],
      [`${h({ alg: 'ES256', crit: ['exp'], exp: 1 })}.${body}.${sig}`, 'throw:ValidationException'],
      [`${h({ alg: 'ES256', kid: 'arn:aws:kms:us-east-1:111122223333:key/other' })}.${body}.${sig}`, 'throw:ValidationException'],
      [`${h({ alg: 'ES256', kid: fixtures.ECC_NIST_P256_SIGN_VERIFY.GetPublicKey.KeyId })}.${body}.${sig}`, false],
      [`${h({ alg: 'ES256', kid: fixtures.ECC_NIST_P256_SIGN_VERIFY.GetPublicKey.KeyId.split('/').pop() })}.${body}.${sig}`, false],
      [`${h({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`, 'throw:ValidationException'],
      [`${h({ alg: 'ES256' })}=.${body}.${sig}`, 'throw:ValidationException'],
      [`${b64url(te.encode('{"alg":"ES256","alg":"none"}'))}.${body}.${sig}`, 'throw:ValidationException'],
      [`${h({ alg: 'ES256' })}.${'A'.repeat(1 << 20)}.${sig}`, 'throw:ValidationException'],
      [`${h({ alg: 'ES384' })}.${body}.${sig}`, 'throw:InvalidKeyUsageException'],
      [`${h({ alg: 'ES256K' })}.${body}.${sig}`, 'throw:InvalidKeyUsageException'],
      [`${h({ alg: 'ES256' })}.${body}.${b64url(new Uint8Array(63))}`, false],
    ];
    for (const [token, want] of cases) {
      const got = outcome(() => key.verifyJws(token));
      if (got !== want) return `${token.slice(0, 60)}: ${got}, expected ${want}`;
    }
    const pssOnly = KmsPublicKey.fromPublicKey(fixtures.RSA_2048_SIGN_VERIFY.PublicKeyPem, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['RSASSA_PSS_SHA_256'] });
    return outcome(() => pssOnly.verifyJws(`${h({ alg: 'RS256' })}.${body}.${sig}`)) === 'throw:InvalidKeyUsageException';
  });
  await run('JWT claims: exp, nbf (clock tolerance), iss, aud fail with ValidationException, claim set, message JWTClaimValidationFailed', async () => {
    const fx = fixtures.ECC_NIST_P256_SIGN_VERIFY;
    const key = load('ECC_NIST_P256_SIGN_VERIFY');
    const priv = await jose.importPKCS8(fx.PrivateKeyPem, 'ES256');
    const token = await new jose.SignJWT({ iss: 'a', aud: ['x', 'y'], nbf: 1000, exp: 2000 }).setProtectedHeader({ alg: 'ES256' }).sign(priv);
    const claimOf = (options) => {
      try {
        key.verifyJwt(token, options);
        return 'ok';
      } catch (e) {
        return e.name === 'ValidationException' && /^JWTClaimValidationFailed/.test(e.message) ? e.claim : `${e.name}: ${e.message}`;
      }
    };
    const table = [
      [{ CurrentTime: 1500 }, 'ok'],
      [{ CurrentTime: 2000 }, 'exp'],
      [{ CurrentTime: 2005, ClockTolerance: 10 }, 'ok'],
      [{ CurrentTime: 999 }, 'nbf'],
      [{ CurrentTime: new Date(995_000), ClockTolerance: 5 }, 'ok'],
      [{ CurrentTime: 1500, Issuer: 'b' }, 'iss'],
      [{ CurrentTime: 1500, Issuer: ['b', 'a'], Audience: 'y' }, 'ok'],
      [{ CurrentTime: 1500, Audience: 'z' }, 'aud'],
      [{}, 'exp'],
    ];
    for (const [options, want] of table) {
      const got = claimOf(options);
      if (got !== want) return `${JSON.stringify(options)}: ${got}, expected ${want}`;
    }
    return true;
  });

  // ---- 3. Large messages: streamed digests ----
  const bigChunks = (total, size = 1 << 20) => {
    const chunks = [];
    for (let at = 0, i = 0; at < total; at += size, i++) chunks.push(new Uint8Array(Math.min(size, total - at)).fill(i & 0xff));
    return chunks;
  };
  const chunks = bigChunks(streamBytes);
  const whole = concat(...chunks);
  const sources = {
    'Blob': () => new Blob(chunks),
    'File': () => (typeof File === 'function' ? new File(chunks, 'big.bin') : new Blob(chunks)),
    'ReadableStream': () => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } }),
    'async iterable': () => (async function* () { for (const x of chunks) yield x; })(),
    'array of chunks': () => chunks,
  };
  for (const hashName of ['SHA-256', 'SHA-384', 'SHA-512']) {
    const expected = new Uint8Array(await subtle.digest(hashName, whole));
    await run(`digestStream ${hashName} over ${streamBytes >> 20} MiB equals WebCrypto's one-shot digest for Blob, File, ReadableStream, async iterable, array`, async () => {
      for (const [kind, make] of Object.entries(sources)) {
        const got = await digestStream(new MessageDigest(hashName), make());
        if (!equal(got, expected)) return `${kind} differs`;
      }
      return true;
    });
  }
  await run('digestStream refuses text chunks and non-sources with ValidationException', async () => {
    const a = await outcomeAsync(() => digestStream(new MessageDigest('SHA-256'), ['text']));
    const b = await outcomeAsync(() => digestStream(new MessageDigest('SHA-256'), 42));
    const c = await outcomeAsync(() => digestStream({}, new Blob([])));
    return a === 'throw:ValidationException' && b === 'throw:ValidationException' && c === 'throw:ValidationException';
  });
  await run('RSA/ECDSA DIGEST: a streamed SHA digest verifies the KMS fixture signatures made over the RAW message', async () => {
    for (const name of ['RSA_2048_SIGN_VERIFY', 'ECC_NIST_P384_SIGN_VERIFY', 'ECC_SECG_P256K1_SIGN_VERIFY']) {
      const key = load(name);
      for (const c of fixtures[name].Signatures.filter((c) => c.Valid && c.MessageType === 'RAW')) {
        const digest = await digestStream(MessageDigest.forSigningAlgorithm(c.SigningAlgorithm), new Blob([b64bytes(c.Message)]));
        if (key.verify({ Message: digest, MessageType: 'DIGEST', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm }) !== true) return `${name} ${c.Note}`;
      }
    }
    return true;
  });
  await run('SM2: sm2Digest() streamed (ID 1234567812345678) verifies as DIGEST the RAW signatures OpenSSL made; another ID does not', async () => {
    const key = load('SM2_SIGN_VERIFY');
    for (const c of fixtures.SM2_SIGN_VERIFY.Signatures.filter((c) => c.Valid && c.MessageType === 'RAW')) {
      const e = await digestStream(key.sm2Digest(), new Blob([b64bytes(c.Message)]));
      if (key.verify({ Message: e, MessageType: 'DIGEST', Signature: c.Signature, SigningAlgorithm: 'SM2DSA' }) !== true) return c.Note;
      const other = await digestStream(key.sm2Digest('alice@example.com'), [b64bytes(c.Message)]);
      if (key.verify({ Message: other, MessageType: 'DIGEST', Signature: c.Signature, SigningAlgorithm: 'SM2DSA' }) !== false) return 'other ID verified';
    }
    return outcome(() => load('ECC_NIST_P256_SIGN_VERIFY').sm2Digest()) === 'throw:ValidationException';
  });
  await run('ML-DSA: externalMuDigest() streamed equals externalMu() and verifies with EXTERNAL_MU; @noble/post-quantum signs over that mu', async () => {
    for (const [name, impl] of [['ML_DSA_44_SIGN_VERIFY', noble.ml_dsa44], ['ML_DSA_87_SIGN_VERIFY', noble.ml_dsa87]]) {
      const key = load(name);
      const mu = await digestStream(key.externalMuDigest(), chunks);
      if (!equal(mu, key.externalMu(whole))) return 'mu differs from externalMu';
      const { secretKey } = impl.keygen(b64bytes(fixtures[name].PrivateKeySeed));
      const sig = impl.sign(whole, secretKey); // pure ML-DSA over the whole message, as KMS signs RAW
      if (key.verify({ Message: mu, MessageType: 'EXTERNAL_MU', Signature: sig, SigningAlgorithm: 'ML_DSA_SHAKE_256' }) !== true) return `${name}: mu verify false`;
      if (key.externalMuDigest().messageType !== 'EXTERNAL_MU') return 'messageType';
    }
    return true;
  });
  await run('ED25519_PH_SHA_512: the streamed SHA-512 D verifies an @noble/curves ed25519ph signature over D (KMS hashes D again)', async () => {
    const fx = fixtures.ECC_NIST_EDWARDS25519_SIGN_VERIFY;
    const key = load('ECC_NIST_EDWARDS25519_SIGN_VERIFY');
    const d = await digestStream(MessageDigest.forSigningAlgorithm('ED25519_PH_SHA_512'), new Blob(chunks));
    const sig = noble.ed25519ph.sign(d, pemBody(fx.PrivateKeyPem).slice(-32));
    return key.verify({ Message: d, MessageType: 'DIGEST', Signature: sig, SigningAlgorithm: 'ED25519_PH_SHA_512' }) === true;
  });

  // ---- 4. secp256k1 / Ethereum ----
  const eip55 = (addrHex) => {
    const h = hex(noble.keccak_256(te.encode(addrHex)));
    return '0x' + [...addrHex].map((c, i) => (parseInt(h[i], 16) >= 8 ? c.toUpperCase() : c)).join('');
  };
  await run('Ethereum address: equals keccak_256(X‖Y)[12:] from @noble/hashes with EIP-55 casing; private key 1 gives 0x7E5F…5Bdf', () => {
    const key = load('ECC_SECG_P256K1_SIGN_VERIFY');
    const expected = eip55(hex(noble.keccak_256(key.spkiDer().slice(-64)).slice(12)));
    const g = noble.secp256k1.getPublicKey(Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0)), false);
    const spki = concat(b64bytes('MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgA='), g);
    const one = KmsPublicKey.fromPublicKey(spki, { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ECDSA_SHA_256'] });
    return key.ethereumAddress() === expected && one.ethereumAddress() === '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf' && outcome(() => load('ECC_NIST_P256_SIGN_VERIFY').ethereumAddress()) === 'throw:InvalidKeyUsageException';
  });
  await run('Ethereum signature: KMS DER (high-S and low-S) over a Keccak-256 digest -> low-S r‖s‖v; @noble/curves recovers the same address', () => {
    const fx = fixtures.ECC_SECG_P256K1_SIGN_VERIFY;
    const key = load('ECC_SECG_P256K1_SIGN_VERIFY');
    const scalar = ecPrivateScalar(fx.PrivateKeyPem, 32);
    const n = noble.secp256k1.Point.CURVE().n;
    let highSeen = 0;
    for (let i = 0; i < 24; i++) {
      const digest = keccak256(te.encode(`transaction ${i}`));
      if (!equal(digest, noble.keccak_256(te.encode(`transaction ${i}`)))) return 'keccak256 differs from noble';
      const sig = noble.secp256k1.Signature.fromBytes(noble.secp256k1.sign(digest, scalar, { prehash: false, lowS: false }), 'compact');
      const kms = (i % 2 ? new noble.secp256k1.Signature(sig.r, n - sig.s) : sig).toBytes('der'); // both halves, as KMS
      if (noble.secp256k1.Signature.fromBytes(kms, 'der').s > n / 2n) highSeen++;
      if (key.verify({ Message: digest, MessageType: 'DIGEST', Signature: kms, SigningAlgorithm: 'ECDSA_SHA_256' }) !== true) return 'DIGEST verify false';
      const eth = key.ethereumSignature({ Digest: digest, Signature: kms });
      const s = BigInt('0x' + hex(eth.S));
      if (s > n / 2n || eth.Signature.length !== 65 || eth.V !== 27 + eth.YParity) return 'not low-S / shape';
      const recovered = noble.secp256k1.recoverPublicKey(concat([eth.YParity], eth.R, eth.S), digest, { prehash: false });
      const point = noble.secp256k1.Point.fromBytes(recovered).toBytes(false);
      if (eip55(hex(noble.keccak_256(point.slice(1)).slice(12))) !== key.ethereumAddress()) return `recovered another address (${i})`;
      const low = normalizeLowS(kms, 'ECC_SECG_P256K1');
      if (!equal(derToP1363(low, 'ECC_SECG_P256K1'), concat(eth.R, eth.S))) return 'normalizeLowS differs';
      if (!equal(normalizeLowS(concat(eth.R, eth.S), 'ECC_SECG_P256K1', 'P1363'), concat(eth.R, eth.S))) return 'P1363 normalize not idempotent';
    }
    const wrong = outcome(() => key.ethereumSignature({ Digest: keccak256(te.encode('other')), Signature: b64bytes(fx.Signatures[0].Signature) }));
    return highSeen >= 10 && wrong === 'throw:KMSInvalidSignatureException' && outcome(() => normalizeLowS(b64bytes(fixtures.SM2_SIGN_VERIFY.Signatures[0].Signature), 'SM2')) === 'throw:ValidationException';
  });

  // ---- 5. JWK ----
  const jwkCases = [
    ['RSA_2048_SIGN_VERIFY', { name: 'RSA-PSS', hash: 'SHA-256' }, ['verify'], undefined],
    ['RSA_3072_ENCRYPT_DECRYPT', { name: 'RSA-OAEP', hash: 'SHA-256' }, ['encrypt'], undefined],
    ['ECC_NIST_P256_SIGN_VERIFY', { name: 'ECDSA', namedCurve: 'P-256' }, ['verify'], 'ES256'],
    ['ECC_NIST_P384_SIGN_VERIFY', { name: 'ECDSA', namedCurve: 'P-384' }, ['verify'], 'ES384'],
    ['ECC_NIST_P521_SIGN_VERIFY', { name: 'ECDSA', namedCurve: 'P-521' }, ['verify'], 'ES512'],
    ['ECC_NIST_P256_KEY_AGREEMENT', { name: 'ECDH', namedCurve: 'P-256' }, [], undefined],
    ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', { name: 'Ed25519' }, ['verify'], 'EdDSA'],
  ];
  for (const [name, algo, usages, alg] of jwkCases) {
    await run(`JWK ${name}: WebCrypto imports toJwk(); its members equal WebCrypto's own export of the SPKI; fromJwk gives the same SPKI`, async () => {
      const key = load(name);
      const jwk = key.toJwk();
      if (jwk.alg !== alg || jwk.kid !== fixtures[name].GetPublicKey.KeyId) return `alg ${jwk.alg} kid ${jwk.kid}`;
      const imported = await subtle.importKey('jwk', jwk, algo, true, usages);
      const fromSpki = await subtle.exportKey('jwk', await subtle.importKey('spki', key.spkiDer(), algo, true, usages));
      for (const m of ['kty', 'n', 'e', 'crv', 'x', 'y']) if (jwk[m] !== fromSpki[m]) return `member ${m} differs`;
      const spki = new Uint8Array(await subtle.exportKey('spki', imported));
      const back = KmsPublicKey.fromJwk(jwk, fixtures[name].GetPublicKey);
      return equal(spki, key.spkiDer()) && equal(back.spkiDer(), key.spkiDer());
    });
  }
  await run('JWK: RSA key with one PSS algorithm gets alg PS256 / RSA-OAEP-256 for one OAEP; secp256k1 and ML-DSA (AKP) round-trip; SM2 and ML-KEM refused', () => {
    const pem = fixtures.RSA_2048_SIGN_VERIFY.PublicKeyPem;
    const pss = KmsPublicKey.fromPublicKey(pem, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['RSASSA_PSS_SHA_256'] });
    const oaep = KmsPublicKey.fromPublicKey(pem, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', EncryptionAlgorithms: ['RSAES_OAEP_SHA_256'] });
    if (pss.toJwk().alg !== 'PS256' || oaep.toJwk().alg !== 'RSA-OAEP-256' || oaep.toJwk().use !== 'enc') return 'alg';
    for (const name of ['ECC_SECG_P256K1_SIGN_VERIFY', 'ML_DSA_65_SIGN_VERIFY']) {
      const key = load(name);
      const back = KmsPublicKey.fromJwk(JSON.stringify(key.toJwk()), fixtures[name].GetPublicKey);
      if (!equal(back.spkiDer(), key.spkiDer())) return `${name} round trip`;
    }
    const mldsa = load('ML_DSA_65_SIGN_VERIFY').toJwk();
    if (mldsa.kty !== 'AKP' || mldsa.alg !== 'ML-DSA-65' || fromB64url(mldsa.pub).length !== 1952) return 'AKP';
    return outcome(() => load('SM2_SIGN_VERIFY').toJwk()) === 'throw:UnsupportedOperationException' && outcome(() => load('ML_KEM_768_ENCAPSULATE_DECAPSULATE').toJwk()) === 'throw:UnsupportedOperationException';
  });
  await run('JWK refusals: private members, kty/crv not the KeySpec, alg or use against the metadata, kid of another key', () => {
    const key = load('ECC_NIST_P256_SIGN_VERIFY');
    const meta = fixtures.ECC_NIST_P256_SIGN_VERIFY.GetPublicKey;
    const jwk = key.toJwk();
    const cases = [
      [{ ...jwk, d: 'AAAA' }, meta, 'throw:ValidationException'],
      [{ ...jwk, crv: 'P-384' }, meta, 'throw:ValidationException'],
      [{ ...jwk, kty: 'RSA' }, meta, 'throw:ValidationException'],
      [{ ...jwk, alg: 'ES384' }, meta, 'throw:InvalidKeyUsageException'],
      [{ ...jwk, use: 'enc' }, meta, 'throw:InvalidKeyUsageException'],
      [{ ...jwk, kid: 'someone-else' }, meta, 'throw:ValidationException'],
      [{ ...jwk, x: jwk.x.slice(2) }, meta, 'throw:ValidationException'],
      [jwk, { ...meta, KeySpec: undefined, CustomerMasterKeySpec: undefined }, 'throw:ValidationException'],
    ];
    for (const [j, m, want] of cases) {
      const got = outcome(() => KmsPublicKey.fromJwk(j, m) && 'loaded');
      if (got !== want) return `${JSON.stringify(j).slice(0, 80)}: ${got}`;
    }
    return true;
  });
  return results;
}
