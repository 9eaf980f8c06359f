// Generates www/samples/ from the test fixtures (tests/fixtures/keys): a few KMS-shaped SAMPLE keys for the
// page and the CLI, WITHOUT their private keys, each with one valid and one tampered signature.
//
//   node www/tools/make-samples.mjs        (from the repository root; the output is committed)
//
// Every sample key file is exactly what `aws kms get-public-key --output json` prints, plus a first member
// "Sample" that says it is a test key. The library ignores members it does not know; the page and the CLI show
// that member as a banner. The valid and tampered signatures are checked with the built package before anything
// is written.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KmsPublicKey } from 'kms-offline';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const OUT = path.join(REPO, 'www', 'samples');

export const SAMPLE_NOTE =
  'SAMPLE test key, not a real KMS key: made for the kms-offline demo, and its private key is public (tests/fixtures). Never trust anything it signed.';

// [fixture name, signing algorithm for the signature sample (signing keys only), short title]
const PICKS = [
  ['ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256', 'ECDSA P-256 signing key'],
  ['RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256', 'RSA 2048 signing key'],
  ['ECC_NIST_EDWARDS25519_SIGN_VERIFY', 'ED25519_SHA_512', 'Ed25519 signing key'],
  ['ML_DSA_65_SIGN_VERIFY', 'ML_DSA_SHAKE_256', 'ML-DSA-65 (post-quantum) signing key'],
  ['SM2_SIGN_VERIFY', 'SM2DSA', 'SM2 signing key (China Regions)'],
  ['RSA_2048_ENCRYPT_DECRYPT', null, 'RSA 2048 encryption key'],
  ['ECC_NIST_P256_KEY_AGREEMENT', null, 'ECDH P-256 key agreement key'],
  ['ML_KEM_768_ENCAPSULATE_DECAPSULATE', null, 'ML-KEM-768 (post-quantum) key'],
];

const b64 = (s) => Buffer.from(s, 'base64');

function pickSignatures(fx, alg) {
  // The tampered case: a valid RAW text-message signature with one bit flipped. Its source is the valid
  // case over the same message whose signature differs from it in exactly that bit.
  const tampered = fx.Signatures.find(
    (c) => c.SigningAlgorithm === alg && c.MessageType === 'RAW' && !c.Valid && c.Note.startsWith('tampered: bit 0 of signature byte 10 flipped'),
  );
  if (!tampered) throw new Error(`${alg}: no bit-flipped case`);
  const t = b64(tampered.Signature);
  const valid = fx.Signatures.find((c) => {
    if (c.SigningAlgorithm !== alg || c.MessageType !== 'RAW' || !c.Valid || c.Message !== tampered.Message) return false;
    const v = b64(c.Signature);
    if (v.length !== t.length) return false;
    const diff = [...v].map((byte, i) => byte ^ t[i]);
    return diff.every((d, i) => (i === 10 ? d === 1 : d === 0));
  });
  if (!valid) throw new Error(`${alg}: no valid case matches the tampered one`);
  return { valid, tampered };
}

export function makeSamples() {
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (f !== 'README.md') fs.rmSync(path.join(OUT, f));
  const index = { note: SAMPLE_NOTE, samples: [] };
  for (const [name, alg, title] of PICKS) {
    const fx = JSON.parse(fs.readFileSync(path.join(KEYS, `${name}.json`), 'utf8'));
    const gpk = { Sample: SAMPLE_NOTE, ...fx.GetPublicKey };
    const keyText = JSON.stringify(gpk, null, 4) + '\n';
    const key = KmsPublicKey.fromGetPublicKey(keyText);
    const entry = {
      name,
      title,
      keySpec: key.keySpec,
      keyUsage: key.keyUsage,
      files: { key: `${name}.json`, pem: `${name}.pem` },
    };
    fs.writeFileSync(path.join(OUT, `${name}.json`), keyText);
    fs.writeFileSync(path.join(OUT, `${name}.pem`), key.spkiPem().trimEnd() + '\n');
    if (alg) {
      const { valid, tampered } = pickSignatures(fx, alg);
      const message = b64(valid.Message);
      const req = { Message: new Uint8Array(message), SigningAlgorithm: alg, MessageType: 'RAW' };
      if (key.verify({ ...req, Signature: valid.Signature }) !== true) throw new Error(`${name}: valid sample does not verify`);
      if (key.verify({ ...req, Signature: tampered.Signature }) !== false) throw new Error(`${name}: tampered sample verifies`);
      fs.writeFileSync(path.join(OUT, `${name}.message.txt`), message);
      fs.writeFileSync(path.join(OUT, `${name}.sig.b64`), valid.Signature + '\n');
      fs.writeFileSync(path.join(OUT, `${name}.tampered.sig.b64`), tampered.Signature + '\n');
      Object.assign(entry.files, { message: `${name}.message.txt`, signature: `${name}.sig.b64`, tamperedSignature: `${name}.tampered.sig.b64` });
      entry.signature = {
        SigningAlgorithm: alg,
        MessageType: 'RAW',
        MessageText: message.toString('utf8'),
        Signature: valid.Signature,
        TamperedSignature: tampered.Signature,
        TamperedNote: 'the valid signature with bit 0 of byte 10 flipped',
      };
    }
    key.free();
    index.samples.push(entry);
  }
  fs.writeFileSync(path.join(OUT, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  return index;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const index = makeSamples();
  console.log(`wrote ${index.samples.length} samples to ${path.relative(REPO, OUT)}/`);
}
