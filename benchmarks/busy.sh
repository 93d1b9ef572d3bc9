#!/usr/bin/env bash
# Issue #13: probes answer even when every application thread is busy. Starts the example service
# (embedded PostgreSQL and Redis), holds every one of its 200 request threads with 400 clients on
# /api/slow?ms=10000, and meanwhile measures /health/live with wrk from a second process: on the
# management port (OpsHttpServer, its own 4 threads) and, for comparison, on the application port.
# Writes a Markdown table to stdout and benchmarks/results/busy-latest.md.
#
# Usage: benchmarks/busy.sh [--no-build]   Tunables: HOLDERS (400), DURATION (15s), JAVA (java)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
JAVA="${JAVA:-java}"
HOLDERS="${HOLDERS:-400}"
DURATION="${DURATION:-15s}"
if [[ ${1:-} != --no-build ]]; then
  mvn -q -B -f "$ROOT/pom.xml" -pl examples -am package -DskipTests
fi
if ! command -v wrk >/dev/null 2>&1; then
  SUDO=(); [[ $(id -u) -eq 0 ]] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq wrk >/dev/null
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opskit-busy.XXXXXX")"
read -r PORT MGMT <<<"$(python3 -c 'import socket
a=socket.socket(); a.bind(("127.0.0.1",0)); b=socket.socket(); b.bind(("127.0.0.1",0))
print(a.getsockname()[1], b.getsockname()[1])')"
PORT="$PORT" OPS_MANAGEMENT_PORT="$MGMT" "$JAVA" -Xms512m -Xmx512m -XX:+UseG1GC -jar "$ROOT/examples/target/opskit-example.jar" \
  >"$WORK/app.log" 2>&1 &
APP=$!
cleanup() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$MGMT/health/live" && curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/ping" && break
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$MGMT/health/live" || { cat "$WORK/app.log" >&2; echo "the example did not start" >&2; exit 1; }

measure() { # url -> "p50_us p99_us max_us requests timeouts"
  wrk -t1 -c4 -d"$DURATION" --timeout 5s -s "$BENCH/load/report.lua" "$1" 2>/dev/null | awk '/^WRK_RESULT/ {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    print v["p50_us"], v["p99_us"], v["max_us"], v["requests"], v["timeout"] }'
}
quiet_mgmt=$(measure "http://127.0.0.1:$MGMT/health/live")
# every application thread held: 400 clients each asking for a 10 s request, for longer than the measurements
wrk -t2 -c"$HOLDERS" -d60s --timeout 20s "http://127.0.0.1:$PORT/api/slow?ms=10000" >/dev/null 2>&1 &
HOLD=$!
sleep 3   # let the holders take every thread (the measurement below checks it: the application port times out)
busy_mgmt=$(measure "http://127.0.0.1:$MGMT/health/live")
busy_app=$(measure "http://127.0.0.1:$PORT/health/live")
kill "$HOLD" 2>/dev/null || true; wait "$HOLD" 2>/dev/null || true

row() { # label "p50 p99 max requests timeouts"
  read -r p50 p99 max req to <<<"$2"
  awk -v l="$1" -v a="$p50" -v b="$p99" -v c="$max" -v r="$req" -v t="$to" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.1f | %d | %d |\n", l, a / 1000, b / 1000, c / 1000, r, t }'
}
{
  echo "Run $(date -u +%Y-%m-%dT%H:%M:%SZ), load average $(cut -d' ' -f1-3 /proc/loadavg), wrk -t1 -c4 -d$DURATION --timeout 5s, $HOLDERS clients holding /api/slow?ms=10000"
  echo
  echo "| /health/live | p50 ms | p99 ms | max ms | requests | timeouts (> 5 s) |"
  echo "|---|---|---|---|---|---|"
  row "management port, application idle" "$quiet_mgmt"
  row "management port, every application thread held" "$busy_mgmt"
  row "application port, every application thread held" "$busy_app"
} | tee "$BENCH/results/busy-latest.md"
