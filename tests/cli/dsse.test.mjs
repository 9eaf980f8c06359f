// The CLI's DSSE commands: `verify-dsse` (exit codes as verify: 0 valid, 1 invalid, 2 refused or bad input) and
// `dsse` (step 1 prints the aws kms sign command; step 2 assembles from its signature). KMS Sign is stood in for
// by OpenSSL signing the PAE with the fixture's private key (the same signature KMS makes over the PAE or its digest).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'pkg', 'bin', 'kms-offline.mjs');
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const sample = (file) => path.join(REPO, 'www', 'samples', file);
const P256 = sample('ECC_NIST_P256_SIGN_VERIFY.json');
const TYPE = 'application/vnd.in-toto+json';
let TMP;

function cli(args, { input, env = {} } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: TMP, input, encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', ...env } });
  const json = args.includes('--json') && r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

/** The fixture's GetPublicKey JSON and private key as files. */
function keyFiles(name) {
  const fx = JSON.parse(fs.readFileSync(path.join(KEYS, `${name}.json`), 'utf8'));
  const key = path.join(TMP, `${name}.gpk.json`);
  const pem = path.join(TMP, `${name}.key.pem`);
  fs.writeFileSync(key, JSON.stringify(fx.GetPublicKey));
  fs.writeFileSync(pem, fx.PrivateKeyPem);
  return { key, pem, keyId: fx.GetPublicKey.KeyId };
}

/** "KMS Sign" of PAE(type, payload) by OpenSSL, base64 as `aws kms sign --query Signature --output text` prints it. */
function opensslSign(pem, type, payloadFile, algorithm) {
  const payload = fs.readFileSync(payloadFile);
  const pae = path.join(TMP, 'pae.bin');
  fs.writeFileSync(pae, Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]));
  const hash = `-sha${algorithm.slice(-3)}`;
  const pss = algorithm.startsWith('RSASSA_PSS') ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] : [];
  return execFileSync('openssl', ['dgst', hash, '-sign', pem, ...pss, pae]).toString('base64');
}

before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-dsse-cli-'));
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('verify-dsse', () => {
  it('--help of both commands (English and Japanese) has the usage and a runnable example; the main help lists them', () => {
    for (const cmd of ['verify-dsse', 'dsse']) {
      for (const lang of ['en', 'ja']) {
        const r = cli([cmd, '--help', '--lang', lang]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`kms-offline ${cmd} --key FILE`));
        assert.match(r.stdout, /npx kms-offline .*ECC_NIST_P256_SIGN_VERIFY/);
      }
    }
    assert.match(cli(['--help']).stdout, /verify-dsse .*\n\s+dsse /);
  });

  it('the sample envelope is VALID (exit 0) and prints its statement; the tampered one is INVALID (exit 1)', () => {
    const ok = cli(['verify-dsse', '--key', P256, sample('ECC_NIST_P256_SIGN_VERIFY.dsse.json')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^VALID/);
    assert.match(ok.stdout, /\[0\] VALID \(keyid arn:aws:kms:.*: KEY_ID\)/);
    assert.match(ok.stdout, /in-toto\.io\/Statement\/v1/);
    const bad = cli(['verify-dsse', '--key', P256, sample('ECC_NIST_P256_SIGN_VERIFY.tampered.dsse.json')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^INVALID/);
    const ja = cli(['verify-dsse', '--key', P256, sample('ECC_NIST_P256_SIGN_VERIFY.tampered.dsse.json'), '--lang', 'ja']);
    assert.equal(ja.code, 1);
    assert.match(ja.stdout, /^無効/);
  });

  it('--json, --payload-out and the envelope from stdin', () => {
    const envelope = fs.readFileSync(sample('ECC_NIST_P256_SIGN_VERIFY.dsse.json'));
    const r = cli(['verify-dsse', '--key', P256, '-', '--json', '--payload-out', 'statement.json'], { input: envelope });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.Valid, true);
    assert.equal(r.json.MessageType, 'RAW');
    assert.deepEqual(r.json.Signatures.map((s) => [s.KeyIdMatch, s.Status]), [['KEY_ID', 'VALID']]);
    const statement = JSON.parse(fs.readFileSync(path.join(TMP, 'statement.json'), 'utf8'));
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
  });

  it('refusals exit 2: no envelope (with the usage line), a malformed one, an algorithm the key cannot use, both from stdin', () => {
    const none = cli(['verify-dsse', '--key', P256]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give the envelope file/);
    assert.match(none.stderr, /usage: kms-offline verify-dsse/);
    fs.writeFileSync(path.join(TMP, 'bad.json'), '{"payload":"","payloadType":"t","signatures":[]}');
    const malformed = cli(['verify-dsse', '--key', P256, 'bad.json']);
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /^ValidationException: DSSE envelope has 0 signatures/);
    const wrong = cli(['verify-dsse', '--key', P256, sample('ECC_NIST_P256_SIGN_VERIFY.dsse.json'), '--signing-algorithm', 'ECDSA_SHA_384']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^InvalidKeyUsageException/);
    const twice = cli(['verify-dsse', '--key', '-', '-'], { input: '' });
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /stdin/);
  });
});

