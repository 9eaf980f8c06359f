// Adds the DSSE samples to www/samples/: an in-toto statement in a DSSE envelope signed by the SAMPLE P-256 key
// (as cosign or in-toto would write it with an awskms:// key), and the same envelope with its payload changed.
//
//   node www/tools/make-dsse-samples.mjs   (from the repository root, after make-samples.mjs; the output is committed)
//
// The signature is what KMS Sign returns for the package's dsseSigningRequest (DER ECDSA), made here with the
// fixture's private key and RFC 6979 (@noble/curves), so the files are the same on every run. Both are checked
// with the built package before they are written.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { p256 } from '@noble/curves/nist.js';
import { KmsPublicKey } from 'kms-offline';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const NAME = 'ECC_NIST_P256_SIGN_VERIFY';
const fx = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', `${NAME}.json`), 'utf8'));
const OUT = path.join(REPO, 'www', 'samples');

const statement = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'ECC_NIST_P256_SIGN_VERIFY.message.txt', digest: { sha256: crypto.createHash('sha256').update(fs.readFileSync(path.join(OUT, `${NAME}.message.txt`))).digest('hex') } }],
  predicateType: 'https://kms-offline.example/SAMPLE/v1',
  predicate: { note: 'SAMPLE: signed by a test key whose private key is public. Never trust it.' },
};
const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(fx.GetPublicKey));
const { SignRequest, Pending } = key.dsseSigningRequest({ PayloadType: 'application/vnd.in-toto+json', Payload: statement });
const der = pemDer(fx.PrivateKeyPem);
const scalar = der.slice(der.indexOf(Buffer.from([2, 1, 1, 4, 32])) + 5).subarray(0, 32);
const signature = p256.sign(SignRequest.Message, scalar, { lowS: false, format: 'der' }); // KMS Sign, RAW: SHA-256 inside
const envelope = JSON.parse(key.assembleDsse(Pending, signature, { KeyId: fx.GetPublicKey.KeyId }));
const tampered = { ...envelope, payload: Buffer.from(JSON.stringify({ ...statement, predicate: { note: 'changed after signing' } })).toString('base64') };
if (!key.verifyDsse(envelope).Valid || key.verifyDsse(tampered).Valid) throw new Error('DSSE samples do not check out');
fs.writeFileSync(path.join(OUT, `${NAME}.dsse.json`), JSON.stringify(envelope, null, 2) + '\n');
fs.writeFileSync(path.join(OUT, `${NAME}.tampered.dsse.json`), JSON.stringify(tampered, null, 2) + '\n');

function pemDer(pem) {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
