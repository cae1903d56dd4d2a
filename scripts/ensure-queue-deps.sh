#!/usr/bin/env bash
# Make sure the programs the queue-mode test (npm run test:queue) needs are installed:
# PostgreSQL (initdb, pg_ctl, postgres) and Redis (redis-server), from Debian's packages.
#   - all present: exit 0 silently
#   - missing, running as root with apt-get: install them (quietly; log in $ENSURE_QUEUE_LOG).
#     Debian's packages would create and start a system PostgreSQL cluster and a Redis service;
#     neither is wanted (the test starts its own servers in its own folders on 127.0.0.1), so the
#     install runs with a policy-rc.d that forbids starting services and with
#     create_main_cluster = false.
#   - missing otherwise: exit 1 naming the install command
# Prints nothing on stdout. Env: ENSURE_QUEUE_LOG (default ${TMPDIR:-/tmp}/n8n-s3-storage-ensure-queue.log)
set -euo pipefail

PACKAGES=(postgresql redis-server)
INSTALL_CMD="apt-get update && apt-get install -y --no-install-recommends ${PACKAGES[*]}"
LOG=${ENSURE_QUEUE_LOG:-${TMPDIR:-/tmp}/n8n-s3-storage-ensure-queue.log}

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && { echo "$d"; return; }; done
  return 1
}
missing() {
  local out=()
  pg_bindir >/dev/null || out+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || out+=(redis-server)
  echo "${out[*]:-}"
}

m=$(missing)
[ -z "$m" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[ensure-queue] missing: $m" >&2
  echo "[ensure-queue] the queue-mode test needs PostgreSQL and Redis; install them as root with:" >&2
  echo "    $INSTALL_CMD" >&2
  exit 1
fi

echo "[ensure-queue] missing: $m; installing with apt-get (no services started), log: $LOG" >&2
T0=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
POLICY=/usr/sbin/policy-rc.d
made_policy=
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$POLICY" && chmod 755 "$POLICY" && made_policy=1
fi
made_conf=
if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  mkdir -p /etc/postgresql-common
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf && made_conf=1
fi
cleanup() { [ -n "$made_policy" ] && rm -f "$POLICY"; true; }
trap cleanup EXIT
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "${PACKAGES[@]}"; } >"$LOG" 2>&1; then
  echo "[ensure-queue] ERROR: apt-get failed; last lines of $LOG:" >&2
  tail -n 25 "$LOG" >&2
  echo "[ensure-queue] command was: $INSTALL_CMD" >&2
  exit 1
fi
[ -n "$made_conf" ] && echo "[ensure-queue] (left /etc/postgresql-common/createcluster.conf with create_main_cluster = false)" >&2

m=$(missing)
if [ -n "$m" ]; then
  echo "[ensure-queue] ERROR: still missing after install: $m (see $LOG)" >&2
  exit 1
fi
echo "[ensure-queue] installed in $(($(date +%s) - T0)) s: $("$(pg_bindir)/postgres" --version), $(redis-server --version | cut -d' ' -f1-3)" >&2
