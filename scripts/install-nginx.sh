#!/usr/bin/env bash
# Debian's nginx (Debian 12: 1.22) for scripts/check_nginx.py, which runs the shipped site in
# front of gunicorn. nginx-light has every module the site uses. Idempotent and fast when present.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
echo "Installiere nginx für die Prüfung der ausgelieferten Konfiguration …"
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" apt-get install -y --no-install-recommends nginx-light
# The package starts a default site on port 80; the check runs its own instance.
"${sudo_cmd[@]}" service nginx stop >/dev/null 2>&1 || true
