// Recording rules for the dashboard: the figures it shows most, computed once per evaluation.
{
  local c = $._config,
  local rule(name, expr) = { record: name, expr: std.lstripChars(expr % c, '\n ') },

  prometheusRules+:: {
    groups+: [
      {
        name: 'opskit-recording',
        rules: [
          rule('opskit:ready_instances:count', |||
            sum by (%(serviceLabels)s) (opskit_health_probe_status{probe="readiness",%(selector)s} > bool 0)
          |||),
          rule('opskit:http_server_requests:rate5m', |||
            sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{%(selector)s}[5m]))
          |||),
          rule('opskit:http_server_requests:error_ratio5m', |||
            sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{status=~"5..",%(selector)s}[5m]))
            / sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{%(selector)s}[5m]))
          |||),
          rule('opskit:redis_keyspace:hit_ratio10m', |||
            sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_hits_lookups_total{%(selector)s}[10m]))
            / (sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_hits_lookups_total{%(selector)s}[10m]))
               + sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_misses_lookups_total{%(selector)s}[10m])))
          |||),
          rule('opskit:jvm_heap:utilization', |||
            sum by (%(instanceLabels)s) (jvm_memory_used_bytes{area="heap",%(selector)s})
            / sum by (%(instanceLabels)s) (jvm_memory_max_bytes{area="heap",%(selector)s} > 0)
          |||),
          rule('opskit:disk:utilization', |||
            1 - disk_free_bytes{%(selector)s} / disk_total_bytes{%(selector)s}
          |||),
        ],
      },
    ],
  },
}
