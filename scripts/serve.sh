#!/usr/bin/env bash
# Serves the kms-offline page (www/) and the package it uses on http://127.0.0.1:8137/www/ (Node only, no CDN,
# nothing fetched from the network). Builds the package first when pkg/dist is missing or older than the sources.
#   bash scripts/serve.sh [--port N] [--host H]      (Ctrl-C stops it)
set -euo pipefail
KMS_SCRIPT=serve
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

needs_build() {
  [ -f pkg/dist/web.js ] && [ -f pkg/dist/kms_offline_bg.wasm ] || return 0
  # a source newer than the built module
  [ -n "$(find src Cargo.toml Cargo.lock -newer pkg/dist/kms_offline_bg.wasm -print -quit 2>/dev/null)" ]
}
if needs_build; then
  kms_log "pkg/dist is missing or older than src/: setting up and building first"
  if ! { bash scripts/setup.sh && bash scripts/build.sh; }; then
    if [ -f pkg/dist/web.js ]; then
      kms_log "WARNING: the build failed; serving the package built earlier (pkg/dist)"
    else
      kms_log "ERROR: the build failed and there is no pkg/dist to serve"; exit 1
    fi
  fi
fi
exec node www/tools/serve.mjs "$@"
