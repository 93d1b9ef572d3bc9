#!/usr/bin/env bash
# Scale benchmark: N trivial checks on opskit's engine, beside Dropwizard's @Async health checks.
#
# One fresh JVM per scenario (-Xms512m -Xmx512m -XX:+UseG1GC, as in run.sh), one at a time. In each:
# a warm-up; a CPU window with no reader (process CPU in cores); in-process reads of readiness
# (HealthEndpoint.handle("ready") for opskit, registry.runHealthChecks() for Dropwizard); HTTP reads
# of readiness by wrk from a second process (-t1 -c4); throughout, the stale checks are counted in
# the published results every 250 ms. In opskit's 10,000-check scenario, one check flips
# PASS -> FAIL -> PASS ... and a spinning reader measures how soon after the check returned its new
# status ops.health(READINESS) shows it.
#
# Output: a Markdown table on stdout and in benchmarks/results/scale-latest.md.
#
# Usage: benchmarks/scale.sh [--no-build] [--scenarios opskit-100,opskit-1000,...] [--profile]
#   --profile: also records a JFR profile of each opskit scenario's CPU window into benchmarks/target/jfr/
# Tunables (environment): WARMUP (10 s), WINDOW (20 s), READ (5 s in-process), WRK_DURATION (10s),
#   WRK_CONNECTIONS (4), FLIPS (20), HEAP (512m), JAVA (java).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
RESULTS="$BENCH/results"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opskit-scale.XXXXXX")"

WARMUP="${WARMUP:-10}"
WINDOW="${WINDOW:-20}"
READ="${READ:-5}"
WRK_DURATION="${WRK_DURATION:-10s}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-4}"
FLIPS="${FLIPS:-20}"
HEAP="${HEAP:-512m}"
JAVA="${JAVA:-java}"
JVM_FLAGS=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:-UsePerfData -Djava.awt.headless=true)

# name: engine, checks, interval in ms
ALL_SCENARIOS="opskit-100,opskit-1000,opskit-10000,opskit-2000-100ms,dropwizard-1000,dropwizard-10000"
SCENARIOS="$ALL_SCENARIOS"
BUILD=1
PROFILE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --profile) PROFILE=1 ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- prerequisites and builds
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk through apt-get"
  if [[ $(id -u) -eq 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq wrk >/dev/null
fi

BENCH_JAR="$BENCH/target/benchmarks.jar"
DW_JAR="$BENCH/peers/dropwizard/target/peer-dropwizard.jar"
quietly() { # runs a build step, shows its output only when it fails
  "$@" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; echo "failed: $*" >&2; exit 1; }
}
if [[ $BUILD -eq 1 ]]; then
  log "building opskit benchmarks (mvn -pl benchmarks -am package)"
  quietly mvn -q -B -f "$ROOT/pom.xml" -pl benchmarks -am package -DskipTests
  log "building the Dropwizard peer"
  quietly mvn -q -B -f "$BENCH/peers/dropwizard/pom.xml" package -DskipTests
fi

spec() { # name -> "engine checks interval_ms flips"
  case "$1" in
    opskit-100) echo "opskit 100 1000 0" ;;
    opskit-1000) echo "opskit 1000 1000 0" ;;
    opskit-10000) echo "opskit 10000 1000 $FLIPS" ;;
    opskit-2000-100ms) echo "opskit 2000 100 0" ;;
    dropwizard-1000) echo "dropwizard 1000 1000 0" ;;
    dropwizard-10000) echo "dropwizard 10000 1000 0" ;;
    *) echo "unknown scenario: $1 (known: $ALL_SCENARIOS)" >&2; return 1 ;;
  esac
}

