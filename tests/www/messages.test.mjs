// The page's sentence tables (www/messages.js): English and Japanese have exactly the same keys, each of the same
// kind (a sentence, a function of the values it names, or a nested table), and every key index.html names exists.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../browser/harness.mjs';
import { tables } from '../../www/messages.js';

/** Every key path of a table with the kind of its value ('string', 'function', 'array:N'). */
function shape(table, prefix = '') {
  return Object.entries(table).flatMap(([k, v]) => {
    const key = prefix + k;
    if (Array.isArray(v)) return [[key, `array:${v.length}`]];
    if (v && typeof v === 'object') return shape(v, `${key}.`);
    return [[key, typeof v === 'function' ? `function:${v.length}` : typeof v]];
  });
}

describe('www/messages.js', () => {
  it('the en and ja tables have exactly the same keys, with values of the same kind', () => {
    assert.deepEqual(shape(tables.ja), shape(tables.en));
  });

  it('every data-i18n key of index.html exists in both tables', () => {
    const html = fs.readFileSync(path.join(REPO_ROOT, 'www', 'index.html'), 'utf8');
    const keys = [...html.matchAll(/data-i18n(?:-html|-aria-label)?="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(keys.length > 50, `only ${keys.length} keys found`);
    for (const lang of ['en', 'ja']) for (const k of keys) assert.equal(typeof tables[lang][k], 'string', `${lang}.${k}`);
  });

  it('the Japanese sentences are Japanese (each has kana or kanji) except KMS names and codes', () => {
    const kanaOrKanji = /[\u3040-\u30ff\u4e00-\u9fff]/;
    // Names that read the same in both languages: product, algorithm and KMS names.
    const sameInBoth = new Set(['sourceLabel', 'kdfLabel', 'hkdfOption', 'sourceBase64', 'version', 'sm2DigestRow', 'sampleTag']);
    const sample = (fn) => fn(...Array.from({ length: fn.length }, () => ({ name: 'ECC_NIST_P256_SIGN_VERIFY', title: 'X', join: () => 'X' })));
    for (const [key, value] of Object.entries(tables.ja)) {
      if (sameInBoth.has(key) || typeof value === 'object') continue;
      const text = typeof value === 'function' ? String(sample(value)) : value;
      assert.match(text, kanaOrKanji, `ja.${key}: ${text}`);
    }
  });
});
