#!/usr/bin/env bash
# vpn-bootstrap.sh - install and configure a SoftEther VPN server so a developer machine can reach
# the VPC's private subnets (MSK brokers, OpenSearch domain).
#
# Runs as root at first boot from EC2 user data, and is safe to run again: every step first reads
# the current state and only changes what differs, so a second run prints "nothing changed" lines
# and exits 0.
#
# Why Ubuntu 24.04 LTS: it ships the same softether-vpnserver / softether-vpncmd packages
# (SoftEther 5.01 "developer edition", same paths, same vpncmd behaviour) as Debian, which is where
# this script is tested against a real server (__tests__/network/vpn-bootstrap.test.ts). The configuration
# that runs in production is therefore the one the test exercises; a hand-built or third-party
# SoftEther on another distribution would not be.
#
# Inputs (environment variables only; the file is self-contained and sources nothing):
#   VPN_SECRET_ID         required  Secrets Manager secret id/ARN. Terraform creates it EMPTY; this
#                                   script fills it at first boot with the JSON SecretString
#                                   {"admin_password","ipsec_psk","username","password"} and
#                                   reuses it afterwards (re-runs, replaced instances).
#   AWS_REGION            required  region of the secret.
#   VPC_CIDR              required  e.g. 10.0.0.0/16; pushed to clients as a static route.
#   VPN_HUB               optional  virtual hub name (default: pipeline).
#   VPN_USERNAME          optional  VPN user (default: vpnuser).
#   VPN_CLIENT_NETWORK    optional  /24../30 network handed out by SecureNAT's DHCP
#                                   (default 192.168.30.0/24: gateway .1, leases .10-.200).
#                                   Must not overlap VPC_CIDR or the developer's LAN.
#   VPN_ENABLE_L2TP       optional  1|0 (default 1): L2TP/IPsec with a pre-shared key
#                                   (UDP 500 + 4500).
#   VPN_ENABLE_SOFTETHER  optional  1|0 (default 1): SoftEther protocol on TCP 443. The 443
#                                   listener is always kept because vpncmd administers the server
#                                   through it on localhost; with 0, simply do not open TCP 443 in
#                                   the security group.
#   VPN_ENABLE_OPENVPN    optional  1|0 (default 0): OpenVPN (UDP 1194, and TCP 443).
#   VPN_ENABLE_SSTP       optional  1|0 (default 0): MS-SSTP (TCP 443).
#   VPN_SKIP_INSTALL      optional  1 = do not install packages / start the service; configure an
#                                   already running server (used by the test).
#   VPN_ADMIN_HOST        optional  vpncmd target (default localhost:443).
#   VPN_PSK_LENGTH        optional  IPsec PSK length (default 9, see gen_psk).
#   VPN_VPNCMD_TIMEOUT    optional  seconds for a single vpncmd call (default 60).
#
# Secrets handling:
#   * Credentials are generated here (python3 `secrets`, i.e. the kernel CSPRNG) and exist only on
#     the instance and in Secrets Manager: never in Terraform state, YAML, stdout, stderr or logs.
#   * The admin password reaches vpncmd on stdin (its password prompt), never as /PASSWORD:.
#   * Commands that carry a secret (ServerPasswordSet, HubCreate, UserPasswordSet, IPsecEnable)
#     are written to a mode-600 batch file in a private mode-700 temp dir and run with vpncmd /IN:
#     (vpncmd echoes batch lines, so that output goes to a private file, and is shown redacted on
#     error only). The temp dir is removed on exit. Nothing secret appears in `ps`.
#   * put-secret-value reads the SecretString from a file (file://), not from the command line.
#
# JSON: parsed and produced with python3 (present on every Ubuntu cloud image because cloud-init
# needs it; no extra package). python3 is also used for SHA-0, which is how SoftEther hashes
# passwords in its configuration: comparing those hashes lets the script tell whether the admin
# and user passwords are already the stored ones without re-setting them (true idempotence).
set -euo pipefail
umask 077

readonly EMPTY_SHA0_B64="+WzqGYrR3VYXrAhKPZLGEHcIwO8=" # SHA-0("") = SoftEther's "no password"

CHANGES=0
WORK_DIR=""

log() { printf '%s\n' "$*"; }
die() {
  printf 'vpn-bootstrap: ERROR: %s\n' "$*" >&2
  exit 1
}
# One line per step, "<what>: <state>". Lines of steps that changed nothing start their state with
# exists|absent|reused|skipped|unchanged or contain ", unchanged"; changed steps are counted and the
# final line reports the count.
step_ok() { log "$1: $2"; }
step_changed() {
  log "$1: $2"
  CHANGES=$((CHANGES + 1))
}

cleanup() {
  if [[ -n "${WORK_DIR}" && -d "${WORK_DIR}" ]]; then
    rm -rf -- "${WORK_DIR}"
  fi
}

