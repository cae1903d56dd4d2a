#!/usr/bin/env bash
# Make sure the programs scripts/rgw-up.sh needs (a single-node Ceph RADOS Gateway) are installed.
#   - all present: exit 0 silently
#   - missing, running as root with apt-get: install them (quietly; output logged to $ENSURE_CEPH_LOG)
#   - missing otherwise: exit 1 naming the install command
# Env: ENSURE_CEPH_LOG  log file for apt-get (default ${TMPDIR:-/tmp}/n8n-s3-storage-ensure-ceph.log)
set -euo pipefail

INSTALL_CMD='apt-get update && apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd curl uuid-runtime'
LOG=${ENSURE_CEPH_LOG:-${TMPDIR:-/tmp}/n8n-s3-storage-ensure-ceph.log}
NEEDED=(radosgw ceph-mon ceph-osd radosgw-admin ceph ceph-authtool monmaptool uuidgen curl)

missing_bins() {
  local b out=()
  for b in "${NEEDED[@]}"; do command -v "$b" >/dev/null 2>&1 || out+=("$b"); done
  # rgw-up.sh parses `ceph osd dump -f json` with /usr/bin/python3 (a dependency of ceph-common)
  [ -x /usr/bin/python3 ] || out+=(/usr/bin/python3)
  echo "${out[*]:-}"
}

missing=$(missing_bins)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[ensure-ceph] missing: $missing" >&2
  echo "[ensure-ceph] the tests need a local Ceph RGW; install it as root with:" >&2
  echo "    $INSTALL_CMD" >&2
  echo "[ensure-ceph] (or point the tests at an existing S3 server with S3_TEST_ENDPOINT, S3_TEST_ACCESS_KEY_ID, S3_TEST_SECRET_ACCESS_KEY)" >&2
  exit 1
fi

echo "[ensure-ceph] missing: $missing; installing Ceph (radosgw ceph-mon ceph-osd) with apt-get, log: $LOG" >&2
T0=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends radosgw ceph-mon ceph-osd curl uuid-runtime; } >"$LOG" 2>&1; then
  echo "[ensure-ceph] ERROR: apt-get failed; last lines of $LOG:" >&2
  tail -n 25 "$LOG" >&2
  echo "[ensure-ceph] command was: $INSTALL_CMD" >&2
  exit 1
fi

missing=$(missing_bins)
if [ -n "$missing" ]; then
  echo "[ensure-ceph] ERROR: still missing after install: $missing (see $LOG)" >&2
  exit 1
fi
echo "[ensure-ceph] installed in $(($(date +%s) - T0)) s: $(ceph --version 2>/dev/null || echo ceph)" >&2
