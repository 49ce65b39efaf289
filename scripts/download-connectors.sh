#!/usr/bin/env bash
# Downloads every source of connectors/manifest.yaml, verifies it against connectors/manifest.lock.json
# (or pins it there on first download) and builds the plugin artifacts (connectors/artifacts/*.jar|zip)
# that cdktf uploads to S3.
#
#   bash scripts/download-connectors.sh [--frozen] [--used-only]   (--used-only: the plugins configs/ uses)
#
# Pinning, like terraform's .terraform.lock.hcl or Go's go.sum (the release pages publish no
# checksums):
# - A source with a pin in the lock is verified; a mismatch deletes the download and fails, naming
#   the pinned and the downloaded sha256.
# - A source without a pin is downloaded and its sha256 recorded in the lock, and so is the
#   artifact built from the sources; a notice says to review and commit the lock. A plugin whose
#   version or source URLs changed in the manifest has lost its pins and is pinned again.
# - --frozen (CI, production) never records: a missing pin is an error.
# - The artifact must contain every class of its connector_classes, config_providers and converters.
#
# - JAR plugin: the verified download, copied.
# - ZIP plugin: the .jar files of every `unpack: true` source (a .zip, or a .tar.gz / .tgz by its
#   URL, e.g. Camel's -package.tar.gz on Maven Central; at any depth) plus every other source,
#   flat at the ZIP's root, zipped deterministically (sorted entries, fixed timestamps,
#   no extra attributes) so the same inputs always give the same bytes - and the same pin.
# - Idempotent: verified downloads are kept in connectors/artifacts/.cache/<sha256>; an artifact
#   that matches its pin and was built from the pinned sources is left alone.
# - Output: one line per plugin ("<name> <version>: <what happened>"), then a notice when the lock
#   changed; exit 1 when a plugin could not be built.
#
# Environment:
#   PIPELINE_ROOT         project root holding connectors/ (default: this script's parent dir)
#   CONNECTOR_URL_REWRITE "<from-prefix>=<to-prefix> ...": rewrites download URLs (tests, mirrors),
#                         e.g. "https://github.com/=http://127.0.0.1:8080/"; several pairs are
#                         separated by spaces, the first matching prefix wins. The manifest's URL
#                         and the lock's pin stay the contract; only where the bytes come from changes.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "${SCRIPT_DIR}/.." && pwd)"
ROOT="$(cd "${PIPELINE_ROOT:-${PROJECT_DIR}}" && pwd)"
CONNECTORS_DIR="${ROOT}/connectors"
MANIFEST="${CONNECTORS_DIR}/manifest.yaml"
LOCK_DISPLAY="connectors/manifest.lock.json"
ARTIFACTS_DIR="${CONNECTORS_DIR}/artifacts"
CACHE_DIR="${ARTIFACTS_DIR}/.cache"
# 2000-01-01 00:00 UTC: every ZIP entry gets this timestamp.
FIXED_TOUCH_TIME="200001010000"

FROZEN=0
USED_ONLY=()
for arg in "$@"; do
  case "${arg}" in
    --frozen) FROZEN=1 ;;
    # Only the plugins a file of configs/connectors or configs/processors names (what synth.sh
    # builds: the example kinds' plugins are not downloaded until a connector uses them).
    --used-only) USED_ONLY=(--used-only) ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) printf 'error: unknown argument %s (usage: bash scripts/download-connectors.sh [--frozen] [--used-only])\n' "${arg}" >&2; exit 2 ;;
  esac
done

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
progress() { if [[ -t 2 ]]; then log "  $*"; fi; }

for tool in curl sha256sum tar unzip zip; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is required (apt-get install ${tool})"
done
[[ -f "${MANIFEST}" ]] || die "no manifest at ${MANIFEST}"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

rewrite_url() {
  local url="$1" pair from to
  # Several "<from>=<to>" pairs, separated by spaces (URLs hold none); the first match wins.
  for pair in ${CONNECTOR_URL_REWRITE:-}; do
    from="${pair%%=*}" to="${pair#*=}"
    if [[ "${url}" == "${from}"* ]]; then
      url="${to}${url#"${from}"}"
      break
    fi
  done
  printf '%s' "${url}"
}

