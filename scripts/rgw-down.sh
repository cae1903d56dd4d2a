#!/usr/bin/env bash
# Stop the cluster started by rgw-up.sh (same RGW_DIR). Signals only processes whose command line has
# `-c $RGW_DIR/ceph.conf`: the PIDs recorded in $RGW_DIR/run, and any daemon an interrupted rgw-up.sh
# started without recording it.
# RGW_KEEP=1 keeps the state/log dir, otherwise it is deleted.
# RGW_DOWN_TIMEOUT (default 10 s): grace period after SIGTERM before SIGKILL. 0 = SIGKILL at once
# (the data is thrown away anyway; radosgw alone takes ~6 s to stop on SIGTERM).
set -u
DIR=${RGW_DIR:-/tmp/ceph-rgw-s3}
TMO=${RGW_DOWN_TIMEOUT:-10}
[ -d "$DIR/run" ] || { echo "[rgw-down] nothing in $DIR" >&2; exit 0; }

# alive = exists and is not a zombie (a zombie is dead; whoever adopted it may reap it late)
alive() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
any_alive() { local p; for p in "$@"; do alive "$p" && return 0; done; return 1; }

pids=()
for name in radosgw radosgw-sts ceph-osd ceph-mon; do
  f=$DIR/run/$name.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$DIR/ceph.conf"; then
    pids+=("$pid")
  fi
done

# a daemon started by an interrupted rgw-up.sh may have missed its pid file: find it by its ceph.conf
if command -v pgrep >/dev/null; then
  for pid in $(pgrep -f -- "-c $DIR/ceph.conf" 2>/dev/null); do
    case " ${pids[*]} " in *" $pid "*) ;; *)
      if alive "$pid" && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qx -- "$DIR/ceph.conf"; then pids+=("$pid"); fi ;;
    esac
  done
fi

if [ ${#pids[@]} -gt 0 ]; then
  if [ "$TMO" -gt 0 ] 2>/dev/null; then
    # data is thrown away, so all daemons are stopped in parallel; wait, then SIGKILL stragglers
    kill -TERM "${pids[@]}" 2>/dev/null
    for _ in $(seq $((TMO * 10))); do any_alive "${pids[@]}" || break; sleep 0.1; done
    for pid in "${pids[@]}"; do
      if alive "$pid"; then echo "[rgw-down] pid $pid still running after ${TMO}s, SIGKILL" >&2; kill -KILL "$pid" 2>/dev/null; fi
    done
  else
    kill -KILL "${pids[@]}" 2>/dev/null
  fi
  # SIGKILL is asynchronous: wait (up to 10 s) until they are really gone
  for _ in $(seq 100); do any_alive "${pids[@]}" || break; sleep 0.1; done
  any_alive "${pids[@]}" && echo "[rgw-down] WARNING: some of ${pids[*]} still alive" >&2
  # and (up to 3 s) until their parent (init) has reaped the zombies, so pgrep shows nothing
  for _ in $(seq 30); do z=0; for pid in "${pids[@]}"; do [ -e "/proc/$pid" ] && z=1; done; [ $z = 0 ] && break; sleep 0.1; done
fi
rm -f "$DIR"/run/*.pid
echo "[rgw-down] stopped ${pids[*]:-nothing}" >&2
[ "${RGW_KEEP:-0}" = 1 ] || rm -rf "$DIR"
