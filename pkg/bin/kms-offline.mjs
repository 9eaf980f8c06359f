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
import { pickLanguage, errorMessage } from '../messages/index.js';
import EN from './text/en.mjs';
import JA from './text/ja.mjs';

const VERSION = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const PROG = 'kms-offline';
const CHUNK = 256 * 1024; // read size for streamed files: bounded memory whatever the file size
const WHOLE_FILE_LIMIT = 64 * 1024 * 1024; // inputs passed whole (RAW message, plaintext, EXTERNAL_MU) are read up to this size

// ---------------------------------------------------------------------------------------------------------
// Errors and exit codes

const EXIT = { OK: 0, INVALID: 1, ERROR: 2 };

/**
 * Bad command line or unreadable input (not a KMS rule): exit 2. It carries its sentence (and hint) as a key
 * of the text tables with its arguments, so it is printed in the user's language; its `message` is English,
 * as --json prints it.
 */
class UsageError extends Error {
  constructor(sentence, hint) {
    super(render(EN, sentence));
    this.name = 'UsageError';
    this.sentence = sentence;
    this.hint = hint;
  }
}

/** A required option is missing: a UsageError that also prints the command's usage line. */
class MissingOptionError extends UsageError {}

/** The library, once loaded (its exception names tell its errors from the CLI's own failures). */
let LIBRARY;

// ---------------------------------------------------------------------------------------------------------
// Language. Every sentence a person reads is in the tables text/en.mjs and text/ja.mjs (same keys); KMS
// exceptions are the library's, explained in Japanese by ../messages/index.js with the English original kept.

const TABLES = { en: EN, ja: JA };

/** The user's language: --lang wins; else the POSIX locale, LC_ALL, then LC_MESSAGES, then LANG (the first set). */
function languageOf(argv) {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const given = at < 0 ? undefined : argv[at].startsWith('--lang=') ? argv[at].slice('--lang='.length) : argv[at + 1];
  if (given in TABLES) return given;
  let locale;
  try {
    locale = ['LC_ALL', 'LC_MESSAGES', 'LANG'].map((v) => process.env[v]).find((v) => v); // Deno without --allow-env throws
  } catch {
    locale = undefined;
  }
  // Only the winning variable counts: LC_ALL=C means English even when LANG says ja_JP.UTF-8.
  return pickLanguage([locale], 'en');
}

const MiB = 1024 * 1024;

/** The language of this run's text output (help, results, errors); --json output is always EN. */
let LANG = 'en';
let T = EN;

/** A sentence of the tables' `say` section with its arguments, rendered when printed (English for --json). */
const said = (id, ...args) => ({ id, args });
/** An input named in a sentence (`key`, `message file`, ...), rendered in the sentence's language. */
const inputNamed = (id) => ({ input: id });

/** The text of a sentence (or a plain string, e.g. a hint from elsewhere) in a table's language. */
function render(table, sentence) {
  if (sentence === undefined || typeof sentence === 'string') return sentence;
  const named = (a) => (Array.isArray(a) ? a.map(named) : a && typeof a === 'object' && 'input' in a ? table.input[a.input] : a);
  return table.say[sentence.id](...sentence.args.map(named));
}

const joinPath = (dir, name) => (dir.endsWith('/') ? dir + name : `${dir}/${name}`);

// ---------------------------------------------------------------------------------------------------------
// Help

// Every example runs as printed from the folder of a project where `npm i kms-offline` was run: the sample
// files ship in the package (samples/, copied from www/samples by scripts/build.sh). An example that needs the
// user's own key or files, or the AWS CLI, says so in a comment that begins `# needs your own`
// (tests/cli/examples.test.mjs runs every other example and checks the exit code that its `# exit N` says, 0
// when it says none).
const S = 'node_modules/kms-offline/samples';

const USAGE = {
  main: `${PROG} <command> [options]`,
  inspect: `${PROG} inspect [--key] FILE|- [--pem] [--json]`,
  verify: `${PROG} verify --key FILE (--message TEXT | --message-file FILE|-)
                          (--signature BASE64 | --signature-file FILE|-) [--signing-algorithm ALG] [options]`,
  encrypt: `${PROG} encrypt --key FILE (--plaintext TEXT | --plaintext-file FILE|-) [--encryption-algorithm ALG]
                          [--out FILE] [options]`,
  derive: `${PROG} derive --key FILE [--private-key FILE] [--kdf hkdf|one-step|none] [options]`,
  encapsulate: `${PROG} encapsulate --key FILE [--out FILE] [--secret-out FILE] [--json]`,
  'verify-dsse': `${PROG} verify-dsse --key FILE ENVELOPE|- [--signing-algorithm ALG] [--ignore-keyid] [--payload-out FILE] [--json]`,
  dsse: `${PROG} dsse --key FILE --payload-type TYPE (--payload TEXT | --payload-file FILE|-) [--signing-algorithm ALG]
                          [--signature BASE64 | --signature-file FILE|-] [--keyid ID] [--out FILE] [--json]`,
  'verify-cert': `${PROG} verify-cert --key FILE --in FILE|- [--json]`,
  'verify-csr': `${PROG} verify-csr --key FILE --in FILE|- [--json]`,
  'verify-crl': `${PROG} verify-crl --key FILE --in FILE|- [--json]`,
  csr: `${PROG} csr --key FILE --subject DN [--dns NAMES] [--email ADDRS] [--uri URIS] [--ip ADDRS] [--out-dir DIR]`,
  cert: `${PROG} cert --key FILE (--subject DN | (--issuer-cert FILE | --issuer DN) --csr FILE) [--ca] [--days N] [--serial HEX] [--out-dir DIR]`,
  assemble: `${PROG} assemble --key FILE --pending FILE (--signature BASE64 | --signature-file FILE|-) [--out FILE]`,
  'encrypt-file': `${PROG} encrypt-file --key FILE --in FILE|- --out FILE [--encryption-context KEY=VALUE]...
                          [--frame-length N] [--algorithm-suite SUITE] [--encryption-algorithm ALG] [--json]`,
};

