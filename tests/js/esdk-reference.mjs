// The checking side of the runtime reach tests (Deno, browsers, Workers): the cases of esdk-fixtures.mjs are made
// in the runtime under test, their bytes land in files here, and the Python ESDK's own AWS KMS RSA / ECDH keyrings
// (tests/python/esdk_check.py, with the local KMS stand-in) decrypt them, all in one Python process
// (tests/python/esdk_batch.py). Runs under Node and Deno (node: modules only).
import { PYTHON, havePython } from './python.mjs';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXT, FRAME, MiB, seededChunks } from './esdk-fixtures.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KEYS_DIR = path.join(REPO, 'tests', 'fixtures', 'keys');
const BATCH = path.join(REPO, 'tests', 'python', 'esdk_batch.py');
export { PYTHON };

/**
 * Why the reference cannot run (skip the tests), or false. Under CI=true a missing interpreter is an error instead:
 * the reach tests must not pass by skipping there.
 */
export function referenceMissing() {
  if (havePython) return false;
  const why = `no Python ESDK interpreter at ${PYTHON} (bash scripts/setup.sh makes it; source scripts/env.sh)`;
  if (process.env.CI === 'true') throw new Error(why);
  return why;
}

/** The hex SHA-256 of case `c`'s plaintext, regenerated from its seed chunk by chunk (memory: one chunk). */
export function plaintextSha256(c) {
  const hash = crypto.createHash('sha256');
  for (const chunk of seededChunks(c.seed, c.size)) hash.update(chunk);
  return hash.digest('hex');
}

/** Writes a ReadableStream (or async iterable) of bytes to `file` as it comes; resolves to the byte count. */
export async function writeStream(file, stream) {
  const fd = fs.openSync(file, 'w');
  let length = 0;
  try {
    for await (const chunk of stream) {
      fs.writeSync(fd, chunk);
      length += chunk.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return length;
}

/** esdk_check.py's decrypt arguments for the message of case `c` in `file`: the plaintext's SHA-256 must match. */
export function decryptArgs(c, file) {
  return [
    'decrypt',
    '--key', path.join(KEYS_DIR, `${c.fixture}.json`),
    '--in', file,
    '--context', JSON.stringify(c.withContext ? CONTEXT : {}),
    '--expect-sha256', plaintextSha256(c),
  ];
}

/** Runs esdk_check.py commands (argument lists) in one Python process; resolves to [{ code, result }] in order. */
export function runReference(jobs) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [BATCH], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`esdk_batch.py exited ${code}: ${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch (e) {
        reject(new Error(`esdk_batch.py printed no JSON (${e.message}): ${stdout.slice(0, 500)} ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(jobs));
  });
}

/**
 * The verdict on case `c` from the reference's { code, result }: decrypted (exit 0) to the seeded plaintext (the
 * SHA-256 was checked), with the key's suite, the length, and the context exactly when the case had one.
 * Returns { ok, detail }.
 */
export function verdict(c, { code, result }) {
  const problems = [];
  if (code !== 0 || result?.ok !== true) {
    return { ok: false, detail: `the Python ESDK did not decrypt it (exit ${code}): ${JSON.stringify(result)?.slice(0, 800)}` };
  }
  if (result.suite !== c.suite) problems.push(`suite ${result.suite}, expected ${c.suite}`);
  if (result.plaintext_length !== c.size) problems.push(`plaintext ${result.plaintext_length} bytes, expected ${c.size}`);
  const context = result.encryption_context ?? {};
  for (const [k, v] of Object.entries(CONTEXT)) {
    if (c.withContext && context[k] !== v) problems.push(`context ${k}: ${JSON.stringify(context[k])}, expected ${JSON.stringify(v)}`);
    if (!c.withContext && k in context) problems.push(`context has ${k} although none was given`);
  }
  return { ok: problems.length === 0, detail: problems.join('; ') };
}

/**
 * The control the reference must refuse (exit 1), so that a test that passes shows the check can fail: a copy of
 * the first "many frames" message (files[i] is case list[i]'s message) with one byte flipped in the middle.
 * Returns { args, file } (esdk_check.py's arguments, and the copy to delete).
 */
export function controlJob(list, files) {
  const i = list.findIndex((c) => c.size > FRAME && c.size < MiB);
  const bytes = fs.readFileSync(files[i]);
  bytes[bytes.length >> 1] ^= 0x01;
  const file = `${files[i]}.corrupt`;
  fs.writeFileSync(file, bytes);
  return { args: decryptArgs(list[i], file), file };
}

/**
 * The tests of a runner with `it` (node:test): one per case (the reference's verdict on its message) and one for
 * the control, which the reference must refuse. `results()` gives what runReference returned (known once `before` ran).
 */
export function declareVerdicts(it, list, results) {
  list.forEach((c, i) => {
    it(`${c.fixture} ${c.suite} ${c.label}${c.withContext ? ', with context' : ''} (${c.api})`, () => {
      const v = verdict(c, results()[i]);
      if (!v.ok) throw new Error(v.detail);
    });
  });
  it('a copy with one byte flipped is refused (the check can fail)', () => {
    const r = results()[list.length];
    if (r.code !== 1 || r.result.ok !== false) throw new Error(`the corrupted copy was not refused: ${JSON.stringify(r)}`);
  });
}

/** One row of the matrix the reach tests record (test-output/esdk-reach/<runtime>.json; bench/NOTES.md). */
export function matrixRow(runtime, c, v) {
  return { runtime, key: c.fixture, suite: c.suite, size: c.label, context: c.withContext, api: c.api, decrypted: v.ok };
}

/** Writes the matrix rows of one runtime to test-output/esdk-reach/<runtime>.json. */
export function recordMatrix(runtime, rows) {
  const dir = path.join(REPO, 'test-output', 'esdk-reach');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${runtime}.json`), JSON.stringify(rows, null, 1));
}

/**
 * Decrypts each case's message as soon as the runtime has written it, so that Python works while the runtime makes
 * the next 100 MiB: the small cases in one batch (with the control of controlJob) once the last of them is written,
 * each larger one alone. Call written(i, file) for case list[i] (in any order); results() resolves to the outcomes in
 * list order followed by the control's; files() lists what was written (the control's copy included).
 */
export function referenceAsWritten(list) {
  const files = new Array(list.length);
  const smallCount = list.filter((c) => c.size < MiB).length;
  let smallWritten = 0;
  let control;
  const batches = []; // [indices (list.length = the control), promise of outcomes]
  return {
    written(i, file) {
      files[i] = file;
      const run = (indices, jobs) => {
        const outcomes = runReference(jobs);
        outcomes.catch(() => {}); // awaited by results()
        batches.push([indices, outcomes]);
      };
      if (list[i].size >= MiB) {
        run([i], [decryptArgs(list[i], file)]);
        return;
      }
      smallWritten += 1;
      if (smallWritten < smallCount) return;
      const small = list.map((c, j) => j).filter((j) => list[j].size < MiB);
      control = controlJob(list, files);
      run([...small, list.length], [...small.map((j) => decryptArgs(list[j], files[j])), control.args]);
    },
    async results() {
      const missing = list.filter((c, i) => files[i] === undefined).map((c) => c.id);
      if (missing.length) throw new Error(`no message was written for ${missing.join(', ')}`);
      const outcomes = [];
      for (const [indices, promise] of batches) {
        const got = await promise;
        indices.forEach((index, k) => (outcomes[index] = got[k]));
      }
      return outcomes;
    },
    files: () => [...files, control?.file].filter(Boolean),
  };
}
