#!/usr/bin/env bash
# `npm test`: the whole suite, as CI runs it. Lint + types, unit tests, contract and OMS integration tests
# against real anvil / SQLite / PostgreSQL, then Playwright in Debian's Chromium against the real stack.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser || exit 1

# PostgreSQL runs on this kind of machine; start it if it was stopped.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

reports=.data/test-reports
rm -rf "$reports" && mkdir -p "$reports"
status=0
step() {
  local name=$1; shift
  echo; echo "━━ $name"
  local started=$SECONDS
  if "$@"; then echo "━━ $name: ok ($((SECONDS - started)) s)"; else echo "━━ $name: FAILED ($((SECONDS - started)) s)"; status=1; fi
}

# A fresh clone's install must not rewrite the committed lockfile (a newcomer's first `git status`).
lockfile_unchanged() {
  if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then return 0; fi
  git diff --quiet -- package-lock.json && return 0
  echo "npm install changed package-lock.json:"
  git diff --stat -- package-lock.json
  return 1
}
step "lockfile unchanged by install" lockfile_unchanged
step "lint" npm run lint
step "types" npx tsc --noEmit -p .
step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$reports/unit.json"
step "integration tests (anvil, SQLite, PostgreSQL)" npx vitest run --project int --reporter=default --reporter=json --outputFile.json="$reports/int.json"
step "browser tests (Chromium, real stack)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" npx playwright test --reporter=list,json

node scripts/test-summary.mjs "$reports" || status=1
exit $status
