#!/usr/bin/env bash
# The whole test suite: Debian packages the tests need, npm install, type check, lint, vitest
# (both projects: unit and integration).
# Run as root on a fresh machine (apt-get installs softether-vpnserver, shellcheck, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

bash scripts/test-deps.sh
npm ci --no-audit --no-fund
npx tsc --noEmit -p .
npx eslint .

report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile="$report" || status=$?
# One plain closing line: "N passed, N failed, N skipped".
# shellcheck disable=SC2016 # the single-quoted text is JavaScript, not shell
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$report" || true
exit "$status"