# Set by fetch: the sha256 of the verified download, and why it failed.
FETCHED="" REASON=""
# Hosts that could not be reached in this run, with the reason: not tried again.
declare -A UNREACHABLE=()
# New pins of this run, for the lock: "source<TAB>plugin<TAB>url<TAB>sha256", "artifact<TAB>plugin<TAB>sha256".
RESULTS=""

# fetch PLUGIN URL PIN: leaves a verified copy at ${CACHE_DIR}/<sha256> and sets FETCHED. With a pin
# ("-" = none) the download must match it; without one it is downloaded and recorded.
fetch() {
  local plugin="$1" url="$2" pin="$3"
  FETCHED="" REASON=""
  if [[ "${pin}" != "-" && -f "${CACHE_DIR}/${pin}" ]] && [[ "$(sha256_of "${CACHE_DIR}/${pin}")" == "${pin}" ]]; then
    FETCHED="${pin}"
    return 0
  fi
  [[ "${pin}" == "-" ]] || rm -f "${CACHE_DIR}/${pin}"
  local from host part code rc attempt actual
  from="$(rewrite_url "${url}")"
  host="${from#*://}"
  host="${host%%/*}"
  if [[ -n "${UNREACHABLE[${host}]:-}" ]]; then
    REASON="${UNREACHABLE[${host}]}"
    return 1
  fi
  part="$(mktemp "${CACHE_DIR}/download.XXXXXX")"
  progress "downloading ${url}"
  # Retried only when the host answered or timed out (a name that does not resolve stays so).
  for attempt in 1 2 3; do
    rc=0
    code="$(curl -fsL --connect-timeout 20 -o "${part}" -w '%{http_code}' "${from}" 2>/dev/null)" || rc=$?
    if (( rc == 28 )) || { (( rc == 22 )) && [[ "${code}" =~ ^(408|429|5..)$ ]]; }; then
      (( attempt == 3 )) || { sleep 2; continue; }
    fi
    break
  done
  if (( rc != 0 )); then
    rm -f "${part}"
    case "${rc}" in
      6) REASON="cannot reach ${host} (could not resolve the host name)" ;;
      7) REASON="cannot reach ${host} (connection refused or no route)" ;;
      28) REASON="cannot reach ${host} (timed out)" ;;
      35|51|58|59|60|77|83) REASON="cannot reach ${host} (TLS handshake or certificate failed)" ;;
      22) REASON="${host} answered HTTP ${code} for ${url}" ;;
      *) REASON="download from ${host} failed (curl exit ${rc}) for ${url}" ;;
    esac
    if (( rc == 6 || rc == 7 || rc == 28 )); then UNREACHABLE[${host}]="${REASON}"; fi
    return 1
  fi
  actual="$(sha256_of "${part}")"
  if [[ "${pin}" != "-" && "${actual}" != "${pin}" ]]; then
    rm -f "${part}"
    REASON="checksum mismatch for ${url}: pinned sha256 ${pin} in ${LOCK_DISPLAY}, downloaded sha256 ${actual}; the download was deleted"
    return 1
  fi
  mv "${part}" "${CACHE_DIR}/${actual}"
  if [[ "${pin}" == "-" ]]; then
    RESULTS+="source"$'\t'"${plugin}"$'\t'"${url}"$'\t'"${actual}"$'\n'
  fi
  FETCHED="${actual}"
}

# The stamp records what an artifact was built from (lines "sha256 unpack url") and its own hash.
stamp_path() { printf '%s/.%s.sources' "${ARTIFACTS_DIR}" "$(basename "$1")"; }

# is_current ARTIFACT SOURCES ARTIFACT_PIN: built from exactly these pinned sources, and matches its pin.
is_current() {
  local artifact="$1" sources="$2" artifact_pin="$3" stamp
  stamp="$(stamp_path "${artifact}")"
  [[ "${artifact_pin}" != "-" && -f "${artifact}" && -f "${stamp}" ]] || return 1
  [[ "$(head -n -1 "${stamp}")" == "${sources}" ]] || return 1
  [[ "$(tail -n 1 "${stamp}")" == "artifact ${artifact_pin}" ]] || return 1
  [[ "$(sha256_of "${artifact}")" == "${artifact_pin}" ]]
}

