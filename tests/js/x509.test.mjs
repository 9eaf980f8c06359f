// X.509 through the built package (`import 'kms-offline'`): OpenSSL 3.0's certificates, CSRs and CRLs
// (tests/fixtures/x509) verify; what we build, signed by the fixture private keys standing in for KMS Sign
// (node:crypto; @noble/post-quantum for ML-DSA), is accepted by node:crypto's X509Certificate#verify,
// `openssl verify`, `openssl req -verify` and `openssl crl -verify`; ML-DSA certificates by Node >= 24's
// X509Certificate#verify when that Node is cached (`kms_node_bin`, scripts/env.sh), and by Python cryptography 50.
import { PYTHON, havePython } from './python.mjs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KmsPublicKey } from 'kms-offline';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import F from './fixtures.cjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const X509_DIR = path.join(HERE, '..', 'fixtures', 'x509');
const fixtures = Object.fromEntries(F.loadFixtures().map((f) => [f.name, f.data]));
const load = (name) => KmsPublicKey.fromGetPublicKey(JSON.stringify(fixtures[name].GetPublicKey));
const x509File = (name) => fs.readFileSync(path.join(X509_DIR, name), 'utf8');

const NOW = 1_796_601_600; // 2026-12-07T00:00:00Z
const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };
const NOBLE = { ML_DSA_44: ml_dsa44, ML_DSA_65: ml_dsa65, ML_DSA_87: ml_dsa87 };

/** What KMS Sign returns for a SignRequest, made with the fixture's private key. */
function kmsSign(fixtureName, { Message, MessageType, SigningAlgorithm }) {
  const fixture = fixtures[fixtureName];
  if (SigningAlgorithm === 'ML_DSA_SHAKE_256') {
    const noble = NOBLE[fixture.GetPublicKey.KeySpec];
    const { secretKey } = noble.keygen(Buffer.from(fixture.PrivateKeySeed, 'base64'));
    assert.equal(MessageType, 'RAW', 'these tests build small structures');
    return noble.sign(Message, secretKey);
  }
  const key = crypto.createPrivateKey(fixture.PrivateKeyPem);
  const bits = SigningAlgorithm.match(/_(256|384|512)$/)?.[1];
  if (SigningAlgorithm === 'ED25519_SHA_512') return crypto.sign(null, Message, key);
  assert.equal(MessageType, 'RAW');
  const options = { key, dsaEncoding: 'der' };
  if (SigningAlgorithm.startsWith('RSASSA_PSS')) Object.assign(options, { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST });
  if (SigningAlgorithm === 'SM2DSA') {
    // node:crypto (Node 20) cannot set the SM2 ID: OpenSSL signs, with KMS's default ID.
    return opensslSm2Sign(fixture.PrivateKeyPem, Message);
  }
  return crypto.sign(HASH[bits], Message, options);
}

function scratch() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-x509-'));
}

