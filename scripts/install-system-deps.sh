#!/usr/bin/env bash
# System packages the report renderers need (WeasyPrint runtime, fonts, poppler for PDF checks).
# Idempotent: apt only runs when a package is missing, so CI stays fast on a prepared machine.
set -euo pipefail

packages=(
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz-subset0
  fontconfig
  fonts-dejavu-core
  poppler-utils
  # Only to check that DOCX/XLSX open in an office suite (slow tests); the install took
  # 56 s on Debian 12, so it stays in the default set.
  libreoffice-writer-nogui
  libreoffice-calc-nogui
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "Systempakete vollständig."
  exit 0
fi

echo "Installiere Systempakete: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
