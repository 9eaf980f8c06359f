#!/usr/bin/env bash
# Demo: set up, build the npm package, then verify a sample KMS signature with it in Node.
#   bash scripts/demo.sh [path/to/fixture.json]
set -euo pipefail
KMS_SCRIPT=demo
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
bash scripts/build.sh
printf '\n$ node examples/verify-sample.mjs %s\n\n' "$*"
node examples/verify-sample.mjs "$@"
