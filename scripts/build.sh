#!/usr/bin/env bash
# Builds the npm package in pkg/dist from the Rust crate:
#   cargo build (release, wasm32-unknown-unknown, lib only) -> wasm-bindgen for the nodejs, web and deno targets
#   -> one shared .wasm and one JS entry per runtime:
#     dist/kms_offline_bg.wasm   the module (byte-identical for all three targets; checked)
#     dist/node.cjs  (+ node.d.cts)  --target nodejs glue: synchronous, require()
#     dist/node.mjs  (+ node.d.mts)  `export * from './node.cjs'` (ESM import in Node; same instance as require)
#     dist/web.js    (+ web.d.ts)    --target web glue that initialises itself with a top-level await of
#                                    new URL('./kms_offline_bg.wasm', import.meta.url) (browsers, Vite and other bundlers)
#     dist/deno.js   (+ deno.d.ts)   --target deno glue (self-initialising)
#     dist/workerd.js (types: web.d.ts) the web glue for Cloudflare Workers (the `workerd` condition):
#                                    imports the .wasm as a module (`import m from './kms_offline_bg.wasm'`, a
#                                    WebAssembly.Module, the wrangler convention) and instantiates it synchronously;
#                                    no import.meta.url, no compiling from bytes, no Node APIs. Not under the
#                                    `worker` condition: webpack's webworker target sets it and cannot import that
#   dist/<name>/...                  the same files for each single-family entry `kms-offline/<name>`
#                                    (FAMILY_ENTRIES below: rsa, p256, ..., ml-kem, verify-p256): a build with
#                                    that family's Cargo features only (no Rust JSON parser), with the limb width
#                                    measured fastest for it (the main entry has 32: .cargo/config.toml)
# pkg/package.json and pkg/README.md are committed; everything in pkg/dist (and pkg/samples, copied) is generated here.
# Env: KMS_OFFLINE_WASM=<file.wasm> skips cargo and packages that file as the main entry instead (for debugging
# the packaging); the family entries are then not built.
set -euo pipefail
KMS_SCRIPT=build
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
T_START="$(kms_now)"

TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO_ROOT/$TARGET_DIR" ;; esac

# The CLI and the crate must agree exactly, or the generated glue does not match the module.
if ! command -v wasm-bindgen >/dev/null 2>&1; then
  kms_log "ERROR: wasm-bindgen CLI not found; run scripts/setup.sh first"; exit 1
fi
CLI_VERSION="$(wasm-bindgen --version | awk '{print $2}')"
CRATE_VERSION="$(kms_wasm_bindgen_version)"
if [ "$CLI_VERSION" != "$CRATE_VERSION" ]; then
  kms_log "ERROR: wasm-bindgen CLI is $CLI_VERSION but the crate uses wasm-bindgen $CRATE_VERSION; run scripts/setup.sh"
  exit 1
fi

# fail loudly if generated code does not look the way this script expects (e.g. after a wasm-bindgen bump)
expect() { grep -qF -- "$2" "$1" || { kms_log "ERROR: expected text not found in $1: $2"; exit 1; }; }
HDR='/* @ts-self-types="./kms_offline.d.ts" */'
WEB_EXPORT_LINE='export { initSync, __wbg_init as default };'

# build_wasm <name> <limbs> [cargo feature args...]: builds the crate for wasm with those features into
# $WASM_DIR/<name>.wasm (a copy per entry: cargo writes every feature set to the same file name).
# <limbs> is the limb width of the bignum and curve crates (`--cfg cpubits`, bench/NOTES.md §11): 32 is what
# .cargo/config.toml sets for wasm32; 64 is given in RUSTFLAGS and built in a target directory of its own
# (cargo would otherwise rebuild every crate each time the flags change between entries). A RUSTFLAGS from
# the caller is kept (it replaces the config's flags, so the entry's cpubits is added to it); one that names a
# cpubits itself (bench/variants.sh -cpu64) decides for every entry.
WASM_DIR="$TARGET_DIR/kms-offline-wasm"
build_wasm() {
  local name="$1" limbs="$2"; shift 2
  local dir="$TARGET_DIR" env=()
  if [[ "${RUSTFLAGS-}" == *cpubits* ]]; then
    :
  elif [ "$limbs" = 64 ]; then
    dir="$TARGET_DIR/limbs64"
    env=(RUSTFLAGS="${RUSTFLAGS-} --cfg cpubits=\"64\"")
  elif [ -n "${RUSTFLAGS+set}" ]; then
    env=(RUSTFLAGS="$RUSTFLAGS --cfg cpubits=\"32\"")
  fi
  kms_step "cargo build --release --target wasm32-unknown-unknown --lib $* ($limbs-bit limbs)" \
    env ${env[@]+"${env[@]}"} CARGO_TARGET_DIR="$dir" cargo build --release --target wasm32-unknown-unknown --lib "$@"
  mkdir -p "$WASM_DIR"
  cp "$dir/wasm32-unknown-unknown/release/kms_offline.wasm" "$WASM_DIR/$name.wasm"
}

