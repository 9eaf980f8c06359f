#!/usr/bin/env bash
# Instructions per operation of a build, counted by valgrind (cachegrind, no cache simulation): a measure that does
# not move with the machine's load, for comparing two builds of the same code (allocator, opt-level) on a shared
# machine where timings are noise (bench/NOTES.md §19). Node runs the wasm with TurboFan only and one thread, so the
# compiled code does not depend on timing; the count of N operations minus the count of none, divided by N.
#   bash bench/icount.sh <dist dir with node.cjs> <op> [N]
# N: the N operations must add up to far more than Node's start varies (~±4M instructions): ~200 for a verify,
# ~3,000 for a key load.
#   ops: verify-p256, verify-p384, verify-p521, verify-secp256k1, verify-sm2, encrypt-sm2, verify-rsa2048-pss, verify-ml-dsa-65, esdk-encrypt-rsa (encryptMessage, 64 KiB), load-p256
set -euo pipefail
DIST="$(cd "$1" && pwd)"; OP="$2"; N="${3:-50}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count() {
  local out
  out=$(valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    node --no-liftoff --no-wasm-tier-up --single-threaded "$REPO/bench/icount.cjs" "$DIST" "$OP" "$1" 2>&1 >/dev/null)
  grep -qE 'I\s+refs' <<< "$out" && ! grep -q 'Error\|Exception' <<< "$out" || { echo "$out" | grep -v '^[=-]' >&2; exit 1; }
  grep -E 'I\s+refs' <<< "$out" | tr -d ',' | awk '{print $NF}'
}
zero=$(count 0); many=$(count "$N")
echo "$OP $(basename "$DIST"): $(( (many - zero) / N )) instructions per op (N=$N; $zero at N=0)"
