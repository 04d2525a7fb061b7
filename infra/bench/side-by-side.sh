#!/usr/bin/env bash
# Spindle next to its peers (Celery, BullMQ), in one run on this machine, printing one table.
#
#   infra/bench/side-by-side.sh PEERS_DIR          (or PEERS_DIR=... infra/bench/side-by-side.sh)
#
# PEERS_DIR is the peers harness (run_peers.sh, py_driver.py, bullmq/ …; its README says what it
# needs: apt-get install -y redis-server python3-celery python3-redis python3-rq, node + npm). It is
# copied into a work dir first, since it may be read-only; `npm ci` runs in the copy when the copy
# has no bullmq/node_modules yet.
#
# Spindle: a fresh `spindle dev` (fresh data dir) and `spindle bench --noop` on echo-java (the dev
# node's 2 Java built-in workers): WARMUP jobs unmeasured (enough for the JIT to compile the hot
# path: a node is a long-running server, and with 200 the compiler threads were a quarter of the
# measured CPU), then N measured. Peers: run_peers.sh with
# the same N (its own warm-up of 100, 2 workers' worth of concurrency). The node's CPU per job is its
# process's user+sys time (/proc/<pid>/stat) over the measured burst, divided by the jobs finished.
#
# Knobs (env): N=2000 WARMUP=3000 CONCURRENCY=32 PEERS="celery bullmq" N_SLEEP=100 (the peers' 50 ms
# scenario, not in the table) PORT=18480 SPINDLE_JAR (as bin/spindle) KEEP=1 (keep the work dir).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PEERS_DIR="${1:-${PEERS_DIR:-}}"
N="${N:-2000}"
WARMUP="${WARMUP:-3000}"
CONCURRENCY="${CONCURRENCY:-32}"
PEERS="${PEERS:-celery bullmq}"
N_SLEEP="${N_SLEEP:-100}"
PORT="${PORT:-18480}"
CONFIG=echo-java

if [[ -z "$PEERS_DIR" || ! -x "$PEERS_DIR/run_peers.sh" ]]; then
  echo "usage: $0 PEERS_DIR  (the peers harness with run_peers.sh; or set PEERS_DIR)" >&2
  exit 2
fi
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"

# shellcheck source=dev-node.sh
source "$here/dev-node.sh"
bench_work_dir side-by-side

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
say() { echo "side-by-side: $*" >&2; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- Spindle -----------------------------------------------------------------------------------
say "starting spindle dev on a fresh data dir ($work/data), port $PORT"
start_dev_node "$PORT"

bench() {
  "$repo/bin/spindle" bench --server "http://127.0.0.1:$PORT" --config "$CONFIG" --noop \
    --jobs "$1" --concurrency "$CONCURRENCY" --json 2>>"$work/bench.log"
}
say "spindle warm-up: $WARMUP jobs"
bench "$WARMUP" >"$work/spindle-warmup.json"
ticks_before="$(cpu_ticks "$node_pid")"
say "spindle: $N x cpu.noop, concurrency $CONCURRENCY"
bench "$N" >"$work/spindle.json"
ticks_after="$(cpu_ticks "$node_pid")"
stop_dev_node

# ---- Peers -------------------------------------------------------------------------------------
say "peers ($PEERS) from a copy of $PEERS_DIR"
cp -r "$PEERS_DIR" "$work/peers"
chmod -R u+w "$work/peers"
if [[ ! -d "$work/peers/bullmq/node_modules" ]]; then
  (cd "$work/peers/bullmq" && npm ci --no-audit --no-fund --silent)
fi
N="$N" N_SLEEP="$N_SLEEP" RUNS=1 PEERS="$PEERS" RESULTS="$work/peers-results.txt" \
  "$work/peers/run_peers.sh" >"$work/peers.txt"

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- One table ---------------------------------------------------------------------------------
python3 - "$work/spindle.json" "$work/peers.txt" "$ticks_before" "$ticks_after" "$(getconf CLK_TCK)" \
  "$N" "$(nproc)" "$load_before" "$load_after" "$(spindle_build)" <<'PY'
import json, sys
spindle_json, peers_txt, t0, t1, hz, n, cores, load0, load1, commit = sys.argv[1:]
s = json.load(open(spindle_json))
cpu_ms = (int(float(t1)) - int(float(t0))) * 1000.0 / int(hz)
finished = s["finished"] or 0
peers = {}
for line in open(peers_txt):
    kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
    if kv.get("scenario") == "noop":
        peers[kv["peer"]] = kv

def num(v, fmt="{:.0f}"):
    return "—" if v is None else fmt.format(float(v))

names = {"celery": "Celery (acks_late)", "celery-ackearly": "Celery (ack early)", "rq": "RQ", "rq-simple": "RQ (SimpleWorker)",
         "bullmq": "BullMQ"}
cols = ["Spindle (cpu.noop, 2 Java workers)"] + [names.get(p, p) for p in peers]
rows = [
    ("no-op jobs end to end (jobs/s)", [num(s.get("throughput"), "{:.1f}")] + [num(p.get("e2e_per_s"), "{:.1f}") for p in peers.values()]),
    ("latency p50 / p95 (ms)", [num(s["submit_to_done"]["p50_ms"], "{:.1f}") + " / " + num(s["submit_to_done"]["p95_ms"], "{:.1f}")]
        + [num(p.get("p50_ms"), "{:.1f}") + " / " + num(p.get("p95_ms"), "{:.1f}") for p in peers.values()]),
    ("node CPU per job (ms)", [num(cpu_ms / finished if finished else None, "{:.1f}")] + ["—"] * len(peers)),
    ("jobs done / submits refused / throttled (429) / unsettled (503)",
        ["%d / %d / %d / %d" % (finished, s["refused"], s.get("throttled", 0), s.get("unsettled", 0))]
        + ["%s / — / — / —" % p.get("done", "?") for p in peers.values()]),
]
print("%d no-op jobs each, %s cores, load average %s before and %s after, spindle at %s" % (int(n), cores, load0, load1, commit))
print()
print("| | %s |" % " | ".join(cols))
print("|---|" + "---|" * len(cols))
for name, cells in rows:
    print("| %s | %s |" % (name, " | ".join(cells)))
PY
