#!/usr/bin/env node
// What holds the bytes of one build: the wasm-bindgen output with its name section kept, analysed by
// bench/wasm-sizes.mjs, and the shipped .wasm (--remove-name-section) + web glue, raw and gzip -9. Prints markdown.
//   node bench/size-breakdown.mjs <label> <named .wasm> <shipped .wasm> <web glue .js> [--top 12]
// Groups (code bytes, by symbol): core::fmt (formatting machinery and Display/Debug impls), panics, alloc, the
// allocator (dlmalloc or another), wasm-bindgen / js-sys (the binding crates) and the per-export shims (unmangled
// exports), the rest of core/std; data segments (mostly strings and tables) raw and gzip.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const [label, namedWasm, shippedWasm, glue] = args.filter((a) => !a.startsWith('--'));
const top = Number(args[args.indexOf('--top') + 1]) || 12;
const here = path.dirname(new URL(import.meta.url).pathname);
const info = JSON.parse(execFileSync(process.execPath, [path.join(here, 'wasm-sizes.mjs'), namedWasm, '--json', '--top', '1000000'],
  { maxBuffer: 1 << 28 }).toString());

// gzip -9 of GNU gzip, as scripts/build.sh measures (Node's zlib at level 9 gives ~1.7 % more on these modules).
const gz = (b) => execFileSync('gzip', ['-9', '-c'], { input: b, maxBuffer: 1 << 28 }).length;
const shipped = fs.readFileSync(shippedWasm);
const glueBytes = fs.readFileSync(glue);

/** The group of a function, from its (mangled) symbol and crate; first match wins. */
const GROUPS = [
  ['core::fmt (formatting, Display/Debug impls)', (s) => /::fmt::|write_fmt|pad_integral|float_to_decimal/.test(s)],
  ['panics (core/std panicking)', (s) => /panick|panic_fmt|begin_panic|rust_begin_unwind|PanicPayload/.test(s)],
  ['allocator (talc or dlmalloc, std::alloc glue)', (s, c) => ['dlmalloc', 'talc', 'lol_alloc', '__rustc'].includes(c) || /__rust_(?:alloc|dealloc|realloc)|__rdl_|__rg_/.test(s)],
  ['alloc (Vec, String, BTreeMap...)', (s, c) => c === 'alloc'],
  ['wasm-bindgen + js-sys (crates and generated __wbindgen/__externref functions)', (s, c) => ['wasm_bindgen', 'js_sys', 'wasm_bindgen_futures'].includes(c) || /^__wbg|^__wbindgen|^__externref/.test(s)],
  ['exported shims (#[wasm_bindgen] exports of kms_offline)', (s) => !s.includes('::') && !/^(?:memcmp|memcpy|memset|memmove|__multi3|__[a-z]+di3|__[a-z]+ti3)$/.test(s)],
  ['core/std (the rest)', (s, c) => c === 'core' || c === 'std'],
];
const groups = new Map(GROUPS.map(([g]) => [g, 0]));
for (const f of info.topFunctions) {
  const hit = GROUPS.find(([, test]) => test(f.sym ?? '', f.crate));
  if (hit) groups.set(hit[0], groups.get(hit[0]) + f.size);
}

const kb = (n) => (n / 1024).toFixed(1);
const wasmGz = gz(shipped), glueGz = gz(glueBytes);
console.log(`### ${label}\n`);
console.log('| shipped | raw | gzip -9 |\n|---|---:|---:|');
console.log(`| .wasm (wasm-bindgen, no name section) | ${shipped.length} | ${wasmGz} |`);
console.log(`| web.js glue | ${glueBytes.length} | ${glueGz} |`);
console.log(`| **.wasm + glue** | ${shipped.length + glueBytes.length} | **${wasmGz + glueGz}** (${kb(wasmGz + glueGz)} KiB) |\n`);
console.log(`The module as shipped: code ${info.code} B, data segments ${info.data} B (${info.dataGzip} B gzip).\n`);
console.log('| top crates by code bytes | bytes | % of code |\n|---|---:|---:|');
for (const [c, n] of info.byCrate.slice(0, top)) console.log(`| ${c} | ${n} | ${(100 * n / info.code).toFixed(1)} |`);
console.log('\n| group (code bytes, all crates) | bytes | % of code |\n|---|---:|---:|');
for (const [g, n] of groups) console.log(`| ${g} | ${n} | ${(100 * n / info.code).toFixed(1)} |`);
console.log(`| data segments (strings, tables) | ${info.data} (${info.dataGzip} gzip) | |`);
console.log('');
if (process.env.SIZE_JSON) {
  fs.appendFileSync(process.env.SIZE_JSON, JSON.stringify({ label, wasmRaw: shipped.length, wasmGz, glueGz, total: wasmGz + glueGz,
    code: info.code, data: info.data, dataGz: info.dataGzip, byCrate: info.byCrate.slice(0, 30), groups: Object.fromEntries(groups) }) + '\n');
}
