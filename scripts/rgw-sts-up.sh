#!/usr/bin/env bash
# Adds a second radosgw with STS turned on (AssumeRole on its S3 endpoint) to a cluster started by
# rgw-up.sh: same RGW_DIR, so the same users, buckets and roles (radosgw-admin role create). The
# first radosgw keeps STS off: with STS on, RGW rejects a request whose x-amz-security-token it
# did not issue, which the secrets suite sends on purpose.
# Usage:  eval "$(RGW_DIR=... STS_PORT=... rgw-sts-up.sh)"   (stdout: "export S3_STS_ENDPOINT=...")
# Env:    RGW_DIR       the rgw-up.sh cluster (default /tmp/ceph-rgw-s3)
#         STS_PORT      port of the STS-enabled S3 endpoint (required)
#         RGW_STS_KEY   16-character key that encrypts session tokens (default: random)
#         RGW_STS_MIN_SESSION_DURATION  shortest session RGW grants, seconds (default 900, as RGW)
#         RGW_TIMEOUT   seconds to wait for it to answer (default 60)
# Stopped by rgw-down.sh with the rest of the cluster (pid in $RGW_DIR/run/radosgw-sts.pid).
set -euo pipefail
DIR=${RGW_DIR:-/tmp/ceph-rgw-s3}
PORT=${STS_PORT:?STS_PORT is required}
KEY=${RGW_STS_KEY:-$(head -c 256 /dev/urandom | tr -dc 'a-zA-Z0-9' | head -c 16)}
MIN=${RGW_STS_MIN_SESSION_DURATION:-900}
TMO=${RGW_TIMEOUT:-60}
CONF=$DIR/ceph.conf
log() { echo "[rgw-sts-up $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; [ -s "$DIR/out/rgw-sts.log" ] && tail -n 15 "$DIR/out/rgw-sts.log" >&2; exit 1; }
[ -f "$CONF" ] || die "no cluster in $DIR (run rgw-up.sh first)"
[ ${#KEY} = 16 ] || die "RGW_STS_KEY must be 16 characters"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then die "port $PORT on 127.0.0.1 already in use"; fi
export CEPH_CONF=$CONF CEPH_KEYRING=$DIR/keyring
# a gateway started earlier on this cluster (another test file): stop it, then (re)write its section
if [ -f "$DIR/run/radosgw-sts.pid" ]; then
  old=$(cat "$DIR/run/radosgw-sts.pid")
  if kill -0 "$old" 2>/dev/null && tr '\0' ' ' <"/proc/$old/cmdline" 2>/dev/null | grep -q -- "$CONF"; then
    kill -KILL "$old" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$DIR/run/radosgw-sts.pid"
fi
sed -i '/^\[client.rgw.sts\]/,$d' "$CONF"   # the section is always the last one
cat >>"$CONF" <<CONF
[client.rgw.sts]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw-sts
rgw thread pool size = 16
rgw dns name = localhost
rgw enable usage log = false
log file = $DIR/out/rgw-sts.log
rgw s3 auth use sts = true
rgw sts key = $KEY
rgw sts min session duration = $MIN
CONF
if ! grep -q '^\[client.rgw.sts\]' "$DIR/keyring"; then
  ceph auth get-or-create client.rgw.sts mon 'allow rw' osd 'allow rwx' mgr 'allow rw' >>"$DIR/keyring" 2>/dev/null || die "rgw-sts key failed"
fi
mkdir -p "$DIR/rgw-sts"
setsid radosgw -f -n client.rgw.sts -c "$CONF" </dev/null >"$DIR/out/rgw-sts.stderr" 2>&1 &
echo $! >"$DIR/run/radosgw-sts.pid"
for _ in $(seq $((TMO * 2))); do
  if curl -s -o /dev/null -m 2 "http://127.0.0.1:$PORT/"; then
    log "STS-enabled S3 on http://127.0.0.1:$PORT (pid $(cat "$DIR/run/radosgw-sts.pid"))"
    echo "export S3_STS_ENDPOINT=http://127.0.0.1:$PORT"
    exit 0
  fi
  kill -0 "$(cat "$DIR/run/radosgw-sts.pid")" 2>/dev/null || die "radosgw (sts) died"
  sleep 0.5
done
die "radosgw (sts) not answering on 127.0.0.1:$PORT after ${TMO}s"
