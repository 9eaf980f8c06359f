// What a new user of the CLI hits first (issue 17): -V, "did you mean" for a mistyped option or command, the
// usage line when a required option is missing, output files refused in the CLI's own words (never a raw
// `ENOENT:`), KmsRefusal in --json errors, and the progress line of a long hash: on a terminal only (run under
// util-linux `script`, which gives the CLI a pty), never with --json or when stderr is piped.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'pkg', 'bin', 'kms-offline.mjs');
const DENO = path.join(REPO, 'node_modules', '.bin', 'deno');
const SAMPLES = path.join(REPO, 'www', 'samples');
const sample = (f) => path.join(SAMPLES, f);
const P256 = sample('ECC_NIST_P256_SIGN_VERIFY.json');
const RSA_ENC = sample('RSA_2048_ENCRYPT_DECRYPT.json');
const ECDH = sample('ECC_NIST_P256_KEY_AGREEMENT.json');
const MLKEM = sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json');
const ENV = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((f) => fs.existsSync(f));
const BIG_BYTES = 40 * 1024 * 1024; // over the CLI's 32 MiB threshold for a progress line

let TMP;
let big;
let bigSig;
const tmp = (name) => path.join(TMP, name);

function cli(args, { runtime = 'node', denoFlags = ['-A'], cwd = TMP } = {}) {
  const [cmd, pre] = runtime === 'deno' ? [DENO, ['run', ...denoFlags, '--no-lock', BIN]] : [process.execPath, [BIN]];
  const r = spawnSync(cmd, [...pre, ...args], { cwd, env: ENV, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: args.includes('--json') ? JSON.parse(r.stdout || 'null') : undefined };
}

function expectCode(r, code) {
  assert.equal(r.code, code, `exit ${r.code}, expected ${code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** A shell word (for the command line given to `script`). */
const sh = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Runs the CLI under `script`, with a pty for stdin, stdout and stderr; `redirect` is appended to the command. */
function onTerminal(args, { runtime = 'node', redirect = '' } = {}) {
  const base = runtime === 'deno' ? [DENO, 'run', '-A', '--no-lock', BIN] : [process.execPath, BIN];
  const command = [...base, ...args].map(sh).join(' ') + redirect;
  const r = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd: TMP, env: { ...ENV, TERM: 'dumb' }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, output: r.stdout, stderr: r.stderr };
}

before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-first-use-'));
  assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'dist', 'node.mjs')), 'pkg/dist is not built: bash scripts/build.sh');
  // A 40 MiB file and the P-256 fixture's signature of its SHA-256 digest (as KMS signs with MessageType DIGEST).
  big = tmp('release.tar.gz');
  const chunk = crypto.createHash('sha512').update('kms-offline progress').digest();
  fs.writeFileSync(big, Buffer.alloc(BIG_BYTES, chunk));
  const fixture = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', 'ECC_NIST_P256_SIGN_VERIFY.json'), 'utf8'));
  bigSig = tmp('release.sig');
  fs.writeFileSync(bigSig, crypto.sign('sha256', fs.readFileSync(big), fixture.PrivateKeyPem));
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('version, did you mean, usage line', () => {
  it('-V, --version and -V after a command print the package version', () => {
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'pkg', 'package.json'), 'utf8')).version;
    for (const args of [['-V'], ['--version'], ['verify', '-V'], ['encrypt', '--version']]) {
      const r = cli(args);
      expectCode(r, 0);
      assert.equal(r.stdout.trim(), version, args.join(' '));
    }
  });

  it('a mistyped option or command: "did you mean" the nearest one (edit distance); none when nothing is near', () => {
    const cases = [
      [['verify', '--key', P256, '--signatur', 'AAAA'], "kms-offline verify: unknown option '--signatur'; did you mean --signature?"],
      [['inspect', P256, '--key-spex', 'ECC_NIST_P256'], "kms-offline inspect: unknown option '--key-spex'; did you mean --key-spec?"],
      [['verify', '--signing-algoritm', 'ECDSA_SHA_256'], "kms-offline verify: unknown option '--signing-algoritm'; did you mean --signing-algorithm?"],
      [['encrypt', '--plaintxt-file', 'x'], "kms-offline encrypt: unknown option '--plaintxt-file'; did you mean --plaintext-file?"],
      [['verify', '--bogus'], "kms-offline verify: unknown option '--bogus'"],
      [['verify', '--plaintext', 'x'], 'kms-offline verify: --plaintext is an option of kms-offline encrypt, not of kms-offline verify'],
      [['verfy', '--key', P256], "kms-offline: unknown command 'verfy'; did you mean verify?"],
    ];
    for (const [args, first] of cases) {
      const r = cli(args);
      expectCode(r, 2);
      assert.equal(r.stderr.split('\n')[0], first, args.join(' '));
      assert.match(r.stderr, /^hint: (see kms-offline|commands: )/m);
    }
  });

  it('a missing required option prints the command\'s usage line (and Usage in --json)', () => {
    const cases = [
      [['verify', '--key', P256, '--message', 'x'], 'give --signature or --signature-file', /^usage: kms-offline verify --key FILE \(--message TEXT \| --message-file FILE\|-\)\n {26}\(--signature BASE64 \| --signature-file FILE\|-\)/m],
      [['verify', '--message', 'x', '--signature', 'AAAA'], 'give the key: --key FILE (or - for stdin)', /^usage: kms-offline verify --key FILE/m],
      [['verify', sample('RSA_2048_SIGN_VERIFY.json'), '--message', 'x', '--signature', 'AAAA'], 'give --signing-algorithm (this key lists:', /^usage: kms-offline verify /m],
      [['encrypt', '--key', RSA_ENC, '--encryption-algorithm', 'RSAES_OAEP_SHA_256'], 'give --plaintext or --plaintext-file', /^usage: kms-offline encrypt --key FILE \(--plaintext TEXT \| --plaintext-file FILE\|-\)/m],
      [['inspect', '--pem'], 'give the key', /^usage: kms-offline inspect \[--key\] FILE\|- \[--pem\] \[--json\]$/m],
      [['encapsulate'], 'give the key', /^usage: kms-offline encapsulate --key FILE/m],
    ];
    for (const [args, message, usage] of cases) {
      const r = cli(args);
      expectCode(r, 2);
      assert.ok(r.stderr.startsWith(`kms-offline ${args[0]}: ${message}`), r.stderr);
      assert.match(r.stderr, usage);
      assert.match(r.stderr, new RegExp(`^hint: see kms-offline ${args[0]} --help$`, 'm'));
      const j = cli([...args, '--json']).json;
      assert.match(j.Error.Usage, new RegExp(`^kms-offline ${args[0]} `));
      assert.doesNotMatch(j.Error.Usage, /\n/);
    }
    // an option given without its value: the same, in the CLI's words (not parseArgs' "argument missing")
    const noValue = cli(['verify', '--key']);
    expectCode(noValue, 2);
    assert.equal(noValue.stderr.split('\n')[0], 'kms-offline verify: --key needs a value');
    assert.match(noValue.stderr, /^usage: kms-offline verify --key FILE/m);
    const switchValue = cli(['inspect', P256, '--json=yes']);
    expectCode(switchValue, 2);
    assert.equal(switchValue.stderr.split('\n')[0], 'kms-offline inspect: --json takes no value (it is a switch: give it alone)');
    // an error that is not a missing option prints no usage line
    const bad = cli(['verify', '--key', P256, '--message', 'x', '--signature', 'not base64!']);
    expectCode(bad, 2);
    assert.doesNotMatch(bad.stderr, /^usage:/m);
  });

  it('--json errors say whether KMS would refuse the request (KmsRefusal true) or an input is bad (false)', () => {
    const rule = cli(['verify', '--key', P256, '--message', 'x', '--signature', 'AAAA', '--signing-algorithm', 'ECDSA_SHA_384', '--json']);
    expectCode(rule, 2);
    assert.deepEqual([rule.json.Error.Name, rule.json.Error.KmsRefusal], ['InvalidKeyUsageException', true]);
    const keyFile = tmp('bad-key-id.json');
    fs.writeFileSync(keyFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(P256, 'utf8')), KeyId: 'not a key id' }));
    const input = cli(['inspect', keyFile, '--json']);
    expectCode(input, 2);
    assert.equal(input.json.Error.KmsRefusal, false, JSON.stringify(input.json));
    const usage = cli(['verify', '--key', P256, '--json']);
    assert.equal('KmsRefusal' in usage.json.Error, false, 'a CLI usage error is neither');
  });
});

describe('--out, --secret-out, --public-key-out: the CLI\'s own sentences, exit 2, no file written', () => {
  const encrypt = (out, extra = []) => ['encrypt', '--key', RSA_ENC, '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', 'hi', '--out', out, ...extra];
  const RAW_SYSTEM_TEXT = /ENOENT|ENOTDIR|EISDIR|EACCES|EPERM|no such file or directory|errno|\n\s+at /;

  function expectCannotWrite(r, sentence) {
    expectCode(r, 2);
    assert.equal(r.stderr.split('\n')[0], sentence, r.stderr);
    assert.doesNotMatch(r.stderr, RAW_SYSTEM_TEXT);
  }

  it('a folder that does not exist', () => {
    expectCannotWrite(cli(encrypt('x/y.bin')), "kms-offline encrypt: cannot write --out 'x/y.bin': the folder 'x' does not exist (create it first, or give another path)");
    const j = cli(encrypt('x/y.bin', ['--json'])).json;
    assert.equal(j.Error.Name, 'UsageError');
    assert.match(j.Error.Message, /^cannot write --out 'x\/y.bin': the folder 'x' does not exist/);
  });

  it('a folder given as the file (with and without a trailing slash)', () => {
    fs.mkdirSync(tmp('outdir'), { recursive: true });
    expectCannotWrite(cli(encrypt('outdir')), "kms-offline encrypt: cannot write --out 'outdir': 'outdir' is a folder; give a file name inside it, e.g. 'outdir/out.bin'");
    expectCannotWrite(cli(encrypt('outdir/')), "kms-offline encrypt: cannot write --out 'outdir/': 'outdir/' is a folder; give a file name inside it, e.g. 'outdir/out.bin'");
  });

  it('a file where a folder should be, even deeper in the path', () => {
    fs.writeFileSync(tmp('plain.txt'), 'x');
    expectCannotWrite(cli(encrypt('plain.txt/ct.bin')), "kms-offline encrypt: cannot write --out 'plain.txt/ct.bin': 'plain.txt' is not a folder (a file has that name)");
    expectCannotWrite(cli(encrypt('plain.txt/a/ct.bin')), "kms-offline encrypt: cannot write --out 'plain.txt/a/ct.bin': 'plain.txt' is not a folder (a file has that name)");
  });

  it('permission denied (a read-only folder; as root, the CLI runs as nobody through setpriv)', (t) => {
    const ro = tmp('readonly');
    fs.mkdirSync(ro);
    fs.chmodSync(ro, 0o555);
    let args = [BIN, ...encrypt(path.join(ro, 'ct.bin'))];
    let r;
    if (process.getuid?.() === 0) {
      if (!fs.existsSync('/usr/bin/setpriv')) return t.skip('root without setpriv: cannot lose the permission to write');
      fs.chmodSync(TMP, 0o755);
      // nobody may not be able to reach the checkout (a clone under /root, or a mktemp folder): it runs a copy of the
      // CLI with the files it imports, and reads a copy of the key, all in TMP.
      const cli = path.join(TMP, 'cli-package');
      for (const part of ['package.json', 'bin/kms-offline.mjs', 'bin/text', 'messages', 'dist/node.mjs', 'dist/node.cjs', 'dist/kms_offline_bg.wasm']) {
        fs.cpSync(path.join(REPO, 'pkg', part), path.join(cli, part), { recursive: true });
      }
      fs.copyFileSync(RSA_ENC, path.join(TMP, 'rsa-enc.json'));
      for (const dir of [cli, ...fs.readdirSync(cli, { recursive: true }).map((f) => path.join(cli, f))]) fs.chmodSync(dir, fs.statSync(dir).isDirectory() ? 0o755 : 0o644);
      args = [path.join(cli, 'bin', 'kms-offline.mjs'), ...encrypt(path.join(ro, 'ct.bin')).map((a) => (a === RSA_ENC ? path.join(TMP, 'rsa-enc.json') : a))];
      r = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...args], { cwd: TMP, env: ENV, encoding: 'utf8' });
    } else {
      r = spawnSync(process.execPath, args, { cwd: TMP, env: ENV, encoding: 'utf8' });
    }
    expectCannotWrite(
      { code: r.status, stdout: r.stdout, stderr: r.stderr },
      `kms-offline encrypt: cannot write --out '${ro}/ct.bin': permission denied: you may not write in the folder '${ro}' or replace the file`,
    );
    assert.equal(fs.existsSync(path.join(ro, 'ct.bin')), false);
  });

  it('--secret-out and --public-key-out too; checked before any work, so a good --out is not written either', () => {
    const mlkemOut = tmp('kem-ct.bin');
    expectCannotWrite(
      cli(['encapsulate', '--key', MLKEM, '--out', mlkemOut, '--secret-out', 'nowhere/secret.bin']),
      "kms-offline encapsulate: cannot write --secret-out 'nowhere/secret.bin': the folder 'nowhere' does not exist (create it first, or give another path)",
    );
    assert.equal(fs.existsSync(mlkemOut), false, 'the ciphertext was written although the secret could not be');
    expectCannotWrite(
      cli(['derive', '--key', ECDH, '--public-key-out', 'nowhere/pub.der']),
      "kms-offline derive: cannot write --public-key-out 'nowhere/pub.der': the folder 'nowhere' does not exist (create it first, or give another path)",
    );
    expectCannotWrite(
      cli(['encapsulate', '--key', MLKEM, '--out', 'same.bin', '--secret-out', './same.bin']),
      "kms-offline encapsulate: --out and --secret-out name the same file 'same.bin': give each its own file",
    );
  });

  it('Deno without --allow-write: the CLI says which flag is missing', () => {
    const r = cli(encrypt('ct.bin'), { runtime: 'deno', denoFlags: ['--allow-read'] });
    expectCannotWrite(r, "kms-offline encrypt: cannot write --out 'ct.bin': Deno was not given write permission: run it with --allow-write");
    expectCannotWrite(cli(encrypt('x/y.bin'), { runtime: 'deno' }), "kms-offline encrypt: cannot write --out 'x/y.bin': the folder 'x' does not exist (create it first, or give another path)");
  });
});

describe('progress line of a long hash (verify --message-type DIGEST of a 40 MiB file)', () => {
  const verifyBig = (extra = []) => ['verify', '--key', P256, '--signing-algorithm', 'ECDSA_SHA_256', '--message-type', 'DIGEST', '--message-file', big, '--signature-file', bigSig, ...extra];
  const PROGRESS = /\rhashing .*release\.tar\.gz: [0-9.]+ (bytes|KiB|MiB) of 40 MiB \(\d+ %\)/;

  it('piped stderr: no progress bytes at all', () => {
    const r = cli(verifyBig());
    expectCode(r, 0);
    assert.doesNotMatch(r.stderr, /hashing|\r/);
    assert.equal(r.stderr, '');
  });

  it('on a terminal: the progress line, updated in place with \\r and erased before the result', (t) => {
    if (!SCRIPT) return t.skip('util-linux script is not installed');
    const r = onTerminal(verifyBig());
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, PROGRESS);
    // erased: the last progress line is overwritten with spaces and the cursor goes back before VALID is printed
    assert.match(r.output, /\r {20,}\rVALID/);
  });

  it('on a terminal with --json: no progress', (t) => {
    if (!SCRIPT) return t.skip('util-linux script is not installed');
    const r = onTerminal(verifyBig(['--json']));
    assert.equal(r.code, 0, r.output);
    assert.doesNotMatch(r.output, /hashing/);
    assert.match(r.output, /"SignatureValid": true/);
  });

  it('stdout on a terminal but stderr piped to a file: no progress in the file', (t) => {
    if (!SCRIPT) return t.skip('util-linux script is not installed');
    const errFile = tmp('stderr.txt');
    const r = onTerminal(verifyBig(), { redirect: ` 2>${sh(errFile)}` });
    assert.equal(r.code, 0, r.output);
    assert.equal(fs.readFileSync(errFile, 'utf8'), '');
    assert.doesNotMatch(r.output, /hashing/);
  });

  it('on a terminal, a small file: no progress', (t) => {
    if (!SCRIPT) return t.skip('util-linux script is not installed');
    const r = onTerminal(['verify', '--key', P256, '--message-type', 'DIGEST', '--message-file', sample('ECC_NIST_P256_SIGN_VERIFY.message.txt'), '--signature-file', sample('ECC_NIST_P256_SIGN_VERIFY.sig.b64')]);
    assert.equal(r.code, 0, r.output);
    assert.doesNotMatch(r.output, /hashing/);
  });

  it('Deno on a terminal: the progress line too', (t) => {
    if (!SCRIPT) return t.skip('util-linux script is not installed');
    const r = onTerminal(verifyBig(), { runtime: 'deno' });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, PROGRESS);
  });
});