/** What the help pages print about the tool and its samples. */
const HELP_CONTEXT = { PROG, VERSION, S };

/** The help page of `topic` ('main' or a command) in this run's language. */
const helpOf = (topic) => T.help[topic](HELP_CONTEXT, USAGE[topic]);

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
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

/** What csr and cert both take: the subject, its alternative names, the algorithm and where the files go. */
const X509_REQUEST_OPTIONS = {
    subject: { type: 'string' },
    dns: { type: 'string' },
    email: { type: 'string' },
    uri: { type: 'string' },
    ip: { type: 'string' },
    'extended-key-usage': { type: 'string' },
    'signing-algorithm': { type: 'string' },
    'out-dir': { type: 'string' },
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
  'verify-dsse': {
    'signing-algorithm': { type: 'string' },
    'ignore-keyid': { type: 'boolean' },
    'payload-out': { type: 'string' },
  },
  dsse: {
    'signing-algorithm': { type: 'string' },
    'payload-type': { type: 'string' },
    payload: { type: 'string' },
    'payload-file': { type: 'string' },
    signature: { type: 'string' },
    'signature-file': { type: 'string' },
    keyid: { type: 'string' },
    out: { type: 'string' },
  },
  'verify-cert': { in: { type: 'string' } },
  'verify-csr': { in: { type: 'string' } },
  'verify-crl': { in: { type: 'string' } },
  csr: X509_REQUEST_OPTIONS,
  cert: {
    ...X509_REQUEST_OPTIONS,
    issuer: { type: 'string' },
    'issuer-cert': { type: 'string' },
    csr: { type: 'string' },
    ca: { type: 'boolean' },
    days: { type: 'string' },
    serial: { type: 'string' },
  },
  assemble: {
    pending: { type: 'string' },
    signature: { type: 'string' },
    'signature-file': { type: 'string' },
    out: { type: 'string' },
  },
  'encrypt-file': {
    in: { type: 'string' },
    out: { type: 'string' },
    'encryption-context': { type: 'string', multiple: true },
    'frame-length': { type: 'string' },
    'algorithm-suite': { type: 'string' },
    'encryption-algorithm': { type: 'string' },
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
      throw new UsageError(said('notBase64', what, /[-_]/.test(s) ? 'base64url' : looksHex(s) ? 'hex' : undefined));
    }
    return bytes;
  }
  if (enc === 'hex') {
    const s = value.replace(/[\s:]+/g, '').replace(/^0x/i, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new UsageError(said('notHex', what));
    return Buffer.from(s, 'hex');
  }
  throw new UsageError(said('unknownEncoding', encoding, what));
}

const HEX_SIGNATURE_HINT = said('hexSignatureHint');

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
function progressLine(what, total, json, sentence = 'progress') {
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
      const text = render(T, said(sentence, what, done, total));
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
  if (stdinTaken) throw new UsageError(said('bothStdin', stdinTaken, what));
  stdinTaken = what;
}

async function readAll(stream) {
  const parts = [];
  let size = 0;
  for await (const chunk of stream) {
    parts.push(chunk);
    size += chunk.length;
    if (size > WHOLE_FILE_LIMIT) throw new UsageError(said('inputOverLimit', WHOLE_FILE_LIMIT));
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
    throw new UsageError(said('cannotRead', what, file, e.code, e.message));
  }
  if (st.isDirectory()) throw new UsageError(said('isDirectory', what, file));
  if (st.size > WHOLE_FILE_LIMIT) {
    throw new UsageError(said('overWholeLimit', what, file, st.size, WHOLE_FILE_LIMIT), hint);
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
    if (fs.statSync(file).isDirectory()) throw new UsageError(said('isDirectory', what, file));
    fh = await fs.promises.open(file, 'r');
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(said('cannotRead', what, file, e.code, e.message));
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
  return new UsageError(said('cannotWrite', what, file, code, code === 'ENOTDIR' ? fileInTheWay(folder) : folder, joinPath(file, 'out.bin')));
}

/** Refuses, before any work, an output path that cannot be written: no folder, a folder as the file, no permission. */
function checkOutputs(values) {
  const given = OUTPUT_OPTIONS.filter((o) => values[o] !== undefined);
  for (const option of given) {
    const file = values[option];
    const what = `--${option}`;
    const twin = given.find((o) => o !== option && path.resolve(values[o]) === path.resolve(file));
    if (twin) throw new UsageError(said('sameOutput', what, `--${twin}`, file));
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
  if (values[inline] !== undefined && values[file] !== undefined) throw new UsageError(said('notBoth', inline, file));
  if (!optional && values[inline] === undefined && values[file] === undefined) throw new MissingOptionError(said('giveOneOf', inline, file));
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
  if (values.key !== undefined && positionals.length) throw new UsageError(said('giveKeyOnce', values.key, positionals[0]));
  if (positionals.length > 1) throw new UsageError(said('unexpectedArguments', positionals.slice(1)));
  const file = values.key ?? positionals[0];
  if (file === undefined) throw new MissingOptionError(said('giveKey'));
  const bytes = await readWhole(file, inputNamed('key'));
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
        e.hint = said('jwkWithoutMetadata', source);
      }
      throw e;
    }
  }
  if (text !== null && text.trim().startsWith('{')) {
    if (Object.keys(meta).length) {
      throw new UsageError(said('metadataIsForPemDer', source));
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
      e.hint = detected ? said('keyWithoutMetadata', source, form, detected.KeySpec, metadataChoices(detected)) : said('keyWithoutMetadataUndetected', source, form);
    }
    throw e;
  }
}

/** The metadata options a PEM/DER key of the detected type could take: one choice per KeyUsage it allows. */
function metadataChoices(detected) {
  return detected.KeyUsages.map((usage) => {
    const member = ALGORITHM_LIST_OF_USAGE[usage];
    return `--key-spec ${detected.KeySpec} --key-usage ${usage}` + (detected[member] ? ` --${optionOf(member)} ${detected[member].join(',')}` : '');
  });
}

