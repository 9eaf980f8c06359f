// The page's sentences, in one place so that a translation replaces one object. (Older sentences still live in
// index.html and app.js; new ones go here.) Functions take the values a sentence names.

export const messages = {
  // Errors
  kmsWouldRefuse: 'KMS would refuse this request with the same exception.',
  refused: 'Refused: ',
  checkInput: 'Check the input',
  inputErrorNote: 'This is a problem with the input, not a KMS refusal: correct the input and try again.',
  unexpected: (name) => `Unexpected error: ${name}`,
  notAPublicKey:
    'This input is not a public key. Paste the GetPublicKey JSON, a PEM public key (-----BEGIN PUBLIC KEY-----), ' +
    'a base64 DER public key or a public JWK, or choose a key file.',

  // The metadata form
  chooseKeySpec: 'Choose the KeySpec…',
  chooseKeySpecFirst: 'Choose the KeySpec first',
  chooseKeyUsage: 'Choose the KeyUsage…',
  algorithmsChooseUsageFirst: 'Algorithms (choose the KeySpec and the KeyUsage first)',
  algorithmsLegend: (member) => `${member}: the algorithms the key lists`,
  detected: (spec, uses) => `The library reads this public key as KeySpec ${spec}. KMS allows it with ${uses}.`,
  detectedUse: (usage, algorithms) => `KeyUsage ${usage} (${algorithms.join(', ')})`,
  or: ' or ',
  useDetected: (spec) => `Use KeySpec ${spec}`,
  detectedNone: (reason) => `The library reads no KMS KeySpec in this public key: ${reason}`,
  detectedNoneOf: (specs) => `This public key is of none of the KeySpecs KMS has (${specs.join(', ')}).`,

  // Results
  keyIdRow: 'KeyId',
  fingerprintRow: 'Key fingerprint',
  noKeyId: '(none given)',

  // Hashing a message file in a Web Worker
  hashingStart: (name, total) => `Hashing ${name} (${total})…`,
  hashingProgress: (name, done, total, percent) => `Hashing ${name}: ${done} of ${total} (${percent} %)`,
  hashingProgressLabel: 'Hashing progress',
  cancel: 'Cancel',
  cancelled: 'The file was not hashed to the end, and nothing was verified.',
  cancelledTitle: 'Cancelled',
  workerFailed: (detail) => `The hashing worker (hash-worker.js) stopped: ${detail}`,

  // Footer
  version: (v) => `kms-offline ${v}`,
  versionUnknown: 'kms-offline (version unknown: ../pkg/package.json was not found)',
};
