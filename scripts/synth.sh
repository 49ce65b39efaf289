#!/usr/bin/env bash
# The main job: install the project, fetch and verify the connector plugins, synthesize every
# environment into cdktf.out/. Run from anywhere; works as root on a fresh machine with Node 20+.
#
# Output is a few plain lines (no spinners, no colours): what was installed, one line per plugin,
# one line per environment (what was written), and the next step. Without access to the plugins'
# release hosts it still synthesizes, for review, with one warning: deploying needs the plugins.
#
# Environment: SYNTH_SKIP_INSTALL=1 skips `npm ci` (tests, and a checkout already installed).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

if [[ "${SYNTH_SKIP_INSTALL:-}" == "1" ]]; then
  echo "install  skipped (SYNTH_SKIP_INSTALL=1)"
else
  if ! installed="$(npm ci --no-audit --no-fund --loglevel=error 2>&1)"; then
    printf '%s\n' "${installed}" >&2
    echo "error: npm ci failed (above); nothing was synthesized" >&2
    exit 1
  fi
  # npm's own summary line, e.g. "added 312 packages in 9s".
  summary_line="$(grep -E '^(added|removed|changed|up to date)' <<< "${installed}" | tail -n 1 || true)"
  echo "install  npm ci: ${summary_line:-done}"
fi

echo "plugins  bash scripts/download-connectors.sh --used-only"
allow_missing=0
if ! plugin_log="$(bash scripts/download-connectors.sh --used-only 2>&1)"; then
  allow_missing=1
fi
# One line per plugin (and a notice when new pins were recorded). The script's closing
# "N of M plugins not built" line is left out: the synth below says it once, as a warning.
grep -vE '^error: [0-9]+ of [0-9]+ plugins not built' <<< "${plugin_log}" | sed 's/^/         /' || true

# The app itself (`npm run synth`; cdktf-cli would add seconds and a spinner, nothing else): one
# line per environment and the next step.
if (( allow_missing )); then
  ALLOW_MISSING_PLUGIN_ARTIFACTS=1 npm run -s synth 2>&1
else
  npm run -s synth 2>&1
fi
