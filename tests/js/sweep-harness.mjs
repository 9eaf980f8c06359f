// Test harness for the sweep (tests/js/sweep.test.mjs) and the load script (tests/load/load.mjs):
// loads fresh instances of the built package (pkg/dist/node.cjs, exactly as `require('kms-offline')`
// resolves it) and gives the tests two things the package does not export:
//
//   memory  the instance's WebAssembly.Memory (memory.buffer.byteLength = the wasm heap size), captured by
//           wrapping the WebAssembly.Instance constructor while the nodejs glue instantiates the module;
//   sp      the module's shadow-stack pointer (`__stack_pointer`, mutable global 0 of a Rust wasm32 module),
//           exported under the extra name `__sweep_sp` by appending ONE entry to the export section of the
//           bytes the glue compiles. Code, data and imports are untouched. Every call that returns or throws
//           through wasm-bindgen's own glue restores it; a JS exception that unwinds through wasm frames
//           (a throwing import not declared `catch`) leaves it lowered, and after a few hundred of those the
//           stack runs out and every call traps. sp is how the sweep sees that per call.
//
// Each loadInstance() gives a new, independent instance (the compiled module is cached), so a test can
// throw away an instance it damaged and carry on with a fresh one.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
/** The file `require('kms-offline')` loads in Node (the package's "exports" → node → require). */
export const ENTRY = require.resolve('kms-offline');
/**
 * Every KMS exception name the package documents (KmsError in the .d.ts), read from the package's one list
 * (`KmsPublicKey.exceptionNames()`, src/error.rs); tests/enums.rs pins that list to the KMS spellings.
 */
export const KMS_ERROR_NAMES = Object.freeze(require(ENTRY).KmsPublicKey.exceptionNames());

// ---- minimal wasm binary editing: append an export for global 0 -------------------------------------

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return { value, at };
}

function leb(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

/** The module's sections as [{ id, start, end }] (payload bounds). */
function sections(bytes) {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error('not a wasm module');
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readLeb(bytes, at + 1);
    out.push({ id, headerStart: at, start: size.at, end: size.at + size.value });
    at = size.at + size.value;
  }
  return out;
}

/** Number of imported globals (the global index space starts with them). */
function importedGlobals(bytes, importSection) {
  if (!importSection) return 0;
  let { value: count, at } = readLeb(bytes, importSection.start);
  let globals = 0;
  const skipName = () => {
    const n = readLeb(bytes, at);
    at = n.at + n.value;
  };
  for (let i = 0; i < count; i++) {
    skipName();
    skipName();
    const kind = bytes[at++];
    if (kind === 0) at = readLeb(bytes, at).at; // func: type index
    else if (kind === 1) { // table: reftype + limits
      at += 1;
      const flags = bytes[at++];
      at = readLeb(bytes, at).at;
      if (flags & 1) at = readLeb(bytes, at).at;
    } else if (kind === 2) { // memory: limits
      const flags = bytes[at++];
      at = readLeb(bytes, at).at;
      if (flags & 1) at = readLeb(bytes, at).at;
    } else if (kind === 3) { // global: valtype + mut
      at += 2;
      globals++;
    } else if (kind === 4) at = readLeb(bytes, at + 1).at; // tag
    else throw new Error(`unknown import kind ${kind}`);
  }
  return globals;
}

/**
 * The module bytes with `__sweep_sp` exporting the first defined global, after checking it looks like
 * Rust's shadow-stack pointer: a mutable i32 initialised with an i32.const.
 */
export function withStackPointerExport(bytes) {
  const secs = sections(bytes);
  const globalSec = secs.find((s) => s.id === 6);
  const exportSec = secs.find((s) => s.id === 7);
  if (!globalSec || !exportSec) throw new Error('module has no global or export section');
  if (importedGlobals(bytes, secs.find((s) => s.id === 2)) !== 0) throw new Error('imported globals: global 0 is not ours');
  const g = readLeb(bytes, globalSec.start);
  const valtype = bytes[g.at];
  const mutable = bytes[g.at + 1];
  const init = bytes[g.at + 2];
  if (g.value < 1 || valtype !== 0x7f || mutable !== 1 || init !== 0x41) {
    throw new Error('global 0 is not a mutable i32 (the shadow-stack pointer of a Rust wasm32 module)');
  }
  const count = readLeb(bytes, exportSec.start);
  const name = [...Buffer.from('__sweep_sp')];
  const entries = bytes.subarray(count.at, exportSec.end);
  const payload = Buffer.concat([
    Buffer.from(leb(count.value + 1)),
    entries,
    Buffer.from([...leb(name.length), ...name, 0x03, 0x00]),
  ]);
  return Buffer.concat([
    bytes.subarray(0, exportSec.headerStart),
    Buffer.from([7, ...leb(payload.length)]),
    payload,
    bytes.subarray(exportSec.end),
  ]);
}

// ---- loading ----------------------------------------------------------------------------------------

let cachedModule;

/**
 * A fresh instance of the package: { lib, memory, sp, restingSp, exports, wasmBytes }.
 * `lib` is what require('kms-offline') returns (a separate copy, with its own wasm instance).
 * Options: { stackPointer: true } patches the module to export the stack pointer (default true).
 */
export function loadInstance({ stackPointer = true } = {}) {
  const OriginalModule = WebAssembly.Module;
  const OriginalInstance = WebAssembly.Instance;
  let instance;
  WebAssembly.Module = function Module(bytes) {
    if (!stackPointer) return new OriginalModule(bytes);
    cachedModule ??= new OriginalModule(withStackPointerExport(Buffer.from(bytes)));
    return cachedModule;
  };
  WebAssembly.Instance = function Instance(module, imports) {
    instance = new OriginalInstance(module, imports);
    return instance;
  };
  let lib;
  try {
    delete require.cache[ENTRY];
    lib = require(ENTRY);
  } finally {
    WebAssembly.Module = OriginalModule;
    WebAssembly.Instance = OriginalInstance;
    delete require.cache[ENTRY];
  }
  if (!instance) throw new Error(`${ENTRY} did not instantiate a WebAssembly module synchronously`);
  const exports = instance.exports;
  const sp = exports.__sweep_sp;
  return {
    lib,
    exports,
    memory: exports.memory,
    sp,
    /** The stack pointer with no wasm frame active (every top-level call must leave it here). */
    restingSp: sp ? sp.value : undefined,
  };
}

/** The bytes of the shipped .wasm (for size reporting). */
export function wasmFileBytes() {
  return readFileSync(new URL('./kms_offline_bg.wasm', `file://${ENTRY}`));
}