validate_env() {
  local missing=()
  [[ -n "${VPN_SECRET_ID:-}" ]] || missing+=("VPN_SECRET_ID (Secrets Manager secret id for the VPN credentials)")
  [[ -n "${AWS_REGION:-}" ]] || missing+=("AWS_REGION (region of that secret)")
  [[ -n "${VPC_CIDR:-}" ]] || missing+=("VPC_CIDR (e.g. 10.0.0.0/16, pushed to VPN clients as a route)")
  if ((${#missing[@]} > 0)); then
    local m
    for m in "${missing[@]}"; do printf 'vpn-bootstrap: ERROR: missing required environment variable %s\n' "$m" >&2; done
    exit 1
  fi

  VPN_HUB="${VPN_HUB:-pipeline}"
  VPN_USERNAME="${VPN_USERNAME:-vpnuser}"
  VPN_CLIENT_NETWORK="${VPN_CLIENT_NETWORK:-192.168.30.0/24}"
  VPN_ENABLE_L2TP="${VPN_ENABLE_L2TP:-1}"
  VPN_ENABLE_SOFTETHER="${VPN_ENABLE_SOFTETHER:-1}"
  VPN_ENABLE_OPENVPN="${VPN_ENABLE_OPENVPN:-0}"
  VPN_ENABLE_SSTP="${VPN_ENABLE_SSTP:-0}"
  VPN_SKIP_INSTALL="${VPN_SKIP_INSTALL:-0}"
  VPN_ADMIN_HOST="${VPN_ADMIN_HOST:-localhost:443}"
  VPN_PSK_LENGTH="${VPN_PSK_LENGTH:-9}"
  VPN_VPNCMD_TIMEOUT="${VPN_VPNCMD_TIMEOUT:-60}"

  [[ "${VPN_HUB}" =~ ^[A-Za-z0-9_-]{1,64}$ ]] || die "VPN_HUB must be 1-64 characters of [A-Za-z0-9_-], got '${VPN_HUB}'"
  [[ "${VPN_HUB^^}" != "DEFAULT" ]] || die "VPN_HUB must not be DEFAULT (that hub is deleted)"
  [[ "${VPN_USERNAME}" =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || die "VPN_USERNAME must be 1-64 characters of [A-Za-z0-9_.-], got '${VPN_USERNAME}'"
  local flag
  for flag in VPN_ENABLE_L2TP VPN_ENABLE_SOFTETHER VPN_ENABLE_OPENVPN VPN_ENABLE_SSTP VPN_SKIP_INSTALL; do
    [[ "${!flag}" == 0 || "${!flag}" == 1 ]] || die "${flag} must be 0 or 1, got '${!flag}'"
  done
  if ! [[ "${VPN_PSK_LENGTH}" =~ ^[0-9]+$ ]] || ((VPN_PSK_LENGTH < 8 || VPN_PSK_LENGTH > 64)); then
    die "VPN_PSK_LENGTH must be 8..64, got '${VPN_PSK_LENGTH}'"
  fi
  [[ "${VPN_VPNCMD_TIMEOUT}" =~ ^[0-9]+$ ]] || die "VPN_VPNCMD_TIMEOUT must be a number of seconds"

  # Derive the SecureNAT / DHCP addresses and the pushed route (validates both CIDRs).
  local derived
  derived="$(python3 - "${VPN_CLIENT_NETWORK}" "${VPC_CIDR}" <<'PY'
import ipaddress, sys
try:
    client = ipaddress.IPv4Network(sys.argv[1], strict=True)
except ValueError as e:
    sys.exit(f"VPN_CLIENT_NETWORK '{sys.argv[1]}' is not an IPv4 network: {e}")
try:
    vpc = ipaddress.IPv4Network(sys.argv[2], strict=True)
except ValueError as e:
    sys.exit(f"VPC_CIDR '{sys.argv[2]}' is not an IPv4 network: {e}")
if not 16 <= client.prefixlen <= 28:
    sys.exit(f"VPN_CLIENT_NETWORK must be a /16../28 network, got /{client.prefixlen}")
if client.overlaps(vpc):
    sys.exit(f"VPN_CLIENT_NETWORK {client} overlaps VPC_CIDR {vpc}")
base = int(client.network_address)
last = int(client.broadcast_address) - 1
start = base + 10 if client.num_addresses > 32 else base + 2
end = min(base + 200, last)
ip = ipaddress.IPv4Address
print(ip(base + 1), ip(start), ip(end), client.netmask, vpc.network_address, vpc.netmask)
PY
)" || die "invalid network settings (see above)"
  read -r NAT_HOST_IP DHCP_START DHCP_END CLIENT_MASK VPC_NET VPC_MASK <<<"${derived}"
  PUSH_ROUTE="${VPC_NET}/${VPC_MASK}/${NAT_HOST_IP}"
}

# ---------------------------------------------------------------------------------------------
# install_softether: packages + service. Skipped with VPN_SKIP_INSTALL=1.
# ---------------------------------------------------------------------------------------------
install_softether() {
  if [[ "${VPN_SKIP_INSTALL}" == 1 ]]; then
    step_ok "install" "skipped (VPN_SKIP_INSTALL=1)"
    return
  fi
  local pkgs=(softether-vpnserver softether-vpncmd python3 ca-certificates) missing=() p
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} > 0)); then
    export DEBIAN_FRONTEND=noninteractive
    # First boot: the network or the mirrors may still be settling, and unattended-upgrades may
    # hold the dpkg lock; retry and wait instead of failing the whole bootstrap.
    apt-get -o Acquire::Retries=5 -o DPkg::Lock::Timeout=300 update -q >/dev/null
    apt-get -o Acquire::Retries=5 -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    step_changed "packages" "installed ${missing[*]}"
  else
    step_ok "packages" "unchanged (already installed)"
  fi
  install_aws_cli
  if systemctl is-enabled --quiet softether-vpnserver && systemctl is-active --quiet softether-vpnserver; then
    step_ok "service softether-vpnserver" "unchanged (enabled and running)"
  else
    systemctl enable --now softether-vpnserver >/dev/null 2>&1
    step_changed "service softether-vpnserver" "enabled and started"
  fi
}

# Ubuntu 24.04 has no awscli deb; its AMIs ship snapd, so the snap is the packaged choice, with
# AWS's official v2 installer as a fallback.
install_aws_cli() {
  if command -v aws >/dev/null 2>&1; then
    step_ok "aws cli" "unchanged (present)"
    return
  fi
  if command -v snap >/dev/null 2>&1 && snap wait system seed.loaded >/dev/null 2>&1 &&
    snap install aws-cli --classic >/dev/null 2>&1; then
    hash -r
  else
    apt-get -o Acquire::Retries=5 -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends curl unzip >/dev/null
    curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip" -o "${WORK_DIR}/awscliv2.zip"
    unzip -q "${WORK_DIR}/awscliv2.zip" -d "${WORK_DIR}"
    "${WORK_DIR}/aws/install" >/dev/null
    hash -r
  fi
  command -v aws >/dev/null 2>&1 || die "could not install the AWS CLI"
  step_changed "aws cli" "installed"
}

# ---------------------------------------------------------------------------------------------
# load_or_create_credentials: reuse the secret's value, or generate one and store it.
# Sets ADMIN_PASSWORD, IPSEC_PSK, VPN_PASSWORD (never printed).
# ---------------------------------------------------------------------------------------------
gen_secret() { # gen_secret LENGTH -> random [A-Za-z0-9]{LENGTH} from the kernel CSPRNG
  python3 -c 'import secrets, string, sys; a = string.ascii_letters + string.digits; print("".join(secrets.choice(a) for _ in range(int(sys.argv[1]))))' "$1"
}

# The PSK is alphanumeric and 9 characters by default: vpncmd's IPsecEnable help asks for "8 or
# less" letters and warns that 10+ break some Android clients, so 9 is the longest length every
# L2TP client accepts (62^9 ~ 1.3e16). Typing it into a client is also easier without symbols. The
# PSK only protects the IKE exchange: each user still needs the 24-character password, and IKE
# aggressive mode (the mode that lets an attacker grab an offline-crackable PSK hash without a
# valid login) is turned off below. VPN_PSK_LENGTH can raise it when no such client is in use.
gen_psk() { gen_secret "${VPN_PSK_LENGTH}"; }

write_secret_json() { # write_secret_json FILE ; reads the values from the environment of python
  ADMIN_PASSWORD="${ADMIN_PASSWORD}" IPSEC_PSK="${IPSEC_PSK}" VPN_USER="${VPN_USERNAME}" VPN_PASSWORD="${VPN_PASSWORD}" \
    python3 -c 'import json, os, sys
json.dump({"admin_password": os.environ["ADMIN_PASSWORD"], "ipsec_psk": os.environ["IPSEC_PSK"],
           "username": os.environ["VPN_USER"], "password": os.environ["VPN_PASSWORD"]}, open(sys.argv[1], "w"))' "$1"
}

put_secret() {
  local f="${WORK_DIR}/secret.json" err="${WORK_DIR}/aws.err"
  write_secret_json "$f"
  if ! aws secretsmanager put-secret-value --secret-id "${VPN_SECRET_ID}" --region "${AWS_REGION}" \
    --secret-string "file://${f}" --output text --query VersionId >/dev/null 2>"${err}"; then
    cat "${err}" >&2
    die "put-secret-value on ${VPN_SECRET_ID} failed"
  fi
  rm -f -- "$f"
}

load_or_create_credentials() {
  local out="${WORK_DIR}/secret.out" err="${WORK_DIR}/aws.err" attempt rc
  for attempt in 1 2 3 4 5; do
    rc=0
    aws secretsmanager get-secret-value --secret-id "${VPN_SECRET_ID}" --region "${AWS_REGION}" \
      --query SecretString --output text >"${out}" 2>"${err}" || rc=$?
    if ((rc == 0)); then break; fi
    # The secret exists but has no version yet: the real CLI reports ResourceNotFoundException
    # ("can't find the specified secret value for staging label: AWSCURRENT").
    if grep -q 'ResourceNotFoundException' "${err}" && grep -qi 'secret value' "${err}"; then break; fi
    # Anything else (no instance credentials yet, throttling, network): retry, then fail. Never
    # generate new credentials on an unknown error: that would overwrite working ones.
    if ((attempt == 5)); then
      cat "${err}" >&2
      die "get-secret-value on ${VPN_SECRET_ID} failed (exit ${rc})"
    fi
    sleep $((attempt * 3))
  done

  if ((rc == 0)); then
    local fields
    fields="$(python3 -c 'import json, re, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit("secret value is not JSON")
keys = ("admin_password", "ipsec_psk", "username", "password")
for k in keys:
    v = d.get(k) if isinstance(d, dict) else None
    if not isinstance(v, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", v):
        sys.exit(f"secret value lacks a usable \"{k}\" (non-empty, [A-Za-z0-9_.-])")
print(" ".join(d[k] for k in keys))' "${out}")" || die "secret ${VPN_SECRET_ID} has an unusable value (see above)"
    local stored_user
    read -r ADMIN_PASSWORD IPSEC_PSK stored_user VPN_PASSWORD <<<"${fields}"
    rm -f -- "${out}"
    if [[ "${stored_user}" != "${VPN_USERNAME}" ]]; then
      # Keep the passwords, record the new user name so the secret matches the server.
      put_secret
      step_changed "secret ${VPN_SECRET_ID}" "reused, username updated ${stored_user} -> ${VPN_USERNAME}"
    else
      step_ok "secret ${VPN_SECRET_ID}" "reused"
    fi
  else
    ADMIN_PASSWORD="$(gen_secret 32)"
    IPSEC_PSK="$(gen_psk)"
    VPN_PASSWORD="$(gen_secret 24)"
    put_secret
    step_changed "secret ${VPN_SECRET_ID}" "generated and stored"
  fi
}

# ---------------------------------------------------------------------------------------------
# vpncmd helpers. The admin password is fed on stdin (vpncmd's password prompt). If the server has
# no password yet, vpncmd connects without prompting and ignores stdin.
# ---------------------------------------------------------------------------------------------
# vpncmd_try ARGS... -> output of one vpncmd call (prompt lines stripped), vpncmd's exit status.
vpncmd_try() {
  local out="${WORK_DIR}/q.out" rc=0
  printf '%s\n' "${ADMIN_PASSWORD}" |
    timeout "${VPN_VPNCMD_TIMEOUT}" vpncmd "${VPN_ADMIN_HOST}" /SERVER /CSV "$@" >"${out}" 2>&1 || rc=$?
  grep -v -e '^Password: ' -e '^$' "${out}" || true
  return "${rc}"
}

# vpncmd_q ARGS... -> like vpncmd_try, but any failure ends the script. Callers capture the output
# in a variable first (x="$(vpncmd_q ...)"), never inside [[ ]] or an if-pipeline, where a failure
# would go unnoticed.
vpncmd_q() {
  local out rc=0
  out="$(vpncmd_try "$@")" || rc=$?
  if ((rc != 0)); then
    printf '%s\n' "${out}" | redact >&2
    die "vpncmd ${*} failed (exit ${rc})"
  fi
  printf '%s\n' "${out}"
}

# vpncmd_secret HUB|- COMMAND_LINE : run one command that carries a secret via a private batch file.
vpncmd_secret() {
  local hub="$1" line="$2" in="${WORK_DIR}/batch.in" out="${WORK_DIR}/batch.out" rc=0 hubarg=()
  [[ "${hub}" == - ]] || hubarg=("/HUB:${hub}")
  printf '%s\n' "${line}" >"${in}"
  chmod 600 "${in}"
  printf '%s\n' "${ADMIN_PASSWORD}" |
    timeout "${VPN_VPNCMD_TIMEOUT}" vpncmd "${VPN_ADMIN_HOST}" /SERVER /CSV "${hubarg[@]}" "/IN:${in}" >"${out}" 2>&1 || rc=$?
  rm -f -- "${in}"
  # /IN: keeps going after a failed command and exits 0, so look for the error text as well.
  if ((rc != 0)) || grep -q '^Error occurred' "${out}"; then
    redact <"${out}" >&2
    die "vpncmd ${line%% *} failed (exit ${rc})"
  fi
}

redact() {
  local s v
  s="$(cat)"
  for v in "${ADMIN_PASSWORD:-}" "${IPSEC_PSK:-}" "${VPN_PASSWORD:-}"; do
    [[ -n "$v" ]] && s="${s//"$v"/<redacted>}"
  done
  printf '%s\n' "$s"
}

# csv_item "Item name" : value of an "Item,Value" row from stdin.
csv_item() {
  python3 -c 'import csv, sys
for row in csv.reader(sys.stdin):
    if len(row) >= 2 and row[0] == sys.argv[1]:
        print(row[1]); break' "$1"
}
# csv_col N : column N (1-based) of every data row from stdin (header dropped).
csv_col() {
  python3 -c 'import csv, sys
rows = list(csv.reader(sys.stdin))
for row in rows[1:]:
    if len(row) >= int(sys.argv[1]): print(row[int(sys.argv[1]) - 1])' "$1"
}

# sha0_b64 : SoftEther's password hash (SHA-0, base64) of stdin. hashlib has no SHA-0, so this is
# the 20-line reference algorithm (SHA-1 without the message-schedule rotation).
sha0_b64() {
  python3 -c 'import base64, struct, sys
def sha0(m):
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
    ml = len(m) * 8
    m += b"\x80" + b"\x00" * ((55 - len(m)) % 64) + struct.pack(">Q", ml)
    rol = lambda x, n: ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF
    for i in range(0, len(m), 64):
        w = list(struct.unpack(">16I", m[i:i + 64]))
        for t in range(16, 80):
            w.append(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16])
        a, b, c, d, e = h
        for t in range(80):
            if t < 20: f, k = (b & c) | (~b & d), 0x5A827999
            elif t < 40: f, k = b ^ c ^ d, 0x6ED9EBA1
            elif t < 60: f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
            else: f, k = b ^ c ^ d, 0xCA62C1D6
            a, b, c, d, e = (rol(a, 5) + f + e + k + w[t]) & 0xFFFFFFFF, a, rol(b, 30), c, d
        h = [(x + y) & 0xFFFFFFFF for x, y in zip(h, (a, b, c, d, e))]
    return struct.pack(">5I", *h)
print(base64.b64encode(sha0(sys.stdin.buffer.read())).decode())'
}

# config_get : current server configuration into ${WORK_DIR}/server.config (holds the server key:
# private dir only).
config_get() {
  rm -f -- "${WORK_DIR}/server.config"
  vpncmd_q /CMD ConfigGet server.config >/dev/null
  [[ -s "${WORK_DIR}/server.config" ]] || die "vpncmd ConfigGet wrote no configuration"
}

# config_value BLOCK KEY : value of "<type> KEY value" inside "declare BLOCK" of the saved config.
config_value() {
  python3 -c 'import sys
stack = []
for raw in open(sys.argv[1], encoding="utf-8-sig"):
    t = raw.strip().split(" ", 2)
    if t[0] == "declare": stack.append(t[1]); continue
    if t[0] == "}": stack and stack.pop(); continue
    if len(t) == 3 and stack and stack[-1] == sys.argv[2] and t[1] == sys.argv[3]:
        print(t[2]); break' "${WORK_DIR}/server.config" "$1" "$2"
}

wait_for_server() {
  local _
  for _ in $(seq 1 60); do
    if printf '%s\n' "${ADMIN_PASSWORD}" | timeout 10 vpncmd "${VPN_ADMIN_HOST}" /SERVER /CSV /CMD About >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  die "SoftEther VPN server at ${VPN_ADMIN_HOST} did not answer within 60 s"
}

# probe_admin : 0 if the stored (or still empty) admin password is accepted, 1 if access is
# denied, 2 if no server answers. vpncmd re-prompts forever on a wrong password, so this watches
# its output instead of waiting for it to exit.
probe_admin() {
  local out="${WORK_DIR}/probe.out" pid _ rc=1
  printf '%s\n' "${ADMIN_PASSWORD}" | vpncmd "${VPN_ADMIN_HOST}" /SERVER /CSV /CMD About >"${out}" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do
    if ! kill -0 "${pid}" 2>/dev/null; then
      if wait "${pid}"; then return 0; fi
      break
    fi
    if grep -q 'Access has been denied' "${out}"; then break; fi
    sleep 0.1
  done
  kill "${pid}" 2>/dev/null || true
  wait "${pid}" 2>/dev/null || true
  if grep -q 'Connection to the server failed' "${out}"; then rc=2; fi
  return "${rc}"
}

# ---------------------------------------------------------------------------------------------
# configure_server: one function per area, each checks before it changes.
# ---------------------------------------------------------------------------------------------
configure_admin_password() {
  local _ rc=2
  for _ in $(seq 1 60); do
    rc=0
    probe_admin || rc=$?
    ((rc == 2)) || break
    sleep 1
  done
  ((rc != 2)) || die "no SoftEther VPN server answers at ${VPN_ADMIN_HOST}"
  ((rc == 0)) || die "the VPN server at ${VPN_ADMIN_HOST} rejects the admin password stored in ${VPN_SECRET_ID}; it was set by something else - reset it (vpncmd ServerPasswordSet) or reinstall the server"
  config_get
  local current
  current="$(config_value ServerConfiguration HashedPassword)"
  if [[ "${current}" == "$(printf '%s' "${ADMIN_PASSWORD}" | sha0_b64)" ]]; then
    step_ok "admin password" "unchanged"
  elif [[ "${current}" == "${EMPTY_SHA0_B64}" ]]; then
    vpncmd_secret - "ServerPasswordSet ${ADMIN_PASSWORD}"
    step_changed "admin password" "set"
  else
    die "cannot tell the server's admin password from its configuration"
  fi
}

# Options vpncmd has no command for: edited in the configuration, applied with ConfigSet (which
# restarts the server in-process once; skipped when already right).
#   DDnsClient.Disabled            no dynamic-DNS registration with SoftEther's servers
#   DisableNatTraversal            no NAT-T via SoftEther's relay servers (the instance has an EIP)
#   DisableJsonRpcWebApi           no HTTPS JSON-RPC admin API on the public 443 listener
#   DisableIPsecAggressiveMode     IKE main mode only (aggressive mode leaks a crackable PSK hash)
#   Tls_Disable1_0 / Tls_Disable1_1  TLS 1.2+ only on 443
configure_server_options() {
  local want=(
    "DDnsClient Disabled true"
    "ServerConfiguration DisableNatTraversal true"
    "ServerConfiguration DisableJsonRpcWebApi true"
    "ServerConfiguration DisableIPsecAggressiveMode true"
    "ServerConfiguration Tls_Disable1_0 true"
    "ServerConfiguration Tls_Disable1_1 true"
  )
  config_get
  local w block key value wrong=()
  for w in "${want[@]}"; do
    read -r block key value <<<"$w"
    [[ "$(config_value "${block}" "${key}")" == "${value}" ]] || wrong+=("$w")
  done
  if ((${#wrong[@]} == 0)); then
    step_ok "server options (no DDNS, no NAT-T relay, no JSON-RPC, IKE main mode only, TLS 1.2+)" "unchanged"
    return
  fi
  python3 - "${WORK_DIR}/server.config" "${wrong[@]}" <<'PY'
import sys
path, edits = sys.argv[1], [e.split(" ") for e in sys.argv[2:]]
lines = open(path, encoding="utf-8-sig").read().split("\n")
stack, done = [], set()
for i, raw in enumerate(lines):
    t = raw.strip().split(" ", 2)
    if t[0] == "declare": stack.append(t[1]); continue
    if t[0] == "}": stack and stack.pop(); continue
    for n, (block, key, value) in enumerate(edits):
        if len(t) == 3 and stack and stack[-1] == block and t[1] == key:
            lines[i] = raw[: len(raw) - len(raw.lstrip())] + f"{t[0]} {key} {value}"
            done.add(n)
missing = [" ".join(e) for n, e in enumerate(edits) if n not in done]
if missing:
    sys.exit(f"configuration has no {missing}")
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
  vpncmd_q /CMD ConfigSet server.config >/dev/null
  rm -f -- "${WORK_DIR}/server.config"
  sleep 2
  wait_for_server
  local names=()
  for w in "${wrong[@]}"; do
    read -r block key value <<<"$w"
    names+=("${key}=${value}")
  done
  step_changed "server options" "set ${names[*]} (server restarted)"
}

configure_keepalive_and_cloud() {
  local keep azure rc=0
  keep="$(vpncmd_q /CMD KeepGet)"
  if [[ "$(csv_item 'Current Status' <<<"${keep}")" == "Enable" ]]; then
    vpncmd_q /CMD KeepDisable >/dev/null
    step_changed "keep-alive internet check" "disabled"
  else
    step_ok "keep-alive internet check" "disabled, unchanged"
  fi
  # VPN Azure rides on dynamic DNS; with DDNS off the server answers "Unsupported", i.e. off.
  azure="$(vpncmd_try /CMD VpnAzureGetStatus)" || rc=$?
  if ((rc != 0)); then
    grep -q '^Unsupported' <<<"${azure}" || die "vpncmd VpnAzureGetStatus failed: ${azure}"
    step_ok "VPN Azure" "disabled, unchanged (unavailable without DDNS)"
  elif [[ "$(csv_item 'VPN Azure Function is Enabled' <<<"${azure}")" == "Yes" ]]; then
    vpncmd_q /CMD VpnAzureSetEnable no >/dev/null
    step_changed "VPN Azure" "disabled"
  else
    step_ok "VPN Azure" "disabled, unchanged"
  fi
  local icmpdns
  icmpdns="$(vpncmd_q /CMD VpnOverIcmpDnsGet)"
  if [[ "$(csv_item 'VPN over ICMP Server Enabled' <<<"${icmpdns}")" == "No" && "$(csv_item 'VPN over DNS Server Enabled' <<<"${icmpdns}")" == "No" ]]; then
    step_ok "VPN over ICMP/DNS" "disabled, unchanged"
  else
    vpncmd_q /CMD VpnOverIcmpDnsEnable /ICMP:no /DNS:no >/dev/null
    step_changed "VPN over ICMP/DNS" "disabled"
  fi
}

configure_hub() {
  local hubs
  hubs="$(vpncmd_q /CMD HubList)"
  hubs="$(csv_col 1 <<<"${hubs}")"
  if grep -qx -- "${VPN_HUB}" <<<"${hubs}"; then
    step_ok "hub ${VPN_HUB}" "exists"
  else
    # The hub admin password is the server admin password: no separate credential to keep.
    vpncmd_secret - "HubCreate ${VPN_HUB} /PASSWORD:${ADMIN_PASSWORD}"
    step_changed "hub ${VPN_HUB}" "created"
  fi
  if grep -qx 'DEFAULT' <<<"${hubs}"; then
    vpncmd_q /CMD HubDelete DEFAULT >/dev/null
    step_changed "hub DEFAULT" "deleted"
  else
    step_ok "hub DEFAULT" "absent"
  fi
}

configure_user() {
  local users
  users="$(vpncmd_q /HUB:"${VPN_HUB}" /CMD UserList)"
  if csv_col 1 <<<"${users}" | grep -qx -- "${VPN_USERNAME}"; then
    step_ok "user ${VPN_USERNAME}" "exists"
  else
    vpncmd_q /HUB:"${VPN_HUB}" /CMD UserCreate "${VPN_USERNAME}" /GROUP:none /REALNAME:none /NOTE:none >/dev/null
    step_changed "user ${VPN_USERNAME}" "created"
  fi
  # SoftEther stores SHA-0(password + UPPERCASE(username)); compare instead of re-setting.
  config_get
  local current expected
  current="$(python3 -c 'import sys
stack, hub_ok = [], False
for raw in open(sys.argv[1], encoding="utf-8-sig"):
    t = raw.strip().split(" ", 2)
    if t[0] == "declare": stack.append(t[1]); continue
    if t[0] == "}": stack and stack.pop(); continue
    # VirtualHUB > <hub> > SecurityAccountDatabase > UserList > <user>: "byte AuthPassword <hash>"
    if len(t) == 3 and stack[-5:] == ["VirtualHUB", sys.argv[2], "SecurityAccountDatabase", "UserList", sys.argv[3]] \
       and t[1] == "AuthPassword":
        print(t[2]); break' "${WORK_DIR}/server.config" "${VPN_HUB}" "${VPN_USERNAME}")"
  expected="$(printf '%s%s' "${VPN_PASSWORD}" "${VPN_USERNAME^^}" | sha0_b64)"
  if [[ -n "${current}" && "${current}" == "${expected}" ]]; then
    step_ok "user ${VPN_USERNAME} password" "unchanged"
  else
    vpncmd_secret "${VPN_HUB}" "UserPasswordSet ${VPN_USERNAME} /PASSWORD:${VPN_PASSWORD}"
    step_changed "user ${VPN_USERNAME} password" "set"
  fi
}

configure_securenat() {
  local hub=(/HUB:"${VPN_HUB}") host
  host="$(vpncmd_q "${hub[@]}" /CMD SecureNatHostGet)"
  if [[ "$(csv_item 'IP Address' <<<"${host}")" == "${NAT_HOST_IP}" && "$(csv_item 'Subnet Mask' <<<"${host}")" == "${CLIENT_MASK}" ]]; then
    step_ok "securenat host ${NAT_HOST_IP}/${CLIENT_MASK}" "unchanged"
  else
    vpncmd_q "${hub[@]}" /CMD SecureNatHostSet /MAC:none /IP:"${NAT_HOST_IP}" /MASK:"${CLIENT_MASK}" >/dev/null
    step_changed "securenat host ${NAT_HOST_IP}/${CLIENT_MASK}" "set"
  fi

  # Split tunnel: no default gateway, only a classless static route (RFC 3442) to the VPC via the
  # SecureNAT host; DNS is SecureNAT's proxy, which resolves through the instance, i.e. the VPC
  # resolver (private hosted zones, VPC endpoint names).
  local dhcp want_gw="None"
  dhcp="$(vpncmd_q "${hub[@]}" /CMD DhcpGet)"
  if [[ "$(csv_item 'Use Virtual DHCP Function' <<<"${dhcp}")" == "Yes" &&
    "$(csv_item 'Start Distribution Address Band' <<<"${dhcp}")" == "${DHCP_START}" &&
    "$(csv_item 'End Distribution Address Band' <<<"${dhcp}")" == "${DHCP_END}" &&
    "$(csv_item 'Subnet Mask' <<<"${dhcp}")" == "${CLIENT_MASK}" &&
    "$(csv_item 'Default Gateway Address' <<<"${dhcp}")" == "${want_gw}" &&
    "$(csv_item 'DNS Server Address 1' <<<"${dhcp}")" == "${NAT_HOST_IP}" &&
    "$(csv_item 'Static Routing Table to Push' <<<"${dhcp}")" == "${PUSH_ROUTE}" ]]; then
    step_ok "dhcp ${DHCP_START}-${DHCP_END} route ${PUSH_ROUTE}" "unchanged"
  else
    vpncmd_q "${hub[@]}" /CMD DhcpSet /START:"${DHCP_START}" /END:"${DHCP_END}" /MASK:"${CLIENT_MASK}" \
      /EXPIRE:7200 /GW:none /DNS:"${NAT_HOST_IP}" /DNS2:none /DOMAIN:none /LOG:yes /PUSHROUTE:"${PUSH_ROUTE}" >/dev/null
    if [[ "$(csv_item 'Use Virtual DHCP Function' <<<"${dhcp}")" != "Yes" ]]; then
      vpncmd_q "${hub[@]}" /CMD DhcpEnable >/dev/null
    fi
    step_changed "dhcp ${DHCP_START}-${DHCP_END} route ${PUSH_ROUTE}" "set"
  fi

  local nat status
  nat="$(vpncmd_q "${hub[@]}" /CMD NatGet)"
  if [[ "$(csv_item 'Use Virtual NAT Function' <<<"${nat}")" == "Yes" ]]; then
    step_ok "securenat virtual NAT" "enabled, unchanged"
  else
    vpncmd_q "${hub[@]}" /CMD NatEnable >/dev/null
    step_changed "securenat virtual NAT" "enabled"
  fi

  status="$(vpncmd_q "${hub[@]}" /CMD StatusGet)"
  if [[ "$(csv_item 'SecureNAT' <<<"${status}")" == "Enabled" ]]; then
    step_ok "securenat on hub ${VPN_HUB}" "enabled, unchanged"
  else
    vpncmd_q "${hub[@]}" /CMD SecureNatEnable >/dev/null
    step_changed "securenat on hub ${VPN_HUB}" "enabled"
  fi
}

yesno() { if [[ "$1" == 1 ]]; then echo yes; else echo no; fi; }

configure_ipsec() {
  # IPsecEnable always carries the PSK and default hub, so it also runs (once) when L2TP is off:
  # the server then holds the stored PSK, ready for a later switch to L2TP.
  local cur want_l2tp shown state label="l2tp/ipsec"
  want_l2tp="$(yesno "${VPN_ENABLE_L2TP}")"
  if [[ "${want_l2tp}" == yes ]]; then
    shown=Yes state=enabled label="l2tp/ipsec (hub ${VPN_HUB})"
  else
    shown=No state=disabled
  fi
  cur="$(vpncmd_q /CMD IPsecGet)"
  if [[ "$(csv_item 'L2TP over IPsec Server Function Enabled' <<<"${cur}")" == "${shown}" &&
    "$(csv_item 'Raw L2TP Server Function Enabled' <<<"${cur}")" == "No" &&
    "$(csv_item 'EtherIP / L2TPv3 over IPsec Server Function Enabled' <<<"${cur}")" == "No" &&
    "$(csv_item 'IPsec Pre-Shared Key String' <<<"${cur}")" == "${IPSEC_PSK}" &&
    "$(csv_item 'Name of Default Virtual Hub' <<<"${cur}")" == "${VPN_HUB}" ]]; then
    step_ok "${label}" "${state}, unchanged"
  else
    vpncmd_secret - "IPsecEnable /L2TP:${want_l2tp} /L2TPRAW:no /ETHERIP:no /PSK:${IPSEC_PSK} /DEFAULTHUB:${VPN_HUB}"
    step_changed "${label}" "${state}"
  fi
}

configure_listeners() {
  local ports p
  ports="$(vpncmd_q /CMD ListenerList)"
  ports="$(csv_col 1 <<<"${ports}" | sed 's/^TCP //')"
  for p in ${ports}; do
    if [[ "$p" != 443 ]]; then
      vpncmd_q /CMD ListenerDelete "$p" >/dev/null
      step_changed "listener tcp/${p}" "deleted"
    fi
  done
  if grep -qx 443 <<<"${ports}"; then
    if [[ "${VPN_ENABLE_SOFTETHER}" == 1 ]]; then
      step_ok "listener tcp/443" "exists (SoftEther protocol + local administration)"
    else
      step_ok "listener tcp/443" "exists (local administration only: keep TCP 443 closed in the security group)"
    fi
  else
    vpncmd_q /CMD ListenerCreate 443 >/dev/null
    step_changed "listener tcp/443" "created"
  fi
}

proto_enabled() { # proto_enabled OpenVPN|SSTP -> True|False
  local opts
  opts="$(vpncmd_q /CMD ProtoOptionsGet "$1")"
  python3 -c 'import csv, sys
for row in csv.reader(sys.stdin):
    if row and row[0] == "Enabled": print(row[2]); break' <<<"${opts}"
}

configure_protocols() {
  local proto flag want cur
  for proto in OpenVPN SSTP; do
    if [[ "${proto}" == OpenVPN ]]; then flag="${VPN_ENABLE_OPENVPN}"; else flag="${VPN_ENABLE_SSTP}"; fi
    if [[ "${flag}" == 1 ]]; then want=True; else want=False; fi
    cur="$(proto_enabled "${proto}")"
    if [[ "${cur}" == "${want}" ]]; then
      step_ok "${proto,,}" "$([[ ${want} == True ]] && echo enabled || echo disabled), unchanged"
    else
      vpncmd_q /CMD ProtoOptionsSet "${proto}" /NAME:Enabled /VALUE:"${want,,}" >/dev/null
      step_changed "${proto,,}" "$([[ ${want} == True ]] && echo enabled || echo disabled)"
    fi
  done
  # The UDP listener only serves OpenVPN over UDP: 1194 when OpenVPN is on, none otherwise.
  local want_udp cur_udp
  if [[ "${VPN_ENABLE_OPENVPN}" == 1 ]]; then want_udp="1194"; else want_udp="0"; fi
  cur_udp="$(vpncmd_q /CMD PortsUDPGet)"
  cur_udp="$(csv_item 'UDP ports' <<<"${cur_udp}")"
  if [[ "${cur_udp}" == "${want_udp}" || ("${want_udp}" == 0 && -z "${cur_udp}") ]]; then
    step_ok "udp ports" "${want_udp/#0/none}, unchanged"
  else
    vpncmd_q /CMD PortsUDPSet "${want_udp}" >/dev/null
    step_changed "udp ports" "set to ${want_udp/#0/none}"
  fi
}

configure_server() {
  configure_admin_password
  configure_server_options
  configure_keepalive_and_cloud
  configure_hub
  configure_user
  configure_securenat
  configure_ipsec
  configure_listeners
  configure_protocols
  vpncmd_q /CMD Flush >/dev/null
}

main() {
  validate_env
  WORK_DIR="$(mktemp -d -t vpn-bootstrap.XXXXXXXX)"
  chmod 700 "${WORK_DIR}"
  trap cleanup EXIT
  # vpncmd takes any argument starting with "/" for an option, so ConfigGet/ConfigSet get file
  # names relative to the private work dir.
  cd "${WORK_DIR}"
  install_softether
  load_or_create_credentials
  configure_server
  log "vpn-bootstrap: done, ${CHANGES} change(s)"
}

main "$@"
