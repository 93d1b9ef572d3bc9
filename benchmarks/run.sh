#!/usr/bin/env bash
# Load benchmark: opskit's health endpoint side by side with Spring Boot Actuator and Dropwizard.
#
# Every server runs in its own JVM (same heap and flags), one at a time, on a free loopback port.
# For each server and scenario it measures the server's own static 200 (the physical limit of that
# server) and its health endpoint with wrk: both warmed up first, then measured in alternating
# rounds (static, health, static, health, ...) so that neither gains from running later, and
# reports the health endpoint as a ratio to the static baseline of the same JVM in the same run.
# Scenarios: "normal" (20 checks of 5 ms each) and "hang" (one of the 20 hangs for 30 s).
# Then it measures detection time: a healthy server is told to start hanging one dependency, and
# /health is polled until it stops answering 200.
#
# Output: a Markdown table on stdout and in benchmarks/results/latest.md.
#
# Usage: benchmarks/run.sh [--no-build] [--servers a,b,...] [--scenarios normal,hang] [--no-detection]
# Tunables (environment): DURATION (5s per round), ROUNDS (2), WARMUP (5s), CONNECTIONS (32),
#   THREADS (2), HEAP (512m), WRK_TIMEOUT (2s), DETECT_TRIALS (3), JAVA (java).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
RESULTS="$BENCH/results"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opskit-bench.XXXXXX")"

DURATION="${DURATION:-5s}"
ROUNDS="${ROUNDS:-2}"
DETECT_TRIALS="${DETECT_TRIALS:-3}"
WARMUP="${WARMUP:-5s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
HEAP="${HEAP:-512m}"
WRK_TIMEOUT="${WRK_TIMEOUT:-2s}"
JAVA="${JAVA:-java}"
JVM_FLAGS=(-Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:-UsePerfData -Djava.awt.headless=true)

ALL_SERVERS="opskit-servlet,opskit-http,dropwizard,dropwizard-parallel,dropwizard-async,spring-boot,spring-boot-cached,spring-boot-opskit"
# dropwizard-parallel is left out by default to stay well inside 15 minutes on 2 cores
SERVERS="opskit-servlet,opskit-http,dropwizard,dropwizard-async,spring-boot,spring-boot-cached,spring-boot-opskit"
SCENARIOS="normal,hang"
BUILD=1
DETECTION=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --no-detection) DETECTION=0 ;;
    --servers) SERVERS="$2"; shift ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
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
command -v curl >/dev/null 2>&1 || { echo "curl is needed" >&2; exit 1; }

BENCH_JAR="$BENCH/target/benchmarks.jar"
DW_JAR="$BENCH/peers/dropwizard/target/peer-dropwizard.jar"
SB_JAR="$BENCH/peers/spring-boot/target/peer-spring-boot.jar"
SBO_JAR="$BENCH/peers/spring-boot/target-opskit/peer-spring-boot-opskit.jar"
quietly() { # runs a build step, shows its output only when it fails
  "$@" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; echo "failed: $*" >&2; exit 1; }
}
if [[ $BUILD -eq 1 ]]; then
  log "building opskit benchmarks (mvn -pl benchmarks -am package)"
  quietly mvn -q -B -f "$ROOT/pom.xml" -pl benchmarks -am package -DskipTests
  log "building the Dropwizard peer"
  quietly mvn -q -B -f "$BENCH/peers/dropwizard/pom.xml" package -DskipTests
  log "building the Spring Boot peer"
  quietly mvn -q -B -f "$BENCH/peers/spring-boot/pom.xml" package -DskipTests
  if [[ ",$SERVERS," == *",spring-boot-opskit,"* ]]; then
    log "installing opskit into the local Maven repository for the starter peer (mvn -pl ops-bom,ops-spring-boot -am install)"
    quietly mvn -q -B -f "$ROOT/pom.xml" -pl ops-bom,ops-spring-boot -am install -DskipTests
    log "building the Spring Boot peer with the opskit starter"
    quietly mvn -q -B -f "$BENCH/peers/spring-boot/pom.xml" -Popskit clean package -DskipTests
  fi
fi

