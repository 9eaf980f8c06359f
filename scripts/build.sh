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
# pkg/package.json and pkg/README.md are committed; everything in pkg/dist is generated here.
# Env: KMS_OFFLINE_WASM=<file.wasm> skips cargo and packages that file instead (for debugging the packaging).
set -euo pipefail
KMS_SCRIPT=build
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
T_START="$(kms_now)"

TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$REPO_ROOT/$TARGET_DIR" ;; esac

if [ -n "${KMS_OFFLINE_WASM:-}" ]; then
  WASM="$KMS_OFFLINE_WASM"
  kms_log "using prebuilt $WASM (KMS_OFFLINE_WASM set; cargo skipped)"
else
  kms_step "cargo build --release --target wasm32-unknown-unknown --lib" \
    cargo build --release --target wasm32-unknown-unknown --lib
  WASM="$TARGET_DIR/wasm32-unknown-unknown/release/kms_offline.wasm"
fi
[ -f "$WASM" ] || { kms_log "ERROR: $WASM not found"; exit 1; }

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

GEN="$TARGET_DIR/kms-offline-bindgen"
rm -rf "$GEN"
gen_targets() {
  # No name section: ~180 KB of function names that only a panic backtrace would use, and nothing panics.
  wasm-bindgen --target nodejs --remove-name-section --out-dir "$GEN/nodejs" "$WASM"
  # The web entry passes its own URL to init (appended below), so the glue's default path is omitted:
  # that leaves exactly one `new URL('./kms_offline_bg.wasm', import.meta.url)` for bundlers to pick up.
  wasm-bindgen --target web --remove-name-section --omit-default-module-path --out-dir "$GEN/web" "$WASM"
  wasm-bindgen --target deno --remove-name-section --out-dir "$GEN/deno" "$WASM"
}
kms_step "wasm-bindgen $CLI_VERSION (nodejs, web, deno)" gen_targets

for t in web deno; do
  if ! cmp -s "$GEN/nodejs/kms_offline_bg.wasm" "$GEN/$t/kms_offline_bg.wasm"; then
    kms_log "ERROR: $t and nodejs targets produced different .wasm files; one shared .wasm is not possible"
    exit 1
  fi
done

# Receiver checks in every class method (freed objects, objects of another class): see the script.
kms_step "harden the glue (receiver checks)" node scripts/harden-glue.mjs "$GEN/nodejs/kms_offline.js" "$GEN/web/kms_offline.js" "$GEN/deno/kms_offline.js"

# fail loudly if generated code does not look the way this script expects (e.g. after a wasm-bindgen bump)
expect() { grep -qF -- "$2" "$1" || { kms_log "ERROR: expected text not found in $1: $2"; exit 1; }; }
HDR='/* @ts-self-types="./kms_offline.d.ts" */'
for t in nodejs web deno; do expect "$GEN/$t/kms_offline.js" "$HDR"; done
expect "$GEN/nodejs/kms_offline.js" '`${__dirname}/kms_offline_bg.wasm`'
expect "$GEN/deno/kms_offline.js" "new URL('kms_offline_bg.wasm', import.meta.url)"
WEB_EXPORT_LINE='export { initSync, __wbg_init as default };'
expect "$GEN/web/kms_offline.js" "$WEB_EXPORT_LINE"
expect "$GEN/web/kms_offline.d.ts" 'export type InitInput ='

