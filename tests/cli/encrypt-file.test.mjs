// `kms-offline encrypt-file`: AWS Encryption SDK messages of files, streamed, decrypted by the Python ESDK with the
// MPL's own AWS KMS RSA / ECDH keyrings (tests/python/esdk_check.py, KMS replaced by a stand-in with the fixture's
// private key); the decrypt instructions; usage errors and KMS refusals (exit 2, no file left behind); the progress
// line on a terminal only; the Japanese output. Python checks are skipped without $KMS_PYTHON, except under CI=true.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'pkg', 'bin', 'kms-offline.mjs');
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const ENV = { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '', LC_MESSAGES: '' };
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((f) => fs.existsSync(f));
const PYTHON = process.env.KMS_PYTHON;
const CHECK = process.env.KMS_ESDK_CHECK || path.join(REPO, 'tests', 'python', 'esdk_check.py');
const missing = !PYTHON || !fs.existsSync(PYTHON) ? `$KMS_PYTHON (${PYTHON ?? 'unset'})` : !fs.existsSync(CHECK) ? CHECK : null;
if (missing && process.env.CI === 'true') throw new Error(`the ESDK reference check needs ${missing}: run scripts/setup.sh and source scripts/env.sh`);
const noPython = missing ? `no ${missing}` : false;

