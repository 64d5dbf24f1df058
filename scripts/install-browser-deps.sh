#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it via executable_path; Playwright's
# own browser download does not work here and is never used). Idempotent and fast when present.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && dpkg -s fonts-dejavu-core >/dev/null 2>&1; then
  echo "Chromium vorhanden: $(command -v chromium)"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installiere Chromium und Schriften für die Browsertests …"
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends chromium fonts-dejavu-core
