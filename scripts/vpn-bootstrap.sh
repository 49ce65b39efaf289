#!/usr/bin/env bash
# Placeholder until the SoftEther bootstrap lands: fails loudly if it ever runs.
set -euo pipefail
echo "vpn-bootstrap.sh: placeholder, not the real bootstrap (VPN_HUB=${VPN_HUB:-})" >&2
exit 1
