// Types for tests/js/interop-checks.mjs, so `deno test` type-checks its caller.
export interface InteropResult {
  name: string;
  ok: boolean;
  detail: string;
}
export function runInteropChecks(deps: {
  lib: unknown;
  jose: unknown;
  noble: Record<string, unknown>;
  fixtures: Record<string, unknown>;
  streamBytes?: number;
}): Promise<InteropResult[]>;
