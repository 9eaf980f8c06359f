// Prints the runtime reach matrix (docs/esdk-runtimes.md) from what the reach tests recorded in
// test-output/esdk-reach/<runtime>.json: runtime × key × suite × size -> decrypted by the Python ESDK, as a
// Markdown table. Each cell counts the messages of that size (with and without context, both APIs).
//   node tests/js/esdk-matrix.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIG, SIZES } from './esdk-fixtures.mjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output', 'esdk-reach');
const RUNTIMES = ['deno', 'browser-chromium', 'browser-firefox', 'browser-webkit', 'workers'];
const sizes = [...SIZES, BIG].map(([label]) => label);

const lines = [`| runtime | key | suite | ${sizes.join(' | ')} |`, `|---|---|---|${sizes.map(() => '---').join('|')}|`];
for (const runtime of RUNTIMES) {
  const file = path.join(dir, `${runtime}.json`);
  if (!fs.existsSync(file)) {
    lines.push(`| ${runtime} | not run | | ${sizes.map(() => '').join(' | ')} |`);
    continue;
  }
  const rows = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const key of [...new Set(rows.map((r) => r.key))]) {
    const ofKey = rows.filter((r) => r.key === key);
    const cell = (size) => {
      const made = ofKey.filter((r) => r.size === size);
      const decrypted = made.filter((r) => r.decrypted).length;
      return made.length === 0 ? '-' : `${decrypted === made.length ? 'yes' : 'NO'} ${decrypted}/${made.length}`;
    };
    lines.push(`| ${ofKey[0].runtime} | ${key} | ${ofKey[0].suite} | ${sizes.map(cell).join(' | ')} |`);
  }
}
console.log(lines.join('\n'));
