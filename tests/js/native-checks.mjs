// Differential checks of the WebCrypto-accelerated operations (verifyAsync, encryptAsync,
// deriveSharedSecretAsync; src/webcrypto.rs, src/js/webcrypto.rs) against the synchronous wasm ones, shared by
// Node (tests/js/native.test.mjs) and Chromium (tests/browser/native.test.mjs). Web APIs only.
//
// runNativeChecks({ lib, fixtures, wycheproof }) resolves to [{ name, ok, detail }]:
//   - every fixture signature case and every Wycheproof vector of the RSA / ECDSA P-256/384/521 files KMS's
//     parameters use: verifyAsync gives exactly verify's answer (or its exception, name and message); the
//     vectors' expected results hold; and WebCrypto really was asked (a spy counts its verify calls);
//   - every KMS rule rejects verifyAsync/encryptAsync/deriveSharedSecretAsync with the synchronous exception;
//   - a WebCrypto verify or encrypt that fails or rejects falls back to the wasm answer;
//   - encryptAsync ciphertexts decrypt with the private key (WebCrypto RSA-OAEP), at 1 byte and the maximum;
//   - deriveSharedSecretAsync's PublicKey and SharedSecret agree with ECDH on the KMS private key;
//   - Ed25519, ML-DSA and ML-KEM (encapsulateAsync) go to WebCrypto exactly where the runtime has them (platformHas),
//     with the same answers; ML-KEM ciphertexts decapsulate (WebCrypto, the fixture's seed) to their SharedSecret.
//   wycheproof = { [fileName]: parsed JSON } (the files listed in WYCHEPROOF_FILES)

const subtle = globalThis.crypto.subtle;

/** The Wycheproof files with KMS's parameters, as [file, KeySpec, SigningAlgorithm]. */
export const WYCHEPROOF_FILES = [
  ['ecdsa_secp256r1_sha256_test.json', 'ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ecdsa_secp384r1_sha384_test.json', 'ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ecdsa_secp521r1_sha512_test.json', 'ECC_NIST_P521', 'ECDSA_SHA_512'],
  ...[2048, 3072, 4096].flatMap((bits) =>
    [256, 384, 512].map((sha) => [`rsa_signature_${bits}_sha${sha}_test.json`, `RSA_${bits}`, `RSASSA_PKCS1_V1_5_SHA_${sha}`]),
  ),
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['rsa_pss_2048_sha384_mgf1_48_test.json', 'RSA_2048', 'RSASSA_PSS_SHA_384'],
  ['rsa_pss_3072_sha256_mgf1_32_test.json', 'RSA_3072', 'RSASSA_PSS_SHA_256'],
  ['rsa_pss_4096_sha256_mgf1_32_test.json', 'RSA_4096', 'RSASSA_PSS_SHA_256'],
  ['rsa_pss_4096_sha384_mgf1_48_test.json', 'RSA_4096', 'RSASSA_PSS_SHA_384'],
  ['rsa_pss_4096_sha512_mgf1_64_test.json', 'RSA_4096', 'RSASSA_PSS_SHA_512'],
  // salts KMS never uses: every vector must verify false, except the one whose salt is the hash length
  ['rsa_pss_2048_sha256_mgf1_0_test.json', 'RSA_2048', 'RSASSA_PSS_SHA_256'],
  ['rsa_pss_4096_sha512_mgf1_32_test.json', 'RSA_4096', 'RSASSA_PSS_SHA_512'],
  // The families only some runtimes' WebCrypto has (feature-detected: see platformHas)
  ['ed25519_test.json', 'ECC_NIST_EDWARDS25519', 'ED25519_SHA_512'],
  ['mldsa_44_verify_test.json', 'ML_DSA_44', 'ML_DSA_SHAKE_256'],
  ['mldsa_65_verify_test.json', 'ML_DSA_65', 'ML_DSA_SHAKE_256'],
  ['mldsa_87_verify_test.json', 'ML_DSA_87', 'ML_DSA_SHAKE_256'],
];

