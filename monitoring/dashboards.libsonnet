// The opskit overview dashboard: one row per runbook area, every panel a query on what opskit
// exports. Plain JSON (no grafonnet) so it renders with nothing but jsonnet.
{
  local c = $._config,
  // dashboard variables narrow the mixin's selector further
  local sel = c.selector + ',namespace=~"$namespace",job=~"$job",instance=~"$instance"',
  local q(expr) = std.stripChars(expr % (c { sel: sel }), '\n '),

  local nextId = { id: 0 },
  local panel(id, title, type, exprs, unit, x, y, w=8, h=7, legend='{{instance}}') = {
    id: id,
    title: title,
    type: type,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { x: x, y: y, w: w, h: h },
    fieldConfig: { defaults: { unit: unit }, overrides: [] },
    options: if type == 'stat' then { reduceOptions: { calcs: ['lastNotNull'] }, colorMode: 'value' } else {},
    targets: [
      { refId: std.char(65 + i), expr: q(exprs[i]), legendFormat: legend }
      for i in std.range(0, std.length(exprs) - 1)
    ],
  },
  local row(id, title, y) = { id: id, type: 'row', title: title, collapsed: false, gridPos: { x: 0, y: y, w: 24, h: 1 }, panels: [] },
  local variable(name, label, query) = {
    name: name,
    label: label,
    type: 'query',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    query: { query: query, refId: name },
    definition: query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { text: 'All', value: '$__all' },
    sort: 1,
  },

  grafanaDashboards+:: {
    'opskit-dashboard.json': {
      uid: c.dashboardUid,
      title: 'opskit',
      description: 'Health, traffic, database, Redis and resources of opskit applications (monitoring/ in the opskit repository).',
      tags: c.dashboardTags,
      editable: false,
      schemaVersion: 39,
      version: 1,
      timezone: 'utc',
      refresh: '30s',
      time: { from: 'now-1h', to: 'now' },
      templating: {
        list: [
          { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {} },
          variable('namespace', 'Namespace', 'label_values(opskit_health_probe_status{%s}, namespace)' % c.selector),
          variable('job', 'Job', 'label_values(opskit_health_probe_status{%s}, job)' % c.selector),
          variable('instance', 'Instance', 'label_values(opskit_health_probe_status{%s}, instance)' % c.selector),
        ],
      },
      annotations: { list: [] },
      links: [{ title: 'Runbook', type: 'link', url: c.runbookUrlBase, targetBlank: true }],
      panels: [
        row(100, 'Health', 0),
        panel(1, 'Ready instances', 'stat', ['sum(opskit_health_probe_status{probe="readiness",%(sel)s} > bool 0)'], 'none', 0, 1, 4, 5, 'ready'),
        panel(2, 'Probe status (1 pass, 0.5 warn, 0 fail)', 'timeseries', ['opskit_health_probe_status{%(sel)s}'], 'none', 4, 1, 10, 5, '{{instance}} {{probe}}'),
        panel(3, 'Checks not passing', 'timeseries', ['opskit_health_status{%(sel)s} < 1'], 'none', 14, 1, 10, 5, '{{instance}} {{check}}'),
        panel(4, 'Maintenance mode', 'stat', ['max(opskit_maintenance_enabled{%(sel)s})'], 'bool_on_off', 0, 6, 4, 5, 'maintenance'),
        panel(5, 'Check run time (max)', 'timeseries', ['max by (check) (opskit_health_check_seconds_max{%(sel)s})'], 's', 4, 6, 10, 5, '{{check}}'),
        panel(6, 'Events dropped by slow listeners', 'timeseries', ['sum by (instance) (rate(opskit_events_dropped_total{%(sel)s}[5m]))'], 'ops', 14, 6, 10, 5),

        row(101, 'HTTP', 11),
        panel(10, 'Requests per second', 'timeseries', ['sum by (instance) (rate(http_server_requests_seconds_count{%(sel)s}[5m]))'], 'reqps', 0, 12),
        panel(11, '5xx ratio', 'timeseries', ['sum by (instance) (rate(http_server_requests_seconds_count{status=~"5..",%(sel)s}[5m])) / sum by (instance) (rate(http_server_requests_seconds_count{%(sel)s}[5m]))'], 'percentunit', 8, 12),
        panel(12, 'Response time p95 / p99 (slowest route)', 'timeseries', ['max by (instance, quantile) (http_server_requests_seconds{quantile=~"0.95|0.99",%(sel)s})'], 's', 16, 12, legend='{{instance}} p{{quantile}}'),

        row(102, 'Database', 19),
        panel(20, 'Pool utilization', 'timeseries', ['opskit_db_pool_utilization{%(sel)s}'], 'percentunit', 0, 20, legend='{{instance}} {{pool}}'),
        panel(21, 'Server connections in use', 'timeseries', ['max by (check) (opskit_db_server_connections_utilization{%(sel)s})'], 'percentunit', 8, 20, legend='{{check}}'),
        panel(22, 'Query time p95', 'timeseries', ['opskit_db_query_seconds{quantile="0.95",%(sel)s}'], 's', 16, 20, legend='{{instance}} {{datasource}}'),
        panel(23, 'Leak suspects', 'timeseries', ['opskit_db_connections_leak_suspects_connections{%(sel)s}'], 'none', 0, 27),
        panel(24, 'Reaper terminations (per 15 min)', 'timeseries', ['sum by (component) (increase(opskit_reaper_terminated_connections_total{%(sel)s}[15m]))'], 'none', 8, 27, legend='{{component}}'),
        // a breaker's state that is not closed at 1, or else its closed state at 0 (one series per breaker, state in the legend)
        panel(25, 'Circuit breakers not closed', 'timeseries', ['resilience4j_circuitbreaker_state{state!="closed",%(sel)s} == 1 or on (namespace, job, instance, name) resilience4j_circuitbreaker_state{state="closed",%(sel)s} * 0'], 'none', 16, 27, legend='{{instance}} {{name}} {{state}}'),

        row(103, 'Redis', 34),
        panel(30, 'Memory used / limit', 'timeseries', ['max by (instance) (opskit_redis_memory_utilization{%(sel)s})'], 'percentunit', 0, 35),
        panel(31, 'Hit ratio (10 min)', 'timeseries', ['sum by (instance) (rate(opskit_redis_keyspace_hits_lookups_total{%(sel)s}[10m])) / (sum by (instance) (rate(opskit_redis_keyspace_hits_lookups_total{%(sel)s}[10m])) + sum by (instance) (rate(opskit_redis_keyspace_misses_lookups_total{%(sel)s}[10m])))'], 'percentunit', 8, 35),
        panel(32, 'Connected clients', 'timeseries', ['max by (instance) (opskit_redis_clients_connected_clients{%(sel)s})'], 'none', 16, 35),

        row(104, 'Resources', 42),
        panel(40, 'Heap used / max', 'timeseries', ['sum by (instance) (jvm_memory_used_bytes{area="heap",%(sel)s}) / sum by (instance) (jvm_memory_max_bytes{area="heap",%(sel)s} > 0)'], 'percentunit', 0, 43, 6),
        panel(41, 'Process CPU', 'timeseries', ['process_cpu_usage{%(sel)s}'], 'percentunit', 6, 43, 6),
        panel(42, 'Disk used', 'timeseries', ['1 - disk_free_bytes{%(sel)s} / disk_total_bytes{%(sel)s}'], 'percentunit', 12, 43, 6, legend='{{instance}} {{path}}'),
        panel(43, 'Certificate days left', 'stat', ['min by (host, port) (opskit_tls_certificate_expiry_days{%(sel)s})'], 'd', 18, 43, 6, legend='{{host}}:{{port}}'),
      ],
    },
  },
}
