// The DSSE, X.509 and ESDK refusals in Japanese (issue 19): a real refusal of each new rule code family carries
// its `rule` and `params` through the wasm binding, and kms-offline/messages renders it in Japanese, not as the
// generic sentence quoting the English original.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { thrown } from './thrown.mjs';
import { errorMessage } from 'kms-offline/messages';

const require = createRequire(import.meta.url);
const { loadFixtures } = require('./fixtures.cjs');
const { KmsPublicKey } = require('kms-offline');

const byName = Object.fromEntries(loadFixtures().map((f) => [f.name, f.data]));
const load = (name) => KmsPublicKey.fromGetPublicKey(byName[name].GetPublicKey);
const x509 = (file) => readFileSync(new URL(`../fixtures/x509/${file}`, import.meta.url), 'utf8');

/** The Japanese rendering of `error`, checked to be the code's own sentence (Japanese, not the generic fallback). */
function japanese(error, rule) {
  assert.equal(error.rule, rule, error.message);
  const ja = errorMessage(error, 'ja');
  assert.match(ja, /[\u3040-\u30ff\u4e00-\u9fff]/, ja);
  assert.ok(!ja.includes(error.message), `generic fallback: ${ja}`);
  return ja;
}

describe('DSSE, X.509 and ESDK refusals render in Japanese', () => {
  it('X.509: structure, PSS parameters, algorithms KMS does not sign with, Ed25519 TBS over 4096 bytes', () => {
    const p256 = load('ECC_NIST_P256_SIGN_VERIFY');
    const label = thrown(() => p256.verifyCertificate(x509('p256-sha256.csr.pem')));
    assert.deepEqual(label.params, { kind: 'certificate', part: 'pem-label', value: 'CERTIFICATE REQUEST' });
    assert.match(japanese(label, 'malformed-x509'), /証明書が正しくありません: PEM のラベルが「CERTIFICATE REQUEST」/);
    const rsa = load('RSA_2048_SIGN_VERIFY');
    const salt = thrown(() => rsa.verifyCertificate(x509('rsa2048-pss-sha256-salt20.cert.pem')));
    assert.match(japanese(salt, 'pss-parameters'), /ソルト長がハッシュ長と異なります/);
    const sha1 = thrown(() => rsa.verifyCertificate(x509('rsa2048-pkcs1-sha1.cert.pem')));
    assert.match(japanese(sha1, 'x509-algorithm-not-kms'), /1\.2\.840\.113549\.1\.1\.5 は KMS が X\.509 の署名に使うものではありません/);
    const ed = thrown(() => load('ECC_NIST_EDWARDS25519_SIGN_VERIFY').verifyCertificate(x509('ed25519-large.cert.pem')));
    assert.match(japanese(ed, 'raw-message-too-long'), /X\.509 の署名対象部分（TBS）が \d+ バイトです。ED25519_SHA_512 が署名できるのは最大 4096 バイト/);
  });

  it('DSSE: the algorithm to choose, a malformed envelope', () => {
    const choose = thrown(() => load('RSA_2048_SIGN_VERIFY').dsseSigningRequest({ PayloadType: 't', Payload: 'x' }));
    assert.match(japanese(choose, 'dsse-algorithm-required'), /次のいずれかを指定してください: .*RSASSA_PSS_SHA_256/);
    const envelope = thrown(() => load('ECC_NIST_P256_SIGN_VERIFY').verifyDsse('{"payloadType":"t","payload":""}'));
    assert.deepEqual(envelope.params, { part: 'signatures' });
    assert.match(japanese(envelope, 'malformed-dsse-envelope'), /"signatures" 配列がありません/);
  });

  it('ESDK: no keyring, signing suite with the RSA keyring, FrameLength, reserved context keys', () => {
    const mlKem = thrown(() => load('ML_KEM_768_ENCAPSULATE_DECAPSULATE').encryptMessage({ Plaintext: new Uint8Array(1) }));
    assert.match(japanese(mlKem, 'esdk-no-keyring'), /キー仕様 ML_KEM_768、キーの用途 ENCAPSULATE_DECAPSULATE のキーに使える AWS Encryption SDK のキーリングはありません/);
    const rsa = load('RSA_2048_ENCRYPT_DECRYPT');
    const suite = thrown(() => rsa.encryptMessage({ Plaintext: new Uint8Array(1), AlgorithmSuite: 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384' }));
    assert.match(japanese(suite, 'esdk-signing-suite'), /AWS KMS RSA キーリングは.*ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY を使ってください/);
    const ecdh = load('ECC_NIST_P256_KEY_AGREEMENT');
    const frame = thrown(() => ecdh.encryptMessage({ Plaintext: new Uint8Array(1), FrameLength: 0 }));
    assert.match(japanese(frame, 'esdk-frame-length'), /FrameLength が 0 です。.*1～2147483647 バイト/);
    const reserved = thrown(() => ecdh.encryptMessage({ Plaintext: new Uint8Array(1), EncryptionContext: { 'aws-crypto-x': 'y' } }));
    assert.match(japanese(reserved, 'esdk-reserved-context-key'), /'aws-crypto-x' は aws-crypto- で始まります/);
  });
});
