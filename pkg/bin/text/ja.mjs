// CLI が表示するすべての文（日本語）。キーは en.mjs と同じ（tests/cli/language.test.mjs が確認する）。
// KMS 自身の名前（KeySpec の値、アルゴリズム名、例外名、GetPublicKey のメンバー名）は KMS の綴りのまま。
// 用語は AWS の日本語ドキュメントに合わせる: キー仕様, キーの用途, 署名アルゴリズム, 暗号化アルゴリズム,
// キー合意アルゴリズム, 識別 ID, パブリックキー, 暗号文, 平文, 共有シークレット。
//
// c はヘルプが使う値: { PROG, VERSION, S（サンプルのフォルダー）}。
import { formatBytes as formatBytesIn, regionOf } from './en.mjs';

/** 1536 -> "1.5 KiB"、100 -> "100 バイト"。 */
const formatBytes = (n) => formatBytesIn(n, 'バイト');

const examplesNote = (c) => `例は \`npm i kms-offline\` を実行したプロジェクトのフォルダーで、表示どおりに実行できます。例が使う
SAMPLE テストキー（本物の KMS キーではありません）はパッケージの ${c.S} に入っています。`;

const keyHelp = () => `キー（すべてのコマンド）:
  --key FILE | -            パブリックキー: \`aws kms get-public-key --output json\` の出力、SDK の
                            GetPublicKeyCommand の出力（JSON）、PEM / DER / base64 DER のパブリックキー、
                            またはパブリック JWK（\`-\` で標準入力から読みます）。キーのファイルは最初の引数でも指定できます。
  PEM、DER、JWK のキー（コンソールの「ダウンロード」）にはメタデータがありません。キーの
  [暗号化設定] タブの値を指定してください:
  --key-spec SPEC           キー仕様。例: ECC_NIST_P256, RSA_2048, ML_KEM_768
  --key-usage USAGE         キーの用途: SIGN_VERIFY | ENCRYPT_DECRYPT | KEY_AGREEMENT | ENCAPSULATE_DECAPSULATE
  --signing-algorithms A,B      --encryption-algorithms A,B
  --key-agreement-algorithms A  --encapsulation-algorithms A
  --key-id ARN              省略可。表示する aws コマンドで使います`;

const commonHelp = () => `出力:
  --json                    機械処理用の JSON を標準出力に出します（エラーも: {"Error": {"Name", "Message"}}）。
                            言語の設定にかかわらず英語です
  --lang en|ja              ヘルプ、結果、エラーの言語（既定: LC_ALL、LC_MESSAGES、LANG の順。
                            ja_JP.UTF-8 なら日本語）
  -h, --help                このヘルプ
  -V, --version             バージョン

終了コード: 0 有効 / 完了、1 署名が無効、2 ルール違反または入力の誤り（KMS の例外名とルールを
標準エラー出力に表示）。`;

/** 各コマンドのヘルプに共通の末尾。 */
const tail = (c) => `${keyHelp(c)}

${commonHelp(c)}

${examplesNote(c)}`;

