// Cloudflare Workers: ESDK messages made in workerd by the package's workerd entry (tests/workers/esdk-worker.js,
// bundled as wrangler does, no nodejs_compat), streamed out as response bodies, written to files and decrypted by the
// Python ESDK's own AWS KMS RSA / ECDH keyrings with the local KMS stand-in. The cases are tests/js/esdk-fixtures.mjs
// (the same as in Deno and the browsers): RSA 0x0478, P-256 and P-384 0x0578, 0 B, 1 B, one frame, many frames with
// and without an encryption context, both APIs, and a 100 MiB stream per key kind. A corrupted copy must be refused.
import { describe, it, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { REPO_ROOT, outputDir, installPackedPackage, readFixture } from '../browser/harness.mjs';
import { COMPATIBILITY_DATE, bundleWorker } from './bundle.mjs';
import { MiB, cases } from '../js/esdk-fixtures.mjs';
import { declareVerdicts, matrixRow, recordMatrix, referenceAsWritten, referenceMissing, verdict, writeStream } from '../js/esdk-reference.mjs';

const skip = referenceMissing();

describe('Cloudflare Workers: the Python ESDK decrypts messages made in workerd', { skip }, () => {
  const work = path.join(outputDir('workers-esdk'), 'work');
  const messages = path.join(work, 'messages');
  const list = cases();
  const reference = referenceAsWritten(list);
  let mf, results;
  const timings = [];

  before(async () => {
    installPackedPackage(work);
    fs.mkdirSync(messages, { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'tests', 'workers', 'esdk-worker.js'), path.join(work, 'esdk-worker.js'));
    fs.copyFileSync(path.join(REPO_ROOT, 'tests', 'js', 'esdk-fixtures.mjs'), path.join(work, 'esdk-fixtures.mjs'));
    const bundle = await bundleWorker(work, 'esdk-worker.js');
    mf = new Miniflare({
      modules: true,
      scriptPath: path.join(bundle.outdir, 'esdk-worker.js'),
      modulesRoot: bundle.outdir,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: [],
    });
    await mf.ready;
    for (const [i, c] of list.entries()) {
      const started = Date.now();
      const res = await mf.dispatchFetch('http://worker.test/message', {
        method: 'POST',
        body: JSON.stringify({ case: c, GetPublicKey: readFixture(c.fixture).GetPublicKey }),
      });
      if (res.status !== 200) throw new Error(`${c.id}: HTTP ${res.status}: ${await res.text()}`);
      const file = path.join(messages, `${c.id}.msg`);
      await writeStream(file, res.body);
      reference.written(i, file);
      if (c.size >= MiB) timings.push(`${c.id}: made and streamed out in ${Date.now() - started} ms`);
    }
    const started = Date.now();
    results = await reference.results();
    timings.push(`Python (decrypting as the messages were written) done ${Date.now() - started} ms after the last`);
    recordMatrix('workers', list.map((c, i) => matrixRow('Workers (workerd)', c, verdict(c, results[i]))));
  });

  after(async () => {
    await mf?.dispose();
    fs.rmSync(messages, { recursive: true, force: true });
  });

  it('timings of the 100 MiB cases and of Python (diagnostics)', (t) => {
    for (const line of timings) t.diagnostic(line);
  });

  declareVerdicts(it, list, () => results);
});
