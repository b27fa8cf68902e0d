#!/usr/bin/env bash
# Builds the Tradebook desktop app (release, UI embedded) and opens it. The journal lives in
# the OS data dir (~/.local/share/tradebook/journal.db), or $TRADEBOOK_DB if set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/deps.sh"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root/ui"
echo "== building the app (first build takes a few minutes)"
npm run tauri -- build --no-bundle
target="${CARGO_TARGET_DIR:-$root/target}"
exec "$target/release/tradebook-app"
