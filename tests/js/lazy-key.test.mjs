// The ML-DSA key expanded on first use (tests/js/lazy-key-checks.mjs) in Node, where verifyAsync of ML-DSA runs in
// wasm (src/webcrypto.rs, `in_node`): whichever of verify and verifyAsync comes first expands the key.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as lib from 'kms-offline';
import { runLazyKeyChecks, LAZY_WYCHEPROOF_FILES } from './lazy-key-checks.mjs';
import { loadWycheproof } from './wycheproof-data.mjs';

describe('ML-DSA keys expanded on first use (Node)', () => {
  let results;
  before(async () => {
    results = await runLazyKeyChecks({ lib, wycheproof: loadWycheproof(LAZY_WYCHEPROOF_FILES.map(([file]) => file)) });
  });
  it('every check passes (one subtest per check)', async (t) => {
    assert.equal(results.length, 3 * LAZY_WYCHEPROOF_FILES.length);
    for (const r of results) await t.test(r.name, () => assert.ok(r.ok, `${r.name}: ${r.detail}`));
  });
});
