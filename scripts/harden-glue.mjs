#!/usr/bin/env node
// Adds receiver checks to wasm-bindgen's generated glue (run by scripts/build.sh on each target's
// kms_offline.js before packaging).
//
// Why: the generated class methods pass `this.__wbg_ptr` to wasm unchecked. A method called on a freed
// object (or on `Object.create(KmsPublicKey.prototype)`, a plain object) passes 0, and wasm-bindgen then
// throws "null pointer passed to rust" from inside wasm, leaking wasm stack on every call until the
// module traps. A method called on another class's object (`KmsPublicKey.prototype.fingerprint.call(digest)`)
// passes a pointer to the wrong Rust type. Here every object the glue makes is branded with its class in
// a module-private WeakMap, and every method, getter and free() checks the brand and the pointer in JS,
// before anything enters wasm, throwing a ValidationException like the rest of the library.
//
// It also audits the glue's imports: every JS function wasm calls must either be wrapped by
// wasm-bindgen's `catch` (handleError) or be on a short list of functions that cannot throw.
//
// The script fails (exit 1) if the glue does not have the shape it expects, so a wasm-bindgen upgrade
// that changes it stops the build instead of shipping unchecked methods.
//
//   node scripts/harden-glue.mjs FILE...

import fs from 'node:fs';

const PROLOGUE = `
// ---- added by kms-offline scripts/harden-glue.mjs: receiver checks before anything enters wasm ----
const KMS_BRAND = new WeakMap();
function kmsGlueError(message) {
    const error = new Error(message);
    error.name = 'ValidationException';
    error.code = 'ValidationException';
    return error;
}
function kmsSelf(self, cls, member) {
    if (self === null || (typeof self !== 'object' && typeof self !== 'function') || KMS_BRAND.get(self) !== cls) {
        throw kmsGlueError(\`\${cls.name}#\${member} was called on something that is not a \${cls.name} made by kms-offline\`);
    }
    const ptr = self.__wbg_ptr;
    if (ptr === 0) {
        throw kmsGlueError(\`this \${cls.name} has been freed (free() or the end of its using block): \${cls.name}#\${member} needs a live one\`);
    }
    return ptr;
}
function kmsFreeable(self, cls) {
    if (self === null || (typeof self !== 'object' && typeof self !== 'function') || KMS_BRAND.get(self) !== cls) {
        throw kmsGlueError(\`\${cls.name}#free was called on something that is not a \${cls.name} made by kms-offline\`);
    }
    return self.__wbg_ptr !== 0;
}
// ---- end of kms-offline additions ----
`;

function fail(file, why) {
  console.error(`harden-glue: ${file}: ${why}`);
  process.exit(1);
}

