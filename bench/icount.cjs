// Runs one operation N times on a build (bench/icount.sh counts the instructions around it). Everything but the N
// calls (loading the module, the key, the inputs, one warm-up call) is done at N = 0 too.
//   node bench/icount.cjs <dist dir> <op> <N>
const path = require('node:path');
const [dist, op, nText] = process.argv.slice(2);
const N = Number(nText);
const { KmsPublicKey } = require(path.join(dist, 'node.cjs'));
const fixture = (name) => require(path.join(__dirname, '..', 'tests', 'fixtures', 'keys', `${name}.json`));

function verifier(name, algorithm) {
  const f = fixture(name);
  const key = KmsPublicKey.fromGetPublicKey(f.GetPublicKey);
  const sig = f.Signatures.find((s) => s.SigningAlgorithm === algorithm && s.Valid !== false);
  const bytes = (b64) => new Uint8Array(Buffer.from(b64, 'base64'));
  const request = { Message: bytes(sig.Message), Signature: bytes(sig.Signature), SigningAlgorithm: algorithm, MessageType: sig.MessageType };
  return () => {
    if (key.verify(request) !== true) throw new Error('verify failed');
  };
}

const OPS = {
  'verify-p256': () => verifier('ECC_NIST_P256_SIGN_VERIFY', 'ECDSA_SHA_256'),
  'verify-rsa2048-pss': () => verifier('RSA_2048_SIGN_VERIFY', 'RSASSA_PSS_SHA_256'),
  'verify-ml-dsa-65': () => verifier('ML_DSA_65_SIGN_VERIFY', 'ML_DSA_SHAKE_256'),
  'verify-p384': () => verifier('ECC_NIST_P384_SIGN_VERIFY', 'ECDSA_SHA_384'),
  'verify-p521': () => verifier('ECC_NIST_P521_SIGN_VERIFY', 'ECDSA_SHA_512'),
  'verify-secp256k1': () => verifier('ECC_SECG_P256K1_SIGN_VERIFY', 'ECDSA_SHA_256'),
  'verify-sm2': () => verifier('SM2_SIGN_VERIFY', 'SM2DSA'),
  'encrypt-sm2': () => {
    const key = KmsPublicKey.fromGetPublicKey(fixture('SM2_ENCRYPT_DECRYPT').GetPublicKey);
    const Plaintext = new Uint8Array(32).fill(7);
    return () => key.encrypt({ Plaintext, EncryptionAlgorithm: 'SM2PKE' });
  },
  'esdk-encrypt-rsa': () => {
    const key = KmsPublicKey.fromGetPublicKey(fixture('RSA_2048_ENCRYPT_DECRYPT').GetPublicKey);
    const Plaintext = new Uint8Array(64 * 1024).fill(7);
    return () => key.encryptMessage({ Plaintext });
  },
  'load-p256': () => {
    const output = fixture('ECC_NIST_P256_SIGN_VERIFY').GetPublicKey;
    return () => KmsPublicKey.fromGetPublicKey(output).free();
  },
};
const make = OPS[op];
if (!make) throw new Error(`unknown op ${op}: ${Object.keys(OPS).join(', ')}`);
const run = make();
// Two calls before counting: a curve key's first use is the crate's path, its second builds the key's comb table.
run();
run();
for (let i = 0; i < N; i++) run();
