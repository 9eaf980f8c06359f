#!/usr/bin/env bash
# Builds the package in several compiler/optimiser variants, each in its own target dir and dist dir, all
# from one snapshot of the source (git HEAD by default, or the work tree with --worktree), so no variant
# sees a half-edited src/. Never touches target/ itself or pkg/dist.
#
#   bash bench/variants.sh [--worktree] [--names] [variant ...]      # default: all variants below
#
# variants: <opt>[-simd][-cpu32|-cpu64][-d64][-hot3][-wasmopt-<O3|Oz|...>], e.g. s (= Cargo.toml's profile: opt-level "s"), z, o2, o3,
#           s-simd (+simd128), s-cpu64 (--cfg cpubits="64": 64-bit limbs, the default before bench/NOTES.md §11; s has 32 as the package), -d64 (--cfg curve25519_dalek_bits="64"),
#           -hot3 (opt-level 3 for the crypto crates only), o3-cpu32-wasmopt-O3 (npm binaryen's
#           wasm-opt on the wasm-bindgen output, never /usr/bin/wasm-opt). --names <variant> adds <variant>-names: the
#           same .wasm with its name section kept, for bench/profile.mjs.
# Output:   bench/variants/<variant>/ (node.cjs, web.js, kms_offline_bg.wasm, ...), plus build.log and sizes.json
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH/.." && pwd)"
SRC_MODE=head
NAMES=0
while [ $# -gt 0 ]; do
  case "$1" in
    --worktree) SRC_MODE=worktree; shift ;;
    --names) NAMES=1; shift ;;
    *) break ;;
  esac
done
ALL=(s z o2 o3 s-simd o3-simd s-cpu64 o3-cpu64 s-wasmopt-O3 s-wasmopt-Oz o3-wasmopt-O3)
VARIANTS=("$@"); [ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=("${ALL[@]}")

# npm binaryen's wasm-opt (TOOLCHAIN.md: Debian's /usr/bin/wasm-opt corrupts wasm-bindgen output).
WASM_OPT="$REPO/node_modules/binaryen/bin/wasm-opt"
# The features rustc 1.95 enables by default on wasm32-unknown-unknown (+ simd128 for the simd builds).
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd)

SNAP="$REPO/target/bench-src"
snapshot() {
  rm -rf "$SNAP"; mkdir -p "$SNAP"
  if [ "$SRC_MODE" = head ]; then
    (cd "$REPO" && git archive HEAD src $(git ls-tree --name-only HEAD lattice patches .cargo) Cargo.toml Cargo.lock scripts LICENSE-MIT LICENSE-APACHE pkg/package.json tests/fixtures) | tar -x -m -C "$SNAP"
    (cd "$REPO" && git rev-parse HEAD) > "$SNAP/SOURCE"
  else
    (cd "$REPO" && tar -c src lattice patches $(ls -d .cargo 2>/dev/null) Cargo.toml Cargo.lock scripts LICENSE-MIT LICENSE-APACHE pkg/package.json tests/fixtures) | tar -x -m -C "$SNAP"
    (cd "$REPO" && echo "worktree of $(git rev-parse HEAD) at $(date -u +%FT%TZ)") > "$SNAP/SOURCE"
  fi
  # Extracted with the current time as mtime (tar -m): cargo decides by mtime, and git archive gives the
  # commit time, older than the last build of another snapshot in the same target dir.
  # The snapshot is its own cargo workspace root (the real one is not above it). Its .cargo/config.toml is
  # kept aside: a -hot3 variant adds to it, the next variant starts from the repository's again.
  mkdir -p "$SNAP/.cargo"; touch "$SNAP/.cargo/config.toml"; cp -r "$SNAP/.cargo" "$SNAP/.cargo.repo"
  echo "snapshot: $(cat "$SNAP/SOURCE")"
}
snapshot

