#!/usr/bin/env bash
# Runs every kms-offline fuzz target for SECONDS each (default 600), one after another, at the lowest
# CPU priority, and prints per target: executions, exec/s, final coverage (cov:, ft:) and crashes.
# Not part of CI. Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
#
#   bash fuzz/run.sh [SECONDS]                     # all targets
#   TARGETS="verify kdf" bash fuzz/run.sh 60       # some of them
#   SANITIZER=address bash fuzz/run.sh 600         # with ASan (about half the speed; default: none)
#
# The corpora (fuzz/corpus/<target>) are seeded from tests/fixtures/keys by fuzz/seeds.py and keep
# growing across runs; crashes land in fuzz/artifacts/<target>/; logs in fuzz/artifacts/logs/<target>.log.
set -euo pipefail

SECONDS_PER_TARGET="${1:-600}"
SANITIZER="${SANITIZER:-none}"
ALL_TARGETS="get_public_key_json public_key_blob spki_mutations verify encrypt derive_shared_secret encapsulate kdf arn base64_pem jose dsse x509 esdk_message"
TARGETS="${TARGETS:-$ALL_TARGETS}"
FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$FUZZ_DIR"

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked" >&2; exit 1; }
rustup run nightly rustc --version >/dev/null || { echo "a nightly toolchain is missing: rustup toolchain install nightly" >&2; exit 1; }

python3 seeds.py corpus corpus/kms.dict >/dev/null
# -O release, -a debug assertions and overflow checks (an overflow is a panic here, wrong arithmetic in wasm).
FUZZ_FLAGS=(-O -a -s "$SANITIZER")
nice -n 19 cargo +nightly fuzz build "${FUZZ_FLAGS[@]}"

max_len() {
    case "$1" in
        get_public_key_json) echo 32768 ;;   # PublicKey as a JSON byte array or {"0":48,...} object
        public_key_blob | spki_mutations) echo 16384 ;;   # up to twice MAX_PUBLIC_KEY (8192) as text
        verify) echo 10300 ;;   # header + Message (4096) + Signature (6144), and a little over
        x509) echo 8192 ;;   # a certificate, CSR or CRL with room for large ones
        *) echo 4200 ;;   # Plaintext / PrivateKey / text up to 4096 and a little over
    esac
}

mkdir -p artifacts/logs
SUMMARY=()
for target in $TARGETS; do
    mkdir -p "artifacts/$target"
    before=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
    rm -f fuzz-0.log
    started=$SECONDS
    echo "== $target: ${SECONDS_PER_TARGET}s"
    status=0
    nice -n 19 cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$target" -- \
        -jobs=1 -workers=1 -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
        -max_len="$(max_len "$target")" -timeout=30 -rss_limit_mb=2048 -dict=corpus/kms.dict \
        > "artifacts/logs/$target.driver.log" 2>&1 || status=$?
    # With -jobs, libFuzzer writes the fuzzing process's output to fuzz-0.log in the current directory.
    if [ -f fuzz-0.log ]; then mv fuzz-0.log "artifacts/logs/$target.log"; else cp "artifacts/logs/$target.driver.log" "artifacts/logs/$target.log"; fi
    log="artifacts/logs/$target.log"
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
    speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | awk '{print $2}')
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | tail -1 | awk '{print $5}')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    after=$(find "artifacts/$target" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
    crashes=$((after - before))
    line=$(printf '%-22s %6ss  execs %-10s exec/s %-7s cov %-6s ft %-7s crashes %s' \
        "$target" "${took:-$((SECONDS - started))}" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$crashes")
    [ "$crashes" -gt 0 ] && line="$line  (see $log and artifacts/$target/)"
    [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ] && line="$line  (cargo fuzz exited $status: see artifacts/logs/$target.driver.log)"
    echo "$line"
    SUMMARY+=("$line")
done

echo
echo "== summary (${SECONDS_PER_TARGET}s per target, sanitizer $SANITIZER)"
printf '%s\n' "${SUMMARY[@]}"