export default {
  help: {
    main: (c, usage) => `${c.PROG} ${c.VERSION}: AWS KMS のパブリックキーを、KMS のルールと KMS の例外名のままオフラインで使います。

使い方: ${usage}

コマンド:
  inspect       キーの概要を表示: キー仕様、キーの用途、アルゴリズム、ARN の各部、SPKI のフィンガープリント、オフラインでの注意点
  verify        KMS Sign が作った署名を検証（RAW、任意のサイズのファイルの DIGEST、EXTERNAL_MU）
  encrypt       KMS Decrypt 向けに暗号化し、それを復号する \`aws kms decrypt\` コマンドを表示
  derive        KEY_AGREEMENT キーとの ECDH（KMS DeriveSharedSecret と同じ結果）と、それに続く KDF
  encapsulate   KMS Decapsulate 向けの ML-KEM カプセル化
  verify-dsse   キーで KMS Sign が署名した DSSE エンベロープ（in-toto、cosign）を検証
  dsse          DSSE エンベロープを作成: \`aws kms sign\` コマンドを表示し、その出力から組み立てる
  verify-cert   KMS キーが署名した X.509 証明書を検証（verify-csr、verify-crl も）
  csr、cert     KMS キーの CSR、またはそのキーが署名する証明書を作り、\`aws kms sign\` コマンドを表示
  assemble      \`aws kms sign\` が返した署名から CSR や証明書を完成（キーで検証してから）
  encrypt-file  任意のサイズのファイルを AWS Encryption SDK のメッセージ形式で暗号化（ESDK の KMS RSA /
                ECDH キーリングで復号）

各コマンドのオプションと例は \`${c.PROG} <command> --help\` で表示します。\`${c.PROG} -V\` はバージョンを表示します。
\`--lang en\` で英語になります。

${examplesNote(c)}

例:
  npx ${c.PROG} inspect ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64

終了コード: 0 有効 / 完了、1 署名が無効、2 ルール違反または入力の誤り。`,

    inspect: (c, usage) => `使い方: ${usage}

キーを読み込み（KMS の読み込み時のルールを適用します: SPKI はキー仕様どおりのキーであること、キーの用途と
アルゴリズムはキー仕様に対して有効であること、ARN の KeyId は有効な KMS の ARN であること）、キーの概要と、
KMS の外では働かない保護を表示します。

  --pem                     パブリックキーを PEM でも表示

${tail(c)}

例:
  npx ${c.PROG} inspect ${c.S}/RSA_2048_ENCRYPT_DECRYPT.json
  # PEM のキー（コンソールの「ダウンロード」）と、[暗号化設定] タブのメタデータ:
  npx ${c.PROG} inspect --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.pem --key-spec ECC_NIST_P256 \\
      --key-usage SIGN_VERIFY --signing-algorithms ECDSA_SHA_256 \\
      --key-id arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
  # 自分の KMS キーと AWS CLI が必要です: KMS から直接キーを取得
  aws kms get-public-key --key-id alias/my-key --output json | npx ${c.PROG} inspect -`,

    verify: (c, usage) => `使い方: ${usage}

KMS Verify と同じように署名を検証します。終了コード 0 有効、1 無効、2 拒否（ルール）または入力の誤り。

  --signing-algorithm ALG   署名アルゴリズム。例: ECDSA_SHA_256, RSASSA_PSS_SHA_256（既定: キーの唯一のもの）
  --message-type TYPE       RAW（既定）、DIGEST、EXTERNAL_MU のいずれか
  --message TEXT            メッセージ（UTF-8 テキスト。--message-encoding を参照）
  --message-file FILE | -   メッセージをファイルまたは標準入力から読む
  --message-encoding ENC    --message の書き方: utf8（既定）、base64、hex
  --message-is-digest       指定したメッセージがすでにダイジェスト（または 64 バイトの mu）であることを示します。
                            \`aws kms verify --message-type DIGEST\` と同じです（このとき --message には
                            --message-encoding base64 または hex が必要です）。指定しないと、DIGEST と EXTERNAL_MU
                            ではメッセージをここでハッシュします（SHA-2、SM2 の e = SM3(Z_A || M)、ML-DSA の mu）。
                            ストリームで処理するので、任意のサイズのファイルを一定のメモリで扱えます。大きなファイルでは
                            標準エラー出力が端末のとき進行状況を表示します（--json のときやパイプのときは表示しません）
  --signature BASE64        \`aws kms sign --query Signature --output text\` が表示するとおりの署名:
                            キーとアルゴリズムの署名サイズちょうどの、正規の base64
  --signature-file FILE | - 署名: 生のバイト列、または base64 テキスト（自動判別し、同じように確認します）
  --signature-encoding ENC  署名を base64、hex、raw のどれとして読むかを指定（hex は推測しません）
  --signature-format FMT    DER（既定: KMS が返す形式）または P1363（r||s。JOSE と WebCrypto が
                            ECDSA/SM2 の署名を運ぶ形式）
  --distinguishing-id ID    ここでハッシュする DIGEST の SM2DSA: Z_A に入れる識別 ID（既定は KMS の 1234567812345678）

${tail(c)}

例:
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64                # 終了コード 0: VALID
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.tampered.sig.b64       # 終了コード 1: INVALID
  # DIGEST: KMS が --message-type DIGEST で署名したとおり、ファイルをここでハッシュします（SHA-256、ストリーム）:
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --signing-algorithm ECDSA_SHA_256 --message-type DIGEST \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64                # 終了コード 0: VALID
  # 自分のキーとファイルが必要です: KMS が SHA-256 ダイジェストとして署名した、任意のサイズのリリース
  npx ${c.PROG} verify --key key.json --signing-algorithm ECDSA_SHA_256 --message-type DIGEST \\
      --message-file release.tar.gz --signature-file release.sig`,

    encrypt: (c, usage) => `使い方: ${usage}

KMS Decrypt 向けに暗号化します（RSAES_OAEP_SHA_1、RSAES_OAEP_SHA_256、SM2PKE）。KMS が拒否するもの
（キーの用途が ENCRYPT_DECRYPT でないキー、キーにない暗号化アルゴリズム、上限を超える平文）は拒否し、
暗号文を復号する \`aws kms decrypt\` コマンドを表示します。

  --encryption-algorithm ALG  暗号化アルゴリズム。例: RSAES_OAEP_SHA_256（既定: キーの唯一のもの）
  --plaintext TEXT            平文（UTF-8 テキスト。--plaintext-encoding を参照）
  --plaintext-file FILE | -   平文をファイルまたは標準入力から読む
  --plaintext-encoding ENC    --plaintext の書き方: utf8（既定）、base64、hex
  --out FILE                  CiphertextBlob を生のバイト列でこのファイルに書く（fileb:// 用）

${tail(c)}

例:
  npx ${c.PROG} encrypt --key ${c.S}/RSA_2048_ENCRYPT_DECRYPT.json \\
      --encryption-algorithm RSAES_OAEP_SHA_256 --plaintext 'hello KMS' --out ciphertext.bin`,

    derive: (c, usage) => `使い方: ${usage}

KEY_AGREEMENT キーとの KMS DeriveSharedSecret（ECDH）の相手側です。一時キーペアを作り（または指定のキーを使い）、
こちらのパブリックキーと \`aws kms derive-shared-secret\` コマンドを表示し、KDF を選ぶと導出キーも表示します。
生の共有シークレット Z はキーではありません（AWS:「生の共有シークレットを暗号化キーとして使用しないでください」）。
--kdf none は KMS の SharedSecret と比べるためだけに Z を表示します。

  --key-agreement-algorithm ALG  キー合意アルゴリズム: ECDH（既定: キーの唯一のもの）
  --private-key FILE        こちらの静的プライベートキー。PKCS#8 の PEM または DER（既定: 新しい一時キー）
  --public-key-out FILE     こちらのパブリックキー（DER SPKI。DeriveSharedSecret が受け取る形式）をこのファイルに書く
  --kdf KDF                 hkdf（RFC 5869）、one-step（NIST SP 800-56C）、none（生の Z）
  --hash HASH               SHA-256（既定）、SHA-384、SHA-512
  --length N                導出するキーのバイト数（既定 32）
  --salt VALUE              HKDF の salt             \\  テキスト、hex:<hex>、base64:<base64> のいずれか。
  --info VALUE              HKDF の info              > info / fixed-info に両方のパブリックキーとプロトコル名を
  --fixed-info VALUE        one-step の FixedInfo    /  入れて、キーをこの交換に結び付けます
  --secret-out FILE         導出キー（--kdf none なら Z）を生のバイト列でこのファイルに書く

${tail(c)}

例:
  npx ${c.PROG} derive --key ${c.S}/ECC_NIST_P256_KEY_AGREEMENT.json --public-key-out our-public-key.der \\
      --kdf hkdf --info 'my-protocol v1 AES-256-GCM'`,

    encapsulate: (c, usage) => `使い方: ${usage}

ENCAPSULATE_DECAPSULATE キーでの ML-KEM カプセル化: 32 バイトの共有シークレットと、KMS Decapsulate が
同じシークレットに戻す暗号文を作ります。KMS は誤った暗号文に擬似ランダムなシークレットを返します
（暗黙的拒否）。使う前に、両側が同じシークレットを持っていることを確認してください。

  --encapsulation-algorithm ALG  カプセル化アルゴリズム: ML_KEM（既定: キーの唯一のもの）
  --out FILE                SharedSecretCiphertextBlob を生のバイト列でこのファイルに書く（fileb:// 用）
  --secret-out FILE         共有シークレットを生のバイト列でこのファイルに書く（表示する代わりに）

${tail(c)}

例:
  npx ${c.PROG} encapsulate --key ${c.S}/ML_KEM_768_ENCAPSULATE_DECAPSULATE.json --out ciphertext.bin`,

    'verify-dsse': (c, usage) => `使い方: ${usage}

DSSE エンベロープ（cosign、in-toto、witness が書く JSON {payload, payloadType, signatures}）をキーで、KMS の
規則のもとに検証します。各署名は、KMS で署名する側が送ったはずの PAE(payloadType, payload)（4096 バイト以下は
RAW、それを超えるとダイジェストか ML-DSA の mu。Ed25519 は RAW のみ）に対して検証します。このキーの署名が
検証できれば終了コード 0、一つもなければ 1、エンベロープが不正か KMS が署名しえないものなら 2 です。

  ENVELOPE | -              エンベロープのファイル（- は標準入力）
  --signing-algorithm ALG   署名した KMS のアルゴリズム（既定: キーの唯一のもの）
  --ignore-keyid            keyid が別のキーを指す署名も含め、すべての署名を検証する
  --payload-out FILE        エンベロープが有効ならペイロードをこのファイルに書く（指定しなければ、4096 バイト
                            以下のテキストのとき表示します。--json では "Payload" に base64 で入ります）

${tail(c)}

例:
  npx ${c.PROG} verify-dsse --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      ${c.S}/ECC_NIST_P256_SIGN_VERIFY.dsse.json                            # exit 0: VALID
  npx ${c.PROG} verify-dsse --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      ${c.S}/ECC_NIST_P256_SIGN_VERIFY.tampered.dsse.json                   # exit 1: INVALID
  # 自分のキーとファイルが必要: awskms:// のキーで cosign が作った attestation
  npx ${c.PROG} verify-dsse --key key.json attestation.dsse.json --payload-out statement.json`,

    dsse: (c, usage) => `使い方: ${usage}

KMS が署名する DSSE エンベロープを二段階で作ります。署名を渡さないと、実行すべき \`aws kms sign\` コマンドを
表示します。その Message は 4096 バイト以下なら PAE(payloadType, payload)（MessageType RAW）、それを超えると
そのダイジェスト（DIGEST）か ML-DSA の mu（EXTERNAL_MU）です。表示された署名を付けて同じコマンドをもう一度
実行すると、エンベロープを組み立て、キーで検証してから表示します（--out ならファイルに書きます）。

  --payload-type TYPE       payloadType（例: application/vnd.in-toto+json）
  --payload TEXT            ペイロード（UTF-8 テキスト）
  --payload-file FILE | -   ペイロードをファイルまたは標準入力から
  --signing-algorithm ALG   KMS のアルゴリズム（既定: キーの唯一のもの）
  --signature BASE64        二段階目: \`aws kms sign --query Signature --output text\` が表示した Signature
  --signature-file FILE | - 二段階目: 同じものをファイルから（base64 テキストまたは生のバイト列）
  --keyid ID                署名の keyid（既定は cosign と同じく空。指定するならこのキーを指すこと）
  --out FILE                エンベロープをこのファイルに書く

${tail(c)}

例:
  npx ${c.PROG} dsse --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json --payload-type application/vnd.in-toto+json \\
      --payload-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt           # prints the aws kms sign command
  # 自分の KMS キーと AWS CLI が必要: 表示されたコマンドを実行してから組み立てる
  npx ${c.PROG} dsse --key key.json --payload-type application/vnd.in-toto+json \\
      --payload-file statement.json --signature-file dsse.sig.b64 --out envelope.dsse.json`,
    'verify-cert': (c, usage) => `使い方: ${usage}

発行者のキーが KMS キーである X.509 証明書（KMS にあるプライベート CA やコード署名のキー）を、署名者が送った
Sign リクエストに KMS Verify が下したはずの判断のとおりに検証します。signatureAlgorithm はキーが署名に使えるもの
でなければなりません（同じハッシュの MGF1 とハッシュ長のソルトの RSASSA-PSS、キーの曲線上の ecdsa-with-SHA*、
ID 1234567812345678 の SM2、ML-DSA）。署名対象は 4096 バイトまで RAW、それを超えると DIGEST（ML-DSA は
EXTERNAL_MU）です。サブジェクト、発行者、シリアル、有効期間、KMS のアルゴリズム、証明書が KMS キー自身のものか
どうかを表示します。終了コードは 0 が有効、1 が無効、2 が拒否（ルール）または不正な入力です。

  --in FILE | -             証明書: PEM、DER、または base64 の DER

${tail(c)}

例:
  # 自分のキーと証明書が必要: KMS の CA キーが発行した証明書
  npx ${c.PROG} verify-cert --key ca-key.json --in issued.pem`,

    'verify-csr': (c, usage) => `使い方: ${usage}

KMS キーが署名した PKCS#10 の証明書要求（キー自身の CSR）を、verify-cert と同じルールで検証します。
終了コードは 0 が有効、1 が無効、2 が拒否（ルール）または不正な入力です。

  --in FILE | -             CSR: PEM、DER、または base64 の DER

${tail(c)}

例:
  # 自分のキーと CSR が必要
  npx ${c.PROG} verify-csr --key key.json --in request.csr`,

    'verify-crl': (c, usage) => `使い方: ${usage}

KMS キーが署名した CRL を verify-cert と同じルールで検証し、失効したシリアル番号を一覧にします。
終了コードは 0 が有効、1 が無効、2 が拒否（ルール）または不正な入力です。

  --in FILE | -             CRL: PEM、DER、または base64 の DER

${tail(c)}

例:
  # 自分のキーと CRL が必要
  npx ${c.PROG} verify-crl --key ca-key.json --in ca.crl`,
    csr: (c, usage) => `使い方: ${usage}

KMS キー自身の PKCS#10 証明書要求（CSR）を作り、KMS Sign が署名すべきものを書き出します。DIR/message.bin
（Message: 要求の署名対象。4096 バイトまでは RAW、それを超えるとそのダイジェストか ML-DSA の mu）と
DIR/pending.json（assemble のために保存）です。実行する \`aws kms sign\` のコマンドと、その出力から PEM を作る
\`${c.PROG} assemble\` のコマンドを表示します。

  --subject DN              RFC 4514 のサブジェクト。例: "CN=signer,O=Example"
  --dns, --email, --uri, --ip NAMES
                            サブジェクト代替名（カンマ区切り）
  --extended-key-usage EKUS serverAuth、clientAuth、codeSigning、emailProtection、timeStamping、OCSPSigning
                            またはドット区切りの OID（カンマ区切り）
  --signing-algorithm ALG   既定はキーの一覧のうち X.509 で表せる最初のアルゴリズム
  --out-dir DIR             message.bin と pending.json の置き場所（既定は現在のフォルダー）

${tail(c)}

例:
  # 自分の KMS キーと AWS CLI が必要
  npx ${c.PROG} csr --key key.json --subject "CN=release signer,O=Example" --dns signer.example.com`,

    cert: (c, usage) => `使い方: ${usage}

KMS キーが署名する証明書を作ります。自己署名（--subject）か、他者の CSR に対する発行（--issuer-cert に自分の
CA 証明書、または --issuer にそのサブジェクト、--csr にその CSR。CSR の署名はまずその CSR 自身のキーで検証します）で、KMS Sign が
署名すべきものを csr と同じように書き出します。拡張: basicConstraints（critical。--ca で cA）、keyUsage（CA なら
keyCertSign と cRLSign、それ以外は digitalSignature）、サブジェクトと発行者のキー識別子、指定した名前。

  --subject DN              RFC 4514 のサブジェクト（--csr のときは CSR のものを置き換え）
  --issuer-cert FILE --csr FILE
                            この証明書（PEM または DER。KMS キーのもの）の CA として、この CSR（PEM または DER）に発行。
                            サブジェクトはバイト単位でそのまま写し、キー識別子を発行者のキー識別子にするので、
                            名前を生のバイトで比べるチェーン構築（Go、PKCS#11）でも CA が見つかります
  --issuer DN --csr FILE    証明書のない CA 向けに、サブジェクトが DN の CA として同じく発行（UTF8String で再符号化）
  --ca                      CA 証明書（basicConstraints の cA を真に）
  --days N                  今からの有効日数（既定 365）
  --serial HEX              既定は 16 バイトの乱数
  --dns, --email, --uri, --ip, --extended-key-usage, --signing-algorithm, --out-dir
                            csr と同じ

${tail(c)}

例:
  # 自分の KMS キーと AWS CLI が必要: キーの CA 証明書を 10 年で
  npx ${c.PROG} cert --key ca-key.json --subject "CN=Example KMS CA" --ca --days 3650`,

    assemble: (c, usage) => `使い方: ${usage}

DIR/pending.json と \`aws kms sign\` が返した署名（\`--query Signature --output text\` が表示する base64、
または生のバイト列）から、キーで検証したうえで CSR や証明書を完成させます。別のキー、アルゴリズム、メッセージの
署名なら KMSInvalidSignatureException（終了コード 2）で、何も書き出しません。PEM を表示するか、--out で書き出します。

  --pending FILE            csr または cert が書いた pending.json
  --signature BASE64        署名
  --signature-file FILE | - 署名（base64 のテキストまたは生のバイト列）
  --out FILE                PEM をそこに書き出し、概要を表示

${tail(c)}

例:
  # 自分の KMS キーと、csr または cert が書いたファイルが必要
  npx ${c.PROG} assemble --key key.json --pending pending.json --signature-file signature.b64 --out certificate.pem`,

    'encrypt-file': (c, usage) => `使い方: ${usage}

任意のサイズのファイルを（ストリームで: メモリはチャンク 1 つとフレーム 1 つ分）AWS Encryption SDK の
メッセージ（形式 2、コミットメント付きスイート、フレーム形式）に暗号化します。データキーを取り出せるのは
KMS だけです。復号の方法も表示します: 任意の AWS Encryption SDK（Java / MPL 付きの Python / .NET /
Rust / Go）の AWS KMS RSA キーリング（RSA の ENCRYPT_DECRYPT キー、KMS の Decrypt）、または
KmsPublicKeyDiscovery の AWS KMS ECDH キーリング（ECC_NIST_P256/384/521 の KEY_AGREEMENT キー、KMS
DeriveSharedSecret）。KMS のルール（キー使用法、キーのリストにあるアルゴリズム）が先に適用されます。
標準エラーが端末のとき、大きなファイルでは進捗行を表示します。

  --in FILE | -                 平文（- は標準入力）
  --out FILE                    メッセージの書き込み先（完全に書かれるか、何も書かれないか）
  --encryption-context K=V      暗号化コンテキストのペア（複数なら繰り返す）。aws-crypto- で始まるキーは
                                ESDK 自身のもの。復号側はこれを要求できます
  --frame-length N              フレームあたりの平文のバイト数、1〜2147483647（既定 4096）
  --algorithm-suite SUITE       ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY（RSA の既定: KMS RSA キーリングは署名
                                付きスイートを拒否）または ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
                                （ESDK の既定、ECDH の既定）
  --encryption-algorithm ALG    RSA キー: RSAES_OAEP_SHA_1 または RSAES_OAEP_SHA_256（リストにあれば既定は
                                SHA-256）。復号する RSA キーリングにも同じものを指定します

${tail(c)}

例:
  npx ${c.PROG} encrypt-file --key ${c.S}/RSA_2048_ENCRYPT_DECRYPT.json \\
      --in ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt --out message.txt.enc --encryption-context purpose=example`,
  },

  frame: {
    usageLine: (usage) => `使い方: ${usage}`,
    hint: (hint) => `ヒント: ${hint}`,
    original: (text) => `原文: ${text}`,
  },

  input: {
    x509File: '証明書、CSR、CRL のファイル',
    key: 'キー',
    messageFile: 'メッセージのファイル',
    signatureFile: '署名のファイル',
    theSignatureFile: '署名のファイル',
    plaintextFile: '平文のファイル',
    inFile: '入力ファイル',
    privateKey: 'プライベートキー',
    stdin: '標準入力',
    envelope: 'エンベロープ',
    payloadFile: 'ペイロードのファイル',
  },

  say: {
    giveSubject: () => 'サブジェクトを --subject DN で指定してください（RFC 4514。例: "CN=signer,O=Example"）',
    daysMustBe: (value) => `--days は 1 以上の整数の日数です（'${value}' ではなく）`,
    issuerWithCsr: () => '他者の CSR に証明書を発行するには --issuer-cert FILE（自分の CA 証明書）か --issuer DN（そのサブジェクト）と、--csr FILE が必要です',
    issuerOrIssuerCert: () => '発行者は一度だけ指定してください: --issuer-cert FILE（自分の CA 証明書。サブジェクトをそのまま写します）か --issuer DN（証明書のない CA 向け）のどちらかで、両方ではありません',
    givePending: () => 'csr または cert が書いた pending.json を --pending FILE で指定してください',
    pendingNotJson: (file, reason) => `--pending '${file}' は JSON ではありません（${reason}）。csr または cert が書いた pending.json を指定してください`,
    giveIn: (kind) => `${{ certificate: '証明書', certificateRequest: 'CSR', crl: 'CRL' }[kind]}を --in FILE で指定してください（標準入力なら --in -）`,
    unknownOption: (option, suggestion) => `'${option}' というオプションはありません` + (suggestion ? `。${suggestion} のことですか?` : ''),
    optionOfAnotherCommand: (option, cmd, owners, prog) =>
      `${option} は ${owners.map((o) => `${prog} ${o}`).join('、')} のオプションで、${prog} ${cmd} のオプションではありません`,
    unknownCommand: (cmd, suggestion) => `'${cmd}' というコマンドはありません` + (suggestion ? `。${suggestion} のことですか?` : ''),
    commandsHint: (commands, prog) => `コマンド: ${commands.join(', ')}。${prog} --help を参照してください`,
    helpHint: (cmd, prog) => `${prog} ${cmd} --help を参照してください`,
    needsValue: (option) => `${option} には値が必要です`,
    takesNoValue: (option) => `${option} は値を取りません（スイッチです。単独で指定してください）`,
    badCommandLine: (original) => `コマンドラインを解釈できません（原文: ${original}）`,
    langMustBe: (value) => `--lang は en または ja です（'${value}' は使えません）`,
    giveKey: () => 'キーを指定してください: --key FILE（標準入力なら -）',
    giveEnvelope: () => 'オプションの後にエンベロープのファイル（標準入力なら -）を指定してください',
    givePayloadType: () => 'payloadType を指定してください: --payload-type TYPE（例: application/vnd.in-toto+json）',
    giveKeyOnce: (option, positional) => `キーは一度だけ指定してください: --key ${option} または ${positional}`,
    unexpectedArguments: (args) => `余分な引数があります: ${args.join(' ')}`,
    keyWithoutMetadata: (source, form, spec, choices) =>
      `${source} は ${form} 形式の ${spec} パブリックキーで、メタデータがありません。コンソールの [暗号化設定] タブから` +
      'キーの用途とアルゴリズムのリストを指定してください（キーにあるアルゴリズムだけを残します）: ' +
      choices.join(' または '),
    keyWithoutMetadataUndetected: (source, form) =>
      `${source} は ${form} 形式のパブリックキーで、メタデータがありません。コンソールの [暗号化設定] タブから ` +
      '--key-spec、--key-usage とキーのアルゴリズムのリスト（例: --signing-algorithms ECDSA_SHA_256）を指定してください',
    jwkWithoutMetadata: (source) => `${source} は JWK で、KMS のメタデータがありません。--key-spec、--key-usage とキーのアルゴリズムのリストを指定してください`,
    metadataIsForPemDer: (source) =>
      `--key-spec、--key-usage、--key-id とアルゴリズムのリストは PEM/DER のキー用です。${source} は GetPublicKey の JSON で、メタデータを含んでいます`,
    giveAlgorithm: (option, listed) =>
      `--${option} を指定してください` + (listed.length ? `（このキーにあるもの: ${listed.join(', ')}）` : '（このキーには一つもありません。キーの用途が別の操作用です）'),
    giveOneOf: (inline, file) => `--${inline} または --${file} を指定してください`,
    notBoth: (inline, file) => `--${inline} と --${file} はどちらか一方だけを指定してください`,
    sameOutput: (first, second, file) => `${first} と ${second} が同じファイル '${file}' を指しています。それぞれ別のファイルを指定してください`,
    oneStdin: (inputs) => `${inputs.join(' と ')} がどれも標準入力（-）を読みます。標準入力から読めるのは一つの入力だけです`,
    bothStdin: (first, second) => `${first} と ${second} の両方が標準入力（-）を読みます。標準入力から読めるのは一つの入力だけです`,
    inputOverLimit: (limit) => `入力が ${limit} バイトを超えています`,
    cannotRead: (what, file, code, systemMessage) =>
      `${what} '${file}' を読めません: ${code === 'ENOENT' ? 'ファイルがありません' : `システムのエラー（原文: ${systemMessage}）`}`,
    isDirectory: (what, file) => `${what} '${file}' はディレクトリです`,
    overWholeLimit: (what, file, size, limit) => `${what} '${file}' は ${size} バイトです。この入力は丸ごと渡すため、${limit} バイトまでしか読みません`,
    largeFileHint: () => '大きなファイルはダイジェストで検証してください: --message-type DIGEST ならストリームでハッシュします',
    notBase64: (what, looksLike) =>
      `${what} は有効な base64 ではありません${looksLike ? `（${looksLike} のようです）` : ''}。正規の標準 base64（RFC 4648 §4、'=' でパディング）が必要です`,
    notHex: (what) => `${what} は有効な hex ではありません（偶数個の 0-9a-f の数字が必要です）`,
    unknownEncoding: (encoding, what) => `${what} のエンコーディング '${encoding}' は使えません: utf8、base64、hex のいずれかです`,
    hexSignatureHint: () => '署名が hex のようです: --signature-encoding hex を指定してください',
    digestNeedsEncoding: () => '--message-is-digest のときの --message はダイジェストそのものです: 書き方を --message-encoding base64 または hex で指定してください',
    messageEncodingIsForMessage: () => '--message-encoding は --message にだけ使えます。--message-file はバイト列として読みます',
    plaintextEncodingIsForPlaintext: () => '--plaintext-encoding は --plaintext にだけ使えます',
    distinguishingIdWhen: () => '--distinguishing-id は、--message-type DIGEST をここでハッシュする SM2DSA にだけ使えます（RAW は KMS の識別 ID 1234567812345678 を使います）',
    kdfMustBe: (kdf) => `--kdf は hkdf、one-step、none のいずれかです（'${kdf}' は使えません）`,
    saltInfoAreForHkdf: () => '--salt と --info は --kdf hkdf 用です',
    fixedInfoIsForOneStep: () => '--fixed-info は --kdf one-step 用です',
    hashLengthNeedKdf: () => '--hash と --length は --kdf hkdf または one-step 用です',
    secretOutNeedsKdf: () => '--secret-out には --kdf が必要です（hkdf、one-step、または生の Z なら none）',
    lengthMustBeNumber: (value) => `--length はバイト数です（'${value}' は使えません）`,
    cannotLoadLibrary: (file, why) => `kms-offline ライブラリ（${file}）を読み込めません（原文: ${why}）`,
    buildHint: () => 'リポジトリでは次のコマンドでビルドしてください: bash scripts/build.sh',
    giveInFile: () => '暗号化するファイルを指定してください: --in FILE（標準入力なら -）',
    giveOut: () => 'メッセージの書き込み先を指定してください: --out FILE',
    sameInOut: (file) => `--in と --out が同じファイル '${file}' です: メッセージには別のファイルを指定してください`,
    contextPair: (pair) => `--encryption-context には KEY=VALUE（キーは 1 文字以上）を指定します。'${pair}' は使えません`,
    contextKeyTwice: (key) => `--encryption-context でキー '${key}' が 2 回指定されています: 各キーは 1 回だけ指定してください`,
    frameLengthMustBeNumber: (value) => `--frame-length はバイト数で指定してください。'${value}' は使えません`,
    progressEncrypt: (what, done, total) =>
      total === undefined
        ? `${what} を暗号化中: ${formatBytes(done)}`
        : `${what} を暗号化中: ${formatBytes(done)} / ${formatBytes(total)}（${Math.floor((done * 100) / Math.max(total, 1))} %）`,
    progress: (what, done, total) =>
      total === undefined
        ? `${what} をハッシュ中: ${formatBytes(done)}`
        : `${what} をハッシュ中: ${formatBytes(done)} / ${formatBytes(total)}（${Math.floor((done * 100) / Math.max(total, 1))} %）`,
    cannotWrite: (what, file, code, folder, example) => {
      const why = {
        ENOENT: `フォルダー '${folder}' がありません（先に作成するか、別のパスを指定してください）`,
        ENOTDIR: `'${folder}' はフォルダーではありません（同じ名前のファイルがあります）`,
        ENOENT_IN_FOLDER: `フォルダー '${folder}' には新しいファイルを作れません`,
        EISDIR: `'${file}' はフォルダーです。その中のファイル名を指定してください（例: '${example}'）`,
        EACCES: `アクセスが拒否されました: フォルダー '${folder}' に書き込む権限か、ファイルを置き換える権限がありません`,
        EPERM: `アクセスが拒否されました: ファイルまたはフォルダー '${folder}' には書き込めません`,
        EROFS: `フォルダー '${folder}' は読み取り専用のファイルシステムにあります`,
        ENOSPC: 'デバイスに空き容量がありません',
        EDQUOT: 'ディスククォータを超えています',
        ENAMETOOLONG: 'パスが長すぎます',
        ELOOP: 'パスのシンボリックリンクが多すぎます（ループしていませんか?）',
        DENO_NO_WRITE: 'Deno に書き込みの権限がありません: --allow-write を付けて実行してください',
      }[code];
      return `${what} '${file}' に書き込めません: ${why ?? `システムが拒否しました（${code ?? '不明なエラー'}）`}`;
    },
  },

  result: {
    x509Prepared: (kind, bytes, type, messageFile, pendingFile) => `${{ certificate: '証明書', certificateRequest: 'CSR', crl: 'CRL' }[kind]}を KMS Sign に渡す準備ができました: Message ${bytes} バイト（MessageType ${type}）は ${messageFile}、残りは ${pendingFile} にあります。`,
    x509SignThen: 'KMS で署名してから組み立ててください（署名は書き出す前にキーで検証します）:',
    x509Assembled: (kind, file) => `${{ certificate: '証明書', certificateRequest: 'CSR', crl: 'CRL' }[kind]}を ${file} に書き出しました（署名はこの KMS キーで検証済みです）`,
    x509Valid: (kind) => `VALID: この${{ certificate: '証明書', certificateRequest: 'CSR', crl: 'CRL' }[kind]}はこの KMS キーが署名したものです`,
    x509Invalid: (kind) => `INVALID: この${{ certificate: '証明書', certificateRequest: 'CSR', crl: 'CRL' }[kind]}の署名はこの KMS キーで検証できません`,
    yes: 'はい',
    no: 'いいえ',
    sampleBanner: (sample) => `*** SAMPLE: 本物の KMS キーではない、デモ用のテストキーです（原文: ${sample}） ***`,
    noneGiven: '（指定なし）',
    loadedKey: (form, source) => `KMS パブリックキー（${source} から読んだ ${form}）`,
    label: {
      Subject: 'サブジェクト',
      Issuer: '発行者',
      SerialNumber: 'シリアル',
      Validity: '有効期間',
      Updates: '今回/次回の更新',
      Revoked: '失効',
      CertifiesThisKey: 'このキーのもの',
      KeyId: 'KeyId',
      Partition: 'パーティション',
      Region: 'リージョン',
      Account: 'アカウント',
      Alias: 'エイリアス',
      KeyIdOfArn: 'キー ID',
      KeySpec: 'KeySpec',
      KeyUsage: 'KeyUsage',
      Algorithms: 'アルゴリズム',
      Fingerprint: 'フィンガープリント',
      Algorithm: '署名アルゴリズム',
      MessageType: 'MessageType',
      PayloadType: 'payloadType',
      Signature: '署名',
    },
    fingerprintOf: (hex) => `${hex}  （DER SPKI の SHA-256）`,
    outsideKms: 'KMS の外では（AWS「パブリックキーをダウンロードする際の特別な考慮事項」）:',
    valid: 'VALID: 署名は有効です（KMS Verify: SignatureValid true）',
    invalid: 'INVALID: 署名は検証されませんでした',
    hashedHere: (type, bytes, digest) => `${type}（ここでハッシュ: ${bytes} バイト -> ${digest}）`,
    muHere: (type, bytes, mu) => `${type}（${bytes} バイトからここで計算した mu: ${mu}）`,
    messageBytes: (type, bytes) => `${type}（${bytes} バイト）`,
    ciphertext: (alg, bytes, plaintextBytes) => `CiphertextBlob（${alg}、平文 ${plaintextBytes} バイトから ${bytes} バイト）、base64:`,
    writtenRaw: (file) => `（${file} に生のバイト列で書き込みました）`,
    written: (file) => `（${file} に書き込みました）`,
    onlyKmsOpens: '復号できるのは KMS だけです:',
    ourPublicKey: 'PublicKey（こちらのキー、DER SPKI。KMS DeriveSharedSecret が受け取る形式）、base64:',
    kmsComputesZ: 'KMS は次のコマンドで同じ共有シークレット Z を計算します:',
    secretNotShown: 'シークレットは表示していません: --kdf hkdf または --kdf one-step で KDF を選んでください（生の Z は --kdf none。KMS と比べるためだけに使います）。',
    kdfLabel: {
      hkdf: (hash) => `HKDF-${hash}`,
      oneStep: (hash) => `ワンステップ KDF（SP 800-56C）${hash}`,
      none: () => 'none: 生の Z。KMS と比べるためだけのもので、キーではありません',
    },
    secretName: { none: '共有シークレット Z', derived: '導出キー' },
    secretWritten: (name, label, bytes, file) => `${name}（${label}、${bytes} バイト）を ${file} に書き込みました`,
    secretHex: (name, label, bytes) => `${name}（${label}、${bytes} バイト）、hex:`,
    encapsulated: (bytes) => `SharedSecretCiphertextBlob（${bytes} バイト）、base64:`,
    sharedSecretWritten: (bytes, file) => `SharedSecret（${bytes} バイト）を ${file} に書き込みました`,
    sharedSecretHex: (bytes) => `SharedSecret（${bytes} バイト）、hex:`,
    kmsDecapsulates: 'KMS Decapsulate は次のコマンドで同じシークレットを返します:',
    implicitRejection: '誤った暗号文からは擬似ランダムなシークレットが得られます（暗黙的拒否）: 両側が同じシークレットを持っていることを確認してください。',
    dsseValid: '有効: このキーの署名が、この payloadType とペイロードに対して検証できました',
    dsseInvalid: '無効: エンベロープに、このキーがこの payloadType とペイロードに対して作った署名はありません',
    paeAs: (type, bytes) => `${type}（${bytes} バイトの PAE）`,
    dsseSignature: (i, keyid, match, status) => `[${i}] ${status}` + (keyid === undefined ? '（keyid なし）' : `（keyid ${keyid}: ${match}）`),
    payloadFollows: (bytes) => `ペイロード（${bytes} バイト）:`,
    payloadNotShown: (bytes) => `ペイロード: ${bytes} バイト。バイナリか 4096 バイトを超えるため表示しません。--payload-out FILE で書き出してください`,
    dsseSignFirst: (type, alg, bytes) => `KMS で署名し（${alg}、MessageType ${type}、ペイロード ${bytes} バイト）、その署名で組み立ててください:`,
    dsseNotAssembled: '組み立てていません: この署名は、このキーでこの payloadType とペイロードに対して検証できません',
    dsseWritten: (file) => `DSSE エンベロープを ${file} に書きました`,
    messageWritten: (file, bytes, plaintextBytes, suite) => `AWS Encryption SDK のメッセージを ${file} に書きました（平文 ${plaintextBytes} バイトから ${bytes} バイト、${suite}）`,
    decryptWithRsaKeyring: (keyId, algorithm, file) => `復号には AWS Encryption SDK の AWS KMS RSA キーリングを使います: キー ${keyId}、EncryptionAlgorithm
${algorithm}、そのキーに kms:Decrypt を許された KMS クライアント。aws-encryption-cli は対称 KMS キーにしか
対応していないため使えません。Python の場合（pip install aws-encryption-sdk aws-cryptographic-material-providers boto3）:
  import aws_encryption_sdk, boto3
  from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
  from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig
  from aws_cryptographic_material_providers.mpl.models import CreateAwsKmsRsaKeyringInput
  keyring = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig()).create_aws_kms_rsa_keyring(
      input=CreateAwsKmsRsaKeyringInput(kms_key_id="${keyId}", encryption_algorithm="${algorithm}",
                                  kms_client=boto3.client("kms", region_name="${regionOf(keyId)}")))
  plaintext, _ = aws_encryption_sdk.EncryptionSDKClient().decrypt(source=open(${JSON.stringify(file)}, "rb").read(), keyring=keyring)`,
    decryptWithEcdhKeyring: (keyId, curve, file) => `復号には AWS Encryption SDK の AWS KMS ECDH キーリングを使います: KeyAgreementScheme
KmsPublicKeyDiscovery、RecipientKmsIdentifier ${keyId}、曲線 ${curve}、そのキーに kms:GetPublicKey と
kms:DeriveSharedSecret を許された KMS クライアント。aws-encryption-cli は対称 KMS キーにしか対応していない
ため使えません。Python の場合（pip install aws-encryption-sdk aws-cryptographic-material-providers boto3）:
  import aws_encryption_sdk, boto3
  from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
  from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig
  from aws_cryptographic_material_providers.mpl.models import (CreateAwsKmsEcdhKeyringInput,
      KmsEcdhStaticConfigurationsKmsPublicKeyDiscovery, KmsPublicKeyDiscoveryInput)
  keyring = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig()).create_aws_kms_ecdh_keyring(
      input=CreateAwsKmsEcdhKeyringInput(curve_spec="${curve}", kms_client=boto3.client("kms", region_name="${regionOf(keyId)}"),
          key_agreement_scheme=KmsEcdhStaticConfigurationsKmsPublicKeyDiscovery(
              KmsPublicKeyDiscoveryInput(recipient_kms_identifier="${keyId}"))))
  plaintext, _ = aws_encryption_sdk.EncryptionSDKClient().decrypt(source=open(${JSON.stringify(file)}, "rb").read(), keyring=keyring)`,
  },

  caveat: {
    authorization: ['認可', 'キーポリシーと IAM は KMS の外では効きません: このパブリックキーを持つ人は誰でも使えます。'],
    usage: (keyUsage) => ['キーの用途とアルゴリズム', `KMS の外では、KMS はキーの用途 ${keyUsage} もアルゴリズムのリストも強制できません。強制するのはこのツールだけです。`],
    encryptedElsewhere: 'ほかの方法で暗号化したデータは KMS では復号できません。',
    notForEncryption: 'このキーで暗号化したデータは復号できません: 暗号化用のキーではありません。',
    disable: ['無効化と削除', 'KMS キーを無効化・削除してもこのパブリックキーには及ばず、キーの状態はオフラインでは見えません。'],
    deletedKeyData: '削除されたキー向けに暗号化したデータは復元できません。',
    logging: ['ログ記録', 'KMS の外でパブリックキーを使った操作は CloudTrail に記録されません。'],
    sm2Signing: ['SM2', 'オフラインの検証には識別 ID が必要です。KMS は 1234567812345678 を使います（RAW ではこのツールも同じです）。'],
    sm2: ['SM2', 'SM2 キーは中国リージョンにだけあります。SM2 の署名の検証には識別 ID が必要です（KMS: 1234567812345678）。'],
    sharedSecret: ['共有シークレット', '生の ECDH シークレットはキーではありません: HKDF またはワンステップ KDF でキーを導出してください。'],
    implicitRejection: ['暗黙的拒否', 'KMS Decapsulate は誤った暗号文に擬似ランダムなシークレットを返します: 両側が同じシークレットを持っていることを確認してください。'],
  },
};
