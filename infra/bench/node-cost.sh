#!/usr/bin/env bash
# Where a node's CPU goes per job: a fresh `spindle dev`, a warm-up burst, then a measured burst, and one report of
# the node's CPU per job split by thread group, its context switches per job and its backend requests per job.
#
#   infra/bench/node-cost.sh                 (no-op jobs: the fabric alone)
#   MODE=echo infra/bench/node-cost.sh       (cpu.echo with its JSON artifact: S3 PUT, digest, catalog write)
#   PERF=1 infra/bench/node-cost.sh          (also samples the node with perf: kernel, futex and compiler shares)
#
# The figures (docs/performance.md, "How to measure") come from /proc: the node process's user and sys time
# (/proc/<pid>/stat, which includes threads that ended during the burst), and per thread /proc/<pid>/task/*/stat and
# status (user, sys, voluntary and involuntary context switches), grouped by thread name with digits folded
# ("mongo-server-worker3" -> "mongo-server-workerN"; names are cut at 15 characters by the kernel, so
# "spindle-pekko.a" holds Pekko's default, internal and blocking-io dispatchers). Backend requests come from the
# node's /metrics (spindle_backend_requests_total). The bench client runs on the same cores; its CPU is shown too.
#
# Knobs (env): N=3000 WARMUP=6000 (a fresh node's C2 compiler is still busy for the first ~10,000 jobs; see
# docs/performance.md) CONCURRENCY=32 MODE=noop|echo PORT=18490 PERF=0|1 PERF_SECONDS=8 KEEP=1 (keep the work dir)
# SPINDLE_JAR (as bin/spindle) JAVA_OPTS (the node's, as bin/spindle).
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
N="${N:-3000}"
WARMUP="${WARMUP:-6000}"
CONCURRENCY="${CONCURRENCY:-32}"
MODE="${MODE:-noop}"
PORT="${PORT:-18490}"
PERF="${PERF:-0}"
PERF_SECONDS="${PERF_SECONDS:-8}"
CONFIG=echo-java

case "$MODE" in
  noop) mode_flag=(--noop) ;;
  echo) mode_flag=() ;;
  *) echo "MODE is noop or echo, not '$MODE'" >&2; exit 2 ;;
esac
if [[ "$PERF" == 1 ]] && ! command -v perf >/dev/null; then
  echo "PERF=1 needs perf (apt-get install -y linux-perf)" >&2
  exit 2
fi

# shellcheck source=dev-node.sh
source "$here/dev-node.sh"
bench_work_dir node-cost

say() { echo "node-cost: $*" >&2; }

