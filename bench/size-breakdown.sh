#!/usr/bin/env bash
# Builds the feature sets issue 21 has targets for into a target dir of its own (target/size; never target/ itself
# or pkg/dist) and prints, per build, markdown tables: raw and gzip -9 of the shipped .wasm (wasm-bindgen --target
# web --remove-name-section, as scripts/build.sh does) and of the web glue, and what holds the bytes (code per crate
# and per group: core::fmt, panics, alloc, the allocator, wasm-bindgen, data segments) from the same module with its
# name section kept (bench/size-breakdown.mjs, bench/wasm-sizes.mjs).
#
#   bash bench/size-breakdown.sh [build ...]        builds: full p256 rsa none (default: all four)
#     full  the main entry (default features, 32-bit limbs)
#     p256  --no-default-features --features p256, 64-bit limbs (= kms-offline/verify-p256)
#     rsa   --no-default-features --features rsa, 32-bit limbs
#     none  --no-default-features: the rules, metadata and binding, no key family
# Env: SIZE_RUSTFLAGS  extra rustc flags for every build (the limbs' --cfg is added)
#      SIZE_TARGET     target dir (default target/size; give experiments their own, flags change every crate)
#      SIZE_SRC        build this copy of the source tree instead (an experiment's patched snapshot)
#      SIZE_CARGO      e.g. "cargo +nightly"; SIZE_CARGO_ARGS e.g. "-Zbuild-std=std,panic_abort"
#      SIZE_WASM_OPT   e.g. "-Oz": also run npm binaryen's wasm-opt with these flags on the shipped .wasm and report it
#      SIZE_OUT        where the built modules and logs go (default <target dir>/out)
#      SIZE_JSON       append one JSON line per build to this file
#      CARGO_PROFILE_RELEASE_OPT_LEVEL etc. as cargo reads them
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
# shellcheck source=../scripts/env.sh
source "$REPO/scripts/env.sh"
cd "$REPO"
TARGET="${SIZE_TARGET:-$REPO/target/size}"
OUT="${SIZE_OUT:-$TARGET/out}"
# npm binaryen's wasm-opt (TOOLCHAIN.md: Debian's /usr/bin/wasm-opt corrupts wasm-bindgen output).
WASM_OPT="$REPO/node_modules/binaryen/bin/wasm-opt"
# What rustc 1.95 emits for wasm32-unknown-unknown by default (its target_features section), so wasm-opt accepts it.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-call-indirect-overlong)
BUILDS=("$@"); [ ${#BUILDS[@]} -gt 0 ] || BUILDS=(full p256 rsa none)

build() {
  local name="$1" limbs features=()
  case "$name" in
    full) limbs=32 ;;
    p256) limbs=64; features=(--no-default-features --features p256) ;;
    rsa) limbs=32; features=(--no-default-features --features rsa) ;;
    none) limbs=32; features=(--no-default-features) ;;
    *) echo "unknown build $name (full, p256, rsa, none)" >&2; return 1 ;;
  esac
  # One target dir per limb width: the flags differ, and cargo rebuilds every crate when they change.
  local dir="$TARGET/limbs$limbs" t0
  mkdir -p "$OUT/$name"
  t0=$(date +%s)
  # shellcheck disable=SC2086
  (cd "${SIZE_SRC:-$REPO}" && RUSTFLAGS="${SIZE_RUSTFLAGS-} --cfg cpubits=\"$limbs\"" CARGO_TARGET_DIR="$dir" \
    ${SIZE_CARGO:-cargo} build --quiet --release --target wasm32-unknown-unknown --lib ${SIZE_CARGO_ARGS-} ${features[@]+"${features[@]}"}) \
    2> "$OUT/$name/build.log" || { tail -20 "$OUT/$name/build.log" >&2; return 1; }
  cp "$dir/wasm32-unknown-unknown/release/kms_offline.wasm" "$OUT/$name/cargo.wasm"
  wasm-bindgen --target web --out-name kms_offline --remove-name-section --omit-default-module-path \
    --out-dir "$OUT/$name/web" "$OUT/$name/cargo.wasm"
  # The glue as build.sh ships it in web.js: hardened, the init call appended (its export line left in: a few bytes).
  node scripts/harden-glue.mjs "$OUT/$name/web/kms_offline.js" > /dev/null
  printf "\nawait __wbg_init({ module_or_path: new URL('./kms_offline_bg.wasm', import.meta.url) });\n" >> "$OUT/$name/web/kms_offline.js"
  # The same with the name section kept, for the breakdown: cargo's .wasm also holds wasm-bindgen's describe
  # functions and exports (a third of its code bytes), which wasm-bindgen removes; this one is what ships, plus names.
  wasm-bindgen --target web --out-name kms_offline --omit-default-module-path --out-dir "$OUT/$name/named" "$OUT/$name/cargo.wasm"
  echo "<!-- $name: cargo build $(($(date +%s) - t0)) s (RUSTFLAGS=${SIZE_RUSTFLAGS-} --cfg cpubits=$limbs; opt-level ${CARGO_PROFILE_RELEASE_OPT_LEVEL:-Cargo.toml}) -->"
  node "$BENCH/size-breakdown.mjs" "$name (${features[*]:-default features}, $limbs-bit limbs)" \
    "$OUT/$name/named/kms_offline_bg.wasm" "$OUT/$name/web/kms_offline_bg.wasm" "$OUT/$name/web/kms_offline.js"
  if [ -n "${SIZE_WASM_OPT:-}" ]; then
    local opt="$OUT/$name/web/kms_offline_bg.opt.wasm" t1
    t1=$(date +%s)
    # shellcheck disable=SC2086
    "$WASM_OPT" $SIZE_WASM_OPT "${WASM_OPT_FEATURES[@]}" "$OUT/$name/web/kms_offline_bg.wasm" -o "$opt"
    echo "after wasm-opt $SIZE_WASM_OPT ($(($(date +%s) - t1)) s): .wasm $(wc -c < "$opt") raw, $(gzip -9 -c "$opt" | wc -c) gzip;" \
      "+ glue $(( $(gzip -9 -c "$opt" | wc -c) + $(gzip -9 -c "$OUT/$name/web/kms_offline.js" | wc -c) )) gzip"
    echo
  fi
}

for b in "${BUILDS[@]}"; do build "$b"; done
