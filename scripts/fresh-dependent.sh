#!/usr/bin/env bash
# kms-offline as a dependency of a fresh project builds without a warning from kms-offline.
#
# Makes a scratch binary crate that depends on this checkout by path, WITHOUT our Cargo.lock, so Cargo resolves
# every dependency anew, as `cargo add kms-offline` does for a user: the newest versions our requirements allow
# (e.g. a crypto-bigint newer than the one we lock). Builds it twice, with the default features and with
# `aws-sdk`, and fails on any warning in kms-offline's own code (Cargo shows warnings only for path
# dependencies; RUSTFLAGS=-Dwarnings turns them into errors, and registry crates are built with lints capped).
#
#   bash scripts/fresh-dependent.sh            # resolves against crates.io: needs the registry (not offline)
#   bash scripts/fresh-dependent.sh --offline  # resolves from Cargo's local cache only (what `cargo fetch` left)
#
# Not in scripts/test.sh: a fresh resolution needs the registry index, and a cold build takes minutes.
# The scratch project and its target directory stay in target/fresh-dependent (reruns rebuild only kms-offline).
set -euo pipefail
KMS_SCRIPT=fresh-dependent
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

OFFLINE=()
case "${1:-}" in
  --offline) OFFLINE=(--offline) ;;
  "") ;;
  *) echo "usage: $0 [--offline]" >&2; exit 2 ;;
esac

PROJECT="$REPO_ROOT/target/fresh-dependent"
mkdir -p "$PROJECT/src"
cat >"$PROJECT/Cargo.toml" <<EOF
[package]
name = "fresh-dependent"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
kms-offline = { path = "$REPO_ROOT" }
# As a user of the feature has it: the SDK for the client, its types shared with kms-offline (one 1.x).
aws-sdk-kms = { version = "1", default-features = false, optional = true }

[features]
aws-sdk = ["kms-offline/aws-sdk", "dep:aws-sdk-kms"]

# Not a member of kms-offline's workspace.
[workspace]
EOF
cat >"$PROJECT/src/main.rs" <<'EOF'
fn main() {
    let refused = kms_offline::KmsPublicKey::from_get_public_key_json("{}");
    println!("{}", refused.err().map(|e| e.name()).unwrap_or("loaded"));
    #[cfg(feature = "aws-sdk")]
    {
        let output = aws_sdk_kms::operation::get_public_key::GetPublicKeyOutput::builder().build();
        println!("{}", kms_offline::KmsPublicKey::from_aws_sdk(&output).err().map(|e| e.name()).unwrap_or("loaded"));
    }
}
EOF
# A fresh resolution every run: no lockfile from a previous run either.
rm -f "$PROJECT/Cargo.lock"

t0="$(kms_now)"
cargo generate-lockfile "${OFFLINE[@]}" --manifest-path "$PROJECT/Cargo.toml"
kms_log "resolved: $(grep -A1 -E '^name = "(crypto-bigint|rsa|aws-sdk-kms)"$' "$PROJECT/Cargo.lock" | grep -oE '^(name|version) = .*' | paste -sd' ' -)"

for features in "" aws-sdk; do
  log="$PROJECT/build${features:+-$features}.log"
  kms_log "cargo build ${features:+--features $features} (RUSTFLAGS=-Dwarnings) ..."
  if ! RUSTFLAGS="-Dwarnings" nice -n 10 cargo build "${OFFLINE[@]}" --manifest-path "$PROJECT/Cargo.toml" \
    ${features:+--features "$features"} --message-format short >"$log" 2>&1; then
    grep -E '(warning|error)' "$log" | head -40
    kms_log "FAILED: the fresh dependent does not build without warnings ${features:+(features: $features)}; log: $log"
    exit 1
  fi
  if grep -E "^(warning|error)" "$log" | grep -v '^warning: .*generated [0-9]* warning' | grep -q .; then
    grep -E "^(warning|error)" "$log" | head -40
    kms_log "FAILED: warnings ${features:+(features: $features)}; log: $log"
    exit 1
  fi
done
kms_log "a fresh dependent builds without warnings (default features and aws-sdk) in $(kms_elapsed "$t0") s"
