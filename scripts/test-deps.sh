#!/usr/bin/env bash
# test-deps.sh - install the Debian/Ubuntu packages the test suite needs (run as root, idempotent).
#   softether-vpnserver softether-vpncmd  real SoftEther server for __tests__/network/vpn-bootstrap.test.ts
#   the shellcheck linter                 lints scripts/*.sh
#   python3                               used by scripts/vpn-bootstrap.sh (JSON, SHA-0, CIDR math)
#   zip unzip curl                        packaging/downloading helpers used by other scripts
# Skips `apt-get update` when everything is already installed. The package postinst may try to
# start the server; the test leaves it alone and runs its own in a private namespace.
set -euo pipefail

PACKAGES=(softether-vpnserver softether-vpncmd shellcheck python3 zip unzip curl)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "test-deps: all installed (${PACKAGES[*]})"
  exit 0
fi

if ((EUID != 0)); then
  echo "test-deps: missing ${missing[*]}; run as root (or: sudo $0)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "test-deps: installed ${missing[*]}"
