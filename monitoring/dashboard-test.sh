#!/usr/bin/env bash
# The dashboard tested for real (run by monitoring/test.sh): starts the example service
# (examples/target/opskit-example.jar; built here if missing) with a local https dependency that answers 503
# (so a check fails, its circuit breaker opens and its certificate is read), drives a little traffic, scrapes it
# with a real Prometheus (1 s interval, rules.yml and alerts.yml loaded) for SCRAPE_SECONDS, then runs every panel
# target of grafana/opskit-dashboard.json through /api/v1/query with the template variables filled in.
# Fails, naming panel and expression, when a target returns no data, only NaN/Inf, an error, or a series without
# a label its legend uses; also when a template variable finds no value, a recorded series is missing, or a rule
# fails to evaluate. Needs java, prometheus, jsonnet, curl and openssl. Cleans up every process it starts.
# Usage: monitoring/dashboard-test.sh   (SCRAPE_SECONDS=30 by default)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
dashboard="$here/grafana/opskit-dashboard.json"
scrape_seconds="${SCRAPE_SECONDS:-30}"
started=$SECONDS

# Panels whose series cannot exist in the example, with the reason. Each is still queried: a listed panel that
# returns data fails too, so the list cannot go stale. Empty: the example makes every series exist.
declare -A no_data_expected=()
# Template variables that find no value in the example, with the reason; they are filled with Grafana's "All".
declare -A variable_empty_expected=([namespace]="the example is scraped outside Kubernetes: no namespace label")

for tool in java prometheus jsonnet curl openssl; do
  command -v "$tool" >/dev/null || { echo "dashboard-test.sh: $tool is missing (apt-get install -y prometheus jsonnet curl openssl)" >&2; exit 1; }
done
jar="$root/examples/target/opskit-example.jar"
if [ ! -f "$jar" ]; then
  echo "dashboard-test.sh: $jar is missing: building it (mvn -pl examples -am package -DskipTests)"
  (cd "$root" && mvn -B -q -pl examples -am package -DskipTests)
fi

tmp="$(mktemp -d)"
pids=()
cleanup() {
  local rc=$?
  # last started, first stopped: Prometheus, traffic, the example (SIGTERM: it stops its embedded PostgreSQL
  # and Redis itself), the https dependency
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for log in app prometheus tls; do
      [ -s "$tmp/$log.log" ] && { echo "--- last lines of $log.log" >&2; tail -n 15 "$tmp/$log.log" >&2; }
    done
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "dashboard-test.sh: $*" >&2; exit 1; }

# a loopback port nobody listens on (a start that loses the race to bind is retried)
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# --- the https dependency: a self-signed certificate valid for 30 days; GET /down answers 503
mkdir -p "$tmp/www"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
printf 'HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\ndown\n' > "$tmp/www/down"
for attempt in 1 2 3 4 5; do
  tls_port=$(free_port)
  (cd "$tmp/www" && exec openssl s_server -quiet -accept "127.0.0.1:$tls_port" -cert "$tmp/cert.pem" -key "$tmp/key.pem" -HTTP) > "$tmp/tls.log" 2>&1 &
  tls_pid=$!
  pids+=("$tls_pid")   # also a start that fails is stopped on exit
  for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$tmp/cert.pem" "https://localhost:$tls_port/down")" = 503 ] && break 2
    kill -0 "$tls_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$tls_pid" 2>/dev/null || true; wait "$tls_pid" 2>/dev/null || true
  [ "$attempt" -lt 5 ] || fail "the https dependency (openssl s_server) did not start"
done

# --- the example: ports chosen by itself (0), read from its start-up line
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(OPS_|MAINTENANCE_MODE$|PORT$)' || true)
env PORT=0 OPS_MANAGEMENT_PORT=0 OPS_CHECK_URL="https://localhost:$tls_port/down" OPS_CHECK_CA="$tmp/cert.pem" \
    OPS_CHECK_INTERVAL=1s OPS_DRAIN=0s OPS_SHUTDOWN_TIMEOUT=2s \
    java -jar "$jar" > "$tmp/app.log" 2>&1 &
