#!/usr/bin/env bash
# THE one command that runs every test, on a fresh machine too:
#   setup -> cargo test (native) -> every Cargo feature set builds alone -> build the npm package (main entry
#   and the single-family entries) -> Node tests (ESM, CommonJS, packaging, types)
#   and the browser test -> Deno tests -> CLI (Node and Deno, incl. a 100 MiB DIGEST file) -> the www page in
#   Chromium -> Vite app test -> esbuild/Rollup/webpack pages in Chromium -> a Cloudflare Worker in workerd (Miniflare)
#   -> the package's Node tests on Node 22, 24, 26 and on Bun.
#   The browser test (tests/browser/) runs in Chromium in the node suite, then in Firefox and WebKit (suites firefox, webkit).
# Stops at the first failing suite with a clear message. Logs: test-output/logs/<suite>.log.
set -euo pipefail
KMS_SCRIPT=test
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
T_START="$(kms_now)"
if [ -n "${CI:-}" ]; then export NO_COLOR=1; fi

LOGS="$REPO_ROOT/test-output/logs"
mkdir -p "$LOGS"
SUMMARY=()
TOTAL_PASSED=0
TOTAL_FAILED=0

# counts <log> <kind>: prints "passed failed" parsed from a runner's closing lines
counts() {
  local log="$1" kind="$2"
  case "$kind" in
    cargo) # "test result: ok. 12 passed; 0 failed; 1 ignored; ..."
      awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } } END { printf "%d %d\n", p, f }' "$log" ;;
    node) # TAP "# pass 12" / spec "ℹ pass 12"
      awk '/^(# |ℹ )pass [0-9]+$/ { p += $NF } /^(# |ℹ )fail [0-9]+$/ { f += $NF } END { printf "%d %d\n", p, f }' "$log" ;;
    bun) # " 12 pass" / " 0 fail"
      awk '/^ *[0-9]+ pass$/ { p += $1 } /^ *[0-9]+ fail$/ { f += $1 } END { printf "%d %d\n", p, f }' "$log" ;;
    deno) # "ok | 30 passed | 0 failed (1s)"
      sed -E 's/\x1b\[[0-9;]*m//g' "$log" | awk '/^(ok|FAILED) \| [0-9]+ passed/ { p += $3; f += $6 } END { printf "%d %d\n", p, f }' ;;
    *) echo "0 0" ;;
  esac
}

# suite <name> <kind> cmd...: run, tee to a log, record a summary line, stop on failure.
# kind: cargo | node | deno (a trailing ? allows zero tests) | none (not a test runner)
suite() {
  local name="$1" kind="$2"; shift 2
  local log="$LOGS/$name.log" t0 rc=0 passed failed secs
  t0="$(kms_now)"
  printf '\n==================== %s ====================\n$ %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log" || rc=$?
  secs="$(kms_elapsed "$t0")"
  read -r passed failed < <(counts "$log" "${kind%\?}")
  if [ "$rc" -ne 0 ]; then
    printf '\n[test] FAILED: suite "%s" exited with %s after %s s (%s passed, %s failed). Log: %s\n' "$name" "$rc" "$secs" "$passed" "$failed" "$log"
    for line in "${SUMMARY[@]}"; do printf '[test]   %s\n' "$line"; done
    exit "$rc"
  fi
  if [ "$kind" != none ] && [ "${kind: -1}" != "?" ] && [ "$passed" -eq 0 ]; then
    printf '\n[test] FAILED: suite "%s" ran no test (log: %s)\n' "$name" "$log"
    exit 1
  fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed)); TOTAL_FAILED=$((TOTAL_FAILED + failed))
  if [ "$kind" = none ]; then
    SUMMARY+=("$(printf '%-12s ok                      %7s s' "$name" "$secs")")
  else
    SUMMARY+=("$(printf '%-12s %5d passed, %d failed  %7s s' "$name" "$passed" "$failed" "$secs")")
  fi
  printf '[test] suite %s: ok (%s passed, %s failed) in %s s\n' "$name" "$passed" "$failed" "$secs"
}

suite setup      none  bash scripts/setup.sh
suite cargo-test cargo cargo test --all-targets
suite cargo-doc  'cargo?' cargo test --doc
suite cargo-aws  cargo cargo test --features aws-sdk --test aws_sdk
suite aws-doc    cargo cargo test --features aws-sdk --doc aws_sdk
suite features   none  bash scripts/check-features.sh
suite build      none  bash scripts/build.sh
suite node       node  node --test tests/js/ tests/browser/
# the browser suite again in Firefox ESR and in WebKitGTK's MiniBrowser (tests/browser/harness.mjs)
suite firefox    node  env KMS_BROWSERS=firefox node --test tests/browser/
suite webkit     node  bash tests/browser/webkit-suite.sh
# (tests/deno/esdk.test.ts also runs the Python ESDK reference and writes its messages under test-output/)
suite deno       deno  node_modules/.bin/deno test --allow-read --allow-run=cargo,"$KMS_PYTHON" --allow-write=test-output --allow-env --no-lock tests/deno/
suite cli        node  node --test tests/cli/
suite www        node  node --test tests/www/
suite vite       node  node --test tests/vite-app/
suite bundlers   node  node --test tests/bundlers/
suite workers    node  node --test tests/workers/
# The package-level Node tests again on Node 22, 24 and 26 (the machine's Node 20 ran every test above; setup.sh
# caches the others, env.sh pins them) and on Bun (its test runner runs node:test files).
NODE_MATRIX_TESTS=(tests/js/verify.test.mjs tests/js/verify.test.cjs tests/js/runtime.test.mjs tests/js/family.test.mjs tests/js/native.test.mjs tests/js/interop.test.mjs tests/js/esdk-webcrypto.test.mjs)
for v in $KMS_NODE_VERSIONS; do
  suite "node-${v%%.*}" node "$(kms_node_bin "$v")" --test "${NODE_MATRIX_TESTS[@]}"
done
# (bun test: paths need ./ to be files, not name filters; its 5 s default per-test timeout is too short for the native and interop checks)
suite bun        bun   node_modules/.bin/bun test --timeout 300000 "${NODE_MATRIX_TESTS[@]/#/./}"

printf '\n[test] summary (%s s in all):\n' "$(kms_elapsed "$T_START")"
for line in "${SUMMARY[@]}"; do printf '[test]   %s\n' "$line"; done
printf 'total: %d passed, %d failed\n' "$TOTAL_PASSED" "$TOTAL_FAILED"
