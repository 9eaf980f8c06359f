// Every sentence the CLI prints in English. ja.mjs has the same keys (tests/cli/language.test.mjs checks it);
// bin/kms-offline.mjs picks one table by --lang or the locale, and always this one for --json output, which
// stays language-neutral. KMS's own names (KeySpec values, algorithms, exception names, GetPublicKey members)
// are written as KMS spells them in both tables.
//
// c is the context the help pages need: { PROG, VERSION, S (the samples folder) }.

/** 1536 -> "1.5 KiB", 536870912 -> "512 MiB", 1288490189 -> "1.2 GiB". */
export function formatBytes(n, bytesWord = 'bytes') {
  const units = [bytesWord, 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} ${bytesWord}` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

const examplesNote = (c) => `The examples run as printed in a project where you ran \`npm i kms-offline\`: the SAMPLE test keys
they use (not real KMS keys) ship in the package, in ${c.S}.`;

const keyHelp = () => `Key (every command):
  --key FILE | -            the public key: \`aws kms get-public-key --output json\` output, the SDK's
                            GetPublicKeyCommand output as JSON, a PEM / DER / base64 DER public key, or a
                            public JWK (\`-\` reads stdin). The key file may also be the first argument.
  A PEM, DER or JWK key (the console's Download) carries no metadata; give it from the key's
  Cryptographic configuration tab:
  --key-spec SPEC           e.g. ECC_NIST_P256, RSA_2048, ML_KEM_768
  --key-usage USAGE         SIGN_VERIFY | ENCRYPT_DECRYPT | KEY_AGREEMENT | ENCAPSULATE_DECAPSULATE
  --signing-algorithms A,B      --encryption-algorithms A,B
  --key-agreement-algorithms A  --encapsulation-algorithms A
  --key-id ARN              optional; used in the aws commands printed`;

const commonHelp = () => `Output:
  --json                    machine-readable JSON on stdout (errors too: {"Error": {"Name", "Message"}}),
                            in English whatever the language
  --lang en|ja              the language of help, results and errors (default: LC_ALL, LC_MESSAGES or
                            LANG; ja_JP.UTF-8 gives Japanese)
  -h, --help                this help
  -V, --version             the version

Exit codes: 0 valid / done, 1 signature invalid, 2 rule violation or bad input (the KMS exception
name and the rule on stderr).`;

/** The tail every command's help page shares. */
const tail = (c) => `${keyHelp(c)}

${commonHelp(c)}

${examplesNote(c)}`;

/** The Region of a KMS key ARN (the KMS client must be in it), or a placeholder. */
export const regionOf = (keyId) => /^arn:[^:]+:kms:([^:]+):/.exec(keyId ?? '')?.[1] ?? 'REGION';

export default {
  help: {
    main: (c, usage) => `${c.PROG} ${c.VERSION}: use an AWS KMS public key offline, with KMS's rules and KMS's exception names.

Usage: ${usage}

Commands:
  inspect       show the key card: KeySpec, KeyUsage, algorithms, ARN parts, SPKI fingerprint, offline caveats
  verify        verify a signature made by KMS Sign (RAW, DIGEST of a file of any size, EXTERNAL_MU)
  encrypt       encrypt for KMS Decrypt, and print the aws kms decrypt command that opens it
  derive        ECDH with a KEY_AGREEMENT key, matching KMS DeriveSharedSecret, then a KDF
  encapsulate   ML-KEM encapsulation for KMS Decapsulate
  verify-dsse   verify a DSSE envelope (in-toto, cosign) signed with the key by KMS Sign
  dsse          build a DSSE envelope: print the aws kms sign command, then assemble from its output
  verify-cert   verify an X.509 certificate signed by the KMS key (also verify-csr, verify-crl)
  csr, cert     build a CSR of the KMS key or a certificate it signs, and print the \`aws kms sign\` command
  assemble      make the CSR or certificate from the signature \`aws kms sign\` returned (checked with the key)
  encrypt-file  encrypt a file of any size in the AWS Encryption SDK message format, for the ESDK's KMS
                RSA or ECDH keyring to decrypt

Run \`${c.PROG} <command> --help\` for the options and an example of each. \`${c.PROG} -V\` prints the version.
\`--lang ja\` (or LANG=ja_JP.UTF-8) prints help, results and errors in Japanese.

${examplesNote(c)}

Examples:
  npx ${c.PROG} inspect ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64

Exit codes: 0 valid / done, 1 signature invalid, 2 rule violation or bad input.`,

    inspect: (c, usage) => `Usage: ${usage}

Loads the key (KMS's load-time rules apply: the SPKI must be the KeySpec's key, the usage and algorithms
must be valid for the spec, a KeyId ARN must be a valid KMS ARN) and prints its key card and the
protections that do not exist outside KMS.

  --pem                     also print the public key as PEM

${tail(c)}

Examples:
  npx ${c.PROG} inspect ${c.S}/RSA_2048_ENCRYPT_DECRYPT.json
  # a PEM key (the console's Download) with the metadata from its Cryptographic configuration tab:
  npx ${c.PROG} inspect --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.pem --key-spec ECC_NIST_P256 \\
      --key-usage SIGN_VERIFY --signing-algorithms ECDSA_SHA_256 \\
      --key-id arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
  # needs your own KMS key and the AWS CLI: the key straight from KMS
  aws kms get-public-key --key-id alias/my-key --output json | npx ${c.PROG} inspect -`,

    verify: (c, usage) => `Usage: ${usage}

Verifies a signature the way KMS Verify does. Exit 0 valid, 1 invalid, 2 refused (rule) or bad input.

  --signing-algorithm ALG   e.g. ECDSA_SHA_256, RSASSA_PSS_SHA_256 (default: the key's only one)
  --message-type TYPE       RAW (default), DIGEST or EXTERNAL_MU
  --message TEXT            the message, UTF-8 text (see --message-encoding)
  --message-file FILE | -   the message from a file or stdin
  --message-encoding ENC    how --message is written: utf8 (default), base64 or hex
  --message-is-digest       the message given IS already the digest (or the 64-byte mu), as in
                            \`aws kms verify --message-type DIGEST\` (a --message then needs
                            --message-encoding base64 or hex); without it, DIGEST and EXTERNAL_MU
                            hash the message here (SHA-2, SM2's e = SM3(Z_A || M), or ML-DSA's mu), in a
                            stream: files of any size, bounded memory, with a progress line for a large
                            file when stderr is a terminal (never with --json or when stderr is piped)
  --signature BASE64        the signature as \`aws kms sign --query Signature --output text\` prints it:
                            canonical base64 of exactly the key and algorithm's signature size
  --signature-file FILE | - the signature: raw bytes, or base64 text (detected, checked the same way)
  --signature-encoding ENC  force base64, hex or raw for the signature (hex is never guessed)
  --signature-format FMT    DER (default: what KMS returns) or P1363 (r||s, as JOSE and WebCrypto
                            carry ECDSA/SM2 signatures)
  --distinguishing-id ID    SM2DSA with DIGEST hashed here: the ID in Z_A (default KMS's 1234567812345678)

${tail(c)}

Examples:
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64                # exit 0: VALID
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.tampered.sig.b64       # exit 1: INVALID
  # DIGEST: the file is hashed here (SHA-256, streamed), as KMS signed it with --message-type DIGEST:
  npx ${c.PROG} verify --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --signing-algorithm ECDSA_SHA_256 --message-type DIGEST \\
      --message-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64                # exit 0: VALID
  # needs your own key and files: a release of any size that KMS signed as its SHA-256 digest
  npx ${c.PROG} verify --key key.json --signing-algorithm ECDSA_SHA_256 --message-type DIGEST \\
      --message-file release.tar.gz --signature-file release.sig`,

    encrypt: (c, usage) => `Usage: ${usage}

Encrypts for KMS Decrypt (RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE), refusing what KMS would refuse
(a key whose usage is not ENCRYPT_DECRYPT, an algorithm the key does not list, a plaintext over the limit),
and prints the aws kms decrypt command that opens the ciphertext.

  --encryption-algorithm ALG  e.g. RSAES_OAEP_SHA_256 (default: the key's only one)
  --plaintext TEXT            the plaintext, UTF-8 text (see --plaintext-encoding)
  --plaintext-file FILE | -   the plaintext from a file or stdin
  --plaintext-encoding ENC    how --plaintext is written: utf8 (default), base64 or hex
  --out FILE                  write the CiphertextBlob there as raw bytes (for fileb://)

${tail(c)}

Example:
  npx ${c.PROG} encrypt --key ${c.S}/RSA_2048_ENCRYPT_DECRYPT.json \\
      --encryption-algorithm RSAES_OAEP_SHA_256 --plaintext 'hello KMS' --out ciphertext.bin`,

    derive: (c, usage) => `Usage: ${usage}

The other side of KMS DeriveSharedSecret (ECDH) with a KEY_AGREEMENT key: makes an ephemeral key pair (or
uses yours), prints your public key and the aws kms derive-shared-secret command, and, once you choose a
KDF, the derived key. The raw shared secret Z is not a key (AWS: "you should not use the raw shared secret
as an encryption key"); --kdf none prints it only to compare with KMS's SharedSecret.

  --key-agreement-algorithm ALG  ECDH (default: the key's only one)
  --private-key FILE        your static private key, PKCS#8 PEM or DER (default: a fresh ephemeral key)
  --public-key-out FILE     write your public key (DER SPKI, what DeriveSharedSecret takes) there
  --kdf KDF                 hkdf (RFC 5869), one-step (NIST SP 800-56C), or none (raw Z)
  --hash HASH               SHA-256 (default), SHA-384 or SHA-512
  --length N                bytes of key to derive (default 32)
  --salt VALUE              HKDF salt       \\  text, or hex:<hex>, or base64:<base64>
  --info VALUE              HKDF info        > put both public keys and a protocol label in info /
  --fixed-info VALUE        one-step FixedInfo/  fixed-info to bind the key to this exchange
  --secret-out FILE         write the derived key (or Z with --kdf none) there as raw bytes

${tail(c)}

Example:
  npx ${c.PROG} derive --key ${c.S}/ECC_NIST_P256_KEY_AGREEMENT.json --public-key-out our-public-key.der \\
      --kdf hkdf --info 'my-protocol v1 AES-256-GCM'`,

    encapsulate: (c, usage) => `Usage: ${usage}

ML-KEM encapsulation for an ENCAPSULATE_DECAPSULATE key: a 32-byte shared secret and the ciphertext that
KMS Decapsulate turns into the same secret. KMS answers a wrong ciphertext with a pseudo-random secret
(implicit rejection): confirm both sides hold the same secret before relying on it.

  --encapsulation-algorithm ALG  ML_KEM (default: the key's only one)
  --out FILE                write the SharedSecretCiphertextBlob there as raw bytes (for fileb://)
  --secret-out FILE         write the shared secret there as raw bytes (instead of printing it)

${tail(c)}

Example:
  npx ${c.PROG} encapsulate --key ${c.S}/ML_KEM_768_ENCAPSULATE_DECAPSULATE.json --out ciphertext.bin`,

    'verify-dsse': (c, usage) => `Usage: ${usage}

Verifies a DSSE envelope (JSON {payload, payloadType, signatures}, as cosign, in-toto and witness write it)
with the key, under KMS's rules: each signature over PAE(payloadType, payload) as a KMS signer must have sent
it (RAW up to 4096 bytes, its digest or ML-DSA mu above; Ed25519 signs RAW only). Exit 0 when a signature by
this key verifies, 1 when none does, 2 for a malformed envelope or one KMS could not have signed.

  ENVELOPE | -              the envelope file (- reads stdin)
  --signing-algorithm ALG   the KMS algorithm that signed (default: the key's only one)
  --ignore-keyid            check every signature, also one whose keyid names another key
  --payload-out FILE        write the payload there when the envelope is valid (otherwise it is printed
                            when it is text of at most 4096 bytes; with --json it is in "Payload", base64)

${tail(c)}

Examples:
  npx ${c.PROG} verify-dsse --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      ${c.S}/ECC_NIST_P256_SIGN_VERIFY.dsse.json                            # exit 0: VALID
  npx ${c.PROG} verify-dsse --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      ${c.S}/ECC_NIST_P256_SIGN_VERIFY.tampered.dsse.json                   # exit 1: INVALID
  # needs your own key and files: a cosign attestation made with an awskms:// key
  npx ${c.PROG} verify-dsse --key key.json attestation.dsse.json --payload-out statement.json`,

    dsse: (c, usage) => `Usage: ${usage}

Builds a DSSE envelope signed by KMS, in two steps. Without a signature it prints the \`aws kms sign\`
command to run: its Message is PAE(payloadType, payload) (MessageType RAW) up to 4096 bytes, its digest
(DIGEST) or ML-DSA mu (EXTERNAL_MU) above. Run the same command again with the signature it printed: the
envelope is assembled, verified with the key, and printed (or written to --out).

  --payload-type TYPE       the payloadType, e.g. application/vnd.in-toto+json
  --payload TEXT            the payload, UTF-8 text
  --payload-file FILE | -   the payload from a file or stdin
  --signing-algorithm ALG   the KMS algorithm (default: the key's only one)
  --signature BASE64        step 2: the Signature \`aws kms sign --query Signature --output text\` printed
  --signature-file FILE | - step 2: the same, from a file (base64 text or raw bytes)
  --keyid ID                the signature's keyid (default empty, as cosign writes; it must name this key)
  --out FILE                write the envelope there

${tail(c)}

Examples:
  npx ${c.PROG} dsse --key ${c.S}/ECC_NIST_P256_SIGN_VERIFY.json --payload-type application/vnd.in-toto+json \\
      --payload-file ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt           # prints the aws kms sign command
  # needs your own KMS key and the AWS CLI: run the printed command, then assemble
  npx ${c.PROG} dsse --key key.json --payload-type application/vnd.in-toto+json \\
      --payload-file statement.json --signature-file dsse.sig.b64 --out envelope.dsse.json`,
    'verify-cert': (c, usage) => `Usage: ${usage}

Verifies an X.509 certificate whose issuer's key is the KMS key (a private CA or code-signing key in KMS), as
KMS Verify would have decided on the Sign request its signer sent: the signatureAlgorithm must be one the key
signs with (RSASSA-PSS with MGF1 over the same hash and a salt as long as it; ecdsa-with-SHA* on the key's
curve; SM2 with the ID 1234567812345678; ML-DSA), and the to-be-signed part is RAW up to 4096 bytes, DIGEST
(ML-DSA: EXTERNAL_MU) above. Prints the subject, issuer, serial, validity, the KMS algorithm and whether the
certificate is for the KMS key itself. Exit 0 valid, 1 invalid, 2 refused (rule) or bad input.

  --in FILE | -             the certificate: PEM, DER or base64 DER

${tail(c)}

Example:
  # needs your own key and certificate: a certificate issued by a KMS CA key
  npx ${c.PROG} verify-cert --key ca-key.json --in issued.pem`,

    'verify-csr': (c, usage) => `Usage: ${usage}

Verifies a PKCS#10 certificate request signed by the KMS key (a CSR for the key itself), with the same rules as
verify-cert. Exit 0 valid, 1 invalid, 2 refused (rule) or bad input.

  --in FILE | -             the CSR: PEM, DER or base64 DER

${tail(c)}

Example:
  # needs your own key and CSR
  npx ${c.PROG} verify-csr --key key.json --in request.csr`,

    'verify-crl': (c, usage) => `Usage: ${usage}

Verifies a CRL signed by the KMS key, with the same rules as verify-cert, and lists the revoked serial numbers.
Exit 0 valid, 1 invalid, 2 refused (rule) or bad input.

  --in FILE | -             the CRL: PEM, DER or base64 DER

${tail(c)}

Example:
  # needs your own key and CRL
  npx ${c.PROG} verify-crl --key ca-key.json --in ca.crl`,
    csr: (c, usage) => `Usage: ${usage}

Builds a PKCS#10 certificate request (CSR) for the KMS key itself and writes what KMS Sign must sign:
DIR/message.bin (the Message: the request's to-be-signed part, RAW up to 4096 bytes, its digest or ML-DSA mu
above) and DIR/pending.json (kept for assemble). Prints the \`aws kms sign\` command to run and the
\`${c.PROG} assemble\` command that makes the PEM from its output.

  --subject DN              RFC 4514 subject, e.g. "CN=signer,O=Example"
  --dns, --email, --uri, --ip NAMES
                            subject alternative names, comma-separated
  --extended-key-usage EKUS serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, OCSPSigning
                            or dotted OIDs, comma-separated
  --signing-algorithm ALG   default: the key's first algorithm X.509 can name
  --out-dir DIR             where message.bin and pending.json go (default: the current folder)

${tail(c)}

Example:
  # needs your own KMS key and the AWS CLI
  npx ${c.PROG} csr --key key.json --subject "CN=release signer,O=Example" --dns signer.example.com`,

    cert: (c, usage) => `Usage: ${usage}

Builds a certificate signed by the KMS key, self-signed (--subject) or issued for someone else's CSR (--issuer-cert,
your CA certificate, or --issuer, its subject, and --csr, whose own signature is checked first), and writes what KMS Sign must
sign as csr does. Extensions: basicConstraints (critical; cA with --ca), keyUsage (keyCertSign and cRLSign for a
CA, digitalSignature otherwise), the subject and authority key identifiers, and the names asked for.

  --subject DN              RFC 4514 subject (for --csr: replaces the CSR's)
  --issuer-cert FILE --csr FILE
                            issue for this CSR (PEM or DER) as the CA of this certificate (PEM or DER, of the KMS
                            key): its subject is copied byte for byte and its key identifier becomes the authority's,
                            so chain builders that compare raw names (Go, PKCS#11) find the CA
  --issuer DN --csr FILE    the same for a CA without a certificate, whose subject is DN (re-encoded as UTF8String)
  --ca                      a CA certificate (basicConstraints cA true)
  --days N                  validity from now (default 365)
  --serial HEX              default: 16 random bytes
  --dns, --email, --uri, --ip, --extended-key-usage, --signing-algorithm, --out-dir
                            as for csr

${tail(c)}

Example:
  # needs your own KMS key and the AWS CLI: a CA certificate of the key, for ten years
  npx ${c.PROG} cert --key ca-key.json --subject "CN=Example KMS CA" --ca --days 3650`,

    assemble: (c, usage) => `Usage: ${usage}

Makes the CSR or certificate from DIR/pending.json and the signature \`aws kms sign\` returned (base64, as
\`--query Signature --output text\` prints it, or raw bytes), after verifying it with the key: a signature of
another key, algorithm or message is KMSInvalidSignatureException (exit 2) and nothing is written. Prints the
PEM, or writes it with --out.

  --pending FILE            the pending.json csr or cert wrote
  --signature BASE64        the signature
  --signature-file FILE | - the signature, base64 text or raw bytes
  --out FILE                write the PEM there and print a summary

${tail(c)}

Example:
  # needs your own KMS key and the files csr or cert wrote
  npx ${c.PROG} assemble --key key.json --pending pending.json --signature-file signature.b64 --out certificate.pem`,

    'encrypt-file': (c, usage) => `Usage: ${usage}

Encrypts a file of any size (streamed: memory stays at a chunk and a frame) into an AWS Encryption SDK message
(format 2, committing suite, framed) whose data key only KMS can recover, and prints how to decrypt it: with any
AWS Encryption SDK (Java, Python with the Material Providers Library, .NET, Rust, Go) and its AWS KMS RSA keyring
(RSA ENCRYPT_DECRYPT keys, KMS Decrypt) or AWS KMS ECDH keyring with KmsPublicKeyDiscovery (ECC_NIST_P256/384/521
KEY_AGREEMENT keys, KMS DeriveSharedSecret). KMS's rules apply first (key usage, the algorithm in the key's list).
A progress line shows on stderr for a large file when stderr is a terminal.

  --in FILE | -                 the plaintext (- reads stdin)
  --out FILE                    where the message goes (written whole or not at all)
  --encryption-context K=V      a pair of the encryption context (repeat for more); keys starting aws-crypto-
                                are the ESDK's own. The decrypting side can require them
  --frame-length N              plaintext bytes per frame, 1 to 2147483647 (default 4096)
  --algorithm-suite SUITE       ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY (RSA's default: the KMS RSA keyring
                                refuses signing suites) or ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
                                (the ESDK default, ECDH's default)
  --encryption-algorithm ALG    RSA keys: RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256 (default SHA-256 when listed);
                                the decrypting RSA keyring must name the same

${tail(c)}

Example:
  npx ${c.PROG} encrypt-file --key ${c.S}/RSA_2048_ENCRYPT_DECRYPT.json \\
      --in ${c.S}/ECC_NIST_P256_SIGN_VERIFY.message.txt --out message.txt.enc --encryption-context purpose=example`,
  },

  /** The framing of what goes to stderr. */
  frame: {
    usageLine: (usage) => `usage: ${usage}`,
    hint: (hint) => `hint: ${hint}`,
    /** The English original under a translated library error (printed in other languages only). */
    original: (text) => `original: ${text}`,
  },

  /** The inputs that messages name (an option such as --message is named as itself). */
  input: {
    x509File: 'certificate, CSR or CRL file',
    key: 'key',
    messageFile: 'message file',
    signatureFile: 'signature file',
    theSignatureFile: 'the signature file',
    plaintextFile: 'plaintext file',
    inFile: 'input file',
    privateKey: 'private key',
    stdin: 'stdin',
    envelope: 'envelope',
    payloadFile: 'payload file',
  },

  /** Usage errors and hints: the CLI's own, never KMS's. */
  say: {
    giveSubject: () => 'give the subject with --subject DN (RFC 4514, e.g. "CN=signer,O=Example")',
    daysMustBe: (value) => `--days must be a whole number of days from 1, not '${value}'`,
    issuerWithCsr: () => 'a certificate for someone else\'s CSR needs --issuer-cert FILE (your CA certificate) or --issuer DN (its subject), and --csr FILE',
    issuerOrIssuerCert: () => 'give the issuer once: --issuer-cert FILE (your CA certificate, its subject copied exactly) or --issuer DN (for a CA without a certificate), not both',
    givePending: () => 'give the pending.json that csr or cert wrote with --pending FILE',
    pendingNotJson: (file, reason) => `--pending '${file}' is not JSON (${reason}): give the pending.json that csr or cert wrote`,
    giveIn: (kind) => `give the ${{ certificate: 'certificate', certificateRequest: 'CSR', crl: 'CRL' }[kind]} with --in FILE (or --in - for stdin)`,
    unknownOption: (option, suggestion) => `unknown option '${option}'` + (suggestion ? `; did you mean ${suggestion}?` : ''),
    optionOfAnotherCommand: (option, cmd, owners, prog) => `${option} is an option of ${owners.map((o) => `${prog} ${o}`).join(', ')}, not of ${prog} ${cmd}`,
    unknownCommand: (cmd, suggestion) => `unknown command '${cmd}'` + (suggestion ? `; did you mean ${suggestion}?` : ''),
    commandsHint: (commands, prog) => `commands: ${commands.join(', ')}; see ${prog} --help`,
    helpHint: (cmd, prog) => `see ${prog} ${cmd} --help`,
    needsValue: (option) => `${option} needs a value`,
    takesNoValue: (option) => `${option} takes no value (it is a switch: give it alone)`,
    badCommandLine: (original) => original,
    langMustBe: (value) => `--lang must be en or ja, not '${value}'`,
    giveKey: () => 'give the key: --key FILE (or - for stdin)',
    giveEnvelope: () => 'give the envelope file (or - for stdin) after the options',
    givePayloadType: () => 'give the payloadType: --payload-type TYPE (e.g. application/vnd.in-toto+json)',
    giveKeyOnce: (option, positional) => `give the key once: --key ${option} or ${positional}`,
    unexpectedArguments: (args) => `unexpected arguments: ${args.join(' ')}`,
    /** The metadata a PEM/DER key lacks, as this CLI's options, for the key type the library detected in it. */
    keyWithoutMetadata: (source, form, spec, choices) =>
      `${source} is a ${form} ${spec} public key, which carries no metadata: give its KeyUsage and algorithm ` +
      'list from the Cryptographic configuration tab in the console, keeping only the algorithms the key lists: ' +
      choices.join(' or '),
    keyWithoutMetadataUndetected: (source, form) =>
      `${source} is a ${form} public key, which carries no metadata: give --key-spec, --key-usage and the key's ` +
      'algorithm list (e.g. --signing-algorithms ECDSA_SHA_256) from its Cryptographic configuration tab in the console',
    jwkWithoutMetadata: (source) => `${source} is a JWK, which carries no KMS metadata: give --key-spec, --key-usage and the key's algorithm list`,
    metadataIsForPemDer: (source) =>
      `--key-spec, --key-usage, --key-id and the algorithm lists are for PEM/DER keys; ${source} is GetPublicKey JSON, which carries its own metadata`,
    giveAlgorithm: (option, listed) =>
      `give --${option}` + (listed.length ? ` (this key lists: ${listed.join(', ')})` : ' (this key lists none: its KeyUsage is for another operation)'),
    giveOneOf: (inline, file) => `give --${inline} or --${file}`,
    notBoth: (inline, file) => `give --${inline} or --${file}, not both`,
    sameOutput: (first, second, file) => `${first} and ${second} name the same file '${file}': give each its own file`,
    oneStdin: (inputs) => `${inputs.join(' and ')} all read stdin (-): only one input can come from stdin`,
    bothStdin: (first, second) => `both ${first} and ${second} read stdin (-): only one input can come from stdin`,
    inputOverLimit: (limit) => `input is over ${limit} bytes`,
    cannotRead: (what, file, code, systemMessage) => `cannot read ${what} '${file}': ${code === 'ENOENT' ? 'no such file' : systemMessage}`,
    isDirectory: (what, file) => `${what} '${file}' is a directory`,
    overWholeLimit: (what, file, size, limit) => `${what} '${file}' is ${size} bytes; this input is passed whole and is read only up to ${limit} bytes`,
    largeFileHint: () => 'for a large file, verify its digest: --message-type DIGEST streams and hashes it',
    notBase64: (what, looksLike) =>
      `${what} is not valid base64${looksLike ? ` (it looks like ${looksLike})` : ''}: canonical standard base64 (RFC 4648 §4, padded with '=') is expected`,
    notHex: (what) => `${what} is not valid hex (an even number of 0-9a-f digits)`,
    unknownEncoding: (encoding, what) => `unknown encoding '${encoding}' for ${what}: use utf8, base64 or hex`,
    hexSignatureHint: () => 'the signature looks like hex: pass --signature-encoding hex',
    digestNeedsEncoding: () => '--message with --message-is-digest is the digest itself: say how it is written with --message-encoding base64 or hex',
    messageEncodingIsForMessage: () => '--message-encoding applies to --message only; a --message-file is read as bytes',
    plaintextEncodingIsForPlaintext: () => '--plaintext-encoding applies to --plaintext only',
    distinguishingIdWhen: () => "--distinguishing-id applies to SM2DSA with --message-type DIGEST hashed here (RAW uses KMS's ID 1234567812345678)",
    kdfMustBe: (kdf) => `--kdf must be hkdf, one-step or none, not '${kdf}'`,
    saltInfoAreForHkdf: () => '--salt and --info are for --kdf hkdf',
    fixedInfoIsForOneStep: () => '--fixed-info is for --kdf one-step',
    hashLengthNeedKdf: () => '--hash and --length are for --kdf hkdf or one-step',
    secretOutNeedsKdf: () => '--secret-out needs --kdf (hkdf, one-step, or none for the raw Z)',
    lengthMustBeNumber: (value) => `--length must be a number of bytes, not '${value}'`,
    giveInFile: () => 'give the file to encrypt: --in FILE (or - for stdin)',
    giveOut: () => 'give where the message goes: --out FILE',
    sameInOut: (file) => `--in and --out are the same file '${file}': give the message its own file`,
    contextPair: (pair) => `--encryption-context takes KEY=VALUE (a key of at least one character), not '${pair}'`,
    contextKeyTwice: (key) => `--encryption-context names the key '${key}' twice: give each key once`,
    frameLengthMustBeNumber: (value) => `--frame-length must be a number of bytes, not '${value}'`,
    cannotLoadLibrary: (file, why) => `cannot load the kms-offline library (${file}): ${why}`,
    buildHint: () => 'in the repository, build it with: bash scripts/build.sh',
    progress: (what, done, total) =>
      total === undefined
        ? `hashing ${what}: ${formatBytes(done)}`
        : `hashing ${what}: ${formatBytes(done)} of ${formatBytes(total)} (${Math.floor((done * 100) / Math.max(total, 1))} %)`,
    progressEncrypt: (what, done, total) =>
      total === undefined
        ? `encrypting ${what}: ${formatBytes(done)}`
        : `encrypting ${what}: ${formatBytes(done)} of ${formatBytes(total)} (${Math.floor((done * 100) / Math.max(total, 1))} %)`,
    /** Why an output file (--out, --secret-out, --public-key-out) cannot be written, from the system's error code. */
    cannotWrite: (what, file, code, folder, example) => {
      const why = {
        ENOENT: `the folder '${folder}' does not exist (create it first, or give another path)`,
        ENOTDIR: `'${folder}' is not a folder (a file has that name)`,
        ENOENT_IN_FOLDER: `the folder '${folder}' does not accept new files`,
        EISDIR: `'${file}' is a folder; give a file name inside it, e.g. '${example}'`,
        EACCES: `permission denied: you may not write in the folder '${folder}' or replace the file`,
        EPERM: `permission denied: the file or the folder '${folder}' may not be written`,
        EROFS: `the folder '${folder}' is on a read-only file system`,
        ENOSPC: 'no space left on the device',
        EDQUOT: 'your disk quota is exceeded',
        ENAMETOOLONG: 'the path is too long',
        ELOOP: 'the path has too many symbolic links (a loop?)',
        DENO_NO_WRITE: 'Deno was not given write permission: run it with --allow-write',
      }[code];
      return `cannot write ${what} '${file}': ${why ?? `the system refused (${code ?? 'unknown error'})`}`;
    },
  },

  /** What the commands print (text mode; --json prints data). */
  result: {
    x509Prepared: (kind, bytes, type, messageFile, pendingFile) => `The ${{ certificate: 'certificate', certificateRequest: 'CSR', crl: 'CRL' }[kind]} is ready for KMS Sign: Message ${bytes} bytes (MessageType ${type}) in ${messageFile}, the rest in ${pendingFile}.`,
    x509SignThen: 'Sign it with KMS, then assemble it (the signature is checked with the key before anything is written):',
    x509Assembled: (kind, file) => `${{ certificate: 'Certificate', certificateRequest: 'CSR', crl: 'CRL' }[kind]} written to ${file} (its signature verifies with this KMS key)`,
    x509Valid: (kind) => `VALID: the ${{ certificate: 'certificate', certificateRequest: 'CSR', crl: 'CRL' }[kind]} was signed by this KMS key`,
    x509Invalid: (kind) => `INVALID: the ${{ certificate: 'certificate', certificateRequest: 'CSR', crl: 'CRL' }[kind]}'s signature does not verify with this KMS key`,
    yes: 'yes',
    no: 'no',
    sampleBanner: (sample) => `*** ${sample} ***`,
    noneGiven: '(none given)',
    loadedKey: (form, source) => `KMS public key (${form} from ${source})`,
    label: {
      Subject: 'Subject',
      Issuer: 'Issuer',
      SerialNumber: 'Serial',
      Validity: 'Validity',
      Updates: 'This/next update',
      Revoked: 'Revoked',
      CertifiesThisKey: 'For this key',
      KeyId: 'KeyId',
      Partition: 'Partition',
      Region: 'Region',
      Account: 'Account',
      Alias: 'Alias',
      KeyIdOfArn: 'Key ID',
      KeySpec: 'KeySpec',
      KeyUsage: 'KeyUsage',
      Algorithms: 'Algorithms',
      Fingerprint: 'Fingerprint',
      Algorithm: 'Algorithm',
      MessageType: 'MessageType',
      PayloadType: 'payloadType',
      Signature: 'Signature',
    },
    fingerprintOf: (hex) => `${hex}  (SHA-256 of the DER SPKI)`,
    outsideKms: 'Outside KMS (AWS, "Special considerations for downloading public keys"):',
    valid: 'VALID: the signature verifies (KMS Verify: SignatureValid true)',
    invalid: 'INVALID: the signature does not verify',
    hashedHere: (type, bytes, digest) => `${type} (hashed here: ${bytes} bytes -> ${digest})`,
    muHere: (type, bytes, mu) => `${type} (mu computed here from ${bytes} bytes: ${mu})`,
    messageBytes: (type, bytes) => `${type} (${bytes} bytes)`,
    ciphertext: (alg, bytes, plaintextBytes) => `CiphertextBlob (${alg}, ${bytes} bytes from ${plaintextBytes} bytes of plaintext), base64:`,
    writtenRaw: (file) => `(written to ${file} as raw bytes)`,
    written: (file) => `(written to ${file})`,
    onlyKmsOpens: 'Only KMS can open it:',
    ourPublicKey: 'PublicKey (yours, DER SPKI, what KMS DeriveSharedSecret takes), base64:',
    kmsComputesZ: 'KMS computes the same shared secret Z with:',
    secretNotShown: 'Secret not shown: choose a KDF with --kdf hkdf or --kdf one-step (or --kdf none for the raw Z, only to compare with KMS).',
    kdfLabel: { hkdf: (hash) => `HKDF-${hash}`, oneStep: (hash) => `one-step KDF (SP 800-56C) ${hash}`, none: () => 'none: raw Z, to compare with KMS only, never a key' },
    secretName: { none: 'SharedSecret Z', derived: 'Derived key' },
    secretWritten: (name, label, bytes, file) => `${name} (${label}, ${bytes} bytes) written to ${file}`,
    secretHex: (name, label, bytes) => `${name} (${label}, ${bytes} bytes), hex:`,
    encapsulated: (bytes) => `SharedSecretCiphertextBlob (${bytes} bytes), base64:`,
    sharedSecretWritten: (bytes, file) => `SharedSecret (${bytes} bytes) written to ${file}`,
    sharedSecretHex: (bytes) => `SharedSecret (${bytes} bytes), hex:`,
    kmsDecapsulates: 'KMS Decapsulate returns the same secret with:',
    implicitRejection: 'A wrong ciphertext gives a pseudo-random secret (implicit rejection): confirm both sides hold the same secret.',
    dsseValid: 'VALID: a signature by this key verifies over this payloadType and payload',
    dsseInvalid: 'INVALID: no signature in the envelope was made by this key over this payloadType and payload',
    paeAs: (type, bytes) => `${type} (PAE of ${bytes} bytes)`,
    dsseSignature: (i, keyid, match, status) => `[${i}] ${status}` + (keyid === undefined ? ' (no keyid)' : ` (keyid ${keyid}: ${match})`),
    payloadFollows: (bytes) => `payload (${bytes} bytes):`,
    payloadNotShown: (bytes) => `payload: ${bytes} bytes, not shown (binary or over 4096 bytes): write it with --payload-out FILE`,
    dsseSignFirst: (type, alg, bytes) => `Sign with KMS (${alg}, MessageType ${type}, for ${bytes} bytes of payload), then assemble with its signature:`,
    dsseNotAssembled: 'NOT ASSEMBLED: the signature does not verify over this payloadType and payload with this key',
    dsseWritten: (file) => `DSSE envelope written to ${file}`,
    messageWritten: (file, bytes, plaintextBytes, suite) => `AWS Encryption SDK message written to ${file} (${bytes} bytes from ${plaintextBytes} bytes of plaintext, ${suite})`,
    decryptWithRsaKeyring: (keyId, algorithm, file) => `Decrypt it with an AWS Encryption SDK and its AWS KMS RSA keyring for ${keyId}, EncryptionAlgorithm
${algorithm}, and a KMS client allowed kms:Decrypt on that key. aws-encryption-cli cannot: it takes symmetric KMS
keys only. In Python (pip install aws-encryption-sdk aws-cryptographic-material-providers boto3):
  import aws_encryption_sdk, boto3
  from aws_cryptographic_material_providers.mpl import AwsCryptographicMaterialProviders
  from aws_cryptographic_material_providers.mpl.config import MaterialProvidersConfig
  from aws_cryptographic_material_providers.mpl.models import CreateAwsKmsRsaKeyringInput
  keyring = AwsCryptographicMaterialProviders(config=MaterialProvidersConfig()).create_aws_kms_rsa_keyring(
      input=CreateAwsKmsRsaKeyringInput(kms_key_id="${keyId}", encryption_algorithm="${algorithm}",
                                  kms_client=boto3.client("kms", region_name="${regionOf(keyId)}")))
  plaintext, _ = aws_encryption_sdk.EncryptionSDKClient().decrypt(source=open(${JSON.stringify(file)}, "rb").read(), keyring=keyring)`,
    decryptWithEcdhKeyring: (keyId, curve, file) => `Decrypt it with an AWS Encryption SDK and its AWS KMS ECDH keyring, KeyAgreementScheme
KmsPublicKeyDiscovery with RecipientKmsIdentifier ${keyId}, curve ${curve}, and a KMS client allowed
kms:GetPublicKey and kms:DeriveSharedSecret on that key. aws-encryption-cli cannot: it takes symmetric KMS keys
only. In Python (pip install aws-encryption-sdk aws-cryptographic-material-providers boto3):
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

  /** The protections that do not exist outside KMS, shown by inspect: [topic, text]. */
  caveat: {
    authorization: ['Authorization', 'key policies and IAM have no effect outside KMS: anyone who has this public key can use it.'],
    usage: (keyUsage) => ['Usage and algorithms', `KMS cannot enforce KeyUsage ${keyUsage} or the algorithm list outside KMS; only this tool does.`],
    encryptedElsewhere: ' Data encrypted another way can never be decrypted by KMS.',
    notForEncryption: ' Data encrypted with this key can never be decrypted: it is not an encryption key.',
    disable: ['Disable and delete', 'disabling or deleting the KMS key does not reach this public key, and its key state is invisible offline.'],
    deletedKeyData: ' Data encrypted for a deleted key is unrecoverable.',
    logging: ['Logging', 'CloudTrail records nothing done with the public key outside KMS.'],
    sm2Signing: ['SM2', 'offline verification needs the distinguishing ID; KMS uses 1234567812345678 (this tool too, for RAW).'],
    sm2: ['SM2', 'SM2 keys exist only in the China Regions; SM2 signature verification needs the distinguishing ID (KMS: 1234567812345678).'],
    sharedSecret: ['Shared secret', 'the raw ECDH secret is not a key: derive one with HKDF or the one-step KDF.'],
    implicitRejection: ['Implicit rejection', 'KMS Decapsulate returns a pseudo-random secret for a wrong ciphertext: confirm both sides hold the same secret.'],
  },
};
