// Runs in the browser (plain page and Vite app): verifies fixture signature cases with the package and
// builds window.__kmsReport, then sets window.__kmsDone. No Node APIs here.

export function b64bytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function outcome(fn) {
  try {
    const r = fn();
    return typeof r === 'boolean' ? r : r && r.SignatureValid === true ? 'ok' : JSON.stringify(r);
  } catch (e) {
    return `throw:${e && e.name}`;
  }
}

/** Load one fixture key and verify all its cases; returns the key's part of the report. */
export function runFixture(KmsPublicKey, name, fixture) {
  const gpk = fixture.GetPublicKey;
  const entry = { name, keySpec: gpk.KeySpec, keyUsage: gpk.KeyUsage, cases: [] };
  let key;
  try {
    key = KmsPublicKey.fromGetPublicKey(JSON.stringify(gpk));
  } catch (e) {
    entry.loadError = `${e && e.name}: ${e && e.message}`;
    return entry;
  }
  entry.fingerprint = key.fingerprint();
  entry.keyId = key.keyId;
  entry.arn = key.arn ? { ...key.arn } : null;
  entry.algorithms = [...key.signingAlgorithms, ...key.encryptionAlgorithms, ...key.keyAgreementAlgorithms, ...key.encapsulationAlgorithms];
  const t0 = performance.now();
  (fixture.Signatures || []).forEach((c, i) => {
    const bytesReq = { Message: b64bytes(c.Message), Signature: b64bytes(c.Signature), SigningAlgorithm: c.SigningAlgorithm };
    const b64Req = { Message: c.Message, MessageEncoding: 'base64', Signature: c.Signature, SigningAlgorithm: c.SigningAlgorithm };
    if (c.MessageType !== undefined) bytesReq.MessageType = b64Req.MessageType = c.MessageType;
    const bytes = outcome(() => key.verify(bytesReq));
    // A malformed signature case (truncated, extended) as a base64 string may be refused by its length.
    const b64 = outcome(() => key.verify(b64Req));
    const b64ok = b64 === c.Valid || (!c.Valid && b64 === 'throw:ValidationException');
    const orThrow = outcome(() => key.verifyOrThrow(bytesReq));
    const ok = bytes === c.Valid && b64ok && orThrow === (c.Valid ? 'ok' : 'throw:KMSInvalidSignatureException');
    entry.cases.push({ i, alg: c.SigningAlgorithm, mt: c.MessageType ?? 'RAW', expected: c.Valid, bytes, b64, orThrow, ok, note: c.Note });
  });
  entry.ms = Math.round(performance.now() - t0);
  key.free();
  return entry;
}

/** A few KMS rules, checked in the browser too (the error objects must survive the wasm boundary). */
export function runRules(KmsPublicKey, p256Fixture) {
  const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(p256Fixture.GetPublicKey));
  const ok = p256Fixture.Signatures.find((c) => c.Valid && (c.MessageType ?? 'RAW') === 'RAW');
  const base = { Message: b64bytes(ok.Message), Signature: ok.Signature, SigningAlgorithm: ok.SigningAlgorithm };
  const rules = [
    ['RAW message of 0 bytes', () => key.verify({ ...base, Message: new Uint8Array(0) }), 'throw:ValidationException'],
    ['RAW message of 4097 bytes', () => key.verify({ ...base, Message: new Uint8Array(4097) }), 'throw:ValidationException'],
    ['DIGEST of 31 bytes', () => key.verify({ ...base, Message: new Uint8Array(31), MessageType: 'DIGEST' }), 'throw:ValidationException'],
    ['ECDSA_SHA_384 on a P-256 key', () => key.verify({ ...base, SigningAlgorithm: 'ECDSA_SHA_384' }), 'throw:InvalidKeyUsageException'],
    ['unknown SigningAlgorithm', () => key.verify({ ...base, SigningAlgorithm: 'NOT_AN_ALGORITHM' }), 'throw:ValidationException'],
    ['P-256 key labelled ECC_NIST_P384', () => KmsPublicKey.fromGetPublicKey(JSON.stringify({ ...p256Fixture.GetPublicKey, KeySpec: 'ECC_NIST_P384', CustomerMasterKeySpec: 'ECC_NIST_P384', SigningAlgorithms: ['ECDSA_SHA_384'] })), 'throw:ValidationException'],
    ['valid signature after the errors', () => key.verify(base), true],
  ];
  const out = rules.map(([what, fn, expected]) => {
    const got = outcome(fn);
    return { what, expected, got: typeof got === 'object' ? 'object' : got, ok: got === expected };
  });
  key.free();
  return out;
}