let TMP;
const tmp = (name) => path.join(TMP, name);
/** The fixture's GetPublicKey member as a file (what `aws kms get-public-key --output json` prints). */
const keyFile = (name) => {
  const file = tmp(`${name}.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(JSON.parse(fs.readFileSync(path.join(KEYS, `${name}.json`), 'utf8')).GetPublicKey));
  return file;
};

function cli(args, { input } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: TMP, env: ENV, input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectCode(r, code) {
  assert.equal(r.code, code, `exit ${r.code}, expected ${code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

function decrypt(name, message, { plaintext, context = {}, algorithm } = {}) {
  const args = [CHECK, 'decrypt', '--key', path.join(KEYS, `${name}.json`), '--in', message, '--context', JSON.stringify(context), '--expect', plaintext];
  if (algorithm) args.push('--algorithm', algorithm);
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-encrypt-file-'));
  assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'dist', 'node.mjs')), 'pkg/dist is not built: bash scripts/build.sh');
  fs.writeFileSync(tmp('plain.bin'), crypto.randomBytes(50_000));
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('encrypt-file: messages the Python ESDK decrypts with its KMS keyrings', { skip: noPython }, () => {
  for (const [name, extra, algorithm] of [
    ['RSA_2048_ENCRYPT_DECRYPT', [], 'RSAES_OAEP_SHA_256'],
    ['RSA_4096_ENCRYPT_DECRYPT', ['--encryption-algorithm', 'RSAES_OAEP_SHA_1', '--frame-length', '1000'], 'RSAES_OAEP_SHA_1'],
    ['ECC_NIST_P384_KEY_AGREEMENT', ['--encryption-context', 'purpose=backup', '--encryption-context', 'day=2026-12-07'], undefined],
    ['ECC_NIST_P521_KEY_AGREEMENT', ['--algorithm-suite', 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY'], undefined],
  ]) {
    it(`${name} ${extra.join(' ')}`, () => {
      const out = tmp(`${name}.enc`);
      const r = cli(['encrypt-file', '--key', keyFile(name), '--in', 'plain.bin', '--out', out, ...extra]);
      expectCode(r, 0);
      assert.match(r.stdout, /AWS Encryption SDK message written to .*\(\d+ bytes from 50000 bytes of plaintext/);
      assert.match(r.stdout, algorithm ? new RegExp(`AWS KMS RSA keyring for arn:aws:kms:\\S+, EncryptionAlgorithm\\n${algorithm}`) : /AWS KMS ECDH keyring, KeyAgreementScheme\nKmsPublicKeyDiscovery/);
      assert.match(r.stdout, new RegExp(`open\\(${JSON.stringify(out).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, "rb"\\)`), 'the snippet opens the message written');
      const context = Object.fromEntries(extra.flatMap((v, i) => (extra[i - 1] === '--encryption-context' ? [v.split('=')] : [])));
      const d = decrypt(name, out, { plaintext: tmp('plain.bin'), context, algorithm });
      assert.equal(d.code, 0, d.stdout + d.stderr);
    });
  }

  it('from stdin, with --json', () => {
    const out = tmp('stdin.enc');
    const plain = tmp('plain.bin');
    const r = cli(['encrypt-file', '--key', keyFile('ECC_NIST_P256_KEY_AGREEMENT'), '--in', '-', '--out', out, '--json'], { input: fs.readFileSync(plain) });
    expectCode(r, 0);
    const json = JSON.parse(r.stdout);
    assert.equal(json.PlaintextBytes, 50_000);
    assert.equal(json.MessageBytes, fs.statSync(out).size);
    assert.equal(json.AlgorithmSuite, 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384');
    assert.equal(json.Keyring, 'AWS KMS ECDH keyring (KmsPublicKeyDiscovery)');
    assert.match(json.Decrypt, /create_aws_kms_ecdh_keyring/);
    assert.equal(decrypt('ECC_NIST_P256_KEY_AGREEMENT', out, { plaintext: plain }).code, 0);
  });
});

describe('encrypt-file: refusals', () => {
  const run = (name, args) => cli(['encrypt-file', '--key', keyFile(name), ...args]);
  const leftovers = () => fs.readdirSync(TMP).filter((f) => f.startsWith('x.enc'));

  it('usage errors, exit 2, nothing written', () => {
    for (const [args, message] of [
      [['--out', 'x.enc'], /give the file to encrypt: --in FILE/],
      [['--in', 'plain.bin'], /give where the message goes: --out FILE/],
      [['--in', 'plain.bin', '--out', 'plain.bin'], /--in and --out are the same file/],
      [['--in', 'plain.bin', '--out', 'x.enc', '--encryption-context', 'novalue'], /takes KEY=VALUE/],
      [['--in', 'plain.bin', '--out', 'x.enc', '--encryption-context', '=v'], /takes KEY=VALUE/],
      [['--in', 'plain.bin', '--out', 'x.enc', '--encryption-context', 'a=1', '--encryption-context', 'a=2'], /names the key 'a' twice/],
      [['--in', 'plain.bin', '--out', 'x.enc', '--frame-length', '4k'], /--frame-length must be a number/],
      [['--in', 'missing.bin', '--out', 'x.enc'], /cannot read input file 'missing.bin': no such file/],
      [['--in', 'plain.bin', '--out', 'no/such/folder/x.enc'], /cannot write --out/],
    ]) {
      const r = run('RSA_2048_ENCRYPT_DECRYPT', args);
      expectCode(r, 2);
      assert.match(r.stderr, message, args.join(' '));
      assert.deepEqual(leftovers(), [], `${args.join(' ')} left a file`);
    }
  });

  it('KMS and ESDK rules: the exception name, exit 2, nothing written', () => {
    for (const [name, args, exception] of [
      ['RSA_2048_SIGN_VERIFY', [], 'InvalidKeyUsageException'],
      ['SM2_ENCRYPT_DECRYPT', [], 'UnsupportedOperationException'],
      ['ML_KEM_768_ENCAPSULATE_DECAPSULATE', [], 'UnsupportedOperationException'],
      ['RSA_2048_ENCRYPT_DECRYPT', ['--algorithm-suite', 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384'], 'ValidationException'],
      ['RSA_2048_ENCRYPT_DECRYPT', ['--frame-length', '0'], 'ValidationException'],
      ['ECC_NIST_P256_KEY_AGREEMENT', ['--encryption-context', 'aws-crypto-public-key=x'], 'ValidationException'],
    ]) {
      const r = run(name, ['--in', 'plain.bin', '--out', 'x.enc', ...args]);
      expectCode(r, 2);
      assert.match(r.stderr, new RegExp(`^${exception}: `, 'm'), `${name} ${args.join(' ')}`);
      assert.deepEqual(leftovers(), []);
    }
  });

  it('in Japanese: the result and the decrypt instructions', () => {
    const r = run('RSA_3072_ENCRYPT_DECRYPT', ['--in', 'plain.bin', '--out', 'ja.enc', '--lang', 'ja']);
    expectCode(r, 0);
    assert.match(r.stdout, /AWS Encryption SDK のメッセージを ja\.enc に書きました/);
    assert.match(r.stdout, /復号には AWS Encryption SDK の AWS KMS RSA キーリングを使います/);
  });
});

describe('encrypt-file: the progress line (40 MiB)', () => {
  const big = () => {
    const file = tmp('big.bin');
    if (!fs.existsSync(file)) fs.writeFileSync(file, Buffer.alloc(40 * 1024 * 1024, 7));
    return file;
  };
  const args = () => ['encrypt-file', '--key', keyFile('ECC_NIST_P256_KEY_AGREEMENT'), '--in', big(), '--out', tmp('big.enc'), '--frame-length', '65536'];

  it('piped stderr: none', () => {
    const r = cli(args());
    expectCode(r, 0);
    assert.equal(r.stderr, '');
  });

  it('on a terminal: updated in place and erased before the result', (t) => {
    if (!SCRIPT) return t.skip('util-linux script is not installed');
    const command = [process.execPath, BIN, ...args()].map((s) => `'${String(s).replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd: TMP, env: { ...ENV, TERM: 'dumb' }, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stdout);
    assert.match(r.stdout, /\rencrypting .*big\.bin: [0-9.]+ (bytes|KiB|MiB) of 40 MiB \(\d+ %\)/);
    assert.match(r.stdout, /\r {20,}\rAWS Encryption SDK message written/);
  });
});