/** The algorithm option, or the key's only algorithm of that kind. */
function algorithmOf(values, option, listed) {
  if (values[option] !== undefined) return values[option];
  if (listed.length === 1) return listed[0];
  throw new MissingOptionError(said('giveAlgorithm', option, listed));
}

// ---------------------------------------------------------------------------------------------------------
// Output helpers

function shq(s) {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/** Columns a terminal gives a string: CJK and full-width characters take two. */
const displayWidth = (text) => text.length + (text.match(/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/g)?.length ?? 0);

/** A labelled row of a result (the label is a key of the table's result.label), values aligned past the longest label. */
function row(out, label, value) {
  const width = Math.max(14, ...Object.values(T.result.label).map(displayWidth));
  const text = T.result.label[label];
  out.push(`  ${text}${' '.repeat(width - displayWidth(text))} ${value}`);
}

/**
 * The protections that do not exist outside KMS for this key, as [topic, text] in `table`'s language. Which ones,
 * is the library's list (key.offlineCaveats()); this only words each code.
 */
function caveats(key, table) {
  const say = table.caveat;
  const { codes, forEncryption } = key.offlineCaveats();
  const [usageTopic, usageText] = say.usage(key.keyUsage);
  const worded = {
    authorization: say.authorization,
    'usage-and-algorithms': [usageTopic, usageText + (forEncryption ? say.encryptedElsewhere : say.notForEncryption)],
    'disable-and-delete': [say.disable[0], say.disable[1] + (forEncryption ? say.deletedKeyData : '')],
    logging: say.logging,
    'sm2-signing': say.sm2Signing,
    sm2: say.sm2,
    'shared-secret': say.sharedSecret,
    'implicit-rejection': say.implicitRejection,
  };
  return codes.map((code) => worded[code]);
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
  const cav = caveats(key, values.json ? EN : T);
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
  if (sample) out.push(T.result.sampleBanner(sample), '');
  out.push(T.result.loadedKey(form, source));
  row(out, 'KeyId', key.keyId ?? T.result.noneGiven);
  if (arn) {
    row(out, 'Partition', arn.partition);
    row(out, 'Region', arn.region);
    row(out, 'Account', arn.accountId);
    row(out, arn.resourceType === 'alias' ? 'Alias' : 'KeyIdOfArn', arn.resourceId);
  }
  row(out, 'KeySpec', key.keySpec);
  row(out, 'KeyUsage', key.keyUsage);
  for (const [name, l] of algs) row(out, 'Algorithms', `${l.join(', ')}  (${name})`);
  row(out, 'Fingerprint', T.result.fingerprintOf(key.fingerprint()));
  out.push('', T.result.outsideKms);
  for (const [topic, text] of cav) out.push(`  - ${topic}: ${text}`);
  if (values.pem) out.push('', key.spkiPem().trimEnd());
  key.free();
  return { text: out.join('\n') };
}

async function messageBytes(values, what) {
  if (values.message !== undefined && values['message-is-digest'] && values['message-encoding'] === undefined) {
    // A digest is bytes, never text: its UTF-8 reading (e.g. of hex) could have the digest's length.
    throw new UsageError(said('digestNeedsEncoding'));
  }
  if (values.message !== undefined) return decodeText(values.message, values['message-encoding'], '--message');
  if (values['message-encoding'] !== undefined) throw new UsageError(said('messageEncodingIsForMessage'));
  return readWhole(values['message-file'], what, said('largeFileHint'));
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
    const raw = await readWhole(values['signature-file'], inputNamed('signatureFile'));
    if (enc === 'raw' || (enc === undefined && !isBase64Text(raw))) signature = u8(raw);
    else if (enc === undefined || enc === 'base64') signature = signatureText(raw.toString('latin1'), inputNamed('theSignatureFile'));
    else signature = u8(decodeText(raw.toString('latin1'), enc, inputNamed('theSignatureFile')));
  }

  const info = { MessageType: type };
  let message;
  const hashHere = (type === 'DIGEST' || type === 'EXTERNAL_MU') && !values['message-is-digest'];
  if (values['distinguishing-id'] !== undefined && !(hashHere && type === 'DIGEST' && alg === 'SM2DSA')) {
    throw new UsageError(said('distinguishingIdWhen'));
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
        if (values['message-encoding'] !== undefined) throw new UsageError(said('messageEncodingIsForMessage'));
        const file = values['message-file'];
        const progress = progressLine(file === '-' ? inputNamed('stdin') : file, file === '-' ? undefined : fileSize(file), values.json);
        try {
          for await (const chunk of chunksOf(file, inputNamed('messageFile'))) {
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
    message = u8(await messageBytes(values, inputNamed('messageFile')));
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
  const stderr = valid ? undefined : libraryErrorLines(failure).join('\n');
  if (values.json) return { json: valid ? result : { ...result, Error: { Name: failure.name, Message: failure.message } }, code, stderr };
  const out = [valid ? T.result.valid : T.result.invalid];
  row(out, 'KeyId', keyId ?? T.result.noneGiven);
  row(out, 'Algorithm', alg);
  let how;
  if (info.Digest) how = T.result.hashedHere(type, info.MessageBytes, info.Digest);
  else if (info.Mu) how = T.result.muHere(type, info.MessageBytes, info.Mu);
  else how = T.result.messageBytes(type, info.MessageBytes);
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
    if (values['plaintext-encoding'] !== undefined) throw new UsageError(said('plaintextEncodingIsForPlaintext'));
    plaintext = await readWhole(values['plaintext-file'], inputNamed('plaintextFile'));
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
  const out = [T.result.ciphertext(res.EncryptionAlgorithm, ct.length, plaintext.length), b64(ct)];
  if (values.out !== undefined) out.push(T.result.writtenRaw(values.out));
  out.push('', T.result.onlyKmsOpens, ...steps.map((s) => `  ${s}`));
  return { text: out.join('\n') };
}

async function cmdDerive(lib, values, positionals) {
  checkOutputs(values);
  const { key } = await loadKey(lib, values, positionals);
  const alg = algorithmOf(values, 'key-agreement-algorithm', key.keyAgreementAlgorithms);
  const kdf = values.kdf;
  if (kdf !== undefined && !['hkdf', 'one-step', 'none'].includes(kdf)) throw new UsageError(said('kdfMustBe', kdf));
  if (kdf !== 'hkdf' && (values.salt !== undefined || values.info !== undefined)) throw new UsageError(said('saltInfoAreForHkdf'));
  if (kdf !== 'one-step' && values['fixed-info'] !== undefined) throw new UsageError(said('fixedInfoIsForOneStep'));
  if ((kdf === undefined || kdf === 'none') && (values.hash !== undefined || values.length !== undefined)) throw new UsageError(said('hashLengthNeedKdf'));
  if (kdf === undefined && values['secret-out'] !== undefined) throw new UsageError(said('secretOutNeedsKdf'));
  let length = 32;
  if (values.length !== undefined) {
    if (!/^[0-9]+$/.test(values.length)) throw new UsageError(said('lengthMustBeNumber', values.length));
    length = Number(values.length);
  }
  const request = { KeyAgreementAlgorithm: alg };
  if (values['private-key'] !== undefined) {
    const pk = await readWhole(values['private-key'], inputNamed('privateKey'));
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
    kdfLabel = T.result.kdfLabel.hkdf(hash);
  } else if (kdf === 'one-step') {
    secret = lib.oneStepKdf({ Hash: hash, SharedSecret: res.SharedSecret, FixedInfo: decodePrefixed(values['fixed-info'], '--fixed-info'), Length: length });
    kdfLabel = T.result.kdfLabel.oneStep(hash);
  } else if (kdf === 'none') {
    secret = res.SharedSecret;
    kdfLabel = T.result.kdfLabel.none();
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
  const out = [T.result.ourPublicKey, b64(res.PublicKey)];
  if (values['public-key-out'] !== undefined) out.push(T.result.written(values['public-key-out']));
  out.push('', T.result.kmsComputesZ, ...steps.map((s) => `  ${s}`), '');
  const secretName = kdf === 'none' ? T.result.secretName.none : T.result.secretName.derived;
  if (!kdf) out.push(T.result.secretNotShown);
  else if (values['secret-out'] !== undefined) out.push(T.result.secretWritten(secretName, kdfLabel, secret.length, values['secret-out']));
  else out.push(T.result.secretHex(secretName, kdfLabel, secret.length), hex(secret));
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
  const out = [T.result.encapsulated(ct.length), b64(ct)];
  if (values.out !== undefined) out.push(T.result.writtenRaw(values.out));
  if (values['secret-out'] !== undefined) out.push('', T.result.sharedSecretWritten(res.SharedSecret.length, values['secret-out']));
  else out.push('', T.result.sharedSecretHex(res.SharedSecret.length), hex(res.SharedSecret));
  out.push('', T.result.kmsDecapsulates, ...steps.map((s) => `  ${s}`), '', T.result.implicitRejection);
  return { text: out.join('\n') };
}

// ---------------------------------------------------------------------------------------------------------
// DSSE envelopes (in-toto, cosign): verify one with the key, or build one around KMS Sign

/** The key (from --key only: the positional is the envelope) and the one input that may read stdin. */
async function loadDsseKey(lib, values, stdinInput) {
  if (values.key === undefined) throw new MissingOptionError(said('giveKey'));
  if (values.key === '-' && stdinInput !== undefined) throw new UsageError(said('bothStdin', inputNamed('key'), stdinInput));
  return (await loadKey(lib, values, [])).key;
}

async function cmdVerifyDsse(lib, values, positionals) {
  if (positionals.length > 1) throw new UsageError(said('unexpectedArguments', positionals.slice(1)));
  if (positionals.length === 0) throw new MissingOptionError(said('giveEnvelope'));
  const file = positionals[0];
  const key = await loadDsseKey(lib, values, file === '-' ? inputNamed('envelope') : undefined);
  const envelope = u8(await readWhole(file, inputNamed('envelope')));
  const options = { IgnoreKeyId: !!values['ignore-keyid'] };
  if (values['signing-algorithm'] !== undefined) options.SigningAlgorithm = values['signing-algorithm'];
  const r = key.verifyDsse(envelope, options);
  const keyId = key.keyId ?? null;
  key.free();
  if (values['payload-out'] !== undefined && r.Valid) writeOut(values['payload-out'], r.Payload, '--payload-out');
  const code = r.Valid ? EXIT.OK : EXIT.INVALID;
  const signatures = r.Signatures.map((s) => ({ KeyIdInEnvelope: s.KeyIdInEnvelope ?? null, KeyIdMatch: s.KeyIdMatch, Status: s.Status }));
  if (values.json) {
    const json = { KeyId: keyId, Valid: r.Valid, PayloadType: r.PayloadType, PayloadBytes: r.Payload.length, SigningAlgorithm: r.SigningAlgorithm, MessageType: r.MessageType, PaeBytes: r.PaeBytes, Signatures: signatures };
    if (r.Valid && values['payload-out'] === undefined) json.Payload = b64(r.Payload);
    return { json, code };
  }
  const out = [r.Valid ? T.result.dsseValid : T.result.dsseInvalid];
  row(out, 'KeyId', keyId ?? T.result.noneGiven);
  row(out, 'Algorithm', r.SigningAlgorithm);
  row(out, 'MessageType', T.result.paeAs(r.MessageType, r.PaeBytes));
  row(out, 'PayloadType', r.PayloadType);
  r.Signatures.forEach((s, i) => row(out, 'Signature', T.result.dsseSignature(i, s.KeyIdInEnvelope, s.KeyIdMatch, s.Status)));
  if (r.Valid) {
    const text = utf8OrNull(Buffer.from(r.Payload));
    if (values['payload-out'] !== undefined) out.push(T.result.written(values['payload-out']));
    else if (text !== null && r.Payload.length <= 4096) out.push('', T.result.payloadFollows(r.Payload.length), text);
    else out.push(T.result.payloadNotShown(r.Payload.length));
  }
  return { text: out.join('\n'), code };
}

async function cmdDsse(lib, values, positionals) {
  if (positionals.length) throw new UsageError(said('unexpectedArguments', positionals));
  if (values['payload-type'] === undefined) throw new MissingOptionError(said('givePayloadType'));
  oneOf(values, 'payload', 'payload-file');
  oneOf(values, 'signature', 'signature-file', { optional: true });
  const stdin = [['--payload-file', values['payload-file']], ['--signature-file', values['signature-file']]].filter(([, v]) => v === '-');
  if (stdin.length > 1) throw new UsageError(said('bothStdin', stdin[0][0], stdin[1][0]));
  const key = await loadDsseKey(lib, values, stdin[0]?.[0]);
  const payload = values.payload !== undefined ? Buffer.from(values.payload, 'utf8') : await readWhole(values['payload-file'], inputNamed('payloadFile'));
  const params = { PayloadType: values['payload-type'], Payload: u8(payload) };
  if (values['signing-algorithm'] !== undefined) params.SigningAlgorithm = values['signing-algorithm'];
  const { SignRequest, Pending } = key.dsseSigningRequest(params);
  const hasSignature = values.signature !== undefined || values['signature-file'] !== undefined;
  if (!hasSignature) {
    // Step 1: the aws kms sign command; its output comes back as --signature-file.
    const steps = kmsSteps(SignRequest.Message, undefined, 'dsse-message.bin', (file) =>
      `aws kms sign --key-id ${keyIdForCommand(key)} --signing-algorithm ${SignRequest.SigningAlgorithm} ` +
        `--message-type ${SignRequest.MessageType} --message fileb://${file} --query Signature --output text > dsse.sig.b64`,
    );
    const payloadOption =
      values.payload !== undefined ? `--payload ${shq(values.payload)}` : values['payload-file'] !== '-' ? `--payload-file ${shq(values['payload-file'])}` : '--payload-file <the same payload>';
    steps.push(`${PROG} dsse --key ${shq(values.key)} --payload-type ${shq(values['payload-type'])} ${payloadOption}` +
      (values['signing-algorithm'] ? ` --signing-algorithm ${SignRequest.SigningAlgorithm}` : '') + ' --signature-file dsse.sig.b64 --out envelope.dsse.json');
    key.free();
    if (values.json) return { json: { SignRequest: { KeyId: SignRequest.KeyId ?? null, Message: b64(SignRequest.Message), MessageType: SignRequest.MessageType, SigningAlgorithm: SignRequest.SigningAlgorithm }, Steps: steps } };
    const out = [T.result.dsseSignFirst(SignRequest.MessageType, SignRequest.SigningAlgorithm, payload.length), ...steps.map((s) => `  ${s}`)];
    return { text: out.join('\n') };
  }
  // Step 2: assemble from the signature KMS returned (verified by the library before it is returned).
  let signature;
  if (values.signature !== undefined) signature = signatureText(values.signature, '--signature');
  else {
    const raw = await readWhole(values['signature-file'], inputNamed('signatureFile'));
    signature = isBase64Text(raw) ? signatureText(raw.toString('latin1').trim(), inputNamed('theSignatureFile')) : u8(raw);
  }
  let envelope;
  try {
    envelope = key.assembleDsse(Pending, signature, values.keyid === undefined ? undefined : { KeyId: values.keyid });
  } catch (e) {
    if (!e || e.name !== 'KMSInvalidSignatureException') throw e;
    key.free();
    return { json: values.json ? { Error: { Name: e.name, Message: e.message } } : undefined, text: values.json ? undefined : T.result.dsseNotAssembled, code: EXIT.INVALID, stderr: libraryErrorLines(e).join('\n') };
  }
  key.free();
  const pretty = JSON.stringify(JSON.parse(envelope), null, 2) + '\n';
  if (values.out !== undefined) {
    writeOut(values.out, pretty, '--out');
    return values.json ? { json: { Envelope: JSON.parse(envelope), WrittenTo: values.out } } : { text: T.result.dsseWritten(values.out) };
  }
  return values.json ? { json: { Envelope: JSON.parse(envelope) } } : { text: pretty.trimEnd() };
}

/**
 * verify-cert, verify-csr, verify-crl: an X.509 certificate, PKCS#10 CSR or CRL signed by the KMS key (PEM, DER or
 * base64 DER), through the library's verifyCertificate / verifyCertificateRequest / verifyCrl. Exit 0 valid, 1 invalid.
 */
function cmdVerifyX509(kind, method) {
  return async (lib, values, positionals) => {
    if (values.in === undefined) throw new MissingOptionError(said('giveIn', kind));
    const { key } = await loadKey(lib, values, positionals);
    const raw = await readWhole(values.in, inputNamed('x509File'));
    const text = raw.toString('latin1');
    const input = /^\s*-----BEGIN /.test(text) || isBase64Text(raw) ? text.trim() : u8(raw);
    const verified = key[method](input);
    key.free();
    const code = verified.SignatureValid ? EXIT.OK : EXIT.INVALID;
    if (values.json) return { json: { ...verified, KeyId: verified.KeyId ?? null }, code };
    const out = [verified.SignatureValid ? T.result.x509Valid(kind) : T.result.x509Invalid(kind)];
    row(out, 'KeyId', verified.KeyId ?? T.result.noneGiven);
    if (verified.Subject !== undefined) row(out, 'Subject', verified.Subject || '""');
    if (verified.Issuer !== undefined) row(out, 'Issuer', verified.Issuer || '""');
    if (verified.SerialNumber !== undefined) row(out, 'SerialNumber', verified.SerialNumber);
    if (verified.NotBefore !== undefined) row(out, 'Validity', `${verified.NotBefore} .. ${verified.NotAfter}`);
    if (verified.ThisUpdate !== undefined) row(out, 'Updates', `${verified.ThisUpdate} .. ${verified.NextUpdate ?? '-'}`);
    if (verified.RevokedSerialNumbers !== undefined) row(out, 'Revoked', verified.RevokedSerialNumbers.join(', ') || '-');
    row(out, 'Algorithm', verified.SigningAlgorithm);
    row(out, 'MessageType', verified.MessageType);
    if (kind !== 'crl') row(out, 'CertifiesThisKey', verified.CertifiesThisKey ? T.result.yes : T.result.no);
    return { text: out.join('\n'), code };
  };
}

/** The X.509 params both csr and cert take, from their options (comma- or space-separated lists). */
function x509Params(values, key) {
  const params = { Subject: values.subject ?? '', SubjectAltNames: { Dns: list(values.dns) ?? [], Email: list(values.email) ?? [], Uri: list(values.uri) ?? [], Ip: list(values.ip) ?? [] } };
  if (values['extended-key-usage'] !== undefined) params.ExtendedKeyUsage = list(values['extended-key-usage']);
  if (values['signing-algorithm'] !== undefined) params.SigningAlgorithm = values['signing-algorithm'];
  return params;
}

/**
 * csr, cert: the KMS Sign request for a CSR of the key, or a certificate it signs (self-signed, or issued for a
 * CSR with --issuer), written as DIR/message.bin and DIR/pending.json, with the `aws kms sign` command to run
 * and the `assemble` command that makes the PEM from its output.
 */
function cmdX509Request(kind) {
  return async (lib, values, positionals) => {
    const { key } = await loadKey(lib, values, positionals);
    const dir = values['out-dir'] ?? '.';
    const params = x509Params(values, key);
    let request;
    if (kind === 'csr') {
      if (values.subject === undefined) throw new MissingOptionError(said('giveSubject'));
      request = key.certificateRequestSigningRequest(params);
    } else {
      const days = values.days === undefined ? 365 : Number(values.days);
      if (!Number.isInteger(days) || days < 1) throw new UsageError(said('daysMustBe', values.days));
      const now = Math.floor(Date.now() / 1000);
      Object.assign(params, { NotBefore: now, NotAfter: now + days * 86400, Ca: values.ca === true });
      if (values.serial !== undefined) params.SerialNumber = values.serial;
      const issuerCert = values['issuer-cert'];
      if (values.issuer !== undefined || issuerCert !== undefined || values.csr !== undefined) {
        if (values.issuer !== undefined && issuerCert !== undefined) throw new UsageError(said('issuerOrIssuerCert'));
        if ((values.issuer === undefined && issuerCert === undefined) || values.csr === undefined) throw new MissingOptionError(said('issuerWithCsr'));
        const csr = (await readWhole(values.csr, '--csr')).toString('latin1');
        // The CA certificate goes as bytes (PEM or DER alike): its subject is copied exactly as encoded.
        const issuer = issuerCert === undefined ? { Issuer: values.issuer } : { IssuerCertificate: new Uint8Array(await readWhole(issuerCert, '--issuer-cert')) };
        request = key.issuedCertificateSigningRequest({ ...params, ...issuer, CertificateRequest: csr });
      } else {
        if (values.subject === undefined) throw new MissingOptionError(said('giveSubject'));
        request = key.selfSignedCertificateSigningRequest(params);
      }
    }
    const keyId = key.keyId;
    key.free();
    const messageFile = path.join(dir, 'message.bin');
    const pendingFile = path.join(dir, 'pending.json');
    const signatureFile = path.join(dir, 'signature.b64');
    const outFile = path.join(dir, kind === 'csr' ? 'request.csr.pem' : 'certificate.pem');
    writeOut(messageFile, request.SignRequest.Message, '--out-dir');
    writeOut(pendingFile, JSON.stringify(request.Pending, null, 2) + '\n', '--out-dir');
    const { MessageType, SigningAlgorithm } = request.SignRequest;
    const sign = `aws kms sign --key-id ${shq(keyId ?? '<your key id>')} --message fileb://${shq(messageFile)} --message-type ${MessageType} --signing-algorithm ${SigningAlgorithm} --query Signature --output text > ${shq(signatureFile)}`;
    const assemble = `${PROG} assemble --key ${shq(values.key ?? positionals[0] ?? 'key.json')} --pending ${shq(pendingFile)} --signature-file ${shq(signatureFile)} --out ${shq(outFile)}`;
    if (values.json) return { json: { SignRequest: { KeyId: keyId ?? null, MessageFile: messageFile, MessageType, SigningAlgorithm }, PendingFile: pendingFile, SignCommand: sign, AssembleCommand: assemble } };
    const out = [T.result.x509Prepared(request.Pending.Kind, request.SignRequest.Message.length, MessageType, messageFile, pendingFile), '', T.result.x509SignThen, `  ${sign}`, `  ${assemble}`];
    return { text: out.join('\n') };
  };
}

/** assemble: the certificate, CSR or CRL from pending.json and KMS Sign's Signature, verified with the key first. */
async function cmdAssemble(lib, values, positionals) {
  oneOf(values, 'signature', 'signature-file');
  if (values.pending === undefined) throw new MissingOptionError(said('givePending'));
  const { key } = await loadKey(lib, values, positionals);
  let pending;
  try {
    pending = JSON.parse((await readWhole(values.pending, '--pending')).toString('utf8'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(said('pendingNotJson', values.pending, e.message));
  }
  let signature;
  if (values.signature !== undefined) signature = values.signature.trim();
  else {
    const raw = await readWhole(values['signature-file'], inputNamed('signatureFile'));
    signature = isBase64Text(raw) ? raw.toString('latin1').trim() : u8(raw);
  }
  const assembled = key.assembleX509(pending, signature);
  key.free();
  const v = assembled.Verified;
  if (values.out !== undefined) writeOut(values.out, assembled.Pem, '--out');
  if (values.json) return { json: { Pem: assembled.Pem, Der: b64(assembled.Der), Verified: { ...v, KeyId: v.KeyId ?? null } } };
  if (values.out === undefined) return { text: assembled.Pem.trimEnd() };
  const out = [T.result.x509Assembled(v.Kind, values.out)];
  if (v.Subject !== undefined) row(out, 'Subject', v.Subject || '""');
  if (v.Issuer !== undefined) row(out, 'Issuer', v.Issuer || '""');
  if (v.SerialNumber !== undefined) row(out, 'SerialNumber', v.SerialNumber);
  row(out, 'Algorithm', v.SigningAlgorithm);
  return { text: out.join('\n') };
}

const COMMANDS = {
  inspect: cmdInspect,
  verify: cmdVerify,
  encrypt: cmdEncrypt,
  derive: cmdDerive,
  encapsulate: cmdEncapsulate,
  'encrypt-file': cmdEncryptFile,
  'verify-dsse': cmdVerifyDsse,
  dsse: cmdDsse,
  'verify-cert': cmdVerifyX509('certificate', 'verifyCertificate'),
  'verify-csr': cmdVerifyX509('certificateRequest', 'verifyCertificateRequest'),
  'verify-crl': cmdVerifyX509('crl', 'verifyCrl'),
  csr: cmdX509Request('csr'),
  cert: cmdX509Request('cert'),
  assemble: cmdAssemble,
};
/** --encryption-context KEY=VALUE (repeatable) as an object; the library checks the ESDK's rules. */
function encryptionContextOf(pairs = []) {
  const context = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(said('contextPair', pair));
    const key = pair.slice(0, at);
    if (Object.hasOwn(context, key)) throw new UsageError(said('contextKeyTwice', key));
    context[key] = pair.slice(at + 1);
  }
  return context;
}

/**
 * An AWS Encryption SDK message of a file of any size, streamed: read a chunk, write its frames. It is written
 * to a temporary file beside --out and renamed when complete, so a failure leaves no half message.
 */
async function cmdEncryptFile(lib, values, positionals) {
  if (values.in === undefined) throw new MissingOptionError(said('giveInFile'));
  if (values.out === undefined) throw new MissingOptionError(said('giveOut'));
  checkOutputs(values);
  if (values.in !== '-' && path.resolve(values.in) === path.resolve(values.out)) throw new UsageError(said('sameInOut', values.in));
  const { key } = await loadKey(lib, values, positionals);
  const options = { EncryptionContext: encryptionContextOf(values['encryption-context']) };
  if (values['frame-length'] !== undefined) {
    if (!/^[0-9]+$/.test(values['frame-length'])) throw new UsageError(said('frameLengthMustBeNumber', values['frame-length']));
    options.FrameLength = Number(values['frame-length']);
  }
  if (values['algorithm-suite'] !== undefined) options.AlgorithmSuite = values['algorithm-suite'];
  if (values['encryption-algorithm'] !== undefined) options.EncryptionAlgorithm = values['encryption-algorithm'];
  const rsa = key.keyUsage === 'ENCRYPT_DECRYPT';
  // The algorithm the keyring on the other side must be configured with: the one given, else the library's default.
  const oaep = rsa ? (options.EncryptionAlgorithm ?? (key.encryptionAlgorithms.includes('RSAES_OAEP_SHA_256') ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1')) : undefined;
  const encryptor = key.messageEncryptor(options); // every KMS and ESDK rule is checked here, before any reading
  const partial = `${values.out}.partial-${process.pid}`;
  let fd;
  try {
    fd = fs.openSync(partial, 'w');
  } catch (e) {
    encryptor.free();
    throw cannotWrite('--out', values.out, writeErrorCode(e));
  }
  const write = (bytes) => {
    try {
      fs.writeSync(fd, bytes);
    } catch (e) {
      throw cannotWrite('--out', values.out, writeErrorCode(e));
    }
  };
  let plaintextBytes = 0;
  let messageBytes = 0;
  const source = values.in === '-' ? inputNamed('stdin') : values.in;
  const progress = progressLine(source, values.in === '-' ? undefined : fileSize(values.in), values.json, 'progressEncrypt');
  try {
    for await (const chunk of chunksOf(values.in, inputNamed('inFile'))) {
      const out = encryptor.update(u8(chunk));
      write(out);
      plaintextBytes += chunk.length;
      messageBytes += out.length;
      progress.update(plaintextBytes);
    }
    const last = encryptor.finish();
    write(last);
    messageBytes += last.length;
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(partial, values.out);
  } finally {
    progress.end();
    if (fd !== undefined) fs.closeSync(fd);
    if (fs.existsSync(partial)) fs.rmSync(partial, { force: true });
    encryptor.free();
  }
  const keyId = key.keyId ?? null;
  const curve = rsa ? undefined : key.keySpec;
  key.free();
  const suite = options.AlgorithmSuite ?? (rsa ? 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY' : 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384');
  const decrypt = (table) =>
    rsa ? table.result.decryptWithRsaKeyring(keyId, oaep, values.out) : table.result.decryptWithEcdhKeyring(keyId, curve, values.out);
  if (values.json) {
    return {
      json: {
        KeyId: keyId,
        Keyring: rsa ? 'AWS KMS RSA keyring' : 'AWS KMS ECDH keyring (KmsPublicKeyDiscovery)',
        ...(rsa ? { EncryptionAlgorithm: oaep } : {}),
        AlgorithmSuite: suite,
        FrameLength: options.FrameLength ?? 4096,
        EncryptionContext: options.EncryptionContext,
        PlaintextBytes: plaintextBytes,
        MessageBytes: messageBytes,
        Out: values.out,
        Decrypt: decrypt(EN),
      },
    };
  }
  const out = [T.result.messageWritten(values.out, messageBytes, plaintextBytes, suite)];
  row(out, 'KeyId', keyId ?? T.result.noneGiven);
  out.push('', decrypt(T));
  return { text: out.join('\n') };
}


// ---------------------------------------------------------------------------------------------------------
// Main

async function loadLibrary() {
  const entry = typeof globalThis.Deno !== 'undefined' ? '../dist/deno.js' : '../dist/node.mjs';
  try {
    return await import(entry);
  } catch (e) {
    throw new UsageError(said('cannotLoadLibrary', new URL(entry, import.meta.url).pathname, e.message), said('buildHint'));
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
    if (option && /argument missing/.test(e.message)) return new MissingOptionError(said('needsValue', option));
    if (option && /does not take an argument/.test(e.message)) return new UsageError(said('takesNoValue', option), helpHint(cmd));
  }
  const unknown = e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(e.message)?.[1] : undefined;
  if (unknown === undefined) return new UsageError(said('badCommandLine', e.message.replace(/\. To specify a positional argument.*$/s, '')), helpHint(cmd));
  const name = unknown.replace(/^-+/, '').replace(/=.*$/s, '');
  const owners = Object.keys(OPTIONS).filter((c) => c !== cmd && name in OPTIONS[c]);
  if (unknown.startsWith('--') && owners.length) return new UsageError(said('optionOfAnotherCommand', `--${name}`, cmd, owners, PROG), helpHint(cmd));
  const longOptions = Object.keys({ ...KEY_OPTIONS, ...OPTIONS[cmd] }).map((o) => `--${o}`);
  const suggestion = unknown.startsWith('--') ? closest(`--${name}`, longOptions) : undefined;
  return new UsageError(said('unknownOption', unknown, suggestion), helpHint(cmd));
}

const helpHint = (cmd) => said('helpHint', cmd, PROG);

async function run(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    const topic = cmd === 'help' && rest[0] in COMMANDS ? rest[0] : 'main';
    return { text: helpOf(topic), code: cmd === undefined ? EXIT.ERROR : EXIT.OK, toStderr: cmd === undefined };
  }
  if (cmd === '--version' || cmd === '-V' || cmd === '-v') return { text: VERSION };
  if (!(cmd in COMMANDS)) throw new UsageError(said('unknownCommand', cmd, closest(cmd, Object.keys(COMMANDS))), said('commandsHint', Object.keys(COMMANDS), PROG));
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...KEY_OPTIONS, ...OPTIONS[cmd] }, allowPositionals: true, strict: true });
  } catch (e) {
    throw optionError(cmd, e);
  }
  if (parsed.values.lang !== undefined && !(parsed.values.lang in TABLES)) throw new UsageError(said('langMustBe', parsed.values.lang), helpHint(cmd));
  if (parsed.values.help) return { text: helpOf(cmd) };
  if (parsed.values.version) return { text: VERSION };
  const fromStdin = [
    [inputNamed('key'), parsed.values.key ?? parsed.positionals[0]],
    ...['message-file', 'signature-file', 'plaintext-file', 'private-key', 'in'].map((o) => [`--${o}`, parsed.values[o]]),
  ].filter(([, v]) => v === '-');
  if (fromStdin.length > 1) throw new UsageError(said('oneStdin', fromStdin.map(([o]) => o)));
  LIBRARY = await loadLibrary();
  return COMMANDS[cmd](LIBRARY, parsed.values, parsed.positionals);
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

/**
 * The stderr lines of a library error (a KMS exception or a bad input): `Name: explanation`, in Japanese with
 * the English original on its own line. The exception name stays as KMS spells it.
 */
function libraryErrorLines(e, name = e.name) {
  const message = e && e.message ? e.message : String(e);
  const explanation = errorMessage(e, LANG);
  const lines = [`${name}: ${explanation}`];
  if (!explanation.includes(message)) lines.push(T.frame.original(message));
  return lines;
}

async function main() {
  let argv = process.argv.slice(2);
  LANG = languageOf(argv);
  T = TABLES[LANG];
  // `kms-offline --lang ja --help`: a --lang before the command chooses the language only.
  if (/^--lang=./.test(argv[0] ?? '')) argv = argv.slice(1);
  else if (argv[0] === '--lang' && argv[1] in TABLES) argv = argv.slice(2);
  const wantsJson = argv.includes('--json');
  let result;
  try {
    result = await run(argv);
  } catch (e) {
    const name = e && typeof e.name === 'string' ? e.name : 'Error';
    const known = e instanceof UsageError || (LIBRARY?.KmsPublicKey.exceptionNames().includes(name) ?? false);
    const message = e && e.message ? e.message : String(e);
    const cmd = argv[0] in COMMANDS ? ` ${argv[0]}` : '';
    const usage = e instanceof MissingOptionError ? USAGE[argv[0]] : undefined;
    if (usage && !e.hint) e.hint = helpHint(argv[0]);
    if (wantsJson) {
      // Language-neutral: the English message and hint whatever --lang or the locale say.
      const hint = render(EN, e?.hint);
      const error = { Name: name, Message: message, ...(hint ? { Hint: hint } : {}), ...(usage ? { Usage: usage.replace(/\s*\n\s*/g, ' ') } : {}) };
      if (typeof e?.kmsRefusal === 'boolean') error.KmsRefusal = e.kmsRefusal;
      process.stdout.write(JSON.stringify({ Error: error }, null, 2) + '\n');
    }
    if (e instanceof UsageError) process.stderr.write(`${PROG}${cmd}: ${render(T, e.sentence)}\n`);
    else process.stderr.write(libraryErrorLines(e, name).join('\n') + '\n');
    if (usage) process.stderr.write(`${T.frame.usageLine(usage)}\n`);
    if (e && e.hint) process.stderr.write(`${T.frame.hint(render(T, e.hint))}\n`);
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
