#!/usr/bin/env node
// kms-offline: the command line. Node 20+ (`npx kms-offline ...`) and Deno (`deno run -A .../bin/kms-offline.mjs ...`).
//
// Every KMS decision is the library's: this file reads inputs, calls KmsPublicKey / MessageDigest, and prints
// what they return or the KMS exception they throw. Exit codes: 0 valid / done, 1 signature invalid,
// 2 rule violation (a KMS exception) or bad input.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { parseArgs } from 'node:util';

const VERSION = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const PROG = 'kms-offline';
const CHUNK = 256 * 1024; // read size for streamed files: bounded memory whatever the file size
const WHOLE_FILE_LIMIT = 64 * 1024 * 1024; // inputs passed whole (RAW message, plaintext, EXTERNAL_MU) are read up to this size

// ---------------------------------------------------------------------------------------------------------
// Errors and exit codes

const EXIT = { OK: 0, INVALID: 1, ERROR: 2 };

/** Bad command line or unreadable input (not a KMS rule): exit 2. */
class UsageError extends Error {
  constructor(message, hint) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** A required option is missing: a UsageError that also prints the command's usage line. */
class MissingOptionError extends UsageError {}

const KMS_EXCEPTIONS = new Set([
  'ValidationException',
  'InvalidKeyUsageException',
  'UnsupportedOperationException',
  'InvalidArnException',
  'KMSInvalidSignatureException',
  'InvalidCiphertextException',
  'KMSInternalException',
]);

// ---------------------------------------------------------------------------------------------------------
// Sentences the CLI says in its own name (errors that are not KMS's, the usage lines, the progress line), kept
// together so a translation replaces this section. KMS exceptions are the library's and are printed unchanged.

const MiB = 1024 * 1024;

/** 1536 -> "1.5 KiB", 536870912 -> "512 MiB", 1288490189 -> "1.2 GiB". */
function formatBytes(n) {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

const SAY = {
  unknownOption: (option, suggestion) => `unknown option '${option}'` + (suggestion ? `; did you mean ${suggestion}?` : ''),
  optionOfAnotherCommand: (option, cmd, owners) => `${option} is an option of ${owners.map((c) => `${PROG} ${c}`).join(', ')}, not of ${PROG} ${cmd}`,
  unknownCommand: (cmd, suggestion) => `unknown command '${cmd}'` + (suggestion ? `; did you mean ${suggestion}?` : ''),
  commandsHint: () => `commands: ${Object.keys(COMMANDS).join(', ')}; see ${PROG} --help`,
  helpHint: (cmd) => `see ${PROG} ${cmd} --help`,
  usageLine: (usage) => `usage: ${usage}`,
  needsValue: (option) => `${option} needs a value`,
  takesNoValue: (option) => `${option} takes no value (it is a switch: give it alone)`,
  giveKey: () => 'give the key: --key FILE (or - for stdin)',
  /** The metadata a PEM/DER key lacks, as this CLI's options, for the key type the library detected in it. */
  keyWithoutMetadata: (source, form, detected) =>
    `${source} is a ${form} ${detected.KeySpec} public key, which carries no metadata: give its KeyUsage and algorithm ` +
    'list from the Cryptographic configuration tab in the console, keeping only the algorithms the key lists: ' +
    detected.KeyUsages.map((usage) => {
      const member = ALGORITHM_LIST_OF_USAGE[usage];
      return `--key-spec ${detected.KeySpec} --key-usage ${usage}` + (detected[member] ? ` --${optionOf(member)} ${detected[member].join(',')}` : '');
    }).join(' or '),
  keyWithoutMetadataUndetected: (source, form) =>
    `${source} is a ${form} public key, which carries no metadata: give --key-spec, --key-usage and the key's ` +
    'algorithm list (e.g. --signing-algorithms ECDSA_SHA_256) from its Cryptographic configuration tab in the console',
  giveOneOf: (inline, file) => `give --${inline} or --${file}`,
  sameOutput: (first, second, file) => `${first} and ${second} name the same file '${file}': give each its own file`,
  progress: (what, done, total) =>
    total === undefined ? `hashing ${what}: ${formatBytes(done)}` : `hashing ${what}: ${formatBytes(done)} of ${formatBytes(total)} (${Math.floor((done * 100) / Math.max(total, 1))} %)`,
  /** Why an output file (--out, --secret-out, --public-key-out) cannot be written, from the system's error code. */
  cannotWrite: (what, file, code, folder) => {
    const why = {
      ENOENT: `the folder '${folder}' does not exist (create it first, or give another path)`,
      ENOTDIR: `'${folder}' is not a folder (a file has that name)`,
      ENOENT_IN_FOLDER: `the folder '${folder}' does not accept new files`,
      EISDIR: `'${file}' is a folder; give a file name inside it, e.g. '${joinPath(file, 'out.bin')}'`,
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
};

const joinPath = (dir, name) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

// ---------------------------------------------------------------------------------------------------------
// Help

// Every example runs as printed from the folder of a project where `npm i kms-offline` was run: the sample
// files ship in the package (samples/, copied from www/samples by scripts/build.sh). An example that needs the
// user's own key or files, or the AWS CLI, says so in a comment that begins `# needs your own`
// (tests/cli/examples.test.mjs runs every other example and checks the exit code that its `# exit N` says, 0
// when it says none).
const S = 'node_modules/kms-offline/samples';

const EXAMPLES_NOTE = `The examples run as printed in a project where you ran \`npm i kms-offline\`: the SAMPLE test keys
they use (not real KMS keys) ship in the package, in ${S}.`;

const USAGE = {
  main: `${PROG} <command> [options]`,
  inspect: `${PROG} inspect [--key] FILE|- [--pem] [--json]`,
  verify: `${PROG} verify --key FILE (--message TEXT | --message-file FILE|-)
                          (--signature BASE64 | --signature-file FILE|-) [--signing-algorithm ALG] [options]`,
  encrypt: `${PROG} encrypt --key FILE (--plaintext TEXT | --plaintext-file FILE|-) [--encryption-algorithm ALG]
                          [--out FILE] [options]`,
  derive: `${PROG} derive --key FILE [--private-key FILE] [--kdf hkdf|one-step|none] [options]`,
  encapsulate: `${PROG} encapsulate --key FILE [--out FILE] [--secret-out FILE] [--json]`,
};

const KEY_HELP = `Key (every command):
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

const COMMON_HELP = `Output:
  --json                    machine-readable JSON on stdout (errors too: {"Error": {"Name", "Message"}})
  -h, --help                this help
  -V, --version             the version

Exit codes: 0 valid / done, 1 signature invalid, 2 rule violation or bad input (the KMS exception
name and the rule on stderr).`;

const HELP = {
  main: `${PROG} ${VERSION}: use an AWS KMS public key offline, with KMS's rules and KMS's exception names.

Usage: ${USAGE.main}

Commands:
  inspect       show the key card: KeySpec, KeyUsage, algorithms, ARN parts, SPKI fingerprint, offline caveats
  verify        verify a signature made by KMS Sign (RAW, DIGEST of a file of any size, EXTERNAL_MU)
  encrypt       encrypt for KMS Decrypt, and print the aws kms decrypt command that opens it
  derive        ECDH with a KEY_AGREEMENT key, matching KMS DeriveSharedSecret, then a KDF
  encapsulate   ML-KEM encapsulation for KMS Decapsulate

Run \`${PROG} <command> --help\` for the options and an example of each. \`${PROG} -V\` prints the version.

${EXAMPLES_NOTE}

Examples:
  npx ${PROG} inspect ${S}/ECC_NIST_P256_SIGN_VERIFY.json
  npx ${PROG} verify --key ${S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64

Exit codes: 0 valid / done, 1 signature invalid, 2 rule violation or bad input.`,

  inspect: `Usage: ${USAGE.inspect}

Loads the key (KMS's load-time rules apply: the SPKI must be the KeySpec's key, the usage and algorithms
must be valid for the spec, a KeyId ARN must be a valid KMS ARN) and prints its key card and the
protections that do not exist outside KMS.

  --pem                     also print the public key as PEM

${KEY_HELP}

${COMMON_HELP}

${EXAMPLES_NOTE}

Examples:
  npx ${PROG} inspect ${S}/RSA_2048_ENCRYPT_DECRYPT.json
  # a PEM key (the console's Download) with the metadata from its Cryptographic configuration tab:
  npx ${PROG} inspect --key ${S}/ECC_NIST_P256_SIGN_VERIFY.pem --key-spec ECC_NIST_P256 \\
      --key-usage SIGN_VERIFY --signing-algorithms ECDSA_SHA_256 \\
      --key-id arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
  # needs your own KMS key and the AWS CLI: the key straight from KMS
  aws kms get-public-key --key-id alias/my-key --output json | npx ${PROG} inspect -`,

  verify: `Usage: ${USAGE.verify}

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

${KEY_HELP}

${COMMON_HELP}

${EXAMPLES_NOTE}

Examples:
  npx ${PROG} verify --key ${S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64                # exit 0: VALID
  npx ${PROG} verify --key ${S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --message-file ${S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${S}/ECC_NIST_P256_SIGN_VERIFY.tampered.sig.b64       # exit 1: INVALID
  # DIGEST: the file is hashed here (SHA-256, streamed), as KMS signed it with --message-type DIGEST:
  npx ${PROG} verify --key ${S}/ECC_NIST_P256_SIGN_VERIFY.json \\
      --signing-algorithm ECDSA_SHA_256 --message-type DIGEST \\
      --message-file ${S}/ECC_NIST_P256_SIGN_VERIFY.message.txt \\
      --signature-file ${S}/ECC_NIST_P256_SIGN_VERIFY.sig.b64                # exit 0: VALID
  # needs your own key and files: a release of any size that KMS signed as its SHA-256 digest
  npx ${PROG} verify --key key.json --signing-algorithm ECDSA_SHA_256 --message-type DIGEST \\
      --message-file release.tar.gz --signature-file release.sig`,

  encrypt: `Usage: ${USAGE.encrypt}

Encrypts for KMS Decrypt (RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE), refusing what KMS would refuse
(a key whose usage is not ENCRYPT_DECRYPT, an algorithm the key does not list, a plaintext over the limit),
and prints the aws kms decrypt command that opens the ciphertext.

  --encryption-algorithm ALG  e.g. RSAES_OAEP_SHA_256 (default: the key's only one)
  --plaintext TEXT            the plaintext, UTF-8 text (see --plaintext-encoding)
  --plaintext-file FILE | -   the plaintext from a file or stdin
  --plaintext-encoding ENC    how --plaintext is written: utf8 (default), base64 or hex
  --out FILE                  write the CiphertextBlob there as raw bytes (for fileb://)

${KEY_HELP}

${COMMON_HELP}

${EXAMPLES_NOTE}

Example:
  npx ${PROG} encrypt --key ${S}/RSA_2048_ENCRYPT_DECRYPT.json \\
      --encryption-algorithm RSAES_OAEP_SHA_256 --plaintext 'hello KMS' --out ciphertext.bin`,

  derive: `Usage: ${USAGE.derive}

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

${KEY_HELP}

${COMMON_HELP}

${EXAMPLES_NOTE}

Example:
  npx ${PROG} derive --key ${S}/ECC_NIST_P256_KEY_AGREEMENT.json --public-key-out our-public-key.der \\
      --kdf hkdf --info 'my-protocol v1 AES-256-GCM'`,

  encapsulate: `Usage: ${USAGE.encapsulate}

ML-KEM encapsulation for an ENCAPSULATE_DECAPSULATE key: a 32-byte shared secret and the ciphertext that
KMS Decapsulate turns into the same secret. KMS answers a wrong ciphertext with a pseudo-random secret
(implicit rejection): confirm both sides hold the same secret before relying on it.

  --encapsulation-algorithm ALG  ML_KEM (default: the key's only one)
  --out FILE                write the SharedSecretCiphertextBlob there as raw bytes (for fileb://)
  --secret-out FILE         write the shared secret there as raw bytes (instead of printing it)

${KEY_HELP}

${COMMON_HELP}

${EXAMPLES_NOTE}

Example:
  npx ${PROG} encapsulate --key ${S}/ML_KEM_768_ENCAPSULATE_DECAPSULATE.json --out ciphertext.bin`,
};

// ---------------------------------------------------------------------------------------------------------
// Options

const KEY_OPTIONS = {
  key: { type: 'string' },
  'key-spec': { type: 'string' },
  'key-usage': { type: 'string' },
  'key-id': { type: 'string' },
  'signing-algorithms': { type: 'string' },
  'encryption-algorithms': { type: 'string' },
  'key-agreement-algorithms': { type: 'string' },
  'encapsulation-algorithms': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

const OPTIONS = {
  inspect: { pem: { type: 'boolean' } },
  verify: {
    'signing-algorithm': { type: 'string' },
    'message-type': { type: 'string' },
    message: { type: 'string' },
    'message-file': { type: 'string' },
    'message-encoding': { type: 'string' },
    'message-is-digest': { type: 'boolean' },
    signature: { type: 'string' },
    'signature-file': { type: 'string' },
    'signature-encoding': { type: 'string' },
    'signature-format': { type: 'string' },
    'distinguishing-id': { type: 'string' },
  },
  encrypt: {
    'encryption-algorithm': { type: 'string' },
    plaintext: { type: 'string' },
    'plaintext-file': { type: 'string' },
    'plaintext-encoding': { type: 'string' },
    out: { type: 'string' },
  },
  derive: {
    'key-agreement-algorithm': { type: 'string' },
    'private-key': { type: 'string' },
    'public-key-out': { type: 'string' },
    kdf: { type: 'string' },
    hash: { type: 'string' },
    length: { type: 'string' },
    salt: { type: 'string' },
    info: { type: 'string' },
    'fixed-info': { type: 'string' },
    'secret-out': { type: 'string' },
  },
  encapsulate: {
    'encapsulation-algorithm': { type: 'string' },
    out: { type: 'string' },
    'secret-out': { type: 'string' },
  },
};

// ---------------------------------------------------------------------------------------------------------
// Bytes and text

const u8 = (buf) => new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

/** Only hex digits, an even number of them: a string someone may have meant as hex. */
const looksHex = (s) => /^([0-9a-fA-F]{2})+$/.test(s.replace(/\s+/g, ''));

function decodeText(value, encoding, what) {
  const enc = (encoding ?? 'utf8').toLowerCase();
  if (enc === 'utf8' || enc === 'utf-8' || enc === 'text') return Buffer.from(value, 'utf8');
  if (enc === 'base64') {
    // Canonical standard base64 only (padding, zero pad bits), as the library reads it: Buffer's lenient
    // decoder would read base64url, missing padding or stray bits as some other bytes.
    const s = value.replace(/\s+/g, '');
    const bytes = Buffer.from(s, 'base64');
    if (s === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || bytes.toString('base64') !== s) {
      const like = /[-_]/.test(s) ? ' (it looks like base64url)' : looksHex(s) ? ' (it looks like hex)' : '';
      throw new UsageError(`${what} is not valid base64${like}: canonical standard base64 (RFC 4648 §4, padded with '=') is expected`);
    }
    return bytes;
  }
  if (enc === 'hex') {
    const s = value.replace(/[\s:]+/g, '').replace(/^0x/i, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new UsageError(`${what} is not valid hex (an even number of 0-9a-f digits)`);
    return Buffer.from(s, 'hex');
  }
  throw new UsageError(`unknown encoding '${encoding}' for ${what}: use utf8, base64 or hex`);
}

const HEX_SIGNATURE_HINT = 'the signature looks like hex: pass --signature-encoding hex';

/** A base64 signature, kept as text for the library (which checks it is base64 of the key's signature size). */
function signatureText(text, what) {
  try {
    decodeText(text, 'base64', what);
  } catch (e) {
    if (looksHex(text)) e.hint = HEX_SIGNATURE_HINT;
    throw e;
  }
  return text;
}

/** KDF parameters: text, or hex:<hex>, or base64:<base64>. */
function decodePrefixed(value, what) {
  if (value === undefined) return undefined;
  const m = /^(hex|base64):(.*)$/s.exec(value);
  return m ? decodeText(m[2], m[1], what) : Buffer.from(value, 'utf8');
}

function isBase64Text(buf) {
  const s = buf.toString('latin1').trim();
  return s.length > 0 && /^[A-Za-z0-9+/\r\n]+={0,2}$/.test(s);
}

function utf8OrNull(buf) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Progress of a long hash, on stderr: only on a terminal, never with --json or when stderr is piped (a script
// reading stderr must not get carriage returns). Updated in place with \r, and erased when done.

const PROGRESS_MIN_BYTES = 32 * MiB; // smaller inputs hash in well under a second
const PROGRESS_EVERY_MS = 200;

function stderrIsTerminal() {
  try {
    if (typeof globalThis.Deno?.stderr?.isTerminal === 'function') return globalThis.Deno.stderr.isTerminal();
  } catch {
    /* fall back to Node's flag */
  }
  return process.stderr.isTTY === true;
}

/**
 * A progress line for hashing `total` bytes (undefined: unknown, e.g. stdin) of `what`, or a silent one when it
 * must not show. update(done) redraws it at most every PROGRESS_EVERY_MS; end() erases it.
 */
function progressLine(what, total, json) {
  const silent = { update() {}, end() {} };
  if (json || !stderrIsTerminal() || (total !== undefined && total < PROGRESS_MIN_BYTES)) return silent;
  let shownLength = 0;
  let last = 0;
  return {
    update(done) {
      const now = Date.now();
      if (done < PROGRESS_MIN_BYTES && total === undefined) return;
      if (shownLength && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const text = SAY.progress(what, done, total);
      process.stderr.write(`\r${text.padEnd(shownLength)}`);
      shownLength = text.length;
    },
    end() {
      if (shownLength) process.stderr.write(`\r${' '.repeat(shownLength)}\r`);
      shownLength = 0;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Inputs: files, stdin (at most one input may be `-`)

let stdinTaken = null;
function takeStdin(what) {
  if (stdinTaken) throw new UsageError(`both ${stdinTaken} and ${what} read stdin (-): only one input can come from stdin`);
  stdinTaken = what;
}

async function readAll(stream) {
  const parts = [];
  let size = 0;
  for await (const chunk of stream) {
    parts.push(chunk);
    size += chunk.length;
    if (size > WHOLE_FILE_LIMIT) throw new UsageError(`input is over ${WHOLE_FILE_LIMIT} bytes`);
  }
  return Buffer.concat(parts.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
}

/** Reads a whole file (or stdin for `-`). `what` names the option in messages. */
async function readWhole(file, what, hint) {
  if (file === '-') {
    takeStdin(what);
    return readAll(process.stdin);
  }
  let st;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${what} '${file}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  if (st.isDirectory()) throw new UsageError(`${what} '${file}' is a directory`);
  if (st.size > WHOLE_FILE_LIMIT) {
    throw new UsageError(`${what} '${file}' is ${st.size} bytes; this input is passed whole and is read only up to ${WHOLE_FILE_LIMIT} bytes`, hint);
  }
  return fs.readFileSync(file);
}

/** The size of a regular file, or undefined (stdin, a pipe, a missing file: chunksOf reports that). */
function fileSize(file) {
  const st = statOrNull(file);
  return st?.isFile() ? st.size : undefined;
}

/**
 * The chunks of a file (or stdin), for inputs hashed chunk by chunk. A file is read into one reused buffer, so
 * memory stays at one chunk whatever the file size (a stream would allocate a new buffer per chunk and leave
 * them to the garbage collector). Each chunk is valid until the next one is read.
 */
async function* chunksOf(file, what) {
  if (file === '-') {
    takeStdin(what);
    yield* stdinChunks();
    return;
  }
  let fh;
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${what} '${file}' is a directory`);
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${what} '${file}': ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Stdin in chunks, read into one reused buffer (a process.stdin stream allocates a buffer per chunk, and a fast
 * pipe outruns the garbage collector): read(2) on fd 0 in Node, Deno.stdin.read in Deno; the stream otherwise.
 */
async function* stdinChunks() {
  const readFd = (buf) =>
    new Promise((resolve, reject) => fs.read(0, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
  if (typeof globalThis.Deno === 'undefined') {
    const buf = Buffer.allocUnsafe(CHUNK);
    let first = true;
    for (;;) {
      let n;
      try {
        n = await readFd(buf);
      } catch (e) {
        if (e.code === 'EAGAIN') {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        if (!first) throw e;
        break; // fall back to the stream below
      }
      first = false;
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  }
  if (typeof globalThis.Deno !== 'undefined' && globalThis.Deno.stdin && typeof globalThis.Deno.stdin.read === 'function') {
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const n = await globalThis.Deno.stdin.read(buf);
      if (n === null) return;
      yield buf.subarray(0, n);
    }
  }
  for await (const chunk of process.stdin) yield chunk;
}

// Output files (--out, --secret-out, --public-key-out). They are checked before any work, so a bad path costs
// nothing and no file is half-done (derive and encapsulate write two); a write that still fails says why in the
// CLI's words, not the system's `ENOENT: no such file or directory, open ...`.
const OUTPUT_OPTIONS = ['out', 'secret-out', 'public-key-out'];

/** The system error code of a failed write; Deno's own permission error (no --allow-write) has none. */
function writeErrorCode(e) {
  if (e && (e.name === 'NotCapable' || (e.name === 'PermissionDenied' && /--allow-write/.test(e.message)))) return 'DENO_NO_WRITE';
  return e?.code;
}

/** fs.statSync, or null when the path cannot be stat'ed (missing, or a file in the way: ENOTDIR). */
function statOrNull(p) {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** The first folder along `folder` that is a file (the cause of ENOTDIR), or `folder` itself. */
function fileInTheWay(folder) {
  const chain = [];
  for (let p = folder; ; p = path.dirname(p)) {
    chain.unshift(p);
    if (path.dirname(p) === p) break;
  }
  return chain.find((p) => statOrNull(p)?.isDirectory() === false) ?? folder;
}

function cannotWrite(what, file, code) {
  const folder = path.dirname(file);
  // ENOENT from open(2) when the folder exists: a file system that refuses new files there (/proc)
  if (code === 'ENOENT' && statOrNull(folder)?.isDirectory()) code = 'ENOENT_IN_FOLDER';
  return new UsageError(SAY.cannotWrite(what, file, code, code === 'ENOTDIR' ? fileInTheWay(folder) : folder));
}

/** Refuses, before any work, an output path that cannot be written: no folder, a folder as the file, no permission. */
function checkOutputs(values) {
  const given = OUTPUT_OPTIONS.filter((o) => values[o] !== undefined);
  for (const option of given) {
    const file = values[option];
    const what = `--${option}`;
    const twin = given.find((o) => o !== option && path.resolve(values[o]) === path.resolve(file));
    if (twin) throw new UsageError(SAY.sameOutput(what, `--${twin}`, file));
    const folder = path.dirname(file);
    const folderStat = statOrNull(folder);
    if (!folderStat) throw cannotWrite(what, file, statOrNull(fileInTheWay(folder))?.isFile() ? 'ENOTDIR' : 'ENOENT');
    if (!folderStat.isDirectory()) throw cannotWrite(what, file, 'ENOTDIR');
    const fileStat = statOrNull(file);
    if (fileStat?.isDirectory() || file.endsWith('/')) throw cannotWrite(what, file, 'EISDIR');
    try {
      fs.accessSync(fileStat ? file : folder, fs.constants.W_OK);
    } catch (e) {
      throw cannotWrite(what, file, writeErrorCode(e));
    }
  }
}

function writeOut(file, bytes, what) {
  try {
    fs.writeFileSync(file, bytes);
  } catch (e) {
    throw cannotWrite(what, file, writeErrorCode(e));
  }
}

/** One of an inline value and a file option; exactly one is required unless optional. */
function oneOf(values, inline, file, { optional = false } = {}) {
  if (values[inline] !== undefined && values[file] !== undefined) throw new UsageError(`give --${inline} or --${file}, not both`);
  if (!optional && values[inline] === undefined && values[file] === undefined) throw new MissingOptionError(SAY.giveOneOf(inline, file));
}

// ---------------------------------------------------------------------------------------------------------
// The key

const list = (s) => (s === undefined ? undefined : s.split(/[\s,]+/).filter(Boolean));
/** GetPublicKey's algorithm list member for each KeyUsage. */
const ALGORITHM_LIST_OF_USAGE = {
  SIGN_VERIFY: 'SigningAlgorithms',
  ENCRYPT_DECRYPT: 'EncryptionAlgorithms',
  KEY_AGREEMENT: 'KeyAgreementAlgorithms',
  ENCAPSULATE_DECAPSULATE: 'EncapsulationAlgorithms',
};
/** The CLI option of a GetPublicKey member: SigningAlgorithms -> signing-algorithms. */
const optionOf = (member) => member.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase());

function metadataFrom(values) {
  const m = {
    KeySpec: values['key-spec'],
    KeyUsage: values['key-usage'],
    KeyId: values['key-id'],
  };
  for (const member of Object.values(ALGORITHM_LIST_OF_USAGE)) m[member] = list(values[optionOf(member)]);
  for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
  return m;
}

async function loadKey(lib, values, positionals) {
  if (values.key !== undefined && positionals.length) throw new UsageError(`give the key once: --key ${values.key} or ${positionals[0]}`);
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const file = values.key ?? positionals[0];
  if (file === undefined) throw new MissingOptionError(SAY.giveKey());
  const bytes = await readWhole(file, 'key');
  const meta = metadataFrom(values);
  const text = utf8OrNull(bytes);
  const source = file === '-' ? 'stdin' : file;
  let parsed;
  if (text !== null && text.trim().startsWith('{')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      /* the library reports bad JSON with its own message */
    }
  }
  if (parsed && typeof parsed === 'object' && typeof parsed.kty === 'string' && !('PublicKey' in parsed)) {
    try {
      return { key: lib.KmsPublicKey.fromJwk(text, meta), form: 'JWK', source };
    } catch (e) {
      if (!Object.keys(meta).length && e && e.name === 'ValidationException') {
        e.hint = `${source} is a JWK, which carries no KMS metadata: give --key-spec, --key-usage and the key's algorithm list`;
      }
      throw e;
    }
  }
  if (text !== null && text.trim().startsWith('{')) {
    if (Object.keys(meta).length) {
      throw new UsageError(
        `--key-spec, --key-usage, --key-id and the algorithm lists are for PEM/DER keys; ${source} is GetPublicKey JSON, which carries its own metadata`,
      );
    }
    const sample = parsed && typeof parsed.Sample === 'string' ? parsed.Sample : undefined;
    return { key: lib.KmsPublicKey.fromGetPublicKey(text), form: 'GetPublicKey JSON', sample, source };
  }
  let input = bytes;
  let form = 'DER';
  if (text !== null && text.includes('-----BEGIN')) {
    input = text;
    form = 'PEM';
  } else if (isBase64Text(bytes)) {
    input = text.trim();
    form = 'base64 DER';
  }
  try {
    return { key: lib.KmsPublicKey.fromPublicKey(typeof input === 'string' ? input : u8(input), meta), form, source };
  } catch (e) {
    // Only for a public key that lacks its metadata: text or bytes that are no public key say so themselves.
    if (!Object.keys(meta).length && e && e.name === 'ValidationException' && !/^PublicKey is not a public key/.test(e.message)) {
      let detected;
      try {
        detected = lib.KmsPublicKey.detectKeySpec(typeof input === 'string' ? input : u8(input));
      } catch {
        detected = undefined;
      }
      e.hint = detected ? SAY.keyWithoutMetadata(source, form, detected) : SAY.keyWithoutMetadataUndetected(source, form);
    }
    throw e;
  }
}

/** The algorithm option, or the key's only algorithm of that kind. */
function algorithmOf(values, option, listed) {
  if (values[option] !== undefined) return values[option];
  if (listed.length === 1) return listed[0];
  throw new MissingOptionError(
    `give --${option}` + (listed.length ? ` (this key lists: ${listed.join(', ')})` : ' (this key lists none: its KeyUsage is for another operation)'),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Output helpers

function shq(s) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`;
}

function row(out, label, value) {
  out.push(`  ${label.padEnd(14)} ${value}`);
}

function caveats(key) {
  const c = [
    ['Authorization', 'key policies and IAM have no effect outside KMS: anyone who has this public key can use it.'],
    [
      'Usage and algorithms',
      `KMS cannot enforce KeyUsage ${key.keyUsage} or the algorithm list outside KMS; only this tool does.` +
        (key.keyUsage === 'ENCRYPT_DECRYPT' || key.keyUsage === 'ENCAPSULATE_DECAPSULATE'
          ? ' Data encrypted another way can never be decrypted by KMS.'
          : ' Data encrypted with this key can never be decrypted: it is not an encryption key.'),
    ],
    [
      'Disable and delete',
      'disabling or deleting the KMS key does not reach this public key, and its key state is invisible offline.' +
        (key.keyUsage === 'ENCRYPT_DECRYPT' || key.keyUsage === 'ENCAPSULATE_DECAPSULATE'
          ? ' Data encrypted for a deleted key is unrecoverable.'
          : ''),
    ],
    ['Logging', 'CloudTrail records nothing done with the public key outside KMS.'],
  ];
  if (key.keySpec === 'SM2' && key.keyUsage === 'SIGN_VERIFY') {
    c.push(['SM2', 'offline verification needs the distinguishing ID; KMS uses 1234567812345678 (this tool too, for RAW).']);
  } else if (key.keySpec === 'SM2') {
    c.push(['SM2', 'SM2 keys exist only in the China Regions; SM2 signature verification needs the distinguishing ID (KMS: 1234567812345678).']);
  }
  if (key.keyUsage === 'KEY_AGREEMENT') c.push(['Shared secret', 'the raw ECDH secret is not a key: derive one with HKDF or the one-step KDF.']);
  if (key.keyUsage === 'ENCAPSULATE_DECAPSULATE') {
    c.push(['Implicit rejection', 'KMS Decapsulate returns a pseudo-random secret for a wrong ciphertext: confirm both sides hold the same secret.']);
  }
  return c;
}

function algorithmsOf(key) {
  return [
    ['SigningAlgorithms', key.signingAlgorithms],
    ['EncryptionAlgorithms', key.encryptionAlgorithms],
    ['KeyAgreementAlgorithms', key.keyAgreementAlgorithms],
    ['EncapsulationAlgorithms', key.encapsulationAlgorithms],
  ].filter(([, l]) => l.length);
}

const keyIdForCommand = (key) => shq(key.keyId ?? '<key-id>');

/**
 * The shell steps that hand `bytes` to a KMS command: write them to `defaultFile` (unless an --out option already
 * wrote them to `out`), then run `command(file)`, file being the shell-quoted path.
 */
function kmsSteps(bytes, out, defaultFile, command) {
  const steps = out === undefined ? [`echo ${b64(bytes)} | base64 --decode > ${defaultFile}`] : [];
  steps.push(command(shq(out ?? defaultFile)));
  return steps;
}

// ---------------------------------------------------------------------------------------------------------
// Commands

async function cmdInspect(lib, values, positionals) {
  const { key, form, sample, source } = await loadKey(lib, values, positionals);
  const arn = key.arn;
  const algs = algorithmsOf(key);
  const cav = caveats(key);
  if (values.json) {
    return {
      json: {
        ...(sample ? { Sample: sample } : {}),
        ...key.toJSON(),
        Arn: arn ?? null,
        Fingerprint: { Algorithm: 'SHA-256', Of: 'DER SubjectPublicKeyInfo', Hex: key.fingerprint() },
        LoadedFrom: { Source: source, Form: form },
        ...(values.pem ? { PublicKeyPem: key.spkiPem() } : {}),
        OfflineCaveats: cav.map(([Topic, Text]) => ({ Topic, Text })),
      },
    };
  }
  const out = [];
  if (sample) out.push(`*** ${sample} ***`, '');
  out.push(`KMS public key (${form} from ${source})`);
  row(out, 'KeyId', key.keyId ?? '(none given)');
  if (arn) {
    row(out, 'Partition', arn.partition);
    row(out, 'Region', arn.region);
    row(out, 'Account', arn.accountId);
    row(out, arn.resourceType === 'alias' ? 'Alias' : 'Key ID', arn.resourceId);
  }
  row(out, 'KeySpec', key.keySpec);
  row(out, 'KeyUsage', key.keyUsage);
  for (const [name, l] of algs) row(out, 'Algorithms', `${l.join(', ')}  (${name})`);
  row(out, 'Fingerprint', `${key.fingerprint()}  (SHA-256 of the DER SPKI)`);
  out.push('', 'Outside KMS (AWS, "Special considerations for downloading public keys"):');
  for (const [topic, text] of cav) out.push(`  - ${topic}: ${text}`);
  if (values.pem) out.push('', key.spkiPem().trimEnd());
  key.free();
  return { text: out.join('\n') };
}

async function messageBytes(values, what) {
  if (values.message !== undefined && values['message-is-digest'] && values['message-encoding'] === undefined) {
    // A digest is bytes, never text: its UTF-8 reading (e.g. of hex) could have the digest's length.
    throw new UsageError('--message with --message-is-digest is the digest itself: say how it is written with --message-encoding base64 or hex');
  }
  if (values.message !== undefined) return decodeText(values.message, values['message-encoding'], '--message');
  if (values['message-encoding'] !== undefined) throw new UsageError('--message-encoding applies to --message only; a --message-file is read as bytes');
  return readWhole(values['message-file'], what, 'for a large file, verify its digest: --message-type DIGEST streams and hashes it');
}

async function cmdVerify(lib, values, positionals) {
  oneOf(values, 'message', 'message-file');
  oneOf(values, 'signature', 'signature-file');
  const { key } = await loadKey(lib, values, positionals);
  const alg = algorithmOf(values, 'signing-algorithm', key.signingAlgorithms);
  const type = values['message-type'] ?? 'RAW';

  // A base64 signature goes to the library as text: it checks it is canonical base64 of the exact size this
  // key and algorithm sign to (so hex is never read as base64 into other bytes and answered INVALID).
  let signature;
  const enc = values['signature-encoding']?.toLowerCase();
  if (values.signature !== undefined) {
    if (enc === undefined || enc === 'base64') signature = signatureText(values.signature, '--signature');
    else signature = u8(decodeText(values.signature, enc, '--signature'));
  } else {
    const raw = await readWhole(values['signature-file'], 'signature file');
    if (enc === 'raw' || (enc === undefined && !isBase64Text(raw))) signature = u8(raw);
    else if (enc === undefined || enc === 'base64') signature = signatureText(raw.toString('latin1'), 'the signature file');
    else signature = u8(decodeText(raw.toString('latin1'), enc, 'the signature file'));
  }

  const info = { MessageType: type };
  let message;
  const hashHere = (type === 'DIGEST' || type === 'EXTERNAL_MU') && !values['message-is-digest'];
  if (values['distinguishing-id'] !== undefined && !(hashHere && type === 'DIGEST' && alg === 'SM2DSA')) {
    throw new UsageError('--distinguishing-id applies to SM2DSA with --message-type DIGEST hashed here (RAW uses KMS\'s ID 1234567812345678)');
  }
  if (hashHere) {
    // The library's streaming hashes: SHA-2 for the algorithm, SM2's e = SM3(Z_A || M) for this key, or
    // ML-DSA's mu for this key. Each refuses what it cannot do (an algorithm without a plain digest, a key of
    // another kind) with its own exception.
    let md;
    if (type === 'EXTERNAL_MU') md = key.externalMuDigest();
    else if (alg === 'SM2DSA') md = key.sm2Digest(values['distinguishing-id']);
    else md = lib.MessageDigest.forSigningAlgorithm(alg);
    let n = 0;
    try {
      if (values.message !== undefined) {
        const m = decodeText(values.message, values['message-encoding'], '--message');
        md.update(u8(m));
        n = m.length;
      } else {
        if (values['message-encoding'] !== undefined) throw new UsageError('--message-encoding applies to --message only');
        const file = values['message-file'];
        const progress = progressLine(file === '-' ? 'stdin' : file, file === '-' ? undefined : fileSize(file), values.json);
        try {
          for await (const chunk of chunksOf(file, 'message file')) {
            md.update(u8(chunk));
            n += chunk.length;
            progress.update(n);
          }
        } finally {
          progress.end();
        }
      }
      message = md.digest();
    } finally {
      md.free();
    }
    Object.assign(info, { HashedHere: true, MessageBytes: n, [type === 'EXTERNAL_MU' ? 'Mu' : 'Digest']: hex(message) });
    if (values['distinguishing-id'] !== undefined) info.DistinguishingId = values['distinguishing-id'];
  } else {
    message = u8(await messageBytes(values, 'message file'));
    info.MessageBytes = message.length;
  }

  const request = { Message: message, Signature: signature, SigningAlgorithm: alg, MessageType: type };
  if (values['signature-format'] !== undefined) request.SignatureFormat = values['signature-format'];
  let valid;
  let failure;
  try {
    key.verifyOrThrow(request);
    valid = true;
  } catch (e) {
    if (e && e.kmsRefusal === false && typeof signature === 'string' && looksHex(signature)) e.hint = HEX_SIGNATURE_HINT;
    if (!e || e.name !== 'KMSInvalidSignatureException') throw e;
    valid = false;
    failure = e;
  }
  const keyId = key.keyId ?? null;
  key.free();
  const result = { KeyId: keyId, SignatureValid: valid, SigningAlgorithm: alg, ...info };
  const code = valid ? EXIT.OK : EXIT.INVALID;
  const stderr = valid ? undefined : `${failure.name}: ${failure.message}`;
  if (values.json) return { json: valid ? result : { ...result, Error: { Name: failure.name, Message: failure.message } }, code, stderr };
  const out = [valid ? 'VALID: the signature verifies (KMS Verify: SignatureValid true)' : 'INVALID: the signature does not verify'];
  row(out, 'KeyId', keyId ?? '(none given)');
  row(out, 'Algorithm', alg);
  let how = type;
  if (info.Digest) how += ` (hashed here: ${info.MessageBytes} bytes -> ${info.Digest})`;
  else if (info.Mu) how += ` (mu computed here from ${info.MessageBytes} bytes: ${info.Mu})`;
  else how += ` (${info.MessageBytes} bytes)`;
  row(out, 'MessageType', how);
  return { text: out.join('\n'), code, stderr };
}

async function cmdEncrypt(lib, values, positionals) {
  oneOf(values, 'plaintext', 'plaintext-file');
  checkOutputs(values);
  const { key } = await loadKey(lib, values, positionals);
  const alg = algorithmOf(values, 'encryption-algorithm', key.encryptionAlgorithms);
  let plaintext;
  if (values.plaintext !== undefined) plaintext = decodeText(values.plaintext, values['plaintext-encoding'], '--plaintext');
  else {
    if (values['plaintext-encoding'] !== undefined) throw new UsageError('--plaintext-encoding applies to --plaintext only');
    plaintext = await readWhole(values['plaintext-file'], 'plaintext file');
  }
  const res = key.encrypt({ Plaintext: u8(plaintext), EncryptionAlgorithm: alg });
  const ct = res.CiphertextBlob;
  if (values.out !== undefined) writeOut(values.out, ct, '--out');
  const steps = kmsSteps(ct, values.out, 'ciphertext.bin', (file) =>
    `aws kms decrypt --key-id ${keyIdForCommand(key)} --encryption-algorithm ${res.EncryptionAlgorithm} ` +
      `--ciphertext-blob fileb://${file} --query Plaintext --output text | base64 --decode`,
  );
  const keyId = key.keyId ?? null;
  key.free();
  if (values.json) {
    return {
      json: {
        KeyId: keyId,
        EncryptionAlgorithm: res.EncryptionAlgorithm,
        CiphertextBlob: b64(ct),
        CiphertextBytes: ct.length,
        PlaintextBytes: plaintext.length,
        ...(values.out !== undefined ? { Out: values.out } : {}),
        DecryptCommand: steps.join('\n'),
      },
    };
  }
  const out = [`CiphertextBlob (${res.EncryptionAlgorithm}, ${ct.length} bytes from ${plaintext.length} bytes of plaintext), base64:`, b64(ct)];
  if (values.out !== undefined) out.push(`(written to ${values.out} as raw bytes)`);
  out.push('', 'Only KMS can open it:', ...steps.map((s) => `  ${s}`));
  return { text: out.join('\n') };
}

async function cmdDerive(lib, values, positionals) {
  checkOutputs(values);
  const { key } = await loadKey(lib, values, positionals);
  const alg = algorithmOf(values, 'key-agreement-algorithm', key.keyAgreementAlgorithms);
  const kdf = values.kdf;
  if (kdf !== undefined && !['hkdf', 'one-step', 'none'].includes(kdf)) throw new UsageError(`--kdf must be hkdf, one-step or none, not '${kdf}'`);
  if (kdf !== 'hkdf' && (values.salt !== undefined || values.info !== undefined)) throw new UsageError('--salt and --info are for --kdf hkdf');
  if (kdf !== 'one-step' && values['fixed-info'] !== undefined) throw new UsageError('--fixed-info is for --kdf one-step');
  if ((kdf === undefined || kdf === 'none') && (values.hash !== undefined || values.length !== undefined)) throw new UsageError('--hash and --length are for --kdf hkdf or one-step');
  if (kdf === undefined && values['secret-out'] !== undefined) throw new UsageError('--secret-out needs --kdf (hkdf, one-step, or none for the raw Z)');
  let length = 32;
  if (values.length !== undefined) {
    if (!/^[0-9]+$/.test(values.length)) throw new UsageError(`--length must be a number of bytes, not '${values.length}'`);
    length = Number(values.length);
  }
  const request = { KeyAgreementAlgorithm: alg };
  if (values['private-key'] !== undefined) {
    const pk = await readWhole(values['private-key'], 'private key');
    const t = utf8OrNull(pk);
    request.PrivateKey = t !== null && (t.includes('-----BEGIN') || isBase64Text(pk)) ? t.trim() : u8(pk);
  }
  const res = key.deriveSharedSecret(request);
  if (values['public-key-out'] !== undefined) writeOut(values['public-key-out'], res.PublicKey, '--public-key-out');
  const hash = values.hash ?? 'SHA-256';
  let secret;
  let kdfLabel;
  if (kdf === 'hkdf') {
    secret = lib.hkdf({ Hash: hash, Ikm: res.SharedSecret, Salt: decodePrefixed(values.salt, '--salt'), Info: decodePrefixed(values.info, '--info'), Length: length });
    kdfLabel = `HKDF-${hash}`;
  } else if (kdf === 'one-step') {
    secret = lib.oneStepKdf({ Hash: hash, SharedSecret: res.SharedSecret, FixedInfo: decodePrefixed(values['fixed-info'], '--fixed-info'), Length: length });
    kdfLabel = `one-step KDF (SP 800-56C) ${hash}`;
  } else if (kdf === 'none') {
    secret = res.SharedSecret;
    kdfLabel = 'none: raw Z, to compare with KMS only, never a key';
  }
  if (secret && values['secret-out'] !== undefined) writeOut(values['secret-out'], secret, '--secret-out');
  const steps = kmsSteps(res.PublicKey, values['public-key-out'], 'our-public-key.der', (file) =>
    `aws kms derive-shared-secret --key-id ${keyIdForCommand(key)} --key-agreement-algorithm ${res.KeyAgreementAlgorithm} ` +
      `--public-key fileb://${file} --query SharedSecret --output text | base64 --decode | xxd -p -c 256`,
  );
  const keyId = key.keyId ?? null;
  key.free();
  if (values.json) {
    return {
      json: {
        KeyId: keyId,
        KeyAgreementAlgorithm: res.KeyAgreementAlgorithm,
        PublicKey: b64(res.PublicKey),
        ...(kdf ? { Kdf: kdf, ...(kdf !== 'none' ? { Hash: hash, Length: length } : {}) } : {}),
        ...(secret && values['secret-out'] === undefined ? { [kdf === 'none' ? 'SharedSecret' : 'DerivedKey']: hex(secret) } : {}),
        DeriveSharedSecretCommand: steps.join('\n'),
      },
    };
  }
  const out = ['PublicKey (yours, DER SPKI, what KMS DeriveSharedSecret takes), base64:', b64(res.PublicKey)];
  if (values['public-key-out'] !== undefined) out.push(`(written to ${values['public-key-out']})`);
  out.push('', 'KMS computes the same shared secret Z with:', ...steps.map((s) => `  ${s}`), '');
  if (!kdf) {
    out.push('Secret not shown: choose a KDF with --kdf hkdf or --kdf one-step (or --kdf none for the raw Z, only to compare with KMS).');
  } else if (values['secret-out'] !== undefined) {
    out.push(`${kdf === 'none' ? 'SharedSecret Z' : 'Derived key'} (${kdfLabel}, ${secret.length} bytes) written to ${values['secret-out']}`);
  } else {
    out.push(`${kdf === 'none' ? 'SharedSecret Z' : 'Derived key'} (${kdfLabel}, ${secret.length} bytes), hex:`, hex(secret));
  }
  return { text: out.join('\n') };
}

async function cmdEncapsulate(lib, values, positionals) {
  checkOutputs(values);
  const { key } = await loadKey(lib, values, positionals);
  const alg = algorithmOf(values, 'encapsulation-algorithm', key.encapsulationAlgorithms);
  const res = key.encapsulate({ EncapsulationAlgorithm: alg });
  const ct = res.SharedSecretCiphertextBlob;
  if (values.out !== undefined) writeOut(values.out, ct, '--out');
  if (values['secret-out'] !== undefined) writeOut(values['secret-out'], res.SharedSecret, '--secret-out');
  const steps = kmsSteps(ct, values.out, 'ciphertext.bin', (file) =>
    `aws kms decapsulate --key-id ${keyIdForCommand(key)} --encapsulation-algorithm ${res.EncapsulationAlgorithm} ` +
      `--shared-secret-ciphertext-blob fileb://${file} --query SharedSecret --output text | base64 --decode | xxd -p -c 256`,
  );
  const keyId = key.keyId ?? null;
  key.free();
  if (values.json) {
    return {
      json: {
        KeyId: keyId,
        EncapsulationAlgorithm: res.EncapsulationAlgorithm,
        SharedSecretCiphertextBlob: b64(ct),
        CiphertextBytes: ct.length,
        ...(values['secret-out'] === undefined ? { SharedSecret: hex(res.SharedSecret) } : {}),
        DecapsulateCommand: steps.join('\n'),
      },
    };
  }
  const out = [`SharedSecretCiphertextBlob (${ct.length} bytes), base64:`, b64(ct)];
  if (values.out !== undefined) out.push(`(written to ${values.out} as raw bytes)`);
  if (values['secret-out'] !== undefined) out.push('', `SharedSecret (${res.SharedSecret.length} bytes) written to ${values['secret-out']}`);
  else out.push('', `SharedSecret (${res.SharedSecret.length} bytes), hex:`, hex(res.SharedSecret));
  out.push(
    '',
    'KMS Decapsulate returns the same secret with:',
    ...steps.map((s) => `  ${s}`),
    '',
    'A wrong ciphertext gives a pseudo-random secret (implicit rejection): confirm both sides hold the same secret.',
  );
  return { text: out.join('\n') };
}

const COMMANDS = { inspect: cmdInspect, verify: cmdVerify, encrypt: cmdEncrypt, derive: cmdDerive, encapsulate: cmdEncapsulate };

// ---------------------------------------------------------------------------------------------------------
// Main

async function loadLibrary() {
  const entry = typeof globalThis.Deno !== 'undefined' ? '../dist/deno.js' : '../dist/node.mjs';
  try {
    return await import(entry);
  } catch (e) {
    throw new UsageError(`cannot load the kms-offline library (${new URL(entry, import.meta.url).pathname}): ${e.message}`, 'in the repository, build it with: bash scripts/build.sh');
  }
}

/**
 * Levenshtein distance (insertions, deletions, substitutions), for "did you mean": a dozen lines, so the
 * package keeps no dependency for it.
 */
function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The candidate nearest to `word`, if it is near enough to be a typo (a third of its letters at most). */
function closest(word, candidates) {
  let best;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3)) ? best : undefined;
}

/** parseArgs' error, in the CLI's words: an unknown option gets the nearest option of the command, if any. */
function optionError(cmd, e) {
  if (e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(?:-\w, )?(--[\w-]+)/.exec(e.message)?.[1];
    if (option && /argument missing/.test(e.message)) return new MissingOptionError(SAY.needsValue(option));
    if (option && /does not take an argument/.test(e.message)) return new UsageError(SAY.takesNoValue(option), SAY.helpHint(cmd));
  }
  const unknown = e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(e.message)?.[1] : undefined;
  if (unknown === undefined) return new UsageError(e.message.replace(/\. To specify a positional argument.*$/s, ''), SAY.helpHint(cmd));
  const name = unknown.replace(/^-+/, '').replace(/=.*$/s, '');
  const owners = Object.keys(OPTIONS).filter((c) => c !== cmd && name in OPTIONS[c]);
  if (unknown.startsWith('--') && owners.length) return new UsageError(SAY.optionOfAnotherCommand(`--${name}`, cmd, owners), SAY.helpHint(cmd));
  const longOptions = Object.keys({ ...KEY_OPTIONS, ...OPTIONS[cmd] }).map((o) => `--${o}`);
  const suggestion = unknown.startsWith('--') ? closest(`--${name}`, longOptions) : undefined;
  return new UsageError(SAY.unknownOption(unknown, suggestion), SAY.helpHint(cmd));
}

async function run(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    const topic = cmd === 'help' && rest[0] in COMMANDS ? rest[0] : 'main';
    return { text: HELP[topic], code: cmd === undefined ? EXIT.ERROR : EXIT.OK, toStderr: cmd === undefined };
  }
  if (cmd === '--version' || cmd === '-V' || cmd === '-v') return { text: VERSION };
  if (!(cmd in COMMANDS)) throw new UsageError(SAY.unknownCommand(cmd, closest(cmd, Object.keys(COMMANDS))), SAY.commandsHint());
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...KEY_OPTIONS, ...OPTIONS[cmd] }, allowPositionals: true, strict: true });
  } catch (e) {
    throw optionError(cmd, e);
  }
  if (parsed.values.help) return { text: HELP[cmd] };
  if (parsed.values.version) return { text: VERSION };
  const fromStdin = [
    ['key', parsed.values.key ?? parsed.positionals[0]],
    ...['message-file', 'signature-file', 'plaintext-file', 'private-key'].map((o) => [`--${o}`, parsed.values[o]]),
  ].filter(([, v]) => v === '-');
  if (fromStdin.length > 1) throw new UsageError(`${fromStdin.map(([o]) => o).join(' and ')} all read stdin (-): only one input can come from stdin`);
  const lib = await loadLibrary();
  return COMMANDS[cmd](lib, parsed.values, parsed.positionals);
}

/** KMS_OFFLINE_REPORT_RSS=1: print the peak resident set size on stderr (used by the memory test). */
function reportRss() {
  try {
    if (!process.env.KMS_OFFLINE_REPORT_RSS) return; // Deno without --allow-env throws here: no report
    process.stderr.write(`kms-offline: maxRSS ${process.resourceUsage().maxRSS} KiB\n`);
  } catch {
    /* not available in this runtime or not allowed */
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const wantsJson = argv.includes('--json');
  let result;
  try {
    result = await run(argv);
  } catch (e) {
    const name = e && typeof e.name === 'string' ? e.name : 'Error';
    const known = e instanceof UsageError || KMS_EXCEPTIONS.has(name);
    const message = e && e.message ? e.message : String(e);
    const cmd = argv[0] in COMMANDS ? ` ${argv[0]}` : '';
    const usage = e instanceof MissingOptionError ? USAGE[argv[0]] : undefined;
    if (usage && !e.hint) e.hint = SAY.helpHint(argv[0]);
    if (wantsJson) {
      const error = { Name: name, Message: message, ...(e?.hint ? { Hint: e.hint } : {}), ...(usage ? { Usage: usage.replace(/\s*\n\s*/g, ' ') } : {}) };
      if (typeof e?.kmsRefusal === 'boolean') error.KmsRefusal = e.kmsRefusal;
      process.stdout.write(JSON.stringify({ Error: error }, null, 2) + '\n');
    }
    if (e instanceof UsageError) process.stderr.write(`${PROG}${cmd}: ${message}\n`);
    else process.stderr.write(`${name}: ${message}\n`);
    if (usage) process.stderr.write(`${SAY.usageLine(usage)}\n`);
    if (e && e.hint) process.stderr.write(`hint: ${e.hint}\n`);
    if (!known) process.stderr.write(`${e && e.stack ? e.stack : ''}\n`);
    reportRss();
    process.exitCode = EXIT.ERROR;
    return;
  }
  if (result.json !== undefined) process.stdout.write(JSON.stringify(result.json, null, 2) + '\n');
  else if (result.text !== undefined) (result.toStderr ? process.stderr : process.stdout).write(result.text + '\n');
  if (result.stderr) process.stderr.write(result.stderr + '\n');
  reportRss();
  process.exitCode = result.code ?? EXIT.OK;
}

await main();
