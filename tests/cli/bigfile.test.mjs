// A 100 MiB file verified by the CLI in DIGEST mode, with bounded memory: the file is streamed through
// MessageDigest in 256 KiB chunks, never loaded whole. The file is made in a temporary directory (deterministic
// content: an AES-128-CTR keystream of a fixed key), its SHA-256 digest signed with the ECC_NIST_P256 fixture's
// private key by node:crypto (DER ECDSA, as KMS Sign returns it). The child's peak RSS is read two ways: the CLI's
// own process.resourceUsage().maxRSS (KMS_OFFLINE_REPORT_RSS=1) and, when present, GNU time's "%M".
// The numbers are written to test-output/cli/bigfile.json and printed as test diagnostics.
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
const KEY = path.join(REPO, 'www', 'samples', 'ECC_NIST_P256_SIGN_VERIFY.json');
const FIXTURE = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'fixtures', 'keys', 'ECC_NIST_P256_SIGN_VERIFY.json'), 'utf8'));
const SIZE = 100 * 1024 * 1024;
const LIMIT_KIB = 80 * 1024; // peak RSS must stay under 80 MiB for a 100 MiB file
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

let dir;
let file;
let sigFile;
let tamperedSigFile;
let digestHex;
const report = { fileBytes: SIZE, limitKiB: LIMIT_KIB, runs: [] };

function run(label, runtime, args, { stdinFile } = {}) {
  const base = runtime === 'deno' ? [DENO, 'run', '-A', '--no-lock', BIN] : [process.execPath, BIN];
  const [cmd, ...rest] = GNU_TIME ? [GNU_TIME, '-f', 'GNU_TIME_MAXRSS_KIB=%M', ...base] : base;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, [...rest, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    stdio: [stdinFile ? fs.openSync(stdinFile, 'r') : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, KMS_OFFLINE_REPORT_RSS: '1', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    timeout: 300_000,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const self = /kms-offline: maxRSS (\d+) KiB/.exec(r.stderr);
  const gnu = /GNU_TIME_MAXRSS_KIB=(\d+)/.exec(r.stderr);
  const entry = {
    label,
    runtime,
    exit: r.status,
    seconds: Number(seconds.toFixed(2)),
    maxRssKiB: self ? Number(self[1]) : null,
    gnuTimeMaxRssKiB: gnu ? Number(gnu[1]) : null,
  };
  report.runs.push(entry);
  return { ...r, entry };
}

function checkMemory(t, entry) {
  const peak = Math.max(entry.maxRssKiB ?? 0, entry.gnuTimeMaxRssKiB ?? 0);
  t.diagnostic(
    `${entry.label} (${entry.runtime}): exit ${entry.exit}, ${entry.seconds} s, peak RSS ${(peak / 1024).toFixed(1)} MiB ` +
      `(self ${entry.maxRssKiB} KiB, GNU time ${entry.gnuTimeMaxRssKiB ?? 'n/a'} KiB) for a ${SIZE / 1048576} MiB file`,
  );
  assert.ok(peak > 0, 'no RSS measurement');
  assert.ok(peak < LIMIT_KIB, `peak RSS ${peak} KiB is not under ${LIMIT_KIB} KiB`);
}

describe('CLI: 100 MiB file, DIGEST, bounded memory', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-big-'));
    file = path.join(dir, 'big.bin');
    sigFile = path.join(dir, 'big.sig');
    tamperedSigFile = path.join(dir, 'big.tampered.sig');
    const cipher = crypto.createCipheriv('aes-128-ctr', crypto.createHash('sha256').update('kms-offline 100 MiB test file').digest().subarray(0, 16), Buffer.alloc(16));
    const zeros = Buffer.alloc(1 << 20);
    const signer = crypto.createSign('sha256');
    const hash = crypto.createHash('sha256');
    const fd = fs.openSync(file, 'w');
    for (let done = 0; done < SIZE; done += zeros.length) {
      const chunk = cipher.update(zeros);
      fs.writeSync(fd, chunk);
      signer.update(chunk);
      hash.update(chunk);
    }
    fs.closeSync(fd);
    const sig = signer.sign(FIXTURE.PrivateKeyPem); // ECDSA P-256 over SHA-256(file), DER
    fs.writeFileSync(sigFile, sig);
    const tampered = Buffer.from(sig);
    tampered[10] ^= 1;
    fs.writeFileSync(tamperedSigFile, tampered.toString('base64') + '\n');
    digestHex = hash.digest('hex');
    assert.equal(fs.statSync(file).size, SIZE);
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    const out = path.join(REPO, 'test-output', 'cli');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'bigfile.json'), JSON.stringify(report, null, 2) + '\n');
  });

  const args = () => ['verify', '--key', KEY, '--signing-algorithm', 'ECDSA_SHA_256', '--message-type', 'DIGEST', '--message-file', file, '--json'];

  it('Node: valid (exit 0), the digest is SHA-256 of the file, peak RSS under 80 MiB', (t) => {
    const r = run('file, valid', 'node', [...args(), '--signature-file', sigFile]);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.SignatureValid, true);
    assert.equal(j.Digest, digestHex);
    assert.equal(j.MessageBytes, SIZE);
    checkMemory(t, r.entry);
  });

  it('Node: a tampered signature over the same file is invalid (exit 1), memory bounded too', (t) => {
    const r = run('file, tampered signature', 'node', [...args(), '--signature-file', tamperedSigFile]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).SignatureValid, false);
    assert.match(r.stderr, /KMSInvalidSignatureException/);
    checkMemory(t, r.entry);
  });

  it('Node: the same file from stdin (--message-file -), memory bounded', (t) => {
    const a = args();
    a[a.indexOf(file)] = '-';
    const r = run('stdin, valid', 'node', [...a, '--signature-file', sigFile], { stdinFile: file });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Digest, digestHex);
    checkMemory(t, r.entry);
  });

  it('Deno: valid (exit 0), peak RSS under 80 MiB', (t) => {
    const r = run('file, valid', 'deno', [...args(), '--signature-file', sigFile]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).Digest, digestHex);
    checkMemory(t, r.entry);
  });
});