STAGE="$TARGET_DIR/kms-offline-dist.tmp"
rm -rf "$STAGE"; mkdir -p "$STAGE"
assemble() {
  cp "$GEN/nodejs/kms_offline_bg.wasm" "$STAGE/kms_offline_bg.wasm"

  # Node, CommonJS: the nodejs glue as is (it reads ${__dirname}/kms_offline_bg.wasm synchronously).
  sed '1s|.*|/* @ts-self-types="./node.d.cts" */|' "$GEN/nodejs/kms_offline.js" > "$STAGE/node.cjs"
  cp "$GEN/nodejs/kms_offline.d.ts" "$STAGE/node.d.cts"

  # Node, ESM: re-export the CommonJS module (one wasm instance whether the app uses import or require).
  printf '/* @ts-self-types="./node.d.mts" */\nexport * from "./node.cjs";\n' > "$STAGE/node.mjs"
  printf 'export * from "./node.cjs";\n' > "$STAGE/node.d.mts"

  # Browsers and bundlers: the web glue, initialising itself. The init function and initSync are not
  # exported, so every entry exposes the same API and nobody has to call init.
  {
    sed -e '1s|.*|/* @ts-self-types="./web.d.ts" */|' -e "\\|^${WEB_EXPORT_LINE//\*/\\*}\$|d" "$GEN/web/kms_offline.js"
    printf '\n// kms-offline: initialise on import (a bundler sees this URL and ships the .wasm as an asset).\n'
    printf "await __wbg_init({ module_or_path: new URL('./kms_offline_bg.wasm', import.meta.url) });\n"
  } > "$STAGE/web.js"
  sed '/^export type InitInput =/,$d' "$GEN/web/kms_offline.d.ts" > "$STAGE/web.d.ts"

  # Deno: the deno glue (top-level await of fetch(new URL(..., import.meta.url))).
  sed '1s|.*|/* @ts-self-types="./deno.d.ts" */|' "$GEN/deno/kms_offline.js" > "$STAGE/deno.js"
  cp "$GEN/deno/kms_offline.d.ts" "$STAGE/deno.d.ts"
}
kms_step "assemble pkg/dist" assemble

if grep -q '__wbg_init as default\|export function initSync\|export default' "$STAGE/web.js" "$STAGE/web.d.ts"; then
  kms_log "ERROR: web entry still exports the init functions"; exit 1
fi

# KMS_OFFLINE_DIST puts the package elsewhere (a benchmark of build variants must not replace pkg/dist).
DIST="${KMS_OFFLINE_DIST:-$REPO_ROOT/pkg/dist}"
rm -rf "$DIST"
mkdir -p "$(dirname "$DIST")"
mv "$STAGE" "$DIST"
# The licences ship in the package; the root copies are the source of truth.
cp "$REPO_ROOT/LICENSE-MIT" "$REPO_ROOT/LICENSE-APACHE" "$REPO_ROOT/pkg/"

# Smoke check: every entry exports the same names; require and import work in Node.
smoke() {
  node --input-type=module -e '
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    const dist = process.argv[1];
    const require = createRequire(import.meta.url);
    const cjs = Object.keys(require(dist + "/node.cjs")).sort();
    const esm = Object.keys(await import(dist + "/node.mjs")).sort();
    const names = (f) => [...readFileSync(dist + "/" + f, "utf8").matchAll(/^export (?:class|function|const|let) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]).sort();
    const web = names("web.js"), deno = names("deno.js");
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    if (!cjs.length || !same(cjs, esm) || !same(cjs, web) || !same(cjs, deno)) {
      console.error("export lists differ:", { cjs, esm, web, deno });
      process.exit(1);
    }
    console.log("exports:", cjs.join(", "));
  ' "$DIST"
}
kms_step "smoke check (require, import, export lists)" smoke

RAW=$(wc -c < "$DIST/kms_offline_bg.wasm")
GZ=$(gzip -9 -c "$DIST/kms_offline_bg.wasm" | wc -c)
kms_log "$DIST:"
(cd "$DIST" && ls -l | tail -n +2 | awk '{printf "  %9d  %s\n", $5, $9}')
kms_log "kms_offline_bg.wasm: $RAW bytes raw ($(awk -v b="$RAW" 'BEGIN{printf "%.1f", b/1024}') KiB), $GZ bytes gzip -9 ($(awk -v b="$GZ" 'BEGIN{printf "%.1f", b/1024}') KiB)"
kms_log "build complete in $(kms_elapsed "$T_START") s"