pids+=($!)
app_pid=$!
api_port="" mgmt_port="" ready=""
for _ in $(seq 1 600); do
  line=$(grep -a -m1 'opskit example listening on' "$tmp/app.log" || true)
  if [ -n "$line" ]; then
    api_port=$(sed -E 's|.*listening on http://localhost:([0-9]+).*|\1|' <<<"$line")
    mgmt_port=$(sed -E 's|.*management on http://localhost:([0-9]+).*|\1|' <<<"$line")
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mgmt_port/health/ready")" = 200 ] && { ready=1; break; }
  fi
  kill -0 "$app_pid" 2>/dev/null || fail "the example exited while starting"
  sleep 0.1
done
[ -n "$ready" ] || fail "the example was not ready (GET /health/ready 200) within 60 s"
echo "dashboard-test.sh: example ready after $((SECONDS - started)) s (API :$api_port, management :$mgmt_port, https dependency :$tls_port)"

# --- traffic: 200s, a slow database call, 500s, 404s, a write; cache hits and misses
api="http://127.0.0.1:$api_port"
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"name":"dashboard-test"}' "$api/api/items"
(
  while :; do
    for path in /api/items /api/items '/api/slow?ms=50&db=true' /api/fail /api/no-such-path; do
      curl -s -o /dev/null --max-time 5 "$api$path" || true
    done
    sleep 0.5
  done
) &
pids+=($!)

# --- Prometheus: scrapes the management port every second, evaluates the recording and alert rules every second
cat > "$tmp/prometheus.yml" <<EOF
global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
rule_files: ['$here/prometheus/rules.yml', '$here/prometheus/alerts.yml']
scrape_configs:
- job_name: opskit
  static_configs: [{targets: ['127.0.0.1:$mgmt_port']}]
EOF
for attempt in 1 2 3 4 5; do
  prom_port=$(free_port)
  prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" --web.listen-address="127.0.0.1:$prom_port" \
    > "$tmp/prometheus.log" 2>&1 &
  prom_pid=$!
  pids+=("$prom_pid")
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$prom_port/-/ready" && break 2
    kill -0 "$prom_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$prom_pid" 2>/dev/null || true; wait "$prom_pid" 2>/dev/null || true
  [ "$attempt" -lt 5 ] || fail "prometheus did not start"
done
prom="http://127.0.0.1:$prom_port"
echo "dashboard-test.sh: Prometheus on :$prom_port scraping for $scrape_seconds s"
sleep "$scrape_seconds" & pids+=($!); wait $!   # in the background: INT and TERM stop the test at once

# --- checks
failures=0
problem() { echo "dashboard-test.sh: FAIL $*" >&2; failures=$((failures + 1)); }
# query EXPR LEGEND-LABELS: prints OK <series>, EMPTY, NAN, LEGEND <labels> or ERROR <message>
query() {
  curl -s -o "$tmp/resp.json" --data-urlencode "query=$1" "$prom/api/v1/query"
  jsonnet -S --ext-code-file r="$tmp/resp.json" --ext-str labels="$2" -e '
    local r = std.extVar("r");
    local labels = [l for l in std.split(std.extVar("labels"), " ") if l != ""];
    local res = if r.status != "success" then [] else if r.data.resultType == "scalar" then [{ metric: {}, value: r.data.result }] else r.data.result;
    local finite = [s for s in res if !std.member(["NaN", "+Inf", "-Inf"], s.value[1])];
    local missing = std.set([l for s in res for l in labels if !std.objectHas(s.metric, l)]);
    if r.status != "success" then "ERROR " + r["error"]
    else if std.length(res) == 0 then "EMPTY"
    else if std.length(finite) == 0 then "NAN"
    else if std.length(missing) > 0 then "LEGEND " + std.join(",", missing)
    else "OK " + std.length(res)'
}

