#!/usr/bin/env bash
# Builds Tradebook's Debian package with the Tauri bundler (release app, UI embedded) and
# prints its path. Install it with `sudo apt-get install ./<that path>`: the app is then
# `tradebook-app` on PATH and "Tradebook" in the desktop's Finance menu.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/deps.sh" >&2
export PATH="$HOME/.cargo/bin:$PATH"
target="${CARGO_TARGET_DIR:-$root/target}"
# The bundler runs in ui/: a relative target dir is read from here.
case "$target" in /*) ;; *) target="$PWD/$target"; export CARGO_TARGET_DIR="$target" ;; esac
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$root/tauri.conf.json")
rm -f "$target"/release/bundle/deb/*.deb
(cd "$root/ui" && npm run --silent tauri -- build --bundles deb >&2)
deb="$target/release/bundle/deb/Tradebook_${version}_$(dpkg --print-architecture).deb"
if [ ! -f "$deb" ]; then
  echo "error: the bundler did not write $deb" >&2
  exit 1
fi
echo "$deb"
