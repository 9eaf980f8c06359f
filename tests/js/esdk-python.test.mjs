// The Python ESDK reference check (tests/python/esdk_check.py) and its self-tests, run under node:test.
// The script decrypts ESDK messages with the Material Providers Library's own AWS KMS RSA / ECDH keyrings, only
// the KMS client being a local stand-in with the fixture's private key; encryptMessage's tests call it to prove
// the ESDK reads our messages. Here: its Python self-tests (tests/python/test_esdk_check.py: round trips for
// every RSA ENCRYPT_DECRYPT and NIST KEY_AGREEMENT fixture, tampering, the stand-in's refusals, the keyring
// facts in tests/python/README.md), then the CLI contract callers rely on (JSON line, exit codes 0/1/2/3).
//
// The interpreter is $KMS_PYTHON (scripts/env.sh; scripts/setup.sh makes the venv). Without it the file is
// skipped, except under CI=true, where a missing interpreter fails.
import { PYTHON, havePython } from './python.mjs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pythonDir = path.join(root, 'tests/python');
const script = path.join(pythonDir, 'esdk_check.py');
const keyPath = (name) => path.join(root, 'tests/fixtures/keys', `${name}.json`);

const python = PYTHON;
const ci = process.env.CI === 'true';
const skip = !havePython && !ci ? `no Python ESDK interpreter at ${python} (bash scripts/setup.sh makes it)` : false;

function run(args, options = {}) {
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8', timeout: 120_000, ...options });
  if (r.error) throw r.error;
  const last = r.stdout.trim().split('\n').at(-1) || '';
  return { code: r.status, json: last.startsWith('{') ? JSON.parse(last) : null, stderr: r.stderr, stdout: r.stdout };
}

describe('Python ESDK reference check (tests/python/esdk_check.py)', { skip }, () => {
  it('the interpreter exists (CI=true requires it)', () => {
    assert.ok(havePython, `no Python interpreter at ${python}: run bash scripts/setup.sh (KMS_PYTHON)`);
  });

  it('the self-tests pass (python -m unittest test_esdk_check)', () => {
    const r = spawnSync(python, ['-m', 'unittest', '-v', 'test_esdk_check'], {
      cwd: pythonDir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.error) throw r.error;
    assert.equal(r.status, 0, `unittest failed:\n${r.stderr}\n${r.stdout}`);
    const ran = /Ran (\d+) tests?/.exec(r.stderr);
    assert.ok(ran && Number(ran[1]) >= 20, `expected at least 20 tests:\n${r.stderr}`);
  });

  describe('the CLI contract encryptMessage tests rely on', () => {
    let dir;
    const file = (name) => path.join(dir, name);

    it('encrypt, describe, decrypt: one JSON line each, exit 0, the same header', () => {
      dir = mkdtempSync(path.join(tmpdir(), 'esdk-python-'));
      const plaintext = Buffer.from('the CLI contract');
      writeFileSync(file('plain'), plaintext);
      const key = keyPath('ECC_NIST_P256_KEY_AGREEMENT');
      const context = JSON.stringify({ purpose: 'node' });
      const enc = run(['encrypt', '--key', key, '--in', file('plain'), '--out', file('msg'), '--context', context]);
      assert.equal(enc.code, 0, enc.stdout + enc.stderr);
      assert.equal(enc.json.ok, true);
      const desc = run(['describe', '--in', file('msg')]);
      assert.equal(desc.code, 0, desc.stdout + desc.stderr);
      assert.equal(desc.json.message_id, enc.json.message_id);
      assert.deepEqual(desc.json.encrypted_data_keys.map((e) => e.provider_id), ['raw-ecdh']);
      const dec = run(['decrypt', '--key', key, '--in', file('msg'), '--out', file('out'), '--context', context]);
      assert.equal(dec.code, 0, dec.stdout + dec.stderr);
      assert.deepEqual(readFileSync(file('out')), plaintext);
      assert.equal(dec.json.plaintext_length, plaintext.length);
      assert.equal(dec.json.suite, '0x0578');
      assert.equal(dec.json.encryption_context.purpose, 'node');
      assert.deepEqual(dec.json.kms_calls, ['GetPublicKey', 'DeriveSharedSecret']);
    });

    it('a tampered message exits 1 and leaves no plaintext; a wrong expectation exits 3; bad usage exits 2', () => {
      const key = keyPath('ECC_NIST_P256_KEY_AGREEMENT');
      const msg = readFileSync(file('msg'));
      const tampered = Buffer.from(msg);
      tampered[tampered.length - 20] ^= 1; // inside the signature
      writeFileSync(file('tampered'), tampered);
      const refused = run(['decrypt', '--key', key, '--in', file('tampered'), '--out', file('refused')]);
      assert.equal(refused.code, 1, refused.stdout + refused.stderr);
      assert.equal(refused.json.ok, false);
      assert.ok(!existsSync(file('refused')), 'a refused message left plaintext behind');
      const wrong = run(['decrypt', '--key', key, '--in', file('msg'), '--expect-sha256', '0'.repeat(64)]);
      assert.equal(wrong.code, 3, wrong.stdout + wrong.stderr);
      assert.equal(wrong.json.error, 'mismatch');
      const usage = run(['decrypt', '--key', keyPath('ML_KEM_768_ENCAPSULATE_DECAPSULATE'), '--in', file('msg')]);
      assert.equal(usage.code, 2, usage.stdout + usage.stderr);
      assert.match(usage.json.message, /no AWS KMS keyring/);
      const help = run(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Exit codes/);
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