function opensslSm2Sign(pem, message) {
  const dir = scratch();
  try {
    fs.writeFileSync(path.join(dir, 'k.pem'), pem);
    fs.writeFileSync(path.join(dir, 'm'), message);
    return execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', path.join(dir, 'k.pem'), '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', path.join(dir, 'm')]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args) {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: run.status === 0, out: run.stdout + run.stderr };
}

const ALGORITHMS = [
  ['RSA_2048_SIGN_VERIFY', 'RSASSA_PKCS1_V1_5_SHA_256'],
  ['RSA_3072_SIGN_VERIFY', 'RSASSA_PKCS1_V1_5_SHA_384'],
  ['RSA_2048_SIGN_VERIFY', 'RSASSA_PKCS1_V1_5_SHA_512'],
  ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256'],
  ['RSA_4096_SIGN_VERIFY', 'RSASSA_PSS_SHA_384'],
  ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_512'],
  ['ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384_SIGN_VERIFY', 'ECDSA_SHA_384'],
  ['ECC_NIST_P521_SIGN_VERIFY', 'ECDSA_SHA_512'],
  ['ECC_SECG_P256K1_SIGN_VERIFY', 'ECDSA_SHA_256'],
  ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512'],
  ['SM2_SIGN_VERIFY', 'SM2DSA'],
  ['ML_DSA_44_SIGN_VERIFY', 'ML_DSA_SHAKE_256'],
  ['ML_DSA_65_SIGN_VERIFY', 'ML_DSA_SHAKE_256'],
  ['ML_DSA_87_SIGN_VERIFY', 'ML_DSA_SHAKE_256'],
];

/** Builds, signs and assembles a CA certificate, a CSR, a leaf issued for another key and a CRL. */
function buildAll(fixtureName, algorithm) {
  const key = load(fixtureName);
  const sign = (request) => key.assembleX509(JSON.parse(JSON.stringify(request.Pending)), kmsSign(fixtureName, request.SignRequest));
  const ca = sign(key.selfSignedCertificateSigningRequest({ Subject: 'CN=KMS CA,O=kms-offline', NotBefore: NOW, NotAfter: NOW + 3650 * 86400, Ca: true, SigningAlgorithm: algorithm }));
  const csr = sign(key.certificateRequestSigningRequest({ Subject: 'CN=kms signer', SubjectAltNames: { Dns: ['kms.example.com'], Ip: ['192.0.2.7'] }, SigningAlgorithm: algorithm }));
  const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const leaf = sign(
    key.issuedCertificateSigningRequest({
      Issuer: ca.Verified.Subject,
      SubjectPublicKeyInfo: publicKey.export({ type: 'spki', format: 'der' }),
      Subject: 'CN=leaf',
      SerialNumber: '0badc0de',
      NotBefore: new Date(NOW * 1000),
      ExtendedKeyUsage: ['serverAuth'],
      SubjectAltNames: { Dns: ['leaf.example.com'] },
      SigningAlgorithm: algorithm,
    }),
  );
  const crl = sign(key.crlSigningRequest({ Issuer: ca.Verified.Subject, ThisUpdate: NOW, NextUpdate: NOW + 30 * 86400, CrlNumber: 7, Revoked: [{ SerialNumber: '0badc0de', RevocationDate: NOW }], SigningAlgorithm: algorithm }));
  return { key, ca, csr, leaf, crl };
}

describe('x509: OpenSSL 3.0 fixtures verify through the package', () => {
  for (const [file, fixture, algorithm] of [
    ['rsa2048-pss-sha256', 'RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256'],
    ['p384-sha384', 'ECC_NIST_P384_SIGN_VERIFY', 'ECDSA_SHA_384'],
    ['ed25519', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512'],
    ['sm2-sm3', 'SM2_SIGN_VERIFY', 'SM2DSA'],
  ]) {
    it(`${file}: certificate (PEM, DER, base64), CSR and CRL`, () => {
      const key = load(fixture);
      const pem = x509File(`${file}.cert.pem`);
      const der = new crypto.X509Certificate(pem).raw;
      for (const input of [pem, new Uint8Array(der), der.toString('base64')]) {
        const v = key.verifyCertificate(input);
        assert.equal(v.SignatureValid, true);
        assert.equal(v.SigningAlgorithm, algorithm);
        assert.equal(v.MessageType, 'RAW');
        assert.equal(v.CertifiesThisKey, true);
        assert.equal(v.Kind, 'certificate');
        assert.equal(v.KeyId, fixtures[fixture].GetPublicKey.KeyId);
      }
      assert.equal(key.verifyCertificateRequest(x509File(`${file}.csr.pem`)).SignatureValid, true);
      const crl = key.verifyCrlOrThrow(x509File(`${file}.crl.pem`));
      assert.deepEqual(crl.RevokedSerialNumbers, ['0badc0de']);
    });
  }

  it('a changed signature is false, and KMSInvalidSignatureException from the OrThrow form', () => {
    const key = load('ECC_NIST_P256_SIGN_VERIFY');
    const bad = x509File('p256-sha256.cert.bad-signature.pem');
    assert.equal(key.verifyCertificate(bad).SignatureValid, false);
    assert.throws(() => key.verifyCertificateOrThrow(bad), { name: 'KMSInvalidSignatureException' });
  });

  it('refusals carry the KMS exception names', () => {
    assert.throws(() => load('RSA_2048_SIGN_VERIFY').verifyCertificate(x509File('rsa2048-pss-sha256-salt20.cert.pem')), { name: 'ValidationException', message: /salt length is 20 bytes/ });
    assert.throws(() => load('ECC_NIST_P256_SIGN_VERIFY').verifyCertificate(x509File('p256-sha384.cert.pem')), { name: 'InvalidKeyUsageException' });
    assert.throws(() => load('ECC_NIST_P256_SIGN_VERIFY').verifyCertificate(x509File('p256-sha256.cert.truncated.pem')), { name: 'ValidationException' });
    assert.throws(() => load('ECC_NIST_EDWARDS25519_SIGN_VERIFY').verifyCertificate(x509File('ed25519-large.cert.pem')), { name: 'ValidationException', message: /no KMS ED25519_SHA_512 signature/ });
    assert.throws(() => load('ECC_NIST_P256_SIGN_VERIFY').verifyCertificate(42), { name: 'ValidationException' });
    assert.throws(() => load('ECC_NIST_P256_SIGN_VERIFY').crlSigningRequest('x'), { name: 'ValidationException' });
  });
});

describe('x509: what we assemble is accepted by node:crypto and OpenSSL', () => {
  for (const [fixtureName, algorithm] of ALGORITHMS) {
    it(`${fixtureName} ${algorithm}`, () => {
      const { ca, csr, leaf, crl } = buildAll(fixtureName, algorithm);
      for (const built of [ca, csr, leaf, crl]) assert.equal(built.Verified.SignatureValid, true);
      assert.equal(ca.Verified.CertifiesThisKey, true);
      assert.equal(leaf.Verified.CertifiesThisKey, false);
      assert.equal(leaf.Verified.SerialNumber, '0badc0de');
      assert.ok(ca.Pem.startsWith('-----BEGIN CERTIFICATE-----\n'));
      assert.ok(csr.Pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n'));
      assert.ok(crl.Pem.startsWith('-----BEGIN X509 CRL-----\n'));
      if (algorithm === 'ML_DSA_SHAKE_256') return; // Node 20's OpenSSL and OpenSSL 3.0 have no ML-DSA: see the next suite
      // node:crypto (Node 20, OpenSSL 3.0 inside): SM2 verifies with OpenSSL's empty default ID only, so not SM2.
      if (algorithm !== 'SM2DSA') {
        const caCert = new crypto.X509Certificate(ca.Pem);
        assert.equal(caCert.verify(caCert.publicKey), true, 'CA self-signature');
        assert.equal(new crypto.X509Certificate(leaf.Der).verify(caCert.publicKey), true, 'leaf');
        assert.equal(new crypto.X509Certificate(leaf.Pem).checkIssued(caCert), true, "leaf issued by the CA");
      }
      const dir = scratch();
      try {
        const write = (name, text) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
        const caFile = write('ca.pem', ca.Pem);
        const leafFile = write('leaf.pem', leaf.Pem);
        const csrFile = write('csr.pem', csr.Pem);
        const crlFile = write('crl.pem', crl.Pem);
        const sm2 = algorithm === 'SM2DSA' ? ['-vfyopt', 'distid:1234567812345678'] : [];
        const verified = openssl(['verify', ...sm2, '-x509_strict', '-CAfile', caFile, caFile, leafFile]);
        assert.ok(verified.ok, verified.out);
        const req = openssl(['req', '-in', csrFile, '-verify', '-noout', ...sm2]);
        assert.ok(req.ok && /verify OK/.test(req.out), req.out);
        // OpenSSL 3.0 checks CRL signatures with its empty default SM2 ID only: SM2 CRLs are covered the other way.
        if (algorithm !== 'SM2DSA') {
          const crlCheck = openssl(['crl', '-in', crlFile, '-CAfile', caFile, '-noout']);
          assert.ok(crlCheck.ok && /verify OK/.test(crlCheck.out), crlCheck.out);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** A cached Node >= 24 (its OpenSSL 3.5 verifies ML-DSA certificates), or undefined. */
function newerNode() {
  const found = spawnSync('bash', ['-c', 'source scripts/env.sh >/dev/null 2>&1; for v in 26.12.1 24.22.3; do p=$(kms_node_bin "$v" 2>/dev/null) && [ -x "$p" ] && { echo "$p"; exit 0; }; done; exit 1'], {
    cwd: path.join(HERE, '..', '..'),
    encoding: 'utf8',
  });
  const bin = found.stdout.trim().split('\n').pop();
  return found.status === 0 && bin ? bin : undefined;
}

describe('x509: ML-DSA certificates checked by a newer Node (OpenSSL 3.5 inside)', () => {
  const node = newerNode();
  it('node:crypto X509Certificate#verify of Node >= 24 accepts our ML-DSA CA and leaf', { skip: node ? false : 'no Node >= 24 cached (bash scripts/setup.sh caches it)' }, () => {
    for (const fixtureName of ['ML_DSA_44_SIGN_VERIFY', 'ML_DSA_65_SIGN_VERIFY', 'ML_DSA_87_SIGN_VERIFY']) {
      const { ca, leaf } = buildAll(fixtureName, 'ML_DSA_SHAKE_256');
      const script = `const { X509Certificate } = require('node:crypto'); const [ca, leaf] = JSON.parse(process.argv[1]).map((p) => new X509Certificate(p));
        process.stdout.write(JSON.stringify([ca.verify(ca.publicKey), leaf.verify(ca.publicKey), ca.publicKey.asymmetricKeyType]));`;
      const out = execFileSync(node, ['-e', script, JSON.stringify([ca.Pem, leaf.Pem])], { encoding: 'utf8' });
      assert.deepEqual(JSON.parse(out).slice(0, 2), [true, true], `${fixtureName}: ${out}`);
    }
  });
});

/** Python with `cryptography` (tests/python/requirements.txt; $KMS_PYTHON after `source scripts/env.sh`), or undefined. */
function python() {
  return havePython ? PYTHON : undefined;
}

describe('x509: ML-DSA certificates, CSRs and CRLs checked by Python cryptography 50', () => {
  const bin = python();
  // Under CI the venv is part of the setup: a missing one fails instead of skipping.
  if (!bin && process.env.CI === 'true') throw new Error('no $KMS_PYTHON venv under CI=true (bash scripts/setup.sh makes it)');
  it('accepts our ML-DSA CA, the leaf it issued, the CSR and the CRL', { skip: bin ? false : 'no $KMS_PYTHON venv (bash scripts/setup.sh makes it)' }, () => {
    const script = `import json, sys
from cryptography import x509
out = []
for ca, leaf, csr, crl in json.loads(sys.stdin.read()):
    ca, leaf = x509.load_pem_x509_certificate(ca.encode()), x509.load_pem_x509_certificate(leaf.encode())
    csr, crl = x509.load_pem_x509_csr(csr.encode()), x509.load_pem_x509_crl(crl.encode())
    ca.verify_directly_issued_by(ca); leaf.verify_directly_issued_by(ca)
    assert csr.is_signature_valid, 'CSR'
    assert crl.is_signature_valid(ca.public_key()), 'CRL'
    assert not crl.is_signature_valid(leaf.public_key()), 'CRL with another key'
    out.append(ca.signature_algorithm_oid.dotted_string)
print(json.dumps(out))`;
    const pairs = ['ML_DSA_44_SIGN_VERIFY', 'ML_DSA_65_SIGN_VERIFY', 'ML_DSA_87_SIGN_VERIFY'].map((name) => {
      const { ca, leaf, csr, crl } = buildAll(name, 'ML_DSA_SHAKE_256');
      return [ca.Pem, leaf.Pem, csr.Pem, crl.Pem];
    });
    const out = execFileSync(bin, ['-c', script], { input: JSON.stringify(pairs), encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), ['2.16.840.1.101.3.4.3.17', '2.16.840.1.101.3.4.3.18', '2.16.840.1.101.3.4.3.19']);
  });
});

// RFC 5280 §7.1: issued under the KMS key's own CA certificate, the issuer is that certificate's subject byte for
// byte (OpenSSL's `string_mask = default` writes PrintableString, which RFC 4514 text would come back from as
// UTF8String), and the CA's subjectKeyIdentifier (not the method-1 hash) is the authorityKeyIdentifier.
describe('x509: IssuerCertificate copies the CA subject as encoded', () => {
  const CONFIG = '[req]\ndistinguished_name = dn\nstring_mask = default\nx509_extensions = ca\n[dn]\n[ca]\nbasicConstraints = critical,CA:true\nkeyUsage = critical,keyCertSign,cRLSign\nsubjectKeyIdentifier = C0:FF:EE:01:02:03:04:05\n';
  /** The DER of the d=2 element `index` of a certificate's tbsCertificate (3: issuer, 5: subject), found by openssl asn1parse. */
  const tbsElement = (file, index) => {
    const der = fs.readFileSync(file.replace(/\.pem$/, '.der'));
    const lines = openssl(['asn1parse', '-inform', 'DER', '-in', file.replace(/\.pem$/, '.der')]).out.split('\n').filter((l) => l.includes(':d=2 '));
    const [, offset, hl, l] = lines[index].match(/^\s*(\d+):d=2\s+hl=\s*(\d+)\s+l=\s*(\d+)/);
    return der.subarray(Number(offset), Number(offset) + Number(hl) + Number(l));
  };
  const setup = () => {
    const dir = scratch();
    const fixture = fixtures.ECC_NIST_P256_SIGN_VERIFY;
    fs.writeFileSync(path.join(dir, 'ca.cnf'), CONFIG);
    fs.writeFileSync(path.join(dir, 'kms.key'), fixture.PrivateKeyPem);
    const file = (name) => path.join(dir, name);
    execFileSync('openssl', ['req', '-x509', '-new', '-key', file('kms.key'), '-config', file('ca.cnf'), '-subj', '/C=US/O=Example CA/CN=Example Root', '-days', '3650', '-out', file('ca.pem')]);
    execFileSync('openssl', ['x509', '-in', file('ca.pem'), '-outform', 'DER', '-out', file('ca.der')]);
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('leaf.key')]);
    const csr = execFileSync('openssl', ['req', '-new', '-key', file('leaf.key'), '-config', file('ca.cnf'), '-subj', '/C=JP/CN=leaf'], { encoding: 'utf8' });
    return { dir, file, csr, key: load('ECC_NIST_P256_SIGN_VERIFY') };
  };

  it('PEM, DER bytes and base64 DER: issuer = CA subject bytes, AKI = CA SKI, openssl verify -x509_strict passes; the CRL too', () => {
    const { dir, file, csr, key } = setup();
    try {
      const caSubject = tbsElement(file('ca.pem'), 5);
      assert.ok(caSubject.includes(Buffer.from('\x13\x0cExample Root', 'latin1')), 'OpenSSL wrote a PrintableString subject');
      const caDer = fs.readFileSync(file('ca.der'));
      for (const [form, IssuerCertificate] of [['PEM', fs.readFileSync(file('ca.pem'), 'utf8')], ['DER', new Uint8Array(caDer)], ['base64', caDer.toString('base64')]]) {
        const request = key.issuedCertificateSigningRequest({ IssuerCertificate, CertificateRequest: csr, NotBefore: NOW, SerialNumber: '01' });
        const leaf = key.assembleX509(request.Pending, kmsSign('ECC_NIST_P256_SIGN_VERIFY', request.SignRequest));
        fs.writeFileSync(file('leaf.pem'), leaf.Pem);
        fs.writeFileSync(file('leaf.der'), leaf.Der);
        assert.deepEqual(tbsElement(file('leaf.pem'), 3), caSubject, `${form}: issuer bytes`);
        assert.match(openssl(['x509', '-in', file('leaf.pem'), '-noout', '-ext', 'authorityKeyIdentifier']).out, /C0:FF:EE:01:02:03:04:05/, form);
        assert.deepEqual(openssl(['verify', '-x509_strict', '-CAfile', file('ca.pem'), file('leaf.pem')]), { ok: true, out: `${file('leaf.pem')}: OK\n` }, form);
      }
      const crlRequest = key.crlSigningRequest({ IssuerCertificate: caDer, ThisUpdate: NOW, CrlNumber: 1 });
      const crl = key.assembleX509(crlRequest.Pending, kmsSign('ECC_NIST_P256_SIGN_VERIFY', crlRequest.SignRequest));
      assert.ok(Buffer.from(crl.Der).includes(caSubject), 'the CRL issuer is the CA subject as encoded');
      fs.writeFileSync(file('crl.pem'), crl.Pem);
      assert.match(openssl(['crl', '-in', file('crl.pem'), '-CAfile', file('ca.pem'), '-noout']).out, /^verify OK/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a CA certificate of another key, both Issuer and IssuerCertificate, and neither', () => {
    const { dir, file, csr, key } = setup();
    try {
      const otherCa = execFileSync('openssl', ['req', '-x509', '-new', '-key', file('leaf.key'), '-config', file('ca.cnf'), '-subj', '/CN=other'], { encoding: 'utf8' });
      const ca = fs.readFileSync(file('ca.pem'), 'utf8');
      assert.throws(() => key.issuedCertificateSigningRequest({ IssuerCertificate: otherCa, CertificateRequest: csr }), { name: 'ValidationException', message: /certifies another public key than this KMS key's/ });
      assert.throws(() => key.issuedCertificateSigningRequest({ IssuerCertificate: ca, Issuer: 'CN=ca', CertificateRequest: csr }), { name: 'ValidationException', message: /Issuer and IssuerCertificate are both given/ });
      assert.throws(() => key.crlSigningRequest({ IssuerCertificate: ca, Issuer: 'CN=ca' }), { name: 'ValidationException', message: /both given/ });
      assert.throws(() => key.issuedCertificateSigningRequest({ CertificateRequest: csr }), { name: 'ValidationException', message: /IssuerCertificate/ });
      assert.throws(() => key.crlSigningRequest({}), { name: 'ValidationException', message: /IssuerCertificate/ });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
