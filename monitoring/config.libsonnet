// Settings of the opskit mixin. Override any of them:
//   (import 'mixin.libsonnet') + { _config+:: { jobSelector: 'job="orders"' } }
{
  _config+:: {
    // Which scrape targets are opskit applications. Every expression uses both selectors.
    jobSelector: 'job="opskit"',
    namespaceSelector: 'namespace=~".*"',
    selector: self.jobSelector + ',' + self.namespaceSelector,
    // Labels alerts of a whole service are grouped by.
    serviceLabels: 'namespace, job',
    instanceLabels: self.serviceLabels + ', instance',

    // Where each alert's runbook_url points; the anchor is the alert name in lower case.
    runbookUrlBase: 'https://github.com/opskit/opskit/blob/main/docs/runbook.md',

    // Thresholds: the runbooks' numbers (docs/runbook.md says where each comes from).
    errorRatioTicket: 0.01,  // 5xx > 1%: P2
    errorRatioPage: 0.05,  // 5xx > 5%: P1
    minRequestRate: 0.1,  // requests/s below which the error ratio is not judged
    p95Seconds: 1,
    p99Seconds: 2,
    dbPoolUtilization: 0.8,
    dbConnectionsTicket: 0.8,
    dbConnectionsPage: 0.9,
    slowQueryP95Seconds: 0.05,
    redisMemoryUtilization: 0.9,
    redisHitRatio: 0.9,
    redisMinLookupRate: 1,  // lookups/s below which the hit ratio is not judged
    certificateDaysTicket: 7,
    certificateDaysPage: 1,
    diskUsedTicket: 0.8,
    diskUsedPage: 0.9,
    heapUsed: 0.9,
    cpuUsage: 0.8,
    maintenanceTooLong: '1h',
    reaperBusyFor: '1h',

    // Grafana
    dashboardUid: 'opskit-overview',
    dashboardTags: ['opskit'],
  },
}
