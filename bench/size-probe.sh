#!/usr/bin/env bash
# Size of a single-family, verify-only wasm module (bench/size-probe: same crate versions as kms-offline), as
# wasm-bindgen --target web output with the name section removed, gzip -9; optionally after binaryen wasm-opt -Oz.
#   bash bench/size-probe.sh [config ...]     configs: feature lists joined with '+', e.g. p256 p256+spki p256-tables+spki
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
source "$REPO/scripts/env.sh"
PROBE="$BENCH/size-probe"
WASM_OPT="$REPO/node_modules/binaryen/bin/wasm-opt"
CONFIGS=("$@")
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=(p256 p256+spki p256-tables+spki p256+spki+json p384+spki p521+spki k256+spki sm2+spki ed25519+spki rsa+spki mldsa65+spki mlkem768+spki)
OPT="${PROBE_OPT_LEVEL:-s}"
printf '%-22s %9s %9s %9s %9s %11s\n' config wasm_raw wasm_gz glue_gz total_gz "Oz total_gz"
for c in "${CONFIGS[@]}"; do
  feats="${c//+/,}"
  out="$PROBE/dist/$c-$OPT"
  rm -rf "$out"; mkdir -p "$out"
  (cd "$PROBE" && CARGO_PROFILE_RELEASE_OPT_LEVEL="$OPT" cargo build --quiet --release --target wasm32-unknown-unknown --features "$feats" 2>"$out/build.log") \
    || { echo "$c: build failed (see $out/build.log)"; tail -5 "$out/build.log"; continue; }
  wasm-bindgen --target web --remove-name-section --out-dir "$out" "$PROBE/target/wasm32-unknown-unknown/release/size_probe.wasm"
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$out/size_probe_bg.wasm" -o "$out/size_probe_bg.oz.wasm"
  raw=$(wc -c < "$out/size_probe_bg.wasm"); gz=$(gzip -9 -c "$out/size_probe_bg.wasm" | wc -c)
  glue=$(gzip -9 -c "$out/size_probe.js" | wc -c); ozgz=$(gzip -9 -c "$out/size_probe_bg.oz.wasm" | wc -c)
  printf '%-22s %9d %9d %9d %9d %11d\n' "$c" "$raw" "$gz" "$glue" $((gz + glue)) $((ozgz + glue))
done
