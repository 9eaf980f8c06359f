// Every sentence the page shows, once per language: `en` and `ja` have exactly the same keys (tests/www/messages.test.mjs).
// index.html names its static texts by key (data-i18n, data-i18n-html, data-i18n-aria-label); app.js reads
// `messages`, the table of the chosen language. Functions take the values a sentence names.
// KMS's own names (KeySpec values, algorithm names, exception names, member names) stay as KMS spells them in both
// languages, as the Japanese AWS console and documentation keep them; the Japanese terms are the AWS documentation's
// (キー仕様, キーの用途, 署名アルゴリズム, パブリックキー, 識別 ID...).

const en = {
  // The document
  title: 'kms-offline: use an AWS KMS public key offline',
  skip: 'Skip to the page',
  languageSwitch: 'Language',
  lede:
    "Use an AWS KMS public key offline: verify KMS signatures, encrypt for KMS Decrypt, derive an ECDH secret, " +
    "encapsulate with ML-KEM. KMS's rules apply, with KMS's exception names. Nothing leaves this page: no network, no AWS call.",
  loading: 'Loading the WebAssembly module…',
  loadFailed: (detail) =>
    'Could not load the kms-offline package (../pkg/dist/web.js). Build it and serve the page with: bash scripts/serve.sh. ' +
    `(${detail})`,
  ready: 'Ready. Everything runs in this page; nothing is sent anywhere.',

  // 1. Load a key
  loadHeading: 'Load a key',
  samplesHeading: 'Try a sample key',
  samplesBadge: 'SAMPLE test keys, not real KMS keys',
  samplesHint: 'Made for this demo from the project\'s test fixtures. Their private keys are public: never trust anything they sign.',
  sampleTag: 'SAMPLE',
  sampleTitle: (sample) => sample.title,
  samplesUnavailable: (detail) => `Samples not available: ${detail}`,
  sampleBanner: (note) => `⚠ ${note}`,
  keyTextLabel: 'GetPublicKey output, or a public key',
  keyTextHintHtml:
    'Paste what <code>aws kms get-public-key --key-id … --output json</code> prints, the SDK\'s GetPublicKeyCommand output ' +
    'as JSON, a PEM public key (the console\'s Download), or a public JWK. You can also drop a file here.',
  keyFileLabel: 'Or choose a file (.json, .pem, .der, .jwk)',
  derPlaceholder: (name, size) => `Binary DER file ${name} (${size} bytes): give its metadata below, then Load key.`,
  metaLegend: 'Key metadata: a PEM, DER or JWK public key carries none',
  metaHintHtml:
    'Copy these from the key\'s <em>Cryptographic configuration</em> tab in the KMS console. The menus offer only what KMS ' +
    'allows for the chosen KeySpec, and the library checks them against the public key, as KMS would.',
  keySpecLabel: 'KeySpec',
  keyUsageLabel: 'KeyUsage',
  algorithmsLabel: 'Algorithms',
  keyIdLabel: 'KeyId or key ARN (optional)',
  loadButton: 'Load key',
  clearButton: 'Clear',
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
  notAPublicKey:
    'This input is not a public key. Paste the GetPublicKey JSON, a PEM public key (-----BEGIN PUBLIC KEY-----), ' +
    'a base64 DER public key or a public JWK, or choose a key file.',
  pasteAKey: 'paste a GetPublicKey output or a public key, choose a file, or pick a sample',
  keyFileTooBig: (name, size) => `${name} is ${size}: a public key file is a few KiB at most`,
  loadedFromJson: 'GetPublicKey JSON',
  loadedFromJwk: 'JWK + the metadata form',
  loadedFromDer: (name) => `DER file ${name} + the metadata form`,
  loadedFromPem: (pem) => `${pem ? 'PEM' : 'base64 DER'} + the metadata form`,

  // The key card
  cardHeading: 'Key card',
  cardPem: 'Public key (PEM)',
  cardField: {
    KeySpec: 'KeySpec', KeyUsage: 'KeyUsage', SigningAlgorithms: 'SigningAlgorithms', EncryptionAlgorithms: 'EncryptionAlgorithms',
    KeyAgreementAlgorithms: 'KeyAgreementAlgorithms', EncapsulationAlgorithms: 'EncapsulationAlgorithms', KeyId: 'KeyId',
    Partition: 'Partition', Region: 'Region', Account: 'Account', Alias: 'Alias', ResourceId: 'Key ID',
    Fingerprint: 'SPKI fingerprint', LoadedFrom: 'Loaded from',
  },
  fingerprintNote: 'SHA-256 of the DER SubjectPublicKeyInfo',
  caveatsHeading: 'What you lose outside KMS',
  caveatsHint: 'AWS, “Special considerations for downloading public keys”: these protections exist only inside KMS.',
  caveatPolicy: ['No key policy or IAM', 'key policies and IAM have no effect outside KMS: anyone who has this public key can use it.'],
  caveatUsage: (usage, encrypting) => [
    'No usage or algorithm enforcement beyond this tool',
    `KMS cannot enforce KeyUsage ${usage} or the algorithm list outside KMS; only this tool does. ` +
      (encrypting ? 'Data encrypted any other way can never be decrypted by KMS.' : 'Data encrypted with this key can never be decrypted: it is not an encryption key.'),
  ],
  caveatDisable: (encrypting) => [
    'No disable or delete',
    'disabling or deleting the KMS key does not reach this public key, and its key state is invisible here.' +
      (encrypting ? ' Data encrypted for a deleted key is unrecoverable.' : ''),
  ],
  caveatCloudTrail: ['No CloudTrail', 'nothing done with the public key outside KMS is logged.'],
  caveatSm2: [
    'SM2 distinguishing ID',
    'verifying SM2 signatures offline needs the distinguishing ID; KMS uses 1234567812345678 (so does this tool for RAW messages). SM2 keys exist only in the China Regions.',
  ],
  caveatRawSecret: ['Raw shared secret', 'the ECDH secret is not a key: derive one with HKDF or the one-step KDF.'],
  caveatImplicitRejection: [
    'Implicit rejection',
    'KMS Decapsulate returns a pseudo-random secret for a wrong ciphertext: confirm both sides hold the same secret.',
  ],

  // 2. Use it
  actionsHeading: 'Use it',
  showAll: 'Show every action and algorithm, also those this key does not allow (to see how KMS refuses them)',
  notAllowedGroup: 'Not allowed for this key (KMS refuses)',
  listsNone: '(this key lists none)',
  sourceText: 'Text',
  sourceHex: 'Hex',
  sourceBase64: 'Base64',
  sourceFile: 'File',
  sourceLabel: (what, source) => `${what} (${source})`,
  sourceNames: { hex: 'hex', base64: 'base64' },

  // Verify
  verifyHeading: 'Verify a signature',
  signingAlgorithmLabel: 'Signing algorithm',
  messageTypeLegend: 'Message type',
  messageAsLegend: 'Message as',
  messageLabel: 'Message',
  messageFileLabel: 'Message file (any size: with DIGEST or EXTERNAL_MU it is hashed in a stream)',
  prehashedLabel: 'The message is already the digest (or the 64-byte μ): pass it as is',
  prehashedHint:
    "With DIGEST or EXTERNAL_MU and this box unchecked, the page hashes the message for you (the algorithm's hash, SM2's e " +
    "with KMS's distinguishing ID, or ML-DSA's μ), in a stream.",
  signatureLabelHtml: 'Signature (base64, as <code>aws kms sign --query Signature --output text</code> prints it)',
  signatureFileLabel: 'Or a signature file (raw bytes or base64)',
  fillValid: "Use the sample's valid signature",
  fillTampered: "Use the sample's tampered signature",
  verifyButton: 'Verify',
  giveSignature: 'give the signature (base64), or choose a signature file',
  algorithmRow: 'Algorithm',
  messageTypeRow: 'MessageType',
  messageRow: 'Message',
  hashedHere: (size) => `${size}, hashed here`,
  digestRow: 'Digest',
  sm2DigestRow: 'e = SM3(Z_A ‖ M), ID 1234567812345678',
  valid: '✔ Valid signature',
  validNote: 'KMS Verify would return SignatureValid: true.',
  invalid: '✘ Invalid signature',
  invalidAnswer: 'KMS Verify would answer ',

  // A signed file (DSSE envelope), dropped on the page or chosen
  signedHeading: 'Verify a signed file (DSSE envelope, X.509 certificate, CSR or CRL)',
  signedHintHtml:
    'Drop a DSSE envelope (an <code>in-toto</code> or <code>cosign</code> attestation: JSON with <code>payloadType</code> and ' +
    '<code>signatures</code>) on the page, or choose it here: each signature is checked with this key under KMS\'s rules, over ' +
    'the PAE as a KMS signer sent it. An X.509 certificate, PKCS#10 CSR or CRL (PEM or DER) is checked the same way, ' +
    'and the page says whether it certifies this very key.',
  signedFileLabel: 'Envelope, certificate, CSR or CRL file',
  signedKinds: { dsse: 'a DSSE envelope', certificate: 'an X.509 certificate', certificateRequest: 'a certificate signing request (CSR)', crl: 'a certificate revocation list (CRL)' },
  loadKeyFirst: (kind, name) => `${name} is ${kind}: load the key that signed it first, then drop it again`,
  signedFileTooBig: (name, size, limit) => `${name} is ${size}: this page reads signed files of at most ${limit}`,
  dsseValid: '✔ Valid envelope: a signature by this key verifies',
  dsseInvalid: '✘ Invalid envelope: no signature by this key verifies over this payloadType and payload',
  dsseNote: (name) => `${name}, checked as KMS Verify would check each signature.`,
  paeAs: (type, size) => `${type} (PAE of ${size})`,
  payloadTypeRow: 'payloadType',
  payloadRow: 'Payload',
  signatureRow: (i) => `Signature ${i + 1}`,
  signatureStatus: (status, keyid, match) => `${status}` + (keyid === undefined ? ' (no keyid)' : ` (keyid ${keyid}: ${match})`),
  payloadHeading: 'Payload:',
  x509Valid: {
    certificate: '✔ Valid certificate: its signature by this key verifies',
    certificateRequest: '✔ Valid CSR: its signature by this key verifies',
    crl: '✔ Valid CRL: its signature by this key verifies',
  },
  x509Invalid: {
    certificate: '✘ Invalid certificate: its signature does not verify with this key (changed after signing, or signed by another key)',
    certificateRequest: '✘ Invalid CSR: its signature does not verify with this key (changed after signing, or signed by another key)',
    crl: '✘ Invalid CRL: its signature does not verify with this key (changed after signing, or signed by another key)',
  },
  x509Note: (name) => `${name}, its signature checked as KMS Verify would check it.`,
  x509SubjectRow: 'Subject',
  x509IssuerRow: 'Issuer',
  x509SerialRow: 'Serial number',
  x509ValidityRow: 'Validity',
  x509UpdateRow: 'This update / next update',
  x509Period: (from, to) => `${from} to ${to}`,
  x509RevokedRow: 'Revoked serial numbers',
  x509Revoked: (serials) => (serials.length === 0 ? 'none' : `${serials.length}: ${serials.join(', ')}`),
  x509ThisKeyRow: 'This key',
  x509ThisKey: { certificate: 'certified: the certificate is for this very key', certificateRequest: 'requested: the CSR asks a certificate for this very key' },
  x509OtherKey: { certificate: 'not this key: the certificate is for another key (this key signed it as its issuer)', certificateRequest: 'not this key: the CSR is for another key' },

  // Encrypt
  encryptHeading: 'Encrypt for KMS Decrypt',
  encryptionAlgorithmLabel: 'Encryption algorithm',
  plaintextAsLegend: 'Plaintext as',
  plaintextLabel: 'Plaintext',
  plaintextFileLabel: 'Plaintext file',
  encryptButton: 'Encrypt',
  encrypted: (bytes) => `✔ Encrypted: ${bytes}-byte CiphertextBlob`,
  encryptedDetail: (algorithm, size) => `${algorithm}, from ${size} of plaintext.`,
  ciphertextField: (bytes) => `CiphertextBlob (base64, ${bytes} bytes)`,
  decryptIntro: 'Only KMS can open it. With the AWS CLI (v1 or v2):',

  // Encrypt a file: an AWS Encryption SDK message (encrypt-worker.js)
  efHeading: 'Encrypt a file of any size (AWS Encryption SDK message)',
  efHint:
    'For files and data of any size, where Encrypt takes a few hundred bytes at most. The page writes an AWS Encryption SDK message ' +
    "(format 2, a committing algorithm suite, the ESDK's default frame length) whose data key only KMS can recover: it is wrapped as the " +
    "ESDK's own AWS KMS RSA keyring (RSA ENCRYPT_DECRYPT keys, KMS Decrypt) or AWS KMS ECDH keyring (ECC_NIST_P256/384/521 " +
    'KEY_AGREEMENT keys, KMS DeriveSharedSecret) wraps it. The file is read in a stream, in a Web Worker; nothing leaves this page.',
  efFileLabel: 'File to encrypt (drop it on this panel, or choose it)',
  efAlgHint: 'The AWS KMS RSA keyring that decrypts must be configured with the same EncryptionAlgorithm.',
  efContextLabel: 'Encryption context (optional): one key=value pair per line',
  efContextHintHtml:
    'Stored in the message header and authenticated, not secret: the decrypting side can require these pairs. Each line is kept ' +
    "exactly, spaces included. Keys starting with <code>aws-crypto-</code> are the ESDK's own.",
  efButton: 'Encrypt file',
  efChooseFile: 'choose or drop a file to encrypt',
  efContextLine: (line) => `line ${line} of the encryption context is not key=value (a non-empty key, "=", then the value)`,
  efContextKeyTwice: (name) => `the encryption context names the key "${name}" twice`,
  efStart: (name, total) => `Encrypting ${name} (${total})…`,
  efProgress: (name, done, total, percent) => `Encrypting ${name}: ${done} of ${total} (${percent} %)`,
  efProgressLabel: 'Encryption progress',
  efCancelled: 'The file was not encrypted to the end: there is no message to download.',
  efWorkerFailed: (detail) => `The encryption worker (encrypt-worker.js) stopped: ${detail}`,
  efDone: (size) => `✔ Encrypted: an AWS Encryption SDK message of ${size}`,
  efDoneDetail: (name, size) => `From ${name} (${size}), read in a stream in a Web Worker. Only KMS can recover its data key.`,
  efKeyringRow: 'Decrypt with',
  efRsaKeyring: 'AWS KMS RSA keyring',
  efEcdhKeyring: 'AWS KMS ECDH keyring (KmsPublicKeyDiscovery)',
  efSuiteRow: 'Algorithm suite',
  efContextRow: 'Encryption context',
  efNoContext: '(none)',
  efLimit:
    'The message is gathered into a `Blob` 8 MiB at a time, so this page holds little of it; the browser stores the `Blob` ' +
    '(Chromium keeps large ones on disk, other browsers may keep them in memory). For files of many GiB, use ' +
    '`kms-offline encrypt-file`, which writes to disk as it reads.',
  efDecryptRsa: (keyId, algorithm) =>
    `Decrypt it with an AWS Encryption SDK (Java, Python, .NET, Rust, Go) and its AWS KMS RSA keyring for \`${keyId}\`, ` +
    `EncryptionAlgorithm ${algorithm}, and a KMS client allowed \`kms:Decrypt\` on that key. \`aws-encryption-cli\` cannot: ` +
    'it takes symmetric KMS keys only. In Python:',
  efDecryptEcdh: (keyId, curve) =>
    'Decrypt it with an AWS Encryption SDK (Java, Python, .NET, Rust, Go) and its AWS KMS ECDH keyring, KeyAgreementScheme ' +
    `KmsPublicKeyDiscovery with RecipientKmsIdentifier \`${keyId}\`, curve ${curve}, and a KMS client allowed \`kms:GetPublicKey\` ` +
    'and `kms:DeriveSharedSecret` on that key. `aws-encryption-cli` cannot: it takes symmetric KMS keys only. In Python:',
  efDecryptCodeLabel: 'Python code that decrypts the message',
  copyCode: 'Copy code',

  // Derive
  deriveHeading: 'Derive a shared secret (ECDH, the other side of DeriveSharedSecret)',
  keyAgreementAlgorithmLabel: 'Key agreement algorithm',
  deriveHint:
    'The page makes an ephemeral key pair, computes the shared secret with this KMS key, and gives you the public key to send to KMS DeriveSharedSecret.',
  deriveButton: 'Derive with a new ephemeral key',
  derived: '✔ Shared secret computed with a new ephemeral key',
  derivedNote: 'Choose a KDF below to see the key derived from it.',
  ourPublicKeyField: (bytes) => `Your public key (DER SPKI, base64, ${bytes} bytes): what DeriveSharedSecret takes`,
  deriveIntro: 'KMS computes the same shared secret (Z) with:',
  kdfLegend: 'Turn the shared secret into a key',
  kdfHint:
    'AWS: “you should not use the raw shared secret as an encryption key”. The secret is shown only through the KDF you choose; both sides must use the same inputs.',
  kdfLabel: 'KDF',
  chooseKdfOption: 'Choose a KDF…',
  hkdfOption: 'HKDF (RFC 5869)',
  oneStepOption: 'One-step KDF (NIST SP 800-56C)',
  noKdfOption: 'None: raw Z, only to compare with KMS',
  hashLabel: 'Hash',
  lengthLabel: 'Length (bytes)',
  saltLabel: 'HKDF salt (text)',
  infoLabel: 'HKDF info (text): bind both public keys and a protocol label',
  fixedInfoLabel: 'FixedInfo (text): bind both public keys and a protocol label',
  kdfButton: 'Show the derived key',
  deriveFirst: 'derive a shared secret first',
  chooseKdf: 'choose a KDF: the raw shared secret is not shown without one',
  lengthWhole: 'the length must be a whole number of bytes',
  rawSecret: (bytes) => `Raw shared secret Z (${bytes} bytes)`,
  rawSecretNote: 'Only to compare with the SharedSecret KMS returns: never use it as a key.',
  oneStepName: (hash) => `one-step KDF (SP 800-56C), ${hash}`,
  derivedKey: (label, bytes) => `✔ Derived key: ${label}, ${bytes} bytes`,
  derivedKeyNote:
    'The holder of the KMS key gets the same key by applying the same KDF, with the same inputs, to the SharedSecret KMS returns.',

  // Encapsulate
  encapsulateHeading: 'Encapsulate (ML-KEM, for KMS Decapsulate)',
  encapsulationAlgorithmLabel: 'Encapsulation algorithm',
  encapsulateButton: 'Encapsulate',
  encapsulated: (ciphertext, secret) => `✔ Encapsulated: ${ciphertext}-byte ciphertext, ${secret}-byte shared secret`,
  encapsulatedNote:
    'KMS answers a wrong ciphertext with a pseudo-random secret (implicit rejection): confirm both sides hold the same secret before relying on it.',
  encapsulatedCiphertextField: (bytes) => `SharedSecretCiphertextBlob (base64, ${bytes} bytes)`,
  sharedSecretHex: 'Shared secret (hex):',
  decapsulateIntro: 'KMS Decapsulate returns the same secret with:',

  // Buttons and links in results
  copyCommand: 'Copy command',
  copyBase64: 'Copy base64',
  copied: 'Copied',
  copyFailed: 'Copy failed: select the text',
  download: (file) => `Download ${file}`,

  // Input that the page reads itself
  what: { key: 'the key', message: 'the message', plaintext: 'the plaintext', messageFile: 'message file', plaintextFile: 'plaintext file' },
  notBase64: (what) => `${what} is not valid base64`,
  notHex: (what) => `${what} is not valid hex (an even number of 0-9 a-f digits)`,
  chooseA: (what) => `choose a ${what}`,
  tooBigWhole: (name, size, what, limit) =>
    `${name} is ${size}; this page passes a ${what} whole and reads at most ${limit}. ` +
    'To verify a large file, choose MessageType DIGEST (EXTERNAL_MU for ML-DSA): the file is then hashed in a stream.',
  bytes: (n) => `${n} bytes`,

  // Errors
  kmsWouldRefuse: 'KMS would refuse this request with the same exception.',
  refused: 'Refused: ',
  checkInput: 'Check the input',
  inputErrorNote: 'This is a problem with the input, not a KMS refusal: correct the input and try again.',
  unexpected: (name) => `Unexpected error: ${name}`,
  original: 'Original',

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
  workerNotLoaded: 'it could not be loaded',

  // Footer
  footer:
    "kms-offline runs in this page as WebAssembly, served from this machine. It enforces KMS's rules on the key and the request; it cannot know whether the KMS key is still enabled, nor its policy.",
  documentation: 'Documentation',
  linkReadme: 'Project README',
  linkPkgReadme: 'npm package README',
  linkPageReadme: 'This page (www/README.md)',
  linkDownload: 'AWS: Downloading public keys',
  linkConsiderations: 'AWS: Special considerations for downloading public keys',
  linkKeySpecs: 'AWS: Key spec reference',
  linkOfflineOperations: 'AWS: Example offline operations',
  version: (v) => `kms-offline ${v}`,
  versionUnknown: 'kms-offline (version unknown: ../pkg/package.json was not found)',
};

