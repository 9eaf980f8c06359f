#!/usr/bin/env bash
# What CI does on a machine that never built this project: a clean clone of the committed HEAD, run as
# `CI=true bash .ci/run` with an empty HOME and an empty CARGO_HOME, so nothing cached here (cargo's registry,
# the wasm-bindgen CLI in ~/.cache/kms-offline, npm's cache, node_modules, target/) can hide a missing
# download. Only the rustup toolchain (RUSTUP_HOME) and what apt installed system-wide are reused.
# Not part of scripts/test.sh: it downloads every crate and npm package again and compiles the
# wasm-bindgen CLI (about 20-25 minutes on 2 cores).
#   bash scripts/fresh-clone-check.sh            # clones HEAD of this repository
#   KEEP=1 bash scripts/fresh-clone-check.sh     # keeps the scratch folder (its path is printed)
set -euo pipefail
KMS_SCRIPT=fresh-clone
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  kms_log "note: uncommitted changes are not part of the check (it clones HEAD $(git rev-parse --short HEAD))"
fi
SCRATCH="$(mktemp -d /tmp/kms-offline-fresh.XXXXXX)"
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$SCRATCH"; else kms_log "kept $SCRATCH"; fi; }
trap cleanup EXIT

git clone --quiet --no-local "$REPO_ROOT" "$SCRATCH/clone"
mkdir -p "$SCRATCH/home/.cargo"
# A new machine has the image's npm configuration (registry, CA) but no caches: keep the one, not the others.
if [ -f "$HOME/.npmrc" ]; then cp "$HOME/.npmrc" "$SCRATCH/home/.npmrc"; fi
RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
# The rustup proxies (cargo, rustc, rustup) are found through the old CARGO_HOME's bin; the new one gets
# whatever `cargo install` puts there, first on PATH.
RUSTUP_BIN="$(dirname "$(command -v rustup)")"
kms_log "clone of $(git rev-parse --short HEAD) in $SCRATCH/clone; HOME=$SCRATCH/home, CARGO_HOME=$SCRATCH/home/.cargo (empty)"
t0="$(kms_now)"
rc=0
(
  cd "$SCRATCH/clone"
  # The machine's environment (CA bundles and the like) as CI gets it, with the homes and caches replaced.
  env -u KMS_OFFLINE_CACHE -u CARGO_TARGET_DIR -u WASM_BINDGEN_VERSION -u CHROMIUM \
    PATH="$SCRATCH/home/.cargo/bin:$RUSTUP_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    HOME="$SCRATCH/home" CARGO_HOME="$SCRATCH/home/.cargo" RUSTUP_HOME="$RUSTUP_HOME" CI=true \
    bash .ci/run </dev/null
) >"$SCRATCH/ci.log" 2>&1 || rc=$?
tail -n 25 "$SCRATCH/ci.log"
kms_log "CI=true bash .ci/run in a fresh clone: exit $rc after $(kms_elapsed "$t0") s (log: $SCRATCH/ci.log)"
if [ "$rc" -ne 0 ]; then KEEP=1; fi
exit "$rc"
