// README.ja.md is README.md in Japanese, kept in step with it (issue 19, item 4). README.md changes often; this test
// says exactly what to re-sync:
//   - every heading below the title (##, ###, ####) of README.md has a Japanese counterpart of the same level, in the
//     same order, marked by the English heading's anchor in a comment on the line after it: `<!-- en: #use-it -->`;
//   - every fenced code block of README.md is in README.ja.md, byte for byte, in the same order (code, comments in
//     it and command lines stay as they are);
//   - the rules table has the same rows with the same KMS exception names (the refusal column);
//   - README.ja.md's links lead somewhere: `#anchors` to its own headings, relative paths to files of the repository;
//   - README.md and pkg/README.md point Japanese readers to README.ja.md, and README.ja.md points back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const EN_FILE = 'README.md';
const JA_FILE = 'README.ja.md';

/** GitHub's heading anchor: lower case, inline-code backticks and punctuation dropped (letters and digits of any
 *  script kept), each space a hyphen; a repeated anchor gets -1, -2, ... */
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

/** The headings (level ≥ 2) and fenced code blocks of a Markdown file, with their 1-based line numbers; each code
 *  block knows the heading it is under. */
function parseMarkdown(text) {
  const lines = text.split('\n');
  const headings = [];
  const codeBlocks = [];
  const slug = slugger();
  let fence = null; // { marker, info, start, body: [] } while inside a fenced block
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (line.trim() === fence.marker) {
        codeBlocks.push({ info: fence.info, code: fence.body.join('\n'), line: fence.start, section: headings.at(-1) });
        fence = null;
      } else {
        fence.body.push(line);
      }
      continue;
    }
    const open = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (open) {
      fence = { marker: open[1], info: open[2].trim(), start: i + 1, body: [] };
      continue;
    }
    const heading = /^(#{1,6}) +(.+?) *#*$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const anchor = slug(heading[2]);
      const marker = /^<!-- en: #(\S+) -->$/.exec((lines[i + 1] ?? '').trim());
      if (level >= 2) headings.push({ level, text: heading[2], anchor, en: marker?.[1], line: i + 1 });
    }
  }
  assert.equal(fence, null, `a code block opened at line ${fence?.start} is never closed`);
  return { headings, codeBlocks };
}

const en = parseMarkdown(read(EN_FILE));
const ja = parseMarkdown(read(JA_FILE));
const where = (file, h) => `${file}:${h.line} \`${'#'.repeat(h.level)} ${h.text}\``;

describe('README.ja.md keeps README.md\'s sections', () => {
  it('every Japanese heading below the title names its English counterpart in a <!-- en: #anchor --> comment', () => {
    const unmarked = ja.headings.filter((h) => !h.en).map((h) => `${where(JA_FILE, h)}: add \`<!-- en: #... -->\` on the next line`);
    if (unmarked.length) assert.fail(unmarked.join('\n'));
  });

  it('every heading of README.md has its counterpart, at the same level, in the same order', () => {
    const problems = [];
    const jaByAnchor = new Map(ja.headings.map((h) => [h.en, h]));
    const enAnchors = new Set(en.headings.map((h) => h.anchor));
    for (const h of en.headings) {
      const counterpart = jaByAnchor.get(h.anchor);
      if (!counterpart) {
        problems.push(`missing: ${where(EN_FILE, h)} has no heading in ${JA_FILE} marked <!-- en: #${h.anchor} -->`);
      } else if (counterpart.level !== h.level) {
        problems.push(`level: ${where(EN_FILE, h)} is level ${h.level}, ${where(JA_FILE, counterpart)} is level ${counterpart.level}`);
      }
    }
    for (const h of ja.headings) {
      if (h.en && !enAnchors.has(h.en)) problems.push(`stale: ${where(JA_FILE, h)} is marked #${h.en}, which is no heading of ${EN_FILE} (renamed or removed?)`);
    }
    if (problems.length === 0) {
      const enOrder = en.headings.map((h) => h.anchor);
      const jaOrder = ja.headings.map((h) => h.en);
      const at = enOrder.findIndex((anchor, i) => anchor !== jaOrder[i]);
      if (at !== -1) problems.push(`order: heading ${at + 1} of ${EN_FILE} is #${enOrder[at]} (${where(EN_FILE, en.headings[at])}), of ${JA_FILE} #${jaOrder[at]} (${where(JA_FILE, ja.headings[at])})`);
    }
    if (problems.length) assert.fail(`${JA_FILE} is out of step with ${EN_FILE}:\n${problems.join('\n')}`);
  });
});