/** The samples' titles (www/samples/index.json has the English ones), by sample name. */
const JA_SAMPLE_TITLES = {
  ECC_NIST_P256_SIGN_VERIFY: 'ECDSA P-256 署名用キー',
  RSA_2048_SIGN_VERIFY: 'RSA 2048 署名用キー',
  ECC_NIST_EDWARDS25519_SIGN_VERIFY: 'Ed25519 署名用キー',
  ML_DSA_65_SIGN_VERIFY: 'ML-DSA-65 (耐量子) 署名用キー',
  SM2_SIGN_VERIFY: 'SM2 署名用キー (中国リージョン)',
  RSA_2048_ENCRYPT_DECRYPT: 'RSA 2048 暗号化用キー',
  ECC_NIST_P256_KEY_AGREEMENT: 'ECDH P-256 キー共有用キー',
  ML_KEM_768_ENCAPSULATE_DECAPSULATE: 'ML-KEM-768 (耐量子) キー',
};

const ja = {
  // The document
  title: 'kms-offline: AWS KMS のパブリックキーをオフラインで使う',
  skip: '本文へ移動',
  languageSwitch: '言語',
  lede:
    'AWS KMS のパブリックキーをオフラインで使います。KMS の署名の検証、KMS Decrypt 用の暗号化、ECDH の共有シークレットの導出、' +
    'ML-KEM によるカプセル化ができます。KMS と同じルールを適用し、KMS と同じ例外名を返します。' +
    'このページから外には何も送りません (ネットワーク通信も AWS の呼び出しもありません)。',
  loading: 'WebAssembly モジュールを読み込んでいます…',
  loadFailed: (detail) =>
    'kms-offline パッケージ (../pkg/dist/web.js) を読み込めませんでした。パッケージをビルドし、bash scripts/serve.sh でページを配信してください。' +
    ` (${detail})`,
  ready: '準備ができました。処理はすべてこのページの中で行われ、どこにも送信されません。',

  // 1. Load a key
  loadHeading: 'キーを読み込む',
  samplesHeading: 'サンプルキーで試す',
  samplesBadge: 'サンプル: テスト用キーであり、実際の KMS キーではありません',
  samplesHint: 'このデモ用にプロジェクトのテストフィクスチャから作成しました。プライベートキーは公開されています。これらのキーによる署名は決して信頼しないでください。',
  sampleTag: 'サンプル',
  sampleTitle: (sample) => JA_SAMPLE_TITLES[sample.name] ?? sample.title,
  samplesUnavailable: (detail) => `サンプルを読み込めません: ${detail}`,
  // The key's own Sample note is English (www/samples); its Japanese rendering is this fixed sentence.
  sampleBanner: (_note) => '⚠ サンプルのテスト用キーです。実際の KMS キーではありません。kms-offline のデモ用に作成したもので、プライベートキーは公開されています (tests/fixtures)。このキーによる署名は決して信頼しないでください。',
  keyTextLabel: 'GetPublicKey の出力、またはパブリックキー',
  keyTextHintHtml:
    '<code>aws kms get-public-key --key-id … --output json</code> の出力、SDK の GetPublicKeyCommand の出力 (JSON)、' +
    'PEM 形式のパブリックキー (コンソールの [ダウンロード])、またはパブリック JWK を貼り付けてください。ここにファイルをドロップすることもできます。',
  keyFileLabel: 'またはファイルを選択 (.json、.pem、.der、.jwk)',
  derPlaceholder: (name, size) => `バイナリ DER ファイル ${name} (${size} バイト): 下でメタデータを指定してから [キーを読み込む] を押してください。`,
  metaLegend: 'キーのメタデータ: PEM、DER、JWK のパブリックキーには含まれていません',
  metaHintHtml:
    'KMS コンソールでキーの<em>暗号化設定</em>タブから写してください。メニューには、選んだキー仕様に KMS が許可するものだけが表示されます。' +
    'ライブラリは KMS と同じように、これらをパブリックキーと照合します。',
  keySpecLabel: 'キー仕様 (KeySpec)',
  keyUsageLabel: 'キーの用途 (KeyUsage)',
  algorithmsLabel: 'アルゴリズム',
  keyIdLabel: 'キー ID またはキー ARN (省略可)',
  loadButton: 'キーを読み込む',
  clearButton: 'クリア',
  chooseKeySpec: 'キー仕様を選択…',
  chooseKeySpecFirst: '先にキー仕様を選択してください',
  chooseKeyUsage: 'キーの用途を選択…',
  algorithmsChooseUsageFirst: 'アルゴリズム (先にキー仕様とキーの用途を選択してください)',
  algorithmsLegend: (member) => `${member}: キーに登録されているアルゴリズム`,
  detected: (spec, uses) => `ライブラリはこのパブリックキーをキー仕様 ${spec} と判定しました。KMS では ${uses} で使用できます。`,
  detectedUse: (usage, algorithms) => `キーの用途 ${usage} (${algorithms.join(', ')})`,
  or: ' または ',
  useDetected: (spec) => `キー仕様 ${spec} を使う`,
  detectedNone: (reason) => `このパブリックキーからは KMS のキー仕様を判定できません: ${reason}`,
  detectedNoneOf: (specs) => `このパブリックキーは KMS のどのキー仕様 (${specs.join(', ')}) にも当てはまりません。`,
  notAPublicKey:
    'この入力はパブリックキーではありません。GetPublicKey の JSON、PEM 形式のパブリックキー (-----BEGIN PUBLIC KEY-----)、' +
    'base64 の DER パブリックキー、またはパブリック JWK を貼り付けるか、キーファイルを選択してください。',
  pasteAKey: 'GetPublicKey の出力かパブリックキーを貼り付けるか、ファイルを選択するか、サンプルを選んでください',
  keyFileTooBig: (name, size) => `${name} は ${size} あります。パブリックキーのファイルは大きくても数 KiB です`,
  loadedFromJson: 'GetPublicKey の JSON',
  loadedFromJwk: 'JWK + メタデータのフォーム',
  loadedFromDer: (name) => `DER ファイル ${name} + メタデータのフォーム`,
  loadedFromPem: (pem) => `${pem ? 'PEM' : 'base64 の DER'} + メタデータのフォーム`,

  // The key card
  cardHeading: 'キーカード',
  cardPem: 'パブリックキー (PEM)',
  cardField: {
    KeySpec: 'キー仕様', KeyUsage: 'キーの用途', SigningAlgorithms: '署名アルゴリズム', EncryptionAlgorithms: '暗号化アルゴリズム',
    KeyAgreementAlgorithms: 'キー共有アルゴリズム', EncapsulationAlgorithms: 'カプセル化アルゴリズム', KeyId: 'キー ID',
    Partition: 'パーティション', Region: 'リージョン', Account: 'アカウント', Alias: 'エイリアス', ResourceId: 'キー ID',
    Fingerprint: 'SPKI フィンガープリント', LoadedFrom: '読み込み元',
  },
  fingerprintNote: 'DER 形式の SubjectPublicKeyInfo の SHA-256',
  caveatsHeading: 'KMS の外で失われるもの',
  caveatsHint: 'AWS「パブリックキーのダウンロードに関する特別な考慮事項」: 以下の保護は KMS の中でしか働きません。',
  caveatPolicy: ['キーポリシーも IAM も効かない', 'キーポリシーと IAM は KMS の外では効果がありません。このパブリックキーを持つ人は誰でも使えます。'],
  caveatUsage: (usage, encrypting) => [
    'このツール以外では用途とアルゴリズムが強制されない',
    `KMS の外では、KMS はキーの用途 ${usage} やアルゴリズムの一覧を強制できません。強制するのはこのツールだけです。` +
      (encrypting ? 'ほかの方法で暗号化したデータは KMS で復号できません。' : 'このキーで暗号化したデータは決して復号できません。暗号化用のキーではないからです。'),
  ],
  caveatDisable: (encrypting) => [
    '無効化も削除も届かない',
    'KMS キーを無効化または削除しても、このパブリックキーには及びません。キーの状態もここからは見えません。' +
      (encrypting ? '削除されたキー向けに暗号化したデータは復元できません。' : ''),
  ],
  caveatCloudTrail: ['CloudTrail に記録されない', 'KMS の外でパブリックキーを使った操作は、何も記録されません。'],
  caveatSm2: [
    'SM2 の識別 ID',
    'SM2 署名をオフラインで検証するには識別 ID が必要です。KMS は 1234567812345678 を使用します (このツールも RAW メッセージには同じ値を使います)。SM2 キーは中国リージョンにのみあります。',
  ],
  caveatRawSecret: ['生の共有シークレット', 'ECDH の共有シークレットはそのままではキーではありません。HKDF またはワンステップ KDF でキーを導出してください。'],
  caveatImplicitRejection: [
    '暗黙的拒否',
    'KMS Decapsulate は誤った暗号文に対して疑似ランダムなシークレットを返します。両者が同じシークレットを持っていることを確認してください。',
  ],

  // 2. Use it
  actionsHeading: '使う',
  showAll: 'このキーが許可しない操作とアルゴリズムもすべて表示する (KMS がどう拒否するかを見るため)',
  notAllowedGroup: 'このキーでは使用不可 (KMS が拒否します)',
  listsNone: '(このキーには登録されていません)',
  sourceText: 'テキスト',
  sourceHex: '16 進数',
  sourceBase64: 'Base64',
  sourceFile: 'ファイル',
  sourceLabel: (what, source) => `${what} (${source})`,
  sourceNames: { hex: '16 進数', base64: 'base64' },

  // Verify
  verifyHeading: '署名を検証する',
  signingAlgorithmLabel: '署名アルゴリズム',
  messageTypeLegend: 'メッセージタイプ',
  messageAsLegend: 'メッセージの形式',
  messageLabel: 'メッセージ',
  messageFileLabel: 'メッセージファイル (サイズ無制限: DIGEST または EXTERNAL_MU ではストリームでハッシュします)',
  prehashedLabel: 'メッセージはすでにダイジェスト (または 64 バイトの μ) なので、そのまま渡す',
  prehashedHint:
    'DIGEST または EXTERNAL_MU でこのボックスがオフのときは、ページがメッセージをストリームでハッシュします ' +
    '(アルゴリズムのハッシュ、KMS の識別 ID を使った SM2 の e、または ML-DSA の μ)。',
  signatureLabelHtml: '署名 (base64。<code>aws kms sign --query Signature --output text</code> の出力のとおり)',
  signatureFileLabel: 'または署名ファイル (生のバイト列または base64)',
  fillValid: 'サンプルの有効な署名を使う',
  fillTampered: 'サンプルの改ざんされた署名を使う',
  verifyButton: '検証',
  giveSignature: '署名 (base64) を入力するか、署名ファイルを選択してください',
  algorithmRow: 'アルゴリズム',
  messageTypeRow: 'メッセージタイプ',
  messageRow: 'メッセージ',
  hashedHere: (size) => `${size}、このページでハッシュ`,
  digestRow: 'ダイジェスト',
  sm2DigestRow: 'e = SM3(Z_A ‖ M)、ID 1234567812345678',
  valid: '✔ 有効な署名です',
  validNote: 'KMS Verify は SignatureValid: true を返します。',
  invalid: '✘ 無効な署名です',
  invalidAnswer: 'KMS Verify の応答: ',

  // 署名されたファイル（DSSE エンベロープ）。ページにドロップするか選ぶ
  signedHeading: '署名されたファイルを検証する（DSSE エンベロープ、X.509 証明書、CSR、CRL）',
  signedHintHtml:
    'DSSE エンベロープ（<code>in-toto</code> や <code>cosign</code> のアテステーション: <code>payloadType</code> と <code>signatures</code> を持つ JSON）をページにドロップするか、ここで選んでください。' +
    '各署名を、KMS で署名する側が送った形の PAE に対して、このキーで KMS の規則どおりに検証します。' +
    'X.509 証明書、PKCS#10 CSR、CRL（PEM または DER）も同じように検証し、このキーそのものを証明しているかを示します。',
  signedFileLabel: 'エンベロープ、証明書、CSR、CRL のファイル',
  signedKinds: { dsse: 'DSSE エンベロープ', certificate: 'X.509 証明書', certificateRequest: '証明書署名要求（CSR）', crl: '証明書失効リスト（CRL）' },
  loadKeyFirst: (kind, name) => `${name} は${kind}です。先に署名したキーを読み込んでから、もう一度ドロップしてください`,
  signedFileTooBig: (name, size, limit) => `${name} は ${size} あります。このページが読む署名済みファイルは ${limit} までです`,
  dsseValid: '✔ 有効なエンベロープ: このキーの署名が検証できました',
  dsseInvalid: '✘ 無効なエンベロープ: この payloadType とペイロードに対して検証できる、このキーの署名はありません',
  dsseNote: (name) => `${name}。各署名を KMS Verify と同じように検証しました。`,
  paeAs: (type, size) => `${type}（${size} の PAE）`,
  payloadTypeRow: 'payloadType（ペイロードの種類）',
  payloadRow: 'ペイロード',
  signatureRow: (i) => `署名 ${i + 1}`,
  signatureStatus: (status, keyid, match) => `${status}` + (keyid === undefined ? '（keyid なし）' : `（keyid ${keyid}、照合: ${match}）`),
  payloadHeading: 'ペイロード:',
  x509Valid: {
    certificate: '✔ 有効な証明書: このキーによる署名が検証できました',
    certificateRequest: '✔ 有効な CSR: このキーによる署名が検証できました',
    crl: '✔ 有効な CRL: このキーによる署名が検証できました',
  },
  x509Invalid: {
    certificate: '✘ 無効な証明書: 署名がこのキーで検証できません（署名後に変更されたか、別のキーで署名されています）',
    certificateRequest: '✘ 無効な CSR: 署名がこのキーで検証できません（署名後に変更されたか、別のキーで署名されています）',
    crl: '✘ 無効な CRL: 署名がこのキーで検証できません（署名後に変更されたか、別のキーで署名されています）',
  },
  x509Note: (name) => `${name}。署名を KMS Verify と同じように検証しました。`,
  x509SubjectRow: 'サブジェクト（Subject）',
  x509IssuerRow: '発行者（Issuer）',
  x509SerialRow: 'シリアル番号',
  x509ValidityRow: '有効期間',
  x509UpdateRow: '今回の更新 / 次回の更新',
  x509Period: (from, to) => `${from} から ${to} まで`,
  x509RevokedRow: '失効したシリアル番号',
  x509Revoked: (serials) => (serials.length === 0 ? 'なし' : `${serials.length} 件: ${serials.join('、')}`),
  x509ThisKeyRow: 'このキー',
  x509ThisKey: { certificate: '証明済み: この証明書はこのキーそのもののものです', certificateRequest: '要求: この CSR はこのキーそのものの証明書を求めています' },
  x509OtherKey: { certificate: 'このキーではありません: この証明書は別のキーのものです（このキーは発行者として署名しました）', certificateRequest: 'このキーではありません: この CSR は別のキーのものです' },

  // Encrypt
  encryptHeading: 'KMS Decrypt 用に暗号化する',
  encryptionAlgorithmLabel: '暗号化アルゴリズム',
  plaintextAsLegend: 'プレーンテキストの形式',
  plaintextLabel: 'プレーンテキスト',
  plaintextFileLabel: 'プレーンテキストのファイル',
  encryptButton: '暗号化',
  encrypted: (bytes) => `✔ 暗号化しました: ${bytes} バイトの CiphertextBlob`,
  encryptedDetail: (algorithm, size) => `${algorithm}、プレーンテキスト ${size} から。`,
  ciphertextField: (bytes) => `CiphertextBlob (base64、${bytes} バイト)`,
  decryptIntro: '復号できるのは KMS だけです。AWS CLI (v1 または v2) では次のとおりです:',

  // Encrypt a file: an AWS Encryption SDK message (encrypt-worker.js)
  efHeading: '任意のサイズのファイルを暗号化する (AWS Encryption SDK のメッセージ)',
  efHint:
    'Encrypt で暗号化できるのは数百バイトまでですが、こちらは任意のサイズのファイルやデータに使えます。このページは AWS Encryption SDK の' +
    'メッセージ (形式 2、キーコミットメント付きのアルゴリズムスイート、ESDK の既定のフレーム長) を書きます。そのデータキーは ESDK 自身の ' +
    'AWS KMS RSA キーリング (キーの用途 ENCRYPT_DECRYPT の RSA キー、KMS Decrypt) または AWS KMS ECDH キーリング (キーの用途 ' +
    'KEY_AGREEMENT の ECC_NIST_P256/384/521 キー、KMS DeriveSharedSecret) と同じ方法でラップされ、取り出せるのは KMS だけです。' +
    'ファイルはワーカー内でストリームとして読み込まれ、このページの外には何も送られません。',
  efFileLabel: '暗号化するファイル (このパネルにドロップするか、選択してください)',
  efAlgHint: '復号する AWS KMS RSA キーリングにも同じ EncryptionAlgorithm を設定する必要があります。',
  efContextLabel: '暗号化コンテキスト (省略可): 1 行に 1 つの キー=値',
  efContextHintHtml:
    'メッセージのヘッダーに保存されて認証されますが、秘密ではありません。復号する側はこれらのペアを要求できます。各行は空白も含めて' +
    'そのまま使われます。<code>aws-crypto-</code> で始まるキーは ESDK 自身が予約しています。',
  efButton: 'ファイルを暗号化',
  efChooseFile: '暗号化するファイルを選択するか、ドロップしてください',
  efContextLine: (line) => `暗号化コンテキストの ${line} 行目が キー=値 の形 (空でないキー、「=」、値の順) ではありません`,
  efContextKeyTwice: (name) => `暗号化コンテキストでキー「${name}」が 2 回指定されています`,
  efStart: (name, total) => `${name} (${total}) を暗号化しています…`,
  efProgress: (name, done, total, percent) => `${name} を暗号化しています: ${total} 中 ${done} (${percent} %)`,
  efProgressLabel: '暗号化の進捗',
  efCancelled: 'ファイルは最後まで暗号化されず、ダウンロードできるメッセージはありません。',
  efWorkerFailed: (detail) => `暗号化用のワーカー (encrypt-worker.js) が停止しました: ${detail}`,
  efDone: (size) => `✔ 暗号化しました: ${size} の AWS Encryption SDK メッセージ`,
  efDoneDetail: (name, size) => `${name} (${size}) をワーカー内でストリームとして読み込みました。データキーを取り出せるのは KMS だけです。`,
  efKeyringRow: '復号に使うキーリング',
  efRsaKeyring: 'AWS KMS RSA キーリング',
  efEcdhKeyring: 'AWS KMS ECDH キーリング (KmsPublicKeyDiscovery)',
  efSuiteRow: 'アルゴリズムスイート',
  efContextRow: '暗号化コンテキスト',
  efNoContext: '(なし)',
  efLimit:
    'メッセージは 8 MiB ずつ `Blob` にまとめられるため、このページ自体が保持するのはわずかです。`Blob` はブラウザーが保存します ' +
    '(Chromium は大きなものをディスクに置き、他のブラウザーはメモリに置く場合があります)。数 GiB を超えるファイルには、読みながら' +
    'ディスクに書き込む `kms-offline encrypt-file` を使ってください。',
  efDecryptRsa: (keyId, algorithm) =>
    `復号には AWS Encryption SDK (Java、Python、.NET、Rust、Go) の AWS KMS RSA キーリングを使います: キー \`${keyId}\`、` +
    `EncryptionAlgorithm ${algorithm}、そのキーに \`kms:Decrypt\` を許された KMS クライアント。\`aws-encryption-cli\` は対称 KMS ` +
    'キーにしか対応していないため使えません。Python の場合:',
  efDecryptEcdh: (keyId, curve) =>
    '復号には AWS Encryption SDK (Java、Python、.NET、Rust、Go) の AWS KMS ECDH キーリングを使います: KeyAgreementScheme ' +
    `KmsPublicKeyDiscovery、RecipientKmsIdentifier \`${keyId}\`、曲線 ${curve}、そのキーに \`kms:GetPublicKey\` と ` +
    '`kms:DeriveSharedSecret` を許された KMS クライアント。`aws-encryption-cli` は対称 KMS キーにしか対応していないため使えません。Python の場合:',
  efDecryptCodeLabel: 'メッセージを復号する Python コード',
  copyCode: 'コードをコピー',

  // Derive
  deriveHeading: '共有シークレットを導出する (ECDH、DeriveSharedSecret の相手側)',
  keyAgreementAlgorithmLabel: 'キー共有アルゴリズム',
  deriveHint:
    'ページが一時的なキーペアを作成し、この KMS キーとの共有シークレットを計算して、KMS DeriveSharedSecret に渡すパブリックキーを表示します。',
  deriveButton: '新しい一時キーで導出',
  derived: '✔ 新しい一時キーで共有シークレットを計算しました',
  derivedNote: '下で KDF を選ぶと、そこから導出したキーが表示されます。',
  ourPublicKeyField: (bytes) => `こちらのパブリックキー (DER SPKI、base64、${bytes} バイト): DeriveSharedSecret に渡すもの`,
  deriveIntro: 'KMS は次のコマンドで同じ共有シークレット (Z) を計算します:',
  kdfLegend: '共有シークレットからキーを作る',
  kdfHint:
    'AWS:「生の共有シークレットを暗号化キーとして使用しないでください」。シークレットは選んだ KDF を通してのみ表示します。両者が同じ入力を使う必要があります。',
  kdfLabel: 'KDF',
  chooseKdfOption: 'KDF を選択…',
  hkdfOption: 'HKDF (RFC 5869)',
  oneStepOption: 'ワンステップ KDF (NIST SP 800-56C)',
  noKdfOption: 'なし: 生の Z (KMS との比較専用)',
  hashLabel: 'ハッシュ',
  lengthLabel: '長さ (バイト)',
  saltLabel: 'HKDF のソルト (テキスト)',
  infoLabel: 'HKDF の info (テキスト): 両方のパブリックキーとプロトコル名を結び付ける',
  fixedInfoLabel: 'FixedInfo (テキスト): 両方のパブリックキーとプロトコル名を結び付ける',
  kdfButton: '導出したキーを表示',
  deriveFirst: '先に共有シークレットを導出してください',
  chooseKdf: 'KDF を選択してください。KDF なしでは生の共有シークレットは表示しません',
  lengthWhole: '長さはバイト数 (整数) で指定してください',
  rawSecret: (bytes) => `生の共有シークレット Z (${bytes} バイト)`,
  rawSecretNote: 'KMS が返す SharedSecret との比較専用です。決してキーとして使わないでください。',
  oneStepName: (hash) => `ワンステップ KDF (SP 800-56C)、${hash}`,
  derivedKey: (label, bytes) => `✔ 導出したキー: ${label}、${bytes} バイト`,
  derivedKeyNote: 'KMS キーの所有者は、KMS が返す SharedSecret に同じ入力で同じ KDF を適用すると、同じキーを得られます。',

  // Encapsulate
  encapsulateHeading: 'カプセル化する (ML-KEM、KMS Decapsulate 用)',
  encapsulationAlgorithmLabel: 'カプセル化アルゴリズム',
  encapsulateButton: 'カプセル化',
  encapsulated: (ciphertext, secret) => `✔ カプセル化しました: 暗号文 ${ciphertext} バイト、共有シークレット ${secret} バイト`,
  encapsulatedNote:
    'KMS は誤った暗号文に疑似ランダムなシークレットを返します (暗黙的拒否)。使う前に、両者が同じシークレットを持っていることを確認してください。',
  encapsulatedCiphertextField: (bytes) => `SharedSecretCiphertextBlob (base64、${bytes} バイト)`,
  sharedSecretHex: '共有シークレット (16 進数):',
  decapsulateIntro: 'KMS Decapsulate は次のコマンドで同じシークレットを返します:',

  // Buttons and links in results
  copyCommand: 'コマンドをコピー',
  copyBase64: 'base64 をコピー',
  copied: 'コピーしました',
  copyFailed: 'コピーできませんでした。テキストを選択してください',
  download: (file) => `${file} をダウンロード`,

  // Input that the page reads itself
  what: { key: 'キー', message: 'メッセージ', plaintext: 'プレーンテキスト', messageFile: 'メッセージファイル', plaintextFile: 'プレーンテキストのファイル' },
  notBase64: (what) => `${what}が有効な base64 ではありません`,
  notHex: (what) => `${what}が有効な 16 進数ではありません (0-9、a-f の数字が偶数個必要です)`,
  chooseA: (what) => `${what}を選択してください`,
  tooBigWhole: (name, size, what, limit) =>
    `${name} は ${size} あります。このページは${what}を一度に渡すため、読み込めるのは ${limit} までです。` +
    '大きなファイルを検証するには、MessageType に DIGEST (ML-DSA では EXTERNAL_MU) を選んでください。ファイルをストリームでハッシュします。',
  bytes: (n) => `${n} バイト`,

  // Errors
  kmsWouldRefuse: 'KMS もこのリクエストを同じ例外で拒否します。',
  refused: '拒否: ',
  checkInput: '入力を確認してください',
  inputErrorNote: 'これは KMS による拒否ではなく、入力の問題です。入力を修正してもう一度お試しください。',
  unexpected: (name) => `予期しないエラー: ${name}`,
  original: '原文',

  // Results
  keyIdRow: 'キー ID',
  fingerprintRow: 'キーのフィンガープリント',
  noKeyId: '(指定なし)',

  // Hashing a message file in a Web Worker
  hashingStart: (name, total) => `${name} (${total}) をハッシュしています…`,
  hashingProgress: (name, done, total, percent) => `${name} をハッシュしています: ${total} 中 ${done} (${percent} %)`,
  hashingProgressLabel: 'ハッシュの進捗',
  cancel: 'キャンセル',
  cancelled: 'ファイルは最後までハッシュされず、何も検証されていません。',
  cancelledTitle: 'キャンセルしました',
  workerFailed: (detail) => `ハッシュ用のワーカー (hash-worker.js) が停止しました: ${detail}`,
  workerNotLoaded: '読み込めませんでした',

  // Footer
  footer:
    'kms-offline はこのページの中で WebAssembly として動作し、このマシンから配信されています。キーとリクエストには KMS のルールを適用しますが、' +
    'KMS キーがまだ有効かどうかや、そのポリシーを知ることはできません。',
  documentation: 'ドキュメント',
  linkReadme: 'プロジェクトの README',
  linkPkgReadme: 'npm パッケージの README',
  linkPageReadme: 'このページについて (www/README.md)',
  linkDownload: 'AWS: パブリックキーのダウンロード',
  linkConsiderations: 'AWS: パブリックキーのダウンロードに関する特別な考慮事項',
  linkKeySpecs: 'AWS: キー仕様のリファレンス',
  linkOfflineOperations: 'AWS: オフライン操作の例',
  version: (v) => `kms-offline ${v}`,
  versionUnknown: 'kms-offline (バージョン不明: ../pkg/package.json が見つかりません)',
};

/** The sentence tables, by language. */
export const tables = { en, ja };

/** The chosen language and its table (live bindings: setLanguage changes what every importer reads). */
export let lang = 'en';
export let messages = en;

/** Chooses the language every later sentence is read in. */
export function setLanguage(language) {
  lang = language === 'ja' ? 'ja' : 'en';
  messages = tables[lang];
}
