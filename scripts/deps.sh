#!/usr/bin/env bash
# Installs what building and testing Tradebook needs on Debian 12: system packages (apt),
# the UI's npm packages, and (with --test) the end-to-end tools. Idempotent: installs only
# what is missing. Sourced by run-app.sh and test.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi

build_pkgs=(libwebkit2gtk-4.1-dev build-essential curl wget file pkg-config libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev)
test_pkgs=(xvfb xauth webkit2gtk-driver sqlite3 postgresql python3-venv keyutils)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== apt: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "error: Rust is not installed (https://rustup.rs), then re-run" >&2; exit 1; }
command -v npm >/dev/null || { echo "error: Node.js 20+ with npm is not installed, then re-run" >&2; exit 1; }

echo "== npm: UI packages"
# `npm install`, not `npm ci`: the registry mirror these machines use leaves the other
# platforms' optional @tauri-apps/cli-* binaries out of package-lock.json, which `npm ci`
# refuses. `npm install` still installs the locked versions.
(cd "$root/ui" && npm install --no-audit --no-fund --loglevel=error)

schemathesis_venv="${XDG_CACHE_HOME:-$HOME/.cache}/tradebook/schemathesis-venv"
if [ "${1:-}" = "--test" ] && [ ! -x "$schemathesis_venv/bin/schemathesis" ]; then
  echo "== pip: schemathesis (tenant API fuzzing, into $schemathesis_venv)"
  python3 -m venv "$schemathesis_venv"
  "$schemathesis_venv/bin/pip" install --quiet --disable-pip-version-check schemathesis
fi

if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null; then
  echo "== cargo install tauri-driver"
  cargo install tauri-driver --locked --quiet
fi
