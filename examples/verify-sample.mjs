// Verify a KMS signature offline with kms-offline.
//
//   node examples/verify-sample.mjs [path/to/fixture.json]
//
// Loads a bundled sample key (default: tests/fixtures/keys/ECC_NIST_P256_SIGN_VERIFY.json, a KMS-shaped test key:
// the `aws kms get-public-key` output plus signatures made with its private half), prints its key card, then
// verifies one valid signature and the same signature over a tampered message.
import { readFileSync } from 'node:fs';
import { KmsPublicKey } from 'kms-offline';

const file = process.argv[2] ?? new URL('../tests/fixtures/keys/ECC_NIST_P256_SIGN_VERIFY.json', import.meta.url);
const fixture = JSON.parse(readFileSync(file, 'utf8'));

// 1. Load the key exactly as `aws kms get-public-key --key-id ... --output json` prints it.
const key = KmsPublicKey.fromGetPublicKey(JSON.stringify(fixture.GetPublicKey));

const algorithms = [...key.signingAlgorithms, ...key.encryptionAlgorithms, ...key.keyAgreementAlgorithms, ...key.encapsulationAlgorithms];
const arn = key.arn;
const row = (label, value) => console.log(`  ${label.padEnd(12)} ${value}`);
console.log('KMS public key');
row('KeyId', key.keyId ?? '(none)');
row('KeySpec', key.keySpec);
row('KeyUsage', key.keyUsage);
row('Algorithms', algorithms.join(', '));
if (arn) {
  row('Partition', arn.partition);
  row('Region', arn.region);
  row('Account', arn.accountId);
  row('Resource', `${arn.resourceType}/${arn.resourceId}`);
}
row('SHA-256', `${key.fingerprint()}  (of the DER SubjectPublicKeyInfo)`);

// 2. A signature KMS Sign made (here: a fixture case), as the CLI prints it: base64 strings.
const printable = (b64) => /^[\x20-\x7e]+$/.test(Buffer.from(b64, 'base64').toString('latin1'));
const rawValid = (fixture.Signatures ?? []).filter((c) => c.Valid && (c.MessageType ?? 'RAW') === 'RAW');
const sample = rawValid.find((c) => printable(c.Message)) ?? rawValid[0];
if (!sample) {
  console.error('this key has no valid RAW signature sample');
  process.exit(1);
}
const message = Buffer.from(sample.Message, 'base64');
const request = { Message: new Uint8Array(message), Signature: sample.Signature, SigningAlgorithm: sample.SigningAlgorithm, MessageType: 'RAW' };
const shown = printable(sample.Message) ? JSON.stringify(message.toString('latin1')) : `${message.length} bytes`;

console.log('\nSignature checks');
const valid = key.verify(request);
row('valid', `${sample.SigningAlgorithm} over ${shown} -> ${valid}`);

// 3. The same signature over a message with one changed byte.
const tampered = new Uint8Array(message);
tampered[tampered.length - 1] ^= 0x01;
const invalid = key.verify({ ...request, Message: tampered });
row('tampered', `same signature, last message byte changed -> ${invalid}`);
try {
  key.verifyOrThrow({ ...request, Message: tampered });
} catch (e) {
  row('', `verifyOrThrow: ${e.name}: ${e.message}`);
}

// 4. A rule KMS enforces: this key cannot verify with another algorithm.
try {
  key.verify({ ...request, SigningAlgorithm: 'RSASSA_PSS_SHA_256' });
} catch (e) {
  row('wrong alg', `${e.name}: ${e.message}`);
}

key.free();
if (valid !== true || invalid !== false) {
  console.error('\nunexpected result');
  process.exit(1);
}
