// The kms-offline CLI (pkg/bin/kms-offline.mjs) run as a subprocess, in Node and in Deno, against the fixture keys
// and the www/samples SAMPLE keys: every command, every exit code (0 valid/done, 1 invalid, 2 rule or input),
// inputs from arguments, files and stdin, --json, --help. Results are checked with node:crypto, noble and the
// fixtures' private keys, not with the library itself.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'pkg', 'bin', 'kms-offline.mjs');
const DENO = path.join(REPO, 'node_modules', '.bin', 'deno');
const KEYS = path.join(REPO, 'tests', 'fixtures', 'keys');
const SAMPLES = path.join(REPO, 'www', 'samples');
const fixture = (name) => JSON.parse(fs.readFileSync(path.join(KEYS, `${name}.json`), 'utf8'));
/** The fixture's GetPublicKey member as a file (what `aws kms get-public-key --output json` prints). */
function fixtureFile(name) {
  const file = path.join(TMP, `${name}.gpk.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(fixture(name).GetPublicKey, null, 2));
  return file;
}
const sample = (file) => path.join(SAMPLES, file);
const COMMANDS = ['inspect', 'verify', 'encrypt', 'derive', 'encapsulate', 'encrypt-file'];

let TMP;

// Subprocesses run a few at a time (each one starts a runtime and compiles the wasm).
const MAX_PARALLEL = Math.max(2, Math.min(4, os.availableParallelism?.() ?? 2));
let running = 0;
const waiting = [];
async function limited(fn) {
  if (running >= MAX_PARALLEL) await new Promise((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs the CLI; resolves to { code, stdout, stderr, json } (json: parsed stdout when --json). */
function cli(args, { input, runtime = 'node', env = {}, cwd = REPO } = {}) {
  const [cmd, pre] = runtime === 'deno' ? [DENO, ['run', '-A', '--no-lock', BIN]] : [process.execPath, [BIN]];
  return limited(
    () =>
      new Promise((resolve, reject) => {
        const child = spawn(cmd, [...pre, ...args], {
          cwd,
          env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', ...env },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        const out = [];
        const err = [];
        child.stdout.on('data', (d) => out.push(d));
        child.stderr.on('data', (d) => err.push(d));
        child.stdin.on('error', () => {}); // the CLI may exit before reading stdin
        child.stdin.end(input ?? '');
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          const stdout = Buffer.concat(out).toString('utf8');
          const stderr = Buffer.concat(err).toString('utf8');
          let json;
          if (args.includes('--json')) {
            try {
              json = JSON.parse(stdout);
            } catch {
              json = undefined;
            }
          }
          resolve({ code, signal, stdout, stderr, json });
        });
      }),
  );
}

/** Runs fn over items concurrently (the CLI calls inside are limited). */
const each = (items, fn) => Promise.all(items.map(fn));

/** Asserts the exit code, with the output in the message. */
function expectCode(r, code) {
  assert.equal(r.code, code, `exit ${r.code} (signal ${r.signal}), expected ${code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
}

/** Exit 2 with `Name: rule` on stderr. */
function expectRefusal(r, name, rule) {
  expectCode(r, 2);
  assert.match(r.stderr, new RegExp(`^${name}: `, 'm'), r.stderr);
  if (rule) assert.match(r.stderr, rule);
}

const tmp = (name) => path.join(TMP, name);

before(() => {
  TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-cli-'));
  assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'dist', 'node.mjs')), 'pkg/dist is not built: bash scripts/build.sh');
});
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