build_one() {
  local v="$1" base="$1" post=""
  case "$v" in *-wasmopt-*) base="${v%%-wasmopt-*}"; post="${v##*-wasmopt-}" ;; esac
  # base = <opt>[-simd][-cpu32|-cpu64]: opt-level s|z|o2|o3; -simd: +simd128; limbs of crypto-bigint and the curve
  # crates: by default as scripts/build.sh builds the package (32-bit for the main entry, 64-bit for verify-p256;
  # .cargo/config.toml), -cpu32 / -cpu64: --cfg cpubits="32" / "64" for every entry
  local opt rustflags=""
  case "${base%%-*}" in
    s) opt=s ;; z) opt=z ;; o2) opt=2 ;; o3) opt=3 ;;
    *) echo "unknown variant $v" >&2; return 1 ;;
  esac
  case "$base" in *-simd*) rustflags="$rustflags -C target-feature=+simd128" ;; esac
  case "$base" in *-cpu32*) rustflags="$rustflags --cfg cpubits=\"32\"" ;; esac
  case "$base" in *-cpu64*) rustflags="$rustflags --cfg cpubits=\"64\"" ;; esac
  case "$base" in *-d64*) rustflags="$rustflags --cfg curve25519_dalek_bits=\"64\"" ;; esac
  # -hot3: opt-level 3 for the crates where the time goes, the rest at the variant's opt-level (cargo profile
  # package overrides, written to the snapshot's .cargo/config.toml: the repository's files are not touched)
  rm -rf "$SNAP/.cargo"; cp -r "$SNAP/.cargo.repo" "$SNAP/.cargo"
  case "$base" in *-hot3*)
    for c in crypto-bigint p256 p384 p521 k256 sm2 primeorder primefield fiat-crypto elliptic-curve ecdsa wnaf rsa \
             ed25519-dalek curve25519-dalek ml-dsa ml-kem module-lattice keccak sha2 sha3 sm3 cmov ctutils subtle hybrid-array; do
      printf '[profile.release.package.%s]\nopt-level = 3\n' "$c"
    done >> "$SNAP/.cargo/config.toml" ;;
  esac
  rustflags="${rustflags# }"
  local dist="$BENCH/variants/$v" log; mkdir -p "$BENCH/variants"; log="$BENCH/variants/$v.build.log"
  local t0; t0=$(date +%s)
  if [ -n "$post" ] && [ -f "$BENCH/variants/$base/kms_offline_bg.wasm" ] && [ "$(cat "$BENCH/variants/$base/SOURCE" 2>/dev/null)" = "$(cat "$SNAP/SOURCE")" ]; then
    echo "[$v] reusing $base build"
  else
    echo "[$v] cargo build (opt-level $opt${rustflags:+, $rustflags}) -> target/bench-$base"
    CARGO_TARGET_DIR="$REPO/target/bench-$base" CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt" RUSTFLAGS="$rustflags" \
      KMS_OFFLINE_DIST="$BENCH/variants/$base" bash "$SNAP/scripts/build.sh" > "$BENCH/variants/$base.build.log" 2>&1 \
      || { echo "[$v] build failed, see $BENCH/variants/$base.build.log"; tail -20 "$BENCH/variants/$base.build.log"; return 1; }
    cp "$SNAP/SOURCE" "$BENCH/variants/$base/SOURCE"
  fi
  if [ -n "$post" ]; then
    rm -rf "$dist"; cp -r "$BENCH/variants/$base" "$dist"
    echo "[$v] wasm-opt -$post (binaryen $("$WASM_OPT" --version | awk '{print $3}'))"
    "$WASM_OPT" "-$post" "${WASM_OPT_FEATURES[@]}" "$dist/kms_offline_bg.wasm" -o "$dist/kms_offline_bg.wasm.opt" > "$log" 2>&1
    mv "$dist/kms_offline_bg.wasm.opt" "$dist/kms_offline_bg.wasm"
  fi
  node -e '
    const fs = require("fs"), zlib = require("zlib"), path = require("path");
    const dist = process.argv[1], v = process.argv[2], opt = process.argv[3], flags = process.argv[4], post = process.argv[5], secs = +process.argv[6];
    const size = (f) => { const b = fs.readFileSync(path.join(dist, f)); return { raw: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length }; };
    const out = { variant: v, optLevel: opt, rustflags: flags, wasmOpt: post || null, buildSeconds: secs,
      source: fs.readFileSync(path.join(dist, "SOURCE"), "utf8").trim(),
      wasm: size("kms_offline_bg.wasm"), nodeGlue: size("node.cjs"), webGlue: size("web.js") };
    fs.writeFileSync(path.join(dist, "sizes.json"), JSON.stringify(out, null, 2) + "\n");
    console.log(`[${v}] wasm ${out.wasm.raw} B raw / ${out.wasm.gzip} B gzip; web.js ${out.webGlue.gzip} B gzip`);
  ' "$dist" "$v" "$opt" "$rustflags" "$post" "$(( $(date +%s) - t0 ))"
  if [ "$NAMES" = 1 ] && [ -z "$post" ]; then
    # the main entry's module with its name section, for bench/profile.mjs (wasm-bindgen without
    # --remove-name-section; build.sh keeps each entry's .wasm in kms-offline-wasm/, cargo's own file is the last built)
    rm -rf "$dist-names"; mkdir -p "$dist-names"
    (source "$SNAP/scripts/env.sh" && wasm-bindgen --target nodejs --out-name kms_offline --out-dir "$dist-names" "$REPO/target/bench-$base/kms-offline-wasm/full.wasm")
    mv "$dist-names/kms_offline.js" "$dist-names/node.cjs"
    echo "[$v] $v-names: name section kept"
  fi
  # A variant is trusted only if the fixture verify suite passes against it (TOOLCHAIN.md: a bad wasm-opt
  # silently corrupts the module).
  if KMS_BENCH_DIST="$dist" node --test "$BENCH/check-variant.cjs" > "$dist/check.log" 2>&1; then
    echo "[$v] fixture verify suite: $(grep -E '^(# |ℹ )(pass|fail) ' "$dist/check.log" | tr '\n' ' ')"
  else
    echo "[$v] FIXTURE VERIFY SUITE FAILED: see $dist/check.log"; tail -30 "$dist/check.log"; return 1
  fi
}

rc=0
for v in "${VARIANTS[@]}"; do build_one "$v" || rc=1; done
exit $rc