# class_missing DIR CLASSES: prints the first class (a.b.C) that no .jar under DIR (or DIR's jar) holds.
class_missing() {
  local dir="$1" classes="$2" listing cls
  listing="$(find "${dir}" -maxdepth 1 -type f -print0 | xargs -0 -r -n1 unzip -Z1 2>/dev/null || true)"
  local IFS=','
  for cls in ${classes}; do
    if ! grep -qxF "${cls//.//}.class" <<< "${listing}"; then
      printf '%s' "${cls}"
      return 0
    fi
  done
  return 1
}

# build_plugin NAME VERSION CONTENT_TYPE FILE SOURCES ARTIFACT_PIN CLASSES
#   SOURCES: lines "pin unpack url" (pin "-" = not pinned). Prints one status line; returns 1 on failure.
build_plugin() {
  local name="$1" version="$2" content_type="$3" file="$4" sources="$5" artifact_pin="$6" classes="$7"
  local artifact="${CONNECTORS_DIR}/${file}"
  local say="${name} ${version}:"
  if is_current "${artifact}" "${sources}" "${artifact_pin}"; then
    log "${say} up to date (${file} matches its pin)"
    return 0
  fi
  if (( FROZEN )); then
    local pin unpack url
    while read -r pin unpack url; do
      if [[ "${pin}" == "-" ]]; then
        log "${say} not built: ${url} has no pin in ${LOCK_DISPLAY} and --frozen records none (run without --frozen, review and commit the lock)"
        return 1
      fi
    done <<< "${sources}"
    if [[ "${artifact_pin}" == "-" ]]; then
      log "${say} not built: ${file} has no pin in ${LOCK_DISPLAY} and --frozen records none (run without --frozen, review and commit the lock)"
      return 1
    fi
  fi
  # Whatever is there was built from other sources or does not match its pin: it must not survive.
  rm -f "${artifact}" "$(stamp_path "${artifact}")"

  local pin unpack url built="" fetched=0 before
  while read -r pin unpack url; do
    before="${RESULTS}"
    if ! fetch "${name}" "${url}" "${pin}"; then
      log "${say} not built: ${REASON}"
      return 1
    fi
    [[ "${RESULTS}" == "${before}" ]] || fetched=$((fetched + 1))
    built+="${built:+$'\n'}${FETCHED} ${unpack} ${url}"
  done <<< "${sources}"

  local tmp
  tmp="$(mktemp -d "${ARTIFACTS_DIR}/.build.XXXXXX")"
  mkdir -p "${tmp}/content"
  local sha jar base
  if [[ "${content_type}" == "JAR" ]]; then
    read -r sha unpack url <<< "${built}"
    cp "${CACHE_DIR}/${sha}" "${tmp}/content/$(basename "${file}")"
  else
    mkdir -p "${tmp}/unpacked"
    local i=0
    while read -r sha unpack url; do
      i=$((i + 1))
      if [[ "${unpack}" == "1" ]]; then
        mkdir -p "${tmp}/unpacked/${i}"
        case "${url%%\?*}" in
          *.tar.gz|*.tgz)
            # --no-same-owner/--no-same-permissions: files as the current user, whatever the archive says.
            if ! tar -xzf "${CACHE_DIR}/${sha}" -C "${tmp}/unpacked/${i}" --no-same-owner --no-same-permissions 2>/dev/null; then
              log "${say} not built: ${url} is not a readable tar.gz archive"
              rm -rf "${tmp}"
              return 1
            fi
            ;;
          *)
            if ! unzip -qq "${CACHE_DIR}/${sha}" -d "${tmp}/unpacked/${i}" 2>/dev/null; then
              log "${say} not built: ${url} is not a readable ZIP archive"
              rm -rf "${tmp}"
              return 1
            fi
            ;;
        esac
        while IFS= read -r -d '' jar; do
          base="$(basename "${jar}")"
          if [[ -e "${tmp}/content/${base}" ]]; then
            log "${say} not built: two sources provide ${base}"
            rm -rf "${tmp}"
            return 1
          fi
          cp "${jar}" "${tmp}/content/${base}"
        done < <(find "${tmp}/unpacked/${i}" -type f -name '*.jar' -print0)
      else
        base="$(basename "${url%%\?*}")"
        if [[ -e "${tmp}/content/${base}" ]]; then
          log "${say} not built: two sources provide ${base}"
          rm -rf "${tmp}"
          return 1
        fi
        cp "${CACHE_DIR}/${sha}" "${tmp}/content/${base}"
      fi
    done <<< "${built}"
    if [[ -z "$(ls -A "${tmp}/content")" ]]; then
      log "${say} not built: the sources contain no .jar file"
      rm -rf "${tmp}"
      return 1
    fi
  fi
  local missing
  if missing="$(class_missing "${tmp}/content" "${classes}")"; then
    log "${say} not built: no ${missing} in the downloaded jars (connector_classes / config_providers / converters of connectors/manifest.yaml)"
    rm -rf "${tmp}"
    return 1
  fi
  if [[ "${content_type}" == "JAR" ]]; then
    mv "${tmp}/content/$(basename "${file}")" "${tmp}/artifact.out"
  else
    chmod 0644 "${tmp}/content"/*
    if ! (
      set -eo pipefail
      cd "${tmp}/content"
      export TZ=UTC
      find . -maxdepth 1 -type f -exec touch -t "${FIXED_TOUCH_TIME}" {} +
      find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort | zip -q -X -D -9 "${tmp}/artifact.out" -@
    ); then
      log "${say} not built: zip failed"
      rm -rf "${tmp}"
      return 1
    fi
  fi
  local actual
  actual="$(sha256_of "${tmp}/artifact.out")"
  if [[ "${artifact_pin}" != "-" && "${actual}" != "${artifact_pin}" ]]; then
    log "${say} not built: the built ${file} has sha256 ${actual}, but ${LOCK_DISPLAY} pins ${artifact_pin}; it was deleted (a different zip build? remove the plugin's entry from the lock to pin it again)"
    rm -rf "${tmp}"
    return 1
  fi
  mv "${tmp}/artifact.out" "${artifact}" || { rm -rf "${tmp}"; return 1; }
  rm -rf "${tmp}"
  { printf '%s\n' "${built}"; printf 'artifact %s\n' "${actual}"; } > "$(stamp_path "${artifact}")"
  if [[ "${artifact_pin}" == "-" ]]; then
    RESULTS+="artifact"$'\t'"${name}"$'\t'"${actual}"$'\n'
    log "${say} built ${file} (sha256 ${actual}); pinned now: ${fetched} download(s) and the artifact"
  else
    log "${say} built ${file} (sha256 ${actual}), verified against the lock"
  fi
}

mkdir -p "${ARTIFACTS_DIR}" "${CACHE_DIR}"

listing="$(cd "${PROJECT_DIR}" && npx --no-install tsx scripts/plugin-sources.ts list "${USED_ONLY[@]}" "${MANIFEST}")" \
  || die "cannot read ${MANIFEST} or its lock"

failed=() total=0
current="" c_version="" c_type="" c_file="" c_sources="" c_artifact="" c_classes=""
flush() {
  if [[ -n "${current}" ]]; then
    total=$((total + 1))
    build_plugin "${current}" "${c_version}" "${c_type}" "${c_file}" "${c_sources}" "${c_artifact}" "${c_classes}" || failed+=("${current}")
  fi
}
while IFS=$'\t' read -r plugin version content_type file url pin unpack artifact_pin classes; do
  [[ -n "${plugin}" ]] || continue
  if [[ "${plugin}" != "${current}" ]]; then
    flush
    current="${plugin}" c_version="${version}" c_type="${content_type}" c_file="${file}" c_sources=""
    c_artifact="${artifact_pin}" c_classes="${classes}"
  fi
  c_sources+="${c_sources:+$'\n'}${pin} ${unpack} ${url}"
done <<< "${listing}"
flush

# Record what this run pinned (also after a partial failure: a verified download stays pinned).
if (( ! FROZEN )) && [[ -n "${RESULTS}" ]]; then
  results_file="$(mktemp "${ARTIFACTS_DIR}/.results.XXXXXX")"
  printf '%s' "${RESULTS}" > "${results_file}"
  changed="$(cd "${PROJECT_DIR}" && npx --no-install tsx scripts/plugin-sources.ts record "${MANIFEST}" "${results_file}")" \
    || { rm -f "${results_file}"; die "could not write ${LOCK_DISPLAY}"; }
  rm -f "${results_file}"
  if [[ -n "${changed}" ]]; then
    log "notice: new pins recorded in ${LOCK_DISPLAY}: review them (e.g. against a download on another machine) and commit the file"
  fi
fi

if (( ${#failed[@]} > 0 )); then
  die "${#failed[@]} of ${total} plugins not built: ${failed[*]}"
fi