/**
 * Encrypt for KMS Decrypt needs randomness from the page (crypto.getRandomValues through the glue): encrypt
 * twice with RSAES_OAEP_SHA_256 and decrypt with WebCrypto and the fixture's private key.
 */
export async function runRandomness(KmsPublicKey, rsaEncFixture) {
  const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(rsaEncFixture.GetPublicKey));
  const plaintext = new TextEncoder().encode('kms-offline browser encrypt check');
  const a = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  const b = key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' });
  key.free();
  const pkcs8 = b64bytes(rsaEncFixture.PrivateKeyPem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''));
  const priv = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
  const dec = async (ct) => new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'RSA-OAEP' }, priv, ct));
  const same = a.CiphertextBlob.length === b.CiphertextBlob.length && a.CiphertextBlob.every((x, i) => x === b.CiphertextBlob[i]);
  const want = 'kms-offline browser encrypt check';
  return [
    { what: 'encrypt twice gives different ciphertexts (randomness)', expected: true, got: !same, ok: !same },
    { what: 'WebCrypto RSA-OAEP-256 decrypts both', expected: want, got: `${await dec(a.CiphertextBlob)} / ${await dec(b.CiphertextBlob)}`, ok: (await dec(a.CiphertextBlob)) === want && (await dec(b.CiphertextBlob)) === want },
  ];
}

/**
 * Key agreement and ML-KEM made in the page. ECDH is checked in the page with WebCrypto (the KMS private key
 * derives the same bits from our public key); every output also goes back to the Node test, where node:crypto
 * (ECDH) and @noble/post-quantum (ML-KEM decapsulation) open it independently.
 */
export async function runExchanges(KmsPublicKey, named) {
  const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
  const pkcs8Of = (pem) => b64bytes(pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, ''));
  const curves = { ECC_NIST_P256: 'P-256', ECC_NIST_P384: 'P-384', ECC_NIST_P521: 'P-521' };
  const out = [];
  for (const [name, fixture] of named) {
    const g = fixture.GetPublicKey;
    if (g.KeyUsage === 'KEY_AGREEMENT' && curves[g.KeySpec]) {
      const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(g));
      const r = key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' });
      key.free();
      const namedCurve = curves[g.KeySpec];
      const kmsPrivate = await crypto.subtle.importKey('pkcs8', pkcs8Of(fixture.PrivateKeyPem), { name: 'ECDH', namedCurve }, false, ['deriveBits']);
      const ours = await crypto.subtle.importKey('spki', r.PublicKey, { name: 'ECDH', namedCurve }, false, []);
      // The whole secret: the x-coordinate as 32/48/66 bytes, which is KMS's SharedSecret.
      const z = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: ours }, kmsPrivate, r.SharedSecret.length * 8));
      out.push({ name, kind: 'ECDH', publicKey: b64(r.PublicKey), secret: b64(r.SharedSecret), webCrypto: z.every((x, i) => x === r.SharedSecret[i]) });
    } else if (g.KeyUsage === 'ENCAPSULATE_DECAPSULATE') {
      const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(g));
      const r = key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' });
      key.free();
      out.push({ name, kind: 'ML_KEM', ciphertext: b64(r.SharedSecretCiphertextBlob), secret: b64(r.SharedSecret) });
    }
  }
  return out;
}