/** Splits the glue into top-level class bodies: [{ name, start, end }] (end: index of the closing "\n}\n"). */
function classes(text) {
  const found = [];
  const re = /^(?:export )?class (\w+) \{$/gm;
  for (let m; (m = re.exec(text)); ) {
    const end = text.indexOf('\n}\n', m.index);
    if (end < 0) return null;
    found.push({ name: m[1], start: m.index, end });
  }
  return found;
}

function hardenClass(file, name, body) {
  let out = body;
  let count = 0;
  const replace = (re, to, expected) => {
    let n = 0;
    out = out.replace(re, (...args) => {
      n += 1;
      return typeof to === 'function' ? to(...args) : to;
    });
    if (expected !== undefined && n !== expected) fail(file, `class ${name}: expected ${expected} match(es) of ${re}, found ${n}`);
    count += n;
    return n;
  };
  // Objects made by __wrap (returned from wasm) and by the constructor get the brand.
  replace(/^(\s*)obj\.__wbg_ptr = ptr;$/m, (_, indent) => `${indent}obj.__wbg_ptr = ptr;\n${indent}KMS_BRAND.set(obj, ${name});`, 1);
  replace(/^(\s*)this\.__wbg_ptr = ret\[0\];$/gm, (_, indent) => `${indent}this.__wbg_ptr = ret[0];\n${indent}KMS_BRAND.set(this, ${name});`);
  // free(): only on a branded object; a second free() is a no-op.
  replace(/^(\s*)free\(\) \{\n/m, (_, indent) => `${indent}free() {\n${indent}    if (!kmsFreeable(this, ${name})) return;\n`, 1);
  // Every call into wasm with the receiver's pointer: the member name is the method or getter around it.
  const methods = [...out.matchAll(/^    (?:static |get |set )?(\w+)\([^)]*\) \{$/gm)].map((m) => ({ name: m[1], at: m.index }));
  out = out.replace(/wasm\.(\w+)\(this\.__wbg_ptr/g, (whole, fn, offset) => {
    const member = methods.filter((m) => m.at < offset).pop();
    if (!member) fail(file, `class ${name}: a wasm call outside any method: ${whole}`);
    count += 1;
    return `wasm.${fn}(kmsSelf(this, ${name}, '${member.name}')`;
  });
  // Nothing else may read the receiver's pointer: __destroy_into_raw (after the brand check in free) and
  // the constructor/__wrap lines above are the only other uses.
  const rest = out
    .split('\n')
    .filter((l) => l.includes('__wbg_ptr') && !/kmsSelf\(this|KMS_BRAND\.set|obj\.__wbg_ptr = ptr;|this\.__wbg_ptr = ret\[0\];|Finalization\.register\((obj|this), (obj|this)\.__wbg_ptr|const ptr = this\.__wbg_ptr;|this\.__wbg_ptr = 0;/.test(l));
  if (rest.length) fail(file, `class ${name}: unchecked uses of __wbg_ptr:\n${rest.join('\n')}`);
  return { out, count };
}

// The imports (JS functions wasm calls) that may run without wasm-bindgen's `catch` wrapper
// (handleError): each was checked not to throw or not to touch a caller's value. Any other import
// must be declared `catch` (see src/js/read.rs), because an exception thrown inside an unwrapped
// import unwinds through the wasm frames and leaks the wasm stack.
const UNCAUGHT_IMPORTS_ALLOWED = [
  /^__wbg___wbindgen_(boolean_get|is_falsy|is_function|is_null|is_object|is_string|is_undefined|number_get|string_get|throw)_/, // typeof tests, throw_str
  /^__wbg_instanceof_\w+_/, // instanceof, wrapped in try/catch by wasm-bindgen itself (checked below)
  /^__wbg_(Error|new)_/, // new Error(text), new Array()
  /^__wbg_new_from_slice_/, // new Uint8Array(bytes from wasm)
  /^__wbg_new_typed_/, // new Promise(executor), its executor wrapped in try/catch
  /^__wbg_length_/, // .length of a primitive string (JsString) or of an array / typed array made in read.rs
  /^__wbg_push_/, // push onto an array made here
  /^__wbg_set_name_/, // error.name = ... on an Error made here
  /^__wbg_fill_/, // zero-filling a Uint8Array copy made in src/js/webcrypto.rs
  /^__wbg_prototypesetcall_/, // Uint8Array.prototype.set.call(wasm memory, a Uint8Array made in read.rs)
  /^__wbg_get_(unchecked_)?[0-9a-f]+$/, // array[i] of an array made here (Array.from copies in read.rs, the request arrays of src/js/webcrypto.rs)
  /^__wbg_bind_/, // bind() of the fallback function src/js/webcrypto.rs made
  /^__wbg_now_/, // Date.now()
  /^__wbg_then_/, // then() of a promise made here (await_value never awaits a caller's promise)
  /^__wbg_(resolve|reject)_/, // Promise.resolve / Promise.reject of values made here (wasm-bindgen-futures' scheduler, settle_now)
  /^__wbg_queueMicrotask_/, // wasm-bindgen-futures' scheduler
  /^__wbg__wbg_cb_unref_/, // wasm-bindgen closure bookkeeping
  /^__wbg_(asyncIterator|iterator)_/, // Symbol.asyncIterator, Symbol.iterator
  /^__wbg_static_accessor_/, // typeof globalThis / self / window / global
  /^__wbindgen_generic_/, // cast intrinsics
  /^__wbindgen_init_externref_table$/,
];

function auditImports(file, text) {
  const re = /^ {8}(__wbg\w+|__wbindgen_\w+): function\(([^)]*)\) \{(.*)$/gm;
  let seen = 0;
  const unexplained = [];
  for (let m; (m = re.exec(text)); ) {
    seen += 1;
    const [, name, , rest] = m;
    if (rest.includes('handleError(')) continue;
    if (!UNCAUGHT_IMPORTS_ALLOWED.some((allowed) => allowed.test(name))) unexplained.push(name);
    if (name.startsWith('__wbg_instanceof_')) {
      const body = text.slice(m.index, text.indexOf('\n        },', m.index));
      if (!/try \{[\s\S]*instanceof[\s\S]*\} catch/.test(body)) fail(file, `${name} is not wrapped in try/catch any more`);
    }
  }
  if (unexplained.length) {
    fail(file, `imports that may throw inside wasm without catch: ${unexplained.join(', ')}: declare them \`catch\` (src/js/read.rs) or, if they cannot throw, add them to UNCAUGHT_IMPORTS_ALLOWED with the reason`);
  }
  if (seen < 20) fail(file, `found only ${seen} imports: the glue's import object has a shape this script does not know`);
  return seen;
}

for (const file of process.argv.slice(2)) {
  let text = fs.readFileSync(file, 'utf8');
  if (text.includes('KMS_BRAND')) fail(file, 'already hardened');
  const found = classes(text);
  if (!found || found.length === 0) fail(file, 'no exported classes found');
  let total = 0;
  for (const { name, start, end } of found.reverse()) {
    const { out, count } = hardenClass(file, name, text.slice(start, end));
    text = text.slice(0, start) + out + text.slice(end);
    total += count;
  }
  const imports = auditImports(file, text);
  if (/_assertClass\(/.test(text)) fail(file, 'the glue passes class instances as arguments (_assertClass): add a brand check for them');
  const firstLineEnd = text.indexOf('\n');
  text = text.slice(0, firstLineEnd + 1) + PROLOGUE + text.slice(firstLineEnd + 1);
  fs.writeFileSync(file, text);
  console.log(`harden-glue: ${file}: ${found.length} classes, ${total} checks added; ${imports} imports audited`);
}
