// Types for tests/js/lazy-key-checks.mjs, so `deno test` type-checks its caller.
export interface LazyKeyResult {
  name: string;
  ok: boolean;
  detail: string;
}
export const LAZY_WYCHEPROOF_FILES: [string, string][];
export function runLazyKeyChecks(deps: { lib: unknown; wycheproof: Record<string, unknown> }): Promise<LazyKeyResult[]>;