/** Render the report as a table (for people and for the screenshot). */
export function render(report, title) {
  const esc = (s) => String(s).replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
  const rows = report.keys
    .map((k) => {
      const n = k.cases.length;
      const good = k.cases.filter((c) => c.ok).length;
      const valid = k.cases.filter((c) => c.expected).length;
      const status = k.loadError ? `load error: ${esc(k.loadError)}` : n === 0 ? 'loaded' : good === n ? 'all match' : `${n - good} MISMATCH`;
      const cls = k.loadError || good !== n ? 'bad' : 'good';
      return `<tr class="${cls}"><td>${esc(k.name)}</td><td>${esc(k.keySpec)}</td><td>${esc(k.keyUsage)}</td><td>${n}</td><td>${valid}</td><td>${n - valid}</td><td>${k.ms ?? ''}</td><td><code>${esc((k.fingerprint || '').slice(0, 16))}…</code></td><td>${status}</td></tr>`;
    })
    .join('');
  const rules = report.rules
    .map((r) => `<tr class="${r.ok ? 'good' : 'bad'}"><td>${esc(r.what)}</td><td>${esc(r.expected)}</td><td>${esc(r.got)}</td></tr>`)
    .join('');
  document.body.innerHTML = `
    <h1>${esc(title)}</h1>
    <p id="summary" class="${report.summary.mismatches === 0 ? 'good' : 'bad'}">${report.summary.cases} signature cases in ${report.keys.length} keys:
      ${report.summary.cases - report.summary.mismatches} match, ${report.summary.mismatches} mismatch; rules ${report.rules.filter((r) => r.ok).length}/${report.rules.length};
      ${esc(report.userAgent)}</p>
    <table><thead><tr><th>fixture</th><th>KeySpec</th><th>KeyUsage</th><th>cases</th><th>valid</th><th>tampered</th><th>ms</th><th>SHA-256 of SPKI</th><th>result</th></tr></thead><tbody>${rows}</tbody></table>
    <h2>KMS rules and encryption</h2>
    <table><thead><tr><th>rule</th><th>expected</th><th>got</th></tr></thead><tbody>${rules}</tbody></table>`;
}

/** Build the report for a list of [name, fixture] pairs, render it, and signal completion. */
export async function runAll(KmsPublicKey, named, title) {
  const report = { keys: [], rules: [], summary: { cases: 0, mismatches: 0 }, userAgent: navigator.userAgent };
  window.__kmsReport = report;
  try {
    for (const [name, fixture] of named) report.keys.push(runFixture(KmsPublicKey, name, fixture));
    const p256 = named.find(([n]) => n === 'ECC_NIST_P256_SIGN_VERIFY');
    if (p256) report.rules = runRules(KmsPublicKey, p256[1]);
    const rsaEnc = named.find(([n]) => n === 'RSA_2048_ENCRYPT_DECRYPT');
    if (rsaEnc) report.rules.push(...(await runRandomness(KmsPublicKey, rsaEnc[1])));
    report.exchanges = await runExchanges(KmsPublicKey, named);
    for (const x of report.exchanges.filter((e) => e.kind === 'ECDH')) {
      report.rules.push({ what: `${x.name}: WebCrypto ECDH with the KMS private key gives the same Z`, expected: true, got: x.webCrypto, ok: x.webCrypto });
    }
    for (const k of report.keys) {
      report.summary.cases += k.cases.length;
      report.summary.mismatches += k.cases.filter((c) => !c.ok).length + (k.loadError ? 1 : 0);
    }
    render(report, title);
  } catch (e) {
    report.fatal = `${e && e.name}: ${e && e.message}\n${e && e.stack}`;
    document.body.textContent = report.fatal;
  }
  window.__kmsDone = true;
  return report;
}
