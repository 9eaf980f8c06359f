#!/usr/bin/env node
// What the .wasm is made of: code bytes per crate (from the name section of cargo's output, before wasm-bindgen
// strips it), data segments, and the rest.
//   node bench/wasm-sizes.mjs target/bench-s/wasm32-unknown-unknown/release/kms_offline.wasm [--top 40] [--json]
import fs from 'node:fs';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const top = Number(args[args.indexOf('--top') + 1]) || 30;
const buf = fs.readFileSync(file);

let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return result >>> 0;
};
const name = () => {
  const len = u32();
  const s = buf.toString('utf8', pos, pos + len);
  pos += len;
  return s;
};

const sections = [];
let importedFuncs = 0;
const bodies = []; // [start, end]
const names = new Map();
const dataSegments = [];
while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const start = pos;
  const end = pos + size;
  let label = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `id${id}`;
  if (id === 0) {
    const n = name();
    label = `custom:${n}`;
    if (n === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const subSize = u32();
        const subEnd = pos + subSize;
        if (sub === 1) {
          const count = u32();
          for (let i = 0; i < count; i++) {
            const idx = u32();
            names.set(idx, name());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      name();
      name();
      const kind = buf[pos++];
      if (kind === 0) {
        u32();
        importedFuncs++;
      } else if (kind === 1) {
        pos++;
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 2) {
        const flags = u32();
        u32();
        if (flags & 1) u32();
      } else if (kind === 3) {
        pos += 2;
      }
    }
  } else if (id === 10) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      const sz = u32();
      bodies.push([pos, pos + sz]);
      pos += sz;
    }
  } else if (id === 11) {
    const count = u32();
    for (let i = 0; i < count; i++) {
      const flags = u32();
      if (flags === 0) {
        while (buf[pos] !== 0x0b) pos++; // the offset expression
        pos++;
      } else if (flags === 2) {
        u32();
        while (buf[pos] !== 0x0b) pos++;
        pos++;
      }
      const len = u32();
      dataSegments.push(buf.subarray(pos, pos + len));
      pos += len;
    }
  }
  sections.push({ label, size });
  pos = end;
}

/** The crate a (mangled) Rust symbol belongs to: the first path segment, legacy (_ZN) or v0 (_R). */
function crateOf(sym) {
  if (!sym) return '?';
  let s = sym;
  const v0 = s.match(/C[sd]?[0-9a-zA-Z]*_(\d+)([A-Za-z_][A-Za-z0-9_]*)/);
  if (s.startsWith('_R') && v0) return v0[2].slice(0, Number(v0[1]));
  if (s.startsWith('_ZN')) {
    s = s.slice(3);
    const m = s.match(/^(\d+)/);
    if (!m) return '?';
    let seg = s.slice(m[1].length, m[1].length + Number(m[1]));
    // impl blocks: _$LT$Type$u20$as$u20$Trait$GT$ -> the crate of Type
    seg = seg.replace(/^_?\$LT\$/, '').replace(/^\$RF\$/, '').replace(/^mut\$u20\$/, '');
    // blanket impls (<T as Trait>): the crate of the trait
    const blanket = seg.match(/^[A-Z]\$u20\$as\$u20\$(?:\$RF\$)?([a-z_0-9]+)/);
    if (blanket) return blanket[1];
    return seg.split('..')[0].split('$')[0] || '?';
  }
  // demangled (wasm-bindgen rewrites the name section so): `<core[hash]::fmt::Arguments as ...>::f`, `<T as base64ct::X>`
  s = s.replace(/^(?:<|&|mut |dyn |\(|\[)+/, '');
  const blanket = s.match(/^[A-Z]\w* as (?:&|mut |dyn )*([a-z_][a-z_0-9]*)/);
  if (blanket) return blanket[1];
  const crate = s.split(/::|\[|[ <>;,.]/)[0] || '?';
  // methods of primitive types and slices (`<[T] as ...>`, `u64::...`) are core's
  return /^(?:[iu](?:8|16|32|64|128|size)|f32|f64|char|str|bool|T\]?)$/.test(crate) ? 'core' : crate;
}

const byCrate = new Map();
const fns = [];
bodies.forEach(([a, b], i) => {
  const sym = names.get(importedFuncs + i);
  const crate = crateOf(sym);
  const size = b - a;
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
  fns.push({ sym, crate, size });
});
const data = dataSegments.reduce((n, d) => n + d.length, 0);
const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
const result = {
  file,
  total: buf.length,
  sections: sections.map((s) => ({ ...s })),
  code: bodies.reduce((n, [a, b]) => n + b - a, 0),
  data,
  dataGzip: gz(Buffer.concat(dataSegments)),
  byCrate: [...byCrate.entries()].sort((a, b) => b[1] - a[1]),
  topFunctions: fns.sort((a, b) => b.size - a.size).slice(0, top),
};
if (args.includes('--json')) {
  console.log(JSON.stringify(result, null, 1));
} else {
  console.log(`${file}: ${buf.length} bytes; code ${result.code}; data segments ${data} (${result.dataGzip} gzip)`);
  console.log('sections:', sections.map((s) => `${s.label} ${s.size}`).join(', '));
  console.log('\ncode bytes by crate:');
  for (const [c, n] of result.byCrate.slice(0, top)) console.log(`  ${String(n).padStart(8)}  ${(100 * n / result.code).toFixed(1).padStart(5)}%  ${c}`);
  console.log('\nlargest functions:');
  for (const f of result.topFunctions.slice(0, 15)) console.log(`  ${String(f.size).padStart(8)}  ${f.crate}  ${f.sym?.slice(0, 110)}`);
}
