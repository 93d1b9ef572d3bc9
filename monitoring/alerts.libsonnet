// The runbooks' alerts. Each has for:, labels.severity (P0-P3), labels.routing (page for P0 and
// P1, ticket for P2 and P3) and annotations summary, description and runbook_url.
local routing(severity) = if severity == 'P0' || severity == 'P1' then 'page' else 'ticket';

{
  local c = $._config,
  local alert(name, expr, forDuration, severity, summary, description, extraLabels={}) = {
    alert: name,
    expr: std.lstripChars(expr % c, '\n '),
    'for': forDuration,
    labels: { severity: severity, routing: routing(severity) } + extraLabels,
    annotations: {
      summary: summary,
      description: description,
      runbook_url: '%s#%s' % [c.runbookUrlBase, std.asciiLower(name)],
    },
  },

  prometheusAlerts+:: {
    groups+: [
      {
        name: 'opskit-availability',
        rules: [
          alert('OpskitServiceDown', |||
            sum by (%(serviceLabels)s) (
              (opskit_health_probe_status{probe="readiness",%(selector)s} > bool 0)
              or on (%(instanceLabels)s) (up{%(selector)s} * 0)
            ) == 0
          |||, '2m', 'P0',
                'No instance of {{ $labels.job }} is ready',
                'Not one instance of {{ $labels.namespace }}/{{ $labels.job }} answers /health/ready with pass or warn, or none is scraped: the service is down.'),
          alert('OpskitInstanceNotReady', |||
            opskit_health_probe_status{probe="readiness",%(selector)s} == 0
          |||, '5m', 'P2',
                'Instance {{ $labels.instance }} of {{ $labels.job }} is not ready',
                '{{ $labels.instance }} has answered /health/ready with fail (503) for 5 minutes: the load balancer sends it no traffic. A critical check fails, or it is starting or draining.'),
          // One rule per routing: the severity comes from the check (opskit_health_check_info).
          alert('OpskitCheckFailing', |||
            (opskit_health_status{check!="lifecycle:state",%(selector)s} == 0)
            * on (%(instanceLabels)s, check) group_left (severity)
            opskit_health_check_info{severity=~"P0|P1",%(selector)s}
          |||, '2m', '{{ $labels.severity }}',
                'Check {{ $labels.check }} fails on {{ $labels.instance }}',
                'Check {{ $labels.check }} of {{ $labels.job }} has reported fail on {{ $labels.instance }} for 2 minutes (severity {{ $labels.severity }} from the check registration).') + { labels+: { routing: 'page' } },
          alert('OpskitCheckFailing', |||
            (opskit_health_status{check!="lifecycle:state",%(selector)s} == 0)
            * on (%(instanceLabels)s, check) group_left (severity)
            opskit_health_check_info{severity=~"P2|P3",%(selector)s}
          |||, '2m', '{{ $labels.severity }}',
                'Check {{ $labels.check }} fails on {{ $labels.instance }}',
                'Check {{ $labels.check }} of {{ $labels.job }} has reported fail on {{ $labels.instance }} for 2 minutes (severity {{ $labels.severity }} from the check registration).') + { labels+: { routing: 'ticket' } },
          alert('OpskitMaintenanceTooLong', |||
            max by (%(serviceLabels)s) (opskit_maintenance_enabled{%(selector)s}) == 1
          |||, c.maintenanceTooLong, 'P2',
                'Maintenance mode of {{ $labels.job }} has been on for over %s' % c.maintenanceTooLong,
                'Maintenance mode has been on for over %s: every request but health and operator traffic gets 503. Was it forgotten?' % c.maintenanceTooLong),
        ],
      },
      {
        name: 'opskit-http',
        rules: [
          alert('OpskitHighErrorRate', |||
            (
              sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{status=~"5..",%(selector)s}[5m]))
              / sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{%(selector)s}[5m]))
            ) > %(errorRatioPage)s
            and on (%(serviceLabels)s) sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{%(selector)s}[5m])) > %(minRequestRate)s
          |||, '5m', 'P1',
                '{{ $labels.job }} answers {{ $value | humanizePercentage }} of requests with 5xx',
                'More than %d%% of the requests to {{ $labels.namespace }}/{{ $labels.job }} failed with a 5xx over 5 minutes.' % (c.errorRatioPage * 100)),
          alert('OpskitHighErrorRate', |||
            (
              sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{status=~"5..",%(selector)s}[5m]))
              / sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{%(selector)s}[5m]))
            ) > %(errorRatioTicket)s
            and on (%(serviceLabels)s) sum by (%(serviceLabels)s) (rate(http_server_requests_seconds_count{%(selector)s}[5m])) > %(minRequestRate)s
          |||, '10m', 'P2',
                '{{ $labels.job }} answers {{ $value | humanizePercentage }} of requests with 5xx',
                'More than %d%% of the requests to {{ $labels.namespace }}/{{ $labels.job }} failed with a 5xx over 5 minutes.' % (c.errorRatioTicket * 100)),
          alert('OpskitSlowResponses', |||
            max by (%(instanceLabels)s, quantile) (http_server_requests_seconds{quantile="0.95",%(selector)s}) > %(p95Seconds)s
            or max by (%(instanceLabels)s, quantile) (http_server_requests_seconds{quantile="0.99",%(selector)s}) > %(p99Seconds)s
          |||, '10m', 'P2',
                'p{{ $labels.quantile }} response time of {{ $labels.instance }} is {{ $value | humanizeDuration }}',
                'The slowest route of {{ $labels.instance }} ({{ $labels.job }}) has had a p95 response time over %ss, or a p99 over %ss, for 10 minutes (this is the {{ $labels.quantile }} quantile).' % [c.p95Seconds, c.p99Seconds]),
          alert('OpskitCircuitOpen', |||
            max without (state) (max_over_time(resilience4j_circuitbreaker_state{state="closed",%(selector)s}[5m])) == 0
          |||, '1m', 'P2',
                'Circuit breaker {{ $labels.name }} on {{ $labels.instance }} has not been closed for 5 minutes',
                'Calls through breaker {{ $labels.name }} have been refused (open) or only trialled (half-open) for 5 minutes: the dependency behind it keeps failing.'),
        ],
      },
      {
        name: 'opskit-database',
        rules: [
          alert('OpskitDbPoolSaturated', |||
            avg_over_time(opskit_db_pool_utilization{%(selector)s}[5m]) > %(dbPoolUtilization)s
          |||, '5m', 'P2',
                'Connection pool {{ $labels.pool }} on {{ $labels.instance }} is {{ $value | humanizePercentage }} busy',
                'Pool {{ $labels.pool }} of {{ $labels.instance }} has used over %d%% of its connections on average for 10 minutes.' % (c.dbPoolUtilization * 100)),
          alert('OpskitDbConnectionsHigh', |||
            max by (%(serviceLabels)s, check) (opskit_db_server_connections_utilization{%(selector)s}) > %(dbConnectionsPage)s
          |||, '5m', 'P1',
                'Database server connections at {{ $value | humanizePercentage }}',
                'The database server behind {{ $labels.job }} has over %d%% of its usable connections in use: new connections will soon be refused ("too many clients").' % (c.dbConnectionsPage * 100)),
          alert('OpskitDbConnectionsHigh', |||
            max by (%(serviceLabels)s, check) (opskit_db_server_connections_utilization{%(selector)s}) > %(dbConnectionsTicket)s
          |||, '5m', 'P2',
                'Database server connections at {{ $value | humanizePercentage }}',
                'The database server behind {{ $labels.job }} has over %d%% of its usable connections in use.' % (c.dbConnectionsTicket * 100)),
          alert('OpskitSlowQueries', |||
            max by (%(instanceLabels)s, datasource) (opskit_db_query_seconds{quantile="0.95",%(selector)s}) > %(slowQueryP95Seconds)s
          |||, '10m', 'P2',
                'p95 query time of {{ $labels.datasource }} on {{ $labels.instance }} is {{ $value | humanizeDuration }}',
                'JDBC statements through {{ $labels.datasource }} have had a p95 over %dms for 10 minutes.' % (c.slowQueryP95Seconds * 1000)),
          alert('OpskitConnectionLeak', |||
            max by (%(instanceLabels)s) (opskit_db_connections_leak_suspects_connections{%(selector)s}) > 0
          |||, '5m', 'P2',
                '{{ $value }} connection(s) held past the leak threshold on {{ $labels.instance }}',
                'Connections borrowed from the pool of {{ $labels.instance }} have been held longer than the leak threshold for 5 minutes: a code path does not close them.'),
          alert('OpskitReaperBusy', |||
            sum by (%(serviceLabels)s, component) (increase(opskit_reaper_terminated_connections_total{%(selector)s}[15m])) > 0
          |||, c.reaperBusyFor, 'P3',
                'The {{ $labels.component }} reaper keeps terminating idle connections',
                'The {{ $labels.component }} reaper of {{ $labels.job }} has terminated idle connections in every 15 minutes for %s: some client opens connections and leaves them idle (a leak, or a pool larger than its idle timeout allows).' % c.reaperBusyFor),
        ],
      },
      {
        name: 'opskit-redis',
        rules: [
          alert('OpskitRedisMemoryHigh', |||
            max by (%(serviceLabels)s) (opskit_redis_memory_utilization{%(selector)s}) > %(redisMemoryUtilization)s
          |||, '5m', 'P2',
                'Redis memory at {{ $value | humanizePercentage }} of its limit',
                'The Redis behind {{ $labels.job }} uses over %d%% of its memory limit: evictions or OOM errors follow.' % (c.redisMemoryUtilization * 100)),
          alert('OpskitRedisHitRatioLow', |||
            (
              sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_hits_lookups_total{%(selector)s}[10m]))
              / (sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_hits_lookups_total{%(selector)s}[10m]))
                 + sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_misses_lookups_total{%(selector)s}[10m])))
            ) < %(redisHitRatio)s
            and on (%(serviceLabels)s)
            (sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_hits_lookups_total{%(selector)s}[10m]))
             + sum by (%(serviceLabels)s) (rate(opskit_redis_keyspace_misses_lookups_total{%(selector)s}[10m]))) > %(redisMinLookupRate)s
          |||, '15m', 'P3',
                'Redis hit ratio of {{ $labels.job }} is {{ $value | humanizePercentage }}',
                'Fewer than %d%% of Redis key lookups hit over 10 minutes: the cache does little and the database carries the load.' % (c.redisHitRatio * 100)),
        ],
      },
      {
        name: 'opskit-resources',
        rules: [
          alert('OpskitCertificateExpiring', |||
            min by (%(serviceLabels)s, host, port) (opskit_tls_certificate_expiry_days{%(selector)s}) < %(certificateDaysPage)s
          |||, '5m', 'P1',
                'Certificate of {{ $labels.host }}:{{ $labels.port }} expires within a day',
                'The certificate served at {{ $labels.host }}:{{ $labels.port }} expires in {{ $value | printf "%.1f" }} days (or has expired): calls to it will fail.'),
          alert('OpskitCertificateExpiring', |||
            min by (%(serviceLabels)s, host, port) (opskit_tls_certificate_expiry_days{%(selector)s}) < %(certificateDaysTicket)s
          |||, '15m', 'P3',
                'Certificate of {{ $labels.host }}:{{ $labels.port }} expires in {{ $value | printf "%.1f" }} days',
                'The certificate served at {{ $labels.host }}:{{ $labels.port }} expires within %d days: renew it.' % c.certificateDaysTicket),
          alert('OpskitDiskSpaceLow', |||
            1 - disk_free_bytes{%(selector)s} / disk_total_bytes{%(selector)s} > %(diskUsedPage)s
          |||, '5m', 'P1',
                'Disk {{ $labels.path }} of {{ $labels.instance }} is {{ $value | humanizePercentage }} full',
                'Less than %d%% of {{ $labels.path }} is free on {{ $labels.instance }}: writes will fail soon.' % ((1 - c.diskUsedPage) * 100)),
          alert('OpskitDiskSpaceLow', |||
            1 - disk_free_bytes{%(selector)s} / disk_total_bytes{%(selector)s} > %(diskUsedTicket)s
          |||, '15m', 'P2',
                'Disk {{ $labels.path }} of {{ $labels.instance }} is {{ $value | humanizePercentage }} full',
                'Less than %d%% of {{ $labels.path }} is free on {{ $labels.instance }}.' % ((1 - c.diskUsedTicket) * 100)),
          alert('OpskitHeapHigh', |||
            sum by (%(instanceLabels)s) (jvm_memory_used_bytes{area="heap",%(selector)s})
            / sum by (%(instanceLabels)s) (jvm_memory_max_bytes{area="heap",%(selector)s} > 0) > %(heapUsed)s
          |||, '15m', 'P2',
                'Heap of {{ $labels.instance }} is {{ $value | humanizePercentage }} full',
                'The JVM heap of {{ $labels.instance }} has been over %d%% of its maximum for 15 minutes: GC pauses grow, then OutOfMemoryError.' % (c.heapUsed * 100)),
          alert('OpskitCpuHigh', |||
            process_cpu_usage{%(selector)s} > %(cpuUsage)s
          |||, '5m', 'P2',
                'CPU of {{ $labels.instance }} at {{ $value | humanizePercentage }}',
                'The JVM of {{ $labels.instance }} has used over %d%% of the CPU available to it for 5 minutes.' % (c.cpuUsage * 100)),
        ],
      },
    ],
  },
}
