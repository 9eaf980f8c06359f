// Refusal explanations in Japanese (issue 19, item 2): every rule code the core can emit has a Japanese sentence
// in kms-offline/messages, and for each row of the README's rules table an actual refused request gives an error
// whose `rule` renders in Japanese with no English sentence left (only KMS names, values and numbers).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { thrown } from './thrown.mjs';
import { execFileSync } from 'node:child_process';
import { JA_RULES, errorMessage, pickLanguage } from 'kms-offline/messages';

const require = createRequire(import.meta.url);
const { loadFixtures } = require('./fixtures.cjs');
const { KmsPublicKey } = require('kms-offline');

const byName = Object.fromEntries(loadFixtures().map((f) => [f.name, f.data]));
const gpk = (name) => byName[name].GetPublicKey;
const load = (name) => KmsPublicKey.fromGetPublicKey(gpk(name));
const P256 = 'ECC_NIST_P256_SIGN_VERIFY';


/** Every text the params carry (KMS names, values the caller gave): these stay as they are in any language. */
function paramTexts(params) {
  return Object.values(params).flat().map(String);
}

/** A Japanese sentence: some Japanese, and no three English words in a row once the params' texts and the
 *  commands in backquotes are removed. */
function assertJapanese(error) {
  const ja = errorMessage(error, 'ja');
  assert.match(ja, /[\u3040-\u30ff\u4e00-\u9fff]/, `no Japanese in: ${ja}`);
  let rest = ja.replace(/`[^`]*`/g, ' ');
  for (const text of paramTexts(error.params).sort((a, b) => b.length - a.length)) rest = rest.split(text).join(' ');
  assert.doesNotMatch(rest, /[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}/, `English left in: ${ja}`);
  assert.notEqual(ja, error.message);
  return ja;
}

describe('rule codes', () => {
  const codes = KmsPublicKey.ruleCodes();

  it('the core lists its codes: stable kebab-case, no duplicate, "other" among them', () => {
    assert.ok(codes.length > 30, codes.join());
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(codes.includes('other'));
  });

  it('every code but "other" has a Japanese rendering, and JA_RULES has no code the core lacks', () => {
    const missing = codes.filter((code) => code !== 'other' && typeof JA_RULES[code] !== 'function');
    assert.deepEqual(missing, [], `rule codes without a Japanese sentence: ${missing.join(', ')}`);
    assert.deepEqual(Object.keys(JA_RULES).filter((code) => !codes.includes(code)), []);
  });

  it('an error without a specific code keeps its English original inside the Japanese sentence', () => {
    const error = thrown(() => KmsPublicKey.fromPublicKey(gpk(P256).PublicKey, 42));
    assert.equal(error.rule, 'other');
    assert.deepEqual(error.params, {});
    assert.ok(errorMessage(error, 'ja').includes(error.message));
    assert.equal(errorMessage(error, 'en'), error.message);
  });

  it('pickLanguage reads navigator.languages and POSIX locales', () => {
    assert.equal(pickLanguage(['ja-JP', 'en']), 'ja');
    assert.equal(pickLanguage(['C', 'ja_JP.UTF-8']), 'ja');
    assert.equal(pickLanguage(['fr', undefined]), 'en');
  });
});

// One refused request per row of README.md "The rules it enforces", with the rule code it must carry.
// The fixtures carry CustomerMasterKeySpec too: a test that changes KeySpec drops it.
const P256_KEY = { ...gpk(P256), CustomerMasterKeySpec: undefined };
const sig = byName[P256].Signatures.find((s) => s.Valid && s.MessageType === 'RAW');
const verifyWith = (request) => () => load(P256).verify({ ...sig, MessageEncoding: 'base64', ...request });
const ROWS = [
  ['PublicKey must be a public key', 'not-a-public-key', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, PublicKey: 'hello there, this is text' })],
  ['KeySpec required', 'key-spec-required', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeySpec: undefined })],
  ['KeyUsage required', 'key-usage-required', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeyUsage: undefined })],
  ['algorithm list required', 'algorithms-required', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, SigningAlgorithms: undefined })],
  ['KeySpec and CustomerMasterKeySpec disagree', 'key-spec-conflict', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, CustomerMasterKeySpec: 'ECC_NIST_P384' })],
  ['every enum string is a KMS value', 'enum-value', verifyWith({ SigningAlgorithm: 'ecdsa_sha_256' })],
  ['unknown KeySpec of enum shape', 'unknown-key-spec', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeySpec: 'ECC_NIST_P999' })],
  ['unknown KeyUsage of enum shape', 'unknown-key-usage', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeyUsage: 'SIGN_ONLY' })],
  ['an unknown algorithm the key lists', 'unknown-algorithm', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, SigningAlgorithms: ['ECDSA_SHA_256', 'ECDSA_SHA3_256'] })
    .verify({ ...sig, MessageEncoding: 'base64', SigningAlgorithm: 'ECDSA_SHA3_256' })],
  ['SYMMETRIC_DEFAULT has no public key', 'no-public-key', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' })],
  ['usage one the spec allows', 'key-usage-not-for-spec', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeyUsage: 'ENCRYPT_DECRYPT' })],
  ['listed algorithms valid for the spec', 'algorithm-not-for-spec', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, SigningAlgorithms: ['ECDSA_SHA_384'] })],
  ['SPKI is the key KeySpec names', 'public-key-mismatch', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeySpec: 'ECC_NIST_P384', SigningAlgorithms: ['ECDSA_SHA_384'] })],
  ['KeyId ARN', 'invalid-arn', () => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeyId: 'arn:aws:kms:us-east-1:12345:key/x' })],
  ['operation needs its usage', 'wrong-key-usage', () => load(P256).encrypt({ Plaintext: 'AQI=', PlaintextEncoding: 'base64', EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })],
  ['algorithm in the key list', 'algorithm-not-listed', () => KmsPublicKey.fromGetPublicKey({ ...gpk('RSA_2048_SIGN_VERIFY'), SigningAlgorithms: ['RSASSA_PSS_SHA_256'] })
    .verify({ Message: new Uint8Array(1), Signature: new Uint8Array(256), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })],
  ['Message 1-4096 bytes', 'blob-length', verifyWith({ Message: new Uint8Array(4097), MessageEncoding: undefined })],
  ['DIGEST length', 'digest-length', verifyWith({ Message: new Uint8Array(31), MessageEncoding: undefined, MessageType: 'DIGEST' })],
  ['message type for the algorithm', 'message-type-not-for-algorithm', verifyWith({ MessageType: 'EXTERNAL_MU' })],
  ['Plaintext limit', 'plaintext-too-long', () => load('RSA_2048_ENCRYPT_DECRYPT').encrypt({ Plaintext: new Uint8Array(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })],
  ['no EncryptionContext', 'encryption-context', () => load('RSA_2048_ENCRYPT_DECRYPT').encrypt({ Plaintext: new Uint8Array(1), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } })],
  ['ECDH private key on the curve', 'ecdh-private-key', () => load('ECC_NIST_P256_KEY_AGREEMENT').deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH', PrivateKey: byName.ECC_NIST_P384_KEY_AGREEMENT.PrivateKeyPem })],
  // Common input errors.
  ['not base64', 'not-base64', verifyWith({ Signature: 'not base64!' })],
  ['missing member', 'missing-member', verifyWith({ SigningAlgorithm: undefined })],
  ['JSON shape', 'json-shape', () => KmsPublicKey.fromGetPublicKey('{"KeySpec": ')],
  ['string of free length', 'string-needs-encoding', verifyWith({ MessageEncoding: undefined })],
];

describe('each README rule, refused for real, explained in Japanese', () => {
  for (const [row, rule, request] of ROWS) {
    it(`${row}: ${rule}`, () => {
      const error = thrown(request);
      assert.equal(error.rule, rule, `${error.name}: ${error.message}`);
      assert.equal(typeof error.params, 'object');
      assert.equal(error.code, error.name);
      assertJapanese(error);
    });
  }

  it('the KMS names in the params stay as KMS spells them in the Japanese sentence', () => {
    const error = thrown(() => KmsPublicKey.fromGetPublicKey({ ...P256_KEY, KeyUsage: 'ENCRYPT_DECRYPT' }));
    assert.deepEqual(error.params, { keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'ECC_NIST_P256', allowed: ['SIGN_VERIFY', 'KEY_AGREEMENT'] });
    assert.equal(errorMessage(error, 'ja'), 'キーの用途 ENCRYPT_DECRYPT はキー仕様 ECC_NIST_P256 では使えません。使えるキーの用途: SIGN_VERIFY、KEY_AGREEMENT。');
  });

  it('encryptMessage with a signing key: the usages it needs are a list, joined in the Japanese sentence', () => {
    const error = thrown(() => load(P256).encryptMessage({ Plaintext: new Uint8Array(1) }));
    assert.equal(error.rule, 'wrong-key-usage');
    assert.deepEqual(error.params.required, ['ENCRYPT_DECRYPT', 'KEY_AGREEMENT']);
    assert.match(errorMessage(error, 'ja'), /encryptMessage にはキーの用途が ENCRYPT_DECRYPT または KEY_AGREEMENT のキーが必要です。$/);
  });

  it('no secure randomness: no-randomness, in Japanese', () => {
    const probe = `
      globalThis.crypto.getRandomValues = () => { throw new Error('gone'); };
      const { KmsPublicKey } = require('kms-offline');
      const key = KmsPublicKey.fromGetPublicKey(${JSON.stringify(gpk('RSA_2048_ENCRYPT_DECRYPT'))});
      try { key.encrypt({ Plaintext: new Uint8Array(1), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }); }
      catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, rule: e.rule, params: e.params })); }`;
    const error = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim());
    assert.equal(error.rule, 'no-randomness');
    assertJapanese(error);
  });
});