# ---------------------------------------------------------------- run
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
IFS=',' read -r -a LIST <<<"$SCENARIOS"
for name in "${LIST[@]}"; do spec "$name" >/dev/null; done
RAW="$WORK/raw.txt"
: >"$RAW"
if [[ $PROFILE -eq 1 ]]; then
  # JFR's "profile" settings, sampling Java stacks every 1 ms instead of 10 ms (more samples in a short window)
  mkdir -p "$BENCH/target/jfr"
  JFC="$BENCH/target/jfr/profile-1ms.jfc"
  JAVA_HOME_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")
  sed 's#control="method-sampling-java-interval">10 ms<#control="method-sampling-java-interval">1 ms<#' \
    "$JAVA_HOME_DIR/lib/jfr/profile.jfc" >"$JFC"
fi

for name in "${LIST[@]}"; do
  read -r engine checks interval flips <<<"$(spec "$name")"
  common=(-Dbench.checks="$checks" -Dbench.warmupSeconds="$WARMUP" -Dbench.windowSeconds="$WINDOW"
    -Dbench.readSeconds="$READ" -Dbench.wrk="$(command -v wrk)" -Dbench.wrkScript="$BENCH/load/report.lua"
    -Dbench.wrkDuration="$WRK_DURATION" -Dbench.wrkConnections="$WRK_CONNECTIONS")
  if [[ $engine == opskit ]]; then
    prof=()
    if [[ $PROFILE -eq 1 ]]; then
      # the CPU window starts after the warm-up; record it (plus 1 s either side)
      prof=("-XX:StartFlightRecording=delay=$((WARMUP - 1))s,duration=$((WINDOW + 2))s,settings=$JFC,filename=$BENCH/target/jfr/$name.jfr")
    fi
    cmd=("$JAVA" "${JVM_FLAGS[@]}" "${prof[@]}" "${common[@]}" -Dbench.intervalMillis="$interval" -Dbench.flips="$flips"
      -cp "$BENCH_JAR" io.opskit.benchmarks.scale.ScaleBenchmark)
  else
    cmd=("$JAVA" "${JVM_FLAGS[@]}" "${common[@]}" -cp "$DW_JAR" io.opskit.benchmarks.peers.dropwizard.ScalePeer)
  fi
  log "$name: $checks checks every $interval ms (warm-up ${WARMUP}s, CPU window ${WINDOW}s, reads ${READ}s + $WRK_DURATION)"
  "${cmd[@]}" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!
  if ! wait "$PID"; then
    log "$name failed:"; tail -20 "$WORK/$name.err" >&2
  fi
  PID=""
  line=$(grep '^SCALE_RESULT ' "$WORK/$name.out" | tail -1 | sed 's/^SCALE_RESULT //' || true)
  echo "scenario=$name $line" >>"$RAW"
  log "$name: $line"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)

# ---------------------------------------------------------------- report
field() { # field NAME "k=v k=v"
  local kv
  for kv in $2; do [[ ${kv%%=*} == "$1" ]] && { echo "${kv#*=}"; return; }; done
  echo ""
}
num() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "") print "—"; else printf f, v }'; }
ms() { awk -v u="$1" 'BEGIN { if (u == "") print "—"; else printf "%.2f", u / 1000 }'; }
bytes_per() { awk -v b="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.0f", b / r; else print "—" }'; }
rps() { awk -v r="$1" -v d="$2" 'BEGIN { if (d > 0) printf "%.0f", r * 1e6 / d; else print "—" }'; }

