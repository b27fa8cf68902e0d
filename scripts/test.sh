#!/usr/bin/env bash
# Runs every Tradebook test: formatting and lints, the crates' unit and integration tests
# (real SQLite files, real broker exports from ../shared/fixtures), the TypeScript checks,
# the IPC bindings drift check, and the end-to-end test in the real app window
# (tauri-driver + WebKitWebDriver under Xvfb). Installs what it needs first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/deps.sh" --test
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
started=$(date +%s)
step() { echo; echo "== $* ($(( $(date +%s) - started ))s)"; }

if [ ! -d "$root/../shared/fixtures" ]; then
  echo "error: ../shared/fixtures is missing (the shared folder must sit beside the repository)" >&2
  exit 1
fi

step "rustfmt"
cargo fmt --all -- --check

step "TypeScript"
(cd ui && npm run --silent typecheck)

step "build the UI (embedded in the app)"
(cd ui && npm run --silent build)

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "crate tests (core, store, import, cli)"
cargo test --quiet

step "IPC bindings are current"
cargo test --quiet -p tradebook-app

step "release builds: the app (UI embedded), the CLI and the server"
cargo build --release --quiet -p tradebook-app -p tradebook-cli -p tradebook-server --features tradebook-app/custom-protocol

step "end-to-end in the real window (Xvfb + tauri-driver + WebKitWebDriver; a local server for the community pages)"
TRADEBOOK_APP="$target/release/tradebook-app" TRADEBOOK_CLI="$target/release/tradebook" \
  TRADEBOOK_SERVER="$target/release/tradebook-server" \
  scripts/with-test-db.sh xvfb-run -a -s "-screen 0 1280x800x24" cargo test --quiet -p tradebook-e2e -- --test-threads=1

step "the Debian package: build it with the Tauri bundler, install it, and run the window test against the installed app"
deb=$(scripts/package-deb.sh)
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
$sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$deb" >/dev/null
# The binary the package installed (not another tradebook-app earlier on PATH).
installed=$(dpkg -L tradebook | grep '/bin/tradebook-app$' | head -n 1)
echo "installed: $installed ($(dpkg-query -W -f='${Package} ${Version}' tradebook))"
TRADEBOOK_APP="$installed" TRADEBOOK_CLI="$target/release/tradebook" \
  xvfb-run -a -s "-screen 0 1280x800x24" cargo test --quiet -p tradebook-e2e --test window -- --test-threads=1

step "tenant API against a throwaway PostgreSQL (crates/server, crates/sync, Schemathesis)"
scripts/test-server.sh

step "all tests passed"