# package_entry <wasm> <stage dir>: wasm-bindgen for the nodejs, web and deno targets, hardened glue, and
# the entry files (one shared .wasm, node.cjs/.mjs, web.js, deno.js and their declarations) in <stage dir>.
package_entry() {
  local wasm="$1" stage="$2" gen
  gen="$stage.bindgen"
  rm -rf "$gen" "$stage"; mkdir -p "$stage"
  gen_targets() {
    # No name section: ~180 KB of function names that only a panic backtrace would use, and nothing panics.
    wasm-bindgen --target nodejs --out-name kms_offline --remove-name-section --out-dir "$gen/nodejs" "$wasm"
    # The web entry passes its own URL to init (appended below), so the glue's default path is omitted:
    # that leaves exactly one `new URL('./kms_offline_bg.wasm', import.meta.url)` for bundlers to pick up.
    wasm-bindgen --target web --out-name kms_offline --remove-name-section --omit-default-module-path --out-dir "$gen/web" "$wasm"
    wasm-bindgen --target deno --out-name kms_offline --remove-name-section --out-dir "$gen/deno" "$wasm"
  }
  kms_step "wasm-bindgen $CLI_VERSION (nodejs, web, deno) for $(basename "$wasm")" gen_targets

  for t in web deno; do
    if ! cmp -s "$gen/nodejs/kms_offline_bg.wasm" "$gen/$t/kms_offline_bg.wasm"; then
      kms_log "ERROR: $t and nodejs targets produced different .wasm files; one shared .wasm is not possible"
      exit 1
    fi
  done

  # Receiver checks in every class method (freed objects, objects of another class): see the script.
  kms_step "harden the glue (receiver checks)" node scripts/harden-glue.mjs "$gen/nodejs/kms_offline.js" "$gen/web/kms_offline.js" "$gen/deno/kms_offline.js"

  for t in nodejs web deno; do expect "$gen/$t/kms_offline.js" "$HDR"; done
  expect "$gen/nodejs/kms_offline.js" '`${__dirname}/kms_offline_bg.wasm`'
  expect "$gen/deno/kms_offline.js" "new URL('kms_offline_bg.wasm', import.meta.url)"
  expect "$gen/web/kms_offline.js" "$WEB_EXPORT_LINE"
  expect "$gen/web/kms_offline.d.ts" 'export type InitInput ='

  assemble() {
    cp "$gen/nodejs/kms_offline_bg.wasm" "$stage/kms_offline_bg.wasm"

    # Node, CommonJS: the nodejs glue as is (it reads ${__dirname}/kms_offline_bg.wasm synchronously).
    sed '1s|.*|/* @ts-self-types="./node.d.cts" */|' "$gen/nodejs/kms_offline.js" > "$stage/node.cjs"
    cp "$gen/nodejs/kms_offline.d.ts" "$stage/node.d.cts"

    # Node, ESM: re-export the CommonJS module (one wasm instance whether the app uses import or require).
    printf '/* @ts-self-types="./node.d.mts" */\nexport * from "./node.cjs";\n' > "$stage/node.mjs"
    printf 'export * from "./node.cjs";\n' > "$stage/node.d.mts"

    # Browsers and bundlers: the web glue, initialising itself. The init function and initSync are not
    # exported, so every entry exposes the same API and nobody has to call init.
    {
      sed -e '1s|.*|/* @ts-self-types="./web.d.ts" */|' -e "\\|^${WEB_EXPORT_LINE//\*/\\*}\$|d" "$gen/web/kms_offline.js"
      printf '\n// kms-offline: initialise on import (a bundler sees this URL and ships the .wasm as an asset).\n'
      printf "await __wbg_init({ module_or_path: new URL('./kms_offline_bg.wasm', import.meta.url) });\n"
    } > "$stage/web.js"
    sed '/^export type InitInput =/,$d' "$gen/web/kms_offline.d.ts" > "$stage/web.d.ts"

    # Cloudflare Workers: the same web glue, initialised from the .wasm imported as a module. workerd has no
    # import.meta.url and refuses to compile wasm from bytes, so neither web.js nor the Node entries load there.
    # Same API as web.js, so it shares web.d.ts.
    {
      sed -e '1s|.*|/* @ts-self-types="./web.d.ts" */|' \
          -e "1a import kmsOfflineWasmModule from './kms_offline_bg.wasm'; // a WebAssembly.Module in workerd/wrangler" \
          -e "\\|^${WEB_EXPORT_LINE//\*/\\*}\$|d" "$gen/web/kms_offline.js"
      printf '\n// kms-offline: instantiate synchronously from the imported module (no fetch, no compiling from bytes).\n'
      printf 'initSync({ module: kmsOfflineWasmModule });\n'
    } > "$stage/workerd.js"

    # Deno: the deno glue (top-level await of fetch(new URL(..., import.meta.url))).
    sed '1s|.*|/* @ts-self-types="./deno.d.ts" */|' "$gen/deno/kms_offline.js" > "$stage/deno.js"
    cp "$gen/deno/kms_offline.d.ts" "$stage/deno.d.ts"
  }
  kms_step "assemble $(basename "$stage")" assemble
  rm -rf "$gen"

  if grep -q '__wbg_init as default\|export function initSync\|export default' "$stage/web.js" "$stage/web.d.ts" "$stage/workerd.js"; then
    kms_log "ERROR: web or workerd entry still exports the init functions"; exit 1
  fi
  if grep -q 'import\.meta' "$stage/workerd.js"; then
    kms_log "ERROR: workerd entry uses import.meta (undefined in workerd)"; exit 1
  fi
}

