// Every example of every `kms-offline --help` page runs as printed after `npm i kms-offline`: pkg/ is packed
// (`npm pack`), the tarball is installed with `npm install <tgz>` into a scratch project, and each example is run
// by bash in that project's folder, exactly as the help prints it (`npx kms-offline ...`, quoting and line
// continuations included), using the sample keys the package ships in node_modules/kms-offline/samples.
//
// The rule for what is skipped: an example whose comment says "needs your own" (it needs the user's own KMS key,
// their files or the AWS CLI) is not run; every other example must run and exit with the code its `# exit N`
// comment gives, or 0 when it gives none.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMMANDS = ['inspect', 'verify', 'encrypt', 'derive', 'encapsulate', 'encrypt-file'];
const SKIP_MARK = 'needs your own';
// npx finds the installed bin without the network; the flags keep npm from trying anyway.
const ENV = { ...process.env, NO_COLOR: '1', npm_config_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

let project;

/**
 * The examples of one help page: the indented lines after `Examples:` / `Example:`. A `#` line is a comment on
 * the example after it; an example line ending in `\` continues on the next line.
 */
export function examplesOf(helpText) {
  const lines = helpText.slice(helpText.search(/^Examples?:$/m)).split('\n').slice(1);
  const examples = [];
  let comments = [];
  for (let i = 0; i < lines.length && lines[i].startsWith('  '); i++) {
    const line = lines[i].trim();
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    const command = [lines[i]];
    while (command.at(-1).trimEnd().endsWith('\\') && i + 1 < lines.length) command.push(lines[++i]);
    const text = command.join('\n').trim();
    const exit = /# exit (\d+)/.exec(text);
    examples.push({ text, comments, skip: [...comments, text].some((c) => c.includes(SKIP_MARK)), exit: exit ? Number(exit[1]) : 0 });
    comments = [];
  }
  return examples;
}

describe('every --help example runs as printed after npm install', () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'dist', 'node.mjs')), 'pkg/dist is not built: bash scripts/build.sh');
    assert.ok(fs.existsSync(path.join(REPO, 'pkg', 'samples')), 'pkg/samples is missing: bash scripts/build.sh copies it');
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-offline-examples-'));
    const packed = JSON.parse(
      execFileSync('npm', ['pack', path.join(REPO, 'pkg'), '--pack-destination', project, '--json', '--loglevel=error'], { cwd: REPO, encoding: 'utf8' }),
    )[0];
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    execFileSync('npm', ['install', '--offline', '--loglevel=error', `./${packed.filename}`], { cwd: project, env: ENV, encoding: 'utf8' });
  });
  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('the package ships the CLI doc and the samples the examples use', () => {
    const installed = path.join(project, 'node_modules', 'kms-offline');
    assert.ok(fs.existsSync(path.join(installed, 'bin', 'README.md')), 'bin/README.md is not in the package');
    for (const f of fs.readdirSync(path.join(REPO, 'www', 'samples')).filter((f) => f !== 'index.json')) {
      assert.deepEqual(fs.readFileSync(path.join(installed, 'samples', f)), fs.readFileSync(path.join(REPO, 'www', 'samples', f)), `samples/${f}`);
    }
  });

  it('runs each example of kms-offline --help and of each command\'s --help, and gets its documented exit code', (t) => {
    const bin = path.join(project, 'node_modules', '.bin', 'kms-offline');
    const pages = [['--help'], ...COMMANDS.map((c) => [c, '--help'])];
    const all = [];
    for (const args of pages) {
      const help = spawnSync(bin, args, { cwd: project, env: ENV, encoding: 'utf8' });
      assert.equal(help.status, 0, help.stderr);
      const examples = examplesOf(help.stdout);
      assert.ok(examples.some((e) => !e.skip), `kms-offline ${args.join(' ')}: no example that runs`);
      all.push(...examples.map((e) => ({ ...e, page: args.join(' ') })));
    }
    const run = all.filter((e) => !e.skip);
    const skipped = all.filter((e) => e.skip);
    t.diagnostic(`${run.length} examples run, ${skipped.length} skipped (${SKIP_MARK}): ${skipped.map((e) => e.text.split('\n')[0]).join(' | ')}`);
    assert.ok(run.length >= 9, `only ${run.length} runnable examples`);
    for (const e of run) {
      assert.match(e.text, /^npx kms-offline /, `${e.page}: an example that runs is an npx kms-offline command`);
      const r = spawnSync('bash', ['-c', e.text], { cwd: project, env: ENV, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, e.exit, `kms-offline ${e.page}, example:\n${e.text}\nexit ${r.status}, expected ${e.exit}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /UsageError|kms-offline \w+: /, `${e.text}: a usage error`);
    }
    // Skipped: only the examples that need the user's own key or files, or the AWS CLI (they name no sample).
    for (const e of skipped) assert.doesNotMatch(e.text, /node_modules\/kms-offline\/samples/, `${e.text} uses only samples: it must run`);
    assert.ok(skipped.length <= 2, `skipped: ${skipped.map((e) => e.text).join('\n')}`);
  });
});
