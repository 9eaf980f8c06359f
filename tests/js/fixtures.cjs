'use strict';
// Shared helpers for the JS tests: load tests/fixtures/keys/*.json and small byte utilities.
// CommonJS so that both the ESM and the CommonJS test files can use it.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const KEYS_DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'keys');

const ALGORITHM_LISTS = ['SigningAlgorithms', 'EncryptionAlgorithms', 'KeyAgreementAlgorithms', 'EncapsulationAlgorithms'];
const GETTERS = {
  SigningAlgorithms: 'signingAlgorithms',
  EncryptionAlgorithms: 'encryptionAlgorithms',
  KeyAgreementAlgorithms: 'keyAgreementAlgorithms',
  EncapsulationAlgorithms: 'encapsulationAlgorithms',
};
const KMS_ERROR_NAMES = [
  'ValidationException',
  'InvalidKeyUsageException',
  'UnsupportedOperationException',
  'KMSInvalidSignatureException',
  'InvalidArnException',
];

/** Every fixture key: [{ file, name, data }] sorted by file name. Throws when there are none. */
function loadFixtures() {
  if (!fs.existsSync(KEYS_DIR)) throw new Error(`fixture directory missing: ${KEYS_DIR}`);
  const files = fs
    .readdirSync(KEYS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort();
  if (files.length === 0) throw new Error(`no fixture keys in ${KEYS_DIR}`);
  return files.map((file) => ({
    file,
    name: file.replace(/\.json$/, ''),
    data: JSON.parse(fs.readFileSync(path.join(KEYS_DIR, file), 'utf8')),
  }));
}

/** The fixture index (tests/fixtures/keys/index.json) or undefined. */
function loadIndex() {
  const p = path.join(KEYS_DIR, 'index.json');
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')) : undefined;
}

/** A plain Uint8Array (not a Buffer) with the bytes of a base64 string. */
function b64bytes(b64) {
  const buf = Buffer.from(b64, 'base64');
  const out = new Uint8Array(buf.length);
  out.set(buf);
  return out;
}

function toB64(bytes) {
  return Buffer.from(bytes).toString('base64');
}

function sha256hex(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The name of the one algorithm list a GetPublicKey output carries. */
function algorithmListName(gpk) {
  const present = ALGORITHM_LISTS.filter((k) => Array.isArray(gpk[k]));
  if (present.length !== 1) throw new Error(`expected exactly one algorithm list in ${JSON.stringify(Object.keys(gpk))}`);
  return present[0];
}

/** metadata for fromPublicKey: everything of GetPublicKey but PublicKey. */
function metadataOf(gpk) {
  const { PublicKey, ...metadata } = gpk;
  return metadata;
}

/** The SDK v3 GetPublicKeyCommand output for a CLI JSON: PublicKey as Uint8Array plus $metadata. */
function sdkOutputOf(gpk) {
  return {
    $metadata: { httpStatusCode: 200, requestId: '7c1b9f8e-0d2a-4e4b-9a53-3f0c2b1d5e6f', attempts: 1, totalRetryDelay: 0 },
    ...gpk,
    PublicKey: b64bytes(gpk.PublicKey),
  };
}

// The deprecated CustomerMasterKeySpec enum (KMS-RULES 2): it lacks ML-DSA, Ed25519 and ML-KEM.
const LEGACY_KEY_SPECS = new Set(['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2']);

/**
 * What toJSON() must give: what GetPublicKey returns. Like real KMS output it carries the deprecated
 * CustomerMasterKeySpec (= KeySpec) exactly when the key spec exists in that older enum.
 */
function expectedJson(gpk) {
  const list = algorithmListName(gpk);
  const out = {};
  if (gpk.KeyId !== undefined) out.KeyId = gpk.KeyId;
  out.PublicKey = gpk.PublicKey;
  if (LEGACY_KEY_SPECS.has(gpk.KeySpec)) out.CustomerMasterKeySpec = gpk.KeySpec;
  out.KeySpec = gpk.KeySpec;
  out.KeyUsage = gpk.KeyUsage;
  out[list] = gpk[list];
  return out;
}

const ARN_RE = /^arn:([^:]+):kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/;
function expectedArn(keyId) {
  const m = typeof keyId === 'string' ? ARN_RE.exec(keyId) : null;
  if (!m) return undefined;
  return { partition: m[1], region: m[2], accountId: m[3], resourceType: m[4], resourceId: m[5] };
}

/** PEM text -> DER bytes */
function pemToDer(pem) {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');
  return b64bytes(body);
}

/** Minimal DER walk: the contents of the subjectPublicKey BIT STRING of an SPKI (without the unused-bits byte). */
function spkiRawKey(der) {
  let i = 0;
  const readHeader = () => {
    const tag = der[i++];
    let len = der[i++];
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + der[i++];
    }
    return { tag, len };
  };
  const outer = readHeader();
  if (outer.tag !== 0x30) throw new Error('SPKI: not a SEQUENCE');
  const alg = readHeader();
  if (alg.tag !== 0x30) throw new Error('SPKI: no AlgorithmIdentifier');
  i += alg.len;
  const bits = readHeader();
  if (bits.tag !== 0x03) throw new Error('SPKI: no BIT STRING');
  return der.slice(i + 1, i + bits.len);
}

/** FIPS 204 external mu with empty context, the recipe AWS documents for EXTERNAL_MU. */
function mlDsaMu(spkiDer, message) {
  const tr = crypto.createHash('shake256', { outputLength: 64 }).update(spkiRawKey(spkiDer)).digest();
  return new Uint8Array(
    crypto
      .createHash('shake256', { outputLength: 64 })
      .update(Buffer.concat([tr, Buffer.from([0, 0]), Buffer.from(message)]))
      .digest(),
  );
}

/** SHA-2 hash of RSA/ECDSA signing algorithms, from the name; undefined for others. */
function shaOf(alg) {
  const m = /^(?:RSASSA_PSS|RSASSA_PKCS1_V1_5|ECDSA)_SHA_(256|384|512)$/.exec(alg);
  return m ? `sha${m[1]}` : undefined;
}

function digest(hashName, bytes) {
  return new Uint8Array(crypto.createHash(hashName).update(bytes).digest());
}

function describeCase(fx, c, i) {
  return `${fx.name} #${i} ${c.SigningAlgorithm}/${c.MessageType ?? '(default)'} Valid=${c.Valid}${c.Note ? ` (${c.Note})` : ''}`;
}

module.exports = {
  REPO_ROOT,
  KEYS_DIR,
  ALGORITHM_LISTS,
  GETTERS,
  KMS_ERROR_NAMES,
  loadFixtures,
  loadIndex,
  b64bytes,
  toB64,
  sha256hex,
  algorithmListName,
  metadataOf,
  sdkOutputOf,
  expectedJson,
  expectedArn,
  pemToDer,
  spkiRawKey,
  mlDsaMu,
  shaOf,
  digest,
  describeCase,
};