/** The WebCrypto algorithm of a KeySpec only some runtimes have, and the usage its public key is imported for. */
const PLATFORM_ALGORITHMS = {
  ECC_NIST_EDWARDS25519: ['Ed25519', 'verify'],
  ML_DSA_44: ['ML-DSA-44', 'verify'],
  ML_DSA_65: ['ML-DSA-65', 'verify'],
  ML_DSA_87: ['ML-DSA-87', 'verify'],
  ML_KEM_512: ['ML-KEM-512', 'encapsulateBits'],
  ML_KEM_768: ['ML-KEM-768', 'encapsulateBits'],
  ML_KEM_1024: ['ML-KEM-1024', 'encapsulateBits'],
};

/** Node (Deno has process.versions.node too). */
const inNode = typeof globalThis.process?.versions?.node === 'string' && typeof globalThis.Deno === 'undefined';

/**
 * Whether the library hands a key of `spec` to this runtime's WebCrypto: where it imports a fixture key of `spec`
 * (the same feature test the library makes per key), except Ed25519 and ML-DSA in Node, whose WebCrypto is no
 * faster than the wasm there (src/webcrypto.rs, `in_node`). `undefined` for the specs every runtime has (RSA,
 * NIST ECDSA) or none has.
 */
export async function platformHas(fixtures, spec) {
  const entry = PLATFORM_ALGORITHMS[spec];
  if (!entry) return undefined;
  if (inNode && entry[1] === 'verify') return false;
  const fixture = Object.values(fixtures).find((f) => f.GetPublicKey.KeySpec === spec);
  try {
    await subtle.importKey('spki', b64bytes(fixture.GetPublicKey.PublicKey), { name: entry[0] }, false, [entry[1]]);
    return true;
  } catch {
    return false;
  }
}

