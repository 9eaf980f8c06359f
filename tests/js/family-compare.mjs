// What the family-entry tests (tests/js/family*.test.mjs) compare between an entry and the main entry: a call's
// outcome as text (its answer, or its exception's name and message), what a loaded key tells about itself, and
// every form people have a GetPublicKey output in.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { b64bytes, metadataOf, sdkOutputOf } = require('./fixtures.cjs');

/** Bytes as base64 in JSON, so that two answers compare as text. */
const bytesAsBase64 = (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

/** A call's outcome as comparable text: its answer (JSON), or its exception's name and message. */
export function outcome(fn) {
  try {
    return `ok:${JSON.stringify(fn(), bytesAsBase64)}`;
  } catch (e) {
    return `throw:${e?.name}:${e?.message}`;
  }
}

/** The same for an async call (a rejected promise is its exception). */
export async function outcomeAsync(fn) {
  try {
    return `ok:${JSON.stringify(await fn(), bytesAsBase64)}`;
  } catch (e) {
    return `throw:${e?.name}:${e?.message}`;
  }
}

/** What a loaded key tells about itself, as text (or the load's exception). */
export function described(lib, load) {
  return outcome(() => {
    const key = load(lib.KmsPublicKey);
    try {
      return {
        keySpec: key.keySpec, keyUsage: key.keyUsage, keyId: key.keyId, arn: key.arn,
        lists: [key.signingAlgorithms, key.encryptionAlgorithms, key.keyAgreementAlgorithms, key.encapsulationAlgorithms],
        der: key.spkiDer(), pem: key.spkiPem(), fingerprint: key.fingerprint(), json: JSON.stringify(key),
      };
    } finally {
      key.free();
    }
  });
}

/** Every form people have a GetPublicKey output in: { [form]: (KmsPublicKey) => key }. */
export function inputForms(gpk) {
  const sdk = sdkOutputOf(gpk);
  const der = b64bytes(gpk.PublicKey);
  const pem = `-----BEGIN PUBLIC KEY-----\n${gpk.PublicKey.match(/.{1,64}/g).join('\n')}\n-----END PUBLIC KEY-----\n`;
  return {
    'CLI JSON text': (K) => K.fromGetPublicKey(JSON.stringify(gpk, null, 4)),
    'CLI JSON text with a byte-order mark': (K) => K.fromGetPublicKey('\ufeff' + JSON.stringify(gpk)),
    'parsed CLI JSON object': (K) => K.fromGetPublicKey(structuredClone(gpk)),
    'SDK output object (PublicKey bytes)': (K) => K.fromGetPublicKey(sdk),
    'serialised SDK output, text ({"0":48,...})': (K) => K.fromGetPublicKey(JSON.stringify(sdk)),
    'serialised SDK output, parsed back': (K) => K.fromGetPublicKey(JSON.parse(JSON.stringify(sdk))),
    'serialised Node Buffer, text': (K) => K.fromGetPublicKey(JSON.stringify({ ...gpk, PublicKey: Buffer.from(der) })),
    'PublicKey as an array of numbers': (K) => K.fromGetPublicKey({ ...gpk, PublicKey: [...der] }),
    'PEM with metadata': (K) => K.fromPublicKey(pem, metadataOf(gpk)),
    'DER with metadata': (K) => K.fromPublicKey(der, metadataOf(gpk)),
    'base64 DER with metadata': (K) => K.fromPublicKey(gpk.PublicKey, metadataOf(gpk)),
  };
}
