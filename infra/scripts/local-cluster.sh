#!/usr/bin/env bash
# A 3-node Spindle cluster on this machine (configs/control.conf, gpu-a.conf, gpu-b.conf) on shared
# backends: redis-server on 6379, the embedded Mongo-wire server on 27017 and MinIO/S3Proxy on 9000
# (start them with redis-local.sh, mongo-embedded.sh and minio-local.sh first).
#   infra/scripts/local-cluster.sh start   # starts the three nodes in the background, logs in $DIR
#   infra/scripts/local-cluster.sh stop    # SIGTERM to each (graceful leave), waits for them to exit
#   infra/scripts/local-cluster.sh status
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${SPINDLE_CLUSTER_DIR:-/tmp/spindle-local-cluster}"
SPINDLE="${SPINDLE:-$ROOT/bin/spindle}"
NODES=(control gpu-a gpu-b)
mkdir -p "$DIR"

start() {
  for n in "${NODES[@]}"; do
    if [[ -f "$DIR/$n.pid" ]] && kill -0 "$(cat "$DIR/$n.pid")" 2>/dev/null; then
      echo "$n already runs (pid $(cat "$DIR/$n.pid"))"; continue
    fi
    SPINDLE_DATA_DIR="$DIR/$n" "$SPINDLE" node --config "$ROOT/configs/$n.conf" >"$DIR/$n.out" 2>"$DIR/$n.log" &
    echo $! >"$DIR/$n.pid"
    echo "$n started (pid $!), log $DIR/$n.log"
  done
  for n in "${NODES[@]}"; do
    for _ in $(seq 1 120); do grep -q " ready: " "$DIR/$n.out" 2>/dev/null && break; sleep 1; done
    grep " ready: " "$DIR/$n.out" || { echo "$n not ready; see $DIR/$n.log" >&2; exit 1; }
  done
}

stop() {
  for n in "${NODES[@]}"; do
    [[ -f "$DIR/$n.pid" ]] && kill -TERM "$(cat "$DIR/$n.pid")" 2>/dev/null || true
  done
  for n in "${NODES[@]}"; do
    if [[ -f "$DIR/$n.pid" ]]; then
      pid="$(cat "$DIR/$n.pid")"
      while kill -0 "$pid" 2>/dev/null; do sleep 1; done
      rm -f "$DIR/$n.pid"; echo "$n stopped"
    fi
  done
}

status() {
  for n in "${NODES[@]}"; do
    if [[ -f "$DIR/$n.pid" ]] && kill -0 "$(cat "$DIR/$n.pid")" 2>/dev/null; then echo "$n runs (pid $(cat "$DIR/$n.pid"))"; else echo "$n stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
