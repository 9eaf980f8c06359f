// Sentences a person reads, in English and Japanese: the language choice, and the explanation of a
// kms-offline error in either language. Used by the CLI (bin/kms-offline.mjs) and the page (www/), and by
// anyone who shows kms-offline's errors to people. Plain JS, no wasm: sentences are assembled here, not in
// the core, which gives each error a stable `rule` code and its `params` beside the English `message`.
//
// THIS FILE IS A SKELETON: the interface below is fixed; the rule table is filled in by the error-codes work.

/** The languages every sentence exists in. */
export const LANGUAGES = ['en', 'ja'];

/**
 * The first supported language among preferences such as `navigator.languages` (`['ja-JP', 'en']`) or the
 * POSIX locale variables (`ja_JP.UTF-8`, `C`, `en_US.UTF-8`); `fallback` (default 'en') when none matches.
 * @param {Iterable<string | undefined | null>} preferences
 * @param {'en' | 'ja'} [fallback]
 * @returns {'en' | 'ja'}
 */
export function pickLanguage(preferences, fallback = 'en') {
  for (const preference of preferences ?? []) {
    if (typeof preference !== 'string' || !preference) continue;
    const primary = preference.toLowerCase().split(/[-_.@]/)[0];
    if (primary === 'c' || primary === 'posix') continue;
    if (LANGUAGES.includes(primary)) return primary;
  }
  return fallback;
}

/**
 * Japanese renderings of the core's rule codes: `rule` → (params) → sentence. KMS's own names (key specs,
 * algorithms, exception names, member names) stay as KMS spells them.
 * @type {Record<string, (params: Record<string, unknown>) => string>}
 */
export const JA_RULES = {};

/**
 * The error's explanation in `lang`: English is the library's own `message`; Japanese is the rendering of its
 * `rule` code with its `params`, or, for an error without one, a Japanese sentence that carries the English
 * original. KMS names are never translated.
 * @param {{ name?: string, message?: string, rule?: string, params?: Record<string, unknown> }} error
 * @param {'en' | 'ja'} lang
 * @returns {string}
 */
export function errorMessage(error, lang) {
  const original = String(error?.message ?? error);
  if (lang !== 'ja') return original;
  const render = error && typeof error.rule === 'string' ? JA_RULES[error.rule] : undefined;
  if (render) return render(error.params ?? {});
  return `次の入力は受け付けられませんでした（原文）: ${original}`;
}
