#!/usr/bin/env bash
# The monitoring checks run by .ci/run:
#  1. the committed files are exactly what render.sh makes from the jsonnet source;
#  2. promtool check rules on every rendered rule file (the PrometheusRule's spec included);
#  3. promtool test rules: every alert fires from synthetic series and resolves (tests/alerts_test.yml), every
#     recording rule computes what its name says (tests/rules_test.yml);
#  4. the dashboard for real (dashboard-test.sh, about 40 s): every panel returns data from the example service
#     scraped by a real Prometheus. Needs java, prometheus, curl, openssl and examples/target/opskit-example.jar,
#     which .ci/run's mvn verify builds (dashboard-test.sh builds it when it is missing).
# Needs jsonnet and promtool (Debian: apt-get install -y jsonnet prometheus). A missing tool is a failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in jsonnet promtool; do
  command -v "$tool" >/dev/null || { echo "monitoring/test.sh: $tool is missing (apt-get install -y jsonnet prometheus; .ci/run installs them)" >&2; exit 1; }
done
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

"$here/render.sh" "$tmp"
for f in prometheus/alerts.yml prometheus/rules.yml kubernetes/prometheusrule.yml grafana/opskit-dashboard.json; do
  if ! diff -u "$here/$f" "$tmp/$f"; then
    echo "monitoring/test.sh: $f differs from what render.sh makes: edit monitoring/*.libsonnet and run monitoring/render.sh" >&2
    exit 1
  fi
done

promtool check rules "$here/prometheus/alerts.yml" "$here/prometheus/rules.yml"
jsonnet -S -e "std.manifestYamlDoc({groups: (import '$here/mixin.libsonnet').prometheusRules.groups + (import '$here/mixin.libsonnet').prometheusAlerts.groups})" > "$tmp/prometheusrule-spec.yml"
promtool check rules "$tmp/prometheusrule-spec.yml"
jsonnet -e "local d = import '$here/grafana/opskit-dashboard.json'; std.assertEqual(std.length([p for p in d.panels if p.type != 'row' && std.length(p.targets) == 0]), 0)" >/dev/null

# every recording rule has a unit test
for record in $(jsonnet -S -e "std.join('\n', [r.record for g in (import '$here/mixin.libsonnet').prometheusRules.groups for r in g.rules])"); do
  grep -Eq "expr: $record($|[{ ])" "$here/tests/rules_test.yml" || { echo "monitoring/test.sh: recording rule $record has no test in tests/rules_test.yml" >&2; exit 1; }
done
(cd "$here/tests" && promtool test rules ./*.yml)
"$here/dashboard-test.sh"
echo "monitoring/test.sh: OK"
