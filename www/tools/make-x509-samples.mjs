// Adds the X.509 samples to www/samples/: a self-signed certificate, a PKCS#10 CSR and a CRL signed by the SAMPLE
// P-256 key (as a KMS-backed CA would make them), and the certificate with one byte of its subject changed.
//
//   node www/tools/make-x509-samples.mjs   (from the repository root, after make-samples.mjs; the output is committed)
//
// As make-dsse-samples.mjs: the package builds each to-be-signed part and its KMS Sign request, the fixture's
// private key signs it with RFC 6979 (@noble/curves), so the files are the same on every run; every file is checked
// with the built package before it is written.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { p256 } from '@noble/curves/nist.js';
import { KmsPublicKey } from 'kms-offline';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAME = 'ECC_NIST_P256_SIGN_VERIFY';
const fx = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', `${NAME}.json`), 'utf8'));
const OUT = path.join(REPO, 'www', 'samples');
const SUBJECT = 'CN=SAMPLE kms-offline test CA (never trust it),O=kms-offline demo';
const at = (iso) => new Date(iso);

const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.GetPublicKey));
const der = pemDer(fx.PrivateKeyPem);
const scalar = der.slice(der.indexOf(Buffer.from([2, 1, 1, 4, 32])) + 5).subarray(0, 32);

/** What KMS Sign (RAW: SHA-256 inside) would return for the request, then the assembled file. */
function signed({ SignRequest, Pending }) {
  const signature = p256.sign(SignRequest.Message, scalar, { lowS: false, format: 'der' });
  return key.assembleX509(Pending, signature);
}

const certificate = signed(key.selfSignedCertificateSigningRequest({
  Subject: SUBJECT, SerialNumber: '5a4d504c45', NotBefore: at('2026-01-01T00:00:00Z'), NotAfter: at('2036-01-01T00:00:00Z'), Ca: true,
}));
const request = signed(key.certificateRequestSigningRequest({ Subject: SUBJECT, KeyUsage: ['digitalSignature'] }));
const crl = signed(key.crlSigningRequest({
  Issuer: SUBJECT, ThisUpdate: at('2026-06-01T00:00:00Z'), NextUpdate: at('2036-06-01T00:00:00Z'), CrlNumber: 1,
  Revoked: [{ SerialNumber: '0badc0de', RevocationDate: at('2026-05-01T00:00:00Z') }],
}));
// The tampered certificate: "SAMPLE" in its subject becomes "SAMPLF"; the structure stays valid, the signature does not.
const tamperedDer = Buffer.from(certificate.Der);
tamperedDer[tamperedDer.indexOf('SAMPLE') + 5] ^= 0x03;
const tamperedPem = `-----BEGIN CERTIFICATE-----\n${tamperedDer.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;

const checks = [
  key.verifyCertificate(certificate.Pem).SignatureValid && key.verifyCertificate(certificate.Pem).CertifiesThisKey,
  key.verifyCertificateRequest(request.Pem).SignatureValid,
  key.verifyCrl(crl.Pem).SignatureValid,
  !key.verifyCertificate(tamperedPem).SignatureValid,
];
if (checks.includes(false)) throw new Error(`X.509 samples do not check out: ${checks}`);
fs.writeFileSync(path.join(OUT, `${NAME}.cert.pem`), certificate.Pem);
fs.writeFileSync(path.join(OUT, `${NAME}.csr.pem`), request.Pem);
fs.writeFileSync(path.join(OUT, `${NAME}.crl.pem`), crl.Pem);
fs.writeFileSync(path.join(OUT, `${NAME}.tampered.cert.pem`), tamperedPem);

function pemDer(pem) {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
