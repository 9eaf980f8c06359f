// Types for tests/js/esdk-reference.mjs, so `deno test` type-checks its caller (tests/deno/esdk.test.ts).
import type { EsdkCase } from "./esdk-fixtures.d.ts";
export interface ReferenceOutcome {
  code: number;
  result: Record<string, unknown> & { ok?: boolean } | null;
}
export interface Verdict {
  ok: boolean;
  detail: string;
}
export const KEYS_DIR: string;
export const PYTHON: string;
export function referenceMissing(): string | false;
export function plaintextSha256(c: EsdkCase): string;
export function writeStream(file: string, stream: AsyncIterable<Uint8Array>): Promise<number>;
export function decryptArgs(c: EsdkCase, file: string): string[];
export function runReference(jobs: string[][]): Promise<ReferenceOutcome[]>;
export function verdict(c: EsdkCase, outcome: ReferenceOutcome): Verdict;
export function controlJob(list: EsdkCase[], files: string[]): { args: string[]; file: string };
export function matrixRow(runtime: string, c: EsdkCase, v: Verdict): Record<string, unknown>;
export function recordMatrix(runtime: string, rows: Record<string, unknown>[]): void;
export function referenceAsWritten(list: EsdkCase[]): {
  written(i: number, file: string): void;
  results(): Promise<ReferenceOutcome[]>;
  files(): string[];
};
