// Sentences a person reads, in English and Japanese: the language choice, and the explanation of a
// kms-offline error in either language. Used by the CLI (bin/kms-offline.mjs) and the page (www/), and by
// anyone who shows kms-offline's errors to people. Plain JS, no wasm: sentences are assembled here, not in
// the core, which gives each error a stable `rule` code and its `params` beside the English `message`.
//
// Japanese follows the Japanese AWS documentation's terms (キー仕様, キーの用途, 署名アルゴリズム, パブリックキー...)
// and keeps KMS's own names (KeySpec values, algorithms, members, exception names) as KMS spells them.

/** The languages every sentence exists in. */
export const LANGUAGES = ['en', 'ja'];

/**
 * The first supported language among preferences such as `navigator.languages` (`['ja-JP', 'en']`) or the
 * POSIX locale variables (`ja_JP.UTF-8`, `C`, `en_US.UTF-8`); `fallback` (default 'en') when none matches.
 * @param {Iterable<string | undefined | null>} preferences
 * @param {'en' | 'ja'} [fallback]
 * @returns {'en' | 'ja'}
 */
export function pickLanguage(preferences, fallback = 'en') {
  for (const preference of preferences ?? []) {
    if (typeof preference !== 'string' || !preference) continue;
    const primary = preference.toLowerCase().split(/[-_.@]/)[0];
    if (primary === 'c' || primary === 'posix') continue;
    if (LANGUAGES.includes(primary)) return primary;
  }
  return fallback;
}

/**
 * Japanese renderings of the core's rule codes: `rule` → (params) → sentence. KMS's own names (key specs,
 * algorithms, exception names, member names) stay as KMS spells them.
 * @type {Record<string, (params: Record<string, unknown>) => string>}
 */
