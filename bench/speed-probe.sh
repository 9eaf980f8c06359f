#!/usr/bin/env bash
# Builds bench/size-probe with the speed experiments (features keytable, rsaf4) in a few compiler configurations, as
# wasm-bindgen nodejs modules in bench/size-probe/dist/speed-<config>/, for bench/speed-probe.mjs to time.
#   bash bench/speed-probe.sh [config ...]     configs: s, s-cpu32, o3, o3-cpu32 (default: all four)
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
source "$REPO/scripts/env.sh"
PROBE="$BENCH/size-probe"
CONFIGS=("$@"); [ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=(s s-cpu32 o3 o3-cpu32)
for c in "${CONFIGS[@]}"; do
  opt="${c%%-*}"; [ "$opt" = o3 ] && opt=3
  flags=""; case "$c" in *-cpu32*) flags='--cfg cpubits="32"' ;; esac
  out="$PROBE/dist/speed-$c"; rm -rf "$out"; mkdir -p "$out"
  echo "[speed-probe] $c: opt-level $opt ${flags}"
  (cd "$PROBE" && CARGO_TARGET_DIR="$PROBE/target/speed-$c" CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" RUSTFLAGS="$flags" \
    cargo build --quiet --release --target wasm32-unknown-unknown --features "${PROBE_FEATURES:-keytable,keytable-more,rsaf4}")
  wasm-bindgen --target nodejs --remove-name-section --out-dir "$out" "$PROBE/target/speed-$c/wasm32-unknown-unknown/release/size_probe.wasm"
  mv "$out/size_probe.js" "$out/size_probe.cjs"
done
