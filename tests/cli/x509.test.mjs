// `kms-offline verify-cert | verify-csr | verify-crl` run as a subprocess against OpenSSL 3.0's certificates, CSRs
// and CRLs (tests/fixtures/x509) and the fixture keys: exit 0 valid, 1 invalid, 2 refused or bad input; PEM, DER
// and base64 from a file or stdin; --json; the Japanese text (--lang ja).
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
const X509 = path.join(REPO, 'tests', 'fixtures', 'x509');
const x509 = (file) => path.join(X509, file);

let TMP;
before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-cli-x509-'));
  assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'dist', 'node.mjs')), 'pkg/dist is not built: bash scripts/build.sh');
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** The fixture's GetPublicKey member as a file (what `aws kms get-public-key --output json` prints). */
function keyFile(name) {
  const file = path.join(TMP, `${name}.json`);
  const fixture = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', `${name}.json`), 'utf8'));
  fs.writeFileSync(file, JSON.stringify(fixture.GetPublicKey, null, 2));
  return file;
}

function cli(args, input) {
  const run = spawnSync(process.execPath, [BIN, ...args], { input: input ?? '', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', LANG: 'C' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('verify-cert, verify-csr, verify-crl', () => {
  it('valid: exit 0 with the decoded essentials, from PEM, DER and base64, from a file and stdin', () => {
    const key = keyFile('ECC_NIST_P256_SIGN_VERIFY');
    const leaf = cli(['verify-cert', '--key', key, '--in', x509('p256-sha256.leaf.cert.pem')]);
    assert.equal(leaf.code, 0, leaf.stderr);
    assert.match(leaf.stdout, /^VALID: the certificate was signed by this KMS key$/m);
    assert.match(leaf.stdout, /^ {2}Subject +CN=leaf of p256-sha256$/m);
    assert.match(leaf.stdout, /^ {2}Serial +0badc0de$/m);
    assert.match(leaf.stdout, /^ {2}For this key +no$/m);
    const der = new crypto.X509Certificate(fs.readFileSync(x509('p256-sha256.cert.pem'))).raw;
    fs.writeFileSync(path.join(TMP, 'ca.der'), der);
    fs.writeFileSync(path.join(TMP, 'ca.b64'), der.toString('base64'));
    for (const file of ['ca.der', 'ca.b64']) {
      const run = cli(['verify-cert', '--key', key, '--in', path.join(TMP, file), '--json']);
      assert.equal(run.code, 0, run.stderr);
      const json = JSON.parse(run.stdout);
      assert.deepEqual([json.Kind, json.SignatureValid, json.CertifiesThisKey, json.SigningAlgorithm], ['certificate', true, true, 'ECDSA_SHA_256']);
    }
    const stdin = cli(['verify-csr', '--key', key, '--in', '-', '--json'], fs.readFileSync(x509('p256-sha256.csr.pem'), 'utf8'));
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.equal(JSON.parse(stdin.stdout).Kind, 'certificateRequest');
    const crl = cli(['verify-crl', '--key', key, '--in', x509('p256-sha256.crl.pem'), '--json']);
    assert.deepEqual(JSON.parse(crl.stdout).RevokedSerialNumbers, ['0badc0de']);
  });

  it('a large SM2 certificate verifies as DIGEST', () => {
    const run = cli(['verify-cert', '--key', keyFile('SM2_SIGN_VERIFY'), '--in', x509('sm2-sm3-large.cert.pem'), '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual([JSON.parse(run.stdout).SigningAlgorithm, JSON.parse(run.stdout).MessageType], ['SM2DSA', 'DIGEST']);
  });

  it('invalid: exit 1', () => {
    const run = cli(['verify-cert', '--key', keyFile('ECC_NIST_P256_SIGN_VERIFY'), '--in', x509('p256-sha256.cert.bad-signature.pem')]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^INVALID: the certificate's signature does not verify with this KMS key$/m);
  });

  it('refused or bad input: exit 2 with the KMS exception or the usage', () => {
    const p256 = keyFile('ECC_NIST_P256_SIGN_VERIFY');
    const wrongHash = cli(['verify-cert', '--key', p256, '--in', x509('p256-sha384.cert.pem')]);
    assert.equal(wrongHash.code, 2);
    assert.match(wrongHash.stderr, /InvalidKeyUsageException/);
    const salt = cli(['verify-cert', '--key', keyFile('RSA_2048_SIGN_VERIFY'), '--in', x509('rsa2048-pss-sha256-salt20.cert.pem')]);
    assert.equal(salt.code, 2);
    assert.match(salt.stderr, /ValidationException.*salt length is 20 bytes/s);
    const truncated = cli(['verify-cert', '--key', p256, '--in', x509('p256-sha256.cert.truncated.pem')]);
    assert.equal(truncated.code, 2);
    assert.match(truncated.stderr, /ValidationException/);
    const noInput = cli(['verify-csr', '--key', p256]);
    assert.equal(noInput.code, 2);
    assert.match(noInput.stderr, /give the CSR with --in FILE/);
  });

  it('Japanese: help and result, same exit codes', () => {
    const help = cli(['verify-crl', '--help', '--lang', 'ja']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^使い方: kms-offline verify-crl/m);
    const run = cli(['verify-crl', '--key', keyFile('ECC_NIST_EDWARDS25519_SIGN_VERIFY'), '--in', x509('ed25519.crl.pem'), '--lang', 'ja']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^VALID: このCRLはこの KMS キーが署名したものです$/m);
    assert.match(run.stdout, /失効 +0badc0de/);
  });
});

/** `aws kms sign ... > FILE` done by OpenSSL with the fixture's private key: base64 of the signature, as the CLI prints it. */
function kmsSign(fixtureName, printedCommand) {
  const [, messageFile, messageType, algorithm, signatureFile] = /--message fileb:\/\/(\S+) --message-type (\S+) --signing-algorithm (\S+) --query Signature --output text > (\S+)/.exec(printedCommand);
  assert.equal(messageType, 'RAW');
  const fixture = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', `${fixtureName}.json`), 'utf8'));
  const key = crypto.createPrivateKey(fixture.PrivateKeyPem);
  const hash = { ECDSA_SHA_256: 'sha256', ECDSA_SHA_384: 'sha384', RSASSA_PKCS1_V1_5_SHA_256: 'sha256', RSASSA_PSS_SHA_256: 'sha256' }[algorithm];
  const options = algorithm.startsWith('RSASSA_PSS') ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST } : { key, dsaEncoding: 'der' };
  fs.writeFileSync(signatureFile, crypto.sign(hash, fs.readFileSync(messageFile), options).toString('base64') + '\n');
}

describe('csr, cert, assemble', () => {
  it('a CSR and a CA certificate of the key, and a certificate issued for another CSR, pass OpenSSL', () => {
    for (const [fixtureName, algorithm] of [['ECC_NIST_P384_SIGN_VERIFY', 'ECDSA_SHA_384'], ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256']]) {
      const key = keyFile(fixtureName);
      const dir = fs.mkdtempSync(path.join(TMP, 'out-'));
      const lines = (run) => run.stdout.split('\n').map((l) => l.trim());
      const signAndAssemble = (run) => {
        assert.equal(run.code, 0, run.stderr);
        const sign = lines(run).find((l) => l.startsWith('aws kms sign '));
        const assemble = lines(run).find((l) => l.startsWith('kms-offline assemble '));
        kmsSign(fixtureName, sign);
        const args = assemble.split(' ').slice(1);
        const done = cli(args);
        assert.equal(done.code, 0, done.stderr);
        return args[args.indexOf('--out') + 1];
      };
      const csrRun = cli(['csr', '--key', key, '--subject', 'CN=kms signer,O=Example', '--dns', 'a.example.com,b.example.com', '--signing-algorithm', algorithm, '--out-dir', dir]);
      const csrFile = signAndAssemble(csrRun);
      assert.equal(spawnSync('openssl', ['req', '-in', csrFile, '-verify', '-noout']).status, 0);
      const caDir = fs.mkdtempSync(path.join(TMP, 'ca-'));
      const caFile = signAndAssemble(cli(['cert', '--key', key, '--subject', 'CN=KMS CA', '--ca', '--days', '3650', '--signing-algorithm', algorithm, '--out-dir', caDir]));
      // someone else's CSR, issued by the KMS key as that CA
      const other = path.join(TMP, 'other.key');
      spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', other]);
      const otherCsr = path.join(TMP, 'other.csr');
      spawnSync('openssl', ['req', '-new', '-key', other, '-subj', '/CN=other', '-out', otherCsr]);
      const leafDir = fs.mkdtempSync(path.join(TMP, 'leaf-'));
      const leafFile = signAndAssemble(cli(['cert', '--key', key, '--issuer', 'CN=KMS CA', '--csr', otherCsr, '--serial', '0badc0de', '--signing-algorithm', algorithm, '--out-dir', leafDir]));
      const verified = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', caFile, caFile, leafFile], { encoding: 'utf8' });
      assert.equal(verified.status, 0, verified.stdout + verified.stderr);
      const leaf = cli(['verify-cert', '--key', key, '--in', leafFile, '--json']);
      assert.deepEqual([JSON.parse(leaf.stdout).Subject, JSON.parse(leaf.stdout).SerialNumber], ['CN=other', '0badc0de']);
    }
  });

  it('cert --issuer-cert: the CA certificate\'s PrintableString subject is the issuer as encoded, its SKI the AKI; --issuer with it refused', () => {
    const fixtureName = 'ECC_NIST_P256_SIGN_VERIFY';
    const key = keyFile(fixtureName);
    const dir = fs.mkdtempSync(path.join(TMP, 'issuer-cert-'));
    const file = (name) => path.join(dir, name);
    const fixture = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', `${fixtureName}.json`), 'utf8'));
    fs.writeFileSync(file('kms.key'), fixture.PrivateKeyPem);
    // string_mask = default: OpenSSL writes PrintableString (its shipped utf8only, and RFC 4514 text rebuilt, give UTF8String)
    fs.writeFileSync(file('ca.cnf'), '[req]\ndistinguished_name = dn\nstring_mask = default\nx509_extensions = ca\n[dn]\n[ca]\nbasicConstraints = critical,CA:true\nkeyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = C0:FF:EE:01:02:03:04:05\n');
    const ok = (args) => assert.equal(spawnSync('openssl', args).status, 0, args.join(' '));
    ok(['req', '-x509', '-new', '-key', file('kms.key'), '-config', file('ca.cnf'), '-subj', '/O=Example CA/CN=Example Root', '-days', '3650', '-outform', 'DER', '-out', file('ca.der')]);
    ok(['x509', '-inform', 'DER', '-in', file('ca.der'), '-out', file('ca.pem')]);
    ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('leaf.key')]);
    ok(['req', '-new', '-key', file('leaf.key'), '-subj', '/CN=leaf', '-out', file('leaf.csr')]);
    const run = cli(['cert', '--key', key, '--issuer-cert', file('ca.der'), '--csr', file('leaf.csr'), '--out-dir', dir]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').map((l) => l.trim());
    kmsSign(fixtureName, lines.find((l) => l.startsWith('aws kms sign ')));
    const args = lines.find((l) => l.startsWith('kms-offline assemble ')).split(' ').slice(1);
    assert.equal(cli(args).code, 0);
    const leafFile = args[args.indexOf('--out') + 1];
    const listing = spawnSync('openssl', ['asn1parse', '-in', leafFile], { encoding: 'utf8' }).stdout;
    assert.match(listing, /PRINTABLESTRING\s+:Example Root/, 'the issuer keeps the CA subject\'s PrintableString');
    assert.doesNotMatch(listing, /UTF8STRING\s+:Example/);
    assert.match(spawnSync('openssl', ['x509', '-in', leafFile, '-noout', '-ext', 'authorityKeyIdentifier'], { encoding: 'utf8' }).stdout, /C0:FF:EE:01:02:03:04:05/);
    const verified = spawnSync('openssl', ['verify', '-x509_strict', '-CAfile', file('ca.pem'), leafFile], { encoding: 'utf8' });
    assert.equal(verified.status, 0, verified.stdout + verified.stderr);
    const both = cli(['cert', '--key', key, '--issuer-cert', file('ca.der'), '--issuer', 'CN=x', '--csr', file('leaf.csr'), '--out-dir', dir]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /not both/);
    const otherCa = file('other.pem');
    ok(['req', '-x509', '-new', '-key', file('leaf.key'), '-subj', '/CN=other', '-out', otherCa]);
    const another = cli(['cert', '--key', key, '--issuer-cert', otherCa, '--csr', file('leaf.csr'), '--out-dir', dir]);
    assert.equal(another.code, 2);
    assert.match(another.stderr, /ValidationException[\s\S]*certifies another public key/);
  });

  it('assemble refuses a signature over something else (exit 2, nothing written); usage errors', () => {
    const key = keyFile('ECC_NIST_P256_SIGN_VERIFY');
    const dir = fs.mkdtempSync(path.join(TMP, 'bad-'));
    const run = cli(['cert', '--key', key, '--subject', 'CN=x', '--out-dir', dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const { PendingFile } = JSON.parse(run.stdout);
    const fixture = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', 'ECC_NIST_P256_SIGN_VERIFY.json'), 'utf8'));
    const wrong = crypto.sign('sha256', Buffer.from('something else'), { key: crypto.createPrivateKey(fixture.PrivateKeyPem), dsaEncoding: 'der' }).toString('base64');
    const out = path.join(dir, 'never.pem');
    const refused = cli(['assemble', '--key', key, '--pending', PendingFile, '--signature', wrong, '--out', out]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /KMSInvalidSignatureException/);
    assert.equal(fs.existsSync(out), false);
    assert.equal(cli(['csr', '--key', key]).code, 2);
    assert.match(cli(['cert', '--key', key, '--csr', 'x.csr']).stderr, /--issuer DN/);
    assert.match(cli(['cert', '--key', key, '--subject', 'CN=x', '--days', '0']).stderr, /--days must be/);
  });
});