export const JA_RULES = {
  'not-a-public-key': (p) => `PublicKey がパブリックキーではありません（${JA_FOUND[p.found] ?? JA_FOUND.der}）。KMS の GetPublicKey が返す DER 形式の SubjectPublicKeyInfo、PEM の「PUBLIC KEY」、またはその base64 を指定してください。`,
  'public-key-too-large': (p) => `PublicKey が ${p.size} バイトあります。KMS のパブリックキーは最大 ${p.max} バイトです。`,
  'public-key-mismatch': (p) => `PublicKey がキー仕様 ${p.keySpec} のキーと一致しません（${mismatchDetail(p)}）。` + (p.detected ? `このパブリックキーはキー仕様 ${p.detected} のものです。` : ''),
  'key-spec-required': (p) => p.detected
    ? `KeySpec（キー仕様）が必要です。パブリックキーだけでは KMS が何を許可するかわかりません。このパブリックキーはキー仕様 ${p.detected} で、キーの用途は ${list(p.keyUsages)} のいずれかです。`
    : `KeySpec（キー仕様）が必要です。パブリックキーだけでは KMS が何を許可するかわかりません。次のいずれかを指定してください: ${list(p.keySpecs)}。`,
  'key-spec-conflict': (p) => `KeySpec ${p.keySpec} と CustomerMasterKeySpec ${p.customerMasterKeySpec} が一致しません。KMS は常に両方に同じ値を返します。`,
  'key-usage-required': (p) => `KeyUsage（キーの用途）が必要です。キー仕様 ${p.keySpec} で使えるキーの用途: ${list(p.keyUsages)}。`,
  'algorithms-required': (p) => `キーの用途が ${p.keyUsage} のキーには ${p.field} が必要です。KMS が受け付けるアルゴリズムを示します（キー仕様 ${p.keySpec} では ${list(p.allowed)}）。`,
  'algorithms-of-other-usage': (p) => `${p.field} が指定されていますが、キーの用途は ${p.keyUsage} です。KMS がこのキーに返すのは ${p.expected} だけです。`,
  'algorithm-in-wrong-list': (p) => `${p.value} は ${p.list} の値で、${p.field} の値ではありません。`,
  'enum-value': (p) => `${p.field} の値 '${p.value}' は KMS の値ではありません。指定できる値: ${list(p.allowed)}。`,
  'unknown-key-spec': (p) => `${p.field} ${p.value} は、このバージョンの kms-offline が知らないキー仕様です。KMS が追加した可能性があり、新しい kms-offline なら読み込める可能性があります。読み込めるキー仕様: ${list(p.keySpecs)}。`,
  'unknown-key-usage': (p) => `KeyUsage ${p.value} は、このバージョンの kms-offline が知らないキーの用途です（キー仕様 ${p.keySpec}）。KMS が追加した可能性があり、新しい kms-offline なら使える可能性があります。`,
  'unknown-algorithm': (p) => `このキーの ${p.field} にある ${p.value} を、このバージョンの kms-offline は実行できません（KMS 自体は実行できる可能性があり、新しい kms-offline も実行できる可能性があります）。実行できるアルゴリズム: ${list(p.allowed)}。`,
  'no-public-key': (p) => `キー仕様 ${p.keySpec} にはパブリックキーがありません。対称暗号化キーと HMAC キーは KMS の外に出ないため、オフラインで使えるものはありません。`,
  'not-in-build': (p) => `キー仕様 ${p.keySpec} は、このビルドの kms-offline には含まれていません（読み込めるキー仕様: ${list(p.keySpecs)}）。完全なビルド（パッケージのメインエントリ kms-offline）を使ってください。`,
  'key-usage-not-for-spec': (p) => `キーの用途 ${p.keyUsage} はキー仕様 ${p.keySpec} では使えません。使えるキーの用途: ${list(p.allowed)}。`,
  'algorithm-not-for-spec': (p) => `アルゴリズム ${p.algorithm} はキー仕様 ${p.keySpec} と互換性がありません。使えるアルゴリズム: ${list(p.allowed)}。`,
  'algorithm-not-listed': (p) => `アルゴリズム ${p.algorithm} はこのキーの ${p.field} にありません。使えるアルゴリズム: ${list(p.allowed)}。`,
  'invalid-arn': (p) => `'${p.value}' は有効な KMS ARN ではありません（${JA_ARN_PART[p.part] ?? JA_ARN_PART.fields}）。arn:<パーティション>:kms:<リージョン>:<12 桁のアカウント ID>:key/<キー ID> または …:alias/<エイリアス名> の形式で指定してください。`,
  'invalid-key-id': (p) => p.value === undefined
    ? `KeyId は 1～${p.max} 文字で指定してください。`
    : `KeyId '${p.value}' は、キー ARN、エイリアス ARN、キー ID（UUID または mrk-…）、エイリアス名（alias/…）のいずれでもありません。`,
  'wrong-key-usage': (p) => `このキーのキーの用途は ${p.keyUsage} で、${p.operation} には使えません。${p.operation} にはキーの用途が ${Array.isArray(p.required) ? p.required.join(' または ') : p.required} のキーが必要です。`,
  'blob-length': (p) => `${p.field} が ${p.size} バイトです。KMS が受け付けるのは 1～${p.max} バイトです。`,
  'digest-length': (p) => `署名アルゴリズム ${p.algorithm} で MessageType が ${p.messageType} のとき、Message は ${p.expected} バイトでなければなりません（${p.size} バイトでした）。`,
  'message-type-not-for-algorithm': (p) => `MessageType ${p.messageType} は署名アルゴリズム ${p.algorithm} では使えません。使える値: ${list(p.allowed)}。`,
  'plaintext-too-long': (p) => `Plaintext が ${p.size} バイトです。キー仕様 ${p.keySpec} の ${p.algorithm} で暗号化できるのは最大 ${p.max} バイトです。代わりにデータキーを暗号化してください（エンベロープ暗号化）。`,
  'encryption-context': () => '非対称 KMS キーでは EncryptionContext（暗号化コンテキスト）を使えません。KMS の Decrypt がこの暗号文を拒否します。EncryptionContext を省いてください。',
  'ecdh-private-key': (p) => `PrivateKey が、KMS キーの曲線 ${p.curve} 上の暗号化されていない PKCS#8 プライベートキーではありません（別の曲線、範囲外のスカラー、一致しないパブリックキー、または別の形式）。`,
  'no-randomness': () => '安全な乱数源がありません。暗号化、ECDH、ML-KEM には crypto.getRandomValues または OS の CSPRNG が必要で、弱い乱数で代用することはありません。',
  'missing-member': (p) => `${p.member} が必要です。`,
  empty: (p) => `${p.field} が空です。1 バイト以上必要です。`,
  'not-base64': (p) => `${p.field} が正規の base64 ではありません${JA_LOOKS[p.looks] ?? ''}。KMS のバイナリ値は、標準の base64（RFC 4648 §4、「=」でパディング）かバイト列で渡してください。`,
  'wrong-size': (p) => `${p.field} は base64 で ${p.size} バイトですが、${p.min === p.max ? p.min : `${p.min}～${p.max}`} バイトでなければなりません。`,
  'text-encoding': (p) => `${p.field} が '${p.value}' です。'utf8'（文字列がテキスト）か 'base64' を指定してください。`,
  'not-der-or-pem': (p) => `${p.field} が DER でも、PEM や base64 のテキストでもありません。`,
  'string-needs-encoding': (p) => `${p.field} が文字列で、長さに制限がないため、テキストか base64 か判断できません。バイト列（Uint8Array）で渡すか${p.encodingMember ? `、${p.encodingMember} に 'utf8'（テキスト）か 'base64' を指定してください` : 'してください'}。`,
  'json-shape': () => 'GetPublicKey の出力として読めない JSON です。`aws kms get-public-key` が出力するオブジェクトを指定してください。',
  'raw-message-too-long': (p) => `${p.part === 'dsse-pae' ? 'DSSE の PAE' : `X.509 の署名対象部分（TBS）`}が ${p.size} バイトです。${p.algorithm} が署名できるのは最大 ${p.max} バイトの RAW メッセージだけでダイジェスト形式がないため、KMS はこれに ${p.algorithm} で署名できません（署名したこともありません）。`,
  'pss-parameters': (p) => `RSASSA-PSS のパラメータが KMS の作るものではありません（${JA_PSS_DETAIL[p.detail] ?? JA_PSS_DETAIL.malformed}）。KMS の PSS 署名は、メッセージと同じハッシュの MGF1、ハッシュ長のソルト、トレーラーフィールド 1 だけを使います（RFC 4055 §3.1）。`,
  'no-x509-algorithm': (p) => `署名アルゴリズム ${p.algorithm} には X.509 の AlgorithmIdentifier がありません。X.509 で使えるアルゴリズム: ${list(p.allowed)}。このキーの別の署名アルゴリズムを使ってください。`,
  'x509-algorithm-not-kms': (p) => `署名アルゴリズム ${p.oid} は KMS が X.509 の署名に使うものではありません。KMS が使うアルゴリズム: ${list(p.allowed)}。`,
  'x509-algorithm-parameters': (p) => `${p.algorithm} のパラメータは${p.expected === 'absent' ? '省略しなければなりません' : ' NULL にするか省略しなければなりません（RFC 4055 §5）'}。`,
  'dsse-algorithm-required': (p) => `このキーは複数の署名アルゴリズムで DSSE エンベロープに署名でき、エンベロープにはどれを使うか書かれていません。次のいずれかを指定してください: ${list(p.allowed)}。`,
  'dsse-keyid-not-this-key': (p) => `keyid '${p.value}' はこのキー（KeyId ${p.keyId}）を指していません。検証する側はこのキーで署名を確認しません。`,
  'malformed-x509': (p) => `${JA_X509_KIND[p.kind] ?? 'X.509 の構造'}が正しくありません: ${malformedX509Part(p)}。`,
  'malformed-dsse-envelope': (p) => `DSSE エンベロープが正しくありません: ${malformedDssePart(p)}。`,
  'invalid-distinguished-name': (p) => `${p.field} の '${p.value}' は RFC 4514 の識別名（例: CN=example,O=Example）ではありません。`,
  'esdk-no-keyring': (p) => `キー仕様 ${p.keySpec}、キーの用途 ${p.keyUsage} のキーに使える AWS Encryption SDK のキーリングはありません。ESDK のメッセージを書けるのは、キーの用途が ENCRYPT_DECRYPT の RSA キー（AWS KMS RSA キーリング）と、キーの用途が KEY_AGREEMENT の ECC_NIST_P256/P384/P521 キー（AWS KMS ECDH キーリング）です。`,
  'esdk-signing-suite': (p) => `AlgorithmSuite ${p.value} はメッセージに署名します。AWS KMS RSA キーリングは、暗号化でも復号でも署名付きのアルゴリズムスイートを拒否します。${list(p.allowed)} を使ってください。`,
  'esdk-algorithm-suite': (p) => `AlgorithmSuite '${p.value}' はこのライターが書くものではありません。使える値: ${list(p.allowed)}（メッセージ形式 2、キーコミットメントあり）。`,
  'esdk-encryption-algorithm-for-ecdh': () => 'EncryptionAlgorithm は RSA キー用です。キーの用途が KEY_AGREEMENT のキーは、データキーを ECDH（KMS DeriveSharedSecret）でラップします。EncryptionAlgorithm を省いてください。',
  'esdk-reserved-context-key': (p) => `EncryptionContext のキー '${p.value}' は aws-crypto- で始まります。この接頭辞は AWS Encryption SDK が自身のために予約しています。キーの名前を変えてください。`,
  'esdk-context-too-large': (p) => `EncryptionContext がメッセージヘッダーに入りません。シリアル化した暗号化コンテキストは最大 ${p.max} バイトです。`,
  'esdk-frame-length': (p) => `FrameLength が ${p.size} です。AWS Encryption SDK のメッセージ形式で使えるのは 1～${p.max} バイトです。`,
  'esdk-too-many-frames': (p) => `この Plaintext は ${p.size} バイトのフレームに分けると、1 つのメッセージに入るフレーム数（32 ビットのシーケンス番号）を超えます。より大きな FrameLength を使ってください。`,
  'esdk-key-arn-required': (p) => `AWS KMS RSA キーリングはキー ARN をメッセージに書き込み、復号する側はそれと照合します。このキーの KeyId は${p.value ? ` '${p.value}' です` : 'ありません'}。KeyId に arn:aws:kms:<リージョン>:<アカウント>:key/<キー ID>（GetPublicKey が返す KeyId）を指定して読み込んでください。`,
};

