// Types for tests/js/esdk-fixtures.mjs, so `deno test` type-checks its caller (tests/deno/esdk.test.ts).
export const FRAME: number;
export const BIG_FRAME: number;
export const MiB: number;
export const SIZES: [string, number][];
export const BIG: [string, number];
export const CONTEXT: Record<string, string>;
export const APIS: string[];
export interface EsdkKey {
  fixture: string;
  options: Record<string, unknown>;
  suite: string;
  big: boolean;
}
export const KEYS: EsdkKey[];
export interface EsdkCase {
  id: string;
  fixture: string;
  suite: string;
  options: Record<string, unknown>;
  label: string;
  size: number;
  withContext: boolean;
  api: string;
  frameLength: number;
  seed: number;
}
export function cases(options?: { big?: boolean }): EsdkCase[];
export function seededChunks(seed: number, total: number, chunkSize?: number): Generator<Uint8Array>;
export function seededBytes(seed: number, total: number): Uint8Array;
export function seededStream(seed: number, total: number, chunkSize?: number): ReadableStream<Uint8Array>;
export function caseOptions(c: EsdkCase): Record<string, unknown>;
export function makeMessage(
  KmsPublicKey: { fromGetPublicKey(getPublicKey: unknown): unknown },
  getPublicKey: unknown,
  c: EsdkCase,
): ReadableStream<Uint8Array>;
