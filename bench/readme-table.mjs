// The README's Performance table, from the newest full runs of bench/run.mjs (Node) and bench/browser.mjs
// (Chromium) in bench/results/ and the entry sizes of the built pkg/dist, so that the table is regenerated, not
// retyped:
//
//   node bench/readme-table.mjs        prints the table and the line that says when and where it was measured
//
// µs per operation, median, key loaded once ("steady"); the kms-offline cell is "sync / async" where an
// `...Async` form exists, the faster of ours in bold. The one-shot figures and every ratio are in bench/RESULTS.md.
import { latest } from './report.mjs';
import { fmtUs, ratios } from './suite.mjs';
import { measure } from './entry-sizes.mjs';

// The entries a page may load for each operation, smallest first (README "Which entry").
const ENTRIES = {
  'verify-rsa': ['rsa'],
  'verify-prime256v1': ['verify-p256', 'p256'],
  'verify-secp384r1': ['p384'],
  'verify-secp521r1': ['p521'],
  'verify-secp256k1': ['secp256k1'],
  'verify-sm2': ['sm2'],
  'verify-ed25519': ['ed25519'],
  'verify-ml-dsa': ['ml-dsa'],
  'encrypt-rsa': ['rsa'],
  'encrypt-sm2pke': ['sm2'],
  'ecdh-prime256v1': ['p256'],
  'ecdh-secp384r1': ['p384'],
  'ecdh-secp521r1': ['p521'],
  'encapsulate-ml-kem': ['ml-kem'],
};
const entriesOf = (id) => Object.entries(ENTRIES).find(([prefix]) => id.startsWith(prefix))?.[1] ?? [];

const short = (name) => name.replace('@noble/curves', 'noble').replace('@noble/post-quantum', 'noble').replace(' (precomputed key)', ' pre');
const us = (row, name) => row?.impls[name]?.steady?.us;

function ours(row) {
  const [sync, async] = [us(row, 'kms-offline'), us(row, 'kms-offline async')];
  if (sync === undefined) return '';
  if (async === undefined) return fmtUs(sync);
  return sync <= async ? `**${fmtUs(sync)}** / ${fmtUs(async)}` : `${fmtUs(sync)} / **${fmtUs(async)}**`;
}
const plain = (row, name) => (us(row, name) === undefined ? 'n/a' : fmtUs(us(row, name)));
function fastestJs(row) {
  const js = row && ratios(row, 'steady', 'kms-offline').js;
  return js ? `${fmtUs(js.us)} (${short(js.name)})` : 'n/a';
}

export function readmeTable(node, chromium, sizes) {
  const head = ['operation', 'Chromium: kms-offline / async', 'Chromium: WebCrypto', 'Chromium: fastest pure JS', 'Node: kms-offline / async', 'Node: node:crypto', 'Node: fastest pure JS', 'smallest entry with it, KB gzip'];
  const lines = [`| ${head.join(' | ')} |`, `|---|${head.slice(1).map((_, i) => (i === head.length - 2 ? '---' : '---:')).join('|')}|`];
  for (const row of node.rows.filter((r) => r.group !== 'load')) {
    const c = chromium.rows.find((r) => r.id === row.id);
    const entries = entriesOf(row.id).map((e) => `\`${e}\` ${Math.round(sizes[e] / 1024)}`).join(', ');
    lines.push(`| ${row.title} | ${ours(c)} | ${plain(c, 'WebCrypto')} | ${fastestJs(c)} | ${ours(row)} | ${plain(row, 'node:crypto')} | ${fastestJs(row)} | ${entries} |`);
  }
  return lines.join('\n');
}

export function measuredLine(node, chromium) {
  const m = node.machine;
  const load = (run) => run.machine.load.join(', ');
  return (
    `Measured ${m.date.slice(0, 10)} (commit ${m.commit}) on a shared ${m.nproc}-core ${m.cpu.replace(/ \d+-Core Processor$/, '')}, ` +
    `Node ${m.node.slice(1)} (load average ${load(node)}) and headless ${chromium.machine.chromium?.split(' built')[0] ?? 'Chromium'} (load average ${load(chromium)})`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [node, chromium] = [latest('-node.json'), latest('-chromium.json')];
  if (!node || !chromium || node.quick || chromium.quick) {
    console.error('bench/readme-table.mjs needs a full run of both: node bench/run.mjs && node bench/browser.mjs');
    process.exit(1);
  }
  const sizes = Object.fromEntries([...new Set(Object.values(ENTRIES).flat())].map((e) => [e, measure(e).total]));
  console.log(`${measuredLine(node, chromium)}:\n\n${readmeTable(node, chromium, sizes)}`);
}