/** Which RSASSA-PSS parameter KMS cannot have made (`detail` of pss-parameters). */
const JA_PSS_DETAIL = {
  absent: 'パラメータがありません。署名では RFC 4055 が必須としています',
  malformed: 'パラメータの形式が正しくないか、ソルト長が 255 を超えるか、トレーラーフィールドが 1 ではありません',
  hash: 'ハッシュが SHA-256、SHA-384、SHA-512 のいずれでもありません',
  'hash-parameters': 'ハッシュのパラメータが NULL ではありません',
  mgf: 'マスク生成関数が MGF1 ではありません',
  'mgf-hash-parameters': 'MGF1 のハッシュのパラメータが NULL ではありません',
  'mgf-hash': 'MGF1 のハッシュがメッセージのハッシュと異なります',
  'salt-length': 'ソルト長がハッシュ長と異なります',
};

/** The Japanese name of an X.509 structure (`kind` of malformed-x509). */
const JA_X509_KIND = { certificate: '証明書', certificateRequest: '証明書署名要求（CSR）', crl: 'CRL' };

/** What in a certificate, CSR or CRL is wrong (`part` of malformed-x509). */
function malformedX509Part(p) {
  switch (p.part) {
    case 'pem': return 'PEM をデコードできません';
    case 'pem-label': return `PEM のラベルが「${p.value}」です（${JA_X509_KIND[p.kind] ?? p.kind} のラベルではありません）`;
    case 'algorithm-mismatch': return 'signatureAlgorithm が、署名対象部分の中の signature フィールドと異なります（RFC 5280 §4.1.1.2、§5.1.1.2 では同一でなければなりません）';
    case 'unused-bits': return '署名の BIT STRING に未使用ビットがあります。KMS の署名にはありません';
    default: return 'DER としてデコードできません';
  }
}