# ---------------------------------------------------------------- servers
# Prints: the java arguments, then '|static path|health path'. Every server reads -Dbench.port,
# -Dbench.hang (false, true: one check hangs from the start, switch: it hangs after POST /bench/hang).
# A static path written "2:/static" is served on a second port (-Dbench.staticPort), with
# /bench/hang: for OpsHttpServer, which serves only opskit's paths, that is its twin JDK server.
server_spec() {
  case "$1" in
    opskit-servlet) echo "-cp $BENCH_JAR io.opskit.benchmarks.load.ServletLoadServer|/static|/health/ready" ;;
    opskit-http) echo "-cp $BENCH_JAR io.opskit.benchmarks.load.HttpLoadServer|2:/static|/health/ready" ;;
    dropwizard) echo "-Dbench.mode=sequential -jar $DW_JAR|/static|/health" ;;
    dropwizard-parallel) echo "-Dbench.mode=parallel -jar $DW_JAR|/static|/health" ;;
    dropwizard-async) echo "-Dbench.mode=async -jar $DW_JAR|/static|/health" ;;
    spring-boot) echo "-jar $SB_JAR|/static|/actuator/health" ;;
    spring-boot-cached) echo "-Dmanagement.endpoint.health.cache.time-to-live=1s -jar $SB_JAR|/static|/actuator/health" ;;
    spring-boot-opskit) echo "-Dopskit.actuator.interval=1s -Dopskit.actuator.timeout=2s -Dopskit.system.enabled=false -Dopskit.actuator.show-opskit-checks=false -jar $SBO_JAR|/static|/actuator/health" ;;
    *) echo "unknown server: $1 (known: $ALL_SERVERS)" >&2; return 1 ;;
  esac
}

describe() {
  case "$1" in
    opskit-servlet) echo "ops-servlet \`HealthServlet\` on Jetty 12.1.14 (ee10), \`/health/ready\`: the engine runs the checks in the background (interval 1 s, timeout 2 s), a request copies the cached JSON of the latest snapshot" ;;
    opskit-http) echo "ops-http \`OpsHttpServer\` (JDK HttpServer, 4 workers), \`/health/ready\`, same engine; its static baseline is a twin JDK HttpServer in the same JVM built the same way (OpsHttpServer serves only opskit's paths)" ;;
    dropwizard) echo "Dropwizard Metrics 4.2.39 \`HealthCheckServlet\` (metrics-jakarta-servlets) on Jetty 12.1.14: every request runs the 20 checks in turn (its default)" ;;
    dropwizard-parallel) echo "the same servlet with its executor option (20 threads): every request runs the 20 checks in parallel" ;;
    dropwizard-async) echo "the same servlet over \`@Async(period = 1 s)\` checks: Dropwizard schedules them, a request reads the last results" ;;
    spring-boot) echo "Spring Boot 4.1.2 Actuator \`/actuator/health\` on embedded Tomcat, show-details always: every request runs the 20 indicators in turn (its default)" ;;
    spring-boot-cached) echo "the same with \`management.endpoint.health.cache.time-to-live=1s\`: a request within 1 s of the last evaluation gets the cached answer" ;;
    spring-boot-opskit) echo "the same application (same jar contents, same properties) with \`ops-spring-boot\` added: the 20 indicators run in opskit's engine (interval 1 s, timeout 2 s; opskit's own system checks switched off so the body holds the same 20 components), \`/actuator/health\` answers from its snapshot; opskit's correlation-ID, maintenance and HTTP-metrics filters are on for every request, \`/static\` included" ;;
  esac
}