# The single-family entries (`kms-offline/<name>`, pkg/package.json `exports`): name, limb width, Cargo features.
# Each has its family and every operation the family has (README.md "Which entry"); JWS/JWT, JWK and Ethereum
# (`interop`, which needs json + rsa + secp256k1 + sm2 + ml-dsa), X.509, the ESDK and the tables for people stay
# in the main entry. Limbs (bench/NOTES.md §11, §18): 64 for P-256 alone (1.24x faster there), 32 for the other
# curves and RSA (1.1x to 2.6x faster); Ed25519 (curve25519-dalek) and the lattice families do not use them, so
# they are built with 32, in the same target directory as the main entry (sharing its compiled dependencies).
# `webcrypto` gives the families whose algorithms a runtime's WebCrypto may have their `...Async` forms
# (verifyAsync for RSA, the NIST curves, Ed25519 and ML-DSA; encryptAsync; deriveSharedSecretAsync; encapsulateAsync).
# verify-p256 is P-256 verify alone (no ECDH, KDFs or WebCrypto): the smallest P-256 build.
FAMILY_ENTRIES=(
  "verify-p256 64 p256"
  "p256 64 p256,ecdh,webcrypto"
  "rsa 32 rsa,encrypt,webcrypto"
  "p384 32 p384,ecdh,webcrypto"
  "p521 32 p521,ecdh,webcrypto"
  "secp256k1 32 secp256k1"
  "sm2 32 sm2,encrypt,ecdh"
  "ed25519 32 ed25519,webcrypto"
  "ml-dsa 32 ml-dsa,webcrypto"
  "ml-kem 32 ml-kem,webcrypto"
)

STAGE="$TARGET_DIR/kms-offline-dist.tmp"
rm -rf "$STAGE"
if [ -n "${KMS_OFFLINE_WASM:-}" ]; then
  MAIN_WASM="$KMS_OFFLINE_WASM"
  kms_log "using prebuilt $MAIN_WASM (KMS_OFFLINE_WASM set; cargo and the family entries skipped)"
  [ -f "$MAIN_WASM" ] || { kms_log "ERROR: $MAIN_WASM not found"; exit 1; }
  package_entry "$MAIN_WASM" "$STAGE"