/** What in a DSSE envelope is wrong (`part` of malformed-dsse-envelope). */
function malformedDssePart(p) {
  switch (p.part) {
    case 'size': return `${p.size} バイトあり、上限は ${p.max} バイトです`;
    case 'payload-size': return `ペイロードが ${p.size} バイトです。エンベロープが検証側の上限を超えないよう、ペイロードは約 ${p.max} バイトまでです`;
    case 'signatures': return '"signatures" 配列がありません（envelope.md で必須です）';
    case 'signature-count': return `署名が ${p.size} 個あります。受け付けるのは 1～${p.max} 個です`;
    case 'member': return `${p.field} に "${p.member}" メンバーがありません（空でも必須です）`;
    case 'signature-object': return `${p.field} が JSON オブジェクト {"keyid", "sig"} ではありません`;
    case 'base64': return `${p.field} が base64（標準または URL セーフのアルファベット、パディングの有無は問わない）ではありません`;
    default: return '形式が正しくありません';
  }
}

/** KMS names joined as Japanese lists them. */
function list(values) {
  return Array.isArray(values) ? values.join('、') : String(values ?? '');
}

/** What an input that is no public key is (`found` of not-a-public-key). */
const JA_FOUND = {
  binary: 'DER ではないバイナリデータです。DER のパブリックキーは 0x30（SEQUENCE）で始まります',
  json: 'JSON テキストです。GetPublicKey の出力は KmsPublicKey.fromGetPublicKey で読み込みます',
  text: 'PEM でも DER の base64 でもないテキストです',
  pem: '別のラベルの PEM ブロックです',
  certificate: '証明書です。中のパブリックキーを取り出してください（`openssl x509 -pubkey -noout`）',
  pkcs1: 'PKCS#1 の RSAPublicKey で、KMS の SubjectPublicKeyInfo にあるアルゴリズム識別子がありません。`openssl rsa -RSAPublicKey_in -pubout` で変換してください',
  'private-key': 'プライベートキーです。KMS キーのプライベートキーは KMS の外に出ることはなく、ここではパブリックキーだけが必要です',
  'ec-private-key': 'EC プライベートキー（SEC 1）です。ここではパブリックキーだけが必要です',
  signature: '2 つの INTEGER からなる DER の SEQUENCE で、ECDSA または SM2 の署名（r, s）の形式です',
  der: 'SubjectPublicKeyInfo ではない DER です',
};

