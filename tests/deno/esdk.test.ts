// Deno: ESDK messages made by the package's deno entry (key.encryptMessage, key.encryptMessageStream from a
// ReadableStream) for an RSA key (0x0478) and the P-256 / P-384 KEY_AGREEMENT keys (the default 0x0578), at 0 B, 1 B,
// one frame, many frames (with and without an encryption context) and a 100 MiB stream, written to
// test-output/esdk-reach/deno/ and decrypted by the Python ESDK's own AWS KMS RSA / ECDH keyrings with the local KMS
// stand-in (tests/js/esdk-reference.mjs -> tests/python/esdk_batch.py -> esdk_check.py). The cases are
// tests/js/esdk-fixtures.mjs, the same in the browser and Workers tests. A corrupted copy must be refused.
//
// Permissions: besides --allow-read and --allow-env, it runs $KMS_PYTHON and writes under test-output/:
//   node_modules/.bin/deno test --allow-read --allow-env --allow-run=cargo,"$KMS_PYTHON" --allow-write=test-output \
//     --no-lock tests/deno/
import { KmsPublicKey } from "kms-offline";
// @ts-types="./esdk-fixtures.d.ts"
import { cases, makeMessage, MiB } from "../js/esdk-fixtures.mjs";
// @ts-types="./esdk-reference.d.ts"
import {
  matrixRow,
  PYTHON,
  recordMatrix,
  referenceAsWritten,
  referenceMissing,
  verdict,
  writeStream,
} from "../js/esdk-reference.mjs";

const repo = new URL("../../", import.meta.url);
const dir = new URL("test-output/esdk-reach/deno/", repo).pathname;
const keysDir = new URL("tests/fixtures/keys/", repo);
const getPublicKey = (fixture: string) =>
  JSON.parse(Deno.readTextFileSync(new URL(`${fixture}.json`, keysDir))).GetPublicKey;

/** Whether this run may start the Python reference and write the messages (see the flags above). */
async function permitted(): Promise<string | false> {
  const run = await Deno.permissions.query({ name: "run", command: PYTHON });
  const write = await Deno.permissions.query({ name: "write", path: dir });
  if (run.state === "granted" && write.state === "granted") return false;
  return `needs --allow-run=${PYTHON} and --allow-write=test-output (scripts/test.sh's deno suite gives them)`;
}

const missing = referenceMissing() || (await permitted());
if (missing && Deno.env.get("CI") === "true") throw new Error(`the ESDK reach test ${missing}`);

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

Deno.test({
  name: "the Python ESDK decrypts messages made in Deno (RSA 0x0478, P-256 and P-384 0x0578; 0 B to 100 MiB)",
  ignore: Boolean(missing),
  async fn(t) {
    Deno.mkdirSync(dir, { recursive: true });
    const list = cases();
    const reference = referenceAsWritten(list);
    const timings: string[] = [];
    let peak = 0;
    for (const [i, c] of list.entries()) {
      const started = performance.now();
      const file = `${dir}${c.id}.msg`;
      const stream = makeMessage(KmsPublicKey, getPublicKey(c.fixture), c);
      await writeStream(file, (async function* () {
        for await (const chunk of stream) {
          peak = Math.max(peak, chunk.length);
          yield chunk;
        }
      })());
      reference.written(i, file);
      // Making a message resolves only microtasks: one turn of the event loop lets the Python batch just started
      // receive its jobs and run while the next message is made.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (c.size >= MiB) timings.push(`${c.id}: made in ${Math.round(performance.now() - started)} ms`);
    }
    // Bounded memory: no output chunk holds more than one source chunk's frames (plus the header).
    assert(peak < 2 * MiB, `largest output chunk ${peak} bytes`);
    const started = performance.now();
    const results = await reference.results();
    timings.push(`Python (decrypting as the messages were written) done ${Math.round(performance.now() - started)} ms after the last`);
    console.log(timings.join("\n"));
    const rows = [];
    for (const [i, c] of list.entries()) {
      const v = verdict(c, results[i]);
      rows.push(matrixRow("Deno", c, v));
      await t.step(`${c.fixture} ${c.suite} ${c.label}${c.withContext ? ", with context" : ""} (${c.api})`, () => {
        assert(v.ok, v.detail);
      });
    }
    recordMatrix("deno", rows);
    await t.step("a copy with one byte flipped is refused (the check can fail)", () => {
      const r = results[list.length];
      assert(r.code === 1 && r.result?.ok === false, `exit ${r.code}: ${JSON.stringify(r.result)}`);
    });
    for (const file of reference.files()) Deno.removeSync(file);
  },
});