# One line per live thread of the node: name|voluntary cs|involuntary cs|user ticks|sys ticks.
threads() {
  local t name stat
  for t in /proc/"$node_pid"/task/*; do
    name="$(cat "$t/comm" 2>/dev/null)" || continue
    stat="$(cat "$t/stat" 2>/dev/null)" || continue
    stat="${stat##*) }"
    awk -v name="$name" -v stat="$stat" '
      /^voluntary_ctxt_switches/ { v = $2 }
      /^nonvoluntary_ctxt_switches/ { nv = $2 }
      END { split(stat, f, " "); print name "|" v "|" nv "|" f[12] "|" f[13] }' "$t/status" 2>/dev/null || true
  done
}
process_ticks() { awk '{print $14, $15}' "/proc/$node_pid/stat"; }
backend_requests() { curl -fsS "http://127.0.0.1:$PORT/metrics" | grep '^spindle_backend_requests_total' || true; }

say "starting spindle dev on a fresh data dir ($work/data), port $PORT"
start_dev_node "$PORT"

bench() {
  "$repo/bin/spindle" bench --server "http://127.0.0.1:$PORT" --config "$CONFIG" ${mode_flag[@]+"${mode_flag[@]}"} \
    --jobs "$1" --concurrency "$CONCURRENCY" --json 2>>"$work/bench.log"
}
say "warm-up: $WARMUP jobs ($MODE)"
bench "$WARMUP" >"$work/warmup.json"

threads >"$work/threads-before"
process_ticks >"$work/ticks-before"
backend_requests >"$work/requests-before"
say "measured: $N jobs ($MODE), concurrency $CONCURRENCY"
client_start="$(date +%s.%N)"
( TIMEFORMAT='%U %S'; { time bench "$N" >"$work/run.json"; } 2>"$work/client-time" ) &
bench_pid=$!
if [[ "$PERF" == 1 ]]; then
  sleep 1
  perf record -F 499 -g -p "$node_pid" -o "$work/perf.data" -- sleep "$PERF_SECONDS" >"$work/perf.log" 2>&1 || true
fi
wait "$bench_pid"
threads >"$work/threads-after"
process_ticks >"$work/ticks-after"
backend_requests >"$work/requests-after"
perf_txt=""
if [[ "$PERF" == 1 && -s "$work/perf.data" ]]; then
  perf script -i "$work/perf.data" >"$work/perf.txt" 2>/dev/null || true
  perf_txt="$work/perf.txt"
fi

python3 - "$work" "$N" "$(getconf CLK_TCK)" "$MODE" "$perf_txt" \
  "$(spindle_build)" "$(nproc)" <<'PY'
import collections, json, re, sys
work, n, hz, mode, perf_txt, commit, cores = sys.argv[1:]
n, hz = int(n), int(hz)
run = json.load(open(f"{work}/run.json"))
done = run.get("finished") or n

def threads(path):
    groups = collections.defaultdict(lambda: [0, 0, 0, 0])
    for line in open(path):
        name, *counts = line.rstrip("\n").split("|")
        for i, c in enumerate(counts):
            groups[re.sub(r"\d+", "N", name)][i] += int(c or 0)
    return groups

before, after = threads(f"{work}/threads-before"), threads(f"{work}/threads-after")
u0, s0 = map(int, open(f"{work}/ticks-before").read().split())
u1, s1 = map(int, open(f"{work}/ticks-after").read().split())
ms = lambda ticks: ticks * 1000.0 / hz / done
rows, seen = [], [0, 0, 0, 0]
for name, now in after.items():
    then = before.get(name, [0, 0, 0, 0])
    d = [now[i] - then[i] for i in range(4)]
    for i in range(4):
        seen[i] += d[i]
    rows.append((d[2] + d[3], name, d))
total = (u1 - u0) + (s1 - s0)

def requests(path):
    out = {}
    for line in open(path):
        m = re.match(r'spindle_backend_requests_total\{backend="(\w+)".*\}\s+(\S+)', line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out

r0, r1 = requests(f"{work}/requests-before"), requests(f"{work}/requests-after")
client = open(f"{work}/client-time").read().split()
print(f"{done} {mode} jobs after a warm-up, {cores} cores, spindle at {commit}")
print(f"end to end: {run.get('throughput') or 0:.1f} jobs/s; refused {run.get('refused', 0)}, throttled {run.get('throttled', 0)}")
print(f"node CPU per job: {ms(total):.2f} ms (user {ms(u1 - u0):.2f}, sys {ms(s1 - s0):.2f}); "
      f"context switches per job: {seen[0] / done:.1f} voluntary, {seen[1] / done:.1f} involuntary")
if len(client) == 2:
    print(f"bench client CPU per job: {(float(client[0]) + float(client[1])) * 1000 / done:.2f} ms (same cores)")
print("backend requests per job: " + ", ".join(f"{b} {(r1[b] - r0.get(b, 0)) / done:.2f}" for b in sorted(r1)))
print()
print("| thread group | share | CPU per job (ms) | sys part (ms) | voluntary cs per job |")
print("|---|---|---|---|---|")
for cpu, name, d in sorted(rows, reverse=True)[:14]:
    if cpu <= 0:
        continue
    print(f"| {name} | {cpu * 100.0 / total:.0f} % | {ms(cpu):.2f} | {ms(d[3]):.2f} | {d[0] / done:.1f} |")
gone = total - (seen[2] + seen[3])
if gone > 0:
    print(f"| (threads that ended during the burst) | {gone * 100.0 / total:.0f} % | {ms(gone):.2f} | | |")

if perf_txt:
    samples, kernel, futex, compiler = 0, 0, 0, 0
    for block in open(perf_txt, errors="replace").read().split("\n\n"):
        lines = [l for l in block.splitlines() if l.strip()]
        if not lines:
            continue
        samples += 1
        text = "\n".join(lines)
        if len(lines) > 1 and "[kernel" in lines[1]:
            kernel += 1
            if "futex" in text or "pthread_cond_signal" in text:
                futex += 1
        if lines[0].startswith(("C1 CompilerThre", "C2 CompilerThre")):
            compiler += 1
    if samples:
        print()
        print(f"perf, {samples} samples: kernel {kernel * 100.0 / samples:.0f} % "
              f"(of it parking and waking threads, futex: {futex * 100.0 / samples:.0f} %), "
              f"JIT compiler threads {compiler * 100.0 / samples:.0f} %")
PY
