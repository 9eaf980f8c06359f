/** The languages every sentence exists in. */
export declare const LANGUAGES: readonly ['en', 'ja'];
/** The first supported language among preferences such as `navigator.languages` or POSIX locale variables. */
export declare function pickLanguage(preferences: Iterable<string | undefined | null> | undefined | null, fallback?: 'en' | 'ja'): 'en' | 'ja';
/** Japanese renderings of the core's rule codes. */
export declare const JA_RULES: Record<string, (params: Record<string, unknown>) => string>;
/** The error's explanation in `lang` (English: the library's `message`). */
export declare function errorMessage(error: { name?: string; message?: string; rule?: string; params?: Record<string, unknown> } | unknown, lang: 'en' | 'ja'): string;
