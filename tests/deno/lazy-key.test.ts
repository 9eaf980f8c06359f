// Deno: the ML-DSA key expanded on first use (tests/js/lazy-key-checks.mjs). Deno's WebCrypto has ML-DSA, so
// verifyAsync hands the arithmetic to it and the key is expanded by the first verify, after it.
import * as lib from "kms-offline";
// @ts-types="./lazy-key-checks.d.ts"
import { LAZY_WYCHEPROOF_FILES, runLazyKeyChecks } from "../js/lazy-key-checks.mjs";
import { wycheproofDataDir } from "./wycheproof.ts";

Deno.test("ML-DSA keys expanded on first use: the same answers whichever of verify and verifyAsync comes first", async (t) => {
  const dir = wycheproofDataDir();
  const wycheproof: Record<string, unknown> = {};
  for (const [file] of LAZY_WYCHEPROOF_FILES) wycheproof[file] = JSON.parse(Deno.readTextFileSync(dir + file));
  const results = await runLazyKeyChecks({ lib, wycheproof });
  if (results.length !== 3 * LAZY_WYCHEPROOF_FILES.length) throw new Error(`${results.length} checks ran`);
  for (const r of results) {
    await t.step(r.name, () => {
      if (!r.ok) throw new Error(`${r.name}: ${r.detail}`);
    });
  }
});
