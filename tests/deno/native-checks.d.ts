// Types for tests/js/native-checks.mjs, so `deno test` type-checks its caller.
export interface NativeResult {
  name: string;
  ok: boolean;
  detail: string;
}
export const WYCHEPROOF_FILES: [string, string, string][];
export function runNativeChecks(deps: {
  lib: unknown;
  fixtures: Record<string, unknown>;
  wycheproof: Record<string, unknown>;
}): Promise<NativeResult[]>;
export function platformHas(fixtures: Record<string, unknown>, spec: string): Promise<boolean | undefined>;