[ "$(query "up{job=\"opskit\"} == 1" "")" = "OK 1" ] || fail "Prometheus does not scrape the example: $(cat "$tmp/resp.json")"

# template variables: label_values(SELECTOR, LABEL) must find values; a variable the script does not know fails
declare -A values=()
while IFS=$'\x1f' read -r name type q; do
  [ "$type" = query ] || continue
  [[ "$q" =~ ^label_values\((.*),\ *([a-zA-Z_]+)\)$ ]] || { problem "variable \$$name: not a label_values(selector, label) query: $q"; continue; }
  selector="${BASH_REMATCH[1]}" label="${BASH_REMATCH[2]}"
  curl -s -G -o "$tmp/resp.json" --data-urlencode "match[]=$selector" "$prom/api/v1/label/$label/values"
  found=$(jsonnet -S --ext-code-file r="$tmp/resp.json" -e 'std.join(" ", std.extVar("r").data)')
  if [ -n "${variable_empty_expected[$name]:-}" ]; then
    [ -z "$found" ] || problem "variable \$$name is listed as empty (${variable_empty_expected[$name]}) but found: $found"
    values[$name]='.*'   # Grafana's "All" (allValue)
  elif [ -z "$found" ]; then
    problem "variable \$$name finds no value: $q"
  else
    values[$name]="${found%% *}"
  fi
done < <(jsonnet -S -e "std.join('\n', [v.name + '\u001f' + v.type + '\u001f' + (if std.isObject(v.query) then v.query.query else v.query) for v in (import '$dashboard').templating.list])")
# Grafana's built-in intervals, as Grafana would compute them for a 1 s scrape interval
values[__rate_interval]=10s values[__interval]=2s values[__interval_ms]=2000 values[__range]=${scrape_seconds}s values[datasource]=prometheus
substitute() {
  local e="$1" name
  for name in $(printf '%s\n' "${!values[@]}" | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2); do
    e="${e//\$\{$name\}/${values[$name]}}"
    e="${e//\$$name/${values[$name]}}"
  done
  printf '%s' "$e"
}
echo "dashboard-test.sh: variables: $(for n in namespace job instance; do printf '$%s=%s ' "$n" "${values[$n]:-?}"; done)"

# every panel target
panels=0 targets=0
while IFS=$'\x1f' read -r id title ref legend expr; do
  targets=$((targets + 1))
  e=$(substitute "$expr")
  where="panel $id '$title' target $ref: $e"
  if [[ "$e" =~ \$\{?[A-Za-z_] ]]; then problem "$where: a template variable this script does not fill"; continue; fi
  labels=$(grep -oE '\{\{ *[A-Za-z_][A-Za-z0-9_]* *\}\}' <<<"$legend" | tr -d '{} ' | tr '\n' ' ' || true)
  r=$(query "$e" "$labels")
  if [ -n "${no_data_expected[$id]:-}" ]; then
    [ "$r" = EMPTY ] || problem "$where: listed as no data expected (${no_data_expected[$id]}) but got $r"
    echo "dashboard-test.sh: panel $id '$title': no data, as expected: ${no_data_expected[$id]}"
    continue
  fi
  case "$r" in
    OK*) echo "dashboard-test.sh: panel $id '$title' $ref: ${r#OK } series" ;;
    EMPTY) problem "$where: no data" ;;
    NAN) problem "$where: only NaN/Inf" ;;
    LEGEND*) problem "$where: a series lacks label(s) ${r#LEGEND } of the legend '$legend'" ;;
    *) problem "$where: $r" ;;
  esac
done < <(jsonnet -S -e "std.join('\n', [std.join('\u001f', [std.toString(p.id), p.title, t.refId, std.get(t, 'legendFormat', ''), t.expr]) for p in (import '$dashboard').panels if p.type != 'row' for t in p.targets])")
panels=$(jsonnet -e "std.length([p for p in (import '$dashboard').panels if p.type != 'row'])")

# every recorded series exists, and no recording or alert rule failed to evaluate on real series
while read -r record; do
  r=$(query "$record" "")
  [[ "$r" = OK* ]] || problem "recording rule $record: $r"
done < <(jsonnet -S -e "std.join('\n', [r.record for g in (import '$here/mixin.libsonnet').prometheusRules.groups for r in g.rules])")
curl -s -o "$tmp/resp.json" "$prom/api/v1/rules"
bad_rules=$(jsonnet -S --ext-code-file r="$tmp/resp.json" -e '
  local r = std.extVar("r");
  std.join("\n", [std.get(x, "name", "") + ": " + std.get(x, "lastError", "") for g in r.data.groups for x in g.rules if x.health != "ok"])')
[ -z "$bad_rules" ] || problem "rules that failed to evaluate:
$bad_rules"

[ "$failures" -eq 0 ] || fail "$failures problem(s) in the dashboard or the rules (above)"
echo "dashboard-test.sh: OK: $targets targets of $panels panels return data; recorded series and rule evaluation OK ($((SECONDS - started)) s)"
