#!/usr/bin/env bash
# Demo: set up, build the npm package, then run the kms-offline CLI on a bundled SAMPLE key (www/samples/):
# its key card, a valid signature (exit 0), a tampered one (exit 1), a wrong algorithm (exit 2, with KMS's
# exception name), an encryption for KMS Decrypt. Ends on its own; prints how to open the page.
#   bash scripts/demo.sh
# (examples/verify-sample.mjs shows the same with the JavaScript API: node examples/verify-sample.mjs)
set -euo pipefail
KMS_SCRIPT=demo
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
bash scripts/build.sh

S=www/samples/ECC_NIST_P256_SIGN_VERIFY
# `npx kms-offline` runs node_modules/.bin/kms-offline (npm links the package's bin); call it directly, faster.
kms() {
  if [ -x node_modules/.bin/kms-offline ]; then node_modules/.bin/kms-offline "$@"; else node pkg/bin/kms-offline.mjs "$@"; fi
}
# show <expected exit> <args...>: print the command, run it, print its exit code.
show() {
  local want="$1"; shift
  local shown="" a
  for a in "$@"; do case "$a" in *[[:space:]]*) shown+=" '$a'" ;; *) shown+=" $a" ;; esac; done
  printf '\n$ npx kms-offline%s\n' "$shown"
  local rc=0
  kms "$@" 2>&1 || rc=$?
  printf '(exit %s)\n' "$rc"
  if [ "$rc" != "$want" ]; then
    kms_log "ERROR: expected exit $want, got $rc"
    exit 1
  fi
}

printf '\n==== kms-offline CLI on a bundled SAMPLE key (a test key, not a real KMS key) ====\n'
show 0 inspect "$S.json"
show 0 verify --key "$S.json" --message-file "$S.message.txt" --signature-file "$S.sig.b64"
show 1 verify --key "$S.json" --message-file "$S.message.txt" --signature-file "$S.tampered.sig.b64"
show 2 verify --key "$S.json" --message-file "$S.message.txt" --signature-file "$S.sig.b64" --signing-algorithm ECDSA_SHA_384
show 0 encrypt --key www/samples/RSA_2048_ENCRYPT_DECRYPT.json --encryption-algorithm RSAES_OAEP_SHA_256 --plaintext 'hello KMS'

cat <<'MSG'

==== Next ====
  The page (verify, encrypt, derive, encapsulate in your browser, offline):
    bash scripts/serve.sh            then open http://127.0.0.1:8137/www/   (Ctrl-C stops it)
  The CLI's commands and options:
    npx kms-offline --help           npx kms-offline verify --help
  Every test:
    bash scripts/test.sh
MSG