// -------------------------------------------------------------------------------------------------------------
describe('help, version, usage errors', () => {
  it('--help for the CLI and for every command, each with an example', async () => {
    const main = await cli(['--help']);
    expectCode(main, 0);
    for (const c of COMMANDS) assert.match(main.stdout, new RegExp(`^  ${c}\\b`, 'm'));
    assert.match(main.stdout, /Exit codes: 0 valid \/ done, 1 signature invalid, 2 rule violation or bad input/);
    const forms = [...COMMANDS.map((c) => [c, '--help']), ['verify', '-h'], ['help', 'encrypt']];
    await each(forms, async (args) => {
      const c = args[0] === 'help' ? args[1] : args[0];
      const r = await cli(args);
      expectCode(r, 0);
      assert.match(r.stdout, new RegExp(`^Usage: kms-offline ${c}\\b`, 'm'), `${args.join(' ')}`);
      assert.match(r.stdout, /^Examples?:/m);
      assert.match(r.stdout, new RegExp(`^  npx kms-offline ${c} `, 'm'));
    });
  });

  // Every --help example is run as printed, after npm pack and npm install, by tests/cli/examples.test.mjs.

  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    expectCode(r, 0);
    assert.equal(r.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO, 'pkg', 'package.json'), 'utf8')).version);
  });

  it('no command: usage on stderr, exit 2; unknown command or option: exit 2 with a hint', async () => {
    const [none, unknown, opt] = await Promise.all([cli([]), cli(['sign', '--key', 'x']), cli(['verify', '--bogus'])]);
    expectCode(none, 2);
    assert.match(none.stderr, /^Usage: kms-offline <command>/m);
    expectCode(unknown, 2);
    assert.match(unknown.stderr, /unknown command 'sign'/);
    expectCode(opt, 2);
    assert.match(opt.stderr, /unknown option '--bogus'/);
    assert.match(opt.stderr, /hint: see kms-offline verify --help/);
  });

  it('bad input is exit 2: missing key, missing file, both inline and file, bad base64, two stdin inputs', async () => {
    const key = sample('ECC_NIST_P256_SIGN_VERIFY.json');
    const cases = [
      [['verify', '--message', 'x', '--signature', 'AAAA'], /give the key/],
      [['inspect', tmp('nope.json'), '--json'], /cannot read key .*no such file/],
      [['verify', '--key', key, '--signature', 'AAAA'], /give --message or --message-file/],
      [['verify', '--key', key, '--message', 'x', '--message-file', key, '--signature', 'AAAA'], /not both/],
      [['verify', '--key', key, '--message', 'x', '--signature', 'not base64!', '--json'], /--signature is not valid base64/],
      [['verify', '--key', key, '--message', 'zz', '--message-encoding', 'hex', '--signature', 'AAAA'], /--message is not valid hex/],
      [['verify', '--key', '-', '--message-file', '-', '--signature', 'AAAA'], /only one input can come from stdin/],
      [['encrypt', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--plaintext', 'x'], /give --encryption-algorithm \(this key lists: RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256\)/],
      [['inspect', key, '--key-spec', 'ECC_NIST_P256'], /are for PEM\/DER keys/],
      [['derive', '--key', sample('ECC_NIST_P256_KEY_AGREEMENT.json'), '--kdf', 'pbkdf2'], /--kdf must be hkdf, one-step or none/],
    ];
    await each(cases, async ([args, re]) => {
      const r = await cli(args);
      expectCode(r, 2);
      assert.match(r.stderr, re, args.join(' '));
      if (args.includes('--json')) assert.equal(r.json?.Error?.Name, 'UsageError', r.stdout);
    });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('inspect', () => {
  it('a sample GetPublicKey JSON: the key card, the SAMPLE banner, the ARN split, the fingerprint, the caveats', async () => {
    const fx = fixture('ECC_NIST_P256_SIGN_VERIFY');
    const r = await cli(['inspect', sample('ECC_NIST_P256_SIGN_VERIFY.json')]);
    expectCode(r, 0);
    const fp = crypto.createHash('sha256').update(Buffer.from(fx.GetPublicKey.PublicKey, 'base64')).digest('hex');
    assert.match(r.stdout, /SAMPLE test key, not a real KMS key/);
    for (const re of [
      /KeySpec\s+ECC_NIST_P256/, /KeyUsage\s+SIGN_VERIFY/, /Algorithms\s+ECDSA_SHA_256\s+\(SigningAlgorithms\)/,
      /Partition\s+aws\n/, /Region\s+us-west-2/, /Account\s+111122223333/, new RegExp(`Key ID\\s+${fx.GetPublicKey.KeyId.split('/')[1]}`),
      new RegExp(`Fingerprint\\s+${fp}`), /Authorization/, /Usage and algorithms/, /Disable and delete/, /CloudTrail/,
    ]) {
      assert.match(r.stdout, re);
    }
    assert.doesNotMatch(r.stdout, /distinguishing ID/);
  });

  it('--json and --pem for a key of every family (GetPublicKey JSON from a file)', async () => {
    const names = [
      'RSA_3072_ENCRYPT_DECRYPT', 'ECC_NIST_P384_KEY_AGREEMENT', 'ECC_NIST_P521_SIGN_VERIFY', 'ECC_SECG_P256K1_SIGN_VERIFY',
      'SM2_ENCRYPT_DECRYPT', 'ML_DSA_87_SIGN_VERIFY', 'ML_KEM_1024_ENCAPSULATE_DECAPSULATE', 'ECC_NIST_EDWARDS25519_SIGN_VERIFY',
    ];
    await each(names, async (name) => {
      const fx = fixture(name);
      const r = await cli(['inspect', fixtureFile(name), '--json', '--pem']);
      expectCode(r, 0);
      const j = r.json;
      assert.equal(j.KeySpec, fx.GetPublicKey.KeySpec);
      assert.equal(j.KeyUsage, fx.GetPublicKey.KeyUsage);
      assert.equal(j.KeyId, fx.GetPublicKey.KeyId);
      assert.equal(j.PublicKey, fx.GetPublicKey.PublicKey);
      assert.equal(j.Arn.partition, fx.GetPublicKey.KeyId.split(':')[1]);
      assert.equal(j.Arn.region, fx.GetPublicKey.KeyId.split(':')[3]);
      assert.equal(j.Arn.accountId, '111122223333');
      assert.equal(j.Fingerprint.Hex, crypto.createHash('sha256').update(Buffer.from(fx.GetPublicKey.PublicKey, 'base64')).digest('hex'));
      assert.equal(j.PublicKeyPem.trim(), fx.PublicKeyPem.trim());
      assert.equal(j.Sample, undefined);
      const topics = j.OfflineCaveats.map((c) => c.Topic);
      assert.ok(['Authorization', 'Usage and algorithms', 'Disable and delete', 'Logging'].every((t) => topics.includes(t)), topics.join());
      assert.equal(topics.includes('SM2'), fx.GetPublicKey.KeySpec === 'SM2', name);
    });
  });

  it('the key from stdin: CLI JSON, and SDK JSON (PublicKey as bytes, with $metadata)', async () => {
    const fx = fixture('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    const sdk = { ...fx.GetPublicKey, PublicKey: new Uint8Array(Buffer.from(fx.GetPublicKey.PublicKey, 'base64')), $metadata: { httpStatusCode: 200 } };
    const [a, b] = await Promise.all([
      cli(['inspect', '-', '--json'], { input: JSON.stringify(fx.GetPublicKey) }),
      cli(['inspect', '--key', '-', '--json'], { input: JSON.stringify(sdk) }),
    ]);
    expectCode(a, 0);
    assert.equal(a.json.LoadedFrom.Source, 'stdin');
    expectCode(b, 0);
    assert.equal(b.json.PublicKey, fx.GetPublicKey.PublicKey);
  });

  it('PEM, DER and base64 DER with the metadata flags; without them, ValidationException and a hint', async () => {
    const fx = fixture('RSA_2048_SIGN_VERIFY');
    const der = tmp('rsa.der');
    fs.writeFileSync(der, Buffer.from(fx.GetPublicKey.PublicKey, 'base64'));
    const b64 = tmp('rsa.b64');
    fs.writeFileSync(b64, fx.GetPublicKey.PublicKey + '\n');
    const meta = ['--key-spec', 'RSA_2048', '--key-usage', 'SIGN_VERIFY', '--signing-algorithms', 'RSASSA_PSS_SHA_256,RSASSA_PKCS1_V1_5_SHA_256', '--key-id', fx.GetPublicKey.KeyId];
    await each([[sample('RSA_2048_SIGN_VERIFY.pem'), 'PEM'], [der, 'DER'], [b64, 'base64 DER']], async ([file, form]) => {
      const [r, bare] = await Promise.all([cli(['inspect', file, ...meta, '--json']), cli(['inspect', file])]);
      expectCode(r, 0);
      assert.equal(r.json.LoadedFrom.Form, form);
      assert.deepEqual(r.json.SigningAlgorithms, ['RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256']);
      assert.equal(r.json.KeyId, fx.GetPublicKey.KeyId);
      expectRefusal(bare, 'ValidationException', /KeySpec is required/);
      // The hint names the options for the key type the library detected, with the spec's algorithms.
      assert.match(bare.stderr, /hint: .* is a .*RSA_2048 public key, which carries no metadata: /);
      assert.match(bare.stderr, /--key-spec RSA_2048 --key-usage SIGN_VERIFY --signing-algorithms RSASSA_PSS_SHA_256,[A-Z0-9_,]*RSASSA_PKCS1_V1_5_SHA_512\b/);
      assert.match(bare.stderr, /--key-spec RSA_2048 --key-usage ENCRYPT_DECRYPT --encryption-algorithms RSAES_OAEP_SHA_1,RSAES_OAEP_SHA_256\b/);
    });
    // Text that is no public key says so, with no hint about metadata.
    const text = tmp('hello.txt');
    fs.writeFileSync(text, 'hello world\n');
    const notAKey = await cli(['inspect', text]);
    expectRefusal(notAKey, 'ValidationException', /PublicKey is not a public key/);
    assert.doesNotMatch(notAKey.stderr, /carries no metadata/);
    const r = await cli(['inspect', '-', ...meta], { input: fx.PublicKeyPem });
    expectCode(r, 0);
    assert.match(r.stdout, /KMS public key \(PEM from stdin\)/);
  });

  it('load-time rules: wrong KeySpec, algorithm not for the spec, bad ARN, HMAC spec, bad JSON; the SM2 caveat', async () => {
    const pem = sample('ECC_NIST_P256_SIGN_VERIFY.pem');
    const bad = tmp('bad.json');
    fs.writeFileSync(bad, '{ "KeyId": ');
    const cases = [
      [['inspect', pem, '--key-spec', 'ECC_NIST_P384', '--key-usage', 'SIGN_VERIFY', '--signing-algorithms', 'ECDSA_SHA_384'], 'ValidationException'],
      [['inspect', pem, '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY', '--signing-algorithms', 'ECDSA_SHA_384'], 'InvalidKeyUsageException', /ECDSA_SHA_384/],
      [['inspect', pem, '--key-spec', 'ECC_NIST_P256', '--key-usage', 'ENCRYPT_DECRYPT', '--encryption-algorithms', 'RSAES_OAEP_SHA_256'], 'InvalidKeyUsageException'],
      [['inspect', pem, '--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY', '--signing-algorithms', 'ECDSA_SHA_256', '--key-id', 'arn:aws:kms:us-east-1:12:key/x'], 'InvalidArnException', /12 digits/],
      [['inspect', pem, '--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC'], 'UnsupportedOperationException'],
      [['inspect', bad, '--json'], 'ValidationException', /not valid JSON/],
    ];
    await each(cases, async ([args, name, rule]) => {
      const r = await cli(args);
      expectRefusal(r, name, rule);
      if (args.includes('--json')) assert.equal(r.json.Error.Name, name);
    });
    const sm2 = await cli(['inspect', sample('SM2_SIGN_VERIFY.json')]);
    expectCode(sm2, 0);
    assert.match(sm2.stdout, /Partition\s+aws-cn/);
    assert.match(sm2.stdout, /distinguishing ID; KMS uses 1234567812345678/);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('verify', () => {
  const SIGNING = JSON.parse(fs.readFileSync(path.join(SAMPLES, 'index.json'), 'utf8')).samples.filter((s) => s.signature);

  it('every signing sample: valid signature exit 0, tampered exit 1 (KMSInvalidSignatureException on stderr)', async () => {
    await each(SIGNING, async (s) => {
      const base = ['verify', '--key', sample(s.files.key), '--message-file', sample(s.files.message), '--signing-algorithm', s.signature.SigningAlgorithm];
      const [ok, bad] = await Promise.all([cli([...base, '--signature-file', sample(s.files.signature)]), cli([...base, '--signature-file', sample(s.files.tamperedSignature)])]);
      expectCode(ok, 0);
      assert.match(ok.stdout, /^VALID/);
      assert.equal(ok.stderr, '');
      expectCode(bad, 1);
      assert.match(bad.stdout, /^INVALID/);
      assert.match(bad.stderr, /^KMSInvalidSignatureException: /);
    });
  });

  it('one fixture case per signing key, DIGEST / EXTERNAL_MU given as is (--message-is-digest, base64 message)', async () => {
    const keys = fs.readdirSync(KEYS).filter((x) => x.endsWith('_SIGN_VERIFY.json')).map((f) => f.replace(/\.json$/, ''));
    let invalid = 0;
    await each(keys, async (name, i) => {
      const cases = fixture(name).Signatures;
      // alternate: a valid non-RAW case where the key has one, an invalid case for every third key
      const c = i % 3 === 2 ? cases.find((x) => !x.Valid) : cases.find((x) => x.Valid && x.MessageType !== 'RAW') ?? cases.find((x) => x.Valid);
      if (!c.Valid) invalid++;
      const args = ['verify', '--key', fixtureFile(name), '--signing-algorithm', c.SigningAlgorithm, '--message-type', c.MessageType,
        '--message', c.Message, '--message-encoding', 'base64', '--signature', c.Signature, '--json'];
      if (c.MessageType !== 'RAW') args.push('--message-is-digest');
      const r = await cli(args);
      expectCode(r, c.Valid ? 0 : 1);
      assert.equal(r.json.SignatureValid, c.Valid, `${name} ${c.SigningAlgorithm} ${c.MessageType}: ${c.Note}`);
      if (!c.Valid) assert.equal(r.json.Error.Name, 'KMSInvalidSignatureException');
    });
    assert.ok(keys.length >= 12 && invalid >= 4, `${keys.length} keys, ${invalid} invalid cases`);
  });

  it('DIGEST and EXTERNAL_MU computed here from the message: file, stdin, inline; hex signatures', async () => {
    const fx = fixture('RSA_2048_SIGN_VERIFY');
    const text = fx.Signatures.find((c) => c.Valid && c.MessageType === 'RAW' && c.SigningAlgorithm === 'RSASSA_PSS_SHA_384' && c.Note.startsWith('95-byte text'));
    const msg = Buffer.from(text.Message, 'base64');
    const msgFile = tmp('msg.txt');
    fs.writeFileSync(msgFile, msg);
    const common = ['verify', '--key', fixtureFile('RSA_2048_SIGN_VERIFY'), '--signing-algorithm', 'RSASSA_PSS_SHA_384', '--message-type', 'DIGEST'];
    const digest = crypto.createHash('sha384').update(msg).digest('hex');
    await each(
      [
        [['--message-file', msgFile, '--signature', text.Signature], undefined],
        [['--message-file', '-', '--signature', text.Signature], msg],
        [['--message', msg.toString('hex'), '--message-encoding', 'hex', '--signature', Buffer.from(text.Signature, 'base64').toString('hex'), '--signature-encoding', 'hex'], undefined],
        [['--message', msg.toString('utf8'), '--signature-file', '-'], text.Signature],
      ],
      async ([extra, input]) => {
        const r = await cli([...common, ...extra, '--json'], { input });
        expectCode(r, 0);
        assert.equal(r.json.Digest, digest);
        assert.equal(r.json.MessageBytes, msg.length);
      },
    );
    // ML-DSA: mu computed here from the RAW message verifies the RAW signature (a message and its mu are the same message).
    const ml = fixture('ML_DSA_44_SIGN_VERIFY');
    const raw = ml.Signatures.find((c) => c.Valid && c.MessageType === 'RAW' && c.Note.startsWith('95-byte text'));
    // Ed25519ph: SHA-512 computed here.
    const ed = fixture('ECC_NIST_EDWARDS25519_SIGN_VERIFY');
    const ph = ed.Signatures.find((c) => c.Valid && c.SigningAlgorithm === 'ED25519_PH_SHA_512' && c.Note.startsWith('D = SHA-512 of the 95-byte'));
    const [mu, edph] = await Promise.all([
      cli(['verify', '--key', fixtureFile('ML_DSA_44_SIGN_VERIFY'), '--message-type', 'EXTERNAL_MU', '--message', raw.Message, '--message-encoding', 'base64', '--signature', raw.Signature, '--json']),
      cli(['verify', '--key', fixtureFile('ECC_NIST_EDWARDS25519_SIGN_VERIFY'), '--signing-algorithm', 'ED25519_PH_SHA_512', '--message-type', 'DIGEST', '--message', text.Message, '--message-encoding', 'base64', '--signature', ph.Signature]),
    ]);
    expectCode(mu, 0);
    assert.equal(mu.json.Mu.length, 128);
    expectCode(edph, 0);
  });

  it('SM2DSA DIGEST: e = SM3(Z_A || M) computed here with KMS\'s ID (valid) or another --distinguishing-id (invalid)', async () => {
    const base = ['verify', '--key', sample('SM2_SIGN_VERIFY.json'), '--message-type', 'DIGEST', '--message-file', sample('SM2_SIGN_VERIFY.message.txt'),
      '--signature-file', sample('SM2_SIGN_VERIFY.sig.b64'), '--json'];
    const [ok, other, misuse] = await Promise.all([
      cli(base),
      cli([...base, '--distinguishing-id', 'ALICE123@YAHOO.COM']),
      cli(['verify', '--key', sample('ECC_NIST_P256_SIGN_VERIFY.json'), '--message', 'x', '--message-type', 'DIGEST', '--signature', 'AAAA', '--distinguishing-id', 'x']),
    ]);
    expectCode(ok, 0);
    assert.equal(ok.json.Digest.length, 64);
    expectCode(other, 1);
    assert.equal(other.json.DistinguishingId, 'ALICE123@YAHOO.COM');
    expectCode(misuse, 2);
    assert.match(misuse.stderr, /--distinguishing-id applies to SM2DSA/);
    // The fixture's DIGEST case signed with another ID verifies with that ID.
    const fx = fixture('SM2_SIGN_VERIFY');
    const alice = fx.Signatures.find((c) => c.Valid && c.MessageType === 'DIGEST' && c.Note.includes('ALICE123@YAHOO.COM'));
    const text = fx.Signatures.find((c) => c.Note.startsWith('95-byte text'));
    const r = await cli(['verify', '--key', fixtureFile('SM2_SIGN_VERIFY'), '--message-type', 'DIGEST', '--message', text.Message, '--message-encoding', 'base64',
      '--signature', alice.Signature, '--distinguishing-id', 'ALICE123@YAHOO.COM', '--json']);
    expectCode(r, 0);
    assert.equal(r.json.Digest, Buffer.from(alice.Message, 'base64').toString('hex'));
  });

  it('EXTERNAL_MU: the ML-DSA mu of a message file, streamed', async () => {
    const r = await cli(['verify', '--key', sample('ML_DSA_65_SIGN_VERIFY.json'), '--message-type', 'EXTERNAL_MU', '--message-file', sample('ML_DSA_65_SIGN_VERIFY.message.txt'),
      '--signature-file', sample('ML_DSA_65_SIGN_VERIFY.sig.b64'), '--json']);
    expectCode(r, 0);
    const fx = fixture('ML_DSA_65_SIGN_VERIFY');
    const mu = fx.Signatures.find((c) => c.Valid && c.MessageType === 'EXTERNAL_MU' && c.Note.includes('95-byte text'));
    assert.equal(r.json.Mu, Buffer.from(mu.Message, 'base64').toString('hex'));
  });

  it('a public JWK with metadata flags, and a P1363 (r||s) signature with --signature-format P1363', async () => {
    const fx = fixture('ECC_NIST_P256_SIGN_VERIFY');
    const jwk = crypto.createPublicKey({ key: Buffer.from(fx.GetPublicKey.PublicKey, 'base64'), format: 'der', type: 'spki' }).export({ format: 'jwk' });
    const jwkFile = tmp('p256.jwk');
    fs.writeFileSync(jwkFile, JSON.stringify(jwk));
    const msg = fs.readFileSync(sample('ECC_NIST_P256_SIGN_VERIFY.message.txt'));
    const p1363 = crypto.sign('sha256', msg, { key: fx.PrivateKeyPem, dsaEncoding: 'ieee-p1363' });
    const meta = ['--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY', '--signing-algorithms', 'ECDSA_SHA_256'];
    const base = ['verify', '--key', jwkFile, ...meta, '--message-file', sample('ECC_NIST_P256_SIGN_VERIFY.message.txt'), '--signature', p1363.toString('base64')];
    const [i, bare, ok, asDer] = await Promise.all([
      cli(['inspect', jwkFile, ...meta, '--json']),
      cli(['inspect', jwkFile]),
      cli([...base, '--signature-format', 'P1363']),
      cli(base),
    ]);
    expectCode(i, 0);
    assert.equal(i.json.LoadedFrom.Form, 'JWK');
    assert.equal(i.json.PublicKey, fx.GetPublicKey.PublicKey);
    expectRefusal(bare, 'ValidationException', /KeySpec is required/);
    assert.match(bare.stderr, /hint: .* is a JWK/);
    expectCode(ok, 0);
    expectCode(asDer, 1); // r||s read as DER is not a valid signature
  });

  it('signature files: raw bytes, base64 text with a newline, --signature-encoding raw', async () => {
    const s = SIGNING.find((x) => x.name === 'ECC_NIST_P256_SIGN_VERIFY');
    const raw = tmp('sig.bin');
    fs.writeFileSync(raw, Buffer.from(s.signature.Signature, 'base64'));
    const base = ['verify', '--key', sample(s.files.key), '--message', s.signature.MessageText];
    await each([['--signature-file', raw], ['--signature-file', sample(s.files.signature)], ['--signature-file', raw, '--signature-encoding', 'raw']], async (extra) =>
      expectCode(await cli([...base, ...extra]), 0),
    );
  });

  it('rule violations exit 2 with the exception and the rule on stderr (and in --json)', async () => {
    const s = SIGNING.find((x) => x.name === 'ECC_NIST_P256_SIGN_VERIFY');
    const base = ['verify', '--key', sample(s.files.key), '--signature-file', sample(s.files.signature)];
    const big = tmp('big-raw.bin');
    fs.writeFileSync(big, Buffer.alloc(5000, 1));
    const cases = [
      [[...base, '--message', 'x', '--signing-algorithm', 'ECDSA_SHA_384', '--json'], 'InvalidKeyUsageException', /ECDSA_SHA_384 .*allowed are ECDSA_SHA_256/],
      [[...base, '--message', 'x', '--signing-algorithm', 'RSASSA_PSS_SHA_256'], 'InvalidKeyUsageException', /RSASSA_PSS_SHA_256/],
      [[...base, '--message', 'x', '--signing-algorithm', 'NOPE'], 'ValidationException', /enum value set/],
      [[...base, '--message', 'x', '--message-type', 'EXTERNAL_MU', '--json'], 'ValidationException', /EXTERNAL_MU/],
      [[...base, '--message', 'x', '--message-type', 'raw'], 'ValidationException', /MessageType/],
      [[...base, '--message-file', big], 'ValidationException', /5000 bytes/],
      [[...base, '--message', 'aa'.repeat(48), '--message-encoding', 'hex', '--message-type', 'DIGEST', '--message-is-digest', '--json'], 'ValidationException', /must be 32 bytes/],
      [['verify', '--key', sample('SM2_SIGN_VERIFY.json'), '--message', 'x', '--signing-algorithm', 'ECDSA_SHA_256', '--signature', 'AAAA'], 'InvalidKeyUsageException', /ECDSA_SHA_256/],
      [['verify', '--key', sample('ECC_NIST_EDWARDS25519_SIGN_VERIFY.json'), '--message', 'x', '--message-type', 'DIGEST', '--signing-algorithm', 'ED25519_SHA_512', '--signature', 'AAAA'], 'ValidationException', /ED25519_SHA_512/],
      [[...base, '--message', 'x', '--signature-format', 'der'], 'ValidationException', /SignatureFormat/],
      [['verify', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--message', 'x', '--signature', 'AAAA', '--signing-algorithm', 'RSASSA_PSS_SHA_256'], 'InvalidKeyUsageException', /ENCRYPT_DECRYPT/],
    ];
    await each(cases, async ([args, name, rule]) => {
      const r = await cli(args);
      expectRefusal(r, name, rule);
      if (args.includes('--json')) {
        assert.equal(r.json.Error.Name, name);
        assert.match(r.json.Error.Message, rule);
      }
    });
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('encrypt', () => {
  const fx = fixture('RSA_2048_ENCRYPT_DECRYPT');
  const key = sample('RSA_2048_ENCRYPT_DECRYPT.json');
  const decrypt = (ct, oaepHash) => crypto.privateDecrypt({ key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, ct);

  it('base64 on stdout, the modulus length, decryptable with the private key; the aws kms decrypt command', async () => {
    await each([['RSAES_OAEP_SHA_256', 'sha256'], ['RSAES_OAEP_SHA_1', 'sha1']], async ([alg, hash]) => {
      const r = await cli(['encrypt', '--key', key, '--encryption-algorithm', alg, '--plaintext', 'hello KMS']);
      expectCode(r, 0);
      const b64 = r.stdout.split('\n')[1];
      const ct = Buffer.from(b64, 'base64');
      assert.equal(ct.length, 256);
      assert.equal(decrypt(ct, hash).toString(), 'hello KMS');
      assert.ok(r.stdout.includes(`echo ${b64} | base64 --decode > ciphertext.bin`));
      assert.ok(r.stdout.includes(`aws kms decrypt --key-id ${fx.GetPublicKey.KeyId} --encryption-algorithm ${alg} --ciphertext-blob fileb://ciphertext.bin --query Plaintext --output text | base64 --decode`));
    });
  });

  it('--plaintext-file, stdin, hex; --out writes raw bytes; --json', async () => {
    const pt = crypto.randomBytes(100);
    const ptFile = tmp('pt.bin');
    fs.writeFileSync(ptFile, pt);
    const out = tmp('ct.bin');
    const [a, b, c] = await Promise.all([
      cli(['encrypt', '--key', key, '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext-file', ptFile, '--out', out, '--json']),
      cli(['encrypt', '--key', key, '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext-file', '-', '--json'], { input: pt }),
      cli(['encrypt', '--key', key, '--encryption-algorithm', 'RSAES_OAEP_SHA_1', '--plaintext', 'c0ffee', '--plaintext-encoding', 'hex', '--json']),
    ]);
    expectCode(a, 0);
    assert.deepEqual(decrypt(fs.readFileSync(out), 'sha256'), pt);
    assert.equal(a.json.CiphertextBytes, 256);
    assert.equal(a.json.PlaintextBytes, 100);
    assert.ok(a.json.DecryptCommand.includes(`fileb://${out}`), a.json.DecryptCommand);
    assert.doesNotMatch(a.json.DecryptCommand, /^echo/);
    expectCode(b, 0);
    assert.deepEqual(decrypt(Buffer.from(b.json.CiphertextBlob, 'base64'), 'sha256'), pt);
    expectCode(c, 0);
    assert.equal(decrypt(Buffer.from(c.json.CiphertextBlob, 'base64'), 'sha1').toString('hex'), 'c0ffee');
  });

  it('SM2PKE with the SM2 key; RSA 4096 at its OAEP SHA-256 limit (446 bytes)', async () => {
    const [sm2, rsa] = await Promise.all([
      cli(['encrypt', '--key', fixtureFile('SM2_ENCRYPT_DECRYPT'), '--plaintext', 'hi', '--json']),
      cli(['encrypt', '--key', fixtureFile('RSA_4096_ENCRYPT_DECRYPT'), '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', 'x'.repeat(446), '--json']),
    ]);
    expectCode(sm2, 0);
    assert.equal(sm2.json.EncryptionAlgorithm, 'SM2PKE');
    expectCode(rsa, 0);
    assert.equal(rsa.json.CiphertextBytes, 512);
  });

  it('refusals: a signing key, an algorithm not listed, a plaintext over the limit, an empty plaintext', async () => {
    const cases = [
      [['encrypt', '--key', sample('ECC_NIST_P256_SIGN_VERIFY.json'), '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', 'x'], 'InvalidKeyUsageException', /SIGN_VERIFY/],
      [['encrypt', '--key', key, '--encryption-algorithm', 'SM2PKE', '--plaintext', 'x'], 'InvalidKeyUsageException', /SM2PKE/],
      [['encrypt', '--key', key, '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', 'x'.repeat(191)], 'ValidationException', /190/],
      [['encrypt', '--key', key, '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', ''], 'ValidationException'],
    ];
    await each(cases, async ([args, name, rule]) => expectRefusal(await cli(args), name, rule));
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('derive', () => {
  const fx = fixture('ECC_NIST_P256_KEY_AGREEMENT');
  const key = sample('ECC_NIST_P256_KEY_AGREEMENT.json');
  const zFor = (pubDer) =>
    crypto.diffieHellman({ privateKey: crypto.createPrivateKey(fx.PrivateKeyPem), publicKey: crypto.createPublicKey({ key: pubDer, format: 'der', type: 'spki' }) });

  it('without --kdf: your public key and the aws command, no secret', async () => {
    const r = await cli(['derive', '--key', key]);
    expectCode(r, 0);
    const pub = Buffer.from(r.stdout.split('\n')[1], 'base64');
    assert.ok(!r.stdout.includes(zFor(pub).toString('hex')));
    assert.match(r.stdout, /Secret not shown: choose a KDF/);
    assert.ok(r.stdout.includes(`aws kms derive-shared-secret --key-id ${fx.GetPublicKey.KeyId} --key-agreement-algorithm ECDH --public-key fileb://our-public-key.der`));
  });

  it('--kdf hkdf / one-step / none match node:crypto with the fixture private key; --public-key-out, --secret-out', async () => {
    const pubOut = tmp('our.der');
    const secretOut = tmp('z.bin');
    const [h, o, n] = await Promise.all([
      cli(['derive', '--key', key, '--public-key-out', pubOut, '--kdf', 'hkdf', '--salt', 'hex:0102', '--info', 'proto v1', '--length', '42', '--json']),
      cli(['derive', '--key', key, '--kdf', 'one-step', '--hash', 'SHA-384', '--fixed-info', 'base64:AAEC', '--json']),
      cli(['derive', '--key', key, '--kdf', 'none', '--secret-out', secretOut, '--json']),
    ]);
    expectCode(h, 0);
    const z = zFor(fs.readFileSync(pubOut));
    assert.equal(h.json.PublicKey, fs.readFileSync(pubOut).toString('base64'));
    assert.equal(h.json.DerivedKey, Buffer.from(crypto.hkdfSync('sha256', z, Buffer.from([1, 2]), Buffer.from('proto v1'), 42)).toString('hex'));
    expectCode(o, 0);
    const z2 = zFor(Buffer.from(o.json.PublicKey, 'base64'));
    const onestep = crypto.createHash('sha384').update(Buffer.from([0, 0, 0, 1])).update(z2).update(Buffer.from([0, 1, 2])).digest().subarray(0, 32);
    assert.equal(o.json.DerivedKey, onestep.toString('hex'));
    expectCode(n, 0);
    assert.deepEqual(fs.readFileSync(secretOut), zFor(Buffer.from(n.json.PublicKey, 'base64')));
    assert.equal(n.json.SharedSecret, undefined, 'secret printed although --secret-out was given');
  });

  it('--private-key: your static PKCS#8 key (PEM and DER); a key on another curve is refused', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = tmp('static.pem');
    fs.writeFileSync(pem, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const der = tmp('static.der');
    fs.writeFileSync(der, privateKey.export({ type: 'pkcs8', format: 'der' }));
    const want = zFor(publicKey.export({ type: 'spki', format: 'der' })).toString('hex');
    const other = tmp('p384.pem');
    fs.writeFileSync(other, crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await each([pem, der], async (f) => {
      const r = await cli(['derive', '--key', key, '--private-key', f, '--kdf', 'none', '--json']);
      expectCode(r, 0);
      assert.equal(r.json.SharedSecret, want);
      assert.equal(r.json.PublicKey, publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
    });
    expectRefusal(await cli(['derive', '--key', key, '--private-key', other, '--kdf', 'none']), 'ValidationException', /P-256/);
  });

  it('refusals: a signing key, an HKDF length out of range, a hash KMS does not name', async () => {
    const cases = [
      [['derive', '--key', sample('ECC_NIST_P256_SIGN_VERIFY.json'), '--key-agreement-algorithm', 'ECDH'], 'InvalidKeyUsageException', /KEY_AGREEMENT/],
      [['derive', '--key', key, '--kdf', 'hkdf', '--length', '9000'], 'ValidationException', /8160/],
      [['derive', '--key', key, '--kdf', 'hkdf', '--hash', 'MD5'], 'ValidationException', /SHA-256/],
    ];
    await each(cases, async ([args, name, rule]) => expectRefusal(await cli(args), name, rule));
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('encapsulate', () => {
  it('ML-KEM-768: 1088-byte ciphertext (--out) that decapsulates (noble, fixture seed) to the secret (--secret-out)', async () => {
    const fx = fixture('ML_KEM_768_ENCAPSULATE_DECAPSULATE');
    const { secretKey } = ml_kem768.keygen(Buffer.from(fx.PrivateKeySeed, 'base64'));
    const ct = tmp('kem.ct');
    const ss = tmp('kem.ss');
    const k = sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json');
    const [r, j, j512, j1024] = await Promise.all([
      cli(['encapsulate', '--key', k, '--out', ct, '--secret-out', ss]),
      cli(['encapsulate', '--key', k, '--json']),
      cli(['encapsulate', '--key', fixtureFile('ML_KEM_512_ENCAPSULATE_DECAPSULATE'), '--json']),
      cli(['encapsulate', '--key', fixtureFile('ML_KEM_1024_ENCAPSULATE_DECAPSULATE'), '--json']),
    ]);
    expectCode(r, 0);
    assert.equal(fs.statSync(ct).size, 1088);
    assert.deepEqual(Buffer.from(ml_kem768.decapsulate(fs.readFileSync(ct), secretKey)), fs.readFileSync(ss));
    assert.ok(r.stdout.includes(`aws kms decapsulate --key-id ${fx.GetPublicKey.KeyId} --encapsulation-algorithm ML_KEM --shared-secret-ciphertext-blob fileb://${ct}`));
    expectCode(j, 0);
    assert.equal(Buffer.from(ml_kem768.decapsulate(Buffer.from(j.json.SharedSecretCiphertextBlob, 'base64'), secretKey)).toString('hex'), j.json.SharedSecret);
    expectCode(j512, 0);
    assert.equal(j512.json.CiphertextBytes, 768);
    expectCode(j1024, 0);
    assert.equal(j1024.json.CiphertextBytes, 1568);
  });

  it('refusals: not an ML-KEM key; an algorithm KMS does not name', async () => {
    const [a, b] = await Promise.all([
      cli(['encapsulate', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--encapsulation-algorithm', 'ML_KEM']),
      cli(['encapsulate', '--key', sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json'), '--encapsulation-algorithm', 'KYBER']),
    ]);
    expectRefusal(a, 'InvalidKeyUsageException');
    expectRefusal(b, 'ValidationException');
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('Deno (deno run -A pkg/bin/kms-offline.mjs)', () => {
  const s = 'ECC_NIST_P256_SIGN_VERIFY';
  const base = ['verify', '--key', sample(`${s}.json`), '--message-file', sample(`${s}.message.txt`)];
  const deno = (args, opts = {}) => cli(args, { ...opts, runtime: 'deno' });

  it('inspect, verify 0 / 1 / 2, stdin key, DIGEST of a file and of stdin, encrypt, derive, encapsulate, usage error', async () => {
    const fx = fixture('RSA_2048_ENCRYPT_DECRYPT');
    const [i, ok, bad, rule, d, stdin, e, dv, m, u] = await Promise.all([
      deno(['inspect', '-', '--json'], { input: fs.readFileSync(sample(`${s}.json`)) }),
      deno([...base, '--signature-file', sample(`${s}.sig.b64`)]),
      deno([...base, '--signature-file', sample(`${s}.tampered.sig.b64`)]),
      deno([...base, '--signature-file', sample(`${s}.sig.b64`), '--signing-algorithm', 'ECDSA_SHA_512']),
      deno([...base, '--signature-file', sample(`${s}.sig.b64`), '--message-type', 'DIGEST', '--json']),
      deno(['verify', '--key', sample(`${s}.json`), '--message-file', '-', '--message-type', 'DIGEST', '--signature-file', sample(`${s}.sig.b64`)], {
        input: fs.readFileSync(sample(`${s}.message.txt`)),
      }),
      deno(['encrypt', '--key', sample('RSA_2048_ENCRYPT_DECRYPT.json'), '--encryption-algorithm', 'RSAES_OAEP_SHA_256', '--plaintext', 'deno', '--json']),
      deno(['derive', '--key', sample('ECC_NIST_P256_KEY_AGREEMENT.json'), '--kdf', 'hkdf', '--json']),
      deno(['encapsulate', '--key', sample('ML_KEM_768_ENCAPSULATE_DECAPSULATE.json'), '--json']),
      deno(['verify']),
    ]);
    expectCode(i, 0);
    assert.equal(i.json.KeySpec, 'ECC_NIST_P256');
    expectCode(ok, 0);
    expectCode(bad, 1);
    assert.match(bad.stderr, /^KMSInvalidSignatureException: /m);
    expectRefusal(rule, 'InvalidKeyUsageException');
    expectCode(d, 0);
    assert.equal(d.json.Digest, crypto.createHash('sha256').update(fs.readFileSync(sample(`${s}.message.txt`))).digest('hex'));
    expectCode(stdin, 0);
    expectCode(e, 0);
    const pt = crypto.privateDecrypt({ key: fx.PrivateKeyPem, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(e.json.CiphertextBlob, 'base64'));
    assert.equal(pt.toString(), 'deno');
    expectCode(dv, 0);
    expectCode(m, 0);
    assert.equal(m.json.CiphertextBytes, 1088);
    expectCode(u, 2);
  });

  it('verify needs only --allow-read', async () => {
    const r = await limited(
      () =>
        new Promise((resolve) => {
          const child = spawn(DENO, ['run', '--allow-read', '--no-lock', BIN, ...base, '--signature-file', sample(`${s}.sig.b64`)], {
            cwd: REPO,
            env: { ...process.env, NO_COLOR: '1', DENO_NO_PROMPT: '1', DENO_NO_UPDATE_CHECK: '1' },
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (err += d));
          child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
        }),
    );
    expectCode(r, 0);
    assert.match(r.stdout, /^VALID/);
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('npm package bin', () => {
  it('pkg/package.json declares the bin, npm pack ships it executable, and the packed copy runs', async () => {
    const pj = JSON.parse(fs.readFileSync(path.join(REPO, 'pkg', 'package.json'), 'utf8'));
    assert.deepEqual(pj.bin, { 'kms-offline': 'bin/kms-offline.mjs' });
    assert.match(fs.readFileSync(BIN, 'utf8').split('\n')[0], /^#!\/usr\/bin\/env node$/);
    const dest = tmp('packed');
    fs.mkdirSync(dest, { recursive: true });
    const info = JSON.parse(execFileSync('npm', ['pack', path.join(REPO, 'pkg'), '--pack-destination', dest, '--json', '--loglevel=error'], { cwd: REPO, encoding: 'utf8' }))[0];
    const files = info.files.map((f) => f.path);
    assert.ok(files.includes('bin/kms-offline.mjs'), files.join(', '));
    const mode = info.files.find((f) => f.path === 'bin/kms-offline.mjs').mode;
    assert.ok(mode & 0o111, `bin/kms-offline.mjs mode ${mode.toString(8)} is not executable`);
    const mod = path.join(dest, 'node_modules', 'kms-offline');
    fs.mkdirSync(mod, { recursive: true });
    execFileSync('tar', ['xzf', path.join(dest, info.filename), '-C', mod, '--strip-components=1']);
    const r = spawnSync(process.execPath, [path.join(mod, 'bin', 'kms-offline.mjs'), 'verify', '--key', sample('ECC_NIST_P256_SIGN_VERIFY.json'),
      '--message-file', sample('ECC_NIST_P256_SIGN_VERIFY.message.txt'), '--signature-file', sample('ECC_NIST_P256_SIGN_VERIFY.sig.b64')], { cwd: dest, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('npx kms-offline works from the repository (node_modules/.bin link made by npm install)', () => {
    const link = path.join(REPO, 'node_modules', '.bin', 'kms-offline');
    assert.ok(fs.existsSync(link), `${link} missing: run npm install (or npm rebuild kms-offline) so npm links the package's bin`);
    const r = spawnSync('npx', ['--no-install', 'kms-offline', 'inspect', sample('SM2_SIGN_VERIFY.json'), '--json'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).KeySpec, 'SM2');
  });
});

// -------------------------------------------------------------------------------------------------------------
describe('strings are never silently read as other bytes (README "Strings and bytes")', () => {
  const fx = () => fixture('ECC_NIST_P256_SIGN_VERIFY');
  const valid = () => fx().Signatures.find((c) => c.Valid && c.MessageType === 'RAW');
  const base = () => ['verify', '--key', fixtureFile('ECC_NIST_P256_SIGN_VERIFY'), '--message', Buffer.from(valid().Message, 'base64').toString('hex'), '--message-encoding', 'hex'];

  it('a hex --signature (or signature file) without --signature-encoding hex is exit 2 saying so, never INVALID', async () => {
    // A 72-byte DER signature in hex is 144 digits, base64 of 108 bytes (the wrong size); 71 bytes are 142
    // digits, no base64 at all. Both are refused with the hint, inline and from a file.
    const cases = [72, 71].map((n) => fx().Signatures.find((c) => c.Valid && c.MessageType === 'RAW' && Buffer.from(c.Signature, 'base64').length === n));
    await each(cases, async (c) => {
      const hexSig = Buffer.from(c.Signature, 'base64').toString('hex');
      const file = tmp(`sig-${hexSig.length}.hex`);
      fs.writeFileSync(file, `${hexSig}\n`);
      const args = ['verify', '--key', fixtureFile('ECC_NIST_P256_SIGN_VERIFY'), '--message', Buffer.from(c.Message, 'base64').toString('hex'), '--message-encoding', 'hex'];
      const rule = hexSig.length % 4 ? /is not valid base64 \(it looks like hex\)/ : /^ValidationException: Signature is base64 of 108 bytes; an ECDSA_SHA_256 DER signature is 8 to 72 bytes/m;
      for (const extra of [['--signature', hexSig], ['--signature-file', file]]) {
        const r = await cli([...args, ...extra]);
        expectCode(r, 2);
        assert.match(r.stderr, rule);
        assert.match(r.stderr, /^hint: the signature looks like hex: pass --signature-encoding hex$/m);
        assert.doesNotMatch(r.stdout, /INVALID/);
      }
      // Said to be hex it verifies, and so does its base64.
      expectCode(await cli([...args, '--signature', hexSig, '--signature-encoding', 'hex']), 0);
      expectCode(await cli([...args, '--signature', c.Signature]), 0);
    });
  });

  it('base64 of the wrong length, base64url and non-canonical base64 are exit 2, never INVALID', async () => {
    const der = Buffer.from(valid().Signature, 'base64');
    await each(
      [
        [Buffer.concat([der, der]).toString('base64'), /Signature is base64 of \d+ bytes; an ECDSA_SHA_256 DER signature is 8 to 72 bytes/],
        [der.toString('base64url').replace(/=+$/, '') + '-_', /--signature is not valid base64 \(it looks like base64url\)/],
        ['AQJ=', /--signature is not valid base64: canonical standard base64/],
      ],
      async ([signature, rule]) => {
        const r = await cli([...base(), '--signature', signature]);
        expectCode(r, 2);
        assert.match(r.stderr, rule);
      },
    );
  });

  it('--message with --message-is-digest needs --message-encoding: a digest is never text', async () => {
    const digest = crypto.createHash('sha256').update('x').digest();
    const args = ['verify', '--key', fixtureFile('ECC_NIST_P256_SIGN_VERIFY'), '--message-type', 'DIGEST', '--message-is-digest', '--signature', valid().Signature];
    const r = await cli([...args, '--message', digest.toString('hex')]);
    expectCode(r, 2);
    assert.match(r.stderr, /--message with --message-is-digest is the digest itself: say how it is written with --message-encoding base64 or hex/);
    expectCode(await cli([...args, '--message', digest.toString('hex'), '--message-encoding', 'hex']), 1);
  });
});