else
  # The main entry: every family and operation (the default features).
  build_wasm full 32
  package_entry "$WASM_DIR/full.wasm" "$STAGE"
  # Single-family entries: `kms-offline/<name>` in package.json, built from exactly these features.
  for entry in "${FAMILY_ENTRIES[@]}"; do
    read -r name limbs features <<< "$entry"
    build_wasm "$name" "$limbs" --no-default-features --features "$features"
    package_entry "$WASM_DIR/$name.wasm" "$STAGE/$name"
  done
fi

# KMS_OFFLINE_DIST puts the package elsewhere (a benchmark of build variants must not replace pkg/dist).
DIST="${KMS_OFFLINE_DIST:-$REPO_ROOT/pkg/dist}"
rm -rf "$DIST"
mkdir -p "$(dirname "$DIST")"
mv "$STAGE" "$DIST"
# The licences ship in the package; the root copies are the source of truth.
cp "$REPO_ROOT/LICENSE-MIT" "$REPO_ROOT/LICENSE-APACHE" "$REPO_ROOT/pkg/"
# The SAMPLE keys ship too (pkg/samples): the CLI's --help examples use them from node_modules/kms-offline/samples.
# www/samples is the source of truth; its index.json is for the page only.
rm -rf "$REPO_ROOT/pkg/samples"
mkdir -p "$REPO_ROOT/pkg/samples"
find "$REPO_ROOT/www/samples" -maxdepth 1 -type f ! -name index.json -exec cp {} "$REPO_ROOT/pkg/samples/" \;
# `kms-offline/messages` for require(): a CommonJS twin of pkg/messages/index.js (the source) in dist/.
node "$REPO_ROOT/scripts/messages-cjs.mjs" "$REPO_ROOT/pkg/messages/index.js" "$DIST/messages.cjs"
cp "$REPO_ROOT/pkg/messages/index.d.ts" "$DIST/messages.d.cts"
node -e "const m = require(process.argv[1]); if (typeof m.errorMessage !== 'function' || !m.JA_RULES) process.exit(1)" "$DIST/messages.cjs"

# Smoke check: every runtime file of an entry exports the same names; require and import work in Node.
smoke() {
  node --input-type=module -e '
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    const dist = process.argv[1];
    const require = createRequire(import.meta.url);
    const cjs = Object.keys(require(dist + "/node.cjs")).sort();
    const esm = Object.keys(await import(dist + "/node.mjs")).sort();
    const names = (f) => [...readFileSync(dist + "/" + f, "utf8").matchAll(/^export (?:class|function|const|let) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]).sort();
    const web = names("web.js"), deno = names("deno.js"), workerd = names("workerd.js");
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    if (!cjs.length || !same(cjs, esm) || !same(cjs, web) || !same(cjs, deno) || !same(cjs, workerd)) {
      console.error("export lists differ:", { cjs, esm, web, deno, workerd });
      process.exit(1);
    }
    console.log("exports:", cjs.join(", "));
  ' "$1"
}

# size_report <entry dir>: the .wasm raw and gzip -9, and the browser entry (.wasm + web.js) gzip -9.
size_report() {
  local raw gz glue
  raw=$(wc -c < "$1/kms_offline_bg.wasm")
  gz=$(gzip -9 -c "$1/kms_offline_bg.wasm" | wc -c)
  glue=$(gzip -9 -c "$1/web.js" | wc -c)
  kms_log "$1: kms_offline_bg.wasm $raw bytes raw, $gz gzip -9; with web.js $((gz + glue)) bytes gzip -9 ($(awk -v b="$((gz + glue))" 'BEGIN{printf "%.1f", b/1024}') KiB)"
}

for entry in "$DIST" "${FAMILY_ENTRIES[@]%% *}"; do
  [ "$entry" = "$DIST" ] || entry="$DIST/$entry"
  [ -d "$entry" ] || continue
  kms_step "smoke check $(basename "$entry") (require, import, export lists)" smoke "$entry"
  size_report "$entry"
done
kms_log "build complete in $(kms_elapsed "$T_START") s"