const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
const b64bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const pemBody = (pem) => b64bytes(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A call's outcome as comparable text: its answer, or its exception's name and message. */
async function outcome(fn) {
  try {
    return `ok:${await fn()}`;
  } catch (e) {
    return `throw:${e?.name}:${e?.message}`;
  }
}

/** Counts (and optionally replaces) calls of subtle[method] while fn runs. */
async function spying(method, fn, replacement) {
  const original = subtle[method];
  let calls = 0;
  subtle[method] = function (...args) {
    calls += 1;
    return replacement ? replacement.apply(this, [original, ...args]) : original.apply(this, args);
  };
  try {
    const result = await fn();
    return { result, calls };
  } finally {
    delete subtle[method];
    if (subtle[method] !== original) subtle[method] = original;
  }
}

/** `run(name, fn)` records { name, ok, detail }: ok when fn resolves to undefined, else its detail or what it threw. */
export function checkRecorder() {
  const results = [];
  const run = async (name, fn) => {
    try {
      const detail = await fn();
      results.push({ name, ok: detail === undefined, detail });
    } catch (e) {
      results.push({ name, ok: false, detail: `threw ${e?.name}: ${e?.message}` });
    }
  };
  return { results, run };
}

export async function runNativeChecks({ lib, fixtures, wycheproof }) {
  const { KmsPublicKey, derToP1363 } = lib;
  const { results, run } = checkRecorder();
  const load = (name) => KmsPublicKey.fromGetPublicKey(fixtures[name].GetPublicKey);

  // ---- verify: fixtures -----------------------------------------------------------------------------------
  for (const name of Object.keys(fixtures).filter((n) => n.endsWith('_SIGN_VERIFY'))) {
    await run(`${name}: verifyAsync answers as verify on every fixture case (DER${name.startsWith('ECC_NIST_P') ? ' and P1363' : ''})`, async () => {
      let key = load(name);
      const nativeFamily = /^(RSA|ECC_NIST_P)/.test(name) || (await platformHas(fixtures, fixtures[name].GetPublicKey.KeySpec)) === true;
      // WebCrypto does only a P-521 key's first verifyAsync: a key per request compares every one with it.
      const keyPerRequest = name === 'ECC_NIST_P521_SIGN_VERIFY';
      const { result: differences, calls } = await spying('verify', async () => {
        const differ = [];
        for (const c of fixtures[name].Signatures) {
          // Bytes: a fixture's malformed (e.g. truncated) signature as a base64 string is refused by its length.
          const { Valid, Note, ...request } = { ...c, Message: b64bytes(c.Message), Signature: b64bytes(c.Signature) };
          const requests = [request];
          if (name.startsWith('ECC_NIST_P') && Valid) {
            requests.push({ ...request, Signature: derToP1363(request.Signature, fixtures[name].GetPublicKey.KeySpec), SignatureFormat: 'P1363' });
          }
          for (const r of requests) {
            if (keyPerRequest) {
              key.free();
              key = load(name);
            }
            const native = await outcome(() => key.verifyAsync(r));
            const sync = await outcome(() => key.verify(r));
            if (sync !== native || sync !== `ok:${Valid}`) differ.push(`${Note} (${r.MessageType}, ${r.SignatureFormat ?? 'DER'}): verify ${sync}, verifyAsync ${native}, expected ${Valid}`);
          }
        }
        return differ;
      });
      // A failing free() (a borrow a thrown exception left behind) is reported with the differences that explain it.
      let freed = '';
      try {
        key.free();
      } catch (e) {
        freed = `free() threw ${e}`;
      }
      if (differences.length || freed) return [...differences, freed].filter(Boolean).join('\n');
      if (nativeFamily && calls === 0) return 'WebCrypto was never asked';
      if (!nativeFamily && calls !== 0) return `WebCrypto was asked ${calls} times for a key it has no algorithm for`;
    });
  }

  // ---- verify: Wycheproof -------------------------------------------------------------------------------
  for (const [file, spec, algorithm] of WYCHEPROOF_FILES) {
    await run(`Wycheproof ${file}: verifyAsync answers as verify on every vector with a 1-4096-byte message`, async () => {
      const set = wycheproof[file];
      if (!set) return `${file} missing`;
      // the two files with a salt KMS never uses: only the vector re-signed with KMS's salt is valid
      const kmsSalt = { 'rsa_pss_2048_sha256_mgf1_0_test.json': 32, 'rsa_pss_4096_sha512_mgf1_32_test.json': 64 }[file];
      const differ = [];
      let compared = 0;
      let verifiedTrue = 0;
      // WebCrypto does only a P-521 key's first verifyAsync (the key's comb table is faster after it), so
      // each P-521 vector gets a key of its own: every one is then compared with WebCrypto's answer.
      const keyPerVector = spec === 'ECC_NIST_P521';
      const webCryptoHas = (await platformHas(fixtures, spec)) ?? true;
      const { calls } = await spying('verify', async () => {
        for (const group of set.testGroups) {
          const loadKey = () => KmsPublicKey.fromPublicKey(fromHex(group.publicKeyDer), { KeySpec: spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: [algorithm] });
          let key;
          try {
            key = loadKey();
          } catch {
            continue; // a key KMS could not have issued: refused at load either way (tests/wycheproof.rs checks the vectors)
          }
          for (const t of group.tests) {
            if (t.ctx) continue; // ML-DSA with a context: KMS signs with the empty context only (tests/wycheproof.rs)
            const message = fromHex(t.msg);
            if (message.length === 0 || message.length > 4096) continue;
            const request = { Message: message, Signature: fromHex(t.sig), SigningAlgorithm: algorithm };
            if (keyPerVector) {
              key.free();
              key = loadKey();
            }
            const native = await outcome(() => key.verifyAsync(request));
            const sync = await outcome(() => key.verify(request));
            compared += 1;
            if (sync === 'ok:true') verifiedTrue += 1;
            const expected = kmsSalt ? t.comment === `s_len changed to ${kmsSalt}` : t.result === 'valid' ? true : t.result === 'invalid' ? false : undefined;
            const ok = sync === native && (sync === 'ok:true' || sync === 'ok:false' || /^throw:ValidationException/.test(sync)) && (expected === undefined || sync === `ok:${expected}` || (!expected && sync.startsWith('throw:')));
            if (!ok) differ.push(`tcId ${t.tcId} (${t.comment}): verify ${sync}, verifyAsync ${native}, expected ${t.result}`);
          }
          key.free();
        }
      });
      if (differ.length) return `${differ.length} of ${compared} differ:\n${differ.slice(0, 20).join('\n')}`;
      if (compared < 50) return `only ${compared} vectors compared`;
      // Malformed signatures (bad DER, wrong length) are decided before WebCrypto; every valid one reaches it.
      if (!webCryptoHas) return calls === 0 ? undefined : `WebCrypto was asked ${calls} times for an algorithm this runtime lacks`;
      if (calls < verifiedTrue || calls === 0) return `WebCrypto was asked for ${calls} vectors, fewer than the ${verifiedTrue} valid ones`;
    });
  }

  // ---- the rules come first -------------------------------------------------------------------------------
  await run('every KMS rule rejects the async operations with the synchronous exception', async () => {
    const p256 = load('ECC_NIST_P256_SIGN_VERIFY');
    const rsa = load('RSA_2048_SIGN_VERIFY');
    const rsaEnc = load('RSA_2048_ENCRYPT_DECRYPT');
    const ecdh = load('ECC_NIST_P256_KEY_AGREEMENT');
    const sig = fixtures.ECC_NIST_P256_SIGN_VERIFY.Signatures.find((s) => s.Valid && s.MessageType === 'RAW');
    const rsaSig = fixtures.RSA_2048_SIGN_VERIFY.Signatures.find((s) => s.Valid && s.MessageType === 'RAW');
    const cases = [
      ['verify with an algorithm the key does not list', p256, 'verify', { ...sig, SigningAlgorithm: 'ECDSA_SHA_384' }],
      ['verify a 4097-byte RAW message', p256, 'verify', { ...sig, Message: new Uint8Array(4097) }],
      ['verify a DIGEST of the wrong length', p256, 'verify', { ...sig, MessageType: 'DIGEST', Message: new Uint8Array(31) }],
      ['verify an empty signature', rsa, 'verify', { ...rsaSig, Signature: new Uint8Array(0) }],
      ['P1363 for an RSA signature', rsa, 'verify', { ...rsaSig, SignatureFormat: 'P1363' }],
      ['verify with an ENCRYPT_DECRYPT key', rsaEnc, 'verify', { ...rsaSig }],
      ['verify without SigningAlgorithm', p256, 'verify', { Message: sig.Message, Signature: sig.Signature }],
      ['verify with a request that is not an object', p256, 'verify', 'x'],
      ['encrypt with a signing key', rsa, 'encrypt', { Plaintext: 'AQI=', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }],
      ['encrypt over the maximum (RSA_2048, SHA-256: 190 bytes)', rsaEnc, 'encrypt', { Plaintext: new Uint8Array(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }],
      ['encrypt with an EncryptionContext', rsaEnc, 'encrypt', { Plaintext: 'AQI=', EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', EncryptionContext: { a: 'b' } }],
      ['encrypt with SM2PKE on an RSA key', rsaEnc, 'encrypt', { Plaintext: 'AQI=', EncryptionAlgorithm: 'SM2PKE' }],
      ['ECDH with a signing key', p256, 'deriveSharedSecret', { KeyAgreementAlgorithm: 'ECDH' }],
      ['ECDH with an unknown algorithm', ecdh, 'deriveSharedSecret', { KeyAgreementAlgorithm: 'ECDHE' }],
      ['ECDH with a malformed PrivateKey', ecdh, 'deriveSharedSecret', { KeyAgreementAlgorithm: 'ECDH', PrivateKey: new Uint8Array(5) }],
    ];
    const differ = [];
    for (const [what, key, op, request] of cases) {
      const sync = await outcome(() => key[op](request));
      const native = await outcome(() => key[`${op}Async`](request));
      if (!sync.startsWith('throw:') || sync !== native) differ.push(`${what}: sync ${sync}, async ${native}`);
    }
    for (const k of [p256, rsa, rsaEnc, ecdh]) k.free();
    return differ.length ? differ.join('\n') : undefined;
  });

  // ---- WebCrypto failing ------------------------------------------------------------------------------------
  await run('a WebCrypto that rejects, throws or gives no boolean / CryptoKey falls back to the wasm answer', async () => {
    const differ = [];
    const failures = {
      rejects: () => Promise.reject(new Error('native failure')),
      throws: () => { throw new Error('sync failure'); },
      'gives something else': () => Promise.resolve('neither a boolean nor a CryptoKey'),
    };
    for (const name of ['RSA_2048_SIGN_VERIFY', 'ECC_NIST_P384_SIGN_VERIFY']) {
      for (const [how, failure] of Object.entries(failures)) {
        for (const method of ['verify', 'importKey']) {
          const key = load(name); // fresh: its CryptoKey is imported while the method fails
          const { calls } = await spying(method, async () => {
            // the first call waits for the import, the later ones find it done (or failed)
            for (const c of fixtures[name].Signatures.filter((s) => s.MessageType === 'RAW').slice(0, 4)) {
              const { Valid, Note, ...request } = { ...c, Message: b64bytes(c.Message), Signature: b64bytes(c.Signature) };
              const got = await outcome(() => key.verifyAsync(request));
              if (got !== `ok:${Valid}`) differ.push(`${name}, ${method} ${how}: ${Note}: ${got}`);
            }
          }, failure);
          if (calls === 0) differ.push(`${name}: the failing ${method} was never called`);
          key.free();
        }
      }
    }
    return differ.length ? differ.join('\n') : undefined;
  });

  // ---- encryptAsync --------------------------------------------------------------------------------------
  for (const bits of [2048, 3072, 4096]) {
    const name = `RSA_${bits}_ENCRYPT_DECRYPT`;
    await run(`${name}: encryptAsync (WebCrypto RSA-OAEP) ciphertexts decrypt with the private key at 1 byte and the maximum`, async () => {
      const key = load(name);
      const problems = [];
      const { calls } = await spying('encrypt', async () => {
        for (const [algorithm, hash, hashLen] of [['RSAES_OAEP_SHA_1', 'SHA-1', 20], ['RSAES_OAEP_SHA_256', 'SHA-256', 32]]) {
          const privateKey = await subtle.importKey('pkcs8', pemBody(fixtures[name].PrivateKeyPem), { name: 'RSA-OAEP', hash }, false, ['decrypt']);
          for (const length of [1, bits / 8 - 2 * hashLen - 2]) {
            const plaintext = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 255);
            const response = await key.encryptAsync({ Plaintext: plaintext, EncryptionAlgorithm: algorithm });
            const opened = new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, response.CiphertextBlob));
            if (!equal(opened, plaintext)) problems.push(`${algorithm} ${length} bytes: does not decrypt to the plaintext`);
            if (response.EncryptionAlgorithm !== algorithm || response.KeyId !== fixtures[name].GetPublicKey.KeyId || response.CiphertextBlob.length !== bits / 8) {
              problems.push(`${algorithm}: response ${JSON.stringify({ ...response, CiphertextBlob: response.CiphertextBlob.length })}`);
            }
          }
        }
      });
      key.free();
      if (calls !== 4) problems.push(`WebCrypto encrypt was called ${calls} times, not 4`);
      return problems.length ? problems.join('\n') : undefined;
    });
  }

  await run('RSA_2048_ENCRYPT_DECRYPT: a WebCrypto encrypt that rejects, throws or gives no ArrayBuffer falls back to the wasm ciphertext, before and after the CryptoKey is cached', async () => {
    const name = 'RSA_2048_ENCRYPT_DECRYPT';
    const problems = [];
    const privateKey = await subtle.importKey('pkcs8', pemBody(fixtures[name].PrivateKeyPem), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
    const failures = { rejects: () => Promise.reject(new Error('native failure')), throws: () => { throw new Error('sync failure'); }, 'no ArrayBuffer': () => Promise.resolve('not a ciphertext') };
    for (const [how, failure] of Object.entries(failures)) {
      const key = load(name); // fresh: the first call imports the CryptoKey, the later ones find it cached
      const { calls } = await spying('encrypt', async () => {
        for (let i = 0; i < 3; i++) {
          const plaintext = Uint8Array.from({ length: 20 + i }, (_, j) => (j * 13) ^ i);
          const response = await key.encryptAsync({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
          const opened = new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, response.CiphertextBlob));
          if (!equal(opened, plaintext)) problems.push(`${how}, call ${i + 1}: does not decrypt to the plaintext`);
          if (response.KeyId !== fixtures[name].GetPublicKey.KeyId || response.EncryptionAlgorithm !== 'RSAES_OAEP_SHA_256') problems.push(`${how}, call ${i + 1}: response ${JSON.stringify({ ...response, CiphertextBlob: response.CiphertextBlob.length })}`);
        }
      }, failure);
      key.free();
      if (calls !== 3) problems.push(`${how}: WebCrypto encrypt was called ${calls} times, not 3`);
    }
    return problems.length ? problems.join('\n') : undefined;
  });

  await run('SM2_ENCRYPT_DECRYPT: encryptAsync falls back to the wasm SM2PKE (a DER ciphertext of the right size)', async () => {
    const key = load('SM2_ENCRYPT_DECRYPT');
    const { result, calls } = await spying('encrypt', () => key.encryptAsync({ Plaintext: new Uint8Array(10), EncryptionAlgorithm: 'SM2PKE' }));
    key.free();
    if (calls !== 0) return 'WebCrypto was asked for SM2';
    if (result.CiphertextBlob[0] !== 0x30 || result.CiphertextBlob.length < 10 + 32 + 64) return `not an SM2PKE DER ciphertext: ${result.CiphertextBlob.length} bytes`;
  });

  // ---- deriveSharedSecretAsync -----------------------------------------------------------------------------
  // P-521 agreements stay in wasm (faster than WebCrypto's P-521, even on a key's first agreement).
  for (const [name, curve, bytes, webCryptoCalls] of [['ECC_NIST_P256_KEY_AGREEMENT', 'P-256', 32, 1], ['ECC_NIST_P384_KEY_AGREEMENT', 'P-384', 48, 1], ['ECC_NIST_P521_KEY_AGREEMENT', 'P-521', 66, 0]]) {
    await run(`${name}: deriveSharedSecretAsync (${webCryptoCalls ? 'WebCrypto' : 'wasm'} ECDH) gives the Z the KMS private key derives with its PublicKey`, async () => {
      const key = load(name);
      const kmsPrivate = await subtle.importKey('pkcs8', pemBody(fixtures[name].PrivateKeyPem), { name: 'ECDH', namedCurve: curve }, false, ['deriveBits']);
      const { result, calls } = await spying('deriveBits', () => key.deriveSharedSecretAsync({ KeyAgreementAlgorithm: 'ECDH' }));
      const sync = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
      key.free();
      const theirs = await subtle.importKey('spki', result.PublicKey, { name: 'ECDH', namedCurve: curve }, false, []);
      const z = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: theirs }, kmsPrivate, bytes * 8));
      if (calls !== webCryptoCalls) return `WebCrypto deriveBits was called ${calls} times, not ${webCryptoCalls}`;
      if (!equal(z, result.SharedSecret)) return 'SharedSecret is not the Z of the KMS private key and PublicKey';
      // the same SPKI shape (AlgorithmIdentifier, uncompressed point) as the synchronous operation's
      if (result.PublicKey.length !== sync.PublicKey.length || !equal(result.PublicKey.slice(0, -(2 * bytes + 1)), sync.PublicKey.slice(0, -(2 * bytes + 1)))) return 'PublicKey is not shaped as the synchronous one';
      if (result.KeyAgreementAlgorithm !== 'ECDH' || result.KeyId !== sync.KeyId) return `response ${JSON.stringify(result)}`;
    });
  }

  await run('deriveSharedSecretAsync with a static PrivateKey and with SM2 gives the synchronous (wasm) result', async () => {
    const problems = [];
    for (const name of ['ECC_NIST_P256_KEY_AGREEMENT', 'SM2_KEY_AGREEMENT']) {
      const key = load(name);
      const PrivateKey = fixtures[name].PrivateKeyPem;
      const sync = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH', PrivateKey });
      const { result, calls } = await spying('deriveBits', () => key.deriveSharedSecretAsync({ KeyAgreementAlgorithm: 'ECDH', PrivateKey }));
      if (calls !== 0 || !equal(sync.SharedSecret, result.SharedSecret) || !equal(sync.PublicKey, result.PublicKey)) problems.push(`${name}: differs from deriveSharedSecret`);
      if (name.startsWith('SM2')) {
        const eph = await key.deriveSharedSecretAsync({ KeyAgreementAlgorithm: 'ECDH' });
        if (eph.SharedSecret.length !== 32) problems.push('SM2 ephemeral: no 32-byte Z');
      }
      key.free();
    }
    return problems.length ? problems.join('\n') : undefined;
  });

  // ---- encapsulateAsync -----------------------------------------------------------------------------------
  for (const bits of [512, 768, 1024]) {
    const name = `ML_KEM_${bits}_ENCAPSULATE_DECAPSULATE`;
    const algorithm = `ML-KEM-${bits}`;
    const native = await platformHas(fixtures, `ML_KEM_${bits}`);
    await run(`${name}: encapsulateAsync (${native ? 'WebCrypto encapsulateBits' : 'wasm: no ML-KEM in this WebCrypto'}) gives a ciphertext that decapsulates to its SharedSecret`, async () => {
      const key = load(name);
      const { result: responses, calls } = await spying('encapsulateBits', async () => [await key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' }), await key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' })]);
      const sync = key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' });
      key.free();
      const problems = [];
      if (calls !== (native ? 2 : 0)) problems.push(`WebCrypto encapsulateBits was called ${calls} times, not ${native ? 2 : 0}`);
      for (const r of responses) {
        if (r.KeyId !== sync.KeyId || r.EncapsulationAlgorithm !== 'ML_KEM' || r.SharedSecret.length !== 32 || r.SharedSecretCiphertextBlob.length !== sync.SharedSecretCiphertextBlob.length) {
          problems.push(`response ${JSON.stringify({ ...r, SharedSecret: r.SharedSecret.length, SharedSecretCiphertextBlob: r.SharedSecretCiphertextBlob.length })}`);
        }
      }
      if (equal(responses[0].SharedSecret, responses[1].SharedSecret)) problems.push('two encapsulations gave the same secret');
      if (native) {
        // Decapsulated by WebCrypto with the fixture's private key (its 64-byte seed); without ML-KEM here the
        // wasm path answers, which tests/js/runtime.test.mjs decapsulates with @noble/post-quantum.
        const privateKey = await subtle.importKey('raw-seed', b64bytes(fixtures[name].PrivateKeySeed), { name: algorithm }, false, ['decapsulateBits']);
        for (const r of [...responses, sync]) {
          const secret = new Uint8Array(await subtle.decapsulateBits({ name: algorithm }, privateKey, r.SharedSecretCiphertextBlob));
          if (!equal(secret, r.SharedSecret)) problems.push('a ciphertext does not decapsulate to its SharedSecret');
        }
      }
      return problems.length ? problems.join('\n') : undefined;
    });
  }

  await run('encapsulateAsync: the rules first (the synchronous exceptions), and a failing WebCrypto falls back to wasm', async () => {
    const problems = [];
    const kem = load('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    const signing = load('ML_DSA_65_SIGN_VERIFY');
    for (const [what, key, request] of [['another algorithm', kem, { EncapsulationAlgorithm: 'ML_KEM_768' }], ['no algorithm', kem, {}], ['a signing key', signing, { EncapsulationAlgorithm: 'ML_KEM' }], ['not an object', kem, 7]]) {
      const sync = await outcome(() => key.encapsulate(request));
      const async_ = await outcome(() => key.encapsulateAsync(request));
      if (!sync.startsWith('throw:') || sync !== async_) problems.push(`${what}: sync ${sync}, async ${async_}`);
    }
    for (const method of ['encapsulateBits', 'importKey']) {
      const key = load('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
      const { result } = await spying(method, () => Promise.all([1, 2, 3].map(() => key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' }))), () => Promise.reject(new Error('native failure')));
      if (result.some((r) => r.SharedSecret.length !== 32 || r.SharedSecretCiphertextBlob.length !== 1088)) problems.push(`${method} failing: not the wasm answer`);
      key.free();
    }
    kem.free();
    signing.free();
    return problems.length ? problems.join('\n') : undefined;
  });

  await run('encapsulateAsync: an encapsulateBits that throws or gives something of another shape falls back to wasm; a key freed meanwhile still answers', async () => {
    const problems = [];
    const name = 'ML_KEM_768_ENCAPSULATE_DECAPSULATE';
    const wasmShaped = (r) => r?.SharedSecret?.length === 32 && r.SharedSecretCiphertextBlob?.length === 1088 && r.KeyId === fixtures[name].GetPublicKey.KeyId && r.EncapsulationAlgorithm === 'ML_KEM';
    const failures = {
      throws: () => { throw new Error('sync failure'); },
      'gives a short shared key': () => Promise.resolve({ sharedKey: new ArrayBuffer(31), ciphertext: new ArrayBuffer(1088) }),
      'gives a number': () => Promise.resolve(7),
      'gives null': () => Promise.resolve(null),
    };
    for (const [how, failure] of Object.entries(failures)) {
      const key = load(name); // fresh: the first call waits for the import, the second finds it done
      const { result } = await spying('encapsulateBits', async () => [await key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' }), await key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' })], failure);
      if (!result.every(wasmShaped)) problems.push(`encapsulateBits ${how}: not the wasm answer`);
      key.free();
    }
    const key = load(name);
    const pending = key.encapsulateAsync({ EncapsulationAlgorithm: 'ML_KEM' });
    key.free();
    if (!wasmShaped(await pending)) problems.push('a key freed while its encapsulateAsync ran: no EncapsulateResponse');
    return problems.length ? problems.join('\n') : undefined;
  });

  await run('a key whose WebCrypto import failed (an algorithm this runtime lacks) goes straight to wasm afterwards: not imported again, answered at once', async () => {
    const key = load('ECC_NIST_P256_SIGN_VERIFY'); // a family every WebCrypto has: the import's failure is simulated
    const c = fixtures.ECC_NIST_P256_SIGN_VERIFY.Signatures.find((s) => s.Valid && s.MessageType === 'RAW');
    const request = { Message: b64bytes(c.Message), Signature: b64bytes(c.Signature), SigningAlgorithm: c.SigningAlgorithm };
    const { result, calls } = await spying('importKey', async () => {
      const first = await key.verifyAsync(request); // the import fails: answered by wasm
      // An already settled promise wins the race against a resolved one; one chained on the failed import does not.
      const later = await Promise.race([key.verifyAsync(request), Promise.resolve('still pending')]);
      return [first, later, await key.verifyAsync(request)];
    }, () => Promise.reject(new Error('not supported here')));
    key.free();
    if (result.some((answer) => answer !== true)) return `answered ${result}`;
    if (calls !== 1) return `importKey was called ${calls} times, not once`;
  });

  await run('a WebCrypto verify that rejects after its key was freed rejects too: it is never answered with another key', async () => {
    const own = (name) => (({ Valid, Note, ...r }) => ({ ...r, MessageEncoding: 'base64' }))(fixtures[name].Signatures.find((s) => s.Valid && s.MessageType === 'RAW'));
    const request = own('ECC_NIST_P256_SIGN_VERIFY');
    const first = load('ECC_NIST_P256_SIGN_VERIFY');
    await first.verifyAsync(request); // imports the CryptoKey
    await first.verifyAsync(request); // straight to WebCrypto: registered for the fallback
    let rejectNow;
    const failure = new Error('late native failure');
    let calls = 0;
    const { result } = await spying('verify', async () => {
      const pending = first.verifyAsync(request);
      first.free(); // the key is gone before WebCrypto answers
      // other keys go straight to WebCrypto meanwhile, and so register for the fallback too
      const others = ['ECC_NIST_P384_SIGN_VERIFY', 'RSA_2048_SIGN_VERIFY'].map((name) => [load(name), own(name)]);
      for (const [other, mine] of others) {
        for (let i = 0; i < 3; i++) if ((await other.verifyAsync(mine)) !== true) return 'another key stopped verifying its own signature';
      }
      rejectNow(failure);
      const settled = await outcome(() => pending);
      for (const [other] of others) other.free();
      return settled;
    }, (original, ...args) => (calls++ === 0 ? new Promise((_, reject) => (rejectNow = reject)) : original.apply(subtle, args)));
    if (result !== `throw:Error:${failure.message}`) return `settled as ${result}`;
  });

  await run('an async operation still settles when its key is freed while it runs', async () => {
    const key = load('ECC_NIST_P256_SIGN_VERIFY');
    const { Valid, Note, ...request } = { ...fixtures.ECC_NIST_P256_SIGN_VERIFY.Signatures.find((s) => s.Valid && s.MessageType === 'RAW'), MessageEncoding: 'base64' };
    const pending = key.verifyAsync(request);
    key.free();
    const answer = await pending;
    if (answer !== true) return `answered ${answer}`;
    const after = await outcome(() => key.verifyAsync(request));
    if (!after.startsWith('throw:ValidationException')) return `a freed key's verifyAsync: ${after}`;
  });

  return results;
}
