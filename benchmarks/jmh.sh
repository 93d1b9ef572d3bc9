#!/usr/bin/env bash
# JMH benchmarks of opskit's hot paths, with short but honest settings: one fork, a few warm-up
# and measurement iterations of one second each. Writes benchmarks/results/jmh-latest.md and puts
# the same table into benchmarks/results/latest.md (replacing the JMH section of an earlier run).
#
# Usage: benchmarks/jmh.sh [--no-build] [JMH benchmark regexp ...]
# Tunables (environment): FORKS (1), WARMUP_ITERATIONS (3), ITERATIONS (5), ITERATION_TIME (1s), JAVA (java)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/benchmarks"
RESULTS="$BENCH/results"
JAVA="${JAVA:-java}"
FORKS="${FORKS:-1}"
WARMUP_ITERATIONS="${WARMUP_ITERATIONS:-3}"
ITERATIONS="${ITERATIONS:-5}"
ITERATION_TIME="${ITERATION_TIME:-1s}"

BUILD=1
if [[ ${1:-} == --no-build ]]; then BUILD=0; shift; fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opskit-jmh.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
if [[ $BUILD -eq 1 ]]; then
  echo "building opskit benchmarks (mvn -pl benchmarks -am package)" >&2
  mvn -q -B -f "$ROOT/pom.xml" -pl benchmarks -am package -DskipTests >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; exit 1; }
fi
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)

"$JAVA" -jar "$BENCH/target/benchmarks.jar" \
  -f "$FORKS" -wi "$WARMUP_ITERATIONS" -i "$ITERATIONS" -w "$ITERATION_TIME" -r "$ITERATION_TIME" \
  -rf csv -rff "$WORK/jmh.csv" "$@" | tee "$WORK/jmh.log" | grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)|^# Run progress' || true

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
JDK=$("$JAVA" -version 2>&1 | head -2 | tail -1)
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo n/a)

# CSV columns: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit", then one per @Param
{
  echo "## JMH: opskit's hot paths"
  echo
  echo "Run $START (UTC) by \`benchmarks/jmh.sh\`: $(nproc) cores, $MEM, $JDK; load average before $LOAD_BEFORE, after $LOAD_AFTER."
  echo "Settings: $FORKS fork, $WARMUP_ITERATIONS × $ITERATION_TIME warm-up, $ITERATIONS × $ITERATION_TIME measurement; average time per operation (± 99.9% CI)."
  echo
  awk -F',' '
    function unq(s) { gsub(/^"|"$/, "", s); return s }
    { sub(/\r$/, "") }
    NR == 1 { for (i = 8; i <= NF; i++) params[i] = unq($i); n = NF; next }
    {
      name = unq($1); sub(/^io\.opskit\.benchmarks\.jmh\./, "", name)
      p = ""
      for (i = 8; i <= n; i++) { v = unq($i); if (v != "") p = p (p == "" ? "" : ", ") substr(params[i], 8) "=" v }
      err = unq($6); if (err == "NaN") err = "n/a"; else err = sprintf("%.3g", err)
      printf "| %s | %s | %s | %.4g ± %s %s |\n", name, (p == "" ? "" : p), unq($3), unq($5), err, unq($7)
    }
    BEGIN { print "| benchmark | params | threads | score |"; print "|---|---|---|---|" }
  ' "$WORK/jmh.csv"
} >"$WORK/jmh.md"

mkdir -p "$RESULTS"
cp "$WORK/jmh.md" "$RESULTS/jmh-latest.md"
if [[ -f "$RESULTS/latest.md" ]]; then
  awk '/^## JMH: / { exit } { print }' "$RESULTS/latest.md" >"$WORK/latest.md"
  { cat "$WORK/latest.md"; echo; cat "$WORK/jmh.md"; } | cat -s >"$RESULTS/latest.md"
else
  cp "$WORK/jmh.md" "$RESULTS/latest.md"
fi
cat "$WORK/jmh.md"
