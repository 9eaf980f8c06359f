#!/usr/bin/env bash
# Supply-chain checks (not part of scripts/test.sh; run before a release or after a dependency change):
#   1. Rust: Cargo.lock is complete and current (cargo metadata --locked), every crates.io package in it has a
#      checksum, and every dependency in Cargo.toml is pinned with `=`.
#   2. cargo deny check licenses bans sources (deny.toml): allowed licences only, duplicate versions listed as
#      warnings, crates.io as the only source. `advisories` needs the RustSec database from GitHub: it runs
#      only with KMS_ADVISORIES=1 (network) or when a local copy exists (run without fetching).
#   3. npm: package-lock.json pins every package with a version and a sha512 integrity hash, the root
#      devDependencies are exact versions, and the published package (pkg/package.json) has no runtime
#      dependencies of any kind, no install scripts, and ships only the files it should (npm pack --dry-run).
# Needs: cargo, node, npm; cargo-deny 0.20 (`cargo install cargo-deny --locked`). Exit status 0 = all passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
FAILED=0
say() { printf '[supply-chain] %s\n' "$*"; }
fail() { say "FAIL: $*"; FAILED=1; }

# ---- 1. Cargo.lock and exact pins ----------------------------------------------------------------------------
if cargo metadata --format-version 1 --locked >/dev/null 2>/tmp/kms-supply-chain-metadata.err; then
  say "Cargo.lock is complete and up to date (cargo metadata --locked)"
else
  fail "Cargo.lock is missing or out of date: $(head -3 /tmp/kms-supply-chain-metadata.err)"
