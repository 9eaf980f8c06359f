// The CLI in Japanese (issue 19, items 3 and 5): under LANG=ja_JP.UTF-8 (or --lang ja) help, results, hints and
// errors are Japanese, with no English sentence left except KMS's own names, code and the preserved English
// originals; --json stays language-neutral (byte for byte the same output in both languages); exit codes do not
// change. The English text is covered, unchanged, by cli.test.mjs and first-use.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import EN from '../../pkg/bin/text/en.mjs';
import JA from '../../pkg/bin/text/ja.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'pkg', 'bin', 'kms-offline.mjs');
const SAMPLES = path.join(REPO, 'www', 'samples');
const sample = (file) => path.join(SAMPLES, file);
const COMMANDS = ['inspect', 'verify', 'encrypt', 'derive', 'encapsulate', 'verify-cert', 'verify-csr', 'verify-crl', 'csr', 'cert', 'assemble', 'verify-dsse', 'dsse', 'encrypt-file'];
const JAPANESE = { LANG: 'ja_JP.UTF-8' };
const POSIX = { LANG: 'C' };
const P256 = 'ECC_NIST_P256_SIGN_VERIFY';
const VERIFY = ['verify', '--key', sample(`${P256}.json`), '--message-file', sample(`${P256}.message.txt`)];