/** Which part of a KMS ARN is wrong (`part` of invalid-arn). */
const JA_ARN_PART = {
  fields: 'コロンで区切られた 6 つのフィールドがありません',
  partition: '不明なパーティションです',
  service: 'サービスが kms ではありません',
  region: 'リージョンは英小文字、数字、「-」で書きます',
  account: 'アカウント ID は 12 桁の数字です',
  'key-id': 'キー ID は UUID、または mrk- と 32 桁の 16 進数です',
  alias: 'エイリアス名は A-Z a-z 0-9 : / _ - の 1～250 文字です',
  resource: 'リソースは key/ か alias/ で始まります',
};

/** What a string that is not base64 looks like (`looks` of not-base64). */
const JA_LOOKS = {
  hex: '（16 進数のようです。デコードするか、バイト列で渡してください）',
  base64url: '（「-」か「_」を含み、base64url のようです。ここでは使えません）',
  text: '（テキストのようです。バイト列で渡してください。例: `new TextEncoder().encode(text)`）',
};

/** What in the SubjectPublicKeyInfo differs from the key spec (`detail` of public-key-mismatch). */
function mismatchDetail(p) {
  switch (p.detail) {
    case 'algorithm': return 'アルゴリズムの OID が異なります';
    case 'parameters': return 'アルゴリズムのパラメータが正しくありません';
    case 'modulus-size': return `モジュラスが ${p.size} ビットで、${p.keySpec} は ${p.expected} ビットです`;
    case 'curve': return '曲線が異なります';
    case 'point-encoding': return `点は KMS が返す非圧縮形式（04 ‖ X ‖ Y、${p.expected} バイト）でなければなりません`;
    case 'not-on-curve': return '点が曲線上にありません';
    case 'key-length': return `キーが ${p.size} バイトで、${p.expected} バイトでなければなりません`;
    case 'small-order': return '点の位数が小さく、どのメッセージでも検証が成功してしまいます。KMS キーではありません';
    case 'modulus-check': return 'FIPS 203 のモジュラスチェックに失敗しました';
    default: return 'エンコードが正しくありません';
  }
}

/**
 * The error's explanation in `lang`: English is the library's own `message`; Japanese is the rendering of its
 * `rule` code with its `params`, or, for an error without one, a Japanese sentence that carries the English
 * original. KMS names are never translated.
 * @param {{ name?: string, message?: string, rule?: string, params?: Record<string, unknown> }} error
 * @param {'en' | 'ja'} lang
 * @returns {string}
 */
export function errorMessage(error, lang) {
  const original = String(error?.message ?? error);
  if (lang !== 'ja') return original;
  const render = error && typeof error.rule === 'string' ? JA_RULES[error.rule] : undefined;
  if (render) return render(error.params ?? {});
  return `次の入力は受け付けられませんでした（原文）: ${original}`;
}