fi
node - <<'EOF' || FAILED=1
const fs = require('fs');
const lock = fs.readFileSync('Cargo.lock', 'utf8');
const packages = lock.split('[[package]]').slice(1);
const registry = packages.filter((p) => /source = "registry\+/.test(p));
const noChecksum = registry.filter((p) => !/checksum = "[0-9a-f]{64}"/.test(p)).map((p) => /name = "([^"]+)"/.exec(p)[1]);
const other = packages.filter((p) => /source = "/.test(p) && !/source = "registry\+https:\/\/github.com\/rust-lang\/crates.io-index"/.test(p));
console.log(`[supply-chain] Cargo.lock: ${packages.length} packages, ${registry.length} from crates.io, all with a sha256 checksum: ${noChecksum.length === 0}`);
// packages built from this repository: our crates and the patched releases of patches/ (patches/README.md)
const local = packages.filter((p) => !/source = "/.test(p)).map((p) => /name = "([^"]+)"/.exec(p)[1]);
const ours = new Set(['kms-offline', 'kms-offline-lattice']);
console.log(`[supply-chain] from this repository: ${local.filter((n) => ours.has(n)).join(', ')}; patched releases (patches/): ${local.filter((n) => !ours.has(n)).join(', ') || 'none'}`);
let bad = 0;
if (noChecksum.length) { console.log(`[supply-chain] FAIL: no checksum for ${noChecksum.join(', ')}`); bad = 1; }
if (other.length) { console.log(`[supply-chain] FAIL: packages from other sources: ${other.map((p) => /name = "([^"]+)"/.exec(p)[1]).join(', ')}`); bad = 1; }
// every dependency line of Cargo.toml: `name = "=x.y.z"` or `name = { version = "=x.y.z", ... }`
const toml = fs.readFileSync('Cargo.toml', 'utf8');
let section = '';
const loose = [];
for (const line of toml.split('\n')) {
  const s = /^\s*\[([^\]]+)\]/.exec(line);
  if (s) { section = s[1]; continue; }
  if (!/dependencies/.test(section)) continue;
  const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
  if (!m) continue;
  const version = /^"([^"]*)"/.exec(m[2])?.[1] ?? /version\s*=\s*"([^"]*)"/.exec(m[2])?.[1];
  if (version === undefined && /path\s*=/.test(m[2])) continue;
  if (!version || !version.startsWith('=')) loose.push(`${m[1]} (${version ?? 'no version'}) in [${section}]`);
}
if (loose.length) { console.log(`[supply-chain] FAIL: not pinned with '=': ${loose.join('; ')}`); bad = 1; }
else console.log('[supply-chain] Cargo.toml: every dependency pinned exactly (=x.y.z)');
process.exit(bad);
EOF

# ---- 2. cargo deny -------------------------------------------------------------------------------------------
if command -v cargo-deny >/dev/null 2>&1; then
  say "$(cargo deny --version)"
  if cargo deny --log-level warn check licenses bans sources 2>&1 | grep -v '^\s*[│├└]' ; then :; fi
  if cargo deny --log-level error check licenses bans sources >/dev/null 2>&1; then
    say "cargo deny check licenses bans sources: ok"
  else
    fail "cargo deny check licenses bans sources (run it for details)"
  fi
  say "licences in the dependency graph (deny.toml [graph] targets):"
  cargo deny list -l license 2>/dev/null | sed -E 's/^([^(]+\([0-9]+\)):.*/  \1/'
  ADVISORY_DB="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
  if [ "${KMS_ADVISORIES:-0}" = 1 ]; then
    cargo deny check advisories || fail "cargo deny check advisories"
  elif [ -d "$ADVISORY_DB" ] && [ -n "$(ls -A "$ADVISORY_DB" 2>/dev/null)" ]; then
    cargo deny check --disable-fetch advisories || fail "cargo deny check advisories (local database, not refreshed)"
  else
    say "advisories: skipped (the RustSec database is fetched from GitHub; set KMS_ADVISORIES=1 where it is reachable)"
  fi
else
  fail "cargo-deny is not installed: cargo install cargo-deny --locked"
fi

# ---- 3. npm ------------------------------------------------------------------------------------------------------
node - <<'EOF' || FAILED=1
const fs = require('fs');
let bad = 0;
const no = (msg) => { console.log(`[supply-chain] FAIL: ${msg}`); bad = 1; };
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const root = JSON.parse(fs.readFileSync('package.json', 'utf8'));
if (!(lock.lockfileVersion >= 2)) no(`package-lock.json lockfileVersion ${lock.lockfileVersion}: need 2 or 3 (packages with integrity)`);
const entries = Object.entries(lock.packages ?? {}).filter(([p]) => p !== '');
let pinned = 0;
for (const [p, v] of entries) {
  if (v.link) { if (!/^[^./]/.test(v.resolved ?? '') || v.resolved.includes('..')) no(`${p} links outside the repository: ${v.resolved}`); continue; }
  if (!p.startsWith('node_modules/')) continue; // the target of a local link (pkg/)
  if (!v.version) no(`${p}: no version`);
  else if (!/^sha512-[A-Za-z0-9+/]+={0,2}$/.test(v.integrity ?? '')) no(`${p}@${v.version}: no sha512 integrity`);
  else if (v.resolved && !v.resolved.startsWith('https://registry.npmjs.org/')) no(`${p}: resolved from ${v.resolved}`);
  else pinned++;
}
console.log(`[supply-chain] package-lock.json: ${pinned} packages pinned (version + sha512 integrity), ${entries.filter(([, v]) => v.link).length} local link(s)`);
const dev = root.devDependencies ?? {};
const ranged = Object.entries(dev).filter(([, v]) => !/^(\d+\.\d+\.\d+(-[\w.]+)?|file:.+)$/.test(v));
if (ranged.length) no(`devDependencies with ranges: ${ranged.map(([n, v]) => `${n}@${v}`).join(', ')}`);
else console.log(`[supply-chain] package.json: ${Object.keys(dev).length} devDependencies, all exact versions`);
const lockRoot = lock.packages[''] ?? {};
if (JSON.stringify(lockRoot.devDependencies ?? {}) !== JSON.stringify(dev)) no('package-lock.json root devDependencies differ from package.json (run npm install)');
if (Object.keys(root.dependencies ?? {}).length) no(`the development package.json has runtime dependencies: ${Object.keys(root.dependencies).join(', ')}`);

const pkg = JSON.parse(fs.readFileSync('pkg/package.json', 'utf8'));
for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
  const v = pkg[field];
  if (v && (Array.isArray(v) ? v.length : Object.keys(v).length)) no(`pkg/package.json has ${field}: ${JSON.stringify(v)}`);
}
const hooks = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'].filter((s) => pkg.scripts?.[s]);
if (hooks.length) no(`pkg/package.json has install-time scripts: ${hooks.join(', ')}`);
if (!bad) console.log(`[supply-chain] pkg/package.json (${pkg.name}@${pkg.version}): no runtime dependencies, no install scripts`);
process.exit(bad);
EOF
if [ -f pkg/dist/kms_offline_bg.wasm ]; then
  PACK_JSON="$(cd pkg && npm pack --dry-run --json --ignore-scripts 2>/dev/null)"
  node -e '
    const [p] = JSON.parse(process.argv[1]);
    const allowed = /^(package\.json|README\.md|LICENSE-(MIT|APACHE)|bin\/kms-offline\.mjs|bin\/README\.md|samples\/[A-Z0-9_]+(\.[a-z0-9]+)+|dist\/(node\.(cjs|mjs|d\.cts|d\.mts)|web\.(js|d\.ts)|deno\.(js|d\.ts)|kms_offline_bg\.wasm))$/;
    const extra = p.files.map((f) => f.path).filter((f) => !allowed.test(f));
    console.log(`[supply-chain] npm pack: ${p.files.length} files, ${p.size} bytes packed, ${p.unpackedSize} unpacked`);
    if (extra.length) { console.log(`[supply-chain] FAIL: unexpected files in the package: ${extra.join(", ")}`); process.exit(1); }
  ' "$PACK_JSON" || FAILED=1
else
  say "npm pack: skipped (pkg/dist not built; bash scripts/build.sh)"
fi

if [ "$FAILED" -ne 0 ]; then say "FAILED"; exit 1; fi
say "all supply-chain checks passed"