let TMP;
before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-lang-'));
  assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'dist', 'node.mjs')), 'pkg/dist is not built: bash scripts/build.sh');
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** Runs the CLI (Node, or Deno with `deno` flags) with only the locale variables given (none of the caller's). */
function cli(args, locale = {}, deno = undefined) {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const v of ['LANG', 'LC_ALL', 'LC_MESSAGES', 'LANGUAGE']) delete env[v];
  return new Promise((resolve, reject) => {
    const [cmd, pre] = deno ? [path.join(REPO, 'node_modules', '.bin', 'deno'), ['run', ...deno, '--no-lock', BIN]] : [process.execPath, [BIN]];
    const child = spawn(cmd, [...pre, ...args], { env: { ...env, DENO_NO_PROMPT: '1', DENO_NO_UPDATE_CHECK: '1', ...locale }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function expectCode(r, code) {
  assert.equal(r.code, code, `exit ${r.code}, expected ${code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

const HAS_JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Words that are code in either language: command names and option values. */
const CODE_WORDS = new Set([...COMMANDS, 'hex', 'raw', 'hkdf', 'none', 'mu', 'e']);

/**
 * A word of an English sentence: letters only, not a KMS-style name (ALL_CAPS, CamelCase such as KeyId), not a
 * code word. Tokens are split at white space and Japanese punctuation only, so `arn:aws:kms:...` stays whole.
 */
const isEnglishWord = (token) => {
  const word = token.replace(/^[(\[]+|[)\],;:.!?]+$/g, '');
  return /^[A-Za-z]+$/.test(word) && !/^[A-Z0-9]+$/.test(word) && !/[a-z][A-Z]/.test(word) && !CODE_WORDS.has(word);
};

/**
 * The lines of `text` that hold an English sentence: two English words in a row. Allowed, and so ignored: KMS
 * names, option names, file names and paths, numbers, `code`, command lines (npx, aws, echo, and their `\`
 * continuations), and the English original after `原文:`.
 */
function englishSentences(text) {
  const found = [];
  let continued = false;
  for (const line of text.split('\n')) {
    const isCommand = continued || /^\s*(npx|aws|echo) /.test(line);
    continued = line.trimEnd().endsWith('\\');
    if (isCommand) continue;
    const prose = line.replace(/`[^`]*`/g, ' ').replace(/原文[）)]?[:：].*$/, '');
    let run = 0;
    for (const token of prose.split(/[\s、。（）「」：]+/)) {
      run = isEnglishWord(token) ? run + 1 : 0;
      if (run === 2) {
        found.push(line);
        break;
      }
    }
  }
  return found;
}

/** Japanese text with no English sentence left. */
function expectJapanese(text, what) {
  assert.match(text, HAS_JAPANESE, `${what}: no Japanese\n${text}`);
  assert.deepEqual(englishSentences(text), [], `${what}: English sentences left`);
}

/** The command lines of a help page (examples and their continuations, without their comments): the same in both languages. */
const commandLines = (help) => {
  const lines = help.split('\n');
  return lines.filter((l, i) => /^\s*(npx|aws) /.test(l) || (i > 0 && lines[i - 1].trimEnd().endsWith('\\'))).map((l) => l.replace(/\s+# .*$/, ''));
};

// -------------------------------------------------------------------------------------------------------------
describe('the text tables', () => {
  it('en and ja have the same keys, each of the same kind', () => {
    const shape = (v) =>
      typeof v === 'function' ? 'function' : Array.isArray(v) ? `array ${v.length}` : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : typeof v;
    assert.deepEqual(shape(JA), shape(EN));
  });

  it('no section of en or ja names a key twice (a second one silently replaces the first: two commands, one sentence)', () => {
    for (const file of ['en.mjs', 'ja.mjs']) {
      const source = fs.readFileSync(path.join(REPO, 'pkg', 'bin', 'text', file), 'utf8');
      // Sections open at two spaces ("  say: {"), their keys sit at four ("    giveIn: ...").
      const twice = [];
      let section = '', seen = new Set();
      for (const line of source.split('\n')) {
        const open = /^  ([A-Za-z]\w*): \{/.exec(line);
        if (open) [section, seen] = [open[1], new Set()];
        const key = /^    ('[^']+'|[A-Za-z]\w*): /.exec(line)?.[1];
        if (key === undefined) continue;
        if (seen.has(key)) twice.push(`${section}.${key}`);
        seen.add(key);
      }
      assert.deepEqual(twice, [], `${file}: keys given twice`);
    }
  });

  it('the checker finds the English sentences of the English help (it is not vacuous)', async () => {
    const r = await cli(['verify', '--help'], POSIX);
    expectCode(r, 0);
    assert.ok(englishSentences(r.stdout).length > 10, r.stdout);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('help in Japanese under LANG=ja_JP.UTF-8', () => {
  it('the main help and every command\'s --help are Japanese, with the same example commands as in English', async () => {
    await Promise.all(
      [['--help'], ...COMMANDS.map((c) => [c, '--help'])].map(async (args) => {
        const [ja, en] = await Promise.all([cli(args, JAPANESE), cli(args, POSIX)]);
        expectCode(ja, 0);
        expectJapanese(ja.stdout, args.join(' '));
        assert.match(ja.stdout, /^例:$/m);
        assert.deepEqual(commandLines(ja.stdout), commandLines(en.stdout), `${args.join(' ')}: the examples differ`);
      }),
    );
  });

  it('no command: the Japanese usage on stderr, exit 2', async () => {
    const r = await cli([], JAPANESE);
    expectCode(r, 2);
    assert.match(r.stderr, /^使い方: kms-offline <command>/m);
    expectJapanese(r.stderr, 'no command');
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('results in Japanese', () => {
  it('verify VALID (exit 0) and INVALID (exit 1, KMSInvalidSignatureException with its English original)', async () => {
    const [valid, invalid] = await Promise.all([
      cli([...VERIFY, '--signature-file', sample(`${P256}.sig.b64`)], JAPANESE),
      cli([...VERIFY, '--signature-file', sample(`${P256}.tampered.sig.b64`)], JAPANESE),
    ]);
    expectCode(valid, 0);
    assert.match(valid.stdout, /^VALID: 署名は有効です/m);
    assert.match(valid.stdout, /署名アルゴリズム\s+ECDSA_SHA_256/);
    expectJapanese(valid.stdout, 'valid');
    expectCode(invalid, 1);
    assert.match(invalid.stdout, /^INVALID: 署名は検証されませんでした/m);
    expectJapanese(invalid.stdout, 'invalid');
    assert.match(invalid.stderr, /^KMSInvalidSignatureException: /);
    assert.match(invalid.stderr, /Signature verification failed/, 'the English original is kept');
    expectJapanese(invalid.stderr, 'invalid stderr');
  });

  it('verify DIGEST hashed here', async () => {
    const r = await cli([...VERIFY, '--message-type', 'DIGEST', '--signing-algorithm', 'ECDSA_SHA_256', '--signature-file', sample(`${P256}.sig.b64`)], JAPANESE);
    expectCode(r, 0);
    assert.match(r.stdout, /DIGEST（ここでハッシュ: \d+ バイト -> [0-9a-f]{64}）/);
    expectJapanese(r.stdout, 'digest');
  });

  it('encrypt, derive, encapsulate and inspect', async () => {
    const runs = await Promise.all([
      cli(['encrypt', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', 'hello KMS', '--out', path.join(TMP, 'ct.bin')], JAPANESE),
      cli(['derive', '--key', sample('ECC_NIST_P256_KEY_AGREEMENT.json'), '--kdf', 'hkdf', '--info', 'x'], JAPANESE),
      cli(['derive', '--key', sample('ECC_NIST_P256_KEY_AGREEMENT.json')], JAPANESE),
      cli(['encapsulate', '--key', sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json')], JAPANESE),
      cli(['inspect', sample(`${P256}.json`), '--pem'], JAPANESE),
      cli(['inspect', sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json')], JAPANESE),
    ]);
    for (const r of runs) {
      expectCode(r, 0);
      expectJapanese(r.stdout, r.stdout.split('\n')[0]);
    }
    const [encrypt, derive, deriveNoKdf, encapsulate, inspect] = runs;
    assert.match(encrypt.stdout, /^CiphertextBlob（RSAES_OAEP_SHA_256、平文 9 バイトから 256 バイト）、base64:$/m);
    assert.match(encrypt.stdout, /^復号できるのは KMS だけです:$/m);
    assert.match(encrypt.stdout, /^ {2}aws kms decrypt /m);
    assert.match(derive.stdout, /^導出キー（HKDF-SHA-256、32 バイト）、hex:$/m);
    assert.match(deriveNoKdf.stdout, /シークレットは表示していません/);
    assert.match(encapsulate.stdout, /暗黙的拒否/);
    assert.match(inspect.stdout, /^ {2}リージョン +us-west-2$/m);
    assert.match(inspect.stdout, /^ {2}KeySpec +ECC_NIST_P256$/m);
    assert.match(inspect.stdout, /-----BEGIN PUBLIC KEY-----/);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('errors in Japanese', () => {
  it('a KMS exception: its name as KMS spells it, a Japanese explanation, the English original; exit 2', async () => {
    const r = await cli([...VERIFY, '--signature-file', sample(`${P256}.sig.b64`), '--signing-algorithm', 'ECDSA_SHA_384'], JAPANESE);
    expectCode(r, 2);
    assert.match(r.stderr, /^InvalidKeyUsageException: /);
    assert.match(r.stderr, /Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256/, 'the English original is kept');
    expectJapanese(r.stderr, 'KMS exception');
  });

  it('usage errors, hints and the usage line', async () => {
    const cases = [
      [['verify', '--key', sample(`${P256}.json`), '--message', 'x'], /--signature または --signature-file を指定してください/],
      [['verify', '--signatur', 'x'], /'--signatur' というオプションはありません。--signature のことですか\?/],
      [['sign'], /'sign' というコマンドはありません。verify のことですか\?|'sign' というコマンドはありません/],
      [['derive', '--key', sample('ECC_NIST_P256_KEY_AGREEMENT.json'), '--kdf', 'pbkdf2'], /--kdf は hkdf、one-step、none のいずれかです/],
      [['inspect', path.join(TMP, 'nope.json')], /キー '.*nope\.json' を読めません: ファイルがありません/],
      [['encrypt', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--plaintext', 'x', '--out', path.join(TMP, 'no', 'ct.bin')], /フォルダー '.*' がありません/],
      [['inspect', sample(`${P256}.pem`)], /ValidationException: /],
      [['verify', '--lang', 'fr'], /--lang は en または ja です/],
    ];
    await Promise.all(
      cases.map(async ([args, re]) => {
        const r = await cli(args, JAPANESE);
        expectCode(r, 2);
        assert.match(r.stderr, re, args.join(' '));
        expectJapanese(r.stderr, args.join(' '));
      }),
    );
    const missing = await cli(cases[0][0], JAPANESE);
    assert.match(missing.stderr, /^使い方: kms-offline verify --key FILE/m);
    assert.match(missing.stderr, /^ヒント: kms-offline verify --help を参照してください$/m);
    const pem = await cli(cases[6][0], JAPANESE);
    assert.match(pem.stderr, /^ヒント: .* は PEM 形式の ECC_NIST_P256 パブリックキーで、メタデータがありません/m);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('choosing the language', () => {
  const says = (r) => (HAS_JAPANESE.test(r.stdout + r.stderr) ? 'ja' : 'en');

  it('--lang wins over the locale; LC_ALL, then LC_MESSAGES, then LANG; C and POSIX are English', async () => {
    const cases = [
      [['--lang', 'ja'], POSIX, 'ja'],
      [['--lang=ja'], {}, 'ja'],
      [['--lang', 'en'], JAPANESE, 'en'],
      [[], { LC_ALL: 'C', LANG: 'ja_JP.UTF-8' }, 'en'],
      [[], { LC_ALL: 'POSIX', LC_MESSAGES: 'ja_JP.UTF-8' }, 'en'],
      [[], { LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'C' }, 'ja'],
      [[], { LC_ALL: 'ja_JP.UTF-8', LANG: 'en_US.UTF-8' }, 'ja'],
      [[], { LANG: 'ja' }, 'ja'],
      [[], {}, 'en'],
    ];
    await Promise.all(
      cases.map(async ([lang, locale, expected]) => {
        const [help, error] = await Promise.all([cli(['verify', '--help', ...lang], locale), cli(['verify', ...lang, '--key', sample(`${P256}.json`), '--message', 'x'], locale)]);
        expectCode(help, 0);
        expectCode(error, 2);
        assert.equal(says(help), expected, `${lang.join(' ')} ${JSON.stringify(locale)}: help`);
        assert.equal(says(error), expected, `${lang.join(' ')} ${JSON.stringify(locale)}: error`);
      }),
    );
  });

  it('Deno reads the locale with --allow-env; with --allow-read alone it is English unless --lang ja', async () => {
    const args = [...VERIFY, '--signature-file', sample(`${P256}.sig.b64`)];
    const [env, readOnly, flag] = await Promise.all([
      cli(args, JAPANESE, ['--allow-read', '--allow-env=LC_ALL,LC_MESSAGES,LANG']),
      cli(args, JAPANESE, ['--allow-read']),
      cli([...args, '--lang', 'ja'], JAPANESE, ['--allow-read']),
    ]);
    for (const r of [env, readOnly, flag]) expectCode(r, 0);
    assert.match(env.stdout, /^VALID: 署名は有効です/);
    assert.match(readOnly.stdout, /^VALID: the signature verifies/);
    assert.match(flag.stdout, /^VALID: 署名は有効です/);
  });

  it('--lang before the command', async () => {
    const r = await cli(['--lang', 'ja', 'inspect', '--help'], POSIX);
    expectCode(r, 0);
    expectJapanese(r.stdout, '--lang ja inspect --help');
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('--json is language-neutral', () => {
  it('the same output and exit code under LANG=C, LANG=ja_JP.UTF-8 and --lang ja: results, refusals, usage errors', async () => {
    const runs = [
      ['inspect', sample(`${P256}.json`), '--json', '--pem'],
      ['inspect', sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json'), '--json'],
      [...VERIFY, '--signature-file', sample(`${P256}.sig.b64`), '--json'],
      [...VERIFY, '--signature-file', sample(`${P256}.tampered.sig.b64`), '--json'],
      [...VERIFY, '--message-type', 'DIGEST', '--signing-algorithm', 'ECDSA_SHA_256', '--signature-file', sample(`${P256}.sig.b64`), '--json'],
      [...VERIFY, '--signature-file', sample(`${P256}.sig.b64`), '--signing-algorithm', 'ECDSA_SHA_384', '--json'],
      ['verify', '--key', sample(`${P256}.json`), '--message', 'x', '--json'],
      ['inspect', sample(`${P256}.pem`), '--json'],
      ['encrypt', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--plaintext', 'x', '--json'],
      ['derive', '--key', sample('ECC_NIST_P256_KEY_AGREEMENT.json'), '--kdf', 'pbkdf2', '--json'],
    ];
    await Promise.all(
      runs.map(async (args) => {
        const [en, ja, flag] = await Promise.all([cli(args, POSIX), cli(args, JAPANESE), cli([...args, '--lang', 'ja'], POSIX)]);
        assert.ok(en.stdout.startsWith('{'), en.stdout);
        assert.doesNotMatch(en.stdout, HAS_JAPANESE);
        assert.equal(ja.stdout, en.stdout, `${args.join(' ')}: LANG=ja_JP.UTF-8`);
        assert.equal(flag.stdout, en.stdout, `${args.join(' ')}: --lang ja`);
        assert.equal(ja.code, en.code);
        assert.equal(flag.code, en.code);
      }),
    );
  });
});
