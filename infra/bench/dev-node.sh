# Sourced by the benchmark scripts here: a fresh `spindle dev` in a private work dir, stopped and cleaned up on exit.
#
#   bench_work_dir NAME      creates $work (mktemp under /tmp) and sets the exit trap
#   start_dev_node PORT      starts bin/spindle dev on a fresh data dir in $work, waits until it says ready ($node_pid)
#   stop_dev_node            stops it (SIGTERM) and waits
#
# KEEP=1 keeps the work dir. Needs $repo (the checkout) set by the caller.

READY_TIMEOUT_S="${READY_TIMEOUT_S:-180}"
work=""
node_pid=""

stop_dev_node() {
  if [[ -n "$node_pid" ]] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  node_pid=""
}

bench_cleanup() {
  stop_dev_node
  if [[ "${KEEP:-0}" == 1 ]]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}

bench_work_dir() {
  work="$(mktemp -d "/tmp/spindle-$1.XXXXXX")"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

start_dev_node() {
  local port="$1" i
  "$repo/bin/spindle" dev --data "$work/data" --port "$port" >"$work/dev.log" 2>&1 &
  node_pid=$!
  for ((i = 0; i < READY_TIMEOUT_S; i++)); do
    grep -q "ready" "$work/dev.log" 2>/dev/null && return 0
    kill -0 "$node_pid" 2>/dev/null || { cat "$work/dev.log" >&2; echo "spindle dev exited" >&2; exit 1; }
    sleep 1
  done
  echo "spindle dev not ready after ${READY_TIMEOUT_S}s" >&2
  exit 1
}

# What the measured node runs, for a report's header: the jar SPINDLE_JAR names (perhaps another build's), else the
# checkout's commit.
spindle_build() {
  if [[ -n "${SPINDLE_JAR:-}" ]]; then
    echo "$SPINDLE_JAR"
  else
    git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'
  fi
}
