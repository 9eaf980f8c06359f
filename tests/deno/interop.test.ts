// Deno: the interop checks of tests/js/interop-checks.mjs (WebCrypto, jose, @noble/*) against the package's
// deno entry, imported by name.
//
//   node_modules/.bin/deno test --allow-read --allow-run=cargo --allow-env --no-lock tests/deno/
import * as lib from "kms-offline";
import * as jose from "jose";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ed25519, ed25519ph } from "@noble/curves/ed25519.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
// @ts-types="./interop-checks.d.ts"
import { runInteropChecks } from "../js/interop-checks.mjs";

const keysDir = new URL("../fixtures/keys/", import.meta.url);
const fixtures: Record<string, unknown> = {};
for (const entry of Deno.readDirSync(keysDir)) {
  if (!entry.isFile || !entry.name.endsWith(".json") || entry.name === "index.json") continue;
  fixtures[entry.name.replace(/\.json$/, "")] = JSON.parse(Deno.readTextFileSync(new URL(entry.name, keysDir)));
}

Deno.test("interop checks against WebCrypto, jose, @noble/curves, @noble/hashes, @noble/post-quantum", async (t) => {
  const results = await runInteropChecks({
    lib,
    jose,
    noble: { p256, p384, p521, secp256k1, ed25519, ed25519ph, keccak_256, ml_dsa44, ml_dsa65, ml_dsa87 },
    fixtures,
  });
  if (results.length < 50) throw new Error(`only ${results.length} checks ran`);
  for (const r of results) {
    await t.step(r.name, () => {
      if (!r.ok) throw new Error(`${r.name}: ${r.detail}`);
    });
  }
});

Deno.test("interop: digestStream reads a Deno file's ReadableStream", async () => {
  const url = new URL("ML_DSA_87_SIGN_VERIFY.json", keysDir);
  const data = await Deno.readFile(url);
  const file = await Deno.open(url);
  const got = await lib.digestStream(new lib.MessageDigest("SHA-256"), file.readable);
  const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  if (got.length !== 32 || !got.every((b, i) => b === expected[i])) throw new Error("digest differs");
});
