// The opskit monitoring mixin (https://monitoring.mixins.dev conventions): prometheusAlerts,
// prometheusRules and grafanaDashboards from one set of settings (config.libsonnet).
// Render with ./render.sh; never edit the rendered files by hand.
(import 'config.libsonnet') +
(import 'alerts.libsonnet') +
(import 'rules.libsonnet') +
(import 'dashboards.libsonnet')
