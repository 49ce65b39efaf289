#!/usr/bin/env bash
# kafka-client-bootstrap.sh - install the Apache Kafka command-line tools and the MSK IAM auth
# library on the Kafka client host, and write the client configuration that signs in with the
# instance role (SASL/AWS_MSK_IAM over TLS, port 9098).
#
# Runs as root at first boot from EC2 user data (Amazon Linux 2023), and is safe to run again:
# every step compares what is there with what is wanted and only changes what differs, so a
# second run prints "unchanged" lines, downloads nothing and exits 0.
#
# Downloads are pinned: each has a URL and a checksum (sha512 for the Kafka release, as Apache
# publishes it; sha256 for the library jar). A download whose checksum differs is deleted and the
# script stops before anything is installed.
#
# Inputs (environment variables only; the file is self-contained and sources nothing):
#   KAFKA_BOOTSTRAP_BROKERS  required  the cluster's SASL/IAM bootstrap string (host:9098,...).
#   AWS_REGION               required  region of the cluster (the IAM library signs for it).
#   KAFKA_CLI_URL            required  https URL of the Kafka binary release (kafka_<scala>-<version>.tgz).
#   KAFKA_CLI_SHA512         required  its sha512 (128 hex digits, either case).
#   MSK_IAM_AUTH_URL         required  https URL of the aws-msk-iam-auth "-all" jar.
#   MSK_IAM_AUTH_SHA256      required  its sha256 (64 hex digits, either case).
#   KAFKA_CLIENT_ROOT        optional  install root (default /opt/kafka-client): the release goes
#                                      to <root>/<release name>, <root>/current links to it.
#   KAFKA_CLIENT_CONFIG_DIR  optional  where client.properties goes (default /etc/kafka-client).
#   KAFKA_CLIENT_PROFILE     optional  login profile snippet (default /etc/profile.d/kafka-client.sh).
#   KAFKA_CLIENT_SKIP_INSTALL optional 1 = do not install Java with dnf (used by the test).
#   KAFKA_CLIENT_RETRIES     optional  download attempts (default 5).
set -euo pipefail
umask 022

CHANGES=0
WORK_DIR=""