ROWS=()
while read -r raw; do
  name=$(field scenario "$raw")
  engine=$(field engine "$raw")
  [[ -z $engine ]] && { ROWS+=("| $name | failed: see the log | | | | | | | | |"); continue; }
  checks=$(field checks "$raw"); interval=$(field interval_ms "$raw")
  label="$engine, $(printf "%'d" "$checks") checks @ ${interval} ms"
  [[ $engine == opskit ]] || label="dropwizard \`@Async\`, $(printf "%'d" "$checks") checks @ 1 s"
  stale="$(field stale_max_cpu_window "$raw") / $(field stale_max "$raw")"
  [[ $engine == opskit ]] || stale+=" ($(field expired_max "$raw") expired)"
  inproc="$(num "$(field inproc_p50_us "$raw")" %.1f) / $(num "$(field inproc_p99_us "$raw")" %.1f) / $(num "$(field inproc_max_us "$raw")" %.0f) µs"
  render="$(ms "$(field inproc_render_mean_us "$raw")") ms"
  [[ $engine == opskit ]] || render="(every read)"
  http="$(ms "$(field wrk_p50_us "$raw")") / $(ms "$(field wrk_p99_us "$raw")") ms, $(rps "$(field wrk_requests "$raw")" "$(field wrk_duration_us "$raw")") req/s"
  flip="—"
  [[ -n $(field flip_count "$raw") ]] && flip="$(num "$(field flip_p50_ms "$raw")" %.1f) / $(num "$(field flip_max_ms "$raw")" %.1f) ms ($(field flip_count "$raw") changes, $(field flip_missed "$raw") missed)"
  ROWS+=("| $label | $(num "$(field cpu_cores "$raw")" %.3f) | $(num "$(field runs_per_s "$raw")" %.0f) | $stale | $inproc | $render | $http | $(bytes_per "$(field wrk_bytes "$raw")" "$(field wrk_requests "$raw")") | $flip | $(num "$(field machine_cores "$raw")" %.2f) |")
done <"$RAW"

JDK=$("$JAVA" -version 2>&1 | head -2 | tail -1)
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo n/a)
WRKV=$( (wrk -v 2>&1 || true) | head -1 | awk '{ print $1, $2 }')
mkdir -p "$RESULTS"
{
  echo "# Scale benchmark: many trivial checks"
  echo
  echo "Run $START (UTC) by \`benchmarks/scale.sh\`."
  echo
  echo "- Machine: $(nproc) cores ($CPU); load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "- JDK: $JDK; one JVM per scenario: \`${JVM_FLAGS[*]}\`"
  echo "- Per scenario: ${WARMUP} s warm-up, ${WINDOW} s CPU window with no reader, ${READ} s of in-process reads (one every 200 µs), then $WRKV \`-t1 -c$WRK_CONNECTIONS -d$WRK_DURATION\` on readiness over HTTP"
  echo "- opskit: engine defaults (8 workers, 2 s timeout), \`OpsHttpServer\` \`/health/ready\`, details never shown; in-process read = \`HealthEndpoint.handle(\"ready\")\`"
  echo "- Dropwizard Metrics 4.2.39: \`@Async(period = 1, unit = SECONDS)\` checks, \`HealthCheckRegistry\` default async executor (2 threads), \`HealthCheckServlet\` on Jetty 12.1.14 \`/health\`; in-process read = \`registry.runHealthChecks()\` and the overall verdict"
  echo
  echo "| scenario | CPU, cores (no reader) | check runs/s | stale checks, max: CPU window / whole run | in-process read p50 / p99 / max | in-process read that renders a new snapshot, mean | HTTP read p50 / p99, rate | HTTP response, bytes | status change visible, p50 / max | machine busy during CPU window, cores |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "A check is counted stale when the engine reports it stale (opskit: no result for interval + timeout + max(1 s, interval / 4));"
  echo "for Dropwizard, when its cached result is older than 4 s (the same rule for a 1 s interval), and separately when Dropwizard"
  echo "itself reports it expired (a healthy result older than twice its period). \"Machine busy\" is the whole machine's busy cores"
  echo "(/proc/stat) during the CPU window: what the scenario and every other process on the machine used together."
  echo
  echo "Raw figures (latencies in µs unless named _ms):"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} >"$WORK/scale-latest.md"
cp "$WORK/scale-latest.md" "$RESULTS/scale-latest.md"
cat "$RESULTS/scale-latest.md"
log "written to ${RESULTS#"$ROOT"/}/scale-latest.md"
