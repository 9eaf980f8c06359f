// A user's Cloudflare Worker: imports the package by name and answers over fetch. workers.test.mjs bundles it
// as wrangler does (export conditions workerd, worker, browser; `.wasm` imports left as CompiledWasm modules)
// and runs it in workerd through Miniflare, with no nodejs_compat. The signing key is loaded once, at module
// scope, from a GetPublicKey output bundled with the worker (signing-key.json: the P-256 fixture), as the README's
// example does. The request body carries the other inputs:
//   POST /basic   { signature, jwt, encrypt }: verify a valid and a tampered signature, a JWT, refuse a wrong
//                 algorithm, encrypt (sync and async), the verify-p256 entry too
//   POST /native  { fixtures, wycheproof }: tests/js/native-checks.mjs (verifyAsync, encryptAsync and
//                 deriveSharedSecretAsync against the wasm answers, on workerd's WebCrypto)
//   POST /families { [entry]: fixture }: each single-family entry loads its fixture key and does its operation
import * as lib from 'kms-offline';
import { KmsPublicKey as P256KmsPublicKey } from 'kms-offline/verify-p256';
import * as rsa from 'kms-offline/rsa';
import * as p256Entry from 'kms-offline/p256';
import * as p384 from 'kms-offline/p384';
import * as p521 from 'kms-offline/p521';
import * as secp256k1 from 'kms-offline/secp256k1';
import * as sm2 from 'kms-offline/sm2';
import * as ed25519 from 'kms-offline/ed25519';
import * as mlDsa from 'kms-offline/ml-dsa';
import * as mlKem from 'kms-offline/ml-kem';
import { runNativeChecks } from './native-checks.mjs';
import signingKey from './signing-key.json';

const { KmsPublicKey } = lib;
const key = KmsPublicKey.fromGetPublicKey(signingKey.GetPublicKey);
const p256 = P256KmsPublicKey.fromGetPublicKey(JSON.stringify(signingKey.GetPublicKey));

/** What a call gives, as JSON-able data: its value, or the exception's name and message. */
async function outcome(fn) {
  try {
    const value = await fn();
    return { value: value instanceof Uint8Array ? btoa(String.fromCharCode(...value)) : value };
  } catch (e) {
    return { error: e?.name, message: e?.message };
  }
}

/** A different message: the first byte flipped. */
function tamper(b64) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  bytes[0] ^= 1;
  return bytes;
}

async function basic({ signature, jwt, encrypt }) {
  const { Valid, Note, ...fields } = signature;
  // The fixture's Message is base64 text, as the CLI prints it: a RAW message string says how to read it.
  const request = { ...fields, MessageEncoding: 'base64' };
  const tampered = { ...fields, Message: tamper(fields.Message) };
  const encryptKey = KmsPublicKey.fromGetPublicKey(encrypt.GetPublicKey);
  const plaintext = new TextEncoder().encode(encrypt.Plaintext);
  return {
    keySpec: key.keySpec,
    valid: await outcome(() => key.verify(request)),
    tampered: await outcome(() => key.verify(tampered)),
    tamperedOrThrow: await outcome(() => key.verifyOrThrow(tampered)),
    validAsync: await outcome(() => key.verifyAsync(request)),
    tamperedAsync: await outcome(() => key.verifyAsync(tampered)),
    wrongAlgorithm: await outcome(() => key.verify({ ...request, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
    jwt: await outcome(() => key.verifyJwt(jwt.Token, { Issuer: jwt.Issuer, Audience: jwt.Audience })),
    jwtForged: await outcome(() => key.verifyJws(jwt.Forged)),
    familyValid: await outcome(() => p256.verify(request)),
    familyTampered: await outcome(() => p256.verify(tampered)),
    // the ciphertexts go back (base64) to the test, which decrypts them with the fixture's private key
    encrypt: await outcome(() => encryptKey.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }).CiphertextBlob),
    encryptAsync: await outcome(async () => (await encryptKey.encryptAsync({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })).CiphertextBlob),
    encryptWrongUsage: await outcome(() => key.encrypt({ Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
  };
}

const FAMILY_ENTRIES = { rsa, p256: p256Entry, p384, p521, secp256k1, sm2, ed25519, 'ml-dsa': mlDsa, 'ml-kem': mlKem };

/** Each family entry with its fixture: the key spec it loads, and its operation (verify a valid signature,
 *  encrypt, derive, encapsulate: byte lengths of the random outputs), async where the entry has it. */
async function families(input) {
  const out = {};
  for (const [name, fixture] of Object.entries(input)) {
    const key = FAMILY_ENTRIES[name].KmsPublicKey.fromGetPublicKey(fixture.GetPublicKey);
    const valid = fixture.Signatures.find((c) => c.Valid && c.MessageType === 'RAW');
    const gpk = fixture.GetPublicKey;
    out[name] = {
      keySpec: key.keySpec,
      verify: valid ? await outcome(() => key.verify({ ...valid, MessageEncoding: 'base64' })) : undefined,
      verifyAsync: valid && key.verifyAsync ? await outcome(() => key.verifyAsync({ ...valid, MessageEncoding: 'base64' })) : undefined,
      encrypt: gpk.EncryptionAlgorithms ? await outcome(() => key.encrypt({ Plaintext: new Uint8Array(8), EncryptionAlgorithm: gpk.EncryptionAlgorithms[0] }).CiphertextBlob.length > 0) : undefined,
      derive: gpk.KeyAgreementAlgorithms ? await outcome(() => key.deriveSharedSecret({ KeyAgreementAlgorithm: 'ECDH' }).SharedSecret.length) : undefined,
      encapsulate: gpk.EncapsulationAlgorithms ? await outcome(() => key.encapsulate({ EncapsulationAlgorithm: 'ML_KEM' }).SharedSecret.length) : undefined,
    };
    key.free();
  }
  return out;
}

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST') return new Response('POST /basic, /native or /families', { status: 405 });
    const input = await request.json();
    if (pathname === '/basic') return Response.json(await basic(input));
    if (pathname === '/native') return Response.json(await runNativeChecks({ lib, ...input }));
    if (pathname === '/families') return Response.json(await families(input));
    return new Response(`no route ${pathname}`, { status: 404 });
  },
};