log() { printf '%s\n' "$*"; }
die() {
  printf 'kafka-client-bootstrap: ERROR: %s\n' "$*" >&2
  exit 1
}
# One line per step, "<what>: <state>"; unchanged steps say "unchanged", changed ones are counted.
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
  local missing=() name
  for name in KAFKA_BOOTSTRAP_BROKERS AWS_REGION KAFKA_CLI_URL KAFKA_CLI_SHA512 MSK_IAM_AUTH_URL MSK_IAM_AUTH_SHA256; do
    [[ -n "${!name:-}" ]] || missing+=("${name}")
  done
  if ((${#missing[@]} > 0)); then
    for name in "${missing[@]}"; do
      printf 'kafka-client-bootstrap: ERROR: missing required environment variable %s\n' "${name}" >&2
    done
    exit 1
  fi
  KAFKA_CLIENT_ROOT="${KAFKA_CLIENT_ROOT:-/opt/kafka-client}"
  KAFKA_CLIENT_CONFIG_DIR="${KAFKA_CLIENT_CONFIG_DIR:-/etc/kafka-client}"
  KAFKA_CLIENT_PROFILE="${KAFKA_CLIENT_PROFILE:-/etc/profile.d/kafka-client.sh}"
  KAFKA_CLIENT_SKIP_INSTALL="${KAFKA_CLIENT_SKIP_INSTALL:-0}"
  KAFKA_CLIENT_RETRIES="${KAFKA_CLIENT_RETRIES:-5}"

  [[ "${KAFKA_BOOTSTRAP_BROKERS}" =~ ^[A-Za-z0-9.-]+:[0-9]+(,[A-Za-z0-9.-]+:[0-9]+)*$ ]] ||
    die "KAFKA_BOOTSTRAP_BROKERS must be host:port[,host:port...], got '${KAFKA_BOOTSTRAP_BROKERS}'"
  [[ "${AWS_REGION}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "AWS_REGION must be a region such as eu-west-1, got '${AWS_REGION}'"
  [[ "${KAFKA_CLI_URL}" =~ ^https://[^[:space:]]+/(kafka_[0-9.]+-[0-9][A-Za-z0-9.-]*)\.tgz$ ]] ||
    die "KAFKA_CLI_URL must be an https URL of kafka_<scala>-<version>.tgz, got '${KAFKA_CLI_URL}'"
  KAFKA_RELEASE="${BASH_REMATCH[1]}"
  [[ "${MSK_IAM_AUTH_URL}" =~ ^https://[^[:space:]]+/(aws-msk-iam-auth-[0-9][A-Za-z0-9.-]*\.jar)$ ]] ||
    die "MSK_IAM_AUTH_URL must be an https URL of aws-msk-iam-auth-<version>-all.jar, got '${MSK_IAM_AUTH_URL}'"
  IAM_JAR="${BASH_REMATCH[1]}"
  [[ "${KAFKA_CLI_SHA512}" =~ ^[0-9A-Fa-f]{128}$ ]] || die "KAFKA_CLI_SHA512 must be 128 hex digits, got '${KAFKA_CLI_SHA512}'"
  [[ "${MSK_IAM_AUTH_SHA256}" =~ ^[0-9A-Fa-f]{64}$ ]] || die "MSK_IAM_AUTH_SHA256 must be 64 hex digits, got '${MSK_IAM_AUTH_SHA256}'"
  KAFKA_CLI_SHA512="${KAFKA_CLI_SHA512,,}"
  MSK_IAM_AUTH_SHA256="${MSK_IAM_AUTH_SHA256,,}"
  [[ "${KAFKA_CLIENT_SKIP_INSTALL}" == 0 || "${KAFKA_CLIENT_SKIP_INSTALL}" == 1 ]] ||
    die "KAFKA_CLIENT_SKIP_INSTALL must be 0 or 1, got '${KAFKA_CLIENT_SKIP_INSTALL}'"
  [[ "${KAFKA_CLIENT_RETRIES}" =~ ^[1-9][0-9]?$ ]] || die "KAFKA_CLIENT_RETRIES must be 1 to 99, got '${KAFKA_CLIENT_RETRIES}'"
  local dir
  for dir in "${KAFKA_CLIENT_ROOT}" "${KAFKA_CLIENT_CONFIG_DIR}" "${KAFKA_CLIENT_PROFILE}"; do
    [[ "${dir}" == /* ]] || die "install paths must be absolute, got '${dir}'"
  done
}

# ---------------------------------------------------------------------------------------------
# Java from Amazon Linux's own (signed) repository. Skipped with KAFKA_CLIENT_SKIP_INSTALL=1.
# ---------------------------------------------------------------------------------------------
install_java() {
  if [[ "${KAFKA_CLIENT_SKIP_INSTALL}" == 1 ]]; then
    step_ok "java" "skipped (KAFKA_CLIENT_SKIP_INSTALL=1)"
    return
  fi
  if rpm -q java-17-amazon-corretto-headless >/dev/null 2>&1; then
    step_ok "java" "unchanged (java-17-amazon-corretto-headless installed)"
    return
  fi
  # First boot: the network may still be settling; dnf retries each mirror itself.
  dnf install -y -q --setopt=retries=10 java-17-amazon-corretto-headless >/dev/null
  step_changed "java" "installed java-17-amazon-corretto-headless"
}

# fetch URL FILE : download with retries (HTTPS only, no redirects to plain HTTP).
fetch() {
  curl -fsSL --proto '=https' --proto-redir '=https' --retry "${KAFKA_CLIENT_RETRIES}" --retry-delay 3 \
    --retry-all-errors --connect-timeout 20 -o "$2" "$1" || die "download of $1 failed"
}

# verify FILE ALGO EXPECTED : deletes FILE and stops when its checksum is not EXPECTED.
verify() {
  local actual
  actual="$("$2sum" "$1" | cut -d' ' -f1)"
  if [[ "${actual}" != "$3" ]]; then
    rm -f -- "$1"
    die "$(basename "$1"): $2 is ${actual}, expected the pinned $3; refusing to install it"
  fi
}

# ---------------------------------------------------------------------------------------------
# The Kafka release: <root>/<release>/ with a marker of its checksum, and <root>/current -> it.
# ---------------------------------------------------------------------------------------------
install_kafka_cli() {
  local dest="${KAFKA_CLIENT_ROOT}/${KAFKA_RELEASE}" marker staging
  marker="${dest}/.sha512"
  if [[ -f "${marker}" && "$(cat "${marker}")" == "${KAFKA_CLI_SHA512}" && -x "${dest}/bin/kafka-topics.sh" ]]; then
    step_ok "kafka cli ${KAFKA_RELEASE}" "unchanged"
  else
    fetch "${KAFKA_CLI_URL}" "${WORK_DIR}/${KAFKA_RELEASE}.tgz"
    verify "${WORK_DIR}/${KAFKA_RELEASE}.tgz" sha512 "${KAFKA_CLI_SHA512}"
    mkdir -p "${KAFKA_CLIENT_ROOT}"
    # Unpacked beside its destination, then moved in one rename: never a half-installed release.
    staging="$(mktemp -d "${KAFKA_CLIENT_ROOT}/.staging.XXXXXXXX")"
    tar -xzf "${WORK_DIR}/${KAFKA_RELEASE}.tgz" -C "${staging}" --strip-components=1 --no-same-owner
    [[ -x "${staging}/bin/kafka-topics.sh" ]] || {
      rm -rf -- "${staging}"
      die "${KAFKA_CLI_URL} has no bin/kafka-topics.sh: not a Kafka binary release"
    }
    printf '%s\n' "${KAFKA_CLI_SHA512}" >"${staging}/.sha512"
    chmod 755 "${staging}"
    rm -rf -- "${dest}"
    mv -- "${staging}" "${dest}"
    step_changed "kafka cli ${KAFKA_RELEASE}" "installed (sha512 verified)"
  fi
  if [[ "$(readlink "${KAFKA_CLIENT_ROOT}/current" 2>/dev/null || true)" == "${KAFKA_RELEASE}" ]]; then
    step_ok "link ${KAFKA_CLIENT_ROOT}/current" "unchanged"
  else
    ln -sfn -- "${KAFKA_RELEASE}" "${KAFKA_CLIENT_ROOT}/current"
    step_changed "link ${KAFKA_CLIENT_ROOT}/current" "-> ${KAFKA_RELEASE}"
  fi
}

# ---------------------------------------------------------------------------------------------
# The MSK IAM auth library in the release's libs/ (on the tools' classpath); older versions go.
# ---------------------------------------------------------------------------------------------
install_iam_auth() {
  local libs="${KAFKA_CLIENT_ROOT}/${KAFKA_RELEASE}/libs" jar stale
  jar="${libs}/${IAM_JAR}"
  if [[ -f "${jar}" && "$(sha256sum "${jar}" | cut -d' ' -f1)" == "${MSK_IAM_AUTH_SHA256}" ]]; then
    step_ok "msk iam auth ${IAM_JAR}" "unchanged"
  else
    fetch "${MSK_IAM_AUTH_URL}" "${WORK_DIR}/${IAM_JAR}"
    verify "${WORK_DIR}/${IAM_JAR}" sha256 "${MSK_IAM_AUTH_SHA256}"
    install -m 0644 -- "${WORK_DIR}/${IAM_JAR}" "${jar}"
    step_changed "msk iam auth ${IAM_JAR}" "installed (sha256 verified)"
  fi
  for stale in "${libs}"/aws-msk-iam-auth-*.jar; do
    if [[ -e "${stale}" && "${stale}" != "${jar}" ]]; then
      rm -f -- "${stale}"
      step_changed "msk iam auth $(basename "${stale}")" "removed (not the pinned version)"
    fi
  done
}

# write_if_changed FILE MODE LABEL : stdin becomes FILE unless FILE already holds exactly that.
write_if_changed() {
  local tmp="${WORK_DIR}/next"
  cat >"${tmp}"
  if [[ -f "$1" && "$(sha256sum <"${tmp}")" == "$(sha256sum <"$1")" ]]; then
    step_ok "$3" "unchanged"
  else
    mkdir -p -- "$(dirname "$1")"
    install -m "$2" -- "${tmp}" "$1"
    step_changed "$3" "written"
  fi
}

# ---------------------------------------------------------------------------------------------
# Client configuration: IAM sign-in with the instance role (no secret anywhere), and a login
# profile that puts the tools on PATH and names the brokers and the configuration.
# ---------------------------------------------------------------------------------------------
write_client_config() {
  write_if_changed "${KAFKA_CLIENT_CONFIG_DIR}/client.properties" 0644 "${KAFKA_CLIENT_CONFIG_DIR}/client.properties" <<'EOF'
# Written by kafka-client-bootstrap.sh: SASL/IAM over TLS with the instance role's credentials.
security.protocol=SASL_SSL
sasl.mechanism=AWS_MSK_IAM
sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;
sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler
EOF
  write_if_changed "${KAFKA_CLIENT_PROFILE}" 0644 "${KAFKA_CLIENT_PROFILE}" <<EOF
# Written by kafka-client-bootstrap.sh: the Kafka tools, the brokers and the client configuration.
export PATH="${KAFKA_CLIENT_ROOT}/current/bin:\${PATH}"
export KAFKA_BOOTSTRAP='${KAFKA_BOOTSTRAP_BROKERS}'
export KAFKA_CLIENT_CONFIG='${KAFKA_CLIENT_CONFIG_DIR}/client.properties'
export AWS_REGION='${AWS_REGION}'
EOF
}

main() {
  validate_env
  WORK_DIR="$(mktemp -d -t kafka-client-bootstrap.XXXXXXXX)"
  trap cleanup EXIT
  install_java
  install_kafka_cli
  install_iam_auth
  write_client_config
  log "kafka-client-bootstrap: done, ${CHANGES} change(s)"
}

main "$@"