free_ports() { # two distinct free loopback ports
  if command -v python3 >/dev/null 2>&1; then
    python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])'
  else
    local p ports=()
    while [[ ${#ports[@]} -lt 2 ]]; do
      p=$((20000 + RANDOM % 40000))
      [[ ${ports[0]:-} == "$p" ]] && continue
      (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
    done
    echo "${ports[@]}"
  fi
}

# http_code URL [max seconds]: the status code, "timeout" (no answer in time) or "down"
http_code() {
  local code rc=0
  code=$(curl -s -o /dev/null -m "${2:-5}" -w '%{http_code}' "$1" 2>/dev/null) || rc=$?
  if [[ $rc -eq 28 ]]; then echo timeout; elif [[ $rc -ne 0 ]]; then echo down; else echo "$code"; fi
}

start_server() { # name hang-mode -> sets SERVER_PID, BASE, STATIC_BASE, STATIC, HEALTH
  local name="$1" hang="$2" spec args port port2
  spec=$(server_spec "$name")
  IFS='|' read -r args STATIC HEALTH <<<"$spec"
  read -r port port2 <<<"$(free_ports)"
  BASE="http://127.0.0.1:$port"
  STATIC_BASE="$BASE"
  if [[ $STATIC == 2:* ]]; then STATIC="${STATIC#2:}"; STATIC_BASE="http://127.0.0.1:$port2"; fi
  # shellcheck disable=SC2086 # args is a word list on purpose
  "$JAVA" "${JVM_FLAGS[@]}" -Dbench.port="$port" -Dbench.staticPort="$port2" -Dbench.hang="$hang" $args \
    >"$WORK/$name-$hang.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 90))
  until [[ $(http_code "$STATIC_BASE$STATIC" 2) == 200 ]]; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      log "$name exited during start-up:"; tail -20 "$WORK/$name-$hang.log" >&2; return 1
    fi
    if (( SECONDS > deadline )); then log "$name did not start in 90 s"; return 1; fi
    sleep 0.2
  done
}

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

# wrk_run URL DURATION -> prints the WRK_RESULT fields
wrk_run() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout "$WRK_TIMEOUT" --latency -s "$BENCH/load/report.lua" "$1" \
    | grep '^WRK_RESULT' | sed 's/^WRK_RESULT //'
}

# combine "k=v ..." lines of several rounds: sums of counts and durations, mean p50 and p99, max of max
combine() {
  awk '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2]; if (kv[1] == "max_us" && kv[2] > mx) mx = kv[2] }
      n++
    }
    END {
      printf "requests=%d bytes=%.0f duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
        v["requests"], v["bytes"], v["duration_us"], v["p50_us"] / n, v["p99_us"] / n, mx,
        v["connect"], v["read"], v["write"], v["status"], v["timeout"]
    }'
}

field() { # field NAME "k=v k=v"
  local kv
  for kv in $2; do [[ ${kv%%=*} == "$1" ]] && { echo "${kv#*=}"; return; }; done
  echo 0
}

rps() { awk -v r="$(field requests "$1")" -v d="$(field duration_us "$1")" 'BEGIN { printf "%.0f", (d > 0 ? r * 1e6 / d : 0) }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

ROWS=()
RAW="$WORK/raw.tsv"
printf 'server\tscenario\tkind\tresult\n' >"$RAW"

measure() { # name scenario
  local name="$1" scenario="$2" hang=false
  [[ $scenario == hang ]] && hang=true
  log "$name / $scenario: starting"
  start_server "$name" "$hang" || { ROWS+=("| $name | $scenario | did not start | | | | | | | |"); stop_server; return; }
  # let every check run once (and in "hang", let opskit reach the hung check's deadline)
  local deadline=$((SECONDS + 30))
  if [[ $scenario == normal ]]; then
    until [[ $(http_code "$BASE$HEALTH" 5) == 200 ]] || (( SECONDS > deadline )); do sleep 0.2; done
  fi
  sleep 4
  log "$name / $scenario: warm-up $WARMUP static, $WARMUP health; then $ROUNDS rounds of $DURATION each"
  wrk_run "$STATIC_BASE$STATIC" "$WARMUP" >/dev/null
  wrk_run "$BASE$HEALTH" "$WARMUP" >/dev/null
  local s h code r s_rounds="" h_rounds=""
  for ((r = 1; r <= ROUNDS; r++)); do
    s_rounds+="$(wrk_run "$STATIC_BASE$STATIC" "$DURATION")"$'\n'
    h_rounds+="$(wrk_run "$BASE$HEALTH" "$DURATION")"$'\n'
  done
  s=$(printf '%s' "$s_rounds" | grep . | combine)
  h=$(printf '%s' "$h_rounds" | grep . | combine)
  code=$(http_code "$BASE$HEALTH" 3)
  stop_server
  printf '%s\t%s\tstatic\t%s\n%s\t%s\thealth\t%s\n' "$name" "$scenario" "$s" "$name" "$scenario" "$h" >>"$RAW"

  local srps hrps
  srps=$(rps "$s"); hrps=$(rps "$h")
  local hreq errs lat
  hreq=$(field requests "$h")
  errs="$(field status "$h") non-2xx, $(field timeout "$h") timeouts"
  if [[ $hreq -eq 0 ]]; then
    errs="no response completed during the run"
    lat="| no response | no response | no response "
  else
    lat=""
    local k
    for k in p50_us p99_us max_us; do
      lat+="| $(ms "$(field $k "$h")") ($(ratio "$(field $k "$h")" "$(field $k "$s")")×) "
    done
  fi
  local size="n/a"
  [[ $hreq -gt 0 ]] && size=$(awk -v b="$(field bytes "$h")" -v r="$hreq" 'BEGIN { printf "%.0f", b / r }')
  ROWS+=("| $name | $scenario | $hrps ($(ratio "$hrps" "$srps")×) $lat| $srps | $(ms "$(field p99_us "$s")") | $size | $code; $errs |")
  log "$name / $scenario: health $hrps req/s, static $srps req/s, status $code"
}

DETECT_ROWS=()
detect() { # name: time from "start hanging" to /health answering anything but 200, DETECT_TRIALS times
  local name="$1"
  log "$name / detection: starting"
  start_server "$name" switch || { DETECT_ROWS+=("| $name | did not start |"); stop_server; return; }
  local trial t0 t code deadline results=() first=""
  for ((trial = 1; trial <= DETECT_TRIALS; trial++)); do
    # healthy first: on the first trial after start-up, on later ones after POST /bench/recover
    deadline=$((SECONDS + 10))
    until [[ $(http_code "$BASE$HEALTH" 5) == 200 ]] || (( SECONDS > deadline )); do sleep 0.1; done
    if [[ $(http_code "$BASE$HEALTH" 5) != 200 ]]; then
      (( trial == 1 )) && first="health never answered 200 before the hang"
      break
    fi
    # start at a random point of the checks' 1 s cycle
    sleep "1.$((RANDOM % 1000))"
    t0=$(date +%s%N)
    curl -s -o /dev/null -m 5 -X POST "$STATIC_BASE/bench/hang"
    while :; do
      code=$(http_code "$BASE$HEALTH" 5)
      t=$(date +%s%N)
      if [[ $code == timeout ]]; then
        first="never: /health stops answering (no response in 5 s; the request waits on the hung check)"; break 2
      fi
      if [[ $code != 200 ]]; then results+=("$(( (t - t0) / 1000000 ))"); break; fi
      if (( (t - t0) / 1000000000 > 20 )); then first="not within 20 s (still 200)"; break 2; fi
      sleep 0.02
    done
    curl -s -o /dev/null -m 5 -X POST "$STATIC_BASE/bench/recover" || true
  done
  stop_server
  local result
  if [[ ${#results[@]} -gt 0 ]]; then
    result="$(IFS=','; echo "${results[*]}" | sed 's/,/ ms, /g') ms (then $code)"
  else
    result="$first"
  fi
  DETECT_ROWS+=("| $name | $result |")
  log "$name / detection: $result"
}

# ---------------------------------------------------------------- run
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
IFS=',' read -r -a SERVER_LIST <<<"$SERVERS"
IFS=',' read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for name in "${SERVER_LIST[@]}"; do server_spec "$name" >/dev/null; done
for scenario in "${SCENARIO_LIST[@]}"; do
  [[ $scenario == normal || $scenario == hang ]] || { echo "unknown scenario: $scenario (normal, hang)" >&2; exit 2; }
done

for scenario in "${SCENARIO_LIST[@]}"; do
  for name in "${SERVER_LIST[@]}"; do measure "$name" "$scenario"; done
done
if [[ $DETECTION -eq 1 ]]; then
  for name in "${SERVER_LIST[@]}"; do detect "$name"; done
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)

# ---------------------------------------------------------------- report
JDK=$("$JAVA" -version 2>&1 | head -2 | tail -1)
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo n/a)
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo n/a)
WRKV=$( (wrk -v 2>&1 || true) | head -1 | awk '{ print $1, $2 }')
mkdir -p "$RESULTS"
{
  echo "# Load benchmark: health endpoints side by side"
  echo
  echo "Run $START (UTC) by \`benchmarks/run.sh\`."
  echo
  echo "- Machine: $(nproc) cores ($CPU), $MEM memory; load average before $LOAD_BEFORE, after $LOAD_AFTER"
  echo "- JDK: $JDK; JVM flags for every server: \`${JVM_FLAGS[*]}\`"
  echo "- Load: $WRKV \`-t$THREADS -c$CONNECTIONS --timeout $WRK_TIMEOUT\` on the same machine as the server; per server and scenario a $WARMUP warm-up of each endpoint, then $ROUNDS alternating rounds of $DURATION (static, health, ...); rates over all rounds, p50/p99 the mean of the rounds, max the maximum"
  echo "- Checks: 20 checks of 5 ms each; in \"hang\", one of them hangs for 30 s"
  echo
  echo "Servers:"
  for name in "${SERVER_LIST[@]}"; do echo "- **$name**: $(describe "$name")"; done
  echo
  echo "Each health figure is followed by its ratio to the same JVM's static 200 (\`/static\`), measured in the same rounds."
  echo
  echo "| server | scenario | health req/s (× static) | p50 ms (× static) | p99 ms (× static) | max ms (× static) | static req/s | static p99 ms | health bytes/response | health status after the run; wrk errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  if [[ ${#DETECT_ROWS[@]} -gt 0 ]]; then
    echo
    echo "Detection time: a healthy server is told to make one dependency hang (\`POST /bench/hang\`, at a random point"
    echo "of the 1 s check cycle); the health endpoint is polled (curl, 5 s timeout, every 20 ms) until it answers anything"
    echo "but 200. Up to $DETECT_TRIALS trials per JVM, for servers that recover within 10 s after \`POST /bench/recover\`."
    echo "opskit runs each check every 1 s with a 2 s timeout, so its bound is interval + timeout = 3 s."
    echo
    echo "| server | hang → health not 200 |"
    echo "|---|---|"
    printf '%s\n' "${DETECT_ROWS[@]}"
  fi
  echo
  echo "Raw wrk figures (latencies in µs):"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
} >"$WORK/latest.md"
cp "$WORK/latest.md" "$RESULTS/latest.md"
cat "$RESULTS/latest.md"
log "written to ${RESULTS#"$ROOT"/}/latest.md"