describe('README.ja.md has README.md\'s code blocks, byte for byte', () => {
  const key = (block) => `${block.info}\n${block.code}`;
  const describeBlock = (file, block) => {
    const firstLine = block.code.split('\n').find((l) => l.trim()) ?? '';
    const section = block.section ? ` under \`${block.section.text}\`` : '';
    return `${file}:${block.line}${section} (\`\`\`${block.info}, starts \`${firstLine.trim().slice(0, 70)}\`)`;
  };

  /** The first line where two code blocks differ, both versions. */
  function firstDifference(enBlock, jaBlock) {
    const [a, b] = [`${enBlock.info}\n${enBlock.code}`.split('\n'), `${jaBlock.info}\n${jaBlock.code}`.split('\n')];
    const i = a.findIndex((line, n) => line !== b[n]);
    const at = i === -1 ? a.length : i;
    return `line ${at} of the block: ${EN_FILE} \`${a[at] ?? '(end)'}\`, ${JA_FILE} \`${b[at] ?? '(end)'}\``;
  }

  it('every code block of README.md is in README.ja.md, and README.ja.md has no other', () => {
    const jaKeys = new Set(ja.codeBlocks.map(key));
    const enKeys = new Set(en.codeBlocks.map(key));
    const extra = ja.codeBlocks.filter((b) => !enKeys.has(key(b)));
    const problems = [];
    for (const block of en.codeBlocks.filter((b) => !jaKeys.has(key(b)))) {
      // A block changed in README.md is still under the counterpart of its section in README.ja.md: say what changed.
      const stale = extra.find((b) => b.section?.en === block.section?.anchor && b.info === block.info);
      if (stale) {
        extra.splice(extra.indexOf(stale), 1);
        problems.push(`different: ${describeBlock(EN_FILE, block)} and ${JA_FILE}:${stale.line} differ at ${firstDifference(block, stale)}`);
      } else {
        problems.push(`missing: ${describeBlock(EN_FILE, block)}`);
      }
    }
    for (const block of extra) problems.push(`not in ${EN_FILE}: ${describeBlock(JA_FILE, block)}`);
    if (problems.length) assert.fail(`copy these blocks from ${EN_FILE} unchanged:\n${problems.join('\n')}`);
  });

  it('the code blocks come in the same order', () => {
    const at = en.codeBlocks.findIndex((b, i) => key(b) !== (ja.codeBlocks[i] && key(ja.codeBlocks[i])));
    const message = at === -1 ? '' : `code block ${at + 1}: ${describeBlock(EN_FILE, en.codeBlocks[at])}, but ${ja.codeBlocks[at] ? describeBlock(JA_FILE, ja.codeBlocks[at]) : 'none'}`;
    assert.equal(at, -1, message);
    assert.equal(ja.codeBlocks.length, en.codeBlocks.length);
  });
});

describe('README.ja.md\'s rules table', () => {
  /** The last cell of each body row of the first table under the heading with this anchor (en) or marker (ja). */
  function refusalColumn(file, text, headings, anchorOf) {
    const heading = headings.find((h) => anchorOf(h) === 'the-rules-it-enforces');
    assert.ok(heading, `${file} has no rules section (#the-rules-it-enforces)`);
    const rows = [];
    const lines = text.split('\n');
    for (let i = heading.line; i < lines.length && !/^#/.test(lines[i]); i++) {
      if (!lines[i].startsWith('|')) {
        if (rows.length) break;
        continue;
      }
      rows.push({ line: i + 1, cells: lines[i].split('|').slice(1, -1).map((c) => c.trim()) });
    }
    return rows.slice(2).map((row) => ({ line: row.line, refusal: row.cells.at(-1) }));
  }

  it('has the same rows with the same KMS exception names', () => {
    const enRows = refusalColumn(EN_FILE, read(EN_FILE), en.headings, (h) => h.anchor);
    const jaRows = refusalColumn(JA_FILE, read(JA_FILE), ja.headings, (h) => h.en);
    assert.ok(enRows.length > 10, `${EN_FILE}'s rules table has ${enRows.length} rows`);
    const problems = [];
    for (let i = 0; i < Math.max(enRows.length, jaRows.length); i++) {
      const [e, j] = [enRows[i], jaRows[i]];
      if (!e) problems.push(`${JA_FILE}:${j.line}: row ${i + 1} (${j.refusal}) is not in ${EN_FILE}`);
      else if (!j) problems.push(`${EN_FILE}:${e.line}: row ${i + 1} (${e.refusal}) is missing from ${JA_FILE}`);
      else if (e.refusal !== j.refusal) problems.push(`row ${i + 1}: ${EN_FILE}:${e.line} says ${e.refusal}, ${JA_FILE}:${j.line} says ${j.refusal}`);
    }
    if (problems.length) assert.fail(problems.join('\n'));
  });
});

describe('README.ja.md\'s links', () => {
  const links = [...read(JA_FILE).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((target) => !/^[a-z]+:/i.test(target));

  it('every #anchor is a heading of README.ja.md', () => {
    const anchors = new Set(ja.headings.map((h) => h.anchor));
    const broken = links.filter((t) => t.startsWith('#') && !anchors.has(t.slice(1)));
    assert.deepEqual(broken, [], `anchors of ${JA_FILE}: ${[...anchors].join(', ')}`);
  });

  it('every relative path is a file of the repository', () => {
    const broken = links.filter((t) => !t.startsWith('#')).filter((t) => !existsSync(path.join(ROOT, t.split('#')[0])));
    assert.deepEqual(broken, []);
  });

  it('README.md and pkg/README.md point to README.ja.md, and README.ja.md back to README.md', () => {
    const firstLines = (file) => read(file).split('\n').slice(0, 5).join('\n');
    assert.match(firstLines(EN_FILE), /日本語.*\(README\.ja\.md\)/);
    assert.match(firstLines('pkg/README.md'), /日本語.*README\.ja\.md/);
    assert.match(firstLines(JA_FILE), /English.*\(README\.md\)/);
  });
});
