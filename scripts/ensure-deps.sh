#!/usr/bin/env bash
# Installs what a fresh machine of this kind lacks: npm packages (from the committed lockfile; `npm ci`
# fails on this registry, see STACK.md) and, when asked with --browser, Debian's Chromium for Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "› npm install (lockfile changed or node_modules missing)"
  npm install --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "› apt-get install chromium"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
