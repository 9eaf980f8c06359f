// The ML-DSA key is expanded on its first verify in wasm, not at load (src/family/ml_dsa.rs, bench/NOTES.md §23).
// Shared by Node (tests/js/lazy-key.test.mjs: verifyAsync runs in wasm there, so it is the one that expands) and
// Deno (tests/deno/lazy-key.test.ts: verifyAsync goes to WebCrypto, so the first verify expands afterwards). Web APIs
// only.
//
// runLazyKeyChecks({ lib, wycheproof }) resolves to [{ name, ok, detail }]:
//   - every vector of Wycheproof's mldsa_{44,65,87}_verify_test.json (empty context) through a key of its own,
//     first used by verifyAsync then verify, and through another first used by verify then verifyAsync: the four
//     answers agree with each other and with the vector's result;
//   - the same through one key per group, used in turn (so a key expanded by either goes on answering right);
//   - every key Wycheproof gives with the wrong length is still refused at load (ValidationException,
//     public-key-mismatch, detail key-length), and a key of the right length loads.
//   wycheproof = { [fileName]: parsed JSON } (the files of LAZY_WYCHEPROOF_FILES)
import { checkRecorder } from './native-checks.mjs';

/** The Wycheproof files, as [file, KeySpec]. */
export const LAZY_WYCHEPROOF_FILES = [44, 65, 87].map((level) => [`mldsa_${level}_verify_test.json`, `ML_DSA_${level}`]);

const ALGORITHM = 'ML_DSA_SHAKE_256';
const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

/** A call's outcome as comparable text: its answer, or its exception's name and message. */
async function outcome(fn) {
  try {
    return `ok:${await fn()}`;
  } catch (e) {
    return `throw:${e?.name}:${e?.message}`;
  }
}

export async function runLazyKeyChecks({ lib, wycheproof }) {
  const { KmsPublicKey } = lib;
  const { results, run } = checkRecorder();

  for (const [file, spec] of LAZY_WYCHEPROOF_FILES) {
    const set = wycheproof[file];
    const metadata = { KeySpec: spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: [ALGORITHM] };
    const loadable = [];
    const refused = [];
    for (const group of set?.testGroups ?? []) {
      const der = fromHex(group.publicKeyDer);
      try {
        KmsPublicKey.fromPublicKey(der, metadata).free();
        loadable.push({ group, der });
      } catch (e) {
        refused.push({ group, error: e });
      }
    }
    const load = (der) => KmsPublicKey.fromPublicKey(der, metadata);
    // KMS signs with the empty context only; a RAW message is 1-4096 bytes (the rest is refused before any key use).
    const vectors = (group) => group.tests.filter((t) => !t.ctx && t.msg.length > 0 && t.msg.length <= 8192);
    const expected = (t) => (t.result === 'valid' ? 'ok:true' : 'ok:false');

    await run(`${file}: a key of its own per vector, first used by verifyAsync or by verify, answers alike`, async () => {
      if (!set) return `${file} missing`;
      const differ = [];
      let compared = 0;
      for (const { group, der } of loadable) {
        for (const t of vectors(group)) {
          const request = { Message: fromHex(t.msg), Signature: fromHex(t.sig), SigningAlgorithm: ALGORITHM };
          const asyncFirst = load(der);
          const a = [await outcome(() => asyncFirst.verifyAsync(request)), await outcome(() => asyncFirst.verify(request))];
          asyncFirst.free();
          const syncFirst = load(der);
          const b = [await outcome(() => syncFirst.verify(request)), await outcome(() => syncFirst.verifyAsync(request))];
          syncFirst.free();
          compared += 1;
          if (![...a, ...b].every((answer) => answer === expected(t))) {
            differ.push(`tcId ${t.tcId} (${t.comment}): verifyAsync then verify ${a.join(', ')}; verify then verifyAsync ${b.join(', ')}; expected ${t.result}`);
          }
        }
      }
      if (differ.length) return `${differ.length} of ${compared} differ:\n${differ.slice(0, 20).join('\n')}`;
      if (compared < 40) return `only ${compared} vectors compared`;
    });

    await run(`${file}: one key per group, verify and verifyAsync in turn, answers every vector right`, async () => {
      if (!set) return `${file} missing`;
      const differ = [];
      for (const [g, { group, der }] of loadable.entries()) {
        const key = load(der);
        for (const [i, t] of vectors(group).entries()) {
          const request = { Message: fromHex(t.msg), Signature: fromHex(t.sig), SigningAlgorithm: ALGORITHM };
          // alternate which comes first, and which the group's first vector meets first
          const pair = (g + i) % 2 ? [() => key.verify(request), () => key.verifyAsync(request)] : [() => key.verifyAsync(request), () => key.verify(request)];
          for (const call of pair) {
            const answer = await outcome(call);
            if (answer !== expected(t)) differ.push(`tcId ${t.tcId} (${t.comment}): ${answer}, expected ${t.result}`);
          }
        }
        key.free();
      }
      if (differ.length) return `${differ.length} differ:\n${differ.slice(0, 20).join('\n')}`;
    });

    await run(`${file}: a public key of the wrong length is refused at load, one of the right length loads`, async () => {
      if (!set) return `${file} missing`;
      const wrong = refused.filter(({ group }) => group.tests.some((t) => t.flags?.includes('IncorrectPublicKeyLength')));
      if (wrong.length < 2 || wrong.length !== refused.length) {
        return `refused at load: ${refused.map(({ group, error }) => `${group.tests[0]?.comment}: ${error?.message}`).join('; ')} (expected the wrong-length keys only, at least 2)`;
      }
      for (const { group, error } of refused) {
        if (error?.name !== 'ValidationException' || error?.rule !== 'public-key-mismatch' || error?.params?.detail !== 'key-length') {
          return `${group.tests[0]?.comment}: ${error?.name} ${error?.rule} ${JSON.stringify(error?.params)}: ${error?.message}`;
        }
      }
      const rightLength = loadable.filter(({ group }) => group.tests.every((t) => !t.flags?.includes('IncorrectPublicKeyLength')));
      if (rightLength.length === 0) return 'no key of the right length loaded';
    });
  }
  return results;
}
