import type { PlannedRemote } from '../src/remote.js';
import type { Feature } from './feature.js';

/** A scrape job of observability/prometheus/prometheus.yml for a service `extract` made, as the api's is written. */
const scrapeJob = ({ service }: PlannedRemote) =>
  `  - job_name: ${service.name}
    metrics_path: /metrics
    static_configs:
      - targets: ["${service.name}:3000"]`;

/** An alert rule of observability/prometheus/alerts.yml: a service `extract` made stopped answering scrapes. */
const downRule = ({ service, name }: PlannedRemote) =>
  `      - alert: ServiceDown
        expr: up{job="${service.name}"} == 0
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: "${service.name} has not answered a scrape for a minute: /v1/${name} answers 503"`;

/**
 * Prometheus metrics on /metrics (RED metrics by route pattern, process metrics), with
 * scrape config, alert rules and a Grafana dashboard under observability/.
 */
export const monitoringPrometheus: Feature = {
  id: 'monitoring-prometheus',
  dependencies: ['prom-client'],
  // The tests read the Prometheus and Grafana configuration.
  devDependencies: ['yaml'],
  compose: {
    services: {
      prometheus: {
        comment: 'Scrapes the api and evaluates the alert rules of observability/prometheus/.',
        image: 'prom/prometheus:v3.5.0',
        ports: ['127.0.0.1:9090:9090'],
        volumes: ['./observability/prometheus:/etc/prometheus:ro', 'prometheus:/prometheus'],
        healthcheck: {
          test: ['CMD', 'wget', '-qO-', 'http://127.0.0.1:9090/-/ready'],
          interval: '10s',
          timeout: '3s',
          retries: 5,
        },
        restart: 'unless-stopped',
      },
      grafana: {
        comment: 'The dashboard of observability/grafana/ on http://127.0.0.1:3001 (first login admin/admin).',
        image: 'grafana/grafana:12.1.0',
        ports: ['127.0.0.1:3001:3000'],
        volumes: [
          './observability/grafana/provisioning:/etc/grafana/provisioning:ro',
          './observability/grafana/dashboards:/var/lib/grafana/dashboards:ro',
          'grafana:/var/lib/grafana',
        ],
        depends_on: { prometheus: { condition: 'service_healthy' } },
        restart: 'unless-stopped',
      },
    },
    volumes: ['prometheus', 'grafana'],
  },
  // The doctor finds the metrics, so it gives the project full marks.
  ci: { doctorScore: 100 },
  snippets: [
    { place: 'appImports', import: "import metrics from './plugins/metrics.js';" },
    { place: 'appPlugins', order: 60, text: '  await fastify.register(metrics);' },
    // The scrape of /metrics is a probe too (src/plugins/logging.ts).
    { place: 'probes', text: 'scrapes' },
    // The services extract made, which the api calls: scraped, alerted on and charted beside it.
    { place: 'prometheusScrapeJobs', text: ({ remotes }) => remotes.map(scrapeJob).join('\n') },
    { place: 'prometheusAlertRules', text: ({ remotes }) => remotes.map(downRule).join('\n\n') },
    { place: 'dashboardJobs', text: ({ remotes }) => remotes.map((remote) => remote.service.name).join(',') },
  ],
  readme: [
    { place: 'readmeStack', order: 40, text: ', Prometheus metrics' },
    { place: 'readmeProbeMetrics', text: ' and the request metrics' },
    { place: 'readmeRoutesProbes', template: 'readme-routes.md.hbs' },
    { place: 'readmeUnlimited', text: ', `/metrics`' },
    { place: 'readmeCache', order: 40, when: (data) => data.has.cache === true, template: 'readme-cache.md.hbs' },
    {
      place: 'readmeUnrouted',
      text: ', and a URL refused before routing\nis counted in the request metrics under `route="(unrouted)"`',
    },
    { place: 'readmeQuietProbes', text: ' and `/metrics`' },
    { place: 'readmeProbesExempt', order: 10, text: '\nand are not counted in the request metrics' },
    {
      place: 'readmeMetrics',
      text: '`src/plugins/metrics.ts` (Prometheus RED metrics), `observability/prometheus/` (scrape config, alert rules on error rate, p99 latency, instance down, saturation), `observability/grafana/` (datasource and dashboard), ',
    },
    { place: 'readmeLayoutPlugins', order: 10, text: ', metrics' },
    { place: 'readmeRateLimitExempt', text: ', metrics' },
  ],
};
