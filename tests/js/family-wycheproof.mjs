// The Wycheproof files of each single-family entry (those the main-entry tests read: tests/js/native-checks.mjs,
// family.test.mjs, wycheproof-wasm.test.mjs) and how one file's vectors are compared between the main entry and a
// family entry. Shared by the Node test (tests/js/family-entries.test.mjs) and the browser page
// (tests/browser/family-entries.html): no Node module here.
import { WYCHEPROOF_FILES } from './native-checks.mjs';

const ECDSA = (curve, sha, spec, algorithm) => [
  { file: `ecdsa_${curve}_${sha}_test.json`, spec, algorithm, format: 'DER' },
  ...(curve === 'secp384r1' || curve === 'secp521r1' ? [] : [{ file: `ecdsa_${curve}_${sha}_p1363_test.json`, spec, algorithm, format: 'P1363' }]),
];
const listed = (prefix) => WYCHEPROOF_FILES.filter(([, spec]) => spec.startsWith(prefix)).map(([file, spec, algorithm]) => ({ file, spec, algorithm }));

/** entry → the Wycheproof sets of its family: { file, spec (KeySpec), algorithm (SigningAlgorithm), format }. */
export const FAMILY_WYCHEPROOF = {
  rsa: listed('RSA_'),
  p256: ECDSA('secp256r1', 'sha256', 'ECC_NIST_P256', 'ECDSA_SHA_256'),
  p384: ECDSA('secp384r1', 'sha384', 'ECC_NIST_P384', 'ECDSA_SHA_384'),
  p521: ECDSA('secp521r1', 'sha512', 'ECC_NIST_P521', 'ECDSA_SHA_512'),
  secp256k1: ECDSA('secp256k1', 'sha256', 'ECC_SECG_P256K1', 'ECDSA_SHA_256'),
  sm2: [],
  ed25519: listed('ECC_NIST_EDWARDS25519'),
  'ml-dsa': listed('ML_DSA_'),
  'ml-kem': [],
};

export const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

/**
 * The requests a Wycheproof vector makes for its file's family: RAW (1-4096 bytes, KMS's limits), DIGEST (secp256k1,
 * with `sha256(bytes)`), EXTERNAL_MU (ML-DSA: the μ from the main entry's externalMuDigest, which only it has).
 */
export function vectorRequests(set, message, signature, mainKey, sha256) {
  const base = { Signature: signature, SigningAlgorithm: set.algorithm, ...(set.format === 'P1363' ? { SignatureFormat: 'P1363' } : {}) };
  const raw = message.length >= 1 && message.length <= 4096 ? [{ ...base, Message: message, MessageType: 'RAW' }] : [];
  if (set.spec === 'ECC_SECG_P256K1') return [...raw, { ...base, Message: sha256(message), MessageType: 'DIGEST' }];
  if (set.spec.startsWith('ML_DSA_')) {
    const mu = mainKey.externalMuDigest();
    mu.update(message);
    return [...raw, { ...base, Message: mu.digest(), MessageType: 'EXTERNAL_MU' }];
  }
  return raw;
}

const said = (fn) => {
  try {
    return `ok:${JSON.stringify(fn())}`;
  } catch (e) {
    return `throw:${e && e.name}:${e && e.message}`;
  }
};
const saidAsync = async (fn) => {
  try {
    return `ok:${JSON.stringify(await fn())}`;
  } catch (e) {
    return `throw:${e && e.name}:${e && e.message}`;
  }
};

/**
 * Every vector of one Wycheproof file through both entries ([main, family] modules): the key load, verify and (where
 * the entry has it) verifyAsync must give the same answer or the same exception, and every valid vector KMS's
 * parameters allow must verify. Returns { compared, problems } (problems: one line per difference).
 */
export async function compareWycheproofFile([main, family], set, data, sha256) {
  const metadata = { KeySpec: set.spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: [set.algorithm] };
  const problems = [];
  let compared = 0;
  for (const group of data.testGroups) {
    const der = fromHex(group.publicKeyDer);
    const [mainLoad, familyLoad] = [main, family].map((lib) => said(() => lib.KmsPublicKey.fromPublicKey(der, metadata).free()));
    if (familyLoad !== mainLoad) problems.push(`${set.file}: key of group ${group.publicKeyDer.slice(-16)}: ${familyLoad} vs ${mainLoad}`);
    if (!mainLoad.startsWith('ok:') || familyLoad !== mainLoad) continue;
    const [mainKey, familyKey] = [main, family].map((lib) => lib.KmsPublicKey.fromPublicKey(der, metadata));
    try {
      for (const t of group.tests) {
        if (t.ctx) continue; // ML-DSA with a context: KMS signs with an empty one
        for (const request of vectorRequests(set, fromHex(t.msg), fromHex(t.sig), mainKey, sha256)) {
          const what = `${set.file} tcId ${t.tcId} (${t.comment}, ${request.MessageType})`;
          const [expected, got] = [mainKey, familyKey].map((key) => said(() => key.verify(request)));
          if (got !== expected) problems.push(`${what}: verify ${got} vs ${expected}`);
          if (familyKey.verifyAsync) {
            const gotAsync = await saidAsync(() => familyKey.verifyAsync(request));
            if (gotAsync !== expected) problems.push(`${what}: verifyAsync ${gotAsync} vs ${expected}`);
          }
          // The PSS files with salts KMS never uses verify false throughout (native-checks.mjs).
          if (t.result === 'valid' && !set.file.includes('_mgf1_0_') && !set.file.includes('sha512_mgf1_32') && expected !== 'ok:true') {
            problems.push(`${what}: a valid vector gives ${expected}`);
          }
          compared += 1;
        }
      }
    } finally {
      mainKey.free();
      familyKey.free();
    }
  }
  return { compared, problems };
}