describe('dsse: build with KMS Sign, then verify', () => {
  for (const [name, algorithm, size] of [
    ['ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256', 100],
    ['ECC_NIST_P384_SIGN_VERIFY', 'ECDSA_SHA_384', 6000],
    ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_512', 6000],
  ]) {
    it(`${name} ${algorithm}, ${size}-byte payload: the printed aws command, the assembled envelope, verify-dsse exit 0`, () => {
      const { key, pem, keyId } = keyFiles(name);
      const payload = path.join(TMP, `payload-${size}.json`);
      fs.writeFileSync(payload, JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', pad: 'x'.repeat(size - 50) }));
      const common = ['dsse', '--key', key, '--payload-type', TYPE, '--payload-file', payload, '--signing-algorithm', algorithm];
      const step1 = cli([...common, '--json']);
      assert.equal(step1.code, 0, step1.stderr);
      assert.equal(step1.json.SignRequest.MessageType, size > 4000 ? 'DIGEST' : 'RAW');
      assert.match(step1.json.Steps.join('\n'), new RegExp(`aws kms sign --key-id ${keyId} --signing-algorithm ${algorithm} --message-type ${step1.json.SignRequest.MessageType} --message fileb://dsse-message.bin`));
      fs.writeFileSync(path.join(TMP, 'dsse.sig.b64'), opensslSign(pem, TYPE, payload, algorithm) + '\n');
      const step2 = cli([...common, '--signature-file', 'dsse.sig.b64', '--keyid', keyId, '--out', 'envelope.json']);
      assert.equal(step2.code, 0, step2.stderr);
      const verified = cli(['verify-dsse', '--key', key, 'envelope.json', '--signing-algorithm', algorithm, '--json']);
      assert.equal(verified.code, 0, verified.stderr);
      assert.equal(verified.json.Signatures[0].KeyIdMatch, 'KEY_ID');
    });
  }

  it('a signature over something else is not assembled (exit 1); Ed25519 over 4096 bytes and a foreign keyid are refused (exit 2)', () => {
    const { key, pem } = keyFiles('ECC_NIST_P256_SIGN_VERIFY');
    const payload = path.join(TMP, 'p.txt');
    fs.writeFileSync(payload, 'hello');
    const other = path.join(TMP, 'other.txt');
    fs.writeFileSync(other, 'other');
    const wrongSig = opensslSign(pem, TYPE, other, 'ECDSA_SHA_256');
    const r = cli(['dsse', '--key', key, '--payload-type', TYPE, '--payload-file', payload, '--signature', wrongSig]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /KMSInvalidSignatureException/);
    const goodSig = opensslSign(pem, TYPE, payload, 'ECDSA_SHA_256');
    const foreign = cli(['dsse', '--key', key, '--payload-type', TYPE, '--payload-file', payload, '--signature', goodSig, '--keyid', 'someone-else']);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /^ValidationException: keyid 'someone-else' does not name this key/);
    const ed = keyFiles('ECC_NIST_EDWARDS25519_SIGN_VERIFY');
    const big = path.join(TMP, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(5000));
    const tooBig = cli(['dsse', '--key', ed.key, '--payload-type', TYPE, '--payload-file', big]);
    assert.equal(tooBig.code, 2);
    assert.match(tooBig.stderr, /RAW messages of at most 4096 bytes/);
    const noType = cli(['dsse', '--key', key, '--payload', 'x']);
    assert.equal(noType.code, 2);
    assert.match(noType.stderr, /--payload-type/);
  });
});
