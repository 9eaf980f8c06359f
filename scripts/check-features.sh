#!/usr/bin/env bash
# Every key family and operation builds alone (Cargo features), natively and for wasm with the JS binding,
# without a warning: `cargo check` of each feature set below. The default (everything) and `p256` (the
# package's verify-p256 entry) are also built and tested in full by scripts/test.sh.
set -euo pipefail
KMS_SCRIPT=features
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

FEATURE_SETS=(
  "" rsa p256 p384 p521 secp256k1 sm2 ed25519 ml-dsa ml-kem
  "rsa,encrypt" "sm2,encrypt,ecdh" "p256,ecdh" "p256,webcrypto" "rsa,encrypt,webcrypto" "p384,ecdh,webcrypto"
  "p256,ecdh,webcrypto" "p521,ecdh,webcrypto" "ed25519,webcrypto" "ml-dsa,webcrypto" "ml-kem,webcrypto"
  "rsa,esdk" "p256,ecdh,esdk" "p521,esdk"
  json interop full
  x509 "x509,rsa" "x509,p256" "x509,p384" "x509,p521" "x509,secp256k1" "x509,sm2" "x509,ed25519" "x509,ml-dsa"
)
checked=0
for features in "${FEATURE_SETS[@]}"; do
  for target in "" wasm32-unknown-unknown; do
    args=(check --lib --no-default-features --features "$features" --message-format short)
    [ -n "$target" ] && args+=(--target "$target")
    log="$(cargo "${args[@]}" 2>&1)" || { printf '%s\n' "$log"; kms_log "FAILED: cargo ${args[*]}"; exit 1; }
    if grep -E '^(src|lattice/src)/.*(warning|error)' <<<"$log"; then
      kms_log "FAILED: warnings with features '${features}' ${target:+(target $target)}"; exit 1
    fi
    checked=$((checked + 1))
  done
done
kms_log "$checked feature sets x targets build without warnings"
