#!/usr/bin/env bash
# Downloads every source of connectors/manifest.yaml, verifies its sha256 and builds the plugin
# artifacts (connectors/artifacts/*.jar|zip) that cdktf uploads to S3.
#
#   bash scripts/download-connectors.sh
#
# - JAR plugin: the verified download, copied.
# - ZIP plugin: the .jar files of every `unpack: true` source (at any depth) plus every other
#   source, flat at the ZIP's root, zipped deterministically (sorted entries, fixed timestamps,
#   no extra attributes) so the same inputs always give the same bytes - and the same S3 etag.
# - Idempotent: verified downloads are kept in connectors/artifacts/.cache/<sha256>; an artifact
#   whose recorded sources match the manifest is left alone and nothing is downloaded again.
# - A checksum mismatch deletes the download and fails, naming the url, expected and actual hash.
#
# Environment:
#   PIPELINE_ROOT         project root holding connectors/ (default: this script's parent dir)
#   CONNECTOR_URL_REWRITE "<from-prefix>=<to-prefix>": rewrites download URLs (tests, mirrors),
#                         e.g. "https://github.com/=http://127.0.0.1:8080/". The manifest's URL
#                         and checksum stay the contract; only where the bytes come from changes.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "${SCRIPT_DIR}/.." && pwd)"
ROOT="$(cd "${PIPELINE_ROOT:-${PROJECT_DIR}}" && pwd)"
CONNECTORS_DIR="${ROOT}/connectors"
MANIFEST="${CONNECTORS_DIR}/manifest.yaml"
ARTIFACTS_DIR="${CONNECTORS_DIR}/artifacts"
CACHE_DIR="${ARTIFACTS_DIR}/.cache"
# 2000-01-01 00:00 UTC: every ZIP entry gets this timestamp.
FIXED_TOUCH_TIME="200001010000"

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in curl sha256sum unzip zip; do
  command -v "${tool}" >/dev/null 2>&1 || die "${tool} is required (apt-get install ${tool})"
done
[[ -f "${MANIFEST}" ]] || die "no manifest at ${MANIFEST}"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

rewrite_url() {
  local url="$1"
  if [[ -n "${CONNECTOR_URL_REWRITE:-}" ]]; then
    local from="${CONNECTOR_URL_REWRITE%%=*}" to="${CONNECTOR_URL_REWRITE#*=}"
    if [[ "${url}" == "${from}"* ]]; then
      url="${to}${url#"${from}"}"
    fi
  fi
  printf '%s' "${url}"
}

# fetch URL SHA256: leaves a verified copy at ${CACHE_DIR}/SHA256 (downloads only when needed).
fetch() {
  local url="$1" expected="$2"
  local cached="${CACHE_DIR}/${expected}"
  if [[ -f "${cached}" ]] && [[ "$(sha256_of "${cached}")" == "${expected}" ]]; then
    return 0
  fi
  rm -f "${cached}"
  local from part actual
  from="$(rewrite_url "${url}")"
  part="$(mktemp "${CACHE_DIR}/download.XXXXXX")"
  log "downloading ${url}"
  if ! curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -o "${part}" "${from}"; then
    rm -f "${part}"
    log "error: download failed: ${url}"
    return 1
  fi
  actual="$(sha256_of "${part}")"
  if [[ "${actual}" != "${expected}" ]]; then
    rm -f "${part}"
    log "error: checksum mismatch for ${url}"
    log "  expected sha256 ${expected}"
    log "  actual   sha256 ${actual}"
    if [[ "${expected}" =~ ^0+$ ]]; then
      log "  (the manifest's checksum is not pinned yet: verify the file, then put the actual value in ${MANIFEST})"
    fi
    return 1
  fi
  mv "${part}" "${cached}"
}

# The stamp records what an artifact was built from and the artifact's own hash.
stamp_path() { printf '%s/.%s.sources' "${ARTIFACTS_DIR}" "$(basename "$1")"; }

is_current() {
  local artifact="$1" sources="$2" stamp
  stamp="$(stamp_path "${artifact}")"
  [[ -f "${artifact}" && -f "${stamp}" ]] || return 1
  [[ "$(head -n -1 "${stamp}")" == "${sources}" ]] || return 1
  [[ "$(tail -n 1 "${stamp}")" == "artifact $(sha256_of "${artifact}")" ]]
}

# build_plugin NAME CONTENT_TYPE FILE SOURCES (lines "sha256 unpack url")
build_plugin() {
  local name="$1" content_type="$2" file="$3" sources="$4"
  local artifact="${CONNECTORS_DIR}/${file}"
  if is_current "${artifact}" "${sources}"; then
    log "${name}: ${file} is up to date"
    return 0
  fi
  # Whatever is there was built from other sources: it must not survive a failed build.
  rm -f "${artifact}" "$(stamp_path "${artifact}")"

  local sha unpack url
  while read -r sha unpack url; do
    fetch "${url}" "${sha}" || return 1
  done <<< "${sources}"

  local tmp
  tmp="$(mktemp -d "${ARTIFACTS_DIR}/.build.XXXXXX")"
  if [[ "${content_type}" == "JAR" ]]; then
    read -r sha unpack url <<< "${sources}"
    cp "${CACHE_DIR}/${sha}" "${tmp}/artifact.out"
  else
    mkdir -p "${tmp}/content" "${tmp}/unpacked"
    local i=0 jar base
    while read -r sha unpack url; do
      i=$((i + 1))
      if [[ "${unpack}" == "1" ]]; then
        mkdir -p "${tmp}/unpacked/${i}"
        if ! unzip -qq "${CACHE_DIR}/${sha}" -d "${tmp}/unpacked/${i}"; then
          log "error: ${name}: ${url} is not a readable ZIP archive"
          rm -rf "${tmp}"
          return 1
        fi
        while IFS= read -r -d '' jar; do
          base="$(basename "${jar}")"
          if [[ -e "${tmp}/content/${base}" ]]; then
            log "error: ${name}: two sources provide ${base}"
            rm -rf "${tmp}"
            return 1
          fi
          cp "${jar}" "${tmp}/content/${base}"
        done < <(find "${tmp}/unpacked/${i}" -type f -name '*.jar' -print0)
      else
        base="$(basename "${url%%\?*}")"
        if [[ -e "${tmp}/content/${base}" ]]; then
          log "error: ${name}: two sources provide ${base}"
          rm -rf "${tmp}"
          return 1
        fi
        cp "${CACHE_DIR}/${sha}" "${tmp}/content/${base}"
      fi
    done <<< "${sources}"
    if [[ -z "$(ls -A "${tmp}/content")" ]]; then
      log "error: ${name}: the sources contain no .jar file"
      rm -rf "${tmp}"
      return 1
    fi
    chmod 0644 "${tmp}/content"/*
    if ! (
      set -eo pipefail
      cd "${tmp}/content"
      export TZ=UTC
      find . -maxdepth 1 -type f -exec touch -t "${FIXED_TOUCH_TIME}" {} +
      find . -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort | zip -q -X -D -9 "${tmp}/artifact.out" -@
    ); then
      log "error: ${name}: zip failed"
      rm -rf "${tmp}"
      return 1
    fi
  fi
  mv "${tmp}/artifact.out" "${artifact}" || { rm -rf "${tmp}"; return 1; }
  rm -rf "${tmp}"
  { printf '%s\n' "${sources}"; printf 'artifact %s\n' "$(sha256_of "${artifact}")"; } > "$(stamp_path "${artifact}")"
  log "${name}: built ${file} (sha256 $(sha256_of "${artifact}"))"
}

mkdir -p "${ARTIFACTS_DIR}" "${CACHE_DIR}"

listing="$(cd "${PROJECT_DIR}" && npx --no-install tsx scripts/plugin-sources.ts "${MANIFEST}")" \
  || die "cannot read ${MANIFEST}"

failed=()
current="" current_type="" current_file="" current_sources=""
flush() {
  if [[ -n "${current}" ]]; then
    build_plugin "${current}" "${current_type}" "${current_file}" "${current_sources}" || failed+=("${current}")
  fi
}
while IFS=$'\t' read -r plugin content_type file url sha unpack; do
  [[ -n "${plugin}" ]] || continue
  if [[ "${plugin}" != "${current}" ]]; then
    flush
    current="${plugin}" current_type="${content_type}" current_file="${file}" current_sources=""
  fi
  current_sources+="${current_sources:+$'\n'}${sha} ${unpack} ${url}"
done <<< "${listing}"
flush

if (( ${#failed[@]} > 0 )); then
  die "plugins not built: ${failed[*]}"
fi
log "all plugins are in ${ARTIFACTS_DIR}"
